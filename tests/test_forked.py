"""``aemlint.forked``: a share of the work in a forked child, never losing a result."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

import pytest

from aemlint import engine, forked
from aemlint.engine import PARALLEL_MIN_CONFIGS, EarlyCheck, RuleRun, rule_runs, run_rules
from aemlint.forked import Forked, spare_cpus
from aemlint.model.osgi import OsgiConfig
from aemlint.model.secrets import SecretNamer
from aemlint.registry import Rule, RuleContext, rule
from aemlint.session import Session
from aemlint.types import Finding, Violation

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


def _early(
    tmp_path: Path, extra: Sequence[Rule] = ()
) -> tuple[list[Finding], list[Finding], EarlyCheck]:
    """A generated project above the threshold, checked sequentially and by
    :class:`~aemlint.engine.EarlyCheck` (the command line's two processes)."""
    generate(tmp_path, PARALLEL_MIN_CONFIGS + 200)
    session = Session.open(tmp_path, tmp_path / "aemlint.toml", no_cache=True)
    files = list(session.discover().files)
    runs = rule_runs(session.selected, session.settings)
    runs += [RuleRun(r, "warning", {}) for r in extra]
    sequential = run_rules(session.build(files), runs, session.namer)
    early = EarlyCheck(runs, session.namer, True)
    midway = early.midway(sum(1 for f in files if f.place is not None))
    assert midway is not None
    found = early.finish(session.build(files, midway=midway))
    return sequential, found, early


@needs_fork
def test_an_early_check_finds_exactly_what_a_sequential_one_finds(tmp_path: Path) -> None:
    """Identical findings, in the same order, with the child's share checked while the rest
    of the model was built."""
    sequential, found, early = _early(tmp_path)
    assert len(sequential) > 100
    assert found == sequential
    assert early._job is not None  # the child did run


@rule(code="XEC001", name="counts-configs", severity="warning", scope="config")
def _counts_configs(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """Depends on the whole project: the child's partial model would give a smaller count."""
    yield Violation(f"{len(ctx.project.configs)} configurations", cfg.path, None)


@rule(code="XEC002", name="reads-a-late-text", severity="warning", scope="config")
def _reads_late_text(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """Reads a file built after the fork (the advanced networking document)."""
    if ctx.project.texts.get(PurePosixPath("cloudmanager/advanced-networking.json")):
        yield Violation("networking is there", cfg.path, None)


_PARENT = os.getpid()


@rule(code="XEC003", name="raises-in-the-child", severity="warning", scope="config")
def _raises_in_child(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """Raises in any process but the test's: the check is done again, and passes, there."""
    if os.getpid() != _PARENT:
        raise RuntimeError("only in the child")
    yield Violation("checked", cfg.path, None)


@needs_fork
def test_checks_that_read_the_project_or_raise_are_done_again_on_the_whole_model(
    tmp_path: Path,
) -> None:
    sequential, found, _ = _early(tmp_path, [_counts_configs, _reads_late_text, _raises_in_child])
    assert found == sequential
    codes = {f.code for f in found}
    assert {"XEC001", "XEC002", "XEC003"} <= codes
    assert "AEM000" not in codes
    total = {f.message for f in found if f.code == "XEC001"}
    assert len(total) == 1  # every configuration saw the whole project


@needs_fork
def test_a_failed_child_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object) -> object:
        raise MemoryError  # anything: the child exits non-zero, the parent checks its share

    monkeypatch.setattr(engine, "_check_in_child", crash)
    sequential, found, early = _early(tmp_path)
    assert early._job is not None
    assert found == sequential


@needs_fork
def test_a_small_project_is_checked_in_one_process() -> None:
    early = EarlyCheck([RuleRun(_counts_configs, "warning", {})], SecretNamer(), True)
    assert early.midway(PARALLEL_MIN_CONFIGS - 1) is None
    midway = early.midway(PARALLEL_MIN_CONFIGS)
    assert midway is not None and 0 < midway[0] < PARALLEL_MIN_CONFIGS


def test_no_child_without_a_spare_cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One CPU, Windows or macOS: the build is not interrupted and one process checks all."""
    monkeypatch.setattr(forked, "spare_cpus", lambda: 0)
    early = EarlyCheck([RuleRun(_counts_configs, "warning", {})], SecretNamer(), True)
    assert early.midway(PARALLEL_MIN_CONFIGS * 10) is None
