"""Run the selected rules over the project and stamp what they yield into findings.

The engine owns codes, names and severities (a rule never sets its own), turns a rule that raises
into AEM000 for that file while the run goes on, applies ``per-file-ignores`` and inline
suppressions (reporting the unused ones as AEM001), and decides which findings a PATH shows.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import partial
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, cast

from aemlint.model.gc_pause import gc_paused
from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.secrets import SecretNamer
from aemlint.registry import Rule, RuleContext
from aemlint.settings import Settings
from aemlint.suppressions import (
    PerFileIgnores,
    Suppression,
    find_suppressions,
    selector_matches,
    unused_violations,
)
from aemlint.types import SEVERITY_RANK, Context, Finding, Severity, Suppressed, Violation

if TYPE_CHECKING:
    from aemlint.forked import Forked
    from aemlint.incremental import IncrementalRules

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


def _stamp(run: RuleRun, v: Violation, project: Project) -> Finding:
    return Finding(
        code=run.rule.code,
        name=run.rule.name,
        severity=run.severity,
        message=v.message,
        path=v.path,
        span=v.span,
        related=v.related,
        fix=v.fix,
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


def _configs_of(
    rule: Rule, project: Project, by_pid: Callable[[], dict[str, list[OsgiConfig]]]
) -> Iterable[OsgiConfig]:
    return _configs_for_rule(rule, project, by_pid())


def run_rules(
    project: Project,
    runs: Sequence[RuleRun],
    namer: SecretNamer,
    report_internal_errors: bool = True,
    incremental: IncrementalRules | None = None,
) -> list[Finding]:
    """Every finding of the given rule runs, sorted by path, line, column, code.

    With ``incremental`` (the language server), config-scope results of the previous lint are
    re-used where nothing they read has changed (see :mod:`aemlint.incremental`): the same
    findings as without. A one-shot run of a large project can check in two processes while
    the model is built (:class:`EarlyCheck`): the same findings as without.
    """
    with gc_paused():  # rules make next to no cyclic garbage; see aemlint.model.gc_pause
        if incremental is None:
            return _run_rules(project, runs, namer, report_internal_errors, None)
        replayed = incremental.replay(project, runs, namer, report_internal_errors)
        if replayed is not None:
            return replayed
        incremental.begin(project, runs)
        try:
            found = _run_rules(project, runs, namer, report_internal_errors, incremental)
        except BaseException:
            incremental.reset()
            raise
        incremental.commit(project, runs, namer, report_internal_errors, found)
        return found


#: From this many configurations on, a command line run checks in two processes (below, the
#: fork and the findings' trip back cost more than the second CPU saves).
PARALLEL_MIN_CONFIGS = 1000
#: The share of the configurations (the first built) that the forked child checks with the
#: config-scope rules while this process builds the rest, checks it and runs the project-scope
#: rules (measured on the bench trees; see :class:`EarlyCheck`).
CHILD_SHARE = 0.8

#: What the child sends back: its findings, and per rule code the positions (in the model's
#: configurations) of the checks it could not keep.
_ChildResult = tuple[list[Finding], dict[str, list[int]]]


class EarlyCheck:
    """A one-shot check in two processes, started while the model is still being built.

    When :data:`CHILD_SHARE` of the configurations are built, a forked child (:mod:`aemlint.forked`:
    Linux, a spare CPU, no other thread) checks them with the config-scope rules while this
    process builds the rest of the model, checks the rest and runs the project-scope rules.
    The child's model holds only the configurations built so far, so it keeps a result only
    where the rule read nothing of the project — recorded as the language server records it
    (:class:`~aemlint.incremental.ProjectReads`): no declaration, plugins included — and did not
    raise. Every other (rule, configuration) check is done again here on the whole model, and
    if the child fails in any way this process checks its share itself: the findings are the
    same as a sequential run's. Only findings and positions travel back, never the model.
    """

    def __init__(
        self, runs: Sequence[RuleRun], namer: SecretNamer, report_internal_errors: bool
    ) -> None:
        self._runs = runs
        self._namer = namer
        self._report = report_internal_errors
        self._job: Forked[_ChildResult] | None = None
        self._cut = 0

    def midway(
        self, configs: int
    ) -> tuple[int, Callable[[int, Callable[[], Project]], None]] | None:
        """For a build of ``configs`` configurations: after how many the builder calls
        :meth:`start`, or None for a sequential check."""
        from aemlint.forked import spare_cpus

        if configs < PARALLEL_MIN_CONFIGS or not any(r.rule.scope == "config" for r in self._runs):
            return None
        if spare_cpus() < 1:  # (Windows, macOS, one CPU: checked again when forking)
            return None
        return max(1, int(configs * CHILD_SHARE)), self.start

    def start(self, count: int, built_so_far: Callable[[], Project]) -> None:
        """Fork the child over the ``count`` configurations built so far (``built_so_far``
        makes their model: the child calls it, so this process does not wait for it)."""
        from aemlint.forked import Forked

        runs, namer = self._runs, self._namer
        self._job = Forked.start(lambda: _check_in_child(built_so_far(), runs, namer))
        self._cut = count

    def finish(self, project: Project) -> list[Finding]:
        """Every finding of the runs over the whole ``project``, sorted as :func:`run_rules`'s."""
        with gc_paused():
            if self._job is None:
                return _run_rules(project, self._runs, self._namer, self._report, None)
            theirs = frozenset(id(c) for c in project.configs[: self._cut])
            findings = _run_rules(
                project,
                self._runs,
                self._namer,
                self._report,
                None,
                lambda c: id(c) not in theirs,
                project_rules=True,
            )
            answer = self._job.result()
            if answer is None:  # the child failed: its share is checked here
                findings += _run_rules(
                    project, self._runs, self._namer, self._report, None, lambda c: id(c) in theirs
                )
            else:
                kept, redo = answer
                findings += kept
                for run in self._runs:
                    positions = redo.get(run.rule.code)
                    if positions and run.rule.scope == "config":
                        ctx = RuleContext(project=project, options=run.options, secrets=self._namer)
                        configs = [project.configs[i] for i in positions]
                        _check_configs(run, configs, project, ctx, self._report, findings)
            findings.sort(key=Finding.sort_key)
            return findings


