"""The Apache Felix ``.config`` OSGi configuration format, read exactly as the platform reads it.

The reader is Apache Felix configadmin's ``org.apache.felix.cm.file.ConfigurationHandler``
(``read``/``readInternal`` and the private methods it calls), which the Sling installer uses for
``.config`` files. This module is a step-by-step port of that reader (the version with
FELIX-6406: spaces inside quoted values allowed, keys trimmed), with positions kept; the peer
vectors in ``peer-tests/felix-config-format.json`` were produced by running it. Each point names
the Java it follows.

Characters (``read``, ``PushbackReader`` with a one-character buffer)
    - ``\\r\\n`` and a lone ``\\r`` are read as one ``\\n``. Pushing back "end of file" pushes the
      character U+FFFF (``unread((char) -1)``): a file whose last line ends with a lone ``\\r``, or
      that ends inside a property name, makes the reader see a phantom U+FFFF there.
    - Whitespace is ``Character.isWhitespace``; a byte-order mark is not whitespace.

Properties (``readInternal``, ``nextToken``)
    - Where a property name may start, leading whitespace (and newlines) is skipped and a ``#``
      starts a comment to the end of the line (also indented, also after a value on the same
      line). Any other character but ``= [ ] ( ) , "`` starts a name.
    - A name (``readQuoted``) runs to the first unescaped ``=``, ``"`` or the end of the file,
      across spaces and line breaks, with backslash escapes; it is then ``trim()``-ed.
    - Then, after whitespace, ``=`` must follow, or the reader throws: CFG001.
    - A name position holding ``= [ ] ( ) , "`` ends the reading loop silently: the rest of the
      file is ignored (CFG008).
    - ``Hashtable.put``: the same key twice keeps the last value (CFG002, file readable).

Values (``readValue``, ``readArray``, ``readCollection``, ``readSimple``, ``ensureNext``)
    - After ``=`` and whitespace: an optional type code ``T I L F D X S C B`` (lower case:
      primitives ``int long float double byte short char boolean``), immediately followed by
      ``"`` (one value), ``[`` (array) or ``(`` (collection). Anything else drops the value
      silently (an unquoted value, an unknown type code, a space after the type code): CFG008;
      the characters after it are then read as the next property name.
    - A quoted value (``readQuoted``) ends at the first unescaped ``"``, ``=`` or the end of the
      file. Escapes: ``\\b \\t \\n \\f \\r``, ``\\uXXXX`` (``Integer.parseInt(…, 16)``: not
      hexadecimal makes the reader throw), any other character stands for itself (``\\=``,
      ``\\"``, ``\\ ``, ``\\\\``), a backslash at the end of the file gives U+FFFF. A line break
      inside quotes is part of the value.
    - ``ensureNext`` does not throw (the exception it builds is discarded): a value ended by an
      unescaped ``=`` keeps the text before it, the ``=`` is consumed, and what follows is read
      as the next property name; usually the reader then throws on the closing quote (CFG001 at
      the ``=``), else the value is silently cut (CFG008). A string never closed on its line runs
      on to the next ``=`` (swallowing the next line) or to the end of the file (CFG008).
    - Arrays and collections: elements are quoted values separated by ``,`` (a trailing comma is
      fine), with whitespace, line breaks and backslash-newline continuations around them
      (``ignorablePageBreakAndWhiteSpace``). Any other character there (a missing comma, an
      unquoted element, a comment) drops the whole array silently (CFG008, or CFG001 when the
      reader then throws).
    - ``readSimple``: ``Integer.valueOf``/``Long.valueOf``/``Byte.valueOf``/``Short.valueOf``
      (strict Java integers: no spaces, an optional sign), ``F``/``D`` are the raw IEEE 754 bits
      (``Float.intBitsToFloat(Integer.parseInt(…))``, ``Double.longBitsToDouble(…)``) so a
      decimal like ``3.6`` throws; a number the parser refuses makes the reader throw (CFG001).
      ``B`` is ``Boolean.valueOf``: true only for ``true`` in any case, anything else false
      (CFG008 unless ``false``); ``C`` keeps the first character (CFG008 when there are more) and
      drops an empty value (CFG008).

Types
    - A single value is the boxed type (``i"5"`` is an ``Integer``); an array is ``T[]`` with the
      code's type (``I[`` → ``Integer[]``, ``i[`` → ``int[]``, no code → ``String[]``); a
      collection is ``Collection<T>`` with the boxed type.

Positions: every property keeps the span of its key (the trimmed name as written), of its whole
value (type code and quotes included) and of each element (its quotes included). String values
(and ``Collection<String>`` elements) carry their placeholders, with offsets into the unescaped
string. In a property ``is_secret_name`` accepts, every string and character value is a
:class:`~aemlint.types.Secret`. Messages never quote values from the file, nor names the reader
took from the remains of a broken value.

Where the reader throws, the result is unreadable with one CFG001 at the cause (the unescaped
``=``, the missing comma, the bad number…), not where Felix notices it. Where it completes, each
silent change is a CFG008 and each overwritten key a CFG002. Parsing is iterative and never raises.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from aemlint.parsing.placeholders import find_placeholders
from aemlint.parsing.text import LineIndex, describe_char
from aemlint.parsing.values import (
    ParsedConfig,
    Problem,
    Property,
    Scalar,
    ScalarValue,
    SyntaxFailure,
    new_property,
    new_scalar,
)
from aemlint.types import Secret

__all__ = ["parse_felix_config"]

_EOF: Final = -1
_PHANTOM: Final = 0xFFFF  # (char) -1: what PushbackReader.unread(-1) pushes back
_NAME: Final = ord("N")  # TOKEN_NAME
_EQ: Final = ord("=")
_QUOTE: Final = ord('"')
_BACKSLASH: Final = ord("\\")
_HASH: Final = ord("#")
_COMMA: Final = ord(",")
_LF: Final = 10
_CR: Final = 13
_ARR_OPEN, _ARR_CLOSE, _VEC_OPEN, _VEC_CLOSE = (ord(c) for c in "[]()")

# Character.isWhitespace for a char: the Unicode space separators except the no-break ones
# (U+00A0, U+2007, U+202F), plus U+0009-U+000D and U+001C-U+001F.
_JAVA_WHITESPACE: Final = frozenset(
    [*range(0x09, 0x0E), *range(0x1C, 0x21), 0x1680, *range(0x2000, 0x2007), *range(0x2008, 0x200B)]
) | frozenset([0x2028, 0x2029, 0x205F, 0x3000])
# A name starts with any character but these (NAME_CHARS.get(c) || !TOKEN_CHARS.get(c)).
_NOT_NAME_START: Final = frozenset(ord(c) for c in '=[](),"')

# Type code -> (boxed type, array element type).
_TYPES: Final = {
    ord("T"): ("String", "String"),
    ord("I"): ("Integer", "Integer"),
    ord("i"): ("Integer", "int"),
    ord("L"): ("Long", "Long"),
    ord("l"): ("Long", "long"),
    ord("F"): ("Float", "Float"),
    ord("f"): ("Float", "float"),
    ord("D"): ("Double", "Double"),
    ord("d"): ("Double", "double"),
    ord("X"): ("Byte", "Byte"),
    ord("x"): ("Byte", "byte"),
    ord("S"): ("Short", "Short"),
    ord("s"): ("Short", "short"),
    ord("C"): ("Character", "Character"),
    ord("c"): ("Character", "char"),
    ord("B"): ("Boolean", "Boolean"),
    ord("b"): ("Boolean", "boolean"),
}
_STRING_CODE: Final = ord("T")
_INT_BITS: Final = {"Integer": 32, "Long": 64, "Byte": 8, "Short": 16, "Float": 32, "Double": 64}
_ESCAPES: Final = {ord("b"): "\b", ord("t"): "\t", ord("n"): "\n", ord("f"): "\f", ord("r"): "\r"}
_PLAIN_RUN = re.compile(r'[^\\="\r]+')
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.:~$@/\-]{1,120}")
_VALUE_START = re.compile(r'[TILFDXSCBilfdxscb]?["\[(]')
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# The fast path (_fast_entries): a file made only of blank lines, comment lines and lines
# name="value" / name=["v1", "v2"] / name=("v1") (optional type code, plain ASCII names, simple
# escapes, no "\r") is read here with one regex match per line; anything else, and any value
# the reader would report or fail on, goes to the reader.
_FAST_VALUE = r'"((?:[^"\\=\r]|\\[^u\r])*)"'
_FAST_ELEMENTS = r'(?:[ \t\n]*(?:"(?:[^"\\=\r]|\\[^u\r])*"[ \t\n]*)?,)*[ \t\n]*(?:"(?:[^"\\=\r]|\\[^u\r])*"[ \t\n]*)?'
_FAST_LINE = re.compile(
    r"[ \t\n]*+(?:"
    r"\#[^\n]*+"  # a comment line
    r"|([!$-'*+\-./0-9:;<>?@A-Z^_`a-z{|}~]+)[ \t]*=[ \t]*"  # 1: the name
    r"([TILFDXSCBilfdxscb]?)"  # 2: the type code
    r"(?:" + _FAST_VALUE + r"|(\[" + _FAST_ELEMENTS + r"\]|\(" + _FAST_ELEMENTS + r"\)))"
    r"[ \t]*+(?:\#[^\n]*+)?(?=\n|\Z)"  # 3: a single value's text, 4: an array or collection
    r"|\Z)"
)
_FAST_ELEMENT = re.compile(_FAST_VALUE)
_FAST_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPED: Final = {chr(code): char for code, char in _ESCAPES.items()}


def _fast_unescape(raw: str) -> str:
    if "\\" in raw:
        raw = _FAST_ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), raw)
    return _join_surrogates(raw)


def _fast_scalar(boxed: str, raw: str) -> object:
    """``readSimple``'s value of ``raw``, or None where the reader would report or fail."""
    if boxed == "String":
        return raw
    if boxed == "Character":
        return _first_utf16_unit(raw) if raw and _utf16_length(raw) == 1 else None
    if boxed == "Boolean":
        if not raw.isascii():
            return None
        lowered = raw.lower()
        return lowered == "true" if lowered in ("true", "false") else None
    number = _java_parse_int(raw, 10, _INT_BITS[boxed])
    if number is None:
        return None
    if boxed == "Float":
        return struct.unpack(">f", struct.pack(">i", number))[0]
    if boxed == "Double":
        return struct.unpack(">d", struct.pack(">q", number))[0]
    return number


