"""Logit QRE tracing (gametheory.solvers.logit) against answers known independently of it.

Independent references used here: textbook equilibria (matching pennies,
rock-paper-scissors), hand derivations of the principal branch in symmetric
2x2 games (written out next to each test), a second path follower (natural
parameter continuation with ``scipy.optimize.fsolve`` on the logit fixed
point, a different algorithm and parametrisation), the equilibria published
for G1 in SCENARIOS.md, the complete equilibrium lists of
``gametheory.solve``, and (when installed) pygambit's ``logit_solve``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.certify import certify
from gametheory.errors import InputError
from gametheory.game import NormalFormGame
from gametheory.solvers import logit as logit_module
from gametheory.solvers.logit import LogitPath, logit_path, logit_selection, logit_solve
from gametheory.solvers.selection import risk_dominance, selection_facts
from tests.support import g1_defaults

F = Fraction


def floats(profile):
    return [[float(x) for x in p] for p in profile]


def distance(a, b) -> float:
    return max(abs(float(x) - float(y)) for p, q in zip(a, b) for x, y in zip(p, q))


def only_profile(game: NormalFormGame):
    result = logit_solve(game)
    assert len(result.profiles) == 1, result.notes
    profile = result.profiles[0]
    assert certify(game, profile).ok
    return result, profile


def softmax(values: np.ndarray) -> np.ndarray:
    z = np.exp(values - values.max())
    return z / z.sum()


def payoff_vectors(game: NormalFormGame, profile) -> list[np.ndarray]:
    """u_i(k, p_-i) by explicit summation (not the solver's tensor code)."""
    return [np.asarray(gt.strategy_payoffs(game.to_float(), profile, i), dtype=float) for i in range(game.num_players)]


# --------------------------------------------------------------------------- textbook games
def test_matching_pennies_is_the_centroid_exactly():
    # The centroid is the unique equilibrium, and a QRE for every lambda (all strategies always tie).
    game = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    result, profile = only_profile(game)
    assert result.exact and profile == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    assert result.method == "logit" and result.complete is False


def test_rock_paper_scissors_is_one_third_each():
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    game = NormalFormGame.from_arrays(A, (-np.array(A)).tolist())
    result, profile = only_profile(game)
    assert result.exact and profile == ((F(1, 3),) * 3, (F(1, 3),) * 3)


def test_prisoners_dilemma_goes_to_mutual_defection():
    # D strictly dominates C, so every QRE puts more weight on D and the branch ends at (D, D).
    game = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    _, profile = only_profile(game)
    assert profile == ((0, 1), (0, 1))


# ---------------------------------------------------------- symmetric 2x2 coordination games
# Hand derivation. Let A = [[a, b], [c, d]] with a > c and d > b (two strict equilibria), B = A^T,
# alpha = a - c and beta = d - b the deviation losses. (0,0) risk-dominates iff alpha > beta
# (Harsanyi & Selten 1988: compare alpha^2 with beta^2). On the diagonal (both play strategy 0 with
# probability p) the logit equation is log(p / (1-p)) = lambda * ((alpha + beta) p - beta).
# Say alpha > beta, so the mixed equilibrium p* = beta / (alpha + beta) < 1/2. A diagonal QRE with
# p in (p*, 1/2] would need a non-positive left side and a positive right side: there is none. So
# the diagonal branch leaving p = 1/2 at lambda = 0 is the graph of
# lambda(p) = log(p / (1-p)) / ((alpha + beta) p - beta), p in [1/2, 1), which is finite except as
# p -> 1: the branch ends at the pure equilibrium (0,0). It never leaves the diagonal: the Jacobian
# in the anti-symmetric direction is 1 / (p (1-p)) + lambda (alpha + beta) > 0, so no symmetry-
# breaking bifurcation exists. Hence logit tracing selects the risk-dominant equilibrium.
@pytest.mark.parametrize(
    "A, selected",
    [
        ([[4, 0], [3, 3]], (1, 1)),  # stag hunt: hare is risk dominant (3 - 0 > 4 - 3)
        ([[5, 0], [1, 1]], (0, 0)),  # stag hunt where stag is risk dominant (5 - 1 > 1 - 0)
        ([[2, 0], [0, 1]], (0, 0)),  # pure coordination with unequal stakes
    ],
)
def test_symmetric_coordination_selects_the_risk_dominant_equilibrium(A, selected):
    game = NormalFormGame.from_arrays(A, np.array(A).T.tolist())
    _, profile = only_profile(game)
    assert profile == tuple(tuple(F(int(k == s)) for k in range(2)) for s in selected)
    solution = gt.solve(game)
    risk, _ = risk_dominance(game, solution.equilibria)
    assert risk is not None and solution.equilibria[risk].pure_profile == selected
    assert logit_selection(game, solution.equilibria) == risk
    assert selection_facts(game, solution.equilibria).logit_selected == risk


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.integers(-10, 10), b=st.integers(-10, 10), c=st.integers(-10, 10), d=st.integers(-10, 10))
def test_property_symmetric_coordination_risk_dominance(a, b, c, d):
    if not (a > c and d > b) or a - c == d - b:
        return  # not a coordination game with two strict equilibria, or a risk-dominance tie
    A = [[a, b], [c, d]]
    game = NormalFormGame.from_arrays(A, np.array(A).T.tolist())
    _, profile = only_profile(game)
    expected = 0 if a - c > d - b else 1
    assert profile == ((F(expected == 0), F(expected == 1)),) * 2


