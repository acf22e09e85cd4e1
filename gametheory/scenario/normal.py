"""Scenario files: untrusted JSON in, a validated :class:`~gametheory.scenario.model.Scenario` out.

A scenario file is validated once, here, against the shipped JSON Schema
(``gametheory/schema/scenario.schema.json``) and then semantically (names,
profiles, expressions, cycles). Every error is an
:class:`~gametheory.errors.InputError` that names the file and the JSON path,
e.g. ``games/x.json: $.payoffs[3].profile[1]: 'acept' is not a strategy of
Russia (did you mean 'accept'?)``. This module reads the parts every scenario
has and the payoffs of normal-form files; game trees and Bayesian games are
read by :mod:`.tree` and :mod:`.bayesian`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from .._limits import MAX_FILE_BYTES as LIMITS
from .._limits import MAX_TREE_DEPTH, exact_number, read_capped_text, room_for_deep_trees
from ..errors import InputError
from ._schemacheck import schema_verdict
from .bayesian import bayesian_form
from .common import check_payoff_names, description_text, located_expression, suggest, value_text
from .model import Derived, Parameter, Player, Preset, Scenario, coerce_number
from .tree import tree_form

FORMAT = "gametheory-scenario/1"
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "schema", "scenario.schema.json")
MAX_FILE_BYTES = LIMITS["scenario"]
MAX_PROFILES = 1_000_000


class _LiteralError(InputError):
    """A number literal refused by the resource policy; ``literal`` is its text, to locate it."""

    def __init__(self, error: InputError, literal: str):
        super().__init__(error.message)
        self.literal = literal


def _json_number(text: str) -> Fraction:
    try:
        return exact_number(text, what="number")
    except InputError as exc:
        raise _LiteralError(exc, text) from None


def _json_integer(text: str) -> int:
    try:
        return int(exact_number(text, what="integer"))
    except InputError as exc:
        raise _LiteralError(exc, text) from None


def _reject_constant(name: str) -> None:
    raise InputError(f"non-finite number {name} is not allowed")


class _Keys(dict):
    """A JSON object whose text named ``duplicate`` more than once (reported with its path by :func:`_check_tree`)."""

    duplicate: str | None = None


def _object(pairs: list[tuple[str, Any]]) -> dict:
    result = _Keys(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        result.duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return result


def _check_tree(data: Any) -> None:
    """Refuse duplicate keys, lone surrogates and nesting deeper than a tree may go, naming the JSON path.

    Iterative, so that it holds however deep the data are.
    """
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > _MAX_NESTING:
            raise InputError(
                f"nested more than {_MAX_NESTING} levels deep (trees may have {MAX_TREE_DEPTH} levels)", path=path
            )
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, dict):
            if isinstance(value, _Keys) and value.duplicate is not None:
                raise InputError(
                    f"duplicate key {value.duplicate!r}: each key may appear once in an object "
                    "(a second one would silently replace the first)",
                    path=path,
                )
            for key, item in value.items():
                _check_text(key, path)
                stack.append((item, f"{path}.{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{k}]", depth + 1) for k, item in enumerate(value))


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"text has a lone surrogate \\u{ord(text[exc.start]):04x} at character {exc.start + 1}, "
            "which is not a character (a broken \\u escape?)",
            path=path,
        ) from None


#: Deepest JSON nesting accepted: a tree level is two levels (a node and its ``moves``), plus the top.
_MAX_NESTING = 2 * MAX_TREE_DEPTH + 8


def read_json(text: str, *, file: str | None = None) -> Any:
    """Parse JSON with exact decimals (``0.1`` -> Fraction(1, 10)); errors carry line and column.

    Strict: a duplicate key, a lone surrogate, a number literal of absurd size
    (:mod:`gametheory._limits`) or nesting deeper than a game tree may go are
    refused with their place.
    """
    try:
        data = json.loads(
            text,
            parse_float=_json_number,
            parse_int=_json_integer,
            parse_constant=_reject_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=file) from None
    except _LiteralError as exc:
        raise InputError(f"{_place(text, exc.literal)}{exc.message}", file=file) from None
    except InputError as exc:
        raise exc.located(file=file) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", file=file) from None
    try:
        _check_tree(data)
    except InputError as exc:
        raise exc.located(file=file) from None
    return data


def _place(text: str, literal: str) -> str:
    """``line L, column C: `` of the first occurrence of ``literal`` in ``text`` (empty if not found)."""
    at = text.find(literal)
    if at < 0:
        return ""
    line = text.count("\n", 0, at) + 1
    return f"line {line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}: "


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


_SCHEMA: dict | None = None


def _schema_valid(data: Any) -> bool:
    """True when the quick check proves ``data`` valid, so jsonschema (slow to import) is not needed."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = schema()
    return schema_verdict(_SCHEMA, data) is True


