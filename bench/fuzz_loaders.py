"""A long mutation-fuzz campaign over the readers and the expression parser.

    PYTHONPATH=$PWD nice -n 19 python bench/fuzz_loaders.py --minutes 30 [--seeds DIR ...] [--crashes DIR]

Inputs are mutated from seeds (every file of ``games/``, ``tests/data/``,
``tests/fuzz_corpus/`` and any ``--seeds`` folder, e.g. Gambit's
``contrib/games``; expressions from the payoffs of those scenarios) with byte
flips, deletions, splices and insertions of hostile fragments (huge
exponents, thousands of digits, lone surrogates, duplicate keys, deep
nesting, control characters). Each input goes to a worker process that
loads it the way the command line does (``tests/fuzzing.py``: scenario JSON
read, validated and bound; .nfg/.efg read and bound; expressions parsed,
evaluated, converted to sympy)
under a 2 GB address-space limit; an input that takes more than 20 s of CPU
time counts as slow, and a worker that gives no answer in 180 s is killed. Counted outcomes: accepted, refused with an
``InputError`` (the intended answer to bad input), internal error (any other
exception: a bug), over 20 s, over 2 GB (``MemoryError``, or the worker
killed by the limit). Each failing input is saved under ``--crashes`` for the
checked-in corpus (``tests/fuzz_corpus/``). Prints the counts at the end.

Not a test (it runs for as long as it is told); ``tests/test_fuzz.py`` runs
the same checks on a few hundred hypothesis examples and the saved corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing as mp
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: An input that takes more CPU seconds than this counts as a run over 20 s. CPU time, not
#: wall time: the campaign runs at nice 19 on a shared machine, where the wall clock says little.
STEP_SECONDS = 20.0
#: A worker that has not answered after this many wall-clock seconds is killed (and counted as slow).
WALL_SECONDS = 180.0
MEMORY_BYTES = 2 * 1024**3

sys.path.insert(0, str(ROOT))
from tests.fuzzing import HOSTILE  # noqa: E402 (after the path is set)


# ------------------------------------------------------------------ the worker
def _worker(inbox: mp.Queue, outbox: mp.Queue) -> None:
    import resource
    import warnings

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    warnings.simplefilter("ignore")
    sys.path.insert(0, str(ROOT))
    from tests.fuzzing import exercise

    outbox.put("ready")
    while True:
        item = inbox.get()
        if item is None:
            return
        kind, data = item
        started = time.process_time()
        try:
            outcome = exercise(kind, data)
        except MemoryError:
            outcome = "memory"
        except Exception as exc:
            outcome = f"internal {type(exc).__name__}: {str(exc)[:200]}"
        outbox.put((outcome, time.process_time() - started))


# ------------------------------------------------------------------ mutations
def _seeds(extra: list[Path]) -> dict[str, list[bytes]]:
    folders = [ROOT / "games", ROOT / "tests" / "data", ROOT / "tests" / "fuzz_corpus", *extra]
    seeds: dict[str, list[bytes]] = {"json": [], "nfg": [], "efg": [], "expr": []}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            kind = path.suffix.lstrip(".")
            if kind in seeds and path.is_file() and path.stat().st_size < 200_000:
                seeds[kind].append(path.read_bytes())
    for text in seeds["json"]:
        with contextlib.suppress(ValueError):  # a seed that is not JSON gives no expressions
            _collect_expressions(json.loads(text), seeds["expr"])
    seeds["expr"] += [b"a + b", b"max(a, b) * 2", b"if(a > b, x, -y)", b"sqrt(a) / (b - 1)", b"a**2 - 3/4"]
    return seeds


def _collect_expressions(data: object, out: list[bytes]) -> None:
    if isinstance(data, dict):
        for value in data.values():
            _collect_expressions(value, out)
    elif isinstance(data, list):
        for value in data:
            _collect_expressions(value, out)
    elif isinstance(data, str) and any(c in data for c in "+-*/(") and len(data) < 200:
        out.append(data.encode())


def _mutate(rng: random.Random, seed: bytes, others: list[bytes]) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        at = rng.randrange(len(data) + 1)
        choice = rng.random()
        if choice < 0.35:
            fragment = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
            data[at:at] = fragment
        elif choice < 0.5 and data:
            data[at : at + rng.randrange(1, 40)] = b""
        elif choice < 0.65 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.8 and others:
            donor = rng.choice(others)
            start = rng.randrange(len(donor) + 1)
            data[at:at] = donor[start : start + rng.randrange(1, 80)]
        elif choice < 0.9 and data:  # replace a number by a hostile one
            digits = [k for k, c in enumerate(data) if chr(c).isdigit()]
            if digits:
                k = rng.choice(digits)
                data[k : k + 1] = rng.choice(HOSTILE[:6]).encode()
        else:
            data[at:at] = data[at : at + rng.randrange(1, 200)]  # duplicate a run (keys, nesting)
    return bytes(data)


# ------------------------------------------------------------------ the parent
def _replay(paths: list[Path]) -> None:
    """Each saved input (its kind is its suffix) through the worker's checks, with its CPU time."""
    context = mp.get_context("spawn")
    inbox, outbox = context.Queue(), context.Queue()
    for path in paths:
        inbox.put((path.suffix.lstrip("."), path.read_bytes()))
    inbox.put(None)
    process = context.Process(target=_worker, args=(inbox, outbox))
    process.start()
    outbox.get()  # ready
    for path in paths:
        outcome, seconds = outbox.get()
        print(f"{seconds:7.2f} s CPU  {outcome[:100]}  {path.name}", flush=True)
    process.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=Path, action="append", default=[])
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--replay", type=Path, nargs="*", help="run these saved inputs once each and print the outcome")
    args = parser.parse_args()
    if args.replay:
        _replay(args.replay)
        return
    rng = random.Random(args.seed)
    seeds = _seeds(args.seeds)
    print("seeds:", {k: len(v) for k, v in seeds.items()}, flush=True)
    counts: Counter[str] = Counter()
    internal: Counter[str] = Counter()
    args.crashes.mkdir(parents=True, exist_ok=True)
    context = mp.get_context("spawn")
    worker = None
    deadline = time.monotonic() + 60 * args.minutes
    last_report = time.monotonic()
    while time.monotonic() < deadline:
        if worker is None:
            inbox, outbox = context.Queue(), context.Queue()
            worker = context.Process(target=_worker, args=(inbox, outbox), daemon=True)
            worker.start()
            outbox.get(timeout=600)  # imported: the clock of the first input starts now
        kind = rng.choice(("json", "json", "nfg", "efg", "expr", "expr"))
        if not seeds[kind]:
            continue
        data = _mutate(rng, rng.choice(seeds[kind]), seeds[kind])
        inbox.put((kind, data))
        try:
            outcome, seconds = outbox.get(timeout=WALL_SECONDS)
            if seconds > STEP_SECONDS:
                outcome = "slow"
        except Exception:  # queue.Empty: far over the time limit, or the worker died (memory limit)
            outcome = "slow" if worker.is_alive() else "memory"
            worker.kill()
            worker.join()
            worker = None
        counts[kind] += 1
        family = outcome.split(":")[0]
        counts[family] += 1
        if family not in ("accepted", "refused"):
            internal[f"{kind} {outcome[:120]}"] += 1
            name = hashlib.sha1(data).hexdigest()[:12]
            (args.crashes / f"{family.replace(' ', '-')}-{name}.{kind}").write_bytes(data)
        if time.monotonic() - last_report > 60:
            print(dict(counts), flush=True)
            last_report = time.monotonic()
    if worker is not None:
        inbox.put(None)
        worker.join(timeout=5)
        worker.kill()
    tried = sum(counts[k] for k in ("json", "nfg", "efg", "expr"))
    print(f"inputs tried: {tried} ({', '.join(f'{k} {counts[k]}' for k in ('json', 'nfg', 'efg', 'expr'))})")
    print(f"accepted: {counts['accepted']}, refused with a located error: {counts['refused']}")
    errors = sum(v for k, v in counts.items() if k.startswith("internal"))
    print(f"internal errors: {errors}, over {STEP_SECONDS:.0f} s: {counts['slow']}, over 2 GB: {counts['memory']}")
    for failure, count in internal.most_common(40):
        print(f"  {count:5d}  {failure}")
    sys.exit(1 if errors or counts["slow"] or counts["memory"] else 0)


if __name__ == "__main__":
    main()
