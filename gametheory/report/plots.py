"""Plots of results, readable on a projector (PNG or SVG, chosen by the file extension).

* :func:`plot_parameter`: one parameter: each equilibrium's probabilities and
  payoffs against the parameter, thresholds marked by labelled vertical lines
  (a :class:`~gametheory.sensitivity.profile.ParameterProfile`);
* :func:`plot_regime_map`: two parameters: the regime of every grid point of a
  :class:`~gametheory.sensitivity.sweep.SweepResult` in categorical colours,
  with the exact boundary curves of the closed-form families on top
  (:func:`gametheory.sensitivity.profile.boundary_curves`);
* :func:`plot_regime_panels`: three parameters: small multiples of regime maps,
  one per value of the third parameter;
* :func:`plot_tornado`: a :class:`~gametheory.sensitivity.tornado.TornadoResult`;
* :func:`plot_montecarlo`: the regime shares of a
  :class:`~gametheory.sensitivity.montecarlo.MonteCarloResult` with their
  Wilson intervals as whiskers;
* :func:`plot_trajectory`: a learning :class:`~gametheory.dynamics.Trajectory`,
  in the unit square for 2x2 games, as probabilities over time otherwise.

Each function draws a result computed elsewhere (a plot never solves a game
nor evaluates a closed form), returns the matplotlib
:class:`~matplotlib.figure.Figure` (for a notebook) and, given a path, writes
the file atomically (:func:`gametheory._io.atomic_write`). Figures are built
with :class:`matplotlib.figure.Figure` and the Agg canvas, never through
``pyplot``, so no global backend state is touched. matplotlib is imported only
when a plot is made.
"""

from __future__ import annotations

import math
import os
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._io import atomic_write
from ..errors import InputError
from ..numtext import parameter_text
from .names import Names, regime_parts, regime_text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..dynamics import Trajectory
    from ..game import NormalFormGame
    from ..sensitivity.montecarlo import MonteCarloResult
    from ..sensitivity.profile import BoundaryCurve, ParameterProfile
    from ..sensitivity.sweep import SweepResult
    from ..sensitivity.tornado import TornadoResult
    from ..solution import Equilibrium, Solution

__all__ = [
    "check_plot_path",
    "plot_montecarlo",
    "plot_parameter",
    "plot_regime_map",
    "plot_regime_panels",
    "plot_tornado",
    "plot_trajectory",
    "save_figure",
]

FORMATS = (".png", ".svg")
#: Font sizes chosen to stay legible when projected.
STYLE = {
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "gametheory",
}
#: Qualitative colours: Okabe & Ito (2008), then Paul Tol's "muted" scheme; both colour-blind safe.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#882255",
    "#44AA99",
    "#999933",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#AA4499",
    "#661100",
)
BOUNDARY_COLOUR = "#BBBBBB"


# ------------------------------------------------------------------ helpers
@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def check_plot_path(path: str | os.PathLike | None) -> str | None:
    """``path`` as text, or None; an :class:`InputError` unless it ends in ``.png`` or ``.svg``.

    Called before any work, so that a misnamed plot file fails at once.
    """
    return None if path is None else _plot_file(path)


def _plot_file(path: str | os.PathLike) -> str:
    text = os.fspath(path)
    if not text.lower().endswith(FORMATS):
        raise InputError(f"plot file {text}: the name must end in .png or .svg")
    return text


#: ``(size in inches or None, dpi or None)`` for every figure saved in the current context (``--size``, ``--dpi``).
FIGURE_OPTIONS: ContextVar[tuple[tuple[float, float] | None, int | None]] = ContextVar(
    "FIGURE_OPTIONS", default=(None, None)
)


@contextmanager
def figure_options(size: tuple[float, float] | None = None, dpi: int | None = None) -> Iterator[None]:
    """Save every figure of the block at ``size`` (width, height in inches) and ``dpi`` (e.g. for slides)."""
    if size is not None and (len(size) != 2 or min(size) <= 0 or max(size) > 100):
        raise InputError(f"a figure size is WIDTHxHEIGHT in inches, each above 0 and at most 100; got {size}")
    if dpi is not None and not 10 <= dpi <= 1200:
        raise InputError(f"dpi must be between 10 and 1200, got {dpi}")
    token = FIGURE_OPTIONS.set((size, dpi))
    try:
        yield
    finally:
        FIGURE_OPTIONS.reset(token)


