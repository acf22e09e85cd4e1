"""Vectorised evaluation of equilibrium families: the numeric half of "symbolic once, numeric many".

:func:`compile_forms` turns a :class:`~.symbolic.FamilySet` into
:class:`CompiledForms`: the Python source of one ``sympy.lambdify`` function
(numpy, with common-subexpression elimination) and index tables, plain data
that :mod:`.formcache` keeps on disk. :class:`RegimeEngine` loads those forms
(:func:`load_function` checks the source against an allowlist first) and then,
for any number of points at once:

* evaluates every family's existence conditions; a family *holds* at a point
  when its smallest condition (its *margin*) exceeds the tolerance;
* names each point's regime from the families that hold there (a bit mask per
  point, one :func:`numpy.unique`, one label per distinct mask);
* flags **boundary** points: a family whose margin is zero within tolerance
  (a threshold), a closed form whose denominator vanishes while the family
  might hold nearby, or a degenerate game (every expression of a
  ``FamilySet.degenerate`` group is zero). Those points are left to the exact
  general solver by :func:`~.sweep.classify_points`.
"""

from __future__ import annotations

import ast
import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .labels import combine

#: Relative step used to look beside a point where a closed form is singular.
SINGULAR_STEP = 1e-6


@dataclass(frozen=True)
class Classified:
    """One chunk's result: ``regimes[codes[k]]`` is point k's label (``None`` where ``boundary``)."""

    regimes: list[str]
    codes: np.ndarray
    boundary: np.ndarray


#: Version of :class:`CompiledForms`' layout; part of the disk cache key (:mod:`.formcache`).
FORMS_VERSION = 1


@dataclass(frozen=True)
class FamilyInfo:
    """What the engine needs of one equilibrium family: its support, label and root number."""

    support: tuple[tuple[int, ...], ...]
    label: str
    root: int
    numeric_best_responses: bool

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)


@dataclass(frozen=True)
class CompiledForms:
    """The closed forms of a :class:`~.symbolic.FamilySet` as plain data: Python source plus index tables.

    ``evaluate_source`` defines one function of the free parameters and the
    square roots ``W_k`` of ``radicand_source``'s values; it returns a list in
    which ``plan[f]`` (condition slots, ``(player, strategy, slot)`` of each
    mixed probability, singular denominators), ``degenerate`` and ``cells``
    (``(player, *profile) -> slot``) point. ``globals`` maps every global name
    the sources use to the numpy attribute it stands for. Nothing here refers to
    sympy, so the forms can be stored as JSON (:mod:`.formcache`) and loaded
    without importing it.
    """

    names: tuple[str, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    families: tuple[FamilyInfo, ...]
    reason: str | None
    scale: float = 1.0
    radicand_source: str = ""
    evaluate_source: str = ""
    globals: Mapping[str, str] = field(default_factory=dict)
    n_exprs: int = 0
    rad_index: tuple[int | None, ...] = ()
    plan: tuple[tuple[tuple[int, ...], tuple[tuple[int, int, int], ...], tuple[int, ...]], ...] = ()
    degenerate: tuple[tuple[int, ...], ...] = ()
    cells: tuple[tuple[tuple[int, ...], int], ...] = ()

    @property
    def supported(self) -> bool:
        return self.reason is None


_PRINTER = None


def _printer():
    """A NumPy printer that writes ``1/x`` and ``x*x`` instead of ``x**(-1.0)`` and ``x**2`` (much faster on arrays)."""
    global _PRINTER
    if _PRINTER is None:
        from sympy.printing.numpy import NumPyPrinter

        class FastPrinter(NumPyPrinter):
            def _print_Pow(self, expr, rational=False):
                base, exp = expr.base, expr.exp
                if exp.is_Integer and -4 <= int(exp) <= 4 and int(exp) != 0 and not base.is_Number:
                    k = int(exp)
                    inner = self.parenthesize(base, 100)
                    product = "*".join([inner] * abs(k))
                    return f"({product})" if k > 0 else f"(1/({product}))"
                return super()._print_Pow(expr, rational=rational)

        _PRINTER = FastPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False})
    return _PRINTER


