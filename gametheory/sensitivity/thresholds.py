"""Exact critical values of one parameter: where the equilibrium set changes.

The method
----------
Hold every parameter but ``p`` at its (exact) value. Every equilibrium family
of the game (:mod:`.symbolic`) is then a closed form in ``p`` alone, and it can
appear, vanish or change only where one of these is zero:

* an existence condition (a probability reaching 0, a best-response
  inequality becoming an equality); for a condition ``P + Q*sqrt(R)`` the
  zeros are among the roots of ``P**2 - Q**2*R``;
* a denominator of a closed form (the formula is singular there);
* the discriminant ``R`` of a quadratic family (two equilibria merge);
* a degeneracy expression (a payoff tie).

All of these are polynomials in ``p`` with rational coefficients after
clearing denominators, so their real roots are found **exactly** (sympy: each
distinct irreducible factor's real roots, as rationals, radicals or
``CRootOf`` algebraic numbers). These are only *candidates*. Each one is
verified with the general solver (:func:`gametheory.solve`, exact
arithmetic): the equilibrium set is computed at a simple rational point
strictly inside every interval between consecutive candidates, and at each
rational candidate itself; a candidate is a threshold when the regime label
(:func:`~.labels.regime_label`) differs on its two sides, or at the point
itself (an isolated degenerate game). The intervals between thresholds are
reported with their equilibrium sets.

Where the boundary is a simple relation among the parameters (``m_us =
c_us``, ``x_r = g_r - f_r - w_r + a_r``), it is found by solving the same
condition with *every* parameter symbolic and keeping the solution that
evaluates to the threshold found.

When the closed forms are not available (see ``FamilySet.reason``) the range
is scanned with the solver and each change located by bisection: the values
are then approximate (``exact`` is None) and say so.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..numtext import exact_text
from .labels import regime_label, support_key
from .symbolic import FamilySet, analyse

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

#: Time allowed per support when solving with every parameter symbolic (for the ``symbolic`` relations).
ALL_FREE_TIME_LIMIT = 2.0
#: Largest relation shown as a symbolic threshold (sympy operation count).
MAX_RELATION_OPS = 30
#: Points of the fallback scan when no closed form is available.
SCAN_POINTS = 21
#: Bisection steps per change found by the fallback scan.
SCAN_BISECTIONS = 16
#: Seconds the fallback scan may spend on one parameter before it stops refining.
SCAN_BUDGET = 120.0


@dataclass(frozen=True)
class Threshold:
    """A critical value of ``parameter``: the equilibrium set differs on its two sides (or at it).

    ``value`` is a float, ``exact`` its exact text (``"5"``, ``"334/47"``,
    ``"167/47 + sqrt(27654)/47"``) and ``polynomial`` the minimal polynomial
    it is a root of (for algebraic values). ``symbolic`` is the value as a
    relation in the other parameters when one was found. ``below``/``above``/
    ``at`` are solved games (:class:`~gametheory.solution.Solution`) at a
    rational point just below, just above and (if rational) exactly at it.
    """

    parameter: str
    value: float
    exact: str | None
    polynomial: str | None
    symbolic: str | None
    below: Any
    above: Any
    at: Any
    sources: tuple[str, ...] = ()
    #: ``"low"`` or ``"high"`` when the threshold is an end of the interval searched (the declared range):
    #: one side of it is then outside that interval, and ``below``/``above`` say what happens just past the end.
    end: str | None = None

    @property
    def below_label(self) -> str:
        return regime_label(self.below)

    @property
    def above_label(self) -> str:
        return regime_label(self.above)

    @property
    def at_label(self) -> str | None:
        return None if self.at is None else regime_label(self.at)


@dataclass(frozen=True)
class Interval:
    """A maximal interval of ``parameter`` on which the regime is constant (ends exclusive)."""

    parameter: str
    low: float
    high: float
    low_exact: str | None
    high_exact: str | None
    sample: Fraction
    solution: Any
    #: True for the interval just past an end of the interval searched, beyond a threshold at that end:
    #: its outer bound is then only where the search stopped looking.
    outside: bool = False

    @property
    def label(self) -> str:
        return regime_label(self.solution)


@dataclass(frozen=True)
class ParameterThresholds:
    """Every threshold of one parameter within ``search`` (its declared range by default)."""

    parameter: str
    search: tuple[float, float]
    thresholds: tuple[Threshold, ...]
    intervals: tuple[Interval, ...]
    candidates: int
    exact: bool
    notes: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------- helpers
def simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator strictly between ``lo < hi`` (Stern-Brocot search)."""
    if not lo < hi:
        raise ValueError("empty interval")
    floor_lo = math.floor(lo)
    if floor_lo + 1 < hi:
        # an integer lies strictly inside: take the one nearest to zero
        candidates = [k for k in (0, floor_lo + 1, math.ceil(hi) - 1) if lo < k < hi]
        return Fraction(min(candidates, key=abs))
    # continued-fraction descent on the fractional parts
    a = Fraction(floor_lo)
    lo_r, hi_r = lo - a, hi - a
    if lo_r == 0:
        # lo is an integer and hi <= lo + 1: need 1/k < hi_r
        k = math.floor(1 / hi_r) + 1
        return a + Fraction(1, k)
    inner = simplest_between(1 / hi_r, 1 / lo_r)
    return a + 1 / inner