def sized(fig: Figure, default_dpi: int) -> int:
    """Give ``fig`` the size of :func:`figure_options` when one is set; the dpi to save at (its dpi, else
    ``default_dpi``)."""
    size, dpi = FIGURE_OPTIONS.get()
    if size is not None:
        fig.set_size_inches(*size)
    return dpi or default_dpi


def save_figure(fig: Figure, path: str | os.PathLike) -> None:
    """Write ``fig`` as PNG or SVG (by extension) atomically: never a half-written plot.

    SVG files carry no date, so the same figure always gives the same bytes.
    """
    text = _plot_file(path)
    fmt = Path(text).suffix.lower().lstrip(".")

    def draw(handle) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. glyph warnings for unusual characters in titles
            dpi = sized(fig, 150)
            fig.savefig(handle, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)

    atomic_write(text, draw, binary=True)


def wrap_label(label: str, width: int = 56, names: Names | None = None) -> str:
    """A regime label for people (:mod:`.names`: the scenario's names, else one notation) on several lines:
    one equilibrium family per line, long ones wrapped."""
    parts = regime_parts(label, names) or [regime_text(label)]
    lines = []
    for k, part in enumerate(parts):
        text = part if k == 0 else "+ " + part
        lines.extend(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False) or [text])
    return "\n".join(lines)


def colours_for(labels: Sequence[str]) -> dict[str, str]:
    """A stable colour per regime label (``boundary`` in grey)."""
    out: dict[str, str] = {}
    k = 0
    for label in labels:
        if label in out:
            continue
        if label in ("boundary", "unknown"):
            out[label] = BOUNDARY_COLOUR
        else:
            out[label] = PALETTE[k % len(PALETTE)]
            k += 1
    return out


