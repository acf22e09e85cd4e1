"""Certified numerical solution of one support's equations by subdivision, for many unknowns.

:mod:`gametheory.solvers.polynomial` solves a support profile exactly when
at most two unknowns remain after its linear elimination, and hands larger
systems of up to :data:`~gametheory.solvers.polynomial.MAX_SYMBOLIC_UNKNOWNS`
unknowns to sympy's Groebner bases. Beyond that (five players who all mix,
say) Groebner bases do not finish in reasonable time. This module finds every
solution of such a system inside the open product of simplices by branch and
bound, and proves what it finds:

* **Exclusion.** Player ``i``'s indifference equations are linear in each
  other player's mixed strategy, so in the unknowns ``z`` (each mixing
  player's probabilities but the last) they are *multilinear*: affine in every
  coordinate. The range of such a function over a box is spanned by its values
  at the box's corners, exactly. A box on which some equation keeps a strict
  sign holds no solution and is dropped. Then the same test runs on the
  combinations ``Y F``, ``Y`` the inverse Jacobian at the box's centre: they
  are multilinear too (exact corner ranges again), and near a regular
  solution they behave like ``z - z*``, so a box beside a solution is dropped
  long before each equation alone keeps a sign. Being affine in each
  unknown, ``(Y F)_k`` also narrows the box along ``z_k`` to where it can
  vanish (read off the two faces' corners), as interval Newton would
  (together about 4x fewer boxes on random 2x2x2x2x2 games).
* **Inclusion.** The Krawczyk test (Krawczyk 1969; Moore, Kearfott & Cloud,
  *Introduction to Interval Analysis*, SIAM 2009, section 8.2): with ``m`` the
  box's centre, ``Y`` an approximate inverse of the Jacobian at ``m`` and
  ``J(X)`` the ranges of the Jacobian's entries over the box (multilinear too,
  so again read off the corners), if
  ``K(X) = m - Y F(m) + (I - Y J(X)) (X - m)`` lies inside ``X``, then ``X``
  holds exactly one solution. It is then polished by Newton's method and the
  test is repeated on a box of half-width 1e-12 around it.
  It is tried only on boxes narrower than :data:`KRAWCZYK_WIDTH`: on wider
  ones it neither passes nor contracts, and its Jacobian ranges are the
  costliest step.
* Everything else is bisected. While few boxes are left they are cut across
  several sides at once (up to :data:`SPLIT_TARGET` pieces), since a round of
  vectorised tests costs about as much for one box as for a hundred.

The support is resolved when every box is either excluded or holds a
certified solution. Singular solutions (a tie, a continuum of equilibria in a
degenerate game) never pass the inclusion test: boxes around them shrink to
the size limit, and the support is reported as unresolved rather than
silently dropped. So is a solution that cannot be told apart from the
boundary of the support.

Arithmetic is in double precision. A sign or an inclusion counts only beyond
a bound on the rounding error: a standard bound for sums of products
(Higham 2002, section 3.1), with a safety factor of 8, which also covers
reading the exact payoffs as doubles. The equilibria found are certified afterwards, like all
others, by the independent regret check in :mod:`gametheory.certify`.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np

#: Systems with more unknowns than this are not attempted (the corners of a box number 2**D).
MAX_BOX_UNKNOWNS = 12
#: Boxes narrower than this that are neither excluded nor certified make the support unresolved.
MIN_WIDTH = 1e-9
#: Safety factor on the rounding-error bound of one evaluation (see :meth:`_System.__init__`).
ROUNDING_SAFETY = 8.0
#: Half-width of the box in which each solution is finally certified.
ACCURACY = 1e-12
#: Boxes handled per vectorised step.
BATCH = 2048
#: Few boxes left are cut across several sides at once, up to about this many pieces: each round of
#: vectorised tests costs about the same for one box as for hundreds.
SPLIT_TARGET = 128
#: The Krawczyk test is tried on boxes no wider than this (it neither passes nor contracts on wider ones).
KRAWCZYK_WIDTH = 0.15
#: Boxes are inflated by this factor before the exclusion and inclusion tests.
_INFLATION = 1.0625
#: Where a box is cut along its widest side: off centre, so that a symmetric game's solutions do not sit on a cut.
_SPLIT_AT = 0.5 + 1 / 64
#: A solution is an equilibrium when no deviation gains more than this (relative to the player's
#: largest payoff): stricter than :data:`gametheory.certify.FLOAT_TOLERANCE`, which has the last word.
MAX_REGRET = 1e-10


@dataclass
class BoxResult:
    """The solutions of one support found by subdivision: full profiles (floats), each certified unique."""

    profiles: list = field(default_factory=list)
    unresolved: str | None = None  # why the support could not be settled, if it could not
    boxes: int = 0  # boxes examined
    radius: float = 0.0  # largest certified half-width around a reported solution


class _System:
    """The indifference equations of one support as multilinear polynomials in the unknowns ``z``.

    Mixing player ``j`` plays ``sigma_j = (z_j1, ..., z_jd, 1 - sum z_j)`` on its
    support, i.e. ``sigma_j = A_j (1, z_j)``. Contracting player ``i``'s payoff
    tensor with every ``A_j`` (exactly, in integers) gives the coefficients of
    its payoffs in the monomials ``prod_j (1, z_j)[k_j]``, one factor per
    mixing opponent; evaluation at a batch of points is then one product of a
    monomial matrix with the coefficient matrix.
    """

    def __init__(self, U, S, mixed, shape):
        self.S = S
        self.shape = shape
        self.N = len(shape)
        self.mixed = list(mixed)
        self.d = {j: len(S[j]) - 1 for j in self.mixed}
        self.offset = {}
        pos = 0
        for j in self.mixed:
            self.offset[j] = pos
            pos += self.d[j]
        self.D = pos
        self.others = {i: [j for j in self.mixed if j != i] for i in range(self.N)}
        # One monomial basis for every payoff, equation and Jacobian entry: the products over every
        # mixing player j of one entry of (1, z_j), rows in itertools.product order.
        self.grid = list(itertools.product(*[range(self.d[j] + 1) for j in self.mixed]))
        place = {j: p for p, j in enumerate(self.mixed)}
        K = len(self.grid)
        self.pay = []  # per player: (K, n_i) float coefficients of its payoffs, scaled to max |payoff| = 1
        exact_eq = []  # per equation: its exact integer coefficients, over the player's scale in eq_scale
        self.eq_scale: list[int] = []
        tol = []  # per player: allowance for the rounding of one evaluation
        self.finite = True
        for i in range(self.N):
            idx = [slice(None) if j == i else list(S[j]) if j in self.d else S[j][0] for j in range(self.N)]
            block = _outer_index(U[i], idx, i)  # (n_i, |S_j| for each mixing opponent)
            biggest = max((abs(int(v)) for v in block.ravel().tolist()), default=0) or 1
            for axis in range(1, block.ndim):
                block = _affine_coefficients(block, axis)
            if i in self.d:  # i's payoffs do not involve its own unknowns: entry 0 of (1, z_i)
                block = np.expand_dims(block, 1 + place[i])
                block = np.concatenate([block] + [np.zeros_like(block)] * self.d[i], axis=1 + place[i])
            exact = [[int(v) for v in row] for row in block.reshape(block.shape[0], K).tolist()]
            try:  # int / int rounds correctly, like the exact rational would
                C = np.array([[v / biggest for v in row] for row in exact]).T
            except OverflowError:
                self.finite = False
                C = np.zeros((K, block.shape[0]))
            self.pay.append(C)
            if i in self.d:
                exact_eq += [[a - b for a, b in zip(exact[s], exact[S[i][0]])] for s in S[i][1:]]
                self.eq_scale += [biggest] * self.d[i]
            # Evaluating sum_m c_m prod z (n monomials of r factors, |z| <= 1.1 on an inflated box) errs by
            # at most (n + r) units of rounding times sum |c_m| |prod z| (Higham, *Accuracy and Stability of
            # Numerical Algorithms*, 2002, section 3.1); reading the payoffs as doubles adds one unit more.
            n, r = K // (self.d.get(i, 0) + 1), len(self.others[i])
            tol.append(ROUNDING_SAFETY * (n + r + 2) * 2.0**-53 * 1.1**r * max(1.0, float(np.abs(C).sum())))
        self.eq_tol = np.array([tol[i] for i in self.mixed for _ in range(self.d[i])])
        self.exact_eq = exact_eq
        # F: the payoff differences u_i(s) - u_i(s0); J: d/dz_jk maps the monomials with entry k + 1
        # of (1, z_j) to the same monomials with entry 0 (the column of W for equation e, unknown c
        # is D + e * D + c).
        D = self.D
        eq = np.concatenate([self.pay[i][:, list(S[i][1:])] - self.pay[i][:, [S[i][0]]] for i in self.mixed], axis=1)
        W = np.zeros((K, D + D * D))
        W[:, :D] = eq
        where = {g: n for n, g in enumerate(self.grid)}
        for j in self.mixed:
            for k in range(1, self.d[j] + 1):
                src = [n for n, g in enumerate(self.grid) if g[place[j]] == k]
                dst = [where[g[: place[j]] + (0,) + g[place[j] + 1 :]] for g in (self.grid[n] for n in src)]
                W[np.ix_(dst, D + np.arange(D) * D + self.offset[j] + k - 1)] += eq[src]
        self.W = W
        self.corner_bits = {d: _corners(d) for d in set(self.d.values())}
        # which side of the box each coordinate takes at each corner, in the order of corner_values
        self.corner_bit = np.array(
            [np.concatenate(c) for c in itertools.product(*[self.corner_bits[self.d[j]] for j in self.mixed])]
        )
        # per unknown k, the corners on its face z_k = lo_k (then on z_k = hi_k) as flat indices into a
        # (D, corners) array: half of the corners lie on each face
        n = len(self.corner_bit)
        self.face_corners = [
            np.array([np.flatnonzero(self.corner_bit[:, k] == side) + k * n for k in range(D)]) for side in (0, 1)
        ]

    # ------------------------------------------------------------ evaluation
    def monomials(self, Z: np.ndarray) -> np.ndarray:
        """(P, K): every product of one entry of (1, z_j) per mixing player, in the order of ``self.grid``."""
        P = Z.shape[0]
        M = np.ones((P, 1))
        for j in self.mixed:
            o, d = self.offset[j], self.d[j]
            V = np.concatenate([np.ones((P, 1)), Z[:, o : o + d]], axis=1)
            M = (M[:, :, None] * V[:, None, :]).reshape(P, -1)
        return M

    def FJ(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The equations (P, D) and the Jacobian (P, D, D) at the points ``Z``, in one product."""
        out = self.monomials(Z) @ self.W
        return out[:, : self.D], out[:, self.D :].reshape(Z.shape[0], self.D, self.D)

    def corner_values(self, lo: np.ndarray, hi: np.ndarray, jacobian: bool) -> np.ndarray:
        """F (and J, flattened, if asked) at every corner of each box ``[lo, hi]``: shape (P, 2**D, columns).

        The coefficients are a tensor with one axis of length ``d_j + 1`` per
        mixing player (the grid of monomials); contracting those axes one at a
        time with each player's corner values ``(1, z_j)`` costs about ``D`` times
        fewer operations than evaluating every monomial at every corner. Each
        contraction is ``d_j`` broadcast multiply-adds (measured 2-3x faster
        than ``einsum`` for the F columns at 16-256 boxes). The corners come out
        in some fixed order, which the ranges do not need.
        """
        W = self.W if jacobian else self.W[:, : self.D]
        P = lo.shape[0]
        T = W.reshape(1, 1, 1, -1)  # (boxes, corners so far, 1, remaining monomials x columns)
        for j in self.mixed:
            o, d = self.offset[j], self.d[j]
            bits = self.corner_bits[d]
            values = lo[:, None, o : o + d] + bits[None, :, :] * (hi - lo)[:, None, o : o + d]  # (P, 2**d, d)
            T = T.reshape(T.shape[0], T.shape[1], d + 1, -1)
            out = T[:, :, None, 0, :] + values[:, None, :, 0, None] * T[:, :, None, 1, :]
            for k in range(2, d + 1):
                out += values[:, None, :, k - 1, None] * T[:, :, None, k, :]
            T = out.reshape(P, -1, out.shape[-1])
        return T

    def F(self, Z: np.ndarray) -> np.ndarray:
        """The D equations ``u_i(s) - u_i(s0)`` at the points ``Z`` (P, D)."""
        return self.monomials(Z) @ self.W[:, : self.D]

    def J(self, Z: np.ndarray) -> np.ndarray:
        """The Jacobian (P, D, D) at the points ``Z``: d equation / d unknown."""
        return self.FJ(Z)[1]

    def F_exact(self, z: np.ndarray) -> np.ndarray:
        """The equations at one point, evaluated exactly and then rounded once.

        The coordinates are binary fractions ``n / 2**L`` over one common
        power of two, so every monomial is an integer over ``2**(L * players)``
        and the equations are integers until the one correctly rounded division.
        """
        ratios = [float(x).as_integer_ratio() for x in z]
        L = max(den.bit_length() - 1 for _, den in ratios)
        scaled = [num << (L - den.bit_length() + 1) for num, den in ratios]
        vectors = {j: [1 << L] + scaled[self.offset[j] : self.offset[j] + self.d[j]] for j in self.mixed}
        mono = [math.prod(vectors[j][k] for j, k in zip(self.mixed, g)) for g in self.grid]
        den = 1 << (L * len(self.mixed))
        return np.array(
            [sum(c * m for c, m in zip(row, mono) if c) / (den * b) for row, b in zip(self.exact_eq, self.eq_scale)]
        )

    def payoffs(self, i: int, Z: np.ndarray) -> np.ndarray:
        """Player i's payoff of each of its strategies (P, n_i) at the points ``Z``."""
        return self.monomials(Z) @ self.pay[i]

    def regret(self, z: np.ndarray) -> float:
        """Largest gain from deviating at ``z``, in units of each player's largest absolute payoff."""
        worst = -math.inf
        for i in range(self.N):
            pay = self.payoffs(i, z[None, :])[0]
            worst = max(worst, pay.max() - pay[list(self.S[i])].max())
        return worst

    def profile(self, z: np.ndarray) -> tuple:
        prof = []
        for i in range(self.N):
            row = [0.0] * self.shape[i]
            if i in self.d:
                o, d = self.offset[i], self.d[i]
                probs = list(z[o : o + d]) + [1.0 - float(z[o : o + d].sum())]
                for s, p in zip(self.S[i], probs):
                    row[s] = float(p)
            else:
                row[self.S[i][0]] = 1.0
            prof.append(tuple(row))
        return tuple(prof)