def _fraction_of(number, digits: int = 40) -> Fraction:
    import sympy as sp

    if isinstance(number, Fraction):
        return number
    if getattr(number, "is_Rational", False):
        return Fraction(int(number.p), int(number.q))
    return Fraction(str(sp.N(number, digits)))


def _exact_text(number) -> str:
    import sympy as sp

    if number.is_Rational:
        return str(number.p) if number.q == 1 else f"{number.p}/{number.q}"
    return sp.sstr(number)


def _solve_at(scenario, values: Mapping[str, Any], name: str, value: Fraction, method: str = "auto"):
    from ..solvers import solve

    point = dict(values)
    point[name] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.game_at(scenario.with_derived(point))
    if scenario.extensive is not None:
        from ..solvers.trees import structure_method

        method = structure_method(scenario, game, method)
    return solve(game, method)


def _candidate_polynomials(fs: FamilySet, symbol) -> list[tuple[Any, str]]:
    """(polynomial expression in the parameter, where it comes from) for every candidate source."""
    import sympy as sp

    out: list[tuple[Any, str]] = []

    def add(expr, source: str) -> None:
        expr = sp.sympify(expr)
        if symbol not in expr.free_symbols:
            return
        num, den = sp.fraction(sp.together(expr))
        for part in (num, den):
            if symbol in part.free_symbols:
                out.append((sp.expand(part), source))

    for fam in fs.families:
        for cond in fam.conditions:
            where = f"{fam.label}: {cond.describe(fs.players, fs.strategies)}"
            p, q = cond.parts if cond.parts is not None else (cond.expr, sp.Integer(0))
            if q == 0:
                add(p, where)
            else:
                add(sp.together(p * p - q * q * fam.radicand), where)
                add(sp.denom(sp.together(p)), where)
                add(sp.denom(sp.together(q)), where)
        for den in fam.singular:
            add(den, f"{fam.label}: the closed form is singular")
        if fam.radicand is not None:
            add(fam.radicand, f"{fam.label}: two solutions merge")
    for group in fs.degenerate:
        add(group[0], "a payoff tie (degenerate game)")
    return out


