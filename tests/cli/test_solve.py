"""The command line, through click's CliRunner: outputs, exit codes and messages."""

import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.errors import GameTooLargeError

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
    assert "| Europe \\\\ Russia | accept | target |" in result.stdout  # the backslash escaped: shows as one


@pytest.mark.parametrize(
    "args, message",
    [
        (["solve", G1, "--set", "m_uss=2"], "unknown parameter 'm_uss' (did you mean 'm_us'?)"),
        (["solve", G1, "--set", "m_us=lots"], "must be a number"),
        (["solve", G1, "--set", "m_us"], "--set expects NAME=VALUE"),
        (["solve", G1, "--set", "m_us=9", "--strict"], "outside its declared range"),
        (["solve", "no/such/file.json"], "no/such/file.json: cannot read the file"),
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


REPORT_VARY_FORMS = "NAME, NAME=LO:HI or NAME=LO:HI:N (e.g. x_r=0:15:301)"


@pytest.mark.parametrize(
    "command, vary, message",
    [
        # sweep needs the whole grid: NAME=LO:HI:N only
        ("sweep", ["x_r"], "--vary expects NAME=LO:HI:N (e.g. x_r=0:15:100), got 'x_r'"),
        ("sweep", ["x_r=0:15"], "--vary expects NAME=LO:HI:N (e.g. x_r=0:15:100), got 'x_r=0:15'"),
        ("sweep", [" =0:15:5"], "--vary expects NAME=LO:HI:N (e.g. x_r=0:15:100), got ' =0:15:5'"),
        ("sweep", ["x_r=0:15:n"], "--vary x_r: N must be a whole number of points, got 'n'"),
        ("sweep", ["x_r=0:15:5", "x_r=1:2:3"], "--vary x_r is given twice"),
        # report also takes NAME and NAME=LO:HI (the declared range, the default number of points)
        ("report", ["x_r=0"], f"--vary expects {REPORT_VARY_FORMS}, got 'x_r=0'"),
        ("report", ["=0:1"], f"--vary expects {REPORT_VARY_FORMS}, got '=0:1'"),
        ("report", ["x_r=0:15:5:7"], f"--vary expects {REPORT_VARY_FORMS}, got 'x_r=0:15:5:7'"),
        ("report", ["x_r=0:15:n"], "--vary x_r: N must be a whole number of points, got 'n'"),
        ("report", ["x_r=0:15:2"], "--vary x_r: N must be at least 3, got 2"),
        ("report", ["x_r", "x_r=0:1"], "--vary x_r is given twice"),
    ],
)
def test_vary_grammar_is_shared_and_each_command_says_what_it_needs(run, tmp_path, command, vary, message):
    out = tmp_path / ("grid.csv" if command == "sweep" else "handout.md")
    result = run(command, G1, "--out", str(out), *[arg for item in vary for arg in ("--vary", item)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert not out.exists()


def test_each_range_warning_once_per_command(run):
    result = run("solve", G1, "--method", "pure", "--set", "m_us=9", "--set", "x_r=100")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: games/deterrence.json: x_r = 100 is outside its declared range [0, 15]",
        "warning: games/deterrence.json: m_us = 9 is outside its declared range [0, 4]",
    ]


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
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["equilibria"][0]["pure"] is True


# ------------------------------------------------------------ correlated equilibria and selection facts

# Aumann's (1974) chicken; in Gambit's order the profiles are (C,C) (D,C) (C,D) (D,D).
AUMANN_CHICKEN = """NFG 1 R "Chicken (Aumann 1974)" { "Row" "Column" }

{ { "C" "D" }
{ "C" "D" }
}
""

6 6 7 2 2 7 0 0
"""
CHICKEN_PAYOFFS = {("C", "C"): (6, 6), ("C", "D"): (2, 7), ("D", "C"): (7, 2), ("D", "D"): (0, 0)}
F = Fraction

# Obedience (p over CC, CD, DC, DD): Row told C: 2 CD >= CC; told D: DC >= 2 DD; Column
# symmetrically 2 DC >= CC, CD >= 2 DD. Welfare 12 CC + 9 (CD + DC) is largest with DD = 0 and
# CC = 1 - CD - DC <= 2 min(CD, DC), i.e. CD = DC = 1/4, CC = 1/2: welfare 21/2 (the best Nash
# equilibrium, mixed with C at 2/3, gives 28/3). The vertices intersect those constraints:
# the two pure equilibria, the mixed one (product of (2/3, 1/3) with itself), the welfare
# maximum, and CD = DC = 2 DD with CC = 0.
CHICKEN_WELFARE_MAX = frozenset({(("C", "C"), F(1, 2)), (("C", "D"), F(1, 4)), (("D", "C"), F(1, 4))})
CHICKEN_VERTICES = {
    frozenset({(("C", "D"), F(1))}),
    frozenset({(("D", "C"), F(1))}),
    frozenset({(("C", "C"), F(4, 9)), (("C", "D"), F(2, 9)), (("D", "C"), F(2, 9)), (("D", "D"), F(1, 9))}),
    CHICKEN_WELFARE_MAX,
    frozenset({(("C", "D"), F(2, 5)), (("D", "C"), F(2, 5)), (("D", "D"), F(1, 5))}),
}


@pytest.fixture
def chicken_nfg(tmp_path) -> str:
    path = tmp_path / "aumann.nfg"
    path.write_text(AUMANN_CHICKEN)
    return str(path)


def normalised_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def distribution_of(entry: dict, players: list[str]) -> frozenset:
    """A JSON distribution as {(profile names, exact probability)}, checking the float against the exact."""
    out = set()
    for item in entry["distribution"]:
        p = F(item["exact"])
        assert item["probability"] == pytest.approx(float(p))
        out.add((tuple(item["profile"][name] for name in players), p))
    return frozenset(out)


def obeys(payoffs: dict, dist: frozenset) -> bool:
    """Obedience checked from the payoff table: no player gains by replacing any recommendation."""
    p = dict(dist)
    strategies = sorted({a[0] for a in payoffs})
    for i in range(2):
        for told in strategies:
            for alt in strategies:
                gain = 0
                for profile, q in p.items():
                    if profile[i] == told:
                        deviated = tuple(alt if k == i else s for k, s in enumerate(profile))
                        gain += q * (payoffs[deviated][i] - payoffs[profile][i])
                if gain > 0:
                    return False
    return True


def test_correlated_text_chicken(run, chicken_nfg):
    result = run("solve", chicken_nfg, "--correlated")
    assert result.exit_code == 0, result.output
    section = result.stdout.split("Correlated equilibria\n---------------------\n")[1].split("Security levels")[0]
    lines = normalised_lines(section)
    assert (
        "The highest total payoff over all correlated equilibria is 10.5 "
        "(the best Nash equilibrium listed above gives 28/3), reached by this distribution:"
    ) in lines
    table = lines[lines.index("Row Column probability") + 2 :]
    assert table[:4] == ["C C 1/2", "C D 1/4", "D C 1/4", ""]  # (D, D) has probability 0 and is not listed
    assert "Row 5.25 2 7" in lines and "Column 5.25 2 7" in lines
    assert "The polytope has 5 vertices (extreme correlated equilibria):" in lines
    assert "1. (C, C) 1/2; (C, D) 1/4; (D, C) 1/4 -- payoffs Row: 5.25, Column: 5.25" in lines
    assert "4. (C, D) 2/5; (D, C) 2/5; (D, D) 1/5 -- payoffs Row: 3.6, Column: 3.6" in lines
    assert sum(1 for line in lines if line[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}) == 5
    assert "Note:" not in section


def test_correlated_json_chicken(run, chicken_nfg):
    result = run("solve", chicken_nfg, "--correlated", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    players = data["game"]["players"]
    ce = data["correlated"]
    best = ce["welfare_max"]
    assert distribution_of(best, players) == CHICKEN_WELFARE_MAX
    assert best["payoffs"] == {"Row": 5.25, "Column": 5.25}
    assert best["payoffs_exact"] == {"Row": "21/4", "Column": "21/4"}
    assert best["welfare_exact"] == "21/2"
    assert ce["payoff_ranges"] == {"Row": [2.0, 7.0], "Column": [2.0, 7.0]}
    assert ce["payoff_ranges_exact"] == {"Row": ["2", "7"], "Column": ["2", "7"]}
    vertices = {distribution_of(v, players) for v in ce["vertices"]}
    assert vertices == CHICKEN_VERTICES
    assert all(obeys(CHICKEN_PAYOFFS, v) for v in vertices)
    assert ce["exact"] is True and ce["notes"] == []
    # The contract's keys are still there, and the selection facts are added.
    assert [e["pure"] for e in data["equilibria"]] == [True, False, True]
    assert data["selection"]["payoff_dominant"] is None
    assert data["selection"]["risk_dominant"] is None  # both products of deviation losses are 2 * 1


def test_no_correlated_section_without_the_flag(run, chicken_nfg):
    text = run("solve", chicken_nfg).stdout
    assert "Correlated equilibria" not in text
    assert "correlated" not in json.loads(run("solve", chicken_nfg, "--format", "json").stdout)


@pytest.mark.parametrize(
    "fmt, heading", [("markdown", "## Correlated equilibria"), ("latex", r"\subsection*{Correlated equilibria}")]
)
def test_correlated_markdown_and_latex(run, chicken_nfg, fmt, heading):
    result = run("solve", chicken_nfg, "--correlated", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert heading in result.stdout
    row = "| C | D | 1/4 |" if fmt == "markdown" else r"C & D & 1/4 \\"
    assert row in result.stdout


def test_correlated_three_players(run):
    from tests.support import g1_defaults

    result = run("solve", G1, "--correlated", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    game = g1_defaults()  # the payoff table typed in by hand, independent of the scenario file
    players = data["game"]["players"]
    ce = data["correlated"]

    def as_array(entry):
        p = np.zeros(game.shape, dtype=object)
        p[...] = F(0)
        for item in entry["distribution"]:
            where = tuple(game.strategies[i].index(item["profile"][name]) for i, name in enumerate(players))
            p[where] = F(item["exact"])
        return p

    def payoffs(p):
        return [sum(p[a] * game.payoffs[i][a] for a in np.ndindex(*game.shape)) for i in range(3)]

    def regret(p):
        """The largest gain from disobeying a recommendation (every player has two strategies)."""
        gains = [0]
        for i in range(3):
            for told in range(2):
                loss = np.take(game.payoffs[i], 1 - told, axis=i) - np.take(game.payoffs[i], told, axis=i)
                gains.append((loss * np.take(p, told, axis=i)).sum())
        return max(gains)

    vertices = [as_array(v) for v in ce["vertices"]]
    assert vertices and all(sum(p.ravel()) == 1 and regret(p) == 0 for p in vertices)
    best = as_array(ce["welfare_max"])
    assert regret(best) == 0 and sum(payoffs(best)) == F(ce["welfare_max"]["welfare_exact"]) == F(-29, 7)
    # A linear function is extreme at a vertex: the ranges are the extremes over the vertices.
    values = [payoffs(p) for p in vertices]
    for i, name in enumerate(players):
        lo, hi = (F(x) for x in ce["payoff_ranges_exact"][name])
        assert (lo, hi) == (min(v[i] for v in values), max(v[i] for v in values))
        for eq in data["equilibria"]:
            assert float(lo) - 1e-9 <= eq["payoffs"][name] <= float(hi) + 1e-9
    assert max(sum(v) for v in values) == F(-29, 7)
    text = run("solve", G1, "--correlated").stdout
    assert f"The polytope has {len(vertices)} vertices (extreme correlated equilibria), too many to list here" in text


def test_correlated_large_game_has_no_vertices(run):
    result = run("solve", "games/legal_route.json", "--method", "pure", "--correlated", "--format", "json")
    assert result.exit_code == 0, result.output
    ce = json.loads(result.stdout)["correlated"]
    assert ce["vertices"] is None
    assert ce["notes"] == ["vertices not listed: 48 pure profiles (listed by default up to 16)"]
    text = run("solve", "games/legal_route.json", "--method", "pure", "--correlated").stdout
    assert "Note: vertices not listed: 48 pure profiles" in text and "The polytope has" not in text


def test_correlated_too_large_is_exit_2(run, monkeypatch):
    import gametheory.solvers.correlated as correlated

    def too_large(game, **kwargs):
        raise GameTooLargeError("correlated-equilibrium LPs: too many pure profiles")

    monkeypatch.setattr(correlated, "correlated_equilibria", too_large)
    result = run("solve", G1, "--correlated")
    assert result.exit_code == 2
    assert result.stderr == "error: correlated-equilibrium LPs: too many pure profiles\n"
    assert result.stdout == ""


def test_correlated_flag_takes_no_value(run):
    result = run("solve", G1, "--correlated=yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: Option '--correlated' does not take a value."


def test_selection_json_stag_hunt(run):
    # Osborne (2004) 2.5 and Harsanyi & Selten (1988): (stag, stag) pays 4 to both and is payoff
    # dominant; (hare, hare) risk-dominates it, the products of deviation losses being
    # (4 - 3)^2 = 1 against (3 - 0)^2 = 9; the mixed equilibrium (3/4 stag) pays 3, Pareto-dominated by
    # (stag, stag). In a symmetric 2x2 coordination game logit tracing selects the risk-dominant one.
    data = json.loads(run("solve", "games/classics/stag_hunt.json", "--format", "json").stdout)
    eqs = data["equilibria"]
    index = {tuple(e["exact"][p]["stag"] for p in ("Hunter 1", "Hunter 2")): k for k, e in enumerate(eqs)}
    stag, mixed, hare = index[("1", "1")], index[("3/4", "3/4")], index[("0", "0")]
    assert data["selection"] == {"payoff_dominant": stag, "risk_dominant": hare, "logit_selected": hare}
    assert [eqs[k]["strict"] for k in (stag, mixed, hare)] == [True, False, True]
    assert [eqs[k]["pareto_dominated_by"] for k in (stag, mixed, hare)] == [[], [stag], [stag]]
    assert all(e["weakly_dominated"] == [] and e["perfect"] is True for e in eqs)
    assert {"strategies", "exact", "payoffs", "pure", "certified"} <= set(eqs[0])


def test_selection_json_weakly_dominated(run):
    # Entry deterrence in normal form: (stay_out, fight) is a Nash equilibrium only because the
    # incumbent's threat is never tested; fight is weakly dominated by accommodate, so it is not perfect.
    data = json.loads(run("solve", "games/classics/entry_deterrence_normal.json", "--format", "json").stdout)
    pure = {tuple(max(s, key=s.get) for s in e["strategies"].values()): e for e in data["equilibria"] if e["pure"]}
    threat, entry = pure[("stay_out", "fight")], pure[("enter", "accommodate")]
    assert threat["weakly_dominated"] == ["Incumbent"] and threat["perfect"] is False and threat["strict"] is False
    assert entry["weakly_dominated"] == [] and entry["perfect"] is True and entry["strict"] is True


def test_selection_json_three_players_perfect_is_null(run):
    data = json.loads(run("solve", G1, "--method", "pure", "--format", "json").stdout)
    [eq] = data["equilibria"]
    assert eq["perfect"] is None and eq["strict"] is True and eq["pareto_dominated_by"] == []
    assert data["selection"]["payoff_dominant"] is None and data["selection"]["risk_dominant"] is None
