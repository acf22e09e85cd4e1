"""The reasoning behind a game's solution, step by step, as a teacher writes it on the board.

:func:`explain` reads a solved game (and, when there is one, the scenario whose
payoff expressions produced it) and writes out, in words and equations:

1. **Best responses.** For each player and each choice of the others, the
   payoff of every strategy and which is best (the ``*`` of the payoff table).
2. **Iterated elimination of strictly dominated strategies** (Osborne &
   Rubinstein 1994, sec. 4.2; Maschler, Solan & Zamir 2013, sec. 4.5), each
   step justified by the inequalities that make it valid: for every remaining
   choice of the others, the dominating (possibly mixed) strategy pays more,
   e.g. ``1/2*3 + 1/2*0 = 3/2 > 1``.
3. **Why each pure equilibrium is one**: no player gains by a unilateral
   deviation, with the numbers; and for every other profile, a player who
   would switch.
4. **How each mixed equilibrium comes about** (the indifference principle;
   Nash 1951, Osborne 2004 ch. 4): a player who mixes must be indifferent
   among the strategies it mixes over, so each mixing player's indifference
   condition pins down the *others'* probabilities. The equations are written
   with the payoffs at the chosen parameter values and with the scenario's
   payoff expressions, then solved step by step (one unknown at a time where
   possible, else jointly and exactly with sympy); where an unknown is fixed
   by one linear equation the general closed form in the parameters is given
   too, e.g. ``t* = (c_us - m_us)/(n_us - m_us - e_us) = (2 - 1)/(8 - 1 - 3) = 1/4``.
   Finally the strategies outside the support are checked to be no better.

5. **Which equilibrium is most plausible** when there are several: the
   selection criteria (logit, payoff and risk dominance, best-response
   dynamics, subgame perfection) and the equilibrium most of them pick, in
   the handout's words (:func:`gametheory.dynamics.plausibility`,
   :mod:`gametheory.report.plausibility`).

6. **Game trees**: backward induction, one decision at a time from the last
   moves up, each choice justified by the values of the moves (Zermelo; Kuhn
   1953); with imperfect information, the subgame-perfect equilibria found by
   solving each proper subgame (:mod:`gametheory.solvers.backward`).

The result is a :class:`Explanation` made of document blocks
(:mod:`gametheory.report.document`), rendered to text, Markdown, LaTeX or HTML
by :func:`gametheory.report.handout.render`. The library never prints; sympy
is imported only when a mixed equilibrium is explained. Seminar handouts
(:mod:`gametheory.teaching.handout`) include the same working.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..analysis import analyse
from ..dynamics import plausibility
from ..game import NormalFormGame, Number, strategy_payoffs
from ..numtext import exact_text, parameter_text, payoff_text, probability_text
from ..report.document import Block, Bullets, Equations, Heading, Para
from ..report.plausibility import plausibility_lines
from ..solution import Equilibrium, Solution
from ..solvers.dominance import iterated_elimination
from ..solvers.pure import best_response_mask

#: At most this many lines are written per list (best responses of one player, non-equilibrium profiles).
MAX_LINES = 64
#: Payoff expressions longer than this are not repeated next to their values.
MAX_EXPRESSION = 48
#: The parts of an explanation, in the order they are shown.
PARTS = ("tree", "best_responses", "dominance", "pure", "mixed", "plausibility", "commitment")
#: General closed forms bigger than this (sympy operation count) are not printed.
MAX_GENERAL_OPS = 60


@dataclass(frozen=True)
class MixedDerivation:
    """The indifference derivation of one mixed equilibrium (also rendered in :attr:`Explanation.mixed`).

    ``variables[v] = (player, strategy)``: ``v`` is the probability that
    ``player`` plays ``strategy``. ``equations`` are the indifference
    conditions with the payoffs at the chosen values, ``general_equations``
    the same with the scenario's payoff expressions (empty without a
    scenario). ``values[v]`` is the exact (or decimal) solution and
    ``general[v]`` its closed form in the parameters when one linear equation
    fixes it; ``blocks`` the rendered derivation.
    """

    index: int
    variables: Mapping[str, tuple[str, str]]
    equations: tuple[str, ...]
    general_equations: tuple[str, ...]
    values: Mapping[str, str]
    general: Mapping[str, str] = field(default_factory=dict)
    determined: bool = True
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """The step-by-step reasoning about one game, as sections of document blocks."""

    title: str
    parameters: Mapping[str, Number]
    best_responses: tuple[Block, ...]
    dominance: tuple[Block, ...]
    pure: tuple[Block, ...]
    mixed: tuple[Block, ...]
    derivations: tuple[MixedDerivation, ...] = ()
    tree: tuple[Block, ...] = ()
    commitment: tuple[Block, ...] = ()
    plausibility: tuple[Block, ...] = ()

    def blocks(self, *, heading_level: int = 1, parts: Sequence[str] | None = None) -> list[Block]:
        """All sections with their headings (``parts``: a subset of :data:`PARTS`, in that order)."""
        wanted = parts or PARTS
        titles = {
            "tree": "Backward induction (subgame perfection)",
            "best_responses": "Best responses",
            "dominance": "Iterated elimination of strictly dominated strategies",
            "pure": "Pure equilibria: why they are (and why the other profiles are not)",
            "mixed": "Mixed equilibria: the indifference conditions",
            "plausibility": "Which one is most plausible?",
            "commitment": "Commitment: what moving first would change",
        }
        out: list[Block] = []
        if heading_level == 1:
            out.append(Heading(f"Step by step: {self.title}" if self.title else "Step by step", 1))
            if self.parameters:
                out.append(
                    Para(
                        "Parameter values: "
                        + ", ".join(f"{k} = {parameter_text(v)}" for k, v in self.parameters.items())
                        + "."
                    )
                )
        for part in wanted:
            blocks = getattr(self, part)
            if blocks:
                out.append(Heading(titles[part], heading_level + 1))
                out.extend(blocks)
        return out


# ------------------------------------------------------------------ helpers
def _num(x: Number) -> str:
    """Exact fractions on the board (``3/2``, ``-11/16``); floats as short decimals."""
    return exact_text(x) if isinstance(x, Fraction) else payoff_text(x)


def _others(game: NormalFormGame, i: int) -> list[int]:
    return [j for j in range(game.num_players) if j != i]


def _full(i: int, own: int, others: Sequence[int], q: Sequence[int]) -> tuple[int, ...]:
    index = list(q)
    index.insert(i, own)
    return tuple(index)


def _words(game: NormalFormGame, others: Sequence[int], q: Sequence[int]) -> str:
    return ", ".join(f"{game.players[j]} {game.strategies[j][a]}" for j, a in zip(others, q))


def join_words(items: Sequence[str], word: str = "and") -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c`` (``word``: ``and`` or ``or``).

    >>> join_words(["Europe", "Russia", "US"])
    'Europe, Russia and US'
    >>> join_words(["no. 1", "no. 2"], "or")
    'no. 1 or no. 2'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _cell_text(scenario, i: int, index: tuple[int, ...]) -> str | None:
    """The payoff expression of player ``i`` at ``index`` as written in the scenario (None if constant)."""
    if scenario is None:
        return None
    expr = scenario.payoffs[(i, *index)]
    if expr.is_constant or len(expr.text) > MAX_EXPRESSION:
        return None
    return expr.text


def _with_expr(value: Number, text: str | None) -> str:
    return f"{_num(value)} (= {text})" if text else _num(value)


# ------------------------------------------------------------ 1. best responses
def best_response_blocks(game: NormalFormGame) -> list[Block]:
    """For each player and each pure choice of the others: every strategy's payoff and the best one(s)."""
    mask = best_response_mask(game)
    out: list[Block] = [
        Para(
            "A best response is a strategy that gives a player the highest payoff, given what the others do. "
            "A profile in which every player's strategy is a best response (every payoff marked * in the "
            "payoff table) is a pure Nash equilibrium."
        )
    ]
    for i, player in enumerate(game.players):
        others = _others(game, i)
        lines = []
        profiles = list(itertools.product(*(range(game.shape[j]) for j in others)))
        for q in profiles[:MAX_LINES]:
            values = [game.payoffs[(i, *_full(i, k, others, q))] for k in range(game.shape[i])]
            best = [game.strategies[i][k] for k in range(game.shape[i]) if mask[(i, *_full(i, k, others, q))]]
            listing = ", ".join(f"{s} {_num(v)}" for s, v in zip(game.strategies[i], values))
            against = _words(game, others, q) if others else "(no other player)"
            verdict = f"best: {best[0]}" if len(best) == 1 else f"best: {join_words(best)} (a tie)"
            lines.append(f"against {against}: {listing}; {verdict}")
        if len(profiles) > MAX_LINES:
            lines.append(f"... and {len(profiles) - MAX_LINES} more choices of the others")
        out.append(Para(f"{player}'s payoff from each strategy:"))
        out.append(Bullets(lines))
    return out


