"""Rules as data: the :class:`Rule` record, the ``@rule`` decorator and the rule set.

A rule is a function plus its metadata. Its documentation is its docstring: a one-line summary,
then the sections ``## What it does``, ``## Why is this bad?``, ``## Example``, ``## Use instead``,
``## Source`` (and ``## Fix safety`` when it has a fix); ``aemlint rule CODE`` prints it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from aemlint.types import Severity, Violation

if TYPE_CHECKING:
    from aemlint.model.project import Project
    from aemlint.model.secrets import SecretNamer

Scope = Literal["config", "project"]
FixKind = Literal["none", "safe", "unsafe"]
CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Source")


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may read besides its input: the project, its own options, the secret namer."""

    project: Project
    options: Mapping[str, Any]
    secrets: SecretNamer


Check = Callable[[Any, RuleContext], Iterable[Violation]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity, metadata and check function.

    ``scope="config"`` runs ``check(config, ctx)`` once per OSGi configuration whose PID (or
    factory PID) matches one of ``pids`` (fnmatch globs; empty = all); with ``readable_only``
    (the default) only on files the platform would install. ``scope="project"`` runs
    ``check(project, ctx)`` once.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    scope: Scope
    check: Check
    pids: tuple[str, ...] = ()
    fix: FixKind = "none"
    readable_only: bool = True
    options_schema: Mapping[str, Any] = field(default_factory=dict)
    origin: str = "aemlint"

    @property
    def group(self) -> str:
        return self.code.rstrip("0123456789")

    def sections(self) -> dict[str, str]:
        """The documentation's ``## `` sections by title."""
        out: dict[str, str] = {}
        for chunk in re.split(r"^## ", self.doc, flags=re.MULTILINE)[1:]:
            title, _, body = chunk.partition("\n")
            out[title.strip()] = body.strip()
        return out


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    pids: Sequence[str] = (),
    fix: FixKind = "none",
    readable_only: bool = True,
    options: Mapping[str, Any] | None = None,
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule`; its docstring is the documentation."""

    def wrap(func: Check) -> Rule:
        doc = inspect.cleandoc(func.__doc__ or "")
        summary = doc.split("\n", 1)[0].strip()
        return Rule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            doc=doc,
            scope=scope,
            check=func,
            pids=tuple(pids),
            fix=fix,
            readable_only=readable_only,
            options_schema=dict(options or {}),
        )

    return wrap


class DuplicateRuleError(Exception):
    """Two rules share a code or a name (exit 2, naming both origins)."""


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    _by_id: dict[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Rule] = {}
        for r in self.rules:
            for ident in (r.code, r.name):
                other = by_id.get(ident)
                if other is not None and other is not r:
                    raise DuplicateRuleError(
                        f"rule {ident!r} is defined twice: by {other.origin} ({other.code} "
                        f"{other.name}) and by {r.origin} ({r.code} {r.name})"
                    )
                by_id[ident] = r
        object.__setattr__(self, "_by_id", by_id)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code_or_name: str) -> Rule | None:
        return self._by_id.get(code_or_name) or self._by_id.get(code_or_name.upper())


@dataclass(frozen=True, slots=True)
class Selection:
    """flake8's selection: the longest matching entry decides; on a tie, ignore wins.

    Entries are codes, code prefixes (``SEC``, ``NET0``), rule names (which match exactly their
    code) and ``ALL`` (matches everything, with the lowest specificity).
    """

    select: tuple[str, ...]
    ignore: tuple[str, ...]

    @staticmethod
    def _match(entries: Iterable[str], code: str, name: str) -> int:
        best = -1
        for entry in entries:
            if entry == "ALL":
                best = max(best, 0)
            elif entry in (name, code):
                best = max(best, 100)
            elif code.startswith(entry):
                best = max(best, len(entry))
        return best

    def selects(self, r: Rule) -> bool:
        selected = self._match(self.select, r.code, r.name)
        if selected < 0:
            return False
        return selected > self._match(self.ignore, r.code, r.name)


def unknown_selectors(entries: Iterable[str], rules: RuleSet) -> list[str]:
    """Entries that match no rule at all (a typo the user should hear about)."""
    bad = []
    for entry in entries:
        if entry == "ALL" or rules.get(entry):
            continue
        if not any(r.code.startswith(entry) for r in rules):
            bad.append(entry)
    return bad
