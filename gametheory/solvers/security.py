"""Security levels (maxmin values), and the exact linear programming they rest on.

Security level
--------------
The *security level* (maxmin value) of player ``i`` is the most ``i`` can
guarantee whatever the others do::

    v_i = max over mixed sigma_i of  min over the others' pure profiles a_-i  of  u_i(sigma_i, a_-i)

The inner minimum may range over *pure* profiles of the others: for fixed
``sigma_i``, ``u_i(sigma_i, s_-i)`` is multilinear in the others' mixed
strategies, so its minimum over the product of their simplices is attained at
a vertex of that product, i.e. at a pure profile. For any number of players
the security level is therefore one linear program (von Neumann's, as in
Osborne & Rubinstein 1994, section 2.5, or Maschler, Solan & Zamir 2013,
section 5.2)::

    maximise v  subject to  sum_k sigma_k u_i(k, a_-i) >= v  for every a_-i,
                            sum_k sigma_k = 1,  sigma >= 0.

Its dual is the opponents' side: a probability distribution ``y`` over the
others' pure profiles (a *correlated* punishment) minimising ``i``'s best
payoff. By LP duality (the minmax theorem) the two optima are equal, so the
pair (``sigma``, ``y``) certifies the value: ``sigma`` guarantees ``v`` and
``y`` holds ``i`` down to ``v``. For two players ``y`` is the opponent's
minmax mixed strategy; in a two-player zero-sum game ``v_0`` is the value of
the game and ``v_1 = -v_0``. With three or more players the independent
(uncorrelated) minmax can be higher than ``v_i``.

The linear programs are solved, exactly for exact games, by :mod:`.lp`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SolverError
from ..game import NormalFormGame, Number
from .lp import solve_lp

# ------------------------------------------------------------------ matrix games


@dataclass(frozen=True)
class MatrixGameSolution:
    """Value and optimal strategies of the zero-sum game in which the row player maximises.

    ``row`` guarantees the row player at least ``value`` against every column;
    ``column`` (a distribution over columns) holds every row to at most ``value``.
    """

    value: Number
    row: tuple[Number, ...]
    column: tuple[Number, ...]
    exact: bool


def solve_matrix_game(matrix: np.ndarray) -> MatrixGameSolution:
    """Solve ``max_sigma min_q sigma . matrix[:, q]`` (von Neumann's LP) and its dual.

    Exact (Fractions, certified) when ``matrix`` has object dtype, else floats.
    For floats the returned value is the guarantee of the returned row strategy,
    recomputed directly.
    """
    exact = matrix.dtype == object
    m, cols = matrix.shape
    # A saddle point (pure maxmin = pure minmax) solves the game without an LP:
    # the maximin row guarantees the value, the minimax column holds every row to it.
    row_worst, column_best = matrix.min(axis=1), matrix.max(axis=0)
    r, q = int(np.argmax(row_worst)), int(np.argmin(column_best))
    if row_worst[r] == column_best[q]:
        zero, one = (Fraction(0), Fraction(1)) if exact else (0.0, 1.0)
        row = tuple(one if j == r else zero for j in range(m))
        column = tuple(one if j == q else zero for j in range(cols))
        value = row_worst[r] if exact else float(row_worst[r])
        return MatrixGameSolution(value, row, column, exact)
    # Variables: sigma_0..sigma_{m-1}, v (free).  min -v  s.t.  v - sigma . M[:, q] <= 0.
    c = [0] * m + [-1]
    A_ub = [[-matrix[j, q] for j in range(m)] + [1] for q in range(cols)]
    res = solve_lp(c, A_ub, [0] * cols, [[1] * m + [0]], [1], free=[m], exact=exact)
    if res.status != "optimal":
        raise SolverError(f"matrix game LP is {res.status}, which is impossible for a finite game")
    if exact:
        return MatrixGameSolution(res.x[m], tuple(res.x[:m]), tuple(res.duals_ub), True)
    row = normalised(res.x[:m])
    column = normalised(res.duals_ub)
    value = float(np.min(np.asarray(row) @ np.asarray(matrix, dtype=float)))
    return MatrixGameSolution(value, row, column, False)


def normalised(p: Sequence[float]) -> tuple[float, ...]:
    """A float probability vector with round-off negatives clipped and the sum restored to 1."""
    arr = np.clip(np.asarray(p, dtype=float), 0.0, None)
    total = arr.sum()
    if total <= 0:
        raise SolverError("linear program returned an empty probability vector")
    return tuple(float(v) for v in arr / total)


def player_matrix(game: NormalFormGame, player: int) -> np.ndarray:
    """Player ``player``'s payoffs as a matrix: rows = own strategies, columns = the others' pure
    profiles in lexicographic (``np.ndindex``) order. Exact (object) when the game is exact."""
    arr = game.payoffs[player]
    return np.moveaxis(arr, player, 0).reshape(game.shape[player], -1)


# --------------------------------------------------------------------- security


@dataclass(frozen=True)
class Security:
    """What player ``player`` can guarantee alone.

    ``value`` and ``strategy``: the maxmin value and a mixed strategy that
    guarantees it against every profile of the others. ``pure_value`` and
    ``pure_strategy``: the best guarantee with a single pure strategy (first in
    file order on ties). ``punishment``: a distribution over the others' pure
    profiles, as ``((profile_of_others, probability), ...)`` with positive
    probabilities only, against which no strategy of the player earns more than
    ``value`` (for two players: the opponent's minmax strategy).
    """

    player: int
    value: Number
    strategy: tuple[Number, ...]
    pure_value: Number
    pure_strategy: int
    punishment: tuple[tuple[tuple[int, ...], Number], ...]
    exact: bool


def security_levels(game: NormalFormGame) -> tuple[Security, ...]:
    """Every player's security level (maxmin value), exact and certified for exact games.

    The value is verified directly: the strategy's worst payoff over the
    others' pure profiles equals ``value``, and so does the best payoff of any
    pure strategy against the punishment (exactly for exact games, within
    ``1e-9`` times the payoff scale otherwise).
    """
    from ..certify import FLOAT_TOLERANCE, scale

    out = []
    tol = 0 if game.exact else FLOAT_TOLERANCE * scale(game)
    for i in range(game.num_players):
        matrix = player_matrix(game, i)
        others = tuple(n for j, n in enumerate(game.shape) if j != i)
        sol = solve_matrix_game(matrix)
        mat = matrix if game.exact else np.asarray(matrix, dtype=float)
        zero = Fraction(0) if game.exact else 0.0
        guarantee = min(sum((p * mat[k, q] for k, p in enumerate(sol.row) if p), zero) for q in range(mat.shape[1]))
        cap = max(sum((y * mat[k, q] for q, y in enumerate(sol.column) if y), zero) for k in range(mat.shape[0]))
        if abs(guarantee - sol.value) > tol or abs(cap - sol.value) > tol:
            raise SolverError(f"internal error: security level of player {i} failed verification")
        worst = mat.min(axis=1)
        pure_strategy = int(next(k for k in range(mat.shape[0]) if worst[k] == worst.max()))
        profiles = list(np.ndindex(*others))
        punishment = tuple((tuple(int(a) for a in profiles[q]), y) for q, y in enumerate(sol.column) if y != 0)
        pure_value = worst[pure_strategy] if game.exact else float(worst[pure_strategy])
        out.append(Security(i, sol.value, tuple(sol.row), pure_value, pure_strategy, punishment, game.exact))
    return tuple(out)