def _fast_entries(text: str) -> list[tuple[_Key, _Value]] | None:
    """What the reader's entries would be for a simple file, or None (not simple: use it)."""
    if "\r" in text:
        return None
    match = _FAST_LINE.match
    length = len(text)
    entries: list[tuple[_Key, _Value]] = []
    pos = 0
    while pos < length:
        line = match(text, pos)
        if line is None:
            return None
        pos = line.end()
        name_start, name_end = line.span(1)
        if name_start < 0:
            continue  # a comment, or the blank end of the file
        key = _Key(line.group(1), name_start, name_end, False)
        code = line.group(2)
        value_start = line.start(2)
        boxed, element = _TYPES[ord(code)] if code else ("String", "String")
        single = line.group(3)
        if single is not None:
            value = _fast_scalar(boxed, _fast_unescape(single))
            if value is None:
                return None
            end = line.end(3) + 1
            entries.append(
                (key, _Value(boxed, boxed, False, value_start, end, [(value, value_start, end)]))
            )
            continue
        multi_start, multi_end = line.span(4)
        items: list[tuple[object, int, int]] = []
        for quoted in _FAST_ELEMENT.finditer(text, multi_start, multi_end):
            value = _fast_scalar(boxed, _fast_unescape(quoted.group(1)))
            if value is None:
                return None
            items.append((value, quoted.start(), quoted.end()))
        type_name = f"{element}[]" if text[multi_start] == "[" else f"Collection<{boxed}>"
        entries.append((key, _Value(type_name, boxed, True, value_start, multi_end, items)))
    return entries


