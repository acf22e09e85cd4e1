"""Logit quantal response equilibrium (QRE): the principal branch and the equilibrium it selects.

The logit QRE (McKelvey & Palfrey 1995, "Quantal response equilibria for
normal form games", *Games and Economic Behavior* 10) replaces best responses
by noisy ones: with *rationality* ``lambda >= 0`` each player ``i`` plays
strategy ``k`` with probability

    p_ik = exp(lambda * u_ik(p)) / sum_m exp(lambda * u_im(p)),

where ``u_ik(p)`` is the expected payoff of ``k`` against the others' mixes.
At ``lambda = 0`` everybody mixes uniformly (the centroid); as ``lambda``
grows the players become more rational. For almost every game the QRE that
start at the centroid form a single smooth curve, the *principal branch*,
which converges to one Nash equilibrium as ``lambda -> infinity``
(McKelvey & Palfrey 1995). That equilibrium is the one selected by
the *logit tracing procedure*; Turocy (2005, "A dynamic homotopy
interpretation of the logistic quantal response equilibrium
correspondence", *GEB* 51) reads the branch as a homotopy, like the tracing
procedure of Harsanyi & Selten, and shows how to follow it numerically.

How the branch is followed
--------------------------
Unknowns ``x = (y, lambda)`` with ``y_ik = log p_ik`` (log coordinates, as
in Gambit's implementation of Turocy's method: the probabilities of strategies that are not best responses
fall like ``exp(-lambda * gap)``, which in logs is a straight line). For each
player ``i`` the equations ``H(x) = 0`` are

* ``sum_k exp(y_ik) - 1 = 0`` (probabilities sum to one), and
* ``y_ik - y_i0 - lambda * (u_ik - u_i0) = 0`` for ``k >= 1`` (the logit ratios).

That is ``M`` equations in ``M + 1`` unknowns (``M`` = total number of
strategies), so the solutions form curves. We follow the one through the
centroid with the **predictor-corrector method** of Allgower & Georg
("Introduction to Numerical Continuation Methods", SIAM 2003, ch. 2 and 6),
the method of Gambit's ``gambit-logit``:

1. the tangent ``t`` is the null vector of the Jacobian ``H'(x)``, oriented
   so that ``det [H'(x); t^T]`` keeps its sign: that is how turning points in
   ``lambda`` are passed and how steps that turned back are caught;
2. *predictor*: ``u = x + h t`` (an Euler step of arc length ``h``);
3. *corrector*: Newton steps on ``H(u) = 0`` plus ``t . (u - u_0) = 0``, i.e.
   with the augmented Jacobian ``[H'(u); t^T]`` (one LU factorisation per
   step also gives the next tangent), which move across the curve;
4. *step-size control*: a step is refused (and ``h`` shrunk) when the first
   Newton correction is too long or Newton contracts too slowly; otherwise
   ``h`` grows by a factor derived from the same two measures (at most
   ``max_accel``). The first step is 1.0 (arc length), not Gambit's 0.03:
   near the centroid the branch is nearly straight, and growing the step
   from 0.03 took a third of a small game's steps (measured on seeded random
   games: a 2x2 game's median 18.5 steps fell to 10.5, a 5x5's 36.5 to 29,
   with the same limits on 1,320 games from 2x2 to 2x2x2x2, up to the
   placement of limits inside continua of equilibria, which depends on the path).

Payoffs are first rescaled to the range [0, 1] so the step-size rules do not
depend on the payoff unit; reported ``lambda`` values are in the game's own
payoff units.

From the branch to an exact equilibrium
---------------------------------------
Along the branch the regret falls like ``1/lambda``, so no finite point is an
equilibrium. Whenever the regret has fallen by another factor of ten we
*polish*: guess the support (strategies whose probability is not negligible
next to the player's most likely one), solve the indifference system on that
support (every used strategy earns the same, probabilities sum to one), and
keep the result if it certifies as an equilibrium. When payoffs are exact
and at most two players mix, that system is linear (always the case for 2
players) and is solved in exact arithmetic, once per support and call;
otherwise, or when it is singular, by Newton's method in floats. It
is accepted as the limit once two successive polishes give the same
*regular* equilibrium (positive probabilities, unused strategies strictly
worse, nonsingular system: an isolated point, so a branch that converges
near it converges to it) and the branch has come closer to it; other
equilibria (points of a continuum) are accepted only when the branch's own
regret is below 1e-8 of the payoff range, as in Gambit. A strict pure
equilibrium needs no confirmation once a bound shows that, from the current
point on, the logit response contracts towards it (:class:`_StrictLimit`): the
branch then provably ends there. A float answer of
an exact game is finally rounded to the nearest simple fractions. Either way
:func:`gametheory.certify.certify` must confirm zero regret exactly for an
answer to be called exact.

Non-generic games (ties, symmetries) may have a principal branch that meets
a bifurcation. The path follower detects it (the orientation flips however
short the step) and continues *straight on*, along the branch that continues
the one it arrived on (in a symmetric game, the symmetric branch), adding no
perturbation; Gambit instead perturbs the equations and may leave on another
branch. The selection then belongs to that continuation rather than to the
game alone, and results say so.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from ..certify import certify, certify_all
from ..certify import scale as payoff_scale
from ..errors import InputError
from ..game import MixedProfile, NormalFormGame, common_denominator
from ..solution import Enumeration, Equilibrium, LogitStats
from ._logitsmall import Augmented, SmallBranch, fits

#: Denominator bounds tried, simplest first, when a float equilibrium is rounded to fractions.
_DENOMINATORS = (10, 100, 10**3, 10**4, 10**5, 10**6)
#: How far (largest probability difference) a rounded equilibrium may lie from the float one: the float
#: answer for a limit inside a continuum is itself no closer to the branch's limit (measured: tracing with
#: other step sizes moves it by up to 3e-5 on degenerate games).
_ROUNDING_DISTANCE = 1e-6
#: Newton corrections shorter than this (in log-probabilities) end the corrector of :func:`logit_path`, whose points
#: are the output (within 1e-5 of the branch in probability).
_CORRECTOR_TOLERANCE = 1e-6
#: The same for :func:`logit_solve`, whose output is the polished limit: Gambit's value (``c_tol`` of its
#: ``PathTracer``). 1e-6 took about one more corrector iteration per step (a 2x2 game's solve takes 0.85 of the
#: time with 1e-4), with the same limits on 1,320 seeded games except limits inside continua of equilibria
#: (degenerate games), which moved by 1e-6 to 1.6e-3: 13 of those 18 came nearer to a trace with tolerance 1e-10
#: and short steps, 5 went farther by at most 2e-5 (two such careful traces differ by up to 6e-4 there: the
#: placement is that uncertain).
_SOLVE_TOLERANCE = 1e-4
#: Steps (arc length) at or below which a reversal of the tangent is taken for a bifurcation.
_BIFURCATION_STEP = 1e-6
#: Why tracing stops when its steps shrink below their minimum (the corrector lost the branch, or a bifurcation).
_STEP_TOO_SMALL = "step size fell below its minimum (the branch may end at a bifurcation)"
#: Predictor steps (accepted or refused) after which tracing gives up.
_MAX_STEPS = 20_000
#: Path regret (relative to the payoff range) at which a polished point is accepted without confirmation.
_FINAL_REGRET = 1e-8
#: Path regret (relative to the payoff range) at which polishing starts.
_FIRST_POLISH = 1e-2


# --------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class LogitPath:
    """The traced principal branch: one row per accepted point, from the centroid.

    ``lambdas[k]`` is the rationality (in the game's payoff units) of point
    ``k``; ``probabilities[i][k]`` is player ``i``'s mixed strategy there, and
    ``regrets[k]`` the largest regret of any player (payoff units) at that
    QRE. ``reason`` says why tracing stopped; ``bifurcations`` counts the
    bifurcation points crossed (straight on), which only non-generic games have.
    """

    lambdas: np.ndarray
    probabilities: tuple[np.ndarray, ...]
    regrets: np.ndarray
    reason: str
    steps: int
    elapsed: float
    bifurcations: int = 0

    def __len__(self) -> int:
        return len(self.lambdas)

    def profile(self, k: int = -1) -> MixedProfile:
        """The QRE at point ``k`` (default: the last one) as a mixed profile of floats."""
        return tuple(tuple(float(v) for v in probs[k]) for probs in self.probabilities)


# --------------------------------------------------------------- the payoffs
class _Payoffs:
    """Payoffs rescaled to [0, 1] and the two derivatives path following needs.

    ``evaluate(probs, derivatives)`` returns, for the mixed profile ``probs``:

    * ``u[i]``: the expected payoff of each of player ``i``'s strategies, and
    * ``d[i, j]`` (``i != j``; only with ``derivatives``, and always for two
      players, where they are the payoff matrices): the matrix ``D[k, m]`` of
      player ``i``'s payoff when ``i`` plays ``k``, ``j`` plays ``m`` and the
      rest mix, i.e. ``du_ik / dp_jm``.
    """

    def __init__(self, game: NormalFormGame):
        raw = game.float_payoffs
        low, high = float(raw.min()), float(raw.max())
        self.range = high - low
        self.low = low
        self.values = (raw - low) / self.range if self.range > 0 else np.zeros_like(raw)
        self.n = game.num_players
        self.shape = game.shape
        if self.n == 2:
            self._A = self.values[0]
            self._Bt = np.ascontiguousarray(self.values[1].T)
        # For 3+ players every contraction is one matrix-vector product: the table with the kept
        # axes first, flattened to (kept cells) x (other players' profiles), times the outer product
        # of the others' mixed strategies (small games pay numpy's per-call cost, so fewer calls pay).
        many = self.n != 2
        self._single = [self._flattened(i) for i in range(self.n)] if many else []

    @functools.cached_property
    def _pairs(self) -> dict[tuple[int, int], tuple[np.ndarray, list[int]]]:
        """The tables of the derivatives (only the numpy branch of a larger game asks for them)."""
        n = self.n
        return {(i, j): self._flattened(i, j) for i in range(n) for j in range(n) if j != i and n != 2}

    def _flattened(self, *kept: int) -> tuple[np.ndarray, list[int]]:
        """Player ``kept[0]``'s table as a matrix: rows the ``kept`` players' strategies, columns the others'."""
        others = [k for k in range(self.n) if k not in kept]
        table = np.transpose(self.values[kept[0]], [*kept, *others])
        rows = math.prod(self.shape[k] for k in kept)
        return np.ascontiguousarray(table.reshape(rows, -1)), others

    @staticmethod
    def _outer(probs: Sequence[np.ndarray], players: list[int]) -> np.ndarray:
        """The others' joint distribution, flattened in the order of ``players`` (C order)."""
        if not players:
            return np.ones(1)
        joint = probs[players[0]]
        for k in players[1:]:
            joint = np.multiply.outer(joint, probs[k]).ravel()
        return joint

    def evaluate(
        self, probs: Sequence[np.ndarray], derivatives: bool = True
    ) -> tuple[list[np.ndarray], dict[tuple[int, int], np.ndarray]]:
        if self.n == 2:
            A, Bt = self._A, self._Bt
            return [A @ probs[1], Bt @ probs[0]], {(0, 1): A, (1, 0): Bt}
        if not derivatives or self.n == 1:
            return [matrix @ self._outer(probs, others) for matrix, others in self._single], {}
        d: dict[tuple[int, int], np.ndarray] = {}
        for (i, j), (matrix, others) in self._pairs.items():
            d[i, j] = (matrix @ self._outer(probs, others)).reshape(self.shape[i], self.shape[j])
        u = [d[i, 1 if i == 0 else 0] @ probs[1 if i == 0 else 0] for i in range(self.n)]
        return u, d


def _regret(probs: Sequence[np.ndarray], u: Sequence[np.ndarray]) -> float:
    """Largest regret of any player (in the units of ``u``)."""
    return max(float(ui.max() - pi @ ui) for pi, ui in zip(probs, u))


# ------------------------------------------------------------- path following
class _Branch:
    """The logit equations ``H(y, lambda) = 0`` and their Jacobian for one game.

    Rows: for each player ``i`` first the sum-to-one equation, then one
    logit-ratio equation per strategy ``k >= 1`` (against strategy 0).
    """

    def __init__(self, payoffs: _Payoffs):
        self.payoffs = payoffs
        self.sizes = payoffs.shape
        offsets = [0]
        for n in self.sizes:
            offsets.append(offsets[-1] + n)
        self.offsets = offsets
        self.M = M = offsets[-1]
        self.slices = [slice(offsets[i], offsets[i + 1]) for i in range(len(self.sizes))]
        player = np.repeat(np.arange(len(self.sizes)), self.sizes)
        self.sum_rows = np.array(offsets[:-1])
        self.owner_row = self.sum_rows[player]  # the sum row of each column's player
        self.ratio = np.array([k for k in range(M) if k not in set(offsets[:-1])], dtype=int)
        self.ref = self.owner_row[self.ratio]
        self.template = np.zeros((M, M + 1))
        self.template[self.ratio, self.ratio] = 1.0
        self.template[self.ratio, self.ref] = -1.0
        self.ratio_slices = [slice(offsets[i] + 1, offsets[i + 1]) for i in range(len(self.sizes))]
        self.columns = np.arange(M)

    def start(self) -> np.ndarray:
        """The centroid at lambda = 0."""
        x = np.zeros(self.M + 1)
        for sl, n in zip(self.slices, self.sizes):
            x[sl] = -math.log(n)
        return x

    def value_and_jacobian(self, x: np.ndarray, jacobian: bool = True):
        """``H(x)``, the Jacobian ``H'(x)`` (M x (M+1)) or None, the payoffs ``u`` and the probabilities."""
        lam = x[-1]
        flat = np.exp(x[:-1])
        probs = [flat[sl] for sl in self.slices]
        u, d = self.payoffs.evaluate(probs, jacobian)
        ucat = np.concatenate(u)
        diff = ucat[self.ratio] - ucat[self.ref]
        H = np.empty(self.M)
        H[self.sum_rows] = np.add.reduceat(flat, self.sum_rows) - 1.0
        H[self.ratio] = x[self.ratio] - x[self.ref] - lam * diff
        if not jacobian:
            return H, None, u, probs
        J = self.template.copy()
        J[self.owner_row, self.columns] = flat
        J[self.ratio, -1] = -diff
        for (i, j), D in d.items():
            rows = self.ratio_slices[i]
            if rows.start < rows.stop:
                J[rows, self.slices[j]] = (-lam * (D[1:, :] - D[0, :])) * probs[j]
        return H, J, u, probs

    # ------------------------------------------------------------ what the follower needs of vectors
    # (``_logitsmall.SmallBranch`` has the same methods on Python lists, for small games)
    @staticmethod
    def augmented(J: np.ndarray, t: np.ndarray) -> Augmented:
        return Augmented(J, t)

    def lambda_axis(self) -> np.ndarray:
        """The unit vector of ``lambda``."""
        axis = np.zeros(self.M + 1)
        axis[-1] = 1.0
        return axis

    @staticmethod
    def along(x: np.ndarray, h: float, t: np.ndarray) -> np.ndarray:
        """``x + h t``."""
        return x + h * t

    @staticmethod
    def minus(x: np.ndarray, step: np.ndarray) -> np.ndarray:
        return x - step

    @staticmethod
    def norm(v: np.ndarray) -> float:
        return math.sqrt(float(v @ v))

    @staticmethod
    def finite(*vectors) -> bool:
        """Whether every entry of the arrays (or lists of arrays) is finite (their entries are far below the
        largest float, so a sum is finite exactly when they all are: one numpy call per array)."""
        return all(
            math.isfinite(v.sum()) if isinstance(v, np.ndarray) else all(math.isfinite(q.sum()) for q in v)
            for v in vectors
        )

    @staticmethod
    def dot(a: np.ndarray, b: np.ndarray) -> float:
        return float(a @ b)

    @staticmethod
    def largest(x: np.ndarray) -> float:
        return float(np.abs(x).max())

    @staticmethod
    def regret(probs: Sequence[np.ndarray], u: Sequence[np.ndarray]) -> float:
        return _regret(probs, u)

    @staticmethod
    def quiet() -> Any:
        """A context in which overflow and invalid values give inf and nan silently (refused steps)."""
        return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


@dataclass
class _Point:
    x: Any  # (log-probabilities, lambda): a numpy vector, or a list of floats on a small game's branch
    probs: list  # per player: numpy vectors, or lists of floats on a small game's branch
    u: list
    regret: float  # rescaled payoff units
    bifurcations: int = 0  # bifurcations crossed so far


@dataclass
class _Step:
    point: Any  # a numpy vector, or a list of floats on a small game's branch
    aug: Any  # _logitsmall.Augmented, SmallAugmented or GaussJordan
    slow: float
    u: list
    probs: list


def _predict_correct(branch: Any, x: Any, t: Any, h: float, max_accel: float, tol: float) -> _Step | None:
    """One predictor-corrector step of arc length ``h`` from ``x`` along ``t``; None if refused.

    Corrector: chord Newton with the augmented Jacobian at the predicted
    point, stopped once a correction is below ``tol`` or, from the observed
    contraction, the next one would be. Refused when a correction exceeds ``max_dist`` or Newton contracts
    worse than ``max_contraction`` (Allgower & Georg 2003, sec. 6.1, as in
    Gambit's ``PathTracer``). ``slow`` is the factor by which to divide the
    next step (between ``1/max_accel`` and ``max_accel``).
    """
    max_dist, max_contraction, eta, max_iter = 0.4, 0.6, 0.1, 30
    v = branch.along(x, h, t)
    slow, previous = 1.0 / max_accel, 0.0
    with branch.quiet():
        try:
            Hv, Jv, _, _ = branch.value_and_jacobian(v)
            if not branch.finite(Jv):
                return None
            aug = branch.augmented(Jv, t)
        except np.linalg.LinAlgError:
            return None
        # Rounding in H grows like lambda * eps and Newton amplifies it by about
        # 1/(smallest pivot): corrections below that noise level count as converged.
        noise = (1.0 + abs(v[-1])) * 1e-15 / max(aug.smallest_pivot, 1e-300)
        tol_here = max(tol, 10.0 * noise)
        for iteration in range(max_iter):
            # H at the predicted point came with its Jacobian; later iterations evaluate it afresh
            step = aug.correction(Hv if iteration == 0 else branch.value_and_jacobian(v, jacobian=False)[0])
            dist = branch.norm(step)
            if not dist < max_dist:  # also catches nan
                return None
            v = branch.minus(v, step)
            slow = max(slow, math.sqrt(dist / max_dist) * max_accel)
            if dist <= tol_here:
                break
            if iteration >= 1:
                contraction = dist / (previous + tol_here * eta)
                if contraction > max_contraction:
                    return None
                slow = max(slow, math.sqrt(contraction / max_contraction) * max_accel)
                if dist * dist <= tol_here * previous:
                    break  # converging linearly at rate dist / previous: the next correction would be below tol
            previous = dist
        else:
            return None
        _, _, u, probs = branch.value_and_jacobian(v, jacobian=False)
    if not branch.finite(v, u):
        return None
    return _Step(v, aug, min(slow, max_accel), u, probs)


def _trace(
    branch: Any,
    *,
    first_step: float,
    max_accel: float,
    deadline: float | None,
    tolerance: float = _CORRECTOR_TOLERANCE,
) -> Iterator[_Point | str]:
    """Follow the principal branch from the centroid, yielding each accepted point (corrected until a Newton
    correction is below ``tolerance``).

    Yields :class:`_Point` objects; a string is yielded last if tracing fails
    or runs out of time (the consumer otherwise stops by closing the
    generator).

    Orientation: a step whose tangent orientation (sign of the augmented
    determinant) flips is refused and retried shorter: the step turned back
    or jumped. If the flip persists down to tiny steps, the Jacobian is
    singular between the two points: a bifurcation (possible only in
    non-generic games, e.g. symmetric ones). There the branch is continued
    *straight on*: a longer step along the current tangent, corrected
    perpendicular to it, lands on the branch that continues the one we came
    along (in a symmetric game, the symmetric branch), not on the branches
    that split off. Such crossings are counted in ``_Point.bifurcations``.
    """
    h_min = 1e-9
    x = branch.start()
    _, J, u, probs = branch.value_and_jacobian(x)
    lam_axis = branch.lambda_axis()
    first = branch.augmented(J, lam_axis)
    t = first.tangent  # lambda component > 0: leave the centroid towards rationality
    # det [J; t^T] = det [J; e^T] * |w| with w = [J; e^T]^-1 e_last (the determinant lemma, since e . w = 1),
    # so the orientation along t is the sign already known (one inversion saved)
    orientation = first.sign
    bifurcations = 0
    yield _Point(x, probs, u, branch.regret(probs, u), 0)
    h = first_step
    for _ in range(_MAX_STEPS):
        if deadline is not None and time.perf_counter() > deadline:
            yield "time limit reached"
            return
        if h < h_min:
            yield _STEP_TOO_SMALL
            return
        step = _predict_correct(branch, x, t, h, max_accel, tolerance)
        if step is not None and step.aug.sign != orientation:
            step_ok = False
            if h <= _BIFURCATION_STEP:
                for jump in (1e-4, 1e-3, 1e-2):
                    across = _predict_correct(branch, x, t, jump * max(1.0, branch.largest(x)), max_accel, tolerance)
                    if (
                        across is not None
                        and across.aug.sign != orientation
                        and branch.dot(t, across.aug.tangent) > 0.99
                    ):
                        step, step_ok = across, True
                        orientation = across.aug.sign
                        bifurcations += 1
                        h = first_step
                        break
            if not step_ok:
                step = None  # the step turned back or jumped to another part of the curve
        if step is not None and step.point[-1] < 0:
            step = None  # the principal branch never returns to lambda <= 0 (its only QRE there is the centroid)
        if step is None:
            h /= max(max_accel, 1.5)
            continue
        t = step.aug.tangent
        x = step.point
        h /= step.slow
        yield _Point(x, step.probs, step.u, branch.regret(step.probs, step.u), bifurcations)
    yield f"{_MAX_STEPS} predictor steps without reaching the end"


# ------------------------------------------------------------------ polishing
def _candidate_supports(probs: Sequence[np.ndarray]) -> list[tuple[tuple[int, ...], ...]]:
    """Supports suggested by a QRE: strategies not negligible next to the player's most likely one."""
    out: list[tuple[tuple[int, ...], ...]] = []
    plain = [[float(v) for v in p] for p in probs]  # a handful of numbers: Python beats numpy's per-call cost
    tops = [max(p) for p in plain]
    for ratio in (1e-3, 1e-6, 1e-10):
        support = tuple(tuple(k for k, v in enumerate(p) if v >= ratio * top) for p, top in zip(plain, tops))
        if support not in out:
            out.append(support)
    return out


def _newton_on_support(
    payoffs: _Payoffs, probs: Sequence[np.ndarray], support: Sequence[Sequence[int]]
) -> tuple[list[np.ndarray], bool] | None:
    """Solve the indifference system on ``support`` by Newton's method from ``probs``.

    Unknowns: the probabilities of the used strategies of every player who
    mixes, and that player's equilibrium payoff ``v_i``. Equations:
    ``u_ik(p) = v_i`` for each used ``k`` and ``sum_k p_ik = 1``. Least-squares
    steps (``numpy.linalg.lstsq``, see :func:`_newton_step`) keep it working when the system is
    singular (degenerate games). Returns the profile and whether the system's
    Jacobian is regular there (so the solution is locally unique), or None.

    The system only involves the game restricted to the support (:class:`_SupportGame`), a handful of
    numbers, so it is built in Python floats and only the linear solve is numpy's (measured on the calls
    that tracing 20 seeded games makes, same results: 0.8 of the time of building it in numpy on 2x2x2
    games, whose fully mixed support is polished in most calls, 0.84 on 3x3x3 games). When three players mix
    two strategies each, Newton is not run where :func:`_no_solution_near` proves it cannot succeed.
    """
    n = len(probs)
    p = []
    for i in range(n):
        q = np.zeros(len(probs[i]))
        q[list(support[i])] = probs[i][list(support[i])]
        p.append(q / q.sum())
    mixing = [i for i in range(n) if len(support[i]) > 1]
    if not mixing:
        return p, True
    tables = _support_tables(payoffs.values, support, mixing)
    if tables.shape == (3, 2, 2, 2) and _no_solution_near(tables):
        return None  # before building the system (SmallBranch cost 37 us of a 58 us _SupportGame on 2x2x2)
    game = _SupportGame(tables)
    q = [p[i][list(support[i])].tolist() for i in mixing]
    u, _ = game.payoffs(q)
    v = [sum(map(operator.mul, qa, ua)) for qa, ua in zip(q, u)]
    for iteration in range(20):
        F, J = game.system(q, v)
        residual = max(map(abs, F))
        if residual < 1e-14 or (iteration >= 6 and residual > 1e-6):
            break  # converged, or not converging (no equilibrium on this support near here)
        step = _newton_step(np.array(J), np.array(F), residual)
        if not np.all(np.isfinite(step)):
            return None
        update = step.tolist()
        q = [[x + dx for x, dx in zip(qa, update[start : start + len(qa)])] for qa, start in zip(q, game.starts)]
        v = [va + dv for va, dv in zip(v, update[game.size - len(v) :])]
    else:
        F, J = game.system(q, v)  # after the last step (a break leaves F and J of the current p)
        residual = max(map(abs, F))
    if residual > 1e-12:
        return None
    for i, qa in zip(mixing, q):
        p[i][list(support[i])] = qa
    return p, bool(np.linalg.cond(np.array(J)) < 1e10)


def _support_tables(values: np.ndarray, support: Sequence[Sequence[int]], mixing: list[int]) -> np.ndarray:
    """The ``mixing`` players' payoffs on ``support``, the pure players' axes dropped: (mixing, *their support sizes)."""
    shape = [len(support[i]) for i in mixing]
    cells = np.ix_(*[list(S) for S in support])
    return np.stack([values[i][cells].reshape(shape) for i in mixing])


class _SupportGame:
    """The game restricted to a support, its pure players fixed (``tables``, :func:`_support_tables`): the payoffs
    and indifference system of :func:`_newton_on_support` in Python floats (for the mixing players, in their order)."""

    def __init__(self, tables: np.ndarray):
        shape = list(tables.shape[1:])
        self.branch = SmallBranch(tables, shape) if len(shape) > 1 else None
        self.single = tables[0].tolist() if self.branch is None else []
        self.starts = list(itertools.accumulate(shape, initial=0))[:-1]
        self.size = sum(shape) + len(shape)
        self.shape = shape

    def payoffs(self, q: list[list[float]], derivatives: bool = True) -> tuple[list[list[float]], Any]:
        """``u[a][k]`` of the ``a``-th mixing player's used strategies, and the derivatives ``d[a][b][k][m]``."""
        if self.branch is None:
            return [self.single], None  # a single mixing player: the others are pure, nothing depends on q
        return self.branch.payoffs(q, derivatives)

    def system(self, q: list[list[float]], v: list[float]) -> tuple[list[float], list[list[float]]]:
        """The residuals ``F`` (for each mixing player: ``u_k - v`` per used strategy, then ``sum q - 1``) and
        their Jacobian in the unknowns (every mixing player's probabilities, then the ``v``s)."""
        u, d = self.payoffs(q)
        F: list[float] = []
        J: list[list[float]] = []
        size, starts, shape = self.size, self.starts, self.shape
        for a, (qa, ua) in enumerate(zip(q, u)):
            v_column = size - len(v) + a
            for k, value in enumerate(ua):
                row = [0.0] * size
                for b, start in enumerate(starts):
                    if b != a:
                        row[start : start + shape[b]] = d[a][b][k]
                row[v_column] = -1.0
                J.append(row)
                F.append(value - v[a])
            row = [0.0] * size
            row[starts[a] : starts[a] + shape[a]] = [1.0] * shape[a]
            J.append(row)
            F.append(sum(qa) - 1.0)
        return F, J


#: How far outside [0, 1] a probability of a solution may lie for :func:`_no_solution_near` to look at it.
_BOX_MARGIN = 1e-3


def _no_solution_near(tables: np.ndarray) -> bool:
    """Whether the indifference system of three players mixing two strategies each (``tables``: their payoffs,
    shape (3, 2, 2, 2)) provably has no solution with every probability in [0, 1] (within :data:`_BOX_MARGIN`):
    then Newton's method can only fail or find one that polishing drops (a negative probability), so it is not run.

    In closed form: with ``x_i`` player ``i``'s probability of its first strategy, ``i``'s payoff difference between
    its two strategies is bilinear in the others', ``a + b x + c y + d x y``. Player 0's indifference gives ``x_1``,
    player 1's gives ``x_0``, as ratios of linear functions of ``r = x_2``; player 2's then is a quadratic in
    ``r`` (multiplied by both denominators, so its roots include every solution). False (not proved) when the
    system is degenerate (the quadratic vanishes, or a denominator with its numerator) or a root lies in the box.
    Measured on seeded 2x2x2 games: 30 of 38 Newton runs on the full support failed or went negative, and this
    proves 49 to 69 of 74 to 108 such runs hopeless (never one that succeeded, checked on 1,300 calls).
    """
    (a0, b0, c0, d0), (a1, b1, c1, d1), (a2, b2, c2, d2) = _bilinear_differences(tables)
    # x_0 = n0 / m0 (player 1's indifference), x_1 = n1 / m1 (player 0's); linear in r as (constant, slope)
    n0, m0, n1, m1 = (-a1, -c1), (b1, d1), (-a0, -c0), (b0, d0)
    terms = [(a2, _times(m0, m1)), (b2, _times(n0, m1)), (c2, _times(n1, m0)), (d2, _times(n0, n1))]
    roots = _real_roots(*(sum(w * t[j] for w, t in terms) for j in range(3)))
    if roots is None:
        return False
    low, high = -_BOX_MARGIN, 1 + _BOX_MARGIN
    for r in roots:
        if low <= r <= high:
            denominators = [m[0] + m[1] * r for m in (m0, m1)]
            if min(map(abs, denominators)) < 1e-9:
                return False
            x = [(n[0] + n[1] * r) / den for n, den in zip((n0, n1), denominators)]
            if all(low <= v <= high for v in x):
                return False
    return not any(_free_in_box(n, m, low, high) for n, m in ((n0, m0), (n1, m1)))


def _bilinear_differences(tables: np.ndarray) -> list[tuple[float, float, float, float]]:
    """For each of three two-strategy players, ``(a, b, c, d)`` with its payoff difference (first strategy minus
    second) ``a + b x + c y + d x y``, ``x`` and ``y`` the others' probabilities of their first strategies."""
    out = []
    for i in range(3):
        gap = np.moveaxis(tables[i], i, 0)
        d = (gap[0] - gap[1]).tolist()  # d[a][b]: the difference when the two others (in player order) play a and b
        out.append((d[1][1], d[0][1] - d[1][1], d[1][0] - d[1][1], d[0][0] - d[0][1] - d[1][0] + d[1][1]))
    return out


def _times(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float, float]:
    """The product of two linear polynomials given as (constant, slope): (constant, linear, quadratic)."""
    return p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1]


