from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import environments_of
from aemlint.types import Violation

LOW, HIGH = 30000, 30999


@rule(code="NET004", name="port-orig-out-of-range", severity="error", scope="project")
def port_orig_out_of_range(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A port forward's `portOrig` is outside 30000-30999.

    ## What it does
    Reports each `portForwards[].portOrig` of an advanced-networking document (named in
    `[[cloud-manager.environments]]` or discovered) that is below 30000 or above 30999, at the
    value.

    ## Why is this bad?
    `portOrig` is the port AEM connects to on `AEM_PROXY_HOST`; Adobe requires it to be taken
    from 30000-30999. A forward outside that range is refused, or at best differs from what the
    documentation promises to work.

    ## Example
    ```json
    {"portForwards": [{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 465}]}
    ```

    ## Use instead
    ```json
    {"portForwards": [{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30465}]}
    ```
    and use `30465` as the configuration's port with `$[env:AEM_PROXY_HOST]`.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5]: "For each destination host, you must map the
    intended destination port to a port from 30000 through 30999."; development guidelines [S6]:
    "within the required range of 30000 - 30999". The API schema [S16] says "in 30000-31000
    range" (minimum 30000, maximum 31000): where the two disagree (31000) the documentation's
    range is used (AEM-FACTS §4.2, §9.2). Entries that are not integers are NET006.
    """
    for doc in project.networking:
        envs = environments_of(project, doc)
        for forward in doc.forwards:
            port = forward.port_orig
            if port is None or LOW <= port <= HIGH:
                continue
            yield Violation(
                message=(
                    f"portOrig {port} is outside {LOW}-{HIGH}, the range Adobe requires for "
                    "the port AEM connects to on AEM_PROXY_HOST"
                ),
                path=doc.path,
                span=forward.port_orig_span,
                property=f"portForwards[{forward.index}].portOrig",
                environments=envs,
            )


RULE = port_orig_out_of_range
