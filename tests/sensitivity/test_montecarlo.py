"""Monte Carlo: distributions, reproducibility, checkpoints, Wilson intervals, Dask, and the CLI.

Independent answers used here: published Wilson intervals (Newcombe 1998,
Table I), a by-hand Wilson interval, closed-form probabilities of a one-
threshold game under each distribution (computed with scipy.stats, not with
the sampler), and SCENARIOS.md's Monte Carlo note for G1 (Gambit at 300
uniform draws).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gametheory as gt
from gametheory.errors import InputError
from gametheory.report.montecarlo import distribution_text, montecarlo_csv, montecarlo_json, render_montecarlo
from gametheory.sensitivity import montecarlo as mc
from gametheory.sensitivity.montecarlo import (
    draw,
    make_distribution,
    monte_carlo,
    parse_distribution,
    resolve_distributions,
    wilson_interval,
)
from tests.support import ROOT

G1 = ROOT / "games" / "deterrence.json"

# Row plays a iff x > t (Col always plays l): the regime is pure(a,l) with
# probability P(x > t) and pure(b,l) otherwise.
THRESHOLD = {
    "title": "One threshold",
    "players": [{"name": "Row", "strategies": ["a", "b"]}, {"name": "Col", "strategies": ["l", "r"]}],
    "parameters": {
        "x": {"default": 0.5, "range": [0, 1]},
        "t": {"default": 0.3, "range": [0, 1], "distribution": {"kind": "fixed"}},
        "unused": {"default": 1, "range": [0, 2]},
    },
    "matrix": [[["x", 1], ["x", 0]], [["t", 1], ["t", 0]]],
}


def scenario_file(tmp_path: Path, data: dict, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def logged_chunks(checkpoint: Path) -> list[int]:
    """The chunk numbers recorded in a checkpoint log (every line after the header)."""
    return sorted(json.loads(line)["chunk"] for line in checkpoint.read_text().splitlines()[1:])


def threshold(tmp_path: Path, **x_spec) -> gt.Scenario:
    data = json.loads(json.dumps(THRESHOLD))
    if x_spec:
        data["parameters"]["x"]["distribution"] = x_spec
    return gt.load(scenario_file(tmp_path, data))


# ------------------------------------------------------------------ Wilson
@pytest.mark.parametrize(
    "k, n, low, high",
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_1998(k, n, low, high):
    lo, hi = wilson_interval(k, n, 0.95)
    assert lo == pytest.approx(low, abs=6e-5) and hi == pytest.approx(high, abs=6e-5)


def test_wilson_by_hand_one_in_four():
    # p = 1/4, z^2/n = 3.8415/4: centre (0.25 + 0.48019)/1.96037 = 0.37247,
    # half-width 1.95996 * sqrt(0.046875 + 0.060023) / 1.96037 = 0.32690.
    lo, hi = wilson_interval(1, 4)
    assert lo == pytest.approx(0.04559, abs=5e-5)
    assert hi == pytest.approx(0.69937, abs=5e-5)
    # everything seen: the interval reaches 1 and its lower end is n/(n + z^2)
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(10 / (10 + 1.959964**2), abs=1e-6)


# ----------------------------------------------------------- distributions
def test_parse_distribution_text():
    assert parse_distribution("triangular:mode=3") == {"kind": "triangular", "mode": "3"}
    assert parse_distribution(" normal : mean=12, sd=4 ") == {"kind": "normal", "mean": "12", "sd": "4"}
    assert parse_distribution("uniform") == {"kind": "uniform"}
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_distribution("normal:sd")
    with pytest.raises(InputError, match="twice"):
        parse_distribution("normal:sd=1,sd=2")


@pytest.mark.parametrize(
    "spec, cdf",
    [
        ({"kind": "uniform"}, lambda st: st.uniform(2, 8).cdf),
        ({"kind": "triangular", "mode": 4}, lambda st: st.triang((4 - 2) / 8, loc=2, scale=8).cdf),
        ({"kind": "normal", "mean": 5, "sd": 2}, lambda st: st.truncnorm(-1.5, 2.5, loc=5, scale=2).cdf),
        ({"kind": "beta", "alpha": 2, "beta": 5}, lambda st: st.beta(2, 5, loc=2, scale=8).cdf),
    ],
)
def test_draws_follow_their_distribution(spec, cdf):
    stats = pytest.importorskip("scipy.stats")
    dist = make_distribution("p", spec, low=2, high=10, default=6)
    x = draw({"p": dist}, 7, 0, 5000)["p"]
    assert x.min() >= 2 and x.max() <= 10
    assert stats.kstest(x, cdf(stats)).pvalue > 1e-3


def test_draw_index_is_independent_of_chunking_and_other_parameters():
    a = make_distribution("a", {"kind": "normal", "sd": 1}, low=-3, high=3, default=0)
    b = make_distribution("b", None, low=0, high=1)
    whole = draw({"a": a, "b": b}, 11, 0, 100)
    parts = [draw({"a": a}, 11, lo, lo + 25)["a"] for lo in range(0, 100, 25)]
    np.testing.assert_array_equal(np.concatenate(parts), whole["a"])
    assert not np.array_equal(draw({"a": a}, 12, 0, 100)["a"], whole["a"])


def test_normal_mean_defaults_to_the_parameter_default_and_no_range_means_untruncated():
    d = make_distribution("p", {"kind": "normal", "sd": 2}, default=7)
    assert d.mean == 7 and d.low is None
    x = draw({"p": d}, 3, 0, 20000)["p"]
    assert abs(x.mean() - 7) < 0.1 and abs(x.std() - 2) < 0.1


@pytest.mark.parametrize(
    "spec, path, message",
    [
        ({"kind": "normal", "sd": -1}, "$.parameters.x.distribution.sd", "sd must be > 0"),
        ({"kind": "normal", "sd": 0.1, "mean": 50}, "$.parameters.x.distribution.mean", "almost no probability"),
        ({"kind": "triangular", "mode": 3}, "$.parameters.x.distribution.mode", "inside the range"),
        ({"kind": "beta", "alpha": 0, "beta": 2}, "$.parameters.x.distribution.alpha", "alpha must be > 0"),
        ({"kind": "beta", "alpha": 1}, "$.parameters.x.distribution", "needs alpha and beta"),
        ({"kind": "triangular", "mode": 0.5, "sd": 1}, "$.parameters.x.distribution.sd", "takes mode"),
        ({"kind": "trianglar", "mode": 0.5}, "$.parameters.x.distribution.kind", "did you mean 'triangular'"),
    ],
)
def test_invalid_distribution_names_file_and_json_path(tmp_path, spec, path, message):
    with pytest.raises(InputError, match=message) as info:  # at load (schema) or when resolved
        resolve_distributions(threshold(tmp_path, **spec))
    assert info.value.path == path
    assert info.value.file == str(tmp_path / "s.json")


def test_invalid_override_and_conflicts(tmp_path):
    scenario = threshold(tmp_path)
    with pytest.raises(InputError, match="sd must be > 0"):
        resolve_distributions(scenario, {"x": "normal:sd=-2"})
    with pytest.raises(InputError, match="did you mean 'x'"):
        resolve_distributions(scenario, {"xx": "uniform"})
    with pytest.raises(InputError, match="both fixed"):
        resolve_distributions(scenario, {"x": "uniform"}, base={"x": "0.2"})
    data = json.loads(json.dumps(THRESHOLD))
    del data["parameters"]["x"]["range"]
    with pytest.raises(InputError, match="needs the parameter's range"):
        resolve_distributions(gt.load(scenario_file(tmp_path, data, "norange.json")), {"x": "triangular:mode=1"})


def test_what_is_drawn_and_what_is_fixed(tmp_path):
    scenario = threshold(tmp_path)
    drawn, fixed = resolve_distributions(scenario)
    assert list(drawn) == ["x"]  # t is 'fixed' in the file; 'unused' is used by no payoff
    assert set(fixed) == {"t", "unused"}
    drawn, fixed = resolve_distributions(scenario, {"t": "uniform"}, base={"x": "0.2"})
    assert list(drawn) == ["t"] and fixed["x"] == gt.scenario.coerce_number("0.2")


# ------------------------------------------------------- shares vs analysis
def _p_above(dist_spec: dict, t: float) -> float:
    stats = pytest.importorskip("scipy.stats")
    kind = dist_spec["kind"]
    if kind == "uniform":
        return 1 - t
    if kind == "triangular":  # on [0, 1] with mode c: P(X <= t) = t^2/c for t <= c
        return 1 - t * t / dist_spec["mode"]
    if kind == "normal":  # truncated to [0, 1]
        m, s = dist_spec["mean"], dist_spec["sd"]
        cdf = lambda v: stats.norm.cdf((v - m) / s)  # noqa: E731
        return (cdf(1) - cdf(t)) / (cdf(1) - cdf(0))
    return stats.beta(dist_spec["alpha"], dist_spec["beta"]).sf(t)


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "uniform"},
        {"kind": "triangular", "mode": 0.8},
        {"kind": "normal", "mean": 0.4, "sd": 0.2},
        {"kind": "beta", "alpha": 2, "beta": 5},
    ],
)
def test_regime_share_matches_the_probability_computed_by_hand(tmp_path, spec):
    result = monte_carlo(threshold(tmp_path, **spec), 600, 2024, confidence=0.999)
    truth = _p_above(spec, 0.3)
    share = result.share("pure(a,l)")
    assert share.low <= truth <= share.high, (share, truth)
    assert result.share("pure(b,l)").count == 600 - share.count
    assert share.share == share.count / 600


# ------------------------------------------------------- reproducibility
def test_same_seed_same_result_whatever_the_chunking(tmp_path):
    scenario = threshold(tmp_path, kind="triangular", mode=0.8)
    a = monte_carlo(scenario, 300, 5, chunk_size=300)
    b = monte_carlo(scenario, 300, 5, chunk_size=70)
    assert a.counts == b.counts
    assert a.parameters[0].mean == pytest.approx(b.parameters[0].mean, rel=1e-12)
    assert a.parameters[0].min == b.parameters[0].min and a.parameters[0].max == b.parameters[0].max
    c = monte_carlo(scenario, 300, 6, chunk_size=70)
    assert c.parameters[0].mean != b.parameters[0].mean


def test_mean_by_regime_separates_the_regimes(tmp_path):
    result = monte_carlo(threshold(tmp_path), 300, 1, chunk_size=100)
    [x] = result.parameters
    assert x.by_regime["pure(a,l)"] > 0.3 > x.by_regime["pure(b,l)"]
    assert 0 < x.min < 0.3 < x.max < 1
    assert x.mean == pytest.approx(0.5, abs=0.06) and x.sd == pytest.approx(math.sqrt(1 / 12), abs=0.03)


def test_resume_after_interruption_neither_loses_nor_double_counts(tmp_path):
    scenario = threshold(tmp_path, kind="beta", alpha=2, beta=3)
    full = monte_carlo(scenario, 250, 9, chunk_size=50)
    checkpoint = tmp_path / "run.ckpt.json"
    calls = []

    def stop_after_two_chunks(done, total):
        calls.append(done)
        if done >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        monte_carlo(scenario, 250, 9, chunk_size=50, checkpoint=checkpoint, progress=stop_after_two_chunks)
    done = logged_chunks(checkpoint)  # chunk 0 runs first; the next to finish may be any (worker processes)
    assert len(done) == 2 and done[0] == 0 and done[1] in range(1, 5)
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left behind

    resumed = monte_carlo(scenario, 250, 9, chunk_size=50, checkpoint=checkpoint)
    assert resumed.resumed_chunks == 2
    assert resumed.counts == full.counts and sum(resumed.counts.values()) == 250
    assert resumed.parameters[0].mean == pytest.approx(full.parameters[0].mean, rel=1e-12)
    assert logged_chunks(checkpoint) == [0, 1, 2, 3, 4]


def test_a_finished_checkpoint_is_not_recomputed_and_a_foreign_one_is_refused(tmp_path, monkeypatch):
    scenario = threshold(tmp_path)
    checkpoint = tmp_path / "c.json"
    first = monte_carlo(scenario, 120, 4, chunk_size=60, checkpoint=checkpoint)

    def fail(*args, **kwargs):
        raise AssertionError("a finished chunk was recomputed")

    monkeypatch.setattr(mc, "run_chunk", fail)
    again = monte_carlo(scenario, 120, None, chunk_size=60, checkpoint=checkpoint)  # seed read back
    assert again.seed == 4 and again.counts == first.counts
    with pytest.raises(InputError, match=r"different run.*seed"):
        monte_carlo(scenario, 120, 5, chunk_size=60, checkpoint=checkpoint)
    with pytest.raises(InputError, match=r"different run.*distributions"):
        monte_carlo(scenario, 120, 4, chunk_size=60, checkpoint=checkpoint, distributions={"x": "beta:alpha=1,beta=2"})
    (tmp_path / "junk.json").write_text("{not json\n")
    with pytest.raises(InputError, match="not a checkpoint"):
        monte_carlo(scenario, 120, 4, checkpoint=tmp_path / "junk.json")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"samples": 0}, "samples must be a positive integer"),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"chunk_size": 0}, "chunk size"),
    ],
)
def test_bad_run_arguments(tmp_path, kwargs, message):
    args = {"samples": 10, "seed": 1} | kwargs
    with pytest.raises(InputError, match=message):
        monte_carlo(threshold(tmp_path), **args)


def test_nothing_to_draw_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nothing to draw"):
        monte_carlo(threshold(tmp_path), 10, 1, base={"x": "0.2"})


def test_result_serialisations(tmp_path):
    result = monte_carlo(threshold(tmp_path), 100, 3)
    data = json.loads(montecarlo_json(result))
    assert data["seed"] == 3 and data["samples"] == 100 and data["scheme"] == mc.SCHEME
    assert sum(r["count"] for r in data["regimes"]) == 100
    assert data["parameters"][0]["distribution"] == {"kind": "uniform", "range": [0.0, 1.0]}
    assert data["fixed"] == {"t": "3/10", "unused": "1"}
    lines = montecarlo_csv(result).splitlines()
    assert lines[0] == "regime,count,share,ci_low,ci_high" and len(lines) == 3
    text = render_montecarlo(result, "text")
    assert "--seed 3" in text and "pure (a, l)" in text  # the readable notation (gametheory.report.names)
    assert "| regime |" in render_montecarlo(result, "markdown")
    assert distribution_text(result.parameters[0].distribution) == "uniform(0, 1)"
    assert (
        distribution_text(make_distribution("x", "triangular:mode=0.25", low=0, high=1))
        == "triangular(0, 1; mode 0.25)"
    )


def test_combined_share_of_several_regimes(tmp_path):
    result = monte_carlo(threshold(tmp_path), 100, 3)
    everything = result.combined_share([r.label for r in result.regimes], "all")
    assert (everything.label, everything.count, everything.share, everything.high) == ("all", 100, 1.0, 1.0)
    first = result.regimes[0]
    assert result.combined_share([first.label], "one") == mc.RegimeShare(
        "one", first.count, first.share, first.low, first.high
    )


def test_unwritable_checkpoint_is_an_input_error_naming_it(tmp_path):
    target = tmp_path / "no" / "such" / "run.ckpt"
    with pytest.raises(InputError) as info:
        monte_carlo(threshold(tmp_path), 10, 1, checkpoint=target)
    assert str(info.value).startswith(f"{target}: cannot write checkpoint: ")


# ------------------------------------------------------------------ Dask
def test_dask_local_cluster_gives_the_same_result(tmp_path):
    distributed = pytest.importorskip("distributed")
    scenario = threshold(tmp_path, kind="normal", mean=0.3, sd=0.3)
    local = monte_carlo(scenario, 200, 8, chunk_size=40)
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=":0",  # any free port: tests on other workers may run a cluster too
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = monte_carlo(scenario, 200, 8, chunk_size=40, scheduler=client, checkpoint=tmp_path / "d.json")
        by_address = monte_carlo(scenario, 200, 8, chunk_size=50, scheduler=cluster.scheduler_address)
        shipped = monte_carlo(scenario, 200, 8, chunk_size=40, scheduler=client, symbolic=True)  # forms in the job
    assert remote.counts == local.counts == by_address.counts == shipped.counts
    assert remote.parameters[0].mean == pytest.approx(local.parameters[0].mean, rel=1e-12)
    assert logged_chunks(tmp_path / "d.json") == [0, 1, 2, 3, 4]


def test_unreachable_scheduler_is_an_input_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from gametheory.sensitivity import executor

    monkeypatch.setattr(executor, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot connect to the Dask scheduler"):
        monte_carlo(threshold(tmp_path), 10, 1, scheduler="tcp://127.0.0.1:9")


# ------------------------------------------------- G1 against SCENARIOS.md
@pytest.mark.slow
def test_g1_shares_agree_with_the_gambit_monte_carlo_note():
    """SCENARIOS.md, G1: of 300 uniform draws (another RNG, Gambit at each draw), 161 have
    only E1, 66 contain the pure deterrence equilibrium, 39 contain (deploy, accept,
    stay_out), 20 an E2-type mixed equilibrium. Two-proportion z-tests, |z| < 3.5."""
    result = monte_carlo(gt.load(G1), 400, 20251122, chunk_size=200)
    families = {r.label: r.count for r in result.families}
    observed = {
        "only E1": result.share("pure(hold,target,stay_out)").count,
        "pure deterrence": families.get("pure(deploy,accept,backstop)", 0),
        "deploy, accept, stay_out": families.get("pure(deploy,accept,stay_out)", 0),
        "E2": families.get("mixed(deploy|accept,target|backstop,stay_out)", 0),
    }
    reference = {"only E1": 161, "pure deterrence": 66, "deploy, accept, stay_out": 39, "E2": 20}
    n1, n2 = result.samples, 300
    for key, k2 in reference.items():
        p1, p2 = observed[key] / n1, k2 / n2
        pooled = (observed[key] + k2) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        assert abs(z) < 3.5, (key, observed[key], k2, z)


# ------------------------------------------------------------------- CLI
@pytest.fixture
def cli(monkeypatch):
    """``gametheory montecarlo ...`` through the application's error handling (exit codes)."""
    from gametheory.cli import App
    from gametheory.cli.analysis import montecarlo_command

    group = App(name="gametheory", commands={"montecarlo": montecarlo_command})
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(group, ["montecarlo", *[str(a) for a in args]])


