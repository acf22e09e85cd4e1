"""The safe payoff-expression language: text -> small immutable AST -> values.

Payoffs and derived parameters in a scenario file are written as expressions of
named parameters, e.g. ``"v_e - c_e*(1 - s_us)"``. A scenario file is untrusted
input, so this module never hands text to ``eval``, ``compile``, ``ast.parse``
or ``sympy.sympify``: it has its own tokenizer and recursive-descent parser
that accept an explicit allowlist (numbers, declared names, arithmetic,
comparisons, ``and``/``or``/``not`` and eight functions) and refuse everything
else with the 1-based column of the offending token.

The grammar, lowest precedence first (a classic recursive-descent layout, one
function per precedence level; see Aho, Lam, Sethi & Ullman, *Compilers*, 2nd
ed., section 4.4)::

    expr     := and_expr ('or' and_expr)*
    and_expr := not_expr ('and' not_expr)*
    not_expr := 'not' not_expr | compare
    compare  := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)*   (chained as in Python)
    sum      := product (('+' | '-') product)*
    product  := unary (('*' | '/') unary)*
    unary    := ('-' | '+') unary | power
    power    := atom (('**' | '^') unary)?                          (right-associative)
    atom     := NUMBER | NAME | FUNCTION '(' expr (',' expr)* ')' | '(' expr ')'

so ``-2**2 == -4``, ``2**-1 == 1/2`` and ``2**3**2 == 512``, exactly as in
Python. Chains of ``+ -``, ``* /``, comparisons and ``and``/``or`` become one
n-ary node each, so long sums do not make deep trees.

Values are exact: number literals become :class:`fractions.Fraction` (``0.1``
is ``1/10``) and evaluation stays in Fractions until a float value or an
irrational function result (``sqrt(2)``, ``exp(1)``, ``log(2)``) enters.

Guards keep hostile input cheap: at most :data:`MAX_LENGTH` characters,
nesting depth at most :data:`MAX_DEPTH`, constant exponents at most
:data:`MAX_EXPONENT` in absolute value (checked while parsing), and exact
intermediate results of at most :data:`MAX_BITS` bits (checked while
evaluating, before a power is computed).

Only the standard library is imported at module level; numpy and sympy are
imported inside the methods that need them, so importing this module is fast.
"""

from __future__ import annotations

import keyword
import math
import numbers
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from .errors import EvaluationError, ExpressionError, InputError

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import numpy
    import sympy

__all__ = [
    "FUNCTIONS",
    "MAX_BITS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "Expression",
    "Polynomial",
    "parse_expression",
    "polynomial_form",
]

#: Longest accepted expression text, in characters.
MAX_LENGTH = 2000
#: Deepest accepted nesting of parentheses, calls, unary operators and exponents.
MAX_DEPTH = 64
#: Largest accepted |exponent| when the exponent is a constant (checked at parse time).
MAX_EXPONENT = 1000
#: Largest accepted size, in bits, of the numerator or denominator of an exact result.
MAX_BITS = 10_000
#: Largest accepted height of the syntax tree (also after :meth:`Expression.substitute`).
MAX_HEIGHT = 256
#: Largest root degree tried exactly in ``x**(p/q)`` (larger q go straight to floats).
_MAX_EXACT_ROOT = 64

#: The allowed functions and their arity (minimum, maximum; None = no maximum).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "exp": (1, 1),
    "if": (3, 3),
    "log": (1, 1),
    "max": (2, None),
    "min": (2, None),
    "sqrt": (1, 1),
    "step": (1, 1),
}
_FUNCTION_LIST = ", ".join(FUNCTIONS)
_USAGE = {
    "abs": "abs(x)",
    "exp": "exp(x)",
    "if": "if(condition, a, b)",
    "log": "log(x)",
    "max": "max(a, b, ...)",
    "min": "min(a, b, ...)",
    "sqrt": "sqrt(x)",
    "step": "step(x)",
}
_OPERATOR_WORDS = frozenset({"and", "or", "not"})
_KEYWORDS = frozenset(keyword.kwlist) - _OPERATOR_WORDS - {"if"}

_ZERO = Fraction(0)
_ONE = Fraction(1)

Value = Fraction | float

#: The builtin ``abs`` typed for a :data:`Value`: it keeps the type (Fraction ->
#: Fraction, float -> float), but its generic signature makes a type checker
#: join ``Fraction | float`` to ``object``. A plain alias, so no per-call cost.
_abs = cast(Callable[[Value], Value], abs)


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class Node:
    """Base of the syntax-tree nodes. Nodes are immutable and compare structurally.

    ``height`` (1 for a leaf) and ``names`` (parameter names used below this
    node) are derived in ``__post_init__`` and do not take part in equality.
    """

    height: int = field(init=False, compare=False, repr=False)
    names: frozenset[str] = field(init=False, compare=False, repr=False)

    def children(self) -> tuple[Node, ...]:
        return ()

    def __post_init__(self) -> None:
        kids = self.children()
        object.__setattr__(self, "height", 1 + max((k.height for k in kids), default=0))
        object.__setattr__(self, "names", frozenset().union(*(k.names for k in kids)))


@dataclass(frozen=True, slots=True)
class Number(Node):
    """An exact constant."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A parameter reference."""

    id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", 1)
        object.__setattr__(self, "names", frozenset((self.id,)))


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """Unary minus (unary plus leaves no node)."""

    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Sum(Node):
    """``operands[0] ops[0] operands[1] ops[1] ...`` with ops in ``+ -``, left to right."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class Product(Node):
    """``operands[0] ops[0] operands[1] ...`` with ops in ``* /``, left to right."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class Power(Node):
    """``base ** exponent``."""

    base: Node
    exponent: Node

    def children(self) -> tuple[Node, ...]:
        return (self.base, self.exponent)


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """A comparison chain ``a < b <= c`` (value 1 if every link holds, else 0)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    """``a and b and ...`` or ``a or b or ...`` on truth values (nonzero = true); value 1 or 0."""

    op: str
    operands: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class Not(Node):
    """``not a``: 1 if a is zero, else 0."""

    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A call of one of :data:`FUNCTIONS`."""

    func: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


# ---------------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(
    r"""
     (?P<ws>\s+)
    |(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>\*\*|<=|>=|==|!=|[-+*/^<>(),])
    """,
    re.VERBOSE | re.ASCII,
)

