"""Tests of gametheory.solvers._vertices: the certified float vertex search against exact integer pivoting.

The reference is :func:`polytope_vertices` (integer pivoting, tested against
textbook games, pygambit and lrsnash through ``test_bimatrix.py``). The
certified search must find the same vertices (zero sets) with the same
coordinates, on random matrices (float steps nearly everywhere) and on
matrices of few distinct values (ties: many bases decided exactly), and its
exact fallback must be exercised.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from gametheory.solvers import _vertices
from gametheory.solvers._vertices import basis_numerators, certified_vertices, list_vertices, polytope_vertices

CASES = [(6, 6, 100), (9, 9, 100), (7, 11, 1000), (11, 7, 30), (8, 8, 3), (9, 6, 2), (9, 9, 5)]


def normalised(nums) -> tuple[Fraction, ...]:
    total = sum(nums)
    return tuple(Fraction(v, total) for v in nums) if total else tuple(nums)


@pytest.mark.parametrize(("k", "d", "high"), CASES)
def test_certified_search_finds_the_vertices_of_integer_pivoting(k, d, high, monkeypatch):
    calls = []
    exact = _vertices._exact_basis
    monkeypatch.setattr(_vertices, "_exact_basis", lambda *a: calls.append(a[3] is None) or exact(*a))
    M = (np.random.default_rng(k * 100 + d + high).integers(0, high, (k, d)) + 1).tolist()
    reference = dict(polytope_vertices(M))
    found = certified_vertices(M)
    assert found[0][0] == next(iter(reference))  # z = 0 first
    assert {zero for zero, _ in found} == set(reference)
    for zero, basis in found:
        assert normalised(basis_numerators(M, basis)) == normalised(reference[zero])
    if high <= 5:  # ties: degenerate bases decided exactly, most by one pivot from an exact parent
        assert calls and not all(calls)


def test_list_vertices_picks_a_search_and_both_give_numerators():
    for high, floats in [(100, True), (3, False)]:
        M = (np.random.default_rng(high).integers(0, high, (9, 9)) + 1).tolist()
        listed = list_vertices(M)
        assert listed._bases is floats
        reference = polytope_vertices(M)
        assert sorted(listed.zeros) == sorted(zero for zero, _ in reference)
        nums = dict(reference)
        assert all(normalised(listed.numerators(i)) == normalised(nums[zero]) for i, zero in enumerate(listed.zeros))
