from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, placeholders, shown_name
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(
    code="SEC002",
    name="secret-in-env-placeholder",
    severity="warning",
    scope="config",
    readable_only=False,
)
def secret_in_env_placeholder(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A secret-named property reads a plain `$[env:…]` variable instead of `$[secret:…]`.

    ## What it does
    Reports, at the placeholder, every `$[env:X]` in a value of a secret-named property
    (`smtp.password`, `clientSecret`, `apiKey`…; the secret-name function of SPEC §4, with the
    `[rules.hardcoded-secret]` options), also inside a longer string and in array elements.

    ## Why is this bad?
    A plain Cloud Manager variable is stored and shown in clear text: every Cloud Manager user
    of the program can read it, and `aio cloudmanager:environment:list-variables` prints it.
    Secret variables (`secretString`) are encrypted at rest and never shown again.

    ## Example
    ```json
    {"smtp.password": "$[env:SMTP_PASSWORD]"}
    ```

    ## Use instead
    ```json
    {"smtp.password": "$[secret:SMTP_PASSWORD]"}
    ```
    with `aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> --secret SMTP_PASSWORD "<value>"`.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: AEMaaCS "requires the use of
    environment-specific configurations (`$[secret:SECRET_VAR_NAME]`) for any secret OSGi
    configuration values"; Cloud Manager: "`secretString` variables are encrypted at rest" [S16],
    "When editing a secret, the value can only be updated, not viewed." [S4] (AEM-FACTS §1.6,
    §5.1). Which names are secret is aemlint's heuristic (SPEC §4). Adobe's own tutorials read
    `--secret` usernames with `$[env:…]` (§9.7); a user name is not secret-named here.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        if p.kind != "env" or not ctx.secrets(value.prop.name):
            continue
        name = shown_name(p.name)
        var = f"$[env:{name}]" if name else "a $[env:…] placeholder"
        use = f"$[secret:{name}]" if name else "$[secret:…]"
        yield Violation(
            message=(
                f"{value.prop.name} reads the secret from {var}: plain Cloud Manager variables "
                f"are readable by every user of the program; use {use} and set it with --secret"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = secret_in_env_placeholder
