"""OSGi interpolation placeholders (``$[type:name;directive=value…]``) inside string values.

Read exactly as Apache Felix's ``configadmin-plugins/interpolation`` ``Interpolator`` reads them
(the plugin AEM as a Cloud Service uses to resolve ``$[env:…]`` and ``$[secret:…]``):

- A placeholder starts at ``$[``. A ``$[`` preceded by one backslash is escaped (Felix removes the
  backslash and skips it); two backslashes (``\\\\$[``) do not escape it
  (``getNextStartMarker``).
- Its end is found by counting brackets: every ``[`` after the start opens one more level, every
  ``]`` closes one, and the placeholder ends where the count returns to zero, so
  ``$[env:P;type=Integer[];delimiter=,]`` ends at the last ``]``. A ``[`` or ``]`` preceded by one
  backslash is literal (the backslash is dropped); after two backslashes it counts
  (``getMarkerBoundaries``).
- No end (the count never returns to zero): nothing in the rest of the string is interpolated
  (``replace``: "no placeholder found -> end").
- The text between ``$[`` and the end is ``type:name;directives``: no ``:`` means "invalid key"
  and the start is skipped; the type is the text before the first ``:``, the name runs up to the
  first ``;`` (not escape-aware), the rest are directives.
- Directives (``parseDirectives``) are split at every ``;`` not preceded by exactly one backslash
  (an escaped ``\\;`` becomes ``;``), each at its first ``=`` (no ``=``: the value is empty); a
  repeated directive keeps its last value.
- Placeholders nest: Felix interpolates the name and the directives recursively, and when an outer
  placeholder is left unresolved its scan moves on into it; so every start inside another
  placeholder is a placeholder too. :func:`find_placeholders` returns them all, in order of start.

One Felix quirk is not reproduced: Felix deletes escaping backslashes from the string as it scans
and, when a placeholder stays unresolved, scans the same region again, so the second pass can see
a start or a bracket whose escape it already removed (``a\\$[x:]=$[y:]`` reports ``$[x:]`` there).
Here an escape always escapes.

Velocity, Maven or Cloud Manager tokens (``${appId}``, ``${env.X}``, ``${{X}}``) use ``{``, not
``[``, and are never placeholders. Malformed ``$[`` (no ``:``, unterminated) yield no
:class:`Placeholder`; :func:`iter_candidates` exposes the raw candidates for a rule that reports
them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from aemlint.parsing.values import Placeholder, new_placeholder
from aemlint.types import Secret

_START = "$["
_ESCAPE = "\\"
_BRACKET = re.compile(r"[\[\]]")

__all__ = ["Candidate", "find_placeholders", "iter_candidates", "parse_directives"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One unescaped ``$[`` as Felix's scanner sees it.

    ``end`` is the offset after the closing ``]`` (None when the placeholder is unterminated);
    ``body`` is the text between ``$[`` and ``]`` with bracket escapes removed (None when
    unterminated). A Felix-valid placeholder has a ``:`` in ``body``.
    """

    start: int
    end: int | None
    body: str | None


def _is_escaped(text: str, start: int) -> bool:
    """Felix ``getNextStartMarker``: ``\\$[`` is escaped, ``\\\\$[`` is not."""
    return start > 0 and text[start - 1] == _ESCAPE and (start == 1 or text[start - 2] != _ESCAPE)


def _bracket_matches(text: str) -> tuple[dict[int, int], list[int]]:
    """Felix ``getMarkerBoundaries`` for every start at once.

    Felix counts, from a start's ``[``, every later ``[`` up and every ``]`` down, and ends where
    the count returns to zero: that is the ``]`` matching the start's ``[`` when brackets are
    paired with a stack. A ``[`` or ``]`` preceded by exactly one backslash is not counted (Felix
    drops the backslash; the checks only look back two characters and never across a dropped
    one, so the original text gives the same answer). One pass, whatever the nesting.

    Returns the matching ``]`` of each ``[`` and the offsets of the escaping backslashes.
    """
    matches: dict[int, int] = {}
    escapes: list[int] = []
    open_brackets: list[int] = []
    for bracket in _BRACKET.finditer(text):
        index = bracket.start()
        if index >= 2 and text[index - 1] == _ESCAPE and text[index - 2] != _ESCAPE:
            escapes.append(index - 1)
        elif bracket.group() == "[":
            open_brackets.append(index)
        elif open_brackets:
            matches[open_brackets.pop()] = index
    return matches, escapes


