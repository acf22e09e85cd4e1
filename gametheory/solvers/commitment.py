"""Commitment (Stackelberg leadership): what a player gets by committing to a strategy before the others move.

One player, the *leader*, announces a strategy and is believed; the others,
the *followers*, then play an equilibrium of the game that remains. Three
kinds of commitment are computed, from the weakest to the strongest:

* **pure commitment** (any number of players): the leader commits to one of
  its strategies; the followers play a Nash equilibrium of the game left
  (every one of them, found by :func:`gametheory.solvers.solve`; with one
  follower, its pure best responses). *Optimistic*: the followers pick the
  equilibrium best for the leader; *pessimistic*: the worst one.
* **mixed commitment** (two players; Conitzer & Sandholm, "Computing the
  optimal strategy to commit to", EC 2006): the leader commits to a mixture
  ``x``. For every follower strategy ``j`` one linear program finds the best
  ``x`` to which ``j`` is a best response; the best of these is the *strong*
  Stackelberg equilibrium (ties broken in the leader's favour). The LPs are
  solved by :func:`.lp.solve_lp`: HiGHS finds the optimal vertex, which is then
  recomputed exactly from its active constraints and certified by an exact
  primal-dual check, so results on rational payoffs are exact.
  The *weak* (pessimistic) form breaks ties against the leader; its value is
  a supremum that is often not attained (the leader must leave the follower
  a strict margin, however small). It is computed exactly by
  :func:`_weak_mixed` (see there for the argument), together with whether it
  is attained.
* **correlated commitment** (any number of players; Conitzer & Korzhyk,
  "Commitment to correlated strategies", AAAI 2011): the leader commits to a
  distribution over profiles and privately recommends each follower its
  part, which the followers must want to obey. One LP, polynomial in the size
  of the game; its value bounds what any commitment can give the leader
  (for two players it equals the strong mixed value).

The *value of commitment* compares the leader's committed payoff with its
best and worst Nash equilibrium payoff of the simultaneous game. Mixed
commitment never gives the leader less than its best Nash payoff (in the
strong form; committing to the Nash mixture itself guarantees as much); pure
commitment can.

* **mixed commitment answered by a pure equilibrium** (any number of
  players, any number of leader strategies; :func:`pure_reply_mixed`): for
  each pure profile of the followers, the leader mixtures ``x`` under which it
  is a Nash equilibrium of the followers' game form a polytope (every
  follower's deviation gains nothing: one inequality linear in ``x`` per
  deviation), and the leader's payoff is linear in ``x`` on it: one exact LP
  per followers' profile, the several-follower form of Conitzer and
  Sandholm's LPs. Followers are optimistic (they pick the equilibrium best
  for the leader). Commitments whose followers answer with a *mixed*
  equilibrium are not searched by these LPs; when their value reaches the
  correlated bound, none can do better.

Mixed commitment with several followers answered by mixed equilibria needs
the followers' equilibria as closed forms in the leader's mixture, which
:mod:`gametheory.sensitivity.commitment` derives for a leader with two
strategies.

No library offers these computations for N-player games (Nashpy, Gambit and
QuantEcon have none; OpenSpiel has the two-player strong LP on fixed
matrices), so they are written here on the project's exact LP engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..certify import FLOAT_TOLERANCE, scale
from ..errors import GameTooLargeError, SolverError
from ..game import MixedProfile, NormalFormGame, Number, expected_payoffs, pure_profile
from ..solution import Solution
from .correlated import obedience_constraints
from .lp import solve_lp

#: Above this many follower strategies the weak form's attainment check (which
#: looks at sets of tied follower strategies) is skipped with a note.
MAX_TIED_CLASSES = 8
#: Mixed commitment solves one LP per follower strategy, each with one row per follower strategy.
MAX_FOLLOWER_STRATEGIES = 400
#: Correlated commitment has one LP variable per pure profile.
MAX_CORRELATED_PROFILES = 20_000
#: Mixed commitment answered by a pure equilibrium solves (at most) one LP per pure profile of the followers.
MAX_PURE_REPLY_PROFILES = 4_096


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class CommitmentOutcome:
    """What a commitment leads to: the mixed profile played (the leader's commitment first
    in its own place, the followers' reply in theirs) and everyone's expected payoffs.

    ``attained`` is False for a supremum that no commitment reaches exactly
    (the weak form): ``profile`` is then the limit the leader approaches.
    """

    profile: MixedProfile
    payoffs: tuple[Number, ...]
    exact: bool
    attained: bool = True


@dataclass(frozen=True)
class PureCommitment:
    """The leader committed to one pure strategy: the best and the worst followers' equilibrium for it."""

    strategy: int
    best: CommitmentOutcome
    worst: CommitmentOutcome
    #: Number of followers' equilibria (extreme points) found.
    follower_equilibria: int
    #: Whether the followers' equilibria are proven to be all of them.
    complete: bool


@dataclass(frozen=True)
class CorrelatedCommitment:
    """The best distribution over profiles the leader can commit to and the followers obey."""

    #: ``distribution[a]`` = probability of pure profile ``a`` (shape ``game.shape``).
    distribution: np.ndarray
    payoffs: tuple[Number, ...]
    exact: bool


@dataclass(frozen=True)
class Commitment:
    """Everything about one player as leader in one game.

    ``pure_optimistic``/``pure_pessimistic``: the best pure commitment when the
    followers pick the equilibrium best/worst for the leader.
    ``mixed_strong``/``mixed_weak``: two players only, else None.
    ``nash_best``/``nash_worst``: the payoffs of the Nash equilibrium of the
    simultaneous game that is best/worst for the leader (over the extreme
    equilibria found; exact for two players, where payoffs are bilinear on
    every Nash subset; None when no equilibrium was found).
    """

    game: NormalFormGame
    leader: int
    pure: tuple[PureCommitment, ...]
    pure_optimistic: CommitmentOutcome
    pure_pessimistic: CommitmentOutcome
    mixed_strong: CommitmentOutcome | None
    mixed_weak: CommitmentOutcome | None
    correlated: CorrelatedCommitment | None
    nash_best: tuple[Number, ...] | None
    nash_worst: tuple[Number, ...] | None
    nash_complete: bool
    notes: tuple[str, ...] = ()
    #: Three or more players: the best mixed commitment answered by a pure equilibrium of the followers
    #: (:func:`pure_reply_mixed`), None for two players or when not computed (``notes`` says why).
    mixed_pure_reply: CommitmentOutcome | None = None
    #: Three or more players: the best mixed commitment when the followers may also answer with a mixed
    #: equilibrium (optimistic), where :mod:`gametheory.sensitivity.commitment` derived it from the
    #: followers' closed forms; None otherwise.
    mixed_several: CommitmentOutcome | None = None

    @property
    def leader_name(self) -> str:
        return self.game.players[self.leader]

    @property
    def best_commitment(self) -> CommitmentOutcome:
        """The strongest commitment computed for this game: mixed (two players), else the best of the
        pure (optimistic) one and the mixed ones with several followers (the earlier on a tie)."""
        if self.mixed_strong is not None:
            return self.mixed_strong
        best = self.pure_optimistic
        for mixed in (self.mixed_pure_reply, self.mixed_several):
            if mixed is not None and mixed.payoffs[self.leader] > best.payoffs[self.leader]:
                best = mixed
        return best

    @property
    def value(self) -> Number:
        """The leader's payoff from its best commitment."""
        return self.best_commitment.payoffs[self.leader]

    @property
    def gain_over_best_nash(self) -> Number | None:
        """Leader's committed payoff minus its best Nash payoff (None when no equilibrium is known)."""
        return None if self.nash_best is None else self.value - self.nash_best[self.leader]

    @property
    def pure_hurts(self) -> bool:
        """True when the best pure commitment (optimistic) gives the leader less than some Nash equilibrium."""
        return self.nash_best is not None and self.pure_optimistic.payoffs[self.leader] < self.nash_best[self.leader]


# ------------------------------------------------------------------ entry points
def commitment(
    game: NormalFormGame,
    leader: int | str,
    *,
    nash: Solution | None = None,
    correlated: bool = True,
    method: str = "auto",
    follower_method: str = "auto",
) -> Commitment:
    """The commitment analysis of ``game`` with ``leader`` (index or name) moving first.

    ``nash`` is the solved simultaneous game (solved here with ``method`` when
    not given); ``follower_method`` solves the followers' games when there are
    two or more followers (``"pure"`` for degenerate games whose mixed
    equilibria form continua, such as the reduced forms of large trees).
    ``correlated=False`` skips the correlated-commitment LP.
    """
    from . import solve

    index = game.player_index(leader) if isinstance(leader, str) else int(leader)
    if not 0 <= index < game.num_players:
        raise SolverError(f"leader index {index} out of range for {game.num_players} players")
    if game.num_players < 2:
        raise SolverError("commitment needs at least two players: a leader and a follower")
    notes: list[str] = []
    rows = tuple(_pure_commitment(game, index, s, follower_method) for s in range(game.shape[index]))
    if not all(r.complete for r in rows):
        notes.append("some followers' games were not proven complete: the pure-commitment bounds may be loose")
    optimistic = max((r.best for r in rows), key=lambda o: o.payoffs[index])
    pessimistic = max((r.worst for r in rows), key=lambda o: o.payoffs[index])
    strong = weak = None
    if game.num_players == 2:
        strong = strong_mixed(game, index)
        weak, weak_notes = _weak_mixed(game, index)
        notes.extend(weak_notes)
        if weak.attained and weak.payoffs[index] == strong.payoffs[index]:
            strong = weak  # the same value with every best reply paying it: the robust commitment to show
    pure_reply = None
    if game.num_players > 2:
        pure_reply, why = _pure_reply_or_reason(game, index)
        notes.extend(why)
    corr = correlated_commitment(game, index) if correlated else None
    solution = nash if nash is not None else solve(game, method)
    pays = sorted((e.payoffs for e in solution.equilibria), key=lambda p: p[index])
    if not solution.complete:
        notes.append("the Nash equilibria of the simultaneous game are not proven complete")
    return Commitment(
        game=game,
        leader=index,
        pure=rows,
        pure_optimistic=optimistic,
        pure_pessimistic=pessimistic,
        mixed_strong=strong,
        mixed_weak=weak,
        correlated=corr,
        nash_best=pays[-1] if pays else None,
        nash_worst=pays[0] if pays else None,
        nash_complete=solution.complete,
        notes=tuple(notes),
        mixed_pure_reply=pure_reply,
    )


def who_gains(
    game: NormalFormGame, *, nash: Solution | None = None, method: str = "auto", follower_method: str = "auto"
) -> tuple[Commitment, ...]:
    """Each player in turn as leader: the table of who gains by moving first (and committing)."""
    from . import solve

    solution = nash if nash is not None else solve(game, method)
    return tuple(
        commitment(game, i, nash=solution, correlated=False, follower_method=follower_method)
        for i in range(game.num_players)
    )


# ------------------------------------------------------------------ pure commitment
def _tolerance(game: NormalFormGame) -> Number:
    return Fraction(0) if game.exact else FLOAT_TOLERANCE * scale(game)


def _pure_commitment(game: NormalFormGame, leader: int, strategy: int, method: str = "auto") -> PureCommitment:
    """The followers' equilibria once the leader has committed to ``strategy``, best and worst for the leader."""
    followers = [i for i in range(game.num_players) if i != leader]
    fixed = np.take(game.payoffs, strategy, axis=leader + 1)  # shape (N, followers' strategies...)
    if len(followers) == 1:
        f = followers[0]
        column = list(fixed[f])
        top = max(column)
        tol = _tolerance(game)
        replies = [k for k, v in enumerate(column) if v >= top - tol]
        profiles = [_pure_profile(game, leader, strategy, {f: k}) for k in replies]
        complete = True
    else:
        from . import solve

        sub = NormalFormGame(
            fixed[followers].copy(),
            tuple(game.players[i] for i in followers),
            tuple(game.strategies[i] for i in followers),
        )
        solution = solve(sub, method)
        complete = solution.complete
        unit = tuple(Fraction(int(k == strategy)) for k in range(game.shape[leader]))
        profiles = []
        for eq in solution.equilibria:
            full = list(eq.profile)
            full.insert(leader, unit if game.exact and eq.exact else tuple(float(v) for v in unit))
            profiles.append(tuple(full))
        if not profiles:
            raise SolverError(f"no equilibrium found for the followers after {game.strategies[leader][strategy]!r}")
    outcomes = [_outcome(game, p) for p in profiles]
    best = max(outcomes, key=lambda o: o.payoffs[leader])
    worst = min(outcomes, key=lambda o: o.payoffs[leader])
    return PureCommitment(strategy, best, worst, len(outcomes), complete)


def _pure_profile(game: NormalFormGame, leader: int, strategy: int, replies: dict[int, int]) -> MixedProfile:
    pure = [replies.get(i, strategy) for i in range(game.num_players)]
    return pure_profile(game, pure)


def _outcome(game: NormalFormGame, profile: MixedProfile, attained: bool = True) -> CommitmentOutcome:
    exact = game.exact and all(isinstance(v, Fraction) for p in profile for v in p)
    return CommitmentOutcome(profile, expected_payoffs(game, profile), exact, attained)


# ------------------------------------------------------------------ two players: mixed
def _bimatrix(game: NormalFormGame, leader: int) -> tuple[list[list[Number]], list[list[Number]]]:
    """Leader's and follower's payoffs as lists ``L[i][j]``, ``F[i][j]`` (i: leader strategy, j: follower's)."""
    source = game.payoffs if game.exact else game.float_payoffs
    follower = 1 - leader
    L, F = source[leader], source[follower]
    if leader == 1:
        L, F = L.T, F.T
    return [list(r) for r in L], [list(r) for r in F]


def _check_size(game: NormalFormGame, leader: int) -> None:
    m = game.shape[1 - leader]
    if m > MAX_FOLLOWER_STRATEGIES:
        raise GameTooLargeError(
            f"mixed commitment solves one LP per follower strategy; the follower has {m} strategies "
            f"(limit {MAX_FOLLOWER_STRATEGIES})"
        )


def _mixture_profile(game: NormalFormGame, leader: int, x: Sequence[Number], reply: int) -> MixedProfile:
    n_f = game.shape[1 - leader]
    one, zero = (Fraction(1), Fraction(0)) if game.exact else (1.0, 0.0)
    y = tuple(one if k == reply else zero for k in range(n_f))
    xs = tuple(x)
    return (xs, y) if leader == 0 else (y, xs)


def _lp(game: NormalFormGame, c, A_ub, b_ub, A_eq, b_eq, free=()):
    return solve_lp(c, A_ub, b_ub, A_eq, b_eq, free=free, exact=game.exact)


def strong_mixed(game: NormalFormGame, leader: int) -> CommitmentOutcome:
    """The strong Stackelberg equilibrium of a two-player game: one LP per follower reply (Conitzer-Sandholm).

    LP for reply ``j``: maximise ``sum_i x_i L[i][j]`` over mixtures ``x`` with
    ``sum_i x_i (F[i][k] - F[i][j]) <= 0`` for every follower strategy ``k``.
    Ties between replies and between equal-valued LPs go to the first one.
    """
    _check_size(game, leader)
    L, F = _bimatrix(game, leader)
    n, m = len(L), len(L[0])
    best: tuple[Number, list[Number], int] | None = None
    for j in range(m):
        A_ub = [[F[i][k] - F[i][j] for i in range(n)] for k in range(m) if k != j]
        res = _lp(game, [-L[i][j] for i in range(n)], A_ub, [0] * len(A_ub), [[1] * n], [1])
        if res.status != "optimal":
            continue  # j is never a best response
        value = -res.objective
        if best is None or value > best[0]:
            best = (value, list(res.x), j)
    if best is None:
        raise SolverError("no follower strategy is ever a best response: impossible in a finite game")
    _, x, j = best
    return _outcome(game, _mixture_profile(game, leader, _clean(game, x), j))


def _clean(game: NormalFormGame, x: Sequence[Number]) -> list[Number]:
    """A float LP solution clipped to the simplex (HiGHS leaves tiny negatives); exact ones unchanged."""
    if game.exact:
        return [Fraction(v) for v in x]
    arr = np.clip(np.asarray(x, dtype=float), 0.0, None)
    return list(arr / arr.sum())


def _reply_classes(F: list[list[Number]]) -> list[list[int]]:
    """Follower strategies grouped by identical payoff columns (the follower cannot tell them apart)."""
    classes: dict[tuple, list[int]] = {}
    for j in range(len(F[0])):
        classes.setdefault(tuple(row[j] for row in F), []).append(j)
    return list(classes.values())


def _margin_lp(game, L, F, group: Sequence[int], floor: Number | None):
    """Largest margin ``e`` (capped at 1) by which the strategies of ``group`` (tied with each other)
    beat every other follower strategy, over leader mixtures ``x`` on which every strategy of
    ``group`` gives the leader at least ``floor`` (no such requirement when None).

    Variables ``(x_0..x_{n-1}, e)``, ``e`` free; returns the LP solution.
    """
    n, m = len(L), len(L[0])
    rep = group[0]
    A_ub, b_ub, A_eq, b_eq = [], [], [[1] * n + [0]], [1]
    for k in range(m):
        if k not in group:
            A_ub.append([F[i][k] - F[i][rep] for i in range(n)] + [1])
            b_ub.append(0)
    for k in group[1:]:
        row = [F[i][k] - F[i][rep] for i in range(n)]
        if any(row):  # strategies of one class tie everywhere already
            A_eq.append(row + [0])
            b_eq.append(0)
    if floor is not None:
        for j in group:
            A_ub.append([-L[i][j] for i in range(n)] + [0])
            b_ub.append(-floor)
    A_ub.append([0] * n + [1])
    b_ub.append(1)
    return _lp(game, [0] * n + [-1], A_ub, b_ub, A_eq, b_eq, free=(n,))


def _class_value(game, L, F, group: Sequence[int]):
    """``max_x min_{j in group} x.L[:, j]`` over mixtures where ``group`` is a best reply (variables ``x, t``)."""
    n, m = len(L), len(L[0])
    rep = group[0]
    A_ub = [[F[i][k] - F[i][rep] for i in range(n)] + [0] for k in range(m) if k not in group]
    A_ub += [[-L[i][j] for i in range(n)] + [1] for j in group]
    return _lp(game, [0] * n + [-1], A_ub, [0] * len(A_ub), [[1] * n + [0]], [1], free=(n,))


def _weak_mixed(game: NormalFormGame, leader: int) -> tuple[CommitmentOutcome, list[str]]:
    """The weak (pessimistic) Stackelberg value of a two-player game, and whether some commitment attains it.

    The follower breaks ties against the leader: committing to ``x`` gives
    ``p(x) = min { L(x, j) : j a best reply to x }``. Group the follower's
    strategies into classes with identical payoff columns. On the set ``S_K``
    where class ``K`` is the follower's unique best class, ``p = min_{j in K}
    L(x, j)``; when ``S_K`` is not empty its closure is the set ``R_K`` where
    ``K`` is *a* best class, so ``sup_{S_K} p`` is the LP value ``W_K`` of
    :func:`_class_value`. At a point where several classes tie, moving the
    mixture slightly in a generic direction leaves one of them unique, and
    ``p`` there tends to that class's payoff, which is at least ``p`` at the
    tie. Hence ``sup p = max { W_K : S_K not empty }``.

    It is attained iff at some ``x`` every best reply gives the leader at
    least that value: for each set ``T`` of classes that can reach it, one LP
    asks for a mixture where exactly the classes of ``T`` are best (with a
    positive margin over the rest) and all of them pay the leader enough.
    """
    _check_size(game, leader)
    L, F = _bimatrix(game, leader)
    tol = _tolerance(game)
    notes: list[str] = []
    classes = _reply_classes(F)
    values: list[tuple[Number, list[Number], list[int]]] = []  # (W_K, x, class) for classes with R_K non-empty
    best: tuple[Number, list[Number], list[int]] | None = None
    for group in classes:
        res = _class_value(game, L, F, group)
        if res.status != "optimal":
            continue
        entry = (-res.objective, list(res.x[:-1]), group)
        values.append(entry)
        strict = _margin_lp(game, L, F, group, None)
        if strict.status == "optimal" and -strict.objective > tol and (best is None or entry[0] > best[0]):
            best = entry
    if best is None:
        raise SolverError("no follower reply is ever a unique best reply: impossible in a finite game")
    sup, x_limit, group = best
    reachable = [g for v, _, g in values if v >= sup - tol]
    witness = None
    if len(reachable) > MAX_TIED_CLASSES:
        notes.append(
            f"weak commitment: {len(reachable)} follower reply classes reach the supremum; "
            "whether it is attained was not checked"
        )
    else:
        for size in range(1, len(reachable) + 1):
            for tied in itertools.combinations(reachable, size):
                union = [j for g in tied for j in g]
                res = _margin_lp(game, L, F, union, sup)
                if res.status == "optimal" and -res.objective > tol:
                    witness = (list(res.x[:-1]), union)
                    break
            if witness is not None:
                break
    if witness is not None:
        x, union = witness
        x = _clean(game, x)
        reply = min(union, key=lambda j: sum(xi * L[i][j] for i, xi in enumerate(x)))
        return _outcome(game, _mixture_profile(game, leader, x, reply)), notes
    x = _clean(game, x_limit)
    reply = min(group, key=lambda j: sum(xi * L[i][j] for i, xi in enumerate(x)))
    return _outcome(game, _mixture_profile(game, leader, x, reply), attained=False), notes


# ------------------------------------------------------------------ several followers: pure replies
def _pure_reply_or_reason(game: NormalFormGame, leader: int) -> tuple[CommitmentOutcome | None, list[str]]:
    try:
        return pure_reply_mixed(game, leader), []
    except GameTooLargeError as exc:
        return None, [f"mixed commitment answered by a pure equilibrium was not computed: {exc}"]


def pure_reply_mixed(game: NormalFormGame, leader: int) -> CommitmentOutcome | None:
    """The leader's best mixture among those the followers answer with a pure Nash equilibrium (optimistic).

    For a followers' pure profile ``a``, LP: maximise ``sum_s x_s u_L(s, a)``
    over mixtures ``x`` with, for every follower ``f`` and strategy ``k``,
    ``sum_s x_s (u_f(s, a with k) - u_f(s, a)) <= 0``. Profiles are tried in
    decreasing order of the most the leader can get at them (``max_s u_L(s,
    a)``), and the search stops once that bound cannot beat the best value
    found, so most LPs are never solved. None when no followers' pure profile
    is an equilibrium for any mixture (the followers then only answer with
    mixed equilibria). Exact on exact games. Ties go to the first profile.
    """
    followers = [i for i in range(game.num_players) if i != leader]
    sizes = [game.shape[i] for i in followers]
    count = int(np.prod(sizes))
    if count > MAX_PURE_REPLY_PROFILES:
        raise GameTooLargeError(
            f"one LP per pure profile of the followers: they have {count:,} (limit {MAX_PURE_REPLY_PROFILES:,})"
        )
    source = game.payoffs if game.exact else game.float_payoffs
    moved = np.moveaxis(source, leader + 1, -1)  # [player, followers' strategies..., leader's strategy]
    ranked = sorted(itertools.product(*(range(n) for n in sizes)), key=lambda a: -max(moved[(leader, *a)]))
    best: tuple[Number, list[Number], tuple[int, ...]] | None = None
    for a in ranked:
        if best is not None and max(moved[(leader, *a)]) <= best[0]:
            break
        res = _pure_reply_lp(game, moved, leader, followers, a)
        if res.status == "optimal" and (best is None or -res.objective > best[0]):
            best = (-res.objective, list(res.x), a)
    if best is None:
        return None
    _, x, a = best
    x = _clean(game, x)
    one, zero = (Fraction(1), Fraction(0)) if game.exact else (1.0, 0.0)
    profile: list[tuple[Number, ...]] = [
        tuple(one if k == a[n] else zero for k in range(game.shape[f])) for n, f in enumerate(followers)
    ]
    profile.insert(leader, tuple(x))
    return _outcome(game, tuple(profile))


def _pure_reply_lp(game: NormalFormGame, moved, leader: int, followers: Sequence[int], a: tuple[int, ...]):
    """The LP of :func:`pure_reply_mixed` for the followers' profile ``a`` (``moved``: leader's axis last)."""
    n = game.shape[leader]
    A_ub = []
    for pos, f in enumerate(followers):
        here = moved[(f, *a)]
        for k in range(game.shape[f]):
            if k != a[pos]:
                there = moved[(f, *a[:pos], k, *a[pos + 1 :])]
                A_ub.append([there[s] - here[s] for s in range(n)])
    objective = [-v for v in moved[(leader, *a)]]
    return _lp(game, objective, A_ub, [0] * len(A_ub), [[1] * n], [1])


def floor_strategy(game: NormalFormGame, leader: int, outcome: CommitmentOutcome) -> int | None:
    """A strategy of the leader's mixed commitment whose probability works as a minimum: playing it *more*
    often keeps the followers' (pure) reply an equilibrium, so "at least that often" is a correct promise.
    The most likely such strategy, or None (also for a mixed reply or a pure commitment).

    The mixtures that keep a pure reply an equilibrium form a convex set; it holds the commitment ``x``,
    so it holds the segment from ``x`` to a pure strategy ``s`` exactly when it holds ``s``: a check of
    the followers' best replies there.
    """
    mine = outcome.profile[leader]
    support = sorted((k for k, p in enumerate(mine) if p > 0), key=lambda k: -mine[k])
    followers = [i for i in range(game.num_players) if i != leader]
    if len(support) < 2 or any(sum(1 for p in outcome.profile[i] if p > 0) != 1 for i in followers):
        return None
    reply = [next((k for k, p in enumerate(probs) if p > 0), 0) for probs in outcome.profile]
    source = game.payoffs if game.exact else game.float_payoffs
    tol = _tolerance(game)
    for s in support:
        pure = list(reply)
        pure[leader] = s
        stable = all(
            source[(i, *pure[:i], k, *pure[i + 1 :])] <= source[(i, *pure)] + tol
            for i in followers
            for k in range(game.shape[i])
        )
        if stable:
            return s
    return None


# ------------------------------------------------------------------ correlated commitment
def correlated_commitment(game: NormalFormGame, leader: int) -> CorrelatedCommitment:
    """The leader's best commitment to a correlated strategy (Conitzer-Korzhyk 2011): one LP.

    Maximise the leader's expected payoff over distributions ``p`` on pure
    profiles subject to the followers' obedience constraints only (the leader
    has committed, so it need not want to obey).
    """
    if game.num_profiles > MAX_CORRELATED_PROFILES:
        raise GameTooLargeError(
            f"correlated commitment has one LP variable per pure profile; this game has {game.num_profiles:,} "
            f"(limit {MAX_CORRELATED_PROFILES:,})"
        )
    G, labels = obedience_constraints(game)
    A_ub = [[-v for v in row] for row, label in zip(G, labels) if label[0] != leader]
    P = game.num_profiles
    source = game.payoffs if game.exact else game.float_payoffs
    objective = [-v for v in source[leader].ravel()]
    res = solve_lp(objective, A_ub, [0] * len(A_ub), [[1] * P], [1], exact=game.exact)
    if res.status != "optimal":
        raise SolverError(f"correlated-commitment LP is {res.status}; a finite game always has a solution")
    if game.exact:
        arr = np.empty(P, dtype=object)
        arr[:] = [Fraction(v) for v in res.x]
        pays = tuple(sum((q * u for q, u in zip(arr, source[i].ravel()) if q), Fraction(0)) for i in range(len(source)))
    else:
        arr = np.clip(np.asarray(res.x, dtype=float), 0.0, None)
        arr = arr / arr.sum()
        pays = tuple(float(np.dot(arr, source[i].ravel())) for i in range(len(source)))
    return CorrelatedCommitment(arr.reshape(game.shape), pays, game.exact)
