"""Tests of where an outcome holds (gametheory.sensitivity.region, outcomes, report.region, ``gametheory region``).

The conditions the region reports, read back from their text with sympy, are
checked against the exact solver (gametheory.solvers.solve, every equilibrium
certified) at random points of the box and at points just either side of the
reported boundary. Independent facts from SCENARIOS.md (G1, games/deterrence.json):
the backstop deters, and Europe ever deploys, only when x_r > g_r - f_r - w_r + a_r = 5
at the defaults, so over x_r in [0, 15] the outcome holds on (5, 15]: share 2/3.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.errors import InputError
from gametheory.formats import load
from gametheory.report.region import region_dict, render_region
from gametheory.sensitivity.outcomes import parse_outcome
from gametheory.sensitivity.region import region
from gametheory.solvers import solve
from tests.support import GAMES

G1 = str(GAMES / "deterrence.json")
CHAINED = re.compile(r"^(\S+) (<=?) (\w+) (<=?) (\S+)$")


def europe_deploys(scenario, values) -> bool:
    """The independent check: some certified equilibrium gives deploy a positive probability."""
    solution = solve(scenario.bind({k: Fraction(v) for k, v in values.items()}))
    return any(eq.profile[0][0] > 0 for eq in solution.equilibria)


def condition_function(result):
    """The reported conditions, parsed from their text, as a function of the explored parameters."""
    symbols = {n: sp.Symbol(n) for n in result.free}

    def piece(text: str):
        alternatives = []
        for part in text.split(" or "):
            chained = CHAINED.match(part)
            if chained:
                a, op1, name, op2, b = chained.groups()
                part = f"({a} {op1} {name}) & ({name} {op2} {b})"
            alternatives.append(sp.sympify(part, locals=symbols))
        return sp.Or(*alternatives)

    formula = sp.Or(*[sp.And(*[piece(p) for p in alt]) for alt in result.conditions])
    evaluate = sp.lambdify([symbols[k] for k in result.free], formula, "numpy")

    def holds(point) -> bool:
        with np.errstate(all="ignore"):  # a square root of a negative number is nan: that condition fails
            return bool(evaluate(*(np.float64(point[k]) for k in result.free)))

    return holds


def test_one_parameter_exact_interval_share_and_flip(g1):
    result = region(g1, "Europe=deploy", free=["x_r"])
    assert result.conditions == (("x_r > 5",),)
    assert result.share_exact == "2/3"
    assert result.holds_at_defaults
    assert result.flip_changed == ("x_r",) and 4.5 <= result.flip["x_r"] < 5
    assert not europe_deploys(g1, {"x_r": result.flip["x_r"]})


@pytest.fixture(scope="module")
def two_dim(g1):
    return region(g1, "Europe=deploy", free=["x_r", "m_us"], samples=1000, seed=3)


def test_two_parameter_conditions_match_the_solver_inside_outside_and_at_the_boundary(g1, two_dim):
    holds = condition_function(two_dim)
    rng = np.random.default_rng(11)
    box = {k: (float(lo), float(hi)) for k, (lo, hi) in two_dim.box.items()}

    def draw():
        return {k: round(rng.uniform(lo, hi), 4) for k, (lo, hi) in box.items()}

    points = [draw() for _ in range(150)]
    inside = [p for p in points if holds(p)]
    outside = [p for p in points if not holds(p)]
    assert len(inside) >= 30 and len(outside) >= 30
    near = []
    for a, b in zip(inside[:30], outside[:30]):
        lo, hi = 0.0, 1.0
        for _ in range(30):  # bisect the reported conditions down to their boundary
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if holds({k: a[k] + mid * (b[k] - a[k]) for k in a}) else (lo, mid)
        for t in (lo - 1e-4, hi + 1e-4):
            near.append({k: a[k] + t * (b[k] - a[k]) for k in a})
    disagreements = [p for p in points + near if holds(p) != europe_deploys(g1, p)]
    assert len(points + near) >= 200
    assert disagreements == []


def test_flip_point_flips_and_json_contract(g1, two_dim):
    data = region_dict(two_dim)
    assert {"outcome", "conditions", "share", "flip"} <= set(data)
    assert data["outcome"] == "Europe=deploy" and all(isinstance(c, str) for c in data["conditions"])
    flip = data["flip"]["parameters"]
    assert set(flip) == set(g1.parameters)
    assert europe_deploys(g1, {k: flip[k] for k in two_dim.free}) != two_dim.holds_at_defaults
    low, high = two_dim.share_interval
    assert low <= two_dim.share <= high and two_dim.share_error < 0.03


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Europa=deploy", "unknown player 'Europa' (did you mean 'Europe'?)"),
        ("Europe=deplo", "'deplo' is not a strategy of Europe (did you mean 'deploy'?)"),
        ("P(Europe=deploy)>=2", "between 0 and 1"),
        ("Europe", "expected PLAYER=STRATEGY"),
    ],
)
def test_outcome_grammar_errors(g1, text, message):
    with pytest.raises(InputError, match=re.escape(message)):
        parse_outcome(g1, text)


def test_outcome_grammar_on_a_solved_game(g1):
    """At the defaults: pure (hold, target, stay_out), a mixed one with Europe deploying for sure, and
    one fully mixed with deploy 0.8336 (SCENARIOS.md, appendix A)."""
    solution = solve(g1.bind({}))
    from gametheory.sensitivity.labels import family_label

    eqs = [(family_label(solution.game.strategies, e.support), e.support, e.profile) for e in solution.equilibria]
    assert parse_outcome(g1, "Europe=deploy").holds(eqs)
    assert not parse_outcome(g1, "every Europe=deploy").holds(eqs)
    assert parse_outcome(g1, "P(Europe=deploy)>=1/2").holds(eqs)
    assert parse_outcome(g1, "Europe=deploy & Russia=accept & US=stay_out").holds(eqs) is not False
    assert parse_outcome(g1, "pure(hold,target,stay_out)").holds(eqs)
    assert not parse_outcome(g1, "pure(deploy,accept,backstop)").holds(eqs)


def test_cli_bad_outcome_exit_2():
    result = CliRunner().invoke(app, ["region", G1, "--outcome", "Europe=deplo", "--param", "x_r"])
    assert result.exit_code == 2 and "did you mean 'deploy'" in result.output


# Exact shares over two parameters (G1 over x_r in [0, 15], m_us in [0, 4], the rest at the defaults),
# by hand. The family mixed(deploy,hold|accept,target|backstop) exists where x_r > 5 and
# m_us >= (8 x_r - 43)/9: full height 4 for x_r in (5, 43/8], then 4 - (8 x_r - 43)/9 up to
# x_r = 79/8, nothing beyond: area 3/2 + 9 = 21/2 of 60, share 7/40. The family
# mixed(deploy|accept,target|backstop,stay_out) exists where x_r > 5, m_us < 2 and
# (m_us - 5)(15 (m_us - 3) - 2 x_r (3 m_us - 4)) >= 0: every x_r for m_us in [1, 2), and
# 5 < x_r <= 15 (3 - m_us) / (2 (4 - 3 m_us)) below: area 15/2 + 25 log(2)/3, share 1/8 + 5 log(2)/36.
@pytest.mark.parametrize(
    "outcome, share",
    [
        ("mixed(deploy,hold|accept,target|backstop)", sp.Rational(7, 40)),
        ("mixed(deploy|accept,target|backstop,stay_out)", sp.Rational(1, 8) + 5 * sp.log(2) / 36),
    ],
)
def test_exact_share_of_a_two_parameter_region(g1, outcome, share):
    result = region(g1, outcome, free=["x_r", "m_us"], samples=0)
    assert sp.simplify(sp.sympify(result.share_exact) - share) == 0
    assert result.share == pytest.approx(float(share)) and result.share_interval is None


# ------------------------------------------------------------------ subgame perfection
@pytest.fixture(scope="module")
def g4():
    return load(str(GAMES / "sequencing.json"))


def deploys_first_on_a_spe_path(scenario, values) -> bool:
    """The independent check: backward induction's equilibria (gametheory.solvers.backward), read on their paths."""
    from gametheory.solvers.backward import subgame_perfect

    point = scenario.with_derived(scenario.parameter_values({k: Fraction(v) for k, v in values.items()}))
    equilibria, _, _ = subgame_perfect(scenario.extensive.evaluate(point))
    return any(("Europe", "deploy_first") in {(s.actor, s.action) for s in eq.path} for eq in equilibria)


