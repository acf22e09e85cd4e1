"""Existence conditions written as a person writes them (issue #16, defect 10)."""

from __future__ import annotations

import sympy as sp

import gametheory as gt
from gametheory.sensitivity.statics import conditions, simplified_conditions
from tests.support import GAMES


def test_one_parameter_is_reduced_to_its_interval():
    """(s - 4)/(s + 1) > 0 holds for s > 4 or s < -1, and 5/(s + 1) > 0 for s > -1: together s > 4."""
    s = sp.Symbol("s")
    assert simplified_conditions([(s - 4) / (s + 1), 5 / (s + 1)], [True, True], ()) == ("s > 4",)
    assert simplified_conditions([s - 2, 5 - s], [False, True], ()) == ("2 <= s < 5",)


def test_positive_parameters_drop_out():
    """Chicken (prize v, cost c, both declared positive): the mixed equilibrium plays hawk with probability
    v/c, a probability strictly between 0 and 1 exactly when c > v; (dove, dove) is never an equilibrium
    (against a dove, hawk earns v > v/2)."""
    reports, _ = conditions(gt.load(GAMES / "classics" / "chicken.json"))
    by_label = {r.label: r.conditions for r in reports}
    assert by_label["mixed(hawk,dove|hawk,dove)"] == ("c > v",)
    assert by_label["pure(dove,dove)"][0].startswith("never")
    assert by_label["pure(hawk,dove)"] == ("c >= v",)
