"""Placeholders as Felix's ``Interpolator`` finds them."""

from __future__ import annotations

import pytest

from aemlint.parsing.placeholders import (
    Candidate,
    find_placeholders,
    iter_candidates,
    parse_directives,
)
from aemlint.parsing.values import Placeholder
from aemlint.types import Secret


def only(text: str, secret_context: bool = False) -> Placeholder:
    found = find_placeholders(text, secret_context)
    assert len(found) == 1, found
    return found[0]


def test_no_marker_is_fast_and_empty() -> None:
    assert find_placeholders("plain value") == ()
    assert find_placeholders("") == ()


def test_simple_env() -> None:
    p = only("$[env:AEM_PROXY_HOST]")
    assert (p.kind, p.name, p.directives, p.start, p.end) == ("env", "AEM_PROXY_HOST", (), 0, 21)
    assert p.default is None


def test_embedded_in_uri_with_default() -> None:
    text = "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db"
    p = only(text)
    assert p.kind == "env"
    assert p.name == "AEM_PROXY_HOST"
    assert p.default == "proxy.tunnel"
    assert text[p.start : p.end] == "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
    assert text[p.end :] == ":30001/db"


def test_several_in_one_string() -> None:
    text = "https://$[env:HOST]:$[env:PORT;default=443]/x?$[secret:TOKEN]"
    found = find_placeholders(text)
    assert [(p.kind, p.name) for p in found] == [
        ("env", "HOST"),
        ("env", "PORT"),
        ("secret", "TOKEN"),
    ]
    assert [text[p.start : p.end] for p in found] == [
        "$[env:HOST]",
        "$[env:PORT;default=443]",
        "$[secret:TOKEN]",
    ]


def test_typed_array_directives_nested_brackets() -> None:
    text = "$[env:PORT;type=Integer[];delimiter=,;default=8080,8081]"
    p = only(text)
    assert p.end == len(text)
    assert p.directives == (("type", "Integer[]"), ("delimiter", ","), ("default", "8080,8081"))
    assert p.directive("type") == "Integer[]"
    assert p.directive("delimiter") == ","


def test_empty_default() -> None:
    p = only("$[env:OPTIONAL;default=]")
    assert p.default == ""


def test_directive_without_equals_is_empty() -> None:
    p = only("$[env:A;flag;x=1=2]")
    assert p.directives == (("flag", ""), ("x", "1=2"))


def test_repeated_directive_keeps_last_value() -> None:
    p = only("$[env:A;default=one;default=two]")
    assert p.directives == (("default", "two"),)


def test_escaped_semicolon_in_default() -> None:
    p = only(r"$[env:A;default=a\;b;type=String]")
    assert p.default == "a;b"
    assert p.directive("type") == "String"


def test_double_backslash_before_semicolon_splits() -> None:
    assert parse_directives("default=a\\\\;type=String") == {
        "default": "a\\\\",
        "type": "String",
    }


def test_escaped_start_is_not_a_placeholder() -> None:
    assert find_placeholders(r"literal \$[env:X] text") == ()
    assert find_placeholders(r"\$[env:X]") == ()


def test_double_backslash_does_not_escape() -> None:
    text = "\\\\$[env:X]"
    p = only(text)
    assert (p.start, p.end) == (2, len(text))


def test_escaped_closing_bracket_is_literal() -> None:
    text = r"$[env:A;default=x\]y]"
    p = only(text)
    assert p.default == "x]y"
    assert p.end == len(text)


def test_escaped_opening_bracket_is_not_counted() -> None:
    text = r"$[env:A;default=x\[y]"
    p = only(text)
    assert p.default == "x[y"
    assert p.end == len(text)


def test_no_colon_is_skipped_but_scan_continues() -> None:
    text = "$[nope] and $[env:Z]"
    p = only(text)
    assert p.name == "Z"
    assert p.start == 12


def test_unterminated_stops_the_scan() -> None:
    assert find_placeholders("$[env:A") == ()
    # Felix stops at the first unterminated start: the later, complete one is not interpolated.
    assert find_placeholders("$[env:A $[env:B]") == ()
    assert find_placeholders("$[env:A] $[ $[env:B]") == (Placeholder("env", "A", (), 0, 8),)


def test_nested_placeholders_are_all_reported() -> None:
    text = "$[env:X;default=$[env:Y]]"
    found = find_placeholders(text)
    assert [(p.name, p.start, p.end) for p in found] == [("X", 0, 25), ("Y", 16, 24)]
    assert found[0].default == "$[env:Y]"


def test_name_runs_to_first_semicolon_and_may_contain_colons() -> None:
    p = only("$[env:a:b;default=c]")
    assert (p.kind, p.name, p.default) == ("env", "a:b", "c")


