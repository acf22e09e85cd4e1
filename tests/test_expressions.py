"""Tests of the safe expression language (gametheory/expressions.py).

Expected values are worked out by hand (precedence, exactness, textbook
identities) or come from an independent second computation: sympy for exact
values, Python floats vs numpy arrays for the vectorised path.
"""

from __future__ import annotations

import builtins
import json
import math
import pickle
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gametheory import expressions
from gametheory.errors import EvaluationError, ExpressionError, InputError
from gametheory.expressions import MAX_BITS, MAX_DEPTH, Expression, parse_expression

F = Fraction


def value(text: str, **values: object) -> Fraction | float:
    return parse_expression(text, values.keys()).evaluate(values)


# --------------------------------------------------------------- exact arithmetic


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.1 + 0.2", F(3, 10)),
        ("1/3*3", F(1)),
        ("2^10", F(1024)),
        ("2**10", F(1024)),
        ("-2**2", F(-4)),  # power binds tighter than unary minus
        ("(-2)**2", F(4)),
        ("2**-2", F(1, 4)),
        ("-2**-2", F(-1, 4)),
        ("2**3**2", F(512)),  # right-associative: 2**(3**2)
        ("(2**3)**2", F(64)),
        ("2 ^ -1 ^ 2", F(1, 2)),  # 2**(-(1**2))
        ("2+3*4", F(14)),
        ("(2+3)*4", F(20)),
        ("2*3^2", F(18)),
        ("8/4/2", F(1)),  # left-associative
        ("8/(4/2)", F(4)),
        ("10-4-3", F(3)),
        ("10-(4-3)", F(9)),
        ("2*-3", F(-6)),
        ("- -2", F(2)),
        ("+-+2", F(-2)),
        ("12", F(12)),
        ("0.1", F(1, 10)),
        (".5", F(1, 2)),
        ("1e3", F(1000)),
        ("2.5E-2", F(1, 40)),
        ("1.e1", F(10)),
        ("0.333", F(333, 1000)),
        ("1/3 + 1/6", F(1, 2)),
    ],
)
def test_exact_arithmetic(text, expected):
    result = value(text)
    assert type(result) is Fraction
    assert result == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 < 4", 1),  # arithmetic before comparison
        ("3 < 2", 0),
        ("2 <= 2", 1),
        ("2 >= 3", 0),
        ("0.1 + 0.2 == 0.3", 1),  # exact, unlike Python floats
        ("1 != 1", 0),
        ("1 < 2 < 3", 1),  # chained as in Python: 1 < 2 and 2 < 3
        ("3 > 2 > 2", 0),
        ("1 < 2 == 1", 0),  # (1 < 2) and (2 == 1)
        ("not 0", 1),
        ("not 5", 0),
        ("not 1 < 2", 0),  # not (1 < 2)
        ("1 and 0", 0),
        ("2 and -3", 1),  # nonzero is true, the result is an indicator
        ("0 or 2", 1),
        ("1 or 0 and 0", 1),  # and binds tighter: 1 or (0 and 0)
        ("(1 or 0) and 0", 0),
        ("1 < 2 and 3 < 2 or 1", 1),
        ("(1 < 2) + (2 < 3)", 2),
        ("step(0)", 1),  # NOT sympy's Heaviside(0) = 1/2
        ("step(-1e-9)", 0),
        ("step(3)", 1),
        ("if(1 < 2, 5, 6)", 5),
        ("if(0, 5, 6)", 6),
        ("if(-0.5, 5, 6)", 5),
        ("if(0, 1/0, 7)", 7),  # only the chosen branch is evaluated
        ("0 and 1/0", 0),  # short-circuit
        ("min(3, 1, 2)", 1),
        ("max(-1, -2)", -1),
        ("abs(-2.5)", F(5, 2)),
        ("sqrt(9/4)", F(3, 2)),
        ("sqrt(0)", 0),
        ("8**(2/3)", 4),
        ("(9/4)**0.5", F(3, 2)),
        ("exp(0)", 1),
        ("log(1)", 0),
    ],
)
def test_comparisons_logic_and_functions(text, expected):
    result = value(text)
    assert type(result) is Fraction
    assert result == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sqrt(2)", 1.41421356237),
        ("2**0.5", 1.41421356237),
        ("exp(1)", math.e),
        ("log(exp(2))", 2.0),
        ("log(10)", 2.302585093),
        ("2**(1/3)", 1.25992104989),
    ],
)
def test_irrational_results_are_floats(text, expected):
    result = value(text)
    assert type(result) is float
    assert result == pytest.approx(expected, rel=1e-10)