def _numpy_namespace() -> dict[str, Any]:
    """numpy's functions and constants by name, read from its module dict.

    ``lambdify(modules="numpy")`` runs ``from numpy import *``, which loads
    numpy's lazily imported submodules (half a second); the generated code
    needs only the names below, and :func:`load_function` binds them again.
    """
    return {k: v for k, v in vars(np).items() if not k.startswith("_") and (callable(v) or isinstance(v, float))}


class UncachableSource(Exception):
    """A generated function uses a global that is not a numpy attribute (the general solver is used instead)."""


def _lambdify_source(symbols: Sequence[Any], exprs: Sequence[Any], cse: bool = True) -> tuple[str, dict[str, str]]:
    """(source, globals) of ``lambdify(symbols, exprs)``: the function's text and the numpy names it uses.

    ``cse=False`` skips common-subexpression elimination (faster to derive, slower to evaluate: for forms
    evaluated at few points)."""
    import inspect

    import sympy as sp

    if not exprs:
        return "", {}
    function = sp.lambdify(list(symbols), list(exprs), modules=[_numpy_namespace()], cse=cse, printer=_printer())
    source = inspect.getsource(function)
    used: dict[str, str] = {}
    for name in function.__code__.co_names:
        value = function.__globals__.get(name)
        if value is None or getattr(np, name, None) is not value:
            raise UncachableSource(name)
        used[name] = name
    return source, used


def compile_forms(family_set, scale: float = 1.0) -> CompiledForms:
    """Compile every expression the engine evaluates into :class:`CompiledForms` (one ``lambdify``, with CSE).

    Payoff cells, every family's probabilities and symbolic conditions,
    singular denominators and degeneracy expressions go through **one**
    ``lambdify`` call with common subexpressions eliminated across families;
    square roots of radicands are computed first and passed in as arguments
    ``W_1, W_2, ...``. Best-response conditions of families analysed with
    ``best_responses="numeric"`` are computed by the engine from the
    probabilities and the payoff cells.
    """
    import sympy as sp

    from .symbolic import radical_symbol

    families = tuple(
        FamilyInfo(tuple(tuple(s) for s in f.support), f.label, f.root, f.numeric_best_responses)
        for f in family_set.families
    )
    common = {
        "names": tuple(family_set.free),
        "players": tuple(family_set.players),
        "strategies": tuple(tuple(s) for s in family_set.strategies),
        "families": families,
        "reason": family_set.reason,
        "scale": max(1.0, float(scale)),
    }
    if not family_set.supported:
        return CompiledForms(**common)
    theta = [family_set.symbols[n] for n in family_set.free]
    radicands: list[Any] = []
    rad_index: list[int | None] = []
    for fam in family_set.families:
        if fam.radicand is not None and fam.radicand not in radicands:
            radicands.append(fam.radicand)
        rad_index.append(None if fam.radicand is None else radicands.index(fam.radicand))
    ws = [sp.Symbol(f"_W{k}", positive=True) for k in range(len(radicands))]
    exprs: list[Any] = []

    def slot(expr) -> int:
        exprs.append(expr)
        return len(exprs) - 1

    cells: list[tuple[tuple[int, ...], int]] = []
    if any(f.numeric_best_responses for f in family_set.families):
        payoffs = family_set.payoffs
        n = len(family_set.players)
        cells = [(tuple(idx), slot(payoffs[idx])) for idx in np.ndindex(*payoffs.shape) if idx[0] < n]
    w = radical_symbol()
    plan = []
    for f, fam in enumerate(family_set.families):
        sub = {} if rad_index[f] is None else {w: ws[rad_index[f]]}
        conds = tuple(slot(sp.sympify(c.expr).subs(sub)) for c in fam.conditions)
        probs = tuple(
            (i, a, slot(sp.sympify(fam.probabilities[i][a]).subs(sub)))
            for i, sup in enumerate(fam.support)
            if len(sup) > 1
            for a in sup
        )
        plan.append((conds, probs, tuple(slot(d) for d in fam.singular)))
    degenerate = tuple(tuple(slot(e) for e in group) for group in family_set.degenerate)
    radicand_source, used_r = _lambdify_source(theta, radicands)
    evaluate_source, used_e = _lambdify_source([*theta, *ws], exprs)
    return CompiledForms(
        **common,
        radicand_source=radicand_source,
        evaluate_source=evaluate_source,
        globals={**used_r, **used_e},
        n_exprs=len(exprs),
        rad_index=tuple(rad_index),
        plan=tuple(plan),
        degenerate=degenerate,
        cells=tuple(cells),
    )


