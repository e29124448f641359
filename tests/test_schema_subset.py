"""``surely_valid`` proves only what jsonschema would accept, and proves the common case.

Soundness is what matters (a wrong True would hide a finding or accept a broken configuration):
hypothesis draws schemas from the keywords the module reads (and some it does not), and values
of every JSON kind, and each True is checked against jsonschema's Draft 2020-12 validator —
plain, with strict integers (NET006's), and the rule packs' platform validator. Usefulness: valid
instances drawn from aemlint's own schemas (:func:`_valid_for`; hypothesis-jsonschema 0.23 no
longer runs on current hypothesis) are proven valid, as are the configuration files of the
bundled example, of the rule fixtures and of the corpus, so valid projects skip jsonschema.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aemlint.model.networking_schema import strict_validator
from aemlint.packs.loader import load_pack_folder
from aemlint.packs.schema import Placeheld, is_placeheld, platform_type, validator_class
from aemlint.plugins import load_rules
from aemlint.resources import data_path
from aemlint.schema_subset import MAX_DEPTH, surely_valid
from aemlint.settings import merged_schema

from conftest import REPO, SHARED

KEYS = ["a", "b", "A", "port"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, -0.0, 65535.0]),
    st.text("aAb0 1.-$[]:", max_size=6),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=8,
)
TYPES = st.sampled_from(["string", "object", "array", "boolean", "integer", "number", "null"])
PATTERNS = st.sampled_from(["^a", "b$", "[0-9]", "^(ALL|[A-Z]{1,5}[0-9]{0,3})$", "^$", "."])
NUMBERS = st.one_of(st.integers(-2, 70000), st.floats(-2, 70000))


def _schemas() -> st.SearchStrategy[Any]:
    def object_schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {},
            optional={
                "type": TYPES | st.lists(TYPES, max_size=3),
                "properties": st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
                "additionalProperties": inner,
                "required": st.lists(st.sampled_from(KEYS), max_size=2, unique=True),
                "items": inner,
                "uniqueItems": st.booleans(),
                "enum": st.lists(SCALARS, max_size=3),
                "pattern": PATTERNS,
                "minLength": st.integers(0, 3),
                "minimum": NUMBERS,
                "maximum": NUMBERS,
                "$ref": st.just("#/$defs/d"),
                "description": st.text(max_size=3),
                # Keywords the module does not read: a schema using one is never proven.
                "const": SCALARS,
                "maxLength": st.integers(0, 3),
                "not": inner,
            },
        )

    return st.recursive(st.booleans(), object_schemas, max_leaves=6)


SCHEMAS = st.tuples(_schemas(), _schemas()).map(
    lambda pair: {**pair[0], "$defs": {"d": pair[1]}} if isinstance(pair[0], dict) else pair[0]
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, VALUES)
def test_a_proof_is_never_wrong(schema: Any, instance: Any) -> None:
    proven = surely_valid(instance, schema)
    event(f"proven: {proven}")
    if proven:
        assert jsonschema.Draft202012Validator(schema).is_valid(instance)
        assert strict_validator(schema).is_valid(instance)


def _packs() -> list[Any]:
    return [r.check for r in load_pack_folder(data_path("rules"))]


def _pack_values() -> st.SearchStrategy[Any]:
    text = st.sampled_from(["8080", "1.5", "true", "FALSE", "x", "", "com.day*", "org.apache*"])
    placeheld = st.sampled_from(["$[env:PORT]", "$[secret:P;default=1]"]).map(Placeheld)
    scalars = st.booleans() | st.integers(0, 70000) | text | placeheld | SCALARS
    return scalars | st.lists(scalars, max_size=3)


PACK_VALUES = st.recursive(
    _pack_values(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=6,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, PACK_VALUES)
def test_a_proof_holds_for_the_platform_validator(schema: Any, instance: Any) -> None:
    proven = surely_valid(instance, schema, platform_type, is_placeheld)
    event(f"proven: {proven}")
    if proven:
        assert validator_class()(schema).is_valid(instance)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_proof_for_a_rule_pack_holds_for_the_platform_validator(data: st.DataObject) -> None:
    check = data.draw(st.sampled_from(_packs()))
    schema = check.schema()
    names = sorted(schema.get("properties", {})) if isinstance(schema, dict) else []
    keys = st.sampled_from([*names, "other.property"]) if names else st.just("p")
    instance = data.draw(st.dictionaries(keys, _pack_values(), max_size=3))
    proven = surely_valid(instance, schema, platform_type, is_placeheld)
    event(f"proven: {proven}")
    if proven:
        errors = list(check.compiled().iter_errors(instance))
        assert not errors, (check.spec.code, instance)


def test_the_mail_pack_proves_placeholders_and_typed_values() -> None:
    mail = next(c for c in _packs() if c.spec.code == "API005")
    schema = mail.schema()
    fine = {"smtp.port": Placeheld("$[env:SMTP_PORT;default=587]"), "smtp.ssl": True}
    assert surely_valid(fine, schema, platform_type, is_placeheld)
    assert not surely_valid({"smtp.port": 70000}, schema, platform_type, is_placeheld)
    assert list(mail.compiled().iter_errors({"smtp.port": 70000}))


def _valid_for(schema: Any, root: Any) -> st.SearchStrategy[Any]:
    """Instances valid under one of aemlint's own schemas (the keywords they use)."""
    if "$ref" in schema:
        return _valid_for(root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_valid_for({**schema, "type": k}, root) for k in kind])
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**40)), schema.get("maximum", 2**40))
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"])
        return st.text(min_size=schema.get("minLength", 0), max_size=8)
    if kind == "array":
        items = _valid_for(schema.get("items", {"type": "string"}), root)
        return st.lists(items, max_size=3, unique=bool(schema.get("uniqueItems")))
    if kind == "object":
        named = {k: _valid_for(v, root) for k, v in schema.get("properties", {}).items()}
        required = {k: named.pop(k) for k in schema.get("required", [])}
        extra = schema.get("additionalProperties", True)
        free = st.dictionaries(st.text("xyz.", min_size=1, max_size=4), st.integers(), max_size=2)
        if extra is False:
            free = st.just({})
        elif extra is not True:
            free = st.dictionaries(st.just("x.y"), _valid_for(extra, root), max_size=1)
        return st.builds(
            lambda fixed, some, more: {**more, **some, **fixed},
            st.fixed_dictionaries(required),
            st.fixed_dictionaries({}, optional=named),
            free,
        )
    raise AssertionError(f"a keyword the test does not draw: {sorted(schema)}")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_valid_configurations_are_proven(data: st.DataObject) -> None:
    schema = merged_schema(load_rules([]).rules)
    instance = data.draw(_valid_for(schema, schema))
    assert jsonschema.Draft202012Validator(schema).is_valid(instance)
    assert surely_valid(instance, schema)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_valid_networking_documents_are_proven(data: st.DataObject) -> None:
    schema = json.loads(
        data_path("schemas", "cloud-manager", "advanced-networking.schema.json").read_bytes()
    )
    instance = data.draw(_valid_for(schema, schema))
    assert strict_validator(schema).is_valid(instance)
    assert surely_valid(instance, schema)


