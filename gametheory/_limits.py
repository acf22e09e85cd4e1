"""The resource policy: how large an input may be, checked before the work it would cause.

Every door through which a number or a file enters the package asks this
module first, so that an absurd input gets one located :class:`InputError`
instead of a hang, a memory blow-up or an internal error:

* numeric literals (JSON numbers, ``--set`` and ``--vary`` values, numbers in
  ``.nfg`` and ``.efg`` files) are checked as text before Python converts
  them: ``Fraction("1e999999999")`` would build a billion-digit integer, and
  ``int()`` of more than 4,300 digits raises a bare ``ValueError``;
* exact values that must later become floats are checked against the float
  range (``1e308 * 10`` is a fine rational but ``float()`` of it overflows);
* files are read with a capped read of an opened regular file, so
  ``/dev/zero``, ``/dev/urandom`` and FIFOs are refused instead of read
  forever (a ``getsize`` check says nothing about them);
* a game tree up to :data:`MAX_TREE_DEPTH` levels deep must be walkable by
  the recursive code above: :func:`room_for_deep_trees` gives the
  interpreter the stack room that depth needs.

The module sits just above :mod:`gametheory.errors` so that every layer,
including the expression parser, can use it.
"""

from __future__ import annotations

import math
import os
import re
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fractions import Fraction
from typing import Any, TypeVar

from .errors import GameTooLargeError, InputError

T = TypeVar("T")

#: Largest accepted |decimal exponent| of a numeric literal (``1e1000`` is the largest power of ten).
MAX_DECIMAL_EXPONENT = 1000
#: Most digits accepted in a numeric literal (Python refuses int text of more than 4,300 digits).
MAX_DIGITS = 4000
#: Largest magnitude of a value that must become a float (payoffs, parameter values).
FLOAT_MAX = Fraction(sys.float_info.max)
#: Deepest accepted game tree, in levels of moves.
MAX_TREE_DEPTH = 400
#: Interpreter recursion limit while deep trees are read and walked: the
#: recursive walks above use up to ~20 frames per tree level (jsonschema the most).
TREE_RECURSION_LIMIT = 25 * MAX_TREE_DEPTH
#: Largest accepted input file, by kind, in bytes.
MAX_FILE_BYTES = {"scenario": 5_000_000, "nfg": 20_000_000, "efg": 20_000_000}

_DECIMAL = re.compile(r"[+-]?(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?")
_RATIO = re.compile(r"[+-]?(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)")


def exact_number(text: str, *, what: str = "number") -> Fraction:
    """The exact value of a numeric literal (``2``, ``-0.25``, ``1e-3``, ``3/4``), refusing absurd sizes.

    The digits and the exponent are counted on the text, before any
    conversion; a literal with more than :data:`MAX_DIGITS` digits or a decimal
    exponent beyond :data:`MAX_DECIMAL_EXPONENT` raises :class:`InputError`,
    and so does text that is not a number at all (message: ``what`` must be a
    number).
    """
    clean = text.strip()
    decimal = _DECIMAL.fullmatch(clean)
    ratio = None if decimal else _RATIO.fullmatch(clean)
    if decimal and (decimal["int"] or decimal["frac"]):
        digits = len(decimal["int"]) + len(decimal["frac"] or "")
        exponent_text = (decimal["exp"] or "0").lstrip("+-").lstrip("0")
        if len(exponent_text) > 6 or int(exponent_text or 0) > MAX_DECIMAL_EXPONENT:
            raise InputError(f"{what} {_shown(text)} is too large (decimal exponent beyond {MAX_DECIMAL_EXPONENT})")
    elif ratio:
        digits = len(ratio["num"]) + len(ratio["den"])
    else:
        raise InputError(f"{what} must be a number (like 2, 0.25, 3/4 or 1e-3), got {_shown(text)}")
    if digits > MAX_DIGITS:
        raise InputError(f"{what} {_shown(text)} has too many digits ({digits}; at most {MAX_DIGITS})")
    try:
        return Fraction(clean)
    except ZeroDivisionError:
        raise InputError(f"{what} {_shown(text)} is a division by zero") from None


