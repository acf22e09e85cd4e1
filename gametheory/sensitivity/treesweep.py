"""Sweeping game trees from closed-form conditions, without solving any point.

A tree's payoffs are expressions of its parameters, so everything a sweep asks
of it is a set of comparisons of expressions, evaluated with numpy over all
points at once:

* **The Nash set** as the general solver labels it. For a tree with three or
  more players, :func:`gametheory.solvers.trees.structure_method` has the
  solver enumerate the *pure* equilibria of the reduced normal form (its mixed
  equilibria form continua beyond the polynomial solver). A plan profile is a
  pure equilibrium exactly when no player gains by switching plan: for each
  profile, the payoff of its cell minus the payoff of every cell one player's
  deviation reaches must be non-negative. :class:`TreeEngine` evaluates the
  distinct payoff *forms* of the reduced form once per point and those
  differences as array subtractions; the label of a point is made by
  :func:`~.labels.combine` from the profiles that hold, as
  :func:`~.labels.regime_label` makes it from the solver's equilibria, so the
  two agree point by point.
* **The subgame-perfect outcome** (:func:`subgame_perfect_points`): backward
  induction on a perfect-information tree is a comparison, at every decision
  node, of the mover's values of the subtrees below; chance nodes average
  them. Done for all points at once, the choices at every node give each
  point's equilibrium path, named as :func:`gametheory.solvers.trees.spe_label`
  names it.

Ties. A difference of two payoff forms that are the same function of the
varied parameters (the same leaf reached by two plans, or two leaves with the
same payoff) is a tie everywhere and is no condition at all: such forms are
recognised exactly, by their canonical polynomial
(:func:`gametheory.expressions.polynomial_form`; no sympy import, which would
cost more than the whole evaluation). Any other difference that is zero within
the tolerance marks the point as a **boundary** point, exactly as the
normal-form engine does: :func:`~.sweep.classify_points` then solves it with
the exact general solver (and :func:`subgame_perfect_points` runs exact
backward induction there).

Not covered here (the caller falls back to the exact path, point by point):
two-player trees (the solver's label includes mixed equilibria and continua
of the degenerate reduced form; they go to the normal-form engine, then the
solver), subgame-perfect outcomes of trees with imperfect information, and
payoff forms that are not polynomials in the varied parameters (handled, but
a structural tie among them is only caught as a boundary at every point).

The numpy evaluation is this module's own (rather than ``sympy.lambdify`` as in
:mod:`.engine`) because the forms are already parsed expressions with a
vectorised evaluator, and skipping sympy's import and code generation is most
of the cost of a tree sweep of a few thousand points.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import InputError
from ..expressions import Expression, polynomial_form
from ..extensive import CHANCE, DECISION, TERMINAL
from ..scenario import Scenario, coerce_number
from .engine import Classified, engine_for
from .labels import combine

__all__ = [
    "SubgamePerfectMap",
    "TreeEngine",
    "closed_form_engine",
    "exact_tree_labels",
    "subgame_perfect_points",
    "tree_engine_applies",
]

#: Points evaluated together inside one call (bounds the working arrays to a few tens of MB).
SUB_CHUNK = 16_384
#: Relative tolerance under which a payoff difference counts as zero (as in :mod:`.sweep`).
TOLERANCE = 1e-9
#: Relative size beyond which a difference computed in floating point has a certain sign
#: (rounding errors of a payoff expression are some 1e-15 of its size); nearer zero, exact arithmetic.
SURE = 1e-6


# ------------------------------------------------------------------ forms
def _exact(value: Any) -> Fraction | int:
    if isinstance(value, (Fraction, int)):
        return value
    return coerce_number(value.item() if isinstance(value, np.generic) else value)


def _replacements(scenario: Scenario, names: Sequence[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """Every fixed parameter by its value and every derived parameter by its expression (inlined),
    so that substituted forms are expressions of the varied parameters ``names`` only."""
    out: dict[str, Any] = {k: _exact(values[k]) for k in scenario.parameters if k not in names}
    for name, derived in scenario.derived.items():  # stored in dependency order
        out[name] = derived.expression.substitute(out)
    return out


class _Forms:
    """Distinct payoff expressions, each evaluated once per point; equal polynomials are one form."""

    def __init__(self, replacements: Mapping[str, Any]):
        self.replacements = dict(replacements)
        self.forms: list[Expression] = []
        self._index: dict[Any, int] = {}
        self._seen: dict[Expression, int] = {}

    def add(self, expr: Expression) -> int:
        """The form number of ``expr`` (with the fixed values substituted)."""
        known = self._seen.get(expr)
        if known is None:
            known = self._seen[expr] = self._add(expr.substitute(self.replacements))
        return known

    def _add(self, expr: Expression) -> int:
        poly = polynomial_form(expr)
        key: Any = ("poly", frozenset(poly.items())) if poly is not None else ("expr", expr)
        k = self._index.get(key)
        if k is None:
            k = self._index[key] = len(self.forms)
            self.forms.append(expr)
        return k

    def evaluate(self, env: Mapping[str, np.ndarray]) -> np.ndarray:
        """Every form at every point: shape (forms, points)."""
        return np.stack([f.evaluate_array(env) for f in self.forms]) if self.forms else np.empty((0, 0))


def _env(names: Sequence[str], values: Mapping[str, np.ndarray], lo: int, hi: int) -> dict[str, np.ndarray]:
    return {n: np.asarray(values[n], dtype=np.float64).reshape(-1)[lo:hi] for n in names}


# ------------------------------------------------------------------ Nash set
def tree_engine_applies(scenario: Scenario) -> bool:
    """True for a tree whose sweep label is its reduced form's pure equilibria (three or more players)."""
    return scenario.extensive is not None and len(scenario.players) > 2


