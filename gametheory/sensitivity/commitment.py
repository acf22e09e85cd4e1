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

import dataclasses
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InputError
from ..game import NormalFormGame, Number, expected_payoffs, observer_payoffs
from ..scenario import Scenario, scenario_values
from ..scenario.common import suggest
from ..solvers import solve
from ..solvers.backward import subgame_perfect
from ..solvers.commitment import Commitment, CommitmentOutcome, commitment, floor_strategy, who_gains
from ..solvers.trees import structure_method
from .symbolic import analyse, symbol_table, symbolic_payoffs
from .thresholds import simplest_between, thresholds

TREE_NOTE = (
    "This scenario is a game tree: commitment is computed on its reduced normal form. The leader commits in "
    "advance to a whole plan (what it will do at each of its moves), and the followers answer with a Nash "
    "equilibrium of the game that remains, which need not be subgame perfect. The orders of moves compared "
    "are the tree's own (subgame perfect) and each player in turn moving first with a binding plan."
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


#: Mixed commitment with several followers is attempted when the followers' game has at most this many
#: support profiles (its closed forms are then quick to derive).
MAX_FOLLOWER_SUPPORTS = 50
#: The start of a note saying why mixtures answered by mixed equilibria of the followers were not searched.
NOT_SEARCHED = (
    "Mixtures the followers answer with a mixed equilibrium were not searched (only those they answer with a pure one)"
)


@dataclass(frozen=True)
class ScenarioCommitment:
    """The commitment analysis of a scenario at one parameter point.

    ``several`` is the mixed commitment with several followers (a leader with
    two strategies, see :func:`followers_mixed`), None when not computed
    (``notes`` says why); ``several_table`` the same for each row of ``table``.
    """

    title: str
    file: str | None
    form: str
    result: Commitment
    table: tuple[Commitment, ...]
    notes: tuple[str, ...]
    several: FollowersMixed | None = None
    several_table: tuple[FollowersMixed | None, ...] = ()
    #: For a game tree: the payoffs of its subgame-perfect equilibria (no commitment, moves as the tree orders them).
    subgame_perfect: tuple[tuple[Number, ...], ...] = ()
    #: The leader's best mixture in closed form, strategy -> expression text (see :func:`mixture_formula`).
    formula: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: A strategy whose probability in the best mixture is a minimum: played more often, it keeps the
    #: others' reply (:func:`gametheory.solvers.commitment.floor_strategy`); None when there is none.
    floor: int | None = None

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


def solver_methods(scenario: Scenario, game: NormalFormGame) -> tuple[str, str]:
    """Solver methods for the simultaneous game and for the followers' games (pure ones for large trees)."""
    nash = structure_method(scenario, game, "auto")
    followers = "pure" if scenario.extensive is not None and game.num_players > 3 else "auto"
    return nash, followers


def analyse_commitment(
    scenario: Scenario, game: NormalFormGame, leader: str, *, table: bool = True, correlated: bool = True
) -> ScenarioCommitment:
    """Commitment with ``leader`` moving first in ``game`` (the scenario bound at some values), and the
    who-gains table (``table=False`` leaves it out; ``correlated=False`` the correlated-commitment LP)."""
    index = leader_index(game, leader, scenario.file)
    form = form_of(scenario)
    nash_method, follower_method = solver_methods(scenario, game)
    nash = solve(game, nash_method)
    notes = [TREE_NOTE] if form == "tree" else [BAYESIAN_NOTE] if form == "bayesian" else []
    if nash_method == "pure":
        notes.append("The Nash payoffs compared are those of the pure equilibria (the reduced form is degenerate).")
    result = commitment(game, index, nash=nash, follower_method=follower_method, correlated=correlated)
    rows = who_gains(game, nash=nash, follower_method=follower_method) if table else ()
    several, why = several_followers(game, index)
    if why:
        notes.append(why)
    several_rows = tuple(several_followers(game, c.leader)[0] for c in rows)
    spe = subgame_perfect_payoffs(scenario, game)
    best = several.optimistic if several is not None else result.best_commitment
    formula = {k: str(v) for k, v in mixture_formula(scenario, best, index, game).items()}
    return ScenarioCommitment(
        scenario.title,
        scenario.file,
        form,
        result,
        rows,
        tuple(notes),
        several,
        several_rows,
        spe,
        formula,
        floor_strategy(game, index, best),
    )


def subgame_perfect_payoffs(scenario: Scenario, game: NormalFormGame) -> tuple[tuple[Number, ...], ...]:
    """The players' payoffs in each subgame-perfect equilibrium of a tree scenario at ``game``'s values (else ``()``)."""
    if scenario.extensive is None:
        return ()
    found, _, _ = subgame_perfect(scenario.extensive.evaluate(scenario_values(scenario, game.parameters)))
    return tuple(e.payoffs[: game.num_players] for e in found)


def several_followers(game: NormalFormGame, leader: int) -> tuple[FollowersMixed | None, str | None]:
    """:func:`followers_mixed` where it applies, else None and the reason (None for two-player games)."""
    if game.num_players == 2:
        return None, None
    name = game.players[leader]
    if game.shape[leader] != 2:
        return None, (
            f"{name} has {game.shape[leader]} strategies: its mixed commitment is the best one the followers "
            "answer with a pure equilibrium (one exact LP per followers' profile); mixtures the followers "
            "answer with a mixed equilibrium are searched for a leader with two strategies only. The "
            "correlated commitment bounds what any of them could give."
        )
    supports = 1
    for i, n in enumerate(game.shape):
        if i != leader:
            supports *= 2**n - 1
    if supports > MAX_FOLLOWER_SUPPORTS:
        return None, (
            f"{NOT_SEARCHED}: the followers' game has {supports} support profiles (limit "
            f"{MAX_FOLLOWER_SUPPORTS} for its closed forms)."
        )
    try:
        found = followers_mixed(game, leader)
        return found, "; ".join(found.notes) or None
    except InputError as exc:
        return None, f"{NOT_SEARCHED}: {exc}"


# ------------------------------------------------------------------ one parameter
@dataclass(frozen=True)
class CommitmentRegime:
    """The leader's best commitment on one stretch of the parameter (described at an exact sample point)."""

    low: Fraction
    high: Fraction
    sample: Fraction
    label: str
    result: Commitment
    #: The mixed commitment with several followers at ``sample``, where it applies (see :func:`several_followers`).
    several: FollowersMixed | None = None
    #: The leader's best mixture at ``sample`` in closed form (strategy -> expression text), when found.
    formula: Mapping[str, str] = dataclasses.field(default_factory=dict)


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
    verdict = (
        ""
        if gain is None
        else "; gains over best Nash"
        if gain > 0
        else "; no gain over best Nash"
        if gain == 0
        else "; below best Nash"
    )
    return f"{game.players[leader]} {kind} {'+'.join(support)} ({', '.join(replies)}){verdict}"


def regime_labeller(scenario: Scenario, leader: int) -> Callable[[Commitment], str]:
    """:func:`regime_of`, for a tree with whether commitment beats the tree's subgame-perfect outcome."""
    if scenario.extensive is None:
        return regime_of

    def label(result: Commitment) -> str:
        spe = subgame_perfect_payoffs(scenario, result.game)
        if not spe:
            return regime_of(result)
        beats = result.value > max(p[leader] for p in spe)
        return regime_of(result) + ("; beats" if beats else "; no better than") + " subgame perfection"

    return label


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
        nash_method, follower_method = solver_methods(scenario, g)
        mixed_replies = g.num_players > 2 and g.shape[index] == 2
        found = commitment(
            g, index, nash=solve(g, nash_method), correlated=mixed_replies, follower_method=follower_method
        )
        return with_mixed_replies(found)

    label = regime_labeller(scenario, index)
    bounds = [lo, *points, hi]
    regimes: list[CommitmentRegime] = []
    found: list[CommitmentThreshold] = []
    for a, b in itertools.pairwise(bounds):
        grid = [a + (b - a) * Fraction(k, EXTRA_SAMPLES + 1) for k in range(1, EXTRA_SAMPLES + 1)]
        results = [(x, at(x)) for x in grid]
        start = a
        for (x0, r0), (x1, r1) in itertools.pairwise(results):
            l0, l1 = label(r0), label(r1)
            if l0 != l1:
                t = _bisect(at, label, x0, x1, l0, (hi - lo) * BISECTION_WIDTH)
                regimes.append(CommitmentRegime(start, t, x0, l0, r0))
                found.append(CommitmentThreshold(t, l0, l1, False))
                start = t
        x_last, r_last = results[-1]
        regimes.append(CommitmentRegime(start, b, x_last, label(r_last), r_last))
    merged, changes = _merge(regimes, found)
    merged = [_resampled(r, simplest_between(r.low, r.high), at, label, index) for r in merged]
    merged = [_with_formula(scenario, r, index) for r in merged]
    return CommitmentScan(parameter, game.players[index], tuple(merged), tuple(changes))


def with_mixed_replies(result: Commitment) -> Commitment:
    """``result`` with :attr:`~gametheory.solvers.commitment.Commitment.mixed_several` filled where it can
    beat the commitments found: several followers, a leader with two strategies, and a best commitment
    below the correlated bound (when it reaches the bound nothing can beat it, and the closed forms of
    the followers' game are not derived)."""
    game, leader = result.game, result.leader
    corr = result.correlated
    if corr is None or game.num_players < 3 or result.value >= corr.payoffs[leader]:
        return result
    several, _ = several_followers(game, leader)
    if several is None or several.optimistic.payoffs[leader] <= result.value:
        return result
    return dataclasses.replace(result, mixed_several=several.optimistic)


def _resampled(regime: CommitmentRegime, x: Fraction, at, label, leader: int) -> CommitmentRegime:
    """The regime described at ``x``, the simplest rational inside it (when ``x`` shows the same regime),
    with the mixed commitment with several followers there where it applies."""
    result = at(x)
    if label(result) == regime.label:
        regime = dataclasses.replace(regime, sample=x, result=result)
    return dataclasses.replace(regime, several=several_followers(regime.result.game, leader)[0])


def _with_formula(scenario: Scenario, regime: CommitmentRegime, leader: int) -> CommitmentRegime:
    best = regime.several.optimistic if regime.several is not None else regime.result.best_commitment
    formula = mixture_formula(scenario, best, leader, regime.result.game)
    return dataclasses.replace(regime, formula={k: str(v) for k, v in formula.items()})


def _rational_text(text: str | None) -> Fraction | None:
    """An exact threshold's text as a Fraction when it is rational (``"334/47"``), else None."""
    try:
        return None if text is None else Fraction(text)
    except ValueError:
        return None


def _parameters_only(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in scenario.parameters}


def _bisect(at, label, x0: Fraction, x1: Fraction, label0: str, width: Fraction) -> Fraction:
    """Exact bisection of a regime change between ``x0`` and ``x1``, snapped to the simplest rational in the bracket."""
    while x1 - x0 > width:
        mid = (x0 + x1) / 2
        if label(at(mid)) == label0:
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


# ------------------------------------------------------------------ several followers, two leader strategies
#: The leader's probability of its first strategy, the one free parameter of the followers' game.
MIX = "leader_mix"


@dataclass(frozen=True)
class FollowersMixed:
    """Mixed commitment with several followers for a leader with two strategies, exact by closed forms.

    ``optimistic``: the best commitment when the followers pick the
    equilibrium best for the leader (attained: the equilibrium set is closed).
    ``pessimistic``: the supremum when they pick the worst one, and whether a
    commitment attains it. ``breakpoints``: the exact mixtures (probability of
    the leader's first strategy) where the followers' equilibria change.
    """

    optimistic: CommitmentOutcome
    pessimistic: CommitmentOutcome
    breakpoints: tuple[Number, ...]
    #: What the result leaves out (breakpoints where the followers' game could not be solved exactly).
    notes: tuple[str, ...] = ()


def followers_mixed(game: NormalFormGame, leader: int) -> FollowersMixed:
    """The leader (two strategies) commits to ``(q, 1 - q)``; the followers' game then has payoffs
    linear in ``q``, and :func:`gametheory.sensitivity.symbolic.analyse` gives its equilibria in closed
    form, family by family, with the conditions under which each holds. Between consecutive roots of
    those conditions the families present are fixed and the leader's payoff along each is a rational
    function of ``q``: its maximum over the closed interval is at an end or a root of its derivative
    (optimistic; the ends count, since a limit of equilibria is an equilibrium), and the supremum of the
    lower envelope is at an end (approached only), such a root or a crossing of two families
    (pessimistic). At the breakpoints themselves, where continua of equilibria can appear, the
    followers' game is solved exactly by the general solver. At an irrational breakpoint it cannot be
    (its payoffs are not rational): there only the limits of the families on either side count, and
    ``notes`` says so (an equilibrium that exists only at that one mixture would be missed). Games
    whose followers' equilibria have no closed form are refused with an :class:`InputError`.
    """
    import sympy as sp

    if game.shape[leader] != 2:
        raise InputError(
            "mixed commitment with several followers is computed for a leader with two strategies; "
            f"{game.players[leader]} has {game.shape[leader]}"
        )
    scenario = _followers_scenario(game, leader)
    families = analyse(scenario, (MIX,), {MIX: Fraction(1, 2)})
    if not families.supported:
        raise InputError(f"the followers' equilibria have no closed form in the leader's mixture: {families.reason}")
    q = families.symbols[MIX]
    points = _breakpoints(sp, families, q)
    best: tuple[Any, Any, Any] | None = None  # (leader's value, q, family or solved profile)
    pessimistic: list[tuple[Any, Any, bool, Any]] = []  # (value, q, attained, family or profile)
    for a, b in itertools.pairwise(points):
        mid = (a + b) / 2
        present = [
            f for f in families.families if all(_holds(sp, f.explicit(c.expr), c.strict, q, mid) for c in f.conditions)
        ]
        curves = [sp.cancel(f.explicit(f.observer_payoffs[0])) for f in present]
        for f, curve in zip(present, curves):
            for x in [a, b, *_stationary(sp, curve, q, a, b)]:
                v = _value_at(sp, curve, q, x, a, b)
                if best is None or v > best[0]:
                    best = (v, x, f)
        pessimistic.extend(_envelope_sup(sp, present, curves, q, a, b))
    irrational = [x for x in points if not x.is_Rational]
    for x in points:
        if not x.is_Rational:
            continue
        (low, low_profile), (high, high_profile) = _solved_at(game, leader, x)
        if best is None or high > best[0]:
            best = (high, x, high_profile)
        pessimistic.append((low, x, True, low_profile))
    assert best is not None  # [0, 1] has at least its two ends as breakpoints
    optimistic = _mixed_outcome(game, leader, q, best[1], best[2], True)
    top = max(p[0] for p in pessimistic)
    reached = [p for p in pessimistic if p[0] == top and p[2]]
    _, x, attained, how = reached[0] if reached else next(p for p in pessimistic if p[0] == top)
    worst = _mixed_outcome(game, leader, q, x, how, attained)
    notes = ()
    if irrational:
        where = ", ".join(f"{sp.N(r, 8)}" for r in irrational)
        note = (
            f"Mixed commitment with several followers: the followers' equilibria change at irrational "
            f"mixtures ({where}); there the followers' game itself was not solved (its payoffs are "
            "irrational), only the limits of the equilibria on either side count: an equilibrium that "
            "exists at exactly that mixture and nowhere near it is not seen"
        )
        notes = (note,)
    return FollowersMixed(optimistic, worst, tuple(_number(p) for p in points), notes)


def _followers_scenario(game: NormalFormGame, leader: int) -> Scenario:
    """The followers' game after the leader commits to ``(q, 1 - q)``, as a scenario with the one parameter
    ``q`` (named :data:`MIX`) and the leader as an observer."""
    from ..expressions import parse_expression
    from ..scenario.model import Parameter, Player

    rows = [i for i in range(game.num_players) if i != leader] + [leader]
    first = np.take(game.payoffs, 0, axis=leader + 1)
    second = np.take(game.payoffs, 1, axis=leader + 1)
    shape = (len(rows), *first.shape[1:])
    exprs = np.empty(shape, dtype=object)
    paths = np.empty(shape, dtype=object)
    for r, i in enumerate(rows):
        for idx in np.ndindex(*shape[1:]):
            a, b = Fraction(first[(i, *idx)]), Fraction(second[(i, *idx)])
            exprs[(r, *idx)] = parse_expression(f"({b}) + ({a} - ({b}))*{MIX}", (MIX,))
            paths[(r, *idx)] = f"payoff of {game.players[i]} at {idx}"
    players = tuple(Player(game.players[i], game.strategies[i]) for i in rows[:-1])
    mix = Parameter(MIX, Fraction(1, 2), Fraction(0), Fraction(1))
    return Scenario(
        title="followers' game",
        players=players,
        parameters={MIX: mix},
        derived={},
        payoffs=exprs,
        payoff_paths=paths,
        observers=(Player(game.players[leader], ()),),
    )


def _breakpoints(sp, families, q) -> list:
    """0, 1 and every root in between of a condition, a denominator or a degeneracy of the families."""
    exprs = []
    for f in families.families:
        exprs += [f.explicit(c.expr) for c in f.conditions] + [f.explicit(d) for d in f.singular]
    for group in families.degenerate:
        exprs += list(group)
    roots = {sp.Integer(0), sp.Integer(1)}
    for expr in exprs:
        for part in sp.fraction(sp.cancel(sp.sympify(expr))):
            if not part.has(q):
                continue
            for r in sp.Poly(part, q).real_roots():
                if 0 < r < 1:
                    roots.add(r)
    return sorted(roots)


def _holds(sp, expr, strict: bool, q, x) -> bool:
    value = sp.sympify(expr).subs(q, x)
    return bool(value > 0) if strict else bool(value >= 0)


def _stationary(sp, curve, q, a, b) -> list:
    numer = sp.fraction(sp.cancel(sp.diff(curve, q)))[0]
    if not numer.has(q):
        return []
    return [r for r in sp.Poly(numer, q).real_roots() if a < r < b]


def _value_at(sp, curve, q, x, a, b):
    """The curve at ``x``, or its limit from inside ``[a, b]`` where the closed form is 0/0 there."""
    value = sp.sympify(curve).subs(q, x)
    if value.is_finite:
        return sp.nsimplify(value)
    return sp.limit(curve, q, x, "+" if x == a else "-")


def _envelope_sup(sp, present, curves, q, a, b) -> list[tuple[Any, Any, bool, Any]]:
    """Candidates for the supremum over ``(a, b)`` of the lowest of ``curves``: interior ones (attained)
    and the limits at the two ends (approached, not attained inside the interval)."""
    if not curves:
        return []
    inside = [x for c in curves for x in _stationary(sp, c, q, a, b)]
    for c1, c2 in itertools.combinations(curves, 2):
        diff = sp.fraction(sp.cancel(c1 - c2))[0]
        if diff.has(q):
            inside += [r for r in sp.Poly(diff, q).real_roots() if a < r < b]
    out = []
    for x, attained in [(a, False), (b, False)] + [(x, True) for x in inside]:
        values = [_value_at(sp, c, q, x, a, b) for c in curves]
        k = min(range(len(values)), key=lambda j: values[j])
        out.append((values[k], x, attained, present[k]))
    return out


def _solved_at(game: NormalFormGame, leader: int, x) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """The followers' equilibria at the rational mixture ``x``, solved exactly: the (leader's payoff, profile)
    of the worst and of the best for the leader."""
    import sympy as sp

    mix = Fraction(int(sp.numer(x)), int(sp.denom(x)))
    weights = (mix, 1 - mix)
    mixed = sum(w * np.take(game.payoffs, k, axis=leader + 1) for k, w in enumerate(weights))
    followers = [i for i in range(game.num_players) if i != leader]
    sub = NormalFormGame(
        mixed[followers].copy(),
        tuple(game.players[i] for i in followers),
        tuple(game.strategies[i] for i in followers),
        observers=(game.players[leader],),
        observer_payoffs=mixed[[leader]].copy(),
    )
    scored = []
    for eq in solve(sub).equilibria:
        full = list(eq.profile)
        full.insert(leader, weights)
        scored.append((sp.nsimplify(observer_payoffs(sub, eq.profile)[0]), tuple(full)))
    scored.sort(key=lambda s: s[0])
    return scored[0], scored[-1]


def _number(value) -> Number:
    """A sympy number as a Fraction when rational, else a float."""
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return float(value)


def _mixed_outcome(game: NormalFormGame, leader: int, q, x, how, attained: bool) -> CommitmentOutcome:
    """The outcome at mixture ``x``: ``how`` is a solved profile, or a family read at ``x``."""
    if isinstance(how, tuple):
        profile = how
    else:
        mix = _number(x)
        profile_list = [tuple(_number(_value_at_family(how, p, q, x)) for p in probs) for probs in how.probabilities]
        profile_list.insert(leader, (mix, 1 - mix))
        profile = tuple(profile_list)
    exact = all(isinstance(v, Fraction) for p in profile for v in p)
    return CommitmentOutcome(profile, expected_payoffs(game, profile), exact and game.exact, attained)


def _value_at_family(family, expr, q, x):
    import sympy as sp

    return sp.nsimplify(sp.sympify(family.explicit(expr)).subs(q, x))


# ------------------------------------------------------------------ the leader's mixture in closed form
def mixture_formula(
    scenario: Scenario, outcome: CommitmentOutcome, leader: int, game: NormalFormGame
) -> dict[str, Any]:
    """The leader's optimal mixture as sympy expressions of the scenario's parameters, or ``{}``.

    An optimal mixed commitment makes followers indifferent: at the optimum
    some followers' deviations gain exactly nothing. When the followers'
    reply is pure, each such deviation is one equation linear in the leader's
    probabilities, with the payoff expressions as coefficients; together with
    "the probabilities sum to 1" they fix the mixture when the system has one
    solution. The solution is checked against the exact mixture found at the
    current values. ``{}`` when the reply is mixed, the leader does not mix,
    or the tight equations do not determine the mixture.
    """
    import sympy as sp

    mine = outcome.profile[leader]
    support = [k for k, p in enumerate(mine) if p > 0]
    replies = [next((k for k, p in enumerate(probs) if p > 0), None) for probs in outcome.profile]
    pure_reply = all(sum(1 for p in probs if p > 0) == 1 for i, probs in enumerate(outcome.profile) if i != leader)
    if len(support) < 2 or not pure_reply or not outcome.exact or not scenario.parameters:
        return {}
    values = scenario_values(scenario, game.parameters)
    free = sorted(scenario.used_parameters)
    table = symbol_table(scenario, free, values)
    pay = symbolic_payoffs(scenario, table)
    xs = [sp.Symbol(f"x{k}") for k in support]
    equations = [sum(xs) - 1]
    for f in range(game.num_players):
        if f == leader:
            continue
        for k in range(game.shape[f]):
            if k == replies[f]:
                continue
            numeric, symbolic = Fraction(0), sp.Integer(0)
            for x, i in zip(xs, support):
                here = list(replies)
                here[leader] = i
                there = list(here)
                there[f] = k
                numeric += mine[i] * (game.payoffs[(f, *there)] - game.payoffs[(f, *here)])
                symbolic += x * (pay[(f, *there)] - pay[(f, *here)])
            if numeric == 0:
                equations.append(symbolic)
    solutions = sp.solve(equations, xs, dict=True)
    if len(solutions) != 1 or set(solutions[0]) != set(xs):
        return {}
    at = {table[name]: _sympy_rational(sp, values[name]) for name in free}
    formula = {game.strategies[leader][k]: sp.factor(solutions[0][x]) for x, k in zip(xs, support)}
    for k, expr in zip(support, formula.values()):
        if sp.nsimplify(expr.subs(at)) != _sympy_rational(sp, mine[k]):
            return {}
    return formula


def _sympy_rational(sp, value: Number):
    value = Fraction(value)
    return sp.Rational(value.numerator, value.denominator)
