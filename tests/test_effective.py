"""``aemlint effective`` through the real CLI entry, on file trees built per test (issue #4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aemlint.cli import main

from helpers import Result, run_main, write

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
LIBS = "ui.config/src/main/content/jcr_root/libs/demo/osgiconfig"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(args: list[str], cwd: Path) -> Result:
        return run_main(["effective", *args], cwd, capsys, monkeypatch)

    return call


def blocks(r: Result) -> list[dict[str, Any]]:
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert isinstance(data, list)
    return data


def one(r: Result, service: str, env: str) -> dict[str, Any]:
    found = [b for b in blocks(r) if b["service"] == service and b["environment"] == env]
    assert len(found) == 1, [(b["service"], b["environment"]) for b in blocks(r)]
    return found[0]


# -- the run-mode table ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runmode_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runmodes") / "proj"
    write(root, "aemlint.toml", "")
    files = {
        # t.Layered: config < config.author < config.author.dev; config.publish.prod
        f"{APPS}/config/t.Layered.cfg.json": '{"level": "config"}',
        f"{APPS}/config.author/t.Layered.cfg.json": '{"level": "author"}',
        f"{APPS}/config.author.dev/t.Layered.cfg.json": '{"level": "author.dev"}',
        f"{APPS}/config.publish.prod/t.Layered.cfg.json": '{"level": "publish.prod"}',
        # t.EnvOnly: unsupported config.qa and misordered config.dev.author never apply
        f"{APPS}/config/t.EnvOnly.cfg.json": '{"level": "config"}',
        f"{APPS}/config.dev/t.EnvOnly.cfg.json": '{"level": "dev"}',
        f"{APPS}/config.qa/t.EnvOnly.cfg.json": '{"level": "qa"}',
        f"{APPS}/config.dev.author/t.EnvOnly.cfg.json": '{"level": "dev.author"}',
        # t.Tie: config.author vs config.dev on author-dev (RUN004)
        f"{APPS}/config.author/t.Tie.cfg.json": '{"level": "author"}',
        f"{APPS}/config.dev/t.Tie.cfg.json": '{"level": "dev"}',
        # factory configurations resolve per factory PID + name
        f"{APPS}/config/t.Factory~one.cfg.json": '{"level": "config"}',
        f"{APPS}/config.prod/t.Factory~one.cfg.json": '{"level": "prod"}',
        f"{APPS}/config/t.Factory~two.cfg.json": '{"level": "config"}',
        # /apps wins over /libs whatever the run modes
        f"{LIBS}/config.author.dev/t.Libs.cfg.json": '{"level": "libs author.dev"}',
        f"{APPS}/config/t.Libs.cfg.json": '{"level": "apps config"}',
        # only a publish folder: nothing applies on author
        f"{APPS}/config.publish/t.PublishOnly.cfg.json": '{"level": "publish"}',
    }
    for rel, text in files.items():
        write(root, rel, text + "\n")
    return root


RUNMODE_TABLE = [
    # (key, service, env, expected level or None, expected overridden levels)
    ("t.Layered", "author", "dev", "author.dev", ["author", "config"]),
    ("t.Layered", "author", "stage", "author", ["config"]),
    ("t.Layered", "publish", "prod", "publish.prod", ["config"]),
    ("t.Layered", "preview", "prod", "publish.prod", ["config"]),
    ("t.Layered", "publish", "dev", "config", []),
    ("t.Layered", "preview", "rde", "config", []),
    ("t.EnvOnly", "author", "dev", "dev", ["config"]),
    ("t.EnvOnly", "author", "stage", "config", []),
    ("t.EnvOnly", "preview", "dev", "dev", ["config"]),
    ("t.Factory~one", "author", "prod", "prod", ["config"]),
    ("t.Factory~one", "publish", "stage", "config", []),
    ("t.Factory~two", "author", "prod", "config", []),
    ("t.Libs", "author", "dev", "apps config", ["libs author.dev"]),
    ("t.PublishOnly", "author", "dev", None, []),
    ("t.PublishOnly", "preview", "stage", "publish", []),
]


def _level(root: Path, rel: str | None) -> str | None:
    if rel is None:
        return None
    data = json.loads((root / rel).read_text())
    assert isinstance(data["level"], str)
    return data["level"]


@pytest.mark.parametrize(("key", "service", "env", "level", "losers"), RUNMODE_TABLE)
def test_run_mode_table(  # type: ignore[no-untyped-def]
    cli, runmode_tree: Path, key: str, service: str, env: str, level: str | None, losers: list[str]
) -> None:
    r = cli([key, "--service", service, "--env", env, "--format", "json"], runmode_tree)
    got = blocks(r)
    assert len(got) == 1
    b = got[0]
    assert (b["service"], b["environment"], b["environment_type"]) == (service, env, env)
    assert _level(runmode_tree, b["winner"]) == level
    assert [_level(runmode_tree, p) for p in b["overridden"]] == losers
    assert b["tied"] == []
    if key == "t.EnvOnly":
        assert [p.split("/")[-2] for p in b["ignored"]] == ["config.dev.author", "config.qa"]
    if level is None:
        assert b["properties"] == {}
    else:
        assert b["properties"] == {
            "level": {"type": "String", "value": level, "redacted": False, "placeholders": []}
        }


def test_factory_fields(cli, runmode_tree: Path) -> None:  # type: ignore[no-untyped-def]
    b = blocks(cli(["t.Factory~one", "--format", "json"], runmode_tree))
    assert {(x["pid"], x["factory_pid"], x["name"]) for x in b} == {
        ("t.Factory~one", "t.Factory", "one")
    }
    single = blocks(cli(["t.Layered", "--format", "json"], runmode_tree))[0]
    assert (single["pid"], single["factory_pid"], single["name"]) == ("t.Layered", None, None)


def test_default_is_every_service_on_every_type(cli, runmode_tree: Path) -> None:  # type: ignore[no-untyped-def]
    got = blocks(cli(["t.Layered", "--format", "json"], runmode_tree))
    pairs = [(b["environment"], b["service"]) for b in got]
    assert pairs == [
        (e, s) for e in ("dev", "stage", "prod", "rde") for s in ("author", "publish", "preview")
    ]


def test_tie_is_shown_honestly(cli, runmode_tree: Path) -> None:  # type: ignore[no-untyped-def]
    b = one(cli(["t.Tie", "--format", "json"], runmode_tree), "author", "dev")
    assert _level(runmode_tree, b["winner"]) == "author"  # the first by path
    assert [_level(runmode_tree, p) for p in b["tied"]] == ["author", "dev"]
    assert b["overridden"] == []
    text = cli(["t.Tie", "--service", "author", "--env", "dev"], runmode_tree)
    assert "tied with:" in text.out and "not documented" in text.out
    # no tie on publish-dev: config.dev alone
    b = one(cli(["t.Tie", "--format", "json"], runmode_tree), "publish", "dev")
    assert _level(runmode_tree, b["winner"]) == "dev" and b["tied"] == []


def test_only_unsupported_folders_never_apply(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{APPS}/config.qa/t.Qa.cfg.json", '{"a": 1}\n')
    write(tmp_path, f"{APPS}/config.local/t.Qa.config", 'a=L"1"\n')
    got = blocks(cli(["t.Qa", "--format", "json"], tmp_path))
    assert len(got) == 12
    assert all(b["winner"] is None and b["properties"] == {} for b in got)
    assert [p.split("/")[-2] for p in got[0]["ignored"]] == ["config.local", "config.qa"]
    r = cli(["t.Qa", "--service", "author", "--env", "dev"], tmp_path)
    assert r.code == 0 and "no configuration file applies" in r.out
    assert r.out.endswith(
        "never applied (unsupported or misordered run-mode folder, RUN001/RUN002):\n"
        f"  {APPS}/config.local/t.Qa.config\n  {APPS}/config.qa/t.Qa.cfg.json\n"
    )


def test_unreadable_file_is_not_installed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{APPS}/config/t.Broken.cfg.json", '{"a": "base"}\n')
    write(tmp_path, f"{APPS}/config.dev/t.Broken.cfg.json", '{"a": "dev",}\n')
    b = one(cli(["t.Broken", "--format", "json", "--service", "author"], tmp_path), "author", "dev")
    assert b["winner"].endswith("/config/t.Broken.cfg.json")
    assert [p.split("/")[-2] for p in b["not_installed"]] == ["config.dev"]


# -- legacy forms and types --------------------------------------------------------------------


FELIX = """\
# a Felix .config
port=I"30465"
ratio=F"1080452710"
big=D"4612811918334230528"
flag=B"true"
small=x"7"
letter=C"z"
hosts=["a.example","b.example"]
ints=I["1","2"]
prims=i["3"]
coll=L("10","20")
label="plain"
"""
XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0"
    xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="sling:OsgiConfig"
    port="{Long}25"
    enabled="{Boolean}true"
    ratio="{Double}1.5"
    hosts="[a.example,b\\,c]"
    label="plain"/>
"""


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{APPS}/config/t.Felix.config", FELIX)
    write(tmp_path, f"{APPS}/config/t.Props.cfg", "label = plain\nport = 25\n")
    write(tmp_path, f"{APPS}/config/t.Xml.xml", XML)
    write(
        tmp_path,
        f"{APPS}/config/t.Json.cfg.json",
        '{"n": 5, "d": 1.5, "b": true, "s": "x", "arr": [1, 2], "i:Integer": 3,'
        ' "f:Float": 3.6, "c:Collection<String>": ["a"], "p:int[]": [1]}\n',
    )
    return tmp_path