def test_parameters_keep_exactness_and_floats_make_floats():
    assert value("v_e - c_e*(1 - s_us)", v_e=3, c_e=F(1, 2), s_us=F(2, 5)) == F(27, 10)
    assert type(value("a + b", a=1, b=2)) is Fraction
    assert type(value("a + b", a=1, b=np.int64(2))) is Fraction
    result = value("a + b", a=1, b=0.5)
    assert type(result) is float and result == 1.5
    assert type(value("min(a, b)", a=0.5, b=1)) is float
    assert type(value("max(a, b)", a=0.5, b=1)) is float  # the Fraction 1 wins but a float was used
    assert value("step(x)", x=-0.0) == 1 and type(value("x < 1", x=0.5)) is Fraction


def test_threshold_payoff_from_the_scenario_library():
    # G5 of SCENARIOS.md: the contribution pays off exactly at the requirement (step(0) = 1).
    text = "v_fr*step(p_fr + p_uk - k_req) - (cost_k*p_fr + d_fr)"
    names = ["v_fr", "p_fr", "p_uk", "k_req", "cost_k", "d_fr"]
    e = parse_expression(text, names)
    at = {"v_fr": 10, "p_fr": F(1, 2), "p_uk": F(3, 10), "k_req": F(4, 5), "cost_k": 3, "d_fr": F(1, 7)}
    assert e.evaluate(at) == 10 - (F(3, 2) + F(1, 7))  # 0.5 + 0.3 - 0.8 = 0 exactly -> step = 1
    assert e.evaluate({**at, "p_uk": F(299, 1000)}) == -(F(3, 2) + F(1, 7))


# -------------------------------------------------------------- numbers as input


def test_numbers_are_accepted_as_constants():
    assert parse_expression(3, []).evaluate({}) == 3
    assert parse_expression(0.1, []).evaluate({}) == F(1, 10)  # Fraction(str(0.1)), not the binary float
    assert parse_expression(F(1, 3), []).evaluate({}) == F(1, 3)
    assert parse_expression(-2, []).text == "-2"
    data = json.loads('{"p": 0.35, "q": 7}', parse_float=Fraction)
    assert parse_expression(data["p"], []).evaluate({}) == F(7, 20)
    assert parse_expression(data["q"], []).is_constant


@pytest.mark.parametrize(
    "bad", [True, None, [1], {"a": 1}, float("nan"), float("inf"), pytest.param(2**20000, id="huge-int")]
)
def test_non_numbers_and_non_finite_numbers_are_refused(bad):
    with pytest.raises(ExpressionError):
        parse_expression(bad, [])


