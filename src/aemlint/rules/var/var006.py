from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.model.spans import sub_span
from aemlint.registry import RuleContext, rule
from aemlint.rules.var._scope import (
    Occurrence,
    Uses,
    Variables,
    declares_variables,
    live,
    occurrence,
    sources,
)
from aemlint.types import Violation

PRODUCT_PREFIX = "AEM_"


@rule(code="VAR006", name="undefined-variable", severity="warning", scope="project")
def undefined_variable(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A placeholder without `default=` reads a variable the environment does not define.

    ## What it does
    Per Cloud Manager environment whose variables are declared (an explicit environment with a
    variables file or export) and per service, reports each `$[env:NAME]` or `$[secret:NAME]`
    without a `default=` directive, in the **effective** configurations, whose NAME the
    environment does not set for that service (a service-specific variable counts on its service
    only). `AEM_*` product variables count as defined, and so does a variable set by an `aio`
    command whose environment id is given at run time (`"$ENVIRONMENT_ID"`: it may target any
    environment). Reported at the placeholder, with the environment's variables sources as
    related locations.

    Never evaluated without `[[cloud-manager.environments]]`: scripts that set some variables do
    not declare all of them.

    ## Why is this bad?
    Felix leaves a placeholder it cannot resolve in the value: the service receives the text
    `$[env:NAME]` as its host name, URL or password, and fails at run time, in that environment
    only.

    ## Example
    `"api.url": "$[env:ACME_API_URL]"` with prod's `variables.yaml` not setting `ACME_API_URL`.

    ## Use instead
    Set the variable for the environment
    (`aio cloudmanager:environment:set-variables <ID> --variable ACME_API_URL https://…`), or give
    the placeholder a default: `"$[env:ACME_API_URL;default=https://api.example.com]"`. Secrets
    set outside the repository belong in the variables file as a run-time template:
    `{"name": "ACME_API_KEY", "value": "${ACME_API_KEY}", "type": "secretString"}`.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "If no per-environment value is
    set, at runtime the placeholder is not replaced and is left in place since no interpolation
    happened. To avoid this, a default value can be provided"; Apache Felix interpolation [S20]
    "Without a default, the placeholder is left in the value if no value can be found."
    (AEM-FACTS §1.1, §1.2). Adobe publishes no complete list of `AEM_*` variables (NOT FOUND),
    so every `AEM_*` name counts as defined by the product.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    # Commands whose environment id is given at run time may target any environment.
    floating = {
        (v.name, v.service)
        for v in project.variable_settings
        if v.origin == "command" and v.environment_id is None and live(v)
    }
    uses = Uses(project)
    for env in project.environments:
        if not declares_variables(env):
            continue
        variables = Variables(env)
        for service in SERVICES:
            for env_type in env.env_types:
                for cfg in project.effective_configs(service, env_type):
                    for use in uses(cfg):
                        ph = use.placeholder
                        if not use.outer or ph.directive("default") is not None:
                            continue
                        if ph.name.startswith(PRODUCT_PREFIX) or variables.applicable(
                            ph.name, service
                        ):
                            continue
                        if {(ph.name, None), (ph.name, service)} & floating:
                            continue
                        text = project.texts.get(cfg.path)
                        span = sub_span(use.scalar, ph.start, ph.end, text)
                        key = f"{ph.kind}:{ph.name}"
                        hit = occurrence(found, cfg.path, span, use.prop.name, key)
                        hit.add(env, service)
                        for location in sources(env):
                            hit.relate(location.path, location.span, location.message)
    for (_, _, key), hit in sorted(found.items(), key=lambda item: item[0]):
        kind, _, name = key.partition(":")
        yield hit.violation(
            f"$[{kind}:{name}] has no default= and {name} is not defined {hit.where()}"
            f"{hit.on()}: the literal placeholder text is deployed there; set the variable "
            "or add a default"
        )


RULE = undefined_variable
