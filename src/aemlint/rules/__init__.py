"""Built-in Python rules, one package per group and one module per rule.

(The top-level ``rules/`` folder of the repository holds declarative rule packs: data, not code.)
Each group package implements the ``aemlint_rules`` hook, exactly as a third-party plugin does.
"""
