"""Strict JSON (RFC 8259) with positions, as :class:`~aemlint.parsing.yaml_nodes.YNode` trees.

Cloud Manager API bodies (advanced-networking documents, variables files) are read with this
parser, so rules walk JSON and YAML inputs alike: the same node kinds (``map seq str int float
bool null``), a span for every node (a string's span includes its quotes, a container's its
brackets), and map keys as ``str`` nodes.

What is accepted is exactly RFC 8259 JSON, the grammar of ``JSON.parse`` (the aio CLI) and of
``json.loads``:

- whitespace is only space, tab, CR and LF: a byte-order mark is an error (``JSON.parse`` and
  ``json.loads`` both refuse it);
- no comments, trailing commas, single quotes, unquoted keys, ``NaN``/``Infinity``, leading zeros,
  unescaped control characters in strings, or escapes other than ``\\" \\\\ \\/ \\b \\f \\n \\r \\t
  \\uXXXX`` (an escaped surrogate pair is one character, a lone escaped surrogate is kept);
- exactly one value in the file (any kind, not only an object);
- a number without fraction or exponent is ``int`` (arbitrary size), any other is ``float``
  (``1e400`` is ``inf``, as ``json.loads`` gives).

The first error is one CFG001 problem at its position, with a message that never quotes the
file's content (it may hold a secret). Parsing never recurses: nesting deeper than
:data:`MAX_DEPTH` is a CFG001 too. Duplicate keys are all kept, in file order; callers decide
(``JSON.parse`` and Jackson keep the last one).
"""

from __future__ import annotations

import re
from typing import Final

from aemlint.parsing.text import JSON_ESCAPES, LineIndex, describe_char
from aemlint.parsing.values import Problem, SyntaxFailure
from aemlint.parsing.yaml_nodes import Kind, YamlResult, YNode

__all__ = ["MAX_DEPTH", "parse_json"]

MAX_DEPTH: Final = 500
"""Deepest nesting of objects and arrays accepted (a top-level container is level 1).

The same limit as :data:`aemlint.parsing.yaml_nodes.MAX_DEPTH`, so that code walking a tree
recursively (schema validation) is safe whatever the input form.
"""

_WS = re.compile(r"[ \t\r\n]*")
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')
_STRING = re.compile(r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_ESCAPE = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u([0-9a-fA-F]{4})|\\(.)",
    re.S,
)
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_SIMPLE_ESCAPES = JSON_ESCAPES
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
_MAX_INT_DIGITS: Final = 4300
"""Python's ``int()`` refuses longer literals (``sys.int_max_str_digits``), as ``json.loads`` does."""
_LITERALS: Final[dict[str, tuple[Kind, bool | None]]] = {
    "true": ("bool", True),
    "false": ("bool", False),
    "null": ("null", None),
}


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        high, low, code, char = match.groups()
        if high is not None:
            # An escaped surrogate pair is one character (as json.loads and JSON.parse read it).
            return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
        if code is not None:
            return chr(int(code, 16))  # a lone surrogate stays one (as json.loads keeps it)
        return _SIMPLE_ESCAPES[char]

    return _ESCAPE.sub(replace, raw)


class _Frame:
    """An open object (``pairs``) or array (``items``)."""

    __slots__ = ("is_map", "items", "key", "pairs", "start")

    def __init__(self, is_map: bool, start: int) -> None:
        self.is_map = is_map
        self.start = start
        self.items: list[YNode] = []
        self.pairs: list[tuple[YNode, YNode]] = []
        self.key: YNode | None = None

    def add(self, node: YNode) -> None:
        if self.is_map:
            assert self.key is not None
            self.pairs.append((self.key, node))
        else:
            self.items.append(node)

    @property
    def closer(self) -> str:
        return "}" if self.is_map else "]"


