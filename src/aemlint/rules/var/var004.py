from __future__ import annotations

import re
from collections.abc import Iterator

from aemlint.model.cloud_manager import VariableSetting
from aemlint.model.project import Project
from aemlint.registry import RuleContext, rule
from aemlint.types import Span, Violation

NAME = re.compile(r"[a-zA-Z_][a-zA-Z_0-9]*")
MAX_VALUE = 2048
MAX_SECRET = 500  # "must be less than 500 characters"
TYPES = ("string", "secretString")
SERVICES = ("author", "publish", "preview")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _problems(v: VariableSetting) -> Iterator[tuple[Span, str]]:
    """(where, what) for each problem of one setting; values are measured, never quoted."""
    # A command's name word may be an expansion ("$NAME", ${{ … }}): known only at run time.
    if not (v.origin == "command" and "$" in v.name):
        if not 2 <= len(v.name) <= 100:
            yield v.name_span, f"the name {v.name} has {len(v.name)} characters (2 to 100 allowed)"
        if NAME.fullmatch(v.name) is None:
            yield (
                v.name_span,
                f"the name {_shown(v.name)} may only hold letters, digits and _, and not start "
                "with a digit: Cloud Manager refuses it",
            )
    if v.type not in TYPES:
        yield (
            v.type_span or v.name_span,
            f"{v.name} has the unknown type {_shown(v.type)} (string or secretString)",
        )
    if v.service is not None and v.service not in SERVICES:
        yield (
            v.service_span or v.name_span,
            f"{v.name} has the unknown service {_shown(v.service)} (author, publish or preview; "
            "case-sensitive; omit it for all services)",
        )
    value = v.value
    if value is None or v.runtime:
        return
    at = v.value_span or v.name_span
    size = len(value)
    if size > MAX_VALUE:
        yield at, f"the value of {v.name} has {size} characters: Cloud Manager allows {MAX_VALUE}"
    if v.type == "secretString" and size >= MAX_SECRET:
        yield (
            at,
            f"the secret value of {v.name} has {size} characters: a secretString must be "
            f"shorter than {MAX_SECRET}",
        )
    if size == 0 and v.origin == "command":
        yield (
            at,
            f"{v.name} is given a blank value: the aio CLI refuses the command "
            f"(BLANK_VARIABLE_VALUE); to delete the variable use --delete {v.name}",
        )
    elif size == 0 and v.origin == "file":
        yield (
            at,
            f"{v.name} is given an empty value, which deletes the variable instead of setting "
            f"it; set a value, or delete it explicitly (--delete {v.name}) and drop the entry",
        )


@rule(code="VAR004", name="invalid-variable", severity="error", scope="project")
def invalid_variable(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A Cloud Manager variable that Cloud Manager refuses, or that does not do what it says.

    ## What it does
    Checks every variable set in a variables file, an `aio cloudmanager:environment:
    set-variables` command or an API export, and reports:
    - a name outside 2 to 100 characters or not matching `[a-zA-Z_][a-zA-Z_0-9]*`;
    - a value over 2048 characters, or a `secretString` value of 500 characters or more
      (lengths only: a value is never shown);
    - a `type` other than `string`/`secretString`, a `service` other than `author`, `publish`,
      `preview` (case-sensitive);
    - a blank value in a set: in a command the aio CLI refuses it, in a variables file an
      empty value **deletes** the variable.

    Names and values provided at run time (`"$X"`, `${{ secrets.X }}`) are not judged. Deletes
    (`--delete`) are not checked.

    ## Why is this bad?
    Cloud Manager (or the aio CLI before it) refuses the whole update, so none of the variables
    of that command or file are set; and an empty value silently removes a variable that
    configurations may still read.

    ## Example
    ```yaml
    - name: smtp-user
      value: ""
      type: secret
    ```

    ## Use instead
    ```yaml
    - name: SMTP_USER
      value: apikey
      type: string
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: name "Minimum length: 2; Maximum
    length: 100; Must match regex: `[a-zA-Z_][a-zA-Z_0-9]*`", "Values for the variables must
    not exceed 2048 characters"; Cloud Manager API [S16]: `value` `maxLength: 2048`, "The
    length of `secretString` values must be less than 500 characters. An empty value causes a
    variable to be deleted.", `type` enum `string`/`secretString`, `service` "author", "publish",
    "preview", "case-sensitive"; aio CLI [S17]: "Blank variable values are not allowed. Use the
    proper flag if you intend to delete a variable." (AEM-FACTS §1.3, §1.4, §5). Whether a value
    of only spaces counts as empty is not documented: only an empty value is reported.
    """
    for setting in project.variable_settings:
        if setting.deleted:
            continue
        for span, message in _problems(setting):
            yield Violation(
                message=message,
                path=setting.path,
                span=span,
                property=setting.name,
                services=tuple(s for s in SERVICES if s == setting.service),
            )


RULE = invalid_variable
