"""Game trees (extensive-form games): the tree model and its reduced normal form.

A tree scenario (``"form": "tree"``) describes who moves when, what each mover
knows, where chance steps in and what every end of the game is worth. This
module holds the model:

1. a validated :class:`Tree` (decision, chance and terminal nodes; information
   sets; payoff and probability *expressions* of the scenario's parameters),
   its players' reduced plans and its proper subgames;
2. the **reduced normal form** as payoff expressions, so that binding, solving,
   sweeping and threshold search work on trees exactly as on normal-form files;
3. :class:`TreeValues`: the tree at given parameter values, with its chance
   probabilities checked.

Reading a tree out of a scenario file is :mod:`gametheory.scenario.tree`'s job;
subgame perfection (backward induction) is :mod:`gametheory.solvers.backward`'s,
the credibility of threats :mod:`gametheory.solvers.credibility`'s, and the
analysis a report shows :mod:`gametheory.solvers.trees`'s.

Plans and their names
---------------------
A player's strategy in the reduced normal form is a *plan*: one action at each
of the player's information sets that the player's own earlier moves do not
rule out (Kuhn; Gambit's "reduced strategic form"). A plan is named by its
actions at the player's information sets in the order they first appear in the
tree (depth first, moves in file order), joined by ``/``, with ``-`` where the
plan's own earlier moves make the information set unreachable: Russia's plan
``refuse/-/accept`` in the sequencing game means "refuse when offered a
ceasefire first (so the after-signing node never comes), accept a force sent
first". A player with one information set has plans named by bare actions.
Plans that differ only at information sets ruled out by the player's own moves
are the same plan, so they are never listed twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from ._limits import check_game_memory
from .errors import EvaluationError, GameTooLargeError
from .expressions import Expression, parse_expression
from .numtext import parameter_text

__all__ = [
    "CHANCE",
    "DECISION",
    "TERMINAL",
    "InfoSet",
    "Node",
    "Region",
    "Tree",
    "TreeValues",
    "check_probabilities",
    "weighted_sum",
]


DECISION, CHANCE, TERMINAL = "decision", "chance", "terminal"

#: Most cells (plan profiles) of a reduced normal form.
MAX_PROFILES = 250_000

Number = Fraction | float
_ZERO = Fraction(0)
_ONE = Fraction(1)
_FLOAT_TOL = 1e-9


# ============================================================================ model
@dataclass(frozen=True)
class Node:
    """One node of a tree; nodes are stored in preorder (root first, then each
    child's subtree in move order), so the subtree of node ``n`` is the index
    range ``n .. end - 1``.

    ``history`` is the sequence of actions (of every mover, chance included)
    from the root to this node; ``path`` is its JSON path in the scenario file
    (or a line of the Gambit file it came from).
    """

    index: int
    kind: str
    history: tuple[str, ...]
    parent: int | None
    end: int
    label: str = ""
    description: str = ""
    player: int | None = None
    infoset: int | None = None
    actions: tuple[str, ...] = ()
    children: tuple[int, ...] = ()
    probabilities: tuple[Expression, ...] = ()
    payoffs: tuple[Expression, ...] = ()
    path: str = "$.tree"

    @property
    def where(self) -> str:
        """``"at the start"`` or ``"after deploy_first/target"``."""
        return "at the start" if not self.history else "after " + "/".join(self.history)


@dataclass(frozen=True)
class InfoSet:
    """An information set: decision nodes of one player that the player cannot tell apart.

    ``sequence`` lists the player's own earlier moves, as (information set,
    action index) pairs, on the way to any of its nodes (the same for every
    node: the tree has perfect recall, which :func:`gametheory.scenario.tree.parse_tree` checks).
    """

    index: int
    player: int
    label: str
    nodes: tuple[int, ...]
    actions: tuple[str, ...]
    sequence: tuple[tuple[int, int], ...]


@dataclass(frozen=True, eq=False)
class Tree:
    """A validated game tree whose payoffs and chance probabilities are expressions.

    ``payoffs`` of a terminal node hold one expression per player, then one per
    observer (non-strategic payoff columns, as in normal-form scenarios).
    """

    players: tuple[str, ...]
    observers: tuple[str, ...]
    nodes: tuple[Node, ...]
    infosets: tuple[InfoSet, ...]
    file: str | None = None

    # ------------------------------------------------------------ structure
    @property
    def root(self) -> Node:
        return self.nodes[0]

    @cached_property
    def player_infosets(self) -> tuple[tuple[int, ...], ...]:
        """Each player's information sets, in the order they first appear in the tree."""
        out: list[list[int]] = [[] for _ in self.players]
        for h in self.infosets:
            out[h.player].append(h.index)
        return tuple(tuple(x) for x in out)

    @cached_property
    def perfect_information(self) -> bool:
        """True when every information set is a single node."""
        return all(len(h.nodes) == 1 for h in self.infosets)

    @cached_property
    def leaves(self) -> tuple[int, ...]:
        return tuple(n.index for n in self.nodes if n.kind == TERMINAL)

    def infoset_name(self, h: int) -> str:
        """Where an information set is, in words: ``after cf_first/sign`` or
        ``at information set 'x' (after a or after b)``."""
        info = self.infosets[h]
        if len(info.nodes) == 1:
            return self.nodes[info.nodes[0]].where
        places = " or ".join(self.nodes[n].where for n in info.nodes[:4])
        more = f" or {len(info.nodes) - 4} more" if len(info.nodes) > 4 else ""
        return f"at information set {info.label!r} ({places}{more})"

    # ------------------------------------------------------------ plans
    @cached_property
    def plans(self) -> tuple[tuple[tuple[int | None, ...], ...], ...]:
        """Each player's reduced plans: one action index (or None, '-') per information set
        of :attr:`player_infosets`, in lexicographic order (first information set slowest)."""
        return tuple(_enumerate_plans(self, hs, None) for hs in self.player_infosets)

    @cached_property
    def plan_names(self) -> tuple[tuple[str, ...], ...]:
        names = []
        for i, hs in enumerate(self.player_infosets):
            if not hs:
                names.append(("none",))
                continue
            row = []
            for plan in self.plans[i]:
                parts = [self.infosets[h].actions[a] if a is not None else "-" for h, a in zip(hs, plan)]
                row.append("/".join(parts))
            names.append(_unique(row))
        return tuple(tuple(r) for r in names)

    @cached_property
    def plan_descriptions(self) -> tuple[tuple[str, ...], ...]:
        """Each plan in words: ``after cf_first: refuse; after deploy_first: accept``."""
        out = []
        for i, hs in enumerate(self.player_infosets):
            if not hs:
                out.append(("never moves",))
                continue
            row = []
            for plan in self.plans[i]:
                row.append(
                    "; ".join(
                        f"{self.infoset_name(h)}: {self.infosets[h].actions[a]}"
                        for h, a in zip(hs, plan)
                        if a is not None
                    )
                )
            out.append(tuple(row))
        return tuple(out)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(p) if p else 1 for p in self.plans)

    def plan_action(self, player: int, plan: int, infoset: int) -> int | None:
        """The action (index) that plan number ``plan`` of ``player`` takes at ``infoset`` (None: '-')."""
        hs = self.player_infosets[player]
        return self.plans[player][plan][hs.index(infoset)]

    # ------------------------------------------------------------ reduced normal form
    def lottery(self, choose: Callable[[Node], int], start: int = 0, stop: frozenset[int] = frozenset()):
        """Where play goes from ``start`` when every mover picks ``choose(node)``.

        Returns ``[(edges, end_node), ...]`` in preorder: each terminal node (or
        node in ``stop``) reached, with the chance moves ``(node, action index)``
        taken on the way. Without chance there is exactly one entry.
        """
        out = []
        stack = [(start, ())]
        nodes = self.nodes
        while stack:
            n, edges = stack.pop()
            node = nodes[n]
            if node.kind == TERMINAL or (n in stop and n != start):
                out.append((edges, n))
            elif node.kind == DECISION:
                stack.append((node.children[choose(node)], edges))
            else:
                for k in range(len(node.children) - 1, -1, -1):
                    stack.append((node.children[k], edges + ((n, k),)))
        return out

    def profile_lottery(self, profile: Sequence[int]):
        """:meth:`lottery` for a pure profile of reduced plans (one plan index per player)."""
        position = self._infoset_position
        plans = [self.plans[i][k] if self.plans[i] else () for i, k in enumerate(profile)]

        def choose(node: Node) -> int:
            action = plans[node.player][position[node.infoset]]
            if action is None:  # cannot happen: the plan rules out this node
                raise AssertionError(f"plan leaves node {node.where} open")
            return action

        return self.lottery(choose)

    @cached_property
    def _infoset_position(self) -> dict[int, int]:
        pos = {}
        for hs in self.player_infosets:
            for k, h in enumerate(hs):
                pos[h] = k
        return pos

    def reduced_form(self) -> tuple[np.ndarray, np.ndarray]:
        """The reduced normal form as expressions: ``(payoffs, paths)``.

        ``payoffs[k][profile]`` is the payoff expression of player ``k`` (then of
        each observer) when every player follows its plan in ``profile``: the
        payoff at the leaf reached, or with chance moves the probability-weighted
        sum of the leaves' payoffs. ``paths`` says which leaf (or leaves) a cell
        comes from, for error messages.
        """
        shape = self.shape
        count = math.prod(shape)
        if count > MAX_PROFILES:
            raise GameTooLargeError(
                f"the reduced normal form of this tree has {count:,} plan profiles "
                f"({' x '.join(map(str, shape))}); the limit is {MAX_PROFILES:,}"
            )
        rows = len(self.players) + len(self.observers)
        check_game_memory(rows, shape, what="the reduced normal form of this tree")
        payoffs = np.empty((rows, *shape), dtype=object)
        paths = np.empty((rows, *shape), dtype=object)
        everyone = self.players + self.observers
        cache: dict[tuple, tuple[list[Expression], list[str]]] = {}
        for profile in np.ndindex(*shape):
            lot = tuple(self.profile_lottery(profile))
            if lot not in cache:
                exprs, where = [], []
                for k, name in enumerate(everyone):
                    terms = [
                        (tuple(self.nodes[n].probabilities[a] for n, a in edges), self.nodes[leaf].payoffs[k])
                        for edges, leaf in lot
                    ]
                    exprs.append(weighted_sum(terms))
                    first = self.nodes[lot[0][1]]
                    text = f"{first.path}.payoffs.{name}"
                    if len(lot) > 1:
                        text += f" (and {len(lot) - 1} more leaves reached by chance)"
                    where.append(text)
                cache[lot] = (exprs, where)
            exprs, where = cache[lot]
            for k in range(rows):
                payoffs[(k, *profile)] = exprs[k]
                paths[(k, *profile)] = where[k]
        return payoffs, paths

    # ------------------------------------------------------------ values
    def evaluate(self, values: Mapping[str, Number]) -> TreeValues:
        """Chance probabilities and leaf payoffs at parameter values, checked.

        Raises :class:`~gametheory.errors.EvaluationError` (naming the file and
        the node) when a probability is negative, the probabilities at a chance
        node do not sum to 1, or a payoff cannot be evaluated.
        """
        probabilities: list[tuple[Number, ...] | None] = []
        payoffs: list[tuple[Number, ...] | None] = []
        exact = True
        everyone = self.players + self.observers
        for node in self.nodes:
            if node.kind == CHANCE:
                probs = []
                for action, expr in zip(node.actions, node.probabilities):
                    value = _evaluate(expr, values, self.file, f"{node.path}.chance.{action}")
                    probs.append(value)
                check_probabilities(probs, node, self.file, values)
                exact = exact and all(isinstance(p, Fraction) for p in probs)
                probabilities.append(tuple(probs))
                payoffs.append(None)
            elif node.kind == TERMINAL:
                vals = tuple(
                    _evaluate(expr, values, self.file, f"{node.path}.payoffs.{name}")
                    for expr, name in zip(node.payoffs, everyone)
                )
                exact = exact and all(isinstance(v, Fraction) for v in vals)
                payoffs.append(vals)
                probabilities.append(None)
            else:
                probabilities.append(None)
                payoffs.append(None)
        if not exact:
            probabilities = [None if p is None else tuple(float(x) for x in p) for p in probabilities]
            payoffs = [None if p is None else tuple(float(x) for x in p) for p in payoffs]
        return TreeValues(self, tuple(probabilities), tuple(payoffs), exact)

    def check_values(self, values: Mapping[str, Number]) -> None:
        """Raise if the tree is not a valid game at these values (called when a scenario is bound)."""
        self.evaluate(values)

    # ------------------------------------------------------------ subgames
    @cached_property
    def subgame_roots(self) -> tuple[int, ...]:
        """Non-terminal nodes that start a proper subgame (and the root), in preorder.

        A node starts a subgame when its information set is a single node and
        every information set that meets its subtree lies inside it.
        """
        nodes = self.nodes
        lo = [n.index for n in nodes]
        hi = [n.index for n in nodes]
        for h in self.infosets:
            first, last = min(h.nodes), max(h.nodes)
            for n in h.nodes:
                lo[n], hi[n] = first, last
        for n in range(len(nodes) - 1, -1, -1):  # children come after parents in preorder
            for c in nodes[n].children:
                lo[n] = min(lo[n], lo[c])
                hi[n] = max(hi[n], hi[c])
        roots = []
        for node in nodes:
            if node.kind == TERMINAL:
                continue
            if node.kind == DECISION and len(self.infosets[node.infoset].nodes) > 1:
                continue
            if lo[node.index] >= node.index and hi[node.index] < node.end:
                roots.append(node.index)
        return tuple(roots)

    @cached_property
    def regions(self) -> dict[int, Region]:
        """The :class:`Region` of every subgame, by its root: the nodes a subgame owns
        outside its own proper subgames, where solving it starts."""
        roots = set(self.subgame_roots)
        owner = [0] * len(self.nodes)
        regions: dict[int, Region] = {s: Region(s) for s in self.subgame_roots}
        for node in self.nodes:
            n = node.index
            if n in roots:
                owner[n] = n
            else:
                owner[n] = owner[node.parent]  # type: ignore[index]
            if node.kind == TERMINAL:
                continue
            s = owner[n]
            regions[s].nodes.append(n)
            for c in node.children:
                if self.nodes[c].kind == TERMINAL or c in roots:
                    regions[s].exits.append(c)
        for region in regions.values():
            infosets = []
            for n in region.nodes:
                node = self.nodes[n]
                if node.kind == DECISION and node.infoset not in infosets:
                    infosets.append(node.infoset)
            region.infosets = infosets
            region.players = sorted({self.infosets[h].player for h in infosets})
            region.exit_set = frozenset(region.exits)
            region.child_roots = [e for e in region.exits if self.nodes[e].kind != TERMINAL]
        return regions

    def region_plans(self, root: int, player: int) -> tuple[tuple[int, ...], tuple[tuple[int | None, ...], ...]]:
        """The player's information sets inside the subgame region of ``root`` and its plans there."""
        region = self.regions[root]
        key = (root, player)
        cache = self.__dict__.setdefault("_region_plan_cache", {})
        if key not in cache:
            hs = tuple(h for h in region.infosets if self.infosets[h].player == player)
            cache[key] = (hs, _enumerate_plans(self, hs, set(hs)))
        return cache[key]


