"""Running the real CLI in tests: in-process through ``main()`` or as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from aemlint.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_main(
    args: Sequence[str],
    cwd: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Result:
    """``aemlint ARGS`` in this process, from ``cwd``."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_cli(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> Result:
    """``python -m aemlint ARGS`` in a subprocess, from ``cwd``."""
    proc = subprocess.run(
        [sys.executable, "-m", "aemlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def copy_tree(src: Path, dst: Path) -> Path:
    """Copy a fixture tree outside the repository (so the project root is the copy)."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
    return dst


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MAIL = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config/com.day.cq.mailer.DefaultMailService.cfg.json"
