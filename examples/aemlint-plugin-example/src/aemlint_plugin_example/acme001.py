"""ACME001 service-ranking-required: every ACME service configuration sets its ranking."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

DEFAULT_PIDS = ["com.acme.*"]


@rule(
    code="ACME001",
    name="service-ranking-required",
    severity="warning",
    scope="config",
    options={
        "pids": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "PID globs of the services that must set service.ranking.",
        }
    },
)
def service_ranking_required(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """An ACME service configuration does not set `service.ranking` as an Integer.

    ## What it does
    Reports a configuration of an ACME service (PIDs matching the `pids` option, `com.acme.*`
    by default) that has no `service.ranking`, or whose `service.ranking` is not a single
    `Integer` — in `.cfg.json` an untyped number is a `Long`, so write `service.ranking:Integer`.

    ## Why is this bad?
    ACME services are registered several times (product default, brand overrides) and OSGi
    picks the one with the highest `service.ranking`. A ranking that is not an `Integer` counts
    as 0, so the override silently loses or wins by service id, i.e. by start order.

    ## Example
    ```json
    {"endpoint": "https://api.acme.example", "service.ranking": 100}
    ```

    ## Use instead
    ```json
    {"endpoint": "https://api.acme.example", "service.ranking:Integer": 100}
    ```

    ## Source
    ACME platform guideline "Service overrides" (an example convention for this plugin).
    OSGi Core, `org.osgi.framework.Constants.SERVICE_RANKING`: a value that is not an `Integer`
    is deemed to have a ranking of zero. The `.cfg.json` reader types an untyped JSON integer
    as `Long` (aemlint SPEC §1, `aemlint effective`).
    """
    globs = ctx.options.get("pids", DEFAULT_PIDS)
    if not any(fnmatchcase(cfg.pid, g) for g in globs):
        return
    prop = cfg.get("service.ranking")
    if prop is None:
        yield Violation(
            message="service.ranking is missing: set an Integer ranking for this ACME service",
            path=cfg.path,
            span=None,
            property="service.ranking",
        )
    elif prop.is_multi or prop.type_name != "Integer":
        yield Violation(
            message=(
                f"service.ranking is a {prop.type_name}, not an Integer: OSGi ranks the service "
                "as 0 (in .cfg.json write service.ranking:Integer)"
            ),
            path=cfg.path,
            span=prop.value_span,
            property="service.ranking",
        )


RULE = service_ranking_required
