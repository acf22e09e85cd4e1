"""The full sensitivity report of a scenario, and its text, markdown and JSON forms.

:func:`sensitivity` gathers, at one point of parameter space (defaults,
preset, ``--set`` values): the equilibria there, every examined parameter's
exact thresholds and intervals (:mod:`.thresholds`), the comparative statics
of the mixed equilibria (:mod:`.statics`) and the closed-form conditions of
every family. The renderers only read that result (DESIGN.md contract 4 for
the JSON form).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

from .labels import regime_label


@dataclass(frozen=True)
class SensitivityReport:
    """Everything :func:`sensitivity` found (read by the renderers, never recomputed)."""

    title: str
    file: str | None
    values: Mapping[str, Any]
    solution: Any
    parameters: tuple[str, ...]
    thresholds: tuple[Any, ...]
    statics: tuple[Any, ...]
    conditions: tuple[Any, ...] | None
    notes: tuple[str, ...] = ()

    @property
    def regime(self) -> str:
        return regime_label(self.solution)


def sensitivity(
    scenario,
    parameters: Sequence[str] | None = None,
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    conditions: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityReport:
    """Thresholds of each of ``parameters`` (default: all the payoffs use), comparative statics and conditions."""
    import warnings

    from ..solvers import solve
    from .statics import comparative_statics
    from .statics import conditions as family_conditions
    from .sweep import base_values_quiet, check_parameter, full_values
    from .thresholds import thresholds

    names = tuple(parameters) if parameters else tuple(p for p in scenario.parameters if p in scenario.used_parameters)
    for name in names:
        check_parameter(scenario, name)
    values = base_values_quiet(scenario, base, preset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(scenario.game_at(full_values(scenario, values)))
    found = []
    notes: list[str] = []
    for k, name in enumerate(names):
        result = thresholds(scenario, name, base=base, preset=preset)
        found.append(result)
        notes.extend(f"{name}: {n}" for n in result.notes)
        if progress is not None:
            progress(k + 1, len(names) + (1 if conditions else 0))
    statics = comparative_statics(scenario, base=base, preset=preset, solution=solution, parameters=names)
    reports = None
    if conditions:
        reports, fs = family_conditions(scenario, base=base, preset=preset)
        if fs.reason:
            notes.append(f"conditions: {fs.reason}")
        if progress is not None:
            progress(len(names) + 1, len(names) + 1)
    unused = [p for p in scenario.parameters if p not in scenario.used_parameters and p in names]
    for name in unused:
        notes.append(f"{name} does not enter any payoff: it has no thresholds")
    return SensitivityReport(
        title=scenario.title,
        file=scenario.file,
        values={k: v for k, v in values.items() if k in scenario.parameters},
        solution=solution,
        parameters=names,
        thresholds=tuple(found),
        statics=statics,
        conditions=reports,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- JSON
def _num(x: Any) -> Any:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _equilibria(solution) -> list[dict[str, Any]]:
    from ..report.jsonout import equilibrium_json

    return [equilibrium_json(solution.game, e) for e in solution.equilibria]


def report_dict(report: SensitivityReport) -> dict[str, Any]:
    """DESIGN.md contract 4: ``thresholds`` (each with ``below``/``above``), ``intervals``, ``comparative_statics``."""
    from ..report.jsonout import game_json
    from ..report.numbers import exact_text

    thresholds, intervals, examined = [], [], []
    for result in report.thresholds:
        examined.append({
            "parameter": result.parameter, "search": [_num(result.search[0]), _num(result.search[1])],
            "candidates": result.candidates, "exact": result.exact, "thresholds": len(result.thresholds),
            "notes": list(result.notes),
        })
        for th in result.thresholds:
            thresholds.append({
                "parameter": th.parameter,
                "value": th.value,
                "exact": th.exact,
                "polynomial": th.polynomial,
                "symbolic": th.symbolic,
                "below": _equilibria(th.below),
                "above": _equilibria(th.above),
                "at": None if th.at is None else _equilibria(th.at),
                "below_regime": th.below_label,
                "above_regime": th.above_label,
                "at_regime": th.at_label,
                "sources": list(th.sources),
            })
        for iv in result.intervals:
            intervals.append({
                "parameter": iv.parameter, "low": _num(iv.low), "high": _num(iv.high),
                "low_exact": iv.low_exact, "high_exact": iv.high_exact, "sample": exact_text(iv.sample),
                "regime": iv.label, "equilibria": _equilibria(iv.solution),
            })
    out: dict[str, Any] = {
        "game": game_json(report.solution.game),
        "file": report.file,
        "parameters": {k: (int(v) if isinstance(v, Fraction) and v.denominator == 1 else float(v)) for k, v in report.values.items()},
        "regime": report.regime,
        "equilibria": _equilibria(report.solution),
        "examined": examined,
        "thresholds": thresholds,
        "intervals": intervals,
        "comparative_statics": [asdict(d) for d in report.statics],
        "notes": list(report.notes),
    }
    if report.conditions is not None:
        out["conditions"] = [asdict(c) for c in report.conditions]
    return out


# ---------------------------------------------------------------- text
def _value(x: Any) -> str:
    from ..report.numbers import parameter_text

    return parameter_text(x)


def value_text(th) -> str:
    """``5``, ``33/4 (= 8.25)``, ``167/47 + sqrt(27654)/47 (about 7.09138)`` or ``about 7.1064 (approximate)``."""
    if th.exact is None:
        return f"about {th.value:.6g} (located numerically)"
    if th.polynomial is None and "/" not in th.exact:
        return th.exact
    if th.polynomial is None:
        return f"{th.exact} (= {th.value:.6g})"
    return f"{th.exact} (about {th.value:.6g})"


def _threshold_sentence(th) -> list[str]:
    relation = f" (= {th.symbolic})" if th.symbolic else ""
    lines = [f"At {th.parameter} = {value_text(th)}{relation} the equilibrium set changes:"]
    lines.append(f"    below: {th.below_label}")
    lines.append(f"    above: {th.above_label}")
    if th.at is not None and th.at_label not in (th.below_label, th.above_label):
        lines.append(f"    at {th.parameter} = {th.exact} itself: {th.at_label}")
    if th.polynomial:
        lines.append(f"    ({th.parameter} is a root of {th.polynomial})")
    return lines


def _first_of_two(report, d, seen: set) -> bool:
    """True for the first listed strategy of a player who mixes over exactly two."""
    items = [e for e in report.statics if e.equilibrium == d.equilibrium and e.player == d.player
             and e.parameter == d.parameter and e.quantity == "probability"]
    return len(items) == 2 and items[0] is d


def _short_float(x: float) -> str:
    return f"{x:g}"


def report_text(report: SensitivityReport) -> str:
    """The report as plain text, readable aloud in a seminar."""
    lines = [f"Sensitivity of {report.title}" + (f" ({report.file})" if report.file else ""), ""]
    lines.append("At the values used (" + ", ".join(f"{k} = {_value(v)}" for k, v in report.values.items()) + "):")
    lines.append(f"  equilibria: {report.regime}")
    lines.append("")
    lines.append("Thresholds (one parameter at a time, the others held at these values):")
    for result in report.thresholds:
        lo, hi = result.search
        span = f"searched {_short_float(lo)} to {_short_float(hi)}"
        if not result.thresholds:
            lines.append(f"  {result.parameter}: no threshold ({span}); everywhere: {result.intervals[0].label if result.intervals else '?'}")
            continue
        lines.append(f"  {result.parameter} ({span}):")
        for th in result.thresholds:
            lines.extend("    " + line for line in _threshold_sentence(th))
        for note in result.notes:
            lines.append(f"    note: {note}")
    lines.append("")
    if report.statics:
        lines.append("Comparative statics of the mixed equilibria (sign of the derivative at these values):")
        by_eq: dict[str, list] = {}
        for d in report.statics:
            by_eq.setdefault(d.equilibrium, []).append(d)
        for label, items in by_eq.items():
            lines.append(f"  {label}:")
            unaffected: dict[str, list[str]] = {}
            seen_first: set[tuple] = set()
            for d in items:
                if d.quantity == "probability" and _first_of_two(report, d, seen_first):
                    continue  # with two strategies in the support, its derivative is minus the other's
                what = f"P({d.player} plays {d.strategy})" if d.quantity == "probability" else f"payoff of {d.player}"
                if d.sign == "0":
                    unaffected.setdefault(what, []).append(d.parameter)
                    continue
                effect = "rises with" if d.sign == "+" else "falls with"
                value = d.exact if d.exact else f"{d.value:.4g}"
                formula = f"; d/d{d.parameter} = {d.formula}" if d.formula and len(d.formula) <= 80 else ""
                lines.append(f"    {what} {effect} {d.parameter} ({value}){formula}")
            for what, params in unaffected.items():
                lines.append(f"    {what} does not depend on {', '.join(params)}")
        lines.append("")
    if report.conditions is not None:
        lines.append("Conditions for each equilibrium family (every parameter symbolic):")
        for c in report.conditions:
            status = {True: "holds here", False: "does not hold here", None: "undetermined here"}[c.holds]
            lines.append(f"  {c.label}{'' if c.root == 0 else f' (solution {c.root + 1})'} [{status}]")
            for player, probs in c.probabilities.items():
                lines.append("    " + player + ": " + ", ".join(f"P({s}) = {e}" for s, e in probs.items()))
            if c.conditions:
                lines.append("    exists when: " + " and ".join(c.conditions))
        lines.append("")
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(report: SensitivityReport) -> str:
    """The report as markdown (headings, one table of thresholds per parameter)."""
    out = [f"# Sensitivity: {report.title}", ""]
    out.append("Values: " + ", ".join(f"`{k} = {_value(v)}`" for k, v in report.values.items()))
    out += ["", f"Equilibria at these values: `{report.regime}`", "", "## Thresholds", ""]
    for result in report.thresholds:
        out.append(f"### `{result.parameter}`")
        out.append("")
        if not result.thresholds:
            out += [f"No threshold between {result.search[0]:g} and {result.search[1]:g}.", ""]
            continue
        out += ["| value | exact | relation | below | above |", "|---|---|---|---|---|"]
        for th in result.thresholds:
            out.append(
                f"| {th.value:.6g} | `{th.exact}` | {('`' + th.symbolic + '`') if th.symbolic else ''} "
                f"| `{th.below_label}` | `{th.above_label}` |"
            )
        out.append("")
    if report.statics:
        out += ["## Comparative statics", "", "| equilibrium | quantity | parameter | sign | derivative |", "|---|---|---|---|---|"]
        for d in report.statics:
            what = f"P({d.player}: {d.strategy})" if d.quantity == "probability" else f"payoff {d.player}"
            out.append(f"| `{d.equilibrium}` | {what} | `{d.parameter}` | {d.sign} | {('`' + d.formula + '`') if d.formula else (d.exact or f'{d.value:.4g}')} |")
        out.append("")
    if report.conditions is not None:
        out += ["## Conditions", ""]
        for c in report.conditions:
            status = {True: "holds", False: "does not hold", None: "undetermined"}[c.holds]
            out.append(f"- `{c.label}` ({status} here): " + (" and ".join(f"`{t}`" for t in c.conditions) or "always"))
        out.append("")
    for note in report.notes:
        out.append(f"> {note}")
    return "\n".join(out).rstrip() + "\n"
