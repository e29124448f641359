"""One lint session: a project root, its configuration, the rules and the selection.

The command line opens a session, lints once and exits; the language server keeps sessions
open (one per project root) and lints again on every change with a parse cache. Both go through
this module, so they always agree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from aemlint import plugins
from aemlint.cache import JsonCache, entry_points_key, user_cache_dir
from aemlint.discovery import DiscoveredFile, Discovery, DiscoveryOptions, WalkRecord, discover
from aemlint.engine import EarlyCheck, LintResult, RuleRun, apply_ignores, rule_runs, run_rules
from aemlint.errors import UsageError as UsageError  # re-exported: where callers look
from aemlint.model.project import Midway, OneShotCache, ParseCache, Project, build_project
from aemlint.model.secrets import SecretNamer
from aemlint.plugins import EntryPointSpec, load_rules
from aemlint.registry import DuplicateRuleError, Rule, RuleSet, Selection, unknown_selectors
from aemlint.settings import ConfigError, Settings, load_settings
from aemlint.sources import Unreadable, read_text_and_stat
from aemlint.suppressions import PerFileIgnores, selector_matches, validate_per_file_ignores
from aemlint.types import Finding

if TYPE_CHECKING:
    from aemlint.incremental import IncrementalRules
    from aemlint.result_cache import Recorder

UNUSED_SUPPRESSION = "AEM001"


def meta_cache(no_cache: bool) -> JsonCache:
    return JsonCache(None if no_cache else user_cache_dir() / "meta")


def load_ruleset(
    no_cache: bool, project_plugins: Sequence[tuple[str, object]] = ()
) -> tuple[RuleSet, list[str]]:
    """Built-in and plugin rules; the entry-point table is cached (importlib.metadata is slow).

    ``project_plugins`` are the project's own rule sources (its ``rule-packs``, see
    :func:`rule_pack_plugins`); a mistake in them is a UsageError (exit 2).
    """
    meta = meta_cache(no_cache)
    key = entry_points_key()
    cached = meta.get(key)
    if isinstance(cached, list):
        specs = [EntryPointSpec(*entry) for entry in cached]
    else:
        specs = plugins.discover_entry_points()
        meta.put(key, [[s.name, s.value, s.dist] for s in specs])
    try:
        loaded = load_rules(specs, project_plugins=project_plugins)
    except plugins.RuleSourceError as exc:
        raise UsageError(str(exc)) from None
    try:
        return RuleSet(tuple(loaded.rules)), loaded.warnings
    except DuplicateRuleError as exc:
        raise UsageError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class Session:
    root: Path
    config_file: Path | None
    ruleset: RuleSet
    settings: Settings
    selected: tuple[Rule, ...]
    namer: SecretNamer
    warnings: tuple[str, ...]
    per_file_ignores: PerFileIgnores | None = None
    no_cache: bool = False

    @classmethod
    def open(
        cls,
        root: Path,
        config_file: Path | None,
        *,
        no_cache: bool = False,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        environment: str | None = None,
    ) -> Session:
        """Load rules and configuration and resolve the selection; UsageError on a mistake."""
        ruleset, warnings = load_ruleset(no_cache, rule_pack_plugins(root, config_file, no_cache))
        try:
            settings = load_settings(root, config_file, ruleset.rules, meta_cache(no_cache))
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        if select is not None:
            chosen, extend = tuple(select), tuple(extend_select)
        else:
            chosen, extend = settings.select, settings.extend_select + tuple(extend_select)
        ignored = settings.ignore + tuple(ignore)
        bad = unknown_selectors((*chosen, *extend, *ignored), ruleset)
        if bad:
            raise UsageError(f"unknown rule selector(s): {', '.join(bad)} (see `aemlint rules`)")
        selection = Selection(select=chosen + extend, ignore=ignored)
        _check_environment_files(settings, root)
        names = [e.name for e in settings.environments] or ["default"]
        if environment is not None and environment not in names:
            raise UsageError(f"unknown environment {environment!r} (known: {', '.join(names)})")
        sec = ruleset.get("SEC001")
        options = settings.rule_options(sec) if sec else {}
        namer = SecretNamer.from_options(
            options.get("extra-secret-names", ()), options.get("extra-not-secret-names", ())
        )
        per_file = _per_file_ignores(settings, ruleset)
        return cls(
            root=root,
            config_file=config_file,
            ruleset=ruleset,
            settings=settings,
            selected=tuple(r for r in ruleset if selection.selects(r)),
            namer=namer,
            warnings=tuple(warnings),
            per_file_ignores=per_file,
            no_cache=no_cache,
        )

    def discover(self, record: WalkRecord | None = None) -> Discovery:
        return discover(
            self.root,
            DiscoveryOptions(
                exclude=self.settings.exclude,
                extend_exclude=self.settings.extend_exclude,
                respect_gitignore=self.settings.respect_gitignore,
            ),
            record,
        )

    def build(
        self,
        files: Sequence[DiscoveredFile],
        overrides: Mapping[PurePosixPath, str | Unreadable] | None = None,
        environment: str | None = None,
        cache: ParseCache | None = None,
        midway: Midway | None = None,
    ) -> Project:
        return build_project(
            self.root,
            files,
            self.namer,
            overrides,
            self.settings.environments,
            environment,
            cache,
            networking_kind=self.settings.networking,
            schema_cache=meta_cache(self.no_cache),
            midway=midway,
        )

    def build_and_check(
        self,
        files: Sequence[DiscoveredFile],
        overrides: Mapping[PurePosixPath, str | Unreadable] | None = None,
        environment: str | None = None,
        cache: ParseCache | None = None,
        *,
        inline_suppressions: bool = True,
        built: Callable[[], None] | None = None,
    ) -> tuple[Project, LintResult]:
        """:meth:`build` then :meth:`check`, for a one-shot run: a large project is checked in
        two processes, starting while it is built (:class:`~aemlint.engine.EarlyCheck`). The
        findings are the same as :meth:`check`'s. ``built`` is called when the model is."""
        early = EarlyCheck(self._runs(), self.namer, self._report_internal_errors())
        midway = early.midway(sum(1 for f in files if f.place is not None))
        project = self.build(files, overrides, environment, cache, midway)
        if built is not None:
            built()
        return project, self._filter(early.finish(project), project, inline_suppressions)

    def lint(self, project: Project, incremental: IncrementalRules | None = None) -> list[Finding]:
        """The findings to show: per-file ignores and inline suppressions applied."""
        return self.check(project, incremental=incremental).findings

    def check(
        self,
        project: Project,
        *,
        inline_suppressions: bool = True,
        incremental: IncrementalRules | None = None,
    ) -> LintResult:
        """Run the selected rules, then ``per-file-ignores`` and (unless disabled) inline
        suppressions, with AEM001 for the suppressions that hid nothing.

        ``incremental`` (the language server's, one per session) keeps config-scope results
        from one lint of this session to the next."""
        findings = run_rules(
            project,
            self._runs(),
            self.namer,
            report_internal_errors=self._report_internal_errors(),
            incremental=incremental,
        )
        return self._filter(findings, project, inline_suppressions)

    def _runs(self) -> list[RuleRun]:
        """The selected rules' runs but AEM001 (the suppressions' own check, see :meth:`_filter`)."""
        runs = rule_runs(self.selected, self.settings)
        return [r for r in runs if r.rule.code != UNUSED_SUPPRESSION]

    def _report_internal_errors(self) -> bool:
        return any(r.code == "AEM000" for r in self.selected)

    def _filter(self, findings: list[Finding], project: Project, inline: bool) -> LintResult:
        """``per-file-ignores`` and inline suppressions over the rules' ``findings``; AEM001
        for the suppressions that hid nothing, when selected."""
        aem001 = [r for r in self.selected if r.code == UNUSED_SUPPRESSION]
        unused = rule_runs(aem001, self.settings)
        return apply_ignores(
            findings,
            project,
            rules=self.ruleset.rules,
            selected=self.selected,
            per_file=self.per_file_ignores,
            inline=inline,
            unused=unused[0] if unused else None,
        )


