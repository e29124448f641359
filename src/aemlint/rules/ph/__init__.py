"""PH: placeholders (`$[env:…]`, `$[secret:…]`) the platform would not interpolate as meant."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    return []
