"""Property-based fuzzing of the readers and the expression parser, and the corpus of inputs that once failed.

Every input must be accepted or refused with an InputError (a located
message, exit 2 on the command line); any other exception is a bug. The
example counts are small so that the suite stays fast; bench/fuzz_loaders.py
runs the same checks (tests/fuzzing.py) for as long as it is told.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import HOSTILE, exercise
from tests.support import ROOT

CORPUS = ROOT / "tests" / "fuzz_corpus"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCENARIO = json.dumps(
    {
        "format": "gametheory-scenario/1",
        "title": "t",
        "parameters": {"x": {"default": 1, "range": [0, 2]}},
        "players": [{"name": "A", "strategies": ["a", "b"]}, {"name": "B", "strategies": ["c", "d"]}],
        "matrix": [[[1, 0], [0, 1]], [[0, 1], ["x", "2*x - 1"]]],
    }
)
NFG = 'NFG 1 R "t" { "A" "B" } { 2 2 }\n3 3 0 5 5 0 1 1\n'
EFG = """EFG 2 R "Entry" { "Entrant" "Incumbent" }
""
p "" 1 1 "" { "in" "out" } 0
p "" 2 1 "" { "fight" "share" } 0
t "" 1 "war" { -1, -1 }
t "" 2 "duopoly" { 1, 1 }
t "" 3 "monopoly" { 0, 2 }
"""
TOKENS = [*"abxy0123456789.e+-*/(),<>=! ", "**", "max", "min", "if", "sqrt", "log", "exp", "abs", "step", "and", "not"]


def mutated(seed: str):
    """Texts made from ``seed`` by inserting hostile fragments or random text, or deleting a stretch."""
    fragment = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))

    def apply(edits):
        text = seed
        for at, insert, cut in edits:
            at %= len(text) + 1
            text = text[:at] + insert + text[at + cut :]
        return text

    return st.lists(st.tuples(st.integers(0, 10**6), fragment, st.integers(0, 4)), min_size=1, max_size=3).map(apply)


@FAST
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(HOSTILE[:8])), max_size=25).map("".join))
def test_expression_parser_accepts_or_refuses_with_a_located_error(text):
    exercise("expr", text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(("kind", "seed"), [("json", SCENARIO), ("nfg", NFG), ("efg", EFG)])
@FAST
@given(data=st.data())
def test_readers_accept_or_refuse_with_a_located_error(kind, seed, data):
    """The scenario loader and the Gambit readers, on mutations of a valid file."""
    text = data.draw(mutated(seed))
    exercise(kind, text.encode("utf-8", "surrogatepass"))


def test_unmutated_seeds_are_accepted():
    for kind, text in (("json", SCENARIO), ("nfg", NFG), ("efg", EFG), ("expr", "max(a, b) * 2 - sqrt(x)")):
        assert exercise(kind, text.encode()) == "accepted", kind


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_corpus_of_inputs_that_once_failed(path):
    """Each file once ended in a hang, a memory blow-up or an internal error."""
    outcome = exercise(path.suffix.lstrip("."), path.read_bytes())
    expected = "accepted" if "recursion" in path.name else "refused"
    assert outcome == expected
