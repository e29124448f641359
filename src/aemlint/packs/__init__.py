"""Declarative rule packs: one TOML file per rule, checked with a JSON Schema (SPEC §6).

A pack is a folder of ``*.toml`` rule files (and an optional ``schemas/`` folder beside them).
Each file compiles into an ordinary :class:`aemlint.registry.Rule` of scope ``config``, so the
engine runs pack rules exactly as Python rules. Packs are data: nothing in them is executed, no
remote ``$ref`` is ever fetched, and user ``pattern``\\ s are screened against ReDoS.

- :mod:`aemlint.packs.loader` reads the TOML (metadata only: cheap, no jsonschema);
- :mod:`aemlint.packs.schema` compiles a pack's schema when a configuration first matches
  (jsonschema and referencing are imported there, never at start-up);
- :mod:`aemlint.packs.check` matches configurations, validates them and turns schema errors
  into violations at the offending property;
- :mod:`aemlint.packs.builtin` registers the built-in packs (top-level ``rules/``) through the
  ``aemlint_rules`` hook, as every built-in rule group does.

The top-level ``rules/`` folder of the repository is the built-in pack (data);
``src/aemlint/rules/`` holds the Python rules.
"""

from __future__ import annotations

from aemlint.packs.loader import PackError, UserPacks, load_pack_file, load_pack_folder

__all__ = ["PackError", "UserPacks", "load_pack_file", "load_pack_folder"]
