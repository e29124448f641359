from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="AEM001", name="unused-suppression", severity="warning", scope="project")
def unused_suppression(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """An inline suppression suppressed nothing.

    ## What it does
    Reports an `aemlint: ignore[…]` or `aemlint: file-ignore[…]` comment, or one of the codes in
    it, that hid no finding: the finding it was written for is gone, the comment is on the
    wrong line, or the code is misspelt. Codes of rules that did not run (not selected, or
    ignored for that file by `per-file-ignores`) are not reported; an unknown code or a
    comment starting with `aemlint:` that does not follow the grammar always is. The engine
    produces this finding itself after applying the suppressions; `--no-inline-suppressions`
    turns suppressions, and so this rule, off.

    ## Why is this bad?
    A stale suppression silently hides the next real finding on that line (a new secret
    pasted where an old one was accepted), and a misspelt one hides nothing while looking as
    if it did.

    ## Example
    ```jsonc
    {
      // aemlint: ignore[SEC001] rotated and moved to Cloud Manager in 2024
      "smtp.password": "$[secret:SMTP_PASSWORD]"
    }
    ```

    ## Use instead
    Remove the comment (or the unused codes from it):
    ```json
    {
      "smtp.password": "$[secret:SMTP_PASSWORD]"
    }
    ```

    ## Source
    aemlint's own behaviour (SPEC §4 AEM001, after ruff's RUF100 unused-noqa): a suppression
    covers findings whose primary location is on its line, or on the next line when the
    comment is alone on its line.
    """
    return iter(())


RULE = unused_suppression
