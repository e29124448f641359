"""The Sling/Felix ``.cfg.json`` OSGi configuration format, read as the platform reads it.

The platform (Apache Felix ``cm.json`` ``ConfigurationReaderImpl`` on Apache Johnzon's JSON-P
parser, as used by the Sling content-package converter that turns a project's ``.cfg.json`` files
into OSGi configurations) reads a file like this; each point names the source it follows:

Syntax
    - ``//`` line comments and ``/* */`` block comments are removed outside strings before parsing
      (``JsonSupport.CommentRemovingReader``). Here a comment counts as whitespace; Felix's
      textual removal would also join a token split by a comment (``tr/**/ue``), which this
      parser reports as CFG001. An unterminated block comment is CFG001 (even after the root
      object, where Felix's current reader would silently drop the rest of the file).
    - Everything else is strict JSON (Johnzon ``JsonStreamParserImpl``): whitespace is only space,
      tab, CR and LF (a byte-order mark is an error); no trailing commas, single quotes, unquoted
      keys, ``NaN``/``Infinity``, leading zeros, unescaped control characters or line breaks in
      strings, escapes other than ``\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX``; nothing after the
      root; the root must be an object (``JsonSupport.parseJson``: "no root object"); a number
      whose exponent ``BigDecimal`` cannot hold (beyond 2^31 - 1).
    - Any of these is one CFG001 at the first error; the file is then unreadable. Nesting deeper
      than :data:`MAX_DEPTH` is CFG001 too (Johnzon's reader recurses per level and would
      overflow the Java stack long before 200,000 levels); parsing never recurses.

Keys (``ConfigurationReaderImpl.KeyInfo``)
    - The type hint is the text after the first ``:`` (``"port:Integer"``); the property name is
      the text before it. A ``:configurator:`` prefix marks an internal property: the prefix is
      removed and its value is stored unconverted.
    - The same key twice in the JSON: Johnzon keeps the last value (at the first key's place) and
      the platform does not complain; reported as CFG002 (a silently lost value), file readable.
    - Two keys naming the same property case-insensitively (``"a"``/``"A"``, ``"a"``/``"a:Long"``):
      the platform throws "Duplicate property" -> CFG002 at the later key, file unreadable, the
      first one kept.

Values without a hint (``JsonSupport.convertToObject``)
    - string -> ``String``; true/false -> ``Boolean``; a number whose ``BigDecimal`` scale is 0
      (no fraction digits left after the exponent: ``5``, ``1.5e1``) -> ``Long`` (wrapped to 64
      bits, as ``BigDecimal.longValue``); any other number -> ``Double``.
    - array: empty -> ``String[]``; all strings -> ``String[]``; all booleans -> ``Boolean[]``; all
      numbers -> ``Long[]`` if every one is integral, else ``Double[]``; all objects -> ``String[]``
      of each object as compact JSON; anything else (mixed kinds, nested arrays, nulls) -> one
      ``String`` holding the array as compact JSON.
    - object -> one ``String`` holding the object as compact JSON (Johnzon ``toString``).
    - ``null`` -> the configuration is invalid (``readSingleConfiguration`` returns null): CFG003.

Values with a hint (``TypeConverter.convertObjectToType`` + the OSGi standard converter)
    - Known hints (case-sensitive): ``String Integer int Long long Float float Double double Byte
      byte Short short Character char Boolean boolean``, each with ``[]`` (``int[]`` is a primitive
      array, ``Integer[]`` a boxed one), ``Collection``, ``Collection<T>`` for the boxed names, and
      ``binary``/``binary[]`` (only allowed in bundle resources: the reader throws for files).
    - Conversions follow the converter: ``String`` to a number uses Java ``valueOf`` (strict:
      ``"8080"`` converts, ``"$[env:PORT]"`` and ``" 1"`` do not); numbers narrow as Java casts
      do; ``String`` to ``Boolean`` is ``"true"`` ignoring case, anything else false; ``String`` to
      ``Character`` is the first UTF-16 unit; a scalar to an array or collection is a one-element
      one (but ``String`` to ``char[]``/``Character[]`` splits the string); an array to a scalar
      is its first element (an empty one fails); ``null`` with an array or collection hint is an
      empty array or collection.
    - An unknown hint or a value the converter cannot convert makes the reader throw: CFG003,
      file unreadable. The property is then kept with its unhinted value (so that, e.g., a secret
      in it is still seen).
    - ``type_name`` is the platform's type: boxed names for scalars (``int`` -> ``Integer``), the
      hint as written for arrays (``int[]`` stays a primitive array), ``Collection<T>`` for
      collections (a raw ``Collection`` is named after its elements, ``Collection<Long>``).

Every property keeps the span of its quoted key, of its whole value, and of each element; every
``String``-typed value carries its placeholders (:mod:`aemlint.parsing.placeholders`), also in a
``Collection<String>``, which Felix's interpolation plugin leaves alone (it rewrites only
``String`` and ``String[]`` values) — a rule can tell by ``type_name``. In a property whose
name ``is_secret_name`` accepts, every string value is a :class:`~aemlint.types.Secret` and the
placeholders' directive values are secrets too. Messages never quote values from the file.
"""

from __future__ import annotations

import math
import re
import struct
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Final

from aemlint.parsing.java_numbers import parse_java_double
from aemlint.parsing.placeholders import find_placeholders
from aemlint.parsing.text import JSON_ESCAPES, LineIndex, describe_char, new_span, utf16_units
from aemlint.parsing.values import (
    ParsedConfig,
    Problem,
    ProblemCode,
    Property,
    Scalar,
    ScalarValue,
    SyntaxFailure,
    new_property,
    new_scalar,
)
from aemlint.types import Secret, Span

__all__ = ["MAX_DEPTH", "parse_cfg_json"]

