"""The ``commit`` command: the JSON contract, every scenario form, and bad input."""

import json

import pytest
from click.testing import CliRunner

from gametheory.cli import app


@pytest.fixture
def run(root, monkeypatch):
    monkeypatch.chdir(root)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_json_contract_on_g1_with_the_us_as_leader(run):
    result = run("commit", "games/deterrence.json", "--leader", "US", "--format", "json", "--no-table")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["leader"] == "US"
    assert data["pure"]["strategy"] == "backstop"
    assert data["pure"]["payoffs"] == {"Europe": 7.0, "Russia": -3.0, "US": -1.0}
    assert data["pure"]["pessimistic"]["payoffs"]["US"] == -4.0
    # Backstop with probability 5/8 = (g_r - f_r - w_r + a_r)/x_r, worth -5/8 to the US (hand derivation).
    assert data["mixed"]["strategy"] == {"backstop": 0.625, "stay_out": 0.375}
    assert data["mixed"]["exact"] == {"backstop": "5/8", "stay_out": "3/8"}
    assert data["mixed"]["followers"] == {"Europe": {"deploy": 1.0}, "Russia": {"accept": 1.0}}
    assert data["mixed"]["payoffs"]["US"] == -0.625
    assert data["nash_payoffs"]["best"]["US"] == -3.0 and data["nash_payoffs"]["worst"]["US"] == -4.0
    assert data["correlated"]["payoffs"]["US"] == -0.625
    assert data["gain"] == 2.375  # -5/8 against -3
    assert data["mixed"]["formula"]["backstop"] == "(a_r - f_r + g_r - w_r)/x_r"


def test_text_markdown_and_latex_say_the_same(run):
    outputs = {}
    for fmt in ("text", "markdown", "latex"):
        result = run("commit", "games/classics/matching_pennies.json", "--leader", "Matcher", "--format", fmt)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
    assert "Who gains by moving first" in outputs["text"]
    assert "hurts Matcher" in outputs["markdown"]  # pure commitment: -1 against 0
    assert r"\subsection*{Who gains by moving first}" in outputs["latex"]


@pytest.mark.parametrize(
    ("file", "leader", "says"),
    [
        ("games/classics/entry_deterrence.json", "Incumbent", "reduced normal form"),
        ("games/uncertain_resolve_bayesian.json", "Europe", "ex-ante form"),
    ],
)
def test_trees_and_bayesian_games_say_what_form_is_analysed(run, file, leader, says):
    result = run("commit", file, "--leader", leader, "--no-table")
    assert result.exit_code == 0, result.output
    assert says in result.stdout


def test_entry_deterrence_incumbent_commits_to_fight(run):
    # The incumbent who can commit to fighting keeps the entrant out (Selten's chain store, one round):
    # as leader it gets its monopoly payoff, which the subgame-perfect equilibrium (entry, accommodation)
    # denies it; in the normal form it is also a (non-credible) Nash equilibrium payoff.
    result = run("commit", "games/classics/entry_deterrence.json", "--leader", "Incumbent", "--format", "json")
    data = json.loads(result.stdout)
    assert data["pure"]["strategy"] == "fight"
    assert data["pure"]["followers"] == {"Entrant": {"stay_out": 1.0}}
    # Mixing cannot do better than the entrant staying out for sure; the commitment shown is the
    # one every best reply of the entrant honours (fight for sure), not a knife-edge mixture.
    assert data["mixed"]["strategy"] == {"fight": 1.0} and data["mixed"]["attained"]
    assert data["mixed"]["payoffs"]["Incumbent"] == data["pure"]["payoffs"]["Incumbent"]


def test_unknown_leader_exit_2_with_a_suggestion(run):
    result = run("commit", "games/deterrence.json", "--leader", "Rusia")
    assert result.exit_code == 2
    assert "unknown player 'Rusia' (did you mean 'Russia'?)" in result.output
    assert "Traceback" not in result.output


def test_unknown_vary_parameter_exit_2(run):
    result = run("commit", "games/classics/matching_pennies.json", "--leader", "Matcher", "--vary", "nope")
    assert result.exit_code == 2
    assert "unknown parameter 'nope'" in result.output


def test_vary_with_a_number_of_points_is_refused(run):
    result = run("commit", "games/classics/chicken.json", "--leader", "Player 1", "--vary", "v=1:10:5")
    assert result.exit_code == 2
    assert "NAME or NAME=LO:HI" in result.output


# ------------------------------------------------------------------ sweep --commit and sensitivity --commit
def test_sweep_commit_columns_on_g1_follow_five_over_x_r(run, tmp_path):
    # Russia accepts a deployed force iff -3 >= 10 - 6 - 2 - q*x_r, i.e. q >= 5/x_r (hand, as in the how-to):
    # for x_r < 5 no promise deters and the US stays out (-4); from 5 on it backs the force with
    # probability 5/x_r, paying 1 per unit (m_us - c_us = -1): -5/x_r, against -3 in its best Nash equilibrium.
    out = tmp_path / "commit.json"
    result = run("sweep", "games/deterrence.json", "--vary", "x_r=4:8:5", "--commit", "US", "--out", str(out))
    assert result.exit_code == 0, result.output
    columns = json.loads(out.read_text())["columns"]
    assert columns["x_r"] == [4, 5, 6, 7, 8]
    assert columns["P:US:backstop"] == pytest.approx([0, 1, 5 / 6, 5 / 7, 5 / 8])
    assert columns["committed:US"] == pytest.approx([-4, -1, -5 / 6, -5 / 7, -5 / 8])
    assert columns["value_of_commitment"][-1] == pytest.approx(-5 / 8 + 3)
    assert "US mixes backstop+stay_out" in columns["commitment"][-1]
    assert "5 points, each solved on its own" in result.output


def test_sweep_commit_refuses_a_plot_and_an_unknown_leader(run, tmp_path):
    out = str(tmp_path / "c.csv")
    result = run("sweep", "games/deterrence.json", "--vary", "x_r=4:8:3", "--commit", "US", "--plot", "p.png")
    assert result.exit_code == 2 and "takes neither --plot" in result.output
    result = run("sweep", "games/deterrence.json", "--vary", "x_r=4:8:3", "--commit", "UK", "--out", out)
    assert result.exit_code == 2 and "unknown player 'UK'" in result.output


def test_sensitivity_commit_threshold_where_the_leader_switches_concert(run):
    # Battle of the sexes, Player 1 leads: it commits to its favourite meeting point, Bach while
    # high > low = 1, Stravinsky below; Player 2 follows, and the leader gets max(high, 1), its best Nash payoff.
    result = run(
        "sensitivity", "games/classics/battle_of_the_sexes.json", "--param", "high", "--range", "0:2",
        "--commit", "Player 1", "--no-conditions", "--no-statics", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [scan] = json.loads(result.stdout)["commitment"]
    [threshold] = scan["thresholds"]
    assert threshold["exact"] == "1" and threshold["exact_root"]
    assert "commits to stravinsky" in threshold["below"] and "commits to bach" in threshold["above"]
    assert all(r["label"].endswith("no gain over best Nash") for r in scan["regimes"])
