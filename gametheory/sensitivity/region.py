"""Where an outcome holds: exact conditions, the share of the parameter box, the nearest flip.

:func:`region` answers "under which assumptions does Europe deploy?" over the
parameters ``free`` (by default every parameter with a declared range that
the payoffs use), the others fixed at the defaults (a preset, ``base``):

* **conditions**: the equilibrium families of :mod:`.symbolic` each hold
  exactly where their existence conditions hold, so the outcome holds where a
  Boolean formula over those conditions does ("some family with deploy in its
  support exists", or "every family that exists has it"). Each condition is
  brought to polynomial form (a quotient's sign is the sign of numerator
  times denominator, or of the numerator alone where the denominator keeps one
  sign over the box), conditions that the box decides are dropped, and the
  formula is simplified with sympy's Boolean minimisation into alternatives
  of conjunctions; one-parameter bounds within a conjunction are merged. With
  one free parameter the region is a union of intervals with exact ends
  (real roots of the conditions). Where algebra cannot answer
  (``FamilySet.reason``), the result says so and gives no conditions.
* **share** of the box (uniform): exact with one free parameter, and with two
  when every factor of the conditions is linear in one of them (exact area by
  a cylindrical decomposition and sympy's integration, :func:`_area_share`);
  otherwise a Monte Carlo estimate from ``samples`` uniform draws classified by
  :func:`~gametheory.sensitivity.sweep.classify_points` (the vectorised closed
  forms; a probability bound is read from the families' closed-form
  probabilities), with its Wilson 95% interval and standard error.
* **flip**: the nearest point to the defaults (distance measured in units of
  each parameter's range) where the outcome stops holding, or starts to:
  candidates are the nearest points of each condition's boundary (SLSQP on
  the polynomial, scipy) and the nearest sampled points on the other side;
  each is pushed just across the boundary, rounded to short decimals, and
  kept only when the exact solver confirms that the outcome flips there.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InputError
from ..scenario import Scenario
from ..solvers import solve
from ..solvers.trees import spe_label, structure_method
from .labels import family_label
from .montecarlo import wilson_interval
from .outcomes import Outcome, label_families, parse_outcome, spe_label_holds
from .spe import spe_thresholds
from .sweep import base_values_quiet, check_parameter, classify_points
from .symbolic import analyse, relation_text
from .treesweep import subgame_perfect_points

__all__ = ["DEFAULT_SAMPLES", "Region", "holds_on_draws", "outcome_at", "region", "solver_method"]

#: Uniform draws for the Monte Carlo share (and the sampled flip candidates).
DEFAULT_SAMPLES = 20_000
#: Boolean minimisation is exact but exponential; above this many distinct conditions the formula is
#: only brought to disjunctive normal form.
MAX_MINIMISED_CONDITIONS = 10
#: How far past a boundary a flip point is placed, as a share of the distance to it.
FLIP_MARGIN = 1e-3
#: At most this many flip candidates are checked with the exact solver.
MAX_FLIP_CANDIDATES = 16


@dataclass(frozen=True)
class Region:
    """Where an outcome holds (see the module docstring).

    ``conditions`` are alternatives (any one suffices), each a tuple of conditions that must all hold
    (within the box ``box``); None when algebra cannot answer (``reason``). ``intervals`` (one free
    parameter) are (low, high, low text, high text, low included, high included). ``share`` is the
    fraction of the box, ``share_exact`` its exact text when known, else ``share_interval`` (95%) and
    ``share_error`` (standard error) of the ``samples`` draws. ``flip`` is a full parameter setting
    (None if no flip was found), ``flip_changed`` the parameters it moves, ``flip_distance`` in
    range units. ``sufficient``: algebra found some families but not all (``reason``), so the
    conditions say where the outcome holds at least (in some equilibrium), not where it fails.
    """

    outcome: Outcome
    file: str | None
    free: tuple[str, ...]
    box: Mapping[str, tuple[Fraction, Fraction]]
    values: Mapping[str, Any]
    holds_at_defaults: bool
    conditions: tuple[tuple[str, ...], ...] | None
    reason: str | None
    intervals: tuple[tuple[Any, Any, str, str, bool, bool], ...] = ()
    share: float = float("nan")
    share_exact: str | None = None
    share_interval: tuple[float, float] | None = None
    share_error: float | None = None
    samples: int = 0
    flip: Mapping[str, Any] | None = None
    flip_changed: tuple[str, ...] = ()
    flip_distance: float | None = None
    notes: tuple[str, ...] = ()
    sufficient: bool = False
    formula: Any = field(default=None, repr=False, compare=False)
    #: The scenario's names of equilibria (support as strategy names -> name), for the reports.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)


# ------------------------------------------------------------ exact outcome
def solver_method(scenario: Scenario) -> str:
    """The general solver's method for this scenario: all equilibria, except pure ones for a tree with
    three or more players (its reduced form is degenerate: see
    :func:`~gametheory.solvers.trees.structure_method`)."""
    return structure_method(scenario, scenario.bind({}), "auto") if scenario.extensive is not None else "auto"


def outcome_at(scenario: Scenario, outcome: Outcome, values: Mapping[str, Any]) -> bool:
    """Whether ``outcome`` holds at ``values`` (every parameter), by the exact solver (exact backward
    induction for subgame perfection)."""
    if outcome.is_spe:
        return spe_label_holds(
            outcome, scenario.extensive, spe_label(scenario.extensive, scenario.with_derived(values))
        )
    game = scenario.game_at(scenario.with_derived(values))
    solution = solve(game, solver_method(scenario))
    return outcome.holds(
        [(family_label(game.strategies, eq.support), eq.support, eq.profile) for eq in solution.equilibria]
    )


def _exact_point(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: Fraction(v) if isinstance(v, (float, np.floating)) else v for k, v in values.items()}


# ------------------------------------------------------------- the formula
class _Atoms:
    """Conditions as Boolean symbols: ``expr > 0`` / ``expr >= 0`` with ``expr`` a canonical
    polynomial (or a closed form with a square root), one symbol per distinct condition."""

    def __init__(self, sp, symbols: Sequence[Any], box: Mapping[Any, tuple[Fraction, Fraction]]):
        self.sp = sp
        self.symbols = list(symbols)
        self.box = box
        self.table: dict[tuple[Any, bool], Any] = {}
        self.meaning: dict[Any, tuple[Any, bool]] = {}

    def relation(self, expr, strict: bool):
        """The Boolean of ``expr > 0`` (``>= 0`` unless strict), simplified over the box."""
        sp = self.sp
        expr = sp.together(sp.sympify(expr))
        if not expr.free_symbols:
            return sp.true if (expr > 0 or (not strict and expr == 0)) else sp.false
        num, den = sp.fraction(expr)
        if den.free_symbols and not _has_root(sp, den) and not _has_root(sp, num):
            sign = self._sign(den)
            expr = num * sign if sign else sp.expand(num * den)
        elif den.free_symbols is None or not den.free_symbols:
            expr = num * (1 if den > 0 else -1)
        expr = sp.expand(expr)
        decided = self._decided(expr, strict)
        if decided is not None:
            return sp.true if decided else sp.false
        return self._symbol(expr, strict)

    def _sign(self, poly) -> int:
        """+1 or -1 when a polynomial keeps that sign over the whole box (checked for linear ones), else 0."""
        low, high = self._range(poly)
        if low is not None and low > 0:
            return 1
        if high is not None and high < 0:
            return -1
        return 0

    def _range(self, poly) -> tuple[Any, Any]:
        """Exact minimum and maximum of a linear polynomial over the box (None, None otherwise)."""
        sp = self.sp
        try:
            p = sp.Poly(poly, *self.symbols)
        except sp.PolynomialError:
            return None, None
        if p.total_degree() > 1:
            return None, None
        low = high = p.coeff_monomial(1)
        for s in self.symbols:
            c = p.coeff_monomial(s)
            lo, hi = self.box[s]
            a, b = c * sp.Rational(lo), c * sp.Rational(hi)
            low, high = low + min(a, b), high + max(a, b)
        return low, high

    def _decided(self, expr, strict: bool) -> bool | None:
        low, high = self._range(expr) if not _has_root(self.sp, expr) else _root_range(self.sp, expr)
        if low is not None and (low > 0 or (low == 0 and not strict)):
            return True
        if high is not None and (high < 0 or (high == 0 and strict)):
            return False
        return None

    def _symbol(self, expr, strict: bool):
        """A symbol for ``expr > 0``; ``-expr >= 0`` is its negation, so both share one symbol."""
        sp = self.sp
        _content, primitive = _primitive(sp, expr)
        flip = primitive.could_extract_minus_sign()
        key = (-primitive, not strict) if flip else (primitive, strict)
        if key not in self.table:
            symbol = sp.Symbol(f"c{len(self.table)}")
            self.table[key] = symbol
            self.meaning[symbol] = key
        symbol = self.table[key]
        return sp.Not(symbol) if flip else symbol

    def text(self, literal) -> str:
        sp = self.sp
        if isinstance(literal, sp.Not):
            expr, strict = self.meaning[literal.args[0]]
            return relation_text(-expr, not strict)
        expr, strict = self.meaning[literal]
        return relation_text(expr, strict)

    def relational(self, literal):
        sp = self.sp
        if isinstance(literal, sp.Not):
            expr, strict = self.meaning[literal.args[0]]
            return sp.Le(expr, 0) if strict else sp.Lt(expr, 0)
        expr, strict = self.meaning[literal]
        return sp.Gt(expr, 0) if strict else sp.Ge(expr, 0)


def _root_range(sp, expr) -> tuple[Any, Any]:
    """Bounds of ``c0 + c1*sqrt(R)`` with constant ``c0``, ``c1`` from ``sqrt(R) >= 0`` alone (where the
    root is real, which the family's own conditions require): ``sqrt(R) + 47`` is positive,
    ``-sqrt(R) - 3`` negative; (None, None) for any other form."""
    roots = [p for p in expr.atoms(sp.Pow) if not p.exp.is_Integer]
    if len(roots) != 1:
        return None, None
    (root,) = roots
    rest = sp.expand(expr)
    c1 = rest.coeff(root)
    c0 = sp.expand(rest - c1 * root)
    if c0.free_symbols or c1.free_symbols or not c1:
        return None, None
    return (c0, None) if c1 > 0 else (None, c0)


def _has_root(sp, expr) -> bool:
    """Whether ``expr`` holds a fractional power (a square root from a quadratic family)."""
    return any(not p.exp.is_Integer for p in expr.atoms(sp.Pow))


def _primitive(sp, expr):
    """``expr`` divided by the positive content of its rational coefficients (``2*x - 10`` -> ``x - 5``)."""
    try:
        content, primitive = sp.Poly(expr, *sorted(expr.free_symbols, key=str)).primitive()
        return content, primitive.as_expr()
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return 1, expr


def _family_formulas(sp, atoms: _Atoms, fs, outcome: Outcome) -> tuple[list, list]:
    """Per family: (exists, has the outcome) as Booleans over the atoms."""
    exists, good = [], []
    for fam in fs.families:
        here = sp.And(*[atoms.relation(fam.explicit(c.expr), c.strict) for c in fam.conditions])
        holds = sp.true if outcome.family_holds(fam.label, fam.support) else sp.false
        if outcome.at_least is not None and holds is sp.true:
            ((i, s),) = outcome.atoms
            probability = fam.explicit(fam.probabilities[i][s])
            holds = atoms.relation(probability - sp.Rational(outcome.at_least), outcome.strict)
        exists.append(here)
        good.append(sp.And(here, holds))
    return exists, good


def _regime_formula(sp, fs, exists: list, outcome: Outcome):
    wanted = dict(outcome.families)
    parts = []
    for fam, here in zip(fs.families, exists):
        if fam.label in wanted:
            parts.append(here)
        elif outcome.exact_regime:
            parts.append(sp.Not(here))
    return sp.And(*parts)


def _outcome_formula(sp, atoms: _Atoms, fs, outcome: Outcome):
    exists, good = _family_formulas(sp, atoms, fs, outcome)
    if outcome.is_regime:
        return _regime_formula(sp, fs, exists, outcome)
    if outcome.quantifier == "every":
        return sp.And(sp.Or(*exists), *[sp.Or(sp.Not(e), g) for e, g in zip(exists, good)])
    return sp.Or(*good)


def _minimise(sp, formula):
    count = len(formula.free_symbols)
    if count <= MAX_MINIMISED_CONDITIONS:
        return sp.simplify_logic(formula, form="dnf", force=True)
    return sp.to_dnf(formula)


def _alternatives(sp, formula) -> list[list[Any]]:
    """The conjunctions of a DNF formula, each as a list of literals."""
    if formula is sp.true:
        return [[]]
    if formula is sp.false:
        return []
    terms = formula.args if isinstance(formula, sp.Or) else (formula,)
    return [list(t.args) if isinstance(t, sp.And) else [t] for t in terms]


def _merge_bounds(sp, atoms: _Atoms, literals: list[Any]) -> list[str]:
    """A conjunction in words, the conditions on one parameter alone merged into one range over the box
    (``x_r > 1`` and ``x_r**2 + 5 > 6*x_r`` become ``x_r > 5``)."""
    alone: dict[Any, list[Any]] = {}
    rest = []
    for lit in literals:
        rel = atoms.relational(lit)
        syms = rel.lhs.free_symbols
        if len(syms) == 1 and not _has_root(sp, rel.lhs):
            alone.setdefault(next(iter(syms)), []).append(rel)
        else:
            rest.append(atoms.text(lit))
    out = []
    for symbol, rels in alone.items():
        lo, hi = (sp.Rational(v) for v in atoms.box[symbol])
        conjunction = sp.And(*rels)
        pieces = _pieces(
            sp, [r.lhs for r in rels], lambda x, c=conjunction, s=symbol: bool(c.subs(s, x)), symbol, lo, hi
        )
        words = [_interval_text(symbol, a, b, a_in, b_in, lo, hi) for a, b, a_in, b_in in pieces]
        out.append(" or ".join(words) if words else f"no {symbol} in the range")
    return out + rest


# ---------------------------------------------------------------- 1-D exact
def _intervals(sp, formula, atoms: _Atoms, symbol, lo: Fraction, hi: Fraction):
    """A formula of one parameter as intervals with exact ends over [lo, hi], and its exact share."""
    relational = formula.xreplace({s: atoms.relational(s) for s in atoms.meaning})
    exprs = [atoms.meaning[s][0] for s in formula.free_symbols]
    low, high = sp.Rational(lo), sp.Rational(hi)
    merged = _pieces(sp, exprs, lambda x: bool(relational.subs(symbol, x)), symbol, low, high)
    length = sum((b - a for a, b, _, _ in merged), sp.Integer(0))
    return merged, sp.nsimplify(length / (high - low))


def _pieces(sp, exprs, holds, symbol, lo, hi) -> list[list[Any]]:
    """Where ``holds(x)`` is true on [lo, hi], as [low, high, low included, high included] intervals
    with exact ends: the truth of conditions on ``exprs`` changes only at their real roots."""
    cuts = {lo, hi}
    for expr in exprs:
        cuts.update(r for r in _real_roots(sp, expr, symbol) if lo < r < hi)
    points = sorted(cuts, key=lambda r: float(r))
    merged: list[list[Any]] = []
    for a, b in itertools.pairwise(points):
        if not holds((a + b) / 2):
            continue
        a_in, b_in = holds(a), holds(b)
        if merged and merged[-1][1] == a and (merged[-1][3] or a_in):
            merged[-1][1], merged[-1][3] = b, b_in
        else:
            merged.append([a, b, a_in, b_in])
    return merged


def _real_roots(sp, expr, symbol) -> list[Any]:
    """The real roots of ``expr`` (for one with a square root: of the polynomial left once the root is
    squared away, a superset of its roots, which is all the cutting into intervals needs)."""
    from sympy.solvers.solvers import unrad

    try:
        if _has_root(sp, expr):
            freed = unrad(sp.numer(sp.together(expr)), symbol)
            if freed is None:
                return []
            expr = freed[0]
        return list(sp.Poly(expr, symbol).real_roots())
    except (sp.PolynomialError, NotImplementedError, ValueError):
        return []


def _interval_text(symbol, a, b, low_in: bool, high_in: bool, lo: Fraction, hi: Fraction) -> str:
    name = str(symbol)
    at_low, at_high = a == lo, b == hi
    if at_low and at_high:
        return f"any {name} in the range"
    if at_low:
        return f"{name} {'<=' if high_in else '<'} {b}"
    if at_high:
        return f"{name} {'>=' if low_in else '>'} {a}"
    return f"{a} {'<=' if low_in else '<'} {name} {'<=' if high_in else '<'} {b}"


# ---------------------------------------------------------------- 2-D exact
def _area_share(sp, formula, atoms: _Atoms, box: Mapping[Any, tuple[Fraction, Fraction]]):
    """The exact share of a two-parameter box where ``formula`` holds, or None when this method does not apply.

    A cylindrical decomposition: every irreducible factor of the conditions must be of degree at most one
    in one of the two parameters (``y``, the inner one; the other is ``x``), so that each boundary is
    ``y = r(x)``, a rational function. The ``x`` axis is cut where a boundary's leading coefficient
    vanishes, where two boundaries cross, and where a boundary meets the box's edge; on each strip the
    boundaries keep their order, the formula is read at one point of each band between them, and the
    bands where it holds are integrated exactly (sympy). Conditions with square roots are left out.
    """
    exprs = [atoms.meaning[s][0] for s in formula.free_symbols]
    if any(_has_root(sp, e) for e in exprs):
        return None
    factors = {f for e in exprs for f, _ in sp.factor_list(sp.numer(sp.together(e)))[1] if f.free_symbols}
    orders = [
        pair for pair in (tuple(atoms.symbols), tuple(reversed(atoms.symbols))) if _linear_in(sp, factors, pair[1])
    ]
    if not orders:
        return None
    x, y = orders[0]
    relational = formula.xreplace({s: atoms.relational(s) for s in atoms.meaning})
    (x0, x1), (y0, y1) = ([sp.Rational(v) for v in box[s]] for s in (x, y))
    bounds = [(sp.expand(f).coeff(y, 1), sp.expand(f).coeff(y, 0)) for f in factors]
    roots = [sp.cancel(-c0 / c1) for c1, c0 in bounds if c1 != 0]
    cuts = {x0, x1}
    critical = [c1 for c1, _ in bounds] + [c0 for c1, c0 in bounds if c1 == 0]
    critical += [sp.numer(sp.together(r - edge)) for r in roots for edge in (y0, y1)]
    critical += [sp.numer(sp.together(a - b)) for a, b in itertools.combinations(roots, 2)]
    for expr in critical:
        cuts.update(r for r in _real_roots(sp, expr, x) if x0 < r < x1)
    area = sp.Integer(0)
    for a, b in itertools.pairwise(sorted(cuts, key=float)):
        mid = sp.Rational((float(a) + float(b)) / 2)
        inside = sorted(
            [r for r in roots if y0 < r.subs(x, mid) < y1] + [y0, y1], key=lambda r: float(sp.sympify(r).subs(x, mid))
        )
        for low, high in itertools.pairwise(inside):
            probe = sp.Rational(float((low + high).subs(x, mid)) / 2)
            if bool(relational.subs({x: mid, y: probe})):
                area += sp.integrate(high - low, (x, a, b))
    return sp.nsimplify(sp.simplify(area / ((x1 - x0) * (y1 - y0))))


def _linear_in(sp, factors, y) -> bool:
    return all(sp.degree(f, y) <= 1 for f in factors)


# ------------------------------------------------------------------- share
def _draws(box: Mapping[str, tuple[Fraction, Fraction]], samples: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: rng.uniform(float(lo), float(hi), samples) for k, (lo, hi) in box.items()}


def holds_on_draws(scenario, outcome, draws, fixed, fs, symbols) -> tuple[np.ndarray, tuple[str, ...]]:
    """Whether the outcome holds at each draw: regime labels from classify_points; a probability
    bound from the closed-form probabilities of the families present; subgame perfection from
    vectorised backward induction (:func:`subgame_perfect_points`)."""
    if outcome.is_spe:
        spe = subgame_perfect_points(scenario, draws, base=fixed)
        verdicts = np.array([spe_label_holds(outcome, scenario.extensive, o) for o in spe.outcomes], dtype=bool)
        return verdicts[spe.codes.reshape(-1)], spe.notes
    regimes = classify_points(scenario, draws, base=fixed, method=solver_method(scenario))
    strategies = scenario.strategies
    per_regime = {}
    needs_p = outcome.at_least is not None
    for code, label in enumerate(regimes.regimes):
        if label in ("unknown", "boundary"):
            per_regime[code] = None
            continue
        fams = label_families(label, strategies)
        per_regime[code] = fams if needs_p else outcome.holds([(n, s, None) for n, s in fams])
    codes = regimes.codes.reshape(-1)
    holds = np.zeros(codes.shape, dtype=bool)
    notes = list(regimes.notes)
    for code, verdict in per_regime.items():
        mask = codes == code
        if verdict is None:
            notes.append(f"{int(mask.sum())} draws could not be classified and count as not holding")
        elif needs_p:
            holds[mask] = _probability_holds(outcome, verdict, draws, mask, fs, symbols)
        else:
            holds[mask] = verdict
    return holds, tuple(notes)


def _probability_holds(outcome, families, draws, mask, fs, symbols) -> np.ndarray:
    """Probability bounds at the draws of one regime, from the families' closed forms."""
    import sympy as sp

    if fs is None or not fs.supported:
        raise InputError("a probability bound needs the closed forms, and algebra cannot answer here")
    ((i, s),) = outcome.atoms
    names = list(symbols)
    args = [draws[n][mask] for n in names]
    verdicts = []
    for label, support in families:
        if s not in support[i]:
            verdicts.append(np.zeros(int(mask.sum()), dtype=bool))
            continue
        fam_values = []
        for fam in fs.families:
            if fam.label == label:
                f = sp.lambdify([symbols[n] for n in names], fam.explicit(fam.probabilities[i][s]), "numpy")
                fam_values.append(np.broadcast_to(np.asarray(f(*args), dtype=float), args[0].shape))
        if not fam_values:
            verdicts.append(np.zeros(int(mask.sum()), dtype=bool))
            continue
        p = float(outcome.at_least)
        ok = [(v > p) if outcome.strict else (v >= p - 1e-12) for v in fam_values]
        verdicts.append(np.logical_or.reduce(ok))
    combine = np.logical_and if outcome.quantifier == "every" else np.logical_or
    return combine.reduce(verdicts) if verdicts else np.zeros(int(mask.sum()), dtype=bool)


# -------------------------------------------------------------------- flip
def _scaled(box, point: Mapping[str, float], origin: Mapping[str, float]) -> float:
    return math.sqrt(sum(((point[k] - origin[k]) / float(hi - lo)) ** 2 for k, (lo, hi) in box.items() if hi > lo))


#: Boundaries searched for the nearest point (those nearest by a first-order estimate).
MAX_BOUNDARIES = 6


def _nearest_conditions(sp, atoms: _Atoms, formula, symbols, x0, widths) -> list[Any]:
    """The polynomial conditions of the formula whose boundaries are nearest to ``x0`` by the
    first-order estimate |e(x0)| / |grad e(x0)| (range units); those with a square root are left out."""
    ranked = []
    point = dict(zip(symbols, x0.tolist()))
    for symbol in formula.free_symbols:
        expr, _ = atoms.meaning[symbol]
        if _has_root(sp, expr):
            continue
        value = float(expr.subs(point))
        grad = np.array([float(expr.diff(s).subs(point)) * w for s, w in zip(symbols, widths)])
        norm = float(np.linalg.norm(grad))
        ranked.append((abs(value) / norm if norm > 0 else math.inf, str(symbol), symbol))
    return [symbol for _, _, symbol in sorted(ranked)[:MAX_BOUNDARIES]]


def _boundary_candidates(sp, atoms: _Atoms, formula, box, origin) -> list[dict[str, float]]:
    """The nearest point of each condition's boundary to ``origin`` (range units), by SLSQP."""
    from scipy.optimize import minimize

    names = list(box)
    symbols = [atoms.symbols[k] for k in range(len(names))]
    widths = np.array([float(box[n][1] - box[n][0]) or 1.0 for n in names])
    x0 = np.array([float(origin[n]) for n in names])
    bounds = [(float(box[n][0]), float(box[n][1])) for n in names]
    out = []
    for symbol in _nearest_conditions(sp, atoms, formula, symbols, x0, widths):
        expr, _ = atoms.meaning[symbol]
        f = sp.lambdify(symbols, expr, "numpy")
        try:
            with np.errstate(all="ignore"):
                res = minimize(
                    lambda x: float(np.sum(((x - x0) / widths) ** 2)),
                    x0,
                    method="SLSQP",
                    bounds=bounds,
                    constraints=[{"type": "eq", "fun": lambda x, f=f: float(f(*x))}],
                )
        except (ValueError, ZeroDivisionError, FloatingPointError):
            continue
        if res.success and np.all(np.isfinite(res.x)):
            out.append(dict(zip(names, res.x.tolist())))
    return out


def _round_away(value: float, origin: float, digits: int) -> Fraction:
    """``value`` rounded to ``digits`` decimals, away from ``origin`` (so it stays across a boundary)."""
    scale = 10**digits
    step = math.floor(value * scale) if value < origin else math.ceil(value * scale)
    return Fraction(step, scale)


def _flip(scenario, outcome, box, values, at_default, candidates) -> tuple[dict[str, Any] | None, float | None]:
    """The nearest verified flip: each candidate pushed past its boundary, rounded, checked exactly."""
    origin = {k: float(values[k]) for k in box}
    ranked = sorted(candidates, key=lambda c: _scaled(box, c, origin))[:MAX_FLIP_CANDIDATES]
    best, best_distance = None, None
    for cand in ranked:
        if best_distance is not None and _scaled(box, cand, origin) > best_distance:
            break  # a candidate only moves away once pushed across and rounded
        point = _verified(scenario, outcome, box, values, at_default, cand, origin)
        if point is None:
            continue
        distance = _scaled(box, {k: float(point[k]) for k in box}, origin)
        if best_distance is None or distance < best_distance - 1e-12:
            best, best_distance = point, distance
    if best is None:
        return None, None
    best = _fewest_changes(scenario, outcome, box, values, at_default, best)
    return best, _scaled(box, {k: float(best[k]) for k in box}, origin)


def _fewest_changes(scenario, outcome, box, values, at_default, point: dict[str, Any]) -> dict[str, Any]:
    """``point`` with each moved parameter put back to its value, smallest move first, wherever the
    outcome still flips without it: fewer assumptions changed, and nearer (each reset shortens the
    distance)."""
    moved = sorted(
        (k for k in box if point[k] != values[k]),
        key=lambda k: abs(float(point[k]) - float(values[k])) / float(box[k][1] - box[k][0] or 1),
    )
    for k in moved[:-1] if len(moved) > 1 else []:
        trial = {**point, k: values[k]}
        if outcome_at(scenario, outcome, trial) != at_default:
            point = trial
    return point


def _verified(scenario, outcome, box, values, at_default, cand, origin) -> dict[str, Any] | None:
    moved = {k for k in box if abs(cand[k] - origin[k]) > 1e-12 * max(1.0, abs(origin[k]))}
    if not moved:
        return None
    for margin in (FLIP_MARGIN, 5e-2):
        pushed = {k: origin[k] + (cand[k] - origin[k]) * (1 + margin) for k in box}
        pushed = {k: min(max(v, float(box[k][0])), float(box[k][1])) for k, v in pushed.items()}
        for digits in range(1, 7):
            point = dict(values)
            for k in moved:
                rounded = _round_away(pushed[k], origin[k], digits)
                point[k] = min(max(rounded, box[k][0]), box[k][1])
            if outcome_at(scenario, outcome, point) != at_default:
                return point
    return None


# -------------------------------------------------------------------- main
def _free_parameters(scenario: Scenario, free: Sequence[str] | None, base: Mapping[str, object]) -> tuple[str, ...]:
    if free:
        for name in free:
            check_parameter(scenario, name)
            if scenario.parameters[name].range is None:
                raise InputError(f"{name} has no declared range to explore", file=scenario.file)
        return tuple(free)
    used = scenario.used_parameters
    chosen = tuple(
        n
        for n, p in scenario.parameters.items()
        if n in used and p.range is not None and p.low != p.high and n not in base
    )
    if not chosen:
        raise InputError("no parameter with a declared range to explore", file=scenario.file)
    return chosen


def region(
    scenario: Scenario,
    outcome: str | Outcome,
    *,
    free: Sequence[str] | None = None,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> Region:
    """Where ``outcome`` holds over the parameters ``free`` (see the module docstring)."""
    import sympy as sp

    base = dict(base or {})
    parsed = outcome if isinstance(outcome, Outcome) else parse_outcome(scenario, outcome)
    names = _free_parameters(scenario, free, base)
    values = base_values_quiet(scenario, base, preset)
    box = {n: (Fraction(scenario.parameters[n].low), Fraction(scenario.parameters[n].high)) for n in names}
    at_default = outcome_at(scenario, parsed, values)
    if parsed.is_spe:
        return _spe_region(scenario, parsed, names, box, values, at_default, samples, seed)
    fs = analyse(scenario, names, values)
    notes: list[str] = []
    conditions = formula = atoms = None
    reason = fs.reason
    intervals: tuple = ()
    share_exact = None
    share = float("nan")
    partial = bool(fs.families) and bool(fs.unresolved) and parsed.quantifier == "some" and not parsed.is_regime
    if fs.supported or partial:
        symbols = [fs.symbols[n] for n in names]
        atoms = _Atoms(sp, symbols, {fs.symbols[n]: box[n] for n in names})
        formula = _minimise(sp, _outcome_formula(sp, atoms, fs, parsed))
        conditions = tuple(tuple(_merge_bounds(sp, atoms, alt)) for alt in _alternatives(sp, formula))
        if len(names) == 1 and not partial:
            lo, hi = box[names[0]]
            merged, exact_share = _intervals(sp, formula, atoms, symbols[0], lo, hi)
            intervals = tuple((a, b, str(a), str(b), li, hi_in) for a, b, li, hi_in in merged)
            conditions = tuple(
                (_interval_text(symbols[0], a, b, li, hi_in, sp.Rational(lo), sp.Rational(hi)),)
                for a, b, li, hi_in in merged
            )
            share_exact, share = str(exact_share), float(exact_share)
        elif len(names) == 2 and not partial:
            exact_share = _area_share(sp, formula, atoms, {fs.symbols[n]: box[n] for n in names})
            if exact_share is not None:
                share_exact, share = str(exact_share), float(exact_share)
    estimate: dict[str, Any] = {}
    flip_candidates: list[dict[str, float]] = []
    if share_exact is None and samples > 0:
        estimate, flip_candidates = _estimate(scenario, parsed, box, values, at_default, samples, seed, fs)
        share = estimate.pop("share")
        notes += estimate.pop("notes")
    if intervals:
        (name,) = names
        ends = {float(e) for a, b, *_ in intervals for e in (a, b)} - {float(box[name][0]), float(box[name][1])}
        flip_candidates += [{name: e} for e in ends]
    elif atoms is not None:
        flip_candidates += _boundary_candidates(sp, atoms, formula, box, values)
    if solver_method(scenario) == "pure":
        notes.append("a tree with three or more players: only the pure equilibria of its reduced form are classified")
    return _finish(
        scenario,
        parsed,
        box,
        values,
        at_default,
        flip_candidates,
        notes,
        free=names,
        conditions=conditions,
        reason=reason,
        intervals=intervals,
        share=share,
        share_exact=share_exact,
        sufficient=partial and not fs.supported,
        formula=formula,
        **estimate,
    )


def _estimate(scenario, outcome, box, values, at_default, samples: int, seed: int, fs) -> tuple[dict[str, Any], list]:
    """The Monte Carlo share of the box (with its Wilson interval and standard error) from ``samples``
    uniform draws, and flip candidates bisected towards the nearest draws on the other side."""
    draws = _draws(box, samples, seed)
    fixed = {k: v for k, v in values.items() if k in scenario.parameters and k not in box}
    holds, notes = holds_on_draws(scenario, outcome, draws, fixed, fs, fs.symbols if fs is not None else {})
    drawn, hits = len(holds), int(holds.sum())
    share = hits / drawn
    candidates = []
    other = np.flatnonzero(holds != at_default)
    origin = {k: float(values[k]) for k in box}
    widths = {k: float(hi - lo) or 1.0 for k, (lo, hi) in box.items()}
    if len(other):
        dist = sum(((draws[k][other] - origin[k]) / widths[k]) ** 2 for k in box)
        for idx in other[np.argsort(dist)[:4]]:
            candidates.append(_bisect(scenario, outcome, values, box, at_default, draws, int(idx)))
    found = {
        "share": share,
        "share_interval": wilson_interval(hits, drawn),
        "share_error": math.sqrt(share * (1 - share) / drawn),
        "samples": drawn,
        "notes": list(notes),
    }
    return found, candidates


def _finish(scenario, outcome, box, values, at_default, candidates, notes: list[str], **fields: Any) -> Region:
    """The :class:`Region`: the nearest verified flip among ``candidates``, and the other ``fields``."""
    flip, distance = _flip(scenario, outcome, box, values, at_default, [c for c in candidates if c])
    if flip is None:
        notes.append("no point where the outcome flips was found in the box")
    return Region(
        outcome=outcome,
        file=scenario.file,
        box=box,
        values=values,
        holds_at_defaults=at_default,
        flip=None if flip is None else {k: flip[k] for k in scenario.parameters},
        flip_changed=tuple(k for k in box if flip is not None and flip[k] != values[k]),
        flip_distance=distance,
        notes=tuple(dict.fromkeys(notes)),
        names=scenario.equilibrium_names,
        **fields,
    )


def _spe_region(scenario, outcome, names, box, values, at_default, samples: int, seed: int) -> Region:
    """Where a subgame-perfect outcome holds. With one free parameter: exact intervals between the
    thresholds of subgame perfection (:func:`spe_thresholds`, exact rationals checked by solving) and
    an exact share; with more: a Monte Carlo share from vectorised backward induction at uniform draws,
    without conditions (the comparisons of backward induction are not written as a formula here)."""
    where = (scenario, outcome, box, values, at_default)
    if len(names) != 1:
        estimate: dict[str, Any] = {}
        candidates: list = []
        if samples > 0:
            estimate, candidates = _estimate(scenario, outcome, box, values, at_default, samples, seed, None)
        notes = estimate.pop("notes", [])
        reason = "the conditions of subgame perfection are derived for one free parameter only"
        return _finish(
            *where,
            candidates,
            notes,
            free=names,
            conditions=None,
            reason=reason,
            **estimate,
        )
    (name,) = names
    lo, hi = box[name]
    fixed = {k: v for k, v in values.items() if k in scenario.parameters and k not in box}
    thresholds = spe_thresholds(scenario, name, base=fixed, search=(lo, hi))
    ends = [lo] + [t.value for t in thresholds] + [hi]
    pieces: list[list[Any]] = []
    for a, b in itertools.pairwise(ends):
        if b > a and outcome_at(scenario, outcome, {**values, name: (a + b) / 2}):
            a_in = outcome_at(scenario, outcome, {**values, name: a})
            b_in = outcome_at(scenario, outcome, {**values, name: b})
            if pieces and pieces[-1][1] == a and (pieces[-1][3] or a_in):
                pieces[-1][1], pieces[-1][3] = b, b_in
            else:
                pieces.append([a, b, a_in, b_in])
    exact = sum((b - a for a, b, _, _ in pieces), Fraction(0)) / (hi - lo) if hi > lo else Fraction(1)
    return _finish(
        *where,
        [{name: float(t.value)} for t in thresholds],
        [],
        free=names,
        conditions=tuple((_interval_text(name, a, b, ai, bi, lo, hi),) for a, b, ai, bi in pieces),
        reason=None,
        intervals=tuple((a, b, str(a), str(b), ai, bi) for a, b, ai, bi in pieces),
        share=float(exact),
        share_exact=str(exact),
    )


def _bisect(scenario, outcome, values, box, at_default, draws, idx: int, steps: int = 12) -> dict[str, float]:
    """The boundary between the defaults and draw ``idx`` (on the other side), bisected with the exact solver."""
    origin = {k: float(values[k]) for k in box}
    target = {k: float(draws[k][idx]) for k in box}
    a, b = 0.0, 1.0
    for _ in range(steps):
        m = (a + b) / 2
        point = dict(values)
        point.update({k: Fraction(origin[k] + m * (target[k] - origin[k])) for k in box})
        if outcome_at(scenario, outcome, point) == at_default:
            a = m
        else:
            b = m
    return {k: origin[k] + b * (target[k] - origin[k]) for k in box}
