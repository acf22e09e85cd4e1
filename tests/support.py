"""What the test modules share: the repository's paths and small textbook games.

Imported as ``from tests.support import ...`` (``tests`` is a package, so the
test modules of ``tests/solvers/``, ``tests/cli/``... can share names).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from gametheory.game import NormalFormGame

ROOT = Path(__file__).resolve().parent.parent
GAMES = ROOT / "games"
DATA = ROOT / "tests" / "data"

#: The smallest valid scenario with a parameter (2x2, one payoff is ``x``): the base that the tests of
#: loading and limits turn into bad files (they change its JSON text, never the dict).
SMALL_SCENARIO = {
    "format": "gametheory-scenario/1",
    "title": "t",
    "parameters": {"x": {"default": 1}},
    "players": [{"name": "A", "strategies": ["a", "b"]}, {"name": "B", "strategies": ["c", "d"]}],
    "matrix": [[[1, 0], [0, 1]], [[0, 1], ["x", 0]]],
}


def prisoners_dilemma() -> NormalFormGame:
    """Cooperate/defect with T=5 > R=3 > P=1 > S=0 (Axelrod's values)."""
    return NormalFormGame.from_arrays(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Col"], strategies=[["C", "D"], ["C", "D"]]
    )


def g1_defaults() -> NormalFormGame:
    """G1 of SCENARIOS.md at its defaults, from the 'value at defaults' column typed in by hand."""
    table = {
        (0, 0, 0): (7, -3, -1),
        (0, 0, 1): (4, -3, 0),
        (0, 1, 0): (-17, -6, -9),
        (0, 1, 1): (-26, 2, -12),
        (1, 0, 0): (0, 0, -2),
        (1, 0, 1): (0, 0, 0),
        (1, 1, 0): (-8, 4, -6),
        (1, 1, 1): (-8, 4, -4),
    }
    arrays = [[[[table[(e, r, u)][i] for u in range(2)] for r in range(2)] for e in range(2)] for i in range(3)]
    return NormalFormGame.from_arrays(
        *arrays,
        players=["Europe", "Russia", "US"],
        strategies=[["deploy", "hold"], ["accept", "target"], ["backstop", "stay_out"]],
    )


F = Fraction
