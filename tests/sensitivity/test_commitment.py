"""Commitment with several followers and along a parameter, against hand derivations and a brute-force scan."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.game import NormalFormGame, observer_payoffs
from gametheory.sensitivity.commitment import (
    analyse_commitment,
    commitment_thresholds,
    followers_mixed,
    leader_index,
    regime_labeller,
)
from gametheory.solvers import solve
from gametheory.solvers.commitment import commitment
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
    # Above it the US backs the force with probability (g_r - f_r - w_r + a_r)/x_r, 10/11 at x_r = 11/2.
    assert above.sample == Fraction(11, 2) and above.several.optimistic.profile[2][0] == Fraction(10, 11)
    g_r, f_r, w_r, a_r, x_r = sympy.symbols("g_r f_r w_r a_r x_r")
    assert sympy.simplify(sympy.sympify(above.formula["backstop"]) - (g_r - f_r - w_r + a_r) / x_r) == 0
    assert below.formula == {}  # a pure commitment has no mixture to express


def test_unknown_leader_suggests_a_name():
    game = g1_defaults()
    assert leader_index(game, "us") == 2
    with pytest.raises(InputError, match="did you mean 'Russia'"):
        leader_index(game, "Rusia")


def test_leader_with_more_than_two_strategies_is_refused_plainly():
    game = load(GAMES / "sequencing.json").bind()
    with pytest.raises(InputError, match="two strategies"):
        followers_mixed(game, game.players.index("US"))


@pytest.mark.parametrize(("m_us", "pays"), [(Fraction(19, 10), True), (Fraction(21, 10), False)])
def test_g1_committing_pays_only_while_the_us_peacetime_stake_is_below_its_cost(m_us, pays):
    # m_us >= c_us = 2: the US would backstop a deployed force anyway ((deploy, accept, backstop) is a Nash
    # equilibrium worth m_us - c_us to it), so a promise adds nothing; below, the best Nash payoff of the
    # US is lower than the m_us - c_us a committed backstop gives.
    game = load(GAMES / "deterrence.json").bind({"m_us": m_us})
    c = commitment(game, "US", correlated=False)
    assert c.pure_optimistic.payoffs[2] == m_us - 2
    assert (c.gain_over_best_nash > 0) is pays and c.gain_over_best_nash >= 0


@pytest.mark.parametrize(("pledge", "worth"), [(Fraction(9, 10), 4), (Fraction(11, 10), 0)])
def test_g4_a_formal_pledge_is_worth_what_commitment_adds_to_the_subgame_perfect_outcome(pledge, worth):
    # n_us + pledge_us > c_us + e_us = 5 makes US intervention credible: then the subgame-perfect outcome
    # is already deploy_first/accept (US 0). Below, it is cf_first/refuse (US -4), while a US committed to
    # intervene gets Europe to deploy first and Russia to accept: 0, a gain of 4.
    scenario = load(GAMES / "sequencing.json")
    analysis = analyse_commitment(scenario, scenario.bind({"pledge_us": pledge}), "US", table=False, correlated=False)
    assert analysis.form == "tree"
    assert analysis.result.pure_optimistic.payoffs == (4, -3, 0)
    [spe] = analysis.subgame_perfect
    assert analysis.result.pure_optimistic.payoffs[2] - spe[2] == worth
    label = regime_labeller(scenario, 2)(analysis.result)  # what `commit --vary pledge_us` reports on each side
    assert label.endswith("beats subgame perfection" if worth else "no better than subgame perfection")


def test_entry_deterrence_orders_of_moves_the_incumbent_gains_by_moving_first():
    # By backward induction the incumbent accommodates an entry (duopoly 1 > war), so the entrant enters:
    # (1, 1). Moving first with a binding plan, the incumbent commits to fight, the entrant stays out and
    # the incumbent keeps its monopoly, 2; the entrant moving first is the tree's own order: 1.
    from gametheory.report.commitment import commitment_json

    scenario = load(GAMES / "classics" / "entry_deterrence.json")
    analysis = analyse_commitment(scenario, scenario.bind(), "Incumbent", correlated=False)
    orders = {row["order"]: row["payoffs"] for row in commitment_json(analysis)["orders_of_moves"]}
    assert orders["the tree's own order (subgame perfect)"] == {"Entrant": 1.0, "Incumbent": 1.0}
    assert orders["Incumbent first, committed to a plan"] == {"Entrant": 0.0, "Incumbent": 2.0}
    assert orders["Entrant first, committed to a plan"] == {"Entrant": 1.0, "Incumbent": 1.0}


def test_g2_global_south_irrational_breakpoint_is_covered_with_a_note():
    # The followers' equilibria of G2 change at an irrational mixture of the Global South (about 0.82095):
    # the result is no longer refused; it agrees with a brute-force grid of mixtures and the note says what
    # the irrational point leaves out.
    game = load(GAMES / "force_composition.json").bind()
    leader = game.players.index("Global South")
    result = followers_mixed(game, leader)
    assert any(isinstance(b, float) and abs(b - 0.82095285) < 1e-7 for b in result.breakpoints)
    assert "irrational" in result.notes[0]
    grid = brute_force_optimistic(game, leader, 12)
    assert grid <= result.optimistic.payoffs[leader] + 1e-9
    assert result.optimistic.payoffs[leader] <= commitment(game, leader).correlated.payoffs[leader]


def test_a_mixed_reply_of_the_followers_names_the_regime_when_it_beats_every_pure_reply():
    # The leader (rows) gets 2, the correlated bound, by mixing 1/2-1/2 while the second follower plays
    # its second strategy and the third mixes 8/9-1/9: 5/2 * 8/9 - 2 * 1/9 = 2. With the followers
    # answering by a pure equilibrium the best is 11/7 only. Checked here: the followers' mixed reply
    # is an equilibrium of their game at that mixture (no deviation gains), and a grid agrees.
    from gametheory.sensitivity.commitment import regime_of, with_mixed_replies

    payoffs = [
        [[[-3, -3], [3, 0]], [[1, 1], [2, -4]]],
        [[[0, -3], [-1, 4]], [[0, -4], [0, -3]]],
        [[[2, 4], [4, 1]], [[3, -1], [-3, 0]]],
    ]
    game = NormalFormGame.from_arrays(*payoffs)
    found = commitment(game, 0)
    assert found.value == Fraction(11, 7) and found.correlated.payoffs[0] == 2
    better = with_mixed_replies(found)
    x, y, z = better.mixed_several.profile
    assert x == (Fraction(1, 2), Fraction(1, 2)) and y == (0, 1) and z == (Fraction(8, 9), Fraction(1, 9))
    assert better.value == 2 == brute_force_optimistic(game, 0, 4)
    u = np.array(payoffs, dtype=object)
    follower_2 = [sum(x[i] * z[k] * u[1][i][j][k] for i in range(2) for k in range(2)) for j in range(2)]
    follower_3 = [sum(x[i] * y[j] * u[2][i][j][k] for i in range(2) for j in range(2)) for k in range(2)]
    assert follower_2[1] >= follower_2[0]  # the second follower's strategy 2 is a best reply
    assert follower_3[0] == follower_3[1]  # the third follower is indifferent, so it may mix
    assert "mixes" in regime_of(better) and "/" in regime_of(better).split("(")[1]
