from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.certify import certify, certify_all
from gametheory.game import NormalFormGame, expected_payoffs, pure_profile
from tests.support import g1_defaults, prisoners_dilemma

F = Fraction


def test_dominant_strategy_equilibrium_has_zero_regret():
    g = prisoners_dilemma()
    cert = certify(g, pure_profile(g, (1, 1)))
    assert cert.exact and cert.ok and cert.max_regret == 0


def test_cooperation_has_regret_two():
    g = prisoners_dilemma()
    cert = certify(g, pure_profile(g, (0, 0)))
    # Each player gains T - R = 5 - 3 = 2 by defecting.
    assert cert.regrets == (2, 2) and not cert.ok


def test_g1_mixed_equilibrium_certified_exactly():
    g = g1_defaults()
    prof = ((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8)))
    cert = certify(g, prof)
    assert cert.exact and cert.ok


def test_slightly_wrong_mixture_fails_exact_check():
    g = g1_defaults()
    prof = ((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8) + F(1, 10**9), F(3, 8) - F(1, 10**9)))
    assert not certify(g, prof).ok


def test_probabilities_must_sum_to_one():
    g = prisoners_dilemma()
    assert not certify(g, ((F(1), F(1)), (F(0), F(1)))).ok


def test_float_profile_uses_tolerance():
    g = g1_defaults()
    prof = ((1.0, 0.0), (0.75, 0.25), (0.625 + 1e-13, 0.375 - 1e-13))
    cert = certify(g, prof)
    assert not cert.exact and cert.ok
    bad = ((1.0, 0.0), (0.75, 0.25), (0.7, 0.3))
    assert not certify(g, bad).ok


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=8, max_size=8), st.tuples(*[st.integers(0, 1)] * 3))
def test_pure_regret_matches_best_response_definition(values, prof):
    arrays = [
        [[[values[(a * 4 + b * 2 + c)] * (i + 1) - i for c in range(2)] for b in range(2)] for a in range(2)]
        for i in range(3)
    ]
    g = NormalFormGame.from_arrays(*arrays)
    cert = certify(g, pure_profile(g, prof))
    for i in range(3):
        best = max(g.payoffs[(i, *prof[:i], k, *prof[i + 1 :])] for k in range(2))
        assert cert.regrets[i] == best - g.payoffs[(i, *prof)]


def test_batch_agrees_with_one_by_one_and_reports_payoffs():
    g = g1_defaults()
    good = ((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8)))
    off = ((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8) + F(1, 10**9), F(3, 8) - F(1, 10**9)))
    unnormalised = ((F(1), F(1)), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8)))
    floats = ((1.0, 0.0), (0.75, 0.25), (0.625, 0.375))
    profiles = [good, off, good, unnormalised, floats]
    batch = certify_all(g, profiles)
    assert [c.ok for c in batch] == [True, False, True, False, True]
    for cert, profile in zip(batch, profiles):
        alone = certify(g, profile)
        assert (cert.regrets, cert.exact, cert.probability_error) == (
            alone.regrets,
            alone.exact,
            alone.probability_error,
        )
    assert batch[0].payoffs == expected_payoffs(g, good) and batch[4].payoffs == ()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.fractions(-3, 3, max_denominator=6), min_size=12, max_size=12),
    st.lists(st.integers(0, 4), min_size=5, max_size=5),
)
def test_batch_regrets_equal_the_fraction_sums(values, weights):
    """Integer scaling changes nothing: regrets of a 2x3 game with fractional payoffs match :func:`certify`'s."""
    g = NormalFormGame.from_arrays([values[0:3], values[3:6]], [values[6:9], values[9:12]])
    x = [F(w + 1, sum(weights[:2]) + 2) for w in weights[:2]]
    y = [F(w, sum(weights[2:]) or 1) for w in weights[2:]]
    profiles = [(x, y), (x, y), pure_profile(g, (1, 2))]
    for cert, profile in zip(certify_all(g, profiles), profiles):
        assert cert.regrets == certify(g, profile).regrets
        assert cert.payoffs == expected_payoffs(g, profile)
