from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="AEM000", name="internal-error", severity="error", scope="project")
def internal_error(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A rule raised an exception on this file; the run continued without it.

    ## What it does
    Reports, on the file being checked, that one rule failed with an exception. The engine
    produces this finding itself; the other rules and files are still checked.

    ## Why is this bad?
    The failing rule did not check this file, so a mistake it looks for may be missed. It is
    always a bug in aemlint or in the plugin that provided the rule, never in your project.

    ## Example
    `AEM000 rule MAIL001 (smtp-host-not-proxied) raised TypeError at mail001.py:40 on this file`

    ## Use instead
    Report it with the message (it names the rule and where it failed, never a value from your
    files). Until it is fixed, `--ignore` the failing rule's code to silence both.

    ## Source
    aemlint's own behaviour (SPEC §1: a rule that raises becomes AEM000 and the run continues).
    """
    return iter(())


RULE = internal_error