def _candidate_roots(fs: FamilySet, symbol, lo, hi) -> list[tuple[Any, Any, tuple[str, ...]]]:
    """Distinct real roots strictly inside (lo, hi): (root, irreducible polynomial, sources), sorted."""
    import sympy as sp

    factors: dict[Any, set[str]] = {}
    for expr, source in _candidate_polynomials(fs, symbol):
        try:
            _, parts = sp.factor_list(expr, symbol)
        except Exception:  # pragma: no cover - sympy failure
            continue
        for factor, _ in parts:
            poly = sp.Poly(factor, symbol)
            if poly.degree() < 1:
                continue
            poly = poly.monic()
            factors.setdefault(poly, set()).add(source)
    roots = []
    for poly, sources in factors.items():
        try:
            found = poly.real_roots()
        except Exception:  # pragma: no cover
            continue
        for root in found:
            value = float(sp.N(root, 30))
            if (lo is None or value > lo) and (hi is None or value < hi):
                roots.append((root, poly, tuple(sorted(sources)), value))
    roots.sort(key=lambda r: r[3])
    return [(r, p, s) for r, p, s, _ in roots]


# --------------------------------------------------------------------- main
def thresholds(
    scenario: Scenario,
    parameter: str,
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    search: tuple[object, object] | None = None,
    symbolic: bool = True,
    method: str = "auto",
) -> ParameterThresholds:
    """The exact values of ``parameter`` where the equilibrium set changes, the others held fixed.

    ``base``/``preset`` fix the other parameters (defaults otherwise);
    ``search`` is the interval examined (default: the parameter's declared
    range; all real numbers if it has none), ends included: a threshold at an
    end is reported (``Threshold.end``), with the equilibria just past it (the
    interval beyond is marked ``Interval.outside``). ``symbolic`` also looks
    for each threshold as a relation in the other parameters.
    """
    from .sweep import base_values_quiet, check_parameter

    check_parameter(scenario, parameter)
    values = base_values_quiet(scenario, base, preset)
    lo, hi = _search_interval(scenario, parameter, search)
    fs = analyse(scenario, (parameter,), values)
    if not fs.supported:
        return _scan(scenario, parameter, values, lo, hi, fs.reason, method)
    symbol = fs.symbols[parameter]
    every = _candidate_roots(fs, symbol, None, None)
    roots, outer_lo, outer_hi, ends = _within(every, lo, hi)
    edges_lo, edges_hi, samples = _sample_points(
        [_fraction_of(r) for r, _, _ in roots], outer_lo, outer_hi, values[parameter]
    )
    sols = [_solve_at(scenario, values, parameter, x, method) for x in samples]
    labels = [regime_label(s) for s in sols]
    keep = _verified(scenario, parameter, values, roots, labels, method)
    found = [
        _threshold(scenario, parameter, values, fs, roots[k], sols[k], sols[k + 1], at, symbolic, ends.get(k))
        for k, at in keep.items()
    ]
    outside = (ends.get(min(keep)) == "low" if keep else False, ends.get(max(keep)) == "high" if keep else False)
    intervals = _intervals(parameter, roots, list(keep), samples, sols, labels, (edges_lo, edges_hi), (lo, hi), outside)
    return ParameterThresholds(
        parameter=parameter,
        search=(float(lo if lo is not None else edges_lo), float(hi if hi is not None else edges_hi)),
        thresholds=tuple(found),
        intervals=tuple(intervals),
        candidates=len(roots),
        exact=True,
        values=values,
    )


def _within(candidates, lo, hi):
    """The candidates in the closed interval [lo, hi], the bounds to sample between, and which are ends.

    A candidate exactly at an end is kept, and the sampling bound on that side moves just past
    it (to the next candidate outside, or one unit out), so that what happens beyond the end is
    seen; the interval between them holds no candidate, so one point there stands for all of it.
    Returns ``(inside, outer_lo, outer_hi, {index in inside: "low" | "high"})``.
    """

    values = [_fraction_of(c[0]) for c in candidates]  # sorted, as _candidate_roots returns them

    def at(k: int, end) -> bool:
        return end is not None and bool(candidates[k][0].is_Rational) and values[k] == Fraction(end)

    kept = [k for k, v in enumerate(values) if (lo is None or v >= lo) and (hi is None or v <= hi)]
    inside = [candidates[k] for k in kept]
    ends: dict[int, str] = {}
    outer_lo, outer_hi = lo, hi
    if kept and at(kept[0], lo):
        ends[0] = "low"
        before = [v for v in values if v < lo]
        outer_lo = before[-1] if before else Fraction(lo) - 1
    if kept and at(kept[-1], hi):
        ends[len(inside) - 1] = "high"
        after = [v for v in values if v > hi]
        outer_hi = after[0] if after else Fraction(hi) + 1
    return inside, outer_lo, outer_hi, ends


