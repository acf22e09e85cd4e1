"""Exact thresholds, conditions and comparative statics against SCENARIOS.md's hand-derived answers.

Every expected value below is computed here from the closed forms in
SCENARIOS.md (sections 2 and 4), not copied from this code's output.
"""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
import sympy as sp
from click.testing import CliRunner

import gametheory as gt
import gametheory.certify
from gametheory.sensitivity import (
    analyse,
    comparative_statics,
    conditions,
    family_label,
    regime_label,
    thresholds,
)
from gametheory.sensitivity.labels import combine, label_count
from gametheory.sensitivity.thresholds import simplest_between
from tests.support import GAMES

G1 = "deterrence.json"
G2 = "force_composition.json"
G3 = "guarantee_menu.json"

E1 = "pure(hold,target,stay_out)"
E2 = "mixed(deploy|accept,target|backstop,stay_out)"


@pytest.fixture(scope="module")
def g2():
    return gt.load(GAMES / G2)


def _only(result, value: float):
    """The threshold of ``result`` within 1e-9 of ``value`` (exactly one must exist)."""
    hits = [t for t in result.thresholds if abs(t.value - value) < 1e-9]
    assert len(hits) == 1, [t.value for t in result.thresholds]
    return hits[0]


def _exact(th):
    return sp.nsimplify(th.exact)


def _families(label: str) -> list[str]:
    return label.split(" + ")


# --------------------------------------------------------------- labels
def test_labels_are_canonical_and_count_equilibria():
    strategies = (("a", "b"), ("x", "y"))
    mixed = ((0, 1), (0, 1))
    pure = ((1,), (0,))
    assert family_label(strategies, pure) == "pure(b,x)"
    assert family_label(strategies, mixed) == "mixed(a,b|x,y)"
    # order of arrival does not matter; pure comes before mixed; repeats are counted
    assert combine(strategies, [mixed, pure, mixed]) == "pure(b,x) + 2*mixed(a,b|x,y)"
    assert label_count("pure(b,x) + 2*mixed(a,b|x,y)") == 3
    assert combine(strategies, []) == "none"


def test_regime_label_of_battle_of_the_sexes_from_the_solver():
    game = gt.NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], strategies=[["o", "f"], ["o", "f"]])
    assert regime_label(gt.solve(game)) == "pure(o,o) + pure(f,f) + mixed(o,f|o,f)"


def test_simplest_rational_between():
    assert simplest_between(F(7, 2), F(9, 2)) == 4
    assert simplest_between(F(1, 3), F(1, 2)) == F(2, 5)
    assert simplest_between(F(5), F(334, 47)) == 6
    assert simplest_between(F(-5, 2), F(-1, 3)) == -1
    x = simplest_between(F(7106, 1000), F(7107, 1000))
    assert F(7106, 1000) < x < F(7107, 1000)


# ----------------------------------------------------------- G1 closed forms
def test_g1_e2_closed_form_matches_scenarios(g1):
    """t* = (c_us - m_us)/(n_us - e_us - m_us), b* = (g_r - f_r - w_r + a_r)/x_r, every parameter symbolic."""
    support = ((0,), (0, 1), (0, 1))
    fs = analyse(g1, tuple(sorted(g1.used_parameters)), g1.parameter_values(), supports=[support])
    s = fs.symbols
    e2 = fs.family(E2)
    target = e2.probabilities[1][1]
    backstop = e2.probabilities[2][0]
    assert sp.simplify(target - (s["c_us"] - s["m_us"]) / (s["n_us"] - s["e_us"] - s["m_us"])) == 0
    assert sp.simplify(backstop - (s["g_r"] - s["f_r"] - s["w_r"] + s["a_r"]) / s["x_r"]) == 0


def test_g1_pure_deterrence_condition_is_m_us_at_least_c_us(g1):
    reports, _ = conditions(g1)
    deterrence = next(r for r in reports if r.label == "pure(deploy,accept,backstop)")
    assert "m_us >= c_us" in deterrence.conditions
    assert deterrence.holds is False  # m_us = 1 < c_us = 2 at the defaults
    e1 = next(r for r in reports if r.label == E1)
    assert e1.holds is True and "g_r >= f_r" in e1.conditions