def test_cli_montecarlo_writes_json_and_csv(tmp_path, cli):
    path = scenario_file(tmp_path, THRESHOLD)
    out = tmp_path / "shares.json"
    result = cli(path, "--samples", 200, "--seed", 1, "--out", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["seed"] == 1 and sum(r["count"] for r in data["regimes"]) == 200
    again = cli(
        path, "--samples", 200, "--seed", 1, "--out", tmp_path / "shares.csv", "--dist", "x=beta:alpha=2,beta=5"
    )
    assert again.exit_code == 0, again.output
    rows = (tmp_path / "shares.csv").read_text().splitlines()
    assert rows[0].startswith("regime,count")
    text = cli(path, "--samples", 50, "--seed", 2, "--set", "t=0.9")
    assert text.exit_code == 0 and "pure (b, l)" in text.stdout and "t = 0.9" in text.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--samples", 10, "--seed", 1, "--dist", "x=normal:sd=-1"], "sd must be > 0"),
        (["--samples", 10, "--seed", 1, "--dist", "x"], "NAME=KIND"),
        (["--samples", 10, "--seed", 1, "--dist", "q=uniform"], "unknown parameter"),
        (["--samples", 0, "--seed", 1], "samples"),
        (["--samples", 10, "--seed", 1, "--out", "x.xlsx"], "json or .csv"),
    ],
)
def test_cli_bad_input_exits_2_with_one_clear_line(tmp_path, cli, args, message):
    path = scenario_file(tmp_path, THRESHOLD)
    result = cli(path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_invalid_distribution_in_file_exits_2(tmp_path, cli):
    data = json.loads(json.dumps(THRESHOLD))
    data["parameters"]["x"]["distribution"] = {"kind": "beta", "alpha": -1, "beta": 2}
    path = scenario_file(tmp_path, data)
    result = cli(path, "--samples", 10, "--seed", 1)
    assert result.exit_code == 2
    assert "$.parameters.x.distribution.alpha" in result.stderr and "s.json" in result.stderr


def test_cli_interrupted_run_leaves_no_output_file(tmp_path, cli, monkeypatch):
    path = scenario_file(tmp_path, THRESHOLD)
    real = mc.run_chunk
    seen = []

    def interrupt_on_second(job, index):
        seen.append(index)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return real(job, index)

    monkeypatch.setattr(mc, "run_chunk", interrupt_on_second)
    out = tmp_path / "shares.json"
    ckpt = tmp_path / "ckpt.json"
    result = cli(path, "--samples", 100, "--seed", 1, "--chunk-size", 50, "--checkpoint", ckpt, "--out", out)
    assert result.exit_code != 0
    assert not out.exists() and logged_chunks(ckpt) == [0]
    monkeypatch.setattr(mc, "run_chunk", real)
    result = cli(path, "--samples", 100, "--seed", 1, "--chunk-size", 50, "--checkpoint", ckpt, "--out", out)
    assert result.exit_code == 0, result.output
    assert sum(r["count"] for r in json.loads(out.read_text())["regimes"]) == 100


def test_validate_checks_declared_distributions(tmp_path):
    from click.testing import CliRunner

    from gametheory.cli import app

    good = scenario_file(tmp_path, THRESHOLD, "good.json")
    data = json.loads(json.dumps(THRESHOLD))
    data["parameters"]["x"]["distribution"] = {"kind": "triangular", "mode": 3}  # outside the range [0, 1]
    bad = scenario_file(tmp_path, data, "bad.json")
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.json" in result.stderr and "$.parameters.x.distribution.mode" in result.stderr
    assert "inside the range" in result.stderr and "Traceback" not in result.stderr


# ----------------------------------------------------------------- estimates before a run
def test_a_run_estimated_over_an_hour_is_refused_with_its_estimate():
    scenario = gt.load(Path(__file__).resolve().parents[2] / "games" / "classics" / "prisoners_dilemma.json")
    # 1e9 draws at the closed forms' 1e5 draws/s: 1e4 s, 2.8 hours (chunk size given: no derivation needed)
    with pytest.raises(InputError, match=r"2\.8 h of work.*--long"):
        monte_carlo(scenario, 10**9, seed=1, chunk_size=50_000)


def test_estimates_grow_with_the_draws_except_memory():
    from gametheory.sensitivity.montecarlo import estimate_run

    small = estimate_run(10**6, 50_000, 4, symbolic=True, checkpoint=True)
    large = estimate_run(10**9, 50_000, 4, symbolic=True, checkpoint=True)
    assert large.seconds == 1000 * small.seconds and large.disk == 1000 * small.disk
    assert large.memory == small.memory  # one chunk at a time
    assert estimate_run(10**6, 50, 4, symbolic=False, checkpoint=False).disk == 0


def test_a_small_run_is_announced_and_started():
    seen = []
    scenario = gt.load(Path(__file__).resolve().parents[2] / "games" / "classics" / "prisoners_dilemma.json")
    result = monte_carlo(scenario, 10, seed=1, symbolic=False, jobs=1, announce=seen.append)
    assert [e.samples for e in seen] == [10] and not seen[0].long
    assert result.samples == 10


# ------------------------------------------------------- Bayesian priors
def test_a_drawn_prior_splits_at_its_threshold():
    """Only the prior pi_us of the Bayesian scenario is drawn (uniform on [0, 1]); every other
    parameter holds its default. At the defaults the general solver's equilibrium set changes at
    pi_us = 1/4 (the opportunist spares a force once a US commitment is likely enough), so the
    draws above it have the solver's label at pi_us = 1/2, with probability 3/4."""
    from gametheory.sensitivity.labels import regime_label

    scenario = gt.load(ROOT / "games" / "uncertain_resolve_bayesian.json")
    below, above = (regime_label(gt.solve(scenario.bind({"pi_us": p}))) for p in (0.1, 0.5))
    base = {name: p.default for name, p in scenario.parameters.items() if name != "pi_us"}
    result = monte_carlo(scenario, 2000, 11, distributions={"pi_us": "uniform"}, base=base, confidence=0.999)
    assert below != above and set(result.counts) == {below, above}
    share = result.share(above)
    assert share.low <= 0.75 <= share.high, share
    [pi] = result.parameters
    assert pi.by_regime[below] < 0.25 < pi.by_regime[above]


def test_exact_sums_of_chunk_totals_match_fractions():
    """Chunk sums are merged as scaled integers: the total equals the Fraction sum, dyadic or not."""
    texts = ["3/8", "-5", "1/3", "7/1024", "-1/2", "0"] + [mc._float_text(x) for x in (0.1, -2.5e-300, 1e300)]
    total = mc._ExactSum()
    for text in texts:
        total.add(text)
    assert total.value() == sum((Fraction(t) for t in texts), Fraction(0))
    assert mc._float_text(0.1) == str(Fraction(0.1)) and mc._float_text(-3.0) == "-3"


def test_forms_adopted_from_another_process_answer_without_deriving(tmp_path, monkeypatch):
    """What a Dask worker does with the forms the client derived: ``engine_for`` then answers
    from them (no derivation, no disk cache) with the same regimes as the derived engine."""
    from gametheory.sensitivity import engine

    scenario = threshold(tmp_path)
    values = scenario.parameter_values({})
    derived = engine.engine_for(scenario, ("x",), values, cache=False)
    data = json.loads(json.dumps(engine.forms_to_dict(derived.forms)))  # as plain data crosses processes
    monkeypatch.setattr(engine, "_ENGINES", {})

    def no_derivation(*args, **kwargs):
        raise AssertionError("derived again")

    monkeypatch.setattr(engine, "_derived_engine", no_derivation)
    monkeypatch.setattr(engine, "_cached_engine", no_derivation)
    engine.adopt_forms(scenario, ("x",), values, data)
    adopted = engine.engine_for(scenario, ("x",), values)
    points = {"x": np.linspace(0.005, 0.995, 40)}  # none on the threshold x = 0.3
    ours, theirs = adopted.classify(points), derived.classify(points)
    assert [ours.regimes[c] for c in ours.codes] == [theirs.regimes[c] for c in theirs.codes]
    assert set(ours.regimes) == {"pure(a,l)", "pure(b,l)"}
