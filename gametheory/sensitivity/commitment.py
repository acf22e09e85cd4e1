"""Commitment for a scenario: one leader at given parameter values, and how it changes with a parameter.

:func:`analyse_commitment` runs :func:`gametheory.solvers.commitment.commitment`
on a scenario's game (its reduced normal form for a tree, its ex-ante form for
a Bayesian game, with a note saying what that means) and the who-gains table.

:func:`commitment_thresholds` follows one parameter: where the leader's best
commitment changes (which strategy, which reply, which support) and where
committing starts or stops paying (the committed payoff against the best Nash
payoff). Candidate thresholds are found exactly: every root, in the parameter,
of a payoff difference that decides a best reply (the same player's payoffs
in two profiles that differ only in its own strategy), of a difference of the
leader's payoffs between two profiles, and the exact thresholds of the Nash
equilibrium set (:func:`gametheory.sensitivity.thresholds.thresholds`). A
candidate is a threshold when the regime differs on its two sides, computed
exactly at rational sample points. A change of regime between two samples
with no candidate between them (it happens for mixed commitment, whose
vertices move with the parameter) is located by exact bisection and reported
as *located*, not proven: the rational with the smallest denominator in a
bracket of width 2^-40 of the range.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..game import NormalFormGame, Number
from ..scenario import Scenario
from ..scenario.common import suggest
from ..solvers import solve
from ..solvers.commitment import Commitment, commitment, who_gains
from ..solvers.trees import structure_method
from .symbolic import symbol_table, symbolic_payoffs
from .thresholds import simplest_between, thresholds

TREE_NOTE = (
    "This scenario is a game tree: commitment is computed on its reduced normal form. The leader commits in "
    "advance to a whole plan (what it will do at each of its moves), and the followers answer with a Nash "
    "equilibrium of the game that remains, which need not be subgame perfect. Other orders of moves in the "
    "tree are not compared."
)
BAYESIAN_NOTE = (
    "This scenario is a Bayesian game: commitment is computed on its ex-ante form. The leader commits to a "
    "type-contingent plan before learning its type; committing after learning it (a signalling problem) "
    "is not covered."
)
#: Sample points per candidate interval used to detect changes no candidate explains.
EXTRA_SAMPLES = 8
#: Bisection stops when the bracket is this fraction of the range.
BISECTION_WIDTH = Fraction(1, 2**40)


@dataclass(frozen=True)
class ScenarioCommitment:
    """The commitment analysis of a scenario at one parameter point."""

    title: str
    file: str | None
    form: str
    result: Commitment
    table: tuple[Commitment, ...]
    notes: tuple[str, ...]

    @property
    def game(self) -> NormalFormGame:
        return self.result.game


def leader_index(game: NormalFormGame, name: str, file: str | None = None) -> int:
    """The index of the player called ``name`` (exact, else case-insensitive); a located error with a suggestion."""
    if name in game.players:
        return game.players.index(name)
    folded = [p for p in game.players if p.casefold() == name.casefold()]
    if len(folded) == 1:
        return game.players.index(folded[0])
    raise InputError(
        f"--leader: unknown player {name!r}{suggest(name, game.players)}; players are {', '.join(game.players)}",
        file=file,
    )


def form_of(scenario: Scenario) -> str:
    """``"tree"``, ``"bayesian"`` or ``"normal"``."""
    if scenario.extensive is not None:
        return "tree"
    return "bayesian" if scenario.bayesian is not None else "normal"


def _methods(scenario: Scenario, game: NormalFormGame) -> tuple[str, str]:
    """Solver methods for the simultaneous game and for the followers' games (pure ones for large trees)."""
    nash = structure_method(scenario, game, "auto")
    followers = "pure" if scenario.extensive is not None and game.num_players > 3 else "auto"
    return nash, followers


