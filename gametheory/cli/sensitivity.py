"""The ``sensitivity`` and ``sweep`` commands (registered in :mod:`gametheory.cli`).

Both are thin: convert options, call :mod:`gametheory.sensitivity`, render.
Bad input raises :class:`~gametheory.errors.InputError`, which the command
group turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import NamedTuple

import click

from ..errors import InputError
from ._common import (
    command_started,
    echo,
    figure_options,
    figure_settings,
    load_with_overrides,
    out_option,
    parse_vary,
    progress_bar,
    set_option,
    warnings_to_stderr,
    write_output,
)


# ------------------------------------------------------------------- sweep
@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--vary",
    "vary",
    multiple=True,
    required=True,
    metavar="NAME=LO:HI:N",
    help="Vary a parameter over N evenly spaced values from LO to HI (repeatable: a grid).",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario for the other parameters.")
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the results here: .parquet or .csv (streamed, one row per point, any grid size) or .json "
    "(--out, --plot or both).",
)
@click.option(
    "--values",
    is_flag=True,
    help="Also write each equilibrium family's probabilities and payoffs as columns (closed forms).",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Draw to this .png or .svg file: for one varied parameter the equilibrium probabilities and payoffs "
    "along it with the thresholds marked, for two the regime map, for three small multiples of regime maps.",
)
@click.option(
    "--max-points",
    type=int,
    default=None,
    show_default=False,
    help="Refuse grids larger than this (default: no limit for .parquet/.csv, 20,000,000 for .json and --plot).",
)
@click.option(
    "--jobs", type=int, default=None, help="Worker processes for points the closed forms cannot answer (default 2)."
)
@click.option(
    "--resolve-boundary",
    type=int,
    default=None,
    metavar="N",
    help="Solve up to N points on a threshold that its closed forms cannot decide with the exact solver "
    "(default 2000); beyond that they are labelled 'boundary'.",
)
@click.option("--no-cache", is_flag=True, help="Derive the closed forms again instead of reading them from the cache.")
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False),
    default=None,
    help="Record the general solver's answers here chunk by chunk; run again with the same file to resume.",
)
@click.option(
    "--scheduler", default=None, metavar="ADDRESS", help="Solve the points algebra cannot answer on this Dask cluster."
)
@click.option(
    "--commit",
    "leader",
    default=None,
    metavar="LEADER",
    help="Instead of the equilibria: LEADER's best commitment at each point (committed payoff, best and worst "
    "Nash payoff, value of commitment, the committed probabilities), each point solved exactly on its own "
    "(at most 2,000 points unless --max-points).",
)
@figure_options
def sweep(
    file, vary, sets, preset, out, values, plot, max_points, jobs, resolve_boundary, no_cache, checkpoint, scheduler,
    leader, size, dpi,
) -> None:  # fmt: skip
    """The equilibrium set at every point of a parameter grid, with a stable label for each regime.

    Closed forms are derived once (sympy; kept in the user's cache directory
    for the next run) and evaluated with numpy chunk by chunk, so the grid can
    have any number of parameters and points; the exact general solver is
    used only where algebra cannot answer. Points exactly on a threshold are
    flagged in the 'boundary' column and answered by the closed forms of the
    game on that threshold (continua included); the general solver takes
    only the points those cannot decide.

    \b
    Examples:
      gametheory sweep games/deterrence.json --vary x_r=0:15:200 --vary n_us=2:12:200 --out map.csv
      gametheory sweep games/deterrence.json --vary x_r=0:15:1000 --vary m_us=0:4:1000 --out map.parquet
      gametheory sweep games/deterrence.json --vary m_us=0:4:401 --out m_us.json --values
      gametheory sweep games/deterrence.json --vary m_us=0:4:201 --plot m_us.png
      gametheory sweep games/deterrence.json --vary x_r=0:15:300 --vary n_us=2:12:300 --out map.csv --plot map.png
      gametheory sweep games/deterrence.json --vary x_r=0:15:31 --commit US --out commit.csv
    """
    from ..report import sweep_table
    from ..sensitivity.sweep import (
        DEFAULT_MAX_POINTS,
        MAX_STREAM_POINTS,
        base_values_quiet,
        make_grid,
        table_size_estimate,
    )

    if out is None and plot is None:
        raise InputError("give --out FILE (.parquet, .csv or .json), --plot FILE (.png or .svg), or both")
    try:
        fmt = None if out is None else sweep_table.table_format(out)
    except ValueError:
        raise InputError(f"--out must end in .parquet, .csv or .json, got {out!r}") from None
    if plot is not None and not plot.lower().endswith((".png", ".svg")):
        raise InputError(f"--plot must end in .png or .svg, got {plot!r}")
    for option, number in (("--max-points", max_points), ("--jobs", jobs)):
        if number is not None and number < 1:
            raise InputError(f"{option} must be at least 1")
    scenario, overrides = load_with_overrides(file, sets, preset)
    request = parse_vary(vary, complete=True)
    if leader is not None:
        _sweep_commitment(scenario, file, request, overrides, preset, leader, (out, fmt, plot, max_points, values))
        return
    in_memory = fmt in ("json", None) or plot is not None
    limit = max_points or (DEFAULT_MAX_POINTS if in_memory else MAX_STREAM_POINTS)
    options = {
        "jobs": jobs,
        "resolve_boundary": True if resolve_boundary is None else resolve_boundary,
        "cache": not no_cache,
        "checkpoint": checkpoint,
        "scheduler": scheduler,
    }
    with warnings_to_stderr(scenario.file or file):
        grid = make_grid(scenario, request, limit)
        if plot is not None and len(grid.names) > 3:
            raise InputError(
                "--plot draws one varied parameter (a line plot), two (a regime map) or three (small multiples); "
                f"{len(grid.names)} given"
            )
        if plot is not None and len(grid.names) == 1 and out is None:
            with figure_settings(size, dpi):
                _plot_one(scenario, request, overrides, preset, plot)
            return
        if not in_memory:
            _check_disk(out, table_size_estimate(grid.size, len(grid.names), fmt, values))
        base_point = base_values_quiet(scenario, overrides, preset)
        with progress_bar("sweeping the grid") as progress:
            if in_memory:
                result, summary = _sweep_in_memory(scenario, request, overrides, preset, limit, progress, values,
                                                   fmt, out, options)  # fmt: skip
            else:
                summary = _sweep_streamed(scenario, grid, base_point, out, values, progress, options)
    if plot is not None:
        with figure_settings(size, dpi):
            _plot_sweep(scenario, result, request, overrides, preset, plot)
    _echo_summary(summary, time.perf_counter() - command_started(), out, plot, scenario.equilibrium_names)


def _sweep_commitment(scenario, file, request, overrides, preset, leader, options) -> None:
    """``sweep --commit LEADER``: the leader's best commitment at every grid point, written to ``out``
    (``options``: the sweep's ``out``, its format, ``plot``, ``max_points`` and ``values``)."""
    from ..report import sweep_table
    from ..sensitivity.commitgrid import MAX_COMMIT_POINTS, commitment_grid, grid_columns, grid_dict, grid_metadata
    from ..sensitivity.sweep import base_values_quiet, make_grid

    out, fmt, plot, max_points, values = options
    if plot is not None or values:
        raise InputError("--commit writes a table (--out); it takes neither --plot nor --values")
    if out is None:
        raise InputError("--commit needs --out FILE (.parquet, .csv or .json)")
    limit = max_points or MAX_COMMIT_POINTS
    with warnings_to_stderr(scenario.file or file):
        grid = make_grid(scenario, request, limit)
        base_point = base_values_quiet(scenario, overrides, preset)
        with progress_bar("solving the commitment at each point") as progress:
            result = commitment_grid(scenario, grid, base_point, leader, max_points=limit, progress=progress)
    fixed = {k: v for k, v in base_point.items() if k in scenario.parameters and k not in grid.names}
    if fmt == "json":
        sweep_table.write_json(out, grid_dict(result, scenario, fixed))
    else:
        sweep_table.write_table(out, [grid_columns(result)], lambda: grid_metadata(result, scenario, fixed))
    summary = _Summary(grid.size, result.share(), 0, grid.size, result.notes)
    _echo_summary(summary, time.perf_counter() - command_started(), out, None, scenario.equilibrium_names)


class _Summary(NamedTuple):
    points: int
    share: dict[str, int]
    boundary: int
    solved: int
    notes: Sequence[str]
    on_thresholds: int = 0


def _sweep_in_memory(scenario, request, overrides, preset, limit, progress, values, fmt, out, options):
    """Sweep with every point kept (for .json and plots); write ``out`` if given. Returns (result, summary)."""
    from ..report import sweep_table
    from ..sensitivity.sweep import sweep as run_sweep
    from ..sensitivity.sweep import sweep_dict, table_of

    result = run_sweep(scenario, request, base=overrides, preset=preset, max_points=limit, progress=progress,
                       probabilities=values or fmt == "json", **options)  # fmt: skip
    rm = result.regimes
    summary = _Summary(rm.size, rm.share(), int(rm.boundary.sum()), int(rm.solved.sum()), result.notes,
                       rm.on_thresholds)  # fmt: skip
    if fmt == "json":
        sweep_table.write_json(out, sweep_dict(result))
    elif fmt is not None:
        sweep_table.write_table(out, *table_of(result, values=values))
    return result, summary


def _sweep_streamed(scenario, grid, base_point, out, values, progress, options) -> _Summary:
    """Sweep chunk by chunk straight into the table ``out`` (memory does not grow with the grid)."""
    from ..report import sweep_table
    from ..sensitivity.sweep import SweepRun, run_table

    run = SweepRun(scenario, grid, base_point, **options)
    sweep_table.write_table(out, *run_table(run, values=values, progress=progress))
    return _Summary(grid.size, run.share(), run.boundary, run.solved, run.notes, run.on_thresholds)


def _plot_sweep(scenario, result, request, overrides, preset, plot: str) -> None:
    """The plot of a sweep: a line plot (one parameter), a regime map (two) or small multiples (three)."""
    if len(request) == 1:
        _plot_one(scenario, request, overrides, preset, plot, quiet=True)
    elif len(request) == 3:
        from ..report.plots import plot_regime_panels

        plot_regime_panels(result, plot)
    else:
        from ..report.plots import plot_regime_map
        from ..sensitivity.profile import boundary_curves

        used = _values_used(scenario, overrides, preset)
        point = tuple(float(used[name]) for name in request)
        plot_regime_map(result, plot, curves=boundary_curves(scenario, result), baseline=point)


def _check_disk(out: str, need: int) -> None:
    """Refuse a table that would not fit the disk it goes to, with its estimated size."""
    import os
    import shutil

    from .._limits import human_bytes

    folder = os.path.dirname(os.path.abspath(out))
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need > free:
        raise InputError(
            f"the table would take about {human_bytes(need)} and {folder} has {human_bytes(free)} free: "
            "use fewer points, fewer columns (no --values), .parquet instead of .csv, or another disk"
        )


def _echo_summary(summary: _Summary, seconds: float, out: str | None, plot: str | None, names) -> None:
    """The sweep's summary on stderr: its regimes for people (the scenario's names, :mod:`~..report.names`);
    the table file keeps the machine labels."""
    from ..report.names import regime_text

    echo(
        f"{summary.points:,} points in {seconds:.2f} s: {len(summary.share)} regime(s), "
        f"{summary.boundary} on a boundary, {summary.solved} solved by the general solver, "
        f"{summary.on_thresholds} by the closed forms of their threshold",
        err=True,
    )
    for label, count in summary.share.items():
        echo(f"  {count / summary.points:7.1%}  {regime_text(label, names)}", err=True)
    for note in summary.notes:
        echo(f"note: {note}", err=True)
    echo("wrote " + " and ".join(str(f) for f in (out, plot) if f is not None), err=True)


def _values_used(scenario, overrides, preset):
    """The parameter values used (defaults, preset, --set), without repeating the range warnings."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scenario.parameter_values(overrides, preset=preset)


def _plot_one(scenario, grid, overrides, preset, plot: str, *, quiet: bool = False) -> None:
    """The line plot of a one-parameter sweep: every equilibrium's probabilities and payoffs, thresholds marked."""
    from ..report.plots import plot_parameter
    from ..sensitivity.profile import parameter_profile

    [(name, (lo, hi, count))] = grid.items()
    profile = parameter_profile(scenario, name, low=lo, high=hi, points=count, base=overrides, preset=preset)
    plot_parameter(profile, plot)
    if not quiet:
        marks = ", ".join(t.text for t in profile.thresholds) or "none"
        echo(f"{name} from {lo} to {hi}, {count} points: thresholds {marks}; wrote {plot}", err=True)


# ------------------------------------------------------------- sensitivity
@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME",
    help="Examine this parameter (repeatable; default: every parameter the payoffs use).",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--no-conditions", is_flag=True, help="Leave out the closed-form conditions of every family.")
@click.option("--no-statics", is_flag=True, help="Leave out the comparative statics (slow with many players).")
@click.option(
    "--range",
    "search",
    default=None,
    metavar="LO:HI",
    help="Search the one --param between LO and HI instead of its declared range (ends included), "
    "e.g. --param x_r --range 0:20.",
)
@click.option(
    "--commit",
    "leader",
    default=None,
    metavar="LEADER",
    help="Also LEADER's best commitment along each parameter, with the exact values where it changes or "
    "starts to pay (as commit --vary).",
)
@out_option()
def sensitivity(file, params, sets, preset, fmt, no_conditions, no_statics, search, leader, out) -> None:
    """Exact conditions, thresholds and comparative statics of the equilibria of FILE.

    For each parameter (the others at their values), the exact critical values
    where the equilibrium set changes, with the equilibria on each side; the
    sign and formula of the derivative of every mixed probability and payoff;
    and the conditions under which each equilibrium family exists. For a game
    tree, also the exact values where the subgame-perfect (credible) outcome
    changes, which the Nash equilibria of the reduced form often do not show.

    \b
    Examples:
      gametheory sensitivity games/deterrence.json --param x_r --param m_us
      gametheory sensitivity games/guarantee_menu.json --preset force_arms --format markdown
      gametheory sensitivity games/deterrence.json --param n_us --format json
      gametheory sensitivity games/sequencing.json --param pledge_us
      gametheory sensitivity games/deterrence.json --param x_r --range 0:20
      gametheory sensitivity games/deterrence.json --param x_r --commit US

    The ends of each range are searched too: a threshold exactly at an end is
    reported with the equilibria just past it.
    """
    from ..report.sensitivity import report_dict, report_markdown, report_text
    from ..sensitivity import analysis

    scenario, overrides = load_with_overrides(file, sets, preset)
    names = list(params) or sorted(scenario.used_parameters, key=list(scenario.parameters).index)
    from ..sensitivity.sweep import check_parameter

    for name in names:
        check_parameter(scenario, name)
    ranges = None
    if search is not None:
        if len(params) != 1:
            raise InputError(f"--range is for one --param; {len(params)} given")
        lo, sep, hi = search.partition(":")
        if not sep or not lo.strip() or not hi.strip():
            raise InputError(f"--range expects LO:HI (e.g. 0:20), got {search!r}")
        ranges = {params[0]: (lo.strip(), hi.strip())}
    with progress_bar("examining parameters") as progress:
        report = analysis.sensitivity(
            scenario,
            names,
            base=overrides,
            preset=preset,
            conditions=not no_conditions,
            progress=progress,
            ranges=ranges,
            statics=not no_statics,
            leader=leader,
        )
    if fmt == "json":
        text = json.dumps(report_dict(report), indent=2)
    elif fmt == "markdown":
        text = report_markdown(report)
    else:
        text = report_text(report)
    write_output(text, out)
