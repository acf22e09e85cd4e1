"""The articles' claims on the game trees (G4 ``sequencing``, G7 ``legal_route``), on both
sides of their thresholds, and the trees' results in SCENARIOS.md Appendix A.

Expected answers come from SCENARIOS.md: the leaf tables, the backward-induction
steps written out for G4 and G7, Appendix A, and the closed-form thresholds
(``n_us + pledge_us > c_us + e_us``, ``x_r > g_r - f_r - w_r + a_r``,
``y_r > g_r - f_r + a_r``, ``f_r > 11``, ``f_r >= 13``; ``x_us > 5``,
``p_lob > 0.125``, ``s_gs > 4``, ``lob_r < 1.5``, ``z_r < nu_veto - a_un``),
evaluated by hand at the values of each test. Nothing here is copied from the
program's output.
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.report.tree import violation_better, violation_moves, violation_where
from gametheory.scenario import scenario_values
from gametheory.sensitivity.spe import spe_thresholds
from gametheory.solvers.trees import analyse_tree

F = Fraction
GAMES = Path(__file__).resolve().parent.parent / "games"
G4 = "sequencing.json"
G7 = "legal_route.json"


@cache
def scenario(name: str) -> gt.Scenario:
    return gt.load(GAMES / name)


def analyse(name: str, **values: str):
    sc = scenario(name)
    game = sc.bind({k: F(v) for k, v in values.items()})
    return game, analyse_tree(sc.extensive, scenario_values(sc, game.parameters), game)


def spe_outcomes(analysis) -> set[tuple[tuple[str, ...], tuple]]:
    """(path, payoffs) of every subgame-perfect equilibrium."""
    return {(tuple(st.action for st in s.path), tuple(s.payoffs)) for s in analysis.spe}


def pure_nash(game, analysis) -> dict[tuple[str, ...], object]:
    return {game.profile_names(p): v for p, v in zip(analysis.pure_nash, analysis.pure_verdicts)}


def noncredible(analysis, verdict) -> set[tuple[str, str, str]]:
    """(player, moves, where) of each non-credible move a verdict names, in the words reports use."""
    tree = analysis.tree
    return {(v.player, violation_moves(tree, v), violation_where(tree, v)) for v in verdict.noncredible}


def spe_move(game, analysis, player: str, plan_position: int) -> str:
    """The action of ``player``'s plan at its ``plan_position``-th information set in the (unique) SPE."""
    [spe] = analysis.spe
    i = game.players.index(player)
    plan = game.strategies[i][spe.pure_profile[i]]
    return plan.split("/")[plan_position]


# ----------------------------------------------------------------------------- G4 at the defaults
def test_g4_defaults_appendix_a():
    game, a = analyse(G4)
    assert spe_outcomes(a) == {(("cf_first", "refuse"), (-8, 4, -4))}
    assert a.complete
    nash = pure_nash(game, a)
    assert len(nash) == 14
    assert sum(v.subgame_perfect for v in nash.values()) == 1
    deploying = {k: v for k, v in nash.items() if k[0] == "deploy_first"}
    assert len(deploying) == 6
    for profile, verdict in deploying.items():
        assert tuple(game.payoffs[(slice(None), *(game.strategies[i].index(s) for i, s in enumerate(profile)))]) == (
            4,
            -3,
            0,
        )
        assert verdict.subgame_perfect is False
        # the US's threat to intervene after a force sent first is hit: -9 < -8 for abstaining
        assert noncredible(a, verdict) == {("US", "intervene", "after deploy_first/target")}
        [move] = verdict.noncredible
        assert (move.payoff, move.better_payoff, violation_better(a.tree, move)) == (-9, -8, "abstain")
    others = [v for k, v in nash.items() if k[0] == "cf_first" and not v.subgame_perfect]
    assert len(others) == 7
    assert all(v.subgame_perfect is False and not v.noncredible and v.violations for v in others)


