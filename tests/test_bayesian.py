"""Bayesian games: types, priors, the ex-ante (Harsanyi) normal form, behaviour per type.

The uncertain-resolve game G6 is checked against SCENARIOS.md Appendix A and
against ``games/uncertain_resolve.json``, the same game typed in by hand as a
2 x 4 normal form (an independent construction). A small textbook game with a
joint prior is solved by hand in its docstring.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.errors import EvaluationError, InputError
from gametheory.scenario import parse_scenario, scenario_values
from gametheory.scenario.bayesian import bayesian_tree

F = Fraction
GAMES = Path(__file__).resolve().parent.parent / "games"
G6B = GAMES / "uncertain_resolve_bayesian.json"
G6N = GAMES / "uncertain_resolve.json"


def bayesian() -> gt.Scenario:
    return gt.load(G6B)


# ----------------------------------------------------------------------------- G6
@pytest.mark.parametrize(
    "values",
    [
        {},
        {"pi_us": "0.24"},
        {"pi_us": "0.26", "mu_res": "0.3"},
        {"g_opp": "5", "x_r": "11", "k_e": "20"},
        {"mu_res": "1"},
    ],
)
def test_ex_ante_form_equals_the_hand_built_normal_form(values):
    a = bayesian().bind({k: F(v) for k, v in values.items()})
    b = gt.load(G6N).bind({k: F(v) for k, v in values.items()})
    assert a.shape == b.shape == (2, 4)
    assert (a.payoffs == b.payoffs).all()
    # plans name the resolved type's action first: the file's AA, AT, TA, TT
    assert a.strategies[1] == ("accept/accept", "accept/target", "target/accept", "target/target")


def test_g6_appendix_a():
    sc = bayesian()
    game = sc.bind()
    solution = gt.solve(game)
    assert solution.complete and len(solution.equilibria) == 3
    by_profile = {e.profile: e for e in solution.equilibria}
    deploy_ta = ((F(1), F(0)), (F(0), F(0), F(1), F(0)))
    hold_tt = ((F(0), F(1)), (F(0), F(0), F(0), F(1)))
    assert by_profile[deploy_ta].payoffs == (F(1, 10), F(-2))
    assert by_profile[hold_tt].payoffs == (F(-8), F(12, 5))
    [mixed] = [e for e in solution.equilibria if not e.pure]
    # d* = (g_opp - f_r)/(w_r + pi_us*x_r - a_r) = 1/3; opportunist targets (mu* - mu_res)/(1 - mu_res) = 17/152
    assert mixed.profile[0] == (F(1, 3), F(2, 3))
    assert mixed.profile[1] == (F(0), F(0), F(135, 152), F(17, 152))
    assert mixed.payoffs == (F(-44, 19), F(2, 5))


def test_behaviour_by_type():
    from gametheory.analysis import analyse

    sc = bayesian()
    game = sc.bind()
    solution = analyse(game, scenario=sc)
    analysis = solution.extensive
    assert analysis.types == ("Russia", "US")
    assert analysis.marginals == ((F(1, 5), F(4, 5)), (F(1, 2), F(1, 2)))
    rows = {}
    for eq, behaviour in zip(solution.equilibria, analysis.behaviour):
        per_type = {(player, t): (probs, pay) for player, entries in behaviour for t, probs, pay in entries}
        rows[eq.pure_profile] = per_type
    ta = rows[(0, 2)]
    assert ta[("Russia", "resolved")][0] == (0, 1) and ta[("Russia", "opportunist")][0] == (1, 0)
    # interim payoffs: the resolved type hits a deployed force, 14 - 6 - 2 - 0.5*8 = 2; the opportunist accepts: -3
    assert ta[("Russia", "resolved")][1] == 2 and ta[("Russia", "opportunist")][1] == -3
    assert ta[("Europe", None)] == ((1, 0), F(1, 10))
    [mixed] = [v for k, v in rows.items() if k is None]
    assert mixed[("Russia", "opportunist")][0] == (F(135, 152), F(17, 152))
    # resolved type against deploy 1/3: (1/3)*2 + (2/3)*(14 - 6) = 6
    assert mixed[("Russia", "resolved")] == ((0, 1), F(6))


def test_text_and_json_report_each_type():
    result = CliRunner().invoke(app, ["solve", str(G6B)])
    assert result.exit_code == 0, result.output
    assert "Russia (resolved): target" in result.output
    assert "Russia (opportunist): accept" in result.output
    assert "US (nature; no player observes it): committed 1/2, isolationist 1/2" in result.output
    result = CliRunner().invoke(app, ["solve", str(G6B), "--format", "json"])
    out = json.loads(result.output)
    assert out["bayesian"]["types"]["US"] == {
        "nature": True,
        "types": ["committed", "isolationist"],
        "prior": {"committed": 0.5, "isolationist": 0.5},
    }
    first = out["equilibria"][0]["by_type"]["Russia"]
    assert set(first) == {"resolved", "opportunist"}


@pytest.mark.parametrize("pi_us, count", [("0.24", 1), ("0.26", 3)])
def test_claim_20_belief_in_the_us_threshold(pi_us, count):
    # the opportunist spares a deployed force iff pi_us > (g_opp - f_r - w_r + a_r)/x_r = 1/4
    game = bayesian().bind({"pi_us": F(pi_us)})
    solution = gt.solve(game)
    assert len(solution.equilibria) == count
    assert ((F(0), F(1)), (F(0), F(0), F(0), F(1))) in {e.profile for e in solution.equilibria}


def test_threshold_search_finds_the_prior_threshold():
    from gametheory.sensitivity import thresholds

    result = thresholds(bayesian(), "pi_us")
    assert F(1, 4) in [F(t.exact) if getattr(t, "exact", None) else F(t.value) for t in result.thresholds]


def test_prior_is_checked_when_bound():
    sc = bayesian()
    with pytest.raises(EvaluationError) as info:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sc.bind({"mu_res": "1.2"})
    assert info.value.file == str(G6B)
    assert info.value.path == "$.players[1].types"
    assert "the prior over Russia's types has a negative probability -0.2 at mu_res = 1.2" in str(info.value)


def test_bayesian_tree_has_the_same_reduced_form():
    sc = bayesian()
    tree = bayesian_tree(sc.bayesian)
    assert tree.plan_names == (("deploy", "hold"), ("accept/accept", "accept/target", "target/accept", "target/target"))
    for values in ({}, {"pi_us": F(1, 10), "mu_res": F(3, 4)}):
        game = sc.bind(values)
        payoffs, _ = tree.reduced_form()
        v = scenario_values(sc, game.parameters)
        for idx in np.ndindex(*payoffs.shape):
            assert payoffs[idx].evaluate(v) == game.payoffs[idx]


# ----------------------------------------------------------------------------- a textbook game, joint prior
def small_game(prior_rows=None, **changes) -> dict:
    """One-sided incomplete information: Column is 'fighter' or 'wimp'.

    Row picks in/out; Column (knowing its type) picks fight/yield. out gives (0, 2)
    whatever happens. in: a fighter gets 1 from fight and 0 from yield, a wimp -1 and 0;
    Row gets -1 against fight and 1 against yield. So the fighter fights, the wimp yields,
    and Row enters iff P(wimp)*1 + P(fighter)*(-1) > 0, i.e. P(fighter) < 1/2.
    """
    data = {
        "form": "bayesian",
        "title": "entry with a fighter type",
        "players": [
            {"name": "Row", "actions": ["in", "out"]},
            {"name": "Column", "actions": ["fight", "yield"], "types": ["fighter", "wimp"]},
        ],
        "parameters": {"q": {"default": 0.3, "range": [0, 1]}},
        "prior": prior_rows
        or [
            {"types": {"Column": "fighter"}, "probability": "q"},
            {"types": {"Column": "wimp"}, "probability": "1 - q"},
        ],
        "payoffs": [
            {"profile": ["out", "fight"], "payoffs": [0, 2]},
            {"profile": ["out", "yield"], "payoffs": [0, 2]},
            {"profile": ["in", "yield"], "payoffs": {"Row": 1, "Column": 0}},
            {"types": {"Column": "fighter"}, "profile": ["in", "fight"], "payoffs": [-1, 1]},
            {"types": {"Column": "wimp"}, "profile": ["in", "fight"], "payoffs": [-1, -1]},
        ],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("q, enters", [("0.3", True), ("0.7", False)])
def test_joint_prior_textbook_answer(q, enters):
    sc = parse_scenario(small_game())
    game = sc.bind({"q": F(q)})
    assert game.strategies == (("in", "out"), ("fight/fight", "fight/yield", "yield/fight", "yield/yield"))
    pure = {game.profile_names(e.pure_profile) for e in gt.solve(game).equilibria if e.pure}
    assert (("in", "fight/yield") in pure) == enters
    assert (("out", "fight/yield") in pure) == (not enters)


def test_joint_prior_must_sum_to_one_and_cover_declared_types():
    rows = [{"types": {"Column": "fighter"}, "probability": "q"}, {"types": {"Column": "wimp"}, "probability": "0.5"}]
    sc = parse_scenario(small_game(rows), file="b.json")
    with pytest.raises(EvaluationError) as info:
        sc.bind()
    assert info.value.path == "$.prior" and "the joint prior sums to 0.8, not 1 at q = 0.3" in str(info.value)
    rows = [{"types": {"Column": "brave"}, "probability": "1"}]
    with pytest.raises(InputError) as info:
        parse_scenario(small_game(rows), file="b.json")
    assert info.value.path == "$.prior[0].types.Column" and "not a type of Column" in str(info.value)


@pytest.mark.parametrize(
    "mutate, path, words",
    [
        (lambda d: d["payoffs"].pop(), "$.payoffs", "no payoff for Row, Column when the types are (Column wimp)"),
        (
            lambda d: d["payoffs"].append({"profile": ["out", "fight"], "payoffs": [1, 1]}),
            "$.payoffs[5].payoffs[0]",
            "already given at $.payoffs[0].payoffs[0]",
        ),
        (
            lambda d: d["payoffs"][3].update(types={"Column": "figher"}),
            "$.payoffs[3].types.Column",
            "did you mean 'fighter'",
        ),
        (lambda d: d["payoffs"][3].update(types={"Row": "x"}), "$.payoffs[3].types.Row", "has no types"),
        (
            lambda d: d["payoffs"][0].update(profile=["stay", "fight"]),
            "$.payoffs[0].profile[0]",
            "not an action of Row",
        ),
        (lambda d: d["players"][1]["actions"].append("a/b"), "$.players[1].actions[2]", "may not contain '/'"),
        (lambda d: d["players"][0].update(strategies=["in"]), "$.players[0].strategies", "type-contingent plans"),
        (lambda d: d.update(matrix=[[[0, 0]]]), "$.matrix", "no 'matrix'"),
    ],
)
def test_validation_errors(mutate, path, words):
    data = small_game()
    mutate(data)
    with pytest.raises(InputError) as info:
        parse_scenario(data, file="b.json")
    assert info.value.file == "b.json"
    assert info.value.path == path and words in str(info.value)


def test_independent_priors_need_a_prior_per_type():
    data = small_game()
    del data["prior"]
    with pytest.raises(InputError) as info:
        parse_scenario(data, file="b.json")
    assert info.value.path == "$.players[1].types[0].prior" and "has no 'prior'" in str(info.value)
    data["players"][1]["types"] = [{"name": "fighter", "prior": "q"}, {"name": "wimp", "prior": "1 - q"}]
    joint = parse_scenario(small_game()).bind()
    independent = parse_scenario(data).bind()
    assert (joint.payoffs == independent.payoffs).all()


def test_bayesian_schema_requires_actions():
    data = small_game()
    del data["players"][0]["actions"]
    with pytest.raises(InputError) as info:
        parse_scenario(data, file="b.json")
    assert info.value.path == "$.players[0]" and "'actions' is required" in str(info.value)


def test_sweep_over_a_prior():
    from gametheory.sensitivity import sweep

    result = sweep(bayesian(), {"pi_us": (0, 1, 9)}, jobs=1)
    counts = list(result.regimes.counts)
    # below pi_us = 1/4 only (hold; TT); above it the three equilibria of Appendix A
    assert counts[:2] == [1, 1] and counts[3:] == [3] * 6
    assert bool(result.regimes.boundary[2])  # pi_us = 1/4 sits exactly on the threshold
