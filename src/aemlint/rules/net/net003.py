from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.edits import replace_in_value
from aemlint.model.egress import PROXY_VARIABLE
from aemlint.model.osgi import OsgiConfig
from aemlint.model.spans import sub_span
from aemlint.parsing.values import Placeholder, Property, Scalar
from aemlint.registry import RuleContext, rule
from aemlint.types import Fix, Violation

DEFAULT = ";default=proxy.tunnel"


def _fix(
    cfg: OsgiConfig, prop: Property, scalar: Scalar, ph: Placeholder, source: str | None
) -> Fix | None:
    """Insert ``;default=proxy.tunnel`` before the placeholder's ``]``, where the file holds
    that ``]`` exactly; escaped for the file's form (``.config``: ``default\\=``)."""
    value = scalar.value
    if not isinstance(value, str) or value[ph.end - 1 : ph.end] != "]":
        return None
    edit = replace_in_value(cfg, prop, scalar, ph.end - 1, ph.end - 1, DEFAULT, source)
    if edit is None:
        return None
    return Fix(message=f"add {DEFAULT} to the placeholder", applicability="safe", edits=(edit,))


@rule(
    code="NET003",
    name="proxy-host-without-default",
    severity="warning",
    scope="config",
    fix="safe",
)
def proxy_host_without_default(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """`$[env:AEM_PROXY_HOST]` has no `;default=proxy.tunnel`.

    ## What it does
    Reports every `$[env:AEM_PROXY_HOST…]` placeholder in a string value (whole or embedded,
    e.g. in a JDBC URI) that has no `default=` directive, or an empty one.

    ## Why is this bad?
    `AEM_PROXY_HOST` is provided by AEM as a Cloud Service, not by the local SDK. Without a
    default the placeholder is not replaced where the variable is absent: the service receives
    the literal text `$[env:AEM_PROXY_HOST]` as its host name. Adobe's guidance writes the
    placeholder with `;default=proxy.tunnel`.

    ## Example
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST]"}
    ```

    ## Use instead
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"}
    ```

    ## Source
    Adobe, AEMaaCS development guidelines, "Sending Email" [S6]: "The SMTP server host name
    should be set to $[env:AEM_PROXY_HOST;default=proxy.tunnel]"; Apache Felix interpolation
    [S20]: "Without a default, the placeholder is left in the value if no value can be found."
    Older tutorial copies omit the default [S12][S9b] (AEM-FACTS §1.2, §6.2, §9.11). A
    different non-empty default is a deliberate choice and is not reported.

    ## Fix safety
    Safe: in the cloud the variable is always set, so the default changes nothing there; it
    only gives the local SDK a value instead of the literal placeholder. Offered in every form
    where the placeholder's `]` is located exactly in the file, written in the form's syntax
    (`.config`: `;default\\=proxy.tunnel`).
    """
    source = ctx.project.texts.get(cfg.path)
    for prop, scalar, ph in cfg.interpolated():
        if ph.kind != "env" or ph.name != PROXY_VARIABLE:
            continue
        default = ph.default
        if isinstance(default, str) and default.strip():
            continue
        blank = default is not None
        if blank:
            why = "an empty default=: the local SDK, which does not set the variable, gets an empty host"
        else:
            why = (
                "no default=: the local SDK does not set the variable, so the literal "
                "placeholder is used as the host"
            )
        yield Violation(
            message=(
                f"$[env:{PROXY_VARIABLE}] in {prop.name} has {why}; "
                f"write $[env:{PROXY_VARIABLE}{DEFAULT}]"
            ),
            path=cfg.path,
            span=sub_span(scalar, ph.start, ph.end, source),
            property=prop.name,
            fix=None if blank else _fix(cfg, prop, scalar, ph, source),
        )


RULE = proxy_host_without_default
