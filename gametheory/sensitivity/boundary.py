"""Closed forms on a threshold: the equilibrium set of the game restricted to one boundary hypersurface.

A point where some existence condition of the closed forms (:mod:`.symbolic`)
is zero sits on a *threshold*: there the equilibrium set is not the union of
the open regions around it (an equilibrium may merge with another, or a whole
continuum appear). Such a threshold is the zero set of one irreducible factor
``p`` of a condition's numerator (or of a payoff tie, or of a singular
denominator). When ``p`` is linear in some free parameter ``t``, the game on
``p = 0`` is itself a parametric game with one free parameter fewer
(``t = -p0/p1``), usually a *degenerate* one. Its equilibrium set is derived
here once, symbolically, and evaluated with numpy at every point of the sweep
that lies exactly on ``p = 0``.

The derivation mirrors, over the field ``K`` of rational functions of the
remaining parameters, what the general solver
(:mod:`gametheory.solvers.polynomial`) does at one point, so that both report
the same equilibria and the same components:

* a support profile on which at most two players mix has, as its equilibria
  with support inside it, a polytope (von Stengel 2002, sec. 6): each mixing
  player's strategy ranges over the affine solution set of the other's
  indifference equations, cut by non-negativity and best-response
  inequalities. Its *candidate vertices* are the solutions of every choice of
  ``r`` tight inequalities (``r`` the dimension), closed forms in ``K``; one
  is a vertex where every other inequality holds. The support contributes its
  vertices when some point of the polytope has exactly that support (some
  vertex is positive on every strategy of it), as one component when there
  are several;
* a support on which three or more players mix is solved by the families of
  :mod:`.symbolic` (isolated solutions); a continuum there is not covered;
* vertices of different supports that are the same profile (identically, in
  ``K``) are one equilibrium and join their components, as the solver merges
  duplicate points.

The regime of a point is then a function of which candidates are present
(one bit each): it is computed once per distinct pattern. A point where the
restricted forms cannot decide (an inequality, a pivot or a determinant zero
within tolerance there: a threshold inside the threshold, or two distinct
candidates meeting) is left to the general solver, as are points on two
thresholds at once or on one whose factor is not linear in any parameter.

The derived forms are plain data (the Python source of one numpy function and
index tables, checked by :func:`.engine.load_function` when loaded), kept on
disk with the other closed forms (:mod:`.formcache`), so a repeat run does not
import sympy.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .labels import combine

#: Layout version of the boundary forms (part of their disk cache key).
BOUNDARY_VERSION = 2
#: A support whose polytope has more candidate vertices than this is not enumerated (the solver answers).
MAX_CANDIDATES = 2000
#: Most threshold factors considered per scenario (the rest are left to the solver).
MAX_FACTORS = 256

Support = tuple[tuple[int, ...], ...]


class _NotCovered(Exception):
    """The restricted game has a feature these closed forms do not cover (the general solver answers)."""


# ------------------------------------------------------------ exact factors
def poly_terms(sp, poly) -> list[list[Any]]:
    """A polynomial (a sympy ``Poly`` or a ring element) as plain data: ``[[exponents...], "p/q"]`` per term."""
    return [[list(m), str(sp.Rational(c.numerator, c.denominator))] for m, c in poly.terms()]


_COEFFICIENTS: dict[str, Fraction] = {}


def _coefficient(text: str) -> Fraction:
    value = _COEFFICIENTS.get(text)
    if value is None:
        value = _COEFFICIENTS[text] = Fraction(text)
    return value


def eval_terms(terms: Sequence[Sequence[Any]], point: Sequence[Fraction]) -> Fraction:
    """The exact value of a polynomial given by :func:`poly_terms` at ``point`` (Fractions)."""
    total = Fraction(0)
    for exps, coef in terms:
        term = _coefficient(coef)
        for x, e in zip(point, exps):
            if e:
                term *= x**e
        total += term
    return total


def eval_terms_float(terms: Sequence[Sequence[Any]], arrays: Sequence[np.ndarray], size: int) -> np.ndarray:
    """The same polynomial evaluated in floating point at many points."""
    total = np.zeros(size)
    for exps, coef in terms:
        term = np.full(size, float(Fraction(coef)))
        for x, e in zip(arrays, exps):
            if e:
                term = term * x**e
        total = total + term
    return total


def threshold_factors(family_set) -> list[list[list[Any]]]:
    """The distinct irreducible factors (over the rationals, free of radicals) whose zero sets are thresholds.

    From every family's conditions (best-response conditions recomputed in
    closed form when the set left them to numpy), singular denominators and
    degenerate groups; each as :func:`poly_terms` of the free parameters.
    Worked in the field of rational functions (polynomial arithmetic and
    factorisation, no sympy expressions).
    """
    import sympy as sp

    from .symbolic import _field_cells, radical_symbol

    theta = [family_set.symbols[n] for n in family_set.free]
    if not theta:
        return []
    dom = sp.QQ.frac_field(*theta)
    w = radical_symbol()
    values: list[Any] = []

    def add(expr) -> None:
        expr = sp.sympify(expr)
        if w not in expr.free_symbols and expr.free_symbols:
            try:
                values.append(dom.from_sympy(expr))
            except Exception:
                return

    cells = None
    for fam in family_set.families:
        for c in fam.conditions:
            add(c.expr)
        for d in fam.singular:
            add(d)
        if fam.numeric_best_responses and fam.radicand is None:
            cells = _field_cells(sp, dom, family_set.payoffs) if cells is None else cells
            values.extend(_best_responses(dom, cells, family_set.strategies, fam))
    for group in family_set.degenerate:
        for e in group:
            add(e)
    seen: dict[tuple, list[list[Any]]] = {}
    for value in values:
        for part in (dom.numer(value), dom.denom(value)):
            if part.is_ground:
                continue
            for factor, _ in part.factor_list()[1]:
                if factor.is_ground:
                    continue
                factor = factor.monic()
                key = tuple(sorted(factor.terms()))
                if key not in seen:
                    seen[key] = poly_terms(sp, factor)
                if len(seen) >= MAX_FACTORS:
                    return list(seen.values())
    return list(seen.values())


def _best_responses(dom, cells, strategies, fam) -> list[Any]:
    """Payoff from the support minus payoff of each outside strategy, for a family without a radical."""
    from .symbolic import _strategy_payoff

    try:
        sigma = [[dom.from_sympy(p) for p in row] for row in fam.probabilities]
    except Exception:
        return []
    out = []
    for i, s in enumerate(fam.support):
        own = _strategy_payoff(cells, i, s[0], sigma, fam.support, dom.zero)
        for j in range(len(strategies[i])):
            if j not in s:
                out.append(own - _strategy_payoff(cells, i, j, sigma, fam.support, dom.zero))
    return [v for v in out if v]


# ------------------------------------------------------------ the restricted game
@dataclass(frozen=True)
class BoundaryForms:
    """The equilibrium set on one threshold ``factor = 0`` as plain data (see the module docstring).

    ``free`` are the parameters left free on it (``solved`` is expressed by
    them). ``source`` defines one numpy function of ``free`` returning the
    values that the tables index: ``candidates`` (``(source, conditions,
    profile slots, support)``; a slot of ``-1`` is an identically zero
    probability, ``-2`` a probability of one), ``sources`` (``(support,
    polytope)``: a polytope needs the exact-support test), ``classes`` (the
    identity class of each candidate: candidates of one class are one
    profile), ``flags`` (groups of slots: where all of a group are zero the
    forms cannot decide), ``cells`` (the slot of each player's payoff cell,
    in C order) and ``numeric`` (candidates whose best-response conditions
    are computed from those cells at evaluation). ``reason`` is set (and the rest empty) when the
    restricted game is not covered.
    """

    free: tuple[str, ...]
    solved: str
    strategies: tuple[tuple[str, ...], ...]
    reason: str | None = None
    source: str = ""
    globals: Mapping[str, str] = field(default_factory=dict)
    n_exprs: int = 0
    sources: tuple[tuple[Support, bool], ...] = ()
    candidates: tuple[tuple[int, tuple[int, ...], tuple[int, ...], Support], ...] = ()
    classes: tuple[int, ...] = ()
    flags: tuple[tuple[int, ...], ...] = ()
    cells: tuple[int, ...] = ()
    numeric: tuple[int, ...] = ()


def forms_to_dict(forms: BoundaryForms) -> dict[str, Any]:
    """The JSON form of :class:`BoundaryForms`."""
    return {
        "free": list(forms.free),
        "solved": forms.solved,
        "strategies": [list(s) for s in forms.strategies],
        "reason": forms.reason,
        "source": forms.source,
        "globals": dict(forms.globals),
        "n_exprs": forms.n_exprs,
        "sources": [[[list(s) for s in sup], poly] for sup, poly in forms.sources],
        "candidates": [[src, list(c), list(p), [list(s) for s in sup]] for src, c, p, sup in forms.candidates],
        "classes": list(forms.classes),
        "flags": [list(g) for g in forms.flags],
        "cells": list(forms.cells),
        "numeric": list(forms.numeric),
    }


def _ints(values) -> tuple[int, ...]:
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise ValueError("expected whole numbers")
    return tuple(values)


def forms_from_dict(data: Mapping[str, Any]) -> BoundaryForms:
    """:class:`BoundaryForms` from :func:`forms_to_dict` (``ValueError``/``TypeError``/``KeyError`` if malformed)."""
    return BoundaryForms(
        free=tuple(str(n) for n in data["free"]),
        solved=str(data["solved"]),
        strategies=tuple(tuple(str(s) for s in row) for row in data["strategies"]),
        reason=None if data["reason"] is None else str(data["reason"]),
        source=str(data["source"]),
        globals={str(k): str(v) for k, v in data["globals"].items()},
        n_exprs=int(data["n_exprs"]),
        sources=tuple((tuple(_ints(s) for s in sup), bool(poly)) for sup, poly in data["sources"]),
        candidates=tuple(
            (int(src), _ints(c), _ints(p), tuple(_ints(s) for s in sup)) for src, c, p, sup in data["candidates"]
        ),
        classes=_ints(data["classes"]),
        flags=tuple(_ints(g) for g in data["flags"]),
        cells=_ints(data["cells"]),
        numeric=_ints(data["numeric"]),
    )


def _solve_for(sp, poly, theta: Sequence[Any]) -> tuple[int, Any] | None:
    """``(k, expr)``: the factor solved for free parameter ``k`` (linear in it, constant coefficient preferred)."""
    best = None
    for k, t in enumerate(theta):
        if poly.degree(t) != 1:
            continue
        p1 = poly.as_expr().coeff(t, 1)
        p0 = sp.expand(poly.as_expr() - p1 * t)
        rank = 0 if not sp.sympify(p1).free_symbols else 1
        if best is None or rank < best[0]:
            best = (rank, k, sp.cancel(-p0 / p1), p1)
    if best is None:
        return None
    if best[0]:
        return None  # a coefficient that may vanish on the threshold: left to the solver
    return best[1], best[2]


def derive(scenario, names: Sequence[str], fixed: Mapping[str, Any], terms: Sequence[Sequence[Any]]) -> BoundaryForms:
    """The :class:`BoundaryForms` of the threshold ``terms = 0`` (a polynomial in ``names``), others at ``fixed``."""
    import sympy as sp

    from .symbolic import _rational

    symbols = [sp.Symbol(n, real=True) for n in names]
    poly = sp.Poly(sum(sp.Rational(c) * sp.Mul(*(s**e for s, e in zip(symbols, exps))) for exps, c in terms), *symbols)
    strategies = tuple(tuple(s) for s in scenario.strategies)
    solved = _solve_for(sp, poly, symbols)
    if solved is None:
        return BoundaryForms((), "", strategies, reason="the threshold is not linear in a parameter")
    k, expr = solved
    free = tuple(n for j, n in enumerate(names) if j != k)
    table: dict[str, Any] = {}
    for name in scenario.parameters:
        if name == names[k]:
            table[name] = expr
        elif name in free:
            table[name] = symbols[names.index(name)]
        else:
            table[name] = _rational(sp, fixed[name])
    for name, derived in scenario.derived.items():
        table[name] = derived.expression.to_sympy(table)
    theta = tuple(symbols[names.index(n)] for n in free)
    try:
        return _Derivation(sp, scenario, table, theta, free, names[k], strategies).run()
    except _NotCovered as exc:
        return BoundaryForms(free, names[k], strategies, reason=str(exc))


class _Derivation:
    """The work of :func:`derive`: every support of the restricted game, then one ``lambdify``."""

    def __init__(self, sp, scenario, table, theta, free, solved, strategies):
        from .symbolic import _field_cells, _is_piecewise, _Unresolved, symbolic_payoffs

        self.sp, self.theta, self.free, self.solved, self.strategies = sp, theta, free, solved, strategies
        self.shape = tuple(scenario.shape)
        self.n = len(self.shape)
        payoffs = symbolic_payoffs(scenario, table)
        if any(_is_piecewise(sp, e, set(theta)) for e in payoffs.ravel()):
            raise _NotCovered("the payoffs are piecewise on the threshold")
        self.dom = sp.QQ.frac_field(*theta) if theta else sp.QQ
        try:
            self.cells = _field_cells(sp, self.dom, payoffs)
        except _Unresolved as exc:
            raise _NotCovered(exc.reason) from None
        self.payoffs = payoffs
        self.exprs: list[Any] = []
        self.slots: dict[Any, int] = {}
        self.sources: list[tuple[Support, bool]] = []
        self.candidates: list[tuple[int, tuple[int, ...], tuple[int, ...], Support]] = []
        self.profiles: list[tuple] = []
        self.flags: list[tuple[int, ...]] = []
        self.numeric: list[int] = []

    # ---------------------------------------------------------- helpers
    def const(self, x) -> bool:
        if self.dom is self.sp.QQ:
            return True
        return x.numer.is_ground and x.denom.is_ground

    def sign(self, x) -> int:
        value = self.dom.to_sympy(x)
        return int(bool(value > 0)) - int(bool(value < 0))

    def slot(self, value) -> int:
        """The slot of a sympy expression or a domain element (shared when equal)."""
        expr = value if isinstance(value, self.sp.Basic) else self.dom.to_sympy(value)
        k = self.slots.get(expr)
        if k is None:
            k = self.slots[expr] = len(self.exprs)
            self.exprs.append(expr)
        return k

    def flag(self, *values) -> None:
        """Mark where all of ``values`` (non-constant) vanish as undecidable here."""
        group = tuple(sorted({self.slot(self.sp.numer(self.sp.together(self.dom.to_sympy(v)))) for v in values}))
        if group and group not in self.flags:
            self.flags.append(group)

    # ---------------------------------------------------------- the work
    def run(self) -> BoundaryForms:
        from .engine import UncachableSource, _lambdify_source
        from .symbolic import _supports

        for support in _supports(self.shape):
            mixing = [i for i, s in enumerate(support) if len(s) > 1]
            if len(mixing) <= 2:
                self.polytope(support, mixing)
            else:
                self.families(support)
        classes = self.identity_classes()
        cells: tuple[int, ...] = ()
        if self.numeric:
            cells = tuple(self.slot(self.cells[idx]) for idx in np.ndindex(self.n, *self.shape))
        try:
            source, used = _lambdify_source(self.theta, self.exprs, cse=False)
        except UncachableSource as exc:
            raise _NotCovered(f"the forms use {exc.args[0]!r}") from None
        return BoundaryForms(
            free=self.free,
            solved=self.solved,
            strategies=self.strategies,
            source=source,
            globals=used,
            n_exprs=len(self.exprs),
            sources=tuple(self.sources),
            candidates=tuple(self.candidates),
            classes=tuple(classes),
            flags=tuple(self.flags),
            cells=cells,
            numeric=tuple(self.numeric),
        )

    def identity_classes(self) -> list[int]:
        """One class number per candidate: candidates with identical profiles (in ``K``) share one."""
        seen: dict[tuple, int] = {}
        out = []
        for profile in self.profiles:
            key = tuple(str(v) for v in profile)
            out.append(seen.setdefault(key, len(seen)))
        return out

    def add_candidate(self, source: int, conditions: list, profile: list[list[Any]], support_of) -> None:
        conds = tuple(sorted({self.slot(c) for c in conditions}))
        slots = []
        for row in profile:
            for v in row:
                if isinstance(v, self.sp.Basic):
                    slots.append(self.slot(v))
                elif not v:
                    slots.append(-1)
                elif v == self.dom.one:
                    slots.append(-2)
                else:
                    slots.append(self.slot(v))
        self.candidates.append((source, conds, tuple(slots), support_of))
        self.profiles.append(tuple(v for row in profile for v in row))

    # ---------------------------------------------------------- three or more players mix
    def families(self, support: Support) -> None:
        from .symbolic import _Degenerate, _families_for, _Unresolved

        sp = self.sp
        try:
            found = _families_for(
                sp, self.dom, self.cells, self.payoffs, support, self.shape, self.theta, self.n, self.strategies, 0,
                len(self.theta) <= 3, True,
            )  # fmt: skip
        except _Degenerate as exc:
            if exc.group:
                group = tuple(sorted({self.slot(e) for e in exc.group}))
                if group not in self.flags:
                    self.flags.append(group)
            return
        except _Unresolved as exc:
            raise _NotCovered(exc.reason) from None
        for fam in found:
            source = len(self.sources)
            self.sources.append((support, False))
            conds = []
            for c in fam.conditions:
                value = sp.sympify(fam.explicit(c.expr))
                if value == 0:
                    continue
                conds.append(value)
            probs = [[sp.sympify(fam.explicit(p)) for p in row] for row in fam.probabilities]
            self.numeric.append(len(self.candidates))
            self.add_candidate(source, conds, probs, support)
            for d in fam.singular:
                group = (self.slot(d),)
                if group not in self.flags:
                    self.flags.append(group)

    # ---------------------------------------------------------- at most two players mix
    def polytope(self, support: Support, mixing: list[int]) -> None:
        """The candidate vertices of the polytope of equilibria with support inside ``support``."""
        if len(mixing) == 1:
            j = mixing[0]
            pure = [s[0] for s in support]
            ties = []
            for k in support[j][1:]:
                a, b = list(pure), list(pure)
                a[j], b[j] = k, support[j][0]
                ties.append(self.cells[(j, *a)] - self.cells[(j, *b)])
            if any(t and self.const(t) for t in ties):
                return
            if any(t for t in ties):
                self.flag(*[t for t in ties if t])
                return
        affine = {}
        for j in mixing:
            rows = []
            for i in mixing:
                if i == j:
                    continue
                for s in support[i][1:]:
                    rows.append([self.payoff_row(i, s, support, j, c) - self.payoff_row(i, support[i][0], support, j, c)
                                 for c in support[j]])  # fmt: skip
            solved = self.affine(rows, len(support[j]))
            if solved is None:
                return
            affine[j] = solved
        r = sum(len(affine[j][1]) for j in mixing)
        sigma = self.sigma(support, mixing, affine, r)
        constraints = [p for j in mixing for p in sigma[j] if p is not None]
        for i in range(self.n):
            base = self.payoff_form(i, support[i][0], support, sigma, r)
            for k in range(self.shape[i]):
                if k not in support[i]:
                    constraints.append([x - y for x, y in zip(base, self.payoff_form(i, k, support, sigma, r))])
        self.vertices(support, mixing, sigma, constraints, r)

    def payoff_row(self, i: int, s: int, support: Support, j: int, c: int):
        """Player ``i``'s payoff from ``s`` when mixing player ``j`` plays ``c`` and the others their pure strategy."""
        index = [sup[0] for sup in support]
        index[i], index[j] = s, c
        return self.cells[(i, *index)]

    def affine(self, rows: list[list[Any]], n: int):
        """Solutions of ``rows . x = 0``, ``sum(x) = 1`` over ``K``: ``(x0, basis)``, or None (flagging where a
        pivot or an inconsistency vanishes)."""
        dom = self.dom
        A = [list(r) + [dom.zero] for r in rows] + [[dom.one] * n + [dom.one]]
        pivots: list[int] = []
        top = 0
        for c in range(n):
            p = next((i for i in range(top, len(A)) if A[i][c]), None)
            if p is None:
                continue
            A[top], A[p] = A[p], A[top]
            pv = A[top][c]
            if not self.const(pv):
                self.flag(pv)
            A[top] = [v / pv for v in A[top]]
            for i in range(len(A)):
                if i != top and A[i][c]:
                    f = A[i][c]
                    A[i] = [a - f * b for a, b in zip(A[i], A[top])]
            pivots.append(c)
            top += 1
        rest = [A[i][n] for i in range(top, len(A)) if A[i][n]]
        if rest:
            if not any(self.const(v) for v in rest):
                self.flag(*rest)
            return None
        x0 = [dom.zero] * n
        for i, c in enumerate(pivots):
            x0[c] = A[i][n]
        basis = []
        for f in (c for c in range(n) if c not in pivots):
            v = [dom.zero] * n
            v[f] = dom.one
            for i, c in enumerate(pivots):
                v[c] = -A[i][f]
            basis.append(v)
        return x0, basis

    def sigma(self, support: Support, mixing: list[int], affine, r: int) -> dict[int, list]:
        """Each player's probabilities as affine forms ``[c0, c1..cr]`` in the polytope's coordinates."""
        dom = self.dom
        out: dict[int, list] = {}
        offset = 0
        for i, s in enumerate(support):
            row: list = [None] * self.shape[i]
            if i not in affine:
                row[s[0]] = [dom.one] + [dom.zero] * r
            else:
                x0, basis = affine[i]
                for q, k in enumerate(s):
                    form = [x0[q]] + [dom.zero] * r
                    for b, vec in enumerate(basis):
                        form[1 + offset + b] = vec[q]
                    row[k] = form
                offset += len(basis)
            out[i] = row
        return out

    def payoff_form(self, i: int, k: int, support: Support, sigma, r: int) -> list:
        """Player ``i``'s payoff from ``k`` against the others' affine forms (affine unless bilinear: not covered)."""
        dom = self.dom
        total = [dom.zero] * (r + 1)
        others = [j for j in range(self.n) if j != i]
        for combo in itertools.product(*(support[j] for j in others)):
            index = list(combo)
            index.insert(i, k)
            form = [self.cells[(i, *index)]] + [dom.zero] * r
            for j, a in zip(others, combo):
                form = self.multiply(form, sigma[j][a])
            total = [x + y for x, y in zip(total, form)]
        return total

    def multiply(self, f: list, g: list) -> list:
        if not any(f[1:]):
            return [f[0] * x for x in g]
        if not any(g[1:]):
            return [g[0] * x for x in f]
        raise _NotCovered("a best-response condition is bilinear on a continuum")

    def vertices(self, support: Support, mixing: list[int], sigma, constraints: list[list], r: int) -> None:
        """Every candidate vertex: ``r`` tight constraints, the others as its conditions."""
        dom = self.dom
        rows, global_conds = [], []
        for g in constraints:
            if any(g[1:]):
                rows.append(g)
            elif g[0] and self.const(g[0]):
                if self.sign(g[0]) < 0:
                    return
            elif g[0]:
                global_conds.append(g[0])
        if math.comb(len(rows), r) > MAX_CANDIDATES:
            raise _NotCovered("too many candidate vertices")
        source = len(self.sources)
        self.sources.append((support, bool(mixing)))
        found: list[tuple] = []
        for pick in itertools.combinations(range(len(rows)), r):
            z = self.solve([rows[k][1:] for k in pick], [-rows[k][0] for k in pick])
            if z is None:
                continue
            key = tuple(z)
            if key in found:
                continue
            conds, ok = list(global_conds), True
            for g in rows:
                v = g[0] + sum((c * x for c, x in zip(g[1:], z)), dom.zero)
                if not v:
                    continue
                if self.const(v):
                    if self.sign(v) < 0:
                        ok = False
                        break
                    continue
                conds.append(v)
            if not ok:
                continue
            found.append(key)
            profile = []
            for i in range(self.n):
                row = []
                for form in sigma[i]:
                    row.append(
                        dom.zero if form is None else form[0] + sum((c * x for c, x in zip(form[1:], z)), dom.zero)
                    )
                profile.append(row)
            supp = tuple(tuple(k for k, v in enumerate(row) if v) for row in profile)
            self.add_candidate(source, conds, profile, supp)

    def solve(self, A: list[list[Any]], b: list[Any]) -> list[Any] | None:
        """The unique solution of ``A z = b`` over ``K`` (None if singular there), flagging where it breaks down."""
        n = len(A)
        M = [list(row) + [v] for row, v in zip(A, b)]
        for c in range(n):
            p = next((i for i in range(c, n) if M[i][c]), None)
            if p is None:
                return None
            M[c], M[p] = M[p], M[c]
            pv = M[c][c]
            if not self.const(pv):
                self.flag(pv)
            M[c] = [v / pv for v in M[c]]
            for i in range(n):
                if i != c and M[i][c]:
                    f = M[i][c]
                    M[i] = [a - f * bb for a, bb in zip(M[i], M[c])]
        return [M[i][n] for i in range(n)]


