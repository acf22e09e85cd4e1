"""Every ``exact`` is exact, and every named non-credible move is named for mixed equilibria too.

* A subgame whose equilibria include irrational ones (the first stage of the
  two-stage McKelvey and McLennan game, Gambit's ``2s2x2x2.efg``) used to give subgame-perfect profiles marked exact
  whose entries were binary fractions of floats (exact regret about 1e-16).
  An exact profile must have exactly zero regret in the reduced normal form.
* In the entry-deterrence tree the mixed equilibrium (stay out; fight with
  probability 1/2) rests on the threat to fight: by hand, the entrant is
  indifferent when -q + (1 - q) = 0, q = 1/2, and once entry happens fighting
  gives -1 < 1 for accommodating, so the mix is worth 0 < 1. Its verdict must
  name that move, not leave ``noncredible`` empty.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

import gametheory as gt
from gametheory.analysis import analyse_structure
from gametheory.certify import certify
from tests.support import GAMES

#: Player 1 may stay out (1, 1, 1) or enter the simultaneous 2x2x2 game of McKelvey and McLennan
#: (1997), written in Gambit's tree order, with (U1, U2, U3) worth (9, 8, 12) plus (11/4, 8/3, 3/2),
#: the value of one of its own mixed equilibria (a first stage of the two-stage game): that makes
#: one equilibrium irrational (P1 plays U1 with probability about 0.3887).
STAGE_GAME = """EFG 2 R "enter a stage with irrational equilibria" { "P1" "P2" "P3" }

p "" 1 1 "" { "in" "out" } 0
p "" 1 2 "" { "U1" "D1" } 0
p "" 2 1 "" { "U2" "D2" } 0
p "" 3 1 "" { "U3" "D3" } 0
t "" 1 "a" { 47/4 32/3 27/2 }
t "" 2 "b" { 0 0 0 }
p "" 3 1 "" { "U3" "D3" } 0
t "" 2 "b" { 0 0 0 }
t "" 4 "d" { 3 4 6 }
p "" 2 1 "" { "U2" "D2" } 0
p "" 3 1 "" { "U3" "D3" } 0
t "" 2 "b" { 0 0 0 }
t "" 4 "d" { 3 4 6 }
p "" 3 1 "" { "U3" "D3" } 0
t "" 3 "c" { 9 8 2 }
t "" 2 "b" { 0 0 0 }
t "" 5 "out" { 1 1 1 }
"""


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    path = tmp_path_factory.mktemp("exact") / "stage.efg"
    path.write_text(STAGE_GAME)
    scenario = gt.load(path)
    return analyse_structure(scenario, gt.solve(scenario.bind(), "pure"))


def test_subgame_perfect_profiles_marked_exact_have_zero_exact_regret(stage):
    spe = stage.extensive.spe
    exact = [s for s in spe if s.exact]
    inexact = [s for s in spe if not s.exact]
    assert exact and inexact  # pure stage equilibria are rational; the totally mixed ones are not
    for s in exact:
        assert all(isinstance(p, Fraction) for probs in s.profile for p in probs)
        assert certify(stage.game, s.profile).max_regret == 0
    for s in inexact:  # floats, close to an equilibrium, never claimed exact
        assert any(isinstance(p, float) for probs in s.profile for p in probs)
        assert certify(stage.game, s.profile).ok


def test_json_gives_exact_values_only_for_exact_profiles(stage):
    from gametheory.report.tree import tree_json

    entries = tree_json(stage)["subgame_perfect"]
    assert len(entries) == len(stage.extensive.spe)
    for entry, s in zip(entries, stage.extensive.spe):
        assert ("exact" in entry) == ("payoffs_exact" in entry) == s.exact


def test_mixed_equilibrium_names_the_threat_it_rests_on():
    scenario = gt.load(GAMES / "classics" / "entry_deterrence.json")
    solution = analyse_structure(scenario, gt.solve(scenario.bind()))
    mixed = [(eq, v) for eq, v in zip(solution.equilibria, solution.extensive.verdicts) if not eq.pure]
    assert len(mixed) == 1
    eq, verdict = mixed[0]
    assert eq.profile[1] == (Fraction(1, 2), Fraction(1, 2))  # fight 1/2, by the indifference above
    assert verdict.subgame_perfect is False
    (move,) = verdict.noncredible
    assert (move.player, move.payoff, move.better_payoff) == ("Incumbent", 0, 1)
    assert move.behaviour == ((Fraction(1, 2), Fraction(1, 2)),)
    tree = solution.extensive.tree
    assert [tree.infosets[h].actions[a] for h, a in move.better_actions] == ["accommodate"]
    assert [(s.action, s.alternative) for s in verdict.supports] == [("stay_out", "enter")]
