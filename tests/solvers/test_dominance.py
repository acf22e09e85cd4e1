"""Dominance: textbook cases derived by hand, exactness, and cross-checks against
an independent LP formulation (Pearce's lemma), brute force and pygambit."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory.errors import InputError
from gametheory.game import NormalFormGame
from gametheory.solvers.dominance import Domination, dominated_strategies, iterated_elimination
from gametheory.solvers.pure import best_response_mask

F = Fraction
HALF = F(1, 2)


def game(*arrays, strategies=None) -> NormalFormGame:
    return NormalFormGame.from_arrays(*arrays, strategies=strategies)


def zeros_like(rows: int, cols: int) -> list[list[int]]:
    return [[0] * cols for _ in range(rows)]


# ----------------------------------------------------------------- textbook cases


def test_prisoners_dilemma_cooperate_strictly_dominated_by_defect():
    # Rows/cols: Cooperate, Defect. u1: (C,C)=3, (C,D)=0, (D,C)=5, (D,D)=1.
    pd = game([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
    for player in (0, 1):
        (d,) = dominated_strategies(pd, player)
        assert (d.player, d.strategy, d.strict) == (player, 0, True)
        assert d.dominator == (0, 1) and d.pure
        # Defect beats Cooperate by 5-3=2 against C and 1-0=1 against D.
        assert (d.margin, d.gain) == (1, 2)
    elimination = iterated_elimination(pd)
    assert elimination.survivors == ((1,), (1,))
    assert elimination.solved and elimination.profile == (1, 1)
    assert elimination.game.shape == (1, 1)


def test_strategy_dominated_only_by_a_mixed_strategy():
    # T=(3,0), M=(0,3), B=(1,1): no pure strategy beats B against both columns,
    # but 1/2 T + 1/2 M gives (3/2, 3/2), better by exactly 1/2 everywhere.
    g = game([[3, 0], [0, 3], [1, 1]], zeros_like(3, 2), strategies=[["T", "M", "B"], ["L", "R"]])
    (d,) = dominated_strategies(g, 0)
    assert (d.strategy, d.strict) == (2, True)
    assert d.dominator == (HALF, HALF, 0)
    assert all(type(p) is Fraction for p in d.dominator)
    assert d.margin == HALF and type(d.margin) is Fraction
    assert not d.pure and d.support == (0, 1)
    assert d.describe(g) == (
        "Player 1: B is strictly dominated by 1/2 T + 1/2 M (better by at least 1/2 against every play of the others)"
    )
    assert dominated_strategies(g, 0, mixed=False) == []


def test_max_margin_mixed_dominator_is_exact_for_tiny_margins():
    # B = (3/2 + e, 3/2 - 2e), e = 1e-13. Mixing T with weight a: advantages
    # (3a - 3/2 - e, 3/2 + 2e - 3a); equal at a = 1/2 + e/2, margin e/2 (hand-derived).
    e = F(1, 10**13)
    g = game([[3, 0], [0, 3], [F(3, 2) + e, F(3, 2) - 2 * e]], zeros_like(3, 2))
    (d,) = dominated_strategies(g, 0)
    assert d.strict and d.dominator == (HALF + e / 2, HALF - e / 2, 0)
    assert d.margin == e / 2
    # B = (3/2 + e, 3/2 - e): a = 1/2 + e/3 ties exactly, nothing is better anywhere.
    tie = game([[3, 0], [0, 3], [F(3, 2) + e, F(3, 2) - e]], zeros_like(3, 2))
    assert dominated_strategies(tie, 0) == []
    assert dominated_strategies(tie, 0, strict=False) == []
    # As a float game the 5e-14 margin is below the documented 1e-9 tolerance.
    assert dominated_strategies(g.to_float(), 0) == []


def test_float_game_mixed_dominance():
    g = game([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]], zeros_like(3, 2))
    (d,) = dominated_strategies(g, 0)
    assert not d.exact and d.strict
    assert d.dominator == pytest.approx((0.5, 0.5, 0.0), abs=1e-9)
    assert d.margin == pytest.approx(0.5, abs=1e-9)


def test_weak_dominance_by_a_pure_strategy():
    # Up=(1,1), Down=(1,0): Down is never better and worse against R: weakly, not strictly, dominated.
    g = game([[1, 1], [1, 0]], zeros_like(2, 2))
    assert dominated_strategies(g, 0) == []
    (d,) = dominated_strategies(g, 0, strict=False)
    assert (d.strategy, d.strict, d.dominator, d.margin, d.gain) == (1, False, (1, 0), 0, 1)
    # Identical strategies do not weakly dominate each other.
    same = game([[1, 2], [1, 2]], zeros_like(2, 2))
    assert dominated_strategies(same, 0, strict=False) == []


def test_weak_dominance_by_a_unique_mixed_strategy():
    # T=(2,0,1), M=(0,2,1), B=(1,1,0). a T + (1-a) M = (2a, 2-2a, 1) >= B needs a = 1/2 exactly:
    # (1,1,1) vs (1,1,0) is equal twice and better once: weak, not strict.
    g = game([[2, 0, 1], [0, 2, 1], [1, 1, 0]], zeros_like(3, 3), strategies=[["T", "M", "B"], ["x", "y", "z"]])
    assert dominated_strategies(g, 0) == []
    (d,) = dominated_strategies(g, 0, strict=False)
    assert (d.strategy, d.strict, d.dominator, d.margin, d.gain) == (2, False, (HALF, HALF, 0), 0, 1)
    assert "weakly dominated by 1/2 T + 1/2 M" in d.describe(g)
    assert dominated_strategies(g, 0, strict=False, mixed=False) == []


def test_strict_mixed_dominance_is_reported_before_weak_pure_dominance():
    # T=(4,0), M=(0,4), D=(1,4), B=(1,1). D weakly dominates B, but mixtures strictly do.
    # Max margin over weights x, y, 1-x-y on T, M, D: min(3x - y, 3 - 4x), maximal at
    # y = 0, x = 3/7: 3/7 T + 4/7 D = (16/7, 16/7), margin 9/7 (hand-derived, unique).
    g = game([[4, 0], [0, 4], [1, 4], [1, 1]], zeros_like(4, 2))
    found = {d.strategy: d for d in dominated_strategies(g, 0, strict=False)}
    d = found[3]
    assert (d.strict, d.dominator, d.margin) == (True, (F(3, 7), 0, F(4, 7), 0), F(9, 7))
    # M = (0, 4) is only weakly dominated, by D (equal against R).
    assert set(found) == {1, 3}
    assert (found[1].strict, found[1].dominator, found[1].margin, found[1].gain) == (False, (0, 0, 1, 0), 0, 1)


def test_gibbons_figure_1_1_1_iterated_elimination_order():
    # Gibbons (1992), Figure 1.1.1: Right is dominated by Middle; then Down by Up; then Left by Middle.
    rows, cols = ["Up", "Down"], ["Left", "Middle", "Right"]
    g = game([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]], strategies=[rows, cols])
    e = iterated_elimination(g)
    assert [(s.player, s.strategy) for s in e.steps] == [(1, 2), (0, 1), (1, 0)]
    assert [s.dominator for s in e.steps] == [(0, 1, 0), (1, 0), (0, 1, 0)]
    assert all(s.strict and s.pure for s in e.steps)
    assert e.survivors == ((0,), (1,)) and e.profile == (0, 1)
    assert e.game.strategies == (("Up",), ("Middle",))
    assert e.steps[0].describe(g).startswith("Player 2: Right is strictly dominated by Middle")


def test_iterated_elimination_with_a_mixed_step():
    # Player 1 as in the mixed example; player 2 prefers L unless player 1 plays B.
    # B goes first (by 1/2 T + 1/2 M), then R is dominated by L, then M by T.
    u1 = [[3, 0], [0, 3], [1, 1]]
    u2 = [[1, 0], [1, 0], [0, 5]]
    e = iterated_elimination(game(u1, u2))
    assert [(s.player, s.strategy) for s in e.steps] == [(0, 2), (1, 1), (0, 1)]
    assert e.steps[0].dominator == (HALF, HALF, 0)
    # The last step's dominator refers to the original indices (T), B already gone.
    assert e.steps[2].dominator == (1, 0, 0)
    assert e.profile == (0, 0)
    # Pure dominance only: nothing is dominated at the start, so nothing moves.
    assert iterated_elimination(game(u1, u2), mixed=False).steps == ()


def test_iterated_weak_dominance_is_order_dependent():
    # Rows T, M, B; columns L, R. T and B are weakly dominated by M; which of
    # L and R is then weakly dominated depends on which of T, B went first.
    u1 = [[1, 0], [1, 2], [0, 2]]
    u2 = [[1, 0], [1, 1], [0, 1]]
    g = game(u1, u2)
    assert iterated_elimination(g).steps == ()  # nothing strictly dominated
    e = iterated_elimination(g, strict=False)
    assert [(s.player, s.strategy) for s in e.steps] == [(0, 0), (0, 2)]
    assert e.survivors == ((1,), (0, 1))
    # The same game with the players' roles swapped is scanned in another order:
    # the row chooser (now player 2) loses T, then L goes (weakly dominated by R given M, B).
    swapped = game(np.array(u2).T.tolist(), np.array(u1).T.tolist())
    e2 = iterated_elimination(swapped, strict=False)
    assert [(s.player, s.strategy) for s in e2.steps] == [(1, 0), (0, 0)]
    assert e2.survivors == ((1,), (1, 2))  # {M, B} x {R}, whereas the first order kept {M} x {L, R}


def test_three_player_public_good():
    # Each of three players keeps 1 or contributes it; contributions are multiplied by 3/2
    # and shared equally: contributing costs 1 and returns 1/2, so it is strictly
    # dominated by keeping, by exactly 1/2 in every profile.
    def u(i):
        return [
            [[F(1, 2) * (3 - a - b - c) + (1 if (a, b, c)[i] else 0) for c in (0, 1)] for b in (0, 1)] for a in (0, 1)
        ]  # strategy 0 = contribute, 1 = keep

    g = NormalFormGame.from_arrays(u(0), u(1), u(2))
    for i in range(3):
        (d,) = dominated_strategies(g, i)
        assert (d.strategy, d.dominator, d.margin, d.gain) == (0, (0, 1), HALF, HALF)
    e = iterated_elimination(g)
    assert [(s.player, s.strategy) for s in e.steps] == [(0, 0), (1, 0), (2, 0)]
    assert e.profile == (1, 1, 1)


def test_three_player_mixed_dominance():
    # Player 3's T pays 3 when players 1 and 2 match, M when they differ; B pays 1:
    # 1/2 T + 1/2 M pays 3/2 everywhere.
    u3 = np.zeros((2, 2, 3), dtype=int)
    for a, b in itertools.product((0, 1), repeat=2):
        u3[a, b] = [3, 0, 1] if a == b else [0, 3, 1]
    zero = np.zeros((2, 2, 3), dtype=int)
    g = NormalFormGame.from_arrays(zero.tolist(), zero.tolist(), u3.tolist())
    (d,) = dominated_strategies(g, 2)
    assert (d.strategy, d.dominator, d.margin) == (2, (HALF, HALF, 0), HALF)
    assert dominated_strategies(g, 0, strict=False) == []


def test_best_response_mask_gibbons():
    g = game([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]])
    mask = best_response_mask(g)
    assert mask.dtype == bool and mask.shape == (2, 2, 3)
    # Player 1: Up is best against Left and Middle (ties count), Down against Right.
    assert mask[0].tolist() == [[True, True, False], [False, False, True]]
    # Player 2: Middle against Up, Left against Down.
    assert mask[1].tolist() == [[False, True, False], [True, False, False]]


def test_best_response_mask_float_ties_within_tolerance():
    g = game([[0.1 + 0.2, 0.0], [0.3, 1.0]], zeros_like(2, 2))
    assert best_response_mask(g)[0][:, 0].tolist() == [True, True]


def test_bad_player_index():
    g = game([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InputError):
        dominated_strategies(g, 2)
    with pytest.raises(InputError):
        dominated_strategies(g, -1)


# ---------------------------------------------------------------- property tests


@st.composite
def small_games(draw):
    """Random 2-player (up to 4x4) and 3-player (up to 3x3x2) games with small integer payoffs."""
    if draw(st.booleans()):
        shape = (draw(st.integers(2, 4)), draw(st.integers(1, 4)))
    else:
        shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2)))
    size = int(np.prod(shape))
    arrays = [
        np.array(draw(st.lists(st.integers(-3, 3), min_size=size, max_size=size))).reshape(shape).tolist()
        for _ in shape
    ]
    return NormalFormGame.from_arrays(*arrays)


def matrix(g: NormalFormGame, i: int) -> np.ndarray:
    return np.moveaxis(g.payoffs[i], i, 0).reshape(g.shape[i], -1)


def advantages(g: NormalFormGame, d: Domination) -> list[Fraction]:
    """Direct, exact: dominator payoff minus dominated payoff against each pure profile of the others."""
    out = []
    others = [range(n) for j, n in enumerate(g.shape) if j != d.player]
    for rest in itertools.product(*others):

        def pay(k, rest=rest):
            prof = list(rest)
            prof.insert(d.player, k)
            return g.payoffs[(d.player, *prof)]

        out.append(sum(p * pay(j) for j, p in enumerate(d.dominator)) - pay(d.strategy))
    return out


def belief_makes_best_response(M: np.ndarray, k: int) -> bool:
    """Pearce's lemma, independently: is there a belief over the columns against which row k is a best response?"""
    from scipy.optimize import linprog

    D = np.asarray(M, dtype=float) - np.asarray(M[k], dtype=float)  # want D @ y <= 0, y in simplex
    cols = M.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = linprog(
            np.zeros(cols), A_ub=D, b_ub=np.zeros(M.shape[0]), A_eq=np.ones((1, cols)), b_eq=[1], method="highs"
        )
    return res.status == 0


