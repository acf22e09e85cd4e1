"""The document model (headings, paragraphs, tables, lists, equations, figures) and its plain renderer.

Every document the package writes for people (the ``solve`` summary in
:mod:`.summary`, handouts and explanations) is a list of these blocks, built
once from result objects and then rendered; the formats therefore always say
the same thing. :func:`render_blocks` writes the plain text, Markdown and LaTeX
of the ``solve`` summary; :mod:`.handout` renders the richer documents and
:mod:`.html` writes HTML pages. The content helpers here (payoff tables,
equilibria and selection facts in words) read a game and its solution and
compute nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..escape import latex as latex_escape
from ..escape import markdown, markdown_paragraph
from ..game import NormalFormGame
from ..numtext import payoff_text, probability_text
from ..solution import Equilibrium, Solution
from .names import equilibrium_name


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]
    numbered: bool = False


@dataclass(frozen=True)
class Lead:
    """An emphasised opening paragraph (the scenario's ``teaches`` line)."""

    text: str


@dataclass(frozen=True)
class Equations:
    """Lines of equations or a derivation, shown as written (monospace, one per line)."""

    lines: Sequence[str]


@dataclass(frozen=True)
class Figure:
    """An image: embedded in HTML; written beside Markdown and LaTeX files as ``filename``."""

    data: bytes
    caption: str
    mime: str = "image/png"
    filename: str = "plot.png"


Block = Heading | Para | Table | Bullets | Lead | Equations | Figure


# ----------------------------------------------------------------------- content
def payoff_tables(game: NormalFormGame, best_responses: np.ndarray | None) -> list[Table]:
    """The payoff table laid out as a textbook does, best responses marked with ``*``.

    ``best_responses`` is the game's best-response mask
    (:func:`gametheory.solvers.pure.best_response_mask`, kept in
    ``Solution.best_responses`` by :func:`gametheory.analysis.analyse`);
    without it no payoff is marked. Two players: one matrix (rows: first
    player, columns: second). Three: one matrix per strategy of the third
    player. Four or more: one row per profile.
    """
    n = game.num_players

    def cell(profile: tuple[int, ...]) -> str:
        return ", ".join(
            payoff_text(game.payoffs[(i, *profile)])
            + ("*" if best_responses is not None and best_responses[(i, *profile)] else "")
            for i in range(n)
        )

    blocks: list[Table] = []
    names = ", ".join(game.players)
    if n == 1:
        rows = [[s, cell((k,))] for k, s in enumerate(game.strategies[0])]
        return [Table([game.players[0], "payoff"], rows, f"Payoffs ({names})")]
    if n <= 3:
        layers = [()] if n == 2 else [(k,) for k in range(game.shape[2])]
        for layer in layers:
            header = [f"{game.players[0]} \\ {game.players[1]}"] + list(game.strategies[1])
            rows = []
            for r, rname in enumerate(game.strategies[0]):
                rows.append([rname] + [cell((r, c, *layer)) for c in range(game.shape[1])])
            caption = f"Payoffs ({names})"
            if layer:
                caption += f" when {game.players[2]} plays {game.strategies[2][layer[0]]}"
            blocks.append(Table(header, rows, caption))
        return blocks
    header = list(game.players) + [f"payoffs ({names})"]
    rows = [list(game.profile_names(p)) + [cell(p)] for p in game.profiles()]
    return [Table(header, rows, "Payoffs, one row per strategy profile")]


def first_sentence(text: str, limit: int = 100) -> str:
    """The first sentence of a description, cut to ``limit`` characters, for table cells."""
    text = " ".join(text.split())
    for end in (". ", "; ", ": "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + (1 if end == ". " else 0)]
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."


def describe_equilibrium(game: NormalFormGame, eq: Equilibrium) -> str:
    """One line: ``pure (hold, target, stay_out)`` or the mixed strategies with their probabilities,
    after the scenario's name for the equilibrium when it gives one (``nobody moves: pure (...)``)."""
    name = equilibrium_name(game, eq.support)
    named = "" if name is None else f"{name}: "
    if eq.pure:
        return named + "pure (" + ", ".join(game.profile_names(eq.pure_profile)) + ")"
    parts = []
    for player, names, probs in zip(game.players, game.strategies, eq.profile):
        used = [(n, p) for n, p in zip(names, probs) if p != 0]
        if len(used) == 1:
            parts.append(f"{player} {used[0][0]}")
        else:
            parts.append(f"{player} " + ", ".join(f"{n} {probability_text(p)}" for n, p in used))
    return named + "mixed: " + "; ".join(parts)


def selection_lines(game: NormalFormGame, solution: Solution) -> list[str]:
    """One sentence per selection fact (strictness, Pareto, payoff and risk dominance, perfection)."""
    facts = solution.selection
    lines = []
    for fact in facts.equilibria:
        bits = []
        if fact.pure:
            bits.append("strict" if fact.strict else "not strict (a player has another best response)")
        else:
            bits.append("mixed (never strict)")
        if fact.pareto_dominated_by:
            bits.append("Pareto-dominated by " + ", ".join(f"no. {j + 1}" for j in fact.pareto_dominated_by))
        elif len(solution.equilibria) > 1:
            bits.append("Pareto-efficient among the equilibria")
        if fact.weakly_dominated_players:
            who = ", ".join(game.players[i] for i in fact.weakly_dominated_players)
            bits.append(
                f"uses a weakly dominated strategy ({who})" + ("; not perfect" if fact.perfect is False else "")
            )
        elif fact.perfect:
            bits.append("no weakly dominated strategy, so trembling-hand perfect")
        lines.append(f"No. {fact.index + 1}: " + "; ".join(bits) + ".")
    if facts.payoff_dominant is not None:
        lines.append(f"No. {facts.payoff_dominant + 1} is payoff dominant: best for every player among the equilibria.")
    if facts.risk_dominant is not None:
        a, b = facts.risk_products
        lines.append(
            f"No. {facts.risk_dominant + 1} is risk dominant (products of deviation losses {payoff_text(a)} vs {payoff_text(b)})."
        )
    if getattr(facts, "logit_selected", None) is not None and len(solution.equilibria) > 1:
        lines.append(
            f"No. {facts.logit_selected + 1} is the one selected by the logit tracing procedure "
            "(the limit of logit QRE as rationality grows)."
        )
    return lines


# ---------------------------------------------------------------------- render
def _text_table(table: Table) -> str:
    rows = [list(table.header)] + [list(r) for r in table.rows]
    widths = [max(len(str(r[c])) for r in rows) for c in range(len(table.header))]
    lines = []
    if table.caption:
        lines.append(table.caption)
    for k, row in enumerate(rows):
        lines.append("  " + "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _md_table(table: Table) -> str:
    lines = []
    if table.caption:
        lines.append(f"*{markdown(table.caption)}*\n")
    lines.append("| " + " | ".join(markdown(h) for h in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(markdown(c) for c in row) + " |")
    return "\n".join(lines)


_NEGATIVE = re.compile(r"(?<![\w.])-(?=[\d.])|(?<= )-(?= )")  # a sign before a number, or " - " between terms
_SQRT = re.compile(r"sqrt\((\d+)\)")
#: A column whose longest cell is longer than this wraps (an X column of tabularx) instead of running off the page.
WRAP_AT = 40


def latex_text(text: str) -> str:
    """Text for a LaTeX document: special characters escaped, a minus sign (before a number, or between
    spaced terms) typeset as one, not as a hyphen, and ``sqrt(2521)`` as a square root."""
    escaped = latex_escape(text)
    escaped = _NEGATIVE.sub(r"\\textminus{}", escaped)
    return _SQRT.sub(r"$\\sqrt{\1}$", escaped)


def _latex_table(table: Table) -> str:
    widths = [max(len(str(r[c])) for r in [table.header, *table.rows]) for c in range(len(table.header))]
    wraps = any(w > WRAP_AT for w in widths)
    cols = "".join("X" if w > WRAP_AT else "l" for w in widths)
    lines = [r"\begin{table}[h]", r"\centering"]
    if table.caption:
        lines.append(r"\caption{" + latex_text(table.caption) + "}")
    begin = r"\begin{tabularx}{\linewidth}{" + cols + "}" if wraps else r"\begin{tabular}{" + cols + "}"
    lines += [begin, r"\hline"]
    lines.append(" & ".join(latex_text(h) for h in table.header) + r" \\ \hline")
    for row in table.rows:
        lines.append(" & ".join(latex_text(c) for c in row) + r" \\")
    lines += [r"\hline", r"\end{tabularx}" if wraps else r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines)


#: The preamble of a LaTeX document: T1 font encoding (so that <, > and | print as themselves),
#: tabularx (wrapping table columns), textcomp (\textminus).
LATEX_PREAMBLE = (
    "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{textcomp}\n"
    "\\usepackage{tabularx}\n\\usepackage[margin=2cm]{geometry}\n"
)


def render_blocks(blocks: Sequence[Block], fmt: str) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            if fmt == "markdown":
                out.append("#" * max(1, min(block.level, 6)) + " " + markdown(block.text))
            elif fmt == "latex":
                out.append((r"\section*{" if block.level == 1 else r"\subsection*{") + latex_text(block.text) + "}")
            else:
                out.append(block.text + "\n" + ("=" if block.level == 1 else "-") * len(block.text))
        elif isinstance(block, Para):
            out.append(
                latex_text(block.text)
                if fmt == "latex"
                else (markdown_paragraph(block.text) if fmt == "markdown" else block.text)
            )
        elif isinstance(block, Table):
            out.append(
                _md_table(block) if fmt == "markdown" else _latex_table(block) if fmt == "latex" else _text_table(block)
            )
        elif hasattr(block, "render"):  # blocks that render themselves (e.g. report.tree.Pre)
            out.append(block.render(fmt))
        elif isinstance(block, Bullets):
            if fmt == "latex":
                env = "enumerate" if block.numbered else "itemize"
                out.append(
                    f"\\begin{{{env}}}\n"
                    + "\n".join(r"\item " + latex_text(i) for i in block.items)
                    + f"\n\\end{{{env}}}"
                )
            else:
                marks = (f"{k}." for k in itertools.count(1)) if block.numbered else itertools.repeat("-")
                esc = markdown_paragraph if fmt == "markdown" else str
                out.append(
                    "\n".join(f"{'' if fmt == 'markdown' else '  '}{m} {esc(i)}" for m, i in zip(marks, block.items))
                )
    text = "\n\n".join(out) + "\n"
    if fmt == "latex":
        text = LATEX_PREAMBLE + "\\begin{document}\n" + text + "\\end{document}\n"
    return text
