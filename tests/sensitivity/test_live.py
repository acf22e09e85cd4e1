"""The data of the live page (gametheory.sensitivity.live): what is compiled, what is said not to be covered.

What the page shows is checked in a real browser by tests/report/test_live_browser.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import sympy as sp
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.scenario import load_scenario
from gametheory.sensitivity import analyse, thresholds
from gametheory.sensitivity.live import js_function, live_page
from tests.support import GAMES


def test_stag_hunt_page_carries_every_family_and_the_exact_threshold():
    scenario = load_scenario(GAMES / "classics" / "stag_hunt.json")
    page = live_page(scenario)
    used = [p for p in scenario.parameters if p in scenario.used_parameters]
    families = analyse(scenario, used, dict(scenario.defaults), best_responses="numeric").families
    assert page.mode == "closed"
    assert [f["label"] for f in page.model["families"]] == [f.label for f in families]
    stag = next(p for p in page.model["parameters"] if p["name"] == "stag")
    # stag hunt: the stag equilibrium exists exactly while stag > hare (3 by default)
    assert [m["value"] for m in stag["thresholds"]] == [t.value for t in thresholds(scenario, "stag").thresholds] == [3]
    assert "function familyValues(p, W)" in page.code and "function payoffCells(p, W)" in page.code


def test_piecewise_payoffs_get_pure_equilibria_and_say_so():
    scenario = load_scenario(GAMES / "force_generation.json")
    page = live_page(scenario, thresholds=False)
    assert page.mode == "pure"
    assert any("piecewise" in note and "mixed equilibria are not computed" in note for note in page.notes)
    assert "Math.max" in page.code or "?" in page.code  # the piecewise payoffs compiled, not dropped


def test_tree_page_carries_the_tree_and_its_plans():
    scenario = load_scenario(GAMES / "sequencing.json")
    page = live_page(scenario, free=["pledge_us"], thresholds=False)
    tree = page.model["tree"]
    assert page.mode == "pure" and "function treeValues(p, W)" in page.code
    assert len(tree["nodes"]) == 14 and sum(n["kind"] == "terminal" for n in tree["nodes"]) == 8
    assert [len(plans) for plans in tree["plans"]] == list(scenario.shape)
    assert [p["name"] for p in page.model["parameters"]] == ["pledge_us"]
    assert page.model["fixed"]["n_us"] == 4


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_compiled_function_agrees_with_sympy():
    x, y = sp.symbols("x y", real=True)
    exprs = [x**2 / (y + 1) + sp.Rational(1, 3), sp.sqrt(x) * y - x / y, sp.Piecewise((x, x >= y), (y, True))]
    source = js_function("f", {"x": x, "y": y}, exprs)
    points = [(2.5, 0.75), (0.1, 3.0), (4.0, -2.0)]
    script = source + f"\nconsole.log(JSON.stringify({json.dumps(points)}.map(([x, y]) => f({{x, y}}, []))));"
    got = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    for (px, py), row in zip(points, got):
        want = [float(e.subs({x: px, y: py})) for e in exprs]
        assert row == pytest.approx(want, rel=1e-12)


def test_cli_refuses_a_parameter_without_a_slider(tmp_path):
    result = CliRunner().invoke(
        app,
        ["app", str(GAMES / "deterrence.json"), "--out", str(tmp_path / "p.html"), "--free", "x_r", "--param", "m_us"],
    )
    assert result.exit_code == 2
    assert "m_us" in result.output and "slider" in result.output and "Traceback" not in result.output


def test_cli_wants_an_html_file(tmp_path):
    result = CliRunner().invoke(app, ["app", str(GAMES / "deterrence.json"), "--out", str(tmp_path / "p.txt")])
    assert result.exit_code == 2 and ".html" in result.output


def test_app_help_states_the_page_builders_time_limit():
    """The CLI imports the page builder only when `app` runs, so its help repeats the default: keep them equal."""
    from click.testing import CliRunner

    from gametheory.cli import app
    from gametheory.sensitivity.live import PAGE_SUPPORT_TIME_LIMIT

    result = CliRunner().invoke(app, ["app", "--help"])
    assert f"(default {PAGE_SUPPORT_TIME_LIMIT:g})" in " ".join(result.output.split())
