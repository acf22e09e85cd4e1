"""Dominated strategies, iterated elimination, and best responses.

Definitions (Osborne & Rubinstein 1994, section 4.2; Maschler, Solan & Zamir
2013, section 4.5). Let ``M[k, q]`` be player ``i``'s payoff from strategy
``k`` when the others play their pure profile ``q``. A mixed strategy
``sigma`` of player ``i`` (not using ``k``)

* *strictly dominates* ``k`` when ``sum_j sigma_j M[j, q] > M[k, q]`` for every ``q``;
* *weakly dominates* ``k`` when ``>=`` holds for every ``q`` and ``>`` for some ``q``.

Checking pure profiles ``q`` is enough: payoffs are linear in each opponent's
mixture, so a strategy better against every pure profile is better against
every mixed one too.

How it is decided
-----------------
1. *Filter*: a strategy that is a best response to some pure profile of the
   others cannot be strictly dominated (the dominator would have to beat the
   best payoff there); one that is the *unique* best response somewhere cannot
   even be weakly dominated. This exact test removes most candidates cheaply.
2. *Pure dominance* by direct comparison of rows (exact for exact games).
3. *Mixed dominance* by linear programming. With ``D[j, q] = M[j, q] - M[k, q]``
   (rows ``j != k``), ``k`` is strictly dominated iff the zero-sum game ``D``
   has a positive value: ``max_sigma min_q (sigma . D)[q] = eps > 0``. The LP
   is solved by :func:`.security.solve_matrix_game`; by the minmax theorem,
   ``eps <= 0`` comes with a belief over the others' profiles against which
   ``k`` is a best response (Pearce's lemma: strictly dominated = never a best
   response to a correlated belief). For weak dominance, when ``eps = 0`` a
   second LP maximises the total advantage ``sum_q (sigma . D)[q]`` subject to
   ``sigma . D >= 0``; ``k`` is weakly dominated iff that maximum is positive.

Exactness: for exact games the LPs run in floating point with HiGHS but their
optimum is recovered exactly and *certified* (an exact primal-dual pair with
equal objectives), or decided by an exact simplex when recovery fails; see
:func:`.lp.solve_lp`. So "dominated" and "not dominated" are exact
decisions even when the margin is tiny (``1e-13``). Every reported dominator
is then checked once more by direct rational arithmetic against every
profile of the others; a candidate that failed would not be reported. For
float games decisions use the tolerance ``1e-9`` times the payoff scale (as
:mod:`gametheory.certify`), and margins are recomputed from the reported
dominator.

When a pure dominator exists it is reported (easiest to explain), the one with
the largest margin; otherwise the LP's max-margin mixed dominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._limits import check_deadline
from ..certify import FLOAT_TOLERANCE, scale
from ..errors import InputError
from ..game import NormalFormGame, Number
from ..solution import fraction_text
from .lp import solve_lp
from .security import normalised, player_matrix, solve_matrix_game


@dataclass(frozen=True)
class Domination:
    """Strategy ``strategy`` of ``player`` is dominated by the mixed strategy ``dominator``.

    ``dominator[j]`` is the weight on the player's strategy ``j`` (a unit
    vector for a pure dominator; Fractions when ``exact``). Against the
    others' pure profiles, the dominator's payoff minus the strategy's payoff
    is at least ``margin`` everywhere (``margin > 0`` iff ``strict``) and at
    most ``gain`` (``gain > 0`` always: for weak dominance, the largest
    advantage somewhere).
    """

    player: int
    strategy: int
    strict: bool
    dominator: tuple[Number, ...]
    margin: Number
    gain: Number
    exact: bool

    @property
    def support(self) -> tuple[int, ...]:
        """The strategies the dominator uses."""
        return tuple(j for j, p in enumerate(self.dominator) if p > 0)

    @property
    def pure(self) -> bool:
        return len(self.support) == 1

    def describe(self, game: NormalFormGame) -> str:
        """One sentence for a report, e.g. ``"Row: B is strictly dominated by 1/2 T + 1/2 M (better by at least 1/2)"``.

        ``game`` is the game whose strategy indices this refers to (the
        original game for the steps of an :class:`Elimination`).
        """
        names = game.strategies[self.player]
        if self.pure:
            by = names[self.support[0]]
        else:
            by = " + ".join(f"{fraction_text(self.dominator[j])} {names[j]}" for j in self.support)
        if self.strict:
            margin = fraction_text(self.margin)
            how = f"strictly dominated by {by} (better by at least {margin} against every play of the others)"
        else:
            how = f"weakly dominated by {by} (never worse, better by up to {fraction_text(self.gain)})"
        return f"{game.players[self.player]}: {names[self.strategy]} is {how}"


@dataclass(frozen=True)
class Elimination:
    """The result of iterated elimination of dominated strategies.

    ``steps`` lists the removals in order (indices of the ORIGINAL game;
    dominators are vectors over the original strategies, zero on strategies
    already removed). ``survivors[i]`` are player ``i``'s remaining strategy
    indices and ``game`` the reduced game ``original.restrict(survivors)``.
    """

    steps: tuple[Domination, ...]
    survivors: tuple[tuple[int, ...], ...]
    game: NormalFormGame
    strict: bool = True
    mixed: bool = True

    @property
    def solved(self) -> bool:
        """True when exactly one strategy per player survives (the game is dominance solvable)."""
        return all(len(s) == 1 for s in self.survivors)

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The surviving pure profile (original indices) when :attr:`solved`, else None."""
        return tuple(s[0] for s in self.survivors) if self.solved else None


