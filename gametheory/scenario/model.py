"""The scenario model: a game whose payoffs are expressions of documented parameters.

A :class:`Scenario` holds players and their strategies, documented parameters
(and derived ones), and one payoff *expression* per player and strategy
profile; for a game tree or a Bayesian game also the structure behind those
payoffs (:mod:`gametheory.extensive`, :mod:`gametheory.bayesian`). Reading one
from a file is :mod:`gametheory.scenario.normal`'s job.

Binding parameter values (defaults, then a preset, then overrides) turns a
scenario into a numeric :class:`~gametheory.game.NormalFormGame`, exact when
every value is rational.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, cast

import numpy as np

from .. import display
from .._limits import check_float_range, exact_number
from ..errors import EvaluationError, InputError
from ..expressions import Expression, parse_expression
from ..game import NormalFormGame, payoff_array
from .common import suggest, value_text

Number = Fraction | float


class ParameterRangeWarning(UserWarning):
    """A parameter value lies outside the plausible range its scenario declares."""


# ---------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Parameter:
    """A named, documented model parameter."""

    name: str
    default: Fraction
    low: Fraction | None = None
    high: Fraction | None = None
    unit: str = ""
    description: str = ""
    source: str = ""
    distribution: Mapping[str, Any] | None = None

    @property
    def range(self) -> tuple[Fraction, Fraction] | None:
        return None if self.low is None or self.high is None else (self.low, self.high)


@dataclass(frozen=True)
class Derived:
    """A parameter defined by an expression of other parameters."""

    name: str
    expression: Expression
    unit: str = ""
    description: str = ""


@dataclass(frozen=True)
class Player:
    name: str
    strategies: tuple[str, ...]
    description: str = ""
    strategy_descriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preset:
    name: str
    values: Mapping[str, Fraction]
    description: str = ""
    #: Names of equilibria under this preset (as :attr:`Scenario.names`), over the scenario's.
    names: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario: a game whose payoffs are expressions of parameters.

    ``payoffs`` is an object array of :class:`~gametheory.expressions.Expression`
    with shape ``(N + number of observers, n_0, ..., n_{N-1})``, in the game
    convention of :mod:`gametheory.game` (observers' rows after the players').
    """

    title: str
    players: tuple[Player, ...]
    parameters: Mapping[str, Parameter]
    derived: Mapping[str, Derived]
    payoffs: np.ndarray
    payoff_paths: np.ndarray
    teaches: str = ""
    description: str = ""
    sources: tuple[Mapping[str, str], ...] = ()
    observers: tuple[Player, ...] = ()
    presets: Mapping[str, Preset] = field(default_factory=dict)
    default_preset: str | None = None
    claims: tuple[Mapping[str, Any], ...] = ()
    #: Questions for a seminar's discussion, shown at the end of the handout.
    questions: tuple[str, ...] = ()
    #: The story's names of equilibria: name -> each player's support as strategy names (file order).
    names: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    file: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)
    # Game trees and Bayesian games (see gametheory.extensive / gametheory.bayesian): the
    # structure behind the reduced or ex-ante normal form held in ``payoffs``.
    extensive: Any = None
    bayesian: Any = None

    # ------------------------------------------------------------- basic facts
    @property
    def player_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.players)

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.strategies for p in self.players)

    @property
    def equilibrium_names(self) -> dict[tuple[tuple[str, ...], ...], str]:
        """Support (strategy names per player, file order) -> the name the scenario gives it."""
        return {support: name for name, support in self.names.items()}

    def preset_equilibrium_names(self, preset: str | None = None) -> dict[tuple[tuple[str, ...], ...], str]:
        """:attr:`equilibrium_names` under ``preset`` (default: the default preset): the preset's names
        added, each replacing the scenario's name of its support and the scenario's use of its name."""
        chosen = self.presets.get(preset if preset is not None else self.default_preset or "")
        if chosen is None or not chosen.names:
            return self.equilibrium_names
        kept = {name: support for name, support in self.names.items() if name not in chosen.names}
        out = {support: name for name, support in kept.items()}
        out.update({support: name for name, support in chosen.names.items()})
        return out

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(p.strategies) for p in self.players)

    @property
    def defaults(self) -> dict[str, Fraction]:
        return {name: p.default for name, p in self.parameters.items()}

    @cached_property
    def used_parameters(self) -> frozenset[str]:
        """Parameters that some payoff depends on (directly or through derived ones)."""
        return frozenset(n for n in self.used_names if n in self.parameters)

    @cached_property
    def used_names(self) -> frozenset[str]:
        """Parameter and derived names that some payoff depends on, directly or indirectly."""
        used: set[str] = set()
        for expr in self.payoffs.ravel():
            used |= expr.names
        changed = True
        while changed:
            changed = False
            for name in list(used):
                if name in self.derived:
                    new = self.derived[name].expression.names - used
                    if new:
                        used |= new
                        changed = True
        return frozenset(used)

    # ----------------------------------------------------------- display
    def __repr__(self) -> str:
        return display.render(self, "text") or object.__repr__(self)

    def _repr_html_(self) -> str | None:
        return display.render(self, "html")

    def _repr_latex_(self) -> str | None:
        return display.render(self, "latex")

    # ----------------------------------------------------------------- binding
    def parameter_values(
        self,
        overrides: Mapping[str, object] | None = None,
        *,
        preset: str | None = None,
        strict: bool = False,
    ) -> dict[str, Number]:
        """Values of every parameter and derived parameter: defaults, then the preset, then ``overrides``.

        Unknown names, derived names, non-numbers and non-finite values raise
        :class:`InputError`. A value outside its declared range issues a
        :class:`ParameterRangeWarning`, or raises with ``strict=True``.
        """
        values: dict[str, Number] = dict(self.defaults)
        chosen = preset if preset is not None else self.default_preset
        if chosen is not None:
            if chosen not in self.presets:
                raise InputError(
                    f"unknown preset {chosen!r}{suggest(chosen, self.presets)}"
                    f"; presets are: {', '.join(self.presets) or '(none)'}",
                    file=self.file,
                )
            values.update(self.presets[chosen].values)
        for name, raw in (overrides or {}).items():
            if name not in self.parameters:
                if name in self.derived:
                    raise InputError(
                        f"{name!r} is a derived parameter ({self.derived[name].expression.text}); "
                        "set the parameters it is computed from",
                        file=self.file,
                    )
                raise InputError(f"unknown parameter {name!r}{suggest(name, self.parameters)}", file=self.file)
            values[name] = coerce_number(raw, what=f"value of {name}")
        for name, value in values.items():
            declared = self.parameters[name].range
            if declared is None:
                continue
            low, high = declared
            if not (low <= value <= high):
                message = (
                    f"{name} = {value_text(value)} is outside its declared range "
                    f"[{value_text(low)}, {value_text(high)}]"
                )
                if strict:
                    raise InputError(message, file=self.file)
                warnings.warn(message, ParameterRangeWarning, stacklevel=2)
        for name, derived in self.derived.items():  # stored in dependency order
            try:
                values[name] = derived.expression.evaluate(values)
            except EvaluationError as exc:
                if name in self.used_names:
                    raise exc.located(file=self.file, path=f"$.derived.{name}.expression") from None
                # A derived quantity no payoff uses (e.g. a documented closed form) may be
                # undefined at some values; it is then simply left out.
        return values

    def with_derived(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` (every parameter) plus every derived parameter, evaluated exactly in dependency order.

        Unlike :meth:`parameter_values` it does no checking and adds no defaults:
        sweeps, thresholds and Monte Carlo call it at many points they built themselves.
        """
        out = dict(values)
        for name, derived in self.derived.items():
            out[name] = derived.expression.evaluate(out)
        return out

    def bind(
        self,
        overrides: Mapping[str, object] | None = None,
        *,
        preset: str | None = None,
        strict: bool = False,
    ) -> NormalFormGame:
        """The numeric game at the given parameter values (exact when they are rational)."""
        values = self.parameter_values(overrides, preset=preset, strict=strict)
        return self.game_at(values, names=self.preset_equilibrium_names(preset))

    def game_at(self, values: Mapping[str, Number], *, names: Mapping | None = None) -> NormalFormGame:
        """The numeric game for a complete mapping of parameter (and derived) values (``names``: its
        names of equilibria, default the scenario's)."""
        for structure in (self.extensive, self.bayesian):
            if structure is not None:  # chance probabilities / priors valid at these values
                try:
                    structure.check_values(values)
                except InputError as exc:
                    raise exc.located(file=self.file) from None
        cells = np.empty(self.payoffs.shape, dtype=object)
        for idx in np.ndindex(*self.payoffs.shape):
            # ``payoffs`` is an object array: numpy types its elements as arrays, they are Expressions.
            expr = cast(Expression, self.payoffs[idx])
            try:
                value = expr.evaluate(values)
            except EvaluationError as exc:
                raise exc.located(file=self.file, path=str(self.payoff_paths[idx])) from None
            if isinstance(value, float) and not math.isfinite(value):
                raise EvaluationError(
                    f"payoff {expr.text!r} is not finite at these parameter values",
                    file=self.file,
                    path=str(self.payoff_paths[idx]),
                )
            try:
                check_float_range(value, what=f"payoff {expr.text!r} at these parameter values")
            except InputError as exc:
                raise exc.located(file=self.file, path=str(self.payoff_paths[idx])) from None
            cells[idx] = value
        n = len(self.players)
        arr = payoff_array(cells)
        shown = {k: v for k, v in values.items() if k in self.parameters}
        return NormalFormGame(
            payoffs=arr[:n].copy(),
            players=self.player_names,
            strategies=self.strategies,
            title=self.title,
            parameters=shown,
            observers=tuple(o.name for o in self.observers),
            observer_payoffs=arr[n:].copy() if self.observers else None,
            names=self.equilibrium_names if names is None else names,
        )

    # ------------------------------------------------------------- builders
    @classmethod
    def from_game(cls, game: NormalFormGame, *, file: str | None = None) -> Scenario:
        """Wrap a numeric game (e.g. read from a Gambit file) as a scenario without parameters."""
        n = game.num_players
        rows = [game.payoffs[i] for i in range(n)]
        if game.observer_payoffs is not None:
            rows += [game.observer_payoffs[k] for k in range(len(game.observers))]
        stacked = np.stack(rows)
        exprs = np.empty(stacked.shape, dtype=object)
        paths = np.empty(stacked.shape, dtype=object)
        for idx in np.ndindex(*stacked.shape):
            # A game's payoffs are numbers (Fractions or floats); numpy types an element as an array.
            exprs[idx] = parse_expression(cast(Number, stacked[idx]), ())
            paths[idx] = f"payoff of player {idx[0] + 1} at profile {idx[1:]}"
        return cls(
            title=game.title or (os.path.basename(file) if file else "game"),
            players=tuple(Player(p, s) for p, s in zip(game.players, game.strategies)),
            parameters={},
            derived={},
            payoffs=exprs,
            payoff_paths=paths,
            observers=tuple(Player(o, ()) for o in game.observers),
            file=file,
        )


# -------------------------------------------------------------------- values
def coerce_number(raw: object, *, what: str = "value") -> Fraction:
    """A user-given number as an exact Fraction when possible.

    Accepts ints, Fractions, finite floats (read through their shortest decimal
    form, so ``0.1`` becomes 1/10) and numeric text (``"0.1"``, ``"3/4"``, ``"1e-3"``).
    Literals of absurd size and values beyond the float range are refused
    (:mod:`gametheory._limits`).
    """
    value = _exact_value(raw, what)
    check_float_range(value, what=what)
    return value


def _exact_value(raw: object, what: str) -> Fraction:
    if isinstance(raw, bool):
        raise InputError(f"{what} must be a number, not {raw!r}")
    if isinstance(raw, (int, np.integer)):
        return Fraction(int(raw))
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, (float, np.floating)):
        if not math.isfinite(raw):
            raise InputError(f"{what} must be finite, got {raw!r}")
        return Fraction(repr(float(raw)))
    if isinstance(raw, str):
        return exact_number(raw, what=what)
    raise InputError(f"{what} must be a number, got {raw!r}")


def scenario_values(scenario: Scenario, parameters: Mapping[str, Number]) -> dict[str, Number]:
    """Parameter values plus every derived value, as bound games leave them out
    (no range warnings: the game was bound already)."""
    values: dict[str, Number] = dict(scenario.defaults)
    values.update(parameters)
    for name, derived in scenario.derived.items():
        with contextlib.suppress(EvaluationError):  # a value undefined at these parameters is left out
            values[name] = derived.expression.evaluate(values)
    return values
