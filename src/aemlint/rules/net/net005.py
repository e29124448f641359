from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.cloud_manager import Forward
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import environments_of
from aemlint.types import Location, Violation


@rule(code="NET005", name="duplicate-port-orig", severity="error", scope="project")
def duplicate_port_orig(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A `portOrig` is used twice in one environment's port forwards.

    ## What it does
    Reports every `portForwards` entry whose `portOrig` an earlier entry of the same
    environment's advanced networking already uses, at the repeated value, with the first entry
    as related location. An environment's forwards are those of its one `advanced-networking`
    document; without `[[cloud-manager.environments]]` each discovered document is checked on
    its own (documents for different environments may reuse a port).

    ## Why is this bad?
    `portOrig` is the port AEM connects to on `AEM_PROXY_HOST`; it selects one destination.
    Two forwards with the same `portOrig` leave it undefined which destination a connection
    reaches, and the API requires the value to be unique.

    ## Example
    ```json
    {"portForwards": [
      {"name": "mysql.example.com", "portDest": 3306, "portOrig": 30001},
      {"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30001}]}
    ```

    ## Use instead
    Give each forward its own `portOrig` (30002 for the second) and point the configuration
    that uses it at that port.

    ## Source
    Cloud Manager API [S16], `PortForwardRepresentation.portOrig`: "Origin port for tunnel.
    Must be unique and in 30000-31000 range."; the mapping `AEM_PROXY_HOST:portOrig` →
    `name:portDest` [S10] (AEM-FACTS §4.2). An older translated page says unique across all
    environments of the program [S5c]; that sentence is NOT FOUND in the current English
    documentation, so uniqueness is checked per environment.
    """
    for doc in project.networking:
        envs = environments_of(project, doc)
        first: dict[int, Forward] = {}
        for forward in doc.forwards:
            port = forward.port_orig
            if port is None:
                continue
            earlier = first.setdefault(port, forward)
            if earlier is forward:
                continue
            yield Violation(
                message=(
                    f"portOrig {port} is already used by portForwards[{earlier.index}] "
                    f"(line {earlier.span.line}): each forward needs its own portOrig"
                ),
                path=doc.path,
                span=forward.port_orig_span,
                related=(
                    Location(doc.path, earlier.port_orig_span, f"first use of portOrig {port}"),
                ),
                property=f"portForwards[{forward.index}].portOrig",
                environments=envs,
            )


RULE = duplicate_port_orig
