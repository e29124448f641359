from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import environments_of
from aemlint.types import Violation


@rule(code="NET010", name="non-proxy-hosts-unsupported", severity="warning", scope="project")
def non_proxy_hosts_unsupported(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """`nonProxyHosts` with flexible port egress, or a wildcard not at the start of a host.

    ## What it does
    In each advanced-networking document: when the configuration says
    `[cloud-manager] networking = "flexiblePortEgress"`, reports a non-empty `nonProxyHosts`
    (at its first entry); whatever the networking kind, reports each `nonProxyHosts` entry with
    a `*` anywhere but as its first character (`example.*`, `api.*.example.com`).

    ## Why is this bad?
    Non-proxy hosts exist only for dedicated egress IP and VPN: with flexible port egress the
    list does nothing, and the traffic the author meant to send directly still goes through the
    egress. A wildcard elsewhere than at the start is not supported by the documentation, so the
    host may not be matched.

    ## Example
    ```json
    {"nonProxyHosts": ["example.*"]}
    ```

    ## Use instead
    ```json
    {"nonProxyHosts": ["*.example.com", "example.com"]}
    ```
    on a program with dedicated egress IP or VPN.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5]: "Non-proxy hosts are only available for
    dedicated egress IP address and VPN advanced networking types."; "The `nonProxyHost` URLs may
    follow the patterns of `example.com` or `*.example.com`, where the wildcard is only supported
    at the start of the domain." The API [S16] says patterns "may start or end with a '*'": the
    sources disagree and SPEC follows the documentation (AEM-FACTS §4.2, §9.12). Without
    `[cloud-manager] networking` the kind is unknown and only the wildcard check applies.
    """
    flexible = project.networking_kind == "flexiblePortEgress"
    for doc in project.networking:
        envs = environments_of(project, doc)
        if flexible and doc.non_proxy_hosts:
            count = len(doc.non_proxy_hosts)
            yield Violation(
                message=(
                    f"nonProxyHosts ({count} {'host' if count == 1 else 'hosts'}) is not "
                    "available with flexible port egress: only dedicated egress IP and VPN "
                    "bypass the egress for listed hosts"
                ),
                path=doc.path,
                span=doc.non_proxy_hosts[0][1],
                property="nonProxyHosts",
                environments=envs,
            )
        for host, span in doc.non_proxy_hosts:
            if "*" not in host[1:]:
                continue
            yield Violation(
                message=(
                    f"nonProxyHosts entry {host!r} has a wildcard that is not at the start: "
                    "Adobe supports only example.com or *.example.com patterns"
                ),
                path=doc.path,
                span=span,
                property="nonProxyHosts",
                environments=envs,
            )


RULE = non_proxy_hosts_unsupported
