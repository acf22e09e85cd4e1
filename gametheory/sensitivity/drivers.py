"""What drives an outcome: variance-based Sobol indices and Morris screening, computed with SALib.

The question is "which parameters make this outcome likely?". Over the
distributions a scenario declares (:func:`~gametheory.sensitivity.montecarlo.resolve_distributions`:
uniform over the range by default), the outcome is a function of the drawn
parameters that is 1 where it holds and 0 where not; its mean is the
outcome's probability and its variance splits by parameter:

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
distribution works. The outcome at every design point comes from
:func:`~gametheory.sensitivity.sweep.classify_points` (the vectorised closed
forms), so 10^5 evaluations cost seconds. :func:`sobol_indices` and
:func:`morris_screening` take any vectorised model, which is how the test
checks the path against the Ishigami function's analytic indices. Estimation
is SALib's, not ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..scenario import Scenario
from .montecarlo import Distribution, resolve_distributions
from .outcomes import Outcome, label_families, parse_outcome
from .region import solver_method
from .sweep import classify_points

__all__ = ["DEFAULT_SOBOL_N", "Drivers", "Index", "drivers", "morris_screening", "sobol_indices"]

Model = Callable[[Mapping[str, np.ndarray]], np.ndarray]

#: Base sample size of the Saltelli design (a power of two; SALib warns otherwise).
DEFAULT_SOBOL_N = 1024
#: Trajectories and grid levels of the Morris design.
DEFAULT_TRAJECTORIES = 50
MORRIS_LEVELS = 4
#: Uniforms are kept this far inside (0, 1) so that unbounded distributions give finite draws.
EDGE = 1e-12


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
    """The drivers of an outcome: ``indices`` ranked by total Sobol index (or Morris ``mu_star``),
    ``probability`` the outcome's share of the Sobol design's base draws, and how the run was made."""

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

    def ranking(self) -> tuple[str, ...]:
        return tuple(i.parameter for i in self.indices)


# ------------------------------------------------------------- the designs
def _problem(distributions: Mapping[str, Distribution]) -> dict[str, Any]:
    names = list(distributions)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _to_parameters(unit: np.ndarray, distributions: Mapping[str, Distribution]) -> dict[str, np.ndarray]:
    clipped = np.clip(unit, EDGE, 1 - EDGE)
    return {name: dist.ppf(clipped[:, k]) for k, (name, dist) in enumerate(distributions.items())}


def _evaluate(model: Model, unit: np.ndarray, distributions: Mapping[str, Distribution]) -> np.ndarray:
    y = np.asarray(model(_to_parameters(unit, distributions)), dtype=float).reshape(-1)
    if y.shape[0] != unit.shape[0] or not np.all(np.isfinite(y)):
        raise InputError("the model must return one finite number per design point")
    return y


def sobol_indices(
    model: Model, distributions: Mapping[str, Distribution], *, n: int = DEFAULT_SOBOL_N, seed: int = 0
) -> tuple[list[Index], np.ndarray]:
    """First-order and total Sobol indices of ``model`` (a function of parameter arrays) over
    ``distributions``, with 95% bootstrap confidence half-widths; and the model's values at the
    design's base points (``n`` of them)."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = _problem(distributions)
    unit = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = _evaluate(model, unit, distributions)
    if np.var(y) == 0:
        zero = [Index(name, 0.0, 0.0, 0.0, 0.0) for name in problem["names"]]
        return zero, y[:: problem["num_vars"] + 2]
    found = analyze.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
    out = [
        Index(
            name,
            first=float(found["S1"][k]),
            first_conf=float(found["S1_conf"][k]),
            total=float(found["ST"][k]),
            total_conf=float(found["ST_conf"][k]),
        )
        for k, name in enumerate(problem["names"])
    ]
    return out, y[:: problem["num_vars"] + 2]


