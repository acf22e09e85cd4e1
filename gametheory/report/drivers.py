"""What drives an outcome, for people (text, Markdown, a ranked bar chart) and programs (JSON).

Reads a :class:`~gametheory.sensitivity.drivers.Drivers` and never recomputes
it. Regimes and regime outcomes are shown by the scenario's names, else the
readable notation (:mod:`.names`); the JSON keeps ``outcome`` as the machine
label (or the text as typed) and adds ``display``. The chart shows, per parameter (largest total index on top), the total
and first-order Sobol indices as bars with their 95% confidence intervals.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .document import Bullets, Heading, Para, Table, render_blocks
from .names import regime_text
from .plots import check_plot_path, save_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..sensitivity.drivers import Drivers

__all__ = [
    "FORMATS",
    "drivers_blocks",
    "drivers_dict",
    "method_blocks",
    "plot_drivers",
    "ranking_blocks",
    "render_drivers",
]

FORMATS = ("text", "markdown", "json")


def _num(x: float | None, places: int = 3) -> str:
    return "-" if x is None else f"{x:.{places}f}"


def _interval(x: float | None, half: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f} ± {half:.3f}" if half is not None else f"{x:.3f}"


def _subject(d: Drivers) -> str:
    """What the indices explain, in words."""
    if d.kind == "payoff":
        rule = {
            "worst": "its worst equilibrium",
            "best": "its best equilibrium",
            "subgame-perfect": "the subgame-perfect equilibrium",
        }.get(d.selection or "", "the payoff-dominant equilibrium")
        return f"{d.player}'s payoff in {rule}"
    if d.kind == "regime":  # the whole equilibrium set, by the scenario's names or the readable notation
        return f"the regime {regime_text(d.outcome, d.names)}"
    return regime_text(d.outcome, d.names)


def _level(d: Drivers) -> str:
    """The quantity's mean, in words."""
    if d.kind == "payoff":
        return f"Its mean over the draws is {d.probability:.4g}."
    return f"The {'regime' if d.kind == 'regime' else 'outcome'} holds at {d.probability:.1%} of the draws."


def ranking_blocks(d: Drivers, level: int = 1) -> list:
    """The heading, the ranked table of indices and the notes of one quantity."""
    rows = [
        [
            str(k),
            i.parameter,
            _interval(i.total, i.total_conf),
            _interval(i.first, i.first_conf),
            _interval(i.mu_star, i.mu_star_conf),
            _num(i.sigma),
        ]
        for k, i in enumerate(d.indices, start=1)
    ]
    top = [i.parameter for i in d.indices[:3]]
    what = "value" if d.kind == "payoff" else "outcome"
    blocks: list = [
        Heading(f"What drives {_subject(d)}", level),
        Para(
            f"{_level(d)} Ranked by the total Sobol index (the share of the {what}'s variance a parameter "
            f"takes part in): {', '.join(top)} {'drive' if len(top) > 1 else 'drives'} it most."
        ),
        Table(["rank", "parameter", "total (ST)", "first order (S1)", "Morris mu*", "Morris sigma"], rows),
    ]
    if d.kind == "payoff":
        blocks.append(Para(f"Where there are several equilibria, the selection rule is {d.selection}."))
    if d.notes:
        blocks.append(Para("Notes: " + "; ".join(d.notes) + "."))
    return blocks


def method_blocks(d: Drivers, *, distributions: bool = True) -> list:
    """How the indices were computed, and the distributions drawn (shared by every quantity of one run)."""
    blocks: list = [
        Para(
            f"Sobol: Saltelli design with N = {d.sobol_n}; Morris: {d.trajectories} trajectories; "
            f"{d.evaluations} evaluations in all, seed {d.seed}; ± are 95% bootstrap confidence half-widths "
            "(SALib). A total index well above the first-order one means the parameter acts through "
            "interactions."
        )
    ]
    if distributions:
        blocks += [
            Heading("Distributions"),
            Bullets([f"{name}: {dist.kind} on [{dist.low}, {dist.high}]" for name, dist in d.distributions.items()]),
        ]
    return blocks


def drivers_blocks(d: Drivers | Sequence[Drivers]) -> list:
    """One quantity's report, or several quantities' from one run (their method and distributions once)."""
    many = list(d) if isinstance(d, Sequence) else [d]
    blocks: list = []
    for one in many:
        blocks += ranking_blocks(one, 1 if len(many) == 1 else 2)
    return blocks + method_blocks(many[0])


def drivers_dict(d: Drivers) -> dict[str, Any]:
    out = {
        "outcome": d.outcome,
        "display": _subject(d),
        "kind": d.kind,
        "file": d.file,
        "probability" if d.kind != "payoff" else "mean": d.probability,
        "ranking": list(d.ranking()),
        "indices": [
            {
                "parameter": i.parameter,
                "total": i.total,
                "total_conf": i.total_conf,
                "first": i.first,
                "first_conf": i.first_conf,
                "mu_star": i.mu_star,
                "mu_star_conf": i.mu_star_conf,
                "sigma": i.sigma,
            }
            for i in d.indices
        ],
        "sobol_n": d.sobol_n,
        "trajectories": d.trajectories,
        "evaluations": d.evaluations,
        "seed": d.seed,
        "distributions": {k: v.as_dict() for k, v in d.distributions.items()},
        "notes": list(d.notes),
    }
    if d.kind == "payoff":
        out.update(player=d.player, selection=d.selection)
    return out


def render_drivers(d: Drivers | Sequence[Drivers], fmt: str = "text") -> str:
    """One quantity's drivers (JSON: an object), or several's (JSON: ``{"drivers": [...]}``)."""
    if fmt == "json":
        data = {"drivers": [drivers_dict(x) for x in d]} if isinstance(d, Sequence) else drivers_dict(d)
        return json.dumps(data, indent=2) + "\n"
    return render_blocks(drivers_blocks(d), fmt)


def plot_drivers(d: Drivers, path: str | os.PathLike | None = None, *, top: int = 16) -> Figure:
    """The ranked bar chart: total and first-order Sobol indices with 95% confidence intervals."""
    check_plot_path(path)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(d.indices[:top])
    y = np.arange(len(shown))[::-1]
    fig = Figure(figsize=(8, 0.45 * len(shown) + 1.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    total = [i.total or 0.0 for i in shown]
    first = [i.first or 0.0 for i in shown]
    ax.barh(y + 0.2, total, height=0.38, xerr=[i.total_conf or 0.0 for i in shown], label="total (ST)", capsize=3)
    ax.barh(y - 0.2, first, height=0.38, xerr=[i.first_conf or 0.0 for i in shown], label="first order (S1)", capsize=3)
    ax.set_yticks(y, [i.parameter for i in shown])
    ax.set_xlabel(
        f"Sobol index (share of the {'value' if d.kind == 'payoff' else 'outcome'}'s variance), 95% confidence intervals"
    )
    ax.set_title(f"What drives {_subject(d)}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.legend(loc="lower right")
    if path is not None:
        save_figure(fig, path)
    return fig
