"""Small things a first-time user hits: a closed pipe, mistyped names, counts that match what is listed,
and equilibria numbered the same way by every command (issue #16, defect 10)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gametheory.cli import app
from tests.support import ROOT

G1 = "games/deterrence.json"


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_list_into_a_closed_pipe_ends_quietly():
    """``gametheory list | head -1``: the reader has gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "cli.py", "list"], cwd=ROOT, stdout=write_end, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write_end)
    assert "internal error" not in done.stderr
    assert "Traceback" not in done.stderr


def test_mistyped_file_name_gets_a_suggestion(run):
    result = run("solve", "games/deterence.json")
    assert result.exit_code == 2
    assert "did you mean 'games/deterrence.json'?" in result.output


def test_set_with_wrong_case_gets_a_suggestion(run):
    result = run("solve", G1, "--set", "M_US=2")
    assert result.exit_code == 2
    assert "unknown parameter 'M_US' (did you mean 'm_us'?)" in result.output


def test_misspelt_key_is_named(run, tmp_path):
    text = (ROOT / "games/classics/chicken.json").read_text().replace('"default"', '"defualt"', 1)
    bad = tmp_path / "chicken.json"
    bad.write_text(text)
    result = run("solve", str(bad))
    assert result.exit_code == 2
    assert "'defualt'" in result.output and "did you mean 'default'?" in result.output


def test_sweep_counts_the_regimes_it_lists(run, tmp_path):
    result = run("sweep", G1, "--vary", "m_us=0:4:9", "--out", str(tmp_path / "s.csv"))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    summary = next(k for k, line in enumerate(lines) if " points in " in line)
    counted = int(lines[summary].split(": ")[1].split(" regime")[0])
    listed = [line for line in lines[summary + 1 :] if re.match(r"\s+\d+(\.\d+)?%  \S", line)]
    assert counted == len(listed)
    assert abs(sum(float(line.split("%")[0]) for line in listed) - 100) < 0.5


def test_dynamics_under_fix_numbers_equilibria_as_solve_does(run):
    """G1 with Europe held to deploy: the restricted game's one equilibrium (Russia accept 3/4, US backstop 5/8,
    SCENARIOS.md's probabilistic deterrence) is the whole game's equilibrium that `solve` lists with that profile."""
    solved = json.loads(run("solve", G1, "--format", "json").stdout)
    number = 1 + next(
        k for k, eq in enumerate(solved["equilibria"]) if eq["exact"]["Russia"]["accept"] == "3/4" and not eq["pure"]
    )
    result = run("dynamics", G1, "--fix", "Europe=deploy", "--method", "br", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert f"Nearest certified equilibrium: No. {number}," in result.stdout
    data = json.loads(run("dynamics", G1, "--fix", "Europe=deploy", "--method", "br", "--format", "json").stdout)
    assert data["whole_game_index"] == [number - 1]


def test_dynamics_under_fix_marks_equilibria_of_the_restricted_game_only(run):
    """Matching pennies with the row player held to heads: the column player's best reply (tails) is an
    equilibrium of the restricted game only; the whole game's one equilibrium is fully mixed."""
    result = run("dynamics", "games/classics/matching_pennies.json", "--fix", "Matcher=heads", "--method", "br")
    assert result.exit_code == 0, result.output
    assert "R1" in result.stdout and "No. 1" not in result.stdout
