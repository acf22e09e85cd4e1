"""Progress reports: a line every few seconds when stderr is not a terminal, none with --quiet, and a time
left estimated from the pace after start-up (issue #16, defect 7)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gametheory.cli import _common, app
from gametheory.cli._common import LOG_EVERY, ProgressBar
from tests.support import ROOT


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(_common.time, "perf_counter", fake)
    return fake


def test_lines_every_few_seconds_off_a_terminal(clock, capsys):
    bar = ProgressBar("drawing", terminal=False)
    for step in range(1, 11):
        clock.now = step * LOG_EVERY / 4  # four reports per interval
        bar(step, 10)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("drawing: 1/10 (10%)")
    assert lines[-1].startswith("drawing: 10/10 (100%)")
    assert 3 <= len(lines) <= 4  # the first, one per LOG_EVERY seconds, and the last


def test_time_left_ignores_the_start_up(clock):
    """10 s of start-up before the first of 100 chunks, then 0.1 s a chunk: about 9.8 s are left after the
    second, not the 990 s that the average since the start would give."""
    bar = ProgressBar("x", terminal=False)
    clock.now = 10.0
    bar(1, 100)
    clock.now = 10.1
    assert bar.eta(2, 100, clock.now) == pytest.approx(9.8)


def test_report_shows_progress_unless_quiet(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    args = ["report", "games/classics/chicken.json", "--param", "v", "--no-plot", "--out", str(tmp_path / "c.md")]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "thresholds and plot: 1/1 (100%)" in shown.stderr
    quiet = runner.invoke(app, ["--quiet", *args])
    assert quiet.exit_code == 0 and "thresholds and plot" not in quiet.stderr
    assert "wrote" in quiet.stderr
