"""Inline suppressions (``aemlint: ignore[…]``, ``aemlint: file-ignore[…]``) and AEM001, through
the real command line on real files, in every format that has comments."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import SHARED
from helpers import Result, run_main, write

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
FOO = f"{CONFIG}/com.acme.core.impl.FooImpl"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
PLANTED = "Plant3d"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    return root


@pytest.fixture
def check(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(*args: str, select: str = "SEC001,VAR001,AEM001") -> Result:
        argv = ["check", "--output-format", "concise", *args]
        if select:
            argv += ["--select", select]
        return run_main(argv, root, capsys, monkeypatch)

    return call


def _rows(r: Result) -> list[tuple[str, int, str]]:
    """(path, line, code) of each reported finding."""
    out = []
    for line in r.out.splitlines():
        path, row, _col, rest = line.split(":", 3)
        out.append((path, int(row), rest.split()[0]))
    return out


# -- .cfg.json ------------------------------------------------------------------------------------


def test_cfg_json_trailing_and_line_above(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        "  // aemlint: ignore[SEC001] accepted: local test fixture\n"
        f'  "smtp.password": "pw-{PLANTED}",\n'
        f'  "api.password": "pw2-{PLANTED}", // aemlint: ignore[hardcoded-secret]\n'
        f'  "client.secret": "pw3-{PLANTED}"\n'
        "}\n",
    )
    r = check()
    assert r.code == 1, r.err
    assert _rows(r) == [(f"{FOO}.cfg.json", 5, "SEC001")]
    assert "Found 1 error in 1 file (2 suppressed)." in r.err
    assert PLANTED not in r.out + r.err


def test_cfg_json_does_not_read_comments_inside_strings(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED} // aemlint: ignore[SEC001]",\n'
        '  "note": "/* aemlint: ignore[SEC001] */"\n'
        "}\n",
    )
    r = check()
    assert _rows(r) == [(f"{FOO}.cfg.json", 2, "SEC001")]
    assert "suppressed" not in r.err


def test_cfg_json_block_comment_and_file_ignore(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED}" /* aemlint: ignore[SEC] prefix */,\n'
        f'  "api.password": "pw2-{PLANTED}"\n'
        "}\n",
    )
    assert _rows(check()) == [(f"{FOO}.cfg.json", 3, "SEC001")]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED}",\n'
        f'  "api.password": "pw2-{PLANTED}"\n'
        "  // aemlint: file-ignore[sec001] the whole file is a test fixture\n"
        "}\n",
    )
    r = check()
    assert r.code == 0, r.out
    assert r.out == ""
    assert "No findings in 1 file (2 suppressed)." in r.err


def test_stacked_suppressions_apply_to_the_first_line_below(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        "  // aemlint: ignore[SEC001] one reason\n"
        "  // aemlint: ignore[SEC004] another\n"
        f'  "smtp.password": "pw-{PLANTED}"\n'
        "}\n",
    )
    r = check(select="SEC001,SEC004,AEM001")
    assert r.code == 0, r.out
    # SEC004 is selected and found nothing on that line: its suppression is unused.
    assert _rows(r) == [(f"{FOO}.cfg.json", 3, "AEM001")]
    assert "SEC004" in r.out


# -- AEM001 ---------------------------------------------------------------------------------------


def test_unused_suppression_only_for_selected_codes(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        '  "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", // aemlint: ignore[SEC001]\n'
        '  "smtp.port": 30465 // aemlint: ignore[MAIL002]\n'
        "}\n",
    )
    r = check()
    assert r.code == 0  # AEM001 is a warning
    assert _rows(r) == [(f"{FOO}.cfg.json", 2, "AEM001")]
    assert "no SEC001 finding here" in r.out
    # Not reported when AEM001 is not selected.
    assert check(select="SEC001").out == ""


def test_unknown_and_malformed_suppressions(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        "  // aemlint: ignore[NOPE123]\n"
        '  "a": "b",\n'
        "  // aemlint: ignore SEC001\n"
        '  "c": "d"\n'
        "}\n",
    )
    r = check()
    assert _rows(r) == [(f"{FOO}.cfg.json", 2, "AEM001"), (f"{FOO}.cfg.json", 4, "AEM001")]
    assert "unknown rule NOPE123" in r.out
    assert "malformed suppression" in r.out


def test_no_inline_suppressions_shows_everything(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED}", // aemlint: ignore[SEC001]\n'
        '  "a": "b" // aemlint: ignore[SEC001]\n'
        "}\n",
    )
    assert _rows(check()) == [(f"{FOO}.cfg.json", 3, "AEM001")]
    r = check("--no-inline-suppressions")
    assert r.code == 1
    assert _rows(r) == [(f"{FOO}.cfg.json", 2, "SEC001")]  # and no AEM001
    assert "suppressed" not in r.err


# -- other OSGi forms -----------------------------------------------------------------------------


def test_felix_config(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.config",
        "# aemlint: ignore[SEC001] legacy, removed in the next release\n"
        f'smtp.password="pw-{PLANTED}"\n'
        f'api.password="pw2-{PLANTED}" # aemlint: ignore[SEC001]\n'
        f'client.secret="pw3-{PLANTED} # aemlint: ignore[SEC001]"\n',
    )
    r = check()
    assert _rows(r) == [(f"{FOO}.config", 4, "SEC001")]
    assert "(2 suppressed)" in r.err


def test_properties_cfg(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg",
        "! aemlint: ignore[SEC001]\n"
        f"smtp.password=pw-{PLANTED}\n"
        f"api.password=pw2-{PLANTED} # aemlint: ignore[SEC001] (not a comment: part of the value)\n"
        "# aemlint: ignore[SEC001]\n"
        f"client.secret=pw3-\\\n"
        f"  {PLANTED}\n",
    )
    r = check()
    assert _rows(r) == [(f"{FOO}.cfg", 3, "SEC001")]
    assert "(2 suppressed)" in r.err


def test_sling_xml(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- aemlint: ignore[SEC001] accepted until the vault migration -->\n"
        '<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0"\n'
        '    xmlns:jcr="http://www.jcp.org/jcr/1.0"\n'
        '    jcr:primaryType="sling:OsgiConfig"\n'
        f'    smtp.password="pw-{PLANTED}"/>\n',
    )
    r = check()
    assert r.code == 0, r.out
    assert "(1 suppressed)" in r.err
    write(
        root,
        f"{FOO}.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0"\n'
        '    xmlns:jcr="http://www.jcp.org/jcr/1.0"\n'
        '    jcr:primaryType="sling:OsgiConfig"\n'
        f'    note="&lt;!-- aemlint: ignore[SEC001] --&gt;"\n'
        f'    smtp.password="pw-{PLANTED}"/>\n',
    )
    assert _rows(check()) == [(f"{FOO}.xml", 6, "SEC001")]


# -- Cloud Manager sources ------------------------------------------------------------------------


def test_yaml_variables(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        "cloudmanager/variables.yaml",
        "# aemlint: ignore[VAR001] the proxy team owns this value\n"
        "- name: AEM_PROXY_HOST\n"
        "  value: proxy.example.com\n"
        "  type: string\n"
        "- name: AEM_HTTPS_PROXY_PORT  # aemlint: ignore[reserved-variable-set]\n"
        '  value: "3128"\n'
        "- name: AEM_HTTP_PROXY_PORT\n"
        '  value: "# aemlint: ignore[VAR001]"\n',
    )
    r = check()
    assert _rows(r) == [("cloudmanager/variables.yaml", 7, "VAR001")]
    assert "(2 suppressed)" in r.err


def test_json_documents_have_no_suppressions(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        "cloudmanager/variables.json",
        json.dumps(
            [
                {"name": "AEM_PROXY_HOST", "value": "# aemlint: ignore[VAR001]"},
                {"name": "X_Y", "value": "1", "type": "string"},
            ]
        ),
    )
    r = check()
    assert [code for _, _, code in _rows(r)] == ["VAR001"]


def test_shell_script_and_continued_command(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        "scripts/set-env.sh",
        "#!/usr/bin/env bash\n"
        "# aemlint: ignore[VAR001] owned by the network team\n"
        'aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \\\n'
        "  --variable EMAIL_USERNAME apikey \\\n"
        "  --variable AEM_PROXY_HOST proxy.example.com\n"
        'aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" --variable AEM_HTTP_PROXY_HOST x # aemlint: ignore[VAR001]\n'
        'aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" --variable AEM_HTTPS_PROXY_HOST x\n',
    )
    r = check()
    assert _rows(r) == [("scripts/set-env.sh", 7, "VAR001")]
    assert "(2 suppressed)" in r.err


def test_ci_yaml_block_scalar(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        ".github/workflows/deploy.yml",
        "name: Set Cloud Manager variables\n"
        "on: workflow_dispatch\n"
        "jobs:\n"
        "  variables:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - name: Set variables\n"
        "        run: |\n"
        "          # aemlint: ignore[VAR001]\n"
        "          aio cloudmanager:set-environment-variables ${{ vars.ENVIRONMENT_ID }} \\\n"
        "            --publishVariable AEM_PROXY_HOST my-proxy.example.com\n",
    )
    r = check()
    assert r.out == ""
    assert "(1 suppressed)" in r.err


# -- reports --------------------------------------------------------------------------------------


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/schemas not beside the checkout")
def test_sarif_carries_suppressed_findings(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    (root / ".git").mkdir()
    write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED}", // aemlint: ignore[SEC001] rotated, see JIRA-42\n'
        f'  "api.password": "pw2-{PLANTED}", // aemlint: ignore[SEC001]\n'
        f'  "client.secret": "pw3-{PLANTED}"\n'
        "}\n",
    )
    r = check("--output-format", "sarif")
    assert r.code == 1, r.err
    doc = json.loads(r.out)
    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(doc)] == []
    results = doc["runs"][0]["results"]
    assert len(results) == 3
    by_line = {x["locations"][0]["physicalLocation"]["region"]["startLine"]: x for x in results}
    assert "suppressions" not in by_line[4]
    assert by_line[2]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "rotated, see JIRA-42"}
    ]
    assert by_line[3]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    assert len({x["partialFingerprints"]["aemlint/v1"] for x in results}) == 3
    assert PLANTED not in r.out
    # The other formats do not show suppressed findings.
    for fmt in ("concise", "json", "json-lines", "gitlab", "github", "junit"):
        out = check("--output-format", fmt).out
        assert "client.secret" in out, fmt
        assert "smtp.password" not in out and "api.password" not in out, fmt


def test_suppressed_findings_do_not_fail_the_run(root: Path, check) -> None:  # type: ignore[no-untyped-def]
    write(
        root,
        f"{FOO}.cfg.json",
        f'{{\n  "smtp.password": "pw-{PLANTED}" // aemlint: ignore[SEC001]\n}}\n',
    )
    r = check()
    assert r.code == 0
    assert r.err.strip().endswith("No findings in 1 file (1 suppressed).")


def test_stdin_filename(root: Path, check, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = f"{FOO}.cfg.json"
    write(root, path, f'{{\n  "smtp.password": "pw-{PLANTED}"\n}}\n')
    buffer = f'{{\n  // aemlint: ignore[SEC001] editing\n  "smtp.password": "pw-{PLANTED}"\n}}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(buffer.encode())))
    r = check("--stdin-filename", path)
    assert r.code == 0, r.out
    assert "(1 suppressed)" in r.err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(buffer.encode())))
    r = check("--stdin-filename", path, "--no-inline-suppressions")
    assert _rows(r) == [(path, 3, "SEC001")]


# -- language server ------------------------------------------------------------------------------


async def test_language_server_honours_suppressions_and_per_file_ignores(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = tmp_path / "proj"
    write(
        root,
        "aemlint.toml",
        'select = ["SEC001", "AEM001"]\n[per-file-ignores]\n"**/config.dev/**" = ["SEC001"]\n',
    )
    path = write(
        root,
        f"{FOO}.cfg.json",
        "{\n"
        f'  "smtp.password": "pw-{PLANTED}", // aemlint: ignore[SEC001]\n'
        f'  "api.password": "pw2-{PLANTED}"\n'
        "}\n",
    )
    dev = write(
        root,
        f"{FOO.replace('/config/', '/config.dev/')}.cfg.json",
        f'{{\n  "smtp.password": "pw-{PLANTED}"\n}}\n',
    )
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=1, text=path.read_text())
        )
    )
    await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=20
    )
    diags = list(client.diagnostics.get(uri, []))
    assert [(d.code, d.range.start.line) for d in diags] == [("SEC001", 2)]
    assert not client.diagnostics.get(dev.as_uri())