def _search_interval(scenario, parameter: str, search: tuple[object, object] | None) -> tuple[Any, Any]:
    """The interval to examine: ``search``, else the declared range, else ``(None, None)`` (all real numbers)."""
    if search is not None:
        from ..scenario import coerce_number

        lo, hi = (coerce_number(v, what=f"search bound of {parameter}") for v in search)
        if lo >= hi:
            raise InputError(f"the search interval of {parameter} is empty")
        return lo, hi
    param = scenario.parameters[parameter]
    if param.range is not None:
        return param.low, param.high
    return None, None


def _sample_points(points: Sequence[Fraction], lo, hi, current) -> tuple[Fraction, Fraction, list[Fraction]]:
    """The ends of the interval examined (one beyond the outer candidates when it is unbounded) and a
    simple sample point strictly between each pair of consecutive candidates (and the ends)."""
    edges_lo = Fraction(lo) if lo is not None else (points[0] - 1 if points else Fraction(current) - 1)
    edges_hi = Fraction(hi) if hi is not None else (points[-1] + 1 if points else Fraction(current) + 1)
    bounds = [edges_lo, *points, edges_hi]
    samples = []
    for a, b in itertools.pairwise(bounds):
        if a < b:
            samples.append(simplest_between(a, b))
        else:  # two candidates closer than the 40-digit approximation (should not happen)
            samples.append(a)
    return edges_lo, edges_hi, samples


def _verified(scenario, parameter: str, values, roots, labels: Sequence[str], method: str) -> dict[int, Any]:
    """The candidates that are thresholds: the regime differs on their two sides, or (for a rational
    candidate, solved there) at the point itself. Maps each one's index to its solution at the point (or None)."""
    keep: dict[int, Any] = {}
    for k, (root, _, _) in enumerate(roots):
        at = None
        if root.is_Rational:
            at = _solve_at(scenario, values, parameter, _fraction_of(root), method)
        if labels[k] != labels[k + 1] or (at is not None and regime_label(at) not in (labels[k], labels[k + 1])):
            keep[k] = at
    return keep


def _threshold(
    scenario, parameter: str, values, fs: FamilySet, candidate, below, above, at, symbolic: bool, end: str | None
) -> Threshold:
    """A verified candidate ``(root, polynomial, sources)`` as a :class:`Threshold` (with its relation in
    the other parameters when ``symbolic``)."""
    root, poly, sources = candidate
    return Threshold(
        parameter=parameter,
        value=float(_fraction_of(root)),
        exact=_exact_text(root),
        polynomial=None if root.is_Rational else _poly_text(poly, parameter),
        symbolic=_relation(scenario, parameter, root, sources, values, fs) if symbolic else None,
        below=below,
        above=above,
        at=at,
        sources=sources,
        end=end,
    )


def _poly_text(poly, name: str) -> str:
    import sympy as sp

    clean = sp.Poly(poly.as_expr(), *poly.gens)
    coeffs = clean.all_coeffs()
    denom = sp.ilcm(*[sp.Rational(c).q for c in coeffs])
    expr = sp.expand(clean.as_expr() * denom)
    return f"{sp.sstr(expr)} = 0"


