"""Learning dynamics for the classroom: how play can reach an equilibrium, or go round it.

An equilibrium is a rest point: nobody wants to move. Whether players who
adjust step by step ever *get* there is a different question, and three
textbook dynamics answer it in different ways:

* :func:`best_response_dynamics`: players hold pure strategies and switch to
  a best response to what the others play now, one player at a time or all at
  once. The state space is finite and the rule deterministic, so the run either
  stops at a pure equilibrium or repeats a state; both are detected exactly.
  (Fudenberg and Levine, *The Theory of Learning in Games*, 1998, ch. 1.)
* :func:`fictitious_play`: each round every player best-responds to the
  empirical frequencies of the others' past play (Brown 1951). Frequencies
  converge to an equilibrium in zero-sum games (Robinson 1951, e.g. matching
  pennies) and in 2x2 games (Miyasawa 1961), but not always: in Shapley's 3x3
  game they keep circling (Shapley 1964).
* :func:`replicator_dynamics`: a population of each player's "types" grows
  in proportion to how much better than average each strategy does,
  ``x_ik' = x_ik (u_i(k, x_-i) - u_i(x))`` (Taylor and Jonker 1978). Strict
  equilibria attract; in zero-sum 2x2 games such as matching pennies orbits are
  closed curves around the mixed equilibrium (a conserved quantity), so play
  cycles for ever (Hofbauer and Sigmund, *Evolutionary Games and Population
  Dynamics*, 1998, ch. 10-11).

Two-player runs of fictitious play and the replicator use nashpy
(``Game.fictitious_play``, ``Game.asymmetric_replicator_dynamics``); games with
three or more players use this module's own implementations of the same rules
(the replicator through :func:`scipy.integrate.solve_ivp`).

Every function returns a frozen :class:`Trajectory`. Given a
:class:`~gametheory.solution.Solution` (``solution=``), it also says which of
the certified equilibria the run ends near (:func:`match_equilibrium`).
:func:`gametheory.report.plots.plot_trajectory` draws it: the unit square
for 2x2 games, each player's probabilities over time otherwise. nashpy and
scipy are imported only when a function needs them.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .errors import InputError
from .game import NormalFormGame

if TYPE_CHECKING:  # pragma: no cover
    from .solution import Equilibrium, Solution

__all__ = [
    "METHODS",
    "Held",
    "Plausibility",
    "Trajectory",
    "best_response_basins",
    "best_response_dynamics",
    "default_horizon",
    "fictitious_play",
    "match_equilibrium",
    "numbers_in_whole_game",
    "plausibility",
    "replicator_dynamics",
]

#: Names of the dynamics, as stored in ``Trajectory.method``, with a label for people.
METHODS = {
    "best_response": "Best-response dynamics",
    "fictitious_play": "Fictitious play",
    "replicator": "Replicator dynamics",
}

#: Default distance (largest difference of any probability) under which a run's end point
#: counts as "at" an equilibrium. Best responses move between pure profiles, so only an
#: exact match counts; fictitious-play frequencies approach an equilibrium only at a rate
#: of about 1/t, hence the loose default.
DEFAULT_TOLERANCE = {"best_response": 1e-9, "fictitious_play": 0.05, "replicator": 0.01}

#: Default length of a replicator run, in units of 1/(typical payoff difference), see
#: :func:`_typical_gain`: the same amount of motion whatever unit the payoffs are measured in.
REPLICATOR_HORIZON = 100.0
REPLICATOR_POINTS = 1001

Profile = tuple[np.ndarray, ...]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """What a run of a learning dynamic produced.

    ``steps[i]`` has shape ``(T, n_i)``: row ``t`` is player ``i``'s mixed
    strategy at the ``t``-th recorded point (a unit vector for best-response
    dynamics, the empirical frequencies for fictitious play, the population
    shares for the replicator); ``times`` (length ``T``) is the move number,
    the number of rounds played, or the ODE time.

    ``settled``: the dynamic stopped moving (best responses: a pure
    equilibrium was reached; fictitious play: the same pure profile was played
    throughout the second half of the run; replicator: the speed at the end is
    negligible). ``cycles``: it keeps going round instead; exact for
    best-response dynamics (a state repeated), a heuristic for the others,
    documented at :func:`fictitious_play` and :func:`replicator_dynamics`.
    ``cycle`` lists the pure profiles that recur, in order, when they could
    be identified; ``plays`` the pure profile played at each step (best
    responses and fictitious play).

    ``nearest`` and ``distance``: the equilibrium of a given solution closest to
    the end point and how far it is (largest difference of any probability);
    ``converged_to`` is ``nearest`` when ``distance <= tolerance``, else None.
    These are None until :func:`match_equilibrium` (or ``solution=``) fills them.
    """

    method: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    steps: tuple[np.ndarray, ...]
    times: np.ndarray
    settled: bool
    cycles: bool
    cycle: tuple[tuple[int, ...], ...] = ()
    plays: tuple[tuple[int, ...], ...] | None = None
    converged_to: int | None = None
    nearest: int | None = None
    distance: float | None = None
    tolerance: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The dynamic's name for people, e.g. ``Best-response dynamics (sequential)``."""
        text = METHODS.get(self.method, self.method)
        if self.method == "best_response":
            text += " (one player at a time)" if self.parameters.get("sequential") else " (simultaneous)"
        return text

    @property
    def length(self) -> int:
        """Number of recorded points."""
        return len(self.times)

    @property
    def start(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(p) for p in s[0]) for s in self.steps)

    @property
    def end(self) -> tuple[tuple[float, ...], ...]:
        """Where play ends: each player's mixed strategy at the last recorded point."""
        return tuple(tuple(float(p) for p in s[-1]) for s in self.steps)


