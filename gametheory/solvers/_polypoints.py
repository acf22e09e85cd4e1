"""The equilibria that polynomial support enumeration finds, and the exact text of their probabilities.

Shared by the integer-algebra path (:mod:`gametheory.solvers.polynomial`) and
the sympy path (:mod:`gametheory.solvers._polysympy`), so that neither imports
the other's module for them: ``polynomial`` calls into ``_polysympy``, never
the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass
class Point:
    """One equilibrium found: a profile (Fractions, or floats when irrational) and how to write it exactly."""

    profile: tuple
    exact: bool
    forms: Any = None  # per player, per strategy exact text, or a callable producing it
    component: int | None = None  # shared id for points of a positive-dimensional set
    support: tuple = ()


def fraction_text(x: Fraction) -> str:
    """A rational as sympy prints it: ``"3"`` or ``"2/3"``."""
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def exact_form_rows(shape, S, unis: dict, texts: Callable[[list], list[str]]) -> tuple:
    """Per player, per strategy exact text: "1" for a pure player's strategy, "0" off the support,
    and ``texts(polys)`` (one text per support strategy) for a mixing player's weight polynomials."""
    forms = []
    for i in range(len(shape)):
        row = ["0"] * shape[i]
        if i not in unis:
            row[S[i][0]] = "1"
        else:
            for s, text in zip(S[i], texts(unis[i])):
                row[s] = text
        forms.append(tuple(row))
    return tuple(forms)
