"""A seminar handout for one scenario: story, parameters, payoffs, equilibria, thresholds, plot, claims.

:func:`build_handout` gathers everything a teacher needs to put one scenario in
front of a room and ask "what happens if we change this assumption?":

* the story (``description``) and its sources, the players and what their
  strategies mean;
* the parameter table (value, unit, range, meaning, source; changed values
  marked) and the derived quantities at these values;
* the payoff table(s) with best responses marked (``*``);
* the certified equilibria with their payoffs, and what distinguishes them
  (which strategies appear only in some, who prefers which, strictness,
  Pareto, payoff and risk dominance);
* the exact thresholds of the parameters the scenario's claims name (from
  :func:`gametheory.sensitivity.thresholds`), each turned into sentences
  phrased with the parameters' own descriptions: "Europe's deploy, Russia's
  accept and US's backstop each get a positive probability in some equilibrium
  only when x_r (extra cost to Russia of striking a force that the US backs)
  lies between 5 (= g_r - f_r - w_r + a_r) and 15 (not necessarily all in the
  same equilibrium)";
* a line plot (one varied parameter) or a regime map (two), from
  :mod:`gametheory.report.plots`;
* the claims the scenario speaks to, and the step-by-step derivation of the
  equilibria (:mod:`gametheory.teaching.explain`).

This module composes: it runs the analysis, the thresholds and the sweep it
needs and decides what the handout says, as document blocks
(:mod:`gametheory.report.document`) in a :class:`~gametheory.report.handout.Handout`,
which :mod:`gametheory.report.handout` renders and writes.

Sections whose computation is unavailable (no parameters, or a sensitivity
layer that cannot handle the game) are left out with a note, never faked.
"""

from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from .._version import __version__
from ..analysis import analyse
from ..dynamics import plausibility
from ..errors import InputError
from ..numtext import parameter_text, payoff_text, probability_text
from ..report.document import (
    Block,
    Bullets,
    Figure,
    Heading,
    Lead,
    Para,
    Table,
    describe_equilibrium,
    first_sentence,
    payoff_tables,
    selection_lines,
)
from ..report.handout import Handout, figure_png
from ..report.names import equilibrium_name, game_family_text
from ..report.plausibility import plausibility_lines
from ..report.plots import plot_parameter, plot_regime_map
from ..report.sensitivity import value_text
from ..report.summary import found_phrase
from ..sensitivity.profile import boundary_curves, parameter_profile
from ..sensitivity.sweep import check_parameter, sweep
from ..sensitivity.thresholds import thresholds
from .explain import explain as explain_game
from .explain import join_words

#: Points of the default line plot.
LINE_POINTS = 401
#: Points per axis of the default regime map.
MAP_POINTS = 121


# --------------------------------------------------------- thresholds in words
def _lower_first(text: str, corpus: str = "") -> str:
    """Lower-case the first letter for use mid-sentence, unless the first word is a name.

    A word counts as a name (``Russia's``, ``Europe``, ``US``) when it is all
    capitals or appears capitalised after a lower-case word somewhere in
    ``corpus`` (the scenario's own text).
    """
    match = re.match(r"([A-Za-z]+)", text)
    if not match or len(text) < 2 or not text[0].isupper() or text[1].isupper():
        return text
    word = match.group(1)
    if corpus and re.search(r"[a-z,;:] " + re.escape(word) + r"\b", corpus):
        return text
    return text[0].lower() + text[1:]


def _corpus(scenario) -> str:
    """The scenario's own prose (title, lesson, story, descriptions), where names appear capitalised."""
    parts = [scenario.title, scenario.teaches, scenario.description]
    parts += [p.description for p in scenario.parameters.values()]
    parts += [p.description for p in scenario.players]
    return " ".join(x for x in parts if x)


def parameter_phrase(scenario, name: str) -> str:
    """``x_r (extra cost to Russia of striking a force that the US backs)``: the name with its meaning."""
    param = scenario.parameters.get(name) if scenario is not None else None
    if param is None or not param.description:
        return name
    return f"{name} ({_lower_first(short_meaning(param.description), _corpus(scenario))})"


def short_meaning(description: str, limit: int = 90) -> str:
    """The gist of a description for use inside a sentence: first sentence, parentheticals dropped."""
    plain = re.sub(r"\s*\([^()]*\)", "", " ".join(description.split()))
    text = first_sentence(plain, limit)
    return text[:-1] if text.endswith(".") and not text.endswith("...") else text


_FLAT_SUM = re.compile(r"\s*-?\s*[A-Za-z_]\w*(\s*[-+]\s*[A-Za-z_]\w*)*\s*")


