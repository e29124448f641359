"""Cloud Manager documents: advanced networking, variables files, exports, and the pre-check."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.model.secrets import DEFAULT_NAMER
from aemlint.parsing.cloud_manager import (
    NetworkingDoc,
    Variable,
    VariablesDoc,
    _js_number,
    parse_networking,
    parse_variables,
    sniff,
)
from aemlint.types import Secret, SecretLeak

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
LEARN = CORPUS / "AdobeDocs__experience-manager-learn.en"
ASSETS = LEARN / "help" / "cloud-service" / "networking" / "assets"
SNIPPETS = LEARN / "_snippets"

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_secrets(name: str) -> bool:
    return False


def piece(text: str, span: object) -> str:
    assert span is not None
    return text[span.start : span.end]  # type: ignore[attr-defined]


def net(text: str, suffix: str = "json") -> NetworkingDoc:
    return parse_networking(text, suffix)


def variables(text: str, suffix: str = "json", explicit: bool = False) -> VariablesDoc:
    doc = parse_variables(text, suffix, DEFAULT_NAMER, explicit=explicit)
    assert doc is not None
    return doc


def plain(variable: Variable) -> str | None:
    assert not isinstance(variable.value, Secret)
    return variable.value


# ----------------------------------------------------------------------------------------------
# Networking: the corpus


@pytest.mark.parametrize(
    ("name", "hosts", "forwards"),
    [
        (
            "flexible-port-egress.json",
            (),
            [("mysql.example.com", 3306, 30001), ("smtp.sendgrid.com", 465, 30002)],
        ),
        (
            "dedicated-egress-ip-address.json",
            ("example.net", "*.example.org"),
            [("mysql.example.com", 3306, 30001), ("smtp.sendgrid.net", 465, 30002)],
        ),
        (
            "vpn-configure.json",
            ("example.net", "*.example.org"),
            [("mysql.example.com", 3306, 30001), ("smtp.sendgrid.com", 465, 30002)],
        ),
    ],
)
def test_corpus_networking_documents(
    name: str, hosts: tuple[str, ...], forwards: list[tuple[str, int, int]]
) -> None:
    path = ASSETS / name
    text = path.read_text("utf-8")
    assert sniff(PurePosixPath("cloudmanager") / name, text) == "networking"
    doc = net(text)
    assert doc.problems == ()
    assert doc.declares_forwards
    assert doc.root is not None and doc.body is doc.root
    assert piece(text, doc.port_forwards_span) == '"portForwards"'
    assert tuple(h for h, _ in doc.non_proxy_hosts) == hosts
    for host, span in doc.non_proxy_hosts:
        assert piece(text, span) == f'"{host}"'
    assert [(f.name, f.port_dest, f.port_orig) for f in doc.port_forwards] == forwards
    for i, forward in enumerate(doc.port_forwards):
        assert forward.index == i
        assert piece(text, forward.span).startswith("{") and piece(text, forward.span).endswith("}")
        assert piece(text, forward.name_span) == f'"{forward.name}"'
        assert piece(text, forward.port_orig_span) == str(forward.port_orig)
        assert piece(text, forward.port_dest_span) == str(forward.port_dest)
        assert forward.node.kind == "map"


def test_corpus_flexible_egress_positions() -> None:
    doc = net((ASSETS / "flexible-port-egress.json").read_text("utf-8"))
    span = doc.port_forwards[1].port_orig_span
    assert span is not None and (span.line, span.column) == (11, 19)
    assert doc.port_forwards_span is not None
    assert (doc.port_forwards_span.line, doc.port_forwards_span.column) == (2, 3)


def test_corpus_vpn_create_is_not_networking() -> None:
    text = (ASSETS / "vpn-create.json").read_text("utf-8")
    assert sniff(PurePosixPath("vpn-create.json"), text) is None


def test_corpus_trailing_comma_snippet() -> None:
    path = SNIPPETS / "dedicated-egress-ip-address.md.inline.portForwards.json"
    text = path.read_text("utf-8")
    assert sniff(PurePosixPath(path.name), text) == "networking"
    doc = net(text)
    assert len(doc.problems) == 1
    problem = doc.problems[0]
    assert problem.code == "CFG001" and "trailing comma" in problem.message
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (4, 24)
    assert piece(text, problem.span) == ","
    assert doc.root is None and doc.port_forwards == () and not doc.declares_forwards


def test_corpus_fragment_snippet() -> None:
    path = SNIPPETS / "portForwards-fragment.smtp.mymail.json"
    text = path.read_text("utf-8")
    assert sniff(PurePosixPath(path.name), text) == "networking"
    doc = net(text)
    assert [p.code for p in doc.problems] == ["CFG001"]
    span = doc.problems[0].span
    assert span is not None and (span.line, span.column) == (1, 1)
    assert 0 <= span.start < len(text)


# ----------------------------------------------------------------------------------------------
# Networking: YAML and edge cases

YAML_NETWORKING = """\
# dedicated egress, as YAML
nonProxyHosts:
  - example.net
  - "*.example.org"
