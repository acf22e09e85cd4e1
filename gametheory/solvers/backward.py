"""Subgame perfection on game trees: backward induction, subgame by subgame.

At given parameter values (a :class:`~gametheory.extensive.TreeValues`),
:func:`subgame_perfect` finds the **subgame-perfect equilibria** (Selten 1965,
1975): by backward induction when every information set is a single node
(Kuhn 1953; Zermelo's argument), and, with imperfect information, by solving
each proper subgame's normal form with :func:`gametheory.solvers.solve` and
rolling its equilibrium payoffs back up (the textbook procedure in Fudenberg
and Tirole, *Game Theory*, section 3.2; Osborne and Rubinstein, chapter 6).

It lists every subgame-perfect equilibrium in pure behaviour strategies when
every subgame's equilibria are pure (always the case for generic
perfect-information trees; with ties it lists *all* of them, not one
arbitrary pick), plus the mixed ones that the normal-form solver returns for
subgames with imperfect information (extreme points of each subgame's
equilibrium set, combined in every way).

Behaviour strategies and mixtures over reduced plans are converted both ways
by Kuhn's theorem (:func:`behaviour_to_plans`, :func:`behaviour_from_plans`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._limits import check_deadline
from ..extensive import CHANCE, TERMINAL, Number, Tree, TreeValues
from ..game import NormalFormGame, payoff_array
from . import solve

__all__ = [
    "MAX_SPE",
    "PathStep",
    "SubgamePerfect",
    "SubgameSolution",
    "behaviour_from_plans",
    "behaviour_to_plans",
    "collect_equilibria",
    "equilibrium_path",
    "fill_behaviour",
    "greater",
    "one_hot",
    "region_payoffs",
    "solve_region",
    "subgame_perfect",
    "subgame_solutions",
]

#: Most subgame-perfect equilibria kept per subgame (ties multiply them).
MAX_SPE = 500

_ZERO = Fraction(0)
_ONE = Fraction(1)
_FLOAT_TOL = 1e-9


def one_hot(k: int, size: int, exact: bool) -> tuple[Number, ...]:
    """Probability 1 on action ``k`` of ``size`` (Fractions when ``exact``): a pure move."""
    one, zero = (_ONE, _ZERO) if exact else (1.0, 0.0)
    return tuple(one if j == k else zero for j in range(size))


def greater(a: Number, b: Number) -> bool:
    """a > b, exactly for Fractions, with a small tolerance for floats."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a > b
    return float(a) > float(b) + _FLOAT_TOL * max(1.0, abs(float(b)))


@dataclass(frozen=True)
class PathStep:
    """One move on an equilibrium path: ``actor`` (a player or ``"chance"``) takes
    ``action`` at node ``node`` with probability ``probability``; the node itself is
    reached with probability ``reach``."""

    node: int
    actor: str
    action: str
    probability: Number
    reach: Number


@dataclass(frozen=True)
class SubgamePerfect:
    """One subgame-perfect equilibrium.

    ``behaviour[h]`` gives the probabilities of the actions at information set
    ``h`` (every information set, on and off the path). ``profile`` is the same
    equilibrium as a profile of the reduced normal form (a distribution over
    each player's plans, by Kuhn's theorem); ``payoffs`` are the expected
    payoffs of the players then the observers; ``path`` the moves made with
    positive probability, in tree order.
    """

    behaviour: Mapping[int, tuple[Number, ...]]
    profile: tuple[tuple[Number, ...], ...]
    payoffs: tuple[Number, ...]
    path: tuple[PathStep, ...]
    exact: bool

    @property
    def pure(self) -> bool:
        return all(max(p) == 1 for p in self.behaviour.values())

    @property
    def pure_profile(self) -> tuple[int, ...] | None:
        if not all(max(p) == 1 for p in self.profile):
            return None
        return tuple(list(p).index(max(p)) for p in self.profile)


@dataclass
class SubgameSolution:
    """A solution of one subgame: behaviour in its region (:class:`~gametheory.extensive.Region`),
    the chosen solutions of its child subgames, and the payoff vector at its root."""

    root: int
    value: tuple[Number, ...]
    behaviour: dict[int, tuple[Number, ...]]
    children: tuple[SubgameSolution, ...]

    def flatten(self, out: dict[int, tuple[Number, ...]]) -> dict[int, tuple[Number, ...]]:
        out.update(self.behaviour)
        for c in self.children:
            c.flatten(out)
        return out


def region_payoffs(
    tv: TreeValues,
    root: int,
    movers: Sequence[int],
    fixed: Mapping[int, tuple[Number, ...]],
    exits: Mapping[int, tuple[Number, ...]],
):
    """Payoff vectors of every pure region-plan profile of ``movers`` (others fixed).

    Returns ``(plan_sets, table)``: each mover's information sets in the region and
    plans there (:meth:`~gametheory.extensive.Tree.region_plans`), and the payoff
    vector (players then observers) of every combination of plan indices."""
    tree = tv.tree
    plan_sets = [tree.region_plans(root, i) for i in movers]
    out = {}
    for combo in itertools.product(*[range(len(p[1])) for p in plan_sets]):
        behaviour = dict(fixed)
        for (hs, plans), k in zip(plan_sets, combo):
            for h, a in zip(hs, plans[k]):
                behaviour[h] = one_hot(a if a is not None else 0, len(tree.infosets[h].actions), tv.exact)
        out[combo] = tv.value(behaviour, root, exits)
    return plan_sets, out


