"""How scenarios, games and solutions show themselves in Jupyter: HTML tables, LaTeX arrays, short reprs.

Jupyter calls an object's ``_repr_html_`` (notebook display), ``_repr_latex_``
(MathJax, and nbconvert's LaTeX/PDF export) and ``__repr__`` (plain text).
:class:`~gametheory.scenario.Scenario`, :class:`~gametheory.game.NormalFormGame`
and :class:`~gametheory.solution.Solution` have tiny methods that call the
functions here, so the rendering code lives with the other renderers and the
data classes stay small.

* HTML: fragments (no page wrapper, no scripts), every string escaped; payoff
  tables mark best responses with ``*`` in bold, as the handouts do.
* LaTeX: one display-math ``array`` per table, which both MathJax and pdflatex
  (with amsmath, as nbconvert's template loads) typeset; names go in
  ``\\mathrm{...}`` with ``_`` escaped, payoff expressions through sympy's
  LaTeX printer (``v_e - c_e*(1 - s_us)`` -> ``v_{e} - c_{e} (1 - s_{us})``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .. import display
from ..game import NormalFormGame
from ..numtext import parameter_text, payoff_text, probability_text
from ..scenario import Scenario
from ..solution import Solution
from ..solvers.pure import best_response_mask  # a bare game's repr has no solution to take them from
from .document import Table, first_sentence, payoff_tables
from .html import escape, table_html


# ------------------------------------------------------------------ plain reprs
def _shape(shape: Sequence[int]) -> str:
    return "x".join(str(n) for n in shape)


def scenario_repr(scenario) -> str:
    """``<Scenario 'Prisoner's dilemma' (pd.json): 2 players (Row, Col), 2x2, 4 parameters>``."""
    where = f" ({scenario.file})" if scenario.file else ""
    players = ", ".join(scenario.player_names)
    count = len(scenario.parameters)
    return (
        f"<Scenario {scenario.title!r}{where}: {len(scenario.players)} players ({players}), "
        f"{_shape(scenario.shape)}, {count} parameter{'' if count == 1 else 's'}>"
    )


def game_repr(game) -> str:
    """``<NormalFormGame 'title': 3 players (Europe, Russia, US), 2x2x2, exact>``."""
    title = f" {game.title!r}" if game.title else ""
    players = ", ".join(game.players)
    kind = "exact" if game.exact else "float"
    return f"<NormalFormGame{title}: {game.num_players} players ({players}), {_shape(game.shape)}, {kind}>"


def solution_repr(solution) -> str:
    """``<Solution of 'title': 3 equilibria (1 pure, 2 mixed), complete, method enumerate>``."""
    eqs = solution.equilibria
    pure = sum(1 for e in eqs if e.pure)
    title = f" of {solution.game.title!r}" if solution.game.title else ""
    complete = "complete" if solution.complete else "possibly incomplete"
    noun = "equilibrium" if len(eqs) == 1 else "equilibria"
    return f"<Solution{title}: {len(eqs)} {noun} ({pure} pure, {len(eqs) - pure} mixed), {complete}, method {solution.method}>"


# ------------------------------------------------------------------------ HTML
def _expression_tables(scenario) -> list[Table]:
    """The payoff expressions laid out like the numeric payoff tables (one cell: every player's expression)."""
    n = len(scenario.players)
    strategies = scenario.strategies
    names = ", ".join(scenario.player_names)

    def cell(profile: tuple[int, ...]) -> str:
        return "; ".join(scenario.payoffs[(i, *profile)].text for i in range(n))

    if n == 2 or n == 3:
        layers = [()] if n == 2 else [(k,) for k in range(len(strategies[2]))]
        out = []
        for layer in layers:
            header = [f"{scenario.player_names[0]} \\ {scenario.player_names[1]}"] + list(strategies[1])
            rows = [
                [r] + [cell((a, c, *layer)) for c in range(len(strategies[1]))] for a, r in enumerate(strategies[0])
            ]
            caption = f"Payoff expressions ({names})"
            if layer:
                caption += f" when {scenario.player_names[2]} plays {strategies[2][layer[0]]}"
            out.append(Table(header, rows, caption))
        return out
    rows = []
    for profile in itertools.product(*(range(len(s)) for s in strategies)):
        rows.append([strategies[i][a] for i, a in enumerate(profile)] + [cell(profile)])
    return [Table(list(scenario.player_names) + [f"payoffs ({names})"], rows, "Payoff expressions")]


