"""Streamed sweeps: chunked evaluation, Parquet and CSV tables, grids of 3 parameters, the closed-form cache."""

from __future__ import annotations

import csv
import importlib
import json
import re
import shutil
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.report.sweep_table import sidecar_path, write_table
from gametheory.sensitivity import classify_points, formcache, regime_label, sweep
from gametheory.sensitivity import engine as engine_module
from gametheory.sensitivity.engine import engine_for, load_function
from gametheory.sensitivity.sweep import SweepRun, base_values_quiet, make_grid, run_table, table_of
from tests.support import GAMES

pq = pytest.importorskip("pyarrow.parquet")

G1 = GAMES / "deterrence.json"
G3 = GAMES / "guarantee_menu.json"


def _solver_label(scenario, point):
    return regime_label(gt.solve(scenario.game_at(scenario.parameter_values(point))))


def test_streamed_chunks_equal_the_in_memory_sweep(g1):
    """Tiny chunks (7 points) cross grid rows: labels, counts and flags still match the one-chunk run."""
    vary = {"x_r": (0, 15, 16), "n_us": (2, 12, 11)}
    whole = sweep(g1, vary, resolve_boundary=False)
    run = SweepRun(g1, make_grid(g1, vary, 10**6), base_values_quiet(g1, None, None), resolve_boundary=False, chunk=7)
    parts = list(run)
    labels = np.concatenate([np.asarray(run.table.regimes, dtype=object)[p.codes] for p in parts])
    assert (labels == whole.regimes.labels.reshape(-1)).all()
    assert np.concatenate([p.boundary for p in parts]).sum() == whole.regimes.boundary.sum() == run.boundary
    assert run.share() == whole.regimes.share()


def test_three_parameter_grid_agrees_with_the_solver(g1, tmp_path):
    vary = {"x_r": (F(11, 2), 15, 5), "m_us": (0, 4, 4), "n_us": (2, 12, 3)}
    result = sweep(g1, vary)
    rm = result.regimes
    assert rm.shape == (5, 4, 3)
    rng = np.random.default_rng(11)
    for flat in rng.choice(rm.size, size=8, replace=False):
        idx = np.unravel_index(flat, rm.shape)
        point = {name: result.exact_axes[name][i] for name, i in zip(result.parameters, idx)}
        assert rm.labels[idx] == _solver_label(g1, point), point
    path = tmp_path / "cube.parquet"
    write_table(path, *table_of(result))
    table = pq.read_table(path)
    assert table.num_rows == 60 and table.column_names[:3] == ["x_r", "m_us", "n_us"]
    regimes = table.column("regime").to_pylist()
    assert regimes == list(rm.labels.reshape(-1))


def test_parquet_reads_back_with_values_and_metadata(g3, tmp_path):
    vary = {"a_g": (F(17, 2), 10, 4)}
    result = sweep(g3, vary, preset="force_arms")
    path = tmp_path / "a.parquet"
    write_table(path, *table_of(result, values=True))
    table = pq.read_table(path)
    a_g = np.asarray(table.column("a_g"))
    sign = np.asarray(table.column("mixed(sign,hold_out|settle,fight_on):Ukraine:sign").to_numpy(zero_copy_only=False))
    # P(sign) = b_r/(a_g - p_r - (1-kappa)*o_r) with b_r=1, p_r=5, kappa=1/2, o_r=4 (as in test_sweep)
    assert np.allclose(sign, 1 / (a_g - 7))
    meta = json.loads(pq.ParquetFile(path).metadata.metadata[b"gametheory"])
    assert meta["parameters"] == ["a_g"] and meta["grid"]["a_g"] == {"values": 4, "from": "17/2", "to": "10"}
    assert {k: v["points"] for k, v in meta["regimes"].items()} == result.regimes.share()
    assert "pure(" in meta["notation"]


def test_csv_table_has_a_metadata_sidecar_and_quoted_headers(g1, tmp_path):
    run = SweepRun(g1, make_grid(g1, {"x_r": (6, 15, 4)}, 100), base_values_quiet(g1, None, None))
    path = tmp_path / "line.csv"
    write_table(path, *run_table(run, values=True))
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["x_r", "regime", "equilibria", "boundary", "pure(deploy,accept,backstop):payoff:Europe"]
    assert len(rows) == 5 and all(len(r) == len(rows[0]) for r in rows)
    with open(sidecar_path(path)) as handle:
        meta = json.load(handle)
    assert sum(v["points"] for v in meta["regimes"].values()) == 4


# --------------------------------------------------------------------- cache
def _fresh_engine(scenario, names, monkeypatch, cache=True):
    monkeypatch.setattr(engine_module, "_ENGINES", {})
    return engine_for(scenario, names, base_values_quiet(scenario, None, None), cache=cache)


