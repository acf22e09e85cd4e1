"""Commitment results in words, tables and JSON (the ``commit`` command and the ``explain`` section).

Reads :class:`~gametheory.sensitivity.commitment.ScenarioCommitment` and
:class:`~gametheory.sensitivity.commitment.CommitmentScan` objects and
computes nothing beyond comparing the numbers they hold.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..game import NormalFormGame, Number
from ..numtext import exact_text, payoff_text, probability_text
from .document import Block, Bullets, Heading, Para, Table, render_blocks

if TYPE_CHECKING:
    from ..sensitivity.commitment import CommitmentScan, FollowersMixed, ScenarioCommitment
    from ..solvers.commitment import Commitment, CommitmentOutcome, CorrelatedCommitment


# ------------------------------------------------------------------ words
def _mixture_text(game: NormalFormGame, player: int, probs) -> str:
    """``backstop`` for a pure strategy, ``backstop 5/8, stay_out 3/8`` for a mixture."""
    used = [(game.strategies[player][k], p) for k, p in enumerate(probs) if p > 0]
    if len(used) == 1:
        return used[0][0]
    return ", ".join(f"{s} {probability_text(p)}" for s, p in used)


def _replies_text(game: NormalFormGame, outcome: CommitmentOutcome, leader: int) -> str:
    return "; ".join(
        f"{game.players[i]} {_mixture_text(game, i, probs)}" for i, probs in enumerate(outcome.profile) if i != leader
    )


def _payoffs_text(game: NormalFormGame, payoffs: tuple[Number, ...]) -> str:
    return ", ".join(f"{p} {payoff_text(v)}" for p, v in zip(game.players, payoffs))


def _outcome_line(game: NormalFormGame, outcome: CommitmentOutcome, leader: int) -> str:
    mine = _mixture_text(game, leader, outcome.profile[leader])
    replies = _replies_text(game, outcome, leader)
    return f"commit to {mine}; followers: {replies} -- payoffs {_payoffs_text(game, outcome.payoffs)}"


#: Probabilities with at most this denominator are said as frequencies ("5 times in 8") in handouts.
MAX_FREQUENCY_DENOMINATOR = 20


def frequency_text(p: Number, floor: bool = False) -> str:
    """``5 times in 8 (probability 5/8)`` for a simple fraction, else ``with probability 0.6172``;
    ``floor``: ``at least 5 times in 8 (...)``, ``with probability at least 0.6172``."""
    least = "at least " if floor else ""
    if isinstance(p, Fraction) and p.denominator <= MAX_FREQUENCY_DENOMINATOR:
        return f"{least}{p.numerator} times in {p.denominator} (probability {probability_text(p)})"
    return f"with probability {least}{probability_text(p)}"


def promise_sentence(
    result: Commitment, several: FollowersMixed | None = None, *, frequency: bool = False, floor: int | None = None
) -> str:
    """The sentence for students: what the leader would promise, how the others would answer, what it gains.

    ``several``: the mixed commitment with several followers, when computed (it then replaces the pure one).
    ``frequency``: say a simple probability as a frequency ("5 times in 8"), as handouts do. ``floor``:
    the leader's strategy whose probability works as a minimum ("at least 5 times in 8", see
    :func:`gametheory.solvers.commitment.floor_strategy`); the sentence then names that one.
    """
    game, leader = result.game, result.leader
    name = game.players[leader]
    best = several.optimistic if several is not None else result.best_commitment
    mine = best.profile[leader]
    used = [(game.strategies[leader][k], p) for k, p in enumerate(mine) if p > 0]
    if len(used) == 1:
        promise = f"to play {used[0][0]}"
    else:
        least = floor is not None and frequency
        top, p = max(used, key=lambda sp: sp[1])
        if floor is not None and least:
            top, p = game.strategies[leader][floor], mine[floor]
        how = frequency_text(p, least) if frequency else f"with probability {probability_text(p)}"
        weak_limit = result.mixed_weak is not None and not result.mixed_weak.attained
        promise = f"to play {top} {how}" + (" (at least that often)" if weak_limit and not least else "")
    text = (
        f"If {name} could promise in advance {promise}, the others would answer with "
        f"{_replies_text(game, best, leader)}, and {name} would get {payoff_text(best.payoffs[leader])}"
    )
    if result.nash_best is None:
        return text + "."
    best_nash, worst_nash = result.nash_best[leader], result.nash_worst[leader]  # type: ignore[index]
    spread = (
        f"{payoff_text(best_nash)}"
        if best_nash == worst_nash
        else f"between {payoff_text(worst_nash)} and {payoff_text(best_nash)}"
    )
    gain = best.payoffs[leader] - best_nash
    verdict = (
        f": moving first is worth {payoff_text(gain)} to {name}."
        if gain > 0
        else ": committing gains nothing here."
        if gain == 0
        else "."
    )
    return text + f", against {spread} in the Nash equilibria of the simultaneous game{verdict}"


def _weak_sentence(result: Commitment) -> str | None:
    weak, game, leader = result.mixed_weak, result.game, result.leader
    if weak is None:
        return None
    value = payoff_text(weak.payoffs[leader])
    if weak.attained:
        return (
            f"Weak (pessimistic) form, the follower breaking ties against the leader: "
            f"{_outcome_line(game, weak, leader)}. The leader can reach {value} even so."
        )
    return (
        f"Weak (pessimistic) form: the supremum is {value}, approached but not reached. At the limit mixture "
        f"({_mixture_text(game, leader, weak.profile[leader])}) the follower is indifferent; the leader must move "
        "slightly beyond it to make the reply strict, and gets a little less than the strong value."
    )


def _formula_sentence(result: Commitment, formula) -> str:
    """The leader's mixture in the parameters: where the indifference it creates comes from."""
    shown = list(formula.items())[:-1] or list(formula.items())  # the last probability is 1 minus the others
    parts = ", ".join(f"P({s}) = {text}" for s, text in shown)
    return (
        f"In the parameters (while the same replies stay best): {parts}. "
        "At this mixture the followers are just indifferent, which is what makes it "
        f"the best commitment for {result.leader_name}; a promise slightly beyond it makes their reply strict."
    )


