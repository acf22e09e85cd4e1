"""Where an outcome holds, for people (text, Markdown) and programs (JSON).

Reads a :class:`~gametheory.sensitivity.region.Region` and never recomputes
it. The JSON carries at least ``outcome``, ``conditions`` (a list of
strings), ``share`` and ``flip.parameters`` (a full parameter setting); a
regime outcome adds ``regime`` (its machine label, also when it was asked by
the scenario's names) and every outcome ``display`` (what the text says:
the scenario's names, else the readable notation of :mod:`.names`).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..numtext import parameter_text
from .document import Bullets, Heading, Para, render_blocks
from .names import outcome_text

if TYPE_CHECKING:  # pragma: no cover
    from ..sensitivity.region import Region

__all__ = ["FORMATS", "region_dict", "render_region"]

FORMATS = ("text", "markdown", "json")


def _conditions(r: Region) -> list[str]:
    """The conditions as strings: one per alternative (conjunctions joined by ``and``), or, when there
    is one alternative, one per condition."""
    if r.conditions is None:
        return []
    if len(r.conditions) == 1:
        return list(r.conditions[0]) or ["always (every point of the box)"]
    return [" and ".join(alt) or "always" for alt in r.conditions]


def _share_text(r: Region) -> str:
    if r.share_exact is not None:
        return f"{r.share_exact} ({r.share:.4f}, exact)"
    if r.share_interval is None:
        return "not estimated"
    lo, hi = r.share_interval
    return (
        f"{r.share:.4f} (Monte Carlo estimate from {r.samples} uniform draws: standard error "
        f"{r.share_error:.4f}, 95% interval {lo:.4f} to {hi:.4f})"
    )


def _flip_text(r: Region) -> str:
    if r.flip is None:
        return "no point where the outcome flips was found in the box."
    verb = "stops holding" if r.holds_at_defaults else "starts to hold"
    moves = ", ".join(f"{k} from {parameter_text(r.values[k])} to {parameter_text(r.flip[k])}" for k in r.flip_changed)
    return f"the outcome {verb} when {moves} (distance {r.flip_distance:.4f} in units of the parameters' ranges)."


def _display(r: Region) -> str:
    """The outcome for people: a regime by the scenario's names or the readable notation."""
    o = r.outcome
    return outcome_text(o.text, o.regime, r.names, o.exact_regime)


def region_blocks(r: Region) -> list:
    box = ", ".join(f"{k} in [{parameter_text(lo)}, {parameter_text(hi)}]" for k, (lo, hi) in r.box.items())
    blocks: list = [
        Heading(f"Where {_display(r)} holds", 1),
        Para(
            f"Over {box}; the other parameters at their values. At those values the outcome "
            f"{'holds' if r.holds_at_defaults else 'does not hold'}."
        ),
        Heading("Conditions"),
    ]
    if r.conditions is None:
        blocks.append(
            Para(f"Algebra cannot answer here: {r.reason}. The share and the flip below come from the solver.")
        )
    elif r.sufficient:
        blocks += [
            Para(
                f"Algebra answers only in part ({r.reason}): the outcome holds at least where any of these "
                "holds (sufficient conditions, from the families algebra found); it may hold elsewhere too."
            ),
            Bullets(_conditions(r) or ["(none of the families algebra found has the outcome)"]),
        ]
    else:
        lead = "It holds where all of these hold:" if len(r.conditions) == 1 else "It holds where any of these holds:"
        blocks += [Para(lead), Bullets(_conditions(r) or ["never (no point of the box)"])]
    blocks += [Heading("Share of the box"), Para(_share_text(r)), Heading("Nearest flip"), Para(_flip_text(r))]
    if r.notes:
        blocks.append(Para("Notes: " + "; ".join(r.notes) + "."))
    return blocks


def _number(x: Any) -> Any:
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else float(x)
    return x if isinstance(x, int) else float(x)


def region_dict(r: Region) -> dict[str, Any]:
    """JSON-ready: outcome, conditions, share (with how it was found), flip.parameters."""
    return {
        "outcome": r.outcome.text,
        **({"regime": r.outcome.regime} if r.outcome.regime else {}),
        "display": _display(r),
        "file": r.file,
        "parameters": list(r.free),
        "box": {k: [_number(lo), _number(hi)] for k, (lo, hi) in r.box.items()},
        "holds_at_defaults": r.holds_at_defaults,
        "conditions": _conditions(r),
        "conditions_form": "all" if r.conditions is not None and len(r.conditions) == 1 else "any",
        "exact": r.conditions is not None and not r.sufficient,
        "sufficient": r.sufficient,
        "reason": r.reason,
        "share": r.share,
        "share_exact": r.share_exact,
        "share_interval": list(r.share_interval) if r.share_interval else None,
        "share_standard_error": r.share_error,
        "samples": r.samples,
        "flip": None
        if r.flip is None
        else {
            "parameters": {k: _number(v) for k, v in r.flip.items()},
            "exact": {k: parameter_text(v) for k, v in r.flip.items() if k in r.flip_changed},
            "changed": list(r.flip_changed),
            "distance": r.flip_distance,
            "outcome_holds": not r.holds_at_defaults,
        },
        "notes": list(r.notes),
    }


def render_region(r: Region, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(region_dict(r), indent=2) + "\n"
    return render_blocks(region_blocks(r), fmt)