def _types(cli, root: Path, pid: str) -> dict[str, tuple[str, Any]]:  # type: ignore[no-untyped-def]
    b = one(cli([pid, "--format", "json", "--env", "prod"], root), "publish", "prod")
    assert b["winner"] is not None
    return {k: (v["type"], v["value"]) for k, v in b["properties"].items()}


def test_felix_config_types(cli, legacy: Path) -> None:  # type: ignore[no-untyped-def]
    assert _types(cli, legacy, "t.Felix") == {
        "port": ("Integer", 30465),
        "ratio": ("Float", 3.6),  # raw IEEE bits, shown as the float's shortest decimal
        "big": ("Double", 2.5),
        "flag": ("Boolean", True),
        "small": ("Byte", 7),
        "letter": ("Character", "z"),
        "hosts": ("String[]", ["a.example", "b.example"]),
        "ints": ("Integer[]", [1, 2]),
        "prims": ("int[]", [3]),
        "coll": ("Collection<Long>", [10, 20]),
        "label": ("String", "plain"),
    }


def test_properties_and_xml_types(cli, legacy: Path) -> None:  # type: ignore[no-untyped-def]
    assert _types(cli, legacy, "t.Props") == {
        "label": ("String", "plain"),
        "port": ("String", "25"),
    }
    assert _types(cli, legacy, "t.Xml") == {
        "port": ("Long", 25),
        "enabled": ("Boolean", True),
        "ratio": ("Double", 1.5),
        "hosts": ("String[]", ["a.example", "b,c"]),
        "label": ("String", "plain"),
    }


