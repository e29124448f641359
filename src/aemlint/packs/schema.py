"""Compiling a pack's JSON Schema: safe references, screened patterns, the platform's types.

Imported only when a configuration first matches a pack rule (or a user pack is validated):
jsonschema and referencing cost ~90 ms to import, which the on-save path must not pay.

**Types as the platform reads them** (Sling API Regions ``PropertyValidator`` [S25], AEM-FACTS
§10): a numeric string satisfies ``integer``/``number``, ``"true"``/``"false"`` (any case) a
``boolean``, and a string holding a placeholder (``$[env:``, ``$[secret:``, ``$[prop:``, or any
placeholder the parser found) satisfies every scalar type and every value keyword — its value
is only known at run time. A single value satisfies ``type: array`` (the platform validates a
single value of a multi-value property as that one value), and the array keywords (``items``,
``contains``…) then do not apply, as the platform checks included values only on arrays.

**Safety**: only ``$ref``\\ s to ``#…`` or to JSON files inside the pack folder are allowed; they
are loaded up front into a :class:`referencing.Registry` whose retrieval refuses everything, so
nothing is ever fetched. ``$id`` is not allowed (it would move the base URI). ``pattern`` and
``patternProperties`` are limited to :data:`MAX_PATTERN` characters and refused when a
quantified group holds another quantifier (``(a+)+``), the classic catastrophic backtracking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

from aemlint.packs.loader import PackError, PackSpec
from aemlint.schema_subset import plain_type

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

MAX_PATTERN = 512
DRAFT = "https://json-schema.org/draft/2020-12/schema"
PLATFORM_PLACEHOLDERS = ("$[env:", "$[secret:", "$[prop:")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(
    r"\s*[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?\s*"
)
_SCALAR_KEYWORDS = ("pattern", "minLength", "maxLength", "format", "not")
_NUMERIC_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


class Placeheld(str):
    """A string value holding a placeholder: its real value is only known at run time."""

    __slots__ = ()


def as_number(text: str) -> int | float | None:
    """A numeric string as the platform's validator reads it (Integer/Double.valueOf), else None."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        body = text.strip().rstrip("fFdD")
        return float(body.replace("Infinity", "inf"))
    return None


def as_boolean(text: str) -> bool | None:
    lowered = text.lower()
    return True if lowered == "true" else False if lowered == "false" else None


# -- the platform's reading of values -------------------------------------------------------------


