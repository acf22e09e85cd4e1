"""The logit equations of a small game in plain Python floats, for :mod:`gametheory.solvers.logit`.

The path follower of :mod:`.logit` works with a handful of vectors and one
square matrix of order ``M + 1`` (``M`` = total number of strategies). With
numpy every operation costs about a microsecond however small its operands,
and a step needs some hundred of them, so on a 2x2 game (``M = 4``) that fixed
cost is nearly all the time (and most of it up to 4x5 and 3x3x3 games). :class:`SmallBranch` has the interface of
``logit._Branch`` (the equations ``H``, their Jacobian and the vector
operations the follower uses) on Python lists instead, and
the augmented Jacobian is inverted once per step, by :class:`GaussJordan`
in Python for the smallest games, by numpy (:class:`Augmented`, here as both
branches use it) from order 7 on. Same equations, same steps: the branch
followed is the same, only the arithmetic differs by rounding.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
from collections.abc import Sequence
from operator import mul

import numpy as np

#: Two-player games with at most this many strategies in all use the plain-Python branch (measured
#: in CPU time, small branch / numpy branch in one run, with numpy's inversion from order 7 on: 4x4 0.89,
#: 4x5 0.95, 5x5 1.02; with Gauss-Jordan at every order the crossover was at 3x4).
MAX_STRATEGIES = 9


#: Games of three or more players with at most this many strategies in all use it too (measured the
#: same way: 2x2x3 0.89, 2x3x3 0.92, 2x2x2x2 0.78, 3x3x3 0.95, 2x2x2x2x2 0.84).
MAX_STRATEGIES_MANY = 10

#: Largest order of the augmented Jacobian inverted by :class:`GaussJordan` in Python; larger ones by numpy
#: (:class:`SmallAugmented`). Measured in one run: a 2x2 game (order 5) was traced 13% slower with numpy's
#: inversion, 3x3 and 2x2x2 games (order 7) 0-7% faster.
MAX_GAUSS_JORDAN = 6


def fits(shape: Sequence[int]) -> bool:
    """Whether a game of this shape is small enough for :class:`SmallBranch` to be the faster one."""
    return len(shape) >= 2 and sum(shape) <= (MAX_STRATEGIES if len(shape) == 2 else MAX_STRATEGIES_MANY)


class SmallBranch:
    """``H(y, lambda) = 0`` for one small game: the same rows and unknowns as ``logit._Branch``.

    Rows: for each player ``i`` its sum-to-one equation, then one logit-ratio
    equation per strategy ``k >= 1``. Unknowns: the log-probabilities of every
    strategy, then ``lambda``.
    """

    def __init__(self, values: np.ndarray, shape: Sequence[int]):
        self.sizes = tuple(shape)
        self.n = len(shape)
        self.offsets = [0]
        for m in shape:
            self.offsets.append(self.offsets[-1] + m)
        self.M = self.offsets[-1]
        if self.n == 2:
            self.tables = (values[0].tolist(), values[1].T.tolist())  # A and B transposed
            return
        # Three or more players: each table with the kept players' axes first, the rest flattened (C order)
        players = range(self.n)
        self.values = values
        self.single_others = [[k for k in players if k != i] for i in players]
        self.pairs = [(i, j) for i in players for j in players if i != j]
        self.pair_others = [[k for k in players if k not in (i, j)] for i, j in self.pairs]
        self.pair_matrix = self._pair_matrix(values)

    @functools.cached_property
    def single(self) -> list[list[list[float]]]:
        """Each player's table, own strategies first, the others' profiles flattened (built at first use: the
        Newton polish of :mod:`.logit` only asks for derivatives)."""
        return [self._table(self.values[i], [i]).tolist() for i in range(self.n)]

    def _table(self, table: np.ndarray, kept: list[int]) -> np.ndarray:
        others = [k for k in range(self.n) if k not in kept]
        moved = np.transpose(table, [*kept, *others])
        return moved.reshape(*(self.sizes[k] for k in kept), -1)

    def _pair_matrix(self, values: np.ndarray) -> np.ndarray:
        """All derivative tables in one block-diagonal matrix: pair ``(i, j)``'s block has a row per cell ``(k, m)``
        (padded to the largest player's square, so that one reshape of the product nests every block) and a column
        per profile of the other players, multiplied by their joint distribution.

        One matrix product and one ``tolist`` instead of a Python dot product per cell: measured (same process,
        alternating), the payoffs and derivatives of a 2x2x2 game in 0.58 of the time, 2x2x3 0.64, 3x3x3 0.37,
        2x2x2x2x2 0.43.
        """
        side = max(self.sizes)
        blocks = []
        for i, j in self.pairs:
            table = self._table(values[i], [i, j])
            padded = np.zeros((side, side, table.shape[-1]))
            padded[: self.sizes[i], : self.sizes[j]] = table
            blocks.append(padded.reshape(side * side, -1))
        matrix = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)))
        row = column = 0
        for b in blocks:
            matrix[row : row + b.shape[0], column : column + b.shape[1]] = b
            row, column = row + b.shape[0], column + b.shape[1]
        return matrix

    @staticmethod
    def _joint(probs: list[list[float]], others: list[int]) -> list[float]:
        """The others' joint distribution, flattened in C order (a single other player's own list, not a copy)."""
        if not others:
            return [1.0]
        joint = probs[others[0]]
        for k in others[1:]:
            joint = [a * b for a in joint for b in probs[k]]
        return joint

    def start(self) -> list[float]:
        """The centroid at lambda = 0."""
        x = []
        for m in self.sizes:
            x += [-math.log(m)] * m
        return x + [0.0]

    def payoffs(self, probs: list[list[float]], derivatives: bool = True):
        """``u[i][k]``, and ``d[i][j] = du_i / dp_j`` (i != j): for two players the payoff matrices ``A`` and ``B^T``."""
        if self.n != 2:
            return self._payoffs_many(probs, derivatives)
        A, Bt = self.tables
        u = [[sum(map(mul, row, probs[1])) for row in A], [sum(map(mul, row, probs[0])) for row in Bt]]
        return u, [[None, A], [Bt, None]]

    def _payoffs_many(self, probs: list[list[float]], derivatives: bool):
        """The same for three or more players (``d`` only with ``derivatives``): ``d[i][j][k][m]`` is ``i``'s
        payoff when ``i`` plays ``k`` and ``j`` plays ``m``, averaged over the rest's mixes."""
        if not derivatives:
            joints = [self._joint(probs, others) for others in self.single_others]
            return [[sum(map(mul, row, q)) for row in W] for W, q in zip(self.single, joints)], None
        n, sizes = self.n, self.sizes
        joints = np.array(list(itertools.chain.from_iterable([self._joint(probs, o) for o in self.pair_others])))
        side = max(sizes)
        blocks = (self.pair_matrix @ joints).reshape(-1, side, side).tolist()
        d: list[list] = [[None] * n for _ in range(n)]
        for (i, j), block in zip(self.pairs, blocks):
            d[i][j] = block if sizes[i] == sizes[j] == side else [row[: sizes[j]] for row in block[: sizes[i]]]
        u = [[sum(map(mul, row, probs[1 if i == 0 else 0])) for row in d[i][1 if i == 0 else 0]] for i in range(n)]
        return u, d

    def value_and_jacobian(self, x: list[float], jacobian: bool = True):
        """``H(x)``, the Jacobian (a list of rows, or None), the payoffs ``u`` and the probabilities."""
        lam = x[-1]
        flat = [math.exp(v) if v < 700.0 else math.inf for v in x[:-1]]  # capped: math.exp raises past 709
        off = self.offsets
        probs = [flat[off[i] : off[i + 1]] for i in range(self.n)]
        u, d = self.payoffs(probs, jacobian)
        H = []
        J: list[list[float]] | None = [] if jacobian else None
        width = self.M + 1
        for i in range(self.n):
            o, m = off[i], self.sizes[i]
            H.append(sum(probs[i]) - 1.0)
            if J is not None:
                row = [0.0] * width
                row[o : o + m] = probs[i]
                J.append(row)
            for k in range(1, m):
                gap = u[i][k] - u[i][0]
                H.append(x[o + k] - x[o] - lam * gap)
                if J is not None:
                    row = [0.0] * width
                    row[o + k] = 1.0
                    row[o] = -1.0
                    row[-1] = -gap
                    for j in range(self.n):
                        if j != i:
                            dk, d0, pj, oj = d[i][j][k], d[i][j][0], probs[j], off[j]
                            for c in range(self.sizes[j]):
                                row[oj + c] = -lam * (dk[c] - d0[c]) * pj[c]
                    J.append(row)
        return H, J, u, probs

    # ------------------------------------------------------------ what the follower needs of vectors
    @staticmethod
    def augmented(J: list[list[float]], t: list[float]) -> SmallAugmented | GaussJordan:
        return GaussJordan(J, t) if len(t) <= MAX_GAUSS_JORDAN else SmallAugmented(J, t)

    def lambda_axis(self) -> list[float]:
        """The unit vector of ``lambda``."""
        return [0.0] * self.M + [1.0]

    @staticmethod
    def along(x: list[float], h: float, t: list[float]) -> list[float]:
        """``x + h t``."""
        return [a + h * b for a, b in zip(x, t)]

    @staticmethod
    def minus(x: list[float], step: list[float]) -> list[float]:
        return [a - b for a, b in zip(x, step)]

    @staticmethod
    def norm(v: list[float]) -> float:
        return math.hypot(*v)

    @staticmethod
    def finite(*vectors) -> bool:
        """Whether every entry of the vectors (or lists of vectors / rows) is finite."""
        for v in vectors:
            flat = itertools.chain.from_iterable(v) if v and isinstance(v[0], list) else v
            if not all(map(math.isfinite, flat)):
                return False
        return True

    @staticmethod
    def dot(a: list[float], b: list[float]) -> float:
        return sum(map(mul, a, b))

    @staticmethod
    def largest(x: list[float]) -> float:
        return max(abs(a) for a in x)

    @staticmethod
    def regret(probs: list[list[float]], u: list[list[float]]) -> float:
        """Largest regret of any player (in the units of ``u``)."""
        return max(max(ui) - sum(p * v for p, v in zip(pi, ui)) for pi, ui in zip(probs, u))

    @staticmethod
    def quiet() -> contextlib.nullcontext:
        """Plain floats overflow to inf without warnings (the exponential is capped): nothing to silence."""
        return contextlib.nullcontext()