# Characters refused with a specific explanation.
_REFUSED = {
    "[": "subscripts ('[') are not allowed",
    "]": "subscripts (']') are not allowed",
    "'": "strings (quotes) are not allowed",
    '"': "strings (quotes) are not allowed",
    ";": "';' is not allowed: an expression is a single formula",
    "=": "assignment ('=') is not allowed; use '==' to compare",
    ":": "':' is not allowed (no lambdas, slices or dictionaries)",
    "{": "braces are not allowed",
    "}": "braces are not allowed",
    "%": "'%' (remainder) is not allowed",
    "@": "'@' is not allowed",
    "&": "'&' is not allowed; use 'and'",
    "|": "'|' is not allowed; use 'or'",
    "~": "'~' is not allowed; use 'not' or '-'",
    "!": "'!' is not allowed; use 'not' or '!='",
    "#": "comments ('#') are not allowed",
    "\\": "backslashes are not allowed",
    "`": "backticks are not allowed",
    "$": "'$' is not allowed",
    "?": "'?' is not allowed; use if(condition, a, b)",
    "\u2212": "unexpected character '\u2212' (a Unicode minus sign); use '-'",
    "\u2013": "unexpected character '\u2013' (a dash); use '-'",
    "\u00d7": "unexpected character '\u00d7'; use '*'",
    "\u00b7": "unexpected character '\u00b7'; use '*'",
    "\u00f7": "unexpected character '\u00f7'; use '/'",
    "\u2264": "unexpected character '\u2264'; use '<='",
    "\u2265": "unexpected character '\u2265'; use '>='",
    "\u2260": "unexpected character '\u2260'; use '!='",
    "\u00a0": "unexpected non-breaking space (U+00A0); use a plain space",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "name", "op", "error" or "end"
    text: str
    pos: int  # 0-based offset into the text
    message: str = ""  # for "error" tokens: why the character is refused


def _tokenize(text: str) -> list[_Token]:
    """Split ``text`` into tokens in one left-to-right pass (linear time).

    A refused character becomes an "error" token rather than an immediate
    exception, so the parser reports whichever problem comes first in the text.
    """
    tokens: list[_Token] = []
    pos, n = 0, len(text)
    match = _TOKEN_RE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            ch = text[pos]
            tokens.append(_Token("error", ch, pos, _refusal(ch, tokens)))
            pos += 1
            continue
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), pos))  # type: ignore[arg-type]
        pos = m.end()
    tokens.append(_Token("end", "", n))
    return tokens


def _refusal(ch: str, before: list[_Token]) -> str:
    """The message for a character outside the language."""
    if ch == ".":
        prev = before[-1] if before else None
        if prev is not None and (prev.kind in ("name", "number") or prev.text == ")"):
            return "attribute access ('.') is not allowed"
        return "unexpected character '.'"
    if ch in _REFUSED:
        return _REFUSED[ch]
    if ch.isprintable() and ch.isascii():
        return f"unexpected character {ch!r}"
    return f"unexpected character {ch!r} (U+{ord(ch):04X})"


# ------------------------------------------------------------------------- parser


class _Parser:
    """Recursive-descent parser over the token list; one method per precedence level."""

    def __init__(self, text: str, allowed: frozenset[str]):
        self.text = text
        self.allowed = allowed
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.open_parens: list[_Token] = []

    # -- helpers
    def error(self, message: str, token: _Token) -> ExpressionError:
        return ExpressionError(message, text=self.text, column=token.pos + 1, token=token.text or None)

    def peek(self) -> _Token:
        token = self.tokens[self.i]
        if token.kind == "error":
            raise self.error(token.message, token)
        return token

    def advance(self) -> _Token:
        token = self.peek()
        self.i += 1
        return token

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)", token)

    def describe(self, token: _Token) -> str:
        return "the end of the text" if token.kind == "end" else repr(token.text)

    # -- grammar
    def parse(self) -> Node:
        if self.tokens[0].kind == "end":
            raise ExpressionError("empty expression", text=self.text, column=1)
        node = self.expr()
        token = self.peek()
        if token.kind != "end":
            if token.text == ")":
                raise self.error("unbalanced parenthesis: ')' has no matching '('", token)
            if token.text == ",":
                raise self.error("',' is only allowed between function arguments", token)
            raise self.error(
                f"unexpected {self.describe(token)} after a complete expression (missing operator?)", token
            )
        if node.height > MAX_HEIGHT:
            raise ExpressionError(f"expression nested too deeply (tree height over {MAX_HEIGHT})", text=self.text)
        return node

    def expr(self) -> Node:
        return self.boolean("or", self.and_expr)

    def and_expr(self) -> Node:
        return self.boolean("and", self.not_expr)

    def boolean(self, word: str, operand: Callable[[], Node]) -> Node:
        operands = [operand()]
        while self.peek().kind == "name" and self.peek().text == word:
            self.advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else BoolOp(word, tuple(operands))

    def not_expr(self) -> Node:
        token = self.peek()
        if token.kind == "name" and token.text == "not":
            self.advance()
            self.enter(token)
            node = Not(self.not_expr())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        operands, ops = [self.sum()], []
        while self.peek().text in ("<", "<=", ">", ">=", "==", "!=") and self.peek().kind == "op":
            ops.append(self.advance().text)
            operands.append(self.sum())
        return operands[0] if not ops else Compare(tuple(operands), tuple(ops))

    def sum(self) -> Node:
        operands, ops = [self.product()], []
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            ops.append(self.advance().text)
            operands.append(self.product())
        return operands[0] if not ops else _chain(Sum, operands, ops)

    def product(self) -> Node:
        operands, ops = [self.unary()], []
        while self.peek().kind == "op" and self.peek().text in ("*", "/"):
            ops.append(self.advance().text)
            operands.append(self.unary())
        return operands[0] if not ops else _chain(Product, operands, ops)

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "op" and token.text in ("-", "+"):
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand) if token.text == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        token = self.peek()
        if not (token.kind == "op" and token.text in ("**", "^")):
            return base
        self.advance()
        self.enter(token)
        start = self.peek()
        exponent = self.unary()  # right-associative; allows 2**-1
        self.depth -= 1
        if not exponent.names:
            self.check_constant_exponent(exponent, start)
        return Power(base, exponent)

    def check_constant_exponent(self, exponent: Node, token: _Token) -> None:
        """Refuse a constant exponent beyond +-MAX_EXPONENT (stops ``9**9**9**9`` early)."""
        try:
            value = _compile_scalar(exponent)({})
        except EvaluationError as exc:
            raise self.error(f"invalid exponent: {exc.message}", token) from None
        if _abs(value) > MAX_EXPONENT:
            shown = _to_text(exponent)
            if not isinstance(exponent, Number):
                shown = f"{shown} = {value}" if _small_to_show(value) else f"{shown}, a huge number,"
            raise self.error(f"exponent {shown} is too large (at most {MAX_EXPONENT} in absolute value)", token)

    def atom(self) -> Node:
        token = self.peek()
        if token.kind == "number":
            self.advance()
            return Number(self.number(token))
        if token.kind == "name":
            return self.name_or_call(token)
        if token.text == "(":
            self.advance()
            self.enter(token)
            if self.peek().text == ")" and self.peek().kind == "op":
                raise self.error("empty parentheses '()'", self.peek())
            self.open_parens.append(token)
            node = self.expr()
            self.close(token, "(")
            self.open_parens.pop()
            self.depth -= 1
            return node
        if token.kind == "end":
            raise self.error("expected a number, a name or '(' but the text ended", token)
        if token.text == ")":
            if self.open_parens:
                raise self.error("expected an expression before ')'", token)
            raise self.error("unbalanced parenthesis: ')' has no matching '('", token)
        if token.text == ",":
            raise self.error("',' is only allowed between function arguments", token)
        raise self.error(f"unexpected {token.text!r} (expected a number, a name or '(')", token)

    def number(self, token: _Token) -> Fraction:
        """The exact value of a decimal literal (``2.5E-2`` -> 1/40), with size guards."""
        mantissa, _, exponent = token.text.lower().partition("e")
        if exponent and abs(int(exponent)) > MAX_EXPONENT:
            raise self.error(f"number {token.text!r} is too large (decimal exponent beyond {MAX_EXPONENT})", token)
        value = Fraction(mantissa)
        if exponent:
            value *= Fraction(10) ** int(exponent)
        if not _small_enough(value):
            raise self.error(f"number {token.text!r} is too large (more than {MAX_BITS} bits)", token)
        return value

    def close(self, opening: _Token, what: str) -> None:
        token = self.peek()
        if token.kind == "op" and token.text == ")":
            self.advance()
            return
        if token.kind == "end":
            raise self.error(f"unbalanced parenthesis: {what!r} at column {opening.pos + 1} is never closed", opening)
        if token.text == "," and what == "(":
            raise self.error("',' is only allowed between function arguments", token)
        raise self.error(f"expected ')' to close {what!r} at column {opening.pos + 1}, found {token.text!r}", token)

    def name_or_call(self, token: _Token) -> Node:
        word = token.text
        if word in _KEYWORDS:
            raise self.error(f"keyword {word!r} is not allowed", token)
        if word == "not":
            raise self.error("'not' cannot follow an arithmetic operator; write (not ...)", token)
        if word in _OPERATOR_WORDS:
            raise self.error(f"expected an expression before {word!r}", token)
        self.advance()
        following = self.peek()
        if following.kind == "op" and following.text == "(":
            return self.call(token, following)
        if word in self.allowed:
            return Name(word)
        if word in FUNCTIONS:
            raise self.error(f"function {word!r} must be called: {_USAGE[word]}", token)
        raise self.error(_unknown_name(word, self.allowed), token)

    def call(self, name: _Token, paren: _Token) -> Node:
        func = name.text
        if func not in FUNCTIONS:
            if func in self.allowed:
                raise self.error(f"{func!r} is a parameter, not a function; allowed functions: {_FUNCTION_LIST}", name)
            raise self.error(f"unknown function {func!r}; allowed functions: {_FUNCTION_LIST}", name)
        self.advance()  # the '('
        self.enter(paren)
        self.open_parens.append(paren)
        args: list[Node] = []
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            args.append(self.expr())
            while self.peek().kind == "op" and self.peek().text == ",":
                self.advance()
                args.append(self.expr())
        self.close(paren, f"{func}(")
        self.open_parens.pop()
        self.depth -= 1
        low, high = FUNCTIONS[func]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            plural = "" if low == 1 else "s"
            raise self.error(f"{func}() takes {wanted} argument{plural} ({len(args)} given): {_USAGE[func]}", name)
        return Call(func, tuple(args))


