"""The analysis of a game tree that a report shows: subgame-perfect equilibria and credibility.

:func:`analyse_tree` solves a tree at given parameter values by backward
induction (:mod:`.backward`) and judges every pure Nash equilibrium of its
reduced normal form, and every equilibrium of a solution, for subgame
perfection (:mod:`.credibility`). :func:`structure_method` picks the
normal-form method a tree's reduced form is solved with, and :func:`spe_label`
names the subgame-perfect outcomes at given values (a key that threshold
searches compare).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._limits import check_deadline
from ..extensive import Number, Tree, TreeValues
from ..game import NormalFormGame, pure_profile
from .backward import SubgamePerfect, collect_equilibria, subgame_perfect, subgame_solutions
from .credibility import Verdict, profile_key, supports, verdict
from .pure import pure_equilibria

__all__ = ["PURE_ONLY_NOTE", "TreeAnalysis", "analyse_tree", "spe_label", "structure_method"]


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


def analyse_tree(
    tree: Tree, values: Mapping[str, Number], game: NormalFormGame | None = None, equilibria: Sequence[Any] = ()
) -> TreeAnalysis:
    """Subgame-perfect equilibria, and subgame perfection of every pure Nash equilibrium of
    the reduced form ``game`` and of each equilibrium in ``equilibria`` (objects with a
    ``profile``), at parameter ``values``."""
    tv = tree.evaluate(values)
    solutions, complete, notes = subgame_solutions(tv)
    spe = collect_equilibria(tv, solutions[0])
    keys = {profile_key(s.profile) for s in spe if s.pure_profile is not None}
    pure_nash: tuple[tuple[int, ...], ...] = ()
    pure_verdicts: list[Verdict] = []
    cache: dict[tuple, Verdict] = {}
    if game is not None:
        pure_nash = tuple(pure_equilibria(game))
        for idx in pure_nash:
            check_deadline()
            prof = pure_profile(game, idx)
            v = verdict(tv, prof, keys)
            if v.subgame_perfect is False:
                v = dataclasses.replace(v, supports=supports(tv, solutions, prof))
            cache[profile_key(prof)] = v
            pure_verdicts.append(v)
    verdicts: list[Verdict | None] = []
    for eq in equilibria:
        check_deadline()
        key = profile_key(eq.profile)
        if key not in cache:
            cache[key] = verdict(tv, eq.profile, keys)
        verdict_ = cache[key]
        if verdict_.subgame_perfect is False and not verdict_.supports:
            verdict_ = dataclasses.replace(verdict_, supports=supports(tv, solutions, eq.profile))
            cache[key] = verdict_
        verdicts.append(verdict_)
    return TreeAnalysis(tree, tv, spe, complete, pure_nash, tuple(pure_verdicts), tuple(verdicts), notes)


#: Note added when a tree with three or more players is solved for pure equilibria only.
PURE_ONLY_NOTE = (
    "mixed equilibria of the reduced normal form were not searched: with three or more players a tree's "
    "reduced form is degenerate (moves off the path are left open), so its mixed equilibria form continua "
    "beyond the polynomial solver; use --method polynomial to try anyway. Subgame perfection is analysed below."
)


def structure_method(scenario: Any, game: NormalFormGame, method: str) -> str:
    """The solver method for a tree or Bayesian scenario: ``"auto"`` becomes ``"pure"`` for a
    tree with three or more players (see :data:`PURE_ONLY_NOTE`); anything else is kept."""
    if method == "auto" and scenario.extensive is not None and game.num_players > 2:
        return "pure"
    return method


def spe_label(tree: Tree, values: Mapping[str, Number]) -> str:
    """A stable name of the subgame-perfect outcomes at ``values``: each equilibrium path
    (moves joined by ``>``), sorted, joined by `` + `` (``cf_first>refuse``)."""
    spe, _, _ = subgame_perfect(tree.evaluate(values))
    return " + ".join(sorted({">".join(st.action for st in s.path) for s in spe}))
