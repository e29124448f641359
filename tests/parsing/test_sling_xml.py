"""The ``sling:OsgiConfig`` DocView XML parser: detection, values, positions, safety, real files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aemlint.parsing.sling_xml import parse_sling_xml
from aemlint.parsing.values import ParsedConfig, Property
from aemlint.types import Secret, SecretLeak

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ROOT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" '
    'xmlns:jcr="http://www.jcp.org/jcr/1.0"\n'
    '    jcr:primaryType="sling:OsgiConfig"\n'
)


def secret_names(name: str) -> bool:
    return any(word in name.lower() for word in ("password", "secret", "token"))


def parse(text: str) -> ParsedConfig | None:
    return parse_sling_xml(text, secret_names)


def config(attributes: str) -> str:
    return ROOT + "    " + attributes + "/>\n"


def parsed(attributes: str) -> ParsedConfig:
    result = parse(config(attributes))
    assert result is not None
    return result


def clean(attributes: str) -> dict[str, Property]:
    result = parsed(attributes)
    assert result.problems == ()
    assert result.readable
    return {p.name: p for p in result.properties}


def plain(value: object) -> object:
    return value.reveal() if isinstance(value, Secret) else value


def typed(prop: Property) -> tuple[str, object]:
    items = [plain(s.value) for s in prop.values]
    return prop.type_name, items if prop.is_multi else items[0]


def source(text: str, span: object) -> str:
    return text[span.start : span.end]  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# What is a configuration.


@pytest.mark.parametrize(
    "text",
    [
        '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="nt:unstructured" a="1"/>',
        '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" a="1"/>',
        '<node xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="sling:OsgiConfig" a="1"/>',
        # jcr bound to another namespace: not the JCR primary type
        '<jcr:root xmlns:jcr="urn:other" jcr:primaryType="sling:OsgiConfig" a="1"/>',
        '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" xmlns:sling="urn:other" '
        'jcr:primaryType="sling:OsgiConfig" a="1"/>',
        "<settings><servers/></settings>",
        "<not well formed",
        "",
    ],
)
def test_not_a_configuration(text: str) -> None:
    assert parse(text) is None


def test_child_element_with_the_type_is_not_the_root() -> None:
    text = '<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="nt:folder">' + (
        '<c jcr:primaryType="sling:OsgiConfig" a="1"/></jcr:root>'
    )
    assert parse(text) is None


def test_prefixes_are_resolved() -> None:
    text = (
        '<j:root xmlns:j="http://www.jcp.org/jcr/1.0" xmlns:s="http://sling.apache.org/jcr/sling/1.0" '
        'j:primaryType="s:OsgiConfig" a="1"/>'
    )
    result = parse(text)
    assert result is not None and [p.name for p in result.properties] == ["a"]
    # Undeclared prefixes are taken literally (the converter's parser is not namespace-aware).
    result = parse('<jcr:root jcr:primaryType="sling:OsgiConfig" a="1"/>')
    assert result is not None and [p.name for p in result.properties] == ["a"]


def test_malformed_configuration_is_cfg001() -> None:
    text = ROOT + '    a="1" a="2"/>\n'
    result = parse(text)
    assert result is not None
    assert not result.readable
    (found,) = result.problems
    assert found.code == "CFG001"
    assert found.span is not None and (found.span.line, found.span.column) == (
        4,
        11,
    )  # the second a
    assert "duplicate attribute" in found.message


# ----------------------------------------------------------------------------------------------
# Properties and values.


def test_namespaced_and_empty_attributes_are_skipped() -> None:
    found = clean('jcr:title="t" sling:x="y" xmlns:foo="urn:x" a="" b="[]" c="1"')
    assert list(found) == ["c"]


def test_child_nodes_are_not_properties() -> None:
    text = ROOT + '    a="1">\n    <child b="2"/>\n</jcr:root>\n'
    result = parse(text)
    assert result is not None and [p.name for p in result.properties] == ["a"]


def test_types() -> None:
    found = clean(
        'a="plain" b="{String}s" c="{Long}25" d="{Boolean}TRUE" e="{Double}1.5e2" '
        'f="{Decimal}2.50" g="{Date}2020-01-01T00:00:00.000Z" h="{Name}nt:file" i="{Path}/a" '
        'j="{URI}https://x" k="{Reference}uuid" l="{WeakReference}uuid" m="{undefined}u" '
        'n="{Long}[1,-2]" o="{Boolean}[true,false]" p="{Double}[NaN,0x1p3]"'
    )
    assert {name: typed(p) for name, p in found.items()} == {
        "a": ("String", "plain"),
        "b": ("String", "s"),
        "c": ("Long", 25),
        "d": ("Boolean", True),
        "e": ("Double", 150.0),
        "f": ("Double", 2.5),
        "g": ("String", "2020-01-01T00:00:00.000Z"),
        "h": ("String", "nt:file"),
        "i": ("String", "/a"),
        "j": ("String", "https://x"),
        "k": ("String", "uuid"),
        "l": ("String", "uuid"),
        "m": ("String", "u"),
        "n": ("Long[]", [1, -2]),
        "o": ("Boolean[]", [True, False]),
        "p": ("Double[]", [pytest.approx(float("nan"), nan_ok=True), 8.0]),
    }


def test_arrays_and_escapes() -> None:
    found = clean(
        r'a="[x\,y,z]" b="[one]" c="[a,]" d="[\0]" e="[a]b]" f="[a,b" g="\[not,array]" '
        r'h="\{brace" i="x\\y" j="[,]" k="a,b" l="\u0041\q"'
    )
    assert {name: typed(p) for name, p in found.items()} == {
        "a": ("String[]", ["x,y", "z"]),
        "b": ("String[]", ["one"]),
        "c": ("String[]", ["a", ""]),
        "d": ("String[]", [""]),
        "e": ("String[]", ["a]b"]),
        "f": ("String[]", ["a", "b"]),  # a missing ']' is tolerated
        "g": ("String", "[not,array]"),
        "h": ("String", "{brace"),
        "i": ("String", "x\\y"),
        "j": ("String[]", ["", ""]),
        "k": ("String", "a,b"),
        "l": ("String", "Aq"),
    }


def test_attribute_value_normalization_and_entities() -> None:
    text = config("a='&quot;q&quot; &amp;&lt;&#10;x\n\ty' b=\"[&#x41;,B&amp;]\"")
    result = parse(text)
    assert result is not None and result.problems == ()
    found = {p.name: p for p in result.properties}
    assert typed(found["a"]) == ("String", '"q" &<\nx  y')
    assert typed(found["b"]) == ("String[]", ["A", "B&"])
    assert [source(text, s.span) for s in found["b"].values] == ["&#x41;", "B&amp;"]
    assert source(text, found["a"].value_span).startswith("'&quot;q")


def test_boolean_other_than_true_or_false() -> None:
    result = parsed('a="{Boolean}yes" b="{Boolean}[true,1]"')
    assert result.readable
    assert [typed(p) for p in result.properties] == [
        ("Boolean", False),
        ("Boolean[]", [True, False]),
    ]
    assert [p.code for p in result.problems] == ["CFG008", "CFG008"]


def test_binary_is_cfg003_and_left_out() -> None:
    result = parsed('a="{Binary}AAEC" b="1"')
    assert result.readable
    assert [p.name for p in result.properties] == ["b"]
    assert [p.code for p in result.problems] == ["CFG003"]


@pytest.mark.parametrize(
    "attribute",
    [
        'a="{Foo}x"',
        'a="{Long}x1"',
        'a="{Long}"',
        'a="{Long} 1"',
        'a="{Double}1,5"',
        'a="{Decimal}1e"',
    ],
)
def test_rejected_values_are_cfg003_unreadable(attribute: str) -> None:
    result = parsed(attribute)
    assert not result.readable
    assert [p.code for p in result.problems] == ["CFG003"]
    (prop,) = result.properties  # kept as text for the rules that still look
    assert prop.type_name == "String"


def test_crypto_value_needs_a_string_hint() -> None:
    hexa = "be46de4bf60980b1fa9b9bacc03056cf"
    found = clean(f'secret="{{String}}{{{hexa}}}" other="\\{{{hexa}}}"')
    assert plain(found["secret"].values[0].value) == "{" + hexa + "}"
    assert isinstance(found["secret"].values[0].value, Secret)
    assert plain(found["other"].values[0].value) == "{" + hexa + "}"
    result = parsed(f'secret="{{{hexa}}}"')
    assert not result.readable
    (found_problem,) = result.problems
    assert found_problem.code == "CFG003"
    assert hexa not in found_problem.message
    assert "{String}" in found_problem.message


def test_bad_unicode_escape() -> None:
    result = parsed(r'a="\uZZZZ"')
    assert not result.readable
    assert [p.code for p in result.problems] == ["CFG001"]
    # Character.digit gives -1 for 'G' and the sum stays a code point: silently another char.
    assert typed(clean(r'a="\u1G00"')["a"]) == ("String", "\u0f00")


def test_case_insensitive_duplicate_names() -> None:
    result = parsed('Port="1" other="x" port="2"')
    assert result.readable
    assert [(p.name, typed(p)) for p in result.properties] == [
        ("other", ("String", "x")),
        ("port", ("String", "2")),
    ]
    (found,) = result.problems
    assert found.code == "CFG002"
    assert found.span is not None and found.span.line == 4


# ----------------------------------------------------------------------------------------------
# Positions.


def test_spans() -> None:
    text = config('smtp.port = "{Long}30465"\n    list="[a\\,b, c]" quote=\'x\'')
    result = parse(text)
    assert result is not None and result.problems == ()
    found = {p.name: p for p in result.properties}
    port = found["smtp.port"]
    assert source(text, port.key_span) == "smtp.port"
    assert source(text, port.value_span) == '"{Long}30465"'
    assert port.values[0].span == port.value_span
    assert (port.key_span.line, port.key_span.column) == (4, 5)
    lst = found["list"]
    assert [source(text, s.span) for s in lst.values] == ["a\\,b", " c"]
    assert source(text, found["quote"].value_span) == "'x'"


def test_spans_with_astral_characters_and_crlf() -> None:
    text = '\ufeff<jcr:root jcr:primaryType="sling:OsgiConfig"\r\n a="😀" b="[😀,x]"/>'
    result = parse(text)
    assert result is not None
    found = {p.name: p for p in result.properties}
    assert typed(found["a"]) == ("String", "😀")
    assert [source(text, s.span) for s in found["b"].values] == ["😀", "x"]
    assert (found["a"].key_span.line, found["a"].key_span.column) == (2, 2)


# ----------------------------------------------------------------------------------------------
# Placeholders and secrets.


def test_placeholders_and_secrets() -> None:
    found = clean(
        'url="jdbc://$[env:HOST;default=proxy]:1" smtp.password="hunter2" '
        'api.token="[$[secret:T;default=x],lit]"'
    )
    (placeholder,) = found["url"].values[0].placeholders
    assert (placeholder.name, placeholder.default) == ("HOST", "proxy")
    password = found["smtp.password"].values[0].value
    assert isinstance(password, Secret)
    with pytest.raises(SecretLeak):
        repr(password)
    token = found["api.token"]
    assert all(isinstance(s.value, Secret) for s in token.values)
    assert isinstance(token.values[0].placeholders[0].default, Secret)


def test_messages_never_quote_values() -> None:
    result = parsed('smtp.password="{hunter2}" b="{Long}hunter2" c="{Boolean}hunter2"')
    assert len(result.problems) == 3
    for found in result.problems:
        assert "hunter2" not in found.message


# ----------------------------------------------------------------------------------------------
# Safety: entities are never expanded, nothing is fetched.


def test_entity_bomb_is_cfg001_quickly() -> None:
    entities = "".join(
        f'  <!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">\n' for i in range(1, 12)
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE jcr:root [\n  <!ENTITY e0 "lol">\n'
        + entities
        + ']>\n<jcr:root jcr:primaryType="sling:OsgiConfig" a="&e11;"/>\n'
    )
    started = time.monotonic()
    result = parse(text)
    assert time.monotonic() - started < 2
    assert result is not None and not result.readable
    (found,) = result.problems
    assert found.code == "CFG001"
    assert "entity" in found.message
    assert found.span is not None and found.span.line == 3


def test_external_entity_is_cfg001() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<jcr:root jcr:primaryType="sling:OsgiConfig" a="&x;"/>\n'
    )
    result = parse(text)
    assert result is not None and [p.code for p in result.problems] == ["CFG001"]
    assert result.properties == ()


def test_external_dtd_is_cfg001_even_without_the_type() -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd">\n<r/>\n'
    result = parse(text)
    assert result is not None and [p.code for p in result.problems] == ["CFG001"]


# ----------------------------------------------------------------------------------------------
# Real files.

XML_FILES = sorted(p for p in CORPUS.rglob("*.xml") if p.is_file())
CONFIGS = [p for p in XML_FILES if "sling:OsgiConfig" in p.read_text("utf-8", "replace")]


def test_corpus_has_osgi_config_xml() -> None:
    assert len(CONFIGS) >= 20


@pytest.mark.parametrize("path", XML_FILES, ids=[p.name for p in XML_FILES])
def test_corpus_xml(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    result = parse(text)
    if path not in CONFIGS:
        assert result is None
        return
    assert result is not None
    assert result.readable
    assert result.problems == ()
    for prop in result.properties:
        assert text[prop.key_span.start : prop.key_span.end] == prop.name
        for scalar in prop.values:
            assert prop.value_span.start <= scalar.span.start <= scalar.span.end
            assert scalar.span.end <= prop.value_span.end


def test_corpus_crypto_service() -> None:
    (path,) = [p for p in CONFIGS if p.name.endswith("CryptoServiceImpl.xml")]
    text = path.read_text("utf-8")
    result = parse(text)
    assert result is not None and result.problems == ()
    (prop,) = result.properties
    assert prop.name == "secret"
    value = prop.values[0].value
    assert isinstance(value, Secret)
    assert value.reveal().startswith("{be46de4b") and value.reveal().endswith("}")
    assert text[prop.value_span.start : prop.value_span.end].startswith('"{String}{be46')


def test_corpus_hootsuite_config_xml() -> None:
    found: dict[str, Property] = {}
    for path in CONFIGS:
        if path.name.endswith(".config.xml"):
            result = parse(path.read_text("utf-8"))
            assert result is not None
            found.update({p.name: p for p in result.properties})
    assert typed(found["getWhitelistedResourceTypes"]) == (
        "String[]",
        [
            "hootsuite/components/content/image|asset|fileReference",
            "hootsuite/components/content/text|text|text",
        ],
    )
    assert typed(found["service.ranking"]) == ("Long", 0)
    assert typed(found["user.mapping"]) == (
        "String[]",
        ["com.hootsuite.integration:write-service=hootsuiteUser"],
    )
