"""Run the selected rules over the project and stamp what they yield into findings.

The engine owns codes, names and severities (a rule never sets its own), turns a rule that raises
into AEM000 for that file while the run goes on, and decides which findings a PATH shows.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.secrets import SecretNamer
from aemlint.registry import Rule, RuleContext
from aemlint.settings import Settings
from aemlint.types import SEVERITY_RANK, Context, Finding, Fix, Severity, Violation

INTERNAL_ERROR = ("AEM000", "internal-error")
REPORT_URL = "https://github.com/aemlint/aemlint/issues"


@dataclass(frozen=True, slots=True)
class RuleRun:
    rule: Rule
    severity: Severity
    options: dict[str, object]


def _context(project: Project, v: Violation) -> Context:
    cfg = project.config_at(v.path)
    if cfg is None:
        return Context(property=v.property, environments=v.environments, services=v.services)
    place = cfg.place
    return Context(
        pid=place.pid,
        factory_pid=place.factory_pid,
        name=place.name,
        property=v.property,
        run_modes=place.run_modes,
        environments=v.environments,
        services=v.services,
    )


def _applicable(fix: Fix | None, project: Project) -> Fix | None:
    """Fix edits are written in `.cfg.json` syntax; elsewhere they become hints (no content).

    A `.config` value needs `\\=` escapes, XML attributes entity escapes: writing JSON text
    there would break the file, so until a form has its own writer, its edits carry no content.
    """
    if fix is None or not fix.edits:
        return fix
    edits = []
    for edit in fix.edits:
        cfg = project.config_at(edit.path)
        if edit.content is not None and cfg is not None and cfg.place.form != "cfg.json":
            edit = replace(edit, content=None)
        edits.append(edit)
    return replace(fix, edits=tuple(edits))


def _stamp(run: RuleRun, v: Violation, project: Project) -> Finding:
    return Finding(
        code=run.rule.code,
        name=run.rule.name,
        severity=run.severity,
        message=v.message,
        path=v.path,
        span=v.span,
        related=v.related,
        fix=_applicable(v.fix, project),
        context=_context(project, v),
    )


def _internal_error(run: RuleRun, path: PurePosixPath, exc: Exception) -> Finding:
    # Only the exception's type and where it was raised: its message may quote a value.
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{PurePosixPath(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return Finding(
        code=INTERNAL_ERROR[0],
        name=INTERNAL_ERROR[1],
        severity="error",
        message=(
            f"rule {run.rule.code} ({run.rule.name}) raised {type(exc).__name__} at {where} on "
            f"this file; the run continued. This is a bug in {run.rule.origin}: please report "
            f"it{' at ' + REPORT_URL if run.rule.origin == 'aemlint' else ''}"
        ),
        path=path,
        span=None,
    )


def _configs_for_rule(
    rule: Rule, project: Project, by_pid: dict[str, list[OsgiConfig]]
) -> Iterable[OsgiConfig]:
    if not rule.pids:
        return project.configs
    if not any(ch in glob for glob in rule.pids for ch in "*?["):
        return [c for pid in rule.pids for c in by_pid.get(pid, ())]
    return [c for c in project.configs if any(fnmatchcase(c.pid, g) for g in rule.pids)]


def run_rules(
    project: Project,
    runs: Sequence[RuleRun],
    namer: SecretNamer,
    report_internal_errors: bool = True,
) -> list[Finding]:
    """Every finding of the given rule runs, sorted by path, line, column, code."""
    by_pid: dict[str, list[OsgiConfig]] = {}
    for cfg in project.configs:
        by_pid.setdefault(cfg.pid, []).append(cfg)
    findings: list[Finding] = []
    for run in runs:
        ctx = RuleContext(project=project, options=run.options, secrets=namer)
        if run.rule.scope == "config":
            for cfg in _configs_for_rule(run.rule, project, by_pid):
                if run.rule.readable_only and not cfg.parsed.readable:
                    continue
                try:
                    found = [_stamp(run, v, project) for v in run.rule.check(cfg, ctx)]
                except Exception as exc:  # noqa: BLE001 - a failing rule becomes AEM000
                    if report_internal_errors:
                        findings.append(_internal_error(run, cfg.path, exc))
                    continue
                findings.extend(found)
        else:
            try:
                found = [_stamp(run, v, project) for v in run.rule.check(project, ctx)]
            except Exception as exc:  # noqa: BLE001 - a failing rule becomes AEM000
                if report_internal_errors:
                    findings.append(_internal_error(run, PurePosixPath("."), exc))
                continue
            findings.extend(found)
    findings.sort(key=Finding.sort_key)
    return findings


def rule_runs(rules: Iterable[Rule], settings: Settings) -> list[RuleRun]:
    return [RuleRun(r, settings.severity_of(r), settings.rule_options(r)) for r in rules]


def shown(findings: Iterable[Finding], targets: Sequence[PurePosixPath]) -> list[Finding]:
    """With PATHs, a finding is shown when its location or a related location is under one."""
    if not targets:
        return list(findings)

    def inside(path: PurePosixPath) -> bool:
        return any(t == PurePosixPath(".") or path == t or t in path.parents for t in targets)

    return [f for f in findings if inside(f.path) or any(inside(r.path) for r in f.related)]


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