def _inverse_and_sign(A: np.ndarray) -> tuple[np.ndarray, float]:
    """``(A^-1, sign det A)`` of a finite square matrix, by numpy; LinAlgError when ``A`` is singular."""
    sign, _ = np.linalg.slogdet(A)
    if sign == 0:
        raise np.linalg.LinAlgError("singular augmented Jacobian")
    return np.linalg.inv(A), float(sign)


class Augmented:
    """The augmented Jacobian ``A = [H'(x); t^T]`` (square, order M + 1), inverted.

    With ``t`` the previous tangent, ``A`` is regular near a regular point of
    the curve, and it gives everything one step needs (Allgower & Georg 2003,
    sec. 2.1 and 3.3):

    * the new tangent, ``A^-1 e_{M+1}`` normalised (null vector of ``H'``, with
      a positive component along ``t``);
    * Newton corrections ``A^-1 [H; 0]``, perpendicular to ``t``;
    * the orientation ``sign det A``: a regular curve keeps it all along, so a
      change of sign means the step turned back or crossed a bifurcation.

    The matrices are small (one row per strategy), so ``A`` is inverted once
    with numpy and every solve is a product with the inverse; the sign of the
    determinant comes from ``slogdet``. (LAPACK's LU through scipy would do
    the same work but costs a quarter of a second to import, which every
    ``solve`` would pay for its logit-selection fact.)
    """

    def __init__(self, J: np.ndarray, t: np.ndarray):
        A = np.empty((J.shape[0] + 1, J.shape[1]))
        A[:-1] = J
        A[-1] = t
        if not np.all(np.isfinite(A)):
            raise np.linalg.LinAlgError("augmented Jacobian not finite")
        self.inverse, self.sign = _inverse_and_sign(A)
        # 1 / ||A^-1||_inf: the scale below which A cannot tell directions apart (for the noise estimate)
        self.smallest_pivot = 1.0 / float(np.abs(self.inverse).sum(axis=1).max())
        w = self.inverse[:, -1].copy()
        self.tangent = w / math.sqrt(float(w @ w))
        self._first = self.inverse[:, :-1]  # the columns that multiply H (the last entry of [H; 0] is 0)

    def correction(self, H: np.ndarray) -> np.ndarray:
        """``A^-1 [H; 0]``."""
        return self._first @ H