def _check_in_child(partial: Project, runs: Sequence[RuleRun], namer: SecretNamer) -> _ChildResult:
    """The forked child's work (see :class:`EarlyCheck`): the config-scope rules over
    ``partial``'s configurations, keeping each check that read nothing of the project."""
    from aemlint.incremental import ProjectReads

    position = {id(c): i for i, c in enumerate(partial.configs)}
    by_pid: dict[str, list[OsgiConfig]] = {}
    for cfg in partial.configs:
        by_pid.setdefault(cfg.pid, []).append(cfg)
    kept: list[Finding] = []
    redo: dict[str, list[int]] = {}
    for run in runs:
        rule = run.rule
        if rule.scope != "config":
            continue
        view = ProjectReads(partial, PurePosixPath("."))
        ctx = RuleContext(project=cast(Project, view), options=run.options, secrets=namer)
        for cfg in _configs_for_rule(rule, partial, by_pid):
            if rule.readable_only and not cfg.parsed.readable:
                continue
            view.own = cfg.path
            view.reads.clear()
            view.whole = False
            found: list[Finding] = []
            try:
                for v in rule.check(cfg, ctx):
                    if v.path != cfg.path:  # its context names another configuration
                        view.whole = True
                    found.append(_stamp(run, v, partial))
            except Exception:  # noqa: BLE001 - checked again on the whole model, reported there
                view.whole = True
            if view.whole or view.reads:
                redo.setdefault(rule.code, []).append(position[id(cfg)])
            else:
                kept.extend(found)
    return kept, redo


def _check_configs(
    run: RuleRun,
    configs: Iterable[OsgiConfig],
    project: Project,
    ctx: RuleContext,
    report_internal_errors: bool,
    findings: list[Finding],
) -> None:
    """A config-scope ``run`` over ``configs``: its findings appended to ``findings``."""
    for cfg in configs:
        if run.rule.readable_only and not cfg.parsed.readable:
            continue
        try:
            found = [_stamp(run, v, project) for v in run.rule.check(cfg, ctx)]
        except Exception as exc:  # noqa: BLE001 - a failing rule becomes AEM000
            if report_internal_errors:
                findings.append(_internal_error(run, cfg.path, exc))
            continue
        findings.extend(found)


