"""gametheory: game-theoretic scenarios with parameterised payoffs.

The public API, usable from Python or a notebook::

    import gametheory as gt
    scenario = gt.load("games/deterrence.json")      # validated Scenario
    game = scenario.bind({"m_us": "2.1"})            # exact NormalFormGame
    solution = gt.solve(game)                        # certified equilibria

Heavy modules (scipy, sympy, nashpy) are imported only by the functions that
need them, so ``import gametheory`` stays cheap.
"""

from __future__ import annotations

import os

from .errors import EvaluationError, ExpressionError, GameTheoryError, InputError, SolverError
from .game import NormalFormGame, expected_payoffs, strategy_payoffs
from .scenario import Scenario, load_scenario, parse_scenario
from .solution import Enumeration, Equilibrium, Solution
from .solvers import solve
from .report import notebook as _notebook  # noqa: F401  (registers the Jupyter reprs through gametheory.display)

from ._version import __version__ as __version__

__all__ = [
    "EvaluationError",
    "Enumeration",
    "Equilibrium",
    "ExpressionError",
    "GameTheoryError",
    "InputError",
    "NormalFormGame",
    "Scenario",
    "Solution",
    "SolverError",
    "expected_payoffs",
    "load",
    "load_scenario",
    "parse_scenario",
    "solve",
    "strategy_payoffs",
]


def load(path: str | os.PathLike) -> Scenario:
    """Load a scenario (``.json``), a Gambit strategic-form game (``.nfg``) or a Gambit
    game tree (``.efg``) as a :class:`Scenario`.

    A Gambit game becomes a scenario without parameters, so everything that
    works on scenarios (solve, convert, report) works on it too; a tree keeps
    its structure in ``scenario.extensive`` (see :mod:`gametheory.extensive`).
    """
    file = os.fspath(path)
    if file.lower().endswith(".nfg"):
        from .formats.nfg import load_nfg

        return Scenario.from_game(load_nfg(file), file=file)
    if file.lower().endswith(".efg"):
        from .formats.efg import load_efg_scenario

        return load_efg_scenario(file)
    return load_scenario(file)