# ------------------------------------------------------------ evaluation
class BoundaryEngine:
    """Evaluates one :class:`BoundaryForms` at points on its threshold."""

    def __init__(self, forms: BoundaryForms):
        from .engine import load_function

        self.forms = forms
        self.supported = forms.reason is None
        if self.supported:
            self._evaluate = load_function(forms.source, forms.globals)
        self._labels: dict[bytes, str] = {}

    def classify(self, values: Mapping[str, np.ndarray], size: int, tol: float) -> tuple[np.ndarray, list[str]]:
        """(codes into the returned labels, -1 where these forms cannot decide) at ``size`` points on the threshold."""
        forms = self.forms
        arrays = [np.asarray(values[n], dtype=np.float64).reshape(-1) for n in forms.free]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = list(self._evaluate(*arrays)) if forms.n_exprs else []
        out = [np.broadcast_to(np.asarray(v, dtype=np.float64), (size,)) for v in raw]
        undecided = np.zeros(size, dtype=bool)
        for group in forms.flags:
            hit = np.ones(size, dtype=bool)
            for k in group:
                hit &= np.abs(out[k]) <= tol
            undecided |= hit
        present = np.ones((len(forms.candidates), size), dtype=bool)
        numeric = set(forms.numeric)
        for c, (_, conds, _, _) in enumerate(forms.candidates):
            values = [out[k] for k in conds]
            if c in numeric:
                values.extend(self._best_responses(out, c, size))
            for v in values:
                undecided |= np.abs(v) <= tol
                present[c] &= v > tol
        undecided |= self._meetings(out, present, size, tol)
        bits = present if len(forms.candidates) else np.zeros((1, size), dtype=bool)
        keys = np.ascontiguousarray(np.packbits(bits, axis=0, bitorder="little").T)
        view = keys.view(np.dtype((np.void, keys.shape[1]))).reshape(-1)
        _, first, codes = np.unique(view, return_index=True, return_inverse=True)
        labels = [self._label(present[:, k]) for k in first]
        codes = codes.reshape(-1).astype(np.int64)
        codes[undecided] = -1
        return codes, labels

    def _meetings(self, out, present, size, tol) -> np.ndarray:
        """Points where two candidates of different identity classes are the same profile (a special point)."""
        forms = self.forms
        hit = np.zeros(size, dtype=bool)
        first: dict[int, int] = {}
        for c, k in enumerate(forms.classes):
            first.setdefault(k, c)
        reps = list(first.values())
        if len(reps) > 200:
            return hit
        values = [np.stack([self._entry(out, s, size) for s in forms.candidates[c][2]]) for c in reps]
        for a, b in itertools.combinations(range(len(reps)), 2):
            both = present[reps[a]] & present[reps[b]]
            if both.any():
                hit |= both & (np.abs(values[a] - values[b]).max(axis=0) <= tol)
        return hit

    def _best_responses(self, out, c: int, size: int) -> list[np.ndarray]:
        """Candidate ``c``'s best-response conditions (payoff from its support minus that of each strategy outside
        it), from its probabilities and the payoff cells."""
        forms = self.forms
        shape = tuple(len(s) for s in forms.strategies)
        n = len(shape)
        slots = iter(forms.candidates[c][2])
        sigma = [[self._entry(out, next(slots), size) for _ in range(m)] for m in shape]
        cells = np.asarray(forms.cells, dtype=np.int64).reshape(n, *shape)
        support = forms.candidates[c][3]
        found = []
        for i in range(n):
            payoff = []
            for k in range(shape[i]):
                total = np.zeros(size)
                for combo in itertools.product(*(support[j] for j in range(n) if j != i)):
                    index = list(combo)
                    index.insert(i, k)
                    weight = np.ones(size)
                    for j, a in enumerate(index):
                        if j != i:
                            weight = weight * sigma[j][a]
                    total = total + weight * out[cells[(i, *index)]]
                payoff.append(total)
            found.extend(payoff[support[i][0]] - payoff[k] for k in range(shape[i]) if k not in support[i])
        return found

    @staticmethod
    def _entry(out, slot: int, size: int) -> np.ndarray:
        if slot == -1:
            return np.zeros(size)
        if slot == -2:
            return np.ones(size)
        return out[slot]

    def _label(self, present: np.ndarray) -> str:
        """The regime label of a pattern of present candidates, with components as the solver reports them."""
        forms = self.forms
        parent = list(range(len(forms.candidates)))

        def root(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        by_class: dict[int, int] = {}
        in_component: set[int] = set()
        points: list[int] = []
        for source, (support, polytope) in enumerate(forms.sources):
            members = [c for c, cand in enumerate(forms.candidates) if cand[0] == source and present[c]]
            if not members:
                continue
            if polytope and not _exact_support(support, [forms.candidates[c][3] for c in members]):
                continue
            distinct = {forms.classes[c] for c in members}
            for c in members:
                points.append(c)
                if len(distinct) > 1:
                    parent[root(c)] = root(members[0])
                    in_component.add(c)
        for c in points:
            k = forms.classes[c]
            if k in by_class:
                parent[root(c)] = root(by_class[k])
            else:
                by_class[k] = c
        groups: dict[int, list[int]] = {}
        for c in points:
            groups.setdefault(root(c), []).append(c)
        supports, continua = [], []
        for members in groups.values():
            classes = {forms.classes[c] for c in members}
            if len(classes) == 1 and not any(c in in_component for c in members):
                supports.append(forms.candidates[members[0]][3])
            else:
                n = len(forms.strategies)
                continua.append(
                    tuple(tuple(sorted(set().union(*(forms.candidates[c][3][i] for c in members)))) for i in range(n))
                )
        return combine(forms.strategies, supports, continua)


def _exact_support(support: Support, supports: Sequence[Support]) -> bool:
    """Whether some point of the polytope (the centroid of its vertices) uses every strategy of ``support``."""
    return all(any(k in s[i] for s in supports) for i, own in enumerate(support) for k in own)


# ------------------------------------------------------------ per-scenario state
class BoundarySolver:
    """Answers boundary points of a sweep from the closed forms of their threshold, where algebra can.

    ``names`` are the swept parameters, ``fixed`` the values of the others,
    ``scale`` the payoff scale (tolerances are relative to it). Forms are
    derived on first need and kept on disk unless ``cache`` is False.
    """

    def __init__(self, scenario, names: Sequence[str], fixed: Mapping[str, Any], scale: float, cache: bool = True):
        self.scenario, self.names, self.scale, self.cache = scenario, tuple(names), scale, cache
        self.fixed = {k: fixed[k] for k in scenario.parameters if k not in self.names}
        self._factors: list | None = None
        self._engines: dict[int, BoundaryEngine] = {}
        self._stored: dict[str, Any] | None = None

    def _key(self) -> str:
        from . import formcache

        return formcache.forms_key(self.scenario, self.names, self.fixed, 1000 + BOUNDARY_VERSION)

    def _load(self) -> dict[str, Any]:
        if self._stored is None:
            from . import formcache

            data = formcache.load_forms(self._key()) if self.cache else None
            self._stored = dict(data) if isinstance(data, dict) else {}
        return self._stored

    def _save(self) -> None:
        if self.cache:
            from . import formcache

            stored = {k: v for k, v in self._load().items() if k != "key"}
            formcache.store_forms(self._key(), stored)

    def factors(self) -> list:
        """The threshold factors of the scenario's closed forms (from the disk cache, else derived)."""
        if self._factors is None:
            stored = self._load().get("factors")
            if isinstance(stored, list):
                self._factors = stored
            else:
                from .symbolic import analyse

                values = {**self.fixed}
                family_set = analyse(self.scenario, self.names, values, best_responses="numeric")
                self._factors = threshold_factors(family_set) if family_set.supported else []
                self._load()["factors"] = self._factors
                self._save()
        return self._factors

    def engine(self, index: int) -> BoundaryEngine:
        hit = self._engines.get(index)
        if hit is not None:
            return hit
        stored = self._load().setdefault("forms", {})
        forms = None
        if isinstance(stored, dict) and str(index) in stored:
            try:
                forms = forms_from_dict(stored[str(index)])
                engine = BoundaryEngine(forms)
            except (ValueError, TypeError, KeyError, SyntaxError):
                forms = None
        if forms is None:
            forms = derive(self.scenario, self.names, self.fixed, self.factors()[index])
            engine = BoundaryEngine(forms)
            stored[str(index)] = forms_to_dict(forms)
            self._save()
        self._engines[index] = engine
        return engine

    def answer(
        self, values: Mapping[str, np.ndarray], exact: Sequence[Mapping[str, Any]], tol: float
    ) -> tuple[np.ndarray, list[str]]:
        """Labels at boundary points: ``(codes, labels)``, code -1 where the general solver must answer.

        ``values`` are the float values of the swept parameters at the points,
        ``exact[k]`` the exact values at point ``k`` (a point is answered only
        when exactly one threshold factor is exactly zero there).
        """
        size = len(exact)
        codes = np.full(size, -1, dtype=np.int64)
        labels: list[str] = []
        factors = self.factors()
        if not factors or not size:
            return codes, labels
        arrays = [np.asarray(values[n], dtype=np.float64).reshape(-1) for n in self.names]
        on: dict[int, list[int]] = {}
        near = [np.abs(eval_terms_float(t, arrays, size)) <= 1e-6 * max(1.0, self.scale) for t in factors]
        # a factor's exact value depends only on the parameters it uses: computed once per distinct value of those
        uses = [[j for j in range(len(self.names)) if any(exps[j] for exps, _ in t)] for t in factors]
        known: dict[tuple, bool] = {}
        for k in range(size):
            hits = []
            for f, terms in enumerate(factors):
                if not near[f][k]:
                    continue
                key = (f, *(exact[k][self.names[j]] for j in uses[f]))
                zero = known.get(key)
                if zero is None:
                    point = [_exact(exact[k][n]) if j in uses[f] else Fraction(0) for j, n in enumerate(self.names)]
                    zero = known[key] = eval_terms(terms, point) == 0
                if zero:
                    hits.append(f)
            if len(hits) == 1:
                on.setdefault(hits[0], []).append(k)
        for f, idx in on.items():
            engine = self.engine(f)
            if not engine.supported:
                continue
            where = np.asarray(idx)
            sub = {n: np.asarray(values[n]).reshape(-1)[where] for n in engine.forms.free}
            part, names = engine.classify(sub, len(where), tol * self.scale)
            offset = len(labels)
            labels.extend(names)
            codes[where] = np.where(part >= 0, part + offset, -1)
        return codes, labels


def _exact(value: Any) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)