def _real_roots(k0: float, k1: float, k2: float) -> list[float] | None:
    """The real roots of ``k0 + k1 r + k2 r^2`` (a nearly double root counted as real); None when it vanishes.

    The root of smaller size is ``k0 / q`` (``q`` the larger one times ``k2``): ``(-k1 +- sqrt(D)) / (2 k2)`` cancels
    for it when ``|k2|`` is small (with ``k2`` 3e-12 of ``k1``, 3.5e-6 off a root near 1/2; ``k0 / q``: 1e-16).
    """
    size = max(abs(k0), abs(k1), abs(k2))
    if size < 1e-12:
        return None
    if abs(k2) < 1e-12 * size:
        return [-k0 / k1] if abs(k1) >= 1e-12 * size else []
    disc = k1 * k1 - 4 * k2 * k0
    if disc < -1e-9 * (k1 * k1 + abs(4 * k2 * k0)):
        return []
    q = -(k1 + math.copysign(math.sqrt(max(disc, 0.0)), k1)) / 2
    return [q / k2, k0 / q] if q else [0.0]


def _free_in_box(n: tuple[float, float], m: tuple[float, float], low: float, high: float) -> bool:
    """Whether ``n / m`` (linear in ``r``) is undetermined, ``m`` vanishing with ``n``, for some ``r`` in the box
    (a line of solutions) or ``m`` vanishes everywhere."""
    if abs(m[1]) <= 1e-12:
        return abs(m[0]) < 1e-12
    r = -m[0] / m[1]
    return low <= r <= high and abs(n[0] + n[1] * r) < 1e-9


