from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.mail import MAIL_PID, MAIL_SERVER_PORTS, as_port
from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(
    code="MAIL002",
    name="smtp-port-is-destination-port",
    severity="error",
    scope="config",
    pids=[MAIL_PID],
)
def smtp_port_is_destination_port(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """The mail service's `smtp.port` is the mail server's port, not a port forward's `portOrig`.

    ## What it does
    Reports a `com.day.cq.mailer.DefaultMailService` configuration whose `smtp.port` is 25, 465
    or 587 — as a number, a numeric string, or the `default=` of a `$[env:…]` placeholder (used
    wherever the variable is not set).

    ## Why is this bad?
    On AEM as a Cloud Service the mail service connects to `AEM_PROXY_HOST`, and the proxy only
    listens on the `portOrig` ports of the environment's `portForwards` (30000-30999); it
    forwards each to its `portDest` on the real server. `smtp.port` must therefore be the
    `portOrig` (e.g. 30465), never the server's port: with 465 the connection is refused and no
    mail is sent.

    ## Example
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 465}
    ```

    ## Use instead
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465}
    ```
    with the forward `{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30465}`.

    ## Source
    Adobe, AEMaaCS development guidelines, "Sending Email" [S6]: "The SMTP server port should be
    set to the value of the original proxy port set in the portForwards parameter … For example,
    30465 (rather than 465)"; the email tutorial KT-9353 [S9]: "The `smpt.port` is set to the
    `portForward.portOrig` port, and NOT the SMTP server's actual port" (AEM-FACTS §6.2, §6.3).
    Adobe contradicts itself: the same guidelines page also says "The SMTP server port should be
    set as the `portDest` value", and the OSGi Configuration API page lists `smtp.port` as
    "465, 587, or 25" (AEM-FACTS §9.1, §9.5); the tutorial's recipe (`smtp.port` = `portOrig`)
    is the one that works with the proxy, and SPEC's choice stands. The legacy, pre-2021.9.0
    set-up (mail server host, port 465 or 587, arranged by a support ticket) is not supported.
    """
    prop = cfg.get("smtp.port")
    scalar = None if prop is None else prop.scalar
    if prop is None or scalar is None:
        return
    value = scalar.value
    via_default = False
    if isinstance(value, str) and scalar.placeholders:
        if not scalar.is_placeholder_only:
            return
        placeholder = min(scalar.placeholders, key=lambda p: p.start)
        default = placeholder.default
        if not isinstance(default, str):
            return
        value, via_default = default, True
    port = as_port(value)
    if port not in MAIL_SERVER_PORTS:
        return
    what = f"smtp.port defaults to {port}" if via_default else f"smtp.port is {port}"
    yield Violation(
        message=(
            f"{what}, the mail server's port: on AEMaaCS the mail service connects to "
            f"AEM_PROXY_HOST on a port forward's portOrig (e.g. {30000 + port} forwarded to "
            f"portDest {port}), not to the server's port"
        ),
        path=cfg.path,
        span=prop.value_span,
        property="smtp.port",
    )


RULE = smtp_port_is_destination_port
