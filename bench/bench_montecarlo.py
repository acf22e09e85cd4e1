"""Benchmark: `gametheory montecarlo games/deterrence.json --samples N` against a per-draw pygambit loop.

    python3 bench/bench_montecarlo.py [--samples 1000000] [--gambit-draws 200] [--seed 1] [--dask]

Ours: the whole command as a user types it, in a subprocess, timed from process
start until its output is closed (imports, loading, the symbolic derivation,
drawing, classifying every draw, the report). "Cold" runs with an empty
``XDG_CACHE_HOME`` (nothing derived before); "repeat" runs the same command
again with that cache directory kept (equal to cold unless a disk cache of
the closed forms exists). Wall and CPU time (all processes of the command) are
both printed: on a shared, loaded machine the CPU ratio is the steadier one.

Gambit: a loop over the same draws (the first ``--gambit-draws`` of them,
same seed and drawing scheme) that builds G1 at each draw (``Scenario.bind``,
``pygambit.Game.from_arrays``) and calls ``pygambit.nash.enumpoly_solve`` on
it. It is timed on that sample and **extrapolated** per draw to ``--samples``
draws (a full loop over 10^6 draws would take hours); the printed ratio is the
extrapolated loop time over our measured time, in the same run.

``--dask`` also starts a local Dask cluster (2 worker processes, 1 thread
each; its start-up is not timed, as for a cluster a user already has) and times
the same command with ``--scheduler`` against the local-process run, cold: the
workers get an empty cache directory too (otherwise they would read closed
forms that earlier runs left in the user's cache).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCENARIO = ROOT / "games" / "deterrence.json"


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, their children included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(args: list[str], cache: str) -> tuple[float, float, dict]:
    """Wall time of ``gametheory montecarlo ARGS --format json`` (process start to exit), its CPU time
    (all its processes), and its JSON output."""
    env = dict(os.environ, XDG_CACHE_HOME=cache, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "gametheory", "montecarlo", *args, "--format", "json"]
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return elapsed, children_cpu() - cpu, json.loads(done.stdout)


def gambit_seconds_per_draw(samples: int, seed: int, count: int) -> tuple[float, float]:
    """Mean wall and CPU time of one pygambit loop iteration (build G1 at the draw, enumpoly_solve) over
    ``count`` draws."""
    import pygambit as gbt

    import gametheory as gt
    from gametheory.sensitivity.montecarlo import draw, resolve_distributions

    scenario = gt.load(SCENARIO)
    drawn, _ = resolve_distributions(scenario)
    values = draw(drawn, seed, 0, min(count, samples))
    start, cpu = time.perf_counter(), time.process_time()
    for k in range(len(next(iter(values.values())))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = scenario.bind({name: float(x[k]) for name, x in values.items()})
        payoffs = [np.asarray(game.payoffs[i], dtype=float) for i in range(game.num_players)]
        gbt.nash.enumpoly_solve(gbt.Game.from_arrays(*payoffs), use_strategic=True)
    n = min(count, samples)
    return (time.perf_counter() - start) / n, (time.process_time() - cpu) / n


def peak_child_mb() -> float:
    """Largest resident set of any finished child process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--gambit-draws", type=int, default=200, help="draws timed in the pygambit loop")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dask", action="store_true", help="also time --scheduler on a local Dask cluster")
    args = parser.parse_args(argv)
    command = [str(SCENARIO.relative_to(ROOT)), "--samples", str(args.samples), "--seed", str(args.seed)]
    print(f"command: gametheory montecarlo {' '.join(command)}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")

    with tempfile.TemporaryDirectory() as cache:
        cold, cold_cpu, result = run_command(command, cache)
        repeat, repeat_cpu, again = run_command(command, cache)
    assert again["regimes"] == result["regimes"], "the repeat run gave other counts"
    draws = sum(r["count"] for r in result["regimes"])
    print(f"ours, cold:   {cold:8.2f} s wall, {cold_cpu:8.2f} s CPU ({draws / cold:,.0f} draws/s)")
    print(f"ours, repeat: {repeat:8.2f} s wall, {repeat_cpu:8.2f} s CPU ({draws / repeat:,.0f} draws/s)")
    print(f"how: {result['how']}, boundary draws: {result['boundary']}, peak memory {peak_child_mb():.0f} MB")
    if "solver" in result["how"]:
        print("note: the closed forms did not answer for some draws (see how): those used the general solver")

    per_draw, per_draw_cpu = gambit_seconds_per_draw(args.samples, args.seed, args.gambit_draws)
    loop, loop_cpu = per_draw * args.samples, per_draw_cpu * args.samples
    print(f"pygambit loop: {per_draw * 1e3:.2f} ms wall, {per_draw_cpu * 1e3:.2f} ms CPU per draw, timed on")
    print(f"  {args.gambit_draws} draws and extrapolated to {args.samples:,} draws: {loop:,.0f} s wall")
    print(f"ratio, cold:   {loop / cold:8.0f}x wall {loop_cpu / cold_cpu:8.0f}x CPU")
    print(f"ratio, repeat: {loop / repeat:8.0f}x wall {loop_cpu / repeat_cpu:8.0f}x CPU")

    if args.dask:
        import distributed

        with tempfile.TemporaryDirectory() as cache:
            os.environ["XDG_CACHE_HOME"] = cache  # the workers inherit it: as cold as the command
            with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster:
                on_dask, _, remote = run_command([*command, "--scheduler", cluster.scheduler_address], cache)
        assert remote["regimes"] == result["regimes"], "the Dask run gave other counts"
        print(
            f"ours on a local Dask cluster (2 workers): {on_dask:.2f} s; local processes / Dask = {cold / on_dask:.2f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