def _body(text: str, start: int, end: int, escapes: list[int]) -> str:
    """The text between ``$[`` at ``start`` and ``]`` at ``end``, bracket escapes dropped."""
    first = bisect_left(escapes, start + 2)
    last = bisect_left(escapes, end)
    if first == last:
        return text[start + 2 : end]
    pieces: list[str] = []
    previous = start + 2
    for cut in escapes[first:last]:
        pieces.append(text[previous:cut])
        previous = cut + 1
    pieces.append(text[previous:end])
    return "".join(pieces)


def iter_candidates(text: str) -> Iterator[Candidate]:
    """Every unescaped ``$[`` in ``text``, in order, as far as Felix scans.

    After an unterminated candidate (``end`` None) Felix stops interpolating the string, so the
    iteration stops there too (that candidate is the last one yielded).
    """
    start = text.find(_START)
    if start == -1:
        return
    matches, escapes = _bracket_matches(text)
    while start != -1:
        if not _is_escaped(text, start):
            end = matches.get(start + 1)
            if end is None:
                yield Candidate(start, None, None)
                return
            yield Candidate(start, end + 1, _body(text, start, end, escapes))
        start = text.find(_START, start + 1)


def parse_directives(value: str) -> dict[str, str]:
    """Felix ``Interpolator.parseDirectives``: ``k=v;k2=v2``, ``\\;`` escapes a ``;``."""
    directives: dict[str, str] = {}
    if _ESCAPE not in value:
        for part in value.split(";"):
            key, _, directive_value = part.partition("=")
            directives[key] = directive_value
        return directives
    index = 0
    while index <= len(value):
        split = False
        if index == len(value):
            split = True
        elif value[index] == ";":
            if (
                index > 0
                and value[index - 1] == _ESCAPE
                and (index == 1 or value[index - 2] != _ESCAPE)
            ):
                value = value[: index - 1] + value[index:]
                index -= 1
            else:
                split = True
        if split:
            key, _, directive_value = value[:index].partition("=")
            directives[key] = directive_value
            if index == len(value):
                break
            value = value[index + 1 :]
            index = -1
        index += 1
    return directives


def find_placeholders(text: str, secret_context: bool = False) -> tuple[Placeholder, ...]:
    """The placeholders Felix would interpolate in ``text`` (a string value, already unescaped).

    ``start``/``end`` are offsets into ``text``, ``end`` exclusive (covering ``$[`` … ``]``).
    Directive values are :class:`Secret` when the placeholder is a ``secret`` one or
    ``secret_context`` is True (the value sits in a secret-named property).
    """
    if _START not in text:
        return ()
    if _ESCAPE not in text and text.count("[") == 1 and text.count("]") == 1:
        # The common case, one bracket pair and no escapes: the "$[" opens the only "[", and
        # it is terminated exactly when the only "]" follows it (what iter_candidates finds).
        start = text.find(_START)
        close = text.find("]", start + 2)
        if close == -1:
            return ()
        one = _placeholder(text[start + 2 : close], start, close + 1, secret_context)
        return () if one is None else (one,)
    found: list[Placeholder] = []
    for candidate in iter_candidates(text):
        body = candidate.body
        if body is None or candidate.end is None:
            break
        placeholder = _placeholder(body, candidate.start, candidate.end, secret_context)
        if placeholder is not None:
            found.append(placeholder)
    return tuple(found)


def _placeholder(body: str, start: int, end: int, secret_context: bool) -> Placeholder | None:
    """The placeholder of a terminated candidate's ``body``, or None (no ``:``: not one)."""
    sep = body.find(":")
    if sep == -1:
        return None
    kind = body[:sep]
    postfix = body[sep + 1 :]
    dir_pos = postfix.find(";")
    if dir_pos == -1:
        name = postfix
        directives: tuple[tuple[str, str | Secret], ...] = ()
    else:
        name = postfix[:dir_pos]
        parsed = parse_directives(postfix[dir_pos + 1 :])
        if secret_context or kind == "secret":
            directives = tuple((key, Secret(value)) for key, value in parsed.items())
        else:
            directives = tuple(parsed.items())
    return new_placeholder(kind, name, directives, start, end)
