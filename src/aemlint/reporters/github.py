"""``github``: GitHub Actions workflow commands, one per finding (annotations on the diff).

``::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message``; warning →
``::warning``, info → ``::notice``. Escaping as the Actions toolkit does: ``%``, CR and LF in the
message; also ``:`` and ``,`` in property values (a comma would end the property).
"""

from __future__ import annotations

from collections.abc import Sequence

from aemlint.reporters import ReportContext
from aemlint.types import Finding

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def line(f: Finding, ctx: ReportContext) -> str:
    props = [f"file={escape_property(ctx.ci_path(f.path))}"]
    if f.span is not None:
        props += [
            f"line={f.span.line}",
            f"col={f.span.column}",
            f"endLine={f.span.end_line}",
            f"endColumn={f.span.end_column}",
        ]
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    return f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(f.message)}"


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    return "".join(line(f, ctx) + "\n" for f in findings)
