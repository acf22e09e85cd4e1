"""The articles' claims, tested on both sides of their boundaries, and each game's defaults.

Every claim of SCENARIOS.md section 3 that a normal-form scenario (G1
``deterrence``, G2 ``force_composition``, G3 ``guarantee_menu``, G5
``force_generation``, G6 ``uncertain_resolve``) speaks to gets a test that
solves the game just below and just above the boundary where the claim flips
and asserts that it holds on one side and fails on the other. A further test
per game checks that the defaults reproduce SCENARIOS.md Appendix A.

Expected answers come from the closed forms and tables of SCENARIOS.md (or a
hand derivation written out next to the assertion), never from running this
code: t* = (c_us - m_us)/(n_us - e_us - m_us), b* = (g_r - f_r - w_r + a_r)/x_r,
the G2 threshold phi* = 1 - p_g/c_g and so on, evaluated at the parameter
values of the test. The last section checks the classic games of
``games/classics`` against their textbook solutions.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.game import observer_payoffs

F = Fraction
GAMES = Path(__file__).resolve().parent.parent / "games"

G1 = "deterrence.json"
G2 = "force_composition.json"
G3 = "guarantee_menu.json"
G5 = "force_generation.json"
G6 = "uncertain_resolve.json"

E1 = ("hold", "target", "stay_out")  # G1: no force, the war resumes


# ---------------------------------------------------------------------------- helpers
@cache
def scenario(name: str) -> gt.Scenario:
    return gt.load(GAMES / name)


def bind(name: str, preset: str | None = None, **values: str) -> gt.NormalFormGame:
    """The game at exact parameter values (given as decimal strings, e.g. x_r="4.9")."""
    exact = {k: F(v) for k, v in values.items()}
    if preset is None:
        return scenario(name).bind(exact)
    return scenario(name).bind(exact, preset=preset)


def solve(name: str, preset: str | None = None, method: str = "auto", **values: str):
    game = bind(name, preset, **values)
    return game, gt.solve(game, method=method)


def pure_set(game, sol) -> set[tuple[str, ...]]:
    return {game.profile_names(e.pure_profile) for e in sol.equilibria if e.pure}


def mixed(sol) -> list:
    return [e for e in sol.equilibria if not e.pure]


def exact_profile(*vectors) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(F(p) for p in v) for v in vectors)


def find_exact(sol, profile):
    """The equilibrium equal to ``profile``, required to be given in exact Fractions."""
    for e in sol.equilibria:
        if e.profile == profile:
            assert all(isinstance(p, Fraction) for v in e.profile for p in v), e.profile
            return e
    raise AssertionError(f"{profile} not among {[e.profile for e in sol.equilibria]}")


def find_close(sol, profile, tol=1e-8):
    for e in sol.equilibria:
        if all(abs(float(p) - q) <= tol for v, w in zip(e.profile, profile) for p, q in zip(v, w)):
            return e
    raise AssertionError(f"{profile} not among {[e.float_profile() for e in sol.equilibria]}")


# ============================================================ G1 deterrence (2x2x2)
def g1_e2(t_star: Fraction, b_star: Fraction):
    """E2 'probabilistic deterrence': Europe deploys, Russia targets w.p. t*, the US backstops w.p. b*."""
    return exact_profile((1, 0), (1 - t_star, t_star), (b_star, 1 - b_star))


def test_g1_defaults_reproduce_appendix_a():
    game, sol = solve(G1)
    assert len(sol.equilibria) == 3 and sol.complete
    assert pure_set(game, sol) == {E1}
    [e1] = [e for e in sol.equilibria if e.pure]
    assert e1.payoffs == (-8, 4, -4)
    # E2: t* = (c_us - m_us)/(n_us - e_us - m_us) = (2-1)/(8-3-1) = 1/4, b* = (10-6-2+3)/8 = 5/8, exactly.
    e2 = find_exact(sol, g1_e2(F(1, 4), F(5, 8)))
    assert e2.payoffs == (F(-11, 16), -3, -3)  # Appendix A: (-0.6875, -3, -3)
    # E3 (fully mixed), by hand: Russia's indifference gives b = (d+4)/(8d), the US's a = (5 - 2/d)/4,
    # and Europe's then reduces to 155 d^2 - 158 d + 24 = 0, whose root in (4/7, 1) is below.
    d = (158 + math.sqrt(158**2 - 4 * 155 * 24)) / 310
    a, b = (5 - 2 / d) / 4, (d + 4) / (8 * d)
    e3 = find_close(sol, ((d, 1 - d), (a, 1 - a), (b, 1 - b)))
    assert e3.float_profile()[0][0] == pytest.approx(0.8336, abs=5e-5)  # Appendix A: 0.8336, 0.6502, 0.7248
    assert e3.float_profile()[1][0] == pytest.approx(0.6502, abs=5e-5)
    assert e3.float_profile()[2][0] == pytest.approx(0.7248, abs=5e-5)
    # Payoffs: Europe = -(1-a) h_e, Russia = -a_r d, US = (1-a)(-h_us - d n_us).
    expected = (-(1 - a) * 8, -3 * d, (1 - a) * (-4 - 8 * d))
    assert [float(x) for x in e3.payoffs] == pytest.approx(expected, abs=1e-9)
    assert [float(x) for x in e3.payoffs] == pytest.approx([-2.7984, -2.5008, -3.732], abs=5e-4)


def test_g1_closed_forms_in_the_file():
    values = scenario(G1).parameter_values({})
    assert values["t_star"] == F(1, 4) and values["b_star"] == F(5, 8)
    assert values["e2_europe_gain"] == F(15, 2) - F(33, 8) - F(33, 16)  # SCENARIOS: 7.5 - 4.125 - 2.0625


@pytest.mark.parametrize("m_us, appears", [("1.9", False), ("2.1", True)])
def test_g1_pure_deterrence_needs_m_us_at_least_c_us(m_us, appears):
    """Threshold m_us = c_us = 2: (deploy, accept, backstop) with payoffs (7, -3, m_us - c_us) appears."""
    game, sol = solve(G1, method="pure", m_us=m_us)
    expected = {E1, ("deploy", "accept", "backstop")} if appears else {E1}
    assert pure_set(game, sol) == expected
    if appears:
        [e] = [e for e in sol.equilibria if game.profile_names(e.pure_profile)[0] == "deploy"]
        assert e.payoffs == (7, -3, F(1, 10))


# Claim 1: below each boundary E1 is the only equilibrium; above it Europe deploys in E2 at the
# closed-form (t*, b*) of the changed parameter.
CLAIM_1_BOUNDARIES = [
    # parameter, just below, just above, (t*, b*) above
    ("x_r", "4.9", "5.1", (F(1, 4), F(5) / F("5.1"))),  # x_r vs g_r - f_r - w_r + a_r = 5
    ("n_us", "7.0", "7.2", (F(1) / (F("7.2") - 4), F(5, 8))),  # n_us vs 7.11
    ("v_e", "8.2", "8.3", (F(1, 4), F(5, 8))),  # v_e vs 8.25
]


@pytest.mark.parametrize("name, below, above, stars", CLAIM_1_BOUNDARIES)
def test_claim_1_without_a_deterring_backstop_europe_holds(name, below, above, stars):
    game, sol = solve(G1, **{name: below})
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {E1}
    game, sol = solve(G1, **{name: above})
    assert E1 in pure_set(game, sol)
    find_exact(sol, g1_e2(*stars))


def test_claim_1_fails_for_a_war_weary_russia():
    """f_r > g_r - w_r + a_r = 11: Russia accepts even a force the US leaves alone."""
    game, sol = solve(G1, method="pure", f_r="10.9")
    assert ("deploy", "accept", "stay_out") not in pure_set(game, sol)
    for f_r in ("11.1", "12"):
        game, sol = solve(G1, f_r=f_r)
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("deploy", "accept", "stay_out")}
        assert sol.equilibria[0].payoffs == (4, -3, 0)


@pytest.mark.parametrize("f_r, holds", [("9.9", True), ("10.1", False)])
def test_claims_3_and_6_g1_russia_attacks_an_unguarded_ukraine_iff_g_r_above_f_r(f_r, holds):
    """Claim 3: 'legitimate targets' makes deployment hypothetical (E1 exists) iff g_r > f_r;
    claim 6: without a force Russia resumes the war iff g_r > f_r (g_r = 10)."""
    game, sol = solve(G1, f_r=f_r)
    assert (E1 in pure_set(game, sol)) is holds
    holding_and_attacked = [e for e in sol.equilibria if e.profile[0] == (0, 1) and e.profile[1] == (0, 1)]
    assert bool(holding_and_attacked) is holds


@pytest.mark.parametrize("s_us, deploys", [("0.14", False), ("0.16", True)])
def test_claim_19_g1_europe_needs_us_logistics(s_us, deploys):
    """Europe's gain at E2 is (1-t*) v_e - c_e (1 - s_us b*) - t* k_e (1 - r_us b*) = 3.75 s_us - 0.5625,
    which changes sign at s_us = 0.15 (t* = 1/4, b* = 5/8 do not depend on s_us)."""
    game, sol = solve(G1, s_us=s_us)
    if deploys:
        find_exact(sol, g1_e2(F(1, 4), F(5, 8)))
    else:
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {E1}


@pytest.mark.parametrize("w_r, symbolic", [("4.9", True), ("5.1", False)])
def test_claim_23_the_force_deters_only_through_the_us(w_r, symbolic):
    """With no US deterrence (x_r = 0) and g_r = 8, Russia accepts a force only if its own fighting
    cost w_r exceeds g_r - f_r + a_r = 5."""
    game, sol = solve(G1, x_r="0", g_r="8", w_r=w_r)
    if symbolic:
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {E1}
    else:
        assert ("deploy", "accept", "stay_out") in pure_set(game, sol)


# ============================================================ G2 force composition (2x2x3)
GS_FORCE = ("fund_only", "join", "target_nato")


def test_g2_defaults_reproduce_appendix_a():
    game, sol = solve(G2)
    assert len(sol.equilibria) == 1 and sol.complete
    assert pure_set(game, sol) == {GS_FORCE}
    assert sol.equilibria[0].payoffs == (8, 1, F(-1, 2))
    assert scenario(G2).parameter_values({})["phi_star"] == F(1, 4)


@pytest.mark.parametrize("x_us, tolerated", [("5.4", False), ("5.6", True)])
def test_claim_7_a_european_force_is_targeted_unless_the_us_backs_it(x_us, tolerated):
    """Russia consents to a European-only force iff x_us > g_r - f_r - w_eu + a_eu + q_r = 5.5."""
    game, sol = solve(G2, method="pure", x_us=x_us)
    european = ("send", "abstain", "accept_all")
    assert pure_set(game, sol) == ({GS_FORCE, european} if tolerated else {GS_FORCE})
    if tolerated:
        [e] = [e for e in sol.equilibria if game.profile_names(e.pure_profile) == european]
        assert e.payoffs == (6, 0, F(-7, 2))


def test_claim_8_a_global_south_force_is_safe_while_shooting_it_is_costly():
    """Tolerated iff s_gs >= g_r - f_r - w_gs + a_gs - d_r = 2.5."""
    game, sol = solve(G2, s_gs="2.6")
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {GS_FORCE}
    game, sol = solve(G2, s_gs="2.4")
    assert pure_set(game, sol) == set()
    # j* = d_r/(g_r - f_r - w_gs - s_gs + a_gs) = 1/1.1, y* = (p_g + phi c_g - c_g)/(p_g + k_g) = 1/11.
    j, y = F(1) / F("1.1"), F(1, 11)
    e = find_exact(sol, exact_profile((0, 1), (j, 1 - j), (0, 1 - y, y)))
    # Europe: j[(1-y)(v_e - phi c_g) + y(-phi c_g - h_e)] + (1-j)(-z_e); contributors indifferent (0);
    # Russia: its target_nato payoff j(-a_gs) + (1-j) z_r.
    europe = j * ((1 - y) * 8 + y * -10) + (1 - j) * -8
    assert e.payoffs == (europe, 0, j * F(-1, 2) + (1 - j) * 4)
    assert [float(x) for x in e.payoffs] == pytest.approx([5.06, 0, -0.09], abs=5e-3)


@pytest.mark.parametrize("phi, joins", [("0.24", False), ("0.26", True)])
def test_claim_9_contributors_need_eu_money(phi, joins):
    """Contributors join iff phi >= phi* = 1 - p_g/c_g = 0.25."""
    game, sol = solve(G2, phi=phi)
    assert len(sol.equilibria) == 1
    if joins:
        assert pure_set(game, sol) == {GS_FORCE}
        assert sol.equilibria[0].payoffs == (10 - F(phi) * 4, F(phi) * 4 - 1, F(-1, 2))
    else:
        assert pure_set(game, sol) == {("fund_only", "abstain", "target_nato")}
        assert sol.equilibria[0].payoffs == (-8, 0, 4)


def test_claim_10_the_force_need_not_be_large():
    """The Global South force is safe through s_gs, not through its firepower w_gs."""
    game, sol = solve(G2, method="pure", w_gs="0")  # no military cost at all: still tolerated
    assert pure_set(game, sol) == {GS_FORCE}
    # s_gs = 0: target_all against a GS force pays g_r - f_r - w_gs - d_r = 2 > -a_gs: no pure equilibrium.
    game, sol = solve(G2, method="pure", s_gs="0")
    assert pure_set(game, sol) == set()


def test_g2_mixed_force_needs_europe_to_value_its_presence():
    """(send, join, accept_all) is an equilibrium when i_e >= c_e and l_g <= p_g + phi c_g - c_g."""
    game, sol = solve(G2, method="pure", i_e="7", l_g="0")
    assert pure_set(game, sol) == {GS_FORCE, ("send", "join", "accept_all")}
    [e] = [e for e in sol.equilibria if game.profile_names(e.pure_profile)[0] == "send"]
    assert e.payoffs == (9, 1, -4)


# ============================================================ G3 guarantee menu (2x2 + West)
BLAME = {("hold_out", "settle"), ("sign", "fight_on")}
V_W = 6


def west(game, e):
    [w] = observer_payoffs(game, e.profile)
    return w


def peace_probability(e):
    return e.profile[0][0] * e.profile[1][0]


def test_g3_defaults_reproduce_appendix_a():
    game, sol = solve(G3, preset="art5_like")
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("sign", "settle")}
    assert sol.equilibria[0].payoffs == (1, F(12, 5)) and west(game, sol.equilibria[0]) == -2

    game, sol = solve(G3, preset="assurances")
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("hold_out", "settle")}
    assert sol.equilibria[0].payoffs == (-1, 1) and west(game, sol.equilibria[0]) == 0

    for game, sol in (solve(G3, preset="force_arms"), solve(G3)):  # force_arms is the default preset
        assert len(sol.equilibria) == 3 and pure_set(game, sol) == BLAME
        for e in sol.equilibria:
            if e.pure:
                assert west(game, e) == 0 and e.payoffs in {(-1, 1), (1, -1)}
        [m] = mixed(sol)
        assert m.profile == exact_profile((F(1, 2), F(1, 2)), (F(1, 3), F(2, 3)))
        assert m.payoffs == (F(-1, 3), F(-1, 2))
        assert peace_probability(m) == F(1, 6) and west(game, m) == F(1, 3)


@pytest.mark.parametrize("a_g, killer", [("7.9", False), ("8.1", True)])
def test_claim_11_force_plus_arms_is_a_deal_killer(a_g, killer):
    """Against a signing Ukraine Russia fights on iff a_g > p_r + (1 - kappa) o_r + b_r = 8 (kappa = 1/2)."""
    game, sol = solve(G3, preset="force_arms", a_g=a_g)
    if killer:
        assert pure_set(game, sol) == BLAME and len(sol.equilibria) == 3
    else:
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("hold_out", "settle")}


@pytest.mark.parametrize("kappa, blame_game", [("0.69", True), ("0.71", False)])
def test_claim_12_half_measures_satisfy_neither_side(kappa, blame_game):
    """Blame game while kappa < kappa_U = 1 - (p_u - l_u + b_u)/r_u = 0.7 and a_g > a_R(kappa)."""
    game, sol = solve(G3, preset="force_arms", kappa=kappa)
    if blame_game:
        assert pure_set(game, sol) == BLAME and len(sol.equilibria) == 3
        # P(sign) = b_r/(a_g - p_r - (1-kappa) o_r), P(settle) = b_u/((1-kappa) r_u - p_u + l_u)
        k = F(kappa)
        p_sign, p_settle = 1 / (9 - 5 - (1 - k) * 4), 1 / ((1 - k) * 10 - 6 + 4)
        find_exact(sol, exact_profile((p_sign, 1 - p_sign), (p_settle, 1 - p_settle)))
    else:  # Kyiv is satisfied and signs, Moscow still refuses
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("sign", "fight_on")}


def test_claim_12_peace_at_most_one_in_six_under_force_arms():
    _game, sol = solve(G3)
    assert max(peace_probability(e) for e in sol.equilibria) == F(1, 6)


@pytest.mark.parametrize("a_g, peace", [("6.3", True), ("6.5", False)])
def test_claim_13_moscow_settles_under_a_real_guarantee(a_g, peace):
    """art5_like (kappa = 0.9): Russia settles iff a_g < p_r + 0.1 o_r + b_r = 6.4."""
    game, sol = solve(G3, preset="art5_like", a_g=a_g)
    assert len(sol.equilibria) == 1
    assert pure_set(game, sol) == ({("sign", "settle")} if peace else {("sign", "fight_on")})


@pytest.mark.parametrize("c_w, offers_art5", [("5.6", True), ("6.1", False)])
def test_claim_14_the_west_will_not_pay_for_an_article_5_guarantee(c_w, offers_art5):
    """Stage 1: W(art5_like) = v_w - c_w against W(force_arms) in {0, 1/3}; the flip lies between
    c_w = 17/3 (beats even the mixed outcome) and 6 (loses even to the pure ones)."""
    game, sol = solve(G3, preset="art5_like", c_w=c_w)
    [e] = sol.equilibria
    art5_value = west(game, e)
    assert peace_probability(e) == 1 and art5_value == V_W - F(c_w)
    fa_game, fa_sol = solve(G3, preset="force_arms")
    force_arms_values = {west(fa_game, x) for x in fa_sol.equilibria}
    assert force_arms_values == {0, F(1, 3)}
    if offers_art5:
        assert art5_value > max(force_arms_values)
    else:  # as at the preset's own c_w = 8, where art5_like is worth -2 to the West
        assert art5_value < min(force_arms_values)


@pytest.mark.parametrize("kappa, signs", [("0.69", False), ("0.71", True)])
def test_claim_15_guarantees_come_before_concessions(kappa, signs):
    """With a_g = 6 Russia settles for any kappa here (a_R(kappa) > 7); Ukraine signs iff kappa > 0.7."""
    game, sol = solve(G3, preset="force_arms", a_g="6", kappa=kappa)
    assert len(sol.equilibria) == 1
    assert pure_set(game, sol) == ({("sign", "settle")} if signs else {("hold_out", "settle")})


def test_claim_15_fails_for_a_less_exposed_ukraine():
    """r_u = 9 lowers the bar to 1 - 3/9 = 2/3 < 0.69: Ukraine now signs."""
    game, sol = solve(G3, preset="force_arms", a_g="6", kappa="0.69", r_u="9")
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("sign", "settle")}


# ============================================================ G5 force generation (5 players)
C, A = "commit", "abstain"
NOBODY = (A, A, A, A, A)
COALITIONS_40 = {(C, C, C, C, A), (C, C, C, A, C), (C, C, A, C, C)}
COST = {"fr": F(7), "uk": F(7), "de": F("7.2"), "pl": F("9.2"), "it": F("4.6")}  # cost_k*p_i + d_i
VALUE = {"fr": 10, "uk": 10, "de": 8, "pl": 12, "it": 6}
STATES = ("fr", "uk", "de", "pl", "it")


def test_g5_defaults_pure_equilibria_appendix_a():
    game, sol = solve(G5, method="pure")
    assert pure_set(game, sol) == COALITIONS_40 | {NOBODY}
    payoffs = {game.profile_names(e.pure_profile): e.payoffs for e in sol.equilibria}
    assert payoffs[(C, C, C, C, A)] == (3, 3, F("0.8"), F("2.8"), 6)
    assert payoffs[(C, C, C, A, C)] == (3, 3, F("0.8"), 12, F("1.4"))
    assert payoffs[(C, C, A, C, C)] == (3, 3, 8, F("2.8"), F("1.4"))
    assert payoffs[NOBODY] == (0, 0, 0, 0, 0)


@pytest.mark.slow
def test_g5_defaults_mixed_equilibria_appendix_a():
    """In each mixed equilibrium one swing state abstains and the four others must all commit for
    the force to form, so a mixer i is indifferent iff v_i * prod_{j != i} q_j = cost_i. With
    P = prod q_j and c_i = cost_i/v_i this gives q_i = P/c_i and P^3 = prod c_i."""
    game, sol = solve(G5)
    assert pure_set(game, sol) == COALITIONS_40 | {NOBODY}
    # 4 pure + these 3 mixed, and nothing else: the support where all five mix has no solution inside
    # the simplices (certified subdivision; a root search from 3,000 random starts agrees).
    assert len(sol.equilibria) == 7 and sol.complete
    for idle, force_prob in (("it", 0.697), ("pl", 0.697), ("de", 0.660)):
        mixers = [s for s in STATES if s != idle]
        ratios = {s: float(COST[s] / VALUE[s]) for s in mixers}
        p = math.prod(ratios.values()) ** (1 / 3)
        assert p == pytest.approx(force_prob, abs=1e-3)
        q = {s: p / ratios[s] for s in mixers} | {idle: 0.0}
        e = find_close(sol, tuple((q[s], 1 - q[s]) for s in STATES), tol=1e-7)
        expected = tuple(VALUE[s] * p if s == idle else 0.0 for s in STATES)
        assert [float(x) for x in e.payoffs] == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize("k_req, expected", [("50", {(C, C, C, C, C), NOBODY}), ("51", {NOBODY})])
def test_claim_16_requirement_above_all_pledges_means_nobody_commits(k_req, expected):
    """All five pledges total 50 thousand: at k_req = 50 all five committing works, above it nothing does."""
    game, sol = solve(G5, method="pure", k_req=k_req)
    assert pure_set(game, sol) == expected


@pytest.mark.parametrize("k_req", ["100", "150"])
def test_claim_16_the_articles_requirements_are_infeasible(k_req):
    game, sol = solve(G5, k_req=k_req)
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {NOBODY}


def test_claim_17_forty_thousand_needs_will():
    """d_i <= v_i - cost_k p_i is Germany's 4.8 and Poland's 8.8; above both only 'nobody' is left."""
    game, sol = solve(G5, method="pure", d_de="4.7", d_pl="8.7")
    assert pure_set(game, sol) == COALITIONS_40 | {NOBODY}
    game, sol = solve(G5, d_de="4.9", d_pl="8.9")
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {NOBODY}


@pytest.mark.parametrize(
    "values, coalitions",
    [
        ({"d_de": "4.7"}, COALITIONS_40),
        ({"d_de": "4.9"}, {(C, C, A, C, C)}),  # Germany never commits: only FR, UK, PL, IT (42k)
        ({"d_pl": "8.7"}, COALITIONS_40),
        ({"d_pl": "8.9"}, {(C, C, C, A, C)}),  # Poland never commits: only FR, UK, DE, IT (42k)
    ],
)
def test_claim_18_germany_and_poland_as_free_riders(values, coalitions):
    game, sol = solve(G5, method="pure", **values)
    assert pure_set(game, sol) == coalitions | {NOBODY}


@pytest.mark.parametrize("us_credit, enough", [("9.9", False), ("10", True)])
def test_claim_19_g5_us_enablers_substitute_for_troops(us_credit, enough):
    """France and the UK pledge 30 thousand: with us_credit >= 10 they reach k_req = 40 alone."""
    game, sol = solve(G5, method="pure", us_credit=us_credit)
    assert ((C, C, A, A, A) in pure_set(game, sol)) is enough


# ============================================================ G6 uncertain resolve (2x4)
DEPLOY_TA = ("deploy", "TA")
HOLD_TT = ("hold", "TT")


def test_g6_defaults_reproduce_appendix_a():
    game, sol = solve(G6)
    assert len(sol.equilibria) == 3 and pure_set(game, sol) == {DEPLOY_TA, HOLD_TT}
    payoffs = {game.profile_names(e.pure_profile): e.payoffs for e in sol.equilibria if e.pure}
    assert payoffs == {DEPLOY_TA: (F(1, 10), -2), HOLD_TT: (-8, F(12, 5))}
    # Mixed: d* = (g_opp - f_r)/(w_r + pi_us x_r - a_r) = 1/3; the opportunist targets with
    # (mu* - mu_res)/(1 - mu_res), mu* = (v_e - c_e(1 - s_us pi_us))/(v_e + k_e(1 - r_us pi_us)) = 11/38.
    mu_star, mu = F(11, 38), F(1, 5)
    tt = (mu_star - mu) / (1 - mu)
    e = find_exact(sol, exact_profile((F(1, 3), F(2, 3)), (0, 0, 1 - tt, tt)))
    # Europe is indifferent, so it earns its hold payoff -h_e against TT and -mu h_e against TA;
    # Russia (mixing) earns its TA payoff d(-2) + (1-d) mu (g_res - f_r).
    assert e.payoffs == ((1 - tt) * F(-8, 5) + tt * -8, F(1, 3) * -2 + F(2, 3) * F(8, 5))
    assert [float(x) for x in e.payoffs] == pytest.approx([-2.3158, 0.4], abs=5e-5)


@pytest.mark.parametrize(
    "values, tested",
    [
        ({"pi_us": "0.24"}, True),  # pi_us < pi* = (g_opp - f_r - w_r + a_r)/x_r = 1/4
        ({"pi_us": "0.26"}, False),
        ({"mu_res": "0.30"}, True),  # mu_res > mu*(1/2) = 11/38 = 0.289
        ({"mu_res": "0.28"}, False),
        ({"pi_us": "1", "mu_res": "0.44"}, True),  # mu*(1) = (10 - 3)/(10 + 6) = 7/16 = 0.4375
        ({"pi_us": "1", "mu_res": "0.43"}, False),
    ],
)
def test_claim_20_russia_tests_any_guarantee(values, tested):
    game, sol = solve(G6, **values)
    if tested:  # the opportunist would test a deployed force, or Europe fears the resolved type: hold
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {HOLD_TT}
    else:
        assert len(sol.equilibria) == 3 and pure_set(game, sol) == {DEPLOY_TA, HOLD_TT}


@pytest.mark.parametrize("g_opp, attacks", [("5.9", False), ("6.1", True)])
def test_claim_6_g6_even_the_opportunist_attacks_an_unguarded_ukraine(g_opp, attacks):
    """The opportunist resumes the war against an undefended Ukraine iff g_opp > f_r = 6."""
    game, sol = solve(G6, g_opp=g_opp)
    if attacks:
        assert pure_set(game, sol) == {DEPLOY_TA, HOLD_TT}
        d = (F(g_opp) - 6) / (2 + 4 - 3)  # d* = (g_opp - f_r)/(w_r + pi_us x_r - a_r)
        assert any(e.profile[0] == (d, 1 - d) for e in mixed(sol))
    else:
        assert len(sol.equilibria) == 1 and pure_set(game, sol) == {DEPLOY_TA}


# ============================================================ classics (textbook answers)
def classic(name: str, **values: str):
    return solve(f"classics/{name}.json", **values)


def test_prisoners_dilemma_unique_mutual_defection():
    game, sol = classic("prisoners_dilemma")  # Osborne 2004, section 2.2
    assert len(sol.equilibria) == 1 and pure_set(game, sol) == {("defect", "defect")}
    assert sol.equilibria[0].payoffs == (1, 1)


@pytest.mark.parametrize(
    "name, pure, mix, mixed_payoffs",
    [
        # hawk-dove, v = 4, c = 6: hawk with probability v/c, payoff (1 - v/c) v/2
        ("chicken", {("hawk", "dove"), ("dove", "hawk")}, ((F(2, 3), F(1, 3)), (F(2, 3), F(1, 3))), (F(2, 3), F(2, 3))),
        # stag hunt, stag = 4, hare = 3: stag with probability hare/stag, payoff hare
        ("stag_hunt", {("stag", "stag"), ("hare", "hare")}, ((F(3, 4), F(1, 4)), (F(3, 4), F(1, 4))), (3, 3)),
        # Bach or Stravinsky (2, 1): player 1 Bach w.p. 2/3, player 2 w.p. 1/3, payoffs 2/3 each
        (
            "battle_of_the_sexes",
            {("bach", "bach"), ("stravinsky", "stravinsky")},
            ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            (F(2, 3), F(2, 3)),
        ),
    ],
)
def test_two_by_two_classics(name, pure, mix, mixed_payoffs):
    game, sol = classic(name)
    assert len(sol.equilibria) == 3 and pure_set(game, sol) == pure
    [m] = mixed(sol)
    assert m.profile == mix and m.payoffs == mixed_payoffs


@pytest.mark.parametrize("x, mismatcher_heads", [("1", F(1, 2)), ("5", F(1, 4))])
def test_matching_pennies_own_payoff_effect(x, mismatcher_heads):
    """Matcher heads 1/2 whatever x; mismatcher heads 2/(x + 3) (Goeree and Holt 2001)."""
    _game, sol = classic("matching_pennies", x=x)
    [e] = sol.equilibria
    assert e.profile == exact_profile((F(1, 2), F(1, 2)), (mismatcher_heads, 1 - mismatcher_heads))
    assert e.payoffs[0] == (F(x) - 1) / (F(x) + 3)


@pytest.mark.parametrize("win, loss", [("1", "1"), ("2", "1")])
def test_rock_paper_scissors_uniform(win, loss):
    _game, sol = classic("rock_paper_scissors", win=win, loss=loss)
    [e] = sol.equilibria
    third = (F(1, 3),) * 3
    assert e.profile == (third, third)
    assert e.payoffs == ((F(win) - F(loss)) / 3,) * 2


def test_entry_deterrence_noncredible_threat_component():
    """(enter, accommodate); and stay_out with fight probability >= duopoly/(duopoly - war) = 1/2,
    one connected set whose extreme points are fight = 1 and fight = 1/2."""
    game, sol = classic("entry_deterrence_normal")
    assert pure_set(game, sol) == {("enter", "accommodate"), ("stay_out", "fight")}
    half = find_exact(sol, exact_profile((0, 1), (F(1, 2), F(1, 2))))
    [fight] = [e for e in sol.equilibria if e.pure and game.profile_names(e.pure_profile) == ("stay_out", "fight")]
    assert half.component == fight.component
    assert half.payoffs == (0, 2)
    assert all(e.profile[1][0] >= F(1, 2) for e in sol.equilibria if e.profile[0] == (0, 1))


def test_volunteers_dilemma_seven_equilibria():
    """Osborne 2004 ch. 4 / Diekmann 1985 with v = 4, c = 1: three single callers; three with one idle
    witness and two ignoring w.p. c/v = 1/4; one symmetric, each ignoring w.p. sqrt(c/v) = 1/2."""
    game, sol = classic("volunteers_dilemma")
    assert len(sol.equilibria) == 7
    singles = {("call", "ignore", "ignore"), ("ignore", "call", "ignore"), ("ignore", "ignore", "call")}
    assert pure_set(game, sol) == singles
    idle, half = (F(0), F(1)), (F(1, 2), F(1, 2))
    mix = (F(3, 4), F(1, 4))  # call w.p. 1 - c/v
    for k in range(3):
        profile = tuple(idle if i == k else mix for i in range(3))
        e = find_exact(sol, profile)
        assert e.payoffs == tuple(F(15, 4) if i == k else 3 for i in range(3))
    assert find_exact(sol, (half, half, half)).payoffs == (3, 3, 3)


# ============================================================ cross-check with Gambit
GAMBIT_CASES = [
    (G1, None),
    (G2, None),
    (G3, "art5_like"),
    (G3, "force_arms"),
    (G3, "assurances"),
    (G6, None),
    ("classics/volunteers_dilemma.json", None),
]


@pytest.mark.slow
@pytest.mark.gambit
@pytest.mark.parametrize("name, preset", GAMBIT_CASES)
def test_defaults_agree_with_pygambit(name, preset):
    """Gambit's enummixed (2 players) or enumpoly (3 players) finds the same equilibria at the defaults."""
    gbt = pytest.importorskip("pygambit")
    import numpy as np

    game = bind(name, preset)
    gambit_game = gbt.Game.from_arrays(*[np.array(game.payoffs[i], dtype=object) for i in range(game.num_players)])
    if game.num_players == 2:
        result = gbt.nash.enummixed_solve(gambit_game, rational=True)
    else:
        result = gbt.nash.enumpoly_solve(gambit_game, use_strategic=True)
    theirs = [tuple(tuple(float(eq[s]) for s in p.strategies) for p in gambit_game.players) for eq in result.equilibria]
    sol = gt.solve(game)
    assert len(sol.equilibria) == len(theirs)
    for profile in theirs:
        find_close(sol, profile, tol=1e-6)
