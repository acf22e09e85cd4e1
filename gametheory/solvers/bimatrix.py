"""Every Nash equilibrium of a two-player game, in exact arithmetic, degenerate games included.

The method (von Stengel 2007; Avis, Rosenberg, Savani and von Stengel 2010)
--------------------------------------------------------------------------
Let ``A`` (m x n) be the row player's payoffs and ``B`` the column player's,
both shifted to be positive (adding a constant to a player's payoffs changes no
equilibrium). The *best-response polytopes* are::

    P = {x in R^m : x >= 0,  B^T x <= 1}        labels: i     if x_i = 0,
                                                        m + j if (B^T x)_j = 1
    Q = {y in R^n : y >= 0,  A y   <= 1}        labels: i     if (A y)_i = 1,
                                                        m + j if y_j = 0

A label of ``x`` says "row ``i`` is unused" or "column ``j`` is a best response
to x"; a label of ``y`` says "row ``i`` is a best response to y" or "column
``j`` is unused". A pair ``(x, y) != (0, 0)`` is *completely labelled* when every
one of the ``m + n`` labels appears at ``x`` or at ``y``: then every used
strategy is a best response, i.e. ``(x / sum(x), y / sum(y))`` is a Nash
equilibrium. The extreme equilibria (the extreme points of the components of
the equilibrium set) are exactly the completely labelled pairs of *vertices*
(von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form", Algorithmic Game Theory, 2007, ch. 3, Thm 3.4 and Sec. 3.5;
Avis, Rosenberg, Savani, von Stengel, "Enumeration of Nash equilibria for
two-player games", Economic Theory 42, 2010).

So :func:`enumerate_bimatrix`

1. enumerates every vertex of the polytope of lower dimension (say P) **exactly**
   (integer pivoting, below; from about 8x8 on, the same walk with float64 steps
   that are each proven by error bounds, exact integers where floats cannot
   decide: :mod:`gametheory.solvers._vertices`); of two of equal dimension, the
   one with more redundant constraints (:func:`_list_p_first`),
2. completes each vertex ``x`` by its partners: the vertices of Q carrying the
   labels ``x`` lacks. When ``x`` has exactly ``m`` labels (used strategies
   ``S``, best responses ``T``, ``|S| = |T|``) and ``A[S, T]`` is nonsingular,
   that is one square system ``A[S, T] y_T = 1`` with ``y = 0`` off ``T``, solved
   by fraction-free elimination and kept if ``y >= 0`` and no other row beats
   the used ones; otherwise (a degenerate vertex) the partners are the vertices
   of the face ``{y_T >= 0, A[:, T] y_T <= 1}`` with the rows ``S`` tight, found
   as ``lrsnash`` does, by the same pivoting with those rows fixed: one
   lexicographic simplex run decides (exactly) whether the face is empty, as
   it is for most degenerate vertices, and otherwise reaches a vertex of the
   face, from which the walk stays on it. As in lrslib's ``lrsnash``, the larger polytope is
   never enumerated; most systems are rejected first by a float screen that
   drops only well-conditioned systems missing feasibility by far more than
   rounding (:func:`_hopeless`; for faces that are segments,
   :func:`_empty_segments`), so exact arithmetic is spent on the few that
   may succeed,
3. groups the pairs into connected components and maximal Nash subsets.

:func:`enumerate_bimatrix_matching` instead enumerates both polytopes and pairs
vertices by their label sets: twice the pivoting, but faster than solving
partners on small games (below :data:`MATCH_BELOW` strategies) with many
degenerate vertices (small integer payoffs full of ties), so
:func:`enumerate_bimatrix` switches to it there above
:data:`DEGENERATE_SHARE` degenerate vertices; tests compare the two routes.

Vertex enumeration by exact integer pivoting
--------------------------------------------
Write P in equation form ``B^T x + s = 1`` with slacks ``s >= 0``. A *basis* is
a set of n basic variables; the others are zero, which determines a basic
solution. We keep the simplex tableau in integers: every entry is the true
entry times ``D = |det(basis matrix)|``, and a pivot on row ``r``, column ``c``
replaces each other row ``i`` by ``(T[r][c] * T[i] - T[i][c] * T[r]) / D``, an
exact integer division, after which ``D`` becomes ``T[r][c]``. This is the
integer pivoting of von Stengel's chapter (Sec. 3.5), the same as in lrs and
Gambit's ``enummixed``; entries stay the size of subdeterminants of the input,
no fractions are ever reduced.

Degenerate polytopes (a vertex on more than ``m`` facets: a mixed strategy with
more pure best responses than its support size) have several bases per vertex.
We use the *lexicographic* ratio test, which is the simplex method on the
perturbed polytope ``B^T x <= 1 + (eps, eps^2, ...)``: that polytope is simple,
its vertex graph is connected (Balinski), each of its vertices is a basis of P,
and every vertex of P arises from at least one of them (the lexicographic
simplex method optimising any objective uniquely maximised at that vertex ends
there). A graph search from the vertex ``x = 0`` over lexicographically
feasible bases therefore reaches every vertex of P, with no tolerance anywhere;
vertices are then identified by their exact set of zero variables.

Components and maximal Nash subsets
-----------------------------------
Take the bipartite graph whose nodes are the vertices of P and Q and whose
edges are the extreme equilibria. Its connected components are the connected
components of the equilibrium set (each of which is a finite union of
products ``conv(X') x conv(Y')`` of faces). A *maximal Nash subset* is a maximal
biclique ``X' x Y'`` of that graph: every mix of the x-vertices in ``X'`` with
every mix of the y-vertices in ``Y'`` is an equilibrium (Winkels 1979; Jansen
1981; the clique enumeration of Avis et al. 2010, Sec. 3, as in Gambit's
``enummixed``).

Also here
---------
* :func:`enumerate_bimatrix_supports`: a second, independent exact method
  (support enumeration of each player's best-response polyhedron with
  ``Fraction`` linear algebra), slow but simple; tests use it as a cross-check.
* :func:`lemke_howson_all`: nashpy's Lemke-Howson from every starting label,
  each run bounded, each result recovered exactly and deduplicated: fast on
  large games, but it may miss equilibria (``complete=False``).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import combinations

import numpy as np

from .._limits import human_bytes
from ..certify import certify
from ..errors import InputError
from ..game import MixedProfile, NormalFormGame
from ..solution import BimatrixStats, Enumeration, LemkeHowsonStats, NashSubset
from . import _vertices
from ._vertices import (
    VertexList,
    _lex_ratio_row,
    _OutOfMemory,
    _tableau_pivot,
    _Timeout,
    face_vertices,
    list_vertices,
    polytope_vertices,
)

__all__ = [
    "enumerate_bimatrix",
    "enumerate_bimatrix_supports",
    "lemke_howson_all",
    "polytope_vertices",
]

# ---------------------------------------------------------------------------- input


def _check_two_player(game: NormalFormGame) -> None:
    if game.num_players != 2:
        raise InputError(f"this method is for 2-player games; this game has {game.num_players} players")


def _rational(value: object) -> Fraction:
    """A payoff as a Fraction: exact ones as they are, floats by their shortest decimal form.

    ``0.1`` becomes ``1/10`` (not the binary ``3602879701896397/36028797018963968``),
    so payoffs that print equal are equal and ties in the user's numbers stay ties.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(repr(float(value)))


