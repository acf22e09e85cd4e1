"""Handouts and explanations on paper and screen: their blocks rendered as text, Markdown, LaTeX or HTML, and written.

A handout (:class:`Handout`, composed by :func:`gametheory.teaching.handout.build_handout`)
and an explanation (:mod:`gametheory.teaching.explain`) are lists of document
blocks (:mod:`.document`). :func:`render` turns blocks into HTML (one
self-contained page, plot embedded, through :mod:`.html`), Markdown or LaTeX
(plot written as a PNG beside the file and referenced relatively), or text.
:func:`write_handout` picks the format from the file extension and writes
atomically; :func:`compile_latex` runs ``pdflatex``. Nothing here computes:
every number and sentence comes with the blocks.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._io import atomic_write
from ..errors import InputError
from ..escape import markdown, markdown_fence, markdown_paragraph
from .document import Block, Bullets, Equations, Figure, Heading, Lead, Para, Table, latex_text, render_blocks
from .html import render_html
from .plots import sized

#: Output formats by file extension.
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".tex": "latex", ".txt": "text"}


# ----------------------------------------------------------------------- render
def _wrap(text: str, width: int = 100, indent: str = "", hanging: str = "") -> str:
    return textwrap.fill(" ".join(str(text).split()), width, initial_indent=indent, subsequent_indent=hanging or indent)


def _text(blocks: Sequence[Block]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, (Heading, Table)):
            out.append(render_blocks([block], "text").rstrip("\n"))
        elif isinstance(block, Lead):
            out.append(_wrap(block.text, indent="  ", hanging="  "))
        elif isinstance(block, Para):
            out.append(_wrap(block.text))
        elif isinstance(block, Bullets):
            lines = []
            for k, item in enumerate(block.items, 1):
                mark = f"  {k}. " if block.numbered else "  - "
                lines.append(_wrap(item, indent=mark, hanging=" " * len(mark)))
            out.append("\n".join(lines))
        elif isinstance(block, Equations):
            out.append("\n".join("    " + line for line in block.lines))
        elif isinstance(block, Figure):
            out.append(f"[figure: {block.caption} ({block.filename})]")
        else:
            raise TypeError(f"cannot render {type(block).__name__}")
    return "\n\n".join(out) + "\n"


def _markdown(blocks: Sequence[Block]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * max(1, min(block.level, 6)) + " " + markdown(block.text))
        elif isinstance(block, Lead):
            out.append("> " + markdown(block.text))
        elif isinstance(block, Para):
            out.append(markdown_paragraph(block.text))
        elif isinstance(block, Table):
            lines = []
            if block.caption:
                lines.append(f"*{markdown(block.caption)}*\n")
            lines.append("| " + " | ".join(markdown(h) for h in block.header) + " |")
            lines.append("|" + "|".join("---" for _ in block.header) + "|")
            for row in block.rows:
                lines.append("| " + " | ".join(markdown(c) for c in row) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, Bullets):
            marks = (f"{k}." for k in itertools.count(1)) if block.numbered else itertools.repeat("-")
            out.append("\n".join(f"{m} {markdown(i)}" for m, i in zip(marks, block.items)))
        elif isinstance(block, Equations):
            out.append(markdown_fence("\n".join(block.lines), "text"))
        elif isinstance(block, Figure):
            out.append(f"![{markdown(block.caption)}]({block.filename})\n\n*{markdown(block.caption)}*")
        else:
            raise TypeError(f"cannot render {type(block).__name__}")
    return "\n\n".join(out) + "\n"


#: Characters outside what pdflatex's utf8 input handles by default, and their LaTeX forms.
_LATEX_UNICODE = {
    "\u2248": r"$\approx$",
    "\u2264": r"$\leq$",
    "\u2265": r"$\geq$",
    "\u2260": r"$\neq$",
    "\u2192": r"$\rightarrow$",
    "\u21d2": r"$\Rightarrow$",
    "\u2212": "-",
    "\u221e": r"$\infty$",
    "\u2026": r"\ldots{}",
    "\u00b7": r"$\cdot$",
    "\u2713": "ok",
    "\u2217": "*",
    "\u03b1": r"$\alpha$",
    "\u03b2": r"$\beta$",
    "\u03b3": r"$\gamma$",
    "\u03b4": r"$\delta$",
    "\u03b5": r"$\varepsilon$",
    "\u03b8": r"$\theta$",
    "\u03bb": r"$\lambda$",
    "\u03bc": r"$\mu$",
    "\u03c0": r"$\pi$",
    "\u03c3": r"$\sigma$",
    "\u03c6": r"$\varphi$",
    "\u0394": r"$\Delta$",
}
#: Non-ASCII characters that pdflatex's utf8 + T1 set-up typesets as they are.
_LATEX_SAFE = set("\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac\u00a0") | {chr(c) for c in range(0xA1, 0x100)}


def _latex_text(text: object) -> str:
    """Escaped text that pdflatex compiles: specials escaped, unusual Unicode replaced."""
    out = []
    escaped = latex_text(" ".join(str(text).split()))
    escaped = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z\\])", r"\\slash{}", escaped)  # deploy/hold may break at the slash
    for ch in escaped:
        if ord(ch) < 128 or ch in _LATEX_SAFE:
            out.append(ch)
        else:
            out.append(_LATEX_UNICODE.get(ch, "?"))
    return "".join(out)


def _latex_cell(text: object) -> str:
    escaped = _latex_text(text)
    return re.sub(r"(?<![\w*}])((?:\\textminus\{\})?\d+(?:\.\d+)?(?:/\d+)?)\*", r"\\textbf{\1}*", escaped)


def _latex_table(table: Table) -> str:
    """A ``longtable`` (it may break across pages); long text columns get paragraph columns."""
    count = len(table.header)
    rows = [list(map(str, table.header))] + [list(map(str, r)) for r in table.rows]
    longest = [max(len(r[c]) for r in rows) for c in range(count)]
    average = [sum(len(r[c]) for r in rows) / len(rows) for c in range(count)]
    chars_per_line = 92  # \small in a 17 cm text block
    if sum(longest) + 3 * count <= chars_per_line:
        spec = "l" * count
    else:
        narrow = [c for c in range(count) if longest[c] <= 16]
        wide = [c for c in range(count) if c not in narrow]
        free = max(0.3, 0.97 - 0.026 * count - sum(longest[c] + 1 for c in narrow) / chars_per_line)
        want = {c: max(average[c], 8) for c in wide}
        width = {c: free * want[c] / sum(want.values()) for c in wide}
        # no column narrower than its longest unbreakable word
        word = {c: max(len(w) for r in rows for w in (r[c].split() or [""])) for c in wide}
        least = {c: (word[c] + 2) / chars_per_line for c in wide}
        short = [c for c in wide if width[c] < least[c]]
        if short:
            for c in short:
                width[c] = least[c]
            rest = [c for c in wide if c not in short]
            left = max(0.1, free - sum(width[c] for c in short))
            for c in rest:
                width[c] = left * want[c] / sum(want[r] for r in rest)
        spec = "".join("l" if c in narrow else f"p{{{width[c]:.3f}\\linewidth}}" for c in range(count))
    lines = [r"{\small", r"\begin{longtable}{" + spec + "}"]
    if table.caption:
        lines.append(r"\multicolumn{" + str(count) + r"}{l}{\textit{" + _latex_text(table.caption) + r"}}\\")
    lines.append(r"\hline")
    lines.append(" & ".join(r"\textbf{" + _latex_text(h) + "}" for h in table.header) + r" \\ \hline")
    lines.append(r"\endhead")
    for row in table.rows:
        lines.append(" & ".join(_latex_cell(c) for c in row) + r" \\")
    lines += [r"\hline", r"\end{longtable}}"]
    return "\n".join(lines)


LATEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{graphicx}
\usepackage{longtable}
\usepackage{array}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\setlength{\emergencystretch}{3em}
\setlength{\LTpre}{0.3em}
\setlength{\LTpost}{0.6em}
\setlength{\LTleft}{0pt}
\setlength{\LTright}{0pt plus 1fill}
\begin{document}
"""


