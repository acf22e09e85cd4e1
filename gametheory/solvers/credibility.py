"""Credibility on game trees: is a profile of the reduced form subgame perfect, and if not, why.

:func:`check_profile` tests a profile of the reduced form by Kuhn's theorem:
it turns the mixed plans into behaviour strategies, completes the moves the
profile leaves open (information sets that its own players' moves rule out)
with best responses, and then verifies, subgame by subgame from the bottom
up, that every player's behaviour there is a best response to the rest of the
profile (one-shot deviations in perfect-information trees). A violation found
where the completion involved no tie is definitive; otherwise the verdict is
reported as undecided (:func:`verdict`). For a Nash equilibrium that is not
subgame perfect, :func:`supports` names the non-credible threats and promises
its outcome rests on.

The results hold the moves as information sets and probabilities; the words
for people are :mod:`gametheory.report.tree`'s job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .._limits import check_deadline
from ..extensive import CHANCE, DECISION, TERMINAL, Number, TreeValues
from .backward import (
    SubgameSolution,
    behaviour_from_plans,
    fill_behaviour,
    greater,
    one_hot,
    region_payoffs,
    solve_region,
)

__all__ = ["Support", "Verdict", "Violation", "check_profile", "profile_key", "supports", "verdict"]

_ONE = Fraction(1)


@dataclass(frozen=True)
class Violation:
    """A move (or, in a subgame with imperfect information, a set of moves) that a
    profile prescribes but that would not be a best response once reached.

    ``player`` plays ``behaviour[k]`` (action probabilities) at its information
    set ``infosets[k]`` in the subgame that starts at node ``root``, but would
    rather make the moves ``better_actions`` ((information set, action index)
    pairs): ``better_payoff`` > ``payoff``. ``definitive`` is False when the
    comparison depends on how the profile's open moves were completed (a tie
    below); ``on_path`` says whether the profile's play reaches ``root``.
    """

    root: int
    player: str
    infosets: tuple[int, ...]
    behaviour: tuple[tuple[Number, ...], ...]
    better_actions: tuple[tuple[int, int], ...]
    payoff: Number
    better_payoff: Number
    definitive: bool
    on_path: bool = False


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
    action: str
    alternative: str
    payoff: Number
    alternative_payoff: Number
    moves: tuple[Violation, ...]


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
                key = (v.root, v.infosets, v.behaviour)
                if key not in seen:
                    seen.add(key)
                    out.append(v)
        return tuple(out)


def check_profile(
    tv: TreeValues, profile: Sequence[Sequence[Number]]
) -> tuple[tuple[Violation, ...], bool, dict[int, tuple[Number, ...]]]:
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
    given = behaviour_from_plans(tree, profile)
    behaviour: dict[int, tuple[Number, ...]] = {}
    value: dict[int, tuple[Number, ...]] = {}
    ambiguous_below: dict[int, bool] = {}
    violations: list[Violation] = []
    for root in reversed(tree.subgame_roots):  # bottom up: each subgame after the subgames below it
        check_deadline()
        region = tree.regions[root]
        exits, ambiguous = _exit_values(tv, region, value, ambiguous_below)
        free = _adopt_given_moves(tv, region, given, behaviour)
        if free and _complete_open_moves(tv, root, region, exits, behaviour, free):
            ambiguous = True
        value[root] = tv.value(behaviour, root, exits)
        ambiguous_below[root] = ambiguous
        for i in region.players:
            if i not in free:
                found = _better_deviation(tv, root, region, i, behaviour, exits, value[root][i], not ambiguous)
                if found is not None:
                    violations.append(found)
    # which violations sit on the path actually played
    reach = _reach(tv, behaviour)
    violations = [dataclasses.replace(v, on_path=reach.get(v.root, 0) != 0) for v in violations]
    violations.sort(key=lambda v: v.root)
    return tuple(violations), any(ambiguous_below.values()), dict(behaviour)


def _exit_values(
    tv: TreeValues, region, value: Mapping[int, tuple[Number, ...]], ambiguous_below: Mapping[int, bool]
) -> tuple[dict[int, tuple[Number, ...]], bool]:
    """What each exit of a subgame's region is worth (an end's payoffs, or the value of the subgame
    below, already solved), and whether any subgame below had an ambiguous completion."""
    exits = {}
    ambiguous = False
    for e in region.exits:
        if tv.tree.nodes[e].kind == TERMINAL:
            exits[e] = tv.payoffs[e]
        else:
            exits[e] = value[e]
            ambiguous = ambiguous or ambiguous_below[e]
    return exits, ambiguous


def _adopt_given_moves(
    tv: TreeValues, region, given: Mapping[int, tuple[Number, ...] | None], behaviour: dict[int, tuple[Number, ...]]
) -> list[int]:
    """Record the profile's moves in a region (a placeholder first action where it leaves one open);
    return the players whose every move there it leaves open (theirs are completed by best responses)."""
    tree = tv.tree
    free: list[int] = []
    for i in region.players:
        hs = [h for h in region.infosets if tree.infosets[h].player == i]
        if all(given[h] is None for h in hs):
            free.append(i)
        for h in hs:
            behaviour[h] = given[h] if given[h] is not None else one_hot(0, len(tree.infosets[h].actions), tv.exact)
    return free


def _complete_open_moves(
    tv: TreeValues,
    root: int,
    region,
    exits: Mapping[int, tuple[Number, ...]],
    behaviour: dict[int, tuple[Number, ...]],
    free: Sequence[int],
) -> bool:
    """Complete the ``free`` players' moves in a region with an equilibrium among them (a pure one if
    there is one), the other moves fixed. True when the equilibria found differ in value: a tie, so
    another completion might judge the profile differently."""
    tree = tv.tree
    fixed = {h: behaviour[h] for h in region.infosets if tree.infosets[h].player not in free}
    fills, _ = solve_region(tv, root, exits, fixed, free)
    pure = [f for f in fills if all(max(p) == 1 for p in f.values())]
    ambiguous = len({tv.value({**fixed, **f}, root, exits) for f in fills}) > 1
    behaviour.update((pure or fills)[0])
    return ambiguous


def _better_deviation(
    tv: TreeValues,
    root: int,
    region,
    player: int,
    behaviour: Mapping[int, tuple[Number, ...]],
    exits: Mapping[int, tuple[Number, ...]],
    current: Number,
    definitive: bool,
) -> Violation | None:
    """The player's best plan in the region against the rest of the behaviour, as a :class:`Violation`
    when it pays more than ``current`` (what the player gets now), else None."""
    tree = tv.tree
    hs = [h for h in region.infosets if tree.infosets[h].player == player]
    fixed = {h: behaviour[h] for h in region.infosets if tree.infosets[h].player != player}
    plan_sets, table = region_payoffs(tv, root, [player], fixed, exits)
    best_combo, best = max(table.items(), key=lambda kv: float(kv[1][player]))
    for combo, vec in table.items():  # exact maximum (floats only pick a candidate)
        if greater(vec[player], best[player]):
            best_combo, best = combo, vec
    if not greater(best[player], current):
        return None
    rhs, plans = plan_sets[0]
    plan = plans[best_combo[0]]
    return Violation(
        root=root,
        player=tree.players[player],
        infosets=tuple(hs),
        behaviour=tuple(behaviour[h] for h in hs),
        better_actions=tuple((h, a) for h, a in zip(rhs, plan) if a is not None),
        payoff=current,
        better_payoff=best[player],
        definitive=definitive,
    )


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
    if pure and spe_profiles is not None and profile_key(profile) in spe_profiles:
        return Verdict(True)
    if not violations:
        return Verdict(True)
    if pure or any(v.definitive for v in violations):
        return Verdict(False, violations)
    return Verdict(None, violations, "the moves this profile leaves open could be completed in other ways; not decided")


def supports(
    tv: TreeValues, solutions: Mapping[int, Sequence[SubgameSolution]], profile: Sequence[Sequence[Number]]
) -> tuple[Support, ...]:
    """The deviations from a profile's path (where its moves are pure) that only non-credible moves deter.

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
            if not all(greater(sub.value[i], current) for sub in subs):
                continue
            credible = fill_behaviour(tree, {**behaviour, **subs[0].flatten({})}, tv.exact)
            moves = _replaced_moves(tv, child, behaviour, credible, defined)
            out.append(
                Support(
                    tree.players[i], node.index, node.actions[taken], node.actions[k], current, subs[0].value[i], moves
                )
            )
    return tuple(out)


