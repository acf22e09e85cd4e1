"""Atomic file writes: the one place where the package replaces a file.

Every file the package writes (solver output, sweep tables, plots, handouts,
checkpoints) goes through :func:`atomic_write`: the content is written to a
temporary file in the target's directory and renamed over the target, so a
reader, or a crash, never sees half a file.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from .errors import InputError


def atomic_write(
    path: str | os.PathLike,
    content: str | bytes | Callable[[IO[Any]], None],
    *,
    binary: bool = False,
    fsync: bool = False,
    what: str = "",
) -> None:
    """Replace ``path`` with ``content`` atomically.

    ``content`` is text, bytes, or a function that writes into the open
    temporary file (text mode with ``newline=""`` unless ``binary``). With
    ``fsync`` the data reach the disk before the rename (checkpoints). An
    OS error becomes an :class:`InputError` naming the file:
    ``cannot write out.csv: Permission denied``, or, when ``what`` says which
    kind of file it is, located like an error about the file's content:
    ``run.ckpt: cannot write checkpoint: Permission denied``.

    Only regular files are replaced: a FIFO, a device (``/dev/null``) or a
    directory at ``path`` is refused, since the rename would put a regular file
    in its place. Temporary files left by a writer that was killed (its process
    is gone) are removed before writing.
    """
    target = Path(path)
    _refuse_special(target, what)
    _remove_stale_temporaries(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    binary = binary or isinstance(content, bytes)
    try:
        with open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if what:
            raise InputError(f"cannot write {what}: {exc.strerror}", file=os.fspath(path)) from None
        raise InputError(f"cannot write {os.fspath(path)}: {exc.strerror}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _refuse_special(target: Path, what: str) -> None:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # absent (or unreadable: the write says why)
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or special file"
        message = f"is {kind}; output is written to regular files only (give a file name, or leave out --out)"
        if what:
            raise InputError(f"cannot write {what}: it {message}", file=os.fspath(target))
        raise InputError(f"cannot write {os.fspath(target)}: it {message}")


def _remove_stale_temporaries(target: Path) -> None:
    """Delete ``.NAME.tmp-PID`` files next to ``target`` whose writing process no longer exists."""
    try:
        leftovers = list(target.parent.glob(f".{glob.escape(target.name)}.tmp-*"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
