"""Run ``gametheory solve --timeout T`` on every game of Gambit's own collection and count the outcomes.

    PYTHONPATH=$PWD python bench/gambit_collection.py GAMBIT/contrib/games [--timeout 10] [--grace 20]

Each ``.nfg`` and ``.efg`` file is solved as a user would type it, in its
own process. An outcome is: solved (exit 0), refused with a clear message
(exit 2, one ``error:`` line), internal error (exit 1), or over the limit
(no answer within ``--timeout`` plus ``--grace`` seconds: the process is
killed), or false claim (solved, but a profile marked exact has nonzero
exact regret in the file's game, or a component is numbered in an
incomplete list: :func:`audit`). The JSON output is read for the number of equilibria and for what
it says is incomplete (the list, or a phase stopped at the timeout). Prints one line
per file and the totals; exits 1 if any file ended in an internal error or
went over the limit. The collection itself is not part of this repository
(``fetch github:gambitproject/gambit``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def solve_one(path: Path, timeout: float, grace: float) -> tuple[str, str, float]:
    """(outcome, detail, seconds) of ``gametheory solve PATH --timeout T --format json``."""
    command = [sys.executable, "-m", "gametheory", "solve", str(path), "--timeout", str(timeout), "--format", "json"]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout + grace)
    except subprocess.TimeoutExpired:
        return "over the limit", "", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if done.returncode == 0:
        false = audit(path, done.stdout)
        if false:
            return "false claim", "; ".join(false)[:300], seconds
        return "solved", _claims(done.stdout), seconds
    if done.returncode == 2:
        return "refused", done.stderr.strip().splitlines()[-1][:160], seconds
    return "internal error", (done.stderr.strip().splitlines() or [""])[-1][:160], seconds


def _claims(output: str) -> str:
    """How many equilibria, and whether the output says the list or the analysis is incomplete."""
    try:
        data = json.loads(output)
    except ValueError:
        return "output is not JSON"
    equilibria = data.get("equilibria", [])
    stopped = [note for note in data.get("notes", []) if "not computed" in str(note)]
    incomplete = "" if data.get("complete", True) else " (list incomplete)"
    return f"{len(equilibria)} equilibria{incomplete}" + ("; " + "; ".join(stopped) if stopped else "")


def audit(path: Path, output: str) -> list[str]:
    """The claims of a JSON answer that do not hold, checked again in exact arithmetic.

    Every profile given with exact values (Nash and subgame-perfect) must have
    exactly zero regret in the file's game (its reduced normal form for a tree);
    a component number may be given only when the list is complete.
    """
    from fractions import Fraction

    from gametheory.certify import certify
    from gametheory.formats import load

    data = json.loads(output)
    game = load(str(path)).bind()
    false = []
    entries = [("equilibrium", e) for e in data.get("equilibria", [])]
    entries += [("subgame-perfect", e) for e in data.get("subgame_perfect", [])]
    for k, (kind, entry) in enumerate(entries):
        if "exact" in entry:
            profile = [
                [Fraction(entry["exact"][p][s]) for s in names] for p, names in zip(game.players, game.strategies)
            ]
            regret = certify(game, profile).max_regret
            if regret != 0:
                false.append(f"{kind} {k} marked exact has regret {float(regret):.2g}")
        if "component" in entry and not data.get("complete", True):
            false.append(f"{kind} {k} has component {entry['component']} in an incomplete list")
    return false


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--grace", type=float, default=20.0, help="seconds allowed past --timeout before a kill")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.suffix in (".nfg", ".efg"))
    counts: Counter[str] = Counter()
    for path in files:
        outcome, detail, seconds = solve_one(path, args.timeout, args.grace)
        counts[outcome] += 1
        print(f"{outcome:15s} {seconds:6.1f} s  {path.relative_to(args.folder)}  {detail}", flush=True)
    kinds = ("solved", "refused", "internal error", "over the limit", "false claim")
    print(", ".join(f"{name}: {counts[name]}" for name in kinds))
    print(f"files: {len(files)}")
    sys.exit(1 if counts["internal error"] or counts["over the limit"] or counts["false claim"] else 0)


if __name__ == "__main__":
    main()
