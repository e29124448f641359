"""Writing string text back into a configuration file, escaped as its reader expects.

A fix replaces a range inside a string value. The replacement is plain text; how it must be
written depends on the file form and on where it goes. Each writer here is the inverse of one
reader in this package, and a property test checks it (the reader gives back exactly the text):

- ``cfg.json`` (:mod:`aemlint.parsing.cfg_json`): inside a JSON string; ``"``, ``\\`` and
  control characters escaped as JSON does.
- ``config`` (:mod:`aemlint.parsing.felix_config`): inside a Felix quoted value, which ends at
  the first unescaped ``"`` or ``=``: ``\\``, ``"`` and ``=`` are backslash-escaped, as are
  ``\\b \\t \\n \\f \\r``; other control characters are ``\\uXXXX``.
- ``cfg`` (:mod:`aemlint.parsing.properties`, ISO-8859-1): a Java properties value: ``\\``
  and line-break characters escaped, whitespace at the start of the value escaped (the reader
  skips it), characters outside ISO-8859-1 as ``\\uXXXX`` UTF-16 units.
- ``xml`` (:mod:`aemlint.parsing.sling_xml`): FileVault DocView first (``\\`` always, ``[`` and
  ``{`` where they begin the value, ``,`` and ``]`` in an array element: backslash-escaped, so
  the text is never read as a type, an array or a separator),
  then XML attribute escaping for the attribute's quote character (``&`` ``<`` ``>`` the quote,
  and tab and line breaks as character references, which attribute normalization keeps).
  Control characters XML 1.0 cannot carry make the text unwritable (None).
"""

from __future__ import annotations

import json
from typing import Final, Literal

Form = Literal["cfg.json", "config", "cfg", "xml"]

_FELIX_SIMPLE: Final = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_PROPERTIES_SIMPLE: Final = {"\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_XML_REFERENCES: Final = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}


def _utf16_escapes(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(text: str) -> str:
    """``text`` as it is written between the quotes of a JSON string."""
    try:
        dumped = json.dumps(text, ensure_ascii=False)
        dumped.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only an escape can write it
        dumped = json.dumps(text)
    return dumped[1:-1]


def felix_text(text: str) -> str:
    """``text`` as it is written between the quotes of a Felix ``.config`` value."""
    out: list[str] = []
    for char in text:
        if char in '\\"=':
            out.append("\\" + char)
        elif char in _FELIX_SIMPLE:
            out.append(_FELIX_SIMPLE[char])
        elif ord(char) < 0x20 or 0xD800 <= ord(char) < 0xE000:
            out.append(_utf16_escapes(char))
        else:
            out.append(char)
    return "".join(out)


def properties_text(text: str, at_start: bool) -> str:
    """``text`` as it is written in a Java properties value (``at_start``: where the value
    begins, so leading whitespace must be escaped)."""
    out: list[str] = []
    leading = at_start
    for char in text:
        if leading and char in " \t\f":
            out.append("\\ " if char == " " else _PROPERTIES_SIMPLE[char])
            continue
        leading = False
        if char == "\\":
            out.append("\\\\")
        elif char in _PROPERTIES_SIMPLE:
            out.append(_PROPERTIES_SIMPLE[char])
        elif ord(char) < 0x20 or ord(char) > 0xFF:
            out.append(_utf16_escapes(char))
        else:
            out.append(char)
    return "".join(out)


def docview_text(
    text: str, quote: str, *, at_start: bool = True, in_array: bool = False
) -> str | None:
    """``text`` as it is written inside a DocView attribute value quoted with ``quote``
    (``at_start``: it begins the value; ``in_array``: it is an element of ``[…]``); None when
    XML 1.0 cannot carry one of its characters."""
    out: list[str] = []
    for index, char in enumerate(text):
        code = ord(char)
        if (code < 0x20 and char not in "\t\n\r") or 0xD800 <= code < 0xE000 or code > 0x10FFFF:
            return None
        if code in (0xFFFE, 0xFFFF):
            return None
        if (
            char == "\\"
            or (char in "[{" and at_start and index == 0)
            or (char in ",]" and in_array)
        ):
            out.append("\\" + char)
        elif char == quote:
            out.append("&quot;" if quote == '"' else "&apos;")
        elif char in _XML_REFERENCES:
            out.append(_XML_REFERENCES[char])
        else:
            out.append(char)
    return "".join(out)


def write_text(
    form: Form, text: str, *, at_start: bool = False, quote: str = '"', in_array: bool = False
) -> str | None:
    """``text`` escaped for a string value of ``form`` (see the module documentation); None
    when the form cannot carry it."""
    if form == "cfg.json":
        return json_text(text)
    if form == "config":
        return felix_text(text)
    if form == "cfg":
        return properties_text(text, at_start)
    return docview_text(text, quote, at_start=at_start, in_array=in_array)