def check_float_range(value: Fraction | float, *, what: str = "value") -> None:
    """Refuse an exact value whose magnitude is beyond the float range (about 1.8e308).

    Solvers, certificates and renderers compute in floats too; a value they
    cannot convert would otherwise end in an ``OverflowError`` far from its cause.
    """
    if isinstance(value, Fraction) and abs(value) > FLOAT_MAX:
        raise InputError(f"{what} is too large: its magnitude is beyond the float range (about 1.8e308)")


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:30] + "...") + f" ({len(text)} characters)"


def check_timeout(seconds: float | None, *, what: str = "timeout") -> float | None:
    """A time limit in seconds as given (None: no limit); zero, negative, NaN and infinite values are refused."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise InputError(f"{what} must be a number of seconds, got {seconds!r}")
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputError(f"{what} must be a positive, finite number of seconds, got {seconds!r}")
    return float(seconds)


class PhaseTimeout(Exception):
    """Raised inside a phase when its deadline has passed (caught by :func:`run_within`)."""


#: The deadline (``time.monotonic()`` value) of the phase running in this thread or task, if any.
#: A context variable, so each thread (a Dask worker, a notebook's executor) has its own.
_DEADLINE: ContextVar[float | None] = ContextVar("gametheory_deadline", default=None)
#: Seconds the real-time alarm waits past a deadline before it interrupts a phase that did not
#: stop itself (code without checks of its own, such as one long sympy step). Generous: on a loaded
#: machine a phase's own check may come late in wall time, and an alarm is the rougher stop.
ALARM_GRACE = 2.0


def time_left() -> float | None:
    """Seconds left before the current phase's deadline (None: no deadline; may be negative)."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - time.monotonic()


def check_deadline() -> None:
    """Raise :class:`PhaseTimeout` when the current phase's deadline has passed (a cheap check for loops)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise PhaseTimeout


@contextmanager
def deadline_in(seconds: float | None) -> Iterator[None]:
    """Run the block with a deadline ``seconds`` from now (an enclosing, earlier deadline still holds).

    Every phase checks it itself (:func:`check_deadline` in its loops, HiGHS's
    ``time_limit`` from :func:`time_left`), so the limit holds in any thread.
    """
    if seconds is None:
        yield
        return
    current = _DEADLINE.get()
    new = time.monotonic() + seconds
    token = _DEADLINE.set(new if current is None else min(current, new))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def run_within(seconds: float, phase: Callable[[], T]) -> T | None:
    """``phase()``, or None when it has not finished ``seconds`` from now (it is then stopped).

    The phase runs under :func:`deadline_in`, so its own checks stop it, in
    any thread. In the main thread a real-time alarm (``SIGALRM``)
    :data:`ALARM_GRACE` seconds past the deadline also stops code that has no
    checks of its own, between two Python steps.
    """
    if seconds <= 0:
        return None
    alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if alarm:

        def expire(signum: int, frame: object) -> None:
            raise PhaseTimeout

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds + ALARM_GRACE)
    try:
        with deadline_in(seconds):
            return phase()
    except PhaseTimeout:
        return None
    except SystemError as exc:  # the alarm's exception raised inside a C function (Gambit's my_2-8.efg)
        if isinstance(exc.__cause__, PhaseTimeout) or isinstance(exc.__context__, PhaseTimeout):
            return None
        raise
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# ----------------------------------------------------------------- memory
#: Bytes one payoff cell costs while a game is held as a scenario: an exact number, its
#: expression, its JSON path and the bound game's copy (measured: about 940 bytes, load and bind).
BYTES_PER_PAYOFF_CELL = 1000
#: Most memory a game's payoff cells may take; beyond it the game is refused before allocation.
MAX_GAME_BYTES = 1_500_000_000


def check_game_memory(players: int, shape: tuple[int, ...], *, what: str = "the game") -> None:
    """Refuse, before any allocation, a game whose payoff cells would need more than :data:`MAX_GAME_BYTES`.

    ``players`` rows (observers included) of ``prod(shape)`` cells each. An
    8-player game of 6 strategies each has 13 million cells, about 13 GB:
    it would fill memory for minutes and then fail.
    """
    cells = players * math.prod(shape)
    need = cells * BYTES_PER_PAYOFF_CELL
    if need > MAX_GAME_BYTES:
        dims = " x ".join(str(n) for n in shape)
        raise GameTooLargeError(
            f"{what} ({dims}, {players} payoff rows) has {cells:,} payoff cells: about {human_bytes(need)} of memory "
            f"to hold (the limit is {human_bytes(MAX_GAME_BYTES)}); remove strategies (dominated ones first) or "
            "players, or for one approximate equilibrium use a tool that reads the file as it goes "
            "(Gambit's gambit-logit or gambit-simpdiv)"
        )


def human_bytes(n: float) -> str:
    """A byte count for people: ``1.4 GB``, ``840.0 MB``, ``12.0 KB`` (powers of 1,024)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # pragma: no cover


