"""Degenerate supports whose equilibria form a polytope: exact vertex enumeration with Fractions.

When at most two players mix on a support and a tie makes their indifference
equations singular, the solutions no longer form a single point: each mixing
player's strategy ranges over an affine set (the solutions of the other
player's equations), and the equilibria on the support are the points of
that set where every probability is non-negative and no strategy outside the
support pays more. As long as those conditions are linear (always, unless
both players' sets are positive-dimensional *and* a non-mixing player has an
alternative, which makes its condition bilinear), the set is a **polytope**,
and it is described exactly by its vertices, as in the vertex enumeration of
degenerate bimatrix games (von Stengel 2002, "Computing equilibria for
two-person games", *Handbook of Game Theory* 3, section 6).

The vertices are found by brute force, as the feasible solutions of every
choice of ``r`` tight constraints (``r`` = dimension of the affine set), which
is ample for the few constraints of one support profile.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from ._polyalg import Poly

#: Give up (and let the general solver decide) beyond this many constraint subsets.
MAX_SUBSETS = 20000


class NotLinear(Exception):
    """The feasible set is not a polytope in the chosen coordinates (bilinear constraint)."""


def affine_solutions(rows: list[list], n: int):
    """Solutions of ``rows . x = 0`` with ``sum(x) = 1`` as ``(x0, basis)``, or None when there are none."""
    A = [[Fraction(v) for v in r] + [Fraction(0)] for r in rows]
    A.append([Fraction(1)] * n + [Fraction(1)])
    pivots = []
    r = 0
    for c in range(n):
        p = next((i for i in range(r, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        pv = A[r][c]
        A[r] = [v / pv for v in A[r]]
        for i in range(len(A)):
            if i != r and A[i][c] != 0:
                f = A[i][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        pivots.append(c)
        r += 1
    for i in range(r, len(A)):
        if A[i][n] != 0:
            return None
    free = [c for c in range(n) if c not in pivots]
    x0 = [Fraction(0)] * n
    for i, c in enumerate(pivots):
        x0[c] = A[i][n]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for i, c in enumerate(pivots):
            v[c] = -A[i][f]
        basis.append(v)
    return x0, basis


def polytope_vertices(constraints: list[Poly], r: int) -> list[tuple[Fraction, ...]] | None:
    """Vertices of ``{z in R^r : g(z) >= 0 for every g}`` (each ``g`` affine), or None if too many subsets."""
    rows = []
    for g in constraints:
        if g.total_degree() > 1:
            raise NotLinear
        coef = [Fraction(0)] * r
        const = Fraction(0)
        for e, c in g.terms.items():
            if sum(e) == 0:
                const += c
            else:
                coef[e.index(1)] += c
        if all(c == 0 for c in coef):
            if const < 0:
                return []
            continue
        rows.append((coef, const))
    if r == 0:
        return [()]
    if math.comb(len(rows), r) > MAX_SUBSETS:
        return None
    found: list[tuple[Fraction, ...]] = []
    for pick in itertools.combinations(range(len(rows)), r):
        z = _solve([rows[k][0] for k in pick], [-rows[k][1] for k in pick])
        if z is None:
            continue
        if all(sum(c * x for c, x in zip(coef, z)) + const >= 0 for coef, const in rows) and z not in found:
            found.append(z)
    return found


def _solve(A: list[list[Fraction]], b: list[Fraction]) -> tuple[Fraction, ...] | None:
    n = len(A)
    M = [list(row) + [v] for row, v in zip(A, b)]
    for c in range(n):
        p = next((i for i in range(c, n) if M[i][c] != 0), None)
        if p is None:
            return None
        M[c], M[p] = M[p], M[c]
        pv = M[c][c]
        M[c] = [v / pv for v in M[c]]
        for i in range(n):
            if i != c and M[i][c] != 0:
                f = M[i][c]
                M[i] = [a - f * bb for a, bb in zip(M[i], M[c])]
    return tuple(M[i][n] for i in range(n))


def solve_linear_degenerate(blocks, S, mixed, alive, shape):
    """Equilibria on a support where at most two players mix and their equations are singular.

    Returns ``(points, positive_dimensional)`` where ``points`` are full
    profiles (Fractions): the vertices of the polytope of equilibria with
    support inside ``S`` when that polytope has a point with exactly support
    ``S`` and more than one vertex, the single equilibrium when it is a point,
    and nothing when no equilibrium has exactly this support. Returns None
    when the set is not a polytope or too large to enumerate this way.
    """
    n_players = len(shape)
    # Affine set of each mixing player's strategy: solutions of the other mixing player's equations.
    affine = {}
    for j in mixed:
        others = [i for i in mixed if i != j]
        rows = []
        for i in others:
            T = blocks[i][list(S[i])]  # (|S_i|, |S_j|) since j is i's only mixing opponent
            rows += [[T[s, c] - T[0, c] for c in range(T.shape[1])] for s in range(1, T.shape[0])]
        sol = affine_solutions(rows, len(S[j]))
        if sol is None:
            return [], False
        affine[j] = sol
    r = sum(len(affine[j][1]) for j in mixed)
    # sigma_j as affine polynomials in the free parameters z
    sigma = {}
    offset = 0
    for j in mixed:
        x0, basis = affine[j]
        entries = []
        for s in range(len(S[j])):
            p = Poly.const(x0[s], r)
            for q, v in enumerate(basis):
                if v[s] != 0:
                    p = p + Poly.var(offset + q, r) * v[s]
            entries.append(p)
        offset += len(basis)
        sigma[j] = entries
    constraints = [p for j in mixed for p in sigma[j]]  # probabilities >= 0
    # best responses: u_i(s0) - u_i(k) >= 0 for every surviving k outside S_i
    for i in range(n_players):
        vecs = [np.array(sigma[j] + [], dtype=object) for j in mixed if j != i]
        T = blocks[i]
        vals = []
        for k in range(shape[i]):
            v = T[k]
            for vec in reversed(vecs):
                v = v @ vec
            vals.append(v if isinstance(v, Poly) else Poly.const(v, r))
        base = vals[S[i][0]]
        for k in alive[i]:
            if k in S[i]:
                continue
            constraints.append(base - vals[k])
    try:
        verts = polytope_vertices(constraints, r)
    except NotLinear:
        return None
    if verts is None:
        return None
    if not verts:
        return [], False
    # the centroid of the vertices lies in the relative interior: it has full support S iff some point does
    centroid = tuple(sum(v[q] for v in verts) / len(verts) for q in range(r))
    if any(p.evaluate(centroid) <= 0 for j in mixed for p in sigma[j]):
        return [], False
    points = []
    for z in verts:
        prof = []
        for i in range(n_players):
            row = [Fraction(0)] * shape[i]
            if i in sigma:
                for s, p in zip(S[i], sigma[i]):
                    row[s] = Fraction(p.evaluate(z))
            else:
                row[S[i][0]] = Fraction(1)
            prof.append(tuple(row))
        points.append(tuple(prof))
    return points, len(verts) > 1
