"""Output safety: text from a file cannot steer an output, and --out writes regular files only.

The hostile names below once passed raw into Markdown (HTML tags, headings),
onto the terminal (ANSI escapes, bidi overrides), and into regime labels
(where ``,`` in a name made two equilibrium sets share one label).
"""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from gametheory import escape
from gametheory._io import atomic_write
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.sensitivity.labels import combine, family_label, label_count, label_parts

UNESCAPED_TAG = re.compile(r"(?<!\\)<[a-z/]")
HOSTILE_TITLE = "<img src=x onerror=alert(1)>\n# Injected heading\x1b[31m red \u202e"


def hostile_game(tmp_path) -> str:
    data = {
        "format": "gametheory-scenario/1",
        "title": HOSTILE_TITLE,
        "players": [
            {"name": "Row<script>", "strategies": ["up\x07", "down|x"]},
            {"name": "Col", "strategies": ["*left*", "right\r\n- item"]},
        ],
        "matrix": [[[3, 3], [0, 5]], [[5, 0], [1, 1]]],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------ routines
def test_markdown_escapes_tags_headings_and_newlines():
    out = escape.markdown("<script>alert(1)</script>\n# heading | cell *x*")
    assert "\n" not in out and not UNESCAPED_TAG.search(out) and "\\<script" in out
    assert "\\#" in out and "\\|" in out and "\\*x\\*" in out


def test_markdown_paragraph_cannot_start_a_list_or_quote():
    assert escape.markdown_paragraph("- item") == "\\- item"
    assert escape.markdown_paragraph("1. first") == "1\\. first"
    assert escape.markdown_paragraph("> quote").startswith("\\>")


def test_markdown_code_span_outlasts_backticks_and_pipes():
    span = escape.markdown_code("a`b``c|d")
    assert span.startswith("```") and span.endswith("```") and "\\|" in span


def test_markdown_fence_cannot_be_closed_from_inside():
    block = escape.markdown_fence("x\n```\n# not a heading")
    fence = block.split("\n")[0]
    assert len(fence) == 4 and block.endswith("\n" + fence)


def test_terminal_shows_control_characters_and_keeps_layout():
    assert escape.terminal("a\x1b[31mb\x07\rc\u202ed\ud800\te\nf") == "a\\x1b[31mb\\x07\\x0dc\\u202ed\\ud800\te\nf"


def test_html_and_latex_escape_their_specials():
    assert escape.html('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert escape.latex("50% of $x_1 & {y}\x1b") == r"50\% of \$x\_1 \& \{y\}\textbackslash{}x1b"


@pytest.mark.parametrize(("cell", "shown"), [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("@SUM", "'@SUM"), ("-0.5", "-0.5")])
def test_csv_cell_keeps_formulas_as_text_and_numbers_as_numbers(cell, shown):
    assert escape.csv_cell(cell) == shown


# ------------------------------------------------------------------ commands
def test_solve_markdown_of_a_hostile_file_has_no_raw_markup(tmp_path):
    result = CliRunner().invoke(app, ["solve", hostile_game(tmp_path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert not UNESCAPED_TAG.search(out)
    assert not re.search(r"^# Injected", out, re.M) and not re.search(r"^- item", out, re.M)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


@pytest.mark.parametrize("fmt", ["text", "latex"])
def test_text_and_latex_outputs_show_control_characters(tmp_path, fmt):
    result = CliRunner().invoke(app, ["solve", hostile_game(tmp_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert re.search(r"\\(textbackslash\{\})?x1b", result.stdout)


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex"])
def test_library_renderers_show_control_characters_without_the_command_line(tmp_path, fmt):
    # A notebook or script user prints render_solution(...) directly: no CLI pass escapes it.
    import gametheory as gt
    from gametheory.report import render_solution

    scenario = gt.load(hostile_game(tmp_path))
    out = render_solution(gt.solve(scenario.bind()), scenario, fmt)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\r" not in out
    assert "red" in out and "up" in out


def test_sensitivity_text_shows_control_characters(tmp_path):
    import gametheory as gt
    from gametheory.report.sensitivity import report_text
    from gametheory.sensitivity import sensitivity

    text = report_text(sensitivity(gt.load(hostile_game(tmp_path))))
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b" in text


def test_out_onto_a_fifo_is_refused_and_the_fifo_kept(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["solve", hostile_game(tmp_path), "--out", str(fifo)])
    assert result.exit_code == 2 and "a FIFO; output is written to regular files only" in result.output
    assert fifo.is_fifo()


def test_atomic_write_refuses_a_device_and_a_directory(tmp_path):
    with pytest.raises(InputError, match="a device"):
        atomic_write("/dev/null", "x")
    with pytest.raises(InputError, match="a directory"):
        atomic_write(tmp_path, "x")


def test_temporary_files_of_a_killed_writer_are_removed(tmp_path):
    dead = tmp_path / ".out.txt.tmp-999999999"  # no such process
    dead.write_text("half")
    atomic_write(tmp_path / "out.txt", "whole")
    assert (tmp_path / "out.txt").read_text() == "whole"
    assert not dead.exists()


# ------------------------------------------------------------------ labels
def test_names_with_label_syntax_no_longer_share_a_label():
    strategies = [["a", "a,b"], ["b,c", "c"]]
    first = family_label(strategies, ((0,), (0,)))  # a and "b,c": once "pure(a,b,c)"
    second = family_label(strategies, ((1,), (1,)))  # "a,b" and c: once "pure(a,b,c)" too
    assert first != second
    assert first == 'pure(a,"b,c")' and second == 'pure("a,b",c)'


def test_ordinary_names_keep_their_labels():
    strategies = [["deploy", "hold"], ["accept", "target"], ["backstop", "stay out"]]
    label = combine(strategies, [((1,), (1,), (1,)), ((0, 1), (0, 1), (0,))])
    assert label == "pure(hold,target,stay out) + mixed(deploy,hold|accept,target|backstop)"


def test_label_parts_and_counts_read_quoted_names():
    strategies = [["x + y", 'q"uote'], ["2*z", "w"]]
    label = combine(strategies, [((0,), (0,)), ((1,), (1,)), ((0, 1), (0, 1)), ((0, 1), (0, 1))])
    assert label_count(label) == 4
    assert len(label_parts(label)) == 3


def test_counts_of_one_take_a_singular_verb():
    """The entry-deterrence tree has one mixed equilibrium: once reported as "1 are not"."""
    from tests.support import GAMES

    result = CliRunner().invoke(app, ["solve", str(GAMES / "classics" / "entry_deterrence.json")])
    assert result.exit_code == 0
    assert (
        "Of the 1 mixed equilibrium listed above, 0 are subgame perfect, 1 is not and 0 are undecided." in result.stdout
    )
    assert "1 are" not in result.stdout
