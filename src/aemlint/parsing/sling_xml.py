"""``sling:OsgiConfig`` nodes in FileVault DocView XML, read as the platform reads them.

On AEM as a Cloud Service the build's content-package converter turns these nodes into OSGi
configurations (Sling ``feature-cpconverter``: ``XmlConfigurationEntryHandler`` with
``AbstractJcrNodeParser``); FileVault's ``DocViewProperty.parse`` (also ``DocViewProperty2``) gives
the value syntax. Each point names the source it follows.

The document
    - Parsed with ``defusedxml`` (expat): a document that declares entities (``<!ENTITY``) or
      references an external DTD or entity is CFG001 and nothing is expanded or fetched. Any other
      well-formedness error is CFG001 when the text mentions ``sling:OsgiConfig`` (the converter
      then keeps the file as plain content: the configuration is lost); otherwise the file is not
      taken for a configuration (None).
    - The root element must be ``jcr:root`` with ``jcr:primaryType="sling:OsgiConfig"``
      (``AbstractJcrNodeParser.startElement``/``onJcrRootNode``). Names are resolved with the
      ``xmlns:`` declarations of the root, as FileVault does: ``jcr`` must be
      ``http://www.jcp.org/jcr/1.0`` and the value's ``sling`` prefix
      ``http://sling.apache.org/jcr/sling/1.0``; an undeclared ``jcr``/``sling`` prefix is taken
      literally (the converter's SAX parser is not namespace-aware). Otherwise: None.
    - Child elements are not properties.

Properties (``JcrConfigurationHandler.onJcrRootElement``)
    - Every attribute of the root whose name has no ``:`` is a property (``jcr:*``, ``sling:*``,
      ``xmlns:*`` are skipped, and so is a default ``xmlns`` declaration). The name is taken as
      written (no ``_xHHHH_`` decoding, as the converter does).
    - An empty attribute value is skipped, and so is a value that parses to an empty array
      (``[]``): the converter does not put them.
    - Names are case-insensitive in the configuration (``OrderedDictionary``): a later attribute
      naming the same property replaces it (CFG002, readable).

Values (``DocViewProperty.parse``): ``[ "{" type "}" ] ( value | "[" [ value { "," value } ] "]" )``
    - ``\\`` escapes the next character (``\\,`` ``\\[`` ``\\{`` ``\\\\``); ``\\uXXXX`` is a
      character (digits as ``Character.digit``; a result that is no code point makes the parser
      throw: CFG001); ``\\0`` marks an empty value; a ``,`` separates array elements only inside
      ``[…]``; ``]`` closes an array only as the last character (a missing ``]`` is tolerated).
      A value starting with ``{`` is a type name up to ``}``: a CryptoSupport value such as
      ``{be46…}`` must be written ``{String}{be46…}`` or ``\\{be46…}``.
    - XML attribute-value normalization applies first: line breaks and tabs become spaces, and
      entity references (``&quot;``, ``&#10;``…) are resolved.
    - Types (SPEC §3.1): none, ``String``, ``Name``, ``Path``, ``URI``, ``Date``, ``Reference``,
      ``WeakReference``, ``undefined`` → ``String``; ``Long`` → ``Long`` (``Long.parseLong``);
      ``Double`` (``Double.parseDouble``) and ``Decimal`` (``BigDecimal``) → ``Double``;
      ``Boolean`` → ``Boolean`` (true only for ``true`` in any case; another value than
      ``false`` is CFG008); ``Binary``/``BinaryRef`` → CFG003 (property left out, file readable).
      An unknown type name, a number that does not parse or an empty number makes the converter
      reject the whole configuration: CFG003, unreadable, the property kept as ``String``.
    - Multi-values are ``T[]``.

Positions: the key span is the attribute name; the value span is the attribute value with its
quotes (recovered from the source text, since expat reports none), which is also the span of a
single value; each array element's span is its text inside the value. String values carry their
placeholders; in a property ``is_secret_name`` accepts every string value is a
:class:`~aemlint.types.Secret`. Messages never quote values.
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

from aemlint.parsing.felix_config import _java_digit, _java_parse_int, _join_surrogates
from aemlint.parsing.java_numbers import parse_java_double
from aemlint.parsing.placeholders import find_placeholders
from aemlint.parsing.text import LineIndex, utf16_units
from aemlint.parsing.values import (
    ParsedConfig,
    Problem,
    ProblemCode,
    Property,
    Scalar,
    ScalarValue,
    frozen_constructor,
    new_property,
    new_scalar,
)
from aemlint.types import Secret

__all__ = ["parse_sling_xml"]

JCR_NS: Final = "http://www.jcp.org/jcr/1.0"
SLING_NS: Final = "http://sling.apache.org/jcr/sling/1.0"

_STRING_TYPES: Final = frozenset(
    {
        None,
        "String",
        "Name",
        "Path",
        "URI",
        "Date",
        "Reference",
        "WeakReference",
        "undefined",
    }
)
_BINARY_TYPES: Final = frozenset({"Binary", "BinaryRef"})
_TAG_NAME = re.compile(r"<([^ \t\r\n/>]+)")
_ATTRIBUTE = re.compile(r"[ \t\r\n]+([^ \t\r\n=/>]+)[ \t\r\n]*=[ \t\r\n]*(\"[^\"]*\"|'[^']*')")
_ENTITY = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ASTRAL = re.compile(r"[\U00010000-\U0010ffff]")
_BIG_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,9})?")


# --------------------------------------------------------------------------------------------
# The document.


@dataclass(frozen=True, slots=True)
class _Attribute:
    name: str
    value: str  # as the XML parser gives it
    name_start: int
    name_end: int
    value_start: int  # the opening quote
    value_end: int  # after the closing quote


@dataclass(frozen=True, slots=True)
class _Root:
    name: str
    attributes: tuple[_Attribute, ...]


_new_attribute: Callable[[str, str, int, int, int, int], _Attribute] = frozen_constructor(
    _Attribute
)


class _RootHandler(ContentHandler):
    """Keeps the first element's name, attributes and position (line, column)."""

    def __init__(self, locate: Callable[[], tuple[int, int]]) -> None:
        super().__init__()
        self.locate = locate
        self.root: tuple[str, list[tuple[str, str]], int, int] | None = None

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if self.root is None:
            line, column = self.locate()
            self.root = (name, list(attrs.items()), line, column)


