"""MAIL: the Day CQ Mail Service (`com.day.cq.mailer.DefaultMailService`)."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.mail import mail001

    return [mail001.RULE]