def _no_sympy_analysis(*args, **kwargs):
    raise AssertionError("the closed forms were derived again")


def test_second_engine_comes_from_the_disk_cache(g3, monkeypatch, tmp_path):
    monkeypatch.setenv(formcache.CACHE_ENV, str(tmp_path))
    first = _fresh_engine(g3, ["a_g", "kappa"], monkeypatch)
    assert len(list(tmp_path.glob("forms-*.json"))) == 1
    monkeypatch.setattr("gametheory.sensitivity.symbolic.analyse", _no_sympy_analysis)
    second = _fresh_engine(g3, ["a_g", "kappa"], monkeypatch)
    points = {"a_g": np.linspace(6, 10, 50), "kappa": np.linspace(0.5, 0.9, 50)}
    a, b = first.classify(points), second.classify(points)
    assert [a.regimes[c] for c in a.codes] == [b.regimes[c] for c in b.codes]
    with pytest.raises(AssertionError, match="derived again"):
        _fresh_engine(g3, ["a_g", "kappa"], monkeypatch, cache=False)


def test_a_tampered_cache_file_is_ignored(g3, monkeypatch, tmp_path):
    monkeypatch.setenv(formcache.CACHE_ENV, str(tmp_path))
    _fresh_engine(g3, ["a_g"], monkeypatch)
    (path,) = tmp_path.glob("forms-*.json")
    data = json.loads(path.read_text())
    data["evaluate_source"] = "def f(a_g):\n    return [__import__('os').system('false')]\n"
    path.write_text(json.dumps(data))
    engine = _fresh_engine(g3, ["a_g"], monkeypatch)  # derived again, then stored again
    assert engine.supported and "__import__" not in json.loads(path.read_text())["evaluate_source"]


@pytest.mark.parametrize(
    "source",
    [
        "import os\ndef f(x):\n    return [x]\n",
        "def f(x):\n    return [x.__class__]\n",
        "def f(x):\n    return [open]\n",
        "def f(x):\n    return [x[0]]\n",
        "def f(x):\n    return ['text']\n",
        "@sqrt\ndef f(x):\n    return [x]\n",
    ],
)
def test_generated_source_outside_the_allowlist_is_refused(source):
    with pytest.raises(ValueError):
        load_function(source, {"sqrt": "sqrt"})


def test_allowed_generated_source_evaluates():
    f = load_function("def f(x, y):\n    z = sqrt(x)\n    return [z*y - 1, -x]\n", {"sqrt": "sqrt"})
    assert f(np.array([4.0]), 2.0)[0][0] == 3.0


# ----------------------------------------------------------------------- CLI
def _run(*args):
    from gametheory.cli import app

    return CliRunner().invoke(app, ["sweep", *map(str, args)])


def test_cli_sweep_streams_parquet(tmp_path):
    out = tmp_path / "m.parquet"
    result = _run(G1, "--vary", "x_r=0:15:31", "--vary", "m_us=0:4:5", "--out", out, "--values")
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 155 and "pure(hold,target,stay_out):payoff:Europe" in table.column_names
    # x_r = 5 (k = 10) and m_us = 2 are grid lines: every boundary point on them was answered exactly, by the
    # closed forms of its threshold, or by the general solver where those cannot decide (two thresholds cross)
    found = re.search(r"155 points in .* (\d+) on a boundary, (\d+) solved by the general solver, (\d+) by the "
                      r"closed forms of their threshold", result.stderr)  # fmt: skip
    assert found and int(found[1]) >= 31 + 5 - 1 and int(found[1]) == int(found[2]) + int(found[3])
    assert int(found[3]) > int(found[2])
    assert np.asarray(table.column("equilibria")).min() >= 1


def test_cli_sweep_refuses_a_table_larger_than_the_free_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000))
    out = tmp_path / "big.csv"
    result = _run(G1, "--vary", "x_r=0:15:1000", "--vary", "m_us=0:4:1000", "--out", out)
    assert result.exit_code == 2 and "would take about" in result.stderr and not out.exists()


def test_cli_sweep_draws_small_multiples_for_three_parameters(tmp_path):
    out, plot = tmp_path / "c.csv", tmp_path / "c.png"
    result = _run(
        G1, "--vary", "x_r=6:15:6", "--vary", "m_us=0:4:5", "--vary", "n_us=2:12:4", "--out", out, "--plot", plot
    )
    assert result.exit_code == 0, result.output
    from PIL import Image

    with Image.open(plot) as image:
        width, height = image.size
    assert width > height > 300  # three panels side by side, then a second row and the legend
    assert _run(G1, "--vary", "x_r=6:15:2", "--vary", "m_us=0:4:2", "--vary", "n_us=2:12:2", "--vary", "c_us=1:3:2",
                "--out", out, "--plot", plot).exit_code == 2  # fmt: skip


