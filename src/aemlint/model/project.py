"""The project: every parsed input of one project root, and the queries rules use."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from aemlint.cache import JsonCache, user_cache_dir
from aemlint.discovery import DiscoveredFile
from aemlint.model.cloud_manager import (
    Environment,
    EnvironmentSpec,
    Forward,
    NetworkingSource,
    VariableSetting,
    explicit_environments,
    implicit_environment,
)
from aemlint.model.gc_pause import gc_paused
from aemlint.model.osgi import ConfigPlace, OsgiConfig
from aemlint.model.runmodes import ENV_TYPES, SERVICES, Resolution, applies_on, resolve
from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.values import ParsedConfig, Problem

if TYPE_CHECKING:
    from aemlint.model.networking_schema import SchemaIssue
    from aemlint.parsing.scripts import Word
from aemlint.sources import MAX_BYTES, Unreadable, read_text
from aemlint.types import Secret, Span, Violation, reveal

T = TypeVar("T")

# The encoding each configuration form is read in: `.cfg` is java.util.Properties (ISO-8859-1);
# a UTF-8 byte-order mark is kept (the Felix reader glues it to the first key: CFG008).
ENCODINGS = {"cfg.json": "utf-8", "config": "utf-8", "cfg": "iso-8859-1", "xml": "utf-8"}


class ParseCache:
    """Parsed inputs kept between runs of one process (the language server).

    Disk files are keyed by (mtime, size) and their parse by the text, so an unchanged file is
    neither read nor parsed again; editor buffers are keyed by their text. An unchanged
    configuration (same place, same parse) is also the same :class:`OsgiConfig` object from one
    build to the next, with what it memoized: an incremental lint tells what changed by
    identity. Entries hold parsed, immutable model objects (secrets stay wrapped): nothing
    leaves the process. :meth:`sweep` (after each build) drops the entries of inputs the build
    did not reach, so memory follows the project.
    """

    def __init__(self) -> None:
        self._texts: dict[PurePosixPath, tuple[tuple[int, int], str | Unreadable]] = {}
        self._parsed: dict[tuple[str, PurePosixPath], tuple[str, object]] = {}
        self._configs: dict[PurePosixPath, OsgiConfig] = {}
        #: Configurations read from disk: their stat, text and configuration object.
        self._unchanged: dict[PurePosixPath, tuple[tuple[int, int], str, OsgiConfig]] = {}
        self._absolute: dict[PurePosixPath, str] = {}
        self._root: Path | None = None
        self._touched: set[PurePosixPath] = set()
        self._swept: set[PurePosixPath] = set()

    def read(self, root: Path, path: PurePosixPath, encoding: str = "utf-8") -> str | Unreadable:
        self._touched.add(path)
        if root is not self._root and root != self._root:
            self._root, self._absolute = root, {}
        absolute = self._absolute.get(path)
        if absolute is None:  # (joining paths costs more than the stat: once per input)
            absolute = self._absolute[path] = os.path.join(root, *path.parts)
        try:
            st = os.stat(absolute)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            return read_text(Path(absolute), encoding)
        hit = self._texts.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        got = read_text(Path(absolute), encoding)
        self._texts[path] = (stamp, got)
        return got

    def parsed(self, kind: str, path: PurePosixPath, text: str, make: Callable[[], T]) -> T:
        self._touched.add(path)
        hit = self._parsed.get((kind, path))
        if hit is not None and hit[0] == text:
            return hit[1]  # type: ignore[return-value]
        value = make()
        self._parsed[(kind, path)] = (text, value)
        return value

    def config(
        self, path: PurePosixPath, place: ConfigPlace, parsed: ParsedConfig, text: str
    ) -> OsgiConfig:
        """The configuration at ``path`` (parsed from ``text``): last build's object when its
        place and parse are the same (its memoized facts with it)."""
        self._touched.add(path)
        hit = self._configs.get(path)
        if (
            hit is None
            or hit.parsed is not parsed
            or (hit.place is not place and hit.place != place)
        ):
            hit = self._configs[path] = OsgiConfig(path=path, place=place, parsed=parsed)
        read = self._texts.get(path)
        if read is not None and read[1] is text:  # the file on disk: see unchanged_config()
            self._unchanged[path] = (read[0], text, hit)
        return hit

    def unchanged_config(
        self, root: Path, path: PurePosixPath, place: ConfigPlace
    ) -> tuple[str, OsgiConfig] | None:
        """The text and configuration of an earlier build for a file on disk that has not
        changed since (same stat, same place): what :meth:`read`, :meth:`parsed` and
        :meth:`config` would give, in one step. None when anything differs (the caller takes
        the long way)."""
        self._touched.add(path)
        known = self._unchanged.get(path)
        if known is None or root is not self._root:
            return None
        stamp, text, cfg = known
        if cfg.place is not place and cfg.place != place:
            return None
        try:
            st = os.stat(self._absolute[path])
        except (OSError, KeyError):
            return None
        if st.st_mtime_ns != stamp[0] or st.st_size != stamp[1]:
            return None
        return text, cfg

    def sweep(self) -> None:
        """Forget the inputs that the builds since the last sweep did not reach (deleted,
        excluded or no longer named files)."""
        touched, self._touched = self._touched, set()
        if touched == self._swept:
            return  # the same inputs as last time: every entry is one of them
        for table in (self._texts, self._absolute, self._configs, self._unchanged):
            for gone in [p for p in table if p not in touched]:
                del table[gone]
        for key in [k for k in self._parsed if k[1] not in touched]:
            del self._parsed[key]
        self._swept = touched


class OneShotCache(ParseCache):
    """The parse cache of a single build (the command line): nothing outlives the build, so a
    file is read without the stat that keys it for a later run."""

    def read(self, root: Path, path: PurePosixPath, encoding: str = "utf-8") -> str | Unreadable:
        return read_text(os.path.join(root, path), encoding)  # (a third of `root / path`)

    def parsed(self, kind: str, path: PurePosixPath, text: str, make: Callable[[], T]) -> T:
        return make()

    def config(
        self, path: PurePosixPath, place: ConfigPlace, parsed: ParsedConfig, text: str
    ) -> OsgiConfig:
        return OsgiConfig(path=path, place=place, parsed=parsed)

    def unchanged_config(
        self, root: Path, path: PurePosixPath, place: ConfigPlace
    ) -> tuple[str, OsgiConfig] | None:
        return None

    def sweep(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A parser's or reader's problem, located in a file (CFG001…, AEM002)."""

    path: PurePosixPath
    problem: Problem


