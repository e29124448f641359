"""The language server's incremental lint (``aemlint.incremental`` + the parse cache) finds
exactly what a fresh, non-incremental lint of the same content finds: after random edits of a
generated project and of the real-world corpus, for plugin rules that read the project, and
through a real LSP client."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import LanguageClient

from aemlint.discovery import classify
from aemlint.engine import RuleRun, run_rules
from aemlint.incremental import IncrementalRules, ProjectReads
from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import ParseCache, Project
from aemlint.registry import Rule, RuleContext, rule
from aemlint.session import Session
from aemlint.settings import find_config
from aemlint.types import Finding, Violation

from conftest import SHARED
from helpers import MAIL, copy_tree, write

BENCH = Path(__file__).resolve().parents[1] / "bench"
CORPUS = SHARED / "corpus"
CORPUS_FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

Overlays = dict[PurePosixPath, str]


def _generate(out: Path, configs: int) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCH))
    generate(out, configs)
    return out


class Editor:
    """One project linted again and again, incrementally (as the server does) and afresh."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.session = Session.open(root, find_config(root), no_cache=True)
        self.files = list(self.session.discover().files)
        self.cache = ParseCache()
        self.incremental = IncrementalRules()
        self.overlays: Overlays = {}

    def text(self, rel: PurePosixPath) -> str:
        got = self.overlays.get(rel)
        return got if got is not None else (self.root / rel).read_text(encoding="utf-8")

    def set(self, rel: PurePosixPath, text: str) -> None:
        self.overlays[rel] = text
        if all(f.path != rel for f in self.files):
            found = classify(rel)
            assert found is not None, rel
            self.files.append(found)

    def delete(self, rel: PurePosixPath) -> None:
        self.files = [f for f in self.files if f.path != rel]
        self.overlays.pop(rel, None)

    def lint(self) -> tuple[list[Finding], list[Finding]]:
        """(incremental, fresh) findings of the current content."""
        project = self.session.build(self.files, dict(self.overlays), None, self.cache)
        self.cache.sweep()
        got = self.session.lint(project, self.incremental)
        fresh = self.session.lint(self.session.build(self.files, dict(self.overlays)))
        return got, fresh

    def check(self) -> list[Finding]:
        got, fresh = self.lint()
        assert got == fresh
        return got


def _configs(editor: Editor, suffix: str = ".cfg.json") -> list[PurePosixPath]:
    return sorted(
        f.path for f in editor.files if f.place is not None and str(f.path).endswith(suffix)
    )


# -- a generated project -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("gen") / "p", 120)


NETWORKING = PurePosixPath("cloudmanager/advanced-networking.json")
VARIABLES = PurePosixPath("cloudmanager/variables.yaml")
SNIPPETS = [
    '"api.password": "Plant3dIncremental-1",',
    '"jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30002/db",',
    '"jdbc.connection.uri": "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db",',
    '"aws.key": "AKIAZ7Q2M4X9C3V8B1N5",',
    '"smtp.host": "smtp.example.com",',
    '"label": "$[env:API_USER_3]",',
    '"label": "$[secret:API_USER_4]",',
    '"bad": "$[env:]",',
    '"x": ,',
]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    kinds = st.sampled_from(["insert", "drop", "forwards", "variables", "delete", "copy"])
    return draw(
        st.lists(
            st.tuples(kinds, st.integers(0, 10_000), st.integers(0, len(SNIPPETS) - 1)),
            min_size=1,
            max_size=6,
        )
    )