def _tree_sentence(analysis: ScenarioCommitment) -> str:
    """Commitment against the tree's own order of moves: the subgame-perfect payoffs of the leader."""
    result = analysis.result
    name, leader = result.leader_name, result.leader
    spe = sorted({p[leader] for p in analysis.subgame_perfect})
    committed = (analysis.several.optimistic if analysis.several else result.best_commitment).payoffs[leader]
    told = " or ".join(payoff_text(v) for v in spe)
    text = (
        f"Without commitment, in the tree's own order of moves, the subgame-perfect equilibria give {name} "
        f"{told}; committing in advance gives it {payoff_text(committed)}"
    )
    if committed > max(spe):
        return text + f": a binding promise (a formal pledge) is worth {payoff_text(committed - max(spe))} to {name}."
    return text + ": a binding promise adds nothing to what the tree already gives."


def _order_rows(analysis: ScenarioCommitment) -> list[tuple[str, tuple[Number, ...]]]:
    """(order of moves, everyone's payoffs): the tree's subgame-perfect outcomes, then each player first
    with a binding pure plan, and with a mixture where that does better for it."""
    rows = [("the tree's own order (subgame perfect)", tuple(p)) for p in analysis.subgame_perfect]
    for k, c in enumerate(analysis.table):
        several = analysis.several_table[k] if k < len(analysis.several_table) else None
        pure = c.pure_optimistic
        rows.append((f"{c.leader_name} first, committed to a plan", pure.payoffs))
        best = several.optimistic if several is not None else c.best_commitment
        if best.payoffs[c.leader] > pure.payoffs[c.leader]:
            rows.append((f"{c.leader_name} first, committed to a mixture", best.payoffs))
    return rows


