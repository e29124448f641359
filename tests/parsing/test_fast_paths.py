"""The parsers' fast paths give exactly what their general paths give.

Each parser reads the common, simple input through a shortcut (whole ``.cfg.json`` members per
regex match and properties built inline; whole ``.config`` lines per regex match; ``sling:OsgiConfig``
values without escapes split at once; dataclasses built without ``object.__setattr__``). These
tests hold each shortcut against the general path it stands for.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing import cfg_json, felix_config, sling_xml
from aemlint.parsing.text import LineIndex, new_span
from aemlint.parsing.values import (
    Placeholder,
    Property,
    Scalar,
    frozen_constructor,
    new_placeholder,
    new_property,
    new_scalar,
)
from aemlint.types import Secret, Span

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def secret_names(name: str) -> bool:
    return "pass" in name.lower()


def shown(value: Any) -> Any:
    """A comparable form of parser output: secrets revealed (never printed), floats by repr."""
    if isinstance(value, Secret):
        return ("Secret", value.reveal())
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, list | tuple):
        return tuple(shown(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(shown(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    return value


# ----------------------------------------------------------------------------------------------
# frozen_constructor


def test_fast_constructors_make_the_same_objects() -> None:
    span = Span(1, 2, 1, 5, 1, 4)
    assert new_span(1, 2, 1, 5, 1, 4) == span
    assert type(new_span(1, 2, 1, 5, 1, 4)) is Span
    assert hash(new_span(1, 2, 1, 5, 1, 4)) == hash(span)
    assert repr(new_span(1, 2, 1, 5, 1, 4)) == repr(span)
    placeholder = Placeholder("env", "A", (("default", "x"),), 0, 5)
    assert new_placeholder("env", "A", (("default", "x"),), 0, 5) == placeholder
    scalar = Scalar("v", span, (placeholder,))
    assert new_scalar("v", span, (placeholder,)) == scalar
    assert new_scalar(5, span, ()) == Scalar(5, span)
    prop = Property("a", "String", span, span, (scalar,), False)
    assert new_property("a", "String", span, span, (scalar,), False) == prop
    assert repr(new_property("a", "String", span, span, (scalar,), False)) == repr(prop)
    made = new_span(1, 1, 1, 1, 0, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 2  # type: ignore[misc]


def test_fast_constructors_are_fast_paths() -> None:
    for made in (new_span, new_scalar, new_property, new_placeholder):
        assert not isinstance(made, type)


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclasses.dataclass(slots=True)
class _Mutable:
    value: int


@dataclasses.dataclass(frozen=True)
class _NoSlots:
    value: int


def test_other_classes_keep_their_constructor() -> None:
    assert frozen_constructor(_Checked) is _Checked
    assert frozen_constructor(_Mutable) is _Mutable
    assert frozen_constructor(_NoSlots) is _NoSlots


# ----------------------------------------------------------------------------------------------
# LineIndex against the definition


def reference_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\r\n?|\n", text))]


def reference_position(text: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(text)))
    starts = reference_starts(text)
    line = max(i for i, start in enumerate(starts) if start <= offset)
    return line + 1, offset - starts[line] + 1


@CI
@given(text=st.text(alphabet="ab\r\n\t é", max_size=30), data=st.data())
def test_line_index_matches_the_definition(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    assert index.starts == reference_starts(text)
    assert index.line_count == len(reference_starts(text))
    for offset in range(-2, len(text) + 3):
        assert index.position(offset) == reference_position(text, offset)
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    line, column = reference_position(text, start)
    end_line, end_column = reference_position(text, end)
    assert index.span(start, end) == Span(line, column, end_line, end_column, start, end)
    token_start = data.draw(st.integers(0, len(text)))
    token_end = token_start
    while token_end < len(text) and text[token_end] not in "\r\n" and data.draw(st.booleans()):
        token_end += 1
    assert index.token_span(token_start, token_end) == index.span(token_start, token_end)


# ----------------------------------------------------------------------------------------------
# .config: _fast_entries against the reader

NAMES = st.sampled_from(["a", "b", "A", "pass.word", "x:y", "n~1", "service.ranking", "a#b", "é"])
CODES = st.sampled_from(["", "", "T", "I", "i", "L", "l", "F", "D", "X", "x", "S", "C", "c", "B"])
CONTENT = st.lists(
    st.sampled_from(
        [
            "a",
            "1",
            "-",
            "0",
            "true",
            "FALSE",
            "x",
            " ",
            "\\=",
            "\\n",
            "\\t",
            "\\\\",
            "\\ ",
            "#",
            "$[env:X;default=1]",
            "\n",
            "\U0001f600",
            "2147483648",
            "é",
            "\\u0041",
            "=",
        ]
    ),
    max_size=4,
).map("".join)


@st.composite
def felix_lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["blank", "comment", "single", "multi"]))
    if kind == "blank":
        return draw(st.sampled_from(["", "  ", "\t"]))
    if kind == "comment":
        return draw(st.sampled_from(["# c", "  # x=1", "#"]))
    head = draw(NAMES) + draw(st.sampled_from(["=", " = ", "\t=", "= "])) + draw(CODES)
    tail = draw(st.sampled_from(["", " ", " # c", "#c"]))
    if kind == "single":
        return head + '"' + draw(CONTENT) + '"' + tail
    opener, closer = draw(st.sampled_from([("[", "]"), ("(", ")")]))
    elements = ['"' + draw(CONTENT) + '"' for _ in range(draw(st.integers(0, 3)))]
    separator = draw(st.sampled_from([",", ", ", " ,\n  ", ",\n"]))
    ending = draw(st.sampled_from(["", ",", "\n", " "]))
    return (
        head
        + opener
        + draw(st.sampled_from(["", " ", "\n"]))
        + separator.join(elements)
        + ending
        + closer
        + tail
    )


FELIX_TEXTS = st.lists(felix_lines(), max_size=6).map("\n".join) | st.lists(
    felix_lines(), max_size=6
).map(lambda lines: "\n".join(lines) + "\n")


def reader_entries(text: str) -> tuple[Any, Any]:
    reader = felix_config._Reader(text, LineIndex(text), secret_names)
    failure: str | None = None
    try:
        reader.run()
    except felix_config.SyntaxFailure as error:
        failure = error.message
    return shown(reader.entries), (failure, [shown(a) for a in reader.anomalies])


@CI
@given(text=FELIX_TEXTS)
def test_felix_fast_path_reads_as_the_reader(text: str) -> None:
    fast = felix_config._fast_entries(text)
    if fast is None:
        return
    entries, trouble = reader_entries(text)
    assert trouble == (None, [])
    assert shown(fast) == entries


def test_felix_fast_path_takes_the_usual_files() -> None:
    text = (
        '# generated\nenabled=B"true"\nservice.ranking=I"68"\n'
        'paths=["/content/a968","/content/b968"]\nlabel="Legacy 968"\n'
        'scripts=[\n  "create path /x",\n  "set ACL",\n]\npass.word="$[secret:P]" # note\n'
    )
    fast = felix_config._fast_entries(text)
    assert fast is not None
    assert shown(fast) == reader_entries(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        'a="x"\r\n',  # a carriage return: the reader
        'a="x" b="y"',  # two properties on one line
        'a=B"maybe"',  # CFG008
        'a=C""',  # an empty Character
        'a=C"ab"',  # CFG008
        'a=I"x"',  # CFG001
        'a I"1"',  # no '='
        'a="x',  # not closed
        'a=["x" "y"]',  # a missing comma
        'a="\\u0041"',  # \u escapes: the reader
        '\ufeffa="x"',  # a byte-order mark
    ],
)
def test_felix_fast_path_leaves_the_rest_to_the_reader(text: str) -> None:
    assert felix_config._fast_entries(text) is None


# ----------------------------------------------------------------------------------------------
# sling:OsgiConfig values: _plain_docview against _docview

DOCVIEW_VALUES = st.lists(
    st.sampled_from(["{", "}", "[", "]", ",", "a", "Long", "String", "1", " ", "é", "\U0001f600"]),
    max_size=8,
).map("".join)


@CI
@given(value=DOCVIEW_VALUES, offset=st.integers(0, 3))
def test_plain_docview_reads_as_docview(value: str, offset: int) -> None:
    text = "x" * offset + value
    plain = sling_xml._plain_docview(value, text, offset, len(text))
    if plain is None:
        return
    units = sling_xml._decode_attribute(text, offset, len(text))
    assert units is not None
    general = sling_xml._docview(units, offset)
    assert (plain.type_name, plain.is_multi) == (general.type_name, general.is_multi)
    if plain.is_multi:
        assert plain.values == general.values
    else:
        assert [v[0] for v in plain.values] == [v[0] for v in general.values]


def test_plain_docview_takes_typed_values_and_arrays() -> None:
    for value in ("plain", "{Long}5", "[/a,/b]", "{String}[a,,b,]", "[a,", "[]", "{Boolean}"):
        assert sling_xml._plain_docview(value, value, 0, len(value)) is not None
    for value in ("a\\,b", "{Long", "\\0"):
        assert sling_xml._plain_docview(value, value, 0, len(value)) is None
    # element positions need the source to be the value itself
    assert sling_xml._plain_docview("[a b]", "[a&#32;b]", 0, 9) is None


# ----------------------------------------------------------------------------------------------
# .cfg.json: whole-member matches and inline properties against the token-by-token path

KEYS = st.sampled_from(
    [
        "a",
        "A",
        "pass",
        "n:Integer",
        "n:Long",
        "c:Character",
        "z:Boolean",
        "w:Float",
        "v:Double",
        "s:String",
        "k:Byte",
        "x:int[]",
        "y:Collection",
        "u:Foo",
        ":configurator:q",
        "b:binary",
        "a",
    ]
)
LEAVES = st.one_of(
    st.sampled_from(["", "x", "$[env:A;default=1]", "true", "8080", "é", "\U0001f600", " 1"]),
    st.integers(-(2**65), 2**65),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def cfg_json_texts(draw: st.DrawFn) -> str:
    members = draw(st.lists(st.tuples(KEYS, VALUES), max_size=6))
    indent = draw(st.sampled_from([None, 2, 4]))
    text = (
        "{"
        + ",".join(
            json.dumps(key) + ":" + json.dumps(value, indent=indent) for key, value in members
        )
        + "}"
    )
    if draw(st.booleans()) and len(text) > 2:
        at = draw(st.integers(0, len(text) - 1))
        text = (
            text[:at]
            + draw(st.sampled_from(["", " ", "/* c */", "\n", ",", "]", '"']))
            + text[at + 1 :]
        )
    return text


@CI
@given(text=cfg_json_texts())
def test_cfg_json_member_matches_read_as_tokens(text: str) -> None:
    fast = cfg_json.parse_cfg_json(text, secret_names)
    never = re.compile(r"(?!)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cfg_json, "_MEMBER", never)
        patch.setattr(cfg_json, "_NEXT_MEMBER", never)
        patch.setattr(cfg_json, "_STRING_ARRAY", never)
        slow = cfg_json.parse_cfg_json(text, secret_names)
    assert shown(fast) == shown(slow)


@CI
@given(text=cfg_json_texts())
def test_cfg_json_inline_properties_build_as_member(text: str) -> None:
    index = LineIndex(text)
    parser = cfg_json._Parser(text, index)
    with contextlib.suppress(cfg_json.SyntaxFailure):
        parser.parse()
    for member in parser.members:
        inline = cfg_json._Builder(index, secret_names)
        general = cfg_json._Builder(index, secret_names)
        built = inline.build([member])
        prop = general.member(member)
        assert shown(built) == shown([] if prop is None else [prop])
        assert shown(inline.problems) == shown(general.problems)
        assert inline.unreadable == general.unreadable
