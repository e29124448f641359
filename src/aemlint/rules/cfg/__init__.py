"""CFG: configuration files the platform cannot read as written."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.cfg import cfg001, cfg002, cfg003, cfg004, cfg005, cfg006, cfg007, cfg008

    return [
        cfg001.RULE,
        cfg002.RULE,
        cfg003.RULE,
        cfg004.RULE,
        cfg005.RULE,
        cfg006.RULE,
        cfg007.RULE,
        cfg008.RULE,
    ]
