"""Game trees (extensive-form games): the tree, its reduced normal form, subgame perfection.

A tree scenario (``"form": "tree"``) describes who moves when, what each mover
knows, where chance steps in and what every end of the game is worth. This
module turns it into

1. a validated :class:`Tree` (decision, chance and terminal nodes; information
   sets; payoff and probability *expressions* of the scenario's parameters);
2. the **reduced normal form** as payoff expressions, so that binding, solving,
   sweeping and threshold search work on trees exactly as on normal-form files;
3. at given parameter values, the **subgame-perfect equilibria** (Selten 1965,
   1975): by backward induction when every information set is a single node
   (Kuhn 1953; Zermelo's argument), and, with imperfect information, by solving
   each proper subgame's normal form with :func:`gametheory.solve` and rolling
   its equilibrium payoffs back up (the textbook procedure in Fudenberg and
   Tirole, *Game Theory*, section 3.2; Osborne and Rubinstein, chapter 6);
4. for any strategy profile of the reduced form, whether it is subgame perfect
   and, if not, which moves it rests on that would not be made once reached
   (the non-credible threats and promises).

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

What "subgame perfect" is checked against
-----------------------------------------
:func:`subgame_perfect` lists every subgame-perfect equilibrium in pure
behaviour strategies when every subgame's equilibria are pure (always the case
for generic perfect-information trees; with ties it lists *all* of them, not
one arbitrary pick), plus the mixed ones that the normal-form solver returns
for subgames with imperfect information (extreme points of each subgame's
equilibrium set, combined in every way). :func:`check_profile` tests a profile
of the reduced form by Kuhn's theorem: it turns the mixed plans into behaviour
strategies, completes the moves the profile leaves open (information sets
that its own players' moves rule out) with best responses, and then verifies,
subgame by subgame from the bottom up, that every player's behaviour there is
a best response to the rest of the profile (one-shot deviations in
perfect-information trees). A violation found where the completion involved no
tie is definitive; otherwise the verdict is reported as undecided.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .errors import EvaluationError, ExpressionError, GameTooLargeError, InputError
from .expressions import Expression, parse_expression
from .scenario import _suggest, _text, check_payoff_names

__all__ = [
    "DECISION",
    "CHANCE",
    "TERMINAL",
    "Node",
    "InfoSet",
    "Tree",
    "TreeValues",
    "SubgamePerfect",
    "PathStep",
    "Violation",
    "Verdict",
    "TreeAnalysis",
    "parse_tree",
    "tree_form",
    "tree_scenario",
    "weighted_sum",
    "subgame_perfect",
    "check_profile",
    "behaviour_from_plans",
    "analyse_tree",
    "scenario_values",
    "spe_label",
    "spe_thresholds",
    "SpeThreshold",
    "Support",
    "verdict",
    "supports",
    "equilibrium_path",
    "path_text",
    "behaviour_to_plans",
    "structure_method",
    "analyse_structure",
]

DECISION, CHANCE, TERMINAL = "decision", "chance", "terminal"

#: Most nodes a tree may have.
MAX_NODES = 100_000
#: Deepest nesting accepted in a scenario file's tree.
MAX_DEPTH = 400
#: Most cells (plan profiles) of a reduced normal form.
MAX_PROFILES = 250_000
#: Most subgame-perfect equilibria kept per subgame (ties multiply them).
MAX_SPE = 500

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
    node: the tree has perfect recall, which :func:`parse_tree` checks).
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
    def evaluate(self, values: Mapping[str, Number]) -> "TreeValues":
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
                _check_probabilities(probs, node, self.file, values)
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
    def _regions(self) -> dict[int, "_Region"]:
        roots = set(self.subgame_roots)
        owner = [0] * len(self.nodes)
        regions: dict[int, _Region] = {s: _Region(s) for s in self.subgame_roots}
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
        region = self._regions[root]
        key = (root, player)
        cache = self.__dict__.setdefault("_region_plan_cache", {})
        if key not in cache:
            hs = tuple(h for h in region.infosets if self.infosets[h].player == player)
            cache[key] = (hs, _enumerate_plans(self, hs, set(hs)))
        return cache[key]


@dataclass
class _Region:
    """The part of a subgame outside its own proper subgames."""

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
    for k, h in enumerate(hs):
        info = tree.infosets[h]
        grown: list[list[int | None]] = []
        for plan in plans:
            relevant = all(
                plan[pos[g]] == a for g, a in info.sequence if (inside is None or g in inside) and g in pos
            )
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
        raise exc.located(file=file, path=path)
    if isinstance(value, float) and not math.isfinite(value):
        raise EvaluationError(f"{expr.text!r} is not finite at these parameter values", file=file, path=path)
    return value


def _show(x: Number) -> str:
    """A number for people: ``3``, ``0.45`` (short terminating decimals) or ``1/3``."""
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return str(x.numerator)
        for places in range(1, 7):
            if (10**places) % x.denominator == 0:
                digits = str(abs(x.numerator) * (10**places // x.denominator)).rjust(places + 1, "0")
                return ("-" if x < 0 else "") + digits[:-places] + "." + digits[-places:]
        return f"{x.numerator}/{x.denominator}"
    return f"{x:g}"


def _check_probabilities(probs: Sequence[Number], node: Node, file: str | None, values: Mapping[str, Number]) -> None:
    for action, p in zip(node.actions, probs):
        if p < 0:
            raise EvaluationError(
                f"the probability of {action!r} at the chance node {node.where} is {_show(p)}; "
                "probabilities cannot be negative",
                file=file,
                path=f"{node.path}.chance.{action}",
            )
    total = sum(probs, _ZERO)
    ok = total == 1 if all(isinstance(p, Fraction) for p in probs) else abs(float(total) - 1) <= _FLOAT_TOL
    if not ok:
        shown = ", ".join(f"{a} {_show(p)}" for a, p in zip(node.actions, probs))
        used = sorted(set().union(*(e.names for e in node.probabilities)))
        at = ", ".join(f"{k} = {_show(values[k])}" for k in used if k in values)
        raise EvaluationError(
            f"the probabilities at the chance node {node.where} ({shown}) sum to {_show(total)}, not 1"
            + (f", at {at}" if at else ""),
            file=file,
            path=f"{node.path}.chance",
        )


# ============================================================================ parsing


def _at(path: str, key: str) -> str:
    """``path.key`` for a JSON path; a position in another format (``line 12, column 1``) stays as it is."""
    return f"{path}.{key}" if path.startswith("$") else path


class _Builder:
    """Builds the node list of a tree from its JSON form, checking it as it goes."""

    def __init__(self, players: Sequence[str], observers: Sequence[str], names: Iterable[str], named: Mapping[str, Any]):
        self.players = list(players)
        self.observers = list(observers)
        self.names = frozenset(names)
        self.named = dict(named)
        self.used: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.nodes: list[dict] = []
        self.infosets: list[dict] = []
        self.by_label: dict[str, int] = {}

    def expression(self, raw: Any, path: str) -> Expression:
        try:
            return parse_expression(raw, self.names)
        except ExpressionError as exc:
            raise exc.located(path=path)

    def add(self, raw: Any, path: str, history: tuple[str, ...], parent: int | None,
            own: tuple[tuple[tuple[int, int], ...], ...], depth: int) -> int:
        if depth > MAX_DEPTH:
            raise InputError(f"the tree is nested more than {MAX_DEPTH} levels deep", path=path)
        if len(self.nodes) >= MAX_NODES:
            raise InputError(f"the tree has more than {MAX_NODES:,} nodes", path=path)
        label = ""
        if isinstance(raw, str):
            ref = raw
            if ref not in self.named:
                known = ", ".join(list(self.named)[:10]) or "(none: there is no 'nodes' section)"
                raise InputError(f"unknown node {ref!r}{_suggest(ref, self.named)}; nodes defined under 'nodes': {known}", path=path)
            if ref in self.used:
                raise InputError(
                    f"node {ref!r} is reached twice (first from {self.used[ref]}): in a tree every node has "
                    "exactly one way in; to model a mover who cannot tell two situations apart, give two "
                    "separate nodes the same 'infoset'",
                    path=path,
                )
            self.used[ref] = path
            raw, path, label = self.named[ref], f"$.nodes.{ref}", ref
        if not isinstance(raw, dict):
            raise InputError("a node must be an object (or the name of a node under 'nodes')", path=path)
        path = raw.get("_where", path)  # where a node read from another format (a .efg line) came from
        label = raw.get("id", label) or label
        if label:
            if label in self.labels:
                raise InputError(f"duplicate node id {label!r} (also at {self.labels[label]})", path=path)
            self.labels[label] = path
        kinds = [k for k in ("player", "chance", "payoffs") if k in raw]
        if len(kinds) != 1:
            what = "has none of" if not kinds else f"has {' and '.join(repr(k) for k in kinds)}; give only one of"
            raise InputError(
                f"a node {what} 'player' (a decision), 'chance' (a chance move) or 'payoffs' (an end of the game)",
                path=path,
            )
        index = len(self.nodes)
        record: dict[str, Any] = {
            "index": index, "history": history, "parent": parent, "label": label, "path": path,
            "description": _text(raw.get("description")),
        }
        self.nodes.append(record)
        if "payoffs" in raw:
            for key in ("moves", "infoset"):
                if key in raw:
                    raise InputError(f"an end node (with 'payoffs') cannot have {key!r}", path=f"{path}.{key}")
            record["kind"] = TERMINAL
            record["payoffs"] = self.payoffs(raw["payoffs"], f"{path}.payoffs")
            record["end"] = index + 1
            return index
        moves = raw.get("moves")
        if not isinstance(moves, dict) or not moves:
            raise InputError("a decision or chance node needs 'moves': an object from action names to nodes", path=path)
        actions = tuple(moves)
        for action in actions:
            if not action or "/" in action or action != action.strip() or action == "-":
                raise InputError(
                    f"action name {action!r} is not allowed: use a non-empty name without '/', not '-', "
                    "and without spaces at either end",
                    path=_at(path, "moves"),
                )
        record["actions"] = actions
        if "player" in raw:
            name = raw["player"]
            if name not in self.players:
                if name in self.observers:
                    raise InputError(f"{name!r} is an observer, who receives payoffs but never moves", path=_at(path, "player"))
                raise InputError(
                    f"unknown player {name!r}{_suggest(name, self.players)}; players are {', '.join(self.players)}",
                    path=_at(path, "player"),
                )
            player = self.players.index(name)
            record["kind"] = DECISION
            record["player"] = player
            h = self.infoset(raw.get("infoset"), player, actions, own[player], index, path)
            record["infoset"] = h
            children = []
            for k, action in enumerate(actions):
                grown = list(own)
                grown[player] = own[player] + ((h, k),)
                children.append(self.add(moves[action], f"{path}.moves.{action}", history + (action,), index, tuple(grown), depth + 1))
        else:
            if "infoset" in raw:
                raise InputError("a chance node has no information set", path=_at(path, "infoset"))
            chance = raw["chance"]
            if not isinstance(chance, dict):
                raise InputError("'chance' must be an object from action names to probabilities", path=_at(path, "chance"))
            missing = [a for a in actions if a not in chance]
            extra = [a for a in chance if a not in moves]
            if missing or extra:
                bits = []
                if missing:
                    bits.append(f"no probability for {', '.join(map(repr, missing))}")
                if extra:
                    bits.append(f"a probability for {', '.join(map(repr, extra))}, which is not among the moves")
                raise InputError(
                    f"'chance' must give one probability per move ({', '.join(actions)}): " + "; ".join(bits),
                    path=_at(path, "chance"),
                )
            record["kind"] = CHANCE
            probs = tuple(self.expression(chance[a], f"{path}.chance.{a}") for a in actions)
            record["probabilities"] = probs
            if all(p.is_constant for p in probs):
                fake = Node(index, CHANCE, history, parent, index + 1, actions=actions, probabilities=probs, path=path)
                _check_probabilities([p.evaluate({}) for p in probs], fake, None, {})
            children = [
                self.add(moves[a], f"{path}.moves.{a}", history + (a,), index, own, depth + 1) for a in actions
            ]
        record["children"] = tuple(children)
        record["end"] = len(self.nodes)
        return index

    def infoset(self, label: Any, player: int, actions: tuple[str, ...], sequence, node: int, path: str) -> int:
        if label is None:
            h = len(self.infosets)
            self.infosets.append({"player": player, "label": self.nodes[node]["label"] or "/".join(self.nodes[node]["history"]) or "root",
                                  "nodes": [node], "actions": actions, "sequence": sequence, "path": path})
            return h
        if label in self.by_label:
            h = self.by_label[label]
            info = self.infosets[h]
            first = info["path"]
            if info["player"] != player:
                raise InputError(
                    f"information set {label!r} belongs to {self.players[info['player']]} at {first}, "
                    f"but this node is {self.players[player]}'s: one information set, one player",
                    path=_at(path, "player"),
                )
            if info["actions"] != actions:
                raise InputError(
                    f"information set {label!r} offers ({', '.join(info['actions'])}) at {first} but "
                    f"({', '.join(actions)}) here: every node of an information set must offer the same moves, "
                    "in the same order, or the mover could tell the nodes apart",
                    path=_at(path, "moves"),
                )
            if info["sequence"] != sequence:
                raise InputError(
                    f"information set {label!r} breaks perfect recall: {self.players[player]} reaches the node at {first} and "
                    "this node after different moves of its own (or one lies below the other), so it would have to "
                    "forget what it did; this tool needs perfect recall",
                    path=_at(path, "infoset"),
                )
            info["nodes"].append(node)
            return h
        h = len(self.infosets)
        self.by_label[label] = h
        self.infosets.append({"player": player, "label": str(label), "nodes": [node], "actions": actions,
                              "sequence": sequence, "path": path})
        return h

    def payoffs(self, raw: Any, path: str) -> tuple[Expression, ...]:
        everyone = self.players + self.observers
        if isinstance(raw, list):
            if len(raw) != len(everyone):
                raise InputError(f"expected {len(everyone)} payoffs ({', '.join(everyone)}), found {len(raw)}", path=path)
            return tuple(self.expression(v, f"{path}[{k}]") for k, v in enumerate(raw))
        if not isinstance(raw, dict):
            raise InputError("'payoffs' must be an object from player names to payoffs, or a list", path=path)
        check_payoff_names(raw, list(everyone), path)
        return tuple(self.expression(raw[n], f"{path}.{n}") for n in everyone)

    def finish(self, file: str | None, allow_idle: bool) -> Tree:
        unused = [name for name in self.named if name not in self.used]
        if unused:
            raise InputError(f"node {unused[0]!r} is defined but never reached from 'tree'", path=f"$.nodes.{unused[0]}")
        if not any(n["kind"] == DECISION for n in self.nodes):
            raise InputError("the tree has no decision node: at least one player must move", path="$.tree")
        movers = {info["player"] for info in self.infosets}
        if not allow_idle:
            for i, name in enumerate(self.players):
                if i not in movers:
                    raise InputError(
                        f"player {name!r} never moves in the tree; list it under 'observers' if it only receives payoffs",
                        path="$.players",
                    )
        nodes = tuple(
            Node(
                index=r["index"], kind=r["kind"], history=r["history"], parent=r["parent"], end=r["end"],
                label=r["label"], description=r["description"], player=r.get("player"), infoset=r.get("infoset"),
                actions=r.get("actions", ()), children=r.get("children", ()), probabilities=r.get("probabilities", ()),
                payoffs=r.get("payoffs", ()), path=r["path"],
            )
            for r in self.nodes
        )
        infosets = tuple(
            InfoSet(k, i["player"], i["label"], tuple(i["nodes"]), i["actions"], i["sequence"])
            for k, i in enumerate(self.infosets)
        )
        return Tree(tuple(self.players), tuple(self.observers), nodes, infosets, file)


def parse_tree(
    root: Any,
    players: Sequence[str],
    observers: Sequence[str] = (),
    names: Iterable[str] = (),
    *,
    nodes: Mapping[str, Any] | None = None,
    file: str | None = None,
    allow_idle_players: bool = False,
) -> Tree:
    """Validate a tree given in the scenario-file form (see docs/reference/scenario-format.md).

    ``root`` is the ``"tree"`` section (a node object, or the name of an entry of
    ``nodes``); ``names`` are the parameter and derived names expressions may use.
    Raises :class:`InputError` with the JSON path of the offending node for:
    unknown players, a node that is both a decision and an end, chance
    probabilities that are negative or do not sum to 1 (when they are
    constants; otherwise when the scenario is bound), an information set whose
    nodes belong to different players or offer different moves, an
    information set that breaks perfect recall, a node reached twice, a node
    defined but never reached, a tree without decisions, a player who never
    moves.
    """
    builder = _Builder(players, observers, names, nodes or {})
    start = tuple(() for _ in players)
    try:
        builder.add(root, "$.tree", (), None, start, 0)
        return builder.finish(file, allow_idle_players)
    except InputError as exc:
        raise exc.located(file=file)


# ============================================================================ scenarios
def tree_form(data: Mapping[str, Any], players, observers, names) -> tuple[tuple, np.ndarray, np.ndarray, dict]:
    """The scenario pieces of a ``"form": "tree"`` file: players with their plans, the
    reduced-form payoff expressions, their paths, and ``{"extensive": tree}``.

    Called by :func:`gametheory.scenario.parse_scenario` after the schema check.
    """
    from .scenario import Player

    for k, item in enumerate(data["players"]):
        for key in ("strategies", "actions", "types"):
            if key in item:
                raise InputError(
                    f"players of a tree have no {key!r}: their plans come from the tree's moves",
                    path=f"$.players[{k}].{key}",
                )
    for key in ("payoffs", "matrix", "nature", "prior"):
        if key in data:
            raise InputError(f"a tree file has no top-level {key!r} (payoffs sit at the ends of 'tree')", path=f"$.{key}")
    tree = parse_tree(
        data["tree"],
        [p.name for p in players],
        [o.name for o in observers],
        names,
        nodes=data.get("nodes", {}),
    )
    payoffs, paths = tree.reduced_form()
    new_players = tuple(
        Player(p.name, tree.plan_names[i], p.description, tree.plan_descriptions[i]) for i, p in enumerate(players)
    )
    return new_players, payoffs, paths, {"extensive": tree}


def tree_scenario(tree: Tree, title: str, *, file: str | None = None, description: str = ""):
    """A parameter-free :class:`~gametheory.scenario.Scenario` for a tree with constant payoffs
    (e.g. read from a Gambit ``.efg`` file)."""
    from .scenario import Player, Scenario

    payoffs, paths = tree.reduced_form()
    players = tuple(Player(name, tree.plan_names[i], "", tree.plan_descriptions[i]) for i, name in enumerate(tree.players))
    return Scenario(
        title=title,
        players=players,
        parameters={},
        derived={},
        payoffs=payoffs,
        payoff_paths=paths,
        description=description,
        observers=tuple(Player(o, ()) for o in tree.observers),
        file=file,
        extensive=tree,
    )


def scenario_values(scenario, parameters: Mapping[str, Number]) -> dict[str, Number]:
    """Parameter values plus every derived value, as bound games leave them out
    (no range warnings: the game was bound already)."""
    values: dict[str, Number] = dict(scenario.defaults)
    values.update(parameters)
    for name, derived in scenario.derived.items():
        try:
            values[name] = derived.expression.evaluate(values)
        except EvaluationError:
            pass
    return values


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

    def value(self, behaviour: Mapping[int, Sequence[Number]], start: int = 0,
               stop: Mapping[int, Sequence[Number]] | None = None) -> tuple[Number, ...]:
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


def _one_hot(k: int, size: int, exact: bool) -> tuple[Number, ...]:
    one, zero = (_ONE, _ZERO) if exact else (1.0, 0.0)
    return tuple(one if j == k else zero for j in range(size))


def _greater(a: Number, b: Number) -> bool:
    """a > b, exactly for Fractions, with a small tolerance for floats."""
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a > b
    return float(a) > float(b) + _FLOAT_TOL * max(1.0, abs(float(b)))


# ============================================================================ subgame perfection
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
class _Sub:
    """A solution of one subgame: behaviour in its region, the chosen solutions of its
    child subgames, and the payoff vector at its root."""

    root: int
    value: tuple[Number, ...]
    behaviour: dict[int, tuple[Number, ...]]
    children: tuple["_Sub", ...]

    def flatten(self, out: dict[int, tuple[Number, ...]]) -> dict[int, tuple[Number, ...]]:
        out.update(self.behaviour)
        for c in self.children:
            c.flatten(out)
        return out


def _region_game_values(tv: TreeValues, root: int, movers: Sequence[int], fixed: Mapping[int, tuple[Number, ...]],
                        exits: Mapping[int, tuple[Number, ...]]):
    """Payoff vectors of every pure region-plan profile of ``movers`` (others fixed)."""
    tree = tv.tree
    plan_sets = [tree.region_plans(root, i) for i in movers]
    out = {}
    for combo in itertools.product(*[range(len(p[1])) for p in plan_sets]):
        behaviour = dict(fixed)
        for (hs, plans), k in zip(plan_sets, combo):
            for h, a in zip(hs, plans[k]):
                behaviour[h] = _one_hot(a if a is not None else 0, len(tree.infosets[h].actions), tv.exact)
        out[combo] = tv.value(behaviour, root, exits)
    return plan_sets, out


def _solve_region(tv: TreeValues, root: int, exits: Mapping[int, tuple[Number, ...]],
                  fixed: Mapping[int, tuple[Number, ...]] | None = None,
                  movers: Sequence[int] | None = None) -> tuple[list[dict[int, tuple[Number, ...]]], list[str]]:
    """Equilibria of the region of subgame ``root`` among ``movers`` (default: everyone who
    moves there), the other movers' behaviour ``fixed``; exits are worth ``exits``.

    Returns a list of behaviours (one per equilibrium found) over the movers'
    information sets, and notes. One mover: every maximising plan (pure);
    several: every equilibrium :func:`gametheory.solve` certifies.
    """
    tree = tv.tree
    region = tree._regions[root]
    fixed = dict(fixed or {})
    movers = list(region.players if movers is None else movers)
    notes: list[str] = []
    if not movers:
        return [{}], notes
    plan_sets, table = _region_game_values(tv, root, movers, fixed, exits)
    if len(movers) == 1:
        i = movers[0]
        values = {combo[0]: vec[i] for combo, vec in table.items()}
        best = max(values.values(), key=float)
        winners = [k for k, v in values.items() if not _greater(best, v)]
        hs, plans = plan_sets[0]
        out = []
        for k in winners:
            out.append({h: _one_hot(a if a is not None else 0, len(tree.infosets[h].actions), tv.exact)
                        for h, a in zip(hs, plans[k])})
        return out, notes
    from .game import NormalFormGame, payoff_array
    from .solvers import solve

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
        for (hs, plans), probs in zip(plan_sets, eq.profile):
            behaviour.update(_plans_to_behaviour(tree, hs, plans, probs, tv.exact))
        out.append(behaviour)
    return out, notes


def _plans_to_behaviour(tree: Tree, hs: Sequence[int], plans, probs: Sequence[Number], exact: bool) -> dict[int, tuple[Number, ...]]:
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
        out[h] = tuple(x / total for x in num) if total != 0 else _one_hot(0, size, exact)
    return out


def subgame_perfect(tv: TreeValues, *, limit: int = MAX_SPE) -> tuple[tuple[SubgamePerfect, ...], bool, tuple[str, ...]]:
    """All subgame-perfect equilibria of the tree at these values (see the module docstring).

    Returns ``(equilibria, complete, notes)``. Subgames are solved from the
    deepest up; each subgame's solutions are combined with every combination
    of its child subgames' solutions (so ties anywhere yield every resulting
    equilibrium). ``complete`` is False when a cap of ``limit`` solutions per
    subgame cut the list, or a subgame's solver could not prove completeness.
    """
    solutions, complete, notes = _subgame_solutions(tv, limit)
    return _collect(tv, solutions[0]), complete, notes


def _collect(tv: TreeValues, subs: Sequence["_Sub"]) -> tuple[SubgamePerfect, ...]:
    tree = tv.tree
    out = []
    seen = set()
    for sub in subs:
        behaviour = sub.flatten({})
        profile = behaviour_to_plans(tree, _full_behaviour(tree, behaviour, tv.exact), tv.exact)
        if profile in seen:
            continue
        seen.add(profile)
        out.append(SubgamePerfect(behaviour, profile, sub.value, equilibrium_path(tv, behaviour), tv.exact))
    return tuple(out)


def _full_behaviour(tree: Tree, behaviour: Mapping[int, tuple[Number, ...]], exact: bool) -> dict[int, tuple[Number, ...]]:
    out = dict(behaviour)
    for h in tree.infosets:
        if h.index not in out:
            out[h.index] = _one_hot(0, len(h.actions), exact)
    return out


def _subgame_solutions(tv: TreeValues, limit: int = MAX_SPE) -> tuple[dict[int, list["_Sub"]], bool, tuple[str, ...]]:
    """The solutions of every subgame, deepest first (see :func:`subgame_perfect`)."""
    tree = tv.tree
    regions = tree._regions
    solutions: dict[int, list[_Sub]] = {}
    complete = True
    notes: list[str] = []
    for root in reversed(tree.subgame_roots):
        region = regions[root]
        child_lists = [solutions[c] for c in region.child_roots]
        found: list[_Sub] = []
        for combo in itertools.product(*child_lists):
            exits = {c.root: c.value for c in combo}
            for e in region.exits:
                if tree.nodes[e].kind == TERMINAL:
                    exits[e] = tv.payoffs[e]  # type: ignore[assignment]
            behaviours, more = _solve_region(tv, root, exits)
            for note in more:
                if note not in notes:
                    notes.append(note)
                if "incomplete" in note:
                    complete = False
            for behaviour in behaviours:
                value = tv.value(behaviour, root, exits)
                found.append(_Sub(root, value, behaviour, tuple(combo)))
                if len(found) >= limit:
                    break
            if len(found) >= limit:
                complete = False
                notes.append(f"more than {limit} subgame-perfect solutions of the subgame {tree.nodes[root].where}; only {limit} are kept")
                break
        solutions[root] = found
    return solutions, complete, tuple(notes)


def behaviour_to_plans(tree: Tree, behaviour: Mapping[int, Sequence[Number]], exact: bool) -> tuple[tuple[Number, ...], ...]:
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


def path_text(tv: TreeValues, behaviour: Mapping[int, Sequence[Number]], start: int = 0) -> str:
    """The equilibrium path in words: ``Coalition unga -> Russia lobby -> chance: [pass (3/10)
    -> Russia accept | fail (7/10)]``; mixed moves branch the same way."""
    tree = tv.tree
    parts = []
    n = start
    while tree.nodes[n].kind != TERMINAL:
        node = tree.nodes[n]
        weights = tv.probabilities[n] if node.kind == CHANCE else behaviour[node.infoset]
        actor = "chance" if node.kind == CHANCE else tree.players[node.player]  # type: ignore[index]
        used = [k for k, w in enumerate(weights) if w != 0]
        if len(used) == 1:
            parts.append(f"{actor} {node.actions[used[0]]}")
            n = node.children[used[0]]
            continue
        branches = []
        for k in used:
            rest = path_text(tv, behaviour, node.children[k])
            head = f"{node.actions[k]} ({_show(weights[k])})"
            branches.append(f"{head} -> {rest}" if rest else head)
        parts.append(f"{actor}: [" + " | ".join(branches) + "]")
        break
    return " -> ".join(parts)


# ============================================================================ credibility
@dataclass(frozen=True)
class Violation:
    """A move (or, in a subgame with imperfect information, a set of moves) that a
    profile prescribes but that would not be a best response once reached.

    ``player`` would rather play ``better`` than ``moves`` in the subgame that
    starts at node ``root``: ``better_payoff`` > ``payoff``. ``definitive`` is
    False when the comparison depends on how the profile's open moves were
    completed (a tie below). ``better_actions`` are the better moves as
    (information set, action index) pairs.
    """

    root: int
    player: str
    where: str
    moves: str
    better: str
    payoff: Number
    better_payoff: Number
    definitive: bool
    on_path: bool
    better_actions: tuple[tuple[int, int], ...] = ()

    @property
    def text(self) -> str:
        return (
            f"{self.player}: {self.moves} {self.where} is not a best response once reached: "
            f"{self.better} gives {_short(self.better_payoff)} > {_short(self.payoff)}"
        )

    @property
    def short(self) -> str:
        """``US intervene after deploy_first/target (abstain gives -8 > -9)``."""
        return f"{self.player} {self.moves} {self.where} ({self.better} gives {_short(self.better_payoff)} > {_short(self.payoff)})"


@dataclass(frozen=True)
class Support:
    """What a Nash equilibrium that is not subgame perfect rests on.

    On the equilibrium path ``player`` plays ``action`` at node ``node``
    (payoff ``payoff``); switching to ``alternative`` would pay
    (``alternative_payoff``) if everything after it were played credibly, i.e.
    as in a subgame-perfect equilibrium of the subgame that follows. What
    stops the switch are the equilibrium's moves in ``moves``: moves after the
    switch that credible play replaces, each one worse for its mover, once
    reached, than the credible move (a non-credible threat or promise).
    """

    player: str
    node: int
    where: str
    action: str
    alternative: str
    payoff: Number
    alternative_payoff: Number
    moves: tuple[Violation, ...]

    @property
    def text(self) -> str:
        return (
            f"{self.player} would switch from {self.action} to {self.alternative} {self.where} "
            f"({_short(self.alternative_payoff)} > {_short(self.payoff)}) if the moves that follow were credible"
        )


@dataclass(frozen=True)
class Verdict:
    """Whether a profile of the reduced form is subgame perfect (None: undecided), and why not.

    ``violations``: every move of the profile that is not a best response once
    reached, given the rest of the profile (one-shot deviations, subgame by
    subgame). ``supports`` (pure profiles only): the deviations from the path
    that only non-credible moves deter; their ``moves`` are the non-credible
    threats or promises the equilibrium rests on. A profile with violations
    but no supports is not subgame perfect, but its outcome does not depend on
    that: it merely prescribes wrong moves off its path.
    """

    subgame_perfect: bool | None
    violations: tuple[Violation, ...] = ()
    note: str = ""
    supports: tuple[Support, ...] = ()

    @property
    def noncredible(self) -> tuple[Violation, ...]:
        """The non-credible moves the profile rests on (those of every support, once each)."""
        seen, out = set(), []
        for sup in self.supports:
            for v in sup.moves:
                if (v.root, v.moves) not in seen:
                    seen.add((v.root, v.moves))
                    out.append(v)
        return tuple(out)


def _short(x: Number) -> str:
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return str(x.numerator)
        for places in range(1, 5):
            if (10**places) % x.denominator == 0:
                return f"{float(x):.{places}f}"
        return f"{x.numerator}/{x.denominator}"
    return f"{float(x):.4g}"


def _describe_behaviour(tree: Tree, hs: Sequence[int], behaviour: Mapping[int, Sequence[Number]], exact: bool) -> str:
    parts = []
    for h in hs:
        probs = behaviour[h]
        actions = tree.infosets[h].actions
        used = [(a, p) for a, p in zip(actions, probs) if p != 0]
        text = used[0][0] if len(used) == 1 else "mixing " + ", ".join(f"{a} {_short(p)}" for a, p in used)
        if len(hs) > 1:
            text += f" {tree.infoset_name(h)}"
        parts.append(text)
    return "; ".join(parts)


def check_profile(tv: TreeValues, profile: Sequence[Sequence[Number]]) -> tuple[tuple[Violation, ...], bool, dict[int, tuple[Number, ...]]]:
    """Sequential rationality of a reduced-form profile, subgame by subgame.

    Returns ``(violations, ambiguous, completed)``. The profile's mixtures over plans are
    turned into behaviour strategies (Kuhn); information sets the profile's own
    players never reach are completed, subgame by subgame from the bottom, by
    best responses (an equilibrium among those players); then in every
    subgame each player whose moves the profile does fix must be playing a best
    response there to the rest of the completed profile. No violation means the
    completed profile is subgame perfect. ``ambiguous`` is True when a
    completion step had a tie (another completion might judge differently);
    ``completed`` is the completed behaviour at every information set.
    """
    tree = tv.tree
    regions = tree._regions
    given = behaviour_from_plans(tree, profile)
    behaviour: dict[int, tuple[Number, ...]] = {}
    value: dict[int, tuple[Number, ...]] = {}
    ambiguous_below: dict[int, bool] = {}
    violations: list[Violation] = []
    # reach probability of each node under the profile (for "on the path")
    completed_for_reach: dict[int, tuple[Number, ...]] = {}
    for root in reversed(tree.subgame_roots):
        region = regions[root]
        exits = {}
        amb = False
        for e in region.exits:
            if tree.nodes[e].kind == TERMINAL:
                exits[e] = tv.payoffs[e]
            else:
                exits[e] = value[e]
                amb = amb or ambiguous_below[e]
        free: list[int] = []
        for i in region.players:
            hs = [h for h in region.infosets if tree.infosets[h].player == i]
            open_ = [h for h in hs if given[h] is None]
            if len(open_) == len(hs):
                free.append(i)
            for h in hs:
                behaviour[h] = given[h] if given[h] is not None else _one_hot(0, len(tree.infosets[h].actions), tv.exact)
        if free:
            fixed = {h: behaviour[h] for h in region.infosets if tree.infosets[h].player not in free}
            fills, _ = _solve_region(tv, root, exits, fixed, free)
            pure = [f for f in fills if all(max(p) == 1 for p in f.values())]
            chosen = (pure or fills)[0]
            if len({tv.value({**fixed, **f}, root, exits) for f in fills}) > 1:
                amb = True
            behaviour.update(chosen)
        value[root] = tv.value(behaviour, root, exits)
        ambiguous_below[root] = amb
        for i in region.players:
            if i in free:
                continue
            hs = [h for h in region.infosets if tree.infosets[h].player == i]
            fixed = {h: behaviour[h] for h in region.infosets if tree.infosets[h].player != i}
            plan_sets, table = _region_game_values(tv, root, [i], fixed, exits)
            current = value[root][i]
            best_combo, best = max(table.items(), key=lambda kv: float(kv[1][i]))
            for combo, vec in table.items():  # exact maximum (floats only pick a candidate)
                if _greater(vec[i], best[i]):
                    best_combo, best = combo, vec
            if _greater(best[i], current):
                rhs, plans = plan_sets[0]
                plan = plans[best_combo[0]]
                alt = {h: _one_hot(a if a is not None else 0, len(tree.infosets[h].actions), tv.exact) for h, a in zip(rhs, plan)}
                better = _describe_behaviour(tree, [h for h, a in zip(rhs, plan) if a is not None], alt, tv.exact)
                moves = _describe_behaviour(tree, hs, behaviour, tv.exact)
                if len(hs) == 1:
                    where = tree.infoset_name(hs[0])
                    moves = moves
                else:
                    where = f"in the subgame {tree.nodes[root].where}"
                better_actions = tuple((h, a) for h, a in zip(rhs, plan) if a is not None)
                violations.append(
                    Violation(root, tree.players[i], where, moves, better, current, best[i], not amb, False, better_actions)
                )
        completed_for_reach.update(behaviour)
    # which violations sit on the path actually played
    reach = _reach(tv, completed_for_reach)
    violations = [dataclasses.replace(v, on_path=reach.get(v.root, 0) != 0) for v in violations]
    violations.sort(key=lambda v: v.root)
    return tuple(violations), any(ambiguous_below.values()), completed_for_reach


def _reach(tv: TreeValues, behaviour: Mapping[int, Sequence[Number]]) -> dict[int, Number]:
    tree = tv.tree
    reach: dict[int, Number] = {0: _ONE if tv.exact else 1.0}
    for node in tree.nodes:
        r = reach.get(node.index)
        if r is None or node.kind == TERMINAL:
            continue
        weights = tv.probabilities[node.index] if node.kind == CHANCE else behaviour[node.infoset]
        for w, c in zip(weights, node.children):
            reach[c] = r * w
    return reach


def verdict(tv: TreeValues, profile: Sequence[Sequence[Number]], spe_profiles: set | None = None) -> Verdict:
    """Subgame perfection of one reduced-form profile (see :func:`check_profile`).

    A pure profile is subgame perfect when it is the reduced form of one of the
    subgame-perfect equilibria in ``spe_profiles`` or the completed profile
    passes every check; otherwise it is not, and the violations say why.
    For a mixed profile: subgame perfect when the completed profile passes;
    not, when a violation does not depend on a tie in the completion;
    undecided otherwise.
    """
    violations, _, _ = check_profile(tv, profile)
    pure = all(max(p) == 1 for p in profile)
    if pure and spe_profiles is not None and _profile_key(profile) in spe_profiles:
        return Verdict(True)
    if not violations:
        return Verdict(True)
    if pure or any(v.definitive for v in violations):
        return Verdict(False, violations)
    return Verdict(None, violations, "the moves this profile leaves open could be completed in other ways; not decided")


def supports(tv: TreeValues, solutions: Mapping[int, Sequence[_Sub]], profile: Sequence[Sequence[Number]]) -> tuple[Support, ...]:
    """The deviations from a pure profile's path that only non-credible moves deter.

    For every node on the path and every move its mover does not make there,
    the play after that move is replaced by each subgame-perfect equilibrium of
    the subgame it leads to; if the switch then pays under every one of them,
    the profile rests on its own moves in that subgame, and the moves that
    differ from credible play there (and are worse for their movers, once
    reached, given credible play afterwards) are named.
    """
    tree = tv.tree
    _, _, behaviour = check_profile(tv, profile)
    defined = {h for h, b in behaviour_from_plans(tree, profile).items() if b is not None}
    reach = _reach(tv, behaviour)
    roots = set(tree.subgame_roots)
    out = []
    for node in tree.nodes:
        if node.kind != DECISION or reach.get(node.index, 0) == 0:
            continue
        probs = behaviour[node.infoset]
        if max(probs) != 1:
            continue
        taken = list(probs).index(max(probs))
        i = node.player
        current = tv.value(behaviour, node.index)[i]
        for k, child in enumerate(node.children):
            if k == taken or child not in roots or not solutions.get(child):
                continue
            subs = solutions[child]
            if not all(_greater(sub.value[i], current) for sub in subs):
                continue
            credible = _full_behaviour(tree, {**behaviour, **subs[0].flatten({})}, tv.exact)
            moves = _replaced_moves(tv, child, behaviour, credible, defined)
            out.append(
                Support(tree.players[i], node.index, tree.infoset_name(node.infoset), node.actions[taken],
                        node.actions[k], current, subs[0].value[i], moves)
            )
    return tuple(out)


def _replaced_moves(tv: TreeValues, start: int, behaviour: Mapping[int, Sequence[Number]],
                    credible: Mapping[int, Sequence[Number]], defined: set[int]) -> tuple[Violation, ...]:
    """The moves the profile itself fixes (information sets in ``defined``) in the subgame at
    ``start``, at points its play (``behaviour``) reaches from there, that are worse for their
    mover than the best move given credible play (``credible``) everywhere else: the threats
    or promises that do not survive there. A single node is judged where it stands; an
    information set of several nodes by the mover's payoff in the whole subgame."""
    tree = tv.tree
    one: Number = _ONE if tv.exact else 1.0
    reach = {start: one}
    out = []
    seen: set[int] = set()
    for n in range(start, tree.nodes[start].end):
        node = tree.nodes[n]
        if reach.get(n, 0) == 0 or node.kind == TERMINAL:
            continue
        weights = tv.probabilities[n] if node.kind == CHANCE else behaviour[node.infoset]
        for w, c in zip(weights, node.children):
            reach[c] = reach[n] * w
        if node.kind != DECISION or node.infoset not in defined or node.infoset in seen:
            continue
        seen.add(node.infoset)
        own = list(behaviour[node.infoset])
        if max(own) != 1:
            continue
        i, h = node.player, node.infoset
        mine = own.index(1)
        size = len(node.actions)
        if len(tree.infosets[h].nodes) == 1:
            values = [tv.value(credible, c)[i] for c in node.children]
            where = node.where
        else:
            values = [tv.value({**credible, h: _one_hot(k, size, tv.exact)}, start)[i] for k in range(size)]
            where = tree.infoset_name(h)
        best = mine
        for k, v in enumerate(values):
            if _greater(v, values[best]):
                best = k
        if best == mine:
            continue
        out.append(
            Violation(n, tree.players[i], where, node.actions[mine], node.actions[best], values[mine], values[best],
                      True, False, ((h, best),))
        )
    return tuple(out)


