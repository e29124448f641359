"""The pre-commit hook, proven with real pre-commit: `pre-commit try-repo` installs aemlint from
this checkout into its own environment (as a user's `.pre-commit-config.yaml` would) and runs the
`aemlint` hook of `.pre-commit-hooks.yaml` on the staged files of a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MAIL, write

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


# The user's and any surrounding repository's git settings must not leak into the test.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=CLEAN_ENV)


def _hook(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**CLEAN_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("AEMLINT_STRICT_SECRETS", None)  # the installed hook runs as a user's would
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "aemlint"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hook_fails_on_the_staged_mistake_and_passes_when_fixed(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    write(repo, MAIL, '{\n  "smtp.host": "smtp.example.com",\n  "smtp.password": "Plant3d-pc"\n}\n')
    write(repo, "pom.xml", "<project/>\n")  # not an input: skipped silently
    _git(repo, "add", "-A")
    failed = _hook(repo, home)
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out
    assert f"{MAIL}:2:16: MAIL001 [error]" in out
    assert f"{MAIL}:3:20: SEC001 [error]" in out
    assert "Plant3d-pc" not in out
    write(
        repo,
        MAIL,
        '{\n  "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",\n'
        '  "smtp.password": "$[secret:EMAIL_PASSWORD]"\n}\n',
    )
    _git(repo, "add", "-A")
    passed = _hook(repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "aemlint" in passed.stdout and "Passed" in passed.stdout
