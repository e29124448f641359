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
from aemlint.model.project import Project
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
        self._applicable: dict[tuple[str, str], tuple[VariableSetting, ...]] = {}

    def names(self) -> list[str]:
        """Every name with a live setting, in the order first set."""
        return list(self._by_name)

    def applicable(self, name: str, service: str) -> list[VariableSetting]:
        """The live settings of ``name`` that apply on ``service``: the service-specific ones
        where there are any, else the ones for all services."""
        found = self._applicable.get((name, service))
        if found is None:
            settings = self._by_name.get(name, ())
            own = [v for v in settings if v.service == service]
            found = tuple(own or [v for v in settings if v.service is None])
            self._applicable[(name, service)] = found
        return list(found)


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


def _reads(cfg: OsgiConfig) -> tuple[tuple[str, ...], frozenset[tuple[str, str]]]:
    """The names of :func:`_uses` in order, and their (kind, name) pairs."""
    read = [(ph.kind, ph.name) for _, _, ph in cfg.interpolated() if ph.kind in VARIABLE_KINDS]
    return tuple(name for _, name in read), frozenset(read)


class Uses:
    """Every ``$[env:…]``/``$[secret:…]`` of a configuration that Felix interpolates, computed
    once per configuration of ``project`` (a configuration is effective many times, for several
    rules). Kept by the project, not by each configuration: a use refers to its configuration,
    and a cycle would keep the model alive after its last use. The names read (plain strings)
    are kept by the configuration itself, so they outlive the project (the language server
    re-uses an unchanged configuration's)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._known: dict[int, tuple[OsgiConfig, tuple[Use, ...]]] = project.memo(
            "variable_uses", lambda p: {}
        )

    def __call__(self, cfg: OsgiConfig) -> tuple[Use, ...]:
        entry = self._known.get(id(cfg))
        if entry is None or entry[0] is not cfg:  # (the entry keeps its configuration alive)
            entry = (cfg, tuple(_uses(cfg)))
            self._known[id(cfg)] = entry
        return entry[1]

    def names(self, cfg: OsgiConfig) -> tuple[str, ...]:
        """The variable name of each use, in order."""
        return cfg.memo(_READS, _reads)[0]

    def reads(self, cfg: OsgiConfig) -> frozenset[tuple[str, str]]:
        """The (kind, name) of every use."""
        return cfg.memo(_READS, _reads)[1]

    def readers(self) -> dict[tuple[str, str], tuple[OsgiConfig, ...]]:
        """(kind, name) -> every configuration of the project reading it, in project order
        (whether or not it is effective anywhere: see :meth:`Project.effective_on`)."""
        return self._project.memo("variable_readers", _readers)


_READS = "variable_reads"


def _readers(project: Project) -> dict[tuple[str, str], tuple[OsgiConfig, ...]]:
    found: dict[tuple[str, str], list[OsgiConfig]] = {}
    for cfg in project.configs:
        for read in cfg.memo(_READS, _reads)[1]:
            found.setdefault(read, []).append(cfg)
    return {read: tuple(configs) for read, configs in found.items()}


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