def _run_rules(
    project: Project,
    runs: Sequence[RuleRun],
    namer: SecretNamer,
    report_internal_errors: bool,
    incremental: IncrementalRules | None,
    share: Callable[[OsgiConfig], bool] | None = None,
    *,
    project_rules: bool | None = None,
) -> list[Finding]:
    """The findings of ``runs``; with ``share``, config-scope rules check only the
    configurations it accepts, and project-scope rules run only with ``project_rules``
    (by default: when there is no ``share``)."""
    if project_rules is None:
        project_rules = share is None
    by_pid: dict[str, list[OsgiConfig]] | None = None

    def pid_table() -> dict[str, list[OsgiConfig]]:
        nonlocal by_pid
        if by_pid is None:
            by_pid = {}
            for cfg in project.configs:
                by_pid.setdefault(cfg.pid, []).append(cfg)
        return by_pid

    findings: list[Finding] = []
    for run in runs:
        if run.rule.scope == "config" and incremental is not None:
            findings.extend(
                incremental.config_run(
                    run,
                    project,
                    namer,
                    report_internal_errors,
                    partial(_configs_of, run.rule, project, pid_table),
                )
            )
            continue
        if run.rule.scope != "config" and not project_rules:
            continue
        ctx = RuleContext(project=project, options=run.options, secrets=namer)
        if run.rule.scope == "config":
            configs = _configs_for_rule(run.rule, project, pid_table())
            if share is not None:
                configs = [c for c in configs if share(c)]
            _check_configs(run, configs, project, ctx, report_internal_errors, findings)
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


@dataclass(slots=True)
class LintResult:
    """What a lint produced: the findings to report, and those an inline suppression hid."""

    findings: list[Finding]
    suppressed: list[Suppressed] = field(default_factory=list)


def _line(f: Finding) -> int:
    return f.span.line if f.span is not None else 1


def apply_ignores(
    findings: Sequence[Finding],
    project: Project,
    *,
    rules: Sequence[Rule],
    selected: Sequence[Rule],
    per_file: PerFileIgnores | None = None,
    inline: bool = True,
    unused: RuleRun | None = None,
) -> LintResult:
    """``per-file-ignores``, then inline suppressions; AEM001 (``unused``'s run) for the
    suppressions that hid nothing among rules that ran on their file.

    ``rules`` is the whole rule set (to tell an unknown selector), ``selected`` what ran.
    """
    kept = [f for f in findings if per_file is None or not per_file.ignores(f.path, f.code, f.name)]
    if not inline:
        return LintResult(kept)
    found = find_suppressions(project)
    if not found:
        return LintResult(kept)
    visible: list[Finding] = []
    hidden: list[Suppressed] = []
    for f in kept:
        reason = _suppressed_by(f, found)
        if reason is None:
            visible.append(f)
        else:
            hidden.append(Suppressed(f, reason))
    if unused is not None:

        def known(sel: str) -> bool:
            return any(selector_matches(sel, r.code, r.name) for r in rules)

        def active(sel: str, path: PurePosixPath) -> bool:
            return any(
                selector_matches(sel, r.code, r.name)
                and (per_file is None or not per_file.ignores(path, r.code, r.name))
                for r in selected
                if r.code != unused.rule.code
            )

        for v in unused_violations(found, known, active):
            f = _stamp(unused, v, project)
            if per_file is not None and per_file.ignores(f.path, f.code, f.name):
                continue
            reason = _suppressed_by(f, found)
            if reason is None:
                visible.append(f)
            else:
                hidden.append(Suppressed(f, reason))
        visible.sort(key=Finding.sort_key)
    return LintResult(visible, hidden)


def _suppressed_by(f: Finding, found: dict[PurePosixPath, list[Suppression]]) -> str | None:
    """The reason of a suppression hiding ``f`` (a line one's before a file-wide one's), or
    None. Every suppression that covers ``f`` counts as used: none of them is reported unused."""
    line = _line(f)
    reasons: list[tuple[bool, str]] = []
    for s in found.get(f.path, ()):
        if s.malformed or not s.covers(line):
            continue
        index = s.match(f.code, f.name)
        if index is not None:
            s.used.add(index)
            reasons.append((s.file_wide, s.reason))
    return min(reasons, key=lambda r: r[0])[1] if reasons else None


def inside_targets(targets: Sequence[PurePosixPath]) -> Callable[[Finding], bool]:
    """With PATHs, a finding is shown when its location or a related location is under one."""

    def inside(path: PurePosixPath) -> bool:
        return any(t == PurePosixPath(".") or path == t or t in path.parents for t in targets)

    def test(f: Finding) -> bool:
        return not targets or inside(f.path) or any(inside(r.path) for r in f.related)

    return test


def shown(findings: Iterable[Finding], targets: Sequence[PurePosixPath]) -> list[Finding]:
    """With PATHs, a finding is shown when its location or a related location is under one."""
    if not targets:
        return list(findings)
    test = inside_targets(targets)
    return [f for f in findings if test(f)]


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