def _chain(cls: type[Sum] | type[Product], operands: list[Node], ops: Collection[str]) -> Node:
    """A Sum or Product node, merged with a leading node of the same kind.

    ``(a + b) + c`` and ``a + b + c`` are the same left-to-right computation
    (even in floats), so they get the same tree, and rendering a tree as text
    and parsing it back gives the tree again.
    """
    first = operands[0]
    if type(first) is cls:
        return cls(first.operands + tuple(operands[1:]), first.ops + tuple(ops))
    return cls(tuple(operands), tuple(ops))


def _unknown_name(word: str, allowed: Collection[str]) -> str:
    """ "unknown name 'v_ee' (did you mean 'v_e'?)" or a list of the declared names."""
    import difflib  # only needed on this error path; keeps the module import cheap

    close = difflib.get_close_matches(word, sorted(allowed), n=1)
    if close:
        return f"unknown name {word!r} (did you mean {close[0]!r}?)"
    if not allowed:
        return f"unknown name {word!r} (no parameters are declared)"
    listed = sorted(allowed)
    more = f", ... ({len(listed)} in all)" if len(listed) > 12 else ""
    return f"unknown name {word!r}; declared names: {', '.join(listed[:12])}{more}"


# ------------------------------------------------------------------ unparsing

# Precedence levels used to print a tree with the fewest parentheses.
_P_OR, _P_AND, _P_NOT, _P_CMP, _P_SUM, _P_PROD, _P_UNARY, _P_POW, _P_ATOM = range(1, 10)


def _format_number(value: Fraction) -> tuple[str, int]:
    """Text and precedence of a constant: ``3``, ``0.125``, ``-2``, ``1e300`` or ``1/3``."""
    p, q = value.numerator, value.denominator
    sign = "-" if p < 0 else ""
    prec = _P_UNARY if p < 0 else _P_ATOM
    twos = fives = 0
    rest = q
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1 or max(twos, fives) > 40:
        return f"{p}/{q}", _P_PROD
    # value = digits * 10**-places exactly; move trailing zeros into the exponent.
    places = max(twos, fives)
    digits = abs(p) * 10**places // q
    while digits and digits % 10 == 0 and places > 0:
        digits //= 10
        places -= 1
    zeros = 0
    while places == 0 and digits and digits % 10 == 0:
        digits //= 10
        zeros += 1
    text = str(digits)
    if zeros >= 6 or places > 12:
        return f"{sign}{text}e{zeros - places}", prec
    if zeros:
        return sign + text + "0" * zeros, prec
    if places:
        text = text.rjust(places + 1, "0")
        text = text[:-places] + "." + text[-places:]
    return sign + text, prec


