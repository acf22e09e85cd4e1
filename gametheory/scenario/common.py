"""Helpers every scenario reader shares: hints, description text, located expressions, payoff names.

The normal-form, tree and Bayesian readers (:mod:`.normal`, :mod:`.tree`,
:mod:`.bayesian`) and the model's binding (:mod:`.model`) report problems the
same way: an :class:`~gametheory.errors.InputError` naming the JSON path, with
a "did you mean" hint when a name is close to a known one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from fractions import Fraction
from typing import Any

from ..errors import ExpressionError, InputError
from ..expressions import Expression, parse_expression

Number = Fraction | float


def check_payoff_names(values: Mapping[str, Any], everyone: list[str], path: str, *, complete: bool = True) -> None:
    """Refuse payoffs keyed by a name that is not a player (or observer), and, when ``complete``,
    a row that leaves someone out; errors name the JSON path."""
    for name in values:
        if name not in everyone:
            raise InputError(
                f"{name!r} is not a player{suggest(name, everyone)}; players are {', '.join(everyone)}",
                path=f"{path}.{name}",
            )
    missing = [name for name in everyone if name not in values]
    if complete and missing:
        raise InputError(f"no payoff given for {', '.join(missing)}", path=path)


def suggest(name: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``name`` is close to one of ``options``, else ``""``."""
    close = closest(name, options)
    return f" (did you mean {close!r}?)" if close else ""


def closest(name: str, options: Iterable[str]) -> str | None:
    """The one of ``options`` that ``name`` most likely mistypes (case ignored: ``M_US`` -> ``m_us``), or None."""
    import difflib  # only on the error path that suggests a name

    by_case = {option.lower(): option for option in options}
    close = difflib.get_close_matches(name.lower(), list(by_case), n=1, cutoff=0.6)
    return by_case[close[0]] if close else None


def value_text(value: Number) -> str:
    """A parameter value in a message, as its file would write it: ``3``, ``0.25``, ``1/3``."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        as_float = float(value)
        if Fraction(repr(as_float)) == value:
            return repr(as_float)
        return f"{value.numerator}/{value.denominator}"
    return f"{value:g}"


def description_text(value: Any) -> str:
    """A description field as text: a list of paragraphs is joined by blank lines; missing is ``""``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(value)
    return str(value)


def located_expression(raw: Any, names: Collection[str], where: str) -> Expression:
    """Parse an expression of ``names``; a parse error names the JSON path ``where``.

    ``raw`` is a value as read from the file, of any JSON type: :func:`parse_expression`
    refuses what is neither text nor a number, and the error then names ``where``.
    """
    try:
        return parse_expression(raw, names)
    except ExpressionError as exc:
        raise exc.located(path=where) from None  # the same error, now naming where it is