def _title(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


# -------------------------------------------------------------- Monte Carlo
def plot_montecarlo(result: MonteCarloResult, path: str | os.PathLike | None = None, *, top: int = 8) -> Figure:
    """Horizontal bars: the share of draws in each regime, with Wilson-interval whiskers.

    The ``top`` most frequent regimes are drawn; the rest are summed into one
    "other" bar. A second panel shows, for each equilibrium, the share of draws
    whose equilibrium set contains it, when that says more than the first.
    """
    check_plot_path(path)
    regimes = list(result.regimes[:top])
    rest = result.regimes[top:]
    if rest:
        regimes.append(result.combined_share([r.label for r in rest], f"other ({len(rest)} regimes)"))
    families = list(result.families[:top])
    show_families = len(result.families) > 1 and {f.label for f in result.families} != {r.label for r in result.regimes}
    panels = [("Regime (the whole equilibrium set)", regimes)]
    if show_families:
        panels.append(("Draws whose equilibria include...", families))
    heights = [
        sum(max(1, wrap_label(r.label, names=result.names).count("\n") + 1) for r in items) * 0.42 + 1.2
        for _, items in panels
    ]
    pct = round(result.confidence * 100)
    with _style():
        fig = _figure(13, sum(heights) + 1.6)
        axes = fig.subplots(len(panels), 1, height_ratios=heights, squeeze=False)[:, 0]
        colours = colours_for([r.label for r in result.regimes])
        for ax, (heading, items) in zip(axes, panels):
            y = np.arange(len(items))[::-1]
            shares = np.array([r.share for r in items])
            err = np.array([[r.share - r.low for r in items], [r.high - r.share for r in items]])
            colour = [colours.get(r.label, "#888888") for r in items] if ax is axes[0] else "#4C72B0"
            ax.barh(y, shares, color=colour, alpha=0.9, height=0.7)
            ax.errorbar(shares, y, xerr=err, fmt="none", ecolor="black", elinewidth=1.6, capsize=5)
            for yy, r in zip(y, items):
                ax.text(r.high + 0.01, yy, f"{r.share:.1%}  ({r.count})", va="center", fontsize=12)
            ax.set_yticks(y, [wrap_label(r.label, names=result.names) for r in items], fontsize=11)
            ax.set_xlim(0, min(1.0, max(r.high for r in items) + 0.18))
            ax.xaxis.set_major_formatter(_percent())
            ax.set_title(heading, loc="left", fontsize=15)
            ax.grid(axis="x", alpha=0.3)
        axes[-1].set_xlabel(f"share of {result.samples:,} draws (whiskers: {pct}% Wilson interval)")
        fig.suptitle(_title(f"Monte Carlo: {result.title}"), fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


# ------------------------------------------------------------------ tornado
def plot_tornado(result: TornadoResult, path: str | os.PathLike | None = None, *, top: int = 16) -> Figure:
    """The tornado diagram.

    Right (or alone, without a payoff): one strip per parameter across its
    range, low end on the left, coloured by regime, the baseline marked with a
    black bar; grey cells sit on a threshold. Left (with a payoff): the
    player's selected payoff over the range, a bar from its minimum to its
    maximum, open circle at the parameter's low end, filled circle at its high
    end, dashed line at the baseline. Parameters are ranked by impact, the
    largest on top.
    """
    check_plot_path(path)
    from matplotlib.patches import Patch

    bars = list(result.bars[:top])
    keys = result.regime_keys
    colours = colours_for(list(keys))
    n = len(bars)
    y = np.arange(n)[::-1]
    with_payoff = result.player is not None
    legend_lines = sum(wrap_label(label, 60, result.names).count("\n") + 1 for label in keys)
    with _style():
        fig = _figure(15 if with_payoff else 12, 0.55 * n + 2.8 + 0.3 * legend_lines)
        if with_payoff:
            ax_pay, ax_reg = fig.subplots(1, 2, width_ratios=[1, 1.25], sharey=True)
        else:
            ax_reg = fig.subplots(1, 1)
            ax_pay = None
        # regime strips
        for yy, b in zip(y, bars):
            step = 1 / max(1, len(b.values) - 1)  # grid value k sits at k*step; its cell is centred there
            edges = b.on_threshold
            for k, label in enumerate(b.labels):
                colour = BOUNDARY_COLOUR if edges[k] else colours.get(label, "#888888")
                left, right = max(0.0, (k - 0.5) * step), min(1.0, (k + 0.5) * step)
                ax_reg.barh(yy, right - left, left=left, height=0.7, color=colour, edgecolor="none")
            if b.high != b.low:
                pos = float((b.baseline - b.low) / (b.high - b.low))
                ax_reg.plot([pos, pos], [yy - 0.42, yy + 0.42], color="black", lw=3)
                for t in b.thresholds.thresholds if b.thresholds is not None else ():
                    at = (t.value - float(b.low)) / float(b.high - b.low)
                    ax_reg.plot([at, at], [yy - 0.36, yy + 0.36], color="white", lw=1.2, ls=(0, (2, 1.5)))
        ax_reg.set_xlim(0, 1)
        ax_reg.set_xticks([0, 0.5, 1], ["low end", "middle", "high end"])
        ax_reg.set_yticks(
            y, [f"{b.parameter}\n{parameter_text(b.low)} .. {parameter_text(b.high)}" for b in bars], fontsize=12
        )
        ax_reg.set_title("Regime along each parameter's range", loc="left", fontsize=15)
        ax_reg.spines["left"].set_visible(False)
        ax_reg.tick_params(axis="y", length=0)
        for yy, b in zip(y, bars):
            ax_reg.text(1.01, yy, f"{b.changes}", va="center", fontsize=12)
        ax_reg.text(1.01, n - 0.35, "changes", fontsize=11, va="bottom")
        handles = [
            Patch(color=colours[label], label=f"{key}: {wrap_label(label, 60, result.names)}")
            for label, key in keys.items()
        ]
        handles.append(Patch(color=BOUNDARY_COLOUR, label="on a threshold (degenerate game)"))
        fig.legend(handles=handles, loc="outside lower center", ncols=1, fontsize=11, frameon=False)
        if ax_pay is not None:
            base = float(result.baseline_payoff) if result.baseline_payoff is not None else None
            for yy, b in zip(y, bars):
                if b.payoff_min is None:
                    continue
                lo, hi = float(b.payoff_min), float(b.payoff_max)
                both = b.best_min is not None
                ax_pay.barh(
                    yy + (0.17 if both else 0),
                    max(hi - lo, 1e-9),
                    left=lo,
                    height=0.3 if both else 0.6,
                    color="#0072B2",
                    alpha=0.75,
                )
                ends = [(yy + (0.17 if both else 0), b.payoff_at_low, b.payoff_at_high)]
                if both:
                    best_lo, best_hi = float(b.best_min), float(b.best_max)
                    ax_pay.barh(yy - 0.17, max(best_hi - best_lo, 1e-9), left=best_lo, height=0.3, color="#E69F00")
                    ends.append((yy - 0.17, b.best_payoffs[0], b.best_payoffs[-1]))
                for at, low_end, high_end in ends:
                    if low_end is not None:
                        ax_pay.plot(float(low_end), at, "o", mfc="white", mec="black", ms=9, mew=1.8)
                    if high_end is not None:
                        ax_pay.plot(float(high_end), at, "o", color="black", ms=7)
            if base is not None:
                ax_pay.axvline(base, color="black", ls="--", lw=1.5)
            rule = {"worst": "lowest", "best": "highest", "both": "worst (blue) and best (orange)"}[result.selection]
            ax_pay.set_title(f"{result.player}'s {rule}\nequilibrium payoff", loc="left", fontsize=15)
            ax_pay.set_xlabel("payoff (o low end, \u25cf high end, dashed: baseline)")
            ax_pay.grid(axis="x", alpha=0.3)
            ax_pay.use_sticky_edges = False  # bars stick to their ends: without this an end marker is clipped
            ax_pay.margins(x=0.06)
            ax_pay.tick_params(axis="y", length=0)
        fig.suptitle(_title(f"Tornado: {result.title}"), fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


# ------------------------------------------------------- one parameter: plot
def _short(text: str) -> str:
    """A threshold's value for a tick label: ``m_us = 2 (= c_us)`` -> ``2 (= c_us)``."""
    return text.split(" = ", 1)[-1]


def plot_parameter(profile: ParameterProfile, path: str | os.PathLike | None = None) -> Figure:
    """Equilibrium probabilities (top row) and payoffs (bottom row), one column per player.

    One colour per equilibrium family; for a player with two strategies the
    probability of the first is drawn, otherwise each strategy with its own
    line style. Thresholds are dashed vertical lines, their exact values
    written above the top row (never over a curve); the baseline value is a dotted line.
    """
    check_plot_path(path)
    from matplotlib.lines import Line2D

    players = profile.players
    n = len(players)
    colours = colours_for([t.label for t in profile.families])
    styles = ["-", "--", ":", "-."]
    x = profile.values
    unit = f" ({profile.unit})" if profile.unit and profile.unit not in ("util",) else ""
    with _style():
        fig = _figure(max(9.0, 5.2 * n), 9.5 + 0.35 * len(profile.families))
        axes = fig.subplots(2, n, sharex=True, squeeze=False)
        for i, player in enumerate(players):
            strats = profile.strategies[i]
            shown = [0] if len(strats) == 2 else list(range(len(strats)))
            ax_p, ax_u = axes[0, i], axes[1, i]
            for trace in profile.families:
                colour = colours[trace.label]
                width = 2.2 if trace.label.startswith("pure(") else 3.2
                for j, s in enumerate(shown):
                    ax_p.plot(x, trace.probabilities[i][s], color=colour, lw=width, ls=styles[j % 4], alpha=0.9)
                ax_u.plot(x, trace.payoffs[i], color=colour, lw=width, alpha=0.9)
            what = f"P({strats[0]})" if len(strats) == 2 else "probabilities"
            ax_p.set_title(f"{player}: {what}", loc="left")
            ax_p.set_ylim(-0.05, 1.05)
            ax_u.set_title(f"{player}: payoff", loc="left")
            ax_u.set_xlabel(profile.parameter + unit)
            for ax in (ax_p, ax_u):
                ax.grid(alpha=0.3)
                ax.axvline(profile.baseline, color="#555555", ls=":", lw=1.5)
                for t in profile.thresholds:
                    ax.axvline(t.value, color="#B22222", ls="--", lw=1.8)
            if len(shown) > 1:
                ax_p.legend(
                    handles=[
                        Line2D([], [], color="black", ls=styles[j % 4], label=strats[s]) for j, s in enumerate(shown)
                    ],
                    loc="best",
                    fontsize=11,
                )
        if profile.thresholds:  # labelled above the top row, outside the data: a label never hides a curve
            for ax in axes[0]:
                top = ax.secondary_xaxis("top")
                top.set_xticks(
                    [t.value for t in profile.thresholds], labels=[_short(t.text) for t in profile.thresholds]
                )
                top.tick_params(colors="#B22222", labelsize=11, labelrotation=45)
        handles = [
            Line2D([], [], color=colours[t.label], lw=4, label=wrap_label(t.label, 70, profile.names))
            for t in profile.families
        ]
        handles.append(Line2D([], [], color="#B22222", ls="--", lw=2, label="threshold (the equilibrium set changes)"))
        handles.append(
            Line2D([], [], color="#555555", ls=":", lw=2, label=f"baseline {profile.parameter} = {profile.baseline:g}")
        )
        fig.legend(handles=handles, loc="outside lower center", ncols=2 if len(handles) > 4 else 1, frameon=False)
        note = "" if profile.how == "symbolic" else " (general solver on a grid; thresholds approximate)"
        fig.suptitle(
            _title(f"{profile.title}: equilibria as {profile.parameter} varies{note}", 90),
            fontsize=18,
            fontweight="bold",
        )
        if path is not None:
            save_figure(fig, path)
    return fig


# ---------------------------------------------------------- two parameters
def plot_regime_map(
    result: SweepResult,
    path: str | os.PathLike | None = None,
    *,
    curves: Sequence[BoundaryCurve] = (),
    baseline: tuple[float, float] | None = None,
) -> Figure:
    """The regime at every point of a 2-parameter sweep, with exact boundary curves on top.

    ``baseline``: the values used (defaults, preset, ``--set``) of the two parameters, marked
    with a star. Boundary curves get their own dash pattern and width (earlier ones wider),
    so two curves that run together still show as two.

    Regions are coloured by regime (legend with the labels; ``boundary``
    points grey). ``curves``, the exact boundaries from
    :func:`gametheory.sensitivity.profile.boundary_curves`, are drawn in black
    and listed with their equations (e.g. G6's
    ``mu_res = (v_e - c_e*(1 - s_us*pi_us))/(v_e + k_e*(1 - r_us*pi_us))`` with the
    other parameters at their values).
    """
    check_plot_path(path)
    if len(result.parameters) != 2:
        raise InputError(f"a regime map needs a sweep over exactly 2 parameters, this one has {len(result.parameters)}")
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D

    px, py = result.parameters
    ax_x, ax_y = result.axes[px], result.axes[py]
    rm = result.regimes
    colouring = _regime_colours(rm)
    _, order, _, colours = colouring
    cmap = ListedColormap([colours.get(label, "white") for label in rm.regimes] or ["white"])
    with _style():
        fig = _figure(
            12,
            9.3
            + 0.32 * sum(wrap_label(rm.regimes[k], 70, result.names).count("\n") + 1 for k in order)
            + 0.3 * len(curves),
        )
        ax = fig.subplots(1, 1)
        dx = (ax_x[-1] - ax_x[0]) / max(1, len(ax_x) - 1) / 2
        dy = (ax_y[-1] - ax_y[0]) / max(1, len(ax_y) - 1) / 2
        ax.imshow(
            rm.codes.T,
            origin="lower",
            cmap=cmap,
            vmin=-0.5,
            vmax=len(rm.regimes) - 0.5,
            interpolation="nearest",
            extent=(ax_x[0] - dx, ax_x[-1] + dx, ax_y[0] - dy, ax_y[-1] + dy),
            aspect="auto",
        )
        handles = _regime_handles(rm, colouring, result.names, 70, "on a threshold (degenerate games, {} regime(s))")
        dashes = ["-", "--", "-.", ":"]
        inks = ["black", "#444444", "#7F0000", "#00305F"]
        for j, curve in enumerate(curves):
            style, ink, width = dashes[j % len(dashes)], inks[j % len(inks)], 2.0 + 1.6 * (len(curves) - 1 - j)
            for seg in curve.segments:
                ax.plot(seg[:, 0], seg[:, 1], color=ink, lw=width, ls=style)
            handles.append(Line2D([], [], color=ink, lw=width, ls=style, label=f"exact boundary: {curve.equation}"))
        if baseline is not None:
            ax.plot(*baseline, marker="*", ms=22, mfc="white", mec="black", mew=1.8, ls="none", zorder=5)
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="*",
                    ms=16,
                    mfc="white",
                    mec="black",
                    ls="none",
                    label=f"values used: {px} = {baseline[0]:g}, {py} = {baseline[1]:g}",
                )
            )
        ax.set_xlabel(px)
        ax.set_ylabel(py)
        ax.set_xlim(ax_x[0] - dx, ax_x[-1] + dx)
        ax.set_ylim(ax_y[0] - dy, ax_y[-1] + dy)
        fig.legend(handles=handles, loc="outside lower center", ncols=1, frameon=False, fontsize=11)
        fig.suptitle(_title(f"{result.title}: regimes over ({px}, {py})", 80), fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


def _regime_handles(rm, colouring: tuple, names, width: int, edge_text: str) -> list:
    """The legend of a regime map coloured by ``colouring`` (:func:`_regime_colours`): a patch per regime
    in legend order with its share of the points, and one grey patch for the regimes seen only on
    thresholds (``edge_text`` formats their count)."""
    from matplotlib.patches import Patch

    shares, order, only_edge, colours = colouring
    handles = [
        Patch(
            color=colours[rm.regimes[k]],
            label=f"{wrap_label(rm.regimes[k], width, names)}  ({shares.get(rm.regimes[k], 0) / max(1, rm.size):.0%})",
        )
        for k in order
    ]
    if only_edge:
        handles.append(Patch(color=BOUNDARY_COLOUR, label=edge_text.format(len(only_edge))))
    return handles


def _regime_colours(rm) -> tuple[dict[str, int], list[int], set[int], dict[str, str]]:
    """(point counts, regimes in legend order, regimes seen only on thresholds, colour of each label).

    Regimes seen only at threshold points (degenerate games) are drawn grey, with one legend entry.
    """
    shares = rm.share()
    codes = np.asarray(rm.codes)
    edge = np.asarray(rm.boundary, dtype=bool)
    only_edge = {k for k in range(len(rm.regimes)) if shares.get(rm.regimes[k]) and edge[codes == k].all()}
    order = sorted(
        (k for k in range(len(rm.regimes)) if shares.get(rm.regimes[k]) and k not in only_edge),
        key=lambda k: -shares[rm.regimes[k]],
    )
    colours = colours_for([rm.regimes[k] for k in order])
    for k in only_edge:
        colours[rm.regimes[k]] = BOUNDARY_COLOUR
    return shares, order, only_edge, colours


#: Most panels :func:`plot_regime_panels` draws (evenly spaced values of the third parameter).
MAX_PANELS = 9


def plot_regime_panels(result: SweepResult, path: str | os.PathLike | None = None) -> Figure:
    """Small multiples of a 3-parameter sweep: one regime map over the first two parameters per value of the third.

    At most :data:`MAX_PANELS` panels, at evenly spaced values of the third
    parameter (all of them when there are fewer), sharing one colour per regime
    and one legend. The exact boundary curves are drawn only on 2-parameter
    maps (:func:`plot_regime_map`); here the boundaries are the grid's.
    """
    check_plot_path(path)
    if len(result.parameters) != 3:
        raise InputError(
            f"small multiples need a sweep over exactly 3 parameters, this one has {len(result.parameters)}"
        )
    from matplotlib.colors import ListedColormap

    px, py, pz = result.parameters
    ax_x, ax_y, ax_z = (result.axes[p] for p in result.parameters)
    rm = result.regimes
    colouring = _regime_colours(rm)
    _, order, _, colours = colouring
    cmap = ListedColormap([colours.get(label, "white") for label in rm.regimes] or ["white"])
    picks = sorted(set(np.linspace(0, len(ax_z) - 1, min(MAX_PANELS, len(ax_z))).round().astype(int).tolist()))
    columns = min(3, len(picks))
    rows = -(-len(picks) // columns)
    with _style():
        fig = _figure(5.2 * columns, 4.6 * rows + 2.0 + 0.32 * len(order))
        axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)).ravel()
        dx = (ax_x[-1] - ax_x[0]) / max(1, len(ax_x) - 1) / 2
        dy = (ax_y[-1] - ax_y[0]) / max(1, len(ax_y) - 1) / 2
        for ax, k in zip(axes, picks):
            ax.imshow(rm.codes[:, :, k].T, origin="lower", cmap=cmap, vmin=-0.5, vmax=len(rm.regimes) - 0.5,
                      interpolation="nearest", extent=(ax_x[0] - dx, ax_x[-1] + dx, ax_y[0] - dy, ax_y[-1] + dy),
                      aspect="auto")  # fmt: skip
            ax.set_title(f"{pz} = {ax_z[k]:g}", fontsize=12)
            ax.set_xlabel(px)
            ax.set_ylabel(py)
        for ax in axes[len(picks) :]:
            ax.set_visible(False)
        handles = _regime_handles(rm, colouring, result.names, 90, "on a threshold ({} regime(s))")
        fig.legend(handles=handles, loc="outside lower center", ncols=1, frameon=False, fontsize=11)
        fig.suptitle(_title(f"{result.title}: regimes over ({px}, {py}) for values of {pz}", 90), fontsize=16,
                     fontweight="bold")  # fmt: skip
        if path is not None:
            save_figure(fig, path)
    return fig


# ------------------------------------------------------ learning dynamics
def _equilibrium_profiles(equilibria) -> list[tuple[tuple[float, ...], ...]]:
    if equilibria is None:
        return []
    items = getattr(equilibria, "equilibria", equilibria)
    return [tuple(tuple(float(p) for p in probs) for probs in getattr(e, "profile", e)) for e in items]


def plot_trajectory(
    traj: Trajectory,
    path: str | os.PathLike | None = None,
    *,
    game: NormalFormGame | None = None,
    equilibria: Solution | Sequence[Equilibrium] | None = None,
) -> Figure:
    """Draw a trajectory; write it to ``path`` (PNG or SVG by extension, atomically) when given.

    2x2 games (players with a single strategy, e.g. after fixing one, aside):
    the path in the unit square, P(first player plays its first strategy)
    across and P(second player plays its first strategy) up, with
    arrows along the way, the start (circle), the end (square) and the
    equilibria (stars; the one the run converges to is filled). Otherwise one
    panel per player: each strategy's probability against time (a step plot
    for best responses), with the probabilities of the equilibrium the run
    converges to (or, failing that, the nearest) as dashed lines. ``game``
    only supplies a title when the trajectory has none. Built on matplotlib's
    Agg canvas, never pyplot; fonts sized for a projector.
    """
    check_plot_path(path)
    title = traj.title or (game.title if game is not None else "")
    eqs = _equilibrium_profiles(equilibria)
    shape = tuple(s.shape[1] for s in traj.steps)
    pair = _square_pair(shape)
    heading = _title(f"{traj.label}: {title}" if title else traj.label, 48 if pair is not None else 64)
    with _style():
        if pair is not None:
            fig = _figure(8.5, 9.0)
            ax = fig.subplots()
            _draw_square(ax, traj, eqs, pair)
        else:
            n = len(shape)
            fig = _figure(11.0, 2.2 + 3.3 * n)
            axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
            _draw_series(axes, traj, eqs, PALETTE)
        fig.suptitle(heading, fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


def _status(traj: Trajectory) -> str:
    if traj.converged_to is not None:
        return f"converges to equilibrium {traj.converged_to + 1}"
    if traj.cycles:
        return "cycles"
    return "settles" if traj.settled else "still moving at the end"


def _square_pair(shape: Sequence[int]) -> tuple[int, int] | None:
    """The two players of a 2x2 game (players with a single strategy aside), else None."""
    two = [i for i, n in enumerate(shape) if n == 2]
    if len(two) == 2 and all(n == 1 for i, n in enumerate(shape) if i not in two):
        return two[0], two[1]
    return None


def _arrow_points(x: np.ndarray, y: np.ndarray, most: int = 10, apart: float = 0.08) -> list[int]:
    """Where to put arrowheads on a curve: evenly along its length, but never two within
    ``apart`` of each other (a path that goes round many times would otherwise pile them up)."""
    step = np.hypot(np.diff(x), np.diff(y))
    arc = np.concatenate(([0.0], np.cumsum(step)))
    if arc[-1] <= 0:
        return []
    chosen: list[int] = []
    for target in np.linspace(0, arc[-1], 8 * most + 2)[1:-1]:
        t = int(np.searchsorted(arc, target))
        t = min(max(t, 1), len(x) - 1)
        if step[t - 1] <= 1e-12:
            continue
        if all(math.hypot(x[t] - x[c], y[t] - y[c]) >= apart for c in chosen):
            chosen.append(t)
            if len(chosen) == most:
                break
    return chosen


def _draw_square(ax, traj: Trajectory, eqs, pair: tuple[int, int]) -> None:
    r, c = pair
    x, y = traj.steps[r][:, 0], traj.steps[c][:, 0]
    colour = "#0072B2"
    ax.plot(x, y, color=colour, lw=2.5, alpha=0.9, zorder=2)
    # arrows along the path: between successive distinct points, at most about 12 of them
    if traj.method == "best_response":
        # best responses jump corner to corner: one arrow along each distinct edge
        edges = dict.fromkeys((x[t - 1], y[t - 1], x[t], y[t]) for t in range(1, len(x)))
        for x0, y0, x1, y1 in edges:
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                zorder=3,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": colour,
                    "lw": 2.5,
                    "mutation_scale": 26,
                    "shrinkA": 14,
                    "shrinkB": 14,
                },
            )
    else:
        for t in _arrow_points(x, y):
            ax.annotate(
                "",
                xy=(x[t], y[t]),
                xytext=(x[t - 1], y[t - 1]),
                zorder=3,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": colour,
                    "lw": 2,
                    "mutation_scale": 24,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
    ax.plot(x[0], y[0], "o", ms=22, mfc="none", mec="#009E73", mew=3.5, label="start", zorder=4)
    ax.plot(x[-1], y[-1], "s", ms=11, color="#D55E00", label="end", zorder=4)
    for k, prof in enumerate(eqs):
        filled = traj.converged_to == k
        ax.plot(
            prof[r][0],
            prof[c][0],
            "*",
            ms=24,
            mec="black",
            mew=1.5,
            mfc="#F0E442" if filled else "white",
            zorder=5,
            label=("equilibrium reached" if filled else "equilibrium")
            if filled or k == min((j for j in range(len(eqs)) if j != traj.converged_to), default=None)
            else None,
        )
        ax.annotate(
            str(k + 1),
            (prof[r][0], prof[c][0]),
            xytext=(10, 8),
            textcoords="offset points",
            fontsize=14,
            fontweight="bold",
        )
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal")
    ax.set_xlabel(f"P({traj.players[r]} plays {traj.strategies[r][0]})")
    ax.set_ylabel(f"P({traj.players[c]} plays {traj.strategies[c][0]})")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, frameon=False)
    ax.set_title(_status(traj), loc="left")