# ------------------------------------------------------------- G1 thresholds
def test_g1_x_r_threshold_is_5(g1):
    result = thresholds(g1, "x_r")
    th = _only(result, 5.0)
    assert _exact(th) == 5
    # x_r = g_r - f_r - w_r + a_r, as a relation in the other parameters
    s = {k: sp.Symbol(k) for k in ("g_r", "f_r", "w_r", "a_r")}
    assert sp.simplify(sp.sympify(th.symbolic, locals=s) - (s["g_r"] - s["f_r"] - s["w_r"] + s["a_r"])) == 0
    # below: E1 is unique (SCENARIOS.md, checked at 4.9); above: E2 exists
    assert th.below_label == E1
    assert E2 in _families(th.above_label) and E1 in _families(th.above_label)


def test_g1_m_us_threshold_is_c_us(g1):
    th = _only(thresholds(g1, "m_us"), 2.0)
    assert _exact(th) == 2 and th.symbolic == "c_us"
    # above: the pure deterrence equilibrium appears alongside E1
    assert "pure(deploy,accept,backstop)" in _families(th.above_label)
    assert "pure(deploy,accept,backstop)" not in _families(th.below_label)
    assert E1 in _families(th.above_label)


def test_g1_n_us_threshold_is_the_closed_form(g1):
    """n_us >= e_us + m_us + (c_us - m_us)/tau_E with tau_E from SCENARIOS.md, about 7.106."""
    v_e, c_e, s_us, k_e, r_us = 10, 6, F(1, 2), 12, F(1, 2)
    c_us, m_us, e_us = 2, 1, 3
    b_star = F(10 - 6 - 2 + 3, 8)
    tau = (v_e - c_e * (1 - s_us * b_star)) / (v_e + k_e * (1 - r_us * b_star))
    expected = e_us + m_us + (c_us - m_us) / tau
    th = _only(thresholds(g1, "n_us", symbolic=False), float(expected))
    assert abs(th.value - 7.106) < 1e-3
    exact = _exact(th)
    assert abs(float(exact) - float(expected)) < 1e-9
    assert exact.is_algebraic and sp.minimal_polynomial(exact, sp.Symbol("x")).is_polynomial()
    assert th.below_label == E1  # 7.0 -> E1 only
    assert len(_families(th.above_label)) == 3  # 7.2 -> E1, E2, E3


def test_g1_v_e_threshold_is_33_over_4(g1):
    th = _only(thresholds(g1, "v_e", symbolic=False), 8.25)
    assert _exact(th) == sp.Rational(33, 4)
    assert th.below_label == E1
    assert len(_families(th.above_label)) == 3


# ------------------------------------------------------------- G2 thresholds
def test_g2_phi_threshold_is_one_quarter(g2):
    th = _only(thresholds(g2, "phi", symbolic=False), 0.25)  # phi* = 1 - p_g/c_g = 1 - 3/4
    assert _exact(th) == sp.Rational(1, 4)
    assert th.below_label == "pure(fund_only,abstain,target_nato)"
    assert th.above_label == "pure(fund_only,join,target_nato)"


def test_g2_s_gs_threshold_is_5_over_2(g2):
    th = _only(thresholds(g2, "s_gs", symbolic=False), 2.5)  # s* = g_r - f_r - w_gs + a_gs - d_r
    assert _exact(th) == sp.Rational(5, 2)
    # below: no pure equilibrium, the Global South joins only probabilistically
    assert not any(f.startswith("pure(") for f in _families(th.below_label))
    assert th.above_label == "pure(fund_only,join,target_nato)"
    mixed = th.below.equilibria
    assert len(mixed) == 1
    # j* = d_r/(g_r - f_r - w_gs - s_gs + a_gs) and y* = (p_g + phi*c_g - c_g)/(p_g + k_g) = 1/11
    s_gs = float(th.below.game.parameters["s_gs"])
    j_star = 1 / (10 - 6 - 1 - s_gs + 0.5)
    gs, russia = mixed[0].profile[1], mixed[0].profile[2]
    assert float(gs[0]) == pytest.approx(j_star)
    assert float(russia[2]) == pytest.approx(1 / 11)


