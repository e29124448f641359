"""The result cache (SPEC §7, :mod:`aemlint.result_cache`): a warm run replays the report of the
run that made the entry, and only while nothing it depends on has changed.

Every test uses its own ``--cache-dir`` (the suite's shared cache folder must not mix in). A run
is known to be a hit by its ``-v`` timings line.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aemlint.cache import JsonCache, entry_points_key
from aemlint.cli import OUTPUT_FORMATS
from aemlint.result_cache import MAX_ENTRIES, RANK, Probe, Recorder, _same, _stamp, plugin_stamp
from aemlint.types import SEVERITY_RANK

from helpers import MAIL, Result, run_main, write

CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config"
OTHER = f"{CONFIG}/com.acme.OtherImpl.cfg.json"
MAIL_TEXT = '{\n  "smtp.host": "smtp.sendgrid.net",\n  "smtp.port": 465,\n  "smtp.password": "pw-Plant3d"\n}\n'
HIT = "timings: result cache hit"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, MAIL_TEXT)
    write(root, OTHER, '{\n  "api.url": "http://example.com"\n}\n')
    write(
        root,
        "cloudmanager/prod/advanced-networking.json",
        '{"portForwards": [{"name": "smtp.sendgrid.net", "portDest": 587, "portOrig": 30587}]}\n',
    )
    write(
        root,
        "scripts/env.sh",
        "aio cloudmanager:environment:set-variables 123 --variable AEM_PROXY_HOST x\n",
    )
    return root


class Run:
    """``aemlint check`` in this process with a private cache folder."""

    def __init__(
        self, cache: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
    ) -> None:
        self.cache = cache
        self.capsys = capsys
        self.mp = mp

    def __call__(
        self, root: Path, *args: str, stdin: bytes | None = None, cache: bool = True
    ) -> Result:
        argv = ["check", "-v", *args]
        if cache:
            argv += ["--cache-dir", str(self.cache)]
        if stdin is not None:
            self.mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        if not any(a.startswith("--output-format") for a in args):
            argv += ["--output-format", "concise"]
        return run_main(argv, root, self.capsys, self.mp)


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return Run(tmp_path / "cache", capsys, monkeypatch)


def hit(r: Result) -> bool:
    return HIT in r.err


def shown(r: Result) -> tuple[int, str, str]:
    """What a user sees, without the timings line (which differs between a hit and a miss)."""
    err = "".join(line for line in r.err.splitlines(True) if "timings:" not in line)
    return r.code, r.out, err


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "results").glob("*/*.json"))


def age(root: Path, seconds: int = 3600) -> None:
    """Set every folder's and file's mtime back (as in a checkout made earlier)."""
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when))


# -- hits and identical output ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", [*OUTPUT_FORMATS, "statistics"])
def test_a_hit_prints_what_the_run_printed(project: Path, run: Run, fmt: str) -> None:
    args = ["--statistics"] if fmt == "statistics" else ["--output-format", fmt]
    reference = run(project, *args, cache=False)
    miss = run(project, *args)
    warm = run(project, *args)
    assert reference.code == 1, reference.err
    assert not hit(miss) and hit(warm)
    assert shown(reference) == shown(miss) == shown(warm)


def test_output_file_and_exit_zero_apply_to_a_hit(project: Path, run: Run) -> None:
    out = project.parent / "report.json"
    first = run(project, "--output-format", "json", "-o", str(out))
    text = out.read_text()
    out.unlink()
    second = run(project, "--output-format", "json", "-o", str(out))
    assert hit(second) and out.read_text() == text and second.out == first.out == ""
    assert second.code == first.code == 1
    zero = run(project, "--output-format", "json", "--exit-zero")
    assert hit(zero) and zero.code == 0


def test_fail_on_is_not_part_of_the_key(project: Path, run: Run) -> None:
    write(project, "aemlint.toml", '[rules.MAIL002]\nseverity = "warning"\n')
    assert run(project, "--select", "MAIL002").code == 0  # a warning does not fail
    warm = run(project, "--select", "MAIL002", "--fail-on", "warning")
    assert hit(warm) and warm.code == 1 and "MAIL002 [warning]" in warm.out
    write(project, "aemlint.toml", 'fail-on = "warning"\n[rules.MAIL002]\nseverity = "warning"\n')
    assert run(project, "--select", "MAIL002").code == 1  # the configuration's fail-on
    warm = run(project, "--select", "MAIL002")
    assert hit(warm) and warm.code == 1


def test_report_variants_are_kept_side_by_side(project: Path, run: Run) -> None:
    run(project)
    run(project, "--output-format", "json")
    assert hit(run(project))
    assert hit(run(project, "--output-format", "json"))
    assert len(entries(run.cache)) == 1


def test_variants_of_a_changed_state_are_dropped(project: Path, run: Run) -> None:
    run(project)
    write(project, MAIL, MAIL_TEXT.replace('"pw-Plant3d"', '"$[secret:SMTP_PASSWORD]"'))
    run(project, "--output-format", "json")  # the state changed: the concise report goes
    after = run(project)
    assert not hit(after) and "SEC001" not in after.out


def test_verbose_lines_and_plugin_warnings_are_replayed(project: Path, run: Run) -> None:
    meta = JsonCache(run.cache / "meta")
    meta.put(entry_points_key(), [["ghost", "ghost_plugin_not_installed:plugin", "ghost-dist"]])
    first = run(project)
    assert "plugin 'ghost' from distribution 'ghost-dist' failed to load" in first.err
    assert "input: " + MAIL in first.err
    second = run(project)
    assert hit(second) and shown(first) == shown(second)


# -- what makes a miss --------------------------------------------------------------------------


def test_an_edited_file_is_a_miss(project: Path, run: Run) -> None:
    run(project)
    assert hit(run(project))
    write(project, MAIL, MAIL_TEXT.replace('"pw-Plant3d"', '"$[secret:SMTP_PASSWORD]"'))
    after = run(project)
    assert not hit(after)
    assert "SEC001" not in after.out
    assert hit(run(project))


def test_same_size_same_mtime_edit_is_a_miss(project: Path, run: Run) -> None:
    """The racy case: content changed, size and mtime restored (ctime and the keyed digest of
    the linted bytes still tell)."""
    path = project / MAIL
    st = path.stat()
    run(project)
    path.write_text(MAIL_TEXT.replace("sendgrid", "sendgrod"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    after = run(project)
    assert not hit(after)
    assert "sendgrod" in after.out or "MAIL001" in after.out


def test_a_racy_file_is_checked_by_its_content(tmp_path: Path) -> None:
    """A file read within the timestamp granularity gets a keyed digest of the bytes linted."""
    root = tmp_path / "p"
    write(root, "a.json", "[1, 2]\n")
    recorder = Recorder(root)
    st = os.stat(root / "a.json")
    recorder.input("a.json", st, b"[1, 2]\n")
    (row,) = recorder.state()["files"][""]
    assert row[-1] is not None  # racy: digest kept
    prefix = str(root) + os.sep
    assert _same([row], prefix, recorder.salt)
    assert not _same([[*row[:-1], "0" * 32]], prefix, recorder.salt)


def test_new_deleted_and_renamed_files_are_misses(project: Path, run: Run) -> None:
    age(project)
    run(project)
    extra = f"{CONFIG}/com.acme.NewImpl.cfg.json"
    write(project, extra, '{"password": "x-Plant3d"}\n')
    after = run(project)
    assert not hit(after) and "com.acme.NewImpl" in after.out
    (project / extra).rename(project / extra.replace("NewImpl", "RenamedImpl"))
    after = run(project)
    assert not hit(after) and "RenamedImpl" in after.out and "NewImpl" not in after.out
    (project / extra.replace("NewImpl", "RenamedImpl")).unlink()
    after = run(project)
    assert not hit(after) and "RenamedImpl" not in after.out


def test_a_folder_touched_with_the_same_names_is_a_hit(project: Path, run: Run) -> None:
    """An editor's temporary file (created, then removed) changes the folder's mtime only."""
    age(project)
    run(project)
    temp = project / CONFIG / ".swap.tmp"
    temp.write_text("x")
    temp.unlink()
    assert hit(run(project))


def test_stdin_content_is_part_of_the_key(project: Path, run: Run) -> None:
    on_disk = (project / MAIL).read_bytes()
    first = run(project, "--stdin-filename", MAIL, stdin=on_disk)
    again = run(project, "--stdin-filename", MAIL, stdin=on_disk)
    assert hit(again) and shown(first) == shown(again)
    edited = on_disk.replace(b'"pw-Plant3d"', b'"$[secret:SMTP_PASSWORD]"')
    changed = run(project, "--stdin-filename", MAIL, stdin=edited)
    assert not hit(changed) and "SEC001" not in changed.out and "SEC001" in first.out
    assert hit(run(project, "--stdin-filename", MAIL, stdin=edited))
    other = run(project, "--stdin-filename", OTHER, stdin=(project / OTHER).read_bytes())
    assert not hit(other)
    assert hit(run(project, "--stdin-filename", MAIL, stdin=edited))  # one entry per target


def test_a_stdin_path_that_is_no_input_is_remembered(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editors may run aemlint on every save: ``pom.xml`` is decided by its path once."""
    first = run(project, "--stdin-filename", "pom.xml", stdin=b"<project/>")
    assert (first.code, first.out) == (0, "") and len(entries(run.cache)) == 1
    import aemlint.discovery

    def classify(*args: object) -> None:
        raise AssertionError("a hit does not classify the path again")

    monkeypatch.setattr(aemlint.discovery, "classify", classify)
    second = run(project, "--stdin-filename", "pom.xml", stdin=b"<project><x/></project>")
    assert (second.code, second.out, second.err) == (0, "", "")


