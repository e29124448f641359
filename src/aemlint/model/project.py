"""The project: every parsed input of one project root, and the queries rules use."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from aemlint.discovery import DiscoveredFile
from aemlint.model.osgi import OsgiConfig
from aemlint.model.runmodes import Resolution, resolve
from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.values import Problem
from aemlint.sources import Unreadable, read_text
from aemlint.types import Secret, Span, Violation

# Forms recognised by discovery but not read yet (the legacy-formats release reads them).
PENDING_FORMS = {"config": ".config", "cfg": ".cfg", "xml": "sling:OsgiConfig XML"}


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
    _by_key: dict[str, tuple[OsgiConfig, ...]] = field(init=False, repr=False, compare=False)
    _by_path: dict[PurePosixPath, OsgiConfig] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, list[OsgiConfig]] = {}
        for cfg in self.configs:
            by_key.setdefault(cfg.key, []).append(cfg)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "_by_path", {c.path: c for c in self.configs})

    @property
    def files_checked(self) -> int:
        return len({c.path for c in self.configs} | {p.path for p in self.problems})

    def config_at(self, path: PurePosixPath) -> OsgiConfig | None:
        return self._by_path.get(path)

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
        """Spans of every value holding a secret (for masking code frames).

        A value is masked whole when it is a secret or when a placeholder in it carries a secret
        directive (``$[secret:X;default=…]``), since placeholder offsets are inside the string.
        """
        cfg = self._by_path.get(path)
        if cfg is None:
            return []
        return [
            s.span
            for prop in cfg.properties
            for s in prop.values
            if isinstance(s.value, Secret)
            or any(isinstance(v, Secret) for p in s.placeholders for _, v in p.directives)
        ]


def build_project(
    root: Path,
    files: Sequence[DiscoveredFile],
    is_secret_name: Callable[[str], bool],
    overrides: Mapping[PurePosixPath, str | Unreadable] | None = None,
) -> Project:
    """Read and parse every discovered input; nothing here raises for a bad file."""
    overrides = overrides or {}
    configs: list[OsgiConfig] = []
    problems: list[FileProblem] = []
    texts: dict[PurePosixPath, str] = {}
    notes: list[tuple[PurePosixPath, str]] = []
    for found in files:
        place = found.place
        if place.form in PENDING_FORMS:
            notes.append(
                (found.path, f"{PENDING_FORMS[place.form]} configuration recognised, not yet read")
            )
            continue
        got = overrides.get(found.path)
        if got is None:
            got = read_text(root.joinpath(*found.path.parts))
        if isinstance(got, Unreadable):
            problems.append(FileProblem(found.path, got.problem))
            continue
        text = got
        texts[found.path] = text
        parsed = parse_cfg_json(text, is_secret_name)
        problems.extend(FileProblem(found.path, p) for p in parsed.problems)
        configs.append(OsgiConfig(path=found.path, place=place, parsed=parsed))
    return Project(
        root=root,
        configs=tuple(configs),
        problems=tuple(problems),
        texts=texts,
        notes=tuple(notes),
    )