# ---------------------------------------------------------------------- battle of the sexes
def test_symmetric_battle_of_the_sexes_follows_the_symmetric_branch_to_the_mixed_equilibrium():
    # A = [[2,0],[0,1]], B = [[1,0],[0,2]] is unchanged when the players swap roles and strategy
    # names, so the branch leaving the centroid stays on q0 = 1 - p0 (each plays their favourite with
    # the same probability p). There, log(p / (1-p)) = lambda * (2 - 3p) (payoff units): one root for
    # each lambda, tending to p = 2/3, the mixed equilibrium. That branch meets a pitchfork where two
    # asymmetric branches split off (towards the pure equilibria), so the game is non-generic; the
    # continuation straight on is the symmetric branch. Independent check with a root finder:
    from scipy.optimize import brentq

    for lam in (10.0, 100.0, 1000.0):
        p = brentq(lambda p, lam=lam: math.log(p / (1 - p)) - lam * (2 - 3 * p), 1e-12, 1 - 1e-12)
        assert abs(p - 2 / 3) < 2 / lam
    game = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    result, profile = only_profile(game)
    assert profile == ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))
    assert result.stats.bifurcations == 1
    assert any("bifurcation" in note for note in result.notes)


def _natural_continuation(A: np.ndarray, B: np.ndarray, lambdas: np.ndarray, z0=(0.0, 0.0)) -> np.ndarray:
    """A second path follower for 2x2 games: fsolve on the logit fixed point, lambda by lambda.

    Unknowns are the log-odds z = (z1, z2) of each player's first strategy; each solve starts from
    the previous lambda's solution (natural-parameter continuation, fine while lambda is monotone
    along the branch). Returns the log-odds at each lambda.
    """
    from scipy.optimize import fsolve

    def equations(z, lam):
        p, q = 1.0 / (1.0 + math.exp(-z[0])), 1.0 / (1.0 + math.exp(-z[1]))
        gain1 = (A[0, 0] - A[1, 0]) * q + (A[0, 1] - A[1, 1]) * (1 - q)
        gain2 = (B[0, 0] - B[0, 1]) * p + (B[1, 0] - B[1, 1]) * (1 - p)
        return [z[0] - lam * gain1, z[1] - lam * gain2]

    z = np.array(z0, dtype=float)
    out = []
    for lam in lambdas:
        z, _info, ier, message = fsolve(equations, z, args=(lam,), full_output=True)
        assert ier == 1, (lam, message)
        out.append(z)
    return np.array(out)