# --------------------------------------------------------------- 2. dominance
def _mix_text(names: Sequence[str], dominator: Sequence[Number]) -> str:
    used = [(n, p) for n, p in zip(names, dominator) if p != 0]
    if len(used) == 1:
        return used[0][0]
    return " + ".join(f"{probability_text(p)}*{n}" for n, p in used)


def dominance_blocks(game: NormalFormGame, elimination=None) -> list[Block]:
    """Iterated elimination of strictly dominated strategies, each removal justified with its inequalities."""
    if elimination is None:
        elimination = iterated_elimination(game)
    out: list[Block] = []
    if not elimination.steps:
        out.append(
            Para(
                "No strategy is strictly dominated, not even by a mixture of other strategies: each one is a best "
                "response to some belief about what the others do (Pearce's lemma), so elimination removes nothing "
                "and every strategy stays in play."
            )
        )
        return out
    out.append(
        Para(
            "A strategy is strictly dominated when another strategy (or a mixture of strategies) pays more against "
            "every choice of the others. A rational player never uses it, so it can be crossed out; crossing out can "
            "make further strategies dominated. The order does not change what survives."
        )
    )
    survivors = [list(range(n)) for n in game.shape]
    for number, step in enumerate(elimination.steps, 1):
        i, k = step.player, step.strategy
        names = game.strategies[i]
        others = _others(game, i)
        by = _mix_text(names, step.dominator)
        used = [(j, p) for j, p in enumerate(step.dominator) if p != 0]
        lines, compact = [], []
        for q in itertools.product(*(survivors[j] for j in others)):
            own = game.payoffs[(i, *_full(i, k, others, q))]
            parts = [(p, game.payoffs[(i, *_full(i, j, others, q))]) for j, p in used]
            value = sum((p * v for p, v in parts), Fraction(0) if game.exact else 0.0)
            rel = ">" if value > own else ("=" if value == own else "<")
            against = _words(game, others, q) if others else "the game"
            if len(parts) == 1:
                lines.append(f"against {against}: {by} gives {_num(value)} {rel} {_num(own)} from {names[k]}")
            else:
                sums = " + ".join(f"{probability_text(p)}*{_num(v)}" for p, v in parts)
                lines.append(f"against {against}: {sums} = {_num(value)} {rel} {_num(own)} from {names[k]}")
            compact.append(f"{_num(value)} {rel} {_num(own)}")
        kind = "strictly" if step.strict else "weakly"
        out.append(
            Para(
                f"Step {number}. {game.players[i]}: {names[k]} is {kind} dominated by {by}: for every choice of the "
                f"others, {by} gives more than {names[k]}: {join_words(compact)}."
            )
        )
        out.append(Bullets(lines))
        survivors[i].remove(k)
        remaining = ", ".join(names[j] for j in survivors[i])
        out.append(
            Para(f"So {game.players[i]} never plays {names[k]}: cross it out ({game.players[i]} keeps {remaining}).")
        )
    left = "; ".join(
        f"{p}: {', '.join(game.strategies[i][k] for k in s)}" for i, (p, s) in enumerate(zip(game.players, survivors))
    )
    out.append(Para(f"Nothing else is dominated. Surviving strategies: {left}."))
    if elimination.solved:
        profile = ", ".join(game.strategies[i][s[0]] for i, s in enumerate(survivors))
        out.append(
            Para(
                f"One strategy per player survives, so the game is dominance solvable: ({profile}) is its only Nash "
                "equilibrium."
            )
        )
    else:
        out.append(
            Para(
                "Every Nash equilibrium uses only surviving strategies, so the rest of the analysis can work on the reduced game."
            )
        )
    return out


