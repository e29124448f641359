"""The engine with real plugins: AEM000 for a rule that raises, plugin load failures, duplicates."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aemlint.plugins import EntryPointSpec, load_rules
from aemlint.registry import DuplicateRuleError, RuleSet

from helpers import MAIL, run_main, write

PLUGIN = '''
from aemlint.plugins import hookimpl
from aemlint.registry import rule


@rule(code="{code}", name="{name}", severity="warning", scope="config")
def exploding(cfg, ctx):
    """Explodes."""
    raise ValueError("secret-ish message Plant3d")
    yield


@hookimpl
def aemlint_rules():
    return [exploding]
'''


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    for name in [m for m in sys.modules if m.startswith("aemlint_test_plugin")]:
        del sys.modules[name]


def _plugin(
    folder: Path, module: str, code: str = "XTR001", name: str = "exploding"
) -> EntryPointSpec:
    (folder / f"{module}.py").write_text(textwrap.dedent(PLUGIN.format(code=code, name=name)))
    return EntryPointSpec("x", module, f"{module}-dist")


def test_a_rule_that_raises_becomes_aem000_and_the_run_goes_on(
    plugin_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _plugin(plugin_dir, "aemlint_test_plugin_a")
    monkeypatch.setattr("aemlint.plugins.discover_entry_points", lambda: [spec])
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, '{"smtp.host": "smtp.example.com"}')
    r = run_main(["check", "--no-cache", "--output-format", "concise"], root, capsys, monkeypatch)
    assert r.code == 1
    assert "AEM000 [error] rule XTR001 (exploding) raised ValueError" in r.out
    assert "aemlint_test_plugin_a-dist" in r.out
    assert "MAIL001" in r.out  # the other rules still ran
    assert "Plant3d" not in r.out
    r = run_main(
        ["check", "--no-cache", "--ignore", "AEM000", "--output-format", "concise"],
        root,
        capsys,
        monkeypatch,
    )
    assert "AEM000" not in r.out


def test_a_plugin_that_fails_to_load_is_named_and_skipped(plugin_dir: Path) -> None:
    (plugin_dir / "aemlint_test_plugin_bad.py").write_text("raise ImportError('nope')\n")
    good = _plugin(plugin_dir, "aemlint_test_plugin_good", code="XTR002", name="good")
    loaded = load_rules([EntryPointSpec("bad", "aemlint_test_plugin_bad", "bad-dist"), good])
    assert any("'bad-dist'" in w and "ImportError" in w for w in loaded.warnings)
    assert "XTR002" in {r.code for r in loaded.rules}


def test_duplicate_codes_name_both_distributions(plugin_dir: Path) -> None:
    clash = _plugin(plugin_dir, "aemlint_test_plugin_clash", code="SEC001", name="other-name")
    loaded = load_rules([clash])
    with pytest.raises(DuplicateRuleError) as exc:
        RuleSet(tuple(loaded.rules))
    assert "aemlint" in str(exc.value) and "aemlint_test_plugin_clash-dist" in str(exc.value)


def test_duplicate_is_exit_2_on_the_cli(
    plugin_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _plugin(plugin_dir, "aemlint_test_plugin_dup", code="XTR009", name="hardcoded-secret")
    monkeypatch.setattr("aemlint.plugins.discover_entry_points", lambda: [spec])
    r = run_main(["check", "--no-cache"], tmp_path, capsys, monkeypatch)
    assert r.code == 2
    assert "hardcoded-secret" in r.err and "aemlint_test_plugin_dup-dist" in r.err


def test_an_installed_distribution_s_entry_point_is_discovered(
    plugin_dir: Path, tmp_path: Path
) -> None:
    """A real ``*.dist-info`` on the path: its ``[aemlint]`` entry point is found and named after
    the METADATA ``Name``; a distribution without the group (here a decoy whose METADATA would
    not parse as a name) contributes nothing."""

    _plugin(plugin_dir, "aemlint_test_plugin_d", code="XTR004", name="installed-rule")
    info = plugin_dir / "Acme_Rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[console_scripts]\nacme = acme:main\n\n[aemlint]\nacme = aemlint_test_plugin_d\n"
    )
    decoy = plugin_dir / "decoy-2.0.dist-info"
    decoy.mkdir()
    (decoy / "METADATA").write_text("")
    (decoy / "entry_points.txt").write_text("[console_scripts]\ndecoy = decoy:main\n")
    probe = (
        "from aemlint.plugins import discover_entry_points, load_rules\n"
        "specs = discover_entry_points()\n"
        "print([(s.name, s.value, s.dist) for s in specs])\n"
        "print([(r.code, r.origin) for r in load_rules(specs).rules if r.code == 'XTR004'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(plugin_dir)}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "[('acme', 'aemlint_test_plugin_d', 'acme-rules')]",
        "[('XTR004', 'acme-rules')]",
    ]
