"""Checkpoint logs: resume after a kill loses and doubles nothing; a damaged or edited log is a located error.

Independent answers: the uninterrupted run of the same seed (draws are a
function of seed and draw index only), and the count of chunk lines in the
file. Every corruption below is a case from issue #18 item 6 or of the same
kind; each must end in exit code 2 naming the file and the line, never in a
traceback or a different total.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import InputError
from gametheory.sensitivity.checkpoint import FORMAT, ChunkLog, canonical_json, read_header, record_digest
from gametheory.sensitivity.montecarlo import monte_carlo
from tests.sensitivity.test_montecarlo import THRESHOLD, logged_chunks, scenario_file
from tests.support import ROOT


def reseal(record: dict) -> str:
    """A record line with a correct checksum (a careful hand-editor's change)."""
    body = {k: v for k, v in record.items() if k != "sha256"}
    return canonical_json(dict(body, sha256=record_digest(body)))


# ------------------------------------------------------------ the log itself
def test_log_appends_one_line_per_chunk_and_reads_them_back(tmp_path):
    path = tmp_path / "log"
    run = {"seed": 1}

    def check(chunk, data):
        if data != {"n": chunk}:
            raise InputError("wrong data")

    with ChunkLog.open(path, kind="test", run=run, chunks=4, check=check) as log:
        assert log.done == {}
        log.append(2, {"n": 2})
        log.append(0, {"n": 0})
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["format"] == FORMAT
    assert read_header(path)["run"] == run
    with ChunkLog.open(path, kind="test", run=run, chunks=4, check=check) as log:
        assert log.done == {2: {"n": 2}, 0: {"n": 0}}
        log.append(1, {"n": 1})
    assert len(path.read_text().splitlines()) == 4
    with pytest.raises(InputError, match=r"different run \(differs in: seed 1 vs 2\)"):
        ChunkLog.open(path, kind="test", run={"seed": 2}, chunks=4, check=check)


def test_torn_last_line_is_dropped_and_cut_off_before_appending(tmp_path):
    path = tmp_path / "log"
    with ChunkLog.open(path, kind="t", run={}, chunks=3, check=lambda c, d: None) as log:
        log.append(0, {"a": 1})
        log.append(1, {"a": 2})
    whole = path.read_bytes()
    path.write_bytes(whole[:-7])  # the kill came in the middle of chunk 1's line
    with ChunkLog.open(path, kind="t", run={}, chunks=3, check=lambda c, d: None) as log:
        assert set(log.done) == {0}
        log.append(1, {"a": 2})
    assert path.read_bytes() == whole
    path.write_bytes(whole[:10])  # killed while writing the header: a fresh start
    with ChunkLog.open(path, kind="t", run={}, chunks=3, check=lambda c, d: None) as log:
        assert log.done == {}
    assert read_header(path) is not None and len(path.read_bytes().splitlines()) == 1


def test_a_log_in_use_is_refused_and_special_files_are_not_read(tmp_path):
    path = tmp_path / "log"
    with (
        ChunkLog.open(path, kind="t", run={}, chunks=1, check=lambda c, d: None),
        pytest.raises(InputError, match="in use by another run"),
    ):
        ChunkLog.open(path, kind="t", run={}, chunks=1, check=lambda c, d: None)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="regular file"):
        ChunkLog.open(fifo, kind="t", run={}, chunks=1, check=lambda c, d: None)


# --------------------------------------------------- Monte Carlo on the log
@pytest.fixture(scope="module")
def original_run(tmp_path_factory):
    """A finished 2,000-draw run (4 chunks of 500): its scenario file, checkpoint bytes and result (made once)."""
    folder = tmp_path_factory.mktemp("original")
    path = scenario_file(folder, THRESHOLD)
    checkpoint = folder / "run.ckpt"
    result = monte_carlo(gt.load(path), 2000, 3, chunk_size=500, checkpoint=checkpoint, symbolic=True, jobs=1)
    return path, checkpoint.read_bytes(), result


@pytest.fixture
def finished_run(tmp_path, original_run):
    """A private copy of :func:`original_run`'s checkpoint, free to damage."""
    path, data, result = original_run
    checkpoint = tmp_path / "run.ckpt"
    checkpoint.write_bytes(data)
    return path, checkpoint, result