def _schema_message(error) -> tuple[str, str]:
    """Turn a jsonschema error into (json path, one clear sentence)."""
    path = error.json_path
    validator = error.validator
    if validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        if extras:
            name = extras[0]
            hint = suggest(name, allowed)
            return path, f"unknown field {name!r}{hint}; allowed here: {', '.join(allowed)}"
    if validator == "required":
        return path, _required_message(error)
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
        hint = suggest(error.instance, [str(o) for o in options]) if isinstance(error.instance, str) else ""
        return path, f"{json.dumps(_plain(error.instance))[:60]} is not allowed here{hint}; choose one of {shown}"
    if validator == "type":
        return path, f"expected {error.validator_value}, found {json.dumps(_plain(error.instance))[:60]}"
    return path, error.message


def _required_message(error) -> str:
    """``'default' is required here``, naming a misspelt key of the same object when there is one."""
    message = error.message.replace("is a required property", "is required here")
    known = list(error.schema.get("properties", {}))
    if not isinstance(error.instance, dict) or not known:
        return message
    unknown = [key for key in error.instance if key not in known]
    missing = [key for key in error.validator_value if key not in error.instance]
    for key in unknown:
        if suggest(key, missing):
            return f"unknown field {key!r}{suggest(key, missing)}; {message}"
    return message


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
    text = read_capped_text(file, kind="scenario")
    return parse_scenario(read_json(text, file=file), file=file)


def parse_scenario(data: Any, *, file: str | None = None) -> Scenario:
    """Validate already-parsed JSON data (use :func:`read_json` for exact decimals)."""
    if not isinstance(data, dict):
        raise InputError("a scenario file must contain a JSON object", file=file, path="$")
    with room_for_deep_trees():
        if _schema_valid(data):
            errors = []
        else:
            errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.path), list(map(str, e.path))))
        if errors:
            path, message = _schema_message(errors[0])
            raise InputError(message, file=file, path=path)
        try:
            return _build(data, file)
        except InputError as exc:
            raise exc.located(file=file) from None


def _build(data: dict, file: str | None) -> Scenario:
    """The :class:`Scenario` of schema-valid file data, checked for what the schema cannot say (names,
    profiles, expressions); the payoffs come from the form of the file (normal, tree or bayesian)."""
    form = data.get("form", "normal")
    players, observers = _people(data, form)
    parameters = {
        name: _parameter(name, spec, f"$.parameters.{name}") for name, spec in data.get("parameters", {}).items()
    }
    derived = _derived(data.get("derived", {}), parameters)
    names = set(parameters) | set(derived)
    generated: dict[str, Any] = {}  # the tree or Bayesian structure behind generated payoffs
    if form == "tree":
        players, payoffs, paths, generated = tree_form(data, players, observers, names)
    elif form == "bayesian":
        players, payoffs, paths, generated = bayesian_form(data, players, observers, names)
    else:
        payoffs, paths = _normal_form(data, players, observers, names)
    presets, default_preset = _presets(data, parameters, players)
    equilibrium_names = _equilibrium_names(data.get("names", {}), players)
    for k, claim in enumerate(data.get("claims", [])):
        for j, pname in enumerate(claim.get("parameters", [])):
            if pname not in names:
                raise InputError(
                    f"unknown parameter {pname!r}{suggest(pname, names)}", path=f"$.claims[{k}].parameters[{j}]"
                )
    return Scenario(
        title=data["title"],
        players=players,
        parameters=parameters,
        derived=derived,
        payoffs=payoffs,
        payoff_paths=paths,
        teaches=data.get("teaches", ""),
        description=description_text(data.get("description")),
        sources=tuple(data.get("sources", [])),
        observers=observers,
        presets=presets,
        default_preset=default_preset,
        claims=tuple(data.get("claims", [])),
        questions=tuple(data.get("questions", [])),
        names=equilibrium_names,
        file=file,
        raw=data,
        **generated,
    )


