"""Command-line commands for uncertainty analysis: ``montecarlo`` and ``tornado``.

A thin layer over :mod:`gametheory.sensitivity.montecarlo`,
:mod:`gametheory.sensitivity.tornado` and :mod:`gametheory.report.plots`:
each command converts its options, calls one library function, renders the
result and writes files atomically. Library errors are :class:`InputError`
(exit code 2, translated by the application group in :mod:`gametheory.cli`,
where the commands are registered).
"""

from __future__ import annotations

import click

from ..errors import InputError
from ._common import (
    SET_HELP,
    echo,
    figure_options,
    figure_settings,
    load,
    out_option,
    parse_assignments,
    parse_sets,
    progress_bar,
    set_option,
    warnings_to_stderr,
    write_output,
)

#: The value ``--drivers`` takes without an outcome: explain every regime.
REGIMES = "regimes"

DIST_HELP = (
    "Draw a parameter from a distribution instead of the file's: NAME=KIND[:KEY=VALUE,...], e.g. "
    "x_r=triangular:mode=5, k_e=normal:mean=12,sd=4, v_e=beta:alpha=2,beta=5, m_us=uniform, c_us=fixed "
    "(repeatable)."
)


def _parse_dists(items: tuple[str, ...]) -> dict[str, str]:
    return parse_assignments(items, "--dist", "NAME=KIND[:KEY=VALUE,...]", example="x_r=triangular:mode=5", unique=True)


def _check_extension(path: str | None, allowed: tuple[str, ...], option: str) -> None:
    if path is not None and not path.lower().endswith(allowed):
        raise InputError(f"{option} {path}: the file name must end in {' or '.join(allowed)}")


@click.command(name="montecarlo")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--samples", "-n", type=int, default=1000, show_default=True, help="Number of parameter draws.")
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Random seed (a non-negative integer); the same seed gives the same draws. Default: a fresh "
    "seed, printed with the results (or the checkpoint's seed when resuming).",
)
@click.option("--dist", "dists", multiple=True, metavar="NAME=KIND[:ARGS]", help=DIST_HELP)
@set_option("Hold a parameter fixed at a value instead of drawing it (repeatable).")
@click.option(
    "--preset", default=None, help="Apply a preset; the parameters it sets are held fixed unless given --dist."
)
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False),
    default=None,
    help="Progress log, one line per finished chunk; rerun the same command to resume an interrupted run.",
)
@click.option(
    "--chunk-size",
    type=int,
    default=None,
    help="Draws per chunk (the unit of checkpointing, of worker tasks and of Dask tasks; results do not depend "
    "on it). Default: 50000 with the closed forms, 50 with the general solver.",
)
@click.option(
    "--jobs",
    type=int,
    default=None,
    help="Worker processes on this machine (default 2; ignored with --scheduler).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run the chunks on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs pip install 'gametheory[dask]').",
)
@click.option("--confidence", type=float, default=0.95, show_default=True, help="Level of the Wilson intervals.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "csv"]),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@out_option("Also write the shares to this file: .json (everything) or .csv (one row per regime).")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Draw the regime shares with their confidence intervals (.png or .svg).",
)
@click.option(
    "--drivers",
    "drivers_of",
    is_flag=False,
    flag_value=REGIMES,
    default=None,
    metavar="[OUTCOME]",
    help="Also say which parameters make each regime likely (Sobol and Morris indices, as in the drivers "
    'command), or with a value an outcome\'s (e.g. --drivers "Europe=deploy").',
)
@figure_options
def montecarlo_command(
    file,
    samples,
    seed,
    dists,
    sets,
    preset,
    checkpoint,
    chunk_size,
    jobs,
    scheduler,
    confidence,
    fmt,
    out,
    plot,
    drivers_of,
    size,
    dpi,
) -> None:
    """Draw the parameters of FILE from their distributions and report how often each regime occurs.

    Each parameter is drawn from the distribution its scenario declares (uniform
    over its range by default). At every draw the whole equilibrium set is
    classified; the output gives the share of draws in each regime, with Wilson
    confidence intervals, and the share containing each equilibrium.

    \b
    Examples:
      gametheory montecarlo games/deterrence.json --samples 10000 --seed 1
      gametheory montecarlo games/deterrence.json -n 10000 --seed 1 --dist x_r=triangular:mode=8 --set m_us=2
      gametheory montecarlo games/uncertain_resolve.json -n 100000 --seed 7 --checkpoint run.ckpt --out shares.csv --plot shares.png
      gametheory montecarlo games/deterrence.json -n 1000000 --seed 1 --scheduler tcp://127.0.0.1:8786
    """  # noqa: E501 (the help prints these example commands verbatim, one a line)
    from ..report.montecarlo import montecarlo_csv, render_with_drivers
    from ..sensitivity.drivers import montecarlo_drivers
    from ..sensitivity.montecarlo import monte_carlo

    _check_extension(out, (".json", ".csv"), "--out")
    _check_extension(plot, (".png", ".svg"), "--plot")
    scenario = load(file)
    done = {"draws": 0}
    try:
        with warnings_to_stderr(file), progress_bar("drawing") as bar:

            def progress(count: int, total: int) -> None:
                done["draws"] = count
                if bar is not None:
                    bar(count, total)

            result = monte_carlo(
                scenario,
                samples,
                seed,
                distributions=_parse_dists(dists),
                base=parse_sets(sets),
                preset=preset,
                chunk_size=chunk_size,
                checkpoint=checkpoint,
                scheduler=scheduler,
                jobs=jobs,
                confidence=confidence,
                progress=progress,
            )
    except KeyboardInterrupt:
        if checkpoint:
            echo(
                f"interrupted: {done['draws']} of {samples} draws are saved in {checkpoint}; "
                "run the same command again to resume",
                err=True,
            )
        else:
            echo("interrupted (nothing saved: use --checkpoint FILE to make a run resumable)", err=True)
        raise click.exceptions.Exit(130) from None
    drivers = ()
    if drivers_of is not None:
        with warnings_to_stderr(file):
            drivers = montecarlo_drivers(
                scenario,
                result,
                None if drivers_of == REGIMES else drivers_of,
                distributions=_parse_dists(dists),
                base=parse_sets(sets),
                preset=preset,
            )
    if out is not None:
        write_output(
            montecarlo_csv(result) if out.lower().endswith(".csv") else render_with_drivers(result, drivers, "json"),
            out,
        )
    if plot is not None:
        from ..report.plots import plot_montecarlo

        with figure_settings(size, dpi):
            plot_montecarlo(result, plot)
    write_output(render_with_drivers(result, drivers, fmt), None)


