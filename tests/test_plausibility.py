"""Which equilibrium is most plausible (:func:`gametheory.dynamics.plausibility`) and its words
(:mod:`gametheory.report.plausibility`), checked against answers worked by hand."""

from __future__ import annotations

import gametheory as gt
from gametheory.analysis import analyse
from gametheory.dynamics import plausibility
from gametheory.report.document import Bullets, Heading
from gametheory.report.plausibility import plausibility_lines
from gametheory.teaching.handout import build_handout
from tests.support import GAMES


def analysed(path):
    scenario = gt.load(path)
    return analyse(scenario.bind(), scenario=scenario)


def test_stag_hunt_risk_dominance_against_payoff_dominance():
    # Equilibria in solve's order: (stag, stag), the mixed one, (hare, hare). (stag, stag) is best for both
    # (payoff dominant); (hare, hare) is risk dominant (Harsanyi and Selten). Sequential best replies, Row
    # first, by hand: (stag, hare) -> Row hares -> (hare, hare); (hare, stag) -> Row stags -> (stag, stag);
    # the equilibria stay put: basins 2, 0, 2 of 4, a tie, so dynamics pick neither.
    solution = analysed(GAMES / "classics" / "stag_hunt.json")
    p = plausibility(solution)
    assert (p.payoff_dominant, p.risk_dominant, p.basins, p.starts, p.cycling) == (0, 2, (2, 0, 2), 4, 0)
    assert p.strict == (0, 2) and p.pareto_efficient == (0,)
    assert p.favourite == 2 and set(p.reasons) == {"risk", "logit"}
    lines = plausibility_lines(solution, p)
    assert lines[0].startswith("Most plausible: no. 3 (pure (hare, hare)). Why: ")
    assert "But payoff dominance favours no. 1 (pure (stag, stag))." in lines
    assert any(line.startswith("Yet it is Pareto-dominated: no. 1 (pure (stag, stag)) leaves every") for line in lines)


def test_matching_pennies_has_one_equilibrium_and_best_replies_cycle():
    solution = analysed(GAMES / "classics" / "matching_pennies.json")
    p = plausibility(solution)
    assert (p.favourite, p.reasons, p.basins, p.cycling) == (0, ("unique",), (0,), 4)
    assert plausibility_lines(solution, p)[0].startswith("There is only one equilibrium, no. 1 (mixed (")


def test_g1_handout_says_nobody_moves_is_most_plausible():
    # By hand (SCENARIOS.md's best responses): from (deploy, accept, backstop) the US drops the backstop,
    # Russia then targets, the US comes back, Europe holds, the US leaves: every one of the 8 starts ends
    # at (hold, target, stay_out), which is also the logit selection.
    g1 = gt.load(GAMES / "deterrence.json")
    handout = build_handout(g1, parameters=[], plot=False, explain=False)
    at = next(k for k, b in enumerate(handout.blocks) if isinstance(b, Heading) and b.text.startswith("Which one"))
    lines = handout.blocks[at + 1]
    assert isinstance(lines, Bullets)
    assert lines.items[0].startswith("Most plausible: no. 1 (nobody moves). Why: the logit selection picks it")
    assert "from all 8 ways play can start" in lines.items[0]
    glossary = handout.blocks[next(k for k, b in enumerate(handout.blocks) if b == Heading("Glossary")) + 1]
    assert any(item.startswith("replicator dynamics: ") for item in glossary.items)  # a term the summary uses


def test_in_a_tree_the_subgame_perfect_equilibrium_is_the_favourite():
    # Textbook entry deterrence: (stay_out, fight) is a Nash equilibrium resting on the incumbent's threat to
    # fight, which it would not carry out once entry happened; (enter, accommodate) is the only subgame-perfect one.
    solution = analysed(GAMES / "classics" / "entry_deterrence.json")
    p = plausibility(solution)
    assert solution.equilibria[p.favourite].pure_profile == (0, 1)  # (enter, accommodate) in the file's order
    assert p.subgame_perfect == (p.favourite,) and p.reasons[0] == "subgame"
    lines = plausibility_lines(solution, p)
    assert "it is the only subgame-perfect equilibrium" in lines[0]
    assert not any("weak guess" in line for line in lines)
