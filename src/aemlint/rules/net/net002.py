from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.egress import host_port_pairs
from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.rules.net._scope import HTTP_PORTS, show_host
from aemlint.types import Violation


@rule(code="NET002", name="direct-egress", severity="error", scope="config")
def direct_egress(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A connection on a non-HTTP port goes to a literal host instead of `AEM_PROXY_HOST`.

    ## What it does
    For every host/port pair of a configuration — `smtp.host`/`smtp.port`, `X.host`/`X.port`,
    `host.name`/`host.port` (LDAP), `xHost`/`xPort`, `X.hostname`/`X.port`, and connection URIs
    (`jdbc:…`, `mongodb://`, `ldap(s)://`, `smtp(s)://`, `redis(s)://`, `amqp(s)://`, with the
    scheme's default port when none is given) — reports a literal host (any host: public names,
    `localhost`, private and loopback addresses) on a port other than 80 and 443. A port given by
    placeholder is read from its `default=`; without one the pair is skipped. A host that is a
    placeholder (`$[env:DB_HOST]`) or an `http(s)://` URL is not judged. Reported at the host.

    ## Why is this bad?
    AEM as a Cloud Service blocks outgoing connections on non-HTTP ports except through the
    advanced-networking proxy: the client must connect to `AEM_PROXY_HOST` on a `portOrig`
    forwarded to the real host and port. A direct connection fails in every cloud environment.
    `localhost` and private addresses reach nothing there either.

    ## Example
    ```json
    {"jdbc.connection.uri": "jdbc:mysql://mysql.example.com:3306/db"}
    ```

    ## Use instead
    ```json
    {"jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db"}
    ```
    with the forward `{"name": "mysql.example.com", "portDest": 3306, "portOrig": 30001}`.

    ## Source
    Adobe, "Configuring Advanced Networking" [S5], flexible port egress traffic routing: non-HTTP
    traffic is allowed when the "Client connects to the `AEM_PROXY_HOST` environment variable
    using a `portOrig` declared in the `portForwards` API parameter"; "Everything else" is
    blocked (example `db.example.com:5555`); with dedicated egress IP and VPN, non-HTTP ports
    not using the proxy are blocked as well. "Port forwarding rules should be declared for any
    destination ports other than 80/443, but only if not using http or https protocol."
    (AEM-FACTS §4.2, §4.3). Adobe has no LDAP example (NOT FOUND); LDAP is a non-HTTP
    protocol and falls under "everything else".
    """
    source = ctx.project.texts.get(cfg.path)
    seen: set[int] = set()
    for pair in host_port_pairs(cfg, source):
        if pair.proxied or pair.host is None or pair.port is None or pair.host_span is None:
            continue
        if pair.host.lower().startswith(("http://", "https://")):
            continue  # an HTTP(S) URL given as the host: HTTP goes through the HTTP proxy
        port = pair.resolve({})
        if port is None or port in HTTP_PORTS or pair.host_span.start in seen:
            continue
        seen.add(pair.host_span.start)
        if pair.kind == "uri":
            what = f"{pair.host_property} connects directly to {show_host(pair.host)} port {port}"
        else:
            what = (
                f"{pair.host_property} is {show_host(pair.host)} with {pair.port_property} {port}"
            )
        yield Violation(
            message=(
                f"{what}: AEMaaCS blocks non-HTTP egress except through "
                "$[env:AEM_PROXY_HOST;default=proxy.tunnel] on a forwarded portOrig"
            ),
            path=cfg.path,
            span=pair.host_span,
            property=pair.host_property,
        )


RULE = direct_egress
