from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.networking_schema import pointer
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import environments_of
from aemlint.types import Violation


@rule(code="NET006", name="invalid-forward", severity="error", scope="project")
def invalid_forward(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """An advanced-networking entry or document violates the Cloud Manager API schema.

    ## What it does
    Validates each advanced-networking document (the body of Cloud Manager's
    `PUT …/environment/{environmentId}/advancedNetworking`) against
    `schemas/cloud-manager/advanced-networking.schema.json`, derived from the API's
    `EnableAdvancedNetworkingConfiguration` and `PortForwardRepresentation`: `portForwards` and
    `nonProxyHosts` are arrays, a forward has the required `portDest` and `portOrig` as
    integers, `portDest` is at most 65535, `name` is a lower-case host name, each non-proxy host
    is a string. Each violation is reported at its position. The entry is then skipped — the
    other rules (NET001, NET005, NET008…) see only the valid forwards — and the rest of the
    document still applies. A document that does not parse at all is CFG001.

    ## Why is this bad?
    Cloud Manager refuses the `PUT` with such a body: none of the environment's forwards is
    applied, and every connection through `AEM_PROXY_HOST` that relies on them fails.

    ## Example
    ```json
    {"portForwards": [{"name": "SMTP.SendGrid.net", "portDest": "465", "portOrig": 30465}]}
    ```

    ## Use instead
    ```json
    {"portForwards": [{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30465}]}
    ```

    ## Source
    Cloud Manager API document [S16] (AdobeDocs/cloudmanager-api-docs `swagger-specs/api.yaml`),
    definitions `EnableAdvancedNetworkingConfiguration` (`nonProxyHosts` string[],
    `portForwards` array of `PortForwardRepresentation`) and `PortForwardRepresentation`
    (required `portDest`, `portOrig`; `name` pattern
    `^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`; `portDest` int32
    maximum 65535; `portOrig` int32) (AEM-FACTS §4.2). The API does not make `name` required,
    and gives no minimum for `portDest` (1 is used: no TCP connection goes to port 0). A number
    with a fraction (`30465.0`) is not taken as an int32 (what the API does with it is not
    documented). The `portOrig` range is NET004's.
    """
    for doc in project.networking:
        envs = environments_of(project, doc)
        for issue in doc.invalid:
            skipped = (
                f"; portForwards[{issue.forward_index}] is ignored"
                if issue.forward_index is not None
                else ""
            )
            yield Violation(
                message=f"{issue.message} (Cloud Manager API schema){skipped}",
                path=doc.path,
                span=issue.span,
                property=pointer(issue.path),
                environments=envs,
            )


RULE = invalid_forward
