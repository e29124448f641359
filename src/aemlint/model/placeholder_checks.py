"""What the PH rules (and the SEC rules that point inside a value) share.

- :class:`ValueLocator` maps offsets in a string value (after unescaping) back to its file, so a
  finding points at the placeholder inside ``"jdbc:mysql://$[env:H]:30001/db"`` rather than at
  the whole string. It maps exactly when the value's raw text is the value itself, the value in
  quotes, or a JSON string whose escapes decode to the value (checked by decoding); otherwise
  every offset falls back to the whole value's span.
- :func:`find_malformed` finds text that was meant as an AEMaaCS placeholder but that the Felix
  interpolation plugin does not read as one (or reads differently): ``${env:X}``, ``$[env X]``,
  ``$[ENV:X]``, an unknown type, an unterminated ``$[``, an unknown directive, an empty name.
  Velocity/Maven/pipeline tokens (``${appId}``, ``${env.X}``, ``${{X}}``) are not findings, nor
  is ``$[`` text that does not look like a placeholder at all (a regular expression).
- Placeholder vocabulary: the types and directives Felix knows [S21], the types Adobe documents
  [S1], and the Cloud Manager variable-name grammar [S1][S16].

Nothing here quotes a directive value: a default may be a secret (SPEC §5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from aemlint.model.osgi import OsgiConfig
from aemlint.parsing.placeholders import iter_candidates, parse_directives
from aemlint.parsing.text import JSON_ESCAPES, LineIndex
from aemlint.parsing.values import Placeholder, Property, Scalar
from aemlint.types import Secret, Span, reveal

FELIX_TYPES = frozenset({"env", "secret", "prop", "conf"})
DOCUMENTED_TYPES = frozenset({"env", "secret"})
DIRECTIVES = frozenset({"default", "type", "delimiter"})
_SCALARS = [
    "String",
    "Integer",
    "int",
    "Long",
    "long",
    "Float",
    "float",
    "Double",
    "double",
    "Byte",
    "byte",
    "Short",
    "short",
    "Character",
    "char",
    "Boolean",
    "boolean",
]
CONVERSION_TYPES = frozenset(_SCALARS) | frozenset(f"{t}[]" for t in _SCALARS)
RESERVED_REFERENCE_PREFIXES = ("INTERNAL_", "ADOBE_")
SECRET_PATH_PREFIX = "customer-secrets/"
VARIABLE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z_0-9]*")
NAME_LENGTH = (2, 100)

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
_SHOWABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]{0,99}")
_BRACE_START = re.compile(r"\$\{\s*(env|secret)\s*:", re.IGNORECASE)
_NO_COLON = re.compile(r"\s*(env|secret|prop|conf)(?![A-Za-z0-9_])\s*([=.\s]\s*)?(.*)", re.I | re.S)
_MISSING_TYPE = re.compile(r"[A-Z_][A-Z0-9_]+")
_JSON_ESCAPES = JSON_ESCAPES
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


# ------------------------------------------------------------------------------------------------
# Positions inside a value


def _json_offsets(raw: str) -> tuple[str, list[int]] | None:
    """Decode a JSON string token, with the raw offset of every decoded character (+ the end)."""
    chars: list[str] = []
    offsets: list[int] = []
    i, end = 1, len(raw) - 1
    while i < end:
        char = raw[i]
        offsets.append(i)
        if char != "\\":
            chars.append(char)
            i += 1
            continue
        following = raw[i + 1 : i + 2]
        if following != "u":
            chars.append(_JSON_ESCAPES.get(following, following))
            i += 2
            continue
        if not _HEX4.fullmatch(raw[i + 2 : i + 6]):
            return None
        code = int(raw[i + 2 : i + 6], 16)
        i += 6
        if (
            0xD800 <= code < 0xDC00
            and raw[i : i + 2] == "\\u"
            and _HEX4.fullmatch(raw[i + 2 : i + 6])
        ):
            low = int(raw[i + 2 : i + 6], 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 6
        chars.append(chr(code))
    offsets.append(end)
    return "".join(chars), offsets


@dataclass
class FileLocator:
    """One file's text, with its line index built on first use."""

    text: str | None
    _index: LineIndex | None = field(default=None, init=False, repr=False)

    def span(self, start: int, end: int) -> Span:
        assert self.text is not None
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index.span(start, end)

    def value(self, span: Span, value: str) -> ValueLocator:
        return ValueLocator(self, span, value)