def test_g2_x_us_threshold_is_11_over_2(g2):
    th = _only(thresholds(g2, "x_us"), 5.5)  # g_r - f_r - w_eu + a_eu + q_r
    assert _exact(th) == sp.Rational(11, 2)
    assert "pure(send,abstain,accept_all)" in _families(th.above_label)
    assert "pure(send,abstain,accept_all)" not in _families(th.below_label)
    # SCENARIOS.md lists two mixed equilibria above (from Gambit's enumpoly at 5.6); the exact
    # solver finds a third (certified below, independently of how it was found)
    above = _families(th.above_label)
    assert sum(f.startswith("mixed(") for f in above) >= 2
    for eq in th.above.equilibria:
        assert gt.certify.certify(th.above.game, eq.profile).ok


# ------------------------------------------------------------- G3 thresholds
def test_g3_kappa_threshold_is_7_over_10(g3):
    th = _only(thresholds(g3, "kappa", preset="force_arms", symbolic=False), 0.7)  # 1 - (p_u - l_u + b_u)/r_u
    assert _exact(th) == sp.Rational(7, 10)
    assert th.below_label == "pure(sign,fight_on) + pure(hold_out,settle) + mixed(sign,hold_out|settle,fight_on)"
    assert th.above_label == "pure(sign,fight_on)"


def test_g3_a_g_threshold_is_8(g3):
    th = _only(thresholds(g3, "a_g", preset="force_arms"), 8.0)  # p_r + (1 - kappa)*o_r + b_r
    assert _exact(th) == 8
    assert th.below_label == "pure(hold_out,settle)"
    assert len(_families(th.above_label)) == 3  # the blame game
    s = {k: sp.Symbol(k) for k in ("p_r", "kappa", "o_r", "b_r")}
    expected = s["p_r"] + (1 - s["kappa"]) * s["o_r"] + s["b_r"]
    assert sp.simplify(sp.sympify(th.symbolic, locals=s) - expected) == 0


def test_g3_blame_game_mixture_matches_closed_form(g3):
    """P(sign) = b_r/(a_g - p_r - (1-kappa) o_r) = 1/2 and P(settle) = b_u/((1-kappa) r_u - p_u + l_u) = 1/3."""
    fs = analyse(g3, ("kappa", "a_g"), g3.parameter_values(preset="force_arms"))
    fam = fs.family("mixed(sign,hold_out|settle,fight_on)")
    at = {fs.symbols["kappa"]: sp.Rational(1, 2), fs.symbols["a_g"]: 9}
    assert fam.probabilities[0][0].subs(at) == sp.Rational(1, 2)
    assert fam.probabilities[1][0].subs(at) == sp.Rational(1, 3)


# -------------------------------------------------------- comparative statics
def test_g1_e2_comparative_statics_signs(g1):
    derivs = comparative_statics(g1, parameters=("n_us", "x_r", "c_us", "m_us", "e_us", "h_us"))
    e2 = [d for d in derivs if d.equilibrium == E2 and d.quantity == "probability"]

    def sign(player, strategy, parameter):
        return next(d.sign for d in e2 if (d.player, d.strategy, d.parameter) == (player, strategy, parameter))

    # Russia's probing rate t* falls in n_us and does not depend on x_r
    assert sign("Russia", "target", "n_us") == "-"
    assert sign("Russia", "target", "x_r") == "0"
    assert sign("Russia", "target", "c_us") == "+"
    assert sign("Russia", "target", "m_us") == "-"
    # the backstop rate b* falls in x_r and does not depend on any US payoff
    assert sign("US", "backstop", "x_r") == "-"
    for parameter in ("n_us", "c_us", "m_us", "e_us", "h_us"):
        assert sign("US", "backstop", parameter) == "0"
    exact = next(d for d in e2 if (d.player, d.strategy, d.parameter) == ("Russia", "target", "n_us"))
    assert sp.Rational(exact.exact) == -sp.Rational(1, 16)  # -(c_us - m_us)/(n_us - e_us - m_us)**2


