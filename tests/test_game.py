from fractions import Fraction

import numpy as np
import pytest

from gametheory.errors import InputError
from gametheory.game import NormalFormGame, expected_payoffs, pure_profile, strategy_payoffs, uniform_profile
from tests.support import g1_defaults, prisoners_dilemma


def test_convention_payoffs_indexed_by_player_then_profile():
    g = prisoners_dilemma()
    # Row defects, Col cooperates: Row gets T=5, Col gets S=0.
    assert g.payoffs[0][1, 0] == 5 and g.payoffs[1][1, 0] == 0
    assert g.shape == (2, 2) and g.num_players == 2 and g.exact
    assert isinstance(g.payoffs[0][0, 0], Fraction)


def test_float_payoffs_make_a_float_game():
    g = NormalFormGame.from_arrays([[0.5, 1], [2, 3]], [[1, 0], [0, 1]])
    assert not g.exact and g.payoffs.dtype == float


def test_non_finite_payoffs_refused():
    with pytest.raises(InputError):
        NormalFormGame.from_arrays([[float("nan"), 1], [2, 3]], [[1, 0], [0, 1]])


def test_shape_mismatch_refused():
    with pytest.raises(InputError):
        NormalFormGame.from_arrays([[1, 2]], [[1, 2], [3, 4]])
    with pytest.raises(InputError):
        NormalFormGame.from_arrays([[1, 2], [3, 4]], [[1, 2], [3, 4]], strategies=[["a", "a"], ["x", "y"]])


def test_expected_payoffs_exact_by_hand():
    g = prisoners_dilemma()
    half = (Fraction(1, 2), Fraction(1, 2))
    # Row's payoff against a 50/50 Col: C gives (3+0)/2, D gives (5+1)/2.
    assert list(strategy_payoffs(g, (half, half), 0)) == [Fraction(3, 2), Fraction(3)]
    # Both 50/50: Row expects (3+0+5+1)/4 = 9/4, symmetric for Col.
    assert expected_payoffs(g, uniform_profile(g)) == (Fraction(9, 4), Fraction(9, 4))


def test_three_player_strategy_payoffs_match_table():
    g = g1_defaults()
    # Europe deploys; Russia targets w.p. 1/4; US backstops w.p. 5/8 (SCENARIOS.md E2).
    prof = ((1, 0), (Fraction(3, 4), Fraction(1, 4)), (Fraction(5, 8), Fraction(3, 8)))
    us = strategy_payoffs(g, prof, 2)
    # US: backstop 3/4*(-1) + 1/4*(-9) = -3, stay_out 3/4*0 + 1/4*(-12) = -3 (indifferent).
    assert list(us) == [-3, -3]
    ru = strategy_payoffs(g, prof, 1)
    # Russia: accept -3 either way; target 5/8*(-6) + 3/8*2 = -3.
    assert list(ru) == [-3, -3]


def test_restrict_keeps_names_and_payoffs():
    g = g1_defaults()
    sub = g.restrict([[1], [0, 1], [1]])
    assert sub.shape == (1, 2, 1)
    assert sub.strategies == (("hold",), ("accept", "target"), ("stay_out",))
    assert sub.payoffs[1][0, 1, 0] == 4


def test_pure_profile_is_unit_vectors():
    g = g1_defaults()
    assert pure_profile(g, (1, 1, 1)) == ((0, 1), (0, 1), (0, 1))
    assert np.array_equal(g.float_payoffs, np.asarray(g.payoffs, dtype=float))
