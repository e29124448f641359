"""An example aemlint plugin: registered by the `aemlint` entry point in pyproject.toml."""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    # Import rule modules inside the hook: the plugin costs nothing until its rules are used.
    from aemlint_plugin_example import acme001

    return [acme001.RULE]
