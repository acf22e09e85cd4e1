"""Conditions in closed form, and comparative statics of mixed equilibria.

* :func:`conditions`: every equilibrium family with *all* parameters symbolic:
  for a pure profile, the inequalities under which it is an equilibrium
  (written readably, ``m_us >= c_us``); for a mixed support, the probabilities
  and expected payoffs in closed form with their existence conditions; and
  whether each holds at the chosen values.
* :func:`comparative_statics`: for each mixed equilibrium at the chosen
  values, the derivative of every probability and expected payoff with
  respect to every parameter: the formula (where the closed form is a
  manageable rational function) and its sign at the point.

The sign comes from the **implicit function theorem**, which needs no closed
form: the equilibrium ``x(theta)`` solves the indifference equations
``F(x, theta) = 0``, so ``dx/dtheta = -(dF/dx)^-1 dF/dtheta`` at the point
(Mas-Colell, Whinston & Green, *Microeconomic Theory*, 1995, M.E; for games:
the "comparative statics of mixed equilibria" of inspection games, e.g.
Tsebelis 1989). Evaluated exactly when the equilibrium is rational, in 50-digit
arithmetic otherwise. The expected payoff's derivative adds the direct effect:
``dU/dtheta = dU/dtheta|_x + dU/dx . dx/dtheta``.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .labels import family_label, support_key
from .symbolic import FamilySet, _strategy_payoff, analyse, relation_text, symbol_table, symbolic_payoffs

#: Time per support when solving with every parameter symbolic.
CONDITIONS_TIME_LIMIT = 3.0
#: Time per support for the closed forms behind derivative formulas (signs never need them).
STATICS_TIME_LIMIT = 2.0
#: Largest derivative formula shown (sympy operation count).
MAX_FORMULA_OPS = 80


@dataclass(frozen=True)
class FamilyReport:
    """One family with every parameter symbolic, and whether it holds at the given values."""

    label: str
    root: int
    pure: bool
    probabilities: Mapping[str, Mapping[str, str]]
    payoffs: Mapping[str, str]
    conditions: tuple[str, ...]
    holds: bool | None


@dataclass(frozen=True)
class Derivative:
    """d(quantity)/d(parameter) for one mixed equilibrium at the given values."""

    equilibrium: str
    quantity: str  # "probability" or "payoff"
    player: str
    strategy: str | None
    parameter: str
    formula: str | None
    value: float
    exact: str | None
    sign: str  # "+", "-" or "0"


def conditions(
    scenario, *, base: Mapping[str, object] | None = None, preset: str | None = None
) -> tuple[tuple[FamilyReport, ...], FamilySet]:
    """Every equilibrium family in closed form (all parameters symbolic), and whether it holds at the values."""
    from .sweep import base_values_quiet

    values = base_values_quiet(scenario, base, preset)
    used = tuple(sorted(scenario.used_parameters))
    fs = analyse(scenario, used, values, time_limit_per_support=CONDITIONS_TIME_LIMIT)
    positive = {
        name
        for name in used
        if scenario.parameters.get(name) is not None and _positive_range(scenario.parameters[name])
    }
    return tuple(_report(fs, fam, values, positive) for fam in fs.families), fs


def _positive_range(parameter) -> bool:
    """Whether every value the parameter's declared range allows is positive."""
    return parameter.range is not None and parameter.low > 0


def simplified_conditions(
    exprs: Sequence[Any], strict: Sequence[bool], positive: Collection[str]
) -> tuple[str, ...] | None:
    """Conditions ``expr > 0`` (or ``>= 0``) as a person writes them, or None when sympy cannot simplify them.

    Parameters in ``positive`` (declared ranges above 0) are taken as positive: factors of theirs drop
    out, and a condition that then always holds goes. Conditions on a single parameter are reduced to
    its intervals with sympy's inequality reduction (``(s - 4)/(s + 1) > 0 and 5/(s + 1) > 0`` becomes
    ``s > 4``); conditions on several are kept, one relation each, without repeats.
    """
    import sympy as sp

    relations = []
    for expr, is_strict in zip(exprs, strict):
        swap = {x: sp.Symbol(x.name, positive=True) for x in expr.free_symbols if x.name in positive}
        reduced = _drop_positive_factors(sp, sp.factor(expr.subs(swap)))
        if reduced is None:
            continue  # always holds for positive parameters
        if reduced.is_number:  # a negative number, or zero under a strict condition
            if reduced < 0 or is_strict:
                return ("never (with the parameters in their declared ranges)",)
            continue
        relations.append((reduced.subs({v: k for k, v in swap.items()}), is_strict))
    free = set().union(*(e.free_symbols for e, _ in relations)) if relations else set()
    if len(free) == 1:
        [x] = free
        try:
            system = [(e > 0) if is_strict else (e >= 0) for e, is_strict in relations]
            region = sp.reduce_inequalities(system, x).as_set()
        except (NotImplementedError, TypeError, ValueError):
            return None
        return (_interval_text(sp, region, x.name),)
    texts = tuple(dict.fromkeys(relation_text(e, is_strict) for e, is_strict in relations))
    return texts or ("always",)