def _apply(editor: Editor, kind: str, at: int, snippet: int) -> None:
    configs = _configs(editor)
    rel = configs[at % len(configs)]
    text = editor.text(rel)
    if kind == "insert":  # a property (or broken JSON) right after the opening brace
        brace = text.index("{") + 1
        editor.set(rel, text[:brace] + "\n    " + SNIPPETS[snippet] + text[brace:])
    elif kind == "drop":  # the first property line
        lines = text.splitlines(keepends=True)
        body = [i for i, line in enumerate(lines) if line.startswith("    ")]
        if body:
            del lines[body[at % len(body)]]
        editor.set(rel, "".join(lines))
    elif kind == "forwards":  # another file's change moves NET001 in the configurations
        port = 30001 + at % 3
        editor.set(
            NETWORKING,
            '{"portForwards": [{"name": "mysql.example.com", "portDest": 3306, '
            f'"portOrig": {port}}}]}}\n',
        )
    elif kind == "variables":  # VAR007/VAR008 in the configurations reading them
        kind_of = "secretString" if at % 2 else "string"
        lines = [f"- name: API_USER_{k}\n  value: v{k}\n  type: {kind_of}\n" for k in range(6)]
        editor.set(VARIABLES, "".join(lines[: 1 + at % 6]))
    elif kind == "delete":
        editor.delete(rel)
    else:  # the same PID in another run-mode folder: CFG005/RUN003-style cross-file findings
        other = PurePosixPath(str(rel).replace("/config/", "/config.prod/", 1))
        if other == rel:
            other = PurePosixPath(
                str(rel).replace("/osgiconfig/", "/osgiconfig/config.stage/x/", 1)
            )
        if classify(other) is not None:
            editor.set(other, text)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=edits())
def test_random_edits_of_a_generated_project(
    generated: Path, steps: list[tuple[str, int, int]]
) -> None:
    editor = Editor(generated)
    editor.check()
    for kind, at, snippet in steps:
        _apply(editor, kind, at, snippet)
        editor.check()
    # undoing every edit comes back to the findings of the files on disk
    editor.overlays.clear()
    editor.files = list(editor.session.discover().files)
    editor.check()


def test_edits_of_a_500_configuration_project(tmp_path: Path) -> None:
    editor = Editor(_generate(tmp_path / "p", 500))
    baseline = editor.check()
    target = _configs(editor)[7]
    text = editor.text(target)
    brace = text.index("{") + 1
    for snippet in SNIPPETS:
        editor.set(target, text[:brace] + "\n    " + snippet + text[brace:])
        editor.check()
    editor.set(target, text)
    assert editor.check() == baseline
    original = editor.text(NETWORKING)
    _apply(editor, "forwards", 1, 0)
    assert editor.check() != baseline  # the generated NET001s change
    editor.set(NETWORKING, original)
    assert editor.check() == baseline


# -- the real-world corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("corpus")
    copies = {}
    for folder in CORPUS_FOLDERS:
        copies[folder] = copy_tree(CORPUS / folder, out / folder)
        (copies[folder] / ".aemlint.toml").write_text("")
    return copies


PIECES = [
    "",
    '"smtp.password": "hunter2-Incr", ',
    "$[env:AEM_PROXY_HOST]",
    "$[secret:INCR_SECRET]",
    "$[env:",
    "jdbc:mysql://app:S3cr3t-pw@db.example.com:3306/shop",
    "\n",
    '"',
    "}",
]


@pytest.mark.skipif(not CORPUS_FOLDERS, reason="../shared/corpus is not beside the checkout")
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_edits_of_the_corpus(corpus: dict[str, Path], data: st.DataObject) -> None:
    """Any text mutation of any input (configurations of every form, networking and variables
    documents): the incremental findings stay those of a fresh lint."""
    folder = data.draw(st.sampled_from(sorted(corpus)))
    editor = Editor(corpus[folder])
    inputs = sorted(
        f.path for f in editor.files if f.place is not None or f.kind in ("cloud-manager", "script")
    )
    if not inputs:
        return
    editor.check()
    for _ in range(data.draw(st.integers(1, 4))):
        rel = data.draw(st.sampled_from(inputs))
        try:
            text = editor.text(rel)
        except (OSError, UnicodeDecodeError):
            continue
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        piece = data.draw(st.sampled_from(PIECES))
        editor.set(rel, text[:start] + piece + text[end:])
        editor.check()


# -- rules that read the project (plugins declare nothing) ---------------------------------------


