"""Benchmark: the tree sweep of games/sequencing.json as a user types it, against a pygambit loop.

    python3 bench/bench_tree_sweep.py [--n 40] [--runs 3] [--gambit-sample K]

Ours: the whole command, timed from process start until the process has
exited (so the output file is closed), in a fresh subprocess each run (the
median of ``--runs`` is reported)::

    gametheory sweep games/sequencing.json --vary pledge_us=0:6:40 --vary x_r=0:15:40 --out t.csv

Gambit, in this process on the same n x n grid points (exact grid values):
a loop that builds each point's reduced normal form (``scenario.bind``, then
``pygambit.Game.from_arrays``) and calls ``pygambit.nash.enumpure_solve``.
Timed twice: building included (what a user's loop costs, and how the issue's
"17 points/s, 6 times slower than pygambit" was measured) and the solve call
alone (games built beforehand, not timed).

With ``--gambit-sample K`` (for large grids) the Gambit loop runs on K random
grid points only and its time for the whole grid is extrapolated from them,
which the output says; agreement is then counted on those K points.

Agreement, on every grid point (or sampled point): the CSV's ``regime``
against gametheory's general solver (``solve`` with the method the sweep's
fallback uses; not timed, skip with ``--no-solver-check``); against the label made
from Gambit's pure equilibria (the sweep labels a tree of three players by the
pure equilibria of its reduced form, as the general solver does), and the
vectorised subgame-perfect outcomes (:func:`subgame_perfect_points`) against
exact backward induction (``spe_label``) at the exact grid values.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIO = ROOT / "games" / "sequencing.json"


def time_cli(n: int, out: Path) -> tuple[float, float]:
    """Wall time of one run of the sweep command in a fresh process (start to exit), and the
    time the command itself reports for the sweep (``N points in X s``: classifying and
    labelling, without start-up, reading the file and writing the output)."""
    cmd = [
        sys.executable,
        "-m",
        "gametheory",
        "sweep",
        str(SCENARIO),
        "--vary",
        f"pledge_us=0:6:{n}",
        "--vary",
        f"x_r=0:15:{n}",
        "--out",
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    reported = re.search(r"points in ([0-9.]+) s", done.stderr.decode())
    return wall, float(reported.group(1)) if reported else float("nan")


def read_labels(path: Path, shape: tuple[int, int]) -> np.ndarray:
    """The ``regime`` column of the sweep's CSV, in grid order."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = np.empty(len(rows), dtype=object)
    labels[:] = [row["regime"] for row in rows]
    return labels.reshape(shape)


def gambit_loop(scenario, points, strategies) -> tuple[list[str], float, float]:
    """Gambit's labels at every point, the loop's time with game building, and the solve calls' time alone."""
    import pygambit as gbt
    from _gambit import gambit_game, supports_of

    from gametheory.sensitivity.labels import combine

    labels, total, solving = [], 0.0, 0.0
    for point in points:
        start = time.perf_counter()
        _, G = gambit_game(gbt, scenario, point)
        mid = time.perf_counter()
        result = gbt.nash.enumpure_solve(G)
        end = time.perf_counter()
        total += end - start
        solving += end - mid
        supports = [supports_of(G, eq, 0.5) for eq in result.equilibria]
        labels.append(combine(strategies, supports))
    return labels, total, solving