class _Parser:
    __slots__ = ("index", "stack", "text")

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index
        self.stack: list[_Frame] = []

    # -- diagnostics ----------------------------------------------------------------------

    def _string_error(self, start: int) -> SyntaxFailure:
        """Why the string starting at ``start`` is not a JSON string."""
        text = self.text
        at = start + 1
        while at < len(text):
            char = text[at]
            if char == '"':  # not reached: the string regexes accept any string that closes
                return SyntaxFailure(start, at + 1, "invalid string")
            if char in "\r\n":
                return SyntaxFailure(
                    at, at, "line break inside a string (write \\n for a line break)"
                )
            if char < " ":
                return SyntaxFailure(
                    at,
                    at + 1,
                    f"control character U+{ord(char):04X} inside a string must be escaped",
                )
            if char == "\\":
                following = text[at + 1 : at + 2]
                if following == "u":
                    digits = text[at + 2 : at + 6]
                    if len(digits) < 4 or any(c not in _HEX for c in digits):
                        return SyntaxFailure(
                            at,
                            at + 1,
                            "'\\u' in a string must be followed by four hexadecimal digits",
                        )
                    at += 6
                    continue
                if following and following not in _SIMPLE_ESCAPES:
                    return SyntaxFailure(
                        at,
                        at + 1,
                        "invalid escape in a string: a backslash must be followed by one of "
                        '" \\ / b f n r t u (write \\\\ for a backslash)',
                    )
                at += 2
                continue
            at += 1
        line = self.index.position(start)[0]
        return SyntaxFailure(
            len(text),
            len(text),
            f"unterminated string: the file ends before the closing '\"' of the string on line "
            f"{line}",
        )

    def _unexpected(self, at: int, expected: str) -> SyntaxFailure:
        text = self.text
        if at >= len(text):
            message = f"unexpected end of file: expected {expected}"
            if self.stack:
                frame = self.stack[-1]
                what = "object" if frame.is_map else "array"
                line = self.index.position(frame.start)[0]
                message += f" (the {what} opened on line {line} is not closed)"
            return SyntaxFailure(at, at, message)
        char = text[at]
        if char == "/" or char == "#":
            return SyntaxFailure(
                at, at + 1, f"comments are not allowed in JSON: expected {expected}"
            )
        if char == "'":
            return SyntaxFailure(
                at,
                at + 1,
                f"single quotes are not allowed in JSON (use double quotes): expected {expected}",
            )
        if char == "\ufeff":
            return SyntaxFailure(
                at, at + 1, "byte-order mark (U+FEFF): save the file as UTF-8 without a BOM"
            )
        if "value" in expected:
            following = text[at + 1 : at + 2]
            if char == "-":
                return SyntaxFailure(
                    at, at + 1, f"malformed number (a digit must follow '-'): expected {expected}"
                )
            if char == "+" and following.isdigit():
                return SyntaxFailure(at, at + 1, "a number must not start with '+'")
            if char == "." and following.isdigit():
                return SyntaxFailure(
                    at, at + 1, "a number must have a digit before the decimal point (write 0.5)"
                )
        word = _WORD.match(text, at)
        if word is not None:
            known = _KNOWN_WORDS.get(word.group())
            if known is not None:
                return SyntaxFailure(at, word.end(), f"{known}: expected {expected}")
            if "property name" in expected:
                return SyntaxFailure(
                    at, at + 1, "unquoted property name: property names must be in double quotes"
                )
            return SyntaxFailure(
                at, at + 1, f"unquoted text: strings must be in double quotes (expected {expected})"
            )
        return SyntaxFailure(at, at + 1, f"expected {expected}, found {describe_char(char)}")

    # -- pieces ---------------------------------------------------------------------------

    def _skip(self, at: int) -> int:
        match = _WS.match(self.text, at)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def _string(self, at: int) -> YNode:
        """The string starting at ``at`` (a '"')."""
        text = self.text
        match = _PLAIN_STRING.match(text, at)
        if match is not None:
            value = text[at + 1 : match.end() - 1]
        else:
            match = _STRING.match(text, at)
            if match is None:
                raise self._string_error(at)
            value = _unescape(text[at + 1 : match.end() - 1])
        return YNode("str", value, self.index.span(at, match.end()), '"')

    def _number(self, at: int) -> YNode:
        text = self.text
        match = _NUMBER.match(text, at)
        if match is None:
            raise self._unexpected(at, "a value")
        end = match.end()
        fraction, exponent = match.group(1), match.group(2)
        if end < len(text):
            char = text[end]
            if "0" <= char <= "9":
                raise SyntaxFailure(end - 1, end, "numbers must not have leading zeros")
            if char == "." and fraction is None and exponent is None:
                raise SyntaxFailure(end, end + 1, "a digit must follow the decimal point")
            if (char == "e" or char == "E") and exponent is None:
                raise SyntaxFailure(end, end + 1, "the exponent of a number needs digits")
        literal = match.group()
        span = self.index.span(at, end)
        if fraction is None and exponent is None:
            if len(literal) > _MAX_INT_DIGITS:
                raise SyntaxFailure(at, end, f"integer with more than {_MAX_INT_DIGITS} digits")
            return YNode("int", int(literal), span)
        return YNode("float", float(literal), span)

    def _literal(self, at: int) -> YNode:
        word = _WORD.match(self.text, at)
        literal = _LITERALS.get(word.group()) if word is not None else None
        if word is None or literal is None:
            raise self._unexpected(at, "a value")
        return YNode(literal[0], literal[1], self.index.span(at, word.end()))

    def _key(self, pos: int, expected: str) -> int:
        """Read ``"key" :`` at ``pos`` into the open object; return where its value starts."""
        text = self.text
        if pos >= len(text) or text[pos] != '"':
            if pos < len(text) and text[pos] in ",]":
                raise SyntaxFailure(pos, pos + 1, f"expected {expected}, found '{text[pos]}'")
            raise self._unexpected(pos, expected)
        key = self._string(pos)
        self.stack[-1].key = key
        colon = self._skip(key.span.end)
        if colon < len(text) and text[colon] == ":":
            return colon + 1
        if colon < len(text) and text[colon] not in "/#'":
            raise SyntaxFailure(colon, colon + 1, "expected ':' after the property name")
        raise self._unexpected(colon, "':' after the property name")

    # -- the parser -----------------------------------------------------------------------

    def parse(self) -> YNode:
        text = self.text
        length = len(text)
        stack = self.stack
        index = self.index
        pos = self._skip(0)
        if pos >= length:
            raise SyntaxFailure(length, length, "empty file: expected a JSON value")
        while True:
            # A value is expected at pos (whitespace allowed before it).
            pos = self._skip(pos)
            char = text[pos] if pos < length else ""
            node: YNode
            if char == "{" or char == "[":
                if len(stack) >= MAX_DEPTH:
                    raise SyntaxFailure(
                        pos,
                        pos + 1,
                        f"nesting deeper than {MAX_DEPTH} levels of objects and arrays",
                    )
                frame = _Frame(char == "{", pos)
                stack.append(frame)
                pos = self._skip(pos + 1)
                if pos < length and text[pos] == frame.closer:
                    stack.pop()
                    pos += 1
                    node = YNode("map" if frame.is_map else "seq", (), index.span(frame.start, pos))
                elif frame.is_map:
                    pos = self._key(pos, "a property name in double quotes or '}'")
                    continue
                elif pos >= length:
                    raise self._unexpected(pos, "a value or ']'")
                else:
                    continue
            elif char == '"':
                node = self._string(pos)
            elif char == "-" or "0" <= char <= "9":
                node = self._number(pos)
            elif char and char in "tfn":
                node = self._literal(pos)
            else:
                raise self._unexpected(pos, "a value")
            pos = node.span.end

            # A value is complete: attach it, and close every container that ends here.
            while stack:
                frame = stack[-1]
                frame.add(node)
                pos = self._skip(pos)
                char = text[pos] if pos < length else ""
                if char == ",":
                    comma = pos
                    pos = self._skip(pos + 1)
                    if pos < length and text[pos] == frame.closer:
                        raise SyntaxFailure(
                            comma,
                            comma + 1,
                            f"trailing comma before '{frame.closer}': JSON does not allow it "
                            "(remove the ',')",
                        )
                    if frame.is_map:
                        pos = self._key(pos, "a property name in double quotes")
                    break
                if char == frame.closer:
                    stack.pop()
                    pos += 1
                    if frame.is_map:
                        node = YNode("map", tuple(frame.pairs), index.span(frame.start, pos))
                    else:
                        node = YNode("seq", tuple(frame.items), index.span(frame.start, pos))
                    continue
                what = "properties" if frame.is_map else "array elements"
                if char and (char in '"{[-tfn' or "0" <= char <= "9"):
                    end = node.span.end
                    raise SyntaxFailure(end, end, f"missing ',' between {what}")
                if char and char in "]}":
                    raise SyntaxFailure(
                        pos, pos + 1, f"expected ',' or '{frame.closer}', found '{char}'"
                    )
                raise self._unexpected(pos, f"',' or '{frame.closer}'")
            else:
                pos = self._skip(pos)
                if pos < length:
                    raise SyntaxFailure(
                        pos,
                        pos + 1,
                        "unexpected text after the JSON value: a file holds exactly one value",
                    )
                return node


def parse_json(text: str) -> YamlResult:
    """Parse one strict JSON document; a syntax error is a CFG001 problem, never an exception."""
    index = LineIndex(text)
    parser = _Parser(text, index)
    try:
        root = parser.parse()
    except SyntaxFailure as error:
        return YamlResult(
            None, Problem("CFG001", error.message, index.span(error.start, error.end))
        )
    return YamlResult(root, None)
