from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="AEM002", name="unreadable-file", severity="error", scope="project")
def unreadable_file(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """An input file could not be read: binary, not decodable, over 10 MiB or unreadable.

    ## What it does
    Reports an input (an OSGi configuration, a Cloud Manager document) that aemlint skipped
    because it holds a NUL byte, is not valid in its format's encoding (UTF-8; ISO-8859-1 for
    `.cfg`), is larger than 10 MiB (it is not read whole), or cannot be opened. The finding
    points at the first offending byte where there is one.

    ## Why is this bad?
    The platform cannot read such a file either (a `.cfg.json` must be UTF-8 JSON), and no
    other rule has checked it.

    ## Example
    A `.cfg.json` saved as UTF-16 or Windows-1252 with a `é` in a value.

    ## Use instead
    Save the file as UTF-8 (ISO-8859-1 for `.cfg`), remove binary content, or exclude the file
    if it is not a configuration.

    ## Source
    Sling's `.cfg.json` is JSON (UTF-8) [AEM-FACTS §2.1]; `.cfg` is ISO 8859-1 only [S19]. The 10 MiB
    limit is aemlint's own (no OSGi configuration comes close).
    """
    return project.problem_violations("AEM002")


RULE = unreadable_file
