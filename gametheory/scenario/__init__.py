"""Scenarios: untrusted JSON in, a validated :class:`Scenario` out, and binding it to numbers.

* :mod:`.model`: the :class:`Scenario` (players, parameters, derived
  parameters, presets, payoff expressions) and binding parameter values to
  get a :class:`~gametheory.game.NormalFormGame`;
* :mod:`.normal`: reading scenario files (exact JSON, the shipped JSON Schema,
  every part a scenario has) and the payoffs of normal-form files;
* :mod:`.tree`: game trees (``"form": "tree"``);
* :mod:`.bayesian`: Bayesian games (``"form": "bayesian"``);
* :mod:`.common`: what the readers share (hints, located errors).

Every reading error is an :class:`~gametheory.errors.InputError` that names
the file and the JSON path.
"""

from __future__ import annotations

from .common import check_payoff_names
from .model import (
    Derived,
    Parameter,
    ParameterRangeWarning,
    Player,
    Preset,
    Scenario,
    coerce_number,
    scenario_values,
)
from .normal import MAX_FILE_BYTES, SCHEMA_FILE, load_scenario, parse_scenario, read_json, schema

__all__ = [
    "MAX_FILE_BYTES",
    "SCHEMA_FILE",
    "Derived",
    "Parameter",
    "ParameterRangeWarning",
    "Player",
    "Preset",
    "Scenario",
    "check_payoff_names",
    "coerce_number",
    "load_scenario",
    "parse_scenario",
    "read_json",
    "scenario_values",
    "schema",
]
