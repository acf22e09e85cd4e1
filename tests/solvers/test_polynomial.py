"""Tests of N-player support enumeration (gametheory.solvers.polynomial).

Every expected answer below comes from outside the solver: a derivation by
hand (written out in the comments), SCENARIOS.md, or a second program
(pygambit's enumpoly, nashpy's vertex enumeration). Every profile the solver
returns is also checked by the independent regret certificate.
"""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

from gametheory.certify import certify
from gametheory.errors import InputError
from gametheory.game import NormalFormGame
from gametheory.solvers import _polyalg
from gametheory.solvers._polyalg import Poly, QuadraticRoot, UPoly
from gametheory.solvers.polynomial import _Dominance, _rank_can_drop, enumerate_polynomial
from gametheory.solvers.pure import pure_equilibria
from tests.support import g1_defaults

F = Fraction


def _all_certified(game, result) -> None:
    for profile in result.profiles:
        assert certify(game, profile).ok, profile


def _close(p, q, tol=1e-6) -> bool:
    return all(abs(float(a) - float(b)) <= tol for ra, rb in zip(p, q) for a, b in zip(ra, rb))


def _game_from_differences(d1, d2, d3) -> NormalFormGame:
    """A 2x2x2 game in which player i's payoff is d_i(...) for its first strategy and 0 for its second.

    ``d_i`` takes the probabilities that the two other players (in cyclic
    order i+1, i+2) put on *their* first strategy, evaluated at pure profiles.
    """
    arrays = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for a, b, c in itertools.product(range(2), repeat=3):
        p, q, r = 1 - a, 1 - b, 1 - c  # "first strategy" indicators
        if a == 0:
            arrays[0][a, b, c] = d1(q, r)
        if b == 0:
            arrays[1][a, b, c] = d2(r, p)
        if c == 0:
            arrays[2][a, b, c] = d3(p, q)
    return NormalFormGame.from_arrays(*arrays)


# --------------------------------------------------------------------------- G1 of SCENARIOS.md


def test_g1_deterrence_game_has_exactly_the_three_documented_equilibria():
    game = g1_defaults()
    result = enumerate_polynomial(game)
    assert result.complete
    assert len(result.profiles) == 3
    assert sorted(result.components) == [0, 1, 2]  # nondegenerate: one component each
    _all_certified(game, result)
    exact = [p for p in result.profiles if all(isinstance(x, Fraction) for row in p for x in row)]
    # E1: (hold, target, stay_out), pure.
    assert ((F(0), F(1)), (F(0), F(1)), (F(0), F(1))) in exact
    # E2 (SCENARIOS.md): deploy; Russia targets with t* = (c_us - m_us)/(n_us - e_us - m_us) = 1/4;
    # the US backstops with b* = (g_r - f_r - w_r + a_r)/x_r = 5/8. Exact rationals.
    assert ((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8))) in exact
    mixed = [p for p in result.profiles if p not in exact]
    assert len(mixed) == 1
    (deploy, _), (accept, _), (backstop, _) = mixed[0]
    assert abs(deploy - 0.8336) < 1e-4 and abs(accept - 0.6502) < 1e-4 and abs(backstop - 0.7248) < 1e-4


def test_g1_fully_mixed_equilibrium_matches_hand_derivation_to_1e12():
    # p = P(deploy), q = P(accept), r = P(backstop); indifference conditions from the payoff table:
    #   Russia: -3p = p(2 - 8r) + 4(1 - p)            =>  p = 4 / (8r - 1)
    #   US:     p(3 - 4q) = 2(1 - p)                   =>  q = (5p - 2)/(4p) = (11 - 8r)/8
    #   Europe: 7qr + 4q(1-r) - 17(1-q)r - 26(1-q)(1-r) = -8(1-q)  =>  -6qr + 22q + 9r - 18 = 0
    # Substituting q: 24r^2 - 85r + 49 = 0, so r = (85 - sqrt(2521))/48 (the other root exceeds 1).
    sympy = pytest.importorskip("sympy")
    r = (85 - sympy.sqrt(2521)) / 48
    q = (11 - 8 * r) / 8
    p = 4 / (8 * r - 1)
    game = g1_defaults()
    result = enumerate_polynomial(game)
    k = next(i for i, prof in enumerate(result.profiles) if not isinstance(prof[0][0], Fraction))
    prof = result.profiles[k]
    for value, expected in ((prof[0][0], p), (prof[1][0], q), (prof[2][0], r)):
        assert abs(value - float(sympy.N(expected, 30))) <= 1e-12
    # the exact forms are sympy text equal to the hand-derived algebraic numbers
    forms = result.stats.exact_forms[k]
    for text, expected in ((forms[0][0], p), (forms[1][0], q), (forms[2][0], r), (forms[2][1], 1 - r)):
        assert sympy.simplify(sympy.sympify(text) - expected) == 0
    # and the rational equilibria read as fractions
    e2 = result.profiles.index(((F(1), F(0)), (F(3, 4), F(1, 4)), (F(5, 8), F(3, 8))))
    assert result.stats.exact_forms[e2] == (("1", "0"), ("3/4", "1/4"), ("5/8", "3/8"))