def test_asymmetric_battle_of_the_sexes_path_matches_a_second_path_follower():
    A = np.array([[3, 0], [0, 1]])
    B = np.array([[1, 0], [0, 2]])
    game = NormalFormGame.from_arrays(A.tolist(), B.tolist())
    path = logit_path(game)
    assert isinstance(path, LogitPath) and path.lambdas[0] == 0 and np.all(np.diff(path.lambdas) > 0)
    grid = np.linspace(0, 10, 1001)
    reference = _natural_continuation(A, B, grid)
    checked = 0
    for k in range(len(path)):
        lam = path.lambdas[k]
        if lam > 10:
            break
        j = int(np.searchsorted(grid, lam, side="right")) - 1
        z = _natural_continuation(A, B, np.array([lam]), reference[j])[0]
        p, q = path.probabilities[0][k][0], path.probabilities[1][k][0]
        assert abs(p - 1 / (1 + math.exp(-z[0]))) < 1e-5 and abs(q - 1 / (1 + math.exp(-z[1]))) < 1e-5
        checked += 1
    assert checked >= 10
    # The second follower ends at (0, 0) (log-odds beyond 8 at lambda 10); so does logit_solve, exactly.
    assert reference[-1][0] > 8 and reference[-1][1] > 8
    _, profile = only_profile(game)
    assert profile == ((1, 0), (1, 0))


def test_path_points_are_quantal_response_equilibria():
    # Every point satisfies p_i = softmax(lambda * u_i(p)) with u from explicit summation.
    rng = np.random.default_rng(11)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 20, size=(3, 2, 2)) for _ in range(3)])
    path = logit_path(game)
    assert path.reason == "regret below max_regret"
    assert path.regrets[-1] <= 1e-8 * 19 and path.regrets[0] > 0
    for k in range(0, len(path), max(1, len(path) // 8)):
        profile = path.profile(k)
        u = payoff_vectors(game, profile)
        for i in range(3):
            expected = softmax(path.lambdas[k] * u[i])
            assert np.allclose(profile[i], expected, atol=1e-5)


# ------------------------------------------------------------------------------- degenerate
def test_weakly_dominated_symmetric_game_continues_straight_through_the_bifurcation():
    # A = [[0,1],[0,2]], B = [[2,1],[2,2]]: row 2 weakly dominates row 1 and column 1 weakly
    # dominates column 2; swapping the players (and the order of strategies) maps the game to itself,
    # so the branch starts on p = 1 - q (p: P(row 1), q: P(column 1)). There the logit equation is
    # log((1-p)/p) = lambda * p, with one root for each lambda, decreasing to 0: the symmetric branch
    # ends at (row 2, column 1). Off it, a pitchfork sends other branches into the continuum of
    # equilibria (column 1 with any mix of rows that keeps column 1 a best response).
    game = NormalFormGame.from_arrays([[0, 1], [0, 2]], [[2, 1], [2, 2]])
    result, profile = only_profile(game)
    assert profile == ((0, 1), (1, 0))
    assert result.stats.bifurcations == 1


def test_a_step_that_jumps_past_lambda_zero_is_refused():
    """A seeded 2x3 game (bench/bench_logit.py, seed 0, game 8) on which the tracer once jumped, near
    lambda 0.6, onto another part of the QRE curve and ran off to lambda -1.5e12, returning nothing. The
    principal branch never comes back to lambda <= 0 (its only QRE there is the centroid); Gambit's
    logit_solve ends at the strict equilibrium (top row, left column) of this game."""
    game = NormalFormGame.from_arrays(
        np.array([[969, 86, 818], [708, 300, 789]]), np.array([[962, 799, 692], [322, 606, 796]])
    )
    result = logit_solve(game)
    assert result.stats.converged and result.stats.last_lambda > 0
    assert result.profiles == (((1, 0), (1, 0, 0)),)


def test_game_with_a_single_player_or_single_strategies():
    solo = NormalFormGame.from_arrays([1, 3, 2])
    _, profile = only_profile(solo)
    assert profile == ((0, 1, 0),)
    forced = NormalFormGame.from_arrays([[1, 5, 2]], [[0, 0, 1]])
    _, profile = only_profile(forced)
    assert profile == ((1,), (0, 0, 1))


def test_all_payoffs_equal_returns_the_centroid():
    game = NormalFormGame.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]])
    _result, profile = only_profile(game)
    assert profile == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))


