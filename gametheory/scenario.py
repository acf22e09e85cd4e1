"""Scenario files: untrusted JSON in, a validated :class:`Scenario` out.

A scenario is the user's model: players and their strategies, documented
parameters, and one payoff *expression* per player and strategy profile. It is
validated once, here, against the shipped JSON Schema
(``gametheory/schema/scenario.schema.json``) and then semantically (names,
profiles, expressions, cycles). Every error is an
:class:`~gametheory.errors.InputError` that names the file and the JSON path,
e.g. ``games/x.json: $.payoffs[3].profile[1]: 'acept' is not a strategy of
Russia (did you mean 'accept'?)``.

Binding parameter values (defaults, then a preset, then overrides) turns a
scenario into a numeric :class:`~gametheory.game.NormalFormGame`, exact when
every value is rational.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Iterable, Mapping

import numpy as np

from . import display
from .errors import EvaluationError, ExpressionError, InputError
from .expressions import Expression, parse_expression
from .game import NormalFormGame, payoff_array

FORMAT = "gametheory-scenario/1"
SCHEMA_FILE = os.path.join(os.path.dirname(__file__), "schema", "scenario.schema.json")
MAX_FILE_BYTES = 5_000_000
MAX_PROFILES = 1_000_000

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
                    f"unknown preset {chosen!r}{_suggest(chosen, self.presets)}"
                    f"; presets are: {', '.join(self.presets) or '(none)'}",
                    file=self.file,
                )
            values.update(self.presets[chosen].values)
        for name, raw in (overrides or {}).items():
            if name not in self.parameters:
                if name in self.derived:
                    raise InputError(
                        f"{name!r} is a derived parameter ({self.derived[name].expression.text}); set the parameters it is computed from",
                        file=self.file,
                    )
                raise InputError(f"unknown parameter {name!r}{_suggest(name, self.parameters)}", file=self.file)
            values[name] = coerce_number(raw, what=f"value of {name}")
        for name, value in values.items():
            param = self.parameters[name]
            if param.range is not None and not (param.low <= value <= param.high):
                message = (
                    f"{name} = {_show(value)} is outside its declared range "
                    f"[{_show(param.low)}, {_show(param.high)}]"
                )
                if strict:
                    raise InputError(message, file=self.file)
                warnings.warn(message, ParameterRangeWarning, stacklevel=2)
        for name, derived in self.derived.items():  # stored in dependency order
            try:
                values[name] = derived.expression.evaluate(values)
            except EvaluationError as exc:
                if name in self.used_names:
                    raise exc.located(file=self.file, path=f"$.derived.{name}.expression")
                # A derived quantity no payoff uses (e.g. a documented closed form) may be
                # undefined at some values; it is then simply left out.
        return values

    def bind(
        self,
        overrides: Mapping[str, object] | None = None,
        *,
        preset: str | None = None,
        strict: bool = False,
    ) -> NormalFormGame:
        """The numeric game at the given parameter values (exact when they are rational)."""
        values = self.parameter_values(overrides, preset=preset, strict=strict)
        return self.game_at(values)

    def game_at(self, values: Mapping[str, Number]) -> NormalFormGame:
        """The numeric game for a complete mapping of parameter (and derived) values."""
        for structure in (self.extensive, self.bayesian):
            if structure is not None:  # chance probabilities / priors valid at these values
                try:
                    structure.check_values(values)
                except InputError as exc:
                    raise exc.located(file=self.file)
        cells = np.empty(self.payoffs.shape, dtype=object)
        for idx in np.ndindex(*self.payoffs.shape):
            expr = self.payoffs[idx]
            try:
                value = expr.evaluate(values)
            except EvaluationError as exc:
                raise exc.located(file=self.file, path=str(self.payoff_paths[idx]))
            if isinstance(value, float) and not math.isfinite(value):
                raise EvaluationError(
                    f"payoff {expr.text!r} is not finite at these parameter values",
                    file=self.file,
                    path=str(self.payoff_paths[idx]),
                )
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
        )

    # ------------------------------------------------------------- builders
    @classmethod
    def from_game(cls, game: NormalFormGame, *, file: str | None = None) -> "Scenario":
        """Wrap a numeric game (e.g. read from a Gambit file) as a scenario without parameters."""
        n = game.num_players
        rows = [game.payoffs[i] for i in range(n)]
        if game.observer_payoffs is not None:
            rows += [game.observer_payoffs[k] for k in range(len(game.observers))]
        stacked = np.stack(rows)
        exprs = np.empty(stacked.shape, dtype=object)
        paths = np.empty(stacked.shape, dtype=object)
        for idx in np.ndindex(*stacked.shape):
            exprs[idx] = parse_expression(stacked[idx], ())
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


# -------------------------------------------------------------------- helpers
def check_payoff_names(values: Mapping[str, Any], everyone: list[str], path: str, *, complete: bool = True) -> None:
    """Refuse payoffs keyed by a name that is not a player (or observer), and, when ``complete``,
    a row that leaves someone out; errors name the JSON path."""
    for name in values:
        if name not in everyone:
            raise InputError(
                f"{name!r} is not a player{_suggest(name, everyone)}; players are {', '.join(everyone)}",
                path=f"{path}.{name}",
            )
    missing = [name for name in everyone if name not in values]
    if complete and missing:
        raise InputError(f"no payoff given for {', '.join(missing)}", path=path)


def _suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value: Number) -> str:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        as_float = float(value)
        if Fraction(repr(as_float)) == value:
            return repr(as_float)
        return f"{value.numerator}/{value.denominator}"
    return f"{value:g}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(value)
    return str(value)


def coerce_number(raw: object, *, what: str = "value") -> Number:
    """A user-given number as an exact Fraction when possible.

    Accepts ints, Fractions, finite floats (read through their shortest decimal
    form, so ``0.1`` becomes 1/10) and numeric text (``"0.1"``, ``"3/4"``, ``"1e-3"``).
    """
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
        text = raw.strip()
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{what} must be a number (like 2, 0.25, 3/4 or 1e-3), got {raw!r}") from None
        return value
    raise InputError(f"{what} must be a number, got {raw!r}")


def _json_number(text: str) -> Fraction:
    return Fraction(text)


def _reject_constant(name: str) -> None:
    raise InputError(f"non-finite number {name} is not allowed")


def read_json(text: str, *, file: str | None = None) -> Any:
    """Parse JSON with exact decimals (``0.1`` -> Fraction(1, 10)); errors carry line and column."""
    try:
        return json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=file) from None
    except InputError as exc:
        raise exc.located(file=file)
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", file=file) from None


_SCHEMA_VALIDATOR = None


def _validator():
    global _SCHEMA_VALIDATOR
    if _SCHEMA_VALIDATOR is None:
        import jsonschema

        with open(SCHEMA_FILE, encoding="utf-8") as handle:
            schema = json.load(handle)
        cls = jsonschema.validators.validator_for(schema)
        _SCHEMA_VALIDATOR = cls(schema)
    return _SCHEMA_VALIDATOR


def schema() -> dict:
    """The JSON Schema of scenario files (a copy)."""
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _schema_message(error) -> tuple[str, str]:
    """Turn a jsonschema error into (json path, one clear sentence)."""
    path = error.json_path
    validator = error.validator
    if validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        if extras:
            name = extras[0]
            hint = _suggest(name, allowed)
            return path, f"unknown field {name!r}{hint}; allowed here: {', '.join(allowed)}"
    if validator == "required":
        return path, error.message.replace("is a required property", "is required here")
    if validator in ("oneOf", "anyOf") and path == "$":
        data = error.instance
        if isinstance(data, dict) and "payoffs" in data and "matrix" in data:
            return path, "give either 'payoffs' or 'matrix', not both"
        if isinstance(data, dict):
            return path, "payoffs are missing: give a 'payoffs' list (or a 'matrix' for 2-player games)"
    if validator in ("oneOf", "anyOf") and error.context:
        best = min(error.context, key=lambda e: len(e.path))
        return _schema_message(best) if best.json_path != path else (path, best.message)
    if validator in ("enum", "const"):
        options = error.validator_value if validator == "enum" else [error.validator_value]
        shown = ", ".join(repr(o) for o in options)
        hint = _suggest(error.instance, [str(o) for o in options]) if isinstance(error.instance, str) else ""
        return path, f"{json.dumps(_plain(error.instance))[:60]} is not allowed here{hint}; choose one of {shown}"
    if validator == "type":
        return path, f"expected {error.validator_value}, found {json.dumps(_plain(error.instance))[:60]}"
    return path, error.message


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------- loading
def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and validate a scenario file; every problem raises :class:`InputError` naming the file."""
    file = os.fspath(path)
    try:
        size = os.path.getsize(file)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=file) from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is {size} bytes; scenario files are limited to {MAX_FILE_BYTES}", file=file)
    try:
        with open(file, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=file) from None
    return parse_scenario(read_json(text, file=file), file=file)