def solve_region(
    tv: TreeValues,
    root: int,
    exits: Mapping[int, tuple[Number, ...]],
    fixed: Mapping[int, tuple[Number, ...]] | None = None,
    movers: Sequence[int] | None = None,
) -> tuple[list[dict[int, tuple[Number, ...]]], list[str]]:
    """Equilibria of the region of subgame ``root`` among ``movers`` (default: everyone who
    moves there), the other movers' behaviour ``fixed``; exits are worth ``exits``.

    Returns a list of behaviours (one per equilibrium found) over the movers'
    information sets, and notes. One mover: every maximising plan (pure);
    several: every equilibrium :func:`gametheory.solvers.solve` certifies.
    """
    tree = tv.tree
    region = tree.regions[root]
    fixed = dict(fixed or {})
    movers = list(region.players if movers is None else movers)
    notes: list[str] = []
    if not movers:
        return [{}], notes
    plan_sets, table = region_payoffs(tv, root, movers, fixed, exits)
    if len(movers) == 1:
        i = movers[0]
        values = {combo[0]: vec[i] for combo, vec in table.items()}
        best = max(values.values(), key=float)
        winners = [k for k, v in values.items() if not greater(best, v)]
        hs, plans = plan_sets[0]
        out = []
        for k in winners:
            out.append(
                {
                    h: one_hot(a if a is not None else 0, len(tree.infosets[h].actions), tv.exact)
                    for h, a in zip(hs, plans[k])
                }
            )
        return out, notes
    shape = tuple(len(p[1]) for p in plan_sets)
    cells = np.empty((len(movers), *shape), dtype=object)
    for combo, vec in table.items():
        for k, i in enumerate(movers):
            cells[(k, *combo)] = vec[i]
    names = tuple(tree.players[i] for i in movers)
    strategies = tuple(tuple(f"plan{k}" for k in range(n)) for n in shape)
    game = NormalFormGame(payoff_array(cells), names, strategies, title=f"subgame {tree.nodes[root].where}")
    solution = solve(game)
    if not solution.complete:
        notes.append(f"the equilibria of the subgame {tree.nodes[root].where} may be incomplete")
    notes.extend(solution.notes)
    out = []
    for eq in solution.equilibria:
        behaviour = {}
        # An equilibrium the solver could not make exact (irrational, refined in floats) stays in
        # floats, so that nothing built on it is called exact (SubgamePerfect.exact reads the types).
        exact = tv.exact and eq.exact
        for (hs, plans), probs in zip(plan_sets, eq.profile):
            shown = probs if exact else tuple(float(p) for p in probs)
            behaviour.update(_plans_to_behaviour(tree, hs, plans, shown, exact))
        out.append(behaviour)
    return out, notes


def _plans_to_behaviour(
    tree: Tree, hs: Sequence[int], plans, probs: Sequence[Number], exact: bool
) -> dict[int, tuple[Number, ...]]:
    """Kuhn's map from a mixture over plans to behaviour at each information set
    (an information set the mixture never reaches gets its first action)."""
    out = {}
    for j, h in enumerate(hs):
        size = len(tree.infosets[h].actions)
        zero: Number = _ZERO if exact else 0.0
        num = [zero] * size
        for plan, p in zip(plans, probs):
            if plan[j] is not None and p != 0:
                num[plan[j]] += p
        total = sum(num, zero)
        out[h] = tuple(x / total for x in num) if total != 0 else one_hot(0, size, exact)
    return out


def subgame_perfect(
    tv: TreeValues, *, limit: int = MAX_SPE
) -> tuple[tuple[SubgamePerfect, ...], bool, tuple[str, ...]]:
    """All subgame-perfect equilibria of the tree at these values (see the module docstring).

    Returns ``(equilibria, complete, notes)``. Subgames are solved from the
    deepest up; each subgame's solutions are combined with every combination
    of its child subgames' solutions (so ties anywhere yield every resulting
    equilibrium). ``complete`` is False when a cap of ``limit`` solutions per
    subgame cut the list, or a subgame's solver could not prove completeness.
    """
    solutions, complete, notes = subgame_solutions(tv, limit)
    return collect_equilibria(tv, solutions[0]), complete, notes


def collect_equilibria(tv: TreeValues, subs: Sequence[SubgameSolution]) -> tuple[SubgamePerfect, ...]:
    """The distinct subgame-perfect equilibria that the solutions ``subs`` of the whole tree
    (the root's entry of :func:`subgame_solutions`) describe."""
    tree = tv.tree
    out = []
    seen = set()
    for sub in subs:
        behaviour = sub.flatten({})
        profile = behaviour_to_plans(tree, fill_behaviour(tree, behaviour, tv.exact), tv.exact)
        if profile in seen:
            continue
        seen.add(profile)
        exact = tv.exact and all(_is_exact(x) for x in (*sub.value, *(p for probs in profile for p in probs)))
        out.append(SubgamePerfect(behaviour, profile, sub.value, equilibrium_path(tv, behaviour), exact))
    return tuple(out)