def _replaced_moves(
    tv: TreeValues,
    start: int,
    behaviour: Mapping[int, Sequence[Number]],
    credible: Mapping[int, Sequence[Number]],
    defined: set[int],
) -> tuple[Violation, ...]:
    """The moves the profile itself fixes (information sets in ``defined``) in the subgame at
    ``start``, at points its play (``behaviour``) reaches from there, that are worse for their
    mover than the best move given credible play (``credible``) everywhere else (a mixture by
    its expected value, so a threat to fight with probability 1/3 is named too): the threats
    or promises that do not survive there. A single node is judged where it stands; an
    information set of several nodes by the mover's payoff in the whole subgame."""
    tree = tv.tree
    one: Number = _ONE if tv.exact else 1.0
    reach = {start: one}
    out = []
    seen: set[int] = set()
    for n in range(start, tree.nodes[start].end):
        check_deadline()
        node = tree.nodes[n]
        if reach.get(n, 0) == 0 or node.kind == TERMINAL:
            continue
        weights = tv.probabilities[n] if node.kind == CHANCE else behaviour[node.infoset]
        for w, c in zip(weights, node.children):
            reach[c] = reach[n] * w
        if node.kind != DECISION or node.infoset not in defined or node.infoset in seen:
            continue
        seen.add(node.infoset)
        own = tuple(behaviour[node.infoset])
        i, h = node.player, node.infoset
        size = len(node.actions)
        if len(tree.infosets[h].nodes) == 1:
            values = [tv.value(credible, c)[i] for c in node.children]
        else:
            values = [tv.value({**credible, h: one_hot(k, size, tv.exact)}, start)[i] for k in range(size)]
        best = 0
        for k, v in enumerate(values):
            if greater(v, values[best]):
                best = k
        # A pure move, or a mixture (its expected value): worse than the best move once reached.
        mine = sum((p * v for p, v in zip(own, values) if p != 0), 0 * values[0])
        if not greater(values[best], mine):
            continue
        out.append(
            Violation(
                root=n,
                player=tree.players[i],
                infosets=(h,),
                behaviour=(own,),
                better_actions=((h, best),),
                payoff=mine,
                better_payoff=values[best],
                definitive=True,
            )
        )
    return tuple(out)


def profile_key(profile: Sequence[Sequence[Number]]) -> tuple:
    """A profile as a hashable key (floats), to match profiles found by different solvers."""
    return tuple(tuple(float(p) for p in probs) for probs in profile)
