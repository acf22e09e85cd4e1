"""The sensitivity report for people and programs: plain text, Markdown and JSON.

The renderers read a :class:`~gametheory.sensitivity.analysis.SensitivityReport`
(computed by :func:`gametheory.sensitivity.analysis.sensitivity`: thresholds,
intervals, comparative statics, conditions and, for a game tree, the
subgame-perfect thresholds) and never recompute it. The JSON form is DESIGN.md
contract 4.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..escape import markdown
from ..escape import markdown_code as code
from ..numtext import exact_text, parameter_text
from .commitment import scan_blocks, scan_json
from .document import Block, Heading, Para, render_blocks
from .jsonout import equilibrium_json, game_json
from .names import Names, regime_text

if TYPE_CHECKING:  # pragma: no cover
    from ..sensitivity.analysis import SensitivityReport

__all__ = [
    "SPE_HEADING",
    "SPE_HINT",
    "report_dict",
    "report_markdown",
    "report_text",
    "spe_outcome_text",
    "spe_value_text",
    "value_text",
]


# ---------------------------------------------------------------- JSON
def _num(x: Any) -> Any:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _equilibria(solution) -> list[dict[str, Any]]:
    return [equilibrium_json(solution.game, e) for e in solution.equilibria]


def report_dict(report: SensitivityReport) -> dict[str, Any]:
    """DESIGN.md contract 4: ``thresholds`` (each with ``below``/``above``), ``intervals``, ``comparative_statics``.

    For a game tree also ``spe_thresholds``: one entry per subgame-perfect threshold,
    ``{"parameter", "value" (float), "exact" (rational text), "below", "above", "at"}``
    with the outcomes as :func:`gametheory.solvers.trees.spe_label` names them (paths of
    moves joined by ``>``, several outcomes by `` + ``). The key is absent for
    normal-form and Bayesian scenarios, and an empty list for a tree without any.
    """
    thresholds, intervals, examined = [], [], []
    names = report.solution.game.names
    for result in report.thresholds:
        examined.append(
            {
                "parameter": result.parameter,
                "search": [_num(result.search[0]), _num(result.search[1])],
                "candidates": result.candidates,
                "exact": result.exact,
                "thresholds": len(result.thresholds),
                "notes": list(result.notes),
            }
        )
        for th in result.thresholds:
            thresholds.append(
                {
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
                    "below_display": regime_text(th.below_label, names),
                    "above_display": regime_text(th.above_label, names),
                    "sources": list(th.sources),
                    "end": th.end,
                }
            )
        for iv in result.intervals:
            intervals.append(
                {
                    "parameter": iv.parameter,
                    "low": _num(iv.low),
                    "high": _num(iv.high),
                    "low_exact": iv.low_exact,
                    "high_exact": iv.high_exact,
                    "sample": exact_text(iv.sample),
                    "regime": iv.label,
                    "display": regime_text(iv.label, names),
                    "equilibria": _equilibria(iv.solution),
                    "outside": iv.outside,
                }
            )
    out: dict[str, Any] = {
        "game": game_json(report.solution.game),
        "file": report.file,
        "parameters": {
            k: (int(v) if isinstance(v, Fraction) and v.denominator == 1 else float(v))
            for k, v in report.values.items()
        },
        "regime": report.regime,
        "regime_display": regime_text(report.regime, names),
        "equilibria": _equilibria(report.solution),
        "examined": examined,
        "thresholds": thresholds,
        "intervals": intervals,
        "comparative_statics": [asdict(d) for d in report.statics],
        "notes": list(report.notes),
    }
    if report.conditions is not None:
        out["conditions"] = [asdict(c) for c in report.conditions]
    if report.spe is not None:
        out["spe_thresholds"] = [
            {
                "parameter": t.parameter,
                "value": float(t.value),
                "exact": exact_text(t.value),
                "below": t.below,
                "above": t.above,
                "at": t.at,
            }
            for scan in report.spe
            for t in scan.thresholds
        ]
    if report.commitment:
        out["commitment"] = [scan_json(scan) for scan in report.commitment]
    return out


# ---------------------------------------------------------------- text
def value_text(th) -> str:
    """``5``, ``33/4 (= 8.25)``, ``167/47 + sqrt(27654)/47 (about 7.09138)`` or ``about 7.1064 (approximate)``."""
    if th.exact is None:
        return f"about {th.value:.6g} (located numerically)"
    if th.polynomial is None and "/" not in th.exact:
        return th.exact
    if th.polynomial is None:
        return f"{th.exact} (= {th.value:.6g})"
    return f"{th.exact} (about {th.value:.6g})"


def _shown(report: SensitivityReport, label: str) -> str:
    """A regime or family label for people (:mod:`.names`), with the scenario's names of equilibria."""
    return regime_text(label, report.solution.game.names)