@dataclass
class Region:
    """The part of a subgame outside its own proper subgames.

    ``nodes`` are its decision and chance nodes; ``exits`` the nodes where play
    leaves it (terminal nodes and the roots of its proper subgames, those in
    ``child_roots``); ``infosets`` the information sets met there and
    ``players`` their movers.
    """

    root: int
    nodes: list[int] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    infosets: list[int] = field(default_factory=list)
    players: list[int] = field(default_factory=list)
    exit_set: frozenset[int] = frozenset()
    child_roots: list[int] = field(default_factory=list)


def _enumerate_plans(tree: Tree, hs: Sequence[int], inside: set[int] | None) -> tuple[tuple[int | None, ...], ...]:
    """Reduced plans over the information sets ``hs`` (in order), one action or None each.

    An information set is open (gets an action) when every own earlier move in
    its sequence agrees with the plan; with ``inside`` given, only earlier moves
    at information sets in ``inside`` count (the rest are common to all nodes
    of a subgame).
    """
    pos = {h: k for k, h in enumerate(hs)}
    plans: list[list[int | None]] = [[]]
    for h in hs:
        info = tree.infosets[h]
        grown: list[list[int | None]] = []
        for plan in plans:
            relevant = all(plan[pos[g]] == a for g, a in info.sequence if (inside is None or g in inside) and g in pos)
            if relevant:
                for a in range(len(info.actions)):
                    grown.append(plan + [a])
            else:
                grown.append(plan + [None])
        plans = grown
        if len(plans) > MAX_PROFILES:
            raise GameTooLargeError(
                f"player {tree.players[info.player]!r} has more than {MAX_PROFILES:,} reduced plans"
            )
    return tuple(tuple(p) for p in plans)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}#{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


