"""Report formats. Each module has ``render(findings, ctx) -> str``; only ``full`` imports rich.

Redaction happened long before a reporter runs: findings carry no secret text (messages show
``<redacted N chars>``), and the code frames of ``full`` mask every secret span of the file.
Findings hidden by an inline suppression are in ``ctx.suppressed``: only ``sarif`` writes them
(with ``suppressions``); the summary line counts them and those a baseline hid.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, cast

from aemlint.types import Finding, Suppressed

if TYPE_CHECKING:
    from aemlint.model.project import Project
    from aemlint.registry import Rule

FORMATS: dict[str, str] = {
    "full": "aemlint.reporters.full",
    "concise": "aemlint.reporters.concise",
    "json": "aemlint.reporters.json",
    "json-lines": "aemlint.reporters.json_lines",
    "sarif": "aemlint.reporters.sarif",
    "github": "aemlint.reporters.github",
    "gitlab": "aemlint.reporters.gitlab",
    "junit": "aemlint.reporters.junit",
}

Render = Callable[[Sequence[Finding], "ReportContext"], str]


@dataclass(frozen=True, slots=True)
class ReportContext:
    cwd: Path
    root: Path
    project: Project
    color: bool = False
    checked: tuple[PurePosixPath, ...] = ()
    rules: tuple[Rule, ...] = ()
    ci_root: Path | None = None  # the git work tree: what CI systems map paths to
    suppressed: tuple[Suppressed, ...] = ()  # hidden by inline suppressions
    baselined: int = 0  # hidden by --baseline

    @property
    def files_checked(self) -> int:
        return len(self.checked)

    def ci_path(self, rel: PurePosixPath) -> str:
        """Relative to the git work tree (else the project root), with ``/``: for CI formats."""
        absolute = self.root.joinpath(*rel.parts) if rel.parts else self.root
        base = self.ci_root or self.root
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            return Path(os.path.relpath(absolute, base)).as_posix()

    def display_path(self, rel: PurePosixPath) -> str:
        """Relative to the cwd when under it, else absolute; always with ``/``."""
        return display_path(self.root, self.cwd, rel)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def renderer(fmt: str) -> Render:
    module = importlib.import_module(FORMATS[fmt])
    return cast(Render, module.render)


def _hidden(suppressed: int, baselined: int) -> str:
    parts = []
    if suppressed:
        parts.append(f"{suppressed} suppressed")
    if baselined:
        parts.append(f"{baselined} in the baseline")
    return f" ({', '.join(parts)})" if parts else ""


def summary(
    findings: Sequence[Finding], files_checked: int, suppressed: int = 0, baselined: int = 0
) -> str:
    """``Found 3 errors in 2 files (2 suppressed, 1 in the baseline).``"""
    hidden = _hidden(suppressed, baselined)
    if not findings:
        return f"No findings in {files_checked} file{'s' if files_checked != 1 else ''}{hidden}."
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    parts = [
        f"{n} {label}{'s' if n != 1 else ''}"
        for label, n in (
            ("error", counts["error"]),
            ("warning", counts["warning"]),
            ("info", counts["info"]),
        )
        if n
    ]
    files = len({f.path for f in findings})
    return f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''}{hidden}."


@lru_cache(maxsize=16)
def _root_prefix(root: Path, cwd: Path) -> str | None:
    """How every path of the project starts when read from ``cwd`` (``""`` when they are the
    same folder), or None when the root is not under ``cwd``."""
    if not _under(root, cwd):
        return None
    prefix = Path(os.path.relpath(root, cwd)).as_posix()
    return "" if prefix == "." else prefix + "/"


def display_path(root: Path, cwd: Path, rel: PurePosixPath) -> str:
    """A root-relative path as people read it: relative to ``cwd`` when under it, else
    absolute; always with ``/``."""
    prefix = _root_prefix(root, cwd)
    if prefix is not None and rel.parts:
        # Inputs never climb out of the root, so with the root under cwd so is every input:
        # one string join per finding instead of a relpath over pathlib objects.
        return prefix + rel.as_posix()
    absolute = root.joinpath(*rel.parts) if rel.parts else root
    try:
        return (
            Path(os.path.relpath(absolute, cwd)).as_posix()
            if _under(absolute, cwd)
            else absolute.as_posix()
        )
    except ValueError:  # another drive on Windows
        return absolute.as_posix()
