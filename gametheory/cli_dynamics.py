"""The ``dynamics`` command: run a learning dynamic on a scenario and say where play goes.

A thin layer over :mod:`gametheory.dynamics` (registered in :mod:`gametheory.cli`
with ``app.add_command``): convert the options, bind the scenario, find the
certified equilibria with :func:`gametheory.solve`, run one dynamic, render
text or JSON, and draw the plot. Bad input raises
:class:`~gametheory.errors.InputError` (exit code 2, translated by the command
group).
"""

from __future__ import annotations

import json
from typing import Any

import click

from .cli import SET_HELP, _load_and_bind, _write_output
from .errors import InputError

#: Command-line names of the dynamics -> :data:`gametheory.dynamics.METHODS` keys.
METHOD_NAMES = {"br": "best_response", "fictitious": "fictitious_play", "replicator": "replicator"}
PATH_SHOWN = 24  # moves of best-response dynamics listed in the text output


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
        from .game import pure_profile

        return pure_profile(game, profile)
    return profile


def _profile_text(game, profile) -> str:
    return "(" + ", ".join(game.profile_names(profile)) + ")"


def _mixed_text(game, mixed) -> list[str]:
    from .numtext import probability_text

    lines = []
    for player, names, probs in zip(game.players, game.strategies, mixed):
        lines.append(f"  {player}: " + ", ".join(f"{n} {probability_text(round(p, 4))}" for n, p in zip(names, probs)))
    return lines


def _settings_text(traj) -> str:
    p = traj.parameters
    if traj.method == "best_response":
        who = "one player at a time, in the file's order" if p["sequential"] else "all players at once"
        return f"Moves: {who}; a player who is not best-responding switches to its lowest-numbered best response."
    if traj.method == "fictitious_play":
        start = "" if p["start"] is None else ", after an opening round"
        return (f"{p['iterations']} rounds{start}; ties between best responses broken at random (seed {p['seed']}); "
                f"{p['engine']}.")
    how = "a random interior start (seed {})".format(p["seed"]) if p["seed"] is not None else "the start shown"
    return f"Time 0 to {p['horizon']:.4g} in {p['points']} points, from {how}; {p['engine']}."