MAX_DEPTH: Final = 1000
"""Deepest nesting of objects and arrays accepted (the root object is level 1)."""

# --------------------------------------------------------------------------------------------
# Tokens. One regex call per token: leading whitespace/comments, then one of the token groups.

# Atomic: once whitespace and comments are skipped the regex never backtracks into them (a block
# comment must end at its first "*/", whatever follows). Plain whitespace first, possessively:
# most gaps hold no comment.
_WS_SRC = r"[ \t\r\n]*+(?>(?:(?://[^\n]*+|/\*.*?\*/)[ \t\r\n]*+)*)"
_WS = re.compile(_WS_SRC, re.S)
_TOKEN = re.compile(
    _WS_SRC
    + r"""(?:
        (?P<s>"[^"\\\x00-\x1f]*")
      | (?P<p>[,:\[\]{}])
      | (?P<n>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
      | (?P<e>"(?:[^"\\\x00-\x1f]
                 |\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}|[\ud800-\udfff\U00010000-\U0010ffff])
                )*")
      | (?P<l>true|false|null)
    )?""",
    re.S | re.X,
)
# Fast paths: a whole member with a plain key and a scalar value or an array of plain strings
# (groups: 1 key, 2 string, 3 number, 4 literal, 5 array); an array of plain strings alone.
_PLAIN = r'"[^"\\\x00-\x1f]*"'
_ARRAY_OF_PLAIN = (
    r"\[[ \t\r\n]*(?:" + _PLAIN + r"[ \t\r\n]*(?:,[ \t\r\n]*" + _PLAIN + r"[ \t\r\n]*)*)?\]"
)
_MEMBER = re.compile(
    _WS_SRC
    + r'"([^"\\\x00-\x1f]*)"'
    + _WS_SRC
    + ":"
    + _WS_SRC
    + r"(?:("
    + _PLAIN
    + r")|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)"
    + r"|(true|false|null)|("
    + _ARRAY_OF_PLAIN
    + "))",
    re.S,
)
# After a member: "," and the next member at once (the groups as in _MEMBER).
_NEXT_MEMBER = re.compile(_WS_SRC + "," + _MEMBER.pattern, re.S)
_STRING_ARRAY = re.compile(r"[ \t\r\n]*" + _ARRAY_OF_PLAIN)
_PLAIN_STRING = re.compile(_PLAIN)
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))", re.S)
_SIMPLE_ESCAPES = JSON_ESCAPES
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NUMBER_FOLLOW: Final = frozenset(",]} \t\r\n/")
_MAX_EXPONENT: Final = 2**31 - 1
_VALUE_STARTS: Final = frozenset('"-0123456789')
_HEX_DIGITS: Final = frozenset("0123456789abcdefABCDEF")
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_KNOWN_WORDS: Final = {
    "NaN": "NaN is not allowed in JSON",
    "Infinity": "Infinity is not allowed in JSON",
    "undefined": "undefined is not a JSON value",
    "True": "True is not a JSON literal (use true)",
    "False": "False is not a JSON literal (use false)",
    "None": "None is not a JSON literal (use null)",
    "NULL": "NULL is not a JSON literal (use null)",
    "Null": "Null is not a JSON literal (use null)",
    "TRUE": "TRUE is not a JSON literal (use true)",
    "FALSE": "FALSE is not a JSON literal (use false)",
}

# Parse-tree nodes are plain tuples (kind, start, end, payload):
#   "s" string (payload: text), "n" number (payload: literal), "t"/"f"/"z" true/false/null,
#   "a" array (payload: list of nodes), "o" object (payload: list of members, each
#   (key, key start, key end, node)).
Node = tuple[str, int, int, Any]
Member = tuple[str, int, int, Node]


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code is not None:
            return chr(int(code, 16))
        char = match.group(2)
        return _SIMPLE_ESCAPES.get(char, char)  # \<surrogate> is accepted by Johnzon

    text = _ESCAPE.sub(replace, raw)
    if _SURROGATE.search(text):
        # Java strings are UTF-16: an escaped surrogate pair is one character.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


class _Frame:
    """An open object or array while parsing."""

    __slots__ = ("is_object", "items", "key", "key_end", "key_start", "start")

    def __init__(self, is_object: bool, start: int, items: list[Any]) -> None:
        self.is_object = is_object
        self.start = start
        self.items = items
        self.key = ""
        self.key_start = 0
        self.key_end = 0


# Parser states: what may come next.
_VALUE, _VALUE_OR_CLOSE, _KEY_OR_CLOSE, _KEY, _COLON, _AFTER_VALUE = range(6)
_EXPECTED: Final = {
    _VALUE: "a value",
    _VALUE_OR_CLOSE: "a value or ']'",
    _KEY_OR_CLOSE: "a property name in double quotes or '}'",
    _KEY: "a property name in double quotes",
    _COLON: "':' after the property name",
}


def _plain_string_array(text: str, start: int, end: int) -> Node:
    """The node of an array of escape-free strings at ``text[start:end]`` (what the fast
    patterns matched), one string node per element."""
    return (
        "a",
        start,
        end,
        [
            ("s", element.start(), element.end(), element.group()[1:-1])
            for element in _PLAIN_STRING.finditer(text, start, end)
        ],
    )


