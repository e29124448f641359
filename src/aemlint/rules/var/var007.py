from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.cloud_manager import VariableSetting
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.model.spans import sub_span
from aemlint.registry import RuleContext, rule
from aemlint.rules.var._scope import Occurrence, Uses, Variables, occurrence
from aemlint.types import Violation

# placeholder kind -> the variable type that does not back it, and what to do instead
MISMATCH = {
    "secret": ("string", "set it with --secret (type secretString), or read it with $[env:{n}]"),
    "env": ("secretString", "read it with $[secret:{n}]"),
}


def _mismatch(
    variables: Variables, kind: str, name: str, service: str
) -> list[VariableSetting] | None:
    """The settings of ``name`` on ``service`` when they all have the type that does not back
    a ``kind`` placeholder, else None."""
    settings = variables.applicable(name, service)
    types = {s.type for s in settings}
    if len(types) != 1 or types.pop() != MISMATCH[kind][0]:
        return None
    return settings


@rule(code="VAR007", name="variable-type-mismatch", severity="warning", scope="project")
def variable_type_mismatch(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """A `$[secret:X]` reads a plain variable, or an `$[env:X]` reads a secret one.

    ## What it does
    Per Cloud Manager environment and service, for each `$[secret:NAME]` and `$[env:NAME]` in
    the **effective** configurations, looks up the variable the environment sets for that
    service and reports (at the placeholder, the variable's source as related location) a
    `$[secret:…]` backed by a `string` variable (`--variable`) or an `$[env:…]` backed by a
    `secretString` (`--secret`). Where the environment's sources disagree on the variable's
    type (e.g. pooled sources without `[[cloud-manager.environments]]`) it is skipped.

    ## Why is this bad?
    Adobe documents the two kinds as separate: secret configuration values are read with
    `$[secret:…]` from variables of type `secretString`, the others with `$[env:…]`. Adobe does
    not document that a placeholder of one kind resolves a variable of the other: if it does
    not, the literal placeholder is deployed; if it does, a plain variable holding a secret is
    readable by every Cloud Manager user.

    ## Example
    `"smtp.password": "$[secret:EMAIL_PASSWORD]"` with
    `aio cloudmanager:environment:set-variables 12345 --variable EMAIL_PASSWORD "$PASSWORD"`.

    ## Use instead
    `--secret EMAIL_PASSWORD "$PASSWORD"` for a `$[secret:EMAIL_PASSWORD]`.

    ## Source
    Adobe, "Configuring OSGi for AEM as a Cloud Service" [S1]: `use $[env:ENV_VAR_NAME]`, `use
    $[secret:SECRET_VAR_NAME]`, and the API's `type` `string`/`secretString` [S16]
    (AEM-FACTS §1.1, §5.1). NOT FOUND: whether a `secretString` variable resolves through
    `$[env:NAME]` or a `string` one through `$[secret:NAME]`; Adobe's own tutorials set
    `EMAIL_USERNAME` with `--secret` and read it with `$[env:…]` [S9][S12][S13]
    (AEM-FACTS §1.6, §9.7). SPEC's choice stands: the mismatch is a warning.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    uses = Uses(project)
    for env in project.environments:
        variables = Variables(env)
        # (kind, name) -> the settings, per service, where they mismatch: only a name the
        # environment sets can, so most projects have none and walk no configuration.
        wrong = {
            service: {
                (kind, name): settings
                for name in variables.names()
                for kind in MISMATCH
                if (settings := _mismatch(variables, kind, name, service)) is not None
            }
            for service in SERVICES
        }
        for service in SERVICES:
            bad = wrong[service]
            if not bad:
                continue
            # The configurations reading a mismatched variable (the others cannot matter;
            # which order they are visited in does not change any finding).
            readers = uses.readers()
            candidates = list(dict.fromkeys(c for key in bad for c in readers.get(key, ())))
            for env_type in env.env_types:
                combo = (service, env_type)
                for cfg in candidates:
                    if combo not in project.effective_on(cfg):
                        continue
                    for use in uses(cfg):
                        ph = use.placeholder
                        found_settings = bad.get((ph.kind, ph.name))
                        if found_settings is None:
                            continue
                        settings = found_settings
                        text = project.texts.get(cfg.path)
                        span = sub_span(use.scalar, ph.start, ph.end, text)
                        key = f"{ph.kind}:{ph.name}"
                        hit = occurrence(found, cfg.path, span, use.prop.name, key)
                        hit.add(env, service)
                        for s in settings:
                            hit.relate(s.path, s.name_span, f"{s.name} is set as {s.type}")
    for (_, _, key), hit in sorted(found.items(), key=lambda item: item[0]):
        kind, _, name = key.partition(":")
        backing, advice = MISMATCH[kind]
        yield hit.violation(
            f"$[{kind}:{name}] reads {name}, which is set as a {backing} variable "
            f"{hit.where()}{hit.on()}: Adobe does not document that this resolves; "
            + advice.format(n=name)
        )


RULE = variable_type_mismatch
