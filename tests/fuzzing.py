"""What a fuzzed input is put through, shared by tests/test_fuzz.py and bench/fuzz_loaders.py.

:func:`exercise` does with an input what the command line does short of
solving it: a scenario or Gambit file is read, validated and bound (also at
the ends of each declared range); an expression is parsed, evaluated at
several points (exact, float, zero, negative, huge), vectorised and
converted to sympy (with its names as symbols, and with them fixed at numbers,
as a sensitivity analysis fixes the parameters it does not vary). The only acceptable failure is an
:class:`~gametheory.errors.InputError`: anything else is a bug.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import numpy as np

from gametheory._limits import room_for_deep_trees
from gametheory.errors import InputError
from gametheory.expressions import parse_expression
from gametheory.formats import load

#: Names a fuzzed expression may use.
NAMES = ("a", "b", "x", "y", "m_us", "c")
#: Values at which each expression is evaluated (exact, float, zero, negative, huge).
POINTS = (2, 0, -1, 0.5, 1e-300, 10**300)
#: Fragments that once broke a reader or the parser, inserted by the mutators.
HOSTILE = (
    "1e999999999",
    "-1e999999999",
    "1e400",
    "1e-400",
    "9" * 5000,
    "1/" + "3" * 4500,
    "\\ud800",
    "\\udfff",
    "\x1b[31m",
    "\u202e",
    "\x00",
    "NaN",
    "Infinity",
    "2**(a - a + 10**12)",
    "max(sqrt(-1), 1)",
    "log(-1)",
    "(" * 300,
    "[" * 2000,
    '"title": "x", "title": "y"',
    "1e308*10",
    "2**1000*2**1000",
    "10**10**10",
    "exp(1000)",
    "0**-1",
    "<script>alert(1)</script>",
    '"',
    "\\",
    ",",
    "\u0663",
    "18446744073709551617",
)


def exercise(kind: str, data: bytes) -> str:
    """Put one input of ``kind`` (``json``, ``nfg``, ``efg`` or ``expr``) through the checks.

    Returns ``"accepted"`` or ``"refused"`` (an InputError); any other
    exception propagates.
    """
    try:
        with room_for_deep_trees():
            if kind == "expr":
                _expression(data.decode("utf-8", "surrogateescape"))  # invalid bytes become lone surrogates
            else:
                _file(kind, data)
    except InputError:
        return "refused"
    return "accepted"


def _fixed_values() -> dict:
    import sympy as sp

    return {name: sp.Integer(-1) if k % 2 else sp.Rational(1, 2) for k, name in enumerate(NAMES)}


def _expression(text: str) -> None:
    expression = parse_expression(text, NAMES)
    for point in POINTS:
        with contextlib.suppress(InputError):  # undefined at this point: a located EvaluationError
            expression.evaluate({name: point * (k + 1) for k, name in enumerate(NAMES)})
    expression.evaluate_array({name: np.array([-1.5, 0.0, 2.0, 1e300]) for name in NAMES})
    expression.to_sympy()
    expression.to_sympy(_fixed_values())  # every name fixed, as sensitivity fixes the others: log(-1) inside max()
    expression.substitute({"a": parse_expression("b + 1", NAMES)})


def _file(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input.{kind}"
        path.write_bytes(data)
        scenario = load(str(path))
        scenario.bind().float_payoffs  # noqa: B018 (every solver reads it)
        for name, parameter in scenario.parameters.items():
            for end in parameter.range or ():
                with contextlib.suppress(InputError):  # e.g. a payoff undefined at the end of a range
                    scenario.bind({name: end}).float_payoffs  # noqa: B018
