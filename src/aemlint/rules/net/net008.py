from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment, Forward
from aemlint.model.egress import effective_proxied
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import Occurrence, occurrence
from aemlint.types import Violation


def used_ports(project: Project, env: Environment) -> set[int]:
    """Ports that effective configurations use through `AEM_PROXY_HOST` in ``env``, on any
    service and environment type."""
    used: set[int] = set()
    for service in SERVICES:
        values = env.values(service)
        for env_type in env.env_types:
            for _, pairs in effective_proxied(project, service, env_type):
                for pair in pairs:
                    port = pair.resolve(values)
                    if port is not None:
                        used.add(port)
    return used


@rule(code="NET008", name="unused-port-forward", severity="info", scope="project")
def unused_port_forward(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A port forward that no configuration uses.

    ## What it does
    Per Cloud Manager environment with advanced networking, reports each `portForwards[]`
    entry whose `portOrig` no host/port pair of the **effective** configurations uses with
    `$[env:AEM_PROXY_HOST…]` as host — on any service (author, publish, preview) and, for an
    environment of unknown type, any environment type. Ports given by placeholder are resolved
    from the environment's variables, else their `default=`. Without
    `[[cloud-manager.environments]]`, evaluated when at least one networking document was
    found, with all of them pooled. Reported at the `portOrig`.

    ## Why is this bad?
    A forward nobody uses is either left over — an open path to a host the project no longer
    talks to — or the sign of a configuration that uses the wrong port. Java code that reads
    `AEM_PROXY_HOST` itself (Adobe's SQL example does) is not seen: hence info.

    ## Example
    Forwards 30001 → `mysql.example.com:3306` and 30002 → `smtp.sendgrid.net:465`, with only the
    mail service configured (`smtp.port` 30002).

    ## Use instead
    Remove the forward with the next full `PUT` of the environment's advanced networking, or
    suppress the finding where Java code uses the port.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5]: the client "connects to the
    `AEM_PROXY_HOST` environment variable using a `portOrig` declared in the `portForwards` API
    parameter"; the mapping `AEM_PROXY_HOST:portForwards.portOrig` →
    `portForwards.name:portForwards.portDest` [S10]; Adobe's SQL-via-Java example uses
    `System.getenv("AEM_PROXY_HOST")` and a port in code [S13] (AEM-FACTS §4.2, §4.3, §7).
    Adobe does not say unused forwards are harmful (NOT FOUND): this is housekeeping.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    forwards: dict[tuple[PurePosixPath, int, str], Forward] = {}  # same keys as ``found``
    for env in project.environments:
        if not env.networking:
            continue
        used = used_ports(project, env)
        for forward in env.forwards:
            if forward.port_orig is None or forward.port_orig in used:
                continue
            prop = f"portForwards[{forward.index}].portOrig"
            hit = occurrence(found, forward.path, forward.port_orig_span, prop)
            hit.add(env)
            span = forward.port_orig_span
            forwards[(forward.path, -1 if span is None else span.start, "")] = forward
    for key, hit in sorted(found.items(), key=lambda item: item[0]):
        forward = forwards[key]
        dest = f" → {forward.name}:{forward.port_dest}" if forward.name else ""
        yield hit.violation(
            f"port forward {forward.port_orig}{dest} is not used by any configuration "
            f"{hit.where()} (Java code may use it)"
        )


RULE = unused_port_forward
