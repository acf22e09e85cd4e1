"""Correlated equilibria (Aumann 1974): the polytope, its best points and, for small games, its vertices.

A *correlated equilibrium* is a probability distribution ``p`` over pure
profiles such that, when a mediator draws ``a`` from ``p`` and privately tells
every player ``i`` to play ``a_i``, nobody gains by disobeying: for every
player ``i`` and every pair of strategies ``k != k'``::

    sum over profiles a with a_i = k  of  p(a) * (u_i(k, a_-i) - u_i(k', a_-i))  >=  0.

These *obedience constraints* are linear in ``p``, so the correlated
equilibria form a convex polytope (Aumann 1987; Gilboa & Zemel 1989 show it
is found by linear programming in polynomial time, unlike Nash equilibria).
Every Nash equilibrium, as the product distribution of its mixed strategies,
is a correlated equilibrium; the polytope can contain outcomes better for
everyone than any Nash equilibrium (Aumann's chicken example).

What :func:`correlated_equilibria` computes
-------------------------------------------
* the welfare-maximising CE (max of ``sum_i u_i`` over the polytope) and each
  player's payoff range over the polytope: ``1 + 2N`` LPs solved with HiGHS;
  for exact games every optimum is recovered exactly and certified (see
  :func:`.lp.solve_lp`), for float games the constraints hold within
  HiGHS's feasibility tolerance (about ``1e-9`` relative);
* for small games (by default at most 16 pure profiles) every vertex of the
  polytope, exactly. Because the obedience constraints are homogeneous, the
  polytope is the slice ``sum p = 1`` of the pointed cone
  ``{p >= 0, obedience}``, whose extreme rays are found by the
  double-description method (Motzkin et al. 1953; Fukuda & Prodon 1996) in
  integer arithmetic: start from the unit vectors (the rays of ``p >= 0``) and
  add one obedience constraint at a time, combining each adjacent pair of rays
  on opposite sides (adjacency by the combinatorial test on their sets of
  tight constraints). Float payoffs are converted exactly to binary fractions
  for this, so the vertices are those of the float game as given. The vertex
  count can explode (random 2x2x2x2 games with payoffs 0-9 often have
  thousands of vertices, a 3x3x2 one had 37,222), so enumeration stops at
  :data:`VERTEX_RAY_LIMIT` intermediate rays; below that it takes milliseconds
  to a few hundred milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._limits import check_deadline
from ..errors import GameTooLargeError, SolverError
from ..game import NormalFormGame, Number, common_denominator
from .lp import solve_lp

#: Games with at most this many pure profiles get their vertices by default.
VERTEX_DEFAULT_LIMIT = 16
#: Vertex enumeration refuses games with more pure profiles than this.
VERTEX_HARD_LIMIT = 36
#: Vertex enumeration stops when it holds more rays (candidate vertices) than this.
VERTEX_RAY_LIMIT = 1000


@dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium:
    """A distribution over pure profiles (``distribution[a]`` = probability of profile ``a``,
    shape ``game.shape``; Fractions when ``exact``) and the expected payoffs it gives."""

    distribution: np.ndarray
    payoffs: tuple[Number, ...]
    exact: bool = True

    @property
    def welfare(self) -> Number:
        """Sum of the players' expected payoffs."""
        return sum(self.payoffs, Fraction(0) if self.exact else 0.0)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """The profiles with positive probability, in lexicographic order."""
        return tuple(tuple(int(k) for k in a) for a in np.ndindex(*self.distribution.shape) if self.distribution[a] > 0)


@dataclass(frozen=True, eq=False)
class CorrelatedResult:
    """The correlated-equilibrium polytope of a game, summarised.

    ``payoff_ranges[i] = (min, max)`` of player ``i``'s expected payoff over
    all correlated equilibria. ``vertices`` are the polytope's extreme points
    (None when not computed; ``notes`` then says why). ``tolerance`` is 0 for
    exact games, else the feasibility tolerance the float LPs were solved to.
    """

    welfare_max: CorrelatedEquilibrium
    payoff_ranges: tuple[tuple[Number, Number], ...]
    vertices: tuple[CorrelatedEquilibrium, ...] | None
    exact: bool
    tolerance: float = 0.0
    notes: tuple[str, ...] = ()


# ------------------------------------------------------------------ constraints


