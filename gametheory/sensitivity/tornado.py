"""Tornado analysis: which parameters move the equilibrium set (or a payoff) the most?

One-at-a-time sensitivity (the "tornado diagram" of decision analysis;
Howard 1988, "Decision analysis: practice and promise", Management Science
34(6)): each parameter in turn is moved across its declared range on a grid
of ``points`` exact values, every other parameter held at its baseline value
(defaults, then the preset, then ``base``). For each parameter the result
says

* which regimes (equilibrium-set labels, see
  :func:`gametheory.sensitivity.regime_label`) occur along its range, in
  order, and how many times the regime changes; a change is located between
  two neighbouring grid values. A grid point that sits exactly on a
  threshold (flagged ``boundary`` by the regime engine, or an isolated
  degenerate game: a ``continuum(...)`` regime neither neighbour shares) is
  shown in the plot but not counted as a regime of its own;
* if a player is chosen, the swing of that player's **selected equilibrium
  payoff** along the range. Because a game can have several equilibria, the
  selection rule is explicit:

  - ``"both"`` (default): the lowest and the highest, the band the player's
    equilibrium payoff lies in; a parameter's swing is the larger of the two
    swings, so a parameter that moves only the good equilibria still counts
    (in G1 Europe's worst equilibrium, no force, is the same whatever most
    parameters are, so ranking by it alone shows no swing for most of them);
  - ``"worst"``: the player's lowest payoff over all equilibria at
    that point: what it can count on whichever equilibrium is played;
  - ``"best"``: its highest payoff over all equilibria: what it can hope for.

  The minimum or maximum is taken over the equilibria the solver reports,
  which for a continuum of equilibria (a degenerate game) are its extreme
  points.

With ``exact_thresholds`` the regime changes are also located exactly, by
:func:`gametheory.sensitivity.thresholds.thresholds` over the same ranges (the
values ``sensitivity`` reports), instead of only between grid points.

Parameters are ranked by impact: by payoff swing (max - min) when a player is
chosen, then by the number of regime changes, then by the number of distinct
regimes. One-at-a-time analysis ignores interactions (two parameters that
only matter together); a Monte Carlo run (:mod:`.montecarlo`) or a
two-parameter sweep shows those.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

__all__ = ["SELECTIONS", "TornadoBar", "TornadoResult", "tornado"]

SELECTIONS = ("both", "worst", "best")
DEFAULT_POINTS = 21

Number = Fraction | float


@dataclass(frozen=True)
class TornadoBar:
    """One parameter moved across its range (others at baseline)."""

    parameter: str
    low: Number
    high: Number
    baseline: Number
    values: tuple[Number, ...]
    labels: tuple[str, ...]
    boundary: tuple[bool, ...]
    payoffs: tuple[Number | None, ...] | None = None
    #: With the selection ``"both"``: the highest payoff at each point (``payoffs`` holds the lowest).
    best_payoffs: tuple[Number | None, ...] | None = None
    #: The exact thresholds of the parameter over its range (a ``ParameterThresholds``), when computed.
    thresholds: Any = None

    @property
    def on_threshold(self) -> tuple[bool, ...]:
        """Grid points that sit on a threshold: flagged ``boundary`` by the regime engine, or an
        isolated degenerate game (a ``continuum(...)`` label that neither neighbour shares)."""
        out = []
        n = len(self.labels)
        for k, (label, edge) in enumerate(zip(self.labels, self.boundary)):
            isolated = "continuum(" in label and all(self.labels[j] != label for j in (k - 1, k + 1) if 0 <= j < n)
            out.append(bool(edge) or (isolated and n > 1))
        return tuple(out)

    @property
    def path(self) -> tuple[str, ...]:
        """The regimes met from the low to the high end, consecutive repeats (and threshold points) removed."""
        out: list[str] = []
        for label, edge in zip(self.labels, self.on_threshold):
            if not edge and (not out or out[-1] != label):
                out.append(label)
        return tuple(out)

    @property
    def regimes(self) -> tuple[str, ...]:
        """The distinct regimes along the range, in order of first appearance."""
        return tuple(dict.fromkeys(self.path))

    @property
    def changes(self) -> int:
        """How many times the regime changes along the range."""
        return max(0, len(self.path) - 1)

    @property
    def change_points(self) -> tuple[tuple[Number, Number, str, str], ...]:
        """Each change as (last value before, first value after, regime before, regime after)."""
        out = []
        previous: tuple[Number, str] | None = None
        for value, label, edge in zip(self.values, self.labels, self.on_threshold):
            if edge:
                continue
            if previous is not None and previous[1] != label:
                out.append((previous[0], value, previous[1], label))
            previous = (value, label)
        return tuple(out)

    def _known(self) -> list[Number]:
        return [p for p in (self.payoffs or ()) if p is not None]

    @property
    def payoff_min(self) -> Number | None:
        known = self._known()
        return min(known) if known else None

    @property
    def payoff_max(self) -> Number | None:
        known = self._known()
        return max(known) if known else None

    @property
    def swing(self) -> Number:
        """max - min of the selected payoff along the range (0 without a payoff); with the selection
        ``"both"``, the larger of the swings of the lowest and of the highest payoff."""
        known = self._known()
        own = max(known) - min(known) if known else 0
        best = [p for p in (self.best_payoffs or ()) if p is not None]
        return max(own, max(best) - min(best)) if best else own

    @property
    def best_min(self) -> Number | None:
        """With the selection ``"both"``: the least of the highest payoffs along the range."""
        best = [p for p in (self.best_payoffs or ()) if p is not None]
        return min(best) if best else None

    @property
    def best_max(self) -> Number | None:
        """With the selection ``"both"``: the greatest of the highest payoffs along the range."""
        best = [p for p in (self.best_payoffs or ()) if p is not None]
        return max(best) if best else None

    @property
    def payoff_at_low(self) -> Number | None:
        return self.payoffs[0] if self.payoffs else None

    @property
    def payoff_at_high(self) -> Number | None:
        return self.payoffs[-1] if self.payoffs else None


@dataclass(frozen=True)
class TornadoResult:
    """Bars sorted by impact (see the module docstring), plus the baseline they start from.

    Rendered by :mod:`gametheory.report.tornado` (table, JSON) and
    :func:`gametheory.report.plots.plot_tornado` (the diagram).
    """

    title: str
    file: str | None
    bars: tuple[TornadoBar, ...]
    baseline: Mapping[str, Number]
    baseline_regime: str
    player: str | None = None
    selection: str = "both"
    baseline_payoff: Number | None = None
    #: With the selection ``"both"``: the highest payoff at the baseline (``baseline_payoff`` is the lowest).
    baseline_best: Number | None = None
    points: int = DEFAULT_POINTS
    preset: str | None = None
    skipped: Mapping[str, str] = field(default_factory=dict)
    #: The scenario's names of equilibria (support by strategy names -> name), for display only.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)

    def bar(self, parameter: str) -> TornadoBar:
        for b in self.bars:
            if b.parameter == parameter:
                return b
        raise KeyError(parameter)

    @property
    def ranking(self) -> tuple[str, ...]:
        return tuple(b.parameter for b in self.bars)

    @property
    def regime_keys(self) -> dict[str, str]:
        """Short names R1, R2, ... for the regimes met (baseline first, then in order of appearance)."""
        keys: dict[str, str] = {}
        for label in (self.baseline_regime, *(r for b in self.bars for r in b.path)):
            keys.setdefault(label, f"R{len(keys) + 1}")
        for b in self.bars:
            for th in b.thresholds.thresholds if b.thresholds is not None else ():
                for label in (th.below_label, th.above_label):
                    keys.setdefault(label, f"R{len(keys) + 1}")
        return keys


def _grid(low: Fraction, high: Fraction, points: int) -> tuple[Fraction, ...]:
    step = (high - low) / (points - 1)
    return tuple(low + k * step for k in range(points))


def _selected(solution, player: int, selection: str) -> Number | None:
    values = [eq.payoffs[player] for eq in solution.equilibria]
    if not values:
        return None
    return max(values) if selection == "best" else min(values)  # "both" keeps the lowest here, the highest apart


def tornado(
    scenario: Scenario,
    *,
    payoff_player: str | None = None,
    selection: str = "both",
    points: int = DEFAULT_POINTS,
    parameters: Sequence[str] | None = None,
    preset: str | None = None,
    base: Mapping[str, object] | None = None,
    jobs: int | None = None,
    exact_thresholds: bool = False,
) -> TornadoResult:
    """Move each parameter across its range, the others at baseline; rank by impact.

    ``payoff_player`` (a player name) adds that player's selected equilibrium
    payoff (``selection`` ``"both"``, ``"worst"`` or ``"best"``, see the module docstring)
    at every point, computed by the general solver (exact, certified).
    ``exact_thresholds`` also finds each parameter's exact thresholds over its range.
    ``parameters`` restricts the analysis (default: every parameter with a
    range that the payoffs use). Returns a :class:`TornadoResult`.
    """
    from ..scenario import ParameterRangeWarning

    _check_options(selection, points)
    player_index = _player_index(scenario, payoff_player)
    baseline = scenario.parameter_values(base or {}, preset=preset)
    baseline = {k: v for k, v in baseline.items() if k in scenario.parameters}
    chosen, skipped = _movable_parameters(scenario, parameters)
    grids = {name: _grid(scenario.parameters[name].low, scenario.parameters[name].high, points) for name in chosen}
    exact_points = _one_at_a_time(chosen, grids, baseline)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParameterRangeWarning)  # already reported by parameter_values
        if player_index is not None:
            regimes = _regimes_by_solving(scenario, baseline, exact_points, player_index, selection)
        else:
            fixed_base = {k: v for k, v in (base or {}).items() if k not in chosen}
            regimes = _regimes_by_engine(scenario, chosen, baseline, exact_points, fixed_base, preset, jobs)
    found = _exact_thresholds(scenario, chosen, base, preset) if exact_thresholds else {}
    bars = _ranked_bars(
        scenario, chosen, grids, baseline, regimes, points, by_payoff=player_index is not None, thresholds=found
    )
    return TornadoResult(
        title=scenario.title,
        file=scenario.file,
        bars=bars,
        baseline=baseline,
        baseline_regime=regimes.baseline_regime,
        player=payoff_player,
        selection=selection,
        baseline_payoff=regimes.baseline_payoff,
        baseline_best=regimes.baseline_best,
        points=int(points),
        preset=preset,
        skipped=skipped,
        names=scenario.equilibrium_names,
    )


def _check_options(selection: str, points: int) -> None:
    """Refuse an unknown payoff selection rule and a grid that is not a whole number of points in 2..10000."""
    if selection not in SELECTIONS:
        raise InputError(f"unknown selection {selection!r}; choose one of {', '.join(SELECTIONS)}")
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise InputError(f"points must be an integer of at least 2, got {points!r}")
    if points > 10_000:
        raise InputError(f"points = {points} is more than a tornado needs (at most 10000)")


def _player_index(scenario: Scenario, payoff_player: str | None) -> int | None:
    """The index of the player whose payoff is ranked (None without one); an unknown name is an error."""
    if payoff_player is None:
        return None
    names = [p.name for p in scenario.players]
    if payoff_player not in names:
        import difflib

        close = difflib.get_close_matches(payoff_player, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown player {payoff_player!r}{hint}; players are {', '.join(names)}", file=scenario.file)
    return names.index(payoff_player)


def _movable_parameters(scenario: Scenario, parameters: Sequence[str] | None) -> tuple[list[str], dict[str, str]]:
    """The parameters to move (used by the payoffs, with a range of more than one value), and why the others are not."""
    skipped: dict[str, str] = {}
    chosen: list[str] = []
    candidates = list(parameters) if parameters is not None else list(scenario.parameters)
    for name in candidates:
        if name not in scenario.parameters:
            from .sweep import check_parameter

            check_parameter(scenario, name)
        param = scenario.parameters[name]
        if name not in scenario.used_parameters:
            skipped[name] = "no payoff uses it"
        elif param.range is None:
            skipped[name] = "no declared range"
        elif param.low == param.high:
            skipped[name] = "its range is a single value"
        else:
            chosen.append(name)
    if not chosen:
        raise InputError("no parameter to move: none has a declared range that the payoffs use", file=scenario.file)
    return chosen, skipped


def _one_at_a_time(
    chosen: Sequence[str], grids: Mapping[str, Sequence[Fraction]], baseline: Mapping[str, Number]
) -> list[dict[str, Number]]:
    """One point set for all parameters: block k moves parameter k over its grid, the others stay at baseline."""
    exact_points: list[dict[str, Number]] = []
    for name in chosen:
        for value in grids[name]:
            point = {other: baseline[other] for other in chosen}
            point[name] = value
            exact_points.append(point)
    return exact_points


@dataclass(frozen=True)
class _Regimes:
    """The regime at every point of :func:`_one_at_a_time` and at the baseline (with the selected payoffs)."""

    labels: list[str]
    boundary: list[bool]
    baseline_regime: str
    payoffs: list[Number | None] | None = None
    baseline_payoff: Number | None = None
    best_payoffs: list[Number | None] | None = None
    baseline_best: Number | None = None


def _regimes_by_solving(
    scenario: Scenario,
    baseline: Mapping[str, Number],
    exact_points: Sequence[Mapping[str, Number]],
    player_index: int,
    selection: str,
) -> _Regimes:
    """Solve each point exactly: the payoffs need every equilibrium at every point. Each regime is
    named from that solution (the same label the regime engine gives)."""
    from ..solvers import solve
    from .labels import regime_label

    def solve_at(point: Mapping[str, Number]):
        values = dict(baseline)
        values.update(point)
        return solve(scenario.game_at(scenario.with_derived(values)))

    solutions = [solve_at(p) for p in exact_points]
    at_baseline = solve_at({})
    return _Regimes(
        labels=[regime_label(sol) for sol in solutions],
        boundary=[False] * len(solutions),
        baseline_regime=regime_label(at_baseline),
        payoffs=[_selected(sol, player_index, selection) for sol in solutions],
        baseline_payoff=_selected(at_baseline, player_index, selection),
        best_payoffs=[_selected(sol, player_index, "best") for sol in solutions] if selection == "both" else None,
        baseline_best=_selected(at_baseline, player_index, "best") if selection == "both" else None,
    )


def _regimes_by_engine(
    scenario: Scenario,
    chosen: Sequence[str],
    baseline: Mapping[str, Number],
    exact_points: Sequence[Mapping[str, Number]],
    fixed_base: Mapping[str, object],
    preset: str | None,
    jobs: int | None,
) -> _Regimes:
    """The regimes from the regime engine (:func:`.sweep.classify_points`), with the points given exactly."""
    from .montecarlo import SYMBOLIC_MIN_SAMPLES
    from .sweep import classify_points

    arrays = {name: np.asarray([float(p[name]) for p in exact_points]) for name in chosen}
    # Closed forms pay off only over many points (see montecarlo.SYMBOLIC_MIN_SAMPLES).
    regimes = classify_points(
        scenario,
        arrays,
        base=fixed_base or None,
        preset=preset,
        jobs=jobs,
        exact=lambda idx: exact_points[idx[0]],
        symbolic=len(exact_points) >= SYMBOLIC_MIN_SAMPLES,
    )
    first = chosen[0]
    base_map = classify_points(
        scenario,
        {first: np.asarray([float(baseline[first])])},
        base=fixed_base or None,
        preset=preset,
        exact=lambda idx: {first: baseline[first]},
        symbolic=False,
    )
    return _Regimes(
        labels=[str(x) for x in regimes.labels.reshape(-1)],
        boundary=[bool(x) for x in regimes.boundary.reshape(-1)],
        baseline_regime=str(base_map.labels.reshape(-1)[0]),
    )


def _exact_thresholds(
    scenario: Scenario, chosen: Sequence[str], base: Mapping[str, object] | None, preset: str | None
) -> dict[str, Any]:
    """Each moved parameter's exact thresholds over its declared range (the bars' range), as ``sensitivity`` finds them."""
    from .thresholds import thresholds

    return {name: thresholds(scenario, name, base=base, preset=preset, symbolic=False) for name in chosen}


def _ranked_bars(
    scenario: Scenario,
    chosen: Sequence[str],
    grids: Mapping[str, tuple[Fraction, ...]],
    baseline: Mapping[str, Number],
    regimes: _Regimes,
    points: int,
    *,
    by_payoff: bool,
    thresholds: Mapping[str, Any],
) -> tuple[TornadoBar, ...]:
    """One bar per moved parameter (its block of the point set), sorted by impact (see the module docstring)."""
    bars = []
    for k, name in enumerate(chosen):
        block = slice(k * points, (k + 1) * points)
        param = scenario.parameters[name]
        bars.append(
            TornadoBar(
                parameter=name,
                low=param.low,
                high=param.high,
                baseline=baseline[name],
                values=grids[name],
                labels=tuple(regimes.labels[block]),
                boundary=tuple(regimes.boundary[block]),
                payoffs=None if regimes.payoffs is None else tuple(regimes.payoffs[block]),
                best_payoffs=None if regimes.best_payoffs is None else tuple(regimes.best_payoffs[block]),
                thresholds=thresholds.get(name),
            )
        )
    if by_payoff:
        bars.sort(key=lambda b: (-b.swing, -b.changes, -len(b.regimes), chosen.index(b.parameter)))
    else:
        bars.sort(key=lambda b: (-b.changes, -len(b.regimes), chosen.index(b.parameter)))
    return tuple(bars)
