"""The raw-text pre-filters (``aemlint.model.verbatim``) never hide a finding.

Each rule that skips a configuration whose text cannot hold what it looks for is run on a file
where the word is there only through an escape (JSON ``\\u`` escapes, ``.config`` backslashes,
XML character references): the pre-filter must not skip it, so the finding is still reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aemlint.model.verbatim import may_contain, may_match, verbatim
from tests.helpers import run_main, write

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"


def codes(root: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch) -> list[str]:
    result = run_main(["check", "--no-cache", "--output-format", "json", "."], root, capsys, mp)
    assert result.code in (0, 1), result.err
    return sorted(f["code"] for f in json.loads(result.out))


def test_verbatim_text_answers_for_every_value() -> None:
    assert verbatim('{"a": "b"}')
    assert not verbatim(None)
    assert not verbatim('{"a": "\\u0024[env:X]"}')
    assert not verbatim('<jcr:root a="&#36;[env:X]"/>')
    assert not may_contain('{"a": "b"}', "$")
    assert may_contain('{"a": "$[env:X]"}', "$")
    assert may_contain('{"a": "\\u0024"}', "$")  # escaped: not proven absent
    assert may_contain(None, "$")
    assert not may_match('{"a": "b"}', re.compile("host", re.I))
    assert may_match('{"smtpHost": "b"}', re.compile("host", re.I))


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        # PH001: "$" only through a JSON escape
        ("a.Plain.cfg.json", '{"x": "\\u0024[ENV:HOME]"}', "PH001"),
        # PH001 in a .config file: "$" only through Felix's \\u escape
        ("a.Felix.config", 'x="\\u0024[ENV:HOME]"\n', "PH001"),
        # PH001 in XML: "$" only through a character reference
        (
            "a.Xml.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"'
            ' xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType='
            '"sling:OsgiConfig" x="&#36;[ENV:HOME]"/>\n',
            "PH001",
        ),
        # NET002: "://" only through a JSON escape
        (
            "b.Db.cfg.json",
            '{"jdbc.connection.uri": "jdbc:mysql:\\/\\/db.example.com:3306/app"}',
            "NET002",
        ),
        # NET002: a "host" property name only through a JSON escape
        ("c.Smtp.cfg.json", '{"smtp.\\u0068ost": "mail.example.com", "smtp.port": 25}', "NET002"),
        # SEC005: "{hex}" only through a JSON escape of "{"
        ("d.Enc.cfg.json", '{"token": "\\u007b' + "0a" * 20 + '}"}', "SEC005"),
        # SEC004: the "@" of a URL's userinfo only through a JSON escape
        ("e.Db.cfg.json", '{"url": "jdbc:mysql://app:S3cr3t-pw\\u0040db:3306/shop"}', "SEC004"),
        # SEC004: "password=" only through a JSON escape of "="
        ("f.Db.cfg.json", '{"url": "jdbc:sqlserver://db;password\\u003dSql-Pass-9"}', "SEC004"),
        # SEC004: the same through an XML character reference
        (
            "g.Db.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"'
            ' xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType='
            '"sling:OsgiConfig" url="jdbc:sqlserver://db;password&#61;Sql-Pass-9"/>\n',
            "SEC004",
        ),
    ],
)
def test_escaped_words_are_still_found(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str,
    code: str,
) -> None:
    write(tmp_path, f"{CONFIG}/com.example.{name}", text)
    assert code in codes(tmp_path, capsys, monkeypatch)
