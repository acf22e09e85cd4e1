"""The ``dynamics`` command: run a learning dynamic on a scenario and say where play goes.

A thin layer over :mod:`gametheory.dynamics` (registered in :mod:`gametheory.cli`):
convert the options, bind the scenario, find the certified equilibria with
:func:`gametheory.solve`, run one dynamic, render it with
:mod:`gametheory.report.dynamics` (text or JSON), and draw the plot. Bad input
raises :class:`~gametheory.errors.InputError` (exit code 2, translated by the
command group).
"""

from __future__ import annotations

import click

from .._limits import check_timeout
from ..errors import InputError
from ._common import (
    STRICT_HELP,
    echo,
    figure_options,
    figure_settings,
    load_and_bind,
    out_option,
    set_option,
    write_output,
)

#: Command-line names of the dynamics -> :data:`gametheory.dynamics.METHODS` keys.
METHOD_NAMES = {"br": "best_response", "fictitious": "fictitious_play", "replicator": "replicator"}


def _strategy_index(game, player: int, name: str, option: str) -> int:
    names = game.strategies[player]
    if name in names:
        return names.index(name)
    raise InputError(
        f"{option}: {game.players[player]} has no strategy {name!r}; its strategies are {', '.join(names)}"
    )


def _restrict(game, fixes: tuple[str, ...]):
    """Apply ``--fix PLAYER=STRATEGY`` options: that player may only use that strategy."""
    if not fixes:
        return game
    kept = [list(range(n)) for n in game.shape]
    for item in fixes:
        player, sep, strategy = item.partition("=")
        player, strategy = player.strip(), strategy.strip()
        if not sep or not player or not strategy:
            raise InputError(f"--fix expects PLAYER=STRATEGY, got {item!r} (e.g. --fix Europe=deploy)")
        i = game.player_index(player)
        kept[i] = [_strategy_index(game, i, strategy, "--fix")]
    return game.restrict(kept)