def parse_scenario(data: Any, *, file: str | None = None) -> Scenario:
    """Validate already-parsed JSON data (use :func:`read_json` for exact decimals)."""
    if not isinstance(data, dict):
        raise InputError("a scenario file must contain a JSON object", file=file, path="$")
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.path), list(map(str, e.path))))
    if errors:
        path, message = _schema_message(errors[0])
        raise InputError(message, file=file, path=path)
    try:
        return _build(data, file)
    except InputError as exc:
        raise exc.located(file=file)


def _build(data: dict, file: str | None) -> Scenario:
    form = data.get("form", "normal")
    if form == "normal":
        players = _players(data["players"], "$.players")
    else:  # a tree's or Bayesian game's strategies (plans) come from its structure
        players = tuple(Player(p["name"], (), _text(p.get("description"))) for p in data["players"])
    observers = tuple(
        Player(o["name"], (), _text(o.get("description"))) for o in data.get("observers", [])
    )
    everyone = [p.name for p in players] + [o.name for o in observers]
    for k, name in enumerate(everyone):
        if name in everyone[:k]:
            where = f"$.players[{k}].name" if k < len(players) else f"$.observers[{k - len(players)}].name"
            raise InputError(f"duplicate player name {name!r}", path=where)

    parameters = {}
    for name, spec in data.get("parameters", {}).items():
        parameters[name] = _parameter(name, spec, f"$.parameters.{name}")
    derived = _derived(data.get("derived", {}), parameters)
    names = set(parameters) | set(derived)

    generated: dict[str, Any] = {}  # the tree or Bayesian structure behind generated payoffs
    if form == "tree":
        from .extensive import tree_form

        players, payoffs, paths, generated = tree_form(data, players, observers, names)
    elif form == "bayesian":
        from .bayesian import bayesian_form

        players, payoffs, paths, generated = bayesian_form(data, players, observers, names)
    else:
        for key in ("tree", "nodes", "nature", "prior"):
            if key in data:
                kind = "tree" if key in ("tree", "nodes") else "bayesian"
                raise InputError(f"{key!r} belongs to {kind} files: add \"form\": \"{kind}\"", path=f"$.{key}")
        for r, row in enumerate(data.get("payoffs", [])):
            if "types" in row:
                raise InputError("'types' belongs to bayesian files: add \"form\": \"bayesian\"", path=f"$.payoffs[{r}].types")
        shape = tuple(len(p.strategies) for p in players)
        count = math.prod(shape)
        if count > MAX_PROFILES:
            raise InputError(f"the game has {count} strategy profiles; the limit is {MAX_PROFILES}", path="$.players")
        rows = len(players) + len(observers)
        payoffs = np.empty((rows, *shape), dtype=object)
        paths = np.empty((rows, *shape), dtype=object)
        if "matrix" in data:
            _matrix(data["matrix"], players, observers, names, payoffs, paths)
        else:
            _rows(data["payoffs"], players, observers, names, payoffs, paths)

    presets = {}
    for pname, spec in data.get("presets", {}).items():
        values = {}
        for key, raw in spec["values"].items():
            where = f"$.presets.{pname}.values.{key}"
            if key not in parameters:
                raise InputError(f"unknown parameter {key!r}{_suggest(key, parameters)}", path=where)
            values[key] = _finite(raw, where)
        presets[pname] = Preset(pname, values, _text(spec.get("description")))
    default_preset = data.get("default_preset")
    if default_preset is not None and default_preset not in presets:
        raise InputError(
            f"default preset {default_preset!r} is not defined{_suggest(default_preset, presets)}",
            path="$.default_preset",
        )
    for k, claim in enumerate(data.get("claims", [])):
        for j, pname in enumerate(claim.get("parameters", [])):
            if pname not in names:
                raise InputError(
                    f"unknown parameter {pname!r}{_suggest(pname, names)}", path=f"$.claims[{k}].parameters[{j}]"
                )
    return Scenario(
        title=data["title"],
        players=players,
        parameters=parameters,
        derived=derived,
        payoffs=payoffs,
        payoff_paths=paths,
        teaches=data.get("teaches", ""),
        description=_text(data.get("description")),
        sources=tuple(data.get("sources", [])),
        observers=observers,
        presets=presets,
        default_preset=default_preset,
        claims=tuple(data.get("claims", [])),
        file=file,
        raw=data,
        **generated,
    )


