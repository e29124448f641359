"""schemas/aemlint.schema.json is current: its `rules` section lists every built-in rule."""

from __future__ import annotations

import json

from aemlint.plugins import load_rules
from aemlint.resources import data_path
from aemlint.settings import merged_schema


def test_static_schema_matches_the_built_in_rules(update_snapshots: bool) -> None:
    path = data_path("schemas", "aemlint.schema.json")
    on_disk = json.loads(path.read_text())
    expected = merged_schema(load_rules([]).rules)
    if update_snapshots:
        path.write_text(json.dumps(expected, indent=2) + "\n")
        on_disk = expected
    assert on_disk == expected, "run pytest --update-snapshots to regenerate the schema"


def test_schema_is_a_valid_json_schema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(
        json.loads(data_path("schemas", "aemlint.schema.json").read_text())
    )
