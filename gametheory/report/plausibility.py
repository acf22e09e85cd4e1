"""Which equilibrium is most plausible, in plain language (the facts: :func:`gametheory.dynamics.plausibility`).

A seminar asks "so what will happen?" as soon as a game has several equilibria. Nash equilibrium does
not answer it; the standard selection criteria give evidence, and these sentences say what the
evidence is, which equilibrium most of it points to, and how firm that is. Equilibria are named as
everywhere else (:mod:`.names`): the scenario's name, else the one readable notation.
"""

from __future__ import annotations

from collections.abc import Sequence

from .names import game_family_text

#: Each criterion of :class:`~gametheory.dynamics.Plausibility`, as a reason a student can follow.
_WHY = {
    "logit": "the logit selection picks it (players who make mistakes, costly ones less often, end up there "
    "as their mistakes become rare)",
    "payoff": "it is the best equilibrium for every player (payoff dominance)",
    "risk": "it is the safer bet for a player unsure which equilibrium the others aim at (risk dominance)",
    "subgame": "it is the only subgame-perfect equilibrium: every other one rests on a threat or promise that "
    "would not be carried out when its moment came",
}


def _called(solution, k: int) -> str:
    """``no. 2 (probabilistic deterrence)``: an equilibrium's number as ``solve`` lists it, and its name."""
    eq = solution.equilibria[k]
    return f"no. {k + 1} ({game_family_text(solution.game, eq.support, 'pure' if eq.pure else 'mixed')})"


def _reason(plaus, reason: str) -> str:
    if reason == "basin":
        k = plaus.favourite
        n = plaus.basins[k]
        share = f"all {n}" if n == plaus.starts else f"{n} of the {plaus.starts}"
        return f"players who switch to a best response one at a time reach it from {share} ways play can start" + (
            "" if n == plaus.starts else ", more than any other equilibrium"
        )
    return _WHY[reason]


def plausibility_lines(solution, plaus) -> list[str]:
    """Sentences: the most plausible equilibrium and why, the evidence against, and how stable it is.

    ``plaus`` is :func:`gametheory.dynamics.plausibility` of ``solution``. Empty when there is no equilibrium.
    """
    if not solution.equilibria:
        return []
    k = plaus.favourite
    if plaus.reasons == ("unique",):
        return [f"There is only one equilibrium, {_called(solution, 0)}: it is the model's prediction."]
    lines = []
    if k is None:
        lines.append("No equilibrium stands out: " + _no_favourite(solution, plaus))
    else:
        why = "; ".join(_reason(plaus, r) for r in plaus.reasons)
        lines.append(f"Most plausible: {_called(solution, k)}. Why: {why}.")
        lines += _against(solution, plaus)
        if len(plaus.reasons) == 1 and plaus.reasons != ("subgame",):
            lines.append("Only one criterion speaks for it, so read this as a weak guess, not a prediction.")
    if len(plaus.subgame_perfect) > 1:
        spe = ", ".join(_called(solution, j) for j in plaus.subgame_perfect)
        lines.append(f"Only {spe} are subgame perfect; the others rest on threats or promises that are not credible.")
    lines += _stability(solution, plaus)
    return lines


def _no_favourite(solution, plaus) -> str:
    picks = _picks(plaus)
    if not picks:
        return "none of the selection criteria (logit, payoff or risk dominance, best-response dynamics) picks one."
    return "the criteria disagree: " + "; ".join(f"{what} favours {_called(solution, j)}" for what, j in picks) + "."


def _picks(plaus) -> list[tuple[str, int]]:
    """(criterion in words, equilibrium) for every criterion that picks one."""
    named = [
        ("the logit selection", plaus.logit),
        ("payoff dominance", plaus.payoff_dominant),
        ("risk dominance", plaus.risk_dominant),
        ("best-response dynamics", _largest_basin(plaus.basins)),
    ]
    perfect = plaus.subgame_perfect
    return [(what, j) for what, j in named if j is not None and (not perfect or j in perfect)]


def _largest_basin(basins: Sequence[int] | None) -> int | None:
    if not basins or max(basins) == 0:
        return None
    top = [j for j, c in enumerate(basins) if c == max(basins)]
    return top[0] if len(top) == 1 else None


def _against(solution, plaus) -> list[str]:
    """What speaks for other equilibria: another criterion's pick, or a Pareto improvement on the favourite."""
    k = plaus.favourite
    lines = [f"But {what} favours {_called(solution, j)}." for what, j in _picks(plaus) if j != k]
    facts = getattr(solution.selection, "equilibria", ()) or ()
    better = next((f.pareto_dominated_by for f in facts if f.index == k and f.pareto_dominated_by), ())
    if better:
        others = ", ".join(_called(solution, j) for j in better[:3])
        others += f" and {len(better) - 3} more" if len(better) > 3 else ""
        verb = "leaves" if len(better) == 1 else "leave"
        lines.append(
            f"Yet it is Pareto-dominated: {others} {verb} every player at least as well off and some better off. "
            "That is a coordination failure, which players who could talk and commit to each other might escape."
        )
    return lines


def _stability(solution, plaus) -> list[str]:
    """Strictness and what learning dynamics say about the favourite (or about the mixed equilibria)."""
    k = plaus.favourite
    lines = []
    if k is not None and k in plaus.strict:
        lines.append(
            f"{_called(solution, k)[0].upper()}{_called(solution, k)[1:]} is strict: a player who deviates alone "
            "loses, so small changes in the payoffs do not break it, and it attracts nearby play under the "
            "replicator dynamics."
        )
    mixed = [j for j, eq in enumerate(solution.equilibria) if not eq.pure]
    if mixed and plaus.basins is not None:
        lines.append(
            "Mixed equilibria are never strict: each player is indifferent, so nothing pulls play back to them "
            "(under the replicator dynamics only strict equilibria attract nearby play, Ritzberger and Weibull "
            "1995), and players who switch to a best response never settle on one"
            + (f" (here {plaus.cycling} of the {plaus.starts} starts go round for ever)." if plaus.cycling else ".")
        )
    return lines
