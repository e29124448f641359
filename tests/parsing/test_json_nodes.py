"""Strict JSON with positions (``aemlint.parsing.json_nodes``): examples and properties."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing.json_nodes import MAX_DEPTH, parse_json
from aemlint.parsing.text import LineIndex
from aemlint.parsing.yaml_nodes import YNode

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def to_python(node: YNode) -> Any:
    """The plain value of a node tree, without recursion (pairs kept as a list)."""
    done: dict[int, Any] = {}
    stack: list[tuple[YNode, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if current.kind == "seq":
            if expanded:
                done[id(current)] = [done[id(c)] for c in current.value]
            else:
                stack.append((current, True))
                stack.extend((c, False) for c in current.value)
        elif current.kind == "map":
            if expanded:
                done[id(current)] = {k.value: done[id(v)] for k, v in current.value}
            else:
                stack.append((current, True))
                stack.extend((v, False) for _, v in current.value)
        else:
            done[id(current)] = current.value
    return done[id(node)]


def walk(node: YNode) -> Iterator[YNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.kind == "seq":
            stack.extend(current.value)
        elif current.kind == "map":
            for key, value in current.value:
                stack.extend((key, value))


def same(a: Any, b: Any) -> bool:
    """Equal values of equal JSON kinds (1 is not 1.0, True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


def ok(text: str) -> YNode:
    result = parse_json(text)
    assert result.problem is None, result.problem
    assert result.root is not None
    return result.root


# ----------------------------------------------------------------------------------------------
# Examples


def test_kinds_spans_and_keys() -> None:
    text = '{\n  "a": [1, 2.5, "x\\u00e9", true, false, null],\n  "b": {}\n}'
    root = ok(text)
    assert root.kind == "map"
    assert (root.span.start, root.span.end) == (0, len(text))
    (key_a, seq), (key_b, empty) = root.value
    assert (
        key_a.kind == "str"
        and key_a.value == "a"
        and text[key_a.span.start : key_a.span.end] == '"a"'
    )
    assert (key_a.span.line, key_a.span.column) == (2, 3)
    assert [n.kind for n in seq.value] == ["int", "float", "str", "bool", "bool", "null"]
    assert seq.value[2].value == "xé" and seq.value[2].style == '"'
    assert text[seq.span.start : seq.span.end] == '[1, 2.5, "x\\u00e9", true, false, null]'
    assert empty.kind == "map" and empty.value == ()
    assert key_b.span.line == 3


def test_scalar_roots_and_escapes() -> None:
    assert ok("  12 ").value == 12
    assert ok("-0").value == 0 and ok("-0").kind == "int"
    assert ok("1e2").kind == "float"
    assert ok('"\\ud83d\\ude00"').value == "\U0001f600"
    assert ok('"\\ud800"').value == "\ud800"  # a lone escaped surrogate stays (as json.loads)
    assert ok('"a\\/b\\n"').value == "a/b\n"
    assert ok("1e400").value == math.inf


def test_duplicate_keys_are_all_kept() -> None:
    root = ok('{"a": 1, "a": 2}')
    assert [(k.value, v.value) for k, v in root.value] == [("a", 1), ("a", 2)]
    assert root.get("a") is not None


def test_crlf_positions() -> None:
    root = ok('{\r\n  "port": 30001\r\n}')
    (key, value) = root.value[0]
    assert (key.span.line, key.span.column, value.span.line, value.span.column) == (2, 3, 2, 11)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("", "empty file", 1, 1),
        ("\n  \n", "empty file", 3, 1),
        ('{"a": 1,}', "trailing comma before '}'", 1, 8),
        ('{\n  "a": [\n    "x",\n  ]\n}', "trailing comma before ']'", 3, 8),
        ('{"a" 1}', "expected ':'", 1, 6),
        ("{a: 1}", "unquoted property name", 1, 2),
        ("{'a': 1}", "single quotes", 1, 2),
        ("// c\n{}", "comments are not allowed", 1, 1),
        ('{"a": 1 /* x */}', "comments are not allowed", 1, 9),
        ("[01]", "leading zeros", 1, 2),
        ("[1.]", "decimal point", 1, 3),
        ("[1e+]", "exponent", 1, 3),
        ("[-]", "malformed number", 1, 2),
        ("[.5]", "a digit before the decimal point", 1, 2),
        ("[+1]", "must not start with '+'", 1, 2),
        ('["a\nb"]', "line break inside a string", 1, 4),
        ('"abc', "unterminated string", 1, 5),
        ('["\\x"]', "invalid escape", 1, 3),
        ('["\\u12"]', "four hexadecimal digits", 1, 3),
        ('"\t"', "control character U+0009", 1, 2),
        ("\ufeff{}", "byte-order mark", 1, 1),
        ("{} {}", "exactly one value", 1, 4),
        ("[1 2]", "missing ','", 1, 3),
        ('{"a": 1\n "b": 2}', "missing ','", 1, 8),
        ("[1}", "expected ',' or ']'", 1, 3),
        ("[NaN]", "NaN is not allowed", 1, 2),
        ("[Infinity]", "Infinity is not allowed", 1, 2),
        ("[True]", "use true", 1, 2),
        ("[tru]", "unquoted text", 1, 2),
        ("[1,,2]", "expected a value, found ','", 1, 4),
        ("{,}", "found ','", 1, 2),
        ('{"a":}', "expected a value, found '}'", 1, 6),
        ("[\n 1,\n 2\n", "the array opened on line 1 is not closed", 4, 1),
        ('{"a": {', "the object opened on line 1 is not closed", 1, 8),
        ("...\n{}", "expected a value, found '.'", 1, 1),
        ("[1.5.3]", "expected ',' or ']', found '.'", 1, 5),
    ],
)
def test_syntax_errors(text: str, message: str, line: int, column: int) -> None:
    result = parse_json(text)
    assert result.root is None
    assert result.problem is not None
    assert result.problem.code == "CFG001"
    assert message in result.problem.message
    assert (result.problem.span.line, result.problem.span.column) == (line, column)


