from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation


@rule(code="CFG008", name="config-value-misread", severity="error", scope="project")
def config_value_misread(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """The platform's reader silently drops or changes a value of a legacy configuration.

    ## What it does
    Reports, at the value, what the Felix `.config` reader accepts without an error but does
    not read as written: an unquoted value (`a=x`, dropped), an unknown type code (`Q"x"`,
    dropped), a space between type code and quote (dropped), an array with an unquoted element
    or a missing comma (dropped whole), a boolean other than `true`/`false` (`B"yes"` reads as
    false), a multi-character `C` value (first character kept) or an empty one (dropped), an
    unterminated string (it swallows the next line), an unescaped `=` that silently cuts a
    value, a byte-order mark (it becomes part of the first key), a `=`/`"`/bracket where a key
    should start (the rest of the file is ignored). In `sling:OsgiConfig` XML, a `{Boolean}`
    value other than `true`/`false` (read as false).

    ## Why is this bad?
    Nothing fails: the configuration is installed with a missing or different value, and the
    component falls back to a default or misbehaves in production.

    ## Example
    ```
    enabled=B"yes"
    retries=I "3"
    ```

    ## Use instead
    ```
    enabled=B"true"
    retries=I"3"
    ```
    or, better, a `.cfg.json` file (CFG004).

    ## Source
    Apache Felix configadmin `ConfigurationHandler` (the reader Sling's installer uses for
    `.config`), run on 59 inputs to record what it does (`peer-tests/felix-config-format.json`):
    "it **silently** drops an unquoted value (`a=x`) and an unknown type code (`Q"x"`), reads
    `B"yes"` as false and `C"xyz"` as `x`, lets an unterminated string swallow the next line,
    keeps a UTF-8 byte-order mark as part of the first key" (AEM-FACTS §2.3). Where the reader
    throws instead, the file is not installed at all: that is CFG001. For `sling:OsgiConfig`
    XML, aemlint assumes the same `Boolean.valueOf` reading (true only for `true`); AEM-FACTS
    records no source for the XML conversion, so that case rests on the parser's choice.
    """
    return project.problem_violations("CFG008")


RULE = config_value_misread
