"""Declarative rule packs: loading, the platform's value reading, positions, safety, user packs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aemlint.model.places import place_of
from aemlint.packs import PackError, load_pack_folder
from aemlint.packs.check import PackCheck
from aemlint.packs.schema import Placeheld, catastrophic, validator_class
from aemlint.resources import data_path

from helpers import run_cli, run_main, write

CFG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
ACME = f"{CFG}/com.acme.Service.cfg.json"

RULE = """
code = "ACME001"
name = "acme-service-types"
severity = "error"
summary = "The ACME service's properties have the wrong types."
pids = ["com.acme.Service"]
message = "ACME service contract"
{schema}
docs = '''
## What it does
Checks the ACME service.
## Why is this bad?
It breaks.
## Example
`{{"timeout": "x"}}`
## Use instead
`{{"timeout": 5}}`
## Source
ACME's manual.
'''
"""

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "timeout": {"type": "integer", "minimum": 1},
        "enabled": {"type": "boolean"},
        "hosts": {"type": "array", "items": {"type": "string"}},
        "client.secret": {"type": "string", "pattern": "^\\$\\[secret:"},
        "auth.token": {"type": "integer", "enum": [1, 2]},
    },
}


def make_pack(root: Path, schema: Any = None, *, extra: str = "", folder: str = "packs") -> Path:
    """A user pack with one rule (ACME001) whose schema is a file under schemas/."""
    pack = root / folder
    (pack / "schemas").mkdir(parents=True, exist_ok=True)
    (pack / "schemas" / "acme.schema.json").write_text(
        json.dumps(SCHEMA if schema is None else schema)
    )
    (pack / "acme001.toml").write_text(
        RULE.format(schema='schema-file = "schemas/acme.schema.json"' + extra)
    )
    return pack


def project(root: Path, config: str, *, packs: str = 'rule-packs = ["packs"]\n') -> Path:
    write(root, "aemlint.toml", packs)
    write(root, ACME, config)
    return root


def check(root: Path, *extra: str) -> Any:
    return run_cli(["check", "--no-cache", "--output-format", "concise", *extra], root)


# -- the built-in packs ---------------------------------------------------------------------------


def test_builtin_packs_compile_into_config_rules() -> None:
    rules = {r.code: r for r in load_pack_folder(data_path("rules"))}
    assert sorted(rules) == ["API001", "API002", "API003", "API004", "API005"]
    for r in rules.values():
        assert r.scope == "config" and r.origin == "aemlint"
        assert isinstance(r.check, PackCheck)
        r.check.compiled()  # every built-in schema is valid and its references resolve
    assert rules["API001"].pids == (
        "org.apache.felix.webconsole.internal.servlet.OsgiManager",
        "com.day.cq.auth.impl.cug.CugSupportImpl",
        "com.day.cq.jcrclustersupport.ClusterStartLevelController",
        "org.apache.felix.http",
    )
    assert rules["API005"].name == "mail-service-types"


def _place(rel: str) -> Any:
    from pathlib import PurePosixPath

    place = place_of(PurePosixPath(rel))
    assert place is not None
    return place


def test_pid_matching_singletons_factories_and_run_modes(tmp_path: Path) -> None:
    rules = {r.code: r.check for r in load_pack_folder(data_path("rules"))}
    api001, api003 = rules["API001"], rules["API003"]
    assert isinstance(api001, PackCheck) and isinstance(api003, PackCheck)
    single = _place(f"{CFG}/org.apache.felix.http.cfg.json")
    factory = _place(f"{CFG}/org.apache.felix.http~acme.cfg.json")
    assert api003.matches(single) and not api003.matches(factory)
    assert api001.matches(factory) and not api001.matches(single)

    pack = make_pack(tmp_path, extra='\nrun-modes = ["publish", "prod"]')
    (rule,) = load_pack_folder(pack, label="packs")
    assert isinstance(rule.check, PackCheck)
    base = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
    for folder, expected in [
        ("config", True),
        ("config.publish", True),
        ("config.prod", True),
        ("config.publish.prod", True),
        ("config.author", False),
        ("config.dev", False),
        ("config.publish.dev", False),
        ("config.qa", False),
    ]:
        assert rule.check.matches(_place(f"{base}/{folder}/com.acme.Service.cfg.json")) is expected


# -- the platform's reading of values (the TypeChecker and keywords) ------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        ("30465", "integer", True),
        ("+5", "integer", True),
        ("-5", "integer", True),
        (" 5", "integer", False),
        ("1_000", "integer", False),
        ("1.5", "integer", False),
        (2.0, "integer", True),
        (2.5, "integer", False),
        (True, "integer", False),
        ("0.5", "number", True),
        ("1e3", "number", True),
        ("fast", "number", False),
        ("TRUE", "boolean", True),
        ("false", "boolean", True),
        ("yes", "boolean", False),
        (1, "boolean", False),
        (42, "string", False),
        (Placeheld("$[env:X]"), "integer", True),
        (Placeheld("$[env:X]"), "boolean", True),
        (Placeheld("$[env:X]"), "number", True),
        ("$[env:X]", "integer", False),  # a bare str is not marked: the instance builder marks
        (["a"], "array", True),
        ("single", "array", True),  # a single value of a multi-value property
        ({"a": 1}, "array", False),
    ],
)
def test_type_checker_reads_values_as_the_platform(value: Any, kind: str, ok: bool) -> None:
    validator = validator_class()({"type": kind})
    assert validator.is_valid(value) is ok


def test_value_keywords_read_strings_and_skip_placeholders() -> None:
    cls = validator_class()
    assert cls({"minimum": 2048}).is_valid("4096")
    assert not cls({"minimum": 2048}).is_valid("1024")
    assert cls({"minimum": 2048}).is_valid(Placeheld("$[env:SIZE]"))
    assert cls({"enum": [True]}).is_valid("TRUE")
    assert cls({"const": 25}).is_valid("25")
    assert not cls({"const": 25}).is_valid("26")
    assert cls({"pattern": "^a"}).is_valid(Placeheld("$[env:X]"))
    assert not cls({"pattern": "^a"}).is_valid("b")
    assert cls({"contains": {"const": "js"}}).is_valid("html")  # single value: no includes check
    assert not cls({"contains": {"const": "js"}}).is_valid(["html"])


def test_placeholders_skip_the_type_check_end_to_end(tmp_path: Path) -> None:
    make_pack(tmp_path)
    config = '{"name": "a", "timeout": "$[env:ACME_TIMEOUT;default=5]", "enabled": "TRUE"}'
    r = check(project(tmp_path, config), "--select", "ACME")
    assert r.code == 0, r.out + r.err


# -- positions and messages -----------------------------------------------------------------------


def test_findings_point_at_value_element_key_or_file(tmp_path: Path) -> None:
    make_pack(tmp_path)
    config = (
        "{\n"
        '  "timeout:Integer": "0",\n'
        '  "enabled": "maybe",\n'
        '  "hosts": [1, 2],\n'
        '  "unknown.key": "x"\n'
        "}\n"
    )
    r = check(project(tmp_path, config), "--select", "ACME")
    lines = r.out.splitlines()
    assert r.code == 1, r.err
    rows = [
        [*line.split(": ACME001 ")[0].rsplit(":", 2)[1:], line.split("] ", 1)[1]] for line in lines
    ]
    assert rows == [
        ["1", "1", "name is required (ACME service contract)"],
        ["2", "22", "timeout must be at least 1 (ACME service contract)"],
        ["3", "14", "enabled must be a boolean (true or false) (ACME service contract)"],
        ["4", "13", "hosts[0] must be a string (ACME service contract)"],
        ["4", "16", "hosts[1] must be a string (ACME service contract)"],
        ["5", "3", "unknown.key is not an allowed property (ACME service contract)"],
    ], r.out


def test_property_names_match_the_schema_case_insensitively(tmp_path: Path) -> None:
    make_pack(tmp_path)
    r = check(project(tmp_path, '{"NAME": "a", "Timeout": "x"}'), "--select", "ACME")
    assert "Timeout must be an integer" in r.out or "timeout must be an integer" in r.out
    assert "is not an allowed property" not in r.out and "is required" not in r.out


SECRET = "sk_live_PLANTEDvalue0123456789"


@pytest.mark.parametrize(
    "fmt", ["concise", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit"]
)
def test_messages_never_contain_the_value(tmp_path: Path, fmt: str) -> None:
    make_pack(tmp_path)
    # Secret-named properties: the parser wraps their values, so code frames mask them too;
    # the pack's messages (pattern, type, enum failures) must not quote them either.
    config = json.dumps({"name": "a", "client.secret": SECRET, "auth.token": SECRET})
    root = project(tmp_path, config)
    r = run_cli(["check", "--no-cache", "--output-format", fmt], root)
    assert r.code == 1, r.err
    assert "ACME001" in r.out
    if fmt == "concise":
        assert "client.secret must match the pattern" in r.out
        assert "auth.token must be an integer" in r.out
    assert SECRET not in r.out and SECRET not in r.err
    assert "PLANTED" not in r.out + r.err


# -- safety ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("https://example.invalid/schema.json", "leaves the pack folder"),
        ("http://127.0.0.1:9/x.json#/a", "leaves the pack folder"),
        ("../../outside.json", "leaves the pack folder"),
        ("file:///etc/passwd", "leaves the pack folder"),
        ("missing.json", "file not found"),
        ("#/$defs/nope", "cannot be resolved"),
    ],
)
def test_refs_outside_the_pack_are_refused_and_never_fetched(
    tmp_path: Path, ref: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a rule pack made aemlint fetch a URL")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    write(tmp_path, "outside.json", "{}")
    pack = make_pack(tmp_path / "p", {"type": "object", "properties": {"a": {"$ref": ref}}})
    (rule,) = load_pack_folder(pack, label="packs")
    assert isinstance(rule.check, PackCheck)
    with pytest.raises(PackError) as exc:
        rule.check.compiled()
    assert reason in str(exc.value) and "acme001.toml" in str(exc.value)


def test_local_refs_between_pack_files_resolve(tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path,
        {"type": "object", "properties": {"timeout": {"$ref": "defs.json#/$defs/int"}}},
    )
    (pack / "schemas" / "defs.json").write_text(json.dumps({"$defs": {"int": {"type": "integer"}}}))
    (rule,) = load_pack_folder(pack, label="packs")
    assert isinstance(rule.check, PackCheck)
    validator = rule.check.compiled()
    assert validator.is_valid({"timeout": "5"}) and not validator.is_valid({"timeout": "x"})


def test_id_is_refused(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"$id": "https://example.invalid/", "type": "object"})
    (rule,) = load_pack_folder(pack, label="packs")
    assert isinstance(rule.check, PackCheck)
    with pytest.raises(PackError, match=r"\$id"):
        rule.check.compiled()


@pytest.mark.parametrize(
    ("pattern", "bad"),
    [
        ("(a+)+$", True),
        ("^(\\w+\\s?)*$", True),
        ("(?:x*y?)*", True),
        ("((ab)+c)+", True),  # conservative: safe, but refused like (a+)+
        ("^[a-z]+(\\.[a-z]+)*$", False),
        ("^\\$\\[secret:", False),
        ("(a|b)+", False),
    ],
)
def test_catastrophic_patterns(pattern: str, bad: bool) -> None:
    assert catastrophic(pattern) is bad


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [("(a+)+$", "nests quantifiers"), ("a" * 600, "longer than 512"), ("(", "not valid")],
)
def test_dangerous_patterns_are_refused(tmp_path: Path, pattern: str, reason: str) -> None:
    pack = make_pack(tmp_path, {"properties": {"x": {"pattern": pattern}}})
    (rule,) = load_pack_folder(pack, label="packs")
    assert isinstance(rule.check, PackCheck)
    with pytest.raises(PackError, match=reason):
        rule.check.compiled()
    pack2 = make_pack(tmp_path, {"patternProperties": {pattern: {}}}, folder="packs2")
    (rule2,) = load_pack_folder(pack2, label="packs2")
    assert isinstance(rule2.check, PackCheck)
    with pytest.raises(PackError, match=reason):
        rule2.check.compiled()


# -- malformed packs: exit 2 naming the file, no traceback -----------------------------------------


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda t: t + "\n[[[", "not valid TOML"),
        (lambda t: t.replace('severity = "error"\n', ""), "missing key(s): `severity`"),
        (lambda t: t.replace('"ACME001"', '"acme1"'), "`code` must be"),
        (lambda t: t.replace('"acme-service-types"', '"Acme Types"'), "`name` must be kebab-case"),
        (lambda t: t.replace('severity = "error"', 'severity = "fatal"'), "`severity` must be"),
        (lambda t: t.replace("## Source\nACME's manual.\n", ""), "lacks the section(s) ## Source"),
        (lambda t: t + '\nrun-modes = ["qa"]\n', "`run-modes` entries"),
        (lambda t: t + "\nsurprise = 1\n", "unknown key(s): `surprise`"),
        (lambda t: t.replace("schemas/acme.schema.json", "../x.json"), "under the pack's schemas/"),
        (lambda t: t + "\n[schema]\ntype = 'object'\n", "exactly one of"),
    ],
)
def test_malformed_pack_is_exit_2_naming_the_file(tmp_path: Path, edit: Any, reason: str) -> None:
    pack = make_pack(tmp_path)
    rule_file = pack / "acme001.toml"
    rule_file.write_text(edit(rule_file.read_text()))
    r = check(project(tmp_path, '{"name": "a"}'))
    assert r.code == 2, r.out + r.err
    assert "acme001.toml" in r.err and reason in r.err, r.err
    assert "Traceback" not in r.err


def test_invalid_schema_is_exit_2(tmp_path: Path) -> None:
    make_pack(tmp_path, {"type": 12})
    r = check(project(tmp_path, '{"name": "a"}'))
    assert r.code == 2 and "not valid JSON Schema" in r.err and "acme001.toml" in r.err, r.err
    assert "Traceback" not in r.err


# -- user packs through `rule-packs` --------------------------------------------------------------


def test_user_pack_runs_and_takes_rule_options(tmp_path: Path) -> None:
    make_pack(tmp_path)
    packs = 'rule-packs = ["packs"]\n[rules.acme-service-types]\nseverity = "warning"\n'
    root = project(tmp_path, '{"name": "a", "timeout": "soon"}', packs=packs)
    r = check(root)
    assert r.code == 0, r.err  # a warning does not fail the run
    assert "ACME001 [warning] timeout must be an integer" in r.out


def test_user_pack_rules_are_listed_and_explained(tmp_path: Path) -> None:
    make_pack(tmp_path)
    root = project(tmp_path, '{"name": "a"}')
    listed = run_cli(["rules", "--format", "json"], root)
    assert listed.code == 0, listed.err
    assert "ACME001" in {r["code"] for r in json.loads(listed.out)}
    explained = run_cli(["rule", "ACME001"], root)
    assert explained.code == 0 and "acme-service-types" in explained.out, explained.err


def test_rule_packs_outside_the_root_are_refused(tmp_path: Path) -> None:
    make_pack(tmp_path, folder="elsewhere")
    root = tmp_path / "project"
    r = check(project(root, '{"name": "a"}', packs='rule-packs = ["../elsewhere"]\n'))
    assert r.code == 2 and "outside the project root" in r.err, r.err
    r = check(project(root, '{"name": "a"}', packs='rule-packs = ["nope"]\n'))
    assert r.code == 2 and "folder not found" in r.err, r.err


def test_a_pack_code_clashing_with_a_builtin_names_both(tmp_path: Path) -> None:
    pack = make_pack(tmp_path)
    text = (pack / "acme001.toml").read_text().replace("ACME001", "MAIL001")
    (pack / "acme001.toml").write_text(text)
    r = check(project(tmp_path, '{"name": "a"}'))
    assert r.code == 2, r.err
    assert "rule pack packs/acme001.toml" in r.err and "aemlint" in r.err, r.err


def test_user_pack_validity_is_cached(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    make_pack(tmp_path)
    root = project(tmp_path, '{"name": "a", "timeout": 0}')
    first = run_main(["check", "--output-format", "concise"], root, capsys, monkeypatch)
    again = run_main(["check", "--output-format", "concise"], root, capsys, monkeypatch)
    assert first.out == again.out and "ACME001" in first.out


# -- performance: nothing heavy is imported when no pack applies ---------------------------------


def test_jsonschema_is_imported_only_when_a_pack_rule_matches(tmp_path: Path) -> None:
    write(tmp_path, "proj/.git/HEAD", "")
    write(tmp_path, f"proj/{CFG}/com.acme.Other.cfg.json", '{"a": 1}')
    code = (
        "import sys; from aemlint.cli import main; main(['check', '--no-cache', '-q', "
        "'--output-format', 'concise']); "
        "sys.stderr.write('JSONSCHEMA=%s' % ('jsonschema' in sys.modules))"
    )

    def imported(root: Path) -> bool:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
        )
        return "JSONSCHEMA=True" in proc.stderr

    assert not imported(tmp_path / "proj")
    write(tmp_path, f"proj/{CFG}/org.apache.sling.scripting.cache.cfg.json", '{"a": 1}')
    assert imported(tmp_path / "proj")  # API004 applies: its schema is compiled
    assert not imported(tmp_path / "proj")  # the outcome is cached per configuration text


def test_builtin_pack_files_are_data() -> None:
    folder = data_path("rules")
    assert sorted(p.name for p in folder.glob("*.toml")) == [
        "api001-forbidden-pid.toml",
        "api002-eventadmin-constraints.toml",
        "api003-felix-http-types.toml",
        "api004-scripting-cache-constraints.toml",
        "api005-mail-service-types.toml",
    ]