def test_subgame_perfect_outcome_over_one_parameter_is_exact(g4):
    result = region(g4, "spe Europe=deploy_first", free=["pledge_us"])
    assert result.conditions == (("pledge_us >= 1",),) and result.share_exact == "5/6"
    for pledge in ("0", "0.5", "0.999", "1", "1.001", "3", "6"):
        assert deploys_first_on_a_spe_path(g4, {"pledge_us": pledge}) == (Fraction(pledge) >= 1)
    assert not result.holds_at_defaults and deploys_first_on_a_spe_path(g4, result.flip)


def test_subgame_perfect_outcome_in_drivers_matches_backward_induction(g4):
    from gametheory.sensitivity.drivers import outcome_model, setting_for

    setting = setting_for(g4, ["pledge_us", "x_r"], None, None, None)
    rng = np.random.default_rng(8)
    points = {n: np.round(rng.uniform(float(d.low), float(d.high), 16), 3) for n, d in setting.drawn.items()}
    (values,) = outcome_model(g4, parse_outcome(g4, "spe Europe=deploy_first"), setting)(points).values()
    expected = [deploys_first_on_a_spe_path(g4, {n: str(points[n][k]) for n in points}) for k in range(16)]
    assert values.tolist() == [float(e) for e in expected] and 0 < sum(expected) < 16


