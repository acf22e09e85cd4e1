"""Equilibrium families in closed form: each support's equilibrium as a function of the parameters.

The method (support enumeration with symbolic parameters)
---------------------------------------------------------
A mixed profile ``sigma`` with supports ``S_1, ..., S_N`` is a Nash
equilibrium exactly when (Nash 1951; for the enumeration see McKelvey &
McLennan, "Computation of equilibria in finite games", Handbook of
Computational Economics I, 1996, sec. 6, and Nisan et al., *Algorithmic Game
Theory*, 2007, ch. 2-3):

1. every player is indifferent among the strategies of its support:
   ``U_i(k, sigma_-i) = U_i(k0, sigma_-i)`` for ``k`` in ``S_i`` (the
   *indifference equations*, multilinear in the other players'
   probabilities, linear for two players);
2. every probability inside a support is positive: ``sigma_i(k) > 0``;
3. no strategy outside the support does better:
   ``U_i(k0, sigma_-i) - U_i(j, sigma_-i) >= 0`` for ``j`` not in ``S_i``.

Here the payoffs are expressions of the *free* parameters (sympy symbols;
every other parameter is fixed at an exact value). For each support profile
the indifference equations are solved once, in closed form, over the field of
rational functions of the free parameters: a lexicographic Groebner basis
(Buchberger; Cox, Little & O'Shea, *Ideals, Varieties, and Algorithms*, ch. 2
and 3) triangularises the system, the last polynomial is solved exactly
(degree 1: a rational function; degree 2: the quadratic formula, giving two
families, one per root, with the condition ``discriminant > 0``), and the
other unknowns follow by back-substitution. Quadratic roots are kept
as ``P + Q*W`` with ``W`` a symbol for ``sqrt(radicand)`` (reduced with
``W**2 = radicand``), so every expression stays a pair of rational functions.
The result is an
:class:`EquilibriumFamily`: support, probabilities, expected payoffs and
existence conditions (conditions 2 and 3 above), all sympy expressions of the
free parameters. Pure profiles are families without unknowns.

What algebra cannot answer is said so (``FamilySet.reason``): payoffs that
are piecewise in the free parameters (``step``, ``if``, ``min``...),
payoff ties that hold for every parameter value (a structurally degenerate
game: continua of equilibria everywhere), supports whose solution set is a
continuum, roots of degree 3 or more, or a support whose algebra exceeded its
time limit. Callers then use the general solver instead.

Degenerate games are where an equilibrium set can change without any
family's condition flipping (e.g. a continuum of equilibria appears at one
parameter value only). ``FamilySet.degenerate`` lists groups of expressions
that all vanish exactly there: pure payoff ties, and the consistency
conditions of supports that are solvable only on a lower-dimensional set.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import EvaluationError, InputError
from .budget import budget_phase, run_with_budget
from .formcache import content_key
from .labels import family_label, support_key

#: Seconds of sympy work allowed per support before it is sent to the numeric fallback.
SUPPORT_TIME_LIMIT = 20.0
#: Seconds allowed for the (optional) Groebner basis that locates where an inconsistent support becomes solvable.
CONSISTENCY_TIME_LIMIT = 5.0
#: Enumerating supports is exponential; beyond this many the closed forms are not attempted.
MAX_SUPPORTS = 4096

Support = tuple[tuple[int, ...], ...]


# --------------------------------------------------------------------- data
@dataclass(frozen=True)
class Condition:
    """One existence condition of a family: ``expr > 0`` (``strict``) or ``expr >= 0``.

    ``kind`` is ``"probability"`` (``expr`` is the probability of ``strategy``
    of ``player``, which must be positive), ``"best_response"`` (``expr`` is
    the player's payoff from its support minus its payoff from ``strategy``,
    which must not be positive), or ``"real"`` (``expr`` is the discriminant
    of the quadratic the family solves: its two roots must be real and
    distinct).
    """

    expr: Any
    strict: bool
    kind: str
    player: int | None = None
    strategy: int | None = None
    parts: tuple[Any, Any] | None = None

    def describe(self, players: Sequence[str], strategies: Sequence[Sequence[str]]) -> str:
        if self.kind == "probability":
            return f"{players[self.player]} plays {strategies[self.player][self.strategy]} with positive probability"
        if self.kind == "best_response":
            return f"{players[self.player]} does not gain by switching to {strategies[self.player][self.strategy]}"
        return "the indifference equations have two distinct real solutions"


@dataclass(frozen=True)
class EquilibriumFamily:
    """The equilibria with one support, as closed-form functions of the free parameters.

    ``probabilities[i][k]`` is player ``i``'s probability of strategy ``k``
    (0 outside the support), ``payoffs[i]`` its expected payoff,
    ``observer_payoffs`` those of the scenario's observers. The family holds
    exactly where every condition holds. ``root`` numbers the solutions when
    one support has several (a quadratic's two roots). ``singular`` lists
    denominators: where one is zero the closed form is undefined.
    """

    support: Support
    label: str
    root: int
    probabilities: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    observer_payoffs: tuple[Any, ...]
    conditions: tuple[Condition, ...]
    singular: tuple[Any, ...] = ()
    radicand: Any = None
    numeric_best_responses: bool = False

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def explicit(self, expr):
        """``expr`` with the radical symbol ``W`` replaced by ``sqrt(radicand)``."""
        import sympy as sp

        if self.radicand is None:
            return expr
        return sp.sympify(expr).subs(radical_symbol(), sp.sqrt(self.radicand))

    @property
    def key(self) -> tuple:
        return (support_key(self.support), self.root)


@dataclass(frozen=True, eq=False)
class FamilySet:
    """Every equilibrium family of a scenario for one choice of free parameters.

    ``symbols[name]`` is the sympy symbol of each free parameter, ``fixed``
    the exact values of the others. ``reason`` is None when the families
    describe the equilibrium set completely wherever no condition is zero and
    the game is not degenerate; otherwise it says why not (and callers use the
    general solver). ``degenerate`` holds groups of expressions: where all of
    a group vanish, the game is degenerate.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    free: tuple[str, ...]
    symbols: Mapping[str, Any]
    fixed: Mapping[str, Any]
    payoffs: Any
    families: tuple[EquilibriumFamily, ...]
    degenerate: tuple[tuple[Any, ...], ...]
    reason: str | None
    unresolved: tuple[tuple[Support, str], ...] = ()
    elapsed: float = 0.0

    @property
    def supported(self) -> bool:
        return self.reason is None

    def family(self, label: str, root: int = 0) -> EquilibriumFamily:
        for fam in self.families:
            if fam.label == label and fam.root == root:
                return fam
        raise KeyError(label)


# --------------------------------------------------------------- payoffs
def _rational(sp, value):
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sp.Integer(value)
    return sp.Float(value)


def symbol_table(scenario, free: Sequence[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """Sympy values of every parameter and derived parameter: symbols for ``free``, exact numbers otherwise."""
    import sympy as sp

    table: dict[str, Any] = {}
    for name in scenario.parameters:
        table[name] = sp.Symbol(name, real=True) if name in free else _rational(sp, values[name])
    for name, derived in scenario.derived.items():
        try:
            table[name] = derived.expression.to_sympy(table)
        except EvaluationError as exc:
            raise exc.located(file=scenario.file, path=f"$.derived.{name}.expression") from None
    return table


def symbolic_payoffs(scenario, table: Mapping[str, Any]):
    """The scenario's payoff array (players' and observers' rows) as sympy expressions.

    A payoff with no real symbolic form at these fixed values (``max(r, log(s - 1))``
    with s = 0) raises :class:`EvaluationError` naming the payoff's place.
    """
    import numpy as np

    out = np.empty(scenario.payoffs.shape, dtype=object)
    for idx in np.ndindex(*scenario.payoffs.shape):
        try:
            out[idx] = scenario.payoffs[idx].to_sympy(table)
        except EvaluationError as exc:
            raise exc.located(file=scenario.file, path=str(scenario.payoff_paths[idx])) from None
    return out


def _is_piecewise(sp, expr, symbols) -> bool:
    bad = (sp.Piecewise, sp.Min, sp.Max, sp.Abs, sp.Heaviside)
    return any(atom.free_symbols & symbols for atom in expr.atoms(*bad))


# ------------------------------------------------------------- enumeration
def support_count(shape: Sequence[int]) -> int:
    """How many support profiles a game of ``shape`` has: the product of ``2**n - 1``."""
    return math.prod(2**n - 1 for n in shape)


def _supports(shape: Sequence[int]) -> list[Support]:
    per_player = [[tuple(c) for r in range(1, n + 1) for c in itertools.combinations(range(n), r)] for n in shape]
    out = [tuple(s) for s in itertools.product(*per_player)]
    out.sort(key=support_key)
    return out


def _strategy_payoff(payoffs, player: int, strategy: int, sigma: Sequence[Sequence[Any]], support: Support, zero=0):
    """Player ``player``'s expected payoff from ``strategy`` when the others mix by ``sigma`` over ``support``."""
    total = zero
    others = [j for j in range(len(support)) if j != player]
    for combo in itertools.product(*(support[j] for j in others)):
        index = [0] * len(support)
        weight = None
        for j, a in zip(others, combo):
            index[j] = a
            weight = sigma[j][a] if weight is None else weight * sigma[j][a]
        index[player] = strategy
        cell = payoffs[(player, *index)]
        total = total + (cell if weight is None else weight * cell)
    return total


def _observer_payoff(payoffs, row: int, sigma, support: Support, zero=0):
    total = zero
    for combo in itertools.product(*support):
        weight = None
        for j, a in enumerate(combo):
            weight = sigma[j][a] if weight is None else weight * sigma[j][a]
        total = total + weight * payoffs[(row, *combo)]
    return total


class _Degenerate(Exception):
    """The support's equations are solvable only on a lower-dimensional set of parameters."""

    def __init__(self, group: tuple = ()):
        self.group = group


class _Unresolved(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def radical_symbol():
    """The symbol ``W`` that stands for the square root of a family's radicand (``W**2 == radicand``)."""
    import sympy as sp

    return sp.Symbol("_W", positive=True)


class QE:
    """An element ``a + b*W`` of a quadratic extension K(W), ``W**2 = r``, K = rational functions of the free parameters.

    Exact arithmetic on the closed forms of one family without building large
    sympy expressions: products use ``W**2 = r`` and quotients multiply by the
    conjugate, so every value stays a pair of reduced fractions.
    """

    __slots__ = ("a", "b", "dom", "r")

    def __init__(self, a, b, r, dom):
        self.a, self.b, self.r, self.dom = a, b, r, dom

    def _lift(self, other) -> QE:
        if isinstance(other, QE):
            return other
        return QE(self.dom.convert(other), self.dom.zero, self.r, self.dom)

    def __add__(self, other):
        o = self._lift(other)
        return QE(self.a + o.a, self.b + o.b, self.r, self.dom)

    __radd__ = __add__

    def __neg__(self):
        return QE(-self.a, -self.b, self.r, self.dom)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) - self

    def __mul__(self, other):
        o = self._lift(other)
        if not self.b and not o.b:
            return QE(self.a * o.a, self.dom.zero, self.r, self.dom)
        return QE(self.a * o.a + self.b * o.b * self.r, self.a * o.b + self.b * o.a, self.r, self.dom)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = self._lift(other)
        if not o.b:
            return QE(self.a / o.a, self.b / o.a, self.r, self.dom)
        norm = o.a * o.a - o.b * o.b * self.r
        conj = QE(o.a / norm, -o.b / norm, self.r, self.dom)
        return self * conj

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def is_zero(self) -> bool:
        return not self.a and not self.b

    def expr(self):
        """The sympy expression ``a + b*W``."""
        a = self.dom.to_sympy(self.a)
        if not self.b:
            return a
        return a + self.dom.to_sympy(self.b) * radical_symbol()

    def parts(self):
        return self.dom.to_sympy(self.a), self.dom.to_sympy(self.b)


def _dom_numerator(sp, dom, value):
    expr = dom.to_sympy(value)
    return sp.expand(sp.numer(sp.together(expr)))


def _factored(sp, dom, value):
    """``(coefficient, [(factor, power), ...])`` of a polynomial domain element (sympy expressions), or None."""
    try:
        return sp.factor_list(dom.to_sympy(value))
    except Exception:  # pragma: no cover
        return None


def _root_of_factored(sp, dom, factored, denom, value):
    """sqrt(``value``) in the domain, from the factorisation of ``numer*denom`` (``value = numer/denom``): that
    product is a square exactly when ``value`` is one (``denom**2`` is); None when it is not."""
    if factored is None:
        return None
    coeff, factors = factored
    head = sp.sqrt(sp.Rational(coeff))
    if coeff < 0 or not head.is_Rational or any(power % 2 for _, power in factors):
        return None
    try:
        root = dom.from_sympy(head * sp.Mul(*(factor ** (power // 2) for factor, power in factors)))
    except Exception:  # pragma: no cover
        return None
    root = root / dom.convert(denom)
    return root if root * root == value else None


def _solve_support(sp, dom, cells, support: Support, shape, theta: tuple, consistency: bool):
    """Closed-form solutions of one support's indifference equations.

    Returns ``(sigma_template, branches)``; each branch is ``(values, radicand,
    singular)`` with ``values[k]`` the k-th unknown as a :class:`QE`. The
    equations are triangularised by a lexicographic Groebner basis and solved
    from the last unknown back (:func:`_extend_branch`), one branch per root.
    """
    from sympy.polys.groebnertools import groebner
    from sympy.polys.orderings import lex
    from sympy.polys.rings import ring

    names, owners = _unknowns(support)
    if not names:
        return owners, [([], None, ())]
    R, *xs = ring(",".join(names), dom, lex)
    if len(names) == 1 and not isinstance(xs, list):  # pragma: no cover - sympy returns a list anyway
        xs = [xs]
    sigma = _ring_profile(R, xs, support, shape)
    equations = _indifference_equations(sp, dom, _RingCells(R, cells), support, sigma)
    basis = groebner(equations, R)
    if len(basis) == 1 and basis[0].is_ground:
        group = _consistency(sp, dom, equations, names, theta) if consistency else ()
        raise _Degenerate(group)
    nvars = len(names)
    for j in range(nvars):
        if not any(sum(g.LM) == g.LM[j] and g.LM[j] > 0 for g in basis):
            raise _Unresolved("the indifference equations have a continuum of solutions for every parameter value")
    branches: list[tuple[dict, Any, tuple]] = [({}, None, ())]
    for j in reversed(range(nvars)):
        later = set(range(j + 1, nvars))
        poly = _polynomial_for(basis, xs, j, later)
        branches = [new for branch in branches for new in _extend_branch(sp, dom, poly, j, later, branch)]
    return owners, branches


def _unknowns(support: Support) -> tuple[list[str], list[tuple[int, int]]]:
    """The unknown probabilities of a support (every strategy of a mixing player but its first): names and (player, strategy)."""
    names: list[str] = []
    owners: list[tuple[int, int]] = []
    for i, s in enumerate(support):
        for k in s[1:]:
            names.append(f"p{i}_{k}")
            owners.append((i, k))
    return names, owners


def _ring_profile(R, xs, support: Support, shape) -> list[list[Any]]:
    """Each player's mixed strategy over ``support`` as ring elements: the unknowns, and 1 minus their sum for the first."""
    sigma: list[list[Any]] = []
    pos = 0
    for s, n in zip(support, shape):
        vec = [R.zero] * n
        if len(s) == 1:
            vec[s[0]] = R.one
        else:
            own = xs[pos : pos + len(s) - 1]
            pos += len(s) - 1
            vec[s[0]] = R.one - sum(own, R.zero)
            for k, x in zip(s[1:], own):
                vec[k] = x
        sigma.append(vec)
    return sigma


class _RingCells:
    """The payoff cells as constants of a polynomial ring, converted when first used."""

    def __init__(self, ring, cells):
        self.ring, self.cells, self.converted = ring, cells, {}

    def __getitem__(self, index):
        c = self.converted.get(index)
        if c is None:
            c = self.converted[index] = self.ring.ground_new(self.cells[index])
        return c


def _indifference_equations(sp, dom, cells: _RingCells, support: Support, sigma) -> list:
    """``U_i(k) - U_i(k0) = 0`` for every mixing player ``i`` and strategy ``k`` of its support but the first.

    An equation without unknowns is a structural tie (identically zero) or
    makes the support degenerate (it holds only where its constant vanishes).
    """
    zero = cells.ring.zero
    equations = []
    for i, s in enumerate(support):
        if len(s) < 2:
            continue
        base = _strategy_payoff(cells, i, s[0], sigma, support, zero)
        for k in s[1:]:
            eq = _strategy_payoff(cells, i, k, sigma, support, zero) - base
            if eq.is_ground:
                if not eq:
                    raise _Unresolved("a player is indifferent for every parameter value (structural tie)")
                raise _Degenerate((_dom_numerator(sp, dom, eq.LC),))
            equations.append(eq)
    return equations


def _polynomial_for(basis, xs, j: int, later: set[int]):
    """The simplest basis polynomial in unknown ``j`` and the ``later`` (already solved) unknowns only."""
    nvars = len(xs)
    own = [
        g
        for g in basis
        if g.degree(xs[j]) > 0 and all(m[v] == 0 for m in g.monoms() for v in range(nvars) if v != j and v not in later)
    ]
    if not own:
        raise _Unresolved("the indifference equations leave an unknown free")
    own.sort(key=lambda g: (g.degree(xs[j]), len(g.terms())))
    return own[0]


def _extend_branch(sp, dom, poly, j: int, later: set[int], branch: tuple) -> list[tuple[dict, Any, tuple]]:
    """Solve ``poly`` for unknown ``j`` in one branch (the later unknowns known): no, one or two new branches."""
    values, radicand, singular = branch
    r = radicand if radicand is not None else dom.zero
    coeffs = _coefficients(dom, poly, j, later, values, r)
    degree = max((d for d, c in coeffs.items() if not c.is_zero()), default=0)
    if degree == 0:
        return []  # inconsistent branch
    lead = coeffs[degree]
    none = QE(dom.zero, dom.zero, r, dom)
    c0 = coeffs.get(0, none)
    if degree == 1:
        vals = dict(values)
        vals[j] = -c0 / lead
        return [(vals, radicand, singular + _singular_of(sp, dom, lead))]
    if degree > 2:
        raise _Unresolved(f"the equations reduce to a polynomial of degree {degree} (no closed form used)")
    c1 = coeffs.get(1, none)
    if lead.b or c1.b or c0.b:
        raise _Unresolved("nested radicals (the equations need more than one square root)")
    return _quadratic_branches(sp, dom, j, branch, lead.a, c1.a, c0.a, singular + _singular_of(sp, dom, lead))


def _coefficients(dom, poly, j: int, later: set[int], values: Mapping[int, QE], r) -> dict[int, QE]:
    """``poly`` as a polynomial in unknown ``j`` alone, the later unknowns replaced by their values: degree -> coefficient."""
    coeffs: dict[int, QE] = {}
    for monom, coeff in poly.terms():
        term = QE(coeff, dom.zero, r, dom)
        for v in later:
            if monom[v]:
                for _ in range(monom[v]):
                    term = term * values[v]
        coeffs[monom[j]] = coeffs.get(monom[j], QE(dom.zero, dom.zero, r, dom)) + term
    return coeffs


def _quadratic_branches(sp, dom, j: int, branch: tuple, a2, a1, a0, singular: tuple) -> list[tuple[dict, Any, tuple]]:
    """The roots of ``a2 x**2 + a1 x + a0`` for unknown ``j``: rational when the discriminant is a square
    (one root if it is zero), otherwise ``P +- Q*W`` with a new radicand (a branch may carry only one)."""
    values, radicand, _ = branch
    r = radicand if radicand is not None else dom.zero
    disc = a1 * a1 - 4 * a2 * a0
    factored = None
    if disc:
        # one factorisation of numer*denom answers both questions: is disc a square, and its square part
        factored = _factored(sp, dom, dom.convert(dom.numer(disc) * dom.denom(disc)))
        root = _root_of_factored(sp, dom, factored, dom.denom(disc), disc)
    else:
        root = dom.zero
    out = []
    if root is not None:
        for sgn in (1,) if not disc else (-1, 1):
            vals = dict(values)
            vals[j] = QE((-a1 + sgn * root) / (2 * a2), dom.zero, r, dom)
            out.append((vals, radicand, singular))
        return out
    if radicand is not None:
        raise _Unresolved("nested radicals (the equations need more than one square root)")
    numer, denom = dom.numer(disc), dom.denom(disc)
    den_el = dom.convert(denom)
    # sqrt(num/den) = sqrt(num*den)/den up to sign (both signs are taken); square factors
    # s**2 of num*den come out of the root, so the radicand vanishes only where roots merge
    square, rest = _split_square(sp, dom, dom.convert(numer * denom), factored)
    new_r = rest
    for sgn in (-1, 1):
        vals = {k: QE(v.a, v.b, new_r, dom) for k, v in values.items()}
        vals[j] = QE(-a1 / (2 * a2), dom.convert(sgn) * square / (2 * a2 * den_el), new_r, dom)
        out.append((vals, new_r, singular))
    return out


def _split_square(sp, dom, value, factored=None):
    """Write a polynomial ``value`` as ``square**2 * rest`` with ``rest`` square-free (both domain elements);
    ``factored`` is its factorisation when already known (:func:`_factored`)."""
    factored = _factored(sp, dom, value) if factored is None else factored
    if factored is None:  # pragma: no cover
        return dom.one, value
    coeff, factors = factored
    square = sp.Integer(1)
    rest = sp.Integer(coeff)
    for factor, power in factors:
        square *= factor ** (power // 2)
        rest *= factor ** (power % 2)
    try:
        return dom.from_sympy(square), dom.from_sympy(sp.expand(rest))
    except Exception:  # pragma: no cover
        return dom.one, value


def _singular_of(sp, dom, value: QE) -> tuple:
    """The numerator of a (rational) leading coefficient: where it vanishes, the solution formula breaks."""
    if value.b:
        return ()
    num = _dom_numerator(sp, dom, value.a)
    return (num,) if num.free_symbols else ()


def _consistency(sp, dom, equations, names, theta) -> tuple:
    """Polynomials in the free parameters that vanish where the (generically inconsistent) system is solvable."""
    if not theta:
        return ()
    unknowns = sp.symbols(",".join(names))
    unknowns = unknowns if isinstance(unknowns, tuple) else (unknowns,)
    exprs = []
    for eq in equations:
        total = 0
        for monom, coeff in eq.terms():
            term = dom.to_sympy(coeff)
            for x, e in zip(unknowns, monom):
                term = term * x**e
            total += term
        exprs.append(sp.numer(sp.together(total)))
    # If this basis takes too long, the support is reported degenerate without the group (the
    # stand-in result below, in the form _analyse's worker sends); the group is only a refinement.
    budget_phase(CONSISTENCY_TIME_LIMIT, ("degenerate", ()))
    try:
        basis = sp.groebner(exprs, *unknowns, *theta, order="lex")
    except Exception:
        return ()
    return tuple(p for p in basis.exprs if p.free_symbols.isdisjoint(unknowns) and p.free_symbols)


# ----------------------------------------------------------------- analysis
_CACHE: dict[tuple, tuple[Any, FamilySet]] = {}
_CACHE_ORDER: list[tuple] = []
#: Supports that ran out of time: key -> (scenario, budget). A later analysis of the same support
#: with the same parameters and no larger budget is not tried again (it would run out again,
#: and one report then says the same thing of the support everywhere).
_TIMEOUTS: dict[tuple, tuple[Any, float]] = {}


def _known_timeout(scenario, key: tuple, limit: float | None) -> bool:
    hit = _TIMEOUTS.get(key)
    return hit is not None and limit is not None and limit <= hit[1]


def _remember_timeout(scenario, key: tuple, limit: float | None) -> None:
    if limit is None:
        return
    old = _TIMEOUTS.pop(key, None)
    if old is not None:
        limit = max(limit, old[1])
    _TIMEOUTS[key] = (scenario, limit)
    while len(_TIMEOUTS) > 256:
        _TIMEOUTS.pop(next(iter(_TIMEOUTS)))


def analyse(
    scenario,
    free: Sequence[str],
    values: Mapping[str, Any],
    *,
    time_limit_per_support: float | None = SUPPORT_TIME_LIMIT,
    best_responses: str = "symbolic",
    supports: Sequence[Support] | None = None,
) -> FamilySet:
    """Every equilibrium family of ``scenario`` with the parameters ``free`` symbolic.

    ``values`` gives the exact values of the other parameters (e.g. from
    :meth:`~gametheory.scenario.Scenario.parameter_values`). Cached per
    (scenario, free parameters, fixed values): symbolic work is done once.

    ``best_responses="numeric"`` skips the symbolic best-response conditions
    and expected payoffs (``EquilibriumFamily.numeric_best_responses`` is
    then True): the vectorised engine computes them from the closed-form
    probabilities and the payoffs at each point, which is the same condition
    and much cheaper to prepare. ``supports`` restricts the work to those
    support profiles (the result then describes only them: ``reason`` says so).

    ``time_limit_per_support`` (seconds): supports whose algebra can be long
    run in a forked worker process that is killed when it takes longer
    (:mod:`.budget`); the support is then listed in ``FamilySet.unresolved``
    for the general solver. ``None``: no limit.
    """
    free = tuple(free)
    for name in free:
        if name not in scenario.parameters:
            raise InputError(f"unknown parameter {name!r}", file=scenario.file)
    fixed = {k: values[k] for k in scenario.parameters if k not in free}
    only = None if supports is None else tuple(tuple(tuple(s) for s in sup) for sup in supports)
    key = (
        content_key(scenario),
        free,
        tuple(sorted((k, str(v)) for k, v in fixed.items())),
        time_limit_per_support,
        best_responses,
        only,
    )
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[1]
    result = _analyse(scenario, free, fixed, time_limit_per_support, best_responses == "numeric", only)
    _CACHE[key] = (scenario, result)  # holding the scenario keeps its id from being reused
    _CACHE_ORDER.append(key)
    if len(_CACHE_ORDER) > 32:
        _CACHE.pop(_CACHE_ORDER.pop(0), None)
    return result


def _analyse(
    scenario, free: tuple[str, ...], fixed: Mapping[str, Any], limit: float | None, numeric: bool = False, only=None
) -> FamilySet:
    """The work behind :func:`analyse` (uncached): the families of every support, or why algebra cannot answer."""
    import sympy as sp

    start = time.perf_counter()
    try:
        table = symbol_table(scenario, free, fixed)
        payoffs = symbolic_payoffs(scenario, table)
    except EvaluationError as exc:  # no real closed form: the numeric path answers, as for piecewise payoffs
        return FamilySet(
            players=scenario.player_names,
            strategies=scenario.strategies,
            free=free,
            symbols={name: sp.Symbol(name, real=True) for name in free},
            fixed=dict(fixed),
            payoffs=None,
            families=(),
            degenerate=(),
            reason=str(exc),
            elapsed=time.perf_counter() - start,
        )
    symbols = {name: table[name] for name in free}
    theta = tuple(symbols[name] for name in free)
    strategies = scenario.strategies
    common = {
        "players": scenario.player_names,
        "strategies": strategies,
        "free": free,
        "symbols": symbols,
        "fixed": dict(fixed),
        "payoffs": payoffs,
    }

    def finished(reason: str | None, families=(), degenerate=(), unresolved=()) -> FamilySet:
        return FamilySet(
            **common,
            families=tuple(families),
            degenerate=tuple(degenerate),
            reason=reason,
            unresolved=tuple(unresolved),
            elapsed=time.perf_counter() - start,
        )

    theta_set = set(theta)
    if any(_is_piecewise(sp, e, theta_set) for e in payoffs.ravel()):
        return finished("the payoffs are piecewise (step, if, min, max or abs) in the free parameters")
    count = support_count(scenario.shape) if only is None else len(only)
    if count > MAX_SUPPORTS:  # counted before they are listed: a 3x16 tree has 458,745 (5 s to list)
        return finished(f"the game has {count} support profiles (more than {MAX_SUPPORTS})")
    supports = _supports(scenario.shape) if only is None else list(only)
    try:
        degenerate = _payoff_ties(sp, payoffs, scenario.player_names, strategies, scenario.shape, theta_set)
        dom = sp.QQ.frac_field(*theta) if theta else sp.QQ
        cells = _field_cells(sp, dom, payoffs)
    except _Unresolved as exc:
        return finished(exc.reason)
    work = _support_work(sp, dom, cells, payoffs, scenario.shape, theta, strategies, len(scenario.observers), numeric)
    memo = (content_key(scenario), free, tuple(sorted((k, str(v)) for k, v in fixed.items())), numeric)
    results = _support_results(scenario, supports, work, memo, limit)
    families, unresolved = _gather(supports, results, degenerate)
    reason = None if only is None else "only some supports were analysed"
    if unresolved:
        support, why = unresolved[0]
        reason = f"no closed form for {len(unresolved)} support(s), e.g. {family_label(strategies, support)}: {why}"
    return finished(reason, families, degenerate, unresolved)


def _payoff_ties(sp, payoffs, players: Sequence[str], strategies, shape, theta_set: set) -> list[tuple]:
    """Pure payoff ties: the game is degenerate where one vanishes (one group per distinct tie).

    A tie that vanishes for every value of the free parameters makes the game
    degenerate everywhere: :class:`_Unresolved` says so.
    """
    n = len(players)
    degenerate: list[tuple] = []
    seen: set = set()
    for i in range(n):
        for k, j in itertools.combinations(range(shape[i]), 2):
            for rest in itertools.product(*(range(shape[m]) for m in range(n) if m != i)):
                a = list(rest)
                a.insert(i, k)
                b = list(rest)
                b.insert(i, j)
                diff = sp.expand(payoffs[(i, *a)] - payoffs[(i, *b)])
                if diff == 0:
                    raise _Unresolved(
                        f"{players[i]} gets the same payoff from {strategies[i][k]} and {strategies[i][j]} "
                        f"against ({', '.join(strategies[m][x] for m, x in zip([m for m in range(n) if m != i], rest))}) "
                        "for every value of the free parameters (a degenerate game)"
                    )
                if diff.free_symbols & theta_set:
                    num = sp.expand(sp.numer(sp.together(diff)))
                    canon = sp.factor(num)
                    if canon not in seen and -canon not in seen:
                        seen.add(canon)
                        degenerate.append((num,))
    return degenerate


def _field_cells(sp, dom, payoffs):
    """The payoff array as elements of ``dom``, the field of rational functions of the free parameters."""
    import numpy as np

    cells = np.empty(payoffs.shape, dtype=object)
    for idx in np.ndindex(*payoffs.shape):
        try:
            cells[idx] = dom.from_sympy(
                sp.nsimplify(payoffs[idx], rational=True) if not payoffs[idx].free_symbols else payoffs[idx]
            )
        except Exception:
            raise _Unresolved("the payoffs are not rational functions of the free parameters") from None
    return cells


def _support_work(sp, dom, cells, payoffs, shape, theta: tuple, strategies, n_observers: int, numeric: bool):
    """The work on one support, as a function of the support that returns a tagged tuple:
    ``("families", [...])``, ``("degenerate", group)`` or ``("unresolved", reason)``."""
    consistency = len(theta) <= 3

    def work(support):
        """One support's result as a tagged tuple (in a worker process with a time budget, unless _short_work)."""
        try:
            return "families", _families_for(
                sp,
                dom,
                cells,
                payoffs,
                support,
                shape,
                theta,
                len(shape),
                strategies,
                n_observers,
                consistency,
                numeric,
            )
        except _Degenerate as exc:
            return "degenerate", tuple(exc.group)
        except _Unresolved as exc:
            return "unresolved", exc.reason

    return work


def _support_results(
    scenario, supports: Sequence[Support], work, memo: tuple, limit: float | None
) -> dict[Support, tuple]:
    """``work`` on every support: short ones here, the others in a worker process with ``limit`` seconds each.

    A support known to run out of time (:func:`_known_timeout`) is not tried again.
    """
    results: dict[Support, tuple] = {}
    todo = []
    for support in supports:
        if _short_work(support):
            results[support] = work(support)
        elif _known_timeout(scenario, (*memo, support), limit):
            results[support] = ("unresolved", f"the algebra took longer than {limit:g} s")
        else:
            todo.append(support)
    # Forked after the short supports, so the worker starts from this process's warm sympy caches.
    with run_with_budget(todo, work, limit) as run:
        for support, outcome in run:
            if outcome.timed_out:
                _remember_timeout(scenario, (*memo, support), limit)
                results[support] = ("unresolved", f"the algebra took longer than {limit:g} s")
            elif outcome.failure is not None:
                results[support] = ("unresolved", f"the algebra failed: {outcome.failure}")
            else:
                results[support] = outcome.value
    return results


def _gather(
    supports: Sequence[Support], results: Mapping[Support, tuple], degenerate: list[tuple]
) -> tuple[list[EquilibriumFamily], list[tuple[Support, str]]]:
    """The families (sorted) and the unresolved supports; degenerate groups are added to ``degenerate``."""
    families: list[EquilibriumFamily] = []
    unresolved: list[tuple[Support, str]] = []
    for support in supports:
        kind, value = results[support]
        if kind == "families":
            families.extend(value)
        elif kind == "degenerate":
            if value:
                degenerate.append(tuple(value))
        else:
            unresolved.append((support, value))
    families.sort(key=lambda f: f.key)
    return families, unresolved


def _short_work(support: Support) -> bool:
    """Whether a support's algebra is a fixed handful of field operations per payoff cell (no budget needed).

    That is so when at most one player mixes (its indifference equations do
    not involve any unknown: the support is degenerate or inconsistent at
    once) or when two players mix over two strategies each (each equation is
    linear in the other player's one unknown: ``q = a/b``). Such a support
    costs no more than preparing the payoff cells, which is done in-process
    anyway, so it is solved here; every other support (three or more players
    mixing: polynomial systems; larger supports: eliminations whose cost grows
    quickly with the number of free parameters) gets a worker process and a
    time budget.
    """
    mixing = [s for s in support if len(s) > 1]
    return len(mixing) <= 1 or (len(mixing) == 2 and all(len(s) == 2 for s in mixing))


def _families_for(
    sp, dom, cells, payoffs_expr, support, shape, theta, n, strategies, n_observers, consistency, numeric=False
) -> list[EquilibriumFamily]:
    _owners, branches = _solve_support(sp, dom, cells, support, shape, theta, consistency)
    label = family_label(strategies, support)
    out = []
    for root, (values, radicand, lead) in enumerate(branches):
        r = radicand if radicand is not None else dom.zero
        zero = QE(dom.zero, dom.zero, r, dom)
        one = QE(dom.one, dom.zero, r, dom)
        sigma: list[list[QE]] = []
        pos = 0
        for s, m in zip(support, shape):
            vec = [zero] * m
            if len(s) == 1:
                vec[s[0]] = one
            else:
                total = zero
                for k in s[1:]:
                    vec[k] = values[pos]
                    total = total + values[pos]
                    pos += 1
                vec[s[0]] = one - total
            sigma.append(vec)
        radicand_expr = None if radicand is None else sp.expand(dom.to_sympy(radicand))
        # (value, strict, kind, player, strategy): each becomes the condition value > 0 (or >= 0)
        checks: list[tuple[QE, bool, str, int | None, int | None]] = []
        for i, s in enumerate(support):
            if len(s) > 1:
                for k in s:
                    checks.append((sigma[i][k], True, "probability", i, k))
            if numeric:
                continue
            own = _strategy_payoff(cells, i, s[0], sigma, support, zero)
            for j in range(shape[i]):
                if j not in s:
                    checks.append(
                        (own - _strategy_payoff(cells, i, j, sigma, support, zero), False, "best_response", i, j)
                    )
        if radicand is not None:
            checks.append((QE(radicand, dom.zero, r, dom), True, "real", None, None))
        conditions: list[Condition] = []
        dead = False
        for value, strict, kind, player, strategy in checks:
            cond = Condition(value.expr(), strict, kind, player, strategy, value.parts())
            verdict = _constant_verdict(sp, cond, radicand_expr)
            if verdict is False:
                dead = True
            elif verdict is None:
                conditions.append(cond)
        if dead:
            continue
        singular = {sp.factor(d) for d in lead}
        for vec in sigma:
            for v in vec:
                for part in (v.a, v.b):
                    den = _dom_numerator(sp, dom, dom.denom(part)) if hasattr(dom, "denom") and part else None
                    if den is not None and den.free_symbols:
                        singular.add(sp.factor(den))
        if numeric:
            payoff, observers = (), ()
        else:
            payoff = tuple(_strategy_payoff(cells, i, support[i][0], sigma, support, zero).expr() for i in range(n))
            observers = tuple(_observer_payoff(cells, n + o, sigma, support, zero).expr() for o in range(n_observers))
        out.append(
            EquilibriumFamily(
                support=support,
                label=label,
                root=root if len(branches) > 1 else 0,
                probabilities=tuple(tuple(v.expr() for v in vec) for vec in sigma),
                payoffs=payoff,
                observer_payoffs=observers,
                conditions=tuple(conditions),
                singular=tuple(sorted(singular, key=str)),
                radicand=radicand_expr,
                numeric_best_responses=numeric,
            )
        )
    return out


def _constant_verdict(sp, cond: Condition, radicand) -> bool | None:
    """True if a constant condition always holds, False if it never does, None if it varies (or is a tie)."""
    if cond.expr.free_symbols:
        return None
    expr = cond.expr
    try:
        positive = bool(expr > 0)
        zero = bool(sp.simplify(expr) == 0)
    except TypeError:  # pragma: no cover
        return None
    if positive:
        return True
    if zero and not cond.strict:
        return None  # a tie for every parameter value: kept, so the point is seen as degenerate
    return False


# ------------------------------------------------------------------ display
def relation_text(expr, strict: bool) -> str:
    """A condition ``expr > 0`` (or ``>= 0``) written readably: ``m_us >= c_us``, ``x_r > g_r - f_r - w_r + a_r``."""
    import sympy as sp

    op = ">" if strict else ">="
    num, den = sp.fraction(sp.together(expr))
    if den.free_symbols:
        return f"{sp.sstr(sp.factor(expr))} {op} 0"
    scale = den  # a positive or negative constant
    num = sp.expand(num)
    if scale.is_negative:
        num = -num
    terms = sp.Add.make_args(num)
    left = [t for t in terms if not t.could_extract_minus_sign()]
    right = [-t for t in terms if t.could_extract_minus_sign()]
    if not left and not right:
        return f"0 {op} 0"
    lhs = sp.sstr(sp.Add(*left)) if left else "0"
    rhs = sp.sstr(sp.Add(*right)) if right else "0"
    return f"{lhs} {op} {rhs}"