def test_float_game_gives_float_equilibrium_within_tolerance():
    game = NormalFormGame.from_arrays([[1.5, -1.0], [-0.5, 0.25]], [[-1.5, 1.0], [0.5, -0.25]])
    result, profile = only_profile(game)
    assert not result.exact
    assert certify(game, profile, 1e-10 * 1.5).ok
    # Mixed equilibrium by hand: q solves 1.5q - (1-q) = -0.5q + 0.25(1-q) -> q = 5/13;
    # p solves -1.5p + 0.5(1-p) = p - 0.25(1-p) -> p = 3/13.
    assert distance(profile, ((3 / 13, 10 / 13), (5 / 13, 8 / 13))) < 1e-9


# ----------------------------------------------------------------------------------- G1
G1_E1 = ((0, 1), (0, 1), (0, 1))
G1_E2 = ((1, 0), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8)))
G1_E3 = ((0.834, 0.166), (0.650, 0.350), (0.725, 0.275))


def test_g1_defaults_selects_one_of_its_three_equilibria():
    game = g1_defaults()
    result, profile = only_profile(game)
    assert result.exact
    assert profile in (G1_E1, G1_E2) or distance(profile, G1_E3) < 2e-3
    solution = gt.solve(game)
    index = logit_selection(game, solution.equilibria)
    assert index is not None and solution.equilibria[index].profile == profile


# ------------------------------------------------------------- random games: certified, listed
def _random_game(rng, shape, high=100):
    return NormalFormGame.from_arrays(*[rng.integers(0, high, size=shape) for _ in shape])


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (2, 3, 2), (2, 2, 2), (3, 3, 2)])
def test_random_games_result_is_certified_and_among_all_equilibria(shape):
    rng = np.random.default_rng(sum(shape) * 7 + len(shape))
    for _ in range(4):
        game = _random_game(rng, shape)
        _, profile = only_profile(game)
        solution = gt.solve(game)
        assert solution.complete
        index = logit_selection(game, solution.equilibria)
        assert index is not None, (profile, [e.profile for e in solution.equilibria])
        assert distance(profile, solution.equilibria[index].profile) < 1e-9


def test_solve_with_method_logit():
    game = g1_defaults()
    solution = gt.solve(game, "logit")
    assert solution.scope == "one" and solution.method == "logit" and not solution.complete
    assert len(solution.equilibria) == 1 and solution.equilibria[0].max_regret == 0
    assert any("others may exist" in note for note in solution.notes)


def test_cli_solve_method_logit(root, monkeypatch):
    from gametheory.cli import app

    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, ["solve", "games/deterrence.json", "--method", "logit", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"certified": true' in result.stdout


# ------------------------------------------------------------------- limits and time-outs
def test_timeout_returns_no_profile_and_says_so():
    rng = np.random.default_rng(3)
    game = _random_game(rng, (6, 6))
    result = logit_solve(game, timeout=0.0)
    assert result.profiles == ()
    assert any("time limit" in note for note in result.notes)
    assert result.stats.approximate is not None
    assert gt.solve(game, "logit", timeout=1e-9).equilibria == ()  # zero is refused: a limit must be positive


def test_max_lambda_stops_the_path():
    game = NormalFormGame.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    path = logit_path(game, max_lambda=2.0)
    assert path.reason == "max_lambda reached"
    assert path.lambdas[-1] >= 2.0 and path.lambdas[-2] < 2.0


def test_bad_options_are_input_errors():
    game = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InputError):
        logit_solve(game, tolerance=0)
    with pytest.raises(InputError):
        logit_path(game, max_lambda=-1)
    with pytest.raises(InputError):
        logit_solve(game, max_accel=1.0)


def test_logit_selection_without_a_match_is_none():
    game = NormalFormGame.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]])  # selects (hare, hare)
    solution = gt.solve(game)
    stag_only = [e for e in solution.equilibria if e.pure_profile == (0, 0)]
    assert logit_selection(game, stag_only) is None
    assert logit_selection(game, []) is None


def test_larger_game_is_fast_and_certified():
    rng = np.random.default_rng(21)
    game = _random_game(rng, (15, 15))
    result, _ = only_profile(game)
    assert result.stats.elapsed < 10