class ValueLocator:
    """Spans in the file of ranges of one string value (see the module documentation).

    The offset map is built on first use: most values never produce a finding.
    """

    __slots__ = ("_file", "_offsets", "_raw", "_ready", "span", "value")

    def __init__(self, file: FileLocator, span: Span, value: str) -> None:
        self._file = file
        self.span = span
        self.value = value
        self._offsets: list[int] | None = None
        self._raw: str | None = None
        self._ready = False

    def _map(self) -> list[int] | None:
        if self._ready:
            return self._offsets
        self._ready = True
        text, span, value = self._file.text, self.span, self.value
        if text is None or span.end > len(text):
            return None
        raw = self._raw = text[span.start : span.end]
        if raw == value:
            self._offsets = list(range(len(value) + 1))
        elif len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" and raw[1:-1] == value:
            self._offsets = list(range(1, len(value) + 2))
        elif len(raw) >= 2 and raw[0] == raw[-1] == '"':
            decoded = _json_offsets(raw)
            if decoded is not None and decoded[0] == value:
                self._offsets = decoded[1]
        return self._offsets

    def at(self, start: int, end: int) -> Span:
        """The span of ``value[start:end]``, or the whole value's span when it cannot be mapped."""
        offsets = self._map()
        if offsets is None or not 0 <= start <= end <= len(self.value):
            return self.span
        base = self.span.start
        return self._file.span(base + offsets[start], base + offsets[end])

    def exact(self, start: int, end: int) -> Span | None:
        """Like :meth:`at`, only where the file holds exactly ``value[start:end]`` (for edits)."""
        offsets = self._map()
        if offsets is None or self._raw is None or not 0 <= start <= end <= len(self.value):
            return None
        a, b = offsets[start], offsets[end]
        if self._raw[a:b] != self.value[start:end]:
            return None
        return self._file.span(self.span.start + a, self.span.start + b)


# ------------------------------------------------------------------------------------------------
# Vocabulary


def outermost(placeholders: Iterable[Placeholder]) -> list[Placeholder]:
    """Placeholders not nested inside another one (a nested one sits in a name or default)."""
    found = list(placeholders)
    return [
        p
        for p in found
        if not any(q is not p and q.start <= p.start and p.end <= q.end for q in found)
    ]


class StringValue(NamedTuple):
    """One string value of a configuration (a property's value or one array element).

    (A named tuple: several rules walk every value of every configuration, and it is made
    several times faster than a frozen dataclass.)
    """

    prop: Property
    scalar: Scalar
    text: str  # the value's text (revealed: for checks only, never for output)
    is_secret: bool  # the value is a :class:`Secret` (a secret-named property)
    file: FileLocator

    @property
    def where(self) -> ValueLocator:
        """Spans inside the value (made on use: most values never produce a finding)."""
        return self.file.value(self.scalar.span, self.text)


def _string_scalars(cfg: OsgiConfig) -> tuple[tuple[Property, Scalar], ...]:
    """Every string (or secret) value of ``cfg`` with its property, in file order.

    Computed once per configuration; secrets stay wrapped (they are revealed per use).
    """
    return tuple(
        (prop, scalar)
        for prop in cfg.properties
        for scalar in prop.values
        if isinstance(scalar.value, Secret | str)
    )


def _with_placeholders(cfg: OsgiConfig) -> tuple[tuple[Property, Scalar], ...]:
    """The string values of ``cfg`` that hold a placeholder (computed once per configuration)."""
    return tuple(
        (prop, scalar)
        for prop, scalar in cfg.memo("string_scalars", _string_scalars)
        if scalar.placeholders
    )


def _string_value(prop: Property, scalar: Scalar, file: FileLocator) -> StringValue:
    value = scalar.value
    if isinstance(value, Secret):
        text, is_secret = value.reveal(), True
    else:
        assert isinstance(value, str)
        text, is_secret = value, False
    return StringValue(prop, scalar, text, is_secret, file)


def string_values(cfg: OsgiConfig, file: FileLocator) -> Iterator[StringValue]:
    """Every string value of ``cfg``, in file order."""
    for prop, scalar in cfg.memo("string_scalars", _string_scalars):
        yield _string_value(prop, scalar, file)


def placeholders(cfg: OsgiConfig, file: FileLocator) -> Iterator[tuple[StringValue, Placeholder]]:
    """Every placeholder Felix reads in a string value of ``cfg`` (nested ones included)."""
    for prop, scalar in cfg.memo("with_placeholders", _with_placeholders):
        value = _string_value(prop, scalar, file)
        for placeholder in scalar.placeholders:
            yield value, placeholder


