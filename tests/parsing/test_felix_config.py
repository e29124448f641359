"""The Felix ``.config`` parser: the 59 peer vectors, problems and positions, secrets, real files."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from aemlint.parsing.felix_config import parse_felix_config
from aemlint.parsing.values import ParsedConfig, Property
from aemlint.types import Secret, SecretLeak

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"
VECTORS = json.loads((SHARED / "peer-tests" / "felix-config-format.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = VECTORS["cases"]

# What aemlint reports where the reader reads the file (reads: false is always one CFG001).
PROBLEMS = {
    "unknown-type-code": ["CFG008"],
    "unquoted-value": ["CFG008"],
    "unterminated-string": ["CFG008"],
    "boolean-garbage": ["CFG008"],
    "char-multi": ["CFG008"],
    "bom": ["CFG008"],
    "duplicate-key-last-wins": ["CFG002"],
}


def secret_names(name: str) -> bool:
    return any(word in name.lower() for word in ("password", "secret", "token"))


def parse(text: str) -> ParsedConfig:
    return parse_felix_config(text, secret_names)


def props(text: str) -> dict[str, Property]:
    return {p.name: p for p in parse(text).properties}


def clean(text: str) -> dict[str, Property]:
    result = parse(text)
    assert result.problems == ()
    assert result.readable
    return {p.name: p for p in result.properties}


def plain(value: object) -> object:
    return value.reveal() if isinstance(value, Secret) else value


def as_float32(value: float) -> float:
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def adapt(prop: Property) -> list[object]:
    """A property in the vectors' ``[type, value]`` form (Float compared at float precision)."""
    values = [plain(scalar.value) for scalar in prop.values]
    if prop.type_name in ("Float", "Float[]", "float[]", "Collection<Float>"):
        values = [as_float32(v) for v in values]  # type: ignore[arg-type]
    return [prop.type_name, values if prop.is_multi else values[0]]


def expected(type_name: str, value: Any) -> list[object]:
    if type_name.startswith(("Float", "float", "Collection<Float>")):
        value = [as_float32(v) for v in value] if isinstance(value, list) else as_float32(value)
    return [type_name, value]


def problem(text: str) -> tuple[str, str, str]:
    """(code, source text at the span, message) of the only problem."""
    (found,) = parse(text).problems
    assert found.span is not None
    return found.code, text[found.span.start : found.span.end], found.message


# ----------------------------------------------------------------------------------------------
# The peer vectors: produced by running Felix's ConfigurationHandler on each input.


def test_all_59_vectors_are_loaded() -> None:
    assert len(CASES) == 59
    assert len({case["name"] for case in CASES}) == 59


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_peer_vector(case: dict[str, Any]) -> None:
    result = parse(case["text"])
    expect = case["expect"]
    codes = [p.code for p in result.problems]
    if not expect["reads"]:
        assert not result.readable
        assert codes == ["CFG001"]
        return
    assert result.readable
    got = {p.name: adapt(p) for p in result.properties}
    want = {name: expected(*type_value) for name, type_value in expect["properties"].items()}
    assert got == want
    assert codes == PROBLEMS.get(case["name"], [])


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_peer_vector_spans(case: dict[str, Any]) -> None:
    text = case["text"]
    result = parse(text)
    for found in result.problems:
        assert found.span is not None
        assert 0 <= found.span.start <= found.span.end <= len(text)
    for prop in result.properties:
        assert 0 <= prop.key_span.start <= prop.key_span.end <= len(text)
        assert prop.value_span.start < prop.value_span.end <= len(text)
        for scalar in prop.values:
            source = text[scalar.span.start : scalar.span.end]
            assert source.startswith(('"', *"TILFDXSCBilfdxscb"))
            assert prop.value_span.start <= scalar.span.start
            assert scalar.span.end <= prop.value_span.end


# ----------------------------------------------------------------------------------------------
# Where the reader throws: one CFG001 at the cause.


def test_unescaped_equals_is_reported_at_the_equals_sign() -> None:
    code, source, message = problem('a="k=v"\n')
    assert (code, source) == ("CFG001", "=")
    assert "unescaped '='" in message
    assert "\\=" in message
    assert parse('a="k=v"\n').problems[0].span.column == 5  # type: ignore[union-attr]