def orders_blocks(analysis: ScenarioCommitment) -> list[Block]:
    """For a tree: every player's payoffs in the tree's own order of moves (subgame perfect) and with each
    player in turn moving first with a binding plan, with who gains or loses by it against the tree's order."""
    if not analysis.subgame_perfect or not analysis.table:
        return []
    game = analysis.game
    rows = _order_rows(analysis)
    words = []
    best_spe = [max(p[i] for p in analysis.subgame_perfect) for i in range(game.num_players)]
    for i, name in enumerate(game.players):
        mine = max(p[i] for label, p in rows if label.startswith(f"{name} first"))
        diff = mine - best_spe[i]
        verdict = (
            f"gains {payoff_text(diff)}"
            if diff > 0
            else "gains nothing"
            if diff == 0
            else f"loses {payoff_text(-diff)}"
        )
        words.append(
            f"{name} moving first with a binding plan gets {payoff_text(mine)}: it {verdict} against the best "
            f"of the tree's own order ({payoff_text(best_spe[i])})."
        )
    caption = (
        "Payoffs when the tree is played as it stands, and when each player moves first and is bound by its "
        "announced plan, the others answering as best they can"
    )
    if game.num_players > 2:
        caption += (
            " with the equilibrium of the game left that is best for the leader (a Nash equilibrium of the "
            "reduced normal form, which need not be subgame perfect: threats in it need not be credible)"
        )
    return [
        Heading("Orders of moves compared", 2),
        Table(["order of moves", *game.players], [[label, *(payoff_text(v) for v in p)] for label, p in rows], caption),
        Bullets(words),
    ]


def _several_lines(game: NormalFormGame, leader: int, several: FollowersMixed) -> list[str]:
    pess = several.pessimistic
    tail = "" if pess.attained else " (a supremum, approached but not reached)"
    return [
        "Mixed, optimistic (the followers pick the equilibrium best for the leader): "
        + _outcome_line(game, several.optimistic, leader),
        "Mixed, pessimistic (the worst one): " + _outcome_line(game, pess, leader) + tail,
    ]


def _correlated_lines(game: NormalFormGame, corr: CorrelatedCommitment) -> list[str]:
    dist = corr.distribution
    return [
        "(" + ", ".join(game.profile_names(a)) + ") " + probability_text(dist[a])
        for a in game.profiles()
        if dist[a] > 0
    ]


