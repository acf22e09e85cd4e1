"""The general (slow, exact) path of polynomial support enumeration, and exact forms, using sympy.

:mod:`gametheory.solvers.polynomial` solves almost every support profile with
its own integer algebra. It comes here only when a support's equations are
not in a shape that algebra handles: a tie that makes them singular, a
continuum of solutions (degenerate games), or more than two unknowns left
after elimination. Here the indifference equations are handed to sympy's
Groebner bases (Buchberger's algorithm; Cox, Little & O'Shea, *Ideals,
Varieties, and Algorithms*, ch. 2-3), which decide whether the solution set is
empty, finite (then solved exactly) or positive-dimensional.

For a positive-dimensional set (a *component* of equilibria, as in
McKelvey & McLennan 1996, section 8 on degenerate games) we report what can be
established exactly: its dimension (the number of generic hyperplanes needed
to cut it down to points), the equilibria where it meets the boundary of the
support or where a best-response inequality becomes tight (found by adding
those equations, like the vertices of a polytope), and one sample point of
the set with exactly this support.

This module is imported lazily: sympy costs about half a second to import.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction

from ._polypoints import Point, exact_form_rows, fraction_text

_DIGITS = 50
_ZERO = 1e-30


@dataclass
class SupportResult:
    points: list = field(default_factory=list)
    samples: list = field(default_factory=list)
    positive_dimensional: bool = False
    dimension: int | None = None
    #: The equations' solution set is positive-dimensional but one equilibrium of it was found:
    #: reported as a point, and the support as not proven free of others.
    lone_point: bool = False
    unresolved: bool = False


class _Budget(Exception):
    pass


class _SupportSystem:
    """The indifference equations and inequalities of one support profile, in sympy."""

    def __init__(self, U, alive, S, mixed, shape):
        import sympy

        self.sympy = sympy
        self.S = S
        self.shape = shape
        self.N = len(shape)
        self.syms = []
        self.sigma = {}
        for j in range(self.N):
            if len(S[j]) == 1:
                self.sigma[j] = {S[j][0]: sympy.Integer(1)}
                continue
            xs = [sympy.Symbol(f"p{j}_{s}") for s in S[j][:-1]]
            self.syms.extend(xs)
            sig = dict(zip(S[j][:-1], xs))
            sig[S[j][-1]] = 1 - sum(xs)
            self.sigma[j] = sig
        self.U = U
        base = {i: self.payoff(i, S[i][0]) for i in range(self.N)}
        self.equations = []
        for i in mixed:
            for s in S[i][1:]:
                e = sympy.expand(self.payoff(i, s) - base[i])
                if e != 0:
                    self.equations.append(e)
        # probabilities that must be > 0 (>= 0 at the boundary) and regrets that must be <= 0
        self.probabilities = [sympy.expand(self.sigma[j][s]) for j in mixed for s in S[j]]
        self.regrets = [
            sympy.expand(self.payoff(i, k) - base[i]) for i in range(self.N) for k in alive[i] if k not in S[i]
        ]
        self.regrets = [r for r in self.regrets if r != 0]

    def payoff(self, i, k):
        sympy = self.sympy
        others = [j for j in range(self.N) if j != i]
        total = sympy.Integer(0)
        for combo in itertools.product(*[self.S[j] for j in others]):
            idx = [0] * self.N
            idx[i] = k
            w = sympy.Integer(1)
            for j, s in zip(others, combo):
                idx[j] = s
                w = w * self.sigma[j][s]
            total += sympy.Integer(int(self.U[i][tuple(idx)])) * w
        return sympy.expand(total)

    # ------------------------------------------------------------- algebra
    def groebner(self, extra=()):
        eqs = list(self.equations) + list(extra)
        eqs = [e for e in eqs if e != 0]
        if not eqs:
            return None
        return self.sympy.groebner(eqs, *self.syms, order="grevlex")

    @staticmethod
    def is_empty(G) -> bool:
        return G is not None and list(G.exprs) == [1]

    def zero_dimensional(self, G) -> bool:
        if G is None:
            return len(self.syms) == 0
        return G.is_zero_dimensional

    def dimension(self, rng) -> int:
        """Dimension of the solution set: generic hyperplanes needed to leave finitely many points."""
        sympy = self.sympy
        extra = []
        for dim in range(len(self.syms) + 1):
            G = self.groebner(extra)
            if self.is_empty(G) or self.zero_dimensional(G):
                return dim
            coeffs = [sympy.Rational(rng.randint(1, 97), rng.randint(1, 97)) for _ in self.syms]
            extra.append(sum(c * x for c, x in zip(coeffs, self.syms)) - sympy.Rational(rng.randint(1, 97), 97))
        return len(self.syms)

    def real_points(self, extra=()):
        """Real solutions of the equations plus ``extra`` (which must leave finitely many)."""
        sympy = self.sympy
        eqs = [e for e in list(self.equations) + list(extra) if e != 0]
        if not self.syms:
            return [()] if not eqs else []
        sols = sympy.solve_poly_system(eqs, *self.syms) if eqs else None
        if sols is None:
            return []
        out = []
        for sol in sols:
            vals = []
            real = True
            for v in sol:
                nv = sympy.N(v, _DIGITS)
                re, im = nv.as_real_imag()
                if abs(im) > _ZERO:
                    real = False
                    break
                vals.append((sympy.nsimplify(v) if v.is_Rational else v, float(re)))
            if real:
                out.append(vals)
        return out

    def evaluate(self, expr, point):
        """Value of ``expr`` at a point given as [(exact, float), ...]: (exact-or-None, float)."""
        sympy = self.sympy
        subs = {x: v for x, (v, _) in zip(self.syms, point)}
        val = expr.subs(subs) if subs else expr
        if val.is_Rational:
            return val, float(val)
        nv = sympy.N(val, _DIGITS)
        f = float(sympy.re(nv))
        if abs(f) < _ZERO:
            return sympy.Integer(0), 0.0
        return None, f

    def feasible(self, point, strict: bool) -> bool:
        for p in self.probabilities:
            _, v = self.evaluate(p, point)
            if v < 0 or (strict and v <= 0):
                return False
        for r in self.regrets:
            _, v = self.evaluate(r, point)
            if v > 0:
                return False
        return True

    def to_point(self, point) -> Point:
        sympy = self.sympy
        subs = {x: v for x, (v, _) in zip(self.syms, point)}
        exact = all(v.is_Rational for v, _ in point)
        prof, forms = [], []
        for i in range(self.N):
            row, frow = [], []
            for k in range(self.shape[i]):
                expr = self.sigma[i].get(k, sympy.Integer(0))
                val = sympy.sympify(expr).subs(subs) if subs else sympy.sympify(expr)
                if exact:
                    fr = Fraction(int(val.p), int(val.q))
                    row.append(fr)
                    frow.append(fraction_text(fr))
                else:
                    if not val.has(sympy.CRootOf):
                        val = sympy.radsimp(val)
                    row.append(float(sympy.N(val, _DIGITS)))
                    frow.append(str(val))
            prof.append(tuple(row))
            forms.append(tuple(frow))
        sup = tuple(tuple(k for k in range(self.shape[i]) if prof[i][k] != 0) for i in range(self.N))
        return Point(tuple(prof), exact, None if exact else tuple(forms), support=sup)


def solve_support(U, alive, S, mixed, shape, budget: float) -> SupportResult:
    """Solve one support profile exactly with sympy (see the module docstring)."""
    deadline = time.perf_counter() + budget
    res = SupportResult()
    try:
        sysm = _SupportSystem(U, alive, S, mixed, shape)
        G = sysm.groebner()
        if sysm.is_empty(G):
            return res
        if sysm.zero_dimensional(G):
            for pt in sysm.real_points():
                if sysm.feasible(pt, strict=True):
                    res.points.append(sysm.to_point(pt))
            return res
        _positive_dimensional(sysm, res, deadline)
    except _Budget:
        res.unresolved = True
    except (NotImplementedError, ValueError, ZeroDivisionError, TypeError):  # sympy could not finish
        res.unresolved = True
    return res


def _positive_dimensional(sysm: _SupportSystem, res: SupportResult, deadline: float) -> None:
    rng = random.Random(20240607)
    dim = sysm.dimension(rng)
    res.dimension = dim
    constraints = list(sysm.probabilities) + list(sysm.regrets)
    extremes = []

    def explore(chosen: list, start: int) -> None:
        if time.perf_counter() > deadline:
            raise _Budget
        G = sysm.groebner(chosen)
        if sysm.is_empty(G):
            return
        if sysm.zero_dimensional(G):
            for pt in sysm.real_points(chosen):
                if sysm.feasible(pt, strict=False) and not any(_close(pt, q) for q in extremes):
                    extremes.append(pt)
            return
        if len(chosen) >= len(sysm.syms):
            return
        for idx in range(start, len(constraints)):
            explore(chosen + [constraints[idx]], idx + 1)

    explore([], 0)
    # a sample with exactly this support: centroid, midpoints, then random slices
    sample = None
    candidates = []
    if extremes:
        candidates.append(_mean(extremes))
        candidates.extend(_mean([p, q]) for p, q in itertools.combinations(extremes, 2))
    for cand in candidates:
        if all(abs(sysm.evaluate(e, cand)[1]) < 1e-20 for e in sysm.equations) and sysm.feasible(cand, True):
            sample = cand
            break
    if sample is None:
        sympy = sysm.sympy
        for _ in range(6):
            if time.perf_counter() > deadline:
                raise _Budget
            chosen = rng.sample(sysm.syms, dim)
            extra = [x - sympy.Rational(rng.randint(1, 30), 31) for x in chosen]
            G = sysm.groebner(extra)
            if sysm.is_empty(G) or not sysm.zero_dimensional(G):
                continue
            found = [pt for pt in sysm.real_points(extra) if sysm.feasible(pt, strict=True)]
            if found:
                sample = found[0]
                break
    if sample is None:
        if extremes:
            # the continuum could not be shown to contain a point with exactly this support
            res.unresolved = True
        return
    distinct = list(extremes)
    if not any(_close(sample, q) for q in distinct):
        distinct.append(sample)
    if len(distinct) < 2:
        # The equations have a curve of solutions, but the inequalities leave only this point of it
        # in sight (nau2004's sec6: one equilibrium on the support): not a proven continuum.
        res.points = [sysm.to_point(pt) for pt in distinct]
        res.lone_point = True
        return
    res.positive_dimensional = True
    res.samples = [sysm.to_point(sample)]
    res.points = [sysm.to_point(pt) for pt in extremes] or list(res.samples)


def _close(p, q) -> bool:
    return all(abs(a[1] - b[1]) < 1e-12 for a, b in zip(p, q))


def _mean(points):
    import sympy

    n = len(points)
    out = []
    for coords in zip(*points):
        if all(c[0].is_Rational for c in coords):
            v = sum((c[0] for c in coords), sympy.Integer(0)) / n
            out.append((v, float(v)))
        else:
            f = sum(c[1] for c in coords) / n
            v = sympy.nsimplify(f, rational=True)
            out.append((v, f))
    return out


# --------------------------------------------------------------------------- exact forms


def _root_expression(poly_coeffs, root, symbol):
    """The exact sympy number for the root of ``poly_coeffs`` held by ``root`` (radicals when possible)."""
    import sympy

    P = sympy.Poly(list(reversed(poly_coeffs)), symbol)
    for factor, _ in P.factor_list()[1]:
        if factor.degree() == 0:
            continue
        ca = factor.eval(sympy.Rational(root.lo.numerator, root.lo.denominator))
        cb = factor.eval(sympy.Rational(root.hi.numerator, root.hi.denominator))
        if ca == 0:
            return sympy.Rational(root.lo.numerator, root.lo.denominator), factor
        if cb == 0:
            return sympy.Rational(root.hi.numerator, root.hi.denominator), factor
        if (ca > 0) != (cb > 0):
            target = float(root)
            best = min(factor.real_roots(), key=lambda r: abs(float(sympy.N(r, 30)) - target))
            return best, factor
    raise ArithmeticError("root not found among the factors")  # pragma: no cover


def _algebraic_text(num, den, root_factor, value: float, t) -> str:
    """Exact text of num(t)/den(t) where t is a root of the irreducible ``root_factor``: via its minimal polynomial."""
    import sympy

    y = sympy.Symbol("y")
    res = sympy.resultant(root_factor.as_expr(), y * den - num, t)
    poly = sympy.Poly(res, y)
    best, best_err = None, None
    for factor, _ in poly.factor_list()[1]:
        if factor.degree() == 0:
            continue
        for r in factor.real_roots():
            err = abs(float(sympy.N(r, 30)) - value)
            if best_err is None or err < best_err:
                best, best_err = r, err
    return str(best)


def univariate_forms(shape, S, unis: dict, root) -> tuple:
    """Per player, per strategy exact text of an equilibrium read at an irrational root ``x``.

    ``unis[j]`` are polynomials in ``x`` proportional to player ``j``'s
    probabilities on ``S[j]``; each probability ``num(x)/den(x)`` is an
    algebraic number whose minimal polynomial is a factor of
    ``Res_x(m(x), y*den(x) - num(x))``, ``m`` the minimal polynomial of ``x``.
    """
    import sympy

    t = sympy.Symbol("t")
    root.refine(80)
    _, factor = _root_expression(root.p, root, t)
    xf = float(root)

    def texts(weights: list) -> list[str]:
        polys = [sympy.Poly(list(reversed(p)), t).as_expr() if p else sympy.Integer(0) for p in weights]
        den = sympy.expand(sum(polys))
        return [_algebraic_text(num, den, factor, float(num.subs(t, xf)) / float(den.subs(t, xf)), t) for num in polys]

    return exact_form_rows(shape, S, unis, texts)
