"""Proving a support profile has no equilibrium before its equations are solved: exact interval propagation.

:mod:`gametheory.solvers.polynomial` skips a support profile when
conditional dominance (Porter, Nudelman & Shoham 2008) shows some equation
keeps a strict sign over the whole box of the mixing players'
probabilities. Each equation is tested alone there, on the whole box. On
random games most supports that pass that test still have no equilibrium
(on the 20 games of ``bench/bench_nplayer.py --shapes 2x2x2x2x2``, 534 of the
568 supports where three players mix, and 174 of the 195 where four do), and
each costs a full exact solve (about 0.1 ms and 1.2 ms respectively).

This module proves most of them empty by **hull-consistency propagation**
(the HC4 narrowing of interval constraint solving; Benhamou, Goualard,
Granvilliers & Puget 1999, "Revising hull and box consistency", ICLP), which
couples the equations: when every mixing player has two strategies in the
support, its probability of the second is one unknown ``x_j`` in ``[0, 1]``,
and every condition of an equilibrium is a multilinear function of the
unknowns, read off the payoff tensor's corners:

* ``u_i(s) - u_i(s_0) = 0`` for the two strategies of a mixing player,
* ``u_i(k) - u_i(s_0) <= 0`` for each other surviving strategy ``k`` of any player.

The range of a multilinear function over a box is spanned by its values at
the box's corners, and along one unknown it is affine with the others at a
corner. So the points of ``[lo_j, hi_j]`` where every corner's affine
function keeps one strict sign (no zero, or no non-positive value, anywhere
in the rest of the box) form an interval at one end or the other, which is
cut off. Cuts repeat over all conditions until the box stops shrinking or
becomes empty; an empty box proves the support empty, in the closed box, so
including any continuum or boundary solution it might carry.

Everything is exact: the box's ends lie on a grid of step ``2**-GRID_BITS``,
corner values are Python integers (the payoffs times powers of the grid
size), and each cut is rounded outward to the grid, so a cut never removes a
point where a condition can hold. A support the propagation does not empty
goes to the exact solvers unchanged; the propagation only decides which
supports need them. Measured on the games above: 528 of the 534 empty
three-mixer supports are proven empty (about 0.035 ms each), and 167 of the
174 empty four-mixer ones when undecided boxes are also halved up to
:data:`SPLITS` times (about 0.2 ms each); the whole search over those
supports takes 2.2 ms per game instead of 2.8, and 5.9 ms instead of 11.6.
It is plain Python: on lists of 4 to 16 corner values a numpy call costs
more than the arithmetic.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

#: The box's ends are multiples of ``2**-GRID_BITS`` (cuts rounded outward to them).
GRID_BITS = 12
_D = 1 << GRID_BITS
#: At most this many passes over the conditions.
MAX_SWEEPS = 4
#: A pass that narrows no unknown by more than ``1 / _PROGRESS`` of its width ends the propagation.
_PROGRESS = 8
#: With at least SPLIT_FROM mixing players, an undecided box is halved (both halves propagated again) up to
#: SPLITS times along any path. Measured on the 2x2x2x2x2 games above (before the exact paths got faster, which
#: moves every figure but not the choice), CPU per game of the propagation plus the exact solves it does not spare,
#: by depth 0/1/2/3/4/5: four mixing players 6.7/5.6/5.3/5.2/5.4/5.6 ms (exact
#: alone 10.4; 96/136/154/167/172/174 of the 174 empty supports proven), three 2.0/2.2/2.8/2.4/2.4/2.5 ms (exact
#: alone 5.9), five (the full support) 6.4/6.3/6.3/6.7/6.9/7.1 ms (subdivision alone 6.4).
SPLITS = 3
SPLIT_FROM = 4


def proven_empty(rows: list[list[list[int]]], S: tuple, mixed: list[int], alive: list[list[int]]) -> bool:
    """True when the support profile ``S`` provably holds no equilibrium (False: not decided).

    ``rows[i][s]`` lists player ``i``'s payoffs of its strategy ``s`` against
    the mixing opponents' support strategies, in C order with the opponents
    in the order of ``mixed`` (the flattened blocks of
    :meth:`polynomial._Enumerator.blocks`); ``alive`` the strategies that
    survive iterated dominance. Only supports in which every mixing player
    has exactly two strategies are tried.
    """
    if any(len(S[j]) != 2 for j in mixed):
        return False
    conditions = _conditions(rows, S, mixed, alive)
    return _empty(conditions, [[0, _D] for _ in mixed], SPLITS if len(mixed) >= SPLIT_FROM else 0)


def _empty(conditions: list, box: list[list[int]], splits: int) -> bool:
    """Whether propagation empties ``box``, halving the widest side of an undecided box up to ``splits`` times."""
    if _propagate(conditions, box):
        return True
    u = max(range(len(box)), key=lambda v: box[v][1] - box[v][0])
    lo, hi = box[u]
    if not splits or hi - lo < 2:
        return False
    mid = (lo + hi) // 2
    low = [list(side) for side in box]
    low[u][1] = mid
    box[u][0] = mid
    return _empty(conditions, low, splits - 1) and _empty(conditions, box, splits - 1)


def _propagate(conditions: list, box: list[list[int]]) -> bool:
    """Narrow ``box`` in place by every condition in turn until it stops shrinking; True when it becomes empty."""
    for _ in range(MAX_SWEEPS):
        progress = False
        for equality, unknowns, values in conditions:
            moved = _narrow(equality, unknowns, values, box)
            if moved is None:
                return True
            progress = progress or moved
        if not progress:
            break
    return False


def _conditions(rows, S, mixed, alive) -> list[tuple[bool, list[int], list[int]]]:
    """Every condition ``(equality, unknowns, corner values)`` (each has unknowns: at least two players mix)."""
    out = []
    for i, own in enumerate(rows):
        base = own[S[i][0]]
        unknowns = [p for p, j in enumerate(mixed) if j != i]
        for k in alive[i]:
            if k == S[i][0]:
                continue
            values = [x - y for x, y in zip(own[k], base)]
            out.append((k in S[i], unknowns, values))
    return out


@functools.lru_cache(maxsize=64)
def _halves(r: int, p: int) -> tuple[Callable, Callable, Callable]:
    """For ``2**r`` corner values in C order: getters of those at the lower and at the upper end of axis ``p``
    (each a tuple in C order of the other axes), and the getter that puts ``lower + upper`` back in C order."""
    step = 1 << (r - 1 - p)
    lower = [n for n in range(1 << r) if not n & step]
    upper = [n + step for n in lower]
    back = sorted(range(1 << r), key=(lower + upper).__getitem__)
    return _getter(lower), _getter(upper), _getter(back)


def _getter(index: list[int]) -> Callable:
    """``operator.itemgetter`` that returns a tuple even for one index."""
    if len(index) == 1:
        return lambda seq, n=index[0]: (seq[n],)
    return operator.itemgetter(*index)


def _corners(values: list[int], unknowns: list[int], box: list[list[int]]) -> list[int] | tuple[int, ...]:
    """The condition's values at the box's corners (C order, 0 = lower end), times a positive constant.

    ``values`` are its values at the corners of the unit box; along each
    unknown the function is affine, so the value at ``x = X / 2**GRID_BITS``
    is ``((D - X) v_0 + X v_1) / D``. Unknowns still at ``[0, 1]`` need no work.
    """
    g: list[int] | tuple[int, ...] = values
    r = len(unknowns)
    for p, u in enumerate(unknowns):
        lo, hi = box[u]
        if lo == 0 and hi == _D:
            continue
        lower, upper, back = _halves(r, p)
        pairs = list(zip(lower(g), upper(g)))
        g = back([(_D - lo) * a + lo * b for a, b in pairs] + [(_D - hi) * a + hi * b for a, b in pairs])
    return g


def _narrow(equality: bool, unknowns: list[int], values: list[int], box: list[list[int]]) -> bool | None:
    """Cut from each unknown's interval the ends where the condition cannot hold (in place).

    Returns None when nothing is left (no solution), else whether some
    interval lost more than ``1 / _PROGRESS`` of its width.
    """
    g = _corners(values, unknowns, box)
    if min(g) > 0 or (equality and max(g) < 0):
        return None
    r = len(unknowns)
    moved = False
    for p, u in enumerate(unknowns):
        lower, upper, _ = _halves(r, p)
        A, B = lower(g), upper(g)
        lo, hi = box[u]
        new_lo, new_hi = lo, hi
        # where every corner's value keeps a strict sign at one end, cut up to its first zero (rounded outward)
        if min(A) > 0 or (equality and max(A) < 0):
            new_lo = lo + min((hi - lo) * a // (a - b) for a, b in zip(A, B) if (a > 0) != (b > 0) or not b)
        if min(B) > 0 or (equality and max(B) < 0):
            new_hi = hi - min((hi - lo) * b // (b - a) for a, b in zip(A, B) if (a > 0) != (b > 0) or not a)
        if new_lo > new_hi:
            return None
        if new_lo != lo or new_hi != hi:
            moved = moved or (new_hi - new_lo) * _PROGRESS < (hi - lo) * (_PROGRESS - 1)
            box[u] = [new_lo, new_hi]
    return moved
