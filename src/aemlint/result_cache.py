"""The result cache (SPEC §7): a whole ``aemlint check`` run's report, reused while nothing it
depends on has changed — the warm on-save and whole-tree runs.

**Entry name** (one JSON file per project root and options, in the user's cache folder under
``results/<digest of the root>/``, never in the repository): a digest of aemlint's version, the
Python version and aemlint's code (the package's and its data folders' file stamps, so an
editable install that changed is a miss), the entry-point table and the ``site-packages``
stamps (plugins installed, upgraded, removed) with the stamps of each plugin's package, the
project root, the configuration file's path and bytes, the options that change findings
(``--select``, ``--extend-select``, ``--ignore``, ``--environment``,
``--no-inline-suppressions``, ``--baseline`` path and bytes), the explicit PATHs (and whether
each is a file) and the ``--stdin-filename``. ``--fail-on``, ``--exit-zero``, ``-q``, ``-o``
change no finding: they are applied when the entry is replayed. One entry per target: an
editor's buffer replaces the previous one's entry for that file.

**Entry value**: the *state* the run depended on, checked by ``stat`` calls alone — every folder
the discovery walk listed (mtime and a digest of its names and kinds: a changed mtime is listed
again and compared, so an editor's temporary file does not make a miss), every file the model
read (size, mtime, ctime, inode, mode: a file put back with its old mtime still differs by
ctime), files it looked for and did not find, the ignore files and ancestors' ``.git`` the walk
consulted, the executable bit of extension-less files (it makes a script), the ``rule-packs``
folders, a keyed digest of ``--stdin-filename``'s buffer — and the report itself, as printed,
for up to :data:`MAX_VARIANTS` output variants (format, ``--statistics``, colour, cwd, CI root),
the summary line, the highest severity shown, the configuration's ``fail-on``, plugin warnings
and the ``-v`` lines. Replaying text rather than findings is deliberate: rebuilding
:class:`~aemlint.types.Finding` objects alone imports ``dataclasses``/``inspect`` (≈ 25 ms, twice
Python's start-up), so a hit imports none of the rules, the model, the parsers or the
reporters. A run in another variant whose state still holds is a miss that keeps the entry's
other variants when the state it records is the same (digests made with the entry's salt).

**Racy files** (git's "racy clean" problem): a file modified within the timestamp granularity of
its read could change again without changing its stat. A file whose mtime or ctime is within
:data:`RACY_NS` of the moment it was read gets a keyed digest of the very bytes that were linted,
compared on every hit; such a folder is listed again on every hit. A racy file that could not
be read makes the run uncacheable; so does a ``rule-packs`` file changed since shortly before
the run (it is recorded after its rules were loaded), and so does a configuration, baseline or
aemlint file changed while the run ran.

**Secrets**: the report holds what was printed (no secret values, SPEC §5); the only digests of
file content (racy files, stdin) are keyed BLAKE2b with a random per-entry salt.

**Concurrency and corruption**: entries are written with :func:`aemlint.cache.write_atomic`
(temporary file + rename, private to the user), so a reader sees a whole entry or none;
concurrent writers each write a self-consistent entry, and the last rename wins. Anything
unreadable, malformed or foreign is a miss. At most :data:`MAX_ENTRIES` entries are kept per
project (oldest removed), and a project's folder goes after a month without a write.

Not cached: ``--no-cache``, ``--fix``/``--unsafe-fixes``/``--diff``, ``--write-baseline``.
Not tracked: where a symbolic link points (links are never followed; only ``-v`` notes could
differ), and a file rewritten with the same size, mtime, ctime and inode (only a clock or
file-system tool could).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from aemlint import __version__
from aemlint.cache import (
    JsonCache,
    blake2b,
    digest,
    entry_points_key,
    prune,
    user_cache_dir,
    write_atomic,
)

TYPE_CHECKING = False  # not `typing` (≈ 4 ms): a hit imports as little as it can
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

FORMAT = "aemlint-result/1"
RACY_NS = 3_000_000_000  # coarse file-system timestamps (FAT: 2 s) and clock steps
MAX_ENTRIES = 64
MAX_VARIANTS = 4
#: As :data:`aemlint.types.SEVERITY_RANK` (not imported: the hit path stays light).
RANK = {"info": 0, "warning": 1, "error": 2}


def _mac(data: bytes, salt: bytes) -> str:
    return blake2b(data, key=salt, digest_size=16).hexdigest()


def _kind(entry: os.DirEntry[str]) -> str:
    try:
        if entry.is_dir(follow_symlinks=False):
            return "d"
        return "l" if entry.is_symlink() else "f"
    except OSError:
        return "?"


def _listing(entries: Sequence[os.DirEntry[str]]) -> str:
    """A digest of a folder's names and kinds: what discovery's decisions rest on."""
    names = sorted(f"{e.name}\0{_kind(e)}" for e in entries)
    data = "\n".join(names).encode("utf-8", "surrogateescape")
    return blake2b(data, digest_size=16).hexdigest()


def _stamp_tree(folder: str, out: list[str]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        out.append(f"{folder}\0unreadable")
        return
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _stamp_tree(entry.path, out)
                continue
            st = entry.stat(follow_symlinks=False)
        except OSError:
            out.append(f"{entry.path}\0?")
            continue
        out.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")


def _plugin_folder(value: str) -> str | None:
    """Where a plugin's top-level package lives, found without importing it."""
    top = value.partition(":")[0].strip().split(".")[0]
    if not top or top == "aemlint":
        return None
    import importlib.util

    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError, AttributeError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return next(iter(spec.submodule_search_locations), None)
    return spec.origin