# ============================================================================ expressions
_CHUNK = 32  # terms per template in weighted_sum


def weighted_sum(terms: Sequence[tuple[Sequence[Expression], Expression]]) -> Expression:
    """``sum(prod(factors) * value for factors, value in terms)`` as one :class:`Expression`.

    Constant factors are multiplied out exactly, terms with a zero weight or a
    zero value are dropped, a single unweighted term is returned unchanged, and
    a sum of constants becomes one number. Built with
    :meth:`Expression.substitute` on a template of placeholder names, so the
    result is an ordinary expression (evaluable, vectorisable, symbolic).
    """
    constant = _ZERO
    kept: list[tuple[Fraction, list[Expression], Expression]] = []
    for factors, value in terms:
        weight = _ONE
        symbolic = []
        for f in factors:
            if f.is_constant:
                weight *= Fraction(f.evaluate({}))
            else:
                symbolic.append(f)
        if weight == 0:
            continue
        if value.is_constant and not symbolic:
            constant += weight * Fraction(value.evaluate({}))
            continue
        if value.is_constant and value.evaluate({}) == 0:
            continue
        kept.append((weight, symbolic, value))
    if not kept:
        return parse_expression(constant, ())
    if len(kept) == 1 and constant == 0 and kept[0][0] == 1 and not kept[0][1]:
        return kept[0][2]
    if len(kept) > _CHUNK:  # keep each template short: sum chunks, then sum the chunk sums
        parts = [
            weighted_sum([((parse_expression(w, ()), *fs), v) for w, fs, v in kept[k : k + _CHUNK]])
            for k in range(0, len(kept), _CHUNK)
        ]
        if constant:
            parts.append(parse_expression(constant, ()))
        return weighted_sum([((), part) for part in parts])
    pieces = []
    replacements: dict[str, Expression | Fraction] = {}
    for t, (weight, symbolic, value) in enumerate(kept):
        factors = []
        if weight != 1:
            replacements[f"_w{t}"] = weight
            factors.append(f"_w{t}")
        for j, f in enumerate(symbolic):
            replacements[f"_f{t}_{j}"] = f
            factors.append(f"_f{t}_{j}")
        replacements[f"_v{t}"] = value
        factors.append(f"_v{t}")
        pieces.append("*".join(factors))
    if constant != 0:
        replacements["_c"] = constant
        pieces.append("_c")
    template = parse_expression(" + ".join(pieces), tuple(replacements))
    return template.substitute(replacements)


