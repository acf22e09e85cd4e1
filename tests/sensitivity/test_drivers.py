"""Tests of what drives an outcome (gametheory.sensitivity.drivers, report.drivers, ``gametheory drivers``).

The Sobol path is checked on the Ishigami function (Ishigami and Homma 1990),
whose indices are known in closed form: with a = 7, b = 0.1 and x_i uniform
on [-pi, pi], V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V_1 = (1 + b pi^4/5)^2/2,
V_2 = a^2/8, V_3 = 0 and V_13 = b^2 pi^8 (1/18 - 1/50); so S1 = V_i/V and
ST_1 = (V_1 + V_13)/V, ST_2 = S_2, ST_3 = V_13/V.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.report.drivers import plot_drivers, render_drivers
from gametheory.sensitivity.drivers import (
    Drivers,
    Index,
    drivers,
    morris_screening,
    outcome_model,
    payoff_drivers,
    payoff_model,
    select_payoffs,
    setting_for,
    sobol_indices,
)
from gametheory.sensitivity.montecarlo import Distribution
from gametheory.sensitivity.outcomes import parse_outcome
from gametheory.solvers import solve
from tests.support import GAMES

A, B = 7.0, 0.1
PI = math.pi
V = A**2 / 8 + B * PI**4 / 5 + B**2 * PI**8 / 18 + 0.5
V1, V2, V13 = (1 + B * PI**4 / 5) ** 2 / 2, A**2 / 8, B**2 * PI**8 * (1 / 18 - 1 / 50)
FIRST = {"x1": V1 / V, "x2": V2 / V, "x3": 0.0}
TOTAL = {"x1": (V1 + V13) / V, "x2": V2 / V, "x3": V13 / V}
UNIFORM = {name: Distribution("uniform", -PI, PI) for name in ("x1", "x2", "x3")}


def ishigami(values):
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def test_sobol_indices_of_ishigami_match_the_analytic_values():
    indices, _ = sobol_indices(ishigami, UNIFORM, n=2048, seed=7)
    for index in indices:
        name = index.parameter
        assert abs(index.first - FIRST[name]) < max(0.03, index.first_conf)
        assert abs(index.total - TOTAL[name]) < max(0.03, index.total_conf)


def test_seed_zero_gives_the_same_confidence_intervals():
    # SALib reads the int 0 as "no seed" for its bootstrap; the path must not
    first, second = (sobol_indices(ishigami, UNIFORM, n=64, seed=0)[0] for _ in range(2))
    assert [i.total_conf for i in first] == [i.total_conf for i in second]


def test_morris_ranks_ishigami_like_the_total_indices():
    # mu* orders x1 (strong, interacting) and x2 above x3, whose effect is only through x1
    ranked = sorted(morris_screening(ishigami, UNIFORM, trajectories=100, seed=3), key=lambda i: -i.mu_star)
    assert ranked[-1].parameter == "x3"


G1_DRAWN = ["x_r", "n_us", "c_us", "m_us", "h_us"]


@pytest.fixture(scope="module")
def g1_two_seeds(g1):
    return [drivers(g1, "Europe=deploy", parameters=G1_DRAWN, n=512, trajectories=20, seed=s) for s in (1, 2)]


def test_g1_ranking_is_stable_across_seeds(g1_two_seeds):
    first, second = g1_two_seeds
    assert set(first.ranking()[:2]) == set(second.ranking()[:2])
    by_name = [{i.parameter: i for i in run.indices} for run in g1_two_seeds]
    order = {name: k for k, name in enumerate(second.ranking())}
    separated = 0
    for a in first.indices:
        for b in first.indices:
            if a.total - a.total_conf > b.total + b.total_conf:  # clearly apart under the first seed
                separated += 1
                assert order[a.parameter] < order[b.parameter]
    assert separated >= 4
    # h_us enters only the US payoffs of cells where its choice is already decided: it drives nothing
    assert all(abs(run["h_us"].total) < 0.05 for run in by_name)


def test_report_and_chart(g1_two_seeds, tmp_path):
    result = g1_two_seeds[0]
    text = render_drivers(result)
    assert "rank  parameter" in text and result.ranking()[0] in text
    data = json.loads(render_drivers(result, "json"))
    assert data["ranking"] == list(result.ranking()) and 0 < data["probability"] < 1
    plot_drivers(result, tmp_path / "drivers.svg")
    assert (tmp_path / "drivers.svg").read_text().lstrip().startswith("<?xml")


# ------------------------------------------------------ payoffs, bounds, montecarlo
# Stag hunt (games/classics/stag_hunt.json; stag ~ U[2, 10], hare ~ U[0.5, 4]): with stag > hare the
# equilibria are (stag, stag) paying stag, (hare, hare) and the mixed one both paying hare; with
# hare > stag only (hare, hare). So a hunter's worst equilibrium payoff is hare, its best and its
# payoff-dominant one max(stag, hare); and P(hare > stag) = (1/8) * int_2^4 (h - 2) dh / 3.5 = 1/14.
@pytest.fixture(scope="module")
def stag_hunt():
    return load(str(GAMES / "classics" / "stag_hunt.json"))


def test_worst_payoff_is_driven_by_hare_alone(stag_hunt):
    (result,) = payoff_drivers(stag_hunt, ["Hunter 1"], select="worst", n=64, trajectories=8, seed=1)
    by_name = {i.parameter: i for i in result.indices}
    assert result.ranking()[0] == "hare" and abs(by_name["stag"].total) < 1e-12
    assert abs(by_name["hare"].total - 1) < 0.1 and result.selection == "worst"
    data = json.loads(render_drivers(result, "json"))
    assert data["kind"] == "payoff" and data["selection"] == "worst" and "mean" in data


@pytest.mark.parametrize("rule", ["best", "payoff-dominant"])
def test_best_and_payoff_dominant_payoffs_are_the_larger_of_stag_and_hare(stag_hunt, rule):
    rng = np.random.default_rng(5)
    points = {"stag": rng.uniform(2, 10, 40), "hare": rng.uniform(0.5, 4, 40)}
    values = payoff_model(stag_hunt, setting_for(stag_hunt, None, None, None, None), rule)(points)
    expected = np.maximum(points["stag"], points["hare"])
    assert np.allclose(values["Hunter 1"], expected) and np.allclose(values["Hunter 2"], expected)


def test_select_payoffs_on_a_hand_made_table():
    # two players, three equilibria, two points; NaN: that equilibrium does not exist there
    nan = np.nan
    table = np.array([[[1, 5], [3, 4], [2, nan]], [[1, 9], [3, 5], [4, nan]]], dtype=float)
    assert np.allclose(select_payoffs(table, "worst"), [[1, 4], [1, 5]])
    assert np.allclose(select_payoffs(table, "best"), [[3, 5], [4, 9]])
    dominant = select_payoffs(table, "payoff-dominant")
    assert np.isnan(dominant[:, 0]).all()  # (3, 3) and (2, 4): neither is at least as good for both
    assert np.allclose(dominant[:, 1], [5, 9])  # (5, 9) is at least as good as (4, 5) for both


def test_g1_best_payoffs_match_the_exact_solver(g1):
    setting = setting_for(g1, G1_DRAWN, None, None, None)
    rng = np.random.default_rng(11)
    points = {n: rng.uniform(float(d.low), float(d.high), 8) for n, d in setting.drawn.items()}
    values = payoff_model(g1, setting, "best")(points)
    for k in range(8):
        point = {**setting.values, **{n: Fraction(float(points[n][k])) for n in points}}
        equilibria = solve(g1.game_at(g1.with_derived(point))).equilibria
        for i, player in enumerate(g1.player_names):
            assert values[player][k] == pytest.approx(max(float(eq.payoffs[i]) for eq in equilibria), abs=1e-9)


def test_payoff_dominant_is_refused_where_no_equilibrium_is(g1):
    # at G1's defaults (-8, 4, -4) and (-11/16, -3, -3): Europe prefers one, Russia the other
    with pytest.raises(InputError, match="no equilibrium is payoff-dominant"):
        payoff_drivers(g1, ["Europe"], select="payoff-dominant", parameters=G1_DRAWN, n=8, trajectories=2)


def test_a_probability_bound_is_read_from_the_equilibria(g1):
    outcome = parse_outcome(g1, "P(Europe=deploy)>=0.85")
    setting = setting_for(g1, ["x_r", "c_us"], None, None, None)
    rng = np.random.default_rng(2)
    points = {n: rng.uniform(float(d.low), float(d.high), 12) for n, d in setting.drawn.items()}
    (values,) = outcome_model(g1, outcome, setting)(points).values()
    for k in range(12):
        point = {**setting.values, **{n: Fraction(float(points[n][k])) for n in points}}
        equilibria = solve(g1.game_at(g1.with_derived(point))).equilibria
        assert values[k] == any(eq.profile[0][0] >= Fraction(85, 100) for eq in equilibria)


def test_montecarlo_says_which_parameters_make_each_regime_likely(stag_hunt):
    file = str(GAMES / "classics" / "stag_hunt.json")
    result = CliRunner().invoke(app, ["montecarlo", file, "-n", "200", "--seed", "4", "--drivers", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["drivers"]
    # two regimes, each the other's complement: one is explained, the more frequent (three equilibria)
    (three,) = found
    assert three["kind"] == "regime" and three["outcome"].startswith("pure(stag,stag) + pure(hare,hare)")
    assert abs(three["probability"] - 13 / 14) < 0.03  # the share of the Sobol design's base draws
    assert three["display"] == "the regime pure (stag, stag); pure (hare, hare); mixed (stag/hare, stag/hare)"
    text = CliRunner().invoke(app, ["montecarlo", file, "-n", "50", "--seed", "4", "--drivers", "Hunter 1=stag"])
    assert text.exit_code == 0 and "Which parameters make it likely" in text.output
    assert "What drives Hunter 1=stag" in text.output


def test_regimes_and_named_outcomes_are_shown_by_the_scenario_s_names():
    """G1 names (hold, target, stay_out) "nobody moves" and (deploy | accept,target | backstop,stay_out)
    "probabilistic deterrence": the report says the names, the JSON keeps the machine label."""
    g1 = load(GAMES / "deterrence.json")
    label = "pure(hold,target,stay_out) + mixed(deploy|accept,target|backstop,stay_out)"
    found = Drivers(label, None, (Index("x_r", 0.2, 0.1, 0.6, 0.1),), 0.4, 0, 0, 0, 0, {}, {}, kind="regime")
    found = replace(found, names=g1.equilibrium_names)
    assert "# What drives the regime nobody moves; probabilistic deterrence\n" in render_drivers(found, "markdown")
    data = json.loads(render_drivers(found, "json"))
    assert data["outcome"] == label and data["display"] == "the regime nobody moves; probabilistic deterrence"
    # an outcome typed as a label is shown by its name too (as typed when it is not a label)
    outcome = replace(found, kind="outcome", outcome="mixed(deploy|accept,target|backstop,stay_out)")
    assert render_drivers(outcome).startswith("What drives probabilistic deterrence\n")
    assert render_drivers(replace(outcome, outcome="Europe=deploy")).startswith("What drives Europe=deploy\n")


def test_cli_payoffs_of_every_player_and_bad_input():
    file = str(GAMES / "classics" / "stag_hunt.json")
    runner = CliRunner()
    both = ["drivers", file, "--payoff", "all", "--select", "best", "--samples", "16", "--trajectories", "2"]
    result = runner.invoke(app, [*both, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["drivers"]
    assert [d["player"] for d in found] == ["Hunter 1", "Hunter 2"] and {d["selection"] for d in found} == {"best"}
    neither = runner.invoke(app, ["drivers", file])
    assert neither.exit_code == 2 and "either --outcome or --payoff" in neither.output
    unknown = runner.invoke(app, ["drivers", file, "--payoff", "Hunter 3"])
    assert unknown.exit_code == 2 and "unknown player 'Hunter 3'" in unknown.output


def test_subgame_perfect_payoffs_match_exact_backward_induction():
    from gametheory.solvers.backward import subgame_perfect

    g4 = load(str(GAMES / "sequencing.json"))
    setting = setting_for(g4, ["pledge_us", "x_r", "f_r"], None, None, None)
    rng = np.random.default_rng(4)
    points = {n: np.round(rng.uniform(float(d.low), float(d.high), 12), 3) for n, d in setting.drawn.items()}
    values = payoff_model(g4, setting, "subgame-perfect")(points)
    for k in range(12):
        point = g4.with_derived(g4.parameter_values({n: str(points[n][k]) for n in points}))
        # several where a player is indifferent off the path; their payoffs agree
        found = {tuple(eq.payoffs[:3]) for eq in subgame_perfect(g4.extensive.evaluate(point))[0]}
        (payoffs,) = found
        for i, player in enumerate(g4.player_names):
            assert values[player][k] == pytest.approx(float(payoffs[i]))
    with pytest.raises(InputError, match="--select subgame-perfect"):
        payoff_drivers(g4, ["Europe"], select="best", parameters=["pledge_us"], n=8, trajectories=2)
