"""The ``.cfg`` OSGi configuration format (``java.util.Properties``), read as the platform reads it.

The content-package converter reads ``.cfg`` files with ``java.util.Properties``
(``PropertiesConfigurationEntryHandler``): ``loadFromXML`` when the first byte is ``<``, else
``load(InputStream)``, which decodes ISO-8859-1 (the caller has already decoded the text so).
Every value is a ``String``. This module ports the JDK reader with positions; each point names
the Java it follows.

Lines (``Properties.LineReader.readLine``)
    - Lines end at ``\\n``, ``\\r`` or ``\\r\\n``. Leading spaces, tabs and form feeds are skipped,
      and so are blank lines.
    - A logical line starting with ``#`` or ``!`` is a comment (to the end of the line; a comment
      never continues).
    - A line ending with an odd number of backslashes continues on the next line: that backslash
      and the line break are dropped, and so is the leading whitespace of the next line. A
      continuation line that is empty ends the logical line; a backslash at the end of the file
      is dropped.

Key and value (``Properties.load0``)
    - The key runs to the first unescaped ``=``, ``:``, space, tab or form feed. Then whitespace,
      at most one ``=`` or ``:``, and whitespace again are skipped; the value is the rest of the
      logical line (trailing whitespace kept).
    - Escapes (``loadConvert``): ``\\t \\n \\r \\f``, ``\\uXXXX`` (exactly four ASCII hexadecimal
      digits, else ``IllegalArgumentException``: the file is not read, CFG001), any other
      character stands for itself.
    - ``Hashtable.put``: the same key twice keeps the last value (CFG002, file readable).

XML (``Properties.loadFromXML``, ``jdk.internal.util.xml.PropertiesDefaultHandler``)
    - Parsed with ``defusedxml`` (entity declarations are CFG001, nothing is fetched). The document
      needs ``<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">`` without an
      internal subset, the root ``properties``, at most one ``comment`` and ``entry`` elements
      with a ``key`` attribute; the value is the entry's text. Anything else is CFG001.

Positions: the key span is the key as written (escapes included; in XML the ``key`` attribute
value with its quotes), the value span the value as written (continuations included; in XML the
element's content). Values carry their placeholders; in a property ``is_secret_name`` accepts the
value is a :class:`~aemlint.types.Secret`. Messages never quote values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl

import defusedxml  # type: ignore[import-untyped, unused-ignore]
from defusedxml.expatreader import (  # type: ignore[import-untyped, unused-ignore]
    create_parser,
)

from aemlint.parsing.felix_config import _join_surrogates
from aemlint.parsing.placeholders import find_placeholders
from aemlint.parsing.sling_xml import _ATTRIBUTE, _TAG_NAME, _offset
from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import (
    ParsedConfig,
    Problem,
    Property,
    ScalarValue,
    new_property,
    new_scalar,
)
from aemlint.types import Secret

__all__ = ["parse_properties"]

_WHITESPACE: Final = " \t\f"
_HEX: Final = "0123456789abcdefABCDEF"
_ESCAPES: Final = {"t": "\t", "r": "\r", "n": "\n", "f": "\f"}
_PROPS_DTD: Final = "http://java.sun.com/dtd/properties.dtd"
_DOCTYPE = re.compile(
    r"<!DOCTYPE[ \t\r\n]+([^ \t\r\n\[>]+)(?:[ \t\r\n]+(?:SYSTEM[ \t\r\n]+(\"[^\"]*\"|'[^']*')"
    r"|PUBLIC[ \t\r\n]+(?:\"[^\"]*\"|'[^']*')[ \t\r\n]+(\"[^\"]*\"|'[^']*')))?[ \t\r\n]*(\[)?"
)


class _Malformed(Exception):
    """``loadConvert`` throws IllegalArgumentException("Malformed \\uxxxx encoding.")."""

    def __init__(self, start: int, end: int) -> None:
        super().__init__("malformed \\uxxxx")
        self.start = start
        self.end = end


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    value: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def _read_line(text: str, pos: int) -> tuple[list[int] | None, int]:
    """``LineReader.readLine``: the source offset of each character of the next logical line
    (None at the end of the input) and where reading stopped."""
    length = len(text)
    line: list[int] = []
    skip_whitespace = True
    appended_line_begin = False
    preceding_backslash = False
    while True:
        if pos >= length:
            if not line:
                return None, pos
            return (line[:-1] if preceding_backslash else line), pos
        char = text[pos]
        pos += 1
        if skip_whitespace:
            if char in _WHITESPACE:
                continue
            if not appended_line_begin and char in "\r\n":
                continue
            skip_whitespace = False
            appended_line_begin = False
        if not line and char in "#!":
            while pos < length and text[pos] not in "\r\n":
                pos += 1
            if pos >= length:
                return None, pos  # the comment runs to the end of the input
            pos += 1
            skip_whitespace = True
            continue
        if char != "\n" and char != "\r":
            line.append(pos - 1)
            preceding_backslash = not preceding_backslash if char == "\\" else False
            continue
        if not line:
            skip_whitespace = True
            continue
        if pos >= length:
            return (line[:-1] if preceding_backslash else line), pos
        if not preceding_backslash:
            return line, pos
        line.pop()  # the backslash at the end of the line is not part of it
        skip_whitespace = True
        appended_line_begin = True
        preceding_backslash = False
        if char == "\r" and text[pos] == "\n":
            pos += 1


def _load_convert(text: str, line: list[int], start: int, end: int) -> str:
    """``loadConvert`` of ``line[start:end]``."""
    out: list[str] = []
    index = start
    while index < end:
        char = text[line[index]]
        index += 1
        if char != "\\":
            out.append(char)
            continue
        if index >= end:  # cannot happen: readLine drops an unescaped trailing backslash
            break
        char = text[line[index]]
        index += 1
        if char != "u":
            out.append(_ESCAPES.get(char, char))
            continue
        escape_start = line[index - 2]
        escape_end = line[min(index + 4, end) - 1] + 1
        if index > end - 4:
            raise _Malformed(escape_start, escape_end)
        value = 0
        for _ in range(4):
            digit = text[line[index]]
            index += 1
            if digit not in _HEX:
                raise _Malformed(escape_start, escape_end)
            value = (value << 4) + int(digit, 16)
        out.append(chr(value))
    return _join_surrogates("".join(out))


def _span_of(line: list[int], start: int, end: int, empty_at: int) -> tuple[int, int]:
    if start >= end:
        return empty_at, empty_at
    return line[start], line[end - 1] + 1


def _load(text: str) -> list[_Entry]:
    """``Properties.load0``; raises :class:`_Malformed`."""
    entries: list[_Entry] = []
    pos = 0
    while True:
        line, pos = _read_line(text, pos)
        if line is None:
            return entries
        limit = len(line)
        key_length = 0
        value_start = limit
        has_separator = False
        preceding_backslash = False
        while key_length < limit:
            char = text[line[key_length]]
            if char in "=:" and not preceding_backslash:
                value_start = key_length + 1
                has_separator = True
                break
            if char in _WHITESPACE and not preceding_backslash:
                value_start = key_length + 1
                break
            preceding_backslash = not preceding_backslash if char == "\\" else False
            key_length += 1
        while value_start < limit:
            char = text[line[value_start]]
            if char not in _WHITESPACE:
                if not has_separator and char in "=:":
                    has_separator = True
                else:
                    break
            value_start += 1
        key = _load_convert(text, line, 0, key_length)
        value = _load_convert(text, line, value_start, limit)
        # A line left empty by a dropped final backslash still is an entry ("" = "").
        line_end = line[-1] + 1 if line else pos
        key_span = _span_of(line, 0, key_length, line[0] if line else pos)
        value_span = _span_of(line, value_start, limit, line_end)
        entries.append(_Entry(key, value, *key_span, *value_span))


# --------------------------------------------------------------------------------------------
# loadFromXML


class _XmlRefused(Exception):
    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


class _EntriesHandler(ContentHandler):
    """``PropertiesDefaultHandler``, recording where elements start and end."""

    def __init__(self, locate: Callable[[], tuple[int, int]]) -> None:
        super().__init__()
        self.locate = locate
        self.saw_root = False
        self.saw_comment = False
        self.valid_entry = False
        self.key = ""
        self.buffer: list[str] = []
        self.entry_at = (1, 0)
        # key, value, (line, column) of the entry's start tag, (line, column) of its end
        self.entries: list[tuple[str, str, tuple[int, int], tuple[int, int]]] = []

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if self.saw_root:
            if name not in "comment, entry":  # ALLOWED_ELEMENTS.contains(qName)
                raise _XmlRefused(f'element "{name}" is not allowed in an XML properties file')
        elif name != "properties":
            raise _XmlRefused("the root element of an XML properties file must be <properties>")
        self.saw_root = True
        if name == "entry":
            key = attrs.get("key")
            if key is None:
                raise _XmlRefused('an <entry> element needs a "key" attribute')
            self.valid_entry = True
            self.key = key
            self.entry_at = self.locate()
        elif name == "comment":
            if self.saw_comment:
                raise _XmlRefused("an XML properties file may hold only one <comment> element")
            self.saw_comment = True

    def characters(self, content: str) -> None:
        if self.valid_entry:
            self.buffer.append(content)

    def endElement(self, name: str) -> None:
        if name not in "comment, entry" and name != "properties":
            raise _XmlRefused(f'element "{name}" is not allowed in an XML properties file')
        if self.valid_entry:
            self.entries.append((self.key, "".join(self.buffer), self.entry_at, self.locate()))
            self.buffer = []
            self.valid_entry = False


def _load_xml(text: str) -> list[_Entry]:
    """``loadFromXML``; raises :class:`_XmlRefused`."""
    index = LineIndex(text)
    root = text.find("<properties")
    doctype = _DOCTYPE.search(text, 0, root if root != -1 else len(text))
    if doctype is None:
        raise _XmlRefused(
            f'an XML properties file must declare <!DOCTYPE properties SYSTEM "{_PROPS_DTD}">',
            0,
        )
    system_id = (doctype.group(2) or doctype.group(3) or "''")[1:-1]
    if doctype.group(1) != "properties" or system_id != _PROPS_DTD:
        raise _XmlRefused(
            f'the DOCTYPE of an XML properties file must be properties SYSTEM "{_PROPS_DTD}"',
            doctype.start(),
        )
    if doctype.group(4):
        raise _XmlRefused(
            "an XML properties file may not have an internal DTD subset", doctype.start()
        )
    parser = create_parser(forbid_external=False)  # the properties DTD is known, never fetched
    handler = _EntriesHandler(lambda: (parser.getLineNumber(), parser.getColumnNumber()))
    parser.setContentHandler(handler)
    try:
        parser.feed(text)
        parser.close()
    except SAXParseException as error:
        at = _offset(text, error.getLineNumber() or 1, error.getColumnNumber() or 0, index)
        raise _XmlRefused(f"not a well-formed XML document ({error.getMessage()})", at) from None
    except defusedxml.DefusedXmlException:
        raise _XmlRefused(
            "the document declares an entity: entity declarations are refused (they allow "
            "entity-expansion bombs and reading other files)",
            max(text.find("<!ENTITY"), 0),
        ) from None
    except _XmlRefused as refused:
        if refused.at is None:
            refused.at = _offset(text, parser.getLineNumber(), parser.getColumnNumber(), index)
        raise
    entries: list[_Entry] = []
    for key, value, start_at, end_at in handler.entries:
        tag_start = _offset(text, *start_at, index)
        key_start = key_end = content_start = tag_start
        tag = _TAG_NAME.match(text, tag_start)
        if tag is not None:
            pos = tag.end()
            while (attribute := _ATTRIBUTE.match(text, pos)) is not None:
                if attribute.group(1) == "key":
                    key_start, key_end = attribute.span(2)
                pos = attribute.end()
            close = text.find(">", pos)
            content_start = close + 1 if close != -1 else pos
        content_end = max(content_start, _offset(text, *end_at, index))
        if text.startswith("/>", content_start - 2):
            content_end = content_start
        entries.append(_Entry(key, value, key_start, key_end, content_start, content_end))
    return entries


# --------------------------------------------------------------------------------------------


def parse_properties(text: str, is_secret_name: Callable[[str], bool]) -> ParsedConfig:
    """Read a ``.cfg`` file's text (decoded as ISO-8859-1) as ``java.util.Properties`` does;
    never raises."""
    index = LineIndex(text)
    try:
        entries = _load_xml(text) if text.startswith("<") else _load(text)
    except _Malformed as error:
        problem = Problem(
            "CFG001",
            "malformed \\uXXXX escape (four hexadecimal digits are needed): java.util.Properties "
            "fails, so the whole file is not installed (write \\\\ for a backslash)",
            index.span(error.start, error.end),
        )
        return ParsedConfig((), (problem,), False)
    except _XmlRefused as refused:
        at = min(refused.at or 0, len(text))
        problem = Problem(
            "CFG001",
            f"{refused.message}: Properties.loadFromXML fails, so the whole file is not installed",
            index.span(at, at),
        )
        return ParsedConfig((), (problem,), False)
    properties: dict[str, Property] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for entry in entries:
        key = entry.key
        key_span = index.span(entry.key_start, entry.key_end)
        if key in properties:
            problems.append(
                Problem(
                    "CFG002",
                    f'duplicate key "{key}" (also on line {lines[key]}): the platform keeps only '
                    "the last value",
                    key_span,
                )
            )
        secret = is_secret_name(key)
        value = entry.value
        placeholders = find_placeholders(value, secret) if "$[" in value else ()
        stored: ScalarValue = Secret(value) if secret else value
        value_span = index.span(entry.value_start, entry.value_end)
        properties[key] = new_property(
            key,
            "String",
            key_span,
            value_span,
            (new_scalar(stored, value_span, placeholders),),
            False,
        )
        lines[key] = key_span.line
    return ParsedConfig(tuple(properties.values()), tuple(problems), True)