# ----------------------------------------------------------------------- CLI
def _app():
    from gametheory.cli import app
    from gametheory.cli.sensitivity import sensitivity, sweep

    if "sensitivity" not in app.commands:
        app.add_command(sensitivity)
    if "sweep" not in app.commands:
        app.add_command(sweep)
    return app


def test_cli_sensitivity_json_contract():
    result = CliRunner().invoke(
        _app(), ["sensitivity", str(GAMES / G1), "--param", "x_r", "--format", "json", "--no-conditions"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    th = next(t for t in data["thresholds"] if t["parameter"] == "x_r" and t["exact"] == "5")
    assert th["value"] == 5.0
    assert all(not e["pure"] or e["strategies"]["Europe"]["hold"] == 1.0 for e in th["below"])
    assert len(th["below"]) == 1 and len(th["above"]) == 3
    assert {"strategies", "payoffs", "pure", "certified"} <= set(th["above"][0])
    assert data["intervals"] and data["comparative_statics"]


def test_cli_sensitivity_text_sentence():
    result = CliRunner().invoke(_app(), ["sensitivity", str(GAMES / G1), "--param", "m_us", "--no-conditions"])
    assert result.exit_code == 0, result.output
    assert "At m_us = 2 (= c_us) the equilibrium set changes:" in result.stdout


def test_cli_sensitivity_unknown_parameter_is_exit_2():
    result = CliRunner().invoke(_app(), ["sensitivity", str(GAMES / G1), "--param", "x_rr"])
    assert result.exit_code == 2
    assert "x_r" in result.stderr and "Traceback" not in result.output


def test_cli_sensitivity_of_a_normal_form_has_no_subgame_perfect_part():
    # the normal form of the entry-deterrence tree: nothing to be subgame perfect about, so the
    # JSON has no "spe_thresholds" key at all (a tree without thresholds has an empty list) and
    # the text no such section (tests/test_claims_trees.py covers the trees)
    args = [
        "sensitivity",
        str(GAMES / "classics" / "entry_deterrence_normal.json"),
        "--param",
        "war",
        "--no-conditions",
    ]
    result = CliRunner().invoke(_app(), [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "spe_thresholds" not in json.loads(result.stdout)
    text = CliRunner().invoke(_app(), args).stdout
    assert "Thresholds (one parameter at a time, the others held at these values):" in text
    assert "subgame-perfect" not in text.lower()


def test_fallback_scan_reports_a_threshold_on_its_grid_once(tmp_path):
    """Piecewise payoffs (no closed forms): the scan's sample x = 5 is a tie (a continuum of equilibria there).

    Row gains x - 5 from "go" whatever the column does (written with max, so algebra declines): below 5 the
    row stays, above 5 it goes, at exactly 5 it is indifferent. The 21-point scan of [0, 20] samples 5 itself.
    """
    data = {
        "format": "gametheory-scenario/1",
        "title": "A tie on the scan's grid",
        "players": [
            {"name": "Row", "strategies": [{"name": "go"}, {"name": "stay"}]},
            {"name": "Col", "strategies": [{"name": "left"}, {"name": "right"}]},
        ],
        "parameters": {"x": {"default": 8, "range": [0, 20]}},
        "matrix": [[["max(x - 5, -100)", 1], ["max(x - 5, -100)", 0]], [[0, 1], [0, 0]]],
    }
    path = tmp_path / "tie.json"
    path.write_text(json.dumps(data))
    result = thresholds(gt.load(path), "x")
    assert not result.exact and [t.value for t in result.thresholds] == [5.0]
    (t,) = result.thresholds
    assert t.exact == "5" and t.below_label == "pure(stay,left)" and t.above_label == "pure(go,left)"
    assert t.at_label is not None and "continuum(" in t.at_label
    assert [(i.low, i.high) for i in result.intervals] == [(0.0, 5.0), (5.0, 20.0)]
