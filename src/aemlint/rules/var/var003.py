from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.rules.var.var001 import EGRESS_VARIABLES
from aemlint.types import Violation


@rule(code="VAR003", name="custom-aem-prefix", severity="warning", scope="project")
def custom_aem_prefix(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A customer-defined Cloud Manager variable uses the product's `AEM_` prefix.

    ## What it does
    Reports, at the variable's name, a variable set in a variables file, an
    `aio cloudmanager:environment:set-variables` command or an API export whose name starts with
    `AEM_`, other than the product egress variables VAR001 reports (`AEM_PROXY_HOST`,
    `AEM_HTTP(S)_PROXY_HOST`, `AEM_HTTP(S)_PROXY_PORT`). Deleting one is not reported.

    ## Why is this bad?
    Adobe defines `AEM_*` variables as the product's public API and may add new ones at any
    release: a customer variable with that prefix can collide with one, and either yours or the
    product's value is lost.

    ## Example
    ```sh
    aio cloudmanager:environment:set-variables 12345 --variable AEM_SEARCH_URL https://search.example.com
    ```

    ## Use instead
    ```sh
    aio cloudmanager:environment:set-variables 12345 --variable ACME_SEARCH_URL https://search.example.com
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Environment variables with the
    prefix `AEM_` are defined by the product as Public API to be used and set by customers.
    While customers can use and set environment variables starting with the prefix `AEM_` they
    should not define their own variables with this prefix." (AEM-FACTS §1.5). Adobe publishes
    no complete list of `AEM_*` variables (NOT FOUND), so a product variable customers are meant
    to set (other than VAR001's) is reported too: suppress the finding for it.
    """
    for setting in project.variable_settings:
        name = setting.name
        if setting.deleted or not name.startswith("AEM_") or name in EGRESS_VARIABLES:
            continue
        yield Violation(
            message=(
                f"{name} is a customer variable with the product's AEM_ prefix: Adobe reserves "
                "AEM_* for variables the product defines; use your own prefix"
            ),
            path=setting.path,
            span=setting.name_span,
            property=name,
            services=setting.services,
        )


RULE = custom_aem_prefix