def render_text(traj, game, solution, fixed: tuple[str, ...] = ()) -> str:
    """The run in words: start, where it ends, the nearest certified equilibrium, cycling.

    ``fixed`` names the players held to one strategy (``--fix``): the game and its
    equilibria are then those of the others, with these players' choices fixed.
    """
    from .report.document import describe_equilibrium

    lines = [f"{traj.label}: {game.title}" if game.title else traj.label, _settings_text(traj)]
    if fixed:
        held = ", ".join(f"{p} plays {game.strategies[game.players.index(p)][0]}" for p in fixed)
        lines.append(f"Fixed: {held} throughout; the equilibria are those of the game the others play.")
    lines.append("")
    if traj.method == "best_response":
        moves = traj.plays
        shown = " -> ".join(_profile_text(game, p) for p in moves[: PATH_SHOWN + 1])
        more = f" -> ... ({len(moves) - 1} moves in all)" if len(moves) > PATH_SHOWN + 1 else ""
        lines += [f"Path ({len(moves) - 1} move{'s' if len(moves) != 2 else ''}):", f"  {shown}{more}", ""]
    else:
        first = "First round (no history before it):" if traj.method == "fictitious_play" and \
            traj.parameters.get("start") is None else "Start:"
        lines += [first, *_mixed_text(game, traj.start), ""]
        what = {"fictitious_play": f"empirical frequencies after {int(traj.times[-1])} rounds",
                "replicator": f"population shares at time {traj.times[-1]:.4g}"}[traj.method]
        lines += [f"Where play ends ({what}):", *_mixed_text(game, traj.end), ""]
    eqs = solution.equilibria
    if traj.settled and traj.method == "best_response":
        k = traj.converged_to
        tag = f" = equilibrium No. {k + 1}" if k is not None else ""
        where = _profile_text(game, traj.plays[-1])
        lines.append(f"Settles: at {where}, a pure equilibrium{tag}; nobody wants to move.")
    elif traj.settled:
        lines.append("Settles: yes, the dynamic comes to rest.")
    if traj.cycles:
        if traj.method == "best_response":
            loop = list(traj.cycle) + [traj.cycle[0]]
            lines.append("Cycles: yes, exactly: play goes round " + " -> ".join(_profile_text(game, p) for p in loop)
                         + " for ever.")
        elif traj.cycle:
            loop = list(traj.cycle) + [traj.cycle[0]]
            which = "the pure plays" if traj.method == "fictitious_play" else "the leading strategies"
            lines.append(f"Cycles: yes, {which} keep going round " + " -> ".join(_profile_text(game, p) for p in loop)
                         + ".")
        else:
            lines.append("Cycles: yes, the path keeps going round instead of settling.")
    elif not traj.settled:
        lines.append("Cycles: no repetition detected, but play has not settled either (try more iterations).")
    if eqs and traj.nearest is not None and not (traj.method == "best_response" and traj.settled):
        k = traj.nearest
        distance = "< 1e-6" if traj.distance < 1e-6 else f"{traj.distance:.3g}"
        lines.append(
            f"Nearest certified equilibrium: No. {k + 1}, {describe_equilibrium(game, eqs[k])} "
            f"(distance {distance}: the largest difference of any probability)."
        )
        if traj.converged_to is not None:
            lines.append(f"Converges: yes, to equilibrium No. {k + 1} (within {traj.tolerance:g}).")
        else:
            lines.append(f"Converges: no, the end point is not within {traj.tolerance:g} of any equilibrium.")
    elif not eqs:
        lines.append("No certified equilibrium was found to compare with.")
    for note in traj.notes:
        lines.append(f"Note: {note}.")
    lines += ["", f"Certified equilibria ({'complete list' if solution.complete else 'may be incomplete'}):"]
    for k, eq in enumerate(eqs):
        lines.append(f"  {k + 1}. {describe_equilibrium(game, eq)}")
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """JSON-friendly copy of the run's settings (tuples to lists, numpy to Python)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return value.item()
    return value


def render_json(traj, game, solution, fixed: tuple[str, ...] = ()) -> str:
    """One JSON object: the run's settings and outcome, the certified equilibria, and the whole path."""
    from .report.jsonout import _number, equilibrium_json, game_json

    def mixed(profile) -> dict[str, dict[str, float]]:
        return {p: dict(zip(names, map(float, probs)))
                for p, names, probs in zip(game.players, game.strategies, profile)}

    out: dict[str, Any] = {
        "game": game_json(game),
        "parameters": {k: _number(v) for k, v in game.parameters.items()},
        "method": traj.method,
        "label": traj.label,
        "fixed": {p: game.strategies[game.players.index(p)][0] for p in fixed},
        "settings": _plain(traj.parameters),
        "start": mixed(traj.start),
        "end": mixed(traj.end),
        "settled": traj.settled,
        "cycles": traj.cycles,
        "cycle": [list(game.profile_names(p)) for p in traj.cycle],
        "converged_to": traj.converged_to,
        "nearest": None if traj.nearest is None else {"index": traj.nearest, "distance": traj.distance},
        "tolerance": traj.tolerance,
        "equilibria": [equilibrium_json(game, eq) for eq in solution.equilibria],
        "equilibria_complete": solution.complete,
        "notes": list(traj.notes),
        "path": {
            "times": [float(t) for t in traj.times],
            "strategies": {p: {name: [float(v) for v in traj.steps[i][:, k]] for k, name in enumerate(names)}
                           for i, (p, names) in enumerate(zip(game.players, game.strategies))},
        },
    }
    if traj.plays is not None:
        out["path"]["plays"] = [list(game.profile_names(p)) for p in traj.plays]
    return json.dumps(out, indent=2)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--method", type=click.Choice(list(METHOD_NAMES)), default="br", show_default=True,
              help="br: best-response dynamics (pure strategies, exact cycle detection); fictitious: fictitious "
              "play (best responses to the others' empirical frequencies); replicator: replicator dynamics "
              "(population shares grow with their payoff advantage).")
