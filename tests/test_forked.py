"""``aemlint.forked``: a share of the work in a forked child, never losing a result."""

from __future__ import annotations

import os
import threading

import pytest

from aemlint.forked import Forked, spare_cpus

needs_fork = pytest.mark.skipif(spare_cpus() < 1, reason="no spare CPU, or not Linux")


@needs_fork
def test_the_child_result_comes_back_whole() -> None:
    big = [("x" * 100, i) for i in range(50_000)]  # far beyond a pipe's buffer
    job = Forked.start(lambda: big)
    assert job is not None
    assert job.result() == big


@needs_fork
def test_the_child_runs_in_another_process() -> None:
    job = Forked.start(os.getpid)
    assert job is not None
    assert job.result() not in (None, os.getpid())


@needs_fork
def test_a_failing_child_gives_none_so_the_caller_redoes_the_work() -> None:
    def boom() -> int:
        raise RuntimeError("rule crashed")

    job = Forked.start(boom)
    assert job is not None
    assert job.result() is None


@needs_fork
def test_an_unpicklable_result_gives_none() -> None:
    job = Forked.start(lambda: threading.Lock())
    assert job is not None
    assert job.result() is None


@needs_fork
def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert spare_cpus() == 0
        assert Forked.start(lambda: 1) is None
    finally:
        release.set()
        thread.join()


@needs_fork
def test_buffered_output_is_not_written_twice(capfd: pytest.CaptureFixture[str]) -> None:
    print("before the fork", end="")
    job = Forked.start(lambda: 1)
    assert job is not None
    assert job.result() == 1
    assert capfd.readouterr().out == "before the fork"