def _affine_coefficients(block: np.ndarray, axis: int) -> np.ndarray:
    """Payoffs along ``axis`` (a mixing opponent's strategies) as coefficients over its ``(1, z)``.

    With ``sigma = (z_0, ..., z_(n-2), 1 - sum z)``, ``sum_s b_s sigma_s`` has
    constant term ``b_(n-1)`` and coefficient ``b_k - b_(n-1)`` on ``z_k``.
    """
    n = block.shape[axis]
    last = np.take(block, [n - 1], axis=axis)
    return np.concatenate([last, np.take(block, range(n - 1), axis=axis) - last], axis=axis)


def _outer_index(arr, idx, own_axis: int):
    """``arr`` indexed by ``idx`` (lists, ints or slices per axis) as an outer product, own axis first."""
    out = arr
    axis = 0
    for ix in idx:
        if isinstance(ix, int):
            out = out.take(ix, axis=axis)
        else:
            if isinstance(ix, list):
                out = out.take(ix, axis=axis)
            axis += 1
    own = sum(1 for k in range(own_axis) if not isinstance(idx[k], int))
    return np.moveaxis(out, own, 0)


# --------------------------------------------------------------------------- the search


def _corners(D: int) -> np.ndarray:
    return np.array(list(itertools.product((0.0, 1.0), repeat=D)))


