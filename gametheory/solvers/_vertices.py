"""The vertices of ``{z >= 0, M z <= 1}`` for a positive integer matrix ``M``, exactly.

Two searches over the same graph, the lexicographically feasible bases of the
polytope (see :mod:`gametheory.solvers.bimatrix` for why a graph search over
them from ``z = 0`` reaches every vertex):

* :func:`polytope_vertices` pivots an integer dictionary, lrs style: exact at
  every step, and fastest on small or degenerate polytopes;
* :func:`certified_vertices` finds the same bases in batches with float64
  linear algebra and proves every step it takes, falling back to exact
  integers for the bases where floats cannot decide.

:func:`face_vertices` lists only the face where given rows are tight, as
``lrsnash`` does for the labels a vertex of the other polytope fixes
(lrslib's ``nash2_main`` passes them as linearities): a lexicographic simplex
run reaches the face or proves it empty, and the integer search walks it from
there (any feasible starting basis will do: the perturbation is taken
relative to it).

Why the float search is exact
-----------------------------
A step of the search is a function of the basis alone: for each nonbasic
variable ``q``, the leaving row is the lexicographic minimum of
``(beta_i, (B^-1)_i) / t_iq`` over the rows with ``t_iq > 0``, where ``B`` is
the basis matrix (columns of ``[M | I]``), ``beta = B^-1 1`` and
``t_q = B^-1 F_q``. The search needs from each basis only these leaving rows and
which basic variables are zero (the vertex's zero set). Both are read off
float approximations *with proven error bounds*:

1. ``X`` = a float inverse of ``B``; ``s_i`` = the sum of ``|X_ij|`` over row
   ``i``, ``f`` = the largest ``|entry|`` of ``[M | I]``, so
   ``(|X| |F|)_iq <= s_i f``. A float matrix product (any summation order)
   is off by at most ``gamma (|X| |F|)`` entrywise, ``gamma = (k+2) u`` with
   ``u`` the unit roundoff; hence ``R = I - X B`` has
   ``||R||_inf <= rho = max_i (sum_j |fl(X B) - I|_ij + k gamma s_i f)``.
   When ``rho < 1/2``, ``B^-1 - X = (I - R)^-1 R X`` has every row sum of
   absolute values at most ``delta = rho / (1 - rho) * max_i s_i``.
2. Then ``|t_iq - fl(X F_q)_i| <= (delta + gamma s_i) f`` and
   ``|beta_i - fl(X 1)_i| <= delta + gamma s_i``. Every bound is doubled,
   which covers the rounding in evaluating the bounds themselves (sums of
   at most ``2k + 2`` non-negative terms, relative error below ``2 k u``).
3. A sign is taken from floats only when the interval excludes zero; a
   leaving row only when its ratio interval lies strictly below every other
   candidate's (the first lexicographic component then decides alone);
   a basic variable is non-zero only when its interval excludes zero.
   Anything else (an ``inf``/``nan`` anywhere, ``rho >= 1/2``, a near tie,
   a degenerate vertex) sends the whole basis to exact arithmetic: a batch
   of small integer dictionaries held exactly in float64
   (:func:`_integer_steps`: one integer pivot from the parent's tableau when
   the parent was decided in such a batch, :func:`_pivoted_tableaux`, which
   saves a fresh inverse, determinant and check per basis, 4.4 of 28 ms of
   CPU per 10x10 game with payoffs in [0, 4); else a rounded scaled inverse,
   accepted only when multiplying it back gives an exact multiple of the
   identity), or, when
   the integers are too large for that, Python integers
   (:func:`_exact_dictionary`, fraction-free Gauss-Jordan, or one integer
   pivot from the parent's dictionary), which decide exactly as
   :func:`polytope_vertices` does.

So every step taken is the step the exact search takes, the set of bases
visited is the same (order aside), and so is the set of vertices. The
numerators of a vertex are computed exactly, from its basis, only when a
caller asks (most vertices are never part of an equilibrium).

On degenerate polytopes (small integer payoffs, full of ties) most bases hit
zeros and ties: when floats leave most of a batch undecided (or most bases of a
batch of integer steps are degenerate or tied in a ratio test), the next batches
go straight to the integer batches, whose children wait in the frontier as
arrays with their tableaux already pivoted (:class:`_Waiting`).
:func:`list_vertices` uses integer pivoting on small polytopes, where it is faster.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from ..errors import SolverError

__all__ = ["VertexList", "certified_vertices", "face_vertices", "list_vertices", "polytope_vertices"]


class _Timeout(Exception):
    pass


class _OutOfMemory(Exception):
    """The search's estimated memory passed :data:`MAX_SEARCH_BYTES` (its message says how far it got)."""


#: Most memory a vertex search may hold (its bases waiting, the bases seen and the vertices found):
#: a 200x200 game's search once held 2 GB within 30 s. Checked before every dictionary is stacked
#: (exact search) and before every batch (float search).
MAX_SEARCH_BYTES = 1_000_000_000


def _table_bytes(T: list[list[int]], D: int) -> int:
    """An estimate of the memory of one dictionary like ``T`` with denominator ``D`` (a pivot's result is
    of its size; its entries are subdeterminants of the size of ``D``, read without scanning them)."""
    per_int = 40 + D.bit_length() // 8  # a Python int object and its digits, the list's pointer, the allocator's slack
    return len(T) * (len(T[0]) if T else 0) * per_int


def _check_memory(held: int, found: int, waiting: int) -> None:
    if held > MAX_SEARCH_BYTES:
        raise _OutOfMemory(f"{found:,} vertices found, {waiting:,} bases waiting")