# --------------------------------------------------------------------------- helpers
def _check_game(game: NormalFormGame) -> None:
    if not isinstance(game, NormalFormGame):
        raise InputError(f"expected a NormalFormGame, got {type(game).__name__}")


def _check_pure_start(game: NormalFormGame, start: Sequence[int] | None) -> tuple[int, ...]:
    """A pure profile as strategy indices; None means every player's first strategy."""
    if start is None:
        return (0,) * game.num_players
    try:
        profile = tuple(int(a) for a in start)
    except (TypeError, ValueError):
        raise InputError(f"a pure start profile is one strategy index per player, got {start!r}") from None
    if len(profile) != game.num_players:
        raise InputError(f"a start profile needs {game.num_players} strategies (one per player), got {len(profile)}")
    for i, (a, n) in enumerate(zip(profile, game.shape)):
        if not 0 <= a < n:
            raise InputError(f"start: {game.players[i]} has strategies 0..{n - 1}, got {a}")
    return profile


def _check_positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def _integer_payoffs(game: NormalFormGame) -> np.ndarray | None:
    """Exact payoffs scaled, player by player, to Python integers (None for float games).

    Multiplying one player's payoffs by a positive number changes none of its
    best responses, so comparisons on these integers are exact and cheap.
    """
    if not game.exact:
        return None
    out = np.empty(game.payoffs.shape, dtype=object)
    for i in range(game.num_players):
        values = game.payoffs[i].ravel()
        lcm = math.lcm(*(Fraction(v).denominator for v in values))
        out[i].ravel()[:] = [int(Fraction(v) * lcm) for v in values]
    return out


def _pure_payoffs(pay: np.ndarray, player: int, profile: Sequence[int]) -> np.ndarray:
    """Payoff of each of ``player``'s strategies against the others' pure strategies in ``profile``."""
    index: list[Any] = list(profile)
    index[player] = slice(None)
    return pay[(player, *index)]


def _against(pay: np.ndarray, player: int, others: Sequence[np.ndarray]) -> np.ndarray:
    """Payoff of each of ``player``'s strategies against the others' (mixed or count) vectors.

    ``others[j]`` is player ``j``'s vector (``others[player]`` is ignored).
    Contracting from the last axis keeps the remaining axes' positions valid.
    """
    arr = pay[player]
    for j in reversed(range(len(others))):
        if j != player:
            arr = np.tensordot(arr, others[j], axes=([j], [0]))
    return arr


def _best_set(values: np.ndarray, exact: bool, scale: float) -> list[int]:
    """Indices of the best entries (ties within a relative 1e-12 for floats)."""
    if exact:
        top = max(values)
        return [k for k, v in enumerate(values) if v == top]
    vals = np.asarray(values, dtype=float)
    top = float(vals.max())
    return [int(k) for k in np.flatnonzero(vals >= top - 1e-12 * max(scale, abs(top), 1.0))]


def _scale(game: NormalFormGame) -> float:
    return max(1.0, float(np.abs(game.float_payoffs).max()))


def _unit_rows(profiles: Sequence[Sequence[int]], shape: Sequence[int]) -> tuple[np.ndarray, ...]:
    """Per-player arrays of unit vectors, one row per pure profile."""
    out = []
    for i, n in enumerate(shape):
        rows = np.zeros((len(profiles), n))
        rows[np.arange(len(profiles)), [p[i] for p in profiles]] = 1.0
        out.append(rows)
    return tuple(out)


def _trajectory(
    game: NormalFormGame, method: str, solution: Solution | None, tolerance: float | None, **fields: Any
) -> Trajectory:
    """The :class:`Trajectory` of a run of ``method`` on ``game`` (``fields``: what the run produced),
    matched against ``solution``'s equilibria when one is given (:func:`match_equilibrium`)."""
    traj = Trajectory(method=method, players=game.players, strategies=game.strategies, title=game.title, **fields)
    if solution is None:
        return traj
    return match_equilibrium(traj, solution, tolerance=tolerance)


# --------------------------------------------------------------------------- matching
def match_equilibrium(
    traj: Trajectory,
    equilibria: Solution | Sequence[Equilibrium] | Sequence[Sequence[Sequence[float]]],
    *,
    tolerance: float | None = None,
) -> Trajectory:
    """The trajectory with ``nearest``, ``distance`` and ``converged_to`` filled in.

    ``equilibria`` is a :class:`~gametheory.solution.Solution`, a sequence of
    :class:`~gametheory.solution.Equilibrium` or a sequence of mixed profiles;
    indices refer to its order (``solution.equilibria``). The distance is the
    largest difference of any probability between the end point and the
    equilibrium; the run *converges to* the nearest equilibrium when that is at
    most ``tolerance`` (default :data:`DEFAULT_TOLERANCE` of the method).
    When a game has a continuum of equilibria only its extreme points are
    listed, so a run ending inside the continuum may be far from all of them.
    """
    items = getattr(equilibria, "equilibria", equilibria)
    profiles = [getattr(e, "profile", e) for e in items]
    tol = DEFAULT_TOLERANCE.get(traj.method, 0.0) if tolerance is None else float(tolerance)
    if tol < 0:
        raise InputError(f"tolerance must be non-negative, got {tolerance}")
    end = traj.end
    best, best_d = None, math.inf
    for k, prof in enumerate(profiles):
        if len(prof) != len(end) or any(len(p) != len(q) for p, q in zip(prof, end)):
            raise InputError(f"equilibrium {k + 1} does not match the game's shape")
        d = max(abs(float(p) - q) for ps, qs in zip(prof, end) for p, q in zip(ps, qs))
        if d < best_d:
            best, best_d = k, d
    if best is None:
        return dataclasses.replace(traj, nearest=None, distance=None, converged_to=None, tolerance=tol)
    converged = best if best_d <= tol else None
    return dataclasses.replace(traj, nearest=best, distance=float(best_d), converged_to=converged, tolerance=tol)


