"""Benchmark: logit QRE tracing, gametheory ``logit_solve`` vs pygambit ``logit_solve``.

    python3 bench/bench_logit.py [--shapes 2x2,5x5,10x10,20x20,2x2x2,3x3x3,4x4x4,2x2x2x2x2]
                                 [--games 10] [--high 1000] [--seed 0] [--repeat 3]

Runs the same seeded random games (integer payoffs in [0, high)) through both
tracers (each game ``--repeat`` times per method, the fastest run kept, the
methods alternating run by run, after a warm-up), checks
that they end at the same equilibrium (within 1e-5; both follow the principal
branch from the centroid), and prints per shape the median time per game,
the ratio gametheory / gambit, gametheory's median number of accepted steps,
how often its result was exact, and the worst regret of each method's answer
(relative to the payoff range: Gambit stops at 1e-8, ours is polished to an
exact or 1e-10-certified equilibrium).

Timings depend on the BLAS thread count: on a busy machine multi-threaded
OpenBLAS makes the dense linear algebra of large games many times slower;
``OPENBLAS_NUM_THREADS=1`` avoids that.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gametheory.certify import certify
from gametheory.game import NormalFormGame
from gametheory.solvers.logit import logit_solve

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover - optional
    gbt = None


def gambit_logit(game):
    """Gambit's answer on its game, and the time it took."""
    start = time.perf_counter()
    eq = gbt.nash.logit_solve(game).equilibria[0]
    elapsed = time.perf_counter() - start
    return [[float(eq[s]) for s in player.strategies] for player in game.players], elapsed


def ours(game):
    """Our answer, and the time it took."""
    start = time.perf_counter()
    result = logit_solve(game)
    return result, time.perf_counter() - start


def timed(arrays, repeat: int):
    """Both methods ``repeat`` times on the same game, alternating run by run (a burst of load on a busy machine
    then hits both), the fastest run of each kept."""
    game = NormalFormGame.from_arrays(*arrays)
    gambit_game = gbt.Game.from_arrays(*[a.astype(object) for a in arrays]) if gbt is not None else None
    t_ours = t_gambit = math.inf
    profile = None
    for _ in range(repeat):
        result, elapsed = ours(game)
        t_ours = min(t_ours, elapsed)
        if gambit_game is not None:
            profile, elapsed = gambit_logit(gambit_game)
            t_gambit = min(t_gambit, elapsed)
    return game, result, t_ours, profile, t_gambit


def regret(game, profile) -> float:
    spread = float(game.float_payoffs.max() - game.float_payoffs.min()) or 1.0
    return float(certify(game, [[float(x) for x in p] for p in profile]).max_regret) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="2x2,5x5,10x10,20x20,2x2x2,3x3x3,4x4x4,2x2x2x2x2")
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--high", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per game and method; the fastest is kept")
    args = parser.parse_args()
    if gbt is None:
        print("pygambit is not installed: nothing to compare with")
    rng = np.random.default_rng(args.seed)
    warm = [rng.integers(0, args.high, size=(3, 3)) for _ in range(2)]
    timed(warm, 1)  # imports and first-call costs out of the timings
    header = f"{'shape':>12} {'ours ms':>9} {'gambit ms':>10} {'ratio':>7} {'steps':>6} {'exact':>6} {'agree':>6}"
    print(header + f" {'regret ours':>12} {'regret gambit':>14}")
    for text in args.shapes.split(","):
        shape = tuple(int(v) for v in text.split("x"))
        t_ours, t_gambit, steps, exact, agree = [], [], [], 0, 0
        worst_ours = worst_gambit = 0.0
        for _ in range(args.games):
            arrays = [rng.integers(0, args.high, size=shape) for _ in shape]
            game, result, elapsed, profile, g_elapsed = timed(arrays, args.repeat)
            t_ours.append(elapsed)
            steps.append(result.stats.steps)
            if not result.profiles:
                print(f"  {text}: no result ({result.notes[-1]})")
                continue
            exact += result.exact
            worst_ours = max(worst_ours, regret(game, result.profiles[0]))
            if profile is not None:
                t_gambit.append(g_elapsed)
                worst_gambit = max(worst_gambit, regret(game, profile))
                gap = max(abs(float(a) - b) for p, q in zip(result.profiles[0], profile) for a, b in zip(p, q))
                agree += gap < 1e-5
        mo = statistics.median(t_ours) * 1e3
        mg = statistics.median(t_gambit) * 1e3 if t_gambit else float("nan")
        print(
            f"{text:>12} {mo:9.1f} {mg:10.1f} {mo / mg:7.2f} {statistics.median(steps):6.0f} "
            f"{exact:>3}/{args.games:<2} {agree:>3}/{args.games:<2} {worst_ours:12.1e} {worst_gambit:14.1e}"
        )


if __name__ == "__main__":
    main()