def cli(*args):
    from gametheory.cli import app

    return CliRunner().invoke(app, ["montecarlo", *[str(a) for a in args]])


def edit_record(checkpoint: Path, line: int, change, *, seal: bool = True) -> None:
    lines = checkpoint.read_text().splitlines()
    record = json.loads(lines[line - 1])
    change(record)
    lines[line - 1] = reseal(record) if seal else json.dumps(record)
    checkpoint.write_text("\n".join(lines) + "\n")


def set_data(key, value):
    def change(record):
        record["data"][key] = value

    return change


def first_label(record) -> str:
    return next(iter(record["data"]["counts"]))


def invent_label(record):
    counts = record["data"]["counts"]
    label = first_label(record)
    counts["pure(nuke,l)"] = counts.pop(label)
    record["data"]["sum"]["pure(nuke,l)"] = record["data"]["sum"].pop(label)


def move_draws_between_labels(record):  # counts still add up, but one of them is 0
    counts = record["data"]["counts"]
    a, b = list(counts)[:2]
    counts[a] += counts[b]
    counts[b] = 0


def empty_the_log(checkpoint: Path) -> None:  # issue #18: an emptied done list kept its totals
    lines = checkpoint.read_text().splitlines()
    checkpoint.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[1] + "\n")


CORRUPTIONS = {
    "a digit changed, checksum not updated": (
        lambda ck: edit_record(ck, 2, set_data("draws", 499), seal=False),
        "line 2: checksum does not match",
    ),
    "chunk recorded twice": (empty_the_log, "line 3: chunk 0 is recorded twice"),
    "chunk out of range": (lambda ck: edit_record(ck, 3, lambda r: r.update(chunk=4)), "line 3: chunk number 4"),
    "draws of a chunk changed": (
        lambda ck: edit_record(ck, 2, set_data("draws", 4000)),
        "line 2 (chunk 0): draws is 4000, but chunk 0 has 500 draws",
    ),
    "invented regime label": (
        lambda ck: edit_record(ck, 2, invent_label),
        "'pure(nuke,l)' is not a regime label of this scenario",
    ),
    "a count of zero (ZeroDivisionError before)": (
        lambda ck: edit_record(ck, 2, move_draws_between_labels),
        "must be a whole number from 1 to 500, got 0",
    ),
    "a count that is text (TypeError before)": (
        lambda ck: edit_record(ck, 2, lambda r: r["data"]["counts"].update({first_label(r): "250"})),
        "must be a whole number",
    ),
    "negative sum of squares (math domain error before)": (
        lambda ck: edit_record(ck, 2, set_data("sumsq", {"x": "-5"})),
        "sumsq.x is negative",
    ),
    "a sum with a zero denominator": (
        lambda ck: edit_record(ck, 2, lambda r: r["data"]["sum"][first_label(r)].update(x="1/0")),
        "must be an exact rational",
    ),
    "a sum given as a huge literal": (
        lambda ck: edit_record(ck, 2, lambda r: r["data"]["sum"][first_label(r)].update(x="1e999999999")),
        "must be an exact rational",
    ),
    "a minimum outside the range": (
        lambda ck: edit_record(ck, 2, set_data("min", {"x": -3.0})),
        "min and max of x must satisfy 0 <= min <= max <= 1",
    ),
    "NaN in a record": (
        lambda ck: ck.write_text(ck.read_text().replace('"boundary":0', '"boundary":NaN', 1)),
        "line 2: not valid JSON",
    ),
    "a field missing": (
        lambda ck: edit_record(ck, 2, lambda r: r["data"].pop("how")),
        "must have exactly the fields",
    ),
    "garbage line in the middle": (
        lambda ck: ck.write_text(ck.read_text().replace("\n", "\n}{\n", 1)),
        "line 2: not valid JSON",
    ),
    "header edited to more samples": (
        lambda ck: edit_record(ck, 1, lambda r: r["run"].update(samples=4000)),
        "different run (differs in: samples 4000 vs 2000)",
    ),
    "header run replaced by a list": (
        lambda ck: edit_record(ck, 1, lambda r: r.update(run=[1])),
        "line 1: the header's run must be an object",
    ),
    "header checksum wrong": (
        lambda ck: edit_record(ck, 1, lambda r: r["run"].update(seed=4), seal=False),
        "line 1: the header's checksum does not match",
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_every_corruption_is_exit_2_naming_file_and_line(finished_run, name):
    path, checkpoint, _ = finished_run
    corrupt, message = CORRUPTIONS[name]
    corrupt(checkpoint)
    result = cli(path, "--samples", 2000, "--seed", 3, "--chunk-size", 500, "--checkpoint", checkpoint)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {checkpoint}: "), result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_the_old_single_document_format_is_refused_with_advice(tmp_path):
    path = scenario_file(tmp_path, THRESHOLD)
    checkpoint = tmp_path / "old.json"
    checkpoint.write_text(json.dumps({"format": "gametheory-montecarlo-checkpoint/1", "done": [], "totals": {}}))
    result = cli(path, "--samples", 100, "--seed", 1, "--checkpoint", checkpoint)
    assert result.exit_code == 2 and "older version" in result.stderr and str(checkpoint) in result.stderr


def test_a_torn_record_is_recomputed_and_the_totals_match_an_uninterrupted_run(finished_run):
    path, checkpoint, full = finished_run
    data = checkpoint.read_bytes()
    checkpoint.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 40])  # half of the last chunk's line
    resumed = monte_carlo(gt.load(path), 2000, 3, chunk_size=500, checkpoint=checkpoint, symbolic=True, jobs=1)
    assert resumed.resumed_chunks == 3 and resumed.counts == full.counts
    assert sum(resumed.counts.values()) == 2000 and logged_chunks(checkpoint) == [0, 1, 2, 3]


