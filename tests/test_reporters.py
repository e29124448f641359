"""CI report formats: SARIF against the official schema, GitHub/JUnit escaping, GitLab
fingerprints, json-lines, --statistics."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
import jsonschema
import pytest

from aemlint.model.project import Project
from aemlint.reporters import ReportContext, renderer
from aemlint.reporters.github import escape_data, escape_property
from aemlint.reporters.sarif import MAX_RESULTS
from aemlint.types import Finding, Span

from conftest import SHARED
from helpers import MAIL, run_cli, write

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SPACED = (
    "adobe__aem-core-forms-components/it/config/src/main/content/jcr_root/apps/system/config/"
    "Guide Localization Service.cfg.json"
)


def _validate_sarif(doc: object) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".git").mkdir(parents=True)  # a work tree: CI paths are relative to it
    write(root, "aemlint.toml", "")
    write(root, MAIL, '{\n  "smtp.host": "smtp.example.com",\n  "smtp.password": "pw-Plant3d"\n}\n')
    if (SHARED / "corpus" / SPACED).is_file():
        target = root / "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
        shutil.copy(SHARED / "corpus" / SPACED, target / "Guide Localization Service.cfg.json")
        text = (target / "Guide Localization Service.cfg.json").read_text().rstrip()
        patched = text[: text.rindex("}")].rstrip() + ',\n  "api.password": "Plant3d-spaced"\n}\n'
        (target / "Guide Localization Service.cfg.json").write_text(patched)
    return root


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/schemas not beside the checkout")
def test_sarif_validates_and_maps_paths(project: Path) -> None:
    r = run_cli(["check", "--output-format", "sarif"], project)
    assert r.code == 1, r.err
    doc = json.loads(r.out)
    _validate_sarif(doc)
    run = doc["runs"][0]
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
            == "%SRCROOT%"
        )
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert MAIL in uris
    if (SHARED / "corpus" / SPACED).is_file():
        assert any(u.endswith("Guide%20Localization%20Service.cfg.json") for u in uris)
    assert "Plant3d" not in r.out


def test_fingerprints_do_not_move_with_lines(project: Path) -> None:
    def prints() -> tuple[list[str], list[str]]:
        sarif = json.loads(run_cli(["check", "--output-format", "sarif"], project).out)
        gitlab = json.loads(run_cli(["check", "--output-format", "gitlab"], project).out)
        return (
            [r["partialFingerprints"]["aemlint/v1"] for r in sarif["runs"][0]["results"]],
            [i["fingerprint"] for i in gitlab],
        )

    before = prints()
    path = project / MAIL
    path.write_text("// moved\n// down\n" + path.read_text())
    after = prints()
    assert before == after
    assert len(set(before[1])) == len(before[1])  # unique


def test_gitlab_format(project: Path) -> None:
    from jsonschema import Draft202012Validator

    issues = json.loads(run_cli(["check", "--output-format", "gitlab"], project).out)
    schema = json.loads(
        (Path(__file__).parent / "schemas/gitlab-code-quality.schema.json").read_text()
    )
    Draft202012Validator(schema).validate(issues)  # GitLab's documented report format
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    mail = next(i for i in issues if i["check_name"].startswith("MAIL001"))
    assert mail["severity"] == "major"
    assert mail["location"] == {"path": MAIL, "lines": {"begin": 2}}
    assert set(mail) == {"description", "check_name", "fingerprint", "severity", "location"}


def test_json_lines(project: Path) -> None:
    r = run_cli(["check", "--output-format", "json-lines"], project)
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert rows and all({"code", "location", "context"} <= set(row) for row in rows)


def test_junit_lists_failures_and_clean_files(project: Path) -> None:
    write(project, MAIL.replace("DefaultMailService", "Clean"), '{"a": 1}')
    r = run_cli(["check", "--output-format", "junit"], project)
    root = SafeET.fromstring(r.out.encode())
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert {c.get("name") for c in failed} >= {
        "MAIL001 smtp-host-not-proxied",
        "SEC001 hardcoded-secret",
    }
    assert any(c.find("failure") is None and "Clean" in (c.get("classname") or "") for c in cases)
    assert root.get("failures") == str(len(failed))


def test_statistics(project: Path) -> None:
    r = run_cli(["check", "--statistics"], project)
    assert r.code == 1
    assert "1  MAIL001  smtp-host-not-proxied" in r.out
    rows = json.loads(run_cli(["check", "--statistics", "--output-format", "json"], project).out)
    assert {"code": "MAIL001", "name": "smtp-host-not-proxied", "count": 1, "fixable": True} in rows


# --- renderers on synthetic findings: escaping and limits -------------------------------------


def _ctx(tmp_path: Path) -> ReportContext:
    return ReportContext(cwd=tmp_path, root=tmp_path, project=Project(root=tmp_path, configs=()))


def _finding(path: str, message: str, line: int = 1) -> Finding:
    return Finding(
        code="SEC001",
        name="hardcoded-secret",
        severity="error",
        message=message,
        path=PurePosixPath(path),
        span=Span(line, 1, line, 5, 0, 4),
    )


NASTY_MESSAGE = '100% <broken> & "quoted", a:b\r\nsecond line'
NASTY_PATH = "odd, name:with%/a<b>&c.cfg.json"


def test_github_escaping(tmp_path: Path) -> None:
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    out = renderer("github")([_finding(NASTY_PATH, NASTY_MESSAGE)], _ctx(tmp_path))
    assert out.count("\n") == 1  # one command, one line
    assert "file=odd%2C name%3Awith%25/a<b>&c.cfg.json," in out
    assert out.endswith('::100%25 <broken> & "quoted", a:b%0D%0Asecond line\n')


def test_junit_escaping(tmp_path: Path) -> None:
    message = NASTY_MESSAGE + "\x00\x07"
    out = renderer("junit")([_finding(NASTY_PATH, message)], _ctx(tmp_path))
    root = SafeET.fromstring(out.encode())
    failure = root.find(".//failure")
    assert failure is not None and failure.text is not None
    assert '<broken> & "quoted"' in failure.text
    assert root.find(".//testcase").get("classname") == NASTY_PATH  # type: ignore[union-attr]


def test_sarif_result_cap(tmp_path: Path) -> None:
    findings = [
        _finding(f"f{i // 1000}.cfg.json", "m", line=i % 1000 + 1) for i in range(MAX_RESULTS + 3)
    ]
    doc = json.loads(renderer("sarif")(findings, _ctx(tmp_path)))
    run = doc["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert note.startswith("3 more results")
    if SARIF_SCHEMA.is_file():
        run["results"] = run["results"][:5]
        _validate_sarif(doc)
