"""Security levels (maxmin) against hand-solved games, and the exact LP engine
against an independent exact simplex and pygambit."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.game import NormalFormGame
from gametheory.solvers.lp import _simplex, is_lp_certificate, solve_linear, solve_lp
from gametheory.solvers.security import security_levels, solve_matrix_game

F = Fraction
HALF, THIRD = F(1, 2), F(1, 3)


def zero_sum(A) -> NormalFormGame:
    A = np.asarray(A, dtype=object)
    return NormalFormGame.from_arrays(A.tolist(), (-A).tolist())


def test_matching_pennies():
    s0, s1 = security_levels(zero_sum([[1, -1], [-1, 1]]))
    for s in (s0, s1):
        assert s.exact and s.value == 0 and s.strategy == (HALF, HALF)
        assert s.pure_value == -1
        assert dict(s.punishment) == {(0,): HALF, (1,): HALF}


def test_rock_paper_scissors():
    levels = security_levels(zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]))
    for s in levels:
        assert s.value == 0 and s.strategy == (THIRD, THIRD, THIRD)
        assert (s.pure_value, s.pure_strategy) == (-1, 0)


def test_two_by_three_zero_sum_solved_by_hand():
    # A = [[3, -1, 2], [-2, 4, 1]]. Row mixes p on the first row: columns pay 5p - 2,
    # 4 - 5p and 1 + p; the lower envelope peaks where the first two cross: p = 3/5,
    # value 1 (the third column pays 8/5 there). The column player mixes the first two
    # columns 1/2-1/2 (rows then pay 4q - 1 = 4 - 6q = 1) and never plays the third.
    s0, s1 = security_levels(zero_sum([[3, -1, 2], [-2, 4, 1]]))
    assert (s0.value, s0.strategy) == (1, (F(3, 5), F(2, 5)))
    assert dict(s0.punishment) == {(0,): HALF, (1,): HALF}
    assert (s0.pure_value, s0.pure_strategy) == (-1, 0)
    # Player 2's maxmin is minus the game value, with the column minmax strategy.
    assert (s1.value, s1.strategy) == (-1, (HALF, HALF, 0))
    assert dict(s1.punishment) == {(0,): F(3, 5), (1,): F(2, 5)}
    # Pure guarantees of the columns: min(-3, 2), min(1, -4), min(-2, -1): best is the third.
    assert (s1.pure_value, s1.pure_strategy) == (-2, 2)


def test_battle_of_the_sexes_maxmin_strategies_differ_from_equilibrium():
    # u1 = [[2, 0], [0, 1]]: p on Opera guarantees min(2p, 1 - p), maximal at p = 1/3: value 2/3.
    s0, s1 = security_levels(NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    assert (s0.value, s0.strategy) == (F(2, 3), (THIRD, F(2, 3)))
    assert (s1.value, s1.strategy) == (F(2, 3), (F(2, 3), THIRD))
    assert s0.pure_value == 0


def test_prisoners_dilemma_security_is_mutual_defection():
    s0, s1 = security_levels(NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    for s in (s0, s1):
        assert (s.value, s.strategy, s.pure_value, s.pure_strategy) == (1, (0, 1), 1, 1)


def test_three_players_correlated_punishment():
    # Player 3 plays A (paid 1 if players 1 and 2 match), B (paid 1 at (0, 1)) or C (paid 1 at (1, 0)).
    # Guarantee of (a, b, c): min(a, b, c), so the maxmin is 1/3 with (1/3, 1/3, 1/3).
    # The punishment must put 1/3 on (0, 1), 1/3 on (1, 0) and 1/3 on matching profiles, which no
    # pair of independent mixtures can do (x(1-y) = (1-x)y = 1/3 has no real solution).
    u3 = np.zeros((2, 2, 3), dtype=int)
    for a, b in itertools.product((0, 1), repeat=2):
        u3[a, b] = [1, 0, 0] if a == b else ([0, 1, 0] if (a, b) == (0, 1) else [0, 0, 1])
    zero = np.zeros((2, 2, 3), dtype=int).tolist()
    s = security_levels(NormalFormGame.from_arrays(zero, zero, u3.tolist()))[2]
    assert (s.value, s.strategy, s.pure_value) == (THIRD, (THIRD, THIRD, THIRD), 0)
    punish = dict(s.punishment)
    assert punish[(0, 1)] == THIRD and punish[(1, 0)] == THIRD
    assert punish.get((0, 0), 0) + punish.get((1, 1), 0) == THIRD


def test_float_game():
    s0, _ = security_levels(zero_sum([[3, -1, 2], [-2, 4, 1]]).to_float())
    assert not s0.exact
    assert s0.value == pytest.approx(1.0, abs=1e-9)
    assert s0.strategy == pytest.approx((0.6, 0.4), abs=1e-9)
    assert isinstance(s0.pure_value, float)


# ------------------------------------------------------------------ properties


@st.composite
def bimatrix(draw):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cells = st.lists(st.integers(-4, 4), min_size=m * n, max_size=m * n)
    A = np.array(draw(cells)).reshape(m, n).tolist()
    B = np.array(draw(cells)).reshape(m, n).tolist()
    return NormalFormGame.from_arrays(A, B)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bimatrix())
def test_security_value_is_certified_by_both_sides(g):
    for s in security_levels(g):
        M = g.payoffs[s.player] if s.player == 0 else g.payoffs[s.player].T
        # The strategy guarantees the value against every pure reply...
        assert min(sum(p * M[k, q] for k, p in enumerate(s.strategy)) for q in range(M.shape[1])) == s.value
        # ...and the punishment holds every pure strategy to it (minmax theorem).
        assert max(sum(y * M[k, q] for (q,), y in s.punishment) for k in range(M.shape[0])) == s.value
        assert sum(y for _, y in s.punishment) == 1
        assert s.pure_value == max(min(row) for row in M.tolist()) <= s.value
        # A pure Nash equilibrium pays each player at least the security level.
        for a, b in itertools.product(range(g.shape[0]), range(g.shape[1])):
            if g.payoffs[0][a, b] == g.payoffs[0][:, b].max() and g.payoffs[1][a, b] == g.payoffs[1][a, :].max():
                assert g.payoffs[s.player][a, b] >= s.value


@st.composite
def small_lps(draw):
    n = draw(st.integers(1, 4))
    m_ub, m_eq = draw(st.integers(0, 4)), draw(st.integers(0, 2))
    num = st.integers(-3, 3)
    c = draw(st.lists(num, min_size=n, max_size=n))
    A_ub = [draw(st.lists(num, min_size=n, max_size=n)) for _ in range(m_ub)]
    b_ub = draw(st.lists(num, min_size=m_ub, max_size=m_ub))
    A_eq = [draw(st.lists(num, min_size=n, max_size=n)) for _ in range(m_eq)]
    b_eq = draw(st.lists(num, min_size=m_eq, max_size=m_eq))
    free = draw(st.lists(st.integers(0, n - 1), max_size=n, unique=True))
    return c, A_ub, b_ub, A_eq, b_eq, free


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_lps())
def test_highs_with_exact_recovery_agrees_with_exact_simplex(lp):
    c, A_ub, b_ub, A_eq, b_eq, free = lp
    fast = solve_lp(c, A_ub, b_ub, A_eq, b_eq, free=free, exact=True)
    conv = lambda v: [F(x) for x in v]  # noqa: E731
    slow = _simplex(conv(c), [conv(r) for r in A_ub], conv(b_ub), [conv(r) for r in A_eq], conv(b_eq), frozenset(free))
    assert fast.status == slow.status
    if fast.status == "optimal":
        assert fast.objective == slow.objective
        for sol in (fast, slow):
            assert is_lp_certificate(
                conv(c),
                [conv(r) for r in A_ub],
                conv(b_ub),
                [conv(r) for r in A_eq],
                conv(b_eq),
                frozenset(free),
                sol.x,
                sol.duals_ub,
                sol.duals_eq,
            )


def test_exact_lp_decides_infeasible_and_unbounded():
    assert solve_lp([1, 1], [[1, 1]], [-1], exact=True).status == "infeasible"
    assert solve_lp([-1, 0], [[1, -1]], [0], exact=True).status == "unbounded"
    assert solve_lp([1, 1], [[1, 1]], [-1]).status == "infeasible"


def test_certificate_rejects_a_suboptimal_pair():
    # min -x s.t. x <= 1: optimum x = 1 with multiplier 1; x = 1/2 is feasible but not optimal.
    data = ([F(-1)], [[F(1)]], [F(1)], [], [], frozenset())
    assert is_lp_certificate(*data, [F(1)], [F(1)], [])
    assert not is_lp_certificate(*data, [HALF], [F(1)], [])
    assert not is_lp_certificate(*data, [F(1)], [HALF], [])


def test_solve_linear():
    # x + y = 3, x - y = 1 -> (2, 1); a redundant third equation is fine, a contradictory one is not.
    rows = [[F(1), F(1)], [F(1), F(-1)], [F(2), F(0)]]
    assert solve_linear(rows, [F(3), F(1), F(4)], 2) == [2, 1]
    assert solve_linear(rows, [F(3), F(1), F(5)], 2) is None
    assert solve_linear([[F(1), F(1)]], [F(2)], 2) == [2, 0]  # free unknown set to 0


def test_matrix_game_value_matches_nashpy_minimax_lp():
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(3)
    for _ in range(10):
        A = rng.integers(-5, 6, size=(3, 4))
        sol = solve_matrix_game(np.array([[F(int(v)) for v in row] for row in A], dtype=object))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sigma, tau = nashpy.Game(A, -A).linear_program()
        assert float(sol.value) == pytest.approx(float(sigma @ A @ tau), abs=1e-7)


@pytest.mark.slow
def test_zero_sum_value_matches_pygambit_lp():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for _ in range(15):
        A = rng.integers(-9, 10, size=(int(rng.integers(2, 6)), int(rng.integers(2, 6))))
        result = gbt.nash.lp_solve(gbt.Game.from_arrays(A, -A), rational=True)
        eq = result.equilibria[0]
        value = F(str(eq.payoff(next(iter(eq.game.players)))))
        s0, s1 = security_levels(zero_sum(A.tolist()))
        assert s0.value == value and s1.value == -value
