"""Thresholds of subgame perfection: where, as one parameter moves, a tree's credible outcome changes.

The normal-form threshold search (:func:`gametheory.sensitivity.thresholds`)
follows the Nash equilibria of a tree's reduced form, which often stay the
same while the subgame-perfect outcome flips (a threat becoming credible
changes which Nash equilibria are subgame perfect, not which are Nash).
:func:`spe_thresholds` follows the subgame-perfect outcomes
(:func:`gametheory.solvers.trees.spe_label`) instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..scenario import Scenario, coerce_number, scenario_values
from ..scenario.common import suggest
from ..solvers.trees import spe_label

__all__ = ["SpeThreshold", "spe_thresholds"]


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator in ``[lo, hi]`` (continued fractions)."""
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_between(-hi, -lo)
    floor = lo.numerator // lo.denominator
    if Fraction(floor) == lo:
        return lo
    if floor + 1 <= hi:
        return Fraction(floor + 1)
    rest = _simplest_between(1 / (hi - floor), 1 / (lo - floor))
    return floor + 1 / rest


@dataclass(frozen=True)
class SpeThreshold:
    """A value of one parameter where the subgame-perfect outcomes change: ``below`` and
    ``above`` are :func:`spe_label` just below and above, ``at`` the label at ``value``."""

    parameter: str
    value: Fraction
    below: str
    above: str
    at: str


def spe_thresholds(
    scenario: Scenario,
    parameter: str,
    *,
    base: Mapping[str, Any] | None = None,
    search: tuple[Any, Any] | None = None,
    points: int = 41,
) -> tuple[SpeThreshold, ...]:
    """Where, as ``parameter`` moves over ``search`` (default: its declared range) with the
    others at ``base`` (default: the defaults), the subgame-perfect outcomes of a tree change.

    The normal-form threshold search (:func:`gametheory.sensitivity.thresholds`) follows the
    Nash equilibria of the reduced form, which in a tree often stay the same while the
    subgame-perfect outcome flips (a threat becoming credible changes which Nash
    equilibria are subgame perfect, not which are Nash). This scans ``points`` values,
    bisects each change exactly in rationals down to an interval of width 1e-12, and reports
    the simplest fraction in that interval (the thresholds of payoff comparisons with
    decimal parameters are simple fractions), checked by solving at it.
    """
    tree = scenario.extensive
    if tree is None:
        raise InputError("subgame-perfect thresholds need a game tree", file=scenario.file)
    if parameter not in scenario.parameters:
        raise InputError(
            f"unknown parameter {parameter!r}{suggest(parameter, scenario.parameters)}", file=scenario.file
        )
    param = scenario.parameters[parameter]
    if search is None:
        if param.range is None:
            raise InputError(f"{parameter} has no declared range; give search=(low, high)", file=scenario.file)
        lo, hi = param.low, param.high
    else:
        lo, hi = (coerce_number(v, what=f"search bound of {parameter}") for v in search)
    lo, hi = Fraction(lo), Fraction(hi)
    fixed = {k: coerce_number(v, what=k) for k, v in (base or {}).items()}

    def label(x: Fraction) -> str:
        return spe_label(tree, scenario_values(scenario, {**fixed, parameter: x}))

    grid = [lo + (hi - lo) * k / (points - 1) for k in range(points)]
    labels = [label(x) for x in grid]
    out = []
    width = Fraction(1, 10**12)
    for a, b, la, lb in zip(grid, grid[1:], labels, labels[1:]):
        if la == lb:
            continue
        while b - a > width:
            m = (a + b) / 2
            lm = label(m)
            if lm == la:
                a = m
            elif lm == lb:
                b = m
            else:  # a third regime in between: keep the nearer change
                b, lb = m, lm
        t = _simplest_between(a, b)
        if out and out[-1].value == t:  # a grid point sat on the threshold: one change, not two
            out[-1] = SpeThreshold(parameter, t, out[-1].below, lb, out[-1].at)
        else:
            out.append(SpeThreshold(parameter, t, la, lb, label(t)))
    return tuple(out)
