from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="VAR009", name="secret-as-plain-variable", severity="error", scope="project")
def secret_as_plain_variable(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A secret-named Cloud Manager variable is set as a plain `string` variable.

    ## What it does
    Reports, at the variable's name, a variable whose name is secret-named (the secret-name
    function SEC001 uses: `SMTP_PASSWORD`, `API_KEY`, `CLIENT_SECRET`…, with the
    `extra-secret-names`/`extra-not-secret-names` options of `hardcoded-secret`) that is set with
    type `string`: a variables-file entry without `type: secretString`, an `aio … set-variables`
    `--variable`/`--authorVariable`/… flag, or an API export. Its value is never shown. Deletes
    are not reported.

    ## Why is this bad?
    Plain variables are shown in clear text to every user of the Cloud Manager program, in the
    UI, `list-variables` and the API; only `secretString` values are encrypted at rest and
    write-only. A password set as a plain variable is as exposed as one committed to Git.

    ## Example
    ```sh
    aio cloudmanager:environment:set-variables 12345 --variable EMAIL_PASSWORD "$EMAIL_PASSWORD"
    ```

    ## Use instead
    ```sh
    aio cloudmanager:environment:set-variables 12345 --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
    ```
    and `"smtp.password": "$[secret:EMAIL_PASSWORD]"`. A plain variable's type cannot be changed:
    delete it, then set it again as a secret.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: "Adobe Experience Manager as a
    Cloud Service requires the use of environment-specific configurations
    (`$[secret:SECRET_VAR_NAME]`) for any secret OSGi configuration values, such as passwords,
    private API keys"; Cloud Manager API [S16]: "`secretString` variables are encrypted at rest.
    The type of a variable be changed after creation; the variable must be deleted and
    recreated."; UI [S4]: "When editing a secret, the value can only be updated, not viewed."
    (AEM-FACTS §1.6, §5.1). Which names are secrets is SPEC §4's secret-name function.
    """
    for setting in project.variable_settings:
        if setting.deleted or setting.type != "string" or not ctx.secrets(setting.name):
            continue
        if setting.origin == "command":
            how = "with a variable flag (use --secret, or --authorSecret/--publishSecret/…)"
        else:
            how = "with type string (use type: secretString)"
        yield Violation(
            message=(
                f"{setting.name} is secret-named but set as a plain variable {how}: plain "
                "values are readable by every Cloud Manager user; set it as a secret"
            ),
            path=setting.path,
            span=setting.name_span,
            property=setting.name,
            services=setting.services,
        )


RULE = secret_as_plain_variable