def _threshold_sentence(th, names: Names) -> list[str]:
    relation = f" (= {th.symbolic})" if th.symbolic else ""
    lines = [f"At {th.parameter} = {value_text(th)}{relation} the equilibrium set changes:"]
    lines.append(f"    below: {regime_text(th.below_label, names)}")
    lines.append(f"    above: {regime_text(th.above_label, names)}")
    if th.at is not None and th.at_label not in (th.below_label, th.above_label):
        lines.append(f"    at {th.parameter} = {th.exact} itself: {regime_text(th.at_label, names)}")
    if th.polynomial:
        lines.append(f"    ({th.parameter} is a root of {th.polynomial})")
    if th.end is not None:
        side = ("below", "lower") if th.end == "low" else ("above", "upper")
        lines.append(f"    ({th.exact} is the {side[1]} end of the range searched: '{side[0]}' is just past it)")
    return lines


def quiet_ends(result) -> list[str]:
    """The finite ends of the interval searched at which nothing changes, as text (``["0", "15"]``).

    The candidates for a threshold include the ends, so at and just past such an end the
    equilibria are those just inside it."""
    ends = {th.end for th in result.thresholds}
    return [
        f"{bound:g}"
        for side, bound in zip(("low", "high"), result.search)
        if side not in ends and math.isfinite(bound) and result.exact
    ]


def _first_of_two(report, d) -> bool:
    """True for the first listed strategy of a player who mixes over exactly two."""
    items = [
        e
        for e in report.statics
        if e.equilibrium == d.equilibrium
        and e.player == d.player
        and e.parameter == d.parameter
        and e.quantity == "probability"
    ]
    return len(items) == 2 and items[0] is d


#: Heading of the subgame-perfect section (text and markdown).
SPE_HEADING = "Subgame-perfect thresholds (where the credible outcome changes)"
#: Said under a tree parameter whose Nash equilibria do not change while its subgame-perfect outcome does.
SPE_HINT = (
    "in a tree the Nash equilibria of the reduced form can stay the same while the credible "
    '(subgame-perfect) outcome changes, and here it does: see "Subgame-perfect thresholds" below'
)


def spe_outcome_text(label: str) -> str:
    """A subgame-perfect label read aloud: ``cf_first>sign>accept + deploy_first>accept``
    becomes ``cf_first -> sign -> accept; deploy_first -> accept`` (``none`` if empty)."""
    if not label:
        return "none"
    return "; ".join(path.replace(">", " -> ") for path in label.split(" + "))


def spe_value_text(x: Fraction) -> str:
    """``1`` for a whole number, ``1/8 (= 0.125)`` otherwise."""
    text = exact_text(x)
    return text if x.denominator == 1 else f"{text} (= {float(x):.6g})"


def _span(lo: Fraction, hi: Fraction) -> str:
    return f"[{parameter_text(lo)}, {parameter_text(hi)}]"


def _spe_changes(report: SensitivityReport) -> set[str]:
    """The parameters whose subgame-perfect outcome changes somewhere in their range."""
    return {scan.parameter for scan in report.spe or () if scan.thresholds}


def _spe_steady(report: SensitivityReport, parameter: str) -> str | None:
    """The subgame-perfect outcome of a tree over the whole range of ``parameter`` when it
    does not change there (None when it does, or for a scenario that is not a tree)."""
    for scan in report.spe or ():
        if scan.parameter == parameter and not scan.thresholds:
            return scan.start
    return None