def _offset(text: str, line: int, column: int, index: LineIndex | None = None) -> int:
    """Offset of an expat position (1-based line, 0-based column in code points); a line past
    the last one counts from the start of the text. ``index``: the text's, if already made."""
    starts = (index or LineIndex(text)).starts
    start = starts[line - 1] if 1 < line <= len(starts) else 0
    return min(start + max(column, 0), len(text))


def _decode_attribute(text: str, start: int, end: int) -> list[tuple[str, int, int]] | None:
    """An attribute's raw text as the XML parser normalizes it, each UTF-16 unit with its source
    span (entity references resolved, line breaks and tabs as spaces). None if unexpected."""
    units: list[tuple[str, int, int]] = []
    index = start
    while index < end:
        char = text[index]
        following = index + 1
        if char == "&":
            match = _ENTITY.match(text, index, end)
            if match is None:
                return None
            following = match.end()
            decimal, hexadecimal, name = match.groups()
            if name is not None:
                char = _NAMED_ENTITIES[name]
            else:
                code = int(decimal) if decimal is not None else int(hexadecimal, 16)
                if code > 0x10FFFF:
                    return None
                char = chr(code)
        elif char == "\r":
            char = " "
            if text.startswith("\n", following):
                following += 1
        elif char == "\n" or char == "\t":
            char = " "
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            units.append((chr(0xD800 + (code >> 10)), index, following))
            units.append((chr(0xDC00 + (code & 0x3FF)), index, following))
        else:
            units.append((char, index, following))
        index = following
    return units


def _scan_root(text: str, at: int, name: str, attributes: list[tuple[str, str]]) -> _Root:
    """The root's attributes with their source positions (expat gives none)."""
    values = dict(attributes)
    tag = _TAG_NAME.match(text, at)
    found: list[_Attribute] = []
    if tag is not None and tag.group(1) == name:
        pos = tag.end()
        while True:
            match = _ATTRIBUTE.match(text, pos)
            if match is None:
                break
            qname = match.group(1)
            if qname in values:
                found.append(
                    _new_attribute(
                        qname,
                        values[qname],
                        match.start(1),
                        match.end(1),
                        match.start(2),
                        match.end(2),
                    )
                )
            pos = match.end()
    if [a.name for a in found] == [qname for qname, _ in attributes]:
        return _Root(name, tuple(found))
    # Positions could not be recovered: everything at the start of the root.
    return _Root(name, tuple(_Attribute(q, v, at, at, at, at) for q, v in attributes))


def _namespaces(root: _Root) -> dict[str, str]:
    return {
        a.name[6:]: a.value for a in root.attributes if a.name.startswith("xmlns:") and a.name[6:]
    }


