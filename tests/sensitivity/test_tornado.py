"""Tornado analysis against a game solved by hand.

The game (Row chooses U/D, Col chooses L/R)::

              L              R
    U   (a + k, 1)       (k, 0)
    D   (k, 0)           (1 + k, b)

* a > 0 and b > 0: a coordination game with equilibria (U,L), (D,R) and a
  mixed one where Col plays L with probability 1/(1+a), which makes Row
  indifferent; Row then gets a/(1+a) + k, its lowest equilibrium payoff
  (a/(1+a) < min(a, 1)); its highest is max(a, 1) + k.
* a < 0 (b > 0): D strictly dominates U, so (D,R) is the only equilibrium; Row gets 1 + k.
* b < 0 (a > 0): L strictly dominates R, so (U,L) is the only equilibrium; Row gets a + k.
* k adds the same amount to every Row payoff: it moves Row's payoff and nothing else.
* z appears in no payoff.

With defaults a = b = 1, k = 0 and 6 grid points per range, the tornado must
find: a changes the regime once (between -0.4 and 0.2), b once (between -0.2
and 0.6), k never; Row's worst-equilibrium payoff swings by 3 with k, 5/6
with a (from 1/6 at a = 0.2 to 1 for a < 0) and 1/2 with b.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.errors import InputError
from gametheory.report.tornado import render_tornado
from gametheory.sensitivity.montecarlo import family_parts
from gametheory.sensitivity.tornado import tornado
from tests.support import GAMES, ROOT

GAME = {
    "title": "Coordination with an outside edge",
    "players": [{"name": "Row", "strategies": ["U", "D"]}, {"name": "Col", "strategies": ["L", "R"]}],
    "parameters": {
        "a": {"default": 1, "range": [-1, 2]},
        "b": {"default": 1, "range": [-1, 3]},
        "k": {"default": 0, "range": [0, 3]},
        "z": {"default": 0, "range": [0, 1]},
    },
    "matrix": [[["a + k", 1], ["k", 0]], [["k", 0], ["1 + k", "b"]]],
}
COORDINATION = {"pure(U,L)", "pure(D,R)", "mixed(U,D|L,R)"}


@pytest.fixture
def game_file(tmp_path) -> Path:
    path = tmp_path / "coordination.json"
    path.write_text(json.dumps(GAME), encoding="utf-8")
    return path


@pytest.fixture
def scenario(game_file):
    return gt.load(game_file)


def test_regimes_and_changes_without_a_payoff(scenario):
    result = tornado(scenario, points=6)
    assert result.ranking == ("a", "b", "k")  # one change each for a and b (file order), none for k
    assert result.skipped == {"z": "no payoff uses it"}
    assert family_parts(result.baseline_regime) == COORDINATION
    a, b, k = (result.bar(name) for name in "abk")
    assert [family_parts(r) for r in a.path] == [{"pure(D,R)"}, COORDINATION]
    assert [family_parts(r) for r in b.path] == [{"pure(U,L)"}, COORDINATION]
    assert a.changes == b.changes == 1 and k.changes == 0
    [(lo, hi, _, _)] = a.change_points
    assert (lo, hi) == (F(-2, 5), F(1, 5))
    [(lo, hi, _, _)] = b.change_points
    assert (lo, hi) == (F(-1, 5), F(3, 5))
    assert a.payoffs is None and a.swing == 0


def test_worst_payoff_swing_ranks_k_then_a_then_b(scenario):
    result = tornado(scenario, payoff_player="Row", selection="worst", points=6)
    assert result.ranking == ("k", "a", "b")
    assert result.baseline_payoff == F(1, 2)
    a, b, k = (result.bar(name) for name in "abk")
    # a = -1, -0.4, 0.2, 0.8, 1.4, 2: 1, 1, then a/(1+a)
    assert a.payoffs == (1, 1, F(1, 6), F(4, 9), F(7, 12), F(2, 3))
    assert (a.payoff_min, a.payoff_max, a.swing) == (F(1, 6), 1, F(5, 6))
    assert (a.payoff_at_low, a.payoff_at_high) == (1, F(2, 3))
    assert b.payoffs == (1, 1, F(1, 2), F(1, 2), F(1, 2), F(1, 2)) and b.swing == F(1, 2)
    assert k.payoffs == tuple(F(1, 2) + x for x in k.values) and k.swing == 3


def test_best_payoff_selection(scenario):
    result = tornado(scenario, payoff_player="Row", selection="best", points=6, parameters=["a"])
    assert result.bar("a").payoffs == (1, 1, 1, 1, F(7, 5), 2)
    assert result.baseline_payoff == 1


def test_set_moves_the_baseline(scenario):
    result = tornado(scenario, points=6, base={"b": "-0.5"}, parameters=["a"])
    # with b < 0 Col always plays L, so Row plays U iff a > 0 (and is indifferent at a = 0)
    assert [family_parts(r) for r in result.bar("a").path] == [{"pure(D,L)"}, {"pure(U,L)"}]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"payoff_player": "Rwo"}, "did you mean 'Row'"),
        ({"points": 1}, "at least 2"),
        ({"selection": "median"}, "unknown selection"),
        ({"parameters": ["q"]}, "unknown parameter 'q'"),
        ({"parameters": ["z"]}, "no parameter to move"),
    ],
)
def test_bad_arguments(scenario, kwargs, message):
    with pytest.raises(InputError, match=message):
        tornado(scenario, **kwargs)


def test_renderings(scenario):
    result = tornado(scenario, payoff_player="Row", selection="worst", points=6)
    text = render_tornado(result, "text")
    assert "Row payoff (worst)" in text and "R1: " in text
    assert "a between -0.4 and 0.2" in text
    data = json.loads(render_tornado(result, "json"))
    assert [p["parameter"] for p in data["parameters"]] == ["k", "a", "b"]
    first = data["parameters"][1]
    assert first["swing"] == pytest.approx(5 / 6) and first["change_points"][0]["exact"] == ["-2/5", "1/5"]
    assert "| rank |" in render_tornado(result, "markdown")


def test_deterrence_x_r_changes_regime_near_5():
    """SCENARIOS.md G1: the backstop deters iff x_r > g_r - f_r - w_r + a_r = 5 (E1 is unique below)."""
    result = tornado(gt.load(ROOT / "games" / "deterrence.json"), points=7, parameters=["x_r"])
    bar = result.bar("x_r")
    lows = [lo for lo, hi, before, after in bar.change_points]
    highs = [hi for lo, hi, before, after in bar.change_points]
    assert any(lo < 5 < hi for lo, hi in zip(lows, highs))
    assert bar.path[0] == "pure(hold,target,stay_out)"


# ------------------------------------------------------------------ CLI
@pytest.fixture
def cli(monkeypatch):
    from gametheory.cli import App
    from gametheory.cli.analysis import tornado_command

    group = App(name="gametheory", commands={"tornado": tornado_command})
    runner = CliRunner()
    return lambda *args: runner.invoke(group, ["tornado", *[str(a) for a in args]])


def test_cli_tornado(game_file, cli, tmp_path):
    plot = tmp_path / "t.png"
    result = cli(game_file, "--payoff", "Row", "--points", 6, "--plot", plot)
    assert result.exit_code == 0, result.output
    assert result.stdout.index("  k ") < result.stdout.index("  a ")
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "t.json"
    result = cli(game_file, "--format", "json", "--out", out, "--param", "a", "--points", 6)
    assert result.exit_code == 0 and json.loads(out.read_text())["parameters"][0]["changes"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--payoff", "Nobody"], "unknown player"),
        (["--points", "1"], "at least 2"),
        (["--plot", "t.pdf"], ".png or .svg"),
        (["--set", "a=oops"], "must be a number"),
    ],
)
def test_cli_tornado_bad_input_exit_2(game_file, cli, args, message):
    result = cli(game_file, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr


def test_default_band_shows_the_swing_the_worst_equilibrium_hides():
    """G1: Europe's worst equilibrium is always (hold, target, stay_out), payoff -8 whatever x_r or v_e are, so
    ranking by it alone shows no swing; its best equilibrium pays -11/16 at the defaults (E2 of SCENARIOS.md:
    deploy against accept 3/4 and backstop 5/8) and moves with both. The default band shows both."""
    g1 = gt.load(GAMES / "deterrence.json")
    result = tornado(g1, payoff_player="Europe", points=5, parameters=["x_r", "v_e"])
    assert result.selection == "both"
    assert result.baseline_payoff == -8 and result.baseline_best == F(-11, 16)
    for bar in result.bars:
        assert set(bar.payoffs) == {-8}
        assert bar.swing == bar.best_max - bar.best_min > 0
    text = render_tornado(result, "text")
    assert "Europe payoff (worst; best)" in text and "best -8 .. " in text


def test_exact_thresholds_are_those_sensitivity_finds():
    """G1's x_r: 5 (= g_r - f_r - w_r + a_r), 13/2 and 15, the top of its range (tests/sensitivity/test_range_ends.py);
    on a 5-point grid the tornado alone could only say 'between 3.75 and 7.5'."""
    g1 = gt.load(GAMES / "deterrence.json")
    result = tornado(g1, points=5, parameters=["x_r"], exact_thresholds=True)
    assert [t.exact for t in result.bar("x_r").thresholds.thresholds] == ["5", "13/2", "15"]
    text = render_tornado(result, "text")
    assert "exact thresholds" in text and "x_r = 13/2: " in text and "x_r = 15 (the upper end of the range)" in text
    data = json.loads(render_tornado(result, "json"))
    assert [t["exact"] for t in data["parameters"][0]["thresholds"]] == ["5", "13/2", "15"]