def relation_text(text: str | None, order: Sequence[str]) -> str | None:
    """A relation among parameters with its terms in the file's order, a positive one first.

    ``a_r + g_r - f_r - w_r`` -> ``g_r - f_r - w_r + a_r`` (file order g_r,
    f_r, w_r, a_r). Anything but a plain sum of names is returned unchanged.
    """
    if not text or not _FLAT_SUM.fullmatch(text):
        return text
    terms = re.findall(r"([-+]?)\s*([A-Za-z_]\w*)", text.replace(" ", ""))
    rank = {n: k for k, n in enumerate(order)}
    terms = sorted(((sign or "+", name) for sign, name in terms), key=lambda t: rank.get(t[1], len(rank)))
    if terms[0][0] == "-":
        positive = [t for t in terms if t[0] == "+"]
        if positive:
            terms.remove(positive[0])
            terms.insert(0, positive[0])
    out = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    for sign, name in terms[1:]:
        out += f" {sign} {name}"
    return out


def _threshold_value(th, order: Sequence[str]) -> str:
    """A threshold's value with the relation among parameters it equals: ``5 (= g_r - f_r - w_r + a_r)``."""
    relation = relation_text(getattr(th, "symbolic", None), order)
    return value_text(th) + (f" (= {relation})" if relation else "")


def _bound_text(value: float, exact: str | None, thresholds: Sequence[Any], order: Sequence[str]) -> str:
    """An interval's end: the threshold it is (with its relation), else its exact text, else the number."""
    for th in thresholds:
        if abs(th.value - value) <= 1e-12 * max(1.0, abs(value)):
            return _threshold_value(th, order)
    if exact is not None:
        return exact
    return f"{value:g}"


def _families(solution) -> list[tuple[str, str]]:
    """(key, words) for each equilibrium family of a solution: its name in the scenario, else
    ``mixed (deploy, accept/target, backstop)`` (:mod:`gametheory.report.names`)."""
    game = solution.game
    groups: dict[object, list] = {}
    for k, eq in enumerate(solution.equilibria):
        groups.setdefault(eq.component if eq.component is not None else ("solo", k), []).append(eq)
    out = []
    for members in groups.values():
        if len(members) == 1:
            support = members[0].support
            kind = "pure" if members[0].pure else "mixed"
        else:
            support = tuple(
                tuple(sorted(set().union(*(set(m.support[i]) for m in members)))) for i in range(game.num_players)
            )
            kind = "continuum"
        rank = {"pure": 0, "mixed": 1, "continuum": 2}[kind]
        out.append(
            (rank, sum(len(s) for s in support), support, f"{kind}{support}", game_family_text(game, support, kind))
        )
    out.sort()
    return [(key, words) for *_, key, words in out]


def regime_words(solution) -> str:
    """The equilibrium set in words, families separated by ``;`` (``no equilibrium`` if empty)."""
    fams = _families(solution)
    return "; ".join(w for _, w in fams) if fams else "no equilibrium"


def _count_words(counter: Mapping[str, int], words: Mapping[str, str]) -> list[str]:
    """Equilibrium families in words, with ``2 x`` in front of a family that appears twice."""
    return [(f"{n} x " if n > 1 else "") + words[k] for k, n in counter.items()]


def _used_only_when(subjects: Sequence[str], who: str, conditions: Sequence[str]) -> str:
    """``Europe's deploy and Russia's accept each get a positive probability in some equilibrium only when
    x_r exceeds 5 (not necessarily in the same equilibrium).``: which strategies are played at all, never
    read as "this profile is an equilibrium"."""
    if len(subjects) == 1:
        return (
            f"{subjects[0]} gets a positive probability in some equilibrium only when {who} {' or '.join(conditions)}."
        )
    return (
        f"{join_words(subjects)} each get a positive probability in some equilibrium only when {who} "
        f"{' or '.join(conditions)} (not necessarily all in the same equilibrium)."
    )