def _java_digit(char: str, radix: int) -> int:
    """``Character.digit(char, radix)`` for one UTF-16 unit (astral characters are not digits)."""
    code = ord(char)
    if code < 128:
        if 48 <= code <= 57:
            digit = code - 48
        elif 97 <= code <= 122:
            digit = code - 87
        elif 65 <= code <= 90:
            digit = code - 55
        else:
            return -1
    elif code > 0xFFFF:
        return -1
    elif 0xFF21 <= code <= 0xFF3A:  # fullwidth A-Z
        digit = code - 0xFF21 + 10
    elif 0xFF41 <= code <= 0xFF5A:  # fullwidth a-z
        digit = code - 0xFF41 + 10
    else:
        digit = unicodedata.decimal(char, -1)
    return digit if 0 <= digit < radix else -1


def _java_parse_int(text: str, radix: int, bits: int) -> int | None:
    """``Integer.parseInt``/``Long.parseLong`` (None: NumberFormatException), range ``bits``."""
    if not text:
        return None
    negative = text[0] == "-"
    start = 1 if text[0] in "+-" else 0
    if start == len(text):
        return None
    limit = 1 << (bits - 1)
    value = 0
    for char in text[start:]:
        digit = _java_digit(char, radix)
        if digit < 0:
            return None
        value = value * radix + digit
        if value > limit:
            return None
    if negative:
        return -value
    return value if value < limit else None


