"""`sweep --plot` with one varied parameter, and `--plot` without `--out` (issue #16, defect 6)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gametheory.cli import app
from tests.support import ROOT


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_one_parameter_plot_without_out(run, tmp_path):
    """G1's m_us: the pure deterrence equilibrium appears at m_us = c_us = 2 (SCENARIOS.md), marked on the plot."""
    plot = tmp_path / "m.svg"
    result = run("sweep", "games/deterrence.json", "--vary", "m_us=0:4:21", "--plot", plot)
    assert result.exit_code == 0, result.output
    assert plot.read_text().lstrip().startswith("<?xml") and "m_us = 2" in result.stderr
    assert list(tmp_path.iterdir()) == [plot]


def test_out_or_plot_is_needed(run):
    result = run("sweep", "games/deterrence.json", "--vary", "m_us=0:4:21")
    assert result.exit_code == 2 and "give --out FILE" in result.output


def test_four_parameters_cannot_be_plotted(run, tmp_path):
    args = ["--vary", "m_us=0:4:3", "--vary", "x_r=0:15:3", "--vary", "n_us=2:12:3", "--vary", "c_us=1:3:2"]
    result = run("sweep", "games/deterrence.json", *args, "--plot", tmp_path / "m.png")
    assert result.exit_code == 2 and "one varied parameter (a line plot), two (a regime map) or three" in result.output
