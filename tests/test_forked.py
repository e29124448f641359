"""``aemlint.forked``: a share of the work in a forked child, never losing a result."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from aemlint.forked import Forked, spare_cpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate

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


@needs_fork
def test_a_parallel_check_finds_exactly_what_a_sequential_one_finds(tmp_path: Path) -> None:
    """The command line's split of the rules over two processes (aemlint.engine._run_split)
    on a generated project above the threshold: identical findings, in the same order."""
    from aemlint.engine import PARALLEL_MIN_CONFIGS, rule_runs, run_rules
    from aemlint.session import Session

    generate(tmp_path, PARALLEL_MIN_CONFIGS + 200)
    session = Session.open(tmp_path, tmp_path / "aemlint.toml", no_cache=True)
    files = list(session.discover().files)
    runs = rule_runs(session.selected, session.settings)
    sequential = run_rules(session.build(files), runs, session.namer)
    parallel = run_rules(session.build(files), runs, session.namer, parallel=True)
    assert len(sequential) > 100
    assert parallel == sequential
