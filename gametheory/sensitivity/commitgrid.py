"""Commitment over a parameter grid: the leader's committed payoff, its Nash payoffs and its best commitment
at every point (``gametheory sweep --commit LEADER``).

Unlike the equilibrium sweep, these columns are not evaluated from closed
forms: the leader's best commitment is the optimum of a family of linear
programs whose active set, hence whose formula, changes across the grid, so
each point is solved on its own with the exact solvers of
:mod:`gametheory.solvers.commitment` (two players: the strong mixed
commitment; several followers: the better of the pure commitment and the best
mixture the followers answer with a pure equilibrium, see
:func:`gametheory.solvers.commitment.pure_reply_mixed`). The number of points
is therefore capped (:data:`MAX_COMMIT_POINTS`); the exact thresholds between
the regimes this finds are what ``sensitivity --commit`` and ``commit --vary``
compute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..scenario import Scenario
from ..solvers import solve
from ..solvers.commitment import commitment
from .commitment import leader_index, regime_labeller, solver_methods, subgame_perfect_payoffs
from .sweep import Grid

#: Points solved one by one; a larger grid is refused (``--max-points`` raises it).
MAX_COMMIT_POINTS = 2_000


@dataclass(frozen=True, eq=False)
class CommitmentGrid:
    """Per-point columns (flat, C order over ``grid``).

    ``committed``: the leader's payoff from its best commitment; ``nash_best``,
    ``nash_worst``: its best and worst payoff in the simultaneous game's Nash
    equilibria (NaN when none was found); ``value``: ``committed - nash_best``;
    ``probabilities[s]``: the leader's probability of strategy ``s`` in its best
    commitment; ``labels[codes[k]]``: the regime at point ``k``
    (:func:`gametheory.sensitivity.commitment.regime_of`); ``subgame_perfect``:
    for a tree, the leader's best subgame-perfect payoff (None otherwise).
    """

    leader: str
    grid: Grid
    committed: np.ndarray
    nash_best: np.ndarray
    nash_worst: np.ndarray
    value: np.ndarray
    probabilities: Mapping[str, np.ndarray]
    codes: np.ndarray
    labels: tuple[str, ...]
    subgame_perfect: np.ndarray | None
    notes: tuple[str, ...]

    def share(self) -> dict[str, int]:
        """Points per regime, in order of first appearance."""
        counts = np.bincount(self.codes, minlength=len(self.labels))
        return {label: int(counts[k]) for k, label in enumerate(self.labels)}


def commitment_grid(
    scenario: Scenario,
    grid: Grid,
    base_point: Mapping[str, Any],
    leader: str,
    *,
    max_points: int = MAX_COMMIT_POINTS,
    progress: Callable[[int, int], None] | None = None,
) -> CommitmentGrid:
    """The leader's best commitment at every point of ``grid`` (the other parameters at ``base_point``)."""
    if grid.size > max_points:
        raise InputError(
            f"--commit solves each of the {grid.size:,} grid points on its own (its optimum has no closed form "
            f"across the grid); the limit is {max_points:,}: use fewer points, or --max-points"
        )
    fixed = {k: v for k, v in base_point.items() if k in scenario.parameters}
    first = scenario.game_at(scenario.with_derived({**fixed, **grid.exact_at(0)}))
    index = leader_index(first, leader, scenario.file)
    label = regime_labeller(scenario, index)
    size = grid.size
    columns = {name: np.full(size, np.nan) for name in ("committed", "nash_best", "nash_worst")}
    probabilities = {s: np.zeros(size) for s in first.strategies[index]}
    spe = np.full(size, np.nan) if scenario.extensive is not None else None
    codes = np.zeros(size, dtype=np.int32)
    labels: dict[str, int] = {}
    for k in range(size):
        game = scenario.game_at(scenario.with_derived({**fixed, **grid.exact_at(k)}))
        nash_method, follower_method = solver_methods(scenario, game)
        result = commitment(
            game, index, nash=solve(game, nash_method), correlated=False, follower_method=follower_method
        )
        columns["committed"][k] = float(result.value)
        if result.nash_best is not None and result.nash_worst is not None:
            columns["nash_best"][k] = float(result.nash_best[index])
            columns["nash_worst"][k] = float(result.nash_worst[index])
        for s, p in zip(first.strategies[index], result.best_commitment.profile[index]):
            probabilities[s][k] = float(p)
        if spe is not None:
            payoffs = subgame_perfect_payoffs(scenario, game)
            spe[k] = max(float(p[index]) for p in payoffs) if payoffs else np.nan
        codes[k] = labels.setdefault(label(result), len(labels))
        if progress is not None:
            progress(k + 1, size)
    notes = [f"{size:,} points, each solved on its own with the exact commitment solvers (no closed form)"]
    if first.num_players > 2:
        notes.append(
            "several followers: the commitment shown is the better of the pure one and the best mixture the "
            "followers answer with a pure equilibrium; `commit` also searches mixtures they answer with a mixed "
            "equilibrium (a leader with two strategies)"
        )
    return CommitmentGrid(
        leader=first.players[index],
        grid=grid,
        committed=columns["committed"],
        nash_best=columns["nash_best"],
        nash_worst=columns["nash_worst"],
        value=columns["committed"] - columns["nash_best"],
        probabilities=probabilities,
        codes=codes,
        labels=tuple(labels),
        subgame_perfect=spe,
        notes=tuple(notes),
    )


def grid_columns(result: CommitmentGrid) -> dict[str, Any]:
    """The table's columns: the varied parameters, the payoffs, the leader's probabilities and the regime
    (``(codes, labels)``, dictionary-encoded), in the form of :data:`gametheory.report.sweep_table.Batch`."""
    leader = result.leader
    columns: dict[str, Any] = dict(result.grid.values_at(0, result.grid.size))
    columns[f"committed:{leader}"] = result.committed
    columns[f"nash_best:{leader}"] = result.nash_best
    columns[f"nash_worst:{leader}"] = result.nash_worst
    columns["value_of_commitment"] = result.value
    if result.subgame_perfect is not None:
        columns[f"subgame_perfect:{leader}"] = result.subgame_perfect
    for strategy, column in result.probabilities.items():
        columns[f"P:{leader}:{strategy}"] = column
    columns["commitment"] = (result.codes, list(result.labels))
    return columns


def grid_metadata(result: CommitmentGrid, scenario: Scenario, fixed: Mapping[str, Any]) -> dict[str, Any]:
    """What the table file carries besides its rows: the grid, the fixed values, the regimes and notes."""
    from .sweep import sweep_metadata

    meta = sweep_metadata(scenario.title, scenario.file, result.grid, fixed, {}, result.notes)
    meta["leader"] = result.leader
    meta["regimes"] = result.share()
    return meta


def grid_dict(result: CommitmentGrid, scenario: Scenario, fixed: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON form: the metadata and every column as a list (NaN as null)."""
    out = grid_metadata(result, scenario, fixed)
    columns = {}
    for name, column in grid_columns(result).items():
        if isinstance(column, tuple):
            codes, labels = column
            columns[name] = [labels[c] for c in codes.tolist()]
        else:
            columns[name] = [None if np.isnan(x) else x for x in column.tolist()]
    out["columns"] = columns
    return out
