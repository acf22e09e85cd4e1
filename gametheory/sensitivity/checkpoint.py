"""Append-only checkpoint logs for runs cut into numbered chunks (Monte Carlo; reusable by sweeps).

Why a log: a long run must be resumable after any interruption (Ctrl-C, a
killed job, a power cut) without recomputing finished work, and recording
progress must cost the same after the millionth chunk as after the first.
Rewriting one JSON document that lists every finished chunk (the previous
format) made each save grow with the run; here each finished chunk appends
one line and syncs it to disk, nothing else.

File format (JSON Lines, UTF-8, one object per line)
----------------------------------------------------
* line 1, the **header**: ``{"format": FORMAT, "kind": ..., "run": {...},
  "chunks": N, "sha256": ...}``. ``run`` is the identity of the run (whatever
  defines its results: for Monte Carlo the scenario's digest, seed, samples,
  chunk size, distributions and fixed values); ``chunks`` the number of chunks.
* every further line, one **finished chunk**: ``{"chunk": K, "data": {...},
  "sha256": ...}``, in the order the chunks finished (any order).

``sha256`` is the SHA-256 of the record's canonical JSON without the
``sha256`` key (keys sorted, no spaces, ASCII only), in hexadecimal: a record
damaged on disk or edited by hand without recomputing it is refused.

Reading (resuming) trusts nothing: the header must be a header of this format
for this very run; every record must be a JSON object with exactly those keys
and a correct checksum, name a chunk within ``0 .. N-1`` that no earlier
record named, and pass the caller's own check of its data (for Monte Carlo:
counts that add up to the chunk's draws, regime labels of this scenario,
finite numbers, ...). Any failure is an :class:`~gametheory.errors.InputError`
naming the file and the line, never a wrong total.

One exception is expected and tolerated: the **last line without its final
newline** is a write cut short by a kill. It is dropped (that chunk is simply
computed again) and the file is cut back to its last complete line before
anything is appended. The header is written the same way (created
exclusively, then synced), so no temporary file exists at any time and
nothing is left behind by a kill. While a run has the file open it holds an
exclusive lock on it (where the system offers ``flock``), so two runs cannot
interleave their records.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from typing import IO, Any

from ..errors import InputError

__all__ = ["FORMAT", "ChunkLog", "canonical_json", "read_header", "record_digest"]

FORMAT = "gametheory-checkpoint/2"
#: Longest line accepted (a hostile file cannot make the reader hold more than this at once).
MAX_LINE = 16 * 2**20
#: How every header line starts (canonical JSON sorts the keys).
_HEADER_START = b'{"chunks":'
RECORD_KEYS = frozenset({"chunk", "data", "sha256"})
HEADER_KEYS = frozenset({"format", "kind", "run", "chunks", "sha256"})

#: ``check(chunk, data)`` raises :class:`InputError` (unlocated) when a record's data are not consistent.
RecordCheck = Callable[[int, Any], None]


def canonical_json(value: Any) -> str:
    """The one text of ``value`` that checksums are computed on (sorted keys, no spaces, ASCII, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def record_digest(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a record's canonical JSON without its ``sha256`` key."""
    body = {k: v for k, v in record.items() if k != "sha256"}
    return hashlib.sha256(canonical_json(body).encode("ascii")).hexdigest()


def _sealed(record: dict[str, Any]) -> bytes:
    record = dict(record, sha256=record_digest(record))
    return (canonical_json(record) + "\n").encode("ascii")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice")
        out[key] = value
    return out


def _parse_line(raw: bytes) -> Any:
    """One line as JSON, strictly: UTF-8, no NaN/Infinity, no duplicate keys."""
    return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, object_pairs_hook=_unique_keys)


def _complete_lines(path: str) -> tuple[list[bytes], int, bytes]:
    """The complete lines of the file (without their newlines), the byte length they span, and the torn rest.

    A last line without its newline (a write cut short) is not among the lines
    but returned as the rest. Refuses anything but a regular file, and lines
    longer than :data:`MAX_LINE`.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return [], 0, b""
    except OSError as exc:
        raise InputError(f"cannot read checkpoint: {exc.strerror}", file=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("a checkpoint must be a regular file (not a directory, device or pipe)", file=path)
    lines: list[bytes] = []
    length = 0
    try:
        with open(path, "rb") as handle:
            while True:
                line = handle.readline(MAX_LINE + 1)
                if not line.endswith(b"\n"):
                    if len(line) > MAX_LINE:
                        raise InputError(f"line {len(lines) + 1} is longer than {MAX_LINE} bytes", file=path)
                    return lines, length, line  # end of file, or a torn last line
                lines.append(line[:-1])
                length += len(line)
    except OSError as exc:
        raise InputError(f"cannot read checkpoint: {exc.strerror}", file=path) from None


_OLD_FORMAT = b'"gametheory-montecarlo-checkpoint/1"'


def _header(line: bytes, path: str) -> dict[str, Any]:
    where = "line 1"
    if _OLD_FORMAT in line:
        raise InputError(
            "this checkpoint was written by an older version of gametheory (one JSON document); "
            "it cannot be resumed: delete it or use another file",
            file=path,
        )
    try:
        header = _parse_line(line)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a checkpoint: the header is not valid JSON ({exc})", file=path, path=where) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT or set(header) != HEADER_KEYS:
        raise InputError(f"not a checkpoint (expected a header of format {FORMAT!r})", file=path, path=where)
    if header["sha256"] != record_digest(header):
        raise InputError("the header's checksum does not match its content (damaged or edited)", file=path, path=where)
    if not isinstance(header["run"], dict) or not isinstance(header["kind"], str):
        raise InputError("the header's run must be an object and its kind a string", file=path, path=where)
    return header


def _refuse_unless_torn_header(rest: bytes, expected: bytes, path: str) -> None:
    """A file with no complete line holds a header cut short by a kill (a prefix of ``expected``,
    or of any header when ``expected`` is empty), or it is refused."""
    if not rest or (expected.startswith(rest) if expected else _HEADER_START.startswith(rest[: len(_HEADER_START)])):
        return
    if _OLD_FORMAT in rest:
        _header(rest, path)
    raise InputError("not a checkpoint of this run (its first line is incomplete)", file=path, path="line 1")


def read_header(path: str | os.PathLike) -> dict[str, Any] | None:
    """The validated header of the checkpoint at ``path``; None if there is none yet (no file, or only a torn header)."""
    path = os.fspath(path)
    lines, _, rest = _complete_lines(path)
    if lines:
        return _header(lines[0], path)
    _refuse_unless_torn_header(rest, b"", path)
    return None


def _differences(saved: Mapping[str, Any], wanted: Mapping[str, Any]) -> str:
    keys = [key for key in sorted(set(saved) | set(wanted)) if saved.get(key) != wanted.get(key)]
    scalar = (int, float, str, type(None))
    return ", ".join(
        f"{key} {saved.get(key)!r} vs {wanted.get(key)!r}"
        if isinstance(saved.get(key), scalar) and isinstance(wanted.get(key), scalar)
        else key
        for key in keys
    )


class ChunkLog:
    """An open checkpoint of one run: the records read back, and :meth:`append` for each newly finished chunk.

    Open with :meth:`open` and use as a context manager (the file is closed and
    its lock released on exit, whatever happens).
    """

    def __init__(self, path: str, handle: IO[bytes], done: dict[int, Any]):
        self.path = path
        self._handle = handle
        #: The data of every chunk finished before this run, by chunk number.
        self.done = done

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        kind: str,
        run: Mapping[str, Any],
        chunks: int,
        check: RecordCheck,
    ) -> ChunkLog:
        """Open (or create) the checkpoint of the run ``run`` cut into ``chunks`` chunks, validating what it holds.

        ``check(chunk, data)`` validates each record's data (raising an
        unlocated :class:`InputError`); this method adds the file and line.
        """
        path = os.fspath(path)
        header = {"format": FORMAT, "kind": kind, "run": dict(run), "chunks": chunks}
        lines, length, rest = _complete_lines(path)
        if not lines:
            _refuse_unless_torn_header(rest, _sealed(header), path)
        done: dict[int, Any] = {}
        if lines:
            saved = _header(lines[0], path)
            if saved["kind"] != kind or saved["run"] != header["run"] or saved["chunks"] != chunks:
                raise InputError(
                    f"this checkpoint belongs to a different run (differs in: "
                    f"{_differences(dict(saved['run'], kind=saved['kind']), dict(run, kind=kind))}); "
                    "use another checkpoint file or delete this one",
                    file=path,
                )
            for number, line in enumerate(lines[1:], start=2):
                chunk, data = _record(line, chunks, done, path, f"line {number}")
                try:
                    check(chunk, data)
                except InputError as exc:
                    raise exc.located(file=path, path=f"line {number} (chunk {chunk})") from None
                done[chunk] = data
        handle = _open_for_append(path, length, b"" if lines else _sealed(header))
        return cls(path, handle, done)

    def append(self, chunk: int, data: Any) -> None:
        """Record one finished chunk: one line, flushed and synced to disk (constant cost per chunk)."""
        try:
            self._handle.write(_sealed({"chunk": chunk, "data": data}))
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise InputError(f"cannot write checkpoint: {exc.strerror}", file=self.path) from None

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ChunkLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _record(line: bytes, chunks: int, done: Mapping[int, Any], path: str, where: str) -> tuple[int, Any]:
    """One chunk record, checked for form, checksum, range and uniqueness; returns (chunk, data)."""
    try:
        record = _parse_line(line)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not valid JSON ({exc})", file=path, path=where) from None
    if not isinstance(record, dict) or set(record) != RECORD_KEYS:
        raise InputError("a chunk record must be an object with the keys chunk, data and sha256", file=path, path=where)
    if record["sha256"] != record_digest(record):
        raise InputError("checksum does not match the record (damaged or edited)", file=path, path=where)
    chunk = record["chunk"]
    if isinstance(chunk, bool) or not isinstance(chunk, int) or not 0 <= chunk < chunks:
        raise InputError(f"chunk number {chunk!r} is not one of 0 .. {chunks - 1}", file=path, path=where)
    if chunk in done:
        raise InputError(f"chunk {chunk} is recorded twice", file=path, path=where)
    return chunk, record["data"]


def _open_for_append(path: str, length: int, header: bytes) -> IO[bytes]:
    """The file open for appending after its ``length`` valid bytes (a torn tail cut off), locked,
    with ``header`` written first when the file is new."""
    try:
        handle = open(path, "ab")  # noqa: SIM115 (kept open for the run: ChunkLog closes it)
    except OSError as exc:
        raise InputError(f"cannot write checkpoint: {exc.strerror}", file=path) from None
    try:
        _lock(handle, path)
        if handle.seek(0, os.SEEK_END) != length:
            handle.truncate(length)
            handle.seek(length)
        if header:
            handle.write(header)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        handle.close()
        raise InputError(f"cannot write checkpoint: {exc.strerror}", file=path) from None
    except BaseException:
        handle.close()
        raise
    return handle


def _lock(handle: IO[bytes], path: str) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows: no advisory lock)
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InputError("this checkpoint is in use by another run", file=path) from None
