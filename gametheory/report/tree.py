"""Reports for game trees and Bayesian games: the tree drawn on a terminal, subgame
perfection and credibility, behaviour per type; as document blocks and as JSON.

Everything here reads a solved :class:`~gametheory.solution.Solution` whose
``extensive`` field holds a :class:`~gametheory.solvers.trees.TreeAnalysis` or a
:class:`~gametheory.solvers.bayesian.BayesianAnalysis`; nothing is recomputed.
The words for equilibrium paths and for the moves a verdict names (which the
solvers keep as information sets and probabilities) are made here too.

The drawing (text, Markdown code block, LaTeX verbatim)::

    Europe
    ├── => cf_first: Russia
    │   ├── => refuse: (-8, 4, -4)  [L1]
    │   └──    sign: Russia
    ...

``=>`` marks the moves of the first subgame-perfect equilibrium (with its
probability when it mixes); chance moves show their probabilities; a decision
node that belongs to an information set of several nodes shows its label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..escape import html, markdown_fence
from ..extensive import CHANCE, TERMINAL, Number, Tree, TreeValues
from ..numtext import exact_text, parameter_text, payoff_text, probability_text
from .document import Bullets, Heading, Para

if TYPE_CHECKING:  # annotations only: a normal-form `solve` need not load the tree solvers
    from ..solvers.credibility import Support, Violation

#: Trees with more nodes than this are not drawn (the JSON form has them all).
MAX_DRAWN_NODES = 400
#: Longest list of mixed equilibria discussed one by one in text reports.
MAX_LISTED = 12


_ASCII_LINES = str.maketrans({"├": "+", "└": "`", "─": "-", "│": "|"})


@dataclass(frozen=True)
class Pre:
    """Preformatted text (a drawing): kept verbatim in every format."""

    text: str

    def render(self, fmt: str) -> str:
        if fmt == "markdown":
            return markdown_fence(self.text)
        if fmt == "latex":  # pdflatex has no box-drawing glyphs: plain ASCII lines
            ascii_text = self.text.translate(_ASCII_LINES)
            return "\\begin{verbatim}\n" + ascii_text + "\n\\end{verbatim}"
        if fmt == "html":
            return '<pre class="tree">' + html(self.text) + "</pre>"
        return self.text


# ----------------------------------------------------------------------------- helpers
def _are(count: int) -> str:
    """``1 is`` or ``2 are``: a count with its verb."""
    return f"{count} is" if count == 1 else f"{count} are"


def _number(x: Any) -> float | int:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    return float(x)


def _vector(values) -> str:
    return "(" + ", ".join(payoff_text(v) for v in values) + ")"


def _plan_names(game, profile) -> list[str]:
    """Each player's plan (pure) or its mixture, in words."""
    out = []
    for player, names, probs in zip(game.players, game.strategies, profile):
        used = [(n, p) for n, p in zip(names, probs) if p != 0]
        if len(used) == 1:
            out.append(f"{player} {used[0][0]}")
        else:
            out.append(f"{player} " + ", ".join(f"{n} {probability_text(p)}" for n, p in used))
    return out


# ----------------------------------------------------------------------------- words
def path_text(tv: TreeValues, behaviour: Mapping[int, Sequence[Number]], start: int = 0) -> str:
    """The equilibrium path in words: ``Coalition unga -> Russia lobby -> chance: [pass (3/10)
    -> Russia accept | fail (7/10)]``; mixed moves branch the same way."""
    tree = tv.tree
    parts = []
    n = start
    while tree.nodes[n].kind != TERMINAL:
        node = tree.nodes[n]
        weights = tv.probabilities[n] if node.kind == CHANCE else behaviour[node.infoset]
        actor = "chance" if node.kind == CHANCE else tree.players[node.player]  # type: ignore[index]
        used = [k for k, w in enumerate(weights) if w != 0]
        if len(used) == 1:
            parts.append(f"{actor} {node.actions[used[0]]}")
            n = node.children[used[0]]
            continue
        branches = []
        for k in used:
            rest = path_text(tv, behaviour, node.children[k])
            head = f"{node.actions[k]} ({parameter_text(weights[k])})"
            branches.append(f"{head} -> {rest}" if rest else head)
        parts.append(f"{actor}: [" + " | ".join(branches) + "]")
        break
    return " -> ".join(parts)