def test_g4_pledge_flips_the_outcome():
    game, a = analyse(G4, pledge_us="2")
    assert spe_outcomes(a) == {(("deploy_first", "accept"), (4, -3, 0))}
    nash = pure_nash(game, a)
    assert len(nash) == 14
    ceasefire_first = {k: v for k, v in nash.items() if k[0] == "cf_first"}
    assert len(ceasefire_first) == 8
    for profile, verdict in ceasefire_first.items():
        assert verdict.subgame_perfect is False
        threats = {(p, m, w) for p, m, w in noncredible(a, verdict) if p == "Russia"}
        # Russia's declared target (or bypass) of a force sent first no longer pays once the US would intervene
        assert threats == {("Russia", profile[1].split("/")[2], "after deploy_first")}
        assert {s.alternative for s in verdict.supports} == {"deploy_first"}


# ----------------------------------------------------------------------------- claims 2, 21: the US commitment
@pytest.mark.parametrize("pledge, path", [("0.9", ("cf_first", "refuse")), ("1.1", ("deploy_first", "accept"))])
def test_claim_2_and_21_pledge_threshold(pledge, path):
    # n_us + pledge_us vs c_us + e_us = 5: 4.9 (no rescue), 5.1 (rescue)
    game, a = analyse(G4, pledge_us=pledge)
    assert {p for p, _ in spe_outcomes(a)} == {path}
    us_after_df_target = spe_move(game, a, "US", 1)
    assert us_after_df_target == ("intervene" if pledge == "1.1" else "abstain")
    deploying = [v for k, v in pure_nash(game, a).items() if k[0] == "deploy_first"]
    # claim 21: with a vague promise no Nash equilibrium with a deployment is subgame perfect
    assert any(v.subgame_perfect for v in deploying) == (pledge == "1.1")


@pytest.mark.parametrize("y_r, path", [("6.9", ("cf_first", "refuse")), ("7.1", ("deploy_first", "accept"))])
def test_claim_2_tripwire_threshold_with_a_credible_us(y_r, path):
    # y_r vs g_r - f_r + a_r = 7: below, Russia fights around a force sent first (4 - y_r > -3)
    game, a = analyse(G4, pledge_us="2", y_r=y_r)
    assert {p for p, _ in spe_outcomes(a)} == {path}
    assert spe_move(game, a, "Russia", 2) == ("bypass" if y_r == "6.9" else "accept")


@pytest.mark.parametrize("x_r, path", [("4.9", ("cf_first", "refuse")), ("5.1", ("deploy_first", "accept"))])
def test_credible_us_deters_targeting_threshold(x_r, path):
    # x_r vs g_r - f_r - w_r + a_r = 5, with the US pledged (it intervenes)
    _game, a = analyse(G4, pledge_us="2", x_r=x_r)
    assert {p for p, _ in spe_outcomes(a)} == {path}


def test_claim_2_fails_for_a_rear_area_force():
    game, a = analyse(G4, pledge_us="2", y_r="1")
    # Russia bypasses (3 > -3), Europe would lose -14 by deploying first: back to cf_first, refused
    assert spe_outcomes(a) == {(("cf_first", "refuse"), (-8, 4, -4))}
    assert spe_move(game, a, "Russia", 2) == "bypass"


# ----------------------------------------------------------------------------- claims 3, 4, 5
def test_claim_3_russias_threat_is_credible_only_without_the_us():
    game, a = analyse(G4)
    assert spe_move(game, a, "Russia", 2) == "target"  # part of the SPE: 2 > -3
    game, a = analyse(G4, pledge_us="2")
    assert spe_move(game, a, "Russia", 2) == "accept"  # no longer: -6 < -3 ...
    stay_home = [v for k, v in pure_nash(game, a).items() if k[0] == "cf_first"]
    assert stay_home and all(v.noncredible for v in stay_home)  # ... but it still props up Nash equilibria


@pytest.mark.parametrize(
    "f_r, paths, russia_at_cf",
    [
        ("10.9", {("cf_first", "refuse")}, "refuse"),  # target a force sent first: -2.9 > -3
        ("11.1", {("deploy_first", "accept")}, "refuse"),  # the fait accompli works, the offer is still refused
        ("12.9", {("deploy_first", "accept")}, "refuse"),  # refuse -2.9 > sign then accept -3
        ("13.1", {("cf_first", "sign", "accept"), ("deploy_first", "accept")}, "sign"),  # tie for Europe: 4 = 4
    ],
)
def test_claim_4_kremlin_veto_under_ceasefire_first(f_r, paths, russia_at_cf):
    game, a = analyse(G4, f_r=f_r)
    assert {p for p, _ in spe_outcomes(a)} == paths
    moves = {spe.pure_profile for spe in a.spe}
    for profile in moves:
        assert game.strategies[1][profile[1]].split("/")[0] == russia_at_cf