def _evaluate(expr: Expression, values: Mapping[str, Number], file: str | None, path: str) -> Number:
    try:
        value = expr.evaluate(values)
    except EvaluationError as exc:
        exc.located(file=file, path=path)  # the same error, now with its place
        raise
    if isinstance(value, float) and not math.isfinite(value):
        raise EvaluationError(f"{expr.text!r} is not finite at these parameter values", file=file, path=path)
    return value


def check_probabilities(probs: Sequence[Number], node: Node, file: str | None, values: Mapping[str, Number]) -> None:
    """Raise :class:`~gametheory.errors.EvaluationError` (naming the file and the node) unless
    ``probs``, the probabilities at chance node ``node`` at parameter ``values``, are a
    distribution: none negative, summing to 1 (exactly for Fractions, within 1e-9 for floats)."""
    for action, p in zip(node.actions, probs):
        if p < 0:
            raise EvaluationError(
                f"the probability of {action!r} at the chance node {node.where} is {parameter_text(p)}; "
                "probabilities cannot be negative",
                file=file,
                path=f"{node.path}.chance.{action}",
            )
    total = sum(probs, _ZERO)
    ok = total == 1 if all(isinstance(p, Fraction) for p in probs) else abs(float(total) - 1) <= _FLOAT_TOL
    if not ok:
        shown = ", ".join(f"{a} {parameter_text(p)}" for a, p in zip(node.actions, probs))
        used = sorted(set().union(*(e.names for e in node.probabilities)))
        at = ", ".join(f"{k} = {parameter_text(values[k])}" for k in used if k in values)
        raise EvaluationError(
            f"the probabilities at the chance node {node.where} ({shown}) sum to {parameter_text(total)}, not 1"
            + (f", at {at}" if at else ""),
            file=file,
            path=f"{node.path}.chance",
        )


