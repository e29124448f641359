"""Issue-level acceptance for Cloud Manager inputs through the real CLI (subprocess)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MAIL, run_cli, write

TUTORIAL = """{
    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
    "smtp.port": "30465",
    "smtp.user": "$[env:EMAIL_USERNAME;default=myApiKey]",
    "smtp.password": "$[secret:EMAIL_PASSWORD]",
    "from.address": "noreply@wknd.site",
    "smtp.ssl": true
}
"""
FORWARDS = "cloudmanager/advanced-networking.json"


def _forwards(*ports: int) -> str:
    entries = ",\n".join(
        f'    {{"name": "smtp.mymail.com", "portDest": 465, "portOrig": {p}}}' for p in ports
    )
    return '{\n  "portForwards": [\n' + entries + "\n  ]\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, TUTORIAL)
    write(root, FORWARDS, _forwards(30465))
    write(
        root,
        "scripts/set-env.sh",
        'aio cloudmanager:environment:set-variables "$ENV_ID" --variable EMAIL_USERNAME apikey '
        '--secret EMAIL_PASSWORD "$EMAIL_PASSWORD"\n',
    )
    return root


def test_the_tutorial_setup_gives_no_finding_at_all(project: Path) -> None:
    r = run_cli(["check", "--select", "ALL"], project)
    assert (r.code, r.out) == (0, ""), r.out + r.err


def test_stdin_buffer_against_forwards_on_disk(project: Path) -> None:
    edited = TUTORIAL.replace("30465", "30587").encode()
    r = run_cli(["check", "--stdin-filename", MAIL], project, stdin=edited)
    assert r.code == 1
    assert f"{MAIL}:3:18: NET001 [error] smtp.port 30587 is not forwarded" in r.out
    write(project, FORWARDS, _forwards(30465, 30587))
    r = run_cli(["check", "--stdin-filename", MAIL], project, stdin=edited)
    assert (r.code, r.out) == (0, ""), r.out


def test_staging_only_the_forwards_file_still_shows_net001(project: Path) -> None:
    write(project, MAIL, TUTORIAL.replace("30465", "30587"))
    r = run_cli(["check", FORWARDS], project)
    assert r.code == 1
    assert f"{MAIL}:3:18: NET001" in r.out
    r = run_cli(["check", "--output-format", "json", FORWARDS], project)
    assert f'"filename": "{FORWARDS}"' in r.out  # the related location


def test_explicit_environment_files_must_exist(project: Path) -> None:
    write(
        project,
        "aemlint.toml",
        '[[cloud-manager.environments]]\nname = "prod"\ntype = "prod"\n'
        'advanced-networking = "cloudmanager/prod.json"\n',
    )
    r = run_cli(["check"], project)
    assert r.code == 2
    assert "cloud-manager.environments[0].advanced-networking: file not found" in r.err


def test_environment_option(project: Path) -> None:
    write(project, MAIL, TUTORIAL.replace("30465", "30587"))
    assert run_cli(["check", "--environment", "default"], project).code == 1
    r = run_cli(["check", "--environment", "prod"], project)
    assert r.code == 2 and "unknown environment 'prod'" in r.err


def test_json_file_outside_the_root_is_refused(project: Path) -> None:
    write(
        project,
        "scripts/vars.sh",
        "aio cloudmanager:environment:set-variables 123 --jsonFile ../../etc/vars.json\n",
    )
    r = run_cli(["check", "--output-format", "concise"], project)
    assert "scripts/vars.sh:1:" in r.out and "leaves the project root" in r.out