def test_g1_with_float_payoffs_gives_the_same_equilibria_as_floats():
    exact = enumerate_polynomial(g1_defaults())
    game = g1_defaults().to_float()
    result = enumerate_polynomial(game)
    assert not result.exact
    assert len(result.profiles) == 3
    for p in exact.profiles:
        assert any(_close(p, q, 1e-12) for q in result.profiles)
    _all_certified(game, result)


def test_supports_bookkeeping():
    result = enumerate_polynomial(g1_defaults())
    assert result.stats.supports_total == 27  # 3 non-empty supports per player
    assert result.stats.supports_examined == 27
    assert result.method == "polynomial support enumeration"


def _beats_everywhere(pay, i: int, b: int, a: int, boxes: list) -> bool:
    """Player i's strategy b earns strictly more than a against every opponents' profile in the product of boxes."""
    for rest in itertools.product(*boxes):
        at = list(rest)
        if pay[i][tuple(at[:i] + [b] + at[i:])] <= pay[i][tuple(at[:i] + [a] + at[i:])]:
            return False
    return True


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2), (2, 3, 2, 2)])
def test_dominance_bitsets_agree_with_the_definitions(shape):
    # Small payoffs make ties and dominated strategies common. Each answer of the bitset code is checked
    # against the definition, profile by profile: iterated strict dominance by pure strategies, the
    # conditional dominance of every opponents' support profile (both the array table and the one-by-one
    # look-up), and the pure equilibria of solvers.pure.
    rng = np.random.default_rng(7)
    for _ in range(6):
        arrays = [rng.integers(0, 3, size=shape) for _ in shape]
        pay = np.stack(arrays)
        dom = _Dominance(pay)
        n = len(shape)
        alive = [list(range(m)) for m in shape]
        while True:
            before = [list(a) for a in alive]
            for i in range(n):
                boxes = alive[:i] + alive[i + 1 :]
                alive[i] = [a for a in alive[i] if not any(_beats_everywhere(pay, i, b, a, boxes) for b in alive[i])]
            if alive == before:
                break
        assert dom.alive == alive
        for i in range(n):
            others = [j for j in range(n) if j != i]
            table = dom.table(i)
            for masks in itertools.product(*[range(1, 1 << len(alive[j])) for j in others]):
                boxes = [[s for k, s in enumerate(alive[j]) if m >> k & 1] for j, m in zip(others, masks)]
                expected = sum(
                    1 << k
                    for k, a in enumerate(alive[i])
                    if any(_beats_everywhere(pay, i, b, a, boxes) for b in alive[i] if b != a)
                )
                assert table[tuple(m - 1 for m in masks)] == dom.mask(i, masks) == expected
        assert dom.pure_equilibria() == pure_equilibria(NormalFormGame.from_arrays(*arrays))


# --------------------------------------------------------------------------- textbook games


def test_jordan_three_player_matching_pennies_has_unique_equilibrium_one_half():
    # Jordan (1993): player 1 wants to match player 2, player 2 to match player 3, and player 3
    # to mismatch player 1. Every pure profile has a player who gains by switching (the cycle),
    # and the unique equilibrium is (1/2, 1/2, 1/2).
    arrays = [np.zeros((2, 2, 2), dtype=int) for _ in range(3)]
    for a, b, c in itertools.product(range(2), repeat=3):
        arrays[0][a, b, c] = int(a == b)
        arrays[1][a, b, c] = int(b == c)
        arrays[2][a, b, c] = int(c != a)
    game = NormalFormGame.from_arrays(*arrays)
    result = enumerate_polynomial(game)
    assert result.complete and result.exact
    assert result.profiles == (((F(1, 2), F(1, 2)),) * 3,)


