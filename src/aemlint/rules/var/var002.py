from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

IGNORED_PREFIXES = ("INTERNAL_", "ADOBE_", "CONST_")


@rule(code="VAR002", name="ignored-variable-prefix", severity="error", scope="project")
def ignored_variable_prefix(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A Cloud Manager variable is named `INTERNAL_*`, `ADOBE_*` or `CONST_*`: it is ignored.

    ## What it does
    Reports, at the variable's name, a variable set in a variables file, an
    `aio cloudmanager:environment:set-variables` command or an API export whose name starts
    with `INTERNAL_`, `ADOBE_` or `CONST_` (case-sensitive, as the aio CLI compares).
    Deleting one (`--delete`) is not reported.

    ## Why is this bad?
    These prefixes are reserved by Adobe: Cloud Manager ignores a customer variable named with
    one, so the `$[env:…]`/`$[secret:…]` placeholders reading it are never resolved (they keep
    their `default=` or the literal placeholder text). The aio CLI only warns, unless run with
    `--strict`.

    ## Example
    ```yaml
    - name: INTERNAL_API_URL
      value: https://api.example.com
    ```

    ## Use instead
    ```yaml
    - name: ACME_API_URL
      value: https://api.example.com
    ```
    and `$[env:ACME_API_URL]` in the configuration.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Variable names prefixed with
    `INTERNAL_`, `ADOBE_`, or `CONST_` are reserved by Adobe. Any customer-set variables that
    start with these prefixes are ignored."; aio CLI `IGNORED_PREFIXES =
    ['INTERNAL_','ADOBE_','CONST_']`, "The variable name %s is reserved for internal usage and
    will be ignored." [S17] (AEM-FACTS §1.5). Whether Cloud Manager compares the prefix
    ignoring case is not documented; the CLI's comparison is case-sensitive, and so is this rule.
    """
    for setting in project.variable_settings:
        if setting.deleted:
            continue
        prefix = next((p for p in IGNORED_PREFIXES if setting.name.startswith(p)), None)
        if prefix is None:
            continue
        yield Violation(
            message=(
                f"{setting.name} starts with the reserved prefix {prefix}: Cloud Manager ignores "
                "the variable, so configurations reading it never get its value; rename it"
            ),
            path=setting.path,
            span=setting.name_span,
            property=setting.name,
            services=setting.services,
        )


RULE = ignored_variable_prefix