def _positive_integer_matrix(payoffs: np.ndarray) -> list[list[int]]:
    """One player's payoffs scaled and shifted to integers >= 1 (same best responses).

    Multiplying by the common denominator and adding a constant are positive
    affine maps of that player's utility, which leave every equilibrium unchanged.
    """
    fr = [[_rational(v) for v in row] for row in payoffs]
    den = 1
    for row in fr:
        for v in row:
            den = math.lcm(den, v.denominator)
    ints = [[v.numerator * (den // v.denominator) for v in row] for row in fr]
    low = min(min(row) for row in ints)
    return [[v - low + 1 for v in row] for row in ints]


# ---------------------------------------------------------------------- matching


def _popcount(v: int) -> int:
    return v.bit_count()


def _complete_pairs(x_labels: list[int], y_labels: list[int], m: int, n: int) -> list[tuple[int, int]]:
    """Index pairs (a, b) with ``x_labels[a] | y_labels[b]`` = all ``m + n`` labels.

    A vertex of P has at least ``m`` labels, one of Q at least ``n``: when both
    have exactly that many (nondegenerate), the partner's label set must be
    exactly the complement, a dictionary lookup. Only pairs with a degenerate
    side need the vectorised superset test (:func:`_covering_pairs`): on
    15x15 games with payoffs in [0, 4) about 3% of each polytope, so the test
    covers a few percent of the pairs (matching took 2 to 10 s per game when
    it tested them all).
    """
    full = (1 << (m + n)) - 1
    x_odd = [a for a, v in enumerate(x_labels) if _popcount(v) != m]
    y_odd = [b for b, v in enumerate(y_labels) if _popcount(v) != n]
    odd_y = set(y_odd)
    index: dict[int, list[int]] = {}
    for b, lab in enumerate(y_labels):
        if b not in odd_y:
            index.setdefault(lab, []).append(b)
    pairs = [(a, b) for a, lab in enumerate(x_labels) for b in index.get(full & ~lab, ())]
    if x_odd:  # degenerate x against every y
        pairs.extend((x_odd[a], b) for a, b in _covering_pairs([x_labels[a] for a in x_odd], y_labels, m, n))
    if y_odd:  # nondegenerate x against degenerate y
        odd_x = set(x_odd)
        x_even = [a for a in range(len(x_labels)) if a not in odd_x]
        found = _covering_pairs([x_labels[a] for a in x_even], [y_labels[b] for b in y_odd], m, n)
        pairs.extend((x_even[a], y_odd[b]) for a, b in found)
    return pairs


def _covering_pairs(x_labels: list[int], y_labels: list[int], m: int, n: int) -> list[tuple[int, int]]:
    """Index pairs (a, b) with ``x_labels[a] | y_labels[b]`` = all ``m + n`` labels, by a vectorised test:
    no label may be missing at both vertices."""
    full = (1 << (m + n)) - 1
    if not x_labels or not y_labels:
        return []
    if m + n <= 62:  # label sets as int64 bit masks: y must carry every label x lacks
        xs = np.asarray(x_labels, dtype=np.int64)
        ys = np.asarray(y_labels, dtype=np.int64)
        found: list[tuple[int, int]] = []
        for start in range(0, len(xs), 256):
            need = np.int64(full) & ~xs[start : start + 256, None]
            found.extend((start + a, b) for a, b in np.argwhere(ys[None, :] & need == need).tolist())
        return found

    def missing(labels: list[int]) -> np.ndarray:
        return np.asarray([[(v >> t & 1) == 0 for t in range(m + n)] for v in labels], dtype=np.float32)

    mx, my = missing(x_labels), missing(y_labels)
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(x_labels), 1024):
        both = mx[start : start + 1024] @ my.T  # number of labels missing at both
        for a, b in np.argwhere(both == 0):
            pairs.append((start + int(a), int(b)))
    return pairs


# ------------------------------------------------------------- components and cliques


def _components(pairs: list[tuple[int, int]]) -> list[int]:
    """Connected component of each edge of the bipartite x-vertex/y-vertex graph (union-find)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        ra, rb = find(("x", a)), find(("y", b))
        if ra != rb:
            parent[ra] = rb
    roots: dict[tuple[str, int], int] = {}
    return [roots.setdefault(find(("x", a)), len(roots)) for a, _ in pairs]


def _maximal_bicliques(pairs: list[tuple[int, int]]) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques ``(X', Y')`` (both non-empty) of the bipartite graph with edge list ``pairs``.

    Every maximal biclique is ``(X(Y'), Y')`` where ``Y'`` is an intersection of
    neighbourhoods ``N(x)`` and ``X(Y')`` is the set of all x adjacent to all of
    ``Y'`` (a formal concept). The family of such intersections is generated by
    intersecting with one neighbourhood at a time until nothing new appears.
    """
    nbr: dict[int, int] = {}
    for a, b in pairs:
        nbr[a] = nbr.get(a, 0) | (1 << b)
    gens = sorted(set(nbr.values()))
    intents = set(gens)
    todo = list(gens)
    while todo:
        cur = todo.pop()
        for g in gens:
            inter = cur & g
            if inter and inter not in intents:
                intents.add(inter)
                todo.append(inter)
    out = []
    for ys in intents:
        xs = frozenset(a for a, nb in nbr.items() if nb & ys == ys)
        out.append((xs, frozenset(b for b in range(ys.bit_length()) if ys >> b & 1)))
    return out


def _normalise(nums: Sequence[int] | Sequence[Fraction]) -> tuple[Fraction, ...]:
    total = sum(nums)
    return tuple(Fraction(v, total) for v in nums)  # one reduction each, not a conversion and a division


def _ranks(values: list[tuple[Fraction, ...]]) -> list[int]:
    """Each value's place among the distinct values in increasing order (equal values share it): integer
    sort keys that order like the values. The values are sorted once; the sorts of profiles and of each
    component's strategies then compare integers, not tuples of Fractions (Fraction comparisons were a
    quarter of :func:`_assemble`)."""
    rank = [0] * len(values)
    place, previous = -1, None
    for i in sorted(range(len(values)), key=values.__getitem__):
        if values[i] != previous:
            place, previous = place + 1, values[i]
        rank[i] = place
    return rank


def _assemble(
    game: NormalFormGame,
    xs: list[tuple[Fraction, ...]],
    ys: list[tuple[Fraction, ...]],
    pairs: list[tuple[int, int]],
    *,
    method: str,
    complete: bool,
    notes: Sequence[str] = (),
    vertices: tuple[int, int] | None = None,
) -> Enumeration:
    """Build the :class:`Enumeration`: sorted profiles, component ids and maximal Nash subsets.

    ``xs``/``ys`` are the exact mixed strategies of the (non-zero) vertices and
    ``pairs`` the completely labelled vertex pairs. Profiles are sorted in
    decreasing lexicographic order (so strategies listed first come first).
    ``vertices`` (the polytopes' vertex counts) goes into the statistics.
    """
    x_rank, y_rank = _ranks(xs), _ranks(ys)  # profiles compare as (x, y): by x's rank, then y's
    order = sorted(range(len(pairs)), key=lambda e: (x_rank[pairs[e][0]], y_rank[pairs[e][1]]), reverse=True)
    pairs = [pairs[e] for e in order]
    comp_raw = _components(pairs)
    renumber: dict[int, int] = {}
    components = tuple(renumber.setdefault(c, len(renumber)) for c in comp_raw)
    exact = game.exact

    def out(strategy: tuple[Fraction, ...]) -> tuple:
        return strategy if exact else tuple(float(v) for v in strategy)

    profiles: tuple[MixedProfile, ...] = tuple((out(xs[a]), out(ys[b])) for a, b in pairs)
    position = {pair: k for k, pair in enumerate(pairs)}
    cliques = []
    for X, Y in _maximal_bicliques(pairs):
        members = sorted(position[(a, b)] for a in X for b in Y)
        cliques.append(
            NashSubset(
                component=components[members[0]],
                profiles=tuple(members),
                strategies=(
                    tuple(out(xs[a]) for a in sorted(X, key=x_rank.__getitem__, reverse=True)),
                    tuple(out(ys[b]) for b in sorted(Y, key=y_rank.__getitem__, reverse=True)),
                ),
            )
        )
    cliques.sort(key=lambda c: (c.component, c.profiles))
    all_notes = list(notes)
    if not exact:
        all_notes.append(
            "float payoffs were read as their shortest decimal form and solved exactly; results are floats"
        )
    return Enumeration(
        profiles=profiles,
        components=components,
        complete=complete,
        method=method,
        exact=exact,
        notes=tuple(all_notes),
        stats=BimatrixStats(cliques=tuple(cliques), vertices=vertices),
    )


# ------------------------------------------------------------------- main method


def _integer_solve(rows: list[list[int]], rhs: list[int]) -> tuple[list[int], int] | None:
    """Solve the square integer system ``rows @ z = rhs`` exactly: ``(numerators, denominator > 0)``, or None if singular.

    Fraction-free Gaussian elimination (Bareiss): every division is exact and
    the entries stay the size of subdeterminants, so no Fraction is reduced
    along the way; the last pivot is the determinant and back substitution
    gives Cramer's numerators over it.
    """
    size = len(rows)
    a = [list(r) + [b] for r, b in zip(rows, rhs)]
    previous = 1
    for k in range(size):
        pivot = next((i for i in range(k, size) if a[i][k] != 0), None)
        if pivot is None:
            return None
        a[k], a[pivot] = a[pivot], a[k]
        ak = a[k]
        akk = ak[k]
        for i in range(k + 1, size):
            ai = a[i]
            aik = ai[k]
            ai[k:] = [(akk * v - aik * w) // previous for v, w in zip(ai[k:], ak[k:])]
        previous = akk
    det = a[size - 1][size - 1]
    z = [0] * size
    for k in range(size - 1, -1, -1):  # z_k = det * (true solution), an integer by Cramer's rule
        ak = a[k]
        total = ak[size] * det - sum(ak[j] * z[j] for j in range(k + 1, size))
        z[k] = total // ak[k]
    if det < 0:
        z, det = [-v for v in z], -det
    return z, det


def _partners(
    M: list[list[int]], own_zero: int, own: int, other: int, empty_if_singular: bool = False
) -> list[tuple[int, ...]]:
    """The vertices that complete the labels of one vertex: its partners in the other polytope.

    The vertex (of ``{z >= 0, M^T z <= 1}``, labelled as by
    :func:`polytope_vertices`: bit ``i < own`` when ``z_i = 0``, bit ``own + j``
    when constraint ``j`` is tight) has used strategies ``S`` and tight
    constraints ``T``. A partner ``w`` of ``{w >= 0, M w <= 1}`` carries every
    missing label: ``w_j = 0`` off ``T``, and row ``i`` of ``M w <= 1`` tight for
    each ``i`` in ``S``. Nondegenerate case (``|S| = |T|``, ``M[S, T]``
    nonsingular): the square system ``M[S, T] w_T = 1`` gives the only
    candidate, exactly. Otherwise the partners form a face: the vertices of
    ``{w_T >= 0, M[:, T] w_T <= 1}`` with the rows ``S`` tight, none when
    ``empty_if_singular`` (a screen found that face empty if ``M[S, T]`` is
    singular). Returns numerators over some positive denominator.
    """
    used = [i for i in range(own) if not own_zero >> i & 1]
    tight = [j for j in range(other) if own_zero >> (own + j) & 1]
    solved = None
    if len(used) == len(tight):
        solved = _integer_solve([[M[i][j] for j in tight] for i in used], [1] * len(used))
    if solved is None:
        return [] if empty_if_singular and len(used) == len(tight) else _face_partners(M, used, tight, other)
    nums, den = solved
    if any(v < 0 for v in nums):
        return []
    for i in range(own):  # the unused rows must not be better than the used ones
        if own_zero >> i & 1 and sum(M[i][j] * v for j, v in zip(tight, nums)) > den:
            return []
    out = [0] * other
    for j, v in zip(tight, nums):
        out[j] = v
    return [tuple(out)]


def _face_partners(M: list[list[int]], used: list[int], tight: list[int], other: int) -> list[tuple[int, ...]]:
    """Partners on a degenerate face: vertices of the polytope restricted to columns ``tight`` with rows ``used`` tight
    (:func:`~gametheory.solvers._vertices.face_vertices`, empty faces decided by one exact simplex run)."""
    if not tight:
        return []
    out = []
    for nums in face_vertices([[row[j] for j in tight] for row in M], used):
        full = [0] * other
        for j, v in zip(tight, nums):
            full[j] = v
        out.append(tuple(full))
    return out


#: Float screening of partner systems: a candidate is dropped without exact arithmetic only when the
#: system's condition number is below this and the float solution misses feasibility by far more than
#: its rounding error (about condition number times 2e-16).
_SCREEN_CONDITION = 1e6
_SCREEN_MARGIN = 1e-7


#: Vertices grouped by their number of used strategies: ``(size, label sets, used rows, tight columns)``.
_Systems = list[tuple[int, list[int], np.ndarray, np.ndarray]]


def _square_systems(verts: list[int], own: int, other: int, excess: int = 0) -> _Systems:
    """The vertices with ``excess`` more tight constraints than used strategies, by the number used:
    ``(size, label sets, used rows (b, size), tight columns (b, size + excess))``."""
    if not verts:
        return []
    if own + other <= 62:
        bits = (np.asarray(verts, dtype=np.int64)[:, None] >> np.arange(own + other)) & 1 == 1
    else:
        bits = np.array([[zero >> t & 1 == 1 for t in range(own + other)] for zero in verts])
    used, tight = ~bits[:, :own], bits[:, own:]
    sizes = used.sum(axis=1)
    square = sizes + excess == tight.sum(axis=1)
    out = []
    for size in np.unique(sizes[square & (sizes > 0)]).tolist():
        pick = np.nonzero(square & (sizes == size))[0]
        rows = np.nonzero(used[pick])[1].reshape(len(pick), size)
        cols = np.nonzero(tight[pick])[1].reshape(len(pick), size + excess)
        out.append((size, [verts[i] for i in pick.tolist()], rows, cols))
    return out


def _solve_with_condition(systems: np.ndarray, det: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float solutions of ``S y = 1`` for a batch of square systems and bounds on their 2-norm condition numbers.

    ``k * ||S||_inf * ||S^-1||_inf`` bounds the 2-norm condition number. The
    determinants ``det`` (one LU each) show the systems LAPACK cannot invert
    (an exact zero pivot: condition ``inf``); the others are inverted (with a
    batched SVD instead, the screen took twice as long on 15x15 games).
    """
    count, size, _ = systems.shape
    condition = np.full(count, np.inf)
    y = np.zeros((count, size))
    with np.errstate(all="ignore"):
        regular = det != 0
        try:
            X = np.linalg.inv(systems[regular])
        except np.linalg.LinAlgError:  # not seen: LAPACK's determinant and inverse share one LU
            return condition, y
        y[regular] = X.sum(axis=2)
        norms = np.abs(systems[regular]).sum(axis=2).max(axis=1) * np.abs(X).sum(axis=2).max(axis=1)
        condition[regular] = size * norms
    return condition, y


def _spread(
    parts: list[tuple[np.ndarray, ...]], own: int, other: int
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Vectors over the tight columns of systems of several sizes as arrays over all ``other`` columns.

    ``parts`` holds per group ``(used rows (b, s), tight columns (b, t), values (b, t), ...)``: one or
    more arrays of values. Returns ``(values (B, other) for each array of values, tight columns as 0/1
    (B, other), used rows (B, own))``, the groups one after the other, so that what follows runs once
    for every size (per size it was mostly numpy's call overhead).
    """
    total = sum(len(rows) for rows, *_ in parts)
    values = [np.zeros((total, other)) for _ in parts[0][2:]]
    tight, used = np.zeros((total, other)), np.zeros((total, own), dtype=bool)
    at = 0
    for rows, cols, *part in parts:
        batch = np.arange(at, at + len(rows))[:, None]
        tight[batch, cols], used[batch, rows] = 1.0, True
        for whole, piece in zip(values, part):
            whole[batch, cols] = piece
        at += len(rows)
    return values, tight, used


def _hopeless(
    M: np.ndarray, square: _Systems, systems: list[np.ndarray], dets: list[np.ndarray], own: int, other: int
) -> set[int]:
    """Label sets (from ``square``, :func:`_square_systems` with no excess) whose partner system is clearly
    infeasible, judged in floats.

    Nondegenerate vertices only (``|S| = |T|``), grouped by size so that one
    batched inverse per size gives every solution and a bound on its 2-norm
    condition number (:func:`_solve_with_condition`; ``systems`` and ``dets``
    are each group's matrices ``M[S, T]`` and determinants). A vertex is reported
    only when the system is well conditioned (below
    :data:`_SCREEN_CONDITION`) and its float solution has a negative entry or
    violates an unused row by more than :data:`_SCREEN_MARGIN` (relative):
    thousands of times the possible rounding error. Every other vertex is
    solved exactly.
    """
    if not square:
        return set()
    solved = [_solve_with_condition(group, det) for group, det in zip(systems, dets)]
    (y,), in_tight, used = _spread([(rows, cols, y) for (_, _, rows, cols), (_, y) in zip(square, solved)], own, other)
    condition = np.concatenate([condition for condition, _ in solved])
    scale = np.abs(y).max(axis=1)
    # every row's payoff against the float partner, minus the used rows' 1 (einsum: no threaded BLAS)
    excess = np.einsum("bj,ij->bi", y, M) - 1.0
    bound = _SCREEN_MARGIN * (1.0 + np.einsum("bj,ij->bi", in_tight, np.abs(M)) * scale[:, None])
    with np.errstate(invalid="ignore"):  # y is 0 off the tight columns: its minimum is a negative entry or >= 0
        bad = (y.min(axis=1) < -_SCREEN_MARGIN * scale) | (~used & (excess > bound)).any(axis=1)
        clear = (condition < _SCREEN_CONDITION) & bad
    members = [zero for _, group, _, _ in square for zero in group]
    return {zero for zero, drop in zip(members, clear.tolist()) if drop}


def _empty_segments(
    M: np.ndarray, segments: _Systems, square: _Systems, dets: list[np.ndarray], own: int, other: int
) -> tuple[set[int], set[int]]:
    """Degenerate vertices whose partner face is clearly empty, judged in floats: ``(empty, empty if singular)``.

    Two kinds of vertex have partners on a line ``{w : M[S, T] w = 1}``: those
    with ``|T| = |S| + 1`` (when ``M[S, T]`` has full rank), and those with
    ``|T| = |S|`` whose ``M[S, T]`` is singular of rank ``|S| - 1`` (when the
    system is consistent at all). :func:`_empty_lines` tests those lines.
    The second set is valid only for the vertices whose system is exactly
    singular, which :func:`_partners` finds out; the other vertices are
    solved as usual. ``segments`` and ``square`` are the vertices of either
    kind (:func:`_square_systems` with excess 1 and 0; ``dets``: the determinants
    of the square ones). Most degenerate vertices are of these kinds and have no
    partner (15x15 games with payoffs in [0, 4): 90% and 97%).
    """
    lines: list[tuple[int, list[int], np.ndarray, np.ndarray]] = []  # (kind, members, rows, cols)
    lines.extend((0, members, rows, cols) for _, members, rows, cols in segments)
    for (size, members, rows, cols), det in zip(square, dets):
        near = np.abs(det) < 0.5  # only the (nearly) singular ones: a nonsingular integer matrix has |det| >= 1
        if size > 1 and near.any():
            lines.append((1, [z for z, keep in zip(members, near.tolist()) if keep], rows[near], cols[near]))
    out: tuple[set[int], set[int]] = (set(), set())
    if lines:
        clear = _empty_lines(M, [(rows, cols) for _, _, rows, cols in lines], own, other).tolist()
        at = 0
        for kind, members, _, _ in lines:
            out[kind].update(zero for zero, drop in zip(members, clear[at : at + len(members)]) if drop)
            at += len(members)
    return out


def _empty_lines(M: np.ndarray, groups: list[tuple[np.ndarray, np.ndarray]], own: int, other: int) -> np.ndarray:
    """Which systems ``M[S, T] w = 1`` (``S`` = rows, ``T`` = columns, one ``(rows, cols)`` pair of arrays
    per shape in ``groups``; rank taken as ``|T| - 1``) clearly have no solution with ``w >= 0`` and the
    other rows ``M[i, T] w <= 1``, the groups' systems one after the other.

    One batched SVD per shape: ``w = w0 + t d`` with ``w0`` the least-norm
    solution on the ``r = |T| - 1`` largest singular values and ``d`` the
    last right singular vector. When ``|S| = |T|``, a component of ``1``
    along the last left singular vector means the (singular) system has no
    solution. Otherwise the constraints ``alpha + t beta <= 0`` leave no
    ``t`` when an upper bound (``beta_1 > 0``) lies below a lower bound
    (``beta_2 < 0``), i.e. ``|beta_2| alpha_1 + beta_1 alpha_2 > 0`` (the two
    constraints so weighted add up to a contradiction); that test runs once
    for all shapes. A system is
    reported only when its rank-``r`` part is well conditioned (below
    :data:`_SCREEN_CONDITION`) and the test holds with every quantity moved
    by :data:`_SCREEN_MARGIN` (relative): thousands of times the possible
    rounding error.
    """
    parts, conditions, inconsistent = [], [], []
    for rows, cols in groups:
        count, size = rows.shape
        rank = cols.shape[1] - 1
        U, sing, Vt = np.linalg.svd(M[rows[:, :, None], cols[:, None, :]])  # Vt: (b, width, width)
        with np.errstate(divide="ignore", invalid="ignore"):
            conditions.append(sing[:, 0] / sing[:, rank - 1])
            along = U.sum(axis=1)  # U^T 1
            coef = along[:, :rank] / sing[:, :rank]
        w0 = np.einsum("bi,bij->bj", coef, Vt[:, :rank, :])
        parts.append((rows, cols, w0, Vt[:, rank, :]))
        inconsistent.append(np.abs(along[:, rank]) > _SCREEN_MARGIN * size if size > rank else np.zeros(count, bool))
    (w, d), in_tight, used = _spread(parts, own, other)
    count = len(w)
    scale = np.abs(w).max(axis=1)
    weight = np.einsum("bj,ij->bi", in_tight, np.abs(M))  # each row's sum of |M| over T
    # constraints: -w_j <= 0 for j in T, then (M w)_i - 1 <= 0 for the unused rows i
    alpha = np.concatenate([-w, np.einsum("bj,ij->bi", w, M) - 1.0], axis=1)
    beta = np.concatenate([-d, np.einsum("bj,ij->bi", d, M)], axis=1)
    err_a = _SCREEN_MARGIN * np.concatenate(
        [np.repeat(scale[:, None], other, axis=1), 1.0 + weight * scale[:, None]], axis=1
    )
    err_b = _SCREEN_MARGIN * np.concatenate([np.ones((count, other)), weight], axis=1)
    candidate = np.concatenate([in_tight > 0, ~used], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = -alpha / beta
        upper = np.where(candidate & (beta > err_b), bound, np.inf).argmin(axis=1)
        lower = np.where(candidate & (beta < -err_b), bound, -np.inf).argmax(axis=1)
        a1, b1, e1, f1 = (np.take_along_axis(v, upper[:, None], axis=1)[:, 0] for v in (alpha, beta, err_a, err_b))
        a2, b2, e2, f2 = (np.take_along_axis(v, lower[:, None], axis=1)[:, 0] for v in (alpha, beta, err_a, err_b))
        total = -b2 * a1 + b1 * a2
        slack = -b2 * e1 + f2 * np.abs(a1) + f2 * e1 + b1 * e2 + f1 * np.abs(a2) + f1 * e2
        cut = (b1 > f1) & (b2 < -f2) & (total > 2 * slack)
        return (np.concatenate(conditions) < _SCREEN_CONDITION) & (np.concatenate(inconsistent) | cut)


def _one_sided_pairs(
    listed: VertexList, M: list[list[int]], own: int, other: int
) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]], list[tuple[int, int]]]:
    """Equilibria from the vertices of one polytope, each completed by its partners in the other.

    Returns ``(own vertices, partner vertices, pairs)`` (numerators, unnormalised).
    """
    origin = (1 << own) - 1  # every own variable zero: the vertex z = 0
    verts = [(zero, i) for i, zero in enumerate(listed.zeros) if zero & origin != origin]
    Mf, labels = np.array(M, dtype=float), [zero for zero, _ in verts]
    # |S| = |T|: grouped, and their determinants taken, once for both screens
    square = _square_systems(labels, own, other)
    systems = [Mf[rows[:, :, None], cols[:, None, :]] for _, _, rows, cols in square]
    dets = [np.linalg.det(group) for group in systems]
    empty, empty_if_singular = _empty_segments(Mf, _square_systems(labels, own, other, 1), square, dets, own, other)
    hopeless = _hopeless(Mf, square, systems, dets, own, other) | empty
    own_at: list[int] = []
    partners: dict[tuple[int, ...], int] = {}  # by primitive numerators (a gcd, not a Fraction per entry)
    partner_out: list[tuple[int, ...]] = []
    pairs = []
    for zero, index in verts:
        if zero in hopeless:
            continue
        found = _partners(M, zero, own, other, zero in empty_if_singular)
        if not found:
            continue
        for partner in found:
            g = math.gcd(*partner)
            key = tuple(v // g for v in partner)
            if key not in partners:
                partners[key] = len(partner_out)
                partner_out.append(partner)
            pairs.append((len(own_at), partners[key]))
        own_at.append(index)
    listed.prefetch(own_at)
    own_out = [listed.numerators(index) for index in own_at]
    return own_out, partner_out, pairs


def enumerate_bimatrix(game: NormalFormGame, *, timeout: float | None = None) -> Enumeration:
    """Every extreme Nash equilibrium of a 2-player game, exact, grouped into components.

    Enumerates the vertices of the best-response polytope of the player with
    fewer strategies by exact integer pivoting and completes each vertex by
    its partners in the other polytope: one square integer system at a
    nondegenerate vertex, the vertices of a face at a degenerate one. In a
    small game (below :data:`MATCH_BELOW` strategies in all) with more than
    :data:`DEGENERATE_SHARE` of the vertices degenerate, the
    other polytope is enumerated too and completely labelled pairs are matched
    instead (see the module docstring for the method and its references). The result is complete
    (``complete`` is True): every equilibrium of the game is a convex
    combination of the returned profiles within one maximal Nash subset.

    * ``profiles``: the extreme equilibria, Fractions when ``game.exact``
      (floats otherwise: float payoffs are read as their shortest decimal form,
      solved exactly, and the result converted back to floats), sorted in
      decreasing lexicographic order.
    * ``components[k]``: the connected component of the equilibrium set that
      holds profile ``k`` (numbered in order of first appearance).
    * ``stats.cliques``: the maximal Nash subsets, each a
      :class:`~gametheory.solution.NashSubset` with ``component``,
      ``profiles`` (indices into ``profiles``: every pair of its x- and
      y-vertices) and ``strategies`` (the tuple of the row player's vertex
      strategies and the tuple of the column player's). Every profile in
      ``conv(strategies[0]) x conv(strategies[1])`` is an equilibrium.
    * ``stats.vertices``: how many vertices each polytope has (with 0), when
      both were enumerated (small degenerate games); None when one sufficed.

    With ``timeout`` (seconds), stops early and returns no profile with
    ``complete=False``.

    >>> g = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> [tuple(map(str, x)) + tuple(map(str, y)) for x, y in enumerate_bimatrix(g).profiles]
    [('1', '0', '1', '0'), ('2/3', '1/3', '1/3', '2/3'), ('0', '1', '0', '1')]
    """
    _check_two_player(game)
    m, n = game.shape
    A = _positive_integer_matrix(game.payoffs[0])
    B = _positive_integer_matrix(game.payoffs[1])
    deadline = None if timeout is None else time.perf_counter() + timeout
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    try:
        if _list_p_first(Bt, A):
            p_verts = list_vertices(Bt, deadline)
            if _solve_partners(p_verts, m, m + n):
                xs_raw, ys_raw, pairs = _one_sided_pairs(p_verts, A, m, n)
                return _equilibria(game, xs_raw.__getitem__, ys_raw.__getitem__, pairs, None)
            return _matched(game, p_verts, list_vertices(A, deadline))
        q_verts = list_vertices(A, deadline)
        if _solve_partners(q_verts, n, m + n):
            ys_raw, xs_raw, swapped = _one_sided_pairs(q_verts, Bt, n, m)
            return _equilibria(game, xs_raw.__getitem__, ys_raw.__getitem__, [(a, b) for b, a in swapped], None)
        return _matched(game, list_vertices(Bt, deadline), q_verts)
    except (_Timeout, _OutOfMemory) as stop:
        why = (
            f"at the time limit of {timeout} s"
            if isinstance(stop, _Timeout)
            else f"before its search outgrew {human_bytes(_vertices.MAX_SEARCH_BYTES)} of memory ({stop}); "
            "use --method lh (Lemke-Howson) or --method logit for some equilibria"
        )
        return Enumeration(
            profiles=(),
            components=(),
            complete=False,
            method="enumerate",
            exact=game.exact,
            notes=(f"vertex enumeration stopped {why}; no equilibrium reported",),
            stats=BimatrixStats(),
        )


def enumerate_bimatrix_matching(game: NormalFormGame) -> Enumeration:
    """The same result as :func:`enumerate_bimatrix` by a second route: enumerate *both* polytopes, match labels.

    Every vertex of each best-response polytope is listed by the same integer
    pivoting, and the completely labelled pairs are matched by their label
    sets (any degeneracy). It does about twice the pivoting of solving each
    vertex's partner, and :func:`enumerate_bimatrix` takes this route only on
    small games (below :data:`MATCH_BELOW` strategies in all) when many
    vertices of the first polytope are degenerate (share above
    :data:`DEGENERATE_SHARE`), where solving partners costs more. Tests use it
    as a cross-check on games too large for :func:`enumerate_bimatrix_supports`.
    """
    _check_two_player(game)
    m, n = game.shape
    A = _positive_integer_matrix(game.payoffs[0])
    B = _positive_integer_matrix(game.payoffs[1])
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    return _matched(game, list_vertices(Bt), list_vertices(A))


#: Above this share of degenerate vertices (more labels than the dimension) in the first polytope of a
#: small game (fewer than :data:`MATCH_BELOW` strategies in all), listing the second polytope and
#: matching labels is faster than finding each degenerate vertex's partners on its face (8x8 games with
#: payoffs in [0, 2): 6.8 against 8.4 ms of CPU per game).
DEGENERATE_SHARE = 0.03

#: From this many strategies in all (``m + n``) on, partners are always solved: since faces are walked
#: with their tight rows fixed (:func:`~gametheory.solvers._vertices.face_vertices`), that beats listing
#: the second polytope however degenerate the game (10x10 in [0, 4): 38 against 56 ms; 15x15: 2.0-2.7 s
#: against 2.3-5.0 s of CPU per game).
MATCH_BELOW = 18


def _redundant_rows(M: list[list[int]]) -> int:
    """How many constraints of ``{z >= 0, M z <= 1}`` another one implies: rows ``<=`` another row
    entrywise (of equal rows, all but the first). Such a row is tight only where its dominating row is."""
    a = np.array(M)
    below = (a[:, None, :] <= a[None, :, :]).all(axis=2)  # below[i, j]: row i <= row j
    equal = below & below.T
    return int(((below & ~equal) | np.tril(equal, -1)).any(axis=1).sum())


def _list_p_first(Bt: list[list[int]], A: list[list[int]]) -> bool:
    """True to list the row player's polytope P (constraints ``Bt``) and solve partners in Q (``A``).

    The polytope of lower dimension (fewer strategies), which has fewer vertices. In a square game
    from :data:`MATCH_BELOW` strategies on (partners always solved, so which side is listed shows
    nowhere in the result), the one with more redundant constraints (:func:`_redundant_rows`):
    dominated best responses cut vertices and bases. On 15 seeded 10x10 games with payoffs in
    [0, 4) that took the vertex search from 367 to 326 ms of CPU (the cheaper side each time:
    299 ms), and the partners to solve drop with the vertices.
    """
    m, n = len(Bt[0]), len(A[0])
    if m != n or m + n < MATCH_BELOW:
        return m <= n
    return _redundant_rows(Bt) >= _redundant_rows(A)


def _solve_partners(verts: VertexList, dimension: int, size: int) -> bool:
    """True to complete each vertex by its partners, False to list the other polytope and match labels."""
    if size >= MATCH_BELOW:
        return True
    degenerate = sum(1 for zero in verts.zeros if _popcount(zero) > dimension)
    return degenerate <= DEGENERATE_SHARE * len(verts)


def _matched(game: NormalFormGame, p_verts: VertexList, q_verts: VertexList) -> Enumeration:
    """Completely labelled pairs of the vertices of P (x, game labels) and Q (y; own y_j -> m + j, slack r_i -> i)."""
    m, n = game.shape
    low_m, low_n = (1 << m) - 1, (1 << n) - 1
    x_at = [i for i, zero in enumerate(p_verts.zeros) if zero & low_m != low_m]  # z = 0 left out
    y_at = [i for i, zero in enumerate(q_verts.zeros) if zero & low_n != low_n]
    x_labels = [p_verts.zeros[i] for i in x_at]
    y_labels = [((q_verts.zeros[i] & low_n) << m) | (q_verts.zeros[i] >> n) for i in y_at]
    pairs = _complete_pairs(x_labels, y_labels, m, n)
    p_verts.prefetch(sorted({x_at[a] for a, _ in pairs}))
    q_verts.prefetch(sorted({y_at[b] for _, b in pairs}))
    return _equilibria(
        game,
        lambda a: p_verts.numerators(x_at[a]),
        lambda b: q_verts.numerators(y_at[b]),
        pairs,
        (len(p_verts), len(q_verts)),
    )


def _equilibria(
    game: NormalFormGame,
    x_nums: Callable[[int], tuple[int, ...]],
    y_nums: Callable[[int], tuple[int, ...]],
    pairs: list[tuple[int, int]],
    vertices: tuple[int, int] | None,
) -> Enumeration:
    """Normalise the paired vertices (only those: Fractions are costly) and assemble the result.

    ``x_nums(a)``/``y_nums(b)``: the numerators of the vertex numbered ``a``/``b`` in ``pairs``.
    """
    used_x = {a: k for k, a in enumerate(sorted({a for a, _ in pairs}))}
    used_y = {b: k for k, b in enumerate(sorted({b for _, b in pairs}))}
    xs = [_normalise(x_nums(a)) for a in used_x]
    ys = [_normalise(y_nums(b)) for b in used_y]
    pairs = [(used_x[a], used_y[b]) for a, b in pairs]
    return _assemble(game, xs, ys, pairs, method="enumerate", complete=True, vertices=vertices)


# ------------------------------------------------------ second algorithm: supports


def _solve_unique(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of ``rows @ z = rhs`` in exact arithmetic, or None.

    None when the system is inconsistent or its solution is not unique
    (Gauss-Jordan elimination with Fractions).
    """
    if not rows:
        return None
    nvar = len(rows[0])
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    pivot_row = 0
    pivot_cols = []
    for col in range(nvar):
        sel = next((r for r in range(pivot_row, len(aug)) if aug[r][col] != 0), None)
        if sel is None:
            return None  # a free variable: not unique
        aug[pivot_row], aug[sel] = aug[sel], aug[pivot_row]
        prow = aug[pivot_row]
        inv = 1 / prow[col]
        prow[:] = [v * inv for v in prow]
        for r in range(len(aug)):
            if r != pivot_row and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [v - f * w for v, w in zip(aug[r], prow)]
        pivot_cols.append(col)
        pivot_row += 1
    if any(aug[r][nvar] != 0 for r in range(pivot_row, len(aug))):
        return None  # inconsistent
    return [aug[r][nvar] for r in range(nvar)]


def _support_vertices(M: list[list[Fraction]]) -> dict[tuple[Fraction, ...], tuple[set[int], set[int]]]:
    """Vertices of the best-response polyhedron ``{(p, v) : p in simplex, p @ M <= v}``.

    ``M`` is (rows = own strategies) x (columns = opponent's strategies), the
    payoffs to the *opponent*, so the columns where ``p @ M = v`` are the
    opponent's best responses to ``p``. For each support ``S`` and each set ``K``
    of ``|S|`` columns, solve ``p_S @ M[S, K] = v``, ``sum(p_S) = 1``: a unique,
    feasible solution is a vertex (every vertex arises this way, from its own
    support). Returns ``{p: (zero strategies, best-response columns)}``.
    """
    rows = len(M)
    cols = len(M[0])
    found: dict[tuple[Fraction, ...], tuple[set[int], set[int]]] = {}
    for size in range(1, min(rows, cols) + 1):
        for S in combinations(range(rows), size):
            for K in combinations(range(cols), size):
                eqs = [[M[i][j] for i in S] + [Fraction(-1)] for j in K]
                eqs.append([Fraction(1)] * size + [Fraction(0)])
                sol = _solve_unique(eqs, [Fraction(0)] * size + [Fraction(1)])
                if sol is None or any(v < 0 for v in sol[:size]):
                    continue
                p = [Fraction(0)] * rows
                for i, v in zip(S, sol[:size]):
                    p[i] = v
                value = sol[size]
                payoff = [sum((p[i] * M[i][j] for i in S), Fraction(0)) for j in range(cols)]
                if max(payoff) > value:
                    continue
                key = tuple(p)
                if key not in found:
                    found[key] = (
                        {i for i in range(rows) if p[i] == 0},
                        {j for j in range(cols) if payoff[j] == value},
                    )
    return found


def enumerate_bimatrix_supports(game: NormalFormGame) -> Enumeration:
    """Every extreme equilibrium by exact support enumeration (a slow, independent second method).

    For each player separately, enumerate the vertices of the normalised
    best-response polyhedron ``{(x, v) : x mixed strategy, B^T x <= v}`` by
    brute force over (support, indifference set) pairs with ``Fraction``
    Gauss-Jordan elimination (:func:`_support_vertices`): degenerate faces are
    handled because a vertex is found from any square, nonsingular choice of
    its tight constraints. Then pair ``x`` with ``y`` when each one's support
    lies in the other's best responses — the Nash condition itself. Cost grows
    like ``C(m + n, m)`` linear solves per player: fine up to about 6x6.
    """
    _check_two_player(game)
    m, n = game.shape
    A = [[_rational(v) for v in row] for row in game.payoffs[0]]
    B = [[_rational(v) for v in row] for row in game.payoffs[1]]
    At = [[A[i][j] for i in range(m)] for j in range(n)]  # y's rows, payoffs to player 1
    x_found = _support_vertices(B)
    y_found = _support_vertices(At)
    xs = sorted(x_found)
    ys = sorted(y_found)
    pairs = []
    for a, x in enumerate(xs):
        x_zero, x_br = x_found[x]
        for b, y in enumerate(ys):
            y_zero, y_br = y_found[y]
            # supp(x) within BR(y) and supp(y) within BR(x)
            if set(range(m)) - x_zero <= y_br and set(range(n)) - y_zero <= x_br:
                pairs.append((a, b))
    return _assemble(game, xs, ys, pairs, method="support-enumeration", complete=True)


# ------------------------------------------------------------------ Lemke-Howson


def _nashpy_lemke_howson(A: np.ndarray, B: np.ndarray, label: int, max_steps: int, deadline: float | None):
    """nashpy's Lemke-Howson (lexicographic tableaux) from one dropped label, with a step bound.

    The loop of ``nashpy.algorithms.lemke_howson.lemke_howson``, rewritten only
    to stop after ``max_steps`` pivots or past ``deadline``: nashpy's float
    tableaux can cycle for ever on some games. Returns ``(x, y)`` floats or None.
    """
    from nashpy.linalg import create_col_tableau, create_row_tableau

    col_tableau = create_col_tableau(A, True)
    row_tableau = create_row_tableau(B, True)
    order = (row_tableau, col_tableau) if label in row_tableau.non_basic_variables else (col_tableau, row_tableau)
    full = col_tableau.labels
    entering = label
    for step in range(max_steps):
        if deadline is not None and time.perf_counter() > deadline:
            return None
        entering = order[step % 2].pivot_and_drop_label(entering)
        if col_tableau.non_basic_variables | row_tableau.non_basic_variables == full:
            x = row_tableau.to_strategy(col_tableau.non_basic_variables)
            y = col_tableau.to_strategy(row_tableau.non_basic_variables)
            return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return None


def _exact_lemke_howson(
    A: list[list[int]], B: list[list[int]], label: int, max_steps: int, deadline: float | None
) -> MixedProfile | None:
    """Lemke-Howson from ``label`` with exact integer pivoting and the lexicographic rule.

    ``A``, ``B`` are the positive integer payoff matrices. Two tableaux whose
    columns are indexed by labels: for P, ``B^T x + s = 1`` (label ``i`` is
    ``x_i``, label ``m + j`` is ``s_j``); for Q, ``r + A y = 1`` (label ``i`` is
    ``r_i``, label ``m + j`` is ``y_j``). Starting from the artificial
    equilibrium ``(0, 0)``, the variable of the dropped label enters; the label
    that leaves is then missing on neither side, so it enters on the other side;
    and so on until the dropped label itself leaves (von Stengel 2007,
    Algorithm 3.6; the lexicographic rule makes it terminate in degenerate
    games too, Sec. 3.7). Returns the exact profile, or None after
    ``max_steps`` pivots or past ``deadline``.
    """
    m, n = len(A), len(A[0])
    size = m + n
    tab_p = [[B[i][j] for i in range(m)] + [int(t == j) for t in range(n)] + [1] for j in range(n)]
    tab_q = [[int(t == i) for t in range(m)] + list(A[i]) + [1] for i in range(m)]
    state = {
        "P": [tab_p, list(range(m, size)), 1, list(range(m, size))],
        "Q": [tab_q, list(range(m)), 1, list(range(m))],
    }
    side = "P" if label < m else "Q"
    entering = label
    for _ in range(max_steps):
        if deadline is not None and time.perf_counter() > deadline:
            return None
        T, basis, D, lex_cols = state[side]
        r = _lex_ratio_row(T, entering, D, lex_cols)
        leaving = basis[r]
        state[side][0] = _tableau_pivot(T, r, entering, D)
        state[side][2] = T[r][entering]
        basis[r] = entering
        if leaving == label:
            x_nums = [0] * m
            for row, lab in zip(state["P"][0], state["P"][1]):
                if lab < m:
                    x_nums[lab] = row[size]
            y_nums = [0] * n
            for row, lab in zip(state["Q"][0], state["Q"][1]):
                if lab >= m:
                    y_nums[lab - m] = row[size]
            return _normalise(x_nums), _normalise(y_nums)
        entering = leaving
        side = "Q" if side == "P" else "P"
    return None


def _exact_vertex(M: list[list[Fraction]], p: np.ndarray, Mf: np.ndarray, tol: float) -> tuple[Fraction, ...] | None:
    """Recover the exact vertex near the float mixed strategy ``p``.

    ``M`` holds the opponent's payoffs (own strategies x opponent strategies).
    Takes the constraints tight at ``p`` (zero probabilities, opponent best
    responses within ``tol``) and solves them exactly; None if they do not
    determine a unique non-negative point.
    """
    rows = len(M)
    cols = len(M[0])
    pay = p @ Mf
    best = pay.max()
    eqs: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for i in range(rows):
        if p[i] <= tol:
            eqs.append([Fraction(int(r == i)) for r in range(rows)] + [Fraction(0)])
            rhs.append(Fraction(0))
    for j in range(cols):
        if pay[j] >= best - tol * max(1.0, abs(best)):
            eqs.append([M[i][j] for i in range(rows)] + [Fraction(-1)])
            rhs.append(Fraction(0))
    eqs.append([Fraction(1)] * rows + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = _solve_unique(eqs, rhs)
    if sol is None or any(v < 0 for v in sol[:rows]):
        return None
    return tuple(sol[:rows])


def lemke_howson_all(
    game: NormalFormGame,
    max_steps: int = 10_000,
    *,
    engine: str = "exact",
    labels: Sequence[int] | None = None,
    timeout: float | None = None,
) -> Enumeration:
    """Equilibria found by Lemke-Howson from each initial dropped label (fast, not complete).

    Lemke-Howson (1964; von Stengel 2007, Algorithm 3.6) follows a path of
    almost completely labelled vertex pairs from the artificial equilibrium
    ``(0, 0)`` to an equilibrium; different dropped labels (``0..m+n-1``, or
    the given ``labels``) may end at different equilibria. Each run is bounded
    by ``max_steps`` pivots and the whole call by ``timeout`` seconds; results
    are certified and deduplicated, sorted like :func:`enumerate_bimatrix`.

    ``engine``:

    * ``"exact"`` (default): integer pivoting with the lexicographic rule
      (:func:`_exact_lemke_howson`): every run terminates at an exact
      equilibrium, degenerate games included.
    * ``"nashpy"``: nashpy's float tableaux (``nashpy.linalg``), each result
      recovered exactly from its tight constraints (exact games) and
      certified. nashpy's pivots never divide, so entries overflow on long
      paths and some runs cycle; a label whose nashpy run fails is rerun with
      the exact engine (listed in ``stats.nashpy_failures``).

    ``complete`` is always False: Lemke-Howson finds at least one equilibrium,
    never provably all. ``components`` just number the profiles.
    """
    _check_two_player(game)
    if engine not in ("exact", "nashpy"):
        raise InputError(f"unknown Lemke-Howson engine {engine!r}; choose 'exact' or 'nashpy'")
    todo = _starting_labels(game, labels)
    deadline = None if timeout is None else time.perf_counter() + timeout
    found, failed, nashpy_failures = _runs_from_labels(game, todo, engine, max_steps, deadline)
    exact = game.exact
    profiles = []
    for x, y in sorted(found, key=lambda pr: pr[0] + pr[1], reverse=True):
        profiles.append((x, y) if exact else (tuple(float(v) for v in x), tuple(float(v) for v in y)))
    notes = ["Lemke-Howson from each initial label: finds some equilibria, not necessarily all"]
    if failed:
        notes.append(
            f"no equilibrium from initial label(s) {', '.join(map(str, failed))} (step bound {max_steps} or time limit)"
        )
    if nashpy_failures:
        notes.append(f"nashpy failed from label(s) {', '.join(map(str, nashpy_failures))}; reran them exactly")
    return Enumeration(
        profiles=tuple(profiles),
        components=tuple(range(len(profiles))),
        complete=False,
        method="lh",
        exact=exact,
        notes=tuple(notes),
        stats=LemkeHowsonStats(failed_labels=tuple(failed), nashpy_failures=tuple(nashpy_failures), engine=engine),
    )


def _starting_labels(game: NormalFormGame, labels: Sequence[int] | None) -> list[int]:
    """The labels to drop first: every one of ``0..m+n-1`` unless given, each checked."""
    m, n = game.shape
    todo = list(range(m + n)) if labels is None else list(labels)
    for label in todo:
        if not (isinstance(label, (int, np.integer)) and 0 <= label < m + n):
            raise InputError(f"Lemke-Howson label must be an integer in 0..{m + n - 1}, got {label!r}")
    return todo


def _runs_from_labels(
    game: NormalFormGame, labels: list[int], engine: str, max_steps: int, deadline: float | None
) -> tuple[list[MixedProfile], list[int], list[int]]:
    """One Lemke-Howson run per starting label.

    Returns the distinct equilibria reached (in order of discovery), the
    labels from which no run succeeded, and the labels whose nashpy run
    failed (then rerun with the exact engine).
    """
    A_int = _positive_integer_matrix(game.payoffs[0])
    B_int = _positive_integer_matrix(game.payoffs[1])
    if engine == "nashpy":
        exact_A = [[_rational(v) for v in row] for row in game.payoffs[0]]
        exact_B = [[_rational(v) for v in row] for row in game.payoffs[1]]
    found: dict[MixedProfile, None] = {}
    nashpy_failures: list[int] = []
    failed: list[int] = []
    for label in labels:
        profile = None
        if engine == "nashpy":
            profile = _nashpy_run(game, exact_A, exact_B, int(label), max_steps, deadline)
            if profile is None:
                nashpy_failures.append(int(label))
        if profile is None:
            profile = _exact_lemke_howson(A_int, B_int, int(label), max_steps, deadline)
        if profile is None:
            failed.append(int(label))
            continue
        found.setdefault(profile, None)
    return list(found), failed, nashpy_failures


def _nashpy_run(game, A, B, label, max_steps, deadline) -> MixedProfile | None:
    """One nashpy Lemke-Howson run, recovered exactly and certified; None when it fails.

    For float games the result is still recovered as an exact equilibrium of
    the game read in decimals (like every result of this module), then checked.
    """
    m, n = game.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = _nashpy_lemke_howson(game.float_payoffs[0], game.float_payoffs[1], label, max_steps, deadline)
        except (ValueError, IndexError, FloatingPointError, ZeroDivisionError):
            return None
    if result is None:
        return None
    x, y = result
    if x.shape != (m,) or y.shape != (n,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return None
    x = np.clip(x, 0.0, None)
    y = np.clip(y, 0.0, None)
    if x.sum() <= 0 or y.sum() <= 0:
        return None
    return _recover_exact(game, A, B, x / x.sum(), y / y.sum())


def _recover_exact(game: NormalFormGame, A, B, x: np.ndarray, y: np.ndarray, tol: float = 1e-9) -> MixedProfile | None:
    """The exact equilibrium behind a float one, certified, or None.

    First from the constraints tight at ``(x, y)`` (:func:`_exact_vertex`);
    failing that, by exact enumeration of the game restricted to the float
    supports, keeping the certified equilibrium nearest ``(x, y)``.
    """
    m, n = game.shape
    At = [[A[i][j] for i in range(m)] for j in range(n)]
    exact_game = game if game.exact else NormalFormGame.from_arrays(A, B)
    Bf = np.asarray(B, dtype=float)
    Af = np.asarray(A, dtype=float)
    xe = _exact_vertex(B, x, Bf, tol)
    ye = _exact_vertex(At, y, Af.T, tol)
    if xe is not None and ye is not None and certify(exact_game, (xe, ye)).ok:
        return xe, ye
    support = (
        [i for i in range(m) if x[i] > tol] or [int(np.argmax(x))],
        [j for j in range(n) if y[j] > tol] or [int(np.argmax(y))],
    )
    sub = enumerate_bimatrix(exact_game.restrict(support))
    best, best_dist = None, math.inf
    for sx, sy in sub.profiles:
        fx = [Fraction(0)] * m
        fy = [Fraction(0)] * n
        for i, v in zip(support[0], sx):
            fx[i] = v
        for j, v in zip(support[1], sy):
            fy[j] = v
        profile = (tuple(fx), tuple(fy))
        if not certify(exact_game, profile).ok:
            continue
        dist = float(np.abs(np.asarray(fx, float) - x).sum() + np.abs(np.asarray(fy, float) - y).sum())
        if dist < best_dist:
            best, best_dist = profile, dist
    return best
