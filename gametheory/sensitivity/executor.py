"""Run numbered chunks of work on local worker processes or on a Dask cluster.

One executor for every chunked computation of the package (Monte Carlo
draws; the points a sweep leaves to the general solver): the caller supplies a
*job* (everything a chunk needs, built once) and a module-level
``task(job, index)``; :func:`run_chunks` runs ``task`` for each chunk index
and hands every result back **in this process**, in the order the chunks
finish, to ``on_result(index, result)`` (where the caller merges totals and
appends to its checkpoint). The results must not depend on that order.

Local (the default): the first chunk runs in this process, so whatever it
builds and caches (for Monte Carlo the compiled closed forms, whose derivation
takes seconds) is inherited by the worker processes, which are *forked* after
it: the job reaches them without being pickled, and no worker derives anything
again. Only the chunk indices and the (small) results cross process
boundaries. Where ``fork`` is unavailable, or with one worker, chunks run one
after the other in this process.

Dask (``scheduler`` given: an address such as ``tcp://host:8786`` or a
``distributed.Client``): the job is scattered to every worker **once**
(broadcast), each task carries only its chunk index, and at most a few tasks
per worker thread are in flight at a time (``as_completed``, topping up as
results arrive), so the scheduler holds a bounded number of tasks whatever
the number of chunks, and an interruption cancels little. A worker builds its
caches on its first chunk and reuses them for the rest (the job is one object
on each worker); whatever is costly to derive should travel in the job (Monte
Carlo ships its compiled closed forms).

Errors: an exception raised by a task is raised again here; an exception
raised by ``on_result`` or ``progress`` (e.g. KeyboardInterrupt) stops the
run: local workers are terminated, Dask tasks cancelled.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ..errors import InputError

__all__ = ["DASK_CONNECT_TIMEOUT", "default_workers", "run_chunks"]

J = TypeVar("J")
R = TypeVar("R")
Task = Callable[[J, int], R]
#: How long to wait for a Dask scheduler to answer.
DASK_CONNECT_TIMEOUT = "10s"
#: Tasks kept in flight per Dask worker thread (enough to hide the round trip, few enough to cancel quickly).
IN_FLIGHT_PER_THREAD = 2


def default_workers() -> int:
    """Local worker processes by default: up to 2 (the cores of the machines this project runs on)."""
    return min(2, os.cpu_count() or 1)


def run_chunks(
    task: Callable[[Any, int], Any],
    job: Any,
    indices: Sequence[int],
    on_result: Callable[[int, Any], None],
    *,
    scheduler: Any = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Run ``task(job, k)`` for every ``k`` in ``indices``; call ``on_result(k, result)`` here as each finishes.

    ``task`` must be a module-level function (workers find it by name).
    ``workers``: local processes (default :func:`default_workers`; ignored
    with ``scheduler``). ``progress(finished, total)`` counts chunks, after
    each ``on_result``.
    """
    total = len(indices)
    if scheduler is not None:
        results = _on_dask(scheduler, task, job, indices)
    else:
        results = _local(task, job, indices, default_workers() if workers is None else workers)
    for finished, (index, result) in enumerate(results, start=1):
        on_result(index, result)
        if progress is not None:
            progress(finished, total)


# --------------------------------------------------------------------- local
_WORKER_STATE: dict[str, Any] = {}


def _install(task: Callable[[Any, int], Any], job: Any) -> None:
    """Worker start-up: keep the task and job; leave Ctrl-C to the main process (which stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_STATE["task"] = task
    _WORKER_STATE["job"] = job


def _run_installed(index: int) -> tuple[int, Any]:
    try:
        return index, _WORKER_STATE["task"](_WORKER_STATE["job"], index)
    except KeyboardInterrupt:  # would kill the worker and leave the pool waiting for its result forever
        raise RuntimeError(f"chunk {index} was interrupted in a worker process") from None


def _local(
    task: Callable[[Any, int], Any], job: Any, indices: Sequence[int], workers: int
) -> Iterator[tuple[int, Any]]:
    if not indices:
        return
    yield indices[0], task(job, indices[0])  # here: its caches are inherited by the forked workers
    rest = list(indices[1:])
    if workers <= 1 or len(rest) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index in rest:
            yield index, task(job, index)
        return
    context = multiprocessing.get_context("fork")
    pool = context.Pool(min(workers, len(rest)), initializer=_install, initargs=(task, job))
    try:
        yield from pool.imap_unordered(_run_installed, rest)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


# ---------------------------------------------------------------------- Dask
def _on_dask(scheduler: Any, task: Callable[[Any, int], Any], job: Any, indices: Sequence[int]):
    """Run the chunks on a Dask cluster; yield (index, result) as they complete."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError(
            "running on a Dask scheduler needs the 'distributed' package: pip install 'gametheory[dask]'"
        ) from None
    own = not isinstance(scheduler, Client)
    if own:
        try:
            client = Client(str(scheduler), timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from None
    else:
        client = scheduler
    queue = list(indices)
    queue.reverse()  # pop() from the end takes them in order
    running: dict[Any, int] = {}  # future -> chunk index
    try:
        if not queue:
            return
        shared = client.scatter(job, broadcast=True, hash=False)
        window = max(1, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))

        def submit() -> Any:
            index = queue.pop()
            future = client.submit(task, shared, index, pure=False)
            running[future] = index
            return future

        pending = as_completed([submit() for _ in range(min(window, len(queue)))])
        for future in pending:
            result = future.result()
            index = running.pop(future)
            if queue:
                pending.add(submit())
            yield index, result
    finally:
        for future in running:
            future.cancel()
        if own:
            client.close()
