"""Typed property values -> ``.cfg.json`` text that reads back to exactly the same values.

The inverse of :mod:`aemlint.parsing.cfg_json` for the values the legacy readers produce
(:mod:`~aemlint.parsing.felix_config`, :mod:`~aemlint.parsing.properties`,
:mod:`~aemlint.parsing.sling_xml`): :func:`cfg_json_text` writes a configuration's properties as a
``.cfg.json`` file whose reading (``parse_cfg_json``) gives, property by property, the same name,
``type_name`` and values. It is what CFG004's conversion writes.

Type mapping (plain JSON where the reader's unhinted type is the right one, else a ``:Type``
hint on the key, which the reader converts with the OSGi converter):

=========================================  ===============================================
typed value                                written as
=========================================  ===============================================
``String``                                 ``"k": "text"``
``Boolean``                                ``"k": true``
``Long``                                   ``"k": 42`` (an integral JSON number is a Long)
``Double``                                 ``"k": 1.5`` (a number with a fraction is a Double)
``Integer`` / ``Short`` / ``Byte``         ``"k:Integer": 42`` (``:Short``, ``:Byte``)
``Float``                                  ``"k:Float": 1.75`` (the shortest decimal that the
                                           reader's double-then-float32 rounding gives back)
``Character``                              ``"k:Character": "x"``
``String[]``                               ``"k": ["a", "b"]``
``Boolean[]`` / ``Long[]`` / ``Double[]``  ``"k": [true]`` / ``[1]`` / ``[1.5]`` when not empty;
                                           an empty one carries its hint (``[]`` alone is a
                                           ``String[]``)
any other array (``int[]``, ``Integer[]``,  the hint as written: ``"k:int[]": [1, 2]``,
``float[]``, ``char[]``…)                  ``"k:char[]": ["a", "b"]`` (one string per element)
``Collection<T>``                          ``"k:Collection<T>": […]``
=========================================  ===============================================

Numbers: integers are written in decimal; a ``Double`` is written with Python's shortest
round-trip ``repr`` (which the reader parses with the same ``float``); a ``Float`` with the
shortest ``%g`` form that the reader turns back into the same float32 (it parses a double, then
narrows it as Java's ``(float)`` cast does, round-half-even). Every ``Float``/``Double`` literal
keeps a fraction digit or an exponent that leaves a fraction (``2.0``, ``1.5e-07``, never
``1.5e1``), because the reader takes a number whose ``BigDecimal`` scale is 0 for a ``Long``.
``-0.0`` keeps its sign.

Strings are JSON-escaped (``"``, ``\\``, control characters); other characters are written as
they are (the file is UTF-8), except lone UTF-16 surrogates (possible in Java strings), which are
written as ``\\uXXXX`` escapes.

Refused (the result is None: no text reads back identically): NaN and infinities (JSON has no
literal for them and the converter gives none from a string); a ``Float`` that is not a float32
value; a number outside its type's range; a ``Character`` that is not one UTF-16 unit; a lone
high surrogate directly followed by a lone low one (the reader joins them into one character);
a property name containing ``:`` (the reader takes what follows for a type hint); two names
equal ignoring case (the reader rejects the file: "Duplicate property"); a ``binary`` or an
unknown type. Nothing else is lost but the comments of the original file, which this module
never sees.

The layout is ``json.dumps(…, indent=2)``'s: one property per line, arrays one element per line,
keys in the given order, a final line break; ``newline`` chooses ``\\n`` or ``\\r\\n``.

String values come from ``text_of`` (default: the value itself): the caller decides what a
:class:`~aemlint.types.Secret` becomes (a ``$[secret:NAME]`` placeholder, for instance); the
default refuses to write one (TypeError), so a secret value never reaches the text by accident.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Final

from aemlint.parsing.cfg_json import _SCALAR_TYPES
from aemlint.parsing.values import Property, Scalar
from aemlint.types import Secret

__all__ = ["cfg_json_text"]

TextOf = Callable[[Property, Scalar], str]

# Boxed element type of each scalar, array element and collection element name: the reader's
# own table, so the two never disagree.
_ELEMENT: Final = _SCALAR_TYPES
_BOXED: Final = frozenset(_ELEMENT.values())
# Scalars the reader gives without a hint: a JSON string, boolean, integral or decimal number.
_NATURAL_SCALARS: Final = frozenset({"String", "Boolean", "Long", "Double"})
# Arrays the reader gives without a hint when they are not empty ([] alone is a String[]).
_NATURAL_ARRAYS: Final = frozenset({"Boolean[]", "Long[]", "Double[]"})
_RANGES: Final = {
    "Byte": (-(1 << 7), (1 << 7) - 1),
    "Short": (-(1 << 15), (1 << 15) - 1),
    "Integer": (-(1 << 31), (1 << 31) - 1),
    "Long": (-(1 << 63), (1 << 63) - 1),
}
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_JOINABLE = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")
_NUMBER = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?")


class _Refused(Exception):
    """A value no ``.cfg.json`` text reads back identically."""


def _default_text(prop: Property, scalar: Scalar) -> str:
    value = scalar.value
    if isinstance(value, Secret):
        raise TypeError("a secret value needs a text_of that says what to write for it")
    assert isinstance(value, str)
    return value


def _string(text: str) -> str:
    """A JSON string literal (what ``json.dumps`` writes, with or without ``ensure_ascii``)."""
    if _SURROGATE.search(text) is None:
        return encode_basestring(text)  # escapes ", \ and control characters only
    if _JOINABLE.search(text) is not None:
        raise _Refused  # the reader would join the two escapes into one character
    # Only escapes can carry a lone surrogate; the ASCII encoder writes \uXXXX for it.
    return encode_basestring_ascii(text)


def _float32(value: float) -> float | None:
    try:
        result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return None
    return result


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


def _decimal(literal: str) -> str:
    """A JSON number for a Python float literal, with a ``BigDecimal`` scale other than 0."""
    parts = _NUMBER.fullmatch(literal)
    if parts is None:
        raise _Refused  # nan, inf
    sign, whole, fraction, exponent = parts.groups()
    fraction = fraction or ""
    scale = len(fraction) - (int(exponent) if exponent else 0)
    if scale == 0:
        fraction += "0"  # 2 -> 2.0, 1.5e1 -> 1.50e1: the same number, read as a Double
    body = whole + ("." + fraction if fraction else "")
    return sign + body + (f"e{exponent}" if exponent else "")


def _double_literal(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        raise _Refused
    return _decimal(repr(value))


def _float_literal(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        raise _Refused
    exact = _float32(value)
    if exact is None or _bits(exact) != _bits(value):
        raise _Refused  # not a float32 value: no Float reads back as it
    for digits in range(1, 10):
        candidate = _decimal(f"{value:.{digits}g}")
        back = _float32(float(candidate))
        if back is not None and _bits(back) == _bits(value):
            return candidate
    raise AssertionError("9 significant digits always identify a float32")  # pragma: no cover


def _element(element: str, prop: Property, scalar: Scalar, text_of: TextOf) -> str:
    value = scalar.value
    if element == "String":
        if not isinstance(value, str | Secret):
            raise _Refused
        return _string(text_of(prop, scalar))
    if element == "Character":
        if not isinstance(value, str | Secret):
            raise _Refused
        text = text_of(prop, scalar)
        if len(text) != 1 or ord(text) > 0xFFFF:
            raise _Refused  # the reader keeps the first UTF-16 unit of the string
        return _string(text)
    if element == "Boolean":
        if not isinstance(value, bool):
            raise _Refused
        return "true" if value else "false"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused
    if element in _RANGES:
        if not isinstance(value, int):
            raise _Refused
        low, high = _RANGES[element]
        if not low <= value <= high:
            raise _Refused
        return str(value)
    if not isinstance(value, float):
        raise _Refused
    return _float_literal(value) if element == "Float" else _double_literal(value)


def _member(prop: Property, text_of: TextOf, indent: str, newline: str) -> tuple[str, str]:
    """(key, value text) of one property."""
    type_name = prop.type_name
    if type_name.startswith("Collection<") and type_name.endswith(">"):
        element = type_name[11:-1]
        if element not in _BOXED:
            raise _Refused
        hint: str | None = type_name
        multi = True
    elif type_name.endswith("[]"):
        element = _ELEMENT.get(type_name[:-2], "")
        if not element:
            raise _Refused
        multi = True
        if type_name == "String[]" or (type_name in _NATURAL_ARRAYS and prop.values):
            hint = None
        else:
            hint = type_name
    else:
        element = _ELEMENT.get(type_name, "")
        if element != type_name:  # scalars are named by their boxed type
            raise _Refused
        multi = False
        hint = None if type_name in _NATURAL_SCALARS else type_name
    if multi != prop.is_multi or (not multi and len(prop.values) != 1):
        raise _Refused
    key = prop.name if hint is None else f"{prop.name}:{hint}"
    if not multi:
        return key, _element(element, prop, prop.values[0], text_of)
    if not prop.values:
        return key, "[]"
    inner = indent * 2
    items = [inner + _element(element, prop, scalar, text_of) for scalar in prop.values]
    return key, "[" + newline + ("," + newline).join(items) + newline + indent + "]"


def cfg_json_text(
    properties: Sequence[Property],
    newline: str = "\n",
    text_of: TextOf | None = None,
) -> str | None:
    """The ``.cfg.json`` text of ``properties`` (in order), or None when one cannot be written
    so that the platform's reader gives back the same typed value (see the module docs).

    ``text_of(prop, scalar)`` gives the text written for a string or character value (it may
    substitute a placeholder for a secret); the default writes ``str`` values as they are and
    raises TypeError for a :class:`~aemlint.types.Secret`.
    """
    write = text_of or _default_text
    indent = "  "
    seen: set[str] = set()
    members: list[str] = []
    try:
        for prop in properties:
            name = prop.name
            folded = name.lower()
            if ":" in name or folded in seen:
                return None
            seen.add(folded)
            key, value = _member(prop, write, indent, newline)
            members.append(f"{indent}{_string(key)}: {value}")
    except _Refused:
        return None
    if not members:
        return "{}" + newline
    return "{" + newline + ("," + newline).join(members) + newline + "}" + newline