def _lex_ratio_row(T: list[list[int]], q: int, D: int, slack_at: Sequence[int]) -> int:
    """The leaving row when nonbasic column ``q`` enters: the lexicographic minimum ratio test.

    Among rows with ``T[i][q] > 0``, minimise ``(T[i][-1], S[i][l] for each
    slack l) / T[i][q]`` lexicographically, where ``S`` holds the columns of the
    starting (all-slack) basis in the full tableau, ``S = D * B^-1``: for a
    nonbasic slack its dictionary column (``slack_at[l] >= 0``), for a slack
    basic in row ``p`` (``slack_at[l] = -1 - p``) the unit column ``D * e_p``.
    This is the ratio test of the perturbed system ``rhs + (eps, eps^2, ...)``;
    the minimiser is unique because the rows of ``B^-1`` are independent.
    Exact integer cross-multiplication, no division.
    """
    best = -1
    for i, Ti in enumerate(T):
        tic = Ti[q]
        if tic <= 0:
            continue
        if best < 0:
            best = i
            continue
        Tb = T[best]
        tbc = Tb[q]
        left = Ti[-1] * tbc
        right = Tb[-1] * tic
        if left < right:
            best = i
        elif left == right:
            for at in slack_at:
                if at >= 0:
                    left, right = Ti[at] * tbc, Tb[at] * tic
                else:
                    row = -1 - at
                    left = D * tbc if i == row else 0
                    right = D * tic if best == row else 0
                if left != right:
                    if left < right:
                        best = i
                    break
    if best < 0:  # impossible for a positive matrix (the polytope is bounded)
        raise SolverError("unbounded best-response polytope: payoffs were not made positive")
    return best