class _ListInverse:
    """What :class:`SmallAugmented` and :class:`GaussJordan` share once ``A^-1`` is a list of rows: the same
    quantities as :class:`Augmented` (``smallest_pivot`` is ``1 / ||A^-1||_inf``, ``tangent`` the normalised last
    column of ``A^-1``), on lists."""

    def _finish(self, inverse: list[list[float]], sign: float) -> None:
        self.inverse = inverse
        self.sign = sign
        self.smallest_pivot = 1.0 / max(sum(map(abs, r)) for r in inverse)
        w = [r[-1] for r in inverse]
        size = math.hypot(*w)
        self.tangent = [v / size for v in w]

    def correction(self, H: list[float]) -> list[float]:
        """``A^-1 [H; 0]``: a Newton correction perpendicular to the previous tangent."""
        return [sum(map(mul, r, H)) for r in self.inverse]  # H is one shorter: its last entry is 0


class SmallAugmented(_ListInverse):
    """:class:`Augmented` for the list-based branch: inverted by numpy, the inverse and the tangent handed back as lists.

    numpy's one ``inv`` and one ``slogdet`` beat Gauss-Jordan elimination in
    Python from order 7 on (measured: 18 against 58 microseconds at order 7, a
    2x2x2 game's), while the rest of a step stays faster on lists: the matrix is
    converted once, and the norms and the tangent are taken on the inverse's
    rows (measured, alternating with :class:`Augmented` on the converted lists:
    0.78 of its time at order 7, 0.84 at 9, 0.89 at 11).
    """

    def __init__(self, J: list[list[float]], t: list[float]):
        A = np.array([*J, t])
        if not math.isfinite(A.sum()):  # entries far below the largest float: finite exactly when the sum is
            raise np.linalg.LinAlgError("augmented Jacobian not finite")
        inverse, sign = _inverse_and_sign(A)
        self._finish(inverse.tolist(), sign)


