"""`solve --format latex` and `--format markdown` fit the page and typeset numbers as numbers (issue #16, defect 8)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.escape import markdown as markdown_escape
from gametheory.report.document import Table, latex_text, render_blocks
from tests.support import GAMES, ROOT


@pytest.fixture(scope="module")
def g1_latex():
    runner = CliRunner()
    result = runner.invoke(app, ["solve", str(ROOT / "games/deterrence.json"), "--format", "latex"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_preamble_has_font_encoding_and_wrapping_tables(g1_latex):
    assert r"\usepackage[T1]{fontenc}" in g1_latex  # without it <, > and | print as other glyphs
    assert r"\usepackage{tabularx}" in g1_latex
    # the parameter table's meaning column wraps inside the text width instead of running past the margin
    assert r"\begin{tabularx}{\linewidth}{lllX}" in g1_latex


def test_minus_signs_and_square_roots_are_typeset(g1_latex):
    # G1 at its defaults: (deploy, accept, backstop) pays (7, -3, -1); the third equilibrium has
    # Europe deploy = 79/155 + sqrt(2521)/155 (SCENARIOS.md)
    assert r"7*, \textminus{}3*, \textminus{}1" in g1_latex
    assert r"79/155 + $\sqrt{2521}$/155" in g1_latex
    assert "sqrt(" not in g1_latex
    assert not re.search(r"(?<![\w{}.\\-])-\d", g1_latex)  # no hyphen left in front of a number


def test_words_keep_their_hyphens():
    assert (
        latex_text("well-known pay-off of -2 and x - y") == r"well-known pay-off of \textminus{}2 and x \textminus{} y"
    )


def test_markdown_and_latex_keep_whole_descriptions():
    """G1's c_e description has two sentences; the terminal shows the first, Markdown and LaTeX all of it."""
    runner = CliRunner()
    description = " ".join(gt.load(GAMES / "deterrence.json").parameters["c_e"].description.split())
    markdown = runner.invoke(app, ["solve", str(GAMES / "deterrence.json"), "--format", "markdown"]).stdout
    assert markdown_escape(description) in markdown  # escaped as every Markdown cell is
    text = runner.invoke(app, ["solve", str(GAMES / "deterrence.json")]).stdout
    assert description not in " ".join(text.split())


def test_short_tables_stay_plain_tabular():
    latex = render_blocks([Table(["a", "b"], [["1", "-2"]])], "latex")
    assert r"\begin{tabular}{ll}" in latex and r"1 & \textminus{}2 \\" in latex