def commitment_blocks(analysis: ScenarioCommitment, *, level: int = 1) -> list[Block]:
    """The whole commitment document: pure, mixed, correlated, Nash comparison and who gains."""
    result = analysis.result
    game, leader = result.game, result.leader
    name = game.players[leader]
    blocks: list[Block] = [Heading(f"Commitment: {name} moves first ({analysis.title})", level)]
    blocks.extend(Para(note) for note in analysis.notes)
    blocks.append(Para(promise_sentence(result, analysis.several)))
    if analysis.formula:
        blocks.append(Para(_formula_sentence(result, analysis.formula)))
    if analysis.subgame_perfect:
        blocks.append(Para(_tree_sentence(analysis)))
    rows = [
        [
            game.strategies[leader][row.strategy],
            _replies_text(game, row.best, leader),
            payoff_text(row.best.payoffs[leader]),
            _replies_text(game, row.worst, leader),
            payoff_text(row.worst.payoffs[leader]),
        ]
        for row in result.pure
    ]
    blocks.append(
        Table(
            [f"{name} commits to", "followers' best reply for it", "payoff", "worst reply", "payoff"],
            rows,
            f"Pure commitment: the followers' equilibria after each strategy of {name}",
        )
    )
    lines = [
        f"Pure, optimistic (followers pick the equilibrium best for {name}): "
        + _outcome_line(game, result.pure_optimistic, leader),
        "Pure, pessimistic (the worst one): " + _outcome_line(game, result.pure_pessimistic, leader),
    ]
    if result.mixed_strong is not None:
        lines.append(
            "Mixed, strong (ties broken in the leader's favour): " + _outcome_line(game, result.mixed_strong, leader)
        )
    weak = _weak_sentence(result)
    if weak is not None:
        lines.append(weak)
    if analysis.several is not None:
        lines.extend(_several_lines(game, leader, analysis.several))
    elif result.mixed_pure_reply is not None:
        head = (
            "Mixed, answered by a pure equilibrium of the followers (the best for the leader; one exact LP per "
            "followers' profile): "
        )
        if result.best_commitment is result.mixed_pure_reply:
            lines.append(head + _outcome_line(game, result.mixed_pure_reply, leader))
        else:
            lines.append(head + "no mixture does better than the pure commitment.")
    if result.correlated is not None:
        corr = result.correlated
        lines.append(
            f"Correlated commitment (the upper bound of any commitment): {name} gets "
            f"{payoff_text(corr.payoffs[leader])}; distribution " + "; ".join(_correlated_lines(game, corr))
        )
        best = analysis.several.optimistic if analysis.several is not None else result.best_commitment
        if game.num_players > 2 and best.payoffs[leader] == corr.payoffs[leader]:
            lines.append(
                f"The best commitment found reaches this bound: no commitment of any kind (a mixture answered "
                f"by any equilibrium of the followers) gives {name} more."
            )
    if result.nash_best is not None:
        lines.append(f"Nash equilibrium best for {name}: payoffs {_payoffs_text(game, result.nash_best)}")
        lines.append(f"Nash equilibrium worst for {name}: payoffs {_payoffs_text(game, result.nash_worst)}")  # type: ignore[arg-type]
    blocks.append(Bullets(lines))
    if result.pure_hurts:
        blocks.append(
            Para(
                f"Committing to a pure strategy hurts {name}: its best pure commitment gives "
                f"{payoff_text(result.pure_optimistic.payoffs[leader])}, less than its best Nash payoff "
                f"{payoff_text(result.nash_best[leader])}. Being predictable is a handicap here."  # type: ignore[index]
            )
        )
    if analysis.table:
        blocks.extend(who_gains_blocks(analysis.table, analysis.several_table))
    blocks.extend(orders_blocks(analysis))
    blocks.extend(Para(f"Note: {note}") for note in result.notes)
    return blocks


def _leader_value(c: Commitment, several: FollowersMixed | None) -> tuple[str, Number]:
    """What kind of commitment a who-gains row shows, and the leader's payoff from it."""
    if several is not None:
        return "mixed", several.optimistic.payoffs[c.leader]
    return ("pure" if c.best_commitment is c.pure_optimistic else "mixed"), c.value


def who_gains_blocks(table: tuple[Commitment, ...], several: tuple[FollowersMixed | None, ...] = ()) -> list[Block]:
    """The "who gains by moving first" table: each player as leader against its Nash payoffs."""
    rows = []
    for k, c in enumerate(table):
        kind, value = _leader_value(c, several[k] if k < len(several) else None)
        best = "-" if c.nash_best is None else payoff_text(c.nash_best[c.leader])
        worst = "-" if c.nash_worst is None else payoff_text(c.nash_worst[c.leader])
        gain = "-" if c.nash_best is None else payoff_text(value - c.nash_best[c.leader])
        rows.append([c.leader_name, kind, payoff_text(value), best, worst, gain])
    return [
        Heading("Who gains by moving first", 2),
        Table(
            ["leader", "commitment", "payoff as leader", "best Nash", "worst Nash", "gain over best Nash"],
            rows,
            "Each player in turn commits first (mixed where computed, optimistic; else pure); the others follow",
        ),
    ]