@dataclass(frozen=True)
class Held:
    """Players held to one strategy (``--fix``), and where the equilibria of the game the others play stand.

    ``whole_game_index[k]`` is the index of the restricted game's equilibrium ``k`` among
    the whole game's equilibria, as ``solve`` lists them, or None when it is an
    equilibrium only while these players are held (see :func:`numbers_in_whole_game`).
    """

    players: tuple[str, ...]
    whole_game_index: tuple[int | None, ...]


def numbers_in_whole_game(
    whole: NormalFormGame, whole_equilibria: Solution, restricted: NormalFormGame, equilibria: Solution
) -> tuple[int | None, ...]:
    """For each equilibrium of a restricted game (``--fix``), its index among the whole game's equilibria.

    None where the profile, with the held players' strategies put back in place, is
    not among ``whole_equilibria`` (it is an equilibrium only while they are held), so
    a run under ``--fix`` can number equilibria as ``solve`` numbers them.
    """
    positions = [[whole.strategies[i].index(name) for name in names] for i, names in enumerate(restricted.strategies)]
    numbers: list[int | None] = []
    for eq in equilibria.equilibria:
        embedded = [[Fraction(0)] * n for n in whole.shape]
        for i, probs in enumerate(eq.profile):
            for k, p in zip(positions[i], probs):
                embedded[i][k] = p
        match = [
            k
            for k, other in enumerate(whole_equilibria.equilibria)
            if all(abs(float(p) - float(q)) <= 1e-9 for ps, qs in zip(embedded, other.profile) for p, q in zip(ps, qs))
        ]
        numbers.append(match[0] if match else None)
    return tuple(numbers)


# --------------------------------------------------------------------------- best responses
def best_response_dynamics(
    game: NormalFormGame,
    start: Sequence[int] | None = None,
    *,
    iterations: int = 1000,
    sequential: bool = True,
    seed: int | None = None,
    solution: Solution | None = None,
    tolerance: float | None = None,
) -> Trajectory:
    """Pure best-response dynamics from the pure profile ``start`` (strategy indices).

    Rule: a player whose current strategy is not a best response to the
    others' current strategies switches to one (the lowest-numbered best
    response: deterministic, so a run can be checked by hand); a player already
    best-responding stays, even when there are ties.

    * ``sequential=True``: players take turns in the order of the file
      (0, 1, ..., N-1, 0, ...), one revision per turn; the state is the profile
      and whose turn it is.
    * ``sequential=False``: every player revises at once against the current
      profile (the "Cournot" adjustment); the state is the profile.

    The rule is deterministic and there are finitely many states, so the run
    ends in one of two ways, both detected exactly: every player is
    best-responding (a pure Nash equilibrium: ``settled``), or a state comes
    back (``cycles``; ``cycle`` lists the profiles that repeat, in order). At most
    ``iterations`` changes of profile are made; a run still undecided then (in
    a game with more than about ``iterations`` states) is reported as neither.

    ``steps`` holds each profile the play passes through (as unit vectors),
    starting with ``start`` (default: every player's first strategy, or a
    random profile drawn with ``seed`` when one is given).

    >>> from gametheory.game import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> best_response_dynamics(pd, (0, 0)).plays
    ((0, 0), (1, 0), (1, 1))
    """
    _check_game(game)
    iterations = _check_positive("iterations", iterations)
    if start is None and seed is not None:
        rng = np.random.default_rng(seed)
        start = tuple(int(rng.integers(n)) for n in game.shape)
    profile = _check_pure_start(game, start)
    revise = _revise_in_turn if sequential else _revise_together
    run = revise(_best_replies(game), profile, game.num_players, iterations)
    notes = ()
    if not run.settled and not run.cycles:
        notes = (f"stopped after {iterations} moves without reaching an equilibrium or repeating a state",)
    return _trajectory(
        game,
        "best_response",
        solution,
        tolerance,
        steps=_unit_rows(run.plays, game.shape),
        times=np.arange(len(run.plays), dtype=float),
        settled=run.settled,
        cycles=run.cycles,
        cycle=run.cycle,
        plays=tuple(run.plays),
        parameters={
            "start": run.plays[0],
            "sequential": bool(sequential),
            "iterations": iterations,
            "seed": seed,
            "ties": "lowest-numbered best response; a best-responding player stays",
        },
        notes=notes,
    )


class _PureRun(NamedTuple):
    """A run of best-response dynamics: the profiles played, and how it ended."""

    plays: list[tuple[int, ...]]
    settled: bool = False
    cycles: bool = False
    cycle: tuple[tuple[int, ...], ...] = ()


