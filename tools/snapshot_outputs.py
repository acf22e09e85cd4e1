#!/usr/bin/env python3
"""Write the outputs of the main commands on every scenario into one folder.

Run it before and after a change that must not alter behaviour, then compare
the two folders (``diff -r BEFORE AFTER``)::

    python3 tools/snapshot_outputs.py /tmp/before
    ... change the code ...
    python3 tools/snapshot_outputs.py /tmp/after && diff -r /tmp/before /tmp/after

A second argument runs only the commands whose label contains it (``report``).

Each command's stdout, stderr (durations masked) and exit code go into one
file named after the command and the scenario; files a command writes
(``--out``) are copied beside them. Commands run in parallel, one process each.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "games").glob("*.json")) + sorted((ROOT / "games" / "classics").glob("*.json"))
DURATION = re.compile(r"\d[\d,]*(?:\.\d+)? ?(?:s|ms)\b")
SLOW = {"force_generation", "force_composition"}  # their explain/report/sensitivity take minutes: quick forms only


def commands(scenario: Path) -> list[tuple[str, list[str], str | None]]:
    """(label, arguments, output file or None) for one scenario."""
    file = str(scenario.relative_to(ROOT))
    stem = scenario.stem
    runs: list[tuple[str, list[str], str | None]] = []
    for fmt in ("text", "json", "markdown", "latex"):
        runs.append((f"solve-{fmt}", ["solve", file, "--format", fmt], None))
    runs.append(("validate", ["validate", file], None))
    if stem not in SLOW:
        runs.append(("explain", ["explain", file], None))
        runs.append(("report-md", ["report", file, "--no-thresholds", "--out", "OUT.md"], "OUT.md"))
        runs.append(("sensitivity-json", ["sensitivity", file, "--format", "json"], None))
    runs.append(("convert-nfg", ["convert", file, "--to", "nfg"], None))
    return runs


def run(scenario: Path, label: str, args: list[str], out: str | None, dest: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        argv = [sys.executable, str(ROOT / "cli.py"), *[a.replace("OUT", f"{scratch}/OUT") for a in args]]
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900)
        command = f"$ gametheory {' '.join(args)}\n# exit {done.returncode}\n"
        text = f"{command}{done.stdout}\n# stderr\n{DURATION.sub('<t>', done.stderr)}"
        if out and (Path(scratch) / out).exists():
            text += f"\n# {out}\n" + DURATION.sub("<t>", (Path(scratch) / out).read_text())
        for extra in sorted(Path(scratch).glob("*.png")):  # plots written beside a handout
            text += f"\n# {extra.name}: sha256 {hashlib.sha256(extra.read_bytes()).hexdigest()}"
    escaped = scratch.replace("_", "\\_")  # as Markdown and LaTeX print it
    (dest / f"{scenario.stem}.{label}.txt").write_text(text.replace(scratch, "SCRATCH").replace(escaped, "SCRATCH"))


def main() -> None:
    dest = Path(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else ""  # run only the labels containing this text
    dest.mkdir(parents=True, exist_ok=True)
    jobs = [(s, *c) for s in SCENARIOS for c in commands(s)]
    jobs.append(
        (
            ROOT / "games/deterrence.json",
            "sweep-csv",
            ["sweep", "games/deterrence.json", "--vary", "x_r=0:15:31", "--vary", "m_us=0:4:9", "--out", "OUT.csv"],
            "OUT.csv",
        )
    )
    jobs.append(
        (
            ROOT / "games/sequencing.json",
            "sweep-csv",
            ["sweep", "games/sequencing.json", "--vary", "pledge_us=0:6:13", "--out", "OUT.csv"],
            "OUT.csv",
        )
    )
    jobs = [job for job in jobs if only in job[1]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: run(*job, dest), jobs))
    print(f"{len(jobs)} outputs in {dest}")


if __name__ == "__main__":
    main()
