"""How the platform's own writers spell values, for round-trip tests of aemlint's readers.

Each function is the Java original it names, transcribed; lone surrogates (which Java strings
can hold) are written as the Java writer writes them. Shared by the parser tests
(``tests/parsing/test_legacy_properties.py``) and the CFG004 conversion tests
(``tests/test_fix_cfg004.py``).
"""

from __future__ import annotations

from hypothesis import strategies as st

#: An XML attribute's text: any character XML 1.0 allows.
XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_characters="\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or c >= " "
    ),
    max_size=12,
)
#: Attribute names a content package uses.
XML_NAMES = st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_.\-]{0,10}", fullmatch=True)


def java_ints(bits: int) -> st.SearchStrategy[int]:
    """Every value of a Java integer type of ``bits`` bits."""
    return st.integers(-(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def felix_quote(text: str) -> str:
    """Felix ``ConfigurationHandler.writeQuoted``."""
    out: list[str] = []
    for char in text:
        if char in '\\" =':
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif char < " " or "\ud800" <= char <= "\udfff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def save_convert(text: str, escape_space: bool) -> str:
    """``java.util.Properties.saveConvert`` with ``escapeUnicode`` (``store(OutputStream)``)."""
    out: list[str] = []
    for index, char in enumerate(text):
        code = ord(char)
        if 61 < code < 127:
            out.append("\\\\" if char == "\\" else char)
        elif char == " ":
            out.append("\\ " if index == 0 or escape_space else " ")
        elif char in "\t\n\r\f":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}[char])
        elif char in "=:#!":
            out.append("\\" + char)
        elif code < 0x20 or code > 0x7E:
            units = char.encode("utf-16-be", "surrogatepass")
            for i in range(0, len(units), 2):
                out.append(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04X}")
        else:
            out.append(char)
    return "".join(out)


def docview_escape(value: str, is_multi: bool) -> str:
    """FileVault ``DocViewProperty.escape``."""
    out: list[str] = []
    for index, char in enumerate(value):
        if char == "\\":
            out.append("\\\\")
        elif char == "," and is_multi:
            out.append("\\,")
        elif index == 0 and not is_multi and char in "[{":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def xml_attribute(text: str) -> str:
    """How a serializer writes an attribute value (whitespace as character references)."""
    replacements = {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;"}
    replacements["\t"] = "&#9;"
    return "".join(replacements.get(c, c) for c in text)
