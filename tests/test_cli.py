"""The command line through its real entry points: exit codes, paths, configuration, stdin."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from helpers import MAIL, Result, run_cli, run_main, write

TUTORIAL = """{
    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
    "smtp.port": "30465",
    "smtp.user": "$[env:EMAIL_USERNAME;default=myApiKey]",
    "smtp.password": "$[secret:EMAIL_PASSWORD]",
    "from.address": "noreply@wknd.site",
    "smtp.ssl": true
}
"""
BROKEN = """{
    "smtp.host": "smtp.sendgrid.net",
    "smtp.port": 465,
    "smtp.password": "hunter2-Plant3d"
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, BROKEN)
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(args: list[str], cwd: Path) -> Result:
        return run_main(args, cwd, capsys, monkeypatch)

    return call


def test_version(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        cli(["--version"], tmp_path)
    assert exc.value.code == 0


def test_no_command_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli([], tmp_path).code == 2


def test_findings_at_the_value_exit_1(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["check", "--output-format", "concise", "--select", "SEC001,MAIL001"], project)
    assert r.code == 1
    assert f"{MAIL}:2:18: MAIL001 [error]" in r.out
    assert f"{MAIL}:4:22: SEC001 [error]" in r.out
    assert "hunter2" not in r.out + r.err
    assert "Found 2 errors in 1 file." in r.err


def test_tutorial_configuration_is_clean(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, MAIL, TUTORIAL)
    r = cli(["check", "--output-format", "concise"], tmp_path)
    assert (r.code, r.out) == (0, "")
    assert "No findings in 1 file." in r.err


def test_missing_path_is_exit_2(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["check", "nope"], project)
    assert r.code == 2 and "path not found: nope" in r.err


def test_stdin_with_paths_is_a_usage_error(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["check", "--stdin-filename", MAIL, MAIL], project)
    assert r.code == 2


def test_exit_zero_and_fail_on(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(["check", "--exit-zero"], project).code == 0
    write(project, "aemlint.toml", '[rules.SEC001]\nseverity = "warning"\n')
    assert cli(["check", "--select", "SEC001"], project).code == 0
    assert cli(["check", "--select", "SEC001", "--fail-on", "warning"], project).code == 1
    r = cli(["check", "--select", "SEC001", "--output-format", "concise"], project)
    assert "SEC001 [warning]" in r.out


def test_selection_flags(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["check", "--output-format", "concise", "--ignore", "SEC"], project)
    assert "MAIL001" in r.out and "SEC001" not in r.out
    r = cli(["check", "--output-format", "concise", "--select", "hardcoded-secret"], project)
    assert "SEC001" in r.out and "MAIL001" not in r.out
    r = cli(["check", "--select", "NOPE1"], project)
    assert r.code == 2 and "NOPE1" in r.err


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("colour = 1\n", "colour: unknown key"),
        ('fail-on = "never"\n', 'fail-on: must be one of "error", "warning", "info"'),
        ('select = "SEC"\n', "select: must be of type array"),
        (
            '[rules.hardcoded-secret]\nextra-secret-names = "sig"\n',
            "rules.hardcoded-secret.extra-secret-names: must be of type array",
        ),
        ('[rules.no-such-rule]\nseverity = "info"\n', "rules.no-such-rule: unknown key"),
        (
            '[[cloud-manager.environments]]\nname = "prod"\ntype = "production"\n',
            "cloud-manager.environments[0].type: must be one of",
        ),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_invalid_configuration_is_exit_2_with_the_key_path(
    cli,
    project: Path,
    toml: str,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    write(project, "aemlint.toml", toml)
    r = cli(["check"], project)
    assert r.code == 2
    assert expected in r.err
    assert "Traceback" not in r.err


def test_pyproject_tool_table_is_the_configuration(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "pyproject.toml", '[tool.aemlint]\nignore = ["MAIL001"]\n')
    write(tmp_path, MAIL, BROKEN)
    r = cli(["check", "--output-format", "concise"], tmp_path)
    assert "SEC001" in r.out and "MAIL001" not in r.out


def test_paths_choose_which_findings_are_shown(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    other = MAIL.replace("/config/", "/config.author/").replace(
        "com.day.cq.mailer.DefaultMailService", "com.acme.Foo"
    )
    write(project, other, '{"apiKey": "k-literal-0001"}')
    r = cli(["check", "--output-format", "concise", other], project)
    assert other in r.out and MAIL not in r.out
    r = cli(
        [
            "check",
            "--output-format",
            "concise",
            "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config",
        ],
        project,
    )
    assert MAIL in r.out and other not in r.out


def test_an_explicit_file_that_is_no_input_is_skipped(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    write(project, "pom.xml", "<project/>")
    r = cli(["check", "pom.xml"], project)
    assert (r.code, r.out) == (0, "")
    r = cli(["check", "-v", "pom.xml"], project)
    assert "pom.xml: not an aemlint input" in r.err


def test_explicit_files_are_linted_even_when_excluded(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    write(project, "aemlint.toml", 'extend-exclude = ["ui.config"]\n')
    assert cli(["check"], project).code == 0
    r = cli(["check", "--output-format", "concise", MAIL], project)
    assert r.code == 1 and "SEC001" in r.out


def test_stdin_replaces_the_file(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TUTORIAL.encode())))
    r = cli(["check", "--output-format", "concise", "--stdin-filename", MAIL], project)
    assert (r.code, r.out) == (0, "")


def test_stdin_for_a_file_that_is_no_input_prints_nothing(tmp_path: Path) -> None:
    r = run_cli(["check", "--stdin-filename", "README.md"], tmp_path, stdin=b"# hi")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_verbose_lists_inputs_of_every_form(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    legacy = MAIL.replace(".cfg.json", "").replace("DefaultMailService", "Other") + ".config"
    write(project, legacy, 'a="b"\n')
    write(project, legacy.replace(".config", ".xml"), "<settings/>\n")
    r = cli(["check", "-v"], project)
    assert f"input: {MAIL} (cfg.json, config)" in r.err
    assert f"input: {legacy} (config, config)" in r.err
    assert "XML that is not a sling:OsgiConfig node: not a configuration" in r.err
    assert "timings:" in r.err


def test_legacy_forms_are_checked_and_fixes_are_written_in_their_syntax(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    """SEC001 on a Felix .config; its fix replaces the text inside the quotes, in `.config`
    syntax (no JSON text in a non-JSON file)."""
    legacy = MAIL.replace(".cfg.json", "").replace("DefaultMailService", "LdapImpl") + ".config"
    write(project, legacy, 'bind.password="Plant3d-config"\n')
    r = cli(["check", "--output-format", "json", "--select", "SEC001", legacy], project)
    (finding,) = json.loads(r.out)
    assert finding["location"] == {"row": 1, "column": 15}
    (edit,) = finding["fix"]["edits"]
    assert edit["content"] == "$[secret:LDAP_IMPL_BIND_PASSWORD]"
    assert (edit["location"], edit["end_location"]) == (
        {"row": 1, "column": 16},
        {"row": 1, "column": 30},
    )
    assert "Plant3d" not in r.out


def test_rule_and_rules(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["rule", "hardcoded-secret"], tmp_path)
    assert r.code == 0 and r.out.startswith("# SEC001 hardcoded-secret")
    for section in ("## What it does", "## Why is this bad?", "## Source", "## Fix safety"):
        assert section in r.out
    assert cli(["rule", "NOPE001"], tmp_path).code == 2
    r = cli(["rules", "--format", "json"], tmp_path)
    rows = json.loads(r.out)
    assert {"code", "name", "group", "severity", "fix", "summary"} <= set(rows[0])
    assert [x["code"] for x in rows] == sorted(x["code"] for x in rows)
    # Every code of SPEC §4, each with its documentation (the API packs included).
    spec = (REPO.parent / "shared" / "SPEC.md").read_text()
    spec_codes = set(re.findall(r"^\| ([A-Z]{2,5}\d{3}) \|", spec, re.MULTILINE))
    assert spec_codes and spec_codes <= {x["code"] for x in rows}
    for row in rows:
        assert "## What it does" in row["documentation"] and "## Source" in row["documentation"]
    assert "SEC001  hardcoded-secret" in cli(["rules"], tmp_path).out


def test_json_report_has_the_spec_fields(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["check", "--output-format", "json"], project)
    data = json.loads(r.out)
    mail = next(f for f in data if f["code"] == "MAIL001")
    assert set(mail) == {
        "code",
        "name",
        "severity",
        "message",
        "filename",
        "location",
        "end_location",
        "fix",
        "url",
        "context",
        "related",
    }
    assert mail["filename"] == MAIL
    assert mail["location"] == {"row": 2, "column": 18}
    assert mail["end_location"] == {"row": 2, "column": 37}
    assert mail["context"] == {
        "pid": "com.day.cq.mailer.DefaultMailService",
        "factory_pid": None,
        "name": None,
        "property": "smtp.host",
        "run_modes": [],
        "environments": [],
        "services": [],
    }
    assert mail["fix"]["applicability"] == "unsafe"
    assert mail["fix"]["edits"][0]["content"] == "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"


def test_paths_outside_the_cwd_are_absolute(cli, project: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = cli(["check", "--output-format", "concise", str(project)], elsewhere)
    assert f"{project.as_posix()}/{MAIL}:2:18: MAIL001" in r.out


def test_output_file_gets_the_report_and_the_terminal_the_summary(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        ["check", "--select", "SEC001,MAIL001", "--output-format", "json", "-o", "report.json"],
        project,
    )
    assert r.code == 1 and r.out == ""
    assert "Found 2 errors" in r.err
    assert len(json.loads((project / "report.json").read_text())) == 2


def test_example_project_subprocess() -> None:
    repo = Path(__file__).resolve().parents[1]
    r = run_cli(["check", "examples/email-demo"], repo)
    assert r.code == 1, r.err
    assert " SEC001 [error]" in r.out and " MAIL001 [error]" in r.out
    assert "nl-live" not in r.out + r.err


def test_the_console_entry_keeps_the_model_until_its_hard_exit(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    """``run()`` ends the process with ``os._exit`` once the outputs are flushed, so the model
    is kept rather than freed object by object when the check returns; a caller of ``main()``
    in its own process keeps nothing."""
    from aemlint import cli as module

    assert cli(["check", "--no-cache", "."], project).code == 1
    assert module._kept_until_exit is None
    script = (
        "import os, sys\n"
        "from aemlint import cli\n"
        "real_exit = os._exit\n"
        "def hard_exit(code):\n"
        "    kept = [type(project).__name__ for project, _ in cli._kept_until_exit]\n"
        "    sys.stderr.write(f'KEPT {kept}\\n')\n"
        "    sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = hard_exit\n"
        "sys.argv = ['aemlint', 'check', '--no-cache', '.']\n"
        "cli.run()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stderr
    assert "KEPT ['Project']" in proc.stderr