def threshold_sentences(scenario, result) -> list[str]:
    """Sentences for one parameter's :class:`~gametheory.sensitivity.thresholds.ParameterThresholds`.

    First which strategies are played (in some equilibrium) only on one side
    of a threshold, phrased with the parameter's description; then what each
    threshold adds or removes; then which equilibria hold throughout.
    """
    name = result.parameter
    order = list(scenario.parameters)
    phrase = parameter_phrase(scenario, name)
    ivs = list(result.intervals)
    ths = list(result.thresholds)
    out: list[str] = []
    if not ths:
        everywhere = regime_words(ivs[0].solution) if ivs else "unknown"
        return [
            f"{phrase} changes no equilibrium between {result.search[0]:g} and {result.search[1]:g}: {everywhere} throughout."
        ]
    game = ivs[0].solution.game
    patterns: dict[tuple[bool, ...], list[str]] = {}
    for i, player in enumerate(game.players):
        for k, strategy in enumerate(game.strategies[i]):
            used = tuple(any(e.profile[i][k] > 0 for e in iv.solution.equilibria) for iv in ivs)
            if any(used) and not all(used):
                patterns.setdefault(used, []).append(f"{player}'s {strategy}")
    first = True
    for used, subjects in patterns.items():
        runs, start = [], None
        for k, flag in enumerate(list(used) + [False]):
            if flag and start is None:
                start = k
            elif not flag and start is not None:
                runs.append((start, k - 1))
                start = None
        conditions = []
        for a, b in runs:
            low = _bound_text(ivs[a].low, ivs[a].low_exact, ths, order)
            high = _bound_text(ivs[b].high, ivs[b].high_exact, ths, order)
            past = " (just past the range examined)" if ivs[a].outside and a == b else ""
            if a == 0:
                conditions.append(f"is below {high}{past}")
            elif b == len(ivs) - 1:
                conditions.append(f"exceeds {low}{past}")
            else:
                conditions.append(f"lies between {low} and {high}")
        who = phrase if first else name
        first = False
        out.append(_used_only_when(subjects, who, conditions))
    for th in ths:
        below, above = _families(th.below), _families(th.above)
        words = dict(below) | dict(above)
        cb, ca = Counter(k for k, _ in below), Counter(k for k, _ in above)
        added, removed = ca - cb, cb - ca
        where = f"{name} = {_threshold_value(th, order)}"
        parts = []
        if added:
            parts.append("adds " + join_words(_count_words(added, words)))
        if removed:
            parts.append("removes " + join_words(_count_words(removed, words)))
        text = f"Crossing {where} upward " + ("; ".join(parts) if parts else "changes the equilibrium set") + "."
        if th.end is not None:
            text += (
                f" ({th.exact} is the {'lower' if th.end == 'low' else 'upper'} end of the range examined: "
                "the equilibria on its far side are those just past it.)"
            )
        if th.at is not None:
            at = regime_words(th.at)
            if at not in (regime_words(th.below), regime_words(th.above)):
                text += f" Exactly at {name} = {th.exact} the game is degenerate: {at}."
        out.append(text)
    common = {k for k, _ in _families(ivs[0].solution)}
    for iv in ivs[1:]:
        common &= {k for k, _ in _families(iv.solution)}
    if common:
        words = dict(_families(ivs[0].solution))
        out.append(f"Throughout the range, {join_words([words[k] for k in sorted(common)])} stays an equilibrium.")
    return out


#: How the interval table shows the outer bound of an interval just past an end of the range examined.
PAST_THE_RANGE = "(past the range examined)"


def interval_table(scenario, result) -> Table:
    """One row per interval of ``result``: from, to, the equilibrium set there in words."""
    order = list(scenario.parameters)
    ths = list(result.thresholds)
    rows = []
    last = len(result.intervals) - 1
    for k, iv in enumerate(result.intervals):
        past = iv.outside and k == 0, iv.outside and k == last
        rows.append(
            [
                PAST_THE_RANGE if past[0] else _bound_text(iv.low, iv.low_exact, ths, order),
                PAST_THE_RANGE if past[1] else _bound_text(iv.high, iv.high_exact, ths, order),
                regime_words(iv.solution),
            ]
        )
    return Table(
        [f"{result.parameter} from", "to", "equilibria (strategies in player order; a/b = mixes a and b)"], rows
    )


def _players_table(scenario) -> Table:
    if not any(d for p in scenario.players for d in p.strategy_descriptions):
        return Table(["player", "strategies"], [[p.name, ", ".join(p.strategies)] for p in scenario.players])
    rows = []
    for player in scenario.players:
        for k, strategy in enumerate(player.strategies):
            meaning = player.strategy_descriptions[k] if k < len(player.strategy_descriptions) else ""
            rows.append([player.name if k == 0 else "", strategy, meaning])
    return Table(["player", "strategy", "what it means"], rows)


def _parameter_table(scenario, values: Mapping[str, Any]) -> Table:
    rows = []
    for name, param in scenario.parameters.items():
        value = values.get(name, param.default)
        changed = value != param.default
        span = f"{parameter_text(param.low)} to {parameter_text(param.high)}" if param.range is not None else ""
        rows.append(
            [
                name + (" *" if changed else ""),
                parameter_text(value),
                param.unit,
                span,
                _sentence(param.description),
                param.source,
            ]
        )
    changed = [r[0] for r in rows if r[0].endswith("*")]
    caption = "* = changed from the default" if changed else "All parameters at their defaults"
    return Table(["parameter", "value", "unit", "range", "meaning", "source"], rows, caption)


def _sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a description (whole, up to ``limit`` characters) for a table cell."""
    text = " ".join((text or "").split())
    cut = text.find(". ")
    if cut > 0:
        text = text[: cut + 1]
    if len(text) > limit:
        text = text[: limit - 3].rsplit(" ", 1)[0] + "..."
    return text


def _exact_and_decimal(value) -> str:
    """``5/8 (0.625)`` for a non-integer rational, the plain text otherwise."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{value.numerator}/{value.denominator} ({float(value):.4g})"
    return parameter_text(value)


