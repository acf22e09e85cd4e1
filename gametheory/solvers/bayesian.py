"""Bayesian games solved: each equilibrium of the ex-ante normal form read type by type.

A Nash equilibrium of the ex-ante (Harsanyi) normal form of a
:class:`~gametheory.bayesian.BayesianGame` is a Bayesian Nash equilibrium.
:func:`analyse_bayesian` says, for each equilibrium of a solution, what every
type of every player does (:func:`type_behaviour`, the behaviour strategy
implied by the mixture over type-contingent plans) and what it expects to
earn given its type (the interim payoff).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..bayesian import BayesianGame, Number
from ..solution import Solution

__all__ = ["BayesianAnalysis", "analyse_bayesian", "type_behaviour"]


def type_behaviour(
    game: BayesianGame, player: int, probs: Sequence[Number]
) -> list[tuple[str | None, tuple[Number, ...]]]:
    """What each type of ``player`` does under a mixture ``probs`` over its plans:
    ``[(type name, action probabilities), ...]`` (one entry with name None without types)."""
    plans = game.plans(player)
    d = game.player_dimension[player]
    n = len(game.actions[player])
    exact = all(isinstance(p, Fraction) for p in probs)
    zero: Number = Fraction(0) if exact else 0.0
    names = [None] if d is None else list(game.type_names[d])
    out = []
    for j, tname in enumerate(names):
        acts = [zero] * n
        for plan, p in zip(plans, probs):
            acts[plan[j]] += p
        out.append((tname, tuple(acts)))
    return out


@dataclass(frozen=True)
class BayesianAnalysis:
    """Each equilibrium of the ex-ante form read type by type.

    ``behaviour[k]`` lists, for equilibrium number ``k``, each player with
    ``(type, action probabilities, expected payoff of that type)`` per type
    (the interim payoff, conditional on the type; None when the type has
    probability zero). ``marginals[d]`` is the prior over dimension ``d``.
    """

    game: BayesianGame
    marginals: tuple[tuple[Number, ...], ...]
    behaviour: tuple[tuple[tuple[str, tuple[tuple[str | None, tuple[Number, ...], Number | None], ...]], ...], ...]

    @property
    def types(self) -> tuple[str, ...]:
        return self.game.dimensions


def analyse_bayesian(game: BayesianGame, values: Mapping[str, Number], solution: Solution) -> BayesianAnalysis:
    """Per-type behaviour and interim payoffs of every equilibrium of ``solution`` at ``values``."""
    prior = game.prior_at(values)
    exact = all(isinstance(p, Fraction) for p in prior.values())
    zero: Number = Fraction(0) if exact else 0.0
    marginals = []
    for d, names in enumerate(game.type_names):
        m = [zero] * len(names)
        for t, p in prior.items():
            m[t[d]] += p
        marginals.append(tuple(m))
    cells = {}
    for key, exprs in game.payoffs.items():
        if prior[key[0]] != 0:
            cells[key] = tuple(e.evaluate(values) for e in exprs)
    dims = game.player_dimension
    shape = tuple(len(a) for a in game.actions)
    out = []
    for eq in solution.equilibria:
        per_player = [type_behaviour(game, i, probs) for i, probs in enumerate(eq.profile)]
        rows = []
        for i, player in enumerate(game.players):
            entries = []
            for j, (tname, acts) in enumerate(per_player[i]):
                d = dims[i]
                mass = zero
                total = zero
                for t, p in prior.items():
                    if p == 0 or (d is not None and t[d] != j):
                        continue
                    mass += p
                    for a in itertools.product(*[range(n) for n in shape]):
                        w = p
                        for q, x in enumerate(a):
                            w = w * per_player[q][0 if dims[q] is None else t[dims[q]]][1][x]
                            if w == 0:
                                break
                        if w != 0:
                            total += w * cells[(t, a)][i]
                entries.append((tname, acts, total / mass if mass != 0 else None))
            rows.append((player, tuple(entries)))
        out.append(tuple(rows))
    return BayesianAnalysis(game, tuple(marginals), tuple(out))