def _first_utf16_unit(text: str) -> str:
    code = ord(text[0])
    if code > 0xFFFF:
        return chr(0xD800 + ((code - 0x10000) >> 10))
    return text[0]


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _join_surrogates(text: str) -> str:
    """Java strings are UTF-16: escaped surrogate pairs (``\\uD83D\\uDE00``) are one character."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _describe(code: int) -> str:
    """:func:`describe_char` for Felix's reader, which takes code points, pushes back its
    end-of-file sentinel, and reads a CR as an ordinary character (not a line break)."""
    if code == _PHANTOM:
        return "the end of the file"
    if code == _CR:
        return f"the character U+{_CR:04X}"
    return describe_char(chr(code))


@dataclass(slots=True)
class _Anomaly:
    """Something the reader silently drops or changes (a CFG008, or the cause of a CFG001)."""

    start: int
    end: int
    what: str  # what is wrong
    effect: str  # what the platform does with the value
    fix: str
    resume: int = 0  # the last character the reader consumed for this value
    consequence: str = ""  # set later: what the reader does next


@dataclass(slots=True)
class _Key:
    name: str
    start: int
    end: int
    tainted: bool  # read from the remains of a broken value: never quoted in messages


@dataclass(slots=True)
class _Value:
    type_name: str
    element_type: str
    multi: bool
    start: int
    end: int
    items: list[tuple[object, int, int]]


def _label(key: _Key) -> str:
    """The property name for a message, when it is safe and readable to quote it."""
    if key.tainted or _PLAIN_NAME.fullmatch(key.name) is None:
        return "this property"
    return f'"{key.name}"'


class _Reader:
    """ConfigurationHandler's reader, one method per Java method, with offsets."""

    __slots__ = (
        "anomalies",
        "cend",
        "cstart",
        "entries",
        "index",
        "is_secret_name",
        "length",
        "pending",
        "pos",
        "pushed",
        "text",
        "tok_end",
        "tok_start",
        "token_marks",
        "token_value",
    )

    def __init__(self, text: str, index: LineIndex, is_secret_name: Callable[[str], bool]) -> None:
        self.text = text
        self.is_secret_name = is_secret_name
        self.length = len(text)
        self.index = index
        self.pos = 0
        self.pushed: tuple[int, int, int] | None = None
        self.cstart = 0  # offsets of the character last read
        self.cend = 0
        self.tok_start = 0
        self.tok_end = 0
        self.token_value = ""
        self.token_marks: list[tuple[int, int]] = []
        self.entries: list[tuple[_Key, _Value]] = []
        self.anomalies: list[_Anomaly] = []
        self.pending: _Anomaly | None = None  # from the last value, until a clean name follows

    # -- characters ------------------------------------------------------------------------

    def raw(self) -> int:
        """``PushbackReader.read()``."""
        pushed = self.pushed
        if pushed is not None:
            self.pushed = None
            self.cstart = pushed[1]
            self.cend = pushed[2]
            return pushed[0]
        pos = self.pos
        if pos >= self.length:
            self.cstart = self.cend = self.length
            return _EOF
        self.cstart = pos
        self.pos = self.cend = pos + 1
        return ord(self.text[pos])

    def unread(self, code: int) -> None:
        """``PushbackReader.unread(int)``: ``(char) -1`` is U+FFFF."""
        if self.pushed is not None:
            raise SyntaxFailure(
                self.cstart, self.cend, "the platform's reader fails (pushback overflow)"
            )
        if code == _EOF:
            self.pushed = (_PHANTOM, self.length, self.length)
        else:
            self.pushed = (code, self.cstart, self.cend)

    def read(self) -> int:
        """``ConfigurationHandler.read``: ``\\r\\n`` and ``\\r`` become ``\\n``."""
        code = self.raw()
        if code == _CR:
            start = self.cstart
            end = self.cend
            following = self.raw()
            if following == _LF:
                end = self.cend
            else:
                self.unread(following)
            self.cstart = start
            self.cend = end
            return _LF
        return code

    def ignorable_whitespace(self) -> int:
        code = self.read()
        while code >= 0 and code in _JAVA_WHITESPACE:
            code = self.read()
        return code

    def ignorable_page_break_and_whitespace(self) -> int:
        code = self.ignorable_whitespace()
        while code == _BACKSLASH:
            start, end = self.cstart, self.cend
            following = self.raw()
            if following in (_CR, _LF):
                code = self.ignorable_whitespace()
            else:
                self.unread(following)
                self.cstart, self.cend = start, end
                break
        return code

    # -- tokens ----------------------------------------------------------------------------

    def read_quoted(self, marks: list[tuple[int, int]] | None) -> str:
        """``readQuoted``: up to an unescaped ``"``, ``=`` or the end; escapes resolved."""
        text = self.text
        buf: list[str] = []
        while True:
            if self.pushed is None:
                run = _PLAIN_RUN.match(text, self.pos)
                if run is not None:
                    start, end = run.span()
                    buf.append(run.group())
                    if marks is not None:
                        marks.extend((i, i + 1) for i in range(start, end))
                    self.pos = end
            code = self.read()
            if code == _BACKSLASH:
                escape_start = self.cstart
                code = self.read()
                if code == ord("u"):
                    units = self.read_units(4)
                    if units is None:
                        continue  # the end of the file: nothing is appended
                    value = _java_parse_int(units, 16, 32)
                    if value is None:
                        raise SyntaxFailure(
                            escape_start,
                            self.cend,
                            "'\\u' must be followed by four hexadecimal digits: the platform's "
                            "reader fails, so the whole file is not installed (write \\\\ for a "
                            "backslash)",
                        )
                    char = chr(value & 0xFFFF)
                elif code == _EOF:
                    char = chr(_PHANTOM)  # buf.append((char) -1)
                else:
                    char = _ESCAPES.get(code) or chr(code)
                buf.append(char)
                if marks is not None:
                    marks.append((escape_start, self.cend))
            elif code in (_EOF, _EQ, _QUOTE):
                self.unread(code)
                return _join_surrogates("".join(buf))
            else:
                buf.append(chr(code))
                if marks is not None:
                    marks.append((self.cstart, self.cend))

    def read_units(self, count: int) -> str | None:
        """``read(pr, char[4])``: None when the file ends first. Counts UTF-16 units."""
        chars: list[str] = []
        units = 0
        while units < count:
            code = self.read()
            if code < 0:
                return None
            chars.append(chr(code))
            units += 2 if code > 0xFFFF else 1
        return "".join(chars) if units == count else "\x00"  # a split surrogate: not hex

    def next_token(self, new_line: bool) -> int:
        """``nextToken``; the comment skip loops instead of recursing."""
        while True:
            code = self.ignorable_whitespace()
            self.tok_start, self.tok_end = self.cstart, self.cend
            if code < 0:
                return code
            if new_line and code == _HASH:
                while code != _EOF and code != _LF:
                    code = self.read()
                if code == _EOF:
                    return _EOF
                continue
            if code not in _NOT_NAME_START:
                self.unread(code)
                marks: list[tuple[int, int]] = []
                self.token_value = self.read_quoted(marks)
                self.token_marks = marks
                return _NAME
            return code

    # -- values ----------------------------------------------------------------------------

    def read_simple(self, type_code: int, key: _Key, quote: int) -> tuple[object, int, str]:
        """``readSimple`` after the opening quote: (value or None, end of the content, text)."""
        raw = self.read_quoted(None)
        content_end = self.pushed[1] if self.pushed is not None else self.pos
        boxed = _TYPES[type_code][0]
        if boxed == "String":
            return raw, content_end, raw
        if boxed == "Character":
            return (_first_utf16_unit(raw) if raw else None), content_end, raw
        if boxed == "Boolean":
            return (raw.isascii() and raw.lower() == "true"), content_end, raw
        number = _java_parse_int(raw, 10, _INT_BITS[boxed])
        if number is None:
            end = content_end + 1 if self.text.startswith('"', content_end) else content_end
            raise SyntaxFailure(quote, end, self.number_message(boxed, raw, key))
        if boxed == "Float":
            return struct.unpack(">f", struct.pack(">i", number))[0], content_end, raw
        if boxed == "Double":
            return struct.unpack(">d", struct.pack(">q", number))[0], content_end, raw
        return number, content_end, raw

    def number_message(self, boxed: str, raw: str, key: _Key) -> str:
        label = _label(key)
        fails = "the platform's reader fails, so the whole file is not installed"
        if boxed in ("Float", "Double"):
            code = "F" if boxed == "Float" else "D"
            method = "Float.floatToRawIntBits" if code == "F" else "Double.doubleToRawLongBits"
            message = (
                f"the value of {label} is not a {boxed} as a .config file writes it: {code} "
                f"values are the raw IEEE 754 bits of the number as a whole number ({method}), "
                f"not a decimal; {fails}"
            )
            if (
                label != "this property"
                and not self.is_secret_name(key.name)
                and _DECIMAL.fullmatch(raw.strip())
            ):
                number = float(raw.strip())
                try:
                    if code == "F":
                        pattern = struct.unpack(">i", struct.pack(">f", number))[0]
                    else:
                        pattern = struct.unpack(">q", struct.pack(">d", number))[0]
                except OverflowError:  # beyond the float range: no suggestion
                    return message
                message += f' (that number is written {code}"{pattern}")'
            return message
        bits = _INT_BITS[boxed]
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return (
            f"the value of {label} is not a whole number in the {boxed} range ({low} to {high}): "
            f"{fails}"
        )

    def ensure_closing_quote(self, key: _Key, content_start: int, where: str) -> int | None:
        """``ensureNext(pr, '"')``, which never throws: the end offset, or None (an anomaly)."""
        code = self.read()
        if code == _QUOTE:
            return self.cend
        text = self.text
        label = _label(key)
        line_end = self.line_end(content_start)
        if code == _EQ:
            after = text[self.cend : self.line_end(self.cend)].lstrip(" \t")
            if line_end < self.cstart and _VALUE_START.match(after):
                self.add_anomaly(
                    content_start - 1,
                    line_end,
                    f"the string value{where} of {label} is not closed on its line",
                    "the platform reads on over the line break up to the next '=', so the value "
                    "swallows the following line"
                    + (f" and the whole {where.split()[-1]} is dropped" if where else ""),
                    "close the string with '\"' (write \\n for a line break inside a value)",
                )
            else:
                self.add_anomaly(
                    self.cstart,
                    self.cend,
                    "an unescaped '=' inside a quoted value ends the value",
                    f"the platform drops the whole {where.split()[-1]}"
                    if where
                    else f"the platform reads {label} only up to the '='",
                    "write '\\=' (e.g. $[env:X;default\\=Y])",
                )
        else:  # the end of the file (the phantom U+FFFF)
            self.add_anomaly(
                content_start - 1,
                min(line_end, len(text)),
                f"the string value{where} of {label} is never closed",
                "the platform reads everything to the end of the file as its value",
                "close the string with '\"'",
            )
        return None

    def line_end(self, offset: int) -> int:
        text = self.text
        ends = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i != -1]
        return min(ends) if ends else len(text)

    def add_anomaly(self, start: int, end: int, what: str, effect: str, fix: str) -> None:
        if self.pending is not None:
            return  # the first thing that derails a value is its cause; the rest follows from it
        anomaly = _Anomaly(start, max(start, end), what, effect, fix, self.cstart)
        self.anomalies.append(anomaly)
        self.pending = anomaly

    def read_value(self, key: _Key, equals_at: int) -> _Value | None:
        """``readValue``."""
        type_code = self.ignorable_whitespace()
        value_start = self.cstart
        type_end = self.cend
        had_code = type_code in _TYPES
        if had_code:
            code = self.read()
            code_start = self.cstart
        else:
            code = type_code
            code_start = value_start
            type_code = _STRING_CODE
        if code == _ARR_OPEN:
            return self.read_multi(type_code, key, value_start, _ARR_CLOSE)
        if code == _VEC_OPEN:
            return self.read_multi(type_code, key, value_start, _VEC_CLOSE)
        label = _label(key)
        if code == _QUOTE:
            value, content_end, raw = self.read_simple(type_code, key, value_start)
            end = self.ensure_closing_quote(key, code_start + 1, "")
            boxed = _TYPES[type_code][0]
            if end is None:
                end = content_end
            elif value is not None:
                self.check_value(boxed, raw, key, value_start, end)
            if value is None:
                self.add_anomaly(
                    value_start,
                    end,
                    f"the Character value of {label} is empty",
                    "the platform drops the property",
                    'give it one character, e.g. C"x"',
                )
                return None
            return _Value(boxed, boxed, False, value_start, end, [(value, value_start, end)])
        # default: return null
        text = self.text
        if code == _EOF or (code == _PHANTOM and self.cstart >= self.length):
            self.add_anomaly(
                equals_at,
                equals_at + 1,
                f"{label} has no value (the file ends after the '=')",
                "the platform ignores it",
                'write a quoted value, e.g. key="value"',
            )
            return None
        if self.line_end(equals_at) < value_start:
            self.add_anomaly(
                equals_at,
                equals_at + 1,
                f"{label} has no value on its line",
                "the platform takes the text on the next line as its value and drops it",
                "write a quoted value after the '=', e.g. key=\"value\"",
            )
            return None
        rest = text[type_end : self.line_end(type_end)].lstrip(" \t")
        if had_code and code in _JAVA_WHITESPACE and rest.startswith(('"', "[", "(")):
            what = f"the type code of {label} is not directly followed by the quoted value"
            fix = 'write the type code right before the quote, e.g. I"8080"'
            end = self.unquoted_end(value_start)
        elif not had_code and text.startswith(('"', "[", "("), type_end):
            what = (
                f"unknown type code for {label} (type codes: T I L F D X S C B, lower case for "
                "primitives)"
            )
            fix = 'use a known type code, or none for a String, e.g. I"8080"'
            end = type_end
        else:
            what = f"the value of {label} is not in double quotes"
            fix = 'quote the value, with an optional type code before the quote, e.g. I"8080"'
            end = self.unquoted_end(value_start)
        self.add_anomaly(value_start, end, what, "the platform drops the value", fix)
        return None

    def unquoted_end(self, start: int) -> int:
        end = self.line_end(start)
        return max(start + 1, len(self.text[start:end].rstrip()) + start)

    def check_value(self, boxed: str, raw: str, key: _Key, start: int, end: int) -> None:
        """CFG008 for the values the platform silently changes (``raw``: the unescaped text)."""
        if boxed == "Boolean" and not (raw.isascii() and raw.lower() in ("true", "false")):
            self.anomalies.append(
                _Anomaly(
                    start,
                    end,
                    f"the Boolean value of {_label(key)} is neither true nor false",
                    "the platform reads it as false (a Boolean is true only for the text true, "
                    "in any case)",
                    'write B"true" or B"false"',
                )
            )
        elif boxed == "Character" and _utf16_length(raw) > 1:
            self.anomalies.append(
                _Anomaly(
                    start,
                    end,
                    f"the Character value of {_label(key)} has more than one character",
                    "the platform keeps only the first one",
                    "use a String (no type code) for text",
                )
            )

    def read_multi(self, type_code: int, key: _Key, start: int, closer: int) -> _Value | None:
        """``readArray`` / ``readCollection``."""
        boxed, element = _TYPES[type_code]
        kind = "array" if closer == _ARR_CLOSE else "collection"
        label = _label(key)
        drops = f"the platform drops the whole {kind}"
        items: list[tuple[object, int, int]] = []
        while True:
            code = self.ignorable_page_break_and_whitespace()
            if code == _QUOTE:
                quote = self.cstart
                value, content_end, raw = self.read_simple(type_code, key, quote)
                if value is None:
                    end = content_end + 1 if self.text.startswith('"', content_end) else content_end
                    self.add_anomaly(
                        quote,
                        end,
                        f"an empty Character in the {kind} of {label}",
                        drops,
                        'give every element one character, e.g. C["x"]',
                    )
                    return None
                closing = self.ensure_closing_quote(key, quote + 1, f" in the {kind}")
                if closing is None:
                    end = content_end
                else:
                    end = closing
                    self.check_value(boxed, raw, key, quote, end)
                items.append((value, quote, end))
                code = self.ignorable_page_break_and_whitespace()
            if code == closer:
                type_name = f"{element}[]" if closer == _ARR_CLOSE else f"Collection<{boxed}>"
                return _Value(type_name, boxed, True, start, self.cend, items)
            if code < 0 or (code == _PHANTOM and self.cstart >= self.length):
                self.add_anomaly(
                    start,
                    self.line_end(start),
                    f"the {kind} of {label} is not closed before the end of the file",
                    drops,
                    f"close the {kind} with '{chr(closer)}'",
                )
                return None
            if code != _COMMA:
                if code == _QUOTE:
                    what = f"missing ',' between the elements of the {kind} of {label}"
                    fix = "separate the elements with ','"
                else:
                    what = (
                        f"unexpected {_describe(code)} in the {kind} of {label} (elements are "
                        "double-quoted values separated by ',')"
                    )
                    fix = f"quote every element and close the {kind} with '{chr(closer)}'"
                self.add_anomaly(self.cstart, self.cend, what, drops, fix)
                return None

    # -- the loop --------------------------------------------------------------------------

    def key(self, tainted: bool) -> _Key:
        """The name token, ``trim()``-ed, with the span of what is kept."""
        name = self.token_value
        marks = self.token_marks
        first = 0
        last = len(name)
        while first < last and name[first] <= " ":
            first += 1
        while last > first and name[last - 1] <= " ":
            last -= 1
        if len(marks) != len(name):  # joined surrogate pairs: fall back to the whole token
            return _Key(name.strip("".join(chr(c) for c in range(33))), *self.token_span(), tainted)
        if first == last:
            return _Key("", self.tok_start, self.tok_start, tainted)
        return _Key(name[first:last], marks[first][0], marks[last - 1][1], tainted)

    def token_span(self) -> tuple[int, int]:
        marks = self.token_marks
        if not marks:
            return self.tok_start, self.tok_start
        return marks[0][0], marks[-1][1]

    def run(self) -> None:
        """``readInternal``; raises :class:`SyntaxFailure` where the Java reader throws."""
        text = self.text
        while True:
            try:
                token = self.next_token(True)
            except SyntaxFailure:
                pending = self.pending
                if pending is not None and self.same_line(pending.resume, self.tok_start):
                    raise SyntaxFailure(
                        pending.start, pending.end, _message(pending, True)
                    ) from None
                raise
            if token != _NAME:
                if token != _EOF:
                    self.stopped(self.tok_start)
                return
            pending = self.pending
            tainted = False
            if pending is not None:
                if self.same_line(pending.resume, self.tok_start):
                    tainted = True
                    pending.consequence = "misread"
                else:
                    self.pending = pending = None
            key = self.key(tainted)
            if key.start == 0 and text.startswith("\ufeff"):
                self.anomalies.append(
                    _Anomaly(
                        key.start,
                        key.end,
                        "the file starts with a byte-order mark (U+FEFF)",
                        "the platform's reader keeps it as part of the first property name, so "
                        "that property is not the one intended",
                        "save the file as UTF-8 without a byte-order mark",
                    )
                )
            elif not tainted and ("\n" in key.name or "\r" in key.name):
                line = self.index.position(key.start)[0]
                self.anomalies.append(
                    _Anomaly(
                        key.start,
                        key.end,
                        f"the text on line {line} has no '='",
                        "the platform reads it and the following text up to the next '=' as one "
                        "property name",
                        "remove the stray text, or make it a comment with '#'",
                    )
                )
            token = self.next_token(False)
            if token != _EQ:
                raise self.expected_equals(token, key)
            equals_at = self.tok_start
            self.pending = None
            value = self.read_value(key, equals_at)
            if value is not None:
                self.entries.append((key, value))

    def same_line(self, start: int, end: int) -> bool:
        between = self.text[start:end]
        return "\n" not in between and "\r" not in between

    def stopped(self, at: int) -> None:
        """The loop ends on a token that is not a name: the rest of the file is ignored."""
        pending = self.pending
        line = self.index.position(at)[0]
        if pending is not None:
            pending.consequence = f"stop:{line}"
            return
        self.anomalies.append(
            _Anomaly(
                at,
                at + 1,
                f"{_describe(ord(self.text[at]))} where a property name should start",
                "the platform's reader stops there, so the rest of the file (from line "
                f"{line}) is ignored",
                'start each property with its name, e.g. key="value"',
            )
        )

    def expected_equals(self, token: int, key: _Key) -> SyntaxFailure:
        pending = self.pending
        if pending is not None:
            return SyntaxFailure(pending.start, pending.end, _message(pending, fatal=True))
        fails = "the platform's reader fails, so the whole file is not installed"
        if self.tok_start >= self.length or token == _EOF:
            if key.start >= self.length and self.text.endswith("\r"):
                return SyntaxFailure(
                    self.length - 1,
                    self.length,
                    "the file ends with a lone carriage return (an old Mac line ending), after "
                    f"which the platform's reader sees a phantom property name: {fails}; end the "
                    "lines with \\n or \\r\\n",
                )
            return SyntaxFailure(
                key.start,
                key.end,
                f"the file ends after the property name {_label(key)} without '=': {fails}",
            )
        return SyntaxFailure(
            self.tok_start,
            self.tok_end,
            f"expected '=' after the property name {_label(key)}, found "
            f"{_describe(ord(self.text[self.tok_start]))}: {fails}",
        )