# ------------------------------------------------------------------------ pygambit cross-check
def _gambit_logit(game: NormalFormGame):
    gbt = pytest.importorskip("pygambit")
    arrays = [np.array([[int(x) for x in row.ravel()]], dtype=object).reshape(game.shape) for row in game.payoffs]
    gg = gbt.Game.from_arrays(*arrays)
    eq = gbt.nash.logit_solve(gg).equilibria[0]
    return [[float(eq[s]) for s in player.strategies] for player in gg.players]


@pytest.mark.gambit
def test_g1_agrees_with_pygambit():
    game = g1_defaults()
    _, profile = only_profile(game)
    assert distance(profile, _gambit_logit(game)) < 1e-6


#: A seeded 2x2x2x2x2 game of ``bench/bench_logit.py`` (seed 0, payoffs in [0, 1000)) on which tracing with the
#: loose corrector of ``logit_solve`` loses the branch (its steps shrink below their minimum at lambda 0.26).
_LOST_BRANCH = """
988 913 777 23 866 36 525 977 836 546 824 51 377 660 349 96 485 106 456 402 667 663 680 820 457 853 50
386 343 980 35 139 516 670 46 231 29 708 399 469 697 30 472 44 561 295 509 97 127 688 896 460 179 644
964 666 30 47 596 414 192 682 36 903 18 945 817 382 144 576 829 934 118 45 982 976 334 454 228 849 477
167 229 935 236 774 584 652 903 173 998 438 70 585 463 401 207 892 50 550 199 89 237 875 720 311 941
171 420 642 74 807 317 290 402 487 514 967 8 441 651 373 314 550 534 707 511 643 160 33 182 939 838 458
859 704 389 598 98 164 77 994 8 787 841 672 576 269 487 191 106 89 944 557 695 211 67 420 446 761
"""


@pytest.mark.gambit
def test_a_branch_the_loose_corrector_loses_is_traced_again_closely():
    arrays = np.array(_LOST_BRANCH.split(), dtype=int).reshape((5, 2, 2, 2, 2, 2))
    game = NormalFormGame.from_arrays(*arrays)
    payoffs = logit_module._Payoffs(game)
    branch = logit_module._branch(payoffs)
    limit = logit_module._lambda_limit(payoffs, None)
    loose = logit_module._follow_branch(
        game, payoffs, branch, limit, None, 1e-10, 1.0, 1.5, logit_module._SOLVE_TOLERANCE
    )
    assert loose.found is None  # the game still exercises the retrace
    result, profile = only_profile(game)
    assert result.stats.converged and certify(game, result.profiles[0]).ok
    assert distance(profile, _gambit_logit(game)) < 1e-5


@pytest.mark.gambit
@pytest.mark.slow
@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (5, 5), (2, 2, 2), (3, 3, 3), (2, 2, 2, 2)])
def test_random_games_agree_with_pygambit(shape):
    # Payoffs drawn from 0..999: ties (non-generic games, where branches can bifurcate and
    # different continuations are legitimate) are then too rare to matter for these seeds.
    rng = np.random.default_rng(100 + len(shape) * 10 + shape[0])
    for _ in range(5):
        game = _random_game(rng, shape, high=1000)
        _, profile = only_profile(game)
        assert distance(profile, _gambit_logit(game)) < 1e-5


