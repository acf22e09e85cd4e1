"""Jupyter integration: HTML and LaTeX reprs of scenarios, games and solutions, and the executed tutorial.

The HTML fragments are parsed as XML (so every tag must be closed and every
``&`` escaped) and their tables counted against G1's known sizes; the LaTeX
arrays are compiled with pdflatex where it is installed; the tutorial notebook
``docs/tutorial/g1-walkthrough.ipynb`` is executed with nbclient (skipped when
nbclient, nbformat or ipykernel are missing) and its outputs checked against
SCENARIOS.md: t* = 1/4, b* = 5/8 (p_target*, p_backstop* in explain), the threshold x_r = 5.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from functools import cache

import pytest

import gametheory as gt
from gametheory.game import NormalFormGame
from tests.support import ROOT

G1 = ROOT / "games" / "deterrence.json"
NOTEBOOK = ROOT / "docs" / "tutorial" / "g1-walkthrough.ipynb"


@cache
def g1():
    scenario = gt.load(G1)
    game = scenario.bind()
    return scenario, game, gt.solve(game)


def parse(fragment: str) -> ET.Element:
    """The fragment as XML (raises if it is not well formed)."""
    return ET.fromstring(f"<div>{fragment}</div>")


def tables(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//table")


def body_rows(table: ET.Element) -> list[list[str]]:
    return [["".join(td.itertext()) for td in tr.findall("td")] for tr in table.findall("./tbody/tr")]


# ---------------------------------------------------------------------- HTML
def test_game_html_payoff_tables():
    _, game, _ = g1()
    root = parse(game._repr_html_())
    found = tables(root)
    assert len(found) == 2  # one matrix per US strategy
    for table in found:
        assert len(table.findall("./thead/tr/th")) == 3 and len(body_rows(table)) == 2
    # (deploy, accept, backstop) = (7, -3, -1): Europe's and Russia's payoffs are best responses (SCENARIOS.md)
    assert body_rows(found[0])[0] == ["deploy", "7*, -3*, -1", "-17, -6, -9*"]
    bold = [s.text for s in root.iter("span") if "font-weight:bold" in s.get("style", "")]
    assert bold[:2] == ["7*", "-3*"]


def test_solution_html_one_row_per_equilibrium():
    _, _, solution = g1()
    [table] = tables(parse(solution._repr_html_()))
    rows = body_rows(table)
    assert len(rows) == 3
    assert rows[0][2:5] == ["hold", "target", "stay_out"]
    assert rows[1][3:5] == ["accept 3/4, target 1/4", "backstop 5/8, stay_out 3/8"]  # t* = 1/4, b* = 5/8


def test_scenario_html_parameters_and_expressions():
    scenario, _, _ = g1()
    root = parse(scenario._repr_html_())
    found = tables(root)
    declared = json.loads(G1.read_text(encoding="utf-8"))["parameters"]
    params = next(t for t in found if (t.findtext("caption") or "") == "Parameters")
    assert [r[0] for r in body_rows(params)] == list(declared)
    expressions = [t for t in found if (t.findtext("caption") or "").startswith("Payoff expressions")]
    assert len(expressions) == 2
    assert body_rows(expressions[0])[0][1] == "v_e - c_e*(1 - s_us); -a_r; m_us - c_us"


def test_html_escapes_names():
    game = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], players=["<b>Row</b>", "A & B"])
    root = parse(game._repr_html_())
    assert root.find(".//b") is None
    assert "A & B" in "".join(root.itertext())


def test_short_reprs():
    scenario, game, solution = g1()
    assert repr(scenario) == (
        f"<Scenario {scenario.title!r} ({scenario.file}): 3 players (Europe, Russia, US), 2x2x2, 16 parameters>"
    )
    assert repr(game).endswith(": 3 players (Europe, Russia, US), 2x2x2, exact>")
    assert repr(solution).startswith("<Solution of ") and "3 equilibria (1 pure, 2 mixed), complete" in repr(solution)
    for text in (repr(scenario), repr(game), repr(solution)):
        assert "\n" not in text and len(text) < 250


# --------------------------------------------------------------------- LaTeX
def test_latex_reprs_are_balanced_display_math():
    scenario, game, solution = g1()
    for text in (scenario._repr_latex_(), game._repr_latex_(), solution._repr_latex_()):
        assert text.startswith("$$") and text.rstrip().endswith("$$")
        assert text.count("\\begin{array}") == text.count("\\end{array}") > 0
    assert "7^{*},\\ -3^{*},\\ -1" in game._repr_latex_()
    assert "\\mathrm{stay\\_out}" in solution._repr_latex_()
    assert "c_{e}" in scenario._repr_latex_()  # sympy's LaTeX for the payoff expressions


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_latex_reprs_compile(tmp_path):
    scenario, game, solution = g1()
    body = "\n\n".join(x._repr_latex_() for x in (scenario, game, solution))
    doc = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage[landscape,margin=1cm]{geometry}\n"
        "\\begin{document}\n" + body + "\n\\end{document}\n"
    )
    (tmp_path / "reprs.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "reprs.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert run.returncode == 0, [line for line in run.stdout.splitlines() if line.startswith("!")]


# ------------------------------------------------------------------ notebook
@pytest.mark.slow
def test_tutorial_notebook_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # A kernel spec that runs THIS interpreter, so the notebook sees the same gametheory.
    spec = tmp_path / "kernels" / "gametheory-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "gametheory test",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="gametheory-test", resources={"metadata": {"path": str(ROOT)}}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jupyter_client / zmq deprecations are not ours
        client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(
        str(o.get("text", ""))
        + str(o.get("data", {}).get("text/plain", ""))
        + str(o.get("data", {}).get("text/markdown", ""))
        for o in outputs
    )
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "so p_target* = 1/4" in text and "so p_backstop* = 5/8" in text
    assert "'p_target': '(c_us - m_us)/(n_us - m_us - e_us)'" in text
    assert "1 equilibrium (1 pure, 0 mixed)" in text  # x_r = 4.9: only 'nobody moves' is left
    # 15, the top of x_r's range, is where Europe stops deploying (tests/sensitivity/test_range_ends.py)
    assert "only when x_r (extra cost to Russia of striking a force that the US backs) lies between 5 and 15" in text
    assert "('5',\n  'pure(hold,target,stay_out)'" in text or "('5', 'pure(hold,target,stay_out)'" in text
    assert html.count("<table>") >= 5
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_a_plain_solve_renders_its_best_responses():
    """render_solution(gt.solve(game)) marks best responses, as the CLI's analysed solution does.

    In the prisoner's dilemma defecting is each player's only best response, so
    exactly the (D, D) cell carries two marks and the C/C cell none.
    """
    from gametheory.report import render_solution
    from tests.support import prisoners_dilemma

    text = render_solution(gt.solve(prisoners_dilemma()))
    assert "*" in text
    assert "1*, 1*" in text
