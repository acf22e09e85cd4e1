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
from typing import Any

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
    solution = solve(game, method, timeout=timeout)
    solution = dataclasses.replace(
        solution,
        dominance=iterated_elimination(game),
        security=security_levels(game),
        selection=selection_facts(game, solution.equilibria),
    )
    if correlated:
        from .solvers.correlated import correlated_equilibria

        solution = dataclasses.replace(solution, correlated=correlated_equilibria(game))
    if structured:
        solution = analyse_structure(scenario, solution)
    return solution


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
