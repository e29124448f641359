"""One lint session: a project root, its configuration, the rules and the selection.

The command line opens a session, lints once and exits; the language server keeps sessions
open (one per project root) and lints again on every change with a parse cache. Both go through
this module, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aemlint import __version__, plugins
from aemlint.cache import JsonCache, digest, user_cache_dir
from aemlint.discovery import DiscoveredFile, Discovery, DiscoveryOptions, discover
from aemlint.engine import rule_runs, run_rules
from aemlint.model.project import ParseCache, Project, build_project
from aemlint.model.secrets import SecretNamer
from aemlint.plugins import EntryPointSpec, load_rules, site_fingerprint
from aemlint.registry import DuplicateRuleError, Rule, RuleSet, Selection, unknown_selectors
from aemlint.settings import ConfigError, Settings, load_settings
from aemlint.sources import Unreadable
from aemlint.types import Finding


class UsageError(Exception):
    """A user mistake on the command line or in the configuration: exit 2, no traceback."""


def meta_cache(no_cache: bool) -> JsonCache:
    return JsonCache(None if no_cache else user_cache_dir() / "meta")


def load_ruleset(no_cache: bool) -> tuple[RuleSet, list[str]]:
    """Built-in and plugin rules; the entry-point table is cached (importlib.metadata is slow)."""
    meta = meta_cache(no_cache)
    key = "entry-points-" + digest(__version__, site_fingerprint())
    cached = meta.get(key)
    if isinstance(cached, list):
        specs = [EntryPointSpec(*entry) for entry in cached]
    else:
        specs = plugins.discover_entry_points()
        meta.put(key, [[s.name, s.value, s.dist] for s in specs])
    loaded = load_rules(specs)
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
        ruleset, warnings = load_ruleset(no_cache)
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
        return cls(
            root=root,
            config_file=config_file,
            ruleset=ruleset,
            settings=settings,
            selected=tuple(r for r in ruleset if selection.selects(r)),
            namer=namer,
            warnings=tuple(warnings),
        )

    def discover(self) -> Discovery:
        return discover(
            self.root,
            DiscoveryOptions(
                exclude=self.settings.exclude,
                extend_exclude=self.settings.extend_exclude,
                respect_gitignore=self.settings.respect_gitignore,
            ),
        )

    def build(
        self,
        files: Sequence[DiscoveredFile],
        overrides: Mapping[PurePosixPath, str | Unreadable] | None = None,
        environment: str | None = None,
        cache: ParseCache | None = None,
    ) -> Project:
        return build_project(
            self.root,
            files,
            self.namer,
            overrides,
            self.settings.environments,
            environment,
            cache,
        )

    def lint(self, project: Project) -> list[Finding]:
        return run_rules(
            project,
            rule_runs(self.selected, self.settings),
            self.namer,
            report_internal_errors=any(r.code == "AEM000" for r in self.selected),
        )


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
