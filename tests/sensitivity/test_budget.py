"""The per-support time budget of the symbolic engine (gametheory.sensitivity.budget).

The budget replaced a SIGALRM timer whose exception could land in a
``__del__`` or a garbage-collection callback ("unraisable", then the timer was
lost). These tests check the worker-process mechanism on work whose behaviour
is known by construction (sleeps, infinite loops, crashes, exceptions) and
that the engine's results do not depend on where a support was solved.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.sensitivity import budget, symbolic
from gametheory.sensitivity.budget import budget_phase, run_with_budget
from tests.support import ROOT

GAMES = ROOT / "games"

needs_fork = pytest.mark.skipif(not budget.isolation_available(), reason="needs os.fork and a single thread")


def _spin(item):
    if item == "loop":
        while True:  # never returns: only the budget can stop it
            pass
    return item * 2


@needs_fork
def test_a_runaway_item_is_stopped_and_the_others_still_run():
    start = time.perf_counter()
    got = list(run_with_budget([1, "loop", 3], _spin, 0.3))
    elapsed = time.perf_counter() - start
    assert [item for item, _ in got] == [1, "loop", 3]
    assert got[0][1].value == 2 and got[2][1].value == 6
    assert got[1][1].timed_out and got[1][1].value is None
    assert 0.3 <= elapsed < 10  # waited the budget, then went on with a fresh worker
    assert not multiprocessing.active_children()  # no worker is left behind


@needs_fork
def test_no_limit_lets_slow_items_finish():
    got = list(run_with_budget([0.2, 0.1], lambda s: time.sleep(s) or s, None))
    assert [o.value for _, o in got] == [0.2, 0.1]


def _raise(item):
    if item == 2:
        raise ValueError("bad item 2")
    return item


@needs_fork
def test_an_exception_in_the_work_is_raised_in_the_parent_and_the_worker_is_killed():
    seen = []
    with pytest.raises(ValueError, match="bad item 2") as info:
        for _item, outcome in run_with_budget([1, 2, 3], _raise, 5.0):
            seen.append(outcome.value)
    assert seen == [1]
    assert any("worker process" in note for note in getattr(info.value, "__notes__", []))
    assert not multiprocessing.active_children()


@needs_fork
def test_a_worker_that_dies_is_reported_and_replaced():
    def work(item):
        if item == "die":
            os._exit(3)
        return item

    got = list(run_with_budget(["a", "die", "b"], work, 5.0))
    assert got[0][1].value == "a" and got[2][1].value == "b"
    assert got[1][1].failure is not None and "3" in got[1][1].failure


def _phase(item):
    budget_phase(0.2, ("stand-in", item))
    if item == "slow":
        time.sleep(30)
    return ("real", item)


@needs_fork
def test_a_phase_that_runs_out_gives_its_stand_in_result():
    start = time.perf_counter()
    got = list(run_with_budget(["fast", "slow", "fast2"], _phase, 20.0))
    assert time.perf_counter() - start < 10  # the phase's 0.2 s, not the item's 20 s
    assert got[0][1].value == ("real", "fast") and got[2][1].value == ("real", "fast2")
    assert got[1][1].value == ("stand-in", "slow") and got[1][1].stand_in


@needs_fork
def test_stopping_early_kills_the_worker():
    with run_with_budget([1, "loop", 3], _spin, 60.0) as run:
        assert next(iter(run))[1].value == 2
    assert not multiprocessing.active_children()


@needs_fork
def test_the_worker_starts_at_once_so_the_caller_can_work_meanwhile():
    start = time.perf_counter()
    with run_with_budget([0.6], lambda s: time.sleep(s) or os.getpid(), 30.0) as run:
        time.sleep(0.6)  # the caller's own work, while the worker sleeps its 0.6 s
        [(_, outcome)] = list(run)
    assert outcome.value != os.getpid()  # it ran in another process...
    assert time.perf_counter() - start < 1.1  # ...at the same time (in turn it would take 1.2 s)


def test_in_process_fallback_when_a_fork_is_not_safe(monkeypatch):
    monkeypatch.setattr(budget, "isolation_available", lambda *args: False)
    pid = os.getpid()
    got = list(run_with_budget([1, 2], lambda item: (item, os.getpid()), 0.5))
    assert [o.value for _, o in got] == [(1, pid), (2, pid)]


@needs_fork
def test_sympy_results_come_back_exactly_as_computed():
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    w = sp.Symbol("_W", positive=True)
    values = [sp.factor(57 * x + 9), sp.factor((x + y) ** 2 * (x - 1)), (x + 1) / (y - 2) + w * x, sp.Rational(3, 7)]
    got = [o.value for _, o in run_with_budget(values, lambda v: v, 5.0)]
    assert got == values
    assert [sp.srepr(v) for v in got] == [sp.srepr(v) for v in values]  # 3*(19*x + 3) stays unexpanded


class _Noisy:
    """An object whose finaliser runs during garbage collection (where a timer exception used to land)."""

    def __init__(self):
        self.me = self

    def __del__(self):
        sum(range(50))


def _churn(item):
    end = time.perf_counter() + 10
    while time.perf_counter() < end:
        _Noisy()
        gc.collect(0)
    return item


@needs_fork
def test_stopping_work_inside_finalisers_raises_nothing_unraisable(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    for _ in range(5):
        got = list(run_with_budget([1, 2], _churn, 0.05))
        assert all(o.timed_out for _, o in got)
    gc.collect()
    assert unraisable == []


# ------------------------------------------------------------- the engine
def test_families_are_the_same_in_a_worker_and_in_process(g1, monkeypatch):
    """Two free parameters: one three-player support needs the worker, the others are solved in-process."""
    values = g1.parameter_values()
    free = ("x_r", "n_us")
    isolated = symbolic._analyse(g1, free, values, 20.0, False)
    monkeypatch.setattr(budget, "isolation_available", lambda *args: False)
    local = symbolic._analyse(g1, free, values, 20.0, False)
    assert isolated.families == local.families
    assert [str(f) for f in isolated.families] == [str(f) for f in local.families]
    assert isolated.degenerate == local.degenerate and isolated.reason is None is local.reason
    mixed3 = ((0, 1), (0, 1), (0, 1))
    assert not symbolic._short_work(mixed3) and mixed3 in {f.support for f in local.families}


@needs_fork
def test_a_support_out_of_time_goes_to_the_fallback_and_is_not_retried(g1):
    """A 1 ms budget stops the fully mixed support (three players: a polynomial system); two-player supports are unaffected."""
    values = g1.parameter_values()
    free = ("x_r", "n_us")
    full = symbolic._analyse(g1, free, values, None, False)
    short = symbolic.analyse(g1, free, values, time_limit_per_support=0.001)
    mixed3 = ((0, 1), (0, 1), (0, 1))
    assert [s for s, _ in short.unresolved] == [mixed3]
    assert "longer than 0.001 s" in short.reason
    assert short.families == tuple(f for f in full.families if f.support != mixed3)
    again = symbolic.analyse(g1, free, values, time_limit_per_support=0.001, supports=[mixed3])
    assert [s for s, _ in again.unresolved] == [mixed3]  # remembered: not tried again (no worker is forked)
    longer = symbolic.analyse(g1, free, values, time_limit_per_support=60.0, supports=[mixed3])
    assert longer.unresolved == () and {f.support for f in longer.families} == {mixed3}


def test_in_process_when_the_system_refuses_a_process(monkeypatch):
    def refuse(*args):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(budget, "_Worker", refuse)
    pid = os.getpid()
    got = list(run_with_budget([1, 2], lambda item: (item, os.getpid()), 0.5))
    assert [o.value for _, o in got] == [(1, pid), (2, pid)]


@needs_fork
def test_the_worker_does_not_outlive_a_killed_parent(tmp_path):
    import signal
    import subprocess

    root = Path(gt.__file__).resolve().parents[1]
    pidfile = tmp_path / "worker.pid"
    code = (
        f"import os, sys; sys.path.insert(0, {str(root)!r})\n"
        "from gametheory.sensitivity.budget import run_with_budget\n"
        "def work(item):\n"
        f"    open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
        "    while True:\n"
        "        pass\n"
        "list(run_with_budget([1], work, 600))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(600):
            if pidfile.exists() and pidfile.read_text():
                break
            time.sleep(0.05)
        worker = int(pidfile.read_text())
    finally:
        parent.kill()
        parent.wait()
    for _ in range(100):  # the worker notices within a moment; it is not our child, so it is reaped by init
        try:
            with open(f"/proc/{worker}/stat") as handle:
                gone = handle.read().rsplit(")", 1)[1].split()[0] == "Z"
        except FileNotFoundError:
            gone = True
        if gone:
            break
        time.sleep(0.05)
    else:
        os.kill(worker, signal.SIGKILL)
    assert gone