def _ranges(sysm: _System, lo: np.ndarray, hi: np.ndarray, jacobian: bool):
    """Exact (up to rounding) ranges of F, and of J if asked, over each box: min and max over its corners."""
    P, D = lo.shape
    values = sysm.corner_values(lo, hi, jacobian)
    low, high = values.min(axis=1), values.max(axis=1)
    if not jacobian:
        return [low, high]
    return [low[:, :D], high[:, :D], low[:, D:].reshape(P, D, D), high[:, D:].reshape(P, D, D)]


def _krawczyk(sysm: _System, lo: np.ndarray, hi: np.ndarray, exact_centre: bool = False):
    """For each box: (passed, centre of K(X), half-width of K(X)). ``passed`` proves one solution in the box.

    With ``exact_centre`` (one box) the equations at the centre are evaluated
    exactly, so that their rounding does not limit how small a box can be certified.
    """
    P, D = lo.shape
    eps = 2.0**-52
    m = 0.5 * (lo + hi)
    r = np.maximum(hi - m, m - lo) + 2 * eps * np.abs(m)  # X - m lies in [-r, r] despite rounding
    _, _, Jlo, Jhi = _ranges(sysm, lo, hi, jacobian=True)
    Fm, Jm = sysm.FJ(m)
    if exact_centre:
        Fm = sysm.F_exact(m[0])[None, :]
        f_err = eps * np.abs(Fm) + 1e-300
    else:
        f_err = np.broadcast_to(sysm.eq_tol, Fm.shape)
    passed = np.zeros(P, dtype=bool)
    centre = m.copy()
    half = np.full_like(m, np.inf)
    det = np.linalg.det(Jm)
    ok = np.isfinite(det) & (np.abs(det) > 1e-300)
    if not ok.any():
        return passed, centre, half
    Y = np.zeros_like(Jm)
    Y[ok] = np.linalg.inv(Jm[ok])
    absY = np.abs(Y)
    eq_tol = sysm.eq_tol
    Jc = 0.5 * (Jlo + Jhi)
    Jr = 0.5 * (Jhi - Jlo) + eq_tol[None, :, None]  # rounding of the corner values
    M = np.eye(D)[None, :, :] - Y @ Jc
    R = absY @ Jr
    step = -np.einsum("pij,pj->pi", Y, Fm)
    spread = np.einsum("pij,pj->pi", np.abs(M) + R, r) + np.einsum("pij,pj->pi", absY, f_err)
    # rounding of the matrix products (relative) and of m + step (absolute)
    spread += 1e-12 * (np.abs(step) + spread) + 4 * eps * (np.abs(m) + np.abs(step)) + 1e-300
    centre = m + step
    passed = ok & np.all((centre - spread > lo) & (centre + spread < hi), axis=1)
    return passed, centre, spread


