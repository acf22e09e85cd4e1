"""Two settings of a game side by side: what differs, and which threats change credibility.

A *side* is a scenario with its parameter values: the same file with two
``--set`` or two presets, or two files with the same players. :func:`compare`
solves both sides (every equilibrium, certified) and returns a
:class:`Comparison` that holds, as data:

* the parameters whose values differ, and the payoff cells that differ;
* the equilibria matched between the sides (same support first, then the
  nearest profile), with each player's payoff on both sides;
* when the sides differ in one parameter of one file, the thresholds of that
  parameter crossed between its two values (exact, from
  :func:`~gametheory.sensitivity.thresholds`; for a tree also those of its
  subgame-perfect outcome, :func:`~gametheory.sensitivity.spe.spe_thresholds`);
* for a game tree, the subgame-perfect outcome of each side and every
  information set where the credible move (the move subgame-perfect play makes
  there) changes: a threat or promise that becomes credible or stops being so.

The sentences for people are made by :mod:`gametheory.report.compare`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..scenario import Scenario, scenario_values
from ..solution import Solution
from ..solvers import solve
from ..solvers.trees import TreeAnalysis, analyse_tree, structure_method
from .labels import family_label
from .spe import SpeThreshold, spe_thresholds
from .thresholds import Threshold, thresholds

__all__ = [
    "CellChange",
    "Comparison",
    "CredibilityChange",
    "EquilibriumMatch",
    "Side",
    "compare",
    "side",
]


@dataclass(frozen=True)
class Side:
    """One setting: the scenario, its name for people (``pledge_us=2``, a preset, a file), the
    parameter values (exact), the solved game and, for a tree, its analysis."""

    name: str
    scenario: Scenario
    values: Mapping[str, Any]
    solution: Solution
    tree: TreeAnalysis | None = None


@dataclass(frozen=True)
class CellChange:
    """A payoff that differs: ``player``'s payoff at ``profile`` (strategy names) is ``left`` / ``right``."""

    profile: tuple[str, ...]
    player: str
    left: Any
    right: Any


@dataclass(frozen=True)
class EquilibriumMatch:
    """An equilibrium of the left side paired with one of the right (None where it has no partner).

    ``left`` / ``right`` index ``Side.solution.equilibria``; ``labels`` are their family labels
    (``pure(hold,target,stay_out)``); ``same_support`` says whether the pairing kept the support.
    """

    left: int | None
    right: int | None
    labels: tuple[str | None, str | None]
    same_support: bool