def test_placeholder_default_needs_an_escaped_equals() -> None:
    text = 'h="$[env:HOST;default=proxy.tunnel]"\n'
    code, source, message = problem(text)
    assert (code, source) == ("CFG001", "=")
    assert parse(text).problems[0].span.start == text.index("=proxy")  # type: ignore[union-attr]
    assert "$[env:X;default\\=Y]" in message


def test_missing_comma_is_reported_at_the_next_element() -> None:
    text = 'a=["x" "y"]\n'
    code, source, message = problem(text)
    assert code == "CFG001"
    assert source == '"'
    assert parse(text).problems[0].span.start == 7  # type: ignore[union-attr]
    assert "missing ','" in message


def test_bad_numbers() -> None:
    assert problem('a=I"abc"\n')[:2] == ("CFG001", 'I"abc"')
    assert problem('a=X"128"\n')[:2] == ("CFG001", 'X"128"')  # Byte range
    assert problem('a=S"32768"\n')[:2] == ("CFG001", 'S"32768"')
    assert problem('a=I"2147483648"\n')[:2] == ("CFG001", 'I"2147483648"')
    assert problem('a=L"9223372036854775808"\n')[0] == "CFG001"
    assert problem('a=I" 5"\n')[0] == "CFG001"  # Integer.valueOf does not trim
    assert problem('a=I""\n')[0] == "CFG001"
    assert problem('a=I["1","x"]\n')[:2] == ("CFG001", '"x"')


def test_decimal_float_suggests_the_raw_bits() -> None:
    code, source, message = problem('a=F"3.6"\n')
    assert (code, source) == ("CFG001", 'F"3.6"')
    assert 'F"1080452710"' in message
    _, _, message = problem('a=D"3.6"\n')
    assert 'D"4615288898129284301"' in message


def test_decimal_float_in_a_secret_property_gets_no_suggestion() -> None:
    _, _, message = problem('my.password=F"3.6"\n')
    assert "1080452710" not in message


def test_bad_unicode_escape_fails_the_file() -> None:
    assert problem('a="\\uZZZZ"\n')[:2] == ("CFG001", "\\uZZZZ")
    assert problem('a\\uZZZZ="1"\n')[:2] == ("CFG001", "\\uZZZZ")


def test_name_without_equals() -> None:
    code, source, message = problem('a="1"\nb')
    assert (code, source) == ("CFG001", "b")
    assert "without '='" in message
    code, source, _ = problem('a "x"\n')
    assert (code, source) == ("CFG001", '"')


def test_lone_carriage_return_at_the_end_fails_the_file() -> None:
    # read() turns the lone \r into \n and unread(-1) pushes back U+FFFF: a phantom name.
    code, source, message = problem('a="1"\r')
    assert (code, source) == ("CFG001", "\r")
    assert "carriage return" in message
    assert parse('a="1"\r\n').readable
    assert parse('a="1"\rb="2"\r\n').readable


def test_failure_keeps_what_was_read_before() -> None:
    result = parse('a="1"\nb="k=v"\n')
    assert not result.readable
    assert {p.name: adapt(p) for p in result.properties} == {
        "a": ["String", "1"],
        "b": ["String", "k"],
    }


def test_failure_caused_by_an_equals_inside_a_name_read() -> None:
    # The rest of the broken value is read as a name, which then fails on \u: the '=' is the cause.
    code, source, _ = problem('a="k=\\uZZZZ"\n')
    assert (code, source) == ("CFG001", "=")


def test_comment_inside_an_array_fails_the_file() -> None:
    code, source, _ = problem('a=["x",\n# c\n"y"]\nb="1"\n')
    assert (code, source) == ("CFG001", "#")


# ----------------------------------------------------------------------------------------------
# Where the reader silently drops or changes a value: CFG008 at that value.


def test_unknown_type_code_drops_the_value_and_the_rest_of_the_file() -> None:
    result = parse('a=Q"x"\nb="2"\n')
    assert result.readable
    assert result.properties == ()
    (found,) = result.problems
    assert found.code == "CFG008"
    assert found.span is not None and (found.span.start, found.span.end) == (2, 3)
    assert "unknown type code" in found.message
    assert "rest of the file" in found.message