# ------------------------------------------------------------ 3. pure equilibria
def pure_blocks(game: NormalFormGame, solution: Solution, scenario=None) -> list[Block]:
    """Why each pure equilibrium is one (no profitable deviation) and why every other profile is not."""
    out: list[Block] = []
    pure = [e.pure_profile for e in solution.equilibria if e.pure]
    if not pure:
        out.append(
            Para("No pure profile is a Nash equilibrium: in every one, some player gains by switching (see below).")
        )
    for profile in pure:
        names = ", ".join(game.profile_names(profile))
        out.append(Para(f"({names}) is a Nash equilibrium: no player gains by changing only its own strategy."))
        lines = []
        for i, player in enumerate(game.players):
            own = game.payoffs[(i, *profile)]
            own_text = _with_expr(own, _cell_text(scenario, i, profile))
            alts = []
            for k in range(game.shape[i]):
                if k == profile[i]:
                    continue
                index = tuple(k if j == i else a for j, a in enumerate(profile))
                value = game.payoffs[(i, *index)]
                rel = "<" if value < own else "="
                alts.append(
                    f"{game.strategies[i][k]} would give {_with_expr(value, _cell_text(scenario, i, index))}, "
                    f"{_num(value)} {rel} {_num(own)}"
                )
            if alts:
                lines.append(
                    f"{player}: {game.strategies[i][profile[i]]} gives {own_text}; " + "; ".join(alts) + ": no gain."
                )
            else:
                lines.append(f"{player}: {game.strategies[i][profile[i]]} is its only strategy.")
        out.append(Bullets(lines))
    others = []
    for profile in game.profiles():
        if profile in pure:
            continue
        for i, player in enumerate(game.players):
            own = game.payoffs[(i, *profile)]
            best_k, best_v = None, own
            for k in range(game.shape[i]):
                index = tuple(k if j == i else a for j, a in enumerate(profile))
                if game.payoffs[(i, *index)] > best_v:
                    best_k, best_v = k, game.payoffs[(i, *index)]
            if best_k is not None:
                others.append(
                    f"({', '.join(game.profile_names(profile))}): {player} would switch from "
                    f"{game.strategies[i][profile[i]]} to {game.strategies[i][best_k]} ({_num(best_v)} > {_num(own)})"
                )
                break
    if others:
        shown = others[:MAX_LINES]
        if len(others) > MAX_LINES:
            shown.append(f"... and {len(others) - MAX_LINES} more profiles")
        out.append(Para("Every other pure profile has a player who gains by switching alone:"))
        out.append(Bullets(shown))
    return out


# ------------------------------------------------------------ 4. mixed equilibria
def _sympy_number(sp, x: Number):
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sp.Integer(x)
    return sp.Float(float(x), 17)


def _exact_text(sp, value) -> str:
    """A sympy number exactly: ``1/4``, ``79/155 + sqrt(2521)/155``."""
    if value.is_Rational:
        return exact_text(Fraction(int(value.p), int(value.q)))
    return sp.sstr(sp.nsimplify(value)) if value.is_number and value.is_algebraic else sp.sstr(value)


def _approximate(sp, value) -> str:
    """A number as a short decimal; a complex one (a root of the system that is not a probability) as ``a + bi``."""
    z = complex(sp.N(value, 30))
    if abs(z.imag) <= 1e-12 * max(1.0, abs(z.real)):
        return f"{z.real:.6g}"
    sign = "-" if z.imag < 0 else "+"
    return f"{z.real:.6g} {sign} {abs(z.imag):.6g}i"


def _value_text(sp, value) -> str:
    """``1/4``; ``79/155 + sqrt(2521)/155 (about 0.83361)``; a decimal for floats; ``... (about 0.1 + 0.2i)``."""
    if value.is_Rational:
        return _exact_text(sp, value)
    if value.is_Float:
        return f"{float(value):.6g}"
    text = sp.sstr(value)
    if len(text) > 80:
        return f"{_approximate(sp, value)} (exact form too long to print)"
    return f"{text} (about {_approximate(sp, value)})"


def _term_order(names: Sequence[str]):
    """Sort key for the terms of a sum: by the file position of the first parameter they contain."""
    rank = {n: k for k, n in enumerate(names)}

    def key(term):
        found = [rank.get(str(s), len(rank)) for s in term.free_symbols]
        return (min(found) if found else len(rank) + 1, str(term))

    return key


def readable_sum(sp, expr, names: Sequence[str]) -> str:
    """A polynomial as a teacher would write it: terms in the scenario's parameter order, a positive one first.

    ``a_r - f_r + g_r - w_r`` becomes ``g_r - f_r - w_r + a_r`` when the file
    lists ``g_r, f_r, w_r, a_r`` in that order.
    """
    expr = sp.expand(expr)
    terms = sorted(sp.Add.make_args(expr), key=_term_order(names))
    positive = [t for t in terms if not t.could_extract_minus_sign()]
    if positive and terms[0].could_extract_minus_sign():
        terms.remove(positive[0])
        terms.insert(0, positive[0])
    text = ""
    for k, term in enumerate(terms):
        negative = term.could_extract_minus_sign()
        body = sp.sstr(-term if negative else term)
        if k == 0:
            text = ("-" if negative else "") + body
        else:
            text += (" - " if negative else " + ") + body
    return text or "0"


def readable_ratio(sp, expr, names: Sequence[str], values: Mapping[Any, Any] | None = None) -> str:
    """A rational function as ``(numerator)/(denominator)``, signed so the denominator is positive at ``values``."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    num, den = sp.expand(num), sp.expand(den)
    if den.is_number:
        return readable_sum(sp, sp.expand(num / den), names)
    flip = None
    if values:
        try:
            at = den.subs(values)
            if at.is_number and at != 0:
                flip = bool(at < 0)
        except (TypeError, ValueError):
            flip = None
    if flip is None:
        negatives = sum(1 for t in sp.Add.make_args(den) if t.could_extract_minus_sign())
        flip = negatives * 2 > len(sp.Add.make_args(den))
    if flip:
        num, den = -num, -den
    top, bottom = readable_sum(sp, num, names), readable_sum(sp, den, names)
    wrap = lambda e, t: t if (len(sp.Add.make_args(e)) == 1 and not t.startswith("-")) else f"({t})"  # noqa: E731
    if len(sp.Add.make_args(den)) == 1 and (den.is_Symbol or den.is_number):
        return f"{wrap(num, top)}/{bottom}"
    return f"{wrap(num, top)}/{wrap(den, bottom)}"


def _substituted(text: str, values: Mapping[str, Number]) -> str:
    """``(c_us - m_us)/(n_us - m_us - e_us)`` with the numbers put in: ``(2 - 1)/(8 - 1 - 3)``."""

    def put(match: re.Match) -> str:
        name = match.group(0)
        if name not in values:
            return name
        shown = parameter_text(values[name])
        return f"({shown})" if shown.startswith("-") else shown

    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", put, text)


class _Namer:
    """Unique names for the unknown probabilities, after the strategy they are the probability of.

    ``p_target`` is the probability of ``target``; when two players share a strategy name (five states that
    each ``commit``) the player is added (``p_France_commit``); a name that is not a plain word falls back to
    ``p<player>_<strategy>`` numbers.
    """

    def __init__(self, taken: Sequence[str]):
        self.taken = set(taken)
        self.names: dict[tuple[int, int], str] = {}

    def __call__(self, player: int, strategy: int, label: str, who: str = "") -> str:
        key = (player, strategy)
        if key in self.names:
            return self.names[key]
        options = [f"p_{word}" for word in (_word(label), _word(who) + "_" + _word(label)) if word.strip("_")]
        options += [f"p{player + 1}_{strategy + 1}", f"p{player + 1}_{strategy + 1}_{len(self.taken)}"]
        for name in options:
            if name.isidentifier() and name not in self.taken:
                self.taken.add(name)
                self.names[key] = name
                return name
        raise RuntimeError("no free name")  # pragma: no cover - the last option is unique


def _word(text: str) -> str:
    """``text`` as part of an identifier: runs of other characters become one ``_`` (``stay out`` -> ``stay_out``)."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")


