"""The data of the live seminar page: a scenario's closed forms compiled to JavaScript.

``gametheory app`` writes one offline HTML page on which a slider moves a
parameter and the equilibria answer at once, with no server. This module
prepares everything that page evaluates; :mod:`gametheory.report.live` only
writes it into the page.

What the page evaluates, and how exactly
----------------------------------------
* **Payoff cells**: every payoff expression of the scenario (derived
  parameters inlined, the reduced normal form for trees, the type-plan form
  for Bayesian games) as one JavaScript function of the parameters. Payoffs
  that are piecewise (``step``, ``if``, ``min``...) print as ternaries and
  ``Math.min``/``Math.max``, so this works for every scenario.
* **Equilibrium families** (when :func:`.symbolic.analyse` finds closed forms
  with every used parameter free): each family's probabilities, existence
  conditions, singular denominators and radicands, and the degeneracy groups,
  compiled with sympy's JavaScript code printer after common-subexpression
  elimination (the same preparation :class:`.engine.RegimeEngine` does for
  numpy). The page then classifies a point exactly as the engine does: a
  family holds where its smallest condition exceeds ``1e-9`` times the payoff
  scale; a point where a margin is within that tolerance, a degeneracy group
  vanishes or a closed form is singular beside a holding family is a
  *boundary* and is flagged, never shown as an interior answer.
* **Without closed forms** (piecewise payoffs, too many supports, a game
  degenerate everywhere, algebra over its time limit): the page finds the
  *pure* equilibria itself, by checking every cell of the payoff table (exact
  up to the same tolerance, ties flagged), and says that mixed equilibria are
  not computed on the page. For game trees it also runs backward induction on
  the tree (chance nodes as expectations), so the subgame-perfect outcome and
  the credibility of each pure equilibrium are live too. Nothing is
  interpolated.
* **Thresholds** on each slider's track come from :func:`.thresholds.thresholds`
  (exact, verified with the solver) and, for trees, from
  :func:`.spe.spe_thresholds`, with the other parameters at the values the
  page was built for.

Why a code printer and not a small interpreter of the payoff AST in
JavaScript: the families are already sympy expressions, the printer is
sympy's own, and the compiled functions are straight-line code that the
browser runs in microseconds.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .labels import support_key
from .symbolic import radical_symbol, symbol_table, symbolic_payoffs

#: Seconds of sympy work allowed per support while preparing a page (beyond: the page finds pure equilibria only).
PAGE_SUPPORT_TIME_LIMIT = 120.0
#: Relative tolerance of conditions, as in the numpy engine (times the payoff scale).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class LivePage:
    """What the live page needs: ``model`` (JSON data) and ``code`` (generated JavaScript functions).

    ``model`` holds the scenario's texts, parameters (with thresholds),
    presets, players and strategies, the families' structure and the tree;
    ``code`` defines ``payoffCells(p)``, and when available
    ``familyValues(p, W)``, ``radicands(p)`` and ``treeValues(p)``, each
    taking the parameters as an object ``{name: number}``. ``mode`` is
    ``"closed"`` (all equilibria from closed forms) or ``"pure"`` (pure
    equilibria found on the page). ``notes`` say what the page does not cover.
    """

    title: str
    mode: str
    model: Mapping[str, Any]
    code: str
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    timings: Mapping[str, float] = field(default_factory=dict)


# ------------------------------------------------------------ code printing
def _js_text(expr) -> str:
    from sympy.printing.jscode import jscode

    return " ".join(jscode(expr).split())


def js_function(name: str, parameters: Mapping[str, Any], exprs: Sequence[Any], radicals: Sequence[Any] = ()) -> str:
    """A JavaScript function ``name(p, W)`` returning the list ``exprs`` evaluated at ``p``.

    ``parameters`` maps each parameter name to its sympy symbol (read from
    ``p[name]``), ``radicals`` are symbols read from ``W[k]``. Common
    subexpressions are computed once (``sympy.cse``), as the numpy engine does.

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> print(js_function("f", {"x": x}, [x**2 + 1, 1 / (x**2 + 1)]))
    function f(p, W) {
      const p_x = p["x"];
      const t0 = Math.pow(p_x, 2) + 1;
      return [t0, 1/t0];
    }
    """
    import json

    import sympy as sp

    rename = {sym: sp.Symbol(f"p_{n}") for n, sym in parameters.items()}
    rename.update({w: sp.Symbol(f"w_{k}") for k, w in enumerate(radicals)})
    renamed = [sp.sympify(e).xreplace(rename) for e in exprs]
    used = set().union(*(e.free_symbols for e in renamed)) if renamed else set()
    replacements, reduced = sp.cse(renamed, symbols=sp.numbered_symbols("t"), order="none")
    lines = [f"function {name}(p, W) {{"]
    lines += [f"  const p_{n} = p[{json.dumps(n)}];" for n in parameters if sp.Symbol(f"p_{n}") in used]
    lines += [f"  const w_{k} = W[{k}];" for k in range(len(radicals)) if sp.Symbol(f"w_{k}") in used]
    lines += [f"  const {sym} = {_js_text(value)};" for sym, value in replacements]
    lines.append("  return [" + ", ".join(_js_text(e) for e in reduced) + "];")
    lines.append("}")
    return "\n".join(lines)


# ------------------------------------------------------------------ pieces
def _parameters(scenario, found: Mapping[str, list[dict[str, Any]]], free: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for name, par in scenario.parameters.items():
        if name not in free:
            continue
        lo, hi = (float(par.low), float(par.high)) if par.range is not None else _default_span(float(par.default))
        out.append(
            {
                "name": name,
                "default": float(par.default),
                "low": lo,
                "high": hi,
                "declared": par.range is not None,
                "unit": par.unit,
                "description": par.description,
                "source": par.source,
                "thresholds": found.get(name, []),
            }
        )
    return out


def _default_span(default: float) -> tuple[float, float]:
    """A slider span for a parameter without a declared range: the default, halved and doubled."""
    width = max(1.0, abs(default))
    return default - width, default + width


def _presets(scenario, free: Sequence[str], notes: list[str]) -> list[dict[str, Any]]:
    """The presets the page can show: those that move only parameters with a slider."""
    out = []
    for p in scenario.presets.values():
        moved = [k for k, v in p.values.items() if k not in free and v != scenario.defaults[k]]
        if moved:
            notes.append(f"preset {p.name} is left out: it moves {', '.join(moved)}, which have no slider")
            continue
        out.append({"name": p.name, "description": p.description, "values": {k: float(v) for k, v in p.values.items()}})
    return out


def _payoff_scale(scenario, values: Mapping[str, Any]) -> float:
    """The largest absolute payoff at ``values``: tolerances are relative to it (as in the engine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.game_at(scenario.with_derived(dict(values)))
    return max(1.0, float(np.max(np.abs(game.float_payoffs)))) if game.payoffs.size else 1.0


def _families(family_set) -> tuple[list[dict[str, Any]], list[Any], list[Any], list[Any], list[list[int]]]:
    """The families' structure, the expressions the page evaluates for them, their radicands, degeneracy groups."""
    import sympy as sp

    w = radical_symbol()
    radicands: list[Any] = []
    exprs: list[Any] = []

    def slot(expr) -> int:
        exprs.append(expr)
        return len(exprs) - 1

    ws: list[Any] = []
    out = []
    order = sorted(range(len(family_set.families)), key=lambda f: support_key(family_set.families[f].support))
    for fam in family_set.families:
        rad = None
        if fam.radicand is not None:
            if fam.radicand not in radicands:
                radicands.append(fam.radicand)
                ws.append(sp.Symbol(f"_W{len(ws)}", positive=True))
            rad = radicands.index(fam.radicand)
        sub = {} if rad is None else {w: ws[rad]}
        probs = [
            [i, a, slot(sp.sympify(fam.probabilities[i][a]).subs(sub))]
            for i, sup in enumerate(fam.support)
            if len(sup) > 1
            for a in sup
        ]
        out.append(
            {
                "label": fam.label,
                "root": fam.root,
                "support": [list(s) for s in fam.support],
                "conditions": [slot(sp.sympify(c.expr).subs(sub)) for c in fam.conditions],
                "probabilities": probs,
                "singular": [slot(d) for d in fam.singular],
                "radicand": rad,
                "numericBestResponses": bool(fam.numeric_best_responses),
                "rank": order.index(len(out)),
            }
        )
    degenerate = [[slot(e) for e in group] for group in family_set.degenerate]
    return out, exprs, radicands, ws, degenerate


def _tree(scenario, table: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """The tree's nodes for drawing and backward induction, and its leaf payoffs and chance probabilities."""
    tree = scenario.extensive
    exprs: list[Any] = []
    nodes = []
    for node in tree.nodes:
        entry: dict[str, Any] = {
            "kind": node.kind,
            "player": node.player,
            "actions": list(node.actions),
            "children": list(node.children),
            "label": node.label,
            "description": node.description,
            "where": node.where,
            "infoset": node.infoset,
        }
        if node.probabilities:
            entry["probabilities"] = [len(exprs) + k for k in range(len(node.probabilities))]
            exprs.extend(p.to_sympy(table) for p in node.probabilities)
        if node.payoffs:
            entry["payoffs"] = [len(exprs) + k for k in range(len(node.payoffs))]
            exprs.extend(p.to_sympy(table) for p in node.payoffs)
        nodes.append(entry)
    position = {h: k for hs in tree.player_infosets for k, h in enumerate(hs)}
    info = {
        "nodes": nodes,
        "perfectInformation": bool(tree.perfect_information),
        "plans": [[list(plan) for plan in plans] for plans in tree.plans],
        "infosetPosition": {str(h): k for h, k in position.items()},
    }
    return info, exprs


def default_parameters(scenario) -> list[str]:
    """The parameters whose thresholds the page marks by default: those the claims name, else all the payoffs use."""
    used = scenario.used_parameters
    named = [p for claim in scenario.claims for p in claim.get("parameters", []) if p in used]
    return list(dict.fromkeys(named)) or [p for p in scenario.parameters if p in used]


def _threshold_marks(
    scenario, names: Sequence[str], values, relations: bool, progress
) -> tuple[dict[str, list], list[str]]:
    """Each named parameter's thresholds (Nash, and subgame-perfect on trees) as the page draws them."""
    from .analysis import spe_scan
    from .thresholds import thresholds

    found: dict[str, list] = {}
    notes: list[str] = []
    for k, name in enumerate(names):
        result = thresholds(scenario, name, base=values, symbolic=relations)
        marks = [
            {
                "value": t.value,
                "exact": t.exact,
                "relation": t.symbolic,
                "below": t.below_label,
                "above": t.above_label,
                "kind": "nash",
            }
            for t in result.thresholds
        ]
        if not result.exact:
            notes.append(f"{name}: thresholds located by a scan with the solver (approximate)")
        if scenario.extensive is not None:
            scan = spe_scan(scenario, result, values)
            marks += [
                {
                    "value": float(t.value),
                    "exact": str(t.value),
                    "relation": None,
                    "below": t.below,
                    "above": t.above,
                    "kind": "spe",
                }
                for t in scan.thresholds
            ]
        found[name] = sorted(marks, key=lambda m: m["value"])
        if progress is not None:
            progress(k + 1, len(names))
    return found, notes


# --------------------------------------------------------------------- main
def live_page(
    scenario,
    *,
    free: Sequence[str] | None = None,
    parameters: Sequence[str] | None = None,
    thresholds: bool = True,
    relations: bool = True,
    map_axes: Sequence[str] | None = None,
    time_limit: float | None = PAGE_SUPPORT_TIME_LIMIT,
    progress: Callable[[int, int], None] | None = None,
) -> LivePage:
    """Prepare the live page of ``scenario``: closed forms as JavaScript, thresholds, the tree.

    ``free`` are the parameters that get a slider (default: every one the
    payoffs use); the others stay at their defaults, which makes the closed
    forms much quicker to find. ``parameters`` are those whose thresholds are
    marked on the sliders (default: :func:`default_parameters` among the free
    ones); ``thresholds=False`` marks none, ``relations=False`` skips looking
    for each threshold as a relation among the parameters (``m_us = c_us``)
    (faster). ``map_axes`` are the two parameters of the regime map the page
    opens with (default: the first two marked parameters). ``time_limit``
    bounds sympy's work per support (seconds; None: no bound).
    """
    from .symbolic import analyse

    start = time.perf_counter()
    timings: dict[str, float] = {}
    used = [p for p in scenario.parameters if p in scenario.used_parameters]
    for name in free or ():
        if name not in used:
            raise InputError(
                f"{name!r} is not a parameter the payoffs use (they use: {', '.join(used)})", file=scenario.file
            )
    used = [p for p in used if free is None or p in free]
    marked = list(parameters) if parameters is not None else [p for p in default_parameters(scenario) if p in used]
    for name in [*marked, *(map_axes or [])]:
        if name not in used:
            raise InputError(
                f"{name!r} is not a parameter with a slider (those are: {', '.join(used)})", file=scenario.file
            )
    values = dict(scenario.defaults)
    table = symbol_table(scenario, used, values)
    symbols = {n: table[n] for n in used}
    cells = symbolic_payoffs(scenario, table)
    code = [js_function("payoffCells", symbols, list(cells.ravel()))]
    first: dict[Any, int] = {}
    same_cell = [first.setdefault(e, k) for k, e in enumerate(cells.ravel())]
    notes: list[str] = []
    model: dict[str, Any] = {
        "title": scenario.title,
        "teaches": scenario.teaches,
        "description": scenario.description,
        "file": scenario.file,
        "players": list(scenario.player_names),
        "strategies": [list(s) for s in scenario.strategies],
        "observers": [o.name for o in scenario.observers],
        "cellShape": list(cells.shape),
        "sameCell": same_cell,
        "presets": _presets(scenario, used, notes),
        "scale": _payoff_scale(scenario, values),
        "tolerance": TOLERANCE,
        "kind": "tree" if scenario.extensive is not None else "bayesian" if scenario.bayesian is not None else "normal",
        # the scenario's names of equilibria: [support as strategy names per player, name]
        "names": [[[list(s) for s in support], name] for support, name in scenario.equilibrium_names.items()],
    }
    timings["payoffs"] = time.perf_counter() - start

    fs = None
    if scenario.extensive is None:  # a tree is answered by backward induction and its pure equilibria
        fs = analyse(scenario, used, values, best_responses="numeric", time_limit_per_support=time_limit)
        timings["closed forms"] = time.perf_counter() - start - sum(timings.values())
    mode = "closed" if fs is not None and fs.supported else "pure"
    if fs is not None and mode == "closed":
        families, exprs, radicands, ws, degenerate = _families(fs)
        code.append(js_function("radicands", symbols, radicands))
        code.append(js_function("familyValues", symbols, exprs, ws))
        model["families"] = families
        model["degenerate"] = degenerate
    elif scenario.extensive is not None and scenario.extensive.perfect_information:
        notes.append(
            "This is a game tree: the page finds its pure Nash equilibria (of the reduced normal form) and its "
            "subgame-perfect outcome by backward induction; mixed equilibria are not computed on the page."
        )
    elif scenario.extensive is not None:
        notes.append(
            "This is a game tree with imperfect information: the page finds the pure Nash equilibria of its reduced "
            "normal form; subgame perfection and mixed equilibria are not computed on the page."
        )
    elif fs is not None:
        notes.append(
            f"No closed forms for this game ({fs.reason}): the page finds its pure equilibria; "
            "mixed equilibria are not computed on the page."
        )
    if scenario.extensive is not None:
        tree_info, tree_exprs = _tree(scenario, table)
        code.append(js_function("treeValues", symbols, tree_exprs))
        model["tree"] = tree_info
    found: dict[str, list] = {}
    if thresholds and marked:
        t0 = time.perf_counter()
        found, more = _threshold_marks(scenario, marked, values, relations, progress)
        notes.extend(more)
        timings["thresholds"] = time.perf_counter() - t0
    model["parameters"] = _parameters(scenario, found, used)
    model["fixed"] = {k: float(v) for k, v in values.items() if k in scenario.used_parameters and k not in used}
    axes = list(map_axes or [])
    for name in [*marked, *used]:
        if len(axes) >= 2:
            break
        if name not in axes:
            axes.append(name)
    model["mapAxes"] = axes
    model["mode"] = mode
    model["notes"] = notes
    return LivePage(
        title=scenario.title,
        mode=mode,
        model=model,
        code="\n\n".join(code),
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
        timings=timings,
    )