def test_two_totally_mixed_equilibria_the_maximum_for_2x2x2():
    # McKelvey & McLennan (1997, "The maximal number of regular totally mixed Nash equilibria")
    # show a 2x2x2 game has at most 2 totally mixed equilibria. A cyclic game reaching it:
    # player i's gain from its first strategy is d(x, y) = 2 - 9x(1 - y), x and y the next two
    # players' probabilities of their first strategies. Indifference: 9q(1-r) = 9r(1-p) = 9p(1-q) = 2,
    # i.e. q = f(r), r = f(p), p = f(q) with the Moebius map f(x) = 2/(9(1-x)), whose fixed points
    # solve 9x^2 - 9x + 2 = 0: x = 1/3 and x = 2/3. f^3 is Moebius with the same two fixed points,
    # so exactly two totally mixed equilibria: all 1/3 and all 2/3.
    def d(x, y):
        return 2 - 9 * x * (1 - y)

    game = _game_from_differences(d, d, d)
    result = enumerate_polynomial(game)
    assert result.complete
    _all_certified(game, result)
    totally_mixed = [p for p in result.profiles if all(0 < x < 1 for row in p for x in row)]
    third = ((F(1, 3), F(2, 3)),) * 3
    two_thirds = ((F(2, 3), F(1, 3)),) * 3
    assert sorted(totally_mixed) == sorted([third, two_thirds])


def test_degenerate_game_reports_a_continuum_as_one_component():
    # Players 1 (T/B) and 2 (l/r) play matching pennies (u1 = +1 on a match, -1 otherwise,
    # u2 = -u1); player 1 earns 4 more from T when player 3 plays R; player 3 is indifferent
    # (payoff 0). With s = P(R) and q = P(l): player 2 indifferent => P(T) = 1/2; player 1
    # indifferent => 4q - 2 + 4s = 0 => q = 1/2 - s. The equilibria form one connected set,
    # a path of three segments:
    #   A: (1/2; 1/2 - s; s) for s in [0, 1/2]
    #   B: (p; r; s = 1/2) for p in [1/2, 1]  (player 1 indifferent, r a best response iff p >= 1/2)
    #   C: (T; r; s) for s in [1/2, 1]          (T a best response iff 4s - 2 >= 0)
    # whose extreme points are the four profiles below.
    u1 = np.zeros((2, 2, 2), dtype=int)
    u2 = np.zeros((2, 2, 2), dtype=int)
    u3 = np.zeros((2, 2, 2), dtype=int)
    for a, b, c in itertools.product(range(2), repeat=3):
        match = 1 if a == b else -1
        u1[a, b, c] = match + (4 if (a == 0 and c == 1) else 0)
        u2[a, b, c] = -match
    game = NormalFormGame.from_arrays(u1, u2, u3, players=["P1", "P2", "P3"])
    result = enumerate_polynomial(game)
    _all_certified(game, result)
    half = F(1, 2)
    expected = {
        ((half, half), (half, half), (F(1), F(0))),
        ((half, half), (F(0), F(1)), (half, half)),
        ((F(1), F(0)), (F(0), F(1)), (half, half)),
        ((F(1), F(0)), (F(0), F(1)), (F(0), F(1))),
    }
    assert set(result.profiles) == expected
    assert len(set(result.components)) == 1  # one connected component
    pd = result.stats.positive_dimensional
    assert pd and all(entry.dimension == 1 for entry in pd)
    assert any("positive-dimensional" in note for note in result.notes)
    # the interior of segment A is on the full support; its sample point lies on the segment
    full = [e for e in pd if all(len(v) == 2 for v in e.support.values())]
    assert full
    for sample in full[0].samples:
        s = sample[2][1]
        assert sample[0] == (half, half) and sample[1][0] == half - s and 0 < s < half


