"""Advanced-networking documents against the Cloud Manager API schema (SPEC §3.2, NET006).

The schema is ``schemas/cloud-manager/advanced-networking.schema.json`` (derived from the API's
``EnableAdvancedNetworkingConfiguration`` and ``PortForwardRepresentation``). Each violation is
located at the offending node through the error's instance path; its message is built from the
schema and that path, never from ``str(error)`` or the instance value.

jsonschema costs ~90 ms to import, so the outcome — a list of (instance path, message), no
values — is cached in the user's cache folder, keyed by the SHA-256 of the document's text, of
the schema's bytes and aemlint's version: an unchanged document is never validated again and
jsonschema is not imported (SPEC §7, on-save path). Nor is it for a document that
:func:`~aemlint.schema_subset.surely_valid` proves valid; it decides every other one.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aemlint import __version__
from aemlint.cache import JsonCache, digest
from aemlint.parsing.yaml_nodes import YNode
from aemlint.resources import data_path
from aemlint.schema_subset import surely_valid
from aemlint.types import Span

__all__ = ["SCHEMA_PARTS", "SchemaIssue", "strict_validator", "validate_networking"]

SCHEMA_PARTS = ("schemas", "cloud-manager", "advanced-networking.schema.json")
Path = tuple[str | int, ...]
_KINDS = {
    "map": "an object",
    "seq": "an array",
    "str": "a string",
    "int": "an integer",
    "float": "a number with a fraction or exponent",
    "bool": "a boolean",
    "null": "null",
}
_ARTICLE = {"integer": "an integer", "array": "an array", "object": "an object"}


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One schema violation: where (instance path below the document's body) and why."""

    path: Path
    message: str
    span: Span

    @property
    def forward_index(self) -> int | None:
        """The ``portForwards`` entry the issue is in (None: not inside one entry)."""
        if len(self.path) >= 2 and self.path[0] == "portForwards":
            index = self.path[1]
            return index if isinstance(index, int) else None
        return None


@functools.cache
def schema_bytes() -> bytes:
    return data_path(*SCHEMA_PARTS).read_bytes()


def pointer(path: Path) -> str:
    """``portForwards[1].name`` for a path (``the document`` for the root)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the document"


def _member(node: YNode, key: str) -> YNode | None:
    """A mapping's last ``key`` (as the API's JSON reader keeps the last of duplicates)."""
    found = None
    for k, v in node.items():
        if str(k.value) == key:
            found = v
    return found


def _node_at(body: YNode, path: Path) -> YNode:
    """The deepest node of ``path`` that exists (a missing key stays at its mapping)."""
    node = body
    for part in path:
        nxt: YNode | None = None
        if isinstance(part, int) and node.kind == "seq":
            elements = node.value
            nxt = elements[part] if 0 <= part < len(elements) else None
        elif isinstance(part, str) and node.kind == "map":
            nxt = _member(node, part)
        if nxt is None:
            break
        node = nxt
    return node


def _head(span: Span) -> Span:
    """A multi-line node (a whole entry) is located at its first character."""
    if span.end_line == span.line or span.end <= span.start:
        return span
    return Span(span.line, span.column, span.line, span.column + 1, span.start, span.start + 1)


def _instance(node: YNode) -> Any:
    """The JSON value of a node, without recursion (keys as text; the last duplicate wins)."""
    if node.kind not in ("map", "seq"):
        return node.value
    root: Any = {} if node.kind == "map" else []
    stack: list[tuple[YNode, Any]] = [(node, root)]
    while stack:
        current, out = stack.pop()
        children = (
            ((str(k.value), v) for k, v in current.items())
            if current.kind == "map"
            else enumerate(current.elements())
        )
        for key, child in children:
            value: Any = child.value
            if child.kind in ("map", "seq"):
                value = {} if child.kind == "map" else []
                stack.append((child, value))
            if isinstance(out, dict):
                out[key] = value
            else:
                out.append(value)
    return root


def _message(keyword: str, expected: Any, sub: Mapping[str, Any], path: Path, node: YNode) -> str:
    where = pointer(path)
    title = sub.get("title")
    if keyword == "type":
        want = _ARTICLE.get(str(expected), f"a {expected}")
        return f"{where} must be {want}, not {_KINDS.get(node.kind, node.kind)}"
    if keyword == "pattern":
        what = title or "a value matching the API's pattern"
        return f"{where} must be a {what} (the API's pattern {expected})"
    if keyword == "maximum":
        return f"{where} must be at most {expected} (a {title or 'number'})"
    if keyword == "minimum":
        return f"{where} must be at least {expected} (a {title or 'number'})"
    return f"{where} does not satisfy the API schema's {keyword!r} constraint"


def strict_validator(schema: Any) -> Any:
    """jsonschema's validator for ``schema``, whose integers are strict (no ``30465.0``)."""
    import jsonschema

    base = jsonschema.validators.validator_for(schema)

    def strict_integer(checker: Any, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    extend: Any = jsonschema.validators.extend  # untyped in jsonschema
    return extend(base, type_checker=base.TYPE_CHECKER.redefine("integer", strict_integer))(schema)


def _run_jsonschema(instance: Any, body: YNode) -> list[tuple[Path, str]]:
    import json

    schema = json.loads(schema_bytes())
    if surely_valid(instance, schema):
        return []  # proven without importing jsonschema (its integers are strict too)
    validator = strict_validator(schema)
    out: list[tuple[Path, str]] = []
    required: dict[Path, list[str]] = {}
    for error in validator.iter_errors(instance):
        path: Path = tuple(error.absolute_path)
        if error.validator == "required":
            names = required.setdefault(path, [])
            names.extend(n for n in error.validator_value if n not in error.instance)
            continue
        node = _node_at(body, path)
        sub = error.schema if isinstance(error.schema, Mapping) else {}
        out.append((path, _message(str(error.validator), error.validator_value, sub, path, node)))
    for path, names in required.items():
        missing = ", ".join(dict.fromkeys(names))
        label = "field" if len(set(names)) == 1 else "fields"
        out.append((path, f"{pointer(path)} is missing the required {label} {missing}"))
    return sorted(out, key=lambda item: [str(p) for p in item[0]])


def _key(text: str) -> str:
    return "networking-schema-" + digest(
        hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        hashlib.sha256(schema_bytes()).hexdigest(),
        __version__,
    )


def _from_cache(entry: Any) -> list[tuple[Path, str]] | None:
    if not isinstance(entry, list):
        return None
    out: list[tuple[Path, str]] = []
    for item in entry:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            return None
        path, message = item
        if not isinstance(path, list) or not all(isinstance(p, str | int) for p in path):
            return None
        out.append((tuple(path), message))
    return out


def validate_networking(text: str, body: YNode | None, cache: JsonCache) -> tuple[SchemaIssue, ...]:
    """The schema violations of a parsed document's body (the mapping holding the two keys)."""
    if body is None:
        return ()
    key = _key(text)
    outcome = _from_cache(cache.get(key))
    if outcome is None:
        outcome = _run_jsonschema(_instance(body), body)
        cache.put(key, [[list(path), message] for path, message in outcome])
    return tuple(_issues(body, outcome))


def _issues(body: YNode, outcome: Sequence[tuple[Path, str]]) -> Iterator[SchemaIssue]:
    for path, message in outcome:
        yield SchemaIssue(path, message, _head(_node_at(body, path).span))