def _plugin_rules(at: PurePosixPath) -> list[Rule]:
    @rule(code="XIN001", name="reads-environments", severity="warning", scope="config")
    def reads_environments(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Reads the environments."""
        ports = sorted(p for e in ctx.project.environments for p in e.port_origs)
        yield Violation(f"forwards {ports}", cfg.path, None)

    @rule(code="XIN002", name="counts-configs", severity="warning", scope="config")
    def counts_configs(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Reads the list of configurations."""
        assert isinstance(ctx.project, Project)
        yield Violation(f"{len(ctx.project.configs)} configurations", cfg.path, None)

    @rule(code="XIN003", name="reads-networking-text", severity="warning", scope="config")
    def reads_other_text(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Reads another file's text."""
        text = ctx.project.texts.get(NETWORKING) or ""
        if "30002" in text:
            yield Violation("30002 is forwarded", cfg.path, None)

    @rule(code="XIN004", name="iterates-texts", severity="warning", scope="config")
    def iterates_texts(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Iterates every text."""
        total = sum(len(t) for t in ctx.project.texts.values())
        yield Violation(f"{total} characters", cfg.path, None)

    @rule(code="XIN005", name="memo-user", severity="warning", scope="config")
    def memo_user(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Uses a project memo."""
        count = ctx.project.memo("xin005", lambda p: len(p.variable_settings))
        yield Violation(f"{count} settings", cfg.path, None)

    @rule(code="XIN006", name="points-elsewhere", severity="warning", scope="config")
    def points_elsewhere(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Reports at a sibling configuration (its context comes from the project)."""
        siblings = [c for c in ctx.project.configs_for(cfg.key) if c is not cfg]
        if siblings:
            yield Violation("has a sibling", siblings[0].path, None)

    @rule(code="XIN007", name="points-at-a-path", severity="warning", scope="config")
    def points_at_a_path(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Reports at a fixed path, reading nothing (its context names what is there)."""
        yield Violation("look there", at, None)

    @rule(code="XIN008", name="raises", severity="warning", scope="config")
    def raises(cfg: OsgiConfig, ctx: RuleContext) -> Iterator[Violation]:
        """Raises (AEM000) while port 30003 is forwarded."""
        if "30003" in (ctx.project.texts.get(NETWORKING) or ""):
            raise ValueError("boom")
        yield from ()

    return [
        raises,
        reads_environments,
        counts_configs,
        reads_other_text,
        iterates_texts,
        memo_user,
        points_elsewhere,
        points_at_a_path,
    ]


def test_plugin_rules_that_read_the_project_run_again_when_it_changes(generated: Path) -> None:
    editor = Editor(generated)
    at = _configs(editor)[3]  # (deleted below: the findings there lose their PID)
    runs = [RuleRun(r, "warning", {}) for r in _plugin_rules(at)]
    runs += [
        RuleRun(r, editor.session.settings.severity_of(r), {}) for r in editor.session.selected
    ]

    def lint() -> list[Finding]:
        project = editor.session.build(editor.files, dict(editor.overlays), None, editor.cache)
        editor.cache.sweep()
        got = run_rules(project, runs, editor.session.namer, incremental=editor.incremental)
        fresh = run_rules(
            editor.session.build(editor.files, dict(editor.overlays)), runs, editor.session.namer
        )
        assert got == fresh
        return got

    first = lint()
    _apply(editor, "forwards", 1, 0)  # XIN001, XIN003, XIN004 change on every configuration
    second = lint()
    assert {f.message for f in first if f.code == "XIN003"} == set()
    assert {f.message for f in second if f.code == "XIN003"} == {"30002 is forwarded"}
    _apply(editor, "forwards", 2, 0)  # XIN008 raises on every configuration
    assert sum(f.code == "AEM000" for f in lint()) == len(
        editor.session.build(editor.files).configs
    )
    _apply(editor, "forwards", 0, 0)
    assert not any(f.code == "AEM000" for f in lint())
    _apply(editor, "variables", 2, 0)  # XIN005 (through a memo), XIN004
    lint()
    _apply(editor, "copy", 3, 0)  # XIN002 everywhere, XIN006 points at the new sibling
    lint()
    assert any(f.context.pid for f in lint() if f.code == "XIN007")
    _apply(editor, "delete", 3, 0)
    assert not any(f.context.pid for f in lint() if f.code == "XIN007")
    assert lint() == lint()  # nothing changed: replayed


def test_project_reads_records_what_a_rule_reads(generated: Path) -> None:
    editor = Editor(generated)
    project = editor.session.build(editor.files)
    cfg = project.configs[0]
    view = ProjectReads(project, cfg.path)
    assert isinstance(view, Project)
    assert view.texts.get(cfg.path) == project.texts[cfg.path]
    assert view.config_at(cfg.path) is cfg
    assert view.reads == set() and not view.whole  # its own file: implied by its identity
    assert NETWORKING in view.texts
    assert view.configs_for(cfg.key) == project.configs_for(cfg.key)
    assert view.reads == {("text", NETWORKING), ("key", cfg.key)}
    assert view.environments == project.environments
    assert view.whole


# -- the parse cache -----------------------------------------------------------------------------


def test_the_parse_cache_keeps_unchanged_configurations_and_forgets_deleted_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    other = MAIL.replace("DefaultMailService", "Other")
    write(root, MAIL, '{"smtp.host": "smtp.example.com"}\n')
    write(root, other, '{"a": "b"}\n')
    session = Session.open(root, find_config(root), no_cache=True)
    files = list(session.discover().files)
    cache = ParseCache()
    first = session.build(files, None, None, cache)
    cache.sweep()
    second = session.build(files, None, None, cache)
    cache.sweep()
    assert [a is b for a, b in zip(first.configs, second.configs, strict=True)] == [True, True]
    # same size, new bytes, new mtime: read and parsed again
    path = root / other
    path.write_text('{"a": "c"}\n')
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    third = session.build(files, None, None, cache)
    cache.sweep()
    changed = third.config_at(PurePosixPath(other))
    assert changed is not None and changed is not second.config_at(PurePosixPath(other))
    assert third.config_at(PurePosixPath(MAIL)) is second.config_at(PurePosixPath(MAIL))
    # a file that is gone leaves the cache at the next sweep
    (root / other).unlink()
    session.build([f for f in files if f.path != PurePosixPath(other)], None, None, cache)
    cache.sweep()
    assert all(PurePosixPath(other) not in table for table in _tables(cache))


def _tables(cache: ParseCache) -> list[object]:
    return [
        cache._texts,
        cache._configs,
        cache._unchanged,
        cache._absolute,
        {k[1] for k in cache._parsed},
    ]


def test_unreadable_and_overlaid_files_are_not_taken_from_the_disk_entry(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", "")
    write(root, MAIL, '{"smtp.host": "smtp.example.com"}\n')
    session = Session.open(root, find_config(root), no_cache=True)
    files = list(session.discover().files)
    cache = ParseCache()
    rel = PurePosixPath(MAIL)
    disk = session.build(files, None, None, cache).config_at(rel)
    overlaid = session.build(files, {rel: '{"smtp.host": "x"}\n'}, None, cache).config_at(rel)
    assert overlaid is not None and overlaid is not disk
    assert overlaid.get("smtp.host") is not None
    again = session.build(files, None, None, cache).config_at(rel)
    assert again is disk  # the buffer closed: the file on disk, unchanged, as before


# -- through a real LSP client -------------------------------------------------------------------

SELECT = 'select = ["SEC001", "SEC004", "MAIL001", "NET001", "CFG001", "PH001"]\n'
FORWARDS = (
    '{\n  "portForwards": [\n'
    '    {"name": "smtp.example.com", "portDest": 465, "portOrig": 30465}\n  ]\n}\n'
)
TUTORIAL = (
    '{\n    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",\n'
    '    "smtp.port": "30587",\n    "smtp.password": "$[secret:EMAIL_PASSWORD]"\n}\n'
)
PIDS = ("com.a.MailImpl", "com.b.MailImpl")
DB = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config/com.example.Db.cfg.json"
DB_TEXT = '{\n    "jdbc.url": "jdbc:mysql://$[env:AEM_PROXY_HOST]:30465/db"\n}\n'


Shown = dict[str, list[tuple[str, str, int, int, int, int]]]


def _shown(diagnostics: dict[str, list[types.Diagnostic]]) -> Shown:
    out: Shown = {}
    for uri, diags in diagnostics.items():
        rows = sorted(
            (
                str(d.code),
                d.message,
                d.range.start.line,
                d.range.start.character,
                d.range.end.line,
                d.range.end.character,
            )
            for d in diags
        )
        if rows:
            out[uri] = rows
    return out


def _expected(root: Path, buffers: dict[str, str]) -> Shown:
    """A fresh full lint of the files on disk with the open buffers laid over them, in the
    shape the client shows (ASCII texts: UTF-16 columns are code-point columns)."""
    session = Session.open(root, find_config(root), no_cache=True)
    files = list(session.discover().files)
    overlays = {
        PurePosixPath(Path(path).relative_to(root).as_posix()): text
        for path, text in buffers.items()
    }
    project = session.build(files, overlays)
    rows: dict[str, list[tuple[str, str, int, int, int, int]]] = {}
    for f in session.lint(project):
        span = f.span
        where = (
            (0, 0, 0, 0)
            if span is None
            else (span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1)
        )
        rows.setdefault((root / f.path).as_uri(), []).append((f.code, f.message, *where))
    return {uri: sorted(r) for uri, r in rows.items()}


async def _agrees(client: LanguageClient, root: Path, buffers: dict[str, str]) -> None:
    expected = _expected(root, buffers)
    for _ in range(40):
        if _shown(client.diagnostics) == expected:
            return
        try:
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=5
            )
        except TimeoutError:
            break
    assert _shown(client.diagnostics) == expected


class Buffers:
    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    def open(self, rel: str) -> str:
        path = self.root / rel
        uri = path.as_uri()
        self.texts[str(path)] = path.read_text()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=uri, language_id="json", version=1, text=self.texts[str(path)]
                )
            )
        )
        return uri

    def change(self, rel: str, text: str, save: bool = False) -> None:
        path = self.root / rel
        uri = path.as_uri()
        self.versions[uri] += 1
        self.texts[str(path)] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        if save:
            path.write_text(text)
            self.client.text_document_did_save(
                types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
            )

    def close(self, rel: str) -> None:
        path = self.root / rel
        del self.texts[str(path)]
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(path.as_uri()))
        )