def name_problem(name: str) -> str | None:
    """Why a variable name can never be set in Cloud Manager, or None when it can."""
    low, high = NAME_LENGTH
    if not VARIABLE_NAME.fullmatch(name):
        bad = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c == "_"))})
        if bad and all(c.isprintable() and not c.isspace() for c in bad):
            chars = " ".join(f"'{c}'" for c in bad[:5])
            return f"contains {chars} (only letters, digits and _ are allowed)"
        if bad:
            return (
                "contains whitespace or other characters (only letters, digits and _ are allowed)"
            )
        return "starts with a digit"
    if not low <= len(name) <= high:
        return f"has {len(name)} character{'' if len(name) == 1 else 's'} (2 to 100 are allowed)"
    return None


def shown_name(name: str) -> str | None:
    """The name as a message may show it, or None (it may be text that is not a name)."""
    from aemlint.model.credentials import find_credentials

    if _SHOWABLE_NAME.fullmatch(name) and not find_credentials(name):
        return name
    return None


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (an adjacent transposition costs one edit)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def closest(word: str, known: Iterable[str]) -> str | None:
    """The one known word within one edit of ``word`` (case ignored), else None."""
    near = [k for k in known if osa_distance(word.lower(), k) <= 1]
    return near[0] if len(near) == 1 else None


# ------------------------------------------------------------------------------------------------
# Malformed placeholders (PH001)


@dataclass(frozen=True, slots=True)
class Malformed:
    """Placeholder-like text Felix does not read as meant.

    ``start``/``end`` are offsets in the value. ``reason`` may quote a type or directive *name*
    (never a directive value); ``category`` says the same without quoting anything (for values
    that are secrets). ``replacement`` is the corrected text of ``start:end`` where the
    correction is unambiguous (it always parses cleanly); ``carries_value`` is True when it
    holds directive text (perhaps a default).
    """

    start: int
    end: int
    category: str
    reason: str
    replacement: str | None = None
    carries_value: bool = False


def _quote(word: str) -> str:
    from aemlint.model.credentials import find_credentials

    return f"'{word}'" if _WORD.fullmatch(word) and not find_credentials(word) else "(not shown)"


def _check_body(kind_raw: str, postfix: str) -> tuple[str, str, str | None] | None:
    """(category, reason, corrected body) for a terminated ``$[kind:postfix]``, or None."""
    kind = kind_raw.strip()
    name, _, directive_text = postfix.partition(";")
    if kind not in FELIX_TYPES:
        if not _WORD.fullmatch(kind):
            return None  # not placeholder-like (e.g. a regular expression)
        lower = kind.lower()
        if lower in FELIX_TYPES:
            why = f"the type {_quote(kind)} must be written '{lower}' (types are case-sensitive)"
            return ("type not in lower case", why, f"{lower}:{postfix}")
        guess = closest(kind, DOCUMENTED_TYPES)
        if guess is not None:
            why = f"unknown type {_quote(kind)} (did you mean '{guess}'?)"
            return ("unknown type", why, f"{guess}:{postfix}")
        why = f"unknown type {_quote(kind)}: AEMaaCS reads $[env:NAME] and $[secret:NAME]"
        return ("unknown type", why, None)
    if kind != kind_raw:
        return ("space around the type", f"space around the type '{kind}'", f"{kind}:{postfix}")
    if not name.strip():
        return ("empty name", "empty variable name", None)
    if not directive_text:
        return None
    directives = parse_directives(directive_text)
    for key, value in directives.items():
        if key in DIRECTIVES or (not key and not value):
            continue  # a known directive, or a stray ';'
        word = key.strip()
        guess = closest(word, DIRECTIVES) if _WORD.fullmatch(word) else None
        if guess is None:
            why = "an unknown directive (Felix reads only default=, type= and delimiter=)"
            return ("unknown directive", why, None)
        fixed = postfix.replace(f";{key}=", f";{guess}=", 1)
        why = f"unknown directive {_quote(word)} (did you mean '{guess}='?)"
        return ("unknown directive", why, f"{kind}:{fixed}" if fixed != postfix else None)
    conversion = directives.get("type")
    if conversion is not None and conversion not in CONVERSION_TYPES:
        why = "an unknown type= conversion (Felix logs a warning and keeps the String)"
        return ("unknown type= conversion", why, None)
    return None