def _is_name(qname: str, local: str, uri: str, prefix: str, namespaces: dict[str, str]) -> bool:
    """``qname`` names ``{uri}local``; an undeclared ``prefix`` is taken literally."""
    have_prefix, colon, have_local = qname.partition(":")
    if not colon or have_local != local:
        return False
    bound = namespaces.get(have_prefix)
    return bound == uri if bound is not None else have_prefix == prefix


def _is_osgi_config(root: _Root) -> bool:
    namespaces = _namespaces(root)
    if not _is_name(root.name, "root", JCR_NS, "jcr", namespaces):
        return False
    for attribute in root.attributes:
        if _is_name(attribute.name, "primaryType", JCR_NS, "jcr", namespaces):
            return _is_name(attribute.value, "OsgiConfig", SLING_NS, "sling", namespaces)
    return False


class _XmlError(Exception):
    def __init__(self, start: int, message: str, always: bool) -> None:
        super().__init__(message)
        self.start = start
        self.message = message
        self.always = always  # a refused construct: CFG001 even if the file is no configuration


def _read_root(text: str, index: LineIndex) -> _Root | None:
    """Parse the whole document; the root element, or None for an empty document."""
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise _XmlError(
            surrogate.start(),
            "the file is not valid UTF-8 text, so it is not a well-formed XML document",
            False,
        )
    parser = create_parser()
    handler = _RootHandler(lambda: (parser.getLineNumber(), parser.getColumnNumber()))
    parser.setContentHandler(handler)
    try:
        parser.feed(text)
        parser.close()
    except SAXParseException as error:
        line = error.getLineNumber() or 1
        column = error.getColumnNumber() or 0
        raise _XmlError(
            _offset(text, line, column, index),
            f"not a well-formed XML document ({error.getMessage()}): the platform does not read "
            "it as a configuration",
            False,
        ) from None
    except defusedxml.DefusedXmlException as error:
        if isinstance(error, defusedxml.EntitiesForbidden):
            what = "declares an entity (<!ENTITY …>)"
            at = text.find("<!ENTITY")
        else:
            what = "refers to an external DTD or entity"
            at = text.find("<!DOCTYPE")
        raise _XmlError(
            max(at, 0),
            f"the document {what}: entity declarations and external references are refused "
            "(they allow entity-expansion bombs and reading other files); write the values "
            "inline",
            True,
        ) from None
    if handler.root is None:
        return None
    name, attributes, line, column = handler.root
    at = _offset(text, line, column, index)
    if not text.startswith("<" + name, at):
        found = text.find("<" + name)
        at = found if found != -1 else at
    return _scan_root(text, at, name, attributes)


# --------------------------------------------------------------------------------------------
# Values.


@dataclass(slots=True)
class _DocView:
    type_name: str | None
    is_multi: bool
    values: list[tuple[str, int, int]]  # value, source start, source end


class _DocViewError(Exception):
    def __init__(self, start: int, end: int) -> None:
        super().__init__("invalid \\u escape")
        self.start = start
        self.end = end


def _docview(units: list[tuple[str, int, int]], start: int) -> _DocView:
    """``DocViewProperty.parse`` over UTF-16 units with source spans (``start``: where the value
    text begins). Raises :class:`_DocViewError` where Java throws."""
    state = "b"
    is_multi = False
    type_name: str | None = None
    values: list[tuple[str, int, int]] | None = None
    tmp: list[str] = []
    element_start = element_end = start
    unicode = 0
    unicode_pos = 0
    escape_start = start
    last = len(units) - 1

    def flush() -> tuple[str, int, int]:
        return _join_surrogates("".join(tmp)), element_start, element_end

    for position, (char, char_start, char_end) in enumerate(units):
        if state in ("b", "a"):
            if char == "{" and state == "b":
                state = "t"
            elif char == "[":
                is_multi = True
                state = "v"
                element_start = element_end = char_end
            elif char == "\\":
                state = "e"
                escape_start = char_start
            else:
                tmp.append(char)
                element_end = char_end
                state = "v"
        elif state == "t":
            if char == "}":
                type_name = "".join(tmp)
                tmp = []
                state = "a"
                element_start = element_end = char_end
            else:
                tmp.append(char)
        elif state == "v":
            if char == "\\":
                state = "e"
                escape_start = char_start
            elif char == "," and is_multi:
                if values is None:
                    values = []
                values.append(flush())
                tmp = []
                element_start = element_end = char_end
            elif char == "]" and is_multi and position == last:
                if tmp or values is not None:
                    if values is None:
                        values = []
                    values.append(flush())
                    tmp = []
            else:
                tmp.append(char)
                element_end = char_end
        elif state == "e":
            if char == "u":
                state = "u"
                unicode = 0
                unicode_pos = 0
            elif char == "0":
                state = "v"
                if values is None:
                    values = []
                element_end = char_end
            else:
                state = "v"
                tmp.append(char)
                element_end = char_end
        else:  # "u"
            unicode = (unicode << 4) + _java_digit(char, 16)
            unicode_pos += 1
            if unicode_pos == 4:
                if not 0 <= unicode <= 0x10FFFF:
                    raise _DocViewError(escape_start, char_end)  # appendCodePoint throws
                tmp.append(chr(unicode))
                element_end = char_end
                state = "v"
    if is_multi:
        if tmp:
            if values is None:
                values = []
            values.append(flush())
        return _DocView(type_name, True, values or [])
    return _DocView(type_name, False, [flush()])


