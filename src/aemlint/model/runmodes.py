"""Run-mode resolution: which configuration file AEM applies for a key on a service x environment.

Facts (AEM-FACTS §3, SPEC §3.1):

* a folder applies when all of its run modes are active; the services are ``author`` and
  ``publish``, and ``preview`` uses publish's folders (a ``config.preview`` folder is not
  supported, so it never applies) [S1][S2];
* only the 15 AEMaaCS folders (and ``install``, ``install.author``, ``install.publish``) apply;
  unsupported or misordered folders (RUN001, RUN002) never do;
* ``/apps`` wins over ``/libs`` whatever the run modes (Sling JCR installer priorities: the
  ``/apps`` search path outweighs any number of run-mode increments) [S26];
* then the file with the most run modes wins **the whole PID**; properties are not merged [S1];
* a tie is not documented: every tied file is a winner (RUN004 when their run-mode sets differ,
  CFG005 when the same set appears twice: two app folders, or two forms in one folder).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeGuard

from aemlint.model.osgi import ConfigPlace, OsgiConfig

__all__ = [
    "ENV_TYPES",
    "SERVICES",
    "EnvType",
    "Resolution",
    "Service",
    "applies",
    "applies_on",
    "effective_matrix",
    "is_env_type",
    "is_service",
    "resolve",
    "resolve_all",
]

Service = Literal["author", "publish", "preview"]
EnvType = Literal["dev", "stage", "prod", "rde"]
SERVICES: tuple[Service, ...] = ("author", "publish", "preview")
ENV_TYPES: tuple[EnvType, ...] = ("dev", "stage", "prod", "rde")


def is_service(name: str) -> TypeGuard[Service]:
    return name in SERVICES


def is_env_type(name: str) -> TypeGuard[EnvType]:
    return name in ENV_TYPES


def _checked(service: str, env_type: str) -> tuple[Service, EnvType]:
    # Callers pass plain strings (CLI options, configuration); a wrong one is a programming error.
    if not is_service(service):
        raise ValueError(f"unknown service {service!r}: expected one of {', '.join(SERVICES)}")
    if not is_env_type(env_type):
        raise ValueError(f"unknown environment type {env_type!r}: expected {', '.join(ENV_TYPES)}")
    return service, env_type


def applies(place: ConfigPlace, service: str, env_type: str) -> bool:
    """True when every run mode of the place's folder is active on ``service`` x ``env_type``.

    Raises ValueError for a service or environment type outside :data:`SERVICES`/:data:`ENV_TYPES`.
    """
    _checked(service, env_type)
    if not place.supported:
        return False
    active = "publish" if service == "preview" else service
    return all(mode in (active, env_type) for mode in place.run_modes)


def applies_on(service: str, env_type: str) -> Callable[[ConfigPlace], bool]:
    """:func:`applies` for one ``service`` x ``env_type``, checked once (for many places)."""
    service, env_type = _checked(service, env_type)
    active = ("publish" if service == "preview" else service, env_type)

    def test(place: ConfigPlace) -> bool:
        return place.supported and all(mode in active for mode in place.run_modes)

    return test


def _rank(place: ConfigPlace) -> tuple[int, int]:
    return (1 if place.area == "apps" else 0, len(place.run_modes))


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome for one key on one service x environment type.

    ``winners`` holds the applied file, or every tied file when the platform's choice is not
    documented (sorted by path); ``overridden`` the other applicable files, the closest to
    winning first (``/apps`` before ``/libs``, then more run modes, then by path).
    """

    key: str
    service: Service
    env_type: EnvType
    winners: tuple[OsgiConfig, ...]
    overridden: tuple[OsgiConfig, ...]

    @property
    def winner(self) -> OsgiConfig:
        return self.winners[0]

    @property
    def ambiguous(self) -> bool:
        return len(self.winners) > 1

    @property
    def run_mode_tie(self) -> bool:
        """Tied winners with different run-mode sets (``config.author`` vs ``config.dev``): RUN004.

        Tied winners with one run-mode set are duplicates (CFG005) instead.
        """
        return len({frozenset(w.place.run_modes) for w in self.winners}) > 1


def resolve(candidates: Sequence[OsgiConfig], service: str, env_type: str) -> Resolution | None:
    """Resolve the configurations of ONE key; None when none applies.

    Raises ValueError when the candidates do not share one key (use :func:`resolve_all`), or
    for an unknown service or environment type.
    """
    service, env_type = _checked(service, env_type)
    if not candidates:
        return None
    key = candidates[0].key
    for c in candidates:
        if c.key != key:
            raise ValueError(f"resolve() takes the configurations of one key: {key!r}, {c.key!r}")
    test = applies_on(service, env_type)
    applicable = [c for c in candidates if test(c.place)]
    if not applicable:
        return None
    best = max(_rank(c.place) for c in applicable)
    winners = sorted((c for c in applicable if _rank(c.place) == best), key=_path_key)
    losers = sorted(
        (c for c in applicable if _rank(c.place) != best),
        key=lambda c: (tuple(-r for r in _rank(c.place)), _path_key(c)),
    )
    return Resolution(key, service, env_type, tuple(winners), tuple(losers))


def resolve_all(
    configs: Iterable[OsgiConfig], service: str, env_type: str
) -> dict[str, Resolution]:
    """Resolve every key of ``configs`` (factory configurations: per factory PID + name)."""
    result: dict[str, Resolution] = {}
    for key, group in _by_key(configs).items():
        resolution = resolve(group, service, env_type)
        if resolution is not None:
            result[key] = resolution
    return result


def effective_matrix(
    candidates: Sequence[OsgiConfig],
) -> dict[tuple[Service, EnvType], Resolution]:
    """:func:`resolve` for every service x environment type where something applies."""
    matrix: dict[tuple[Service, EnvType], Resolution] = {}
    for service in SERVICES:
        for env_type in ENV_TYPES:
            resolution = resolve(candidates, service, env_type)
            if resolution is not None:
                matrix[(service, env_type)] = resolution
    return matrix


def _by_key(configs: Iterable[OsgiConfig]) -> dict[str, list[OsgiConfig]]:
    groups: dict[str, list[OsgiConfig]] = {}
    for c in configs:
        groups.setdefault(c.key, []).append(c)
    return groups


def _path_key(config: OsgiConfig) -> str:
    return config.path.as_posix()