def _short(x: Number) -> str:
    """A payoff or probability in a verdict's words: ``3``, ``0.25`` (up to four decimals), ``1/3``."""
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return str(x.numerator)
        for places in range(1, 5):
            if (10**places) % x.denominator == 0:
                return f"{float(x):.{places}f}"
        return f"{x.numerator}/{x.denominator}"
    return f"{float(x):.4g}"


def moves_text(tree: Tree, infosets: Sequence[int], behaviour: Sequence[Sequence[Number]]) -> str:
    """A player's moves at ``infosets`` (``behaviour[k]``: the action probabilities at
    ``infosets[k]``) in words: ``fight``, ``mixing a 0.25, b 0.75``, and with several
    information sets each followed by where it is, joined by ``;``."""
    parts = []
    for h, probs in zip(infosets, behaviour):
        actions = tree.infosets[h].actions
        used = [(a, p) for a, p in zip(actions, probs) if p != 0]
        text = used[0][0] if len(used) == 1 else "mixing " + ", ".join(f"{a} {_short(p)}" for a, p in used)
        if len(infosets) > 1:
            text += f" {tree.infoset_name(h)}"
        parts.append(text)
    return "; ".join(parts)


def violation_where(tree: Tree, v: Violation) -> str:
    """Where a :class:`~gametheory.solvers.credibility.Violation`'s moves are made: ``after enter``,
    an information set, or ``in the subgame after ...`` when they span several."""
    if len(v.infosets) == 1:
        return tree.infoset_name(v.infosets[0])
    return f"in the subgame {tree.nodes[v.root].where}"


def violation_moves(tree: Tree, v: Violation) -> str:
    """The moves a violation finds wanting, in words (``fight``)."""
    return moves_text(tree, v.infosets, v.behaviour)


def violation_better(tree: Tree, v: Violation) -> str:
    """The better moves of a violation, in words (``accommodate``)."""
    pure = [tuple(1 if k == a else 0 for k in range(len(tree.infosets[h].actions))) for h, a in v.better_actions]
    return moves_text(tree, [h for h, _ in v.better_actions], pure)


def violation_text(tree: Tree, v: Violation) -> str:
    """``US: intervene after deploy_first/target is not a best response once reached: abstain gives -8 > -9``."""
    return (
        f"{v.player}: {violation_moves(tree, v)} {violation_where(tree, v)} is not a best response once reached: "
        f"{violation_better(tree, v)} gives {_short(v.better_payoff)} > {_short(v.payoff)}"
    )


def violation_short(tree: Tree, v: Violation) -> str:
    """``US intervene after deploy_first/target (abstain gives -8 > -9)``."""
    return (
        f"{v.player} {violation_moves(tree, v)} {violation_where(tree, v)} "
        f"({violation_better(tree, v)} gives {_short(v.better_payoff)} > {_short(v.payoff)})"
    )


def support_where(tree: Tree, s: Support) -> str:
    """Where the switch of a :class:`~gametheory.solvers.credibility.Support` would be made."""
    return tree.infoset_name(tree.nodes[s.node].infoset)  # type: ignore[arg-type]


def support_text(tree: Tree, s: Support) -> str:
    """``Entrant would switch from stay_out to enter at the start (1 > 0) if the moves that follow were credible``."""
    return (
        f"{s.player} would switch from {s.action} to {s.alternative} {support_where(tree, s)} "
        f"({_short(s.alternative_payoff)} > {_short(s.payoff)}) if the moves that follow were credible"
    )


