"""RUN: run-mode folders AEM as a Cloud Service does not apply, or applies surprisingly."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.rules.run import run001, run002, run003, run004

    return [run001.RULE, run002.RULE, run003.RULE, run004.RULE]
