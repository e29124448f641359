"""Proving a document valid without jsonschema, for the schemas aemlint itself ships.

jsonschema is the reference for every schema aemlint applies (the configuration file's, SPEC §2;
the advanced-networking document's, NET006), and it writes every message. But importing it costs
≈ 60 ms (with attrs, referencing and rpds), more than a whole cold run of a small project spends
on its rules, and nearly every document it is asked about is valid. :func:`surely_valid` answers
that common case alone: True only when the instance is valid under the schema as jsonschema's
Draft 2020-12 validator judges it. False means "not proven" — the instance is invalid, or the
schema uses a keyword or a form this module does not read, or a value sits where the two could
disagree — and the caller asks jsonschema, which decides and explains.

So a False is always safe, and only a True must be right. It reads this subset of Draft 2020-12:

- annotations, which never fail: ``$schema`` ``$comment`` ``title`` ``description`` ``default``
  ``examples``, and ``$defs`` (only a store for ``$ref``); ``$id`` at the root only;
- ``$ref`` of the form ``#/$defs/<name>``, resolved in the root schema;
- ``type`` (one name or a list): ``integer`` and ``number`` never hold a bool; a float is never
  counted as an integer here (jsonschema counts ``1.0`` as one, unless the caller's type checker
  is strict: either way "not proven" is safe);
- ``properties``, ``additionalProperties`` (a bool or a schema), ``required``;
- ``items`` (a schema, without ``prefixItems``), ``uniqueItems`` (proven for strings only);
- ``enum`` (proven for a string among strings), ``pattern`` (``re.search``, as jsonschema does),
  ``minLength`` (code points), ``minimum``/``maximum`` (ints and floats; never proven for a bool
  or a string, which a validator extending the draft may read a number from).

Anything else, anywhere the instance reaches (``patternProperties``, ``allOf``, ``format``…), or
a schema deeper than :data:`MAX_DEPTH`, gives False.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["MAX_DEPTH", "TypeTest", "plain_type", "surely_valid"]

MAX_DEPTH: Final = 64
"""Nesting (of schemas applied to nested values) past which nothing is proven."""

_ANNOTATIONS: Final = frozenset(
    {"$schema", "$comment", "title", "description", "default", "examples", "$defs"}
)


TypeTest = Callable[[object, str], bool]
"""``is_type(value, name)``: does ``value`` satisfy ``{"type": name}``?"""


def surely_valid(
    instance: object,
    schema: object,
    is_type: TypeTest | None = None,
    opaque: Callable[[object], bool] | None = None,
) -> bool:
    """True only if ``instance`` is valid under the Draft 2020-12 ``schema`` (see the module).

    A validator that extends Draft 2020-12 can be matched with ``is_type`` (its ``type``
    keyword, which must accept at least what :func:`plain_type` accepts; it decides only that
    keyword, never whether ``properties`` or ``items`` apply) and ``opaque`` (values that satisfy
    every value keyword: ``enum``, ``pattern``, ``minLength``, ``minimum``, ``maximum``).
    """
    if not isinstance(schema, Mapping):
        return schema is True
    return _Proof(is_type or plain_type, opaque).valid(instance, schema, schema, 0)


def plain_type(instance: object, name: str) -> bool:
    """Draft 2020-12's types as jsonschema reads them, except that a float is never an integer."""
    if name == "string":
        return isinstance(instance, str)
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "integer":
        return isinstance(instance, int) and not isinstance(instance, bool)
    if name == "number":
        return isinstance(instance, int | float) and not isinstance(instance, bool)
    if name == "null":
        return instance is None
    return False  # an unknown type name: jsonschema raises UnknownType


Schema = Mapping[str, Any]


