"""Benchmark: all equilibria of random 2-player games, gametheory vs lrsnash vs pygambit vs nashpy.

    python3 bench/bench_bimatrix.py [--sizes 4,6,8,10] [--games 5] [--high 100] [--seed 0]
                                    [--gambit-max 12] [--nashpy-max 8]

Runs the same seeded random n x n games (integer payoffs in [0, high); a small
``--high`` such as 4 gives degenerate games, full of ties) through

* gametheory ``enumerate_bimatrix`` (exact) and ``lemke_howson_all`` (exact, one run per label),
* lrslib's ``lrsnash`` (exact, when on PATH): the whole process, input file written beforehand,
* pygambit ``enummixed_solve`` with ``rational=True`` and ``rational=False`` (up to ``--gambit-max``),
* nashpy ``vertex_enumeration`` (only up to 8x8: it takes seconds beyond),

checks that the equilibrium sets agree (exactly against lrsnash's and Gambit's
rational output, within 1e-6 against the float methods; Lemke-Howson's must be
a subset), and prints the median time per game of each method and the ratios
gametheory / lrsnash and gametheory / gambit-exact (our time is the library
call, in the same process). Missing optional tools are skipped.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gametheory.game import NormalFormGame
from gametheory.solvers.bimatrix import enumerate_bimatrix, lemke_howson_all

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover - optional
    gbt = None
try:
    import nashpy
except ImportError:  # pragma: no cover - optional
    nashpy = None


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    out = function(*args, **kwargs)
    return out, time.perf_counter() - start


def gambit_profiles(A, B, rational: bool):
    result = gbt.nash.enummixed_solve(gbt.Game.from_arrays(A, B), rational=rational)
    convert = (lambda v: Fraction(v.numerator, v.denominator)) if rational else float
    return [
        tuple(tuple(convert(v) for _, v in strat) for _, strat in eq.mixed_strategies()) for eq in result.equilibria
    ]


def lrsnash_run(A, B):
    """(extreme equilibria, wall and CPU seconds of the whole ``lrsnash`` process) for the game (A, B).

    lrsnash prints blocks separated by blank lines; in each, every line
    ``2 y... v`` pairs with every line ``1 x... v`` (a maximal Nash subset).
    """
    m, n = A.shape
    lines = [f"{m} {n}", ""] + [" ".join(map(str, r)) for r in A] + [""] + [" ".join(map(str, r)) for r in B]
    with tempfile.NamedTemporaryFile("w", suffix=".game", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(["lrsnash", handle.name], capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        Path(handle.name).unlink()
    found = set()
    for block in out.split("\n\n"):
        rows = [line.split() for line in block.splitlines()]
        xs = [tuple(Fraction(w) for w in r[1 : 1 + m]) for r in rows if r and r[0] == "1"]
        ys = [tuple(Fraction(w) for w in r[1 : 1 + n]) for r in rows if r and r[0] == "2"]
        found.update((x, y) for x in xs for y in ys)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return found, elapsed, cpu


def nashpy_profiles(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(tuple(x), tuple(y)) for x, y in nashpy.Game(A, B).vertex_enumeration()]


def dedupe(float_profiles, digits=9):
    """Float profiles without repeats (Gambit lists some extreme equilibria twice in degenerate games)."""
    out = {}
    for x, y in float_profiles:
        out.setdefault(tuple(round(float(v), digits) for v in (*x, *y)), (x, y))
    return list(out.values())


def same_set(exact_profiles, float_profiles, tol=1e-6) -> bool:
    """True when the float profiles are the exact ones (each matched within tol, same count, repeats ignored)."""
    float_profiles = dedupe(float_profiles)
    if len(exact_profiles) != len(float_profiles):
        return False
    flat = [np.concatenate([np.asarray(x, float), np.asarray(y, float)]) for x, y in exact_profiles]
    for x, y in float_profiles:
        v = np.concatenate([np.asarray(x, float), np.asarray(y, float)])
        if not any(np.max(np.abs(v - w)) <= tol for w in flat):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="4,6,8,10", help="comma-separated n for n x n games")
    parser.add_argument("--games", type=int, default=5, help="games per size")
    parser.add_argument("--high", type=int, default=100, help="payoffs are integers in [0, high)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nashpy-max", type=int, default=8, help="largest n given to nashpy")
    parser.add_argument("--gambit-max", type=int, default=12, help="largest n given to Gambit (slow beyond)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rng = np.random.default_rng(args.seed)
    methods = ["gametheory", "gametheory-lh"]
    lrs = shutil.which("lrsnash") is not None
    if lrs:
        methods += ["lrsnash"]
    if gbt is not None:
        methods += ["gambit-exact", "gambit-float"]
    if nashpy is not None:
        methods += ["nashpy-vertex"]
    warm_A, warm_B = np.eye(2, dtype=int), np.eye(2, dtype=int)  # pay import and first-call costs up front
    enumerate_bimatrix(NormalFormGame.from_arrays(warm_A, warm_B))
    lemke_howson_all(NormalFormGame.from_arrays(warm_A, warm_B))
    if gbt is not None:
        gambit_profiles(warm_A, warm_B, True)
    if nashpy is not None:
        nashpy_profiles(warm_A, warm_B)
    rows = []
    cpu_ratios: list[tuple[int, float]] = []  # CPU time: less disturbed than wall time on a busy machine
    for n in sizes:
        times: dict[str, list[float]] = {k: [] for k in methods}
        agree = {k: 0 for k in methods if k != "gametheory"}
        counts = []
        repeats = 0
        cpu_ours: list[float] = []
        cpu_lrs: list[float] = []
        for _ in range(args.games):
            A = rng.integers(0, args.high, (n, n))
            B = rng.integers(0, args.high, (n, n))
            game = NormalFormGame.from_arrays(A, B)
            cpu_start = time.process_time()
            ours, t = timed(enumerate_bimatrix, game)
            cpu_ours.append(time.process_time() - cpu_start)
            times["gametheory"].append(t)
            counts.append(len(ours.profiles))
            mine = set(ours.profiles)
            lh, t = timed(lemke_howson_all, game)
            times["gametheory-lh"].append(t)
            agree["gametheory-lh"] += set(lh.profiles) <= mine
            if lrs:
                theirs, t, cpu = lrsnash_run(A, B)
                times["lrsnash"].append(t)
                cpu_lrs.append(cpu)
                agree["lrsnash"] += theirs == mine
            if gbt is not None and n <= args.gambit_max:
                theirs, t = timed(gambit_profiles, A, B, True)
                times["gambit-exact"].append(t)
                agree["gambit-exact"] += set(theirs) == mine
                repeats += len(theirs) - len(set(theirs))
                theirs, t = timed(gambit_profiles, A, B, False)
                times["gambit-float"].append(t)
                agree["gambit-float"] += same_set(ours.profiles, theirs)
            if nashpy is not None and n <= args.nashpy_max:
                theirs, t = timed(nashpy_profiles, A, B)
                times["nashpy-vertex"].append(t)
                agree["nashpy-vertex"] += same_set(ours.profiles, theirs)
        rows.append((n, times, agree, counts, repeats))
        if cpu_lrs:
            cpu_ratios.append((n, statistics.median(cpu_ours) / statistics.median(cpu_lrs)))

    def fmt(seconds: float) -> str:
        return f"{seconds * 1e3:9.1f} ms" if seconds < 1 else f"{seconds:9.2f} s "

    header = f"{'size':>6} {'eq (med)':>8} " + " ".join(f"{m:>14}" for m in methods) + "   ours/lrsnash ours/gambit"
    print(f"median time per game, {args.games} games per size, payoffs in [0, {args.high}), seed {args.seed}")
    print(header)
    for n, times, _agree, counts, _ in rows:
        cells = []
        for m in methods:
            cells.append(f"{fmt(statistics.median(times[m])):>14}" if times[m] else f"{'-':>14}")
        ours = statistics.median(times["gametheory"])
        ratio = "".join(
            f" {ours / statistics.median(times[m]):12.2f}" if times.get(m) else f" {'-':>12}"
            for m in ("lrsnash", "gambit-exact")
        )
        print(f"{n:>4}x{n:<2} {statistics.median(counts):>8} " + " ".join(cells) + ratio)
    if cpu_ratios:
        print("ours/lrsnash in CPU time (user + system): " + ", ".join(f"{n}x{n} {r:.2f}" for n, r in cpu_ratios))
    print("agreement with gametheory (games whose equilibrium sets match; for lh: subset):")
    for n, times, agree, _counts, repeats in rows:
        parts = [f"{m} {agree[m]}/{len(times[m])}" for m in agree if times[m]]
        extra = f" (gambit listed {repeats} extreme equilibria twice)" if repeats else ""
        print(f"  {n}x{n}: " + ", ".join(parts) + extra)
    bad = any(agree[m] != len(times[m]) for _, times, agree, _, _ in rows for m in agree)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
