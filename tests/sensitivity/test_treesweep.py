"""Tree and Bayesian sweeps: vectorised labels against the general solver and exact backward induction.

The Nash label of a tree sweep must equal, point by point, what the general
solver (``gt.solve`` on the reduced normal form, with the method the sweep's
fallback would use) gives; the subgame-perfect outcome must equal exact
backward induction (``spe_label``). Facts derived by hand in the scenario's
description (games/sequencing.json: 14 pure equilibria at the defaults; a
credible US from pledge_us > 1 with x_r > 5 makes deploy-first subgame
perfect) anchor both to independently known answers.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.errors import InputError
from gametheory.expressions import parse_expression, polynomial_form
from gametheory.scenario import ParameterRangeWarning
from gametheory.scenario.normal import parse_scenario
from gametheory.sensitivity import classify_points, regime_label, sweep
from gametheory.sensitivity.treesweep import subgame_perfect_points
from gametheory.solvers.trees import spe_label, structure_method
from tests.support import GAMES

SEQUENCING = GAMES / "sequencing.json"
BAYESIAN = GAMES / "uncertain_resolve_bayesian.json"


@pytest.fixture(scope="module")
def sequencing():
    return gt.load(SEQUENCING)


def _solver_label(scenario, point):
    """The general solver's label, with the method the sweep's fallback picks for this game."""
    game = scenario.game_at(scenario.parameter_values(point))
    return regime_label(gt.solve(game, structure_method(scenario, game, "auto")))


def _leaf(name, a, b, c):
    return {"id": name, "payoffs": {"A": a, "B": b, "C": c}}


def _chance_tree() -> dict:
    """Three movers and a chance move: A plays safe or risky; luck is good with probability p;
    then B helps or shirks, and after shirking C punishes (worth c to C) or forgives."""
    good = {
        "id": "b_moves",
        "player": "B",
        "moves": {
            "help": _leaf("H", 2, "b", 1),
            "shirk": {
                "id": "c_moves",
                "player": "C",
                "moves": {"punish": _leaf("P", 0, -1, "c"), "forgive": _leaf("F", 0, 1, 0)},
            },
        },
    }
    return {
        "format": "gametheory-scenario/1",
        "form": "tree",
        "title": "three movers and a chance move",
        "players": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
        "parameters": {
            "p": {"default": 0.5, "range": [0, 1]},
            "b": {"default": 0.5, "range": [-1, 2]},
            "c": {"default": -0.5, "range": [-1, 1]},
        },
        "tree": {
            "id": "start",
            "player": "A",
            "moves": {
                "safe": _leaf("S", 1, 0, 0),
                "risky": {
                    "id": "luck",
                    "chance": {"good": "p", "bad": "1 - p"},
                    "moves": {"good": good, "bad": _leaf("X", -1, 0, 0)},
                },
            },
        },
    }


# ------------------------------------------------------------------ Nash labels
def test_sequencing_sweep_needs_no_solver_and_matches_it(sequencing):
    # x_r = 0, 5/3, ..., 15 puts grid points on the threshold x_r = 5; pledge_us steps by 1/2 and hits 1
    result = sweep(sequencing, {"pledge_us": (0, 6, 13), "x_r": (0, 15, 10)}, jobs=1)
    rm = result.regimes
    assert not result.notes  # no "closed forms unavailable"
    assert rm.boundary.any() and (rm.counts >= 0).all()  # threshold points were answered, not left unlabelled
    rng = np.random.default_rng(3)
    sample = [tuple(ix) for ix in np.argwhere(rm.boundary)][:6]
    sample += [np.unravel_index(int(k), rm.shape) for k in rng.choice(rm.size, 10, replace=False)]
    for i, j in sample:
        point = {"pledge_us": result.exact_axes["pledge_us"][i], "x_r": result.exact_axes["x_r"][j]}
        assert rm.labels[i, j] == _solver_label(sequencing, point), point


def test_sequencing_defaults_have_the_fourteen_pure_equilibria_of_the_description(sequencing):
    rm = classify_points(sequencing, {"pledge_us": np.array([0.0])})
    assert rm.counts[0] == 14
    # "Six of them have Europe deploying first and Russia accepting": Russia's plan ends in accept
    deploy = [part for part in rm.labels[0].split(" + ") if part.startswith("pure(deploy_first,")]
    assert len(deploy) == 6 and all(part.split(",")[1].endswith("/accept") for part in deploy)


def test_chance_tree_labels_and_invalid_probabilities():
    scenario = parse_scenario(_chance_tree(), file="small.json")
    grid = sweep(scenario, {"p": (0, 1, 5), "b": (-1, 2, 4), "c": (-1, 1, 3)}, jobs=1)
    rm = grid.regimes
    assert not grid.notes and rm.boundary.any()  # c = 0, b = 1 and p = 0 are ties
    for idx in np.ndindex(*rm.shape):
        point = {name: grid.exact_axes[name][k] for name, k in zip(grid.parameters, idx)}
        assert rm.labels[idx] == _solver_label(scenario, point), point
    with pytest.warns(ParameterRangeWarning), pytest.raises(InputError, match=r"small\.json"):
        classify_points(scenario, {"p": np.array([0.5, 1.5])})


# ------------------------------------------------------------------ subgame perfection
def test_subgame_perfect_outcomes_match_backward_induction(sequencing):
    axes = {"pledge_us": [F(k, 2) for k in range(13)], "x_r": [F(5 * k, 3) for k in range(10)]}
    mesh = np.meshgrid(*(np.array([float(v) for v in a]) for a in axes.values()), indexing="ij")
    spe = subgame_perfect_points(
        sequencing,
        {"pledge_us": mesh[0], "x_r": mesh[1]},
        exact=lambda idx: {"pledge_us": axes["pledge_us"][idx[0]], "x_r": axes["x_r"][idx[1]]},
    )
    # the description: vague promise -> ceasefire first, refused; credible US (pledge_us > 1) with x_r > 5 -> deploy first
    assert spe.labels[0, 6] == "cf_first>refuse"
    assert spe.labels[4, 6] == "deploy_first>accept"
    assert spe.labels[4, 3] == "cf_first>refuse + deploy_first>accept"  # x_r = 5: Russia indifferent, a tie
    assert spe.exact[4, 3] and not spe.exact[4, 6]
    for idx in np.ndindex(*spe.shape):
        values = sequencing.parameter_values({"pledge_us": axes["pledge_us"][idx[0]], "x_r": axes["x_r"][idx[1]]})
        assert spe.labels[idx] == spe_label(sequencing.extensive, values)


def test_subgame_perfect_outcomes_with_chance():
    scenario = parse_scenario(_chance_tree(), file="small.json")
    p, b, c = np.meshgrid([0.0, 0.25, 0.5, 0.75, 1.0], [-1.0, 0.0, 1.0, 2.0], [-1.0, 0.0, 1.0], indexing="ij")
    spe = subgame_perfect_points(scenario, {"p": p, "b": b, "c": c})
    assert spe.exact.any() and not spe.exact.all()
    for idx in np.ndindex(*spe.shape):
        values = scenario.parameter_values({"p": F(str(p[idx])), "b": F(str(b[idx])), "c": F(str(c[idx]))})
        assert spe.labels[idx] == spe_label(scenario.extensive, values), idx
    with pytest.raises(InputError, match=r"small\.json"):
        subgame_perfect_points(scenario, {"p": np.array([0.5, 1.5])})


# ------------------------------------------------------------------ Bayesian priors
def test_bayesian_prior_sweep_matches_the_solver_and_its_threshold():
    scenario = gt.load(BAYESIAN)
    result = sweep(scenario, {"pi_us": (0, 1, 9), "mu_res": (0, 1, 5)}, jobs=1)
    rm = result.regimes
    assert not result.notes  # the priors' closed forms apply: no "closed forms unavailable"
    # the opportunist spares a force once pi_us > pi_star = 1/4 (grid point 2 sits on it)
    column = 1  # mu_res = 1/4
    assert rm.boundary[2, column]
    assert rm.labels[1, column] != rm.labels[3, column]
    rng = np.random.default_rng(5)
    for k in rng.choice(rm.size, 8, replace=False):
        i, j = np.unravel_index(int(k), rm.shape)
        point = {"pi_us": result.exact_axes["pi_us"][i], "mu_res": result.exact_axes["mu_res"][j]}
        assert rm.labels[i, j] == _solver_label(scenario, point), point


# ------------------------------------------------------------------ pieces
def test_polynomial_form_is_canonical_and_exact():
    names = ("x", "y")
    a = polynomial_form(parse_expression("-c*(1 - s) - h", ("c", "s", "h")))
    b = polynomial_form(parse_expression("c*s - h - c", ("c", "s", "h")))
    assert a == b
    poly = polynomial_form(parse_expression("(x + 2*y)**2/4 - x*y", names))
    assert poly == {(("x", 2),): F(1, 4), (("y", 2),): F(1)}
    for text in ("1/x", "max(x, y)", "x**y", "if(x > 0, 1, 2)"):
        assert polynomial_form(parse_expression(text, names)) is None


def test_cli_tree_sweep_writes_every_point(tmp_path):
    from gametheory.cli import app

    out = tmp_path / "t.csv"
    args = ["sweep", str(SEQUENCING), "--vary", "pledge_us=0:6:4", "--vary", "x_r=0:15:4", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = out.read_text().splitlines()
    assert len(rows) == 1 + 16 and "closed forms unavailable" not in result.output


def test_exact_points_refuse_invalid_chance_probabilities_like_the_solver():
    scenario = parse_scenario(_chance_tree(), file="small.json")
    with pytest.warns(ParameterRangeWarning), pytest.raises(InputError, match=r"small\.json"):
        classify_points(scenario, {"p": np.array([1.5])}, symbolic=False, jobs=1)


def test_two_player_tree_subgame_perfect_outcomes_on_both_sides_of_the_threshold():
    """games/classics/entry_deterrence.json (two players): the incumbent fights an entrant exactly
    when war > duopoly, and the entrant enters either way while war > 0 (its alternative pays 0).
    With duopoly = 1: accommodation below war = 1, a tie at it, fighting above; by hand."""
    scenario = gt.load(GAMES / "classics" / "entry_deterrence.json")
    wars = [F(-3), F(1, 2), F(1), F(3, 2), F(3)]
    spe = subgame_perfect_points(
        scenario, {"war": np.array([float(w) for w in wars])}, exact=lambda idx: {"war": wars[idx[0]]}
    )
    assert spe.labels.tolist() == [
        "enter>accommodate",
        "enter>accommodate",
        "enter>accommodate + enter>fight",
        "enter>fight",
        "enter>fight",
    ]
    assert spe.exact.tolist() == [False, False, True, False, False]  # only the tie was solved exactly
    with pytest.warns(ParameterRangeWarning):  # war > -1/2 lies outside the file's declared range
        for war, label in zip(wars, spe.labels):
            assert label == spe_label(scenario.extensive, scenario.parameter_values({"war": war}))
