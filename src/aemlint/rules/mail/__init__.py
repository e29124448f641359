"""MAIL: the Day CQ Mail Service (`com.day.cq.mailer.DefaultMailService`)."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.mail import mail001, mail002, mail003, mail004, mail005, mail006, mail007

    return [
        mail001.RULE,
        mail002.RULE,
        mail003.RULE,
        mail004.RULE,
        mail005.RULE,
        mail006.RULE,
        mail007.RULE,
    ]