def _draw_series(axes, traj: Trajectory, eqs, palette) -> None:
    target = traj.converged_to if traj.converged_to is not None else traj.nearest
    styles = ["-", "--", ":", "-."]
    for i, ax in enumerate(axes):
        for k, name in enumerate(traj.strategies[i]):
            colour = palette[k % len(palette)]
            if traj.method == "best_response":
                ax.step(traj.times, traj.steps[i][:, k], where="post", color=colour, lw=2.8, label=name)
            else:
                ax.plot(traj.times, traj.steps[i][:, k], color=colour, lw=2.8, label=name)
            if target is not None and target < len(eqs):
                value = eqs[target][i][k]
                shared = sum(abs(v - value) < 1e-9 for v in eqs[target][i]) > 1  # e.g. 1/3 for all three
                ax.axhline(value, color="#555555" if shared else colour, lw=1.6, ls=styles[1], alpha=0.8)
        ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel("probability")
        ax.set_title(traj.players[i], loc="left")
        ax.grid(alpha=0.3)
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    axis = {"best_response": "move", "fictitious_play": "round", "replicator": "time"}[traj.method]
    axes[-1].set_xlabel(axis)
    status = _status(traj)
    if target is not None and target < len(eqs):
        status += ", dashed" if target == traj.converged_to else f"; dashed: the nearest equilibrium, {target + 1}"
    axes[0].set_title(f"{traj.players[0]}    ({status})", loc="left")
