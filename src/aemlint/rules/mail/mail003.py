from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from aemlint.model.mail import MAIL_PID, host_is_proxied, mail_bool, mail_port
from aemlint.model.project import Project
from aemlint.model.runmodes import SERVICES
from aemlint.registry import RuleContext, rule
from aemlint.rules.mail._scope import Occurrence, occurrence
from aemlint.types import Violation

_PROBLEMS = {
    "465": "smtp.ssl is false but smtp.port {port} is forwarded to portDest 465 (SMTPS: TLS from "
    "the first byte) {where}: AEMaaCS then speaks plain SMTP with STARTTLS and the handshake "
    "fails; set smtp.ssl to true",
    "587": "smtp.ssl is true but smtp.port {port} is forwarded to portDest 587 (submission: "
    "STARTTLS) {where}: the server does not expect TLS from the first byte; set smtp.ssl to "
    "false (AEMaaCS then enables STARTTLS)",
    "both": "smtp.ssl and smtp.starttls are both true: AEMaaCS ignores smtp.starttls when "
    "smtp.ssl is true (it sets STARTTLS from smtp.ssl at run time); remove smtp.starttls",
}


def _where(hit: Occurrence) -> str:
    if hit.implicit:
        return "by the advanced networking of the project"
    return hit.where()


@rule(code="MAIL003", name="smtp-tls-mismatch", severity="warning", scope="project")
def smtp_tls_mismatch(project: Project, ctx: RuleContext) -> Iterator[Violation]:
    """The mail service's TLS mode does not match the port the proxy forwards to.

    ## What it does
    Per Cloud Manager environment and service, on the **effective** mail service configuration
    (`com.day.cq.mailer.DefaultMailService`, run-mode overrides applied) whose `smtp.host` is
    `$[env:AEM_PROXY_HOST…]`: finds the port forward whose `portOrig` is `smtp.port` and reports
    `smtp.ssl` false when its `portDest` is 465, or `smtp.ssl` true when its `portDest` is 587.
    Also reports `smtp.ssl` and `smtp.starttls` both true. Values given by `$[env:…]` are
    resolved from the environment's variables, else their `default=`; an absent `smtp.ssl` is
    not judged (its default is not published). Without `[[cloud-manager.environments]]` all
    networking documents are pooled, and a port whose pooled forwards disagree on `portDest`
    is skipped.

    ## Why is this bad?
    Port 465 (SMTPS) expects TLS from the first byte, port 587 (submission) plain SMTP upgraded
    by STARTTLS. AEMaaCS derives STARTTLS from `smtp.ssl` at run time, so the wrong `smtp.ssl`
    makes every connection fail its handshake: no mail is sent, and nothing fails at build time.

    ## Example
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465, "smtp.ssl": false}
    ```
    with the forward `{"name": "smtp.sendgrid.net", "portDest": 465, "portOrig": 30465}`.

    ## Use instead
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465, "smtp.ssl": true}
    ```
    and for `portDest` 587: `"smtp.port": 30587, "smtp.ssl": false` (no `smtp.starttls`).

    ## Source
    Adobe, AEMaaCS development guidelines, "Sending Email" [S6]: the recipes "465 → `smtp.ssl`
    true" and "587 → `smtp.ssl` false", and "The `smtp.starttls` property will automatically be
    set by AEM as a Cloud Service at runtime … if `smtp.ssl` is set to true, `smtp.startls` is
    ignored. If `smtp.ssl` is set to false, `smtp.starttls` is set to true" (AEM-FACTS §6.2).
    Not documented: what happens on the wire when both are true, and whether the run-time
    override applies to the OAuth2 set-up, whose example sets `smtp.ssl` false,
    `smtp.starttls` true with `smtp.port` 30465 [S30] while the email tutorial sets `smtp.ssl`
    true [S9] (AEM-FACTS §9.6). SPEC's choice stands: the port forward's `portDest` decides, and
    both flags true is a warning.
    """
    found: dict[tuple[PurePosixPath, int, str], Occurrence] = {}
    for env in project.environments:
        for service in SERVICES:
            values = env.values(service)
            for env_type in env.env_types:
                for cfg in project.effective_singletons(MAIL_PID, service, env_type):
                    ssl = mail_bool(cfg, "smtp.ssl", values)
                    ssl_prop = cfg.get("smtp.ssl")
                    starttls_prop = cfg.get("smtp.starttls")
                    if ssl_prop is None or ssl is None:
                        continue
                    if ssl and starttls_prop and mail_bool(cfg, "smtp.starttls", values):
                        hit = occurrence(
                            found, cfg.path, starttls_prop.value_span, "smtp.starttls", "both"
                        )
                        hit.add(env, service, env_type)
                        hit.relate(cfg.path, ssl_prop.value_span, "smtp.ssl is true")
                    port = mail_port(cfg, values)
                    if port is None or not host_is_proxied(cfg):
                        continue
                    forwards = [
                        f for n in env.networking for f in n.forwards if f.port_orig == port
                    ]
                    dests = {f.port_dest for f in forwards}
                    if len(dests) != 1:
                        continue  # not forwarded (NET001), or pooled forwards disagree
                    dest = dests.pop()
                    kind = {(465, False): "465", (587, True): "587"}.get((dest or 0, ssl))
                    if kind is None:
                        continue
                    span = ssl_prop.value_span
                    hit = occurrence(found, cfg.path, span, "smtp.ssl", f"{kind}:{port}")
                    hit.add(env, service, env_type)
                    for f in forwards:
                        hit.relate(f.path, f.span, f"port forward {port} → {kind}")
    for (_, _, kind_port), hit in sorted(found.items(), key=lambda item: item[0]):
        kind, _, port_text = kind_port.partition(":")
        yield hit.violation(_PROBLEMS[kind].format(port=port_text, where=_where(hit)))


RULE = smtp_tls_mismatch
