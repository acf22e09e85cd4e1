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
    required=True,
    type=click.Path(dir_okay=False),
    help="Write the results here: .parquet or .csv (streamed, one row per point, any grid size) or .json.",
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
    help="Also draw the regime map to this .png or .svg file (2 parameters; small multiples for 3).",
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
    help="Solve up to N points that sit exactly on a threshold with the exact solver (default 2000); "
    "beyond that they are labelled 'boundary'.",
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
def sweep(
    file, vary, sets, preset, out, values, plot, max_points, jobs, resolve_boundary, no_cache, checkpoint, scheduler
) -> None:
    """The equilibrium set at every point of a parameter grid, with a stable label for each regime.

    Closed forms are derived once (sympy; kept in the user's cache directory
    for the next run) and evaluated with numpy chunk by chunk, so the grid can
    have any number of parameters and points; the exact general solver is
    used only where algebra cannot answer. Points exactly on a threshold are
    flagged in the 'boundary' column.

    \b
    Examples:
      gametheory sweep games/deterrence.json --vary x_r=0:15:200 --vary n_us=2:12:200 --out map.csv
      gametheory sweep games/deterrence.json --vary x_r=0:15:1000 --vary m_us=0:4:1000 --out map.parquet
      gametheory sweep games/deterrence.json --vary m_us=0:4:401 --out m_us.json --values
      gametheory sweep games/deterrence.json --vary x_r=0:15:300 --vary n_us=2:12:300 --out map.csv --plot map.png
    """
    from ..report import sweep_table
    from ..sensitivity.sweep import (
        DEFAULT_MAX_POINTS,
        MAX_STREAM_POINTS,
        SweepRun,
        base_values_quiet,
        make_grid,
        run_table,
        sweep_dict,
        table_of,
        table_size_estimate,
    )
    from ..sensitivity.sweep import sweep as run_sweep

    started = time.perf_counter()
    try:
        fmt = sweep_table.table_format(out)
    except ValueError:
        raise InputError(f"--out must end in .parquet, .csv or .json, got {out!r}") from None
    if plot is not None and not plot.lower().endswith((".png", ".svg")):
        raise InputError(f"--plot must end in .png or .svg, got {plot!r}")
    for option, number in (("--max-points", max_points), ("--jobs", jobs)):
        if number is not None and number < 1:
            raise InputError(f"{option} must be at least 1")
    scenario, overrides = load_with_overrides(file, sets, preset)
    request = parse_vary(vary, complete=True)
    in_memory = fmt == "json" or plot is not None
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
        if plot is not None and len(grid.names) not in (2, 3):
            raise InputError(
                f"--plot draws a regime map of 2 varied parameters, or small multiples of 3; {len(grid.names)} given"
            )
        if not in_memory:
            _check_disk(out, table_size_estimate(grid.size, len(grid.names), fmt, values))
        base_point = base_values_quiet(scenario, overrides, preset)
        with progress_bar("sweeping the grid") as progress:
            if in_memory:
                result = run_sweep(
                    scenario,
                    request,
                    base=overrides,
                    preset=preset,
                    max_points=limit,
                    progress=progress,
                    probabilities=values or fmt == "json",
                    **options,
                )
                rm = result.regimes
                summary = _Summary(rm.size, rm.share(), int(rm.boundary.sum()), int(rm.solved.sum()), result.notes)
                if fmt == "json":
                    sweep_table.write_json(out, sweep_dict(result))
                else:
                    sweep_table.write_table(out, *table_of(result, values=values))
            else:
                run = SweepRun(scenario, grid, base_point, **options)
                sweep_table.write_table(out, *run_table(run, values=values, progress=progress))
                summary = _Summary(grid.size, run.share(), run.boundary, run.solved, run.notes)
    if plot is not None and len(grid.names) == 3:
        from ..report.plots import plot_regime_panels

        plot_regime_panels(result, plot)
    elif plot is not None:
        from ..report.plots import plot_regime_map
        from ..sensitivity.profile import boundary_curves

        plot_regime_map(result, plot, curves=boundary_curves(scenario, result))
    _echo_summary(summary, time.perf_counter() - started, out, plot)  # fmt: skip


class _Summary(NamedTuple):
    points: int
    share: dict[str, int]
    boundary: int
    solved: int
    notes: Sequence[str]


def _check_disk(out: str, need: int) -> None:
    """Refuse a table that would not fit the disk it goes to, with its estimated size."""
    import os
    import shutil

    from ..sensitivity.sweep import human_bytes

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


def _echo_summary(summary: _Summary, seconds: float, out: str, plot: str | None) -> None:
    click.echo(
        f"{summary.points:,} points in {seconds:.2f} s: {len(summary.share)} regime(s), "
        f"{summary.boundary} on a boundary, {summary.solved} solved by the general solver",
        err=True,
    )
    for label, count in summary.share.items():
        click.echo(f"  {count / summary.points:7.1%}  {label}", err=True)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"wrote {out}" + (f" and {plot}" if plot else ""), err=True)


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
@out_option()
def sensitivity(file, params, sets, preset, fmt, no_conditions, out) -> None:
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
    """
    from ..report.sensitivity import report_dict, report_markdown, report_text
    from ..sensitivity import analysis

    scenario, overrides = load_with_overrides(file, sets, preset)
    names = list(params) or sorted(scenario.used_parameters, key=list(scenario.parameters).index)
    from ..sensitivity.sweep import check_parameter

    for name in names:
        check_parameter(scenario, name)
    with progress_bar("examining parameters") as progress:
        report = analysis.sensitivity(
            scenario,
            names,
            base=overrides,
            preset=preset,
            conditions=not no_conditions,
            progress=progress,
        )
    if fmt == "json":
        text = json.dumps(report_dict(report), indent=2)
    elif fmt == "markdown":
        text = report_markdown(report)
    else:
        text = report_text(report)
    write_output(text, out)
