"""NET rules beyond the fixture trees: the schema-outcome cache (no jsonschema on a warm run),
NET003's fix, the `[cloud-manager] networking` kind (NET009, NET010), and the corpus
README's expectations for Adobe's tutorial snippets, the LDAP tutorial and the JDBC pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aemlint.cache import JsonCache
from aemlint.discovery import DiscoveryOptions, discover
from aemlint.model.networking_schema import validate_networking
from aemlint.model.project import Project, build_project
from aemlint.model.secrets import SecretNamer
from aemlint.parsing.cloud_manager import parse_networking
from aemlint.registry import RuleContext
from aemlint.rules.net import net009, net010

from conftest import SHARED
from helpers import run_main, write

CORPUS = SHARED / "corpus"
LEARN = CORPUS / "AdobeDocs__experience-manager-learn.en"
CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
MAIL = f"{CONFIG}/com.day.cq.mailer.DefaultMailService.cfg.json"
JDBC = f"{CONFIG}/com.day.commons.datasource.jdbcpool.JdbcPoolService~wknd-examples-mysql.cfg.json"
INVALID_DOC = (
    '{"portForwards": [\n'
    '  {"name": "SMTP.example.com", "portDest": 465, "portOrig": 30465},\n'
    '  {"name": "smtp.example.com", "portDest": 587, "portOrig": 30587}\n]}\n'
)

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")


def _project(root: Path, networking_kind: str | None = None) -> Project:
    files = discover(root, DiscoveryOptions()).files
    return build_project(root, files, SecretNamer.from_options(), networking_kind=networking_kind)


def _codes(out: str) -> list[str]:
    return [line.split(" ")[1] for line in out.splitlines() if line]


# -- the schema outcome cache -----------------------------------------------------------------

_PROBE = """
import sys
from aemlint.cli import main
code = main(["check", "--output-format", "concise", "--select", "NET", "."])
sys.stderr.write("JSONSCHEMA=%s\\n" % ("jsonschema" in sys.modules))
sys.exit(code)
"""


def _probe(project: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AEMLINT_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_warm_run_does_not_import_jsonschema(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project, "aemlint.toml", "")
    write(project, "cloudmanager/advanced-networking.json", INVALID_DOC)
    write(project, MAIL, '{"smtp.host": "$[env:AEM_PROXY_HOST]", "smtp.port": 30587}\n')
    cache = tmp_path / "cache"
    cold = _probe(project, cache)
    assert "JSONSCHEMA=True" in cold.stderr, cold.stderr
    warm = _probe(project, cache)
    assert "JSONSCHEMA=False" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout
    assert " NET006 " in warm.stdout
    assert warm.returncode == cold.returncode == 1
    # A changed document is validated again: proven valid without jsonschema…
    write(project, "cloudmanager/advanced-networking.json", INVALID_DOC.replace("SMTP", "smtp"))
    changed = _probe(project, cache)
    assert "JSONSCHEMA=False" in changed.stderr, changed.stderr
    assert " NET006 " not in changed.stdout
    # …or by jsonschema when the proof fails.
    write(project, "cloudmanager/advanced-networking.json", INVALID_DOC.replace("465,", '"465",'))
    invalid = _probe(project, cache)
    assert "JSONSCHEMA=True" in invalid.stderr, invalid.stderr
    assert " NET006 " in invalid.stdout


def test_cached_outcome_holds_paths_and_messages_only(tmp_path: Path) -> None:
    text = INVALID_DOC.replace("SMTP.example.com", "Secret-Looking-Host")
    doc = parse_networking(text, "json")
    cache = JsonCache(tmp_path)
    first = validate_networking(text, doc.body, cache)
    assert [i.forward_index for i in first] == [0]
    (entry,) = tmp_path.glob("*.json")
    stored = entry.read_text()
    assert "Secret-Looking-Host" not in stored
    assert json.loads(stored) == [[["portForwards", 0, "name"], first[0].message]]
    assert validate_networking(text, doc.body, cache) == first
    entry.write_text("not json")  # a broken entry is a miss, never an error
    assert validate_networking(text, doc.body, cache) == first


# -- NET003's fix ------------------------------------------------------------------------------


def test_net003_fix_inserts_default_before_bracket(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (
        '{\n  "jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST]:30001/db",\n'
        '  "smtp.host": "$[env:AEM_PROXY_HOST;type=String]"\n}\n'
    )
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, MAIL, original)
    result = run_main(
        ["check", "--output-format", "json", "--select", "NET003"], tmp_path, capsys, monkeypatch
    )
    findings = json.loads(result.out)
    assert [f["code"] for f in findings] == ["NET003", "NET003"]
    lines = original.splitlines(keepends=True)
    fixed = list(lines)
    for finding in reversed(findings):
        fix = finding["fix"]
        assert fix["applicability"] == "safe"
        (edit,) = fix["edits"]
        assert edit["content"] == ";default=proxy.tunnel"
        assert edit["location"] == edit["end_location"]
        row, col = edit["location"]["row"], edit["location"]["column"]
        assert lines[row - 1][col - 1] == "]"
        fixed[row - 1] = fixed[row - 1][: col - 1] + edit["content"] + fixed[row - 1][col - 1 :]
    assert "".join(fixed) == original.replace(
        "AEM_PROXY_HOST]", "AEM_PROXY_HOST;default=proxy.tunnel]"
    ).replace("type=String]", "type=String;default=proxy.tunnel]")


# -- the networking kind -----------------------------------------------------------------------


def _run(rule: object, project: Project) -> list[str]:
    check = rule.check  # type: ignore[attr-defined]
    ctx = RuleContext(project, {}, SecretNamer.from_options())
    return [v.message for v in check(project, ctx)]


def test_net009_networking_none_in_implicit_mode(tmp_path: Path) -> None:
    write(
        tmp_path, MAIL, (LEARN / "_snippets/email-service.DefaultMailService.cfg.json").read_text()
    )
    assert _run(net009.RULE, _project(tmp_path)) == []  # never in implicit mode by itself
    (message,) = _run(net009.RULE, _project(tmp_path, networking_kind="none"))
    assert 'networking = "none"' in message
    assert _run(net009.RULE, _project(tmp_path, networking_kind="flexiblePortEgress")) == []


def test_net010_non_proxy_hosts_with_flexible_port_egress(tmp_path: Path) -> None:
    dedicated = LEARN / "help/cloud-service/networking/assets/dedicated-egress-ip-address.json"
    write(tmp_path, "cloudmanager/advanced-networking.json", dedicated.read_text())
    assert _run(net010.RULE, _project(tmp_path)) == []
    assert _run(net010.RULE, _project(tmp_path, networking_kind="dedicatedEgressIp")) == []
    (message,) = _run(net010.RULE, _project(tmp_path, networking_kind="flexiblePortEgress"))
    assert "flexible port egress" in message


# -- the corpus README's expectations ----------------------------------------------------------


@needs_corpus
def test_tutorial_trio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mail on "30002", forward 30002 → smtp.sendgrid.com:465: NET001 satisfied; the script's
    --secret EMAIL_USERNAME read with $[env:…] (VAR007); a literal secret in a script (SEC006)."""
    write(tmp_path, "aemlint.toml", "")
    snippets = LEARN / "_snippets"
    write(tmp_path, MAIL, (snippets / "email-service.DefaultMailService.cfg.json").read_text())
    write(
        tmp_path,
        "cloudmanager/advanced-networking.json",
        (LEARN / "help/cloud-service/networking/assets/flexible-port-egress.json").read_text(),
    )
    script = (snippets / "email-service.set-env.sh").read_text().removeprefix("$ ")
    write(tmp_path, "scripts/set-env.sh", script)
    result = run_main(["check", "--output-format", "concise"], tmp_path, capsys, monkeypatch)
    codes = _codes(result.out)
    assert "VAR007" in codes and "SEC006" in codes
    for code in ("NET001", "NET002", "NET003", "NET004", "NET005", "NET006", "NET007", "NET009"):
        assert code not in codes, result.out
    # The tutorial's mysql forward is used by no configuration here: info only.
    assert [line for line in result.out.splitlines() if " NET008 " in line] == [
        "cloudmanager/advanced-networking.json:6:19: NET008 [info] port forward 30001 → "
        "mysql.example.com:3306 is not used by any configuration in the project (Java code "
        "may use it)"
    ]


