from __future__ import annotations

import json
from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.secrets import classify_value, secret_variable_name
from aemlint.registry import RuleContext, rule
from aemlint.types import Edit, Fix, Secret, Violation

OPTIONS = {
    "extra-secret-names": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[A-Za-z0-9]+$"},
        "description": "Extra words that make a property or variable name secret (e.g. sig).",
    },
    "extra-not-secret-names": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": "Names (whole, case-insensitive) or last words that are never secret.",
    },
}


def _secret_flag(cfg: OsgiConfig) -> str:
    for service in ("author", "publish"):
        if service in cfg.place.run_modes:
            return f"--{service}Secret"
    return "--secret"


@rule(
    code="SEC001",
    name="hardcoded-secret",
    severity="error",
    scope="config",
    fix="unsafe",
    readable_only=False,
    options=OPTIONS,
)
def hardcoded_secret(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A secret-named property holds a literal value: a credential committed to Git.

    ## What it does
    Reports every string value (each array element too) of a property whose name is secret
    (`smtp.password`, `clientSecret`, `apiKey`, `bind.password`…; the secret-name function of
    SPEC §4 with its exemptions such as `tokenUrl` or `passwordHashIterations`) when the value is
    a literal. Not reported: empty or blank values, values that are wholly a placeholder
    (`$[secret:X]`, `$[env:X]`), masked values (`****`), template tokens (`<…>`, `${…}`,
    `{{…}}`, `__x__`), typed non-string values, and AEM CryptoSupport values (SEC005).
    Fillers such as `changeme` are reported: they are still hardcoded. The value is never
    printed, only its length. Also checked in files the platform cannot read: the secret is in
    Git either way.

    ## Why is this bad?
    Everyone with read access to the repository, its forks and CI logs can read the secret, and
    rotating it means a code change and a deployment. Adobe requires secret environment-specific
    configuration for any secret OSGi value on every AEMaaCS environment.

    ## Example
    ```json
    {"smtp.password": "hunter2"}
    ```

    ## Use instead
    ```json
    {"smtp.password": "$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]"}
    ```
    and set the value per environment:
    `aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> --secret DEFAULT_MAIL_SERVICE_SMTP_PASSWORD "<value>"`

    ## Options
    `extra-secret-names` (words that make a name secret), `extra-not-secret-names` (names or
    last words that never do), under `[rules.hardcoded-secret]`.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "requires the use of
    environment-specific configurations (`$[secret:SECRET_VAR_NAME]`) for any secret OSGi
    configuration values, such as passwords, private API keys" (AEM-FACTS §1.6). Which names are
    secret is aemlint's documented heuristic (SPEC §4), not an Adobe list.

    ## Fix safety
    Unsafe: the fix replaces the value with `$[secret:NAME]`, but the variable must be created
    in Cloud Manager before the next deployment, or the literal placeholder text is deployed.
    """
    for prop in cfg.properties:
        if not ctx.secrets(prop.name):
            continue
        for scalar in prop.values:
            value = scalar.value
            if not isinstance(value, Secret):
                continue  # typed values (numbers, booleans) are not secrets
            if classify_value(value.reveal(), scalar.is_placeholder_only) != "literal":
                continue
            var = secret_variable_name(cfg.place.service_pid, prop.name)
            command = (
                f"aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> "
                f'{_secret_flag(cfg)} {var} "<value>"'
            )
            yield Violation(
                message=(
                    f"{prop.name} holds a hardcoded secret ({value.redacted()}): store it as a "
                    f"Cloud Manager secret and read it with $[secret:{var}]"
                ),
                path=cfg.path,
                span=scalar.span,
                property=prop.name,
                fix=Fix(
                    message=f"use $[secret:{var}] and set the value with: {command}",
                    applicability="unsafe",
                    edits=(Edit(cfg.path, scalar.span, json.dumps(f"$[secret:{var}]")),),
                ),
            )


RULE = hardcoded_secret
