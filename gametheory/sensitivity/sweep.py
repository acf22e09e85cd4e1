"""The regime engine: the equilibrium set at many parameter points, vectorised.

"Symbolic once, numeric many" (DESIGN.md): :mod:`.symbolic` solves every
support's indifference equations once, in closed form, as functions of the
varied parameters; here those closed forms (the probabilities and the
existence conditions of every equilibrium family) are compiled with
``sympy.lambdify`` and evaluated with numpy over the whole point set at once.
A point's regime is the set of families whose conditions all hold there,
named by :func:`~.labels.combine` exactly as :func:`~.labels.regime_label`
names a solver's :class:`~gametheory.solution.Solution`, so the two paths can
be compared point by point.

Two kinds of points go to the general solver (:func:`gametheory.solve`,
exact, in parallel worker processes) instead:

* every point, when algebra cannot answer for the scenario (piecewise
  payoffs in the varied parameters, supports whose equations sympy could not
  solve in time, structurally degenerate games);
* **boundary points**, where some family's existence condition is zero within
  a tolerance, a closed form is singular, or the game is degenerate (a payoff
  tie). There the equilibrium set is not the union of the open regions
  around it (a threshold, a continuum of equilibria), so it is either solved
  exactly (``resolve_boundary``) or labelled ``boundary``. Either way
  ``RegimeMap.boundary`` is True there: such points are reported as what they
  are, never given the label of a neighbouring region.

Public entry points: :func:`classify_points` (any point set, e.g. Monte Carlo
draws), :func:`sweep` (a grid, in memory) and :class:`SweepRun` (a grid of any
size, chunk by chunk), plus the columns and metadata of their table files
(:func:`column_batches`, :func:`sweep_metadata`), which
:mod:`gametheory.report.sweep_table` writes.
"""

from __future__ import annotations

import math
import operator
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from .._limits import human_bytes, keep_freed_memory
from ..errors import InputError
from ..scenario import ParameterRangeWarning, Scenario, coerce_number
from .engine import RegimeEngine
from .labels import label_count, regime_label

#: Largest grid :func:`sweep` holds in memory unless ``max_points`` says otherwise (a :class:`SweepRun`
#: streamed to a file has no such limit: see :data:`MAX_STREAM_POINTS`).
DEFAULT_MAX_POINTS = 20_000_000
#: Largest grid a streamed sweep accepts (memory does not grow with it; time and disk do).
MAX_STREAM_POINTS = 10**12
#: Most values on one axis (the exact axis values are kept in memory).
MAX_AXIS_POINTS = 10_000_000
#: Points evaluated together by the vectorised path (bounds the working memory).
CHUNK = 131_072
#: Largest chunk a checkpoint record may describe.
CHUNK_LIMIT = 2**24
#: Relative tolerance under which a condition counts as zero (a boundary point).
TOLERANCE = 1e-9
#: Boundary points solved exactly by default (more are labelled ``boundary``).
RESOLVE_LIMIT = 2_000

BOUNDARY = "boundary"
Progress = Callable[[int, int], None]


# ------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class RegimeMap:
    """The regime at each of a set of parameter points (all arrays share ``shape``).

    ``regimes`` lists the distinct labels; ``codes[idx]`` indexes into it.
    ``labels`` is the per-point label (an object array of str), ``counts`` the
    number of equilibria (a continuum counted once), ``boundary`` True where a condition is zero within
    tolerance or the game is degenerate, ``how`` ``"symbolic"`` (closed forms)
    or ``"solver"`` (the general solver at that point). A boundary point that
    was not solved has the label ``"boundary"`` and count -1.
    """

    parameters: tuple[str, ...]
    shape: tuple[int, ...]
    regimes: tuple[str, ...]
    codes: np.ndarray
    counts: np.ndarray
    boundary: np.ndarray
    solved: np.ndarray
    notes: tuple[str, ...] = ()
    elapsed: float = 0.0
    on_thresholds: int = 0

    @cached_property
    def labels(self) -> np.ndarray:
        table = np.empty(len(self.regimes), dtype=object)
        table[:] = list(self.regimes)
        return table[self.codes]

    @cached_property
    def how(self) -> np.ndarray:
        return np.where(self.solved, "solver", "symbolic")

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def share(self) -> dict[str, int]:
        """How many points fall in each regime (most common first)."""
        counts = np.bincount(self.codes.ravel(), minlength=len(self.regimes))
        order = np.argsort(-counts, kind="stable")
        return {self.regimes[k]: int(counts[k]) for k in order if counts[k]}


@dataclass(frozen=True, eq=False)
class SweepResult:
    """A grid sweep: the axes, the regime at every grid point, and the mixed probabilities.

    ``axes[name]`` are the float grid values, ``exact_axes[name]`` the same
    values as exact Fractions (``lo + k*(hi - lo)/(n - 1)``). ``regimes.shape``
    is ``tuple(len(axis) for axis in axes.values())`` (``indexing="ij"``).
    ``engine`` holds the compiled closed forms (None when algebra could not
    answer or probabilities were not asked for): :meth:`probabilities` and
    :func:`value_columns` evaluate them. ``subgame_perfect`` (game trees
    only) gives the subgame-perfect outcomes of a range of flat grid points
    (see :func:`subgame_perfect_column`).
    """

    title: str
    file: str | None
    parameters: tuple[str, ...]
    axes: Mapping[str, np.ndarray]
    exact_axes: Mapping[str, Sequence[Fraction]]
    fixed: Mapping[str, Fraction | float]
    regimes: RegimeMap
    engine: Any = field(default=None, repr=False)
    subgame_perfect: Any = field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    elapsed: float = 0.0
    #: The scenario's names of equilibria (support by strategy names -> name), for display only.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)

    def probabilities(self) -> dict[str, dict[str, np.ndarray]]:
        """``{family: {"PLAYER:STRATEGY": array}}``: each mixed family's probabilities on the grid (NaN where it does
        not hold, and at points the general solver answered)."""
        grid = Grid(self.parameters, self.exact_axes, self.axes)
        rm = self.regimes
        columns = value_columns(self.engine, grid.values_at(0, rm.size), ~rm.boundary.reshape(-1))
        out: dict[str, dict[str, np.ndarray]] = {}
        for name, column in columns.items():
            family, _, rest = name.partition(":")
            if not rest.startswith("payoff:") and not np.isnan(column).all():
                out.setdefault(family, {})[rest] = column.reshape(rm.shape)
        return out

    def grid(self) -> dict[str, np.ndarray]:
        """The full coordinate arrays (``np.meshgrid(..., indexing="ij")``)."""
        mesh = np.meshgrid(*self.axes.values(), indexing="ij")
        return dict(zip(self.parameters, mesh))


