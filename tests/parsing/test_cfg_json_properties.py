"""Property-based tests of the ``.cfg.json`` parser against ``json.loads`` and arbitrary input."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.text import LineIndex
from aemlint.parsing.values import ParsedConfig
from aemlint.types import Secret, Span

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CORPUS_TEXTS = [
    p.read_bytes().decode("utf-8", "surrogateescape") for p in sorted(CORPUS.rglob("*.cfg.json"))
]

CI = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def no_secrets(name: str) -> bool:
    return False


def wrap64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


# ----------------------------------------------------------------------------------------------
# A reference for the platform's unhinted typing, written from JsonSupport.convertToObject, applied
# to json.loads output (numbers kept as Decimal so that BigDecimal's scale is visible).


def scalar_number(number: Decimal | int) -> int | float:
    if isinstance(number, int):
        return wrap64(number)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent == 0:  # BigDecimal scale 0: JsonNumber.isIntegral()
        return wrap64(int(number))
    return float(number)


def as_json_value(value: Any) -> Any:
    """A json.loads value with Decimals turned back into what json.loads would give."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [as_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json_value(v) for k, v in value.items()}
    return value


def expected_natural(value: Any) -> tuple[str, list[Any], bool]:
    """(type name, values, multi) for a value as json.loads(parse_float=Decimal) gives it."""
    if isinstance(value, bool):
        return "Boolean", [value], False
    if isinstance(value, int | Decimal):
        number = scalar_number(value)
        return ("Long" if isinstance(number, int) else "Double"), [number], False
    if isinstance(value, str):
        return "String", [value], False
    if isinstance(value, dict):
        return "String", [{"json": as_json_value(value)}], False
    assert isinstance(value, list)
    if not value:
        return "String[]", [], True

    def group(v: Any) -> str:
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, int | Decimal):
            return "number"
        return type(v).__name__

    kinds = {group(v) for v in value}
    if kinds == {"str"}:
        return "String[]", list(value), True
    if kinds == {"bool"}:
        return "Boolean[]", list(value), True
    if kinds == {"dict"}:
        return "String[]", [{"json": as_json_value(v)} for v in value], True
    if kinds == {"number"}:
        numbers = [scalar_number(v) for v in value]
        if all(isinstance(n, int) for n in numbers):
            return "Long[]", numbers, True
        return "Double[]", [float(n) for n in numbers], True
    return "String", [{"json": as_json_value(value)}], False


def same(got: list[Any], expected: list[Any]) -> bool:
    """Values equal; where the reference expects compact JSON, the JSON reads back the same."""
    if len(got) != len(expected):
        return False
    for value, wanted in zip(got, expected, strict=True):
        if isinstance(wanted, dict):
            if not isinstance(value, str) or json.loads(value) != wanted["json"]:
                return False
        elif type(value) is not type(wanted) or value != wanted:
            return False
    return True


# ----------------------------------------------------------------------------------------------
# Strategies

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
TEXT = st.text(max_size=12)
SCALARS = st.none() | st.booleans() | INT64 | FLOATS | TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
TOP_VALUES = st.recursive(
    st.booleans() | INT64 | FLOATS | TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(TEXT, JSON_VALUES, max_size=3)
    ),
    max_leaves=10,
)
KEYS = st.text(max_size=10).filter(lambda k: ":" not in k)
OBJECTS = st.dictionaries(KEYS, TOP_VALUES, max_size=8).filter(
    lambda d: len({k.lower() for k in d}) == len(d)
)
DUMP_OPTIONS = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 0, 2, 4, "\t"]),
        "separators": st.sampled_from([None, (",", ":"), (", ", ": "), (" ,\n", " :\t")]),
        "ensure_ascii": st.booleans(),
    }
)


def check_spans_inside(result: ParsedConfig, text: str) -> None:
    index = LineIndex(text)
    spans: list[Span] = [p.span for p in result.problems if p.span is not None]
    for prop in result.properties:
        spans += [prop.key_span, prop.value_span, *(s.span for s in prop.values)]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert span == index.span(span.start, span.end)


# ----------------------------------------------------------------------------------------------
# (a) agreement with json.loads after the platform's typing


@CI
@given(obj=OBJECTS, options=DUMP_OPTIONS)
def test_values_agree_with_json_loads(obj: dict[str, Any], options: dict[str, Any]) -> None:
    text = json.dumps(obj, **options)
    result = parse_cfg_json(text, no_secrets)
    assert result.problems == ()
    assert result.readable
    reference = json.loads(text, parse_float=Decimal)
    assert [p.name for p in result.properties] == list(reference)
    for prop in result.properties:
        type_name, expected, multi = expected_natural(reference[prop.name])
        assert prop.type_name == type_name
        assert prop.is_multi == multi
        assert same([s.value for s in prop.values], expected)
    check_spans_inside(result, text)