@click.command(name="tornado")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--payoff",
    "player",
    default=None,
    metavar="PLAYER",
    help="Also rank by the swing of this player's equilibrium payoff.",
)
@click.option(
    "--selection",
    type=click.Choice(["both", "worst", "best"]),
    default="both",
    show_default=True,
    help="Which equilibrium payoff, when there are several: the band from the player's lowest to its highest "
    "(both), the lowest (worst) or the highest (best).",
)
@click.option(
    "--grid-only",
    is_flag=True,
    help="Locate regime changes between grid points only; by default they are also found exactly, "
    "as `sensitivity` finds them (slower).",
)
@click.option("--points", type=int, default=21, show_default=True, help="Grid points across each parameter's range.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME",
    help="Only move these parameters (repeatable; default: every parameter with a range).",
)
@set_option(SET_HELP + " Changes the baseline.")
@click.option("--preset", default=None, help="Use a named preset of the scenario as the baseline.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@out_option()
@click.option("--plot", type=click.Path(dir_okay=False), default=None, help="Draw the tornado diagram (.png or .svg).")
@figure_options
def tornado_command(
    file, player, selection, grid_only, points, params, sets, preset, fmt, out, plot, size, dpi
) -> None:
    """Move each parameter of FILE across its declared range, the others at baseline, and rank them by impact.

    For each parameter: the regimes met along its range and how often the
    regime changes, at the exact thresholds; with --payoff, the swing of that
    player's equilibrium payoffs (the band from its worst to its best equilibrium,
    or with --selection worst/best one of them).

    \b
    Examples:
      gametheory tornado games/deterrence.json
      gametheory tornado games/deterrence.json --payoff Europe --plot tornado.png
      gametheory tornado games/uncertain_resolve.json --payoff Europe --selection best --format markdown
    """
    from ..report.tornado import render_tornado
    from ..sensitivity.tornado import tornado

    _check_extension(plot, (".png", ".svg"), "--plot")
    scenario = load(file)
    with warnings_to_stderr(file):
        result = tornado(
            scenario,
            payoff_player=player,
            selection=selection,
            points=points,
            parameters=list(params) or None,
            base=parse_sets(sets),
            preset=preset,
            exact_thresholds=not grid_only,
        )
    if plot is not None:
        from ..report.plots import plot_tornado

        with figure_settings(size, dpi):
            plot_tornado(result, plot)
    write_output(render_tornado(result, fmt), out)