def scan_blocks(scan: CommitmentScan) -> list[Block]:
    """The regimes of the leader's commitment along one parameter, with the thresholds."""
    rows = []
    for r in scan.regimes:
        res = r.result
        best = r.several.optimistic if r.several is not None else res.best_commitment
        rows.append(
            [
                f"{exact_text(r.low)} .. {exact_text(r.high)}",
                r.label,
                _mixture_text(res.game, res.leader, best.profile[res.leader]),
                payoff_text(best.payoffs[res.leader]),
                "; ".join(f"P({s}) = {text}" for s, text in list(r.formula.items())[:1]) or "-",
            ]
        )
    blocks: list[Block] = [
        Heading(f"{scan.leader}'s commitment as {scan.parameter} varies", 2),
        Table(
            [scan.parameter, "regime", "commitment (at a sample)", "payoff (at a sample)", "in the parameters"], rows
        ),
    ]
    if scan.thresholds:
        blocks.append(
            Bullets(
                [
                    f"{scan.parameter} = {exact_text(t.value)}"
                    + (" (exact root)" if t.exact_root else " (located by bisection)")
                    + f": {t.below} -> {t.above}"
                    for t in scan.thresholds
                ]
            )
        )
    else:
        blocks.append(Para(f"No threshold: the same commitment is best over the whole range of {scan.parameter}."))
    return blocks


def render_commitment(analysis: ScenarioCommitment, fmt: str, scans: tuple[CommitmentScan, ...] = ()) -> str:
    """The ``commit`` command's output in ``text``, ``markdown``, ``latex`` or ``json``."""
    if fmt == "json":
        import json

        return json.dumps(commitment_json(analysis, scans), indent=2) + "\n"
    blocks = commitment_blocks(analysis)
    for scan in scans:
        blocks.extend(scan_blocks(scan))
    return render_blocks(blocks, fmt)


# ------------------------------------------------------------------ JSON
def _payoffs_json(game: NormalFormGame, payoffs) -> dict[str, float]:
    return {p: float(v) for p, v in zip(game.players, payoffs)}


def _outcome_json(game: NormalFormGame, outcome: CommitmentOutcome, leader: int) -> dict[str, Any]:
    mine = outcome.profile[leader]
    out: dict[str, Any] = {
        "strategy": {s: float(p) for s, p in zip(game.strategies[leader], mine) if p > 0},
    }
    if outcome.exact:
        out["exact"] = {s: exact_text(p) for s, p in zip(game.strategies[leader], mine) if p > 0}
    out["followers"] = {
        game.players[i]: {s: float(p) for s, p in zip(game.strategies[i], probs) if p > 0}
        for i, probs in enumerate(outcome.profile)
        if i != leader
    }
    out["payoffs"] = _payoffs_json(game, outcome.payoffs)
    if outcome.exact:
        out["payoffs_exact"] = {p: exact_text(v) for p, v in zip(game.players, outcome.payoffs)}
    out["attained"] = outcome.attained
    return out


def _who_gains_json(c: Commitment, several: FollowersMixed | None) -> dict[str, Any]:
    kind, value = _leader_value(c, several)
    return {
        "leader": c.leader_name,
        "kind": kind,
        "payoff": float(value),
        "nash_best": None if c.nash_best is None else float(c.nash_best[c.leader]),
        "nash_worst": None if c.nash_worst is None else float(c.nash_worst[c.leader]),
    }


def _pure_json(game: NormalFormGame, outcome: CommitmentOutcome, leader: int) -> dict[str, Any]:
    out = _outcome_json(game, outcome, leader)
    out["strategy"] = next(s for s, p in zip(game.strategies[leader], outcome.profile[leader]) if p > 0)
    out.pop("exact", None)
    return out


