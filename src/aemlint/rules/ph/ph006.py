from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import SECRET_PATH_PREFIX, FileLocator, placeholders
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="PH006", name="secret-path-prefix", severity="warning", scope="config")
def secret_path_prefix(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A `$[secret:customer-secrets/X]` placeholder: the secret name must not carry the prefix.

    ## What it does
    Reports, at the placeholder, a `secret` placeholder whose name starts with
    `customer-secrets/` — the folder AEM keeps secret files in, sometimes copied into the name.

    ## Why is this bad?
    The secret's Cloud Manager name is the variable name alone: `customer-secrets/X` names no
    variable Cloud Manager can define (a `/` is not allowed in a name), so the placeholder is
    not resolved as intended. Adobe's analyser asks to remove the prefix.

    ## Example
    ```json
    {"smtp.password": "$[secret:customer-secrets/SMTP_PASSWORD]"}
    ```

    ## Use instead
    ```json
    {"smtp.password": "$[secret:SMTP_PASSWORD]"}
    ```

    ## Source
    AEM analyser, `aem-env-var` task [S23]: a secret name prefixed `customer-secrets/` is a
    warning, "Please remove the prefix"; name rules of Adobe, "Configuring OSGi for AEM as a
    Cloud Service" [S1] (AEM-FACTS §1.3). Where AEM mounts secret files is not documented.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        if p.kind != "secret" or not p.name.startswith(SECRET_PATH_PREFIX):
            continue
        yield Violation(
            message=(
                f"$[secret:{SECRET_PATH_PREFIX}…]: remove the '{SECRET_PATH_PREFIX}' prefix, the "
                "secret's name is the Cloud Manager variable name alone"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = secret_path_prefix
