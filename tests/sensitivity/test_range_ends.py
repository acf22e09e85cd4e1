"""A threshold exactly at an end of the range searched is reported, with what happens just past it (issue #16, defect 2).

By hand (G1 at its defaults, payoffs as in tests/support.g1_defaults): in the family E2 Europe deploys,
Russia targets with t* = (c_us - m_us)/(n_us - e_us - m_us) = 1/4 and the US backstops with
b* = (g_r - f_r - w_r + a_r)/x_r = 5/x_r. Europe's deploy pays 3/4*(7b + 4(1-b)) + 1/4*(-17b - 26(1-b))
= -7/2 + 9b/2 against hold's 1/4*(-8) = -2, so Europe keeps deploying only while b >= 1/3, i.e. x_r <= 15:
the top of x_r's declared range 0-15 is a threshold.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.sensitivity import regime_label, thresholds
from gametheory.sensitivity.profile import parameter_profile
from gametheory.teaching.handout import PAST_THE_RANGE, interval_table, threshold_sentences
from tests.support import ROOT

E2 = "mixed(deploy|accept,target|backstop,stay_out)"


@pytest.fixture(scope="module")
def x_r(g1):
    return thresholds(g1, "x_r", symbolic=False)


def test_threshold_at_the_top_of_the_declared_range(g1, x_r):
    assert g1.parameters["x_r"].high == 15
    [top] = [t for t in x_r.thresholds if t.value == 15]
    assert top.end == "high"
    assert E2 in top.below_label and E2 not in top.above_label
    with pytest.warns(UserWarning, match="outside its declared range"):
        just_past = g1.bind({"x_r": "16"})
    assert top.above_label == regime_label(gt.solve(just_past))
    assert x_r.intervals[-1].outside and x_r.intervals[-1].low == 15
    assert not x_r.intervals[0].outside


def test_handout_words_say_where_the_deploying_equilibria_end(g1, x_r):
    sentences = " ".join(threshold_sentences(g1, x_r))
    assert "upper end of the range examined" in sentences
    assert "and 15" in sentences  # "lies between 13/2 and 15", not "exceeds 13/2"
    rows = interval_table(g1, x_r).rows
    assert rows[-1][0].startswith("15") and rows[-1][1] == PAST_THE_RANGE


def test_a_run_just_past_the_range_says_so(g1):
    """G1's g_r is declared from 6 to 16, and f_r = 6: at g_r = 6 = f_r a war costs Russia what it gains, so just
    below 6 the no-force equilibrium (hold, target, stay_out) is gone and Europe deploys; the sentence says that
    this stretch lies outside the declared range."""
    sentences = threshold_sentences(g1, thresholds(g1, "g_r", symbolic=False))
    assert any("is below 6 (just past the range examined)" in s for s in sentences)


def test_a_wider_range_finds_the_same_value_inside_it(g1):
    wide = thresholds(g1, "x_r", search=(0, 20), symbolic=False)
    assert [t.value for t in wide.thresholds] == [5, 6.5, 15]
    assert all(t.end is None for t in wide.thresholds)
    assert wide.search == (0, 20)


def test_plot_over_a_wider_range_marks_the_threshold(g1):
    profile = parameter_profile(g1, "x_r", low=0, high=20, points=41)
    assert 15 in [t.value for t in profile.thresholds]


def test_cli_range_option(monkeypatch):
    """Chicken (v = prize, c = cost of a fight): for v < c two pure equilibria and a mix, for v > c hawk
    dominates; so v = c = 6 is the threshold, here at the top of the range asked for."""
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    args = ["sensitivity", "games/classics/chicken.json", "--param", "v", "--no-conditions", "--range"]
    result = runner.invoke(app, [*args, "1:6"])
    assert result.exit_code == 0, result.output
    assert "v (searched 1 to 6)" in result.output and "At v = 6 " in result.output
    assert "upper end of the range searched" in result.output
    result = runner.invoke(app, [*args, "1:8"])
    assert "At v = 6 " in result.output and "(at and just past 1 and 8: no change)" in result.output
    bad = runner.invoke(app, ["sensitivity", "games/deterrence.json", "--range", "0:20"])
    assert bad.exit_code == 2 and "--range is for one --param" in bad.output
