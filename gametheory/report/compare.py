"""Two settings side by side, for people (text, Markdown, HTML) and programs (JSON).

The renderers read a :class:`~gametheory.sensitivity.compare.Comparison` and
never recompute it: the differences in plain language first (parameters,
thresholds crossed, subgame-perfect outcome, threats and promises that change
credibility), then the matched equilibria with each player's payoffs, then
the payoff cells that differ.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..numtext import exact_text, parameter_text, payoff_text
from .document import Bullets, Heading, Para, Table, describe_equilibrium, render_blocks
from .html import render_html
from .names import regime_text

if TYPE_CHECKING:  # pragma: no cover
    from ..sensitivity.compare import Comparison, CredibilityChange, Side

__all__ = ["FORMATS", "compare_blocks", "compare_dict", "render_compare"]

FORMATS = ("text", "markdown", "html", "json")
#: Payoff cells listed in the table; the rest are counted.
MAX_CELLS = 40


def _value(x: Any) -> str:
    return "-" if x is None else parameter_text(x)


def _spe_outcomes(side: Side) -> str:
    if side.tree is None:
        return ""
    paths = sorted({" > ".join(step.action for step in spe.path) for spe in side.tree.spe})
    return "; ".join(paths) or "none"


def _moves(actions: tuple[str, ...]) -> str:
    return " or ".join(actions) if actions else "no move (not analysed)"


def credibility_sentence(change: CredibilityChange, left: str, right: str) -> str:
    """One change of credibility in words, e.g. ``Russia's threat to target after deploy_first
    becomes non-credible: ...``."""
    who, where = change.player, change.where
    old, new = _moves(change.left), _moves(change.right)
    if change.resting[0] and change.resting[1]:
        head = f"{who}'s credible move {where} changes from {old} to {new}"
        tail = (
            f"{change.resting[0]} Nash equilibria at {left} rest on the non-credible {new}, "
            f"{change.resting[1]} at {right} on the non-credible {old}"
        )
    elif change.resting[1]:
        head = f"{who}'s threat to {old} {where} becomes non-credible"
        tail = (
            f"at {right} {who} would {new} there instead, and {change.resting[1]} Nash equilibria "
            f"rest on the non-credible threat to {old}"
        )
    elif change.resting[0]:
        head = f"{who}'s threat to {new} {where} becomes credible"
        tail = (
            f"at {left} {who} would {old} there, and {change.resting[0]} Nash equilibria rested on the "
            f"non-credible threat to {new}"
        )
    else:
        head = f"{who}'s credible move {where} changes from {old} to {new}"
        tail = "on the subgame-perfect path" if any(change.reached) else "off the subgame-perfect path"
    return f"{head}: {tail}."


def _count(n: int) -> str:
    return f"{n} equilibri{'um' if n == 1 else 'a'}"


def _differences(c: Comparison) -> list[str]:
    left, right = c.left.name, c.right.name
    names = c.left.scenario.equilibrium_names
    lines = []
    for name, a, b in c.parameters:
        lines.append(f"{name}: {_value(a)} at {left}, {_value(b)} at {right}.")
    for t in c.thresholds:
        rel = f" (= {t.symbolic})" if t.symbolic else ""
        lines.append(
            f"The equilibrium set changes at {t.parameter} = {t.exact or parameter_text(t.value)}{rel}: "
            f"{regime_text(t.below_label, names)} below, {regime_text(t.above_label, names)} above."
        )
    for s in c.spe_thresholds:
        lines.append(
            f"The subgame-perfect outcome changes at {s.parameter} = {parameter_text(s.value)}: "
            f"{s.below} below, {s.above} above."
        )
    if c.left.tree is not None and c.right.tree is not None:
        a, b = _spe_outcomes(c.left), _spe_outcomes(c.right)
        same = "the same" if a == b else "different"
        lines.append(f"Subgame-perfect play is {same}: {a} at {left}; {b} at {right}.")
    ordered = sorted(c.credibility, key=lambda ch: (-(ch.resting[0] + ch.resting[1]), not any(ch.reached)))
    lines += [credibility_sentence(ch, left, right) for ch in ordered]
    for m in c.matches:
        # each side's equilibria by that side's names (a preset may name its own)
        a, b = (
            None if x is None else regime_text(x, side.solution.game.names)
            for x, side in zip(m.labels, (c.left, c.right), strict=True)
        )
        if a is None:
            lines.append(f"Only at {right}: the equilibrium {b}.")
        elif b is None:
            lines.append(f"Only at {left}: the equilibrium {a}.")
        elif not m.same_support:
            lines.append(f"The equilibrium {a} at {left} becomes {b} at {right}.")
    n_left, n_right = len(c.left.solution.equilibria), len(c.right.solution.equilibria)
    kept = sum(1 for m in c.matches if m.same_support)
    verb = "keeps its" if kept == 1 else "keep their"
    lines.append(
        f"{_count(n_left)} at {left}, {n_right} at {right}; {kept} {verb} support "
        "(the table pairs them, then the nearest remaining profiles)."
    )
    cells = len(c.cells)
    lines.append(
        f"{cells} payoff cell{' differs' if cells == 1 else 's differ'}." if cells else "No payoff cell differs."
    )
    return lines


def _equilibrium_text(side: Side, k: int | None) -> str:
    if k is None:
        return "-"
    return describe_equilibrium(side.solution.game, side.solution.equilibria[k])


def _payoffs_text(side: Side, k: int | None, i: int) -> str:
    return "-" if k is None else payoff_text(side.solution.equilibria[k].payoffs[i])


def compare_blocks(c: Comparison) -> list:
    """The comparison as document blocks (headings, sentences, tables)."""
    left, right = c.left.name, c.right.name
    title = c.left.scenario.title
    if c.right.scenario is not c.left.scenario:
        title += f" vs {c.right.scenario.title}"
    blocks: list = [Heading(f"{title}: {left} vs {right}", 1), Heading("What differs"), Bullets(_differences(c))]
    if c.notes:
        blocks.append(Para("Notes: " + "; ".join(c.notes) + "."))
    header = ["#", f"equilibrium at {left}", f"equilibrium at {right}"] + [f"{p} payoff" for p in c.players]
    rows = []
    for n, m in enumerate(c.matches, start=1):
        pays = [
            f"{_payoffs_text(c.left, m.left, i)} -> {_payoffs_text(c.right, m.right, i)}" for i in range(len(c.players))
        ]
        rows.append([str(n), _equilibrium_text(c.left, m.left), _equilibrium_text(c.right, m.right), *pays])
    blocks += [Heading("Equilibria, matched"), Table(header, rows)]
    if c.cells:
        shown = c.cells[:MAX_CELLS]
        cell_rows = [
            [", ".join(cell.profile), cell.player, payoff_text(cell.left), payoff_text(cell.right)] for cell in shown
        ]
        blocks += [Heading("Payoff cells that differ"), Table(["profile", "player", left, right], cell_rows)]
        if len(c.cells) > MAX_CELLS:
            blocks.append(Para(f"... and {len(c.cells) - MAX_CELLS} more (all are in --format json)."))
    return blocks


def _exact(x: Any) -> Any:
    if isinstance(x, Fraction):
        return exact_text(x)
    return None if x is None else float(x)


def _side_dict(side: Side) -> dict[str, Any]:
    return {
        "name": side.name,
        "file": side.scenario.file,
        "equilibria": [
            {
                "description": describe_equilibrium(side.solution.game, eq),
                "payoffs": dict(zip(side.solution.game.players, (_exact(x) for x in eq.payoffs))),
            }
            for eq in side.solution.equilibria
        ],
        "subgame_perfect": _spe_outcomes(side) or None,
    }


def compare_dict(c: Comparison) -> dict[str, Any]:
    """JSON-ready: both sides, the differences as data and as sentences (exact numbers as text)."""
    return {
        "left": _side_dict(c.left),
        "right": _side_dict(c.right),
        "parameters": [{"name": n, "left": _exact(a), "right": _exact(b)} for n, a, b in c.parameters],
        "differences": _differences(c),
        "thresholds": [
            {"parameter": t.parameter, "value": t.value, "exact": t.exact, "symbolic": t.symbolic} for t in c.thresholds
        ],
        "spe_thresholds": [
            {"parameter": s.parameter, "value": exact_text(s.value), "below": s.below, "above": s.above}
            for s in c.spe_thresholds
        ],
        "credibility": [
            {
                "player": ch.player,
                "where": ch.where,
                "left": list(ch.left),
                "right": list(ch.right),
                "resting": list(ch.resting),
                "sentence": credibility_sentence(ch, c.left.name, c.right.name),
            }
            for ch in c.credibility
        ],
        "matches": [
            {"left": m.left, "right": m.right, "labels": list(m.labels), "same_support": m.same_support}
            for m in c.matches
        ],
        "cells": [
            {"profile": list(x.profile), "player": x.player, "left": _exact(x.left), "right": _exact(x.right)}
            for x in c.cells
        ],
        "notes": list(c.notes),
    }


def render_compare(c: Comparison, fmt: str = "text") -> str:
    """The comparison as text, Markdown, a self-contained HTML page, or JSON."""
    if fmt == "json":
        return json.dumps(compare_dict(c), indent=2) + "\n"
    blocks = compare_blocks(c)
    if fmt == "html":
        return render_html(blocks, title=f"{c.left.scenario.title}: {c.left.name} vs {c.right.name}")
    return render_blocks(blocks, fmt)