@dataclass(frozen=True, slots=True)
class Project:
    """Plain data built once; rules query it and never touch the file system."""

    root: Path
    configs: tuple[OsgiConfig, ...]
    problems: tuple[FileProblem, ...] = ()
    texts: Mapping[PurePosixPath, str] = field(default_factory=dict)
    notes: tuple[tuple[PurePosixPath, str], ...] = ()
    networking: tuple[NetworkingSource, ...] = ()
    variable_settings: tuple[VariableSetting, ...] = ()
    environments: tuple[Environment, ...] = ()
    #: ``*.cfg.json`` files below ``jcr_root/apps`` outside any configuration folder: never
    #: installed, known by path only (CFG007); they are not configurations.
    stray_configs: tuple[PurePosixPath, ...] = ()
    networking_kind: str | None = None  # ``[cloud-manager] networking``; None = unknown
    _by_key: dict[str, tuple[OsgiConfig, ...]] = field(init=False, repr=False, compare=False)
    _by_path: dict[PurePosixPath, OsgiConfig] = field(init=False, repr=False, compare=False)
    _effective: dict[tuple[str, str], list[OsgiConfig]] = field(
        init=False, repr=False, compare=False
    )
    #: Facts derived from the whole project, computed once for every rule that asks (see
    #: :meth:`memo`). Never holds a revealed secret.
    _memo: dict[object, object] = field(init=False, repr=False, compare=False)
    #: :meth:`effective_on` by key: each configuration of the key with its combinations.
    _on: dict[str, tuple[tuple[OsgiConfig, frozenset[tuple[str, str]]], ...]] = field(
        init=False, repr=False, compare=False
    )
    _on_folder: dict[tuple[bool, tuple[str, ...]], frozenset[tuple[str, str]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_key: dict[str, list[OsgiConfig]] = {}
        for cfg in self.configs:
            by_key.setdefault(cfg.key, []).append(cfg)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "_by_path", {c.path: c for c in self.configs})
        object.__setattr__(self, "_effective", {})
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_on", {})
        object.__setattr__(self, "_on_folder", {})

    def memo(self, key: object, make: Callable[[Project], T]) -> T:
        """``make(self)``, computed once per project and ``key``: for pure facts derived from
        the project, shared by every rule asking (callers must not mutate it). Never use it for
        anything holding a revealed secret."""
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = make(self)
            return value

    def effective_configs(self, service: str, env_type: str) -> list[OsgiConfig]:
        """Every configuration AEM applies on ``service`` in ``env_type``: the winner of each
        PID (all of them where a tie leaves it undecided), among files the platform installs."""
        cached = self._effective.get((service, env_type))
        if cached is None:
            if self._by_key:
                applies_on(service, env_type)  # ValueError for an unknown service or type
            if not self._effective:
                self._effective.update(self._every_effective())
            cached = self._effective.setdefault((service, env_type), [])
        return cached

    def _every_effective(self) -> dict[tuple[str, str], list[OsgiConfig]]:
        """:meth:`effective_configs` of every service x environment type, in one pass (rules
        ask for all of them): each list in key order, as resolve() decides per key."""
        combos = [(service, env_type) for service in SERVICES for env_type in ENV_TYPES]
        tests = [applies_on(service, env_type) for service, env_type in combos]
        lists: list[list[OsgiConfig]] = [[] for _ in combos]
        # Whether a folder applies depends on its run modes only: once per kind of folder.
        where: dict[tuple[bool, tuple[str, ...]], tuple[int, ...]] = {}
        for configs in self._by_key.values():
            if len(configs) == 1:  # most keys: resolve() of one candidate, inlined
                only = configs[0]
                if not only.parsed.readable:
                    continue
                place = only.place
                folder = (place.supported, place.run_modes)
                hits = where.get(folder)
                if hits is None:
                    hits = where[folder] = tuple(i for i, t in enumerate(tests) if t(place))
                for i in hits:
                    lists[i].append(only)
                continue
            readable = [c for c in configs if c.parsed.readable]
            for i, (service, env_type) in enumerate(combos):
                res = resolve(readable, service, env_type)
                if res is not None:
                    lists[i].extend(res.winners)
        return dict(zip(combos, lists, strict=True))

    def effective_on(self, cfg: OsgiConfig) -> frozenset[tuple[str, str]]:
        """The (service, environment type) combinations whose :meth:`effective_configs` hold
        ``cfg``: found from its key alone, so a rule that needs a few configurations does not
        walk every list."""
        entries = self._on.get(cfg.key)
        if entries is None:
            entries = self._on[cfg.key] = self._effective_on_key(cfg.key)
        for other, combos in entries:
            if other is cfg:
                return combos
        return frozenset()

    def _effective_on_key(
        self, key: str
    ) -> tuple[tuple[OsgiConfig, frozenset[tuple[str, str]]], ...]:
        """:meth:`effective_on` of every configuration of ``key`` (as :meth:`_every_effective`
        decides: one candidate by its folder, several by resolve())."""
        configs = self._by_key.get(key, ())
        if len(configs) == 1:
            only = configs[0]
            if not only.parsed.readable:
                return ((only, frozenset()),)
            # Whether a folder applies depends on its run modes only: once per kind of folder.
            place = only.place
            folders = self._on_folder
            folder = (place.supported, place.run_modes)
            combos = folders.get(folder)
            if combos is None:
                combos = folders[folder] = frozenset(
                    c for c, test in zip(_COMBOS, _TESTS, strict=True) if test(place)
                )
            return ((only, combos),)
        readable = [c for c in configs if c.parsed.readable]
        won: dict[int, set[tuple[str, str]]] = {id(c): set() for c in configs}
        for service, env_type in _COMBOS:
            res = resolve(readable, service, env_type)
            if res is not None:
                for winner in res.winners:
                    won[id(winner)].add((service, env_type))
        return tuple((c, frozenset(won[id(c)])) for c in configs)

    def effective_singletons(self, pid: str, service: str, env_type: str) -> list[OsgiConfig]:
        """The configurations of the singleton (not factory) ``pid`` among
        :meth:`effective_configs`, in the same order: without walking every configuration."""
        effective = self._effective_of_key(pid, service, env_type)
        return [c for c in effective if c.place.factory_pid is None and c.place.pid == pid]

    def _effective_of_key(self, key: str, service: str, env_type: str) -> list[OsgiConfig]:
        """What :meth:`effective_configs` holds for one key (the same computation)."""
        if self._by_key:
            applies_on(service, env_type)  # ValueError for an unknown service or type
        configs = self._by_key.get(key, ())
        res = resolve([c for c in configs if c.parsed.readable], service, env_type)
        return [] if res is None else list(res.winners)

    @property
    def checked_paths(self) -> tuple[PurePosixPath, ...]:
        """Every input that was read: configurations, Cloud Manager sources, problem files."""
        paths = {c.path for c in self.configs} | {p.path for p in self.problems}
        paths |= {n.path for n in self.networking} | {v.path for v in self.variable_settings}
        paths |= set(self.stray_configs)
        # Path order is the order of the parts (PurePosixPath.__lt__), compared here in C.
        return tuple(sorted(paths, key=lambda path: path.parts))

    @property
    def files_checked(self) -> int:
        return len(self.checked_paths)

    def config_at(self, path: PurePosixPath) -> OsgiConfig | None:
        return self._by_path.get(path)

    @property
    def config_map(self) -> Mapping[PurePosixPath, OsgiConfig]:
        """Every configuration by path (read-only)."""
        return self._by_path

    def keys(self) -> list[str]:
        """Every configuration identity (PID, or factoryPid~name) in the project."""
        return sorted(self._by_key)

    def configs_for(self, key: str) -> tuple[OsgiConfig, ...]:
        return self._by_key.get(key, ())

    def effective(self, key: str, service: str, env_type: str) -> Resolution | None:
        """Which configuration(s) of ``key`` AEM applies on ``service`` in ``env_type``."""
        return resolve(self.configs_for(key), service, env_type)

    def problem_violations(self, code: str) -> Iterator[Violation]:
        """The parsers' and readers' problems of one code, as violations."""
        for fp in self.problems:
            if fp.problem.code == code:
                yield Violation(fp.problem.message, fp.path, fp.problem.span)

    def secret_spans(self, path: PurePosixPath) -> list[Span]:
        """Spans of every value holding a secret (SPEC §5), for masking code frames.

        A value is masked whole when it is a secret (secret-named property, secret variable),
        when a placeholder in it carries a secret directive (``$[secret:X;default=…]``), when
        it is a CryptoSupport value, or when it contains a credential SEC004 recognises (a URL
        with ``user:password@``, a token): placeholder and match offsets are inside the string.
        """
        cfg = self._by_path.get(path)
        if cfg is None:
            return [
                v.value_span
                for v in self.variable_settings
                if v.path == path and v.value_span is not None and _holds_secret(v.value)
            ]
        return [
            s.span
            for prop in cfg.properties
            for s in prop.values
            if _holds_secret(s.value, s.is_placeholder_only)
            or any(isinstance(v, Secret) for p in s.placeholders for _, v in p.directives)
        ]


_COMBOS = tuple((service, env_type) for service in SERVICES for env_type in ENV_TYPES)
_TESTS = tuple(applies_on(service, env_type) for service, env_type in _COMBOS)


def _holds_secret(value: object, placeholder_only: bool = False) -> bool:
    """A secret value (SPEC §5); a secret-named property's value that is exactly one
    placeholder (``$[secret:NAME]``) is not one: its secret default, if any, is."""
    from aemlint.model.credentials import find_credentials
    from aemlint.model.secrets import classify_value

    if isinstance(value, Secret):
        text = value.reveal()
        kind = classify_value(text, placeholder_only)
        return kind in ("literal", "crypto") or bool(find_credentials(text))
    if not isinstance(value, str) or not value:
        return False
    return classify_value(value) == "crypto" or bool(find_credentials(value))


#: ``(count, call)`` for :func:`build_project`: ``call(built, built_so_far)`` once ``count``
#: configurations are built (``built`` of them).
Midway = tuple[int, Callable[[int, Callable[[], Project]], None]]


def build_project(
    root: Path,
    files: Sequence[DiscoveredFile],
    is_secret_name: Callable[[str], bool],
    overrides: Mapping[PurePosixPath, str | Unreadable] | None = None,
    environments: Sequence[EnvironmentSpec] = (),
    only_environment: str | None = None,
    cache: ParseCache | None = None,
    networking_kind: str | None = None,
    schema_cache: JsonCache | None = None,
    midway: Midway | None = None,
) -> Project:
    """Read and parse every discovered input; nothing here raises for a bad file.

    ``environments`` are the configuration's explicit environments (their named files are read
    even when discovery did not list them); ``only_environment`` keeps one of them (or
    ``default`` in implicit mode) for the environment-scoped rules. ``networking_kind`` is the
    configuration's ``[cloud-manager] networking``; ``schema_cache`` keeps schema-validation
    outcomes (default: the user's cache folder). ``midway`` is ``(count, call)``: once
    ``count`` configurations are built, ``call(built, built_so_far)`` runs, where ``built`` is
    how many there are and ``built_so_far()`` makes a project of those configurations and
    their texts alone (the command line starts checking them in another process, see
    :class:`aemlint.engine.EarlyCheck`).
    """
    with gc_paused():
        return _build_project(
            root,
            files,
            is_secret_name,
            overrides,
            environments,
            only_environment,
            cache,
            networking_kind,
            schema_cache,
            midway,
        )


def _build_project(
    root: Path,
    files: Sequence[DiscoveredFile],
    is_secret_name: Callable[[str], bool],
    overrides: Mapping[PurePosixPath, str | Unreadable] | None,
    environments: Sequence[EnvironmentSpec],
    only_environment: str | None,
    cache: ParseCache | None,
    networking_kind: str | None,
    schema_cache: JsonCache | None,
    midway: Midway | None,
) -> Project:
    builder = _Builder(root, is_secret_name, overrides or {}, cache or OneShotCache())
    builder.schema_cache = schema_cache
    for found in files:
        builder.add(found)
        if midway is not None and len(builder.configs) >= midway[0]:
            call, midway = midway[1], None
            so_far = tuple(builder.configs)
            # (the texts dict keeps growing here; the caller's child process has its copy)
            call(len(so_far), partial(Project, root, so_far, texts=builder.texts))
    for spec in environments:
        if spec.advanced_networking:
            builder.networking_at(PurePosixPath(spec.advanced_networking))
        for path in spec.variables:
            builder.variables_at(PurePosixPath(path), explicit=True)
    nets = tuple(builder.networking[p] for p in sorted(builder.networking))
    settings = tuple(v for p in sorted(builder.variables) for v in builder.variables[p])
    commands = tuple(builder.commands)
    if environments:
        envs = explicit_environments(environments, builder.networking, builder.variables, commands)
    else:
        envs = (implicit_environment(nets, (*settings, *commands)),)
    if only_environment is not None:
        envs = tuple(e for e in envs if e.name == only_environment)
    return Project(
        root=root,
        configs=tuple(builder.configs),
        problems=tuple(builder.problems),
        texts=builder.texts,
        notes=tuple(builder.notes),
        networking=nets,
        variable_settings=(*settings, *commands),
        environments=envs,
        stray_configs=tuple(sorted(builder.strays)),
        networking_kind=networking_kind,
    )


class _Builder:
    """Reads each input once, whatever the number of ways it is reached."""

    def __init__(
        self,
        root: Path,
        is_secret_name: Callable[[str], bool],
        overrides: Mapping[PurePosixPath, str | Unreadable],
        cache: ParseCache,
    ) -> None:
        self.cache = cache
        self.root = root
        self.is_secret_name = is_secret_name
        self.overrides = overrides
        self.configs: list[OsgiConfig] = []
        self.problems: list[FileProblem] = []
        self.texts: dict[PurePosixPath, str] = {}
        self.notes: list[tuple[PurePosixPath, str]] = []
        self.networking: dict[PurePosixPath, NetworkingSource] = {}
        self.variables: dict[PurePosixPath, tuple[VariableSetting, ...]] = {}
        self.commands: list[VariableSetting] = []
        self.strays: list[PurePosixPath] = []
        self._seen: set[PurePosixPath] = set()
        self.schema_cache: JsonCache | None = None

    def text(self, path: PurePosixPath, encoding: str = "utf-8") -> str | None:
        if path in self.texts:
            return self.texts[path]
        got = self.overrides.get(path)
        if got is None:
            got = self.cache.read(self.root, path, encoding)
        if isinstance(got, Unreadable):
            self.problems.append(FileProblem(path, got.problem))
            return None
        self.texts[path] = got
        return got

    def add(self, found: DiscoveredFile) -> None:
        if found.path in self._seen:
            return
        self._seen.add(found.path)
        if found.place is not None:
            self._config(found)
        elif found.kind == "cloud-manager":
            self._document(found.path)
        elif found.kind == "script":
            self._script(found.path)
        elif found.kind == "stray-config":
            self.strays.append(found.path)  # by path only: never read

    def _config(self, found: DiscoveredFile) -> None:
        place = found.place
        assert place is not None
        path = found.path
        if path not in self.overrides and path not in self.texts:
            hit = self.cache.unchanged_config(self.root, path, place)
            if hit is not None:  # (the language server: most files did not change)
                self.texts[path], cfg = hit
                if cfg.parsed.problems:
                    self.problems.extend(FileProblem(path, p) for p in cfg.parsed.problems)
                self.configs.append(cfg)
                return
        text = self.text(found.path, ENCODINGS[place.form])
        if text is None:
            return
        parsed = self.cache.parsed(
            place.form,
            found.path,
            text,
            lambda: _parse_config(place.form, text, self.is_secret_name),
        )
        if parsed is None:  # an XML file that is not a sling:OsgiConfig node
            del self.texts[found.path]
            self.notes.append(
                (found.path, "XML that is not a sling:OsgiConfig node: not a configuration")
            )
            return
        self.problems.extend(FileProblem(found.path, p) for p in parsed.problems)
        self.configs.append(self.cache.config(found.path, place, parsed, text))

    def _document(self, path: PurePosixPath) -> None:
        from aemlint.parsing.cloud_manager import sniff

        text = self.overrides.get(path)
        if text is None:
            # The pre-check reads only what it needs; most JSON/YAML files are not ours.
            got = self.cache.read(self.root, path)
            if isinstance(got, Unreadable):
                if got.problem.span is not None and _looks_like_networking(self.root / path):
                    # binary or undecodable, yet it names port forwards: an input we cannot read
                    self.problems.append(FileProblem(path, got.problem))
                return  # otherwise not known to be an input: nothing to report
            text = got
        if isinstance(text, Unreadable):
            return
        kind = sniff(path, text)
        if kind == "networking":
            self.texts[path] = text
            self.networking_at(path)
        elif kind == "variables":
            self.texts[path] = text
            self.variables_at(path, explicit=False)

    def networking_at(self, path: PurePosixPath) -> None:
        if path in self.networking:
            return
        from aemlint.parsing.cloud_manager import parse_networking

        text = self.text(path)
        if text is None:
            return
        doc = self.cache.parsed(
            "networking",
            path,
            text,
            lambda: parse_networking(text, path.suffix.lstrip(".").lower()),
        )
        self.problems.extend(FileProblem(path, p) for p in doc.problems)
        invalid: tuple[SchemaIssue, ...] = ()
        if not doc.problems and doc.body is not None:
            from aemlint.model.networking_schema import validate_networking

            schema_cache = self.schema_cache or JsonCache(user_cache_dir() / "meta")
            body = doc.body
            invalid = self.cache.parsed(
                "networking-schema",
                path,
                text,
                lambda: validate_networking(text, body, schema_cache),
            )
        skipped = {i.forward_index for i in invalid}
        self.networking[path] = NetworkingSource(
            path=path,
            forwards=tuple(
                Forward(
                    path,
                    f.index,
                    f.span,
                    f.name,
                    f.port_dest,
                    f.port_orig,
                    f.port_orig_span,
                    f.name_span,
                    f.port_dest_span,
                )
                for f in doc.port_forwards
                if f.index not in skipped
            ),
            declares_forwards=doc.declares_forwards,
            forwards_span=doc.port_forwards_span,
            non_proxy_hosts=doc.non_proxy_hosts,
            invalid=invalid,
        )

    def variables_at(
        self, path: PurePosixPath, explicit: bool, environment_id: str | None = None
    ) -> None:
        if path in self.variables:
            return
        from aemlint.parsing.cloud_manager import parse_variables

        text = self.text(path)
        if text is None:
            return
        doc = self.cache.parsed(
            f"variables-{explicit}",
            path,
            text,
            lambda: parse_variables(
                text, path.suffix.lstrip(".").lower(), self.is_secret_name, explicit=explicit
            ),
        )
        if doc is None:
            self.variables[path] = ()
            return
        self.problems.extend(FileProblem(path, p) for p in doc.problems)
        origin = doc.shape
        self.variables[path] = tuple(
            VariableSetting(
                name=v.name,
                name_span=v.name_span,
                path=path,
                value=v.value,
                runtime=v.runtime,
                type=v.type,
                service=v.service,
                origin=origin,
                environment_id=environment_id,
                value_span=v.value_span,
                type_span=v.type_span,
                service_span=v.service_span,
            )
            for v in doc.variables
        )

    def _script(self, path: PurePosixPath) -> None:
        from aemlint.parsing.scripts import find_aio_commands, script_kind

        got = self.overrides.get(path)
        if got is None:
            got = self.cache.read(self.root, path)
        if isinstance(got, Unreadable) or "cloudmanager:" not in got:
            return  # not known to hold commands: nothing to report
        kind = script_kind(path, got[:200].split("\n", 1)[0])
        if kind is None:
            return
        self.texts[path] = got
        text, script = got, kind
        commands, problems = self.cache.parsed(
            f"script-{kind}",
            path,
            text,
            lambda: find_aio_commands(text, script, is_secret_name=self.is_secret_name),
        )
        self.problems.extend(FileProblem(path, p) for p in problems)
        for command in commands:
            self.problems.extend(FileProblem(path, p) for p in command.problems)
            env_id = _literal(command.environment_id)
            for a in command.assignments:
                self.commands.append(
                    VariableSetting(
                        name=reveal(a.name.text),
                        name_span=a.name.span,
                        path=path,
                        value=None if a.value is None else a.value.text,
                        runtime=a.value is not None and a.value.runtime,
                        type="secretString" if a.kind == "secret" else "string",
                        service=a.service,
                        origin="command",
                        environment_id=env_id,
                        deleted=a.kind == "delete",
                        value_span=None if a.value is None else a.value.span,
                    )
                )
            for word in (command.json_file, command.yaml_file):
                if word is not None:
                    self._follow(path, word, env_id)

    def _follow(self, script: PurePosixPath, word: Word, env_id: str | None) -> None:
        """A ``--jsonFile``/``--yamlFile`` argument, relative to the script's folder."""
        target = _literal(word)
        if target is None:
            return
        joined = posixpath.normpath(posixpath.join(str(script.parent), target))
        if posixpath.isabs(target) or joined == ".." or joined.startswith("../"):
            self.problems.append(
                FileProblem(
                    script,
                    Problem(
                        "AEM002",
                        f"{target!r} leaves the project root: not read (variables files are "
                        "read only inside the project)",
                        word.span,
                    ),
                )
            )
            return
        self.variables_at(PurePosixPath(joined), explicit=True, environment_id=env_id)


def _looks_like_networking(path: Path) -> bool:
    """The raw bytes of an unreadable file name port forwards (the pre-check, done on bytes)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES)
    except OSError:
        return False
    return b"portForwards" in data or b"nonProxyHosts" in data


def _parse_config(
    form: str, text: str, is_secret_name: Callable[[str], bool]
) -> ParsedConfig | None:
    """Parse one configuration in its form, exactly as the platform's reader for it does."""
    if form == "cfg.json":
        return parse_cfg_json(text, is_secret_name)
    if form == "config":
        from aemlint.parsing.felix_config import parse_felix_config

        return parse_felix_config(text, is_secret_name)
    if form == "cfg":
        from aemlint.parsing.properties import parse_properties

        return parse_properties(text, is_secret_name)
    from aemlint.parsing.sling_xml import parse_sling_xml

    return parse_sling_xml(text, is_secret_name)


def _literal(word: Word | None) -> str | None:
    if word is None or word.runtime or isinstance(word.text, Secret):
        return None
    return word.text