@pytest.mark.parametrize("shape", [(2, 3), (2, 2, 2), (3, 4), (2, 3, 3)])
def test_plain_python_branch_of_small_games_matches_the_numpy_one(shape):
    # Two-player games up to 4x5 and others up to ten strategies in all (3x3x3, 2x2x2x2x2) are traced on
    # Python floats (numpy's per-call cost dominates there); the equations, their Jacobian and the augmented
    # system's tangent and orientation must be those of the numpy branch used for every other game.
    from gametheory.solvers._logitsmall import SmallBranch, fits
    from gametheory.solvers.logit import _Branch, _Payoffs

    assert fits((2, 2)) and fits((3, 2)) and fits((4, 5)) and not fits((5, 5))
    assert fits((2, 2, 2)) and fits((3, 3, 3)) and fits((2, 2, 2, 2, 2)) and not fits((4, 4, 4))
    rng = np.random.default_rng(11)
    game = _random_game(rng, shape, high=50)
    payoffs = _Payoffs(game)
    small, big = SmallBranch(payoffs.values, payoffs.shape), _Branch(payoffs)
    x = np.concatenate([*(np.log(rng.dirichlet(np.ones(m))) for m in shape), [7.5]])
    t = rng.standard_normal(len(x))
    H, J, u, probs = small.value_and_jacobian(list(x))
    H2, J2, u2, probs2 = big.value_and_jacobian(x)
    assert np.allclose(H, H2, atol=1e-13) and np.allclose(J, J2, atol=1e-13)
    assert all(np.allclose(a, b) for a, b in zip(u + probs, u2 + probs2))
    assert np.allclose(small.value_and_jacobian(list(x), jacobian=False)[0], H2, atol=1e-13)
    aug, aug2 = small.augmented(J, list(t)), big.augmented(J2, t)
    assert aug.sign == aug2.sign
    assert np.allclose(aug.tangent, aug2.tangent, atol=1e-12)
    assert np.allclose(aug.correction(H), aug2.correction(H2), atol=1e-12)
    assert math.isclose(aug.smallest_pivot, aug2.smallest_pivot, rel_tol=1e-9)


