"""PH: placeholders (`$[env:…]`, `$[secret:…]`) the platform would not interpolate as meant."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.ph import ph001, ph002, ph003, ph004, ph005, ph006

    return [ph001.RULE, ph002.RULE, ph003.RULE, ph004.RULE, ph005.RULE, ph006.RULE]
