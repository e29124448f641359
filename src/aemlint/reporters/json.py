"""``json``: one array of findings with the fields of SPEC §5, in report order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aemlint.reporters import ReportContext
from aemlint.types import Finding, Fix, Span


def _pos(span: Span | None, end: bool) -> dict[str, int] | None:
    if span is None:
        return None if end else {"row": 1, "column": 1}
    return (
        {"row": span.end_line, "column": span.end_column}
        if end
        else {
            "row": span.line,
            "column": span.column,
        }
    )


def _fix(fix: Fix | None, ctx: ReportContext) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [
            {
                "filename": ctx.display_path(e.path),
                "content": e.content,
                "location": _pos(e.span, False),
                "end_location": _pos(e.span, True),
            }
            for e in fix.edits
        ],
        "renames": [
            {"from": ctx.display_path(a), "to": ctx.display_path(b)} for a, b in fix.renames
        ],
        "deletes": [ctx.display_path(p) for p in fix.deletes],
    }


def finding_dict(f: Finding, ctx: ReportContext) -> dict[str, Any]:
    c = f.context
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "filename": ctx.display_path(f.path),
        "location": _pos(f.span, False),
        "end_location": _pos(f.span, True),
        "fix": _fix(f.fix, ctx),
        "url": f.url,
        "context": {
            "pid": c.pid,
            "factory_pid": c.factory_pid,
            "name": c.name,
            "property": c.property,
            "run_modes": list(c.run_modes),
            "environments": list(c.environments),
            "services": list(c.services),
        },
        "related": [
            {
                "filename": ctx.display_path(r.path),
                "location": _pos(r.span, False),
                "end_location": _pos(r.span, True),
                "message": r.message,
            }
            for r in f.related
        ],
    }


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    return json.dumps([finding_dict(f, ctx) for f in findings], indent=2, ensure_ascii=False) + "\n"
