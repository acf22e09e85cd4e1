"""Learning dynamics (gametheory.dynamics and the ``dynamics`` command) against known answers.

The answers come from the literature or from hand derivations written next to
each test: Robinson (1951) for fictitious play in zero-sum games, Shapley
(1964) for its failure in his 3x3 game, the conserved quantity of the
replicator dynamics in zero-sum 2x2 games (Hofbauer and Sigmund 1998, ch. 11),
and best-response chains worked out by hand from the payoff tables.
"""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory import dynamics as dyn
from gametheory.certify import certify
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.game import NormalFormGame, pure_profile
from gametheory.report.plots import plot_trajectory
from tests.support import GAMES, g1_defaults, prisoners_dilemma


# ------------------------------------------------------------------ games
def matching_pennies() -> NormalFormGame:
    return NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], strategies=[["H", "T"], ["H", "T"]])


def coordination() -> NormalFormGame:
    """Pure coordination with a better equilibrium: both get 2 at (0, 0), 1 at (1, 1), 0 otherwise."""
    return NormalFormGame.from_arrays([[2, 0], [0, 1]], [[2, 0], [0, 1]])


def shapley() -> NormalFormGame:
    """Shapley's (1964) game: the row player wants to match the column, the column to be one ahead.

    Row's best response to column j is row j; column's best response to row i is column i+1 (mod 3);
    the unique equilibrium is uniform for both.
    """
    return NormalFormGame.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


def rotations(seq):
    seq = list(seq)
    return [tuple(seq[k:] + seq[:k]) for k in range(len(seq))]


def uniform_distance(traj, t) -> float:
    return max(abs(p - 1 / len(row)) for s in traj.steps for row in [s[t]] for p in row)