def _newton_step(J: np.ndarray, F: np.ndarray, residual: float) -> np.ndarray:
    """``-J^-1 F`` by LU (``numpy.linalg.solve``), unless that step is over 1000 times the ``residual`` (``max |F|``):
    then ``J`` may be (nearly) singular, as in degenerate games, and least squares (``lstsq``, which drops the
    negligible singular values) gives the step, as it always did. Measured: lstsq's SVD costs 2.5 times a solve
    (Newton on supports took 6% less time on 2x2x2 games, with the same results on 1,320 seeded games)."""
    try:
        step = np.linalg.solve(J, -F)
        if float(np.abs(step).max()) <= 1e3 * residual:
            return step
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(J, -F, rcond=None)[0]


def _integer_row(values: Sequence[Any]) -> list[int]:
    """An exact row of ints and Fractions scaled to integers (the same equation, cleared of denominators)."""
    return common_denominator([v if isinstance(v, (int, Fraction)) else Fraction(v) for v in values])[0]


class _Inconsistent(Exception):
    """An exact linear system (of :func:`_solve_exact`) has no solution at all."""


def _solve_exact(rows: list[list[Any]], rhs: list[Any]) -> list[Fraction] | None:
    """The unique solution of a (possibly over-determined) exact linear system, or None.

    None when a variable is free (no unique solution; the system may or may not
    be consistent); :class:`_Inconsistent` is raised when the columns are
    independent but the extra rows contradict the solution (no solution at all).

    Gauss-Jordan elimination in integers (each row cleared of denominators, rows
    combined by cross-multiplication and divided by their gcd): Python ints are
    many times faster than Fractions; only the solution becomes Fractions.
    """
    m, n = len(rows), len(rows[0])
    a = [_integer_row([*r, b]) for r, b in zip(rows, rhs)]
    for c in range(n):
        pivot = next((i for i in range(c, m) if a[i][c] != 0), None)
        if pivot is None:
            return None  # a free variable: no unique solution
        a[c], a[pivot] = a[pivot], a[c]
        top = a[c]
        p = top[c]
        for i in range(m):
            f = a[i][c]
            if i != c and f != 0:
                row = [vi * p - f * vr for vi, vr in zip(a[i], top)]
                g = math.gcd(*row)
                a[i] = [v // g for v in row] if g > 1 else row
    if any(a[i][n] != 0 for i in range(n, m)):
        raise _Inconsistent
    return [Fraction(a[i][n], a[i][i]) for i in range(n)]


def _exact_on_support(
    game: NormalFormGame, support: Sequence[Sequence[int]], negative: bool = False
) -> MixedProfile | None:
    """Exact equilibrium candidate with the given support when at most two players mix.

    With the pure players fixed, each mixing player's indifference conditions
    are linear in the *other* mixing player's probabilities (the bimatrix
    case), so exact Gaussian elimination (:func:`_solve_exact`) solves them. None
    when the system has no unique solution, or (unless ``negative``) when a
    probability comes out negative; :class:`_Inconsistent` when it has none at all
    (so no equilibrium makes the support's strategies best responses, which is
    what Newton's method on the same system would look for).
    """
    n = game.num_players
    mixing = [i for i in range(n) if len(support[i]) > 1]
    if len(mixing) not in (0, 2):
        return None
    profile = [[Fraction(0)] * m for m in game.shape]
    for i in range(n):
        if len(support[i]) == 1:
            profile[i][support[i][0]] = Fraction(1)
    undecided = False
    if mixing:
        base = [support[i][0] if len(support[i]) == 1 else 0 for i in range(n)]
        for me, other in (mixing, mixing[::-1]):  # both systems: either may be the inconsistent one
            rows, rhs = [], []
            for k in support[me]:
                row = []
                for m in support[other]:
                    idx = list(base)
                    idx[me], idx[other] = k, m
                    row.append(game.payoffs[(me, *idx)])
                rows.append(row + [-1])
                rhs.append(0)
            rows.append([1] * len(support[other]) + [0])
            rhs.append(1)
            solution = _solve_exact(rows, rhs)
            if solution is None:
                undecided = True
                continue
            for m, value in zip(support[other], solution):
                if value < 0 and not negative:
                    return None
                profile[other][m] = value
    return None if undecided else tuple(tuple(p) for p in profile)


def _rationalise(probs: Sequence[np.ndarray], bound: int) -> MixedProfile:
    """Nearest fractions with denominators up to ``bound`` to a float profile, renormalised to sum exactly to one."""
    out = []
    for p in probs:
        q = [Fraction(float(v)).limit_denominator(bound) if v > 0 else Fraction(0) for v in p]
        k = max(range(len(q)), key=lambda a: q[a])
        q[k] += 1 - sum(q)
        out.append(tuple(q))
    return tuple(out)


@dataclass
class _Polished:
    profile: MixedProfile
    exact: bool
    support: tuple[tuple[int, ...], ...]
    distance: float  # from the traced QRE (largest probability difference)
    regular: bool  # isolated and quasi-strict: the branch cannot pass it by and end elsewhere nearby


def _polish(
    game: NormalFormGame,
    payoffs: _Payoffs,
    point: _Point,
    tolerance: float,
    exact_cache: dict[tuple[tuple[int, ...], ...], Any] | None = None,
    supports: Sequence[tuple[tuple[int, ...], ...]] | None = None,
) -> _Polished | None:
    """Turn a traced QRE near the end of the branch into a certified equilibrium, or None.

    The supports tried are ``supports``, or by default those the QRE suggests
    (:func:`_candidate_supports`).

    Also says whether the equilibrium is *regular* in the sense used here:
    every used strategy has positive probability, every unused one earns
    strictly less (quasi-strict), and the indifference system is nonsingular.
    A regular equilibrium is isolated, and a branch converging near it
    converges to it; a non-regular one may be a point of a continuum.

    On an exact game each support is first solved exactly (:func:`_exact_support_solution`;
    ``exact_cache`` keeps the answer per support, since successive polishes of
    one branch mostly see the same support), and Newton in floats is the
    fallback when that finds no certified equilibrium.
    """
    tol = tolerance * payoff_scale(game)
    traced = [np.asarray(p, dtype=float) for p in point.probs]
    cache = {} if exact_cache is None else exact_cache
    for support in _candidate_supports(traced) if supports is None else supports:
        if game.exact:
            if support not in cache:
                cache[support] = _exact_support_solution(game, support, tol)
            known = cache[support]
            if known is _NO_EQUILIBRIUM:
                continue
            if known is not None:
                profile, exact, nonsingular = known
                p = [np.array([float(v) for v in q]) for q in profile]
                distance = max(float(np.abs(q - r).max()) for q, r in zip(p, traced))
                return _Polished(profile, exact, support, distance, _is_regular(payoffs, p, support, nonsingular))
        solved = _newton_on_support(payoffs, traced, support)
        if solved is None:
            continue
        p, nonsingular = solved
        if min(float(q.min()) for q in p) < -1e-12:
            continue
        p = [np.clip(q, 0.0, None) for q in p]
        p = [q / q.sum() for q in p]
        distance = max(float(np.abs(q - r).max()) for q, r in zip(p, traced))
        floats = tuple(tuple(float(v) for v in q) for q in p)
        if not certify(game, floats, tol).ok:
            continue
        return _Polished(floats, False, support, distance, _is_regular(payoffs, p, support, nonsingular))
    return None


def _is_regular(payoffs: _Payoffs, p: list[np.ndarray], support: Sequence[Sequence[int]], nonsingular: bool) -> bool:
    """Whether the equilibrium ``p`` on ``support`` is regular: nonsingular, used strategies clearly positive,
    unused ones strictly worse (margins 1e-9 in rescaled payoffs)."""
    if not nonsingular:
        return False
    u, _ = payoffs.evaluate(p, False)
    for i, S in enumerate(support):
        unused = [k for k in range(len(p[i])) if k not in S]
        if min(p[i][list(S)]) < 1e-9 or (unused and u[i][unused].max() > u[i][list(S)].max() - 1e-9):
            return False
    return True


#: What :func:`_exact_support_solution` says of a support whose unique solution is no equilibrium.
_NO_EQUILIBRIUM: Any = ()


def _exact_support_solution(
    game: NormalFormGame, support: tuple[tuple[int, ...], ...], tol: float
) -> tuple[MixedProfile, bool, bool] | None:
    """The equilibrium on ``support`` of an exact game, solved exactly, when at most two players mix.

    Returns ``(profile, exact, nonsingular)``: the exact profile when it has
    exactly zero regret, else its floats when they certify within ``tol``
    (what Newton in floats would find, since the system is linear and its
    solution unique); :data:`_NO_EQUILIBRIUM` when the system has no solution
    (measured: on 5x5 games Newton spent ~10% of the time failing on such
    supports), or when its unique solution has a
    negative probability or a regret above ``tol``; None when this cannot
    decide (more than two players mix, or no unique solution: a degenerate
    game, left to Newton in floats). ``nonsingular``: both mixing players use
    equally many strategies (the exact solve failed if a square system were singular).
    """
    mixing = [i for i in range(game.num_players) if len(support[i]) > 1]
    if len(mixing) == 1:
        return _one_mixing(game, support, mixing[0])
    try:
        solution = _exact_on_support(game, support, negative=True)
    except _Inconsistent:
        return _NO_EQUILIBRIUM
    if solution is None:
        return None
    if min(min(p) for p in solution) < 0:
        return _NO_EQUILIBRIUM
    nonsingular = len({len(S) for S in support if len(S) > 1}) <= 1
    if _exactly_certified(game, solution):
        return solution, True, nonsingular
    floats = tuple(tuple(float(v) for v in p) for p in solution)
    if certify(game, floats, tol).ok:
        return floats, False, nonsingular
    return _NO_EQUILIBRIUM


def _exactly_certified(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Whether :func:`gametheory.certify.certify` finds exactly zero regret for an exact profile of an exact game,
    through :func:`gametheory.certify.certify_all` (the same verdict from sums of integers instead of Fractions;
    measured on the bench's games: 0.6 of the time on 2x2 and 2x2x2 answers, 0.3 to 0.6 on 5x5 and 3x3x3)."""
    return certify_all(game, [profile])[0].ok


def _one_mixing(game: NormalFormGame, support: tuple[tuple[int, ...], ...], i: int) -> Any:
    """A support on which only player ``i`` mixes: no equilibrium unless ``i``'s used strategies earn exactly the
    same against the others' pure strategies (then a continuum may exist, and None leaves it to Newton)."""
    base = [S[0] for S in support]
    earned = set()
    for k in support[i]:
        base[i] = k
        earned.add(game.payoffs[(i, *base)])
    return None if len(earned) == 1 else _NO_EQUILIBRIUM


def _make_exact(game: NormalFormGame, found: _Polished) -> _Polished:
    """The exact version of a polished float equilibrium of an exact game, when one certifies.

    First the exact solution of the support system (at most two players mix);
    failing that, the nearest simplest fractions (denominators up to 10, then
    100, ... up to a million, each time renormalised and within
    :data:`_ROUNDING_DISTANCE`: on a continuum of equilibria, rounding at one
    fixed bound certified or not by chance, e.g. when the renormalised entry's
    denominator grew past the bound). Both are kept only if
    :func:`gametheory.certify.certify` finds exactly zero regret.
    """
    if not game.exact or found.exact:
        return found
    try:
        exact = _exact_on_support(game, found.support)
    except _Inconsistent:
        exact = None
    if exact is not None and _exactly_certified(game, exact):
        return _Polished(exact, True, found.support, found.distance, found.regular)
    floats = [np.asarray(p, dtype=float) for p in found.profile]
    for bound in _DENOMINATORS:
        rounded = _rationalise(floats, bound)
        simple = all(x.denominator <= bound for p in rounded for x in p)
        if simple and _profile_distance(rounded, floats) <= _ROUNDING_DISTANCE and _exactly_certified(game, rounded):
            return _Polished(rounded, True, found.support, found.distance, found.regular)
    return found


# ------------------------------------------------------------------- public API
def _check(game: NormalFormGame, first_step: float, max_accel: float) -> None:
    if not isinstance(game, NormalFormGame):
        raise InputError("logit tracing needs a NormalFormGame")
    if not first_step > 0:
        raise InputError(f"first_step must be positive, got {first_step!r}")
    if not max_accel > 1:
        raise InputError(f"max_accel must be greater than 1, got {max_accel!r}")


def _branch(payoffs: _Payoffs) -> Any:
    """The logit equations of the game: in plain Python floats for small games (numpy's per-call cost
    dominates there), else in numpy."""
    if fits(payoffs.shape):
        return SmallBranch(payoffs.values, payoffs.shape)
    return _Branch(payoffs)


def _lambda_limit(payoffs: _Payoffs, max_lambda: float | None) -> float:
    """``max_lambda`` (payoff units) in rescaled units; default 1e9 over the payoff range."""
    if max_lambda is None:
        return 1e9
    if not max_lambda > 0:
        raise InputError(f"max_lambda must be positive, got {max_lambda!r}")
    return max_lambda * payoffs.range if payoffs.range > 0 else max_lambda


def logit_path(
    game: NormalFormGame,
    *,
    max_lambda: float | None = None,
    max_regret: float = 1e-8,
    timeout: float | None = None,
    first_step: float = 1.0,
    max_accel: float = 1.5,
) -> LogitPath:
    """Trace the principal branch of the logit QRE correspondence from the centroid.

    Stops when the QRE's largest regret is at most ``max_regret`` times the
    payoff range (Gambit's criterion), when ``lambda`` passes ``max_lambda``
    (payoff units; default ``1e9`` divided by the payoff range), after
    ``timeout`` seconds, or when the step size collapses. The result holds
    every accepted point, for plots and teaching: the ``lambda`` values, each
    player's mixed strategy, and the regret.
    """
    _check(game, first_step, max_accel)
    start = time.perf_counter()
    payoffs = _Payoffs(game)
    branch = _branch(payoffs)
    limit = _lambda_limit(payoffs, max_lambda)
    deadline = None if timeout is None else start + timeout
    points: list[_Point] = []
    reason = ""
    for item in _trace(branch, first_step=first_step, max_accel=max_accel, deadline=deadline):
        if isinstance(item, str):
            reason = item
            break
        points.append(item)
        if item.regret <= max_regret:
            reason = "regret below max_regret"
            break
        if item.x[-1] >= limit:
            reason = "max_lambda reached"
            break
    unit = payoffs.range if payoffs.range > 0 else 1.0
    lambdas = np.array([pt.x[-1] / unit for pt in points])
    probabilities = tuple(np.array([pt.probs[i] for pt in points]) for i in range(game.num_players))
    regrets = np.array([pt.regret * unit for pt in points])
    return LogitPath(
        lambdas, probabilities, regrets, reason, len(points) - 1, time.perf_counter() - start, points[-1].bifurcations
    )


def _same(a: _Polished, b: _Polished) -> bool:
    return a.support == b.support and _profile_distance(a.profile, b.profile) <= 1e-9


def logit_solve(
    game: NormalFormGame,
    *,
    timeout: float | None = None,
    max_lambda: float | None = None,
    tolerance: float = 1e-10,
    first_step: float = 1.0,
    max_accel: float = 1.5,
) -> Enumeration:
    """The Nash equilibrium selected by logit tracing: the limit of the principal QRE branch.

    Follows the branch (see the module docstring) and, each time the regret
    has fallen tenfold (from 1% of the payoff range down), polishes the
    current point into an equilibrium on its apparent support. A polished
    equilibrium is accepted once two successive polishes agree and the
    branch has come closer to it (so an equilibrium the branch merely passes
    by is not taken for its limit), once a contraction bound proves that the
    branch ends at a strict pure equilibrium (:class:`_StrictLimit`), or once the branch's own regret is below
    ``1e-8`` of the payoff range (limits inside a continuum of equilibria,
    where the polished point depends on where one starts). The answer is
    exact (Fractions) when the game is exact and the support system could be
    solved exactly; otherwise floats with regret at most ``tolerance`` times
    the payoff scale of :func:`gametheory.certify.scale`.

    ``complete`` is always False: this finds one equilibrium, not all. If
    tracing stops early (``timeout`` seconds, ``max_lambda`` in payoff units,
    default 1e9 over the payoff range, or a collapsed step size) the last
    polished equilibrium is returned with a note that it is unconfirmed, or,
    if there is none, no profile, with the last QRE reached in ``stats``
    (``approximate``, ``last_lambda``, ``path_regret``, see
    :class:`~gametheory.solution.LogitStats`); ``stats.converged`` says
    whether the limit was confirmed.
    """
    _check(game, first_step, max_accel)
    if not tolerance > 0:
        raise InputError(f"tolerance must be positive, got {tolerance!r}")
    start = time.perf_counter()
    payoffs = _Payoffs(game)
    branch = _branch(payoffs)
    limit = _lambda_limit(payoffs, max_lambda)
    deadline = None if timeout is None else start + timeout
    follow = functools.partial(_follow_branch, game, payoffs, branch, limit, deadline, tolerance, first_step, max_accel)
    tracing = follow(_SOLVE_TOLERANCE)
    if tracing.found is None and tracing.reason == _STEP_TOO_SMALL:
        tracing = _counting_both(tracing, follow(_CORRECTOR_TOLERANCE))
    unit = payoffs.range if payoffs.range > 0 else 1.0
    last = tracing.last
    stats = LogitStats(
        converged=tracing.found is not None,
        last_lambda=float(last.x[-1]) / unit if last is not None else 0.0,
        steps=max(tracing.steps - 1, 0),
        path_regret=last.regret * unit if last is not None else math.inf,
        polish_attempts=tracing.attempts,
        elapsed=time.perf_counter() - start,
        bifurcations=last.bifurcations if last is not None else 0,
    )
    notes = _tracing_notes(tracing, stats)
    found = tracing.found if tracing.found is not None else tracing.previous
    if found is None:
        approximate = tuple(tuple(float(v) for v in p) for p in last.probs) if last else None
        return Enumeration((), (), False, "logit", game.exact, notes, stats=replace(stats, approximate=approximate))
    found = _make_exact(game, found)
    stats = replace(stats, support=found.support, distance=found.distance)
    return Enumeration((found.profile,), (0,), False, "logit", found.exact, notes, stats=stats)


@dataclass
class _Tracing:
    """Where the tracing loop of :func:`logit_solve` stopped, and what it had found."""

    found: _Polished | None = None  # the limit, confirmed
    previous: _Polished | None = None  # the last polished equilibrium, not (yet) confirmed
    last: _Point | None = None  # the last QRE reached
    reason: str = ""  # why tracing stopped
    steps: int = 0  # points traced, the start included
    attempts: int = 0  # polishes tried


def _follow_branch(
    game: NormalFormGame,
    payoffs: _Payoffs,
    branch: Any,
    limit: float,
    deadline: float | None,
    tolerance: float,
    first_step: float,
    max_accel: float,
    corrector: float,
) -> _Tracing:
    """Trace the branch, polishing whenever the regret has fallen tenfold, until a limit is accepted or tracing ends;
    each point is corrected until a Newton correction is below ``corrector``."""
    out = _Tracing()
    threshold = _FIRST_POLISH
    exact_cache: dict[tuple[tuple[int, ...], ...], Any] = {}
    strict_limit = _StrictLimit(payoffs.values)
    tracer = _trace(branch, first_step=first_step, max_accel=max_accel, deadline=deadline, tolerance=corrector)
    for item in tracer:
        if isinstance(item, str):
            out.reason = item
            break
        out.last = item
        out.steps += 1
        final = item.regret <= _FINAL_REGRET or item.x[-1] >= limit
        strict = strict_limit(item) if item.regret <= _FIRST_POLISH else None
        if strict is not None:
            out.attempts += 1
            polished = _polish(game, payoffs, item, tolerance, exact_cache, [strict])
            if polished is not None and polished.regular:
                out.found, out.reason = polished, "converged"
                break
        if item.regret <= threshold or final:
            out.attempts += 1
            threshold = item.regret / 10.0
            polished = _polish(game, payoffs, item, tolerance, exact_cache)
            if polished is not None:
                if item.regret == 0 or final or _confirms(out.previous, polished):
                    out.found, out.reason = polished, "converged"
                    break
                out.previous = polished
        if item.x[-1] >= limit:
            out.reason = "max_lambda reached"
            break
    tracer.close()
    return out


def _counting_both(first: _Tracing, again: _Tracing) -> _Tracing:
    """``again``, a trace with :func:`logit_path`'s tighter corrector after ``first`` (with :data:`_SOLVE_TOLERANCE`)
    lost the branch, with the steps and polishes of both counted. On one of 30 seeded 2x2x2x2x2 games of
    ``bench/bench_logit.py`` the looser corrector's steps shrank below their minimum at lambda 0.26, while the
    tighter one reached the limit; a trace stopped by ``max_lambda`` or the time limit is not repeated."""
    again.steps += first.steps
    again.attempts += first.attempts
    return again


class _StrictLimit:
    """Proves, from a point of the branch, that its limit is a strict pure equilibrium: then no second polish
    is needed to confirm it, and the proof comes earlier on the branch (measured on the seeded games of
    ``bench/bench_logit.py``, same results: 2x2 111 -> 85 steps in all, 0.80-0.83 of the time, 2x2x2 172 -> 156,
    0.88-0.92; on 1,320 seeded games from 2x2 to 2x2x2x2, payoffs in [0, 3), [0, 10) and [0, 1000), the same
    equilibria as with confirmation only).

    Let ``s`` be every player's most likely strategy at the QRE ``p`` (rationality
    ``lambda``, payoffs rescaled to [0, 1]), ``g_ik > 0`` the margin by which ``s_i``
    beats ``k`` against ``s_-i``, and ``B`` the profiles that put at most ``eps``
    off ``s`` for every player (``eps`` twice the largest such mass of ``p``, so
    ``p`` is in ``B`` with room for the corrector's error). In ``B`` the others
    play ``s_-i`` with probability at least ``1 - (n - 1) eps``, so ``s_i`` beats
    ``k`` by ``gamma_ik = g_ik - (n - 1) eps (1 + g_ik)`` at least, and for every
    ``lambda' >= lambda`` player ``i``'s logit response puts at most
    ``tail_i = sum_k exp(-lambda' gamma_ik)`` off ``s_i`` and moves (per-player
    l1 norms) by at most ``2 (n - 1) lambda' tail_i`` times the others' move (the
    softmax moves by at most ``2 lambda' tail_i`` times the largest move of a payoff
    difference ``u_ik - u_is``, whose entries lie in [-1, 1], so that it moves by at
    most the sum of the others' moves). Both bounds decrease in ``lambda'`` once
    every ``lambda' gamma_ik >= 1``. If then ``tail_i <= eps`` and the second
    bound is below 1/2 at ``lambda``, the logit response maps ``B`` into itself as
    a contraction for every ``lambda' >= lambda``: its unique fixed point is the
    only QRE in ``B``, and these points form a smooth curve (implicit function
    theorem: the Jacobian of ``H`` in ``y`` is regular on it) through ``p`` that
    tends to ``s``. From ``p`` on, the branch is that curve: ``s`` is its limit (the
    branch, a curve from ``lambda = 0``, cannot come into it from its unbounded end).

    Assumed, not proved: that the branch passes through ``B`` at ``lambda``. ``p``
    is a traced point, and a last Newton correction below the corrector's tolerance
    makes its distance to the branch small (the factor 2 in ``eps`` is the room for
    it) but does not bound it rigorously. The answer is certified either way; only
    which equilibrium is the branch's limit rests on this.
    """

    def __init__(self, values: np.ndarray):
        self.values = values
        self.n = values.shape[0]
        self._margins: dict[tuple[int, ...], list[list[float]] | None] = {}

    def margins(self, top: tuple[int, ...]) -> list[list[float]] | None:
        """``g_ik`` for each player ``i`` and strategy ``k != top[i]``; None if ``top`` is no strict equilibrium."""
        if top not in self._margins:
            self._margins[top] = self._strict_margins(top)
        return self._margins[top]

    def _strict_margins(self, top: tuple[int, ...]) -> list[list[float]] | None:
        out = []
        for i, s in enumerate(top):
            payoff = self.values[i][top[:i] + (slice(None),) + top[i + 1 :]].tolist()  # i's strategies against top
            gaps = [payoff[s] - v for k, v in enumerate(payoff) if k != s]
            if min(gaps, default=1.0) <= 0:
                return None
            out.append(gaps)
        return out

    def __call__(self, point: _Point) -> tuple[tuple[int, ...], ...] | None:
        """The support of the limit ``s`` when the conditions above hold at ``point``, else None."""
        lam = float(point.x[-1])
        probs = [[float(v) for v in p] for p in point.probs]
        top = tuple(max(range(len(p)), key=p.__getitem__) for p in probs)
        eps = 2.0 * max(sum(p) - p[s] for p, s in zip(probs, top))
        spread = (self.n - 1) * eps
        margins = self.margins(top)
        if margins is None or spread * lam >= 0.5:  # at a QRE the second bound is at least 2 (n - 1) lambda (eps / 2)
            return None
        for gaps in margins:
            gammas = [g - spread * (1.0 + g) for g in gaps]
            if gammas and not lam * min(gammas) >= 1.0:
                return None
            tail = sum(math.exp(-lam * g) for g in gammas)
            if tail > eps or 2 * (self.n - 1) * lam * tail >= 0.5:
                return None
        return tuple((s,) for s in top)


def _confirms(previous: _Polished | None, polished: _Polished) -> bool:
    """Whether ``polished`` confirms the previous polish: the same regular equilibrium, and the branch came closer."""
    return (
        polished.regular
        and previous is not None
        and _same(previous, polished)
        and polished.distance <= previous.distance
    )


def _tracing_notes(tracing: _Tracing, stats: LogitStats) -> tuple[str, ...]:
    """What the reader must know about the one equilibrium reported (or its absence)."""
    notes = ["logit tracing finds one equilibrium (the limit of the principal QRE branch); others may exist"]
    if stats.bifurcations:
        notes.append(
            "the branch crossed a bifurcation (a non-generic game, e.g. a symmetric one); it was continued "
            "straight on, and other continuations may end at other equilibria"
        )
    if tracing.found is None and tracing.previous is not None:
        notes.append(
            f"logit tracing stopped early ({tracing.reason}); the equilibrium reported is the one the branch was "
            f"approaching (lambda {stats.last_lambda:.4g}), not confirmed by a second polish"
        )
    elif tracing.found is None:
        notes.append(
            f"logit tracing stopped before reaching an equilibrium ({tracing.reason}); "
            f"last QRE at lambda {stats.last_lambda:.4g} has regret {stats.path_regret:.3g}"
        )
    return tuple(notes)


def _profile_distance(a: Sequence[Sequence[object]], b: Sequence[Sequence[object]]) -> float:
    return max(abs(float(x) - float(y)) for p, q in zip(a, b) for x, y in zip(p, q))


def logit_selection(
    game: NormalFormGame,
    equilibria: Sequence[Equilibrium],
    *,
    timeout: float | None = None,
    match_tolerance: float = 1e-6,
) -> int | None:
    """Index of the equilibrium in ``equilibria`` that the logit tracing procedure selects, or None.

    None when the branch could not be followed to its end (time limit, so
    the limit is unconfirmed), or when its limit matches none of the given profiles within
    ``match_tolerance`` (for instance a limit inside a component of
    equilibria that is not one of its listed extreme points).
    """
    if not equilibria:
        return None
    result = logit_solve(game, timeout=timeout)
    if not result.profiles or not (isinstance(result.stats, LogitStats) and result.stats.converged):
        return None
    limit = result.profiles[0]
    distances = [_profile_distance(limit, eq.profile) for eq in equilibria]
    best = min(range(len(distances)), key=distances.__getitem__)
    return best if distances[best] <= match_tolerance else None
