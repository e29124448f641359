"""Find a project's inputs: walk the tree once, prune excluded and ignored folders, classify.

No file is opened here except ``.gitignore`` files and ``.git/info/exclude`` (SPEC §2, §3).

* ``exclude`` (default :data:`DEFAULT_EXCLUDES`) is replaced by the configuration,
  ``extend_exclude`` adds to it; both are gitwildmatch patterns relative to the project root
  (a pattern without a slash, such as ``target``, matches that name at any depth).
* With ``respect_gitignore``: every ``.gitignore`` below the root (patterns relative to its folder;
  a deeper file overrides a shallower one, the last matching line of a file wins, ``!`` negates),
  the ``.gitignore`` files of the root's ancestors up to the enclosing git work tree, and that work
  tree's ``.git/info/exclude`` (lowest precedence), as git reads them. ``.gitignore`` files are
  honoured even outside a git work tree. A folder that is excluded or ignored is never entered, so,
  as in git, a negation cannot bring back a file below an ignored folder.
* Symbolic links are never followed; a link to a folder, or a link whose own path would be an
  input, is reported as skipped. A folder that cannot be read is skipped with the reason.

Matching is lazy: plain-name patterns (the defaults) are compared by name, and ``pathspec`` is
imported only when some pattern needs it; files are matched only when their path makes them an
input, folders always (to prune them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal, Protocol

from aemlint.model.osgi import ConfigPlace
from aemlint.model.places import AREAS, is_stray_config, place_in

if TYPE_CHECKING:  # pragma: no cover - import cost (~30 ms) only when patterns need it
    from pathspec import GitIgnoreSpec

__all__ = [
    "DEFAULT_EXCLUDES",
    "DiscoveredFile",
    "Discovery",
    "DiscoveryOptions",
    "InputKind",
    "WalkRecord",
    "classify",
    "discover",
    "is_excluded",
]

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    "node_modules",
    "target",
    "dist",
    "build",
    ".aemlint_cache",
)

#: What a discovered file is: an OSGi configuration (by its path below ``jcr_root``); a Cloud
#: Manager document candidate (a JSON or YAML file outside ``jcr_root``: the project builder's
#: text pre-check decides whether it is a networking document or a variables source, SPEC §3.2,
#: §3.3); or a script or CI file that may hold ``aio`` commands (by name, or an executable file
#: without extension whose shebang the builder checks); or a ``*.cfg.json`` below
#: ``jcr_root/apps`` outside any configuration folder, which the platform never installs
#: (``stray-config``: surfaced by path for CFG007, never read nor made a configuration).
InputKind = Literal["osgi-config", "cloud-manager", "script", "stray-config"]

_SCRIPT_SUFFIXES = (".sh", ".bash", ".zsh", ".mk", ".jenkinsfile")
_SCRIPT_NAMES = frozenset({"Makefile", "GNUmakefile", "makefile", "Jenkinsfile"})
_CI_NAMES = frozenset({".gitlab-ci.yml", "bitbucket-pipelines.yml"})
_DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


def _outside_kind(parts: tuple[str, ...], name: str, executable: bool) -> InputKind | None:
    """The kind of a file outside ``jcr_root`` from its path alone (no reading)."""
    if name.endswith(_SCRIPT_SUFFIXES) or name in _SCRIPT_NAMES or name.startswith("Jenkinsfile"):
        return "script"
    if name.endswith(_DOCUMENT_SUFFIXES):
        if name in _CI_NAMES or name.startswith("azure-pipelines"):
            return "script"
        if len(parts) >= 2 and parts[-2] == ".github" and parts[-1] == "workflows":
            return "script"
        return "cloud-manager"
    if executable and "." not in name:
        return "script"  # a shebang script: the builder reads its first line
    return None


@dataclass(frozen=True, slots=True)
class DiscoveryOptions:
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    """An input found by path: root-relative POSIX ``path``, what the path says of it (``place``,
    for an OSGi configuration) and its ``kind``."""

    path: PurePosixPath
    place: ConfigPlace | None
    kind: InputKind = "osgi-config"


@dataclass(frozen=True, slots=True)
class Discovery:
    """The inputs and what was left out with a reason for people (``-v``), both sorted by
    POSIX path string (as findings are)."""

    files: tuple[DiscoveredFile, ...]
    skipped: tuple[tuple[PurePosixPath, str], ...]

    @property
    def configs(self) -> tuple[tuple[PurePosixPath, ConfigPlace], ...]:
        """The OSGi configurations as ``(path, place)``, typed for callers."""
        return tuple((f.path, f.place) for f in self.files if f.place is not None)


class WalkRecord(Protocol):
    """What a walk reports to a cache so that a later run can tell, by ``stat`` calls alone,
    that a walk would find the same inputs (:mod:`aemlint.result_cache`). Paths given to
    ``folder`` and ``mode`` are root-relative (``""`` is the root); the others are absolute."""

    def folder(self, rel: str, mtime_ns: int | None, entries: Sequence[os.DirEntry[str]]) -> None:
        """A folder the walk listed: its mtime (taken before listing) and its entries."""

    def mode(self, rel: str, executable: bool) -> None:
        """An extension-less file outside ``jcr_root``: its executable bit decides its kind."""

    def ignore_file(self, path: str, st: os.stat_result, data: bytes) -> None:
        """An ignore file that was read (``.gitignore``, ``.git/info/exclude``)."""

    def exists(self, path: str, exists: bool) -> None:
        """A path whose existence was checked (an ancestor's ``.git`` or ``.gitignore``)."""

    def unreliable(self) -> None:
        """Something was unreadable: what the walk saw cannot be checked later."""


def classify(rel_path: PurePosixPath) -> DiscoveredFile | None:
    """The discovery decision for one root-relative path (explicit files, ``--stdin-filename``)."""
    parts = rel_path.parts
    if not parts:
        return None
    place = place_in(parts[:-1], parts[-1])
    if place is not None:
        return DiscoveredFile(rel_path, place)
    if "jcr_root" in parts[:-1]:
        if is_stray_config(parts[:-1], parts[-1]):
            return DiscoveredFile(rel_path, None, "stray-config")
        return None
    kind = _outside_kind(parts[:-1], parts[-1], executable=True)
    return None if kind is None else DiscoveredFile(rel_path, None, kind)


def discover(root: Path, options: DiscoveryOptions, record: WalkRecord | None = None) -> Discovery:
    """Walk ``root`` once (iteratively, ``os.scandir``) and return its inputs.

    Never raises for unreadable folders, symlink loops or odd names: those are reported in
    ``skipped``. An exclude pattern git could not read is a ValueError naming it (a configuration
    error); an unreadable ``.gitignore`` line is skipped, as git does. ``record`` is told what
    the result depends on (the result cache's key).
    """
    excludes = _Patterns.compile((*options.exclude, *options.extend_exclude))
    skipped: list[tuple[str, str]] = []
    levels: tuple[_IgnoreLevel, ...] = ()
    if options.respect_gitignore:
        levels = _ancestor_levels(root, skipped, record)
    found: list[tuple[str, DiscoveredFile]] = []
    # (absolute folder, root-relative parts, ignore files in force, below jcr_root/apps|libs?,
    #  below any jcr_root?)
    stack: list[tuple[str, tuple[str, ...], tuple[_IgnoreLevel, ...], bool, bool]] = [
        (os.fspath(root), (), levels, False, "jcr_root" in root.parts)
    ]
    while stack:
        abs_dir, parts, levels, in_area, in_jcr = stack.pop()
        prefix = "/".join(parts) + "/" if parts else ""
        folder_path: PurePosixPath | None = None
        mtime = _mtime(abs_dir) if record is not None else None  # before listing: racy-safe
        try:
            with os.scandir(abs_dir) as it:
                entries = list(it)
        except OSError as exc:
            skipped.append((prefix.rstrip("/") or ".", f"unreadable folder: {_why(exc)}"))
            if record is not None:
                record.unreliable()
            continue
        if record is not None:
            record.folder(prefix[:-1], mtime, entries)
        if options.respect_gitignore:
            for entry in entries:
                # git reads a .gitignore that is a regular file, never through a symlink
                if entry.name == ".gitignore" and entry.is_file(follow_symlinks=False):
                    level = _load_level(
                        entry.path, len(prefix), "", prefix + ".gitignore", skipped, record
                    )
                    if level is not None:
                        levels = (*levels, level)
                    break
        for entry in entries:
            name = entry.name
            rel = prefix + name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = not is_dir and entry.is_symlink()
            except OSError as exc:  # pragma: no cover - d_type unknown and lstat failed
                skipped.append((rel, f"unreadable: {_why(exc)}"))
                continue
            if is_dir:
                reason = excludes.match(rel, name, True) or _ignored(levels, rel, True)
                if reason is not None:
                    skipped.append((rel, reason))
                else:
                    below = in_area or (name in AREAS and bool(parts) and parts[-1] == "jcr_root")
                    jcr = in_jcr or name == "jcr_root"
                    stack.append((entry.path, (*parts, name), levels, below, jcr))
            elif is_link:
                if _is_dir_target(entry):
                    reason = excludes.match(rel, name, True) or _ignored(levels, rel, True)
                    skipped.append((rel, reason or "symlink not followed"))
                elif in_area and place_in(parts, name) is not None:
                    reason = excludes.match(rel, name, False) or _ignored(levels, rel, False)
                    skipped.append((rel, reason or "symlink not followed"))
            else:
                place = place_in(parts, name) if in_area else None
                kind: InputKind | None = "osgi-config" if place is not None else None
                if kind is None and in_area and is_stray_config(parts, name):
                    kind = "stray-config"
                elif kind is None and not in_jcr:
                    executable = _executable(entry)
                    if record is not None and "." not in name:
                        record.mode(rel, executable)
                    kind = _outside_kind(parts, name, executable)
                if kind is None:
                    continue
                reason = excludes.match(rel, name, False) or _ignored(levels, rel, False)
                if reason is not None:
                    skipped.append((rel, reason))
                    continue
                if folder_path is None:  # one path object per folder; files join a name to it
                    folder_path = PurePosixPath(prefix)
                found.append((rel, DiscoveredFile(folder_path / name, place, kind)))
    found.sort(key=lambda item: item[0])
    skipped.sort()
    return Discovery(
        files=tuple(file for _rel, file in found),
        skipped=tuple((PurePosixPath(rel), reason) for rel, reason in skipped),
    )


def is_excluded(rel_path: PurePosixPath, options: DiscoveryOptions, root: Path) -> str | None:
    """Why discovery would leave out ``rel_path`` (a file or folder below ``root``), or None.

    The first reason from the top wins, as in the walk (an excluded folder hides what is inside).
    The caller decides whether it applies: SPEC §2 lints explicit files even when git-ignored.
    """
    parts = rel_path.parts
    if not parts:
        return None
    excludes = _Patterns.compile((*options.exclude, *options.extend_exclude))
    sink: list[tuple[str, str]] = []
    levels: tuple[_IgnoreLevel, ...] = ()
    if options.respect_gitignore:
        levels = _ancestor_levels(root, sink)
    last_is_dir = (root / Path(*parts)).is_dir()
    for i, name in enumerate(parts):
        prefix = "/".join(parts[:i]) + "/" if i else ""
        if options.respect_gitignore:
            gitignore = os.path.join(root, *parts[:i], ".gitignore")
            if os.path.isfile(gitignore) and not os.path.islink(gitignore):
                level = _load_level(gitignore, len(prefix), "", prefix + ".gitignore", sink)
                if level is not None:
                    levels = (*levels, level)
        rel = prefix + name
        is_dir = i < len(parts) - 1 or last_is_dir
        reason = excludes.match(rel, name, is_dir) or _ignored(levels, rel, is_dir)
        if reason is not None:
            return reason
    return None


# --- patterns ---------------------------------------------------------------------------------

_SPECIAL = frozenset("*?[]\\!/#")


class _Patterns:
    """Exclude patterns: plain names by set lookup, anything else through ``pathspec``.

    Without negations a path is excluded when any pattern matches, so the two halves can be
    checked separately; with a negation, order matters and every pattern goes to ``pathspec``.
    """

    __slots__ = ("dir_names", "names", "spec")

    def __init__(
        self, names: dict[str, str], dir_names: dict[str, str], spec: _Spec | None
    ) -> None:
        self.names = names
        self.dir_names = dir_names
        self.spec = spec

    @classmethod
    def compile(cls, patterns: Sequence[str]) -> _Patterns:
        names: dict[str, str] = {}
        dir_names: dict[str, str] = {}
        rest: list[str] = []
        negated = any(p.startswith("!") for p in patterns)
        for pattern in patterns:
            simple = _simple_name(pattern)
            if negated or simple is None:
                rest.append(pattern)
            elif pattern.endswith("/"):
                dir_names.setdefault(simple, pattern)
            else:
                names.setdefault(simple, pattern)
        return cls(names, dir_names, _Spec(rest, strict=True) if rest else None)

    def match(self, rel: str, name: str, is_dir: bool) -> str | None:
        pattern = self.names.get(name)
        if pattern is None and is_dir:
            pattern = self.dir_names.get(name)
        if pattern is None and self.spec is not None:
            include, matched = self.spec.check(rel + "/" if is_dir else rel)
            if include:
                pattern = matched
        return None if pattern is None else f"excluded by pattern {pattern!r}"


def _simple_name(pattern: str) -> str | None:
    name = pattern[:-1] if pattern.endswith("/") else pattern
    if not name or name in (".", "..") or name != name.strip() or _SPECIAL.intersection(name):
        return None
    return name


class _Spec:
    """A ``pathspec.GitIgnoreSpec`` behind a one-regex pre-check.

    Most paths match no pattern; one search of the patterns' regexes joined into an alternation
    says so in one C call. Only a path that matches some pattern goes through ``check_file``,
    which decides with git's exact precedence (last match, directory patterns, negations).
    """

    __slots__ = ("quick", "spec")

    def __init__(self, lines: Sequence[str], *, strict: bool) -> None:
        from pathspec import GitIgnoreSpec

        try:
            self.spec = GitIgnoreSpec.from_lines(lines)
        except ValueError as exc:  # pathspec's GitIgnorePatternError
            if strict:
                raise ValueError(f"invalid exclude pattern: {exc}") from None
            # git skips a line it cannot read; so do we (and keep line order for the rest)
            self.spec = GitIgnoreSpec.from_lines(line for line in lines if _valid(line))
        self.quick = _alternation(self.spec)

    def check(self, path: str) -> tuple[bool | None, str | None]:
        """(include, the deciding pattern's text) for a normalised POSIX ``path``; a folder
        ends with ``/``. ``include`` is None when no pattern matches."""
        if self.quick is not None and self.quick.search(path) is None:
            return None, None
        result = self.spec.check_file(path)
        if result.include is None or result.index is None:
            return None, None
        return result.include, str(self.spec.patterns[result.index].pattern)


def _valid(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _alternation(spec: GitIgnoreSpec) -> re.Pattern[str] | None:
    # A superset test: the alternation matches when any non-comment pattern does. Named groups
    # (pathspec marks folder matches with one) become plain groups so that they can repeat.
    alternatives: list[str] = []
    for pattern in spec.patterns:
        if pattern.include is None:
            continue
        regex = getattr(pattern, "regex", None)
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        alternatives.append("(?:" + _NAMED_GROUP.sub("(?:", regex.pattern) + ")")
    try:
        return re.compile("|".join(alternatives)) if alternatives else None
    except re.error:  # pragma: no cover - inline flags or a backend format we do not know
        return None


_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


# --- .gitignore -------------------------------------------------------------------------------


class _IgnoreLevel:
    """One ignore file: its spec, and how a root-relative path becomes relative to its folder
    (drop the first ``strip`` characters, then prepend ``prepend``). A plain class: a dataclass
    costs a millisecond of start-up, and this module is on the on-save path."""

    __slots__ = ("prepend", "reason", "spec", "strip")

    def __init__(self, spec: _Spec, strip: int, prepend: str, reason: str) -> None:
        self.spec = spec
        self.strip = strip
        self.prepend = prepend
        self.reason = reason


def _ignored(levels: Sequence[_IgnoreLevel], rel: str, is_dir: bool) -> str | None:
    for level in reversed(levels):  # the deepest file decides first
        sub = level.prepend + rel[level.strip :]
        include, _pattern = level.spec.check(sub + "/" if is_dir else sub)
        if include is not None:
            return level.reason if include else None
    return None


def _load_level(
    path: str,
    strip: int,
    prepend: str,
    label: str,
    skipped: list[tuple[str, str]],
    record: WalkRecord | None = None,
) -> _IgnoreLevel | None:
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno()) if record is not None else None
            data = handle.read()
    except OSError as exc:
        skipped.append((label, f"unreadable ignore file: {_why(exc)}"))
        if record is not None:
            record.unreliable()
        return None
    if record is not None and st is not None:
        record.ignore_file(path, st, data)
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    return _IgnoreLevel(_Spec(lines, strict=False), strip, prepend, f"ignored by {label}")


def _ancestor_levels(
    root: Path, skipped: list[tuple[str, str]], record: WalkRecord | None = None
) -> tuple[_IgnoreLevel, ...]:
    """``.git/info/exclude`` of the enclosing work tree, then the ``.gitignore`` files of the
    root's ancestors inside it, lowest precedence first. The root's own ``.gitignore`` is read
    by the walk."""
    here = os.path.abspath(root)
    below: list[str] = []  # names from the work tree's top down to the root
    top = here
    while not _exists(os.path.join(top, ".git"), record):
        parent = os.path.dirname(top)
        if parent == top:
            return ()
        below.insert(0, os.path.basename(top))
        top = parent
    levels: list[_IgnoreLevel] = []
    ups = len(below)
    exclude = _info_exclude(os.path.join(top, ".git"))
    if exclude is not None:
        label = "/".join([".."] * ups + [".git", "info", "exclude"])
        prepend = "/".join(below) + "/" if below else ""
        level = _load_level(exclude, 0, prepend, label, skipped, record)
        if level is not None:
            levels.append(level)
    elif record is not None:
        record.exists(os.path.join(top, ".git", "info", "exclude"), False)
    for i in range(ups):
        folder = os.path.join(top, *below[:i])
        gitignore = os.path.join(folder, ".gitignore")
        if os.path.isfile(gitignore):
            label = "/".join([".."] * (ups - i) + [".gitignore"])
            prepend = "/".join(below[i:]) + "/"
            level = _load_level(gitignore, 0, prepend, label, skipped, record)
            if level is not None:
                levels.append(level)
        elif record is not None:
            record.exists(gitignore, False)
    return tuple(levels)


def _info_exclude(dot_git: str) -> str | None:
    git_dir = dot_git
    if os.path.isfile(dot_git):  # a worktree or submodule: "gitdir: <path>"
        try:
            with open(dot_git, encoding="utf-8", errors="replace") as handle:
                first = handle.readline().strip()
        except OSError:
            return None
        if not first.startswith("gitdir:"):
            return None
        git_dir = os.path.join(os.path.dirname(dot_git), first[7:].strip())
        commondir = os.path.join(git_dir, "commondir")
        if os.path.isfile(commondir):
            try:
                with open(commondir, encoding="utf-8", errors="replace") as handle:
                    git_dir = os.path.join(git_dir, handle.read().strip())
            except OSError:
                return None
    candidate = os.path.join(git_dir, "info", "exclude")
    return candidate if os.path.isfile(candidate) else None


# --- helpers ----------------------------------------------------------------------------------


def _exists(path: str, record: WalkRecord | None) -> bool:
    found = os.path.lexists(path)
    if record is not None:
        record.exists(path, found)
    return found


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _executable(entry: os.DirEntry[str]) -> bool:
    if "." in entry.name:
        return False  # only extension-less files are shebang candidates
    try:
        return bool(entry.stat(follow_symlinks=False).st_mode & 0o111)
    except OSError:
        return False


def _is_dir_target(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows the link; a loop or a dangling link is not a folder
    except OSError:
        return False


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