def _is_exact(x: Number) -> bool:
    """Whether ``x`` is an exact number (a float entered where a subgame's equilibrium is irrational)."""
    return isinstance(x, (Fraction, int))


def fill_behaviour(
    tree: Tree, behaviour: Mapping[int, tuple[Number, ...]], exact: bool
) -> dict[int, tuple[Number, ...]]:
    """``behaviour`` with every information set it leaves out set to its first action."""
    out = dict(behaviour)
    for h in tree.infosets:
        if h.index not in out:
            out[h.index] = one_hot(0, len(h.actions), exact)
    return out


def subgame_solutions(
    tv: TreeValues, limit: int = MAX_SPE
) -> tuple[dict[int, list[SubgameSolution]], bool, tuple[str, ...]]:
    """The solutions of every subgame by its root, with ``complete`` and notes as
    :func:`subgame_perfect` returns them; subgames are solved deepest first."""
    tree = tv.tree
    regions = tree.regions
    solutions: dict[int, list[SubgameSolution]] = {}
    complete = True
    notes: list[str] = []
    for root in reversed(tree.subgame_roots):
        region = regions[root]
        child_lists = [solutions[c] for c in region.child_roots]
        found: list[SubgameSolution] = []
        for combo in itertools.product(*child_lists):
            check_deadline()  # a phase with a deadline stops here between two subgame solves
            exits = {c.root: c.value for c in combo}
            for e in region.exits:
                if tree.nodes[e].kind == TERMINAL:
                    exits[e] = tv.payoffs[e]  # type: ignore[assignment]
            behaviours, more = solve_region(tv, root, exits)
            for note in more:
                if note not in notes:
                    notes.append(note)
                if "incomplete" in note:
                    complete = False
            for behaviour in behaviours:
                value = tv.value(behaviour, root, exits)
                found.append(SubgameSolution(root, value, behaviour, tuple(combo)))
                if len(found) >= limit:
                    break
            if len(found) >= limit:
                complete = False
                notes.append(
                    f"more than {limit} subgame-perfect solutions of the subgame {tree.nodes[root].where}; only {limit} are kept"
                )
                break
        solutions[root] = found
    return solutions, complete, tuple(notes)


def behaviour_to_plans(
    tree: Tree, behaviour: Mapping[int, Sequence[Number]], exact: bool
) -> tuple[tuple[Number, ...], ...]:
    """Kuhn's map from behaviour strategies to mixtures over reduced plans: a plan's
    probability is the product of the behaviour probabilities of its actions."""
    one: Number = _ONE if exact else 1.0
    out = []
    for i, hs in enumerate(tree.player_infosets):
        if not hs:
            out.append((one,))
            continue
        row = []
        for plan in tree.plans[i]:
            p = one
            for h, a in zip(hs, plan):
                if a is not None:
                    p *= behaviour[h][a]
            row.append(p)
        out.append(tuple(row))
    return tuple(out)


def behaviour_from_plans(tree: Tree, profile: Sequence[Sequence[Number]]) -> dict[int, tuple[Number, ...] | None]:
    """Kuhn's map back: the behaviour at each information set implied by mixtures over
    reduced plans, or None where the player's own plans never reach it."""
    out: dict[int, tuple[Number, ...] | None] = {}
    for i, hs in enumerate(tree.player_infosets):
        probs = profile[i]
        exact = all(isinstance(p, Fraction) for p in probs)
        zero: Number = _ZERO if exact else 0.0
        for j, h in enumerate(hs):
            size = len(tree.infosets[h].actions)
            num = [zero] * size
            for plan, p in zip(tree.plans[i], probs):
                if plan[j] is not None and p != 0:
                    num[plan[j]] += p
            total = sum(num, zero)
            out[h] = tuple(x / total for x in num) if total != 0 else None
    return out


def equilibrium_path(tv: TreeValues, behaviour: Mapping[int, Sequence[Number]]) -> tuple[PathStep, ...]:
    """The moves made with positive probability, depth first: each move is followed by
    the moves after it (``unga, lobby, pass, accept, fail``)."""
    tree = tv.tree
    one: Number = _ONE if tv.exact else 1.0
    steps: list[PathStep] = []
    stack: list[tuple[str, Any, Number]] = [("node", 0, one)]
    while stack:
        kind, item, r = stack.pop()
        if kind == "step":
            steps.append(item)
            continue
        node = tree.nodes[item]
        if node.kind == TERMINAL:
            continue
        weights = tv.probabilities[item] if node.kind == CHANCE else behaviour[node.infoset]
        actor = "chance" if node.kind == CHANCE else tree.players[node.player]  # type: ignore[index]
        for k in range(len(node.children) - 1, -1, -1):  # pushed in reverse, popped in move order
            w = weights[k]
            if w != 0:
                stack.append(("node", node.children[k], r * w))
                stack.append(("step", PathStep(item, actor, node.actions[k], w, r), r))
    return tuple(steps)
