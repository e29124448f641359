"""Inline suppressions and ``per-file-ignores`` (SPEC §1, §2, §4 AEM001).

Grammar, inside a comment of the file's own format::

    aemlint: ignore[SELECTOR, …] reason        the comment's line (trailing comment), or the
                                               next line (a comment alone on its line)
    aemlint: file-ignore[SELECTOR, …] reason   the whole file, wherever the comment is

A SELECTOR is a rule code (``SEC001``, any case), a code prefix (``SEC``, ``NET0``) or a rule name
(``hardcoded-secret``). The reason is the rest of the comment (optional; carried into SARIF as the
suppression's justification). Stacked suppressions alone on their lines all apply to the first
line below them that is not itself one — with its backslash-newline continuations (a shell
command, a Felix value, a properties entry), or, in XML, the whole tag (a comment cannot sit
among a tag's attributes, which hold a ``sling:OsgiConfig``'s properties). A suppression hides
the findings whose primary location starts on a line it covers (a file-level finding is on
line 1).

Where a format has comments:

| input | comment |
|---|---|
| ``.cfg.json`` | ``// …`` and ``/* … */`` outside strings |
| Felix ``.config`` | ``# …`` outside quoted values (also after a value) |
| ``.cfg`` (properties) | a line starting with ``#`` or ``!`` (never after a value); XML properties: ``<!-- … -->`` |
| ``sling:OsgiConfig`` XML | ``<!-- … -->`` |
| Cloud Manager YAML, CI YAML, shell, Makefile | ``# …`` at the start of a line or after whitespace, outside quotes |
| Jenkinsfile | ``// …`` and ``/* … */`` |
| strict JSON (networking, variables ``.json``) | none: use ``per-file-ignores`` or a baseline |

Only files whose text contains ``aemlint:`` are scanned. A comment that starts with ``aemlint:``
but does not follow the grammar suppresses nothing and is reported as AEM001.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal

from aemlint.parsing.text import LineIndex
from aemlint.types import Span, Violation

if TYPE_CHECKING:
    from aemlint.model.project import Project

MARKER = "aemlint:"
Style = Literal["c", "felix", "properties", "xml", "hash"]

_PREFIX = re.compile(r"[A-Za-z]{2,5}[0-9]{0,3}")
_DIRECTIVE = re.compile(
    r"aemlint:[ \t]*(?P<kind>file-ignore|ignore)[ \t]*\[(?P<selectors>[^\]\r\n]*)\](?P<reason>.*)",
    re.S,
)
_SELECTOR = re.compile(r"[A-Za-z0-9_-]+")


def selector_matches(selector: str, code: str, name: str) -> bool:
    """A code (any case), a code prefix, or a rule name (exact) matches the rule."""
    if selector == name:
        return True
    upper = selector.upper()
    return upper == code or (_PREFIX.fullmatch(selector) is not None and code.startswith(upper))


# -- comments -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment's body (delimiters removed), where the body starts, and its lines."""

    body: str
    body_start: int
    line: int
    end_line: int
    alone: bool  # nothing but whitespace before it on its first line and after it on its last


