"""Benchmark: one answer on the live page vs one answer from the command line.

    python3 bench/bench_live_page.py [FILE] [--param x_r] [--free x_r --free m_us] [--moves 40] [--commands 5]

Writes the live page of FILE (default games/deterrence.json) with ``gametheory app`` (only the
``--free`` parameters on sliders if given, which is quicker to build), opens it in headless Chromium
(``/usr/bin/chromium``, driven by Playwright), moves the slider of ``--param`` to ``--moves`` values
across its range and reads the time each change took on the page (evaluation and redrawing of the
equilibria, payoff table, tree and explanation, as the page itself measures it; the regime map is
computed afterwards, a few columns per frame, and is timed separately). The alternative is what a
teacher types today for the same question: ``gametheory solve FILE --set NAME=VALUE``, timed from
process start to output closed, ``--commands`` times. Prints both medians and their ratio, the
time to build the page and its size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "games" / "deterrence.json"))
    parser.add_argument("--param", default="x_r")
    parser.add_argument("--free", action="append", default=[])
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--commands", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp()) / "page.html"
    command = [sys.executable, "-m", "gametheory", "app", args.file, "--out", str(out), "--param", args.param]
    command += [f"--free={name}" for name in args.free]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    print(f"page built in {time.perf_counter() - start:.1f} s, {out.stat().st_size // 1024} KB")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(out.as_uri())
        page.wait_for_selector("body[data-map-ready=true]", state="attached", timeout=120_000)
        first_map = float(page.get_attribute("body", "data-map-ms"))
        q = page.evaluate(f"MODEL.parameters.find(q => q.name === {args.param!r})")
        values = [q["low"] + (q["high"] - q["low"]) * (k + 0.5) / args.moves for k in range(args.moves)]
        page_ms = []
        for v in values:
            page.evaluate(
                "([name, v]) => { const el = document.getElementById('range-' + name); el.value = v;"
                " el.dispatchEvent(new Event('input')); }",
                [args.param, v],
            )
            page_ms.append(float(page.get_attribute("body", "data-update-ms")))
        browser.close()

    cli_ms = []
    for v in values[:: max(1, len(values) // args.commands)][: args.commands]:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "gametheory", "solve", args.file, "--set", f"{args.param}={v:.4f}"],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        cli_ms.append((time.perf_counter() - start) * 1000)
    page_median, cli_median = statistics.median(page_ms), statistics.median(cli_ms)
    print(f"live page, per change of {args.param}: median {page_median:.2f} ms, max {max(page_ms):.2f} ms")
    print(f"regime map (in the background, spread over frames): {first_map:.0f} ms")
    print(f"gametheory solve --set, per answer: median {cli_median:.0f} ms")
    print(f"ratio solve / live page: {cli_median / page_median:.0f}x")


if __name__ == "__main__":
    main()