def test_explicit_paths_are_part_of_the_key(project: Path, run: Run) -> None:
    whole = run(project)
    one = run(project, MAIL)
    assert not hit(one) and one.out != whole.out
    assert hit(run(project, MAIL)) and hit(run(project))


def test_settings_change_is_a_miss(project: Path, run: Run) -> None:
    run(project)
    write(project, "aemlint.toml", 'ignore = ["SEC001"]\n')
    after = run(project)
    assert not hit(after) and "SEC001" not in after.out
    assert hit(run(project))
    assert not hit(run(project, "--ignore", "MAIL002"))
    assert not hit(run(project, "--no-inline-suppressions"))


def test_gitignore_change_is_a_miss(project: Path, run: Run) -> None:
    write(project, ".gitignore", "ui.config/\n")
    first = run(project)
    assert "DefaultMailService" not in first.out
    assert hit(run(project))
    write(project, ".gitignore", "# nothing ignored\n")
    after = run(project)
    assert not hit(after) and "DefaultMailService" in after.out


def test_executable_bit_of_a_script_is_a_miss(project: Path, run: Run) -> None:
    script = write(
        project,
        "deploy",
        "#!/bin/sh\naio cloudmanager:environment:set-variables 123 --variable AEM_PROXY_HOST x\n",
    )
    age(project)
    first = run(project)
    assert "input: deploy (script)" not in first.err
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    after = run(project)
    assert not hit(after) and "input: deploy (script)" in after.err