async def test_edits_and_saves_publish_what_a_full_lint_finds(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", SELECT)
    write(root, MAIL, TUTORIAL)
    write(root, DB, DB_TEXT)
    write(root, "cloudmanager/advanced-networking.json", FORWARDS)
    buffers = Buffers(client, root)
    buffers.open(MAIL)
    await _agrees(client, root, buffers.texts)
    # a finding appears, then disappears (SEC001, unsaved then saved)
    secret = TUTORIAL.replace("$[secret:EMAIL_PASSWORD]", "hunter2-lsp")
    buffers.change(MAIL, secret)
    await _agrees(client, root, buffers.texts)
    buffers.change(MAIL, TUTORIAL, save=True)
    await _agrees(client, root, buffers.texts)
    # a credential (SEC004), and broken syntax (CFG001), then fixed
    buffers.change(MAIL, TUTORIAL.replace("proxy.tunnel", "proxy.tunnel/?k=AKIAZ7Q2M4X9C3V8B1N5"))
    await _agrees(client, root, buffers.texts)
    buffers.change(MAIL, TUTORIAL.replace('"30587",', '"30587"'))
    await _agrees(client, root, buffers.texts)
    # a port: NET001 moves from one file to the other
    buffers.change(MAIL, TUTORIAL.replace("30587", "30465"), save=True)
    await _agrees(client, root, buffers.texts)
    # the networking file changes findings in both configurations
    fwd = "cloudmanager/advanced-networking.json"
    buffers.open(fwd)
    buffers.change(fwd, FORWARDS.replace("30465", "30587"))
    await _agrees(client, root, buffers.texts)
    buffers.change(fwd, FORWARDS.replace("30465", "30587"), save=True)
    buffers.close(fwd)
    await _agrees(client, root, buffers.texts)
    # the DB configuration is edited on disk by someone else, then the mail buffer closes
    buffers.open(DB)
    buffers.change(DB, DB_TEXT.replace("30465", "30999"), save=True)
    await _agrees(client, root, buffers.texts)
    buffers.close(MAIL)
    await _agrees(client, root, buffers.texts)
    # a change of one file that changes another file's message only (SEC001's unique names)
    first, second = (MAIL.replace("com.day.cq.mailer.DefaultMailService", c) for c in PIDS)
    write(root, first, '{"smtp.password": "hunter2-a"}\n')
    write(root, second, '{"smtp.password": "hunter2-b"}\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [
                types.FileEvent((root / rel).as_uri(), types.FileChangeType.Created)
                for rel in (first, second)
            ]
        )
    )
    buffers.open(first)
    await _agrees(client, root, buffers.texts)
    assert any(
        "PASSWORD_" in d.message for d in client.diagnostics.get((root / second).as_uri(), [])
    )
    buffers.change(first, '{"smtp.password": "$[secret:A]"}\n')
    await _agrees(client, root, buffers.texts)
    assert not any("PASSWORD_" in d.message for d in client.diagnostics[(root / second).as_uri()])