class _Parser:
    """Strict JSON with comments, iterative, positions kept.

    :meth:`parse` appends each completed member of the root object to ``members`` and raises
    :class:`SyntaxFailure` at the first error.
    """

    __slots__ = ("index", "members", "stack", "text")

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index
        self.members: list[Member] = []
        self.stack: list[_Frame] = []

    # -- diagnostics ----------------------------------------------------------------------

    def _string_error(self, start: int) -> SyntaxFailure:
        text = self.text
        length = len(text)
        index = start + 1
        while index < length:
            char = text[index]
            if char == "\n":
                return SyntaxFailure(
                    index,
                    index,
                    "line break inside a string: a string must end on the line it starts "
                    "(write \\n for a line break)",
                )
            if char < " ":
                return SyntaxFailure(
                    index,
                    index + 1,
                    f"control character U+{ord(char):04X} inside a string must be escaped",
                )
            if char == "\\":
                following = text[index + 1 : index + 2]
                if following == "u":
                    digits = text[index + 2 : index + 6]
                    if len(digits) < 4 or any(c not in _HEX_DIGITS for c in digits):
                        return SyntaxFailure(
                            index,
                            index + 1,
                            "'\\u' in a string must be followed by four hexadecimal digits",
                        )
                    index += 6
                    continue
                if following and (following in _SIMPLE_ESCAPES or following >= "\ud800"):
                    index += 2
                    continue
                if following:
                    return SyntaxFailure(
                        index,
                        index + 1,
                        "invalid escape in a string: a backslash must be followed by one of "
                        '" \\ / b f n r t u (write \\\\ for a backslash)',
                    )
            index += 1
        line = self.index.position(start)[0]
        return SyntaxFailure(
            length,
            length,
            f"unterminated string: the file ends before the closing '\"' of the string on line "
            f"{line}",
        )

    def _unexpected(self, at: int, expected: str) -> SyntaxFailure:
        text = self.text
        if at >= len(text):
            message = f"unexpected end of file: expected {expected}"
            if self.stack:
                frame = self.stack[-1]
                what = "object" if frame.is_object else "array"
                line = self.index.position(frame.start)[0]
                message += f" (the {what} opened on line {line} is not closed)"
            return SyntaxFailure(at, at, message)
        char = text[at]
        if char == '"':
            return self._string_error(at)
        if char == "/":
            if text.startswith("/*", at):
                return SyntaxFailure(
                    at, at + 1, "unterminated block comment: '/*' has no closing '*/'"
                )
            return SyntaxFailure(
                at, at + 1, f"unexpected '/' (comments start with // or /*): expected {expected}"
            )
        if char == "'":
            return SyntaxFailure(
                at,
                at + 1,
                f"single quotes are not allowed in JSON (use double quotes): expected {expected}",
            )
        if char == "\ufeff":
            return SyntaxFailure(
                at,
                at + 1,
                "byte-order mark (U+FEFF): the platform's reader does not skip it; save the file "
                "as UTF-8 without a BOM",
            )
        if char == "-" or char == ".":
            return SyntaxFailure(
                at, at + 1, f"malformed number (a digit must follow '{char}'): expected {expected}"
            )
        word = _WORD.match(text, at)
        if word is not None:
            known = _KNOWN_WORDS.get(word.group())
            if known is not None:
                return SyntaxFailure(at, at + 1, f"{known}: expected {expected}")
            if "property name" in expected:
                return SyntaxFailure(
                    at, at + 1, "unquoted property name: property names must be in double quotes"
                )
            return SyntaxFailure(
                at,
                at + 1,
                f"unquoted text: strings must be in double quotes (expected {expected})",
            )
        return SyntaxFailure(at, at + 1, f"expected {expected}, found {describe_char(char)}")

    def _after_number(self, start: int, end: int) -> None:
        text = self.text
        exponent = max(text.rfind("e", start, end), text.rfind("E", start, end))
        if exponent != -1:
            digits = text[exponent + 1 : end].lstrip("+-").lstrip("0")
            if len(digits) > 10 or (digits and int(digits) > _MAX_EXPONENT):
                # Java's BigDecimal refuses it (NumberFormatException: the parse fails).
                raise SyntaxFailure(exponent, exponent + 1, "the exponent of a number is too large")
        if end >= len(text) or text[end] in _NUMBER_FOLLOW:
            return
        char = text[end]
        if "0" <= char <= "9":
            raise SyntaxFailure(end - 1, end, "numbers must not have leading zeros")
        if char == ".":
            raise SyntaxFailure(end, end + 1, "a digit must follow the decimal point")
        if char == "e" or char == "E":
            raise SyntaxFailure(end, end + 1, "the exponent of a number needs digits")

    def _missing_comma(self, value_end: int) -> SyntaxFailure:
        what = "properties" if self.stack[-1].is_object else "array elements"
        return SyntaxFailure(value_end, value_end, f"missing ',' between {what}")

    def _state_error(self, state: int, at: int, value_end: int) -> SyntaxFailure:
        text = self.text
        if state == _AFTER_VALUE:
            if at < len(text) and text[at] in _VALUE_STARTS:
                return self._missing_comma(value_end)
            expected = "',' or '}'" if self.stack[-1].is_object else "',' or ']'"
        else:
            expected = _EXPECTED[state]
        return self._unexpected(at, expected)

    def _after_root(self, pos: int) -> None:
        text = self.text
        whitespace = _WS.match(text, pos)
        assert whitespace is not None  # the pattern matches the empty string
        at = whitespace.end()
        if at < len(text):
            if text.startswith("/*", at):
                raise self._unexpected(at, "the end of the file")
            raise SyntaxFailure(
                at,
                at + 1,
                "unexpected text after the closing '}': the file must contain exactly one "
                "JSON object",
            )

    # -- the parser -----------------------------------------------------------------------

    def parse(self) -> None:
        text = self.text
        token = _TOKEN.match
        length = len(text)

        match = token(text, 0)
        assert match is not None  # every part of the pattern is optional
        kind = match.lastgroup
        pos = match.end()
        if kind is None:
            if pos >= length:
                raise SyntaxFailure(length, length, "empty file: expected a JSON object '{'")
            raise self._unexpected(pos, "a JSON object '{'")
        start = match.start(kind)
        if kind != "p" or text[start] != "{":
            raise SyntaxFailure(
                start,
                start + 1,
                "the file must contain one JSON object: expected '{' at the start",
            )
        stack = self.stack
        stack.append(_Frame(True, start, self.members))
        state = _KEY_OR_CLOSE
        comma_at = -1
        value_end = pos
        node: Node
        member = _MEMBER.match
        next_member = _NEXT_MEMBER.match
        string_array = _STRING_ARRAY.match
        while True:
            fast = None
            if state in (_KEY_OR_CLOSE, _KEY):
                fast = member(text, pos)
            elif state == _AFTER_VALUE and stack[-1].is_object:
                fast = next_member(text, pos)  # what the "," token and then member() read
            if fast is not None:
                # Whole members, one regex match each, for as long as they come.
                append = stack[-1].items.append
                while fast is not None:
                    group = fast.lastindex
                    assert group is not None
                    key_start, key_end = fast.span(1)
                    start, pos = fast.span(group)
                    if group == 2:
                        node = ("s", start, pos, text[start + 1 : pos - 1])
                    elif group == 3:
                        literal = text[start:pos]
                        if (
                            "e" in literal
                            or "E" in literal
                            or (pos < length and text[pos] not in _NUMBER_FOLLOW)
                        ):
                            self._after_number(start, pos)  # else it has nothing to check
                        node = ("n", start, pos, literal)
                    elif group == 4:
                        first = text[start]
                        node = ("z" if first == "n" else first, start, pos, None)
                    else:
                        node = _plain_string_array(text, start, pos)
                    append((fast.group(1), key_start - 1, key_end + 1, node))
                    fast = next_member(text, pos)
                value_end = pos
                state = _AFTER_VALUE
                # next_member() has just failed here: on to the token (not round the loop).
            elif state == _VALUE:
                fast = string_array(text, pos)
                if fast is not None:
                    end = fast.end()
                    start = text.index("[", pos)
                    node = _plain_string_array(text, start, end)
                    pos = end
                    frame = stack[-1]
                    if frame.is_object:
                        frame.items.append((frame.key, frame.key_start, frame.key_end, node))
                    else:
                        frame.items.append(node)
                    value_end = pos
                    state = _AFTER_VALUE
                    continue
            match = token(text, pos)
            assert match is not None
            kind = match.lastgroup
            if kind is None:
                raise self._state_error(state, match.end(), value_end)
            start = match.start(kind)
            pos = match.end()
            if state <= _VALUE_OR_CLOSE:
                if kind == "s":
                    node = ("s", start, pos, text[start + 1 : pos - 1])
                elif kind == "e":
                    node = ("s", start, pos, _unescape(text[start + 1 : pos - 1]))
                elif kind == "n":
                    self._after_number(start, pos)
                    node = ("n", start, pos, text[start:pos])
                elif kind == "l":
                    first = text[start]
                    node = ("z" if first == "n" else first, start, pos, None)
                else:
                    char = text[start]
                    if char == "{" or char == "[":
                        if len(stack) >= MAX_DEPTH:
                            raise SyntaxFailure(
                                start,
                                start + 1,
                                f"nesting deeper than {MAX_DEPTH} levels of objects and arrays",
                            )
                        stack.append(_Frame(char == "{", start, []))
                        state = _KEY_OR_CLOSE if char == "{" else _VALUE_OR_CLOSE
                        comma_at = -1
                        continue
                    if char == "]" and state == _VALUE_OR_CLOSE:
                        frame = stack.pop()
                        node = ("a", frame.start, pos, frame.items)
                    elif char == "]" and comma_at >= 0:
                        raise SyntaxFailure(
                            comma_at,
                            comma_at + 1,
                            "trailing comma before ']': JSON does not allow it (remove the ',')",
                        )
                    else:
                        raise SyntaxFailure(start, start + 1, f"expected a value, found '{char}'")
            elif state <= _KEY:
                if kind == "s" or kind == "e":
                    frame = stack[-1]
                    raw = text[start + 1 : pos - 1]
                    frame.key = raw if kind == "s" else _unescape(raw)
                    frame.key_start = start
                    frame.key_end = pos
                    state = _COLON
                    continue
                char = text[start]
                if kind == "p" and char == "}":
                    if state == _KEY:
                        raise SyntaxFailure(
                            comma_at,
                            comma_at + 1,
                            "trailing comma before '}': JSON does not allow it (remove the ',')",
                        )
                    frame = stack.pop()
                    node = ("o", frame.start, pos, frame.items)
                elif kind == "p":
                    raise SyntaxFailure(
                        start,
                        start + 1,
                        f"expected a property name in double quotes, found '{char}'",
                    )
                else:
                    raise SyntaxFailure(
                        start,
                        start + 1,
                        "property names must be strings in double quotes",
                    )
            elif state == _COLON:
                if kind == "p" and text[start] == ":":
                    state = _VALUE
                    comma_at = -1
                    continue
                raise SyntaxFailure(start, start + 1, "expected ':' after the property name")
            else:  # _AFTER_VALUE
                frame = stack[-1]
                if kind != "p":
                    raise self._missing_comma(value_end)
                char = text[start]
                if char == ",":
                    comma_at = start
                    state = _KEY if frame.is_object else _VALUE
                    continue
                if char == ("}" if frame.is_object else "]"):
                    stack.pop()
                    node = ("o" if frame.is_object else "a", frame.start, pos, frame.items)
                elif char == "{" or char == "[":
                    raise self._missing_comma(value_end)
                else:
                    closer = "}" if frame.is_object else "]"
                    raise SyntaxFailure(
                        start, start + 1, f"expected ',' or '{closer}', found '{char}'"
                    )
            # A value is complete: attach it to the enclosing container.
            if not stack:
                self._after_root(pos)
                return
            frame = stack[-1]
            if frame.is_object:
                frame.items.append((frame.key, frame.key_start, frame.key_end, node))
            else:
                frame.items.append(node)
            value_end = pos
            state = _AFTER_VALUE


