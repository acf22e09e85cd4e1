"""Tests of two settings side by side (gametheory.sensitivity.compare, report.compare, ``gametheory compare``).

Independent answers, from SCENARIOS.md (worked out by hand, checked with pygambit):

* G4 (games/sequencing.json): with a vague US promise (pledge_us = 0) the US would abstain after
  deploy_first/target and the SPE is cf_first/refuse; with a formal pledge (pledge_us = 2) the US
  intervenes, the SPE is deploy_first/accept, and 8 of the 14 pure Nash equilibria keep Europe at
  home on Russia's non-credible threat to target; the SPE flips at pledge_us = 1
  (n_us + pledge_us = c_us + e_us).
* G1 (games/deterrence.json): the pure deterrence equilibrium (deploy, accept, backstop) appears
  when m_us passes c_us = 2; the US payoff of that cell is m_us - c_us.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.formats import load
from gametheory.report.compare import render_compare
from gametheory.sensitivity.compare import compare, side
from tests.support import GAMES

G1 = str(GAMES / "deterrence.json")
G4 = str(GAMES / "sequencing.json")


@pytest.fixture(scope="module")
def g4_pledge():
    scenario = load(G4)
    return compare(side(scenario, {"pledge_us": "0"}), side(scenario, {"pledge_us": "2"}))


def test_g4_formal_pledge_makes_russias_threat_non_credible(g4_pledge):
    by_player = {(ch.player, ch.where): ch for ch in g4_pledge.credibility}
    russia = by_player[("Russia", "after deploy_first")]
    assert russia.left == ("target",) and russia.right == ("accept",)
    assert russia.resting == (0, 8)
    us = by_player[("US", "after deploy_first/target")]
    assert us.left == ("abstain",) and us.right == ("intervene",)
    assert [(t.value, t.below, t.above) for t in g4_pledge.spe_thresholds] == [
        (Fraction(1), "cf_first>refuse", "deploy_first>accept")
    ]
    text = render_compare(g4_pledge)
    assert "Russia's threat to target after deploy_first becomes non-credible" in text
    assert "cf_first > refuse at pledge_us=0; deploy_first > accept at pledge_us=2" in text


def test_g4_cells_differ_only_where_the_us_abstains_after_a_pledge(g4_pledge):
    # pledge_us enters only the US payoff of the leaves where it abstains after a strike
    assert g4_pledge.cells and all(cell.player == "US" for cell in g4_pledge.cells)
    assert all(cell.right - cell.left == -2 for cell in g4_pledge.cells)
    assert all(m.same_support for m in g4_pledge.matches) and len(g4_pledge.matches) == 14


def test_g1_cli_threshold_cells_and_matched_equilibria():
    result = CliRunner().invoke(app, ["compare", G1, "--vs", "--set", "m_us=2.1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["parameters"] == [{"name": "m_us", "left": "1", "right": "21/10"}]
    assert [(t["exact"], t["symbolic"]) for t in data["thresholds"]] == [("2", "c_us")]
    assert data["cells"] == [
        {"profile": ["deploy", "accept", "backstop"], "player": "US", "left": "-1", "right": "1/10"}
    ]
    labels = [tuple(m["labels"]) for m in data["matches"]]
    assert ("pure(hold,target,stay_out)", "pure(hold,target,stay_out)") in labels
    assert any(b == "pure(deploy,accept,backstop)" for _, b in labels)


def test_cli_presets_markdown_and_html(tmp_path):
    menu = str(GAMES / "guarantee_menu.json")
    runner = CliRunner()
    md = runner.invoke(
        app, ["compare", menu, "--preset", "art5_like", "--vs", "--preset", "assurances", "--format", "markdown"]
    )
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# ") and "## What differs" in md.output
    out = tmp_path / "c.html"
    args = ["compare", menu, "--preset", "art5_like", "--vs", "--preset", "assurances", "--format", "html"]
    html = runner.invoke(app, [*args, "--out", str(out)])
    assert html.exit_code == 0, html.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "peace at preset art5_like becomes Ukraine holds out" in page  # each preset's own names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(GAMES / "force_composition.json"), G1], "different players"),
        ([G1, "--vs", "--sett", "x=1"], "after --vs give only the second side"),
        ([G1], "give the second side after --vs"),
    ],
)
def test_bad_sides_exit_2(args, message):
    result = CliRunner().invoke(app, ["compare", *args])
    assert result.exit_code == 2 and message in result.output
