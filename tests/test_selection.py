"""Rule selection with flake8's semantics, through the real rule set."""

from __future__ import annotations

import pytest

from aemlint.plugins import load_rules
from aemlint.registry import RuleSet, Selection, unknown_selectors

RULES = RuleSet(tuple(load_rules([]).rules))


def selected(select: tuple[str, ...], ignore: tuple[str, ...] = ()) -> set[str]:
    sel = Selection(select, ignore)
    return {r.code for r in RULES if sel.selects(r)}


@pytest.mark.parametrize(
    ("select", "ignore", "included", "excluded"),
    [
        (("ALL",), (), {"SEC001", "MAIL001", "CFG001"}, set()),
        (("SEC",), (), {"SEC001"}, {"MAIL001"}),
        (("ALL",), ("SEC",), {"MAIL001"}, {"SEC001"}),
        (("SEC001",), ("SEC",), {"SEC001"}, set()),  # longer prefix wins
        (("SEC",), ("SEC001",), set(), {"SEC001"}),
        (("hardcoded-secret",), ("SEC",), {"SEC001"}, {"MAIL001"}),  # a name is a full code
        (("ALL",), ("smtp-host-not-proxied",), {"SEC001"}, {"MAIL001"}),
        (("SEC",), ("SEC",), set(), {"SEC001"}),  # a tie: ignore wins
        (("CFG00",), (), {"CFG001", "CFG002", "CFG003"}, {"SEC001"}),
    ],
)
def test_selection(
    select: tuple[str, ...], ignore: tuple[str, ...], included: set[str], excluded: set[str]
) -> None:
    got = selected(select, ignore)
    assert included <= got
    assert not (excluded & got)


def test_unknown_selectors_are_named() -> None:
    assert unknown_selectors(["SEC", "hardcoded-secret", "ALL", "XYZ9", "no-such-rule"], RULES) == [
        "XYZ9",
        "no-such-rule",
    ]