def test_unquoted_value_is_dropped() -> None:
    code, source, message = problem('a=x\nb="2"\n')
    assert (code, source) == ("CFG008", "x")
    assert "not in double quotes" in message


def test_unquoted_value_leftover_becomes_the_next_name() -> None:
    result = parse('a=bar\nb="2"\n')
    assert {p.name: adapt(p) for p in result.properties} == {"r\nb": ["String", "2"]}
    (found,) = result.problems
    assert found.code == "CFG008"
    assert "next property name" in found.message
    assert "r\nb" not in found.message


def test_space_after_type_code_drops_the_value() -> None:
    code, source, message = problem('a=I "5"\n')
    assert (code, source) == ("CFG008", 'I "5"')
    assert "type code" in message


def test_no_value() -> None:
    assert problem("a=")[:2] == ("CFG008", "=")
    result = parse('a=\n\nb="1"\nc="2"\n')  # 'b' is read as a's type code: both are lost
    assert result.readable and result.properties == ()
    (found,) = result.problems
    assert "no value on its line" in found.message


def test_unterminated_string_swallows_the_next_line() -> None:
    text = 'a="never\nb="2"\n'
    result = parse(text)
    assert {p.name: adapt(p) for p in result.properties} == {"a": ["String", "never\nb"]}
    (found,) = result.problems
    assert found.code == "CFG008"
    assert found.span is not None
    assert text[found.span.start : found.span.end] == '"never'
    assert "not closed on its line" in found.message


def test_unterminated_string_that_then_fails_the_file() -> None:
    # The next line's name ends the value at its '='; the rest of that line is read as a name,
    # which the quote after it makes fail: the unclosed string is the cause.
    text = 'a="never\nb=x"\n'
    code, source, message = problem(text)
    assert (code, source) == ("CFG001", '"never')
    assert "not closed on its line" in message


def test_string_never_closed() -> None:
    code, source, message = problem('a="x')
    assert (code, source) == ("CFG008", '"x')
    assert "never closed" in message
    assert adapt(props('a="x')["a"]) == ["String", "x"]


def test_unescaped_equals_that_does_not_fail_the_file_cuts_the_value() -> None:
    result = parse('a="x="\nb="1"\n')
    assert result.readable
    assert {p.name: adapt(p) for p in result.properties} == {"a": ["String", "x"]}
    assert [p.code for p in result.problems] == ["CFG008"]


def test_boolean_values() -> None:
    assert adapt(clean('a=B"TRUE"')["a"]) == ["Boolean", True]
    assert adapt(clean('a=B"False"')["a"]) == ["Boolean", False]
    assert adapt(clean('a=b["true","false"]')["a"]) == ["boolean[]", [True, False]]
    code, source, message = problem('a=B"yes"')
    assert (code, source) == ("CFG008", 'B"yes"')
    assert "read as false" in message or "reads it as false" in message
    result = parse('a=B["true","1"]')
    assert [p.code for p in result.problems] == ["CFG008"]
    assert text_at(result, 'a=B["true","1"]') == '"1"'


def text_at(result: ParsedConfig, text: str) -> str:
    span = result.problems[0].span
    assert span is not None
    return text[span.start : span.end]


def test_character_values() -> None:
    assert adapt(clean('a=C"x"')["a"]) == ["Character", "x"]
    assert adapt(clean('a=c("x","y")')["a"]) == ["Collection<Character>", ["x", "y"]]
    assert problem('a=C"xyz"')[:2] == ("CFG008", 'C"xyz"')
    # An empty Character is dropped (readSimple returns null).
    result = parse('a=C""\nb="1"\n')
    assert [p.name for p in result.properties] == ["b"]
    assert [p.code for p in result.problems] == ["CFG008"]
    # The first UTF-16 unit, as Java's charAt(0).
    assert plain(props('a=C"😀"')["a"].values[0].value) == "\ud83d"


