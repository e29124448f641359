from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

PROXY = "AEM_PROXY_HOST"
EGRESS_VARIABLES = frozenset(
    {
        PROXY,
        "AEM_HTTP_PROXY_HOST",
        "AEM_HTTPS_PROXY_HOST",
        "AEM_HTTP_PROXY_PORT",
        "AEM_HTTPS_PROXY_PORT",
    }
)


@rule(code="VAR001", name="reserved-variable-set", severity="error", scope="project")
def reserved_variable_set(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """`AEM_PROXY_HOST` (or another product egress variable) is set as a Cloud Manager variable.

    ## What it does
    Reports, at the variable's name, a Cloud Manager variable named `AEM_PROXY_HOST`,
    `AEM_HTTP_PROXY_HOST`, `AEM_HTTPS_PROXY_HOST`, `AEM_HTTP_PROXY_PORT` or
    `AEM_HTTPS_PROXY_PORT` that is set in a variables file, an `aio cloudmanager:environment:
    set-variables` command (any flag: `--variable`, `--secret`, `--authorVariable`…) or an API
    export. Deleting it (`--delete`) is not reported.

    ## Why is this bad?
    AEM as a Cloud Service defines these variables itself: `AEM_PROXY_HOST` is mapped to the
    internal `proxy.tunnel` host of advanced networking. A customer value replaces it, and
    every egress connection through the proxy (mail, JDBC, LDAP, HTTP on other ports) breaks.

    ## Example
    ```sh
    aio cloudmanager:environment:set-variables 12345 --variable AEM_PROXY_HOST proxy.example.com
    ```

    ## Use instead
    Remove the variable (`--delete AEM_PROXY_HOST` once, if it was set) and reference it only:
    `"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"`.

    ## Source
    Adobe, email tutorial [S9]: "`$[env:AEM_PROXY_HOST]` is a reserved variable that AEM as a
    Cloud Service maps to the internal `proxy.tunnel` host." "Do NOT attempt to set the
    `AEM_PROXY_HOST` via Cloud Manager." The `AEM_HTTP(S)_PROXY_PORT` variables are documented
    on the advanced networking page [S5]; the `AEM_HTTP(S)_PROXY_HOST` names appear in older
    versions and translations of it [S5b] (AEM-FACTS §1.5). Adobe publishes no complete list of
    `AEM_*` variables (NOT FOUND); this list is SPEC §4's.
    """
    for setting in project.variable_settings:
        if setting.deleted or setting.name not in EGRESS_VARIABLES:
            continue
        what = (
            "it is AEM's egress proxy host (proxy.tunnel); a value set in Cloud Manager breaks "
            "every egress connection"
            if setting.name == PROXY
            else "it is a product egress variable AEM defines; do not set it"
        )
        yield Violation(
            message=f"{setting.name} is set as a Cloud Manager variable: {what}. Remove it",
            path=setting.path,
            span=setting.name_span,
            property=setting.name,
            services=setting.services,
        )


RULE = reserved_variable_set
