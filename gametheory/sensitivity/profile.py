"""The data of the sensitivity plots: equilibria along one parameter, and the exact regime boundaries.

* :func:`parameter_profile`: every equilibrium family's probabilities and
  payoffs as one parameter varies, with the thresholds where the equilibrium
  set changes (a :class:`ParameterProfile`, drawn by
  :func:`gametheory.report.plots.plot_parameter`);
* :func:`boundary_curves`: the exact curves, in the plane of a 2-parameter
  :class:`~gametheory.sensitivity.sweep.SweepResult`, where a closed-form
  family's existence condition changes sign (:class:`BoundaryCurve` polylines
  with their equations, drawn over the regime map by
  :func:`gametheory.report.plots.plot_regime_map`).

Both use the closed forms of :mod:`gametheory.sensitivity.symbolic` where they
describe the game; :func:`parameter_profile` falls back on the general solver.
sympy and contourpy are imported only by the functions that need them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ..numtext import exact_text

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario
    from .sweep import SweepResult

__all__ = [
    "BoundaryCurve",
    "FamilyTrace",
    "ParameterProfile",
    "Threshold",
    "boundary_curves",
    "parameter_profile",
]


# ------------------------------------------------------- one parameter
@dataclass(frozen=True)
class Threshold:
    """A parameter value where the equilibrium set changes, with the label a plot puts beside it:
    exact (``m_us = 2 (= c_us)``) when ``exact`` is True, else located between grid points
    (``x \u2248 0.3``)."""

    value: float
    text: str
    exact: bool = True


@dataclass(frozen=True)
class FamilyTrace:
    """One equilibrium family along the parameter: NaN wherever the family does not exist.

    ``probabilities[i][k]`` (player ``i``, strategy ``k``) and ``payoffs[i]``
    are float arrays over :attr:`ParameterProfile.values`.
    """

    label: str
    probabilities: tuple[tuple[np.ndarray, ...], ...]
    payoffs: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class ParameterProfile:
    """The equilibria of a scenario along one parameter (the data of :func:`gametheory.report.plots.plot_parameter`).

    ``how`` is ``"symbolic"`` (closed forms of every equilibrium family,
    evaluated on a fine grid; thresholds exact) or ``"solver"`` (the general
    solver at each grid point; thresholds located between grid points).
    """

    title: str
    parameter: str
    values: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    families: tuple[FamilyTrace, ...]
    thresholds: tuple[Threshold, ...]
    baseline: float
    fixed: Mapping[str, Any] = field(default_factory=dict)
    how: str = "symbolic"
    unit: str = ""
    #: The scenario's names of equilibria (support by strategy names -> name), for display only.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)


def parameter_profile(
    scenario: Scenario,
    parameter: str,
    *,
    low: object = None,
    high: object = None,
    points: int = 401,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    thresholds: Any = None,
) -> ParameterProfile:
    """Every equilibrium's probabilities and payoffs as ``parameter`` runs from ``low`` to ``high``.

    The range defaults to the parameter's declared one; the other parameters
    keep their baseline values (defaults, preset, ``base``). Where the closed
    forms of :mod:`gametheory.sensitivity.symbolic` describe the game, they are
    evaluated on ``points`` values and the thresholds are the exact roots of
    the families' existence conditions at which the equilibrium set changes.
    Otherwise the general solver runs at up to 81 exact grid points.
    ``thresholds``: a :class:`~gametheory.sensitivity.thresholds.ParameterThresholds`
    already computed (e.g. by the ``sensitivity`` command) to mark instead,
    with its symbolic forms (``m_us = 2 (= c_us)``).
    """
    from ..scenario import coerce_number
    from .sweep import check_parameter

    check_parameter(scenario, parameter)
    param = scenario.parameters[parameter]
    lo = coerce_number(low, what="low end") if low is not None else param.low
    hi = coerce_number(high, what="high end") if high is not None else param.high
    if lo is None or hi is None:
        raise InputError(f"{parameter} declares no range: give the low and high ends", file=scenario.file)
    if not lo < hi:
        raise InputError(f"the range of {parameter} is empty: {lo} to {hi}", file=scenario.file)
    if isinstance(points, bool) or not isinstance(points, int) or points < 3:
        raise InputError(f"points must be an integer of at least 3, got {points!r}")
    values = scenario.parameter_values(base or {}, preset=preset)
    common = {
        "title": scenario.title,
        "parameter": parameter,
        "players": scenario.player_names,
        "strategies": scenario.strategies,
        "baseline": float(values[parameter]),
        "fixed": {k: v for k, v in values.items() if k in scenario.parameters and k != parameter},
        "unit": param.unit,
        "names": scenario.equilibrium_names,
    }
    traced = _symbolic_traces(scenario, parameter, values, lo, hi, points)
    how = "symbolic"
    if traced is None:
        traced, how = _solver_traces(scenario, parameter, values, lo, hi, min(points, 81)), "solver"
    grid, families, marks = traced
    if thresholds is not None:
        marks = tuple(_from_thresholds(parameter, thresholds, float(lo), float(hi)))
    return ParameterProfile(values=grid, families=families, thresholds=marks, how=how, **common)


def _from_thresholds(parameter: str, found: Any, lo: float, hi: float) -> Iterator[Threshold]:
    """Marks from a ``ParameterThresholds`` result (exact text, and the symbolic relation when known)."""
    for t in getattr(found, "thresholds", found):
        if not lo <= t.value <= hi:
            continue
        exact = getattr(t, "exact", None)
        text = f"{parameter} = {exact}" if exact else f"{parameter} \u2248 {t.value:.4g}"
        symbolic = getattr(t, "symbolic", None)
        if symbolic:
            text += f" (= {symbolic})"
        yield Threshold(float(t.value), text, bool(exact))


def _symbolic_traces(scenario, parameter, values, lo, hi, points):
    """Closed-form traces and exact thresholds, or None when algebra cannot describe the game."""
    from .symbolic import analyse

    try:
        fs = analyse(scenario, (parameter,), values)
    except InputError:
        raise
    except Exception:  # the symbolic layer could not handle this game: use the solver
        return None
    if not fs.supported or not fs.families:
        return None
    import sympy as sp

    x = fs.symbols[parameter]
    grid = np.linspace(float(lo), float(hi), points)
    compiled = []
    for fam in fs.families:
        conds = [(sp.lambdify(x, fam.explicit(c.expr), "numpy"), c.strict) for c in fam.conditions]
        if fam.radicand is not None:
            conds.append((sp.lambdify(x, fam.radicand, "numpy"), True))
        probs = [[sp.lambdify(x, fam.explicit(p), "numpy") for p in row] for row in fam.probabilities]
        pays = [sp.lambdify(x, fam.explicit(u), "numpy") for u in fam.payoffs]
        compiled.append((fam, conds, probs, pays))

    def holds(at: np.ndarray) -> np.ndarray:
        """Boolean matrix (families x points): does each family exist at each value?"""
        out = np.ones((len(compiled), len(at)), dtype=bool)
        with np.errstate(all="ignore"):
            for f, (_, conds, _, _) in enumerate(compiled):
                for fn, strict in conds:
                    v = np.broadcast_to(np.asarray(fn(at), dtype=float), at.shape)
                    out[f] &= np.isfinite(v) & ((v > 1e-12) if strict else (v >= -1e-12))
        return out

    mask = holds(grid)
    present = [f for f in range(len(compiled)) if mask[f].any()]
    total = {}
    for f in present:
        total[compiled[f][0].label] = total.get(compiled[f][0].label, 0) + 1
    counts: dict[str, int] = {}
    traces = []
    for f in present:
        fam, _, probs, pays = compiled[f]
        counts[fam.label] = counts.get(fam.label, 0) + 1
        label = fam.label if total[fam.label] == 1 else f"{fam.label} (root {counts[fam.label]})"
        with np.errstate(all="ignore"):
            parr = tuple(tuple(_masked(fn(grid), mask[f], grid) for fn in row) for row in probs)
            uarr = tuple(_masked(fn(grid), mask[f], grid) for fn in pays)
        traces.append(FamilyTrace(label, parr, uarr))
    # exact thresholds: real roots of every condition's numerator where the set of families changes
    candidates: dict[str, Any] = {}
    for fam in fs.families:
        exprs = [fam.explicit(c.expr) for c in fam.conditions] + ([fam.radicand] if fam.radicand is not None else [])
        for expr in exprs:
            for root in _real_roots(sp, expr, x, lo, hi):
                candidates.setdefault(str(root), root)
    thresholds = []
    span = float(hi - lo)
    for root in candidates.values():
        value = float(root)
        eps = max(1e-7 * span, 1e-9)
        sides = holds(np.array([value - eps, value + eps]))
        if (sides[:, 0] != sides[:, 1]).any():
            thresholds.append(Threshold(value, f"{parameter} = {_exact_text(sp, root)}", True))
    thresholds.sort(key=lambda t: t.value)
    return grid, tuple(traces), tuple(thresholds)


def _masked(values, mask: np.ndarray, grid: np.ndarray) -> np.ndarray:
    arr = np.array(np.broadcast_to(np.asarray(values, dtype=float), grid.shape))
    arr[~mask] = np.nan
    return arr


def _real_roots(sp, expr, x, lo, hi) -> list:
    """Exact real roots in the closed interval [lo, hi] of the numerator and denominator of ``expr``
    (a change exactly at an end of the plotted range is marked too)."""
    out = []
    num, den = sp.fraction(sp.together(sp.sympify(expr)))
    for part in (num, den):
        if x not in part.free_symbols:
            continue
        try:
            poly = sp.Poly(part, x)
        except sp.PolynomialError:
            continue
        if poly.degree() > 8 or not all(c.is_number for c in poly.all_coeffs()):
            continue
        for root in _poly_real_roots(sp, poly):
            if sp.Rational(lo.numerator, lo.denominator) <= root <= sp.Rational(hi.numerator, hi.denominator):
                out.append(root)
    return out


def _poly_real_roots(sp, poly) -> list:
    """The real roots of ``poly``: exact where sympy can isolate them (rational coefficients), else as
    40-digit floats (coefficients with radicals, e.g. from a square-root family, are outside its domain)."""
    try:
        return list(sp.real_roots(poly))
    except (NotImplementedError, sp.PolynomialError):
        return [sp.Float(r.as_real_imag()[0], 40) for r in poly.nroots(n=40) if abs(r.as_real_imag()[1]) < 1e-30]


def _exact_text(sp, root) -> str:
    if root.is_Rational:
        return str(root)
    simple = sp.nsimplify(root) if root.is_algebraic else root
    text = str(simple) if "CRootOf" not in str(simple) else f"{float(root):.6g}"
    return f"{text} \u2248 {float(root):.4g}" if not simple.is_Rational else text


def _solver_traces(scenario, parameter, values, lo, hi, points):
    """Per-point general solver: exact grid values, families grouped by support label."""
    from ..solvers import solve
    from .labels import family_label, regime_label

    step = (hi - lo) / (points - 1)
    exact_grid = [lo + k * step for k in range(points)]
    grid = np.array([float(v) for v in exact_grid])
    n = len(scenario.players)
    data: dict[str, dict[int, Any]] = {}
    labels_at: list[str] = []
    for k, v in enumerate(exact_grid):
        point = dict(values)
        point[parameter] = v
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = solve(scenario.game_at(scenario.with_derived({p: point[p] for p in scenario.parameters})))
        seen: dict[str, int] = {}
        for eq in sorted(solution.equilibria, key=lambda e: e.float_profile()):
            base_label = family_label(scenario.strategies, eq.support)
            seen[base_label] = seen.get(base_label, 0) + 1
            label = base_label if seen[base_label] == 1 else f"{base_label} (root {seen[base_label]})"
            data.setdefault(label, {})[k] = (eq.float_profile(), [float(u) for u in eq.payoffs])
        labels_at.append(regime_label(solution))
    traces = []
    for label, at in data.items():
        probs = tuple(
            tuple(np.array([at[k][0][i][s] if k in at else np.nan for k in range(points)]) for s in range(len(strats)))
            for i, strats in enumerate(scenario.strategies)
        )
        pays = tuple(np.array([at[k][1][i] if k in at else np.nan for k in range(points)]) for i in range(n))
        traces.append(FamilyTrace(label, probs, pays))
    # A grid point on a threshold is a degenerate game: a continuum that neither neighbour shares.
    isolated = [
        "continuum(" in labels_at[k] and all(labels_at[j] != labels_at[k] for j in (k - 1, k + 1) if 0 <= j < points)
        for k in range(points)
    ]
    thresholds = []
    previous = None
    for k in range(points):
        if isolated[k]:
            continue
        if previous is not None and labels_at[previous] != labels_at[k]:
            between = [j for j in range(previous + 1, k) if isolated[j]]
            if between:
                j = between[0]
                text = f"{parameter} = {exact_text(exact_grid[j])}"
                thresholds.append(Threshold(float(exact_grid[j]), text, True))
            else:
                mid = (grid[previous] + grid[k]) / 2
                thresholds.append(Threshold(mid, f"{parameter} \u2248 {mid:.4g}", False))
        previous = k
    return grid, tuple(traces), tuple(thresholds)


# ---------------------------------------------------------- two parameters
@dataclass(frozen=True)
class BoundaryCurve:
    """One exact regime boundary in the plane of a 2-parameter sweep.

    ``equation`` is the curve solved for the vertical-axis parameter where
    sympy can (``mu_res = (3*pi_us + 4)/(22 - 6*pi_us)``), else for the
    horizontal one or as ``... = 0``; ``segments`` are polylines, arrays of
    (x, y) rows in parameter units.
    """

    equation: str
    segments: tuple[np.ndarray, ...]


#: Grid resolution (per axis) at which :func:`boundary_curves` evaluates the closed forms.
BOUNDARY_RESOLUTION = 400


def boundary_curves(
    scenario: Scenario, result: SweepResult, resolution: int = BOUNDARY_RESOLUTION
) -> tuple[BoundaryCurve, ...]:
    """The exact boundaries between the regimes of a 2-parameter sweep ``result`` of ``scenario``.

    Each equilibrium family's existence conditions (closed forms from
    :mod:`gametheory.sensitivity.symbolic`, the other parameters at the
    sweep's fixed values) are evaluated on a ``resolution`` x ``resolution``
    grid over the sweep's ranges; each curve where one of them (an
    irreducible factor of it) turns zero at the edge of the family's region
    is returned once, curves lying on top of a shorter equation's dropped.
    Empty when the closed forms do not describe the game.
    """
    if len(result.parameters) != 2:
        raise InputError(f"a regime map needs a sweep over exactly 2 parameters, this one has {len(result.parameters)}")
    from .symbolic import analyse

    px, py = result.parameters
    values = dict(result.fixed)
    try:
        fs = analyse(scenario, (px, py), {**values, px: 0, py: 0})
    except Exception:  # no closed forms for this game: the map alone
        return ()
    if not fs.supported:
        return ()
    import sympy as sp

    sx, sy = fs.symbols[px], fs.symbols[py]
    gx = np.linspace(result.axes[px][0], result.axes[px][-1], resolution)
    gy = np.linspace(result.axes[py][0], result.axes[py][-1], resolution)
    X, Y = np.meshgrid(gx, gy)
    found: dict[str, list[np.ndarray]] = {}

    def evaluate(expr) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = sp.lambdify((sx, sy), expr, "numpy")(X, Y)
        return np.broadcast_to(np.asarray(out, dtype=float), X.shape)

    for fam in fs.families:
        exprs = [fam.explicit(c.expr) for c in fam.conditions]
        if fam.radicand is not None:
            exprs.append(fam.radicand)
        if not exprs:
            continue
        vals = [evaluate(e) for e in exprs]
        ok = [np.isfinite(v) & (v >= -1e-12) for v in vals]
        for k, (expr, v) in enumerate(zip(exprs, vals)):
            others = np.ones(X.shape, dtype=bool)
            for j, o in enumerate(ok):
                if j != k:
                    others &= o
            if not others.any() or not np.any(np.isfinite(v)) or np.nanmin(v) > 0 or np.nanmax(v) < 0:
                continue
            # each irreducible factor of the numerator is its own curve (e.g. (mu - 1)*(4*pi - 1))
            num, den = sp.fraction(sp.together(expr))
            factors = [f for f, _ in sp.factor_list(num)[1] if f.free_symbols] + [
                f for f, _ in sp.factor_list(den)[1] if f.free_symbols
            ]
            for factor in factors:
                z = np.where(others & np.isfinite(v), evaluate(factor), np.nan)
                segments = [seg for seg in _zero_contour(gx, gy, z) if not _on_frame(seg, gx, gy)]
                if segments:
                    found.setdefault(_solved_text(sp, factor, sx, sy), []).extend(segments)
    return _distinct_curves(found, gx, gy)


def _distinct_curves(
    found: Mapping[str, list[np.ndarray]], gx: np.ndarray, gy: np.ndarray
) -> tuple[BoundaryCurve, ...]:
    """Drop curves that lie on top of one already kept (two conditions vanishing on the same
    boundary); shorter equations are preferred. Distances are measured in plot units."""
    sx = max(1e-12, abs(gx[-1] - gx[0]))
    sy = max(1e-12, abs(gy[-1] - gy[0]))
    kept: list[tuple[str, list[np.ndarray], np.ndarray]] = []
    for text in sorted(found, key=len):
        segments = found[text]
        pts = np.concatenate(segments) / [sx, sy]
        sample = pts[:: max(1, len(pts) // 200)]
        duplicate = False
        for _, _, other in kept:
            d = np.sqrt(((sample[:, None, :] - other[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            if np.all(d < 0.01):
                duplicate = True
                break
        if not duplicate:
            kept.append((text, segments, pts[:: max(1, len(pts) // 2000)]))
    return tuple(BoundaryCurve(text, tuple(segments)) for text, segments, _ in kept)


def _zero_contour(gx: np.ndarray, gy: np.ndarray, z: np.ndarray) -> list[np.ndarray]:
    """Polylines of z = 0 (NaN cells skipped), via matplotlib's contour generator."""
    import contourpy

    gen = contourpy.contour_generator(gx, gy, np.ma.masked_invalid(z))
    return [seg for seg in gen.lines(0.0) if len(seg) >= 2]


