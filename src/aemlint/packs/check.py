"""Running a pack rule on one configuration: match, validate, report at the property.

The instance validated is the configuration's properties as an object: names without their
``:Type`` hint (spelled as the schema spells them when they differ only in case, since the
platform's dictionary is case-insensitive), one value per single-valued property and a list for
arrays and collections. Secret values are validated but never shown: every message is built
from the schema (keywords, their values, property names) and the error's path, never from the
instance or ``str(error)``.

Locations come from the error's path: a missing (``required``) property is reported at 1:1 of
the file, an unexpected one (``additionalProperties``) at its key, everything else at the value
or at the array element.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, cast

from aemlint import __version__
from aemlint.cache import JsonCache, digest, user_cache_dir
from aemlint.model.osgi import ConfigPlace, OsgiConfig
from aemlint.packs.loader import PackSpec
from aemlint.parsing.values import Property, Scalar
from aemlint.registry import RuleContext
from aemlint.schema_subset import surely_valid
from aemlint.types import Secret, Span, Violation

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

_NOT_LOADED: Any = object()
_SERVICES = ("author", "publish")
_ENV_TYPES = ("dev", "stage", "prod", "rde")
_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "string": "a string",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


class PackCheck:
    """The check function of a pack rule (a callable, as ``Rule.check`` expects)."""

    def __init__(self, spec: PackSpec) -> None:
        self.spec = spec
        self._validator: Validator | None = None
        self._schema: Any = _NOT_LOADED
        self._names: dict[str, str] = {}
        self._fingerprint: str | None = None
        singles = [g for g in spec.pids if "~" not in g]
        factories = [g for g in spec.pids if "~" in g]
        self._singles = tuple(singles)
        self._factories = tuple(factories)
        # The engine pre-filters on the PID (factory PID for factory configurations).
        self.engine_pids = tuple(dict.fromkeys([*singles, *(g.split("~")[0] for g in factories)]))

    def schema(self) -> Any:
        """The rule's schema as written (loaded once; compiling it imports jsonschema)."""
        if self._schema is _NOT_LOADED:
            from aemlint.packs.schema import spec_schema

            self._schema = spec_schema(self.spec)
            props = self._schema.get("properties", {}) if isinstance(self._schema, dict) else {}
            self._names = {str(k).lower(): str(k) for k in props}
        return self._schema

    def compiled(self) -> Validator:
        if self._validator is None:
            from aemlint.packs.schema import compile_spec

            self.schema()
            self._validator = compile_spec(self.spec)
        return self._validator

    def matches(self, place: ConfigPlace) -> bool:
        if place.factory_pid is None:
            if not any(fnmatchcase(place.pid, g) for g in self._singles):
                return False
        elif not any(fnmatchcase(place.key, g) for g in self._factories):
            return False
        if not self.spec.run_modes:
            return True
        if not place.supported:
            return False
        wanted = set(self.spec.run_modes)
        return any(
            wanted <= {s, e} and set(place.run_modes) <= {s, e}
            for s in _SERVICES
            for e in _ENV_TYPES
        )

    def __call__(self, cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        if not self.matches(cfg.place):
            return
        text = ctx.project.texts.get(cfg.path)
        key = None if text is None else self._cache_key(cfg, text)
        if key is not None:
            cached = _restore(_cache().get(key), cfg)
            if cached is not None:
                yield from cached
                return
        found = list(self._validate(cfg))
        if key is not None:
            _cache().put(key, [_store(v) for v in found])
        yield from found

    def _validate(self, cfg: OsgiConfig) -> Iterator[Violation]:
        from aemlint.packs.schema import is_placeheld, platform_type

        schema = self.schema()
        instance, props = self._instance(cfg)
        if surely_valid(instance, schema, platform_type, is_placeheld):
            return  # proven without importing jsonschema, which decides everything else
        validator = self.compiled()
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.path])
        for error in errors:
            yield from self._violations(error, cfg, instance, props)

    def _cache_key(self, cfg: OsgiConfig, text: str) -> str:
        """Outcomes are cached per rule file, schema files and configuration text (SPEC §7):
        an unchanged configuration is not validated again, so jsonschema is not imported."""
        if self._fingerprint is None:
            parts: list[object] = [__version__, self.spec.file.name]
            files = [self.spec.file]
            schemas = self.spec.folder / "schemas"
            if schemas.is_dir():
                files += sorted(p for p in schemas.rglob("*") if p.is_file())
            for f in files:
                try:
                    parts.append(hashlib.sha256(f.read_bytes()).hexdigest())
                except OSError:
                    parts.append(None)
            self._fingerprint = digest(*parts)
        text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return "pack-" + digest(self._fingerprint, cfg.key, cfg.place.form, text_hash)

    # -- the instance -----------------------------------------------------------------------------

    def _instance(self, cfg: OsgiConfig) -> tuple[dict[str, Any], dict[str, Property]]:
        instance: dict[str, Any] = {}
        props: dict[str, Property] = {}
        for prop in cfg.properties:
            key = self._names.get(prop.name.lower(), prop.name)
            if key in instance or (not prop.is_multi and not prop.values):
                continue  # a duplicate (CFG002) or no value (CFG003): reported elsewhere
            values = [_value(s) for s in prop.values]
            instance[key] = values if prop.is_multi else values[0]
            props[key] = prop
        return instance, props

    # -- errors to violations ---------------------------------------------------------------------

    def _violations(
        self,
        error: ValidationError,
        cfg: OsgiConfig,
        instance: Mapping[str, Any],
        props: Mapping[str, Property],
    ) -> Iterator[Violation]:
        path = list(error.absolute_path)
        keyword = error.validator
        if keyword == "required" and not path:
            for name in _missing(error.validator_value, instance):
                yield self._violation(cfg, f"{name} is required", None, name)
            return
        if keyword in ("additionalProperties", "unevaluatedProperties") and not path:
            allowed = _allowed(error.schema)
            for name in [k for k in instance if not allowed(k)]:
                span = props[name].key_span if name in props else None
                yield self._violation(cfg, f"{name} is not an allowed property", span, name)
            return
        if "propertyNames" in error.relative_schema_path and not path:
            key = error.instance if isinstance(error.instance, str) else None
            if key is not None and key in props:
                what = f"the property name {key} is not allowed ({_reason(error)})"
                yield self._violation(cfg, what, props[key].key_span, key)
                return
        if not path:
            if keyword in (None, "not") or error.schema is False:
                yield self._violation(cfg, f"{cfg.key} is not allowed", None, None)
            else:
                yield self._violation(cfg, f"the configuration {_reason(error)}", None, None)
            return
        name = str(path[0])
        prop = props.get(name)
        where = name + "".join(f"[{p}]" for p in path[1:])
        span = _span_of(prop, path[1:])
        yield self._violation(cfg, f"{where} {_reason(error)}", span, name)

    def _violation(
        self, cfg: OsgiConfig, text: str, span: Span | None, prop: str | None
    ) -> Violation:
        suffix = f" ({self.spec.message})" if self.spec.message else ""
        return Violation(message=text + suffix, path=cfg.path, span=span, property=prop)


