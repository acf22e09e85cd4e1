"""Supports proven empty before their equations are solved (gametheory.solvers._polyprune).

Independent answers: a cut worked out by hand, and the exact solvers of
:mod:`gametheory.solvers.polynomial` run on every support without the
propagation (on games with many ties, where boundary solutions and
continua are common).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from gametheory.game import NormalFormGame
from gametheory.solvers import _polyprune as prune
from gametheory.solvers import polynomial as poly


def test_a_cut_keeps_the_root_and_rounds_outward_to_the_grid():
    # f(x) = 3x - 1 (corner values -1 at x = 0, 2 at x = 1) vanishes only at 1/3: both ends are cut up to it,
    # rounded outward, so the interval is the grid step around 1/3; the inequality f <= 0 cuts only the top.
    D = 1 << prune.GRID_BITS
    box = [[0, D]]
    assert prune._narrow(True, [0], [-1, 2], box) is True
    lo, hi = box[0]
    assert hi - lo == 1 and Fraction(lo, D) < Fraction(1, 3) < Fraction(hi, D)
    box = [[0, D]]
    prune._narrow(False, [0], [-1, 2], box)
    assert box[0][0] == 0 and Fraction(box[0][1] - 1, D) < Fraction(1, 3) < Fraction(box[0][1], D)
    # positive over the whole box: no solution
    assert prune._narrow(True, [0], [1, 2], [[0, D]]) is None


def _exact_outcome(game: NormalFormGame, S) -> tuple:
    """What the exact solvers report for support S alone: points, unresolved supports, continua."""
    en = poly._Enumerator(game, None)
    mixed = [j for j in range(en.N) if len(S[j]) > 1]
    blocks = en.blocks(S, mixed)
    if len(mixed) == 2:
        en.linear(S, mixed, blocks)
    else:
        en.polynomial(S, mixed, blocks)
    return en.points, en.unresolved, en.positive_dim


@pytest.mark.parametrize("shape,high", [((2, 2, 2), 3), ((2, 2, 2, 2), 5), ((3, 2, 2), 4), ((2, 2, 2, 2), 100)])
def test_supports_proven_empty_have_no_solution_for_the_exact_solvers(shape, high, monkeypatch):
    # Every support the propagation proves empty is solved exactly anyway: nothing may come out of it, not even
    # an unsettled support or a continuum. Supports where the exact solvers find an equilibrium must not be
    # proven empty, and the propagation must prove some supports empty that conditional dominance kept.
    # The exact solvers run without the exact pre-test of three-mixing supports (_polyreject), which would
    # otherwise rule out most supports compared here before they solve them.
    monkeypatch.setattr(poly._polyreject, "three_applies", lambda S, mixed: False)
    rng = np.random.default_rng(11)
    proven = solved = 0
    for _ in range(8):
        game = NormalFormGame.from_arrays(*[rng.integers(0, high, size=shape) for _ in shape])
        en = poly._Enumerator(game, None)
        for S in en.supports():
            mixed = [j for j in range(en.N) if len(S[j]) > 1]
            if len(mixed) < 2 or any(len(S[j]) != 2 for j in mixed):
                continue
            empty = prune.proven_empty(en.block_rows(S, en.blocks(S, mixed)), S, mixed, en.alive)
            points, unresolved, continua = _exact_outcome(game, S)
            if empty:
                assert not points and not unresolved and not continua, (shape, S)
            proven += empty
            solved += bool(points)
    assert proven and solved