def _is_integer(_checker: object, value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        return isinstance(value, Placeheld) or _INTEGER.fullmatch(value) is not None
    return False


def _is_number(_checker: object, value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        return isinstance(value, Placeheld) or _NUMBER.fullmatch(value) is not None
    return False


def _is_boolean(_checker: object, value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return isinstance(value, Placeheld) or as_boolean(value) is not None
    return False


_PLATFORM_TYPES: dict[str, Callable[[object, object], bool]] = {
    "integer": _is_integer,
    "number": _is_number,
    "boolean": _is_boolean,
}

Keyword = Callable[[Any, Any, Any, Mapping[str, Any]], Iterator[Any]]


def _skip_placeheld(fn: Keyword) -> Keyword:
    def keyword(validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(instance, Placeheld):
            return
        yield from fn(validator, value, instance, schema)

    return keyword


def _numeric(fn: Keyword) -> Keyword:
    def keyword(validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(instance, str):
            number = None if isinstance(instance, Placeheld) else as_number(instance)
            if number is None:
                return
            instance = number
        yield from fn(validator, value, instance, schema)

    return keyword


def _coercing(fn: Keyword) -> Keyword:
    """``enum``/``const``: a string passes when the value the platform reads from it matches."""

    def keyword(validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(instance, Placeheld):
            return
        errors = list(fn(validator, value, instance, schema))
        if errors and isinstance(instance, str):
            read: object = as_boolean(instance)
            if read is None:
                read = as_number(instance)
            if read is not None and not list(fn(validator, value, read, schema)):
                return
        yield from errors

    return keyword


def _type(fn: Keyword) -> Keyword:
    def keyword(validator: Any, types: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        wanted = [types] if isinstance(types, str) else list(types)
        single = not isinstance(instance, list | dict) and instance is not None
        if "array" in wanted and single:
            return  # a single value of a multi-value property is validated as that value
        yield from fn(validator, types, instance, schema)

    return keyword


def validator_class() -> Any:
    """Draft 2020-12 with the platform's type checker and placeholder-aware keywords."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(_PLATFORM_TYPES)
    base = Draft202012Validator.VALIDATORS
    overrides: dict[str, Keyword] = {"type": _type(base["type"])}
    overrides |= {k: _skip_placeheld(base[k]) for k in _SCALAR_KEYWORDS}
    overrides |= {k: _numeric(base[k]) for k in _NUMERIC_KEYWORDS}
    overrides |= {k: _coercing(base[k]) for k in ("enum", "const")}
    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, validators=overrides, type_checker=checker
    )


# -- screening the schema -------------------------------------------------------------------------


def catastrophic(pattern: str) -> bool:
    """A repeated group whose first atom is itself repeated: ``(a+)+``, ``(\\w+\\s?)*``.

    That is the classic exponential backtracking shape (nested quantifiers that can split the
    same text many ways). A scanner, not a parser: escapes and character classes are skipped,
    and a group that starts with a literal (``(\\.[a-z]+)*``) is not refused.
    """
    # Per open group: [atoms in the current alternative, does an alternative start repeated?]
    groups: list[list[Any]] = [[0, False]]
    last: tuple[str, bool] | None = None  # the atom a quantifier would apply to
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        quantifier = _quantifier(pattern, i) if last is not None else None
        if quantifier is not None:
            repeats, length = quantifier
            if repeats:
                if last is not None and last[0] == "group" and last[1]:
                    return True
                if groups[-1][0] == 1:
                    groups[-1][1] = True
            i += length
            last = None
            continue
        if ch == "(":
            i = _group_body(pattern, i)
            if pattern[i - 1] != ")":  # (?i) sets flags and opens no group
                groups.append([0, False])
            last = None
            continue
        if ch == ")" and len(groups) > 1:
            _atoms, first_repeats = groups.pop()
            groups[-1][0] += 1
            if groups[-1][0] == 1 and first_repeats:
                groups[-1][1] = True
            last = ("group", bool(first_repeats))
            i += 1
            continue
        if ch == "|":
            groups[-1][0] = 0
            last = None
            i += 1
            continue
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _end_of_class(pattern, i)
        else:
            i += 1
        groups[-1][0] += 1
        last = ("atom", False)
    return False


def _group_body(pattern: str, i: int) -> int:
    """Where the body of the group opened at ``i`` starts: after ``(?:``, ``(?P<name>``…"""
    j = i + 1
    if not pattern.startswith("?", j):
        return j
    j += 1
    if pattern.startswith(("<=", "<!"), j):
        return j + 2
    if pattern.startswith(("P<", "<"), j):
        end = pattern.find(">", j)
        return end + 1 if end >= 0 else len(pattern)
    while j < len(pattern) and (pattern[j].isalpha() or pattern[j] == "-"):
        j += 1  # inline flags (?i) / (?i:…) / (?P=name) names
    return j + 1 if j < len(pattern) and pattern[j] in ":=!)" else j


def _quantifier(pattern: str, i: int) -> tuple[bool, int] | None:
    """(repeats more than once?, length) of a quantifier starting at ``i``, else None."""
    ch = pattern[i]
    if ch in "*+?":
        repeats, length = ch != "?", 1
    elif ch == "{":
        m = re.match(r"\{([0-9]*)(,?)([0-9]*)\}", pattern[i:])
        if m is None or not (m.group(1) or m.group(3)):
            return None
        high = m.group(3) if m.group(2) else m.group(1)
        repeats, length = (not high or int(high) > 1), len(m.group(0))
    else:
        return None
    if i + length < len(pattern) and pattern[i + length] in "?+":  # lazy or possessive
        length += 1
    return repeats, length


def _end_of_class(pattern: str, i: int) -> int:
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _walk(node: Any, where: str) -> Iterator[tuple[str, str, Any]]:
    """(JSON pointer, key, value) of every member of every object in the schema document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield where, key, value
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{where}/{i}")


def _check_pattern(file: Path, where: str, pattern: str) -> None:
    if len(pattern) > MAX_PATTERN:
        raise PackError(
            f"invalid rule pack {file}: pattern at {where} is longer than {MAX_PATTERN} "
            "characters (patterns are capped against ReDoS)"
        )
    if catastrophic(pattern):
        raise PackError(
            f"invalid rule pack {file}: pattern at {where} nests quantifiers (like (a+)+), "
            "which can backtrack catastrophically; rewrite it without the nested repetition"
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        raise PackError(
            f"invalid rule pack {file}: pattern at {where} is not valid: {exc}"
        ) from None


def _screen(file: Path, document: Any) -> list[str]:
    """Check patterns and ``$id``/``$schema``; return the document's ``$ref`` values."""
    refs: list[str] = []
    for where, key, value in _walk(document, "#"):
        if key == "pattern" and isinstance(value, str):
            _check_pattern(file, f"{where}/pattern", value)
        elif key == "patternProperties" and isinstance(value, dict):
            for pattern in value:
                _check_pattern(file, f"{where}/patternProperties", pattern)
        elif key == "$id":
            raise PackError(f"invalid rule pack {file}: `$id` at {where} is not supported")
        elif key == "$schema" and value != DRAFT:
            raise PackError(f"invalid rule pack {file}: `$schema` must be {DRAFT} or absent")
        elif key in ("$ref", "$dynamicRef") and isinstance(value, str):
            refs.append(value)
    return refs


# -- compiling ------------------------------------------------------------------------------------


def _load_json(owner: Path, path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PackError(
            f"invalid rule pack {owner}: schema {path.name} is not JSON: {exc}"
        ) from None


def _refuse(uri: str) -> Any:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(uri)  # never fetched: packs are data


def spec_schema(spec: PackSpec) -> Any:
    """The rule's schema as written: inline, or its schema file's JSON (PackError if not JSON)."""
    if spec.schema_file is not None:
        return _load_json(spec.file, spec.schema_file.resolve())
    return spec.schema


def platform_type(value: object, name: str) -> bool:
    """The ``type`` keyword as :func:`validator_class` reads it (without importing jsonschema).

    For :func:`aemlint.schema_subset.surely_valid`: a single value satisfies ``array`` (see the
    module), and ``integer``/``number``/``boolean`` are the platform's readings, which accept
    everything Draft 2020-12's accept and more.
    """
    if name == "array" and not isinstance(value, list | dict) and value is not None:
        return True
    reading = _PLATFORM_TYPES.get(name)
    return reading(None, value) if reading is not None else plain_type(value, name)


def is_placeheld(value: object) -> bool:
    """A value only known at run time: it satisfies every value keyword (see the module)."""
    return isinstance(value, Placeheld)


def compile_spec(spec: PackSpec) -> Validator:
    """The validator of a pack rule; PackError for an invalid schema or an unsafe reference."""
    from jsonschema.exceptions import SchemaError
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    owner = spec.file
    folder = spec.folder.resolve()
    schema = spec_schema(spec)
    if spec.schema_file is not None:
        root_path = spec.schema_file.resolve()
    else:
        root_path = (spec.folder / spec.file.name).resolve()
    cls = validator_class()
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        where = "#/" + "/".join(map(str, exc.path))
        raise PackError(
            f"invalid rule pack {owner}: the schema is not valid JSON Schema at {where}: "
            f"{exc.message}"
        ) from None
    if isinstance(schema, bool):
        return cls(schema)  # type: ignore[no-any-return]
    root_uri = root_path.as_uri()
    documents: dict[str, Any] = {}
    pending: list[tuple[str, Any]] = [(root_uri, schema)]
    all_refs: list[tuple[str, str]] = []
    while pending:
        uri, document = pending.pop()
        if uri in documents:
            continue
        documents[uri] = document
        for ref in _screen(owner, document):
            target, _fragment = urldefrag(urljoin(uri, ref))
            all_refs.append((uri, ref))
            if not target or target in documents:
                continue
            parsed = urlparse(target)
            path = Path(unquote(parsed.path))
            if parsed.scheme != "file" or parsed.netloc or not _within(path, folder):
                raise PackError(
                    f"invalid rule pack {owner}: $ref {ref!r} leaves the pack folder "
                    "(only '#…' and JSON files inside the pack are allowed; nothing is fetched)"
                )
            if not path.is_file():
                raise PackError(f"invalid rule pack {owner}: $ref {ref!r}: file not found")
            pending.append((target, _load_json(owner, path)))
    registry: Any = Registry(retrieve=_refuse).with_resources(  # type: ignore[call-arg]
        (uri, Resource.from_contents(doc, default_specification=DRAFT202012))
        for uri, doc in documents.items()
    )
    for base, ref in all_refs:
        try:
            registry.resolver(base_uri=base).lookup(ref)
        except Unresolvable:
            raise PackError(f"invalid rule pack {owner}: $ref {ref!r} cannot be resolved") from None
    with_base = {"$id": root_uri, **schema} if isinstance(schema, dict) else schema
    return cls(with_base, registry=registry)  # type: ignore[no-any-return]


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True
