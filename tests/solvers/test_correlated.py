"""Correlated equilibria: hand-derived polytopes (chicken, battle of the sexes,
prisoner's dilemma), Nash equilibria inside the polytope, LP optima against
the vertices, and the vertex enumeration against brute force over bases."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.errors import GameTooLargeError
from gametheory.game import NormalFormGame
from gametheory.solvers.correlated import (
    correlated_equilibria,
    correlated_regret,
    correlated_vertices,
    obedience_constraints,
)

F = Fraction


def dist(*values) -> tuple[Fraction, ...]:
    return tuple(F(v) for v in values)


def flat(ce) -> tuple:
    return tuple(ce.distribution.ravel())


# Profiles in lexicographic order: (row, column) = (0,0), (0,1), (1,0), (1,1).
# Chicken with Aumann's textbook payoffs; strategy 0 = Dare, 1 = Chicken.
CHICKEN = NormalFormGame.from_arrays([[0, 7], [2, 6]], [[0, 2], [7, 6]])
BATTLE = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])  # Opera, Football
DILEMMA = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # Cooperate, Defect


def test_chicken_aumann_example():
    # Obedience (p = DD, DC, CD, CC): DC >= 2 DD, 2 CD >= CC (row), CD >= 2 DD, 2 DC >= CC (column).
    # 1/3 each on DC, CD, CC satisfies them and pays 5 + 5 = 10; the Nash equilibria pay
    # (7, 2), (2, 7) and, mixed (Dare with 1/3), 14/3 each: welfare at most 28/3 < 10.
    aumann = np.array([[0, F(1, 3)], [F(1, 3), F(1, 3)]], dtype=object)
    assert correlated_regret(CHICKEN, aumann) == 0
    nash_welfare = [9, 9, F(28, 3)]
    assert sum(CHICKEN.payoffs[i][a] * aumann[a] for i in range(2) for a in np.ndindex(2, 2)) == 10 > max(nash_welfare)
    result = correlated_equilibria(CHICKEN)
    # Welfare 9 DC + 9 CD + 12 CC with DD = 0 and CC <= 2 min(DC, CD): best at DC = CD = 1/4, CC = 1/2.
    assert flat(result.welfare_max) == dist(0, F(1, 4), F(1, 4), F(1, 2))
    assert result.welfare_max.payoffs == (F(21, 4), F(21, 4)) and result.welfare_max.welfare == F(21, 2)
    assert result.payoff_ranges == ((2, 7), (2, 7))
    # The five vertices, derived by intersecting the constraints above.
    expected = {
        dist(0, 1, 0, 0),  # (Dare, Chicken)
        dist(0, 0, 1, 0),  # (Chicken, Dare)
        dist(F(1, 9), F(2, 9), F(2, 9), F(4, 9)),  # the mixed Nash equilibrium
        dist(0, F(1, 4), F(1, 4), F(1, 2)),  # welfare maximum
        dist(F(1, 5), F(2, 5), F(2, 5), 0),  # DC = CD = 2 DD, CC = 0
    }
    assert {flat(v) for v in result.vertices} == expected
    assert result.exact and result.tolerance == 0


def test_analyse_adds_the_polytope_only_on_request():
    from gametheory.analysis import analyse

    assert analyse(CHICKEN).correlated is None
    result = analyse(CHICKEN, correlated=True).correlated
    assert flat(result.welfare_max) == dist(0, F(1, 4), F(1, 4), F(1, 2)) and len(result.vertices) == 5


def test_battle_of_the_sexes():
    # Obedience: 2 OO >= OF, FF >= 2 FO, OO >= 2 FO, 2 FF >= OF. Vertices by hand:
    # the two pure equilibria, the mixed one (2/9, 4/9, 1/9, 2/9), and (2/5, 0, 1/5, 2/5), (1/4, 1/2, 0, 1/4).
    result = correlated_equilibria(BATTLE)
    expected = {
        dist(1, 0, 0, 0),
        dist(0, 0, 0, 1),
        dist(F(2, 9), F(4, 9), F(1, 9), F(2, 9)),
        dist(F(2, 5), 0, F(1, 5), F(2, 5)),
        dist(F(1, 4), F(1, 2), 0, F(1, 4)),
    }
    assert {flat(v) for v in result.vertices} == expected
    # Player 1's payoff 2 OO + FF is lowest at the mixed equilibrium (2/3), highest at (Opera, Opera).
    assert result.payoff_ranges == ((F(2, 3), 2), (F(2, 3), 2))
    assert result.welfare_max.welfare == 3  # any mix of the two pure equilibria
    assert correlated_regret(BATTLE, result.welfare_max.distribution) == 0


def test_prisoners_dilemma_unique_correlated_equilibrium():
    # Cooperate is strictly dominated, so obedience forces all weight onto (Defect, Defect).
    result = correlated_equilibria(DILEMMA)
    assert [flat(v) for v in result.vertices] == [dist(0, 0, 0, 1)]
    assert flat(result.welfare_max) == dist(0, 0, 0, 1)
    assert result.payoff_ranges == ((1, 1), (1, 1))
    assert result.vertices[0].support == ((1, 1),)


def test_regret_of_a_non_equilibrium():
    # (Dare, Dare) in chicken: each driver would gain 2 by swerving.
    dd = np.array([[1, 0], [0, 0]], dtype=object)
    assert correlated_regret(CHICKEN, dd) == 2


def test_obedience_constraints_labels_and_signs():
    G, labels = obedience_constraints(CHICKEN)
    assert labels == ((0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0))
    # Row player told Dare: DD * (0 - 2) + DC * (7 - 6) >= 0.
    assert list(G[0]) == [-2, 1, 0, 0]


def test_float_game_matches_exact():
    exact = correlated_equilibria(CHICKEN)
    approx = correlated_equilibria(CHICKEN.to_float())
    assert not approx.exact and approx.tolerance > 0
    as_float = lambda x: np.array(x, dtype=float)  # noqa: E731
    assert np.allclose(as_float(approx.welfare_max.distribution), as_float(exact.welfare_max.distribution), atol=1e-7)
    assert np.allclose(as_float(approx.payoff_ranges), as_float(exact.payoff_ranges), atol=1e-7)
    assert {tuple(np.round(flat(v), 9)) for v in approx.vertices} == {
        tuple(np.round(np.array(flat(v), dtype=float), 9)) for v in exact.vertices
    }


def test_vertex_limits():
    rng = np.random.default_rng(0)
    big = NormalFormGame.from_arrays(*[rng.integers(0, 9, size=(5, 5)).tolist() for _ in range(2)])
    result = correlated_equilibria(big)  # 25 profiles: LPs only by default
    assert result.vertices is None and result.notes
    assert correlated_equilibria(big, vertices=False).vertices is None
    huge = NormalFormGame.from_arrays(*[rng.integers(0, 9, size=(7, 7)).tolist() for _ in range(2)])
    with pytest.raises(GameTooLargeError):
        correlated_equilibria(huge, vertices=True)
    with pytest.raises(GameTooLargeError):
        correlated_vertices(CHICKEN, limit=2)


def test_three_player_game():
    # A 2x2x2 coordination game: everyone gets 1 if all three choose the same, else 0.
    same = [[[1 if a == b == c else 0 for c in (0, 1)] for b in (0, 1)] for a in (0, 1)]
    g = NormalFormGame.from_arrays(same, same, same)
    result = correlated_equilibria(g)
    assert result.welfare_max.welfare == 3
    # Obedience of a player told k: p(k,k,k) >= p(k,1-k,1-k) (the others match on 1-k). So the
    # six mismatched profiles weigh at most 3 (p000 + p111), and everyone's payoff
    # p000 + p111 is at least 1/4, attained by the mixed equilibrium (all mix 1/2).
    assert result.payoff_ranges == ((F(1, 4), 1),) * 3
    assert all(correlated_regret(g, v.distribution) == 0 for v in result.vertices)
    assert {flat(v) for v in result.vertices} >= {
        tuple(F(1) if k == 0 else F(0) for k in range(8)),
        tuple(F(1) if k == 7 else F(0) for k in range(8)),
    }


# ------------------------------------------------------------ independent checks


def brute_force_vertices(g: NormalFormGame) -> set[tuple[float, ...]]:
    """Vertices by brute force: every choice of P-1 constraints made tight, with sum p = 1."""
    G, _ = obedience_constraints(g)
    P = g.num_profiles
    rows = [np.eye(P)[j] for j in range(P)] + [np.asarray(r, dtype=float) for r in G]
    found = set()
    for subset in itertools.combinations(range(len(rows)), P - 1):
        A = np.vstack([rows[k] for k in subset] + [np.ones(P)])
        if abs(np.linalg.det(A)) < 1e-9:
            continue
        b = np.zeros(P)
        b[-1] = 1
        p = np.linalg.solve(A, b)
        if p.min() >= -1e-9 and all(np.dot(r, p) >= -1e-9 for r in rows):
            found.add(tuple(np.round(p, 7) + 0.0))
    return found


@st.composite
def tiny_games(draw):
    shape = draw(st.sampled_from([(2, 2), (2, 3), (3, 2)]))
    size = int(np.prod(shape))
    cells = st.lists(st.integers(0, 4), min_size=size, max_size=size)
    arrays = [np.array(draw(cells)).reshape(shape).tolist() for _ in shape]
    return NormalFormGame.from_arrays(*arrays)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_games())
def test_vertices_match_brute_force(g):
    ours = {tuple(np.round(np.array(v, dtype=float), 7) + 0.0) for v in correlated_vertices(g)}
    assert ours == brute_force_vertices(g)


def pure_nash(g: NormalFormGame) -> list[tuple[int, ...]]:
    mask = np.ones(g.shape, dtype=bool)
    for i in range(g.num_players):
        mask &= g.payoffs[i] == np.max(g.payoffs[i], axis=i, keepdims=True)
    return [tuple(a) for a in np.argwhere(mask)]


@st.composite
def small_games(draw):
    shape = draw(st.sampled_from([(2, 2), (2, 3), (3, 3), (2, 2, 2)]))
    size = int(np.prod(shape))
    cells = st.lists(st.integers(-3, 3), min_size=size, max_size=size)
    arrays = [np.array(draw(cells)).reshape(shape).tolist() for _ in shape]
    return NormalFormGame.from_arrays(*arrays)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_lp_optima_match_vertices_and_contain_nash(g):
    result = correlated_equilibria(g, vertices=True)
    verts = result.vertices
    assert verts and all(correlated_regret(g, v.distribution) == 0 for v in verts)
    assert all(sum(flat(v)) == 1 and min(flat(v)) >= 0 for v in verts)
    # A linear function is maximised over a polytope at a vertex: the LPs and the vertex list agree exactly.
    assert result.welfare_max.welfare == max(v.welfare for v in verts)
    for i, (lo, hi) in enumerate(result.payoff_ranges):
        assert lo == min(v.payoffs[i] for v in verts) and hi == max(v.payoffs[i] for v in verts)
    # Every pure Nash equilibrium is a correlated equilibrium inside those bounds.
    for a in pure_nash(g):
        point = np.zeros(g.shape, dtype=object)
        point[...] = F(0)
        point[a] = F(1)
        assert correlated_regret(g, point) == 0
        for i, (lo, hi) in enumerate(result.payoff_ranges):
            assert lo <= g.payoffs[i][a] <= hi


def product_distribution(profile) -> np.ndarray:
    out = np.array(F(1), dtype=object)
    for probs in profile:
        out = np.multiply.outer(out, np.array(list(probs), dtype=object))
    return out


@pytest.mark.slow
def test_every_gambit_nash_equilibrium_is_a_correlated_equilibrium():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(5)
    for _ in range(12):
        shape = (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
        arrays = [rng.integers(0, 6, size=shape) for _ in shape]
        g = NormalFormGame.from_arrays(*[a.tolist() for a in arrays])
        result = correlated_equilibria(g)
        equilibria = gbt.nash.enummixed_solve(gbt.Game.from_arrays(*arrays), rational=True).equilibria
        assert equilibria
        for eq in equilibria:
            profile = [[F(str(eq[s])) for s in player.strategies] for player in eq.game.players]
            p = product_distribution(profile)
            assert correlated_regret(g, p) == 0
            payoffs = [sum(p[a] * g.payoffs[i][a] for a in np.ndindex(*shape)) for i in range(2)]
            for value, (lo, hi) in zip(payoffs, result.payoff_ranges):
                assert lo <= value <= hi
            assert sum(payoffs) <= result.welfare_max.welfare


def test_exact_lps_recover_without_the_slow_fallback(monkeypatch):
    # The 5th 10x10 game of this seeded sequence has an LP optimum with a probability of
    # about 5e-8; an early version dropped it from the support, fell back to the exact
    # simplex and took minutes. The float solution must now be certified directly.
    import gametheory.solvers.lp as lp

    def no_fallback(*args):
        raise AssertionError("exact simplex fallback used")

    monkeypatch.setattr(lp, "_simplex", no_fallback)
    rng = np.random.default_rng(1)

    def draw(shape):
        return [rng.integers(0, 100, size=shape).tolist() for _ in shape]

    draw((3, 3))
    for shape in [(3, 3)] * 10 + [(4, 4)] * 10 + [(6, 6)] * 10 + [(10, 10)] * 4:
        draw(shape)
    g = NormalFormGame.from_arrays(*draw((10, 10)))
    result = correlated_equilibria(g)
    assert correlated_regret(g, result.welfare_max.distribution) == 0
    approx = correlated_equilibria(g.to_float())
    ranges = [np.array(r.payoff_ranges, dtype=float) for r in (result, approx)]
    assert np.allclose(*ranges, atol=1e-6)