_C_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|//[^\r\n]*|/\*.*?(?:\*/|\Z)', re.S)
_GROOVY_TOKENS = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?|//[^\r\n]*|/\*.*?(?:\*/|\Z)', re.S
)
_FELIX_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|(?:^|(?<=[\s"\])]))#[^\r\n]*', re.S | re.M)
_XML_TOKENS = re.compile(
    r"<!--(.*?)(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S
)
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _alone(text: str, start: int, end: int) -> bool:
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    before = text[line_start:start]
    stop = len(text)
    for brk in ("\n", "\r"):
        found = text.find(brk, end)
        if found != -1:
            stop = min(stop, found)
    return not before.strip() and not text[end:stop].strip()


def _comment(
    text: str, index: LineIndex, start: int, end: int, body_start: int, body_end: int
) -> Comment:
    return Comment(
        body=text[body_start:body_end],
        body_start=body_start,
        line=index.position(start)[0],
        end_line=index.position(end)[0],
        alone=_alone(text, start, end),
    )


def _c_comments(text: str, index: LineIndex, groovy: bool = False) -> Iterator[Comment]:
    for m in (_GROOVY_TOKENS if groovy else _C_TOKENS).finditer(text):
        token = m.group()
        if token.startswith("//"):
            yield _comment(text, index, m.start(), m.end(), m.start() + 2, m.end())
        elif token.startswith("/*"):
            body_end = m.end() - 2 if token.endswith("*/") and len(token) >= 4 else m.end()
            yield _comment(text, index, m.start(), m.end(), m.start() + 2, body_end)


def _felix_comments(text: str, index: LineIndex) -> Iterator[Comment]:
    for m in _FELIX_TOKENS.finditer(text):
        if m.group().startswith("#"):
            yield _comment(text, index, m.start(), m.end(), m.start() + 1, m.end())


def _xml_comments(text: str, index: LineIndex) -> Iterator[Comment]:
    for m in _XML_TOKENS.finditer(text):
        if m.group(1) is not None:
            yield _comment(text, index, m.start(), m.end(), m.start(1), m.end(1))


def _properties_comments(text: str, index: LineIndex) -> Iterator[Comment]:
    """``java.util.Properties``: a logical line starting with ``#``/``!``; never a continuation."""
    if text.lstrip(" \t\f\ufeff").startswith("<"):
        yield from _xml_comments(text, index)
        return
    continues = False
    for m in _LINES.finditer(text):
        raw = m.group().rstrip("\r\n")
        if not m.group() and m.start() == len(text):
            break
        content = raw.lstrip(" \t\f")
        if continues:
            trailing = len(content) - len(content.rstrip("\\"))
            continues = bool(content) and trailing % 2 == 1
            continue
        if content.startswith(("#", "!")):
            start = m.start() + len(raw) - len(content)
            yield _comment(
                text, index, start, m.start() + len(raw), start + 1, m.start() + len(raw)
            )
            continue
        trailing = len(content) - len(content.rstrip("\\"))
        continues = bool(content) and trailing % 2 == 1


def _hash_comments(text: str, index: LineIndex) -> Iterator[Comment]:
    """``#`` at the start of a line or after whitespace, outside quotes on that line."""
    for m in _LINES.finditer(text):
        raw = m.group().rstrip("\r\n")
        if MARKER not in raw:
            continue
        quote = ""
        escaped = False
        for i, ch in enumerate(raw):
            if quote:
                if escaped:
                    escaped = False
                elif ch == "\\" and quote == '"':
                    escaped = True
                elif ch == quote:
                    quote = ""
            elif ch in "\"'" and (i == 0 or raw[i - 1] in " \t:=-[{,("):
                quote = ch
            elif ch == "#" and (i == 0 or raw[i - 1] in " \t"):
                start = m.start() + i
                yield _comment(
                    text, index, start, m.start() + len(raw), start + 1, m.start() + len(raw)
                )
                break


_FORM_STYLES: dict[str, Style] = {
    "cfg.json": "c",
    "config": "felix",
    "cfg": "properties",
    "xml": "xml",
}


_XML_TAG = re.compile(r"[ \t]*<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?", re.S)


def _continued_end_line(lines: Sequence[str], line: int) -> int:
    """The last physical line of the logical line starting at ``line`` (backslash-newline
    continuations: a shell command, a Felix value, a properties entry)."""
    while line <= len(lines):
        content = lines[line - 1]
        if (len(content) - len(content.rstrip("\\"))) % 2 == 0:
            break
        line += 1
    return line


def _xml_tag_end_line(text: str, index: LineIndex, line: int) -> int:
    """In XML a comment cannot sit among a tag's attributes: one alone above a tag covers every
    line of that tag (``sling:OsgiConfig`` properties are the root element's attributes)."""
    if line > index.line_count:
        return line
    start = 0
    for n, brk in enumerate(_LINE_BREAK.finditer(text), start=2):
        if n == line:
            start = brk.end()
            break
    m = _XML_TAG.match(text, start)
    if m is None or "<" not in m.group():
        return line
    return index.position(m.end())[0]


def comment_style(path: PurePosixPath, project: Project) -> Style | None:
    """How comments are written in this input; None where the format has none (strict JSON)."""
    cfg = project.config_at(path)
    if cfg is not None:
        return _FORM_STYLES[cfg.place.form]
    suffix = path.suffix.lower()
    if suffix == ".json":
        return None
    if suffix in (".yaml", ".yml"):
        return "hash"
    if path.name.startswith("Jenkinsfile") or path.name.lower().endswith(".jenkinsfile"):
        return "c"
    return "hash"


def comments(text: str, style: Style, groovy: bool = False) -> list[Comment]:
    index = LineIndex(text)
    if style == "c":
        return list(_c_comments(text, index, groovy))
    if style == "felix":
        return list(_felix_comments(text, index))
    if style == "properties":
        return list(_properties_comments(text, index))
    if style == "xml":
        return list(_xml_comments(text, index))
    return list(_hash_comments(text, index))


# -- suppressions ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Suppression:
    """One ``aemlint:`` directive of a file, and which of its selectors hid something."""

    path: PurePosixPath
    span: Span
    selectors: tuple[str, ...]
    reason: str
    file_wide: bool
    lines: frozenset[int] = frozenset()
    malformed: bool = False
    used: set[int] = field(default_factory=set)

    def covers(self, line: int) -> bool:
        return self.file_wide or line in self.lines

    def match(self, code: str, name: str) -> int | None:
        """The index of the first selector matching the rule, or None."""
        for i, selector in enumerate(self.selectors):
            if selector_matches(selector, code, name):
                return i
        return None


def _directive(path: PurePosixPath, comment: Comment, index: LineIndex) -> Suppression | None:
    body = comment.body
    stripped = body.lstrip()
    if not stripped.startswith(MARKER):
        return None
    offset = comment.body_start + len(body) - len(stripped)
    m = _DIRECTIVE.match(stripped)
    if m is None:
        end = offset + len(stripped.rstrip())
        return Suppression(path, index.span(offset, end), (), "", False, malformed=True)
    raw = [s.strip() for s in m.group("selectors").split(",")]
    selectors = tuple(s for s in raw if s)
    malformed = not selectors or any(_SELECTOR.fullmatch(s) is None for s in selectors)
    reason = m.group("reason").strip()
    span = index.span(offset, offset + m.end("selectors") + 1)
    file_wide = m.group("kind") == "file-ignore"
    lines = frozenset(range(comment.line, comment.end_line + 1))
    return Suppression(path, span, selectors, reason, file_wide, lines, malformed)


def find_suppressions(project: Project) -> dict[PurePosixPath, list[Suppression]]:
    """Every directive in the project's inputs, by file (only texts holding ``aemlint:``)."""
    out: dict[PurePosixPath, list[Suppression]] = {}
    for path, text in project.texts.items():
        if MARKER not in text:
            continue
        style = comment_style(path, project)
        if style is None:
            continue
        index = LineIndex(text)
        groovy = style == "c" and project.config_at(path) is None
        found: list[tuple[Comment, Suppression]] = []
        for c in comments(text, style, groovy):
            if MARKER not in c.body:
                continue
            s = _directive(path, c, index)
            if s is not None:
                found.append((c, s))
        # A directive alone on its line(s) covers the next line that is not itself one (with
        # its backslash continuations, or the whole next tag in XML).
        physical: list[str] = []
        standalone = {line for c, s in found if c.alone for line in range(c.line, c.end_line + 1)}
        for c, s in found:
            if c.alone and not s.file_wide:
                target = c.end_line + 1
                while target in standalone:
                    target += 1
                if style == "xml":
                    last = _xml_tag_end_line(text, index, target)
                elif style == "c":
                    last = target
                else:
                    physical = physical or _LINE_BREAK.split(text)
                    last = _continued_end_line(physical, target)
                s.lines = s.lines | set(range(target, last + 1))
        if found:
            out[path] = [s for _, s in found]
    return out


def unused_violations(
    found: Mapping[PurePosixPath, Sequence[Suppression]],
    known: Callable[[str], bool],
    active: Callable[[str, PurePosixPath], bool],
) -> Iterator[Violation]:
    """AEM001: directives (or selectors of one) that hid nothing, for rules that ran on the file.

    ``known(selector)`` says whether any rule matches the selector; ``active(selector, path)``
    whether a selected rule that is not per-file-ignored there does.
    """
    for path, suppressions in found.items():
        for s in suppressions:
            if s.malformed:
                yield Violation(
                    "malformed suppression: it suppresses nothing (write "
                    "`aemlint: ignore[CODE, …] reason` or `aemlint: file-ignore[CODE, …]`)",
                    path,
                    s.span,
                )
                continue
            unknown = [sel for sel in s.selectors if not known(sel)]
            unused = [
                sel
                for i, sel in enumerate(s.selectors)
                if i not in s.used and sel not in unknown and active(sel, path)
            ]
            if unknown:
                yield Violation(
                    f"unknown rule{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in "
                    "suppression: it suppresses nothing (see `aemlint rules`)",
                    path,
                    s.span,
                )
            if unused:
                what = "file-wide suppression" if s.file_wide else "suppression"
                yield Violation(
                    f"unused {what}: no {', '.join(unused)} finding "
                    f"{'in this file' if s.file_wide else 'here'} to suppress",
                    path,
                    s.span,
                )


# -- per-file-ignores -----------------------------------------------------------------------------


class PerFileIgnores:
    """``per-file-ignores``: gitwildmatch glob (relative to the project root) -> selectors.

    ``pathspec`` is imported only when the table is not empty (construction).
    """

    __slots__ = ("_entries", "_memo")

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        from pathspec import GitIgnoreSpec

        entries = []
        for glob, selectors in table.items():
            try:
                spec = GitIgnoreSpec.from_lines([glob])
            except ValueError:  # pathspec's GitIgnorePatternError
                raise ValueError(f"per-file-ignores: {glob!r}: not a valid glob pattern") from None
            entries.append((spec, tuple(selectors)))
        self._entries = entries
        self._memo: dict[PurePosixPath, tuple[str, ...]] = {}

    def selectors_for(self, path: PurePosixPath) -> tuple[str, ...]:
        hit = self._memo.get(path)
        if hit is None:
            rel = path.as_posix()
            hit = tuple(sel for spec, sels in self._entries if spec.match_file(rel) for sel in sels)
            self._memo[path] = hit
        return hit

    def ignores(self, path: PurePosixPath, code: str, name: str) -> bool:
        return any(selector_matches(s, code, name) for s in self.selectors_for(path))


def validate_per_file_ignores(
    table: Mapping[str, Sequence[str]], known: Callable[[str], bool]
) -> Iterable[str]:
    """Problems of a ``per-file-ignores`` table (unknown selectors), as ``key: reason``."""
    for glob, selectors in table.items():
        for sel in selectors:
            if not known(sel):
                yield f"per-file-ignores.{glob}: unknown rule selector {sel!r}"
