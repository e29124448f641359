"""VAR: Cloud Manager environment variables."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.var import var001

    return [var001.RULE]
