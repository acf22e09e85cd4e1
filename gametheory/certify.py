"""Independent certificates for equilibria.

A Nash equilibrium is a profile in which no player can gain by deviating to
another pure strategy. Its *regret* for player ``i`` is
``max_k u_i(k, s_-i) - u_i(s)``; the profile is an equilibrium exactly when
every regret is zero (exact arithmetic) or below a tolerance (floating point).

This module recomputes payoffs by summing over the pure profiles in the
support of the opponents, a code path that shares nothing with the solvers
(which use tensor contractions, linear systems or polynomial algebra), so a
bug in a solver cannot certify its own output.

:func:`certify_all` checks many exact profiles at once, as a solver's list of
extreme equilibria needs: every payoff and probability is scaled to an integer
by a common denominator, so the sums are of Python integers (no Fraction
arithmetic, whose normalisations dominated), and the deviation payoffs against
one opponents' mix are computed once however many profiles share it. The
comparisons stay exact: a regret is zero exactly when its integer numerator is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .game import NormalFormGame, Number, as_exact, common_denominator

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
    #: Each player's expected payoff, computed on the way (exact certificates of :func:`certify_all` only).
    payoffs: tuple[Number, ...] = ()

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


# ------------------------------------------------------------ exact, in batch


@dataclass(frozen=True)
class _Scaled:
    """An exact mixed strategy as integers: ``nums[k] / den`` (``den > 0``)."""

    nums: tuple[int, ...]
    den: int


def _scaled(strategy: Sequence[Number]) -> _Scaled | None:
    """``strategy`` over its common denominator, or None when an entry is not rational."""
    exact = [x if type(x) is Fraction else as_exact(x) for x in strategy]  # the common case first: no conversion
    fractions = [x for x in exact if x is not None]
    if len(fractions) != len(exact):
        return None
    nums, den = common_denominator(fractions)
    return _Scaled(tuple(nums), den)


def _integer_table(game: NormalFormGame, player: int) -> tuple[list, int]:
    """Player's payoffs as integers over their common denominator, own strategy on the last axis (nested lists)."""
    nums, den = common_denominator(list(game.payoffs[player].ravel()))
    ints = np.array(nums, dtype=object).reshape(game.shape)
    return np.moveaxis(ints, player, -1).tolist(), den


def _integer_deviations(table: list, others: Sequence[_Scaled]) -> tuple[list[int], int]:
    """Numerators and denominator of a player's payoff for each own pure strategy, by explicit summation.

    ``table`` is :func:`_integer_table`'s nested list and ``others`` the other
    players' strategies in player order.
    """
    supports = [[(k, p) for k, p in enumerate(s.nums) if p != 0] for s in others]
    values = [0] * len(_row(table, [0] * len(others)))
    for combo in itertools.product(*supports):
        weight = 1
        index = []
        for k, p in combo:
            weight *= p
            index.append(k)
        for a, v in enumerate(_row(table, index)):
            values[a] += weight * v
    return values, math.prod(s.den for s in others)


def _row(table: list, index: Sequence[int]) -> list[int]:
    for k in index:
        table = table[k]
    return table


def certify_all(
    game: NormalFormGame, profiles: Sequence[Sequence[Sequence[Number]]], tolerance: float | None = None
) -> list[Certificate]:
    """:func:`certify` for each profile, sharing the work between profiles of an exact game.

    The same verdicts and regrets as :func:`certify` one by one; exact
    certificates also carry each player's expected payoff. Profiles that are
    not exact (or of a float game) go through :func:`certify`.
    """
    if not game.exact:
        return [certify(game, profile, tolerance) for profile in profiles]
    tables = [_integer_table(game, i) for i in range(game.num_players)]
    scaled: dict[int, _Scaled | None] = {}  # by id(): the profiles hold every strategy alive meanwhile
    deviations: dict[tuple[int, tuple[_Scaled, ...]], tuple[list[int], int]] = {}
    out = []
    for profile in profiles:
        if len(profile) != game.num_players or any(len(p) != n for p, n in zip(profile, game.shape)):
            raise ValueError("profile does not match the game's shape")
        for p in profile:
            if id(p) not in scaled:
                scaled[id(p)] = _scaled(p)
        strategies = [scaled[id(p)] for p in profile]
        if any(s is None for s in strategies):
            out.append(certify(game, profile, tolerance))
            continue
        out.append(_certify_scaled(tables, strategies, deviations))  # type: ignore[arg-type]
    return out


def _certify_scaled(tables: list[tuple[list, int]], strategies: list[_Scaled], deviations: dict) -> Certificate:
    """The exact certificate of one profile of integer-scaled strategies (deviation payoffs memoised)."""
    prob_error = Fraction(0)
    for s in strategies:
        prob_error = max(prob_error, Fraction(abs(sum(s.nums) - s.den), s.den), Fraction(max(0, -min(s.nums)), s.den))
    regrets, payoffs = [], []
    for i, (table, pay_den) in enumerate(tables):
        others = tuple(strategies[:i] + strategies[i + 1 :])
        key = (i, others)
        if key not in deviations:
            deviations[key] = _integer_deviations(table, others)
        values, others_den = deviations[key]
        own = strategies[i]
        current = sum(x * v for x, v in zip(own.nums, values))
        den = pay_den * others_den * own.den
        regrets.append(Fraction(max(values) * own.den - current, den))
        payoffs.append(Fraction(current, den))
    return Certificate(tuple(regrets), True, 0.0, prob_error, tuple(payoffs))