def test_player_with_constant_payoffs_gives_a_segment():
    # Matching pennies between players 1 and 2, player 3 indifferent: the equilibria are
    # (1/2, 1/2, sigma_3) for every sigma_3, a segment with extreme points sigma_3 = L and R.
    u1 = np.zeros((2, 2, 2), dtype=int)
    for a, b, c in itertools.product(range(2), repeat=3):
        u1[a, b, c] = 1 if a == b else -1
    game = NormalFormGame.from_arrays(u1, -u1, np.zeros((2, 2, 2), dtype=int))
    result = enumerate_polynomial(game)
    half = (F(1, 2), F(1, 2))
    assert set(result.profiles) == {(half, half, (F(1), F(0))), (half, half, (F(0), F(1)))}
    assert result.components[0] == result.components[1]


def test_four_players_each_matching_the_next():
    # Player i gets 1 when it matches player i+1 (mod 4), 0 otherwise. Pure equilibria: everybody
    # plays the same strategy (2 of them). With every player mixing, indifference of player i
    # forces player i+1 to 1/2, so (1/2,1/2,1/2,1/2) is an equilibrium too.
    arrays = [np.zeros((2,) * 4, dtype=int) for _ in range(4)]
    for prof in itertools.product(range(2), repeat=4):
        for i in range(4):
            arrays[i][prof] = int(prof[i] == prof[(i + 1) % 4])
    game = NormalFormGame.from_arrays(*arrays)
    result = enumerate_polynomial(game)
    _all_certified(game, result)
    one, zero, half = F(1), F(0), F(1, 2)
    assert ((one, zero),) * 4 in result.profiles
    assert ((zero, one),) * 4 in result.profiles
    assert ((half, half),) * 4 in result.profiles


# --------------------------------------------------------------------------- limits and errors


def test_timeout_makes_the_result_incomplete():
    rng = np.random.default_rng(3)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(3, 3, 3)) for _ in range(3)])
    result = enumerate_polynomial(game, timeout=0.0)
    assert not result.complete
    assert any("timeout" in note for note in result.notes)
    assert result.stats.supports_examined < result.stats.supports_total


def test_rejects_what_is_not_a_game():
    with pytest.raises(InputError):
        enumerate_polynomial([[1, 2], [3, 4]])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- cross-checks


def test_two_player_games_agree_with_nashpy_vertex_enumeration():
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(11)
    for shape in [(2, 2), (3, 3), (3, 2), (4, 4)]:
        for _ in range(4):
            A = rng.integers(0, 10**6, size=shape)
            B = rng.integers(0, 10**6, size=shape)
            game = NormalFormGame.from_arrays(A, B)
            ours = enumerate_polynomial(game)
            assert ours.complete
            _all_certified(game, ours)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = [(tuple(x), tuple(y)) for x, y in nashpy.Game(A, B).vertex_enumeration()]
            assert len(theirs) == len(ours.profiles)
            for q in theirs:
                assert any(_close(p, q, 1e-9) for p in ours.profiles)


@pytest.mark.slow
@pytest.mark.parametrize("shape,count", [((2, 2, 2), 80), ((3, 2, 2), 60), ((3, 3, 2), 40), ((2, 2, 2, 2), 40)])
def test_finds_every_equilibrium_gambit_finds(shape, count):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(2024)
    for _ in range(count):
        arrays = [rng.integers(0, 100, size=shape) for _ in shape]
        game = NormalFormGame.from_arrays(*arrays)
        ours = enumerate_polynomial(game)
        assert ours.complete
        _all_certified(game, ours)
        gg = gbt.Game.from_arrays(*[np.asarray(a, dtype=object) for a in arrays])
        theirs = gbt.nash.enumpoly_solve(gg, use_strategic=True).equilibria
        for eq in theirs:
            q = [[float(eq[s]) for s in player.strategies] for player in gg.players]
            assert any(_close(p, q) for p in ours.profiles), (arrays, q)