def _unparse(node: Node) -> tuple[str, int]:
    """Canonical text of ``node`` and its precedence (inverse of the parser)."""

    def wrap(child: Node, minimum: int) -> str:
        text, prec = _unparse(child)
        return f"({text})" if prec < minimum else text

    if isinstance(node, Number):
        return _format_number(node.value)
    if isinstance(node, Name):
        return node.id, _P_ATOM
    if isinstance(node, Neg):
        return "-" + wrap(node.operand, _P_POW), _P_UNARY
    if isinstance(node, Sum):
        parts = [wrap(node.operands[0], _P_SUM)]
        for op, child in zip(node.ops, node.operands[1:]):
            parts.append(f" {op} {wrap(child, _P_PROD)}")
        return "".join(parts), _P_SUM
    if isinstance(node, Product):
        parts = [wrap(node.operands[0], _P_PROD)]
        for op, child in zip(node.ops, node.operands[1:]):
            parts.append(f"{op}{wrap(child, _P_UNARY)}")
        return "".join(parts), _P_PROD
    if isinstance(node, Power):
        return f"{wrap(node.base, _P_ATOM)}**{wrap(node.exponent, _P_UNARY)}", _P_POW
    if isinstance(node, Compare):
        parts = [wrap(node.operands[0], _P_SUM)]
        for op, child in zip(node.ops, node.operands[1:]):
            parts.append(f" {op} {wrap(child, _P_SUM)}")
        return "".join(parts), _P_CMP
    if isinstance(node, BoolOp):
        level = _P_OR if node.op == "or" else _P_AND
        return f" {node.op} ".join(wrap(c, level + 1) for c in node.operands), level
    if isinstance(node, Not):
        return "not " + wrap(node.operand, _P_NOT), _P_NOT
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_unparse(a)[0] for a in node.args)})", _P_ATOM
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _to_text(node: Node) -> str:
    return _unparse(node)[0]


def _small_to_show(value: Value) -> bool:
    return not isinstance(value, Fraction) or (
        value.numerator.bit_length() < 64 and value.denominator.bit_length() < 64
    )


# ------------------------------------------------------- exact / float evaluation


def _small_enough(value: Fraction) -> bool:
    return value.numerator.bit_length() <= MAX_BITS and value.denominator.bit_length() <= MAX_BITS


def _failure(message: str, node: Node, env: Mapping[str, Value]) -> EvaluationError:
    """An :class:`EvaluationError` naming the failing sub-expression and its inputs."""
    text = _to_text(node)
    if len(text) > 200:
        text = text[:197] + "..."
    used = sorted(node.names)
    at = ""
    if used:
        at = " with " + ", ".join(f"{n} = {_show(env[n])}" for n in used if n in env)
    return EvaluationError(f"{message} in '{text}'{at}")


def _show(value: Value) -> str:
    if isinstance(value, Fraction):
        return str(value) if _small_to_show(value) else "<a huge number>"
    return repr(value)


def _checked(value: Value, node: Node, env: Mapping[str, Value]) -> Value:
    """Return ``value`` if it is a finite float or an exact number of at most MAX_BITS bits."""
    if type(value) is not Fraction:  # a float
        if value - value != 0.0:  # inf or nan
            raise _failure("overflow (the result is not a finite number)", node, env)
    elif value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS:
        raise _failure(f"exact result too large (more than {MAX_BITS} bits)", node, env)
    return value


