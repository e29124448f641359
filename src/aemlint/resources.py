"""Locating the data folders ``schemas/`` and ``rules/`` (top level in the source tree).

In a wheel they are package data under ``aemlint/_data/``; in an editable install the
force-included copies do not exist, so the loader falls back to the source tree.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    """The path of a shipped data file or folder, e.g. ``data_path("schemas", "x.json")``."""
    packaged = _PACKAGE.joinpath("_data", *parts)
    if packaged.exists():
        return packaged
    return _PACKAGE.parents[1].joinpath(*parts)