def _spe_text(report: SensitivityReport) -> list[str]:
    lines = [SPE_HEADING + ":"]
    lines.append("  (the paths of play of the subgame-perfect equilibria, found by backward induction;")
    lines.append("   one parameter at a time over the same ranges, the others held at the same values)")
    for scan in report.spe or ():
        if not scan.thresholds:
            lines.append(
                f"  {scan.parameter}: no change over {_span(*scan.search)}; everywhere: {spe_outcome_text(scan.start)}"
            )
            continue
        lines.append(
            f"  {scan.parameter} (searched {parameter_text(scan.search[0])} to {parameter_text(scan.search[1])}):"
        )
        for t in scan.thresholds:
            lines.append(f"    At {t.parameter} = {spe_value_text(t.value)} the subgame-perfect outcome changes:")
            lines.append(f"        below: {spe_outcome_text(t.below)}")
            lines.append(f"        above: {spe_outcome_text(t.above)}")
            if t.at not in (t.below, t.above):
                lines.append(f"        at {t.parameter} = {t.value} itself: {spe_outcome_text(t.at)}")
    lines.append("")
    return lines


def report_text(report: SensitivityReport) -> str:
    """The report as plain text, readable aloud in a seminar."""
    lines = [f"Sensitivity of {report.title}" + (f" ({report.file})" if report.file else ""), ""]
    lines.append(
        "At the values used (" + ", ".join(f"{k} = {parameter_text(v)}" for k, v in report.values.items()) + "):"
    )
    lines.append(f"  equilibria: {_shown(report, report.regime)}")
    if report.spe_outcome is not None:
        lines.append(f"  subgame-perfect outcome: {spe_outcome_text(report.spe_outcome)}")
    lines.append("")
    if report.spe is None:
        lines.append("Thresholds (one parameter at a time, the others held at these values):")
    else:
        lines.append(
            "Thresholds of the Nash equilibria of the reduced normal form "
            "(one parameter at a time, the others held at these values):"
        )
    flips = _spe_changes(report)
    for result in report.thresholds:
        lo, hi = result.search
        span = f"searched {lo:g} to {hi:g}"
        if not result.thresholds:
            lines.append(
                f"  {result.parameter}: no threshold ({span}); "
                f"everywhere: {_shown(report, result.intervals[0].label) if result.intervals else '?'}"
            )
            if result.parameter in flips:
                lines.append(f"    but {SPE_HINT}")
            continue
        lines.append(f"  {result.parameter} ({span}):")
        for th in result.thresholds:
            lines.extend("    " + line for line in _threshold_sentence(th, report.solution.game.names))
        quiet = quiet_ends(result)
        if quiet:
            lines.append(f"    (at and just past {' and '.join(quiet)}: no change)")
        steady = _spe_steady(report, result.parameter)
        if steady is not None:
            lines.append(
                f"    (the subgame-perfect outcome does not change over this range: {spe_outcome_text(steady)})"
            )
        for note in result.notes:
            lines.append(f"    note: {note}")
    lines.append("")
    if report.spe is not None:
        lines.extend(_spe_text(report))
    if report.statics:
        lines.append("Comparative statics of the mixed equilibria (sign of the derivative at these values):")
        by_eq: dict[str, list] = {}
        for d in report.statics:
            by_eq.setdefault(d.equilibrium, []).append(d)
        for label, items in by_eq.items():
            lines.append(f"  {_shown(report, label)}:")
            unaffected: dict[str, list[str]] = {}
            for d in items:
                if d.quantity == "probability" and _first_of_two(report, d):
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
    if report.conditions:  # None or empty: no closed forms (a note says why)
        lines.append("Conditions for each equilibrium family (every parameter symbolic):")
        for c in report.conditions:
            status = {True: "holds here", False: "does not hold here", None: "undetermined here"}[c.holds]
            lines.append(f"  {c.label}{'' if c.root == 0 else f' (solution {c.root + 1})'} [{status}]")
            for player, probs in c.probabilities.items():
                lines.append("    " + player + ": " + ", ".join(f"P({s}) = {e}" for s, e in probs.items()))
            if c.conditions:
                lines.append("    exists when: " + " and ".join(c.conditions))
        lines.append("")
    if report.commitment:
        lines.append(render_blocks(_commitment_blocks(report), "text"))
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines).rstrip() + "\n"


def _commitment_blocks(report: SensitivityReport) -> list[Block]:
    """``sensitivity --commit``: the leader's best commitment along each parameter, with its exact thresholds."""
    blocks: list[Block] = [
        Heading(f"Commitment: {report.commitment[0].leader} moves first", 2),
        Para(
            "Where the leader's best commitment changes (what it commits to, how the others answer) and where "
            "committing starts or stops paying against its best Nash payoff, one parameter at a time."
        ),
    ]
    for scan in report.commitment:
        blocks.extend(scan_blocks(scan))
    return blocks