@dataclass(frozen=True)
class CredibilityChange:
    """An information set of a tree where the credible move differs between the sides.

    ``left`` / ``right`` are the actions subgame-perfect play takes there with positive probability
    on each side; ``where`` is the set's name (``after deploy_first/target``); ``reached`` says, per
    side, whether subgame-perfect play reaches it; ``resting``, per side, how many pure Nash
    equilibria rest on a non-credible move there (a threat that keeps a player from switching).
    """

    player: str
    infoset: int
    where: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    reached: tuple[bool, bool]
    resting: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Comparison:
    """What differs between two settings (see the module docstring)."""

    left: Side
    right: Side
    parameters: tuple[tuple[str, Any, Any], ...]
    cells: tuple[CellChange, ...]
    matches: tuple[EquilibriumMatch, ...]
    thresholds: tuple[Threshold, ...] = ()
    spe_thresholds: tuple[SpeThreshold, ...] = ()
    credibility: tuple[CredibilityChange, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[str, ...]:
        return self.left.scenario.player_names


# -------------------------------------------------------------------- sides
def side(
    scenario: Scenario,
    sets: Mapping[str, object] | None = None,
    *,
    preset: str | None = None,
    name: str | None = None,
    method: str = "auto",
) -> Side:
    """Bind ``scenario`` at ``preset`` and ``sets``, solve it (all equilibria, certified) and, for a
    tree, analyse subgame perfection. ``name`` defaults to the settings (``pledge_us=2``)."""
    game = scenario.bind(dict(sets or {}), preset=preset)
    structured = scenario.extensive is not None
    solution = solve(game, structure_method(scenario, game, method) if structured else method)
    values = scenario_values(scenario, game.parameters)
    tree = analyse_tree(scenario.extensive, values, game, solution.equilibria) if structured else None
    if name is None:
        parts = ([f"preset {preset}"] if preset else []) + [f"{k}={v}" for k, v in (sets or {}).items()]
        name = ", ".join(parts) or "defaults"
    return Side(name, scenario, dict(game.parameters), solution, tree)


def _check_players(left: Side, right: Side) -> None:
    a, b = left.scenario, right.scenario
    if a.player_names != b.player_names:
        raise InputError(
            f"the two sides have different players ({', '.join(a.player_names)} vs {', '.join(b.player_names)}); "
            "compare needs the same players",
            file=b.file,
        )


# -------------------------------------------------------------------- cells
def _changed_parameters(left: Side, right: Side) -> tuple[tuple[str, Any, Any], ...]:
    names = list(left.values) + [k for k in right.values if k not in left.values]
    return tuple(
        (k, left.values.get(k), right.values.get(k)) for k in names if left.values.get(k) != right.values.get(k)
    )


def _changed_cells(left: Side, right: Side) -> tuple[CellChange, ...]:
    a, b = left.solution.game, right.solution.game
    if a.strategies != b.strategies:
        return ()
    out = []
    for profile in a.profiles():
        names = tuple(a.profile_names(profile))
        for i, player in enumerate(a.players):
            x, y = a.payoffs[(i, *profile)], b.payoffs[(i, *profile)]
            if x != y:
                out.append(CellChange(names, player, x, y))
    return tuple(out)


# -------------------------------------------------------------- equilibria
def _label(side_: Side, k: int) -> str:
    return family_label(side_.solution.game.strategies, side_.solution.equilibria[k].support)


def _distance(p: Sequence[Sequence[Any]], q: Sequence[Sequence[Any]]) -> float:
    return sum(abs(float(x) - float(y)) for pi, qi in zip(p, q) for x, y in zip(pi, qi))


def _match_equilibria(left: Side, right: Side) -> tuple[EquilibriumMatch, ...]:
    """Pairs of equilibria: the same support first (nearest profiles among those), then the
    nearest remaining profiles when the strategies agree, then the unpaired ones."""
    eq_l, eq_r = left.solution.equilibria, right.solution.equilibria
    comparable = left.solution.game.strategies == right.solution.game.strategies
    pairs = sorted(
        (
            (0 if _label(left, i) == _label(right, j) else 1, _distance(a.profile, b.profile), i, j)
            for i, a in enumerate(eq_l)
            for j, b in enumerate(eq_r)
        )
        if comparable
        else []
    )
    used_l: set[int] = set()
    used_r: set[int] = set()
    out = []
    for rank, _, i, j in pairs:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        out.append(EquilibriumMatch(i, j, (_label(left, i), _label(right, j)), rank == 0))
    out += [EquilibriumMatch(i, None, (_label(left, i), None), False) for i in range(len(eq_l)) if i not in used_l]
    out += [EquilibriumMatch(None, j, (None, _label(right, j)), False) for j in range(len(eq_r)) if j not in used_r]
    return tuple(sorted(out, key=lambda m: (m.left is None, m.left or 0, m.right or 0)))


# -------------------------------------------------------------- credibility
def _credible_moves(tree: TreeAnalysis) -> tuple[dict[int, set[int]], set[int]]:
    """Per information set, the actions some subgame-perfect equilibrium takes there with positive
    probability; and the information sets subgame-perfect play reaches."""
    moves: dict[int, set[int]] = {}
    reached: set[int] = set()
    for spe in tree.spe:
        for h, probs in spe.behaviour.items():
            moves.setdefault(h, set()).update(k for k, p in enumerate(probs) if p != 0)
        for step in spe.path:
            h = tree.tree.nodes[step.node].infoset
            if h is not None:
                reached.add(h)
    return moves, reached


def _resting_counts(tree: TreeAnalysis) -> dict[int, int]:
    """Per information set, how many pure Nash equilibria rest on a non-credible move there."""
    counts: dict[int, int] = {}
    for verdict in tree.pure_verdicts:
        sets = {h for support in verdict.supports for move in support.moves for h in move.infosets}
        for h in sets:
            counts[h] = counts.get(h, 0) + 1
    return counts


def _credibility_changes(left: Side, right: Side) -> tuple[CredibilityChange, ...]:
    if left.tree is None or right.tree is None or left.scenario is not right.scenario:
        return ()
    tree = left.tree.tree
    moves_l, reached_l = _credible_moves(left.tree)
    moves_r, reached_r = _credible_moves(right.tree)
    rest_l, rest_r = _resting_counts(left.tree), _resting_counts(right.tree)
    out = []
    for h in sorted(set(moves_l) | set(moves_r)):
        a, b = moves_l.get(h, set()), moves_r.get(h, set())
        if a == b:
            continue
        info = tree.infosets[h]
        out.append(
            CredibilityChange(
                player=tree.players[info.player],
                infoset=h,
                where=tree.infoset_name(h),
                left=tuple(info.actions[k] for k in sorted(a)),
                right=tuple(info.actions[k] for k in sorted(b)),
                reached=(h in reached_l, h in reached_r),
                resting=(rest_l.get(h, 0), rest_r.get(h, 0)),
            )
        )
    return tuple(out)


# -------------------------------------------------------------- thresholds
def _crossed(left: Side, right: Side, changed) -> tuple[tuple[Threshold, ...], tuple[SpeThreshold, ...], list[str]]:
    """The thresholds of the one changed parameter that lie between its two values."""
    notes: list[str] = []
    if left.scenario is not right.scenario or len(changed) != 1:
        if len(changed) > 1:
            notes.append("thresholds are listed when the two sides differ in one parameter only")
        return (), (), notes
    name, a, b = changed[0]
    if name not in left.scenario.parameters:
        return (), (), notes
    lo, hi = sorted((Fraction(a), Fraction(b)))
    base = {k: v for k, v in left.values.items() if k != name and k in left.scenario.parameters}
    found = thresholds(left.scenario, name, base=base, search=(lo, hi), symbolic=True)
    nash = tuple(t for t in found.thresholds if lo < t.value < hi)
    spe: tuple[SpeThreshold, ...] = ()
    if left.scenario.extensive is not None:
        spe = tuple(t for t in spe_thresholds(left.scenario, name, base=base, search=(lo, hi)) if lo < t.value < hi)
    return nash, spe, notes


def compare(left: Side, right: Side) -> Comparison:
    """What differs between two solved sides (see the module docstring)."""
    _check_players(left, right)
    changed = _changed_parameters(left, right)
    nash, spe, notes = _crossed(left, right, changed)
    if left.solution.game.strategies != right.solution.game.strategies:
        notes.append("the two sides have different strategies: payoff cells and equilibria are not paired")
    return Comparison(
        left=left,
        right=right,
        parameters=changed,
        cells=_changed_cells(left, right),
        matches=_match_equilibria(left, right),
        thresholds=nash,
        spe_thresholds=spe,
        credibility=_credibility_changes(left, right),
        notes=tuple(notes),
    )
