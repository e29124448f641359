"""CFG004's unsafe fix: a legacy configuration rewritten as ``.cfg.json`` with identical values.

- The writer (:mod:`aemlint.parsing.cfg_json_writer`) for every type the three legacy readers
  produce, its layout, and what it refuses.
- Property tests: typed values rendered as a Felix ``.config`` (floats and doubles as random raw
  bit patterns), a ``.cfg`` and a ``sling:OsgiConfig`` node, read by the legacy reader, written
  by the writer and read by the ``.cfg.json`` reader: the same names, types and values.
- The rule through the real CLI (``--output-format json`` shows each fix): secrets replaced by
  ``$[secret:NAME]`` and never printed, twins, line endings, unreadable files.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.parsing.cfg_json_writer import cfg_json_text
from aemlint.parsing.felix_config import parse_felix_config
from aemlint.parsing.properties import parse_properties
from aemlint.parsing.sling_xml import parse_sling_xml
from aemlint.parsing.values import ParsedConfig, Property, Scalar
from aemlint.types import Secret, Span

from helpers import run_main, write
from platform_writers import (
    XML_NAMES,
    XML_TEXT,
    docview_escape,
    felix_quote,
    java_ints,
    save_convert,
    xml_attribute,
)

CI = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_secrets(name: str) -> bool:
    return False


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    return type(a) is type(b) and a == b


def assert_same_properties(before: tuple[Property, ...], after: tuple[Property, ...]) -> None:
    assert [p.name for p in after] == [p.name for p in before]
    for old, new in zip(before, after, strict=True):
        assert (new.type_name, new.is_multi) == (old.type_name, old.is_multi), old.name
        assert len(new.values) == len(old.values), old.name
        for a, b in zip(old.values, new.values, strict=True):
            assert same(a.value, b.value), (old.name, old.type_name, a.value, b.value)
            assert a.placeholders == b.placeholders


def reads_back(parsed: ParsedConfig, newline: str = "\n") -> str:
    """The writer's text for ``parsed``, checked to read back to the same typed values."""
    assert parsed.readable and parsed.problems == ()
    text = cfg_json_text(parsed.properties, newline)
    assert text is not None
    back = parse_cfg_json(text, no_secrets)
    assert back.readable and back.problems == (), back.problems
    assert_same_properties(parsed.properties, back.properties)
    return text


def felix(text: str) -> ParsedConfig:
    return parse_felix_config(text, no_secrets)


def member(text: str) -> str:
    """The one member line of a one-property object."""
    lines = text.split("\n")
    assert lines[0] == "{" and lines[-2] == "}", text
    return "\n".join(lines[1:-2]).strip()


# ----------------------------------------------------------------------------------------------
# The writer, type by type.


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ('k="x"', '"k": "x"'),
        ('k=T"x"', '"k": "x"'),
        ('k=I"-5"', '"k:Integer": -5'),
        ('k=i"7"', '"k:Integer": 7'),
        ('k=L"9223372036854775807"', '"k": 9223372036854775807'),
        ('k=L"-9223372036854775808"', '"k": -9223372036854775808'),
        ('k=X"-128"', '"k:Byte": -128'),
        ('k=S"32767"', '"k:Short": 32767'),
        ('k=F"1069547520"', '"k:Float": 1.5'),  # 0x3FC00000
        ('k=F"1036831949"', '"k:Float": 0.1'),  # 0.1f, not the double 0.1
        ('k=F"1"', '"k:Float": 1e-45'),  # the smallest subnormal float
        ('k=F"2139095039"', '"k:Float": 3.4028235e+38'),  # the largest float
        ('k=F"-2147483648"', '"k:Float": -0.0'),
        ('k=F"1065353216"', '"k:Float": 1.0'),
        ('k=D"4607182418800017408"', '"k": 1.0'),  # 0x3FF0000000000000
        ('k=D"-9223372036854775808"', '"k": -0.0'),
        ('k=D"1"', '"k": 5e-324'),
        ('k=D"4846369599423283200"', '"k": 1e+16'),
        # 1.2345678901234568e+16 has a BigDecimal scale of 0 (a Long): a zero keeps it a Double
        ('k=D"4847542438873900484"', '"k": 1.23456789012345680e+16'),
        ('k=B"true"', '"k": true'),
        ('k=b"false"', '"k": false'),
        ('k=C"q"', '"k:Character": "q"'),
        ('k=c"\\u0000"', '"k:Character": "\\u0000"'),
        ('k=C"\\uD800"', '"k:Character": "\\ud800"'),  # a lone surrogate: only as an escape
        ('k="a\\=b \\"q\\" \\\\ \\n\\t\\r"', '"k": "a=b \\"q\\" \\\\ \\n\\t\\r"'),
        ('k="$[env:HOST;default\\=proxy.tunnel]"', '"k": "$[env:HOST;default=proxy.tunnel]"'),
        ('k="é😀\\u2028"', '"k": "é😀\u2028"'),
    ],
)
def test_felix_scalars(line: str, written: str) -> None:
    text = reads_back(felix(line + "\n"))
    assert member(text) == written


