"""NET: egress through the advanced-networking proxy, and port forwards."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.net import net001

    return [net001.RULE]
