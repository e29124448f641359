from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.mail import MAIL_PID, OAUTH_PID, mail_bool
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.rules.mail._scope import Occurrence, occurrence
from aemlint.types import Violation

# Implicit mode: "evaluated as if it were each of dev/stage/prod" (SPEC §2).
IMPLICIT_TYPES = ("dev", "stage", "prod")


@rule(code="MAIL006", name="oauth-provider-missing", severity="warning", scope="project")
def oauth_provider_missing(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """`oauth.flow` is true without an effective OAuth2 provider configuration, or the reverse.

    ## What it does
    Per Cloud Manager environment and service, on the **effective** configurations: reports the
    mail service's `oauth.flow` when it is true and no
    `com.day.cq.mailer.oauth.impl.OAuthConfigurationProviderImpl` configuration is effective
    there; and reports an effective provider configuration (on the file) when no effective mail
    service configuration has `oauth.flow` true. Without `[[cloud-manager.environments]]` the
    environment type is unknown: both are evaluated as on dev, stage and prod, and the message
    says where it holds.

    ## Why is this bad?
    With `oauth.flow` true the mail service authenticates with an OAuth2 access token that the
    provider configuration obtains (client id and secret, token and refresh URLs): without it no
    token, no mail. A provider while `oauth.flow` is false is never used: the service falls
    back to `smtp.user`/`smtp.password`, which the mail server (e.g. Microsoft 365) may refuse.
    Both usually come from a run-mode folder that holds one file and not the other.

    ## Example
    `config.prod/com.day.cq.mailer.DefaultMailService.cfg.json` with `"oauth.flow": true`, and
    `OAuthConfigurationProviderImpl.cfg.json` only in `config.dev/`.

    ## Use instead
    Put `com.day.cq.mailer.oauth.impl.OAuthConfigurationProviderImpl.cfg.json` (with
    `"clientSecret": "$[secret:…]"`, `"refreshToken": "$[secret:…]"`) in every folder where the
    mail service has `"oauth.flow": true`, e.g. both in `config/`.

    ## Source
    Adobe, "OAuth2 support for the mail service" [S30]: the provider PID and its keys, and the
    `DefaultMailService` with `"oauth.flow": true`; AEM 6.5 notification docs [S14]
    (AEM-FACTS §6.4). Adobe documents the pair as one set-up but not what the service does when
    one half is missing (NOT FOUND); the rule is SPEC's choice, as a warning.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    for env in project.environments:
        env_types = IMPLICIT_TYPES if env.type is None else (env.type,)
        for service in SERVICES:
            values = env.values(service)
            for env_type in env_types:
                mails = project.effective_singletons(MAIL_PID, service, env_type)
                providers = project.effective_singletons(OAUTH_PID, service, env_type)
                flows = {c.path: mail_bool(c, "oauth.flow", values) for c in mails}
                for mail in mails:
                    prop = mail.get("oauth.flow")
                    if prop is None or flows[mail.path] is not True or providers:
                        continue
                    hit = occurrence(found, mail.path, prop.value_span, "oauth.flow", "flow")
                    hit.add(env, service, env_type)
                unknown = any(c.get("oauth.flow") and flows[c.path] is None for c in mails)
                if any(f is True for f in flows.values()) or unknown:
                    continue
                for provider in providers:
                    hit = occurrence(found, provider.path, None, None, "provider")
                    hit.add(env, service, env_type)
                    for mail in mails:
                        prop = mail.get("oauth.flow")
                        span = None if prop is None else prop.value_span
                        hit.relate(mail.path, span, "the effective mail service configuration")
    for (_, _, kind), hit in sorted(found.items(), key=lambda item: item[0]):
        if kind == "flow":
            message = (
                f"oauth.flow is true but no {OAUTH_PID} configuration is effective "
                f"{hit.where()}: the mail service gets no OAuth2 token and sends no mail"
            )
        else:
            message = (
                f"this OAuth2 provider configuration is effective {hit.where()}, but the mail "
                "service's oauth.flow is not true there: the provider is never used"
            )
        yield hit.violation(message)


RULE = oauth_provider_missing
