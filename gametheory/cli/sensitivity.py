"""The ``sensitivity`` and ``sweep`` commands (registered in :mod:`gametheory.cli`).

Both are thin: convert options, call :mod:`gametheory.sensitivity`, render.
Bad input raises :class:`~gametheory.errors.InputError`, which the command
group turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ._common import (
    echo,
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
    help="Write the results here: .csv (one row per point) or .json.",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw the regime map (2-parameter sweeps) to this .png or .svg file.",
)
@click.option(
    "--max-points",
    type=int,
    default=None,
    show_default=False,
    help="Refuse grids larger than this (default 4,000,000 points).",
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
def sweep(file, vary, sets, preset, out, plot, max_points, jobs, resolve_boundary) -> None:
    """The equilibrium set at every point of a parameter grid, with a stable label for each regime.

    Closed forms are derived once (sympy) and evaluated with numpy over the
    whole grid; the exact general solver is used only where algebra cannot
    answer. Points exactly on a threshold are flagged in the 'boundary' column.

    \b
    Examples:
      gametheory sweep games/deterrence.json --vary x_r=0:15:200 --vary n_us=2:12:200 --out map.csv
      gametheory sweep games/deterrence.json --vary m_us=0:4:401 --out m_us.json
      gametheory sweep games/deterrence.json --vary x_r=0:15:300 --vary n_us=2:12:300 --out map.csv --plot map.png
    """
    from ..sensitivity.sweep import DEFAULT_MAX_POINTS, check_grid, write_csv, write_json
    from ..sensitivity.sweep import sweep as run_sweep

    lower = out.lower()
    if not lower.endswith((".csv", ".json")):
        raise InputError(f"--out must end in .csv or .json, got {out!r}")
    if plot is not None and not plot.lower().endswith((".png", ".svg")):
        raise InputError(f"--plot must end in .png or .svg, got {plot!r}")
    if max_points is not None and max_points < 1:
        raise InputError("--max-points must be at least 1")
    if jobs is not None and jobs < 1:
        raise InputError("--jobs must be at least 1")
    scenario, overrides = load_with_overrides(file, sets, preset)
    grid = parse_vary(vary, complete=True)
    limit = max_points or DEFAULT_MAX_POINTS
    with warnings_to_stderr(scenario.file or file):
        check_grid(scenario, grid, limit)
        if plot is not None and len(grid) != 2:
            raise InputError(f"--plot draws a regime map of 2 varied parameters; {len(grid)} given")
        with progress_bar("solving points off the closed forms") as progress:
            result = run_sweep(
                scenario,
                grid,
                base=overrides,
                preset=preset,
                max_points=limit,
                jobs=jobs,
                progress=progress,
                resolve_boundary=True if resolve_boundary is None else resolve_boundary,
            )
    (write_json if lower.endswith(".json") else write_csv)(result, out)
    if plot is not None:
        from ..report.plots import plot_regime_map
        from ..sensitivity.profile import boundary_curves

        plot_regime_map(result, plot, curves=boundary_curves(scenario, result))
    rm = result.regimes
    echo(
        f"{rm.size:,} points in {result.elapsed:.2f} s: {len(rm.regimes)} regime(s), "
        f"{int(rm.boundary.sum())} on a boundary, {int(rm.solved.sum())} solved by the general solver",
        err=True,
    )
    for label, count in rm.share().items():
        echo(f"  {count / rm.size:7.1%}  {label}", err=True)
    for note in result.notes:
        echo(f"note: {note}", err=True)
    echo(f"wrote {out}" + (f" and {plot}" if plot else ""), err=True)


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