def _derived_table(scenario, values: Mapping[str, Any]) -> Table | None:
    rows = []
    for name, derived in scenario.derived.items():
        if name not in values:
            continue
        rows.append(
            [
                name,
                _exact_and_decimal(values[name]),
                derived.expression.text if len(derived.expression.text) <= 60 else "(see file)",
                _sentence(derived.description),
            ]
        )
    if not rows:
        return None
    return Table(["quantity", "value", "formula", "meaning"], rows, "Derived quantities at these values")


def _equilibrium_table(solution) -> Table:
    """One row per equilibrium: its number, the scenario's name for it (a column only when some equilibrium has
    one; games of four or more players show it in the strategies), kind, strategies and payoffs."""
    game = solution.game
    n = game.num_players
    called = [equilibrium_name(game, eq.support) or "" for eq in solution.equilibria] if n <= 3 else []
    named = any(called)
    rows = []
    for k, eq in enumerate(solution.equilibria):
        kind = "pure" if eq.pure else "mixed"
        if eq.component is not None and len(solution.components.get(eq.component, ())) > 1:
            kind += f", component {eq.component}"
        pays = ", ".join(payoff_text(v) for v in eq.payoffs)
        if n <= 3:
            cells = []
            for names, probs in zip(game.strategies, eq.profile):
                used = [(s, p) for s, p in zip(names, probs) if p != 0]
                cells.append(used[0][0] if len(used) == 1 else ", ".join(f"{s} {probability_text(p)}" for s, p in used))
            rows.append([str(k + 1), *([called[k]] if named else []), kind, *cells, pays])
        else:
            rows.append([str(k + 1), kind, describe_equilibrium(game, eq), pays])
    header = (
        ["no.", *(["name"] if named else []), "kind"]
        + (list(game.players) if n <= 3 else ["strategies"])
        + [f"payoffs ({', '.join(game.players)})"]
    )
    return Table(header, rows)


def distinguishing_lines(solution) -> list[str]:
    """What tells the equilibria apart: strategies used only in some, each player's best and worst, selection facts."""
    game = solution.game
    eqs = solution.equilibria
    lines: list[str] = []
    if len(eqs) < 2:
        return lines
    groups: dict[tuple[int, ...], list[str]] = {}
    for i, player in enumerate(game.players):
        for k, strategy in enumerate(game.strategies[i]):
            where = tuple(j for j, e in enumerate(eqs) if e.profile[i][k] > 0)
            if where and len(where) < len(eqs):
                groups.setdefault(where, []).append(f"{player} plays {strategy}")
    for where, subjects in sorted(groups.items(), key=lambda t: (len(t[0]), t[0])):
        nos = join_words([f"no. {j + 1}" for j in where])
        lines.append(f"Only in {nos}: {join_words(subjects)}.")
    for i, player in enumerate(game.players):
        values = [e.payoffs[i] for e in eqs]
        hi, lo = max(values), min(values)
        if hi == lo:
            lines.append(f"{player} gets {payoff_text(hi)} in every equilibrium.")
            continue
        best = join_words([f"no. {j + 1}" for j, v in enumerate(values) if v == hi], "or")
        worst = join_words([f"no. {j + 1}" for j, v in enumerate(values) if v == lo], "or")
        lines.append(f"{player} does best in {best} ({payoff_text(hi)}) and worst in {worst} ({payoff_text(lo)}).")
    if solution.selection is not None:
        lines.extend(selection_lines(game, solution))
    return lines


def _claim_blocks(scenario, found: Mapping[str, Any]) -> list[Block]:
    out: list[Block] = []
    for claim in scenario.claims:
        ident = claim.get("id", "")
        text = claim.get("claim", "")
        source = claim.get("source", "")
        out.append(Heading(f"{ident}: {text}" if ident else text, 3))
        items = []
        if source:
            items.append(f"Source: {source}.")
        if claim.get("holds_when"):
            items.append(f"Holds when {claim['holds_when']}.")
        if claim.get("fails_when"):
            items.append(f"Fails when {claim['fails_when']}.")
        params = [p for p in claim.get("parameters", []) if p in found]
        for p in params:
            ths = found[p].thresholds
            if ths:
                order = list(scenario.parameters)
                items.append(f"Thresholds of {p}: " + ", ".join(_threshold_value(t, order) for t in ths) + ".")
        out.append(Bullets(items))
    return out