def _parse_start(game, text: str | None, method: str):
    """``--start``: strategy names, one per player (``deploy,accept,backstop``), or for the
    replicator, probabilities per player separated by ``;`` (``0.9,0.1;0.5,0.5;0.5,0.5``)."""
    if text is None:
        return None
    names = [n.strip() for n in text.split(",")]
    is_profile = len(names) == game.num_players and all(n in s for n, s in zip(names, game.strategies))
    if method == "replicator" and not is_profile:
        from fractions import Fraction

        groups = text.split(";")
        if len(groups) != game.num_players:
            raise InputError(
                f"--start: give {game.num_players} probability lists separated by ';' (one per player: "
                f"{', '.join(game.players)}), or one strategy name per player; got {text!r}"
            )
        out = []
        for i, group in enumerate(groups):
            try:
                out.append([float(Fraction(v.strip())) for v in group.split(",")])
            except (ValueError, ZeroDivisionError):
                raise InputError(f"--start: {game.players[i]}'s probabilities must be numbers, got {group!r}") from None
        return out
    if len(names) != game.num_players:
        raise InputError(
            f"--start: give one strategy per player ({', '.join(game.players)}), separated by commas; got {len(names)}"
        )
    profile = tuple(_strategy_index(game, i, n, "--start") for i, n in enumerate(names))
    if method == "replicator":
        from ..game import pure_profile

        return pure_profile(game, profile)
    return profile


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(list(METHOD_NAMES)),
    default="br",
    show_default=True,
    help="br: best-response dynamics (pure strategies, exact cycle detection); fictitious: fictitious "
    "play (best responses to the others' empirical frequencies); replicator: replicator dynamics "
    "(population shares grow with their payoff advantage).",
)
@click.option(
    "--iterations",
    type=click.IntRange(min=1),
    default=None,
    help="br: at most this many moves (default 1000); fictitious: rounds (default 1000); replicator: "
    "points recorded along the path (default 1001).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="fictitious: seed of the random tie-breaks (default 0); br and replicator: draw a random start "
    "with this seed (unless --start is given).",
)
@click.option(
    "--start",
    default=None,
    metavar="PROFILE",
    help="Where play starts: one strategy name per player, separated by commas (e.g. "
    "deploy,accept,backstop); for the replicator also probabilities per player separated by ';' "
    "(e.g. '0.9,0.1;0.5,0.5;0.5,0.5'). Default: br, every player's first strategy; fictitious, no "
    "history; replicator, shares leaning towards each player's first strategy.",
)
@click.option("--simultaneous", is_flag=True, help="br: all players revise at once (default: one at a time).")
@click.option(
    "--horizon",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="replicator: the time to run for (default 100 divided by the typical payoff gain from switching).",
)
@click.option(
    "--fix",
    "fixes",
    multiple=True,
    metavar="PLAYER=STRATEGY",
    help="Hold a player to one strategy and let the others adjust (repeatable), e.g. --fix Europe=deploy.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=None,
    help="Distance (largest difference of any probability) within which the end point counts as an "
    "equilibrium [default: exact for br, 0.05 for fictitious, 0.01 for replicator].",
)
@set_option()
@click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Draw the path to this file (.png or .svg): the unit square for 2x2 games, probabilities over time otherwise.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format (json: settings, outcome, equilibria and the whole path).",
)
@click.option(
    "--timeout",
    type=float,
    callback=lambda ctx, param, value: check_timeout(value, what="--timeout"),
    default=60.0,
    show_default=True,
    help="Seconds allowed for finding the certified equilibria the end point is compared with.",
)
@out_option()
@figure_options
def dynamics(
    file,
    method,
    iterations,
    seed,
    start,
    simultaneous,
    horizon,
    fixes,
    tolerance,
    sets,
    preset,
    strict,
    plot,
    fmt,
    timeout,
    out,
    size,
    dpi,
) -> None:
    """Let players of FILE learn step by step, and say where play goes: to an equilibrium, or round and round.

    Three textbook dynamics: best-response dynamics (each player in turn switches to a best reply to the
    others' current strategies), fictitious play (Brown 1951: every round each player best-responds to the
    frequencies of the others' past play) and replicator dynamics (Taylor and Jonker 1978: strategies that do
    better than average spread). The output says where play ends, whether it settles or cycles, and which
    certified equilibrium (from the same enumeration as `gametheory solve`) it ends near. With --plot, a 2x2
    game is drawn in the unit square with the equilibria marked; larger games as probabilities over time.

    \b
    Examples:
      gametheory dynamics games/classics/prisoners_dilemma.json
      gametheory dynamics games/classics/matching_pennies.json --method fictitious --plot mp.png
      gametheory dynamics games/classics/matching_pennies.json --method replicator --seed 3 --plot mp.svg
      gametheory dynamics games/deterrence.json --start deploy,accept,backstop
      gametheory dynamics games/deterrence.json --fix Europe=deploy --method replicator --plot inspection.png
      gametheory dynamics games/deterrence.json --method fictitious --iterations 5000 --format json
    """
    from .. import dynamics as dyn
    from ..report.dynamics import render_trajectory
    from ..solvers import solve

    name = METHOD_NAMES[method]
    if plot is not None:
        from ..report.plots import check_plot_path

        check_plot_path(plot)
    if simultaneous and name != "best_response":
        raise InputError("--simultaneous is for --method br")
    if horizon is not None and name != "replicator":
        raise InputError("--horizon is for --method replicator")
    _scenario, whole = load_and_bind(file, sets, preset, strict)
    game = _restrict(whole, fixes)
    first = _parse_start(game, start, name)
    solution = solve(game, timeout=timeout)

    if name == "best_response":
        traj = dyn.best_response_dynamics(
            game,
            first,
            iterations=iterations or 1000,
            sequential=not simultaneous,
            seed=seed,
            solution=solution,
            tolerance=tolerance,
        )
    elif name == "fictitious_play":
        traj = dyn.fictitious_play(
            game, iterations=iterations or 1000, seed=seed, start=first, solution=solution, tolerance=tolerance
        )
    else:
        times = None
        if horizon is not None or iterations is not None:
            import numpy as np

            end = horizon if horizon is not None else dyn.default_horizon(game)
            times = np.linspace(0.0, end, max(iterations or dyn.REPLICATOR_POINTS, 2))
        traj = dyn.replicator_dynamics(
            game, start=first, timepoints=times, seed=seed, solution=solution, tolerance=tolerance
        )
    held = None
    if fixes:
        fixed = tuple(dict.fromkeys(game.players[game.player_index(f.partition("=")[0].strip())] for f in fixes))
        held = dyn.Held(fixed, dyn.numbers_in_whole_game(whole, solve(whole, timeout=timeout), game, solution))
    text = render_trajectory(traj, game, solution, fmt, held)
    if plot is not None:
        from ..report.plots import plot_trajectory

        with figure_settings(size, dpi):
            plot_trajectory(traj, plot, game=game, equilibria=solution)
    write_output(text, out)
    if plot is not None:
        echo(f"wrote {plot}", err=True)
