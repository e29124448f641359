"""VAR: Cloud Manager environment variables."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.var import (
        var001,
        var002,
        var003,
        var004,
        var005,
        var006,
        var007,
        var008,
        var009,
    )

    return [
        var001.RULE,
        var002.RULE,
        var003.RULE,
        var004.RULE,
        var005.RULE,
        var006.RULE,
        var007.RULE,
        var008.RULE,
        var009.RULE,
    ]
