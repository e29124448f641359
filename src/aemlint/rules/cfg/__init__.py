"""CFG: configuration files the platform cannot read as written."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.cfg import cfg001, cfg002, cfg003

    return [cfg001.RULE, cfg002.RULE, cfg003.RULE]