# -------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    "text, column, fragment",
    [
        ("a.b", 2, "attribute access"),
        ("a.__class__", 2, "attribute access"),
        ("(a).b", 4, "attribute access"),
        ("a[0]", 2, "subscripts"),
        ("'abc'", 1, "strings"),
        ('a + "b"', 5, "strings"),
        ("lambda: 1", 1, "keyword 'lambda'"),
        ("a if a else b", 3, "unexpected 'if'"),
        ("import os", 1, "keyword 'import'"),
        ("True", 1, "keyword 'True'"),
        ("__import__('os')", 1, "unknown function '__import__'"),
        ("a, b", 2, "',' is only allowed between function arguments"),
        ("(a, b)", 3, "',' is only allowed between function arguments"),
        ("a; b", 2, "';'"),
        ("a = 1", 3, "assignment"),
        ("a := 1", 3, "':'"),
        ("a % 2", 3, "'%'"),
        ("a @ b", 3, "'@'"),
        ("a & b", 3, "use 'and'"),
        ("a | b", 3, "use 'or'"),
        ("!a", 1, "'!'"),
        ("~a", 1, "'~'"),
        ("a # comment", 3, "comments"),
        ("a $ b", 3, "'$'"),
        ("a \u2212 b", 3, "Unicode minus"),
        ("a \u00d7 b", 3, "use '*'"),
        ("\u00e9", 1, "U+00E9"),
        ("", 1, "empty expression"),
        ("   ", 1, "empty expression"),
        ("(a + b", 1, "never closed"),
        ("min(a, b", 4, "never closed"),
        ("a + b)", 6, "no matching '('"),
        (")", 1, "no matching '('"),
        ("()", 2, "empty parentheses"),
        ("a b", 3, "missing operator"),
        ("2a", 2, "missing operator"),
        ("a + ", 5, "text ended"),
        ("a * * b", 5, "unexpected '*'"),
        ("min(a,)", 7, "expected an expression before ')'"),
        ("a + not b", 5, "'not' cannot follow"),
        ("a and", 6, "text ended"),
        ("and a", 1, "expected an expression before 'and'"),
        ("v_ee", 1, "unknown name 'v_ee' (did you mean 'v_e'?)"),
        ("a + zzz", 5, "unknown name 'zzz'; declared names: a, b, v_e"),
        ("foo(a)", 1, "unknown function 'foo'; allowed functions: abs, exp, if, log, max, min, sqrt, step"),
        ("a(1)", 1, "'a' is a parameter, not a function"),
        ("min", 1, "function 'min' must be called"),
        ("min(a)", 1, "min() takes at least 2 arguments (1 given)"),
        ("max()", 1, "max() takes at least 2 arguments (0 given)"),
        ("abs(a, b)", 1, "abs() takes exactly 1 argument (2 given)"),
        ("sqrt()", 1, "sqrt() takes exactly 1 argument (0 given)"),
        ("if(a, b)", 1, "if() takes exactly 3 arguments (2 given)"),
        ("step(a, b)", 1, "step() takes exactly 1 argument"),
        ("a + 1e5000", 5, "too large"),
        ("2**100000", 4, "exponent 100000 is too large"),
        ("a**-1001", 4, "too large"),
        ("9**9**9**9", 7, "too large"),
        ("2**(1/0)", 4, "invalid exponent: division by zero"),
    ],
)
def test_refused_forms_name_the_problem_and_its_column(text, column, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, ["a", "b", "v_e"])
    error = info.value
    assert fragment in error.message, error.message
    assert error.column == column, error.message
    assert error.text == text
    assert isinstance(error, InputError)  # the CLI maps it to exit code 2


def test_error_is_located_by_the_caller():
    with pytest.raises(ExpressionError) as info:
        parse_expression("v_ee", ["v_e"])
    error = info.value.located(file="games/x.json", path="$.payoffs[2].payoffs.europe")
    assert str(error).startswith("games/x.json: $.payoffs[2].payoffs.europe: unknown name 'v_ee' (did you mean 'v_e'?)")


def test_a_file_trying_to_run_code_is_refused_and_runs_nothing(tmp_path: Path, monkeypatch):
    target = tmp_path / "pwned"
    attacks = [
        f"__import__('os').system('touch {target}')",
        "().__class__.__bases__[0].__subclasses__()",
        f"open('{target}', 'w')",
        f"exec(\"open('{target}', 'w')\")",
        f"eval(\"open('{target}', 'w')\")",
        "globals()",
        "__builtins__",
        "[c for c in a]",
        "f'{a}'",
        "a.__class__.__init__.__globals__",
    ]

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/compile must never be called")

    expressions._parse_text.cache_clear()
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", forbidden)
    for attack in attacks:
        with pytest.raises(ExpressionError):
            parse_expression(attack, ["a"])
    # Valid expressions also parse and evaluate without eval/exec/compile.
    assert parse_expression("min(a, 2)**2 + step(a - 1)", ["a"]).evaluate({"a": 3}) == 5
    assert not target.exists()


def test_the_module_uses_no_dynamic_evaluation():
    source = Path(expressions.__file__).read_text()
    for pattern in [
        r"(?<![.\w])eval\(",
        r"(?<![.\w])exec\(",
        r"(?<![.\w])compile\(",
        r"sympify\(",
        r"parse_expr\(",
        r"ast\.parse\(",
        r"^import (numpy|sympy)",
        r"^from (numpy|sympy)",
    ]:
        assert not re.search(pattern, source, re.MULTILINE), pattern


# ------------------------------------------------------------------------ guards


