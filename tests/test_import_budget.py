"""The on-save path stays light: no heavy import on a warm ``--stdin-filename`` run (SPEC §7).

A generated project (``bench/generate.py``: ``.cfg.json``, ``.config`` and XML configurations,
run-mode folders, an advanced-networking document, a variables file and a script) is checked
twice through ``--stdin-filename`` in a fresh interpreter sharing one cache folder; after the
second (warm) run none of the modules the budget forbids may be loaded: rich (terminal output),
jsonschema (configuration validation, NET006, rule packs — cached), pygls (the language server)
and ``importlib.metadata`` (the entry-point table — cached).

The second run is a result-cache hit (SPEC §7, :mod:`aemlint.result_cache`): it replays the
report, so it imports none of aemlint's rules, model, parsers, discovery, engine or reporters,
nor pluggy, a YAML or TOML parser, ``dataclasses`` (with ``inspect``, ≈ 25 ms: twice Python's
start-up) or ``typing`` — unless the interpreter loaded one before aemlint ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

FORBIDDEN = ("rich", "jsonschema", "pygls", "importlib.metadata")
#: Not imported by a result-cache hit either.
FORBIDDEN_ON_A_HIT = (
    "aemlint.model",
    "aemlint.rules",
    "aemlint.parsing",
    "aemlint.packs",
    "aemlint.discovery",
    "aemlint.engine",
    "aemlint.session",
    "aemlint.settings",
    "aemlint.registry",
    "aemlint.reporters",
    "aemlint.types",
    "aemlint.sources",
    "pluggy",
    "yaml",
    "ruamel",
    "defusedxml",
    "tomllib",
    "dataclasses",
    "inspect",
    "typing",
    "hashlib",
)

PROBE = """
import json, sys
from aemlint.cli import main
sys.stdin = open(sys.argv[2], encoding="utf-8")
code = main(["check", "--output-format", "concise", "--stdin-filename", sys.argv[1]])
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _on_save(project: Path, rel: str, cache: Path) -> tuple[int, set[str]]:
    env = {**os.environ, "AEMLINT_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, rel, str(project / rel)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    last = proc.stderr.strip().splitlines()[-1]
    data = json.loads(last)
    return data["code"], set(data["modules"])


def test_warm_on_save_run_imports_nothing_heavy(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    project = tmp_path / "project"
    generate(project, 120)
    rel = next(
        str(p.relative_to(project))
        for p in sorted(project.rglob("*.cfg.json"))
        if "Service" in p.name
    )
    cache = tmp_path / "cache"
    first, _ = _on_save(project, rel, cache)
    second, modules = _on_save(project, rel, cache)
    assert first == second and second in (0, 1)
    assert "aemlint.result_cache" in modules
    preloaded = _preloaded(project)
    loaded = [
        m
        for m in FORBIDDEN + FORBIDDEN_ON_A_HIT
        if m not in preloaded and (m in modules or any(x.startswith(m + ".") for x in modules))
    ]
    assert loaded == [], f"imported on the warm on-save path: {loaded}"


def _preloaded(cwd: Path) -> set[str]:
    """What the interpreter loads before any aemlint code (site, ``.pth`` hooks)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import json, sys; print(json.dumps(sorted(sys.modules)))"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(proc.stdout))