def test_flint_and_pure_python_polynomial_arithmetic_agree(monkeypatch):
    # With python-flint installed, products, gcds, square-free parts, Taylor shifts and determinants run
    # in FLINT; the pure-Python code (used without it) must give the very same integers.
    pytest.importorskip("flint")
    rng = np.random.default_rng(5)
    cases = []
    for n in (3, 9, 17):
        a = [int(v) for v in rng.integers(-(10**12), 10**12, size=n)]
        b = [int(v) for v in rng.integers(-(10**12), 10**12, size=n)]
        g = [int(v) for v in rng.integers(-50, 50, size=4)] + [7]
        sq = _polyalg.u_mul(g, g)
        matrix = [[int(v) for v in row] for row in rng.integers(-(10**9), 10**9, size=(5, 5))]
        cases.append((a, b, _polyalg.u_mul(a, g), _polyalg.u_mul(b, g), _polyalg.u_mul(sq, a), matrix))

    def run():
        out = []
        for a, b, ag, bg, sqa, matrix in cases:
            out.append(
                (
                    _polyalg.u_mul(a, b),
                    _polyalg.u_gcd(ag, bg),
                    _polyalg.u_sqfree(sqa),
                    _polyalg._taylor_shift1(a),
                    _polyalg.bareiss_det(matrix),
                    _polyalg.isolate_roots_01(_polyalg.u_sqfree(_polyalg.u_mul(a, [-1, 2]))),  # a root at 1/2
                )
            )
        return out

    with_flint = run()
    monkeypatch.setattr(_polyalg, "_FLINT", [None])
    assert run() == with_flint


def test_first_subresultant_by_pseudo_remainders_equals_the_determinants(monkeypatch):
    # With FLINT the first subresultant comes from a chain of pseudo-remainders (Collins); without it,
    # from Sylvester-like determinants. Up to its sign (which changes neither y = -s10/s11 nor any test)
    # it must be the same polynomial, for every pair of degrees the chain takes.
    pytest.importorskip("flint")
    rng = np.random.default_rng(3)
    pairs = []
    for m, n in [(3, 2), (2, 3), (4, 2), (5, 4), (4, 5), (4, 3), (6, 5), (6, 2)]:
        f = Poly({(i, j): int(rng.integers(1, 20)) for i in range(4) for j in range(m + 1)}, 2)
        g = Poly({(i, j): int(rng.integers(-20, 20)) or 1 for i in range(4) for j in range(n + 1)}, 2)
        pairs.append((f, g))
    chained = [_polyalg.subresultant1(f, g, 1) for f, g in pairs]
    monkeypatch.setattr(_polyalg, "_FLINT", [None])
    for (f, g), (s11, s10) in zip(pairs, chained):
        r11, r10 = _polyalg.subresultant1(f, g, 1)
        assert (s11, s10) in ((r11, r10), ([-c for c in r11], [-c for c in r10]))
        assert len(s11) > 1  # a genuine polynomial in x, not a degenerate case


def test_ball_arithmetic_rejections_agree_with_exact_arithmetic(monkeypatch):
    # With FLINT, most roots of the eliminated systems are rejected by sign, kernel, rank and
    # best-response conditions decided in ball arithmetic, and equilibria where every condition holds
    # strictly on the balls are accepted without exact checks; roots where a ball contains 0 (here many,
    # from the ties of payoffs in {0, 1, 2}) fall back to the exact checks. Without FLINT every root
    # goes through the exact checks alone. Both must give the very same equilibria.
    pytest.importorskip("flint")
    from gametheory.solvers import polynomial

    # Seeds 15 and 22 have an equilibrium where a kernel vector vanishes (the rank of the linear
    # equations drops) or where a strategy outside the support ties with the support's: a rejection on
    # a ball that contains 0 would lose it (checked by breaking the code so)
    games = []
    for seed, high, shape in [(15, 3, (2, 2, 2, 2)), (22, 3, (2, 2, 2, 2)), (0, 100, (3, 3, 2, 2))]:
        rng = np.random.default_rng(seed)
        games.append([rng.integers(0, high, size=shape) for _ in shape])  # the last: resultants of degree 41
    verdicts = []
    rejects = polynomial._System._ball_verdict

    def spy(self, root):
        verdicts.append(rejects(self, root))
        return verdicts[-1]

    monkeypatch.setattr(polynomial._System, "_ball_verdict", spy)
    with_balls = [enumerate_polynomial(NormalFormGame.from_arrays(*arrays)) for arrays in games]
    assert {True, False, None} <= set(verdicts)  # ball rejections, ball acceptances and the exact fallback ran
    monkeypatch.setattr(_polyalg, "_FLINT", [None])
    exact_only = [enumerate_polynomial(NormalFormGame.from_arrays(*arrays)) for arrays in games]
    for arrays, ours, theirs in zip(games, with_balls, exact_only):
        assert ours.complete and theirs.complete
        assert ours.profiles == theirs.profiles
        _all_certified(NormalFormGame.from_arrays(*arrays), ours)