_CACHE: list[JsonCache] = []


def _cache() -> JsonCache:
    if not _CACHE:
        _CACHE.append(JsonCache(user_cache_dir() / "meta"))
    return _CACHE[0]


def _store(v: Violation) -> list[Any]:
    s = v.span
    span = None if s is None else [s.line, s.column, s.end_line, s.end_column, s.start, s.end]
    return [v.message, span, v.property]


def _restore(entry: object, cfg: OsgiConfig) -> list[Violation] | None:
    """Violations from a cache entry (messages and positions only: no values), or None."""
    if not isinstance(entry, list):
        return None
    out = []
    for item in entry:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
            return None
        message, span, prop = item
        if span is not None and not (
            isinstance(span, list) and len(span) == 6 and all(isinstance(n, int) for n in span)
        ):
            return None
        if prop is not None and not isinstance(prop, str):
            return None
        out.append(
            Violation(
                message=message,
                path=cfg.path,
                span=None if span is None else Span(*span),
                property=prop,
            )
        )
    return out


def _value(scalar: Scalar) -> Any:
    from aemlint.packs.schema import PLATFORM_PLACEHOLDERS, Placeheld

    value = scalar.value
    if isinstance(value, Secret):
        value = value.reveal()  # validated, never shown
    if isinstance(value, str) and (
        scalar.placeholders or any(p in value for p in PLATFORM_PLACEHOLDERS)
    ):
        return Placeheld(value)
    return value