def report_markdown(report: SensitivityReport) -> str:
    """The report as markdown (headings, one table of thresholds per parameter)."""
    out = [f"# Sensitivity: {markdown(report.title)}", ""]
    out.append("Values: " + ", ".join(f"`{k} = {parameter_text(v)}`" for k, v in report.values.items()))
    out += ["", f"Equilibria at these values: {markdown(_shown(report, report.regime))}", ""]
    if report.spe_outcome is not None:
        out += [f"Subgame-perfect outcome at these values: {code(spe_outcome_text(report.spe_outcome))}", ""]
    out += ["## Thresholds" if report.spe is None else "## Thresholds of the Nash equilibria (reduced normal form)", ""]
    flips = _spe_changes(report)
    for result in report.thresholds:
        out.append(f"### {code(result.parameter)}")
        out.append("")
        if not result.thresholds:
            out.append(f"No threshold between {result.search[0]:g} and {result.search[1]:g}.")
            if result.parameter in flips:
                out.append(f"But {SPE_HINT}.")
            out.append("")
            continue
        out += ["| value | exact | relation | below | above |", "|---|---|---|---|---|"]
        for th in result.thresholds:
            exact = f"{code(th.exact)}" if th.exact is not None else "located numerically"
            if th.end is not None:
                exact += f" ({'lower' if th.end == 'low' else 'upper'} end of the range searched)"
            relation = f"{code(th.symbolic)}" if th.symbolic else ""
            below, above = (markdown(_shown(report, label)) for label in (th.below_label, th.above_label))
            out.append(f"| {th.value:.6g} | {exact} | {relation} | {below} | {above} |")
        steady = _spe_steady(report, result.parameter)
        if steady is not None:
            out += [
                "",
                f"The subgame-perfect outcome does not change over this range: {code(spe_outcome_text(steady))}.",
            ]
        out.append("")
    if report.spe is not None:
        out += _spe_markdown(report)
    if report.statics:
        out += [
            "## Comparative statics",
            "",
            "| equilibrium | quantity | parameter | sign | derivative |",
            "|---|---|---|---|---|",
        ]
        for d in report.statics:
            what = f"P({d.player}: {d.strategy})" if d.quantity == "probability" else f"payoff {d.player}"
            derivative = f"{code(d.formula)}" if d.formula else (d.exact or f"{d.value:.4g}")
            shown = markdown(_shown(report, d.equilibrium))
            out.append(f"| {shown} | {markdown(what)} | {code(d.parameter)} | {d.sign} | {derivative} |")
        out.append("")
    if report.conditions is not None:
        out += ["## Conditions", ""]
        for c in report.conditions:
            status = {True: "holds", False: "does not hold", None: "undetermined"}[c.holds]
            out.append(
                f"- {markdown(_shown(report, c.label))} ({status} here): "
                + (" and ".join(f"{code(t)}" for t in c.conditions) or "always")
            )
        out.append("")
    if report.commitment:
        out += [render_blocks(_commitment_blocks(report), "markdown"), ""]
    for note in report.notes:
        out.append(f"> {markdown(note)}")
    return "\n".join(out).rstrip() + "\n"


def _spe_markdown(report: SensitivityReport) -> list[str]:
    out = [
        f"## {SPE_HEADING}",
        "",
        (
            "The paths of play of the subgame-perfect equilibria (backward induction), one parameter "
            "at a time over the same ranges, the others at the values above."
        ),
        "",
    ]
    scans = report.spe or ()
    if any(scan.thresholds for scan in scans):
        out += ["| parameter | value | exact | below | above | at the value |", "|---|---|---|---|---|---|"]
        for scan in scans:
            for t in scan.thresholds:
                out.append(
                    f"| {code(t.parameter)} | {float(t.value):.6g} | {code(t.value)} | {code(spe_outcome_text(t.below))} "
                    f"| {code(spe_outcome_text(t.above))} | {code(spe_outcome_text(t.at))} |"
                )
        out.append("")
    for scan in scans:
        if not scan.thresholds:
            out.append(
                f"- {code(scan.parameter)}: no change over {_span(*scan.search)} "
                f"({code(spe_outcome_text(scan.start))} throughout)"
            )
    if any(not scan.thresholds for scan in scans):
        out.append("")
    return out
