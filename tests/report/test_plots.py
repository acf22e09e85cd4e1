"""Plots (:mod:`gametheory.report.plots`): valid PNG/SVG files, written atomically, built from
results; the data of the one- and two-parameter plots (:mod:`gametheory.sensitivity.profile`)
checked against answers derived by hand."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InputError
from gametheory.report import plots
from gametheory.sensitivity import profile as data
from gametheory.sensitivity.montecarlo import monte_carlo
from gametheory.sensitivity.sweep import sweep
from gametheory.sensitivity.tornado import tornado
from tests.support import ROOT

PNG = b"\x89PNG\r\n\x1a\n"

# Row plays a iff x > t; Col always plays l (see test_montecarlo.py).
THRESHOLD = {
    "title": "One threshold",
    "players": [{"name": "Row", "strategies": ["a", "b"]}, {"name": "Col", "strategies": ["l", "r"]}],
    "parameters": {"x": {"default": 0.5, "range": [0, 1]}, "t": {"default": 0.3, "range": [0, 1]}},
    "matrix": [[["x", 1], ["x", 0]], [["t", 1], ["t", 0]]],
}


@pytest.fixture
def threshold(tmp_path):
    path = tmp_path / "threshold.json"
    path.write_text(json.dumps(THRESHOLD), encoding="utf-8")
    return gt.load(path)


def assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG
    assert not list(path.parent.glob(f".{path.name}.tmp*"))


def assert_svg(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")


def test_montecarlo_plot_png_and_svg(threshold, tmp_path):
    result = monte_carlo(threshold, 200, 1)
    fig = plots.plot_montecarlo(result, tmp_path / "mc.png")
    assert_png(tmp_path / "mc.png")
    plots.plot_montecarlo(result, tmp_path / "mc.svg")
    assert_svg(tmp_path / "mc.svg")
    # the bars are the regime shares, in the result's order
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert bars == pytest.approx([r.share for r in result.regimes])
    # beyond the ``top`` most frequent regimes, one "other" bar sums the rest
    fig = plots.plot_montecarlo(result, top=1)
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert bars == pytest.approx([r.share for r in result.regimes])
    assert fig.axes[0].get_yticklabels()[-1].get_text() == "other (1 regimes)"


def test_tornado_plot_with_and_without_payoff(tmp_path):
    scenario = gt.load(ROOT / "games" / "classics" / "stag_hunt.json")
    with_payoff = tornado(scenario, payoff_player="Hunter 1", points=5)
    plots.plot_tornado(with_payoff, tmp_path / "t.png")
    assert_png(tmp_path / "t.png")
    plots.plot_tornado(tornado(scenario, points=5), tmp_path / "t.svg")
    assert_svg(tmp_path / "t.svg")


def test_parameter_profile_threshold_is_exact(threshold, tmp_path):
    profile = data.parameter_profile(threshold, "x", points=101)
    assert profile.how == "symbolic"
    assert [t.text for t in profile.thresholds] == ["x = 3/10"]
    assert profile.thresholds[0].value == pytest.approx(0.3)
    traces = {t.label: t for t in profile.families}
    assert set(traces) == {"pure(a,l)", "pure(b,l)"}
    above = profile.values > 0.3
    assert np.all(traces["pure(a,l)"].probabilities[0][0][above] == 1)
    assert np.all(np.isnan(traces["pure(a,l)"].probabilities[0][0][profile.values < 0.3]))
    plots.plot_parameter(profile, tmp_path / "p.png")
    assert_png(tmp_path / "p.png")


def test_parameter_profile_stag_hunt_mixed_probability_is_hare_over_stag(tmp_path):
    """Hand solution (the scenario's description): each hunter hunts stag with probability hare/stag."""
    scenario = gt.load(ROOT / "games" / "classics" / "stag_hunt.json")
    profile = data.parameter_profile(scenario, "hare", low=1, high=3, points=21)
    [mixed] = [t for t in profile.families if t.label.startswith("mixed")]
    np.testing.assert_allclose(mixed.probabilities[0][0], profile.values / 4, rtol=1e-12)
    np.testing.assert_allclose(mixed.payoffs[0], profile.values, rtol=1e-12)  # indifferent: worth a hare
    assert profile.thresholds == ()
    plots.plot_parameter(profile, tmp_path / "p.svg")
    assert_svg(tmp_path / "p.svg")


def test_parameter_profile_marks_given_thresholds():
    """SCENARIOS.md G1: the pure deterrence equilibrium appears at m_us = c_us (= 2 at the defaults)."""
    from gametheory.sensitivity.thresholds import thresholds

    scenario = gt.load(ROOT / "games" / "deterrence.json")
    found = thresholds(scenario, "m_us", symbolic=False)
    profile = data.parameter_profile(scenario, "m_us", points=41, thresholds=found)
    assert "m_us = 2" in [t.text for t in profile.thresholds]
    mine = data.parameter_profile(scenario, "m_us", points=41)
    assert [t.value for t in mine.thresholds] == pytest.approx([t.value for t in profile.thresholds])


def test_parameter_profile_falls_back_to_the_solver(threshold, monkeypatch):
    monkeypatch.setattr(data, "_symbolic_traces", lambda *args: None)
    profile = data.parameter_profile(threshold, "x", points=21)
    assert profile.how == "solver"
    [t] = profile.thresholds  # the grid point x = 3/10 is a degenerate game: the threshold, exactly
    assert t.exact and t.text == "x = 3/10"
    profile = data.parameter_profile(threshold, "x", points=20)
    [t] = profile.thresholds  # no grid point on it: located between two grid points
    assert not t.exact and abs(t.value - 0.3) <= 1 / 38


def test_regime_map_draws_the_exact_boundary_x_equals_t(threshold, tmp_path):
    result = sweep(threshold, {"x": (0, 1, 21), "t": (0, 1, 21)})
    curves = data.boundary_curves(threshold, result, 101)
    texts = [curve.equation for curve in curves]
    assert texts in (["t = x"], ["x = t"]), texts
    points = np.concatenate(curves[0].segments)
    assert np.max(np.abs(points[:, 0] - points[:, 1])) < 1e-9
    plots.plot_regime_map(result, tmp_path / "map.png", curves=data.boundary_curves(threshold, result))
    assert_png(tmp_path / "map.png")
    plots.plot_regime_map(result, tmp_path / "map.svg")
    assert_svg(tmp_path / "map.svg")


def test_regime_map_needs_two_parameters(threshold):
    result = sweep(threshold, {"x": (0, 1, 5)})
    with pytest.raises(InputError, match="exactly 2 parameters"):
        plots.plot_regime_map(result, None)
    with pytest.raises(InputError, match="exactly 2 parameters"):
        data.boundary_curves(threshold, result)


def test_bad_extension_and_unwritable_target(threshold, tmp_path):
    result = monte_carlo(threshold, 20, 1)
    with pytest.raises(InputError, match=r"\.png or \.svg"):
        plots.plot_montecarlo(result, tmp_path / "mc.pdf")
    with pytest.raises(InputError, match="cannot write"):
        plots.plot_montecarlo(result, tmp_path / "no" / "such" / "dir.png")


@pytest.mark.slow
def test_g6_regime_map_boundary_is_mu_star(tmp_path):
    """SCENARIOS.md G6: Europe deploys against (T, A) iff mu_res < mu*(pi_us) =
    (v_e - c_e*(1 - s_us*pi_us))/(v_e + k_e*(1 - r_us*pi_us)) = (4 + 3 pi)/(22 - 6 pi) at the defaults,
    and the opportunist is deterred iff pi_us > 1/4."""
    scenario = gt.load(ROOT / "games" / "uncertain_resolve.json")
    result = sweep(scenario, {"pi_us": (0, 1, 21), "mu_res": (0, 1, 21)})
    curves = {curve.equation: curve.segments for curve in data.boundary_curves(scenario, result, 201)}
    mu_star = [segs for text, segs in curves.items() if text.startswith("mu_res =") and "pi_us" in text]
    assert mu_star, list(curves)
    pts = np.concatenate(mu_star[0])
    expected = (4 + 3 * pts[:, 0]) / (22 - 6 * pts[:, 0])
    assert np.max(np.abs(pts[:, 1] - expected)) < 1e-6
    assert pts[:, 0].min() == pytest.approx(0.25, abs=0.01)
    assert "pi_us = 1/4" in curves
    plots.plot_regime_map(result, tmp_path / "g6.png", curves=data.boundary_curves(scenario, result))
    assert_png(tmp_path / "g6.png")