def test_long_text_is_refused():
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression("a+" * 1000 + "a", ["a"])  # 2001 characters
    assert parse_expression("a+" * 999 + "a", ["a"]).evaluate({"a": 1}) == 1000  # 1999 characters: fine


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1000 + "1" + ")" * 1000,  # beyond the length limit too
        "(" * 999 + "1" + ")" * 999,
        "(" * 1999,
        "-" * 1000 + "1",
        "not " * 400 + "1",
        "2**" * 600 + "2",
        "min(1, " * 250 + "1" + ")" * 250,
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(text):
    with pytest.raises(ExpressionError, match=r"too (deeply|long)"):
        parse_expression(text, [])


def test_nesting_up_to_the_limit_works_everywhere():
    deepest = "(x + " * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    e = parse_expression(deepest, ["x"])
    assert e.evaluate({"x": 1}) == MAX_DEPTH + 1
    assert e.evaluate_array({"x": np.array([1.0, 2.0])}).tolist() == [MAX_DEPTH + 1, 2 * (MAX_DEPTH + 1)]
    assert e.to_sympy() == (MAX_DEPTH + 1) * e.to_sympy().free_symbols.pop()
    assert parse_expression("-" * MAX_DEPTH + "x", ["x"]).evaluate({"x": 1}) == 1
    too_deep = {  # text -> column of the first token beyond the limit
        "(x + " * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1): 5 * MAX_DEPTH + 1,
        "-" * (MAX_DEPTH + 1) + "x": MAX_DEPTH + 1,
    }
    for text, column in too_deep.items():
        with pytest.raises(ExpressionError, match="nested too deeply") as info:
            parse_expression(text, ["x"])
        assert info.value.column == column


@pytest.mark.parametrize(
    "text, values",
    [
        ("x**y", {"x": 2, "y": 100000}),
        ("x**x**x", {"x": 9}),  # 9**387420489: refused before it is computed
        ("(x**1000)**1000", {"x": 3}),
        ("x**y", {"x": F(1, 3), "y": -20000}),
        ("x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x", {"x": 2**1000}),
    ],
)
def test_huge_exact_results_are_refused_quickly(text, values):
    with pytest.raises(EvaluationError, match=f"more than {MAX_BITS} bits"):
        parse_expression(text, values.keys()).evaluate(values)


def test_powers_of_zero_and_one_may_have_huge_exponents():
    assert value("x**y", x=1, y=10**100) == 1
    assert value("x**y", x=-1, y=10**100 + 1) == -1
    assert value("x**y", x=0, y=10**100) == 0
    assert value("x**y", x=2, y=MAX_BITS - 1).numerator == 2 ** (MAX_BITS - 1)


@pytest.mark.parametrize(
    "text, values, fragment",
    [
        ("a/(b - 1)", {"a": 1, "b": 1}, "division by zero in 'a/(b - 1)' with a = 1, b = 1"),
        ("a/(b - 1)", {"a": 1.0, "b": 1.0}, "division by zero"),
        ("x**-1", {"x": 0}, "division by zero"),
        ("log(x)", {"x": 0}, "logarithm"),
        ("log(x)", {"x": -1.5}, "logarithm"),
        ("sqrt(x)", {"x": -1}, "square root of a negative number"),
        ("x**(1/3)", {"x": -8}, "fractional power"),
        ("x**0.5", {"x": -0.5}, "fractional power"),
        ("exp(x)", {"x": 1000}, "overflow"),
        ("x*x", {"x": 1e200}, "overflow"),
        ("x**2", {"x": 1e200}, "overflow"),
        ("x + 1e400", {"x": 0.5}, "overflow"),
    ],
)
def test_evaluation_errors(text, values, fragment):
    with pytest.raises(EvaluationError) as info:
        parse_expression(text, values.keys()).evaluate(values)
    assert fragment in info.value.message


def test_missing_and_bad_values_raise_evaluation_errors():
    e = parse_expression("a + b", ["a", "b"])
    with pytest.raises(EvaluationError, match="no value given for parameter 'b'"):
        e.evaluate({"a": 1})
    with pytest.raises(EvaluationError, match="no value given for parameter 'b'"):
        e.evaluate_array({"a": np.ones(3)})
    with pytest.raises(EvaluationError, match="must be a real number"):
        e.evaluate({"a": 1, "b": "2"})
    with pytest.raises(EvaluationError, match="not a finite number"):
        e.evaluate({"a": 1, "b": float("nan")})
    with pytest.raises(EvaluationError, match="not numeric"):
        e.evaluate_array({"a": 1.0, "b": "x"})
    with pytest.raises(EvaluationError, match="do not broadcast"):
        e.evaluate_array({"a": np.ones(3), "b": np.ones(4)})


