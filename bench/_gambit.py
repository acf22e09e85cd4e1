"""What the benchmarks' pygambit loops share: a scenario's game at one point, as a user's loop builds it."""

from __future__ import annotations

import warnings

import numpy as np


def gambit_game(gbt, scenario, point):
    """(our game, pygambit's game) at ``point``: the scenario bound there, its payoffs handed to Gambit as floats."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.bind(point)
    return game, gbt.Game.from_arrays(*[np.asarray(game.payoffs[k], dtype=float) for k in range(game.num_players)])


def supports_of(G, equilibrium, threshold: float) -> tuple[tuple[int, ...], ...]:
    """The strategies each player of ``G`` plays with probability above ``threshold`` in ``equilibrium``."""
    return tuple(tuple(k for k, s in enumerate(p.strategies) if float(equilibrium[s]) > threshold) for p in G.players)