def test_cfg_json_types(cli, legacy: Path) -> None:  # type: ignore[no-untyped-def]
    assert _types(cli, legacy, "t.Json") == {
        "n": ("Long", 5),
        "d": ("Double", 1.5),
        "b": ("Boolean", True),
        "s": ("String", "x"),
        "arr": ("Long[]", [1, 2]),
        "i": ("Integer", 3),
        "f": ("Float", 3.6),
        "c": ("Collection<String>", ["a"]),
        "p": ("int[]", [1]),
    }


def test_text_format(cli, legacy: Path) -> None:  # type: ignore[no-untyped-def]
    write(legacy, f"{APPS}/config.author.prod/t.Json.cfg.json", '{"s": "author prod"}\n')
    r = cli(["t.Json", "--service", "author", "--env", "prod"], legacy)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "t.Json on author in prod"
    assert lines[1] == f"  winner:     {APPS}/config.author.prod/t.Json.cfg.json"
    assert lines[2] == f"  overrides:  {APPS}/config/t.Json.cfg.json"
    assert '  s (String) = "author prod"' in lines
    r = cli(["t.Felix", "--service", "publish", "--env", "dev"], legacy)
    assert '  hosts (String[]) = ["a.example", "b.example"]' in r.out
    assert "  port (Integer) = 30465" in r.out
    assert "  coll (Collection<Long>) = [10, 20]" in r.out
    # paths are relative to the cwd when under it
    r = cli(["t.Felix", "--service", "publish", "--env", "dev"], legacy / "ui.config")
    assert "  winner:     src/main/content/jcr_root/apps/demo/osgiconfig/config/t.Felix.config" in (
        r.out
    )


# -- environments and variables ----------------------------------------------------------------


TOML = """\
[[cloud-manager.environments]]
name = "dev1"
type = "dev"
variables = ["cloudmanager/dev/variables.yaml"]

[[cloud-manager.environments]]
name = "production"
type = "prod"
variables = ["cloudmanager/prod/variables.json"]
"""
SERVICE = """{
  "url": "https://$[env:API_HOST;default=localhost]/api",
  "timeout": "$[env:TIMEOUT;type=Integer;default=5]",
  "region": "$[env:REGION]",
  "escaped": "\\\\$[env:API_HOST]"
}
"""