def _players(items: list, where: str) -> tuple[Player, ...]:
    players = []
    for k, item in enumerate(items):
        names, descriptions = [], []
        for j, strat in enumerate(item["strategies"]):
            name = strat if isinstance(strat, str) else strat["name"]
            if name in names:
                raise InputError(
                    f"duplicate strategy name {name!r} for player {item['name']!r}",
                    path=f"{where}[{k}].strategies[{j}]",
                )
            names.append(name)
            descriptions.append("" if isinstance(strat, str) else _text(strat.get("description")))
        players.append(Player(item["name"], tuple(names), _text(item.get("description")), tuple(descriptions)))
    return tuple(players)


def _finite(raw: object, where: str) -> Fraction:
    try:
        return coerce_number(raw)
    except InputError as exc:
        raise exc.located(path=where)


def _parameter(name: str, spec: dict, where: str) -> Parameter:
    if not name.isidentifier() or not name.isascii():
        raise InputError(f"parameter name {name!r} must be letters, digits and _ (not starting with a digit)", path=where)
    default = _finite(spec["default"], f"{where}.default")
    low = high = None
    if "range" in spec:
        low, high = (_finite(v, f"{where}.range") for v in spec["range"])
        if low > high:
            raise InputError(f"range [{_show(low)}, {_show(high)}] is empty (low > high)", path=f"{where}.range")
        if not low <= default <= high:
            raise InputError(
                f"default {_show(default)} lies outside the range [{_show(low)}, {_show(high)}]", path=f"{where}.default"
            )
    return Parameter(
        name=name,
        default=default,
        low=low,
        high=high,
        unit=spec.get("unit", ""),
        description=_text(spec.get("description")),
        source=spec.get("source", ""),
        distribution=spec.get("distribution"),
    )