def _pivot(T: list[list[int]], r: int, q: int, D: int) -> list[list[int]]:
    """Integer pivot of the dictionary on ``(r, q)``: the new dictionary, whose denominator is ``T[r][q]``.

    The dictionary keeps only the nonbasic columns (and the right-hand side)
    of the integer tableau; the basic columns are ``D`` times unit vectors.
    Row ``r`` is kept; every other row ``i`` becomes
    ``(T[r][q] * T[i] - T[i][q] * T[r]) / D``, an exact division (von Stengel
    2007, Sec. 3.5: the entries are subdeterminants of the original system).
    Column ``q`` then belongs to the leaving variable, whose tableau column
    was ``D * e_r``: it becomes ``-T[i][q]`` in row ``i`` and ``D`` in row ``r``.
    """
    Tr = T[r]
    p = Tr[q]
    out = []
    for i, Ti in enumerate(T):
        if i == r:
            row = list(Tr)
            row[q] = D
        else:
            ci = Ti[q]
            if ci == 0:
                row = [a * p // D for a in Ti]
            else:
                row = [(a * p - ci * b) // D for a, b in zip(Ti, Tr)]
                row[q] = -ci
        out.append(row)
    return out


def _tableau_pivot(T: list[list[int]], r: int, c: int, D: int) -> list[list[int]]:
    """Integer pivot of a full tableau (every column kept): the dictionary pivot, after which the
    entering column is the unit column ``T[r][c] * e_r`` of a basic variable."""
    p = T[r][c]
    out = _pivot(T, r, c, D)
    for i, row in enumerate(out):
        row[c] = p if i == r else 0
    return out


def _slack_positions(basis: Sequence[int], cobasis: Sequence[int], d: int) -> list[int]:
    """Where each slack's column is, for :func:`_lex_ratio_row`: dictionary column ``q``, or ``-1 - i`` if basic in row ``i``."""
    slack_at = [0] * len(basis)
    for q, v in enumerate(cobasis):
        if v >= d:
            slack_at[v - d] = q
    for i, v in enumerate(basis):
        if v >= d:
            slack_at[v - d] = -1 - i
    return slack_at


def polytope_vertices(M: Sequence[Sequence[int]], deadline: float | None = None) -> list[tuple[int, tuple[int, ...]]]:
    """Every vertex of ``{z in R^d : z >= 0, M z <= 1}`` for an integer matrix ``M > 0`` (k x d).

    Returns ``(zero_mask, numerators)`` per vertex: bit ``j`` of ``zero_mask`` is
    set when variable ``j`` is zero (variables ``0..d-1`` are ``z``, ``d..d+k-1``
    the slacks ``1 - M z``), and ``z = numerators / D`` for some ``D > 0``, which
    is all one needs to normalise ``z`` to a probability vector. The vertex
    ``z = 0`` comes first.

    Exact graph search over lexicographically feasible bases with integer
    pivoting on a dictionary (the nonbasic columns only, as in lrs; see the
    module docstring); raises ``_Timeout`` past ``deadline`` (a
    ``time.perf_counter()`` value).
    """
    d = len(M[0])
    return _dictionary_search([list(row) + [1] for row in M], 1, d, d, deadline)


def _dictionary_search(
    dictionary: list[list[int]], D: int, d: int, keep: int, deadline: float | None
) -> list[tuple[int, tuple[int, ...]]]:
    """The graph search of :func:`polytope_vertices` from any feasible integer dictionary.

    Variables ``0..d-1`` are the nonbasic ones of ``dictionary`` (its columns,
    then the right-hand side), ``d..d+k-1`` the basic ones (its rows), all
    divided by ``D > 0``. The lexicographic perturbation adds ``(eps, eps^2,
    ...)`` to the starting basic variables, so the start is lexicographically
    feasible whatever its degeneracy. Returns ``(zero_mask, numerators of
    variables 0..keep-1)`` per vertex, the start's first.
    """
    k = len(dictionary)
    nv = d + k
    full = (1 << nv) - 1
    basis = list(range(d, d + k))
    cobasis = list(range(d))  # the variable of each dictionary column
    mask = sum(1 << b for b in basis)
    seen = {mask}
    stack = [(dictionary, basis, cobasis, D, mask)]
    vertices: dict[int, tuple[int, ...]] = {}
    while stack:
        T, basis, cobasis, D, mask = stack.pop()
        if deadline is not None and time.perf_counter() > deadline:  # every vertex: a pivot of big integers is slow
            raise _Timeout
        per_table = _table_bytes(T, D)
        zero = full & ~mask
        for i, b in enumerate(basis):
            if T[i][-1] == 0:
                zero |= 1 << b
        if zero not in vertices:
            nums = [0] * keep
            for i, b in enumerate(basis):
                if b < keep:
                    nums[b] = T[i][-1]
            vertices[zero] = tuple(nums)
        slack_at = _slack_positions(basis, cobasis, d)
        for q, c in enumerate(cobasis):
            r = _lex_ratio_row(T, q, D, slack_at)
            new_mask = (mask & ~(1 << basis[r])) | (1 << c)
            if new_mask in seen:
                continue
            seen.add(new_mask)
            new_basis = list(basis)
            new_cobasis = list(cobasis)
            new_cobasis[q] = basis[r]
            new_basis[r] = c
            _check_memory(
                (len(stack) + 1) * per_table + len(vertices) * per_table // max(k, 1), len(vertices), len(stack)
            )
            stack.append((_pivot(T, r, q, D), new_basis, new_cobasis, T[r][q], new_mask))
    return list(vertices.items())


def _positive_pivot(T: list[list[int]], r: int, q: int, D: int) -> tuple[list[list[int]], int]:
    """:func:`_pivot`, with every entry negated when the pivot is negative: ``(dictionary, denominator > 0)``."""
    out, p = _pivot(T, r, q, D), T[r][q]
    if p < 0:
        return [[-v for v in row] for row in out], -p
    return out, p


def face_vertices(
    M: Sequence[Sequence[int]], tight: Sequence[int], deadline: float | None = None
) -> list[tuple[int, ...]]:
    """The vertices of the face ``{z >= 0, M z <= 1, (M z)_i = 1 for i in tight}`` (``M > 0``, k x d), as numerators.

    As ``lrsnash`` treats the labels a vertex fixes in the other polytope
    (linearities, Avis et al. 2010): one simplex run minimising the sum of
    the ``tight`` slacks, with the lexicographic ratio test from the
    all-slack basis (no cycling, exact integer pivots), decides whether the
    face is empty (minimum above 0: no vertex). Otherwise each ``tight`` slack
    still basic (at 0) is pivoted out where its row allows (a row without
    such an entry is implied by the others), the ``tight`` slacks' columns
    are dropped, and :func:`_dictionary_search` walks the face from there:
    usually a point or a segment, where listing ``{z >= 0, M z <= 1}`` and
    keeping the vertices with ``tight`` rows tight walked the whole polytope.
    Returns ``z``'s numerators (over a positive denominator) per vertex.
    """
    k, d = len(M), len(M[0])
    T = [list(row) + [1] for row in M]
    D = 1
    basis, cobasis = list(range(d, d + k)), list(range(d))
    fixed = {d + i for i in tight}
    while True:  # phase one: minimise the sum of the fixed slacks
        if deadline is not None and time.perf_counter() > deadline:
            raise _Timeout
        cost = [0] * (d + 1)  # the sum's dictionary row: value = (cost[-1] - sum cost[q] z_q) / D
        for i, v in enumerate(basis):
            if v in fixed:
                cost = [a + b for a, b in zip(cost, T[i])]
        for q, v in enumerate(cobasis):
            if v in fixed:
                cost[q] -= D
        if cost[-1] == 0:
            break
        q = max(range(d), key=cost.__getitem__)
        if cost[q] <= 0:
            return []  # the minimum is positive: the face is empty
        r = _lex_ratio_row(T, q, D, _slack_positions(basis, cobasis, d))
        T, D = _pivot(T, r, q, D), T[r][q]
        basis[r], cobasis[q] = cobasis[q], basis[r]
    for r, v in enumerate(basis):  # degenerate pivots: the fixed slacks leave the basis where they can
        q = next((q for q, c in enumerate(cobasis) if c not in fixed and T[r][q] != 0), None) if v in fixed else None
        if q is not None:
            T, D = _positive_pivot(T, r, q, D)
            basis[r], cobasis[q] = cobasis[q], basis[r]
    free = [q for q, c in enumerate(cobasis) if c not in fixed]
    start = [[row[q] for q in free] + [row[-1]] for row in T]
    order = [cobasis[q] for q in free] + basis  # the search's variable numbers -> ours
    out = []
    for _, values in _dictionary_search(start, D, len(free), len(order), deadline):
        nums = [0] * d
        for v, value in zip(order, values):
            if v < d:
                nums[v] = value
        out.append(tuple(nums))
    return out


# ------------------------------------------------------ certified float search

#: The unit roundoff of float64.
_UNIT = 2.0**-53
#: Bases per batch of float linear algebra.
_BATCH = 256


def _exact_dictionary(F: list[list[int]], basis: Sequence[int], cobasis: Sequence[int]) -> tuple[list[list[int]], int]:
    """The integer dictionary of a basis: ``(D * B^-1 [F_cobasis | 1], D)`` with ``D = |det B| > 0``.

    Fraction-free Gauss-Jordan elimination on ``[B | F_cobasis | 1]``: the
    pivots of :func:`_pivot`, from the all-slack start, so every division is
    exact; row ``i`` belongs to the basic variable ``basis[i]``.
    """
    k = len(basis)
    a = [[row[v] for v in basis] + [row[v] for v in cobasis] + [1] for row in F]
    previous = 1
    for c in range(k):
        p = next(i for i in range(c, k) if a[i][c] != 0)  # a basis matrix is nonsingular
        a[c], a[p] = a[p], a[c]
        ac = a[c]
        acc = ac[c]
        for i in range(k):
            if i == c:
                continue
            ai = a[i]
            aic = ai[c]
            if aic == 0:
                a[i] = [v * acc // previous for v in ai]
            else:
                a[i] = [(acc * v - aic * w) // previous for v, w in zip(ai, ac)]
        previous = acc
    if previous < 0:
        return [[-v for v in row[k:]] for row in a], -previous
    return [row[k:] for row in a], previous


def _exact_step(
    T: list[list[int]], D: int, basis: Sequence[int], cobasis: Sequence[int], d: int
) -> tuple[int, list[int]]:
    """(mask of the basic variables that are zero, leaving row per cobasis column) from an exact dictionary."""
    slack_at = _slack_positions(basis, cobasis, d)
    zero = 0
    for i, v in enumerate(basis):
        if T[i][-1] == 0:
            zero |= 1 << v
    return zero, [_lex_ratio_row(T, q, D, slack_at) for q in range(len(cobasis))]


#: How a basis was reached from a basis decided exactly: that basis's dictionary ``(T, D)``, its
#: basic and nonbasic variables in dictionary order, and the pivot ``(r, q)`` that leads here.
_Link = tuple[list[list[int]], int, tuple[int, ...], tuple[int, ...], int, int]


def _exact_basis(
    F: list[list[int]], basis: tuple[int, ...], cobasis: Sequence[int], link: _Link | None
) -> tuple[list[list[int]], int, tuple[int, ...], tuple[int, ...]]:
    """The exact dictionary of a basis: one integer pivot from the parent's when it had one, else from scratch."""
    if link is None:
        T, D = _exact_dictionary(F, basis, cobasis)
        return T, D, basis, tuple(cobasis)
    T, D, rows, cols, r, q = link
    new_rows, new_cols = list(rows), list(cols)
    new_rows[r], new_cols[q] = cols[q], rows[r]
    return _pivot(T, r, q, D), T[r][q], tuple(new_rows), tuple(new_cols)


def _float_steps(Ff: np.ndarray, bases: np.ndarray, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leaving rows of a batch of bases, and which bases floats could not decide (module docstring).

    ``bases`` (b, k) holds the basic variables, ``inside`` (b, k + d) marks
    them. Returns ``(rows (b, k + d), undecided (b,))``: ``rows[b, q]`` is the
    leaving row (an index into ``bases[b]``) when variable ``q`` enters,
    proven right for every nonbasic ``q``, and every basic variable of basis
    ``b`` proven non-zero, unless ``undecided[b]``.
    """
    k, nv = Ff.shape
    count = len(bases)
    gamma = (k + 2) * _UNIT / (1 - (k + 2) * _UNIT)
    big = np.abs(Ff).max()
    with np.errstate(all="ignore"):
        X = np.linalg.inv(Ff[:, bases].transpose(1, 0, 2))
        row_sum = np.abs(X).sum(axis=2)  # (b, k); (|X| |F|)_iq <= row_sum_i * big
        # stacked products run in numpy's own loop; one reshaped GEMM would call a threaded BLAS, which is
        # many times slower on a busy machine
        T = X @ Ff  # every column; the basic ones should be unit vectors
        unit = np.zeros((count, k, nv))
        unit[np.arange(count)[:, None], np.arange(k)[None, :], bases] = 1.0
        off = (np.abs(T - unit) * inside[:, None, :]).sum(axis=2)
        rho = 2 * (off + k * gamma * row_sum * big).max(axis=1)
        delta = rho / (1 - rho) * row_sum.max(axis=1)
        err_b = 2 * (delta[:, None] + gamma * row_sum)  # bounds |beta_i - fl(X 1)_i|
        err_t = (err_b * big)[:, :, None]  # bounds every |t_iq - fl(X F_q)_i| of row i
        beta = X.sum(axis=2)
        positive = err_t < T
        unsure = ~positive & (-err_t <= T)
        low = np.where(positive, np.maximum(beta - err_b, 0.0)[:, :, None] / (T + err_t), np.inf)
        rows = np.argmin(low, axis=1)  # the candidate; proven when even its upper bound wins
        pick = rows[:, None, :]
        t_row = np.take_along_axis(T, pick, axis=1)[:, 0, :]
        high = (np.take_along_axis(beta + err_b, rows, axis=1)) / (
            t_row - np.take_along_axis(err_t[:, :, 0], rows, axis=1)
        )
        np.put_along_axis(low, pick, np.inf, axis=1)
        candidate = np.take_along_axis(positive, pick, axis=1)[:, 0, :]  # False: no row is (proven) positive
        decided = ((high < low.min(axis=1)) & candidate & ~unsure.any(axis=1)) | inside
        undecided = ~(rho < 0.5) | ~decided.all(axis=1) | ~(beta > err_b).all(axis=1)
    return rows, undecided


#: When more than this share of a batch is undecided by floats (in a batch of exact steps: degenerate,
#: or with a tie in a ratio test, which floats cannot decide either), the next batch goes straight to
#: :func:`_integer_steps`.
_DEGENERATE = 0.5

#: Integers up to this size are exact in float64, and so are sums and products that stay below it.
_EXACT_FLOAT = 2.0**53


def _small_adjugates(Ff: np.ndarray, bases: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact positive integer multiples ``A = c B^-1`` of the inverse basis matrices, in float64.

    ``A = rint(det * X)`` for a float inverse ``X``, accepted only when
    ``A B = c I`` holds exactly with ``c > 0`` (checked while every product
    stays below :data:`_EXACT_FLOAT`, so the check itself is exact). Returns
    ``(A (b, k, k), failed (b,))``.
    """
    k = Ff.shape[0]
    Bm = Ff[:, bases].transpose(1, 0, 2)
    with np.errstate(all="ignore"):
        det = np.rint(np.linalg.det(Bm))
        A = np.rint(np.linalg.inv(Bm) * det[:, None, None])
        A *= np.where(det < 0, -1.0, 1.0)[:, None, None]
        size = np.abs(A).max(axis=(1, 2))
        failed = ~(size * Ff.max() * k < _EXACT_FLOAT) | (det == 0)
        failed |= ~(A @ Bm == np.abs(det)[:, None, None] * np.eye(k)).all(axis=(1, 2))
    return A, failed


def _fresh_tableaux(Ff: np.ndarray, bases: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer tableaux ``c B^-1 [F | 1]`` (``c = |det B|``, rows in the order of ``bases``) from
    :func:`_small_adjugates`: ``(T (b, k, k + d + 1), failed (b,))``."""
    A, failed = _small_adjugates(Ff, bases)
    return np.concatenate([A @ Ff, A.sum(axis=2)[:, :, None]], axis=2), failed


def _pivoted_tableaux(
    parents: np.ndarray, denominators: np.ndarray, rows: np.ndarray, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The integer tableaux of children, each one pivot from its parent's (:func:`_pivot`, batched):
    ``(T, denominators, failed)``; row ``r`` of a child holds its entering variable.

    ``parents`` (b, k, k + d + 1) holds each child's parent tableau (a copy: the result is built in
    it), ``denominators`` their denominators, ``rows`` and ``columns`` the pivots (row, entering
    variable). Instead of a fresh inverse, determinant and check per basis. Exact in float64 while
    ``2 max|T|^2`` stays below :data:`_EXACT_FLOAT` (then every product and difference is an exact
    integer, and so is each quotient by the old denominator: the entries are subdeterminants).
    """
    at = np.arange(len(parents))
    Tr = parents[at, rows]
    pivot = Tr[at, columns]
    column = parents[at, :, columns]
    big = np.abs(parents).max(axis=(1, 2))
    with np.errstate(all="ignore"):
        T = parents
        T *= pivot[:, None, None]
        T -= column[:, :, None] * Tr[:, None, :]
        T /= denominators[:, None, None]
    T[at, rows] = Tr
    return T, pivot, ~(2 * big * big < _EXACT_FLOAT)


def _integer_steps(
    T: np.ndarray, inside: np.ndarray, d: int, back: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The exact steps of a batch of bases from their integer tableaux (ties, degenerate vertices).

    ``T = c B^-1 [F | 1]`` for some ``c > 0`` per basis (:func:`_fresh_tableaux` or
    :func:`_pivoted_tableaux`), exact integers in float64. Any positive multiple of
    the dictionary gives the same lexicographic ratio test, which then runs
    exactly: the lexicographic minimum is taken component by component, each
    time over the rows whose rounded ratio equals the minimum (a superset of the
    true minimisers, as rounding is monotone) after confirming by exact
    cross-multiplication that they tie. ``back`` (b, 2), when given, holds per
    basis a variable whose leaving row is known, and that row (variable -1: none):
    the step back to the parent, whose ratio test is skipped (the perturbed
    polytope is simple, so the edge leads back). Returns ``(rows, zero, failed, tied)``:
    leaving rows as in :func:`_float_steps`, which basic variables are zero (b, k),
    the bases this could not decide, and those with a tie in the first component of
    some ratio test (b,).
    """
    count, k, columns = T.shape
    nv = columns - 1
    rhs = T[:, :, -1]
    keys = np.concatenate([rhs[:, :, None], T[:, :, d:nv]], axis=2)  # lexicographic keys of each row: (beta, c B^-1)
    with np.errstate(all="ignore"):
        key_size, size = np.abs(keys).max(axis=(1, 2)), np.abs(T).max(axis=(1, 2))
        failed = ~(key_size * size < _EXACT_FLOAT)
        small = key_size * size * size < _EXACT_FLOAT / 2  # float ratios that agree are equal (_lex_minimum)
        # one lexicographic ratio test per (basis, entering nonbasic column), the pairs flattened
        cobases = np.nonzero(~inside)[1].reshape(count, nv - k)
        owner = np.repeat(np.arange(count), nv - k)
        if back is None:
            rows, undecided, tied = _lex_minimum(T[owner, :, cobases.ravel()], keys, owner, small)
        else:
            known = (cobases == back[:, :1]).ravel()
            todo = np.flatnonzero(~known)
            rows = np.empty(len(owner), dtype=np.int64)
            undecided = np.zeros(len(owner), dtype=bool)
            rows[known] = back[back[:, 0] >= 0, 1]
            at = owner[todo]
            rows[todo], undecided[todo], tied = _lex_minimum(T[at, :, cobases.ravel()[todo]], keys, at, small)
        failed |= undecided.reshape(count, nv - k).any(axis=1)
        every = np.zeros((count, nv), dtype=np.int64)
        every[np.arange(count)[:, None], cobases] = rows.reshape(count, nv - k)
        ties = np.zeros(count, dtype=bool)
        ties[tied] = True
    return every, rhs == 0, failed, ties


def _lex_minimum(
    T: np.ndarray, keys: np.ndarray, basis: np.ndarray, small: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair ``p`` (of basis ``basis[p]``): the row minimising ``keys[basis[p], i] / T[p, i]``
    lexicographically over the rows with ``T[p, i] > 0``.

    Exact integers in float64 (products below :data:`_EXACT_FLOAT`). Returns
    ``(rows, undecided, tied)``; undecided pairs have no candidate, or rows whose
    rounded ratios agree without an exact tie (then exact arithmetic decides);
    ``tied`` are the bases of the pairs tied in the first component.
    Rounded ratios that agree are confirmed by exact cross-multiplication, except
    for the bases marked ``small``: ``K N^2 < 2^52`` with ``K`` the largest key
    and ``N`` the largest tableau entry. There two different ratios ``a / b`` and
    ``c / d`` (``b, d`` integers in ``[1, N]``) differ by at least ``1 / N^2``,
    more than the rounding of both, ``2 K 2^-53``, so they round apart (on 10x10
    games with payoffs in [0, 4) every basis is small; the check cost 15-20% here).
    Only pairs still tied go on to the next component (and to the exact check):
    after the first component, about 30% of the pairs in degenerate polytopes, under 1% at the last.
    """
    pairs = np.arange(len(T))
    by_component = keys.transpose(2, 0, 1)
    candidates = T > 0
    undecided = ~candidates.any(axis=1)
    rows = np.zeros(len(T), dtype=np.int64)
    tied_first = basis[:0]
    check = ~small[basis]
    for c in range(keys.shape[2]):
        key = by_component[c][basis]
        ratio = np.where(candidates, key / T, np.inf)
        candidates &= ratio == ratio.min(axis=1, keepdims=True)
        first = np.argmax(candidates, axis=1)
        rows[pairs] = first
        tied = np.flatnonzero(candidates.sum(axis=1) > 1)  # lexicographic ties: compare the next component
        if not len(tied):
            return rows, undecided, tied_first
        hard = tied[check[tied]]
        if len(hard):
            row = first[hard]
            exact = key[hard] * T[hard, row][:, None] == key[hard, row][:, None] * T[hard]
            undecided[pairs[hard]] |= (candidates[hard] & ~exact).any(axis=1)
        pairs, basis, candidates, T, check = (a[tied] for a in (pairs, basis, candidates, T, check))
        if c == 0:
            tied_first = basis
    undecided[pairs] = True  # never: the rows of B^-1 are independent
    return rows, undecided, tied_first


class _Waiting:
    """Bases waiting in the frontier, pushed together: the children of one batch, or of bases
    expanded one by one in Python.

    ``bases`` is (n, k) int64, or a list of tuples with ``links`` (each one's :data:`_Link`, or
    None) for bases queued in Python. Children of a batch of integer steps carry their own integer
    tableaux (``tableaux`` (n, k, k + d + 1), ``denominators``), one pivot from their parent's
    (:func:`_pivoted_tableaux`, done for the whole batch at once: per child in Python it cost
    more), ``have`` (False where that tableau is not exact in float64) and ``back`` (n, 2): the
    variable that left, whose entering leads back to the parent, and the row it leaves from.
    """

    __slots__ = ("back", "bases", "denominators", "have", "links", "tableaux")

    def __init__(
        self,
        bases: np.ndarray | list[tuple[int, ...]],
        links: list[_Link | None] | None = None,
        tableaux: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.bases, self.links = bases, links
        self.tableaux, self.denominators, self.have, self.back = tableaux if tableaux is not None else (None,) * 4

    def __len__(self) -> int:
        return len(self.bases)

    def parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        return None if self.tableaux is None else (self.tableaux, self.denominators, self.have, self.back)

    def select(self, pick: np.ndarray | slice) -> _Waiting:
        """The entries at ``pick`` (a slice, or a boolean or index array when ``bases`` is an array)."""
        if isinstance(self.bases, list):
            assert isinstance(pick, slice) and self.links is not None
            return _Waiting(self.bases[pick], self.links[pick])
        links = None if self.links is None else [self.links[i] for i in np.arange(len(self))[pick].tolist()]
        parts = self.parts()
        return _Waiting(self.bases[pick], links, None if parts is None else tuple(a[pick] for a in parts))

    def nbytes(self) -> int:
        return 0 if self.tableaux is None else self.tableaux.nbytes


def _joined(pieces: list[_Waiting], k: int, nv: int) -> _Waiting:
    """One :class:`_Waiting` of the entries of ``pieces`` (in order), its bases as an array."""
    if len(pieces) == 1 and not isinstance(pieces[0].bases, list):
        return pieces[0]
    bases = np.concatenate([np.asarray(piece.bases, dtype=np.int64).reshape(-1, k) for piece in pieces])
    links = None
    if any(piece.links is not None for piece in pieces):
        links = [link for piece in pieces for link in (piece.links or [None] * len(piece))]
    parts = None
    if any(piece.tableaux is not None for piece in pieces):
        n = len(bases)
        parts = (np.empty((n, k, nv + 1)), np.ones(n), np.zeros(n, dtype=bool), np.full((n, 2), -1))
        at = 0
        for piece in pieces:
            own = piece.parts()
            if own is not None:
                for whole, part in zip(parts, own):
                    whole[at : at + len(piece)] = part
            at += len(piece)
    return _Waiting(bases, links, parts)


class _Search:
    """The state of :func:`certified_vertices`: bases seen, bases to visit, vertices found."""

    def __init__(self, M: Sequence[Sequence[int]]) -> None:
        self.k, self.d = len(M), len(M[0])
        self.nv = self.k + self.d
        self.full = (1 << self.nv) - 1
        self.F = [list(M[i]) + [int(i == j) for j in range(self.k)] for i in range(self.k)]
        self.Ff = np.array(self.F, dtype=float)
        start = tuple(range(self.d, self.nv))
        self.seen = {sum(1 << v for v in start)}
        self.frontier: list[_Waiting] = [_Waiting([start], [None])]
        self.vertices: dict[int, tuple[int, ...]] = {}
        # counted as entries come and go (a scan per batch cost 10%): bases waiting, those with an exact
        # link, and the bytes of the waiting tableaux
        self.waiting = 1
        self.links = 0
        self.tableau_bytes = 0

    def push(self, block: _Waiting) -> None:
        self.frontier.append(block)
        self.waiting += len(block)
        self.tableau_bytes += block.nbytes()

    def take(self, count: int) -> _Waiting:
        """Remove and return the last ``count`` bases of the frontier (fewer if it holds fewer)."""
        pieces = []
        while count and self.frontier:
            block = self.frontier.pop()
            self.tableau_bytes -= block.nbytes()
            if len(block) > count:  # keep the rest (copied: the taken part's memory goes with it)
                rest = block.select(slice(0, len(block) - count))
                if rest.tableaux is not None:
                    rest = _Waiting(rest.bases.copy(), rest.links, tuple(a.copy() for a in rest.parts()))  # type: ignore[union-attr]
                self.frontier.append(rest)
                self.tableau_bytes += rest.nbytes()
                block = block.select(slice(len(block) - count, len(block)))
            pieces.append(block)
            count -= len(block)
            self.waiting -= len(block)
            if block.links is not None:
                self.links -= sum(link is not None for link in block.links)
        pieces.reverse()
        return _joined(pieces, self.k, self.nv)

    def held_bytes(self) -> int:
        """An estimate of the memory the search holds: a basis is a tuple of ``k`` ints, a mask an int of
        ``nv`` bits in a set, an exact link shares its parent's dictionary with that parent's other children,
        and waiting tableaux take what their arrays take."""
        basis = 64 + 36 * self.k
        mask = 80 + self.nv // 8
        dictionary = self.k * (self.d + 1) * 48
        return (
            self.waiting * basis
            + len(self.seen) * mask
            + len(self.vertices) * (basis + mask)
            + self.links * dictionary // max(self.d, 1)
            + self.tableau_bytes
        )

    def expand(self, basis: tuple[int, ...], link: _Link | None, leave_rows: list[int] | None) -> None:
        """Record the vertex of one basis and queue its unseen neighbours (exactly when ``leave_rows`` is None)."""
        mask = 0
        for v in basis:
            mask |= 1 << v
        cobasis: Sequence[int] = [v for v in range(self.nv) if not mask >> v & 1]
        zero = 0
        exact = leave_rows is None
        if exact:
            T, D, basis, cobasis = _exact_basis(self.F, basis, cobasis, link)
            zero, leave_rows = _exact_step(T, D, basis, cobasis, self.d)
        self.vertices.setdefault((self.full & ~mask) | zero, basis)
        for q, (c, r) in enumerate(zip(cobasis, leave_rows)):
            leave = basis[r]
            new_mask = (mask & ~(1 << leave)) | (1 << c)
            if new_mask not in self.seen:
                self.seen.add(new_mask)
                last = self.frontier[-1] if self.frontier else None
                if last is None or not isinstance(last.bases, list):
                    last = _Waiting([], [])
                    self.frontier.append(last)
                assert last.links is not None
                last.bases.append(tuple(sorted([v for v in basis if v != leave] + [c])))  # type: ignore[union-attr]
                last.links.append((T, D, basis, tuple(cobasis), r, q) if exact else None)
                self.waiting += 1
                self.links += exact

    def expand_batch(
        self,
        bases: np.ndarray,
        inside: np.ndarray,
        rows: np.ndarray,
        zero: np.ndarray | None = None,
        tableaux: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """:meth:`expand` for many decided bases at once (masks in int64: at most 62 variables);
        ``zero`` (b, k) marks the basic variables that are zero (None: none is). With ``tableaux``
        (their integer tableaux and denominators), each child gets its own tableau by one pivot and
        keeps its parent's row order."""
        count = len(bases)
        cobases = np.nonzero(~inside)[1].reshape(count, self.d)
        at = np.arange(count)[:, None]
        leave_rows = rows[at, cobases]
        leaving = bases[at, leave_rows]
        bits = np.int64(1) << bases
        masks = bits.sum(axis=1)
        zero_masks = (self.full & ~masks) if zero is None else (self.full & ~masks) | (bits * zero).sum(axis=1)
        for vertex, basis in zip(zero_masks.tolist(), bases.tolist()):
            self.vertices.setdefault(vertex, tuple(basis))
        children = (masks[:, None] - (np.int64(1) << leaving) + (np.int64(1) << cobases)).ravel().tolist()
        new = []
        for at, child in enumerate(children):
            if child not in self.seen:
                self.seen.add(child)
                new.append(at)
        if not new:
            return
        parent = np.array(new) // self.d
        row, column = leave_rows.ravel()[new], cobases.ravel()[new]
        fresh = bases[parent]
        fresh[np.arange(len(new)), row] = column
        if tableaux is None:
            self.push(_Waiting(np.sort(fresh, axis=1)))
            return
        T, D = tableaux
        pivoted, denominators, failed = _pivoted_tableaux(T[parent], D[parent], row, column)
        back = np.stack([leaving.ravel()[new], row], axis=1)
        self.push(_Waiting(fresh, None, (pivoted, denominators, ~failed, back)))


def _integer_batch(search: _Search, chunk: _Waiting, inside: np.ndarray) -> float:
    """Expand bases exactly: small integer tableaux in a batch (those one pivot from a parent decided
    in such a batch come with theirs, the others get one from a fresh inverse), the rest one by one.

    ``chunk`` holds the bases as an array, ``inside`` marks them (as :func:`certified_vertices`
    built it). Returns the share of bases that floats could not have decided either: degenerate (a
    basic variable at zero) or with a tie in a ratio test (counting degenerate ones alone, float
    batches that followed left 85-99% of their bases undecided on 10x10 games with payoffs in [0, 4)).
    """
    count = len(chunk)
    bases = chunk.bases
    assert isinstance(bases, np.ndarray)
    parts = chunk.parts()
    if parts is None:
        T, D, have, back = np.empty((count, search.k, search.nv + 1)), np.empty(count), np.zeros(count, bool), None
    else:
        T, D, have, back = parts
    failed = np.zeros(count, dtype=bool)
    missing = np.flatnonzero(~have)
    if len(missing):
        T[missing], failed[missing] = _fresh_tableaux(search.Ff, bases[missing])
        D[missing] = T[missing, 0, bases[missing, 0]]  # the basic columns are c times unit vectors
        if back is not None:
            back[missing] = -1  # a fresh tableau's rows follow the basis, not the parent's order
    rows, zero, undecided, tied = _integer_steps(T, inside, search.d, back)
    done = ~(failed | undecided)
    search.expand_batch(bases[done], inside[done], rows[done], zero[done], (T[done], D[done]))
    links = chunk.links
    for i in np.flatnonzero(~done).tolist():
        search.expand(tuple(bases[i].tolist()), None if links is None else links[i], None)
    return float((zero.any(axis=1) | tied).mean())


def certified_vertices(
    M: Sequence[Sequence[int]], deadline: float | None = None, ties: bool = False
) -> list[tuple[int, tuple[int, ...]]]:
    """Every vertex of ``{z >= 0, M z <= 1}`` as ``(zero_mask, basis)``: the search of
    :func:`polytope_vertices` with float steps proven exact (module docstring).

    ``zero_mask`` is as in :func:`polytope_vertices`; ``basis`` is one basis of
    the vertex (its basic variables), from which :func:`basis_numerators`
    gives its coordinates. The vertex ``z = 0`` comes first. A basis that
    floats cannot decide gets its exact dictionary by one integer pivot when
    its parent was decided exactly too (degenerate regions), else from scratch.
    With ``ties`` (``M`` has few distinct entries) the search starts with integer
    batches: floats leave the first bases of such polytopes undecided.
    """
    search = _Search(M)
    degenerate = ties
    while search.waiting:
        if deadline is not None and time.perf_counter() > deadline:
            raise _Timeout
        _check_memory(search.held_bytes(), len(search.vertices), search.waiting)
        chunk = search.take(_BATCH)
        bases = chunk.bases
        assert isinstance(bases, np.ndarray)
        inside = np.zeros((len(chunk), search.nv), dtype=bool)
        inside[np.arange(len(chunk))[:, None], bases] = True
        if search.nv <= 62 and degenerate:  # floats decided little of the last batch: skip them
            degenerate = _integer_batch(search, chunk, inside) > _DEGENERATE
            continue
        rows, undecided = _float_steps(search.Ff, bases, inside)
        easy = ~undecided
        degenerate = undecided.sum() > _DEGENERATE * len(chunk)
        if search.nv <= 62:
            search.expand_batch(bases[easy], inside[easy], rows[easy])
            if undecided.any():
                _integer_batch(search, chunk.select(undecided), inside[undecided])
            continue
        links = chunk.links or [None] * len(chunk)
        for i in np.flatnonzero(undecided).tolist():
            search.expand(tuple(bases[i].tolist()), links[i], None)
        for i, basis, row in zip(np.flatnonzero(easy).tolist(), bases[easy].tolist(), rows[easy].tolist()):
            search.expand(tuple(basis), links[i], [row[v] for v in range(search.nv) if v not in basis])
    return list(search.vertices.items())


def basis_numerators(M: Sequence[Sequence[int]], basis: Sequence[int]) -> tuple[int, ...]:
    """The coordinates ``z`` of the vertex of a basis as integer numerators over ``|det B| > 0``."""
    k, d = len(M), len(M[0])
    F = [list(M[i]) + [int(i == j) for j in range(k)] for i in range(k)]
    T, _ = _exact_dictionary(F, basis, ())
    nums = [0] * d
    for row, v in zip(T, basis):
        if v < d:
            nums[v] = row[-1]
    return tuple(nums)


#: :func:`list_vertices` uses the certified float search from this many variables (``d + k``) on;
#: below, integer pivoting is faster. With few distinct entries (at most ``max(k, d)``: ties, most
#: bases degenerate) from :data:`FLOAT_FROM_TIES` on (CPU per 8x8 game with payoffs in [0, 4):
#: 11 ms by integer pivoting, 13 ms by the float search; 9x9: 27 ms and 22 ms).
FLOAT_FROM = 16
FLOAT_FROM_TIES = 18


class VertexList:
    """The vertices of one polytope: zero masks, and numerators computed on demand.

    ``zeros[i]`` is the zero mask of vertex ``i`` (as in
    :func:`polytope_vertices`); :meth:`numerators` gives its coordinates
    (exactly; from the stored basis when the float search found it).
    """

    def __init__(self, M: Sequence[Sequence[int]], found: list[tuple[int, tuple[int, ...]]], bases: bool) -> None:
        self._M = M
        self._found = found
        self._bases = bases
        self.zeros = [zero for zero, _ in found]
        self._numerators: dict[int, tuple[int, ...]] = {}

    def numerators(self, i: int) -> tuple[int, ...]:
        if i not in self._numerators:
            key = self._found[i][1]
            self._numerators[i] = basis_numerators(self._M, key) if self._bases else key
        return self._numerators[i]

    def prefetch(self, indices: Sequence[int]) -> None:
        """Compute the numerators of these vertices together: small ones exactly in float64
        (:func:`_small_adjugates`), the others later by :meth:`numerators`."""
        if not self._bases or not indices:
            return
        k, d = len(self._M), len(self._M[0])
        Ff = np.hstack([np.array(self._M, dtype=float), np.eye(k)])
        bases = np.array([self._found[i][1] for i in indices])
        A, failed = _small_adjugates(Ff, bases)
        rhs = A.sum(axis=2)  # integers below 2**53: exact
        for i, basis, values, bad in zip(indices, bases.tolist(), rhs.tolist(), failed.tolist()):
            if not bad:
                nums = [0] * d
                for v, value in zip(basis, values):
                    if v < d:
                        nums[v] = int(value)
                self._numerators[i] = tuple(nums)

    def __len__(self) -> int:
        return len(self._found)


def list_vertices(M: Sequence[Sequence[int]], deadline: float | None = None) -> VertexList:
    """Every vertex of ``{z >= 0, M z <= 1}``, by the faster of the two exact searches.

    The certified float search (:func:`certified_vertices`) from
    :data:`FLOAT_FROM` variables on (:data:`FLOAT_FROM_TIES` when ``M`` has
    few distinct entries), integer pivoting (:func:`polytope_vertices`) below.
    """
    size = len(M) + len(M[0])
    ties = len({v for row in M for v in row}) <= max(len(M), len(M[0]))
    if size >= (FLOAT_FROM_TIES if ties else FLOAT_FROM):
        return VertexList(M, certified_vertices(M, deadline, ties), bases=True)
    return VertexList(M, polytope_vertices(M, deadline), bases=False)