def _clean(replacement: str | None) -> tuple[str | None, bool]:
    """A replacement ``$[kind:rest]`` if it parses without any problem, and whether it carries
    directive text."""
    if replacement is None or not replacement.startswith("$[") or not replacement.endswith("]"):
        return None, False
    body = replacement[2:-1]
    if any(c in body for c in "[]{}") or ":" not in body:
        return None, False
    kind, _, rest = body.partition(":")
    if kind not in FELIX_TYPES or _check_body(kind, rest) is not None:
        return None, False
    return replacement, ";" in rest


def _brace_tokens(text: str) -> list[Malformed]:
    found: list[Malformed] = []
    for match in _BRACE_START.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] == "\\":
            continue
        kind = match.group(1)
        ends = [i for i in (text.find("}", match.end()), text.find("]", match.end())) if i != -1]
        if not ends:
            why = (
                f"unterminated '${{{kind}:' token: AEMaaCS placeholders are $[{kind.lower()}:NAME]"
            )
            found.append(Malformed(start, len(text), "'${' instead of '$['", why))
            continue
        close = min(ends)
        why = (
            f"'${{{kind}:…{text[close]}' is not an AEMaaCS placeholder (only "
            f"$[{kind.lower()}:NAME] is interpolated): it is deployed as literal text"
        )
        fixed, carries = _clean(f"$[{kind.lower()}:{text[match.end() : close].strip()}]")
        found.append(Malformed(start, close + 1, "'${' instead of '$['", why, fixed, carries))
    return found


def _unterminated(text: str, start: int) -> Malformed | None:
    rest = text[start + 2 :]
    head, colon, tail = rest.partition(":")
    if not colon or not _WORD.fullmatch(head.strip()):
        return None  # not placeholder-like
    brace = tail.find("}")
    if brace != -1 and "[" not in tail[:brace]:
        fixed, carries = _clean(f"$[{head.strip()}:{tail[:brace]}]")
        if fixed is not None:
            end = start + 2 + len(head) + 1 + brace + 1
            why = "placeholder closed with '}' instead of ']'"
            return Malformed(start, end, "closed with '}'", why, fixed, carries)
    why = "unterminated placeholder: no closing ']', so nothing from here on is interpolated"
    return Malformed(start, len(text), "unterminated", why)


def _well_formed(p: Placeholder) -> bool:
    """What :func:`_check_body` accepts, read from an already parsed placeholder."""
    if p.kind not in FELIX_TYPES or not p.name.strip():
        return False
    for key, value in p.directives:
        if key == "type":
            if reveal(value) not in CONVERSION_TYPES:
                return False
        elif key not in DIRECTIVES and (key or reveal(value)):
            return False
    return True


def find_malformed(text: str, parsed: Sequence[Placeholder] = ()) -> list[Malformed]:
    """Every malformed placeholder in a string value, in order of start.

    ``parsed`` are the value's placeholders as the parser found them: when they account for
    every ``$[`` of the text and are all well-formed, there is nothing to scan again.
    """
    if "${" not in text and text.count("$[") == len(parsed) and all(map(_well_formed, parsed)):
        return []
    found = _brace_tokens(text) if "${" in text else []
    if "$[" in text:
        for candidate in iter_candidates(text):
            start, body = candidate.start, candidate.body
            if candidate.end is None or body is None:
                bad = _unterminated(text, start)
                if bad is not None:
                    found.append(bad)
                break
            sep = body.find(":")
            if sep == -1:
                match = _NO_COLON.fullmatch(body)
                if match is not None:
                    kind, name = match.group(1).lower(), match.group(3).strip()
                    fixed, _ = (
                        _clean(f"$[{kind}:{name}]") if kind in DOCUMENTED_TYPES else (None, False)
                    )
                    why = f"no ':' between the type '{kind}' and the name"
                    found.append(
                        Malformed(start, candidate.end, "no ':' after the type", why, fixed)
                    )
                elif _MISSING_TYPE.fullmatch(body):
                    why = "no type: write $[env:NAME] or $[secret:NAME]"
                    found.append(Malformed(start, candidate.end, "no type", why))
                continue
            problem = _check_body(body[:sep], body[sep + 1 :])
            if problem is None:
                continue
            category, why, corrected = problem
            fixed, carries = None, False
            if corrected is not None and text[start + 2 : candidate.end - 1] == body:
                fixed, carries = _clean(f"$[{corrected}]")  # (no bracket escapes to carry over)
            found.append(Malformed(start, candidate.end, category, why, fixed, carries))
    return sorted(found, key=lambda m: m.start)
