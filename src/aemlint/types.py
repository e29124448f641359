"""The small public types every layer shares: positions, violations, findings, secrets.

Positions: ``line`` and ``column`` are 1-based, columns count Unicode code points, the end is
exclusive. ``start``/``end`` are code-point offsets into the decoded text of the file, which is
what a fix edits before the text is encoded again (so they serve where byte offsets would).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import ClassVar, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: Mapping[str, int] = {"info": 0, "warning": 1, "error": 2}
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, slots=True)
class Span:
    """A range in one file: 1-based line/column (code points), end exclusive, plus offsets."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Location:
    """A place in the project, used for related locations of a finding."""

    path: PurePosixPath
    span: Span | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``start:end`` (offsets of ``span``) of ``path`` with ``content``.

    ``content`` is None when the replacement would carry a secret (it is then printed as a hint
    that the user completes by hand, never as text).
    """

    path: PurePosixPath
    span: Span
    content: str | None


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    renames: tuple[tuple[PurePosixPath, PurePosixPath], ...] = ()
    deletes: tuple[PurePosixPath, ...] = ()


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields: where and what, never its own code or severity (the engine adds them)."""

    message: str
    path: PurePosixPath
    span: Span | None
    related: tuple[Location, ...] = ()
    fix: Fix | None = None
    property: str | None = None
    environments: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    pid: str | None = None
    factory_pid: str | None = None
    name: str | None = None
    property: str | None = None
    run_modes: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """A violation stamped by the engine with the rule's code, name and configured severity."""

    code: str
    name: str
    severity: Severity
    message: str
    path: PurePosixPath
    span: Span | None
    related: tuple[Location, ...] = ()
    fix: Fix | None = None
    url: str | None = None
    context: Context = field(default_factory=Context)

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is None:
            return (self.path.as_posix(), 1, 1, self.code)
        return (self.path.as_posix(), self.span.line, self.span.column, self.code)


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding that an inline suppression hid, with the suppression's reason (SARIF carries it
    as a ``suppressions`` entry of kind ``inSource``; the other formats do not show it)."""

    finding: Finding
    justification: str = ""


class SecretLeak(AssertionError):
    """Raised in strict mode (tests) when a secret is turned into text by accident."""


class Secret:
    """A secret value. Formatting it never shows the value; only :meth:`reveal` does.

    ``str()``, ``repr()`` and f-strings give ``<redacted N chars>``. With the environment variable
    ``AEMLINT_STRICT_SECRETS=1`` (set by the test-suite) they raise :class:`SecretLeak` instead,
    so any accidental path from a secret to an output fails loudly. Code that means to show the
    placeholder text calls :meth:`redacted`.
    """

    __slots__ = ("_value",)
    strict: ClassVar[bool] = os.environ.get("AEMLINT_STRICT_SECRETS") == "1"

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def redacted(self) -> str:
        return f"<redacted {len(self._value)} chars>"

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def _leak(self) -> str:
        if Secret.strict:
            raise SecretLeak("a secret value was formatted as text")
        return self.redacted()

    def __str__(self) -> str:
        return self._leak()

    def __repr__(self) -> str:
        return self._leak()

    def __format__(self, spec: str) -> str:
        return self._leak()


def reveal(value: str | Secret) -> str:
    """The text of a value that may be a secret: for classification, never for output."""
    return value.reveal() if isinstance(value, Secret) else value