def test_kind_is_text_before_first_colon() -> None:
    assert only("$[ENV:X]").kind == "ENV"
    assert only("$[prop:some.prop]").kind == "prop"
    assert only("$[:X]").kind == ""


def test_velocity_maven_and_cm_tokens_are_not_placeholders() -> None:
    assert find_placeholders("${appId} ${env.X} ${{X}} $env:X $ [env:X]") == ()


def test_secret_placeholder_directives_are_secrets() -> None:
    p = only("$[secret:PASSWORD;default=hunter2]")
    default = p.default
    assert isinstance(default, Secret)
    assert default.reveal() == "hunter2"
    with pytest.raises(AssertionError):
        str(default)


def test_secret_context_wraps_env_defaults() -> None:
    p = only("$[env:USER_PASSWORD;default=hunter2;type=String]", secret_context=True)
    assert all(isinstance(value, Secret) for _, value in p.directives)
    assert p.default == Secret("hunter2")


def test_env_defaults_are_plain_outside_secret_context() -> None:
    assert only("$[env:HOST;default=localhost]").default == "localhost"


def test_offsets_into_non_ascii_text() -> None:
    text = "ünïcödé $[env:X] ✓"
    p = only(text)
    assert text[p.start : p.end] == "$[env:X]"
    assert p.start == 8


def test_candidates_expose_malformed_ones() -> None:
    assert list(iter_candidates("$[nope] $[env:X] $[open")) == [
        Candidate(0, 7, "nope"),
        Candidate(8, 16, "env:X"),
        Candidate(17, None, None),
    ]
    assert list(iter_candidates(r"\$[env:X]")) == []


def test_body_drops_bracket_escapes() -> None:
    assert list(iter_candidates(r"$[env:A;default=\]]")) == [
        Candidate(0, 19, "env:A;default=]"),
    ]


# ----------------------------------------------------------------------------------------------
# Differential tests against a line-by-line port of Felix's Interpolator (mutating the string as
# Felix does), on strings made of the characters that matter.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FELIX_TEXT = st.lists(
    st.sampled_from(["$[", "$", "[", "]", "\\", ":", ";", "=", "a", "env:", "default="]),
    max_size=16,
).map("".join)


def felix_boundaries(text: str, start: int) -> tuple[int, str] | None:
    """``getMarkerBoundaries`` from a known start, on a mutable copy: (end offset in ``text``
    after the closing ``]``, body as Felix slices it), or None."""
    value = list(text)
    origin = list(range(len(text)))
    index = start + 2
    end = -1
    count = 1
    while index < len(value) and count > 0:
        if value[index] == "]":
            if value[index - 1] != "\\" or value[index - 2] == "\\":
                end = index
                count -= 1
            else:
                del value[index - 1]
                del origin[index - 1]
                index -= 1
        if value[index] == "[":
            if value[index - 1] != "\\" or value[index - 2] == "\\":
                count += 1
            else:
                del value[index - 1]
                del origin[index - 1]
                index -= 1
        index += 1
    if count > 0:
        return None
    return origin[end] + 1, "".join(value[start + 2 : end])


def felix_parse_directives(value: str) -> dict[str, str]:
    directives: dict[str, str] = {}
    index = 0
    while index <= len(value):
        split = False
        if index == len(value):
            split = True
        elif value[index] == ";":
            if index > 0 and value[index - 1] == "\\" and (index == 1 or value[index - 2] != "\\"):
                value = value[: index - 1] + value[index:]
                index -= 1
            else:
                split = True
        if split:
            kv = value[:index].split("=", 1)
            directives[kv[0]] = kv[1] if len(kv) == 2 else ""
            if index == len(value):
                break
            value = value[index + 1 :]
            index = -1
        index += 1
    return directives


@settings(max_examples=300, deadline=None)
@given(text=FELIX_TEXT)
def test_boundaries_match_felix(text: str) -> None:
    expected: list[Candidate] = []
    start = text.find("$[")
    while start != -1:
        escaped = start > 0 and text[start - 1] == "\\" and (start == 1 or text[start - 2] != "\\")
        if not escaped:
            found = felix_boundaries(text, start)
            if found is None:
                expected.append(Candidate(start, None, None))
                break
            expected.append(Candidate(start, found[0], found[1]))
        start = text.find("$[", start + 1)
    assert list(iter_candidates(text)) == expected


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["\\", ";", "=", "a", "b"]), max_size=12).map("".join))
def test_directives_match_felix(text: str) -> None:
    assert parse_directives(text) == felix_parse_directives(text)
