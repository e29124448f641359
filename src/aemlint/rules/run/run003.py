from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.runmodes import effective_matrix
from aemlint.registry import RuleContext, rule
from aemlint.rules.run._where import describe_other, describe_where
from aemlint.types import Location, Violation

_SHOWN = 5  # property names listed in a message; the rest are counted


@dataclass
class _Override:
    winner: OsgiConfig
    loser: OsgiConfig
    lost: list[str]
    where: set[tuple[str, str]] = field(default_factory=set)


@rule(code="RUN003", name="property-lost-in-override", severity="warning", scope="project")
def property_lost_in_override(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A more specific run-mode file drops properties the file it overrides sets.

    ## What it does
    For each PID (factory PID + name) and each service x environment type, takes the file AEM
    applies and the file(s) that would apply without it (the next most specific ones, in the
    same `/apps` or `/libs` area), and reports, at the more specific file, the properties the
    less specific file sets that the more specific one does not (names compared ignoring case
    and `:Type` hints). The overridden file's keys are related locations.

    ## Why is this bad?
    AEM does not merge run-mode folders: the file with the most matching run modes is applied
    for the whole PID. A property set in `config/` but missing from `config.author.dev/` is not
    inherited on author-dev; it reverts to the component's default there, which is rarely what
    was meant.

    ## Example
    `config/com.acme.core.impl.FooImpl.cfg.json`:
    ```json
    {"endpoint": "https://api.example.com", "timeout:Integer": 5000}
    ```
    `config.author.dev/com.acme.core.impl.FooImpl.cfg.json`:
    ```json
    {"endpoint": "https://api.dev.example.com"}
    ```

    ## Use instead
    Repeat every property in the more specific file, or keep one file and vary the value with a
    variable:
    ```json
    {"endpoint": "$[env:FOO_ENDPOINT;default=https://api.example.com]", "timeout:Integer": 5000}
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "If multiple configurations for
    the same PID are applicable, the configuration with the highest number of matching run
    modes is applied." "This rule's granularity is at a PID level. This means you cannot define
    some properties for the same PID in `/apps/example/config.author/` and more specific ones in
    `/apps/example/config.author.dev/` for the same PID." (AEM-FACTS §3). Files the platform
    would not install (CFG001) and folders it never applies (RUN001, RUN002) are left out.
    """
    found: dict[tuple[PurePosixPath, PurePosixPath], _Override] = {}
    keys = project.keys()
    for key in keys:
        candidates = [c for c in project.configs_for(key) if c.parsed.readable]
        if len(candidates) < 2:
            continue  # nothing overrides anything: the common case, kept cheap
        for (service, env_type), res in effective_matrix(candidates).items():
            if not res.overridden:
                continue
            for winner in res.winners:
                runners = _runners_up(winner, res.overridden)
                for loser in runners:
                    item = found.get((winner.path, loser.path))
                    if item is None:
                        lost = _lost(winner, loser)
                        if not lost:
                            continue
                        item = found[(winner.path, loser.path)] = _Override(winner, loser, lost)
                    item.where.add((service, env_type))
    for item in found.values():
        yield _violation(item)


def _runners_up(winner: OsgiConfig, overridden: tuple[OsgiConfig, ...]) -> list[OsgiConfig]:
    # The files that would apply without the winner: the most specific of the rest, same area.
    same_area = [o for o in overridden if o.place.area == winner.place.area]
    if not same_area:
        return []
    best = max(len(o.place.run_modes) for o in same_area)
    return [o for o in same_area if len(o.place.run_modes) == best]


def _lost(winner: OsgiConfig, loser: OsgiConfig) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for prop in loser.properties:
        low = prop.name.lower()
        if low not in seen and winner.get(prop.name) is None:
            names.append(prop.name)
        seen.add(low)
    return names


def _violation(item: _Override) -> Violation:
    lost, loser = item.lost, item.loser
    shown = ", ".join(lost[:_SHOWN]) + (
        f" and {len(lost) - _SHOWN} more" if len(lost) > _SHOWN else ""
    )
    plural = "properties" if len(lost) > 1 else "property"
    where, services = describe_where(item.where)
    related = []
    for name in lost:
        prop = loser.get(name)
        if prop is not None:
            related.append(Location(loser.path, prop.key_span, f"{prop.name} is set here"))
    return Violation(
        message=(
            f"this file ({item.winner.place.folder}) replaces {describe_other(loser, item.winner)} "
            f"whole on {where} and does not set the {plural} {shown}: AEM does not merge "
            f"run-mode folders, so {_revert(len(lost))}"
        ),
        path=item.winner.path,
        span=None,
        related=tuple(related),
        property=lost[0] if len(lost) == 1 else None,
        services=services,
    )


def _revert(n: int) -> str:
    if n == 1:
        return "it reverts to its default there; repeat it here"
    return "they revert to their defaults there; repeat them here"


RULE = property_lost_in_override