#: The syntax a generated function may use: arithmetic, calls of the numpy names it declares, assignments.
_ALLOWED_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.Return, ast.Name, ast.Load, ast.Store,
    ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Constant,
    ast.Call, ast.List, ast.Tuple, ast.Expr,
)  # fmt: skip


def load_function(source: str, names: Mapping[str, str]):
    """The function defined by generated ``source``, after checking it uses only arithmetic and numpy names.

    ``source`` comes from :func:`compile_forms`, possibly by way of the disk
    cache: it is parsed and every node checked against an allowlist (no
    attribute access, no subscripts, no imports, calls only of the numpy
    functions named in ``names``) before it is compiled, so a tampered cache
    file cannot run anything else. Raises ``ValueError`` when it does not pass.
    """
    if not source:
        return lambda *args: []
    tree = ast.parse(source)
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        raise ValueError("generated source must define exactly one function")
    function = tree.body[0]
    local = {a.arg for a in function.args.args}
    read: list[str] = []
    for node in ast.walk(tree):  # one pass (a warm sweep's largest source has thousands of nodes)
        if not isinstance(node, _ALLOWED_NODES) or (
            isinstance(node, ast.Constant) and not isinstance(node.value, (int, float))
        ):
            raise ValueError(f"generated source uses {type(node).__name__}")
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            raise ValueError("generated source has a decorator")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in names):
            raise ValueError("generated source calls something other than a numpy function")
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.Name):
            read.append(node.id)
    unknown = [name for name in read if name not in local and name not in names]
    if unknown:
        raise ValueError(f"generated source uses an unknown name {unknown[0]!r}")
    namespace: dict[str, Any] = {"__builtins__": {}}
    for name, attribute in names.items():
        value = getattr(np, attribute, None)
        if value is None or not (callable(value) or isinstance(value, float)):
            raise ValueError(f"{attribute!r} is not a numpy function or constant")
        namespace[name] = value
    exec(compile(tree, "<gametheory closed forms>", "exec"), namespace)
    return namespace[function.name]