def test_plain_python_inverse_needs_row_exchanges_and_matches_numpy():
    # The in-place Gauss-Jordan inversion of the small branch exchanges rows whenever a leading
    # entry is zero or small; the exchanges must come back as column exchanges. numpy's inverse and
    # determinant are the reference; each matrix below needs at least one exchange.
    from gametheory.solvers._logitsmall import GaussJordan

    matrices = [
        [[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [4.0, -2.0, 0.0]],
        [[0.0, 0.0, 1.0, 2.0], [0.0, 3.0, 0.0, 1.0], [5.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, -1.0]],
        [[1e-3, 2.0], [3.0, -1.0]],
    ]
    for A in matrices:
        aug = GaussJordan(A[:-1], A[-1])
        assert np.allclose(aug.inverse, np.linalg.inv(np.array(A)), atol=1e-13)
        assert aug.sign == np.sign(np.linalg.det(np.array(A)))


def test_newton_on_a_support_solves_the_game_restricted_to_it():
    # A three-player cycle, hand-solved: 0 wants to match 1 (1 for both 0s, 3 for both 1s), 1 to match 2 (2 and 1),
    # 2 to mismatch 0 (1 for 2 playing 0 against 1, 4 for 1 against 0). Indifference of 0 needs 1 to play 0 with
    # probability 3/4, of 1 needs 2 at 1/3, of 2 needs 0 at 1/5. Newton's system is built in Python floats on the
    # game restricted to the support (all three mixing here); with 1 and 2 pure (0 and 1), only 0 mixes, and
    # against 1's strategy 0 she is not indifferent: no equilibrium there.
    from gametheory.solvers.logit import _newton_on_support, _Payoffs

    A, B, C = (np.zeros((2, 2, 2)) for _ in range(3))
    A[0, 0, :], A[1, 1, :] = 1, 3
    B[:, 0, 0], B[:, 1, 1] = 2, 1
    C[1, :, 0], C[0, :, 1] = 1, 4
    payoffs = _Payoffs(NormalFormGame.from_arrays(A, B, C))
    start = [np.array([0.3, 0.7]), np.array([0.6, 0.4]), np.array([0.5, 0.5])]
    profile, regular = _newton_on_support(payoffs, start, ((0, 1), (0, 1), (0, 1)))
    assert regular
    assert np.allclose(np.concatenate(profile), [1 / 5, 4 / 5, 3 / 4, 1 / 4, 1 / 3, 2 / 3], atol=1e-12)
    assert _newton_on_support(payoffs, start, ((0, 1), (0,), (1,))) is None


def test_exact_support_solve_clears_denominators_and_detects_free_and_inconsistent_systems():
    # Hand-solved: x/2 + y/3 = 1 and x - y = 0 give x = y = 6/5; the extra equation x + y = 12/5 is
    # consistent with them, x + y = 1 is not; a repeated equation leaves a free variable.
    from gametheory.solvers.logit import _Inconsistent, _solve_exact

    rows, rhs = [[F(1, 2), F(1, 3)], [1, -1]], [1, 0]
    assert _solve_exact(rows, rhs) == [F(6, 5), F(6, 5)]
    assert _solve_exact([*rows, [1, 1]], [*rhs, F(12, 5)]) == [F(6, 5), F(6, 5)]
    with pytest.raises(_Inconsistent):
        _solve_exact([*rows, [1, 1]], [*rhs, 1])
    assert _solve_exact([[1, 1], [F(2), F(2)]], [1, 2]) is None


def test_a_float_point_of_a_continuum_rounds_to_the_simplest_certified_fractions_nearby():
    # Hand-derived: the row player's top row is strictly dominant and the column player is indifferent
    # among all columns, so (top, any mix) is an equilibrium. A float mix 4e-7 from (1/3, 1/3, 1/3) rounds
    # to it (at denominators up to a million each entry rounds on its own and the renormalised one outgrew
    # the bound, so this stayed in floats); one 7e-4 away keeps its own simple fractions instead.
    from gametheory.solvers.logit import _make_exact, _Polished

    game = NormalFormGame.from_arrays(np.array([[2, 2, 2], [1, 1, 1]]), np.array([[5, 5, 5], [0, 3, 1]]))
    support = ((0,), (0, 1, 2))
    near = _Polished(((1.0, 0.0), (1 / 3 + 4e-7, 1 / 3 - 2e-7, 1 / 3 - 2e-7)), False, support, 0.0, False)
    assert _make_exact(game, near).profile == ((1, 0), (F(1, 3), F(1, 3), F(1, 3)))
    off = _Polished(((1.0, 0.0), (0.334, 0.333, 0.333)), False, support, 0.0, False)
    assert _make_exact(game, off).profile == ((1, 0), (F(167, 500), F(333, 1000), F(333, 1000)))


def _stag_hunt_qre(lam: float) -> float:
    """Probability of hare in the symmetric QRE of the stag hunt A = [[4, 0], [3, 3]] at rationality ``lam`` in
    payoffs rescaled to [0, 1] (A / 4): log(p / (1 - p)) = lam * (3/4 - (1 - p)), solved by bisection."""
    low, high = 0.5, 1.0
    for _ in range(200):
        p = (low + high) / 2
        low, high = (p, high) if math.log(p / (1 - p)) < lam * (p - 0.25) else (low, p)
    return (low + high) / 2


def test_a_strict_limit_is_proved_only_where_the_logit_response_contracts_towards_it():
    # Hand-derived for the stag hunt (hare, hare): margin g = 3/4 (rescaled). At lambda = 10 the QRE puts
    # d = 5.5e-4 on stag, so eps = 2d, gamma = g - eps (1 + g) = 0.748, the tail exp(-10 gamma) = 5.7e-4 <= eps and
    # 2 * 10 * tail = 0.011 < 1/2: proved. At lambda = 4, d = 0.059, gamma = 0.542 and the tail 0.114 <= eps = 0.119,
    # but the contraction bound 2 * 4 * 0.114 = 0.91 is not below 1/2; at lambda = 3 (d = 0.137) lambda * gamma = 0.81
    # < 1 already: no proof. Nor at lambda = 10 for a profile with only 1e-5 on stag (no QRE): the response to profiles
    # that close puts up to 5.6e-4 > eps = 2e-5 on stag (B is not mapped into itself). A profile that is no strict
    # equilibrium (stag against hare) never is.
    from gametheory.solvers.logit import _Payoffs, _Point, _StrictLimit

    game = NormalFormGame.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    proof = _StrictLimit(_Payoffs(game).values)

    def at(lam, p, q):
        return proof(_Point([0.0, 0.0, 0.0, 0.0, lam], [[1 - p, p], [1 - q, q]], [], 0.0))

    p10, p4, p3 = _stag_hunt_qre(10.0), _stag_hunt_qre(4.0), _stag_hunt_qre(3.0)
    assert 5e-4 < 1 - p10 < 6e-4 and 0.05 < 1 - p4 < 0.06 and 0.13 < 1 - p3 < 0.14
    assert at(10.0, p10, p10) == ((1,), (1,))
    assert at(4.0, p4, p4) is None
    assert at(3.0, p3, p3) is None
    assert at(10.0, 1 - 1e-5, 1 - 1e-5) is None
    assert at(10.0, 1 - p10, p10) is None  # stag against hare: not an equilibrium


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 2, 2)])
def test_a_proved_strict_limit_is_where_the_branch_ends(shape):
    # The second opinion is the path follower itself, run on to regret 1e-10 (Gambit's stopping rule): every point
    # at which the proof holds must already show the profile the branch ends at.
    from gametheory.solvers.logit import _Payoffs, _Point, _StrictLimit

    rng = np.random.default_rng(7)
    proved = 0
    for _ in range(8):
        game = _random_game(rng, shape)
        payoffs = _Payoffs(game)
        proof = _StrictLimit(payoffs.values)
        path = logit_path(game, max_regret=1e-10)
        end = tuple(int(np.argmax(p[-1])) for p in path.probabilities)
        for k in range(len(path)):
            point = _Point([payoffs.range * path.lambdas[k]], [p[k] for p in path.probabilities], [], 0.0)
            support = proof(point)
            if support is not None:
                proved += 1
                assert support == tuple((s,) for s in end)
                assert all(p[-1][s] > 1 - 1e-6 for p, s in zip(path.probabilities, end))
    assert proved >= 8


