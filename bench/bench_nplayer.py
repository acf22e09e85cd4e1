"""Benchmark: all equilibria of random N-player games, gametheory vs pygambit's enumpoly.

    python3 bench/bench_nplayer.py [--games 20] [--shapes 2x2x2,2x2x2x2,3x3x3,3x3x2x2,2x2x2x2x2,4x4x3]
                                   [--repeat 3] [--seed 0] [--verbose] [--cpu]

Runs the same seeded random games (integer payoffs in [0, high), default
[0, 99]) through

* gametheory ``enumerate_polynomial`` (exact support enumeration), and
* pygambit ``enumpoly_solve(game, use_strategic=True)`` (skipped if pygambit is missing),

each timed as the best of ``--repeat`` runs per game (the machine is shared:
the best run is the least disturbed one). Both timings start from the same
integer arrays and include building each library's game object from them
(``NormalFormGame.from_arrays`` here, about 0.05 ms on 2x2x2x2;
``pygambit.Game.from_arrays``, about 0.3 ms), so the ratio compares
"arrays in, all equilibria out". Prints, per shape, the median time
per game of each, the ratio of the medians, the number of equilibria each
found, the median and the worst of the per-game ratios (ours / Gambit's
time on the same game), how many of Gambit's equilibria ours misses (matched within 1e-6; this
must be 0), and how many extra equilibria ours finds (every one of them is
certified by :func:`gametheory.certify.certify`, independently of the solver).
Gambit's enumpoly is known to miss equilibria (see shared/BASELINES.md), so
extra ones are expected. ``--verbose`` prints every game's times (to find
the worst ones). ``--cpu`` times both in process CPU time instead of wall
time (pygambit runs in this process too): on a loaded machine wall times
swing by 2x to 4x between runs, CPU times by a few percent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gametheory.certify import certify
from gametheory.game import NormalFormGame
from gametheory.solvers.polynomial import enumerate_polynomial

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover - optional
    gbt = None


def best_time(function, repeat: int, clock=time.perf_counter):
    best = None
    out = None
    for _ in range(repeat):
        start = clock()
        out = function()
        elapsed = clock() - start
        best = elapsed if best is None else min(best, elapsed)
    return out, best


def gambit_profiles(arrays) -> list:
    game = gbt.Game.from_arrays(*[np.asarray(a, dtype=object) for a in arrays])
    result = gbt.nash.enumpoly_solve(game, use_strategic=True)
    return [[[float(eq[s]) for s in player.strategies] for player in game.players] for eq in result.equilibria]


def close(p, q, tol: float = 1e-6) -> bool:
    return all(abs(float(a) - float(b)) <= tol for ra, rb in zip(p, q) for a, b in zip(ra, rb))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shapes", default="2x2x2,2x2x2x2,3x3x3,3x3x2x2,2x2x2x2x2,4x4x3", help="comma-separated shapes like 3x3x3"
    )
    parser.add_argument("--games", type=int, default=20, help="games per shape")
    parser.add_argument("--repeat", type=int, default=3, help="runs per game; the best is kept")
    parser.add_argument("--high", type=int, default=100, help="payoffs are integers in [0, high)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print every game's times")
    parser.add_argument("--cpu", action="store_true", help="time in process CPU time instead of wall time")
    args = parser.parse_args(argv)
    if gbt is None:
        print("pygambit not installed: timing gametheory only")

    header = (
        f"{'shape':<10} {'ours ms':>9} {'gambit ms':>10} {'ratio':>6} {'med r':>6} {'worst r':>8} {'ours eq':>8} "
        f"{'gambit eq':>10} {'missed':>7} {'extra':>6} {'certified':>10} {'complete':>9}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    clock = time.process_time if args.cpu else time.perf_counter
    for text in args.shapes.split(","):
        shape = tuple(int(x) for x in text.split("x"))
        rng = np.random.default_rng(args.seed)
        ours_t, gambit_t = [], []
        n_ours = n_gambit = missed = extra = certified = complete = 0
        for index in range(args.games):
            arrays = [rng.integers(0, args.high, size=shape) for _ in shape]
            game = NormalFormGame.from_arrays(*arrays)
            result, t = best_time(
                lambda arrays=arrays: enumerate_polynomial(NormalFormGame.from_arrays(*arrays)), args.repeat, clock
            )
            ours_t.append(t)
            ours = list(result.profiles)
            complete += bool(result.complete)
            n_ours += len(ours)
            certified += sum(1 for p in ours if certify(game, p).ok)
            if gbt is not None:
                theirs, tg = best_time(lambda arrays=arrays: gambit_profiles(arrays), args.repeat, clock)
                gambit_t.append(tg)
                n_gambit += len(theirs)
                missed += sum(1 for q in theirs if not any(close(p, q) for p in ours))
                extra += sum(1 for p in ours if not any(close(p, q) for q in theirs))
            if args.verbose:
                theirs_ms = f"{1e3 * gambit_t[-1]:9.2f} ms" if gambit_t else "-"
                print(f"  {text} game {index}: ours {1e3 * t:9.2f} ms, gambit {theirs_ms}, {len(ours)} eq", flush=True)
        mo = 1e3 * statistics.median(ours_t)
        if gambit_t:
            mg = 1e3 * statistics.median(gambit_t)
            ratios = [o / g for o, g in zip(ours_t, gambit_t)]
            row = (
                f"{text:<10} {mo:9.2f} {mg:10.2f} {mo / mg:6.2f} {statistics.median(ratios):6.2f} {max(ratios):8.2f} "
                f"{n_ours:8d} {n_gambit:10d} {missed:7d} {extra:6d}"
            )
        else:
            row = f"{text:<10} {mo:9.2f} {'-':>10} {'-':>6} {'-':>6} {'-':>8} {n_ours:8d} {'-':>10} {'-':>7} {'-':>6}"
        print(f"{row} {certified:>4d}/{n_ours:<5d} {complete:>4d}/{args.games:<4d}", flush=True)
        failures += missed + (n_ours - certified) + (args.games - complete)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