def _drop_positive_factors(sp, expr):
    """``expr`` without the factors that are positive (positive constants, positive parameters and their
    powers); None when what remains is positive itself (the condition always holds)."""
    num, den = sp.fraction(expr)
    kept = sp.Integer(1)
    for part, sign in ((num, 1), (den, -1)):
        coeff, factors = sp.factor_list(part)
        kept *= sp.sign(coeff)
        for factor, power in factors:
            if factor.is_positive:
                continue
            kept *= factor ** (power * sign)
    if kept.is_positive:
        return None
    return kept


def _interval_text(sp, region, name: str) -> str:
    """``s > 4``, ``2 <= s < 5``, ``s < 1 or s > 3`` from a sympy set of values of one parameter."""
    if region == sp.S.Reals:
        return "always"
    if region is sp.S.EmptySet:
        return "never"
    pieces = region.args if isinstance(region, sp.Union) else (region,)
    out = []
    for piece in pieces:
        if isinstance(piece, sp.FiniteSet):
            out.append(" or ".join(f"{name} = {sp.sstr(v)}" for v in piece))
            continue
        low, high = piece.start, piece.end
        if high == sp.oo:  # a half-line up: "s > 4"
            out.append(f"{name} {'>' if piece.left_open else '>='} {sp.sstr(low)}")
            continue
        lower = "" if low == -sp.oo else f"{sp.sstr(low)} {'<' if piece.left_open else '<='} "
        out.append(f"{lower}{name} {'<' if piece.right_open else '<='} {sp.sstr(high)}")
    return " or ".join(out)


def _report(fs: FamilySet, fam, values, positive: Collection[str] = ()) -> FamilyReport:
    import sympy as sp

    subs = {fs.symbols[k]: _sym(v) for k, v in values.items() if k in fs.symbols}
    holds: bool | None = True
    for cond in fam.conditions:
        value = fam.explicit(cond.expr).subs(subs)
        try:
            ok = bool(value > 0) if cond.strict else bool(value >= 0)
        except TypeError:
            holds = None
            break
        if not ok:
            holds = False
            break
    probs = {}
    for i, sup in enumerate(fam.support):
        if len(sup) > 1:
            probs[fs.players[i]] = {fs.strategies[i][k]: _short(fam.explicit(fam.probabilities[i][k])) for k in sup}
    payoffs = {fs.players[i]: _short(fam.explicit(u)) for i, u in enumerate(fam.payoffs)}
    texts = tuple(
        relation_text(fam.explicit(c.expr), c.strict)
        if c.parts is None or c.parts[1] == 0
        else f"{_short(fam.explicit(c.expr))} {'>' if c.strict else '>='} 0"
        for c in fam.conditions
    )
    if all(c.parts is None or c.parts[1] == 0 for c in fam.conditions):
        with contextlib.suppress(Exception):  # sympy cannot simplify every system: show it as derived
            texts = (
                simplified_conditions(
                    [fam.explicit(c.expr) for c in fam.conditions], [c.strict for c in fam.conditions], positive
                )
                or texts
            )
    del sp
    return FamilyReport(fam.label, fam.root, fam.pure, probs, payoffs, texts, holds)


def _sym(value):
    import sympy as sp

    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Float(value)