class RegimeEngine:
    """Evaluates one :class:`CompiledForms` (``supported`` False: use the solver) at many points at once."""

    def __init__(self, forms: CompiledForms):
        self.forms = forms
        self.supported = forms.supported
        self.reason = forms.reason
        self.names = forms.names
        self.scale = forms.scale
        self.families = forms.families
        self.strategies = forms.strategies
        self.players = forms.players
        if not self.supported:
            return
        self._rad_index = list(forms.rad_index)
        self._radicands = load_function(forms.radicand_source, forms.globals)
        self._evaluate = load_function(forms.evaluate_source, forms.globals)
        self._n_exprs = forms.n_exprs
        self._cells = dict(forms.cells) if forms.cells else None
        self._plan = [
            (list(conds), {(i, a): k for i, a, k in probs}, list(singular)) for conds, probs, singular in forms.plan
        ]
        self._degenerate = [list(group) for group in forms.degenerate]

    # ----------------------------------------------------------- evaluation
    def _shape_args(self, values: Mapping[str, np.ndarray]) -> tuple[list[np.ndarray], int]:
        """The parameters' arrays and the number of points. Arrays of one shape are flattened; arrays that
        broadcast to a mesh (a grid's rows as a column, its last axis as a row) are kept so, and subexpressions
        of one parameter are then evaluated on its axis only (see :meth:`_all`)."""
        raw = [np.asarray(values[n], dtype=np.float64) for n in self.names]
        if len({a.shape for a in raw}) <= 1:
            arrays = [a.reshape(-1) for a in raw]
            return arrays, arrays[0].size if arrays else 1
        shape = np.broadcast_shapes(*(a.shape for a in raw))
        return raw, int(np.prod(shape, dtype=np.int64))

    def _all(self, arrays: list[np.ndarray], size: int) -> tuple[list[Any], tuple[int, ...]]:
        """Every compiled expression at the points, and the shape they broadcast to: a mesh's (rows, columns),
        else (points,). Values are scalars or arrays of that shape or of one axis of the mesh: an expression
        of one parameter stays on its axis, and is spread over the points (:func:`_flat`) only where a
        result per point is needed, so that arithmetic and tests on it cost an axis, not the whole mesh."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws = [np.sqrt(np.asarray(r, dtype=np.float64)) for r in self._radicands(*arrays)]
            out = list(self._evaluate(*arrays, *ws)) if self._n_exprs else []
        return out, _mesh_shape(arrays) or (size,)

    def _payoff_function(self, f: int, i: int, out: list[Any]):
        """Player ``i``'s payoff from each own strategy ``k`` against family ``f``'s other players: ``payoff(k)``."""
        support = self.families[f].support
        probs = self._plan[f][1]
        others = [m for m in range(len(support)) if m != i]
        weights = []
        for combo in itertools.product(*(support[m] for m in others)):
            weight = None
            for m, a in zip(others, combo):
                k = probs.get((m, a))
                if k is not None:
                    weight = out[k] if weight is None else weight * out[k]
            weights.append((combo, weight))

        def payoff(k: int):
            total = 0.0
            for combo, weight in weights:
                index = list(combo)
                index.insert(i, k)
                cell = out[self._cells[(i, *index)]]
                total = total + (cell if weight is None else weight * cell)
            return total

        return payoff

    def _best_response_values(self, f: int, out: list[Any]):
        """The numeric best-response conditions of family ``f``: payoff from the support minus payoff of each outside strategy."""
        support = self.families[f].support
        for i in range(len(support)):
            outside = [j for j in range(len(self.strategies[i])) if j not in support[i]]
            if not outside:
                continue
            payoff = self._payoff_function(f, i, out)
            own = payoff(support[i][0])
            for j in outside:
                yield own - payoff(j)

    def _family_margin(self, f: int, out: list[Any], shape: tuple[int, ...]) -> tuple[Any, Any]:
        """(margin, any condition NaN) of family ``f``: values that broadcast to ``shape`` (see :meth:`_all`),
        scalars when every condition is a constant."""
        conds, _, _ = self._plan[f]
        values = [out[k] for k in conds]
        if self.families[f].numeric_best_responses:
            values.extend(self._best_response_values(f, out))
        # constants (most pure families' conditions) are folded without building arrays
        low = np.inf
        arrays = []
        for v in values:
            if np.ndim(v) == 0:
                low = min(low, float(v)) if not np.isnan(v) else low
            else:
                arrays.append(v)
        if not arrays:
            return np.float64(low), np.False_
        margin = arrays[0] if len(arrays) > 1 or low == np.inf else np.fmin(arrays[0], low)
        nan = np.isnan(arrays[0])
        for v in arrays[1:]:
            nan = nan | np.isnan(v)
            margin = np.fmin(margin, v)
        if len(arrays) > 1 and low != np.inf:
            margin = np.fmin(margin, low)
        return margin, nan

    def margins(self, values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(margins, NaN flags) of every family: arrays of shape (families, points)."""
        arrays, size = self._shape_args(values)
        return self._margins(*self._all(arrays, size))

    def _margins(self, out: list[Any], shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        size = int(np.prod(shape, dtype=np.int64))
        margins = np.empty((len(self.families), size))
        nan = np.zeros((len(self.families), size), dtype=bool)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in range(len(self.families)):
                margin, missing = self._family_margin(f, out, shape)
                margins[f].reshape(shape)[...] = margin  # spread over the points while copying in
                nan[f].reshape(shape)[...] = missing
        return margins, nan

    def classify(self, values: Mapping[str, np.ndarray], *, tolerance: float = 1e-9) -> Classified:
        """Label every point (arrays of the free parameters, of one shape or broadcasting to a mesh; codes in
        row-major order); boundary points get code -1.

        Each family's margin keeps the shape of its conditions (a constant, an axis of a mesh, or every
        point: :meth:`_all`) until the labels are gathered, so families whose conditions are constants
        (most pure ones) cost nothing per point."""
        arrays, size = self._shape_args(values)
        tol = tolerance * self.scale
        out, shape = self._all(arrays, size)
        holds: list[Any] = []
        edge: Any = False
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in range(len(self.families)):
                margin, missing = self._family_margin(f, out, shape)
                holds.append((margin > tol) & ~missing)
                edge = edge | (np.abs(margin) <= tol)
            boundary = np.array(_flat(edge, shape))
            boundary |= self._degenerate_points(out, shape, tol)
            boundary |= self._singular_points(arrays, out, shape, tol)
        codes, regimes = self._labels(holds, shape)
        codes[boundary] = -1
        return Classified(regimes=regimes, codes=codes, boundary=boundary)

    def _degenerate_points(self, out: list[Any], shape: tuple[int, ...], tol: float) -> np.ndarray:
        flag: Any = False
        for group in self._degenerate:
            hit: Any = True
            for k in group:
                hit = hit & (np.abs(out[k]) <= tol)
            flag = flag | hit
        return _flat(flag, shape)

    def _singular_points(self, arrays, out: list[Any], shape: tuple[int, ...], tol: float) -> np.ndarray:
        """Points where some family's closed form is undefined and the family might hold beside them."""
        flag = np.zeros(int(np.prod(shape, dtype=np.int64)), dtype=bool)
        points: list[np.ndarray] | None = None  # the parameters at every point, made at the first singular hit
        for f, (_, _, singular) in enumerate(self._plan):
            if not singular:
                continue
            hit: Any = False
            for k in singular:
                v = np.asarray(out[k], dtype=np.float64)
                hit = hit | ~np.isfinite(v) | (np.abs(v) <= tol)
            if not np.any(hit):
                continue
            idx = np.flatnonzero(_flat(hit, shape))
            if points is None:
                points = [_flat(a, shape) for a in arrays]  # a mesh's axes spread over its points, once
            # Look beside each such point along every axis: if the family clearly fails on
            # every side, the singularity does not touch the equilibrium set.
            near_hold = np.zeros(idx.size, dtype=bool)
            for axis in range(len(points)):
                for sign in (-1.0, 1.0):
                    moved = [a[idx].copy() for a in points]
                    step = SINGULAR_STEP * np.maximum(1.0, np.abs(moved[axis]))
                    moved[axis] = moved[axis] + sign * step
                    beside, beside_shape = self._all(moved, idx.size)
                    m, _ = self._family_margin(f, beside, beside_shape)
                    m = _flat(m, beside_shape)
                    near_hold |= (m > -tol * 1e3) | np.isnan(m)
            flag[idx[near_hold]] = True
        return flag

    def _labels(self, family_holds: Sequence[Any], shape: tuple[int, ...]) -> tuple[np.ndarray, list[str]]:
        """Each point's regime code and the regimes, from where each family holds (values that broadcast to
        ``shape``)."""
        nfam, size = len(family_holds), int(np.prod(shape, dtype=np.int64))
        if nfam == 0:
            return np.zeros(size, dtype=np.int64), ["none"]
        if nfam <= 20:
            # a table over every subset of families: one pass, no sort; a constant family adds a constant bit
            bits: Any = np.int32(0)
            for f, held in enumerate(family_holds):
                bits = bits | (np.asarray(held, dtype=np.int32) << f)
            mask = _flat(bits, shape)
            seen = np.flatnonzero(np.bincount(mask, minlength=1 << nfam))
            lookup = np.zeros(1 << nfam, dtype=np.int64)
            lookup[seen] = np.arange(len(seen))
            codes = lookup[mask]
            members = [[f for f in range(nfam) if int(u) >> f & 1] for u in seen]
        elif nfam <= 63:
            holds = np.array([_flat(held, shape) for held in family_holds])
            weights = np.uint64(1) << np.arange(nfam, dtype=np.uint64)
            mask64 = np.zeros(size, dtype=np.uint64)
            for f in range(nfam):
                mask64 |= holds[f].astype(np.uint64) * weights[f]
            uniq, codes = np.unique(mask64, return_inverse=True)
            members = [[f for f in range(nfam) if int(u) >> f & 1] for u in uniq]
        else:
            holds = np.array([_flat(held, shape) for held in family_holds])
            packed = np.ascontiguousarray(np.packbits(holds.T, axis=1))
            view = packed.view(np.dtype((np.void, packed.shape[1])))
            uniq, first, codes = np.unique(view.reshape(-1), return_index=True, return_inverse=True)
            members = [list(np.flatnonzero(holds[:, k])) for k in first]
        regimes = [combine(self.strategies, [self.families[f].support for f in fam]) for fam in members]
        return codes.reshape(-1).astype(np.int64), regimes

    def values(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every family's probabilities and payoffs at every point, NaN where the family does not hold.

        Columns ``"FAMILY:PLAYER:STRATEGY"`` hold the probabilities of mixed
        families' supports, ``"FAMILY:payoff:PLAYER"`` every family's expected
        payoffs (computed from the payoff cells; empty when the forms carry no
        cells). ``FAMILY`` is the family label, ``#2`` appended for a second root.
        """
        arrays, size = self._shape_args(values)
        out, shape = self._all(arrays, size)
        margins, nan = self._margins(out, shape)
        holds = (margins > 0) & ~nan
        columns: dict[str, np.ndarray] = {}
        with np.errstate(all="ignore"):
            for f, fam in enumerate(self.families):
                name = self.family_name(f)
                for (i, a), k in self._plan[f][1].items():
                    columns[f"{name}:{self.players[i]}:{self.strategies[i][a]}"] = self._masked(out[k], holds[f], shape)
                if self._cells is None:
                    continue
                for i, player in enumerate(self.players):
                    payoff = self._payoff_function(f, i, out)(fam.support[i][0])
                    columns[f"{name}:payoff:{player}"] = self._masked(payoff, holds[f], shape)
        return columns

    def _masked(self, value: Any, holds: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        arr = np.array(_flat(np.asarray(value, dtype=np.float64), shape))
        arr[~holds] = np.nan
        return arr

    def family_name(self, f: int) -> str:
        """Family ``f``'s label, with ``#root`` appended when another family has the same support."""
        fam = self.families[f]
        return f"{fam.label}#{fam.root + 1}" if _has_twin(self.families, fam) else fam.label


def _flat(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` (a scalar or an array that broadcasts to ``shape``) as one entry per point, in C order;
    a copy only where it is spread over an axis."""
    return np.broadcast_to(value, shape).reshape(-1)


def _mesh_shape(arrays: Sequence[np.ndarray]) -> tuple[int, ...] | None:
    """The shape the arrays broadcast to when they form a mesh (more than one dimension), else None."""
    if not arrays or all(np.ndim(a) <= 1 for a in arrays):
        return None
    return tuple(np.broadcast_shapes(*(np.shape(a) for a in arrays)))


def _has_twin(families, fam) -> bool:
    return any(g is not fam and g.label == fam.label for g in families)


# ------------------------------------------------------------ JSON form
def forms_to_dict(forms: CompiledForms) -> dict[str, Any]:
    """The JSON form of :class:`CompiledForms` (kept by :mod:`.formcache`)."""
    return {
        "names": list(forms.names),
        "players": list(forms.players),
        "strategies": [list(s) for s in forms.strategies],
        "families": [[[list(s) for s in f.support], f.label, f.root, f.numeric_best_responses] for f in forms.families],
        "reason": forms.reason,
        "scale": forms.scale,
        "radicand_source": forms.radicand_source,
        "evaluate_source": forms.evaluate_source,
        "globals": dict(forms.globals),
        "n_exprs": forms.n_exprs,
        "rad_index": list(forms.rad_index),
        "plan": [[list(c), [list(p) for p in probs], list(s)] for c, probs, s in forms.plan],
        "degenerate": [list(g) for g in forms.degenerate],
        "cells": [[list(idx), k] for idx, k in forms.cells],
    }


def _ints(values) -> tuple[int, ...]:
    out = tuple(int(v) for v in values)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise ValueError("expected whole numbers")
    return out


def forms_from_dict(data: Mapping[str, Any]) -> CompiledForms:
    """:class:`CompiledForms` from :func:`forms_to_dict`'s output (``ValueError``/``TypeError``/``KeyError`` if malformed)."""
    families = tuple(
        FamilyInfo(tuple(_ints(s) for s in support), str(label), int(root), bool(numeric))
        for support, label, root, numeric in data["families"]
    )
    return CompiledForms(
        names=tuple(str(n) for n in data["names"]),
        players=tuple(str(p) for p in data["players"]),
        strategies=tuple(tuple(str(s) for s in row) for row in data["strategies"]),
        families=families,
        reason=None if data["reason"] is None else str(data["reason"]),
        scale=float(data["scale"]),
        radicand_source=str(data["radicand_source"]),
        evaluate_source=str(data["evaluate_source"]),
        globals={str(k): str(v) for k, v in data["globals"].items()},
        n_exprs=int(data["n_exprs"]),
        rad_index=tuple(None if k is None else int(k) for k in data["rad_index"]),
        plan=tuple((_ints(c), tuple(_ints(p) for p in probs), _ints(s)) for c, probs, s in data["plan"]),  # type: ignore[misc]
        degenerate=tuple(_ints(g) for g in data["degenerate"]),
        cells=tuple((_ints(idx), int(k)) for idx, k in data["cells"]),
    )


# ------------------------------------------------------------------ cache
_ENGINES: dict[tuple, tuple[Any, RegimeEngine]] = {}


def engine_for(scenario, names: Sequence[str], values: Mapping[str, Any], *, cache: bool = True) -> RegimeEngine:
    """The compiled engine for ``scenario`` with ``names`` free and the other parameters at ``values``.

    Kept in memory for the process, and on disk across runs (:mod:`.formcache`)
    unless ``cache`` is False.
    """
    names = tuple(names)
    fixed = {k: values[k] for k in scenario.parameters if k not in names}
    key = _memory_key(scenario, names, fixed)
    hit = _ENGINES.get(key)
    if hit is not None:
        return hit[1]
    engine = _cached_engine(scenario, names, fixed) if cache else None
    if engine is None:
        engine = _derived_engine(scenario, names, values, fixed, cache)
    _ENGINES[key] = (scenario, engine)
    if len(_ENGINES) > 16:
        _ENGINES.pop(next(iter(_ENGINES)))
    return engine


def _cached_engine(scenario, names: tuple[str, ...], fixed: Mapping[str, Any]) -> RegimeEngine | None:
    """The engine from the disk cache, or None when there is no usable entry."""
    from . import formcache

    data = formcache.load_forms(formcache.forms_key(scenario, names, fixed, FORMS_VERSION))
    if data is None:
        return None
    try:
        forms = forms_from_dict(data)
        return RegimeEngine(forms) if forms.names == names else None
    except (ValueError, TypeError, KeyError, SyntaxError):
        return None


def _derived_engine(scenario, names, values, fixed, cache: bool) -> RegimeEngine:
    """Derive the closed forms (sympy), compile them, and keep them on disk when ``cache``."""
    from . import formcache
    from .symbolic import analyse

    family_set = analyse(scenario, names, values, best_responses="numeric")
    try:
        forms = compile_forms(family_set, scale=_payoff_scale(scenario, values))
    except UncachableSource as exc:
        reason = f"the closed forms use {exc.args[0]!r}, which the vectorised engine does not evaluate"
        return RegimeEngine(CompiledForms(names=names, players=(), strategies=(), families=(), reason=reason))
    if cache and forms.supported:
        formcache.store_forms(formcache.forms_key(scenario, names, fixed, FORMS_VERSION), forms_to_dict(forms))
    return RegimeEngine(forms)


def _payoff_scale(scenario, values: Mapping[str, Any]) -> float:
    """The largest absolute payoff at ``values`` (tolerances are relative to it)."""

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = scenario.game_at(scenario.with_derived({k: values[k] for k in scenario.parameters}))
        return float(np.max(np.abs(game.float_payoffs))) if game.payoffs.size else 1.0
    except Exception:
        return 1.0


def _memory_key(scenario, names: tuple[str, ...], fixed: Mapping[str, Any]) -> tuple:
    """The key of an engine in this process's memory: the scenario's content, the free names, the fixed values."""
    from .formcache import content_key

    return (content_key(scenario), names, tuple(sorted((k, str(v)) for k, v in fixed.items())))


def adopt_forms(scenario, names: Sequence[str], values: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    """Make compiled forms derived in another process (``forms_to_dict(engine.forms)``) this process's
    engine for ``scenario``, ``names`` and ``values``, so that :func:`engine_for` answers at once.

    For the workers of a Dask cluster: the client derives once and ships the plain data with the job,
    instead of every worker deriving the same closed forms on its first chunk.
    """
    names = tuple(names)
    key = _memory_key(scenario, names, {k: values[k] for k in scenario.parameters if k not in names})
    if key not in _ENGINES:
        _ENGINES[key] = (scenario, RegimeEngine(forms_from_dict(data)))
