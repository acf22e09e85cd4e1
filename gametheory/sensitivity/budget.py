"""A time budget per piece of sympy work, enforced from outside: the work runs in a forked child process.

Why not a timer signal
----------------------
Raising an exception from a ``SIGALRM`` handler interrupts sympy at an
arbitrary bytecode. The handler can fire inside a garbage-collection callback
or a ``__del__`` method, where Python cannot propagate the exception (it is
printed as "unraisable" and the one-shot timer is gone, so the work then runs
unbounded), and it can leave sympy's caches half updated. A process, by
contrast, can be stopped cleanly at any moment: the parent kills it and
nothing of its state survives. (The same reasoning is behind
``multiprocessing``'s own ``join(timeout)`` / ``kill`` idiom.)

How
---
:func:`run_with_budget` forks **one** worker (``multiprocessing``, "fork"
context, so the work function and its data are inherited, not pickled) that
handles the items in order and sends each result back through a pipe. The
parent waits for each result at most the item's budget (wall-clock seconds,
as the timer did); when it runs out, the worker is killed, the item is
reported as timed out and a fresh worker is forked for the remaining items.
The worker starts at once, so the parent can meanwhile do work that needs no
budget (on a second core the two overlap); an item's clock starts when the
parent starts waiting for it, so that overlap never shortens a budget.

Inside the work, :func:`budget_phase` lets a sub-step have its own, shorter
budget and a stand-in result (e.g. an optional Groebner basis that is dropped
when it takes too long).

Where a fork is not possible or not safe (no ``os.fork``, other Python threads
running, a daemonic process, or already inside a worker) the items are
processed in this process without a limit, as they were before.
"""

from __future__ import annotations

import math
import os
import pickle
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

_CHANNEL = None  # in a worker: the write end of the pipe to the parent


@dataclass(frozen=True)
class Outcome:
    """What became of one item: its ``value``, or ``timed_out``, or ``failure`` (the worker died).

    ``stand_in`` is True when ``value`` is the fallback of a
    :func:`budget_phase` that ran out of time.
    """

    value: Any = None
    timed_out: bool = False
    failure: str | None = None
    stand_in: bool = False

    @property
    def stopped(self) -> bool:
        """Whether the worker was stopped (or died) on this item."""
        return self.timed_out or self.stand_in or self.failure is not None


def budget_phase(seconds: float, fallback: Any) -> None:
    """Inside the work of an item: allow at most ``seconds`` more; if they run out, the item's result is ``fallback``.

    A no-op when the work is not running in a worker.
    """
    if _CHANNEL is not None:
        _send(_CHANNEL, ("phase", float(seconds), fallback))


def isolation_available(seconds: float | None = None) -> bool:
    """Whether :func:`run_with_budget` can fork a worker here (else it works in-process, without a limit).

    With other Python threads alive (a Dask client, a Jupyter kernel) a forked
    child may deadlock on a lock one of them held; that is acceptable only
    when the item has a time budget, because the parent then kills a stuck
    child at the deadline and the item is reported as timed out. Without a
    budget such a fork is not attempted.
    """
    import multiprocessing

    return (
        hasattr(os, "fork")
        and _CHANNEL is None
        and (threading.active_count() == 1 or seconds is not None)
        and not multiprocessing.current_process().daemon
    )


def run_with_budget(items: Sequence[Any], work: Callable[[Any], Any], seconds: float | None) -> BudgetRun:
    """Start ``work(item)`` for each of ``items`` in a worker now; iterate the result for ``(item, Outcome)`` in order.

    Each item gets at most ``seconds`` (wall clock; ``None``: no limit, but
    :func:`budget_phase` limits still apply). The worker starts at once, so
    the caller can do other work meanwhile (on another core). ``work``'s
    return values must be picklable; an exception it raises is raised again
    when its item is reached (the worker's traceback is attached as a note).
    Use as a context manager (or iterate to the end) so that the worker is
    always stopped.
    """
    return BudgetRun(items, work, seconds)