def test_byte_order_mark_is_glued_to_the_first_key() -> None:
    text = '\ufeffa="1"\nb="2"\n'
    result = parse(text)
    assert [p.name for p in result.properties] == ["\ufeffa", "b"]
    code, source, message = problem('\ufeffa="1"\n')
    assert (code, source) == ("CFG008", "\ufeffa")
    assert "byte-order mark" in message


def test_byte_order_mark_before_a_comment_header() -> None:
    # Not whitespace, so no comment: everything up to the first '=' is the first name.
    result = parse('\ufeff# header\na="1"\n')
    assert [p.name for p in result.properties] == ["\ufeff# header\na"]
    assert [p.code for p in result.problems] == ["CFG008"]


def test_stray_text_without_equals_joins_the_next_name() -> None:
    result = parse('foo\nbar="1"\n')
    assert [p.name for p in result.properties] == ["foo\nbar"]
    assert [p.code for p in result.problems] == ["CFG008"]


def test_stray_token_stops_the_reader() -> None:
    result = parse('a="1"\n"b"="2"\nc="3"\n')
    assert [p.name for p in result.properties] == ["a"]
    (found,) = result.problems
    assert found.code == "CFG008"
    assert found.span is not None and found.span.line == 2
    assert "rest of the file" in found.message


def test_only_the_first_derailment_of_a_value_is_reported() -> None:
    result = parse('a=["x=y", "z"]\nb="1"\n')
    assert [p.code for p in result.problems] == ["CFG008"]
    assert "whole array" in result.problems[0].message


# ----------------------------------------------------------------------------------------------
# Duplicate keys.


def test_duplicate_key_last_wins_at_the_first_place() -> None:
    text = 'a="1"\nb="x"\na="2"\n'
    result = parse(text)
    assert result.readable
    assert [(p.name, adapt(p)) for p in result.properties] == [
        ("a", ["String", "2"]),
        ("b", ["String", "x"]),
    ]
    (found,) = result.problems
    assert found.code == "CFG002"
    assert found.span is not None and (found.span.line, found.span.column) == (3, 1)
    assert "line 1" in found.message


def test_dropped_duplicate_does_not_replace() -> None:
    # Hashtable.put is skipped for a null value: the first one stays.
    result = parse('a="1"\na=Q"2"\n')
    assert [adapt(p) for p in result.properties] == [["String", "1"]]
    assert [p.code for p in result.problems] == ["CFG008"]


# ----------------------------------------------------------------------------------------------
# Syntax that reads cleanly.


def test_types() -> None:
    found = clean(
        'i=I"1"\nj=i"2"\nl=L"-3"\nx=X"-128"\ns=S"+7"\nf=F"1080452710"\nd=D"4615288898129284301"\n'
        't=T"x"\nia=i["1"]\nIa=I["1"]\nla=l("1")\nsa=["a"]\nsc=("a")\nfa=f["1065353216"]\n'
    )
    assert {name: p.type_name for name, p in found.items()} == {
        "i": "Integer",
        "j": "Integer",
        "l": "Long",
        "x": "Byte",
        "s": "Short",
        "f": "Float",
        "d": "Double",
        "t": "String",
        "ia": "int[]",
        "Ia": "Integer[]",
        "la": "Collection<Long>",
        "sa": "String[]",
        "sc": "Collection<String>",
        "fa": "float[]",
    }
    assert plain(found["s"].values[0].value) == 7
    assert found["fa"].values[0].value == 1.0
    assert found["f"].values[0].value == as_float32(3.6)
    assert found["d"].values[0].value == 3.6


def test_java_integer_parsing_quirks() -> None:
    # Integer.valueOf takes a sign and any Unicode decimal digit.
    assert clean('a=I"+12"')["a"].values[0].value == 12
    assert clean('a=I"\u0663\u0664"')["a"].values[0].value == 34
    assert clean('a=I"0007"')["a"].values[0].value == 7
    assert clean('a=I"-2147483648"')["a"].values[0].value == -(2**31)
    # Raw bits: a negative int is a negative float.
    assert clean('a=F"-1082130432"')["a"].values[0].value == -1.0