def _derived_values(scenario, values: Mapping[str, Number]) -> dict[str, Number]:
    out: dict[str, Number] = {}
    if scenario is None:
        return out
    env = dict(values)
    for name, derived in scenario.derived.items():
        try:
            env[name] = out[name] = derived.expression.evaluate(env)
        except Exception:  # an undefined derived quantity simply does not take part
            continue
    return out


def _preferences(
    game: NormalFormGame, mixed: Sequence[Equilibrium], derived: Mapping[str, Number]
) -> dict[int, tuple[int, str | None]]:
    """For each player, the strategy whose probability is the named unknown (and the derived quantity it equals).

    A scenario that defines, say, ``t_star`` equal to the probability of ``target`` in some equilibrium
    gets its unknown called ``t`` for that strategy; otherwise the first strategy of the support is named.
    """
    prefs: dict[int, tuple[int, str | None]] = {}
    for eq in mixed:
        if not eq.exact:
            continue
        for i, probs in enumerate(eq.profile):
            if i in prefs or len(eq.support[i]) != 2:
                continue
            for k in eq.support[i]:
                name = game.strategies[i][k].lower()
                hit = [
                    d
                    for d, v in derived.items()
                    if isinstance(v, Fraction)
                    and v == probs[k]
                    and (d.lower().startswith(name[:1]) or name in d.lower())
                ]
                if hit:
                    prefs[i] = (k, hit[0])
                    break
    return prefs


def _symbol_table(sp, scenario):
    table: dict[str, Any] = {name: sp.Symbol(name) for name in scenario.parameters}
    for name, derived in scenario.derived.items():
        try:
            table[name] = derived.expression.to_sympy(table)
        except Exception:
            table[name] = sp.Symbol(name)
    return table


def _same_formula(sp, derived, closed, at) -> bool:
    """True when a derived quantity's formula (or one branch of an ``if``) equals the closed form found.

    ``at`` maps symbols to the current values: a cheap numeric check runs before the exact one.
    """
    if derived is None:
        return False
    candidates = [branch for branch, _ in derived.args] if isinstance(derived, sp.Piecewise) else [derived]
    for candidate in candidates:
        candidate = sp.sympify(candidate)
        if candidate.has(sp.Piecewise, sp.Min, sp.Max, sp.Abs) or not candidate.free_symbols:
            continue
        try:
            if sp.simplify(candidate.subs(at) - closed.subs(at)) != 0:
                continue
            if sp.cancel(sp.together(candidate - closed)) == 0:
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return False


def _complement(names: Sequence[str]) -> str:
    """``(1 - t)``, ``(1 - p - s)``: the probability left for the support's unnamed strategy."""
    return "(1 - " + " - ".join(names) + ")"


def _side_text(terms: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Terms ``(coefficient text, factors)`` joined with signs: ``-1*(1 - t) - 9*t``."""
    out = ""
    for k, (coef, factors) in enumerate(terms):
        negative = coef.startswith("-")
        body = coef[1:] if (negative and k > 0) else coef
        product = "*".join([body, *factors]) if factors else body
        if k == 0:
            out = product
        else:
            out += (" - " if negative else " + ") + product
    return out or "0"


def _general_coefficient(text: str) -> str:
    """A payoff expression as a coefficient: parenthesised unless it is a single name or number."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?", text.strip()):
        return text.strip()
    return f"({text.strip()})"


def _general_side(terms: Sequence[tuple[str, Sequence[str]]]) -> str:
    parts = []
    for coef, factors in terms:
        parts.append("*".join([coef, *factors]) if factors else coef)
    return " + ".join(parts) or "0"


@dataclass
class _Unknowns:
    """The probabilities of one mixed equilibrium as unknowns: one per mixing player's support strategy but one.

    ``prob`` maps (player, strategy) to its sympy probability (a symbol, ``1 - ...`` or 1), ``text`` to how it
    is written (None for a pure strategy), ``variables`` each unknown's name to (player, strategy).
    """

    prob: dict[tuple[int, int], Any] = field(default_factory=dict)
    text: dict[tuple[int, int], str | None] = field(default_factory=dict)
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    symbols: list[Any] = field(default_factory=list)
    described: list[str] = field(default_factory=list)


def _named_strategies(support: Sequence[int], preferred: int | None) -> list[int]:
    """The support strategies whose probability gets a name: all but one (the preferred one kept named)."""
    if len(support) == 2:
        return [preferred] if preferred in support else [support[0]]
    base = support[1] if preferred == support[0] else support[0]
    return [k for k in support if k != base]


def _unknowns(sp, game: NormalFormGame, support, namer: _Namer, preferences) -> _Unknowns:
    """Name the unknown probabilities of each player and describe what each player plays."""
    out = _Unknowns()
    for i in range(game.num_players):
        s = support[i]
        if len(s) == 1:
            out.prob[(i, s[0])] = sp.Integer(1)
            out.text[(i, s[0])] = None
            out.described.append(f"{game.players[i]} plays {game.strategies[i][s[0]]}")
            continue
        named = _named_strategies(s, preferences.get(i, (None, None))[0])
        base = next(k for k in s if k not in named)
        names = []
        for k in named:
            v = namer(i, k, game.strategies[i][k], game.players[i])
            sym = sp.Symbol(v)
            out.prob[(i, k)] = sym
            out.text[(i, k)] = v
            out.variables[v] = (game.players[i], game.strategies[i][k])
            out.symbols.append(sym)
            names.append(v)
        out.prob[(i, base)] = 1 - sum((out.prob[(i, k)] for k in named), sp.Integer(0))
        out.text[(i, base)] = _complement(names)
        what = join_words([f"{game.strategies[i][k]} with probability {out.text[(i, k)]}" for k in named])
        out.described.append(
            f"{game.players[i]} plays {what} (so {game.strategies[i][base]} with {out.text[(i, base)]})"
        )
    return out


