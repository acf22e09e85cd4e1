"""A Monte Carlo run for people and programs: a report (text, Markdown), JSON or CSV.

The renderers read a :class:`~gametheory.sensitivity.montecarlo.MonteCarloResult`
(regime shares with their Wilson intervals, parameter summaries, all computed
by :func:`gametheory.sensitivity.montecarlo.monte_carlo`) and never recompute
it. The bar chart is :func:`gametheory.report.plots.plot_montecarlo`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..escape import csv_cell
from ..numtext import exact_text, parameter_text
from .document import Heading, Para, Table, render_blocks
from .drivers import drivers_dict, method_blocks, ranking_blocks
from .names import Names, regime_text

if TYPE_CHECKING:  # pragma: no cover
    from ..sensitivity.drivers import Drivers
    from ..sensitivity.montecarlo import Distribution, MonteCarloResult, RegimeShare

__all__ = [
    "FORMATS",
    "distribution_text",
    "montecarlo_csv",
    "montecarlo_dict",
    "montecarlo_json",
    "render_montecarlo",
    "render_with_drivers",
]

FORMATS = ("text", "markdown", "json", "csv")


def _float_text(x: float | None) -> str:
    return "-" if x is None else parameter_text(x)


def distribution_text(dist: Distribution) -> str:
    """Short text such as ``triangular(3, 10; mode 5)``."""
    rng = "" if dist.low is None else f"{_float_text(dist.low)}, {_float_text(dist.high)}"
    args = {
        "uniform": "",
        "triangular": f"mode {_float_text(dist.mode)}",
        "normal": f"mean {_float_text(dist.mean)}, sd {_float_text(dist.sd)}",
        "beta": f"alpha {_float_text(dist.alpha)}, beta {_float_text(dist.beta)}",
    }.get(dist.kind, "")
    inner = "; ".join(p for p in (rng, args) if p)
    return f"{dist.kind}({inner})"


def _shares(items: Iterable[RegimeShare], names: Names) -> list[dict[str, Any]]:
    """Each share with its machine ``label`` (stable) and its ``display`` text for people (:mod:`.names`)."""
    return [
        {
            "label": r.label,
            "display": regime_text(r.label, names),
            "count": r.count,
            "share": r.share,
            "ci_low": r.low,
            "ci_high": r.high,
        }
        for r in items
    ]


def montecarlo_dict(result: MonteCarloResult) -> dict[str, Any]:
    """A JSON-ready dict (the ``--out shares.json`` content)."""
    return {
        "title": result.title,
        "file": result.file,
        "samples": result.samples,
        "seed": result.seed,
        "chunk_size": result.chunk_size,
        "scheme": result.scheme,
        "confidence": result.confidence,
        "preset": result.preset,
        "regimes": _shares(result.regimes, result.names),
        "families": _shares(result.families, result.names),
        "boundary": result.boundary,
        "how": dict(result.how),
        "parameters": [
            {
                "name": p.name,
                "distribution": p.distribution.as_dict(),
                "mean": p.mean,
                "sd": p.sd,
                "min": p.min,
                "max": p.max,
                "mean_by_regime": dict(p.by_regime),
            }
            for p in result.parameters
        ],
        "fixed": {k: exact_text(v) if isinstance(v, (int, Fraction)) else v for k, v in result.fixed.items()},
    }


def montecarlo_json(result: MonteCarloResult) -> str:
    """:func:`montecarlo_dict` as indented JSON text, with a final newline."""
    return json.dumps(montecarlo_dict(result), indent=2) + "\n"


def montecarlo_csv(result: MonteCarloResult) -> str:
    """One row per regime: ``regime,count,share,ci_low,ci_high``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["regime", "count", "share", "ci_low", "ci_high"])
    for r in result.regimes:
        writer.writerow([csv_cell(r.label), r.count, f"{r.share:.6g}", f"{r.low:.6g}", f"{r.high:.6g}"])
    return buffer.getvalue()


def render_montecarlo(result: MonteCarloResult, fmt: str = "text") -> str:
    """A readable report: ``text``, ``markdown``, ``json`` or ``csv``."""
    if fmt == "json":
        return montecarlo_json(result)
    if fmt == "csv":
        return montecarlo_csv(result)
    pct = round(result.confidence * 100)
    head = ["regime", "draws", "share", f"{pct}% CI"]

    def rows(items: Iterable[RegimeShare]) -> list[list[str]]:
        return [
            [regime_text(r.label, result.names), str(r.count), f"{r.share:.1%}", f"{r.low:.1%} - {r.high:.1%}"]
            for r in items
        ]

    fixed = ", ".join(f"{k} = {parameter_text(v)}" for k, v in result.fixed.items()) or "none"
    blocks = [
        Heading(f"Monte Carlo: {result.title}", 1),
        Para(
            f"{result.samples} draws, seed {result.seed}"
            + (f", preset {result.preset}" if result.preset else "")
            + f". Reproduce with --samples {result.samples} --seed {result.seed}."
        ),
        Table(head, rows(result.regimes), "Regimes (the equilibrium set at each draw)"),
    ]
    if len(result.families) > 1 or (result.families and result.families[0].label != result.regimes[0].label):
        blocks.append(
            Table(
                ["equilibrium", "draws", "share", f"{pct}% CI"],
                rows(result.families),
                "Draws whose equilibrium set contains each equilibrium",
            )
        )
    if result.boundary:
        blocks.append(Para(f"{result.boundary} draw(s) fell exactly on a regime boundary (degenerate game)."))
    blocks.append(
        Table(
            ["parameter", "distribution", "mean", "sd", "min", "max"],
            [
                [
                    p.name,
                    distribution_text(p.distribution),
                    f"{p.mean:.4g}",
                    f"{p.sd:.4g}",
                    f"{p.min:.4g}",
                    f"{p.max:.4g}",
                ]
                for p in result.parameters
            ],
            "Parameters drawn",
        )
    )
    blocks.append(Para(f"Held fixed: {fixed}."))
    return render_blocks(blocks, "markdown" if fmt == "markdown" else "text")


def render_with_drivers(result: MonteCarloResult, drivers: Sequence[Drivers], fmt: str = "text") -> str:
    """The run's report followed by "which parameters make it likely" (``montecarlo --drivers``): the
    Sobol and Morris ranking of each regime (or of the chosen outcome); JSON gains a ``drivers`` list,
    CSV (one row per regime) is unchanged."""
    if fmt == "csv" or not drivers:
        return render_montecarlo(result, fmt)
    if fmt == "json":
        return json.dumps({**montecarlo_dict(result), "drivers": [drivers_dict(d) for d in drivers]}, indent=2) + "\n"
    blocks: list = [Heading("Which parameters make it likely", 2)]
    for d in drivers:
        blocks += ranking_blocks(d, 3)
    blocks += method_blocks(drivers[0], distributions=False)
    return render_montecarlo(result, fmt) + "\n" + render_blocks(blocks, "markdown" if fmt == "markdown" else "text")
