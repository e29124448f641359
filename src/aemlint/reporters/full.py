"""``full``: grouped by file, a code frame with the value underlined, the fix hint, a summary.

The only module that imports rich. Code frames never show a secret: every secret span the
parser found is masked, and in a file the parser could not read to the end (where secrets after
the error are unknown) every string after a ``:`` on a shown line is masked too.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import groupby

from rich.console import Console
from rich.text import Text

from aemlint.masking import mask
from aemlint.reporters import ReportContext, summary
from aemlint.types import Finding

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _frame(f: Finding, lines: list[str]) -> Text:
    assert f.span is not None
    out = Text()
    first = max(1, f.span.line - 1)
    last = min(len(lines), f.span.end_line + 1)
    width = len(str(last))
    for number in range(first, last + 1):
        content = lines[number - 1].expandtabs(1)
        out.append(f"  {number:>{width}} │ ", style="dim")
        out.append(content + "\n")
        if f.span.line <= number <= f.span.end_line:
            start = f.span.column if number == f.span.line else 1
            end = f.span.end_column if number == f.span.end_line else len(content) + 1
            out.append(f"  {'':>{width}} │ ", style="dim")
            out.append(
                " " * (start - 1) + "^" * max(1, end - start) + "\n", style=STYLES[f.severity]
            )
    return out


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=ctx.color,
        no_color=not ctx.color,
        highlight=False,
        soft_wrap=True,
        width=120,
    )
    for path, group in groupby(findings, key=lambda f: f.path):
        console.print(Text(ctx.display_path(path), style="bold underline"))
        text = ctx.project.texts.get(path)
        cfg = ctx.project.config_at(path)
        lines: list[str] = []
        if text is not None:
            conservative = cfg is None or not cfg.parsed.readable
            lines = mask(text, ctx.project.secret_spans(path), conservative).splitlines()
        for f in group:
            row, col = (f.span.line, f.span.column) if f.span else (1, 1)
            head = Text(f"{row}:{col} ")
            head.append(f.severity, style=STYLES[f.severity])
            head.append(f" {f.code} ", style="bold")
            head.append(f.message)
            console.print(head)
            if f.span is not None and lines and f.span.line <= len(lines):
                console.print(_frame(f, lines), end="")
            if f.fix is not None:
                console.print(
                    Text(f"  fix ({f.fix.applicability}): {f.fix.message}", style="green")
                )
            for rel in f.related:
                console.print(
                    Text(
                        f"  related: {ctx.display_path(rel.path)}"
                        + (f":{rel.span.line}:{rel.span.column}" if rel.span else "")
                        + (f" {rel.message}" if rel.message else ""),
                        style="dim",
                    )
                )
        console.print()
    console.print(
        Text(
            summary(findings, ctx.files_checked, len(ctx.suppressed), ctx.baselined),
            style="bold",
        )
    )
    return buffer.getvalue()
