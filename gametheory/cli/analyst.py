"""The analyst's commands: ``compare`` (two settings side by side), ``region`` (where an outcome
holds) and ``drivers`` (what makes it likely).

Each command parses its options, calls one library function and writes what a
renderer returns.
"""

from __future__ import annotations

import click

from ..errors import InputError
from ..formats import load
from ._common import (
    load_with_overrides,
    out_option,
    parse_assignments,
    parse_sets,
    set_option,
    warnings_to_stderr,
    write_output,
)

VS = "--vs"
#: The rules of sensitivity.drivers.SELECTIONS (not imported here: the command line starts without numpy).
PAYOFF_SELECTIONS = ("worst", "best", "payoff-dominant", "subgame-perfect")


def param_option(help: str):
    """The repeatable ``--param NAME`` option (the command receives ``params``)."""
    return click.option("--param", "params", multiple=True, metavar="NAME", help=help)


def format_option(*formats: str):
    """The ``--format`` option of these commands (the first format is the default)."""
    return click.option(
        "--format", "fmt", type=click.Choice(formats), default=formats[0], show_default=True, help="Output format."
    )


class _SplitAtVs(click.Command):
    """A command whose arguments after ``--vs`` describe the second side (kept aside for the command)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if VS in args:
            at = args.index(VS)
            right, shared = _shared_options(args[at + 1 :])
            ctx.meta["vs"] = right
            args = args[:at] + shared
        return super().parse_args(ctx, args)


#: Options of the whole command that may also be written after ``--vs``.
SHARED = ("--format", "--out")


def _shared_options(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split the tokens after ``--vs`` into the second side's and the whole command's (``--format``, ``--out``)."""
    side: list[str] = []
    shared: list[str] = []
    it = iter(tokens)
    for token in it:
        if token in SHARED:
            shared += [token, next(it, "")]
        elif token.startswith(tuple(f"{name}=" for name in SHARED)):
            shared.append(token)
        else:
            side.append(token)
    return side, shared


def _right_side(tokens: list[str]) -> tuple[str | None, tuple[str, ...], str | None]:
    """The second side, ``[FILE] [--set NAME=VALUE]... [--preset NAME]``, as (file, sets, preset)."""
    file, sets, preset = None, [], None
    it = iter(tokens)
    for token in it:
        if token in ("--set", "--preset"):
            value = next(it, None)
            if value is None:
                raise InputError(f"{VS} ... {token} needs a value")
            if token == "--set":
                sets.append(value)
            else:
                preset = value
        elif token.startswith("--set="):
            sets.append(token.removeprefix("--set="))
        elif token.startswith("-") or file is not None:
            raise InputError(
                f"after {VS} give only the second side: [FILE] [--set NAME=VALUE]... [--preset NAME]; got {token!r}"
            )
        else:
            file = token
    return file, tuple(sets), preset


@click.command(cls=_SplitAtVs)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="A parameter of the first side (repeatable).")
@click.option("--preset", default=None, help="A preset of the first side.")
@format_option("text", "markdown", "html", "json")
@out_option()
@click.pass_context
def compare(ctx, files, sets, preset, fmt, out) -> None:
    """Two settings of a game side by side: what differs.

    The first side is FILE with --set and --preset; after --vs come the second
    side's [FILE2] [--set NAME=VALUE]... [--preset NAME] (two files with the same
    players can also be given as FILE FILE2). Shows the parameters and payoff
    cells that differ, the equilibria matched between the sides with each
    player's payoffs, the thresholds crossed in between, and for a game tree
    which threats and promises change credibility.

    \b
    Examples:
      gametheory compare games/sequencing.json --set pledge_us=0 --vs --set pledge_us=2
      gametheory compare games/guarantee_menu.json --preset art5_like --vs --preset assurances
      gametheory compare games/deterrence.json --vs --set m_us=2.1 --format markdown
    """
    from ..report.compare import render_compare
    from ..sensitivity.compare import compare as compare_sides
    from ..sensitivity.compare import side

    if len(files) > 2:
        raise InputError(f"compare takes one or two files, got {len(files)}")
    right_file, right_sets, right_preset = _right_side(ctx.meta.get("vs", []))
    if len(files) == 2 and right_file is not None:
        raise InputError(f"two files before {VS} and one after it: give the second file once")
    left_file = files[0]
    right_file = right_file or (files[1] if len(files) == 2 else left_file)
    if right_file == left_file and VS not in ctx.meta and "vs" not in ctx.meta:
        raise InputError(f"give the second side after {VS} (e.g. --vs --set x_r=4), or a second file")
    left_scenario = load(left_file)
    right_scenario = left_scenario if right_file == left_file else load(right_file)
    with warnings_to_stderr(left_file):
        left = side(left_scenario, parse_sets(sets), preset=preset, name=_name(sets, preset, left_file, files))
        right = side(
            right_scenario,
            parse_sets(right_sets),
            preset=right_preset,
            name=_name(right_sets, right_preset, right_file, files),
        )
    write_output(render_compare(compare_sides(left, right), fmt), out)


