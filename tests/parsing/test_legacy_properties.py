"""Property-based tests of the legacy parsers (``.config``, ``.cfg``, ``sling:OsgiConfig`` XML).

- Any text gives a result, never an exception, with every span inside the text.
- What each platform writer produces reads back to the same typed values: Felix's
  ``ConfigurationHandler.write``, ``java.util.Properties.store`` and FileVault's
  ``DocViewProperty.format`` (each re-implemented here from its Java source).
"""

from __future__ import annotations

import math
import struct
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing.felix_config import parse_felix_config
from aemlint.parsing.properties import parse_properties
from aemlint.parsing.sling_xml import parse_sling_xml
from aemlint.parsing.values import ParsedConfig
from aemlint.types import Secret

from platform_writers import (
    XML_NAMES,
    XML_TEXT,
    docview_escape,
    felix_quote,
    java_ints,
    save_convert,
    xml_attribute,
)

CI = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def secret_names(name: str) -> bool:
    return "pass" in name.lower()


def plain(value: object) -> object:
    return value.reveal() if isinstance(value, Secret) else value


def check_spans(result: ParsedConfig, text: str) -> None:
    for found in result.problems:
        assert found.span is not None
        assert 0 <= found.span.start <= found.span.end <= len(text)
    for prop in result.properties:
        spans = [prop.key_span, prop.value_span, *(s.span for s in prop.values)]
        for span in spans:
            assert 0 <= span.start <= span.end <= len(text)
            assert (span.line, span.column) <= (span.end_line, span.end_column)
    if not result.readable:
        assert any(p.code in ("CFG001", "CFG003") for p in result.problems)


# ----------------------------------------------------------------------------------------------
# Any text.

CONFIG_CHARS = st.sampled_from(
    [*'ab=#"[](),\\ \t\n\r.:!{}<>&;ILFDXSCBilfdxscbTu0123456789-+', "\ufeff", "😀", "é", "\x00"]
)
SYNTAXY = st.text(CONFIG_CHARS, max_size=60)
ANY_TEXT = st.one_of(SYNTAXY, st.text(max_size=60))


@CI
@given(ANY_TEXT)
def test_felix_any_text(text: str) -> None:
    result = parse_felix_config(text, secret_names)
    check_spans(result, text)
    if not result.readable:
        assert [p.code for p in result.problems] == ["CFG001"]


@CI
@given(ANY_TEXT)
def test_properties_any_text(text: str) -> None:
    result = parse_properties(text, secret_names)
    check_spans(result, text)
    if not result.readable:
        assert [p.code for p in result.problems] == ["CFG001"]


XML_ROOT = '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="sling:OsgiConfig" '


@CI
@given(st.one_of(ANY_TEXT, SYNTAXY.map(lambda body: XML_ROOT + body)))
def test_sling_xml_any_text(text: str) -> None:
    result = parse_sling_xml(text, secret_names)
    if result is not None:
        check_spans(result, text)


@CI
@given(st.text(CONFIG_CHARS, max_size=30), st.text(CONFIG_CHARS, max_size=30))
def test_sling_xml_any_attribute_value(name_tail: str, value: str) -> None:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    text = XML_ROOT + f'a{"".join(c for c in name_tail if c.isalnum())}="{escaped}"/>'
    result = parse_sling_xml(text, secret_names)
    if result is not None:
        check_spans(result, text)


# ----------------------------------------------------------------------------------------------
# Felix ConfigurationHandler.write -> read.

KEY_CHARS = st.sampled_from(list('abcXYZ019._-:~$é😀 =\\"#'))
KEYS = st.text(KEY_CHARS, min_size=1, max_size=12).filter(
    lambda k: k.strip(" ") == k and not k.startswith("#")
)
STRINGS = st.text(st.characters(codec="utf-8"), max_size=20)
INT_RANGES = {"I": 32, "L": 64, "X": 8, "S": 16}


SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "T": STRINGS,
    **{code: java_ints(bits) for code, bits in INT_RANGES.items()},
    "F": st.floats(width=32, allow_nan=False),
    "D": st.floats(allow_nan=False),
    "C": st.characters(codec="utf-8", max_codepoint=0xFFFF),
    "B": st.booleans(),
}
BOXED = {
    "T": "String",
    "I": "Integer",
    "L": "Long",
    "X": "Byte",
    "S": "Short",
    "F": "Float",
    "D": "Double",
    "C": "Character",
    "B": "Boolean",
}
PRIMITIVE = {"I": "int", "L": "long", "X": "byte", "S": "short", "F": "float", "D": "double"}
PRIMITIVE.update({"C": "char", "B": "boolean"})


def felix_simple(code: str, value: Any) -> str:
    """``writeSimple``: floats as their raw bits."""
    if code == "F":
        text = str(struct.unpack(">i", struct.pack(">f", value))[0])
    elif code == "D":
        text = str(struct.unpack(">q", struct.pack(">d", value))[0])
    elif code == "B":
        text = "true" if value else "false"
    else:
        text = str(value)
    return '"' + felix_quote(text) + '"'


@st.composite
def felix_properties(draw: st.DrawFn) -> list[tuple[str, str, str, Any]]:
    """(key, shape, code, value): shape is 'scalar', 'array', 'primitive' or 'collection'."""
    keys = draw(st.lists(KEYS, max_size=6, unique=True))
    items = []
    for key in keys:
        code = draw(st.sampled_from(sorted(SCALARS)))
        shape = draw(st.sampled_from(["scalar", "array", "primitive", "collection"]))
        if shape == "primitive" and code == "T":
            shape = "array"
        if shape == "scalar":
            value = draw(SCALARS[code])
        else:
            value = draw(st.lists(SCALARS[code], max_size=4))
        items.append((key, shape, code, value))
    return items


