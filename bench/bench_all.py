"""Every speed comparison of issue #19 in one run: each benchmark script with modest settings, in turn.

    python3 bench/bench_all.py [--quick]

Runs, as separate processes (so that each starts cold and none inherits the
others' imports):

1. ``bench_startup.py``: cold ``gametheory solve games/deterrence.json`` against
   ``python -c "import numpy"``;
2. ``bench_bimatrix.py``: 2-player exact enumeration against lrsnash (when on
   PATH), Gambit's ``enummixed`` and nashpy, on random games (payoffs in
   [0, 100)) and on degenerate ones (payoffs in [0, 4), full of ties);
3. ``bench_nplayer.py``: N-player enumeration against Gambit's ``enumpoly``;
4. ``bench_logit.py``: logit QRE tracing against Gambit's ``logit_solve``.

Each script prints its own table with the ratio (ours / theirs, lower is
better) and whether the equilibrium sets agree; tools that are not installed
are skipped by the script concerned. ``--quick`` uses fewer and smaller games
(a smoke run of a few minutes rather than the full comparison).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def runs(quick: bool) -> list[tuple[str, list[str]]]:
    """(title, script and arguments) of every comparison."""
    if quick:  # Gambit's exact enumeration takes seconds per game beyond 8x8
        return [
            ("cold start", ["bench_startup.py", "--runs", "5"]),
            ("2-player, random", ["bench_bimatrix.py", "--sizes", "6,10", "--games", "3"]),
            ("2-player, degenerate", ["bench_bimatrix.py", "--sizes", "6,10", "--games", "3", "--high", "4"]),
            ("N-player", ["bench_nplayer.py", "--shapes", "2x2x2,3x3x3", "--games", "5", "--repeat", "1"]),
            ("logit QRE", ["bench_logit.py", "--shapes", "2x2,5x5,3x3x3", "--games", "5"]),
        ]
    return [
        ("cold start", ["bench_startup.py", "--runs", "9"]),
        ("2-player, random", ["bench_bimatrix.py", "--sizes", "6,8,10,12,15", "--games", "5", "--gambit-max", "10"]),
        (
            "2-player, degenerate",
            ["bench_bimatrix.py", "--sizes", "6,8,10,15", "--games", "5", "--high", "4", "--gambit-max", "8"],
        ),
        ("N-player", ["bench_nplayer.py", "--shapes", "2x2x2,2x2x2x2,3x3x3,3x3x2x2,2x2x2x2x2,4x4x3", "--repeat", "3"]),
        ("logit QRE", ["bench_logit.py", "--shapes", "2x2,5x5,10x10,2x2x2,3x3x3,2x2x2x2x2", "--repeat", "5"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer and smaller games")
    args = parser.parse_args()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # small dense algebra: threads only add overhead
    failed = []
    for title, command in runs(args.quick):
        if args.quick and command[0] == "bench_bimatrix.py":
            command = [*command, "--gambit-max", "8"]
        print(f"\n=== {title}: {' '.join(command)}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], env=env)
        if done.returncode:
            failed.append(title)
    if failed:
        print(f"\nexit status non-zero (disagreement or error) in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