class BudgetRun:
    """The items of :func:`run_with_budget`, worked on by a forked worker (replaced when one is stopped)."""

    def __init__(self, items: Sequence[Any], work: Callable[[Any], Any], seconds: float | None):
        self.items = list(items)
        self.work = work
        self.seconds = seconds
        self._worker = _start(self.items, work) if self.items and isolation_available(seconds) else None
        self.isolated = self._worker is not None

    def __iter__(self) -> Iterator[tuple[Any, Outcome]]:
        if not self.isolated:
            for item in self.items:
                yield item, Outcome(self.work(item))
            return
        try:
            for k, item in enumerate(self.items):
                if self._worker is None:  # the previous one was stopped: a fresh worker for the rest
                    self._worker = _start(self.items[k:], self.work)
                if self._worker is None:  # the system refused a new process: finish here, without a limit
                    yield item, Outcome(self.work(item))
                    continue
                outcome = self._worker.next_outcome(self.seconds)
                if outcome.stopped:
                    self.close()
                yield item, outcome
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker (if any is running)."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> BudgetRun:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ------------------------------------------------------------------ parent
def _start(items: list, work) -> _Worker | None:
    """A worker for ``items``, or None if the system cannot fork one now (process limit, memory)."""
    try:
        return _Worker(items, work)
    except OSError:
        return None


class _Worker:
    """One forked process that works through ``items`` in order, sending each result through a pipe."""

    def __init__(self, items: list, work):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_worker, args=(writer, items, work), name="gametheory-sympy", daemon=False
        )
        with warnings.catch_warnings():
            # Python >= 3.12 warns about fork() when native threads (e.g. BLAS) exist; the worker uses none of them.
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            self.process.start()
        writer.close()

    def next_outcome(self, seconds: float | None) -> Outcome:
        """The worker's next result, or a time-out when it does not come within ``seconds`` from now.

        The clock starts when the caller starts waiting, not when the worker
        started the item: work done while the caller was busy is a head start,
        never a loss of budget.
        """
        deadline = math.inf if seconds is None else time.perf_counter() + float(seconds)
        fallback, in_phase = None, False
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return Outcome(fallback, stand_in=True) if in_phase else Outcome(timed_out=True)
            if not self.reader.poll(None if left == math.inf else left):
                continue
            try:
                data = self.reader.recv_bytes()
            except (EOFError, OSError):
                self.process.join()
                return Outcome(failure=f"the worker process stopped (exit code {self.process.exitcode})")
            message = pickle.loads(data)
            kind = message[0]
            if kind == "phase":
                deadline = min(deadline, time.perf_counter() + message[1])
                fallback, in_phase = message[2], True
                continue
            if kind == "error":
                error = message[1]
                error.add_note("raised in the sympy worker process:\n" + message[2])
                raise error
            return Outcome(message[1])

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # before closing the pipe, so that the worker never writes to a closed one
        self.process.join()
        self.reader.close()
        self.process.close()


# ------------------------------------------------------------------ worker
def _worker(channel, items: list, work) -> None:
    """The worker's main function (in the forked child): every item's result, in order, through ``channel``."""
    import multiprocessing
    import signal
    import traceback

    global _CHANNEL
    # Ctrl-C reaches the whole process group: the parent handles it and kills this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # If the parent dies without killing this process (e.g. it was killed itself), stop at once.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    _CHANNEL = channel
    try:
        for item in items:
            try:
                message = ("done", work(item))
            except Exception as exc:
                message = ("error", exc, traceback.format_exc())
            _send(channel, message)
        channel.close()
    except OSError:  # the parent has stopped listening (BrokenPipeError): nothing left to do
        return


def _exit_with(parent) -> None:
    parent.join()  # returns when the parent process has ended
    os._exit(1)


def _send(channel, message) -> None:
    try:
        data = _dumps(message)
        if message[0] == "error":
            pickle.loads(data)  # some exceptions cannot be rebuilt: the parent must be able to read the message
    except Exception as exc:
        text = message[2] if message[0] == "error" else ""
        data = _dumps(("error", RuntimeError(f"cannot send the worker's result: {exc!r}; {message[1]!r}"), text))
    channel.send_bytes(data)


def _dumps(message) -> bytes:
    import io

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    """Pickles sympy sums, products and powers so that they come back exactly as they were.

    sympy's own pickling rebuilds an expression by calling its class, which
    evaluates it again: the unevaluated product ``3*(19*x + 3)`` returned by
    ``factor`` would come back as ``57*x + 9``. Rebuilding with
    ``evaluate=False`` keeps the tree as it was computed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rebuilt = _sympy_core()

    def reducer_override(self, obj):
        if type(obj) in self._rebuilt:
            return _unevaluated, (type(obj), obj.args)
        return NotImplemented


def _sympy_core() -> tuple:
    import sys

    if "sympy" not in sys.modules:
        return ()
    from sympy import Add, Mul, Pow

    return (Add, Mul, Pow)


def _unevaluated(cls, args):
    return cls(*args, evaluate=False)
