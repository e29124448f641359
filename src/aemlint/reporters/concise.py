"""``path:row:col: CODE [severity] message`` — one line per finding (also the snapshot format)."""

from __future__ import annotations

from collections.abc import Sequence

from aemlint.reporters import ReportContext
from aemlint.types import Finding


def line(f: Finding, ctx: ReportContext) -> str:
    row, col = (f.span.line, f.span.column) if f.span is not None else (1, 1)
    message = " ".join(f.message.splitlines())
    return f"{ctx.display_path(f.path)}:{row}:{col}: {f.code} [{f.severity}] {message}"


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    return "".join(line(f, ctx) + "\n" for f in findings)