class TreeEngine:
    """The pure Nash equilibria of a tree's reduced normal form at many points, from payoff differences.

    Has the interface of :class:`~.engine.RegimeEngine` that :func:`~.sweep.classify_points`
    uses (``supported``, ``reason``, ``classify``, ``probabilities``).
    """

    supported = True
    reason = ""

    def __init__(self, scenario: Scenario, names: Sequence[str], values: Mapping[str, Any]):
        self.scenario = scenario
        self.names = tuple(names)
        self.strategies = scenario.strategies
        self.shape = scenario.shape
        n = len(self.shape)
        self._forms = _Forms(_replacements(scenario, self.names, values))
        cells = np.empty((n, *self.shape), dtype=np.int64)
        for idx in np.ndindex(*cells.shape):
            cells[idx] = self._forms.add(scenario.payoffs[idx])
        self.profiles = [tuple(int(a) for a in p) for p in np.ndindex(*self.shape)]
        stay, leave, owner = [], [], []
        for p, profile in enumerate(self.profiles):
            for i in range(n):
                mine = int(cells[(i, *profile)])
                line = cells[(i, *profile[:i], slice(None), *profile[i + 1 :])]
                for other in sorted({int(b) for b in line} - {mine}):
                    stay.append(mine)
                    leave.append(other)
                    owner.append(p)
        # each distinct difference is evaluated once (``_stay[u] - _leave[u]``); ``_pair[k]`` is the
        # difference that comparison k (of profile ``_owner[k]``) needs non-negative
        pairs, pair_of = np.unique(
            np.asarray([stay, leave], dtype=np.int64).reshape(2, -1), axis=1, return_inverse=True
        )
        self._stay, self._leave = pairs[0], pairs[1]
        self._pair = pair_of.reshape(-1)
        self._owner = np.asarray(owner, dtype=np.int64)
        self._chance = self._chance_forms()

    def _chance_forms(self) -> list[list[int]]:
        tree = self.scenario.extensive
        return [[self._forms.add(p) for p in node.probabilities] for node in tree.nodes if node.kind == CHANCE]

    @property
    def comparisons(self) -> int:
        """How many distinct payoff differences decide the equilibrium set (ties everywhere left out)."""
        return len(self._stay)

    def classify(self, values: Mapping[str, np.ndarray], *, tolerance: float = TOLERANCE) -> Classified:
        """Label every point (1-D arrays of the varied parameters); boundary points get code -1.

        A point's equilibria depend only on which differences are negative and which are zero
        within ``tolerance`` times its largest payoff, so each distinct pattern of signs (a
        handful over a whole grid) is judged once."""
        size = np.asarray(values[self.names[0]]).size if self.names else 1
        verdict = np.empty(size, dtype=np.int64)
        seen: dict[bytes, int] = {}
        verdicts: list[str | None] = []
        for lo in range(0, size, SUB_CHUNK):
            hi = min(size, lo + SUB_CHUNK)
            loses, ties = self._signs(values, lo, hi, tolerance)
            for where, first, inverse in _distinct_patterns(loses, ties):
                ids = []
                for k in first:
                    key = np.packbits(loses[:, k]).tobytes() + np.packbits(ties[:, k]).tobytes()
                    if key not in seen:
                        seen[key] = len(verdicts)
                        verdicts.append(self._judge(loses[:, k], ties[:, k]))
                    ids.append(seen[key])
                verdict[lo + where] = np.asarray(ids, dtype=np.int64)[inverse]
        labels = sorted({v for v in verdicts if v is not None})
        code_of = np.asarray([-1 if v is None else labels.index(v) for v in verdicts] or [0], dtype=np.int64)
        codes = code_of[verdict]
        return Classified(regimes=labels, codes=codes, boundary=codes < 0)

    def _signs(
        self, values: Mapping[str, np.ndarray], lo: int, hi: int, tolerance: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(negative, zero within tolerance or not finite) for every distinct difference at points lo..hi."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forms = self._forms.evaluate(_env(self.names, values, lo, hi))
            tol = tolerance * np.maximum(1.0, np.max(np.abs(forms), axis=0, initial=0.0))
            valid = _valid_chance(forms, self._chance, tol)
            if not valid.all():
                self._raise_invalid(values, lo + int(np.flatnonzero(~valid)[0]))
            gaps = forms[self._stay] - forms[self._leave]
            loses = gaps < -tol
            ties = ~(gaps > tol) & ~loses
            ties |= ~np.isfinite(forms).all(axis=0)  # a payoff that cannot be computed: the solver says why
        return loses, ties

    def _judge(self, loses: np.ndarray, ties: np.ndarray) -> str | None:
        """The label of a pattern of losing and tied differences (None: a tie decides an equilibrium)."""
        members = self._members(loses, ties)
        return None if members is None else self._label(members)

    def _members(self, loses: np.ndarray, ties: np.ndarray | None = None) -> list[int] | None:
        """The profiles that are equilibria when the differences ``loses`` are negative, the ``ties``
        are zero and the rest positive (None: a tie decides whether some profile is one)."""
        members = list(self._always)
        for p, rows in self._profile_rows:
            if loses[rows].any():
                continue
            if ties is not None and ties[rows].any():
                return None
            members.append(p)
        return members

    def _label(self, members: Sequence[int]) -> str:
        key = tuple(sorted(members))
        label = self._labels_made.get(key)
        if label is None:
            label = self._labels_made[key] = combine(
                self.strategies, [tuple((a,) for a in self.profiles[p]) for p in key]
            )
        return label

    @cached_property
    def _labels_made(self) -> dict[tuple[int, ...], str]:
        """Labels already made, by their equilibria (a sweep meets a handful of sets, many times)."""
        return {}

    @cached_property
    def _profile_rows(self) -> list[tuple[int, np.ndarray]]:
        """Each profile with comparisons, and the distinct differences it needs non-negative."""
        rows: dict[int, list[int]] = {}
        for u, p in self._exact_plan:
            rows.setdefault(p, []).append(u)
        return [(p, np.asarray(sorted(set(us)), dtype=np.int64)) for p, us in rows.items()]

    @cached_property
    def _always(self) -> list[int]:
        """Profiles no deviation can change the payoff of: equilibria at every point."""
        tested = {p for p, _ in self._profile_rows}
        return [p for p in range(len(self.profiles)) if p not in tested]

    def _raise_invalid(self, values: Mapping[str, np.ndarray], k: int) -> None:
        """Let the exact game raise its located error for a point whose chance probabilities are invalid."""
        point = {**self._forms.replacements, **{n: _exact(float(np.ravel(values[n])[k])) for n in self.names}}
        point = {n: point[n] for n in self.scenario.parameters}
        self.scenario.game_at(self.scenario.with_derived(point))
        raise InputError(f"chance probabilities are invalid at {point}", file=self.scenario.file)  # pragma: no cover

    def exact_labels(self, points: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
        """(label, number of equilibria) at points of exact values of the varied parameters
        (Fractions: a tie is a tie). Differences far from zero in floating point are decided
        there; only the others are evaluated in exact arithmetic."""
        env = {n: np.array([float(pt[n]) for pt in points]) for n in self.names}
        with np.errstate(all="ignore"):
            forms = self._forms.evaluate(env)
            gaps = forms[self._stay] - forms[self._leave]
            margin = SURE * np.maximum(1.0, np.max(np.abs(forms), axis=0, initial=0.0))
            unsure = ~(np.abs(gaps) > margin)  # near zero, or not finite
        finite = np.isfinite(forms).all(axis=0)
        out = []
        for j, pt in enumerate(points):
            self._check_point(pt, finite[j])
            loses = gaps[:, j] < -margin[j]
            need = np.flatnonzero(unsure[:, j])
            if len(need):
                exact_env = {n: _exact(pt[n]) for n in self.names}
                value = _ExactForms(self._forms.forms, exact_env)
                for u in need.tolist():
                    loses[u] = value[int(self._stay[u])] < value[int(self._leave[u])]
            members = self._members(loses) or []  # ties were decided exactly: never None here
            out.append((self._label(members), len(members)))
        return out

    def _check_point(self, point: Mapping[str, Any], finite: bool) -> None:
        """Raise the general solver's located error where it would raise one: chance probabilities
        that are not a distribution, or (where a payoff is not finite in floating point) a payoff
        that cannot be evaluated."""
        if finite and not self._chance:
            return
        values = self.scenario.with_derived({n: point[n] for n in self.names})
        _check_tree(self.scenario, values)
        if not finite:
            self.scenario.game_at(values)

    @cached_property
    def _exact_plan(self) -> list[tuple[int, int]]:
        """(difference, profile) of every comparison, as Python ints."""
        return list(zip(self._pair.tolist(), self._owner.tolist()))

    def values(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """No closed-form probability or payoff columns: the label is made of pure equilibria only."""
        return {}


class _ExactForms(dict):
    """Forms evaluated exactly on first use (``value[k]``)."""

    def __init__(self, forms: Sequence[Expression], env: Mapping[str, Any]):
        super().__init__()
        self.forms, self.env = forms, env

    def __missing__(self, k: int) -> Any:
        value = self[k] = self.forms[k].evaluate(self.env)
        return value


def _distinct_patterns(loses: np.ndarray, ties: np.ndarray):
    """Group points by their pattern of signs: yields (points, first point of each pattern, pattern of
    each point), once for the points without a tie (keyed by their negative differences alone) and
    once for the few with one."""
    if not len(loses):  # no difference decides anything: one pattern
        size = loses.shape[1]
        yield np.arange(size), np.zeros(min(1, size), dtype=np.int64), np.zeros(size, dtype=np.int64)
        return
    tied = ties.any(axis=0)
    for part, planes in ((~tied, (loses,)), (tied, (loses, ties))):
        where = np.flatnonzero(part)
        if not len(where):
            continue
        packed = np.concatenate([np.packbits(plane[:, where], axis=0) for plane in planes])
        _, first, inverse = np.unique(_column_keys(packed), return_index=True, return_inverse=True)
        yield where, where[first], inverse.reshape(-1)


def _column_keys(packed: np.ndarray) -> np.ndarray:
    """One sortable key per column of bytes: a uint64 when it fits in 8 bytes (fast to sort), else the bytes."""
    rows, size = packed.shape
    if rows <= 8:
        padded = np.zeros((size, 8), dtype=np.uint8)
        padded[:, :rows] = packed.T
        return padded.view(np.uint64).reshape(-1)
    columns = np.ascontiguousarray(packed.T)
    return columns.view(np.dtype((np.void, rows))).reshape(-1)


def _check_tree(scenario: Scenario, values: Mapping[str, Any]) -> None:
    """Raise the error, located in the scenario's file, that binding the tree at ``values`` raises
    (chance probabilities that are not a distribution)."""
    try:
        scenario.extensive.check_values(values)
    except InputError as exc:
        raise exc.located(file=scenario.file) from None


def _valid_chance(forms: np.ndarray, chance: Sequence[Sequence[int]], tol: np.ndarray) -> np.ndarray:
    """Points where every chance node's probabilities are non-negative and sum to 1 (within ``tol``)."""
    ok = np.ones(forms.shape[1], dtype=bool)
    for probs in chance:
        p = forms[list(probs)]
        ok &= (p >= -tol).all(axis=0) & (np.abs(p.sum(axis=0) - 1.0) <= tol)
    return ok


_TREE_ENGINES: dict[tuple, tuple[Scenario, TreeEngine]] = {}


def closed_form_engine(
    scenario: Scenario, names: Sequence[str], values: Mapping[str, Any], *, cache: bool = True
) -> Any:
    """The engine a sweep classifies points with: :class:`TreeEngine` for a tree of three or more
    players, else the normal-form :func:`~.engine.engine_for` (both cached per scenario and fixed values;
    ``cache`` is the normal-form engine's disk cache)."""
    if not tree_engine_applies(scenario):
        return engine_for(scenario, names, values, cache=cache)
    names = tuple(names)
    key = (id(scenario), names, tuple(sorted((k, str(values[k])) for k in scenario.parameters if k not in names)))
    hit = _TREE_ENGINES.get(key)
    if hit is not None and hit[0] is scenario:
        return hit[1]
    engine = TreeEngine(scenario, names, values)
    _TREE_ENGINES[key] = (scenario, engine)
    if len(_TREE_ENGINES) > 16:
        _TREE_ENGINES.pop(next(iter(_TREE_ENGINES)))
    return engine


# ------------------------------------------------------------------ subgame perfection
@dataclass(frozen=True, eq=False)
class SubgamePerfectMap:
    """The subgame-perfect outcome at each of a set of points (arrays share ``shape``).

    ``outcomes[codes[idx]]`` names the equilibrium path(s) at a point as
    :func:`gametheory.solvers.trees.spe_label` does (``cf_first>refuse``;
    several joined by `` + `` where a tie makes several subgame perfect).
    ``exact`` is True where the point was solved by exact backward induction
    (a tie within tolerance, or a tree this vectorised path does not cover).
    """

    parameters: tuple[str, ...]
    shape: tuple[int, ...]
    outcomes: tuple[str, ...]
    codes: np.ndarray
    exact: np.ndarray
    notes: tuple[str, ...] = ()

    @cached_property
    def labels(self) -> np.ndarray:
        table = np.empty(len(self.outcomes), dtype=object)
        table[:] = list(self.outcomes)
        return table[self.codes]

    def share(self) -> dict[str, int]:
        """How many points have each outcome (most common first)."""
        counts = np.bincount(self.codes.ravel(), minlength=len(self.outcomes))
        order = np.argsort(-counts, kind="stable")
        return {self.outcomes[k]: int(counts[k]) for k in order if counts[k]}


class _Induction:
    """Vectorised backward induction on a perfect-information tree, with its payoffs as forms."""

    def __init__(self, scenario: Scenario, names: Sequence[str], values: Mapping[str, Any]):
        self.tree = scenario.extensive
        self.names = tuple(names)
        self.forms = _Forms(_replacements(scenario, self.names, values))
        players = len(self.tree.players)
        self.leaf = {
            n.index: [self.forms.add(e) for e in n.payoffs[:players]] for n in self.tree.nodes if n.kind == TERMINAL
        }
        self.chance = {
            n.index: [self.forms.add(p) for p in n.probabilities] for n in self.tree.nodes if n.kind == CHANCE
        }
        self.deciders = [n.index for n in self.tree.nodes if n.kind == DECISION]

    def run(
        self, env: Mapping[str, np.ndarray], tolerance: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(choices, tie, valid, root): the action index taken at every decision node (nodes x points),
        the points where a comparison or a chance probability is zero within tolerance, those where
        the chance probabilities are a distribution, and every player's payoff at the root (players
        x points) in the equilibrium those choices make."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forms = self.forms.evaluate(env)
            size = forms.shape[1]
            tol = tolerance * np.maximum(1.0, np.max(np.abs(forms), axis=0, initial=0.0))
            tie = ~np.isfinite(forms).all(axis=0)
            valid = _valid_chance(forms, list(self.chance.values()), tol)
            value: dict[int, np.ndarray] = {}
            choices = np.zeros((len(self.deciders), size), dtype=np.int16)
            row = {n: k for k, n in enumerate(self.deciders)}
            for node in reversed(self.tree.nodes):
                n = node.index
                if node.kind == TERMINAL:
                    value[n] = forms[self.leaf[n]]
                elif node.kind == CHANCE:
                    probs = forms[self.chance[n]]
                    tie |= (np.abs(probs) <= tol).any(axis=0)
                    value[n] = sum(p * value[c] for p, c in zip(probs, node.children))
                else:
                    stacked = np.stack([value[c] for c in node.children])  # (moves, players, points)
                    mover = stacked[:, node.player, :]
                    best = np.argmax(mover, axis=0)
                    if len(node.children) > 1:
                        top = np.sort(mover, axis=0)
                        tie |= (top[-1] - top[-2] <= tol) | np.isnan(top).any(axis=0)
                    choices[row[n]] = best
                    value[n] = np.take_along_axis(stacked, best[None, None, :], axis=0)[0]
                for c in node.children:
                    value.pop(c, None)
        return choices, tie, valid, value[0]

    def path_label(self, choice: Sequence[int]) -> str:
        """The equilibrium path when decision node ``deciders[k]`` takes action ``choice[k]``."""
        taken = dict(zip(self.deciders, choice))
        moves: list[str] = []

        def walk(n: int) -> None:
            node = self.tree.nodes[n]
            if node.kind == TERMINAL:
                return
            ks = [int(taken[n])] if node.kind == DECISION else range(len(node.children))
            for k in ks:
                moves.append(node.actions[k])
                walk(node.children[k])

        walk(0)
        return ">".join(moves)


def _exact_point(
    k: int,
    shape: tuple[int, ...],
    flat: Mapping[str, np.ndarray],
    exact: Callable[[tuple[int, ...]], Mapping[str, Fraction]] | None,
) -> dict[str, Any]:
    """Exact values of the varied parameters at flat index ``k``: from ``exact`` (grid values),
    else the floats read through their shortest decimal form."""
    if exact is not None:
        idx = np.unravel_index(k, shape) if shape else ()
        return dict(exact(tuple(int(i) for i in idx)))
    return {n: _exact(float(v[k])) for n, v in flat.items()}


def subgame_perfect_points(
    scenario: Scenario,
    values: Mapping[str, Any],
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    exact: Callable[[tuple[int, ...]], Mapping[str, Fraction]] | None = None,
    tolerance: float = TOLERANCE,
) -> SubgamePerfectMap:
    """The subgame-perfect outcome of a tree at every point of ``values`` (arrays that broadcast).

    Other parameters keep their values from the defaults, ``preset`` and ``base``.
    Perfect-information trees are solved by vectorised backward induction; at
    a tie (within ``tolerance``) the point is solved exactly
    (:func:`gametheory.solvers.trees.spe_label`) at the values ``exact(index)``
    gives, or at the floats read through their shortest decimal form. Trees
    with imperfect information are solved exactly at every point.
    """
    from ..solvers.trees import spe_label

    tree = scenario.extensive
    if tree is None:
        raise InputError("subgame-perfect outcomes need a game tree", file=scenario.file)
    names = tuple(values)
    if not names:
        raise InputError("no parameter to vary: give at least one parameter and its values", file=scenario.file)
    for name in names:
        if name not in scenario.parameters:
            known = ", ".join(scenario.parameters)
            raise InputError(f"unknown parameter {name!r}; parameters are: {known}", file=scenario.file)
    arrays = np.broadcast_arrays(*(np.asarray(values[n], dtype=np.float64) for n in names))
    shape = arrays[0].shape if arrays else ()
    flat = {n: np.ascontiguousarray(a).reshape(-1) for n, a in zip(names, arrays)}
    size = int(np.prod(shape, dtype=np.int64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fixed = scenario.parameter_values(base or {}, preset=preset)
    labels = np.empty(size, dtype=object)
    todo = np.ones(size, dtype=bool)
    notes: list[str] = []
    if tree.perfect_information:
        induction = _Induction(scenario, names, fixed)
        for lo in range(0, size, SUB_CHUNK):
            hi = min(size, lo + SUB_CHUNK)
            choices, tie, valid, _ = induction.run(_env(names, flat, lo, hi), tolerance)
            for k in np.flatnonzero(~valid)[:1]:  # exact evaluation raises the precise error
                _check_tree(scenario, scenario.with_derived({**fixed, **_exact_point(lo + int(k), shape, flat, exact)}))
            uniq, inverse = np.unique(choices.T, axis=0, return_inverse=True)
            named = np.empty(len(uniq), dtype=object)
            named[:] = [induction.path_label(u) for u in uniq]
            labels[lo:hi] = named[inverse.reshape(-1)]
            todo[lo:hi] = tie
    else:
        notes.append("the tree has imperfect information: every point was solved by exact backward induction")
    for k in np.flatnonzero(todo):
        point = _exact_point(int(k), shape, flat, exact)
        labels[k] = spe_label(tree, scenario.with_derived({**fixed, **point}))
    outcomes = tuple(sorted(set(labels.tolist())))
    lookup = {o: c for c, o in enumerate(outcomes)}
    codes = np.fromiter((lookup[x] for x in labels), dtype=np.int32, count=size)
    return SubgamePerfectMap(
        parameters=names,
        shape=tuple(shape),
        outcomes=outcomes,
        codes=codes.reshape(shape),
        exact=todo.reshape(shape),
        notes=tuple(notes),
    )


def subgame_perfect_payoffs(
    scenario: Scenario, values: Mapping[str, np.ndarray], *, base: Mapping[str, object] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every player's payoff in the subgame-perfect equilibrium of a perfect-information tree at every
    point of ``values`` (1-D arrays of the same length), by vectorised backward induction: (payoffs,
    players x points; tie, the points where a comparison is a tie within tolerance, so that several
    equilibria may be subgame perfect and the caller should solve exactly)."""
    tree = scenario.extensive
    if tree is None or not tree.perfect_information:
        raise InputError("vectorised subgame-perfect payoffs need a tree with perfect information", file=scenario.file)
    names = tuple(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fixed = scenario.parameter_values(base or {})
    flat = {n: np.asarray(values[n], dtype=np.float64).reshape(-1) for n in names}
    size = len(next(iter(flat.values()))) if flat else 0
    induction = _Induction(scenario, names, fixed)
    payoffs = np.empty((len(tree.players), size))
    tie = np.zeros(size, dtype=bool)
    for lo in range(0, size, SUB_CHUNK):
        hi = min(size, lo + SUB_CHUNK)
        _, tie[lo:hi], valid, root = induction.run(_env(names, flat, lo, hi), TOLERANCE)
        payoffs[:, lo:hi] = root
        tie[lo:hi] |= ~valid
    return payoffs, tie


# ------------------------------------------------------------------ exact points
def exact_tree_labels(
    scenario: Scenario, points: Sequence[Mapping[str, Any]], method: str = "auto"
) -> list[tuple[str, int]] | None:
    """(label, number of equilibria) of a tree of three or more players at each point of exact
    values (every parameter), as the general solver's ``"pure"`` method labels it; ``None``
    where the solver would do something else (another kind of game, another method).

    The same comparisons as :class:`TreeEngine`, made in exact arithmetic: a boundary point
    (a difference that is exactly zero) costs a few hundred Fraction subtractions in this
    process instead of building and solving the reduced normal form in a worker.
    """
    if not points or not tree_engine_applies(scenario) or method not in ("auto", "pure"):
        return None
    engine = closed_form_engine(scenario, tuple(scenario.parameters), points[0])  # every parameter free
    return engine.exact_labels(points)
