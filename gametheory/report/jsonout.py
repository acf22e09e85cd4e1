"""The JSON form of a solution (DESIGN.md contract 3), for other tools.

Probabilities and payoffs are JSON numbers; ``exact`` holds rational strings
when the equilibrium was computed exactly. Players and strategies keep the order
of the input file. Beyond the contract: the selection facts (per equilibrium and
under ``"selection"``), dominance, security levels and, when computed, the
correlated equilibria (``"correlated"``, see :mod:`.correlated`).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from ..game import NormalFormGame
from ..numtext import exact_text
from ..solution import Equilibrium, Solution
from .names import equilibrium_name


def _number(x: Any) -> float | int:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    return float(x)


def equilibrium_json(game: NormalFormGame, eq: Equilibrium) -> dict[str, Any]:
    """One equilibrium in the contract's shape (plus ``max_regret`` and ``support``)."""
    strategies = {
        player: {name: float(p) for name, p in zip(names, probs)}
        for player, names, probs in zip(game.players, game.strategies, eq.profile)
    }
    out: dict[str, Any] = {"strategies": strategies}
    if eq.exact:
        out["exact"] = {
            player: {name: exact_text(p) for name, p in zip(names, probs)}
            for player, names, probs in zip(game.players, game.strategies, eq.profile)
        }
    if eq.algebraic is not None:
        out["algebraic"] = {
            player: dict(zip(names, forms)) for player, names, forms in zip(game.players, game.strategies, eq.algebraic)
        }
    out["payoffs"] = {player: float(v) for player, v in zip(game.players, eq.payoffs)}
    if eq.exact:
        out["payoffs_exact"] = {player: exact_text(v) for player, v in zip(game.players, eq.payoffs)}
    if game.observers:
        from ..game import observer_payoffs

        out["observer_payoffs"] = {
            name: float(v) for name, v in zip(game.observers, observer_payoffs(game, eq.profile))
        }
    out["pure"] = eq.pure
    name = equilibrium_name(game, eq.support)
    if name is not None:
        out["name"] = name  # the scenario's name for this support (absent when it gives none)
    out["certified"] = True
    out["max_regret"] = float(eq.max_regret)
    if eq.component is not None:
        out["component"] = eq.component
    return out


def game_json(game: NormalFormGame) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": game.title,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
    }
    if game.observers:
        out["observers"] = list(game.observers)
    return out


def solution_dict(solution: Solution, scenario=None) -> dict[str, Any]:
    game = solution.game
    out: dict[str, Any] = {
        "game": game_json(game),
        "parameters": {k: _number(v) for k, v in game.parameters.items()},
        "parameters_exact": {k: exact_text(v) for k, v in game.parameters.items() if isinstance(v, Fraction)},
        "method": solution.method,
        "scope": solution.scope,
        "complete": solution.complete,
        "exact": solution.exact,
        "equilibria": [equilibrium_json(game, e) for e in solution.equilibria],
        "notes": list(solution.notes),
    }
    if scenario is not None and scenario.file:
        out["file"] = scenario.file
    if getattr(solution, "extensive", None) is not None:  # game trees (contract 6) and Bayesian games
        from .tree import structure_json

        structure_json(solution, out)
    if solution.selection is not None:
        _add_selection(game, solution.selection, out)
    if solution.dominance is not None:
        out["dominance"] = _dominance_json(game, solution.dominance)
    if solution.security is not None:
        out["security"] = [
            {
                "player": game.players[s.player],
                "value": float(s.value),
                "strategy": {n: float(p) for n, p in zip(game.strategies[s.player], s.strategy)},
            }
            for s in solution.security
        ]
    if solution.correlated is not None:
        from .correlated import correlated_json

        out["correlated"] = correlated_json(game, solution.correlated)
    return out


def _add_selection(game: NormalFormGame, facts, out: dict[str, Any]) -> None:
    """Add the selection facts (:mod:`gametheory.solvers.selection`) to ``out`` in place: per entry of
    ``out["equilibria"]`` its strictness, the indices of the equilibria that Pareto-dominate it,
    the players using a weakly dominated strategy and its perfection (2 players, else null);
    at the top level the indices of the payoff-dominant, risk-dominant and logit-selected ones."""
    for entry, fact in zip(out["equilibria"], facts.equilibria):
        entry["strict"] = fact.strict
        entry["pareto_dominated_by"] = list(fact.pareto_dominated_by)
        entry["weakly_dominated"] = [game.players[i] for i in fact.weakly_dominated_players]
        entry["perfect"] = fact.perfect
    out["selection"] = {
        "payoff_dominant": facts.payoff_dominant,
        "risk_dominant": facts.risk_dominant,
        "logit_selected": facts.logit_selected,
    }


def _dominance_json(game: NormalFormGame, elimination) -> dict[str, Any]:
    steps = []
    for step in elimination.steps:
        names = game.strategies[step.player]
        steps.append(
            {
                "player": game.players[step.player],
                "strategy": names[step.strategy],
                "strict": step.strict,
                "dominated_by": {n: float(p) for n, p in zip(names, step.dominator) if p != 0},
            }
        )
    return {
        "eliminated": steps,
        "survivors": {
            game.players[i]: [game.strategies[i][k] for k in kept] for i, kept in enumerate(elimination.survivors)
        },
    }


def solution_json(solution: Solution, scenario=None) -> str:
    return json.dumps(solution_dict(solution, scenario), indent=2)
