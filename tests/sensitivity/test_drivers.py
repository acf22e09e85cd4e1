"""Tests of what drives an outcome (gametheory.sensitivity.drivers, report.drivers, ``gametheory drivers``).

The Sobol path is checked on the Ishigami function (Ishigami and Homma 1990),
whose indices are known in closed form: with a = 7, b = 0.1 and x_i uniform
on [-pi, pi], V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V_1 = (1 + b pi^4/5)^2/2,
V_2 = a^2/8, V_3 = 0 and V_13 = b^2 pi^8 (1/18 - 1/50); so S1 = V_i/V and
ST_1 = (V_1 + V_13)/V, ST_2 = S_2, ST_3 = V_13/V.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from gametheory.cli import app
from gametheory.formats import load
from gametheory.report.drivers import plot_drivers, render_drivers
from gametheory.sensitivity.drivers import drivers, morris_screening, sobol_indices
from gametheory.sensitivity.montecarlo import Distribution
from tests.support import GAMES

A, B = 7.0, 0.1
PI = math.pi
V = A**2 / 8 + B * PI**4 / 5 + B**2 * PI**8 / 18 + 0.5
V1, V2, V13 = (1 + B * PI**4 / 5) ** 2 / 2, A**2 / 8, B**2 * PI**8 * (1 / 18 - 1 / 50)
FIRST = {"x1": V1 / V, "x2": V2 / V, "x3": 0.0}
TOTAL = {"x1": (V1 + V13) / V, "x2": V2 / V, "x3": V13 / V}
UNIFORM = {name: Distribution("uniform", -PI, PI) for name in ("x1", "x2", "x3")}


def ishigami(values):
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def test_sobol_indices_of_ishigami_match_the_analytic_values():
    indices, _ = sobol_indices(ishigami, UNIFORM, n=2048, seed=7)
    for index in indices:
        name = index.parameter
        assert abs(index.first - FIRST[name]) < max(0.03, index.first_conf)
        assert abs(index.total - TOTAL[name]) < max(0.03, index.total_conf)


def test_morris_ranks_ishigami_like_the_total_indices():
    # mu* orders x1 (strong, interacting) and x2 above x3, whose effect is only through x1
    ranked = sorted(morris_screening(ishigami, UNIFORM, trajectories=100, seed=3), key=lambda i: -i.mu_star)
    assert ranked[-1].parameter == "x3"


@pytest.fixture(scope="module")
def g1():
    return load(str(GAMES / "deterrence.json"))


G1_DRAWN = ["x_r", "n_us", "c_us", "m_us", "h_us"]


@pytest.fixture(scope="module")
def g1_two_seeds(g1):
    return [drivers(g1, "Europe=deploy", parameters=G1_DRAWN, n=512, trajectories=20, seed=s) for s in (1, 2)]


def test_g1_ranking_is_stable_across_seeds(g1_two_seeds):
    first, second = g1_two_seeds
    assert set(first.ranking()[:2]) == set(second.ranking()[:2])
    by_name = [{i.parameter: i for i in run.indices} for run in g1_two_seeds]
    order = {name: k for k, name in enumerate(second.ranking())}
    separated = 0
    for a in first.indices:
        for b in first.indices:
            if a.total - a.total_conf > b.total + b.total_conf:  # clearly apart under the first seed
                separated += 1
                assert order[a.parameter] < order[b.parameter]
    assert separated >= 4
    # h_us enters only the US payoffs of cells where its choice is already decided: it drives nothing
    assert all(abs(run["h_us"].total) < 0.05 for run in by_name)


def test_report_and_chart(g1_two_seeds, tmp_path):
    result = g1_two_seeds[0]
    text = render_drivers(result)
    assert "rank  parameter" in text and result.ranking()[0] in text
    data = json.loads(render_drivers(result, "json"))
    assert data["ranking"] == list(result.ranking()) and 0 < data["probability"] < 1
    plot_drivers(result, tmp_path / "drivers.svg")
    assert (tmp_path / "drivers.svg").read_text().lstrip().startswith("<?xml")


def test_cli_refuses_a_probability_bound():
    result = CliRunner().invoke(
        app, ["drivers", str(GAMES / "deterrence.json"), "--outcome", "P(Europe=deploy)>=1/2", "--param", "x_r"]
    )
    assert result.exit_code == 2 and "without a probability bound" in result.output