def _short(expr, limit: int = 400) -> str:
    import sympy as sp

    radical = any(p.exp.is_Rational and not p.exp.is_Integer for p in expr.atoms(sp.Pow))
    if not radical:
        with contextlib.suppress(Exception):  # sympy cannot factor every expression: show it unfactored
            expr = sp.factor(expr)
    text = sp.sstr(expr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------- statics
def comparative_statics(
    scenario,
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    parameters: tuple[str, ...] | None = None,
    solution=None,
) -> tuple[Derivative, ...]:
    """Derivatives of each mixed equilibrium's probabilities and payoffs at the given values."""

    from ..solvers import solve
    from .sweep import base_values_quiet

    values = base_values_quiet(scenario, base, preset)
    if solution is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = solve(scenario.game_at(scenario.with_derived(values)))
    used = tuple(sorted(scenario.used_parameters))
    wanted = tuple(p for p in (parameters or used) if p in used)
    supports = sorted({eq.support for eq in solution.equilibria if not eq.pure}, key=support_key)
    if not supports:  # only mixed equilibria have derivatives
        return ()
    table = symbol_table(scenario, used, values)  # a payoff with no real symbolic form: a located EvaluationError
    payoffs = symbolic_payoffs(scenario, table)
    point = {table[k]: _sym(values[k]) for k in used}
    closed = _closed_forms(scenario, used, values, supports) if supports else None
    out: list[Derivative] = []
    for eq in solution.equilibria:
        if eq.pure:
            continue
        out.extend(_derivatives(scenario, payoffs, eq, table, point, wanted, closed))
    return tuple(out)


def _closed_forms(scenario, used, values, supports) -> FamilySet | None:
    try:
        return analyse(scenario, used, values, time_limit_per_support=STATICS_TIME_LIMIT, supports=supports)
    except Exception:  # pragma: no cover
        return None


def _derivatives(scenario, payoffs, eq, table, point, wanted, closed: FamilySet | None) -> list[Derivative]:
    """The derivatives of one mixed equilibrium ``eq`` with respect to each ``wanted`` parameter, by the
    implicit function theorem at ``point`` (none when the Jacobian of the indifference equations is singular)."""
    import sympy as sp

    support = eq.support
    players = scenario.player_names
    strategies = scenario.strategies
    label = family_label(strategies, support)
    unknowns, sigma, x0 = _unknown_profile(sp, eq, strategies)
    at = {**point, **x0}
    equations = [
        _strategy_payoff(payoffs, i, k, sigma, support, sp.Integer(0))
        - _strategy_payoff(payoffs, i, sup[0], sigma, support, sp.Integer(0))
        for i, sup in enumerate(support)
        for k in sup[1:]
    ]
    exact = eq.exact
    inverse = _jacobian_inverse(sp, equations, unknowns, at, exact)
    if inverse is None:
        return []
    family = _rational_family(closed, support)
    own_payoff = [
        _strategy_payoff(payoffs, i, support[i][0], sigma, support, sp.Integer(0)) for i in range(len(support))
    ]
    out = []
    for name in wanted:
        theta = table[name]
        dF = sp.Matrix([sp.diff(e, theta) for e in equations]).subs(at)
        dx = -(inverse * dF)
        if not exact:
            dx = dx.evalf(50)
        dxs = dict(zip(unknowns, dx))
        for i, sup in enumerate(support):
            if len(sup) == 1:
                continue
            for k in sup:
                if k == sup[0]:
                    value = -sum((dxs[x] for x in unknowns if str(x).startswith(f"_q{i}_")), sp.Integer(0))
                else:
                    value = dxs[sp.Symbol(f"_q{i}_{k}")]
                formula = None
                if family is not None:
                    formula = _formula(sp.diff(family.probabilities[i][k], closed.symbols[name]))
                out.append(_make(label, "probability", players[i], strategies[i][k], name, formula, value, exact))
        for i, u in enumerate(own_payoff):
            # the direct effect of the parameter plus its effect through the probabilities
            direct = sp.diff(u, theta).subs(at)
            indirect = sum((sp.diff(u, x).subs(at) * dxs[x] for x in unknowns), sp.Integer(0))
            formula = None
            if family is not None and family.payoffs:
                formula = _formula(sp.diff(family.payoffs[i], closed.symbols[name]))
            out.append(_make(label, "payoff", players[i], None, name, formula, direct + indirect, exact))
    return out


def _unknown_profile(sp, eq, strategies) -> tuple[list[Any], list[list[Any]], dict[Any, Any]]:
    """The equilibrium's profile with unknowns ``_q{i}_{k}`` for every support probability but the first of
    each mixing player: the unknowns, the profile (sympy expressions) and the unknowns' values at ``eq``."""
    unknowns: list[Any] = []
    sigma: list[list[Any]] = []
    x0: dict[Any, Any] = {}
    for i, sup in enumerate(eq.support):
        vec = [sp.Integer(0)] * len(strategies[i])
        if len(sup) == 1:
            vec[sup[0]] = sp.Integer(1)
        else:
            xs = [sp.Symbol(f"_q{i}_{k}") for k in sup[1:]]
            unknowns.extend(xs)
            vec[sup[0]] = 1 - sum(xs)
            for k, x in zip(sup[1:], xs):
                vec[k] = x
                p = eq.profile[i][k]
                x0[x] = sp.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else sp.Float(p, 50)
        sigma.append(vec)
    return unknowns, sigma, x0


def _jacobian_inverse(sp, equations: list, unknowns: list, at: Mapping[Any, Any], exact: bool):
    """The inverse of the indifference equations' Jacobian in the unknowns at ``at`` (None if it is singular);
    in 50-digit arithmetic for an equilibrium that is not exact."""
    J = sp.Matrix([[sp.diff(e, x) for x in unknowns] for e in equations]).subs(at)
    if not exact:
        J = J.evalf(50)
    if J.det() == 0:
        return None
    return J.inv()


def _rational_family(closed: FamilySet | None, support):
    """The closed-form family of ``support`` without a radical (its formulas can be differentiated), if any."""
    if closed is None:
        return None
    for fam in closed.families:
        if fam.support == support and fam.radicand is None:
            return fam
    return None


def _formula(expr) -> str | None:
    import sympy as sp

    try:
        expr = sp.factor(sp.cancel(expr))
    except Exception:  # pragma: no cover
        return None
    if sp.count_ops(expr) > MAX_FORMULA_OPS:
        return None
    return sp.sstr(expr)


def _make(label, quantity, player, strategy, parameter, formula, value, exact) -> Derivative:
    import sympy as sp

    value = sp.nsimplify(value) if exact else value
    number = float(value)
    if exact:
        sign = "0" if value == 0 else ("+" if value > 0 else "-")
        text = sp.sstr(value)
    else:
        sign = "0" if abs(number) < 1e-30 else ("+" if number > 0 else "-")
        text = None
    return Derivative(label, quantity, player, strategy, parameter, formula, number, text, sign)
