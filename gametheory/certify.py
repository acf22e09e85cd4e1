"""Independent certificates for equilibria.

A Nash equilibrium is a profile in which no player can gain by deviating to
another pure strategy. Its *regret* for player ``i`` is
``max_k u_i(k, s_-i) - u_i(s)``; the profile is an equilibrium exactly when
every regret is zero (exact arithmetic) or below a tolerance (floating point).

This module recomputes payoffs by summing over the pure profiles in the
support of the opponents, a code path that shares nothing with the solvers
(which use tensor contractions, linear systems or polynomial algebra), so a
bug in a solver cannot certify its own output.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .game import NormalFormGame, Number, as_exact

#: Default tolerance on the maximum regret of a floating-point equilibrium,
#: relative to the largest absolute payoff of the game (and at least absolute 1e-9).
FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Certificate:
    """The outcome of checking a profile: its regrets and whether it passes."""

    regrets: tuple[Number, ...]
    exact: bool
    tolerance: float
    probability_error: Number

    @property
    def max_regret(self) -> Number:
        return max(self.regrets)

    @property
    def ok(self) -> bool:
        if self.exact:
            return self.max_regret == 0 and self.probability_error == 0
        return float(self.max_regret) <= self.tolerance and float(self.probability_error) <= self.tolerance


def _deviation_payoffs(game: NormalFormGame, profile: Sequence[Sequence[Number]], player: int, exact: bool) -> list:
    """Payoff of each pure strategy of ``player`` by explicit summation over the opponents' supports."""
    pay = game.payoffs if exact else game.float_payoffs
    zero = Fraction(0) if exact else 0.0
    others = [j for j in range(game.num_players) if j != player]
    supports = [[(k, p) for k, p in enumerate(profile[j]) if p != 0] for j in others]
    values = [zero] * game.shape[player]
    for combo in itertools.product(*supports):
        weight = Fraction(1) if exact else 1.0
        index: list[int] = [0] * game.num_players
        for j, (k, p) in zip(others, combo):
            weight *= p
            index[j] = k
        for a in range(game.shape[player]):
            index[player] = a
            values[a] += weight * pay[(player, *index)]
    return values


def scale(game: NormalFormGame) -> float:
    """Largest absolute payoff of the game (at least 1), the unit for float tolerances."""
    return max(1.0, float(abs(game.float_payoffs).max()))


def certify(game: NormalFormGame, profile: Sequence[Sequence[Number]], tolerance: float | None = None) -> Certificate:
    """Check a mixed profile: probabilities valid, and every player's regret.

    Exact when the game and every probability are rational; then ``ok`` means
    *exactly* zero regret and probabilities that are non-negative and sum to
    exactly one. Otherwise ``ok`` means regrets and probability errors below
    ``tolerance`` (default :data:`FLOAT_TOLERANCE` times the payoff scale).
    """
    exact = game.exact and all(as_exact(x) is not None for p in profile for x in p)
    if exact:
        profile = [[as_exact(x) for x in p] for p in profile]
        tol = 0.0
    else:
        profile = [[float(x) for x in p] for p in profile]
        tol = tolerance if tolerance is not None else FLOAT_TOLERANCE * scale(game)
    if len(profile) != game.num_players or any(len(p) != n for p, n in zip(profile, game.shape)):
        raise ValueError("profile does not match the game's shape")
    prob_error: Number = Fraction(0) if exact else 0.0
    for p in profile:
        prob_error = max(prob_error, abs(sum(p) - 1), *(max(-x, 0) for x in p))
    regrets = []
    for i in range(game.num_players):
        values = _deviation_payoffs(game, profile, i, exact)
        current = sum((x * v for x, v in zip(profile[i], values)), Fraction(0) if exact else 0.0)
        regrets.append(max(values) - current)
    return Certificate(tuple(regrets), exact, tol, prob_error)