def analyse_commitment(
    scenario: Scenario, game: NormalFormGame, leader: str, *, table: bool = True
) -> ScenarioCommitment:
    """Commitment with ``leader`` moving first in ``game`` (the scenario bound at some values), and the who-gains table."""
    index = leader_index(game, leader, scenario.file)
    form = form_of(scenario)
    nash_method, follower_method = _methods(scenario, game)
    nash = solve(game, nash_method)
    notes = [TREE_NOTE] if form == "tree" else [BAYESIAN_NOTE] if form == "bayesian" else []
    if nash_method == "pure":
        notes.append("The Nash payoffs compared are those of the pure equilibria (the reduced form is degenerate).")
    result = commitment(game, index, nash=nash, follower_method=follower_method)
    rows = who_gains(game, nash=nash, follower_method=follower_method) if table else ()
    return ScenarioCommitment(scenario.title, scenario.file, form, result, rows, tuple(notes))


# ------------------------------------------------------------------ one parameter
@dataclass(frozen=True)
class CommitmentRegime:
    """The leader's best commitment on one stretch of the parameter (described at an exact sample point)."""

    low: Fraction
    high: Fraction
    sample: Fraction
    label: str
    result: Commitment


@dataclass(frozen=True)
class CommitmentThreshold:
    """A value of the parameter where the regime changes.

    ``exact_root`` True: the value is an exact root of a payoff difference that
    decides a reply or a choice (or a Nash threshold), and the regime differs
    between the samples nearest to it on either side. False: no such root lay
    between two samples of different regimes, and the value was located by
    exact bisection (the simplest rational in a bracket of width 2^-40 of the range).
    """

    value: Fraction
    below: str
    above: str
    exact_root: bool


@dataclass(frozen=True)
class CommitmentScan:
    parameter: str
    leader: str
    regimes: tuple[CommitmentRegime, ...]
    thresholds: tuple[CommitmentThreshold, ...]


def regime_of(result: Commitment) -> str:
    """A stable name of a commitment result: what the leader commits to, the reply, and whether it pays."""
    game, leader = result.game, result.leader
    best = result.best_commitment
    mine = best.profile[leader]
    support = [game.strategies[leader][k] for k, p in enumerate(mine) if p > 0]
    kind = "mixes" if len(support) > 1 else "commits to"
    replies = []
    for i, probs in enumerate(best.profile):
        if i != leader:
            used = [game.strategies[i][k] for k, p in enumerate(probs) if p > 0]
            replies.append(f"{game.players[i]}: {'/'.join(used)}")
    gain = result.gain_over_best_nash
    verdict = "" if gain is None else ("; pays" if gain > 0 else "; worth nothing" if gain == 0 else "; hurts")
    return f"{game.players[leader]} {kind} {'+'.join(support)} ({', '.join(replies)}){verdict}"


def _candidates(
    scenario: Scenario, game: NormalFormGame, parameter: str, values: Mapping[str, Any], leader: int, lo, hi
):
    """Exact roots in (lo, hi) of the payoff differences that decide best replies and the leader's choices."""
    import sympy as sp

    table = symbol_table(scenario, (parameter,), values)
    symbol = table[parameter]
    pay = symbolic_payoffs(scenario, table)
    exprs = set()
    shape = game.shape
    for profile in itertools.product(*(range(n) for n in shape)):
        for i, n in enumerate(shape):
            for k in range(profile[i] + 1, n):
                other = list(profile)
                other[i] = k
                exprs.add(sp.together(pay[(i, *profile)] - pay[(i, *other)]))
    cells = [pay[(leader, *p)] for p in itertools.product(*(range(n) for n in shape))]
    for a, b in itertools.combinations(set(cells), 2):
        exprs.add(sp.together(a - b))
    roots = set()
    for expr in exprs:
        numer = sp.numer(expr)
        if not numer.has(symbol):
            continue
        try:
            poly = sp.Poly(numer, symbol)
        except sp.PolynomialError:
            continue
        for r in poly.real_roots():
            if r.is_Rational and lo < Fraction(int(r.p), int(r.q)) < hi:
                roots.add(Fraction(int(r.p), int(r.q)))
    return roots


