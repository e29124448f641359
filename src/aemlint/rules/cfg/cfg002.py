from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="CFG002", name="duplicate-property", severity="error", scope="project")
def duplicate_property(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """The same property is set twice in one configuration (case-insensitive in `.cfg.json`).

    ## What it does
    Reports the second occurrence of a key. In `.cfg.json` keys are compared without their
    `:Type` hint and ignoring case, as the platform's reader does: `smtp.port` and
    `SMTP.Port:Integer` are the same property.

    ## Why is this bad?
    Felix `cm.json` throws "Duplicate property" on such a file, so the configuration is not
    installed at all; in other formats the last value silently wins.

    ## Example
    ```json
    {"smtp.port": 30465, "smtp.Port": 30587}
    ```

    ## Use instead
    ```json
    {"smtp.port": 30465}
    ```

    ## Source
    Felix `cm.json` `ConfigurationReaderImpl`: "Duplicate property (properties are
    case-insensitive)" (AEM-FACTS §2.1, [S22]).
    """
    return project.problem_violations("CFG002")


RULE = duplicate_property
