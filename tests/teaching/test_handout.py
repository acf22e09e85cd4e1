"""Seminar handouts: content checked against SCENARIOS.md, formats checked by their consumers.

The HTML handout of ``games/deterrence.json`` is opened in headless Chromium
(where ``/usr/bin/chromium`` exists) and the screenshot is decoded and checked
for the payoff tables (best responses drawn in their colour) and the plot (its
palette); the LaTeX handout is compiled with pdflatex where it is installed.
Expected numbers are G1's: payoffs at the defaults, the deterrence threshold
x_r = g_r - f_r - w_r + a_r = 5, t* = 1/4, b* = 5/8.
"""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.report.document import Bullets, Figure, Heading, Table
from gametheory.report.handout import format_for, render, write_handout
from gametheory.scenario import parse_scenario
from gametheory.teaching.handout import build_handout, relation_text
from tests.support import ROOT

G1 = ROOT / "games" / "deterrence.json"
CHROMIUM = Path("/usr/bin/chromium")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def handout():
    """G1 at its defaults, thresholds of x_r only (to keep the test fast), line plot of x_r."""
    return build_handout(gt.load(G1), parameters=["x_r"])


@pytest.fixture(scope="module")
def written(handout, tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout")
    return {ext: write_handout(handout, folder / f"handout.{ext}") for ext in ("html", "md", "tex")}


def texts(blocks, kind):
    out = []
    for b in blocks:
        if isinstance(b, kind):
            out.extend(b.items if isinstance(b, Bullets) else [b])
    return out


# ------------------------------------------------------------------ content
def test_sections_in_order(handout):
    headings = [b.text for b in handout.blocks if isinstance(b, Heading) and b.level == 2]
    expected = [
        "The story",
        "Players and their choices",
        "Parameters",
        "Payoffs",
        "Equilibria",
        "When the answer changes: exact thresholds",
        "Plot",
        "Claims the scenario speaks to",
        "How the equilibria come about (for the board)",
        "Questions for discussion",
        "Glossary",
        "Sources",
    ]
    assert headings == expected


def test_tables_carry_the_g1_numbers(handout):
    tables = texts(handout.blocks, Table)
    params = next(t for t in tables if t.header[:2] == ["parameter", "value"])
    assert len(params.rows) == 16  # G1 has 16 parameters (SCENARIOS.md)
    assert params.rows[9][:4] == ["x_r", "8", "util", "0 to 15"]
    payoffs = [t for t in tables if t.caption.startswith("Payoffs (Europe, Russia, US)")]
    assert len(payoffs) == 2
    # (deploy, accept, backstop) pays (7, -3, -1); Europe's and Russia's are best responses, the US's is not.
    assert payoffs[0].rows[0][1] == "7*, -3*, -1"
    eqs = next(t for t in tables if t.header[:3] == ["no.", "name", "kind"])  # the scenario names equilibria
    assert eqs.rows[1][:2] == ["2", "probabilistic deterrence"] and eqs.rows[2][1] == ""
    assert eqs.rows[1][3:6] == ["deploy", "accept 3/4, target 1/4", "backstop 5/8, stay_out 3/8"]


def test_threshold_sentences_use_the_parameter_meaning(handout):
    items = texts(handout.blocks, Bullets)
    sentence = next(i for i in items if "only when x_r" in i)
    # Each of these strategies is used by some equilibrium there; (deploy, accept, backstop) itself is not an
    # equilibrium at the defaults (it needs m_us >= c_us), so the sentence must not read as if it were.
    assert sentence == (
        "Europe's deploy, Russia's accept and US's backstop each get a positive probability in some equilibrium "
        "only when x_r (extra cost to Russia of striking a force that the US backs) lies between "
        "5 (= g_r - f_r - w_r + a_r) and 15 (not necessarily all in the same equilibrium)."
    )  # 15: the top of x_r's declared range, where Europe stops deploying (tests/sensitivity/test_range_ends.py)
    # "nobody moves" is the scenario's name of (hold, target, stay_out)
    assert any(i.startswith("Throughout the range, nobody moves stays an equilibrium") for i in items)
    intervals = next(t for t in texts(handout.blocks, Table) if t.header[0] == "x_r from")
    assert intervals.rows[0][:2] == ["0", "5 (= g_r - f_r - w_r + a_r)"]
    assert intervals.rows[0][2] == "nobody moves"


def test_claims_and_sources(handout):
    scenario = gt.load(G1)
    headings = [b.text for b in handout.blocks if isinstance(b, Heading) and b.level == 3]
    for claim in scenario.claims:
        assert f"{claim['id']}: {claim['claim']}" in headings
    items = texts(handout.blocks, Bullets)
    assert any(i.startswith("A0: Ukrinform") for i in items)


def test_working_included(handout):
    text = render(list(handout.blocks), "text")
    assert "so p_target* = 1/4" in text and "so p_backstop* = 5/8" in text


def test_relation_in_file_order():
    order = ["g_r", "f_r", "w_r", "x_r", "a_r"]
    assert relation_text("a_r + g_r - f_r - w_r", order) == "g_r - f_r - w_r + a_r"
    assert relation_text("-f_r + a_r", order) == "a_r - f_r"
    assert relation_text("f_r + w_r + x_r - a_r", order) == "f_r + w_r + x_r - a_r"
    assert relation_text("2*c_us", order) == "2*c_us"  # not a plain sum: unchanged


# ------------------------------------------------------------------- HTML
class _Checker(html.parser.HTMLParser):
    VOID = frozenset({"meta", "img", "br", "hr", "link", "input"})

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_is_self_contained_and_well_formed(written):
    page = written["html"][0].read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
    tags = [t for t, _ in checker.tags]
    assert tags.count("table") >= 6 and "figure" in tags
    assert "<script" not in page and "<link" not in page and "http://" not in page and "https://" not in page
    images = [a for t, a in checker.tags if t == "img"]
    assert len(images) == 1 and images[0]["src"].startswith("data:image/png;base64,")
    assert '<span class="best" style="font-weight:bold">7*</span>' in page


def test_scenario_text_is_escaped():
    data = {
        "format": "gametheory-scenario/1",
        "title": "<script>alert(1)</script> & friends",
        "players": [{"name": "Row", "strategies": ["a", "b"]}, {"name": "Col", "strategies": ["c", "d"]}],
        "matrix": [[[1, 1], [0, 0]], [[0, 0], [1, 1]]],
    }
    handout = build_handout(parse_scenario(data), parameters=[], plot=False)
    page = handout.render("html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in page


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package (/usr/bin/chromium)")
def test_chromium_screenshot_shows_tables_and_plot(written, tmp_path):
    from matplotlib.image import imread

    page = written["html"][0]
    shot = tmp_path / "handout.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1200,10000",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    assert shot.read_bytes()[:8] == PNG_MAGIC and shot.stat().st_size > 200_000
    image = imread(shot)
    assert image.shape[:2] == (10000, 1200)
    pixels = (image[::2, ::2, :3] * 255).astype(np.int16)  # every other pixel is plenty, and 4x cheaper
    assert (pixels < 235).any(axis=2).mean() > 0.03  # not blank

    def near(colour, tol=40):
        return int((np.abs(pixels - np.array(colour, dtype=np.int16)).sum(axis=2) < tol).sum())

    assert near((0x7A, 0x2E, 0x00)) > 40  # bold best-response payoffs in the payoff tables
    assert near((0x00, 0x72, 0xB2)) > 1000  # the plot's first family colour (Okabe-Ito blue)
    assert near((0xE6, 0x9F, 0x00)) > 200  # and its second (Okabe-Ito orange)
    assert len(np.unique(pixels[::2, ::2].reshape(-1, 3) // 8, axis=0)) > 150


# --------------------------------------------------------- Markdown, LaTeX
def test_markdown_structure(written):
    md_path, png = written["md"]
    text = md_path.read_text(encoding="utf-8")
    assert text.startswith("# Reassurance triad")
    for heading in ("## Parameters", "## Payoffs", "## Equilibria", "## Plot", "## Claims the scenario speaks to"):
        assert f"\n{heading}\n" in text
    assert "| x\\_r | 8 | util | 0 to 15 |" in text
    assert "| deploy | 7\\*, -3\\*, -1 | -17, -6, -9\\* |" in text
    assert "![" in text and f"]({png.name})" in text  # relative reference to the file beside it
    assert png.parent == md_path.parent and png.read_bytes()[:8] == PNG_MAGIC
    assert "```text\n" in text  # the working as code blocks


def test_latex_structure(written):
    tex, png = written["tex"]
    text = tex.read_text(encoding="utf-8")
    assert text.startswith("\\documentclass") and text.rstrip().endswith("\\end{document}")
    assert f"\\includegraphics[width=\\linewidth]{{{png.name}}}" in text
    assert "\\begin{longtable}" in text and "x\\_r" in text
    assert "\\textbf{7}*, \\textbf{\\textminus{}3}*, \\textminus{}1" in text  # a minus sign, not a hyphen
    assert text.isascii() or all(
        ord(c) < 0x100 or c in "\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac" for c in text
    )


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_latex_compiles(written):
    from gametheory.report.handout import compile_latex

    pdf = compile_latex(written["tex"][0])
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000


def test_format_by_extension():
    assert format_for("a.html") == "html" and format_for("a.md") == "markdown" and format_for("A.TEX") == "latex"
    with pytest.raises(InputError):
        format_for("handout.pdf")


# --------------------------------------------------------------------- CLI
@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_report_markdown(run, tmp_path):
    out = tmp_path / "g1.md"
    result = run(
        "report",
        "games/deterrence.json",
        "--out",
        str(out),
        "--no-thresholds",
        "--no-working",
        "--vary",
        "x_r=0:15:31",
        "--set",
        "m_us=1.5",
        "--no-plot",
    )
    assert result.exit_code == 0, result.output
    assert "3 equilibria" in result.stderr and str(out) in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "| m\\_us \\* | 1.5 |" in text  # the changed value is marked
    assert not (tmp_path / "g1-plot.png").exists()
    assert "--set=m\\_us=1.5" in text  # the footer says how to regenerate it


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "x.pdf"], "use a name ending in .html, .md or .tex"),
        (["--out", "x.html", "--vary", "x_r=1:2:x"], "N must be a whole number"),
        (["--out", "x.html", "--vary", "a", "--vary", "b", "--vary", "c"], "one parameter (a line plot) or two"),
        (["--out", "x.html", "--param", "x_rr"], "x_rr"),
        (["--out", "x.html", "--pdf"], "--pdf needs a .tex output file"),
    ],
)
def test_cli_report_bad_input(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("report", str(G1), *args, "--no-working")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
def test_regime_map_for_two_parameters():
    handout = build_handout(
        gt.load(G1), parameters=[], vary={"x_r": (None, None, 21), "n_us": (None, None, 21)}, explain=False
    )
    figures = [b for b in handout.blocks if isinstance(b, Figure)]
    assert len(figures) == 1 and figures[0].caption.startswith("Regimes over (x_r, n_us)")
    assert figures[0].data[:8] == PNG_MAGIC


# ------------------------------------------------------------------ the commitment section (report --commit)
def test_commitment_section_says_where_the_best_promise_changes_in_every_format():
    # Battle of the sexes, Player 1 promises first: it names its favourite meeting point, Bach while
    # high > low = 1 and Stravinsky below (Player 2 follows either way); the exact threshold is high = 1.
    scenario = gt.load(ROOT / "games" / "classics" / "battle_of_the_sexes.json")
    made = build_handout(
        scenario, parameters=["high"], vary={"high": ("0", "2", None)}, plot=False, explain=False, leader="Player 1"
    )
    headings = [b.text for b in made.blocks if isinstance(b, Heading)]
    assert "What if Player 1 could commit in advance?" in headings
    [said] = [b for b in made.blocks if isinstance(b, Bullets) and "best promise changes" in b.items[0]]
    assert said.items == [
        "At high = 1 Player 1's best promise changes: below it, to play stravinsky; above it, to play bach."
    ]
    for fmt in ("html", "markdown", "latex"):
        assert "best promise changes" in made.render(fmt)


def test_commitment_section_with_an_unknown_leader_is_a_located_error():
    with pytest.raises(InputError, match="unknown player 'Nobody'"):
        build_handout(gt.load(G1), parameters=[], plot=False, explain=False, leader="Nobody")