def commitment_thresholds(
    scenario: Scenario,
    leader: str,
    parameter: str,
    *,
    values: Mapping[str, Any] | None = None,
    search: tuple[Number, Number] | None = None,
) -> CommitmentScan:
    """The leader's best commitment as ``parameter`` varies over ``search`` (default: its declared range).

    ``values`` fixes the other parameters (defaults when None). Rational roots
    of the deciding differences are exact candidates; other changes are located
    by bisection (see :class:`CommitmentThreshold`).
    """
    if parameter not in scenario.parameters:
        raise InputError(
            f"unknown parameter {parameter!r}{suggest(parameter, scenario.parameters)}", file=scenario.file
        )
    base = dict(values) if values is not None else scenario.parameter_values()
    lo, hi = (Fraction(v) for v in search) if search is not None else (None, None)
    if lo is None:
        declared = scenario.parameters[parameter].range
        if declared is None:
            raise InputError(f"{parameter} has no declared range; give the interval to search", file=scenario.file)
        lo, hi = declared
    if not lo < hi:
        raise InputError(f"the search interval of {parameter} is empty", file=scenario.file)
    game = scenario.game_at(scenario.with_derived(base))
    index = leader_index(game, leader, scenario.file)
    cuts = _candidates(scenario, game, parameter, base, index, lo, hi)
    nash = thresholds(scenario, parameter, base=_parameters_only(scenario, base), search=(lo, hi), symbolic=False)
    cuts |= {q for q in (_rational_text(t.exact) for t in nash.thresholds) if q is not None}
    points = sorted(cuts)

    def at(x: Fraction) -> Commitment:
        point = dict(base)
        point[parameter] = x
        g = scenario.game_at(scenario.with_derived(_parameters_only(scenario, point)))
        nash_method, follower_method = _methods(scenario, g)
        return commitment(g, index, nash=solve(g, nash_method), correlated=False, follower_method=follower_method)

    bounds = [lo, *points, hi]
    regimes: list[CommitmentRegime] = []
    found: list[CommitmentThreshold] = []
    for a, b in itertools.pairwise(bounds):
        grid = [a + (b - a) * Fraction(k, EXTRA_SAMPLES + 1) for k in range(1, EXTRA_SAMPLES + 1)]
        results = [(x, at(x)) for x in grid]
        start = a
        for (x0, r0), (x1, r1) in itertools.pairwise(results):
            l0, l1 = regime_of(r0), regime_of(r1)
            if l0 != l1:
                t = _bisect(at, x0, x1, l0, (hi - lo) * BISECTION_WIDTH)
                regimes.append(CommitmentRegime(start, t, x0, l0, r0))
                found.append(CommitmentThreshold(t, l0, l1, False))
                start = t
        x_last, r_last = results[-1]
        regimes.append(CommitmentRegime(start, b, x_last, regime_of(r_last), r_last))
    merged = _merge(regimes, found)
    return CommitmentScan(parameter, game.players[index], tuple(merged[0]), tuple(merged[1]))


def _rational_text(text: str | None) -> Fraction | None:
    """An exact threshold's text as a Fraction when it is rational (``"334/47"``), else None."""
    try:
        return None if text is None else Fraction(text)
    except ValueError:
        return None


def _parameters_only(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in scenario.parameters}


def _bisect(at, x0: Fraction, x1: Fraction, label0: str, width: Fraction) -> Fraction:
    """Exact bisection of a regime change between ``x0`` and ``x1``, snapped to the simplest rational in the bracket."""
    while x1 - x0 > width:
        mid = (x0 + x1) / 2
        if regime_of(at(mid)) == label0:
            x0 = mid
        else:
            x1 = mid
    return simplest_between(x0, x1)


def _merge(regimes: list[CommitmentRegime], located: list[CommitmentThreshold]):
    """Adjacent stretches with one label become one regime; a proven threshold at every candidate where it changes."""
    out: list[CommitmentRegime] = []
    thresholds_out: list[CommitmentThreshold] = []
    located_at = {t.value for t in located}
    for regime in regimes:
        if out and out[-1].label == regime.label:
            prev = out[-1]
            out[-1] = CommitmentRegime(prev.low, regime.high, prev.sample, prev.label, prev.result)
            continue
        if out:
            root = regime.low not in located_at
            thresholds_out.append(CommitmentThreshold(regime.low, out[-1].label, regime.label, root))
        out.append(regime)
    return out, thresholds_out
