"""The quick schema check agrees with jsonschema: on every file in games/ and on corruptions of them."""

import copy
import random
from pathlib import Path

import jsonschema
import pytest

from gametheory.scenario import read_json, schema
from gametheory.scenario._schemacheck import schema_verdict

GAMES = sorted((Path(__file__).resolve().parents[2] / "games").rglob("*.json"))
#: Values that break a type somewhere (note True and Fraction-like numbers).
SAMPLES = 12  # corruptions per file (jsonschema takes milliseconds each)
REPLACEMENTS = (None, True, 0, -1.5, "", "x", "0bad name", [], [1], {}, {"name": "n"})


def _nodes(value, path=()):
    """Every (path, value) in a JSON document."""
    yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _nodes(child, (*path, key))


def _edits(data):
    """One-step edits of ``data`` as (path, edit): a value replaced, a key or item removed, a key added."""
    for path, value in _nodes(data):
        for new in REPLACEMENTS:
            if path:
                yield path, lambda parent, key, new=new: parent.__setitem__(key, new)
        if isinstance(value, dict):
            for key in value:
                yield (*path, key), lambda parent, key: parent.pop(key)
            yield (*path, "zz_unknown"), lambda parent, key: parent.__setitem__(key, 1)
        if isinstance(value, list) and value:
            yield (*path, 0), lambda parent, key: parent.pop(key)


def _edited(data, path, edit):
    copied = copy.deepcopy(data)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    edit(parent, path[-1])
    return copied


@pytest.fixture(scope="module")
def reference():
    spec = schema()
    return spec, jsonschema.validators.validator_for(spec)(spec)


@pytest.mark.parametrize("path", GAMES, ids=lambda p: p.name)
def test_agrees_with_jsonschema_on_games_and_their_corruptions(path, reference):
    spec, validator = reference
    data = read_json(path.read_text(encoding="utf-8"))
    assert schema_verdict(spec, data) is True
    edits = list(_edits(data))
    for where, edit in random.Random(path.name).sample(edits, min(len(edits), SAMPLES)):
        case = _edited(data, where, edit)
        assert schema_verdict(spec, case) == validator.is_valid(case), where


def test_unknown_keyword_defers_to_jsonschema():
    assert schema_verdict({"type": "string", "format": "email"}, "a@b") is None
    assert schema_verdict({"$ref": "https://example.invalid/s.json"}, 1) is None


def test_keyword_semantics():
    assert schema_verdict({"type": "number"}, True) is False
    assert schema_verdict({"enum": [1]}, True) is False
    assert schema_verdict({"const": [1, "a"]}, [1, "a"]) is True
    assert schema_verdict({"prefixItems": [{"type": "string"}], "items": {"type": "number"}}, ["a", 1, 2]) is True
    assert schema_verdict({"prefixItems": [{"type": "string"}], "items": {"type": "number"}}, ["a", 1, "b"]) is False
    assert schema_verdict({"pattern": "^a"}, "ba") is False
    assert schema_verdict({"if": {"const": 1}, "then": {"type": "string"}}, 1) is False
    assert schema_verdict({"if": {"const": 1}, "else": {"type": "string"}}, 2) is False
