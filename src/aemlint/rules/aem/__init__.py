"""AEM: rules about aemlint itself (internal errors, unused suppressions, unreadable files)."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.aem import aem000, aem001, aem002

    return [aem000.RULE, aem001.RULE, aem002.RULE]
