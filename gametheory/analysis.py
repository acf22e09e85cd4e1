"""Solve a game and gather the facts people use to read it: dominance and security levels.

:func:`gametheory.solve` finds and certifies equilibria only (sweeps call it
many times); :func:`analyse` adds the facts a report or a seminar needs.
"""

from __future__ import annotations

import dataclasses

from .game import NormalFormGame
from .solution import Solution
from .solvers import solve


def analyse(game: NormalFormGame, method: str = "auto", *, timeout: float | None = None) -> Solution:
    """Equilibria (certified) plus iterated strict dominance and each player's maxmin value."""
    from .solvers.dominance import iterated_elimination
    from .solvers.security import security_levels

    solution = solve(game, method, timeout=timeout)
    return dataclasses.replace(solution, dominance=iterated_elimination(game), security=security_levels(game))