def assert_png(path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def assert_svg(path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")


# ------------------------------------------------------------------ matching pennies
def test_fictitious_play_matching_pennies_frequencies_approach_one_half():
    # Robinson (1951): in a zero-sum game the empirical frequencies of fictitious play converge
    # to the set of equilibria; here the unique equilibrium is (1/2, 1/2) for both players.
    game = matching_pennies()
    traj = dyn.fictitious_play(game, iterations=3000, solution=gt.solve(game))
    assert traj.steps[0].shape == (3000, 2) and traj.steps[1].shape == (3000, 2)
    assert np.allclose(traj.steps[0].sum(axis=1), 1)
    assert uniform_distance(traj, -1) < 0.02
    assert uniform_distance(traj, -1) < uniform_distance(traj, 100)
    assert traj.converged_to == 0 and traj.distance < 0.02
    # ... while the plays themselves go round: from (H, H) the mismatcher switches to T, then the
    # matcher to T, then the mismatcher to H, then the matcher to H.
    assert traj.cycles and not traj.settled
    assert traj.cycle in rotations([(0, 0), (0, 1), (1, 1), (1, 0)])


def test_fictitious_play_is_reproducible_and_leaves_numpy_state_alone():
    game = matching_pennies()
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    a = dyn.fictitious_play(game, iterations=200, seed=7)
    after = np.random.random()
    b = dyn.fictitious_play(game, iterations=200, seed=7)
    assert before == after
    assert a.plays == b.plays and all(np.array_equal(x, y) for x, y in zip(a.steps, b.steps))


def test_replicator_matching_pennies_orbits_are_closed():
    # For a zero-sum 2x2 game with interior equilibrium (p*, q*), H = sum_k p*_k ln x_k + sum_l q*_l ln y_l
    # is constant along replicator orbits (its derivative is u1(p*, y) - u1(x, q*) = v - v = 0), and H
    # is strictly concave with its maximum at the equilibrium: the path goes round it for ever.
    game = matching_pennies()
    traj = dyn.replicator_dynamics(game, start=[[0.8, 0.2], [0.5, 0.5]], solution=gt.solve(game))
    x, y = traj.steps
    h = 0.5 * np.log(x).sum(axis=1) + 0.5 * np.log(y).sum(axis=1)
    assert np.ptp(h) < 1e-5
    assert h[0] < 2 * math.log(0.5) - 0.05  # below the maximum: not at the equilibrium
    distance = np.maximum(np.abs(x[:, 0] - 0.5), np.abs(y[:, 0] - 0.5))
    assert distance.min() > 0.1  # stays away from the equilibrium ...
    assert min(x.min(), y.min()) > 0.05  # ... and from the boundary
    assert traj.times[-1] > 4 * 2 * math.pi  # several turns (the linearised period is 2*pi)
    assert traj.cycles and not traj.settled and traj.converged_to is None and traj.nearest == 0


def test_own_replicator_ode_matches_nashpy():
    # Two independent integrations of the same equations: nashpy's (odeint) and ours (solve_ivp).
    game = NormalFormGame.from_arrays([[3, -1, 0], [0, 2, -2]], [[1, 0, 2], [-1, 3, 0]])
    start = (np.array([0.3, 0.7]), np.array([0.2, 0.5, 0.3]))
    times = np.linspace(0, 8, 81)
    ours, notes = dyn._replicator_own(game, start, times)
    theirs = dyn.replicator_dynamics(game, start=start, timepoints=times)
    assert not notes
    for a, b in zip(ours, theirs.steps):
        assert np.abs(a - b).max() < 1e-5


def test_own_fictitious_play_matches_nashpy_when_there_are_no_ties():
    # With generic float payoffs and a given first round there are no ties, so the two
    # implementations of the same rule must produce the same plays.
    rng = np.random.default_rng(5)
    game = NormalFormGame.from_arrays(rng.random((3, 4)), rng.random((3, 4)))
    traj = dyn.fictitious_play(game, iterations=300, start=(2, 0))
    history = dyn._fictitious_play_own(game, 300, 0, (2, 0))
    counts = [np.stack([h[i] for h in history]) for i in range(2)]
    for i in range(2):
        assert np.array_equal(counts[i] / counts[i].sum(axis=1, keepdims=True), traj.steps[i])


# ------------------------------------------------------------------ prisoner's dilemma
@pytest.mark.parametrize("sequential", [True, False])
def test_best_responses_in_the_prisoners_dilemma_reach_defect_defect(sequential):
    game = prisoners_dilemma()
    solution = gt.solve(game)
    [dd] = [k for k, e in enumerate(solution.equilibria) if e.pure_profile == (1, 1)]
    for start in itertools.product(range(2), repeat=2):
        traj = dyn.best_response_dynamics(game, start, sequential=sequential, solution=solution)
        assert traj.settled and not traj.cycles
        assert traj.plays[-1] == (1, 1) and traj.converged_to == dd
        # defecting is strictly dominant: each player who cooperates switches once, never back
        assert len(traj.plays) - 1 <= start.count(0)


def test_fictitious_play_and_replicator_in_the_prisoners_dilemma_reach_defect_defect():
    game = prisoners_dilemma()
    solution = gt.solve(game)
    fp = dyn.fictitious_play(game, iterations=500, solution=solution)
    # after the first round (a tie with no history) both defect every round
    assert all(p == (1, 1) for p in fp.plays[1:])
    assert fp.settled and fp.converged_to == 0 and fp.end[0][1] >= 499 / 500
    rep = dyn.replicator_dynamics(game, start=[[0.99, 0.01], [0.9, 0.1]], solution=solution)
    assert rep.settled and rep.converged_to == 0 and rep.end[0][1] > 1 - 1e-6
    # a strictly dominated strategy dies out monotonically
    assert np.all(np.diff(rep.steps[0][:, 0]) <= 1e-12)


# ------------------------------------------------------------------ coordination
def test_sequential_best_responses_in_a_coordination_game():
    # Row moves first. From (0, 1) the row's best reply to column 1 is row 1: (1, 1). From (1, 0) the row
    # switches to 0: (0, 0). The two equilibria stay where they are.
    game = coordination()
    solution = gt.solve(game)
    index = {e.pure_profile: k for k, e in enumerate(solution.equilibria) if e.pure}
    expected = {(0, 0): (0, 0), (1, 1): (1, 1), (0, 1): (1, 1), (1, 0): (0, 0)}
    for start, end in expected.items():
        traj = dyn.best_response_dynamics(game, start, solution=solution)
        assert traj.settled and traj.plays[-1] == end and traj.converged_to == index[end]
        assert len(traj.plays) == (1 if start == end else 2)


def test_simultaneous_best_responses_miscoordinate_for_ever():
    # Both revise at once: from (0, 1) the row goes to 1 and the column to 0, and back again.
    traj = dyn.best_response_dynamics(coordination(), (0, 1), sequential=False)
    assert traj.cycles and not traj.settled
    assert traj.cycle == ((0, 1), (1, 0))
    assert traj.plays == ((0, 1), (1, 0), (0, 1))


# ------------------------------------------------------------------ Shapley
def test_fictitious_play_cycles_in_shapleys_game():
    # Shapley (1964): fictitious play does not converge; the play runs round the six profiles of the
    # best-response cycle (0,0) -> (0,1) -> (1,1) -> (1,2) -> (2,2) -> (2,0) with ever longer runs.
    game = shapley()
    traj = dyn.fictitious_play(game, iterations=3000, solution=gt.solve(game))
    half = traj.length // 2
    assert min(uniform_distance(traj, t) for t in range(half, traj.length)) > 0.1
    assert traj.cycles and not traj.settled and traj.converged_to is None
    assert traj.cycle in rotations([(0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 0)])


def test_best_response_cycle_in_shapleys_game_is_exact():
    traj = dyn.best_response_dynamics(shapley(), (0, 0))
    assert traj.cycles and traj.cycle == ((0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 0))
    assert traj.plays[-1] == traj.plays[0]


# ------------------------------------------------------------------ G1, three players
def test_g1_file_matches_the_hand_table():
    game = gt.load(GAMES / "deterrence.json").bind({})
    assert np.array_equal(game.payoffs, g1_defaults().payoffs)


@pytest.mark.parametrize("sequential", [True, False])
def test_g1_best_responses_end_with_nobody_moving(sequential):
    # By hand from the G1 table: when Russia targets, Europe prefers hold (-8 > -17 with a backstop,
    # -8 > -26 without); once Europe holds, Russia prefers target (4 > 0) and the US stay_out
    # (0 > -2, -4 > -6); and Europe deploys into 'accept' only, where Russia (vs stay_out) or then the
    # US (vs target) moves on. So no cycle can survive and every start ends at (hold, target, stay_out).
    game = g1_defaults()
    solution = gt.solve(game)
    [k] = [k for k, e in enumerate(solution.equilibria) if e.pure_profile == (1, 1, 1)]
    for start in itertools.product(range(2), repeat=3):
        traj = dyn.best_response_dynamics(game, start, sequential=sequential, solution=solution)
        assert traj.settled and traj.plays[-1] == (1, 1, 1) and traj.converged_to == k


def test_g1_with_a_deployed_force_is_an_inspection_cycle():
    # Europe held at deploy: Russia best-responds accept to backstop (-3 > -6) and target to stay_out
    # (2 > -3); the US stay_out to accept (0 > -1) and backstop to target (-9 > -12). No pure
    # equilibrium, and best responses go round the four profiles for ever.
    game = g1_defaults().restrict([[0], [0, 1], [0, 1]])
    order = [(0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0)]
    for start in order:
        traj = dyn.best_response_dynamics(game, start)
        assert traj.cycles and traj.cycle in rotations(order)
    # Fictitious play frequencies approach the mixed equilibrium (accept 3/4, backstop 5/8):
    # fictitious play converges in nondegenerate 2x2 games (Miyasawa 1961).
    solution = gt.solve(game)
    fp = dyn.fictitious_play(game, iterations=2000, solution=solution)
    assert fp.cycles and fp.converged_to == 0
    assert abs(fp.end[1][0] - 0.75) < 0.03 and abs(fp.end[2][0] - 0.625) < 0.03
    # The replicator goes round that equilibrium without reaching it or the boundary.
    rep = dyn.replicator_dynamics(game, start=[[1], [0.6, 0.4], [0.5, 0.5]], solution=solution)
    assert rep.cycles and rep.converged_to is None
    assert rep.steps[1].min() > 0.05 and rep.steps[2].min() > 0.05
    assert np.maximum(np.abs(rep.steps[1][:, 0] - 0.75), np.abs(rep.steps[2][:, 0] - 0.625)).min() > 0.02


def test_g1_three_player_replicator_matches_nashpy_on_the_inspection_game():
    # Europe fixed at deploy is a dummy player: our N-player ODE on the 3-player game must trace the
    # same path as nashpy's two-population replicator on the Russia-US bimatrix.
    game = g1_defaults().restrict([[0], [0, 1], [0, 1]])
    bimatrix = NormalFormGame.from_arrays(game.payoffs[1][0], game.payoffs[2][0])
    times = np.linspace(0, 10, 201)
    three = dyn.replicator_dynamics(game, start=[[1], [0.6, 0.4], [0.5, 0.5]], timepoints=times)
    two = dyn.replicator_dynamics(bimatrix, start=[[0.6, 0.4], [0.5, 0.5]], timepoints=times)
    assert three.parameters["engine"].startswith("scipy") and two.parameters["engine"].startswith("nashpy")
    assert np.abs(three.steps[1] - two.steps[0]).max() < 1e-5
    assert np.abs(three.steps[2] - two.steps[1]).max() < 1e-5


def test_g1_replicator_can_only_settle_at_the_strict_equilibrium():
    # In the multi-population replicator dynamics only strict equilibria are asymptotically stable
    # (Ritzberger and Weibull 1995); G1's only strict one is (hold, target, stay_out). So a run that
    # settles settles there, never at the mixed equilibria.
    game = g1_defaults()
    solution = gt.solve(game)
    [k] = [k for k, e in enumerate(solution.equilibria) if e.pure_profile == (1, 1, 1)]
    settled = 0
    for seed in range(4):
        traj = dyn.replicator_dynamics(game, seed=seed, solution=solution)
        assert np.allclose([s.sum(axis=1) for s in traj.steps], 1)
        if traj.settled:
            settled += 1
            assert traj.converged_to == k
    assert settled >= 1


def test_g1_fictitious_play_that_settles_settles_on_a_pure_equilibrium():
    # If fictitious play keeps playing one profile, each player keeps best-responding to frequencies
    # that converge to it, so it is a (pure) Nash equilibrium.
    game = g1_defaults()
    settled = 0
    for start in itertools.product(range(2), repeat=3):
        traj = dyn.fictitious_play(game, iterations=300, start=start)
        assert traj.steps[0].shape == (301, 2)
        if traj.settled:
            settled += 1
            assert certify(game, pure_profile(game, traj.plays[-1])).ok
    assert settled >= 1


# ------------------------------------------------------------------ inputs
def test_bad_inputs_are_input_errors():
    game = prisoners_dilemma()
    with pytest.raises(InputError, match="one per player"):
        dyn.best_response_dynamics(game, (0,))
    with pytest.raises(InputError, match=r"strategies 0\.\.1"):
        dyn.best_response_dynamics(game, (0, 2))
    with pytest.raises(InputError, match="positive whole number"):
        dyn.fictitious_play(game, iterations=0)
    with pytest.raises(InputError, match="sum to 1"):
        dyn.replicator_dynamics(game, start=[[0.5, 0.6], [0.5, 0.5]])
    with pytest.raises(InputError, match="increasing"):
        dyn.replicator_dynamics(game, timepoints=[0, 2, 1])
    with pytest.raises(InputError, match="NormalFormGame"):
        dyn.fictitious_play([[1, 2], [3, 4]])


def test_a_pure_start_is_a_rest_point_of_the_replicator():
    game = matching_pennies()
    traj = dyn.replicator_dynamics(game, start=pure_profile(game, (0, 1)))
    assert traj.settled and not traj.cycles
    assert np.array_equal(traj.steps[0][-1], [1, 0]) and np.array_equal(traj.steps[1][-1], [0, 1])
    assert any("rest point" in n for n in traj.notes)


# ------------------------------------------------------------------ plots
def test_plots_png_and_svg(tmp_path):
    game = matching_pennies()
    solution = gt.solve(game)
    square = dyn.fictitious_play(game, iterations=200, solution=solution)
    fig = plot_trajectory(square, tmp_path / "fp.png", equilibria=solution)
    assert_png(tmp_path / "fp.png")
    assert len(fig.axes) == 1  # the unit square
    plot_trajectory(dyn.best_response_dynamics(game), tmp_path / "br.svg", equilibria=solution)
    assert_svg(tmp_path / "br.svg")
    g1 = g1_defaults()
    fig = plot_trajectory(dyn.best_response_dynamics(g1), tmp_path / "g1.svg", equilibria=gt.solve(g1))
    assert_svg(tmp_path / "g1.svg")
    assert len(fig.axes) == 3  # one panel per player
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically: no temporary file left behind
    with pytest.raises(InputError, match=r"\.png or \.svg"):
        plot_trajectory(square, tmp_path / "fp.pdf")


# ------------------------------------------------------------------ command line
@pytest.fixture
def run(root, monkeypatch):
    monkeypatch.chdir(root)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["dynamics", *args])


def test_cli_prisoners_dilemma(run):
    result = run("games/classics/prisoners_dilemma.json")
    assert result.exit_code == 0, result.output
    assert "Settles: at (defect, defect), a pure equilibrium" in result.stdout
    assert "(cooperate, cooperate) -> (defect, cooperate) -> (defect, defect)" in result.stdout


def test_cli_inspection_cycle_and_plot(run, tmp_path):
    plot = tmp_path / "inspection.png"
    result = run("games/deterrence.json", "--fix", "Europe=deploy", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    assert (
        "Cycles: yes, exactly: play goes round (deploy, accept, backstop) -> (deploy, accept, stay_out) -> "
        "(deploy, target, stay_out) -> (deploy, target, backstop) -> (deploy, accept, backstop)" in result.stdout
    )
    assert "Fixed: Europe plays deploy" in result.stdout
    assert_png(plot)


def test_cli_json(run):
    result = run(
        "games/classics/matching_pennies.json",
        "--method",
        "fictitious",
        "--iterations",
        "400",
        "--seed",
        "2",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "fictitious_play" and data["settings"]["seed"] == 2
    assert data["cycles"] is True and data["converged_to"] == 0
    assert data["equilibria"][0]["exact"]["Matcher"] == {"heads": "1/2", "tails": "1/2"}
    assert len(data["path"]["times"]) == 400 and len(data["path"]["plays"]) == 400
    assert abs(data["end"]["Matcher"]["heads"] - 0.5) < 0.05


def test_cli_replicator_start(run):
    result = run(
        "games/classics/matching_pennies.json",
        "--method",
        "replicator",
        "--start",
        "0.8,0.2;1/2,1/2",
        "--horizon",
        "20",
        "--iterations",
        "201",
    )
    assert result.exit_code == 0, result.output
    assert "Matcher: heads 0.8, tails 0.2" in result.stdout
    assert "population shares at time 20" in result.stdout
    assert "Converges: no" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["games/classics/prisoners_dilemma.json", "--method", "bogus"], "Invalid value for '--method'"),
        (["no/such/file.json"], "error:"),
        (["games/classics/prisoners_dilemma.json", "--plot", "out.pdf"], ".png or .svg"),
        (["games/classics/prisoners_dilemma.json", "--start", "cooperate,maybe"], "no strategy 'maybe'"),
        (["games/classics/prisoners_dilemma.json", "--start", "cooperate"], "one strategy per player"),
        (["games/classics/prisoners_dilemma.json", "--method", "fictitious", "--simultaneous"], "--method br"),
        (["games/classics/prisoners_dilemma.json", "--horizon", "5"], "--method replicator"),
        (["games/deterrence.json", "--fix", "Europe"], "PLAYER=STRATEGY"),
        (["games/deterrence.json", "--fix", "NATO=deploy"], "unknown player"),
        (["games/classics/prisoners_dilemma.json", "--iterations", "0"], "--iterations"),
    ],
)
def test_cli_bad_input_exits_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_help_is_complete(run):
    result = run("--help")
    assert result.exit_code == 0
    for option in (
        "--method",
        "--iterations",
        "--seed",
        "--start",
        "--set",
        "--preset",
        "--plot",
        "--format",
        "--fix",
        "--simultaneous",
        "--horizon",
        "--tolerance",
    ):
        assert option in result.output
    assert "Examples:" in result.output and "gametheory dynamics games/" in result.output
