"""An exact integer test that rules out supports where three players mix, before the general path.

On 2x2x2x2 and 3x3x2x2 games the supports where three players mix two
strategies each, or one of them three, are among the most numerous (about 5
and 50 per game) and almost none carries an equilibrium. The general path
(:meth:`polynomial._Enumerator.polynomial`) builds their equations by numpy
contractions of polynomial objects and checks each root in ball arithmetic:
250 to 350 us per support, nearly all of it fixed cost on tensors of 8 to 12
entries. After the same elimination these systems are a quadratic in one
unknown with integer coefficients, so here every sign at its roots is
decided exactly in ``Z[sqrt(D)]`` in plain Python integers (numpy calls on
such tiny arrays cost more than the arithmetic): about 50 us per support.
(The same test where only two players mix, with no unknown left, was
measured at 18 us per support against 27 us for the exact linear path it
would spare: not worth the code.)

Only "no equilibrium here" is decided: a support these tests cannot rule out
goes to the general path, which finds and certifies its equilibria.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._polyalg import QuadraticRoot, u_add, u_mul


def _sign_at(root: QuadraticRoot, p: Sequence[int]) -> int:
    """Exact sign of the integer polynomial ``p`` at the root."""
    return root.sign(*root.scaled_value(p))


def _inside_01(root: QuadraticRoot) -> bool | None:
    """Whether the root lies in the open interval (0, 1); None when it is 0 or 1 exactly."""
    above0, below1 = _sign_at(root, (0, 1)), _sign_at(root, (-1, 1))
    if above0 == 0 or below1 == 0:
        return None
    return above0 > 0 and below1 < 0


def _roots(p: Sequence[int]) -> list[QuadraticRoot] | None:
    """The real roots of ``p0 + p1 x + p2 x^2`` (None when p is identically zero); rational ones with ``beta = 0``."""
    p0, p1, p2 = p
    if p2 < 0 or (p2 == 0 and p1 < 0):
        p0, p1, p2 = -p0, -p1, -p2
    if p2 == 0:
        return [QuadraticRoot(-p0, 0, p1, 0)] if p1 else [] if p0 else None
    D = p1 * p1 - 4 * p0 * p2
    if D < 0:
        return []
    s = math.isqrt(D)
    if s * s == D:
        return [QuadraticRoot(-p1 + s, 0, 2 * p2, 0)] + ([QuadraticRoot(-p1 - s, 0, 2 * p2, 0)] if s else [])
    return [QuadraticRoot(-p1, 1, 2 * p2, D), QuadraticRoot(-p1, -1, 2 * p2, D)]


def _vector_sign(root: QuadraticRoot, vec: list[list[int]]) -> int | None:
    """Sign of a kernel vector's entries at the root: +1/-1 when common, 0 when some differ or one is zero.

    None when all are zero (the rank of the equations that gave the vector drops there).
    """
    signs = [_sign_at(root, p) for p in vec]
    if not any(signs):
        return None
    return signs[0] if all(sg == signs[0] for sg in signs) else 0


def _dot(row: list, vec: list) -> list[int]:
    out: list[int] = []
    for p, q in zip(row, vec):
        out = u_add(out, u_mul(p, q))
    return out


def _kernel(matrix: list[list]) -> list[list[int]]:
    """The signed maximal minors of a 1 x 2 or 2 x 3 matrix of polynomials (as :func:`._polyalg.kernel_vector`)."""
    if len(matrix) == 1:
        r = matrix[0]
        return [r[1], [-c for c in r[0]]]
    out = []
    for k in range(3):
        (p, q), (u, v) = ([row[c] for c in range(3) if c != k] for row in matrix)
        minor = u_add(u_mul(p, v), [-c for c in u_mul(q, u)])
        out.append(minor if k % 2 == 0 else [-c for c in minor])
    return out


def _combine(coeffs: list[int], vec: list[list[int]]) -> list[int]:
    """``sum_z coeffs[z] * vec[z]``: integers times polynomials."""
    out = [0] * max(len(p) for p in vec)
    for c, p in zip(coeffs, vec):
        if c:
            for n, x in enumerate(p):
                out[n] += c * x
    return out


def _contract(node, vecs: list) -> list[int]:
    """A payoff block (nested lists, one level per vector) contracted with vectors of polynomials in ``t``."""
    if len(vecs) == 1:
        return _combine(node, vecs[0])
    out: list[int] = []
    for entry, p in zip(node, vecs[0]):
        out = u_add(out, u_mul(_contract(entry, vecs[1:]), p))
    return out


def _rows(block: np.ndarray, support: tuple, axes: list[int], keep: int, vec: list) -> list[list]:
    """A player's equations ``u(s) - u(s0) = 0`` as rows over ``keep``'s probabilities, the other axis contracted with ``vec``.

    ``axes`` are the two other mixing players, in the order of the block's axes 1 and 2.
    """
    base = block[support[0]]
    out = []
    for s in support[1:]:
        diff = (block[s] - base).tolist()
        if axes[1] == keep:
            diff = list(zip(*diff))
        out.append([_combine(entry, vec) for entry in diff])
    return out


def _deviation_pays(root: QuadraticRoot, blocks, S, mixed, vecs: dict, signs: dict) -> bool | None:
    """True when some player certainly gains by a strategy outside its support at the root.

    ``vecs[j]`` are the mixing players' (unnormalised) probability vectors,
    ``signs[j]`` the sign of their sum. None when some gain is exactly zero
    (then the general path decides), False when every deviation certainly loses.
    """
    decided = True
    for i, block in enumerate(blocks):
        outside = [s for s in range(block.shape[0]) if s not in S[i]]
        if not outside:
            continue
        others = [j for j in mixed if j != i]
        vectors = [vecs[j] for j in others]
        scale = 1
        for j in others:
            scale *= signs[j]
        base = block[S[i][0]]
        for s in outside:
            sg = _sign_at(root, _contract((block[s] - base).tolist(), vectors)) * scale
            if sg > 0:
                return True
            decided = decided and sg != 0
    return False if decided else None


def three_applies(S: tuple, mixed: list[int]) -> bool:
    """Whether :func:`three_no_equilibrium` handles the support: three players mix, two of them two strategies.

    The third mixes two or three.
    """
    sizes = sorted(len(S[j]) for j in mixed)
    return len(sizes) == 3 and sizes[:2] == [2, 2] and sizes[2] <= 3


def three_no_equilibrium(blocks: list[np.ndarray], S: tuple, mixed: list[int]) -> bool:
    """True when the support certainly has no equilibrium (see :func:`three_applies` for the supports handled).

    The same elimination as the general path (see
    :meth:`polynomial._Enumerator.polynomial`): the players ``a`` (the one with
    most strategies), ``b`` and ``f``, whose probabilities are ``(t, 1 - t)``.
    The first of ``a``'s equations gives ``b``'s probabilities as the kernel
    vector ``nu_b(t)``; ``b``'s equation and, when ``a`` has three strategies,
    ``f``'s give ``a``'s as ``nu_a(t)``; the one equation left is a quadratic
    ``P(t)``. Every equilibrium on the support has ``t`` at a root of ``P`` in
    (0, 1) where ``nu_b`` is zero or of one sign, and so is ``nu_a`` when it
    is defined there (always when ``a`` has two strategies; when it has three,
    only where ``nu_b`` is not zero): a kernel vector that is not zero spans
    the probabilities. Where neither is zero the point is unique and no
    strategy outside the support may earn more. False means "cannot tell".
    """
    a, b, f = sorted(mixed, key=lambda j: -len(S[j]))
    tau = [[0, 1], [1, -1]]
    rows_a = _rows(blocks[a], S[a], [j for j in mixed if j != a], b, tau)
    nu_b = _kernel(rows_a[:1])
    f_rows = _rows(blocks[f], S[f], [j for j in mixed if j != f], a, nu_b)
    rows_b = _rows(blocks[b], S[b], [j for j in mixed if j != b], a, tau)
    f_rows_in_nu_a = len(rows_a) == 2
    if f_rows_in_nu_a:
        nu_a = _kernel(rows_b + f_rows)
        P = _dot(rows_a[1], nu_b)
    else:
        nu_a = _kernel(rows_b)
        P = _dot(f_rows[0], nu_a)
    if not any(c for p in nu_a for c in p) or not any(c for p in nu_b for c in p):
        return False  # a kernel vector vanishes identically: left to the general path
    if any(P[3:]):
        return False  # not a quadratic (cannot happen: rows and kernel vectors are linear in t)
    roots = _roots((P + [0, 0, 0])[:3])
    if roots is None:
        return False
    vecs = {a: nu_a, b: nu_b, f: tau}
    for root in roots:
        inside = _inside_01(root)
        if inside is None:
            return False
        if not inside:
            continue
        sb = _vector_sign(root, nu_b)
        if sb == 0:
            continue  # b's probabilities would not all be positive
        if sb is None and f_rows_in_nu_a:
            return False  # nu_a was built from f's equation at sigma_b = nu_b, which is zero here
        sa = _vector_sign(root, nu_a)
        if sa == 0:
            continue
        if sa is None or sb is None:
            return False
        if _deviation_pays(root, blocks, S, mixed, vecs, {a: sa, b: sb, f: 1}) is not True:
            return False
    return True
