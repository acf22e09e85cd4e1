"""A solution as a small document (headings, paragraphs, tables), rendered as text, Markdown or LaTeX.

The document is built once from the solved result and then rendered; the three
formats therefore always say the same thing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

from ..game import NormalFormGame, observer_payoffs
from ..solution import Equilibrium, Solution
from ..numtext import parameter_text, payoff_text, probability_text


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


Block = Heading | Para | Table | Bullets


# ----------------------------------------------------------------------- content
def payoff_tables(game: NormalFormGame) -> list[Block]:
    """The payoff table laid out as a textbook does, best responses marked with ``*``.

    Two players: one matrix (rows: first player, columns: second). Three: one
    matrix per strategy of the third player. Four or more: one row per profile.
    """
    from ..solvers.pure import best_response_mask

    mask = best_response_mask(game)
    n = game.num_players

    def cell(profile: tuple[int, ...]) -> str:
        return ", ".join(
            payoff_text(game.payoffs[(i, *profile)]) + ("*" if mask[(i, *profile)] else "") for i in range(n)
        )

    blocks: list[Block] = []
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
    """One line: ``pure (hold, target, stay_out)`` or the mixed strategies with their probabilities."""
    if eq.pure:
        return "pure (" + ", ".join(game.profile_names(eq.pure_profile)) + ")"
    parts = []
    for player, names, probs in zip(game.players, game.strategies, eq.profile):
        used = [(n, p) for n, p in zip(names, probs) if p != 0]
        if len(used) == 1:
            parts.append(f"{player} {used[0][0]}")
        else:
            parts.append(f"{player} " + ", ".join(f"{n} {probability_text(p)}" for n, p in used))
    return "mixed: " + "; ".join(parts)


def equilibrium_payoffs(game: NormalFormGame, eq: Equilibrium) -> str:
    text = ", ".join(f"{p}: {payoff_text(v)}" for p, v in zip(game.players, eq.payoffs))
    if game.observers:
        extra = observer_payoffs(game, eq.profile)
        text += "; observers: " + ", ".join(f"{o}: {payoff_text(v)}" for o, v in zip(game.observers, extra))
    return text


def _scope_sentence(solution: Solution) -> str:
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    if solution.scope == "pure":
        what = f"{count} pure Nash {noun} (pure strategies only; mixed equilibria were not searched)"
    elif solution.scope == "one":
        what = f"{count} Nash {noun} found by {solution.method}; the list may be incomplete"
    else:
        what = f"{count} Nash {noun}"
        what += " (complete enumeration)" if solution.complete else " (the enumeration is NOT proven complete)"
    exact = sum(1 for e in solution.equilibria if e.exact)
    if exact == count:
        check = "exactly zero regret" if count else "exact arithmetic"
    elif exact == 0:
        check = "floating point, regret below the stated tolerance"
    else:
        check = f"exactly zero regret for the {exact} rational one(s), below 1e-9 of the payoff scale for the other(s)"
    return f"{what}; every one certified by an independent regret check ({check})."


def solution_blocks(solution: Solution, scenario=None) -> list[Block]:
    game = solution.game
    blocks: list[Block] = [Heading(game.title or "Game", 1)]
    if scenario is not None and scenario.teaches:
        blocks.append(Para(scenario.teaches))
    blocks.append(
        Para(
            "Players: "
            + "; ".join(f"{p} ({', '.join(s)})" for p, s in zip(game.players, game.strategies))
            + (f". Observers (payoff only): {', '.join(game.observers)}" if game.observers else "")
        )
    )
    if game.parameters:
        defaults = scenario.defaults if scenario is not None else {}
        rows = []
        for name, value in game.parameters.items():
            param = scenario.parameters.get(name) if scenario is not None else None
            changed = name in defaults and defaults[name] != value
            rows.append(
                [
                    name + (" *" if changed else ""),
                    parameter_text(value),
                    param.unit if param else "",
                    first_sentence(param.description) if param else "",
                ]
            )
        blocks.append(Heading("Parameters"))
        blocks.append(Table(["parameter", "value", "unit", "meaning"], rows, "* = changed from the default"))
    blocks.append(Heading("Payoffs"))
    blocks.append(Para("Each cell lists the payoffs in player order; * marks a best response to the others' strategies."))
    blocks.extend(payoff_tables(game))
    if solution.dominance is not None:
        blocks.append(Heading("Dominance"))
        blocks.extend(dominance_blocks(game, solution.dominance))
    blocks.append(Heading("Equilibria"))
    blocks.append(Para(_scope_sentence(solution)))
    items = []
    components = solution.components
    for eq in solution.equilibria:
        line = f"{describe_equilibrium(game, eq)} -- payoffs {equilibrium_payoffs(game, eq)}"
        if eq.component is not None and len(components.get(eq.component, ())) > 1:
            line += f" [extreme point of component {eq.component}]"
        if not eq.exact:
            kind = "irrational" if eq.algebraic is not None else "floating point"
            line += f" ({kind}; certified to max regret {float(eq.max_regret):.1e})"
            if eq.algebraic is not None:
                line += "; exactly: " + "; ".join(
                    f"{player} {names[k]} = {forms[k]}"
                    for player, names, forms, probs in zip(game.players, game.strategies, eq.algebraic, eq.profile)
                    for k in [next(j for j, p in enumerate(probs) if p != 0)]
                    if sum(1 for p in probs if p != 0) > 1
                )
        items.append(line)
    if items:
        blocks.append(Bullets(items, numbered=True))
    multi = {k: v for k, v in components.items() if len(v) > 1}
    if multi:
        blocks.append(
            Para(
                "Degenerate game: "
                + "; ".join(f"component {k} is a connected set of equilibria with {len(v)} extreme points" for k, v in multi.items())
                + ". Every mixture of extreme points of a component that share a Nash subset is also an equilibrium."
            )
        )
    for note in solution.notes:
        blocks.append(Para(f"Note: {note}"))
    if getattr(solution, "extensive", None) is not None:  # game trees and Bayesian games
        from .tree import structure_blocks

        blocks.extend(structure_blocks(solution, scenario))
    if solution.selection is not None and solution.equilibria:
        blocks.append(Heading("Choosing among equilibria"))
        blocks.append(Bullets(selection_lines(game, solution)))
    if solution.correlated is not None:
        from .correlated import correlated_blocks

        blocks.extend(correlated_blocks(solution))
    if solution.security is not None:
        blocks.append(Heading("Security levels (maxmin)"))
        rows = []
        for s in solution.security:
            names = game.strategies[s.player]
            used = [(n, p) for n, p in zip(names, s.strategy) if p != 0]
            strat = used[0][0] if len(used) == 1 else ", ".join(f"{n} {probability_text(p)}" for n, p in used)
            rows.append([game.players[s.player], payoff_text(s.value), strat])
        blocks.append(Table(["player", "guaranteed payoff", "maxmin strategy"], rows))
    return blocks


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
            bits.append(f"uses a weakly dominated strategy ({who})" + ("; not perfect" if fact.perfect is False else ""))
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


def dominance_blocks(game: NormalFormGame, elimination) -> list[Block]:
    if not elimination.steps:
        return [Para("No strategy is strictly dominated, by a pure or a mixed strategy.")]
    items = []
    for step in elimination.steps:
        names = game.strategies[step.player]
        by = [(n, p) for n, p in zip(names, step.dominator) if p != 0]
        dominator = by[0][0] if len(by) == 1 else "the mix " + ", ".join(f"{n} {probability_text(p)}" for n, p in by)
        kind = "strictly" if step.strict else "weakly"
        items.append(f"{game.players[step.player]}: {names[step.strategy]} is {kind} dominated by {dominator}")
    survivors = "; ".join(
        f"{game.players[i]} ({', '.join(game.strategies[i][k] for k in kept)})" for i, kept in enumerate(elimination.survivors)
    )
    return [
        Para("Iterated elimination of strictly dominated strategies, in order:"),
        Bullets(items, numbered=True),
        Para(f"Surviving strategies: {survivors}."),
    ]


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


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("*", "\\*")


def _md_table(table: Table) -> str:
    lines = []
    if table.caption:
        lines.append(f"*{_md_escape(table.caption)}*\n")
    lines.append("| " + " | ".join(_md_escape(h) for h in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_md_escape(c) for c in row) + " |")
    return "\n".join(lines)


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _latex_table(table: Table) -> str:
    cols = "l" * len(table.header)
    lines = [r"\begin{table}[h]", r"\centering"]
    if table.caption:
        lines.append(r"\caption{" + latex_escape(table.caption) + "}")
    lines += [r"\begin{tabular}{" + cols + "}", r"\hline"]
    lines.append(" & ".join(latex_escape(h) for h in table.header) + r" \\ \hline")
    for row in table.rows:
        lines.append(" & ".join(latex_escape(c) for c in row) + r" \\")
    lines += [r"\hline", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines)


def render_blocks(blocks: Sequence[Block], fmt: str) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            if fmt == "markdown":
                out.append("#" * block.level + " " + block.text)
            elif fmt == "latex":
                out.append((r"\section*{" if block.level == 1 else r"\subsection*{") + latex_escape(block.text) + "}")
            else:
                out.append(block.text + "\n" + ("=" if block.level == 1 else "-") * len(block.text))
        elif isinstance(block, Para):
            out.append(latex_escape(block.text) if fmt == "latex" else (_md_escape(block.text) if fmt == "markdown" else block.text))
        elif isinstance(block, Table):
            out.append(_md_table(block) if fmt == "markdown" else _latex_table(block) if fmt == "latex" else _text_table(block))
        elif hasattr(block, "render"):  # blocks that render themselves (e.g. report.tree.Pre)
            out.append(block.render(fmt))
        elif isinstance(block, Bullets):
            if fmt == "latex":
                env = "enumerate" if block.numbered else "itemize"
                out.append(f"\\begin{{{env}}}\n" + "\n".join(r"\item " + latex_escape(i) for i in block.items) + f"\n\\end{{{env}}}")
            else:
                marks = (f"{k}." for k in itertools.count(1)) if block.numbered else itertools.repeat("-")
                esc = _md_escape if fmt == "markdown" else str
                out.append("\n".join(f"{'' if fmt == 'markdown' else '  '}{m} {esc(i)}" for m, i in zip(marks, block.items)))
    text = "\n\n".join(out) + "\n"
    if fmt == "latex":
        text = (
            "\\documentclass{article}\n\\usepackage[margin=2cm]{geometry}\n\\begin{document}\n"
            + text
            + "\\end{document}\n"
        )
    return text


def solution_document(solution: Solution, scenario=None, fmt: str = "text") -> str:
    return render_blocks(solution_blocks(solution, scenario), fmt)