# ---------------------------------------------------------- the Expression object


def test_expression_object():
    e = parse_expression("v_e - c_e*(1 - s_us)", ["v_e", "c_e", "s_us", "unused"])
    assert e.text == "v_e - c_e*(1 - s_us)"
    assert e.names == frozenset({"v_e", "c_e", "s_us"})
    assert not e.is_constant and parse_expression("2*3", []).is_constant
    assert e == parse_expression("v_e-(c_e*((1-s_us)))", ["v_e", "c_e", "s_us"])  # same tree
    assert e != parse_expression("v_e - c_e*1 - s_us", ["v_e", "c_e", "s_us"])
    assert {e: 1}[parse_expression("v_e - c_e*(1 - s_us)", ["v_e", "c_e", "s_us"])] == 1
    assert pickle.loads(pickle.dumps(e)) == e
    assert repr(e) == "Expression('v_e - c_e*(1 - s_us)')"
    with pytest.raises(AttributeError):
        e.text = "0"  # type: ignore[misc]
    assert parse_expression("a+b", ["a", "b"]) is parse_expression("a+b", ("b", "a"))  # memoised


def test_substitute_inlines_derived_parameters():
    names = ["v", "k", "p", "x", "y"]
    e = parse_expression("v - c", ["v", "c"])
    inlined = e.substitute({"c": parse_expression("k*p", names)})
    assert inlined.names == {"v", "k", "p"}
    assert inlined.text == "v - k*p"
    assert inlined.evaluate({"v": 5, "k": 2, "p": F(1, 2)}) == 4
    # Precedence is kept: b := x + y inside a product needs parentheses.
    product = parse_expression("a*b", ["a", "b"]).substitute({"b": parse_expression("x + y", names)})
    assert product.text == "a*(x + y)"
    assert product.evaluate({"a": 2, "x": 1, "y": 3}) == 8
    # Simultaneous, not recursive: a swap.
    swap = parse_expression("a - b", ["a", "b"]).substitute(
        {"a": parse_expression("b", ["b"]), "b": parse_expression("a", ["a"])}
    )
    assert swap.evaluate({"a": 1, "b": 10}) == 9
    assert parse_expression("a**b", ["a", "b"]).substitute({"a": -2, "b": 2}).evaluate({}) == 4  # (-2)**2
    assert parse_expression("a", ["a"]).substitute({"z": 1}).text == "a"


@pytest.mark.parametrize(
    "text",
    [
        "-(-x) + (a - b) - (c - d)",
        "x**y**z + (x**y)**z + (-2)**2 + -2**2",
        "(not (a and b)) + ((a < b) < c) + (a or b) and c or not a < b",
        "a/(b*c) - a/b/c + a*-b",
        "min(a, b - c, 0.125) + if(a <= b, 1/3, -7/3) + step(-x) + 1e-20 + 1e30",
    ],
)
def test_rendered_text_parses_back_to_the_same_tree(text):
    names = list("abcdxyz")
    e = parse_expression(text, names)
    rendered = e.substitute({"a": parse_expression("a", names)}).text
    assert parse_expression(rendered, names) == e


def test_examples_in_the_reference_parse():
    doc = Path(__file__).resolve().parent.parent / "docs" / "reference" / "expressions.md"
    examples = re.findall(r"^\| `([^`]+)` \| [a-z]", doc.read_text().split("### Examples")[1], re.MULTILINE)
    assert len(examples) >= 5
    for text in examples:
        names = set(re.findall(r"[A-Za-z_]\w*", text)) - set(expressions.FUNCTIONS) - {"and", "or", "not"}
        e = parse_expression(text, names)
        assert e.names == names


# --------------------------------------------------------------------------- sympy


