"""Every rule case: a miniature project and its expected concise output (``expected.txt``).

Layout: ``tests/rules/<CODE>/<pass_|fail_><case>/`` holds the project; ``expected.txt`` beside
the project files holds the concise report, sorted. Each case runs through the real CLI entry
(``main``) on a copy in a temporary folder, with only that rule's group selected by default
(the whole catalogue when the case has an ``args.txt`` saying otherwise).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import copy_tree, run_main

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.glob("*/*") if p.is_dir() and p.name.startswith(("pass_", "fail_")))


def _args(case: Path) -> list[str]:
    extra = case / "args.txt"
    if extra.is_file():
        return extra.read_text().split()
    return ["--select", case.parent.name]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(
    case: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    update_snapshots: bool,
) -> None:
    project = copy_tree(case, tmp_path / "project")
    (project / "expected.txt").unlink(missing_ok=True)
    (project / "args.txt").unlink(missing_ok=True)
    (project / "aemlint.toml").touch()  # anchor the project root at the copy
    result = run_main(
        ["check", "--output-format", "concise", *_args(case)], project, capsys, monkeypatch
    )
    assert result.code in (0, 1), result.err
    expected_file = case / "expected.txt"
    if update_snapshots:
        expected_file.write_text(result.out)
    assert result.out == expected_file.read_text()
    # Exit 1 exactly when a finding at or above --fail-on (default: error) is shown.
    args = _args(case)
    fail_on = args[args.index("--fail-on") + 1] if "--fail-on" in args else "error"
    levels = {
        "error": ["error"],
        "warning": ["error", "warning"],
        "info": ["error", "warning", "info"],
    }
    failing = any(f" [{level}] " in result.out for level in levels[fail_on])
    assert result.code == (1 if failing else 0), result.err
    code = case.parent.name
    if case.name.startswith("fail_"):
        assert f" {code} [" in result.out
    else:
        assert f" {code} [" not in result.out


def _fixable_codes() -> set[str]:
    from aemlint.plugins import load_rules

    return {r.code for r in load_rules([]).rules if r.fix != "none"}


FIX_CASES = [c for c in CASES if c.name.startswith("fail_") and c.parent.name in _fixable_codes()]


@pytest.mark.parametrize("case", FIX_CASES, ids=[f"{c.parent.name}/{c.name}" for c in FIX_CASES])
def test_fix_case(
    case: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    update_snapshots: bool,
) -> None:
    """Each failing case of a fixable rule: ``--diff --unsafe-fixes`` against ``fix.diff``
    (empty when no finding there has a fix), writing nothing; then ``--fix --unsafe-fixes``
    leaves no finding of the rule that had a fix, and a second run changes nothing."""
    project = copy_tree(case, tmp_path / "project")
    for name in ("expected.txt", "args.txt", "fix.diff"):
        (project / name).unlink(missing_ok=True)
    (project / "aemlint.toml").touch()
    args = ["check", "--output-format", "concise", *_args(case)]
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    shown = run_main([*args, "--diff", "--unsafe-fixes"], project, capsys, monkeypatch)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    expected_file = case / "fix.diff"
    if update_snapshots:
        if shown.out:
            expected_file.write_text(shown.out)
        else:
            expected_file.unlink(missing_ok=True)
    expected = expected_file.read_text() if expected_file.is_file() else ""
    assert shown.out == expected
    fixed = run_main([*args, "--fix", "--unsafe-fixes"], project, capsys, monkeypatch)
    assert fixed.code in (0, 1), fixed.err
    code = case.parent.name
    if expected:
        assert f"{code} fixed" in fixed.err
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    again = run_main([*args, "--fix", "--unsafe-fixes"], project, capsys, monkeypatch)
    assert "fixed 0 findings" in again.err
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == after