portForwards:
  - name: mysql.example.com
    portDest: 3306
    portOrig: 30001
  - {name: smtp.sendgrid.net, portDest: 465, portOrig: 30002}
"""


@pytest.mark.parametrize("suffix", ["yaml", "yml"])
def test_yaml_networking(suffix: str) -> None:
    doc = net(YAML_NETWORKING, suffix)
    assert doc.problems == ()
    assert [h for h, _ in doc.non_proxy_hosts] == ["example.net", "*.example.org"]
    assert [(f.name, f.port_dest, f.port_orig) for f in doc.port_forwards] == [
        ("mysql.example.com", 3306, 30001),
        ("smtp.sendgrid.net", 465, 30002),
    ]
    span = doc.port_forwards[0].port_orig_span
    assert span is not None and (span.line, span.column) == (8, 15)
    assert piece(YAML_NETWORKING, doc.port_forwards_span) == "portForwards"


def test_yaml_networking_syntax_error() -> None:
    doc = net("portForwards:\n  - name: a\n   portDest: 1\n", "yaml")
    assert [p.code for p in doc.problems] == ["CFG001"]
    assert doc.problems[0].span is not None and doc.problems[0].span.line >= 2


def test_networking_is_strict_json() -> None:
    for text in (
        '{"portForwards": [], // x\n}',
        '\ufeff{"portForwards": []}',
        "{portForwards: []}",
    ):
        assert [p.code for p in net(text).problems] == ["CFG001"]


def test_root_must_be_a_mapping() -> None:
    doc = net('[{"portForwards": []}]')
    assert [p.code for p in doc.problems] == ["CFG001"]
    assert "must be an object" in doc.problems[0].message
    assert doc.root is not None and doc.root.kind == "seq"
    assert not doc.declares_forwards
    assert [p.code for p in net("- portForwards\n", "yaml").problems] == ["CFG001"]
    assert [p.code for p in net('"portForwards"').problems] == ["CFG001"]


def test_empty_yaml_document_is_not_a_problem() -> None:
    doc = net("# portForwards: to do\n", "yaml")
    assert doc == NetworkingDoc((), None, (), False, None, ())


def test_empty_forwards_are_declared() -> None:
    doc = net('{"portForwards": []}')
    assert doc.declares_forwards and doc.port_forwards == ()
    doc = net('{"nonProxyHosts": ["a.example"]}')
    assert not doc.declares_forwards and doc.port_forwards_span is None
    assert doc.body is not None


def test_a_mapping_without_the_keys_has_no_body() -> None:
    doc = net('{"description": "we still need portForwards"}')
    assert doc.problems == () and doc.body is None and not doc.declares_forwards


def test_wrong_types_keep_what_is_readable() -> None:
    text = json.dumps(
        {
            "portForwards": [
                {"name": "smtp.example.com", "portDest": "465", "portOrig": "30465"},
                {"name": 5, "portDest": 465.0, "portOrig": True},
                {"portOrig": 30001},
                "smtp.example.com:465",
                {"name": "db.example.com", "portDest": 5432, "portOrig": 30003, "extra": 1},
            ],
            "nonProxyHosts": ["ok.example", 7, None],
        }
    )
    doc = net(text)
    assert doc.problems == ()
    first, second, third, fourth, fifth = doc.port_forwards
    assert (first.name, first.port_dest, first.port_orig) == ("smtp.example.com", None, None)
    assert piece(text, first.port_orig_span) == '"30465"'
    assert (second.name, second.port_dest, second.port_orig) == (None, None, None)
    assert piece(text, second.name_span) == "5"
    assert (third.name, third.name_span, third.port_dest, third.port_orig) == (
        None,
        None,
        None,
        30001,
    )
    assert fourth.node.kind == "str" and fourth.index == 3 and fourth.port_orig is None
    assert (fifth.name, fifth.port_dest, fifth.port_orig) == ("db.example.com", 5432, 30003)
    assert [h for h, _ in doc.non_proxy_hosts] == ["ok.example"]


def test_forwards_not_a_list() -> None:
    doc = net('{"portForwards": {"name": "a"}}')
    assert doc.declares_forwards and doc.port_forwards == () and doc.problems == ()


def test_duplicate_keys_keep_the_last_value() -> None:
    doc = net('{"portForwards": [{"portOrig": 30001, "portOrig": 30002}]}')
    assert doc.port_forwards[0].port_orig == 30002


def test_get_response_shape() -> None:
    text = json.dumps(
        {
            "_totalNumberOfItems": 1,
            "_embedded": {
                "networkingConfigurations": [
                    {
                        "programId": "14",
                        "environmentId": "15",
                        "networkInfrastructureId": "123",
                        "nonProxyHosts": ["*.example.com"],
                        "portForwards": [
                            {"name": "smtp.example.com", "portDest": 587, "portOrig": 30587}
                        ],
                        "advancedNetworkingEnabled": True,
                    }
                ]
            },
            "_links": {"self": {"href": "/api/program/14/environment/15/advancedNetworking"}},
        },
        indent=2,
    )
    doc = net(text)
    assert doc.problems == () and doc.declares_forwards
    assert [(f.name, f.port_orig) for f in doc.port_forwards] == [("smtp.example.com", 30587)]
    assert doc.body is not None and doc.body is not doc.root
    assert piece(text, doc.port_forwards_span) == '"portForwards"'


def test_single_configuration_object_is_the_put_shape() -> None:
    doc = net(
        '{"programId": "1", "portForwards": [{"name": "a", "portDest": 1, "portOrig": 30001}]}'
    )
    assert doc.body is doc.root and [f.port_orig for f in doc.port_forwards] == [30001]


# ----------------------------------------------------------------------------------------------
# The pre-check


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("cloudmanager/prod.json", '{"portForwards": []}', "networking"),
        ("cm/dev.yaml", "nonProxyHosts: []", "networking"),
        ("cm/dev.yml", "portForwards: [", "networking"),  # broken: parse reports it
        ("cm/dev.txt", '{"portForwards": []}', None),
        ("package.json", '{"portForwards": [], "name": "x"}', None),
        ("ui.frontend/package-lock.json", '{"name": "x", "value": "string"}', None),
        ("ui.frontend/tsconfig.app.json", '{"portForwards": []}', None),
        (".eslintrc.json", '{"portForwards": []}', None),
        ("composer.json", '{"portForwards": []}', None),
        (
            "ui.frontend/node_modules/x/vars.json",
            '[{"name": "A", "value": "1", "type": "string"}]',
            None,
        ),
        ("vars.json", '[{"name": "A", "value": "1", "type": "string"}]', "variables"),
        ("vars.json", '[{"name": "A", "value": "1", "type": "secretString"}]', "variables"),
        ("vars.yaml", "- name: A\n  value: '1'\n  type: string\n", "variables"),
        ("vars.YML", "- name: A\n  value: x\n  type: 'secretString'\n", "variables"),
        ("export.json", '{"_embedded": {"variables": [{"name": "A", "value": "1"}]}}', "variables"),
        ("vars.json", '[{"name": "A", "value": "1"}]', None),  # no type: not a candidate
        ("data.json", '{"title": "x"}', None),
        ("openapi.yaml", "name: x\nvalue: 1\n", None),
    ],
)
def test_sniff(path: str, text: str, expected: str | None) -> None:
    assert sniff(PurePosixPath(path), text) == expected


# ----------------------------------------------------------------------------------------------
# Variables files

VARS_JSON = """\
[
  {"name": "MY_VARIABLE", "value": "something", "type": "string"},
  {"name": "MY_SECRET_VARIABLE", "value": "shhhh", "type": "secretString"},
  {"name": "AUTHOR_ONLY", "value": "a", "service": "author"},
  {"name": "DB_PASSWORD", "value": "hunter2"},
  {"name": "FROM_PIPELINE", "value": "${FROM_PIPELINE}", "type": "secretString"},
  {"name": "ALSO_RUNTIME", "value": "$ALSO_RUNTIME"},
  {"name": "NOT_RUNTIME", "value": "x${Y}"},
  {"name": "ODD", "value": "v", "service": "Author", "type": "secret"}
]
"""


def test_variables_json_file() -> None:
    doc = variables(VARS_JSON)
    assert doc.shape == "file" and doc.problems == ()
    names = [v.name for v in doc.variables]
    assert names == [
        "MY_VARIABLE",
        "MY_SECRET_VARIABLE",
        "AUTHOR_ONLY",
        "DB_PASSWORD",
        "FROM_PIPELINE",
        "ALSO_RUNTIME",
        "NOT_RUNTIME",
        "ODD",
    ]
    by = {v.name: v for v in doc.variables}
    assert plain(by["MY_VARIABLE"]) == "something" and by["MY_VARIABLE"].type == "string"
    assert by["AUTHOR_ONLY"].type == "string" and by["AUTHOR_ONLY"].service == "author"
    assert by["MY_VARIABLE"].service is None
    secret = by["MY_SECRET_VARIABLE"].value
    assert isinstance(secret, Secret) and secret.reveal() == "shhhh"
    named = by["DB_PASSWORD"].value  # type string, but secret-named
    assert isinstance(named, Secret) and named.reveal() == "hunter2"
    assert by["DB_PASSWORD"].type == "string"
    assert by["FROM_PIPELINE"].runtime and isinstance(by["FROM_PIPELINE"].value, Secret)
    assert by["ALSO_RUNTIME"].runtime and not by["NOT_RUNTIME"].runtime
    assert not by["MY_VARIABLE"].runtime
    assert (by["ODD"].type, by["ODD"].service) == ("secret", "Author")
    first = doc.variables[0]
    assert piece(VARS_JSON, first.name_span) == '"MY_VARIABLE"'
    assert piece(VARS_JSON, first.value_span) == '"something"'
    assert piece(VARS_JSON, first.span).startswith('{"name"')
    assert (first.name_span.line, first.name_span.column) == (2, 12)


VARS_YAML = """\
- name: MY_VARIABLE
  value: something
  type: string