def test_float_bits_in_the_examples_are_what_they_say() -> None:
    assert struct.unpack(">d", struct.pack(">q", 4846369599423283200))[0] == 1e16
    assert struct.unpack(">d", struct.pack(">q", 4847542438873900484))[0] == 1.2345678901234568e16


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('k=["a","b"]', '"k"'),
        ('k=T["a"]', '"k"'),
        ("k=[]", '"k"'),
        ('k=B["true","false"]', '"k"'),
        ("k=B[]", '"k:Boolean[]"'),
        ('k=L["1","-2"]', '"k"'),
        ("k=L[]", '"k:Long[]"'),
        ('k=D["4607182418800017408","0"]', '"k"'),
        ("k=D[]", '"k:Double[]"'),
        ('k=I["1","2"]', '"k:Integer[]"'),
        ('k=i["1","2"]', '"k:int[]"'),
        ('k=l["1"]', '"k:long[]"'),
        ('k=X["1"]', '"k:Byte[]"'),
        ('k=x["-1"]', '"k:byte[]"'),
        ('k=S["1"]', '"k:Short[]"'),
        ('k=s["1"]', '"k:short[]"'),
        ('k=F["1069547520"]', '"k:Float[]"'),
        ('k=f["1069547520","0"]', '"k:float[]"'),
        ('k=d["4607182418800017408"]', '"k:double[]"'),
        ('k=C["x","\\uDBFF"]', '"k:Character[]"'),
        ('k=c["x","y"]', '"k:char[]"'),
        ("k=c[]", '"k:char[]"'),
        ('k=b["true"]', '"k:boolean[]"'),
        ('k=("a","b")', '"k:Collection<String>"'),
        ("k=()", '"k:Collection<String>"'),
        ('k=I("1","2")', '"k:Collection<Integer>"'),
        ("k=I()", '"k:Collection<Integer>"'),
        ('k=L("1")', '"k:Collection<Long>"'),
        ('k=F("1069547520")', '"k:Collection<Float>"'),
        ('k=D("4607182418800017408")', '"k:Collection<Double>"'),
        ('k=X("1")', '"k:Collection<Byte>"'),
        ('k=S("1")', '"k:Collection<Short>"'),
        ('k=C("x")', '"k:Collection<Character>"'),
        ('k=B("true")', '"k:Collection<Boolean>"'),
    ],
)
def test_felix_arrays_and_collections(line: str, key: str) -> None:
    text = reads_back(felix(line + "\n"))
    assert member(text).startswith(key + ": [")


def test_array_layout_is_json_dumps_indent_2() -> None:
    text = reads_back(felix('a=["x","y"]\nb=i["1"]\nc=[]\nd="z"\n'))
    assert text == (
        '{\n  "a": [\n    "x",\n    "y"\n  ],\n  "b:int[]": [\n    1\n  ],\n  "c": [],\n'
        '  "d": "z"\n}\n'
    )
    assert json.loads(text) == {"a": ["x", "y"], "b:int[]": [1], "c": [], "d": "z"}


def test_keys_keep_the_file_order_and_crlf_is_kept() -> None:
    parsed = felix('# header\r\nz="1"\r\na=I"2"\r\nm=["x"]\r\n')
    text = reads_back(parsed, "\r\n")
    assert text == '{\r\n  "z": "1",\r\n  "a:Integer": 2,\r\n  "m": [\r\n    "x"\r\n  ]\r\n}\r\n'
    assert "\n" not in text.replace("\r\n", "")


def test_no_properties_is_an_empty_object() -> None:
    assert reads_back(felix("# only a comment\n")) == "{}\n"