def test_to_sympy_is_exact():
    sympy = pytest.importorskip("sympy")
    x = sympy.Symbol("x", real=True)
    assert parse_expression("0.1*x", ["x"]).to_sympy() == sympy.Rational(1, 10) * x
    assert parse_expression("2.5E-2", []).to_sympy() == sympy.Rational(1, 40)
    k = sympy.Symbol("k", positive=True)
    assert parse_expression("k/3", ["k"]).to_sympy({"k": k}) == k / 3


def test_to_sympy_step_if_comparisons_min_max():
    sympy = pytest.importorskip("sympy")
    x = sympy.Symbol("x", real=True)
    step = parse_expression("step(x)", ["x"]).to_sympy()
    assert step == sympy.Piecewise((1, x >= 0), (0, True))
    assert step.subs(x, 0) == 1 and sympy.Heaviside(0) == sympy.Rational(1, 2)  # the trap avoided
    assert step.subs(x, sympy.Rational(-1, 10**9)) == 0
    choose = parse_expression("if(x > 1, 5, 6)", ["x"]).to_sympy()
    assert choose.subs(x, 2) == 5 and choose.subs(x, 1) == 6
    indicator = parse_expression("0 < x <= 1", ["x"]).to_sympy()
    assert [indicator.subs(x, v) for v in (0, sympy.Rational(1, 2), 1, 2)] == [0, 1, 1, 0]
    extreme = parse_expression("min(x, 1) + max(x, 2)", ["x"]).to_sympy()
    assert extreme == sympy.Min(x, 1) + sympy.Max(x, 2)
    assert parse_expression("sqrt(2)", []).to_sympy() == sympy.sqrt(2)
    with pytest.raises(EvaluationError):
        parse_expression("x + 1/0", ["x"]).to_sympy()


# --------------------------------------------------------------------- numpy path


def test_evaluate_array_broadcasts_and_stays_quiet():
    e = parse_expression("a/b + step(a - 1)", ["a", "b", "c"])
    a = np.linspace(0, 2, 5)
    b = np.array([[1.0], [0.0]])
    out = e.evaluate_array({"a": a, "b": b, "c": 3.0})  # warnings are errors in this suite
    assert out.shape == (2, 5) and out.dtype == np.float64
    assert out[0].tolist() == [0.0, 0.5, 2.0, 2.5, 3.0]
    assert np.isnan(out[1, 0]) and np.all(np.isinf(out[1, 1:]))
    # The result has the broadcast shape of every value given, used or not.
    assert parse_expression("3", []).evaluate_array({"t": np.zeros((4, 2))}).shape == (4, 2)
    # It is a fresh array, not a view of an input.
    out = parse_expression("a", ["a"]).evaluate_array({"a": a})
    out[0] = 99.0
    assert a[0] == 0.0


def test_evaluate_array_is_finite_exactly_where_evaluate_succeeds():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    cases = [
        "min(1, 1/x)",
        "step(1/x)",
        "x < 1/x",
        "0 and 1/x",
        "x > 0 and 1/x",
        "1 > 2 < 1/x",
        "1**(1/x)",
        "exp(-1/x)",
        "if(x > 0, 1/x, 0)",
        "if(1/x, 1, 2)",
        "not 1/x",
        "log(x)",
        "sqrt(x)",
        "x**0.5",
    ]
    for text in cases:
        e = parse_expression(text, ["x"])
        out = e.evaluate_array({"x": x})
        for point, element in zip(x, out):
            try:
                expected = float(e.evaluate({"x": float(point)}))
            except EvaluationError:
                assert not np.isfinite(element), (text, point)
            else:
                assert element == pytest.approx(expected), (text, point)


# ------------------------------------------------------- property tests (hypothesis)

NAMES = ("x", "y", "z")
LEAVES = st.one_of(
    st.integers(0, 9).map(str),
    st.sampled_from(["0.5", "2.5", ".25", "1e1", "3E-1", "0.1"]),
    st.sampled_from(NAMES),
)


