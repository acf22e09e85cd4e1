"""What ``gametheory solve`` prints: a solved game as a document, in text, Markdown or LaTeX.

The summary reads a :class:`~gametheory.solution.Solution` (best responses,
dominance, selection facts, security levels, and for trees and Bayesian games
their structure) and lays it out as :mod:`.document` blocks; nothing is
recomputed here.
"""

from __future__ import annotations

from ..game import NormalFormGame, observer_payoffs
from ..numtext import parameter_text, payoff_text, probability_text
from ..solution import Equilibrium, Solution
from .correlated import correlated_blocks
from .document import (
    Block,
    Bullets,
    Heading,
    Para,
    Table,
    describe_equilibrium,
    first_sentence,
    payoff_tables,
    render_blocks,
    selection_lines,
)
from .tree import structure_blocks


def equilibrium_payoffs(game: NormalFormGame, eq: Equilibrium) -> str:
    """Each player's payoff in ``eq`` (``Europe: 1, Russia: -3``), then the observers' payoffs."""
    text = ", ".join(f"{p}: {payoff_text(v)}" for p, v in zip(game.players, eq.payoffs))
    if game.observers:
        extra = observer_payoffs(game, eq.profile)
        text += "; observers: " + ", ".join(f"{o}: {payoff_text(v)}" for o, v in zip(game.observers, extra))
    return text


def found_phrase(solution: Solution) -> str:
    """How many equilibria were found and how complete the list is (``3 Nash equilibria (complete enumeration)``)."""
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    if solution.scope == "pure":
        return f"{count} pure Nash {noun} (pure strategies only; mixed equilibria were not searched)"
    if solution.scope == "one":
        return f"{count} Nash {noun} found by {solution.method}; the list may be incomplete"
    complete = "complete enumeration" if solution.complete else "the enumeration is NOT proven complete"
    return f"{count} Nash {noun} ({complete})"


def _scope_sentence(solution: Solution) -> str:
    """What was searched, how many equilibria were found, and how they were certified."""
    count = len(solution.equilibria)
    what = found_phrase(solution)
    exact = sum(1 for e in solution.equilibria if e.exact)
    if exact == count:
        check = "exactly zero regret" if count else "exact arithmetic"
    elif exact == 0:
        check = "floating point, regret below the stated tolerance"
    else:
        check = f"exactly zero regret for the {exact} rational one(s), below 1e-9 of the payoff scale for the other(s)"
    return f"{what}; every one certified by an independent regret check ({check})."


def _players_sentence(game: NormalFormGame) -> str:
    """``Players: A (x, y); B (u, v)``, and the observers, who have payoffs but no moves."""
    return (
        "Players: "
        + "; ".join(f"{p} ({', '.join(s)})" for p, s in zip(game.players, game.strategies))
        + (f". Observers (payoff only): {', '.join(game.observers)}" if game.observers else "")
    )


def _parameter_blocks(game: NormalFormGame, scenario, *, full: bool = False) -> list[Block]:
    """The parameters' values, units and meanings; a star marks a value changed from the default.

    ``full``: whole descriptions (Markdown and LaTeX wrap them), not the first sentence cut to fit a terminal."""
    if not game.parameters:
        return []
    defaults = scenario.defaults if scenario is not None else {}
    rows = []
    for name, value in game.parameters.items():
        param = scenario.parameters.get(name) if scenario is not None else None
        changed = name in defaults and defaults[name] != value
        rows.append(
            [
                name + (" *" if changed else ""),
                parameter_text(value),
                param.unit if param else "",
                (" ".join(param.description.split()) if full else first_sentence(param.description)) if param else "",
            ]
        )
    return [
        Heading("Parameters"),
        Table(["parameter", "value", "unit", "meaning"], rows, "* = changed from the default"),
    ]


def _payoff_blocks(solution: Solution) -> list[Block]:
    """The payoff tables, with the best responses starred when they were computed."""
    if solution.best_responses is not None:
        legend = "Each cell lists the payoffs in player order; * marks a best response to the others' strategies."
    else:
        legend = "Each cell lists the payoffs in player order."
    return [Heading("Payoffs"), Para(legend), *payoff_tables(solution.game, solution.best_responses)]


def _equilibrium_line(game: NormalFormGame, eq: Equilibrium, components) -> str:
    """One equilibrium: its strategies and payoffs, its component, and how it was certified if not exact."""
    line = f"{describe_equilibrium(game, eq)} -- payoffs {equilibrium_payoffs(game, eq)}"
    if eq.component is not None and len(components.get(eq.component, ())) > 1:
        line += f" [extreme point of component {eq.component}]"
    if not eq.exact:
        kind = "irrational" if eq.algebraic is not None else "floating point"
        line += f" ({kind}; certified to max regret {float(eq.max_regret):.1e})"
        if eq.algebraic is not None:
            line += "; exactly: " + "; ".join(
                f"{player} {names[k]} = {forms[k]}"
                for player, names, forms, probs in zip(game.players, game.strategies, eq.algebraic, eq.profile)
                for k in [next(j for j, p in enumerate(probs) if p != 0)]
                if sum(1 for p in probs if p != 0) > 1
            )
    return line


