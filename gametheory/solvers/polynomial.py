"""All Nash equilibria of an N-player game: support enumeration with exact polynomial algebra.

The method
----------
A mixed profile is a Nash equilibrium exactly when, for every player, every
strategy it uses earns the same payoff and no strategy earns more
(McKelvey & McLennan 1996, "Computation of equilibria in finite games",
*Handbook of Computational Economics* I, section 6). So for each *support
profile* ``S = (S_0, ..., S_{N-1})`` (a non-empty set of strategies per
player) we solve the **indifference equations**

    u_i(s, sigma_-i) = u_i(s', sigma_-i)   for every player i and s, s' in S_i,

with ``sigma_j`` a probability vector on ``S_j``, keep the real solutions with
every probability in ``S`` strictly positive, and check the best-response
inequalities ``u_i(k, sigma_-i) <= u_i(s, sigma_-i)`` for the strategies ``k``
outside ``S_i``. Player ``i``'s equations are multilinear in the other
players' mixed strategies, so the system is polynomial (of degree ``m-1`` when
``m`` players mix). This is the algorithm of Gambit's ``enumpoly``
(Datta 2003, "Using computer algebra to find Nash equilibria", ISSAC; Turocy's
implementation in Gambit), done here with exact arithmetic so that no
solution is lost to rounding.

What makes it fast enough
-------------------------
1. Strategies strictly dominated by a pure strategy are removed iteratively
   (they are never used in an equilibrium and never best responses).
2. **Conditional dominance** (Porter, Nudelman & Shoham 2008, "Simple search
   methods for finding a Nash equilibrium", *Games and Economic Behavior* 63):
   a support profile is skipped when some strategy in ``S_i`` is strictly
   worse than another strategy of player ``i`` against *every* pure profile of
   the opponents' supports, because it cannot then be a best response. Support
   profiles are examined small and balanced first, as they suggest.
3. The systems are solved by the cheapest exact method their structure allows:

   * one player mixes: the equations have no unknowns (they hold only in a tie);
   * two players mix (others pure): each player's equations are **linear** in
     the other's probabilities, solved with integer determinants (Cramer);
   * three or more mix: with all but two mixing players ``F`` held fixed, the
     remaining two players ``a, b`` again have linear equations; their
     solutions are the vectors of signed maximal minors (polynomials in the
     unknowns of ``F``), and substituting them into ``F``'s own equations
     leaves ``k`` polynomial equations in ``k`` unknowns. For ``k = 1`` they are
     one univariate polynomial; for ``k = 2`` two resultants give a univariate
     polynomial for each unknown. Real roots in (0, 1) are isolated exactly
     (Descartes' rule of signs with bisection) and every sign condition is
     decided exactly, zero included (see :mod:`._polyalg`). With
     python-flint, most roots (spurious ones of the elimination, or ones
     that fail a sign or best-response condition by far) are first rejected
     in ball arithmetic straight from the payoff tensors; a ball decides
     only when it excludes 0, and whatever it cannot decide goes to the exact
     checks (this halved the time of 3x3x2x2 games, measured by
     ``bench/bench_nplayer.py``).
   * Anything else (a tie that makes the equations singular, a continuum of
     solutions, or more than two unknowns left) goes to exact vertex
     enumeration when at most two players mix (:mod:`._polylinear`) and
     otherwise to a general exact solver built on sympy's Groebner bases
     (:mod:`._polysympy`), for supports of at most
     :data:`MAX_SYMBOLIC_UNKNOWNS` unknowns. Larger supports (five players
     who all mix), and smaller ones sympy cannot finish, are settled by
     certified subdivision (:mod:`._polybox`): every solution located and
     proven unique in a box, to about 1e-15, and rational ones recovered
     exactly. What even that cannot settle (a continuum, a singular solution)
     is reported as unresolved (``complete=False``), never silently skipped.

Exactness and degenerate games
------------------------------
Rational equilibria are returned as :class:`fractions.Fraction`. Irrational
ones (roots of an irreducible polynomial of degree >= 2, such as the fully
mixed equilibrium of the G1 deterrence game) are returned as floats accurate
to 1e-12, with their exact algebraic form (sympy text: radicals or
``CRootOf``) in ``Enumeration.stats.exact_forms[k]``, computed on first
access. When the equations of one support have a **continuum** of solutions
(a degenerate game), the set is reported, not dropped: the equilibria where it
meets the boundary of the support or where a best-response constraint
becomes tight are returned with one shared component number, and a note says
which support carries the positive-dimensional set. In a nondegenerate game
every equilibrium is its own component, and their number is odd (Wilson's
oddness theorem); an even count is noted as a warning sign.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import time
from collections.abc import Callable
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InputError
from ..game import NormalFormGame, as_exact
from ..solution import Enumeration, PolynomialStats, PositiveDimensionalSet
from . import _polyreject
from ._polyalg import (
    BALL_PREC,
    FLOAT_BITS,
    Poly,
    QuadraticRoot,
    RealRoot,
    UPoly,
    ball_eval,
    ball_sign,
    det,
    flint_module,
    integer_rank,
    kernel_vector,
    poly_const,
    poly_var,
    real_roots_01,
    resultant2,
    subresultant1,
    surd_mul,
    u_add,
    u_eval_scaled,
    u_gcd,
    u_mul,
    u_trim,
)
from ._polypoints import Point, exact_form_rows, fraction_text
from ._polyprune import proven_empty

METHOD = "polynomial support enumeration"

_ZERO, _ONE = Fraction(0), Fraction(1)

#: Up to this many support profiles, conditional dominance is looked up one profile at a time, beyond it for all
#: at once in arrays (see _Dominance.surviving). Measured per game: 2x2x2 (27 profiles) 0.09 ms one by one, 0.16 ms
#: in arrays; 2x2x2x2 (81) about even; 3x3x3 (343) 0.58 ms one by one, 0.28 ms in arrays.
SMALL_SEARCH = 64

#: Supports with more unknowns than this are not handed to sympy (see :meth:`_Enumerator.symbolic`).
MAX_SYMBOLIC_UNKNOWNS = 4


# --------------------------------------------------------------------------- results


class ExactForms(SequenceABC):
    """``stats.exact_forms``: per equilibrium, per player, per strategy, its exact value as sympy text.

    Rational probabilities read ``"1/4"``; irrational ones are algebraic
    numbers written with radicals (``"3/2 - sqrt(5)/2"``) or as ``CRootOf`` of
    their minimal polynomial. The text is produced on first access (it needs
    sympy's factorisation, which the solver itself never waits for).
    """

    def __init__(self, items: list):
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        item = self._items[k]
        if callable(item):
            item = item()
            self._items[k] = item
        return item

    def __repr__(self) -> str:
        return f"ExactForms({len(self)} equilibria)"


# --------------------------------------------------------------------------- game preparation


def _integer_payoffs(game: NormalFormGame) -> np.ndarray:
    """Each player's payoffs scaled by a positive integer so that all are Python ints.

    Scaling one player's payoffs by a positive constant changes no best
    response, so the equilibria are those of the original game. Float payoffs
    are read as the exact binary rationals they are.
    """
    everything = game.payoffs.ravel().tolist()
    size = len(everything) // game.num_players
    out = []
    for i in range(game.num_players):
        flat = everything[i * size : (i + 1) * size]
        fr = (
            [v if isinstance(v, Fraction) else as_exact(v) for v in flat] if game.exact else [Fraction(v) for v in flat]
        )
        den = math.lcm(*[f.denominator for f in fr])
        vals = [f.numerator * (den // f.denominator) for f in fr]
        g = math.gcd(*vals)
        out += [v // g for v in vals] if g > 1 else vals
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr.reshape(game.payoffs.shape)


def _comparable(U: np.ndarray) -> np.ndarray:
    """The integer payoffs as int64 when they fit (fast exact comparisons), else as Python ints."""
    big = max(max(U.ravel().tolist()), -min(U.ravel().tolist()))
    if big < 2**62:
        return U.astype(np.int64)
    return U


class _Dominance:
    """Strict dominance by pure strategies, on bitsets over the opponents' pure profiles.

    For player ``i`` and its strategies ``a`` and ``b``, ``weak[i][a][b]`` has
    bit ``p`` set when ``b`` does *not* strictly beat ``a`` against the
    opponents' pure profile number ``p`` (in C order of the payoff array). So
    ``b`` strictly dominates ``a`` on a set of opponent profiles exactly when
    that bitset misses the set's bitset: one AND per pair of strategies. This
    serves iterated elimination (:attr:`alive`), conditional dominance
    (Porter, Nudelman & Shoham 2008; :meth:`table`) and the pure equilibria
    (a strategy is a best response where no other strategy beats it).

    The bitsets are Python integers, built once per game; the conditional
    dominance of every opponents' support profile is then a few array
    operations on them (or look-ups one at a time, on small games). Measured
    against the previous numpy tables of boolean comparisons, on the games of
    ``bench/bench_nplayer.py`` (dominance, support list and pure equilibria
    together, per game): 2x2x2 0.17 -> 0.08 ms, 3x3x3 0.63 -> 0.29 ms,
    4x4x3 2.9 -> 0.9 ms.
    """

    def __init__(self, C: np.ndarray):
        n = C.shape[0]
        self.shape = C.shape[1:]
        self.others = [[j for j in range(n) if j != i] for i in range(n)]
        self.weak: list[list[list[int]]] = []
        self.member: list[list[list[int]]] = []  # member[i][k][s]: profiles where i's k-th opponent plays s
        for i in range(n):
            rows = C[i].transpose([i, *self.others[i]]).reshape(self.shape[i], -1).tolist()
            powers = [1 << p for p in range(len(rows[0]))]
            self.weak.append([[sum(map(operator.mul, map(operator.ge, ra, rb), powers)) for rb in rows] for ra in rows])
            member = [[0] * self.shape[j] for j in self.others[i]]
            for p, profile in enumerate(itertools.product(*[range(self.shape[j]) for j in self.others[i]])):
                for k, s in enumerate(profile):
                    member[k][s] |= 1 << p
            self.member.append(member)
        self.alive = self._iterated()
        # _unions[i][k][m]: profiles where i's k-th opponent plays one of the surviving strategies in mask m
        self._unions = [
            [_unions([member[k][s] for s in self.alive[j]]) for k, j in enumerate(self.others[i])]
            for i, member in enumerate(self.member)
        ]
        self._tables: list[dict[tuple, int]] = [{} for _ in range(n)]
        # _rivals[i]: per surviving strategy a of i, its bit and the bitsets weak[i][a][b] of the other survivors b
        self._rivals = [
            [(1 << pos, [weak[a][b] for b in alive if b != a]) for pos, a in enumerate(alive)]
            for weak, alive in zip(self.weak, self.alive)
        ]

    def _dominated(self, i: int, strategies: list[int], box: int) -> list[bool]:
        """Which of ``strategies`` another of them strictly beats at every opponent profile in ``box``."""
        weak = self.weak[i]
        return [any(b != a and not weak[a][b] & box for b in strategies) for a in strategies]

    def _iterated(self) -> list[list[int]]:
        """Strategies that survive iterated elimination of strategies strictly dominated by a pure strategy."""
        alive = [list(range(m)) for m in self.shape]
        changed = True
        while changed:
            changed = False
            for i, others in enumerate(self.others):
                if len(alive[i]) == 1:
                    continue
                box = -1
                for k, j in enumerate(others):
                    box &= functools.reduce(operator.or_, [self.member[i][k][s] for s in alive[j]])
                dominated = self._dominated(i, alive[i], box)
                if any(dominated):
                    alive[i] = [s for s, dom in zip(alive[i], dominated) if not dom]
                    changed = True
        return alive

    def mask(self, i: int, opponent_masks: tuple) -> int:
        """One entry of :meth:`table` (``opponent_masks`` the supports, not their indices), worked out on first use."""
        table = self._tables[i]
        got = table.get(opponent_masks)
        if got is None:
            box = -1
            for unions, m in zip(self._unions[i], opponent_masks):
                box &= unions[m]
            got = 0
            for bit, rivals in self._rivals[i]:
                for weak in rivals:
                    if not weak & box:
                        got |= bit
                        break
            table[opponent_masks] = got
        return got

    def table(self, i: int) -> np.ndarray:
        """Conditional dominance for player i against every opponents' support profile at once.

        One axis per opponent (in player order), index ``m - 1`` for the
        support ``m`` (a bit mask over that opponent's surviving strategies);
        each entry has the bits (over i's surviving strategies) of the
        strategies that another survivor strictly beats at every opponent
        profile of those supports: never a best response there, so in no
        equilibrium's support.
        """
        profiles = math.prod(self.shape[j] for j in self.others[i])
        dtype = np.int64 if profiles <= 62 else object  # bitsets as int64 where they fit
        box = np.array(-1, dtype=dtype)
        for unions in self._unions[i]:
            box = box[..., None] & np.array(unions[1:], dtype=dtype)
        alive = self.alive[i]
        # weak[a][a] holds every profile, so a strategy never counts as beating itself
        weak = np.array([[self.weak[i][a][b] for b in alive] for a in alive], dtype=dtype)
        dominated = ((box[..., None, None] & weak) == 0).any(axis=-1)
        return dominated @ (1 << np.arange(len(alive)))

    def surviving(self) -> list[tuple[int, ...]]:
        """The support profiles no player's conditional dominance excludes, in itertools.product order.

        Each support is a bit mask over its player's surviving strategies. Up to
        :data:`SMALL_SEARCH` profiles they are tested one by one with
        :meth:`mask`; beyond, all at once on an array with one axis per player
        (index ``m - 1`` for mask ``m``) built from :meth:`table`.
        """
        n = len(self.shape)
        counts = [(1 << len(a)) - 1 for a in self.alive]
        if math.prod(counts) <= SMALL_SEARCH:
            found = []
            for masks in itertools.product(*[range(1, c + 1) for c in counts]):
                for i in range(n):
                    if masks[i] & self.mask(i, masks[:i] + masks[i + 1 :]):
                        break
                else:
                    found.append(masks)
            return found
        ok = np.ones(counts, dtype=bool)
        for i in range(n):
            masks = np.arange(1, counts[i] + 1).reshape([-1 if j == i else 1 for j in range(n)])
            ok &= (masks & np.expand_dims(self.table(i), i)) == 0
        return [tuple(m + 1 for m in row) for row in np.argwhere(ok).tolist()]

    def pure_equilibria(self) -> list[tuple[int, ...]]:
        """The pure equilibria, in lexicographic order (only surviving strategies can be best responses)."""
        # best[i][a]: opponent profiles against which a is a best response of i (weak[i][a][a] is every profile)
        best = [[functools.reduce(operator.and_, row) for row in weak] for weak in self.weak]
        strides = []
        for others in self.others:
            stride, out = 1, {}
            for j in reversed(others):
                out[j] = stride
                stride *= self.shape[j]
            strides.append(out)
        found = []
        for profile in itertools.product(*self.alive):
            if all(
                best[i][profile[i]] >> sum(profile[j] * st for j, st in strides[i].items()) & 1
                for i in range(len(self.shape))
            ):
                found.append(profile)
        return found


def _unions(sets: list[int]) -> list[int]:
    """``out[m]``: the union of ``sets[s]`` over the bits ``s`` of ``m`` (``m`` from 0 to ``2**len(sets) - 1``)."""
    out = [0]
    for s in sets:
        out += [u | s for u in out]
    return out


def _mask_members(mask: int) -> tuple[int, ...]:
    return tuple(k for k in range(mask.bit_length()) if mask >> k & 1)


# --------------------------------------------------------------------------- contraction helpers


def _obj(values) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _contract(tensor: np.ndarray, vecs: list) -> np.ndarray:
    """Contract the trailing axes of ``tensor`` with ``vecs`` (one vector per axis after the first)."""
    t = tensor
    for v in reversed(vecs):
        t = t @ v
    return t


#: In :func:`_contract_structured`, the vector of a linear player not yet solved for: all ones (a sum).
_ONES = "ones"

#: Roots of polynomials up to this length get their sign tests in Q[x]/(m) with FLINT (longer: slower than refining)
_FIELD_MAX_LENGTH = 16


#: Bits per unknown in a packed monomial ``sum_v e_v << (_EXP_BITS * v)`` (exponents stay far below 2**16)
_EXP_BITS = 16


@functools.lru_cache(maxsize=4096)
def _unpack(e: int, k: int) -> tuple[int, ...]:
    """The exponent tuple of a packed monomial (see :data:`_EXP_BITS`)."""
    return tuple((e >> (_EXP_BITS * v)) & 0xFFFF for v in range(k))


@functools.lru_cache(maxsize=64)
def _monomials(n_unknowns: int, first: int, int64: bool) -> tuple[np.ndarray, list[int]]:
    """A player's vector ``(t_1, ..., t_d, 1 - sum t)`` as a matrix over the monomials ``1, t_1, ..., t_d``.

    Returns ``(M, exps)``: ``M[s, m]`` is the coefficient of monomial ``m`` in
    the probability of strategy ``s``, ``exps[m]`` that monomial packed (see
    :data:`_EXP_BITS`; ``t_q`` is unknown ``first + q``). Cached (the same
    few matrices serve every support): callers must not modify ``M``.
    """
    M = np.zeros((n_unknowns + 1, n_unknowns + 1), dtype=np.int64 if int64 else object)
    for q in range(n_unknowns):
        M[q, q + 1] = 1
        M[n_unknowns, q + 1] = -1
    M[n_unknowns, 0] = 1
    return M, [0] + [1 << (_EXP_BITS * (first + q)) for q in range(n_unknowns)]


def _contract_structured(T: np.ndarray, players: list[int], vectors: dict, mono: dict, k: int) -> np.ndarray:
    """``T`` (axis 0: a player's strategies; axes 1..: ``players``) contracted with the players' vectors.

    Polynomials are carried as coefficient vectors along a last axis (one
    entry per monomial of ``exps``), so every contraction is an integer
    tensor product in numpy instead of products of polynomial objects: the
    unknowns' players (``mono[j] = (d_j, first unknown)``, see :func:`_monomials`)
    contribute their monomials, ``_ONES`` vectors are sums, and vectors of
    polynomials their coefficient matrices. Monomials are packed integers, so
    multiplying two is one addition. A player whose vector is None keeps its
    axis, which comes right after axis 0. ``T`` may be int64 when its sums
    cannot overflow (products with polynomial vectors are taken in Python
    integers). Returns an object array of polynomials in ``k`` unknowns.
    """
    t = T[..., None]
    pos = 1
    exps = [0]
    kept = None
    for j in players:
        vec = vectors.get(j)
        if vec is None and j not in mono:
            kept = pos
            pos += 1
            continue
        if vec is _ONES:
            t = t.sum(axis=pos)
            continue
        if j in mono:
            M, vec_exps = _monomials(*mono[j], t.dtype != object)
        else:
            M, vec_exps = _coefficient_matrix(vec, k)
            t = t.astype(object)
        axes = [n for n in range(t.ndim) if n != pos]
        t = t.transpose(axes + [pos]) @ M  # (..., exps, vec_exps): cheaper than np.tensordot on small arrays
        exps = [e + f for e in exps for f in vec_exps]
        t = t.reshape(t.shape[:-2] + (len(exps),))
    lead = t.shape[:-1]
    keys = sorted(set(exps))
    if len(keys) == len(exps):
        keys = exps
    else:  # add up the coefficients of equal monomials in one product
        merge = np.zeros((len(exps), len(keys)), dtype=t.dtype)
        where = {e: m for m, e in enumerate(keys)}
        for n, e in enumerate(exps):
            merge[n, where[e]] = 1
        t = t @ merge
    rows = t.reshape(-1, len(keys)).tolist()
    if k == 1:
        items = [_upoly(keys, c) for c in rows]
    else:
        monos = [_unpack(e, k) for e in keys]
        items = [Poly({m: v for m, v in zip(monos, c) if v}, k) for c in rows]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    out = out.reshape(lead)
    return np.moveaxis(out, kept, 1) if kept is not None and kept != 1 else out


def _upoly(keys: list[int], coeffs: list) -> UPoly:
    """The univariate polynomial with coefficients ``coeffs`` of the distinct powers ``keys``."""
    if keys == list(range(len(keys))):
        return UPoly(coeffs)
    c = [0] * (max(keys) + 1)
    for e, v in zip(keys, coeffs):
        c[e] = v
    return UPoly(c)


def _coefficient_matrix(vec, k: int) -> tuple[np.ndarray, list[int]]:
    """A vector of polynomials as ``(M, exps)``: ``M[s, m]`` is the coefficient of (packed) monomial ``exps[m]`` in entry s."""
    if k == 1:
        width = max((len(p.c) for p in vec), default=0)
        M = np.zeros((len(vec), max(width, 1)), dtype=object)
        for s, p in enumerate(vec):
            M[s, : len(p.c)] = p.c
        return M, list(range(M.shape[1]))
    exps = sorted({e for p in vec for e in p.terms})
    index = {e: m for m, e in enumerate(exps)}
    M = np.zeros((len(vec), max(len(exps), 1)), dtype=object)
    for s, p in enumerate(vec):
        for e, c in p.terms.items():
            M[s, index[e]] = c
    return M, [sum(x << (_EXP_BITS * v) for v, x in enumerate(e)) for e in exps] or [0]


# --------------------------------------------------------------------------- the enumerator


#: Why a support whose equations have a curve of solutions but only one equilibrium in sight is not settled.
_LONE_POINT = (
    "the equations have a curve of solutions, of which only one equilibrium was found: not proven to be the only one"
)


class _Enumerator:
    def __init__(self, game: NormalFormGame, deadline: float | None):
        self.game = game
        self.deadline = deadline
        self.N = game.num_players
        self.shape = game.shape
        self.U = _integer_payoffs(game)
        C = _comparable(self.U)
        self.C = C
        #: payoffs small enough that contractions (sums of a few hundred payoffs) fit in int64
        self.small = C.dtype == np.int64 and int(np.abs(C).max(initial=0)) < 2**40
        self.dominance = _Dominance(C)
        self.alive = self.dominance.alive
        self.points: list[Point] = []
        self.notes: list[str] = []
        self.unresolved: list[tuple[str, str]] = []  # (support text, why it was not settled)
        self.numeric: list = []  # (support text, BoxResult) for supports solved by subdivision
        self.positive_dim: list[dict] = []
        self._next_component = 0
        self._block_cache: dict = {}
        self._rows_cache: dict = {}
        self._own_axis_first = [self.U[i].transpose([i, *self.dominance.others[i]]) for i in range(self.N)]
        self.max_symbolic_seconds = 60.0

    # ---------------------------------------------------------------- supports
    def supports(self) -> list[tuple[tuple[int, ...], ...]]:
        """Support profiles that survive conditional dominance, smallest and most balanced first."""
        alive = self.alive
        found = self.dominance.surviving()
        sizes = [[m.bit_count() for m in range(1 << len(a))] for a in alive]

        def key(masks: tuple[int, ...]) -> tuple[int, int]:
            counts = [sizes[i][m] for i, m in enumerate(masks)]
            return sum(counts), max(counts) - min(counts)

        found.sort(key=key)
        members = [[tuple(a[s] for s in _mask_members(m)) for m in range(1 << len(a))] for a in alive]
        return [tuple(members[i][m] for i, m in enumerate(masks)) for masks in found]

    def total_supports(self) -> int:
        return math.prod((1 << len(a)) - 1 for a in self.alive)

    # ---------------------------------------------------------------- blocks
    def blocks(self, S, mixed) -> list[np.ndarray]:
        """Player i's payoffs for each of its strategies (axis 0) against the supports of the others.

        The remaining axes are the mixing opponents in the order of ``mixed``;
        pure opponents are fixed at their strategy.
        """
        out = []
        for i in range(self.N):
            key = (i, S[:i] + S[i + 1 :])
            blk = self._block_cache.get(key)
            if blk is None:
                # pure opponents by basic indexing (a view), then the mixing ones' strategies by take
                others = [j for j in range(self.N) if j != i]
                blk = self._own_axis_first[i][
                    (slice(None),) + tuple(S[j][0] if len(S[j]) == 1 else slice(None) for j in others)
                ]
                axis = 1
                for j in others:
                    if len(S[j]) > 1:
                        if len(S[j]) < self.shape[j]:
                            blk = blk.take(S[j], axis=axis)
                        axis += 1
                self._block_cache[key] = blk
            out.append(blk)
        return out

    def block_rows(self, S, blocks: list[np.ndarray]) -> list[list[list[int]]]:
        """The blocks as lists: per player, per own strategy, its payoffs flattened in C order (cached likewise)."""
        out = []
        for i, blk in enumerate(blocks):
            key = (i, S[:i] + S[i + 1 :])
            rows = self._rows_cache.get(key)
            if rows is None:
                rows = self._rows_cache[key] = blk.reshape(blk.shape[0], -1).tolist()
            out.append(rows)
        return out

    def _profile(self, S, probs: dict) -> tuple:
        """Full profile from per-player probability lists over the supports."""
        prof = []
        for i in range(self.N):
            row = [Fraction(0)] * self.shape[i]
            if len(S[i]) == 1:
                row[S[i][0]] = Fraction(1)
            else:
                for s, p in zip(S[i], probs[i]):
                    row[s] = p
            prof.append(tuple(row))
        return tuple(prof)

    # ---------------------------------------------------------------- dispatch
    def solve(self, S) -> None:
        mixed = [j for j in range(self.N) if len(S[j]) > 1]
        m = len(mixed)
        if m == 0:
            return  # pure profiles are found by :meth:`_Dominance.pure_equilibria`
        blocks = self.blocks(S, mixed)
        if m == 1:
            j = mixed[0]
            vals = blocks[j][list(S[j])]
            if any(v != vals[0] for v in vals):
                return  # no tie: a single mixing player cannot be indifferent
            self.degenerate_linear(S, mixed, blocks)
            return
        if m == 2:
            self.linear(S, mixed, blocks)
            return
        # Most supports conditional dominance keeps have no solution: interval propagation proves it for most of
        # them at a fraction of an exact solve (see _polyprune), when every mixing player has two strategies there.
        # Not tried where the exact solve is cheaper (two players mix: measured no gain), nor where certified
        # subdivision would solve the support (more unknowns than sympy takes: no gain either, and its note stays).
        pairs = all(len(S[j]) == 2 for j in mixed)
        if pairs and m <= MAX_SYMBOLIC_UNKNOWNS and proven_empty(self.block_rows(S, blocks), S, mixed, self.alive):
            return
        self.polynomial(S, mixed, blocks)

    # ---------------------------------------------------------------- checks shared by the exact paths
    def _indifference_rows(self, blocks, i, S, mixed, vecs_by_player, keep) -> list:
        """Rows of player i's equations ``u_i(s) - u_i(s0) = 0`` with every mixing opponent but ``keep`` contracted."""
        axes_players = [j for j in mixed if j != i]
        T = blocks[i][list(S[i])]  # (|S_i|, ...)
        pos = axes_players.index(keep) + 1
        if pos != 1:
            T = np.moveaxis(T, pos, 1)
        rest = [vecs_by_player[j] for j in axes_players if j != keep]
        M = _contract(T, rest)  # (|S_i|, |S_keep|)
        return [[M[s, c] - M[0, c] for c in range(M.shape[1])] for s in range(1, M.shape[0])]

    def _payoff_vectors(self, blocks, S, mixed, vecs_by_player) -> list:
        """For every player, the (scaled) payoff of each of its strategies against the others' vectors."""
        out = []
        for i in range(self.N):
            vecs = [vecs_by_player[j] for j in mixed if j != i]
            out.append(_contract(blocks[i], vecs))
        return out

    # ---------------------------------------------------------------- two players mix: linear
    def linear(self, S, mixed, blocks) -> None:
        a, b = mixed
        ones = {a: _obj([1] * len(S[a])), b: _obj([1] * len(S[b]))}
        Ma = self._indifference_rows(blocks, a, S, mixed, ones, keep=b)  # d_a x |S_b|
        Mb = self._indifference_rows(blocks, b, S, mixed, ones, keep=a)
        da, db = len(S[a]) - 1, len(S[b]) - 1
        if da != db:
            # Over-determined on one side: only a rank drop (a tie) leaves room for a solution.
            big, small = (Ma, db) if da > db else (Mb, da)
            if integer_rank(big) == small + 1:
                return
            self.degenerate_linear(S, mixed, blocks)
            return
        nu_b = kernel_vector(Ma)
        nu_a = kernel_vector(Mb)
        if not any(nu_a) or not any(nu_b):
            self.degenerate_linear(S, mixed, blocks)
            return
        nu_a = _positive(nu_a)
        nu_b = _positive(nu_b)
        if nu_a is None or nu_b is None:
            return
        vecs = {a: _obj(nu_a), b: _obj(nu_b)}
        values = self._payoff_vectors(blocks, S, mixed, vecs)
        for i in range(self.N):
            v0 = values[i][S[i][0]]
            if any(values[i][k] > v0 for k in self.alive[i]):
                return
        sa, sb = sum(nu_a), sum(nu_b)
        probs = {a: [Fraction(x, sa) for x in nu_a], b: [Fraction(x, sb) for x in nu_b]}
        self.points.append(Point(self._profile(S, probs), True, support=S))

    # ---------------------------------------------------------------- three or more mix: polynomial
    def polynomial(self, S, mixed, blocks) -> None:
        """Three or more players mix: eliminate the two with the most unknowns linearly (see module doc).

        Players ``a`` and ``b`` (``d_a >= d_b`` unknowns) are the linear ones;
        the others, ``F``, carry the ``k = sum d_f`` unknowns ``t``. Player
        ``a``'s ``d_a`` equations are linear in ``sigma_b``: the first ``d_b``
        give ``sigma_b`` as their vector of signed minors ``nu_b(t)``, the other
        ``d_a - d_b`` become conditions on ``t``. Player ``b``'s ``d_b`` equations
        and the first ``d_a - d_b`` equations of ``F`` (linear in ``sigma_a`` once
        ``sigma_b = nu_b``) give ``nu_a(t)``; the remaining equations of ``F``
        are the other conditions. That leaves ``k`` polynomial equations in ``k``
        unknowns, solved exactly for ``k <= 2``.
        """
        d = {j: len(S[j]) - 1 for j in mixed}
        if _polyreject.three_applies(S, mixed) and _polyreject.three_no_equilibrium(blocks, S, mixed):
            return
        order = sorted(mixed, key=lambda j: -d[j])
        a, b = order[0], order[1]
        F = [j for j in mixed if j not in (a, b)]
        k = sum(d[f] for f in F)
        extra = d[a] - d[b]
        if k > 2:
            self.symbolic(S, mixed)
            return
        vecs: dict = {}
        mono: dict = {}
        var = 0
        for f in F:
            ts = [poly_var(var + q, k) for q in range(d[f])]
            mono[f] = (d[f], var)
            var += d[f]
            last = poly_const(1, k)
            for t in ts:
                last = last - t
            vecs[f] = _obj(ts + [last])

        tensors: dict = {}

        def tensor(i: int) -> np.ndarray:
            """Player i's block, as int64 when the payoffs are small (converted once per support)."""
            T = tensors.get(i)
            if T is None:
                T = tensors[i] = blocks[i].astype(np.int64) if self.small else blocks[i]
            return T

        def contracted(i: int, T: np.ndarray, vectors: dict) -> np.ndarray:
            """Player i's payoff tensor T contracted with the others' vectors (F's own unknowns built in)."""
            others = {j: mono[j] for j in F if j != i}
            return _contract_structured(T, [j for j in mixed if j != i], vectors, others, k)

        def differences(i: int) -> np.ndarray:
            """Player i's payoffs of its support strategies but the first, minus the first's (the equations are
            linear in them, so the differences are taken before any contraction)."""
            T = tensor(i)
            return T[list(S[i][1:])] - T[S[i][0]]

        def rows(i: int, keep: int, vectors: dict) -> list:
            """Player i's equations ``u_i(s) - u_i(s0) = 0`` as rows over sigma_keep."""
            return contracted(i, differences(i), {**vectors, keep: None}).tolist()

        unsolved = {a: _ONES, b: _ONES}
        rows_a = rows(a, b, unsolved)
        rows_b = rows(b, a, unsolved)

        if extra > k:
            # more equations than unknowns: a solution needs rows_a(t) to lose rank (see _rank_can_drop)
            if _rank_can_drop(rows_a, k):
                self.symbolic(S, mixed)
            return

        def f_rows(keep: int, other_vec: list) -> list:
            """F's equations as rows over sigma_keep, once the other linear player plays ``other_vec``."""
            v = {b if keep == a else a: _obj(other_vec)}
            out = []
            for f in F:
                out += rows(f, keep, v)
            return out

        nu_b = [_as_poly(x, k) for x in kernel_vector(rows_a[: d[b]])]
        if all(x.is_zero() for x in nu_b):
            self.symbolic(S, mixed)
            return
        conditions = [_dot(row, nu_b) for row in rows_a[d[b] :]]
        frows = f_rows(a, nu_b) if extra else []
        nu_a = [_as_poly(x, k) for x in kernel_vector(rows_b + frows[:extra])]
        if all(x.is_zero() for x in nu_a):
            self.symbolic(S, mixed)
            return
        if extra:
            conditions += [_dot(row, nu_a) for row in frows[extra:]]
        else:  # F's equations at sigma_a = nu_a, sigma_b = nu_b, in one contraction per player
            for f in F:
                conditions += list(contracted(f, differences(f), {a: _obj(nu_a), b: _obj(nu_b)}))
        conditions = [_as_poly(e, k) for e in conditions]
        if any(e.is_zero() for e in conditions):
            self.symbolic(S, mixed)
            return
        vecs[a] = _obj(nu_a)
        vecs[b] = _obj(nu_b)

        def values(vectors: dict, i: int) -> list:
            return list(contracted(i, tensor(i), {j: vectors[j] for j in (a, b) if j != i}))

        system = _System(
            S, mixed, a, b, F, d, vecs, values, self.alive, k, self.shape, rows_a, rows_b, f_rows, blocks=blocks
        )
        if k == 1:
            ok = self._solve_univariate(system, conditions[0].to_univariate(0))
        else:
            ok = self._solve_bivariate(system, conditions[0], conditions[1])
        if not ok:
            self.symbolic(S, mixed)

    def _solve_univariate(self, sysm: _System, P: list[int]) -> bool:
        """Solve on the real roots of P in (0, 1); False when the support must go to the general solver."""
        found = self._points_at_roots(sysm, P)
        if isinstance(found, str):
            return False
        self.points.extend(found)
        return True

    @staticmethod
    def _points_at_roots(sysm: _System, P: list[int], roots: list[RealRoot] | None = None):
        """The equilibria at the real roots of P in (0, 1) (``roots``, if isolated already), or "degenerate" / "special"."""
        found = []
        for root in real_roots_01(P) if roots is None else roots:
            verdict = sysm.check_root(root)
            if isinstance(verdict, str):
                return verdict
            if verdict is not None:
                found.append(verdict)
        return found

    def _solve_bivariate(self, sysm: _System, f: Poly, g: Poly) -> bool:
        """Two unknowns (x, y): x from the resultant, y = -s10(x)/s11(x) from the first subresultant.

        Where that parametrisation breaks down (the subresultant or both
        leading coefficients vanish at a root: "special"), the roles of the
        two unknowns are exchanged and the support is solved again.
        """
        for attempt in range(2):
            if attempt:
                sysm, f, g = _swap_system(sysm), _swap_poly(f), _swap_poly(g)
            f, g = f.primitive(), g.primitive()
            if f.degree(1) < 1 or g.degree(1) < 1:
                continue
            r = resultant2(f, g, eliminate=1)
            if not r:
                return False  # a common factor: a curve of solutions, or of spurious ones
            roots = real_roots_01(r)
            if not roots:
                return True  # no solution with x in (0, 1): y is not needed
            s11, s10 = subresultant1(f, g, eliminate=1)
            if not s11:
                continue
            sysm.param = (s11, s10, f.coeffs_in(1)[-1].to_univariate(0), g.coeffs_in(1)[-1].to_univariate(0))
            found = self._points_at_roots(sysm, r, roots)
            if found == "special":
                continue
            if isinstance(found, str):
                return False
            self.points.extend(found)
            return True
        return False

    # ---------------------------------------------------------------- degenerate: a polytope of solutions
    def degenerate_linear(self, S, mixed, blocks) -> None:
        """Singular equations with at most two mixing players: exact vertex enumeration, else sympy."""
        from ._polylinear import solve_linear_degenerate

        result = solve_linear_degenerate(blocks, S, mixed, self.alive, self.shape)
        if result is None:
            self.symbolic(S, mixed)
            return
        profiles, positive = result
        if not profiles:
            return
        if not positive:
            self.points.append(Point(profiles[0], True, support=S))
            return
        comp = self._new_component()
        base = profiles[0]
        diffs = [[x - y for pr, pb in zip(p, base) for x, y in zip(pr, pb)] for p in profiles[1:]]
        dim = integer_rank(diffs) if diffs else 0
        for prof in profiles:
            sup = tuple(tuple(k for k, x in enumerate(row) if x != 0) for row in prof)
            self.points.append(Point(prof, True, component=comp, support=sup))
        self.positive_dim.append(
            {"support": _support_names(self.game, S), "dimension": dim, "component": comp, "samples": []}
        )

    # ---------------------------------------------------------------- general (sympy) path
    def symbolic(self, S, mixed) -> None:
        """Hand the support to the general exact solver (sympy Groebner bases), within limits.

        Groebner bases grow quickly with the number of unknowns and cannot be
        interrupted, so supports with more than :data:`MAX_SYMBOLIC_UNKNOWNS`
        unknowns go straight to certified subdivision (:meth:`boxes`), as do
        smaller ones sympy cannot finish within its time budget, unless sympy
        found a continuum (which subdivision cannot settle).
        """
        unknowns = sum(len(S[j]) - 1 for j in mixed)
        if unknowns > MAX_SYMBOLIC_UNKNOWNS:
            self.boxes(S, mixed)
            return
        from ._polysympy import solve_support

        budget = self.max_symbolic_seconds
        if self.deadline is not None:
            budget = max(0.0, min(budget, self.deadline - time.perf_counter()))
        result = solve_support(self.U, self.alive, S, mixed, self.shape, budget)
        if result.unresolved and not result.positive_dimensional:
            self.boxes(S, mixed)
        elif result.unresolved:
            self.unresolved.append((_support_text(self.game, S), "a continuum sympy could not finish describing"))
        if result.lone_point:
            self.unresolved.append((_support_text(self.game, S), _LONE_POINT))
        if result.positive_dimensional:
            comp = self._new_component()
            for p in result.points:
                p.component = comp
            self.positive_dim.append(
                {
                    "support": _support_names(self.game, S),
                    "dimension": result.dimension,
                    "component": comp,
                    "samples": [p.profile for p in result.samples],
                }
            )
        self.points.extend(result.points)

    def boxes(self, S, mixed) -> None:
        """Too many unknowns for Groebner bases: certified numerical subdivision (see :mod:`._polybox`)."""
        from ._polybox import solve_support_boxes

        result = solve_support_boxes(self.U, S, mixed, self.shape, self.deadline)
        text = _support_text(self.game, S)
        if result.unresolved:
            self.unresolved.append((text, result.unresolved))
        for profile in result.profiles:
            snapped = _snap_rational(self.game, profile, result.radius)
            if snapped is not None:
                self.points.append(Point(snapped, True, support=S))
            else:
                self.points.append(Point(profile, False, support=S))
        self.numeric.append((text, result))

    def _new_component(self) -> int:
        self._next_component += 1
        return -self._next_component  # provisional ids, renumbered at the end


@dataclass
class _System:
    """A polynomial support system after elimination, read through one unknown ``x``.

    With one unknown (``k = 1``) every quantity is a polynomial in ``x``. With
    two (``k = 2``) the second is ``y = -s10(x)/s11(x)``, and a polynomial
    ``Q(x, y)`` of degree ``e`` in ``y`` becomes ``s11(x)**e * Q(x, y(x))``, a
    polynomial in ``x`` (see :meth:`uni`). Either way every sign condition is
    decided exactly at a root of one univariate polynomial.
    """

    S: tuple
    mixed: list
    a: int
    b: int
    F: list
    d: dict
    vecs: dict  # player -> vector of polynomials (F: sigma in t; a, b: kernel vectors)
    values_fn: Any  # (vectors, player i) -> per strategy of i: scaled payoff polynomial
    alive: list
    k: int
    shape: tuple
    rows_a: list  # player a's equations, as rows over sigma_b
    rows_b: list  # player b's equations, as rows over sigma_a
    f_rows: Any  # (keep, other player's vector) -> F's equations as rows over sigma_keep
    param: Any = None  # (s11, s10, lc_f, lc_g) when k == 2
    blocks: Any = None  # per player: payoffs against the others' supports (see _Enumerator.blocks)
    _powers: dict = field(default_factory=dict)
    _values: dict = field(default_factory=dict)
    _common: dict = field(default_factory=dict)
    _uni_cache: dict = field(default_factory=dict)

    # ------------------------------------------------------------ one variable
    def uni(self, q, e: int | None = None) -> list[int]:
        """``q`` as a polynomial in x (times ``s11**e``, ``e`` = degree in y unless given)."""
        if self.k == 1:
            return q.to_univariate(0) if not q.is_zero() else []
        if q.is_zero():
            return []
        s11, s10 = self.param[0], self.param[1]
        coeffs = q.coeffs_in(1)
        if e is None:
            e = len(coeffs) - 1
        out: list[int] = []
        for j, c in enumerate(coeffs):
            if c.is_zero():
                continue
            term = u_mul(c.to_univariate(0), u_mul(self._power(s10, j, True), self._power(s11, e - j, False)))
            out = u_add(out, term)
        return out

    def _power(self, p: list[int], n: int, negate: bool) -> list[int]:
        key = (id(p), n, negate)
        got = self._powers.get(key)
        if got is None:
            base = [-c for c in p] if negate else p
            got = [1]
            for _ in range(n):
                got = u_mul(got, base)
            self._powers[key] = got
        return got

    def sign(self, q, root: RealRoot, s11_sign: int, key=None) -> int:
        """Exact sign of ``q(x, y(x))`` at the root (``key`` caches the conversion to one variable)."""
        if q.is_zero():
            return 0
        if root.exact is not None:
            # a rational point: evaluate directly, no conversion to one variable needed
            point = self._rational_point(root)
            if point is not None:
                v = q.evaluate(point)
                return (v > 0) - (v < 0)
        elif self.k == 2:
            got = None if flint_module(len(root.p)) is None else ball_eval(lambda fl: self._ball_sign2(fl, q, root))
            if got is None:  # no FLINT (or a short root polynomial, FLINT not imported): floats, error bound
                got = self._float_sign2(q, root)
            if got:
                return got
            if len(root.p) == 3:
                # a quadratic irrationality (typically where the elimination's rank drops): Z[sqrt(D)]
                got = self._sign_in_quadratic(q, root)
                if got is not None:
                    return got
            if len(root.p) <= (_FIELD_MAX_LENGTH if flint_module(len(root.p)) is not None else 5):
                # compute q(x, y) in Q[x]/(m), m the root's polynomial (any degree with FLINT's arithmetic)
                got = self._sign_in_field(q, root)
                if got is not None:
                    return got
        got = self._uni_cache.get(key) if key is not None else None
        if got is None:
            e = q.degree(1) if self.k == 2 else 0
            got = (self.uni(q), e)
            if key is not None:
                self._uni_cache[key] = got
        u, e = got
        return root.sign_of(u) * (s11_sign**e if e % 2 else 1)

    def _ball_powers(self, fl, root: RealRoot) -> tuple[list, list] | None:
        """Powers of the arb balls of x (the root) and y = -s10(x)/s11(x), cached per root (None: s11 ~ 0)."""
        root.refine(FLOAT_BITS)
        cache = self._uni_cache.setdefault("balls", {})
        got = cache.get(id(root))
        if got is not None and got[0] is root and got[1] == root.shift:
            return got[2]
        polys = self._uni_cache.get("arb_param")
        if polys is None:  # the arb polynomials of s11, s10, lc_f and lc_g, made once per system
            polys = self._uni_cache["arb_param"] = [fl.arb_poly(p) for p in self.param]
        x = root.ball(fl)
        den = polys[0](x)
        out = None
        if ball_sign(den):
            y = -polys[1](x) / den
            out = ([fl.arb(1), x], [fl.arb(1), y])
        cache[id(root)] = (root, root.shift, out)  # the root is kept in the entry, so its id is not reused
        return out

    def _ball_sign2(self, fl, q, root: RealRoot) -> int:
        """Sign of q(x, y) at the root in ball arithmetic: +1/-1, or 0 when the ball contains 0 (undecided)."""
        powers = self._ball_powers(fl, root)
        if powers is None:
            return 0
        return ball_sign(_ball_value(fl, q, powers))

    def _ball_verdict(self, root: RealRoot) -> bool | None:
        """True when ball arithmetic proves that the root carries no equilibrium, False when it proves one, else None.

        Most roots of the eliminated system carry none (the elimination adds
        spurious ones, and most real ones fail a sign or best-response
        condition). Checking the conditions of :meth:`check_root` on balls of
        the probabilities, straight from the payoff tensors, rejects them
        without building any payoff polynomial or testing any rank drop.
        False means every condition holds strictly on the balls, with the
        system's own kernel vectors: the exact checks would pass too (they
        accept ties that balls leave undecided), so they are skipped. Whatever
        a ball cannot decide (None) goes to the exact checks.
        """
        if flint_module(len(root.p)) is None:
            return None
        got = ball_eval(lambda fl: self._ball_rejects_in(fl, root))
        if got is not None or root.exact is not None:
            return got
        # At the roots of long resultants the balls of y can be too wide at first: once more, finer
        root.refine(3 * FLOAT_BITS)
        return ball_eval(lambda fl: self._ball_rejects_in(fl, root), 2 * BALL_PREC)

    def _ball_rejects_in(self, fl, root: RealRoot) -> bool | None:
        """True: no equilibrium at the root; False: an equilibrium, every condition holding strictly on the balls
        with the system's kernel vectors ``vecs``; None: undecided."""
        if self.k == 2:
            powers = self._ball_powers(fl, root)
            if powers is None:
                return None
            x = powers[0][1]
            _, _, lc_f, lc_g = self._uni_cache["arb_param"]
            if not (ball_sign(lc_f(x)) or ball_sign(lc_g(x))):
                return None  # y = -s10/s11 need not be the common root there ("special")
        else:
            root.refine(FLOAT_BITS)
            powers = ([fl.arb(1), root.ball(fl)], [])
        sigma = {}
        for f in self.F:
            values = [_ball_value(fl, p, powers) for p in self.vecs[f]]
            signs = {ball_sign(v) for v in values}
            if -1 in signs:
                return True  # a probability of the unknowns' players is negative
            if 0 in signs:
                return None
            sigma[f] = _obj(values)
        a, b = self.a, self.b
        forced = {}
        own = True  # every vector in forced is the system's own (vecs), not one rebuilt on balls
        for j in (b, a):
            values = [_ball_value(fl, p, powers) for p in self.vecs[j]]
            signs = {ball_sign(v) for v in values}
            # nu_b spans sigma_b's kernel wherever it is not zero; so does nu_a once sigma_b is forced, or
            # always when nu_a comes from b's own equations alone (d_a == d_b)
            spans = j == b or b in forced or self.d[a] == self.d[b]
            if spans and signs >= {1, -1}:
                return True  # a non-zero kernel vector of one sign is needed, and this one is not
            if spans and 0 not in signs:
                forced[j] = _obj(values if 1 in signs else [-v for v in values])
            elif j == b and self.d[a] > self.d[b]:
                # nu_b (from a's first d_b equations) vanishes here: any d_b of a's equations whose kernel
                # vector is not zero span sigma_b's kernel as well
                got = _ball_kernel(self._ball_rows(a, b, sigma), self.d[b])
                if got is True:
                    return True
                if got is not None:
                    forced[b] = got
                    own = False
        sigma.update(forced)
        if len(forced) == 2:
            fails = self._ball_best_response_fails(sigma)
            return None if fails is False and not own else fails  # not own: the exact path rebuilds the kernels
        if len(forced) == 1:
            # the other linear player's probabilities must solve every equation linear in them: none
            # but 0 does when those equations have full rank (a non-zero maximal minor)
            known = next(iter(forced))
            free = b if known == a else a
            rows = [row for i in (known, *self.F) for row in self._ball_rows(i, free, sigma)]
            return True if _ball_full_rank(rows, len(self.S[free])) else None
        return None

    def _ball_rows(self, i: int, keep: int, sigma: dict) -> list:
        """Player i's equations ``u_i(s) - u_i(s0) = 0`` as rows over sigma_keep, the others' balls substituted."""
        T = self.blocks[i][list(self.S[i])]
        players = [j for j in self.mixed if j != i]
        T = np.moveaxis(T, players.index(keep) + 1, 1)
        M = _contract(T, [sigma[j] for j in players if j != keep])
        return [[M[s, c] - M[0, c] for c in range(M.shape[1])] for s in range(1, M.shape[0])]

    def _ball_best_response_fails(self, sigma: dict) -> bool | None:
        """True when some player certainly gains by a strategy outside its support (balls of positive weights).

        False when every such strategy certainly earns less, None when a ball cannot tell.
        """
        decided = True
        for i in range(len(self.shape)):
            outside = [kk for kk in self.alive[i] if kk not in self.S[i]]
            if outside:
                vals = _contract(self.blocks[i], [sigma[j] for j in self.mixed if j != i])
                s0 = self.S[i][0]
                signs = {ball_sign(vals[kk] - vals[s0]) for kk in outside}
                if 1 in signs:
                    return True
                decided = decided and 0 not in signs
        return False if decided else None

    def _float_point(self, root: RealRoot):
        """(x, y, dx, dy): the point in floating point with bounds on the errors of x and y (None if unsafe).

        ``y = -s10(x)/s11(x)`` is evaluated exactly (integers) at the dyadic
        midpoint of the root's interval, so its only error is the interval's
        half-width times a bound on ``|y'|``.
        """
        cache = self._uni_cache.setdefault("floats", {})
        root.refine(FLOAT_BITS)
        if root.exact is not None:
            return None
        key = (id(root), root.num, root.shift)
        if key in cache:
            return cache[key]
        s11, s10 = self.param[0], self.param[1]
        num, e = 2 * root.num + 1, root.shift + 1
        v11 = Fraction(u_eval_scaled(s11, num, e), 1 << (e * (len(s11) - 1)))
        v10 = Fraction(u_eval_scaled(s10, num, e), 1 << (e * (len(s10) - 1)))
        if v11 == 0:
            cache[key] = None
            return None
        y = -v10 / v11
        x = root.float_mid()
        half = 2.0**-e
        # |y'| <= (|s10'| |s11| + |s10| |s11'|) / s11^2, with |p'| bounded by sum i|c_i| on [0, 1]
        try:
            d10 = float(sum(i * abs(c) for i, c in enumerate(s10)))
            d11 = float(sum(i * abs(c) for i, c in enumerate(s11)))
            f11 = abs(float(v11))
            slope = (d10 * f11 + abs(float(v10)) * d11) / (f11 * f11) if f11 else math.inf
            y_float = float(y)
        except (OverflowError, ZeroDivisionError):  # coefficients beyond double range (float payoffs read exactly)
            cache[key] = None
            return None
        if f11 == 0.0 or not math.isfinite(slope):
            cache[key] = None
            return None
        # s11 must keep its sign over the interval for the bound to hold
        if d11 * half * 4 >= f11:
            cache[key] = None
            return None
        dy = 4 * slope * half + 1e-15 * (1 + abs(y_float))
        dx = half + 2.0**-53
        out = (x, y_float, dx, dy) if dy < 1e-6 else None
        cache[key] = out
        return out

    def _float_sign2(self, q, root: RealRoot) -> int | None:
        """Sign of q(x, y) from floating point with an error bound, or None when too close to call."""
        pt = self._float_point(root)
        if pt is None:
            return None
        x, y, dx, dy = pt
        ax, ay = abs(x) + dx, abs(y) + dy
        value = size = gx = gy = 0.0
        try:
            for (i, j), c in q.terms.items():
                cf = float(c)
                t = cf * x**i * y**j
                value += t
                m = abs(cf) * ax**i * ay**j
                size += m
                if i:
                    gx += abs(cf) * i * ax ** (i - 1) * ay**j
                if j:
                    gy += abs(cf) * j * ax**i * ay ** (j - 1)
        except OverflowError:
            return None
        err = 2 * (gx * dx + gy * dy) + 1e-13 * size
        if abs(value) > 4 * err:
            return 1 if value > 0 else -1
        return None

    def _sign_in_quadratic(self, q, root: RealRoot) -> int | None:
        """Exact sign of ``q(x, y(x))`` at a root of an irreducible quadratic, in integers of ``Z[sqrt(D)]``.

        With ``x = (alpha + sqrt(D)) / delta``, every polynomial in ``x`` is
        evaluated scaled by a power of ``delta > 0``, and ``q`` is read as
        ``s11**e * q(x, -s10/s11) = sum_j c_j(x) (-s10(x))**j s11(x)**(e - j)``
        whose terms are brought to one power of ``delta``; the sign of ``s11``
        is put back at the end. None when the root is not such a quadratic one.
        """
        cache = self._uni_cache.setdefault("quadratic", {})
        got = cache.get(id(root))
        if got is None or got[0] is not root:  # the root is kept in the entry, so its id is not reused
            qr = QuadraticRoot.of(root)
            got = (root, qr)
            if qr is not None:
                s11, s10 = self.param[0], self.param[1]
                got += (qr.scaled_value(s10), max(len(s10) - 1, 0), qr.scaled_value(s11), max(len(s11) - 1, 0))
            cache[id(root)] = got
        if got[1] is None:
            return None
        _, qr, t10, n10, t11, n11 = got
        minus_t10 = (-t10[0], -t10[1])
        coeffs = q.coeffs_in(1)
        e = len(coeffs) - 1
        terms = []
        for j, c in enumerate(coeffs):
            if c.is_zero():
                continue
            u = c.to_univariate(0)
            value, power = qr.scaled_value(u), max(len(u) - 1, 0)
            for _ in range(j):
                value = surd_mul(value, minus_t10, qr.D)
            for _ in range(e - j):
                value = surd_mul(value, t11, qr.D)
            terms.append((value, power + j * n10 + (e - j) * n11))
        if not terms:
            return 0
        top = max(power for _, power in terms)
        a = b = 0
        for (va, vb), power in terms:
            scale = qr.delta ** (top - power)
            a += va * scale
            b += vb * scale
        sign = qr.sign(a, b)
        if e % 2:
            sign *= qr.sign(*t11)
        return sign

    def _sign_in_field(self, q, root: RealRoot) -> int | None:
        """Exact sign of ``q(x, y)`` at the root, from ``q`` reduced modulo the root's polynomial ``m``.

        With ``y = -s10/s11`` taken modulo ``m`` (None when ``s11`` is not
        invertible there), ``q(x, y)`` becomes a polynomial of degree below
        ``deg m`` with the same value at the root: zero when the reduction is,
        else its sign at the root is decided by :meth:`RealRoot.sign_of`.
        The zero test is what matters: at the points where the elimination's
        rank drops, many values vanish exactly, and refining the root never
        proves that.
        """
        fl = flint_module()
        if fl is None:
            return self._sign_in_field_python(q, root)
        cache = self._uni_cache.setdefault("flint_fields", {})
        got = cache.get(id(root.p))
        if got is None or got[0] is not root.p:  # the polynomial is kept in the entry: its id is not reused
            m = fl.fmpq_poly(root.p)
            g, inv, _ = (fl.fmpq_poly(self.param[0]) % m).xgcd(m)
            y = None if g != 1 else (-fl.fmpq_poly(self.param[1]) * inv) % m
            got = (root.p, m, y)
            cache[id(root.p)] = got
        _, m, y = got
        if y is None:
            return None
        value = fl.fmpq_poly([])
        for c in reversed(q.coeffs_in(1)):  # Horner in y
            value = (value * y + fl.fmpq_poly(c.to_univariate(0) if not c.is_zero() else [])) % m
        if value.is_zero():
            return 0
        return root.sign_of([int(v) for v in value.numer().coeffs()])  # the denominator is positive

    def _sign_in_field_python(self, q, root: RealRoot) -> int | None:
        """:meth:`_sign_in_field` in Fractions (without FLINT; only used for roots of degree at most four)."""
        m = [Fraction(c) for c in root.p]
        cache = self._uni_cache.setdefault("fields", {})
        y = cache.get(id(root.p), False)
        if y is False:
            s11 = _pmod([Fraction(c) for c in self.param[0]], m)
            s10 = _pmod([Fraction(c) for c in self.param[1]], m)
            inv = _pinvmod(s11, m)
            y = None if inv is None else _pmod(_pmul([-c for c in s10], inv), m)
            cache[id(root.p)] = y
        if y is None:
            return None
        value: list = []
        for c in reversed(q.coeffs_in(1)):  # Horner in y
            value = _pmod(
                u_add(_pmul(value, y), [Fraction(v) for v in c.to_univariate(0)] if not c.is_zero() else []), m
            )
        if not any(value):
            return 0
        den = math.lcm(*[v.denominator for v in value])
        return root.sign_of([int(v * den) for v in value])

    def _rational_point(self, root: RealRoot):
        """(x,) or (x, y(x)) as Fractions at a rational root (None if y's denominator vanishes there)."""
        x = root.exact
        if self.k == 1:
            return (x,)
        cache = self._uni_cache.setdefault("points", {})
        if x not in cache:
            s11, s10 = self.param[0], self.param[1]
            den = _u_eval_frac(s11, x)
            cache[x] = None if den == 0 else (x, -_u_eval_frac(s10, x) / den)
        return cache[x]

    def _vector_uni(self, vec) -> list[list[int]]:
        e = max(p.degree(1) for p in vec) if self.k == 2 else 0
        return [self.uni(p, e) for p in vec]

    # ------------------------------------------------------------ kernel vectors at a root
    def _vector_signs(self, j: int, root: RealRoot, s11_sign: int):
        """Common strict sign of player j's kernel vector at the root: +1/-1, 0 (not all of one sign), None (zero)."""
        if j not in self._common:
            self._common[j] = self._rank_drop_poly(j)
        drop = self._common[j]
        vec = self.vecs[j]
        if drop is None or (len(drop) > 1 and root.is_root_of(drop, self._drop_gcd(root, j, drop))):
            if len(root.p) <= 3:
                root.rational()  # a low-degree root is cheap to test for rationality, and then exact
            return _common_sign([self.sign(p, root, s11_sign, ("nu", j, n)) for n, p in enumerate(vec)])
        first = 0
        for n, p in enumerate(vec):
            sg = self.sign(p, root, s11_sign, ("nu", j, n))
            if sg == 0 or (first and sg != first):
                return 0
            first = sg
        return first

    def _drop_gcd(self, root: RealRoot, j: int, drop: list[int]) -> list[int]:
        """``gcd(root.p, drop)``, computed once for all the roots of one polynomial."""
        cache = self._uni_cache.setdefault("drop_gcd", {})
        key = (id(root.p), j)
        got = cache.get(key)
        if got is None or got[0] is not root.p:  # the polynomial is kept in the entry: its id is not reused
            got = (root.p, u_gcd(root.p, drop))
            cache[key] = got
        return got[1]

    def _rank_drop_poly(self, j: int) -> list[int] | None:
        """A polynomial in x vanishing wherever player j's kernel vector vanishes (None: not available).

        The vector is zero only where its first two entries are; for one
        unknown that is their gcd, for two it is the x-coordinate of their
        common zeros, a root of their resultant in y. A small polynomial, so
        that the exact (gcd-based) zero tests run only at the few roots where
        the rank of the linear equations can really drop.
        """
        vec = self.vecs[j]
        if len(vec) < 2:
            return None
        p, q = vec[0], vec[1]
        if p.is_zero() or q.is_zero():
            return None
        if self.k == 1 or (p.degree(1) <= 0 and q.degree(1) <= 0):
            return u_gcd(p.to_univariate(0), q.to_univariate(0))
        r = resultant2(p.primitive(), q.primitive(), eliminate=1)
        return r or None

    def _kernel_at(self, rows: list, size: int, root: RealRoot, s11_sign: int):
        """The kernel vector of ``rows`` (polynomial entries) at the root when the kernel is a line.

        Tries every choice of ``size - 1`` rows until their signed minors do
        not all vanish at the root, then checks that every other row is
        orthogonal to that vector there. Returns the vector, "none" when the
        rows have full rank (no solution here), or "degenerate" when the
        kernel has dimension two or more (a continuum: left to the general solver).
        """
        for pick in itertools.combinations(range(len(rows)), size - 1):
            nu = [_as_poly(x, self.k) for x in kernel_vector([rows[r] for r in pick])]
            if all(self.sign(p, root, s11_sign) == 0 for p in nu):
                continue
            for r in range(len(rows)):
                if r not in pick and self.sign(_as_poly(_dot(rows[r], nu), self.k), root, s11_sign) != 0:
                    return "none"
            return nu
        return "degenerate"

    def _kernels_at(self, root: RealRoot, s11_sign: int):
        """Both kernel vectors at a rank-drop root: (nu_a, nu_b), "none" or "degenerate"."""
        a, b = self.a, self.b
        nu_b = self._kernel_at(self.rows_a, len(self.S[b]), root, s11_sign)
        if nu_b == "none":
            return "none"
        if nu_b != "degenerate":
            nu_a = self._kernel_at(self.rows_b + self.f_rows(a, nu_b), len(self.S[a]), root, s11_sign)
            return nu_a if isinstance(nu_a, str) else (nu_a, nu_b)
        # a's own equations leave sigma_b free: fix sigma_a first, then sigma_b from every row linear in it
        nu_a = self._kernel_at(self.rows_b, len(self.S[a]), root, s11_sign)
        if isinstance(nu_a, str):
            return nu_a
        nu_b = self._kernel_at(self.rows_a + self.f_rows(b, nu_a), len(self.S[b]), root, s11_sign)
        return nu_b if isinstance(nu_b, str) else (nu_a, nu_b)

    # ------------------------------------------------------------ the checks
    def check_root(self, root: RealRoot):
        """The equilibrium at the root, None if there is none there, "degenerate" if this method cannot tell."""
        verdict = self._ball_verdict(root)
        if verdict:
            return None
        vectors = self.vecs if verdict is False else self._exact_checks(root)
        if vectors is None or isinstance(vectors, str):
            return vectors
        unis = {j: self._vector_uni(vectors[j]) for j in self.mixed}
        exact = root.rational()
        if exact is not None:
            probs = _probs_at(unis, exact)
            return Point(_full_profile(self.S, probs, len(self.shape), self.shape), True, support=self.S)
        probs = _float_probs(unis, root)
        forms = _LazyForms(self, unis, root)
        return Point(_full_profile(self.S, probs, len(self.shape), self.shape, 0.0), False, forms, support=self.S)

    def _exact_checks(self, root: RealRoot):
        """Every condition of an equilibrium at the root, in exact arithmetic.

        Returns the players' probability vectors (the system's ``vecs``, or
        kernels solved afresh where their rank drops), None when some
        condition fails, "special" or "degenerate" when this system cannot tell.
        """
        s11_sign = 1
        if self.k == 2:
            s11, _, lc_f, lc_g = self.param
            s11_sign = root.sign_of(s11)
            if s11_sign == 0 or (root.sign_of(lc_f) == 0 and root.sign_of(lc_g) == 0):
                return "special"
            for f in self.F:  # the unknowns' own probabilities (x in (0, 1) is given)
                for n, p in enumerate(self.vecs[f]):
                    if self.sign(p, root, s11_sign, ("nu", f, n)) <= 0:
                        return None
        a, b = self.a, self.b
        vectors = self.vecs
        sb = self._vector_signs(b, root, s11_sign)
        sa = self._vector_signs(a, root, s11_sign) if sb != 0 else 0
        if sa is None or sb is None:
            # The rows that gave the kernel vectors lose rank here: solve the linear part afresh at
            # this point, one player's kernel from its own rows, the other's from all rows linear in it.
            got = self._kernels_at(root, s11_sign)
            if isinstance(got, str):
                return None if got == "none" else "degenerate"
            nu_a, nu_b = got
            vectors = dict(self.vecs)
            vectors[a], vectors[b] = _obj(nu_a), _obj(nu_b)
            sb = _common_sign([self.sign(p, root, s11_sign) for p in nu_b])
            sa = _common_sign([self.sign(p, root, s11_sign) for p in nu_a])
        if not sa or not sb:
            return None
        signs = {a: sa, b: sb}
        fresh = vectors is not self.vecs
        for i in range(len(self.shape)):
            outside = [kk for kk in self.alive[i] if kk not in self.S[i]]
            if not outside:
                continue
            if fresh:
                vals = self.values_fn(vectors, i)
            else:
                if i not in self._values:
                    self._values[i] = self.values_fn(vectors, i)
                vals = self._values[i]
            s0 = self.S[i][0]
            scale = 1
            for j in (a, b):
                if j != i:
                    scale *= signs[j]
            for kk in outside:
                key = None if fresh else ("br", i, kk)
                if self.sign(vals[kk] - vals[s0], root, s11_sign, key) * scale > 0:
                    return None
        return vectors


def _ball_value(fl, q, powers: tuple[list, list]):
    """``q`` (:class:`Poly` in two unknowns or :class:`UPoly`) at a point given by arb powers of x and y.

    The lists of powers grow as needed (and are shared between calls).
    """
    xs, ys = powers
    if isinstance(q, UPoly):
        return fl.arb_poly(q.c)(xs[1])
    value = fl.arb(0)
    for (i, j), c in q.terms.items():
        while len(xs) <= i:
            xs.append(xs[-1] * xs[1])
        while len(ys) <= j:
            ys.append(ys[-1] * ys[1])
        value += c * xs[i] * ys[j]
    return value


def _ball_kernel(rows: list, size: int):
    """A kernel vector of ``size`` of the rows (arb balls) that is certainly non-zero, made positive.

    Returns the vector, True when such a vector has entries of both signs
    (then no positive vector solves those rows), or None when no choice of
    rows gives a vector whose every entry a ball decides.
    """
    for pick in itertools.combinations(range(len(rows)), size):
        nu = kernel_vector([rows[r] for r in pick])
        signs = {ball_sign(v) for v in nu}
        if signs >= {1, -1}:
            return True
        if 0 not in signs:
            return _obj(nu if 1 in signs else [-v for v in nu])
    return None


def _ball_full_rank(rows: list, n: int) -> bool:
    """True when some ``n`` of the rows (arb balls) certainly have a non-zero determinant."""
    return any(ball_sign(det([rows[r] for r in pick])) for pick in itertools.combinations(range(len(rows)), n))


def _rank_can_drop(rows: list, k: int) -> bool:
    """Whether the ``r x c`` matrix ``rows`` (``r > c``, entries polynomial in ``k <= 2`` unknowns) may drop rank.

    An equilibrium on an over-determined support needs a positive kernel
    vector of player ``a``'s rows, so every maximal (``c x c``) minor must
    vanish at the unknowns, whose first coordinate ``x`` lies in (0, 1). With one
    unknown the minors' gcd must then have a root in (0, 1); with two, so must
    the gcd of the resultants (in the second unknown) of one minor with the
    others, which vanish at the ``x`` of every common zero. False proves that
    the support holds no equilibrium (the generic case, settled exactly in
    milliseconds); True sends it to the general solver.
    """
    size = len(rows[0])
    minors = [_as_poly(det([rows[r] for r in pick]), k) for pick in itertools.combinations(range(len(rows)), size)]
    minors = [m.primitive() for m in minors if not m.is_zero()]
    if not minors:
        return True
    in_x = [m.to_univariate(0) for m in minors if k == 1 or m.degree(1) <= 0]
    in_xy = [m for m in minors if k == 2 and m.degree(1) > 0]
    for other in in_xy[1:]:
        r = resultant2(in_xy[0], other, eliminate=1)
        if r:
            in_x.append(r)
    if not in_x:
        return True
    g = in_x[0]
    for p in in_x[1:]:
        g = u_gcd(g, p)
    return bool(real_roots_01(g))


def _pmul(a: list, b: list) -> list:
    """Product of two polynomials over Q (little-endian lists), trimmed."""
    return u_trim(u_mul(a, b))


def _pmod(a: list, m: list) -> list:
    """Remainder of ``a`` modulo ``m`` over Q (lists of Fractions, little-endian)."""
    a = u_trim(list(a))
    n = len(m) - 1
    while len(a) > n:
        c = a[-1] / m[-1]
        shift = len(a) - 1 - n
        for i, v in enumerate(m):
            a[i + shift] -= c * v
        a = u_trim(a[:-1])
    return a


def _pinvmod(a: list, m: list) -> list | None:
    """Inverse of ``a`` modulo ``m`` over Q by the extended Euclidean algorithm (None if not invertible)."""
    r0, r1 = u_trim(list(m)), u_trim(list(a))
    s0, s1 = [], [Fraction(1)]
    while r1:
        if len(r1) == 1:
            inv = [v / r1[0] for v in s1]
            return _pmod(inv, m)
        # one step of division r0 = qq * r1 + rem
        qq = [Fraction(0)] * (len(r0) - len(r1) + 1)
        rem = list(r0)
        while len(rem) >= len(r1) and rem:
            c = rem[-1] / r1[-1]
            shift = len(rem) - len(r1)
            qq[shift] = c
            for i, v in enumerate(r1):
                rem[i + shift] -= c * v
            rem = u_trim(rem[:-1])
        r0, r1 = r1, rem
        s0, s1 = s1, u_add(s0, [-v for v in _pmul(qq, s1)])
    return None


def _swap_poly(p):
    """The bivariate polynomial with its two variables exchanged."""
    if not isinstance(p, Poly):
        return p
    return Poly({(e[1], e[0]): c for e, c in p.terms.items()}, 2)


def _swap_system(sysm: _System) -> _System:
    """The same two-unknown system with the unknowns exchanged (a fresh object, empty caches)."""
    sw = _swap_poly

    def swap_vec(vec):
        return _obj([sw(p) for p in vec])

    def f_rows(keep, other_vec):
        return [[sw(x) for x in row] for row in sysm.f_rows(keep, [sw(p) for p in other_vec])]

    def values_fn(vectors, i):
        return [sw(x) for x in sysm.values_fn({j: swap_vec(v) for j, v in vectors.items()}, i)]

    return _System(
        sysm.S,
        sysm.mixed,
        sysm.a,
        sysm.b,
        sysm.F,
        sysm.d,
        {j: swap_vec(v) for j, v in sysm.vecs.items()},
        values_fn,
        sysm.alive,
        sysm.k,
        sysm.shape,
        [[sw(x) for x in row] for row in sysm.rows_a],
        [[sw(x) for x in row] for row in sysm.rows_b],
        f_rows,
        blocks=sysm.blocks,
    )


def _common_sign(signs: list[int]):
    """+1/-1 when all signs agree and are non-zero, None when all are zero, else 0."""
    if all(s == 0 for s in signs):
        return None
    if all(s > 0 for s in signs):
        return 1
    if all(s < 0 for s in signs):
        return -1
    return 0


def _dot(row: list, vec) -> object:
    total = 0
    for x, y in zip(row, vec):
        total = total + x * y
    return total


def _positive(vec: list[int]) -> list[int] | None:
    """The kernel vector with positive entries, or None if its entries are not all of one strict sign."""
    if all(x > 0 for x in vec):
        return vec
    if all(x < 0 for x in vec):
        return [-x for x in vec]
    return None


def _as_poly(x, k: int):
    return x if isinstance(x, (Poly, UPoly)) else poly_const(x, k)


def _u_eval_frac(p: list[int], x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in reversed(p):
        acc = acc * x + c
    return acc


def _full_profile(S, probs: dict, n: int, shape: tuple, zero=Fraction(0)) -> tuple:
    one = Fraction(1) if zero == 0 and isinstance(zero, Fraction) else 1.0
    out = []
    for i in range(n):
        row = [zero] * shape[i]
        if i in probs:
            for s, p in zip(S[i], probs[i]):
                row[s] = p
        else:
            row[S[i][0]] = one
        out.append(tuple(row))
    return tuple(out)


def _scaled_weights(unis: dict, t: Fraction) -> dict:
    """Per player, the integers ``b**deg * p(a/b)`` for its weight polynomials at ``t = a/b`` (one common scale)."""
    out = {}
    a, b = t.numerator, t.denominator
    b_powers = [1]  # b**n, shared by every polynomial (at roots refined to hundreds of bits, recomputing
    # b**n per coefficient made this the costliest step of a whole game)
    for j, polys in unis.items():
        deg = max(len(p) for p in polys) - 1
        while len(b_powers) <= deg:
            b_powers.append(b_powers[-1] * b)
        nums = []
        for p in polys:
            acc = 0
            for i in range(deg, -1, -1):
                c = p[i] if i < len(p) else 0
                acc = acc * a + c * b_powers[deg - i]
            nums.append(acc)
        out[j] = nums
    return out


def _probs_at(unis: dict, t: Fraction) -> dict:
    """Exact probabilities at a rational point ``t`` (numerators over their sum, per player)."""
    return {j: [Fraction(v, sum(nums)) for v in nums] for j, nums in _scaled_weights(unis, t).items()}


def _float_probs(unis: dict, root: RealRoot) -> dict:
    """Probabilities at an irrational root as floats, shown to move less than 1e-13 across the root's interval.

    Each probability is a ratio of polynomial values at the interval's ends
    and middle, rounded correctly to a double (see :func:`_rounded_ratios`).
    """
    bits = max(64, root.shift)
    arb_unis: dict = {}
    while True:
        root.refine(bits)
        lo_p = _rounded_ratios(unis, root.lo, arb_unis)
        hi_p = _rounded_ratios(unis, root.hi, arb_unis)
        spread = max(abs(u - v) for j in lo_p for u, v in zip(lo_p[j], hi_p[j]))
        if spread < 1e-14 or bits > 4000:
            return _rounded_ratios(unis, root.midpoint(), arb_unis)
        bits *= 2


def _rounded_ratios(unis: dict, t: Fraction, arb_unis: dict) -> dict:
    """Per player, each weight polynomial's value at ``t`` over their sum, correctly rounded to a double.

    Exactly ``v / sum(nums)`` for the integers of :func:`_scaled_weights`
    (Python divides integers with correct rounding). Those integers are slow
    where a root was refined to hundreds of bits (to rule out a rational
    root): degree-66 weights with 500-bit coefficients took 20-25 ms per
    root on 2 of 20 3x3x2x2 games. So each ratio is first a ball, which
    gives the double when it lies strictly between the midpoints to that
    double's neighbours; the integers are computed only when a ball cannot
    tell. ``arb_unis`` caches the weights as arb polynomials between calls.
    """
    length = max(len(p) for polys in unis.values() for p in polys)
    if flint_module(length) is not None:
        got = ball_eval(lambda fl: _ball_ratios(fl, unis, t, arb_unis), 2 * BALL_PREC)
        if got is not None:
            return got
    weights = _scaled_weights(unis, t)
    return {j: [v / sum(nums) for v in nums] for j, nums in weights.items()}


def _ball_ratios(fl, unis: dict, t: Fraction, arb_unis: dict) -> dict | None:
    """:func:`_rounded_ratios` in ball arithmetic (None when some ball is too wide to tell the double)."""
    if not arb_unis:
        arb_unis.update({j: [fl.arb_poly(p) for p in polys] for j, polys in unis.items()})
    x = fl.arb(fl.fmpq(t.numerator, t.denominator))
    out = {}
    for j, polys in arb_unis.items():
        values = [p(x) for p in polys]
        total = sum(values[1:], values[0])
        row = []
        for v in values:
            ratio = v / total
            d = float(ratio)
            if not math.isfinite(d):
                return None
            ball_d = fl.arb(d)
            if not (
                (fl.arb(math.nextafter(d, -math.inf)) + ball_d) / 2 < ratio < (ball_d + math.nextafter(d, math.inf)) / 2
            ):
                return None
            row.append(d)
        out[j] = row
    return out


class _LazyForms:
    """Exact text of an equilibrium at an irrational root, computed on first access.

    A root of a quadratic is written with one square root by integer
    arithmetic in ``Z[sqrt(D)]`` (:func:`_quadratic_forms`); anything else
    goes to sympy (factorisation, minimal polynomials, radicals or ``CRootOf``).
    """

    def __init__(self, sysm: _System, unis: dict, root: RealRoot):
        self.shape = sysm.shape
        self.S = sysm.S
        self.unis = unis
        self.root = root

    def __call__(self):
        quadratic = QuadraticRoot.of(self.root)
        if quadratic is not None:
            return _quadratic_forms(self.shape, self.S, self.unis, quadratic)
        from ._polysympy import univariate_forms

        return univariate_forms(self.shape, self.S, self.unis, self.root)


def _quadratic_forms(shape, S, unis: dict, root: QuadraticRoot) -> tuple:
    """Per player, per strategy: ``p + q*sqrt(D)`` as text, each probability being ``num(x)/den(x)``."""

    def texts(polys: list) -> list[str]:
        deg = max(len(p) for p in polys) - 1
        values = [root.scaled_value(list(p) + [0] * (deg + 1 - len(p))) for p in polys]  # one scale for all
        total = (sum(a for a, _ in values), sum(b for _, b in values))
        return [_surd_ratio_text(value, total, root.D) for value in values]

    return exact_form_rows(shape, S, unis, texts)


def _surd_ratio_text(num: tuple[int, int], den: tuple[int, int], D: int) -> str:
    """``(a1 + b1 sqrt D) / (a2 + b2 sqrt D)`` in the form sympy prints, e.g. ``79/155 + sqrt(2521)/155``."""
    (a1, b1), (a2, b2) = num, den
    R = a2 * a2 - b2 * b2 * D  # non-zero: D is not a square
    rational = Fraction(a1 * a2 - b1 * b2 * D, R)
    root_factor, D = _square_part(D)
    coefficient = Fraction((b1 * a2 - a1 * b2) * root_factor, R)
    if coefficient == 0:
        return fraction_text(rational)
    n, d = abs(coefficient.numerator), coefficient.denominator
    term = ("" if n == 1 else f"{n}*") + f"sqrt({D})" + ("" if d == 1 else f"/{d}")
    if rational == 0:
        return ("-" if coefficient < 0 else "") + term
    return f"{fraction_text(rational)} {'-' if coefficient < 0 else '+'} {term}"


def _square_part(D: int) -> tuple[int, int]:
    """``(f, D0)`` with ``D = f**2 * D0``, taking out the squares of primes below 10,000 (cosmetic only)."""
    f = 1
    p = 2
    while p < 10_000 and p * p <= D:
        while D % (p * p) == 0:
            D //= p * p
            f *= p
        p += 1 if p == 2 else 2
    return f, D


def _unresolved_note(unresolved: list[tuple[str, str]], shown: int = 3) -> str:
    """One note for the supports left open: how many, why (counted by reason), and the first few."""
    reasons: dict[str, int] = {}
    for _, why in unresolved:
        reasons[why] = reasons.get(why, 0) + 1
    why_text = "; ".join(f"{n} x {why}" if len(reasons) > 1 or n > 1 else why for why, n in reasons.items())
    supports = sorted({text for text, _ in unresolved})
    listed = " | ".join(supports[:shown]) + (f" | and {len(supports) - shown} more" if len(supports) > shown else "")
    return (
        f"not settled on {len(supports)} support profile(s) ({why_text}), so other equilibria may exist there: "
        + listed
    )


def _snap_rational(game: NormalFormGame, profile: tuple, radius: float, max_denominator: int = 10**6):
    """The rational equilibrium a certified numerical one stands for, if there is one with small denominators.

    Each probability is replaced by its closest fraction with denominator at
    most ``max_denominator``; the result is kept only if it lies within the
    certified radius of the numerical solution (so it is that solution, the
    only one there) and passes the exact regret check. Otherwise None: the
    equilibrium stays a float.
    """
    if not game.exact:
        return None
    from ..certify import certify

    snapped = []
    for row in profile:
        fr = [Fraction(x).limit_denominator(max_denominator) for x in row]
        if sum(fr) != 1 or any(abs(float(f) - x) > radius + 4e-16 for f, x in zip(fr, row)):
            return None
        snapped.append(tuple(fr))
    snapped_profile = tuple(snapped)
    return snapped_profile if certify(game, snapped_profile).ok else None


def _support_names(game: NormalFormGame, S) -> dict:
    return {game.players[i]: [game.strategies[i][s] for s in S[i]] for i in range(game.num_players)}


def _support_text(game: NormalFormGame, S) -> str:
    return "; ".join(
        f"{game.players[i]}: {{{', '.join(game.strategies[i][s] for s in S[i])}}}" for i in range(game.num_players)
    )


# --------------------------------------------------------------------------- assembling the answer


def _same(p: tuple, q: tuple) -> bool:
    for a, b in zip(p, q):
        for x, y in zip(a, b):
            if isinstance(x, Fraction) and isinstance(y, Fraction):
                if x != y:
                    return False
            elif abs(float(x) - float(y)) > 1e-9:
                return False
    return True


def enumerate_polynomial(game: NormalFormGame, *, timeout: float | None = None) -> Enumeration:
    """Every Nash equilibrium of an N-player game, by support enumeration (exact where the algebra allows).

    Parameters
    ----------
    game:
        Any :class:`~gametheory.game.NormalFormGame` (two or more players;
        exact Fraction payoffs give exact answers, float payoffs are solved
        exactly as the binary fractions they are and returned as floats).
    timeout:
        Seconds after which the search stops between two support profiles;
        the result then has ``complete=False`` and a note.

    Returns
    -------
    Enumeration
        ``profiles`` (Fractions when rational, floats accurate to 1e-12 when
        irrational), ``components`` (shared by the points of one
        positive-dimensional set; otherwise one per equilibrium), and
        ``stats`` (a :class:`~gametheory.solution.PolynomialStats`) with
        ``supports_examined``, ``supports_total``, ``supports_pruned``,
        ``exact_forms`` (per equilibrium, per player, per strategy: exact
        sympy text) and ``positive_dimensional`` (one entry per support
        carrying a continuum of equilibria).
        ``complete`` is True only when every support profile was examined and
        every system was resolved.
    """
    if not isinstance(game, NormalFormGame):
        raise InputError("enumerate_polynomial needs a NormalFormGame")
    start = time.perf_counter()
    deadline = None if timeout is None else start + float(timeout)
    en = _Enumerator(game, deadline)
    _add_pure_equilibria(en)
    search = _search_supports(en, deadline)
    points, merged = _merge_duplicates(en.points)
    components, final_id = _number_components(points, merged)
    continua = tuple(
        PositiveDimensionalSet(
            support={player: tuple(names) for player, names in pd["support"].items()},
            dimension=pd["dimension"],
            component=final_id(pd["component"]),
            samples=tuple(pd["samples"]),
        )
        for pd in en.positive_dim
    )
    profiles = [p.profile for p in points]
    if not game.exact:
        profiles = [tuple(tuple(float(x) for x in row) for row in prof) for prof in profiles]
    stats = PolynomialStats(
        supports_examined=search.examined_all,
        supports_total=search.total,
        supports_pruned=search.pruned,
        supports_solved=search.solved,
        exact_forms=ExactForms([_exact_form(p) for p in points]),
        positive_dimensional=continua,
        strategies_after_dominance=tuple(tuple(a) for a in en.alive),
        seconds=time.perf_counter() - start,
    )
    return Enumeration(
        profiles=tuple(profiles),
        components=tuple(components),
        complete=not search.timed_out and not en.unresolved,
        method=METHOD,
        exact=game.exact and all(p.exact for p in points),
        notes=_enumeration_notes(en, search, continua, len(points), timeout),
        stats=stats,
    )


def _add_pure_equilibria(en: _Enumerator) -> None:
    """Record the pure equilibria (found at once by best responses; :meth:`_Enumerator.solve` skips them)."""
    for profile in en.dominance.pure_equilibria():
        S = tuple((a,) for a in profile)
        point = tuple(tuple(_ONE if k == a else _ZERO for k in range(n)) for a, n in zip(profile, en.shape))
        en.points.append(Point(point, True, support=S))


@dataclass
class _SupportSearch:
    """How far the search over support profiles went."""

    total: int  # support profiles after iterated dominance
    pruned: int  # skipped by conditional dominance
    solved: int = 0  # systems solved before the time limit
    timed_out: bool = False

    @property
    def examined_all(self) -> int:
        return self.solved + self.pruned


def _search_supports(en: _Enumerator, deadline: float | None) -> _SupportSearch:
    """Solve the system of every support profile that survives conditional dominance, until the deadline."""
    supports = en.supports()
    total = en.total_supports()
    search = _SupportSearch(total=total, pruned=total - len(supports))
    for S in supports:
        if deadline is not None and time.perf_counter() > deadline:
            search.timed_out = True
            break
        en.solve(S)
        search.solved += 1
    return search


def _merge_duplicates(found: list[Point]) -> tuple[list[Point], dict[int, int]]:
    """The distinct points (a point of a continuum may also be found on its own support).

    Also returns the union-find links between provisional component ids that
    the duplicates joined (see :func:`_root`). An exact copy of a point
    replaces a float one.
    """
    points: list[Point] = []
    parent: dict[int, int] = {}
    for p in found:
        dup = next((q for q in points if _same(q.profile, p.profile)), None)
        if dup is None:
            points.append(p)
            continue
        if p.component is not None:
            if dup.component is None:
                dup.component = p.component
            else:
                parent[_root(parent, p.component)] = _root(parent, dup.component)
        if dup.exact is False and p.exact:
            dup.profile, dup.exact, dup.forms = p.profile, True, None
    return points, parent


def _root(parent: dict[int, int], c: int) -> int:
    """The representative of provisional component ``c`` in the union-find links ``parent``."""
    while parent.get(c, c) != c:
        c = parent[c]
    return c


def _number_components(points: list[Point], parent: dict[int, int]) -> tuple[list[int], Callable[[int], int | None]]:
    """Final component numbers in order of appearance: the points of one continuum share theirs.

    Returns them with the map from a provisional component id to its final
    number (None for an id no point carries).
    """
    ids: dict[int, int] = {}
    components = []
    next_id = 0
    for p in points:
        if p.component is None:
            components.append(next_id)
            next_id += 1
        else:
            root = _root(parent, p.component)
            if root not in ids:
                ids[root] = next_id
                next_id += 1
            components.append(ids[root])
    return components, lambda provisional: ids.get(_root(parent, provisional))


def _exact_form(p: Point) -> Any:
    """The exact text of a point's probabilities, or what produces it (an irrational point's forms)."""
    if p.exact:
        return tuple(tuple(fraction_text(x) for x in row) for row in p.profile)
    return p.forms


def _enumeration_notes(
    en: _Enumerator,
    search: _SupportSearch,
    continua: tuple[PositiveDimensionalSet, ...],
    found: int,
    timeout: float | None,
) -> tuple[str, ...]:
    """The notes of the result: the solvers' own, then time limit, unresolved supports, continua, parity."""
    notes = list(en.notes)
    if search.timed_out:
        notes.append(
            f"timeout after {float(timeout):g} s: {search.examined_all} of {search.total} support profiles examined; "
            "other equilibria may exist"
        )
    if en.unresolved:
        notes.append(_unresolved_note(en.unresolved))
    settled = [(text, r) for text, r in en.numeric if not r.unresolved]
    if settled:
        notes.append(_subdivision_note(settled))
    for continuum in continua:
        sup = "; ".join(f"{k}: {{{', '.join(v)}}}" for k, v in continuum.support.items())
        dim = f" of dimension {continuum.dimension}" if continuum.dimension else ""
        number = "?" if continuum.component is None else continuum.component
        notes.append(
            f"positive-dimensional set of equilibria{dim} on support {sup}: reported as component "
            f"{number} by the equilibria where it meets the boundary"
        )
    if not continua and found and found % 2 == 0 and not search.timed_out and not en.unresolved:
        notes.append(
            f"{found} equilibria, an even number: a nondegenerate game has an odd number "
            "(Wilson 1971), so this game is degenerate"
        )
    return tuple(notes)


def _subdivision_note(settled: list) -> str:
    """What certified subdivision established on the supports it settled ((support text, BoxResult) pairs)."""
    found = sum(len(r.profiles) for _, r in settled)
    radius = max(r.radius for _, r in settled)
    outcome = (
        f"{found} equilibri{'um' if found == 1 else 'a'} there, each proven to be the only solution within "
        f"{radius:.0e} of the value shown"
        if found
        else "no equilibrium there"
    )
    return (
        "support profile(s) with more unknowns than the exact solvers take, settled by certified subdivision "
        f"(corner ranges and the Krawczyk test locate every solution): {outcome}: "
        + " | ".join(text for text, _ in settled)
    )
