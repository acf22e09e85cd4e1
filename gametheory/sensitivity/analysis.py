"""The full sensitivity analysis of a scenario, gathered into one result for the renderers.

:func:`sensitivity` gathers, at one point of parameter space (defaults,
preset, ``--set`` values): the equilibria there, every examined parameter's
exact thresholds and intervals (:mod:`.thresholds`), the comparative statics
of the mixed equilibria (:mod:`.statics`) and the closed-form conditions of
every family. For a game tree it adds the subgame-perfect thresholds of the
same parameters over the same ranges (:func:`gametheory.sensitivity.spe.spe_thresholds`):
the Nash equilibria of a tree's reduced form often stay the same where the
subgame-perfect (credible) outcome flips. The renderers of
:mod:`gametheory.report.sensitivity` (text, Markdown, and JSON: DESIGN.md
contract 4) only read that result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .labels import regime_label


@dataclass(frozen=True)
class SpeScan:
    """The subgame-perfect thresholds of one parameter of a game tree.

    ``thresholds`` are :class:`gametheory.sensitivity.spe.SpeThreshold` found over
    ``search`` (exact bounds: the range the Nash thresholds were searched over);
    ``start`` is the subgame-perfect outcome (:func:`gametheory.solvers.trees.spe_label`)
    at the low end of ``search``, hence throughout it when there is no threshold.
    """

    parameter: str
    search: tuple[Fraction, Fraction]
    thresholds: tuple[Any, ...]
    start: str


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
    #: For a game tree: the subgame-perfect thresholds of each examined parameter (None otherwise).
    spe: tuple[SpeScan, ...] | None = None
    #: For a game tree: the subgame-perfect outcome at the values used (None otherwise).
    spe_outcome: str | None = None
    #: With a leader (``sensitivity --commit``): its best commitment along each examined parameter,
    #: :class:`gametheory.sensitivity.commitment.CommitmentScan` objects (empty otherwise).
    commitment: tuple[Any, ...] = ()

    @property
    def regime(self) -> str:
        return regime_label(self.solution)


def _exact_search(scenario, result) -> tuple[Fraction, Fraction]:
    """The exact interval the Nash thresholds of ``result`` were searched over: the declared
    range when that is what was searched, otherwise ``result.search`` read exactly."""
    from ..scenario import coerce_number

    param = scenario.parameters[result.parameter]
    if param.range is not None and (float(param.low), float(param.high)) == tuple(result.search):
        return Fraction(param.low), Fraction(param.high)
    lo, hi = (coerce_number(x, what=f"search bound of {result.parameter}") for x in result.search)
    return Fraction(lo), Fraction(hi)


def spe_scan(scenario, result, values: Mapping[str, Any]) -> SpeScan:
    """The subgame-perfect thresholds of ``result.parameter`` (a tree scenario), the other
    parameters at ``values``, over the range its Nash thresholds ``result`` were searched over."""
    from ..scenario import scenario_values
    from ..solvers.trees import spe_label
    from .spe import spe_thresholds

    lo, hi = _exact_search(scenario, result)
    found = spe_thresholds(scenario, result.parameter, base=values, search=(lo, hi))
    start = spe_label(scenario.extensive, scenario_values(scenario, {**values, result.parameter: lo}))
    return SpeScan(result.parameter, (lo, hi), found, start)


def sensitivity(
    scenario,
    parameters: Sequence[str] | None = None,
    *,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    conditions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    ranges: Mapping[str, tuple[object, object]] | None = None,
    statics: bool = True,
    leader: str | None = None,
) -> SensitivityReport:
    """Thresholds of each of ``parameters`` (default: all the payoffs use), comparative statics and conditions.

    ``ranges`` gives a parameter the interval to search instead of its declared range
    (``{"x_r": (0, 20)}``); every interval is searched ends included. ``statics=False`` leaves out the
    comparative statics (slow for games with many players), and a note says so. ``leader``: also
    that player's best commitment along each parameter over the same interval, with the exact values
    where it changes or starts to pay (:func:`gametheory.sensitivity.commitment.commitment_thresholds`).

    For a game tree, also the subgame-perfect thresholds of the same parameters over
    the same ranges, the others at the same values (``SensitivityReport.spe``), and the
    equilibria at the values used are found as the threshold search finds them (pure
    equilibria only with three or more players, see
    :data:`gametheory.solvers.trees.PURE_ONLY_NOTE`).
    """
    import warnings

    from ..solvers import solve
    from .statics import comparative_statics
    from .statics import conditions as family_conditions
    from .sweep import base_values_quiet, check_parameter
    from .thresholds import thresholds

    names = tuple(parameters) if parameters else tuple(p for p in scenario.parameters if p in scenario.used_parameters)
    for name in names:
        check_parameter(scenario, name)
    values = base_values_quiet(scenario, base, preset)
    tree = scenario.extensive is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.game_at(scenario.with_derived(values))
        method = "auto"
        if tree:  # as the threshold search does: pure equilibria only for 3+ players (solvers.trees.PURE_ONLY_NOTE)
            from ..solvers.trees import structure_method

            method = structure_method(scenario, game, method)
        solution = solve(game, method)
    if leader is not None:
        from .commitment import leader_index

        leader_index(game, leader, scenario.file)  # an unknown name fails before the slow part
    found = []
    spe: list[SpeScan] = []
    notes: list[str] = []
    for k, name in enumerate(names):
        result = thresholds(scenario, name, base=base, preset=preset, search=(ranges or {}).get(name))
        found.append(result)
        if tree:
            spe.append(spe_scan(scenario, result, values))
        notes.extend(f"{name}: {n}" for n in result.notes)
        if progress is not None:
            progress(k + 1, len(names) + (1 if conditions else 0))
    derivatives = (
        comparative_statics(scenario, base=base, preset=preset, solution=solution, parameters=names) if statics else ()
    )
    if not statics:
        notes.append("comparative statics left out (--no-statics)")
    reports = None
    if conditions:
        reports, fs = family_conditions(scenario, base=base, preset=preset)
        if fs.reason:
            notes.append(f"conditions: {fs.reason}")
        if progress is not None:
            progress(len(names) + 1, len(names) + 1)
    scans: tuple[Any, ...] = ()
    if leader is not None:
        from .commitment import commitment_thresholds

        used = [r for r in found if r.parameter in scenario.used_parameters]
        scans = tuple(
            commitment_thresholds(scenario, leader, r.parameter, values=values, search=_exact_search(scenario, r))
            for r in used
        )
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
        statics=derivatives,
        conditions=reports,
        notes=tuple(notes),
        spe=tuple(spe) if tree else None,
        spe_outcome=_spe_outcome(scenario, values) if tree else None,
        commitment=scans,
    )


def _spe_outcome(scenario, values: Mapping[str, Any]) -> str:
    from ..scenario import scenario_values
    from ..solvers.trees import spe_label

    return spe_label(scenario.extensive, scenario_values(scenario, values))