@click.option("--iterations", type=click.IntRange(min=1), default=None,
              help="br: at most this many moves (default 1000); fictitious: rounds (default 1000); replicator: "
              "points recorded along the path (default 1001).")
@click.option("--seed", type=int, default=None,
              help="fictitious: seed of the random tie-breaks (default 0); br and replicator: draw a random start "
              "with this seed (unless --start is given).")
@click.option("--start", default=None, metavar="PROFILE",
              help="Where play starts: one strategy name per player, separated by commas (e.g. "
              "deploy,accept,backstop); for the replicator also probabilities per player separated by ';' "
              "(e.g. '0.9,0.1;0.5,0.5;0.5,0.5'). Default: br, every player's first strategy; fictitious, no "
              "history; replicator, shares leaning towards each player's first strategy.")
@click.option("--simultaneous", is_flag=True, help="br: all players revise at once (default: one at a time).")
@click.option("--horizon", type=click.FloatRange(min=0, min_open=True), default=None,
              help="replicator: the time to run for (default 100 divided by the typical payoff gain from switching).")
@click.option("--fix", "fixes", multiple=True, metavar="PLAYER=STRATEGY",
              help="Hold a player to one strategy and let the others adjust (repeatable), e.g. --fix Europe=deploy.")
@click.option("--tolerance", type=click.FloatRange(min=0), default=None,
              help="Distance (largest difference of any probability) within which the end point counts as an "
              "equilibrium [default: exact for br, 0.05 for fictitious, 0.01 for replicator].")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help=SET_HELP)
@click.option("--preset", default=None, help="Use a named preset of the scenario (e.g. --preset art5_like).")
@click.option("--strict", is_flag=True, help="Treat a parameter outside its declared range as an error, not a warning.")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Draw the path to this file (.png or .svg): the unit square for 2x2 games, probabilities over "
              "time otherwise.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format (json: settings, outcome, equilibria and the whole path).")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Seconds allowed for finding the certified equilibria the end point is compared with.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
def dynamics(file, method, iterations, seed, start, simultaneous, horizon, fixes, tolerance, sets, preset, strict,
             plot, fmt, timeout, out) -> None:
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
    from . import dynamics as dyn
    from .solvers import solve

    name = METHOD_NAMES[method]
    if plot is not None:
        from .report.plots import check_plot_path

        check_plot_path(plot)
    if simultaneous and name != "best_response":
        raise InputError("--simultaneous is for --method br")
    if horizon is not None and name != "replicator":
        raise InputError("--horizon is for --method replicator")
    scenario, game = _load_and_bind(file, sets, preset, strict)
    game = _restrict(game, fixes)
    first = _parse_start(game, start, name)
    solution = solve(game, timeout=timeout)
    if name == "best_response":
        traj = dyn.best_response_dynamics(game, first, iterations=iterations or 1000, sequential=not simultaneous,
                                          seed=seed, solution=solution, tolerance=tolerance)
    elif name == "fictitious_play":
        traj = dyn.fictitious_play(game, iterations=iterations or 1000, seed=seed, start=first, solution=solution,
                                   tolerance=tolerance)
    else:
        times = None
        if horizon is not None or iterations is not None:
            import numpy as np

            end = horizon if horizon is not None else dyn.default_horizon(game)
            times = np.linspace(0.0, end, max(iterations or dyn.REPLICATOR_POINTS, 2))
        traj = dyn.replicator_dynamics(game, start=first, timepoints=times, seed=seed, solution=solution,
                                       tolerance=tolerance)
    fixed = tuple(dict.fromkeys(game.players[game.player_index(f.partition("=")[0].strip())] for f in fixes))
    if fmt == "json":
        text = render_json(traj, game, solution, fixed)
    else:
        text = render_text(traj, game, solution, fixed)
    if plot is not None:
        from .report.plots import plot_trajectory

        plot_trajectory(traj, plot, game=game, equilibria=solution)
    _write_output(text, out)
    if plot is not None:
        click.echo(f"wrote {plot}", err=True)