def _profile_key(profile: Sequence[Sequence[Number]]) -> tuple:
    return tuple(tuple(float(p) for p in probs) for probs in profile)


# ============================================================================ analysis
@dataclass(frozen=True)
class TreeAnalysis:
    """What a report shows about a tree at the solved parameter values.

    ``spe``: the subgame-perfect equilibria; ``pure_nash``: every pure Nash
    equilibrium of the reduced form (plan indices) with its :class:`Verdict` in
    ``pure_verdicts``; ``verdicts``: one per equilibrium of the solution that
    was analysed (same order; None for a profile that could not be checked).
    """

    tree: Tree
    values: TreeValues
    spe: tuple[SubgamePerfect, ...]
    complete: bool
    pure_nash: tuple[tuple[int, ...], ...]
    pure_verdicts: tuple[Verdict, ...]
    verdicts: tuple[Verdict | None, ...]
    notes: tuple[str, ...] = ()

    @property
    def plan_names(self) -> tuple[tuple[str, ...], ...]:
        return self.tree.plan_names


def analyse_tree(tree: Tree, values: Mapping[str, Number], game=None, equilibria: Sequence[Any] = ()) -> TreeAnalysis:
    """Subgame-perfect equilibria, and subgame perfection of every pure Nash equilibrium of
    the reduced form ``game`` and of each equilibrium in ``equilibria`` (objects with a
    ``profile``), at parameter ``values``."""
    tv = tree.evaluate(values)
    solutions, complete, notes = _subgame_solutions(tv)
    spe = _collect(tv, solutions[0])
    keys = {_profile_key(s.profile) for s in spe if s.pure_profile is not None}
    pure_nash: tuple[tuple[int, ...], ...] = ()
    pure_verdicts: list[Verdict] = []
    cache: dict[tuple, Verdict] = {}
    if game is not None:
        from .game import pure_profile
        from .solvers.pure import pure_equilibria

        pure_nash = tuple(pure_equilibria(game))
        for idx in pure_nash:
            prof = pure_profile(game, idx)
            v = verdict(tv, prof, keys)
            if v.subgame_perfect is False:
                v = dataclasses.replace(v, supports=supports(tv, solutions, prof))
            cache[_profile_key(prof)] = v
            pure_verdicts.append(v)
    verdicts: list[Verdict | None] = []
    for eq in equilibria:
        key = _profile_key(eq.profile)
        if key not in cache:
            cache[key] = verdict(tv, eq.profile, keys)
        verdict_ = cache[key]
        if verdict_.subgame_perfect is False and not verdict_.supports and eq.pure:
            verdict_ = dataclasses.replace(verdict_, supports=supports(tv, solutions, eq.profile))
            cache[key] = verdict_
        verdicts.append(verdict_)
    return TreeAnalysis(tree, tv, spe, complete, pure_nash, tuple(pure_verdicts), tuple(verdicts), notes)