# ------------------------------------------------------------------ helpers
def _suggest(name: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_parameter(scenario: Scenario, name: str, what: str = "parameter") -> None:
    """Raise :class:`InputError` unless ``name`` is a (non-derived) parameter of the scenario."""
    if name in scenario.parameters:
        return
    if name in scenario.derived:
        raise InputError(
            f"{name!r} is a derived parameter ({scenario.derived[name].expression.text}); "
            "vary the parameters it is computed from",
            file=scenario.file,
        )
    known = ", ".join(scenario.parameters) or "(none)"
    raise InputError(
        f"unknown {what} {name!r}{_suggest(name, scenario.parameters)}; parameters are: {known}", file=scenario.file
    )


def _warn_range(scenario: Scenario, name: str, low: float, high: float) -> None:
    param = scenario.parameters[name]
    if param.range is None:
        return
    if low < float(param.low) or high > float(param.high):
        warnings.warn(
            f"{name} goes from {low:g} to {high:g}, outside its declared range "
            f"[{float(param.low):g}, {float(param.high):g}]",
            ParameterRangeWarning,
            stacklevel=3,
        )


def base_values(scenario: Scenario, base: Mapping[str, object] | None, preset: str | None) -> dict[str, Any]:
    """Exact values of every parameter (defaults, preset, ``base``) before varying any."""
    return scenario.parameter_values(base or {}, preset=preset)


def memory_estimate(points: int, parameters: int) -> int:
    """Rough bytes an in-memory sweep of ``points`` points keeps (codes, counts, flags, labels, one coordinate mesh)."""
    return points * (4 + 2 + 1 + 1 + 8 + 8 * parameters)


def table_size_estimate(points: int, parameters: int, fmt: str, values: bool = False) -> int:
    """Rough bytes of a sweep table on disk: generous for CSV text, a few bytes per cell for compressed Parquet."""
    parquet = fmt == "parquet"
    per_row = (2 * parameters + 4) if parquet else (22 * parameters + 80)
    return points * (per_row + (24 if parquet else 240) * values)


def exact_point(values: Mapping[str, Any]) -> dict[str, Fraction | float]:
    """Exact Fractions for the numbers in ``values`` (floats read through their shortest decimal)."""
    return {
        k: (v if isinstance(v, Fraction) else coerce_number(v if not isinstance(v, np.generic) else v.item()))
        for k, v in values.items()
    }


# --------------------------------------------------------- per-point solver
def _solve_one(scenario: Scenario, values: Mapping[str, Any], method: str) -> tuple[str, int]:
    from ..solvers import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.game_at(scenario.with_derived(values))
        if scenario.extensive is not None:
            from ..solvers.trees import structure_method

            method = structure_method(scenario, game, method)
        solution = solve(game, method)
    label = regime_label(solution)
    return label, label_count(label)


@dataclass(frozen=True, eq=False)
class _PointBatches:
    """The job of :func:`_solve_batch`: points cut into batches of ``size``."""

    scenario: Scenario
    method: str
    points: Sequence[Mapping[str, Any]]
    size: int

    @property
    def count(self) -> int:
        return math.ceil(len(self.points) / self.size)


def _solve_batch(job: _PointBatches, index: int) -> list[tuple[str, int]]:
    """Solve batch ``index`` of a :class:`_PointBatches` (runs in a worker process or on a Dask worker)."""
    batch = job.points[index * job.size : (index + 1) * job.size]
    return [_solve_one(job.scenario, values, job.method) for values in batch]


def solve_points(
    scenario: Scenario,
    points: Sequence[Mapping[str, Any]],
    *,
    method: str = "auto",
    jobs: int | None = None,
    progress: Progress | None = None,
    scheduler: Any = None,
) -> list[tuple[str, int]]:
    """(label, number of equilibria) at each point (complete exact value mappings), with the general solver.

    A continuum of equilibria counts once (as in :func:`~.labels.label_count`).
    Batches of points run in ``jobs`` local worker processes (default: up to
    2, the cores of the project's machines) or, with ``scheduler`` (an
    address or a ``distributed.Client``), on a Dask cluster
    (:func:`.executor.run_chunks`); ``progress(done, total)`` counts points.
    """
    from .executor import default_workers, run_chunks
    from .treesweep import exact_tree_labels

    total = len(points)
    if (known := exact_tree_labels(scenario, points, method)) is not None:
        return known  # a tree answered in exact arithmetic, no solver needed
    workers = default_workers() if jobs is None else jobs
    size = max(1, min(64, math.ceil(total / (max(1, workers) * 8))))
    job = _PointBatches(scenario, method, list(points), size)
    out: list[tuple[str, int]] = [("", 0)] * total
    done = 0

    def finished(index: int, results: list[tuple[str, int]]) -> None:
        nonlocal done
        out[index * size : index * size + len(results)] = results
        done += len(results)
        if progress is not None:
            progress(done, total)

    workers = workers if total >= 8 else 1  # starting processes does not pay for a handful of points
    run_chunks(_solve_batch, job, range(job.count), finished, scheduler=scheduler, workers=workers)
    return out


# ------------------------------------------------------------- classification
def _broadcast(
    scenario: Scenario, values: Mapping[str, Any]
) -> tuple[tuple[str, ...], dict[str, np.ndarray], tuple[int, ...]]:
    if not values:
        raise InputError("no parameter to vary: give at least one parameter and its values")
    names = tuple(values)
    for name in names:
        check_parameter(scenario, name)
    arrays = {}
    for name in names:
        raw = values[name]
        try:
            arr = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"values of {name} must be numbers") from None
        if not np.all(np.isfinite(arr)):
            raise InputError(f"values of {name} must be finite numbers")
        arrays[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        raise InputError("the value arrays of the varied parameters do not broadcast to one shape") from None
    return names, {k: np.broadcast_to(v, shape) for k, v in arrays.items()}, shape


class LabelTable:
    """Regime labels in order of first appearance, each with a stable integer code for one run."""

    def __init__(self) -> None:
        self.regimes: list[str] = []
        self.index_of: dict[str, int] = {}

    def code(self, label: str) -> int:
        """The code of ``label``, a new one if it has not been met yet."""
        k = self.index_of.get(label)
        if k is None:
            k = self.index_of[label] = len(self.regimes)
            self.regimes.append(label)
        return k

    def canonical(self, codes: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
        """The labels in sorted order and ``codes`` renumbered to match, so that codes are stable across runs."""
        order = sorted(range(len(self.regimes)), key=lambda k: self.regimes[k])
        remap = np.empty(len(self.regimes), dtype=np.int32)
        remap[order] = np.arange(len(self.regimes), dtype=np.int32)
        return tuple(self.regimes[k] for k in order), (remap[codes] if len(self.regimes) else codes)


@dataclass(frozen=True, eq=False)
class PointChunk:
    """The regimes of the points ``start .. start + len(codes) - 1`` (flat, C order); codes index a :class:`LabelTable`."""

    start: int
    codes: np.ndarray
    counts: np.ndarray
    boundary: np.ndarray
    solved: np.ndarray


@dataclass
class _Classifier:
    """Labels points chunk by chunk: closed forms first, then the general solver where they cannot answer.

    ``values_at(lo, hi)`` gives the float values of the varied parameters at
    flat points ``lo .. hi - 1``; ``exact_at(k)`` every parameter's exact value
    at flat point ``k`` (for the solver). At most ``resolve_limit`` boundary
    points are solved in the whole run; beyond that they are labelled
    :data:`BOUNDARY` (and said so in ``notes``).
    """

    scenario: Scenario
    engine: Any
    values_at: Callable[[int, int], dict[str, np.ndarray]]
    exact_at: Callable[[int], dict[str, Any]]
    resolve_limit: int
    tolerance: float = TOLERANCE
    method: str = "auto"
    jobs: int | None = None
    scheduler: Any = None
    table: LabelTable = field(default_factory=LabelTable)
    notes: list[str] = field(default_factory=list)
    boundary_seen: int = 0
    left_unsolved: int = 0
    thresholds: Any = None
    on_thresholds: int = 0
    mesh_at: Callable[[int, int], tuple[dict[str, np.ndarray], int] | None] | None = None

    def chunk(self, lo: int, hi: int, recorded: Any = None) -> PointChunk:
        """Classify flat points ``lo .. hi - 1``.

        ``recorded``: the general solver's answers for this chunk from a
        checkpoint (:func:`solver_record`), used instead of solving again.
        """
        n = hi - lo
        codes = np.zeros(n, dtype=np.int32)
        counts = np.zeros(n, dtype=np.int16)
        boundary = np.zeros(n, dtype=bool)
        if self.engine is not None:
            mesh = self.mesh_at(lo, hi) if self.mesh_at is not None else None
            values, offset = (self.values_at(lo, hi), 0) if mesh is None else mesh
            part = self.engine.classify(values, tolerance=self.tolerance)
            found, edge = part.codes[offset : offset + n], part.boundary[offset : offset + n]
            inside = ~edge
            used = np.bincount(found[inside], minlength=len(part.regimes)) > 0  # a mesh may cover extra points
            table = np.asarray([self.table.code(label) if u else -1 for label, u in zip(part.regimes, used)],
                               dtype=np.int32)  # fmt: skip
            ncount = np.asarray([label_count(r) for r in part.regimes], dtype=np.int16)
            codes[inside] = table[found[inside]]
            counts[inside] = ncount[found[inside]]
            boundary[:] = edge
            todo = np.flatnonzero(boundary)
            if len(todo) and self.thresholds is not None:
                todo = self._on_thresholds(lo, hi, todo, codes, counts)
            todo = self._within_limit(todo, codes, counts)
        else:
            todo = np.arange(n)
        solved = np.zeros(n, dtype=bool)
        if len(todo):
            for k, (label, count) in zip(todo, self._solve(lo, todo, recorded)):
                codes[k], counts[k] = self.table.code(label), count
            solved[todo] = True
        return PointChunk(lo, codes, counts, boundary, solved)

    def _on_thresholds(self, lo: int, hi: int, todo: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Label the boundary points ``todo`` that the closed forms of their threshold answer; return the others."""
        values = {name: np.asarray(v).reshape(-1)[todo] for name, v in self.values_at(lo, hi).items()}
        exact = [self.exact_at(lo + int(k)) for k in todo]
        found, labels = self.thresholds.answer(values, exact, self.tolerance)
        if not labels:
            return todo
        table = np.asarray([self.table.code(label) for label in labels], dtype=np.int32)
        ncount = np.asarray([label_count(label) for label in labels], dtype=np.int16)
        done = found >= 0
        codes[todo[done]] = table[found[done]]
        counts[todo[done]] = ncount[found[done]]
        self.on_thresholds += int(done.sum())
        return todo[~done]

    def _solve(self, lo: int, todo: np.ndarray, recorded: Any) -> list[tuple[str, int]]:
        """The general solver's answers at the chunk's points ``todo`` (offsets), or the checkpoint's."""
        if recorded is None:
            points = [self.exact_at(lo + int(k)) for k in todo]
            return solve_points(self.scenario, points, method=self.method, jobs=self.jobs, scheduler=self.scheduler)
        offsets = [k for k, _, _ in recorded["solved"]]
        if offsets != todo.tolist():
            raise InputError(
                f"the checkpoint's chunk starting at point {lo} solved other points than this run leaves to the "
                "solver (a changed tool or tolerance?); delete the checkpoint to start again"
            )
        return [(label, count) for _, label, count in recorded["solved"]]

    def _within_limit(self, todo: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The boundary points of a chunk still within the run's limit; the others are labelled BOUNDARY."""
        room = max(0, self.resolve_limit - self.boundary_seen)
        self.boundary_seen += len(todo)
        if len(todo) <= room:
            return todo
        rest = todo[room:]
        codes[rest], counts[rest] = self.table.code(BOUNDARY), -1
        self.left_unsolved += len(rest)
        return todo[:room]

    def finish_notes(self) -> list[str]:
        """The notes of the run, including how many boundary points were left unsolved."""
        notes = list(self.notes)
        if self.left_unsolved:
            notes.append(
                f"{self.left_unsolved} boundary points (a condition is zero there) were labelled {BOUNDARY!r} "
                f"instead of being solved (limit {self.resolve_limit})"
            )
        return notes


def _engine_or_note(scenario: Scenario, names, fixed, symbolic: bool, cache: bool, notes: list[str]):
    """The compiled closed forms, or None (with a note saying why) when algebra cannot answer."""
    if not symbolic:
        return None
    from .treesweep import closed_form_engine

    engine = closed_form_engine(scenario, names, fixed, cache=cache)
    if engine.supported:
        return engine
    notes.append(f"closed forms unavailable ({engine.reason}); every point was solved by the general solver")
    return None


def _thresholds(scenario: Scenario, engine, names, fixed: Mapping[str, Any], cache: bool):
    """The closed forms on thresholds (:class:`.boundary.BoundarySolver`) for a normal-form engine, else None."""
    if not isinstance(engine, RegimeEngine):
        return None
    from .boundary import BoundarySolver

    return BoundarySolver(scenario, names, fixed, engine.scale, cache=cache)


def _chunk_bounds(size: int, chunk: int = CHUNK) -> list[tuple[int, int]]:
    return [(lo, min(size, lo + chunk)) for lo in range(0, size, chunk)]


def _collect(
    chunks, size: int, table: LabelTable, progress: Progress | None
) -> tuple[tuple[str, ...], np.ndarray, ...]:
    """Gather the chunks of a run into whole arrays (labels in canonical order)."""
    codes = np.zeros(size, dtype=np.int32)
    counts = np.zeros(size, dtype=np.int16)
    boundary = np.zeros(size, dtype=bool)
    solved = np.zeros(size, dtype=bool)
    for part in chunks:
        sl = slice(part.start, part.start + len(part.codes))
        codes[sl], counts[sl], boundary[sl], solved[sl] = part.codes, part.counts, part.boundary, part.solved
        if progress is not None:
            progress(sl.stop, size)
    regimes, codes = table.canonical(codes)
    return regimes, codes, counts, boundary, solved


def classify_points(
    scenario: Scenario,
    values: Mapping[str, np.ndarray],
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    exact: Callable[[tuple[int, ...]], Mapping[str, Fraction]] | None = None,
    method: str = "auto",
    symbolic: bool = True,
    resolve_boundary: bool | int = True,
    tolerance: float = TOLERANCE,
    cache: bool = True,
) -> RegimeMap:
    """The regime (equilibrium-set label) at every point of ``values``.

    ``values`` maps parameter names to arrays that broadcast to one shape;
    every other parameter keeps its value from the defaults, ``preset`` and
    ``base``. The result's arrays have the broadcast shape.

    ``symbolic`` uses the closed forms where algebra answers (the fast path;
    ``cache`` keeps them on disk, :mod:`.formcache`); otherwise, and at
    boundary points when ``resolve_boundary`` is true (or an int: at most that
    many), every point is solved by the general solver (``method``) in
    ``jobs`` processes, exactly: ``exact(index)`` may give the exact values of
    a point (e.g. grid values ``lo + k*step``); by default the floats are read
    through their shortest decimal form. Points given by ``exact`` that lie
    exactly on a threshold are answered by its closed forms (:mod:`.boundary`). ``progress(done, total)`` reports
    the points done.
    """
    start = time.perf_counter()
    names, arrays, shape = _broadcast(scenario, values)
    for name in names:
        arr = arrays[name]
        if arr.size:
            _warn_range(scenario, name, float(arr.min()), float(arr.max()))
    fixed = base_values(scenario, base, preset)
    size = int(np.prod(shape, dtype=np.int64))
    flat = {k: np.ascontiguousarray(v).reshape(-1) for k, v in arrays.items()}

    def exact_at(k: int) -> dict[str, Any]:
        if exact is not None:
            point = dict(exact(tuple(int(i) for i in np.unravel_index(k, shape)) if shape else ()))
        else:
            point = exact_point({name: float(flat[name][k]) for name in names})
        return {**fixed, **point}

    notes: list[str] = []
    engine = _engine_or_note(scenario, names, fixed, symbolic and size > 0, cache, notes)
    classifier = _Classifier(
        scenario,
        engine,
        lambda lo, hi: {k: v[lo:hi] for k, v in flat.items()},
        exact_at,
        _boundary_limit(resolve_boundary),
        tolerance,
        method,
        jobs,
        notes=notes,
        # only points given exactly can lie exactly on a threshold (float draws are solved where flagged)
        thresholds=_thresholds(scenario, engine, names, fixed, cache) if exact is not None else None,
    )
    chunks = (classifier.chunk(lo, hi) for lo, hi in _chunk_bounds(size))
    regimes, codes, counts, boundary, solved = _collect(chunks, size, classifier.table, progress)
    return RegimeMap(
        parameters=names,
        shape=tuple(shape),
        regimes=regimes,
        codes=codes.reshape(shape),
        counts=counts.reshape(shape),
        boundary=boundary.reshape(shape),
        solved=solved.reshape(shape),
        notes=tuple(classifier.finish_notes()),
        elapsed=time.perf_counter() - start,
        on_thresholds=classifier.on_thresholds,
    )


def _boundary_limit(resolve_boundary: bool | int) -> int:
    """How many boundary points to solve exactly: the int given, :data:`RESOLVE_LIMIT` for True, none for False."""
    if isinstance(resolve_boundary, int) and not isinstance(resolve_boundary, bool):
        return resolve_boundary
    return RESOLVE_LIMIT if resolve_boundary else 0


# -------------------------------------------------------------------- grids
class ExactAxis(Sequence[Fraction]):
    """``n`` evenly spaced exact values ``lo + k*(hi - lo)/(n - 1)``, each made when it is read.

    A sweep reads only a few of them exactly (the points the general solver or a threshold's closed forms
    answer, the ends for the metadata), so building every Fraction up front would cost more than that.
    :meth:`floats` gives all of them, correctly rounded, from integer arithmetic.
    """

    def __init__(self, lo: Fraction, hi: Fraction, n: int):
        self.lo, self.hi, self.n = lo, hi, n
        # value k = (a + k*b) / d with integers a, b, d
        self._d = lo.denominator * hi.denominator * max(1, n - 1)
        self._a = lo.numerator * hi.denominator * max(1, n - 1)
        self._b = hi.numerator * lo.denominator - lo.numerator * hi.denominator

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return tuple(self[j] for j in range(*k.indices(self.n)))
        k = operator.index(k)
        if k < 0:
            k += self.n
        if not 0 <= k < self.n:
            raise IndexError("grid index out of range")
        return Fraction(self._a + k * self._b, self._d)

    def index(self, value, start: int = 0, stop: int | None = None) -> int:
        """The position of ``value`` on the axis (``ValueError`` if it is not a grid value)."""
        if self.n > 1 and self._b:
            k = (Fraction(value) * self._d - self._a) / self._b
            if k.denominator == 1 and 0 <= k < self.n and start <= k < (self.n if stop is None else stop):
                return int(k)
        elif self.n >= 1 and Fraction(value) == self[0] and start <= 0:
            return 0
        raise ValueError(f"{value} is not a value of this axis")

    def __contains__(self, value) -> bool:
        try:
            self.index(value)
        except (ValueError, TypeError):
            return False
        return True

    def floats(self) -> np.ndarray:
        """Every value as the nearest float (Python's integer division rounds correctly)."""
        a, b, d = self._a, self._b, self._d
        return np.asarray([(a + k * b) / d for k in range(self.n)], dtype=np.float64)

    def __repr__(self) -> str:
        return f"ExactAxis({self.lo}, {self.hi}, {self.n})"


def grid_axis(lo: object, hi: object, n: int) -> ExactAxis:
    """``n`` evenly spaced exact values from ``lo`` to ``hi`` inclusive."""
    lo_f, hi_f = coerce_number(lo, what="range start"), coerce_number(hi, what="range end")
    return ExactAxis(lo_f, hi_f if n > 1 else lo_f, n)


def check_grid(scenario: Scenario, vary: Mapping[str, tuple[object, object, int]], max_points: int) -> int:
    """Validate a grid request; return its number of points. Raises :class:`InputError`."""
    if not vary:
        raise InputError("give at least one --vary NAME=LO:HI:N")
    total = 1
    for name, (lo, hi, n) in vary.items():
        check_parameter(scenario, name)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise InputError(f"the number of points for {name} must be a whole number, got {n!r}")
        if n < 1:
            raise InputError(f"the number of points for {name} must be at least 1, got {n}")
        if n > MAX_AXIS_POINTS:
            raise InputError(f"{name} has {n:,} points; one axis takes at most {MAX_AXIS_POINTS:,}")
        lo_f, hi_f = coerce_number(lo, what=f"start of {name}"), coerce_number(hi, what=f"end of {name}")
        if n > 1 and lo_f >= hi_f:
            raise InputError(f"the range of {name} is empty: {lo} to {hi} (the start must be below the end)")
        total *= int(n)
    if total > max_points:
        need = memory_estimate(total, len(vary))
        raise InputError(
            f"the grid has {total:,} points (about {human_bytes(need)} of memory); the limit is {max_points:,} "
            "points: use fewer points or raise the limit with --max-points"
            + (
                "; or write a .parquet or .csv table instead of .json or --plot: a table is written chunk by "
                "chunk, holds one chunk in memory and takes up to 10^12 points"
                if max_points <= DEFAULT_MAX_POINTS
                else ""
            )
        )
    return total


@dataclass(frozen=True, eq=False)
class Grid:
    """A validated grid: exact and float axes, and the values at any range of its flat (C-order) points."""

    names: tuple[str, ...]
    exact_axes: Mapping[str, Sequence[Fraction]]
    axes: Mapping[str, np.ndarray]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(self.axes[n]) for n in self.names)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def values_at(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        """The float value of every varied parameter at flat points ``lo .. hi - 1`` (no full mesh is built)."""
        return {name: np.asarray(column) for name, column in self.columns_at(lo, hi).items()}

    def columns_at(self, lo: int, hi: int) -> dict[str, AxisColumn]:
        """The same as :meth:`values_at`, each as an :class:`AxisColumn` (the axis and the index into it)."""
        index = np.unravel_index(np.arange(lo, hi, dtype=np.int64), self.shape)
        return {name: AxisColumn(self.axes[name], index[k]) for k, name in enumerate(self.names)}

    def mesh_at(self, lo: int, hi: int) -> tuple[dict[str, np.ndarray], int] | None:
        """Values that broadcast to the whole rows covering flat points ``lo .. hi - 1`` (the leading parameters
        as a column, the last axis as a row) and the offset of point ``lo`` in them; None for one axis, or when
        the rows would be much larger than the range."""
        shape = self.shape
        width = shape[-1]
        if len(shape) < 2 or 4 * width > hi - lo:
            return None
        first, last = lo // width, -(-hi // width)
        rows = np.unravel_index(np.arange(first, last, dtype=np.int64), shape[:-1])
        values = {name: self.axes[name][rows[k]][:, None] for k, name in enumerate(self.names[:-1])}
        values[self.names[-1]] = self.axes[self.names[-1]][None, :]
        return values, lo - first * width

    def exact_at(self, k: int) -> dict[str, Fraction]:
        """The exact value of every varied parameter at flat point ``k``."""
        index = np.unravel_index(k, self.shape)
        return {name: self.exact_axes[name][int(i)] for name, i in zip(self.names, index)}


class AxisColumn:
    """A column of grid coordinates kept as ``axis[index]``: an array to numpy, while a table writer can
    render each of the few axis values once (:mod:`gametheory.report.sweep_table`)."""

    def __init__(self, axis: np.ndarray, index: np.ndarray):
        self.axis, self.index = axis, index

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = self.axis[self.index]
        return values if dtype is None else values.astype(dtype)

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, part: slice) -> AxisColumn:
        return AxisColumn(self.axis, self.index[part])


def make_grid(scenario: Scenario, vary: Mapping[str, tuple[object, object, int]], max_points: int) -> Grid:
    """Validate ``vary = {name: (lo, hi, n)}`` and build its :class:`Grid` (warning once per parameter out of range)."""
    check_grid(scenario, vary, max_points)
    names = tuple(vary)
    exact_axes = {name: grid_axis(*vary[name]) for name in names}
    for name in names:
        axis = exact_axes[name]
        _warn_range(scenario, name, float(axis.lo), float(axis.hi))
    axes = {name: exact_axes[name].floats() for name in names}
    return Grid(names, exact_axes, axes)


class SweepRun:
    """A grid sweep evaluated chunk by chunk: iterate to get :class:`PointChunk` objects in order.

    Memory stays bounded by the chunk size whatever the grid size: nothing of
    a chunk is kept once it has been handed out, except the label table and
    the running totals (:meth:`share`, ``boundary``, ``solved``).
    """

    def __init__(
        self,
        scenario: Scenario,
        grid: Grid,
        base_point: Mapping[str, Any],
        *,
        method: str = "auto",
        jobs: int | None = None,
        symbolic: bool = True,
        resolve_boundary: bool | int = True,
        tolerance: float = TOLERANCE,
        cache: bool = True,
        chunk: int = CHUNK,
        scheduler: Any = None,
        checkpoint: str | os.PathLike | None = None,
    ):
        self.start = time.perf_counter()
        keep_freed_memory()  # the chunks' arrays reuse freed heap: a million points fault ~85,000 fewer pages
        self.scenario, self.grid, self.chunk_size = scenario, grid, chunk
        self.checkpoint = None if checkpoint is None else os.fspath(checkpoint)
        axes = grid.exact_axes
        self.identity = {
            "grid": {n: [str(axes[n][0]), str(axes[n][-1]), len(axes[n])] for n in grid.names},
            "fixed": {k: str(v) for k, v in sorted(base_point.items()) if k in scenario.parameters},
            "options": [chunk, method, _boundary_limit(resolve_boundary), tolerance, symbolic],
        }
        self.base_point = base_point
        self.fixed = {k: v for k, v in base_point.items() if k in scenario.parameters and k not in grid.names}
        notes: list[str] = []
        self.engine = _engine_or_note(scenario, grid.names, base_point, symbolic, cache, notes)
        self.classifier = _Classifier(
            scenario,
            self.engine,
            grid.values_at,
            lambda k: {**base_point, **grid.exact_at(k)},
            _boundary_limit(resolve_boundary),
            tolerance,
            method,
            jobs,
            scheduler,
            notes=notes,
            thresholds=_thresholds(scenario, self.engine, grid.names, base_point, cache),
            mesh_at=grid.mesh_at if isinstance(self.engine, RegimeEngine) else None,
        )
        self.counts = np.zeros(0, dtype=np.int64)
        self.boundary = 0
        self.solved = 0
        self.done = 0

    @property
    def table(self) -> LabelTable:
        return self.classifier.table

    def __iter__(self):
        if self.checkpoint is None:
            yield from self._chunks({}, None)
            return
        from .checkpoint import ChunkLog
        from .formcache import scenario_digest

        run = {"scenario": scenario_digest(self.scenario), **self.identity}
        chunks = len(_chunk_bounds(self.grid.size, self.chunk_size))
        with ChunkLog.open(self.checkpoint, kind="sweep", run=run, chunks=chunks, check=_check_solver_record) as log:
            try:
                yield from self._chunks(log.done, log.append)
            except InputError as exc:
                raise exc.located(file=self.checkpoint) from None

    def _chunks(self, recorded: Mapping[int, Any], record: Callable[[int, Any], None] | None):
        """Classify every chunk in order, taking the solver's answers from ``recorded`` where a checkpoint has them."""
        for index, (lo, hi) in enumerate(_chunk_bounds(self.grid.size, self.chunk_size)):
            part = self.classifier.chunk(lo, hi, recorded.get(index))
            if record is not None and index not in recorded:
                record(index, solver_record(part, self.table))
            counts = np.bincount(part.codes, minlength=len(self.table.regimes))
            counts[: len(self.counts)] += self.counts
            self.counts = counts
            self.boundary += int(part.boundary.sum())
            self.solved += int(part.solved.sum())
            self.done = hi
            yield part

    def share(self) -> dict[str, int]:
        """Points per regime so far, most common first."""
        order = np.argsort(-self.counts, kind="stable")
        return {self.table.regimes[k]: int(self.counts[k]) for k in order if self.counts[k]}

    @property
    def notes(self) -> list[str]:
        return self.classifier.finish_notes() if self.done == self.grid.size else self.classifier.notes

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    @property
    def on_thresholds(self) -> int:
        """Boundary points answered so far by the closed forms of their threshold."""
        return self.classifier.on_thresholds


def solver_record(part: PointChunk, table: LabelTable) -> dict[str, Any]:
    """What a checkpoint keeps of a finished chunk: the general solver's answers (offset, label, count)."""
    offsets = np.flatnonzero(part.solved)
    return {"solved": [[int(k), table.regimes[part.codes[k]], int(part.counts[k])] for k in offsets]}


def _check_solver_record(chunk: int, data: Any) -> None:
    """Refuse a checkpoint record that is not a list of distinct (offset, label, count) answers."""
    entries = data.get("solved") if isinstance(data, dict) and set(data) == {"solved"} else None
    if not isinstance(entries, list):
        raise InputError("a sweep record must be an object with one key, 'solved', holding a list")
    offsets = set()
    for entry in entries:
        ok = isinstance(entry, list) and len(entry) == 3
        offset, label, count = entry if ok else (None, None, None)
        if not (ok and type(offset) is int and 0 <= offset < CHUNK_LIMIT and offset not in offsets
                and isinstance(label, str) and 0 < len(label) <= 100_000
                and type(count) is int and count == label_count(label)):  # fmt: skip
            raise InputError(f"invalid solver answer {entry!r} in a sweep record")
        offsets.add(offset)


def sweep(
    scenario: Scenario,
    vary: Mapping[str, tuple[object, object, int]],
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    probabilities: bool = True,
    method: str = "auto",
    symbolic: bool = True,
    resolve_boundary: bool | int = True,
    tolerance: float = TOLERANCE,
    cache: bool = True,
    scheduler: Any = None,
    checkpoint: str | os.PathLike | None = None,
) -> SweepResult:
    """The regime at every point of a grid: ``vary = {name: (lo, hi, n), ...}``, all in memory.

    Grid values are exact (``lo + k*(hi - lo)/(n - 1)``), so a grid point that
    sits on a rational threshold is solved at exactly that value. Grids of more
    than ``max_points`` points are refused with a memory estimate. A range
    outside a parameter's declared range issues a
    :class:`~gametheory.scenario.ParameterRangeWarning`. For grids too large
    to hold, iterate over a :class:`SweepRun` instead (what ``gametheory
    sweep --out`` does). ``probabilities`` keeps the compiled closed forms on
    the result, for :func:`value_columns`. ``scheduler`` runs the points left
    to the general solver on a Dask cluster; ``checkpoint`` (a file) records
    the solver's answers chunk by chunk, so an interrupted sweep started again
    with the same file does not solve them again.
    """
    grid = make_grid(scenario, vary, max_points)
    base_point = base_values_quiet(scenario, base, preset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)  # already warned once per parameter
        run = SweepRun(
            scenario,
            grid,
            base_point,
            method=method,
            jobs=jobs,
            symbolic=symbolic,
            resolve_boundary=resolve_boundary,
            tolerance=tolerance,
            cache=cache,
            scheduler=scheduler,
            checkpoint=checkpoint,
        )
        regimes, codes, counts, boundary, solved = _collect(run, grid.size, run.table, progress)
    shape = grid.shape
    regime_map = RegimeMap(
        parameters=grid.names,
        shape=shape,
        regimes=regimes,
        codes=codes.reshape(shape),
        counts=counts.reshape(shape),
        boundary=boundary.reshape(shape),
        solved=solved.reshape(shape),
        notes=tuple(run.notes),
        elapsed=run.elapsed,
        on_thresholds=run.on_thresholds,
    )
    return SweepResult(
        title=scenario.title,
        file=scenario.file,
        parameters=grid.names,
        axes=grid.axes,
        exact_axes=grid.exact_axes,
        fixed=run.fixed,
        regimes=regime_map,
        engine=run.engine if probabilities else None,
        subgame_perfect=subgame_perfect_column(scenario, grid, base_point),
        notes=regime_map.notes,
        elapsed=run.elapsed,
        names=scenario.equilibrium_names,
    )


def base_values_quiet(scenario: Scenario, base, preset) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)
        return base_values(scenario, base, preset)


# ------------------------------------------------------------ output columns
def value_columns(engine, values: Mapping[str, np.ndarray], inside: np.ndarray) -> dict[str, np.ndarray]:
    """Each family's probabilities and payoffs at the points, NaN where it does not hold or ``~inside``.

    Columns ``"FAMILY:PLAYER:STRATEGY"`` (probabilities of mixed families) and
    ``"FAMILY:payoff:PLAYER"`` (every family), from the closed forms; points
    that were not answered by them (``inside`` False) get NaN everywhere.
    """
    if engine is None:
        return {}
    columns = engine.values(values)
    for column in columns.values():
        column[~inside] = np.nan
    return columns


def result_chunks(result: SweepResult, chunk: int = CHUNK):
    """A finished :class:`SweepResult` as :class:`PointChunk` objects (codes index ``result.regimes.regimes``)."""
    rm = result.regimes
    flat = [a.reshape(-1) for a in (rm.codes, rm.counts, rm.boundary, rm.solved)]
    for lo, hi in _chunk_bounds(rm.size, chunk):
        yield PointChunk(lo, *(a[lo:hi] for a in flat))


# ------------------------------------------------------------------- tables
def column_batches(
    chunks,
    grid: Grid,
    regimes: Sequence[str] | LabelTable,
    engine=None,
    *,
    values: bool = False,
    subgame_perfect: Callable[[int, int], tuple[np.ndarray, Sequence[str]]] | None = None,
):
    """Each chunk as a mapping of output columns: arrays, or ``(codes, labels)`` for text columns.

    Columns: the varied parameters (floats), ``regime`` (codes into the
    labels), ``equilibria`` (int16; -1 for an unsolved boundary point),
    ``boundary`` (bool), for a game tree the ``subgame_perfect`` outcome
    (``subgame_perfect(lo, hi)`` gives its codes and labels for points
    ``lo .. hi - 1``), and with ``values`` the closed-form probabilities and
    payoffs of :func:`value_columns` (NaN at points the solver answered).
    """
    for part in chunks:
        hi = part.start + len(part.codes)
        axes = grid.columns_at(part.start, hi)
        coords = {name: np.asarray(column) for name, column in axes.items()}
        labels = list(regimes.regimes if isinstance(regimes, LabelTable) else regimes)
        columns: dict[str, Any] = dict(axes)
        columns.update(regime=(part.codes, labels), equilibria=part.counts, boundary=part.boundary)
        if subgame_perfect is not None:
            columns["subgame_perfect"] = subgame_perfect(part.start, hi)
        if values:
            columns.update(value_columns(engine, coords, ~part.boundary))
        yield columns


def subgame_perfect_column(scenario: Scenario, grid: Grid, base_point: Mapping[str, Any]):
    """For a game tree, ``f(lo, hi)``: the subgame-perfect outcome at grid points ``lo .. hi - 1`` (else None)."""
    if scenario.extensive is None:
        return None
    from .treesweep import subgame_perfect_points

    base = {k: v for k, v in base_point.items() if k in scenario.parameters}

    def outcomes(lo: int, hi: int) -> tuple[np.ndarray, Sequence[str]]:
        found = subgame_perfect_points(
            scenario, grid.values_at(lo, hi), base=base, exact=lambda idx: grid.exact_at(lo + idx[0])
        )
        return np.asarray(found.codes, dtype=np.int32).reshape(-1), list(found.outcomes)

    return outcomes


def sweep_metadata(
    title: str,
    file: str | None,
    grid: Grid,
    fixed: Mapping[str, Any],
    share: Mapping[str, int],
    notes: Sequence[str],
    how: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """What a table file carries besides its rows: the grid, fixed values, every regime with its point count,
    and ``how`` the points were answered (:func:`answer_counts`)."""
    from ..numtext import exact_text

    return {
        "title": title,
        "file": file,
        "parameters": list(grid.names),
        "grid": {name: {"values": len(grid.axes[name]), "from": exact_text(grid.exact_axes[name][0]),
                        "to": exact_text(grid.exact_axes[name][-1])} for name in grid.names},
        "fixed": {k: exact_text(v) if isinstance(v, Fraction) else repr(v) for k, v in fixed.items()},
        "regimes": {label: {"points": count, "equilibria": label_count(label)} for label, count in share.items()},
        "notes": list(notes),
        **({"how": dict(how)} if how is not None else {}),
    }  # fmt: skip


def answer_counts(points: int, on_thresholds: int, solved: int, unsolved: int) -> dict[str, int]:
    """How the points of a sweep were answered: by the closed forms of the open regions, by those of the
    threshold they lie on, by the general solver, or not at all (boundary points beyond the solver's limit)."""
    return {
        "closed_forms": points - on_thresholds - solved - unsolved,
        "threshold_closed_forms": on_thresholds,
        "general_solver": solved,
        "unsolved": unsolved,
    }


def table_of(result: SweepResult, *, values: bool = False):
    """``(batches, metadata)`` of an in-memory result, for :func:`gametheory.report.sweep_table.write_table`."""
    grid = Grid(result.parameters, result.exact_axes, result.axes)
    batches = column_batches(
        result_chunks(result), grid, result.regimes.regimes, result.engine, values=values,
        subgame_perfect=result.subgame_perfect,
    )  # fmt: skip
    rm = result.regimes
    share = rm.share()
    how = answer_counts(rm.size, rm.on_thresholds, int(rm.solved.sum()), share.get(BOUNDARY, 0))
    return batches, lambda: sweep_metadata(result.title, result.file, grid, result.fixed, share, result.notes, how)


def run_table(run: SweepRun, *, values: bool = False, progress: Progress | None = None):
    """``(batches, metadata)`` of a streamed run (evaluated as the batches are consumed), reporting progress."""

    def reporting():
        for part in run:
            if progress is not None:
                progress(run.done, run.grid.size)
            yield part

    batches = column_batches(
        reporting(), run.grid, run.table, run.engine, values=values,
        subgame_perfect=subgame_perfect_column(run.scenario, run.grid, run.base_point),
    )  # fmt: skip
    return batches, lambda: sweep_metadata(
        run.scenario.title, run.scenario.file, run.grid, run.fixed, run.share(), run.notes,
        answer_counts(run.grid.size, run.on_thresholds, run.solved, run.share().get(BOUNDARY, 0)),
    )  # fmt: skip


def sweep_dict(result: SweepResult) -> dict[str, Any]:
    """The JSON form: axes, fixed values, the regimes with their point counts, and per-point codes."""
    from ..numtext import exact_text

    rm = result.regimes
    probabilities: dict[str, dict[str, list]] = {}
    if result.engine is not None:
        grid = Grid(result.parameters, result.exact_axes, result.axes)
        columns = value_columns(result.engine, grid.values_at(0, rm.size), ~rm.boundary.reshape(-1))
        for name, column in columns.items():
            family, _, rest = name.partition(":")
            if not rest.startswith("payoff:") and not np.isnan(column).all():
                probabilities.setdefault(family, {})[rest] = [None if math.isnan(x) else x for x in column.tolist()]
    return {
        "title": result.title,
        "file": result.file,
        "parameters": list(result.parameters),
        "axes": {name: [float(v) for v in axis] for name, axis in result.axes.items()},
        "axes_exact": {name: [exact_text(v) for v in axis] for name, axis in result.exact_axes.items()},
        "fixed": {k: float(v) for k, v in result.fixed.items()},
        "regimes": list(rm.regimes),
        "share": rm.share(),
        "shape": list(rm.shape),
        "regime": rm.codes.tolist(),
        "equilibria": rm.counts.tolist(),
        "boundary": rm.boundary.tolist(),
        "how": {"symbolic": int((~rm.solved).sum()), "solver": int(rm.solved.sum()), "threshold": rm.on_thresholds},
        "probabilities": probabilities,
        "notes": list(result.notes),
        "elapsed_seconds": result.elapsed,
    }
