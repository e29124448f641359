"""``aemlint.model.placeholder_checks``: the malformed-placeholder scanner and value locations."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aemlint.model.placeholder_checks import FileLocator, find_malformed, name_problem
from aemlint.parsing.placeholders import find_placeholders
from aemlint.parsing.text import LineIndex


@pytest.mark.parametrize(
    ("text", "category", "replacement"),
    [
        ("${env:X_1}", "'${' instead of '$['", "$[env:X_1]"),
        ("${secret:X_1]", "'${' instead of '$['", "$[secret:X_1]"),
        ("${ENV:X_1}", "'${' instead of '$['", "$[env:X_1]"),
        ("${env:X_1", "'${' instead of '$['", None),
        ("$[env X_1]", "no ':' after the type", "$[env:X_1]"),
        ("$[secret.X_1]", "no ':' after the type", "$[secret:X_1]"),
        ("$[env]", "no ':' after the type", None),
        ("$[ENV:X_1]", "type not in lower case", "$[env:X_1]"),
        ("$[ env:X_1]", "space around the type", "$[env:X_1]"),
        ("$[evn:X_1]", "unknown type", "$[env:X_1]"),
        ("$[foo:X_1]", "unknown type", None),
        ("$[env:X_1", "unterminated", None),
        ("$[env:X_1}", "closed with '}'", "$[env:X_1]"),
        ("$[env:X_1;defualt=a]", "unknown directive", "$[env:X_1;default=a]"),
        ("$[env:X_1;dflt=a]", "unknown directive", None),
        ("$[env:X_1;type=Integr]", "unknown type= conversion", None),
        ("$[env:]", "empty name", None),
        ("$[env: ;default=a]", "empty name", None),
        ("$[SMTP_HOST]", "no type", None),
    ],
)
def test_malformed(text: str, category: str, replacement: str | None) -> None:
    found = find_malformed(text)
    assert [(m.category, m.replacement) for m in found] == [(category, replacement)]
    assert found[0].start == 0


@pytest.mark.parametrize(
    "text",
    [
        "${appId}",
        "${env.HOME}",
        "${{SPLUNK_TOKEN}}",
        "${{ secrets.X }}",
        "^/content/[a-z]+$[^:]",
        "[A-Z]$[0-9]",
        "\\$[env X]",
        "$[environment]",
        "$[env:A;default=]",
        "$[env:A;]",
        "$[env:P;type=Integer[];delimiter=,;default=1,2]",
        "$[env:A;default=$[env:B;default=c]]",
        "$[prop:sling.home]",
        "$[conf:other]",
        "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db",
        "$[secret:P;default=x\\;y]",
        "text without placeholders",
    ],
)
def test_not_malformed(text: str) -> None:
    assert find_malformed(text) == []


def test_a_typo_fix_keeps_the_default_but_flags_it() -> None:
    (bad,) = find_malformed("$[secret:P;defualt=hunter2]")
    assert bad.replacement == "$[secret:P;default=hunter2]"
    assert bad.carries_value
    assert "hunter2" not in bad.reason and "hunter2" not in bad.category


@given(st.text(alphabet="$[]{}:;=\\ envsecrtENVpdfaulXY_.-", max_size=40))
def test_the_fast_path_agrees_with_the_full_scan(text: str) -> None:
    assert find_malformed(text, find_placeholders(text)) == find_malformed(text)


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    for m in find_malformed(text, find_placeholders(text)):
        assert 0 <= m.start < m.end <= len(text) or (m.start == m.end == len(text))


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("SMTP_HOST", None),
        ("_x", None),
        ("X" * 100, None),
        ("X", "has 1 character (2 to 100 are allowed)"),
        ("X" * 101, "has 101 characters (2 to 100 are allowed)"),
        ("1ST", "starts with a digit"),
        ("server-url", "contains '-' (only letters, digits and _ are allowed)"),
        ("a b", "contains whitespace or other characters (only letters, digits and _ are allowed)"),
    ],
)
def test_name_problem(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


def _located(line_prefix: str, value: str, start: int, end: int) -> tuple[str, str]:
    """(the file text under the mapped span, the value's own slice)."""
    token = json.dumps(value)
    text = f"{{\n{line_prefix}{token}\n}}\n"
    offset = text.index(token)
    span = LineIndex(text).span(offset, offset + len(token))
    where = FileLocator(text).value(span, value)
    mapped = where.at(start, end)
    return text[mapped.start : mapped.end], value[start:end]


@pytest.mark.parametrize(
    "value",
    [
        "jdbc:mysql://$[env:H]:30001/db",
        'tab\there "quoted" $[env:H] back\\slash',
        "line\nbreak $[env:H]",
        "unicode é 😀 $[env:H] after",
        "ctrl \x01 $[env:H]",
    ],
)
def test_value_offsets_map_through_json_escapes(value: str) -> None:
    start = value.index("$[")
    in_file, in_value = _located('  "k": ', value, start, start + len("$[env:H]"))
    assert in_file == in_value == "$[env:H]"


def test_unmappable_values_fall_back_to_the_whole_value() -> None:
    text = '{"k": "abc"}'
    span = LineIndex(text).span(6, 11)
    where = FileLocator(text).value(span, "something else")
    assert where.at(0, 3) == span
    assert where.exact(0, 3) is None
    assert FileLocator(None).value(span, "abc").at(0, 1) == span


def test_exact_refuses_ranges_holding_escapes() -> None:
    value = 'a"b $[env:H]'
    token = json.dumps(value)
    text = f'{{"k": {token}}}'
    offset = text.index(token)
    where = FileLocator(text).value(LineIndex(text).span(offset, offset + len(token)), value)
    assert where.exact(0, 3) is None  # covers the \" escape
    start = value.index("$[")
    exact = where.exact(start, len(value))
    assert exact is not None and text[exact.start : exact.end] == "$[env:H]"
