from __future__ import annotations

import re
from collections.abc import Iterator

from aemlint.model.mail import MAIL_PID
from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Secret, Violation, reveal

# An addr-spec as JavaMail's InternetAddress takes it for `setFrom`, kept simple: a local part
# without spaces, angle brackets or `@`, and a domain of host-name labels or an address literal;
# optionally wrapped as `Display Name <addr>`.
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])"
_ADDRESS = r"[^\s@<>(),;:\"\[\]]+@" + _DOMAIN
_FROM = re.compile(rf"{_ADDRESS}|[^<>@]*<{_ADDRESS}>")


@rule(
    code="MAIL004", name="invalid-from-address", severity="warning", scope="config", pids=[MAIL_PID]
)
def invalid_from_address(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """The mail service's `from.address` is missing, blank or not an e-mail address.

    ## What it does
    Reports a `com.day.cq.mailer.DefaultMailService` configuration without `from.address`, or
    whose `from.address` is blank, not a single string, or not an e-mail address
    (`local@domain`, optionally `Name <local@domain>`). A value holding a placeholder
    (`$[env:MAIL_FROM]`, `noreply@$[env:MAIL_DOMAIN]`) is accepted: it is set per environment.

    ## Why is this bad?
    Mail that AEM sends without its own sender (workflow notifications, the inbox, forms) uses
    `from.address`. Without a valid one the message is refused when it is built, or by the mail
    server, and the failure only shows in the log. Each run-mode file replaces the whole
    configuration, so every file of the PID needs the property.

    ## Example
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465, "from.address": "noreply"}
    ```

    ## Use instead
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465, "from.address": "noreply@example.com"}
    ```

    ## Source
    Adobe, AEM 6.5 "Configuring Email Notification" [S14]: "The **"From" address** must not be
    blank"; the OSGi Configuration API lists `from.address` as a string [S3]; the Java view
    `MailerConfig(…, String fromAddress, …)` [S29] (AEM-FACTS §6.1). AEMaaCS documents no
    format for it and no default (NOT FOUND): the address check is SPEC's choice; placeholders
    are accepted because the value may rightly differ per environment.
    """
    prop = cfg.get("from.address")
    if prop is None:
        yield Violation(
            message="from.address is missing: mail without its own sender has no From address",
            path=cfg.path,
            span=None,
            property="from.address",
        )
        return
    scalar = prop.scalar
    text = None
    if scalar is not None and isinstance(scalar.value, str | Secret):
        text = reveal(scalar.value).strip()  # classified only, never shown
    if scalar is None or text is None:
        problem = "is not a single string"
    elif scalar.placeholders:
        return
    elif not text:
        problem = "is blank"
    elif _FROM.fullmatch(text) is None:
        problem = "is not an e-mail address (local@domain)"
    else:
        return
    yield Violation(
        message=f"from.address {problem}: mail without its own sender cannot be sent",
        path=cfg.path,
        span=prop.value_span,
        property="from.address",
    )


RULE = invalid_from_address
