"""The project root and its configuration file (SPEC §1 "Project root", §2): the first thing every
run needs, so this module stays light (the on-save path imports it; no TOML parser unless a
``pyproject.toml`` may hold a ``[tool.aemlint]`` table)."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAMES = ("aemlint.toml", ".aemlint.toml", "pyproject.toml")


def _has_tool_table(pyproject: Path) -> bool:
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    # Most pyproject.toml files never name aemlint: no TOML parser then. A quoted key could
    # still spell the name with escapes ("\u0061emlint"), so a backslash-u means parse.
    if b"aemlint" not in raw and b"\\u" not in raw and b"\\U" not in raw:
        return False
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "aemlint" in tool


def find_config(folder: Path) -> Path | None:
    """The configuration file in ``folder`` (first found wins), or None."""
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_root(first_path: Path | None, cwd: Path, use_config_files: bool = True) -> Path:
    """SPEC §1: nearest ancestor with a configuration; else the git work tree; else the PATH."""
    start = first_path if first_path is not None else cwd
    start_dir = start if start.is_dir() else start.parent
    if use_config_files:
        for folder in (start_dir, *start_dir.parents):
            if find_config(folder) is not None:
                return folder
    found = git_root(start_dir)
    if found is not None:
        return found
    return start_dir if first_path is not None else cwd
