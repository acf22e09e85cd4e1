"""Closed forms on thresholds: labels of points on a threshold against the general solver at each point."""

from __future__ import annotations

import json
import warnings
from fractions import Fraction as F

import numpy as np
import pytest

import gametheory as gt
from gametheory.report.sweep_table import write_table
from gametheory.scenario import ParameterRangeWarning
from gametheory.sensitivity import boundary, regime_label, sweep
from gametheory.sensitivity.sweep import table_of


def _answered_agree(scenario, result) -> int:
    """Check every boundary point the closed forms answered against the exact solver; return how many."""
    rm = result.regimes
    answered = 0
    for idx in zip(*np.nonzero(rm.boundary & ~rm.solved)):
        if rm.labels[idx] == "boundary":
            continue
        point = {name: result.exact_axes[name][i] for name, i in zip(result.parameters, idx)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ParameterRangeWarning)
            solution = gt.solve(scenario.game_at(scenario.parameter_values(point)))
        assert rm.labels[idx] == regime_label(solution), point
        assert rm.counts[idx] == len({e.component if e.component is not None else -k - 1
                                      for k, e in enumerate(solution.equilibria)})  # fmt: skip
        answered += 1
    return answered


def test_a_threshold_across_both_parameters(g1):
    """x_r = g_r - 5 (with f_r, w_r, a_r at their defaults) is a diagonal of the grid: solved for one parameter."""
    result = sweep(g1, {"x_r": (0, 15, 16), "g_r": (6, 16, 11)}, resolve_boundary=False, cache=False)
    assert _answered_agree(g1, result) >= 15
    rm = result.regimes
    assert rm.on_thresholds == int((rm.boundary & ~rm.solved & (rm.labels != "boundary")).sum())


def test_a_structurally_degenerate_threshold(g1, tmp_path):
    """c_us = 0 makes the US indifferent in whole faces of the game (continua of equilibria); the closed forms of
    that threshold agree with the solver, and the table's metadata counts how the points were answered."""
    with pytest.warns(ParameterRangeWarning):
        result = sweep(g1, {"c_us": (0, 4, 5), "m_us": (0, 4, 5)}, resolve_boundary=False, cache=False)
    assert _answered_agree(g1, result) >= 7
    zero = [result.regimes.labels[0, j] for j in range(5)]
    assert all("continuum(" in label for label in zero if label != "boundary")
    path = tmp_path / "map.csv"
    write_table(path, *table_of(result))
    how = json.loads((tmp_path / "map.meta.json").read_text())["how"]
    rm = result.regimes
    assert how["general_solver"] == 0 and how["unsolved"] == int((rm.labels == "boundary").sum())
    assert how["closed_forms"] + how["threshold_closed_forms"] + how["unsolved"] == 25
    assert how["threshold_closed_forms"] == int(rm.boundary.sum()) - how["unsolved"]


def test_a_repeat_run_reads_the_threshold_forms_from_disk(g1, tmp_path, monkeypatch):
    """The derived forms go to the disk cache: a second process-like run does not derive them again."""
    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(tmp_path))
    vary = {"x_r": (F(4), F(6), 5), "m_us": (0, 4, 3)}
    first = sweep(g1, vary)
    monkeypatch.setattr(boundary, "derive", lambda *a, **k: pytest.fail("derived again"))
    monkeypatch.setattr(boundary, "threshold_factors", lambda *a, **k: pytest.fail("factored again"))
    from gametheory.sensitivity import engine

    engine._ENGINES.clear()
    second = sweep(g1, vary)
    assert (first.regimes.labels == second.regimes.labels).all()
    row = list(first.exact_axes["x_r"]).index(F(5))
    assert not first.regimes.solved[row, 2] and "continuum(" in first.regimes.labels[row, 2]
