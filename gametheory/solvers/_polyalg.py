"""Exact polynomial algebra over the integers, small and fast enough for support enumeration.

This private module gives :mod:`gametheory.solvers.polynomial` what it needs to
solve the indifference equations of one support profile exactly, without a
computer-algebra system in the inner loop:

* :class:`Poly`, sparse multivariate polynomials with integer coefficients
  (the equations of an N-player game are multilinear, and after eliminating
  two players they are polynomials in one or two unknowns of low degree);
* univariate integer polynomials as little-endian lists of ``int``
  (``[c0, c1, c2]`` is ``c0 + c1*x + c2*x**2``), with gcd, square-free part
  and **real-root isolation on (0, 1)** by Descartes' rule of signs with
  bisection (the Vincent-Collins-Akritas method, see Collins & Akritas 1976,
  "Polynomial real root isolation using Descartes' rule of signs");
* :class:`RealRoot`, one real root of a square-free integer polynomial held
  as a shrinking interval with dyadic end points, which decides the *exact*
  sign of another polynomial at that root (zero included, by a gcd test);
* the resultant of two bivariate polynomials by evaluation at integer points,
  fraction-free (Bareiss) determinants of the Sylvester matrices and exact
  interpolation.

Everything is exact integer arithmetic; floats appear only as starting guesses
that are then checked exactly.

When python-flint is installed, the costly univariate steps (products of
long polynomials, gcds, square-free parts, the Descartes bisection) and the
integer determinants, bivariate resultants and first subresultants run in
FLINT's C code instead (:func:`_flint`); the results are the same integers.
Signs at roots are first tried in FLINT's ball arithmetic (:func:`ball_eval`),
which proves a sign when the ball excludes 0 and otherwise leaves the
decision to the exact code here. The root isolation and the exact sign
decisions stay here: FLINT has no real-root isolation for integer
polynomials, and its complex root finder took 9 ms on a degree-41 resultant
where the bisection here takes 2.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

# --------------------------------------------------------------------------- FLINT, when installed

_FLINT: list = []  # [module or None], filled on first use


def _flint():
    """The ``flint`` module (python-flint) if it can be imported, else None; looked up once, when first needed.

    Imported lazily: it costs about 0.1 s, which commands that never enumerate
    N-player equilibria should not pay.
    """
    if not _FLINT:
        try:
            _FLINT.append(importlib.import_module("flint"))
        except ImportError:
            _FLINT.append(None)
    return _FLINT[0]


def flint_module(length: int | None = None):
    """python-flint's ``flint`` module when it is installed, else None (imported on first use).

    With ``length``, the length of the polynomials at hand: None when they
    are shorter than :data:`_FLINT_MIN_LENGTH` and FLINT is not imported yet,
    so that small games never pay the import.
    """
    if length is not None and length < _FLINT_MIN_LENGTH and not _FLINT:
        return None
    return _flint()


def _ints(poly) -> list[int]:
    """A FLINT polynomial's coefficients as Python ints (little-endian, trailing zeros dropped)."""
    return [int(c) for c in poly.coeffs()]


#: Products, Taylor shifts, gcds and square-free parts of polynomials at least this long go to FLINT
#: (shorter ones are cheaper here, and a small game then never pays FLINT's import, about 40 ms of a
#: cold `gametheory solve games/deterrence.json`).
_FLINT_MIN_LENGTH = 8
#: Determinants of integer matrices at least this large go to FLINT.
_FLINT_MIN_ORDER = 5


# --------------------------------------------------------------------------- multivariate


