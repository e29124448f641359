from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import (
    DOCUMENTED_TYPES,
    RESERVED_REFERENCE_PREFIXES,
    SECRET_PATH_PREFIX,
    FileLocator,
    placeholders,
)
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="PH003", name="reserved-variable-reference", severity="error", scope="config")
def reserved_variable_reference(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A placeholder references an `INTERNAL_*` or `ADOBE_*` variable, which Adobe reserves.

    ## What it does
    Reports, at the placeholder, an `env` or `secret` placeholder whose variable name starts
    with `INTERNAL_` or `ADOBE_` (`$[env:ADOBE_CLIENT_ID]`, `$[secret:INTERNAL_TOKEN]`). The
    prefixes are compared case-sensitively, as environment variable names are. `CONST_` and
    `AEM_` are not reported here: Adobe forbids *setting* `CONST_` variables (VAR002), and
    `AEM_*` variables such as `AEM_PROXY_HOST` are the product's public API, meant to be read.

    ## Why is this bad?
    These variables belong to Adobe: a customer cannot set them (Cloud Manager ignores
    `INTERNAL_`/`ADOBE_` variables), and what Adobe puts in them may change or disappear
    without notice. Adobe's build analyser fails the build on such a reference.

    ## Example
    ```json
    {"client.id": "$[env:ADOBE_CLIENT_ID]"}
    ```

    ## Use instead
    ```json
    {"client.id": "$[env:ACME_CLIENT_ID]"}
    ```
    and define `ACME_CLIENT_ID` in Cloud Manager.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Customers must not reference
    variables prefixed with `INTERNAL_` or `ADOBE_` either."; the AEM analyser's `aem-env-var`
    task reports it as an error: "must not use env vars prefixed with INTERNAL_ or ADOBE_"
    [S23] (AEM-FACTS §1.3, §1.5).
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        if p.kind not in DOCUMENTED_TYPES:
            continue
        name = p.name
        if p.kind == "secret" and name.startswith(SECRET_PATH_PREFIX):
            name = name[len(SECRET_PATH_PREFIX) :]
        prefix = next((x for x in RESERVED_REFERENCE_PREFIXES if name.startswith(x)), None)
        if prefix is None:
            continue
        yield Violation(
            message=(
                f"$[{p.kind}:{prefix}…] references a variable with the reserved prefix {prefix}: "
                "INTERNAL_ and ADOBE_ variables are Adobe's; customers must not reference them"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = reserved_variable_reference
