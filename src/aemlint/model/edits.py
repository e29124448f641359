"""Fix edits inside string values, written in the syntax of the file they change.

A rule says *what* text a string value should hold (``replace_value``) or what should replace
a range of it (``replace_in_value``); this module finds *where* that is in the file and escapes
the text for the file's form (:mod:`aemlint.parsing.literals`). Where the position cannot be
found exactly (a value written with escapes around the range, a typed ``.config`` value) the
answer is None: the finding then has no fix rather than a fix that could damage the file.
"""

from __future__ import annotations

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, ValueLocator
from aemlint.parsing.literals import write_text
from aemlint.parsing.values import Property, Scalar
from aemlint.types import Edit, Secret, Span

__all__ = ["content_span", "edit_at", "replace_in_value", "replace_value"]


def _quote_of(cfg: OsgiConfig, prop: Property, source: str) -> str:
    """The XML attribute's quote character (``"`` or ``'``)."""
    first = source[prop.value_span.start : prop.value_span.start + 1]
    return first if first in "\"'" else '"'


def content_span(cfg: OsgiConfig, prop: Property, scalar: Scalar, source: str) -> Span | None:
    """The span of a string value's text inside its token: without quotes, a ``.config`` type
    code or an XML ``{Type}`` prefix. None when the token is not a string as expected."""
    span = scalar.span
    token = source[span.start : span.end]
    form = cfg.place.form
    if form == "cfg":
        return span
    if form == "xml" and prop.is_multi:
        return span
    if form == "cfg.json":
        if len(token) < 2 or token[0] != '"' or token[-1] != '"':
            return None
        first, last = 1, len(token) - 1
    elif form == "config":
        opening = token.find('"')
        if opening not in (0, 1) or len(token) < opening + 2 or token[-1] != '"':
            return None
        first, last = opening + 1, len(token) - 1
    else:
        if len(token) < 2 or token[0] not in "\"'" or token[-1] != token[0]:
            return None
        first, last = 1, len(token) - 1
        if token.startswith("{", first):
            close = token.find("}", first)
            if close < 0:
                return None
            first = close + 1
    locate = FileLocator(source)
    return locate.span(span.start + first, span.start + last)


def edit_at(
    cfg: OsgiConfig, prop: Property, at: Span, text: str, at_start: bool, source: str
) -> Edit | None:
    """An edit writing plain ``text`` at ``at`` inside a string value of ``prop``, escaped for
    the file's form (``at_start``: ``at`` begins the value); None when the form cannot."""
    quote = _quote_of(cfg, prop, source) if cfg.place.form == "xml" else '"'
    written = write_text(
        cfg.place.form, text, at_start=at_start, quote=quote, in_array=prop.is_multi
    )
    return None if written is None else Edit(cfg.path, at, written)


def replace_value(
    cfg: OsgiConfig, prop: Property, scalar: Scalar, text: str, source: str | None
) -> Edit | None:
    """An edit making the string ``scalar`` of ``prop`` hold exactly ``text``."""
    if source is None or not isinstance(scalar.value, str | Secret):
        return None
    at = content_span(cfg, prop, scalar, source)
    if at is None:
        return None
    return edit_at(cfg, prop, at, text, True, source)


def replace_in_value(
    cfg: OsgiConfig,
    prop: Property,
    scalar: Scalar,
    start: int,
    end: int,
    text: str,
    source: str | None,
) -> Edit | None:
    """An edit replacing ``value[start:end]`` of the string ``scalar`` with ``text`` (an
    insertion when ``start == end``), where the file holds that range exactly."""
    value = scalar.value
    if source is None or not isinstance(value, str):
        return None
    at = ValueLocator(FileLocator(source), scalar.span, value).exact(start, end)
    if at is None:
        return None
    return edit_at(cfg, prop, at, text, start == 0, source)
