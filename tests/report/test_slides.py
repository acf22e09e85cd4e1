"""Pictures for slides: threshold labels outside the data, a marker at the values used, markers never
clipped, --size and --dpi (issue #16, defect 5)."""

from __future__ import annotations

import struct

import pytest

import gametheory as gt
from gametheory.errors import InputError
from gametheory.report import plots
from gametheory.sensitivity.profile import parameter_profile
from gametheory.sensitivity.sweep import sweep
from gametheory.sensitivity.tornado import tornado
from tests.support import GAMES

CHICKEN = GAMES / "classics" / "chicken.json"


@pytest.fixture(scope="module")
def chicken():
    return gt.load(CHICKEN)


def test_threshold_labels_sit_above_the_data(chicken):
    """Chicken: the mixed equilibrium (hawk with probability v/c) exists only while v < c = 6."""
    profile = parameter_profile(chicken, "v", points=21)
    assert [t.value for t in profile.thresholds] == [6]
    fig = plots.plot_parameter(profile)
    assert not any(ax.texts for ax in fig.axes)  # no label drawn inside an axes, over the curves
    tops = [child for ax in fig.axes for child in ax.child_axes]  # the secondary x axes above the top row
    assert tops and all("6" in [label.get_text() for label in top.get_xticklabels()] for top in tops)


def test_regime_map_marks_the_values_used(chicken):
    result = sweep(chicken, {"v": ("1", "10", 4), "c": ("2", "10", 4)})
    fig = plots.plot_regime_map(result, baseline=(4.0, 6.0))
    [ax] = [a for a in fig.axes if a.get_xlabel() == "v"]
    stars = [line for line in ax.lines if line.get_marker() == "*"]
    assert len(stars) == 1 and tuple(stars[0].get_xydata()[0]) == (4.0, 6.0)


def test_payoff_end_markers_are_inside_the_axes(chicken):
    result = tornado(chicken, payoff_player="Player 1", parameters=["v"], points=3)
    fig = plots.plot_tornado(result)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    bar = result.bar("v")
    assert low < min(bar.payoff_min, bar.best_min) and high > max(bar.payoff_max, bar.best_max)


def test_size_and_dpi(chicken, tmp_path):
    fig = plots.plot_parameter(parameter_profile(chicken, "v", points=5))
    path = tmp_path / "slide.png"
    with plots.figure_options(size=(4, 3), dpi=50):
        plots.save_figure(fig, path)
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the PNG header's IHDR chunk
    assert (width, height) == (200, 150)
    with pytest.raises(InputError, match="dpi"), plots.figure_options(dpi=5):
        pass


def test_cli_size_and_dpi(tmp_path):
    from click.testing import CliRunner

    from gametheory.cli import app

    path = tmp_path / "d.png"
    args = ["dynamics", str(GAMES / "classics" / "matching_pennies.json"), "--method", "replicator"]
    result = CliRunner().invoke(app, [*args, "--plot", str(path), "--size", "6x4", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    assert struct.unpack(">II", path.read_bytes()[16:24]) == (300, 200)
    bad = CliRunner().invoke(app, [*args, "--plot", str(path), "--size", "big"])
    assert bad.exit_code == 2 and "--size expects WIDTHxHEIGHT" in bad.output
