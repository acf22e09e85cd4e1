"""Write a numeric game as a scenario file (``gametheory-scenario/1``) with constant payoffs.

Used by ``gametheory convert FILE --to json``: a Gambit game becomes an
editable scenario, and a parameterised scenario is exported with its
parameters bound (the values used are recorded in the description).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from ..game import NormalFormGame
from ..numtext import exact_text, parameter_text


def _value(x: Any) -> Any:
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else exact_text(x)
    return float(x)


def game_to_scenario(game: NormalFormGame, *, source: str | None = None) -> dict[str, Any]:
    """The scenario-file form of ``game`` (payoff rows, one per profile, in the file's order)."""
    description = []
    if source:
        description.append(f"Exported by gametheory from {source}.")
    if game.parameters:
        description.append(
            "Payoffs bound at: " + ", ".join(f"{k} = {parameter_text(v)}" for k, v in game.parameters.items()) + "."
        )
    names = list(game.players) + list(game.observers)
    rows = []
    for profile in game.profiles():
        values = [game.payoffs[(i, *profile)] for i in range(game.num_players)]
        if game.observer_payoffs is not None:
            values += [game.observer_payoffs[(k, *profile)] for k in range(len(game.observers))]
        rows.append(
            {"profile": list(game.profile_names(profile)), "payoffs": {n: _value(v) for n, v in zip(names, values)}}
        )
    out: dict[str, Any] = {"format": "gametheory-scenario/1", "title": game.title or "Exported game"}
    if description:
        out["description"] = description
    out["players"] = [{"name": p, "strategies": list(s)} for p, s in zip(game.players, game.strategies)]
    if game.observers:
        out["observers"] = [{"name": o} for o in game.observers]
    out["payoffs"] = rows
    return out


def write_scenario_json(game: NormalFormGame, *, source: str | None = None) -> str:
    return json.dumps(game_to_scenario(game, source=source), indent=2) + "\n"