def _best_replies(game: NormalFormGame) -> Callable[[int, Sequence[int]], list[int]]:
    """``best(player, profile)``: the player's best responses to the others' pure strategies in ``profile``
    (exact comparisons for exact games)."""
    exact = game.exact
    pay = game.payoffs if exact else game.float_payoffs
    scale = _scale(game)

    def best(player: int, profile: Sequence[int]) -> list[int]:
        return _best_set(_pure_payoffs(pay, player, profile), exact, scale)

    return best


def _loop_back(seen: dict, state: Any, plays: Sequence[tuple[int, ...]]) -> tuple[tuple[int, ...], ...] | None:
    """The profiles of the loop when play is back at a ``state`` it was in before, else None (and the state
    is recorded with the index of the current profile, ``plays[-1]``)."""
    if state in seen:
        return tuple(plays[seen[state] : -1])
    seen[state] = len(plays) - 1
    return None


def _revise_in_turn(
    best: Callable[[int, Sequence[int]], list[int]], profile: tuple[int, ...], n: int, iterations: int
) -> _PureRun:
    """Players revise one at a time, in turn; the state is the profile and whose turn it is. Settled when
    all ``n`` players in a row are already best-responding."""
    plays = [profile]
    seen: dict[tuple[tuple[int, ...], int], int] = {}
    turn, passes = 0, 0
    while len(plays) <= iterations:
        cycle = _loop_back(seen, (profile, turn), plays)
        if cycle is not None:
            return _PureRun(plays, cycles=True, cycle=cycle)
        options = best(turn, profile)
        if profile[turn] in options:
            passes += 1
            if passes == n:
                return _PureRun(plays, settled=True)
        else:
            profile = profile[:turn] + (options[0],) + profile[turn + 1 :]
            plays.append(profile)
            passes = 1
        turn = (turn + 1) % n
    return _PureRun(plays)


def _revise_together(
    best: Callable[[int, Sequence[int]], list[int]], profile: tuple[int, ...], n: int, iterations: int
) -> _PureRun:
    """Every player revises at once against the current profile; the state is the profile."""
    plays = [profile]
    seen: dict[tuple[int, ...], int] = {}
    _loop_back(seen, profile, plays)
    while len(plays) <= iterations:
        new = []
        for i in range(n):
            options = best(i, profile)
            new.append(profile[i] if profile[i] in options else options[0])
        new_profile = tuple(new)
        if new_profile == profile:
            return _PureRun(plays, settled=True)
        plays.append(new_profile)
        cycle = _loop_back(seen, new_profile, plays)
        if cycle is not None:
            return _PureRun(plays, cycles=True, cycle=cycle)
        profile = new_profile
    return _PureRun(plays)


