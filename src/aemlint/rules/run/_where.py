"""Wording shared by the RUN rules: where (service x environment type) and which other file."""

from __future__ import annotations

from collections.abc import Iterable

from aemlint.model.osgi import OsgiConfig
from aemlint.model.runmodes import ENV_TYPES, SERVICES


def describe_where(contexts: Iterable[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """``("author (dev, stage); publish, preview (prod)", services)`` for a set of
    (service, environment type) pairs; services with the same environment types share a clause."""
    by_service: dict[str, list[str]] = {}
    for service, env_type in contexts:
        by_service.setdefault(service, []).append(env_type)
    clauses: dict[tuple[str, ...], list[str]] = {}
    for service in SERVICES:
        if service in by_service:
            envs: tuple[str, ...] = tuple(e for e in ENV_TYPES if e in by_service[service])
            clauses.setdefault(envs, []).append(service)
    parts = []
    for envs, services in clauses.items():
        on = "every environment type" if len(envs) == len(ENV_TYPES) else ", ".join(envs)
        parts.append(f"{', '.join(services)} ({on})")
    return "; ".join(parts), tuple(s for s in SERVICES if s in by_service)


def describe_other(other: OsgiConfig, here: OsgiConfig) -> str:
    """``config/X.cfg.json`` beside ``here``'s application folder, else the project path."""
    if other.place.app_root == here.place.app_root:
        return other.path.relative_to(other.place.app_root).as_posix()
    return other.path.as_posix()