def test_killed_run_resumes_without_losing_or_doubling_a_draw(tmp_path):
    """SIGKILL a real `gametheory montecarlo --checkpoint` process after it has logged a few chunks;
    the resumed run equals an uninterrupted one and no temporary file is left."""
    path = scenario_file(tmp_path, THRESHOLD)
    checkpoint = tmp_path / "run.ckpt"
    args = [path, "--samples", 20_000, "--seed", 5, "--chunk-size", 500, "--jobs", 1, "--format", "json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "gametheory", "montecarlo", *map(str, args), "--checkpoint", str(checkpoint)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if checkpoint.exists() and checkpoint.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    done_before = logged_chunks(checkpoint)
    assert 2 <= len(done_before) < 40  # killed mid-run
    resumed = cli(*args, "--checkpoint", checkpoint)
    assert resumed.exit_code == 0, resumed.output
    fresh = cli(*args)
    got, want = json.loads(resumed.stdout), json.loads(fresh.stdout)
    assert got == want and sum(r["count"] for r in got["regimes"]) == 20_000
    assert logged_chunks(checkpoint) == list(range(40))
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=st.tuples(st.sampled_from(["flip", "delete", "insert", "cut"]), st.floats(0, 1), st.integers(0, 255)))
def test_any_damage_is_refused_or_changes_nothing(original_run, tmp_path, edit):
    """Property: whatever one byte edit or cut does to a checkpoint, resuming either stops with an
    InputError naming the file, or gives exactly the uninterrupted run's counts (the damage only
    cost a recomputation)."""
    path, data, full = original_run
    kind, where, byte = edit
    at = min(int(where * len(data)), len(data) - 1)
    damaged = {
        "flip": data[:at] + bytes([data[at] ^ (byte or 1)]) + data[at + 1 :],
        "delete": data[:at] + data[at + 1 :],
        "insert": data[:at] + bytes([byte]) + data[at:],
        "cut": data[:at],
    }[kind]
    checkpoint = tmp_path / f"fuzz-{kind}-{at}-{byte}.ckpt"
    checkpoint.write_bytes(damaged)
    try:
        resumed = monte_carlo(gt.load(path), 2000, 3, chunk_size=500, checkpoint=checkpoint, symbolic=True, jobs=1)
    except InputError as exc:
        assert str(exc).startswith(f"{checkpoint}: ")
    else:
        assert resumed.counts == full.counts
