"""Vectorised evaluation of equilibrium families: the numeric half of "symbolic once, numeric many".

:class:`RegimeEngine` compiles a :class:`~.symbolic.FamilySet` once with
``sympy.lambdify`` (numpy, with common-subexpression elimination) and then,
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

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    holds: np.ndarray | None = None


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


def _lambdify(symbols: Sequence[Any], exprs: Sequence[Any]):
    import sympy as sp

    if not exprs:
        return lambda *args: []
    return sp.lambdify(list(symbols), list(exprs), modules="numpy", cse=True, printer=_printer())


class RegimeEngine:
    """Compiled closed forms of one :class:`~.symbolic.FamilySet` (``supported`` False: use the solver).

    Everything the engine evaluates (payoff cells, every family's
    probabilities, symbolic conditions, singular denominators, degeneracy
    expressions) goes through **one** ``lambdify`` call with common
    subexpressions eliminated across families; square roots of radicands are
    computed first and passed in as arguments ``W_1, W_2, ...``. Best-response
    conditions of families analysed with ``best_responses="numeric"`` are
    computed here from the probabilities and the payoff cells.
    """

    def __init__(self, family_set, scale: float = 1.0):
        import sympy as sp

        from .symbolic import radical_symbol

        self.family_set = family_set
        self.supported = family_set.supported
        self.reason = family_set.reason
        self.names = family_set.free
        self.scale = max(1.0, float(scale))
        self.families = family_set.families
        self.strategies = family_set.strategies
        self.players = family_set.players
        if not self.supported:
            return
        theta = [family_set.symbols[n] for n in self.names]
        w = radical_symbol()
        radicands: list[Any] = []
        self._rad_index: list[int | None] = []
        for fam in self.families:
            if fam.radicand is None:
                self._rad_index.append(None)
                continue
            if fam.radicand not in radicands:
                radicands.append(fam.radicand)
            self._rad_index.append(radicands.index(fam.radicand))
        ws = [sp.Symbol(f"_W{k}", positive=True) for k in range(len(radicands))]
        self._radicands = _lambdify(theta, radicands)
        exprs: list[Any] = []

        def slot(expr) -> int:
            exprs.append(expr)
            return len(exprs) - 1

        n = len(self.players)
        self._cells = None
        if any(f.numeric_best_responses for f in self.families):
            payoffs = family_set.payoffs
            self._cells = {idx: slot(payoffs[idx]) for idx in np.ndindex(*payoffs.shape) if idx[0] < n}
        self._plan = []
        for f, fam in enumerate(self.families):
            k = self._rad_index[f]
            sub = {} if k is None else {w: ws[k]}
            conds = [slot(sp.sympify(c.expr).subs(sub)) for c in fam.conditions]
            probs = {}
            for i, sup in enumerate(fam.support):
                if len(sup) > 1:
                    for a in sup:
                        probs[(i, a)] = slot(sp.sympify(fam.probabilities[i][a]).subs(sub))
            singular = [slot(d) for d in fam.singular]
            self._plan.append((conds, probs, singular))
        self._degenerate = [[slot(e) for e in group] for group in family_set.degenerate]
        self._evaluate = _lambdify([*theta, *ws], exprs)
        self._n_exprs = len(exprs)

    # ----------------------------------------------------------- evaluation
    def _shape_args(self, values: Mapping[str, np.ndarray]) -> tuple[list[np.ndarray], int]:
        arrays = [np.asarray(values[n], dtype=np.float64).reshape(-1) for n in self.names]
        size = arrays[0].size if arrays else 1
        return arrays, size

    def _full(self, value: Any, size: int) -> np.ndarray:
        arr = np.asarray(value, dtype=np.float64)
        if arr.shape != (size,):
            arr = np.broadcast_to(arr, (size,))
        return arr

    def _all(self, arrays: list[np.ndarray], size: int) -> list[Any]:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws = [np.sqrt(self._full(r, size)) for r in self._radicands(*arrays)]
            return list(self._evaluate(*arrays, *ws)) if self._n_exprs else []

    def _best_response_values(self, f: int, out: list[Any], size: int):
        """The numeric best-response conditions of family ``f``: payoff from the support minus payoff of each outside strategy."""
        fam = self.families[f]
        _, probs, _ = self._plan[f]
        support = fam.support
        n = len(support)
        shape = [len(s) for s in self.strategies]

        def prob(i, a):
            k = probs.get((i, a))
            return 1.0 if k is None else out[k]

        for i in range(n):
            outside = [j for j in range(shape[i]) if j not in support[i]]
            if not outside:
                continue
            others = [m for m in range(n) if m != i]
            weights = []
            for combo in itertools.product(*(support[m] for m in others)):
                weight = None
                for m, a in zip(others, combo):
                    p = prob(m, a)
                    if isinstance(p, float) and p == 1.0:
                        continue
                    weight = p if weight is None else weight * p
                weights.append((combo, weight))

            def payoff(k, i=i, weights=weights):  # this iteration's i and weights (called only within it)
                total = 0.0
                for combo, weight in weights:
                    index = list(combo)
                    index.insert(i, k)
                    cell = out[self._cells[(i, *index)]]
                    total = total + (cell if weight is None else weight * cell)
                return total

            own = payoff(support[i][0])
            for j in outside:
                yield own - payoff(j)

    def _family_margin(self, f: int, out: list[Any], size: int) -> tuple[np.ndarray, np.ndarray]:
        """(margin, any condition NaN) of family ``f`` at every point."""
        conds, _, _ = self._plan[f]
        values = [out[k] for k in conds]
        if self.families[f].numeric_best_responses:
            values.extend(self._best_response_values(f, out, size))
        # constants (most pure families' conditions) are folded without building arrays
        low = np.inf
        arrays = []
        for v in values:
            if np.ndim(v) == 0:
                low = min(low, float(v)) if not np.isnan(v) else low
            else:
                arrays.append(v)
        if not arrays:
            return np.full(size, low), np.zeros(size, dtype=bool)
        margin = arrays[0] if len(arrays) > 1 or low == np.inf else np.fmin(arrays[0], low)
        nan = np.isnan(arrays[0])
        for v in arrays[1:]:
            nan |= np.isnan(v)
            margin = np.fmin(margin, v)
        if len(arrays) > 1 and low != np.inf:
            margin = np.fmin(margin, low)
        return margin, nan

    def margins(self, values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(margins, NaN flags) of every family: arrays of shape (families, points)."""
        arrays, size = self._shape_args(values)
        out = self._all(arrays, size)
        return self._margins(out, size)

    def _margins(self, out, size):
        margins = np.empty((len(self.families), size))
        nan = np.zeros((len(self.families), size), dtype=bool)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in range(len(self.families)):
                margins[f], nan[f] = self._family_margin(f, out, size)
        return margins, nan

    def classify(self, values: Mapping[str, np.ndarray], *, tolerance: float = 1e-9) -> Classified:
        """Label every point (1-D arrays of the free parameters); boundary points get code -1."""
        arrays, size = self._shape_args(values)
        tol = tolerance * self.scale
        out = self._all(arrays, size)
        margins, nan = self._margins(out, size)
        holds = (margins > tol) & ~nan
        boundary = (np.abs(margins) <= tol).any(axis=0)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            boundary |= self._degenerate_points(out, size, tol)
            boundary |= self._singular_points(arrays, out, size, tol)
        codes, regimes = self._labels(holds)
        codes[boundary] = -1
        return Classified(regimes=regimes, codes=codes, boundary=boundary, holds=holds)

    def _degenerate_points(self, out, size, tol) -> np.ndarray:
        flag = np.zeros(size, dtype=bool)
        for group in self._degenerate:
            hit = np.ones(size, dtype=bool)
            for k in group:
                hit &= np.abs(self._full(out[k], size)) <= tol
            flag |= hit
        return flag

    def _singular_points(self, arrays, out, size, tol) -> np.ndarray:
        """Points where some family's closed form is undefined and the family might hold beside them."""
        flag = np.zeros(size, dtype=bool)
        for f, (_, _, singular) in enumerate(self._plan):
            if not singular:
                continue
            hit = np.zeros(size, dtype=bool)
            for k in singular:
                v = self._full(out[k], size)
                hit |= ~np.isfinite(v) | (np.abs(v) <= tol)
            if not hit.any():
                continue
            idx = np.flatnonzero(hit)
            # Look beside each such point along every axis: if the family clearly fails on
            # every side, the singularity does not touch the equilibrium set.
            near_hold = np.zeros(idx.size, dtype=bool)
            for axis in range(len(arrays)):
                for sign in (-1.0, 1.0):
                    moved = [a[idx].copy() for a in arrays]
                    step = SINGULAR_STEP * np.maximum(1.0, np.abs(moved[axis]))
                    moved[axis] = moved[axis] + sign * step
                    m, _ = self._family_margin(f, self._all(moved, idx.size), idx.size)
                    near_hold |= (m > -tol * 1e3) | np.isnan(m)
            flag[idx[near_hold]] = True
        return flag

    def _labels(self, holds: np.ndarray) -> tuple[np.ndarray, list[str]]:
        nfam, size = holds.shape
        if nfam == 0:
            return np.zeros(size, dtype=np.int64), ["none"]
        if nfam <= 63:
            weights = np.uint64(1) << np.arange(nfam, dtype=np.uint64)
            mask = np.zeros(size, dtype=np.uint64)
            for f in range(nfam):
                mask |= holds[f].astype(np.uint64) * weights[f]
            uniq, codes = np.unique(mask, return_inverse=True)
            members = [[f for f in range(nfam) if int(u) >> f & 1] for u in uniq]
        else:
            packed = np.ascontiguousarray(np.packbits(holds.T, axis=1))
            view = packed.view(np.dtype((np.void, packed.shape[1])))
            uniq, first, codes = np.unique(view.reshape(-1), return_index=True, return_inverse=True)
            members = [list(np.flatnonzero(holds[:, k])) for k in first]
        regimes = [combine(self.strategies, [self.families[f].support for f in fam]) for fam in members]
        return codes.reshape(-1).astype(np.int64), regimes

    def probabilities(
        self, values: Mapping[str, np.ndarray], holds: np.ndarray | None = None
    ) -> dict[str, dict[str, np.ndarray]]:
        """Each mixed family's probabilities at every point (NaN where the family does not hold)."""
        arrays, size = self._shape_args(values)
        out = self._all(arrays, size)
        if holds is None:
            margins, nan = self._margins(out, size)
            holds = (margins > 0) & ~nan
        result: dict[str, dict[str, np.ndarray]] = {}
        for f, fam in enumerate(self.families):
            if fam.pure or not holds[f].any():
                continue
            _, probs, _ = self._plan[f]
            name = f"{fam.label}#{fam.root + 1}" if _has_twin(self.families, fam) else fam.label
            table = {}
            for (i, a), k in probs.items():
                arr = np.array(self._full(out[k], size), dtype=np.float64)
                arr[~holds[f]] = np.nan
                table[f"{self.players[i]}:{self.strategies[i][a]}"] = arr
            result[name] = table
        return result