def _name(sets: tuple[str, ...], preset: str | None, file: str, files: tuple[str, ...]) -> str:
    """A side's name for people: its settings, prefixed by its file when two files are compared."""
    parts = ([f"preset {preset}"] if preset else []) + [s.replace(" ", "") for s in sets]
    text = ", ".join(parts) or "defaults"
    return f"{file} ({text})" if len(files) == 2 or (files and file != files[0]) else text


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--outcome",
    required=True,
    help='What should hold: "Europe=deploy" (some equilibrium plays it), "every Europe=deploy", '
    '"P(Europe=deploy)>=1/2", "Europe=deploy & Russia=accept", a regime label such as '
    '"pure(deploy,accept,backstop)", or a name the scenario gives an equilibrium ("probabilistic deterrence").',
)
@param_option("A parameter to explore over its declared range (repeatable; default: every parameter with a range).")
@set_option()
@click.option("--preset", default=None, help="Use a named preset for the parameters that are not explored.")
@click.option("--samples", type=click.IntRange(min=0), default=20_000, show_default=True, help="Draws for the share.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the draws.")
@format_option("text", "markdown", "json")
@out_option()
def region(file, outcome, params, sets, preset, samples, seed, fmt, out) -> None:
    """Where an outcome holds: exact conditions, the share of the parameter box, the nearest flip.

    The explored parameters vary over their declared ranges; the others keep
    their defaults (or --preset, --set). Conditions come from the closed-form
    equilibrium families (sympy); the share is exact for one parameter and a
    Monte Carlo estimate (with its error) otherwise; the flip is the nearest
    setting to the defaults where the outcome stops (or starts) holding,
    confirmed by the exact solver.

    \b
    Examples:
      gametheory region games/deterrence.json --outcome "Europe=deploy" --param x_r
      gametheory region games/deterrence.json --outcome "Europe=deploy" --param x_r --param n_us --format json
      gametheory region games/deterrence.json --outcome "P(Europe=deploy)>=1/2" --param v_e
    """
    from ..report.region import render_region
    from ..sensitivity.region import region as find_region

    scenario, overrides = load_with_overrides(file, sets, preset)
    result = find_region(
        scenario, outcome, free=params or None, base=overrides, preset=preset, samples=samples, seed=seed
    )
    write_output(render_region(result, fmt), out)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--outcome",
    default=None,
    help='The outcome whose probability is explained, e.g. "Europe=deploy", "P(Europe=deploy)>=1/2" or a '
    'name the scenario gives an equilibrium ("probabilistic deterrence"); the grammar of region --outcome.',
)
@click.option(
    "--payoff",
    "payoffs",
    multiple=True,
    metavar="PLAYER",
    help="Explain this player's equilibrium payoff instead (repeatable; 'all' for every player).",
)
@click.option(
    "--select",
    type=click.Choice(PAYOFF_SELECTIONS),
    default="worst",
    show_default=True,
    help="With --payoff and several equilibria: the player's lowest (worst) or highest (best) equilibrium "
    "payoff, the payoff-dominant equilibrium's (refused where none is), or for a tree the "
    "subgame-perfect equilibrium's.",
)
@param_option("Draw only these parameters (repeatable; default: every parameter the distributions draw).")
@click.option(
    "--dist",
    "dists",
    multiple=True,
    metavar="NAME=SPEC",
    help="Override a parameter's distribution, as in montecarlo (e.g. --dist x_r=triangular:mode=8).",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset for the parameters that are not drawn.")
@click.option(
    "--samples",
    type=click.IntRange(min=8),
    default=1024,
    show_default=True,
    help="Base sample size N of the Sobol design (N*(D+2) evaluations for D parameters; a power of 2).",
)
@click.option("--trajectories", type=click.IntRange(min=2), default=50, show_default=True, help="Morris trajectories.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of both designs.")
@format_option("text", "markdown", "json")
@out_option()
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Draw the ranked bar chart (.png or .svg; of the first payoff when several).",
)
def drivers(
    file, outcome, payoffs, select, params, dists, sets, preset, samples, trajectories, seed, fmt, out, plot
) -> None:
    """What drives an outcome or a payoff: Sobol indices (first order and total) and Morris screening
    over the parameters' declared distributions (SALib), ranked.

    Give --outcome (its probability is explained) or --payoff PLAYER (that
    player's equilibrium payoff, the equilibrium picked by --select).

    \b
    Examples:
      gametheory drivers games/deterrence.json --outcome "Europe=deploy" --param x_r --param n_us --param c_us
      gametheory drivers games/deterrence.json --outcome "Europe=deploy" --plot drivers.png
      gametheory drivers games/deterrence.json --payoff Russia --select best --param x_r --param c_us
    """
    from ..report.drivers import plot_drivers, render_drivers
    from ..report.plots import check_plot_path
    from ..sensitivity.drivers import drivers as find_drivers
    from ..sensitivity.drivers import payoff_drivers

    check_plot_path(plot)
    if (outcome is None) == (not payoffs):
        raise InputError("give either --outcome or --payoff PLAYER")
    scenario, overrides = load_with_overrides(file, sets, preset)
    specs = parse_assignments(dists, "--dist", "NAME=SPEC", example="x_r=triangular:mode=8", unique=True)
    common = {
        "parameters": params or None,
        "distributions": specs,
        "base": overrides,
        "preset": preset,
        "n": samples,
        "trajectories": trajectories,
        "seed": seed,
    }
    if outcome is not None:
        results = (find_drivers(scenario, outcome, **common),)
    else:
        players = scenario.player_names if "all" in payoffs else tuple(dict.fromkeys(payoffs))
        results = payoff_drivers(scenario, players, select=select, **common)
    write_output(render_drivers(results if len(results) > 1 else results[0], fmt), out)
    if plot:
        plot_drivers(results[0], plot)
