"""Bayesian games: players with private types, a (parameterised) prior, type-contingent plans.

A Bayesian scenario (``"form": "bayesian"``) lists, for each player, the
actions every type of it can take and, optionally, its **types** (what the
player privately knows about itself). **Nature** entries describe uncertain
states that no player observes (in the uncertain-resolve game: whether the US
is committed). The **prior** is either one probability per type (independent
across players and nature entries) or a joint table over type profiles; its
probabilities are expressions of parameters, so beliefs can be swept and
thresholds found like any other parameter.

Harsanyi's construction (Harsanyi 1967-68; Osborne, *An Introduction to Game
Theory*, ch. 9; Gibbons, ch. 3) turns the game into its **ex-ante normal
form**: a strategy is a plan naming one action per type of the player, and a
player's payoff for a plan profile is the prior-weighted sum, over all type
profiles, of its payoff when each player takes the action its plan gives its
type. A Nash equilibrium of this normal form is a Bayesian Nash equilibrium:
every type with positive prior probability best-responds given its beliefs
(types of probability zero are unconstrained). The file is loaded into an
ordinary :class:`~gametheory.scenario.Scenario` whose payoffs are those
ex-ante expressions, so binding, solving, sweeps and thresholds work unchanged;
the structure is kept in ``scenario.bayesian`` for reporting each type's
behaviour.

Reading a Bayesian game out of a scenario file is
:mod:`gametheory.scenario.bayesian`'s job; reading each equilibrium type by type
is :mod:`gametheory.solvers.bayesian`'s.

Plan names join the actions of the player's types in the order of its types
with ``/``: Russia's plan ``target/accept`` means "the resolved type targets,
the opportunist accepts" when its types are listed as resolved, opportunist.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .errors import EvaluationError
from .expressions import Expression, parse_expression
from .numtext import parameter_text

__all__ = ["BayesianGame"]

Number = Fraction | float
_FLOAT_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A validated Bayesian game with expression payoffs and prior.

    ``dimensions`` are the sources of uncertainty: first each player that has
    types (in player order), then each nature entry. ``type_names[d]`` are the
    types of dimension ``d``. The prior is ``priors[d][t]`` per type
    (independent) or ``joint[type profile]``. ``payoffs[(types, actions)]`` holds
    one expression per player, then per observer, for a type profile (one type
    index per dimension) and an action profile (one action index per player).
    """

    players: tuple[str, ...]
    observers: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    dimensions: tuple[str, ...]
    type_names: tuple[tuple[str, ...], ...]
    type_descriptions: tuple[tuple[str, ...], ...]
    priors: tuple[tuple[Expression, ...], ...] | None
    joint: Mapping[tuple[int, ...], Expression] | None
    payoffs: Mapping[tuple[tuple[int, ...], tuple[int, ...]], tuple[Expression, ...]]
    prior_paths: Mapping[Any, str]
    file: str | None = None

    @property
    def player_dimension(self) -> tuple[int | None, ...]:
        """For each player, the index of its own type dimension (None: a single type)."""
        return tuple(self.dimensions.index(p) if p in self.dimensions else None for p in self.players)

    @property
    def type_profiles(self) -> list[tuple[int, ...]]:
        return list(itertools.product(*[range(len(t)) for t in self.type_names]))

    def plans(self, player: int) -> list[tuple[int, ...]]:
        """The player's plans: one action index per type (a single action without types)."""
        d = self.player_dimension[player]
        count = 1 if d is None else len(self.type_names[d])
        return list(itertools.product(range(len(self.actions[player])), repeat=count))

    def plan_names(self, player: int) -> tuple[str, ...]:
        names = self.actions[player]
        return tuple("/".join(names[a] for a in plan) for plan in self.plans(player))

    def plan_descriptions(self, player: int) -> tuple[str, ...]:
        d = self.player_dimension[player]
        names = self.actions[player]
        if d is None:
            return tuple("" for _ in names)
        return tuple(
            "; ".join(f"{t}: {names[a]}" for t, a in zip(self.type_names[d], plan)) for plan in self.plans(player)
        )

    def prior_expressions(self) -> dict[tuple[int, ...], tuple[Expression, ...]]:
        """Each type profile's probability as a product of factors (one factor for a joint prior)."""
        out = {}
        for t in self.type_profiles:
            if self.joint is not None:
                out[t] = (self.joint[t],) if t in self.joint else (parse_expression(0, ()),)
            else:
                out[t] = tuple(self.priors[d][k] for d, k in enumerate(t))  # type: ignore[index]
        return out

    # ----------------------------------------------------------------- values
    def prior_at(self, values: Mapping[str, Number]) -> dict[tuple[int, ...], Number]:
        """The probability of every type profile at ``values``, checked: no negative
        probability, and each prior (or the joint table) sums to 1."""
        if self.joint is not None:
            probs = {}
            for t in self.type_profiles:
                expr = self.joint.get(t)
                probs[t] = self._value(expr, values, self.prior_paths[t]) if expr is not None else Fraction(0)
            self._check(
                list(probs.values()),
                "the joint prior",
                "$.prior",
                values,
                set().union(*(e.names for e in self.joint.values())),
            )
            return probs
        assert self.priors is not None
        per_dim = []
        for d, exprs in enumerate(self.priors):
            vals = [self._value(e, values, self.prior_paths[(d, k)]) for k, e in enumerate(exprs)]
            self._check(
                vals,
                f"the prior over {self.dimensions[d]}'s types",
                self.prior_paths[d],
                values,
                set().union(*(e.names for e in exprs)),
            )
            per_dim.append(vals)
        out = {}
        for t in self.type_profiles:
            p: Number = Fraction(1)
            for d, k in enumerate(t):
                p = p * per_dim[d][k]
            out[t] = p
        return out

    def check_values(self, values: Mapping[str, Number]) -> None:
        """Raise :class:`EvaluationError` if the prior is not a probability distribution at ``values``."""
        self.prior_at(values)

    def _value(self, expr: Expression, values, path: str) -> Number:
        try:
            value = expr.evaluate(values)
        except EvaluationError as exc:
            exc.located(file=self.file, path=path)  # the same error, now with its place
            raise
        if isinstance(value, float) and not math.isfinite(value):
            raise EvaluationError(f"prior {expr.text!r} is not finite", file=self.file, path=path)
        return value

    def _check(self, probs: Sequence[Number], what: str, path: str, values, names) -> None:
        at = ", ".join(f"{k} = {parameter_text(values[k])}" for k in sorted(names) if k in values)
        suffix = f" at {at}" if at else ""
        for p in probs:
            if p < 0:
                raise EvaluationError(
                    f"{what} has a negative probability {parameter_text(p)}{suffix}", file=self.file, path=path
                )
        total = sum(probs, Fraction(0))
        exact = all(isinstance(p, Fraction) for p in probs)
        if (total != 1) if exact else abs(float(total) - 1) > _FLOAT_TOL:
            raise EvaluationError(f"{what} sums to {parameter_text(total)}, not 1{suffix}", file=self.file, path=path)