# --------------------------------------------------------------------------------------------
# Values: JSON -> what the platform stores.

_INT64 = 1 << 64
_NUMBER_PARTS = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?")
_JAVA_INTEGER = re.compile(r"[+-]?\d+")
_JSON_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
_JSON_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}

_RANGES: Final = {
    "Byte": (-(1 << 7), (1 << 7) - 1),
    "Short": (-(1 << 15), (1 << 15) - 1),
    "Integer": (-(1 << 31), (1 << 31) - 1),
    "Long": (-(1 << 63), (1 << 63) - 1),
}
_SCALAR_TYPES: Final = {
    "String": "String",
    "Integer": "Integer",
    "int": "Integer",
    "Long": "Long",
    "long": "Long",
    "Float": "Float",
    "float": "Float",
    "Double": "Double",
    "double": "Double",
    "Byte": "Byte",
    "byte": "Byte",
    "Short": "Short",
    "short": "Short",
    "Character": "Character",
    "char": "Character",
    "Boolean": "Boolean",
    "boolean": "Boolean",
}
_BOXED: Final = (
    "String",
    "Integer",
    "Long",
    "Float",
    "Double",
    "Byte",
    "Short",
    "Character",
    "Boolean",
)
# Boxed numeric arrays other than Integer[] reject the Integer the converter makes of a boolean.
_REJECTS_BOOLEAN_INTEGER: Final = frozenset(
    {"Long[]", "Float[]", "Double[]", "Byte[]", "Short[]", "byte[]", "short[]"}
)
_CONFIGURATOR_PREFIX: Final = ":configurator:"
_TOKEN_KINDS: Final = frozenset("sntf")