def _message(anomaly: _Anomaly, fatal: bool) -> str:
    if fatal:
        effect = "the platform's reader then fails, so the whole file is not installed"
    else:
        effect = anomaly.effect
        if anomaly.consequence.startswith("stop:"):
            effect += (
                "; the reader then stops there, so the rest of the file (from line "
                f"{anomaly.consequence[5:]}) is ignored"
            )
        elif anomaly.consequence == "misread":
            effect += "; the rest of the line is then read as the start of the next property name"
    return f"{anomaly.what}: {effect}; {anomaly.fix}"


def _property(
    key: _Key,
    value: _Value,
    index: LineIndex,
    is_secret_name: Callable[[str], bool],
) -> Property:
    secret = is_secret_name(key.name)
    with_placeholders = value.element_type == "String"
    scalars: list[Scalar] = []
    for item, start, end in value.items:
        if isinstance(item, str):
            placeholders = (
                find_placeholders(item, secret) if with_placeholders and "$[" in item else ()
            )
            stored: ScalarValue = Secret(item) if secret else item
            scalars.append(new_scalar(stored, index.span(start, end), placeholders))
        else:
            assert isinstance(item, int | float)  # bool is an int
            scalars.append(new_scalar(item, index.span(start, end), ()))
    return new_property(
        key.name,
        value.type_name,
        index.span(key.start, key.end),
        index.span(value.start, value.end),
        tuple(scalars),
        value.multi,
    )