def _polish(sysm: _System, z: np.ndarray) -> tuple[np.ndarray, float]:
    """Newton steps from z, then the smallest of a few boxes around the result in which Krawczyk certifies the root."""
    for _ in range(8):
        Fz, Jz = (v[0] for v in sysm.FJ(z[None, :]))
        try:
            dz = np.linalg.solve(Jz, Fz)
        except np.linalg.LinAlgError:
            break
        z = z - dz
        if np.max(np.abs(dz)) < 1e-16:
            break
    for rho in (ACCURACY, 1e-11, 1e-10, 1e-9, 1e-8):
        lo, hi = (z - rho)[None, :], (z + rho)[None, :]
        passed, centre, half = _krawczyk(sysm, lo, hi, exact_centre=True)
        if passed[0]:
            return centre[0], float(half[0].max())
    return z, math.inf


def _inside(sysm: _System, z: np.ndarray, rho: float) -> int:
    """+1 if the ball z +- rho lies strictly inside the support's simplices, -1 if wholly outside, 0 if unclear."""
    verdict = 1
    for j in sysm.mixed:
        o, d = sysm.offset[j], sysm.d[j]
        part = z[o : o + d]
        probs = list(part) + [1.0 - part.sum()]
        margins = [rho] * d + [d * rho]
        for p, m in zip(probs, margins):
            if p + m < 0:
                return -1
            if p - m <= 0:
                verdict = 0
    return verdict


