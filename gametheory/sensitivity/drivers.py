"""What drives an outcome or a payoff: variance-based Sobol indices and Morris screening, computed with SALib.

The question is "which parameters make this outcome likely?" (or "which move
Europe's equilibrium payoff?"). Over the distributions a scenario declares
(:func:`~gametheory.sensitivity.montecarlo.resolve_distributions`: uniform over
the range by default), the quantity is a function of the drawn parameters:

* an **outcome** (:mod:`.outcomes`, probability bounds included) is 1 where it
  holds and 0 where not; its mean is the outcome's probability;
* a **payoff** is a player's payoff in the equilibrium a selection rule picks
  at each draw (:data:`SELECTIONS`): the player's ``worst`` or ``best``
  equilibrium, or the ``payoff-dominant`` one (Harsanyi and Selten 1988: at
  least as good for every player as every other equilibrium; where no
  equilibrium is, the rule does not apply and the run is refused); for a
  game tree with perfect information, ``subgame-perfect``: the payoff of the
  subgame-perfect equilibrium, by vectorised backward induction
  (:func:`~gametheory.sensitivity.treesweep.subgame_perfect_payoffs`; at a
  tie, where several are, the player's lowest, solved exactly);
* a **regime** (for ``montecarlo --drivers``) is the indicator of one
  equilibrium set.

Its variance splits by parameter:

* **Sobol indices** (Sobol 2001; Saltelli et al. 2010): the first-order index
  ``S1`` of a parameter is the share of the variance it explains alone, the
  total index ``ST`` the share it takes part in, interactions included. SALib
  draws the Saltelli design (``N * (D + 2)`` points for ``D`` parameters) and
  estimates both with bootstrap confidence intervals.
* **Morris screening** (Morris 1991; Campolongo et al. 2007): ``mu_star``, the
  mean absolute elementary effect of moving one parameter along ``r``
  one-at-a-time trajectories, ranks the parameters with far fewer points;
  ``sigma`` flags interactions and non-linearity.

The designs live on the unit cube and are mapped to the parameters through
each distribution's inverse distribution function, so any declared
distribution works. Outcomes and regimes at the design points come from
:func:`~gametheory.sensitivity.sweep.classify_points` (through
:func:`~gametheory.sensitivity.region.holds_on_draws`, which also reads
probability bounds), payoffs from
:meth:`~gametheory.sensitivity.engine.RegimeEngine.values` (the vectorised
closed forms), so 10^5 evaluations cost seconds. Several quantities share one
pair of designs (:func:`indices_of_outputs`). :func:`sobol_indices` and
:func:`morris_screening` take any vectorised model, which is how the test
checks the path against the Ishigami function's analytic indices. Estimation
is SALib's, not ours.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..scenario import Scenario
from ..solvers import solve
from ..solvers.backward import subgame_perfect
from .engine import engine_for
from .montecarlo import Distribution, MonteCarloResult, resolve_distributions
from .outcomes import Outcome, parse_outcome
from .region import holds_on_draws, solver_method
from .sweep import base_values_quiet, classify_points, exact_point
from .symbolic import analyse
from .treesweep import subgame_perfect_payoffs

__all__ = [
    "DEFAULT_SOBOL_N",
    "SELECTIONS",
    "Drivers",
    "Index",
    "drivers",
    "explain",
    "indices_of_outputs",
    "montecarlo_drivers",
    "morris_screening",
    "payoff_drivers",
    "regime_drivers",
    "sobol_indices",
]

Model = Callable[[Mapping[str, np.ndarray]], np.ndarray]
#: Several named quantities computed at once from the same parameter arrays.
Outputs = Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]]

#: Base sample size of the Saltelli design (a power of two; SALib warns otherwise).
DEFAULT_SOBOL_N = 1024
#: Trajectories and grid levels of the Morris design.
DEFAULT_TRAJECTORIES = 50
MORRIS_LEVELS = 4
#: Uniforms are kept this far inside (0, 1) so that unbounded distributions give finite draws.
EDGE = 1e-12
#: Rules that pick one equilibrium's payoff where there are several (``subgame-perfect``: for trees).
SELECTIONS = ("worst", "best", "payoff-dominant", "subgame-perfect")
#: Draws on a regime boundary (no closed-form family holds there) solved exactly, at most.
MAX_EXACT_DRAWS = 200
#: Payoffs closer than this (relative to the largest) count as equal for payoff dominance.
PAYOFF_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Index:
    """One parameter's indices: Sobol ``first``/``total`` with their confidence half-widths, Morris
    ``mu_star`` (with its half-width) and ``sigma``; None where that method was not run."""

    parameter: str
    first: float | None = None
    first_conf: float | None = None
    total: float | None = None
    total_conf: float | None = None
    mu_star: float | None = None
    mu_star_conf: float | None = None
    sigma: float | None = None


@dataclass(frozen=True)
class Drivers:
    """The drivers of one quantity: ``indices`` ranked by total Sobol index (or Morris ``mu_star``).

    ``kind`` is ``"outcome"``, ``"regime"`` or ``"payoff"``; ``probability`` is the quantity's mean
    over the Sobol design's base draws (the outcome's or regime's probability; for a payoff its mean
    payoff); ``selection`` the rule that picked the equilibrium (payoffs only), ``player`` whose payoff.
    """

    outcome: str
    file: str | None
    indices: tuple[Index, ...]
    probability: float
    evaluations: int
    seed: int
    sobol_n: int
    trajectories: int
    distributions: Mapping[str, Distribution]
    fixed: Mapping[str, Any]
    notes: tuple[str, ...] = ()
    kind: str = "outcome"
    selection: str | None = None
    player: str | None = None
    #: The scenario's names of equilibria (support as strategy names -> name), for the reports.
    names: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)

    def ranking(self) -> tuple[str, ...]:
        return tuple(i.parameter for i in self.indices)


# ------------------------------------------------------------- the designs
def _problem(distributions: Mapping[str, Distribution]) -> dict[str, Any]:
    names = list(distributions)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _to_parameters(unit: np.ndarray, distributions: Mapping[str, Distribution]) -> dict[str, np.ndarray]:
    clipped = np.clip(unit, EDGE, 1 - EDGE)
    return {name: dist.ppf(clipped[:, k]) for k, (name, dist) in enumerate(distributions.items())}


def _checked(y: Any, points: int) -> np.ndarray:
    y = np.asarray(y, dtype=float).reshape(-1)
    if y.shape[0] != points or not np.all(np.isfinite(y)):
        raise InputError("the model must return one finite number per design point")
    return y


def _sobol_design(problem: Mapping[str, Any], n: int, seed: int) -> np.ndarray:
    from SALib.sample import sobol as sample

    return sample.sample(problem, n, calc_second_order=False, seed=seed)


def _morris_design(problem: Mapping[str, Any], trajectories: int, seed: int) -> np.ndarray:
    from SALib.sample import morris as sample

    return sample.sample(problem, trajectories, num_levels=MORRIS_LEVELS, seed=seed)


def _sobol_from(problem: Mapping[str, Any], y: np.ndarray, seed: int) -> list[Index]:
    """First-order and total indices of the values ``y`` of a Saltelli design (all zero for a constant)."""
    from SALib.analyze import sobol as analyze

    if np.var(y) == 0:
        return [Index(name, 0.0, 0.0, 0.0, 0.0) for name in problem["names"]]
    # a Generator, not the int: SALib reads the int 0 as "no seed" and its bootstrap intervals would vary
    found = analyze.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=np.random.default_rng(seed))
    return [
        Index(
            name,
            first=float(found["S1"][k]),
            first_conf=float(found["S1_conf"][k]),
            total=float(found["ST"][k]),
            total_conf=float(found["ST_conf"][k]),
        )
        for k, name in enumerate(problem["names"])
    ]


def _morris_from(problem: Mapping[str, Any], unit: np.ndarray, y: np.ndarray, seed: int) -> list[Index]:
    from SALib.analyze import morris as analyze

    found = analyze.analyze(problem, unit, y, conf_level=0.95, num_levels=MORRIS_LEVELS, seed=seed)
    return [
        Index(
            name,
            mu_star=float(found["mu_star"][k]),
            mu_star_conf=float(found["mu_star_conf"][k]),
            sigma=float(found["sigma"][k]),
        )
        for k, name in enumerate(problem["names"])
    ]


def sobol_indices(
    model: Model, distributions: Mapping[str, Distribution], *, n: int = DEFAULT_SOBOL_N, seed: int = 0
) -> tuple[list[Index], np.ndarray]:
    """First-order and total Sobol indices of ``model`` (a function of parameter arrays) over
    ``distributions``, with 95% bootstrap confidence half-widths; and the model's values at the
    design's base points (``n`` of them)."""
    problem = _problem(distributions)
    unit = _sobol_design(problem, n, seed)
    y = _checked(model(_to_parameters(unit, distributions)), unit.shape[0])
    return _sobol_from(problem, y, seed), y[:: problem["num_vars"] + 2]