# --------------------------------------------------------------------------- fictitious play
def _recurring_plays(plays: Sequence[tuple[int, ...]]) -> tuple[bool, bool, tuple[tuple[int, ...], ...]]:
    """(settled, cycles, cycle), judged on a sequence of pure profiles (one per step).

    Settled: one profile throughout the second half of the run. Cycles: not
    settled, and the sequence left some profile and came back to it later (the
    first run of equal profiles is left out: with no history, fictitious play's
    first round is a tie). ``cycle`` is the last complete loop: the distinct
    consecutive profiles from the last return to a profile back to its previous
    visit, in order.
    """
    tail = plays[len(plays) // 2 :]
    if all(p == tail[0] for p in tail):
        return True, False, ()
    runs: list[tuple[int, ...]] = []
    for p in plays:
        if not runs or runs[-1] != p:
            runs.append(p)
    body = runs[1:]
    for r in range(len(body) - 1, 0, -1):
        earlier = [j for j in range(r) if body[j] == body[r]]
        if earlier:
            return False, True, tuple(body[earlier[-1] : r])
    return False, False, ()


def _fictitious_play_nashpy(game: NormalFormGame, iterations: int, seed: int, start) -> list[list[np.ndarray]]:
    """Play counts after each round, from nashpy's ``Game.fictitious_play``.

    nashpy breaks ties with ``numpy.random.choice`` on numpy's global generator;
    it is seeded here and restored afterwards, so the caller's random state is
    untouched and runs are reproducible.
    """
    import nashpy

    ints = _integer_payoffs(game)
    if ints is not None and max(abs(int(v)) for v in ints.ravel()) * (iterations + 1) < 2**52:
        a, b = np.asarray(ints[0], dtype=np.int64), np.asarray(ints[1], dtype=np.int64)
    else:
        a, b = game.float_payoffs[0], game.float_payoffs[1]
    counts = None if start is None else [np.eye(n, dtype=np.int64)[s] for n, s in zip(game.shape, start)]
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = list(nashpy.Game(a, b).fictitious_play(iterations=iterations, play_counts=counts))
    finally:
        np.random.set_state(state)
    return [[np.asarray(c, dtype=float) for c in h] for h in history]


def _fictitious_play_own(game: NormalFormGame, iterations: int, seed: int, start) -> list[list[np.ndarray]]:
    """Play counts after each round, for any number of players (same rule as nashpy's).

    Each round every player computes the payoff of each of its strategies
    against the product of the others' play counts (proportional to the payoff
    against their empirical frequencies), and plays a best one; ties are broken
    uniformly at random with ``numpy.random.default_rng(seed)``. Exact games
    are compared on integer-scaled payoffs, so ties are exact.
    """
    rng = np.random.default_rng(seed)
    ints = _integer_payoffs(game)
    exact = ints is not None
    pay = ints if exact else game.float_payoffs
    scale = _scale(game)
    n = game.num_players
    dtype = object if exact else float
    if start is None:
        counts = [np.array([0] * m, dtype=dtype) for m in game.shape]
    else:
        counts = [np.array([1 if k == s else 0 for k in range(m)], dtype=dtype) for m, s in zip(game.shape, start)]
    history = [[np.asarray(c, dtype=float) for c in counts]]
    for _ in range(iterations):
        plays = []
        for i in range(n):
            if n > 1 and all(counts[j].sum() == 0 for j in range(n) if j != i):
                options = list(range(game.shape[i]))  # no history yet: every strategy ties
            else:
                freq_scale = scale * float(max(1, max(counts[j].sum() for j in range(n) if j != i))) ** (n - 1)
                options = _best_set(_against(pay, i, counts), exact, freq_scale)
            plays.append(options[0] if len(options) == 1 else int(rng.choice(options)))
        for i, k in enumerate(plays):
            counts[i] = counts[i].copy()
            counts[i][k] += 1
        history.append([np.asarray(c, dtype=float) for c in counts])
    return history


def fictitious_play(
    game: NormalFormGame,
    *,
    iterations: int = 1000,
    seed: int | None = None,
    start: Sequence[int] | None = None,
    solution: Solution | None = None,
    tolerance: float | None = None,
) -> Trajectory:
    """Fictitious play (Brown 1951): each round, every player best-responds to the
    empirical frequencies of the others' past play, and the frequencies are recorded.

    Algorithm (Fudenberg and Levine 1998, ch. 2), for ``iterations`` rounds:

    1. each player keeps a count of how often every opponent played each strategy;
    2. each player plays a best response to those counts (equivalently, to the
       opponents' empirical mixed strategies);
    3. the counts are updated with what was actually played.

    With ``start`` (a pure profile) the counts begin with that profile played
    once; otherwise they begin at zero and the first round is a tie among all
    strategies. Ties are broken uniformly at random, reproducibly: the generator
    is seeded with ``seed`` (0 when None). Two-player games run through nashpy's
    ``Game.fictitious_play`` (payoffs of exact games scaled to integers so ties
    are exact); three or more players through this module's own loop, which
    follows the same rule.

    ``steps`` holds the empirical frequencies after each round (``times`` = the
    number of rounds counted), ``plays`` the pure profile played each round.
    ``settled``: the same profile was played all through the second half of the
    run. ``cycles`` (heuristic): not settled, and play left some profile and
    came back to it; ``cycle`` is the last such loop, in order. Play can cycle
    while the frequencies converge (matching pennies: runs of each profile grow
    longer and the frequencies approach 1/2), or cycle with the frequencies
    never settling (Shapley's game).
    """
    _check_game(game)
    iterations = _check_positive("iterations", iterations)
    seed = 0 if seed is None else int(seed)
    first = None if start is None else _check_pure_start(game, start)
    if game.num_players == 2:
        history = _fictitious_play_nashpy(game, iterations, seed, first)
        engine = "nashpy Game.fictitious_play"
    else:
        history = _fictitious_play_own(game, iterations, seed, first)
        engine = "gametheory (N players)"
    if first is None:
        history = history[1:]  # the all-zero counts before the first round have no frequencies
    counts = [np.stack([h[i] for h in history]) for i in range(game.num_players)]
    totals = counts[0].sum(axis=1)
    steps = tuple(c / totals[:, None] for c in counts)
    plays: list[tuple[int, ...]] = []
    if first is not None:
        plays.append(first)
    else:
        plays.append(tuple(int(np.argmax(c[0])) for c in counts))
    for t in range(1, len(totals)):
        plays.append(tuple(int(np.argmax(c[t] - c[t - 1])) for c in counts))
    settled, cycles, cycle = _recurring_plays(plays)
    return _trajectory(
        game,
        "fictitious_play",
        solution,
        tolerance,
        steps=steps,
        times=totals.astype(float),
        settled=settled,
        cycles=cycles,
        cycle=cycle,
        plays=tuple(plays),
        parameters={
            "iterations": iterations,
            "seed": seed,
            "start": first,
            "engine": engine,
            "ties": "uniformly at random among best responses (seeded)",
        },
    )


# --------------------------------------------------------------------------- replicator
def _default_interior(game: NormalFormGame, seed: int | None) -> Profile:
    """A starting point inside the simplex: random (Dirichlet(1,...,1)) with a seed, otherwise
    weights n, n-1, ..., 1 (leaning towards the first strategy), so that it is not the uniform
    profile, which is an equilibrium of many textbook games."""
    if seed is not None:
        rng = np.random.default_rng(seed)
        return tuple(rng.dirichlet(np.ones(n)) for n in game.shape)
    return tuple(np.arange(n, 0, -1, dtype=float) / (n * (n + 1) / 2) for n in game.shape)


def _check_mixed_start(game: NormalFormGame, start) -> Profile:
    if len(start) != game.num_players:
        raise InputError(
            f"a start profile needs one probability vector per player ({game.num_players}), got {len(start)}"
        )
    out = []
    for i, (probs, n) in enumerate(zip(start, game.shape)):
        try:
            vec = np.asarray([float(p) for p in probs], dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"start: {game.players[i]}'s probabilities must be numbers, got {probs!r}") from None
        if len(vec) != n:
            raise InputError(f"start: {game.players[i]} has {n} strategies, got {len(vec)} probabilities")
        if not np.all(np.isfinite(vec)) or vec.min() < 0 or abs(vec.sum() - 1) > 1e-9:
            raise InputError(
                f"start: {game.players[i]}'s probabilities must be non-negative and sum to 1, got {list(probs)}"
            )
        out.append(vec)
    return tuple(out)


def _shifted_payoffs(game: NormalFormGame) -> np.ndarray:
    """Each player's payoffs minus that player's smallest payoff (all >= 0).

    Adding a constant to a player's payoffs leaves the replicator equations
    unchanged on the simplex, but not off it: the sum of a player's shares obeys
    ``S' = phi (1 - S)``, with ``phi`` the average payoff, so with negative
    payoffs a round-off error in ``S`` grows like ``exp(|phi| t)`` and the
    integration drifts off the simplex. With payoffs >= 0 such errors decay.
    """
    pay = game.float_payoffs
    return pay - pay.reshape(game.num_players, -1).min(axis=1).reshape((-1,) + (1,) * game.num_players)


def _replicator_field(game: NormalFormGame):
    """The replicator vector field on the concatenated profile, ``x_ik (u_i(k, x_-i) - u_i(x))``.

    The average is taken as ``x . u / sum(x)``, which makes each player's sum
    of shares an exact invariant of the field (a second guard, with
    :func:`_shifted_payoffs`, against drifting off the simplex).
    """
    pay = _shifted_payoffs(game)
    cuts = np.cumsum((0, *game.shape))

    def field_(_t: float, z: np.ndarray) -> np.ndarray:
        xs = [z[cuts[i] : cuts[i + 1]] for i in range(game.num_players)]
        out = np.empty_like(z)
        for i, x in enumerate(xs):
            u = _against(pay, i, xs)
            out[cuts[i] : cuts[i + 1]] = x * (u - (x @ u) / x.sum())
        return out

    return field_


def _replicator_own(game: NormalFormGame, start: Profile, times: np.ndarray) -> tuple[Profile, tuple[str, ...]]:
    """Integrate the replicator equations with scipy's ``solve_ivp`` (DOP853, rtol 1e-9)."""
    from scipy.integrate import solve_ivp

    z0 = np.concatenate(start)
    result = solve_ivp(
        _replicator_field(game),
        (float(times[0]), float(times[-1])),
        z0,
        t_eval=times,
        method="DOP853",
        rtol=1e-9,
        atol=1e-12,
    )
    notes = () if result.success else (f"the ODE solver stopped early: {result.message}",)
    ys = result.y.T
    cuts = np.cumsum((0, *game.shape))
    return tuple(ys[:, cuts[i] : cuts[i + 1]] for i in range(game.num_players)), notes


def _replicator_nashpy(game: NormalFormGame, start: Profile, times: np.ndarray) -> tuple[Profile, tuple[str, ...]]:
    """nashpy's ``Game.asymmetric_replicator_dynamics`` (scipy ``odeint``) on the shifted payoffs
    (:func:`_shifted_payoffs`: the same dynamics, kept on the simplex); its warnings become notes."""
    import nashpy

    a, b = _shifted_payoffs(game)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        xs, ys = nashpy.Game(a, b).asymmetric_replicator_dynamics(x0=start[0], y0=start[1], timepoints=times)
    notes = tuple(dict.fromkeys(f"ODE solver: {w.message}" for w in caught))
    return (np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)), notes