def _derived(specs: dict, parameters: Mapping[str, Parameter]) -> dict[str, Derived]:
    """Parse derived parameters and order them so each comes after what it uses (cycles are errors)."""
    names = set(parameters) | set(specs)
    parsed: dict[str, Derived] = {}
    for name, spec in specs.items():
        where = f"$.derived.{name}"
        if name in parameters:
            raise InputError(f"{name!r} is both a parameter and a derived parameter", path=where)
        if not name.isidentifier() or not name.isascii():
            raise InputError(f"derived name {name!r} must be letters, digits and _", path=where)
        expr = _expression(spec["expression"], names, f"{where}.expression")
        parsed[name] = Derived(name, expr, spec.get("unit", ""), _text(spec.get("description")))
    ordered: dict[str, Derived] = {}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = trail[trail.index(name):] + [name]
            raise InputError(f"derived parameters form a cycle: {' -> '.join(cycle)}", path=f"$.derived.{name}")
        state[name] = "active"
        for dep in sorted(parsed[name].expression.names):
            if dep in parsed:
                visit(dep, trail + [name])
        state[name] = "done"
        ordered[name] = parsed[name]

    for name in parsed:
        visit(name, [])
    return ordered


def _expression(raw: object, names: Iterable[str], where: str) -> Expression:
    try:
        return parse_expression(raw, names)
    except ExpressionError as exc:
        raise exc.located(path=where)