def _iroot(n: int, k: int) -> int:
    """The integer k-th root of n >= 0, rounded down (Newton's method on integers)."""
    if n < 2:
        return n
    x = 1 << -(-n.bit_length() // k)  # an upper bound of the root
    while True:
        y = ((k - 1) * x + n // x ** (k - 1)) // k
        if y >= x:
            return x
        x = y


def _power(base: Value, exponent: Value, node: Node, env: Mapping[str, Value]) -> Value:
    """``base ** exponent`` with the size guard applied *before* computing.

    Exact when both are Fractions and the exponent is an integer, or when
    ``exponent = p/q`` and ``base`` is an exact q-th power (``(9/4)**(1/2) = 3/2``).
    Zero to a negative power is a division by zero; a negative base with a
    fractional exponent has no real value. Both are refused.
    """
    too_large = f"exact result too large (more than {MAX_BITS} bits)"
    overflow = "overflow (the result is not a finite number)"
    if type(exponent) is Fraction and exponent.denominator == 1:
        k = exponent.numerator
        if base == 0 and k < 0:
            raise _failure("division by zero (zero to a negative power)", node, env)
        if type(base) is not Fraction:  # a float
            try:
                return _checked(base**k, node, env)
            except OverflowError:
                raise _failure(overflow, node, env) from None
        p, q = base.numerator, base.denominator
        size = max(abs(p).bit_length(), q.bit_length())
        if size <= 1:  # base is -1, 0 or 1: any exponent is cheap
            return base ** (k % 2 if base == -1 else min(abs(k), 1))
        if abs(k) * (size - 1) >= MAX_BITS:  # the result would have more than MAX_BITS bits
            raise _failure(too_large, node, env)
        return _checked(base**k, node, env)
    if type(base) is not Fraction or type(exponent) is not Fraction:  # a float among them
        try:
            b, e = float(base), float(exponent)
            if b < 0 and not e.is_integer():
                raise _failure("a negative number to a fractional power has no real value", node, env)
            if b == 0 and e < 0:
                raise _failure("division by zero (zero to a negative power)", node, env)
            return _checked(b**e, node, env)
        except OverflowError:
            raise _failure(overflow, node, env) from None
    # Both exact, the exponent p/q not an integer.
    if base < 0:
        raise _failure("a negative number to a fractional power has no real value", node, env)
    if base == 0:
        if exponent < 0:
            raise _failure("division by zero (zero to a negative power)", node, env)
        return _ZERO
    if exponent.denominator <= _MAX_EXACT_ROOT:
        k = exponent.denominator
        p, q = base.numerator, base.denominator
        rp, rq = _iroot(p, k), _iroot(q, k)
        if rp**k == p and rq**k == q:
            return _power(Fraction(rp, rq), Fraction(exponent.numerator), node, env)
    try:
        return _checked(float(base) ** float(exponent), node, env)
    except OverflowError:
        raise _failure(overflow, node, env) from None


def _sqrt(x: Value, node: Node, env: Mapping[str, Value]) -> Value:
    if x < 0:
        raise _failure("square root of a negative number", node, env)
    if type(x) is Fraction:
        p, q = x.numerator, x.denominator
        rp, rq = math.isqrt(p), math.isqrt(q)
        if rp * rp == p and rq * rq == q:
            return Fraction(rp, rq)
    try:
        return math.sqrt(float(x))
    except OverflowError:
        raise _failure("overflow (the argument is too large)", node, env) from None


def _exp(x: Value, node: Node, env: Mapping[str, Value]) -> Value:
    if x == 0 and type(x) is Fraction:
        return _ONE
    try:
        return math.exp(float(x))
    except OverflowError:
        raise _failure("overflow (the result is not a finite number)", node, env) from None


def _log(x: Value, node: Node, env: Mapping[str, Value]) -> Value:
    if x <= 0:
        raise _failure("logarithm of a number that is not positive", node, env)
    if type(x) is Fraction:
        if x == 1:
            return _ZERO
        return math.log(x.numerator) - math.log(x.denominator)  # exact-int logs: no float overflow
    return math.log(x)


def _fold_min_max(func: str, values: list[Value]) -> Value:
    result = min(values) if func == "min" else max(values)
    if type(result) is Fraction and any(type(v) is float for v in values):
        return float(result)
    return result


_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}

Scalar = Callable[[Mapping[str, Value]], Value]


def _compile_scalar(node: Node) -> Scalar:
    """Turn a tree into nested closures computing its exact (or float) value.

    Closures are built once per expression and reused: evaluation is then a
    few Python calls per node, with no re-dispatch on node types.
    """
    if isinstance(node, Number):
        value = node.value
        return lambda env: value
    if isinstance(node, Name):
        key = node.id
        return lambda env: env[key]
    if isinstance(node, Neg):
        inner = _compile_scalar(node.operand)
        return lambda env: -inner(env)
    if isinstance(node, (Sum, Product)):
        return _compile_chain(node)
    if isinstance(node, Power):
        base_fn, exp_fn = _compile_scalar(node.base), _compile_scalar(node.exponent)

        def power(env: Mapping[str, Value]) -> Value:
            exponent = exp_fn(env)  # first, so the size guard sees it before any big power
            return _power(base_fn(env), exponent, node, env)

        return power
    if isinstance(node, Compare):
        first = _compile_scalar(node.operands[0])
        links = tuple((_COMPARE[op], _compile_scalar(c)) for op, c in zip(node.ops, node.operands[1:]))

        def compare(env: Mapping[str, Value]) -> Value:
            left = first(env)
            for test, fn in links:
                right = fn(env)
                if not test(left, right):
                    return _ZERO
                left = right
            return _ONE

        return compare
    if isinstance(node, BoolOp):
        fns = tuple(_compile_scalar(c) for c in node.operands)
        if node.op == "and":
            return lambda env: _ONE if all(fn(env) != 0 for fn in fns) else _ZERO
        return lambda env: _ONE if any(fn(env) != 0 for fn in fns) else _ZERO
    if isinstance(node, Not):
        inner = _compile_scalar(node.operand)
        return lambda env: _ONE if inner(env) == 0 else _ZERO
    if isinstance(node, Call):
        return _compile_call(node)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _compile_chain(node: Sum | Product) -> Scalar:
    first = _compile_scalar(node.operands[0])
    rest = tuple((op, _compile_scalar(c)) for op, c in zip(node.ops, node.operands[1:]))

    def chain(env: Mapping[str, Value]) -> Value:
        acc = first(env)
        try:
            for op, fn in rest:
                right = fn(env)
                if op == "+":
                    acc = acc + right
                elif op == "-":
                    acc = acc - right
                elif op == "*":
                    acc = acc * right
                else:
                    acc = acc / right
                if type(acc) is not Fraction:  # a float
                    if acc - acc != 0.0:
                        raise _failure("overflow (the result is not a finite number)", node, env)
                elif acc.numerator.bit_length() > MAX_BITS or acc.denominator.bit_length() > MAX_BITS:
                    raise _failure(f"exact result too large (more than {MAX_BITS} bits)", node, env)
        except ZeroDivisionError:
            raise _failure("division by zero", node, env) from None
        except OverflowError:
            raise _failure("overflow (a number too large for a float)", node, env) from None
        return acc

    return chain


def _compile_call(node: Call) -> Scalar:
    fns = tuple(_compile_scalar(a) for a in node.args)
    func = node.func
    if func == "if":
        cond, then, other = fns
        return lambda env: then(env) if cond(env) != 0 else other(env)
    if func in ("min", "max"):
        return lambda env: _fold_min_max(func, [fn(env) for fn in fns])
    (arg,) = fns
    if func == "abs":
        return lambda env: _abs(arg(env))
    if func == "step":
        return lambda env: _ONE if arg(env) >= 0 else _ZERO
    special = {"sqrt": _sqrt, "exp": _exp, "log": _log}[func]
    return lambda env: special(arg(env), node, env)


def _as_value(name: str, value: Any) -> Value:
    """A parameter value as a Fraction (int, Fraction, numpy int) or a finite float."""
    kind = type(value)
    if kind is Fraction:
        return value
    if kind is int:
        return Fraction(value)
    if kind is float or (isinstance(value, numbers.Real) and not isinstance(value, numbers.Rational)):
        value = float(value)
        if not math.isfinite(value):
            raise EvaluationError(f"the value of {name!r} is not a finite number: {value!r}")
        return value
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    raise EvaluationError(f"the value of {name!r} must be a real number, not {kind.__name__}")


# --------------------------------------------------------- vectorised evaluation


#: A compiled vectorised expression: parameter arrays in, float64 array (or scalar) out.
ArrayFn = Callable[[Mapping[str, Any]], Any]


def _compile_array(node: Node) -> ArrayFn:
    """Closures computing float64 numpy arrays; run them inside ``np.errstate(all="ignore")``.

    Designed so that an element of the result is finite exactly when the
    scalar :meth:`Expression.evaluate` at that point would succeed: a scalar
    error shows up as inf or nan, and wherever an operation could turn a
    non-finite input into a finite output (``x/inf``, ``min(inf, 1)``,
    ``step(inf)``, ``exp(-inf)``, ``1**nan``) the input is first made nan.
    ``if`` computes both branches and selects with ``np.where``; ``and``,
    ``or`` and comparison chains follow the scalar short-circuit order, so a
    nan in a part the scalar evaluation would skip does not leak out.
    """
    import numpy as np

    if isinstance(node, Number):
        value = np.float64(_to_float(node.value))
        return lambda env: value
    if isinstance(node, Name):
        key = node.id
        return lambda env: env[key]
    if isinstance(node, Neg):
        inner = _compile_array(node.operand)
        return lambda env: np.negative(inner(env))
    if isinstance(node, (Sum, Product)):
        return _array_chain(node)
    if isinstance(node, Power):
        return _array_power(node)
    if isinstance(node, Compare):
        return _array_compare(node)
    if isinstance(node, BoolOp):
        return _array_boolean(node)
    if isinstance(node, Not):
        return _array_not(node)
    if isinstance(node, Call):
        return _array_call(node)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _finite(x: Any) -> Any:
    """``x`` with every non-finite element made nan, so that no later operation can make it finite."""
    import numpy as np

    return np.where(np.isfinite(x), x, np.nan)


def _array_chain(node: Sum | Product) -> ArrayFn:
    """A sum or product chain, left to right; a divisor that is not finite makes the result nan."""
    import numpy as np

    first = _compile_array(node.operands[0])
    rest = tuple((op, _compile_array(c)) for op, c in zip(node.ops, node.operands[1:]))

    def chain(env: Mapping[str, Any]) -> Any:
        acc = first(env)
        for op, fn in rest:
            right = fn(env)
            if op == "+":
                acc = np.add(acc, right)
            elif op == "-":
                acc = np.subtract(acc, right)
            elif op == "*":
                acc = np.multiply(acc, right)
            else:
                acc = np.true_divide(acc, _finite(right))
        return acc

    return chain


def _array_power(node: Power) -> ArrayFn:
    """``base ** exponent``, nan unless both are finite (``1 ** nan`` would be 1)."""
    import numpy as np

    base_fn, exp_fn = _compile_array(node.base), _compile_array(node.exponent)

    def power(env: Mapping[str, Any]) -> Any:
        base, exponent = base_fn(env), exp_fn(env)
        return np.where(np.isfinite(base) & np.isfinite(exponent), np.power(base, exponent), np.nan)

    return power


def _array_compare(node: Compare) -> ArrayFn:
    """A comparison chain as 1.0/0.0, in the scalar short-circuit order."""
    import numpy as np

    fns = [_compile_array(c) for c in node.operands]
    tests = {
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
        "==": np.equal,
        "!=": np.not_equal,
    }
    ops = [tests[op] for op in node.ops]

    def compare(env: Mapping[str, Any]) -> Any:
        values = [_finite(fn(env)) for fn in fns]
        # Built from the last link backwards: link k is reached only if links before it hold.
        out: Any = 1.0
        for k in range(len(ops) - 1, -1, -1):
            right = values[k + 1]
            out = np.where(np.isnan(right), np.nan, np.where(ops[k](values[k], right), out, 0.0))
        return np.where(np.isnan(values[0]), np.nan, out)

    return compare


def _array_boolean(node: BoolOp) -> ArrayFn:
    """``and``/``or`` as 1.0/0.0, in the scalar short-circuit order."""
    import numpy as np

    fns = [_compile_array(c) for c in node.operands]
    is_and = node.op == "and"

    def boolean(env: Mapping[str, Any]) -> Any:
        values = [_finite(fn(env)) for fn in fns]
        out: Any = 1.0 if is_and else 0.0
        for v in reversed(values):
            decided = np.where(v != 0, out, 0.0) if is_and else np.where(v != 0, 1.0, out)
            out = np.where(np.isnan(v), np.nan, decided)
        return out

    return boolean


def _array_not(node: Not) -> ArrayFn:
    """``not x`` as 1.0/0.0, nan where x is not finite."""
    import numpy as np

    inner = _compile_array(node.operand)

    def negation(env: Mapping[str, Any]) -> Any:
        v = _finite(inner(env))
        return np.where(np.isnan(v), np.nan, np.where(v == 0, 1.0, 0.0))

    return negation


def _array_call(node: Call) -> ArrayFn:
    """A function call: ``if`` selects between both branches computed; the others map element-wise."""
    import numpy as np

    fns = [_compile_array(a) for a in node.args]
    func = node.func
    if func == "if":
        cond, then, other = fns

        def choose(env: Mapping[str, Any]) -> Any:
            c = _finite(cond(env))
            return np.where(np.isnan(c), np.nan, np.where(c != 0, then(env), other(env)))

        return choose
    if func in ("min", "max"):
        ufunc = np.minimum if func == "min" else np.maximum  # both propagate nan

        def extreme(env: Mapping[str, Any]) -> Any:
            acc = _finite(fns[0](env))
            for fn in fns[1:]:
                acc = ufunc(acc, _finite(fn(env)))
            return acc

        return extreme
    (arg,) = fns
    if func == "step":

        def step(env: Mapping[str, Any]) -> Any:
            v = _finite(arg(env))
            return np.where(np.isnan(v), np.nan, np.where(v >= 0, 1.0, 0.0))

        return step
    if func == "exp":
        return lambda env: np.exp(_finite(arg(env)))
    elementwise = {"abs": np.abs, "sqrt": np.sqrt, "log": np.log}[func]
    return lambda env: elementwise(arg(env))


def _to_float(value: Fraction) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


# ------------------------------------------------------------------------ sympy


def _to_sympy(node: Node, symbols: Mapping[str, Any], sp: Any) -> Any:
    """Exact sympy form of ``node``. Constant sub-trees are first evaluated with the
    guarded exact evaluator, so a constant like ``(10**1000)**1000`` raises
    EvaluationError instead of making sympy build a billion-bit integer."""
    if not node.names and not isinstance(node, Number):
        value = _compile_scalar(node)({})
        if type(value) is Fraction:
            return sp.Rational(value.numerator, value.denominator)
    if isinstance(node, Number):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Name):
        return symbols[node.id]
    if isinstance(node, (Compare, BoolOp, Not)):
        return sp.Piecewise((sp.Integer(1), _condition(node, symbols, sp)), (sp.Integer(0), True))
    if isinstance(node, Neg):
        return -_to_sympy(node.operand, symbols, sp)
    if isinstance(node, (Sum, Product)):
        acc = _to_sympy(node.operands[0], symbols, sp)
        for op, child in zip(node.ops, node.operands[1:]):
            right = _to_sympy(child, symbols, sp)
            if op == "+":
                acc = acc + right
            elif op == "-":
                acc = acc - right
            elif op == "*":
                acc = acc * right
            else:
                acc = acc / right
        return acc
    if isinstance(node, Power):
        base, exponent = _to_sympy(node.base, symbols, sp), _to_sympy(node.exponent, symbols, sp)
        _check_sympy_power(base, exponent, node)
        return sp.Pow(base, exponent)
    if isinstance(node, Call):
        func = node.func
        if func == "if":
            cond, then, other = node.args
            return sp.Piecewise(
                (_to_sympy(then, symbols, sp), _condition(cond, symbols, sp)),
                (_to_sympy(other, symbols, sp), True),
            )
        args = [_to_sympy(a, symbols, sp) for a in node.args]
        if func == "step":
            return sp.Piecewise((sp.Integer(1), args[0] >= 0), (sp.Integer(0), True))
        if func in ("min", "max"):
            _check_orderable(node, args)
        table = {"min": sp.Min, "max": sp.Max, "abs": sp.Abs, "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log}
        return table[func](*args)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _check_orderable(node: Call, args: list[Any]) -> None:
    """Refuse ``min``/``max`` of a value sympy cannot order (``max(r, log(s - 1))`` with s fixed at 0: ``I*pi``).

    The numeric evaluator refuses such a value where it is computed; sympy
    would raise a bare ``ValueError`` ("is not comparable") while building the
    expression, even inside a branch that is never taken.
    """
    for child, arg in zip(node.args, args):
        if arg.is_extended_real is False or (arg.is_number and not arg.is_comparable):
            raise EvaluationError(
                f"no real symbolic form for {_to_text(node)!r}: its argument {_to_text(child)!r} is {_short(str(arg))}, "
                "which is not a real number"
            )


def _check_sympy_power(base: Any, exponent: Any, node: Power) -> None:
    """Refuse a power whose exponent became a huge constant only in sympy (``2**(a - a + 10**12)``).

    sympy simplifies ``a - a`` to 0 as it builds the sum and then evaluates an
    integer power eagerly, so such a power would compute a number of 10**12
    bits; the parser's exponent check only sees constant exponents as written.
    """
    if not exponent.is_Number or base in (0, 1, -1):
        return
    too_large = abs(exponent) > MAX_EXPONENT
    if not too_large and base.is_Rational and exponent.is_Integer:
        size = max(abs(int(base.p)).bit_length(), int(base.q).bit_length())
        too_large = abs(int(exponent)) * (size - 1) >= MAX_BITS
    if too_large:
        raise ExpressionError(
            f"power too large after simplification (exponent {_short(str(exponent))}; exponents are limited "
            f"to {MAX_EXPONENT} and exact results to {MAX_BITS} bits)",
            text=_to_text(node),
        )


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _condition(node: Node, symbols: Mapping[str, Any], sp: Any) -> Any:
    """The sympy boolean that ``node`` means when used as a condition (nonzero = true)."""
    if isinstance(node, Compare):
        relations = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}
        values = [_to_sympy(c, symbols, sp) for c in node.operands]
        links = [relations[op](values[k], values[k + 1]) for k, op in enumerate(node.ops)]
        return sp.And(*links)
    if isinstance(node, BoolOp):
        parts = [_condition(c, symbols, sp) for c in node.operands]
        return sp.And(*parts) if node.op == "and" else sp.Or(*parts)
    if isinstance(node, Not):
        return sp.Not(_condition(node.operand, symbols, sp))
    return sp.Ne(_to_sympy(node, symbols, sp), 0)