def _latex(blocks: Sequence[Block], footer: str = "") -> str:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            if block.level <= 1:
                out.append(r"\begin{center}{\LARGE\bfseries " + _latex_text(block.text) + r"}\end{center}")
            else:
                command = {2: "section", 3: "subsection"}.get(block.level, "subsubsection")
                out.append(f"\\{command}*{{{_latex_text(block.text)}}}")
        elif isinstance(block, Lead):
            out.append(r"\begin{quote}\itshape " + _latex_text(block.text) + r"\end{quote}")
        elif isinstance(block, Para):
            out.append(_latex_text(block.text))
        elif isinstance(block, Table):
            out.append(_latex_table(block))
        elif isinstance(block, Bullets):
            env = "enumerate" if block.numbered else "itemize"
            items = "\n".join(r"\item " + _latex_cell(i) for i in block.items)
            out.append(f"\\begin{{{env}}}\n{items}\n\\end{{{env}}}")
        elif isinstance(block, Equations):
            body = "\\\\\n".join(_latex_text(line) for line in block.lines)
            out.append("\\begin{quote}\\small\\ttfamily\\raggedright\n" + body + "\n\\end{quote}")
        elif isinstance(block, Figure):
            out.append(
                "\\begin{center}\n\\includegraphics[width=\\linewidth]{" + block.filename + "}\\\\\n"
                "{\\small\\itshape " + _latex_text(block.caption) + "}\n\\end{center}"
            )
        else:
            raise TypeError(f"cannot render {type(block).__name__}")
    if footer:
        out.append(r"\vfill{\footnotesize " + _latex_text(footer) + "}")
    return LATEX_PREAMBLE + "\n\n".join(out) + "\n\\end{document}\n"