def solve_support_boxes(U, S, mixed, shape, deadline: float | None, max_boxes: int = 20_000) -> BoxResult:
    """Every solution of one support's indifference equations in the open simplices, certified (see module doc).

    ``U`` are the integer payoffs (object array, one per player), ``S`` the
    support profile and ``mixed`` the players with more than one strategy in
    it. Returns the full profiles of the solutions that are equilibria (no
    strategy outside the support earns more beyond the rounding allowance),
    or ``unresolved`` with the reason when the search could not be completed.
    """
    res = BoxResult()
    sysm = _System(U, S, mixed, shape)
    res.unresolved = _refusal(sysm)
    if res.unresolved:
        return res
    roots: list[np.ndarray] = []
    stack_lo = [np.zeros((1, sysm.D))]
    stack_hi = [np.ones((1, sysm.D))]
    while stack_lo:
        if deadline is not None and time.perf_counter() > deadline:
            res.unresolved = "time limit reached during subdivision"
            return res
        lo = np.concatenate(stack_lo)
        hi = np.concatenate(stack_hi)
        stack_lo, stack_hi = [], []
        if lo.shape[0] > BATCH:  # the rest waits for the next round
            stack_lo.append(lo[BATCH:])
            stack_hi.append(hi[BATCH:])
            lo, hi = lo[:BATCH], hi[:BATCH]
        res.boxes += lo.shape[0]
        if res.boxes > max_boxes:
            res.unresolved = f"more than {max_boxes:,} boxes"
            return res
        lo, hi = _within_simplices(sysm, lo, hi)
        if not lo.shape[0]:
            continue
        lo, hi, xlo, xhi, old_width = _not_excluded(sysm, lo, hi)
        if not lo.shape[0]:
            continue
        rest, krawczyk_lo, krawczyk_hi = _inclusion(sysm, res, roots, xlo, xhi)
        lo, hi, old_width = _contract(lo[rest], hi[rest], krawczyk_lo[rest], krawczyk_hi[rest], old_width[rest])
        if not lo.shape[0]:
            continue
        more_lo, more_hi = _next_boxes(res, lo, hi, old_width)
        stack_lo += more_lo
        stack_hi += more_hi
    return res