def _source_lines(scenario) -> list[str]:
    lines = []
    for src in scenario.sources:
        head = src.get("id", "")
        bits = [src.get(k) for k in ("publication",) if src.get(k)]
        if src.get("title"):
            bits.append(f"\u201c{src['title']}\u201d")
        meta = ", ".join(x for x in (src.get("author"), src.get("date")) if x)
        text = ", ".join(bits) + (f" ({meta})" if meta else "")
        if src.get("supports"):
            text += f". Supports: {src['supports']}"
        lines.append(f"{head}: {text}" if head else text)
    return lines


def default_parameters(scenario) -> list[str]:
    """The parameters whose thresholds a handout lists: those the claims name, else every one the payoffs use."""
    used = scenario.used_parameters
    named = []
    for claim in scenario.claims:
        for p in claim.get("parameters", []):
            if p in scenario.parameters and p in used and p not in named:
                named.append(p)
    if named:
        return named
    return [p for p in scenario.parameters if p in used]


def _make_figure(scenario, vary, overrides, preset, found) -> Figure:
    """The plot: a line plot for one varied parameter, a regime map for two."""
    names = list(vary)
    if len(names) == 1:
        name = names[0]
        lo, hi, n = vary[name]
        profile = parameter_profile(
            scenario,
            name,
            low=lo,
            high=hi,
            points=n or LINE_POINTS,
            base=overrides,
            preset=preset,
            thresholds=found.get(name),
        )
        fig = plot_parameter(profile)
        caption = (
            f"Every equilibrium's probabilities (top) and payoffs (bottom) as {name} varies, the other parameters at "
            f"the values of the table; dashed red lines mark the thresholds, the dotted line the value used here."
        )
        return Figure(figure_png(fig), caption)
    grid = {}
    for name in names:
        lo, hi, n = vary[name]
        param = scenario.parameters.get(name)
        lo = lo if lo is not None else (param.low if param is not None else None)
        hi = hi if hi is not None else (param.high if param is not None else None)
        if lo is None or hi is None:
            raise InputError(f"{name} declares no range: give --vary {name}=LO:HI", file=scenario.file)
        grid[name] = (lo, hi, n or MAP_POINTS)
    result = sweep(scenario, grid, base=overrides, preset=preset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the range warnings were given when the handout bound its game
        used = scenario.parameter_values(overrides, preset=preset)
    point = (float(used[names[0]]), float(used[names[1]]))
    fig = plot_regime_map(result, curves=boundary_curves(scenario, result), baseline=point)
    caption = (
        f"Regimes over ({names[0]}, {names[1]}), the other parameters at the values of the table: each colour is one "
        "equilibrium set; black lines are the exact boundaries; the star marks the values of the table."
    )
    return Figure(figure_png(fig), caption)


#: Seconds a handout's thresholds may take before the remaining parameters are skipped (with a note).
THRESHOLD_BUDGET = 60.0


def build_handout(
    scenario,
    game=None,
    *,
    overrides: Mapping[str, object] | None = None,
    preset: str | None = None,
    parameters: Sequence[str] | None = None,
    vary: Mapping[str, tuple[object, object, int | None]] | None = None,
    plot: bool = True,
    explain: bool = True,
    command: str = "",
    progress: Callable[[int, int], None] | None = None,
    solution=None,
    explanation=None,
    time_budget: float | None = THRESHOLD_BUDGET,
    leader: str | None = None,
) -> Handout:
    """Everything a seminar handout shows about ``scenario`` at the chosen parameter values.

    ``parameters``: whose thresholds to list (default: :func:`default_parameters`;
    empty: none). ``vary``: ``{name: (low, high, points)}`` for the plot
    (``None`` entries: the declared range, 401 points for a line, 121 per
    axis for a map); without it the first listed parameter with a threshold
    is plotted over its declared range. ``command`` is printed in the footer
    so the handout can be regenerated. ``solution`` (from :func:`gametheory.analysis.analyse`) and
    ``explanation`` (from :func:`gametheory.teaching.explain.explain`) reuse work already done for the
    same game instead of repeating it. ``time_budget``: seconds the thresholds may take; once
    they have taken longer, the remaining parameters are skipped and the handout says which (None: no limit).
    ``leader``: add a section on that player committing in advance (:func:`_commitment_section`).
    """
    overrides = dict(overrides or {})
    if game is None:
        game = scenario.bind(overrides, preset=preset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = scenario.parameter_values(overrides, preset=preset) if scenario.parameters else {}
    if leader is not None:
        from ..sensitivity.commitment import leader_index

        leader_index(game, leader, scenario.file)  # an unknown name fails before the slow part
    if solution is None:
        solution = analyse(game, scenario=scenario)
    vary = dict(vary or {})
    names = _threshold_parameters(scenario, parameters, vary)
    found: dict[str, Any] = {}
    started = time.monotonic()
    for k, name in enumerate(names):
        if time_budget is not None and time.monotonic() - started > time_budget:
            break
        found[name] = thresholds(scenario, name, base=overrides, preset=preset, search=_plotted_range(vary, name))
        if progress is not None:
            progress(k + 1, len(names) + (1 if plot else 0))
    commitment: list[Block] = []
    left_out: list[str] = []
    if leader is not None:
        commitment, left_out = _commitment_section(scenario, game, leader, found, vary, values, time_budget)
    notes = [f"{name}: {note}" for name, result in found.items() for note in result.notes]
    if left_out:
        notes.append(f"the commitment thresholds of {join_words(left_out)} are left out: beyond the time allowed")
    notes += _left_out(scenario, names, found, parameters, plot, explain, time.monotonic() - started)
    figure = None
    if plot and scenario.parameters:
        vary = vary or _default_plot(scenario, names, found)
        if vary:
            figure = _make_figure(scenario, vary, overrides, preset, found)
        if progress is not None:
            progress(len(names) + 1, len(names) + 1)

    blocks = _opening_blocks(scenario, game, values) + _payoff_blocks(game, solution) + _equilibrium_blocks(solution)
    if found:
        blocks += _threshold_blocks(scenario, found)
    if figure is not None:
        blocks += [Heading("Plot"), figure]
    blocks += commitment
    if scenario.claims:
        blocks.append(Heading("Claims the scenario speaks to"))
        blocks.extend(_claim_blocks(scenario, found))
    if explain:
        blocks += _working_blocks(game, scenario, solution, explanation)
    if scenario.questions:
        blocks += [Heading("Questions for discussion"), Bullets(list(scenario.questions), numbered=True)]
    blocks += glossary_blocks(blocks)
    if scenario.sources:
        blocks.append(Heading("Sources"))
        blocks.append(Bullets(_source_lines(scenario)))
    blocks.extend(Para(f"Note: {note}") for note in notes)
    return Handout(
        title=scenario.title or game.title,
        blocks=tuple(blocks),
        solution=solution,
        thresholds=tuple(found.values()),
        figure=figure,
        notes=tuple(notes),
        footer=_footer(scenario, values, command),
        values={k: v for k, v in values.items() if k in scenario.parameters},
    )


def _commitment_section(
    scenario, game, leader: str, found: Mapping[str, Any], vary, values: Mapping[str, Any], budget: float | None
) -> tuple[list[Block], list[str]]:
    """The commitment section: ``leader`` moving first at these values, and its exact commitment thresholds
    along each parameter whose Nash thresholds are listed, over the same range (within ``budget`` seconds).
    Returns the blocks and the parameters left out for lack of time."""
    from ..report.commitment import handout_blocks
    from ..sensitivity.commitment import analyse_commitment, commitment_thresholds

    analysis = analyse_commitment(scenario, game, leader)
    started = time.monotonic()
    scans, skipped = [], []
    for name in found:
        search = _plotted_range(vary, name)
        if search is None and scenario.parameters[name].range is None:
            continue
        if budget is not None and time.monotonic() - started > budget:
            skipped.append(name)
            continue
        exact = None if search is None else tuple(Fraction(str(v)) for v in search)
        scans.append(commitment_thresholds(scenario, leader, name, values=values, search=exact))
    return handout_blocks(analysis, tuple(scans)), skipped


def _plotted_range(vary: Mapping[str, tuple[object, object, int | None]], name: str) -> tuple[object, object] | None:
    """The range a line plot of ``name`` covers when it is given (``--vary x_r=0:20``): its thresholds are
    searched over that range, so that the text, the table and the plot show one list."""
    if len(vary) != 1 or name not in vary:
        return None
    lo, hi, _ = vary[name]
    return None if lo is None or hi is None else (lo, hi)


#: The technical terms a handout may use, each in words a non-specialist can follow (one pattern per term:
#: the term is explained when the handout's text matches it).
GLOSSARY = (
    (
        "equilibrium",
        r"\bequilibri",
        (
            "a choice for every player (a strategy, or a mix of strategies) such that "
            "no player can do better by changing its own choice while the others keep theirs (a Nash equilibrium)."
        ),
    ),
    (
        "best response",
        r"\bbest respon",
        (
            "a strategy that gives a player the highest payoff against what the "
            "others do; in the payoff tables a * marks it."
        ),
    ),
    ("pure", r"\bpure\b", "an equilibrium in which every player picks one strategy for sure."),
    (
        "mixed",
        r"\bmix",
        (
            "an equilibrium in which some player randomises: it plays several strategies with "
            "set probabilities, which keep the other players indifferent between their own choices."
        ),
    ),
    (
        "threshold",
        r"\bthreshold",
        (
            "a value of one parameter at which the set of equilibria changes: on one "
            "side some equilibrium exists, on the other it does not."
        ),
    ),
    (
        "degenerate",
        r"\bdegenerate",
        (
            "a game exactly on a threshold, where some player is indifferent in a way "
            "that usually does not happen; it can have more (or odd) equilibria than the games next to it."
        ),
    ),
    (
        "continuum",
        r"\bcontinuum",
        (
            "a whole range of equilibria that shade into one another (the solver lists "
            "the end points); it appears in degenerate games."
        ),
    ),
    (
        "strictly dominated",
        r"\bdominat",
        (
            "a strategy that does worse than another one whatever the others do; "
            "a sensible player never uses it, so it can be crossed out."
        ),
    ),
    (
        "Pareto",
        r"\bPareto",
        (
            "an outcome is Pareto-efficient when no other outcome is better for someone "
            "without being worse for anyone else."
        ),
    ),
    (
        "payoff dominance",
        r"\bpayoff.dominan",
        "an equilibrium payoff-dominates another when every player gets more in it.",
    ),
    (
        "risk dominance",
        r"\brisk.dominan",
        (
            "an equilibrium is risk-dominant when it is the safer bet: it "
            "remains the best choice for a player who is unsure which equilibrium the others will play."
        ),
    ),
    (
        "logit",
        r"\blogit",
        (
            "a model of players who make mistakes, costly ones less often; as the mistakes "
            "become rare it picks out one equilibrium, the one the logit selection names."
        ),
    ),
    (
        "strict",
        r"\bstrict\b",
        (
            "an equilibrium is strict when every player would lose (not merely break even) "
            "by deviating; strict equilibria are the most robust to small changes."
        ),
    ),
    (
        "replicator dynamics",
        r"\breplicator",
        (
            "a model of learning in which, for each player, the strategies that do better than "
            "average are used more and more often, like a trait that spreads in a population."
        ),
    ),
    (
        "coordination failure",
        r"\bcoordination failure",
        (
            "players end up in an equilibrium that is worse for all of them than another one, "
            "because none can do better by changing course alone."
        ),
    ),
    (
        "subgame perfect",
        r"\bsubgame",
        (
            "an equilibrium of a game tree in which every threat or promise would "
            "actually be carried out when its moment comes (found by backward induction)."
        ),
    ),
)


def glossary_blocks(blocks: Sequence[Block]) -> list[Block]:
    """A glossary of the technical terms that ``blocks`` use (none if they use none)."""
    text = " ".join(_block_text(block) for block in blocks)
    used = [(term, meaning) for term, pattern, meaning in GLOSSARY if re.search(pattern, text, re.IGNORECASE)]
    if not used:
        return []
    return [Heading("Glossary"), Bullets([f"{term}: {meaning}" for term, meaning in used])]


def _block_text(block: Block) -> str:
    """The words of a block, whatever its kind."""
    parts = [getattr(block, "text", "") or "", getattr(block, "caption", "") or ""]
    parts += [str(item) for item in getattr(block, "items", ()) or ()]
    parts += [str(line) for line in getattr(block, "lines", ()) or ()]
    parts += [str(cell) for row in getattr(block, "rows", ()) or () for cell in row]
    parts += [str(cell) for cell in getattr(block, "header", ()) or ()]
    return " ".join(parts)


def _left_out(scenario, names, found, parameters, plot: bool, explain: bool, took: float) -> list[str]:
    """What the handout leaves out and why, so that a reader knows what is missing (and how to get it)."""
    notes = []
    skipped = [name for name in names if name not in found]
    if skipped:
        notes.append(
            f"the thresholds of {join_words(skipped)} are left out: those of {join_words(list(found))} took "
            f"{took:.0f} s, beyond the time allowed; choose parameters with --param"
        )
    if parameters is not None and not names and scenario.used_parameters:
        notes.append("the thresholds are left out (--no-thresholds)")
    if not plot and scenario.parameters:
        notes.append("the plot is left out (--no-plot)")
    if not explain:
        notes.append("the step-by-step working is left out (--no-working)")
    return notes


def _threshold_parameters(scenario, parameters: Sequence[str] | None, vary: Mapping[str, Any]) -> list[str]:
    """The parameters whose thresholds are listed (a single plotted one among them), each checked to exist."""
    if len(vary) > 2:
        raise InputError(f"a handout plots one parameter (a line plot) or two (a regime map); {len(vary)} given")
    for name in vary:
        if name not in scenario.parameters:
            check_parameter(scenario, name)
    names = list(default_parameters(scenario) if parameters is None else parameters)
    for name in vary:
        if len(vary) == 1 and name not in names:
            names.append(name)
    for name in names:
        check_parameter(scenario, name)
    return names


def _default_plot(scenario, names: Sequence[str], found: Mapping[str, Any]) -> dict[str, tuple[None, None, None]]:
    """Without ``vary``: the first listed parameter with a threshold (else the first one) over its declared range."""
    pick = next((p for p in names if found.get(p) is not None and found[p].thresholds), None)
    pick = pick or next(iter(names or default_parameters(scenario)), None)
    if pick is not None and scenario.parameters[pick].range is not None:
        return {pick: (None, None, None)}
    return {}


def _opening_blocks(scenario, game, values: Mapping[str, Any]) -> list[Block]:
    """Title, lesson, story, the players and their choices, the parameter table and the derived quantities."""
    blocks: list[Block] = [Heading(scenario.title or game.title or "Game", 1)]
    if scenario.teaches:
        blocks.append(Lead(scenario.teaches))
    if scenario.description:
        blocks.append(Heading("The story"))
        blocks.extend(Para(p) for p in scenario.description.split("\n\n") if p.strip())
    blocks.append(Heading("Players and their choices"))
    player_notes = [f"{p.name}: {p.description}" for p in scenario.players if p.description]
    if player_notes:
        blocks.append(Bullets(player_notes))
    blocks.append(_players_table(scenario))
    if scenario.parameters:
        blocks.append(Heading("Parameters"))
        blocks.append(
            Para(
                "The numbers the model rests on, each with its meaning and where it comes from. Change any of them "
                "with --set NAME=VALUE and regenerate the handout."
            )
        )
        blocks.append(_parameter_table(scenario, values))
        derived = _derived_table(scenario, values)
        if derived is not None:
            blocks.append(derived)
    return blocks


def _payoff_blocks(game, solution) -> list[Block]:
    """The payoff tables, best responses marked."""
    return [
        Heading("Payoffs"),
        Para(
            "Each cell lists the payoffs in player order (" + ", ".join(game.players) + "); * marks a best "
            "response to the others' strategies. A cell where every payoff is marked is a pure equilibrium."
        ),
        *payoff_tables(game, solution.best_responses),
    ]


def _equilibrium_blocks(solution) -> list[Block]:
    """How many equilibria were found and how, their table, and what distinguishes them."""
    blocks: list[Block] = [
        Heading("Equilibria"),
        Para(f"{found_phrase(solution)}, each certified by an independent check that no player gains by deviating."),
    ]
    if solution.equilibria:
        blocks.append(_equilibrium_table(solution))
    lines = distinguishing_lines(solution)
    if lines:
        blocks.append(Heading("What distinguishes them", 3))
        blocks.append(Bullets(lines))
    if len(solution.equilibria) > 1:
        blocks.append(Heading("Which one is most plausible?", 3))
        blocks.append(Bullets(plausibility_lines(solution, plausibility(solution))))
    blocks.extend(Para(f"Note: {note}") for note in solution.notes)
    return blocks


def _threshold_blocks(scenario, found: Mapping[str, Any]) -> list[Block]:
    """Each listed parameter's thresholds: sentences, then the table of intervals."""
    exact = all(result.exact for result in found.values())
    how = (
        "Thresholds are exact: they come from the closed forms of every equilibrium and are checked with the "
        "exact solver on both sides."
        if exact
        else "Where the closed forms are available the thresholds are exact and checked with the exact solver on "
        "both sides; where they are not (said below), the exact solver scans the range and the values marked "
        "'located numerically' are approximate."
    )
    blocks: list[Block] = [
        Heading("When the answer changes: exact thresholds" if exact else "When the answer changes: thresholds"),
        Para(
            "Each parameter below is varied on its own over its declared range, the others held at the values of "
            "the parameter table. " + how
        ),
    ]
    for name, result in found.items():
        blocks.append(Heading(parameter_phrase(scenario, name), 3))
        blocks.append(Bullets(threshold_sentences(scenario, result)))
        if result.intervals:
            blocks.append(interval_table(scenario, result))
    return blocks


def _working_blocks(game, scenario, solution, working=None) -> list[Block]:
    """The step-by-step derivation of the equilibria (:func:`~gametheory.teaching.explain.explain`, or
    ``working`` when it is already made), one level down."""
    shown = ("tree", "dominance", "pure", "mixed")
    working = working or explain_game(game, scenario, solution, parts=shown)
    blocks: list[Block] = [Heading("How the equilibria come about (for the board)")]
    for block in working.blocks(heading_level=2, parts=shown):
        blocks.append(Heading(block.text, 3) if isinstance(block, Heading) and block.level == 3 else block)
    return blocks


def _footer(scenario, values: Mapping[str, Any], command: str) -> str:
    """Which version made the handout from which file, with which changed values, and how to make it again."""
    changed = {k: v for k, v in values.items() if k in scenario.parameters and v != scenario.parameters[k].default}
    footer = f"Generated by gametheory {__version__}" + (f" from {scenario.file}" if scenario.file else "")
    if changed:
        footer += " with " + ", ".join(f"{k} = {parameter_text(v)}" for k, v in changed.items())
    if command:
        footer += f". Regenerate with: {command}"
    return footer + "."