@dataclass
class _MixedContext:
    """What every step of one mixed derivation reads: the game, its unknowns and the scenario's symbols."""

    sp: Any
    game: NormalFormGame
    eq: Equilibrium
    scenario: Any
    unknowns: _Unknowns
    table: dict[str, Any] | None
    param_names: list[str]
    values: dict[str, Number]
    subs_values: dict[Any, Any]

    @property
    def support(self):
        return self.eq.support


def _expected_payoff(ctx: _MixedContext, i: int, own: int):
    """Numeric terms, general terms, numeric sympy value and general sympy value of U_i(own)."""
    sp, game, support = ctx.sp, ctx.game, ctx.support
    prob, text = ctx.unknowns.prob, ctx.unknowns.text
    others = _others(game, i)
    num_terms, gen_terms = [], []
    value, general = sp.Integer(0), sp.Integer(0)
    for q in itertools.product(*(support[j] for j in others)):
        idx = _full(i, own, others, q)
        factors = [text[(j, a)] for j, a in zip(others, q) if text[(j, a)] is not None]
        weight = sp.Integer(1)
        for j, a in zip(others, q):
            weight *= prob[(j, a)]
        payoff = game.payoffs[(i, *idx)]
        num_terms.append((_num(payoff), factors))
        value += weight * _sympy_number(sp, payoff)
        if ctx.table is not None and general is not None:
            expr = ctx.scenario.payoffs[(i, *idx)]
            try:
                coef = expr.to_sympy(ctx.table)
            except Exception:
                coef = None
            if coef is None or coef.has(sp.Piecewise, sp.Min, sp.Max, sp.Abs):
                general = None
            else:
                general += weight * coef
                gen_terms.append((_general_coefficient(expr.text), factors))
    return num_terms, gen_terms, value, general


def _what_others_play(ctx: _MixedContext, i: int) -> list[str]:
    """``Defender plays hold with probability h``: the others' play that player i's indifference assumes."""
    game, support = ctx.game, ctx.support
    given = []
    for j in _others(game, i):
        if len(support[j]) == 1:
            given.append(f"{game.players[j]} plays {game.strategies[j][support[j][0]]}")
        else:
            named = [
                f"{game.strategies[j][k]} with probability {ctx.unknowns.text[(j, k)]}"
                for k in support[j]
                if ctx.unknowns.prob[(j, k)].is_Symbol
            ]
            given.append(f"{game.players[j]} plays {join_words(named)}")
    return given


@dataclass
class _Indifferences:
    """The indifference equations: (player, base, other strategy, numeric difference, general difference)."""

    equations: list[tuple[int, int, int, Any, Any]] = field(default_factory=list)
    numeric_texts: list[str] = field(default_factory=list)
    general_texts: list[str] = field(default_factory=list)


def _indifference_equations(ctx: _MixedContext, mixers: Sequence[int], blocks: list[Block]) -> _Indifferences:
    """Write each mixing player's indifference between its first support strategy and each other one."""
    sp, game, support = ctx.sp, ctx.game, ctx.support
    out = _Indifferences()
    for i in mixers:
        base = support[i][0]
        given = _what_others_play(ctx, i)
        for k in support[i][1:]:
            a, b = game.strategies[i][base], game.strategies[i][k]
            nt_a, gt_a, v_a, g_a = _expected_payoff(ctx, i, base)
            nt_b, gt_b, v_b, g_b = _expected_payoff(ctx, i, k)
            blocks.append(
                Para(
                    f"{game.players[i]} is indifferent between {a} and {b}"
                    + (f", given that {join_words(given)}" if given else "")
                    + ":"
                )
            )
            player = game.players[i] if game.players[i].isidentifier() else re.sub(r"\W+", "", game.players[i])
            numeric = f"{_side_text(nt_a)} = {_side_text(nt_b)}"
            lines = [
                f"U_{player}({a}) = {_side_text(nt_a)}",
                f"U_{player}({b}) = {_side_text(nt_b)}",
                f"indifference: {numeric}",
            ]
            general_text = None
            if g_a is not None and g_b is not None and gt_a and gt_b:
                general_text = f"{_general_side(gt_a)} = {_general_side(gt_b)}"
                lines.append(f"in symbols: {general_text}")
            blocks.append(Equations(lines))
            out.numeric_texts.append(numeric)
            if general_text:
                out.general_texts.append(general_text)
            out.equations.append(
                (i, base, k, sp.expand(v_a - v_b), None if (g_a is None or g_b is None) else sp.expand(g_a - g_b))
            )
    return out


@dataclass
class _Solved:
    """The unknowns found so far: exact values, closed forms in the parameters, and those closed forms as text."""

    values: dict[Any, Any] = field(default_factory=dict)
    general: dict[Any, Any] = field(default_factory=dict)
    general_text: dict[str, str] = field(default_factory=dict)


def _general_root_lines(ctx: _MixedContext, gexpr, x, root, solved: _Solved) -> list[str]:
    """Solve the equation in symbols for x too, when that gives a short closed form equal to the number found."""
    sp = ctx.sp
    if gexpr is None or not all(s in solved.general for s in solved.values):
        return []
    gcur = sp.expand(gexpr.subs(solved.general))
    gfree = [s for s in ctx.unknowns.symbols if s in gcur.free_symbols and s not in solved.general]
    if gfree != [x]:
        return []
    gpoly = sp.Poly(gcur, x)
    if gpoly.degree() != 1:
        return []
    g1, g0 = gpoly.all_coeffs()
    closed = sp.cancel(-g0 / g1)
    if not (
        sp.count_ops(closed) <= MAX_GENERAL_OPS
        and closed.free_symbols
        and sp.simplify(closed.subs(ctx.subs_values) - root) == 0
    ):
        return []
    solved.general[x] = closed
    shown = readable_ratio(sp, closed, ctx.param_names, ctx.subs_values)
    solved.general_text[str(x)] = shown
    return [f"in general: {x}* = {shown} = {_substituted(shown, ctx.values)} = {_value_text(sp, root)}"]