def _matrix(matrix: list, players, observers, names, payoffs: np.ndarray, paths: np.ndarray) -> None:
    if len(players) != 2:
        raise InputError(f"'matrix' is for 2-player games; this file has {len(players)} players", path="$.matrix")
    rows, cols = len(players[0].strategies), len(players[1].strategies)
    width = 2 + len(observers)
    if len(matrix) != rows:
        raise InputError(
            f"expected {rows} rows (one per strategy of {players[0].name}), found {len(matrix)}", path="$.matrix"
        )
    for r, row in enumerate(matrix):
        if len(row) != cols:
            raise InputError(
                f"expected {cols} cells (one per strategy of {players[1].name}), found {len(row)}",
                path=f"$.matrix[{r}]",
            )
        for c, cell in enumerate(row):
            if len(cell) != width:
                raise InputError(
                    f"expected {width} payoffs ({', '.join([players[0].name, players[1].name] + [o.name for o in observers])}), found {len(cell)}",
                    path=f"$.matrix[{r}][{c}]",
                )
            for k, raw in enumerate(cell):
                where = f"$.matrix[{r}][{c}][{k}]"
                payoffs[(k, r, c)] = _expression(raw, names, where)
                paths[(k, r, c)] = where


def _rows(rows: list, players, observers, names, payoffs: np.ndarray, paths: np.ndarray) -> None:
    everyone = [p.name for p in players] + [o.name for o in observers]
    seen: dict[tuple[int, ...], int] = {}
    for r, row in enumerate(rows):
        where = f"$.payoffs[{r}]"
        profile = row["profile"]
        if len(profile) != len(players):
            raise InputError(
                f"profile has {len(profile)} strategies but the game has {len(players)} players "
                f"({', '.join(p.name for p in players)})",
                path=f"{where}.profile",
            )
        index = []
        for i, (player, strat) in enumerate(zip(players, profile)):
            if strat not in player.strategies:
                raise InputError(
                    f"{strat!r} is not a strategy of {player.name}{_suggest(strat, player.strategies)}; "
                    f"its strategies are {', '.join(player.strategies)}",
                    path=f"{where}.profile[{i}]",
                )
            index.append(player.strategies.index(strat))
        key = tuple(index)
        if key in seen:
            raise InputError(
                f"profile ({', '.join(profile)}) is already given at $.payoffs[{seen[key]}]", path=f"{where}.profile"
            )
        seen[key] = r
        values = row["payoffs"]
        if isinstance(values, list):
            if len(values) != len(everyone):
                raise InputError(
                    f"expected {len(everyone)} payoffs ({', '.join(everyone)}), found {len(values)}",
                    path=f"{where}.payoffs",
                )
            items = list(zip(everyone, values, [f"{where}.payoffs[{k}]" for k in range(len(values))]))
        else:
            check_payoff_names(values, everyone, f"{where}.payoffs")
            items = [(name, values[name], f"{where}.payoffs.{name}") for name in everyone]
        for k, (_, raw, path) in enumerate(items):
            payoffs[(k, *key)] = _expression(raw, names, path)
            paths[(k, *key)] = path
    shape = tuple(len(p.strategies) for p in players)
    missing = [idx for idx in np.ndindex(*shape) if idx not in seen]
    if missing:
        shown = "; ".join(
            "(" + ", ".join(players[i].strategies[a] for i, a in enumerate(idx)) + ")" for idx in missing[:3]
        )
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InputError(
            f"{len(missing)} strategy profile(s) have no payoff row: {shown}{more}", path="$.payoffs"
        )
