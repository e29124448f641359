"""``sarif``: SARIF 2.1.0 as GitHub code scanning accepts it.

``tool.driver.rules`` lists every rule that ran (help text from its documentation), each result
carries ``ruleId``, ``ruleIndex`` and ``level`` (error → error, warning → warning, info → note),
artifact URIs are percent-encoded and relative to ``%SRCROOT%`` (the git work tree, declared in
``originalUriBaseIds``), columns count Unicode code points, ``partialFingerprints`` never use line
numbers, and at most 25,000 results are written per run (GitHub's cap), the rest summarised in a
tool notification. Findings hidden by an inline suppression follow the others, each with
``suppressions: [{"kind": "inSource", "justification": reason}]`` (SARIF §3.35); fingerprints are
computed over all of them together, so suppressing one finding never renumbers another. Findings
a baseline hid are not written (code scanning would open alerts for them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from aemlint import __version__
from aemlint.fingerprints import VERSION, fingerprints
from aemlint.reporters import ReportContext
from aemlint.types import Finding, Location, Span

MAX_RESULTS = 25_000
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aemlint/aemlint"


def _region(span: Span | None) -> dict[str, int] | None:
    if span is None:
        return None
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _physical(location: Location, ctx: ReportContext) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": quote(ctx.ci_path(location.path)), "uriBaseId": "%SRCROOT%"}
    }
    region = _region(location.span)
    if region is not None:
        physical["region"] = region
    return physical


def _rule(r: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.summary},
        "help": {"text": r.doc, "markdown": r.doc},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "properties": {"tags": [r.group], "fix": r.fix},
    }
    return entry


def _result(
    f: Finding, fp: str, index: dict[str, int], ctx: ReportContext, justification: str | None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(Location(f.path, f.span), ctx)}],
        "partialFingerprints": {VERSION: fp},
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(r, ctx), "message": {"text": r.message}}
            for i, r in enumerate(f.related, start=1)
        ]
    if f.fix is not None:
        result["properties"] = {
            "fix": {"applicability": f.fix.applicability, "message": f.fix.message}
        }
    if justification is not None:
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if justification:
            suppression["justification"] = justification
        result["suppressions"] = [suppression]
    return result


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    rules = sorted(ctx.rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    entries: list[tuple[Finding, str | None]] = [(f, None) for f in findings]
    entries += [(s.finding, s.justification) for s in ctx.suppressed]
    order = sorted(range(len(entries)), key=lambda i: entries[i][0].sort_key())
    prints: list[str] = [""] * len(entries)
    for i, fp in zip(order, fingerprints([entries[i][0] for i in order], ctx.project), strict=True):
        prints[i] = fp
    results = [
        _result(f, fp, index, ctx, justification)
        for (f, justification), fp in zip(entries[:MAX_RESULTS], prints, strict=False)
    ]
    total = len(entries)
    base = (ctx.ci_root or ctx.root).resolve().as_uri().rstrip("/") + "/"
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if total > MAX_RESULTS:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {
                    "text": f"{total - MAX_RESULTS} more results were not written: SARIF "
                    f"consumers accept at most {MAX_RESULTS} per run (run aemlint with a "
                    "narrower selection or path to see them)"
                },
            }
        ]
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aemlint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base}},
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
