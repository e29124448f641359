"""The ``.cfg.json`` parser: syntax, platform typing, positions, secrets, real files."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from aemlint.parsing.cfg_json import MAX_DEPTH, parse_cfg_json
from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import ParsedConfig, Property
from aemlint.types import Secret, Span

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SNIPPETS = CORPUS / "AdobeDocs__experience-manager-learn.en" / "_snippets"


def secret_names(name: str) -> bool:
    return any(word in name.lower() for word in ("password", "secret", "token"))


def parse(text: str) -> ParsedConfig:
    return parse_cfg_json(text, secret_names)


def props(text: str) -> dict[str, Property]:
    result = parse(text)
    return {p.name: p for p in result.properties}


def clean(text: str) -> dict[str, Property]:
    result = parse(text)
    assert result.problems == ()
    assert result.readable
    return {p.name: p for p in result.properties}


def one(text: str) -> Property:
    (prop,) = clean(text).values()
    return prop


def values(prop: Property) -> list[object]:
    return [s.value for s in prop.values]


def codes(text: str) -> list[str]:
    return [p.code for p in parse(text).problems]


def at(result: ParsedConfig) -> tuple[int, int]:
    (problem,) = result.problems
    assert problem.span is not None
    return problem.span.line, problem.span.column


# ----------------------------------------------------------------------------------------------
# Unhinted values (JsonSupport.convertToObject)


@pytest.mark.parametrize(
    ("value", "type_name", "expected"),
    [
        ('"text"', "String", ["text"]),
        ("42", "Long", [42]),
        ("-0", "Long", [0]),
        ("1.5", "Double", [1.5]),
        ("1.0", "Double", [1.0]),
        ("1e2", "Double", [100.0]),
        ("1.5e1", "Long", [15]),  # BigDecimal scale 0: integral
        ("2.50e-1", "Double", [0.25]),
        ("true", "Boolean", [True]),
        ("false", "Boolean", [False]),
        ('["a", "b"]', "String[]", ["a", "b"]),
        ("[true, false]", "Boolean[]", [True, False]),
        ("[1, 2]", "Long[]", [1, 2]),
        ("[1, 2.5]", "Double[]", [1.0, 2.5]),
        ("[1.5, 2.5]", "Double[]", [1.5, 2.5]),
        ("[]", "String[]", []),
        ('[{"a": 1}, {"b": [2]}]', "String[]", ['{"a":1}', '{"b":[2]}']),
    ],
)
def test_unhinted_values(value: str, type_name: str, expected: list[object]) -> None:
    prop = one('{"p": ' + value + "}")
    assert prop.type_name == type_name
    assert values(prop) == expected
    assert prop.is_multi == type_name.endswith("[]")
    assert [type(v) for v in values(prop)] == [type(v) for v in expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["a", 1]', '["a",1]'),
        ("[[1, 2], [3]]", "[[1,2],[3]]"),
        ("[null, null]", "[null,null]"),
        (
            '{"a": {"b": [1, 2.50, "x\\n", 1e2]}, "c": null}',
            '{"a":{"b":[1,2.50,"x\\n",1E+2]},"c":null}',
        ),
        ('{"k": 1, "k": 2, "j": 3}', '{"k":2,"j":3}'),
        ('{"u": "\\u00e9\\/\\t", "e": 0.0000001}', '{"u":"\u00e9/\\t","e":1E-7}'),
        ("{}", "{}"),
    ],
)
def test_objects_and_mixed_arrays_become_compact_json_strings(value: str, expected: str) -> None:
    prop = one('{"p": ' + value + "}")
    assert prop.type_name == "String"
    assert not prop.is_multi
    assert values(prop) == [expected]


def test_large_integers_wrap_like_big_decimal_long_value() -> None:
    assert values(one('{"p": 9223372036854775808}')) == [-9223372036854775808]
    assert values(one('{"p": 99999999999999999999}')) == [7766279631452241919]
    assert values(one('{"p": [18446744073709551617]}')) == [1]


def test_huge_exponent_is_a_double() -> None:
    (value,) = values(one('{"p": 1e400}'))
    assert value == math.inf


# ----------------------------------------------------------------------------------------------
# Type hints (TypeConverter + the OSGi standard converter)


@pytest.mark.parametrize(
    ("key", "value", "type_name", "expected"),
    [
        ("p:String", '"x"', "String", ["x"]),
        ("p:String", "5", "String", ["5"]),
        ("p:String", "1.5", "String", ["1.5"]),
        ("p:String", "1e7", "String", ["1.0E7"]),
        ("p:String", "true", "String", ["true"]),
        ("p:String", '["first", "second"]', "String", ["first"]),
        ("p:Integer", '"8080"', "Integer", [8080]),
        ("p:Integer", '"+7"', "Integer", [7]),
        ("p:int", "30465", "Integer", [30465]),
        ("p:Integer", "3000000000", "Integer", [-1294967296]),
        ("p:Integer", "2.9", "Integer", [2]),
        ("p:Integer", "true", "Integer", [1]),
        ("p:Long", '"-12"', "Long", [-12]),
        ("p:long", "5", "Long", [5]),
        ("p:Short", "70000", "Short", [4464]),
        ("p:Byte", '"-128"', "Byte", [-128]),
        ("p:byte", "300", "Byte", [44]),
        ("p:Double", '"1e3"', "Double", [1000.0]),
        ("p:Double", '" 2.5 "', "Double", [2.5]),
        ("p:Double", '"1.5d"', "Double", [1.5]),
        ("p:double", "3", "Double", [3.0]),
        ("p:Float", "0.1", "Float", [0.10000000149011612]),
        ("p:float", '"0x1p3"', "Float", [8.0]),
        ("p:Boolean", '"TRUE"', "Boolean", [True]),
        ("p:Boolean", '"yes"', "Boolean", [False]),
        ("p:boolean", "0", "Boolean", [False]),
        ("p:Boolean", "2", "Boolean", [True]),
        ("p:Character", '"xyz"', "Character", ["x"]),
        ("p:char", '""', "Character", ["\x00"]),
        ("p:Character", "65", "Character", ["A"]),
        ("p:String[]", '"one"', "String[]", ["one"]),
        ("p:String[]", "[1, 2]", "String[]", ["1", "2"]),
        ("p:Integer[]", '["1", "2"]', "Integer[]", [1, 2]),
        ("p:int[]", "7", "int[]", [7]),
        ("p:Integer[]", "[true]", "Integer[]", [1]),
        ("p:long[]", "[1, 2]", "long[]", [1, 2]),
        ("p:Boolean[]", '["true", "no"]', "Boolean[]", [True, False]),
        ("p:char[]", '"ab"', "char[]", ["a", "b"]),
        ("p:Character[]", '"ab"', "Character[]", ["a", "b"]),
        ("p:char[]", '["xy", "z"]', "char[]", ["x", "z"]),
        ("p:Collection<String>", '["a"]', "Collection<String>", ["a"]),
        ("p:Collection<Integer>", '"5"', "Collection<Integer>", [5]),
        ("p:Collection<Character>", '"ab"', "Collection<Character>", ["a"]),
        ("p:Collection", "[1, 2]", "Collection<Long>", [1, 2]),
        ("p:Collection", '"x"', "Collection<String>", ["x"]),
        ("p:String[]", "null", "String[]", []),
        ("p:int[]", "null", "int[]", []),
        ("p:Collection<Long>", "null", "Collection<Long>", []),
        ("p:Collection", "null", "Collection<String>", []),
    ],
)
def test_type_hints(key: str, value: str, type_name: str, expected: list[object]) -> None:
    prop = one('{"' + key + '": ' + value + "}")
    assert prop.name == "p"
    assert prop.type_name == type_name
    assert values(prop) == expected


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("port:Integer", '"$[env:PORT]"'),  # converted before interpolation: the reader throws
        ("port:Integer", '" 8080"'),
        ("port:Integer", '"0x1F"'),
        ("port:Integer", '"2147483648"'),
        ("port:Byte", '"200"'),
        ("port:Long", '"1.0"'),
        ("port:Double", '"abc"'),
        ("port:Double", '"NaNd"'),
        ("port:String", "[]"),
        ("port:Integer", "[]"),
        ("port:Integer[]", '["1", "x"]'),
        ("port:Long[]", "[true]"),
        ("port:Double[]", "true"),
        ("port:Collection<Integer>", '["1", "x"]'),
    ],
)
def test_unconvertible_value_is_cfg003_at_the_value(key: str, value: str) -> None:
    text = '{"' + key + '": ' + value + "}"
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG003"]
    assert not result.readable
    span = result.problems[0].span
    assert span is not None
    value_start = text.index(value)
    assert value_start <= span.start < span.end <= value_start + len(value)
    # The property is still there, with its unhinted reading.
    assert [p.name for p in result.properties] == ["port"]


@pytest.mark.parametrize(
    "hint",
    [
        "integer",
        "Int",
        "Integer ",
        "",
        "String[][]",
        "Collection<int>",
        "Collection<Object>",
        "Map",
        "List<String>",
        "Date",
    ],
)
def test_unknown_hint_is_cfg003_at_the_key(hint: str) -> None:
    text = '{"port:' + hint + '": 1}'
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG003"]
    assert not result.readable
    span = result.problems[0].span
    assert span is not None
    assert (span.start, span.end) == (1, len('"port:' + hint + '"') + 1)
    (prop,) = result.properties
    assert (prop.name, prop.type_name, values(prop)) == ("port", "Long", [1])


@pytest.mark.parametrize("hint", ["binary", "binary[]"])
def test_binary_is_not_allowed_in_configuration_files(hint: str) -> None:
    result = parse('{"data:' + hint + '": "a.bin"}')
    assert [p.code for p in result.problems] == ["CFG003"]
    assert not result.readable


@pytest.mark.parametrize("text", ['{"a": null}', '{"a:Integer": null}', '{"a:String": null}'])
def test_null_is_cfg003_at_the_value(text: str) -> None:
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG003"]
    assert not result.readable
    span = result.problems[0].span
    assert span is not None
    assert text[span.start : span.end] == "null"
    assert result.properties == ()


def test_hint_is_the_text_after_the_first_colon() -> None:
    result = parse('{"a:b:String": "x"}')  # hint "b:String": unknown
    assert [p.code for p in result.problems] == ["CFG003"]
    assert [p.name for p in result.properties] == ["a"]


def test_configurator_properties_are_stored_unconverted() -> None:
    prop = one('{":configurator:ranking:Foo": 5}')
    assert (prop.name, prop.type_name, values(prop)) == ("ranking", "Long", [5])


# ----------------------------------------------------------------------------------------------
# Duplicates


def test_same_key_twice_keeps_the_last_value_and_stays_readable() -> None:
    text = '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}'
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG002"]
    assert result.readable
    problem = result.problems[0]
    assert problem.span is not None
    assert (problem.span.line, problem.span.column) == (4, 3)
    assert "line 2" in problem.message
    assert [(p.name, values(p)) for p in result.properties] == [("a", [3]), ("b", [2])]
    assert result.properties[0].key_span.line == 4


@pytest.mark.parametrize(
    "text",
    [
        '{"Text": "a", "teXT": "b"}',
        '{"port": 1, "port:Long": 2}',
        '{"port:Integer": 1, "PORT:Long": 2}',
    ],
)
def test_case_insensitive_duplicate_is_cfg002_at_the_second_key(text: str) -> None:
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG002"]
    assert not result.readable
    problem = result.problems[0]
    assert problem.span is not None
    second = text.index('"', text.index(",") + 1)
    assert problem.span.start == second
    (prop,) = result.properties
    assert values(prop) == [1] or values(prop) == ["a"]


# ----------------------------------------------------------------------------------------------
# Syntax: CFG001


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ('{"a": 1,}', 1, 8, "trailing comma"),
        ('{"a": [1, 2,]}', 1, 12, "trailing comma"),
        ("{'a': 1}", 1, 2, "single quotes"),
        ("{\"a\": 'x'}", 1, 7, "single quotes"),
        ("{a: 1}", 1, 2, "unquoted property name"),
        ('{"a": NaN}', 1, 7, "NaN"),
        ('{"a": Infinity}', 1, 7, "Infinity"),
        ('{"a": -Infinity}', 1, 7, "malformed number"),
        ('{"a": 01}', 1, 7, "leading zeros"),
        ('{"a": -01}', 1, 8, "leading zeros"),
        ('{"a": 1.}', 1, 8, "decimal point"),
        ('{"a": .5}', 1, 7, "malformed number"),
        ('{"a": 1e}', 1, 8, "exponent"),
        ('{"a": +1}', 1, 7, "expected a value"),
        ('{"a": "x\ty"}', 1, 9, "control character U+0009"),
        ('{"a": "x\ny"}', 1, 9, "line break inside a string"),
        ('{"a": "\\q"}', 1, 8, "invalid escape"),
        ('{"a": "\\u12"}', 1, 8, "four hexadecimal digits"),
        ('{"a": "open}', 1, 13, "unterminated string"),
        ('{"a": 1 "b": 2}', 1, 8, "missing ','"),
        ('{"a": [1 2]}', 1, 9, "missing ','"),
        ('{"a": 1} {"b": 2}', 1, 10, "after the closing"),
        ('{"a": 1} x', 1, 10, "after the closing"),
        ("", 1, 1, "empty file"),
        ("   \n  // only a comment\n", 3, 1, "empty file"),
        ("[1, 2]", 1, 1, "one JSON object"),
        ('"text"', 1, 1, "one JSON object"),
        ("\ufeff{}", 1, 1, "byte-order mark"),
        ('{"a": 1', 1, 8, "not closed"),
        ('{"a": [1', 1, 9, "array opened on line 1"),
        ('{"a" 1}', 1, 6, "':'"),
        ('{"a": 1 /* open', 1, 9, "unterminated block comment"),
        ('{"a": 1} /* open', 1, 10, "unterminated block comment"),
        ('{"a": 1 / 2}', 1, 9, "'/'"),
        ('{"a": True}', 1, 7, "use true"),
        ('{"a": }', 1, 7, "expected a value"),
        ('{"a": 1,, "b": 2}', 1, 9, "property name"),
        ('{"a": 1]', 1, 8, "expected ',' or '}'"),
        ('{"a": [1}', 1, 9, "expected ',' or ']'"),
        ('{"a": tru}', 1, 7, "unquoted text"),
        ('{"a": nullx}', 1, 11, "',' or '}'"),
        ("{1: 2}", 1, 2, "property names must be strings"),
    ],
)
def test_syntax_errors(text: str, line: int, column: int, fragment: str) -> None:
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG001"]
    assert not result.readable
    problem = result.problems[0]
    assert fragment in problem.message
    assert at(result) == (line, column)
    span = problem.span
    assert span is not None
    assert 0 <= span.start <= span.end <= len(text)
    assert span.end - span.start <= 1


def test_properties_read_before_the_error_are_kept() -> None:
    text = '{"a": 1, "password": "hunter2", "b": [1, 2], "c": oops}'
    result = parse(text)
    assert [p.code for p in result.problems] == ["CFG001"]
    assert [p.name for p in result.properties] == ["a", "password", "b"]
    assert isinstance(result.properties[1].values[0].value, Secret)


def test_error_messages_do_not_quote_file_content() -> None:
    result = parse('{"password": hunter2}')
    assert "hunter2" not in result.problems[0].message
    result = parse('{"password": "a\\x-hunter2"}')
    assert "hunter2" not in result.problems[0].message


def test_deep_nesting_is_cfg001_without_recursion() -> None:
    for text in ("[" * 200_000, '{"a":' * 200_000, '{"a": ' + "[" * 200_000 + "]" * 200_000 + "}"):
        result = parse(text)
        assert [p.code for p in result.problems] == ["CFG001"]
        assert "nesting deeper than" in result.problems[0].message or "one JSON object" in (
            result.problems[0].message
        )


def test_nesting_up_to_the_limit_is_read_and_stringified_iteratively() -> None:
    depth = MAX_DEPTH - 1  # the root object is level 1
    text = '{"a": ' + "[" * depth + "]" * depth + "}"
    prop = one(text)
    assert prop.type_name == "String"
    assert values(prop) == ["[" * depth + "]" * depth]
    too_deep = '{"a": ' + "[" * (depth + 1) + "]" * (depth + 1) + "}"
    result = parse(too_deep)
    assert [p.code for p in result.problems] == ["CFG001"]
    assert at(result)[1] == 7 + depth


# ----------------------------------------------------------------------------------------------
# Comments


def test_comments_wherever_whitespace_may_be() -> None:
    text = (
        "// leading comment\n"
        "/* block\n comment */ {\n"
        '  "a" /* before colon */ : /* after colon */ 1, // after value\n'
        '  /* before key */ "b": [ /* in array */ "x" /* after element */ , "y" ] /* end */\n'
        "} // trailing\n"
        "/* trailing block */"
    )
    got = clean(text)
    assert values(got["a"]) == [1]
    assert values(got["b"]) == ["x", "y"]


def test_comment_markers_inside_strings_are_text() -> None:
    got = clean('{"url": "http://example.com/*x*/", "k//": "/* not */ // a comment"}')
    assert values(got["url"]) == ["http://example.com/*x*/"]
    assert values(got["k//"]) == ["/* not */ // a comment"]


def test_comment_after_escaped_backslash_string() -> None:
    got = clean('{"path": "C:\\\\", // comment\n "agents": ["Apache-HttpClient/*"]}')
    assert values(got["path"]) == ["C:\\"]
    assert values(got["agents"]) == ["Apache-HttpClient/*"]


# ----------------------------------------------------------------------------------------------
# Positions


def test_spans_include_quotes_and_brackets() -> None:
    text = '{\n  "name": "value",\n  "list:String[]": [ "a", "b" ],\n  "n": 42\n}\n'
    got = clean(text)
    name = got["name"]
    assert text[name.key_span.start : name.key_span.end] == '"name"'
    assert text[name.value_span.start : name.value_span.end] == '"value"'
    assert (name.key_span.line, name.key_span.column) == (2, 3)
    assert (name.value_span.line, name.value_span.column) == (2, 11)
    assert (name.value_span.end_line, name.value_span.end_column) == (2, 18)
    lst = got["list"]
    assert text[lst.key_span.start : lst.key_span.end] == '"list:String[]"'
    assert text[lst.value_span.start : lst.value_span.end] == '[ "a", "b" ]'
    assert [text[s.span.start : s.span.end] for s in lst.values] == ['"a"', '"b"']
    n = got["n"]
    assert n.scalar is not None
    assert text[n.scalar.span.start : n.scalar.span.end] == "42"


def test_multi_line_value_span() -> None:
    text = '{"list": [\n  "a",\n  "b"\n]}'
    lst = one(text)
    span = lst.value_span
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 10, 4, 2)


def test_crlf_gives_the_same_lines_and_columns_as_lf() -> None:
    lf = '{\n  // comment\n  "a": "x",\n  "b": [\n    1,\n    2\n  ]\n}\n'
    crlf = lf.replace("\n", "\r\n")

    def positions(text: str) -> list[tuple[int, int, int, int]]:
        out = []
        for prop in parse(text).properties:
            for span in (prop.key_span, prop.value_span, *(s.span for s in prop.values)):
                out.append((span.line, span.column, span.end_line, span.end_column))
        return out

    assert positions(lf) == positions(crlf)
    assert positions(lf)[0] == (3, 3, 3, 6)


def test_crlf_error_position() -> None:
    assert at(parse('{\r\n  "a": 1\r\n  "b": 2\r\n}')) == (2, 9)
    assert at(parse('{\r  "a": 1,\r}')) == (2, 9)


def test_columns_count_code_points() -> None:
    text = '{"ключ": "значение", "emoji😀": "✓", "x": 1}'
    got = clean(text)
    x = got["x"]
    assert x.key_span.column == text.index('"x"') + 1
    emoji = got["emoji😀"]
    assert emoji.value_span.column == text.index('"✓"') + 1
    assert (emoji.value_span.end_column - emoji.value_span.column) == 3


def test_spans_agree_with_line_index() -> None:
    text = '{\r\n "a": "ä",\n\r "b": [1, {"c": 2}, 3],\r "d": {"e": [\n]}}'
    index = LineIndex(text)

    def check(span: Span) -> None:
        assert span == index.span(span.start, span.end)

    for prop in parse(text).properties:
        check(prop.key_span)
        check(prop.value_span)
        for scalar in prop.values:
            check(scalar.span)


def test_escaped_strings_are_decoded() -> None:
    got = clean(r'{"a\u0041": "\"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00"}')
    assert values(got["aA"]) == ['"q" \\ / \b\f\n\r\t é 😀']


# ----------------------------------------------------------------------------------------------
# Secrets and placeholders


def test_secret_named_properties_hold_secrets() -> None:
    text = (
        '{"smtp.password": "hunter2", "api.tokens": ["t1", "t2"], '
        '"secret.port:Integer": "5", "user": "bob"}'
    )
    got = clean(text)
    password = got["smtp.password"].values[0].value
    assert isinstance(password, Secret)
    assert password.reveal() == "hunter2"
    with pytest.raises(AssertionError):
        f"{password}"
    tokens = [s.value for s in got["api.tokens"].values]
    assert all(isinstance(t, Secret) for t in tokens)
    assert values(got["secret.port"]) == [5]  # not a string
    assert values(got["user"]) == ["bob"]


def test_is_secret_name_sees_the_name_without_hint() -> None:
    seen: list[str] = []

    def record(name: str) -> bool:
        seen.append(name)
        return False

    parse_cfg_json('{"a:Integer": 1, "b": "x"}', record)
    assert seen == ["a", "b"]


def test_placeholders_on_string_values() -> None:
    text = '{"uri": "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db"}'
    prop = one(text)
    scalar = prop.scalar
    assert scalar is not None
    (p,) = scalar.placeholders
    assert (p.kind, p.name, p.default) == ("env", "AEM_PROXY_HOST", "proxy.tunnel")
    assert isinstance(scalar.value, str)
    assert scalar.value[p.start : p.end] == "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
    assert not scalar.is_placeholder_only


def test_placeholders_in_arrays_and_secret_defaults() -> None:
    text = '{"hosts": ["$[env:A]", "b"], "db.password": "$[env:DB_PW;default=changeme]"}'
    got = clean(text)
    hosts = got["hosts"].values
    assert [len(s.placeholders) for s in hosts] == [1, 0]
    assert hosts[0].is_placeholder_only
    secret = got["db.password"].values[0]
    assert isinstance(secret.value, Secret)
    (p,) = secret.placeholders
    assert isinstance(p.default, Secret)
    assert secret.is_placeholder_only


def test_placeholders_use_the_unescaped_value() -> None:
    scalar = one(r'{"a": "\u0024[env:X] and \\$[env:Y]"}').values[0]
    assert [p.name for p in scalar.placeholders] == ["X"]


def test_no_placeholders_on_non_string_values() -> None:
    assert one('{"a:Character": "$[env:X]"}').values[0].placeholders == ()


# ----------------------------------------------------------------------------------------------
# Real files


CFG_FILES = sorted(CORPUS.rglob("*.cfg.json"))
BROKEN = {
    "saml-2-0.ReferrerFilter.cfg.json",
    "saml-2-0.SamlAuthenticationHandler~saml.cfg.json",
}


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def test_corpus_is_present() -> None:
    assert len(CFG_FILES) > 50


@pytest.mark.parametrize("path", CFG_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_file_parses(path: Path) -> None:
    text = read(path)
    result = parse(text)
    for problem in result.problems:
        assert problem.span is not None
        assert 0 <= problem.span.start <= problem.span.end <= len(text)
    if path.name in BROKEN:
        assert [p.code for p in result.problems] == ["CFG001"]
    else:
        assert result.problems == (), [p.message for p in result.problems]
        assert result.readable


def test_wknd_referrer_filter_with_comments() -> None:
    paths = [
        p
        for p in CFG_FILES
        if "adobe__aem-guides-wknd" in str(p)
        and p.name == "org.apache.sling.security.impl.ReferrerFilter.cfg.json"
    ]
    assert paths
    for path in paths:
        text = read(path)
        assert "//" in text
        got = clean(text)
        assert "allow.hosts" in got or "allow.hosts.regexp" in got
        for prop in got.values():
            assert text[prop.key_span.start : prop.key_span.end].startswith('"' + prop.name)


def test_saml_referrer_filter_trailing_comma() -> None:
    text = read(SNIPPETS / "saml-2-0.ReferrerFilter.cfg.json")
    result = parse(text)
    # "POST", on line 8, then "]": reported at the comma to remove.
    assert at(result) == (8, 15)
    assert "trailing comma" in result.problems[0].message
    assert [p.name for p in result.properties] == [
        "allow.empty",
        "allow.hosts.regexp",
        "allow.hosts",
    ]


def test_saml_authentication_handler_missing_comma() -> None:
    text = read(SNIPPETS / "saml-2-0.SamlAuthenticationHandler~saml.cfg.json")
    result = parse(text)
    # "userIntermediatePath": "wknd/idp" on line 11 lacks its ',': reported where it goes.
    assert at(result) == (11, 35)
    assert "missing ','" in result.problems[0].message
    names = [p.name for p in result.properties]
    assert names[-1] == "userIntermediatePath"
    assert "keyStorePassword" in names


# ----------------------------------------------------------------------------------------------
# Regressions and documented edges


def test_block_comment_ends_at_its_first_close() -> None:
    # Found by hypothesis: a comment before a key whose text contains "*/" and "//".
    text = '/* c */{\n/* c */ "*///\\"": ""\n/* c */}/* c */'
    assert values(clean(text)['*///"']) == [""]


def test_comment_inside_a_token_is_cfg001() -> None:
    # Felix removes comments textually and would read "true"; this parser treats a comment as
    # whitespace (documented deviation toward strictness).
    assert codes('{"a": tr/**/ue}') == ["CFG001"]


@pytest.mark.parametrize("number", ["1e2147483648", "1.0E-99999999999", "2e+00000000003000000000"])
def test_exponent_beyond_big_decimal_is_cfg001(number: str) -> None:
    result = parse('{"a": ' + number + "}")
    assert [p.code for p in result.problems] == ["CFG001"]
    assert "exponent" in result.problems[0].message


def test_long_digit_strings_do_not_hit_int_limits() -> None:
    digits = "9" * 10_000
    assert one('{"a": ' + digits + "}").type_name == "Long"
    assert one('{"a": {"b": [' + digits + ", 1." + digits + "]}}").type_name == "String"
    assert codes('{"a:Integer": "' + digits + '"}') == ["CFG003"]


def test_placeholders_in_collections_are_still_reported() -> None:
    # Felix only interpolates String and String[] values; the placeholder is still parsed so a
    # rule can tell (see the module docs).
    prop = one('{"a:Collection<String>": ["$[env:A]"]}')
    assert [p.name for p in prop.values[0].placeholders] == ["A"]
