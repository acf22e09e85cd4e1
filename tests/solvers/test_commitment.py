"""Commitment (Stackelberg leadership) against answers known independently of the code under test.

Textbook cases derived by hand; random bimatrix games against a brute-force
search over the leader's mixtures and against the one-LP formulation of
Conitzer and Korzhyk (2011), written here with scipy directly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

from gametheory.game import NormalFormGame
from gametheory.solvers import solve
from gametheory.solvers.commitment import commitment, correlated_commitment, who_gains
from tests.support import g1_defaults


def bimatrix(A, B, strategies=None) -> NormalFormGame:
    return NormalFormGame.from_arrays(A, B, players=["L", "F"], strategies=strategies)


# ------------------------------------------------------------------ textbook cases
def test_conitzer_sandholm_example_mixed_beats_pure_beats_nash():
    # Conitzer & Sandholm (2006), Fig. 1: Up strictly dominates Down, so the only Nash equilibrium is
    # (Up, Left) with 1. Committing to Down makes the follower play Right: 2. Committing to Up with
    # probability 1/2 keeps Right a best reply (follower: 1 - x >= x) and gives 3x + 2(1 - x) = 5/2.
    g = bimatrix([[1, 3], [0, 2]], [[1, 0], [0, 1]], [["Up", "Down"], ["Left", "Right"]])
    c = commitment(g, "L")
    assert c.nash_best == (1, 1) and c.nash_worst == (1, 1)
    assert c.pure_optimistic.payoffs == (2, 1)
    assert c.pure_optimistic.profile[0] == (0, 1)
    assert c.mixed_strong.profile == ((Fraction(1, 2), Fraction(1, 2)), (0, 1))
    assert c.mixed_strong.payoffs == (Fraction(5, 2), Fraction(1, 2))
    assert c.value == Fraction(5, 2) and c.gain_over_best_nash == Fraction(3, 2)
    # Breaking ties against the leader, 5/2 is only a supremum: at x = 1/2 the indifferent follower then
    # plays Left (the leader gets 1/2), and every x < 1/2 gives the leader 2 + x < 5/2.
    assert c.mixed_weak.payoffs[0] == Fraction(5, 2) and not c.mixed_weak.attained
    # Two players: commitment to a correlated strategy is worth exactly the strong mixed value.
    assert c.correlated.payoffs[0] == Fraction(5, 2)
    assert not c.pure_hurts


def zero_sum_value(A: np.ndarray) -> float:
    """The value of the zero-sum game A (row maximises), by the textbook maxmin LP in scipy."""
    n, m = A.shape
    # variables (x_1..x_n, v): maximise v s.t. v <= x.A[:, j] for every column, sum x = 1
    res = linprog(
        np.r_[np.zeros(n), -1.0],
        A_ub=np.c_[-A.T, np.ones(m)],
        b_ub=np.zeros(m),
        A_eq=np.r_[np.ones(n), 0.0].reshape(1, -1),
        b_eq=[1],
        bounds=[(0, None)] * n + [(None, None)],
    )
    return -res.fun


@pytest.mark.parametrize("leader", [0, 1])
@pytest.mark.parametrize("A", [[[3, -1], [-2, 4]], [[3, -1, 0], [-2, 4, 1], [0, 1, -3]]])
def test_zero_sum_commitment_is_worth_the_game_value(A, leader):
    # Zero-sum: by the minimax theorem the leader gets exactly the value of the game, committed or not.
    # (The 2x2 game's value by hand: (3*4 - (-1)(-2)) / (3 + 4 + 1 + 2) = 1.)
    matrix = np.array(A, dtype=float)
    g = bimatrix(A, [[-v for v in row] for row in A])
    value = zero_sum_value(matrix if leader == 0 else -matrix.T)
    c = commitment(g, leader)
    got = c.mixed_strong.payoffs[leader]
    assert float(got) == pytest.approx(value, abs=1e-9)
    assert c.mixed_weak.payoffs[leader] == got and c.mixed_weak.attained  # the maxmin mixture guarantees it
    assert c.nash_best[leader] == c.nash_worst[leader] == got
    assert c.gain_over_best_nash == 0
    if len(A) == 2:
        assert g.payoffs[0].shape == (2, 2) and c.mixed_strong.payoffs[0] == 1


def test_matching_pennies_pure_commitment_hurts():
    # Whoever commits to heads or tails is matched or mismatched for sure: -1 against 0 in the Nash equilibrium.
    g = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    c = commitment(g, 0)
    assert c.pure_optimistic.payoffs[0] == -1 and c.nash_best[0] == 0
    assert c.pure_hurts
    assert c.mixed_strong.payoffs[0] == 0 and c.mixed_strong.profile[0] == (Fraction(1, 2), Fraction(1, 2))


def test_weak_form_differs_when_the_strong_optimum_needs_a_never_unique_reply():
    # Follower: Right is a best reply only at x_Up = 1, where it ties with Left. Strong: commit to Up,
    # the follower picks Right, 5. Weak: Right is never the unique reply, so the best the leader can
    # be sure of is 1 (Down; Left is then the unique reply), attained.
    g = bimatrix([[0, 5], [1, 0]], [[1, 1], [1, 0]])
    c = commitment(g, 0)
    assert c.mixed_strong.payoffs[0] == 5
    assert c.mixed_weak.payoffs[0] == 1 and c.mixed_weak.attained
    assert c.mixed_weak.profile == ((0, 1), (1, 0))


def test_column_player_as_leader_reads_the_transposed_game():
    # Battle of the sexes, column player leads: she commits to her favourite (Ballet) and gets 2.
    g = bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    c = commitment(g, 1)
    assert c.mixed_strong.payoffs == (1, 2)
    assert c.pure_optimistic.payoffs == (1, 2) and c.pure_pessimistic.payoffs == (1, 2)


# ------------------------------------------------------------------ random games
def brute_force_weak_value(A: np.ndarray, B: np.ndarray, rng: np.random.Generator) -> float:
    """Max over leader mixtures of the leader's payoff against the follower's best reply
    (a grid of the simplex, then random local refinement of the best points).

    At generic points the best reply is unique, so this approaches the Stackelberg value from below.
    """
    n = A.shape[0]
    steps = 40 if n == 2 else 16
    grid = [np.array(c, dtype=float) / steps for c in _compositions(steps, n)]

    def value(x):
        f = x @ B
        best = np.flatnonzero(f >= f.max() - 1e-12)
        return min(x @ A[:, j] for j in best)

    scored = sorted(((value(x), tuple(x)) for x in grid), reverse=True)[:5]
    best = scored[0][0]
    for _, start in scored:
        x, v, step = np.array(start), value(np.array(start)), 0.05
        for _ in range(300):
            y = np.clip(x + rng.normal(0, step, n), 0, None)
            if y.sum() == 0:
                continue
            y /= y.sum()
            w = value(y)
            if w > v:
                x, v = y, w
            else:
                step *= 0.97
        best = max(best, v)
    return best


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def one_lp_stackelberg(A: np.ndarray, B: np.ndarray) -> float:
    """Conitzer & Korzhyk's single LP: a distribution p over (i, j) maximising the leader's payoff
    subject to the follower obeying each recommendation j. For two players its value is the strong
    Stackelberg value."""
    n, m = A.shape
    rows = []
    for j in range(m):
        for k in range(m):
            if k != j:
                row = np.zeros((n, m))
                row[:, j] = B[:, k] - B[:, j]  # sum_i p_ij (B_ik - B_ij) <= 0
                rows.append(row.ravel())
    res = linprog(-A.ravel(), A_ub=np.array(rows), b_ub=np.zeros(len(rows)), A_eq=np.ones((1, n * m)), b_eq=[1])
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize("seed", range(6))
def test_random_bimatrix_games_against_brute_force_and_an_independent_lp(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 4)), int(rng.integers(2, 5))
    A = rng.integers(-5, 6, size=(n, m))
    B = rng.integers(-5, 6, size=(n, m))
    g = bimatrix(A.tolist(), B.tolist())
    c = commitment(g, 0)
    strong = c.mixed_strong.payoffs[0]
    assert isinstance(strong, Fraction)  # exact
    assert float(strong) == pytest.approx(one_lp_stackelberg(A.astype(float), B.astype(float)), abs=1e-7)
    assert c.correlated.payoffs[0] == strong  # exact, by the same theorem
    brute = brute_force_weak_value(A.astype(float), B.astype(float), rng)
    assert brute <= float(c.mixed_weak.payoffs[0]) + 1e-9  # the weak value is the supremum of what the grid finds
    assert float(c.mixed_weak.payoffs[0]) - brute < 2e-2
    assert c.mixed_weak.payoffs[0] <= strong
    # Committing never costs the leader: the strong value is at least every Nash payoff.
    assert all(strong >= e.payoffs[0] for e in solve(g).equilibria)
    assert strong >= c.pure_optimistic.payoffs[0]


# ------------------------------------------------------------------ several followers
def test_g1_us_pure_commitment_by_hand():
    # Backstop committed: Russia accepts a deployed force (-3 > -6) and targets if Europe holds (4 > 0);
    # Europe deploys if accepted (7 > 0), holds if targeted (-8 > -17): two pure equilibria of the followers,
    # best for the US (deploy, accept): -1; worst (hold, target): -6 (plus a mixed one in between).
    # Stay_out: Russia targets whatever Europe does, so Europe holds: -4.
    c = commitment(g1_defaults(), "US")
    backstop, stay_out = c.pure
    assert backstop.best.payoffs == (7, -3, -1) and backstop.worst.payoffs == (-8, 4, -6)
    assert backstop.follower_equilibria == 3
    assert stay_out.best.payoffs == stay_out.worst.payoffs == (-8, 4, -4)
    assert c.pure_optimistic.payoffs[2] == -1 and c.pure_pessimistic.payoffs[2] == -4
    # The three Nash equilibria give the US -4 (E1), -3 (E2) and about -3.73 (E3).
    assert c.nash_best[2] == -3 and c.nash_worst[2] == -4
    assert c.mixed_strong is None  # two followers: see tests/sensitivity/test_commitment.py


def test_g1_us_correlated_commitment_is_the_deterrence_probability():
    # Recommending (deploy, accept) while backstopping with probability q keeps Russia obedient iff
    # -3 >= 10 - 6 - 2 - 8q, i.e. q >= 5/8 = (g_r - f_r - w_r + a_r)/x_r; each unit of q costs the US 1,
    # so the best is q = 5/8: the US gets -5/8.
    corr = correlated_commitment(g1_defaults(), 2)
    assert corr.payoffs == (Fraction(47, 8), -3, Fraction(-5, 8))
    assert corr.distribution[0, 0, 0] == Fraction(5, 8) and corr.distribution[0, 0, 1] == Fraction(3, 8)


def test_who_gains_table_has_one_row_per_player():
    rows = who_gains(g1_defaults())
    assert [r.leader_name for r in rows] == ["Europe", "Russia", "US"]
    # The US backs the force 5 times in 8 (see the correlated test above): -5/8 against -3, a gain of 19/8.
    assert [r.gain_over_best_nash for r in rows] == [0, 0, Fraction(19, 8)]


def test_float_games_give_float_results_close_to_the_exact_ones():
    g = bimatrix([[1.0, 3.0], [0.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]])
    c = commitment(g, 0)
    assert not c.mixed_strong.exact
    assert c.mixed_strong.payoffs[0] == pytest.approx(2.5)


def test_a_follower_with_too_many_strategies_is_refused_with_the_size():
    from gametheory.errors import GameTooLargeError
    from gametheory.solvers.commitment import MAX_FOLLOWER_STRATEGIES, strong_mixed

    m = MAX_FOLLOWER_STRATEGIES + 1
    g = bimatrix([[0] * m, [1] * m], [list(range(m)), list(range(m))])
    with pytest.raises(GameTooLargeError, match=f"the follower has {m} strategies"):
        strong_mixed(g, 0)


# ------------------------------------------------------------------ several followers: mixtures answered by a pure equilibrium
def test_g1_us_mixture_answered_by_a_pure_equilibrium_is_five_eighths():
    # As in the correlated test: (deploy, accept) stays an equilibrium of the followers iff q >= 5/8,
    # and each unit of q costs the US 1, so the LP of (deploy, accept) peaks at q = 5/8, worth -5/8.
    c = commitment(g1_defaults(), "US", correlated=False)
    mixed = c.mixed_pure_reply
    assert mixed.profile == ((1, 0), (1, 0), (Fraction(5, 8), Fraction(3, 8)))
    assert mixed.payoffs[2] == Fraction(-5, 8) and c.best_commitment is mixed


def grid_pure_reply_value(game: NormalFormGame, leader: int, steps: int) -> Fraction:
    """Max over an exact grid of the leader's simplex and over the followers' pure profiles that are an
    equilibrium of the followers' game there, of the leader's payoff (brute force, exact arithmetic)."""
    followers = [i for i in range(game.num_players) if i != leader]
    best = None
    for counts in _compositions(steps, game.shape[leader]):
        x = [Fraction(c, steps) for c in counts]
        mixed = sum(w * np.take(game.payoffs, s, axis=leader + 1) for s, w in enumerate(x))  # [player, followers...]
        for a in np.ndindex(*(game.shape[f] for f in followers)):
            stable = all(
                mixed[(f, *a)] >= mixed[(f, *a[:n], k, *a[n + 1 :])]
                for n, f in enumerate(followers)
                for k in range(game.shape[f])
            )
            if stable and (best is None or mixed[(leader, *a)] > best):
                best = mixed[(leader, *a)]
    return best


@pytest.mark.parametrize("seed", [3, 4])
def test_three_strategy_leader_with_two_followers_against_an_exact_grid(seed):
    payoffs = np.random.default_rng(seed).integers(-4, 5, size=(3, 3, 2, 2))  # [player, leader, f1, f2]
    game = NormalFormGame.from_arrays(*payoffs.tolist())
    c = commitment(game, 0)
    mixed = c.mixed_pure_reply
    value = mixed.payoffs[0]
    assert value >= grid_pure_reply_value(game, 0, 12)  # the LPs' optimum bounds every grid point
    assert value <= c.correlated.payoffs[0]  # and no commitment beats the correlated one
    # The followers' reply is an equilibrium of their game at the leader's (exact) mixture.
    x = mixed.profile[0]
    mixed_payoffs = sum(w * np.take(game.payoffs, s, axis=1) for s, w in enumerate(x))
    a = tuple(p.index(1) for p in mixed.profile[1:])
    assert mixed_payoffs[1][a] >= mixed_payoffs[1][1 - a[0], a[1]]
    assert mixed_payoffs[2][a] >= mixed_payoffs[2][a[0], 1 - a[1]]
    assert value == mixed_payoffs[0][a]


def test_g5_every_leader_reaches_the_correlated_bound_with_a_pure_reply_commitment():
    # The correlated commitment bounds every commitment from above (Conitzer and Korzhyk), and the LP
    # optimum over mixtures answered by a pure equilibrium is a commitment: where the two meet, the
    # mixture answered by a mixed equilibrium (which G5's closed forms cannot search) cannot do better.
    from gametheory.formats import load
    from gametheory.solvers.commitment import pure_reply_mixed
    from tests.support import GAMES

    game = load(GAMES / "force_generation.json").bind()
    for leader in range(game.num_players):
        found = pure_reply_mixed(game, leader)
        assert found.payoffs[leader] == correlated_commitment(game, leader).payoffs[leader]


def test_the_promise_is_a_minimum_of_the_strategy_whose_pure_play_keeps_the_reply():
    # Conitzer-Sandholm: Right stays the follower's best reply while P(Up) <= 1/2, i.e. P(Down) >= 1/2:
    # Down's probability is the minimum (pure Down keeps Right), Up's is not (pure Up makes Left best).
    from gametheory.solvers.commitment import floor_strategy, strong_mixed

    g = bimatrix([[1, 3], [0, 2]], [[1, 0], [0, 1]])
    assert floor_strategy(g, 0, strong_mixed(g, 0)) == 1
    # G1: (deploy, accept) stays the followers' equilibrium for every P(backstop) >= 5/8 (hand, above).
    best = commitment(g1_defaults(), "US", correlated=False).best_commitment
    assert floor_strategy(g1_defaults(), 2, best) == 0
    # A pure commitment has no probability to promise at least.
    assert floor_strategy(g, 0, commitment(g, 0).pure_optimistic) is None
