from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="CFG001", name="invalid-config-syntax", severity="error", scope="project")
def invalid_config_syntax(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """An input cannot be parsed in its format; the finding is at the first error.

    ## What it does
    Reports the first syntax error of an OSGi configuration (and, as they arrive, of Cloud
    Manager documents): for `.cfg.json`, anything beyond strict JSON plus `//` and `/* */`
    comments — a trailing comma, a missing comma, single quotes, unquoted keys, `NaN`, an
    unterminated comment, text after the closing brace, a root that is not an object.

    ## Why is this bad?
    The platform's reader throws on such a file: Cloud Manager's build fails, or the whole
    configuration is silently not installed. Adobe's own SAML tutorial ships a missing comma.

    ## Example
    ```json
    {
      "filter.methods": ["POST", "PUT",],
    }
    ```

    ## Use instead
    ```json
    {
      "filter.methods": ["POST", "PUT"]
    }
    ```

    ## Source
    Felix `cm.json` (the `.cfg.json` reader the AEMaaCS build converter uses) strips comments,
    then parses strict JSON and requires an object root (AEM-FACTS §2.1, [S22]); Sling
    documents the format [S19].
    """
    return project.problem_violations("CFG001")


RULE = invalid_config_syntax