def _inclusion(sysm: _System, res: BoxResult, roots: list, xlo: np.ndarray, xhi: np.ndarray):
    """The Krawczyk test on the (inflated) boxes narrower than :data:`KRAWCZYK_WIDTH`.

    Records the solutions it proves. Returns the mask of the boxes not
    settled and, for every box, the Krawczyk box ``K(X)`` (the box itself if
    not tried) that holds all its solutions.
    """
    narrow = (xhi - xlo).max(axis=1) <= KRAWCZYK_WIDTH
    krawczyk_lo, krawczyk_hi = xlo.copy(), xhi.copy()
    rest = np.ones(xlo.shape[0], dtype=bool)
    if narrow.any():
        nlo, nhi = xlo[narrow], xhi[narrow]
        passed, centre, half = _krawczyk(sysm, nlo, nhi)
        for k in np.flatnonzero(passed):
            _add_root(sysm, res, roots, centre[k], nlo[k], nhi[k])
        krawczyk_lo[narrow], krawczyk_hi[narrow] = centre - half, centre + half
        rest[narrow] = ~passed
    return rest, krawczyk_lo, krawczyk_hi


def _refusal(sysm: _System) -> str | None:
    """Why subdivision is not even attempted on this system, or None."""
    if sysm.D > MAX_BOX_UNKNOWNS:
        return f"{sysm.D} unknowns: too many for subdivision"
    if not sysm.finite:
        return "payoffs too large for floating point"
    if any(not any(row) for row in sysm.exact_eq):
        return "an indifference equation holds identically: a continuum of solutions"
    return None