def pure_nash(g: NormalFormGame) -> list[tuple[int, ...]]:
    found = []
    for prof in itertools.product(*(range(n) for n in g.shape)):
        ok = True
        for i in range(g.num_players):
            for alt in range(g.shape[i]):
                dev = list(prof)
                dev[i] = alt
                if g.payoffs[(i, *dev)] > g.payoffs[(i, *prof)]:
                    ok = False
        if ok:
            found.append(prof)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_reported_dominations_hold_exactly_and_match_pearce(g):
    for i in range(g.num_players):
        strict_found = {d.strategy: d for d in dominated_strategies(g, i)}
        for d in strict_found.values():
            adv = advantages(g, d)
            assert min(adv) > 0 and min(adv) == d.margin and max(adv) == d.gain
            assert all(p >= 0 for p in d.dominator) and sum(d.dominator) == 1 and d.dominator[d.strategy] == 0
        # Strictly dominated (by a mixed strategy) iff never a best response to any belief.
        M = matrix(g, i)
        for k in range(g.shape[i]):
            assert (k in strict_found) == (not belief_makes_best_response(M, k))
        for d in dominated_strategies(g, i, strict=False):
            adv = advantages(g, d)
            assert min(adv) >= 0 and max(adv) > 0
            assert d.strict == (min(adv) > 0)
        # Strict dominations are among the weak ones.
        assert set(strict_found) <= {d.strategy for d in dominated_strategies(g, i, strict=False)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_pure_nash_strategies_are_never_strictly_dominated_and_survive_elimination(g):
    equilibria = pure_nash(g)
    dominated = [{d.strategy for d in dominated_strategies(g, i)} for i in range(g.num_players)]
    e = iterated_elimination(g)
    for prof in equilibria:
        for i, k in enumerate(prof):
            assert k not in dominated[i]
            assert k in e.survivors[i]
    # Order independence of strict elimination: reversing every player's strategy order
    # leaves the same surviving strategies.
    reversed_game = g.restrict([list(reversed(range(n))) for n in g.shape])
    e_rev = iterated_elimination(reversed_game)
    for i, n in enumerate(g.shape):
        assert sorted(n - 1 - k for k in e_rev.survivors[i]) == sorted(e.survivors[i])
    # Each step's domination holds in the game that remained at that point.
    kept = [list(range(n)) for n in g.shape]
    for step in e.steps:
        sub = g.restrict(kept)
        local = Domination(
            step.player,
            kept[step.player].index(step.strategy),
            step.strict,
            tuple(step.dominator[k] for k in kept[step.player]),
            step.margin,
            step.gain,
            True,
        )
        assert min(advantages(sub, local)) > 0
        kept[step.player].remove(step.strategy)


@pytest.mark.slow
def test_pure_dominance_matches_pygambit():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(7)
    for _ in range(40):
        shape = tuple(rng.integers(2, 4, size=rng.integers(2, 4)))
        arrays = [rng.integers(0, 4, size=shape) for _ in shape]
        ours = NormalFormGame.from_arrays(*[a.tolist() for a in arrays])
        gg = gbt.Game.from_arrays(*arrays)
        for strict in (True, False):
            kept = gbt.supports.undominated_strategies_solve(gg, strict=strict)
            theirs = {(s.player.number, s.number) for s in kept}
            mine = {
                (i, k)
                for i in range(len(shape))
                for k in range(shape[i])
                if k not in {d.strategy for d in dominated_strategies(ours, i, strict=strict, mixed=False)}
            }
            assert mine == theirs
        # Iterated strict pure elimination = Gambit's rounds repeated to a fixed point.
        support = gg.strategy_support_profile()
        while True:
            nxt = gbt.supports.undominated_strategies_solve(support, strict=True)
            if len(list(nxt)) == len(list(support)):
                break
            support = nxt
        theirs = {(s.player.number, s.number) for s in nxt}
        e = iterated_elimination(ours, mixed=False)
        assert {(i, k) for i, ks in enumerate(e.survivors) for k in ks} == theirs