class GaussJordan(_ListInverse):
    """``A = [H'(x); t^T]`` inverted by Gauss-Jordan elimination in Python: the same quantities as :class:`Augmented`,
    faster on the smallest games (order up to :data:`MAX_GAUSS_JORDAN`), where numpy's conversions dominate.

    ``sign`` is the sign of ``det A`` (the product of the pivots' signs and of
    the row exchanges), ``smallest_pivot`` is ``1 / ||A^-1||_inf``, and
    ``tangent`` the normalised last column of ``A^-1``.
    """

    def __init__(self, J: list[list[float]], t: list[float]):
        a = [list(r) for r in J] + [list(t)]
        n = len(a)
        sign = 1.0
        exchanges = []
        # In place: column c of the inverse takes the place of column c of A as it is eliminated
        # (half the width of eliminating [A | I]); the row exchanges become column exchanges at the end.
        for c in range(n):
            p, size = c, abs(a[c][c])
            for r in range(c + 1, n):
                if abs(a[r][c]) > size:
                    p, size = r, abs(a[r][c])
            pivot = a[p][c]
            if not (pivot != 0.0 and math.isfinite(pivot)):
                raise np.linalg.LinAlgError("singular or non-finite augmented Jacobian")
            if p != c:
                a[c], a[p] = a[p], a[c]
                sign = -sign
            exchanges.append(p)
            if pivot < 0:
                sign = -sign
            inv = 1.0 / pivot
            row = a[c]
            row[c] = 1.0
            row_c = a[c] = [v * inv for v in row]
            for r in range(n):
                if r != c:
                    ar = a[r]
                    f = ar[c]
                    if f != 0.0:
                        ar[c] = 0.0
                        a[r] = [v - f * w for v, w in zip(ar, row_c)]
        for c in reversed(range(n)):
            p = exchanges[c]
            if p != c:
                for ar in a:
                    ar[c], ar[p] = ar[p], ar[c]
        if not all(map(math.isfinite, itertools.chain.from_iterable(a))):
            raise np.linalg.LinAlgError("augmented Jacobian not invertible in floating point")
        self._finish(a, sign)