def test_claim_5_ceasefire_first_and_the_price_of_deploying_first():
    for q_e in ("0", "10"):  # q_e is off the path: the SPE does not move
        game, a = analyse(G4, q_e=q_e)
        assert spe_outcomes(a) == {(("cf_first", "refuse"), (-8, 4, -4))}
    game, _ = analyse(G4, q_e="10")
    k = game.strategies[1].index("refuse/-/target")
    assert game.payoffs[0][1, k, game.strategies[2].index("abstain/abstain")] == -36  # L7 = -c_e - h_e - k_e - q_e
    game, a = analyse(G4, pledge_us="2")  # credible backstop + tripwire: deploying first wins
    assert {p for p, _ in spe_outcomes(a)} == {("deploy_first", "accept")}


# ----------------------------------------------------------------------------- G7 and claim 22
def test_g7_defaults_appendix_a():
    game, a = analyse(G7)
    [(path, payoffs)] = spe_outcomes(a)
    assert path[:2] == ("unga", "lobby") and "accept" in path
    assert payoffs == (F(-31, 5), F(3, 2))  # -6.2, 1.5
    nash = pure_nash(game, a)
    assert len(nash) == 3
    spe = [k for k, v in nash.items() if v.subgame_perfect]
    assert len(spe) == 1 and spe[0][0] == "unga"
    others = {k: v for k, v in nash.items() if not v.subgame_perfect}
    assert len(others) == 2
    for profile, verdict in others.items():
        assert profile[0] == "unsc" and profile[1].startswith("veto")
        assert tuple(game.payoffs[:, 0, game.strategies[1].index(profile[1])]) == (-9, F(7, 2))
        # Russia's threat to hit a force the General Assembly mandated (after the vote passes)
        targets = {(p, m) for p, m, w in noncredible(a, verdict) if w.endswith("/pass")}
        assert targets == {("Russia", "target")}


@pytest.mark.parametrize("x_us, route, payoffs", [("4.9", "unga", (F(-31, 5), F(3, 2))), ("5.1", "cow", (4, -3))])
def test_claim_22_backstop_makes_the_coalition_route_best(x_us, route, payoffs):
    _, a = analyse(G7, x_us=x_us)
    [(path, pay)] = spe_outcomes(a)
    assert path[0] == route and pay == payoffs


@pytest.mark.parametrize("p_lob, route", [("0.12", "unsc"), ("0.13", "unga")])
def test_claim_22_general_assembly_beats_a_vetoed_council(p_lob, route):
    # p_lob*(v_e + l_ga - rho_un - beta_un*c_e + z_e + t_fail) = 16*p_lob vs e_ga = 2
    _, a = analyse(G7, p_lob=p_lob)
    [(path, _)] = spe_outcomes(a)
    assert path[0] == route
    if route == "unsc":
        assert path == ("unsc", "veto")


@pytest.mark.parametrize("s_gs, route", [("3.9", "unsc"), ("4.1", "unga")])
def test_claim_8_in_g7_a_general_assembly_force_is_tolerated(s_gs, route):
    # s_gs vs g_r - f_r - w_gs + a_un = 4
    _, a = analyse(G7, s_gs=s_gs)
    [(path, _)] = spe_outcomes(a)
    assert path[0] == route


@pytest.mark.parametrize("lob_r, campaign, coalition", [("1.4", "lobby", F(-31, 5)), ("1.6", "quiet", F(-7, 5))])
def test_g7_russia_lobbies_while_it_is_cheap(lob_r, campaign, coalition):
    # (p_ga - p_lob)*(z_r + a_un) = 1.5 vs lob_r; quiet gives the coalition 0.6*5 + 0.4*(-11) = -1.4
    _, a = analyse(G7, lob_r=lob_r)
    [(path, payoffs)] = spe_outcomes(a)
    assert path[:2] == ("unga", campaign) and payoffs[0] == coalition


