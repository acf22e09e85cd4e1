"""A quick yes/no check of a scenario file against its JSON Schema, so a valid file never imports jsonschema.

Importing :mod:`jsonschema` (with ``referencing``, ``attrs`` and its format
checkers) costs about as much as importing numpy, more than the rest of a
``gametheory solve`` call on a small game. Every valid file takes that cost only
to hear "no errors". This module answers the yes/no question for the keywords
the scenario schema uses, with the semantics of JSON Schema draft 2020-12 as
jsonschema implements them (numbers include :class:`~fractions.Fraction`, since
files are read with exact decimals; booleans are not numbers).

It never produces messages: when it says "invalid", or meets a keyword it does
not know (:func:`schema_verdict` then returns None), the caller runs jsonschema,
which finds the error and says where. So an unknown keyword costs speed, never
correctness; the tests compare both verdicts on every file in ``games/`` and on
systematic corruptions of them.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

#: Keywords that carry no constraint.
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples"})


class _Unsupported(Exception):
    """The schema uses a keyword this checker does not implement."""


def schema_verdict(schema: Mapping[str, Any], instance: Any) -> bool | None:
    """True if ``instance`` is valid against ``schema``, False if not, None if the schema is beyond this checker."""
    try:
        return _valid(schema, instance, schema)
    except _Unsupported:
        return None


def _is_type(instance: Any, name: str) -> bool:
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "number":
        return isinstance(instance, numbers.Number)
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    raise _Unsupported(name)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: booleans differ from numbers, containers compare element by element."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return False
    return bool(a == b)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _resolve(ref: str, root: Mapping[str, Any]) -> Any:
    if not ref.startswith("#"):
        raise _Unsupported(ref)
    node: Any = root
    for part in ref[1:].split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _valid(schema: Any, instance: Any, root: Mapping[str, Any]) -> bool:
    if schema is True or schema is False:
        return schema
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            raise _Unsupported(keyword)
        if not check(value, instance, schema, root):
            return False
    return True


def _type(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    names = value if isinstance(value, list) else [value]
    return any(_is_type(instance, name) for name in names)


def _properties(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(_valid(sub, instance[key], root) for key, sub in value.items() if key in instance)


def _additional(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    if "patternProperties" in schema:
        raise _Unsupported("patternProperties")
    named = schema.get("properties", {})
    return all(_valid(value, item, root) for key, item in instance.items() if key not in named)


def _items(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    if not isinstance(instance, list):
        return True
    start = len(schema.get("prefixItems", ()))
    return all(_valid(value, item, root) for item in instance[start:])


def _prefix_items(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    if not isinstance(instance, list):
        return True
    return all(_valid(sub, item, root) for sub, item in zip(value, instance))


def _when(kind: type | tuple[type, ...], test: Callable[[Any, Any], bool]) -> Callable[..., bool]:
    """A keyword that constrains only instances of ``kind`` (others pass)."""

    def check(value: Any, instance: Any, schema: Any, root: Any) -> bool:
        return not isinstance(instance, kind) or test(value, instance)

    return check


def _if(value: Any, instance: Any, schema: Any, root: Any) -> bool:
    branch = "then" if _valid(value, instance, root) else "else"
    return branch not in schema or _valid(schema[branch], instance, root)


_KEYWORDS: dict[str, Callable[[Any, Any, Any, Any], bool]] = {
    "type": _type,
    "$ref": lambda value, instance, schema, root: _valid(_resolve(value, root), instance, root),
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _when(dict, lambda names, obj: all(name in obj for name in names)),
    "minProperties": _when(dict, lambda n, obj: len(obj) >= n),
    "maxProperties": _when(dict, lambda n, obj: len(obj) <= n),
    "items": _items,
    "prefixItems": _prefix_items,
    "minItems": _when(list, lambda n, items: len(items) >= n),
    "maxItems": _when(list, lambda n, items: len(items) <= n),
    "minLength": _when(str, lambda n, text: len(text) >= n),
    "maxLength": _when(str, lambda n, text: len(text) <= n),
    "pattern": _when(str, lambda regex, text: _pattern(regex).search(text) is not None),
    "enum": lambda value, instance, schema, root: any(_equal(option, instance) for option in value),
    "const": lambda value, instance, schema, root: _equal(value, instance),
    "oneOf": lambda value, instance, schema, root: sum(_valid(sub, instance, root) for sub in value) == 1,
    "anyOf": lambda value, instance, schema, root: any(_valid(sub, instance, root) for sub in value),
    "allOf": lambda value, instance, schema, root: all(_valid(sub, instance, root) for sub in value),
    "not": lambda value, instance, schema, root: not _valid(value, instance, root),
    "if": _if,
    "then": lambda value, instance, schema, root: True,  # applied by "if"
    "else": lambda value, instance, schema, root: True,
}
