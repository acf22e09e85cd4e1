"""Commitment with several followers and along a parameter, against hand derivations and a brute-force scan."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.game import NormalFormGame, observer_payoffs
from gametheory.sensitivity.commitment import commitment_thresholds, followers_mixed, leader_index
from gametheory.solvers import solve
from tests.support import GAMES, g1_defaults


def test_g1_us_mixed_commitment_backs_the_force_five_times_in_eight():
    # Given deploy, Russia accepts iff -a_r >= g_r - f_r - w_r - q*x_r, i.e. q >= 5/8; Europe then deploys
    # (7 > 0 at q = 1, 4 > 0 at q = 0), and the US pays c_us - m_us = 1 per unit of q: the best is q = 5/8,
    # worth -5/8 to the US, against -3 in its best Nash equilibrium.
    result = followers_mixed(g1_defaults(), 2)
    best = result.optimistic
    assert best.profile[2] == (Fraction(5, 8), Fraction(3, 8))
    assert best.profile[0] == (1, 0) and best.profile[1] == (1, 0)
    assert best.payoffs == (Fraction(47, 8), -3, Fraction(-5, 8))
    assert Fraction(5, 8) in result.breakpoints
    # Pessimistic: for every q the followers can also coordinate on (hold, target), worth -4 - 2q to the US.
    assert result.pessimistic.payoffs[2] == -4 and result.pessimistic.attained


def brute_force_optimistic(game: NormalFormGame, leader: int, steps: int) -> Fraction:
    """Max over a grid of mixtures (q, 1 - q) of the leader's payoff in the followers' best equilibrium."""
    best = None
    followers = [i for i in range(game.num_players) if i != leader]
    for k in range(steps + 1):
        q = Fraction(k, steps)
        mixed = q * np.take(game.payoffs, 0, axis=leader + 1) + (1 - q) * np.take(game.payoffs, 1, axis=leader + 1)
        sub = NormalFormGame(
            mixed[followers].copy(),
            tuple(game.players[i] for i in followers),
            tuple(game.strategies[i] for i in followers),
            observers=("leader",),
            observer_payoffs=mixed[[leader]].copy(),
        )
        value = max(observer_payoffs(sub, eq.profile)[0] for eq in solve(sub).equilibria)
        best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", [1, 2])
def test_random_three_player_games_against_a_grid_of_mixtures(seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(-4, 5, size=(2, 2, 2)).tolist() for _ in range(3)]
    game = NormalFormGame.from_arrays(*arrays)
    exact = followers_mixed(game, 0).optimistic.payoffs[0]
    grid = brute_force_optimistic(game, 0, 24)
    assert grid <= exact  # the exact optimum is the maximum over all mixtures
    assert exact - grid < Fraction(1, 2)  # and the grid comes close (payoffs are Lipschitz in q)
    assert exact >= max(e.payoffs[0] for e in solve(game).equilibria)


def test_g1_threshold_where_a_committed_backstop_deters():
    # x_r > g_r - f_r - w_r + a_r = 5: a committed backstop deters targeting; below, committing to it only
    # costs the US (Russia targets anyway), so the US commits to stay out.
    scenario = load(GAMES / "deterrence.json")
    scan = commitment_thresholds(scenario, "US", "x_r", search=(4, 6))
    [threshold] = scan.thresholds
    assert threshold.value == 5 and threshold.exact_root
    assert "stay_out" in threshold.below and "backstop" in threshold.above
    below, above = scan.regimes
    assert below.result.pure_optimistic.payoffs[2] == -4 and above.result.pure_optimistic.payoffs[2] == -1


def test_unknown_leader_suggests_a_name():
    game = g1_defaults()
    assert leader_index(game, "us") == 2
    with pytest.raises(InputError, match="did you mean 'Russia'"):
        leader_index(game, "Rusia")


def test_leader_with_more_than_two_strategies_is_refused_plainly():
    game = load(GAMES / "sequencing.json").bind()
    with pytest.raises(InputError, match="two strategies"):
        followers_mixed(game, game.players.index("US"))
