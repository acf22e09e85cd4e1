"""Correlated equilibria in reports: a document section and a JSON object.

Both read a :class:`~gametheory.solvers.correlated.CorrelatedResult` held by
``Solution.correlated`` (filled by ``analyse(..., correlated=True)``) and
never compute anything beyond sums of the payoffs it holds. Distributions list
only the profiles with positive probability, named by strategy names, in
lexicographic order of the input file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..game import NormalFormGame, Number
from ..numtext import exact_text, payoff_text, probability_text
from ..solution import Solution
from .document import Bullets, Heading, Para, Table

if TYPE_CHECKING:  # the solver module is imported only when correlated equilibria were computed
    from ..solvers.correlated import CorrelatedEquilibrium, CorrelatedResult

#: The text formats list the vertices when there are at most this many (JSON always lists them all).
MAX_LISTED_VERTICES = 20


def positive_entries(ce: CorrelatedEquilibrium, tolerance: float = 0.0) -> list[tuple[tuple[int, ...], Number]]:
    """The ``(profile, probability)`` pairs of a correlated equilibrium with probability above ``tolerance``.

    ``tolerance`` is the result's (0 for exact games): a float LP can leave
    weights of the order of its feasibility tolerance that mean zero.
    """
    dist = ce.distribution
    return [(a, dist[a]) for a in ce.support if dist[a] > tolerance]


def _distribution_line(game: NormalFormGame, ce: CorrelatedEquilibrium, tolerance: float) -> str:
    """One line: ``(C, C) 1/2; (C, D) 1/4 -- payoffs Row: 5.25, Col: 5.25``."""
    parts = [
        "(" + ", ".join(game.profile_names(a)) + ") " + probability_text(p) for a, p in positive_entries(ce, tolerance)
    ]
    payoffs = ", ".join(f"{player}: {payoff_text(v)}" for player, v in zip(game.players, ce.payoffs))
    return "; ".join(parts) + " -- payoffs " + payoffs


def _welfare_sentence(solution: Solution) -> str:
    """The highest total payoff, compared with the best listed Nash equilibrium; says when
    several vertices reach it (exact results with vertices), so the table shows one of them."""
    result = solution.correlated
    text = f"The highest total payoff over all correlated equilibria is {payoff_text(result.welfare_max.welfare)}"
    if solution.equilibria:
        best_nash = max(sum(eq.payoffs) for eq in solution.equilibria)
        text += f" (the best Nash equilibrium listed above gives {payoff_text(best_nash)})"
    tied = 0
    if result.exact and result.vertices is not None:
        tied = sum(1 for v in result.vertices if v.welfare == result.welfare_max.welfare)
    if tied > 1:
        return text + f". {tied} vertices of the polytope reach it, and so does every mixture of them; one of them:"
    return text + ", reached by this distribution:"


def correlated_blocks(solution: Solution) -> list:
    """The "Correlated equilibria" section of a solution document (empty when not computed)."""
    result = solution.correlated
    if result is None:
        return []
    game = solution.game
    how = (
        "in exact arithmetic"
        if result.exact
        else f"in floating point (obedience holds to within {result.tolerance:g}; smaller weights are left out)"
    )
    best = result.welfare_max
    blocks: list = [
        Heading("Correlated equilibria"),
        Para(
            "A correlated equilibrium is a distribution over strategy profiles such that, when a mediator "
            "draws a profile and privately tells each player their part, nobody gains by disobeying "
            f"(Aumann 1974). Every Nash equilibrium is one. Found by linear programming {how}."
        ),
        Para(_welfare_sentence(solution)),
        Table(
            list(game.players) + ["probability"],
            [list(game.profile_names(a)) + [probability_text(p)] for a, p in positive_entries(best, result.tolerance)],
            "Welfare-maximising correlated equilibrium",
        ),
        Table(
            ["player", "at the welfare maximum", "lowest", "highest"],
            [
                [player, payoff_text(value), payoff_text(lo), payoff_text(hi)]
                for player, value, (lo, hi) in zip(game.players, best.payoffs, result.payoff_ranges)
            ],
            "Payoffs: at the welfare maximum, and their range over all correlated equilibria",
        ),
    ]
    blocks.extend(_vertex_blocks(game, result))
    blocks.extend(Para(f"Note: {note}") for note in result.notes)
    return blocks


def _vertex_blocks(game: NormalFormGame, result: CorrelatedResult) -> list:
    vertices = result.vertices
    if vertices is None:
        return []
    count = len(vertices)
    noun = "vertex" if count == 1 else "vertices"
    if count > MAX_LISTED_VERTICES:
        return [
            Para(
                f"The polytope has {count} {noun} (extreme correlated equilibria), too many to list here; "
                "the JSON output lists them all."
            )
        ]
    return [
        Para(f"The polytope has {count} {noun} (extreme correlated equilibria):"),
        Bullets([_distribution_line(game, v, result.tolerance) for v in vertices], numbered=True),
    ]


# ------------------------------------------------------------------------ JSON


def distribution_json(game: NormalFormGame, ce: CorrelatedEquilibrium, tolerance: float = 0.0) -> dict[str, Any]:
    """One correlated equilibrium: its positive-probability profiles, the payoffs and the welfare."""
    entries = []
    for a, p in positive_entries(ce, tolerance):
        entry: dict[str, Any] = {"profile": dict(zip(game.players, game.profile_names(a))), "probability": float(p)}
        if ce.exact:
            entry["exact"] = exact_text(p)
        entries.append(entry)
    out: dict[str, Any] = {"distribution": entries, "payoffs": dict(zip(game.players, map(float, ce.payoffs)))}
    if ce.exact:
        out["payoffs_exact"] = dict(zip(game.players, map(exact_text, ce.payoffs)))
    out["welfare"] = float(ce.welfare)
    if ce.exact:
        out["welfare_exact"] = exact_text(ce.welfare)
    return out


def correlated_json(game: NormalFormGame, result: CorrelatedResult) -> dict[str, Any]:
    """The ``"correlated"`` object of the solution JSON.

    ``welfare_max`` and each of ``vertices`` (null when not computed; the
    notes say why) are :func:`distribution_json` objects; ``payoff_ranges``
    maps each player to ``[lowest, highest]`` over the polytope.
    """
    out: dict[str, Any] = {
        "welfare_max": distribution_json(game, result.welfare_max, result.tolerance),
        "payoff_ranges": {p: [float(lo), float(hi)] for p, (lo, hi) in zip(game.players, result.payoff_ranges)},
    }
    if result.exact:
        out["payoff_ranges_exact"] = {
            p: [exact_text(lo), exact_text(hi)] for p, (lo, hi) in zip(game.players, result.payoff_ranges)
        }
    out["vertices"] = (
        None if result.vertices is None else [distribution_json(game, v, result.tolerance) for v in result.vertices]
    )
    out["exact"] = result.exact
    out["tolerance"] = result.tolerance
    out["notes"] = list(result.notes)
    return out
