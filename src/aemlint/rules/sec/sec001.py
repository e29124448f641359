from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.edits import replace_value
from aemlint.model.osgi import INTERPOLATED_TYPES, OsgiConfig
from aemlint.model.secret_names import unique_secret_name
from aemlint.model.secrets import classify_value, set_secret_command
from aemlint.registry import RuleContext, rule
from aemlint.types import Fix, Secret, Violation

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
    Not offered where the platform would not resolve the placeholder (a type other than
    `String`/`String[]`), nor for an array holding several literals (one variable holds one
    secret: move those by hand). NAME is derived from the PID's last segment and the
    property, and is unique in the
    project: a second configuration deriving the same name gets `_2` (the same PID in several
    run-mode folders shares one name, set per environment).
    """
    source = ctx.project.texts.get(cfg.path)
    for prop in cfg.properties:
        if not ctx.secrets(prop.name):
            continue
        literals = [
            scalar
            for scalar in prop.values
            if isinstance(scalar.value, Secret)  # typed values (numbers, booleans) are not
            and classify_value(scalar.value.reveal(), scalar.is_placeholder_only) == "literal"
        ]
        # A fix needs a type the platform interpolates, and one secret per variable name.
        fixable = prop.type_name in INTERPOLATED_TYPES and len(literals) == 1
        for scalar in literals:
            value = scalar.value
            assert isinstance(value, Secret)
            var = unique_secret_name(ctx.project, cfg, prop.name, ctx.secrets)
            command = set_secret_command(var, cfg.place.run_modes)
            edit = replace_value(cfg, prop, scalar, f"$[secret:{var}]", source) if fixable else None
            yield Violation(
                message=(
                    f"{prop.name} holds a hardcoded secret ({value.redacted()}): store it as a "
                    f"Cloud Manager secret and read it with $[secret:{var}]"
                ),
                path=cfg.path,
                span=scalar.span,
                property=prop.name,
                fix=None
                if edit is None
                else Fix(
                    message=f"use $[secret:{var}] and set the value with: {command}",
                    applicability="unsafe",
                    edits=(edit,),
                ),
            )


RULE = hardcoded_secret
