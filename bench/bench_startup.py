"""Start-up cost of the CLI, compared with `python -c "import numpy"` in the same run.

    python3 bench/bench_startup.py [--runs 7]

Prints the median wall time of each command over fresh processes and the ratio
of `python cli.py solve games/deterrence.json` to importing numpy alone. Also
lists which heavy modules (scipy, sympy, nashpy, matplotlib, pygambit) the solve
command imported, since a CLI call should not pay for what it does not use.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "sympy", "nashpy", "matplotlib", "pygambit", "jsonschema")


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def imported_heavy_modules(args: list[str]) -> list[str]:
    code = (
        f"import sys, runpy; sys.argv = ['cli.py'] + {args!r}\n"
        "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return [m for m in out.stderr.strip().splitlines()[-1].split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    solve = ["solve", "games/deterrence.json"]
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        ("python cli.py --help", [sys.executable, "cli.py", "--help"]),
        ("python cli.py solve games/deterrence.json", [sys.executable, "cli.py", *solve]),
        ("python cli.py solve ... --method pure", [sys.executable, "cli.py", *solve, "--method", "pure"]),
    ]
    results = {name: median_time(cmd, args.runs) for name, cmd in rows}
    numpy_time = results["python -c 'import numpy'"]
    print(f"{'command':48} {'median s':>9} {'x numpy':>8}")
    for name, t in results.items():
        print(f"{name:48} {t:9.3f} {t / numpy_time:8.2f}")
    print(
        "heavy modules imported by `solve games/deterrence.json`:", ", ".join(imported_heavy_modules(solve)) or "none"
    )


if __name__ == "__main__":
    main()
