"""One escaping routine per output language: text from a file can never steer an output.

Titles, player, strategy and parameter names, descriptions and labels come
from files the analyst may not have written. Every renderer puts such text
into its output through these functions, never raw:

* :func:`markdown` (inline text), :func:`markdown_code` (a code span, also
  safe in a table cell), :func:`markdown_fence` (a fenced block) and
  :func:`markdown_paragraph` (text that starts a block);
* :func:`html` (text and attribute values);
* :func:`latex` (text in a LaTeX document);
* :func:`csv_cell` (a cell that a spreadsheet must not read as a formula);
* :func:`terminal` (text for a terminal or a log: control characters, bidi
  overrides and lone surrogates are shown as visible escapes such as ``\\x1b``).

The standard library escapes HTML (``html.escape``) and quotes CSV (the
``csv`` module); these functions add what it lacks for the other languages.
"""

from __future__ import annotations

import re

__all__ = ["csv_cell", "html", "latex", "markdown", "markdown_code", "markdown_fence", "markdown_paragraph", "terminal"]

# Characters a terminal acts on instead of showing: C0 and C1 controls (tab and
# newline excepted), DEL, the bidi embeddings, overrides and isolates, the line
# and paragraph separators, and lone surrogates (which no encoder can write).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``\\x1b``, ``\\u202e``).

    Newlines and tabs are kept: they are layout, not commands.
    """
    return _INVISIBLE.sub(_visible, str(text))


def _one_line(text: object) -> str:
    """Whitespace runs (newlines included) as one space, invisible characters made visible."""
    return terminal(" ".join(str(text).split()))


# CommonMark lets a backslash escape any ASCII punctuation; these are the ones
# that can start markup inline (emphasis, code, links, HTML, tables, math, headings).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~#!&])")


def markdown(text: object) -> str:
    """Inline Markdown text: on one line, every character that could format it backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def markdown_paragraph(text: object) -> str:
    """:func:`markdown` for text that starts a block: it cannot become a heading, quote or list."""
    out = re.sub(r"^(\d+)([.)]) ", r"\1\\\2 ", markdown(text))
    return "\\" + out if out[:1] in ("+", "-", "=") else out


def markdown_code(text: object) -> str:
    """An inline code span of ``text`` (one line), safe inside a table cell too.

    The fence is one backtick longer than the longest run inside, and ``|`` is
    escaped (GitHub tables split cells at ``|`` even inside code spans).
    """
    body = _one_line(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def markdown_fence(text: str, info: str = "") -> str:
    """A fenced code block holding ``text`` as it is (its lines kept), closed by a fence it cannot contain."""
    body = terminal(text)
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def html(text: object) -> str:
    """Text for an HTML page, in an element or a quoted attribute value."""
    import html as _html  # with its table of entities (1.3 ms), for the commands that write HTML only

    return _html.escape(terminal(text), quote=True)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex(text: object) -> str:
    """Text for a LaTeX document: the special characters escaped, control characters shown as escapes."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in terminal(text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(text: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ``=``, ``+``, ``-`` or ``@`` gets a ``'``.

    Numbers (``-0.5``) are left as they are; the ``csv`` module does the quoting.
    """
    value = terminal(text)
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
