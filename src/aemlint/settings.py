"""The project root, the configuration file, and its validation (SPEC §1 "Project root", §2).

Validation uses jsonschema against ``schemas/aemlint.schema.json`` merged with the loaded rules'
option schemas. The verdict is cached keyed on the configuration's bytes, aemlint's version and
the rule set, so the on-save path does not import jsonschema; and a configuration that
:func:`~aemlint.schema_subset.surely_valid` proves valid does not import it on a cold run either
(jsonschema decides, and explains, whenever that proof fails).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aemlint import __version__
from aemlint.cache import JsonCache, digest
from aemlint.discovery import DEFAULT_EXCLUDES
from aemlint.registry import Rule
from aemlint.resources import data_path
from aemlint.roots import CONFIG_NAMES as CONFIG_NAMES  # re-exported: where callers look
from aemlint.roots import find_config as find_config
from aemlint.roots import find_root as find_root
from aemlint.roots import git_root as git_root
from aemlint.schema_subset import surely_valid
from aemlint.types import Severity


class ConfigError(Exception):
    """An invalid configuration: exit 2 with this message (file, key path, reason)."""


@dataclass(frozen=True, slots=True)
class EnvironmentSettings:
    name: str
    type: str
    id: str | None = None
    advanced_networking: str | None = None
    variables: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path
    config_file: Path | None = None
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity = "error"
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rule_packs: tuple[str, ...] = ()
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    networking: str | None = None
    environments: tuple[EnvironmentSettings, ...] = ()

    def rule_options(self, r: Rule) -> dict[str, Any]:
        """The ``[rules.<code>]`` and ``[rules.<name>]`` tables merged (name wins), no severity."""
        merged: dict[str, Any] = {}
        for key in (r.code, r.name):
            merged.update(self.rules.get(key, {}))
        merged.pop("severity", None)
        return merged

    def severity_of(self, r: Rule) -> Severity:
        for key in (r.name, r.code):
            value = self.rules.get(key, {}).get("severity")
            if value in ("error", "warning", "info"):
                return value  # type: ignore[no-any-return]
        return r.severity


def _read_toml(path: Path, raw: bytes) -> dict[str, Any]:
    """The aemlint table of a configuration file whose bytes were already read."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("aemlint", {})
        return section if isinstance(section, dict) else {}
    return data


def merged_schema(rules: Iterable[Rule]) -> dict[str, Any]:
    """The configuration schema with one ``[rules.<code>]``/``[rules.<name>]`` entry per rule."""
    with open(data_path("schemas", "aemlint.schema.json"), encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    rule_props: dict[str, Any] = {}
    for r in rules:
        entry = {
            "type": "object",
            "description": f"{r.code} {r.name}: {r.summary}",
            "properties": {"severity": {"enum": ["error", "warning", "info"]}}
            | dict(r.options_schema),
            "additionalProperties": False,
        }
        rule_props[r.code] = entry
        rule_props[r.name] = entry
    schema["properties"]["rules"] = {
        "type": "object",
        "description": "Per-rule severity and options, keyed by code or name.",
        "properties": rule_props,
        "additionalProperties": False,
    }
    return schema


def _key_path(parts: Sequence[object]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validate(data: dict[str, Any], rules: Sequence[Rule], path: Path) -> None:
    schema = merged_schema(rules)
    if surely_valid(data, schema):
        return  # proven without importing jsonschema (≈ 60 ms)
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    lines = []
    for error in errors:
        where = list(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            extra = (
                sorted(set(error.instance) - allowed) if isinstance(error.instance, dict) else []
            )
            for key in extra:
                lines.append(f"{path}: {_key_path([*where, key])}: unknown key")
            continue
        if error.validator == "type":
            reason = f"must be of type {error.validator_value}"
        elif error.validator == "enum":
            reason = "must be one of " + ", ".join(map(json.dumps, error.validator_value))
        elif error.validator == "required":
            reason = error.message.replace("'", "")
        else:
            reason = f"fails the {error.validator!s} constraint ({error.validator_value!r})"
        lines.append(f"{path}: {_key_path(where)}: {reason}")
    raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines))


def _str_tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def load_settings(
    root: Path,
    config_file: Path | None,
    rules: Sequence[Rule],
    cache: JsonCache,
) -> Settings:
    """Read and validate the configuration; return defaults when there is none."""
    if config_file is None:
        return Settings(root=root)
    try:
        raw = config_file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{config_file}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{config_file}: cannot be read: {exc.strerror or exc}") from None
    data = _read_toml(config_file, raw)
    key = "config-" + digest(__version__, raw.hex(), sorted((r.code, r.origin) for r in rules))
    if cache.get(key) != "valid":
        _validate(data, rules, config_file)
        cache.put(key, "valid")
    cm = data.get("cloud-manager", {})
    envs = tuple(
        EnvironmentSettings(
            name=e["name"],
            type=e["type"],
            id=str(e["id"]) if "id" in e else None,
            advanced_networking=e.get("advanced-networking"),
            variables=_str_tuple(e.get("variables", [])),
        )
        for e in cm.get("environments", [])
    )
    return Settings(
        root=root,
        config_file=config_file,
        select=_str_tuple(data["select"]) if "select" in data else ("ALL",),
        extend_select=_str_tuple(data.get("extend-select", [])),
        ignore=_str_tuple(data.get("ignore", [])),
        fail_on=data.get("fail-on", "error"),
        exclude=_str_tuple(data["exclude"]) if "exclude" in data else DEFAULT_EXCLUDES,
        extend_exclude=_str_tuple(data.get("extend-exclude", [])),
        respect_gitignore=bool(data.get("respect-gitignore", True)),
        per_file_ignores={k: _str_tuple(v) for k, v in data.get("per-file-ignores", {}).items()},
        rule_packs=_str_tuple(data.get("rule-packs", [])),
        rules=data.get("rules", {}),
        networking=cm.get("networking"),
        environments=envs,
    )