class _Proof:
    """One proof: the type test and the opaque values of the validator it stands in for."""

    __slots__ = ("is_type", "opaque")

    def __init__(self, is_type: TypeTest, opaque: Callable[[object], bool] | None) -> None:
        self.is_type = is_type
        self.opaque = opaque

    def valid(self, instance: object, schema: object, root: Schema, depth: int) -> bool:
        if not isinstance(schema, Mapping):
            return schema is True
        if depth > MAX_DEPTH:
            return False
        opaque = self.opaque is not None and self.opaque(instance)
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or (opaque and keyword in _VALUE_KEYWORDS):
                continue
            holds = _KEYWORDS.get(keyword)
            if holds is None or not holds(self, value, instance, schema, root, depth + 1):
                return False
        return True


# Each keyword: does it hold for the instance? (False: it fails, or it is not read here.)
Keyword = Callable[[_Proof, Any, object, Schema, Schema, int], bool]


def _id(proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int) -> bool:
    return schema is root  # a nested $id moves the base of $ref: not read here


def _ref(proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int) -> bool:
    target = _local_definition(value, root)
    return target is not None and proof.valid(instance, target, root, d)


def _type(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    names = [value] if isinstance(value, str) else value
    return isinstance(names, list) and any(
        isinstance(name, str) and proof.is_type(instance, name) for name in names
    )


def _properties(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if not isinstance(value, Mapping):
        return False
    if not isinstance(instance, dict):
        return True
    return all(
        proof.valid(instance[key], sub, root, d) for key, sub in value.items() if key in instance
    )


def _additional(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    named = schema.get("properties", {})
    if "patternProperties" in schema or not isinstance(named, Mapping):
        return False
    if not isinstance(instance, dict):
        return True
    return all(
        proof.valid(item, value, root, d) for key, item in instance.items() if key not in named
    )


def _required(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if not isinstance(value, list):
        return False
    return not isinstance(instance, dict) or all(name in instance for name in value)


def _items(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if "prefixItems" in schema:
        return False
    return not isinstance(instance, list) or all(proof.valid(i, value, root, d) for i in instance)


def _unique(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if not isinstance(value, bool):
        return False
    if value is False or not isinstance(instance, list):
        return True
    # Proven for strings only: jsonschema's equality tells 1 from True and 1.0, a set does not.
    return all(isinstance(i, str) for i in instance) and len(set(instance)) == len(instance)


def _enum(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    return (
        isinstance(value, list)
        and isinstance(instance, str)
        and any(isinstance(option, str) and option == instance for option in value)
    )


def _pattern(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if not isinstance(value, str):
        return False
    if not isinstance(instance, str):
        return True
    try:
        return re.search(value, instance) is not None  # as jsonschema's "pattern" does
    except re.error:
        return False


def _min_length(
    proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return not isinstance(instance, str) or len(instance) >= value


def _bound(low: bool) -> Keyword:
    def holds(
        proof: _Proof, value: Any, instance: object, schema: Schema, root: Schema, d: int
    ) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(instance, bool | str):
            return False  # a validator may read a number from a string: not proven
        if not isinstance(instance, int | float):
            return True
        if instance != instance:  # NaN compares False with anything: left to jsonschema
            return False
        return instance >= value if low else instance <= value

    return holds


_KEYWORDS: Final[dict[str, Keyword]] = {
    "$id": _id,
    "$ref": _ref,
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "items": _items,
    "uniqueItems": _unique,
    "enum": _enum,
    "pattern": _pattern,
    "minLength": _min_length,
    "minimum": _bound(low=True),
    "maximum": _bound(low=False),
}
_VALUE_KEYWORDS: Final = frozenset({"enum", "pattern", "minLength", "minimum", "maximum"})


def _local_definition(reference: object, root: Mapping[str, Any]) -> object | None:
    """The schema ``#/$defs/<name>`` names in ``root`` (None for any other reference)."""
    if not isinstance(reference, str) or not reference.startswith("#/$defs/"):
        return None
    name = reference[len("#/$defs/") :]
    if "/" in name or "~" in name or "%" in name:
        return None  # JSON-pointer escapes and nested pointers: not read here
    definitions = root.get("$defs")
    if not isinstance(definitions, Mapping) or name not in definitions:
        return None
    target: object = definitions[name]
    return target
