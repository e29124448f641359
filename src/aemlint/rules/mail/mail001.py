from __future__ import annotations

import re
from collections.abc import Iterator

from aemlint.model.edits import replace_value
from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Fix, Violation

MAIL_PID = "com.day.cq.mailer.DefaultMailService"
PROXY = "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
_SHOWABLE = re.compile(r"[A-Za-z0-9.\-]{1,253}")


def _describe(text: str) -> str:
    """The host as the message shows it: a plain host name, else only what kind of value."""
    if _SHOWABLE.fullmatch(text):
        return f"the host {text!r}"
    return "a value that is not $[env:AEM_PROXY_HOST]"


@rule(
    code="MAIL001",
    name="smtp-host-not-proxied",
    severity="error",
    scope="config",
    pids=[MAIL_PID],
    fix="unsafe",
)
def smtp_host_not_proxied(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """The mail service's `smtp.host` does not go through the AEMaaCS egress proxy.

    ## What it does
    Reports a `com.day.cq.mailer.DefaultMailService` configuration whose `smtp.host` is missing
    or is anything other than the placeholder `$[env:AEM_PROXY_HOST]` (with or without a
    `;default=`): a public SMTP server, `localhost`, an IP address, or another variable.

    ## Why is this bad?
    AEM as a Cloud Service blocks direct SMTP connections: mail only leaves through the
    advanced-networking proxy, which AEM maps to `$[env:AEM_PROXY_HOST]`, on a port forwarded
    with `portForwards`. With any other host no mail is sent in the cloud, and nothing fails at
    build time.

    ## Example
    ```json
    {"smtp.host": "smtp.sendgrid.net", "smtp.port": 465}
    ```

    ## Use instead
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465}
    ```
    with a port forward `{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30465}`.

    ## Source
    Adobe, AEMaaCS development guidelines, "Sending Email" [S6]: "The SMTP server host name
    should be set to $[env:AEM_PROXY_HOST;default=proxy.tunnel]"; "By default, ports used to send
    email are disabled"; Adobe's email tutorial KT-9353 [S9] (AEM-FACTS §6.2, §6.3). The support
    table there: no advanced networking ✘. Adobe does not document an allow-list of hosts.

    ## Fix safety
    Unsafe: the fix sets `smtp.host` to `$[env:AEM_PROXY_HOST;default=proxy.tunnel]`, but mail
    only flows once the environment's advanced networking forwards `smtp.port` to the real server.
    """
    prop = cfg.get("smtp.host")
    if prop is None:
        yield Violation(
            message=f"smtp.host is missing: set it to {PROXY} (AEMaaCS blocks direct SMTP)",
            path=cfg.path,
            span=None,
            property="smtp.host",
        )
        return
    scalar = prop.scalar
    if scalar is not None and isinstance(scalar.value, str) and scalar.is_placeholder_only:
        placeholder = scalar.placeholders[0]
        if placeholder.kind == "env" and placeholder.name == "AEM_PROXY_HOST":
            return
    if scalar is not None and isinstance(scalar.value, str) and not scalar.placeholders:
        shown = _describe(scalar.value)
    else:
        shown = "a value that is not $[env:AEM_PROXY_HOST]"
    edit = None
    if scalar is not None and prop.type_name == "String":
        edit = replace_value(cfg, prop, scalar, PROXY, ctx.project.texts.get(cfg.path))
    yield Violation(
        message=(
            f"smtp.host is {shown}: AEMaaCS blocks direct SMTP, mail must go through "
            f"the egress proxy {PROXY}"
        ),
        path=cfg.path,
        span=prop.value_span,
        property="smtp.host",
        fix=None
        if edit is None
        else Fix(
            message=f"set smtp.host to {PROXY} and forward smtp.port to the mail server",
            applicability="unsafe",
            edits=(edit,),
        ),
    )


RULE = smtp_host_not_proxied
