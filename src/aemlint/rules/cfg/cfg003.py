from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="CFG003", name="invalid-type-hint", severity="error", scope="project")
def invalid_type_hint(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A `:Type` hint is unknown or its value cannot be converted, or a value is `null`.

    ## What it does
    Reports a key whose type hint the platform does not know (`"port:Int"`), a value the hint
    cannot convert (`"port:Integer": "abc"`), and `null` values.

    ## Why is this bad?
    The platform's converter throws "Invalid value/type for configuration" and the whole
    configuration is not installed; a `null` makes the configuration invalid.

    ## Example
    ```json
    {"smtp.port:Int": 30465, "smtp.user": null}
    ```

    ## Use instead
    ```json
    {"smtp.port:Integer": 30465, "smtp.user": "$[env:EMAIL_USERNAME]"}
    ```

    ## Source
    Felix `cm.json` `TypeConverter` (the known hints: String, Integer/int, Long/long,
    Float/float, Double/double, Byte/byte, Short/short, Character/char, Boolean/boolean, their
    arrays and collections); `null` → invalid (AEM-FACTS §2.1, [S22]).
    """
    return project.problem_violations("CFG003")


RULE = invalid_type_hint