@pytest.fixture
def envs(tmp_path: Path) -> Path:
    write(tmp_path, "aemlint.toml", TOML)
    write(tmp_path, f"{APPS}/config/com.acme.Service.cfg.json", SERVICE)
    write(
        tmp_path,
        "cloudmanager/dev/variables.yaml",
        "- name: API_HOST\n  value: dev.example.com\n  type: string\n"
        "- name: API_HOST\n  value: author-dev.example.com\n  type: string\n  service: author\n",
    )
    write(
        tmp_path,
        "cloudmanager/prod/variables.json",
        '[{"name": "API_HOST", "value": "prod.example.com", "type": "string"},\n'
        ' {"name": "TIMEOUT", "value": "30", "type": "string"}]\n',
    )
    return tmp_path


def test_environment_resolves_env_placeholders(cli, envs: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.acme.Service", "--environment", "production", "--format", "json"], envs)
    got = blocks(r)
    assert [(b["environment"], b["environment_type"], b["service"]) for b in got] == [
        ("production", "prod", s) for s in ("author", "publish", "preview")
    ]
    props = got[1]["properties"]
    assert props["url"]["value"] == "https://prod.example.com/api"
    assert props["url"]["placeholders"] == [
        {
            "kind": "env",
            "name": "API_HOST",
            "source": "variable",
            "path": "cloudmanager/prod/variables.json",
        }
    ]
    assert (props["timeout"]["type"], props["timeout"]["value"]) == ("Integer", 30)
    assert props["region"]["value"] == "$[env:REGION]"  # left as written: what AEM deploys
    assert props["region"]["placeholders"][0]["source"] == "unset"
    assert props["escaped"]["value"] == "$[env:API_HOST]"


def test_service_scoped_variable_and_defaults(cli, envs: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.acme.Service", "--environment", "dev1", "--format", "json"], envs)
    author = one(r, "author", "dev1")["properties"]
    publish = one(r, "publish", "dev1")["properties"]
    assert author["url"]["value"] == "https://author-dev.example.com/api"
    assert publish["url"]["value"] == "https://dev.example.com/api"
    assert (publish["timeout"]["type"], publish["timeout"]["value"]) == ("Integer", 5)
    assert publish["timeout"]["placeholders"][0]["source"] == "default"


def test_configured_environments_are_the_default(cli, envs: Path) -> None:  # type: ignore[no-untyped-def]
    got = blocks(cli(["com.acme.Service", "--format", "json"], envs))
    assert [b["environment"] for b in got] == ["dev1"] * 3 + ["production"] * 3
    # --env TYPE: the environments of that type; none of that type: defaults only
    got = blocks(cli(["com.acme.Service", "--env", "stage", "--format", "json"], envs))
    assert [(b["environment"], b["environment_type"]) for b in got] == [("stage", "stage")] * 3
    assert got[0]["properties"]["url"]["value"] == "https://localhost/api"
    got = blocks(cli(["com.acme.Service", "--env", "prod", "--format", "json"], envs))
    assert {b["environment"] for b in got} == {"production"}


def test_environment_text_format(cli, envs: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.acme.Service", "--environment", "production", "--service", "publish"], envs)
    assert r.code == 0, r.err
    assert r.out.startswith("com.acme.Service on publish in production (prod)\n")
    assert '  url (String) = "https://prod.example.com/api"' in r.out
    assert "      $[env:API_HOST] <- variable API_HOST (cloudmanager/prod/variables.json)" in r.out
    assert "  timeout (Integer) = 30" in r.out
    assert "  variables:  environment production (cloudmanager/prod/variables.json)" in r.out


def test_unknown_environment_is_exit_2(cli, envs: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.acme.Service", "--environment", "nope"], envs)
    assert r.code == 2
    assert "unknown environment 'nope'" in r.err and "dev1" in r.err
    r = cli(["com.acme.Service", "--environment", "production", "--env", "dev"], envs)
    assert r.code == 2 and "of type prod" in r.err


def test_implicit_pool_and_runtime_values(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{APPS}/config/com.acme.Service.cfg.json", SERVICE)
    write(
        tmp_path,
        "scripts/vars.sh",
        'aio cloudmanager:environment:set-variables "$ENV_ID" --variable API_HOST "$HOST"'
        " --variable TIMEOUT 12\n",
    )
    r = cli(["com.acme.Service", "--environment", "default", "--format", "json"], tmp_path)
    got = blocks(r)
    assert len(got) == 12
    props = one(r, "author", "stage")["properties"]
    assert props["url"]["value"] == "https://$[env:API_HOST;default=localhost]/api"
    assert props["url"]["placeholders"][0]["source"] == "runtime"
    assert props["timeout"]["value"] == 12


# -- secrets -------------------------------------------------------------------------------------


PLANTED = ("Plant3dLiteral", "Plant3dVariable", "Plant3dDefault", "Plant3dFelix", "Plant3dEnvVar")


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "aemlint.toml",
        '[[cloud-manager.environments]]\nname = "prod"\ntype = "prod"\n'
        'variables = ["cloudmanager/prod.yaml"]\n',
    )
    write(
        tmp_path,
        f"{APPS}/config/com.day.cq.mailer.DefaultMailService.cfg.json",
        """{
  "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
  "smtp.password": "Plant3dLiteral-9f8e7d",
  "smtp.user": "$[secret:MAIL_USER]",
  "api.token": "$[secret:NOT_SET;default=Plant3dDefault-77]",
  "from.address": "$[env:FROM_SECRET]",
  "oauth.key": "$[secret:UNSET_KEY]",
  "hosts": ["a.example", "$[secret:MAIL_USER]"]
}
""",
    )
    write(tmp_path, f"{APPS}/config/com.acme.Legacy.config", 'password="Plant3dFelix-1"\nn=I"1"\n')
    write(
        tmp_path,
        "cloudmanager/prod.yaml",
        "- name: MAIL_USER\n  value: Plant3dVariable-abc\n  type: secretString\n"
        "- name: FROM_SECRET\n  value: Plant3dEnvVar-x\n  type: secretString\n",
    )
    return tmp_path


def _no_plant(r: Result) -> None:
    for planted in PLANTED:
        assert planted not in r.out + r.err


def test_secrets_never_appear_in_json(cli, secrets: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.day.cq.mailer.DefaultMailService", "--format", "json"], secrets)
    _no_plant(r)
    props = one(r, "publish", "prod")["properties"]
    assert props["smtp.host"] == {
        "type": "String",
        "value": "proxy.tunnel",
        "redacted": False,
        "placeholders": [
            {"kind": "env", "name": "AEM_PROXY_HOST", "source": "platform", "path": None}
        ],
    }
    for key in ("smtp.password", "smtp.user", "api.token", "from.address"):
        assert (props[key]["value"], props[key]["redacted"]) == (None, True), key
    # an unset secret placeholder is deployed as written: no secret in it
    assert (props["oauth.key"]["value"], props["oauth.key"]["redacted"]) == (
        "$[secret:UNSET_KEY]",
        False,
    )
    assert (props["hosts"]["value"], props["hosts"]["redacted"]) == (["a.example", None], True)
    legacy = one(cli(["com.acme.Legacy", "--format", "json"], secrets), "author", "prod")
    assert legacy["properties"]["password"]["value"] is None
    assert legacy["properties"]["n"]["value"] == 1


def test_secrets_never_appear_in_text(cli, secrets: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["com.day.cq.mailer.DefaultMailService"], secrets)
    assert r.code == 0, r.err
    _no_plant(r)
    assert "  smtp.password (String) = <redacted 21 chars>" in r.out
    assert "  smtp.user (String) = <redacted 19 chars>" in r.out
    assert "  api.token (String) = <redacted 17 chars>" in r.out
    assert '  hosts (String[]) = ["a.example", <redacted 19 chars>]' in r.out
    r = cli(["com.acme.Legacy"], secrets)
    _no_plant(r)
    assert "  password (String) = <redacted 14 chars>" in r.out


# -- unknown PIDs ------------------------------------------------------------------------------


def test_unknown_pid_is_exit_1_with_a_suggestion(cli, runmode_tree: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(["t.Layerd"], runmode_tree)
    assert (r.code, r.out) == (1, "")
    assert "no OSGi configuration for t.Layerd" in r.err and "t.Layered" in r.err
    r = cli(["t.Factory", "--format", "json"], runmode_tree)
    assert (r.code, r.out) == (1, "")
    assert "factory PID" in r.err and "t.Factory~one" in r.err


def test_dash_factory_name_is_found(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "aemlint.toml", "")
    write(tmp_path, f"{APPS}/config/t.Dash-inst.cfg.json", '{"a": "b"}\n')
    got = blocks(cli(["t.Dash-inst", "--format", "json", "--env", "dev"], tmp_path))
    assert {(b["pid"], b["factory_pid"], b["name"]) for b in got} == {
        ("t.Dash~inst", "t.Dash", "inst")
    }


def test_help_documents_the_defaults(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["effective", "--help"])
    out = capsys.readouterr().out
    assert "no --service: author, publish and preview" in out
    assert "Exit: 0 shown; 1 no configuration file" in out