def morris_screening(
    model: Model,
    distributions: Mapping[str, Distribution],
    *,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 0,
) -> list[Index]:
    """Morris elementary effects (``mu_star`` with a 95% half-width, ``sigma``) of ``model``."""
    problem = _problem(distributions)
    unit = _morris_design(problem, trajectories, seed)
    return _morris_from(problem, unit, _checked(model(_to_parameters(unit, distributions)), unit.shape[0]), seed)


def indices_of_outputs(
    outputs: Outputs,
    distributions: Mapping[str, Distribution],
    *,
    n: int = DEFAULT_SOBOL_N,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 0,
) -> dict[str, tuple[list[Index], float, bool]]:
    """Sobol and Morris indices of every quantity ``outputs`` returns, from one Saltelli and one
    Morris design: per name, (indices ranked by total index then ``mu_star``, mean over the base
    draws, whether the quantity is constant there)."""
    problem = _problem(distributions)
    sobol_unit = _sobol_design(problem, n, seed)
    morris_unit = _morris_design(problem, trajectories, seed)
    ys = outputs(_to_parameters(sobol_unit, distributions))
    ym = outputs(_to_parameters(morris_unit, distributions))
    found = {}
    for name, y in ys.items():
        y = _checked(y, sobol_unit.shape[0])
        sobol = _sobol_from(problem, y, seed)
        morris = {
            i.parameter: i for i in _morris_from(problem, morris_unit, _checked(ym[name], len(morris_unit)), seed)
        }
        merged = [
            Index(s.parameter, s.first, s.first_conf, s.total, s.total_conf, *_morris_part(morris[s.parameter]))
            for s in sobol
        ]
        merged.sort(key=lambda i: (-(i.total or 0.0), -(i.mu_star or 0.0), i.parameter))
        base = y[:: problem["num_vars"] + 2]
        found[name] = (merged, float(np.mean(base)), bool(np.var(base) == 0))
    return found