# ----------------------------------------------------------------------------- drawing
def draw_tree(analysis, marks: int | None = 0) -> str:
    """The tree as indented text with box-drawing lines, leaf payoffs, and ``=>`` on the moves
    of subgame-perfect equilibrium number ``marks`` (None: no marks)."""
    tree, tv = analysis.tree, analysis.values
    if len(tree.nodes) > MAX_DRAWN_NODES:
        return f"(the tree has {len(tree.nodes)} nodes; drawings stop at {MAX_DRAWN_NODES}: use --format json)"
    behaviour = analysis.spe[marks].behaviour if marks is not None and marks < len(analysis.spe) else {}
    lines: list[str] = []

    def label(n: int) -> str:
        node = tree.nodes[n]
        if node.kind == "terminal":
            payoffs = tv.payoffs[n]
            text = _vector(payoffs[: len(tree.players)])
            if tree.observers:
                text += " observers " + _vector(payoffs[len(tree.players) :])
            return text + (f"  [{node.label}]" if node.label else "")
        if node.kind == "chance":
            return "chance" + (f"  [{node.label}]" if node.label else "")
        info = tree.infosets[node.infoset]
        text = tree.players[node.player]
        if len(info.nodes) > 1:
            text += f" {{information set {info.label}}}"
        return text

    def walk(n: int, prefix: str) -> None:
        node = tree.nodes[n]
        count = len(node.children)
        for k, child in enumerate(node.children):
            last = k == count - 1
            branch = "└── " if last else "├── "
            if node.kind == "chance":
                mark = "   "
                action = f"{node.actions[k]} ({probability_text(tv.probabilities[n][k])})"
            else:
                probs = behaviour.get(node.infoset)
                p = probs[k] if probs is not None else 0
                mark = "=> " if p != 0 else "   "
                action = node.actions[k] + ("" if p in (0, 1) else f" [{probability_text(p)}]")
            lines.append(f"{prefix}{branch}{mark}{action}: {label(child)}")
            if tree.nodes[child].kind != "terminal":
                walk(child, prefix + ("    " if last else "│   "))

    lines.append(label(0))
    walk(0, "")
    return "\n".join(lines)


def _plan_legend(tree) -> list[str]:
    items = []
    for i, hs in enumerate(tree.player_infosets):
        if len(hs) > 1:
            where = ", ".join(f"({k}) {tree.infoset_name(h)}" for k, h in enumerate(hs, start=1))
            items.append(
                f"{tree.players[i]}'s plans name its moves {where}, in that order; "
                "'-' where its own earlier move rules the point out."
            )
    return items


# ----------------------------------------------------------------------------- blocks
def structure_blocks(solution, scenario=None) -> list:
    """Document blocks for a solved tree or Bayesian game (empty for other games)."""
    analysis = solution.extensive
    if analysis is None:
        return []
    if hasattr(analysis, "types"):
        return bayesian_blocks(solution)
    return tree_blocks(solution)


def _verdict_text(tree: Tree, verdict, mixed: bool = False) -> str:
    if verdict is None:
        return "subgame perfection not checked"
    if verdict.subgame_perfect:
        return "subgame perfect"
    if verdict.subgame_perfect is None:
        return "subgame perfection undecided: " + verdict.note
    if mixed:
        return "not subgame perfect: " + "; ".join(violation_short(tree, v) for v in verdict.violations)
    if verdict.noncredible:
        moves = "; ".join(violation_short(tree, v) for v in verdict.noncredible)
        noun = "move" if len(verdict.noncredible) == 1 else "moves"
        why = "; ".join(support_text(tree, s) for s in verdict.supports)
        return f"NOT subgame perfect: it rests on the non-credible {noun} {moves}; {why}"
    off = "; ".join(violation_short(tree, v) for v in verdict.violations)
    return (
        "not subgame perfect, though its outcome does not depend on it: off its path it prescribes moves "
        f"that would not be made once reached: {off}"
    )


