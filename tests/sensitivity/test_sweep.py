"""The regime engine: sweep labels against the general solver, boundaries, output files, bad input."""

from __future__ import annotations

import csv
import importlib
import json
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.errors import InputError
from gametheory.report.sweep_table import write_json, write_table
from gametheory.scenario import ParameterRangeWarning
from gametheory.sensitivity import classify_points, regime_label, sweep, sweep_dict
from gametheory.sensitivity.sweep import table_of
from tests.support import GAMES

G1 = GAMES / "deterrence.json"
G3 = GAMES / "guarantee_menu.json"
E1 = "pure(hold,target,stay_out)"


def _solver_label(scenario, point, preset=None):
    values = scenario.parameter_values(point, preset=preset)
    return regime_label(gt.solve(scenario.game_at(values)))


@pytest.fixture(scope="module")
def g1_map(g1):
    # x_r = 5 (a threshold) is a grid point: 0 + 5*(15/15)
    return sweep(g1, {"x_r": (0, 15, 16), "n_us": (2, 12, 21)}, resolve_boundary=False)


def test_sweep_labels_agree_with_the_general_solver(g1, g1_map):
    """A seeded random sample of grid points away from boundaries: closed forms == exact solver."""
    rm = g1_map.regimes
    assert rm.shape == (16, 21) and not rm.solved.any()
    rng = np.random.default_rng(20250101)
    inside = np.argwhere(~rm.boundary)
    for i, j in inside[rng.choice(len(inside), size=12, replace=False)]:
        point = {"x_r": g1_map.exact_axes["x_r"][i], "n_us": g1_map.exact_axes["n_us"][j]}
        assert rm.labels[i, j] == _solver_label(g1, point), point


def test_sweep_regions_match_scenarios(g1_map):
    """Below x_r = 5 only E1 (SCENARIOS.md threshold table); at the defaults three equilibria."""
    rm = g1_map.regimes
    x = g1_map.axes["x_r"]
    n = g1_map.axes["n_us"]
    assert all(
        rm.labels[i, j] == E1 for i in range(len(x)) for j in range(len(n)) if x[i] < 5 and not rm.boundary[i, j]
    )
    i8, j8 = list(x).index(8.0), list(n).index(8.0)
    assert rm.counts[i8, j8] == 3
    assert rm.labels[i8, j8].count("mixed(") == 2


def test_grid_points_on_a_threshold_are_answered_by_its_closed_forms(g1, g1_map):
    """x_r = 5: flagged as a boundary, then labelled from the restricted game's closed forms, continuum included,
    exactly as the general solver labels each of those points; a point where a second threshold crosses is left."""
    rm = g1_map.regimes
    row = list(g1_map.axes["x_r"]).index(5.0)
    assert rm.boundary[row].all() and not rm.solved[row].any()
    answered = [j for j in range(rm.shape[1]) if rm.labels[row, j] != "boundary"]
    assert len(answered) >= rm.shape[1] - 4  # n_us = 3, 4, 5 and 7.5 are thresholds of the game on x_r = 5
    for j in answered:
        point = {"x_r": F(5), "n_us": g1_map.exact_axes["n_us"][j]}
        assert rm.labels[row, j] == _solver_label(g1, point), point
    assert any("continuum(" in rm.labels[row, j] for j in answered)
    # where a second threshold crosses (n_us = 4), the general solver answers
    solved = sweep(g1, {"x_r": (5, 5, 1), "n_us": (4, 4, 1)})
    assert solved.regimes.boundary.all() and solved.regimes.solved.all()
    assert solved.regimes.labels[0, 0] == _solver_label(g1, {"x_r": 5, "n_us": 4})


def test_two_player_sweep_symbolic_equals_solver_everywhere(g3):
    vary = {"kappa": (F(1, 2), F(9, 10), 9), "a_g": (6, 10, 9)}
    fast = sweep(g3, vary, preset="force_arms")
    slow = sweep(g3, vary, preset="force_arms", symbolic=False)
    assert slow.regimes.solved.all()
    assert (fast.regimes.labels == slow.regimes.labels).all()
    # kappa = 7/10 and a_g = 8 are grid points: flagged, then answered exactly (by the closed forms of the
    # threshold, or by the solver where two thresholds cross)
    k7 = fast.exact_axes["kappa"].index(F(7, 10))
    assert fast.regimes.boundary[k7].all() and (~fast.regimes.solved[k7]).sum() >= 7


def test_mixed_probabilities_match_the_closed_form(g3):
    result = sweep(g3, {"a_g": (F(17, 2), 10, 4)}, preset="force_arms")
    probs = result.probabilities()["mixed(sign,hold_out|settle,fight_on)"]
    a_g = result.axes["a_g"]
    # P(sign) = b_r/(a_g - p_r - (1-kappa)*o_r) with b_r=1, p_r=5, kappa=1/2, o_r=4
    assert np.allclose(probs["Ukraine:sign"], 1 / (a_g - 5 - 2))


def test_classify_points_keeps_the_shape_of_its_input(g1):
    rng = np.random.default_rng(7)
    values = {"x_r": rng.uniform(6, 15, (3, 4)), "n_us": rng.uniform(8, 12, (3, 4))}
    rm = classify_points(g1, values)
    assert rm.shape == (3, 4) and rm.labels.shape == (3, 4)
    assert (rm.counts >= 1).all()
    with pytest.raises(InputError, match="did you mean 'x_r'"):
        classify_points(g1, {"x_rr": np.ones(2)})


