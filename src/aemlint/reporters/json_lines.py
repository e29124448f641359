"""``json-lines``: one finding per line, the fields of ``json``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from aemlint.reporters import ReportContext
from aemlint.reporters.json import finding_dict
from aemlint.types import Finding


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    return "".join(json.dumps(finding_dict(f, ctx), ensure_ascii=False) + "\n" for f in findings)