def _morris_part(index: Index) -> tuple[float | None, float | None, float | None]:
    return index.mu_star, index.mu_star_conf, index.sigma


# ------------------------------------------------------------ the draws
@dataclass(frozen=True)
class Setting:
    """The drawn parameters (with their distributions), the fixed ones, and every parameter's base value."""

    drawn: Mapping[str, Distribution]
    fixed: Mapping[str, Any]
    values: Mapping[str, Any]


def setting_for(
    scenario: Scenario,
    parameters: Sequence[str] | None,
    distributions: Mapping[str, Mapping[str, Any] | str] | None,
    base: Mapping[str, object] | None,
    preset: str | None,
) -> Setting:
    """Which parameters are drawn (``parameters`` limits them; the rest keep their values)."""
    drawn, fixed = resolve_distributions(scenario, distributions, base=base, preset=preset)
    values = base_values_quiet(scenario, dict(base or {}), preset)
    if parameters:
        for name in parameters:
            if name not in drawn:
                raise InputError(
                    f"{name!r} is not drawn (unknown, unused by the payoffs, fixed, or without a range)",
                    file=scenario.file,
                )
        fixed = {**fixed, **{k: values[k] for k in drawn if k not in parameters}}
        drawn = {k: drawn[k] for k in parameters}
    if not drawn:
        raise InputError("no parameter is drawn: give parameters with ranges or distributions", file=scenario.file)
    return Setting(drawn, fixed, values)