# ------------------------------------------------------------------- public API


def _replace(node: Node, replacements: Mapping[str, Node]) -> Node:
    """``node`` with every Name in ``replacements`` swapped for its tree (simultaneously)."""
    if not (node.names & replacements.keys()):
        return node
    if isinstance(node, Name):
        return replacements[node.id]
    if isinstance(node, Neg):
        return Neg(_replace(node.operand, replacements))
    if isinstance(node, Not):
        return Not(_replace(node.operand, replacements))
    if isinstance(node, Power):
        return Power(_replace(node.base, replacements), _replace(node.exponent, replacements))
    if isinstance(node, (Sum, Product)):
        return _chain(type(node), [_replace(c, replacements) for c in node.operands], node.ops)
    if isinstance(node, Compare):
        return Compare(tuple(_replace(c, replacements) for c in node.operands), node.ops)
    if isinstance(node, BoolOp):
        return BoolOp(node.op, tuple(_replace(c, replacements) for c in node.operands))
    if isinstance(node, Call):
        return Call(node.func, tuple(_replace(a, replacements) for a in node.args))
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


class Expression:
    """A parsed, validated payoff expression: immutable, hashable, picklable.

    Build one with :func:`parse_expression`. Two expressions are equal when
    their syntax trees are equal (``"a+b"`` equals ``"a + (b)"``).

    Attributes
    ----------
    text:
        The original text (for numbers and substituted expressions: a canonical rendering).
    names:
        The parameter names the expression uses.
    """

    __slots__ = ("_array", "_hash", "_order", "_root", "_scalar", "names", "text")

    text: str
    names: frozenset[str]
    _root: Node
    _order: tuple[str, ...]  # the sorted names: the order values are read in
    _scalar: Scalar | None  # compiled on first evaluate()
    _array: ArrayFn | None  # compiled on first evaluate_array()
    _hash: int | None  # computed on first hash()

    def __init__(self, text: str, root: Node):
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "names", root.names)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_order", tuple(sorted(root.names)))
        object.__setattr__(self, "_scalar", None)
        object.__setattr__(self, "_array", None)
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("Expression objects are immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("Expression objects are immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Expression, (self.text, self._root))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return self._root == other._root

    def __hash__(self) -> int:
        value = self._hash
        if value is None:
            value = hash(self._root)
            object.__setattr__(self, "_hash", value)
        return value

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __str__(self) -> str:
        return self.text

    @property
    def is_constant(self) -> bool:
        """True when the expression uses no parameter."""
        return not self.names

    def evaluate(self, values: Mapping[str, Fraction | int | float]) -> Fraction | float:
        """The value at the given parameter values.

        Exact (a :class:`~fractions.Fraction`) when every value used is an int
        or a Fraction and no function gives an irrational result (``sqrt`` of
        a perfect square, ``exp(0)`` and ``log(1)`` stay exact); otherwise a
        float. Comparisons, ``step``, ``and``/``or``/``not`` give Fraction 1 or 0;
        ``if(c, a, b)`` evaluates only the branch it picks.

        Raises :class:`EvaluationError` for a missing or non-numeric value,
        division by zero, ``log`` of x <= 0, ``sqrt`` of x < 0, a negative
        number to a fractional power, float overflow, or an exact result of
        more than :data:`MAX_BITS` bits.
        """
        env: dict[str, Value] = {}
        for name in self._order:
            try:
                raw = values[name]
            except KeyError:
                raise EvaluationError(f"no value given for parameter {name!r} used in {self.text!r}") from None
            env[name] = _as_value(name, raw)
        fn = self._scalar
        if fn is None:
            fn = _compile_scalar(self._root)
            object.__setattr__(self, "_scalar", fn)
        return fn(env)

    def evaluate_array(self, values: Mapping[str, numpy.ndarray | float]) -> numpy.ndarray:
        """Vectorised float64 evaluation over broadcastable arrays (for sweeps and Monte Carlo).

        The result is a new float64 array whose shape is the broadcast shape
        of *all* the values given (used or not), so every payoff of a game
        evaluated on the same grid has the same shape. Division by zero,
        overflow and invalid operations give inf/nan silently (no warnings);
        an element is finite exactly when :meth:`evaluate` at that point
        would succeed (up to float rounding), so the caller checks
        ``numpy.isfinite``. Raises :class:`EvaluationError` for a missing
        name or values that are not numeric or do not broadcast.
        """
        import numpy as np

        env: dict[str, Any] = {}
        for name in self._order:
            try:
                raw = values[name]
            except KeyError:
                raise EvaluationError(f"no value given for parameter {name!r} used in {self.text!r}") from None
            try:
                env[name] = np.asarray(raw, dtype=np.float64)
            except (TypeError, ValueError, OverflowError) as exc:
                raise EvaluationError(f"the value of {name!r} is not numeric: {exc}") from None
        try:
            shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
        except ValueError as exc:
            raise EvaluationError(f"parameter values do not broadcast together: {exc}") from None
        fn = self._array
        if fn is None:
            fn = _compile_array(self._root)
            object.__setattr__(self, "_array", fn)
        with np.errstate(all="ignore"):
            result = fn(env)
        out = np.empty(shape, dtype=np.float64)
        out[...] = result
        return out

    def to_sympy(self, symbols: Mapping[str, sympy.Symbol] | None = None) -> sympy.Expr:
        """The exact sympy expression (decimals become Rationals: ``0.1`` -> ``Rational(1, 10)``).

        ``step(x)`` -> ``Piecewise((1, x >= 0), (0, True))`` (so step(0) = 1,
        unlike sympy's ``Heaviside(0) = 1/2``); comparisons -> ``Piecewise((1,
        relation), (0, True))``; ``if(c, a, b)`` -> ``Piecewise((a, c), (b, True))``;
        ``min``/``max`` -> ``Min``/``Max``. Names missing from ``symbols`` become
        ``Symbol(name, real=True)``. Constant parts are folded with the exact
        evaluator first, so ``1/0`` raises :class:`EvaluationError` (as does a
        form sympy refuses, such as comparing ``1/(x - x)``).
        """
        import sympy as sp

        table = dict(symbols or {})
        for name in self._order:
            if name not in table:
                table[name] = sp.Symbol(name, real=True)
        try:
            return _to_sympy(self._root, table, sp)
        except RecursionError:
            raise ExpressionError("expression too deeply nested for symbolic analysis", text=self.text) from None
        except (TypeError, ValueError) as exc:  # e.g. sympy refusing to compare zoo in 1/(x - x) < 1, or I*pi
            if isinstance(exc, InputError):
                raise
            raise EvaluationError(f"no symbolic form for {self.text!r}: {exc}") from None

    def substitute(self, replacements: Mapping[str, Expression | Fraction | int]) -> Expression:
        """A new expression with the named parameters replaced (simultaneously, not
        recursively) by other expressions, e.g. to inline derived parameters."""
        trees: dict[str, Node] = {}
        for name, value in replacements.items():
            if isinstance(value, Expression):
                trees[name] = value._root
            else:
                trees[name] = parse_expression(value, ())._root
        root = _replace(self._root, trees)
        if root is self._root:
            return self
        text = _to_text(root)
        if root.height > MAX_HEIGHT:
            raise ExpressionError(
                f"expression nested too deeply after substitution (tree height over {MAX_HEIGHT})",
                text=text[:80] + ("..." if len(text) > 80 else ""),
            )
        return Expression(text, root)