class _ConversionFailed(Exception):
    """The converter cannot convert (``TypeConverter.CONVERSION_FAILED``)."""

    def __init__(self, node: Node) -> None:
        super().__init__("conversion failed")
        self.node = node


def _wrap(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _digits_mod_2_64(digits: str) -> int:
    if len(digits) <= 18:
        return int(digits)
    value = 0
    for index in range(0, len(digits), 18):
        chunk = digits[index : index + 18]
        value = (value * 10 ** len(chunk) + int(chunk)) % _INT64
    return value


def _json_number(literal: str) -> int | float:
    """``JsonNumber`` -> Long (``BigDecimal`` scale 0, wrapped to 64 bits) or Double."""
    if len(literal) < 19 and literal.lstrip("-").isdigit():
        return int(literal)  # the common case: a plain integer that fits
    parts = _NUMBER_PARTS.fullmatch(literal)
    assert parts is not None
    sign, whole, fraction, exponent = parts.groups()
    fraction = fraction or ""
    scale = len(fraction) - (int(exponent) if exponent else 0)
    if scale != 0:
        return float(literal)
    value = _digits_mod_2_64(whole + fraction)
    return _wrap(-value if sign else value, 64)


def _big_decimal_string(literal: str) -> str:
    """Java ``new BigDecimal(literal).toString()``."""
    parts = _NUMBER_PARTS.fullmatch(literal)
    assert parts is not None
    sign, whole, fraction, exponent = parts.groups()
    fraction = fraction or ""
    coefficient = (whole + fraction).lstrip("0") or "0"
    scale = len(fraction) - (int(exponent) if exponent else 0)
    negative = bool(sign) and coefficient != "0"
    adjusted = -scale + (len(coefficient) - 1)
    if scale >= 0 and adjusted >= -6:
        if scale == 0:
            body = coefficient
        elif len(coefficient) > scale:
            body = coefficient[:-scale] + "." + coefficient[-scale:]
        else:
            body = "0." + "0" * (scale - len(coefficient)) + coefficient
    else:
        body = coefficient[0] + ("." + coefficient[1:] if len(coefficient) > 1 else "")
        body += "E" + ("+" if adjusted >= 0 else "") + str(adjusted)
    return "-" + body if negative else body


def _quote(text: str) -> str:
    """Johnzon ``JsonStringImpl.toString``."""
    return (
        '"'
        + _JSON_ESCAPE.sub(lambda m: _JSON_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
        + '"'
    )


def _number_json(literal: str, in_array: bool) -> str:
    """How Johnzon prints a number it read (``JsonLongImpl`` or ``JsonNumberImpl``)."""
    if "." in literal or "e" in literal or "E" in literal:
        return _big_decimal_string(literal)
    if in_array:  # JsonLongImpl(parser.getLong())
        return str(
            _wrap(_digits_mod_2_64(literal.lstrip("-")) * (-1 if literal[0] == "-" else 1), 64)
        )
    return _big_decimal_string(literal)  # long or BigDecimal: the same digits


def _compact_json(node: Node) -> str:
    """Johnzon's ``toString`` of an object or array, without recursion."""
    out: list[str] = []
    work: list[tuple[Node, bool] | str] = [(node, False)]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        current, in_array = item
        kind = current[0]
        payload = current[3]
        if kind == "s":
            assert isinstance(payload, str)
            out.append(_quote(payload))
        elif kind == "n":
            assert isinstance(payload, str)
            out.append(_number_json(payload, in_array))
        elif kind == "t":
            out.append("true")
        elif kind == "f":
            out.append("false")
        elif kind == "z":
            out.append("null")
        elif kind == "a":
            elements: list[Node] = payload
            out.append("[")
            work.append("]")
            for position in range(len(elements) - 1, -1, -1):
                work.append((elements[position], True))
                if position:
                    work.append(",")
        else:
            members: list[tuple[str, Node]] = [(m[0], m[3]) for m in payload]
            entries = dict(members)  # LinkedHashMap: first position, last value
            keys = list(entries)
            out.append("{")
            work.append("}")
            for position in range(len(keys) - 1, -1, -1):
                key = keys[position]
                work.append((entries[key], False))
                work.append(_quote(key) + ":")
                if position:
                    work.append(",")
    return "".join(out)


# A property value as the platform's unhinted reading gives it: (type, [(value, node)], multi)
# where type is "String", "Long", "Double", "Boolean" (the element type for arrays) or None for
# null. Values are str, int, float, bool.
_Natural = tuple[str | None, list[tuple[object, Node]], bool]


def _natural(node: Node) -> _Natural:
    """``JsonSupport.convertToObject``."""
    kind = node[0]
    payload = node[3]
    if kind == "s":
        return "String", [(payload, node)], False
    if kind == "n":
        assert isinstance(payload, str)
        number = _json_number(payload)
        return ("Long" if isinstance(number, int) else "Double"), [(number, node)], False
    if kind == "t" or kind == "f":
        return "Boolean", [(kind == "t", node)], False
    if kind == "z":
        return None, [], False
    if kind == "o":
        return "String", [(_compact_json(node), node)], False
    elements: list[Node] = payload
    if not elements:
        return "String", [], True
    first = elements[0][0]
    group = "b" if first in "tf" else first
    for element in elements:
        element_kind = element[0]
        if ("b" if element_kind in "tf" else element_kind) != group:
            return "String", [(_compact_json(node), node)], False
    if group == "s":
        return "String", [(e[3], e) for e in elements], True
    if group == "b":
        return "Boolean", [(e[0] == "t", e) for e in elements], True
    if group == "o":
        return "String", [(_compact_json(e), e) for e in elements], True
    if group == "n":
        numbers = [(_json_number(e[3]), e) for e in elements]
        if all(isinstance(n, int) for n, _ in numbers):
            return "Long", list(numbers), True
        return "Double", [(float(n), e) for n, e in numbers], True
    return "String", [(_compact_json(node), node)], False  # arrays of arrays or of nulls


def _java_double_string(value: float) -> str:
    """Java ``Double.toString``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    mantissa, _, exponent_text = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = (
        len(whole.lstrip("0")) if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")))
    )
    point += int(exponent_text) if exponent_text else 0
    digits = digits.rstrip("0") or "0"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    rest = digits[1:] or "0"
    return f"{sign}{digits[0]}.{rest}E{point - 1}"


def _float32(value: float) -> float:
    try:
        result: float = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    return result


def _double_to_int(value: float, bits: int) -> int:
    """Java's narrowing of a double to int (bits 32) or long (bits 64): saturating."""
    if math.isnan(value):
        return 0
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if value >= high:
        return high
    if value <= low:
        return low
    return int(value)


def _convert_scalar(target: str, source: str, value: object) -> object:
    """The standard converter, for one JSON-derived value; raises ValueError when it cannot."""
    if target == source:
        return value
    if target == "String":
        if source == "Long":
            return str(value)
        if source == "Double":
            assert isinstance(value, float)
            return _java_double_string(value)
        return "true" if value else "false"
    if target == "Boolean":
        if source == "String":
            assert isinstance(value, str)
            return len(value) == 4 and value.lower() == "true"
        if source == "Long":
            return value != 0
        assert isinstance(value, float)
        return _double_to_int(value, 64) != 0
    if target == "Character":
        if source == "String":
            assert isinstance(value, str)
            return utf16_units(value[:1])[0] if value else "\x00"
        if source == "Boolean":
            return "\x01" if value else "\x00"
        if source == "Long":
            assert isinstance(value, int)
            return chr(value & 0xFFFF)
        assert isinstance(value, float)
        return chr(_double_to_int(value, 32) & 0xFFFF)
    # numeric targets
    if source == "Boolean":
        return 1 if value else 0  # the converter makes an Integer of it
    if source == "String":
        assert isinstance(value, str)
        if target in ("Float", "Double"):
            parsed = parse_java_double(value)
            if parsed is None:
                raise ValueError(target)
            return _float32(parsed) if target == "Float" else parsed
        if _JAVA_INTEGER.fullmatch(value) is None or len(value) > 40:
            raise ValueError(target)
        number = int(value)
        low, high = _RANGES[target]
        if not low <= number <= high:
            raise ValueError(target)
        return number
    if source == "Long":
        assert isinstance(value, int)
        if target == "Float":
            return _float32(float(value))
        if target == "Double":
            return float(value)
        bits = {"Byte": 8, "Short": 16, "Integer": 32, "Long": 64}[target]
        return _wrap(value, bits)
    assert isinstance(value, float)
    if target == "Float":
        return _float32(value)
    if target == "Long":
        return _double_to_int(value, 64)
    as_int = _double_to_int(value, 32)
    return {"Integer": as_int, "Short": _wrap(as_int, 16), "Byte": _wrap(as_int, 8)}[target]


def _element_type(hint: str) -> str | None:
    """``String[]`` -> ``String``, ``int[]`` -> ``Integer``; None if not an array hint."""
    if hint.endswith("[]"):
        return _SCALAR_TYPES.get(hint[:-2])
    return None


def _collection_type(hint: str) -> str | None:
    if hint.startswith("Collection<") and hint.endswith(">"):
        inner = hint[11:-1]
        return inner if inner in _BOXED else None
    return None


# Converted value: (type_name, [(value, node)], is_multi, element_type)
_Converted = tuple[str, list[tuple[object, Node]], bool, str]


def _convert(hint: str, natural: _Natural, value_node: Node) -> _Converted | None:
    """``TypeConverter.convertObjectToType`` for a known hint; None for an unknown hint.

    Raises :class:`_ConversionFailed` when the converter fails; returns an empty value for the
    cases where it gives null (a scalar hint on ``null``).
    """
    source, items, is_array = natural
    scalar = _SCALAR_TYPES.get(hint)
    if scalar is not None:
        if source is None:
            return scalar, [], False, scalar
        if is_array and not items:
            raise _ConversionFailed(value_node)
        value, node = items[0]
        try:
            return scalar, [(_convert_scalar(scalar, source, value), node)], False, scalar
        except ValueError:
            raise _ConversionFailed(node) from None
    element = _element_type(hint)
    collection = _collection_type(hint)
    if element is None and collection is None and hint != "Collection":
        return None
    if hint == "Collection":
        return f"Collection<{source or 'String'}>", list(items), True, source or "String"
    target = element or collection
    assert target is not None
    if source is None:
        return hint, [], True, target
    if (
        element is not None
        and not is_array
        and source == "String"
        and hint in ("char[]", "Character[]")
    ):
        value, node = items[0]
        assert isinstance(value, str)
        return hint, [(unit, node) for unit in utf16_units(value)], True, target
    if element is not None and source == "Boolean" and hint in _REJECTS_BOOLEAN_INTEGER:
        raise _ConversionFailed(items[0][1])
    converted: list[tuple[object, Node]] = []
    for value, node in items:
        try:
            converted.append((_convert_scalar(target, source, value), node))
        except ValueError:
            raise _ConversionFailed(node) from None
    return hint, converted, True, target


# --------------------------------------------------------------------------------------------
# Building properties.


class _Builder:
    __slots__ = ("index", "is_secret_name", "problems", "unreadable")

    def __init__(self, index: LineIndex, is_secret_name: Callable[[str], bool]) -> None:
        self.index = index
        self.is_secret_name = is_secret_name
        self.problems: list[Problem] = []
        self.unreadable = False

    def problem(self, code: ProblemCode, message: str, start: int, end: int, fatal: bool) -> None:
        self.problems.append(Problem(code, message, self.index.span(start, end)))
        if fatal:
            self.unreadable = True

    def build(self, members: list[Member]) -> list[Property]:
        # Johnzon's object builder: the same key again replaces the value, keeping the place
        # (a LinkedHashMap; a dict behaves the same).
        chosen = members
        if len({member[0] for member in members}) != len(members):
            latest: dict[str, int] = {}
            for position, member in enumerate(members):
                key = member[0]
                earlier = latest.get(key)
                if earlier is not None:
                    line = self.index.position(members[earlier][1])[0]
                    self.problem(
                        "CFG002",
                        f'duplicate key "{key}" (also on line {line}): the platform keeps only '
                        "the last value",
                        member[1],
                        member[2],
                        fatal=False,
                    )
                latest[key] = position
            chosen = [members[position] for position in latest.values()]

        starts = self.index.starts
        line_count = len(starts)
        is_secret_name = self.is_secret_name
        properties: list[Property] = []
        seen: dict[str, tuple[str, int]] = {}
        for member in chosen:
            key, key_start, key_end, node = member
            kind = node[0]
            prop: Property | None = None
            if kind in _TOKEN_KINDS:
                # The common case, a scalar with no hint or a scalar hint, inline: the property
                # as member() and property() would build it (anything else goes there).
                value: object
                if kind == "s":
                    value = node[3]
                    type_name = "String"
                elif kind == "n":
                    value = _json_number(node[3])
                    type_name = "Long" if isinstance(value, int) else "Double"
                else:
                    value = kind == "t"
                    type_name = "Boolean"
                name = key
                colon = key.find(":")
                if colon != -1:
                    # A ":configurator:" prefix (colon 0) or an unusual hint: member().
                    target = _SCALAR_TYPES.get(key[colon + 1 :]) if colon else None
                    if target is None:
                        type_name = ""
                    else:
                        try:
                            value = _convert_scalar(target, type_name, value)
                        except ValueError:
                            type_name = ""  # member() reports it
                        else:
                            name = key[:colon]
                            type_name = target
                if type_name:
                    line = bisect_right(starts, key_start)
                    line_start = starts[line - 1]
                    column = key_start - line_start + 1
                    key_span = new_span(
                        line, column, line, column + key_end - key_start, key_start, key_end
                    )
                    secret = is_secret_name(name)
                    value_start = node[1]
                    if line < line_count and value_start >= starts[line]:
                        line = bisect_right(starts, value_start)
                        line_start = starts[line - 1]
                    column = value_start - line_start + 1
                    value_end = node[2]
                    value_span = new_span(
                        line, column, line, column + value_end - value_start, value_start, value_end
                    )
                    if isinstance(value, str):
                        placeholders = (
                            find_placeholders(value, secret)
                            if type_name == "String" and "$[" in value
                            else ()
                        )
                        scalar = new_scalar(
                            Secret(value) if secret else value, value_span, placeholders
                        )
                    else:
                        assert isinstance(value, int | float)
                        scalar = new_scalar(value, value_span, ())
                    prop = new_property(name, type_name, key_span, value_span, (scalar,), False)
            elif kind == "a" and ":" not in key and all(element[0] == "s" for element in node[3]):
                # An unhinted array of strings (arrays may span lines; each element is a token).
                line = bisect_right(starts, key_start)
                column = key_start - starts[line - 1] + 1
                key_span = new_span(
                    line, column, line, column + key_end - key_start, key_start, key_end
                )
                secret = is_secret_name(key)
                value_span = self.index.span(node[1], node[2])
                scalars: list[Scalar] = []
                for element in node[3]:
                    element_start = element[1]
                    line = bisect_right(starts, element_start)
                    column = element_start - starts[line - 1] + 1
                    element_span = new_span(
                        line,
                        column,
                        line,
                        column + element[2] - element_start,
                        element_start,
                        element[2],
                    )
                    text = element[3]
                    placeholders = find_placeholders(text, secret) if "$[" in text else ()
                    scalars.append(
                        new_scalar(Secret(text) if secret else text, element_span, placeholders)
                    )
                prop = new_property(key, "String[]", key_span, value_span, tuple(scalars), True)
            if prop is None:
                prop = self.member(member)
                if prop is None:
                    continue
            folded = prop.name.lower()
            other = seen.get(folded)
            if other is not None:
                line = self.index.position(other[1])[0]
                self.problem(
                    "CFG002",
                    f'duplicate property "{prop.name}": the key "{other[0]}" on line {line} '
                    "names the same property (names are case-insensitive and the type hint is "
                    "not part of the name); the platform rejects the file",
                    key_start,
                    key_end,
                    fatal=True,
                )
                continue
            seen[folded] = (key, key_start)
            properties.append(prop)
        return properties

    def member(self, member: Member) -> Property | None:
        key, key_start, key_end, node = member
        internal = key.startswith(_CONFIGURATOR_PREFIX)
        bare = key[len(_CONFIGURATOR_PREFIX) :] if internal else key
        colon = bare.find(":")
        hint = bare[colon + 1 :] if colon != -1 else None
        name = bare[:colon] if colon != -1 else bare
        natural = _natural(node)
        converted: _Converted | None
        if hint is not None and hint in ("binary", "binary[]"):
            self.problem(
                "CFG003",
                f'type "{hint}" of "{name}" is only allowed in bundle resources: the platform '
                "rejects it in a configuration file",
                key_start,
                key_end,
                fatal=True,
            )
            converted = None
        elif hint is None or internal:
            converted = None
        else:
            try:
                converted = _convert(hint, natural, node)
            except _ConversionFailed as failed:
                bad = failed.node
                self.problem(
                    "CFG003",
                    f'the value of "{name}" cannot be converted to {hint}: the platform rejects '
                    "the file",
                    bad[1],
                    bad[2],
                    fatal=True,
                )
                converted = None
            else:
                if converted is None:
                    self.problem(
                        "CFG003",
                        f'unknown type "{hint}" in key "{key}" (known: String, Integer, Long, '
                        "Float, Double, Byte, Short, Character, Boolean, their primitive names "
                        "and [] arrays, Collection, Collection<T>); the platform rejects the "
                        "file",
                        key_start,
                        key_end,
                        fatal=True,
                    )
        if converted is None:
            source, items, multi = natural
            if source is None:
                self.problem(
                    "CFG003",
                    f'"{name}" is null: the platform rejects the whole configuration '
                    "(remove the property, or give it a value)",
                    node[1],
                    node[2],
                    fatal=True,
                )
                return None
            type_name = f"{source}[]" if multi else source
            element_type = source
        else:
            type_name, items, multi, element_type = converted
            if not items and not multi:
                self.problem(
                    "CFG003",
                    f'"{name}" is null: the platform rejects the whole configuration '
                    "(remove the property, or give it a value)",
                    node[1],
                    node[2],
                    fatal=True,
                )
                return None
        return self.property(name, type_name, key_start, key_end, node, items, multi, element_type)

    def span(self, node_or_start: Node | int, end: int = -1) -> Span:
        """The span of a node (or of a key token). Tokens never contain a line break, so their
        end is on their first line; objects and arrays may span lines."""
        if isinstance(node_or_start, int):
            return self.index.token_span(node_or_start, end)
        if node_or_start[0] in "ao":
            return self.index.span(node_or_start[1], node_or_start[2])
        return self.index.token_span(node_or_start[1], node_or_start[2])

    def property(
        self,
        name: str,
        type_name: str,
        key_start: int,
        key_end: int,
        node: Node,
        items: list[tuple[object, Node]],
        multi: bool,
        element_type: str,
    ) -> Property:
        index = self.index
        secret = self.is_secret_name(name)
        with_placeholders = element_type == "String"
        value_span = (index.span if node[0] in "ao" else index.token_span)(node[1], node[2])
        scalars: list[Scalar] = []
        for value, element in items:
            element_span = value_span if element is node else self.span(element)
            if isinstance(value, str):
                placeholders = (
                    find_placeholders(value, secret) if with_placeholders and "$[" in value else ()
                )
                stored: ScalarValue = Secret(value) if secret else value
                scalars.append(new_scalar(stored, element_span, placeholders))
            else:
                assert isinstance(value, int | float)
                scalars.append(new_scalar(value, element_span, ()))
        return new_property(
            name, type_name, index.token_span(key_start, key_end), value_span, tuple(scalars), multi
        )


def parse_cfg_json(text: str, is_secret_name: Callable[[str], bool]) -> ParsedConfig:
    """Read a ``.cfg.json`` file's text as the platform does; never raises for any input.

    ``is_secret_name`` is called with each property name (the key without its type hint); the
    string values of the properties it accepts are returned as :class:`Secret`.
    """
    index = LineIndex(text)
    parser = _Parser(text, index)
    builder = _Builder(index, is_secret_name)
    try:
        parser.parse()
    except SyntaxFailure as error:
        start = min(error.start, len(text))
        end = min(max(error.end, start), len(text))
        properties = builder.build(parser.members)
        syntax = Problem("CFG001", error.message, index.span(start, end))
        return ParsedConfig(tuple(properties), (syntax,), False)
    properties = builder.build(parser.members)
    problems = sorted(builder.problems, key=lambda p: p.span.start if p.span else 0)
    return ParsedConfig(tuple(properties), tuple(problems), not builder.unreadable)