def obedience_constraints(game: NormalFormGame) -> tuple[np.ndarray, tuple[tuple[int, int, int], ...]]:
    """The obedience constraints as a matrix ``G`` with ``G @ p >= 0``.

    ``p`` is the distribution flattened in lexicographic (C) order; row ``r``
    belongs to ``labels[r] = (player, k, k_alt)``: "told ``k``, player does not
    gain by playing ``k_alt``". Object dtype (Fractions) for exact games.
    """
    rows, labels = [], []
    for i in range(game.num_players):
        pay = game.payoffs[i]
        for k in range(game.shape[i]):
            check_deadline()
            for alt in range(game.shape[i]):
                if alt == k:
                    continue
                row = np.zeros(game.shape, dtype=pay.dtype)
                if game.exact:
                    row[...] = Fraction(0)
                index = [slice(None)] * game.num_players
                index[i] = k
                row[tuple(index)] = np.take(pay, k, axis=i) - np.take(pay, alt, axis=i)
                rows.append(row.ravel())
                labels.append((i, k, alt))
    if not rows:
        return np.zeros((0, game.num_profiles), dtype=game.payoffs.dtype), ()
    return np.stack(rows), tuple(labels)


def correlated_regret(game: NormalFormGame, distribution: np.ndarray | Sequence) -> Number:
    """The largest expected gain any player can get by disobeying one recommendation (0 if none).

    ``distribution`` has shape ``game.shape``. Exact when the game and the
    distribution are exact. A valid distribution is a correlated equilibrium
    iff this is 0 (exact) or within tolerance (floats).
    """
    G, _ = obedience_constraints(game)
    p = np.asarray(distribution, dtype=object).ravel()
    exact = game.exact and all(isinstance(v, (int, Fraction)) for v in p)
    if not exact:
        G, p = np.asarray(G, dtype=float), np.asarray(p, dtype=float)
    if G.shape[0] == 0:
        return Fraction(0) if exact else 0.0
    gains = -(G @ p)
    return max(max(gains), Fraction(0) if exact else 0.0)


def _expected(game: NormalFormGame, p: np.ndarray, exact: bool) -> tuple[Number, ...]:
    if exact:
        flat = list(p.ravel())
        return tuple(
            sum((q * u for q, u in zip(flat, game.payoffs[i].ravel()) if q), Fraction(0))
            for i in range(game.num_players)
        )
    return tuple(float(np.dot(p.ravel(), game.float_payoffs[i].ravel())) for i in range(game.num_players))


def _equilibrium(game: NormalFormGame, p: Sequence, exact: bool) -> CorrelatedEquilibrium:
    if exact:
        arr = np.empty(game.num_profiles, dtype=object)
        arr[:] = [Fraction(v) for v in p]
    else:
        arr = np.clip(np.asarray(p, dtype=float), 0.0, None)
        arr = arr / arr.sum()
    arr = arr.reshape(game.shape)
    return CorrelatedEquilibrium(arr, _expected(game, arr, exact), exact)


# -------------------------------------------------------------------- LP part


def correlated_equilibria(game: NormalFormGame, *, vertices: bool | None = None) -> CorrelatedResult:
    """The welfare-maximising correlated equilibrium, every player's payoff range, and (for small games) the vertices.

    ``vertices=None`` enumerates vertices when the game has at most
    :data:`VERTEX_DEFAULT_LIMIT` pure profiles and the polytope is not too
    complex (:data:`VERTEX_RAY_LIMIT`), else leaves them out with a note;
    ``True`` forces it (up to :data:`VERTEX_HARD_LIMIT` profiles) and raises
    :class:`~gametheory.errors.GameTooLargeError` when it cannot; ``False``
    skips it.
    """
    exact = game.exact
    G, _ = obedience_constraints(game)
    P = game.num_profiles
    A_ub = []
    for row in G:
        check_deadline()  # an exact 20x20 game has 760 rows of 400 Fractions
        A_ub.append([-v for v in row])
    b_ub = [0] * len(A_ub)
    A_eq, b_eq = [[1] * P], [1]
    source = game.payoffs if exact else game.float_payoffs
    pay = [list(source[i].ravel()) for i in range(game.num_players)]

    def optimum(objective: list, maximise: bool) -> tuple[Number, tuple]:
        check_deadline()  # 1 + 2 x players LPs: a phase with a deadline stops between two (HiGHS within one)
        c = [-v for v in objective] if maximise else list(objective)
        res = solve_lp(c, A_ub, b_ub, A_eq, b_eq, exact=exact)
        if res.status != "optimal":
            raise SolverError(f"correlated-equilibrium LP is {res.status}; a finite game always has one")
        value = -res.objective if maximise else res.objective
        return value, res.x

    welfare = [sum(col) for col in zip(*pay)]
    _, best = optimum(welfare, True)
    welfare_max = _equilibrium(game, best, exact)
    ranges = []
    for i in range(game.num_players):
        lo, lo_x = optimum(pay[i], False)
        hi, hi_x = optimum(pay[i], True)
        if not exact:  # report payoffs of the (normalised) distributions actually found
            lo = _equilibrium(game, lo_x, False).payoffs[i]
            hi = _equilibrium(game, hi_x, False).payoffs[i]
        ranges.append((lo, hi))
    notes: list[str] = []
    found = None
    if vertices is None:
        if P <= VERTEX_DEFAULT_LIMIT:
            try:
                found = correlated_vertices(game)
            except GameTooLargeError as err:
                notes.append(f"vertices not listed: {err.message}")
        else:
            notes.append(f"vertices not listed: {P} pure profiles (listed by default up to {VERTEX_DEFAULT_LIMIT})")
    elif vertices:
        if P > VERTEX_HARD_LIMIT:
            raise GameTooLargeError(
                f"vertex enumeration of the correlated-equilibrium polytope is limited to "
                f"{VERTEX_HARD_LIMIT} pure profiles; this game has {P}"
            )
        found = correlated_vertices(game)
    if found is not None:
        found = tuple(_equilibrium(game, v, exact) for v in found)
    tolerance = 0.0 if exact else 1e-7
    return CorrelatedResult(welfare_max, tuple(ranges), found, exact, tolerance, tuple(notes))


