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

from . import display
from ._version import __version__ as __version__
from .errors import EvaluationError, ExpressionError, GameTheoryError, InputError, SolverError
from .formats import load
from .game import NormalFormGame, expected_payoffs, strategy_payoffs
from .scenario import Scenario, load_scenario, parse_scenario
from .solution import Enumeration, Equilibrium, Solution
from .solvers import solve


def _load_reprs() -> None:
    """Register the Jupyter reprs (:mod:`gametheory.report.notebook`) through :mod:`gametheory.display`."""
    from .report import notebook  # noqa: F401


display.defer(_load_reprs)

__all__ = [
    "Enumeration",
    "Equilibrium",
    "EvaluationError",
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