def test_sign_at_a_root_of_a_polynomial_with_huge_cancelling_coefficients():
    # q = p * w + r with w of huge coefficients: at every root of p, q equals r exactly, so the sign of q
    # there is the sign of the small r (read off in floating point, far from zero). Such q once made the
    # exact sign test refine roots to 120 bits and more; any bound must still give the right sign.
    rng = np.random.default_rng(8)
    checked = 0
    for _ in range(16):
        p = [int(v) for v in rng.integers(-60, 60, size=7)]
        w = [
            int(a) * 10**21 + int(b)
            for a, b in zip(rng.integers(-(10**9), 10**9, size=25), rng.integers(0, 10**9, size=25))
        ]
        r = [int(v) for v in rng.integers(-9, 9, size=3)]
        q = _polyalg.u_add(_polyalg.u_mul(p, w), r)
        for root in _polyalg.real_roots_01(p):
            expected = float(np.polyval(r[::-1], float(root)))
            if abs(expected) > 1e-6:
                assert root.sign_of(q) == (1 if expected > 0 else -1)
                checked += 1
    assert checked >= 3


def test_overdetermined_rows_lose_rank_only_at_a_common_root_of_their_minors():
    # 3x2 matrices of polynomials; by hand, their 2x2 minors and where they all vanish.
    t = UPoly.var()
    one = UPoly.const(1)
    # minors t^2 - 1, t, 2 - t: no common root at all
    assert not _rank_can_drop([[t, one], [one, t], [t, one * 2]], 1)
    # every minor is a multiple of (2t - 1)^2: rank 1 at t = 1/2
    h = t * 2 - 1
    assert _rank_can_drop([[h, one * 0], [one * 0, h], [h, h]], 1)
    x, y, c = Poly.var(0, 2), Poly.var(1, 2), Poly.const(1, 2)
    # minors (x - y)(2x - 1), x - y, -(2x - 1): all vanish at (1/2, 1/2)
    assert _rank_can_drop([[x - y, c * 0], [c * 0, x * 2 - 1], [c, c]], 2)
    # minors x - y, x - 1, y - 1: their only common zero (1, 1) has x outside (0, 1)
    assert not _rank_can_drop([[x, c], [y, c], [c, c]], 2)


def test_overdetermined_supports_are_settled_exactly_and_match_gambit():
    # In a 4x2x2 game the support where player 1 mixes all four strategies and the others two has three
    # equations for player 1 in two unknowns; such supports (also in 4x4x3 games) once went to subdivision,
    # which left one "not settled" (more than 20,000 boxes). Exact rank conditions settle them.
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(7)
    for _ in range(6):
        arrays = [rng.integers(0, 100, size=(4, 2, 2)) for _ in range(3)]
        game = NormalFormGame.from_arrays(*arrays)
        ours = enumerate_polynomial(game)
        assert ours.complete and not any("subdivision" in note for note in ours.notes)
        _all_certified(game, ours)
        gg = gbt.Game.from_arrays(*[np.asarray(a, dtype=object) for a in arrays])
        for eq in gbt.nash.enumpoly_solve(gg, use_strategic=True).equilibria:
            q = [[float(eq[s]) for s in player.strategies] for player in gg.players]
            assert any(_close(p, q) for p in ours.profiles), q


def test_float_payoffs_with_huge_exact_coefficients_do_not_overflow():
    # Float payoffs are solved as the exact binary fractions they are; their integer coefficients
    # exceed the double range, which once made the floating-point shortcut raise OverflowError.
    for seed in range(4):
        rng = np.random.default_rng(seed)
        game = NormalFormGame.from_arrays(*[rng.standard_normal(size=(3, 3, 3)) for _ in range(3)])
        found = enumerate_polynomial(game)
        assert found.complete
        assert found.profiles
        _all_certified(game, found)