# ----------------------------------------------------------------------- helpers


def _tolerance(game: NormalFormGame) -> Number:
    return Fraction(0) if game.exact else FLOAT_TOLERANCE * scale(game)


def _advantages(sigma: list, D: np.ndarray, exact: bool) -> tuple[Number, Number]:
    """Smallest and largest advantage ``(sigma . D)[q]`` over the columns ``q``."""
    if exact:
        adv = [sum((s * D[j, q] for j, s in enumerate(sigma) if s), Fraction(0)) for q in range(D.shape[1])]
        return min(adv), max(adv)
    adv = np.asarray(sigma, dtype=float) @ np.asarray(D, dtype=float)
    return float(adv.min()), float(adv.max())


def _check_player(game: NormalFormGame, player: object) -> int:
    if isinstance(player, bool) or not isinstance(player, (int, np.integer)) or not 0 <= player < game.num_players:
        raise InputError(f"player must be an index from 0 to {game.num_players - 1}, got {player!r}")
    return int(player)


def _pure_dominator(D: np.ndarray, *, weak: bool, tol: Number) -> tuple[int, Number, Number] | None:
    """The row of ``D`` (advantages of the other pure strategies) that dominates, as
    ``(row, margin, gain)``: largest margin first, then largest gain, then file order."""
    found = []
    for t in range(D.shape[0]):
        lo, hi = D[t].min(), D[t].max()
        if (lo >= -tol and hi > tol) if weak else lo > tol:
            found.append((-lo, -hi, t))
    if not found:
        return None
    lo, hi, t = min(found)
    return t, -lo, -hi


def _find_domination(
    M: np.ndarray, k: int, *, strict: bool, mixed: bool, exact: bool, tol: Number
) -> tuple[bool, tuple[Number, ...], Number, Number] | None:
    """Is row ``k`` of the payoff matrix ``M`` dominated? Returns ``(strict, dominator, margin, gain)`` or None.

    The steps of the module docstring, in order: best-response filter, pure
    strict, mixed strict (LP), pure weak, mixed weak (LP).
    """
    n = M.shape[0]
    if n == 1:
        return None
    zero, one = (Fraction(0), Fraction(1)) if exact else (0.0, 1.0)
    D = M[[j for j in range(n) if j != k]] - M[k]  # D[t, q]: advantage of the t-th other strategy over k at q
    if not exact:
        D = np.asarray(D, dtype=float)
    best_other = D.max(axis=0)
    if np.any(best_other < -tol):
        return None  # k is the unique best response somewhere: not even weakly dominated
    never_best = bool(np.all(best_other > tol))  # otherwise k is a best response somewhere

    def result(is_strict: bool, sigma: list, lo: Number, hi: Number):
        sigma = list(sigma)
        sigma.insert(k, zero)
        if not exact:
            lo, hi = float(lo), float(hi)
        return is_strict, tuple(sigma), lo, hi

    def unit(t: int) -> list:
        return [one if u == t else zero for u in range(n - 1)]

    game_value = None
    if never_best:
        hit = _pure_dominator(D, weak=False, tol=tol)
        if hit is not None:
            return result(True, unit(hit[0]), hit[1], hit[2])
        if mixed and n > 2:
            game_value = solve_matrix_game(D)
            lo, hi = _advantages(list(game_value.row), D, exact)
            if lo > tol:
                return result(True, game_value.row, lo, hi)
    if strict:
        return None
    hit = _pure_dominator(D, weak=True, tol=tol)
    if hit is not None:
        return result(hit[1] > tol, unit(hit[0]), hit[1], hit[2])
    if not mixed or n <= 2:
        return None
    if game_value is None:
        game_value = solve_matrix_game(D)
    if game_value.value < -tol:
        return None  # every mixture is strictly worse than k somewhere
    lo, hi = _advantages(list(game_value.row), D, exact)
    if lo >= -tol and hi > tol:
        return result(False, game_value.row, lo, hi)
    # The value is 0: maximise the total advantage subject to never being worse (feasible, bounded).
    cols = D.shape[1]
    c = [-sum((D[t, q] for q in range(cols)), zero) for t in range(n - 1)]
    A_ub = [[-D[t, q] for t in range(n - 1)] for q in range(cols)]
    res = solve_lp(c, A_ub, [0] * cols, [[1] * (n - 1)], [1], exact=exact)
    if res.status != "optimal":
        return None
    sigma = list(res.x) if exact else list(normalised(res.x))
    lo, hi = _advantages(sigma, D, exact)
    if lo >= -tol and hi > tol:
        return result(False, sigma, lo, hi)
    return None


