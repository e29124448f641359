"""The writers of :mod:`aemlint.parsing.literals` are the inverse of the readers: any text
written into a string value of any form reads back exactly (property test), and the written
text stays within the form's encoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.felix_config import parse_felix_config
from aemlint.parsing.literals import docview_text, felix_text, json_text, properties_text
from aemlint.parsing.properties import parse_properties
from aemlint.parsing.sling_xml import parse_sling_xml
from aemlint.types import reveal

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TRICKY = [
    "",
    " lead",
    "a=b",
    'q"uote',
    "back\\slash",
    "[x]",
    "{String}x",
    "a,b",
    "tab\there",
    "line\nbreak",
    "cr\rlf",
    "\x01ctl",
    "ümlaut",
    "€uro",
    "😀",
    "$[env:AEM_PROXY_HOST]",
    "&amp;",
    "<tag>",
    "'apos'",
    "#hash",
    "!bang",
    ":colon",
    "\\u0041",
    "\x00",
    "\\",
    " ",
    "\tlead",
]


def never_secret(name: str) -> bool:
    return False


def _value(parsed: object) -> object:
    props = parsed.properties  # type: ignore[attr-defined]
    assert len(props) == 2, parsed
    assert props[1].name == "after"
    return reveal(props[0].values[0].value)


@settings(max_examples=300)
@given(TEXT)
def test_json(text: str) -> None:
    source = '{"key": "' + json_text(text) + '", "after": 1}'
    source.encode("utf-8")
    assert _value(parse_cfg_json(source, never_secret)) == text


@settings(max_examples=300)
@given(TEXT)
def test_felix(text: str) -> None:
    source = 'key="' + felix_text(text) + '"\nafter="x"\n'
    parsed = parse_felix_config(source, never_secret)
    assert not parsed.problems
    assert _value(parsed) == text


@settings(max_examples=300)
@given(TEXT)
def test_properties(text: str) -> None:
    written = properties_text(text, at_start=True)
    written.encode("iso-8859-1")
    source = "key=" + written + "\nafter=x\n"
    assert _value(parse_properties(source, never_secret)) == text


@settings(max_examples=300)
@given(TEXT.filter(lambda t: t != ""), st.sampled_from(['"', "'"]))
def test_docview(text: str, quote: str) -> None:
    written = docview_text(text, quote)
    forbidden = any(
        (ord(c) < 0x20 and c not in "\t\n\r") or ord(c) in (0xFFFE, 0xFFFF) for c in text
    )
    if written is None:
        assert forbidden
        return
    source = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root '
        'xmlns:jcr="http://www.jcp.org/jcr/1.0" xmlns:sling="http://sling.apache.org/jcr/sling/1.0"'
        f' jcr:primaryType="sling:OsgiConfig" key={quote}{written}{quote} after="x"/>\n'
    )
    parsed = parse_sling_xml(source, never_secret)
    assert parsed is not None and not parsed.problems
    assert _value(parsed) == text


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_every_form(text: str) -> None:
    test_json.hypothesis.inner_test(text)  # type: ignore[attr-defined]
    test_felix.hypothesis.inner_test(text)  # type: ignore[attr-defined]
    test_properties.hypothesis.inner_test(text)  # type: ignore[attr-defined]
    if text:
        test_docview.hypothesis.inner_test(text, '"')  # type: ignore[attr-defined]


def _xml(attribute: str, quote: str = '"') -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root '
        'xmlns:jcr="http://www.jcp.org/jcr/1.0" xmlns:sling="http://sling.apache.org/jcr/sling/1.0"'
        f' jcr:primaryType="sling:OsgiConfig" key={quote}{attribute}{quote} after="x"/>\n'
    )


@settings(max_examples=300)
@given(TEXT, TEXT.filter(lambda t: t != ""))
def test_docview_array_element_and_middle_of_value(text: str, head: str) -> None:
    element = docview_text(text, '"', at_start=False, in_array=True)
    middle = docview_text(text, '"', at_start=False)
    first = docview_text(head, '"')
    if element is None or middle is None or first is None:
        return
    parsed = parse_sling_xml(_xml(f"[x,{element},y]"), never_secret)
    assert parsed is not None and not parsed.problems
    assert [reveal(s.value) for s in parsed.properties[0].values] == ["x", text, "y"]
    parsed = parse_sling_xml(_xml(first + middle), never_secret)
    assert parsed is not None and not parsed.problems
    assert _value(parsed) == head + text