def _per_file_ignores(settings: Settings, ruleset: RuleSet) -> PerFileIgnores | None:
    """The compiled ``per-file-ignores`` table (None when empty: pathspec is not imported)."""
    table = settings.per_file_ignores
    if not table:
        return None

    def known(sel: str) -> bool:
        return any(selector_matches(sel, r.code, r.name) for r in ruleset)

    problems = list(validate_per_file_ignores(table, known))
    compiled: PerFileIgnores | None = None
    try:
        compiled = PerFileIgnores(table)
    except ValueError as exc:
        problems.append(str(exc))
    if problems or compiled is None:
        raise UsageError(
            "invalid configuration:\n  "
            + "\n  ".join(f"{settings.config_file}: {p}" for p in problems)
        )
    return compiled


def _check_environment_files(settings: Settings, root: Path) -> None:
    """Files named by ``[[cloud-manager.environments]]`` must exist (a configuration error)."""
    for i, env in enumerate(settings.environments):
        named = [("advanced-networking", env.advanced_networking)] + [
            (f"variables[{j}]", v) for j, v in enumerate(env.variables)
        ]
        for key, rel in named:
            if rel is not None and not (root / rel).is_file():
                raise UsageError(
                    f"invalid configuration: {settings.config_file}: "
                    f"cloud-manager.environments[{i}].{key}: file not found: {rel}"
                )


def rule_pack_plugins(
    root: Path, config_file: Path | None, no_cache: bool = False
) -> list[tuple[str, object]]:
    """The ``rule-packs`` of the configuration as a plugin for :func:`load_ruleset`.

    Read before the configuration is validated, because validation needs every rule (a pack
    rule may have a ``[rules.<code>]`` table). Anything unreadable here is left for
    :func:`load_settings` to report. The packs' validity is cached on their files' bytes.
    """
    if config_file is None:
        return []
    from aemlint.settings import _read_toml

    try:
        raw = config_file.read_bytes()
        if b"rule-packs" not in raw:
            return []
        entries = _read_toml(config_file, raw).get("rule-packs")
    except (OSError, ConfigError):
        return []
    if not isinstance(entries, list) or not all(isinstance(e, str) and e for e in entries):
        return []
    from aemlint.packs import UserPacks

    return [("rule-packs", UserPacks(root, entries, cache=meta_cache(no_cache)))]


class RecordingParseCache(OneShotCache):
    """The one-shot parse cache of a command line run that tells the result cache's recorder
    every file the model reads: its stat, taken before reading, and the bytes that were
    linted."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def read(self, root: Path, path: PurePosixPath, encoding: str = "utf-8") -> str | Unreadable:
        st, got = read_text_and_stat(os.path.join(root, path), encoding)
        # Decoding is lossless (strict UTF-8, or ISO-8859-1), so encoding again gives the bytes.
        self.recorder.input(
            path.as_posix(), st, got.encode(encoding) if isinstance(got, str) else None
        )
        return got