def test_baseline_change_is_a_miss(project: Path, run: Run) -> None:
    baseline = project.parent / "baseline.json"
    assert run(project, "--write-baseline", str(baseline)).code == 0
    assert not entries(run.cache)  # --write-baseline never uses the result cache
    quiet = run(project, "--baseline", str(baseline))
    assert quiet.code == 0 and not hit(quiet)
    assert hit(run(project, "--baseline", str(baseline)))
    baseline.write_text(json.dumps({**json.loads(baseline.read_text()), "findings": []}))
    after = run(project, "--baseline", str(baseline))
    assert not hit(after) and after.code == 1


def _pack(root: Path, severity: str) -> None:
    rule = (
        'code = "ACME001"\nname = "acme-timeout"\nseverity = "' + severity + '"\n'
        'summary = "The timeout is an integer."\npids = ["com.acme.OtherImpl"]\n'
        'message = "ACME contract"\n'
        'schema = {type = "object", properties = {"api.url" = {type = "integer"}}}\n'
        "docs = '''\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n"
        "## Use instead\nx\n## Source\nx\n'''\n"
    )
    write(root, "packs/acme001.toml", rule)
    write(root, "aemlint.toml", 'rule-packs = ["packs"]\n')


def test_rule_pack_change_is_a_miss(project: Path, run: Run) -> None:
    _pack(project, "error")
    age(project)
    first = run(project)
    assert "ACME001 [error]" in first.out
    assert hit(run(project))
    _pack(project, "warning")
    age(project)
    after = run(project)
    assert not hit(after) and "ACME001 [warning]" in after.out