def parse_expression(text: str | int | float | Fraction, allowed_names: Collection[str]) -> Expression:
    """Parse ``text`` into an :class:`Expression` that may use only ``allowed_names``.

    A number (an int, or a Fraction as produced by
    ``json.loads(..., parse_float=Fraction)``) is accepted directly as a
    constant; a float ``x`` becomes ``Fraction(str(x))`` so ``0.1`` stays 1/10.

    Raises :class:`ExpressionError` (with the 1-based ``column`` and the
    offending ``token``) for anything outside the language. Results are
    memoised on ``(text, frozenset(allowed_names))``.
    """
    if isinstance(allowed_names, str):
        raise TypeError("allowed_names must be a collection of names, not one string")
    if isinstance(text, str):
        return _parse_text(str(text), frozenset(allowed_names))
    if isinstance(text, bool) or not isinstance(text, (int, float, Fraction)):
        raise ExpressionError(f"expected an expression (text) or a number, not {type(text).__name__}")
    if isinstance(text, float):
        if not math.isfinite(text):
            raise ExpressionError(f"expected a finite number, not {text!r}")
        value = Fraction(str(text))
    else:
        value = Fraction(text)
    if not _small_enough(value):
        raise ExpressionError(f"number too large (more than {MAX_BITS} bits)")
    root = Number(value)
    return Expression(_to_text(root), root)


