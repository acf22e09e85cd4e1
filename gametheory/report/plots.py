"""Plots for sensitivity analysis, readable on a projector (PNG or SVG, chosen by the file extension).

* :func:`plot_parameter`: one parameter: each equilibrium's probabilities and
  payoffs against the parameter, thresholds marked by labelled vertical lines
  (data from :func:`parameter_profile`);
* :func:`plot_regime_map`: two parameters: the regime of every grid point of a
  :class:`~gametheory.sensitivity.sweep.SweepResult` in categorical colours,
  with the exact boundary curves of the closed-form families on top;
* :func:`plot_tornado`: a :class:`~gametheory.sensitivity.tornado.TornadoResult`;
* :func:`plot_montecarlo`: the regime shares of a
  :class:`~gametheory.sensitivity.montecarlo.MonteCarloResult` with their
  Wilson intervals as whiskers.

Each function reads a result object (plots never solve games themselves,
except :func:`parameter_profile`, which computes the data of a 1-parameter
plot), returns the matplotlib :class:`~matplotlib.figure.Figure` (for a
notebook) and, given a path, writes the file atomically (temporary file, then
rename). Figures are built with :class:`matplotlib.figure.Figure` and the Agg
canvas, never through ``pyplot``, so no global backend state is touched.
matplotlib is imported only when a plot is made.
"""

from __future__ import annotations

import os
import textwrap
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..scenario import Scenario
    from .montecarlo import MonteCarloResult
    from .sweep import SweepResult
    from .tornado import TornadoResult

__all__ = [
    "ParameterProfile",
    "Threshold",
    "parameter_profile",
    "plot_montecarlo",
    "plot_parameter",
    "plot_regime_map",
    "plot_tornado",
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
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#882255", "#44AA99", "#999933", "#332288", "#DDCC77", "#117733", "#88CCEE", "#AA4499", "#661100",
)
BOUNDARY_COLOUR = "#BBBBBB"


# ------------------------------------------------------------------ helpers
@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield


def _figure(width: float, height: float) -> "Figure":
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _check_path(path: str | os.PathLike | None) -> str | None:
    if path is None:
        return None
    text = os.fspath(path)
    if not text.lower().endswith(FORMATS):
        raise InputError(f"plot file {text}: the name must end in .png or .svg")
    return text


