"""Where an environment-scoped finding holds: one finding per offending location.

Environment-scoped rules evaluate every (environment, service, environment type) and add each
combination where a problem holds to that location's :class:`Occurrence`; the finding then lists
the environments and services in its context, and the rule says where in words (each group of
rules subclasses it with its own ``where()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Self

from aemlint.model.cloud_manager import Environment
from aemlint.model.runmodes import SERVICES
from aemlint.types import Location, Span, Violation


@dataclass
class Occurrence:
    path: PurePosixPath
    span: Span | None
    prop: str | None
    envs: dict[str, Environment] = field(default_factory=dict)
    services: set[str] = field(default_factory=set)
    env_types: set[str] = field(default_factory=set)
    related: dict[tuple[PurePosixPath, int], Location] = field(default_factory=dict)

    @classmethod
    def at(
        cls,
        found: dict[tuple[PurePosixPath, int, str], Self],
        path: PurePosixPath,
        span: Span | None,
        prop: str | None,
        kind: str = "",
    ) -> Self:
        """The occurrence of one location (and kind of problem), created on first use."""
        key = (path, -1 if span is None else span.start, kind)
        return found.setdefault(key, cls(path, span, prop))

    def add(
        self, env: Environment, service: str | None = None, env_type: str | None = None
    ) -> None:
        self.envs[env.name] = env
        if service is not None:
            self.services.add(service)
        if env_type is not None:
            self.env_types.add(env_type)

    def relate(self, path: PurePosixPath, span: Span | None, message: str) -> None:
        key = (path, -1 if span is None else span.start)
        self.related.setdefault(key, Location(path, span, message))

    @property
    def environments(self) -> tuple[str, ...]:
        return tuple(sorted(self.envs))

    @property
    def service_names(self) -> tuple[str, ...]:
        return tuple(s for s in SERVICES if s in self.services)

    @property
    def implicit(self) -> bool:
        """Found in the pooled ``default`` environment (no ``[[cloud-manager.environments]]``)."""
        return bool(self.envs) and all(not e.explicit for e in self.envs.values())

    def on(self) -> str:
        """`` on publish, preview`` when the finding does not hold on every service."""
        services = self.service_names
        if not services or len(services) == len(SERVICES):
            return ""
        return " on " + ", ".join(services)

    def violation(self, message: str) -> Violation:
        return Violation(
            message=message,
            path=self.path,
            span=self.span,
            related=tuple(self.related.values()),
            property=self.prop,
            environments=self.environments,
            services=self.service_names,
        )