def _people(data: dict, form: str) -> tuple[tuple[Player, ...], tuple[Player, ...]]:
    """The players and observers, no two with the same name. Only a normal-form file lists strategies:
    a tree's or Bayesian game's strategies (plans) come from its structure."""
    if form == "normal":
        players = _players(data["players"], "$.players")
    else:
        players = tuple(Player(p["name"], (), description_text(p.get("description"))) for p in data["players"])
    observers = tuple(Player(o["name"], (), description_text(o.get("description"))) for o in data.get("observers", []))
    everyone = [p.name for p in players] + [o.name for o in observers]
    for k, name in enumerate(everyone):
        if name in everyone[:k]:
            where = f"$.players[{k}].name" if k < len(players) else f"$.observers[{k - len(players)}].name"
            raise InputError(f"duplicate player name {name!r}", path=where)
    return players, observers


def _normal_form(data: dict, players, observers, names) -> tuple[np.ndarray, np.ndarray]:
    """The payoff expressions of a normal-form file (from its 'matrix' or its 'payoffs' rows) and their paths.
    Keys of the other forms are errors that say which form they belong to."""
    for key in ("tree", "nodes", "nature", "prior"):
        if key in data:
            kind = "tree" if key in ("tree", "nodes") else "bayesian"
            raise InputError(f'{key!r} belongs to {kind} files: add "form": "{kind}"', path=f"$.{key}")
    for r, row in enumerate(data.get("payoffs", [])):
        if "types" in row:
            raise InputError(
                '\'types\' belongs to bayesian files: add "form": "bayesian"', path=f"$.payoffs[{r}].types"
            )
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
    return payoffs, paths


def _presets(data: dict, parameters: Mapping[str, Parameter], players) -> tuple[dict[str, Preset], str | None]:
    """The named presets (values of known parameters only, names of equilibria as the scenario's) and the
    default preset, which must be one of them."""
    presets = {}
    for pname, spec in data.get("presets", {}).items():
        values = {}
        for key, raw in spec["values"].items():
            where = f"$.presets.{pname}.values.{key}"
            if key not in parameters:
                raise InputError(f"unknown parameter {key!r}{suggest(key, parameters)}", path=where)
            values[key] = _finite(raw, where)
        names = _equilibrium_names(spec.get("names", {}), players, f"$.presets.{pname}.names")
        presets[pname] = Preset(pname, values, description_text(spec.get("description")), names)
    default_preset = data.get("default_preset")
    if default_preset is not None and default_preset not in presets:
        raise InputError(
            f"default preset {default_preset!r} is not defined{suggest(default_preset, presets)}",
            path="$.default_preset",
        )
    return presets, default_preset