def commitment_json(analysis: ScenarioCommitment, scans: tuple[CommitmentScan, ...] = ()) -> dict[str, Any]:
    """One object: ``leader``, ``pure`` (optimistic, with ``pessimistic`` inside), ``mixed`` (two players,
    with ``weak`` inside; null otherwise), ``correlated``, ``nash_payoffs`` (``best``/``worst`` for the
    leader), ``gain``, ``who_gains``, ``thresholds`` and ``notes``."""
    result = analysis.result
    game, leader = result.game, result.leader
    pure = _pure_json(game, result.pure_optimistic, leader)
    pure["pessimistic"] = _pure_json(game, result.pure_pessimistic, leader)
    pure["by_strategy"] = [
        {
            "strategy": game.strategies[leader][row.strategy],
            "best": _outcome_json(game, row.best, leader)["followers"],
            "best_payoffs": _payoffs_json(game, row.best.payoffs),
            "worst": _outcome_json(game, row.worst, leader)["followers"],
            "worst_payoffs": _payoffs_json(game, row.worst.payoffs),
            "follower_equilibria": row.follower_equilibria,
        }
        for row in result.pure
    ]
    mixed = None
    if result.mixed_strong is not None:
        mixed = _outcome_json(game, result.mixed_strong, leader)
        if result.mixed_weak is not None:
            mixed["weak"] = _outcome_json(game, result.mixed_weak, leader)
    elif analysis.several is not None:
        mixed = _outcome_json(game, analysis.several.optimistic, leader)
        mixed["weak"] = _outcome_json(game, analysis.several.pessimistic, leader)
        mixed["breakpoints"] = [
            exact_text(b) if isinstance(b, Fraction) else float(b) for b in analysis.several.breakpoints
        ]
    elif result.mixed_pure_reply is not None:
        mixed = _outcome_json(game, result.mixed_pure_reply, leader)
        mixed["answered_by"] = "pure equilibrium"
    corr = None
    if result.correlated is not None:
        c = result.correlated
        corr = {
            "distribution": [
                {"profile": dict(zip(game.players, game.profile_names(a))), "probability": float(c.distribution[a])}
                | ({"exact": exact_text(c.distribution[a])} if c.exact else {})
                for a in game.profiles()
                if c.distribution[a] > 0
            ],
            "payoffs": _payoffs_json(game, c.payoffs),
        }
    nash = None
    if result.nash_best is not None:
        nash = {
            "best": _payoffs_json(game, result.nash_best),
            "worst": _payoffs_json(game, result.nash_worst),
            "complete": result.nash_complete,
        }
    if mixed is not None and analysis.formula:
        mixed["formula"] = dict(analysis.formula)
    _, value = _leader_value(result, analysis.several)
    gain = None if result.nash_best is None else value - result.nash_best[leader]
    return {
        "title": analysis.title,
        "form": analysis.form,
        "leader": game.players[leader],
        "parameters": {k: float(v) for k, v in game.parameters.items()},
        "pure": pure,
        "mixed": mixed,
        "correlated": corr,
        "nash_payoffs": nash,
        "gain": None if gain is None else float(gain),
        "subgame_perfect": [_payoffs_json(game, p) for p in analysis.subgame_perfect],
        "orders_of_moves": [
            {"order": label, "payoffs": _payoffs_json(game, p)}
            for label, p in (_order_rows(analysis) if analysis.subgame_perfect else [])
        ],
        "pure_hurts": result.pure_hurts,
        "who_gains": [
            _who_gains_json(c, analysis.several_table[k] if analysis.several_table else None)
            for k, c in enumerate(analysis.table)
        ],
        "thresholds": [scan_json(s) for s in scans],
        "notes": list(analysis.notes) + list(result.notes),
    }


def scan_json(scan: CommitmentScan) -> dict[str, Any]:
    """One parameter's commitment thresholds and regimes (exact values as text, labels, closed-form mixtures)."""
    return {
        "parameter": scan.parameter,
        "leader": scan.leader,
        "thresholds": [
            {
                "value": float(t.value),
                "exact": exact_text(t.value),
                "exact_root": t.exact_root,
                "below": t.below,
                "above": t.above,
            }
            for t in scan.thresholds
        ],
        "regimes": [
            {"low": exact_text(r.low), "high": exact_text(r.high), "label": r.label, "formula": dict(r.formula)}
            for r in scan.regimes
        ],
    }