def morris_screening(
    model: Model,
    distributions: Mapping[str, Distribution],
    *,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 0,
) -> list[Index]:
    """Morris elementary effects (``mu_star`` with a 95% half-width, ``sigma``) of ``model``."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(distributions)
    unit = sample.sample(problem, trajectories, num_levels=MORRIS_LEVELS, seed=seed)
    y = _evaluate(model, unit, distributions)
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


# --------------------------------------------------------------- the model
def outcome_model(scenario: Scenario, outcome: Outcome, fixed: Mapping[str, Any]) -> Model:
    """The outcome as a 0/1 function of parameter arrays, through :func:`classify_points`.

    Regime labels name each point's equilibrium families and supports; outcomes that bound a
    probability need the equilibria's numbers and are refused here.
    """
    if outcome.at_least is not None:
        raise InputError("drivers takes outcomes without a probability bound (e.g. Europe=deploy)")
    strategies = scenario.strategies
    base = {k: v for k, v in fixed.items() if k in scenario.parameters}
    method = solver_method(scenario)

    def model(values: Mapping[str, np.ndarray]) -> np.ndarray:
        regimes = classify_points(scenario, values, base=base, method=method)
        verdicts = np.array(
            [
                label not in ("unknown", "boundary")
                and outcome.holds([(n, s, None) for n, s in label_families(label, strategies)])
                for label in regimes.regimes
            ],
            dtype=float,
        )
        return verdicts[regimes.codes.reshape(-1)]

    return model


def drivers(
    scenario: Scenario,
    outcome: str | Outcome,
    *,
    parameters: Sequence[str] | None = None,
    distributions: Mapping[str, Mapping[str, Any] | str] | None = None,
    base: Mapping[str, object] | None = None,
    preset: str | None = None,
    n: int = DEFAULT_SOBOL_N,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 0,
) -> Drivers:
    """Sobol and Morris indices of ``outcome`` over the scenario's declared distributions.

    ``parameters`` limits the drawn parameters (the rest are held at their values: defaults,
    ``preset``, ``base``); ``distributions`` overrides the file's (as in ``montecarlo --dist``).
    """
    parsed = outcome if isinstance(outcome, Outcome) else parse_outcome(scenario, outcome)
    drawn, fixed = resolve_distributions(scenario, distributions, base=base, preset=preset)
    if parameters:
        for name in parameters:
            if name not in drawn:
                raise InputError(
                    f"{name!r} is not drawn (unknown, unused by the payoffs, fixed, or without a range)",
                    file=scenario.file,
                )
        values = scenario.parameter_values(dict(base or {}), preset=preset)
        fixed = {**fixed, **{k: values[k] for k in drawn if k not in parameters}}
        drawn = {k: drawn[k] for k in parameters}
    if not drawn:
        raise InputError("no parameter is drawn: give parameters with ranges or distributions", file=scenario.file)
    model = outcome_model(scenario, parsed, fixed)
    sobol, base_values = sobol_indices(model, drawn, n=n, seed=seed)
    morris = {i.parameter: i for i in morris_screening(model, drawn, trajectories=trajectories, seed=seed)}
    merged = [
        Index(
            s.parameter,
            s.first,
            s.first_conf,
            s.total,
            s.total_conf,
            morris[s.parameter].mu_star,
            morris[s.parameter].mu_star_conf,
            morris[s.parameter].sigma,
        )
        for s in sobol
    ]
    merged.sort(key=lambda i: (-(i.total or 0.0), -(i.mu_star or 0.0), i.parameter))
    d = len(drawn)
    notes = []
    if np.var(base_values) == 0:
        notes.append("the outcome is the same at every draw: no parameter drives it over these distributions")
    return Drivers(
        outcome=parsed.text,
        file=scenario.file,
        indices=tuple(merged),
        probability=float(np.mean(base_values)),
        evaluations=n * (d + 2) + trajectories * (d + 1),
        seed=seed,
        sobol_n=n,
        trajectories=trajectories,
        distributions=drawn,
        fixed=fixed,
        notes=tuple(notes),
    )