@pytest.mark.parametrize("z_r, veto", [("-0.6", False), ("-0.4", True)])
def test_g7_veto_unless_russia_prefers_a_un_force(z_r, veto):
    # veto gives z_r - nu_veto, allowing gives -a_un = -1: veto iff z_r > -0.5
    game, a = analyse(G7, z_r=z_r)
    assert spe_move(game, a, "Russia", 0) == ("veto" if veto else "allow")


# ----------------------------------------------------------------------------- the CLI (contract 6)
def solve_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["solve", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_json_contract_6_for_g4():
    out = solve_json(str(GAMES / G4))
    [spe] = out["subgame_perfect"]
    assert spe["path"] == ["cf_first", "refuse"]
    assert spe["strategies"]["Russia"]["refuse/-/target"] == 1.0
    assert spe["strategies"]["US"]["abstain/abstain"] == 1.0
    assert spe["payoffs"] == {"Europe": -8, "Russia": 4, "US": -4}
    assert len(out["equilibria"]) == 14
    flagged = [e for e in out["equilibria"] if e["subgame_perfect"] is False and e["noncredible"]]
    assert len(flagged) == 6
    for entry in flagged:
        assert entry["strategies"]["Europe"]["deploy_first"] == 1.0
        assert [(n["player"], n["move"], n["at"]) for n in entry["noncredible"]] == [
            ("US", "intervene", "after deploy_first/target")
        ]
    assert sum(e["subgame_perfect"] is True for e in out["equilibria"]) == 1
    assert out["tree"]["perfect_information"] is True and len(out["tree"]["nodes"]) == 14


def test_cli_set_pledge_flips_the_path():
    out = solve_json(str(GAMES / G4), "--set", "pledge_us=2")
    assert [s["path"] for s in out["subgame_perfect"]] == [["deploy_first", "accept"]]


def test_cli_json_for_g7_has_chance_in_the_path():
    out = solve_json(str(GAMES / G7))
    [spe] = out["subgame_perfect"]
    assert spe["path"] == ["unga", "lobby", "pass", "accept", "fail"]
    chance = [s for s in spe["path_detail"] if s["actor"] == "chance"]
    assert [(s["action"], s["probability"]) for s in chance] == [("pass", 0.3), ("fail", 0.7)]
    assert spe["payoffs_exact"] == {"Coalition": "-31/5", "Russia": "3/2"}


# ----------------------------------------------------------------------------- sensitivity on trees
@pytest.mark.parametrize(
    "name, parameter, base, expected",
    [
        # SCENARIOS.md section 4, threshold finder targets for G4 and G7
        (G4, "pledge_us", {}, [(F(1), "cf_first>refuse", "deploy_first>accept")]),
        (G4, "x_r", {"pledge_us": 2}, [(F(5), "cf_first>refuse", "deploy_first>accept")]),
        (G4, "y_r", {"pledge_us": 2}, [(F(7), "cf_first>refuse", "deploy_first>accept")]),
        (
            G4,
            "f_r",
            {},
            [
                (F(11), "cf_first>refuse", "deploy_first>accept"),
                (F(13), "deploy_first>accept", "cf_first>sign>accept + deploy_first>accept"),
            ],
        ),
        (G7, "x_us", {}, [(F(5), "unga>lobby>pass>accept>fail", "cow>accept")]),
        (G7, "s_gs", {}, [(F(4), "unsc>veto", "unga>lobby>pass>accept>fail")]),
        (G7, "lob_r", {}, [(F(3, 2), "unga>lobby>pass>accept>fail", "unga>quiet>pass>accept>fail")]),
    ],
)
def test_subgame_perfect_thresholds(name, parameter, base, expected):
    found = spe_thresholds(scenario(name), parameter, base=base)
    assert [(t.value, t.below, t.above) for t in found] == expected


def test_p_lob_thresholds_of_g7():
    found = spe_thresholds(scenario(G7), "p_lob")
    # 16*p_lob = e_ga gives 1/8; lobbying stops paying when (p_ga - p_lob)*(z_r + a_un) = lob_r, i.e. 2/5
    assert [t.value for t in found] == [F(1, 8), F(2, 5)]
    assert found[0].at == "unga>lobby>pass>accept>fail + unsc>veto"  # at 1/8 exactly both routes are subgame perfect


def test_nash_thresholds_of_the_sensitivity_module_work_on_trees():
    from gametheory.sensitivity import thresholds

    # the pledge changes which Nash equilibria are subgame perfect, not which are Nash:
    # the reduced form's pure equilibria are the same 14 profiles on both sides of 1
    game_low, game_high = scenario(G4).bind({"pledge_us": F(1, 2)}), scenario(G4).bind({"pledge_us": 2})
    low = {e.pure_profile for e in gt.solve(game_low, "pure").equilibria}
    assert len(low) == 14 and low == {e.pure_profile for e in gt.solve(game_high, "pure").equilibria}
    assert thresholds(scenario(G4), "pledge_us", method="pure").thresholds == ()


# ----------------------------------------------------------------------------- `gametheory sensitivity` on trees
# The same hand-derived thresholds as above, now as the command shows them. Each scenario,
# base and parameter list is analysed once (the Nash scans of G7 take seconds): the text and
# JSON runs of the command share that analysis, and everything else runs for real.
_SENSITIVITY_RUNS: dict[tuple, object] = {}


def sensitivity_cli(monkeypatch, fmt: str, name: str, params: tuple[str, ...], *sets: str) -> str:
    """``gametheory sensitivity games/NAME --param ... --set ... --no-conditions --format FMT``."""
    from gametheory.sensitivity import analysis

    compute = analysis.sensitivity

    def shared(scenario, names, **kwargs):
        key = (
            scenario.file,
            tuple(names),
            repr(sorted(kwargs["base"].items())),
            kwargs["preset"],
            kwargs["conditions"],
        )
        if key not in _SENSITIVITY_RUNS:
            _SENSITIVITY_RUNS[key] = compute(scenario, names, **kwargs)
        return _SENSITIVITY_RUNS[key]

    monkeypatch.setattr(analysis, "sensitivity", shared)
    args = [
        "sensitivity",
        str(GAMES / name),
        *(a for p in params for a in ("--param", p)),
        *(a for s in sets for a in ("--set", s)),
        "--no-conditions",
        "--format",
        fmt,
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def spe_section(text: str) -> str:
    """The text report's subgame-perfect section."""
    head = "Subgame-perfect thresholds (where the credible outcome changes):"
    assert head in text
    return text.split(head, 1)[1]


#: (scenario, parameters, --set values) -> [(parameter, exact value, outcome(s) below, above)],
#: the outcomes being the paths of play of the SPE (several joined by " + ").
SPE_RUNS = [
    (
        G4,
        ("pledge_us", "f_r"),
        (),
        [
            ("pledge_us", "1", "cf_first>refuse", "deploy_first>accept"),  # n_us + pledge_us = c_us + e_us
            ("f_r", "11", "cf_first>refuse", "deploy_first>accept"),  # targeting a force sent first stops paying
            ("f_r", "13", "deploy_first>accept", "cf_first>sign>accept + deploy_first>accept"),  # Russia signs
        ],
    ),
    (
        G4,
        ("x_r", "y_r"),
        ("pledge_us=2",),
        [
            ("x_r", "5", "cf_first>refuse", "deploy_first>accept"),  # x_r = g_r - f_r - w_r + a_r
            ("y_r", "7", "cf_first>refuse", "deploy_first>accept"),  # y_r = g_r - f_r + a_r
        ],
    ),
    (
        G7,
        ("x_us", "p_lob", "s_gs", "lob_r"),
        (),
        [
            ("x_us", "5", "unga>lobby>pass>accept>fail", "cow>accept"),
            ("p_lob", "1/8", "unsc>veto", "unga>lobby>pass>accept>fail"),  # 16*p_lob = e_ga
            (
                "p_lob",
                "2/5",
                "unga>lobby>pass>accept>fail",
                "unga>quiet>pass>accept>fail",
            ),  # (p_ga - p_lob)*(z_r + a_un) = lob_r
            ("s_gs", "4", "unsc>veto", "unga>lobby>pass>accept>fail"),  # s_gs = g_r - f_r - w_gs + a_un
            (
                "lob_r",
                "3/2",
                "unga>lobby>pass>accept>fail",
                "unga>quiet>pass>accept>fail",
            ),  # (p_ga - p_lob)*(z_r + a_un)
        ],
    ),
]


@pytest.mark.parametrize("name, params, sets, expected", SPE_RUNS, ids=["G4", "G4-pledged", "G7"])
def test_cli_sensitivity_json_has_the_subgame_perfect_thresholds(monkeypatch, name, params, sets, expected):
    out = json.loads(sensitivity_cli(monkeypatch, "json", name, params, *sets))
    found = [(t["parameter"], t["exact"], t["below"], t["above"]) for t in out["spe_thresholds"]]
    assert found == expected
    for t in out["spe_thresholds"]:
        assert t["value"] == float(F(t["exact"]))
        assert set(t) == {"parameter", "value", "exact", "below", "above", "at"}
    # contract 4 is untouched: every threshold of the Nash set keeps its shape
    assert {e["parameter"] for e in out["examined"]} == set(params)
    for t in out["thresholds"]:
        assert {"parameter", "value", "exact", "below", "above"} <= set(t)


@pytest.mark.parametrize("name, params, sets, expected", SPE_RUNS, ids=["G4", "G4-pledged", "G7"])
def test_cli_sensitivity_text_shows_the_subgame_perfect_thresholds(monkeypatch, name, params, sets, expected):
    section = spe_section(sensitivity_cli(monkeypatch, "text", name, params, *sets))
    for parameter, exact, below, above in expected:
        value = exact if "/" not in exact else f"{exact} (= {float(F(exact)):g})"
        sentence = (
            f"At {parameter} = {value} the subgame-perfect outcome changes:\n"
            f"        below: {below.replace('>', ' -> ').replace(' + ', '; ')}\n"
            f"        above: {above.replace('>', ' -> ').replace(' + ', '; ')}\n"
        )
        assert sentence in section


def test_cli_sensitivity_text_does_not_hide_the_pledge(monkeypatch):
    # the pledge changes which Nash equilibria are subgame perfect, not which are Nash
    # (test_nash_thresholds_of_the_sensitivity_module_work_on_trees): the Nash part must say so
    text = sensitivity_cli(monkeypatch, "text", G4, ("pledge_us", "f_r"))
    nash, spe = text.split("Subgame-perfect thresholds (where the credible outcome changes):", 1)
    [line] = [n for n in nash.splitlines() if n.startswith("  pledge_us: no threshold")]
    after = nash.splitlines()[nash.splitlines().index(line) + 1]
    assert "subgame-perfect" in after and "Subgame-perfect thresholds" in after
    assert "  subgame-perfect outcome: cf_first -> refuse" in nash  # at the defaults (Appendix A)
    assert "at pledge_us = 1 itself: cf_first -> refuse; deploy_first -> accept" in spe  # US indifferent: 5 = 5


def test_cli_sensitivity_markdown_and_no_change_for_a_tree():
    # entry deterrence: (enter, accommodate) is the only subgame-perfect outcome over every declared
    # range (duopoly > war always: accommodating is credible, and entering then pays duopoly > 0)
    args = ["sensitivity", str(GAMES / "classics" / "entry_deterrence.json"), "--param", "duopoly", "--no-conditions"]
    text = CliRunner().invoke(app, args).stdout
    assert "  duopoly: no change over [0.5, 2]; everywhere: enter -> accommodate" in text
    markdown = CliRunner().invoke(app, [*args, "--format", "markdown"]).stdout
    assert "## Subgame-perfect thresholds (where the credible outcome changes)" in markdown
    assert "- `duopoly`: no change over [0.5, 2] (`enter -> accommodate` throughout)" in markdown
    out = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert out["spe_thresholds"] == []  # a tree without any: an empty list (a normal form has no key)