def _real_configurations() -> list[Path]:
    """The example's, the rule fixtures' and the corpus' configuration files (all valid)."""
    found = [REPO / "examples" / "email-demo" / "aemlint.toml"]
    found += sorted((REPO / "tests" / "rules").rglob("aemlint.toml"))
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        found += sorted(corpus.rglob("aemlint.toml"))
    return found


@pytest.mark.parametrize(
    "path", _real_configurations(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}"
)
def test_real_configuration_files_are_proven(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    schema = merged_schema(load_rules([]).rules)
    assert jsonschema.Draft202012Validator(schema).is_valid(data)
    assert surely_valid(data, schema)


@pytest.mark.parametrize(
    ("instance", "schema"),
    [
        (1.0, {"type": "integer"}),  # jsonschema counts 1.0 as an integer: left to it
        (True, {"type": "integer"}),
        (True, {"minimum": 0}),
        ("5", {"minimum": 9}),  # a pack's validator reads 5 from it
        (math.nan, {"maximum": 1}),
        ([1, True], {"uniqueItems": True}),
        ("a", {"pattern": "("}),  # not a regular expression
        ({}, {"$ref": "other.json#/$defs/x"}),
        ({"a": 1}, {"properties": {"a": {"$id": "x"}}}),
        ({"a": 1}, {"patternProperties": {"^a": True}, "additionalProperties": False}),
        ([1], {"prefixItems": [True], "items": False}),
        ("x", {"type": "colour"}),
        (1, {"enum": [1]}),  # proven for strings only
    ],
)
def test_what_is_not_read_is_not_proven(instance: Any, schema: Any) -> None:
    assert not surely_valid(instance, schema)


def test_a_deeply_recursive_schema_is_not_proven() -> None:
    schema = {"items": {"$ref": "#/$defs/d"}, "$defs": {"d": {"items": {"$ref": "#/$defs/d"}}}}
    nested: Any = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    assert not surely_valid(nested, schema)
    assert surely_valid([[[]]], schema)