def test_escapes() -> None:
    found = clean('a="x\\ty\\nz\\r\\b\\f"\nb="\\u0041\\"\\=\\ \\\\"\nc="\\uD83D\\uDE00"\nd="\\q"\n')
    assert plain(found["a"].values[0].value) == "x\ty\nz\r\b\f"
    assert plain(found["b"].values[0].value) == 'A"= \\'
    assert plain(found["c"].values[0].value) == "😀"
    assert plain(found["d"].values[0].value) == "q"
    # \u takes a sign (Integer.parseInt) and a backslash at the end of the file is U+FFFF.
    assert plain(props('a="\\u+041"')["a"].values[0].value) == "A"
    assert plain(props('a="x\\')["a"].values[0].value) == "x\uffff"


def test_line_breaks_inside_quotes_are_kept_and_normalized() -> None:
    found = clean('a="x\r\ny\rz\nw"\nb="p\\\r\nq"\n')
    assert plain(found["a"].values[0].value) == "x\ny\nz\nw"
    assert plain(found["b"].values[0].value) == "p\nq"  # backslash-newline inside quotes


def test_whitespace_comments_and_continuations() -> None:
    text = (
        "# header\n"
        "  # indented comment\n"
        '  key.one  =  \n  "v1"  # trailing comment\n'
        "list=[ \\\r\n"
        '  "a", \\\r\n'
        '  "b",\n'
        '  "c" \\\n'
        "]\n"
        'my\\ key="v"\n'
        'spaced="x y"\n'
    )
    found = clean(text)
    assert {n: adapt(p) for n, p in found.items()} == {
        "key.one": ["String", "v1"],
        "list": ["String[]", ["a", "b", "c"]],
        "my key": ["String", "v"],
        "spaced": ["String", "x y"],
    }
    assert text[found["key.one"].key_span.start : found["key.one"].key_span.end] == "key.one"
    assert text[found["my key"].key_span.start : found["my key"].key_span.end] == "my\\ key"


def test_empty_file_and_comments_only() -> None:
    assert parse("") == ParsedConfig((), (), True)
    assert parse("# a\n\n  # b\n") == ParsedConfig((), (), True)


def test_many_comment_lines_do_not_recurse() -> None:
    # Felix's nextToken recurses once per comment line; this port loops.
    result = parse("#\n" * 200_000 + 'a="1"\n')
    assert [p.name for p in result.properties] == ["a"]


# ----------------------------------------------------------------------------------------------
# Positions.


def test_spans_of_keys_values_and_elements() -> None:
    text = 'first="1"\r\n  arr = I[ \\\r\n    "10",\r\n    "20" ]\r\nlast=B"true"\r\n'
    found = clean(text)

    def source(span: Any) -> str:
        return text[span.start : span.end]

    assert source(found["first"].key_span) == "first"
    assert source(found["first"].value_span) == '"1"'
    assert source(found["first"].values[0].span) == '"1"'
    arr = found["arr"]
    assert source(arr.key_span) == "arr"
    assert source(arr.value_span) == 'I[ \\\r\n    "10",\r\n    "20" ]'
    assert [source(s.span) for s in arr.values] == ['"10"', '"20"']
    assert (arr.values[1].span.line, arr.values[1].span.column) == (4, 5)
    assert source(found["last"].value_span) == 'B"true"'
    assert found["last"].key_span.line == 5


def test_key_span_is_the_trimmed_name() -> None:
    text = '  a.b \t=\n"1"\n'
    prop = clean(text)["a.b"]
    assert text[prop.key_span.start : prop.key_span.end] == "a.b"
    assert (prop.value_span.line, prop.value_span.column) == (2, 1)


# ----------------------------------------------------------------------------------------------
# Placeholders and secrets.


def test_placeholders_are_found_in_the_unescaped_value() -> None:
    text = 'h="jdbc://$[env:HOST;default\\=proxy.tunnel]:30001"\n'
    (scalar,) = clean(text)["h"].values
    assert plain(scalar.value) == "jdbc://$[env:HOST;default=proxy.tunnel]:30001"
    (placeholder,) = scalar.placeholders
    assert (placeholder.kind, placeholder.name, placeholder.default) == (
        "env",
        "HOST",
        "proxy.tunnel",
    )
    assert (placeholder.start, placeholder.end) == (7, 39)


