"""Turning code-point offsets into 1-based line/column spans."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, count
from operator import add

from aemlint.parsing.values import frozen_constructor
from aemlint.types import Span

_LINE_BREAK = re.compile(r"\r\n?|\n")

#: ``Span(line, column, end_line, end_column, start, end)``, faster (every field, positionally).
new_span: Callable[[int, int, int, int, int, int], Span] = frozen_constructor(Span)


class LineIndex:
    """Line starts of a text; ``\\r\\n``, ``\\n`` and a lone ``\\r`` each end a line.

    ``starts`` is the list of line-start offsets (``starts[0] == 0``), for parsers that place
    tokens themselves; read it, never change it.
    """

    __slots__ = ("_length", "starts")

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        else:
            # Only "\n": the starts are the running sums of the line lengths (plus the breaks).
            starts = [0]
            starts += map(add, accumulate(map(len, text.split("\n")[:-1])), count(1))
            self.starts = starts
        self._length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset (clamped to the text)."""
        if offset < 0:
            offset = 0
        elif offset > self._length:
            offset = self._length
        starts = self.starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        length = self._length
        at = 0 if start < 0 else length if start > length else start
        line = bisect_right(starts, at)
        column = at - starts[line - 1] + 1
        at = 0 if end < 0 else length if end > length else end
        if at >= starts[line - 1] and (line == len(starts) or at < starts[line]):
            end_line = line  # on the same line: no second look-up
        else:
            end_line = bisect_right(starts, at)
        return new_span(line, column, end_line, at - starts[end_line - 1] + 1, start, end)

    def token_span(self, start: int, end: int) -> Span:
        """:meth:`span` of a range that holds no line break, ``0 <= start <= end <= len(text)``
        (a token): one line look-up instead of two."""
        starts = self.starts
        line = bisect_right(starts, start)
        column = start - starts[line - 1] + 1
        return new_span(line, column, line, column + end - start, start, end)

    @property
    def line_count(self) -> int:
        return len(self.starts)


#: JSON's two-character escapes (RFC 8259 §7): the character after ``\`` and what it stands for.
JSON_ESCAPES: dict[str, str] = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def utf16_units(text: str) -> list[str]:
    """``text`` as Java holds it: one string per UTF-16 code unit (a character beyond U+FFFF
    becomes its two surrogates), as Java's ``char``-wise conversions see it."""
    units: list[str] = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            units.append(chr(0xD800 + (code >> 10)))
            units.append(chr(0xDC00 + (code & 0x3FF)))
        else:
            units.append(char)
    return units


def describe_char(char: str) -> str:
    """A character for a syntax error's message, without echoing content that could belong
    to a secret (a letter or a digit is only named as one)."""
    if char in "\r\n":
        return "a line break"
    if char.isalpha():
        return "a letter"
    if char.isdigit():
        return "a digit"
    if " " < char < "\x7f":
        return f"'{char}'"
    return f"the character U+{ord(char):04X}"