def _fixed_values(scenario: Scenario, setting: Setting) -> dict[str, Any]:
    return {k: v for k, v in setting.fixed.items() if k in scenario.parameters}


def _result(
    scenario: Scenario,
    setting: Setting,
    name: str,
    found: tuple[list[Index], float, bool],
    *,
    n: int,
    trajectories: int,
    seed: int,
    kind: str,
    notes: Sequence[str] = (),
    **extra: Any,
) -> Drivers:
    indices, mean, constant = found
    d = len(setting.drawn)
    notes = list(notes)
    if constant:
        notes.append("it is the same at every draw: no parameter drives it over these distributions")
    return Drivers(
        outcome=name,
        file=scenario.file,
        indices=tuple(indices),
        probability=mean,
        evaluations=n * (d + 2) + trajectories * (d + 1),
        seed=seed,
        sobol_n=n,
        trajectories=trajectories,
        distributions=setting.drawn,
        fixed=setting.fixed,
        notes=tuple(dict.fromkeys(notes)),
        kind=kind,
        names=scenario.equilibrium_names,
        **extra,
    )


# --------------------------------------------------------------- outcomes
def outcome_model(scenario: Scenario, outcome: Outcome, setting: Setting) -> Outputs:
    """The outcome as a 0/1 function of parameter arrays, through :func:`holds_on_draws` (regime labels
    from the closed forms; a probability bound read from the families' closed-form probabilities)."""
    fixed = _fixed_values(scenario, setting)
    fs = analyse(scenario, tuple(setting.drawn), setting.values) if outcome.at_least is not None else None

    def model(values: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        holds, _notes = holds_on_draws(scenario, outcome, values, fixed, fs, fs.symbols if fs else {})
        return {outcome.text: holds.astype(float)}

    return model


def explain(
    scenario: Scenario,
    make_model: Callable[[Setting], Outputs],
    quantities: Sequence[tuple[str, str, Mapping[str, Any]]],
    kind: str,
    *,
    parameters: Sequence[str] | None = None,
    distributions: Mapping[str, Mapping[str, Any] | str] | None = None,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    n: int = DEFAULT_SOBOL_N,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 0,
    notes: Sequence[str] = (),
) -> tuple[Drivers, ...]:
    """Sobol and Morris indices of the quantities ``make_model(setting)`` computes, over the scenario's
    declared distributions, from one pair of designs; one :class:`Drivers` per ``(output name, name
    for people, extra fields)`` of ``quantities``.

    ``parameters`` limits the drawn parameters (the rest are held at their values: defaults,
    ``preset``, ``base``); ``distributions`` overrides the file's (as in ``montecarlo --dist``);
    ``n`` is the Saltelli base sample, ``trajectories`` Morris's, ``seed`` both designs'.
    """
    setting = setting_for(scenario, parameters, distributions, base, preset)
    found = indices_of_outputs(make_model(setting), setting.drawn, n=n, trajectories=trajectories, seed=seed)
    return tuple(
        _result(
            scenario,
            setting,
            name,
            found[key],
            n=n,
            trajectories=trajectories,
            seed=seed,
            kind=kind,
            notes=notes,
            **extra,
        )
        for key, name, extra in quantities
    )


def drivers(scenario: Scenario, outcome: str | Outcome, **options: Any) -> Drivers:
    """Sobol and Morris indices of ``outcome`` (its 0/1 indicator); ``options`` as :func:`explain`'s."""
    parsed = outcome if isinstance(outcome, Outcome) else parse_outcome(scenario, outcome)
    (found,) = explain(
        scenario,
        lambda setting: outcome_model(scenario, parsed, setting),
        [(parsed.text, parsed.text, {})],
        "outcome",
        **options,
    )
    return found


# ---------------------------------------------------------------- regimes
def regime_model(scenario: Scenario, labels: Sequence[str], setting: Setting) -> Outputs:
    """The indicator of each regime label (an equilibrium set), from one classification of the draws."""
    fixed = _fixed_values(scenario, setting)
    method = solver_method(scenario)

    def model(values: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        regimes = classify_points(scenario, values, base=fixed, method=method)
        codes = regimes.codes.reshape(-1)
        return {
            label: (codes == regimes.regimes.index(label)).astype(float) if label in regimes.regimes else 0.0 * codes
            for label in labels
        }

    return model


def regime_drivers(scenario: Scenario, labels: Sequence[str], **options: Any) -> tuple[Drivers, ...]:
    """Which parameters make each regime (``labels``, e.g. a Monte Carlo run's) likely: Sobol and
    Morris indices of each regime's indicator; ``options`` as :func:`explain`'s."""
    return explain(
        scenario,
        lambda setting: regime_model(scenario, labels, setting),
        [(label, label, {}) for label in labels],
        "regime",
        **options,
    )


#: ``montecarlo --drivers`` explains at most this many regimes (the most frequent).
MAX_REGIMES = 5


def montecarlo_drivers(
    scenario: Scenario, result: MonteCarloResult, outcome: str | None = None, **options: Any
) -> tuple[Drivers, ...]:
    """Which parameters make a Monte Carlo run's outcomes likely: the drivers of ``outcome`` if given,
    else of each regime the run saw that is neither certain nor absent (the :data:`MAX_REGIMES` most
    frequent; of one when the run saw two, as the other's indicator is its complement, with the same
    indices), with the run's seed; ``options`` as :func:`explain`'s (the run's distributions, ``base``
    and ``preset``)."""
    if outcome is not None:
        return (drivers(scenario, outcome, seed=result.seed, **options),)
    labels = [r.label for r in result.regimes if 0 < r.share < 1][: 1 if len(result.regimes) == 2 else MAX_REGIMES]
    return regime_drivers(scenario, labels, seed=result.seed, **options) if labels else ()


# ---------------------------------------------------------------- payoffs
def select_payoffs(payoffs: np.ndarray, rule: str) -> np.ndarray:
    """Every player's payoff in the equilibrium ``rule`` picks, at every point.

    ``payoffs`` has shape (players, equilibria, points), NaN where an equilibrium does not exist at a
    point. ``worst`` and ``best`` pick per player (its lowest or highest equilibrium payoff);
    ``payoff-dominant`` picks the equilibrium at least as good as every other for every player, NaN
    where there is none. Points without any equilibrium are NaN.
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN points give NaN, as they should
        if rule == "worst":
            return np.nanmin(payoffs, axis=1)
        if rule == "best":
            return np.nanmax(payoffs, axis=1)
        top = np.nanmax(payoffs, axis=1)  # (players, points)
    tol = PAYOFF_TOLERANCE * max(1.0, float(np.nanmax(np.abs(payoffs), initial=0.0)))
    dominant = np.all(payoffs >= top[:, None, :] - tol, axis=0)  # (equilibria, points): NaN compares False
    found = dominant.any(axis=0)
    first = np.argmax(dominant, axis=0)
    chosen = np.take_along_axis(payoffs, np.broadcast_to(first, (payoffs.shape[0], 1, first.size)), axis=1)[:, 0, :]
    chosen[:, ~found] = np.nan
    return chosen


def _exact_payoffs(scenario: Scenario, point: Mapping[str, Any], method: str) -> np.ndarray:
    """(players, equilibria) payoffs of the certified equilibria at one point, by the exact solver."""
    game = scenario.game_at(scenario.with_derived(point))
    equilibria = solve(game, method).equilibria
    return np.array([[float(eq.payoffs[i]) for eq in equilibria] for i in range(len(scenario.player_names))])


def spe_payoff_model(scenario: Scenario, setting: Setting) -> Outputs:
    """Every player's payoff in the subgame-perfect equilibrium of a perfect-information tree, by
    vectorised backward induction; tie points solved exactly (the player's lowest there)."""
    tree = scenario.extensive
    if tree is None or not tree.perfect_information:
        raise InputError("--select subgame-perfect needs a game tree with perfect information", file=scenario.file)
    names = tuple(setting.drawn)
    fixed = {**setting.values, **_fixed_values(scenario, setting)}
    players = scenario.player_names

    def model(values: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        payoffs, tie = subgame_perfect_payoffs(scenario, values, base=_fixed_values(scenario, setting))
        if tie.sum() > MAX_EXACT_DRAWS:
            raise InputError(f"{int(tie.sum())} draws are ties of backward induction; payoff drivers cannot answer")
        for k in np.flatnonzero(tie):
            point = scenario.with_derived({**fixed, **exact_point({n: float(values[n][k]) for n in names})})
            found = np.array(
                [[float(eq.payoffs[i]) for eq in subgame_perfect(tree.evaluate(point))[0]] for i in range(len(players))]
            )
            payoffs[:, k] = select_payoffs(found[:, :, None], "worst")[:, 0]
        return {p: payoffs[i] for i, p in enumerate(players)}

    return model


def payoff_model(scenario: Scenario, setting: Setting, rule: str) -> Outputs:
    """Every player's selected equilibrium payoff as a function of parameter arrays, from the closed
    forms (:meth:`RegimeEngine.values`); draws where no closed-form family holds (regime boundaries,
    measure zero) are solved exactly, up to :data:`MAX_EXACT_DRAWS` of them."""
    if rule == "subgame-perfect":
        return spe_payoff_model(scenario, setting)
    names = tuple(setting.drawn)
    engine = engine_for(scenario, names, {**setting.values, **setting.fixed})
    if not engine.supported:
        hint = "; for a game tree, --select subgame-perfect" if scenario.extensive is not None else ""
        raise InputError(
            f"payoff drivers need the equilibria in closed form: {engine.reason}{hint}", file=scenario.file
        )
    players = scenario.player_names
    families = [engine.family_name(f) for f in range(len(engine.families))]
    fixed = {**setting.values, **_fixed_values(scenario, setting)}
    method = solver_method(scenario)

    def model(values: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        columns = engine.values(values)
        if families and f"{families[0]}:payoff:{players[0]}" not in columns:
            raise InputError("the closed forms carry no payoffs for this scenario", file=scenario.file)
        size = len(next(iter(values.values())))
        payoffs = np.array([[columns[f"{fam}:payoff:{p}"] for fam in families] for p in players]).reshape(
            len(players), len(families), size
        )
        chosen = select_payoffs(payoffs, rule)
        missing = np.flatnonzero(np.all(np.isnan(payoffs), axis=(0, 1)))
        if len(missing) > MAX_EXACT_DRAWS:
            raise InputError(f"{len(missing)} draws have no closed-form equilibrium; payoff drivers cannot answer")
        for k in missing:
            point = {**fixed, **exact_point({n: float(values[n][k]) for n in names})}
            chosen[:, k] = select_payoffs(_exact_payoffs(scenario, point, method)[:, :, None], rule)[:, 0]
        if np.isnan(chosen).any():
            share = float(np.isnan(chosen).any(axis=0).mean())
            raise InputError(
                f"no equilibrium is {rule} at {share:.1%} of the draws, so its payoff is undefined there: "
                "use --select worst or best"
            )
        return {p: chosen[i] for i, p in enumerate(players)}

    return model


def payoff_drivers(
    scenario: Scenario, players: Sequence[str], *, select: str = "worst", **options: Any
) -> tuple[Drivers, ...]:
    """Sobol and Morris indices of each player's equilibrium payoff (``players``; the equilibrium
    picked by ``select``, one of :data:`SELECTIONS`); ``options`` as :func:`explain`'s."""
    if select not in SELECTIONS:
        raise InputError(f"unknown selection rule {select!r}: use {', '.join(SELECTIONS)}")
    for player in players:
        if player not in scenario.player_names:
            raise InputError(f"unknown player {player!r}; players are {', '.join(scenario.player_names)}")
    notes = []
    if solver_method(scenario) == "pure" and select != "subgame-perfect":
        notes.append("a tree with three or more players: the closed forms include its mixed equilibria")
    return explain(
        scenario,
        lambda setting: payoff_model(scenario, setting, select),
        [(p, f"{p}'s payoff", {"selection": select, "player": p}) for p in players],
        "payoff",
        notes=notes,
        **options,
    )
