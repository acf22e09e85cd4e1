"""Solve a game and gather the facts people use to read it.

:func:`gametheory.solve` finds and certifies equilibria only (sweeps call it
many times); :func:`analyse` adds what a report or a seminar needs: iterated
dominance, security levels, and the facts that help choose among equilibria
(strictness, Pareto comparisons, payoff and risk dominance, perfection).
"""

from __future__ import annotations

import dataclasses

from .game import NormalFormGame
from .solution import Solution
from .solvers import solve


def analyse(game: NormalFormGame, method: str = "auto", *, timeout: float | None = None) -> Solution:
    """Certified equilibria plus dominance, security levels and selection facts."""
    from .selection import selection_facts
    from .solvers.dominance import iterated_elimination
    from .solvers.security import security_levels

    solution = solve(game, method, timeout=timeout)
    return dataclasses.replace(
        solution,
        dominance=iterated_elimination(game),
        security=security_levels(game),
        selection=selection_facts(game, solution.equilibria),
    )