def test_properties_cfg_values_are_strings() -> None:
    parsed = parse_properties(
        "# comment\nsmtp.host = mail.example.com\nport: 25\nempty=\nwith\\ space=a\\u00e9\\\n"
        "  continued\nkey\\:colon=1\n",
        no_secrets,
    )
    names = [p.name for p in parsed.properties]
    assert names == ["smtp.host", "port", "empty", "with space", "key:colon"]
    assert cfg_json_text(parsed.properties) is None  # "key:colon" would be read as a type hint
    kept = ParsedConfig(parsed.properties[:-1], (), True)
    text = reads_back(kept)
    assert '"port": "25"' in text and '"with space": "aécontinued"' in text


XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"'
    ' xmlns:sling="http://sling.apache.org/jcr/sling/1.0" jcr:primaryType="sling:OsgiConfig"'
)


def xml(attributes: str) -> ParsedConfig:
    parsed = parse_sling_xml(XML_HEAD + attributes + "/>\n", no_secrets)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("attribute", "written"),
    [
        ('k="x"', '"k": "x"'),
        ('k="{String}x"', '"k": "x"'),
        ('k="{Date}2024-01-01T00:00:00.000Z"', '"k": "2024-01-01T00:00:00.000Z"'),
        ('k="{Name}a:b"', '"k": "a:b"'),
        ('k="{Long}-42"', '"k": -42'),
        ('k="{Double}1.5"', '"k": 1.5'),
        ('k="{Double}3"', '"k": 3.0'),
        ('k="{Decimal}0.1"', '"k": 0.1'),
        ('k="{Boolean}true"', '"k": true'),
        ('k="{Boolean}false"', '"k": false'),
        ('k="[a,b\\,c]"', '"k": [\n    "a",\n    "b,c"\n  ]'),
        ('k="{Long}[1,2]"', '"k": [\n    1,\n    2\n  ]'),
        ('k="{Double}[1,2.5]"', '"k": [\n    1.0,\n    2.5\n  ]'),
        ('k="{Boolean}[true]"', '"k": [\n    true\n  ]'),
        ('k="{Path}[/a]"', '"k": [\n    "/a"\n  ]'),
    ],
)
def test_sling_xml_types(attribute: str, written: str) -> None:
    text = reads_back(xml(" " + attribute))
    assert member(text) == written


# ----------------------------------------------------------------------------------------------
# What the writer refuses.


@pytest.mark.parametrize(
    "text",
    [
        'k=F"2143289344"\n',  # NaN
        'k=F"2139095040"\n',  # +Infinity
        'k=D"-4503599627370496"\n',  # -Infinity
        'k=D"9221120237041090560"\n',  # NaN
        'k=d["4607182418800017408","9218868437227405312"]\n',  # an infinity in an array
        'a:b="x"\n',  # a ':' starts a type hint in .cfg.json
        'a="1"\nA="2"\n',  # one property for the .cfg.json reader ("Duplicate property")
    ],
)
def test_refused(text: str) -> None:
    parsed = felix(text)
    assert parsed.readable and parsed.problems == ()
    assert cfg_json_text(parsed.properties) is None


def test_sling_xml_not_a_number_is_refused() -> None:
    assert cfg_json_text(xml(' k="{Double}NaN"').properties) is None
    assert cfg_json_text(xml(' k="{Decimal}1e400"').properties) is None


SPAN = Span(1, 1, 1, 1, 0, 0)


def prop(name: str, type_name: str, *values: Any, multi: bool = False) -> Property:
    return Property(name, type_name, SPAN, SPAN, tuple(Scalar(v, SPAN) for v in values), multi)


@pytest.mark.parametrize(
    "bad",
    [
        prop("k", "Float", 0.1),  # the double 0.1 is no float32
        prop("k", "Integer", 1 << 31),
        prop("k", "Byte", 128),
        prop("k", "Long", 1.5),
        prop("k", "Boolean", 1),
        prop("k", "Double", True),
        prop("k", "Character", "ab"),
        prop("k", "Character", "😀"),
        prop("k", "String", "\ud83d\ude00"),  # two escapes the reader would join into one
        prop("k", "binary", "x"),
        prop("k", "Collection<Date>", "x", multi=True),
        prop("k", "int", 1),  # scalars are named by their boxed type
        prop("k", "String[]", "x"),  # not multi
        prop("k", "String"),  # no value
    ],
)
def test_refused_shapes(bad: Property) -> None:
    assert cfg_json_text([bad]) is None


