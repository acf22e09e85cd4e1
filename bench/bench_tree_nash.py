"""Benchmark: the Nash sweep of a 2-player tree (games/legal_route.json, G7) as a user types it, against pygambit.

    python3 bench/bench_tree_nash.py [--n 20] [--runs 1]

G7's reduced normal form is a degenerate 3x16 game whose equilibria form
continua: each point's exact solve lists about fifty extreme equilibria, and
every one is certified in exact arithmetic. Three timings, in this run:

1. The whole command, in a fresh process (start to exit, median of ``--runs``)::

       gametheory sweep games/legal_route.json --vary x_us=0:10:N --vary p_lob=0:0.5:N --out s.csv

   against a pygambit loop over the same N x N points (``scenario.bind``, then
   ``pygambit.nash.enummixed_solve(..., rational=True)``, the exact extreme
   equilibria, without any certificate), building included. Gambit takes
   about 0.7 s a point here, so it runs on ``--gambit-points`` points spread
   over the grid and its time for the whole grid is extrapolated (said so).
2. The certification step alone, on the extreme equilibria of those points:
   :func:`gametheory.certify.certify_all` (integer-scaled, deviation payoffs
   shared between profiles) against the route it replaced, :func:`certify` and
   :func:`expected_payoffs` profile by profile in Fractions. The two must give
   the same regrets and payoffs (checked).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIO = ROOT / "games" / "legal_route.json"


def time_cli(n: int, out: Path) -> float:
    """Wall time of one run of the sweep command in a fresh process (start to exit)."""
    cmd = [sys.executable, "-m", "gametheory", "sweep", str(SCENARIO)]
    cmd += ["--vary", f"x_us=0:10:{n}", "--vary", f"p_lob=0:0.5:{n}", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def gambit_loop(scenario, points) -> float:
    """Seconds for pygambit's exact extreme equilibria at every point, game building included."""
    import pygambit as gbt
    from _gambit import gambit_game

    start = time.perf_counter()
    for point in points:
        _, G = gambit_game(gbt, scenario, point)
        gbt.nash.enummixed_solve(G, rational=True)
    return time.perf_counter() - start


def certification(games_and_profiles) -> tuple[float, float]:
    """Seconds to certify every profile: in batch, and one by one as before (results compared)."""
    from gametheory.certify import certify, certify_all
    from gametheory.game import expected_payoffs

    start = time.perf_counter()
    batch = [certify_all(game, profiles) for game, profiles in games_and_profiles]
    mid = time.perf_counter()
    single = [[(certify(g, p), expected_payoffs(g, p)) for p in profiles] for g, profiles in games_and_profiles]
    end = time.perf_counter()
    for new, old in zip(batch, single):
        assert [(c.regrets, c.payoffs) for c in new] == [(c.regrets, pay) for c, pay in old], "results differ"
    return mid - start, end - mid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="grid points per axis (default 20)")
    parser.add_argument("--runs", type=int, default=1, help="fresh CLI processes timed (median reported)")
    parser.add_argument("--gambit-points", type=int, default=25, help="grid points Gambit solves (extrapolated)")
    args = parser.parse_args(argv)

    import gametheory as gt
    from gametheory.sensitivity.sweep import grid_axis
    from gametheory.solvers.bimatrix import enumerate_bimatrix

    n = args.n
    scenario = gt.load(SCENARIO)
    points = [{"x_us": a, "p_lob": b} for a in grid_axis(0, 10, n) for b in grid_axis(0, 0.5, n)]
    print(f"grid: x_us in [0, 10] x p_lob in [0, 0.5], {n} x {n} = {len(points):,} points (games/legal_route.json)")
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        ours = statistics.median(time_cli(n, Path(tmp) / "s.csv") for _ in range(args.runs))
    sample = points[:: max(1, len(points) // max(1, args.gambit_points))]
    gambit = gambit_loop(scenario, sample) * len(points) / len(sample)
    print(f"sweep command (certified, exact): {ours:.2f} s")
    print(f"pygambit enummixed loop (exact, uncertified): {gambit:.2f} s, extrapolated from {len(sample)} points")
    print(f"  ratio pygambit / ours: {gambit / ours:.2f}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        games = [scenario.bind(point) for point in points]
    found = [(g, enumerate_bimatrix(g).profiles) for g in games]
    batch, single = certification(found)
    count = sum(len(p) for _, p in found)
    print(f"certifying {count:,} extreme equilibria: in batch {batch:.2f} s, one by one {single:.2f} s")
    print(f"  ratio one by one / batch: {single / batch:.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