def _equilibrium_names(
    specs: Mapping[str, Any], players, at: str = "$.names"
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The story's names of equilibria: name -> every player's support (strategy names in file order).

    Each name gives a ``support`` or a pure ``profile`` naming every player and only real strategies;
    two names for one support are refused (a table could show only one of them)."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    seen: dict[tuple[tuple[str, ...], ...], str] = {}
    for name, spec in specs.items():
        where = f"{at}.{name}"
        if not name.strip():
            raise InputError("an equilibrium name must not be blank", path=where)
        kinds = [key for key in ("support", "profile") if key in spec]
        if len(kinds) != 1:
            raise InputError("give either 'support' or 'profile' (not both)", path=where)
        support = _named_support(spec[kinds[0]], players, f"{where}.{kinds[0]}")
        if support in seen:
            raise InputError(f"this support is already named {seen[support]!r}", path=where)
        seen[support] = name
        out[name] = support
    return out


def _named_support(given: Mapping[str, Any], players, where: str) -> tuple[tuple[str, ...], ...]:
    """Each player's support, as given under ``where`` (player -> strategies, or -> one strategy in a
    profile), checked and in file order."""
    everyone = [p.name for p in players]
    check_payoff_names(given, everyone, where, complete=False)  # a key that is not a player, with a hint
    missing = [p for p in everyone if p not in given]
    if missing:
        raise InputError(f"no strategy given for {', '.join(missing)}: name every player's strategies", path=where)
    support = []
    for player in players:
        raw = given[player.name]
        chosen = [raw] if isinstance(raw, str) else raw
        for j, strat in enumerate(chosen):
            at = f"{where}.{player.name}" + ("" if isinstance(raw, str) else f"[{j}]")
            if strat not in player.strategies:
                raise InputError(
                    f"{strat!r} is not a strategy of {player.name}{suggest(strat, player.strategies)}; "
                    f"its strategies are {', '.join(player.strategies)}",
                    path=at,
                )
            if strat in chosen[:j]:
                raise InputError(f"{strat!r} is listed twice", path=at)
        support.append(tuple(s for s in player.strategies if s in chosen))
    return tuple(support)


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
            descriptions.append("" if isinstance(strat, str) else description_text(strat.get("description")))
        players.append(
            Player(item["name"], tuple(names), description_text(item.get("description")), tuple(descriptions))
        )
    return tuple(players)


def _finite(raw: object, where: str) -> Fraction:
    try:
        return coerce_number(raw)
    except InputError as exc:
        raise exc.located(path=where) from None


def _parameter(name: str, spec: dict, where: str) -> Parameter:
    if not name.isidentifier() or not name.isascii():
        raise InputError(
            f"parameter name {name!r} must be letters, digits and _ (not starting with a digit)", path=where
        )
    default = _finite(spec["default"], f"{where}.default")
    low = high = None
    if "range" in spec:
        low, high = (_finite(v, f"{where}.range") for v in spec["range"])
        if low > high:
            raise InputError(
                f"range [{value_text(low)}, {value_text(high)}] is empty (low > high)", path=f"{where}.range"
            )
        if not low <= default <= high:
            raise InputError(
                f"default {value_text(default)} lies outside the range [{value_text(low)}, {value_text(high)}]",
                path=f"{where}.default",
            )
    return Parameter(
        name=name,
        default=default,
        low=low,
        high=high,
        unit=spec.get("unit", ""),
        description=description_text(spec.get("description")),
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
        expr = located_expression(spec["expression"], names, f"{where}.expression")
        parsed[name] = Derived(name, expr, spec.get("unit", ""), description_text(spec.get("description")))
    ordered: dict[str, Derived] = {}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = trail[trail.index(name) :] + [name]
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
                everyone = [players[0].name, players[1].name] + [o.name for o in observers]
                raise InputError(
                    f"expected {width} payoffs ({', '.join(everyone)}), found {len(cell)}",
                    path=f"$.matrix[{r}][{c}]",
                )
            for k, raw in enumerate(cell):
                where = f"$.matrix[{r}][{c}][{k}]"
                payoffs[(k, r, c)] = located_expression(raw, names, where)
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
                    f"{strat!r} is not a strategy of {player.name}{suggest(strat, player.strategies)}; "
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
            payoffs[(k, *key)] = located_expression(raw, names, path)
            paths[(k, *key)] = path
    shape = tuple(len(p.strategies) for p in players)
    missing = [idx for idx in np.ndindex(*shape) if idx not in seen]
    if missing:
        shown = "; ".join(
            "(" + ", ".join(players[i].strategies[a] for i, a in enumerate(idx)) + ")" for idx in missing[:3]
        )
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InputError(f"{len(missing)} strategy profile(s) have no payoff row: {shown}{more}", path="$.payoffs")