def _span_of(prop: Property | None, rest: Sequence[object]) -> Span | None:
    if prop is None:
        return None
    if rest and isinstance(rest[0], int) and prop.is_multi and rest[0] < len(prop.values):
        return prop.values[rest[0]].span
    return prop.value_span


def _missing(required: object, instance: Mapping[str, Any]) -> list[str]:
    names = required if isinstance(required, list) else []
    return [str(n) for n in names if n not in instance]


def _allowed(schema: object) -> Callable[[str], bool]:
    """Whether a property name is declared by ``properties`` or ``patternProperties``."""
    if not isinstance(schema, dict):
        return lambda _name: False
    declared = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return lambda name: name in declared or any(p.search(name) for p in patterns)


def _show(value: object) -> str:
    """A schema value for a message (schema data, never an instance value), kept short."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def _types(value: object) -> str:
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    words = [_TYPE_WORDS.get(str(n), str(n)) for n in names]
    return " or ".join(words) if words else "of the declared type"


def _reason(error: ValidationError) -> str:
    """Why the value fails, from the failing keyword and the schema (never the instance)."""
    keyword, value = error.validator, cast(Any, error.validator_value)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword is None or error.schema is False:
        return "is not allowed"
    simple: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be {_types(value)}",
        "enum": lambda: "must be one of " + ", ".join(_show(v) for v in value),
        "const": lambda: f"must be {_show(value)}",
        "minimum": lambda: f"must be at least {_show(value)}",
        "maximum": lambda: f"must be at most {_show(value)}",
        "exclusiveMinimum": lambda: f"must be greater than {_show(value)}",
        "exclusiveMaximum": lambda: f"must be less than {_show(value)}",
        "multipleOf": lambda: f"must be a multiple of {_show(value)}",
        "minLength": lambda: f"must be at least {_show(value)} characters long",
        "maxLength": lambda: f"must be at most {_show(value)} characters long",
        "pattern": lambda: f"must match the pattern {_show(value)}",
        "format": lambda: f"must be a valid {_show(value)}",
        "minItems": lambda: f"must have at least {_show(value)} element(s)",
        "maxItems": lambda: f"must have at most {_show(value)} element(s)",
        "uniqueItems": lambda: "must not repeat an element",
        "contains": lambda: _contains(value, schema),
        "not": lambda: "is not allowed here",
        "anyOf": lambda: "must satisfy at least one of the schema's alternatives",
        "oneOf": lambda: "must satisfy exactly one of the schema's alternatives",
        "required": lambda: (
            "lacks " + ", ".join(map(str, value if isinstance(value, list) else []))
        ),
        "dependentRequired": lambda: "lacks a property the schema requires with it",
    }
    make = simple.get(str(keyword))
    return make() if make else f"fails the schema's {keyword!s} constraint"


def _contains(sub: object, schema: Mapping[str, Any]) -> str:
    if isinstance(sub, dict) and "const" in sub:
        return f"must include {_show(sub['const'])}"
    if isinstance(sub, dict) and isinstance(sub.get("enum"), list):
        return "must include one of " + ", ".join(_show(v) for v in sub["enum"])
    if "minContains" in schema or "maxContains" in schema:
        return "does not have the number of matching elements the schema requires"
    return "must include an element that satisfies the schema"