def test_a_secret_is_never_written_by_default() -> None:
    with pytest.raises(TypeError):
        cfg_json_text([prop("pw", "String", Secret("hunter2"))])
    text = cfg_json_text([prop("pw", "String", Secret("hunter2"))], text_of=lambda p, s: "$[x:Y]")
    assert text == '{\n  "pw": "$[x:Y]"\n}\n'


# ----------------------------------------------------------------------------------------------
# Property tests: legacy text -> legacy reader -> writer -> .cfg.json reader.

KEY_CHARS = list('abcABC019._-~$é😀 =\\"#')
# Mostly names the writer takes; a ':' (a type hint in .cfg.json) now and then.
KEYS = st.one_of(
    st.text(st.sampled_from(KEY_CHARS), min_size=1, max_size=8),
    st.text(st.sampled_from(KEY_CHARS), min_size=1, max_size=8),
    st.text(st.sampled_from([*KEY_CHARS, ":"]), min_size=1, max_size=8),
).filter(lambda k: k.strip(" ") == k and not k.startswith("#"))
SPECIAL_STRINGS = st.sampled_from(
    [
        "",
        " lead",
        "trail ",
        "a=b",
        'say "hi"',
        "two\nlines",
        "crlf\r\n",
        "back\\slash",
        "tab\there",
        "\x00\x01\x1f\x7f",
        "é😀\u2028\ufeff",
        "\ud800",
        "\udfff",
        "#not a comment",
        "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
        "$[secret:SMTP_PASSWORD]",
        "jdbc:mysql://$[env:H]:30001/db",
        "{0123456789abcdef0123456789abcdef}",
        "[a,b]",
        "{Long}1",
        "\\u0041",
    ]
)
STRINGS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=16),
    SPECIAL_STRINGS,
    st.lists(SPECIAL_STRINGS, max_size=3).map("".join),
)
CHARS = st.one_of(
    st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]),
    st.sampled_from(["\ud800", "\udbff", "\udc00", "\x00", "=", '"', "\\", "\n", " "]),
)
INT_BITS = {"I": 32, "L": 64, "X": 8, "S": 16}


# Type code -> raw value: F and D are raw IEEE 754 bit patterns (NaN payloads, infinities,
# subnormals and negative zero included), as a .config file writes them.
RAW: dict[str, st.SearchStrategy[Any]] = {
    "T": STRINGS,
    **{code: java_ints(bits) for code, bits in INT_BITS.items()},
    "F": st.one_of(java_ints(32), st.sampled_from([0, -(1 << 31), 1, 0x7F7FFFFF, 0x7F800000])),
    "D": st.one_of(java_ints(64), st.sampled_from([0, -(1 << 63), 1, 0x7FF0000000000000])),
    "C": CHARS,
    "B": st.booleans(),
}


def felix_simple(code: str, raw: Any) -> str:
    if code == "B":
        return '"true"' if raw else '"false"'
    return '"' + felix_quote(str(raw)) + '"'