# ============================================================================ numbers at values
@dataclass(frozen=True, eq=False)
class TreeValues:
    """A tree at given parameter values: chance probabilities and leaf payoffs as numbers.

    ``probabilities[n]`` (chance nodes) and ``payoffs[n]`` (terminal nodes, players
    then observers) are Fractions when ``exact``, floats otherwise.
    """

    tree: Tree
    probabilities: tuple[tuple[Number, ...] | None, ...]
    payoffs: tuple[tuple[Number, ...] | None, ...]
    exact: bool

    def value(
        self,
        behaviour: Mapping[int, Sequence[Number]],
        start: int = 0,
        stop: Mapping[int, Sequence[Number]] | None = None,
    ) -> tuple[Number, ...]:
        """Expected payoffs (players then observers) from ``start`` when each information set
        ``h`` is played with probabilities ``behaviour[h]``; nodes in ``stop`` count as ends
        worth the given payoffs."""
        nodes = self.tree.nodes
        stop = stop or {}
        end = nodes[start].end
        order = []
        n = start
        while n < end:  # preorder walk that jumps over the subtrees of stopped nodes
            order.append(n)
            n = nodes[n].end if (n in stop and n != start) else n + 1
        val: dict[int, tuple[Number, ...]] = {}
        for n in reversed(order):
            node = nodes[n]
            if n in stop and n != start:
                val[n] = tuple(stop[n])
            elif node.kind == TERMINAL:
                val[n] = self.payoffs[n]  # type: ignore[assignment]
            else:
                weights = self.probabilities[n] if node.kind == CHANCE else behaviour[node.infoset]
                val[n] = _mix(weights, [val[c] for c in node.children], self.exact)
        return val[start]


def _mix(weights: Sequence[Number], vectors: Sequence[Sequence[Number]], exact: bool) -> tuple[Number, ...]:
    zero: Number = _ZERO if exact else 0.0
    out = [zero] * len(vectors[0])
    for w, vec in zip(weights, vectors):
        if w == 0:
            continue
        for k, v in enumerate(vec):
            out[k] += w * v
    return tuple(out)