def _solve_for_one(ctx: _MixedContext, equation, current, x, solved: _Solved) -> tuple[Any, list[str]] | None:
    """Solve an equation left with the single unknown x: its root and the lines showing how, or None if not linear."""
    sp = ctx.sp
    poly = sp.Poly(current, x)
    if poly.degree() != 1:
        return None
    a1, a0 = poly.all_coeffs()
    root = -a0 / a1
    lines = []
    raw = _sides(sp, equation, ctx.unknowns.prob, ctx.game, ctx.support)
    inside = set().union(*(part.free_symbols for part in raw))
    if any(s in inside for s in solved.values):
        used = ", ".join(f"{s}* = {_value_text(sp, v)}" for s, v in solved.values.items() if s in inside)
        lines.append(f"put in {used}")
    lhs, rhs = [sp.expand(part.subs(solved.values)) for part in raw]
    lines.append(f"expand: {sp.sstr(lhs)} = {sp.sstr(rhs)}")
    lines.append(f"collect: {sp.sstr(current)} = 0")
    lines.append(f"so {x}* = {_value_text(sp, root)}")
    lines += _general_root_lines(ctx, equation[4], x, root, solved)
    if x in solved.general and ctx.table is not None:
        match = [
            d for d in ctx.scenario.derived if _same_formula(sp, ctx.table.get(d), solved.general[x], ctx.subs_values)
        ]
        if match:
            lines.append(f"(this is the scenario's derived quantity {match[0]})")
    return root, lines


def _solve_one_at_a_time(ctx: _MixedContext, equations, solved: _Solved, blocks: list[Block]) -> list[int]:
    """Solve every equation that has a single unknown left, repeatedly; return the equations still pending."""
    sp, game = ctx.sp, ctx.game
    pending = list(range(len(equations)))
    progress = True
    while progress and pending:
        progress = False
        for e in list(pending):
            i, _, _, expr, _ = equations[e]
            current = sp.expand(expr.subs(solved.values))
            free = [x for x in ctx.unknowns.symbols if x in current.free_symbols and x not in solved.values]
            if len(free) != 1:
                if not free:
                    pending.remove(e)
                    if current != 0:
                        blocks.append(
                            Para(
                                f"Check: {game.players[i]}'s condition reduces to {sp.sstr(current)} = 0, which fails."
                            )
                        )
                continue
            x = free[0]
            step = _solve_for_one(ctx, equations[e], current, x, solved)
            if step is None:
                continue
            root, lines = step
            blocks.append(Para(f"From {game.players[i]}'s indifference, solve for {x}:"))
            blocks.append(Equations(lines))
            solved.values[x] = root
            pending.remove(e)
            progress = True
    return pending


def _solution_lines(sp, found, rest) -> list[str]:
    """Each solution of the joint system, marked kept (all probabilities) or rejected."""
    lines = []
    for sol in found:
        shown = ", ".join(f"{x} = {_value_text(sp, sol[x])}" for x in rest if x in sol)
        ok = (
            all(x in sol and sol[x].is_real and 0 <= sol[x] <= 1 for x in rest)
            if all(x in sol and not sol[x].free_symbols for x in rest)
            else False
        )
        lines.append(shown + ("   (all between 0 and 1)" if ok else "   (not probabilities: rejected)"))
    return lines


def _closest_solution(ctx: _MixedContext, found, rest) -> tuple[float, dict] | None:
    """The numeric solution nearest the equilibrium the solver found, with its distance (None if there is none)."""
    target = {x: _float_prob(ctx.eq, ctx.unknowns.variables[str(x)], ctx.game) for x in rest}
    candidates = []
    for sol in found:
        if any(x not in sol or sol[x].free_symbols for x in rest):
            continue
        try:
            err = max(abs(complex(sol[x]) - target[x]) for x in rest)
        except TypeError:
            continue
        candidates.append((err, sol))
    candidates.sort(key=lambda c: c[0])
    return candidates[0] if candidates else None


def _solve_jointly(ctx: _MixedContext, equations, pending, solved: _Solved, blocks: list[Block]) -> bool:
    """Solve the equations left, each with several unknowns, as one system; True when it pins every unknown."""
    sp = ctx.sp
    rest = [x for x in ctx.unknowns.symbols if x not in solved.values]
    if not rest:
        return True
    if not pending:
        return False
    system = [sp.expand(equations[e][3].subs(solved.values)) for e in pending]
    blocks.append(
        Para(
            "The remaining conditions each involve several unknowns (products of probabilities: with three or "
            "more players the equations are not linear), so they are solved together, exactly:"
        )
    )
    blocks.append(Equations([f"{sp.sstr(s)} = 0" for s in system]))
    found = sp.solve(system, rest, dict=True)
    best = _closest_solution(ctx, found, rest)
    if len(found) > 1:
        blocks.append(Para(f"The system has {len(found)} solutions; only probabilities between 0 and 1 make sense:"))
        blocks.append(Equations(_solution_lines(sp, found, rest)))
    if best is None or best[0] >= 1e-6:
        return False
    sol = best[1]
    for x in rest:
        solved.values[x] = sol[x]
    blocks.append(Equations([f"{x}* = {_value_text(sp, sol[x])}" for x in rest]))
    return True


def _continuum_note(ctx: _MixedContext, solved: _Solved) -> Para:
    """Say that the equations leave some unknowns free, and which extreme point the solver reports."""
    missing = [x for x in ctx.unknowns.symbols if x not in solved.values]
    shown = ", ".join(
        f"{x} = {probability_text(_exact_prob(ctx.eq, ctx.unknowns.variables[str(x)], ctx.game))}" for x in missing
    )
    return Para(
        f"The indifference conditions do not pin down {join_words([str(x) for x in missing])}. Any value that "
        "keeps every player's strategy a best response works, so this equilibrium belongs to a continuum of "
        f"equilibria (a degenerate game); the solver reports the extreme point with {shown}, where one of "
        "those best-response constraints binds."
    )


def _equilibrium_checks(game: NormalFormGame, eq: Equilibrium, mixers: Sequence[int]) -> list[str]:
    """The remaining checks: probabilities positive, no gain from strategies outside the support, the payoffs."""
    support = eq.support
    checks = []
    for i in mixers:
        parts = ", ".join(f"{game.strategies[i][k]} {probability_text(eq.profile[i][k])}" for k in support[i])
        checks.append(f"{game.players[i]} mixes {parts}: every probability is positive.")
    for i in range(game.num_players):
        pays = strategy_payoffs(game, eq.profile, i)
        outside = [k for k in range(game.shape[i]) if k not in support[i]]
        if not outside:
            continue
        own = pays[support[i][0]]
        what = game.strategies[i][support[i][0]] if len(support[i]) == 1 else "its mix"
        alts = ", ".join(f"{game.strategies[i][k]} would give {_num(pays[k])}" for k in outside)
        checks.append(f"{game.players[i]}: {what} gives {_num(own)}; {alts}: no gain from switching.")
    payoffs = ", ".join(f"{p} {_num(v)}" for p, v in zip(game.players, eq.payoffs))
    checks.append(f"Expected payoffs: {payoffs}.")
    return checks