def test_a_pack_changed_during_the_run_is_not_stored(project: Path, run: Run) -> None:
    _pack(project, "error")  # just written: it may have changed after its rules were loaded
    run(project)
    assert not entries(run.cache)


def test_entry_point_table_change_is_another_key(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AEMLINT_CACHE_DIR", str(tmp_path / "c"))
    probe = Probe.open(
        project, None, options=[], baseline=None, targets=[], stdin_name=None, stdin=None
    )
    assert probe is not None
    meta = JsonCache(tmp_path / "c" / "meta")
    assert probe.key() is None  # the rule set is unknown until a run caches the table
    meta.put(entry_points_key(), [])
    before = probe.key()
    meta.put(entry_points_key(), [["acme", "acme_rules:plugin", "acme-aemlint"]])
    assert before is not None and probe.key() not in (None, before)


def test_plugin_code_change_is_another_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "acme_rules_xyz"
    write(package.parent, "acme_rules_xyz/__init__.py", "RULES = []\n")
    monkeypatch.syspath_prepend(str(package.parent))
    table = [["acme", "acme_rules_xyz.plugin:hooks", "acme-aemlint"]]
    before = plugin_stamp(table)
    write(package.parent, "acme_rules_xyz/plugin.py", "hooks = None\n")
    assert plugin_stamp(table) != before
    folder_before = _stamp([str(package)])
    (package / "plugin.py").write_text("hooks = 1\n# longer\n")
    assert _stamp([str(package)]) != folder_before


def test_a_configuration_changed_during_the_run_is_not_stored(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AEMLINT_CACHE_DIR", str(tmp_path / "c"))
    config = project / "aemlint.toml"
    probe = Probe.open(
        project, config, options=[], baseline=None, targets=[], stdin_name=None, stdin=None
    )
    assert probe is not None and probe.unchanged()
    config.write_text('ignore = ["SEC"]\n')
    assert not probe.unchanged()


# -- robustness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage \x00\xff",
        b'{"format": "aemlint-result/1"',
        b"[]",
        b'{"format": "aemlint-result/1", "key": "x"}',
        b"[" * 100_000,
        "WRONG-KEY",
        "WRONG-SHAPE",
    ],
)
def test_a_corrupt_or_foreign_entry_is_a_miss(
    project: Path, run: Run, content: bytes | str
) -> None:
    reference = run(project)
    (entry,) = entries(run.cache)
    if content == "WRONG-KEY":
        data = json.loads(entry.read_text())
        data["key"] = "0" * 64
        entry.write_text(json.dumps(data))
    elif content == "WRONG-SHAPE":
        data = json.loads(entry.read_text())
        data["state"]["files"] = [["x", "y"]]
        data["reports"] = {"not": "a list of pairs"}
        entry.write_text(json.dumps(data))
    else:
        assert isinstance(content, bytes)
        entry.write_bytes(content)
    after = run(project)
    assert not hit(after) and after.code != 3, after.err
    assert shown(after) == shown(reference)
    assert hit(run(project))  # the entry was rewritten