def scenario_html(scenario) -> str:
    """The scenario as an HTML fragment: title, what it teaches, players, parameters, payoff expressions."""
    out = [f"<h3>{escape(scenario.title)}</h3>"]
    if scenario.teaches:
        out.append(f"<p><i>{escape(scenario.teaches)}</i></p>")
    rows = [[p.name, ", ".join(p.strategies)] for p in scenario.players]
    out.append(table_html(Table(["player", "strategies"], rows)))
    if scenario.parameters:
        rows = []
        for name, p in scenario.parameters.items():
            span = f"{parameter_text(p.low)} to {parameter_text(p.high)}" if p.range is not None else ""
            rows.append(
                [name, parameter_text(p.default), span, p.unit, first_sentence(p.description) if p.description else ""]
            )
        out.append(table_html(Table(["parameter", "default", "range", "unit", "meaning"], rows, "Parameters")))
    if len(scenario.payoffs.ravel()) <= 400:
        out.extend(table_html(t) for t in _expression_tables(scenario))
    return "\n".join(out)


def game_html(game) -> str:
    """The game as an HTML fragment: its payoff tables with best responses marked."""
    out = []
    if game.title:
        out.append(f"<h3>{escape(game.title)}</h3>")
    if game.parameters:
        values = ", ".join(f"{k} = {parameter_text(v)}" for k, v in game.parameters.items())
        out.append(f"<p>{escape(values)}</p>")
    if game.num_profiles <= 1024:
        out.extend(table_html(t) for t in payoff_tables(game, best_response_mask(game)))
        out.append("<p><small>* marks a best response to the others' strategies.</small></p>")
    else:
        out.append(f"<p>{escape(game_repr(game))}</p>")
    return "\n".join(out)


def _equilibrium_rows(solution) -> tuple[list[str], list[list[str]]]:
    game = solution.game
    header = ["no.", "kind"] + list(game.players) + [f"payoffs ({', '.join(game.players)})", "max regret"]
    rows = []
    for k, eq in enumerate(solution.equilibria):
        cells = []
        for names, probs in zip(game.strategies, eq.profile):
            used = [(s, p) for s, p in zip(names, probs) if p != 0]
            cells.append(used[0][0] if len(used) == 1 else ", ".join(f"{s} {probability_text(p)}" for s, p in used))
        kind = "pure" if eq.pure else "mixed"
        if eq.component is not None and len(solution.components.get(eq.component, ())) > 1:
            kind += f" (component {eq.component})"
        regret = "0 (exact)" if eq.exact else f"{float(eq.max_regret):.1e}"
        rows.append([str(k + 1), kind, *cells, ", ".join(payoff_text(v) for v in eq.payoffs), regret])
    return header, rows


def solution_html(solution) -> str:
    """The solution as an HTML fragment: one row per certified equilibrium."""
    header, rows = _equilibrium_rows(solution)
    count = len(solution.equilibria)
    scope = "complete enumeration" if solution.complete else "may be incomplete"
    caption = f"{count} Nash equilibri{'um' if count == 1 else 'a'} ({scope}; method {solution.method})"
    out = []
    if solution.game.title:
        out.append(f"<h3>{escape(solution.game.title)}</h3>")
    out.append(table_html(Table(header, rows, caption)))
    for note in solution.notes:
        out.append(f"<p><small>Note: {escape(note)}</small></p>")
    return "\n".join(out)


# ----------------------------------------------------------------------- LaTeX
_MATH_TEXT = {
    "_": r"\_",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "{": r"\{",
    "}": r"\}",
    "\\": r"\backslash ",
    "~": r"\sim ",
    "^": r"\wedge ",
}