def default_horizon(game: NormalFormGame) -> float:
    """The default length of a replicator run: :data:`REPLICATOR_HORIZON` over the typical gain."""
    return REPLICATOR_HORIZON / _typical_gain(game)


def _typical_gain(game: NormalFormGame) -> float:
    """The median, over every player and every profile of the others, of the nonzero spread
    between that player's best and worst strategy: the rate at which shares typically move."""
    spreads = []
    for i in range(game.num_players):
        u = game.float_payoffs[i]
        spreads.append((u.max(axis=i) - u.min(axis=i)).ravel())
    values = np.concatenate(spreads)
    values = values[values > 1e-12 * _scale(game)]
    return float(np.median(values)) if len(values) else 1.0


def _max_regret(game: NormalFormGame, steps: Sequence[np.ndarray]) -> float:
    """Largest gain any player could get by deviating from the end point (0 at a Nash equilibrium)."""
    end = [s[-1] for s in steps]
    gains = []
    for i in range(game.num_players):
        u = _against(game.float_payoffs, i, end)
        gains.append(float(u.max() - end[i] @ u))
    return max(gains)


def _returns(z: np.ndarray) -> bool:
    """Recurrence test on the second half of a path ``z`` (rows = time points): after moving
    at least 0.02 away from the midpoint, does it come back within a tenth of its excursion?"""
    half = z[len(z) // 2 :]
    d = np.abs(half - half[0]).max(axis=1)
    excursion = np.maximum.accumulate(d)
    return bool(np.any((excursion >= 0.02) & (d <= 0.1 * excursion)))


def replicator_dynamics(
    game: NormalFormGame,
    *,
    start: Sequence[Sequence[float]] | None = None,
    timepoints: Sequence[float] | None = None,
    seed: int | None = None,
    solution: Solution | None = None,
    tolerance: float | None = None,
) -> Trajectory:
    """The (multi-population) replicator dynamics, ``x_ik' = x_ik (u_i(k, x_-i) - u_i(x))``.

    Each player is a population; the share of strategy ``k`` grows at the rate
    by which its payoff exceeds the population's average (Taylor and Jonker
    1978; Hofbauer and Sigmund 1998). Pure profiles are rest points, so a run
    must start inside the simplex to show anything: ``start`` (one probability
    vector per player), a random interior point drawn with ``seed``, or by
    default weights n, n-1, ..., 1 for each player (leaning towards the first
    strategy; the uniform profile is an equilibrium of many textbook games).

    ``timepoints`` are the times at which the path is recorded (default
    :data:`REPLICATOR_POINTS` points from 0 to :data:`REPLICATOR_HORIZON`
    divided by the typical gain from switching strategy, so the same amount of
    motion shows whatever the payoff unit). Two players: nashpy's
    ``Game.asymmetric_replicator_dynamics`` (nashpy's ``replicator_dynamics`` is
    the one-population dynamic of symmetric games); three or more: the same
    equations integrated with :func:`scipy.integrate.solve_ivp`. Tiny negative
    shares from round-off are clipped and each row renormalised.

    ``settled``: the path is at rest at the end: its speed, relative to the
    payoff range, is below 1e-4 and the end point is an approximate
    equilibrium (regret below 1e-3 of the payoff range), or it never moved (the
    start is a rest point). Checking the regret matters: near a pure profile
    that is not an equilibrium the path slows down enormously before it leaves
    (Shapley's game). ``cycles`` (heuristic): not settled, and either the path
    in the second half of the run moves away from its midpoint and comes back
    within a tenth of the distance it went (closed orbits), or the sequence of
    "leading" profiles (each player's most common strategy) leaves a profile
    and comes back to it (spirals, and paths that go round the boundary);
    ``cycle`` is then the last such loop of leading profiles, when it has at
    least three.
    """
    _check_game(game)
    times = _record_times(game, timepoints)
    x0 = _default_interior(game, seed) if start is None else _check_mixed_start(game, start)
    if game.num_players == 2:
        steps, notes = _replicator_nashpy(game, x0, times)
        engine = "nashpy Game.asymmetric_replicator_dynamics"
    else:
        steps, notes = _replicator_own(game, x0, times)
        engine = "scipy solve_ivp (DOP853)"
    times = times[: len(steps[0])]  # solve_ivp returns fewer points if it stops early
    steps, times, notes = _keep_on_simplex(steps, times, notes)
    z = np.concatenate(steps, axis=1)
    speed = float(np.abs(_replicator_field(game)(times[-1], z[-1])).max())
    moved = float(np.abs(z - z[0]).max())
    settled = moved <= 1e-12 or _at_rest(game, steps, speed)
    cycles, cycle = (False, ()) if settled else _goes_round(steps, z)
    if moved <= 1e-12:
        notes += ("the start is a rest point: the shares never change",)
    return _trajectory(
        game,
        "replicator",
        solution,
        tolerance,
        steps=steps,
        times=times,
        settled=settled,
        cycles=cycles,
        cycle=cycle,
        parameters={
            "start": tuple(tuple(float(p) for p in x) for x in x0),
            "seed": seed,
            "horizon": float(times[-1]),
            "points": len(times),
            "engine": engine,
            "final_speed": speed,
        },
        notes=notes,
    )


def _record_times(game: NormalFormGame, timepoints: Sequence[float] | None) -> np.ndarray:
    """The times at which the replicator path is recorded: ``timepoints`` (checked), or by default
    :data:`REPLICATOR_POINTS` points up to :func:`default_horizon`."""
    if timepoints is None:
        return np.linspace(0.0, default_horizon(game), REPLICATOR_POINTS)
    times = np.asarray(timepoints, dtype=float)
    if times.ndim != 1 or len(times) < 2 or not np.all(np.isfinite(times)) or np.any(np.diff(times) <= 0):
        raise InputError("timepoints must be at least two finite, increasing times")
    return times


def _keep_on_simplex(
    steps: Profile, times: np.ndarray, notes: tuple[str, ...]
) -> tuple[Profile, np.ndarray, tuple[str, ...]]:
    """The path cut where the integrator broke down (shares far off the simplex), with a note; tiny
    negative shares from round-off clipped and each row renormalised."""
    sums = [s.clip(0.0, None).sum(axis=1) for s in steps]
    bad = np.flatnonzero(~np.all([np.isfinite(t) & (t > 0.5) for t in sums], axis=0))
    if len(bad):  # keep the good part
        cut = max(int(bad[0]), 2)
        notes += (f"the ODE solver lost accuracy at t = {times[bad[0]]:.4g}; the path is shown up to there",)
        steps, times = tuple(s[:cut] for s in steps), times[:cut]
    steps = tuple(s.clip(0.0, None) / s.clip(0.0, None).sum(axis=1, keepdims=True) for s in steps)
    return steps, times, notes


def _at_rest(game: NormalFormGame, steps: Profile, speed: float) -> bool:
    """Whether the path ends at rest: its speed is below 1e-4 of the payoff range and the end point is an
    approximate equilibrium (regret below 1e-3 of it; near a pure profile that is not one, paths slow down
    enormously before they leave)."""
    spread = float(game.float_payoffs.max() - game.float_payoffs.min())
    return speed <= 1e-4 * spread and _max_regret(game, steps) <= 1e-3 * spread


def _goes_round(steps: Profile, z: np.ndarray) -> tuple[bool, tuple[tuple[int, ...], ...]]:
    """Whether a path that is not at rest cycles (heuristic: it returns near its midpoint, or its leading
    profiles recur), and the loop of leading profiles when it has at least three."""
    leaders = [tuple(int(np.argmax(s[t])) for s in steps) for t in range(len(z))]
    _, recurs, cycle = _recurring_plays(leaders)
    cycles = _returns(z) or recurs
    if len(cycle) < 3:  # two leading profiles only swap back and forth: not worth naming as a loop
        cycle = ()
    return cycles, cycle


# --------------------------------------------------------------------------- plausibility
#: Best-response basins are counted only for games with at most this many pure profiles (one run per profile).
BASIN_MAX_PROFILES = 4096


@dataclass(frozen=True)
class Plausibility:
    """Which equilibrium is most plausible, and the facts behind that answer (indices into ``solution.equilibria``).

    The facts: the logit selection, payoff and risk dominance (from the solution's
    :class:`~gametheory.solvers.selection.SelectionFacts`), which equilibria are strict and which
    Pareto-efficient, and ``basins``: for each equilibrium, from how many of the ``starts`` pure
    profiles best-response dynamics (one player at a time, in the file's order) end there
    (None for games with more than :data:`BASIN_MAX_PROFILES` profiles); ``cycling`` of the starts go
    round for ever instead.

    ``favourite`` is the equilibrium that most of the four selection criteria pick (logit selection,
    payoff dominance, risk dominance, the largest basin), None when no criterion picks one or two
    equilibria tie; ``reasons`` names the criteria that pick it (``logit``, ``payoff``, ``risk``,
    ``basin``; ``unique`` when it is the only equilibrium). In a game tree, ``subgame_perfect`` lists
    the equilibria that are subgame perfect, and only they can be the favourite (the others rest on
    threats or promises that would not be carried out): the only one is the favourite, reason ``subgame``.
    """

    count: int
    logit: int | None
    payoff_dominant: int | None
    risk_dominant: int | None
    strict: tuple[int, ...]
    pareto_efficient: tuple[int, ...]
    basins: tuple[int, ...] | None
    starts: int
    cycling: int
    favourite: int | None
    reasons: tuple[str, ...]
    subgame_perfect: tuple[int, ...] = ()


def best_response_basins(game: NormalFormGame, solution: Solution) -> tuple[tuple[int, ...], int, int] | None:
    """(for each equilibrium the number of pure starting profiles whose best-response run ends there, starts,
    runs that cycle), running sequential best-response dynamics from every pure profile; None when the game
    has more than :data:`BASIN_MAX_PROFILES` profiles."""
    starts = math.prod(game.shape)
    if starts > BASIN_MAX_PROFILES:
        return None
    where = {eq.pure_profile: k for k, eq in enumerate(solution.equilibria) if eq.pure}
    counts = [0] * len(solution.equilibria)
    cycling = 0
    best = _best_replies(game)
    for profile in np.ndindex(*game.shape):
        run = _revise_in_turn(best, tuple(int(a) for a in profile), game.num_players, 10 * starts + 10)
        if run.settled and run.plays[-1] in where:
            counts[where[run.plays[-1]]] += 1
        elif run.cycles:
            cycling += 1
    return tuple(counts), starts, cycling


def plausibility(solution: Solution) -> Plausibility:
    """The facts that speak for each equilibrium of ``solution`` (from :func:`gametheory.analysis.analyse`,
    which computes its selection facts) and the one most of them pick; see :class:`Plausibility`."""
    game = solution.game
    eqs = solution.equilibria
    facts = solution.selection
    logit = getattr(facts, "logit_selected", None)
    payoff = getattr(facts, "payoff_dominant", None)
    risk = getattr(facts, "risk_dominant", None)
    per = getattr(facts, "equilibria", ()) or ()
    strict = tuple(f.index for f in per if f.strict)
    efficient = tuple(f.index for f in per if not f.pareto_dominated_by)
    basins = best_response_basins(game, solution) if eqs else None
    counts, starts, cycling = basins if basins is not None else (None, 0, 0)
    verdicts = getattr(solution.extensive, "verdicts", None) or ()  # a game tree's subgame perfection
    perfect = tuple(k for k, v in enumerate(verdicts) if v is not None and v.subgame_perfect)
    votes: dict[int, list[str]] = {k: ["subgame"] for k in perfect[:1] if len(perfect) == 1}
    for reason, k in (("logit", logit), ("payoff", payoff), ("risk", risk), ("basin", _largest(counts))):
        if k is not None and (not perfect or k in perfect):
            votes.setdefault(k, []).append(reason)
    favourite, reasons = None, ()
    if len(eqs) == 1:
        favourite, reasons = 0, ("unique",)
    elif len(perfect) == 1:
        favourite, reasons = perfect[0], tuple(votes[perfect[0]])
    elif votes:
        most = max(len(v) for v in votes.values())
        top = [k for k, v in votes.items() if len(v) == most]
        if len(top) == 1:
            favourite, reasons = top[0], tuple(votes[top[0]])
    return Plausibility(
        len(eqs), logit, payoff, risk, strict, efficient, counts, starts, cycling, favourite, reasons, perfect
    )


def _largest(counts: Sequence[int] | None) -> int | None:
    """The index of the one largest positive count, or None (no counts, all zero, or a tie)."""
    if not counts or max(counts) == 0:
        return None
    top = [k for k, c in enumerate(counts) if c == max(counts)]
    return top[0] if len(top) == 1 else None