# ============================================================================ wiring
#: Note added when a tree with three or more players is solved for pure equilibria only.
PURE_ONLY_NOTE = (
    "mixed equilibria of the reduced normal form were not searched: with three or more players a tree's "
    "reduced form is degenerate (moves off the path are left open), so its mixed equilibria form continua "
    "beyond the polynomial solver; use --method polynomial to try anyway. Subgame perfection is analysed below."
)


def structure_method(scenario, game, method: str) -> str:
    """The solver method for a tree or Bayesian scenario: ``"auto"`` becomes ``"pure"`` for a
    tree with three or more players (see :data:`PURE_ONLY_NOTE`); anything else is kept."""
    if method == "auto" and scenario.extensive is not None and game.num_players > 2:
        return "pure"
    return method


def analyse_structure(scenario, solution):
    """``solution`` with ``extensive`` set: a :class:`TreeAnalysis` for a tree scenario, a
    :class:`gametheory.bayesian.BayesianAnalysis` for a Bayesian one (at the solution's
    parameter values)."""
    values = scenario_values(scenario, solution.game.parameters)
    if scenario.bayesian is not None:
        from .bayesian import analyse_bayesian

        return dataclasses.replace(solution, extensive=analyse_bayesian(scenario.bayesian, values, solution))
    analysis = analyse_tree(scenario.extensive, values, solution.game, solution.equilibria)
    notes = solution.notes
    if solution.scope == "pure" and solution.game.num_players > 2 and PURE_ONLY_NOTE not in notes:
        notes = notes + (PURE_ONLY_NOTE,)
    return dataclasses.replace(solution, extensive=analysis, notes=notes)


