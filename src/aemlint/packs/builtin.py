"""The built-in declarative rule packs (the ``API`` rules): the top-level ``rules/`` folder.

Registered through the ``aemlint_rules`` hook like every built-in rule group. Only the TOML is
read here (metadata); each rule's schema is compiled when a configuration first matches it.
"""

from __future__ import annotations

from aemlint.plugins import hookimpl
from aemlint.registry import Rule


@hookimpl
def aemlint_rules() -> list[Rule]:
    from aemlint.packs import load_pack_folder
    from aemlint.resources import data_path

    return load_pack_folder(data_path("rules"))