def test_the_engine_resets_after_a_failed_lint(generated: Path) -> None:
    editor = Editor(generated)
    editor.check()
    boom = dataclasses.replace(_plugin_rules(NETWORKING)[0], code="XIN009", name="boom")

    def explode(project: object, ctx: RuleContext) -> Iterator[Violation]:
        raise KeyboardInterrupt
        yield

    runs = [RuleRun(dataclasses.replace(boom, scope="project", check=explode), "warning", {})]
    project = editor.session.build(editor.files, None, None, editor.cache)
    with pytest.raises(KeyboardInterrupt):
        run_rules(project, runs, editor.session.namer, incremental=editor.incremental)
    editor.check()  # starts afresh, still right


def test_files_of_another_form_and_new_files(generated: Path) -> None:
    editor = Editor(generated)
    editor.check()
    for rel in _configs(editor, ".config")[:2] + _configs(editor, ".xml")[:2]:
        text = editor.text(rel)
        editor.set(
            rel, text.replace("Legacy", "$[secret:Y").replace("Xml", "$[env:AEM_PROXY_HOST]")
        )
        editor.check()
    new = PurePosixPath(
        "app0.ui.config/src/main/content/jcr_root/apps/app0/osgiconfig/config.author/"
        "com.day.cq.mailer.DefaultMailService.cfg.json"
    )
    editor.set(new, '{"smtp.host": "smtp.example.com", "smtp.password": "Plant3d-new"}\n')
    editor.check()
    editor.delete(new)
    editor.check()


def test_effective_on_is_membership_in_effective_configs(
    generated: Path, corpus: dict[str, Path]
) -> None:
    from aemlint.model.runmodes import ENV_TYPES, SERVICES

    for root in [generated, *corpus.values()]:
        editor = Editor(root)
        # the same PID in more run-mode folders: keys with several candidates
        for rel in _configs(editor)[:10]:
            _apply(editor, "copy", _configs(editor).index(rel), 0)
        project = editor.session.build(editor.files, dict(editor.overlays))
        for cfg in project.configs:
            expected = {
                (s, t)
                for s in SERVICES
                for t in ENV_TYPES
                if any(c is cfg for c in project.effective_configs(s, t))
            }
            assert project.effective_on(cfg) == expected, cfg.path
