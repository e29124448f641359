"""SEC: secrets in configurations and Cloud Manager sources (values are never printed)."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.sec import sec001

    return [sec001.RULE]