def test_quadratic_exact_forms_without_sympy_equal_sympys():
    # Irrational equilibria at a root of a quadratic are written by integer arithmetic in Z[sqrt(D)];
    # the general path (sympy: minimal polynomial of each probability, radicals) must give the same numbers.
    sympy = pytest.importorskip("sympy")
    from gametheory.solvers._polysympy import univariate_forms

    checked = 0
    for seed in range(12):
        rng = np.random.default_rng(seed)
        shape = (2, 2, 2) if seed % 2 else (2, 2, 2, 2)
        game = NormalFormGame.from_arrays(*[rng.integers(0, 30, size=shape) for _ in shape])
        for item in enumerate_polynomial(game).stats.exact_forms._items:
            if not callable(item) or QuadraticRoot.of(item.root) is None:
                continue
            ours = item()
            theirs = univariate_forms(item.shape, item.S, item.unis, item.root)
            for row_a, row_b in zip(ours, theirs):
                for a, b in zip(row_a, row_b):
                    assert sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0, (a, b)
            checked += 1
    assert checked >= 5


def test_g1_fully_mixed_exact_form_text():
    found = enumerate_polynomial(g1_defaults())
    forms = [f for f in found.stats.exact_forms if any("sqrt" in x for row in f for x in row)]
    assert len(forms) == 1
    europe = forms[0][0]
    assert europe[0] == "79/155 + sqrt(2521)/155"  # (79 + sqrt(2521))/155 = 0.8336 (SCENARIOS.md G1)


