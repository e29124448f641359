from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, outermost, string_values
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

REPOINIT_PIDS = (
    "org.apache.sling.jcr.repoinit.RepositoryInitializer",
    "org.apache.sling.jcr.repoinit.impl.RepositoryInitializer",
)


@rule(
    code="PH004",
    name="placeholder-in-repoinit",
    severity="error",
    scope="config",
    pids=REPOINIT_PIDS,
)
def placeholder_in_repoinit(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A repoinit script contains a `$[…]` placeholder, which is never interpolated there.

    ## What it does
    Reports, at the placeholder, every `$[type:…]` placeholder in a string value (`scripts`,
    `references`, …) of a repoinit configuration: the factory
    `org.apache.sling.jcr.repoinit.RepositoryInitializer~<name>` and the older singleton
    `org.apache.sling.jcr.repoinit.impl.RepositoryInitializer`. A placeholder nested in another
    is reported once, with the outer one.

    ## Why is this bad?
    Repoinit statements run as written: the placeholder text stays in the statement, so the
    script creates a user or path literally named `$[env:…]`, or fails to parse, and the
    deployment's repository initialisation breaks.

    ## Example
    ```json
    {"scripts": ["create service user $[env:SERVICE_USER]"]}
    ```

    ## Use instead
    ```json
    {"scripts": ["create service user acme-content-reader"]}
    ```
    Repoinit content is code: vary it with run-mode folders, not variables.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Placeholders cannot be used in
    repoinit statements." (AEM-FACTS §1.1). The PIDs are those the Sling content-package
    converter [S24] and Sling's repoinit module read; Adobe's archetype ships
    `RepositoryInitializer~<appId>.cfg.json` [S28].
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value in string_values(cfg, file):
        for p in outermost(value.scalar.placeholders):
            yield Violation(
                message=(
                    f"a $[…] placeholder in {value.prop.name} of a repoinit configuration: "
                    "repoinit statements are not interpolated, the text stays as written"
                ),
                path=cfg.path,
                span=value.where.at(p.start, p.end),
                property=value.prop.name,
            )


RULE = placeholder_in_repoinit
