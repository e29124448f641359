"""Incremental lints (the language server): config-scope results kept between lints.

A config-scope rule's findings for one configuration are a function of that configuration, the
rule's options, the secret namer and whatever the rule reads of the project. The configuration
is compared by identity (the parse cache hands the same :class:`OsgiConfig` back for an unchanged
file); options and namer belong to the session. What a rule reads of the project is *recorded*:
its ``ctx.project`` is a :class:`ProjectReads`, which answers like the project and notes each
query (the text of a path, the configuration at a path, the configurations of a key, the list
of configurations). A kept result is re-used while nothing it read has changed; a rule that
reads anything else (environments, :meth:`Project.memo`, iterating the texts…) depends on the
whole project and is run again on every lint. No rule declares anything: plugins are tracked
the same way. A rule that raised is also run again every time.

Each lint compares the new project with the last one (texts and configurations, by identity
then equality), turns the differences into the set of changed reads, and re-runs only the
(rule, configuration) pairs that read one of them, plus the configurations that are new or
changed. Nothing here is written anywhere; entries of configurations that disappear go with
them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.registry import Rule, RuleContext
from aemlint.types import Finding

if TYPE_CHECKING:
    from aemlint.engine import RuleRun
    from aemlint.model.secrets import SecretNamer

#: A recorded read: ("text", path), ("config", path), ("key", key) or ("configs", None).
Read = tuple[str, object]
_CONFIGS: Read = ("configs", None)


class _TextReads(Mapping[PurePosixPath, str]):
    """``project.texts`` as a rule sees it: a look-up is one recorded read; iterating (or
    counting) depends on every text, so on the whole project."""

    __slots__ = ("_owner", "_texts")

    def __init__(self, owner: ProjectReads, texts: Mapping[PurePosixPath, str]) -> None:
        self._owner = owner
        self._texts = texts

    def _read(self, key: object) -> None:
        if key != self._owner.own:  # implied by the configuration's identity
            self._owner.reads.add(("text", key))

    def __getitem__(self, key: PurePosixPath) -> str:
        self._read(key)
        return self._texts[key]

    def get(self, key: PurePosixPath, default: Any = None) -> Any:
        self._read(key)
        return self._texts.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._read(key)
        return key in self._texts

    def __iter__(self) -> Iterator[PurePosixPath]:
        self._owner.whole = True
        return iter(self._texts)

    def __len__(self) -> int:
        self._owner.whole = True
        return len(self._texts)


class ProjectReads:
    """A project that records what a config-scope rule reads of it (see the module's doc; the
    command line's :class:`~aemlint.engine.EarlyCheck` uses it too, to keep only the checks
    that read nothing of a model still being built).

    It passes ``isinstance(x, Project)``; any attribute without a recorded form is the real
    project's, and marks the check as depending on the whole project.
    """

    __slots__ = ("_project", "own", "reads", "whole")

    def __init__(self, project: Project, own: PurePosixPath) -> None:
        self._project = project
        self.own = own
        self.reads: set[Read] = set()
        self.whole = False

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # what isinstance() asks
        return Project

    def __repr__(self) -> str:
        return repr(self._project)

    @property
    def root(self) -> Path:
        return self._project.root  # the session's: constant

    @property
    def networking_kind(self) -> str | None:
        return self._project.networking_kind  # the session's configuration: constant

    @property
    def texts(self) -> Mapping[PurePosixPath, str]:
        return _TextReads(self, self._project.texts)

    @property
    def configs(self) -> tuple[OsgiConfig, ...]:
        self.reads.add(_CONFIGS)
        return self._project.configs

    def config_at(self, path: PurePosixPath) -> OsgiConfig | None:
        if path != self.own:
            self.reads.add(("config", path))
        return self._project.config_at(path)

    def configs_for(self, key: str) -> tuple[OsgiConfig, ...]:
        self.reads.add(("key", key))
        return self._project.configs_for(key)

    def __getattr__(self, name: str) -> Any:
        self.whole = True
        return getattr(self._project, name)


def changed_reads(old: Project, new: Project) -> tuple[set[Read], set[PurePosixPath]]:
    """The reads whose answer differs between two projects, and the paths whose configuration
    object differs (added, removed or changed)."""
    out: set[Read] = set()
    old_texts, new_texts = old.texts, new.texts
    for path, text in new_texts.items():
        before = old_texts.get(path)
        if before is not text and before != text:
            out.add(("text", path))
    if len(old_texts) != len(new_texts) or out:
        out.update(("text", path) for path in old_texts if path not in new_texts)
    configs: set[PurePosixPath] = set()
    old_at, new_at = old.config_map, new.config_map
    for path, cfg in new_at.items():
        before_cfg = old_at.get(path)
        if before_cfg is not cfg:
            configs.add(path)
            out.add(("key", cfg.key))
            if before_cfg is not None:
                out.add(("key", before_cfg.key))
    if len(old_at) != len(new_at) or configs:
        for path, cfg in old_at.items():
            if path not in new_at:
                configs.add(path)
                out.add(("key", cfg.key))
    out.update(("config", path) for path in configs)
    if configs or any(a is not b for a, b in zip(old.configs, new.configs, strict=True)):
        out.add(_CONFIGS)  # (the same objects: the order may still differ)
    return out, configs


def same_inputs(old: Project, new: Project) -> bool:
    """The two projects were built from the same inputs: the same configuration objects (so
    the same places and parses) and the same texts, problems and Cloud Manager model."""
    if old is new:
        return True
    if len(old.configs) != len(new.configs) or any(
        a is not b for a, b in zip(old.configs, new.configs, strict=True)
    ):
        return False
    old_texts, new_texts = old.texts, new.texts
    if len(old_texts) != len(new_texts):
        return False
    for path, text in new_texts.items():
        before = old_texts.get(path)
        if before is not text and before != text:
            return False
    return (
        old.root == new.root
        and old.networking_kind == new.networking_kind
        and old.problems == new.problems
        and old.notes == new.notes
        and old.stray_configs == new.stray_configs
        and old.networking == new.networking
        and old.variable_settings == new.variable_settings
        and old.environments == new.environments
    )


@dataclass
class _RunState:
    """What one config-scope rule run found, per configuration path."""

    run: RuleRun
    found: dict[PurePosixPath, list[Finding]] = field(default_factory=dict)
    reads: dict[PurePosixPath, frozenset[Read]] = field(default_factory=dict)
    volatile: set[PurePosixPath] = field(default_factory=set)


class IncrementalRules:
    """Config-scope results of one session's lints, kept from one lint to the next (one per
    project root in the language server). Not thread-safe; a lint that raises resets it."""

    def __init__(self) -> None:
        self._project: Project | None = None
        #: The last lint's rule runs and findings (all scopes), replayed for the same project.
        self._last: tuple[tuple[object, ...], list[Finding]] | None = None
        self._runs: dict[str, _RunState] = {}
        self._index: dict[Read, set[tuple[str, PurePosixPath]]] = {}
        # per lint
        self._dirty: dict[str, set[PurePosixPath]] = {}
        self._changed: set[PurePosixPath] = set()
        self._positions: dict[PurePosixPath, int] | None = None

    def replay(
        self, project: Project, runs: Sequence[RuleRun], namer: SecretNamer, report: bool
    ) -> list[Finding] | None:
        """The last lint's findings when ``project`` holds the same inputs as the last one
        (rules are functions of the model, and the model of the inputs), else None."""
        if (
            self._last is None
            or self._project is None
            or self._last[0]
            != (
                list(runs),
                namer,
                report,
            )
        ):
            return None
        return list(self._last[1]) if same_inputs(self._project, project) else None

    def reset(self) -> None:
        """Forget everything: the next lint runs every rule on every configuration."""
        self._project = None
        self._last = None
        self._runs.clear()
        self._index.clear()
        self._dirty = {}
        self._changed = set()
        self._positions = None

    def begin(self, project: Project, runs: Sequence[RuleRun]) -> None:
        """Start a lint of ``project``: what changed since the last one."""
        codes = {r.rule.code for r in runs if r.rule.scope == "config"}
        for code in [c for c in self._runs if c not in codes]:
            self._forget(code)
        self._positions = None
        self._dirty = {}
        self._changed = set()
        if self._project is None:
            self._runs.clear()
            self._index.clear()
            return
        reads, self._changed = changed_reads(self._project, project)
        for read in reads:
            for code, path in self._index.get(read, ()):
                self._dirty.setdefault(code, set()).add(path)

    def commit(
        self,
        project: Project,
        runs: Sequence[RuleRun],
        namer: SecretNamer,
        report: bool,
        findings: list[Finding],
    ) -> None:
        """The lint of ``project`` is complete: the next one compares with it."""
        self._project = project
        self._last = ((list(runs), namer, report), list(findings))
        self._dirty = {}
        self._changed = set()
        self._positions = None

    def _forget(self, code: str) -> None:
        state = self._runs.pop(code)
        for path in list(state.reads):
            self._unindex(code, path, state)

    def _unindex(self, code: str, path: PurePosixPath, state: _RunState) -> None:
        for read in state.reads.pop(path, ()):
            entries = self._index.get(read)
            if entries is not None:
                entries.discard((code, path))
                if not entries:
                    del self._index[read]

    def _drop(self, code: str, path: PurePosixPath, state: _RunState) -> None:
        self._unindex(code, path, state)
        state.found.pop(path, None)
        state.volatile.discard(path)

    def config_run(
        self,
        run: RuleRun,
        project: Project,
        namer: SecretNamer,
        report_internal_errors: bool,
        configs: Callable[[], Iterable[OsgiConfig]],
    ) -> list[Finding]:
        """The findings of a config-scope ``run`` over ``configs()`` (the configurations it
        runs on, in the engine's order), re-using what is still valid."""
        rule = run.rule
        code = rule.code
        state = self._runs.get(code)
        full = self._project is None or state is None or state.run != run
        if state is not None and full:
            self._forget(code)
        if state is None or full:
            state = self._runs[code] = _RunState(run)
        applies = _applies(rule)
        if full or applies is None:
            for path in list(state.found) + list(state.reads) + list(state.volatile):
                self._drop(code, path, state)
            ran = list(configs())
            for cfg in ran:
                if rule.readable_only and not cfg.parsed.readable:
                    continue
                self._check(state, run, cfg, project, namer, report_internal_errors)
            out: list[Finding] = []
            for cfg in ran:
                out.extend(state.found.get(cfg.path, ()))
            return out
        todo = state.volatile | self._dirty.get(code, set()) | self._changed
        for path in todo:
            now = project.config_at(path)
            if now is None or not applies(now):
                self._drop(code, path, state)
            else:
                self._check(state, run, now, project, namer, report_internal_errors)
        if not state.found:
            return []
        if len(state.found) == 1:
            return list(next(iter(state.found.values())))
        positions = self._positions
        if positions is None:
            positions = self._positions = {c.path: i for i, c in enumerate(project.configs)}
        if rule.pids and not _is_glob(rule):
            rank = {pid: i for i, pid in reversed(list(enumerate(rule.pids)))}

            def order(path: PurePosixPath) -> tuple[int, int]:
                cfg = project.config_at(path)
                assert cfg is not None
                return rank[cfg.pid], positions[path]

            paths = sorted(state.found, key=order)
        else:
            paths = sorted(state.found, key=positions.__getitem__)
        return [f for path in paths for f in state.found[path]]

    def _check(
        self,
        state: _RunState,
        run: RuleRun,
        cfg: OsgiConfig,
        project: Project,
        namer: SecretNamer,
        report_internal_errors: bool,
    ) -> None:
        from aemlint.engine import _internal_error, _stamp

        path = cfg.path
        view = ProjectReads(project, path)
        ctx = RuleContext(project=cast(Project, view), options=run.options, secrets=namer)
        try:
            found: list[Finding] = []
            for v in run.rule.check(cfg, ctx):
                if v.path != path:  # its context names the configuration there
                    view.reads.add(("config", v.path))
                found.append(_stamp(run, v, project))
            volatile = view.whole
        except Exception as exc:  # noqa: BLE001 - a failing rule becomes AEM000
            found = [_internal_error(run, path, exc)] if report_internal_errors else []
            volatile = True
        code = run.rule.code
        self._unindex(code, path, state)
        if volatile:
            state.volatile.add(path)
        else:
            state.volatile.discard(path)
            if view.reads:
                reads = state.reads[path] = frozenset(view.reads)
                for read in reads:
                    self._index.setdefault(read, set()).add((code, path))
        if found:
            state.found[path] = found
        else:
            state.found.pop(path, None)


def _is_glob(rule: Rule) -> bool:
    return any(ch in glob for glob in rule.pids for ch in "*?[")


def _applies(rule: Rule) -> Any:
    """Whether the engine runs ``rule`` on a configuration (as a function of it), or None when
    the engine's order cannot be kept sparsely (a PID listed twice runs the rule twice)."""
    pids = rule.pids
    readable_only = rule.readable_only
    if not pids:
        return lambda cfg: not readable_only or cfg.parsed.readable
    if _is_glob(rule):
        return lambda cfg: (
            (not readable_only or cfg.parsed.readable)
            and any(fnmatchcase(cfg.pid, g) for g in pids)
        )
    if len(set(pids)) != len(pids):
        return None
    wanted = frozenset(pids)
    return lambda cfg: cfg.pid in wanted and (not readable_only or cfg.parsed.readable)