def tree_blocks(solution) -> list:
    analysis = solution.extensive
    game = solution.game
    tree = analysis.tree
    blocks: list = [Heading("Game tree")]
    kind = "perfect information" if tree.perfect_information else "imperfect information (information sets)"
    blocks.append(
        Para(
            f"{len(tree.nodes)} nodes, {len(tree.leaves)} ends, {kind}. Payoffs at the ends are listed as "
            f"({', '.join(tree.players)}). '=>' marks the moves of subgame-perfect equilibrium no. 1"
            + (" (backward induction)." if tree.perfect_information else ".")
        )
    )
    blocks.append(Pre(draw_tree(analysis)))
    legend = _plan_legend(tree)
    if legend:
        blocks.append(Para("Plans (the strategies of the reduced normal form): " + " ".join(legend)))

    count = len(analysis.spe)
    noun = "equilibrium" if count == 1 else "equilibria"
    blocks.append(Heading("Subgame-perfect equilibria"))
    how = "by backward induction" if tree.perfect_information else "subgame by subgame, each solved as a normal form"
    scope = "all of them" if analysis.complete else "the list may be incomplete"
    blocks.append(Para(f"{count} subgame-perfect {noun}, found {how} ({scope})."))
    items = []
    for spe in analysis.spe:
        plans = "; ".join(_plan_names(game, spe.profile))
        pay = ", ".join(f"{p}: {payoff_text(v)}" for p, v in zip(tree.players, spe.payoffs))
        items.append(f"{plans} -- path: {path_text(analysis.values, spe.behaviour)} -- payoffs {pay}")
    if items:
        blocks.append(Bullets(items, numbered=True))
    for note in analysis.notes:
        blocks.append(Para(f"Note: {note}"))

    if analysis.pure_nash:
        verdicts = analysis.pure_verdicts
        spe_count = sum(1 for v in verdicts if v.subgame_perfect)
        resting = sum(1 for v in verdicts if v.subgame_perfect is False and v.noncredible)
        other = sum(1 for v in verdicts if v.subgame_perfect is False and not v.noncredible)
        blocks.append(Heading("Nash equilibria and credibility"))
        blocks.append(
            Para(
                f"The reduced normal form has {len(verdicts)} pure Nash equilibria: {spe_count} subgame perfect, "
                f"{resting} resting on non-credible threats or promises (moves that would not be made once reached), "
                f"and {other} that prescribe such moves only where nothing depends on them."
            )
        )
        items = []
        for idx, v in zip(analysis.pure_nash, verdicts):
            names = ", ".join(game.profile_names(idx))
            pay = _vector(game.payoffs[(slice(None), *idx)])
            items.append(f"({names}) {pay}: {_verdict_text(tree, v)}")
        blocks.append(Bullets(items, numbered=True))
    mixed = [(k, e, v) for k, (e, v) in enumerate(zip(solution.equilibria, analysis.verdicts), start=1) if not e.pure]
    if mixed:
        yes = sum(1 for _, _, v in mixed if v is not None and v.subgame_perfect)
        no = sum(1 for _, _, v in mixed if v is not None and v.subgame_perfect is False)
        blocks.append(Heading("Mixed equilibria of the reduced form and subgame perfection"))
        blocks.append(
            Para(
                f"Of the {len(mixed)} mixed {'equilibrium' if len(mixed) == 1 else 'equilibria'} listed above, "
                f"{_are(yes)} subgame perfect, {_are(no)} not and {_are(len(mixed) - yes - no)} undecided. "
                "Each is turned into behaviour strategies (Kuhn's theorem); "
                "moves it leaves open (where its own players never arrive) are completed by best responses; then "
                "every player's behaviour must be a best response in every subgame."
            )
        )
        lines = [f"Equilibrium no. {k}: {_verdict_text(tree, v, mixed=True)}" for k, e, v in mixed]
        if len(lines) > MAX_LISTED:
            lines = lines[:MAX_LISTED] + [f"... and {len(lines) - MAX_LISTED} more (all of them in --format json)"]
        blocks.append(Bullets(lines))
    return blocks


