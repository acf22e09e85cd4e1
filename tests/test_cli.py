"""The command line, through click's CliRunner: outputs, exit codes and messages."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gametheory.cli import app

G1 = "games/deterrence.json"


@pytest.fixture
def run(root, monkeypatch):
    monkeypatch.chdir(root)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, list(args))

    return invoke


def test_solve_json_contract_pure(run):
    result = run("solve", G1, "--method", "pure", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["game"]["players"] == ["Europe", "Russia", "US"]
    assert data["game"]["strategies"]["Russia"] == ["accept", "target"]
    assert data["parameters"]["m_us"] == 1
    [eq] = data["equilibria"]
    assert eq["strategies"]["Europe"] == {"deploy": 0.0, "hold": 1.0}
    assert eq["exact"]["US"] == {"backstop": "0", "stay_out": "1"}
    assert eq["payoffs"] == {"Europe": -8.0, "Russia": 4.0, "US": -4.0}
    assert eq["pure"] is True and eq["certified"] is True


def test_set_m_us_adds_the_deterrence_equilibrium(run):
    # SCENARIOS.md G1: with m_us = 2.1 > c_us = 2 the pure deterrence equilibrium appears.
    result = run("solve", G1, "--method", "pure", "--format", "json", "--set", "m_us=2.1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pure = [tuple(max(s, key=s.get) for s in e["strategies"].values()) for e in data["equilibria"]]
    assert ("deploy", "accept", "backstop") in pure and ("hold", "target", "stay_out") in pure
    assert data["parameters_exact"]["m_us"] == "21/10"


def test_text_output_marks_best_responses(run):
    result = run("solve", G1, "--method", "pure")
    assert result.exit_code == 0
    # At (deploy, accept, backstop) Europe's 7 and Russia's -3 are best responses, US's -1 is not.
    assert "7*, -3*, -1 " in result.stdout
    assert "pure (hold, target, stay_out)" in result.stdout


def test_markdown_output_has_tables(run):
    result = run("solve", G1, "--method", "pure", "--format", "markdown")
    assert result.exit_code == 0
    assert "| Europe \\ Russia | accept | target |" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["solve", G1, "--set", "m_uss=2"], "unknown parameter 'm_uss' (did you mean 'm_us'?)"),
        (["solve", G1, "--set", "m_us=lots"], "must be a number"),
        (["solve", G1, "--set", "m_us"], "--set expects NAME=VALUE"),
        (["solve", G1, "--set", "m_us=9", "--strict"], "outside its declared range"),
        (["solve", "no/such/file.json"], "no/such/file.json: cannot read file"),
    ],
)
def test_bad_input_exit_2_one_line(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_out_of_range_warns_but_solves(run):
    result = run("solve", G1, "--method", "pure", "--set", "m_us=9")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "m_us = 9 is outside its declared range [0, 4]" in result.stderr


def test_broken_json_file(run, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"players": [')
    result = run("solve", str(bad))
    assert result.exit_code == 2
    assert f"{bad}: invalid JSON at line 1, column 14" in result.stderr


def test_nothing_written_on_error(run, tmp_path):
    out = tmp_path / "out.txt"
    result = run("solve", G1, "--set", "nope=1", "--out", str(out))
    assert result.exit_code == 2 and not out.exists()
    result = run("solve", G1, "--method", "pure", "--out", str(out))
    assert result.exit_code == 0 and "hold, target, stay_out" in out.read_text()


def test_validate_and_list(run):
    result = run("validate", G1, "games/classics/prisoners_dilemma.json")
    assert result.exit_code == 0 and result.stdout.count("ok  ") == 2
    result = run("list")
    assert result.exit_code == 0 and "deterrence.json" in result.stdout and "Reassurance triad" in result.stdout


def test_usage_error_is_exit_2(run):
    result = run("solve")
    assert result.exit_code == 2


def test_checkout_shim_runs(root):
    out = subprocess.run(
        [sys.executable, "cli.py", "solve", G1, "--method", "pure", "--format", "json"],
        cwd=root, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["equilibria"][0]["pure"] is True
