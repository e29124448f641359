"""Where an environment-scoped MAIL finding holds: its environments, services, environment types.

One finding per offending location; each (environment, service, environment type) where it
holds is added to that location's :class:`Occurrence`, and the message says where in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment
from aemlint.model.runmodes import ENV_TYPES, SERVICES
from aemlint.types import Location, Span


@dataclass
class Occurrence:
    path: PurePosixPath
    span: Span | None
    prop: str | None
    envs: dict[str, Environment] = field(default_factory=dict)
    services: set[str] = field(default_factory=set)
    env_types: set[str] = field(default_factory=set)
    related: dict[tuple[PurePosixPath, int], Location] = field(default_factory=dict)

    def add(self, env: Environment, service: str, env_type: str) -> None:
        self.envs[env.name] = env
        self.services.add(service)
        self.env_types.add(env_type)

    def relate(self, path: PurePosixPath, span: Span | None, message: str) -> None:
        self.related.setdefault(
            (path, -1 if span is None else span.start), Location(path, span, message)
        )

    @property
    def environments(self) -> tuple[str, ...]:
        return tuple(sorted(self.envs))

    @property
    def service_names(self) -> tuple[str, ...]:
        return tuple(s for s in SERVICES if s in self.services)

    @property
    def implicit(self) -> bool:
        return len(self.envs) == 1 and not next(iter(self.envs.values())).explicit

    def where(self) -> str:
        """``in environment prod``, or in implicit mode the environment types it holds for."""
        services = self.service_names
        on = "" if len(services) == len(SERVICES) else f" on {_join(services)}"
        if self.implicit:
            types = [t for t in ENV_TYPES if t in self.env_types]
            return (
                f"where the environment is {_join(types, 'or')}{on} (environment types unknown "
                "without [[cloud-manager.environments]]: each was evaluated)"
            )
        label = "environment" if len(self.envs) == 1 else "environments"
        return f"in {label} {', '.join(self.environments)}{on}"


def _join(words: Iterable[str], last: str = "and") -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def occurrence(
    found: dict[tuple[PurePosixPath, int, str], Occurrence],
    path: PurePosixPath,
    span: Span | None,
    prop: str | None,
    kind: str = "",
) -> Occurrence:
    """The occurrence of one location (and kind of problem), created on first use."""
    key = (path, -1 if span is None else span.start, kind)
    return found.setdefault(key, Occurrence(path, span, prop))
