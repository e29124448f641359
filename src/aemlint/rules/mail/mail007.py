from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from aemlint.model.mail import MAIL_PID
from aemlint.model.osgi import OsgiConfig
from aemlint.registry import RuleContext, rule
from aemlint.types import Violation

_SERVICE_NAME = MAIL_PID.rsplit(".", 1)[1].lower()  # "defaultmailservice"
_MAILER_PACKAGE = "com.day.cq.mailer."


def _looks_like_mail_service(pid: str) -> bool:
    """A PID meant for the mail service: Adobe's mailer package, or a last segment that is (or
    is a near miss of) ``DefaultMailService``."""
    if pid.lower().startswith(_MAILER_PACKAGE) or pid.lower() == MAIL_PID.lower():
        return True
    last = pid.rsplit(".", 1)[-1].lower()
    return SequenceMatcher(None, last, _SERVICE_NAME).ratio() >= 0.85


@rule(code="MAIL007", name="wrong-mail-pid", severity="warning", scope="config")
def wrong_mail_pid(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
    """A configuration with `smtp.*` properties is named for a PID the mail service never reads.

    ## What it does
    Reports a configuration file holding `smtp.*` properties whose PID is meant for the Day CQ
    Mail Service but is not exactly `com.day.cq.mailer.DefaultMailService`: another class of
    Adobe's `com.day.cq.mailer` package (`com.day.cq.mailer.impl.DefaultMailService`), a
    misspelled or relocated name (`com.acme.config.DefaultMailService`,
    `com.day.cq.mailer.DefaultMailservice`), or a factory instance of the mail service
    (`com.day.cq.mailer.DefaultMailService~prod`, `…DefaultMailService-prod.cfg.json`). Custom
    components with their own `smtp.*` properties (`com.acme.mail.impl.MailClientImpl`) are
    not reported.

    ## Why is this bad?
    OSGi hands a configuration only to the component whose PID matches it exactly. The mail
    service is a singleton with PID `com.day.cq.mailer.DefaultMailService`: a file under any
    other name (or a factory instance of that name) is installed but never applied, so mail
    keeps its defaults and is not sent, without any error.

    ## Example
    `config/com.day.cq.mailer.impl.DefaultMailService.cfg.json`:
    ```json
    {"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]", "smtp.port": 30465}
    ```

    ## Use instead
    Rename the file to `com.day.cq.mailer.DefaultMailService.cfg.json`.

    ## Source
    Adobe, AEMaaCS development guidelines, "Sending Email" [S6] and the OSGi Configuration API
    [S3] name the PID `com.day.cq.mailer.DefaultMailService`; the email tutorial's file is
    `com.day.cq.mailer.DefaultMailService.cfg.json` [S9]; the PID comes from the file name and
    `~` (or, legacy, the first `-`) makes it a factory configuration [S19][S24]
    (AEM-FACTS §2.2, §6). Which misnamed files are *meant* for the mail service is not
    documented: the name heuristic above is aemlint's (SPEC §4 gives the examples).
    """
    place = cfg.place
    pid = place.pid if place.factory_pid is None else place.factory_pid
    if place.factory_pid is None and pid == MAIL_PID:
        return
    if not any(p.name.lower().startswith("smtp.") for p in cfg.properties):
        return
    if place.factory_pid is not None and place.factory_pid == MAIL_PID:
        sep = "-" if place.dash_factory else "~"
        why = (
            f"is a factory configuration of {MAIL_PID} (the part after '{sep}' names an "
            "instance): the mail service is a singleton and never reads it"
        )
    elif _looks_like_mail_service(pid):
        why = f"is not {MAIL_PID}: the mail service never reads it"
    else:
        return
    yield Violation(
        message=f"this mail configuration's PID {place.pid} {why}; name the file "
        f"{MAIL_PID}.{place.form}",
        path=cfg.path,
        span=None,
    )


RULE = wrong_mail_pid