def render(blocks: Sequence[Block], fmt: str, *, title: str = "", footer: str = "") -> str:
    """Render blocks as ``text``, ``markdown``, ``latex`` (a complete document) or ``html`` (a complete page)."""
    if fmt == "html":
        return render_html(blocks, title=title, footer=footer)
    if fmt == "latex":
        return _latex(blocks, footer)
    if fmt == "markdown":
        return _markdown(list(blocks) + ([Para(footer)] if footer else []))
    if fmt == "text":
        return _text(list(blocks) + ([Para(footer)] if footer else []))
    raise InputError(f"unknown format {fmt!r}; choose html, markdown, latex or text")


# ------------------------------------------------------------------ the handout
@dataclass(frozen=True)
class Handout:
    """A built handout (:func:`gametheory.teaching.handout.build_handout`): its blocks and what they were made from.

    ``blocks`` include the ``figure``; ``solution`` and ``thresholds`` are the
    results the blocks describe, ``notes`` what the computations reported,
    ``values`` the parameter values used, ``footer`` the closing line.
    """

    title: str
    blocks: tuple[Block, ...]
    solution: Any
    thresholds: tuple[Any, ...] = ()
    figure: Figure | None = None
    notes: tuple[str, ...] = ()
    footer: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)

    def render(self, fmt: str, *, image: str | None = None) -> str:
        """The handout in ``fmt``; ``image`` is the figure's file name for Markdown and LaTeX."""
        blocks = list(self.blocks)
        if image is not None:
            blocks = [replace(b, filename=image) if isinstance(b, Figure) else b for b in blocks]
        return render(blocks, fmt, title=self.title, footer=self.footer)


def figure_png(fig, dpi: int = 100) -> bytes:
    """A matplotlib figure as PNG bytes (for embedding, or ``IPython.display.Image`` in a notebook), at the
    size and dpi of :func:`gametheory.report.plots.figure_options` when they are set (``report --size/--dpi``)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buf, format="png", dpi=sized(fig, dpi))
    return buf.getvalue()


# ------------------------------------------------------------------ writing
def format_for(path: str | os.PathLike) -> str:
    """The output format implied by a file name (``.html``, ``.md``, ``.tex``; ``.txt`` for text)."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(f"cannot tell the format of {os.fspath(path)!r}: use a name ending in .html, .md or .tex")
    return EXTENSIONS[suffix]


def write_handout(handout: Handout, path: str | os.PathLike) -> list[Path]:
    """Write the handout in the format of ``path``'s extension; returns the files written.

    HTML embeds the plot; Markdown and LaTeX write it beside the file as
    ``<name>-plot.png`` and reference it by that relative name.
    """
    target = Path(path)
    fmt = format_for(target)
    written = []
    image = None
    if handout.figure is not None and fmt in ("markdown", "latex", "text"):
        image = f"{target.stem}-plot.png"
        if fmt != "text":
            png = target.with_name(image)
            atomic_write(png, handout.figure.data)
            written.append(png)
    text = handout.render(fmt, image=image)
    atomic_write(target, text.encode("utf-8"))
    written.insert(0, target)
    return written


def compile_latex(path: str | os.PathLike, *, timeout: float = 120.0) -> Path:
    """Run ``pdflatex`` on a written ``.tex`` handout (twice, for longtable widths); returns the PDF.

    Raises :class:`InputError` when pdflatex is not installed or the run fails
    (with the first LaTeX error line).
    """
    exe = shutil.which("pdflatex")
    if exe is None:
        raise InputError("pdflatex is not installed; install a TeX distribution (e.g. texlive-latex-recommended)")
    tex = Path(path).resolve()
    with tempfile.TemporaryDirectory() as build:
        for _ in range(2):
            run = subprocess.run(
                [exe, "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={build}", tex.name],
                cwd=tex.parent,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
            )
            if run.returncode != 0:
                errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
                raise InputError(f"pdflatex failed on {tex.name}: {errors[0] if errors else 'see the .log'}")
        pdf = tex.with_suffix(".pdf")
        shutil.copyfile(Path(build) / pdf.name, pdf)
    return pdf