def mixed_derivation(
    game: NormalFormGame,
    eq: Equilibrium,
    index: int,
    scenario=None,
    *,
    namer: _Namer | None = None,
    preferences: Mapping[int, tuple[int, str | None]] | None = None,
) -> tuple[list[Block], MixedDerivation]:
    """The indifference equations of one mixed equilibrium, solved step by step."""
    import sympy as sp

    param_names = list(scenario.parameters) if scenario is not None else []
    namer = namer or _Namer(param_names + list(getattr(scenario, "derived", {}) or {}))
    values = dict(game.parameters)
    ctx = _MixedContext(
        sp=sp,
        game=game,
        eq=eq,
        scenario=scenario,
        unknowns=_unknowns(sp, game, eq.support, namer, preferences or {}),
        table=_symbol_table(sp, scenario) if (scenario is not None and scenario.parameters) else None,
        param_names=param_names,
        values=values,
        subs_values={sp.Symbol(k): _sympy_number(sp, v) for k, v in values.items()},
    )
    mixers = [i for i in range(game.num_players) if len(eq.support[i]) > 1]
    blocks: list[Block] = [
        Para("; ".join(ctx.unknowns.described) + "."),
        Para(
            "A player who mixes must get the same expected payoff from every strategy it mixes over (if one paid "
            "more it would play only that one). Each such indifference condition involves the OTHER players' "
            "probabilities, which it therefore pins down."
        ),
    ]
    indifferences = _indifference_equations(ctx, mixers, blocks)
    solved = _Solved()
    pending = _solve_one_at_a_time(ctx, indifferences.equations, solved, blocks)
    determined = _solve_jointly(ctx, indifferences.equations, pending, solved, blocks)
    if not determined:
        blocks.append(_continuum_note(ctx, solved))
    blocks.append(Para("Checks:"))
    blocks.append(Bullets(_equilibrium_checks(game, eq, mixers)))
    derivation = MixedDerivation(
        index=index,
        variables=ctx.unknowns.variables,
        equations=tuple(indifferences.numeric_texts),
        general_equations=tuple(indifferences.general_texts),
        values={str(x): _value_text(sp, v) for x, v in solved.values.items()},
        general=solved.general_text,
        determined=determined,
        blocks=tuple(blocks),
    )
    return blocks, derivation


def _sides(sp, equation, prob, game, support):
    """(U_i(a), U_i(b)) as sympy expressions for display of one indifference equation."""
    i, a, b, _, _ = equation
    out = []
    others = _others(game, i)
    for own in (a, b):
        total = sp.Integer(0)
        for q in itertools.product(*(support[j] for j in others)):
            weight = sp.Integer(1)
            for j, s in zip(others, q):
                weight *= prob[(j, s)]
            total += weight * _sympy_number(sp, game.payoffs[(i, *_full(i, own, others, q))])
        out.append(total)
    return out


def _exact_prob(eq: Equilibrium, who: tuple[str, str], game: NormalFormGame) -> Number:
    i = game.players.index(who[0])
    return eq.profile[i][game.strategies[i].index(who[1])]


def _float_prob(eq: Equilibrium, who: tuple[str, str], game: NormalFormGame) -> float:
    return float(_exact_prob(eq, who, game))


def mixed_blocks(game: NormalFormGame, solution: Solution, scenario=None) -> tuple[list[Block], list[MixedDerivation]]:
    """Every mixed equilibrium of ``solution`` derived from its indifference conditions."""
    mixed = [(k, e) for k, e in enumerate(solution.equilibria) if not e.pure]
    if not mixed:
        return [Para("There is no mixed equilibrium.")], []
    derived = _derived_values(scenario, game.parameters)
    prefs = _preferences(game, [e for _, e in mixed], derived)
    taken = list(getattr(scenario, "parameters", {}) or {}) + list(getattr(scenario, "derived", {}) or {})
    namer = _Namer(taken)
    blocks: list[Block] = []
    found = []
    for k, eq in mixed:
        part, derivation = mixed_derivation(game, eq, k, scenario, namer=namer, preferences=prefs)
        blocks.append(Heading(f"Equilibrium no. {k + 1}", 3))
        blocks.extend(part)
        found.append(derivation)
    return blocks, found


# ------------------------------------------------------------ 5. game trees
def _payoff_vector(values: Sequence[Number]) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _subgame_blocks(tv, n: int, order: str) -> list[Block]:
    """Imperfect information: the subgame-perfect equilibria found subgame by subgame, with their payoffs."""
    from ..report.tree import path_text
    from ..solvers.backward import subgame_perfect

    found, _, notes = subgame_perfect(tv)
    out: list[Block] = [
        Para(
            "Some player cannot tell apart the nodes of an information set (imperfect information), so plain "
            "backward induction does not apply: each proper subgame, from the deepest up, is solved as a "
            "normal-form game and replaced by its equilibrium payoffs (Fudenberg and Tirole, section 3.2)."
        )
    ]
    lines = [f"{path_text(tv, spe.behaviour)}: payoffs {_payoff_vector(spe.payoffs[:n])}" for spe in found]
    out.append(Para(f"Subgame-perfect equilibria (payoffs in the order {order}):"))
    out.append(Bullets(lines or ["none found"]))
    out.extend(Para(f"Note: {note}") for note in notes)
    return out


def _backward_induction_blocks(
    tv, behaviour: Mapping[int, tuple[Number, ...]], root_value, lines: list[str], ties: bool, order: str
) -> list[Block]:
    """The backward-induction steps, the path they give, and what ties and non-credible moves mean."""
    from ..report.tree import path_text

    out = [
        Para(
            "Start at the last moves and work back (Zermelo, Kuhn): each mover, knowing what everyone after it "
            f"will do, takes the move that pays it most. Payoff vectors are in the order {order}."
        ),
        Bullets(lines),
        Para(
            f"Backward induction gives the path {path_text(tv, behaviour)}, with payoffs {_payoff_vector(root_value)}."
        ),
    ]
    if ties:
        out.append(
            Para(
                "Because of the ties, there are other subgame-perfect equilibria too; `gametheory solve` lists them all."
            )
        )
    out.append(
        Para(
            "A Nash equilibrium of the tree that is not subgame perfect rests on some move that would not be made "
            "once its node is reached (a non-credible threat or promise); `gametheory solve` names those moves."
        )
    )
    return out