def _intervals(parameter, roots, keep, samples, sols, labels, edges, bounds, outside) -> list[Interval]:
    """Merge the sample intervals between kept thresholds.

    ``edges`` are where the sampling stopped, ``bounds`` the interval searched (None: unbounded),
    ``outside`` whether the first and the last interval lie past a threshold at an end of it.
    """
    out: list[Interval] = []
    cuts = [None] + [roots[k][0] for k in keep] + [None]
    starts = [0] + [k + 1 for k in keep]
    for j, start in enumerate(starts):
        ends = []
        for side, cut in enumerate((cuts[j], cuts[j + 1])):
            outer = outside[side] and cut is None
            bound = edges[side] if outer else bounds[side]
            if cut is not None:
                ends.append((float(_fraction_of(cut)), _exact_text(cut)))
            elif bound is None:
                ends.append((math.inf if side else -math.inf, None))
            else:
                ends.append((float(bound), None if outer else str(bound)))
        out.append(
            Interval(
                parameter=parameter,
                low=ends[0][0],
                high=ends[1][0],
                low_exact=ends[0][1],
                high_exact=ends[1][1],
                sample=samples[start],
                solution=sols[start],
                outside=(j == 0 and outside[0]) or (j == len(starts) - 1 and outside[1]),
            )
        )
    return out


def _relation(scenario, parameter: str, root, sources: Sequence[str], values, fs: FamilySet) -> str | None:
    """The threshold as a simple relation in the other parameters, e.g. ``c_us`` for ``m_us``."""
    used = sorted(scenario.used_parameters)
    if parameter not in used:
        return None
    wanted = {fam.support for fam in fs.families if any(src.startswith(fam.label + ": ") for src in sources)}
    subs = {k: values[k] for k in used if k != parameter and isinstance(values[k], Fraction)}
    for support in sorted(wanted, key=support_key):  # pure profiles first: their relations are the simplest
        try:
            full = analyse(
                scenario, tuple(used), values, time_limit_per_support=ALL_FREE_TIME_LIMIT, supports=[support]
            )
        except Exception:  # pragma: no cover - sympy failure
            continue
        found = _relation_in(full, parameter, root, sources, subs, fs)
        if found is not None:
            return found
    return None


def _relation_in(full: FamilySet, parameter: str, root, sources, values, fs: FamilySet) -> str | None:
    import sympy as sp

    symbol = full.symbols[parameter]
    subs = {full.symbols[k]: sp.Rational(v.numerator, v.denominator) for k, v in values.items()}
    for fam in full.families:
        for cond in fam.conditions:
            where = f"{fam.label}: {cond.describe(fs.players, fs.strategies)}"
            if where not in sources:
                continue
            p, q = cond.parts if cond.parts is not None else (cond.expr, 0)
            if q != 0:
                continue
            num = sp.numer(sp.together(p))
            if symbol not in num.free_symbols:
                continue
            try:
                solutions = sp.solve(num, symbol)
            except Exception:  # pragma: no cover
                continue
            for sol in solutions:
                if sp.count_ops(sol) > MAX_RELATION_OPS or not sol.free_symbols:
                    continue
                if sp.simplify(sol.subs(subs) - root) == 0:
                    return _readable(sol)
    return None


def _readable(expr) -> str:
    """Positive terms first: ``g_r - f_r - w_r + a_r`` rather than ``a_r - f_r + g_r - w_r``."""
    import sympy as sp

    expr = sp.sympify(expr)
    if expr.is_Add:
        terms = sp.Add.make_args(expr)
        pos = [t for t in terms if not t.could_extract_minus_sign()]
        neg = [t for t in terms if t.could_extract_minus_sign()]
        text = " + ".join(sp.sstr(t) for t in pos)
        for t in neg:
            text += f" - {sp.sstr(-t)}"
        return text.strip() or "0"
    return sp.sstr(expr)