@st.composite
def felix_files(draw: st.DrawFn) -> str:
    keys = draw(st.lists(KEYS, max_size=6, unique=True))
    lines = ["# a comment the conversion drops"]
    for key in keys:
        code = draw(st.sampled_from(sorted(RAW)))
        shape = draw(st.sampled_from(["scalar", "array", "primitive", "collection"]))
        type_code = "" if code == "T" and draw(st.booleans()) else code
        if shape == "scalar":
            body = type_code + felix_simple(code, draw(RAW[code]))
        else:
            elements = draw(st.lists(RAW[code], max_size=4))
            if shape == "primitive" and code != "T":
                type_code = type_code.lower()
            opening, closing = ("(", ")") if shape == "collection" else ("[", "]")
            joined = ", \\\n  ".join(felix_simple(code, e) for e in elements)
            body = f"{type_code}{opening}{joined}{',' if draw(st.booleans()) else ''}{closing}"
        lines.append(f"{felix_quote(key)}={body}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


def refusable(properties: tuple[Property, ...]) -> bool:
    """What the writer must refuse: a ':' in a name, names equal ignoring case, NaN/infinity."""
    names = [p.name for p in properties]
    if any(":" in n for n in names) or len({n.lower() for n in names}) < len(names):
        return True
    return any(
        isinstance(s.value, float) and not math.isfinite(s.value)
        for p in properties
        for s in p.values
    )


def check_conversion(parsed: ParsedConfig, newline: str = "\n") -> None:
    assert parsed.readable and parsed.problems == (), parsed.problems
    text = cfg_json_text(parsed.properties, newline)
    assert (text is None) == refusable(parsed.properties)
    if text is None:
        return
    if newline == "\r\n":
        assert "\n" not in text.replace("\r\n", "")
    text.encode("utf-8")  # writable as the UTF-8 file the reader expects
    back = parse_cfg_json(text, no_secrets)
    assert back.readable and back.problems == (), back.problems
    assert_same_properties(parsed.properties, back.properties)


@CI
@given(felix_files())
def test_felix_config_converts_to_identical_values(text: str) -> None:
    newline = "\r\n" if "\r\n" in text else "\n"
    check_conversion(felix(text), newline)


@CI
@given(st.dictionaries(st.one_of(KEYS, STRINGS.filter(bool)), STRINGS, max_size=6))
def test_properties_cfg_converts_to_identical_values(entries: dict[str, str]) -> None:
    text = "#comment\n" + "".join(
        f"{save_convert(k, True)}={save_convert(v, False)}\n" for k, v in entries.items()
    )
    check_conversion(parse_properties(text, no_secrets))


def double_text(bits: int) -> str:
    """A double as ``Double.toString`` spells its specials (other values: Python's repr)."""
    value = struct.unpack("<d", struct.pack("<q", bits))[0]
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


XML_VALUES: dict[str, st.SearchStrategy[str]] = {
    "": XML_TEXT,
    "{Date}": XML_TEXT,
    "{Name}": XML_TEXT,
    "{Long}": java_ints(64).map(str),
    "{Double}": RAW["D"].map(double_text),
    "{Decimal}": st.decimals(allow_nan=False, allow_infinity=False)
    .map(str)
    .filter(lambda t: len(t) < 40),
    "{Boolean}": st.sampled_from(["true", "false", "TRUE", "False"]),
}


@st.composite
def xml_files(draw: st.DrawFn) -> str:
    names = draw(st.lists(XML_NAMES, max_size=6, unique_by=str.upper))
    attributes = []
    for name in names:
        prefix = draw(st.sampled_from(sorted(XML_VALUES)))
        if draw(st.booleans()):
            values = draw(st.lists(XML_VALUES[prefix].filter(bool), min_size=1, max_size=4))
            body = "[" + ",".join(docview_escape(v, True) for v in values) + "]"
        else:
            body = docview_escape(draw(XML_VALUES[prefix].filter(bool)), False)
        attributes.append(f'\n    {name}="{xml_attribute(prefix + body)}"')
    return XML_HEAD + "".join(attributes) + "/>\n"


@CI
@given(xml_files())
def test_sling_xml_converts_to_identical_values(text: str) -> None:
    parsed = parse_sling_xml(text, no_secrets)
    assert parsed is not None
    check_conversion(parsed)


# ----------------------------------------------------------------------------------------------
# The rule, through the CLI.

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"


def check(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    select: str = "CFG004",
) -> tuple[list[dict[str, Any]], str]:
    (project / "aemlint.toml").touch()
    result = run_main(
        ["check", "--select", select, "--output-format", "json"], project, capsys, monkeypatch
    )
    assert result.code in (0, 1), result.err
    return json.loads(result.out), result.out + result.err


def only_fix(findings: list[dict[str, Any]]) -> dict[str, Any] | None:
    cfg004 = [f for f in findings if f["code"] == "CFG004"]
    assert len(cfg004) == 1
    fix: dict[str, Any] | None = cfg004[0]["fix"]
    return fix


def test_felix_config_is_converted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        f"{CONFIG}/com.acme.core.impl.FooImpl.config",
        '# a comment\nenabled=B"true"\nretries=I"3"\nratio=F"1069547520"\n'
        'paths=["/content/a","/content/b"]\nhost="$[env:HOST;default\\=proxy.tunnel]"\n',
    )
    findings, _ = check(tmp_path, capsys, monkeypatch)
    fix = only_fix(findings)
    assert fix is not None
    assert fix["applicability"] == "unsafe"
    assert fix["deletes"] == [f"{CONFIG}/com.acme.core.impl.FooImpl.config"]
    assert fix["renames"] == []
    [edit] = fix["edits"]
    assert edit["filename"] == f"{CONFIG}/com.acme.core.impl.FooImpl.cfg.json"
    assert (edit["location"], edit["end_location"]) == ({"row": 1, "column": 1},) * 2
    assert edit["content"] == (
        '{\n  "enabled": true,\n  "retries:Integer": 3,\n  "ratio:Float": 1.5,\n'
        '  "paths": [\n    "/content/a",\n    "/content/b"\n  ],\n'
        '  "host": "$[env:HOST;default=proxy.tunnel]"\n}\n'
    )
    assert "comments" in fix["message"]