def own_stamp() -> str:
    """The stamps of aemlint's own files and data: a changed editable install (same version,
    other code) is another key."""
    import aemlint
    from aemlint.resources import data_path

    package = os.path.dirname(os.path.abspath(aemlint.__file__))
    return _stamp([package, str(data_path("rules")), str(data_path("schemas"))])


def plugin_stamp(entry_points: Sequence[Any]) -> str:
    """The stamps of each plugin's package (found without importing it)."""
    folders = []
    for entry in entry_points:
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[1], str):
            where = _plugin_folder(entry[1])
            if where is not None:
                folders.append(where)
    return _stamp(folders)


def _stamp(folders: list[str]) -> str:
    out: list[str] = []
    for folder in dict.fromkeys(folders):
        if os.path.isdir(folder):
            _stamp_tree(folder, out)
        else:
            try:
                st = os.stat(folder)
                out.append(f"{folder}\0{st.st_size}\0{st.st_mtime_ns}")
            except OSError:
                out.append(f"{folder}\0missing")
    return blake2b("\n".join(out).encode("utf-8", "surrogateescape")).hexdigest()


class Recorder:
    """What a run's result depends on, collected while it runs (the miss path). A
    :class:`aemlint.discovery.WalkRecord` for the walk; :meth:`input` for the model's reads."""

    def __init__(self, root: Path, salt: bytes | None = None) -> None:
        self.root = os.fspath(root)
        self.started = time.time_ns()
        self.salt = salt or os.urandom(16)
        self.reliable = True
        # root-relative POSIX path → [size, mtime, ctime, inode, mode, keyed digest if racy]
        self.files: dict[str, list[Any]] = {}
        self.outside: dict[str, list[Any]] = {}  # absolute path → the same
        self.missing: set[str] = set()
        self.dirs: list[list[Any]] = []
        self.modes: dict[str, bool] = {}
        self.exist: dict[str, bool] = {}

    # -- the discovery walk (WalkRecord) --------------------------------------------------------

    def folder(self, rel: str, mtime_ns: int | None, entries: Sequence[os.DirEntry[str]]) -> None:
        racy = mtime_ns is None or mtime_ns >= time.time_ns() - RACY_NS
        self.dirs.append([rel, mtime_ns, _listing(entries), racy])

    def mode(self, rel: str, executable: bool) -> None:
        self.modes[rel] = executable

    def ignore_file(self, path: str, st: os.stat_result, data: bytes) -> None:
        self._stat(self.outside if os.path.isabs(path) else self.files, path, st, data)

    def exists(self, path: str, exists: bool) -> None:
        self.exist.setdefault(path, exists)

    def unreliable(self) -> None:
        self.reliable = False

    # -- the model's reads -----------------------------------------------------------------------

    def input(self, rel: str, st: os.stat_result | None, content: bytes | None) -> None:
        """A file the model read (``st`` taken before reading; ``content`` the bytes linted,
        None when unreadable); ``st`` None: it did not exist."""
        if rel in self.files or rel in self.missing:
            return  # the first read decides; a later one of changed content is a miss anyway
        if st is None:
            self.missing.add(rel)
        else:
            self._stat(self.files, rel, st, content)

    def tree(self, folder: Path) -> None:
        """Every folder and file below ``folder`` (inside the root): a ``rule-packs`` folder,
        recorded after it was read (when the rules were loaded), so anything changed since
        shortly before the run started makes the run uncacheable."""
        rel = os.path.relpath(folder, self.root).replace(os.sep, "/")
        if rel == ".." or rel.startswith("../"):
            self.reliable = False
            return
        self._tree(os.fspath(folder), "" if rel == "." else rel)

    def _tree(self, folder: str, rel: str) -> None:
        recent = self.started - RACY_NS
        try:
            mtime = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            self.reliable = False
            return
        if mtime >= recent:
            self.reliable = False
        self.folder(rel, mtime, entries)
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    self._tree(entry.path, sub)
                    continue
                st = os.stat(entry.path)
            except OSError:
                self.reliable = False
                continue
            if st.st_mtime_ns >= recent:  # perhaps changed after its rules were loaded
                self.reliable = False
                continue
            self.files.setdefault(sub, _row(st, None))

    def _stat(
        self, table: dict[str, list[Any]], path: str, st: os.stat_result, data: bytes | None
    ) -> None:
        if path in table:
            return
        mac = None
        if max(st.st_mtime_ns, st.st_ctime_ns) >= time.time_ns() - RACY_NS:
            if data is None:
                self.reliable = False
                return
            mac = _mac(data, self.salt)
        table[path] = _row(st, mac)

    def state(self) -> dict[str, Any]:
        files: dict[str, list[Any]] = {}  # by folder: a tenth of the bytes to read on a hit
        for path, row in self.files.items():
            folder, _, name = path.rpartition("/")
            files.setdefault(folder, []).append([name, *row])
        return {
            "files": files,
            "outside": [[p, *v] for p, v in self.outside.items()],
            "missing": sorted(self.missing),
            "dirs": self.dirs,
            "modes": [[p, x] for p, x in sorted(self.modes.items())],
            "exist": [[p, x] for p, x in sorted(self.exist.items())],
        }