def test_no_cache_and_cache_dir(project: Path, run: Run, tmp_path: Path) -> None:
    run(project, "--no-cache")
    assert not (run.cache / "results").exists()
    run(project)
    assert len(entries(run.cache)) == 1
    assert "proj" not in str(entries(run.cache)[0].relative_to(run.cache))  # keyed, not named
    if os.name == "posix":
        assert entries(run.cache)[0].stat().st_mode & 0o077 == 0  # private to the user


def test_fixing_runs_do_not_use_the_result_cache(project: Path, run: Run) -> None:
    run(project, "--diff")
    assert not entries(run.cache)


def test_entries_are_pruned(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AEMLINT_CACHE_DIR", str(tmp_path / "c"))
    probe = Probe.open(
        project, None, options=[], baseline=None, targets=[], stdin_name=None, stdin=None
    )
    assert probe is not None
    probe.folder.mkdir(parents=True)
    for i in range(MAX_ENTRIES + 5):
        entry = probe.folder / f"{i:04d}.json"
        entry.write_text("{}")
        os.utime(entry, ns=(i * 1_000_000_000, i * 1_000_000_000))
    stray = probe.folder / ".x.json.123.tmp"
    stray.write_text("")
    os.utime(stray, (0, 0))
    probe._prune()
    left = sorted(p.name for p in probe.folder.iterdir())
    assert len(left) == MAX_ENTRIES and left[0] == "0005.json"


def test_the_meta_cache_keeps_its_newest_entries(tmp_path: Path) -> None:
    """Every edit of a configuration file makes a meta entry (its validation): the folder must
    not grow without end. Writing one prunes the oldest and temporary files left by killed runs."""
    meta = JsonCache(tmp_path / "meta")
    meta.put("first", [1])
    keep = JsonCache.MAX_ENTRIES
    for i in range(keep + 3):
        entry = tmp_path / "meta" / f"old-{i:04d}.json"
        entry.write_text("[]")
        os.utime(entry, ns=((i + 1) * 1_000_000_000,) * 2)
    stray = tmp_path / "meta" / ".x.json.1.tmp"
    stray.write_text("")
    os.utime(stray, (0, 0))
    fresh = tmp_path / "meta" / ".y.json.2.tmp"  # a concurrent run's write in progress
    fresh.write_text("")
    meta.put("last", {"a": 1})
    left = sorted(p.name for p in (tmp_path / "meta").iterdir())
    assert len([n for n in left if n.endswith(".json")]) == keep
    assert "last.json" in left and "first.json" in left  # first: written now, so newer
    assert "old-0000.json" not in left and "old-0004.json" not in left
    assert "old-0005.json" in left
    assert ".x.json.1.tmp" not in left and ".y.json.2.tmp" in left
    assert meta.get("last") == {"a": 1}


def test_concurrent_writers(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared"
    command = [sys.executable, "-m", "aemlint", "check", "--output-format", "json", "-v"]
    env = {**os.environ, "AEMLINT_CACHE_DIR": str(cache)}
    reference = subprocess.run(
        [*command, "--no-cache"], cwd=project, capture_output=True, check=False
    )
    procs = [
        subprocess.Popen(
            command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == reference.returncode, err
        assert out == reference.stdout
    warm = subprocess.run(command, cwd=project, env=env, capture_output=True, check=False)
    assert warm.stdout == reference.stdout and HIT.encode() in warm.stderr
    assert not list(cache.rglob("*.tmp"))


def test_the_rank_table_is_the_engines() -> None:
    assert dict(SEVERITY_RANK) == RANK
