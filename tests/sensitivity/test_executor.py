"""The chunk executor: every chunk's result arrives once, errors surface, an interruption stops the workers."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from gametheory.sensitivity.executor import run_chunks


def square_and_pid(job: int, index: int) -> tuple[int, int]:
    return job * index * index, os.getpid()


def fail_on_three(job: int, index: int) -> int:
    if index == 3:
        raise ValueError(f"chunk {index} failed")
    return index


def interrupted_on_two(job: int, index: int) -> int:
    if index == 2:
        raise KeyboardInterrupt
    return index


def test_every_chunk_once_on_forked_workers_with_progress():
    seen: dict[int, tuple[int, int]] = {}
    reports: list[tuple[int, int]] = []

    def keep(index, result):
        assert index not in seen
        seen[index] = result

    run_chunks(square_and_pid, 3, range(10), keep, workers=2, progress=lambda d, n: reports.append((d, n)))
    assert {k: v for k, (v, _) in seen.items()} == {k: 3 * k * k for k in range(10)}
    assert seen[0][1] == os.getpid()  # the first chunk runs here (its caches are inherited)
    assert {pid for _, pid in seen.values()} - {os.getpid()}  # the others on worker processes
    assert reports == [(d, 10) for d in range(1, 11)]


def test_a_task_error_is_raised_here_and_the_workers_are_stopped():
    with pytest.raises(ValueError, match="chunk 3 failed"):
        run_chunks(fail_on_three, None, range(8), lambda k, r: None, workers=2)
    assert not multiprocessing.active_children()


def test_an_interruption_inside_a_worker_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="chunk 2 was interrupted in a worker process"):
        run_chunks(interrupted_on_two, None, range(6), lambda k, r: None, workers=2)
    assert not multiprocessing.active_children()


def test_an_interruption_in_on_result_stops_the_workers():
    def interrupt(index, result):
        if index != 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_chunks(square_and_pid, 1, range(50), interrupt, workers=2)
    assert not multiprocessing.active_children()


def test_one_worker_runs_everything_here_in_order():
    order: list[int] = []
    run_chunks(square_and_pid, 1, [4, 2, 7], lambda k, r: order.append(k), workers=1)
    assert order == [4, 2, 7]