def bayesian_blocks(solution) -> list:
    analysis = solution.extensive
    bayes = analysis.game
    blocks: list = [Heading("Types and beliefs")]
    items = []
    for dim, names, prior in zip(bayes.dimensions, bayes.type_names, analysis.marginals):
        shown = ", ".join(f"{t} {probability_text(p)}" for t, p in zip(names, prior))
        who = dim if dim in bayes.players else f"{dim} (nature; no player observes it)"
        items.append(f"{who}: {shown}")
    blocks.append(Bullets(items))
    blocks.append(
        Para(
            "Strategies are type-contingent plans (one action per type, in the order of the types, joined by '/'); "
            "the equilibria above are those of the ex-ante (Harsanyi) normal form. Below, each type's behaviour."
        )
    )
    blocks.append(Heading("Equilibrium behaviour by type"))
    items = []
    for k, rows in enumerate(analysis.behaviour, start=1):
        parts = []
        for player, per_type in rows:
            for tname, probs, payoff in per_type:
                used = [(a, p) for a, p in zip(bayes.actions[bayes.players.index(player)], probs) if p != 0]
                act = used[0][0] if len(used) == 1 else ", ".join(f"{a} {probability_text(p)}" for a, p in used)
                label = player if tname is None else f"{player} ({tname})"
                extra = "" if payoff is None else f" [expects {payoff_text(payoff)}]"
                parts.append(f"{label}: {act}{extra}")
        items.append(f"No. {k}: " + "; ".join(parts))
    blocks.append(Bullets(items))
    return blocks


# ----------------------------------------------------------------------------- JSON
def _violation_json(tree: Tree, v: Violation) -> dict[str, Any]:
    return {
        "player": v.player,
        "at": violation_where(tree, v),
        "move": violation_moves(tree, v),
        "better": violation_better(tree, v),
        "payoff": _number(v.payoff),
        "better_payoff": _number(v.better_payoff),
        "on_path": v.on_path,
        "text": violation_text(tree, v),
    }


def _verdict_json(tree: Tree, verdict) -> dict[str, Any]:
    if verdict is None:
        return {"subgame_perfect": None}
    out: dict[str, Any] = {"subgame_perfect": verdict.subgame_perfect}
    if verdict.subgame_perfect is not True:
        out["noncredible"] = [_violation_json(tree, v) for v in verdict.noncredible]
        out["rests_on"] = [
            {
                "player": s.player,
                "at": support_where(tree, s),
                "move": s.action,
                "alternative": s.alternative,
                "payoff": _number(s.payoff),
                "alternative_payoff": _number(s.alternative_payoff),
                "text": support_text(tree, s),
            }
            for s in verdict.supports
        ]
        out["not_best_responses"] = [_violation_json(tree, v) for v in verdict.violations]
        if verdict.note:
            out["note"] = verdict.note
    return out


def _profile_json(game, profile, exact: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "strategies": {
            player: {name: float(p) for name, p in zip(names, probs)}
            for player, names, probs in zip(game.players, game.strategies, profile)
        }
    }
    if exact:
        out["exact"] = {
            player: {name: exact_text(p) for name, p in zip(names, probs)}
            for player, names, probs in zip(game.players, game.strategies, profile)
        }
    return out


