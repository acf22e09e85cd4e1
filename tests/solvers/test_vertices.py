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

RANDOM = [(6, 6, 100), (9, 9, 100), (6, 9, 1000), (10, 7, 30)]  # floats decide nearly every step
TIES = [(8, 8, 3), (9, 6, 2), (9, 9, 5)]  # degenerate: integer batches, or Python integers
CASES = [(*case, True) for case in RANDOM + TIES] + [(*case, False) for case in TIES]


def normalised(nums) -> tuple[Fraction, ...]:
    total = sum(nums)
    return tuple(Fraction(v, total) for v in nums) if total else tuple(nums)


@pytest.mark.parametrize(("k", "d", "high", "integer_batches"), CASES)
def test_certified_search_finds_the_vertices_of_integer_pivoting(k, d, high, integer_batches, monkeypatch):
    """Same vertices and coordinates; with ``integer_batches`` False every basis floats leave
    undecided goes to Python integers (one pivot from an exact parent, or from scratch)."""
    exact_calls: list[bool] = []
    exact = _vertices._exact_basis
    monkeypatch.setattr(_vertices, "_exact_basis", lambda *a: exact_calls.append(a[3] is None) or exact(*a))
    pivoted: list[int] = []
    pivot = _vertices._pivoted_tableaux
    monkeypatch.setattr(_vertices, "_pivoted_tableaux", lambda *a: pivoted.append(len(a[0])) or pivot(*a))
    if not integer_batches:
        adjugates = _vertices._small_adjugates
        monkeypatch.setattr(_vertices, "_small_adjugates", lambda *a: (adjugates(*a)[0], np.ones(len(a[1]), bool)))
    M = (np.random.default_rng(k * 100 + d + high).integers(0, high, (k, d)) + 1).tolist()
    reference = dict(polytope_vertices(M))
    found = certified_vertices(M)
    assert found[0][0] == next(iter(reference))  # z = 0 first
    assert {zero for zero, _ in found} == set(reference)
    for zero, basis in found:
        assert normalised(basis_numerators(M, basis)) == normalised(reference[zero])
    if high <= 5 and not integer_batches:  # ties: most bases decided exactly by one pivot from an exact parent
        assert exact_calls and not all(exact_calls)
    if integer_batches and high <= 5:
        assert not exact_calls  # small dictionaries: all decided in float64 integer batches
        assert pivoted  # bases one pivot from a parent decided in such a batch take its tableau


def test_list_vertices_picks_a_search_and_both_give_numerators():
    for high, floats, size in [(100, True, 9), (3, True, 9), (100, False, 4)]:
        M = (np.random.default_rng(high).integers(0, high, (size, size)) + 1).tolist()
        listed = list_vertices(M)
        assert listed._bases is floats
        listed.prefetch(range(0, len(listed), 2))  # half in a batch, half one by one
        reference = polytope_vertices(M)
        assert sorted(listed.zeros) == sorted(zero for zero, _ in reference)
        nums = dict(reference)
        assert all(normalised(listed.numerators(i)) == normalised(nums[zero]) for i, zero in enumerate(listed.zeros))


def test_face_vertices_are_the_polytope_vertices_with_those_rows_tight():
    """The face walk (rows fixed by a simplex run, then a walk on the face) against listing the whole
    polytope and keeping the vertices with the rows tight; ties make many faces degenerate or empty."""
    rng = np.random.default_rng(3)
    empty = nonempty = 0
    for _ in range(40):
        k, d, high = int(rng.integers(2, 7)), int(rng.integers(2, 6)), int(rng.integers(2, 5))
        M = (rng.integers(0, high, (k, d)) + 1).tolist()
        tight = sorted(rng.choice(k, int(rng.integers(1, min(k, d) + 1)), replace=False).tolist())
        need = sum(1 << (d + i) for i in tight)
        expected = {normalised(nums[:d]) for zero, nums in polytope_vertices(M) if zero & need == need}
        found = [normalised(nums) for nums in _vertices.face_vertices(M, tight)]
        assert len(found) == len(set(found))
        assert set(found) == expected
        empty += not expected
        nonempty += len(expected) > 1
    assert empty and nonempty  # both outcomes exercised


def test_pivoted_tableaux_are_the_integer_pivots():
    """Batched float64 pivots of integer tableaux against integer pivoting in Python ints (a chain of
    pivots from the all-slack tableau of a tie-heavy matrix), and too-large tableaux refused."""
    rng = np.random.default_rng(8)
    k, d = 5, 4
    M = (rng.integers(0, 3, (k, d)) + 1).tolist()
    T = [M[i] + [int(i == j) for j in range(k)] + [1] for i in range(k)]  # [F | 1], all slacks basic
    D = 1
    pivot = _vertices._pivoted_tableaux
    for _ in range(4):
        r, c = next((r, c) for c in rng.permutation(d + k).tolist() for r in range(k) if T[r][c] > 0 and T[r][c] != D)
        pivoted, denominators, failed = pivot(np.array([T], float), np.array([D], float), np.array([r]), np.array([c]))
        T, D = _vertices._tableau_pivot(T, r, c, D), T[r][c]
        assert pivoted[0].tolist() == T and denominators.tolist() == [D] and not failed[0]
    c = next(c for c in range(d + k) if T[0][c] > 0)
    huge = pivot(np.array([T], float) * 2.0**26, np.array([D], float), np.array([0]), np.array([c]))
    assert huge[2].tolist() == [True]


def test_ratio_ties_confirmed_exactly_or_by_the_size_bound_give_the_same_search(monkeypatch):
    """Small tableaux skip the exact cross-multiplication of tied ratios (rounded ratios that agree are
    equal there); forcing the check on every basis must give the same vertices and bases."""
    M = (np.random.default_rng(5).integers(0, 3, (8, 8)) + 1).tolist()
    expected = certified_vertices(M)
    lex = _vertices._lex_minimum
    checked: list[int] = []

    def always_checked(T, keys, basis, small):
        checked.append(int(small.sum()))
        return lex(T, keys, basis, np.zeros_like(small))

    monkeypatch.setattr(_vertices, "_lex_minimum", always_checked)
    assert certified_vertices(M) == expected
    assert sum(checked) > 0  # bases that would have skipped the check did not


@pytest.mark.parametrize("high", [3, 100])
def test_small_batches_split_the_waiting_blocks_and_find_the_same_vertices(high, monkeypatch):
    """With batches of 7 bases, blocks of waiting children (with their tableaux, or from floats) are split
    between batches; the vertices are still those of integer pivoting."""
    monkeypatch.setattr(_vertices, "_BATCH", 7)
    M = (np.random.default_rng(high).integers(0, high, (7, 7)) + 1).tolist()
    found = certified_vertices(M)
    reference = dict(polytope_vertices(M))
    assert len(found) == len(reference) and {zero for zero, _ in found} == set(reference)
    for zero, basis in found:
        assert normalised(basis_numerators(M, basis)) == normalised(reference[zero])