def _scan(scenario, parameter, values, lo, hi, reason: str | None, method: str) -> ParameterThresholds:
    """No closed forms: scan the range with the solver and bisect every change (approximate values).

    A sample that lands exactly on a threshold (its equilibrium set differs
    from both neighbours', e.g. a continuum at a payoff tie) is reported as one
    threshold at that exact value, not as two changes a bisection apart.
    """
    if lo is None or hi is None:
        default = Fraction(values[parameter])
        width = max(abs(default), Fraction(1))
        lo, hi = default - width, default + width
    lo, hi = Fraction(lo), Fraction(hi)
    xs = [lo + (hi - lo) * Fraction(k, SCAN_POINTS - 1) for k in range(SCAN_POINTS)]
    # avoid landing on the range ends exactly (often degenerate): nudge inwards
    xs[0] += (hi - lo) / (1000 * SCAN_POINTS)
    xs[-1] -= (hi - lo) / (1000 * SCAN_POINTS)
    deadline = time.perf_counter() + SCAN_BUDGET
    sols = [_solve_at(scenario, values, parameter, x, method) for x in xs]
    labels = [regime_label(s) for s in sols]
    changes = {
        k: _bisect(scenario, values, parameter, method, (xs[k], sols[k]), (xs[k + 1], sols[k + 1]), deadline)
        for k in range(len(xs) - 1)
        if labels[k] != labels[k + 1]
    }
    found, keep_samples = [], [(xs[0], sols[0])]
    tolerance = (hi - lo) / (SCAN_POINTS - 1) / 2 ** (SCAN_BISECTIONS - 2)
    for k in sorted(changes):
        if k - 1 in changes and _on_sample(changes[k - 1], changes[k], xs[k], tolerance):
            continue  # reported with the change before it, at the sample
        a, sa, b, sb = changes[k]
        if k + 1 in changes and _on_sample(changes[k], changes[k + 1], xs[k + 1], tolerance):
            above = changes[k + 1][3]
            found.append(Threshold(parameter, float(xs[k + 1]), exact_text(xs[k + 1]), None, None, sa, above,
                                   sols[k + 1], ("scan",)))  # fmt: skip
            keep_samples.append((xs[k + 2], sols[k + 2]))
            continue
        found.append(Threshold(parameter, float((a + b) / 2), None, None, None, sa, sb, None, ("scan",)))
        keep_samples.append((xs[k + 1], sols[k + 1]))
    intervals = []
    cuts = [float(lo)] + [t.value for t in found] + [float(hi)]
    for j, (x, sol) in enumerate(keep_samples):
        intervals.append(Interval(parameter, cuts[j], cuts[j + 1], None, None, x, sol))
    note = f"closed forms unavailable ({reason}); thresholds located by a {SCAN_POINTS}-point scan and bisection"
    return ParameterThresholds(
        parameter, (float(lo), float(hi)), tuple(found), tuple(intervals), 0, False, (note,), values
    )


def _bisect(scenario, values, parameter: str, method: str, left, right, deadline: float):
    """Narrow a change of label between ``left = (x, solution)`` and ``right`` to ``(a, sa, b, sb)``."""
    (a, sa), (b, sb) = left, right
    la, lb = regime_label(sa), regime_label(sb)
    for _ in range(SCAN_BISECTIONS):
        if time.perf_counter() > deadline:
            break
        mid = (a + b) / 2
        sm = _solve_at(scenario, values, parameter, mid, method)
        lm = regime_label(sm)
        if lm == la:
            a, sa = mid, sm
        elif lm == lb:
            b, sb = mid, sm
        else:
            break
    return a, sa, b, sb


def _on_sample(before, after, sample: Fraction, tolerance: Fraction) -> bool:
    """True when change ``before`` closes in on ``sample`` from below and ``after`` from above.

    The equilibrium set at the sample then differs from both sides: the sample
    itself is the threshold (exactly), not two changes a bisection step apart.
    """
    return before[2] == sample == after[0] and before[2] - before[0] <= tolerance and after[2] - after[0] <= tolerance
