"""NET: egress through the advanced-networking proxy, and port forwards."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.net import (
        net001,
        net002,
        net003,
        net004,
        net005,
        net006,
        net007,
        net008,
        net009,
        net010,
    )

    return [
        net001.RULE,
        net002.RULE,
        net003.RULE,
        net004.RULE,
        net005.RULE,
        net006.RULE,
        net007.RULE,
        net008.RULE,
        net009.RULE,
        net010.RULE,
    ]