def expression_texts(continuous: bool) -> st.SearchStrategy[str]:
    """Random expression text from the grammar, every compound operand in parentheses."""

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        options = [
            st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
                lambda t: f"({t[0]}) {t[1]} ({t[2]})"
            ),
            children.map(lambda c: f"-({c})"),
            st.tuples(children, st.sampled_from(["**", "^"]), st.sampled_from(["0", "1", "2", "3", "-1", "-2"])).map(
                lambda t: f"({t[0]}){t[1]}{t[2]}"
            ),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            children.map(lambda c: f"abs({c})"),
        ]
        if not continuous:
            options += [
                st.tuples(children, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children).map(
                    lambda t: f"({t[0]}) {t[1]} ({t[2]})"
                ),
                st.tuples(children, st.sampled_from(["and", "or"]), children).map(
                    lambda t: f"({t[0]}) {t[1]} ({t[2]})"
                ),
                children.map(lambda c: f"(not ({c}))"),
                children.map(lambda c: f"step({c})"),
                st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
                children.map(lambda c: f"sqrt({c})"),
                st.tuples(children, st.sampled_from(["x", "y", "0.5", "1.5", "(1/3)"])).map(
                    lambda t: f"({t[0]})**{t[1]}"  # parameter and fractional exponents
                ),
            ]
        return st.one_of(options)

    return st.recursive(LEAVES, extend, max_leaves=10)


VALUES = st.fixed_dictionaries({n: st.fractions(min_value=-5, max_value=5, max_denominator=4) for n in NAMES})
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(expression_texts(continuous=True), VALUES)
def test_exact_and_float_evaluation_agree(text, values):
    e = parse_expression(text, NAMES)
    try:
        exact = e.evaluate(values)
        approx = e.evaluate({k: float(v) for k, v in values.items()})
    except EvaluationError:
        assume(False)
        return
    assert type(exact) is Fraction
    assert math.isclose(float(exact), approx, rel_tol=1e-9, abs_tol=1e-9)


@PROPERTY
@given(expression_texts(continuous=False), VALUES)
def test_exact_evaluation_agrees_with_sympy(text, values):
    sympy = pytest.importorskip("sympy")
    e = parse_expression(text, NAMES)
    try:
        exact = e.evaluate(values)
        symbolic = e.to_sympy()
    except EvaluationError:
        assume(False)
        return
    point = {sympy.Symbol(n, real=True): sympy.Rational(v.numerator, v.denominator) for n, v in values.items()}
    try:
        substituted = symbolic.subs(point)
    except TypeError:
        # sympy evaluates branches that if() never takes, e.g. step(sqrt(if(x, 0, x))) at x = -1
        # becomes a comparison of sqrt(-1) with 0, which sympy refuses. Not a question for us.
        assume(False)
        return
    if substituted is sympy.nan:
        # sympy rewrites some forms with 0**x before substituting and then yields nan, e.g.
        # abs(sqrt(min(0, 0**x))) at x = 1 (our value: 0). Not a question for us either.
        assume(False)
        return
    if type(exact) is Fraction:
        assert substituted.is_Rational, (text, substituted)
        assert Fraction(int(substituted.p), int(substituted.q)) == exact
    else:
        assert math.isclose(float(substituted.evalf(30)), exact, rel_tol=1e-9, abs_tol=1e-12)


@PROPERTY
@given(expression_texts(continuous=False), st.lists(VALUES, min_size=1, max_size=4))
def test_float_and_array_evaluation_agree(text, points):
    e = parse_expression(text, NAMES)
    arrays = {n: np.array([float(p[n]) for p in points]) for n in NAMES}
    out = e.evaluate_array(arrays)
    assert out.shape == (len(points),)
    for i, point in enumerate(points):
        try:
            expected = e.evaluate({k: float(v) for k, v in point.items()})
        except EvaluationError:
            assert not np.isfinite(out[i]), (text, point)
        else:
            assert math.isclose(out[i], expected, rel_tol=1e-12, abs_tol=1e-12), (text, point, out[i])


@PROPERTY
@given(expression_texts(continuous=False))
def test_rendering_round_trips(text):
    e = parse_expression(text, NAMES)
    rendered = e.substitute({"x": parse_expression("x", NAMES)}).text
    assert parse_expression(rendered, NAMES) == e


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("xy0123456789.eE+-*/^()<>=!, andortminbsqpfl_[]'\"")), max_size=40))
def test_arbitrary_text_parses_or_raises_expression_error(text):
    try:
        e = parse_expression(text, NAMES)
    except ExpressionError as error:
        assert error.column is None or 1 <= error.column <= len(text) + 1
    else:
        assert isinstance(e, Expression)
