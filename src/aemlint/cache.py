"""Small JSON caches in the user's cache folder (never inside the checked repository).

JSON only (never pickle), written atomically (temporary file + rename) so concurrent runs never
read a half-written entry. A missing, unreadable or malformed entry is simply a miss.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

try:  # hashlib's own BLAKE2, without hashlib's OpenSSL start-up (≈ 2.5 ms on the on-save path)
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - not CPython
    from hashlib import blake2b as blake2b

TYPE_CHECKING = False  # not `typing` (≈ 4 ms): this module is on the on-save path
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

_chosen: list[Path] = []


@contextmanager
def cache_dir_chosen(folder: Path | None) -> Iterator[None]:
    """``--cache-dir``: use ``folder`` as the cache folder while the block runs."""
    if folder is None:
        yield
        return
    _chosen.append(folder)
    try:
        yield
    finally:
        _chosen.pop()


def user_cache_dir() -> Path:
    """``--cache-dir``, ``$AEMLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/aemlint``,
    ``~/Library/Caches/aemlint`` or ``%LOCALAPPDATA%``."""
    if _chosen:
        return _chosen[-1]
    override = os.environ.get("AEMLINT_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "aemlint"
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "aemlint" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aemlint"


def digest(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, default=str).encode("utf-8", "surrogateescape")
    return blake2b(data, digest_size=32).hexdigest()


STALE_TMP_NS = 3600 * 1_000_000_000  # a temporary file this old was left by a killed run


def prune(folder: Path | str, keep: int) -> None:
    """Keep the ``keep`` newest ``.json`` entries of ``folder`` (by mtime: a write's time) and
    remove temporary files left an hour ago by a run that was killed. Another run removing
    the same file first is fine; a folder that cannot be listed is left as it is."""
    from contextlib import suppress

    try:
        with os.scandir(folder) as it:
            entries = [(e.stat().st_mtime_ns, e.path) for e in it if e.is_file()]
    except OSError:
        return
    now = time.time_ns()
    stale = [p for m, p in entries if p.endswith(".tmp") and m < now - STALE_TMP_NS]
    kept = sorted((m, p) for m, p in entries if p.endswith(".json"))
    stale += [p for _, p in kept[: max(0, len(kept) - keep)]]
    for path in stale:
        with suppress(OSError):
            os.unlink(path)


class JsonCache:
    """A folder of JSON entries, each named by a key; disabled when ``folder`` is None.

    At most :attr:`MAX_ENTRIES` are kept (the oldest go when one is written): every change to
    a configuration file or a plugin installation makes a new entry.
    """

    MAX_ENTRIES = 256

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> Any:
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{key}.json", encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        try:
            write_atomic(self.folder / f"{key}.json", json.dumps(value, sort_keys=True))
        except OSError:
            return  # a cache that cannot be written is only slower
        prune(self.folder, self.MAX_ENTRIES)


def write_atomic(
    path: Path,
    text: str,
    encoding: str = "utf-8",
    *,
    mode: int | None = None,
    durable: bool = False,
) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    ``mode``: the permissions the file gets (default: the temporary file's, 0600);
    ``durable``: the content reaches the disk before the rename (fsync).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # not on the on-save path: only a miss writes

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def site_fingerprint() -> list[list[object]]:
    """What decides the entry-point table: the package folders on ``sys.path`` and their mtimes.

    Only ``site-packages``/``dist-packages`` folders hold installed distributions; the current
    folder and source folders are left out, so saving a file never invalidates the table.
    """
    out: list[list[object]] = []
    for entry in sys.path:
        if os.path.basename(entry.rstrip("/\\")) not in ("site-packages", "dist-packages"):
            continue
        try:
            out.append([entry, os.stat(entry).st_mtime_ns])
        except OSError:
            out.append([entry, None])
    return out


def entry_points_key() -> str:
    """The meta-cache key of the entry-point table: aemlint's version and the site folders."""
    from aemlint import __version__

    return "entry-points-" + digest(__version__, site_fingerprint())
