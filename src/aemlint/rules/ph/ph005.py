from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, placeholders
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

UNDOCUMENTED = {
    "prop": "a framework or system property",
    "conf": "another property of the same configuration",
}


@rule(code="PH005", name="undocumented-placeholder-type", severity="warning", scope="config")
def undocumented_placeholder_type(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A `$[prop:…]` or `$[conf:…]` placeholder: types Adobe does not document for AEMaaCS.

    ## What it does
    Reports, at the placeholder, every `$[prop:…]` and `$[conf:…]` placeholder. The Apache Felix
    interpolation plugin reads them (a framework/system property, and another property of the
    same configuration), but Adobe documents only `$[env:…]` and `$[secret:…]` for AEM as a
    Cloud Service.

    ## Why is this bad?
    What the framework properties of a cloud instance hold is not part of Adobe's public
    contract, and may differ between the local SDK, environments and releases; a configuration
    that depends on them can change behaviour without any change of yours.

    ## Example
    ```json
    {"home.path": "$[prop:sling.home]/acme"}
    ```

    ## Use instead
    ```json
    {"home.path": "$[env:ACME_HOME_PATH;default=/tmp/acme]"}
    ```

    ## Source
    Apache Felix interpolation plugin [S20][S21]: types `env`, `prop`, `secret`, `conf`. Adobe,
    "Configuring OSGi for AEM as a Cloud Service" [S1] documents `env` and `secret` only; NOT
    FOUND: any Adobe statement on `prop`/`conf` for AEMaaCS (AEM-FACTS §1.2). Adobe's own
    validator skips type checks on `$[prop:` values [S25], so the build does not reject them.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    for value, p in placeholders(cfg, file):
        what = UNDOCUMENTED.get(p.kind)
        if what is None:
            continue
        yield Violation(
            message=(
                f"$[{p.kind}:…] reads {what}: this placeholder type is not documented for "
                "AEMaaCS (only $[env:…] and $[secret:…] are)"
            ),
            path=cfg.path,
            span=value.where.at(p.start, p.end),
            property=value.prop.name,
        )


RULE = undocumented_placeholder_type
