"""Tests of gametheory.solvers.bimatrix: every extreme equilibrium of 2-player games, exactly.

Answers come from outside the code under test: textbook games solved by hand
(derivations in the comments), pygambit's ``enummixed_solve``, nashpy's
``vertex_enumeration``, the module's independent support-enumeration method,
and the regret certificate of :mod:`gametheory.certify`.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.certify import certify
from gametheory.errors import InputError
from gametheory.game import NormalFormGame
from gametheory.solvers import bimatrix
from gametheory.solvers.bimatrix import (
    enumerate_bimatrix,
    enumerate_bimatrix_matching,
    enumerate_bimatrix_supports,
    lemke_howson_all,
)

F = Fraction


def game(A, B) -> NormalFormGame:
    return NormalFormGame.from_arrays(A, B)


def prof(x, y):
    """A profile from rationals written as ints, Fractions or 'p/q' strings."""
    return (tuple(F(v) for v in x), tuple(F(v) for v in y))


def assert_well_formed(g: NormalFormGame, result) -> None:
    """Checks every exact enumeration must pass: certified, distinct, sorted, components and cliques consistent."""
    assert len(result.profiles) == len(result.components) >= 1  # Nash: at least one equilibrium
    assert len(set(result.profiles)) == len(result.profiles)
    for p in result.profiles:
        cert = certify(g, p)
        assert cert.exact and cert.ok, p
    keys = [x + y for x, y in result.profiles]
    assert keys == sorted(keys, reverse=True)
    # components numbered 0, 1, ... in order of first appearance
    seen: list[int] = []
    for c in result.components:
        if c not in seen:
            assert c == len(seen)
            seen.append(c)
    cliques = result.stats.cliques
    covered = set()
    for clique in cliques:
        xs, ys = clique.strategies
        members = {result.profiles[k] for k in clique.profiles}
        assert members == {(x, y) for x in xs for y in ys}
        assert {result.components[k] for k in clique.profiles} == {clique.component}
        covered |= set(clique.profiles)
    assert covered == set(range(len(result.profiles)))


# --------------------------------------------------------------- textbook games

TEXTBOOK = {
    # Prisoner's dilemma (C, D), T=5 > R=3 > P=1 > S=0: D strictly dominates C, so (D, D) is the only equilibrium.
    "prisoners_dilemma": (
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        [(prof([0, 1], [0, 1]), 0)],
    ),
    # Matching pennies: no pure equilibrium; each player must make the other indifferent: 1/2 each.
    "matching_pennies": (
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        [(prof(["1/2", "1/2"], ["1/2", "1/2"]), 0)],
    ),
    # Battle of the sexes (2,1)/(1,2): two pure equilibria; in the mixed one the column player's q on
    # column 1 makes the row player indifferent: 2q = 1 - q -> q = 1/3; the row player's p: p = 2(1-p) -> p = 2/3.
    "battle_of_the_sexes": (
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        [
            (prof([1, 0], [1, 0]), 0),
            (prof(["2/3", "1/3"], ["1/3", "2/3"]), 1),
            (prof([0, 1], [0, 1]), 2),
        ],
    ),
    # Chicken (Swerve, Straight): (S,S)=0, S vs T = -1/+1, (T,T) = -10. Pure: the two asymmetric profiles.
    # Mixed: against q = P(Swerve), Swerve gives -(1-q), Straight gives q - 10(1-q): equal at q = 9/10.
    "chicken": (
        [[0, -1], [1, -10]],
        [[0, 1], [-1, -10]],
        [
            (prof([1, 0], [0, 1]), 0),
            (prof(["9/10", "1/10"], ["9/10", "1/10"]), 1),
            (prof([0, 1], [1, 0]), 2),
        ],
    ),
    # Hawk-dove with V=2, C=4 (Maynard Smith): HH=(V-C)/2=-1, HD=V=2, DD=V/2=1. Mixed ESS: P(Hawk) = V/C = 1/2.
    "hawk_dove": (
        [[-1, 2], [0, 1]],
        [[-1, 0], [2, 1]],
        [
            (prof([1, 0], [0, 1]), 0),
            (prof(["1/2", "1/2"], ["1/2", "1/2"]), 1),
            (prof([0, 1], [1, 0]), 2),
        ],
    ),
    # Stag hunt (Stag, Hare): stag pays 4 if both hunt it, hare pays 3 regardless.
    # Mixed: 4q = 3 -> q = 3/4 on Stag for both.
    "stag_hunt": (
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        [
            (prof([1, 0], [1, 0]), 0),
            (prof(["3/4", "1/4"], ["3/4", "1/4"]), 1),
            (prof([0, 1], [0, 1]), 2),
        ],
    ),
    # Rock-paper-scissors: the unique equilibrium is uniform.
    "rock_paper_scissors": (
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        [(prof(["1/3"] * 3, ["1/3"] * 3), 0)],
    ),
    # Weighted rock-paper-scissors, zero-sum with the skew-symmetric A = [[0,-a,b],[a,0,-c],[-b,c,0]],
    # a, b, c = 1, 2, 3. The value is 0 and an optimal y solves A y = 0: -a y2 + b y3 = 0, a y1 = c y3,
    # so y is proportional to (c, b, a) = (3, 2, 1): (1/2, 1/3, 1/6); by skew-symmetry the same for x.
    # It is the only equilibrium: y^T A y = 0 forces y_i (A y)_i = 0 for all i, and no pure or
    # two-strategy profile is an equilibrium (each strategy is beaten by another).
    "weighted_rps": (
        [[0, -1, 2], [1, 0, -3], [-2, 3, 0]],
        [[0, 1, -2], [-1, 0, 3], [2, -3, 0]],
        [(prof(["1/2", "1/3", "1/6"], ["1/2", "1/3", "1/6"]), 0)],
    ),
    # von Stengel (2007, AGT ch. 3, the 3x2 example of Sec. 3.2-3.5), nondegenerate, three equilibria:
    # * (top, left): A column 1 = (3, 2, 0) -> top best; B row 1 = (3, 2) -> left best.
    # * x = (4/5, 1/5, 0): B^T x = (12/5 + 2/5, 8/5 + 6/5) = (14/5, 14/5); y = (2/3, 1/3): A y = (3, 3, 2).
    # * x = (0, 1/3, 2/3): B^T x = (2/3 + 2, 2 + 2/3) = (8/3, 8/3); y = (1/3, 2/3): A y = (3, 4, 4).
    "von_stengel_3x2": (
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        [
            (prof([1, 0, 0], [1, 0]), 0),
            (prof(["4/5", "1/5", 0], ["2/3", "1/3"]), 1),
            (prof([0, "1/3", "2/3"], ["1/3", "2/3"]), 2),
        ],
    ),
    # The degenerate variant of the same example (von Stengel 2007, Sec. 3.4): B's top row becomes (3, 3),
    # so the pure strategy "top" has two best responses. Hand solution:
    # * top is a best response to y = (q, 1-q) iff 3 >= 2q + 5(1-q) and 3 >= 6(1-q), i.e. q >= 2/3; both
    #   columns are best responses to top: a segment of equilibria from ((1,0,0),(1,0)) to ((1,0,0),(2/3,1/3)).
    # * rows 2, 3 are unchanged: ((0,1/3,2/3),(1/3,2/3)) is still an (isolated) equilibrium.
    # * x with support {top, middle}: B^T x = (3x1 + 2x2, 3x1 + 6x2) -> only right, and A's right column
    #   (3, 5, 6) then makes bottom the best: no equilibrium; other supports likewise fail.
    "von_stengel_degenerate": (
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        [
            (prof([1, 0, 0], [1, 0]), 0),
            (prof([1, 0, 0], ["2/3", "1/3"]), 0),
            (prof([0, "1/3", "2/3"], ["1/3", "2/3"]), 1),
        ],
    ),
    # Entry deterrence in normal form: entrant (Out, In), incumbent (Fight, Accommodate).
    # Out -> (0, 2) whatever the incumbent plans; In -> Fight (-1, -1), Accommodate (1, 1).
    # (In, Accommodate) is an isolated equilibrium. Out is a best response iff entering pays at most 0:
    # -f + (1 - f) <= 0, i.e. the incumbent fights with probability f >= 1/2, and any f is a best
    # response to Out: one component with extreme points f = 1 and f = 1/2.
    "entry_deterrence": (
        [[0, 0], [-1, 1]],
        [[2, 2], [-1, 1]],
        [
            (prof([1, 0], [1, 0]), 0),
            (prof([1, 0], ["1/2", "1/2"]), 0),
            (prof([0, 1], [0, 1]), 1),
        ],
    ),
    # Nobody cares: every profile is an equilibrium, one component whose extreme points are the pure profiles.
    "all_ties": (
        [[1, 1], [1, 1]],
        [[1, 1], [1, 1]],
        [
            (prof([1, 0], [1, 0]), 0),
            (prof([1, 0], [0, 1]), 0),
            (prof([0, 1], [1, 0]), 0),
            (prof([0, 1], [0, 1]), 0),
        ],
    ),
    # Matching pennies with the row player's "heads" duplicated: the column player must still mix 1/2-1/2,
    # and the row player puts total weight 1/2 on the two copies of heads in any split: a segment between
    # (1/2, 0, 1/2) and (0, 1/2, 1/2).
    "duplicated_strategy": (
        [[1, -1], [1, -1], [-1, 1]],
        [[-1, 1], [-1, 1], [1, -1]],
        [
            (prof(["1/2", 0, "1/2"], ["1/2", "1/2"]), 0),
            (prof([0, "1/2", "1/2"], ["1/2", "1/2"]), 0),
        ],
    ),
    # One player with a single strategy: the other just best-responds (ties -> a segment).
    "one_row": (
        [[5, 5, 5]],
        [[1, 3, 3]],
        [(prof([1], [0, 1, 0]), 0), (prof([1], [0, 0, 1]), 0)],
    ),
}


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_textbook_games(name):
    A, B, expected = TEXTBOOK[name]
    g = game(A, B)
    result = enumerate_bimatrix(g)
    assert result.complete and result.exact and result.method == "enumerate"
    assert list(zip(result.profiles, result.components)) == expected
    assert all(isinstance(v, Fraction) for p in result.profiles for s in p for v in s)
    assert_well_formed(g, result)


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_textbook_games_second_algorithm(name):
    A, B, expected = TEXTBOOK[name]
    g = game(A, B)
    result = enumerate_bimatrix_supports(g)
    assert result.complete
    assert list(zip(result.profiles, result.components)) == expected
    assert_well_formed(g, result)


def test_maximal_nash_subsets_of_degenerate_games():
    # von Stengel's degenerate game: the segment is one clique {top} x {left, (2/3, 1/3)}.
    r = enumerate_bimatrix(game(*TEXTBOOK["von_stengel_degenerate"][:2]))
    cliques = [(c.component, c.strategies) for c in r.stats.cliques]
    assert cliques == [
        (0, ((prof([1, 0, 0], [1, 0])[0],), (prof([1, 0, 0], [1, 0])[1], prof([1, 0, 0], ["2/3", "1/3"])[1]))),
        (1, ((prof([0, "1/3", "2/3"], [1, 0])[0],), (prof([1], ["1/3", "2/3"])[1],))),
    ]
    # all ties: the whole square is one maximal Nash subset {e1, e2} x {e1, e2}
    r = enumerate_bimatrix(game([[1, 1], [1, 1]], [[1, 1], [1, 1]]))
    assert len(r.stats.cliques) == 1
    xs, ys = r.stats.cliques[0].strategies
    assert set(xs) == set(ys) == {(F(1), F(0)), (F(0), F(1))}


def test_two_cliques_in_one_component():
    # Row player indifferent everywhere; the column player is indifferent against row 1 and prefers
    # column 1 against row 2. Equilibria: {row 1} x {any y} and {any x} x {column 1}: two segments that
    # meet at (row 1, column 1): one component, two maximal Nash subsets.
    g = game([[0, 0], [0, 0]], [[1, 1], [1, 0]])
    r = enumerate_bimatrix(g)
    assert set(r.profiles) == {prof([1, 0], [1, 0]), prof([1, 0], [0, 1]), prof([0, 1], [1, 0])}
    assert set(r.components) == {0}
    subsets = {(frozenset(c.strategies[0]), frozenset(c.strategies[1])) for c in r.stats.cliques}
    e1, e2 = (F(1), F(0)), (F(0), F(1))
    assert subsets == {(frozenset([e1]), frozenset([e1, e2])), (frozenset([e1, e2]), frozenset([e1]))}
    assert_well_formed(g, r)


@pytest.mark.parametrize("partners", [True, False])
def test_degenerate_faces_of_partners_by_hand(partners, monkeypatch):
    """Both mixed vertices of the row player are degenerate, each completed by a segment of the column
    player's polytope (the face walk of _vertices.face_vertices; or, not forced, label matching).

    Column payoffs (x0, x0, x1): columns 1 and 2 tie whenever row 1 is played, and all three at
    x = (1/2, 1/2). Row payoffs (2 y0, 2 y1 + y2). Against x = (1, 0) any y on columns 1, 2 with
    y0 >= y1 keeps row 1 best: the segment from (1, 0, 0) to (1/2, 1/2, 0). At x = (1/2, 1/2) both
    rows must tie: 2 y0 = 2 y1 + y2, the segment from (1/2, 1/2, 0) to (1/3, 0, 2/3). Between the two
    x's, columns 1 and 2 are the best responses and rows tie only at y = (1/2, 1/2, 0). For x0 < 1/2
    column 3 alone is best, so row 2: the isolated equilibrium (row 2, column 3).
    """
    faces = []
    if partners:
        monkeypatch.setattr(bimatrix, "DEGENERATE_SHARE", 1.0)
        walk = bimatrix.face_vertices
        monkeypatch.setattr(bimatrix, "face_vertices", lambda *a: faces.append(a) or walk(*a))
    r = enumerate_bimatrix(game([[2, 0, 0], [0, 2, 1]], [[1, 1, 0], [0, 0, 1]]))
    assert bool(faces) is partners
    top, half, bottom = (F(1), F(0)), (F(1, 2), F(1, 2)), (F(0), F(1))
    left, middle, mixed, right = (
        (F(1), F(0), F(0)),
        (F(1, 2), F(1, 2), F(0)),
        (F(1, 3), F(0), F(2, 3)),
        (F(0), F(0), F(1)),
    )
    assert list(r.profiles) == [(top, left), (top, middle), (half, middle), (half, mixed), (bottom, right)]
    assert r.components == (0, 0, 0, 0, 1)
    subsets = {(frozenset(c.strategies[0]), frozenset(c.strategies[1])) for c in r.stats.cliques}
    assert subsets == {
        (frozenset([top]), frozenset([left, middle])),
        (frozenset([top, half]), frozenset([middle])),
        (frozenset([half]), frozenset([middle, mixed])),
        (frozenset([bottom]), frozenset([right])),
    }


def test_mixtures_inside_a_clique_are_equilibria():
    g = game(*TEXTBOOK["duplicated_strategy"][:2])
    r = enumerate_bimatrix(g)
    (clique,) = r.stats.cliques
    (x1, x2), (y,) = clique.strategies
    for t in (F(1, 3), F(1, 2), F(5, 7)):
        x = tuple(t * a + (1 - t) * b for a, b in zip(x1, x2))
        assert certify(g, (x, y)).ok


def test_rational_payoffs_stay_exact():
    # Battle of the sexes scaled by 1/3 and shifted by 1/7 per player has the same equilibria.
    A = [[F(2, 3) + F(1, 7), F(1, 7)], [F(1, 7), F(1, 3) + F(1, 7)]]
    B = [[F(1, 3) - F(1, 7), -F(1, 7)], [-F(1, 7), F(2, 3) - F(1, 7)]]
    r = enumerate_bimatrix(game(A, B))
    assert list(r.profiles) == [p for p, _ in TEXTBOOK["battle_of_the_sexes"][2]]


def test_float_payoffs_give_floats_read_as_decimals():
    # 0.1 + 0.2 != 0.3 in binary floats, but the payoffs are read as the decimals the user wrote,
    # so the tie between the row player's rows is kept: a segment, as in the exact game.
    A = np.array([[0.1 + 0.2, 0.0], [0.3, 0.0]])
    B = np.array([[1.0, 0.0], [1.0, 0.0]])
    g = game(A, B)
    assert not g.exact
    r = enumerate_bimatrix(g)
    assert not r.exact and r.complete
    assert all(type(v) is float for p in r.profiles for s in p for v in s)
    assert all(certify(g, p).ok for p in r.profiles)
    # an irrational-payoff game: matches the exact solution of its decimal reading within 1e-12
    A = np.sqrt([[4.0, 1.0], [2.0, 3.0]])
    g = game(A, -A)
    ((x, y),) = enumerate_bimatrix(g).profiles
    a, b, c, d = A.ravel()
    assert x[0] == pytest.approx((d - c) / (a - b - c + d), abs=1e-12)
    assert y[0] == pytest.approx((d - b) / (a - b - c + d), abs=1e-12)
    assert certify(g, (x, y)).ok


def test_not_two_players_is_refused():
    g3 = NormalFormGame.from_arrays(*np.zeros((3, 2, 2, 2), dtype=int))
    for f in (enumerate_bimatrix, enumerate_bimatrix_supports, lemke_howson_all):
        with pytest.raises(InputError):
            f(g3)


def test_timeout_returns_incomplete():
    rng = np.random.default_rng(3)
    g = game(rng.integers(0, 100, (9, 9)), rng.integers(0, 100, (9, 9)))
    r = enumerate_bimatrix(g, timeout=1e-9)
    assert not r.complete and r.notes


# ---------------------------------------------------------- random cross-checks


def random_games(seed: int, count: int, sizes=range(2, 7), highs=(100, 3, 4)):
    rng = np.random.default_rng(seed)
    for k in range(count):
        m, n = (int(v) for v in rng.choice(list(sizes), 2))
        hi = highs[k % len(highs)]
        yield rng.integers(0, hi, (m, n)), rng.integers(0, hi, (m, n))


def assert_same_enumeration(A, B, second) -> None:
    """enumerate_bimatrix and a second exact method agree on profiles, components and maximal Nash subsets."""
    g = game(A, B)
    ours = enumerate_bimatrix(g)
    other = second(g)
    assert ours.profiles == other.profiles, (A.tolist(), B.tolist())
    assert ours.components == other.components
    assert ours.stats.cliques == other.stats.cliques
    assert_well_formed(g, ours)


@pytest.mark.slow
def test_against_second_algorithm_on_random_games():
    for A, B in random_games(11, 150, sizes=range(1, 5), highs=(100, 2, 3)):
        assert_same_enumeration(A, B, enumerate_bimatrix_supports)


@pytest.mark.slow
def test_against_pygambit_enummixed():
    gbt = pytest.importorskip("pygambit")
    count = 0
    for A, B in random_games(2024, 200):
        g = game(A, B)
        ours = enumerate_bimatrix(g)
        result = gbt.nash.enummixed_solve(gbt.Game.from_arrays(A, B), rational=True)
        theirs = {
            tuple(tuple(F(v.numerator, v.denominator) for _, v in strat) for _, strat in eq.mixed_strategies())
            for eq in result.equilibria
        }
        # a set: in degenerate games Gambit sometimes lists an extreme equilibrium twice
        assert set(ours.profiles) == theirs, (A.tolist(), B.tolist())
        assert all(certify(g, p).ok for p in ours.profiles)
        count += 1
    assert count == 200


def test_against_nashpy_vertex_enumeration_on_nondegenerate_games():
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(7)
    for _ in range(12):
        m, n = (int(v) for v in rng.integers(2, 5, 2))
        A, B = rng.random((m, n)), rng.random((m, n))  # continuous payoffs: nondegenerate almost surely
        ours = enumerate_bimatrix(game(A, B)).profiles
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(nash.Game(A, B).vertex_enumeration())
        assert len(ours) == len(theirs)
        assert len(ours) % 2 == 1  # nondegenerate games have an odd number of equilibria
        for x, y in theirs:
            assert any(np.allclose(x, px, atol=1e-9) and np.allclose(y, py, atol=1e-9) for px, py in ours), (x, y)


# ------------------------------------------------------------------ Lemke-Howson


@pytest.mark.parametrize("engine", ["exact", "nashpy"])
def test_lemke_howson_finds_certified_subset(engine):
    for A, B in random_games(5, 40, sizes=range(2, 6)):
        g = game(A, B)
        lh = lemke_howson_all(g, engine=engine, max_steps=500)
        assert not lh.complete and lh.exact
        assert lh.profiles  # every label ends at an equilibrium (nashpy failures are rerun exactly)
        full = set(enumerate_bimatrix(g).profiles)
        # Lemke-Howson ends at a completely labelled vertex pair: an extreme equilibrium.
        assert set(lh.profiles) <= full
        assert all(certify(g, p).ok for p in lh.profiles)


def test_lemke_howson_textbook():
    # Battle of the sexes: from any label, Lemke-Howson reaches a pure equilibrium, never the mixed one:
    # paths from the artificial equilibrium end at equilibria of index +1 (Shapley 1974; von Stengel 2007,
    # Sec. 3.6), and the mixed equilibrium of a 2x2 game with two pure ones has index -1.
    r = lemke_howson_all(game([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    assert set(r.profiles) == {prof([1, 0], [1, 0]), prof([0, 1], [0, 1])}
    r = lemke_howson_all(game(*TEXTBOOK["rock_paper_scissors"][:2]), labels=[0])
    assert r.profiles == (prof(["1/3"] * 3, ["1/3"] * 3),)


def test_lemke_howson_larger_game_every_label_succeeds():
    rng = np.random.default_rng(0)
    g = game(rng.integers(0, 100, (15, 15)), rng.integers(0, 100, (15, 15)))
    r = lemke_howson_all(g)
    assert r.stats.failed_labels == ()
    assert r.profiles and all(certify(g, p).ok for p in r.profiles)


def test_lemke_howson_bad_arguments():
    g = game([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InputError):
        lemke_howson_all(g, engine="magic")
    with pytest.raises(InputError):
        lemke_howson_all(g, labels=[4])


# -------------------------------------------------------------------- properties

small_payoffs = st.integers(min_value=-2, max_value=2)


@st.composite
def small_games(draw):
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    A = draw(st.lists(st.lists(small_payoffs, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(small_payoffs, min_size=n, max_size=n), min_size=m, max_size=m))
    return game(A, B)


def pure_equilibria(g: NormalFormGame):
    A, B = g.payoffs
    m, n = g.shape
    return [(i, j) for i in range(m) for j in range(n) if A[i, j] == max(A[:, j]) and B[i, j] == max(B[i, :])]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_property_every_profile_certified_and_components_well_formed(g):
    r = enumerate_bimatrix(g)
    assert_well_formed(g, r)
    profiles = r.profiles
    # every pure equilibrium is an extreme equilibrium
    m, n = g.shape
    for i, j in pure_equilibria(g):
        pure = (tuple(F(int(k == i)) for k in range(m)), tuple(F(int(k == j)) for k in range(n)))
        assert pure in profiles
    # components: profiles sharing a strategy are in one component; cross pairs from two components
    # are never equilibria (else they would be extreme equilibria linking the components)
    for (p, cp), (q, cq) in itertools.combinations(zip(profiles, r.components), 2):
        if p[0] == q[0] or p[1] == q[1]:
            assert cp == cq
        elif cp != cq:
            assert not certify(g, (p[0], q[1])).ok
            assert not certify(g, (q[0], p[1])).ok
    # each component is connected through shared strategies
    for comp in set(r.components):
        members = [p for p, c in zip(profiles, r.components) if c == comp]
        reached = {members[0]}
        grow = True
        while grow:
            grow = False
            for p in members:
                if p not in reached and any(p[0] == q[0] or p[1] == q[1] for q in reached):
                    reached.add(p)
                    grow = True
        assert reached == set(members)


@settings(max_examples=60, deadline=None)
@given(small_games())
def test_property_agrees_with_support_enumeration(g):
    assert enumerate_bimatrix(g).profiles == enumerate_bimatrix_supports(g).profiles


def test_partner_solving_agrees_with_label_matching_on_degenerate_games(monkeypatch):
    """enumerate_bimatrix (one polytope, partners solved) against enumerating both polytopes and matching."""
    monkeypatch.setattr(bimatrix, "DEGENERATE_SHARE", 1.0)  # partners solved however degenerate the polytope
    rng = np.random.default_rng(77)
    for m, n, high in [(7, 7, 3), (6, 9, 4), (9, 6, 3), (8, 8, 100), (5, 8, 2), (8, 5, 100)]:
        assert_same_enumeration(
            rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n)), enumerate_bimatrix_matching
        )


def test_redundant_rows_by_hand():
    """Row 1 <= row 0 entrywise (implied), rows 2 and 3 equal (one of them implied), row 4 crosses the others."""
    assert bimatrix._redundant_rows([[3, 2, 2], [1, 2, 2], [2, 3, 1], [2, 3, 1], [1, 1, 4]]) == 2
    assert bimatrix._redundant_rows([[1, 2], [2, 1]]) == 0


@pytest.mark.parametrize("first", [True, False])
def test_either_polytope_listed_first_gives_the_same_enumeration(first, monkeypatch):
    """A 9x9 game with ties (partners always solved at this size), listing P and solving partners in Q
    and the other way round, against enumerating both polytopes and matching labels."""
    monkeypatch.setattr(bimatrix, "_list_p_first", lambda Bt, A: first)
    rng = np.random.default_rng(3)
    assert_same_enumeration(rng.integers(0, 4, (9, 9)), rng.integers(0, 4, (9, 9)), enumerate_bimatrix_matching)


def test_empty_segment_screen_drops_only_empty_faces():
    """The float screen of degenerate vertices whose partners lie on a line (|T| = |S| + 1, or
    |T| = |S| with a singular system) against walking each face exactly: it drops most of the
    empty faces and never one with a partner."""
    from gametheory.solvers._vertices import list_vertices

    rng = np.random.default_rng(19)
    dropped = {0: 0, 1: 0}
    kept = {0: 0, 1: 0}
    for _ in range(8):
        A = (rng.integers(0, 3, (8, 8)) + 1).tolist()
        B = (rng.integers(0, 3, (8, 8)) + 1).tolist()
        labels = [z for z in list_vertices([list(c) for c in zip(*B)]).zeros if z & 255 != 255]
        segments, square = [bimatrix._square_systems(labels, 8, 8, excess) for excess in (1, 0)]
        Af = np.array(A, dtype=float)
        dets = [np.linalg.det(Af[rows[:, :, None], cols[:, None, :]]) for _, _, rows, cols in square]
        screened = bimatrix._empty_segments(Af, segments, square, dets, 8, 8)
        for zero in labels:
            used = [i for i in range(8) if not zero >> i & 1]
            tight = [j for j in range(8) if zero >> (8 + j) & 1]
            excess = len(tight) - len(used)
            singular = bimatrix._integer_solve([[A[i][j] for j in tight] for i in used], [1] * len(used)) is None
            if excess == 1 or (excess == 0 and singular):
                empty = not bimatrix._face_partners(A, used, tight, 8)
                assert empty or zero not in screened[1 - excess]
                dropped[excess] += zero in screened[1 - excess]
                kept[excess] += empty and zero not in screened[1 - excess]
    assert dropped[1] > 5 * kept[1]
    assert dropped[0] > 5 * kept[0]


def lrsnash_profiles(A, B, tmp_path) -> set:
    """Extreme equilibria printed by lrslib's ``lrsnash``: each block pairs its '2' lines with its '1' lines."""
    m, n = A.shape
    path = tmp_path / "game.txt"
    rows = [f"{m} {n}", ""] + [" ".join(map(str, r)) for r in A] + [""] + [" ".join(map(str, r)) for r in B]
    path.write_text("\n".join(rows) + "\n")
    out = subprocess.run(["lrsnash", str(path)], capture_output=True, text=True, check=True).stdout
    found = set()
    for block in out.split("\n\n"):
        xs, ys = [], []
        for line in block.splitlines():
            words = line.split()
            if words and words[0] in ("1", "2"):
                strategy = tuple(F(w) for w in words[1 : 1 + (m if words[0] == "1" else n)])
                (xs if words[0] == "1" else ys).append(strategy)
        found |= {(x, y) for x in xs for y in ys}
    return found


@pytest.mark.skipif(shutil.which("lrsnash") is None, reason="lrslib's lrsnash is not installed")
def test_against_lrsnash(tmp_path):
    rng = np.random.default_rng(5)
    # 10x10 and 9x11 with many distinct payoffs: the certified float vertex search (solvers/_vertices.py)
    for m, n, high in [
        (6, 6, 100),
        (7, 5, 100),
        (5, 7, 3),
        (6, 6, 2),
        (8, 8, 100),
        (6, 6, 4),
        (10, 10, 100),
        (9, 11, 50),
    ]:
        A, B = rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))
        assert set(enumerate_bimatrix(game(A, B)).profiles) == lrsnash_profiles(A, B, tmp_path), (
            A.tolist(),
            B.tolist(),
        )
