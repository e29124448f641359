"""Line-independent identities of findings (SPEC §5 "Fingerprints").

identity = (code, project-relative folder, PID or factory PID + name — or the file name for a
source that is not an OSGi configuration —, property or variable name, occurrence index). No line
numbers: inserting lines above a finding never changes its fingerprint. The occurrence index
tells apart findings that share everything else, in report order. SARIF ``partialFingerprints``
and GitLab ``fingerprint`` use it; baselines will add a keyed hash of the value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aemlint.types import Finding

if TYPE_CHECKING:
    from aemlint.model.project import Project

VERSION = "aemlint/v1"


def identity(f: Finding, project: Project) -> tuple[str, str, str, str]:
    cfg = project.config_at(f.path)
    subject = cfg.key if cfg is not None else f.path.name
    return (f.code, f.path.parent.as_posix(), subject, f.context.property or "")


def fingerprints(findings: Sequence[Finding], project: Project) -> list[str]:
    """One stable hex fingerprint per finding, unique within the report."""
    seen: dict[tuple[str, str, str, str], int] = {}
    out = []
    for f in findings:
        ident = identity(f, project)
        index = seen.get(ident, 0)
        seen[ident] = index + 1
        raw = json.dumps([*ident, index], ensure_ascii=False)
        out.append(hashlib.sha256(raw.encode()).hexdigest()[:32])
    return out
