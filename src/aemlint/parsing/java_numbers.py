"""Java's ``Double.parseDouble``/``Double.valueOf``, as the platform's readers use it.

Shared by the `.cfg.json` type converter and the `sling:OsgiConfig` XML reader, so both accept
and refuse exactly the same number texts.
"""

from __future__ import annotations

import math
import re
from typing import Final

#: What Java's ``String.trim`` removes: every character up to U+0020.
JAVA_WHITESPACE: Final = "".join(chr(code) for code in range(33))
_JAVA_FLOAT = re.compile(
    r"""[+-]?(?:NaN|Infinity
        |(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?
           |0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+
          )[fFdD]?)""",
    re.X,
)


def parse_java_double(text: str) -> float | None:
    """``Double.parseDouble(text)``; None where Java throws NumberFormatException."""
    trimmed = text.strip(JAVA_WHITESPACE)
    if _JAVA_FLOAT.fullmatch(trimmed) is None:
        return None
    body = trimmed if trimmed.endswith(("NaN", "Infinity")) else trimmed.rstrip("fFdD")
    unsigned = body.lstrip("+-")
    negative = body.startswith("-")
    if unsigned == "NaN":
        return math.nan
    if unsigned == "Infinity":
        return -math.inf if negative else math.inf
    if unsigned[:2] in ("0x", "0X"):
        try:
            result = float.fromhex(unsigned)
        except OverflowError:
            result = math.inf
        return -result if negative else result
    return float(body)