def solver_label(scenario, point) -> str:
    """The general solver's label at one point, with the method a sweep's fallback uses for this game."""
    import gametheory as gt
    from gametheory.sensitivity.labels import regime_label
    from gametheory.solvers.trees import structure_method

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.bind(point)
    return regime_label(gt.solve(game, structure_method(scenario, game, "auto")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="grid points per axis (default 40, as in the issue)")
    parser.add_argument("--runs", type=int, default=3, help="fresh CLI processes timed (median reported)")
    parser.add_argument(
        "--gambit-sample", type=int, default=None, help="run the Gambit loop on this many random points and extrapolate"
    )
    parser.add_argument(
        "--no-solver-check", action="store_true", help="skip comparing every label with gametheory's general solver"
    )
    args = parser.parse_args(argv)

    import gametheory as gt
    from gametheory.sensitivity.sweep import grid_axis
    from gametheory.sensitivity.treesweep import subgame_perfect_points
    from gametheory.solvers.trees import spe_label

    n = args.n
    scenario = gt.load(SCENARIO)
    axes = {"pledge_us": grid_axis(0, 6, n), "x_r": grid_axis(0, 15, n)}
    points = [{"pledge_us": a, "x_r": b} for a in axes["pledge_us"] for b in axes["x_r"]]
    print(f"grid: pledge_us in [0, 6] x x_r in [0, 15], {n} x {n} = {len(points):,} points (games/sequencing.json)")
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "t.csv"
        runs = [time_cli(n, out) for _ in range(args.runs)]
        labels = read_labels(out, (n, n))
    times = [wall for wall, _ in runs]
    ours = statistics.median(times)
    inside = statistics.median(sweep for _, sweep in runs)
    print(f"ours, whole CLI command (process start to exit), median of {len(times)}: {ours:.2f} s")
    print("  runs: " + ", ".join(f"{t:.2f} s" for t in times))
    print(
        f"  of which the sweep itself, as the command reports it: {inside:.2f} s; the rest ({ours - inside:.2f} s) "
        "is start-up, imports, reading the file and writing the CSV"
    )

    try:
        import pygambit  # noqa: F401
    except ImportError:
        print("pygambit is not installed: no comparison")
        return 1
    chosen = np.arange(len(points))
    if args.gambit_sample is not None and args.gambit_sample < len(points):
        chosen = np.sort(np.random.default_rng(1).choice(len(points), args.gambit_sample, replace=False))
    g_labels, g_total, g_solve = gambit_loop(scenario, [points[k] for k in chosen], scenario.strategies)
    if len(chosen) < len(points):
        scale = len(points) / len(chosen)
        g_total, g_solve = g_total * scale, g_solve * scale
        print(f"pygambit loop run on {len(chosen):,} random points; its time below is extrapolated to the grid")
    print(
        f"pygambit enumpure_solve loop: {g_total:.2f} s with game building ({len(points) / g_total:,.0f} points/s), "
        f"{g_solve:.2f} s in enumpure_solve alone"
    )
    flat = labels.reshape(-1)
    agree = sum(flat[k] == theirs for k, theirs in zip(chosen, g_labels))
    print(f"Nash sets: {agree}/{len(chosen)} points agree with Gambit")

    solver_agree = len(chosen)
    if not args.no_solver_check:
        solver_agree = sum(labels.reshape(-1)[k] == solver_label(scenario, points[k]) for k in chosen)
        print(f"Nash sets: {solver_agree}/{len(chosen)} points agree with gametheory's general solver (not timed)")

    mesh = np.meshgrid(*(np.array([float(v) for v in a]) for a in axes.values()), indexing="ij")
    spe = subgame_perfect_points(
        scenario,
        dict(zip(axes, mesh)),
        exact=lambda idx: {"pledge_us": axes["pledge_us"][idx[0]], "x_r": axes["x_r"][idx[1]]},
    )
    spe_flat = spe.labels.reshape(-1)
    spe_agree = sum(spe_flat[k] == spe_label(scenario.extensive, scenario.parameter_values(points[k])) for k in chosen)
    print(
        f"subgame-perfect outcomes: {spe_agree}/{len(chosen)} points agree with exact backward induction "
        f"({int(spe.exact.sum())} ties solved exactly)"
    )
    print(
        f"\nratio (pygambit loop / our CLI): {g_total / ours:,.1f}x with game building, "
        f"{g_solve / ours:,.1f}x against enumpure_solve alone (target: 100x)"
    )
    print(
        f"ratio of the pygambit loop to the sweep itself (in-process, no start-up): "
        f"{g_total / inside:,.0f}x with game building, {g_solve / inside:,.0f}x against enumpure_solve alone"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0 if agree == solver_agree == spe_agree == len(chosen) else 1


if __name__ == "__main__":
    raise SystemExit(main())
