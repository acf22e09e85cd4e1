"""Benchmark: a 2-parameter regime sweep of games/deterrence.json against a per-point pygambit loop.

    python3 bench/bench_sweep.py [--n 1000] [--sample 200] [--seed 1]

Ours: ``gametheory.sensitivity.sweep`` over x_r in [0, 15] x n_us in [2, 12]
(n x n grid, every equilibrium, pure and mixed, at every point), timed from a
cold start (the symbolic analysis and compilation included) and again warm.
Points that sit exactly on a threshold are flagged as boundary points and
labelled ``boundary`` in this run (resolving them with the exact solver is
reported separately, as its own cost).

Gambit: a loop that builds each game and calls
``pygambit.nash.enumpoly_solve(game, use_strategic=True)``, on a random sample
of the same grid points, timed per point (construction included, as in a
user's loop and in shared/BASELINES.md).

Agreement: at every sampled point away from boundaries, our label is compared
with the label of gametheory's general solver and with the equilibria Gambit
returns (supports read with a 1e-6 tolerance).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def gambit_label(gbt, scenario, point) -> tuple[str, float]:
    """Gambit's equilibria at one point, and the time of a loop iteration (building the game included)."""
    from gametheory.sensitivity.labels import combine

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = scenario.bind(point)
    G = gbt.Game.from_arrays(*[np.asarray(game.payoffs[k], dtype=float) for k in range(game.num_players)])
    result = gbt.nash.enumpoly_solve(G, use_strategic=True)
    elapsed = time.perf_counter() - start
    strategies = game.strategies
    supports = []
    for eq in result.equilibria:
        support = []
        for player in G.players:
            support.append(tuple(k for k, s in enumerate(player.strategies) if float(eq[s]) > 1e-6))
        supports.append(tuple(support))
    return combine(strategies, supports), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="grid points per axis (default 1000)")
    parser.add_argument("--sample", type=int, default=200, help="random grid points for the Gambit loop (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    import sympy  # noqa: F401  (import time reported separately)

    import gametheory as gt
    from gametheory.sensitivity import regime_label, sweep

    imports = time.perf_counter() - t0
    scenario = gt.load(ROOT / "games" / "deterrence.json")
    vary = {"x_r": (0, 15, args.n), "n_us": (2, 12, args.n)}
    points = args.n * args.n
    print(f"grid: x_r in [0, 15] x n_us in [2, 12], {args.n} x {args.n} = {points:,} points (games/deterrence.json)")
    print(f"imports (numpy, sympy, gametheory): {imports:.2f} s (not counted below)")

    wall, cpu = time.perf_counter(), time.process_time()
    result = sweep(scenario, vary, resolve_boundary=False, probabilities=False, max_points=max(points, 1))
    cold_wall, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    sweep(scenario, vary, resolve_boundary=False, probabilities=False, max_points=max(points, 1))
    warm_wall, warm_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rm = result.regimes
    ours_cold = points / cold_wall
    ours_warm = points / warm_wall
    print(
        f"ours, cold (symbolic analysis + compile + evaluate): {cold_wall:.2f} s wall ({cold_cpu:.2f} s cpu) "
        f"= {ours_cold:,.0f} points/s"
    )
    print(
        f"ours, warm (closed forms cached):                    {warm_wall:.2f} s wall ({warm_cpu:.2f} s cpu) "
        f"= {ours_warm:,.0f} points/s"
    )
    print(
        f"  {len(rm.regimes)} regimes; {int(rm.boundary.sum()):,} boundary points (a condition is exactly zero there)"
    )
    for label, count in rm.share().items():
        print(f"  {count / rm.size:7.2%}  {label}")

    rng = np.random.default_rng(args.seed)
    flat = rng.choice(points, size=min(args.sample, points), replace=False)
    idx = [np.unravel_index(int(k), rm.shape) for k in flat]
    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
        print("pygambit is not installed: Gambit loop skipped")

    agree_solver = agree_gambit = compared = 0
    gambit_time = 0.0
    solver_time = 0.0
    disagreements = []
    for i, j in idx:
        point = {"x_r": result.exact_axes["x_r"][i], "n_us": result.exact_axes["n_us"][j]}
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = scenario.bind(point)
        ours_solver = regime_label(gt.solve(game))
        solver_time += time.perf_counter() - start
        g_label = None
        if gbt is not None:
            g_label, elapsed = gambit_label(gbt, scenario, point)
            gambit_time += elapsed
        if rm.boundary[i, j]:
            continue
        compared += 1
        label = rm.labels[i, j]
        agree_solver += label == ours_solver
        if g_label is not None:
            agree_gambit += label == g_label
            if label != g_label:
                disagreements.append((point, label, g_label))
    n = len(idx)
    print(f"\nsample: {n} random grid points ({n - compared} on a boundary, {compared} compared)")
    print(f"gametheory general solver loop: {n / solver_time:,.0f} points/s")
    print(
        f"agreement with gametheory's general solver: {agree_solver}/{compared} = {agree_solver / max(1, compared):.1%}"
    )
    if gbt is not None:
        gambit_rate = n / gambit_time
        print(f"pygambit enumpoly_solve loop: {gambit_rate:,.0f} points/s")
        print(f"agreement with Gambit: {agree_gambit}/{compared} = {agree_gambit / max(1, compared):.1%}")
        for point, label, g_label in disagreements[:5]:
            print(f"  differs at {point}: ours {label!r}, Gambit {g_label!r}")
        print(
            f"\nratio ours/Gambit: cold {ours_cold / gambit_rate:,.0f}x, warm {ours_warm / gambit_rate:,.0f}x "
            f"(target: 1,000x)"
        )
    boundary = int(rm.boundary.sum())
    if boundary:
        per_point = solver_time / n
        jobs = min(2, os.cpu_count() or 1)
        print(
            f"resolving the {boundary:,} boundary points exactly would add about {boundary * per_point / jobs:.0f} s "
            f"({jobs} processes at {per_point * 1000:.0f} ms per point)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