def _verified(M: np.ndarray, k: int, found, exact: bool, tol: Number) -> bool:
    """Independent re-check of a dominator against every column, by direct summation."""
    strict, sigma, _, _ = found
    if exact and (any(p < 0 for p in sigma) or sum(sigma) != 1 or sigma[k] != 0):
        return False
    zero = Fraction(0) if exact else 0.0
    diffs = [sum((p * M[j, q] for j, p in enumerate(sigma) if p), zero) - M[k, q] for q in range(M.shape[1])]
    if strict:
        return min(diffs) > tol
    return min(diffs) >= -tol and max(diffs) > tol


# -------------------------------------------------------------------- public API


def dominated_strategies(
    game: NormalFormGame, player: int, *, strict: bool = True, mixed: bool = True
) -> list[Domination]:
    """Every strategy of ``player`` dominated in ``game`` (one round, no iteration).

    ``strict=True``: strictly dominated strategies only. ``strict=False``:
    weakly dominated strategies (a strictly dominated one is reported with
    ``strict=True``). ``mixed=False`` looks for pure dominators only.
    """
    player = _check_player(game, player)
    exact, tol = game.exact, _tolerance(game)
    M = player_matrix(game, player)
    out = []
    column_best = M.max(axis=0)
    for k in range(M.shape[0]):
        check_deadline()
        if strict and any(M[k, q] >= column_best[q] for q in range(M.shape[1])):
            # A best response to some profile of the others cannot be strictly dominated
            # (no mixture does better there), so no LP is needed.
            continue
        found = _find_domination(M, k, strict=strict, mixed=mixed, exact=exact, tol=tol)
        if found is not None and _verified(M, k, found, exact, tol):
            out.append(Domination(player, k, found[0], found[1], found[2], found[3], exact))
    return out


def iterated_elimination(game: NormalFormGame, *, strict: bool = True, mixed: bool = True) -> Elimination:
    """Remove dominated strategies one at a time until none is left.

    Order used: each step removes the *first* dominated strategy found when
    scanning players in order and each player's surviving strategies in file
    order, then the scan restarts on the reduced game. For strict dominance
    the surviving game does not depend on this order (Gilboa, Kalai & Zemel
    1990; Osborne & Rubinstein 1994, Prop. 61.2), and no Nash equilibrium is
    ever lost. Iterated *weak* dominance (``strict=False``) is order
    dependent: another order can leave a different reduced game, and it can
    remove strategies used in Nash equilibria; the order above is only one
    reproducible choice.
    """
    exact, tol = game.exact, _tolerance(game)
    survivors = [list(range(n)) for n in game.shape]
    safe: list[set[int]] = [set() for _ in range(game.num_players)]  # known undominated given the others' survivors
    steps: list[Domination] = []
    while True:
        current = game.restrict(survivors)
        step = None
        for i in range(game.num_players):
            if len(survivors[i]) < 2:
                continue
            M = player_matrix(current, i)
            for local, k in enumerate(survivors[i]):
                check_deadline()  # one LP per strategy: a phase with a deadline stops between two
                if k in safe[i]:
                    continue
                found = _find_domination(M, local, strict=strict, mixed=mixed, exact=exact, tol=tol)
                if found is None or not _verified(M, local, found, exact, tol):
                    safe[i].add(k)  # stays undominated until an opponent loses a strategy
                    continue
                zero = Fraction(0) if exact else 0.0
                dominator = [zero] * game.shape[i]
                for j_local, p in enumerate(found[1]):
                    dominator[survivors[i][j_local]] = p
                step = Domination(i, k, found[0], tuple(dominator), found[2], found[3], exact)
                break
            if step is not None:
                break
        if step is None:
            break
        steps.append(step)
        survivors[step.player].remove(step.strategy)
        for j in range(game.num_players):
            if j != step.player:
                safe[j].clear()
    kept = tuple(tuple(s) for s in survivors)
    return Elimination(tuple(steps), kept, game.restrict(kept), strict, mixed)