def test_placeholders_in_arrays_and_collections_only_for_strings() -> None:
    found = clean('a=["$[env:A]","x"]\nb=("$[env:B]")\nc=C"$"\n')
    assert [len(s.placeholders) for s in found["a"].values] == [1, 0]
    assert len(found["b"].values[0].placeholders) == 1
    assert found["c"].values[0].placeholders == ()


def test_secrets_are_wrapped_and_never_formatted() -> None:
    text = 'bind.password="secret"\nbind.dn="uid\\=admin"\napi.token=["t1","$[secret:T;default\\=d]"]\n'
    found = clean(text)
    value = found["bind.password"].values[0].value
    assert isinstance(value, Secret)
    assert value.reveal() == "secret"
    with pytest.raises(SecretLeak):
        str(value)
    assert plain(found["bind.dn"].values[0].value) == "uid=admin"
    assert all(isinstance(s.value, Secret) for s in found["api.token"].values)
    default = found["api.token"].values[1].placeholders[0].default
    assert isinstance(default, Secret) and default.reveal() == "d"


def test_messages_never_quote_values() -> None:
    for text in (
        'bind.password="hunter2=xyzzy"\n',
        'bind.password="hunter2=xyzzy\n',
        'bind.password=hunter2xyzzy\nb="1"\n',
        'bind.password=B"hunter2xyzzy"\n',
        'bind.password=I"hunter2xyzzy"\n',
        'a="hunter2=xyzzy"\n',
        'bind.password=["hunter2" "xyzzy"]\n',
    ):
        for found in parse(text).problems:
            assert "hunter2" not in found.message
            assert "xyzzy" not in found.message


# ----------------------------------------------------------------------------------------------
# Real files.

CONFIG_FILES = sorted(p for p in CORPUS.rglob("*.config") if p.is_file())


def test_corpus_has_config_files() -> None:
    assert len(CONFIG_FILES) >= 40


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[p.name for p in CONFIG_FILES])
def test_corpus_config_reads_cleanly(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    result = parse(text)
    assert result.readable
    assert result.problems == ()
    assert result.properties
    for prop in result.properties:
        for scalar in prop.values:
            assert text[scalar.span.start : scalar.span.end]


def test_corpus_ldap_identity_provider() -> None:
    (path,) = [p for p in CONFIG_FILES if "step-03" in str(p) and "LdapIdentityProvider" in p.name]
    text = path.read_text("utf-8")
    found = clean(text)
    assert plain(found["user.baseDN"].values[0].value) == "ou=people,o=SevenSeas"
    assert plain(found["bind.dn"].values[0].value) == "uid=admin,ou=system"
    password = found["bind.password"].values[0]
    assert isinstance(password.value, Secret) and password.value.reveal() == "secret"
    assert text[password.span.start : password.span.end] == '"secret"'
    assert adapt(found["host.port"]) == ["Integer", 10389]
    assert adapt(found["userPool.maxActive"]) == ["Long", 8]
    assert adapt(found["host.ssl"]) == ["Boolean", False]
    assert adapt(found["user.objectclass"]) == ["String[]", ["person"]]


def test_corpus_docusign_repository_initializer() -> None:
    (path,) = [p for p in CONFIG_FILES if "RepositoryInitializer-docusign" in p.name]
    found = clean(path.read_text("utf-8"))
    scripts = found["scripts"]
    assert scripts.type_name == "String[]"
    first, second = (plain(s.value) for s in scripts.values)
    assert first == (
        "create service user forms-docusign-sample-service-user with forced path "
        "system/cq:services/sample/forms/docusign"
    )
    assert isinstance(second, str)
    assert second.startswith("set principal ACL for forms-docusign-sample-service-user\r\nallow ")
    assert second.endswith("\r\nend")
    (mapper,) = [p for p in CONFIG_FILES if "ServiceUserMapperImpl.amended-docusign" in p.name]
    mapping = clean(mapper.read_text("utf-8"))["user.mapping"]
    assert [plain(s.value) for s in mapping.values] == [
        "forms.integration.docusign.core=[forms-docusign-sample-service-user]"
    ]