- name: YES_STAYS_A_STRING
  value: yes
- name: LEADING_ZERO
  value: 012
- name: A_FLOAT
  value: 1.50
- name: A_BOOL
  value: true
- name: A_NULL
  value:
- name: A_MAP
  value: {a: 1}
- name: NO_VALUE
- name: ''
  value: skipped
- value: no name
- name: API_TOKEN
  value: 'abc'
  type: secretString
  service: preview
- name: 12
  value: numeric name
"""


def test_variables_yaml_file() -> None:
    # Entries without a name or a value fail the discovery shape: named in the configuration.
    assert parse_variables(VARS_YAML, "yaml", DEFAULT_NAMER) is None
    doc = variables(VARS_YAML, "yaml", explicit=True)
    assert doc.shape == "file" and doc.problems == ()
    by = {v.name: v for v in doc.variables}
    assert list(by) == [
        "MY_VARIABLE",
        "YES_STAYS_A_STRING",
        "LEADING_ZERO",
        "A_FLOAT",
        "A_BOOL",
        "A_NULL",
        "A_MAP",
        "NO_VALUE",
        "API_TOKEN",
        "12",
    ]
    assert plain(by["YES_STAYS_A_STRING"]) == "yes"
    assert plain(by["LEADING_ZERO"]) == "12"  # YAML 1.2 int 12, sent as the number 12
    assert plain(by["A_FLOAT"]) == "1.5"
    assert plain(by["A_BOOL"]) == "true"
    assert by["A_NULL"].value is None and by["A_NULL"].value_span is not None
    assert by["A_MAP"].value is None and piece(VARS_YAML, by["A_MAP"].value_span) == "{a: 1}"
    assert by["NO_VALUE"].value is None and by["NO_VALUE"].value_span is None
    token = by["API_TOKEN"]
    assert isinstance(token.value, Secret) and token.value.reveal() == "abc"
    assert (token.type, token.service) == ("secretString", "preview")
    assert piece(VARS_YAML, by["LEADING_ZERO"].value_span) == "012"
    assert (by["MY_VARIABLE"].name_span.line, by["MY_VARIABLE"].name_span.column) == (1, 9)


def test_yaml_duplicate_key_is_a_syntax_problem() -> None:
    text = "- name: A\n  value: x\n  type: string\n  value: y\n"
    doc = variables(text, "yaml", explicit=True)
    assert [p.code for p in doc.problems] == ["CFG001"]
    assert doc.problems[0].span is not None and doc.problems[0].span.line == 4
    assert "line 2" in doc.problems[0].message
    assert parse_variables(text, "yaml", DEFAULT_NAMER) is None  # discovered, no secretString


def test_json_duplicate_key_keeps_the_last() -> None:
    doc = variables('[{"name": "A", "value": "x", "value": "y", "type": "string"}]')
    assert plain(doc.variables[0]) == "y"


def test_json_numbers_as_javascript_prints_them() -> None:
    text = (
        '[{"name": "A", "value": 1.0, "type": "string"}, {"name": "B", "value": 1e21},'
        ' {"name": "C", "value": 12345678901234567890}, {"name": "D", "value": false},'
        ' {"name": "E", "value": 1e400}]'
    )
    by = {v.name: v for v in variables(text).variables}
    assert [plain(by[n]) for n in "ABCD"] == ["1", "1e+21", "12345678901234567000", "false"]
    assert by["E"].value is None and by["E"].value_span is not None


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (7, "7"),
        (-7.25, "-7.25"),
        (100.0, "100"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e-6, "0.0000015"),
        (1e-7, "1e-7"),
        (1.25e-7, "1.25e-7"),
        (123456789.123, "123456789.123"),
        (2**53 + 1, "9007199254740992"),
        (10**400, None),
        (float("inf"), None),
    ],
)
def test_js_number(number: int | float, text: str | None) -> None:
    assert _js_number(number) == text


def test_falsy_type_is_string_and_odd_types_keep_their_text() -> None:
    text = '[{"name": "A", "value": "1", "type": ""}, {"name": "B", "value": "1", "type": ["x"]}]'
    a, b = variables(text, explicit=True).variables
    assert a.type == "string" and b.type == '["x"]'


def test_discovered_array_without_the_shape_is_none() -> None:
    for text in (
        "[]",
        '[{"name": "A", "value": "1"}]',  # no type anywhere
        '[{"name": "A", "value": "1", "type": "string"}, {"name": "B"}]',  # one without value
        '[{"name": "A", "value": "1", "type": "string"}, "x"]',
        '{"name": "A", "value": "1", "type": "string"}',
        '"string"',
        '{"_embedded": {"items": []}}',
    ):
        assert parse_variables(text, "json", DEFAULT_NAMER) is None, text


def test_explicit_file_relaxes_the_shape() -> None:
    doc = variables(
        '[{"name": "A", "value": "1"}, {"name": "B"}, "x", {"value": "2"}]', explicit=True
    )
    assert doc.shape == "file" and doc.problems == ()
    assert [(v.name, v.type) for v in doc.variables] == [("A", "string"), ("B", "string")]
    assert variables("[]", explicit=True).variables == ()


@pytest.mark.parametrize(
    ("text", "suffix"),
    [('{"name": "A", "value": "1"}', "json"), ("name: A\n", "yaml"), ("# nothing\n", "yaml")],
)
def test_explicit_non_array_is_a_problem(text: str, suffix: str) -> None:
    doc = variables(text, suffix, explicit=True)
    assert doc.variables == () and [p.code for p in doc.problems] == ["CFG001"]
    assert "not a Cloud Manager variables document" in doc.problems[0].message


def test_broken_files() -> None:
    broken = '[{"name": "A", "value": "1", "type": "string"},]'
    assert parse_variables(broken, "json", DEFAULT_NAMER) is None  # may not be ours
    doc = variables(broken, explicit=True)
    assert [p.code for p in doc.problems] == ["CFG001"] and doc.problems[0].span is not None
    secret = '[{"name": "A", "value": "hunter2", "type": "secretString"},]'
    doc = variables(secret)  # discovered, but it says secretString: it is a variables file
    assert [p.code for p in doc.problems] == ["CFG001"]
    assert "hunter2" not in doc.problems[0].message
    yaml_broken = "- name: A\n  value: 'x\n  type: secretString\n"
    assert [p.code for p in variables(yaml_broken, "yaml").problems] == ["CFG001"]


# ----------------------------------------------------------------------------------------------
# list-variables output and API exports

LIST_VARIABLES_JSON = """\
[
  {
    "name": "MY_VARIABLE",
    "type": "string",
    "value": "something",
    "service": ""
  },
  {
    "name": "MY_SECRET",
    "type": "secretString",
    "value": "****",
    "service": "author"
  }
]
"""

LIST_VARIABLES_YAML = """\
- name: MY_VARIABLE
  type: string
  value: something
  service: ''
