"""Masking secret values in file text before any of it is shown (code frames, diffs).

Every secret span the parser found is replaced with ``*`` (line breaks kept, so lines and
columns stay where they were). In a file the parser could not read to the end, where secrets
after the error are unknown, ``conservative`` also masks every string after a ``:``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aemlint.types import Span

_VALUE_STRING = re.compile(r'(:\s*)"((?:[^"\\\r\n]|\\.)*)"')


def _conservative(line: str) -> str:
    return _VALUE_STRING.sub(lambda m: m.group(1) + '"' + "*" * len(m.group(2)) + '"', line)


def mask(text: str, spans: Sequence[Span], conservative: bool = False) -> str:
    """``text`` with every character of ``spans`` (line breaks aside) replaced by ``*``."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, min(span.end, len(chars))):
            if chars[i] not in "\r\n":
                chars[i] = "*"
    masked = "".join(chars)
    if conservative:
        masked = "".join(_conservative(line) for line in masked.splitlines(keepends=True))
    return masked
