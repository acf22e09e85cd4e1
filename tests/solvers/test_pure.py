from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.certify import certify
from gametheory.game import NormalFormGame, pure_profile
from gametheory.solvers.pure import best_response_mask, pure_equilibria
from tests.support import g1_defaults, prisoners_dilemma


def test_prisoners_dilemma_unique_defect_defect():
    assert pure_equilibria(prisoners_dilemma()) == [(1, 1)]


def test_matching_pennies_has_no_pure_equilibrium():
    g = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert pure_equilibria(g) == []


def test_battle_of_sexes_two_pure():
    g = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert pure_equilibria(g) == [(0, 0), (1, 1)]


def test_g1_defaults_only_hold_target_stay_out():
    # SCENARIOS.md G1: the only pure equilibrium at the defaults.
    assert pure_equilibria(g1_defaults()) == [(1, 1, 1)]


def test_best_response_mask_by_hand():
    mask = best_response_mask(prisoners_dilemma())
    # Defect is Row's best response to either column; Col's to either row.
    assert mask[0].tolist() == [[False, False], [True, True]]
    assert mask[1].tolist() == [[False, True], [False, True]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=27, max_size=27))
def test_pure_equilibria_are_exactly_the_zero_regret_profiles(values):
    arrays = [
        [[[values[(a * 9 + b * 3 + c + 7 * i) % 27] for c in range(3)] for b in range(3)] for a in range(3)]
        for i in range(3)
    ]
    g = NormalFormGame.from_arrays(*arrays)
    found = set(pure_equilibria(g))
    brute = {p for p in g.profiles() if certify(g, pure_profile(g, p)).ok}
    assert found == brute