# ----------------------------------------------------------------------------------------------
# (b) every span re-parses to its value


@CI
@given(obj=OBJECTS, options=DUMP_OPTIONS)
def test_spans_reparse_to_the_values(obj: dict[str, Any], options: dict[str, Any]) -> None:
    text = json.dumps(obj, **options)
    result = parse_cfg_json(text, no_secrets)
    for prop in result.properties:
        assert json.loads(text[prop.key_span.start : prop.key_span.end]) == prop.name
        whole = json.loads(text[prop.value_span.start : prop.value_span.end])
        assert (
            whole == obj[prop.name]
            or (isinstance(whole, float) and math.isclose(whole, obj[prop.name]))
            or whole == json.loads(json.dumps(obj[prop.name]))
        )
        for scalar in prop.values:
            piece = json.loads(text[scalar.span.start : scalar.span.end], parse_float=Decimal)
            value = scalar.value
            assert not isinstance(value, Secret)
            if isinstance(piece, list | dict):
                assert isinstance(value, str)
                assert json.loads(value) == as_json_value(piece)
            elif isinstance(value, bool):
                assert piece is value
            elif isinstance(value, int):
                assert scalar_number(piece) == value
            elif isinstance(value, float):
                assert float(piece) == value
            else:
                assert piece == value


# ----------------------------------------------------------------------------------------------
# (c) comment markers inside strings are text; comments between tokens change nothing

COMMENTY_TEXT = st.lists(
    st.sampled_from(["//", "/*", "*/", "/", "*", " ", "\\", '"', "x", "\n", "é"]), max_size=8
).map("".join)


@CI
@given(
    obj=st.dictionaries(COMMENTY_TEXT.filter(lambda k: ":" not in k), COMMENTY_TEXT, max_size=5),
    comment=st.sampled_from(["// c\n", "/* c */", "/*\n * c\n */", "//\n", "/**/"]),
)
def test_comments(obj: dict[str, str], comment: str) -> None:
    assume(len({k.lower() for k in obj}) == len(obj))
    text = json.dumps(obj, indent=1)
    plain = parse_cfg_json(text, no_secrets)
    assert plain.problems == ()
    assert {p.name: p.values[0].value for p in plain.properties} == obj
    # A comment after every line break (whitespace, never inside a string: json.dumps escapes
    # line breaks in strings) changes no value.
    commented = comment + text.replace("\n", "\n" + comment) + comment
    result = parse_cfg_json(commented, no_secrets)
    assert result.problems == ()
    assert {p.name: p.values[0].value for p in result.properties} == obj
    check_spans_inside(result, commented)


# ----------------------------------------------------------------------------------------------
# (d) anything in: a ParsedConfig out, problems inside the text


@CI
@given(text=st.text())
def test_any_text(text: str) -> None:
    result = parse_cfg_json(text, no_secrets)
    assert isinstance(result, ParsedConfig)
    check_spans_inside(result, text)


JSONISH = st.lists(
    st.sampled_from(
        [*"{}[]:,\"\\/*-.0123456789eEtrufalsn \n\r\t'", "//", "/*", "*/", "\\u00", "$[env:"]
    ),
    max_size=40,
).map("".join)


@CI
@given(text=JSONISH)
def test_json_like_noise(text: str) -> None:
    check_spans_inside(parse_cfg_json(text, no_secrets), text)
    check_spans_inside(parse_cfg_json("{" + text, no_secrets), "{" + text)


@st.composite
def mutated_corpus_file(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(CORPUS_TEXTS))
    data = bytearray(text.encode("utf-8", "surrogateescape"))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        if not data:
            break
        where = draw(st.integers(0, len(data) - 1))
        if action == "truncate":
            del data[where:]
        elif action == "flip":
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[where:where] = draw(
                st.sampled_from(
                    [b",", b"{", b"}", b"[", b"]", b'"', b":", b"/*", b"//", b"\\", b"\n", b"\r"]
                )
            )
        else:
            del data[where]
    return data.decode("utf-8", "replace")


@CI
@given(text=mutated_corpus_file())
def test_mutated_corpus_files(text: str) -> None:
    result = parse_cfg_json(text, lambda name: "password" in name.lower())
    assert isinstance(result, ParsedConfig)
    check_spans_inside(result, text)
    if any(p.code == "CFG001" for p in result.problems):
        assert len(result.problems) == 1
        assert not result.readable
