"""Shared by the environment-scoped VAR rules: which variables an environment defines for a
service, where configurations read variables, and where a finding holds.

Felix interpolates only ``String`` and ``String[]`` values (AEM-FACTS §1.2 [S21]); only
``$[env:…]`` and ``$[secret:…]`` read Cloud Manager variables.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment, VariableSetting
from aemlint.model.occurrences import Occurrence as BaseOccurrence
from aemlint.model.osgi import OsgiConfig
from aemlint.parsing.values import Placeholder, Property, Scalar
from aemlint.types import Location

VARIABLE_KINDS = ("env", "secret")


def live(setting: VariableSetting) -> bool:
    """The setting sets the variable: not a delete, and not an empty value in a variables file
    (which deletes it)."""
    if setting.deleted:
        return False
    return not (setting.origin == "file" and setting.value is not None and len(setting.value) == 0)


class Variables:
    """An environment's live settings by name, resolved per service as Cloud Manager does."""

    def __init__(self, env: Environment) -> None:
        self._by_name: dict[str, list[VariableSetting]] = {}
        for v in env.variables:
            if live(v):
                self._by_name.setdefault(v.name, []).append(v)

    def applicable(self, name: str, service: str) -> list[VariableSetting]:
        """The live settings of ``name`` that apply on ``service``: the service-specific ones
        where there are any, else the ones for all services."""
        settings = self._by_name.get(name, ())
        own = [v for v in settings if v.service == service]
        return own or [v for v in settings if v.service is None]


def declares_variables(env: Environment) -> bool:
    """The environment's variables are declared, not only set by scripts (explicit mode, with at
    least one variables file or export): :attr:`Environment.declares_variables`."""
    return env.declares_variables


@dataclass(frozen=True, slots=True)
class Use:
    """One placeholder reading a Cloud Manager variable."""

    cfg: OsgiConfig
    prop: Property
    scalar: Scalar
    placeholder: Placeholder
    outer: bool  # not nested inside another placeholder (in its name or a directive)


def _uses(cfg: OsgiConfig) -> Iterator[Use]:
    for prop, scalar, ph in cfg.interpolated():
        if ph.kind not in VARIABLE_KINDS:
            continue
        nested = any(
            q is not ph and q.start <= ph.start and ph.end <= q.end for q in scalar.placeholders
        )
        yield Use(cfg, prop, scalar, ph, not nested)


class Uses:
    """Every ``$[env:…]``/``$[secret:…]`` of a configuration that Felix interpolates, computed
    once per configuration for one rule run (a configuration is effective many times)."""

    def __init__(self) -> None:
        self._cache: dict[PurePosixPath, tuple[Use, ...]] = {}

    def __call__(self, cfg: OsgiConfig) -> tuple[Use, ...]:
        found = self._cache.get(cfg.path)
        if found is None:
            found = self._cache[cfg.path] = tuple(_uses(cfg))
        return found


class Occurrence(BaseOccurrence):
    """A VAR finding's location; ``where()`` names the environments."""

    def where(self) -> str:
        if self.implicit:
            return "in the project's Cloud Manager settings"
        label = "environment" if len(self.envs) == 1 else "environments"
        return f"in {label} {', '.join(self.environments)}"


occurrence = Occurrence.at


def sources(env: Environment) -> list[Location]:
    """One related location per variables source of the environment."""
    seen: dict[PurePosixPath, Location] = {}
    for v in env.variables:
        seen.setdefault(v.path, Location(v.path, None, f"variables of {env.name}"))
    return list(seen.values())
