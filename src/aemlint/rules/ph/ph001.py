from __future__ import annotations

from collections.abc import Iterator

from aemlint.model.credentials import find_credentials
from aemlint.model.edits import edit_at
from aemlint.model.osgi import OsgiConfig
from aemlint.model.placeholder_checks import FileLocator, find_malformed, string_values
from aemlint.model.verbatim import may_contain
from aemlint.registry import RuleContext, rule
from aemlint.types import Edit, Fix, Violation


@rule(code="PH001", name="malformed-placeholder", severity="error", scope="config", fix="safe")
def malformed_placeholder(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """Text meant as a `$[env:…]`/`$[secret:…]` placeholder that AEM does not read as one.

    ## What it does
    Reports, at the placeholder inside the string value, text that was meant as an OSGi
    placeholder but that the Felix interpolation plugin reads differently: `${env:X}` or
    `${secret:X]` (braces instead of brackets), `$[env X]` (no `:`), `$[ENV:X]` (types are
    case-sensitive), an unknown type (`$[evn:X]`), an unterminated `$[env:X` or `$[env:X}`, an
    unknown directive (`;defualt=`), an unknown `type=` conversion, an empty name (`$[env:]`)
    and a name without a type (`$[SMTP_HOST]`).
    Not reported: Velocity, Maven and pipeline tokens (`${appId}`, `${env.X}`, `${{X}}`),
    escaped text (`\\$[…`), and `$[` text that does not look like a placeholder (a regular
    expression such as `^[a-z]$[^:]`). `$[prop:…]`/`$[conf:…]` are PH005's.

    ## Why is this bad?
    AEM leaves text it does not read as a placeholder in the value: the configuration gets the
    literal `${env:SMTP_HOST}` (or the placeholder without its default) instead of the
    environment's value, and nothing fails at build time. After an unterminated `$[`, nothing
    else in the string is interpolated.

    ## Example
    ```json
    {"smtp.host": "${env:SMTP_HOST}", "smtp.user": "$[env:SMTP_USER;defualt=mailer]"}
    ```

    ## Use instead
    ```json
    {"smtp.host": "$[env:SMTP_HOST]", "smtp.user": "$[env:SMTP_USER;default=mailer]"}
    ```

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: `$[env:ENV_VAR_NAME]`,
    `$[secret:SECRET_VAR_NAME]`, `$[env:ENV_VAR_NAME;default=<value>]`. Apache Felix
    interpolation plugin [S20][S21]: placeholders start with `$[` and end with `]`; types
    `env`, `prop`, `secret`, `conf` compared case-sensitively; directives `default`, `type`,
    `delimiter`; an unresolved placeholder is left in the value (AEM-FACTS §1.1, §1.2). That an
    unknown directive or type is an error is aemlint's choice (Felix ignores them silently).

    ## Fix safety
    Safe, and offered only where the correction is unambiguous: `${env:X}` → `$[env:X]`,
    `$[ENV:X]` → `$[env:X]`, `$[env X]` → `$[env:X]`, `$[env:X}` → `$[env:X]`, and a type or
    directive one typing error away from exactly one known word (`defualt` → `default`). The
    corrected text is checked to be a well-formed placeholder. Where it would carry a secret
    default, the fix has no content and is applied by hand.
    """
    file = FileLocator(ctx.project.texts.get(cfg.path))
    if not may_contain(file.text, "$"):
        return  # no value of the file holds a "$": nothing can be a placeholder
    for value in string_values(cfg, file):
        if "$" not in value.text:
            continue
        for bad in find_malformed(value.text, value.scalar.placeholders):
            reason = bad.category if value.is_secret else bad.reason
            fix = None
            edit_span = value.where.exact(bad.start, bad.end)
            if bad.replacement is not None and edit_span is not None:
                credential = bool(find_credentials(bad.replacement))
                carries_secret = credential or (
                    bad.carries_value
                    and (value.is_secret or bad.replacement.startswith("$[secret:"))
                )
                plain = not bad.carries_value and not credential
                edit: Edit | None = Edit(cfg.path, edit_span, None)
                if not carries_secret and file.text is not None:
                    edit = edit_at(
                        cfg, value.prop, edit_span, bad.replacement, bad.start == 0, file.text
                    )
                if edit is not None:
                    fix = Fix(
                        message=f"write {bad.replacement if plain else 'the corrected placeholder'}",
                        applicability="safe",
                        edits=(edit,),
                    )
            yield Violation(
                message=f"malformed placeholder in {value.prop.name}: {reason}",
                path=cfg.path,
                span=value.where.at(bad.start, bad.end),
                property=value.prop.name,
                fix=fix,
            )


RULE = malformed_placeholder
