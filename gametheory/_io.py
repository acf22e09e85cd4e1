"""Atomic file writes: the one place where the package replaces a file.

Every file the package writes (solver output, sweep tables, plots, handouts,
checkpoints) goes through :func:`atomic_write`: the content is written to a
temporary file in the target's directory and renamed over the target, so a
reader, or a crash, never sees half a file.
"""

from __future__ import annotations

import os
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
    """
    target = Path(path)
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