def test_subgame_perfect_outcomes_are_checked(g1, g4):
    with pytest.raises(InputError, match="game tree"):
        parse_outcome(g1, "spe Europe=deploy")
    with pytest.raises(InputError, match="did you mean 'deploy_first'"):
        parse_outcome(g4, "subgame-perfect Europe=deply_first")
    assert parse_outcome(g4, "every spe Europe=cf_first").quantifier == "every"


# ------------------------------------------------------------ the scenario's names of equilibria
def test_outcomes_accept_the_scenario_names_of_equilibria(g1):
    """G1 names the support (deploy | accept,target | backstop,stay_out) "probabilistic deterrence" and
    (hold, target, stay_out) "nobody moves" (SCENARIOS.md, G1): a name is the same outcome as its label."""
    label = "mixed(deploy|accept,target|backstop,stay_out)"
    for text in ("probabilistic deterrence", '"Probabilistic  Deterrence"', "some probabilistic deterrence"):
        named = parse_outcome(g1, text)
        assert (named.families, named.regime, named.exact_regime) == (((label, 1),), label, False)
    solution = solve(g1.bind({}))
    from gametheory.sensitivity.labels import family_label

    eqs = [(family_label(solution.game.strategies, e.support), e.support, e.profile) for e in solution.equilibria]
    # at the defaults the set is nobody moves, probabilistic deterrence and one fully mixed family
    third = next(lab for lab, _, _ in eqs if lab.startswith("mixed(deploy,hold"))
    assert parse_outcome(g1, "nobody moves").holds(eqs) and not parse_outcome(g1, "pure deterrence").holds(eqs)
    assert not parse_outcome(g1, "nobody moves + probabilistic deterrence").holds(eqs)  # exactly: the third is missing
    assert parse_outcome(g1, f"nobody moves + probabilistic deterrence + {third}").holds(eqs)
    with pytest.raises(InputError, match=re.escape("got 'probabilistc deterence' (did you mean 'probabilistic")):
        parse_outcome(g1, "probabilistc deterence")


def test_region_of_a_name_is_its_label_s_region_shown_by_name(g1):
    # probabilistic deterrence needs Russia to be deterred by the risk of the US backing, at x_r > 5 (as deploy)
    result = region(g1, "probabilistic deterrence", free=["x_r"])
    assert result.conditions == (("x_r > 5",),) and result.share_exact == "2/3"
    assert render_region(result).startswith("Where probabilistic deterrence holds\n")
    # the report only reads the outcome: an exact regime typed as labels is shown by its names
    typed = replace(
        result, outcome=parse_outcome(g1, "mixed(deploy|accept,target|backstop,stay_out) + pure(hold,target,stay_out)")
    )
    assert "Where exactly probabilistic deterrence; nobody moves holds" in render_region(typed, "markdown")
    data = json.loads(render_region(typed, "json"))
    assert data["regime"] == "mixed(deploy|accept,target|backstop,stay_out) + pure(hold,target,stay_out)"
    assert data["display"] == "exactly probabilistic deterrence; nobody moves"