def _on_frame(seg: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> bool:
    """True for a polyline lying along the edge of the map (e.g. ``mu_res = 0`` at the bottom):
    the edge of the plotted range, not a boundary between regimes."""
    tol_x = 1e-9 * max(1.0, abs(gx[-1] - gx[0]))
    tol_y = 1e-9 * max(1.0, abs(gy[-1] - gy[0]))
    x, y = seg[:, 0], seg[:, 1]
    return bool(
        np.all(np.abs(x - gx[0]) <= tol_x)
        or np.all(np.abs(x - gx[-1]) <= tol_x)
        or np.all(np.abs(y - gy[0]) <= tol_y)
        or np.all(np.abs(y - gy[-1]) <= tol_y)
    )


def _tidy(sp, expr):
    """A rational function written with as few minus signs as possible: (3*x + 4)/(22 - 6*x)."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    if den == 1:
        return sp.expand(num)

    def negatives(e) -> int:
        return sum(1 for t in sp.Add.make_args(sp.expand(e)) if t.could_extract_minus_sign())

    if negatives(-num) + negatives(-den) < negatives(num) + negatives(den):
        num, den = -num, -den
    return sp.Mul(sp.expand(num), sp.Pow(sp.expand(den), -1, evaluate=False), evaluate=False)


#: Longer boundary equations are not printed in a legend (``gametheory sensitivity`` gives them).
MAX_EQUATION = 70


def _solved_text(sp, expr, sx, sy) -> str:
    """``y = f(x)`` (or ``x = c``) for the zero set of ``expr`` when sympy solves it simply."""
    num = sp.numer(sp.together(expr))
    for target in (sy, sx):
        try:
            sols = sp.solve(num, target)
        except Exception:  # pragma: no cover - sympy cannot solve it
            sols = []
        if len(sols) == 1:
            text = f"{target} = {sp.sstr(_tidy(sp, sols[0]))}"
            if len(text) <= MAX_EQUATION:
                return text
    text = f"{sp.sstr(sp.factor(num))} = 0"
    return (
        text
        if len(text) <= MAX_EQUATION
        else f"a curve where a closed form changes sign ({len(text)}-character equation)"
    )
