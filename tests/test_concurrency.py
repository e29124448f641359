"""Concurrent runs and interrupted runs: correct results, no partial file left behind (SPEC §7)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO


def _generate(out: Path, configs: int) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate(out, configs)


def _command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "aemlint", "check", "--output-format", "json", *extra]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "AEMLINT_CACHE_DIR": str(cache)}


def _stray(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")] if folder.exists() else []


def test_two_runs_sharing_one_cache_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _generate(project, 300)
    reference = subprocess.run(
        _command("--no-cache"), cwd=project, capture_output=True, check=False
    )
    assert reference.returncode == 1, reference.stderr
    cache = tmp_path / "shared-cache"
    procs = [
        subprocess.Popen(
            _command(), cwd=project, env=_env(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for (out, err), proc in zip(outputs, procs, strict=True):
        assert proc.returncode == 1, err
        assert json.loads(out) == json.loads(reference.stdout)
    warm = subprocess.run(
        _command(), cwd=project, env=_env(cache), capture_output=True, check=False
    )
    assert json.loads(warm.stdout) == json.loads(reference.stdout)
    assert _stray(cache) == []


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM")
@pytest.mark.parametrize("after", [0.05, 0.3, 0.8, 1.5])
def test_a_terminated_run_leaves_no_partial_file(tmp_path: Path, after: float) -> None:
    project = tmp_path / "project"
    _generate(project, 600)
    out = tmp_path / "out"
    out.mkdir()
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        _command("-o", str(out / "report.json")),
        cwd=project,
        env=_env(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(after)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err
    # 130: unwound like Ctrl-C; -15: killed before the handler was set or after the work
    assert proc.returncode in (1, 130, -signal.SIGTERM, -signal.SIGINT), err
    assert [p.name for p in out.iterdir()] in ([], ["report.json"])
    if (out / "report.json").exists():
        json.loads((out / "report.json").read_text())  # complete, never half written
    assert _stray(cache) == []
