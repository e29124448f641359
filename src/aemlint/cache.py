"""Small JSON caches in the user's cache folder (never inside the checked repository).

JSON only (never pickle), written atomically (temporary file + rename) so concurrent runs never
read a half-written entry. A missing, unreadable or malformed entry is simply a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class JsonCache:
    """A folder of JSON entries, each named by a key; disabled when ``folder`` is None."""

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


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
