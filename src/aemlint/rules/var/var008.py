from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import Environment
from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.rules.var._scope import VARIABLE_KINDS, Occurrence, Uses, live, occurrence
from aemlint.types import Violation


def _read(
    project: Project,
    readers: dict[tuple[str, str], tuple[OsgiConfig, ...]],
    env: Environment,
    name: str,
    service: str,
    asked: dict[tuple[str, str], bool],
) -> bool:
    """A configuration effective on ``service`` (in one of ``env``'s types) reads ``name``:
    asked of the few configurations reading it, not of every effective one."""
    got = asked.get((name, service))
    if got is None:
        combos = {(service, env_type) for env_type in env.env_types}
        got = asked[(name, service)] = any(
            not combos.isdisjoint(project.effective_on(cfg))
            for kind in VARIABLE_KINDS
            for cfg in readers.get((kind, name), ())
        )
    return got


@rule(code="VAR008", name="unused-variable", severity="info", scope="project")
def unused_variable(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A Cloud Manager variable that no OSGi configuration reads.

    ## What it does
    Per Cloud Manager environment, reports (at its name) each variable the environment sets
    that no `$[env:…]`/`$[secret:…]` placeholder reads in the configurations **effective** on
    the services it applies to (all three, or its `service`). Without
    `[[cloud-manager.environments]]` all sources are pooled into one environment and every
    environment type counts. Deletes are not reported.

    ## Why is this bad?
    An unused variable is usually a leftover or a typo of the name a placeholder reads (which
    VAR006 then reports as undefined); it counts towards the 200-variable limit, and a secret
    kept without need is one more to rotate. Dispatcher configurations, the build
    (`${env.NAME}` in `pom.xml`) and Java code (`System.getenv`) may read it, which aemlint does
    not see: hence info.

    ## Example
    `--variable SMPT_HOST_NAME smtp.example.com` while configurations read `$[env:SMTP_HOST_NAME]`.

    ## Use instead
    Set the name the configuration reads, or remove the variable
    (`aio cloudmanager:environment:set-variables <ID> --delete SMPT_HOST_NAME`).

    ## Source
    Adobe, "Environment Variables" [S4]: variables are usable in OSGi configurations, in the
    Dispatcher (regular ones only) and in `pom.xml` via `${env.VARIABLE_NAME}`; "Configuring OSGi
    for AEM as a Cloud Service" [S1]: placeholders `$[env:…]`/`$[secret:…]`, "Up to 200
    variables per environment" (AEM-FACTS §1.1, §1.4, §1.6). Only OSGi configurations are
    checked; the other readers are not seen.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    readers = Uses(project).readers()
    for env in project.environments:
        asked: dict[tuple[str, str], bool] = {}
        for setting in env.variables:
            if not live(setting):
                continue
            services = [setting.service] if setting.service in SERVICES else list(SERVICES)
            if any(_read(project, readers, env, setting.name, s, asked) for s in services):
                continue
            hit = occurrence(found, setting.path, setting.name_span, setting.name)
            for service in services:
                hit.add(env, service)
    for _, hit in sorted(found.items(), key=lambda item: item[0]):
        assert hit.prop is not None
        on = f" on {hit.service_names[0]}" if len(hit.service_names) == 1 else ""
        there = "" if hit.implicit else " effective there"
        yield hit.violation(
            f"{hit.prop} is set {hit.where()} but no OSGi configuration{there}{on} reads "
            "it; remove it unless the Dispatcher, the build or Java code does"
        )


RULE = unused_variable