# ============================================================================ SPE thresholds
def spe_label(tree: Tree, values: Mapping[str, Number]) -> str:
    """A stable name of the subgame-perfect outcomes at ``values``: each equilibrium path
    (moves joined by ``>``), sorted, joined by `` + `` (``cf_first>refuse``)."""
    spe, _, _ = subgame_perfect(tree.evaluate(values))
    return " + ".join(sorted({">".join(st.action for st in s.path) for s in spe}))


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator in ``[lo, hi]`` (continued fractions)."""
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_between(-hi, -lo)
    floor = lo.numerator // lo.denominator
    if Fraction(floor) == lo:
        return lo
    if floor + 1 <= hi:
        return Fraction(floor + 1)
    rest = _simplest_between(1 / (hi - floor), 1 / (lo - floor))
    return floor + 1 / rest


@dataclass(frozen=True)
class SpeThreshold:
    """A value of one parameter where the subgame-perfect outcomes change: ``below`` and
    ``above`` are :func:`spe_label` just below and above, ``at`` the label at ``value``."""

    parameter: str
    value: Fraction
    below: str
    above: str
    at: str


def spe_thresholds(scenario, parameter: str, *, base: Mapping[str, Any] | None = None,
                   search: tuple[Any, Any] | None = None, points: int = 41) -> tuple[SpeThreshold, ...]:
    """Where, as ``parameter`` moves over ``search`` (default: its declared range) with the
    others at ``base`` (default: the defaults), the subgame-perfect outcomes of a tree change.

    The normal-form threshold search (:func:`gametheory.sensitivity.thresholds`) follows the
    Nash equilibria of the reduced form, which in a tree often stay the same while the
    subgame-perfect outcome flips (a threat becoming credible changes which Nash
    equilibria are subgame perfect, not which are Nash). This scans ``points`` values,
    bisects each change exactly in rationals down to an interval of width 1e-12, and reports
    the simplest fraction in that interval (the thresholds of payoff comparisons with
    decimal parameters are simple fractions), checked by solving at it.
    """
    from .scenario import coerce_number

    tree = scenario.extensive
    if tree is None:
        raise InputError("subgame-perfect thresholds need a game tree", file=scenario.file)
    if parameter not in scenario.parameters:
        raise InputError(f"unknown parameter {parameter!r}{_suggest(parameter, scenario.parameters)}", file=scenario.file)
    param = scenario.parameters[parameter]
    if search is None:
        if param.range is None:
            raise InputError(f"{parameter} has no declared range; give search=(low, high)", file=scenario.file)
        lo, hi = param.low, param.high
    else:
        lo, hi = (coerce_number(v, what=f"search bound of {parameter}") for v in search)
    lo, hi = Fraction(lo), Fraction(hi)
    fixed = {k: coerce_number(v, what=k) for k, v in (base or {}).items()}

    def label(x: Fraction) -> str:
        return spe_label(tree, scenario_values(scenario, {**fixed, parameter: x}))

    grid = [lo + (hi - lo) * k / (points - 1) for k in range(points)]
    labels = [label(x) for x in grid]
    out = []
    width = Fraction(1, 10**12)
    for a, b, la, lb in zip(grid, grid[1:], labels, labels[1:]):
        if la == lb:
            continue
        while b - a > width:
            m = (a + b) / 2
            lm = label(m)
            if lm == la:
                a = m
            elif lm == lb:
                b = m
            else:  # a third regime in between: keep the nearer change
                b, lb = m, lm
        t = _simplest_between(a, b)
        if out and out[-1].value == t:  # a grid point sat on the threshold: one change, not two
            out[-1] = SpeThreshold(parameter, t, out[-1].below, lb, out[-1].at)
        else:
            out.append(SpeThreshold(parameter, t, la, lb, label(t)))
    return tuple(out)