def parse_felix_config(text: str, is_secret_name: Callable[[str], bool]) -> ParsedConfig:
    """Read a ``.config`` file's text as Felix's ``ConfigurationHandler`` does; never raises.

    ``is_secret_name`` is called with each property name; the string and character values of
    the properties it accepts are returned as :class:`Secret`.
    """
    index = LineIndex(text)
    failure: SyntaxFailure | None = None
    anomalies: list[_Anomaly] = []
    entries = _fast_entries(text)
    if entries is None:
        reader = _Reader(text, index, is_secret_name)
        try:
            reader.run()
        except SyntaxFailure as error:
            failure = error
        entries = reader.entries
        anomalies = reader.anomalies
    properties: dict[str, Property] = {}
    problems: list[Problem] = []
    starts: dict[str, int] = {}
    for key, value in entries:
        if key.name in properties:
            line = index.position(starts[key.name])[0]
            problems.append(
                Problem(
                    "CFG002",
                    f"duplicate key {_label(key)} (also on line {line}): the platform keeps only "
                    "the last value",
                    index.span(key.start, key.end),
                )
            )
        properties[key.name] = _property(key, value, index, is_secret_name)
        starts[key.name] = key.start
    if failure is not None:
        start = min(failure.start, len(text))
        end = min(max(failure.end, start), len(text))
        syntax = Problem("CFG001", failure.message, index.span(start, end))
        return ParsedConfig(tuple(properties.values()), (syntax,), False)
    for anomaly in anomalies:
        start = min(anomaly.start, len(text))
        end = min(max(anomaly.end, start), len(text))
        problems.append(Problem("CFG008", _message(anomaly, False), index.span(start, end)))
    problems.sort(key=lambda p: p.span.start if p.span else 0)
    return ParsedConfig(tuple(properties.values()), tuple(problems), True)
