"""Semantic baselines (SPEC §1, §5): ``--write-baseline FILE`` then ``--baseline FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Result, run_main, write

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
MAIL = f"{CONFIG}/com.day.cq.mailer.DefaultMailService.cfg.json"
FOO = f"{CONFIG}/com.acme.core.impl.FooImpl.cfg.json"
SECRET = "pw-Plant3d-0001"
MAIL_TEXT = (
    "{\n"
    '  "smtp.host": "smtp.example.com",\n'
    '  "smtp.port": 587,\n'
    f'  "smtp.password": "{SECRET}",\n'
    '  "from.address": "noreply@example.com"\n'
    "}\n"
)
SELECT = "SEC,MAIL001,MAIL002"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, MAIL_TEXT)
    return root


@pytest.fixture
def check(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(*args: str) -> Result:
        argv = ["check", "--output-format", "concise", "--select", SELECT, *args]
        return run_main(argv, root, capsys, monkeypatch)

    return call


def _codes(r: Result) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in r.out.splitlines()]


def test_write_then_check_is_clean(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    before = check()
    assert before.code == 1
    assert sorted(_codes(before)) == ["MAIL001", "MAIL002", "SEC001"]
    w = check("--write-baseline", "aemlint-baseline.json")
    assert w.code == 0, w.err
    assert w.out == ""
    assert "recorded 3 findings in aemlint-baseline.json" in w.err
    r = check("--baseline", "aemlint-baseline.json")
    assert r.code == 0, r.out
    assert r.out == ""
    assert "No findings in 1 file (3 in the baseline)." in r.err


def test_lines_inserted_above_keep_findings_hidden(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    check("--write-baseline", "b.json")
    moved = MAIL_TEXT.replace("{\n", '{\n  // a comment\n\n  "debug.email": false,\n', 1)
    write(root, MAIL, moved.replace("\n", "\r\n"))
    r = check("--baseline", "b.json")
    assert r.code == 0, r.out
    assert "(3 in the baseline)" in r.err


def test_reformatting_keeps_findings_hidden(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    check("--write-baseline", "b.json")
    write(root, MAIL, json.dumps(json.loads(MAIL_TEXT), indent=8))
    assert check("--baseline", "b.json").out == ""


def test_a_changed_secret_is_reported_again(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    check("--write-baseline", "b.json")
    write(root, MAIL, MAIL_TEXT.replace(SECRET, "pw-Plant3d-0002"))
    r = check("--baseline", "b.json")
    assert r.code == 1
    assert _codes(r) == ["SEC001"]
    assert "(2 in the baseline)" in r.err


def test_a_changed_port_is_reported_again(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    check("--write-baseline", "b.json")
    write(root, MAIL, MAIL_TEXT.replace("587", "465"))
    assert _codes(check("--baseline", "b.json")) == ["MAIL002"]


def test_new_findings_are_reported(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    check("--write-baseline", "b.json")
    write(root, FOO, '{\n  "api.password": "pw-Plant3d-0003"\n}\n')
    r = check("--baseline", "b.json")
    assert r.code == 1
    assert [line.split(":", 1)[0] for line in r.out.splitlines()] == [FOO]


def test_records_are_counted(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(root, FOO, '{\n  "api.password": ["pw-Plant3d-0003"]\n}\n')
    check("--write-baseline", "b.json")
    write(root, FOO, '{\n  "api.password": ["pw-Plant3d-0003", "pw-Plant3d-0003"]\n}\n')
    r = check("--baseline", "b.json")
    assert _codes(r) == ["SEC001"]  # the second identical element is new
    assert "(4 in the baseline)" in r.err


def test_file_holds_no_secret_and_is_sorted_and_stable(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(root, FOO, '{\n  "api.password": "pw-Plant3d-0003"\n}\n')
    check("--write-baseline", "b.json")
    text = (root / "b.json").read_text()
    assert "Plant3d" not in text and "pw-" not in text
    assert text.endswith("}\n") and text.count("\n") > 10  # indented
    doc = json.loads(text)
    assert json.dumps(doc, indent=2, sort_keys=True) + "\n" == text
    assert doc["aemlint-baseline"] == 1
    rows = doc["findings"]
    keys = [
        (r["folder"], r["subject"], r["property"] or "", r["code"], r["value"] or "") for r in rows
    ]
    assert keys == sorted(keys)
    assert {r["code"] for r in rows} == {"SEC001", "MAIL001", "MAIL002"}
    assert all(r["value"] is None or len(r["value"]) == 16 for r in rows)
    # Rewriting with the same findings keeps the file byte for byte (the salt is kept).
    check("--write-baseline", "b.json")
    assert (root / "b.json").read_text() == text
    # Another baseline file gets another salt: the same value has another hash.
    check("--write-baseline", "c.json")
    other = json.loads((root / "c.json").read_text())
    assert other["salt"] != doc["salt"]
    assert {r["value"] for r in other["findings"]} != {r["value"] for r in rows}


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{", "not JSON"),
        ("[]", "aemlint-baseline"),
        ('{"aemlint-baseline": 2}', "unsupported version"),
        (
            '{"aemlint-baseline": 1, "algorithm": "hmac-sha256-64", "salt": "xyz", "findings": []}',
            "salt",
        ),
        (
            '{"aemlint-baseline": 1, "algorithm": "hmac-sha256-64", '
            '"salt": "00112233445566778899aabbccddeeff", "findings": [{"code": "SEC001"}]}',
            "findings[0]",
        ),
    ],
)
def test_malformed_baseline_is_exit_2(root: Path, check, content: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    write(root, "b.json", content)
    r = check("--baseline", "b.json")
    assert r.code == 2
    assert "b.json" in r.err and reason in r.err
    assert r.out == ""


def test_missing_baseline_is_exit_2(check) -> None:  # type: ignore[no-untyped-def]
    r = check("--baseline", "nope.json")
    assert r.code == 2
    assert "baseline file not found: nope.json" in r.err


def test_write_baseline_refuses_to_overwrite_another_file(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    r = check("--write-baseline", "aemlint.toml")
    assert r.code == 2
    assert "not overwritten" in r.err
    assert (root / "aemlint.toml").read_text() == ""


def test_atomic_write_leaves_no_temporary_files(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    out = root / "baselines"
    assert check("--write-baseline", "baselines/b.json").code == 0
    check("--write-baseline", "baselines/b.json")
    assert sorted(p.name for p in out.iterdir()) == ["b.json"]


def test_baseline_works_with_suppressions_and_sarif(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    (root / ".git").mkdir()
    check("--write-baseline", "b.json")
    write(root, FOO, '{\n  "api.password": "pw-Plant3d-0003" // aemlint: ignore[SEC001]\n}\n')
    r = check("--baseline", "b.json")
    assert r.code == 0
    assert "No findings in 2 files (1 suppressed, 3 in the baseline)." in r.err
    sarif = json.loads(check("--baseline", "b.json", "--output-format", "sarif").out)
    results = sarif["runs"][0]["results"]
    assert [x["suppressions"][0]["kind"] for x in results] == ["inSource"]
