"""Hostile repositories through the real CLI: each handled quickly, with a finding, never a crash.

The parsers have their own unit tests for these inputs; here the whole pipeline (discovery,
reading, parsing, every rule, the report) meets them in a project, as a pull request from a fork
would deliver them. Time limits are generous: they catch hangs, not slowness.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from helpers import run_cli, write

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config/"
SECRET = "Hostile-Plant3d-Secret"


def _check(root: Path, *args: str) -> tuple[int, list[dict[str, object]], str, float]:
    started = time.perf_counter()
    result = run_cli(["check", "--output-format", "json", *args], root)
    elapsed = time.perf_counter() - started
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    return result.code, json.loads(result.out or "[]"), result.err, elapsed


def _codes(findings: list[dict[str, object]], filename: str) -> set[object]:
    return {f["code"] for f in findings if f["filename"] == filename}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "aemlint.toml").write_text("")
    return tmp_path


def test_xml_entity_expansion_and_external_entities(project: Path, tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']>\n<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" '
        'xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType="sling:OsgiConfig" '
        'v="&i;"/>\n'
    )
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text(SECRET)
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{outside}">]>\n'
        '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" '
        'xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType="sling:OsgiConfig" '
        'password="&x;"/>\n'
    )
    write(project, CONFIG + "com.acme.Bomb.xml", bomb)
    write(project, CONFIG + "com.acme.Xxe.xml", xxe)
    _, findings, err, elapsed = _check(project)
    assert elapsed < 20
    assert "CFG001" in _codes(findings, CONFIG + "com.acme.Bomb.xml")
    assert "CFG001" in _codes(findings, CONFIG + "com.acme.Xxe.xml")
    assert SECRET not in json.dumps(findings) + err


def test_yaml_custom_tags_are_refused(project: Path) -> None:
    write(
        project,
        "cloudmanager/advanced-networking.yaml",
        "portForwards: !!python/object/apply:os.system ['echo owned']\n",
    )
    _, findings, _, _ = _check(project)
    assert "CFG001" in _codes(findings, "cloudmanager/advanced-networking.yaml")


@pytest.mark.parametrize(
    ("rel", "opener"),
    [(CONFIG + "com.acme.Deep.cfg.json", '{"a":'), ("cloudmanager/deep.json", '{"portForwards":')],
)
def test_200000_deep_nesting(project: Path, rel: str, opener: str) -> None:
    write(project, rel, opener + "[" * 200_000 + "]" * 200_000 + "}")
    _, findings, _, elapsed = _check(project)
    assert elapsed < 30
    assert "CFG001" in _codes(findings, rel)


def test_file_over_10_mib_is_aem002_and_not_read_whole(project: Path) -> None:
    rel = CONFIG + "com.acme.Huge.cfg.json"
    path = project / rel
    path.parent.mkdir(parents=True)
    with open(path, "w") as handle:
        handle.write('{"a": "')
        handle.write("x" * (11 * 1024 * 1024))
        handle.write('"}')
    _, findings, _, elapsed = _check(project)
    assert elapsed < 20
    hits = [f for f in findings if f["filename"] == rel]
    assert [f["code"] for f in hits] == ["AEM002"]
    assert "10 MiB" in str(hits[0]["message"])


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [(b'{\n  "a": "b\x00"\n}\n', 2, 10), (b'{\n  "a": "caf\xe9"\n}\n', 2, 12)],
    ids=["nul", "latin1"],
)
def test_binary_and_invalid_utf8_are_aem002_at_the_byte(
    project: Path, data: bytes, row: int, column: int
) -> None:
    rel = CONFIG + "com.acme.Bytes.cfg.json"
    (project / rel).parent.mkdir(parents=True)
    (project / rel).write_bytes(data)
    _, findings, _, _ = _check(project)
    hits = [f for f in findings if f["filename"] == rel]
    assert [(f["code"], f["location"]) for f in hits] == [
        ("AEM002", {"row": row, "column": column})
    ]


def test_byte_order_marks_follow_the_platform_readers(project: Path) -> None:
    """Felix cm.json rejects a BOM (CFG001); the Felix .config reader glues it to the first key
    (CFG008: the property is misread); Java properties (.cfg, ISO-8859-1) read it as characters
    of the first key too."""
    json_rel = CONFIG + "com.acme.Bom.cfg.json"
    felix_rel = CONFIG + "com.acme.Bom.config"
    write(project, json_rel, '\ufeff{"a": "b"}\n')
    write(project, felix_rel, '\ufeffa="b"\n')
    _, findings, _, _ = _check(project)
    assert "CFG001" in _codes(findings, json_rel)
    assert "CFG001" not in _codes(findings, felix_rel)


def test_symlinks_are_not_followed_out_of_the_project(project: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    write(outside, "com.acme.Out.cfg.json", json.dumps({"password": SECRET}))
    folder = project / CONFIG
    folder.mkdir(parents=True)
    (folder / "com.acme.Out.cfg.json").symlink_to(outside / "com.acme.Out.cfg.json")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    write(project, CONFIG + "com.acme.Real.cfg.json", json.dumps({"password": "in-tree-literal"}))
    _, findings, err, elapsed = _check(project, "-v")
    assert elapsed < 20
    assert {f["filename"] for f in findings} == {CONFIG + "com.acme.Real.cfg.json"}
    assert SECRET not in json.dumps(findings) + err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_is_aem002(project: Path) -> None:
    rel = CONFIG + "com.acme.Locked.cfg.json"
    path = write(project, rel, '{"a": "b"}')
    path.chmod(0)
    try:
        _, findings, _, _ = _check(project)
    finally:
        path.chmod(0o644)
    assert _codes(findings, rel) == {"AEM002"}


def test_very_long_lines(project: Path) -> None:
    rel = CONFIG + "com.acme.Long.cfg.json"
    values = ",".join(f'"v{i}"' for i in range(200_000))
    write(project, rel, '{"list": [' + values + '], "smtp.password": "x"}')
    _, findings, _, elapsed = _check(project)
    assert elapsed < 30
    hits = [f for f in findings if f["filename"] == rel and f["code"] == "SEC001"]
    assert hits and hits[0]["location"]["row"] == 1  # type: ignore[index]


def test_a_100000_file_tree(project: Path) -> None:
    for d in range(100):
        folder = project / "ui.frontend" / f"d{d}"
        folder.mkdir(parents=True)
        for f in range(1000):
            (folder / f"f{f}.js").touch()
    write(project, CONFIG + "com.acme.Found.cfg.json", json.dumps({"password": "lit"}))
    _, findings, _, elapsed = _check(project)
    assert elapsed < 60
    assert _codes(findings, CONFIG + "com.acme.Found.cfg.json") == {"SEC001"}


def test_jsonfile_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-vars.json"
    outside.write_text(json.dumps([{"name": "AEM_PROXY_HOST", "value": SECRET, "type": "string"}]))
    write(
        project,
        "scripts/set.sh",
        f"aio cloudmanager:environment:set-variables 1 --jsonFile ../../{outside.name}\n",
    )
    _, findings, err, _ = _check(project)
    hits = [f for f in findings if f["filename"] == "scripts/set.sh"]
    assert [f["code"] for f in hits] == ["AEM002"]
    assert "leaves the project root" in str(hits[0]["message"])
    assert SECRET not in json.dumps(findings) + err


def test_unterminated_quote_in_a_script(project: Path) -> None:
    write(
        project,
        "scripts/set.sh",
        'aio cloudmanager:environment:set-variables 1 --secret "A_PASSWORD lit\necho done\n',
    )
    _, findings, _, _ = _check(project)
    assert "CFG001" in _codes(findings, "scripts/set.sh")
