"""Benchmark: `gametheory sweep` as a user types it, against a per-point pygambit loop, in one run.

    python3 bench/bench_sweep.py [--n 1000] [--sample 300] [--seed 1] [--warm-runs 5] [--cube] [--big]
                                 [--check-boundary]

Ours: the whole command

    gametheory sweep games/deterrence.json --vary x_r=0:15:N --vary m_us=0:4:N --out map.{csv,parquet}

run as a subprocess (``python cli.py ...``), timed from process start until
it has exited (its output file closed), once **cold** (an empty closed-form
cache: sympy derives and compiles the closed forms) and ``--warm-runs`` times
**warm** (the cache filled by the cold run; the median is reported, with the
fastest and slowest, since one run on a shared machine can be twice another),
for CSV and for Parquet. Boundary points (the
N points on x_r = 5, where the game is degenerate) are answered by the closed
forms of the game on that threshold, and the few those cannot decide by the
exact general solver, as the command does by default; their time is included.
Peak memory is the largest resident set of the command and its workers
(``wait4``).

Gambit: a loop that builds each game and calls
``pygambit.nash.enumpoly_solve(game, use_strategic=True)`` on a random sample
of the same grid points (construction included), timed per point; its mean
time per point times N*N is the loop's time for the grid. Ratio = that time /
our command's time.

Agreement: at every sampled point our label (read back from the Parquet file)
is compared with the equilibria Gambit returns (profiles whose regret exceeds
1e-6 are not equilibria and are counted apart; supports read with a 1e-6
tolerance) away from boundary points (where Gambit reports the points of a
continuum differently). ``--check-boundary`` solves every grid point on
x_r = 5 with gametheory's exact solver and compares its number of equilibria
(a continuum counted once) and its regime label with the file's.

``--cube`` adds a 100x100x100 grid over (x_r, m_us, n_us) and ``--big`` a
grid of about 10^7 points (Parquet), each with its time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
G1 = ROOT / "games" / "deterrence.json"


def run_command(args: list[str], cache: Path) -> tuple[float, int, str]:
    """(wall seconds, peak resident KB, stderr) of ``python cli.py ARGS`` with the closed-form cache at ``cache``."""
    env = {**os.environ, "GAMETHEORY_CACHE_DIR": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its bytecode cache
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stderr = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(args)}\n{stderr}")
    return elapsed, usage.ru_maxrss, stderr


#: Gambit's profiles with a larger regret are not equilibria (enumpoly works in floating point); counted apart.
REGRET = 1e-6
SPURIOUS = [0]


def gambit_labels(scenario, points) -> tuple[list[tuple[str, int]], float]:
    """Gambit's (label, number of equilibria) at each point, and the loop's mean seconds per point."""
    import pygambit as gbt
    from _gambit import gambit_game, supports_of

    from gametheory.sensitivity.labels import combine

    found, total = [], 0.0
    for point in points:
        start = time.perf_counter()
        game, G = gambit_game(gbt, scenario, point)
        result = gbt.nash.enumpoly_solve(G, use_strategic=True)
        total += time.perf_counter() - start
        real = [eq for eq in result.equilibria if float(eq.max_regret()) <= REGRET]
        SPURIOUS[0] += len(result.equilibria) - len(real)
        supports = [supports_of(G, eq, 1e-6) for eq in real]
        found.append((combine(game.strategies, supports), len(supports)))
    return found, total / max(1, len(points))


def read_table(path: Path):
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pydict()


def grid_args(n: int, out: Path) -> list[str]:
    return ["sweep", str(G1), "--vary", f"x_r=0:15:{n}", "--vary", f"m_us=0:4:{n}", "--out", str(out)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="grid points per axis (default 1000)")
    parser.add_argument("--sample", type=int, default=300, help="random grid points for the Gambit loop")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-runs", type=int, default=5, help="warm runs per format (their median is reported)")
    parser.add_argument("--cube", action="store_true", help="also a 100x100x100 grid over x_r, m_us, n_us")
    parser.add_argument("--big", action="store_true", help="also a grid of about 10^7 points (Parquet)")
    parser.add_argument("--check-boundary", action="store_true", help="solve every point on x_r = 5 exactly")
    args = parser.parse_args(argv)

    import gametheory as gt
    from gametheory.sensitivity.sweep import grid_axis

    n, points = args.n, args.n * args.n
    scenario = gt.load(G1)
    print(f"grid: x_r in [0, 15] x m_us in [0, 4], {n} x {n} = {points:,} points (games/deterrence.json)")
    work = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    timings = {}
    for fmt in ("csv", "parquet"):
        cache = work / f"cache-{fmt}"
        out = work / f"map.{fmt}"
        for phase, runs in (("cold", 1), ("warm", max(1, args.warm_runs))):
            results = [run_command(grid_args(n, out), cache) for _ in range(runs)]
            walls = sorted(wall for wall, _, _ in results)
            wall, peak, stderr = statistics.median(walls), max(p for _, p, _ in results), results[-1][2]
            timings[(fmt, phase)] = wall
            summary = next((line for line in stderr.splitlines() if " points in " in line), "")
            spread = f" (median of {runs}: {walls[0]:.2f} to {walls[-1]:.2f})" if runs > 1 else ""
            print(f"ours, {fmt:7s} {phase}: {wall:6.2f} s{spread}, peak {peak / 1024:,.0f} MB   ({summary})")

    table = read_table(work / "map.parquet")
    x_axis, m_axis = grid_axis(0, 15, n), grid_axis(0, 4, n)
    rng = np.random.default_rng(args.seed)
    flat = rng.choice(points, size=min(args.sample, points), replace=False)
    sample = [{"x_r": x_axis[k // n], "m_us": m_axis[k % n]} for k in flat]
    try:
        found, per_point = gambit_labels(scenario, sample)
    except ImportError:
        print("pygambit is not installed: no ratio")
        return 0
    loop = per_point * points
    print(f"\npygambit enumpoly_solve loop: {per_point * 1000:.2f} ms per point on {len(sample)} sampled points")
    print(f"  = {loop:,.0f} s for the {points:,} grid points")
    for (fmt, phase), wall in timings.items():
        print(f"ratio, {fmt:7s} {phase}: {loop / wall:8,.0f}x  (targets: 1,000x warm, 300x cold)")

    inside = [(k, label) for k, (label, _) in zip(flat, found) if not table["boundary"][k]]
    differ = [(k, label) for k, label in inside if table["regime"][k] != label]
    print(f"agreement with Gambit on the sampled points off the boundary: {len(inside) - len(differ)}/{len(inside)}")
    if SPURIOUS[0]:
        print(
            f"  (Gambit also returned {SPURIOUS[0]} profile(s) with regret above {REGRET:g}: not equilibria, left out)"
        )
    for k, label in differ[:5]:
        print(f"  x_r = {x_axis[k // n]}, m_us = {m_axis[k % n]}: ours {table['regime'][k]!r}, Gambit {label!r}")
    if args.check_boundary:
        check_boundary(scenario, table, x_axis, m_axis, n)
    if args.cube:
        cube = ["sweep", str(G1), "--vary", "x_r=0:15:100", "--vary", "m_us=0:4:100", "--vary", "n_us=2:12:100"]
        wall, peak, stderr = run_command([*cube, "--out", str(work / "cube.parquet")], work / "cache-cube")
        print(f"\n100x100x100 grid (x_r, m_us, n_us), cold: {wall:.2f} s, peak {peak / 1024:,.0f} MB")
        print("  " + "\n  ".join(line for line in stderr.splitlines() if not line.startswith("    ")))
    if args.big:
        side = 3163
        wall, peak, stderr = run_command(grid_args(side, work / "big.parquet"), work / "cache-parquet")
        print(f"\n{side}x{side} = {side * side:,} points, warm: {wall:.2f} s, peak {peak / 1024:,.0f} MB")
        print("  " + "\n  ".join(line for line in stderr.splitlines() if not line.startswith("    ")))
    return 0


def check_boundary(scenario, table, x_axis, m_axis, n: int) -> None:
    """Every grid point on x_r = 5: the file's number of equilibria against the exact solver's."""
    from fractions import Fraction

    import gametheory as gt

    if Fraction(5) not in x_axis:
        print("x_r = 5 is not a grid value: no boundary line to check")
        return
    from gametheory.sensitivity.labels import regime_label

    row = x_axis.index(Fraction(5))
    start = time.perf_counter()
    agree = same_label = 0
    for j in range(n):
        values = scenario.parameter_values({"x_r": Fraction(5), "m_us": m_axis[j]})
        solution = gt.solve(scenario.game_at(values))
        components = {
            eq.component if eq.component is not None else ("solo", k) for k, eq in enumerate(solution.equilibria)
        }
        agree += table["equilibria"][row * n + j] == len(components)
        same_label += table["regime"][row * n + j] == regime_label(solution)
    print(f"x_r = 5: {agree}/{n} grid points have the exact solver's number of equilibria, {same_label}/{n} its "
          f"label ({time.perf_counter() - start:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
