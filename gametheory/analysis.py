"""Solve a game and gather the facts people use to read it.

:func:`gametheory.solve` finds and certifies equilibria only (sweeps call it
many times); :func:`analyse` adds what a report or a seminar needs: the best
responses that payoff tables mark, iterated dominance, security levels, and
the facts that help choose among equilibria (strictness, Pareto comparisons,
payoff and risk dominance, perfection) and, on request, the correlated
equilibria.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from typing import Any

from ._limits import run_within
from .game import NormalFormGame
from .scenario import scenario_values
from .solution import Solution
from .solvers import solve


def analyse(
    game: NormalFormGame,
    method: str = "auto",
    *,
    timeout: float | None = None,
    scenario=None,
    correlated: bool = False,
) -> Solution:
    """Certified equilibria plus dominance, security levels and selection facts.

    With ``correlated=True``, ``Solution.correlated`` also holds
    :func:`gametheory.solvers.correlated.correlated_equilibria` of the game
    (the welfare-maximising correlated equilibrium, every player's payoff
    range, and the vertices when the game is small enough by that function's
    default).

    When ``scenario`` is a game tree or a Bayesian game, ``Solution.extensive``
    also holds the analysis of its structure at the game's parameter values
    (subgame-perfect equilibria and credibility, or behaviour per type); see
    :func:`analyse_structure`, and :func:`gametheory.solvers.trees.structure_method`
    for why ``"auto"`` means ``"pure"`` for trees with three or more players.
    """
    from .solvers.dominance import iterated_elimination
    from .solvers.security import security_levels
    from .solvers.selection import selection_facts

    structured = scenario is not None and (scenario.extensive is not None or scenario.bayesian is not None)
    if structured:
        from .solvers.trees import structure_method  # trees and Bayesian games only: not paid by a normal form

        method = structure_method(scenario, game, method)
    deadline = None if timeout is None else time.monotonic() + timeout
    solution = solve(game, method, timeout=timeout)
    phases: list[tuple[str, str, Callable[[Solution], Any]]] = [
        ("dominance", "iterated dominance", lambda s: iterated_elimination(game)),
        ("security", "security levels", lambda s: security_levels(game)),
        ("selection", "equilibrium selection facts", lambda s: selection_facts(game, s.equilibria)),
    ]
    if correlated:
        from .solvers.correlated import correlated_equilibria

        phases.append(("correlated", "correlated equilibria", lambda s: correlated_equilibria(game)))
    for field, name, compute in phases:
        value = _within_deadline(deadline, functools.partial(compute, solution))
        solution = (
            _stopped(solution, name, timeout) if value is _STOPPED else dataclasses.replace(solution, **{field: value})
        )
    if structured:
        analysed = _within_deadline(deadline, functools.partial(analyse_structure, scenario, solution))
        tree_phase = "the analysis of the tree or types (subgame perfection, credibility)"
        solution = _stopped(solution, tree_phase, timeout) if analysed is _STOPPED else analysed
    return solution


#: What :func:`_within_deadline` returns for a phase stopped by the deadline.
_STOPPED: Any = object()


def _within_deadline(deadline: float | None, phase: Callable[[], Any]) -> Any:
    """``phase()``; with a deadline, only the time left (``_STOPPED`` when it runs out)."""
    if deadline is None:
        return phase()
    result = run_within(deadline - time.monotonic(), lambda: (phase(),))
    return _STOPPED if result is None else result[0]


def _stopped(solution: Solution, what: str, timeout: float | None) -> Solution:
    note = f"not computed: {what} (stopped at the --timeout of {timeout:g} s)"
    return dataclasses.replace(solution, notes=(*solution.notes, note))


def analyse_structure(scenario: Any, solution: Solution) -> Solution:
    """``solution`` with ``extensive`` set: a :class:`~gametheory.solvers.trees.TreeAnalysis`
    for a tree scenario, a :class:`~gametheory.solvers.bayesian.BayesianAnalysis` for a
    Bayesian one (at the solution's parameter values, derived values included)."""
    from .solvers.bayesian import analyse_bayesian
    from .solvers.trees import PURE_ONLY_NOTE, analyse_tree

    values = scenario_values(scenario, solution.game.parameters)
    if scenario.bayesian is not None:
        return dataclasses.replace(solution, extensive=analyse_bayesian(scenario.bayesian, values, solution))
    analysis = analyse_tree(scenario.extensive, values, solution.game, solution.equilibria)
    notes = solution.notes
    if solution.scope == "pure" and solution.game.num_players > 2 and PURE_ONLY_NOTE not in notes:
        notes = notes + (PURE_ONLY_NOTE,)
    return dataclasses.replace(solution, extensive=analysis, notes=notes)
