from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import HTTP_PORTS, environments_of
from aemlint.types import Violation


@rule(code="NET007", name="http-port-forward", severity="warning", scope="project")
def http_port_forward(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A port forward targets `portDest` 80 or 443.

    ## What it does
    Reports each `portForwards[]` entry of an advanced-networking document whose `portDest` is
    80 or 443, at the value.

    ## Why is this bad?
    HTTP and HTTPS do not use port forwards: on 80/443 they leave AEM through the HTTP proxy
    (Java's standard proxy settings), and on other ports through `AEM_PROXY_HOST` with the
    reserved `AEM_HTTP_PROXY_PORT`/`AEM_HTTPS_PROXY_PORT`. A forward to 80/443 is a
    misunderstanding of the routing: the client that should use it probably speaks HTTP and
    goes another way, or the destination is wrong.

    ## Example
    ```json
    {"portForwards": [{"name": "api.example.com", "portDest": 443, "portOrig": 30443}]}
    ```

    ## Use instead
    Remove the forward and call `https://api.example.com` directly (HTTP clients that honour
    the JVM proxy settings are routed automatically). Keep forwards for non-HTTP protocols.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5]: "Port forwarding rules should be declared
    for any destination ports other than 80/443, but only if not using http or https protocol.";
    for HTTP/HTTPS on non-standard ports "Do not declare the destination port in the Cloud
    Manager API call's portForwards parameter"; flexible-port-egress tutorial [S10]: "If your
    AEM deployment only requires HTTP/HTTPS connections (port 80/443) to external service,
    leave the `portForwards` array empty"; dedicated IP / VPN [S10c]: HTTP/HTTPS are
    "automatically proxied … and they do not need any special `portForwards` rules"
    (AEM-FACTS §4.2, §4.3, §7). Whether Cloud Manager refuses such a forward is not documented:
    hence a warning.
    """
    for doc in project.networking:
        envs = environments_of(project, doc)
        for forward in doc.forwards:
            port = forward.port_dest
            if port not in HTTP_PORTS:
                continue
            yield Violation(
                message=(
                    f"portDest {port} is HTTP(S): it goes through the HTTP proxy and must not "
                    "be forwarded (forwards are for non-HTTP protocols)"
                ),
                path=doc.path,
                span=forward.port_dest_span,
                property=f"portForwards[{forward.index}].portDest",
                environments=envs,
            )


RULE = http_port_forward