class Poly:
    """A polynomial in ``nvars`` variables with integer (or Fraction) coefficients.

    Stored sparsely as ``{exponent tuple: coefficient}``. Supports ``+``, ``-``,
    ``*`` with other polys and with plain numbers, which is all the
    determinant and contraction code needs (it is duck-typed with ``int``).
    """

    __slots__ = ("nvars", "terms")

    def __init__(self, terms: dict, nvars: int):
        self.terms = terms
        self.nvars = nvars

    @classmethod
    def const(cls, c, nvars: int) -> Poly:
        return cls({(0,) * nvars: c} if c else {}, nvars)

    @classmethod
    def var(cls, k: int, nvars: int) -> Poly:
        e = [0] * nvars
        e[k] = 1
        return cls({tuple(e): 1}, nvars)

    def _coerce(self, other) -> Poly:
        if isinstance(other, Poly):
            return other
        return Poly.const(other, self.nvars)

    def __add__(self, other):
        other = self._coerce(other)
        out = dict(self.terms)
        for e, c in other.terms.items():
            v = out.get(e, 0) + c
            if v:
                out[e] = v
            else:
                out.pop(e, None)
        return Poly(out, self.nvars)

    __radd__ = __add__

    def __neg__(self):
        return Poly({e: -c for e, c in self.terms.items()}, self.nvars)

    def __sub__(self, other):
        return self + (-self._coerce(other))

    def __rsub__(self, other):
        return self._coerce(other) - self

    def __mul__(self, other):
        if not isinstance(other, Poly):
            if not other:
                return Poly({}, self.nvars)
            return Poly({e: c * other for e, c in self.terms.items()}, self.nvars)
        out: dict = {}
        get = out.get
        n = self.nvars
        items2 = list(other.terms.items())
        for e1, c1 in self.terms.items():
            for e2, c2 in items2:
                if n == 1:
                    e = (e1[0] + e2[0],)
                elif n == 2:
                    e = (e1[0] + e2[0], e1[1] + e2[1])
                else:
                    e = tuple(a + b for a, b in zip(e1, e2))
                out[e] = get(e, 0) + c1 * c2
        return Poly({e: c for e, c in out.items() if c}, n)

    __rmul__ = __mul__

    def is_zero(self) -> bool:
        return not self.terms

    def degree(self, k: int) -> int:
        """Degree in variable ``k`` (-1 for the zero polynomial)."""
        return max((e[k] for e in self.terms), default=-1)

    def total_degree(self) -> int:
        return max((sum(e) for e in self.terms), default=-1)

    def content(self) -> int:
        g = 0
        for c in self.terms.values():
            g = math.gcd(g, c)
        return g

    def primitive(self) -> Poly:
        g = self.content()
        if g > 1:
            return Poly({e: c // g for e, c in self.terms.items()}, self.nvars)
        return self

    def evaluate(self, point: Sequence) -> object:
        """Value at ``point`` (ints, Fractions or floats)."""
        total = 0
        for e, c in self.terms.items():
            term = c
            for x, k in zip(point, e):
                if k:
                    term = term * x**k
            total = total + term
        return total

    def to_univariate(self, k: int = 0) -> list[int]:
        """Coefficient list in variable ``k`` (the polynomial must involve no other variable)."""
        deg = self.degree(k)
        out = [0] * (deg + 1)
        for e, c in self.terms.items():
            out[e[k]] += c
        return out

    def coeffs_in(self, k: int) -> list[Poly]:
        """Coefficients as polynomials (in the remaining variables, same nvars) of powers of variable ``k``."""
        deg = self.degree(k)
        parts: list[dict] = [{} for _ in range(deg + 1)]
        for e, c in self.terms.items():
            e2 = list(e)
            p = e2[k]
            e2[k] = 0
            parts[p][tuple(e2)] = c
        return [Poly(d, self.nvars) for d in parts]

    def to_sympy(self, symbols: Sequence) -> object:
        import sympy

        return sympy.Add(
            *[sympy.Integer(c) * sympy.Mul(*[s**k for s, k in zip(symbols, e)]) for e, c in self.terms.items()]
        )

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Poly({self.terms!r}, {self.nvars})"


class UPoly:
    """A univariate integer polynomial (little-endian coefficient list): the one-unknown case of :class:`Poly`.

    Same interface as far as the support solver uses it, with list arithmetic
    (much faster than dictionaries for the short polynomials of one unknown).
    """

    __slots__ = ("c",)
    nvars = 1

    def __init__(self, coeffs: list):
        while coeffs and coeffs[-1] == 0:
            coeffs.pop()
        self.c = coeffs

    @classmethod
    def const(cls, c, nvars: int = 1) -> UPoly:
        return cls([c] if c else [])

    @classmethod
    def var(cls, k: int = 0, nvars: int = 1) -> UPoly:
        return cls([0, 1])

    def __add__(self, other):
        return UPoly(u_add(self.c, other.c if isinstance(other, UPoly) else ([other] if other else [])))

    __radd__ = __add__

    def __neg__(self):
        return UPoly([-x for x in self.c])

    def __sub__(self, other):
        if isinstance(other, UPoly):
            return self + UPoly([-x for x in other.c])
        return self + (-other)

    def __rsub__(self, other):
        return UPoly([-x for x in self.c]) + other

    def __mul__(self, other):
        if not isinstance(other, UPoly):
            if not other:
                return UPoly([])
            return UPoly([x * other for x in self.c])
        a, b = self.c, other.c
        if not a or not b:
            return UPoly([])
        out = [0] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            if x:
                for j, y in enumerate(b):
                    out[i + j] += x * y
        return UPoly(out)

    __rmul__ = __mul__

    def is_zero(self) -> bool:
        return not self.c

    def degree(self, k: int = 0) -> int:
        return len(self.c) - 1 if k == 0 else (0 if self.c else -1)

    def total_degree(self) -> int:
        return len(self.c) - 1

    def to_univariate(self, k: int = 0) -> list[int]:
        return list(self.c)

    def evaluate(self, point: Sequence) -> object:
        acc = 0
        x = point[0]
        for c in reversed(self.c):
            acc = acc * x + c
        return acc

    def primitive(self) -> UPoly:
        return UPoly(u_primitive(self.c)) if self.c else self

    def to_sympy(self, symbols: Sequence) -> object:
        import sympy

        return sympy.Add(*[sympy.Integer(c) * symbols[0] ** i for i, c in enumerate(self.c)])

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"UPoly({self.c!r})"


def poly_const(c, nvars: int):
    """A constant polynomial: :class:`UPoly` for one variable, :class:`Poly` otherwise."""
    return UPoly.const(c) if nvars == 1 else Poly.const(c, nvars)


def poly_var(k: int, nvars: int):
    return UPoly.var() if nvars == 1 else Poly.var(k, nvars)


def det(matrix: Sequence[Sequence[object]]) -> object:
    """Determinant by Laplace expansion along the first row (duck-typed: ints, Fractions or :class:`Poly`).

    Used for the small matrices of support enumeration (at most 4x4 in
    practice), where expansion is simpler and faster than elimination with
    polynomial entries.
    """
    n = len(matrix)
    if n == 0:
        return 1
    if n == 1:
        return matrix[0][0]
    if n == 2:
        return matrix[0][0] * matrix[1][1] - matrix[0][1] * matrix[1][0]
    total = 0
    for j in range(n):
        a = matrix[0][j]
        if (isinstance(a, (Poly, UPoly)) and a.is_zero()) or (not isinstance(a, (Poly, UPoly)) and a == 0):
            continue
        minor = [row[:j] + row[j + 1 :] for row in matrix[1:]]
        term = a * det(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def kernel_vector(matrix: Sequence[Sequence[object]]) -> list:
    """The signed maximal minors of a ``d x (d+1)`` matrix: a vector spanning its kernel when it has full rank.

    By Cramer's rule, ``v[k] = (-1)**k * det(matrix without column k)`` is
    orthogonal to every row; it is zero exactly when the rank is below ``d``.
    """
    d = len(matrix)
    out = []
    for k in range(d + 1):
        sub = [row[:k] + row[k + 1 :] for row in matrix]
        m = det(sub)
        out.append(m if k % 2 == 0 else -m)
    return out


def bareiss_det(matrix: list[list[int]]) -> int:
    """Exact determinant of an integer matrix by fraction-free Gaussian elimination (Bareiss 1968)."""
    n = len(matrix)
    fl = _flint() if n >= _FLINT_MIN_ORDER else None
    if fl is not None:
        return int(fl.fmpz_mat([list(row) for row in matrix]).det())
    a = [list(row) for row in matrix]
    if n == 0:
        return 1
    sign = 1
    prev = 1
    for k in range(n - 1):
        if a[k][k] == 0:
            for r in range(k + 1, n):
                if a[r][k] != 0:
                    a[k], a[r] = a[r], a[k]
                    sign = -sign
                    break
            else:
                return 0
        akk = a[k][k]
        for i in range(k + 1, n):
            aik = a[i][k]
            row_i = a[i]
            row_k = a[k]
            for j in range(k + 1, n):
                row_i[j] = (row_i[j] * akk - aik * row_k[j]) // prev
        prev = akk
    return sign * a[n - 1][n - 1]


def integer_rank(matrix: Sequence[Sequence[int]]) -> int:
    """Rank of an integer (or Fraction) matrix, exactly."""
    rows = [[Fraction(x) for x in row] for row in matrix]
    rank = 0
    ncols = len(rows[0]) if rows else 0
    for c in range(ncols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][c] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        p = rows[rank][c]
        for r in range(len(rows)):
            if r != rank and rows[r][c] != 0:
                f = rows[r][c] / p
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[rank])]
        rank += 1
    return rank


# --------------------------------------------------------------------------- univariate


def u_trim(p: list[int]) -> list[int]:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def u_deriv(p: Sequence[int]) -> list[int]:
    return [i * c for i, c in enumerate(p)][1:]


def u_primitive(p: Sequence[int]) -> list[int]:
    g = 0
    for c in p:
        g = math.gcd(g, c)
    if g == 0:
        return []
    if p[-1] < 0:
        g = -g
    return [c // g for c in p]


def u_prem(a: list[int], b: list[int]) -> list[int]:
    """Pseudo-remainder of ``a`` by ``b`` in Z[x]: ``lc(b)**(deg a - deg b + 1) * a mod b``."""
    a = list(a)
    db = len(b) - 1
    lb = b[-1]
    while len(a) - 1 >= db and a:
        la = a[-1]
        shift = len(a) - 1 - db
        a = [c * lb for c in a]
        for i, c in enumerate(b):
            a[i + shift] -= la * c
        a = u_trim(a[:-1] if a[-1] == 0 else a)
    return a


def _prs_gcd(a: list[int], b: list[int]) -> list[int]:
    """gcd by the primitive polynomial remainder sequence (simple, but slow on large coefficients)."""
    if len(a) < len(b):
        a, b = b, a
    while b:
        r = u_prem(a, b)
        a, b = b, u_primitive(r)
    return u_primitive(a) if a else []


def _is_prime64(n: int) -> bool:
    """Deterministic Miller-Rabin for n < 2**64."""
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in (2, 325, 9375, 28178, 450775, 9780504, 1795265022):
        x = pow(a % n, d, n)
        if x in (0, 1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


_PRIME_LIST: list[int] = []


def _prime(k: int) -> int:
    """The k-th prime below 2**61 (generated on demand)."""
    while len(_PRIME_LIST) <= k:
        n = _PRIME_LIST[-1] - 2 if _PRIME_LIST else (1 << 61) - 1
        while not _is_prime64(n):
            n -= 2
        _PRIME_LIST.append(n)
    return _PRIME_LIST[k]


def _monic_gcd_mod(a: list[int], b: list[int], q: int) -> list[int]:
    a = [c % q for c in a]
    b = [c % q for c in b]
    while a and a[-1] == 0:
        a.pop()
    while b and b[-1] == 0:
        b.pop()
    while b:
        inv = pow(b[-1], -1, q)
        while len(a) >= len(b):
            c = a[-1] * inv % q
            shift = len(a) - len(b)
            if c:
                for i, y in enumerate(b):
                    a[i + shift] = (a[i + shift] - c * y) % q
            a.pop()
            while a and a[-1] == 0:
                a.pop()
        a, b = b, a
    if not a:
        return []
    inv = pow(a[-1], -1, q)
    return [c * inv % q for c in a]


def _divides(d: list[int], a: list[int]) -> bool:
    """Whether the primitive integer polynomial ``d`` divides ``a`` in Z[x] (exact long division)."""
    a = list(a)
    ld = d[-1]
    nd = len(d)
    while len(a) >= nd:
        q, r = divmod(a[-1], ld)
        if r:
            return False
        shift = len(a) - nd
        if q:
            for i, c in enumerate(d):
                a[i + shift] -= q * c
        a.pop()
        while a and a[-1] == 0:
            a.pop()
    return not a


def u_gcd(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """Greatest common divisor in Q[x], returned primitive with positive leading coefficient.

    Modular algorithm (Brown 1971 / Collins; see von zur Gathen & Gerhard,
    *Modern Computer Algebra*, ch. 6): the gcd modulo large primes gives the
    degree (a constant there proves the polynomials coprime) and, combined by
    the Chinese remainder theorem, the candidate ``gamma * g / lc(g)`` with
    ``gamma = gcd(lc(a), lc(b))``, which is accepted only after exact trial
    division of both inputs.
    """
    a = u_primitive(u_trim(list(a)))
    b = u_primitive(u_trim(list(b)))
    if not a:
        return b
    if not b:
        return a
    if len(a) == 1 or len(b) == 1:
        return [1]
    fl = _flint() if max(len(a), len(b)) >= _FLINT_MIN_LENGTH else None
    if fl is not None:
        return u_primitive(_ints(fl.fmpz_poly(a).gcd(fl.fmpz_poly(b))))
    gamma = math.gcd(a[-1], b[-1])
    best_deg = None
    modulus = 1
    acc: list[int] = []
    for k in range(200):
        q = _prime(k)
        if a[-1] % q == 0 or b[-1] % q == 0:
            continue
        g = _monic_gcd_mod(a, b, q)
        if len(g) == 1:
            return [1]
        if best_deg is None or len(g) < best_deg:
            best_deg, modulus, acc = len(g), 1, [0] * len(g)
        elif len(g) > best_deg:
            continue  # an unlucky prime
        g = [c * gamma % q for c in g]
        # Chinese remainders: combine acc (mod modulus) with g (mod q)
        inv = pow(modulus % q, -1, q)
        acc = [x + modulus * (((y - x) * inv) % q) for x, y in zip(acc, g)]
        modulus *= q
        half = modulus // 2
        cand = u_primitive([x - modulus if x > half else x for x in acc])
        if cand and _divides(cand, a) and _divides(cand, b):
            return cand
    return _prs_gcd(a, b)  # pragma: no cover - only for astronomically large coefficients


def u_divexact(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """``a / b`` for ``b`` dividing ``a`` in Q[x]; the quotient is returned primitive in Z[x]."""
    a = [Fraction(c) for c in a]
    q = [Fraction(0)] * (len(a) - len(b) + 1)
    lb = b[-1]
    for k in range(len(q) - 1, -1, -1):
        c = a[k + len(b) - 1] / lb
        q[k] = c
        if c:
            for i, bc in enumerate(b):
                a[k + i] -= c * bc
    den = 1
    for c in q:
        den = den * c.denominator // math.gcd(den, c.denominator)
    return u_primitive([int(c * den) for c in q])


_PRIME = (1 << 61) - 1  # a Mersenne prime


def _coprime_mod(a: Sequence[int], b: Sequence[int]) -> bool:
    """True when gcd(a, b) = 1 is certified modulo a large prime (False means: not certified).

    If the leading coefficients survive reduction and the gcd of the reduced
    polynomials is constant, the gcd over Q is constant too (a common factor
    over Q would reduce to a common factor of the same degree).
    """
    q = _PRIME
    a = [c % q for c in a]
    b = [c % q for c in b]
    if a[-1] == 0 or not b or b[-1] == 0:
        return False
    while b and any(b):
        while b and b[-1] == 0:
            b.pop()
        if len(b) == 1:
            return True
        inv = pow(b[-1], -1, q)
        while len(a) >= len(b):
            c = a[-1] * inv % q
            shift = len(a) - len(b)
            if c:
                for i, y in enumerate(b):
                    a[i + shift] = (a[i + shift] - c * y) % q
            a.pop()
            while a and a[-1] == 0:
                a.pop()
        a, b = b, a
    return len(a) <= 1


def u_sqfree(p: Sequence[int]) -> list[int]:
    """The square-free part of ``p`` (same roots, each simple), primitive."""
    p = u_primitive(u_trim(list(p)))
    if len(p) <= 2:
        return p
    fl = _flint() if len(p) >= _FLINT_MIN_LENGTH else None
    if fl is not None:
        fp = fl.fmpz_poly(p)
        g = fp.gcd(fp.derivative())
        return p if g.degree() < 1 else u_primitive(_ints(fp // g))
    if _coprime_mod(p, u_deriv(p)):
        return p
    g = u_gcd(p, u_deriv(p))
    if len(g) <= 1:
        return p
    return u_divexact(p, g)


def u_eval(p: Sequence[int], x):
    """Horner evaluation at ``x`` (int, Fraction or float)."""
    acc = 0
    for c in reversed(p):
        acc = acc * x + c
    return acc


def u_eval_scaled(p: Sequence[int], num: int, shift: int) -> int:
    """``2**(shift*deg) * p(num / 2**shift)`` as an exact integer (same sign as ``p`` at the dyadic point)."""
    d = len(p) - 1
    acc = 0
    for i in range(d, -1, -1):
        acc = acc * num + (p[i] << (shift * (d - i)))
    return acc


def u_sign_at_rational(p: Sequence[int], x: Fraction) -> int:
    """Exact sign of ``p(x)`` for a rational ``x``."""
    a, b = x.numerator, x.denominator
    d = len(p) - 1
    acc = 0
    bp = 1
    for i in range(d, -1, -1):
        acc = acc * a + p[i] * bp
        bp *= b
    # acc = b**d * p(a/b) up to the power of b, which is positive
    return (acc > 0) - (acc < 0)


def _taylor_shift1(p: list[int]) -> list[int]:
    """Coefficients of ``p(x + 1)``."""
    n = len(p)
    fl = _flint() if n >= _FLINT_MIN_LENGTH else None
    if fl is not None:
        q = _ints(fl.fmpz_poly(p)(fl.fmpz_poly([1, 1])))
        return q + [0] * (n - len(q))
    q = list(p)
    for i in range(n - 1):
        for j in range(n - 2, i - 1, -1):
            q[j] += q[j + 1]
    return q


def _sign_variations(coeffs: Iterable[int]) -> int:
    count = 0
    last = 0
    for c in coeffs:
        if c:
            if last and (c > 0) != (last > 0):
                count += 1
            last = c
    return count


def _descartes_01(q: list[int]) -> int:
    """Upper bound (exact when 0 or 1) on the number of roots of ``q`` in the open interval (0, 1)."""
    return _sign_variations(_taylor_shift1(q[::-1]))


def isolate_roots_01(p: Sequence[int]) -> tuple[list[int], list[Fraction], list[tuple[int, int]]]:
    """Isolate the real roots of a square-free integer polynomial in the open interval (0, 1).

    Returns ``(reduced, exact, intervals)``: ``exact`` are the dyadic rational
    roots hit exactly, ``reduced`` is ``p`` with their linear factors (and
    those of roots at 0 and 1) divided out, and each ``(num, shift)`` in
    ``intervals`` means that exactly one root of ``reduced`` lies strictly
    inside ``(num/2**shift, (num+1)/2**shift)``, where ``reduced`` has
    opposite non-zero signs at the two ends.
    """
    p = u_trim(list(p))
    exact: list[Fraction] = []
    while True:
        if len(p) <= 1:
            return p, sorted(exact), []
        while p[0] == 0:  # a root at 0 is outside the open interval
            p = p[1:]
        if sum(p) == 0:  # a root at 1 likewise
            p = u_divexact(p, [-1, 1])
            continue
        fl = _flint() if len(p) >= _FLINT_MIN_LENGTH else None
        if fl is not None:
            intervals, hit = _bisect(fl.fmpz_poly(p), _halve_flint(fl))
        else:
            intervals, hit = _bisect(p, _halve_ints)
        if hit is None:
            intervals.sort(key=lambda r: Fraction(r[0], 2 ** r[1]))
            return p, sorted(exact), intervals
        # a dyadic root a/2**s: divide out (2**s x - a) and start again
        a, s = hit
        exact.append(Fraction(a, 2**s))
        p = u_divexact(p, [-a, 2**s])


def _bisect(p, halve) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Descartes bisection of (0, 1) for :func:`isolate_roots_01`: (isolating intervals, a dyadic root hit or None).

    ``halve(q)`` is :func:`_halve_ints` or :func:`_halve_flint`'s (the same steps on Python ints or on FLINT
    polynomials, which stay in FLINT from start to end): the loop is shared, one call per node costs nothing
    measurable next to the Taylor shifts.
    """
    intervals: list[tuple[int, int]] = []
    # q represents p on (num/2**shift, (num+1)/2**shift): q(x) = 2**(shift*d) p((x + num)/2**shift)
    stack = [(p, 0, 0)]
    while stack:
        q, num, shift = stack.pop()
        v, left, right = halve(q)
        if v == 0:
            continue
        if v == 1:
            intervals.append((num, shift))
            continue
        if right is None:  # a root at the midpoint
            return intervals, (2 * num + 1, shift + 1)
        stack.append((right, 2 * num + 1, shift + 1))
        stack.append((left, 2 * num, shift + 1))
    return intervals, None


def _halve_ints(q: list[int]):
    """(Descartes bound on (0, 1), 2**d q(x/2), 2**d q((x+1)/2) or None when q(1/2) = 0); halves only when the bound is 2+."""
    v = _descartes_01(q)
    if v < 2:
        return v, None, None
    d = len(q) - 1
    left = [c << (d - i) for i, c in enumerate(q)]
    right = _taylor_shift1(left)
    return v, left, (right if right[0] else None)


def _halve_flint(fl):
    """:func:`_halve_ints` on FLINT polynomials (no conversions at each step)."""
    shift1 = fl.fmpz_poly([1, 1])

    def halve(q):
        c = q.coeffs()
        v = _sign_variations(fl.fmpz_poly(c[::-1])(shift1).coeffs())
        if v < 2:
            return v, None, None
        d = len(c) - 1
        left = fl.fmpz_poly([x * (1 << (d - i)) for i, x in enumerate(c)])
        right = left(shift1)
        return v, left, (right if right(0) != 0 else None)

    return halve


_SMALL_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)


def no_rational_root(p: Sequence[int]) -> bool:
    """True when ``p`` provably has no rational root (False: not proved either way).

    A rational root ``r/s`` in lowest terms has ``s`` dividing the leading
    coefficient, so for a prime ``q`` not dividing it, ``r * s**-1 mod q`` is a
    root of ``p`` modulo ``q``. Finding a small prime modulo which ``p`` has
    no root therefore proves that ``p`` has none over Q; for a polynomial
    without a linear factor such a prime usually turns up in the first few.
    This is much cheaper than refining a root to the precision at which
    rational candidates can be told apart.
    """
    lead = p[-1]
    for q in _SMALL_PRIMES:
        if lead % q == 0:
            continue
        pm = [c % q for c in reversed(p)]
        for x in range(q):
            acc = 0
            for c in pm:
                acc = (acc * x + c) % q
            if acc == 0:
                break
        else:
            return True
    return False


#: Precision (bits) to which a root is refined before signs are tried in floating point: a
#: double's Newton guess is reliably this close, so one exact bracket check usually settles it.
FLOAT_BITS = 44

#: Working precision (bits) of the ball-arithmetic sign tests. Integer coefficients of a few hundred
#: bits lose only their low bits at this precision, and arb tracks that loss in the ball's radius.
BALL_PREC = 128


def ball_eval(fn, prec: int = BALL_PREC):
    """``fn(flint)`` evaluated at ``prec`` bits of arb precision (the global one is restored), None without FLINT.

    Ball arithmetic (python-flint's ``arb``, FLINT's Arb) gives every value an
    interval guaranteed to contain it, so a ball that excludes 0 proves the
    sign; one that contains 0 decides nothing and the caller falls back to
    exact arithmetic. Measured on 3x3x2x2 games, it settles most signs at the
    roots of degree-40 resultants where the error bounds of plain floats were
    too coarse.
    """
    fl = _flint()
    if fl is None:
        return None
    old = fl.ctx.prec
    fl.ctx.prec = prec
    try:
        return fn(fl)
    finally:
        fl.ctx.prec = old


def ball_sign(value) -> int:
    """+1 or -1 when the arb ball ``value`` excludes 0, else 0 (undecided, which does not mean zero)."""
    if value > 0:
        return 1
    if value < 0:
        return -1
    return 0


#: The last polynomial given to :func:`_arb_poly_and_slope`, with its arb polynomial and derivative, as one tuple
#: (read and replaced whole: a thread that reads it always gets a polynomial with its own arb copy)
_ARB_LAST: list = [(None, None, None)]


def _arb_poly_and_slope(fl, p: Sequence[int]) -> tuple:
    """``p`` and its derivative as arb polynomials, kept for the last ``p`` asked for.

    The roots of one polynomial are refined one after the other, so the arb
    copy of the last ``p`` serves them all: converting ~40 coefficients of
    100+ bits cost 15-30 us, most of a Newton run (3x3x2x2 resultants have
    ~4 roots each).
    """
    key = tuple(p)  # compared by value (a microsecond): a caller may reuse a list
    last = _ARB_LAST[0]
    if last[0] != key:
        value = fl.arb_poly(list(key))
        last = _ARB_LAST[0] = (key, value, value.derivative())
    return last[1], last[2]


def _ball_newton(fl, p: Sequence[int], lo, hi, sign_lo: int, close_bits: int = 60):
    """A point (arb, exact) close to the root of ``p`` in ``(lo, hi)`` (``p`` has sign ``sign_lo`` at ``lo``), by Newton in balls.

    Newton steps from the middle, kept inside the bracket (a step that leaves
    it is replaced by bisection), which shrinks with every decided sign. Only
    a guess: the caller checks the bracket it suggests exactly.
    """
    value, slope = _arb_poly_and_slope(fl, p)
    a, b = fl.arb(lo), fl.arb(hi)
    x = ((a + b) / 2).mid()
    close_enough = fl.arb(fl.fmpq(1, 1 << close_bits))
    for _ in range(60):
        fx = value(x)
        s = ball_sign(fx)
        if not s:
            break  # the value is below the ball's rounding error: as close as this precision tells
        if s == sign_lo:
            a = x
        else:
            b = x
        d = slope(x)
        nx = (x - fx / d).mid() if ball_sign(d) else None
        if nx is None or not a < nx < b:
            nx = ((a + b) / 2).mid()
        if abs(nx - x) < close_enough:
            x = nx
            break
        x = nx
    return x


class RealRoot:
    """One real root of a square-free integer polynomial ``p``, known exactly.

    Either ``exact`` is a Fraction (a rational root) or the root lies strictly
    inside ``(lo, hi)`` where ``p`` has opposite signs at ``lo`` and ``hi``
    (dyadic rationals ``num/2**shift`` and ``(num+1)/2**shift``).
    """

    __slots__ = ("_rational_checked", "_sign_lo", "exact", "num", "p", "shift")

    def __init__(self, p: list[int], num: int = 0, shift: int = 0, exact: Fraction | None = None):
        self.p = p
        self.num = num
        self.shift = shift
        self.exact = exact
        self._sign_lo = 0 if exact is not None else self._sign(num, shift)
        self._rational_checked = exact is not None

    def _sign(self, num: int, shift: int) -> int:
        """Exact sign of ``p`` at ``num / 2**shift``: in balls when one excludes 0 (long ``p``), else in integers.

        The brackets of refinement lie within ``2**-shift`` of the root, so
        ``p`` is small there: ``shift + 128`` bits of precision leave room. A
        ball evaluation of a degree-40 resultant took ~3.5 us against ~6 us
        for the integers.
        """
        if len(self.p) >= _FLINT_MIN_LENGTH:
            got = ball_eval(
                lambda fl: ball_sign(_arb_poly_and_slope(fl, self.p)[0](fl.arb(fl.fmpq(num, 1 << shift)))),
                shift + BALL_PREC,
            )
            if got:
                return got
        v = u_eval_scaled(self.p, num, shift)
        return (v > 0) - (v < 0)

    @property
    def lo(self) -> Fraction:
        return self.exact if self.exact is not None else Fraction(self.num, 2**self.shift)

    @property
    def hi(self) -> Fraction:
        return self.exact if self.exact is not None else Fraction(self.num + 1, 2**self.shift)

    def __float__(self) -> float:
        self.refine(64)
        if self.exact is not None:
            return float(self.exact)
        return float(Fraction(2 * self.num + 1, 2 ** (self.shift + 1)))

    def float_mid(self) -> float:
        if self.exact is not None:
            return float(self.exact)
        return math.ldexp(2 * self.num + 1, -(self.shift + 1))

    def ball(self, fl):
        """The root as an arb ball (``fl`` is the flint module; use inside :func:`ball_eval`)."""
        if self.exact is not None:
            return fl.arb(fl.fmpq(self.exact.numerator, self.exact.denominator))
        e = self.shift + 1
        return fl.arb(fl.fmpq(2 * self.num + 1, 1 << e), fl.fmpq(1, 1 << e))

    def midpoint(self) -> Fraction:
        """A rational point of the current interval (the root itself when it is rational)."""
        if self.exact is not None:
            return self.exact
        return Fraction(2 * self.num + 1, 2 ** (self.shift + 1))

    def refine(self, bits: int) -> None:
        """Shrink the interval to width at most ``2**-bits`` (no-op for exact roots)."""
        if self.exact is not None or self.shift >= bits:
            return
        # Jump-start with floating-point Newton, then verify the bracket exactly.
        if self.shift < FLOAT_BITS <= bits:
            self._float_jump()
        if self.exact is None and self.shift >= FLOAT_BITS and bits - self.shift > 8:
            self._ball_jump(bits)
        while self.shift < bits and self.exact is None:
            if bits - self.shift > 8 and self.shift >= FLOAT_BITS and self._newton_jump(min(bits, 2 * self.shift - 8)):
                continue
            mid = 2 * self.num + 1
            s = self._sign(mid, self.shift + 1)
            if s == 0:
                self.exact = Fraction(mid, 2 ** (self.shift + 1))
                return
            self.shift += 1
            self.num = mid if s == self._sign_lo else 2 * self.num

    def _float_jump(self) -> None:
        """Safeguarded Newton iteration to a double, then an exact check of the bracket it suggests.

        With FLINT the iteration runs in ball arithmetic: near a root, the
        float values of a polynomial with large cancelling coefficients are
        mostly rounding noise, which left the float guess thousands of units
        at ``2**-44`` off (each costing an exact bisection step).
        """
        lo, hi = math.ldexp(self.num, -self.shift), math.ldexp(self.num + 1, -self.shift)
        x = None
        if len(self.p) >= _FLINT_MIN_LENGTH:  # a short polynomial's float values are accurate enough
            x = ball_eval(lambda fl: float(_ball_newton(fl, self.p, lo, hi, self._sign_lo)))
        if x is None:
            x = self._float_newton(lo, hi)
        if x is not None:
            self._try_bracket_float(x, FLOAT_BITS)

    def _float_newton(self, lo: float, hi: float) -> float | None:
        """Safeguarded Newton iteration in floating point from the middle of ``(lo, hi)`` (None: overflow)."""
        try:
            fp = [float(c) for c in self.p]
        except OverflowError:
            return None
        dp = [i * c for i, c in enumerate(fp)][1:]
        s_lo = self._sign_lo
        x = 0.5 * (lo + hi)
        close_enough = math.ldexp(1.0, -FLOAT_BITS - 8)  # far below the bracket's width, far above rounding
        for _ in range(100):
            fx = 0.0
            for c in reversed(fp):
                fx = fx * x + c
            if fx == 0.0:
                break
            if (fx > 0) == (s_lo > 0):
                lo = x
            else:
                hi = x
            dfx = 0.0
            for c in reversed(dp):
                dfx = dfx * x + c
            nx = x - fx / dfx if dfx != 0.0 else 0.5 * (lo + hi)
            if not lo < nx < hi:
                nx = 0.5 * (lo + hi)
            if abs(nx - x) <= close_enough or hi - lo <= 4e-16 * max(abs(x), 1e-300):
                x = nx
                break
            x = nx
        return x

    def _try_bracket_float(self, x: float, bits: int) -> bool:
        """Like :meth:`_try_bracket` for a float guess, in integer arithmetic only."""
        if self.exact is not None or bits <= self.shift:
            return False
        num = math.floor(math.ldexp(x, bits))
        lo_scaled = self.num << (bits - self.shift)
        hi_scaled = (self.num + 1) << (bits - self.shift)
        # Horner's rule in floats can leave the guess some thousand units in the last place off
        # when the coefficients are large; a wider bracket costs only a few more bisection steps.
        for width in (1, 64, 1 << 12, 1 << 20):
            a, b = max(num - width + 1, lo_scaled), min(num + width, hi_scaled)
            if a >= b:
                continue
            sa, sb = self._sign(a, bits), self._sign(b, bits)
            if sa == 0:
                self.exact = Fraction(a, 2**bits)
                return True
            if sb == 0:
                self.exact = Fraction(b, 2**bits)
                return True
            if sa != sb:
                while b - a > 1:
                    m = (a + b) // 2
                    sm = self._sign(m, bits)
                    if sm == 0:
                        self.exact = Fraction(m, 2**bits)
                        return True
                    if sm == sa:
                        a = m
                    else:
                        b = m
                self.num, self.shift, self._sign_lo = a, bits, sa
                return True
        return False

    def _ball_jump(self, bits: int) -> bool:
        """Newton in balls at ``bits + 64`` bits of precision to a guess within ``2**-bits``, then its bracket checked exactly.

        Jumps straight to ``bits``: at the roots of long resultants (3x3x2x2,
        degree 40-60) it replaced two or three exact Newton steps of several
        integer evaluations each, ~1 ms per support where balls at 44 bits were
        too wide to decide (the exact result is the same interval).
        """
        if len(self.p) < _FLINT_MIN_LENGTH:
            return False
        num, shift, sign_lo = self.num, self.shift, self._sign_lo

        def guess(fl):
            x = _ball_newton(fl, self.p, fl.fmpq(num, 1 << shift), fl.fmpq(num + 1, 1 << shift), sign_lo, bits + 8)
            man, exp = x.man_exp()
            return Fraction(int(man) << int(exp)) if exp >= 0 else Fraction(int(man), 1 << -int(exp))

        x = ball_eval(guess, bits + 64)
        return x is not None and self._try_bracket(x, bits)

    def _newton_jump(self, bits: int) -> bool:
        """One exact Newton step from the interval's midpoint ``X / 2**e``, in integers.

        With ``P = 2**(e*d) p(X/2**e)`` and ``P' = 2**(e*(d-1)) p'(X/2**e)`` the step
        lands at ``(X*P' - P) / (P' * 2**e)``.
        """
        X, e = 2 * self.num + 1, self.shift + 1
        dp = u_deriv(self.p)
        dfx = u_eval_scaled(dp, X, e) if dp else 0
        if dfx == 0:
            return False
        x = Fraction(X * dfx - u_eval_scaled(self.p, X, e), dfx << e)
        return self._try_bracket(x, bits)

    def _try_bracket(self, x: Fraction, bits: int) -> bool:
        if not self.lo < x < self.hi:
            return False
        num = math.floor(x * 2**bits)
        for width in (1, 4, 64):
            a, b = num - width + 1, num + width
            sa, sb = self._sign(a, bits), self._sign(b, bits)
            if sa == 0:
                self.exact = Fraction(a, 2**bits)
                return True
            if sb == 0:
                self.exact = Fraction(b, 2**bits)
                return True
            if sa != sb and Fraction(a, 2**bits) >= self.lo and Fraction(b, 2**bits) <= self.hi:
                # narrow [a, b] (a few dyadic steps at the finest level) by bisection
                while b - a > 1:
                    m = (a + b) // 2
                    sm = self._sign(m, bits)
                    if sm == 0:
                        self.exact = Fraction(m, 2**bits)
                        return True
                    if sm == sa:
                        a = m
                    else:
                        b = m
                self.num, self.shift, self._sign_lo = a, bits, sa
                return True
        return False

    def rational(self) -> Fraction | None:
        """The root as a Fraction if it is rational, else None (decided exactly)."""
        if self.exact is not None:
            return self.exact
        if self._rational_checked:
            return None
        self._rational_checked = True
        lead = abs(self.p[-1])
        if len(self.p) == 2:
            self.exact = Fraction(-self.p[0], self.p[1])
            return self.exact
        if no_rational_root(self.p):
            return None
        # A rational root r/s in lowest terms has s | lead; two such numbers differ by >= 1/lead**2.
        bits = 2 * lead.bit_length() + 4
        self.refine(bits)
        if self.exact is not None:
            return self.exact
        cand = Fraction(2 * self.num + 1, 2 ** (self.shift + 1)).limit_denominator(lead)
        if self.lo < cand < self.hi and u_sign_at_rational(self.p, cand) == 0:
            self.exact = cand
            return cand
        return None

    def is_root_of(self, q: Sequence[int], g: Sequence[int] | None = None) -> bool:
        """Exactly whether this root is a root of ``q``; if so, hold it by the (smaller) gcd from now on.

        ``g``, if given, must be ``u_gcd(self.p, q)`` (callers testing many roots
        of one polynomial compute it once).

        ``g = gcd(p, q)`` divides the square-free ``p``, so it has at most the
        one root of ``p`` in the current interval, and it has it exactly when it
        changes sign there. Keeping ``g`` makes later sign tests cheaper, and a
        linear ``g`` makes the root an exact rational.
        """
        if self.exact is not None:
            return u_sign_at_rational(list(q), self.exact) == 0
        if g is None:
            g = u_gcd(self.p, q)
        if len(g) <= 1:
            return False
        if len(g) == 2:
            r = Fraction(-g[0], g[1])
            if self.lo < r < self.hi:
                self.exact = r
                self.p = g
                return True
            return False
        sa = u_sign_at_rational(g, self.lo)
        sb = u_sign_at_rational(g, self.hi)
        if sa != sb:
            self.p = g
            self._sign_lo = sa
            return True
        return False

    def sign_of(self, q: Sequence[int]) -> int:
        """Exact sign of the integer polynomial ``q`` at this root."""
        q = u_trim(list(q))
        if not q:
            return 0
        if self.exact is not None:
            return u_sign_at_rational(q, self.exact)
        d = len(q) - 1
        if d == 0:
            return (q[0] > 0) - (q[0] < 0)
        self.refine(FLOAT_BITS)
        if self.exact is None and len(q) >= _FLINT_MIN_LENGTH:  # short ones: floats are cheaper and enough
            got = ball_eval(lambda fl: ball_sign(fl.arb_poly(q)(self.ball(fl))))
            if got:
                return got
        slope = sum(i * abs(c) for i, c in enumerate(q))  # bound on |q'| over [0, 1]
        # Fast path in floating point: value at the float midpoint, with a rigorous-enough error bound
        # (interval half-width times the slope bound, plus generous rounding error of Horner's rule).
        self.refine(FLOAT_BITS)
        if self.exact is None and slope < 1e250:
            x = self.float_mid()
            v = 0.0
            for c in reversed(q):
                v = v * x + c
            size = float(sum(abs(c) for c in q))
            err = float(slope) * (2.0 ** -(self.shift + 1) + 2.0**-53) * 1.01 + 8 * (d + 1) * 2.2e-16 * size
            if abs(v) > 2 * err:
                return 1 if v > 0 else -1
        dq = u_deriv(q)
        curvature = sum(i * abs(c) for i, c in enumerate(dq))  # bound on |q''| over [0, 1]
        bits = max(self.shift, 60)
        gcd_checked = False
        while True:
            self.refine(bits)
            if self.exact is not None:
                return u_sign_at_rational(q, self.exact)
            e = self.shift + 1
            mid = 2 * self.num + 1
            v = u_eval_scaled(q, mid, e)  # 2**(e*d) q(mid)
            # The root is within h = 2**-e of mid, so |q(root) - q(mid)| <= h * min(slope, |q'(mid)| + h * |q''|max)
            # (Taylor); scaled by 2**(e*d), with 2**(e*(d-1)) q'(mid) exact in integers. The local bound decides
            # far sooner than the global slope when q's coefficients are large and cancel.
            local = abs(u_eval_scaled(dq, mid, e)) + (curvature << (e * (d - 2)) if d >= 2 else 0)
            if abs(v) > min(slope << (e * (d - 1)), local):
                return (v > 0) - (v < 0)
            if not gcd_checked:
                # Still undecided: most often an exact zero, which the gcd decides at once (refining further
                # would never settle it). A root of gcd(p, q) in the interval is this root.
                gcd_checked = True
                g = u_gcd(self.p, q)
                if len(g) > 1:
                    sa = u_sign_at_rational(g, self.lo)
                    sb = u_sign_at_rational(g, self.hi)
                    if sa != sb or sa == 0:
                        return 0
            bits = 2 * bits


class QuadraticRoot:
    """A root of an irreducible integer quadratic, written ``x = (alpha + sqrt(D)) / delta`` with ``delta > 0``.

    Lets a sign be decided with integer arithmetic in ``Z[sqrt(D)]`` instead of
    by refining the root: a value ``a + b*sqrt(D)`` has a sign fixed by the
    signs of ``a`` and ``b`` and, when they differ, by ``a**2 - b**2 * D``.
    Built by :meth:`of` for a :class:`RealRoot` whose polynomial is a quadratic
    with a non-square discriminant; :mod:`._polyreject` also builds rational
    roots as ``beta = 0`` (then ``b`` stays 0 and :meth:`sign` is ``sign(a)``).
    """

    __slots__ = ("D", "alpha", "beta", "delta")

    def __init__(self, alpha: int, beta: int, delta: int, D: int):
        self.alpha, self.beta, self.delta, self.D = alpha, beta, delta, D

    @classmethod
    def of(cls, root: RealRoot) -> QuadraticRoot | None:
        """The closed form of ``root`` when its polynomial is an irreducible quadratic, else None."""
        if root.exact is not None or len(root.p) != 3:
            return None
        C, B, A = root.p
        if A < 0:
            A, B, C = -A, -B, -C
        D = B * B - 4 * A * C
        if D <= 0 or math.isqrt(D) ** 2 == D:
            return None  # a double root or a rational one: not this representation's job
        vertex = Fraction(-B, 2 * A)  # strictly between the two roots
        while root.lo < vertex < root.hi:
            root.refine(root.shift + 1)
        larger = root.lo >= vertex
        return cls(-B, 1 if larger else -1, 2 * A, D)

    def scaled_value(self, p: Sequence[int]) -> tuple[int, int]:
        """``delta**n * p(x)`` as ``(a, b)`` meaning ``a + b*sqrt(D)`` (``n = len(p) - 1``): Horner in integers."""
        alpha, beta, delta, D = self.alpha, self.beta, self.delta, self.D
        if not p:
            return 0, 0
        a, b = p[-1], 0
        power = 1
        for c in reversed(p[:-1]):
            power *= delta
            a, b = a * alpha + b * beta * D + c * power, a * beta + b * alpha
        return a, b

    def sign(self, a: int, b: int) -> int:
        """Exact sign of ``a + b*sqrt(D)``."""
        sa, sb = (a > 0) - (a < 0), (b > 0) - (b < 0)
        if sb == 0 or sa == sb:
            return sa if sa else sb
        if sa == 0:
            return sb
        c = a * a - b * b * self.D  # never 0: D is not a square
        return sa if c > 0 else sb


def surd_mul(x: tuple[int, int], y: tuple[int, int], D: int) -> tuple[int, int]:
    """``(a + b*sqrt(D)) * (c + d*sqrt(D))`` as a pair."""
    return x[0] * y[0] + x[1] * y[1] * D, x[0] * y[1] + x[1] * y[0]


def real_roots_01(p: Sequence[int]) -> list[RealRoot]:
    """Every real root of ``p`` in the open interval (0, 1), in increasing order, each a :class:`RealRoot`."""
    sq = u_sqfree(p)
    if len(sq) <= 1:
        return []
    reduced, exact, intervals = isolate_roots_01(sq)
    roots = [RealRoot(sq, exact=r) for r in exact]
    roots += [RealRoot(reduced, num, shift) for num, shift in intervals]
    roots.sort(key=lambda r: r.lo)
    return roots


# --------------------------------------------------------------------------- resultants


def _interpolate(ys: list[int]) -> list[int]:
    """The integer polynomial taking the values ``ys`` at ``x = 0, 1, ..., len(ys)-1``.

    Newton's forward differences: ``p(x) = sum_j (Delta^j p(0) / j!) * x(x-1)...(x-j+1)``.
    For a polynomial with integer coefficients every ``Delta^j p(0) / j!`` is an
    integer (a sum of coefficients times Stirling numbers), so all of it is
    exact integer arithmetic.
    """
    n = len(ys)
    diffs = list(ys)
    newton = []
    fact = 1
    for j in range(n):
        if j:
            fact *= j
            diffs = [diffs[i + 1] - diffs[i] for i in range(len(diffs) - 1)]
        c, r = divmod(diffs[0], fact)
        if r:
            raise ArithmeticError("interpolated polynomial is not integral")
        newton.append(c)
    poly = [0]
    for j in range(n - 1, -1, -1):
        # poly = poly * (x - j) + newton[j]
        new = [0] * (len(poly) + 1)
        for k, c in enumerate(poly):
            new[k + 1] += c
            new[k] -= c * j
        new[0] += newton[j]
        poly = new
    return u_trim(poly)


def sylvester_resultant(f: Sequence[int], g: Sequence[int], m: int, n: int) -> int:
    """Resultant of two integer polynomials with formal degrees ``m`` and ``n`` (Sylvester determinant)."""
    size = m + n
    if size == 0:
        return 1
    rows = []
    fc = list(f) + [0] * (m + 1 - len(f))
    gc = list(g) + [0] * (n + 1 - len(g))
    for i in range(n):
        row = [0] * size
        for k in range(m + 1):
            row[i + k] = fc[m - k]
        rows.append(row)
    for i in range(m):
        row = [0] * size
        for k in range(n + 1):
            row[i + k] = gc[n - k]
        rows.append(row)
    return bareiss_det(rows)


def resultant2(f: Poly, g: Poly, eliminate: int) -> list[int]:
    """``Res_y(f, g)`` for bivariate ``f, g`` (``y`` = variable ``eliminate``) as a polynomial in the other variable.

    Computed by evaluating the other variable at ``D+1`` integers (``D`` a
    bound on the degree), Sylvester determinants of the integer
    specialisations (formal degrees kept, so evaluation commutes with the
    determinant) and exact interpolation.
    """
    keep = 1 - eliminate
    fl = _flint()
    if fl is not None and hasattr(getattr(fl, "fmpz_mpoly_ctx", None), "get"):  # FLINT's own, 3x to 10x faster
        ctx = fl.fmpz_mpoly_ctx.get(("x0", "x1"))
        r = ctx.from_dict(f.terms).resultant(ctx.from_dict(g.terms), eliminate)
        out = [0] * (r.degrees()[keep] + 1) if not r.is_zero() else []
        for e, c in r.to_dict().items():
            out[e[keep]] = int(c)
        return out
    m, n = f.degree(eliminate), g.degree(eliminate)
    df, dg = max(f.degree(keep), 0), max(g.degree(keep), 0)
    bound = n * df + m * dg
    fco = [c.to_univariate(keep) if not c.is_zero() else [0] for c in f.coeffs_in(eliminate)]
    gco = [c.to_univariate(keep) if not c.is_zero() else [0] for c in g.coeffs_in(eliminate)]
    ys = []
    for x in range(bound + 1):
        fv = [u_eval(c, x) for c in fco]
        gv = [u_eval(c, x) for c in gco]
        ys.append(sylvester_resultant(fv, gv, m, n))
    return _interpolate(ys)


def subresultant1(f: Poly, g: Poly, eliminate: int) -> tuple[list[int], list[int]]:
    """The first subresultant ``S1 = s11(x) * y + s10(x)`` of ``f, g`` with respect to ``y`` (variable ``eliminate``).

    Where ``f(x*, .)`` and ``g(x*, .)`` have exactly one common root and
    ``s11(x*) != 0``, that root is ``y* = -s10(x*) / s11(x*)``: the second
    unknown is a rational function of the first (Collins 1967, "Subresultants
    and reduced polynomial remainder sequences"). ``S1`` is the determinant
    polynomial of the matrix of ``n-1`` shifts of ``f`` and ``m-1`` shifts of
    ``g``; it is computed by evaluation at integers and interpolation.
    """
    keep = 1 - eliminate
    m, n = f.degree(eliminate), g.degree(eliminate)
    if n == 1 or m == 1:
        lin = g if n == 1 else f
        co = lin.coeffs_in(eliminate)
        return _uni(co[1], keep), _uni(co[0], keep)
    fl = _flint()
    if fl is not None and m != n and (min(m, n) == 2 or abs(m - n) == 1):
        got = _subresultant1_chain(fl, f, g, eliminate)
        if got is not None:
            return got
    df, dg = max(f.degree(keep), 0), max(g.degree(keep), 0)
    bound = (n - 1) * df + (m - 1) * dg
    fco = [_uni(c, keep) for c in f.coeffs_in(eliminate)]
    gco = [_uni(c, keep) for c in g.coeffs_in(eliminate)]
    width = m + n - 1
    y1, y0 = [], []
    for x in range(bound + 1):
        fv = [u_eval(c, x) for c in fco][::-1]  # highest power first
        gv = [u_eval(c, x) for c in gco][::-1]
        rows = []
        for i in range(n - 1):
            row = [0] * width
            row[i : i + m + 1] = fv
            rows.append(row)
        for i in range(m - 1):
            row = [0] * width
            row[i : i + n + 1] = gv
            rows.append(row)
        head = [r[: width - 2] for r in rows]
        y1.append(bareiss_det([h + [r[width - 2]] for h, r in zip(head, rows)]))
        y0.append(bareiss_det([h + [r[width - 1]] for h, r in zip(head, rows)]))
    return _interpolate(y1), _interpolate(y0)


def _subresultant1_chain(fl, f: Poly, g: Poly, eliminate: int) -> tuple[list[int], list[int]] | None:
    """:func:`subresultant1` by pseudo-remainders on FLINT polynomials in x (None: use the determinants).

    With ``A, B`` of degrees ``m > n`` in ``y``, ``prem(A, B)`` is the
    subresultant ``S_{n-1}`` up to sign when ``m = n + 1`` or ``n = 2``;
    further down a regular chain (``deg S_j = j``), ``S_{j-1} = prem(S_{j+1},
    S_j) / lc(S_{j+1})**2`` exactly (Collins 1967; Brown & Traub 1971). A
    degree that falls short, or a division that is not exact, sends the pair
    back to the determinants. A sign changes neither ``y = -s10/s11`` nor
    any test (the same ``s11`` is used throughout). Five to ten times faster
    than the determinants.
    """
    keep = 1 - eliminate
    big, small = (f, g) if f.degree(eliminate) > g.degree(eliminate) else (g, f)
    prev = [fl.fmpz_poly(_uni(c, keep)) for c in small.coeffs_in(eliminate)]
    cur = _prem_y([fl.fmpz_poly(_uni(c, keep)) for c in big.coeffs_in(eliminate)], prev)
    j = len(prev) - 2  # cur is S_j
    while j > 1:
        if len(cur) != j + 1:
            return None
        square = prev[-1] ** 2
        nxt = []
        for c in _prem_y(prev, cur):
            q, r = divmod(c, square)
            if not r.is_zero():
                return None
            nxt.append(q)
        prev, cur, j = cur, nxt, j - 1
    cur = cur + [fl.fmpz_poly([])] * (2 - len(cur))
    return _ints(cur[1]), _ints(cur[0])


def _prem_y(a: list, b: list) -> list:
    """Pseudo-remainder of ``a`` by ``b`` (lists of coefficient polynomials, low degree first), trimmed."""
    a = list(a)
    n = len(b) - 1
    lead = b[-1]
    for top in range(len(a) - 1, n - 1, -1):
        c = a[top]
        a = [lead * x for x in a]
        for j in range(n + 1):
            a[top - n + j] -= c * b[j]
        a.pop()
    while a and a[-1].is_zero():
        a.pop()
    return a


def _uni(p: Poly, k: int) -> list[int]:
    return p.to_univariate(k) if not p.is_zero() else []


def u_mul(a: Sequence[int], b: Sequence[int]) -> list[int]:
    if not a or not b:
        return []
    if min(len(a), len(b)) >= _FLINT_MIN_LENGTH:
        fl = _flint()
        if fl is not None:
            q = _ints(fl.fmpz_poly(list(a)) * fl.fmpz_poly(list(b)))
            return q + [0] * (len(a) + len(b) - 1 - len(q))
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def u_add(a: Sequence[int], b: Sequence[int]) -> list[int]:
    if len(a) < len(b):
        a, b = b, a
    out = list(a)
    for i, y in enumerate(b):
        out[i] += y
    return u_trim(out)
