from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment
from aemlint.model.egress import PROXY_VARIABLE
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.model.spans import sub_span
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import Occurrence, occurrence
from aemlint.types import Violation


def _without_networking(project: Project, env: Environment) -> bool:
    if project.networking_kind == "none":
        return True
    return env.explicit and not env.networking


@rule(code="NET009", name="egress-without-advanced-networking", severity="error", scope="project")
def egress_without_advanced_networking(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """Configurations route through `AEM_PROXY_HOST` but the environment has no advanced
    networking.

    ## What it does
    Reports each `$[env:AEM_PROXY_HOST…]` in the **effective** configurations of an
    environment that has no advanced networking: every environment when the configuration says
    `[cloud-manager] networking = "none"`, and an environment of
    `[[cloud-manager.environments]]` without an `advanced-networking` file. One finding per
    placeholder, with the environments and services in its context. Never evaluated otherwise:
    without `[[cloud-manager.environments]]` the project may simply not keep its networking
    documents in the repository.

    ## Why is this bad?
    `AEM_PROXY_HOST` and its port forwards exist only where advanced networking is configured
    (a program-level infrastructure plus the environment's `PUT …/advancedNetworking`). Without
    it the placeholder is not resolved (or resolves to nothing usable) and the connection —
    mail, JDBC, LDAP — fails in that environment.

    ## Example
    `"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"` with
    `[cloud-manager] networking = "none"`.

    ## Use instead
    Create the program's network infrastructure (`flexiblePortEgress` is Adobe's recommendation)
    and enable advanced networking on the environment with the forwards it needs, then name the
    document in the environment's `advanced-networking`.

    ## Source
    Adobe, email tutorial KT-9353 [S9] and SQL tutorial [S12], support tables: "No advanced
    networking ✘"; "Configuring Advanced Networking" [S5]: the proxy host and `portOrig` ports
    come from the environment's advanced networking configuration (AEM-FACTS §4.1, §4.2, §6.3).
    What `AEM_PROXY_HOST` holds on an environment without advanced networking is not documented
    (NOT FOUND).
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    for env in project.environments:
        if not _without_networking(project, env):
            continue
        for service in SERVICES:
            for env_type in env.env_types:
                for cfg in project.effective_configs(service, env_type):
                    source = project.texts.get(cfg.path)
                    for prop, scalar, ph in cfg.interpolated():
                        if ph.kind != "env" or ph.name != PROXY_VARIABLE:
                            continue
                        span = sub_span(scalar, ph.start, ph.end, source)
                        hit = occurrence(found, cfg.path, span, prop.name)
                        hit.add(env, service, env_type)
    for _, hit in sorted(found.items(), key=lambda item: item[0]):
        if project.networking_kind == "none":
            why = 'the program has no advanced networking ([cloud-manager] networking = "none")'
        else:
            label = "environment" if len(hit.envs) == 1 else "environments"
            why = (
                f"{label} {', '.join(hit.environments)} declare no advanced networking "
                "(no advanced-networking file)"
                if len(hit.envs) > 1
                else f"{label} {hit.environments[0]} declares no advanced networking "
                "(no advanced-networking file)"
            )
        yield hit.violation(
            f"{hit.prop} routes through $[env:{PROXY_VARIABLE}]{hit.on()} but {why}: "
            "the connection fails there"
        )


RULE = egress_without_advanced_networking