- name: MY_SECRET
  type: secretString
  value: '****'
  service: author
"""


@pytest.mark.parametrize(
    ("text", "suffix"), [(LIST_VARIABLES_JSON, "json"), (LIST_VARIABLES_YAML, "yaml")]
)
def test_list_variables_output(text: str, suffix: str) -> None:
    assert sniff(PurePosixPath(f"env.{suffix}"), text) == "variables"
    doc = variables(text, suffix)
    assert doc.shape == "list-variables" and doc.problems == ()
    plain_var, secret_var = doc.variables
    assert (plain_var.name, plain(plain_var), plain_var.service) == (
        "MY_VARIABLE",
        "something",
        None,
    )
    assert secret_var.value is None and piece(text, secret_var.value_span).strip("'\"") == "****"
    assert (secret_var.type, secret_var.service) == ("secretString", "author")


def test_old_list_variables_output_without_service_column() -> None:
    text = '[{"name": "A", "type": "secretString", "value": "****"}]'
    doc = variables(text)
    assert doc.shape == "list-variables" and doc.variables[0].value is None


def test_list_shaped_file_without_markers_is_a_file() -> None:
    text = '[{"name": "A", "type": "string", "value": "x", "service": "author"}]'
    assert variables(text).shape == "file"


ENV_EXPORT = {
    "_totalNumberOfItems": 3,
    "_embedded": {
        "variables": [
            {"name": "MY_VAR1", "value": "myValue", "type": "string", "status": "ready"},
            {"name": "AUTHOR_VAR", "value": "v", "type": "string", "service": "author"},
            {"name": "MY_SECRET", "type": "secretString", "status": "ready"},
        ]
    },
    "_links": {
        "http://ns.adobe.com/adobecloud/rel/environment": {
            "href": "/api/program/2351/environment/128"
        },
        "self": {"href": "/api/program/2351/environment/128/variables"},
    },
}


def test_api_export() -> None:
    text = json.dumps(ENV_EXPORT, indent=2)
    assert sniff(PurePosixPath("export.json"), text) == "variables"
    doc = variables(text)
    assert doc.shape == "api-export" and doc.problems == ()
    first, author, secret = doc.variables
    assert (first.name, plain(first), first.type, first.service) == (
        "MY_VAR1",
        "myValue",
        "string",
        None,
    )
    assert author.service == "author"
    assert (secret.value, secret.value_span, secret.type) == (None, None, "secretString")


def test_api_export_yaml() -> None:
    text = "_embedded:\n  variables:\n    - name: A\n      value: x\n      type: string\n"
    assert variables(text, "yaml").shape == "api-export"


@pytest.mark.parametrize(
    "links",
    [
        {"self": {"href": "/api/program/2351/pipeline/7/variables"}},
        {"http://ns.adobe.com/adobecloud/rel/pipeline": {"href": "/api/program/2351/pipeline/7"}},
    ],
)
def test_pipeline_export_is_not_environment_variables(links: dict[str, object]) -> None:
    export = {
        "_embedded": {
            "variables": [{"name": "A", "value": "1", "type": "string", "service": "build"}]
        },
        "_links": links,
    }
    text = json.dumps(export)
    assert sniff(PurePosixPath("pipeline.json"), text) == "variables"
    assert parse_variables(text, "json", DEFAULT_NAMER) is None
    doc = variables(text, explicit=True)
    assert doc.variables == () and [p.code for p in doc.problems] == ["CFG001"]
    assert "pipeline" in doc.problems[0].message


# ----------------------------------------------------------------------------------------------
# Secrets are never formatted


def test_secret_values_are_never_formatted() -> None:
    assert Secret.strict
    doc = variables(VARS_JSON)
    secrets = [v.value for v in doc.variables if isinstance(v.value, Secret)]
    assert len(secrets) == 3
    with pytest.raises(SecretLeak):
        str(secrets[0])
    with pytest.raises(SecretLeak):
        repr(doc)  # a report that formats a parsed document fails loudly in tests
    for problem in variables(
        '[{"name": "A_TOKEN", "value": "hunter2", "type": "x"},', explicit=True
    ).problems:
        assert "hunter2" not in problem.message


def test_secret_named_runtime_template_is_still_a_secret() -> None:
    doc = variables('[{"name": "DB_PASSWORD", "value": "${DB_PASSWORD}", "type": "string"}]')
    (variable,) = doc.variables
    assert variable.runtime and isinstance(variable.value, Secret)


def test_custom_secret_name_function() -> None:
    doc = parse_variables(
        '[{"name": "FOO", "value": "bar", "type": "string"}]', "json", lambda n: n == "FOO"
    )
    assert doc is not None and isinstance(doc.variables[0].value, Secret)
    doc = parse_variables(
        '[{"name": "DB_PASSWORD", "value": "x", "type": "string"}]', "json", no_secrets
    )
    assert doc is not None and doc.variables[0].value == "x"


# ----------------------------------------------------------------------------------------------
# Properties: any input gives a result, never an exception

JSON_TOKENS = [
    *'{}[],:"\\ \n-0123456789.eEtrufalsn',
    '"name"',
    '"value"',
    '"type"',
    '"secretString"',
    '"portForwards"',
    '"portOrig"',
    '"_embedded"',
    '"variables"',
]
YAML_TOKENS = [
    *"-:{}[],'\" \n#&*!|>?",
    "name",
    "value",
    "type",
    "secretString",
    "portForwards",
    "portOrig",
    "  ",
]
JSONISH = st.lists(st.sampled_from(JSON_TOKENS), max_size=40).map("".join)
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6)
)
documents = st.recursive(
    scalars | st.sampled_from(["string", "secretString", "****", "", "${X}", "/pipeline/"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "value",
                    "type",
                    "service",
                    "_embedded",
                    "variables",
                    "_links",
                    "href",
                    "portForwards",
                    "nonProxyHosts",
                    "portOrig",
                    "portDest",
                    "networkingConfigurations",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def _check(text: str, suffix: str) -> None:
    doc = parse_networking(text, suffix)
    assert isinstance(doc, NetworkingDoc)
    for forward in doc.port_forwards:
        assert forward.port_orig is None or isinstance(forward.port_orig, int)
    for explicit in (False, True):
        result = parse_variables(text, suffix, DEFAULT_NAMER, explicit=explicit)
        assert result is None or isinstance(result, VariablesDoc)
        if explicit:
            assert result is not None
        for variable in result.variables if result is not None else ():
            assert isinstance(variable.name, str) and isinstance(variable.type, str)


@CI
@given(JSONISH | st.text(), st.sampled_from(["json", "yaml", "yml"]))
def test_any_text_gives_a_result(text: str, suffix: str) -> None:
    _check(text, suffix)
    sniff(PurePosixPath(f"x.{suffix}"), text)


@CI
@given(YAMLISH, st.sampled_from(["yaml", "json"]))
def test_any_yamlish_text_gives_a_result(text: str, suffix: str) -> None:
    _check(text, suffix)


@CI
@given(documents, st.booleans())
def test_any_document_gives_a_result(document: object, as_yaml: bool) -> None:
    text = json.dumps(document, indent=2)  # JSON is YAML 1.2 too
    _check(text, "yaml" if as_yaml else "json")
