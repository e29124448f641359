"""The ``.cfg`` parser (``java.util.Properties``): syntax, positions, XML form, secrets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aemlint.parsing.properties import parse_properties
from aemlint.parsing.values import ParsedConfig, Property
from aemlint.types import Secret, SecretLeak

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
XML_HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n'
)


def secret_names(name: str) -> bool:
    return any(word in name.lower() for word in ("password", "secret", "token"))


def parse(text: str) -> ParsedConfig:
    return parse_properties(text, secret_names)


def plain(value: object) -> object:
    return value.reveal() if isinstance(value, Secret) else value


def clean(text: str) -> dict[str, Property]:
    result = parse(text)
    assert result.problems == ()
    assert result.readable
    return {p.name: p for p in result.properties}


def values(text: str) -> dict[str, object]:
    return {name: plain(p.values[0].value) for name, p in clean(text).items()}


def source(text: str, span: object) -> str:
    return text[span.start : span.end]  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# Syntax (the JDK's LineReader, load0 and loadConvert).


def test_separators() -> None:
    assert values("a=1\nb:2\nc 3\nd\t=\t4\ne  :  5\nf = = 6\ng=\nh\n:j\n") == {
        "a": "1",
        "b": "2",
        "c": "3",
        "d": "4",
        "e": "5",
        "f": "= 6",  # only one separator is skipped
        "g": "",
        "h": "",
        "": "j",
    }


def test_empty_key_duplicate_is_reported() -> None:
    result = parse("=i\n:j\n")
    assert [p.code for p in result.problems] == ["CFG002"]


def test_trailing_whitespace_is_kept_leading_is_not() -> None:
    assert values("  a =  x y  \n") == {"a": "x y  "}
    assert values("a=\\  x\n") == {"a": "  x"}


def test_comments() -> None:
    assert values("# c\n! c\n   # indented\na=1 # not a comment\n#b=2\n") == {
        "a": "1 # not a comment"
    }


def test_line_endings() -> None:
    assert values("a=1\rb=2\r\nc=3\n\n\r\nd=4") == {"a": "1", "b": "2", "c": "3", "d": "4"}


def test_continuations() -> None:
    text = "a=one\\\n    two\\\r\n\tthree\nb=x\\\n\nc=y\\\\\nd=z\\"
    assert values(text) == {"a": "onetwothree", "b": "x", "c": "y\\", "d": "z"}


def test_comment_after_a_continuation_is_text() -> None:
    assert values("a=1\\\n#x\n") == {"a": "1#x"}
    # A line that is only a backslash leaves nothing: the next line starts afresh (a comment).
    assert values("\\\n#x=1\nb=2\n") == {"b": "2"}


def test_escapes() -> None:
    text = "k\\ e\\=y\\:z=\\t\\n\\r\\f\\q\\\\\\u0041\\u00e9\nu=\\uD83D\\uDE00\n"
    assert values(text) == {"k e=y:z": "\t\n\r\fq\\Aé", "u": "😀"}


def test_iso_8859_1_text() -> None:
    assert values("caf\u00e9=\u00e0 la carte\n") == {"café": "à la carte"}


def test_malformed_unicode_escape_fails_the_file() -> None:
    for text, at in (("a=\\u12\n", "\\u12"), ("a=\\uZZZZ\n", "\\uZZZZ"), ("\\u00g0=1", "\\u00g0")):
        result = parse(text)
        assert not result.readable
        (found,) = result.problems
        assert found.code == "CFG001"
        assert source(text, found.span) == at
        assert "\\uXXXX" in found.message


def test_duplicate_key_last_wins() -> None:
    text = "a=1\nb=2\na=3\n"
    result = parse(text)
    assert result.readable
    assert [(p.name, plain(p.values[0].value)) for p in result.properties] == [
        ("a", "3"),
        ("b", "2"),
    ]
    (found,) = result.problems
    assert found.code == "CFG002"
    assert found.span is not None and (found.span.line, found.span.column) == (3, 1)


def test_all_values_are_strings() -> None:
    prop = clean("port=8080\nflag=true\n")["port"]
    assert prop.type_name == "String"
    assert prop.scalar is not None and prop.scalar.value == "8080"
    assert not prop.is_multi


# ----------------------------------------------------------------------------------------------
# Positions.


def test_spans() -> None:
    text = "  my\\ key = first\\\n     second  \r\nempty=\n"
    found = clean(text)
    prop = found["my key"]
    assert source(text, prop.key_span) == "my\\ key"
    assert source(text, prop.value_span) == "first\\\n     second  "
    assert prop.values[0].span == prop.value_span
    assert (prop.value_span.line, prop.value_span.column) == (1, 13)
    assert (prop.value_span.end_line, prop.value_span.end_column) == (2, 14)
    empty = found["empty"]
    assert empty.value_span.start == empty.value_span.end == text.index("empty=") + 6


# ----------------------------------------------------------------------------------------------
# Placeholders and secrets.


def test_placeholders_and_secrets() -> None:
    found = clean(
        "smtp.password=hunter2\nurl=jdbc://$[env:HOST;default=proxy]:30001\n"
        "api.token=$[secret:TOKEN;default=abc]\n"
    )
    password = found["smtp.password"].values[0].value
    assert isinstance(password, Secret) and password.reveal() == "hunter2"
    with pytest.raises(SecretLeak):
        f"{password}"
    (placeholder,) = found["url"].values[0].placeholders
    assert (placeholder.name, placeholder.default, placeholder.start) == ("HOST", "proxy", 7)
    token = found["api.token"].values[0]
    assert token.is_placeholder_only
    default = token.placeholders[0].default
    assert isinstance(default, Secret)


def test_messages_never_quote_values() -> None:
    result = parse("smtp.password=hunter2\\uZZ\n")
    assert "hunter2" not in result.problems[0].message


# ----------------------------------------------------------------------------------------------
# The XML form (Properties.loadFromXML, chosen when the first character is '<').


def test_xml_properties() -> None:
    text = (
        XML_HEADER + "<properties>\n  <comment>made by hand</comment>\n"
        '  <entry key="a">1 &amp; 2</entry>\n'
        "  <entry key='smtp.password'>hunter2</entry>\n"
        '  <entry key="empty"/>\n'
        '  <entry key="a">3</entry>\n'
        "</properties>\n"
    )
    result = parse(text)
    assert result.readable
    found = {p.name: p for p in result.properties}
    assert {n: plain(p.values[0].value) for n, p in found.items()} == {
        "a": "3",
        "smtp.password": "hunter2",
        "empty": "",
    }
    assert isinstance(found["smtp.password"].values[0].value, Secret)
    assert source(text, found["smtp.password"].key_span) == "'smtp.password'"
    assert source(text, found["smtp.password"].value_span) == "hunter2"
    assert source(text, found["empty"].value_span) == ""
    assert [p.code for p in result.problems] == ["CFG002"]


@pytest.mark.parametrize(
    "text",
    [
        "<properties><entry key='a'>1</entry></properties>",  # no DOCTYPE
        '<!DOCTYPE props SYSTEM "http://java.sun.com/dtd/properties.dtd"><props/>',
        XML_HEADER + "<properties><entry>1</entry></properties>",  # no key
        XML_HEADER + "<properties><item key='a'>1</item></properties>",
        XML_HEADER + "<properties><comment/><comment/></properties>",
        XML_HEADER + "<properties><entry key='a'>1</properties>",  # not well-formed
        '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd" '
        '[<!ENTITY a "b">]><properties/>',
    ],
)
def test_xml_properties_errors(text: str) -> None:
    result = parse(text)
    assert not result.readable
    assert [p.code for p in result.problems] == ["CFG001"]
    assert result.properties == ()


def test_xml_entity_bomb_is_refused_quickly() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE properties [\n <!ENTITY a "aaaaaaaaaa">\n'
        + "".join(
            f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9)
        )
        + "]>\n<properties><entry key='k'>&j;</entry></properties>\n"
    )
    started = time.monotonic()
    result = parse(bomb)
    assert time.monotonic() - started < 2
    assert [p.code for p in result.problems] == ["CFG001"]


# ----------------------------------------------------------------------------------------------
# Real files: the corpus has no .cfg file; its .config and .cfg.json texts must not crash it.


def test_other_corpus_texts_never_crash() -> None:
    paths = [
        p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".config", ".json", ".xml")
    ]
    assert paths
    for path in paths:
        text = path.read_bytes().decode("latin-1")
        result = parse(text)
        for found in result.problems:
            assert found.span is not None and found.span.end <= len(text)
