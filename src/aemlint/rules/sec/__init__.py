"""SEC: secrets in configurations and Cloud Manager sources (values are never printed)."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.sec import sec001, sec002, sec003, sec004, sec005, sec006

    return [sec001.RULE, sec002.RULE, sec003.RULE, sec004.RULE, sec005.RULE, sec006.RULE]
