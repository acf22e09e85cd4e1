"""Start-up cost of the CLI, compared with `python -c "import numpy"` in the same run.

    python3 bench/bench_startup.py [--runs 7]

Prints the median wall time and the median CPU time (user + system, which a
busy shared machine disturbs less) of each command over fresh processes, run
in turns after one warm-up run each, with bytecode caching on (the unset
``PYTHONDONTWRITEBYTECODE``, as for an installed package), and the ratio of
`gametheory solve games/deterrence.json` to importing numpy alone (the target
of issue #19: at most 2). Also lists which heavy modules (scipy, sympy, nashpy,
matplotlib, pygambit, jsonschema) the solve command imported, since a CLI call
should not pay for what it does not use.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "sympy", "nashpy", "matplotlib", "pygambit", "jsonschema")


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process running ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def median_times(rows: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) per command; commands take turns so that load changes hit them alike."""
    for cmd in rows.values():
        run_once(cmd)  # warm-up: bytecode written, files cached
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
    for _ in range(runs):
        for name, cmd in rows.items():
            samples[name].append(run_once(cmd))
    return {
        name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
        for name, got in samples.items()
    }


def imported_heavy_modules(args: list[str]) -> list[str]:
    code = (
        f"import sys, runpy; sys.argv = ['cli.py'] + {args!r}\n"
        "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    lines = out.stderr.strip().splitlines()
    return [m for m in lines[-1].split(",") if m] if lines else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    solve = ["solve", "games/deterrence.json"]
    script = Path(sys.executable).with_name("gametheory")
    command = [str(script)] if script.exists() else [sys.executable, "cli.py"]
    rows = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
        "python -c 'import gametheory'": [sys.executable, "-c", "import gametheory"],
        "gametheory --help": [*command, "--help"],
        "gametheory solve games/deterrence.json": [*command, *solve],
        "gametheory solve ... --method pure": [*command, *solve, "--method", "pure"],
    }
    results = median_times(rows, args.runs)
    numpy_wall, numpy_cpu = results["python -c 'import numpy'"]
    print(f"{'command':48} {'wall s':>8} {'x numpy':>8} {'cpu s':>8} {'x numpy':>8}")
    for name, (wall, cpu) in results.items():
        print(f"{name:48} {wall:8.3f} {wall / numpy_wall:8.2f} {cpu:8.3f} {cpu / numpy_cpu:8.2f}")
    wall, cpu = results["gametheory solve games/deterrence.json"]
    print(
        f"ratio solve / import numpy: {wall / numpy_wall:.2f} (wall), {cpu / numpy_cpu:.2f} (cpu); "
        f"target at most 2 ({args.runs} runs each, medians)"
    )
    print(
        "heavy modules imported by `solve games/deterrence.json`:", ", ".join(imported_heavy_modules(solve)) or "none"
    )


if __name__ == "__main__":
    main()