@lru_cache(maxsize=4096)
def _parse_text(text: str, allowed: frozenset[str]) -> Expression:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression too long ({len(text)} characters; at most {MAX_LENGTH})", text=text[:40] + "..."
        )
    return Expression(text, _Parser(text, allowed).parse())


# ------------------------------------------------------------------ polynomials
#: An exact polynomial: monomial (sorted ``(name, power)`` pairs) -> nonzero coefficient.
Polynomial = dict[tuple[tuple[str, int], ...], Fraction]

#: Highest power :func:`polynomial_form` expands (beyond it the expression counts as not polynomial).
_MAX_POLY_POWER = 8


def polynomial_form(expr: Expression) -> Polynomial | None:
    """``expr`` expanded into its canonical polynomial (``None`` unless it is a polynomial).

    Sums, products, unary minus, constant divisors and constant non-negative
    integer powers (up to 8) are expanded exactly; anything else (a parameter
    in a divisor, a function, a comparison) gives ``None``. Two expressions
    are the same function of their parameters exactly when their polynomial
    forms are equal, which is what a sweep needs to tell a payoff tie that
    holds everywhere (the same leaf reached twice) from a tie on a threshold,
    without importing sympy.
    """
    try:
        return _poly(expr._root)
    except _NotPolynomial:
        return None


class _NotPolynomial(Exception):
    pass


def _poly_accumulate(out: Polynomial, mono: tuple[tuple[str, int], ...], value: Fraction) -> None:
    """Add ``value`` to the coefficient of ``mono`` in ``out``, dropping it when it becomes zero."""
    total = out.get(mono, Fraction(0)) + value
    if total:
        out[mono] = total
    else:
        out.pop(mono, None)


def _poly_add(a: Polynomial, b: Polynomial, sign: int = 1) -> Polynomial:
    out = dict(a)
    for mono, c in b.items():
        _poly_accumulate(out, mono, sign * c)
    return out


def _poly_mul(a: Polynomial, b: Polynomial) -> Polynomial:
    out: Polynomial = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            powers = dict(ma)
            for name, k in mb:
                powers[name] = powers.get(name, 0) + k
            _poly_accumulate(out, tuple(sorted(powers.items())), ca * cb)
    return out


def _poly(node: Node) -> Polynomial:
    if isinstance(node, Number):
        return {(): node.value} if node.value else {}
    if isinstance(node, Name):
        return {((node.id, 1),): Fraction(1)}
    if isinstance(node, Neg):
        return {m: -c for m, c in _poly(node.operand).items()}
    if isinstance(node, Sum):
        acc = _poly(node.operands[0])
        for op, child in zip(node.ops, node.operands[1:]):
            acc = _poly_add(acc, _poly(child), 1 if op == "+" else -1)
        return acc
    if isinstance(node, Product):
        acc = _poly(node.operands[0])
        for op, child in zip(node.ops, node.operands[1:]):
            right = _poly(child)
            if op == "*":
                acc = _poly_mul(acc, right)
            elif set(right) == {()}:  # division by a nonzero constant
                acc = {m: c / right[()] for m, c in acc.items()}
            else:
                raise _NotPolynomial
        return acc
    if isinstance(node, Power) and isinstance(node.exponent, Number):
        k = node.exponent.value
        if k.denominator == 1 and 0 <= k <= _MAX_POLY_POWER:
            acc = {(): Fraction(1)}
            base = _poly(node.base)
            for _ in range(int(k)):
                acc = _poly_mul(acc, base)
            return acc
    raise _NotPolynomial