def _row(st: os.stat_result, mac: str | None) -> list[Any]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode, mac]


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


class Hit:
    """A replayable run: the report as printed and what the exit code and ``-v`` need."""

    __slots__ = ("fail_on", "not_an_input", "rank", "report", "summary", "verbose", "warnings")

    def __init__(
        self,
        report: str,
        summary: str,
        rank: int,
        fail_on: str,
        warnings: list[str],
        verbose: list[str] | None,
        not_an_input: bool = False,
    ) -> None:
        self.report = report
        self.summary = summary
        self.rank = rank
        self.fail_on = fail_on
        self.warnings = warnings
        self.verbose = verbose
        self.not_an_input = not_an_input  # --stdin-filename names no input: exit 0, silently

    def fails(self, fail_on: str | None) -> bool:
        return self.rank >= RANK[fail_on or self.fail_on]


def variant(fmt: str, statistics: bool, color: bool, cwd: Path, ci_base: str) -> str:
    """What, besides the findings, the printed report depends on."""
    return json.dumps([fmt, statistics, color and fmt == "full", os.fspath(cwd), ci_base])


def _digest_of(path: Path | None) -> str | None:
    return None if path is None else blake2b(path.read_bytes()).hexdigest()


class Probe:
    """One run's entry: its name is computed before anything is parsed, from cheap facts.

    The entry is written only if what the name rests on did not change while the run ran (the
    configuration, the baseline, aemlint's code, the plugins): the findings were made from what
    was read at the start.
    """

    def __init__(
        self,
        root: Path,
        inputs: tuple[Path | None, Path | None],
        parts: list[Any],
        stdin: bytes | None,
    ) -> None:
        self.root = root
        self.inputs = inputs  # the configuration file and the baseline, whose bytes are keyed
        self.parts = parts
        self.stdin = stdin
        self.own = own_stamp()
        self.looked_up: str | None = None
        self.prior: Any = None  # an entry whose state holds, without this run's variant
        self.folder = user_cache_dir() / "results" / digest(os.fspath(root))[:24]

    @classmethod
    def open(
        cls,
        root: Path,
        config_file: Path | None,
        *,
        options: Sequence[Any],
        baseline: Path | None,
        targets: Sequence[tuple[str, bool]],
        stdin_name: str | None,
        stdin: bytes | None,
    ) -> Probe | None:
        """None when an input of the key cannot be read (the run reports it)."""
        try:
            digests = [_digest_of(config_file), _digest_of(baseline)]
        except OSError:
            return None
        parts: list[Any] = [
            FORMAT,
            __version__,
            sys.version,
            os.fspath(root),
            None if config_file is None else os.fspath(config_file),
            None if baseline is None else os.fspath(baseline),
            digests,
            list(options),
            [list(t) for t in targets],
            stdin_name,
        ]
        return cls(root, (config_file, baseline), parts, stdin)

    def key(self) -> str | None:
        """None when the rule set is not known without loading it (no cached entry points)."""
        site = entry_points_key()
        table = JsonCache(user_cache_dir() / "meta").get(site)
        if not isinstance(table, list):
            return None
        return digest(*self.parts, site, table, self.own, plugin_stamp(table))

    def unchanged(self) -> bool:
        """What the key rests on is as it was when the run started."""
        try:
            if [_digest_of(path) for path in self.inputs] != self.parts[6]:
                return False
        except OSError:
            return False
        return own_stamp() == self.own

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _read(self, key: str) -> Any:
        try:
            with open(self._path(key), "rb") as handle:
                return json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return None

    def lookup(self, variant: str, verbose: bool) -> Hit | None:
        key = self.looked_up = self.key()
        if key is None:
            return None
        data = self._read(key)
        try:
            return self._valid(data, key, variant, verbose)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # a foreign or damaged entry

    def _valid(self, data: Any, key: str, variant: str, verbose: bool) -> Hit | None:
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        if data.get("not_an_input") is True:  # decided by the path alone (and aemlint's code)
            return Hit("", "", -1, "error", [], None, not_an_input=True)
        salt = bytes.fromhex(data["salt"])
        if self.stdin is not None and data["stdin"] != _mac(self.stdin, salt):
            return None
        if not self._same_state(data["state"], salt):
            return None
        report = next((text for v, text in data["reports"] if v == variant), None)
        lines = data["verbose"]
        if not isinstance(report, str) or (verbose and lines is None):
            # The state is the entry's: the run to come keeps its other variants (same salt,
            # so that its state can be compared with the entry's, digests included).
            self.prior = data
            return None
        return Hit(
            report,
            str(data["summary"]),
            int(data["rank"]),
            str(data["fail_on"]),
            [str(w) for w in data["warnings"]],
            None if lines is None else [str(line) for line in lines],
        )

    def recording_salt(self) -> bytes | None:
        return None if self.prior is None else bytes.fromhex(self.prior["salt"])

    def _same_state(self, state: Any, salt: bytes) -> bool:
        """Every recorded fact still holds, by stat calls (and digests of racy files)."""
        root = os.fspath(self.root)
        prefix = root.rstrip(os.sep) + os.sep
        for path, exists in state["exist"]:
            if os.path.lexists(path) != exists:
                return False
        for rel in state["missing"]:
            if os.path.lexists(prefix + rel):
                return False
        for rel, mtime, listing, racy in state["dirs"]:
            folder = prefix + rel if rel else root
            if not racy and _mtime(folder) == mtime:
                continue
            try:
                with os.scandir(folder) as it:
                    if _listing(list(it)) != listing:
                        return False
            except OSError:
                return False
        for rel, executable in state["modes"]:
            try:
                if bool(os.lstat(prefix + rel).st_mode & 0o111) != executable:
                    return False
            except OSError:
                return False
        for folder, rows in state["files"].items():
            if not _same(rows, f"{prefix}{folder}/" if folder else prefix, salt):
                return False
        return _same(state["outside"], "", salt)

    def store(
        self,
        recorder: Recorder,
        *,
        variant: str,
        report: str,
        summary: str,
        rank: int,
        fail_on: str,
        warnings: Sequence[str],
        verbose: Sequence[str] | None,
    ) -> None:
        """Write the entry (a cache that cannot be written is only slower)."""
        if not recorder.reliable or not self.unchanged():
            return
        key = self.key()
        if key is None or (self.looked_up is not None and key != self.looked_up):
            return
        from aemlint.model.gc_pause import gc_paused  # a miss: the model is loaded already

        # The project model is still alive: the collector would walk it for every few hundred
        # lists made here (≈ 0.8 s on 10,000 configurations).
        with gc_paused():
            reports = [[variant, report]]
            lines = None if verbose is None else list(verbose)
            state = recorder.state()
            old = self.prior
            if old is not None and old["key"] == key and old["state"] == state:
                # Made from the same state (its digests made with the same salt), so from the same
                # findings: the entry's other reports are this run's too.
                try:
                    for v, text in old["reports"]:
                        if len(reports) < MAX_VARIANTS and v != variant:
                            reports.append([v, text])
                    if lines is None and old["verbose"] is not None:
                        lines = [str(line) for line in old["verbose"]]
                except (KeyError, TypeError, ValueError):
                    pass
            value = {
                "format": FORMAT,
                "key": key,
                "salt": recorder.salt.hex(),
                "created": time.time_ns(),
                "stdin": None if self.stdin is None else _mac(self.stdin, recorder.salt),
                "state": state,
                "summary": summary,
                "rank": rank,
                "fail_on": fail_on,
                "warnings": list(warnings),
                "verbose": lines,
                "reports": reports,
            }
            self._write(key, value)

    def store_not_an_input(self) -> None:
        """``--stdin-filename`` named a file that is not an aemlint input: remember it (an
        editor may run aemlint on every file it saves)."""
        key = self.key()
        if key is not None and self.unchanged() and self.looked_up in (None, key):
            self._write(key, {"format": FORMAT, "key": key, "not_an_input": True})

    def _write(self, key: str, value: dict[str, Any]) -> None:
        try:
            # ASCII: a file name that is not UTF-8 (surrogate escapes) still round-trips.
            write_atomic(self._path(key), json.dumps(value))
        except (OSError, ValueError):
            return  # a cache that cannot be written is only slower
        self._prune()

    def _prune(self) -> None:
        prune(self.folder, MAX_ENTRIES)
        now = time.time_ns()
        # Projects not checked for a month: their folder goes (its mtime is its last write).
        month = now - 30 * 24 * 3600 * 1_000_000_000
        try:
            with os.scandir(self.folder.parent) as it:
                old = [e.path for e in it if e.is_dir() and e.stat().st_mtime_ns < month]
        except OSError:
            return
        if old:
            import shutil

            for folder in old:
                shutil.rmtree(folder, ignore_errors=True)


def _same(rows: Sequence[Sequence[Any]], prefix: str, salt: bytes) -> bool:
    """Every file still has its recorded size, mtime and mode (and content, where racy)."""
    stat = os.stat
    for path, size, mtime, ctime, ino, mode, mac in rows:
        try:
            st = stat(prefix + path)
        except OSError:
            return False
        if (
            st.st_mtime_ns != mtime
            or st.st_ctime_ns != ctime
            or st.st_size != size
            or st.st_ino != ino
            or st.st_mode != mode
        ):
            return False
        if mac is not None:
            try:
                with open(prefix + path, "rb") as handle:
                    if _mac(handle.read(), salt) != mac:
                        return False
            except OSError:
                return False
    return True