def test_hardcoded_secret_becomes_a_secret_placeholder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        f"{CONFIG}/com.day.cq.mailer.DefaultMailService.config",
        'smtp.host="smtp.example.com"\nsmtp.password="Hunter2-Plant3d"\n'
        'smtp.user="svc"\nbind.password="$[secret:BIND_PW]"\nempty.password=""\n',
    )
    findings, output = check(tmp_path, capsys, monkeypatch, "CFG004,SEC001")
    assert "Hunter2-Plant3d" not in output
    fix = only_fix(findings)
    assert fix is not None
    content = fix["edits"][0]["content"]
    assert json.loads(content) == {
        "smtp.host": "smtp.example.com",
        "smtp.password": "$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]",
        "smtp.user": "svc",
        "bind.password": "$[secret:BIND_PW]",
        "empty.password": "",
    }
    command = (
        "aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> --secret "
        'DEFAULT_MAIL_SERVICE_SMTP_PASSWORD "<value>"'
    )
    assert command in fix["message"]
    # The same NAME as SEC001's.
    [sec001] = [f for f in findings if f["code"] == "SEC001"]
    assert "$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]" in sec001["message"]


def test_secret_in_a_service_folder_uses_the_service_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        f"{CONFIG}.author/com.acme.Api.cfg",
        "api.key=Plant3dKeyValue\n",
    )
    findings, output = check(tmp_path, capsys, monkeypatch)
    assert "Plant3dKeyValue" not in output
    fix = only_fix(findings)
    assert fix is not None
    assert '"api.key": "$[secret:API_API_KEY]"' in fix["edits"][0]["content"]
    assert '--authorSecret API_API_KEY "<value>"' in fix["message"]


def test_credential_pattern_value_becomes_a_secret_placeholder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        f"{CONFIG}/com.acme.Shop.config",
        'jdbc.url="jdbc:mysql://app:S3cr3t-pw9x@db.example.com:3306/shop"\n',
    )
    findings, output = check(tmp_path, capsys, monkeypatch, "CFG004,SEC004")
    assert "S3cr3t-pw9x" not in output
    fix = only_fix(findings)
    assert fix is not None
    assert json.loads(fix["edits"][0]["content"]) == {"jdbc.url": "$[secret:SHOP_JDBC_URL]"}
    assert '--secret SHOP_JDBC_URL "<value>"' in fix["message"]


@pytest.mark.parametrize(
    "line",
    [
        'password="{0123456789abcdef0123456789abcdef0123}"',  # CryptoSupport, secret-named
        'opaque="{0123456789abcdef0123456789abcdef0123}"',  # CryptoSupport, any name
        'password="$[secret:PW;default\\=Plant3dDefault]"',  # a secret default
        'url="$[secret:URL;default\\=Plant3dDefault]"',  # a secret placeholder's default
        'password=("Plant3dInACollection")',  # not interpolated: no placeholder possible
        'password="****"',  # masked: not replaced, not written either
        'password=["Plant3dOne","Plant3dTwo"]',  # two secrets, one NAME
    ],
)
def test_content_that_would_hold_a_secret_is_withheld(
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, f"{CONFIG}/com.acme.Foo.config", f'{line}\nother="x"\n')
    findings, output = check(tmp_path, capsys, monkeypatch)
    assert "Plant3d" not in output and "0123456789abcdef" not in output
    fix = only_fix(findings)
    assert fix is not None
    [edit] = fix["edits"]
    assert edit["content"] is None
    assert edit["filename"] == f"{CONFIG}/com.acme.Foo.cfg.json"
    assert "by hand" in fix["message"]


