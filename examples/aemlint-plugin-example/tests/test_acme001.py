"""The installed plugin is found by aemlint and its rule reports on a tiny project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFIG = "ui.config/src/main/content/jcr_root/apps/acme/osgiconfig/config"


def aemlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aemlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


def project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    (tmp_path / "aemlint.toml").write_text(config)
    for name, text in files.items():
        path = tmp_path / CONFIG / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_rule_is_registered() -> None:
    listing = aemlint("rules", "--format", "json", cwd=Path.cwd())
    assert listing.returncode == 0, listing.stderr
    assert '"ACME001"' in listing.stdout and "aemlint-plugin-example" in listing.stdout


def test_missing_and_wrong_rankings_are_reported(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "com.acme.Search.cfg.json": '{"endpoint": "https://search.acme.example"}\n',
            "com.acme.Cart.cfg.json": '{"service.ranking": 100}\n',
            "com.acme.Good.cfg.json": '{"service.ranking:Integer": 100}\n',
            "com.other.Service.cfg.json": '{"a": 1}\n',
        },
    )
    result = aemlint("check", "--no-cache", "--output-format", "concise", cwd=root)
    assert result.returncode == 0, result.stderr  # warnings do not fail the run
    lines = [line for line in result.stdout.splitlines() if "ACME001" in line]
    assert len(lines) == 2, result.stdout
    cart = (
        "com.acme.Cart.cfg.json:1:21: ACME001 [warning] service.ranking is a Long, not an Integer"
    )
    assert cart in lines[0]
    assert "com.acme.Search.cfg.json:1:1: ACME001 [warning] service.ranking is missing" in lines[1]


def test_the_pids_option_is_validated_and_used(tmp_path: Path) -> None:
    files = {"com.example.Shared.cfg.json": "{}\n"}
    config = '[rules.service-ranking-required]\npids = ["com.example.*"]\n'
    root = project(tmp_path, files, config)
    result = aemlint("check", "--no-cache", "--output-format", "concise", cwd=root)
    assert "com.example.Shared.cfg.json:1:1: ACME001" in result.stdout, (
        result.stdout + result.stderr
    )
    bad = '[rules.service-ranking-required]\npids = "com.example.*"\n'
    result = aemlint("check", "--no-cache", cwd=project(tmp_path, files, bad))
    assert result.returncode == 2 and "pids" in result.stderr, result.stderr
