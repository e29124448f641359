from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import (
    DOCUMENTED_TYPES,
    SECRET_PATH_PREFIX,
    FileLocator,
    name_problem,
    placeholders,
)
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="PH002", name="invalid-variable-name", severity="error", scope="config")
def invalid_variable_name(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A `$[env:…]`/`$[secret:…]` placeholder names a variable Cloud Manager can never set.

    ## What it does
    Reports, at the placeholder, an `env` or `secret` placeholder whose variable name does not
    match `[a-zA-Z_][a-zA-Z_0-9]*` or is shorter than 2 or longer than 100 characters:
    `$[env:smtp-host]`, `$[secret:db.password]`, `$[env:1ST_HOST]`, `$[env:X]`. An empty name is
    PH001's; the `customer-secrets/` prefix of a secret name is PH006's (the rest of the name is
    still checked here); a name built from a nested placeholder is not checked.

    ## Why is this bad?
    Cloud Manager refuses such a name (UI, API and `aio` all apply the same pattern), so no
    environment can ever define the variable: the placeholder is never resolved and AEM keeps
    the literal `$[…]` text (or the `default=`) in every environment.

    ## Example
    ```json
    {"api.url": "$[env:server-url]", "api.key": "$[secret:server-api-key]"}
    ```

    ## Use instead
    ```json
    {"api.url": "$[env:SERVER_URL]", "api.key": "$[secret:SERVER_API_KEY]"}
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Variables names must follow the
    following rules: Minimum length: 2; Maximum length: 100; Must match regex:
    `[a-zA-Z_][a-zA-Z_0-9]*`"; the Cloud Manager API schema has the same pattern and lengths
    [S16] (AEM-FACTS §1.3). The same Adobe page shows `$[secret:server-api-key]` and
    `$[env:server-url]` (§9.8), and Adobe's analyser only warns on the pattern [S23]; aemlint
    follows the stated rule: a name Cloud Manager refuses can never be set.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        if p.kind not in DOCUMENTED_TYPES or not p.name or "$[" in p.name:
            continue
        name = p.name
        if p.kind == "secret" and name.startswith(SECRET_PATH_PREFIX):
            name = name[len(SECRET_PATH_PREFIX) :]
        problem = name_problem(name)
        if problem is None:
            continue
        yield Violation(
            message=(
                f"the variable name of this $[{p.kind}:…] placeholder {problem}: Cloud Manager "
                "can never set it, so the placeholder is never resolved"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = invalid_variable_name
