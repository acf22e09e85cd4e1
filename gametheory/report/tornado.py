"""A tornado analysis for people and programs: the ranking as a table (text, Markdown) or as JSON.

The renderers read a :class:`~gametheory.sensitivity.tornado.TornadoResult`
(bars, regimes, payoff swings, all computed by
:func:`gametheory.sensitivity.tornado.tornado`) and never recompute it. The
diagram itself is :func:`gametheory.report.plots.plot_tornado`.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..numtext import exact_text, parameter_text, payoff_text
from .document import Bullets, Heading, Para, Table, render_blocks
from .names import regime_text

if TYPE_CHECKING:  # pragma: no cover
    from ..sensitivity.tornado import Number, TornadoResult

__all__ = ["FORMATS", "render_tornado", "tornado_dict", "tornado_json"]

FORMATS = ("text", "markdown", "json")


def _float(x: Number | None) -> float | None:
    return None if x is None else float(x)


def _exact(x: Number | None) -> str | None:
    return None if x is None or not isinstance(x, (int, Fraction)) else exact_text(x)


def tornado_dict(result: TornadoResult) -> dict[str, Any]:
    """JSON-ready: per parameter the regimes, changes and payoff swing (exact values as text too)."""
    return {
        "title": result.title,
        "file": result.file,
        "points": result.points,
        "preset": result.preset,
        "player": result.player,
        "selection": result.selection if result.player else None,
        "baseline_regime": result.baseline_regime,
        "regime_display": {label: regime_text(label, result.names) for label in result.regime_keys},
        "baseline_payoff": _float(result.baseline_payoff),
        "baseline_best_payoff": _float(result.baseline_best),
        "parameters": [
            {
                "parameter": b.parameter,
                "range": [_float(b.low), _float(b.high)],
                "baseline": _float(b.baseline),
                "regimes": list(b.regimes),
                "changes": b.changes,
                "change_points": [
                    {"between": [_float(lo), _float(hi)], "exact": [_exact(lo), _exact(hi)], "from": a, "to": c}
                    for lo, hi, a, c in b.change_points
                ],
                "payoff_min": _float(b.payoff_min),
                "payoff_max": _float(b.payoff_max),
                "payoff_at_low": _float(b.payoff_at_low),
                "payoff_at_high": _float(b.payoff_at_high),
                "best_payoff_min": _float(b.best_min),
                "best_payoff_max": _float(b.best_max),
                "swing": _float(b.swing) if result.player else None,
                "thresholds": None if b.thresholds is None else _thresholds_dict(b.thresholds),
            }
            for b in result.bars
        ],
        "skipped": dict(result.skipped),
    }


def _thresholds_dict(found) -> list[dict[str, Any]]:
    """A parameter's exact thresholds (as ``sensitivity`` finds them) for the JSON form."""
    return [
        {"value": t.value, "exact": t.exact, "from": t.below_label, "to": t.above_label, "end": t.end}
        for t in found.thresholds
    ]


def _payoff_cell(result: TornadoResult, b) -> str:
    """``-8 .. -0.6875`` (the selected payoff's range), or ``worst -8 .. -8; best -0.69 .. 2`` for ``both``."""
    if b.payoff_min is None:
        return "-"
    own = f"{payoff_text(b.payoff_min)} .. {payoff_text(b.payoff_max)}"
    if result.selection != "both" or b.best_min is None:
        return own
    return f"worst {own}; best {payoff_text(b.best_min)} .. {payoff_text(b.best_max)}"


def _change_lines(result: TornadoResult, keys: dict[str, str]) -> tuple[str, list[str]]:
    """The regime changes: exact thresholds where they were computed, else between neighbouring grid points."""
    exact = all(b.thresholds is not None for b in result.bars)
    lines = []
    for b in result.bars:
        if b.thresholds is not None:
            for t in b.thresholds.thresholds:
                value = t.exact if t.exact is not None else f"about {t.value:.6g}"
                end = f" (the {'lower' if t.end == 'low' else 'upper'} end of the range)" if t.end else ""
                lines.append(f"{b.parameter} = {value}{end}: {keys[t.below_label]} -> {keys[t.above_label]}")
            continue
        lines += [
            f"{b.parameter} between {parameter_text(lo)} and {parameter_text(hi)}: {keys[before]} -> {keys[after]}"
            for lo, hi, before, after in b.change_points
        ]
    how = "exact thresholds, as `sensitivity` finds them" if exact else "between neighbouring grid points"
    return f"Where the regime changes ({how}):", lines


def tornado_json(result: TornadoResult) -> str:
    """:func:`tornado_dict` as indented JSON text, with a final newline."""
    return json.dumps(tornado_dict(result), indent=2) + "\n"


def render_tornado(result: TornadoResult, fmt: str = "text") -> str:
    """The ranking as a table: ``text``, ``markdown`` or ``json``.

    Regimes are shown by short keys (R1, R2, ...) listed under the table.
    """
    if fmt == "json":
        return tornado_json(result)
    keys = result.regime_keys
    header = ["rank", "parameter", "range", "changes", "regimes, low to high"]
    if result.player:
        rule = "worst; best" if result.selection == "both" else result.selection
        header[3:3] = [f"{result.player} payoff ({rule})", "swing"]
    rows = []
    for k, b in enumerate(result.bars, 1):
        row = [
            str(k),
            b.parameter,
            f"{parameter_text(b.low)} .. {parameter_text(b.high)}",
            str(b.changes),
            " -> ".join(keys[r] for r in b.path) or "-",
        ]
        if result.player:
            row[3:3] = [_payoff_cell(result, b), payoff_text(b.swing)]
        rows.append(row)
    intro = (
        f"Each parameter moved across its declared range ({result.points} points), the others at their "
        "baseline values; 'changes' counts the regime changes along the range."
    )
    if result.player and result.selection == "both":
        intro += (
            f" The payoff is the band of {result.player}'s equilibrium payoffs at each point, from its worst to its "
            f"best equilibrium (at the baseline: {payoff_text(result.baseline_payoff)} to "
            f"{payoff_text(result.baseline_best)}); the swing is the larger of the two swings."
        )
    elif result.player:
        rule = "lowest" if result.selection == "worst" else "highest"
        intro += (
            f" The payoff is {result.player}'s {rule} payoff over all equilibria at each point "
            f"(at the baseline: {payoff_text(result.baseline_payoff)})."
        )
    blocks = [
        Heading(f"Tornado: {result.title}", 1),
        Para(intro),
        Table(header, rows),
        Para("Regimes (R1 is the baseline):"),
        Bullets([f"{key}: {regime_text(label, result.names)}" for label, key in keys.items()]),
    ]
    heading, changes = _change_lines(result, keys)
    if changes:
        blocks += [Para(heading), Bullets(changes)]
    if result.skipped:
        blocks.append(Para("Not moved: " + "; ".join(f"{k} ({v})" for k, v in result.skipped.items()) + "."))
    return render_blocks(blocks, "markdown" if fmt == "markdown" else "text")
