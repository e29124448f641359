"""Discovery over real temporary trees (SPEC §2 exclude / extend-exclude / respect-gitignore,
§3.1 which files are OSGi configurations) and over every project of the shared corpus."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from aemlint.discovery import (
    DEFAULT_EXCLUDES,
    DiscoveredFile,
    Discovery,
    DiscoveryOptions,
    classify,
    discover,
    is_excluded,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CFG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
APPS = "ui.apps/src/main/content/jcr_root/apps/demo"


def write(root: Path, *rels: str, text: str = "{}") -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def found(d: Discovery) -> list[str]:
    """The OSGi configurations found (Cloud Manager inputs are tested separately)."""
    return [path.as_posix() for path, _place in d.configs]


def skipped(d: Discovery) -> dict[str, str]:
    return {p.as_posix(): reason for p, reason in d.skipped}


# --- classification -------------------------------------------------------------------------


def test_finds_configurations_sorted_with_their_place(tmp_path: Path) -> None:
    write(
        tmp_path,
        f"{CFG}/config.publish/B.cfg.json",
        f"{CFG}/config/A~x.cfg.json",
        f"{CFG}/config.author.dev/C-y.config",
        f"{APPS}/config/D.xml",
        f"{APPS}/config.author/E/.content.xml",
        f"{APPS}/components/text/.content.xml",  # not in a config folder
        f"{APPS}/components/text/F.cfg.json",
        "ui.content/src/main/content/jcr_root/content/site/config/G.cfg.json",  # not apps/libs
        "core/src/main/java/com/example/Foo.java",
        "pom.xml",
        "README.md",
    )
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == sorted(
        [
            f"{CFG}/config.publish/B.cfg.json",
            f"{CFG}/config/A~x.cfg.json",
            f"{CFG}/config.author.dev/C-y.config",
            f"{APPS}/config/D.xml",
            f"{APPS}/config.author/E/.content.xml",
        ]
    )
    assert d.skipped == ()
    # A *.cfg.json below apps/ outside any config folder is surfaced by path (CFG007), with no
    # place: it is never read nor made a configuration.
    strays = [f for f in d.files if f.kind == "stray-config"]
    assert [f.path.as_posix() for f in strays] == [f"{APPS}/components/text/F.cfg.json"]
    assert all(f.place is None for f in strays)
    assert all(f.kind == "osgi-config" and f.place is not None for f in d.files if f not in strays)
    by_path = {p.as_posix(): place for p, place in d.configs}
    assert by_path[f"{CFG}/config/A~x.cfg.json"].key == "A~x"
    assert by_path[f"{CFG}/config.author.dev/C-y.config"].dash_factory
    assert by_path[f"{APPS}/config.author/E/.content.xml"].pid == "E"
    assert all(isinstance(f.path, PurePosixPath) and not f.path.is_absolute() for f in d.files)


def test_classify_matches_discovery(tmp_path: Path) -> None:
    rel = PurePosixPath(f"{CFG}/config.author/A.cfg.json")
    got = classify(rel)
    assert isinstance(got, DiscoveredFile)
    assert got.path == rel and got.kind == "osgi-config" and got.place is not None
    assert got.place.run_modes == ("author",)
    assert classify(PurePosixPath("pom.xml")) is None
    stray = classify(PurePosixPath(f"{APPS}/components/a.cfg.json"))
    assert stray is not None and stray.kind == "stray-config" and stray.place is None
    assert classify(PurePosixPath(f"{APPS}/components/a.json")) is None
    assert classify(PurePosixPath(f"{APPS}/components/a.config")) is None
    assert classify(PurePosixPath("")) is None
    win = PureWindowsPath(r"ui.config\src\main\content\jcr_root\apps\x\config\A.cfg.json")
    assert classify(PurePosixPath(win.as_posix())) is not None


# --- excludes ---------------------------------------------------------------------------------


def test_default_excludes(tmp_path: Path) -> None:
    assert DiscoveryOptions().exclude == DEFAULT_EXCLUDES
    write(
        tmp_path,
        f"{CFG}/config/Kept.cfg.json",
        "target/classes/jcr_root/apps/x/config/A.cfg.json",
        "ui.apps/target/jcr_root/apps/x/config/B.cfg.json",
        "node_modules/pkg/jcr_root/apps/x/config/C.cfg.json",
        ".git/jcr_root/apps/x/config/D.cfg.json",
        "dist/jcr_root/apps/x/config/E.cfg.json",
        "ui.frontend/build/jcr_root/apps/x/config/F.cfg.json",
        ".aemlint_cache/jcr_root/apps/x/config/G.cfg.json",
    )
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == [f"{CFG}/config/Kept.cfg.json"]
    assert skipped(d) == {
        ".aemlint_cache": "excluded by pattern '.aemlint_cache'",
        ".git": "excluded by pattern '.git'",
        "dist": "excluded by pattern 'dist'",
        "node_modules": "excluded by pattern 'node_modules'",
        "target": "excluded by pattern 'target'",
        "ui.apps/target": "excluded by pattern 'target'",
        "ui.frontend/build": "excluded by pattern 'build'",
    }
    assert [p.as_posix() for p, _ in d.skipped] == sorted(skipped(d))


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    write(
        tmp_path,
        "target/jcr_root/apps/x/config/A.cfg.json",
        "legacy/jcr_root/apps/x/config/B.cfg.json",
    )
    d = discover(tmp_path, DiscoveryOptions(exclude=("legacy",)))
    assert found(d) == ["target/jcr_root/apps/x/config/A.cfg.json"]
    assert skipped(d) == {"legacy": "excluded by pattern 'legacy'"}


def test_extend_exclude_adds(tmp_path: Path) -> None:
    write(
        tmp_path,
        "target/jcr_root/apps/x/config/A.cfg.json",
        "legacy/jcr_root/apps/x/config/B.cfg.json",
        f"{CFG}/config/C.cfg.json",
        f"{CFG}/config/C.cfg",
        "sub/legacy/jcr_root/apps/x/config/D.cfg.json",  # legacy/** is anchored at the root
    )
    d = discover(tmp_path, DiscoveryOptions(extend_exclude=("legacy/**", "*.cfg")))
    assert found(d) == ["sub/legacy/jcr_root/apps/x/config/D.cfg.json", f"{CFG}/config/C.cfg.json"]
    assert skipped(d) == {
        "target": "excluded by pattern 'target'",
        "legacy": "excluded by pattern 'legacy/**'",
        f"{CFG}/config/C.cfg": "excluded by pattern '*.cfg'",
    }


def test_file_patterns_match_folders_too_as_in_git(tmp_path: Path) -> None:
    # A gotcha worth a test: "*.config" also matches the module folder "ui.config".
    write(
        tmp_path, f"{CFG}/config/A.cfg.json", f"{APPS}/config/B.config", f"{APPS}/config/C.cfg.json"
    )
    d = discover(tmp_path, DiscoveryOptions(extend_exclude=("*.config",)))
    assert found(d) == [f"{APPS}/config/C.cfg.json"]
    assert skipped(d) == {
        "ui.config": "excluded by pattern '*.config'",
        f"{APPS}/config/B.config": "excluded by pattern '*.config'",
    }


def test_exclude_with_negation_and_folder_patterns(tmp_path: Path) -> None:
    write(
        tmp_path,
        "ui.apps/src/main/content/jcr_root/apps/x/config/A.cfg.json",
        "ui.config/src/main/content/jcr_root/apps/x/config/B.cfg.json",
        "other/out/jcr_root/apps/x/config/C.cfg.json",
    )
    d = discover(tmp_path, DiscoveryOptions(exclude=("ui.*", "!ui.config", "out/")))
    assert found(d) == ["ui.config/src/main/content/jcr_root/apps/x/config/B.cfg.json"]
    assert skipped(d) == {
        "ui.apps": "excluded by pattern 'ui.*'",
        "other/out": "excluded by pattern 'out/'",
    }


def test_folder_only_name_pattern_does_not_exclude_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        "x/jcr_root/apps/a/config/out.cfg.json",
        "y/out.cfg.json/jcr_root/apps/a/config/B.cfg.json",
    )
    d = discover(tmp_path, DiscoveryOptions(exclude=("out.cfg.json/",)))
    assert found(d) == ["x/jcr_root/apps/a/config/out.cfg.json"]
    assert skipped(d) == {"y/out.cfg.json": "excluded by pattern 'out.cfg.json/'"}


def test_invalid_exclude_pattern_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid exclude pattern"):
        discover(tmp_path, DiscoveryOptions(extend_exclude=("bad\\",)))


# --- .gitignore -------------------------------------------------------------------------------


def test_nested_gitignore_with_negation(tmp_path: Path) -> None:
    write(
        tmp_path,
        f"{CFG}/config/A.cfg",
        f"{CFG}/config/B.cfg.json",
        f"{APPS}/config/C.cfg",
        f"{APPS}/config/keep.cfg",
        f"{APPS}/config/generated/D.cfg.json",
        f"{CFG}/config/generated/E.cfg.json",  # /generated/ below ui.apps only
    )
    write(tmp_path, ".gitignore", text="# legacy formats\n*.cfg\n\n")
    write(
        tmp_path,
        "ui.apps/.gitignore",
        text="!keep.cfg\n/src/main/content/jcr_root/apps/demo/config/generated/\n",
    )
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == [
        f"{APPS}/config/keep.cfg",
        f"{CFG}/config/B.cfg.json",
        f"{CFG}/config/generated/E.cfg.json",
    ]
    assert skipped(d) == {
        f"{CFG}/config/A.cfg": "ignored by .gitignore",
        f"{APPS}/config/C.cfg": "ignored by .gitignore",
        f"{APPS}/config/generated": "ignored by ui.apps/.gitignore",
    }
    everything = discover(tmp_path, DiscoveryOptions(respect_gitignore=False))
    assert len(everything.files) == 6 and everything.skipped == ()


def test_negation_cannot_reinclude_below_an_ignored_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        "gen/jcr_root/apps/x/config/keep.cfg.json",
        "src/jcr_root/apps/x/config/A.cfg.json",
    )
    write(tmp_path, ".gitignore", text="gen/\n!gen/jcr_root/apps/x/config/keep.cfg.json\n")
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == ["src/jcr_root/apps/x/config/A.cfg.json"]
    assert skipped(d) == {"gen": "ignored by .gitignore"}


def test_deeper_gitignore_overrides_shallower(tmp_path: Path) -> None:
    write(tmp_path, "m/jcr_root/apps/x/config/A.cfg.json", "m/jcr_root/apps/x/config/B.cfg.json")
    write(tmp_path, ".gitignore", text="!A.cfg.json\n")
    write(tmp_path, "m/jcr_root/.gitignore", text="*.cfg.json\n")
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == []  # the deeper file ignores both; the root's negation does not win
    assert set(skipped(d).values()) == {"ignored by m/jcr_root/.gitignore"}


def test_git_info_exclude(tmp_path: Path) -> None:
    write(
        tmp_path,
        "legacy/jcr_root/apps/x/config/A.cfg.json",
        f"{APPS}/config/B.config",
        f"{APPS}/config/C.config",
    )
    write(tmp_path, ".git/info/exclude", text="legacy/\n*.config\n")
    write(tmp_path, ".gitignore", text="!C.config\n")  # .gitignore beats info/exclude
    opts = DiscoveryOptions(exclude=())  # the walk then enters .git: nothing to find there
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == [f"{APPS}/config/C.config"]
    assert skipped(d) == {
        ".git": "excluded by pattern '.git'",
        "legacy": "ignored by .git/info/exclude",
        f"{APPS}/config/B.config": "ignored by .git/info/exclude",
    }
    assert found(discover(tmp_path, opts)) == [f"{APPS}/config/C.config"]


def test_gitignore_of_ancestors_inside_the_work_tree(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = top / "projects" / "site"
    write(top, ".git/info/exclude", text="*.cfg\n")
    write(top, ".gitignore", text="*.config\n")
    write(top, "projects/.gitignore", text="site/legacy/\n")
    write(
        root,
        "jcr_root/apps/x/config/A.config",
        "jcr_root/apps/x/config/B.cfg",
        "jcr_root/apps/x/config/C.cfg.json",
        "legacy/jcr_root/apps/x/config/D.cfg.json",
    )
    d = discover(root, DiscoveryOptions())
    assert found(d) == ["jcr_root/apps/x/config/C.cfg.json"]
    assert skipped(d) == {
        "jcr_root/apps/x/config/A.config": "ignored by ../../.gitignore",
        "jcr_root/apps/x/config/B.cfg": "ignored by ../../.git/info/exclude",
        "legacy": "ignored by ../.gitignore",
    }


def test_worktree_git_file_points_at_info_exclude(tmp_path: Path) -> None:
    git_dir = tmp_path / "main.git" / "worktrees" / "wt"
    write(tmp_path, "main.git/info/exclude", text="*.config\n")
    write(git_dir.parent.parent, "worktrees/wt/commondir", text="../..\n")
    root = tmp_path / "wt"
    write(root, ".git", text=f"gitdir: {git_dir}\n")
    write(root, "jcr_root/apps/x/config/A.config", "jcr_root/apps/x/config/B.cfg.json")
    d = discover(root, DiscoveryOptions())
    assert found(d) == ["jcr_root/apps/x/config/B.cfg.json"]
    assert skipped(d) == {"jcr_root/apps/x/config/A.config": "ignored by .git/info/exclude"}


def test_unreadable_gitignore_lines_are_skipped_like_git(tmp_path: Path) -> None:
    write(tmp_path, "x/jcr_root/apps/a/config/A.config", "x/jcr_root/apps/a/config/B.cfg.json")
    write(tmp_path, ".gitignore", text="bad\\\n*.config\n")
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == ["x/jcr_root/apps/a/config/B.cfg.json"]


def test_pathspec_is_imported_only_when_a_pattern_needs_it(tmp_path: Path) -> None:
    write(tmp_path, "x/jcr_root/apps/a/config/A.cfg.json")
    code = (
        "import sys; from pathlib import Path; "
        "from aemlint.discovery import discover, DiscoveryOptions; "
        f"d = discover(Path({str(tmp_path)!r}), DiscoveryOptions()); "
        "print(len(d.files), 'pathspec' in sys.modules)"
    )

    def run() -> str:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return proc.stdout.strip()

    assert run() == "1 False"
    write(tmp_path, ".gitignore", text="# nothing but comments\n\n")
    assert run() == "1 False"
    write(tmp_path, ".gitignore", text="*.config\n")
    assert run() == "1 True"


# --- is_excluded (explicit paths) -------------------------------------------------------------


def test_is_excluded(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", text="*.config\n!keep.config\n")
    write(tmp_path, "m/.gitignore", text="gen/\n")
    write(tmp_path, "m/gen/jcr_root/apps/x/config/A.cfg.json", "target/x/A.cfg.json")
    opts = DiscoveryOptions(extend_exclude=("legacy/**",))
    assert is_excluded(PurePosixPath("target/x/A.cfg.json"), opts, tmp_path) == (
        "excluded by pattern 'target'"
    )
    assert is_excluded(PurePosixPath("legacy/a/b.cfg.json"), opts, tmp_path) == (
        "excluded by pattern 'legacy/**'"
    )
    assert is_excluded(PurePosixPath("a/b/c.config"), opts, tmp_path) == "ignored by .gitignore"
    assert is_excluded(PurePosixPath("a/b/keep.config"), opts, tmp_path) is None
    assert is_excluded(
        PurePosixPath("m/gen/jcr_root/apps/x/config/A.cfg.json"), opts, tmp_path
    ) == ("ignored by m/.gitignore")
    assert is_excluded(PurePosixPath("m/gen"), opts, tmp_path) == "ignored by m/.gitignore"
    assert is_excluded(PurePosixPath("m/other/A.cfg.json"), opts, tmp_path) is None
    no_git = DiscoveryOptions(respect_gitignore=False)
    assert is_excluded(PurePosixPath("a/b/c.config"), no_git, tmp_path) is None
    assert is_excluded(PurePosixPath(""), opts, tmp_path) is None


# --- symlinks and unreadable folders ----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    config = tmp_path / "x/jcr_root/apps/a/config"
    write(tmp_path, "x/jcr_root/apps/a/config/A.cfg.json", "elsewhere/B.cfg.json", "README.md")
    os.symlink("..", config / "loop")  # a cycle: a/config/loop -> a
    os.symlink(tmp_path / "x", tmp_path / "x/jcr_root/apps/a/config/up", target_is_directory=True)
    os.symlink(tmp_path / "elsewhere/B.cfg.json", config / "B.cfg.json")  # would be an input
    os.symlink(tmp_path / "missing.cfg.json", config / "C.cfg.json")  # dangling, would be input
    os.symlink(tmp_path / "README.md", config / "README.md")  # not an input: not reported
    os.symlink(tmp_path / "x", tmp_path / "target")  # excluded by name
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == ["x/jcr_root/apps/a/config/A.cfg.json"]
    assert skipped(d) == {
        "target": "excluded by pattern 'target'",
        "x/jcr_root/apps/a/config/B.cfg.json": "symlink not followed",
        "x/jcr_root/apps/a/config/C.cfg.json": "symlink not followed",
        "x/jcr_root/apps/a/config/loop": "symlink not followed",
        "x/jcr_root/apps/a/config/up": "symlink not followed",
    }


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_folder_chmod(tmp_path: Path) -> None:
    write(tmp_path, "x/jcr_root/apps/a/config/A.cfg.json", "y/jcr_root/apps/a/config/B.cfg.json")
    locked = tmp_path / "y/jcr_root/apps/a"
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK | os.X_OK):
            pytest.skip("running with privileges that read a chmod 000 folder (root)")
        d = discover(tmp_path, DiscoveryOptions())
    finally:
        locked.chmod(0o755)
    assert found(d) == ["x/jcr_root/apps/a/config/A.cfg.json"]
    assert skipped(d) == {"y/jcr_root/apps/a": "unreadable folder: Permission denied"}


def test_unreadable_folder_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same as above for any user (root reads chmod 000 folders): scandir fails there.
    write(tmp_path, "x/jcr_root/apps/a/config/A.cfg.json", "y/jcr_root/apps/a/config/B.cfg.json")
    locked = os.fspath(tmp_path / "y/jcr_root/apps/a")
    real = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # discovery calls os.scandir at run time
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == ["x/jcr_root/apps/a/config/A.cfg.json"]
    assert skipped(d) == {"y/jcr_root/apps/a": "unreadable folder: Permission denied"}


def test_missing_root_is_reported_not_raised(tmp_path: Path) -> None:
    d = discover(tmp_path / "missing", DiscoveryOptions())
    assert d.files == ()
    assert skipped(d) == {".": "unreadable folder: No such file or directory"}


def test_unicode_and_odd_names(tmp_path: Path) -> None:
    names = ["Guide Localization Service.cfg.json", "café~é.cfg.json", "a'b.config"]
    write(tmp_path, *(f"x/jcr_root/apps/a/config.author/{n}" for n in names))
    d = discover(tmp_path, DiscoveryOptions())
    assert found(d) == sorted(f"x/jcr_root/apps/a/config.author/{n}" for n in names)


# --- the shared corpus ------------------------------------------------------------------------

# cp2fm's path pattern [S24], with aemlint's exact folder names and the ".content.xml" rule.
_ORACLE = re.compile(
    r"^(?:.*/)?jcr_root/(?:apps|libs)/.+/(?:config|install)(?:\.[^/]+)?/(?:.*/)?"
    r"(?:[^/]+\.(?:cfg\.json|config|cfg|xml))$"
)


def _oracle(rel: str) -> bool:
    if rel.endswith("/.content.xml"):
        return False  # no such node in the corpus; covered by the unit tests
    return _ORACLE.match(rel) is not None


_SOURCES = (
    json.loads((CORPUS / "sources.json").read_text(encoding="utf-8")) if CORPUS.is_dir() else []
)
_PROJECTS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize("project", _PROJECTS)
def test_corpus_project(project: str) -> None:
    root = CORPUS / project
    d = discover(root, DiscoveryOptions())
    on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert found(d) == sorted(rel for rel in on_disk if _oracle(rel))
    assert d.skipped == ()
    listed: list[str] = next((s["files"] for s in _SOURCES if s["dir"] == project), [])
    assert {rel for rel in listed if _oracle(rel)} <= set(found(d))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_counts() -> None:
    total = 0
    for source in _SOURCES:
        d = discover(CORPUS / source["dir"], DiscoveryOptions())
        listed = set(source["files"])
        assert set(found(d)) <= listed
        total += len(d.configs)
    # Every OSGi configuration file the corpus lists: all but the api.yaml, two .cloudmanager
    # files and the five migration-tool test resources that sit in no jcr_root/apps tree.
    assert total == 168
    assert sum(len(s["files"]) for s in _SOURCES) == 168 + 1 + 3 + 5


def test_cloud_manager_inputs_are_found_outside_jcr_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        "cloudmanager/prod/advanced-networking.json",
        "cloudmanager/variables.yaml",
        "scripts/set-env.sh",
        "Makefile",
        "Jenkinsfile",
        ".github/workflows/deploy.yml",
        ".gitlab-ci.yml",
        "azure-pipelines.yml",
        "docs/readme.md",
        "ui.apps/src/main/content/jcr_root/apps/a/components/x.json",
        "ui.apps/src/main/content/jcr_root/content/y.yaml",
    )
    tool = tmp_path / "bin/deploy"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    (tmp_path / "bin/notes").write_text("not executable\n")
    kinds = {f.path.as_posix(): f.kind for f in discover(tmp_path, DiscoveryOptions()).files}
    assert kinds == {
        ".github/workflows/deploy.yml": "script",
        ".gitlab-ci.yml": "script",
        "Jenkinsfile": "script",
        "Makefile": "script",
        "azure-pipelines.yml": "script",
        "bin/deploy": "script",
        "cloudmanager/prod/advanced-networking.json": "cloud-manager",
        "cloudmanager/variables.yaml": "cloud-manager",
        "scripts/set-env.sh": "script",
    }
    one = classify(PurePosixPath("cloudmanager/prod/advanced-networking.json"))
    assert one is not None and one.kind == "cloud-manager" and one.place is None
    assert classify(PurePosixPath("x/jcr_root/content/a.json")) is None
    assert classify(PurePosixPath("README.md")) is None


# --- configurations outside configuration folders (CFG007) ----------------------------------


def test_stray_cfg_json_files_are_surfaced_by_path_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        f"{CFG}/A.cfg.json",  # osgiconfig/ without config/
        "ui.config/src/main/content/jcr_root/apps/config/B.cfg.json",  # config/ right below apps
        "ui.config/src/main/content/jcr_root/apps/C.cfg.json",
        f"{CFG}/config/sub/D.cfg.json",  # deeper below a config folder: a configuration
        f"{CFG}/config.qa/E.cfg.json",  # unsupported folder: a configuration (RUN001)
        "ui.apps/src/main/content/jcr_root/libs/x/F.cfg.json",  # /libs: not reported
        "ui.content/src/main/content/jcr_root/conf/x/G.cfg.json",  # not /apps
        f"{APPS}/components/H.config",  # other forms outside config folders: not inputs
        f"{APPS}/components/.cfg.json",  # no PID
        "outside/I.cfg.json",  # outside jcr_root: a Cloud Manager candidate, not a stray
    )
    d = discover(tmp_path, DiscoveryOptions())
    kinds = {f.path.as_posix(): f.kind for f in d.files}
    assert {p for p, k in kinds.items() if k == "stray-config"} == {
        f"{CFG}/A.cfg.json",
        "ui.config/src/main/content/jcr_root/apps/config/B.cfg.json",
        "ui.config/src/main/content/jcr_root/apps/C.cfg.json",
    }
    assert found(d) == [f"{CFG}/config.qa/E.cfg.json", f"{CFG}/config/sub/D.cfg.json"]
    assert kinds["outside/I.cfg.json"] == "cloud-manager"
    for path, kind in kinds.items():
        assert (classify(PurePosixPath(path)) or DiscoveredFile(PurePosixPath(), None)).kind == kind


def test_stray_files_are_not_read_and_not_configurations(tmp_path: Path) -> None:
    from aemlint.model.project import build_project

    write(tmp_path, f"{CFG}/A.cfg.json", text="not json at all")
    d = discover(tmp_path, DiscoveryOptions())
    project = build_project(tmp_path, d.files, lambda name: False)
    assert project.configs == () and project.problems == ()
    assert project.stray_configs == (PurePosixPath(f"{CFG}/A.cfg.json"),)
    assert project.texts == {}
    assert project.checked_paths == (PurePosixPath(f"{CFG}/A.cfg.json"),)
