"""Tests of the exact test that rules out supports where three players mix (gametheory.solvers._polyreject).

The test may only say "no equilibrium here" where there is none: checked
against the general exact path of :mod:`gametheory.solvers.polynomial` run on
the same supports, and against hand derivations.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gametheory.game import NormalFormGame
from gametheory.solvers import _polyreject, polynomial
from gametheory.solvers.polynomial import _Enumerator


def _cyclic_game(d) -> NormalFormGame:
    """A 2x2x2 game: player i's payoff is ``d(x, y)`` for its first strategy and 0 for its second, ``x`` and ``y``
    the next two players' (cyclic order) indicators of their first strategies."""
    arrays = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for profile in itertools.product(range(2), repeat=3):
        for i in range(3):
            if profile[i] == 0:
                arrays[i][profile] = d(1 - profile[(i + 1) % 3], 1 - profile[(i + 2) % 3])
    return NormalFormGame.from_arrays(*arrays)


def _full_support_verdict(game: NormalFormGame) -> bool:
    en = _Enumerator(game, None)
    S = ((0, 1),) * 3
    return _polyreject.three_no_equilibrium(en.blocks(S, [0, 1, 2]), S, [0, 1, 2])


def test_a_support_with_two_totally_mixed_equilibria_is_not_ruled_out():
    # d(x, y) = 2 - 9x(1 - y): every player mixes at 1/3 or at 2/3 (McKelvey & McLennan's maximum, derived in
    # tests/solvers/test_polynomial.py), so the full support has two equilibria.
    assert _full_support_verdict(_cyclic_game(lambda x, y: 2 - 9 * x * (1 - y))) is False


def test_a_support_where_no_player_can_be_indifferent_is_ruled_out():
    # d(x, y) = 1 + x > 0 on the whole square: the first strategy always earns more, nobody mixes.
    assert _full_support_verdict(_cyclic_game(lambda x, y: 1 + x)) is True


def test_a_support_whose_equations_hold_only_on_its_boundary_is_ruled_out():
    # Payoffs in {0, 1, 2} (the second game of seed 2); players 1, 2, 3 mix their strategies {1, 2}, {1, 2},
    # {1, 3}, player 3 with probabilities (t, 1 - t). Player 1 is indifferent iff (1 - 2t)(s_1 - s_2) = 0 and
    # player 2 iff (2t - 1) r_1 + r_2 = 0 (r, s: players 1 and 2's probabilities). Where t != 1/2, r and s are
    # fixed and player 3's equation reduces to 2(1 - 2t)**2 = 0: no solution. At t = 1/2 player 2's equation
    # says r_2 = 0, so player 1 does not mix: the support has no equilibrium. (The equations do hold on the
    # segment t = 1/2, r = (1, 0), s free, which the general path cannot settle by subdivision.)
    arrays = [
        [[[2, 1, 1], [0, 2, 1], [1, 0, 2]], [[1, 1, 2], [1, 0, 0], [0, 0, 1]], [[0, 1, 2], [1, 1, 0], [2, 0, 2]]],
        [[[1, 1, 2], [2, 2, 1], [0, 2, 2]], [[1, 1, 0], [2, 0, 1], [0, 2, 1]], [[0, 0, 0], [0, 2, 2], [1, 0, 0]]],
        [[[1, 1, 1], [1, 1, 1], [1, 1, 2]], [[2, 2, 0], [1, 2, 1], [0, 1, 1]], [[2, 1, 0], [0, 2, 2], [1, 0, 0]]],
    ]
    en = _Enumerator(NormalFormGame.from_arrays(*[np.array(a) for a in arrays]), None)
    S = ((0, 1), (0, 1), (0, 2))
    assert _polyreject.three_no_equilibrium(en.blocks(S, [0, 1, 2]), S, [0, 1, 2]) is True


@pytest.mark.parametrize(
    ("shape", "high", "seed", "games"), [((2, 2, 2, 2), 100, 0, 3), ((2, 2, 2, 2), 3, 1, 3), ((3, 3, 3), 3, 2, 1)]
)
def test_rules_out_only_supports_where_the_general_path_finds_nothing(shape, high, seed, games, monkeypatch):
    # payoffs in {0, 1, 2} make ties: signs that are exactly zero, kernel vectors that vanish. Where the general
    # path leaves a support unsettled (see the test above), only its equilibria found are compared.
    # en.solve runs the general path alone: neither this test nor the interval propagation (which would
    # otherwise skip most of these supports and leave nothing to compare) may skip a support.
    applies = _polyreject.three_applies
    monkeypatch.setattr(polynomial._polyreject, "three_applies", lambda S, mixed: False)
    monkeypatch.setattr(polynomial, "proven_empty", lambda *args: False)
    rng = np.random.default_rng(seed)
    ruled_out = kept_with_points = 0
    for _ in range(games):
        en = _Enumerator(NormalFormGame.from_arrays(*[rng.integers(0, high, size=shape) for _ in shape]), None)
        for S in en.supports():
            mixed = [j for j in range(en.N) if len(S[j]) > 1]
            if not applies(S, mixed):
                continue
            verdict = _polyreject.three_no_equilibrium(en.blocks(S, mixed), S, mixed)
            before = len(en.points)
            en.solve(S)
            if verdict:
                assert len(en.points) == before, S
                ruled_out += 1
            else:
                kept_with_points += len(en.points) > before
    assert ruled_out >= 5  # the test does rule supports out
    assert kept_with_points > 0  # and some supports it kept had equilibria
