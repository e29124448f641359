"""Semantic baselines: ``--write-baseline FILE`` records the current findings, ``--baseline FILE``
hides them (SPEC §1, §5).

A finding's key is its line-independent identity (:func:`aemlint.fingerprints.identity`: code,
project-relative folder, PID or factory PID + name or file name, property or variable name) plus a
keyed hash of its offending value: HMAC-SHA256 with the baseline's random salt, truncated to 64
bits. Inserting or removing lines elsewhere never resurrects an accepted finding; a changed value
(a rotated secret committed again, another port) is a new finding. Findings that share a key are
counted, so a second identical finding is reported.

The value hashed is the typed value of the property element the finding points into (what the
platform reads, so reformatting does not count as a change), else the source text under the
finding's span, else nothing. A secret is revealed only inside the HMAC computation; the file holds
no value, only the identity's names and the truncated MAC.

File format (JSON, keys sorted, indent 2, trailing newline, written atomically)::

    {
      "aemlint-baseline": 1,
      "algorithm": "hmac-sha256-64",
      "findings": [
        {"code": "SEC001", "count": 1, "folder": "…/osgiconfig/config",
         "property": "smtp.password", "subject": "com.day.cq.mailer.DefaultMailService",
         "value": "3f0c…"}
      ],
      "salt": "<32 hex digits>"
    }

``findings`` are sorted by folder, subject, property, code and value; ``property`` and ``value``
are null where a finding has none.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aemlint.fingerprints import identity
from aemlint.types import Finding, Secret

if TYPE_CHECKING:
    from aemlint.model.project import Project

FORMAT_VERSION = 1
ALGORITHM = "hmac-sha256-64"
MAC_HEX = 16  # 64 bits
SALT_HEX = 32
_FIELDS = ("code", "folder", "subject", "property", "value")

Key = tuple[str, str, str, str | None, str | None]


class BaselineError(Exception):
    """A missing or malformed baseline file (exit 2)."""


def _offending_value(f: Finding, project: Project) -> tuple[str, str | Secret] | None:
    """(a type tag, the value) of what ``f`` points at, or None for a finding without one."""
    span = f.span
    if span is None:
        return None
    cfg = project.config_at(f.path)
    if cfg is not None and f.context.property:
        prop = cfg.get(f.context.property)
        if prop is not None:
            for scalar in prop.values:
                if scalar.span.start <= span.start and span.end <= scalar.span.end:
                    value = scalar.value
                    if isinstance(value, str | Secret):
                        return prop.type_name, value
                    return prop.type_name, json.dumps(value)
    text = project.texts.get(f.path)
    if text is None or not 0 <= span.start <= span.end <= len(text):
        return None
    return "text", text[span.start : span.end]


def value_mac(f: Finding, project: Project, salt: bytes) -> str | None:
    """The truncated HMAC-SHA256 of ``f``'s offending value under ``salt``, or None."""
    found = _offending_value(f, project)
    if found is None:
        return None
    tag, value = found
    mac = hmac.new(salt, tag.encode("utf-8") + b"\x00", hashlib.sha256)
    mac.update((value.reveal() if isinstance(value, Secret) else value).encode("utf-8"))
    return mac.hexdigest()[:MAC_HEX]


def finding_key(f: Finding, project: Project, salt: bytes) -> Key:
    code, folder, subject, prop = identity(f, project)
    return (code, folder, subject, prop or None, value_mac(f, project, salt))


@dataclass(frozen=True, slots=True)
class Baseline:
    salt: bytes
    entries: Counter[Key]

    @classmethod
    def new(cls) -> Baseline:
        return cls(secrets.token_bytes(SALT_HEX // 2), Counter())

    def split(self, findings: Sequence[Finding], project: Project) -> tuple[list[Finding], int]:
        """(the findings not recorded here, how many were hidden). Each record hides one."""
        left = Counter(self.entries)
        shown: list[Finding] = []
        hidden = 0
        for f in findings:
            key = finding_key(f, project, self.salt)
            if left[key] > 0:
                left[key] -= 1
                hidden += 1
            else:
                shown.append(f)
        return shown, hidden

    def recording(self, findings: Sequence[Finding], project: Project) -> Baseline:
        """A baseline with this salt recording exactly ``findings``."""
        return Baseline(self.salt, Counter(finding_key(f, project, self.salt) for f in findings))

    def dumps(self) -> str:
        rows = sorted(
            self.entries.items(),
            key=lambda item: (
                item[0][1],
                item[0][2],
                item[0][3] or "",
                item[0][0],
                item[0][4] or "",
            ),
        )
        doc = {
            "aemlint-baseline": FORMAT_VERSION,
            "algorithm": ALGORITHM,
            "salt": self.salt.hex(),
            "findings": [dict(zip(_FIELDS, key, strict=True)) | {"count": n} for key, n in rows],
        }
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> None:
        from aemlint.cache import write_atomic

        write_atomic(path, self.dumps())


def _malformed(path: Path, reason: str) -> BaselineError:
    return BaselineError(f"{path}: not a valid aemlint baseline: {reason}")


def load_baseline(path: Path) -> Baseline:
    """Read and check a baseline file; :class:`BaselineError` with a clear message if it is bad."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BaselineError(
            f"baseline file not found: {path} (create it with --write-baseline {path})"
        ) from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        doc: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        where = (
            f" at line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise _malformed(path, f"not JSON{where}") from None
    if not isinstance(doc, dict) or doc.get("aemlint-baseline") is None:
        raise _malformed(path, 'no "aemlint-baseline" version key')
    if doc["aemlint-baseline"] != FORMAT_VERSION:
        raise _malformed(
            path, f"unsupported version {doc['aemlint-baseline']!r} (expected {FORMAT_VERSION})"
        )
    if doc.get("algorithm") != ALGORITHM:
        raise _malformed(path, f'"algorithm" must be "{ALGORITHM}"')
    salt = doc.get("salt")
    try:
        if not isinstance(salt, str) or len(salt) != SALT_HEX:
            raise ValueError
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        raise _malformed(path, f'"salt" must be {SALT_HEX} hexadecimal digits') from None
    rows = doc.get("findings")
    if not isinstance(rows, list):
        raise _malformed(path, '"findings" must be a list')
    entries: Counter[Key] = Counter()
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {*_FIELDS, "count"}:
            raise _malformed(
                path, f"findings[{i}]: must have exactly the keys {', '.join(sorted(row_keys()))}"
            )
        for name in _FIELDS:
            value = row[name]
            nullable = name in ("property", "value")
            if not (isinstance(value, str) or (nullable and value is None)):
                raise _malformed(path, f"findings[{i}].{name}: must be a string")
        count = row["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise _malformed(path, f"findings[{i}].count: must be a positive integer")
        key: Key = (row["code"], row["folder"], row["subject"], row["property"], row["value"])
        entries[key] += count
    return Baseline(salt_bytes, entries)


def row_keys() -> tuple[str, ...]:
    return (*_FIELDS, "count")
