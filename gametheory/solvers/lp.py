"""Exact linear programming for small LPs: HiGHS in floating point, then an exact certificate.

:func:`solve_lp` is the LP engine shared by :mod:`.security`, :mod:`.dominance`,
:mod:`.correlated` and :mod:`.selection`. It solves in floating point with HiGHS
(``scipy.optimize.linprog(method="highs")``). When the data are exact
(Fractions) it then *recovers an exact optimum*: from the float solution it
reads which inequalities are tight and which variables are positive, solves
those equations in exact rational arithmetic for the primal vertex, does the
same for the dual multipliers, and accepts the pair only if it is an exact
optimality certificate (primal feasible, dual feasible, equal objectives:
weak duality then proves both optimal). If that fails (a badly conditioned
or degenerate case where the float active set is wrong) or HiGHS reports
infeasible/unbounded, an exact two-phase simplex decides (integer pivoting,
Dantzig pricing with Bland's rule against cycling; Chvatal 1983, ch. 2-3).
Results for exact data are therefore exact and proven, never
within-tolerance guesses. Tiny LPs (see :data:`TINY_LP`) skip HiGHS and go
to the exact simplex directly, float data read as the binary fractions they
are. Measured: the recovery succeeds on every LP of the
test-suite and benchmarks; the fallback simplex is 10-100x slower (1.5 s for
the 100-variable correlated-equilibrium LP of a 6x6 game).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._limits import check_deadline, time_left
from ..errors import SolverError
from ..game import Number, common_denominator

#: LPs with at most this many constraint entries go straight to the exact simplex: it solves
#: them in well under a millisecond, where importing scipy for HiGHS costs about 0.3 s.
TINY_LP = 200


@dataclass(frozen=True)
class LPSolution:
    """The outcome of ``min c.x  s.t.  A_ub x <= b_ub,  A_eq x = b_eq,  x_j >= 0 (j not free)``.

    ``status`` is ``"optimal"``, ``"infeasible"`` or ``"unbounded"`` (then the
    other fields are empty). ``duals_ub`` (one ``>= 0`` multiplier per
    inequality) and ``duals_eq`` (one free multiplier per equality) solve the
    dual ``max -b_ub.l + b_eq.m  s.t.  c + A_ub^T l - A_eq^T m >= 0`` (``= 0``
    on free variables). ``method`` says how the optimum was obtained:
    ``"highs"`` (floats), ``"highs+exact"`` (float solve, exact certificate
    recovered) or ``"exact simplex"``.
    """

    status: str
    x: tuple[Number, ...] = ()
    objective: Number | None = None
    duals_ub: tuple[Number, ...] = ()
    duals_eq: tuple[Number, ...] = ()
    exact: bool = False
    method: str = "highs"


def solve_lp(
    c: Sequence,
    A_ub: Sequence[Sequence] = (),
    b_ub: Sequence = (),
    A_eq: Sequence[Sequence] = (),
    b_eq: Sequence = (),
    *,
    free: Sequence[int] = (),
    exact: bool = False,
) -> LPSolution:
    """Solve a small LP with HiGHS; with ``exact=True`` return an exact, certified optimum.

    The data are sequences of numbers (Fractions or ints when ``exact``).
    Variables are ``>= 0`` except those listed in ``free``. For exact data the
    float optimum is turned into an exact certificate (:func:`_recover`, with
    a few thresholds for "zero"); failing that, HiGHS solves again without
    presolve and with tighter tolerances; failing that, the exact simplex decides.
    """
    n = len(c)
    free_set = frozenset(free)
    tiny = n * (len(A_ub) + len(A_eq)) <= TINY_LP
    if exact or tiny:  # float data of a tiny LP are read as the binary fractions they are
        c, b_ub, b_eq = _fractions(c), _fractions(b_ub), _fractions(b_eq)
        A_ub = [_fractions(row) for row in A_ub]
        A_eq = [_fractions(row) for row in A_eq]
    if tiny:
        return _tiny(c, A_ub, b_ub, A_eq, b_eq, free_set, exact)
    from scipy.optimize import linprog

    A_ub_f = np.asarray(A_ub, dtype=float).reshape(len(A_ub), n)
    b_ub_f = np.asarray(b_ub, dtype=float)
    data = {
        "c": np.asarray(c, dtype=float),
        "A_ub": A_ub_f if len(A_ub) else None,
        "b_ub": b_ub_f if len(A_ub) else None,
        "A_eq": np.asarray(A_eq, dtype=float).reshape(len(A_eq), n) if len(A_eq) else None,
        "b_eq": np.asarray(b_eq, dtype=float) if len(A_eq) else None,
        "bounds": [(None, None) if j in free_set else (0, None) for j in range(n)],
    }

    def highs(careful: bool):
        check_deadline()
        options: dict = {"presolve": False, "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
        if not careful:
            options = {}
        left = time_left()
        if left is not None:  # one HiGHS call is one C call: only its own time limit can stop it
            options["time_limit"] = max(left, 1e-3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = linprog(**data, method="highs-ds" if careful else "highs", options=options)
        if res.status == 1:  # iteration or time limit
            check_deadline()
        return res

    res = highs(careful=False)
    if not exact:
        if res.status == 2:
            return LPSolution("infeasible")
        if res.status == 3:
            return LPSolution("unbounded")
        if res.status != 0:
            raise SolverError(f"linear program failed: {res.message}")
        lam = tuple(-float(v) for v in res.ineqlin.marginals) if len(A_ub) else ()
        mu = tuple(float(v) for v in res.eqlin.marginals) if len(A_eq) else ()
        return LPSolution("optimal", tuple(float(v) for v in res.x), float(res.fun), lam, mu, False, "highs")
    size = max(1.0, float(np.abs(A_ub_f).max(initial=0.0)), float(np.abs(b_ub_f).max(initial=0.0)))
    for careful in (False, True):
        if careful:
            res = highs(careful=True)
        if res.status != 0:
            continue
        lam_f = [-float(v) for v in res.ineqlin.marginals] if len(A_ub) else []
        slack_f = [float(v) for v in res.ineqlin.residual] if len(A_ub) else []
        reduced_f = [float(v) for v in res.lower.marginals]
        for tol in (1e-9, 1e-11, 1e-7, 1e-5):
            found = _recover(c, A_ub, b_ub, A_eq, b_eq, free_set, list(res.x), slack_f, lam_f, reduced_f, tol, size)
            if found is not None:
                return found
    return _simplex(c, A_ub, b_ub, A_eq, b_eq, free_set)


def _tiny(c, A_ub, b_ub, A_eq, b_eq, free: frozenset, exact: bool) -> LPSolution:
    """A tiny LP (data already Fractions) by the exact simplex; floats out unless ``exact``."""
    solution = _simplex(c, A_ub, b_ub, A_eq, b_eq, free)
    if exact or solution.status != "optimal":
        return solution
    return LPSolution(
        "optimal",
        tuple(float(v) for v in solution.x),
        float(solution.objective),
        tuple(float(v) for v in solution.duals_ub),
        tuple(float(v) for v in solution.duals_eq),
        False,
        "exact simplex",
    )


def _fractions(values: Sequence) -> list[Fraction]:
    return [v if type(v) is Fraction else Fraction(v) for v in values]


def _dot(row: Sequence[Fraction], x: Sequence[Fraction], support: Sequence[int]) -> Fraction:
    return sum((row[j] * x[j] for j in support), Fraction(0))


def _integer_vector(values: Sequence[Fraction]) -> list[int]:
    """The vector scaled by a positive number to coprime integers (zero stays zero)."""
    ints, _ = common_denominator(values)
    g = math.gcd(*ints)
    return [v // g for v in ints] if g > 1 else ints


def is_lp_certificate(c, A_ub, b_ub, A_eq, b_eq, free, x, lam, mu) -> bool:
    """True iff ``x`` and the multipliers ``(lam, mu)`` prove each other optimal, exactly.

    Checks primal feasibility, dual feasibility and equal objective values;
    by weak duality that is a complete proof of optimality. Row checks run in
    integers (each row scaled to integers, ``x`` over a common denominator).
    """
    n = len(c)
    if any(x[j] < 0 for j in range(n) if j not in free) or any(v < 0 for v in lam):
        return False
    support = [j for j in range(n) if x[j] != 0]
    den = _integer_scale([x[j] for j in support])
    X = {j: x[j].numerator * (den // x[j].denominator) for j in support}

    def lhs_rhs(row: Sequence[Fraction], b: Fraction) -> tuple[int, int]:
        ints = _integer_vector([row[j] for j in support] + [b])
        return sum(a * X[j] for a, j in zip(ints, support) if a), ints[-1] * den

    for row, b in zip(A_ub, b_ub):
        lhs, rhs = lhs_rhs(row, b)
        if lhs > rhs:
            return False
    for row, b in zip(A_eq, b_eq):
        lhs, rhs = lhs_rhs(row, b)
        if lhs != rhs:
            return False
    lam_support = [i for i in range(len(lam)) if lam[i]]
    mu_support = [e for e in range(len(mu)) if mu[e]]
    for j in range(n):
        r = c[j] + sum((A_ub[i][j] * lam[i] for i in lam_support if A_ub[i][j]), Fraction(0))
        r -= sum((A_eq[e][j] * mu[e] for e in mu_support if A_eq[e][j]), Fraction(0))
        if r < 0 or (j in free and r != 0):
            return False
    primal = _dot(c, x, support)
    dual = sum((b_eq[e] * mu[e] for e in mu_support), Fraction(0))
    dual -= sum((b_ub[i] * lam[i] for i in lam_support), Fraction(0))
    return primal == dual


def solve_linear(
    rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction], n: int, *, greedy: bool = False
) -> list[Fraction] | None:
    """One exact solution of ``rows . x = rhs`` (unknowns without a pivot set to 0), or None if inconsistent.

    Gaussian elimination, fraction-free: each equation is scaled to integers and
    reduced against the pivot rows found so far (dividing out the content to
    keep numbers small); a nonzero remainder becomes a new pivot row, a zero
    one with a nonzero right-hand side proves inconsistency. Back substitution
    in rationals at the end.

    ``greedy=True`` instead skips equations that contradict earlier ones and
    stops once ``n`` independent equations are found: the solution of a
    maximal independent prefix of the list (callers put the most trusted
    equations first and verify the result).
    """
    pivots: list[tuple[int, list[int]]] = []
    for row, b in zip(rows, rhs):
        if greedy and len(pivots) == n:
            break
        v = _integer_vector(list(row) + [b])
        for col, prow in pivots:
            a = v[col]
            if a:
                p = prow[col]
                v = [s * p - a * t for s, t in zip(v, prow)]
                g = math.gcd(*v)
                if g > 1:
                    v = [s // g for s in v]
        lead = next((j for j in range(n) if v[j]), None)
        if lead is None:
            if v[n] and not greedy:
                return None
            continue
        pivots.append((lead, v))
    x = [Fraction(0)] * n
    for col, prow in reversed(pivots):  # row k is zero on the pivot columns of rows before it
        rest = sum((prow[j] * x[j] for j in range(n) if j != col and prow[j] and x[j]), Fraction(0))
        x[col] = (prow[n] - rest) / prow[col]
    return x


def _recover(c, A_ub, b_ub, A_eq, b_eq, free, x_f, slack_f, lam_f, reduced_f, tol, size) -> LPSolution | None:
    """Exact optimum from a float one: solve the float solution's tight equations exactly, then certify.

    Primal: the variables HiGHS left positive, fixed by the equalities and the
    inequalities it left tight. Dual: the multipliers HiGHS left positive (plus
    the equalities'), fixed by a zero reduced cost on every column whose float
    reduced cost is zero (which includes HiGHS's basic columns, so at a
    simplex vertex both systems determine the exact basic solution).
    """
    n = len(c)
    support = [j for j in range(n) if j in free or x_f[j] > tol]
    # Tight rows, most trustworthy first: a positive multiplier forces a row tight.
    tight = sorted((i for i in range(len(A_ub)) if slack_f[i] <= tol * size), key=lambda i: (-lam_f[i], slack_f[i]))
    rows = [[A_eq[e][j] for j in support] for e in range(len(A_eq))]
    rows += [[A_ub[i][j] for j in support] for i in tight]
    rhs = list(b_eq) + [b_ub[i] for i in tight]
    xs = solve_linear(rows, rhs, len(support), greedy=True)
    x = [Fraction(0)] * n
    for j, v in zip(support, xs):
        x[j] = v
    # Dual: multipliers on the tight inequalities that carry weight, and on every equality,
    # make the reduced cost zero on every positive or free variable and wherever HiGHS's is zero.
    dual_rows_ub = [i for i in tight if lam_f[i] > tol]
    basic = [j for j in range(n) if j in free or x[j] != 0 or abs(reduced_f[j]) <= tol]
    basic.sort(key=lambda j: (not (j in free or x[j] != 0), abs(reduced_f[j])))
    k = len(dual_rows_ub)
    rows = [[A_ub[i][j] for i in dual_rows_ub] + [-A_eq[e][j] for e in range(len(A_eq))] for j in basic]
    ys = solve_linear(rows, [-c[j] for j in basic], k + len(A_eq), greedy=True)
    lam = [Fraction(0)] * len(A_ub)
    for i, v in zip(dual_rows_ub, ys[:k]):
        lam[i] = v
    mu = ys[k:]
    if not is_lp_certificate(c, A_ub, b_ub, A_eq, b_eq, free, x, lam, mu):
        return None
    return LPSolution("optimal", tuple(x), _dot(c, x, range(n)), tuple(lam), tuple(mu), True, "highs+exact")


def _integer_scale(values: Sequence[Fraction]) -> int:
    """The least positive integer that makes every value an integer when multiplied by it."""
    return math.lcm(1, *(v.denominator for v in values))


def _simplex(c, A_ub, b_ub, A_eq, b_eq, free) -> LPSolution:
    """Exact two-phase tableau simplex with integer pivoting.

    The tableau is kept as integers ``T`` over a common denominator ``d`` (the
    last pivot element), Edmonds' fraction-free Gauss-Jordan rule
    ``T'[i][k] = (T[i][k] T[r][j] - T[i][j] T[r][k]) / d``, which divides
    exactly, so no gcds are ever taken. Pricing is Dantzig's (most negative
    reduced cost) and switches to Bland's smallest-index rule, which cannot
    cycle, after a run of degenerate pivots. Every row gets an artificial
    variable; their columns hold the inverse basis, which gives the dual
    multipliers at the end.
    """
    n = len(c)
    cols = [(j, 1) for j in range(n)] + [(j, -1) for j in sorted(free)]
    nx, ns, m = len(cols), len(A_ub), len(A_ub) + len(A_eq)
    art = nx + ns
    rows, row_scale = _integer_rows(A_ub, b_ub, A_eq, b_eq, cols)
    tableau = _Tableau(rows, basis=[art + r for r in range(m)])
    # Phase 1: minimise the sum of the artificial variables.
    tableau.minimise([0] * art + [1] * m, range(art + m))
    if any(tableau.T[i][-1] > 0 for i in range(m) if tableau.basis[i] >= art):
        return LPSolution("infeasible", exact=True, method="exact simplex")
    tableau.drive_out(art)
    # Phase 2: the real cost, over the structural and slack columns only.
    scaled_cost = [s * c[j] for j, s in cols]
    K = _integer_scale(scaled_cost)
    if not tableau.minimise([int(v * K) for v in scaled_cost] + [0] * (ns + m), range(art)):
        return LPSolution("unbounded", exact=True, method="exact simplex")
    z = [Fraction(0)] * art
    for i in range(m):
        if tableau.basis[i] < art:
            z[tableau.basis[i]] = Fraction(tableau.T[i][-1], tableau.d)
    x = [Fraction(0)] * n
    for k, (j, s) in enumerate(cols):
        x[j] += s * z[k]
    # The artificial column r has cost 0, so its reduced cost is -y_r (dual of the scaled row r).
    y = [Fraction(-tableau.objective_row[art + r], tableau.d * K) * row_scale[r] for r in range(m)]
    lam, mu = [-v for v in y[:ns]], y[ns:]
    if not is_lp_certificate(c, A_ub, b_ub, A_eq, b_eq, free, x, lam, mu):
        raise SolverError("internal error: exact simplex produced an invalid optimality certificate")
    return LPSolution("optimal", tuple(x), _dot(c, x, range(n)), tuple(lam), tuple(mu), True, "exact simplex")


def _integer_rows(A_ub, b_ub, A_eq, b_eq, cols) -> tuple[list[list[int]], list[int]]:
    """The initial tableau rows in integers, and the factor each row was scaled by.

    Columns: the structural ones (``cols``: a free variable gets a second,
    negated column), one slack per inequality, one artificial per row (its
    unit column), then the right-hand side, made non-negative.
    """
    nx, ns, m = len(cols), len(A_ub), len(A_ub) + len(A_eq)
    art = nx + ns
    rows: list[list[int]] = []
    row_scale: list[int] = []  # integer row r = row_scale[r] * (original row r)
    for r in range(m):
        src, b = (A_ub[r], b_ub[r]) if r < ns else (A_eq[r - ns], b_eq[r - ns])
        vals = [s * src[j] for j, s in cols] + [Fraction(0)] * ns
        if r < ns:
            vals[nx + r] = Fraction(1)
        vals.append(b)
        k = _integer_scale(vals) * (-1 if b < 0 else 1)
        row = [int(v * k) for v in vals[:-1]] + [0] * m + [int(vals[-1] * k)]
        row[art + r] = 1
        rows.append(row)
        row_scale.append(k)
    return rows, row_scale


class _Tableau:
    """The integer tableau of :func:`_simplex`: rows ``T`` over the common denominator ``d``, and the basis.

    Row ``i`` is the basic variable ``basis[i]``; the last entry of a row is
    its right-hand side. ``objective_row`` is the reduced-cost row left by
    the last :meth:`minimise`.
    """

    def __init__(self, rows: list[list[int]], basis: list[int]):
        self.T = rows
        self.m = len(rows)
        self.basis = basis
        self.d = 1
        self.objective_row: list[int] = []

    def pivot(self, r: int, j: int) -> None:
        """Make column ``j`` basic in row ``r`` (fraction-free: every division is exact)."""
        T, d = self.T, self.d
        p = T[r][j]
        pr = T[r]
        for i in range(len(T)):
            if i != r:
                f = T[i][j]
                T[i] = [(a * p - f * b) // d for a, b in zip(T[i], pr)] if f else [a * p // d for a in T[i]]
        d = p
        if d < 0:  # keep the common denominator positive
            for i in range(len(T)):
                T[i] = [-a for a in T[i]]
            d = -d
        self.d = d
        if r < self.m:
            self.basis[r] = j

    def minimise(self, cost: list[int], allowed: range) -> bool:
        """Minimise cost.z, entering columns from ``allowed``; False if unbounded.

        ``cost`` has one entry per column but the right-hand side. The
        objective row is appended as row ``m`` while running (so pivots
        update it) and kept in :attr:`objective_row` afterwards.
        """
        T, m, basis = self.T, self.m, self.basis
        d = self.d
        T.append([cost[j] * d - sum(cost[basis[i]] * T[i][j] for i in range(m)) for j in range(len(cost))] + [0])
        T[m][-1] = -sum(cost[basis[i]] * T[i][-1] for i in range(m))
        stalled = 0
        try:
            while True:
                check_deadline()  # each exact pivot: a phase with a deadline stops between two
                in_basis = set(basis)
                candidates = [j for j in allowed if j not in in_basis and T[m][j] < 0]
                if not candidates:
                    return True
                entering = candidates[0] if stalled > 50 else min(candidates, key=lambda j: (T[m][j], j))
                leaving = self._ratio_test(entering)
                if leaving is None:
                    return False
                stalled = stalled + 1 if T[leaving][-1] == 0 else 0
                self.pivot(leaving, entering)
        finally:
            self.objective_row = T.pop()

    def _ratio_test(self, entering: int) -> int | None:
        """The row that leaves when ``entering`` enters (least ratio, ties to the smallest basic index), or None."""
        T, basis = self.T, self.basis
        best = None
        for i in range(self.m):
            a = T[i][entering]
            if a > 0:
                key = (Fraction(T[i][-1], a), basis[i])
                if best is None or key < best[0]:
                    best = (key, i)
        return None if best is None else best[1]

    def drive_out(self, art: int) -> None:
        """After phase 1, pivot the artificial variables still basic (at level zero) out of the basis where possible."""
        for i in range(self.m):
            if self.basis[i] >= art:
                j = next((j for j in range(art) if self.T[i][j] != 0), None)
                if j is not None:
                    self.pivot(i, j)