def _plain_docview(value: str, text: str, start: int, end: int) -> _DocView | None:
    """:func:`_docview` of a value without escapes, found without walking it character by
    character; None for any other value. ``text[start:end]`` is the value's source: element
    positions need it to be the value itself (no entity, no normalized whitespace, no character
    beyond U+FFFF; expat gives no surrogates). A single value's positions are not used (its span
    is the whole attribute value): they are given as ``start``."""
    if "\\" in value:
        return None
    type_name: str | None = None
    at = 0
    if value.startswith("{"):
        close = value.find("}")
        if close == -1:
            return None
        type_name = value[1:close]
        if not type_name.isascii():
            return None  # _docview keeps a type name as UTF-16 units
        at = close + 1
    if not value.startswith("[", at):
        return _DocView(type_name, False, [(value[at:], start, start)])
    raw = text[start:end]
    if raw != value or (not raw.isascii() and _ASTRAL.search(raw) is not None):
        return None
    # "[" opens; a "]" closes only as the last character; "," separates. Without the closing
    # "]" an empty last element is not taken.
    closed = value.endswith("]")
    body = value[at + 1 : len(value) - 1 if closed else len(value)]
    parts = body.split(",") if body else []
    if parts and not closed and not parts[-1]:
        parts.pop()
    values: list[tuple[str, int, int]] = []
    element_start = start + at + 1
    for part in parts:
        element_end = element_start + len(part)
        values.append((part, element_start, element_end))
        element_start = element_end + 1
    return _DocView(type_name, True, values)


def _big_decimal_double(text: str) -> float | None:
    """``new BigDecimal(text).doubleValue()`` (None: NumberFormatException)."""
    if _BIG_DECIMAL.fullmatch(text) is None:
        return None
    return float(text)


# --------------------------------------------------------------------------------------------
# Building properties.


