"""Spans inside a string value: where a piece of the unescaped value sits in the file.

A placeholder's ``start``/``end`` are offsets into the string value after unescaping
(:class:`~aemlint.parsing.values.Placeholder`); a finding about it should underline it in the
file. :func:`sub_span` maps such offsets back through the JSON string token (``\\"``, ``\\\\``,
``\\uXXXX`` and surrogate pairs included). Where the token cannot be mapped exactly — not a
one-line JSON string, or one whose decoding differs from the parsed value — the whole value's
span is returned, never a wrong column.
"""

from __future__ import annotations

from aemlint.parsing.text import JSON_ESCAPES
from aemlint.parsing.values import Scalar
from aemlint.types import Span, reveal

__all__ = ["sub_span"]

_SIMPLE_ESCAPES = JSON_ESCAPES
_HEX = frozenset("0123456789abcdefABCDEF")


def _hex4(token: str, at: int) -> int | None:
    digits = token[at : at + 4]
    if len(digits) != 4 or not all(c in _HEX for c in digits):
        return None
    return int(digits, 16)


def _json_offsets(token: str) -> tuple[str, list[int]] | None:
    """Decode a JSON string token (quotes included) and give, for each decoded character, its
    offset in the token (plus one final entry: the closing quote's offset)."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        return None
    out: list[str] = []
    offsets: list[int] = []
    i, last = 1, len(token) - 1
    while i < last:
        char = token[i]
        if char != "\\":
            out.append(char)
            offsets.append(i)
            i += 1
            continue
        if i + 1 >= last:
            return None
        escape = token[i + 1]
        if escape in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[escape])
            offsets.append(i)
            i += 2
            continue
        if escape != "u":
            return None
        code = _hex4(token, i + 2)
        if code is None:
            return None
        start, i = i, i + 6
        if 0xD800 <= code < 0xDC00 and token[i : i + 2] == "\\u":
            low = _hex4(token, i + 2)
            if low is not None and 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 6
        out.append(chr(code))
        offsets.append(start)
    offsets.append(last)
    return "".join(out), offsets


def sub_span(scalar: Scalar, start: int, end: int, source: str | None) -> Span:
    """The span in the file of ``value[start:end]`` of a string ``scalar``.

    ``source`` is the file's text (``Project.texts``); without it, or where the token cannot be
    mapped exactly, the scalar's whole span. A secret value is only compared, never returned.
    """
    span = scalar.span
    value = scalar.value
    if source is None or isinstance(value, bool | int | float):
        return span
    if span.end_line != span.line or not 0 <= start <= end:
        return span
    decoded = _json_offsets(source[span.start : span.end])
    if decoded is None:
        return span
    text, offsets = decoded
    if end > len(text) or text != reveal(value):
        return span
    first, after = offsets[start], offsets[end]
    return Span(
        span.line,
        span.column + first,
        span.line,
        span.column + after,
        span.start + first,
        span.start + after,
    )
