from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment
from aemlint.model.egress import HostPort, effective_proxied
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.types import Location, Span, Violation


@dataclass
class _Miss:
    pair: HostPort
    port: int
    envs: dict[str, Environment] = field(default_factory=dict)
    services: set[str] = field(default_factory=set)


def _forwards(env: Environment) -> str:
    ports = sorted(env.port_origs)
    return ", ".join(map(str, ports)) if ports else "none"


def _where(envs: list[Environment]) -> str:
    if len(envs) == 1 and not envs[0].explicit:
        sources = ", ".join(str(n.path) for n in envs[0].networking)
        return (
            f"by the advanced networking of the project ({sources}; forwards: {_forwards(envs[0])})"
        )
    label = "environment" if len(envs) == 1 else "environments"
    return f"in {label} " + ", ".join(f"{e.name} (forwards: {_forwards(e)})" for e in envs)


@rule(code="NET001", name="port-not-forwarded", severity="error", scope="project")
def port_not_forwarded(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A port used through `AEM_PROXY_HOST` is not a port forward of the environment.

    ## What it does
    For every host/port pair whose host is `$[env:AEM_PROXY_HOST…]` — the mail service's
    `smtp.host`/`smtp.port`, `X.host`/`X.port`, `host.name`/`host.port`, `xHost`/`xPort`, and
    connection URIs such as `jdbc:mysql://$[env:AEM_PROXY_HOST]:30001/db` — checks, per Cloud
    Manager environment and service on the **effective** configuration (run-mode overrides
    applied), that the port is a `portForwards[].portOrig` of that environment's advanced
    networking. A port given by placeholder is resolved from the environment's variables, else
    its `default=`, else the pair is skipped. Evaluated only where forwards are declared: an
    environment with an `advanced-networking` file, or, without `[[cloud-manager.environments]]`,
    when at least one networking document was found (all of them pooled).

    ## Why is this bad?
    The proxy only listens on the declared `portOrig` ports. A connection to any other port of
    `AEM_PROXY_HOST` fails at run time — mail stops, the JDBC pool cannot connect — and only in
    the environments whose forwards lack the port, typically production.

    ## Example
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": "30587"}
    ```
    with prod's advanced networking forwarding only 30465.

    ## Use instead
    Add the forward to the environment's advanced networking (a full `PUT`):
    ```json
    {"portForwards": [{"name": "smtp.sendgrid.net", "portDest": 587, "portOrig": 30587}]}
    ```
    or use a port that is forwarded.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5]: "Client connects to the `AEM_PROXY_HOST`
    environment variable using a `portOrig` declared in the `portForwards` API parameter" →
    allowed, "Everything else" → blocked; the mapping `AEM_PROXY_HOST:portForwards.portOrig` →
    `portForwards.name:portForwards.portDest` [S10]; the email tutorial sets `smtp.port` to the
    `portOrig` [S9] (AEM-FACTS §4.2, §4.3, §6.2). Java code that builds connections itself is
    not seen (see NET008).
    """
    misses: dict[tuple[PurePosixPath, Span], _Miss] = {}
    for env in project.environments:
        if not env.networking:
            continue
        origs = env.port_origs
        for service in SERVICES:
            values = env.values(service)
            for env_type in env.env_types:
                for cfg, pairs in effective_proxied(project, service, env_type):
                    for pair in pairs:
                        if pair.port is None:
                            continue
                        port = pair.resolve(values)
                        if port is None or port in origs:
                            continue
                        miss = misses.setdefault((cfg.path, pair.port.span), _Miss(pair, port))
                        miss.envs[env.name] = env
                        miss.services.add(service)
    for (path, span), miss in sorted(
        misses.items(), key=lambda item: (item[0][0], item[0][1].start)
    ):
        envs = list(miss.envs.values())
        prop = miss.pair.port_property
        what = f"{prop} port {miss.port}" if miss.pair.kind == "uri" else f"{prop} {miss.port}"
        related = tuple(
            Location(n.path, n.forwards_span, f"port forwards of {e.name}")
            for e in envs
            for n in e.networking
        )
        yield Violation(
            message=f"{what} is not forwarded {_where(envs)}",
            path=path,
            span=span,
            related=related,
            property=prop,
            environments=tuple(sorted(miss.envs)),
            services=tuple(s for s in SERVICES if s in miss.services),
        )


RULE = port_not_forwarded