def _has_twin(families, fam) -> bool:
    return any(g is not fam and g.label == fam.label for g in families)


# ------------------------------------------------------------------ cache
_ENGINES: dict[tuple, tuple[Any, RegimeEngine]] = {}


def engine_for(scenario, names: Sequence[str], values: Mapping[str, Any]) -> RegimeEngine:
    """The compiled engine for ``scenario`` with ``names`` free and the other parameters at ``values`` (cached)."""
    from .symbolic import analyse

    names = tuple(names)
    fixed = {k: values[k] for k in scenario.parameters if k not in names}
    key = (id(scenario), names, tuple(sorted((k, str(v)) for k, v in fixed.items())))
    hit = _ENGINES.get(key)
    if hit is not None and hit[0] is scenario:
        return hit[1]
    family_set = analyse(scenario, names, values, best_responses="numeric")
    engine = RegimeEngine(family_set, scale=_payoff_scale(scenario, values))
    _ENGINES[key] = (scenario, engine)
    if len(_ENGINES) > 16:
        _ENGINES.pop(next(iter(_ENGINES)))
    return engine


def _payoff_scale(scenario, values: Mapping[str, Any]) -> float:
    """The largest absolute payoff at ``values`` (tolerances are relative to it)."""

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = scenario.game_at(scenario.with_derived({k: values[k] for k in scenario.parameters}))
        return float(np.max(np.abs(game.float_payoffs))) if game.payoffs.size else 1.0
    except Exception:
        return 1.0