def _within_simplices(sysm: _System, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop the boxes whose every point gives some mixing player a non-positive last probability."""
    keep = np.ones(lo.shape[0], dtype=bool)
    for j in sysm.mixed:
        o, d = sysm.offset[j], sysm.d[j]
        keep &= lo[:, o : o + d].sum(axis=1) < 1.0
    return lo[keep], hi[keep]


def _not_excluded(sysm: _System, lo: np.ndarray, hi: np.ndarray):
    """The boxes that may hold a solution, narrowed: ``(lo, hi, xlo, xhi, old_width)``.

    A box is dropped when some equation keeps a strict sign on it, or some
    combination ``Y F`` does (see :func:`_preconditioned`), which also narrows
    the boxes kept. ``xlo, xhi`` are the kept boxes inflated a little (a
    solution on a cut between two boxes is then inside both), ``old_width``
    their widest side before narrowing.
    """
    old_width = (hi - lo).max(axis=1)
    m, r = 0.5 * (lo + hi), 0.5 * (hi - lo) * _INFLATION
    xlo, xhi = m - r, m + r
    values = sysm.corner_values(xlo, xhi, False)
    Flo, Fhi = values.min(axis=1), values.max(axis=1)
    tol = sysm.eq_tol[None, :]
    kept = ~np.any((Flo > tol) | (Fhi < -tol), axis=1)
    lo, hi, xlo, xhi, old_width = lo[kept], hi[kept], xlo[kept], xhi[kept], old_width[kept]
    if lo.shape[0]:
        scale = np.maximum(np.abs(Flo[kept]), np.abs(Fhi[kept]))
        lo, hi, kept = _preconditioned(sysm, lo, hi, xlo, xhi, values[kept], scale)
        m, r = 0.5 * (lo + hi), 0.5 * (hi - lo) * _INFLATION
        lo, hi, xlo, xhi, old_width = lo[kept], hi[kept], (m - r)[kept], (m + r)[kept], old_width[kept]
    return lo, hi, xlo, xhi, old_width


def _preconditioned(sysm: _System, lo, hi, xlo, xhi, values, scale):
    """Exclusion and narrowing by the combinations ``G = Y F``, ``Y`` the inverse Jacobian at the box centre.

    ``G`` is multilinear too, so its exact range is again read off the
    corner ``values`` of F on the inflated box ``[xlo, xhi]``; near a regular
    solution ``G_k`` behaves like ``z_k - z*_k``. A box where some ``G_k``
    keeps a strict sign is dropped. Otherwise ``G_k``, affine in ``z_k``,
    runs between its values ``a`` on the face ``z_k = xlo_k`` and ``b`` on the
    face ``z_k = xhi_k`` (each a range read off that face's corners): where
    ``a > 0``, a zero needs ``b < 0`` and lies at a fraction at least
    ``min a / (min a - min b)`` of the way across, and likewise from the other
    face and for ``a < 0``. ``scale`` bounds ``|F|`` on each box (for the
    rounding allowance). Returns the narrowed ``lo, hi`` and the mask of the
    boxes kept.
    """
    P = lo.shape[0]
    m = 0.5 * (xlo + xhi)
    _, Jm = sysm.FJ(m)
    det = np.linalg.det(Jm)
    ok = np.isfinite(det) & (np.abs(det) > 1e-300)
    kept = np.ones(P, dtype=bool)
    if not ok.any():
        return lo, hi, kept
    Y = np.linalg.inv(Jm[ok])
    G = values[ok] @ Y.transpose(0, 2, 1)  # (boxes, corners, combinations)
    absY = np.abs(Y)
    tol = absY @ sysm.eq_tol + 1e-12 * np.einsum("pij,pj->pi", absY, scale[ok]) + 1e-300
    # G_k on the faces z_k = xlo_k (a) and z_k = xhi_k (b): (boxes, combinations, corners of the face), gathered
    # at once (4-5x faster than masking G for each of the four ranges)
    G = G.transpose(0, 2, 1).reshape(G.shape[0], -1)
    a, b = G[:, sysm.face_corners[0]], G[:, sysm.face_corners[1]]
    a_min, a_max = a.min(axis=2) - tol, a.max(axis=2) + tol
    b_min, b_max = b.min(axis=2) - tol, b.max(axis=2) + tol
    kept[ok] = ~np.any((np.minimum(a_min, b_min) > 0) | (np.maximum(a_max, b_max) < 0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_low = np.where((a_min > 0) & (b_min < 0), a_min / (a_min - b_min), 0.0)
        from_low = np.where((a_max < 0) & (b_max > 0), a_max / (a_max - b_max), from_low)
        from_high = np.where((b_min > 0) & (a_min < 0), b_min / (b_min - a_min), 0.0)
        from_high = np.where((b_max < 0) & (a_max > 0), b_max / (b_max - a_max), from_high)
    bx_lo, bx_hi = xlo[ok], xhi[ok]
    width = bx_hi - bx_lo
    slack = 1e-12 * width + 4 * 2.0**-52 * np.maximum(np.abs(bx_lo), np.abs(bx_hi))
    new_lo, new_hi = lo.copy(), hi.copy()
    new_lo[ok] = np.maximum(lo[ok], bx_lo + from_low * width - slack)
    new_hi[ok] = np.minimum(hi[ok], bx_hi - from_high * width + slack)
    kept &= np.all(new_lo <= new_hi, axis=1)
    return new_lo, new_hi, kept


def _add_root(sysm: _System, res: BoxResult, roots: list[np.ndarray], centre, xlo, xhi) -> None:
    """Polish the one solution Krawczyk proved in a box; report it if it is new, inside the support and an equilibrium.

    ``roots`` are the solutions met so far (reported or not), so that a
    solution certified again from a neighbouring box counts once.
    """
    z, rho = _polish(sysm, centre)
    if not math.isfinite(rho):
        z, rho = centre, float(0.5 * (xhi - xlo).max())
    if any(np.max(np.abs(z - q)) <= max(rho, 1e-9) for q in roots):
        return  # the same solution, certified from a neighbouring box
    roots.append(z)
    where = _inside(sysm, z, rho)
    if where == 0:
        res.unresolved = res.unresolved or "a solution lies within its certified error of the support's boundary"
        return
    if where < 0:
        return
    res.radius = max(res.radius, rho)
    if sysm.regret(z) <= MAX_REGRET:
        res.profiles.append(sysm.profile(z))


def _contract(lo, hi, klo, khi, old_width) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each box X intersected with Krawczyk's box K(X) = [klo, khi], which holds every solution in X.

    Drops the boxes where the intersection is empty; returns the others with
    the width each had at the start of the round (``old_width``).
    """
    lo = np.maximum(lo, klo)
    hi = np.minimum(hi, khi)
    alive = np.all(lo <= hi, axis=1)
    return lo[alive], hi[alive], old_width[alive]


def _next_boxes(res: BoxResult, lo: np.ndarray, hi: np.ndarray, old_width: np.ndarray) -> tuple[list, list]:
    """The boxes to examine next: those that contracted well as they are, the others cut in two.

    A box that has reached :data:`MIN_WIDTH` without being settled is
    dropped and makes the support unresolved.
    """
    more_lo: list[np.ndarray] = []
    more_hi: list[np.ndarray] = []
    width = hi - lo
    shrunk = width.max(axis=1) <= 0.5 * old_width
    if shrunk.any():  # contracted well: try again before cutting
        more_lo.append(lo[shrunk])
        more_hi.append(hi[shrunk])
        lo, hi, width = lo[~shrunk], hi[~shrunk], width[~shrunk]
        if not lo.shape[0]:
            return more_lo, more_hi
    tiny = width.max(axis=1) < MIN_WIDTH
    if tiny.any():
        res.unresolved = res.unresolved or "a singular solution or a continuum (boxes shrank to the size limit)"
        lo, hi, width = lo[~tiny], hi[~tiny], width[~tiny]
        if not lo.shape[0]:
            return more_lo, more_hi
    cuts = max(1, min(lo.shape[1], int(math.log2(max(1.0, SPLIT_TARGET / lo.shape[0])))))
    for _ in range(cuts):
        lo, hi = _bisect(lo, hi)
    return more_lo + [lo], more_hi + [hi]


def _bisect(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every box cut in two across its widest side (at :data:`_SPLIT_AT`)."""
    width = hi - lo
    axis = width.argmax(axis=1)
    rows = np.arange(lo.shape[0])
    cut = lo[rows, axis] + _SPLIT_AT * width[rows, axis]
    left_hi = hi.copy()
    left_hi[rows, axis] = cut
    right_lo = lo.copy()
    right_lo[rows, axis] = cut
    return np.concatenate([lo, right_lo]), np.concatenate([left_hi, hi])