def felix_write(items: list[tuple[str, str, str, Any]]) -> str:
    """``ConfigurationHandler.write`` (entries in the given order)."""
    lines = []
    for key, shape, code, value in items:
        type_code = "" if code == "T" else code
        if shape == "scalar":
            body = type_code + felix_simple(code, value)
        elif shape == "collection":
            elements = "".join(f"  {felix_simple(code, v)}, \\\r\n" for v in value)
            body = (type_code if value else "") + "( \\\r\n" + elements + ")"
        else:
            if shape == "primitive":
                type_code = type_code.lower()
            elements = "".join(f"  {felix_simple(code, v)}, \\\r\n" for v in value)
            body = type_code + "[ \\\r\n" + elements + "  ]"
        lines.append(felix_quote(key) + "=" + body + "\r\n")
    return "".join(lines)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack(">d", a) == struct.pack(">d", b) or (math.isnan(a) and math.isnan(b))
    return bool(a == b) and type(a) is type(b)


@CI
@given(felix_properties())
def test_felix_writer_output_reads_back(items: list[tuple[str, str, str, Any]]) -> None:
    text = felix_write(items)
    result = parse_felix_config(text, secret_names)
    assert result.readable
    assert result.problems == ()
    found = {p.name: p for p in result.properties}
    assert list(found) == [key for key, *_ in items]
    for key, shape, code, value in items:
        prop = found[key]
        values = [plain(s.value) for s in prop.values]
        if shape == "scalar":
            assert prop.type_name == BOXED[code]
            assert not prop.is_multi
            assert same(values[0], value)
            assert text[prop.value_span.start : prop.value_span.end].endswith('"')
        else:
            if shape == "collection":
                element = BOXED[code] if value else "String"
                assert prop.type_name == f"Collection<{element}>"
            elif shape == "primitive":
                assert prop.type_name == PRIMITIVE[code] + "[]"
            else:
                assert prop.type_name == BOXED[code] + "[]"
            assert prop.is_multi
            assert len(values) == len(value)
            assert all(same(a, b) for a, b in zip(values, value, strict=True))
        for scalar in prop.values:
            assert text[scalar.span.start : scalar.span.end].endswith('"')


# ----------------------------------------------------------------------------------------------
# java.util.Properties.store -> load.


@CI
@given(st.dictionaries(STRINGS, STRINGS, max_size=6))
def test_properties_store_output_reads_back(entries: dict[str, str]) -> None:
    text = "#comment\n#Mon Jan 01 00:00:00 UTC 2024\n" + "".join(
        f"{save_convert(k, True)}={save_convert(v, False)}\n" for k, v in entries.items()
    )
    result = parse_properties(text, secret_names)
    assert result.readable and result.problems == ()
    assert {p.name: plain(p.values[0].value) for p in result.properties} == entries
    for prop in result.properties:
        assert all(s.span == prop.value_span for s in prop.values)


@CI
@given(st.dictionaries(KEYS, st.text(st.characters(codec="latin-1"), max_size=12), max_size=5))
def test_properties_hand_written_lines(entries: dict[str, str]) -> None:
    # Indented "key = value" lines with a continuation inside the value; the continuation
    # line's leading whitespace is dropped, so the second half escapes its spaces.
    lines = []
    for key, value in entries.items():
        head, tail = save_convert(value[:3], False), save_convert(value[3:], True)
        lines.append(f"  {save_convert(key, True)} = {head}\\\n\t{tail}\n")
    text = "".join(lines)
    result = parse_properties(text, secret_names)
    assert result.readable
    assert {p.name: plain(p.values[0].value) for p in result.properties} == entries


# ----------------------------------------------------------------------------------------------
# FileVault DocViewProperty.format -> parse.


def docview_format(values: list[str] | str) -> str:
    if isinstance(values, str):
        return docview_escape(values, False)
    if values == [""]:
        return "[\\0]"
    return "[" + ",".join(docview_escape(v, True) for v in values) + "]"


@CI
@given(
    st.dictionaries(
        XML_NAMES,
        st.one_of(XML_TEXT.filter(bool), st.lists(XML_TEXT, min_size=1, max_size=4)),
        max_size=5,
    )
)
def test_docview_format_reads_back(properties: dict[str, list[str] | str]) -> None:
    folded: dict[str, list[str] | str] = {}
    for name, value in properties.items():
        folded.setdefault(name.upper(), value)
    properties = {n: v for n, v in properties.items() if folded[n.upper()] is v}
    attributes = "".join(
        f'\n    {name}="{xml_attribute(docview_format(value))}"'
        for name, value in properties.items()
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"'
        ' xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType="sling:OsgiConfig"'
        + attributes
        + "/>\n"
    )
    result = parse_sling_xml(text, secret_names)
    assert result is not None
    assert result.readable and result.problems == ()
    found = {p.name: p for p in result.properties}
    assert list(found) == list(properties)
    for name, value in properties.items():
        prop = found[name]
        got = [plain(s.value) for s in prop.values]
        if isinstance(value, str):
            assert (prop.type_name, got) == ("String", [value])
        else:
            assert (prop.type_name, got) == ("String[]", value)
        assert text[prop.key_span.start : prop.key_span.end] == name
        assert text[prop.value_span.start : prop.value_span.end].startswith('"')
