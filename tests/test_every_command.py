"""Every command on every scenario: solve, explain, report (HTML, Markdown, LaTeX), sensitivity, tornado and
Monte Carlo run on each file of games/ and games/classics/ without an internal error (issue #16).

The commands are the library calls the CLI makes, run in this process with small grids and samples so
that the whole module stays fast; work one command shares with another (the solution, the explanation)
is done once per scenario. Where a part is left out for speed (the handout's thresholds and plot, the
comparative statics), the output itself must say so. An InputError on a shipped scenario is a failure too.
"""

from __future__ import annotations

import json
import warnings
from fractions import Fraction

import pytest

import gametheory as gt
from gametheory.analysis import analyse
from gametheory.report.handout import render
from gametheory.report.jsonout import solution_json
from gametheory.report.montecarlo import render_montecarlo
from gametheory.report.sensitivity import report_text
from gametheory.report.summary import solution_document
from gametheory.report.tornado import render_tornado
from gametheory.sensitivity.analysis import sensitivity
from gametheory.sensitivity.montecarlo import monte_carlo
from gametheory.sensitivity.tornado import tornado
from gametheory.teaching.explain import explain
from gametheory.teaching.handout import build_handout
from tests.support import GAMES

FILES = sorted(GAMES.glob("*.json")) + sorted((GAMES / "classics").glob("*.json"))


def _moved_parameter(scenario) -> str | None:
    """The first parameter with a range that the payoffs use (what sensitivity and tornado move)."""
    return next((n for n, p in scenario.parameters.items() if n in scenario.used_parameters and p.range), None)


def _near_default(parameter) -> tuple[Fraction, Fraction]:
    """A tenth of the declared range next to the default: the threshold search runs, on few candidates."""
    span = Fraction(parameter.high - parameter.low) / 10
    default = Fraction(parameter.default)
    return (default, default + span) if default < parameter.high else (default - span, default)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(GAMES).as_posix())
def test_every_command_runs(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # range notes of the scenario itself are not the subject here
        scenario = gt.load(path)
        game = scenario.bind({})
        # solve
        solution = analyse(game, scenario=scenario)
        assert solution.equilibria, "every shipped scenario has an equilibrium"
        for fmt in ("text", "markdown", "latex"):
            assert scenario.title in solution_document(solution, scenario, fmt).replace("\\_", "_")
        json.loads(solution_json(solution, scenario))
        # explain
        working = explain(game, scenario, solution)
        for fmt in ("text", "html"):
            assert render(working.blocks(), fmt, title=working.title).strip()
        # report: the thresholds and the plot are left out for speed (sensitivity covers the thresholds below)
        handout = build_handout(scenario, game, parameters=[], plot=False, solution=solution, explanation=working)
        for fmt in ("html", "markdown", "latex"):
            assert handout.render(fmt).strip()
        if scenario.used_parameters:
            assert any("thresholds are left out" in note for note in handout.notes)
        moved = _moved_parameter(scenario)
        if moved is None:
            return
        # sensitivity over a small range, without the comparative statics (said in the output)
        found = sensitivity(
            scenario,
            [moved],
            conditions=False,
            statics=False,
            ranges={moved: _near_default(scenario.parameters[moved])},
        )
        text = report_text(found)
        assert f"\n  {moved} (searched" in text or f"\n  {moved}: no threshold (searched" in text
        assert "comparative statics left out" in text
        # tornado and Monte Carlo, small
        assert moved in render_tornado(tornado(scenario, parameters=[moved], points=3), "text")
        drawn = monte_carlo(scenario, 20, 1)
        assert sum(drawn.counts.values()) == 20
        assert render_montecarlo(drawn, "text").strip()
