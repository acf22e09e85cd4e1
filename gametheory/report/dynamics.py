"""Text and JSON of a learning dynamic's run (a :class:`~gametheory.dynamics.Trajectory`).

What ``gametheory dynamics`` prints: where play starts and ends, whether it
settles or cycles, the nearest certified equilibrium; or, as JSON, the run's
settings, outcome, the equilibria and the whole path. The run and the
equilibria are computed by :mod:`gametheory.dynamics` and the solvers; this
module only reads them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..escape import terminal
from ..numtext import probability_text
from .document import describe_equilibrium
from .jsonout import _number, equilibrium_json, game_json

if TYPE_CHECKING:
    from ..dynamics import Held, Trajectory
    from ..game import NormalFormGame
    from ..solution import Solution

FORMATS = ("text", "json")
PATH_SHOWN = 24  # moves of best-response dynamics listed in the text output


def render_trajectory(
    traj: Trajectory, game: NormalFormGame, solution: Solution, fmt: str = "text", held: Held | None = None
) -> str:
    """The run in one of :data:`FORMATS`; ``held`` names the players held to one strategy (``--fix``)."""
    if fmt == "json":
        return trajectory_json(traj, game, solution, held)
    if fmt == "text":
        return trajectory_text(traj, game, solution, held)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _profile_text(game, profile) -> str:
    return "(" + ", ".join(game.profile_names(profile)) + ")"


def _mixed_text(game, mixed) -> list[str]:
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
        return (
            f"{p['iterations']} rounds{start}; ties between best responses broken at random (seed {p['seed']}); "
            f"{p['engine']}."
        )
    how = "a random interior start (seed {})".format(p["seed"]) if p["seed"] is not None else "the start shown"
    return f"Time 0 to {p['horizon']:.4g} in {p['points']} points, from {how}; {p['engine']}."


def _equilibrium_number(k: int, numbers: Sequence[int | None] | None) -> str:
    """``No. 3`` as ``solve`` numbers the equilibrium; ``R2`` for one of a restricted game only (``--fix``)."""
    if numbers is None:
        return f"No. {k + 1}"
    return f"No. {numbers[k] + 1}" if numbers[k] is not None else f"R{k + 1}"


def trajectory_text(traj: Trajectory, game: NormalFormGame, solution: Solution, held: Held | None = None) -> str:
    """The run in words: start, where it ends, the nearest certified equilibrium, cycling.

    ``held`` names the players held to one strategy (``--fix``): the game and its
    equilibria are then those of the others, with these players' choices fixed. Its
    equilibria are numbered as ``solve`` numbers the whole game's; one that is an
    equilibrium only while the players are held is ``R1``, ``R2``...
    """
    fixed = held.players if held else ()
    numbers = held.whole_game_index if held else None
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
        first = (
            "First round (no history before it):"
            if traj.method == "fictitious_play" and traj.parameters.get("start") is None
            else "Start:"
        )
        lines += [first, *_mixed_text(game, traj.start), ""]
        what = {
            "fictitious_play": f"empirical frequencies after {int(traj.times[-1])} rounds",
            "replicator": f"population shares at time {traj.times[-1]:.4g}",
        }[traj.method]
        lines += [f"Where play ends ({what}):", *_mixed_text(game, traj.end), ""]
    eqs = solution.equilibria
    if traj.settled and traj.method == "best_response":
        k = traj.converged_to
        tag = f" = equilibrium {_equilibrium_number(k, numbers)}" if k is not None else ""
        where = _profile_text(game, traj.plays[-1])
        lines.append(f"Settles: at {where}, a pure equilibrium{tag}; nobody wants to move.")
    elif traj.settled:
        lines.append("Settles: yes, the dynamic comes to rest.")
    if traj.cycles:
        if traj.method == "best_response":
            loop = list(traj.cycle) + [traj.cycle[0]]
            lines.append(
                "Cycles: yes, exactly: play goes round "
                + " -> ".join(_profile_text(game, p) for p in loop)
                + " for ever."
            )
        elif traj.cycle:
            loop = list(traj.cycle) + [traj.cycle[0]]
            which = "the pure plays" if traj.method == "fictitious_play" else "the leading strategies"
            lines.append(
                f"Cycles: yes, {which} keep going round " + " -> ".join(_profile_text(game, p) for p in loop) + "."
            )
        else:
            lines.append("Cycles: yes, the path keeps going round instead of settling.")
    elif not traj.settled:
        lines.append("Cycles: no repetition detected, but play has not settled either (try more iterations).")
    if eqs and traj.nearest is not None and not (traj.method == "best_response" and traj.settled):
        k = traj.nearest
        distance = "< 1e-6" if traj.distance < 1e-6 else f"{traj.distance:.3g}"
        lines.append(
            f"Nearest certified equilibrium: {_equilibrium_number(k, numbers)}, {describe_equilibrium(game, eqs[k])} "
            f"(distance {distance}: the largest difference of any probability)."
        )
        if traj.converged_to is not None:
            lines.append(
                f"Converges: yes, to equilibrium {_equilibrium_number(k, numbers)} (within {traj.tolerance:g})."
            )
        else:
            lines.append(f"Converges: no, the end point is not within {traj.tolerance:g} of any equilibrium.")
    elif not eqs:
        lines.append("No certified equilibrium was found to compare with.")
    for note in traj.notes:
        lines.append(f"Note: {note}.")
    lines += ["", f"Certified equilibria ({'complete list' if solution.complete else 'may be incomplete'}):"]
    for k, eq in enumerate(eqs):
        lines.append(f"  {_equilibrium_number(k, numbers)} {describe_equilibrium(game, eq)}")
    if numbers is not None:
        lines.append(
            "  (numbered as `solve` numbers the whole game's equilibria; R: an equilibrium only while "
            f"{' and '.join(fixed)} {'is' if len(fixed) == 1 else 'are'} held)"
            if None in numbers
            else "  (numbered as `solve` numbers the whole game's equilibria)"
        )
    return terminal("\n".join(lines) + "\n")  # names from a file: control characters made visible


def _plain(value: Any) -> Any:
    """JSON-friendly copy of the run's settings (tuples to lists, numpy to Python)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return value.item()
    return value


def trajectory_json(traj: Trajectory, game: NormalFormGame, solution: Solution, held: Held | None = None) -> str:
    """One JSON object: the run's settings and outcome, the certified equilibria, and the whole path.

    Under ``--fix`` ``"whole_game_index"`` is each equilibrium's index in ``solve``'s list of the
    whole game's equilibria (null: an equilibrium only while the players are held)."""
    fixed = held.players if held else ()

    def mixed(profile) -> dict[str, dict[str, float]]:
        return {
            p: dict(zip(names, map(float, probs))) for p, names, probs in zip(game.players, game.strategies, profile)
        }

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
        "whole_game_index": None if held is None else list(held.whole_game_index),
        "notes": list(traj.notes),
        "path": {
            "times": [float(t) for t in traj.times],
            "strategies": {
                p: {name: [float(v) for v in traj.steps[i][:, k]] for k, name in enumerate(names)}
                for i, (p, names) in enumerate(zip(game.players, game.strategies))
            },
        },
    }
    if traj.plays is not None:
        out["path"]["plays"] = [list(game.profile_names(p)) for p in traj.plays]
    return json.dumps(out, indent=2)
