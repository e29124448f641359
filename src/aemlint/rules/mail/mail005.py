from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.mail import MAIL_PID, mail_bool
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.rules.mail._scope import Occurrence, occurrence
from aemlint.types import Violation

PRODUCTION_TYPES = ("stage", "prod")


@rule(code="MAIL005", name="mail-debug-in-production", severity="warning", scope="project")
def mail_debug_in_production(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """`debug.email` is true in a mail configuration effective on stage or production.

    ## What it does
    Per Cloud Manager environment of type `stage` or `prod` and per service, reports the
    `debug.email` of the **effective** `com.day.cq.mailer.DefaultMailService` configuration when
    it is true (`true`, `"true"`, or a `$[env:…]` placeholder resolving to it from the
    environment's variables or its `default=`). Without `[[cloud-manager.environments]]` the
    environment type is unknown: the configuration is evaluated as on dev, stage and prod, and
    the message says where it holds.

    ## Why is this bad?
    `debug.email` turns on the mail library's protocol trace: every SMTP conversation of the
    production service (recipients, headers, server replies) goes to the log, which grows with
    every message and holds personal data. It is a tool for a development environment.

    ## Example
    `config/com.day.cq.mailer.DefaultMailService.cfg.json`:
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465, "debug.email": true}
    ```

    ## Use instead
    `"debug.email": false` in `config/`, and `true` only in a `config.dev/` copy of the file (or
    `"debug.email": "$[env:MAIL_DEBUG;default=false]"`, set on dev environments).

    ## Source
    `debug.email` is a boolean of the mail service (OSGi Configuration API [S3]; `MailerConfig`
    `boolean debugEmail` [S29]; AEM-FACTS §6.1). Adobe does not document what it logs on
    AEMaaCS nor advise against it on production (NOT FOUND); the rule is SPEC's choice, as a
    warning, with the run-mode resolution of AEM-FACTS §3.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    for env in project.environments:
        env_types = [t for t in env.env_types if t in PRODUCTION_TYPES]
        for service in SERVICES:
            values = env.values(service)
            for env_type in env_types:
                for cfg in project.effective_singletons(MAIL_PID, service, env_type):
                    prop = cfg.get("debug.email")
                    if prop is None:
                        continue
                    if mail_bool(cfg, "debug.email", values):
                        occurrence(found, cfg.path, prop.value_span, "debug.email").add(
                            env, service, env_type
                        )
    for _, hit in sorted(found.items(), key=lambda item: item[0]):
        yield hit.violation(
            f"debug.email is true {hit.where()}: the SMTP protocol trace of every mail "
            "goes to the log; keep it for dev (config.dev) and set it to false here"
        )


RULE = mail_debug_in_production
