"""Planted secrets never appear in any output: every format, -v, -o, broken files, fixes.

``Secret.strict`` is on for the whole suite (conftest), so a formatting path also raises; these
tests additionally search the bytes the user would see.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aemlint.cli import OUTPUT_FORMATS

from helpers import run_cli, write

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
PLANTED = [
    "Plant3d-script-secret",
    "Plant3d-yaml-secret",
    "Plant3d-json-secret",
    "Plant3d-SMTP-pw",
    "Plant3d-api-key",
    "Plant3d-ldap-pw",
    "Plant3d-elem",
    "Plant3d-broken",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(
        root,
        f"{APPS}/config/com.day.cq.mailer.DefaultMailService.cfg.json",
        '{\n  "smtp.host": "smtp.example.com",\n  "smtp.password": "Plant3d-SMTP-pw"\n}\n',
    )
    write(
        root,
        f"{APPS}/config.author/com.acme.ApiImpl.cfg.json",
        '{\n  "apiKey": "Plant3d-api-key", "tokens": ["$[secret:T]", "Plant3d-elem"],\n'
        '  "pw:String": "$[secret:P;default=Plant3d-ldap-pw]"\n}\n',
    )
    # A broken file: the secret sits on the line of the syntax error and after it.
    write(
        root,
        f"{APPS}/config/com.acme.BrokenImpl.cfg.json",
        '{\n  "bind.password": "Plant3d-broken",,\n  "x": "Plant3d-broken"\n}\n',
    )
    # Cloud Manager sources with secrets beside a VAR001 (so code frames show their lines).
    write(
        root,
        "scripts/set-env.sh",
        "aio cloudmanager:environment:set-variables 123 \\\n"
        '  --secret EMAIL_PASSWORD "Plant3d-script-secret" \\\n'
        "  --variable AEM_PROXY_HOST proxy.example.com\n",
    )
    write(
        root,
        "cloudmanager/variables.yaml",
        "- name: SMTP_PASSWORD\n  value: Plant3d-yaml-secret\n  type: secretString\n"
        "- name: AEM_PROXY_HOST\n  value: x\n  type: string\n",
    )
    write(
        root,
        "cloudmanager/variables.json",
        '[{"name": "API_TOKEN", "value": "Plant3d-json-secret", "type": "secretString"},\n'
        ' {"name": "AEM_PROXY_HOST", "value": "x", "type": "string"}]\n',
    )
    return root


def _leaks(text: str) -> list[str]:
    return [s for s in PLANTED if s in text]


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_no_format_prints_a_secret(project: Path, fmt: str) -> None:
    r = run_cli(["check", "--output-format", fmt, "-v"], project)
    assert r.code == 1, r.err
    assert "SEC001" in r.out
    assert _leaks(r.out + r.err) == []
    assert "redacted 15 chars" in r.out  # shown as <redacted …> (XML-escaped in junit)


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_output_file_has_no_secret(project: Path, fmt: str) -> None:
    r = run_cli(["check", "--output-format", fmt, "-o", "out.txt"], project)
    assert r.code == 1
    assert _leaks((project / "out.txt").read_text() + r.out + r.err) == []


def test_full_report_on_a_terminal_masks_frames(project: Path) -> None:
    """Colour and code frames as a terminal gets them (rich with force_terminal)."""
    import subprocess
    import sys

    code = (
        "import sys, aemlint.cli as c; sys.stdout.isatty = lambda: True; "
        "sys.exit(c.main(['check', '--output-format', 'full']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, env=env, check=False
    )
    out = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 1, out
    assert "\x1b[" in out  # coloured
    assert "│" in out  # code frames were printed
    assert _leaks(out) == []


def test_stdin_buffer_secret_is_not_printed(project: Path) -> None:
    rel = f"{APPS}/config/com.acme.StdinImpl.cfg.json"
    r = run_cli(
        ["check", "--output-format", "json", "--stdin-filename", rel],
        project,
        stdin=b'{"client.secret": "Plant3d-api-key"}',
    )
    assert r.code == 1 and "SEC001" in r.out
    assert _leaks(r.out + r.err) == []


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_result_cache_entries_hold_no_secret(project: Path, tmp_path: Path, fmt: str) -> None:
    """The result cache keeps the printed report and keyed digests only (SPEC §7), whatever the
    format and also for an editor buffer given on stdin; its second run replays it."""
    cache = tmp_path / "cache"
    rel = f"{APPS}/config/com.acme.StdinImpl.cfg.json"
    stdin = b'{"client.secret": "Plant3d-api-key", "x": "$[secret:X;default=Plant3d-elem]"}'
    for args, data in (
        (["-v"], None),
        (["--stdin-filename", rel], stdin),
    ):
        command = ["check", "--output-format", fmt, "--cache-dir", str(cache), *args]
        first = run_cli(command, project, stdin=data)
        second = run_cli(command, project, stdin=data)
        assert first.code == second.code == 1 and first.out == second.out, second.err
    text = "".join(p.read_text(errors="replace") for p in cache.rglob("*") if p.is_file())
    assert "results" in {p.name for p in cache.iterdir()}
    assert _leaks(text) == []
