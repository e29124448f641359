"""Turning code-point offsets into 1-based line/column spans."""

from __future__ import annotations

import re
from bisect import bisect_right

from aemlint.types import Span

_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Line starts of a text; ``\\r\\n``, ``\\n`` and a lone ``\\r`` each end a line."""

    __slots__ = ("_length", "_starts")

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        self._length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, self._length))
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column, start, end)

    def token_span(self, start: int, end: int) -> Span:
        """:meth:`span` of a range that holds no line break, ``0 <= start <= end <= len(text)``
        (a token): one line look-up instead of two."""
        starts = self._starts
        line = bisect_right(starts, start)
        column = start - starts[line - 1] + 1
        return Span(line, column, line, column + end - start, start, end)

    @property
    def line_count(self) -> int:
        return len(self._starts)


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