def test_messages_never_quote_content() -> None:
    for text in ('{"password": s3cr3t}', '{"password": "s3cr3t\\q"}', '["s3cr3t\n"]', "[s3cr3t]"):
        problem = parse_json(text).problem
        assert problem is not None
        assert "s3cr3t" not in problem.message


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_nesting_is_a_problem_not_a_recursion_error(opener: str) -> None:
    result = parse_json(opener * 200_000)
    assert result.problem is not None
    assert "nesting deeper than" in result.problem.message
    assert result.problem.span.column == MAX_DEPTH * len(opener) + 1


def test_nesting_at_the_limit_is_accepted() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    root = ok(text)
    depth = 0
    node = root
    while node.kind == "seq" and node.value:
        node = node.value[0]
        depth += 1
    assert depth == MAX_DEPTH - 1
    assert parse_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).problem is not None


def test_huge_integer_is_a_problem() -> None:
    assert parse_json("1" * 4300).root is not None
    problem = parse_json("1" * 4301).problem
    assert problem is not None and "digits" in problem.message


# ----------------------------------------------------------------------------------------------
# Properties

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def dumped(draw: st.DrawFn) -> str:
    value = draw(json_values)
    return json.dumps(
        value,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.none() | st.integers(0, 3) | st.just("\t")),
        separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : ")])),
    )


@CI
@given(dumped())
def test_agrees_with_json_loads(text: str) -> None:
    assert same(to_python(ok(text)), json.loads(text))


@CI
@given(dumped())
def test_every_span_reparses_to_its_node(text: str) -> None:
    index = LineIndex(text)
    for node in walk(ok(text)):
        piece = text[node.span.start : node.span.end]
        assert same(to_python(node), json.loads(piece))
        line, column = index.position(node.span.start)
        assert (node.span.line, node.span.column) == (line, column)


def _json_loads_accepts(text: str) -> bool:
    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:  # JSONDecodeError is a ValueError
        return False
    return True


JSONISH = st.text(alphabet=st.sampled_from(list("{}[],:\"\\ \n\t\r-+.0123456789eEtrufalsn/ux'é")))


@CI
@given(JSONISH | st.text())
def test_any_text_gives_a_result_and_accepts_what_json_loads_accepts(text: str) -> None:
    result = parse_json(text)
    assert (result.root is None) != (result.problem is None)
    if result.problem is not None:
        assert 0 <= result.problem.span.start <= result.problem.span.end <= len(text)
    assert (result.problem is None) == _json_loads_accepts(text)