def _indifference_tables(*differences):
    """Payoffs of three two-strategy players whose payoff difference (first strategy minus second) is
    ``differences[i](x, y)``, with ``x``, ``y`` the others' probabilities of their first strategies (in player order)."""
    tables = np.zeros((3, 2, 2, 2))
    for a, b in np.ndindex(2, 2):
        tables[0][0, a, b] = differences[0](1 - a, 1 - b)
        tables[1][a, 0, b] = differences[1](1 - a, 1 - b)
        tables[2][a, b, 0] = differences[2](1 - a, 1 - b)
    return tables


@pytest.mark.parametrize(
    "differences, solutions_in_box",
    [
        # x1 = 3/2, x0 = x2 and x0 + x1 = 1: the only solution (-1/2, 3/2, -1/2) lies outside
        ((lambda x, y: 2 * x - 3, lambda x, y: x - y, lambda x, y: x + y - 1), False),
        # x1 = 1/2 instead: (1/2, 1/2, 1/2)
        ((lambda x, y: x - 0.5, lambda x, y: x - y, lambda x, y: x + y - 1), True),
        # x0 = x1 = x2 = r with r^2 = 2: both roots outside; r^2 = 1/4: r = 1/2 inside
        ((lambda x, y: x - y, lambda x, y: x - y, lambda x, y: x * y - 2), False),
        ((lambda x, y: x - y, lambda x, y: x - y, lambda x, y: x * y - 0.25), True),
        # player 0 indifferent everywhere: a continuum, nothing proved
        ((lambda x, y: 0.0, lambda x, y: x - y, lambda x, y: x * y - 2), True),
    ],
)
def test_no_mixed_solution_of_three_two_strategy_players_is_proved_in_closed_form(differences, solutions_in_box):
    # Hand-solved systems (in the comments); "True" means _no_solution_near must not claim there is none.
    from gametheory.solvers.logit import _no_solution_near

    assert _no_solution_near(_indifference_tables(*differences)) is not solutions_in_box


def test_the_small_root_of_a_nearly_linear_quadratic_does_not_cancel():
    # -0.5003 + r + 3e-12 r^2: the root near 1/2 is 0.5003 - 3e-12 * 0.5003^2 up to O(1e-23) (series in k2), the
    # other near -1 / 3e-12; the textbook formula (-k1 + sqrt(D)) / (2 k2) put the first 3.5e-6 off.
    from gametheory.solvers.logit import _real_roots

    small, large = sorted(_real_roots(-0.5003, 1.0, 3e-12), key=abs)
    assert abs(small - (0.5003 - 3e-12 * 0.5003**2)) < 1e-15
    assert abs(large * 3e-12 + 1) < 1e-9