# ------------------------------------------------------------ vertex enumeration


def _integer_row(row: Sequence[Fraction]) -> tuple[int, ...]:
    """The constraint row scaled to coprime integers (same half-space)."""
    ints, _ = common_denominator(row)
    g = math.gcd(*ints)
    return tuple(v // g for v in ints) if g else tuple(ints)


def _only_two_contain(masks: list[int], common: int) -> bool:
    """True if at most two of the zero sets contain ``common`` (the two rays being combined always do)."""
    count = 0
    for z in masks:
        if z & common == common:
            count += 1
            if count > 2:
                return False
    return True


def correlated_vertices(game: NormalFormGame, *, limit: int = VERTEX_RAY_LIMIT) -> list[tuple[Fraction, ...]]:
    """Every vertex of the correlated-equilibrium polytope, exactly, as flattened distributions.

    Double-description method on the cone ``{p >= 0, G p >= 0}`` (see the
    module docstring), in integer arithmetic. Sorted lexicographically,
    largest probability on the first profile first. The number of vertices
    can grow very fast with the number of profiles (a random 2x2x2x2 game can
    have thousands): when the enumeration holds more than ``limit`` rays it
    stops with :class:`~gametheory.errors.GameTooLargeError`.
    """
    P = game.num_profiles
    G, _ = obedience_constraints(game)
    constraints = []
    for row in G:
        ints = _integer_row([Fraction(v) for v in row])
        if any(ints) and ints not in constraints:
            constraints.append(ints)
    # Rays: (integer vector, bitmask of tight constraints). Bits 0..P-1 are p_j >= 0,
    # bit P + c the c-th obedience constraint.
    full = (1 << P) - 1
    rays: list[tuple[tuple[int, ...], int]] = [
        (tuple(1 if t == j else 0 for t in range(P)), full & ~(1 << j)) for j in range(P)
    ]
    for c, g in enumerate(constraints):
        bit = 1 << (P + c)
        values = [sum(gi * ri for gi, ri in zip(g, r) if ri) for r, _ in rays]
        plus = [t for t, v in enumerate(values) if v > 0]
        minus = [t for t, v in enumerate(values) if v < 0]
        zero = [t for t, v in enumerate(values) if v == 0]
        new = [rays[t] for t in plus] + [(rays[t][0], rays[t][1] | bit) for t in zero]
        masks = [z for _, z in rays]
        check_deadline()
        for s in plus:
            rs, zs = rays[s]
            for t in minus:
                rt, zt = rays[t]
                common = zs & zt
                if common.bit_count() < P - 2:
                    continue
                if not _only_two_contain(masks, common):
                    continue  # not adjacent: a third ray is tight wherever both are
                vs, vt = values[s], values[t]
                combo = [vs * b - vt * a for a, b in zip(rs, rt)]  # vs > 0 > vt: nonnegative mix, g . combo = 0
                div = math.gcd(*combo)
                new.append((tuple(v // div for v in combo), common | bit))
                if len(new) > limit:
                    raise GameTooLargeError(
                        f"the correlated-equilibrium polytope has too many vertices to list (more than {limit} "
                        "rays during enumeration)"
                    )
        rays = new
        if not rays:
            raise SolverError("internal error: the correlated-equilibrium polytope came out empty")
    out = []
    for r, _ in rays:
        total = sum(r)
        out.append(tuple(Fraction(v, total) for v in r))
    out = sorted(set(out), reverse=True)
    return out