# ----------------------------------------------------------------- files
def read_capped(path: str, *, kind: str) -> bytes:
    """The bytes of the regular file ``path``, read with a cap of ``MAX_FILE_BYTES[kind]``.

    The file is opened first and its type checked on the open descriptor, so a
    FIFO, a device (``/dev/zero``) or a directory is refused without blocking;
    the read stops one byte past the cap, whatever the file claims its size is.
    """
    limit = MAX_FILE_BYTES[kind]
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=path) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"not a regular file ({_file_type(mode)}); give a {kind} file", file=path)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", file=path) from None
    if len(data) > limit:
        raise InputError(f"file is larger than {limit:,} bytes, the limit for {kind} files", file=path)
    return data


def read_capped_text(path: str, *, kind: str) -> str:
    """:func:`read_capped`, decoded as UTF-8 (a file that is not UTF-8 is refused, located)."""
    try:
        return read_capped(path, kind=kind).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"file is not UTF-8 text (byte {exc.start + 1})", file=path) from None


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


# ----------------------------------------------------------------- recursion
@contextmanager
def room_for_deep_trees() -> Iterator[None]:
    """Raise the interpreter's recursion limit to :data:`TREE_RECURSION_LIMIT` for the block.

    Trees up to :data:`MAX_TREE_DEPTH` levels are accepted, and reading,
    validating and walking them recurses a few frames per level; the default
    limit of 1,000 frames would end a 200-level tree in a ``RecursionError``.
    """
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, TREE_RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


#: Heap that the C allocator keeps after a free instead of returning it to the system (bytes): see
#: :func:`keep_freed_memory`.
HEAP_TOP_PAD = 256 * 2**20
#: Allocations from this size on get their own memory mapping (glibc's largest automatic threshold).
MMAP_THRESHOLD = 32 * 2**20
_HEAP_KEPT: list[bool] = []


def keep_freed_memory() -> None:
    """Let the C allocator (glibc) keep freed heap for the next allocation (once per process; elsewhere a no-op).

    A chunked evaluation allocates and frees the same few hundred arrays of
    a chunk's size again and again. By default glibc returns the top of the
    heap to the system at each free, so every new array touches fresh pages:
    over a million Monte Carlo draws that is some 600,000 page faults, half
    of the run's CPU time spent in the kernel. ``M_TOP_PAD`` makes it keep
    :data:`HEAP_TOP_PAD` bytes: those are address space, not resident memory,
    until used; the peak resident size is unchanged. A fixed
    ``M_MMAP_THRESHOLD`` (:data:`MMAP_THRESHOLD`) does the same for work in
    other threads (a Dask worker runs its tasks in one), whose arenas
    otherwise map and unmap every chunk-sized array: 4 times the CPU per
    chunk. Forked workers inherit the settings.
    """
    if _HEAP_KEPT or not sys.platform.startswith("linux"):
        return
    _HEAP_KEPT.append(True)
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(-2, HEAP_TOP_PAD)  # M_TOP_PAD, in glibc's malloc.h
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        return
