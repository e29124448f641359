"""``gitlab``: GitLab Code Quality JSON (the merge-request widget and the code quality report).

Each issue: ``description``, ``check_name``, ``fingerprint`` (unique, line-independent),
``severity`` (error → major, warning → minor, info → info), ``location.path`` (relative to the
git work tree) and ``location.lines.begin``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from aemlint.fingerprints import fingerprints
from aemlint.reporters import ReportContext
from aemlint.types import Finding

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    issues = [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.name}",
            "fingerprint": fp,
            "severity": SEVERITIES[f.severity],
            "location": {
                "path": ctx.ci_path(f.path),
                "lines": {"begin": f.span.line if f.span is not None else 1},
            },
        }
        for f, fp in zip(findings, fingerprints(findings, ctx.project), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
