from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import VariableSetting
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.var._scope import live
from aemlint.types import Location, Violation

LIMIT = 200


def _over(settings: Sequence[VariableSetting]) -> tuple[int, VariableSetting | None]:
    """How many distinct variables (name and service) the settings declare, and the first
    setting beyond the limit."""
    seen: set[tuple[str, str | None]] = set()
    first: VariableSetting | None = None
    for v in settings:
        key = (v.name, v.service)
        if not live(v) or key in seen:
            continue
        seen.add(key)
        if len(seen) == LIMIT + 1:
            first = v
    return len(seen), first


@rule(code="VAR005", name="too-many-variables", severity="error", scope="project")
def too_many_variables(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """More than 200 Cloud Manager variables in one environment.

    ## What it does
    Counts the distinct variables (a name, per service) each Cloud Manager environment sets —
    its variables files and the `aio … set-variables` commands for its `id` — and reports one
    beyond 200, at the first variable over the limit, with the environment's sources as related
    locations. Deletes and empty values (which delete) are not counted. Without
    `[[cloud-manager.environments]]` it counts per source document (a variables file, or the
    commands of one script for one environment id), not over the pool.

    ## Why is this bad?
    Cloud Manager declares at most 200 variables per environment: the update that goes over
    the limit is refused, and the configurations waiting for those variables keep their
    defaults or the literal placeholders.

    ## Example
    A `variables.yaml` for prod with 215 entries.

    ## Use instead
    Merge related values into fewer variables (inline configuration values are Adobe's
    standard: keep variables for what differs per environment or is secret), and remove unused
    ones (see VAR008).

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Up to 200 variables per
    environment can be declared."; Cloud Manager UI [S4]: "There is a limit of 200 variables per
    environment." (AEM-FACTS §1.4). Whether a name set for two services counts once or twice is
    not documented; it counts twice here (Cloud Manager lists them as two variables).
    """
    for env in project.environments:
        groups: dict[tuple[PurePosixPath, str | None], list[VariableSetting]] = {}
        if env.explicit:
            groups[(PurePosixPath(env.name), None)] = list(env.variables)
        else:
            for v in env.variables:
                env_id = v.environment_id if v.origin == "command" else None
                groups.setdefault((v.path, env_id), []).append(v)
        for (_, env_id), settings in groups.items():
            count, first = _over(settings)
            if first is None:
                continue
            if env.explicit:
                where = f"environment {env.name} sets"
                related = tuple(
                    Location(p, None, f"variables of {env.name}")
                    for p in dict.fromkeys(v.path for v in settings)
                )
            else:
                target = f" for environment id {env_id}" if env_id else ""
                where = f"this source{target} sets"
                related = ()
            yield Violation(
                message=(
                    f"{where} {count} variables: Cloud Manager allows up to {LIMIT} per "
                    f"environment; {first.name} is number {LIMIT + 1}"
                ),
                path=first.path,
                span=first.name_span,
                related=related,
                property=first.name,
                environments=(env.name,) if env.explicit else (),
            )


RULE = too_many_variables
