"""Certified subdivision for supports with many unknowns (gametheory.solvers._polybox).

Independent answers: games built so that a known profile is the only
solution of the full support's equations (derived by hand below), a numerical
root search from many starting points (scipy), and pygambit's enumpoly.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from gametheory.certify import certify
from gametheory.game import NormalFormGame
from gametheory.solvers import polynomial as poly
from gametheory.solvers._polybox import _System, solve_support_boxes


def _count_game(n_players: int = 5, extra: int = 0) -> NormalFormGame:
    """u_i(0, s) = 4 * (#others playing 0) - 8 + extra * (x_{i+1} - 1/2)(x_{i+2} - 1/2) * 4, u_i(1, s) = 0.

    At the full support, player i is indifferent when E[#others at 0] = 2
    (plus the extra term's expectation). With extra = 0 the equations are
    sum_{j != i} z_j = 2 for every i: subtracting two of them gives
    z_i = z_j, so z = 1/2 is the only solution, and its Jacobian (ones off
    the diagonal) is invertible.
    """
    arrays = [np.zeros((2,) * n_players, dtype=object) for _ in range(n_players)]
    for prof in itertools.product(range(2), repeat=n_players):
        x = [1 - a for a in prof]  # 1 when playing strategy 0
        for i in range(n_players):
            if prof[i] == 0:
                others = sum(x[j] for j in range(n_players) if j != i)
                j, k = (i + 1) % n_players, (i + 2) % n_players
                arrays[i][prof] = 4 * others - 8 + extra * (2 * x[j] - 1) * (2 * x[k] - 1)
    return NormalFormGame.from_arrays(*arrays)


def _full_support(game: NormalFormGame):
    en = poly._Enumerator(game, None)
    S = tuple(tuple(range(n)) for n in game.shape)
    return en, S


def test_finds_the_only_fully_mixed_solution_and_certifies_it():
    game = _count_game()
    en, S = _full_support(game)
    result = solve_support_boxes(en.U, S, list(range(5)), game.shape, None)
    assert result.unresolved is None
    assert len(result.profiles) == 1
    assert result.radius < 1e-12
    for row in result.profiles[0]:
        assert row == pytest.approx((0.5, 0.5), abs=1e-12)


def test_the_enumeration_reports_it_exactly_after_snapping_and_is_complete():
    game = _count_game()
    found = poly.enumerate_polynomial(game)
    assert found.complete
    half = tuple((Fraction(1, 2), Fraction(1, 2)) for _ in range(5))
    assert half in [tuple(tuple(r) for r in p) for p in found.profiles]
    assert all(certify(game, p).ok for p in found.profiles)
    assert any("certified subdivision" in n for n in found.notes)


def test_agrees_with_a_numerical_root_search_from_many_starts():
    scipy_optimize = pytest.importorskip("scipy.optimize")
    game = _count_game(extra=3)
    en, S = _full_support(game)
    result = solve_support_boxes(en.U, S, list(range(5)), game.shape, None)
    assert result.unresolved is None
    sysm = _System(en.U, S, list(range(5)), game.shape)
    rng = np.random.default_rng(5)
    roots: list[np.ndarray] = []
    for _ in range(400):
        z, _, ier, _ = scipy_optimize.fsolve(
            lambda z: sysm.F(z[None, :])[0], rng.random(5), fprime=lambda z: sysm.J(z[None, :])[0], full_output=True
        )
        interior_root = (
            ier == 1 and np.all(np.abs(sysm.F(z[None, :])[0]) < 1e-10) and np.all((z > 1e-9) & (z < 1 - 1e-9))
        )
        if interior_root and not any(np.allclose(z, q, atol=1e-7) for q in roots):
            roots.append(z)
    interior = [z for z in roots if sysm.regret(z) <= 1e-10]
    ours = [np.array([row[0] for row in p]) for p in result.profiles]
    assert len(ours) == len(interior) >= 1
    for z in interior:
        assert any(np.allclose(z, q, atol=1e-9) for q in ours)


def test_a_continuum_is_reported_unresolved_not_dropped():
    # every payoff zero except a tie-making constant: all full-support profiles are equilibria
    arrays = [np.zeros((2,) * 5, dtype=object) for _ in range(5)]
    game = NormalFormGame.from_arrays(*arrays)
    en, S = _full_support(game)
    result = solve_support_boxes(en.U, S, list(range(5)), game.shape, None, max_boxes=2000)
    assert result.unresolved is not None
    assert result.profiles == []


@pytest.mark.slow
def test_five_player_games_agree_with_gambit():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(77)
    for _ in range(6):
        arrays = [rng.integers(0, 100, size=(2,) * 5) for _ in range(5)]
        game = NormalFormGame.from_arrays(*arrays)
        ours = poly.enumerate_polynomial(game)
        assert ours.complete
        assert all(certify(game, p).ok for p in ours.profiles)
        gg = gbt.Game.from_arrays(*[np.asarray(a, dtype=object) for a in arrays])
        for eq in gbt.nash.enumpoly_solve(gg, use_strategic=True).equilibria:
            q = [[float(eq[s]) for s in player.strategies] for player in gg.players]
            assert any(
                all(abs(float(a) - b) < 1e-6 for ra, rb in zip(p, q) for a, b in zip(ra, rb)) for p in ours.profiles
            ), q


def test_corner_values_are_the_equations_and_jacobian_at_every_corner():
    # The box ranges contract the coefficient tensor one player at a time; they must equal the
    # values of F and J obtained by evaluating every monomial at each corner point (the other route).
    rng = np.random.default_rng(3)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(3, 2, 2)) for _ in range(3)])
    en, S = _full_support(game)
    sysm = _System(en.U, S, [0, 1, 2], game.shape)
    lo = rng.random((4, sysm.D)) * 0.5
    hi = lo + rng.random((4, sysm.D)) * 0.5
    got = sysm.corner_values(lo, hi, jacobian=True)
    for p in range(4):
        points = np.array(
            [
                [(hi if bit else lo)[p, c] for c, bit in enumerate(bits)]
                for bits in itertools.product((0, 1), repeat=sysm.D)
            ]
        )
        F, J = sysm.FJ(points)
        expected = np.concatenate([F, J.reshape(len(points), -1)], axis=1)
        assert np.allclose(np.sort(got[p], axis=0), np.sort(expected, axis=0), atol=1e-12)
        # and corner by corner in the order corner_bit describes (the narrowing reads faces off it)
        F, J = sysm.FJ(np.where(sysm.corner_bit == 1, hi[p], lo[p]))
        assert np.allclose(got[p], np.concatenate([F, J.reshape(len(F), -1)], axis=1), atol=1e-12)


def test_exact_centre_values_are_the_rational_values_rounded_once():
    # F_exact works in scaled integers; the other route is Fraction arithmetic on the same binary fractions.
    rng = np.random.default_rng(11)
    game = NormalFormGame.from_arrays(*[rng.integers(-50, 50, size=(3, 2, 2)) for _ in range(3)])
    en, S = _full_support(game)
    sysm = _System(en.U, S, [0, 1, 2], game.shape)
    for _ in range(5):
        z = rng.random(sysm.D) * 1.2 - 0.1
        vectors = {
            j: [Fraction(1)] + [Fraction(float(x)) for x in z[sysm.offset[j] : sysm.offset[j] + sysm.d[j]]]
            for j in sysm.mixed
        }
        mono = [Fraction(np.prod([vectors[j][k] for j, k in zip(sysm.mixed, g)], dtype=object)) for g in sysm.grid]
        expected = [
            float(sum((Fraction(c, scale) * m for c, m in zip(row, mono)), Fraction(0)))
            for row, scale in zip(sysm.exact_eq, sysm.eq_scale)
        ]
        assert sysm.F_exact(z).tolist() == expected


def test_preconditioned_test_drops_a_box_beside_the_solution_and_narrows_the_one_around_it():
    # The count game's only solution is z = 1/2 and its equations are linear (see _count_game), so
    # Y F = z - 1/2: a box just beside the solution keeps every equation's range straddling zero, but
    # the first combination is positive on it; the box around the solution narrows onto z = 1/2.
    from gametheory.solvers._polybox import _preconditioned

    game = _count_game()
    en, S = _full_support(game)
    sysm = _System(en.U, S, list(range(5)), game.shape)
    lo = np.array([[0.4] * 5, [0.52, 0.4, 0.4, 0.4, 0.4]])
    hi = np.array([[0.6] * 5, [0.6] * 5])
    values = sysm.corner_values(lo, hi, jacobian=False)
    straddles = (values.min(axis=1) < 0) & (values.max(axis=1) > 0)
    assert straddles.all()  # the plain test keeps both boxes
    scale = np.abs(values).max(axis=1)
    new_lo, new_hi, kept = _preconditioned(sysm, lo, hi, lo, hi, values, scale)
    assert kept.tolist() == [True, False]
    assert np.all(new_lo[0] <= 0.5) and np.all(new_hi[0] >= 0.5)
    assert np.all(new_hi[0] - new_lo[0] < 1e-9)