# ------------------------------------------------------------------ writers
def test_csv_columns_follow_the_contract(g1_map, tmp_path):
    path = tmp_path / "map.csv"
    write_table(path, *table_of(g1_map))
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["x_r", "n_us", "regime", "equilibria", "boundary"]
    assert len(rows) == 1 + 16 * 21
    by_point = {(float(r[0]), float(r[1])): r for r in rows[1:]}
    row = by_point[(8.0, 8.0)]
    assert row[2].startswith(E1) and row[3] == "3" and row[4] == "false"
    assert by_point[(5.0, 8.0)][4] == "true"


def test_json_output(g1_map, tmp_path):
    path = tmp_path / "map.json"
    write_json(path, sweep_dict(g1_map))
    data = json.loads(path.read_text())
    assert data["parameters"] == ["x_r", "n_us"] and data["shape"] == [16, 21]
    assert data["regimes"][data["regime"][8][12]] == g1_map.regimes.labels[8, 12]


def test_interrupted_write_leaves_no_file(g1_map, tmp_path, monkeypatch):

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    table_module = importlib.import_module("gametheory.report.sweep_table")
    monkeypatch.setattr(table_module, "_arrow_batch", interrupted)
    monkeypatch.setattr(table_module, "_csv_rows", interrupted)
    for name in ("map.csv", "map.parquet"):
        with pytest.raises(KeyboardInterrupt):
            write_table(tmp_path / name, *table_of(g1_map))
    assert list(tmp_path.iterdir()) == []


def test_too_many_points_is_refused_with_a_memory_estimate(g1):
    with pytest.raises(InputError, match=r"100,000,000 points \(about .* of memory\).*--max-points"):
        sweep(g1, {"x_r": (0, 15, 10_000), "n_us": (2, 12, 10_000)})
    with pytest.raises(InputError, match=r"x_r has 20,000,000 points; one axis takes at most"):
        sweep(g1, {"x_r": (0, 15, 20_000_000)})


def test_range_outside_the_declared_one_warns(g3):
    with pytest.warns(ParameterRangeWarning, match="outside its declared range"):
        sweep(g3, {"kappa": (0, 2, 3)}, preset="force_arms")


# ---------------------------------------------------------------------- CLI
def _app():
    from gametheory.cli import app
    from gametheory.cli.sensitivity import sensitivity
    from gametheory.cli.sensitivity import sweep as sweep_command

    if "sweep" not in app.commands:
        app.add_command(sweep_command)
    if "sensitivity" not in app.commands:
        app.add_command(sensitivity)
    return app


def _run(*args):
    return CliRunner().invoke(_app(), ["sweep", *map(str, args)])


def test_cli_sweep_writes_csv(tmp_path):
    out = tmp_path / "r.csv"
    result = _run(G3, "--preset", "force_arms", "--vary", "kappa=0.5:0.9:5", "--vary", "a_g=6:10:5", "--out", out)
    assert result.exit_code == 0, result.output
    with open(out, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["kappa", "a_g", "regime", "equilibria", "boundary"] and len(rows) == 26


@pytest.mark.parametrize(
    "args, message",
    [
        (["--vary", "x_rr=0:15:10"], "did you mean 'x_r'"),
        (["--vary", "x_r=0:15:0"], "at least 1"),
        (["--vary", "x_r=0:15"], "NAME=LO:HI:N"),
        (["--vary", "x_r=15:0:10"], "empty"),
        (["--vary", "x_r=0:15:3000", "--vary", "n_us=2:12:3000", "--max-points", "1000000"], "memory"),
        (["--vary", "b_star=0:1:3"], "derived"),
    ],
)
def test_cli_sweep_bad_input_is_exit_2(tmp_path, args, message):
    out = tmp_path / "r.csv"
    result = _run(G1, *args, "--out", out)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_cli_sweep_max_points_raises_the_limit(tmp_path):
    out = tmp_path / "r.csv"
    assert _run(G3, "--vary", "kappa=0:1:11", "--out", out, "--max-points", "10").exit_code == 2
    assert _run(G3, "--vary", "kappa=0:1:11", "--out", out, "--max-points", "11").exit_code == 0


def test_cli_sweep_range_outside_declared_warns(tmp_path):
    out = tmp_path / "r.json"
    result = _run(G3, "--vary", "kappa=0:2:3", "--out", out)
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "outside its declared range" in result.stderr
    assert json.loads(out.read_text())["shape"] == [3]


# ------------------------------------------------------------ pygambit check
@pytest.mark.slow
def test_sweep_agrees_with_gambit_on_a_sample(g1, g1_map):
    gbt = pytest.importorskip("pygambit")
    rm = g1_map.regimes
    rng = np.random.default_rng(3)
    inside = np.argwhere(~rm.boundary)
    for i, j in inside[rng.choice(len(inside), size=6, replace=False)]:
        game = g1.bind({"x_r": g1_map.exact_axes["x_r"][i], "n_us": g1_map.exact_axes["n_us"][j]})
        G = gbt.Game.from_arrays(*[np.asarray(game.payoffs[k], dtype=float) for k in range(3)])
        found = gbt.nash.enumpoly_solve(G, use_strategic=True).equilibria
        assert len(found) == rm.counts[i, j]
