"""``per-file-ignores`` (SPEC §2): gitwildmatch globs relative to the project root, mapped to
codes, prefixes or rule names, applied to a finding's primary location."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import Result, run_main, write

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
PID = "com.acme.core.impl.FooImpl"
SECRET = '{\n  "smtp.password": "pw-Plant3d"\n}\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, f"{APPS}/config/{PID}.cfg.json", SECRET)
    write(root, f"{APPS}/config.dev/{PID}.cfg.json", SECRET)
    write(root, f"{APPS}/config.prod/{PID}.cfg", "smtp.password=pw-Plant3d\n")
    write(
        root,
        "cloudmanager/variables.yaml",
        "- name: AEM_PROXY_HOST\n  value: proxy.example.com\n  type: string\n",
    )
    return root


@pytest.fixture
def check(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(toml: str, *args: str) -> Result:
        write(root, "aemlint.toml", toml)
        argv = ["check", "--output-format", "concise", "--select", "SEC001,VAR001,AEM001"]
        return run_main([*argv, *args], root, capsys, monkeypatch)

    return call


def _files(r: Result) -> list[str]:
    return [line.split(":", 1)[0] for line in r.out.splitlines()]


def test_without_the_table_everything_is_reported(check) -> None:  # type: ignore[no-untyped-def]
    assert len(check("").out.splitlines()) == 4


def test_glob_and_code(check) -> None:  # type: ignore[no-untyped-def]
    r = check('[per-file-ignores]\n"**/config.dev/**" = ["SEC001"]\n')
    assert f"{APPS}/config.dev/{PID}.cfg.json" not in _files(r)
    assert f"{APPS}/config/{PID}.cfg.json" in _files(r)
    assert len(_files(r)) == 3
    assert "suppressed" not in r.err  # like --ignore: not counted as suppressed


def test_names_prefixes_and_anchored_globs(check) -> None:  # type: ignore[no-untyped-def]
    r = check(
        "[per-file-ignores]\n"
        '"*.cfg" = ["hardcoded-secret"]\n'
        '"cloudmanager/*.yaml" = ["VAR"]\n'
        '"/config/**" = ["SEC001"]\n'  # anchored at the root: matches nothing here
    )
    assert _files(r) == [f"{APPS}/config.dev/{PID}.cfg.json", f"{APPS}/config/{PID}.cfg.json"]


def test_case_insensitive_codes(check) -> None:  # type: ignore[no-untyped-def]
    r = check('[per-file-ignores]\n"ui.config/**" = ["sec001"]\n')
    assert _files(r) == ["cloudmanager/variables.yaml"]


def test_unknown_selector_is_a_configuration_error(check) -> None:  # type: ignore[no-untyped-def]
    r = check('[per-file-ignores]\n"**/config.dev/**" = ["NOPE999"]\n')
    assert r.code == 2
    assert "per-file-ignores.**/config.dev/**" in r.err
    assert "NOPE999" in r.err


def test_wrong_type_is_a_configuration_error(check) -> None:  # type: ignore[no-untyped-def]
    r = check('[per-file-ignores]\n"**/config.dev/**" = "SEC001"\n')
    assert r.code == 2
    assert "per-file-ignores" in r.err


def test_inline_suppression_of_a_per_file_ignored_code_is_not_unused(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{APPS}/config.dev/{PID}.cfg.json",
        '{\n  "smtp.password": "pw-Plant3d" // aemlint: ignore[SEC001]\n}\n',
    )
    r = check('[per-file-ignores]\n"**/config.dev/**" = ["SEC001"]\n')
    assert f"{APPS}/config.dev/{PID}.cfg.json" not in _files(r)
    write(
        root,
        f"{APPS}/config.dev/{PID}.cfg.json",
        '{\n  "a": "b" // aemlint: ignore[SEC001]\n}\n',
    )
    assert f"{APPS}/config.dev/{PID}.cfg.json" in _files(check(""))  # AEM001 there
    assert f"{APPS}/config.dev/{PID}.cfg.json" not in _files(
        check('[per-file-ignores]\n"**/config.dev/**" = ["AEM001"]\n')
    )


def test_pathspec_is_imported_only_with_the_table(root: Path) -> None:
    probe = (
        "import sys\n"
        "from aemlint.cli import main\n"
        "main(['check', '--output-format', 'concise', '--select', 'SEC001'])\n"
        "print('PATHSPEC', 'pathspec' in sys.modules)\n"
    )
    results = {}
    for toml in ("", '[per-file-ignores]\n"*.cfg" = ["SEC001"]\n'):
        write(root, "aemlint.toml", toml)
        proc = subprocess.run(
            [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=False
        )
        results[bool(toml)] = proc.stdout.strip().splitlines()[-1]
    assert results == {False: "PATHSPEC False", True: "PATHSPEC True"}
