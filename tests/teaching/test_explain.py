"""Step-by-step explanations: every number checked against a hand derivation or a textbook answer.

Expected values come from SCENARIOS.md (G1's payoff table at the defaults and
its closed forms t* = (c_us - m_us)/(n_us - e_us - m_us), b* = (g_r - f_r - w_r
+ a_r)/x_r), from the matching-pennies file's own hand solution (mismatcher
heads 2/(x + 3)), and from textbook games worked by hand in the comments.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import pytest
import sympy as sp
from click.testing import CliRunner

import gametheory as gt
from gametheory.analysis import analyse
from gametheory.cli import app
from gametheory.dynamics import plausibility
from gametheory.game import NormalFormGame
from gametheory.report.plausibility import plausibility_lines
from gametheory.teaching.explain import explain, readable_ratio, readable_sum
from tests.support import ROOT

G1 = ROOT / "games" / "deterrence.json"
F = Fraction


@cache
def g1(**values: str):
    scenario = gt.load(G1)
    game = scenario.bind(values)
    return scenario, game, explain(game, scenario)


def derivation(result, unknowns):
    """The derivation whose number of unknown probabilities per G1 player is ``unknowns``."""
    for d in result.derivations:
        sizes = tuple(
            sum(1 for who, _ in d.variables.values() if who == player) for player in ("Europe", "Russia", "US")
        )
        if sizes == unknowns:
            return d
    raise AssertionError(f"no mixed equilibrium with {unknowns} unknowns per player")


def plain(blocks) -> str:
    """The text of document blocks, one paragraph, list item or equation per line (no wrapping)."""
    lines = []
    for block in blocks:
        lines += list(getattr(block, "items", None) or getattr(block, "lines", None) or [getattr(block, "text", "")])
    return "\n".join(str(line) for line in lines)


def same(text: str, expected: str) -> bool:
    """Two formulas (test-side sympy parsing of trusted strings) are equal."""
    return sp.simplify(sp.sympify(text) - sp.sympify(expected)) == 0


# ------------------------------------------------------------------- G1 (E2)
def test_g1_probabilistic_deterrence_from_the_indifference_conditions():
    _, _, result = g1()
    # E2: Europe deploys (no unknown), Russia mixes (p_target), US mixes (p_backstop): each unknown is
    # named after the strategy it is the probability of.
    d = derivation(result, (0, 1, 1))
    assert d.variables == {"p_target": ("Russia", "target"), "p_backstop": ("US", "backstop")}
    assert d.values == {"p_target": "1/4", "p_backstop": "5/8"}
    # US payoffs once Europe deploys (SCENARIOS.md G1 table): backstop -1 if Russia accepts, -9 if it targets;
    # stay_out 0 and -12. Russia: accept -3 either way; target -6 against a backstop, 2 without.
    t, b = "p_target", "p_backstop"
    assert f"-1*(1 - {t}) - 9*{t} = 0*(1 - {t}) - 12*{t}" in d.equations
    assert f"-3*{b} - 3*(1 - {b}) = -6*{b} + 2*(1 - {b})" in d.equations
    assert (
        f"(m_us - c_us)*(1 - {t}) + (-h_us - c_us - e_us)*{t} = 0*(1 - {t}) + (-h_us - n_us)*{t}" in d.general_equations
    )
    assert same(d.general[t], "(c_us - m_us)/(n_us - e_us - m_us)")
    assert same(d.general[b], "(g_r - f_r - w_r + a_r)/x_r")
    assert d.general[b] == "(g_r - f_r - w_r + a_r)/x_r"  # written in the file's parameter order


def test_g1_explanation_text_shows_equations_and_solutions():
    _, _, result = g1()
    text = plain(result.blocks())
    assert "indifference: -1*(1 - p_target) - 9*p_target = 0*(1 - p_target) - 12*p_target" in text
    assert "so p_target* = 1/4" in text and "so p_backstop* = 5/8" in text
    assert "in general: p_backstop* = (g_r - f_r - w_r + a_r)/x_r = (10 - 6 - 2 + 3)/8 = 5/8" in text
    assert "(this is the scenario's derived quantity t_star)" in text
    # Europe, which plays deploy for sure, must not gain by holding: hold pays -8*t = -2 < -11/16.
    assert "Europe: deploy gives -11/16; hold would give -2: no gain from switching." in text


@pytest.mark.parametrize(
    "values, t, b",
    [
        # x_r = 10: b* = (10 - 6 - 2 + 3)/10 = 1/2; t* unchanged.
        ({"x_r": "10"}, "1/4", "1/2"),
        # m_us = 1.5: t* = (2 - 1.5)/(8 - 3 - 1.5) = 1/7; b* unchanged.
        ({"m_us": "1.5"}, "1/7", "5/8"),
    ],
)
def test_g1_other_values(values, t, b):
    _, _, result = g1(**values)
    d = derivation(result, (0, 1, 1))
    assert d.values == {"p_target": t, "p_backstop": b}


def test_g1_fully_mixed_equilibrium_solved_jointly():
    _, game, result = g1()
    d = derivation(result, (1, 1, 1))
    assert d.determined
    # SCENARIOS.md: Europe deploys about 83% of the time; the exact root involves sqrt(2521).
    assert "sqrt(2521)" in d.values["p_deploy"]
    value = float(d.values["p_deploy"].split("(about ")[1].rstrip(")"))
    assert value == pytest.approx(0.8336, abs=1e-4)
    # the joint solution agrees with the certified equilibrium found by the general solver
    eq = next(e for e in gt.solve(game).equilibria if all(len(s) == 2 for s in e.support))
    assert value == pytest.approx(float(eq.profile[0][0]), abs=1e-5)


def test_g1_pure_equilibrium_and_deviations():
    _, _, result = g1()
    text = plain(result.pure)
    # (hold, target, stay_out): Europe -8 vs -26 from deploying, Russia 4 vs 0, US -4 vs -6 (SCENARIOS.md table).
    assert "(hold, target, stay_out) is a Nash equilibrium" in text
    assert "Europe: hold gives -8 (= -h_e); deploy would give -26 (= -c_e - h_e - k_e), -26 < -8: no gain." in text
    assert "(deploy, accept, backstop): US would switch from backstop to stay_out (0 > -1)" in text
    assert "(hold, accept, stay_out): Europe would switch from hold to deploy (4 > 0)" in text


def test_g1_best_responses_in_words():
    _, _, result = g1()
    text = plain(result.best_responses)
    assert "against Russia target, US stay_out: deploy -26, hold -8; best: hold" in text
    assert "against Europe deploy, US stay_out: accept -3, target 2; best: target" in text


# -------------------------------------------------------------- dominance
def test_mixed_dominator_justified_by_its_inequalities():
    # Row's B (1, 1) is beaten by 1/2 T + 1/2 M: 1/2*3 + 1/2*0 = 3/2 > 1 and 1/2*0 + 1/2*3 = 3/2 > 1,
    # although neither T nor M alone dominates B.
    game = NormalFormGame.from_arrays(
        [[3, 0], [0, 3], [1, 1]],
        [[1, 0], [0, 1], [1, 0]],
        players=["Row", "Col"],
        strategies=[["T", "M", "B"], ["L", "R"]],
    )
    text = plain(explain(game).dominance)
    assert "Row: B is strictly dominated by 1/2*T + 1/2*M" in text
    assert "for every choice of the others, 1/2*T + 1/2*M gives more than B: 3/2 > 1 and 3/2 > 1." in text
    assert "against Col L: 1/2*3 + 1/2*0 = 3/2 > 1 from B" in text
    assert "against Col R: 1/2*0 + 1/2*3 = 3/2 > 1 from B" in text
    assert "Surviving strategies: Row: T, M; Col: L, R." in text


def test_prisoners_dilemma_is_dominance_solvable():
    # Row: D beats C against C (5 > 3) and against D (1 > 0); then Col, facing only D: 1 > 0.
    game = NormalFormGame.from_arrays(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Col"], strategies=[["C", "D"], ["C", "D"]]
    )
    text = plain(explain(game).dominance)
    assert (
        "Step 1. Row: C is strictly dominated by D: for every choice of the others, D gives more than C: 5 > 3 and 1 > 0."
        in text
    )
    assert (
        "Step 2. Col: C is strictly dominated by D: for every choice of the others, D gives more than C: 1 > 0." in text
    )
    assert "(D, D) is its only Nash equilibrium" in text


def test_no_dominated_strategy_said_so():
    game = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    text = plain(explain(game).dominance)
    assert "No strategy is strictly dominated" in text


# ------------------------------------------------------------- textbook mixes
def test_matching_pennies_general_form():
    # The file's hand solution: the mismatcher plays heads with probability 2/(x + 3), the matcher 1/2.
    scenario = gt.load(ROOT / "games" / "classics" / "matching_pennies.json")
    for x, q in (("1", "1/2"), ("3", "1/3")):
        result = explain(scenario.bind({"x": x}), scenario)
        [d] = result.derivations
        mismatcher = next(v for v, (p, _) in d.variables.items() if p == "Mismatcher")
        matcher = next(v for v, (p, _) in d.variables.items() if p == "Matcher")
        assert d.values[mismatcher] == q and d.values[matcher] == "1/2"
        assert same(d.general[mismatcher], "2/(x + 3)")


def test_unknowns_are_named_after_their_strategy_and_player_when_shared():
    # Two players with the same strategy names: each unknown says whose strategy it is. Hand solution of
    # this chicken game (swerve/dare, 0/-1/1/-10): each swerves with probability 9/10.
    game = NormalFormGame.from_arrays(
        [[0, -1], [1, -10]],
        [[0, 1], [-1, -10]],
        players=["Row", "Col"],
        strategies=[["swerve", "dare"]] * 2,
    )
    [d] = [d for d in explain(game).derivations if len(d.variables) == 2]
    assert d.variables == {"p_swerve": ("Col", "swerve"), "p_Row_swerve": ("Row", "swerve")} or d.variables == {
        "p_swerve": ("Row", "swerve"),
        "p_Col_swerve": ("Col", "swerve"),
    }
    assert set(d.values.values()) == {"9/10"}


def test_rock_paper_scissors_three_strategy_supports():
    game = NormalFormGame.from_arrays(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        players=["Row", "Col"],
        strategies=[["rock", "paper", "scissors"]] * 2,
    )
    [d] = explain(game).derivations
    assert len(d.variables) == 4  # two unknowns per player, rock gets 1 minus the others
    assert set(d.values.values()) == {"1/3"}


def test_continuum_is_not_pinned_down():
    # Col is indifferent everywhere: the mixed "equilibria" are extreme points of continua, and the
    # indifference condition reads 1 = 1.
    game = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 1], [1, 1]], players=["Row", "Col"])
    result = explain(game)
    assert result.derivations and not any(d.determined for d in result.derivations)
    assert "continuum of equilibria" in plain(result.mixed)


def test_readable_forms():
    a, b, c = sp.symbols("g_r f_r a_r")
    assert readable_sum(sp, c - b + a, ["g_r", "f_r", "a_r"]) == "g_r - f_r + a_r"
    assert readable_sum(sp, -b + c, ["f_r", "a_r"]) == "a_r - f_r"  # a positive term leads
    m, cu, n, e = sp.symbols("m_us c_us n_us e_us")
    # the denominator is made positive at the values used (n_us - e_us - m_us = 4 > 0 at the defaults)
    text = readable_ratio(sp, (m - cu) / (e + m - n), ["c_us", "m_us", "e_us", "n_us"], {n: 8, e: 3, m: 1, cu: 2})
    assert text == "(c_us - m_us)/(n_us - m_us - e_us)"


# ---------------------------------------------------------------------- CLI
@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_explain(run):
    result = run("explain", "games/deterrence.json", "--only", "mixed")
    assert result.exit_code == 0, result.output
    assert "p_target* = 1/4" in result.stdout and "p_backstop* = 5/8" in result.stdout
    assert "Best responses" not in result.stdout


def test_cli_explain_markdown_and_set(run):
    result = run("explain", "games/deterrence.json", "--set", "x_r=10", "--format", "markdown", "--only", "mixed")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Step by step")
    assert "so p_backstop\\* = 1/2" not in result.stdout  # equations are code blocks, not escaped text
    assert "so p_backstop* = 1/2" in result.stdout


def test_cli_explain_plausibility_stag_hunt_payoff_against_risk_dominance(run):
    # By hand (Harsanyi and Selten): (stag, stag) is payoff dominant for every stag > hare; it is risk dominant
    # iff the product of deviation losses (stag - hare)^2 beats hare^2, i.e. stag > 2 hare. At the defaults
    # stag = 4, hare = 3 risk dominance picks (hare, hare) (no. 3); with hare = 1 both criteria pick (stag, stag).
    result = run("explain", "games/classics/stag_hunt.json", "--only", "plausibility", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "## Which one is most plausible?" in result.stdout and "Best responses" not in result.stdout
    assert "- Most plausible: no. 3 (pure (hare, hare)). Why: " in result.stdout
    assert "- But payoff dominance favours no. 1 (pure (stag, stag))." in result.stdout
    # the handout's own words, not a copy: the same sentences as report/plausibility.py gives the solution
    scenario = gt.load(ROOT / "games" / "classics" / "stag_hunt.json")
    solution = analyse(scenario.bind(), scenario=scenario)
    assert all(f"- {line}" in result.stdout for line in plausibility_lines(solution, plausibility(solution)))
    result = run("explain", "games/classics/stag_hunt.json", "--only", "plausibility", "--set", "hare=1")
    assert "Most plausible: no. 1 (pure (stag, stag))." in " ".join(result.stdout.split())
    assert "(payoff dominance); it is the safer bet" in " ".join(result.stdout.split())
    assert "But " not in result.stdout


def test_cli_explain_bad_input(run):
    result = run("explain", "games/deterrence.json", "--set", "x_rr=1")
    assert result.exit_code == 2
    assert "unknown parameter 'x_rr'" in result.stderr


@pytest.mark.parametrize("command", ["explain", "report"])
def test_help_is_complete(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "gametheory " + command in result.stdout
    for param in app.commands[command].params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in result.stdout


# ---------------------------------------------------------------- game trees
def test_backward_induction_sequencing_g4():
    # SCENARIOS.md G4, "Backward induction at defaults (hand)": the US abstains after any strike (-8 > -9),
    # Russia targets at deploy_first (2 > -3 > -4) and refuses under cf_first (4 > 0); Europe picks cf_first
    # (-8 > -30). SPE outcome (-8, 4, -4).
    scenario = gt.load(ROOT / "games" / "sequencing.json")
    result = explain(scenario.bind(), scenario, parts=["tree"])
    text = plain(result.tree)
    assert (
        "After deploy_first/target, US moves: intervene gives -9, abstain gives -8; so abstain; value (-30, 2, -8)"
        in text
    )
    assert "After deploy_first, Russia moves: accept gives -3, target gives 2, bypass gives -4; so target" in text
    assert "After cf_first, Russia moves: refuse gives 4, sign gives 0; so refuse" in text
    assert "At the start, Europe moves: cf_first gives -8, deploy_first gives -30; so cf_first" in text
    assert "Backward induction gives the path Europe cf_first -> Russia refuse, with payoffs (-8, 4, -4)." in text
    assert not result.mixed and not result.pure  # only the part asked for was computed


def test_backward_induction_with_chance_g7():
    # SCENARIOS.md G7: the GA route is worth 0.3*7 + 0.7*(-9) - 2 = -6.2 to the coalition; Russia lobbies (1.5 > 1).
    scenario = gt.load(ROOT / "games" / "legal_route.json")
    text = plain(explain(scenario.bind(), scenario, parts=["tree"]).tree)
    assert "After unga/lobby, chance: 3/10*(5, -2) + 7/10*(-11, 3) = (-31/5, 3/2)" in text
    assert "After unga, Russia moves: lobby gives 3/2, quiet gives 1; so lobby" in text
    assert "At the start, Coalition moves: unsc gives -9, unga gives -31/5, cow gives -26; so unga" in text


def test_complex_roots_of_a_joint_system_are_shown_not_a_crash():
    """G5's joint systems have complex cube-root solutions; they are printed approximately and rejected."""
    from gametheory.teaching.explain import _solution_lines, _value_text

    c = sp.Symbol("c")
    root = (
        sp.Integer(1610) ** sp.Rational(2, 3)
        * (-(sp.Integer(3) ** sp.Rational(1, 3)) - 3 ** sp.Rational(5, 6) * sp.I)
        / 420
    )
    z = complex(sp.N(root))
    text = _value_text(sp, root)
    assert f"{z.real:.6g} - {abs(z.imag):.6g}i" in text
    assert "rejected" in _solution_lines(sp, [{c: root}], [c])[0]
    assert _value_text(sp, sp.sqrt(2)) == "sqrt(2) (about 1.41421)"