class _Builder:
    __slots__ = ("index", "is_secret_name", "problems", "properties", "readable", "text")

    def __init__(self, text: str, index: LineIndex, is_secret_name: Callable[[str], bool]) -> None:
        self.text = text
        self.index = index
        self.is_secret_name = is_secret_name
        self.properties: dict[str, tuple[int, Property]] = {}
        self.problems: list[Problem] = []
        self.readable = True

    def problem(self, code: ProblemCode, message: str, start: int, end: int) -> None:
        self.problems.append(Problem(code, message, self.index.span(start, end)))

    def attribute(self, attribute: _Attribute) -> None:
        name = attribute.name
        quote_start, quote_end = attribute.value_start, attribute.value_end
        content_start = quote_start + 1 if quote_end > quote_start else quote_start
        content_end = max(content_start, quote_end - 1)
        view = _plain_docview(attribute.value, self.text, content_start, content_end)
        try:
            if view is None:
                units = _decode_attribute(self.text, content_start, content_end)
                if (
                    units is None
                    or _join_surrogates("".join(u for u, _, _ in units)) != attribute.value
                ):
                    units = [
                        (unit, content_start, content_start)
                        for unit in utf16_units(attribute.value)
                    ]
                view = _docview(units, content_start)
        except _DocViewError as error:
            self.problem(
                "CFG001",
                f'invalid \\u escape in the value of "{name}" (four hexadecimal digits are '
                "needed): the platform rejects the configuration",
                error.start,
                error.end,
            )
            self.readable = False
            return
        if not view.values:
            return  # an empty array: the converter does not put it
        type_name = view.type_name
        label = f'"{name}"'
        whole = (quote_start, quote_end)
        if type_name in _BINARY_TYPES:
            self.problem(
                "CFG003",
                f"{label} has the JCR type Binary, which an OSGi configuration cannot hold: the "
                "platform does not read it as intended (use a String)",
                *whole,
            )
            return
        texts = view.values if view.is_multi else [(view.values[0][0], *whole)]
        items: list[tuple[object, int, int]] = []
        if type_name in _STRING_TYPES:
            target = "String"
            items = list(texts)
        elif type_name in ("Long", "Double", "Decimal", "Boolean"):
            target = "Long" if type_name == "Long" else "Boolean"
            if type_name in ("Double", "Decimal"):
                target = "Double"
            for value, start, end in texts:
                converted = self.convert(type_name, value, label, (start, end))
                if converted is None:
                    target = "String"  # rejected: kept as text for the rules that still look
                    items = list(texts)
                    break
                items.append((converted, start, end))
        else:
            self.problem(
                "CFG003",
                f"the text between '{{' and '}}' at the start of the value of {label} is not a "
                "JCR type (String, Long, Double, Decimal, Boolean, Date, Name, Path, URI…): the "
                "platform rejects the configuration (to start a value with '{', for example a "
                "CryptoSupport-protected value, write {String}{…} or \\{…})",
                *whole,
            )
            self.readable = False
            target = "String"
            items = list(texts)
        self.add(attribute, target, items, view.is_multi)

    def convert(
        self, type_name: str, value: str, label: str, span: tuple[int, int]
    ) -> object | None:
        rejects = "the platform rejects the configuration"
        if type_name == "Boolean":
            if not (value.isascii() and value.lower() in ("true", "false")):
                self.problem(
                    "CFG008",
                    f"the Boolean value of {label} is neither true nor false: the platform reads "
                    "it as false (true only for the text true, in any case); write true or false",
                    *span,
                )
            return value.isascii() and value.lower() == "true"
        if not value:
            self.problem("CFG003", f"an empty {type_name} value in {label}: {rejects}", *span)
            self.readable = False
            return None
        number: object | None
        if type_name == "Long":
            number = _java_parse_int(value, 10, 64)
            expected = "a whole number in the Long range"
        elif type_name == "Double":
            number = parse_java_double(value)
            expected = "a number"
        else:
            number = _big_decimal_double(value)
            expected = "a decimal number"
        if number is None:
            self.problem(
                "CFG003",
                f"the {type_name} value of {label} is not {expected}: {rejects}",
                *span,
            )
            self.readable = False
        return number

    def add(
        self,
        attribute: _Attribute,
        element_type: str,
        items: list[tuple[object, int, int]],
        is_multi: bool,
    ) -> None:
        name = attribute.name
        index = self.index
        secret = self.is_secret_name(name)
        scalars: list[Scalar] = []
        for value, start, end in items:
            if isinstance(value, str):
                placeholders = (
                    find_placeholders(value, secret)
                    if element_type == "String" and "$[" in value
                    else ()
                )
                stored: ScalarValue = Secret(value) if secret else value
                scalars.append(new_scalar(stored, index.span(start, end), placeholders))
            else:
                assert isinstance(value, int | float)
                scalars.append(new_scalar(value, index.span(start, end), ()))
        prop = new_property(
            name,
            f"{element_type}[]" if is_multi else element_type,
            index.span(attribute.name_start, attribute.name_end),
            index.span(attribute.value_start, attribute.value_end),
            tuple(scalars),
            is_multi,
        )
        folded = name.upper()
        earlier = self.properties.pop(folded, None)
        if earlier is not None:
            line = index.position(earlier[0])[0]
            self.problem(
                "CFG002",
                f'"{name}" names the same property as the attribute on line {line} (names are '
                "case-insensitive): the platform keeps only the last value",
                attribute.name_start,
                attribute.name_end,
            )
        self.properties[folded] = (attribute.name_start, prop)


def parse_sling_xml(text: str, is_secret_name: Callable[[str], bool]) -> ParsedConfig | None:
    """Read a FileVault DocView ``sling:OsgiConfig`` node as the platform does; never raises.

    Returns None when the document is not an OSGi configuration (its root is not
    ``jcr:primaryType="sling:OsgiConfig"``): the caller ignores it.
    """
    index = LineIndex(text)
    try:
        root = _read_root(text, index)
    except _XmlError as error:
        if not error.always and "OsgiConfig" not in text:
            return None
        start = min(error.start, len(text))
        problem = Problem("CFG001", error.message, index.span(start, start))
        return ParsedConfig((), (problem,), False)
    if root is None or not _is_osgi_config(root):
        return None
    builder = _Builder(text, index, is_secret_name)
    for attribute in root.attributes:
        name = attribute.name
        if ":" in name or name == "xmlns" or not attribute.value:
            continue
        builder.attribute(attribute)
    properties = tuple(prop for _, prop in builder.properties.values())
    problems = sorted(builder.problems, key=lambda p: p.span.start if p.span else 0)
    return ParsedConfig(properties, tuple(problems), builder.readable)