@needs_corpus
def test_tutorial_jdbc_and_charron_pool(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """JDBC through $[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001 is fine; port 30001 is
    checked by NET001 only when port forwards are declared."""
    charron = next(
        (CORPUS / "charronadobe__aem-guides-wknd-charron").rglob("*JdbcPoolService~mysql-demo*")
    )
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{CONFIG}/{charron.name}", charron.read_text())
    tutorial = LEARN / "_snippets/sql-datasourcepool.JdbcPoolService~wknd-examples-mysql.cfg.json"
    write(tmp_path, JDBC, tutorial.read_text())
    args = ["check", "--output-format", "concise", "--select", "NET"]
    assert run_main(args, tmp_path, capsys, monkeypatch).out == ""
    forwards = (
        '{"portForwards": [{"name": "mysql.example.com", "portDest": 3306, "portOrig": 30002}]}'
    )
    write(tmp_path, "cloudmanager/advanced-networking.json", forwards)
    codes = _codes(run_main(args, tmp_path, capsys, monkeypatch).out)
    assert codes.count("NET001") == 2 and codes.count("NET008") == 1


@needs_corpus
def test_ldap_tutorial_localhost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`host.name` localhost on the non-HTTP `host.port` is NET002 (with SEC001 for the bind
    password)."""
    ldap = next(
        (CORPUS / "Adobe-Marketing-Cloud__aem-ldap-tutorial").rglob("*LdapIdentityProvider*.config")
    )
    write(tmp_path, "aemlint.toml", "")
    write(
        tmp_path,
        f"ui.apps/src/main/content/jcr_root/apps/system/config/{ldap.name}",
        ldap.read_text(),
    )
    result = run_main(["check", "--output-format", "concise"], tmp_path, capsys, monkeypatch)
    lines = result.out.splitlines()
    assert any(" NET002 " in line and "host.name is 'localhost'" in line for line in lines)
    assert any(" SEC001 " in line for line in lines)
    assert 'secret"' not in result.out


def test_schema_ships_and_is_valid() -> None:
    from jsonschema import Draft202012Validator

    from aemlint.model.networking_schema import SCHEMA_PARTS
    from aemlint.resources import data_path

    path = data_path(*SCHEMA_PARTS)
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert "PortForwardRepresentation" in schema["$defs"]
    assert "EnableAdvancedNetworkingConfiguration" in schema["description"]