def _equilibria_blocks(solution: Solution) -> list[Block]:
    """The numbered equilibria, after what was searched, and the connected sets of a degenerate game."""
    game = solution.game
    blocks: list[Block] = [Heading("Equilibria"), Para(_scope_sentence(solution))]
    components = solution.components
    items = [_equilibrium_line(game, eq, components) for eq in solution.equilibria]
    if items:
        blocks.append(Bullets(items, numbered=True))
    multi = {k: v for k, v in components.items() if len(v) > 1}
    if multi:
        blocks.append(
            Para(
                "Degenerate game: "
                + "; ".join(
                    f"component {k} is a connected set of equilibria with {len(v)} extreme points"
                    for k, v in multi.items()
                )
                + ". Every mixture of extreme points of a component that share a Nash subset is also an equilibrium."
            )
        )
    return blocks


def _security_blocks(game: NormalFormGame, security) -> list[Block]:
    """Each player's maxmin value and the (possibly mixed) strategy that guarantees it."""
    rows = []
    for s in security:
        names = game.strategies[s.player]
        used = [(n, p) for n, p in zip(names, s.strategy) if p != 0]
        strat = used[0][0] if len(used) == 1 else ", ".join(f"{n} {probability_text(p)}" for n, p in used)
        rows.append([game.players[s.player], payoff_text(s.value), strat])
    return [Heading("Security levels (maxmin)"), Table(["player", "guaranteed payoff", "maxmin strategy"], rows)]


def solution_blocks(solution: Solution, scenario=None, *, full_descriptions: bool = False) -> list[Block]:
    """The summary of ``solution`` (from :func:`gametheory.analysis.analyse`) as document blocks.

    ``full_descriptions``: the parameters' whole descriptions (for formats that wrap table cells)."""
    game = solution.game
    blocks: list[Block] = [Heading(game.title or "Game", 1)]
    if scenario is not None and scenario.teaches:
        blocks.append(Para(scenario.teaches))
    blocks.append(Para(_players_sentence(game)))
    blocks.extend(_parameter_blocks(game, scenario, full=full_descriptions))
    blocks.extend(_payoff_blocks(solution))
    if solution.dominance is not None:
        blocks.append(Heading("Dominance"))
        blocks.extend(dominance_blocks(game, solution.dominance))
    blocks.extend(_equilibria_blocks(solution))
    for note in solution.notes:
        blocks.append(Para(f"Note: {note}"))
    if getattr(solution, "extensive", None) is not None:  # game trees and Bayesian games
        blocks.extend(structure_blocks(solution, scenario))
    if solution.selection is not None and solution.equilibria:
        blocks.append(Heading("Choosing among equilibria"))
        blocks.append(Bullets(selection_lines(game, solution)))
    if solution.correlated is not None:
        blocks.extend(correlated_blocks(solution))
    if solution.security is not None:
        blocks.extend(_security_blocks(game, solution.security))
    return blocks


def dominance_blocks(game: NormalFormGame, elimination) -> list[Block]:
    """The steps of iterated elimination (``Solution.dominance``) as a numbered list and the survivors."""
    if not elimination.steps:
        return [Para("No strategy is strictly dominated, by a pure or a mixed strategy.")]
    items = []
    for step in elimination.steps:
        names = game.strategies[step.player]
        by = [(n, p) for n, p in zip(names, step.dominator) if p != 0]
        dominator = by[0][0] if len(by) == 1 else "the mix " + ", ".join(f"{n} {probability_text(p)}" for n, p in by)
        kind = "strictly" if step.strict else "weakly"
        items.append(f"{game.players[step.player]}: {names[step.strategy]} is {kind} dominated by {dominator}")
    survivors = "; ".join(
        f"{game.players[i]} ({', '.join(game.strategies[i][k] for k in kept)})"
        for i, kept in enumerate(elimination.survivors)
    )
    return [
        Para("Iterated elimination of strictly dominated strategies, in order:"),
        Bullets(items, numbered=True),
        Para(f"Surviving strategies: {survivors}."),
    ]


def solution_document(solution: Solution, scenario=None, fmt: str = "text") -> str:
    """The summary of ``solution`` as ``text``, ``markdown`` or ``latex``."""
    return render_blocks(solution_blocks(solution, scenario, full_descriptions=fmt != "text"), fmt)
