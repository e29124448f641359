"""The rule catalogue: identities, documentation and fixture coverage of every built-in rule."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from aemlint.plugins import load_rules
from aemlint.registry import CODE_RE, NAME_RE, REQUIRED_SECTIONS, Rule, RuleSet

RULES = load_rules([]).rules
FIXTURES = Path(__file__).parent / "rules"
# AEM000 is produced by the engine when a rule raises: tests/test_engine.py covers it.
NO_FIXTURES = {"AEM000"}


def test_codes_and_names_are_unique_and_well_formed() -> None:
    RuleSet(tuple(RULES))  # raises on a duplicate code or name
    for r in RULES:
        assert CODE_RE.match(r.code), r.code
        assert NAME_RE.match(r.name), r.name


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_documentation_has_the_required_sections(r: Rule) -> None:
    sections = r.sections()
    for title in REQUIRED_SECTIONS:
        assert sections.get(title), f"{r.code}: missing '## {title}'"
    if r.fix != "none":
        assert sections.get("Fix safety"), f"{r.code}: fixable rules document '## Fix safety'"
    assert r.summary and not r.summary.startswith("#")


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_options_schema_is_valid(r: Rule) -> None:
    jsonschema.Draft202012Validator.check_schema(
        {"type": "object", "properties": dict(r.options_schema)}
    )


@pytest.mark.parametrize("r", [r for r in RULES if r.code not in NO_FIXTURES], ids=lambda r: r.code)
def test_every_rule_has_pass_and_fail_cases(r: Rule) -> None:
    cases = [p.name for p in (FIXTURES / r.code).glob("*") if p.is_dir()]
    assert any(c.startswith("pass_") for c in cases), f"{r.code}: no pass_* case"
    assert any(c.startswith("fail_") for c in cases), f"{r.code}: no fail_* case"