# ------------------------------------------------------------------ the handout section
def _regime_gain(regime) -> Number | None:
    """The leader's committed payoff minus its best Nash payoff in a regime (at its sample point)."""
    result = regime.result
    if result.nash_best is None:
        return None
    best = regime.several.optimistic if regime.several is not None else result.best_commitment
    return best.payoffs[result.leader] - result.nash_best[result.leader]


def _regime_promise(regime) -> str:
    """What the leader promises in a regime: the closed-form mixture when known, else the sample's."""
    result = regime.result
    if regime.formula:
        strategy, formula = next(iter(regime.formula.items()))
        return f"to play {strategy} with probability {formula}"
    best = regime.several.optimistic if regime.several is not None else result.best_commitment
    return "to play " + _mixture_text(result.game, result.leader, best.profile[result.leader])


def _threshold_words(scan: CommitmentScan, k: int) -> str:
    """One sentence for students about the ``k``-th threshold of ``scan`` (between regimes ``k`` and ``k + 1``)."""
    t = scan.thresholds[k]
    below, above = scan.regimes[k], scan.regimes[k + 1]
    g0, g1 = _regime_gain(below), _regime_gain(above)
    where = f"{scan.parameter} = {exact_text(t.value)}"
    located = "" if t.exact_root else " (located numerically)"
    if g0 is not None and g1 is not None and g0 <= 0 < g1:
        return (
            f"Committing starts to pay {scan.leader} at {where}{located}: above it, its best promise is "
            f"{_regime_promise(above)}; below it, no promise beats what it gets without one."
        )
    if g0 is not None and g1 is not None and g1 <= 0 < g0:
        return (
            f"Committing stops paying {scan.leader} at {where}{located}: below it, its best promise is "
            f"{_regime_promise(below)}; above it, it gets as much without any promise."
        )
    return (
        f"At {where}{located} {scan.leader}'s best promise changes: below it, {_regime_promise(below)}; "
        f"above it, {_regime_promise(above)}."
    )


def handout_blocks(analysis: ScenarioCommitment, scans: tuple[CommitmentScan, ...] = ()) -> list[Block]:
    """The handout's commitment section, for students: the promise, what it is worth, where that changes."""
    result = analysis.result
    name = result.leader_name
    blocks: list[Block] = [
        Heading(f"What if {name} could commit in advance?"),
        Para(
            f"Suppose {name} could announce its choice before the others move, and be believed (a Stackelberg "
            "leader, as with a binding pledge or a treaty). The others then answer as best they can."
        ),
        Para(promise_sentence(result, analysis.several, frequency=True, floor=analysis.floor)),
    ]
    if analysis.formula:
        blocks.append(Para(_formula_sentence(result, analysis.formula)))
    if analysis.subgame_perfect:
        blocks.append(Para(_tree_sentence(analysis)))
    for scan in scans:
        if scan.thresholds:
            blocks.append(Bullets([_threshold_words(scan, k) for k in range(len(scan.thresholds))]))
        else:
            blocks.append(
                Para(f"Over the whole range of {scan.parameter} searched, the same promise is best for {name}.")
            )
    for scan in scans:
        blocks.extend(Heading(b.text, 3) if isinstance(b, Heading) else b for b in scan_blocks(scan))
    if analysis.table:
        blocks.extend(
            Heading(b.text, 3) if isinstance(b, Heading) else b
            for b in [*who_gains_blocks(analysis.table, analysis.several_table), *orders_blocks(analysis)]
        )
    blocks.extend(Para(f"Note: {note}") for note in analysis.notes)
    return blocks
