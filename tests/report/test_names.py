"""One readable notation for equilibria and regimes, and the scenario's names, in every output for people;
machine labels (sweep tables, JSON ``label`` fields) unchanged (:mod:`gametheory.report.names`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.report import plots
from gametheory.report.montecarlo import render_montecarlo
from gametheory.report.names import regime_text
from gametheory.report.tornado import render_tornado
from gametheory.sensitivity.labels import combine, parse_label, regime_label
from gametheory.sensitivity.montecarlo import monte_carlo
from gametheory.sensitivity.tornado import tornado
from gametheory.teaching.handout import regime_words
from tests.support import ROOT

# Row plays a iff x > t, Col always plays l: two regimes, pure(a,l) and pure(b,l); the first one is named.
NAMED = {
    "title": "One threshold, one name",
    "players": [{"name": "Row", "strategies": ["a", "b"]}, {"name": "Col", "strategies": ["l", "r"]}],
    "parameters": {"x": {"default": 0.5, "range": [0, 1]}, "t": {"default": 0.3, "range": [0, 1]}},
    "matrix": [[["x", 1], ["x", 0]], [["t", 1], ["t", 0]]],
    "names": {"Row dares": {"profile": {"Row": "a", "Col": "l"}}},
}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "named.json"
    path.write_text(json.dumps(NAMED), encoding="utf-8")
    return gt.load(path)


def test_labels_read_back_including_quoted_names():
    strategies = [["a,b", "c"], ['say "x"', "y|z", "w"]]
    supports = [((0,), (1,)), ((0, 1), (0, 2)), ((0, 1), (0, 2))]
    label = combine(strategies, supports, continua=[((1,), (1, 2))])
    assert parse_label(label) == [
        (1, "pure", (("a,b",), ("y|z",))),
        (2, "mixed", (("a,b", "c"), ('say "x"', "w"))),
        (1, "continuum", (("c",), ("y|z", "w"))),
    ]
    assert parse_label("none") == []


def test_one_notation_with_names_and_without():
    label = "pure(hold,target,stay_out) + 2*mixed(deploy|accept,target|backstop,stay_out)"
    assert regime_text(label) == "pure (hold, target, stay_out); 2 x mixed (deploy, accept/target, backstop/stay_out)"
    names = {(("hold",), ("target",), ("stay_out",)): "nobody moves"}
    assert regime_text(label, names).startswith("nobody moves; 2 x mixed (deploy, ")
    assert regime_text("none") == "no equilibrium"


def test_handout_words_and_label_display_agree_on_g1():
    # Two roads to the words for one equilibrium set: from the solver's supports (the handout) and from the
    # machine label (plots, tornado, Monte Carlo, sweeps). SCENARIOS.md names E1 and E2 of G1.
    scenario = gt.load(ROOT / "games" / "deterrence.json")
    solution = gt.solve(scenario.bind())
    words = regime_words(solution)
    assert words == regime_text(regime_label(solution), scenario.equilibrium_names)
    assert words.startswith("nobody moves; probabilistic deterrence; mixed (deploy/hold, accept/target, ")


def test_montecarlo_and_tornado_show_names_and_keep_labels(named, tmp_path):
    result = monte_carlo(named, 100, 1)
    assert {r.label for r in result.regimes} == {"pure(a,l)", "pure(b,l)"}
    text = render_montecarlo(result)
    assert "Row dares" in text and "pure (b, l)" in text and "pure(a,l)" not in text
    shares = json.loads(render_montecarlo(result, "json"))["regimes"]
    assert {(r["label"], r["display"]) for r in shares} == {("pure(a,l)", "Row dares"), ("pure(b,l)", "pure (b, l)")}
    fig = plots.plot_montecarlo(result)
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"Row dares", "pure (b, l)"}
    bars = tornado(named, points=3)
    assert "Row dares" in render_tornado(bars)
    fig = plots.plot_tornado(bars)
    legend = " ".join(t.get_text() for box in fig.legends for t in box.get_texts())
    assert "Row dares" in legend and "pure(" not in legend


def test_sweep_table_keeps_labels_summary_shows_names(named, tmp_path):
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(app, ["sweep", named.file, "--vary", "x=0:1:5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Row dares" in result.stderr and "pure (b, l)" in result.stderr
    table = out.read_text()
    assert '"pure(a,l)"' in table and "Row dares" not in table


def test_report_size_and_dpi_set_the_handout_figure(named, tmp_path):
    # --size 4x3 --dpi 50 must give a 200 x 150 pixel PNG (the PNG header stores width and height).
    out = tmp_path / "h.md"
    args = ["report", named.file, "--out", str(out), "--no-thresholds", "--no-working", "--vary", "x=0:1:11"]
    result = CliRunner().invoke(app, [*args, "--size", "4x3", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    png = (tmp_path / "h-plot.png").read_bytes()
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (200, 150)
    assert "--size=4x3 --dpi=50" in out.read_text()  # the command that regenerates it


def test_plans_with_slashes_are_joined_by_or():
    # Game-tree plans are written with "/", so a support of two plans cannot be joined by "/" as well.
    label = "mixed(deploy|refuse/-/target,sign/accept/-)"
    assert regime_text(label) == "mixed (deploy, refuse/-/target or sign/accept/-)"


def test_live_page_model_carries_the_text_for_people():
    from gametheory.report.live import display_texts

    model = {
        "strategies": [["hold", "deploy"], ["target", "accept"]],
        "names": [[[["hold"], ["target"]], "nobody moves"]],
        "families": [{"label": "mixed(hold,deploy|target,accept)", "support": [[0, 1], [0, 1]]}],
    }
    shown = display_texts(model)
    assert shown["pure(hold,target)"] == "nobody moves" and shown["pure(deploy,accept)"] == "pure (deploy, accept)"
    assert shown["mixed(hold,deploy|target,accept)"] == "mixed (hold/deploy, target/accept)"
