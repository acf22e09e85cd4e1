"""Sensitivity analysis: where each equilibrium holds in parameter space, and exactly where it flips.

* :func:`regime_label`: a stable name for the equilibrium set of a solved game;
* :func:`classify_points` / :func:`sweep`: the regime at many points or on a
  grid (closed forms vectorised with numpy; the general solver where algebra
  cannot answer); :class:`SweepRun` streams a grid of any size chunk by chunk
  (written by :mod:`gametheory.report.sweep_table`);
* :func:`analyse`: every equilibrium family in closed form (:mod:`.symbolic`);
* :func:`thresholds`: the exact critical values of one parameter;
* :func:`conditions` and :func:`comparative_statics`;
* :func:`sensitivity`: all of the above for a report (``gametheory sensitivity``), with
  the subgame-perfect thresholds of a game tree (:class:`SpeScan`);
* :mod:`.tornado`, :mod:`.montecarlo`: one-at-a-time and joint uncertainty;
  :mod:`.profile`: the data of the sensitivity plots.

The computations return result objects; :mod:`gametheory.report` turns them
into text, Markdown, JSON and plots.

sympy is imported only by the functions that need it.
"""

from __future__ import annotations

from .analysis import SensitivityReport, SpeScan, sensitivity
from .labels import family_label, label_count, regime_label
from .statics import Derivative, FamilyReport, comparative_statics, conditions
from .sweep import (
    DEFAULT_MAX_POINTS,
    RegimeMap,
    SweepResult,
    SweepRun,
    classify_points,
    make_grid,
    sweep,
    sweep_dict,
)
from .symbolic import Condition, EquilibriumFamily, FamilySet, analyse
from .thresholds import Interval, ParameterThresholds, Threshold, thresholds

__all__ = [
    "DEFAULT_MAX_POINTS",
    "Condition",
    "Derivative",
    "EquilibriumFamily",
    "FamilyReport",
    "FamilySet",
    "Interval",
    "ParameterThresholds",
    "RegimeMap",
    "SensitivityReport",
    "SpeScan",
    "SweepResult",
    "SweepRun",
    "Threshold",
    "analyse",
    "classify_points",
    "comparative_statics",
    "conditions",
    "family_label",
    "label_count",
    "make_grid",
    "regime_label",
    "sensitivity",
    "sweep",
    "sweep_dict",
    "thresholds",
]
