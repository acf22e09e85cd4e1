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
draws) and :func:`sweep` (a grid), plus :func:`write_csv` / :func:`write_json`
(atomic: an interrupted run leaves no half-written file).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from .._io import atomic_write
from ..errors import InputError
from ..escape import csv_cell
from ..scenario import ParameterRangeWarning, Scenario, coerce_number
from .labels import label_count, regime_label

#: Largest grid :func:`sweep` builds unless ``max_points`` says otherwise.
DEFAULT_MAX_POINTS = 4_000_000
#: Points evaluated together by the vectorised path (bounds the working memory).
CHUNK = 131_072
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
    number of equilibria, ``boundary`` True where a condition is zero within
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
    ``probabilities[family][f"{player}:{strategy}"]`` is that family's
    probability on the grid, NaN where the family does not hold (mixed
    families only; empty for points solved by the general solver).
    """

    title: str
    file: str | None
    parameters: tuple[str, ...]
    axes: Mapping[str, np.ndarray]
    exact_axes: Mapping[str, tuple[Fraction, ...]]
    fixed: Mapping[str, Fraction | float]
    regimes: RegimeMap
    probabilities: Mapping[str, Mapping[str, np.ndarray]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    elapsed: float = 0.0

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
    """Rough bytes a sweep of ``points`` points keeps in memory (coordinates, codes, flags, CSV text)."""
    return points * (8 * parameters + 4 + 2 + 2 + 48 + 16 * parameters)


def _human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # pragma: no cover


def exact_point(values: Mapping[str, Any]) -> dict[str, Fraction | float]:
    """Exact Fractions for the numbers in ``values`` (floats read through their shortest decimal)."""
    return {
        k: (v if isinstance(v, Fraction) else coerce_number(v if not isinstance(v, np.generic) else v.item()))
        for k, v in values.items()
    }


# --------------------------------------------------------- per-point solver
_WORKER: dict[str, Any] = {}


def _init_worker(scenario: Scenario, method: str) -> None:
    _WORKER["scenario"] = scenario
    _WORKER["method"] = method


def _solve_one(scenario: Scenario, values: Mapping[str, Any], method: str) -> tuple[str, int]:
    from ..solvers import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.game_at(scenario.with_derived(values))
        if scenario.extensive is not None:
            from ..solvers.trees import structure_method

            method = structure_method(scenario, game, method)
        solution = solve(game, method)
    return regime_label(solution), len(solution.equilibria)


def _solve_batch(points: list[dict[str, Any]]) -> list[tuple[str, int]]:
    scenario, method = _WORKER["scenario"], _WORKER["method"]
    return [_solve_one(scenario, values, method) for values in points]


def solve_points(
    scenario: Scenario,
    points: Sequence[Mapping[str, Any]],
    *,
    method: str = "auto",
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, int]]:
    """(label, number of equilibria) at each point (complete exact value mappings), with the general solver.

    Runs in ``jobs`` worker processes (default: up to 2, the cores of the
    project's machines) when there are enough points to pay for starting
    them; ``progress(done, total)`` is called as batches finish.
    """
    total = len(points)
    if total == 0:
        return []
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    out: list[tuple[str, int] | None] = [None] * total
    if jobs <= 1 or total < 8:
        for k, values in enumerate(points):
            out[k] = _solve_one(scenario, values, method)
            if progress is not None:
                progress(k + 1, total)
        return out  # type: ignore[return-value]
    size = max(1, min(64, math.ceil(total / (jobs * 8))))
    batches = [(start, list(points[start : start + size])) for start in range(0, total, size)]
    done = 0
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(scenario, method)
    )
    try:
        pending = {pool.submit(_solve_batch, batch): start for start, batch in batches}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                start = pending.pop(future)
                results = future.result()
                out[start : start + len(results)] = results
                done += len(results)
                if progress is not None:
                    progress(done, total)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return out  # type: ignore[return-value]


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
) -> RegimeMap:
    """The regime (equilibrium-set label) at every point of ``values``.

    ``values`` maps parameter names to arrays that broadcast to one shape;
    every other parameter keeps its value from the defaults, ``preset`` and
    ``base``. The result's arrays have the broadcast shape.

    ``symbolic`` uses the closed forms where algebra answers (the fast path);
    otherwise, and at boundary points when ``resolve_boundary`` is true (or an
    int: at most that many), every point is solved by the general solver
    (``method``) in ``jobs`` processes, exactly: ``exact(index)`` may give the
    exact values of a point (e.g. grid values ``lo + k*step``); by default the
    floats are read through their shortest decimal form. ``progress(done,
    total)`` reports the solver fallback.
    """
    start = time.perf_counter()
    names, arrays, shape = _broadcast(scenario, values)
    for name in names:
        arr = arrays[name]
        if arr.size:
            _warn_range(scenario, name, float(arr.min()), float(arr.max()))
    fixed = base_values(scenario, base, preset)
    size = int(np.prod(shape, dtype=np.int64))
    notes: list[str] = []
    found = _PointLabels(size)
    flat = {k: np.ascontiguousarray(v).reshape(-1) for k, v in arrays.items()}
    todo = np.ones(size, dtype=bool)
    if symbolic and size and _label_by_closed_forms(scenario, names, fixed, flat, found, todo, tolerance, notes):
        targets = _label_boundary_beyond_limit(np.flatnonzero(todo), _boundary_limit(resolve_boundary), found, notes)
    else:
        targets = np.flatnonzero(todo)
    if len(targets):
        points = _target_points(targets, shape, names, flat, fixed, exact)
        results = solve_points(scenario, points, method=method, jobs=jobs, progress=progress)
        for flat_index, (label, count) in zip(targets, results):
            found.codes[flat_index] = found.code(label)
            found.counts[flat_index] = count
            found.solved[flat_index] = True
    regimes, codes = found.canonical()
    return RegimeMap(
        parameters=names,
        shape=tuple(shape),
        regimes=regimes,
        codes=codes.reshape(shape),
        counts=found.counts.reshape(shape),
        boundary=found.boundary.reshape(shape),
        solved=found.solved.reshape(shape),
        notes=tuple(notes),
        elapsed=time.perf_counter() - start,
    )


class _PointLabels:
    """The regime of every point of a flat point set, as it is filled in by the closed forms and the solver.

    ``codes`` index ``regimes`` in order of first appearance until
    :meth:`canonical` puts them in sorted order.
    """

    def __init__(self, size: int):
        self.codes = np.zeros(size, dtype=np.int32)
        self.counts = np.zeros(size, dtype=np.int16)
        self.boundary = np.zeros(size, dtype=bool)
        self.solved = np.zeros(size, dtype=bool)
        self.regimes: list[str] = []
        self.index_of: dict[str, int] = {}

    def code(self, label: str) -> int:
        """The code of ``label``, a new one if it has not been met yet."""
        k = self.index_of.get(label)
        if k is None:
            k = self.index_of[label] = len(self.regimes)
            self.regimes.append(label)
        return k

    def canonical(self) -> tuple[tuple[str, ...], np.ndarray]:
        """The regimes in sorted order and the codes renumbered to match, so that codes are stable across runs."""
        order = sorted(range(len(self.regimes)), key=lambda k: self.regimes[k])
        remap = np.empty(len(self.regimes), dtype=np.int32)
        remap[order] = np.arange(len(self.regimes), dtype=np.int32)
        codes = remap[self.codes] if len(self.regimes) else self.codes
        return tuple(self.regimes[k] for k in order), codes


def _label_by_closed_forms(
    scenario: Scenario,
    names: Sequence[str],
    fixed: Mapping[str, Any],
    flat: Mapping[str, np.ndarray],
    found: _PointLabels,
    todo: np.ndarray,
    tolerance: float,
    notes: list[str],
) -> bool:
    """Label every point the closed forms answer, chunk by chunk; boundary points stay in ``todo``.

    False (with a note) when algebra cannot answer for the scenario: then every point stays to do.
    """
    from .engine import engine_for

    engine = engine_for(scenario, names, fixed)
    if not engine.supported:
        notes.append(f"closed forms unavailable ({engine.reason}); every point was solved by the general solver")
        return False
    size = len(todo)
    for lo in range(0, size, CHUNK):
        hi = min(size, lo + CHUNK)
        part = engine.classify({k: v[lo:hi] for k, v in flat.items()}, tolerance=tolerance)
        table = np.asarray([found.code(label) for label in part.regimes], dtype=np.int32)
        ncount = np.asarray([label_count(r) for r in part.regimes], dtype=np.int16)
        inside = ~part.boundary
        sl = slice(lo, hi)
        found.codes[sl][inside] = table[part.codes[inside]]
        found.counts[sl][inside] = ncount[part.codes[inside]]
        found.boundary[sl] = part.boundary
        todo[sl] = part.boundary
    return True


def _boundary_limit(resolve_boundary: bool | int) -> int:
    """How many boundary points to solve exactly: the int given, :data:`RESOLVE_LIMIT` for True, none for False."""
    if isinstance(resolve_boundary, int) and not isinstance(resolve_boundary, bool):
        return resolve_boundary
    return RESOLVE_LIMIT if resolve_boundary else 0


def _label_boundary_beyond_limit(targets: np.ndarray, limit: int, found: _PointLabels, notes: list[str]) -> np.ndarray:
    """The boundary points left to solve: all of them, or none (labelled :data:`BOUNDARY`) when more than ``limit``."""
    if len(targets) <= limit:
        return targets
    notes.append(
        f"{len(targets)} boundary points (a condition is zero there) were labelled {BOUNDARY!r} "
        f"instead of being solved (limit {limit})"
    )
    found.codes[targets] = found.code(BOUNDARY)
    found.counts[targets] = -1
    return targets[:0]


def _target_points(
    targets: np.ndarray,
    shape: tuple[int, ...],
    names: Sequence[str],
    flat: Mapping[str, np.ndarray],
    fixed: Mapping[str, Any],
    exact: Callable[[tuple[int, ...]], Mapping[str, Fraction]] | None,
) -> list[dict[str, Any]]:
    """Every parameter's value at each point to solve: the exact values ``exact`` gives, or the floats
    read through their shortest decimal form, over the fixed values."""
    points = []
    for flat_index in targets:
        idx = np.unravel_index(int(flat_index), shape) if shape else ()
        if exact is not None:
            point = dict(exact(tuple(int(i) for i in idx)))
        else:
            point = exact_point({k: float(flat[k][flat_index]) for k in names})
        merged = dict(fixed)
        merged.update(point)
        points.append(merged)
    return points


# -------------------------------------------------------------------- sweeps
def grid_axis(lo: object, hi: object, n: int) -> tuple[Fraction, ...]:
    """``n`` evenly spaced exact values from ``lo`` to ``hi`` inclusive."""
    lo_f, hi_f = coerce_number(lo, what="range start"), coerce_number(hi, what="range end")
    if n == 1:
        return (lo_f,)
    step = (hi_f - lo_f) / (n - 1)
    return tuple(lo_f + k * step for k in range(n))


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
        lo_f, hi_f = coerce_number(lo, what=f"start of {name}"), coerce_number(hi, what=f"end of {name}")
        if n > 1 and lo_f >= hi_f:
            raise InputError(f"the range of {name} is empty: {lo} to {hi} (the start must be below the end)")
        total *= int(n)
    if total > max_points:
        need = memory_estimate(total, len(vary))
        raise InputError(
            f"the grid has {total:,} points (about {_human_bytes(need)} of memory); the limit is {max_points:,} "
            f"points: use fewer points or raise the limit with --max-points"
        )
    return total


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
) -> SweepResult:
    """The regime at every point of a grid: ``vary = {name: (lo, hi, n), ...}``.

    Grid values are exact (``lo + k*(hi - lo)/(n - 1)``), so a grid point that
    sits on a rational threshold is solved at exactly that value. Grids of more
    than ``max_points`` points are refused with a memory estimate. A range
    outside a parameter's declared range issues a
    :class:`~gametheory.scenario.ParameterRangeWarning`.
    """
    start = time.perf_counter()
    check_grid(scenario, vary, max_points)
    names = tuple(vary)
    exact_axes = {name: grid_axis(*vary[name]) for name in names}
    for name in names:
        axis = exact_axes[name]
        _warn_range(scenario, name, float(min(axis)), float(max(axis)))
    axes = {name: np.asarray([float(v) for v in exact_axes[name]], dtype=np.float64) for name in names}
    shape = tuple(len(a) for a in axes.values())
    mesh = np.meshgrid(*axes.values(), indexing="ij") if names else []
    values = dict(zip(names, mesh))

    def exact(idx: tuple[int, ...]) -> dict[str, Fraction]:
        return {name: exact_axes[name][i] for name, i in zip(names, idx)}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)  # already warned once per parameter above
        regimes = classify_points(
            scenario,
            values,
            base=base,
            preset=preset,
            progress=progress,
            jobs=jobs,
            exact=exact,
            method=method,
            symbolic=symbolic,
            resolve_boundary=resolve_boundary,
            tolerance=tolerance,
        )
    base_point = base_values_quiet(scenario, base, preset)
    fixed = {k: v for k, v in base_point.items() if k in scenario.parameters and k not in names}
    probs: dict[str, dict[str, np.ndarray]] = {}
    if probabilities and symbolic:
        from .engine import engine_for

        engine = engine_for(scenario, names, base_point)
        if engine.supported:
            flat = {k: np.ascontiguousarray(v).reshape(-1) for k, v in values.items()}
            raw = engine.probabilities(flat)
            probs = {fam: {col: arr.reshape(shape) for col, arr in cols.items()} for fam, cols in raw.items()}
    return SweepResult(
        title=scenario.title,
        file=scenario.file,
        parameters=names,
        axes=axes,
        exact_axes=exact_axes,
        fixed=fixed,
        regimes=regimes,
        probabilities=probs,
        notes=regimes.notes,
        elapsed=time.perf_counter() - start,
    )


def base_values_quiet(scenario: Scenario, base, preset) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)
        return base_values(scenario, base, preset)


# ------------------------------------------------------------------- writers
def _float_text(values: np.ndarray) -> list[str]:
    return [repr(float(v)) for v in values]


def write_csv(result: SweepResult, path: str | os.PathLike) -> None:
    """Contract 5: one row per grid point: the varied parameters, ``regime``, ``equilibria``, then ``boundary``."""
    rm = result.regimes
    quoted = []
    for label in rm.regimes:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow([csv_cell(label)])
        quoted.append(buf.getvalue())
    axis_text = {name: _float_text(axis) for name, axis in result.axes.items()}
    codes = rm.codes.reshape(-1)
    counts = rm.counts.reshape(-1)
    flags = rm.boundary.reshape(-1)

    def write(handle) -> None:
        handle.write(",".join([*result.parameters, "regime", "equilibria", "boundary"]) + "\n")
        lines = []
        for flat, idx in enumerate(np.ndindex(*rm.shape)):
            coords = ",".join(axis_text[name][i] for name, i in zip(result.parameters, idx))
            lines.append(f"{coords},{quoted[codes[flat]]},{counts[flat]},{'true' if flags[flat] else 'false'}\n")
            if len(lines) >= 65536:
                handle.write("".join(lines))
                lines.clear()
        handle.write("".join(lines))

    atomic_write(path, write)


def sweep_dict(result: SweepResult) -> dict[str, Any]:
    """The JSON form: axes, fixed values, the regimes with their point counts, and per-point codes."""
    from ..numtext import exact_text

    rm = result.regimes
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
        "how": {"symbolic": int((~rm.solved).sum()), "solver": int(rm.solved.sum())},
        "probabilities": {
            fam: {col: [None if math.isnan(x) else x for x in arr.reshape(-1).tolist()] for col, arr in cols.items()}
            for fam, cols in result.probabilities.items()
        },
        "notes": list(result.notes),
        "elapsed_seconds": result.elapsed,
    }


def write_json(result: SweepResult, path: str | os.PathLike) -> None:
    """The sweep as one JSON object (see :func:`sweep_dict`), written atomically."""
    data = sweep_dict(result)
    atomic_write(path, lambda handle: json.dump(data, handle))
