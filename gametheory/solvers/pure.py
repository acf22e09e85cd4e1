"""Pure-strategy Nash equilibria of N-player games, by a vectorised best-response test.

A pure profile is a Nash equilibrium when every player's strategy is a best
response to the others' strategies. For player ``i`` the best replies to every
opponent profile at once are the maxima of ``payoffs[i]`` along axis ``i``; a
profile is an equilibrium when it attains that maximum for every player. This
is QuantEcon's ``pure_nash_brute`` idea written as whole-array operations, so it
costs one pass over the payoff array per player (exact for Fraction payoffs).
"""

from __future__ import annotations

import numpy as np

from ..game import NormalFormGame, pure_profile
from ..solution import Enumeration


def best_response_mask(game: NormalFormGame) -> np.ndarray:
    """Boolean array of shape ``(N, *game.shape)``.

    ``mask[i][a]`` is True when player ``i``'s strategy in the pure profile ``a``
    is a best response to the other players' strategies in ``a`` (ties count:
    every maximiser is a best response). Exact comparisons for exact games; for
    float games a payoff within the certification tolerance of the best counts
    as best, as in :func:`gametheory.certify.certify`.
    """
    from ..certify import FLOAT_TOLERANCE, scale

    tol = 0 if game.exact else FLOAT_TOLERANCE * scale(game)
    masks = []
    for i in range(game.num_players):
        pay = game.payoffs[i]
        best = np.max(pay, axis=i, keepdims=True)
        masks.append(pay >= best - tol)
    return np.stack(masks).astype(bool)


def pure_equilibria(game: NormalFormGame) -> list[tuple[int, ...]]:
    """All pure Nash equilibria, as strategy-index tuples in the file's lexicographic order."""
    all_best = best_response_mask(game).all(axis=0)
    return [tuple(int(k) for k in idx) for idx in np.argwhere(all_best)]


def enumerate_pure(game: NormalFormGame) -> Enumeration:
    """Every pure equilibrium (a complete enumeration of the pure ones, nothing about mixed ones)."""
    found = pure_equilibria(game)
    return Enumeration(
        profiles=tuple(pure_profile(game, p) for p in found),
        components=tuple(range(len(found))),
        complete=True,
        method="pure",
        exact=game.exact,
    )