def save_figure(fig: "Figure", path: str | os.PathLike) -> None:
    """Write ``fig`` as PNG or SVG (by extension) through a temporary file: never a half-written plot."""
    text = _check_path(path)
    target = Path(text)
    fmt = target.suffix.lower().lstrip(".")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. glyph warnings for unusual characters in titles
            fig.savefig(tmp, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"cannot write {text}: {exc.strerror}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def wrap_label(label: str, width: int = 56) -> str:
    """A regime label on several lines: one equilibrium family per line, long ones wrapped."""
    parts = label.split(" + ")
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
def plot_montecarlo(result: "MonteCarloResult", path: str | os.PathLike | None = None, *, top: int = 8) -> "Figure":
    """Horizontal bars: the share of draws in each regime, with Wilson-interval whiskers.

    The ``top`` most frequent regimes are drawn; the rest are summed into one
    "other" bar. A second panel shows, for each equilibrium, the share of draws
    whose equilibrium set contains it, when that says more than the first.
    """
    _check_path(path)
    from .montecarlo import RegimeShare, wilson_interval

    regimes = list(result.regimes[:top])
    rest = result.regimes[top:]
    if rest:
        count = sum(r.count for r in rest)
        low, high = wilson_interval(count, result.samples, result.confidence)
        regimes.append(RegimeShare(f"other ({len(rest)} regimes)", count, count / result.samples, low, high))
    families = list(result.families[:top])
    show_families = len(result.families) > 1 and {f.label for f in result.families} != {r.label for r in result.regimes}
    panels = [("Regime (the whole equilibrium set)", regimes)]
    if show_families:
        panels.append(("Draws whose equilibria include...", families))
    heights = [sum(max(1, wrap_label(r.label).count("\n") + 1) for r in items) * 0.42 + 1.2 for _, items in panels]
    pct = int(round(result.confidence * 100))
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
            ax.set_yticks(y, [wrap_label(r.label) for r in items], fontsize=11)
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
def plot_tornado(result: "TornadoResult", path: str | os.PathLike | None = None, *, top: int = 16) -> "Figure":
    """The tornado diagram.

    Right (or alone, without a payoff): one strip per parameter across its
    range, low end on the left, coloured by regime, the baseline marked with a
    black bar; grey cells sit on a threshold. Left (with a payoff): the
    player's selected payoff over the range, a bar from its minimum to its
    maximum, open circle at the parameter's low end, filled circle at its high
    end, dashed line at the baseline. Parameters are ranked by impact, the
    largest on top.
    """
    _check_path(path)
    from matplotlib.patches import Patch

    from ..numtext import parameter_text

    bars = list(result.bars[:top])
    keys = result.regime_keys
    colours = colours_for(list(keys))
    n = len(bars)
    y = np.arange(n)[::-1]
    with_payoff = result.player is not None
    legend_lines = sum(wrap_label(label, 60).count("\n") + 1 for label in keys)
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
        ax_reg.set_xlim(0, 1)
        ax_reg.set_xticks([0, 0.5, 1], ["low end", "middle", "high end"])
        ax_reg.set_yticks(y, [f"{b.parameter}\n{parameter_text(b.low)} .. {parameter_text(b.high)}" for b in bars],
                          fontsize=12)
        ax_reg.set_title("Regime along each parameter's range", loc="left", fontsize=15)
        ax_reg.spines["left"].set_visible(False)
        ax_reg.tick_params(axis="y", length=0)
        for yy, b in zip(y, bars):
            ax_reg.text(1.01, yy, f"{b.changes}", va="center", fontsize=12)
        ax_reg.text(1.01, n - 0.35, "changes", fontsize=11, va="bottom")
        handles = [Patch(color=colours[label], label=f"{key}: {wrap_label(label, 60)}") for label, key in keys.items()]
        handles.append(Patch(color=BOUNDARY_COLOUR, label="on a threshold (degenerate game)"))
        fig.legend(handles=handles, loc="outside lower center", ncols=1, fontsize=11, frameon=False)
        if ax_pay is not None:
            base = float(result.baseline_payoff) if result.baseline_payoff is not None else None
            for yy, b in zip(y, bars):
                if b.payoff_min is None:
                    continue
                lo, hi = float(b.payoff_min), float(b.payoff_max)
                ax_pay.barh(yy, max(hi - lo, 1e-9), left=lo, height=0.6, color="#0072B2", alpha=0.75)
                if b.payoff_at_low is not None:
                    ax_pay.plot(float(b.payoff_at_low), yy, "o", mfc="white", mec="black", ms=9, mew=1.8)
                if b.payoff_at_high is not None:
                    ax_pay.plot(float(b.payoff_at_high), yy, "o", color="black", ms=7)
            if base is not None:
                ax_pay.axvline(base, color="black", ls="--", lw=1.5)
            rule = "lowest" if result.selection == "worst" else "highest"
            ax_pay.set_title(f"{result.player}'s {rule} equilibrium payoff", loc="left", fontsize=15)
            ax_pay.set_xlabel("payoff (o low end, \u25cf high end, dashed: baseline)")
            ax_pay.grid(axis="x", alpha=0.3)
            ax_pay.margins(x=0.06)
            ax_pay.tick_params(axis="y", length=0)
        fig.suptitle(_title(f"Tornado: {result.title}"), fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


# ------------------------------------------------------- one parameter: data
@dataclass(frozen=True)
class Threshold:
    """A parameter value where the equilibrium set changes; ``text`` is exact when ``exact`` is True."""

    value: float
    text: str
    exact: bool = True


@dataclass(frozen=True)
class FamilyTrace:
    """One equilibrium family along the parameter: NaN wherever the family does not exist.

    ``probabilities[i][k]`` (player ``i``, strategy ``k``) and ``payoffs[i]``
    are float arrays over :attr:`ParameterProfile.values`.
    """

    label: str
    probabilities: tuple[tuple[np.ndarray, ...], ...]
    payoffs: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class ParameterProfile:
    """The equilibria of a scenario along one parameter (the data of :func:`plot_parameter`).

    ``how`` is ``"symbolic"`` (closed forms of every equilibrium family,
    evaluated on a fine grid; thresholds exact) or ``"solver"`` (the general
    solver at each grid point; thresholds located between grid points).
    """

    title: str
    parameter: str
    values: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    families: tuple[FamilyTrace, ...]
    thresholds: tuple[Threshold, ...]
    baseline: float
    fixed: Mapping[str, Any] = field(default_factory=dict)
    how: str = "symbolic"
    unit: str = ""


def parameter_profile(
    scenario: "Scenario",
    parameter: str,
    *,
    low: object = None,
    high: object = None,
    points: int = 401,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    thresholds: Any = None,
) -> ParameterProfile:
    """Every equilibrium's probabilities and payoffs as ``parameter`` runs from ``low`` to ``high``.

    The range defaults to the parameter's declared one; the other parameters
    keep their baseline values (defaults, preset, ``base``). Where the closed
    forms of :mod:`gametheory.sensitivity.symbolic` describe the game, they are
    evaluated on ``points`` values and the thresholds are the exact roots of
    the families' existence conditions at which the equilibrium set changes.
    Otherwise the general solver runs at up to 81 exact grid points.
    ``thresholds``: a :class:`~gametheory.sensitivity.thresholds.ParameterThresholds`
    already computed (e.g. by the ``sensitivity`` command) to mark instead,
    with its symbolic forms (``m_us = 2 (= c_us)``).
    """
    from ..scenario import coerce_number
    from .sweep import check_parameter

    check_parameter(scenario, parameter)
    param = scenario.parameters[parameter]
    lo = coerce_number(low, what="low end") if low is not None else param.low
    hi = coerce_number(high, what="high end") if high is not None else param.high
    if lo is None or hi is None:
        raise InputError(f"{parameter} declares no range: give the low and high ends", file=scenario.file)
    if not lo < hi:
        raise InputError(f"the range of {parameter} is empty: {lo} to {hi}", file=scenario.file)
    if isinstance(points, bool) or not isinstance(points, int) or points < 3:
        raise InputError(f"points must be an integer of at least 3, got {points!r}")
    values = scenario.parameter_values(base or {}, preset=preset)
    common = dict(
        title=scenario.title,
        parameter=parameter,
        players=scenario.player_names,
        strategies=scenario.strategies,
        baseline=float(values[parameter]),
        fixed={k: v for k, v in values.items() if k in scenario.parameters and k != parameter},
        unit=param.unit,
    )
    traced = _symbolic_traces(scenario, parameter, values, lo, hi, points)
    how = "symbolic"
    if traced is None:
        traced, how = _solver_traces(scenario, parameter, values, lo, hi, min(points, 81)), "solver"
    grid, families, marks = traced
    if thresholds is not None:
        marks = tuple(_from_thresholds(parameter, thresholds, float(lo), float(hi)))
    return ParameterProfile(values=grid, families=families, thresholds=marks, how=how, **common)


def _from_thresholds(parameter: str, found: Any, lo: float, hi: float) -> Iterator[Threshold]:
    """Marks from a ``ParameterThresholds`` result (exact text, and the symbolic relation when known)."""
    for t in getattr(found, "thresholds", found):
        if not lo <= t.value <= hi:
            continue
        exact = getattr(t, "exact", None)
        text = f"{parameter} = {exact}" if exact else f"{parameter} \u2248 {t.value:.4g}"
        symbolic = getattr(t, "symbolic", None)
        if symbolic:
            text += f" (= {symbolic})"
        yield Threshold(float(t.value), text, bool(exact))


def _symbolic_traces(scenario, parameter, values, lo, hi, points):
    """Closed-form traces and exact thresholds, or None when algebra cannot describe the game."""
    from .symbolic import analyse

    try:
        fs = analyse(scenario, (parameter,), values)
    except InputError:
        raise
    except Exception:  # the symbolic layer could not handle this game: use the solver
        return None
    if not fs.supported or not fs.families:
        return None
    import sympy as sp

    x = fs.symbols[parameter]
    grid = np.linspace(float(lo), float(hi), points)
    compiled = []
    for fam in fs.families:
        conds = [(sp.lambdify(x, fam.explicit(c.expr), "numpy"), c.strict) for c in fam.conditions]
        if fam.radicand is not None:
            conds.append((sp.lambdify(x, fam.radicand, "numpy"), True))
        probs = [[sp.lambdify(x, fam.explicit(p), "numpy") for p in row] for row in fam.probabilities]
        pays = [sp.lambdify(x, fam.explicit(u), "numpy") for u in fam.payoffs]
        compiled.append((fam, conds, probs, pays))

    def holds(at: np.ndarray) -> np.ndarray:
        """Boolean matrix (families x points): does each family exist at each value?"""
        out = np.ones((len(compiled), len(at)), dtype=bool)
        with np.errstate(all="ignore"):
            for f, (_, conds, _, _) in enumerate(compiled):
                for fn, strict in conds:
                    v = np.broadcast_to(np.asarray(fn(at), dtype=float), at.shape)
                    out[f] &= np.isfinite(v) & ((v > 1e-12) if strict else (v >= -1e-12))
        return out

    mask = holds(grid)
    present = [f for f in range(len(compiled)) if mask[f].any()]
    total = {}
    for f in present:
        total[compiled[f][0].label] = total.get(compiled[f][0].label, 0) + 1
    counts: dict[str, int] = {}
    traces = []
    for f in present:
        fam, _, probs, pays = compiled[f]
        counts[fam.label] = counts.get(fam.label, 0) + 1
        label = fam.label if total[fam.label] == 1 else f"{fam.label} (root {counts[fam.label]})"
        with np.errstate(all="ignore"):
            parr = tuple(tuple(_masked(fn(grid), mask[f], grid) for fn in row) for row in probs)
            uarr = tuple(_masked(fn(grid), mask[f], grid) for fn in pays)
        traces.append(FamilyTrace(label, parr, uarr))
    # exact thresholds: real roots of every condition's numerator where the set of families changes
    candidates: dict[str, Any] = {}
    for fam in fs.families:
        exprs = [fam.explicit(c.expr) for c in fam.conditions] + ([fam.radicand] if fam.radicand is not None else [])
        for expr in exprs:
            for root in _real_roots(sp, expr, x, lo, hi):
                candidates.setdefault(str(root), root)
    thresholds = []
    span = float(hi - lo)
    for text, root in candidates.items():
        value = float(root)
        eps = max(1e-7 * span, 1e-9)
        sides = holds(np.array([value - eps, value + eps]))
        if (sides[:, 0] != sides[:, 1]).any():
            thresholds.append(Threshold(value, f"{parameter} = {_exact_text(sp, root)}", True))
    thresholds.sort(key=lambda t: t.value)
    return grid, tuple(traces), tuple(thresholds)


def _masked(values, mask: np.ndarray, grid: np.ndarray) -> np.ndarray:
    arr = np.array(np.broadcast_to(np.asarray(values, dtype=float), grid.shape))
    arr[~mask] = np.nan
    return arr


def _real_roots(sp, expr, x, lo, hi) -> list:
    """Exact real roots in the open interval (lo, hi) of the numerator and denominator of ``expr``."""
    out = []
    num, den = sp.fraction(sp.together(sp.sympify(expr)))
    for part in (num, den):
        if x not in part.free_symbols:
            continue
        try:
            poly = sp.Poly(part, x)
        except sp.PolynomialError:
            continue
        if poly.degree() > 8 or not all(c.is_number for c in poly.all_coeffs()):
            continue
        for root in sp.real_roots(poly):
            if sp.Rational(lo.numerator, lo.denominator) < root < sp.Rational(hi.numerator, hi.denominator):
                out.append(root)
    return out


def _exact_text(sp, root) -> str:
    if root.is_Rational:
        return str(root)
    simple = sp.nsimplify(root) if root.is_algebraic else root
    text = str(simple) if "CRootOf" not in str(simple) else f"{float(root):.6g}"
    return f"{text} \u2248 {float(root):.4g}" if not simple.is_Rational else text


def _solver_traces(scenario, parameter, values, lo, hi, points):
    """Per-point general solver: exact grid values, families grouped by support label."""
    from ..solvers import solve
    from .labels import family_label, regime_label
    from .sweep import full_values

    step = (hi - lo) / (points - 1)
    exact_grid = [lo + k * step for k in range(points)]
    grid = np.array([float(v) for v in exact_grid])
    n = len(scenario.players)
    data: dict[str, dict[int, Any]] = {}
    labels_at: list[str] = []
    for k, v in enumerate(exact_grid):
        point = dict(values)
        point[parameter] = v
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            solution = solve(scenario.game_at(full_values(scenario, {p: point[p] for p in scenario.parameters})))
        seen: dict[str, int] = {}
        for eq in sorted(solution.equilibria, key=lambda e: e.float_profile()):
            base_label = family_label(scenario.strategies, eq.support)
            seen[base_label] = seen.get(base_label, 0) + 1
            label = base_label if seen[base_label] == 1 else f"{base_label} (root {seen[base_label]})"
            data.setdefault(label, {})[k] = (eq.float_profile(), [float(u) for u in eq.payoffs])
        labels_at.append(regime_label(solution))
    traces = []
    for label, at in data.items():
        probs = tuple(
            tuple(np.array([at[k][0][i][s] if k in at else np.nan for k in range(points)]) for s in range(len(strats)))
            for i, strats in enumerate(scenario.strategies)
        )
        pays = tuple(np.array([at[k][1][i] if k in at else np.nan for k in range(points)]) for i in range(n))
        traces.append(FamilyTrace(label, probs, pays))
    # A grid point on a threshold is a degenerate game: a continuum that neither neighbour shares.
    isolated = [
        "continuum(" in labels_at[k] and all(labels_at[j] != labels_at[k] for j in (k - 1, k + 1) if 0 <= j < points)
        for k in range(points)
    ]
    thresholds = []
    previous = None
    for k in range(points):
        if isolated[k]:
            continue
        if previous is not None and labels_at[previous] != labels_at[k]:
            between = [j for j in range(previous + 1, k) if isolated[j]]
            if between:
                j = between[0]
                text = f"{parameter} = {_fraction_text(exact_grid[j])}"
                thresholds.append(Threshold(float(exact_grid[j]), text, True))
            else:
                mid = (grid[previous] + grid[k]) / 2
                thresholds.append(Threshold(mid, f"{parameter} \u2248 {mid:.4g}", False))
        previous = k
    return grid, tuple(traces), tuple(thresholds)


def _fraction_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


# ------------------------------------------------------- one parameter: plot
def plot_parameter(profile: ParameterProfile, path: str | os.PathLike | None = None) -> "Figure":
    """Equilibrium probabilities (top row) and payoffs (bottom row), one column per player.

    One colour per equilibrium family; for a player with two strategies the
    probability of the first is drawn, otherwise each strategy with its own
    line style. Thresholds are dashed vertical lines labelled with their
    exact values; the baseline value is a dotted line.
    """
    _check_path(path)
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
                ax_p.legend(handles=[Line2D([], [], color="black", ls=styles[j % 4], label=strats[s])
                                     for j, s in enumerate(shown)], loc="best", fontsize=11)
        for t in profile.thresholds:
            axes[0, 0].annotate(
                t.text, xy=(t.value, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -4),
                textcoords="offset points", rotation=90, va="top", ha="left", fontsize=12, color="#B22222",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            )
        handles = [Line2D([], [], color=colours[t.label], lw=4, label=wrap_label(t.label, 70)) for t in profile.families]
        handles.append(Line2D([], [], color="#B22222", ls="--", lw=2, label="threshold (the equilibrium set changes)"))
        handles.append(Line2D([], [], color="#555555", ls=":", lw=2, label=f"baseline {profile.parameter} = {profile.baseline:g}"))
        fig.legend(handles=handles, loc="outside lower center", ncols=2 if len(handles) > 4 else 1, frameon=False)
        note = "" if profile.how == "symbolic" else " (general solver on a grid; thresholds approximate)"
        fig.suptitle(_title(f"{profile.title}: equilibria as {profile.parameter} varies{note}", 90),
                     fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


# ---------------------------------------------------------- two parameters
def plot_regime_map(
    result: "SweepResult",
    path: str | os.PathLike | None = None,
    *,
    scenario: "Scenario | None" = None,
    boundaries: bool = True,
    resolution: int = 400,
) -> "Figure":
    """The regime at every point of a 2-parameter sweep, with exact boundary curves on top.

    Regions are coloured by regime (legend with the labels; ``boundary``
    points grey). With ``scenario`` given and ``boundaries`` true, each
    equilibrium family's existence conditions (closed forms from
    :mod:`gametheory.sensitivity.symbolic`) are evaluated on a
    ``resolution`` x ``resolution`` grid and the curves where one of them
    turns zero at the edge of the family's region are drawn and listed, solved
    for the vertical-axis parameter where sympy can (e.g. G6's
    ``mu_res = (v_e - c_e*(1 - s_us*pi_us))/(v_e + k_e*(1 - r_us*pi_us))`` with the
    other parameters at their values).
    """
    _check_path(path)
    if len(result.parameters) != 2:
        raise InputError(f"a regime map needs a sweep over exactly 2 parameters, this one has {len(result.parameters)}")
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    px, py = result.parameters
    ax_x, ax_y = result.axes[px], result.axes[py]
    rm = result.regimes
    shares = rm.share()
    codes = np.asarray(rm.codes)
    edge = np.asarray(rm.boundary, dtype=bool)
    # regimes seen only at threshold points (degenerate games) are drawn grey, with one legend entry
    only_edge = {k for k in range(len(rm.regimes)) if shares.get(rm.regimes[k]) and edge[codes == k].all()}
    order = sorted((k for k in range(len(rm.regimes)) if shares.get(rm.regimes[k]) and k not in only_edge),
                   key=lambda k: -shares[rm.regimes[k]])
    colours = colours_for([rm.regimes[k] for k in order])
    for k in only_edge:
        colours[rm.regimes[k]] = BOUNDARY_COLOUR
    cmap = ListedColormap([colours.get(label, "white") for label in rm.regimes] or ["white"])
    curves = _boundary_curves(scenario, result, resolution) if (scenario is not None and boundaries) else []
    with _style():
        fig = _figure(12, 9.3 + 0.32 * sum(wrap_label(rm.regimes[k], 70).count("\n") + 1 for k in order) + 0.3 * len(curves))
        ax = fig.subplots(1, 1)
        dx = (ax_x[-1] - ax_x[0]) / max(1, len(ax_x) - 1) / 2
        dy = (ax_y[-1] - ax_y[0]) / max(1, len(ax_y) - 1) / 2
        ax.imshow(
            rm.codes.T, origin="lower", cmap=cmap, vmin=-0.5, vmax=len(rm.regimes) - 0.5, interpolation="nearest",
            extent=(ax_x[0] - dx, ax_x[-1] + dx, ax_y[0] - dy, ax_y[-1] + dy), aspect="auto",
        )
        handles = [Patch(color=colours[rm.regimes[k]], label=f"{wrap_label(rm.regimes[k], 70)}  ({shares.get(rm.regimes[k], 0) / max(1, rm.size):.0%})")
                   for k in order]
        if only_edge:
            handles.append(Patch(color=BOUNDARY_COLOUR, label=f"on a threshold (degenerate games, {len(only_edge)} regime(s))"))
        dashes = ["-", "--", "-.", ":"]
        for j, (text, segments) in enumerate(curves):
            style = dashes[j % len(dashes)]
            for seg in segments:
                ax.plot(seg[:, 0], seg[:, 1], color="black", lw=2.6, ls=style)
            handles.append(Line2D([], [], color="black", lw=2.6, ls=style, label=f"exact boundary: {text}"))
        ax.set_xlabel(px)
        ax.set_ylabel(py)
        ax.set_xlim(ax_x[0] - dx, ax_x[-1] + dx)
        ax.set_ylim(ax_y[0] - dy, ax_y[-1] + dy)
        fig.legend(handles=handles, loc="outside lower center", ncols=1, frameon=False, fontsize=11)
        fig.suptitle(_title(f"{result.title}: regimes over ({px}, {py})", 80), fontsize=18, fontweight="bold")
        if path is not None:
            save_figure(fig, path)
    return fig


def _boundary_curves(scenario: "Scenario", result: "SweepResult", resolution: int) -> list[tuple[str, list[np.ndarray]]]:
    """(equation text, polyline segments) for each distinct exact boundary inside the map."""
    from .symbolic import analyse

    px, py = result.parameters
    values = dict(result.fixed)
    try:
        fs = analyse(scenario, (px, py), {**values, px: 0, py: 0})
    except Exception:  # no closed forms for this game: the map alone
        return []
    if not fs.supported:
        return []
    import sympy as sp

    sx, sy = fs.symbols[px], fs.symbols[py]
    gx = np.linspace(result.axes[px][0], result.axes[px][-1], resolution)
    gy = np.linspace(result.axes[py][0], result.axes[py][-1], resolution)
    X, Y = np.meshgrid(gx, gy)
    found: dict[str, list[np.ndarray]] = {}

    def evaluate(expr) -> np.ndarray:
        with np.errstate(all="ignore"):
            out = sp.lambdify((sx, sy), expr, "numpy")(X, Y)
        return np.broadcast_to(np.asarray(out, dtype=float), X.shape)

    for fam in fs.families:
        exprs = [fam.explicit(c.expr) for c in fam.conditions]
        if fam.radicand is not None:
            exprs.append(fam.radicand)
        if not exprs:
            continue
        vals = [evaluate(e) for e in exprs]
        ok = [np.isfinite(v) & (v >= -1e-12) for v in vals]
        for k, (expr, v) in enumerate(zip(exprs, vals)):
            others = np.ones(X.shape, dtype=bool)
            for j, o in enumerate(ok):
                if j != k:
                    others &= o
            if not others.any() or not np.any(np.isfinite(v)) or np.nanmin(v) > 0 or np.nanmax(v) < 0:
                continue
            # each irreducible factor of the numerator is its own curve (e.g. (mu - 1)*(4*pi - 1))
            num, den = sp.fraction(sp.together(expr))
            factors = [f for f, _ in sp.factor_list(num)[1] if f.free_symbols] + \
                      [f for f, _ in sp.factor_list(den)[1] if f.free_symbols]
            for factor in factors:
                z = np.where(others & np.isfinite(v), evaluate(factor), np.nan)
                segments = [seg for seg in _zero_contour(gx, gy, z) if not _on_frame(seg, gx, gy)]
                if segments:
                    found.setdefault(_solved_text(sp, factor, sx, sy), []).extend(segments)
    return _distinct_curves(found, gx, gy)


def _distinct_curves(found: Mapping[str, list[np.ndarray]], gx: np.ndarray, gy: np.ndarray):
    """Drop curves that lie on top of one already kept (two conditions vanishing on the same
    boundary); shorter equations are preferred. Distances are measured in plot units."""
    sx = max(1e-12, abs(gx[-1] - gx[0]))
    sy = max(1e-12, abs(gy[-1] - gy[0]))
    kept: list[tuple[str, list[np.ndarray], np.ndarray]] = []
    for text in sorted(found, key=len):
        segments = found[text]
        pts = np.concatenate(segments) / [sx, sy]
        sample = pts[:: max(1, len(pts) // 200)]
        duplicate = False
        for _, _, other in kept:
            d = np.sqrt(((sample[:, None, :] - other[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            if np.all(d < 0.01):
                duplicate = True
                break
        if not duplicate:
            kept.append((text, segments, pts[:: max(1, len(pts) // 2000)]))
    return [(text, segments) for text, segments, _ in kept]


def _zero_contour(gx: np.ndarray, gy: np.ndarray, z: np.ndarray) -> list[np.ndarray]:
    """Polylines of z = 0 (NaN cells skipped), via matplotlib's contour generator."""
    import contourpy

    gen = contourpy.contour_generator(gx, gy, np.ma.masked_invalid(z))
    return [seg for seg in gen.lines(0.0) if len(seg) >= 2]


def _on_frame(seg: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> bool:
    """True for a polyline lying along the edge of the map (e.g. ``mu_res = 0`` at the bottom):
    the edge of the plotted range, not a boundary between regimes."""
    tol_x = 1e-9 * max(1.0, abs(gx[-1] - gx[0]))
    tol_y = 1e-9 * max(1.0, abs(gy[-1] - gy[0]))
    x, y = seg[:, 0], seg[:, 1]
    return bool(
        np.all(np.abs(x - gx[0]) <= tol_x) or np.all(np.abs(x - gx[-1]) <= tol_x)
        or np.all(np.abs(y - gy[0]) <= tol_y) or np.all(np.abs(y - gy[-1]) <= tol_y)
    )


def _tidy(sp, expr):
    """A rational function written with as few minus signs as possible: (3*x + 4)/(22 - 6*x)."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    if den == 1:
        return sp.expand(num)

    def negatives(e) -> int:
        return sum(1 for t in sp.Add.make_args(sp.expand(e)) if t.could_extract_minus_sign())

    if negatives(-num) + negatives(-den) < negatives(num) + negatives(den):
        num, den = -num, -den
    return sp.Mul(sp.expand(num), sp.Pow(sp.expand(den), -1, evaluate=False), evaluate=False)


#: Longer boundary equations are not printed in a legend (``gametheory sensitivity`` gives them).
MAX_EQUATION = 70


def _solved_text(sp, expr, sx, sy) -> str:
    """``y = f(x)`` (or ``x = c``) for the zero set of ``expr`` when sympy solves it simply."""
    num = sp.numer(sp.together(expr))
    for target in (sy, sx):
        try:
            sols = sp.solve(num, target)
        except Exception:  # pragma: no cover - sympy cannot solve it
            sols = []
        if len(sols) == 1:
            text = f"{target} = {sp.sstr(_tidy(sp, sols[0]))}"
            if len(text) <= MAX_EQUATION:
                return text
    text = f"{sp.sstr(sp.factor(num))} = 0"
    return text if len(text) <= MAX_EQUATION else f"a curve where a closed form changes sign ({len(text)}-character equation)"