def tree_blocks(game: NormalFormGame, scenario) -> list[Block]:
    """Backward induction on a game tree, one decision at a time from the last moves up.

    Perfect information (Kuhn 1953; Zermelo's argument): at each decision
    node, deepest first, the mover compares the values of its moves (the
    payoffs where each later mover has already chosen) and takes the best;
    chance nodes average. With imperfect information the proper subgames are
    solved as normal-form games instead (:func:`gametheory.solvers.backward.subgame_perfect`),
    and their equilibrium paths are listed.
    """
    tree = getattr(scenario, "extensive", None) if scenario is not None else None
    if tree is None:
        return []
    from ..extensive import CHANCE, TERMINAL
    from ..scenario import scenario_values

    tv = tree.evaluate(scenario_values(scenario, game.parameters))
    n = len(tree.players)
    order = ", ".join(tree.players)
    if not tree.perfect_information:
        return _subgame_blocks(tv, n, order)
    one = Fraction(1) if tv.exact else 1.0
    zero = Fraction(0) if tv.exact else 0.0
    value: dict[int, tuple[Number, ...]] = {}
    behaviour: dict[int, tuple[Number, ...]] = {}
    lines: list[str] = []
    ties = False
    for k in sorted(range(len(tree.nodes)), key=lambda m: (-len(tree.nodes[m].history), m)):
        node = tree.nodes[k]
        if node.kind == TERMINAL:
            value[k] = tuple(tv.payoffs[k][:n])
            continue
        if node.kind == CHANCE:
            probs = tv.probabilities[k]
            value[k] = tuple(sum((p * value[c][i] for p, c in zip(probs, node.children)), zero) for i in range(n))
            mix = " + ".join(f"{_num(p)}*{_payoff_vector(value[c])}" for p, c in zip(probs, node.children))
            lines.append(f"{_capital(node.where)}, chance: {mix} = {_payoff_vector(value[k])}")
            continue
        i = node.player
        options = [(a, value[c][i], c) for a, c in zip(node.actions, node.children)]
        best = max(v for _, v, _ in options)
        chosen = [j for j, (_, v, _) in enumerate(options) if v == best]
        pick = chosen[0]
        value[k] = value[options[pick][2]]
        behaviour[node.infoset] = tuple(one if j == pick else zero for j in range(len(options)))
        compare = ", ".join(f"{a} gives {_num(v)}" for a, v, _ in options)
        text = f"{_capital(node.where)}, {tree.players[i]} moves: {compare}; so {options[pick][0]}"
        if len(chosen) > 1:
            ties = True
            others = join_words([options[j][0] for j in chosen[1:]])
            text += f" (a tie with {others}: each choice gives a subgame-perfect equilibrium)"
        lines.append(text + f"; value {_payoff_vector(value[k])}")
    return _backward_induction_blocks(tv, behaviour, value[0], lines, ties, order)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------ main
def explain(
    game: NormalFormGame,
    scenario=None,
    solution: Solution | None = None,
    *,
    parts: Sequence[str] | None = None,
) -> Explanation:
    """The step-by-step reasoning about ``game``.

    ``scenario`` (the :class:`~gametheory.scenario.Scenario` the game was bound
    from) adds the payoff expressions, the general closed forms and, for a
    game tree, backward induction. ``solution`` is solved with
    :func:`gametheory.analysis.analyse` when the pure or mixed part needs it.
    ``parts`` limits the work to some of :data:`PARTS` (default: all).
    """
    wanted = set(parts or PARTS)
    unknown = wanted - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {', '.join(sorted(unknown))}")
    if solution is None and wanted & {"pure", "mixed", "plausibility", "commitment"}:
        solution = analyse(game, scenario=scenario)
    mixed, derivations = mixed_blocks(game, solution, scenario) if "mixed" in wanted else ([], [])
    return Explanation(
        title=game.title,
        parameters=dict(game.parameters),
        best_responses=tuple(best_response_blocks(game)) if "best_responses" in wanted else (),
        dominance=tuple(dominance_blocks(game, solution.dominance if solution is not None else None))
        if "dominance" in wanted
        else (),
        pure=tuple(pure_blocks(game, solution, scenario)) if "pure" in wanted else (),
        mixed=tuple(mixed),
        derivations=tuple(derivations),
        tree=tuple(tree_blocks(game, scenario)) if "tree" in wanted else (),
        commitment=tuple(commitment_blocks(game, solution, scenario)) if "commitment" in wanted else (),
        plausibility=tuple(plausibility_blocks(solution)) if "plausibility" in wanted else (),
    )


def plausibility_blocks(solution: Solution | None) -> list[Block]:
    """Which equilibrium is most plausible and why, in the handout's words; empty without an equilibrium."""
    if solution is None or not solution.equilibria:
        return []
    return [Bullets(plausibility_lines(solution, plausibility(solution)))]


def commitment_blocks(game: NormalFormGame, solution: Solution | None, scenario=None) -> list[Block]:
    """Each player as leader, in one sentence for students, and who gains by moving first.

    Pure commitment, and mixed commitment for two players (the quick parts of
    ``gametheory commit``, which adds the mixed commitment with several
    followers, the correlated bound and thresholds).
    """
    from ..report.commitment import promise_sentence, who_gains_blocks
    from ..sensitivity.commitment import solver_methods
    from ..solvers.commitment import who_gains

    if game.num_players < 2:
        return []
    follower_method = solver_methods(scenario, game)[1] if scenario is not None else "auto"
    table = who_gains(game, nash=solution, follower_method=follower_method)
    blocks: list[Block] = [
        Para(
            "Suppose one player could announce its strategy before the others choose, and be believed "
            "(a Stackelberg leader). The others then answer as best they can."
        ),
        Bullets([promise_sentence(c) for c in table]),
    ]
    blocks.extend(b for b in who_gains_blocks(table) if not isinstance(b, Heading))
    if game.num_players > 2:
        blocks.append(
            Para(
                "With several followers these sentences use the best commitment the followers answer with a pure "
                "equilibrium; `gametheory commit FILE --leader NAME` also lets a leader with two strategies "
                "commit to a mixture the followers answer with a mixed equilibrium, and gives the correlated "
                "upper bound."
            )
        )
    return blocks