def math_text(text: object) -> str:
    """Text for math mode: ``\\mathrm{stay\\_out}`` (spaces kept, specials escaped, other symbols dropped)."""
    out = []
    for ch in str(text):
        if ch in _MATH_TEXT:
            out.append(_MATH_TEXT[ch])
        elif ch == " ":
            out.append(r"\ ")
        elif ch.isascii() and (ch.isalnum() or ch in "-+.,;:()[]/*'!?<>=|"):
            out.append(ch)
    return r"\mathrm{" + "".join(out) + "}"


def _array(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A display-math array: the header row bold-ish (above a rule), cells already in math form."""
    spec = "l|" + "c" * (len(header) - 1)
    lines = [r"\begin{array}{" + spec + "}"]
    lines.append(" & ".join(header) + r" \\ \hline")
    for row in rows:
        lines.append(" & ".join(row) + r" \\")
    lines.append(r"\end{array}")
    body = "\n".join(lines)
    if caption:
        body = r"\begin{array}{c}" + math_text(caption) + r"\\[4pt]" + "\n" + body + "\n" + r"\end{array}"
    return "$$\n" + body + "\n$$"


def _number(text: str) -> str:
    """A payoff cell (``7*, -3*, -1``) in math form: ``7^{*}, -3^{*}, -1``."""
    return text.replace("*", "^{*}").replace(", ", ",\\ ")


def game_latex(game) -> str:
    """The payoff tables as display-math arrays (best responses marked ``^*``)."""
    if game.num_profiles > 256:
        return "$$" + math_text(game_repr(game)) + "$$"
    parts = []
    for table in payoff_tables(game, best_response_mask(game)):
        header = [math_text(h) for h in table.header]
        rows = [[math_text(r[0])] + [_number(c) for c in r[1:]] for r in table.rows]
        parts.append(_array(header, rows, table.caption))
    return "\n".join(parts)


def solution_latex(solution) -> str:
    """The equilibria as a display-math array."""
    header, rows = _equilibrium_rows(solution)
    count = len(solution.equilibria)
    caption = f"{count} Nash equilibri{'um' if count == 1 else 'a'}" + (
        " (complete enumeration)" if solution.complete else " (may be incomplete)"
    )
    return _array([math_text(h) for h in header], [[math_text(c) for c in r] for r in rows], caption)


def scenario_latex(scenario) -> str:
    """The parameters and the payoff expressions (through sympy's LaTeX printer) as display-math arrays."""
    import sympy as sp

    parts = []
    if scenario.parameters:
        rows = [
            [math_text(name), math_text(parameter_text(p.default)), math_text(p.unit)]
            for name, p in scenario.parameters.items()
        ]
        parts.append(
            _array(
                [math_text("parameter"), math_text("default"), math_text("unit")], rows, f"{scenario.title}: parameters"
            )
        )
    if len(scenario.payoffs.ravel()) <= 200:
        symbols = {name: sp.Symbol(name) for name in list(scenario.parameters) + list(scenario.derived)}

        def expr(e) -> str:
            try:
                return sp.latex(e.to_sympy(symbols))
            except Exception:  # an expression sympy cannot print: show its text
                return math_text(e.text)

        n = len(scenario.players)
        header = [math_text(h) for h in list(scenario.player_names) + ["payoffs"]]
        rows = []
        for profile in itertools.product(*(range(len(s)) for s in scenario.strategies)):
            cells = [math_text(scenario.strategies[i][a]) for i, a in enumerate(profile)]
            cells.append(",\\quad ".join(expr(scenario.payoffs[(i, *profile)]) for i in range(n)))
            rows.append(cells)
        spec_header = header
        parts.append(_array(spec_header, rows, "payoff expressions (in player order)"))
    return "\n".join(parts) if parts else "$$" + math_text(scenario_repr(scenario)) + "$$"


def _register() -> None:
    """Give scenarios, games and solutions their reprs through the display hook (models never import report/)."""
    for cls, text, html, latex in (
        (Scenario, scenario_repr, scenario_html, scenario_latex),
        (NormalFormGame, game_repr, game_html, game_latex),
        (Solution, solution_repr, solution_html, solution_latex),
    ):
        display.register(cls, "text", text)
        display.register(cls, "html", html)
        display.register(cls, "latex", latex)


_register()
