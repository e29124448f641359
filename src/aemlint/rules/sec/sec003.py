from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, placeholders, shown_name
from aemlint.model.secrets import classify_value
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation, reveal


@rule(
    code="SEC003",
    name="secret-default-value",
    severity="error",
    scope="config",
    readable_only=False,
)
def secret_default_value(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A secret placeholder has a hardcoded `default=`: the default is a secret in Git.

    ## What it does
    Reports, at the placeholder, a non-blank `default=` of a `$[secret:X;default=V]`
    placeholder in any property, and of any placeholder (`$[env:X;default=V]`…) in a
    secret-named property. Not reported: a blank default (`default=` — it only avoids the
    literal placeholder text when the variable is missing), a default that is itself a
    placeholder, a masked value (`****`) or a template token (`<password>`, `${X}`), as for
    SEC001; a CryptoSupport value is SEC005's. The default is never printed, only its length.

    ## Why is this bad?
    The default is what AEM uses wherever the variable is not set — the local SDK, a new
    environment — and it sits in Git in clear text for everyone with repository access:
    a hardcoded secret with extra steps.

    ## Example
    ```json
    {"smtp.password": "$[secret:SMTP_PASSWORD;default=hunter2]"}
    ```

    ## Use instead
    ```json
    {"smtp.password": "$[secret:SMTP_PASSWORD]"}
    ```
    and, for the local SDK, a file `SMTP_PASSWORD` in the secrets directory (outside Git).

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: the default syntax
    `$[env:ENV_VAR_NAME;default=<value>]` "applies to both environment specific and secret
    configuration values"; secrets are "values that cannot be stored in Git for security
    reasons"; the local secrets directory: "if `$[secret:server_password]` is used, a text file
    named **server_password** must be created". Felix applies `default` to every type, secrets
    included [S21] (AEM-FACTS §1.1, §1.2, §1.6).
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        default = p.default
        if default is None or not (p.kind == "secret" or ctx.secrets(value.prop.name)):
            continue
        text = reveal(default)
        if "$[" in text or classify_value(text) != "literal":
            continue
        name = shown_name(p.name) if p.kind.isidentifier() else None
        what = f"$[{p.kind}:{name};default=…]" if name else "this placeholder"
        yield Violation(
            message=(
                f"{what} has a hardcoded default (<redacted {len(text)} chars>): the default is "
                "a secret committed to Git; remove it and set the value as a Cloud Manager secret"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = secret_default_value
