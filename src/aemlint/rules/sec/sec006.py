from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.model.secrets import classify_value
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation, reveal

WHERE = {
    "command": "an aio command in a committed script",
    "file": "a committed variables file",
    "list-variables": "a committed list-variables export",
    "api-export": "a committed API export",
}


@rule(code="SEC006", name="secret-in-cloud-manager-source", severity="error", scope="project")
def secret_in_cloud_manager_source(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A Cloud Manager secret is set to a literal value in a committed script or variables file.

    ## What it does
    Reports, at the value, a secret variable whose value is written in the repository: a
    `--secret NAME "literal"` (or `-s`, `--authorSecret`, `--publishSecret`,
    `--previewSecret`) in an `aio cloudmanager:environment:set-variables` command of a shell
    script, Makefile, Jenkinsfile or CI YAML, and a `secretString` entry with a literal `value`
    in a variables file or export. Not reported: values provided at run time (`"$SMTP_PASSWORD"`,
    `"${SMTP_PASSWORD}"`, `${{ secrets.SMTP_PASSWORD }}`, `$(SMTP_PASSWORD)`, a `${NAME}`
    template in a variables file), blank values (a delete), masks (`****`, as `list-variables`
    prints secrets) and template tokens (`<value>`). The value is never printed, only its length.

    ## Why is this bad?
    The value is encrypted in Cloud Manager but in clear text in Git: everyone with access to
    the repository, its forks and CI logs can read it, which defeats the point of a secret
    variable.

    ## Example
    ```sh
    aio cloudmanager:set-environment-variables <ENVIRONMENT_ID> --secret EMAIL_PASSWORD "password123"
    ```

    ## Use instead
    ```sh
    aio cloudmanager:set-environment-variables "$ENVIRONMENT_ID" --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
    ```
    with `EMAIL_PASSWORD` provided by the CI system's secret store (e.g.
    `${{ secrets.EMAIL_PASSWORD }}`).

    ## Source
    aio CLI `environment:set-variables` [S17]: `-s, --secret` "secret values in KEY VALUE
    format"; Cloud Manager API: "`secretString` variables are encrypted at rest" [S16]; Adobe's
    email tutorial sets `--secret EMAIL_PASSWORD "password123"` literally [S9] (AEM-FACTS §5.1,
    §5.2). That run-time expansions are not literals is SPEC §3.3.
    """
    for setting in project.variable_settings:
        value = setting.value
        if (
            value is None
            or setting.type != "secretString"
            or setting.runtime
            or setting.deleted
            or setting.value_span is None
        ):
            continue
        text = reveal(value)
        if classify_value(text) not in ("literal", "crypto"):
            continue
        yield Violation(
            message=(
                f"the secret {setting.name} is set to a literal value "
                f"(<redacted {len(text)} chars>) in {WHERE.get(setting.origin, 'a committed file')}: "
                "anyone with access to the repository can read it; pass the value at run time "
                "from the CI system's secret store"
            ),
            path=setting.path,
            span=setting.value_span,
            property=setting.name,
            services=setting.services,
        )


RULE = secret_in_cloud_manager_source