def tree_json(solution) -> dict[str, Any]:
    """The tree, its subgame-perfect equilibria and the credibility of each Nash equilibrium."""
    analysis = solution.extensive
    game = solution.game
    tree, tv = analysis.tree, analysis.values
    everyone = tree.players + tree.observers
    nodes = []
    for node in tree.nodes:
        item: dict[str, Any] = {"index": node.index, "kind": node.kind, "history": list(node.history)}
        if node.label:
            item["id"] = node.label
        if node.kind == "decision":
            info = tree.infosets[node.infoset]
            item.update(player=tree.players[node.player], infoset=info.label, actions=list(node.actions))
        elif node.kind == "chance":
            item["actions"] = list(node.actions)
            item["probabilities"] = {a: _number(p) for a, p in zip(node.actions, tv.probabilities[node.index])}
        else:
            item["payoffs"] = {n: _number(v) for n, v in zip(everyone, tv.payoffs[node.index])}
        if node.children:
            item["children"] = list(node.children)
        nodes.append(item)
    spe = []
    for s in analysis.spe:
        entry = _profile_json(game, s.profile, s.exact)
        entry["payoffs"] = {p: _number(v) for p, v in zip(everyone, s.payoffs)}
        if s.exact:
            entry["payoffs_exact"] = {p: exact_text(v) for p, v in zip(everyone, s.payoffs)}
        entry["path"] = [st.action for st in s.path]
        entry["path_detail"] = [
            {
                "actor": st.actor,
                "at": tree.nodes[st.node].where,
                "action": st.action,
                "probability": _number(st.probability),
                "reach": _number(st.reach),
            }
            for st in s.path
        ]
        entry["behaviour"] = {
            f"{tree.players[tree.infosets[h].player]} {tree.infoset_name(h)}": {
                a: _number(p) for a, p in zip(tree.infosets[h].actions, probs)
            }
            for h, probs in sorted(s.behaviour.items())
        }
        entry["pure"] = s.pure
        spe.append(entry)
    pure = []
    for idx, v in zip(analysis.pure_nash, analysis.pure_verdicts):
        item = {
            "strategies": {p: game.strategies[i][k] for i, (p, k) in enumerate(zip(game.players, idx))},
            "payoffs": {p: _number(game.payoffs[(i, *idx)]) for i, p in enumerate(game.players)},
        }
        item.update(_verdict_json(tree, v))
        pure.append(item)
    return {
        "tree": {
            "players": list(tree.players),
            "observers": list(tree.observers),
            "perfect_information": tree.perfect_information,
            "nodes": nodes,
        },
        "subgame_perfect": spe,
        "subgame_perfect_complete": analysis.complete,
        "pure_nash": pure,
    }


def bayesian_json(solution) -> dict[str, Any]:
    analysis = solution.extensive
    bayes = analysis.game
    types = {}
    for dim, names, prior in zip(bayes.dimensions, bayes.type_names, analysis.marginals):
        types[dim] = {
            "nature": dim not in bayes.players,
            "types": list(names),
            "prior": {t: _number(p) for t, p in zip(names, prior)},
        }
    return {"bayesian": {"types": types, "actions": {p: list(a) for p, a in zip(bayes.players, bayes.actions)}}}


def behaviour_by_type_json(solution, k: int) -> dict[str, Any]:
    analysis = solution.extensive
    bayes = analysis.game
    out: dict[str, Any] = {}
    for player, per_type in analysis.behaviour[k]:
        actions = bayes.actions[bayes.players.index(player)]
        entry = {}
        for tname, probs, payoff in per_type:
            key = tname if tname is not None else "(single type)"
            entry[key] = {"behaviour": {a: _number(p) for a, p in zip(actions, probs)}}
            if payoff is not None:
                entry[key]["expected_payoff"] = _number(payoff)
        out[player] = entry
    return out


def structure_json(solution, out: dict[str, Any]) -> None:
    """Add the tree's or Bayesian game's analysis to a solution's JSON object ``out`` (in place):
    top-level sections, and per entry of ``out["equilibria"]`` its subgame perfection (trees,
    DESIGN.md contract 6) or its behaviour by type (Bayesian games)."""
    analysis = solution.extensive
    if analysis is None:
        return
    if hasattr(analysis, "types"):
        out.update(bayesian_json(solution))
        for k, entry in enumerate(out.get("equilibria", [])):
            entry["by_type"] = behaviour_by_type_json(solution, k)
        return
    out.update(tree_json(solution))
    for entry, verdict in zip(out.get("equilibria", []), analysis.verdicts):
        entry.update(_verdict_json(analysis.tree, verdict))
