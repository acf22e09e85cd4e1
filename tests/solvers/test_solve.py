"""solve(): dispatch, certification, size guard, exact and algebraic output."""

from fractions import Fraction

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import GameTooLargeError
from gametheory.game import NormalFormGame
from tests.support import g1_defaults


def test_g1_all_three_equilibria_with_algebraic_fully_mixed():
    sol = gt.solve(g1_defaults())
    assert sol.scope == "all" and sol.complete and len(sol.equilibria) == 3
    mixed = [e for e in sol.equilibria if not e.pure]
    e2 = next(e for e in mixed if e.exact)
    assert e2.profile == ((1, 0), (Fraction(3, 4), Fraction(1, 4)), (Fraction(5, 8), Fraction(3, 8)))
    e3 = next(e for e in mixed if not e.exact)
    # SCENARIOS.md: deploy solves 155 d^2 - 158 d + 24 = 0, i.e. d = (79 + sqrt(2521))/155.
    d = (79 + 2521**0.5) / 155
    assert abs(e3.profile[0][0] - d) < 1e-12
    assert e3.algebraic is not None and "sqrt(2521)" in e3.algebraic[0][0]


def test_two_player_too_large_is_refused_up_front_with_advice():
    rng = np.random.default_rng(0)
    g = NormalFormGame.from_arrays(rng.integers(0, 9, (16, 16)).tolist(), rng.integers(0, 9, (16, 16)).tolist())
    with pytest.raises(GameTooLargeError, match="--method lh"):
        gt.solve(g)


def test_n_player_too_large_is_refused_up_front_with_advice():
    shape = (6, 6, 6)  # (2^6 - 1)^3 = 250,047 support profiles
    g = NormalFormGame.from_arrays(*[np.zeros(shape, dtype=int).tolist() for _ in range(3)])
    with pytest.raises(GameTooLargeError, match="--method logit"):
        gt.solve(g)


def test_pure_method_scope_is_stated():
    sol = gt.solve(g1_defaults(), method="pure")
    assert sol.scope == "pure" and [e.pure_profile for e in sol.equilibria] == [(1, 1, 1)]