def _nau_sec6() -> NormalFormGame:
    """Section 6 of Nau, Gomez Canovas and Hansen (2004): a 2x2x4 game whose Nash equilibria form
    one segment, (1/2, 1/2; 1/2, 1/2; t/2, t/2, (1-t)/2, (1-t)/2) for t in [0, 1], with its
    interior on player 3's full support (outcomes in Gambit's order, player 1 fastest)."""
    outcomes = [(2, 0, 0), (0, 2, 1), (0, 1, 1), (1, 0, 2), (1, 0, 2), (0, 1, 1), (0, 2, 1), (2, 0, 0),
                (1, 0, 1), (0, 2, 0), (0, 1, 2), (2, 0, 1), (2, 0, 1), (0, 1, 2), (0, 2, 0), (1, 0, 1)]  # fmt: skip
    arrays = [np.zeros((2, 2, 4), dtype=int) for _ in range(3)]
    for k, payoff in enumerate(outcomes):
        a, b, c = k % 2, (k // 2) % 2, k // 4
        for i in range(3):
            arrays[i][a, b, c] = payoff[i]
    return NormalFormGame.from_arrays(*arrays)


def test_a_lone_equilibrium_on_a_curve_of_solutions_is_not_called_a_continuum():
    # On the support {Top, Bottom} x {Left, Right} x {1, 2} the indifference equations have a
    # curve of solutions, but only t = 1 of the segment above is an equilibrium there.
    from gametheory.solvers._polysympy import solve_support
    from gametheory.solvers.polynomial import _integer_payoffs

    game = _nau_sec6()
    result = solve_support(_integer_payoffs(game), [[0, 1], [0, 1], [0, 1, 2, 3]], ((0, 1), (0, 1), (0, 1)),
                           [0, 1, 2], game.shape, 30.0)  # fmt: skip
    half = (F(1, 2), F(1, 2))
    assert not result.positive_dimensional and result.lone_point
    assert [p.profile for p in result.points] == [(half, half, (F(1, 2), F(1, 2), F(0), F(0)))]


def test_components_are_stated_only_for_a_complete_enumeration():
    from gametheory.solvers import solve

    rng = np.random.default_rng(3)
    game = NormalFormGame.from_arrays(*[rng.integers(0, 100, size=(3, 3, 3)) for _ in range(3)])
    found = enumerate_polynomial(game, timeout=0.0)
    assert not found.complete and found.profiles  # pure equilibria come before the support search
    solution = solve(game, "polynomial", timeout=1e-9)
    assert not solution.complete and solution.equilibria
    assert all(eq.component is None for eq in solution.equilibria)


def test_rounded_ratios_are_python_s_correctly_rounded_integer_ratios(monkeypatch):
    # Probabilities at irrational roots are ratios of weight polynomials' values, shown as doubles.
    # Balls give them without the huge integers of _scaled_weights, and must give the very doubles
    # that Python's correctly rounded integer division gives; a ratio exactly halfway between two
    # doubles (which no ball can place) must fall back to the integers and round half to even.
    pytest.importorskip("flint")
    from gametheory.solvers import polynomial

    exact_calls = []
    scaled = polynomial._scaled_weights
    monkeypatch.setattr(polynomial, "_scaled_weights", lambda unis, t: exact_calls.append(t) or scaled(unis, t))

    def by_integers(unis, t):
        return {j: [v / sum(nums) for v in nums] for j, nums in scaled(unis, t).items()}

    rng = np.random.default_rng(3)
    for _ in range(10):
        unis = {
            j: [[int(c) << 400 for c in rng.integers(1, 2**40, size=67)] for _ in range(n)]
            for j, n in enumerate((2, 3))
        }
        t = Fraction(int(rng.integers(1, 2**62)) << 470 | 1, 2**533)
        assert polynomial._rounded_ratios(unis, t, {}) == by_integers(unis, t)
    assert exact_calls == []  # every ratio was told by its ball
    halfway = {0: [[2**53 + 1] + [0] * 8, [2**53 - 1] + [0] * 8]}  # 1/2 + 2**-54 lies between 1/2 and 1/2 + 2**-53
    assert polynomial._rounded_ratios(halfway, Fraction(1, 3), {}) == {0: [0.5, 0.5 - 2**-54]}
    assert exact_calls == [Fraction(1, 3)]


def test_refining_far_beyond_a_double_brackets_the_root_as_exact_newton_steps_do(monkeypatch):
    # Beyond FLOAT_BITS a root is refined by Newton in balls straight to the wanted width, the bracket
    # then checked exactly; without that jump, by exact Newton steps. Both must give the same interval,
    # and it must hold the root: 1/sqrt(2) (2 x^2 - 1 = 0) and 1/3, times a degree-38 factor.
    pytest.importorskip("flint")
    rng = np.random.default_rng(5)
    other = [int(c) for c in rng.integers(1, 2**60, size=39)]  # positive coefficients: no root in (0, 1)
    jump = _polyalg.RealRoot._ball_jump
    for factor, inside in [([-1, 0, 2], lambda x: 2 * x * x < 1), ([-1, 3], lambda x: 3 * x < 1)]:
        intervals = []
        for use_jump in (True, False):
            jumps: list = []

            def spy(self, bits, use_jump=use_jump, jumps=jumps):
                jumps.append(use_jump and jump(self, bits))
                return jumps[-1]

            monkeypatch.setattr(_polyalg.RealRoot, "_ball_jump", spy)
            (root,) = _polyalg.real_roots_01(_polyalg.u_mul(factor, other))
            root.refine(300)
            assert root.exact is None and root.shift == 300 and inside(root.lo) and not inside(root.hi)
            assert jumps == [use_jump]  # tried once; succeeded when allowed
            intervals.append((root.num, root.shift))
        assert intervals[0] == intervals[1]


def test_signs_at_dyadic_points_in_balls_are_the_exact_signs(monkeypatch):
    # Refinement brackets a root by signs of p at dyadic points, taken from a ball when it excludes 0;
    # they must be the integers' signs, also right next to the roots, and at a root itself (3/8) the
    # ball cannot exclude 0: only there are the integers needed.
    pytest.importorskip("flint")
    rng = np.random.default_rng(6)
    p = _polyalg.u_mul([-3, 8], _polyalg.u_mul([-1, 0, 2], [int(c) for c in rng.integers(-(2**60), 2**60, size=39)]))
    root = _polyalg.RealRoot(p, 0, 0)
    points = [(3, 3), (2**199, 200)]  # 3/8 and 1/2
    points += [(int(n), 64) for n in rng.integers(0, 2**63, size=20)]
    points += [(math.isqrt(2**401) + d, 201) for d in (-1, 0, 1, 2)]  # around 1/sqrt(2), 2**-201 apart
    exact = _polyalg.u_eval_scaled
    fallbacks = []
    monkeypatch.setattr(_polyalg, "u_eval_scaled", lambda *args: fallbacks.append(args[1:]) or exact(*args))
    for num, shift in points:
        v = exact(p, num, shift)
        assert root._sign(num, shift) == (v > 0) - (v < 0)
    assert fallbacks == [(3, 3)]