def test_same_secret_twice_in_an_array_is_one_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, f"{CONFIG}/com.acme.Foo.config", 'tokens=["Plant3dSame","Plant3dSame"]\n')
    findings, output = check(tmp_path, capsys, monkeypatch)
    assert "Plant3d" not in output
    fix = only_fix(findings)
    assert fix is not None
    content = fix["edits"][0]["content"]
    assert json.loads(content) == {"tokens": ["$[secret:FOO_TOKENS]", "$[secret:FOO_TOKENS]"]}
    assert fix["message"].count("set-variables") == 1


@pytest.mark.parametrize(
    "twin",
    [
        "com.acme.Foo.cfg.json",
        "com.acme.Foo.xml",
        "com.acme.Foo.cfg",
        "sub/com.acme.Foo.cfg.json",  # a sub-folder of the same configuration folder
    ],
)
def test_no_fix_beside_a_twin(
    twin: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, f"{CONFIG}/com.acme.Foo.config", 'a="1"\n')
    twin_text = {
        "json": '{"a": "1"}\n',
        "xml": XML_HEAD + ' a="1"/>\n',
        "cfg": "a=1\n",
    }[twin.rsplit(".", 1)[1]]
    write(tmp_path, f"{CONFIG}/{twin}", twin_text)
    findings, _ = check(tmp_path, capsys, monkeypatch)
    assert all(f["fix"] is None for f in findings)
    assert any(f["filename"].endswith("com.acme.Foo.config") for f in findings)


def test_other_folders_are_not_twins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, f"{CONFIG}/com.acme.Foo.config", 'a="1"\n')
    write(tmp_path, f"{CONFIG}.author/com.acme.Foo.cfg.json", '{"a": "2"}\n')
    findings, _ = check(tmp_path, capsys, monkeypatch)
    fix = only_fix(findings)
    assert fix is not None and fix["edits"][0]["content"] == '{\n  "a": "1"\n}\n'


def test_crlf_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / CONFIG / "com.acme.Foo.config"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'# header\r\na="1"\r\nb=["x","y"]\r\n')
    findings, _ = check(tmp_path, capsys, monkeypatch)
    fix = only_fix(findings)
    assert fix is not None
    assert fix["edits"][0]["content"] == (
        '{\r\n  "a": "1",\r\n  "b": [\r\n    "x",\r\n    "y"\r\n  ]\r\n}\r\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        'a=I"abc"\n',  # CFG001: the platform's reader fails
        'a=x\nb="y"\n',  # CFG008: an unquoted value is dropped
        'a=B"yes"\n',  # CFG008: read as false
        'a="1"\na="2"\n',  # CFG002: the first value is lost
        'a=F"2143289344"\n',  # NaN: no .cfg.json reads back to it
    ],
)
def test_no_fix_for_files_not_read_faithfully(
    text: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, f"{CONFIG}/com.acme.Foo.config", text)
    findings, _ = check(tmp_path, capsys, monkeypatch)
    assert only_fix(findings) is None


def test_content_xml_node_becomes_a_file_beside_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        f"{CONFIG}/com.acme.Baz/.content.xml",
        XML_HEAD + ' retries="{Long}3" names="[a,b]"/>\n',
    )
    findings, _ = check(tmp_path, capsys, monkeypatch)
    fix = only_fix(findings)
    assert fix is not None
    assert fix["deletes"] == [f"{CONFIG}/com.acme.Baz/.content.xml"]
    [edit] = fix["edits"]
    assert edit["filename"] == f"{CONFIG}/com.acme.Baz.cfg.json"
    assert json.loads(edit["content"]) == {"retries": 3, "names": ["a", "b"]}


def test_dash_factory_keeps_its_identity_with_a_tilde(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, f"{CONFIG}/org.acme.Factory-demo-1.config", 'a="1"\n')
    write(tmp_path, f"{CONFIG}/org.acme.Other~x.config.xml", XML_HEAD + ' a="1"/>\n')
    findings, _ = check(tmp_path, capsys, monkeypatch)
    targets = sorted(f["fix"]["edits"][0]["filename"] for f in findings)
    assert targets == [
        f"{CONFIG}/org.acme.Factory~demo-1.cfg.json",
        f"{CONFIG}/org.acme.Other~x.cfg.json",
    ]