def test_tree_sweep_table_has_the_subgame_perfect_outcome(tmp_path):
    from gametheory.solvers.trees import spe_label

    g4 = gt.load(GAMES / "sequencing.json")
    out = tmp_path / "g4.csv"
    result = _run(GAMES / "sequencing.json", "--vary", "pledge_us=0:6:4", "--vary", "x_r=0:15:4", "--out", out)
    assert result.exit_code == 0, result.output
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 16 and "subgame_perfect" in rows[0]
    for row in rows[::5]:
        point = {"pledge_us": F(row["pledge_us"]), "x_r": F(row["x_r"])}
        values = g4.parameter_values(point)
        assert row["subgame_perfect"] == spe_label(g4.extensive, values), point


# ------------------------------------------------------- resume and Dask
def _counting_solver(monkeypatch):
    """Count the points handed to the general solver (and still solve them)."""
    sweep_module = importlib.import_module("gametheory.sensitivity.sweep")
    solved: list[int] = []
    original = sweep_module.solve_points

    def counting(scenario, points, **kwargs):
        solved.append(len(points))
        return original(scenario, points, **kwargs)

    monkeypatch.setattr(sweep_module, "solve_points", counting)
    return solved


G1_LINES = {"x_r": (0, 15, 7), "m_us": (0, 4, 9)}  # x_r = 5 and m_us = 2 are grid lines: 15 points to solve


def _run_of(scenario, checkpoint, chunk=12):
    grid = make_grid(scenario, G1_LINES, 10**6)
    return SweepRun(scenario, grid, base_values_quiet(scenario, None, None), chunk=chunk, jobs=1, checkpoint=checkpoint)


def test_an_interrupted_sweep_resumes_without_solving_again(g1, tmp_path, monkeypatch):
    whole = sweep(g1, G1_LINES, jobs=1)
    path = tmp_path / "sweep.ckpt"
    solved = _counting_solver(monkeypatch)
    first = _run_of(g1, path)
    for k, _ in enumerate(first):
        if k == 2:
            break  # interrupted after three chunks of 12 points
    before = sum(solved)
    total = int(whole.regimes.solved.sum())
    assert 0 < before == int(whole.regimes.solved.reshape(-1)[:36].sum()) < total
    resumed = _run_of(g1, path)
    labels = np.concatenate([np.asarray(resumed.table.regimes, dtype=object)[p.codes] for p in resumed])
    assert (labels == whole.regimes.labels.reshape(-1)).all()
    assert sum(solved) == total  # nothing solved twice
    list(_run_of(g1, path))
    assert sum(solved) == total  # a finished run solves nothing


def test_a_tampered_sweep_checkpoint_is_a_located_error(g1, tmp_path):
    from gametheory.errors import InputError

    path = tmp_path / "sweep.ckpt"
    list(_run_of(g1, path))
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("pure(", "pure(x", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="line 3") as info:
        list(_run_of(g1, path))
    assert info.value.file == str(path)
    other = tmp_path / "other.ckpt"
    list(_run_of(g1, other, chunk=12))
    with pytest.raises(InputError, match="different run"):
        list(_run_of(g1, other, chunk=20))


def test_sweep_solves_on_a_dask_cluster(g1):
    distributed = pytest.importorskip("distributed")
    local = sweep(g1, G1_LINES, jobs=1)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = sweep(g1, G1_LINES, scheduler=client)
    assert remote.regimes.solved.sum() == local.regimes.solved.sum() > 0
    assert (remote.regimes.labels == local.regimes.labels).all()


def test_points_on_x_r_5_count_equilibria_as_the_exact_solver_does(g1):
    """G1's 1000x1000 grid has the line x_r = 5 (k = 333): a continuum there counts once, as a component, and
    the closed forms of that threshold label its points as the exact solver does (m_us = 0, where the game on
    x_r = 5 has a threshold of its own, is left to the solver)."""
    m_axis = [F(4 * k, 999) for k in (0, 250, 499, 750, 999)]
    values = {"x_r": np.full(len(m_axis), 5.0), "m_us": np.asarray([float(m) for m in m_axis])}
    rm = classify_points(g1, values, exact=lambda idx: {"x_r": F(5), "m_us": m_axis[idx[0]]}, jobs=1)
    assert rm.boundary.all() and rm.solved[0] and not rm.solved[1:].any()
    for k, m_us in enumerate(m_axis):
        solution = gt.solve(g1.game_at(g1.parameter_values({"x_r": F(5), "m_us": m_us})))
        components = {eq.component if eq.component is not None else -1 - j for j, eq in enumerate(solution.equilibria)}
        assert rm.counts[k] == len(components) < len(solution.equilibria)
        assert rm.labels[k] == regime_label(solution)
