"""``aemlint server``: a Language Server over stdio (pygls 2; extra ``aemlint[lsp]``).

In-process and incremental: one :class:`~aemlint.session.Session` per project root, a
:class:`~aemlint.model.project.ParseCache` so that a change re-parses only the changed file (an
unchanged file keeps its configuration object, and what rules memoized on it), an
:class:`~aemlint.incremental.IncrementalRules` so that config-scope rules run again only where
what they read changed (a lint of unchanged inputs, such as the save after a change, replays the
last findings), and open documents' buffers laid over the files on disk. Every lint re-publishes
the diagnostics of every file whose diagnostics changed, so editing the forwards file updates
the mail configuration's NET001; a file's diagnostics are converted again only when its
findings or the texts their positions are in changed. Saving or changing the configuration file (``aemlint.toml``,
``.aemlint.toml``, ``pyproject.toml``) reopens the session: no restart. Positions are converted to
the negotiated position encoding (UTF-16 unless the client offers another). Fixable findings
offer quick-fix code actions. Never imported on the command-line path.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from aemlint import __version__
from aemlint.discovery import DiscoveredFile, classify
from aemlint.incremental import IncrementalRules
from aemlint.model.project import ParseCache, Project
from aemlint.session import Session, UsageError
from aemlint.settings import CONFIG_NAMES, find_config, find_root
from aemlint.types import Finding, Fix, Span

log = logging.getLogger(__name__)
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


@dataclass
class ProjectState:
    """A project root with its open session, caches and what was last published."""

    root: Path
    session: Session | None
    error: str | None = None
    cache: ParseCache = field(default_factory=ParseCache)
    files: list[DiscoveredFile] = field(default_factory=list)
    known: set[PurePosixPath] | None = None  # the paths of ``files``
    published: dict[PurePosixPath, list[types.Diagnostic]] = field(default_factory=dict)
    findings: dict[PurePosixPath, list[Finding]] = field(default_factory=dict)
    project: Project | None = None
    #: Config-scope rule results kept from one lint of this session to the next.
    incremental: IncrementalRules = field(default_factory=IncrementalRules)
    #: Per file: the findings last converted, the texts the conversion read (the file's and
    #: its related locations'), and the diagnostics made.
    converted: dict[
        PurePosixPath,
        tuple[list[Finding], dict[PurePosixPath, str | None], list[types.Diagnostic]],
    ] = field(default_factory=dict)


class AemlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("aemlint", __version__)
        self.projects: dict[Path, ProjectState] = {}

    # -- projects -----------------------------------------------------------------------------

    def state_for(self, path: Path) -> ProjectState:
        root = find_root(path, path.parent)
        state = self.projects.get(root)
        if state is None:
            state = self.open_state(root)
            self.projects[root] = state
        return state

    def open_state(self, root: Path, cache: ParseCache | None = None) -> ProjectState:
        try:
            session = Session.open(root, find_config(root))
            state = ProjectState(root, session, cache=cache or ParseCache())
            state.files = list(session.discover().files)
        except (UsageError, ValueError) as exc:
            state = ProjectState(root, None, error=str(exc))
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"aemlint: {exc}")
            )
        return state

    def reload(self, state: ProjectState) -> ProjectState:
        """Reopen a project's session (configuration changed), keeping its parse cache unless
        what the parsers were given changed (the secret-name options)."""
        fresh = self.open_state(state.root, state.cache)
        if (
            fresh.session is None
            or state.session is None
            or fresh.session.namer != state.session.namer
        ):
            fresh.cache = ParseCache()
        fresh.published = state.published
        self.projects[state.root] = fresh
        return fresh

    # -- linting ------------------------------------------------------------------------------

    def overlays(self, state: ProjectState) -> dict[PurePosixPath, str]:
        out: dict[PurePosixPath, str] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path is None:
                continue
            try:
                rel = PurePosixPath(Path(path).relative_to(state.root).as_posix())
            except ValueError:
                continue
            out[rel] = doc.source
        return out

    def lint(self, state: ProjectState, trigger: PurePosixPath | None = None) -> Project | None:
        """Lint the project with the open buffers; publish what changed, and always the
        ``trigger`` document (a client waits for an answer to each change)."""
        if state.session is None:
            return None
        overlays = self.overlays(state)
        files = state.files
        if state.known is None:
            state.known = {f.path for f in files}
        for rel in overlays:
            if rel not in state.known:
                found = classify(rel)
                if found is not None:
                    files = [*files, found]
        project = state.session.build(files, dict(overlays), None, state.cache)
        state.cache.sweep()  # forget files that are gone
        findings = state.session.lint(project, state.incremental)
        by_file: dict[PurePosixPath, list[Finding]] = {}
        for f in findings:
            by_file.setdefault(f.path, []).append(f)
        state.findings = by_file
        state.project = project
        extra = {trigger} if trigger is not None else set()
        lines: dict[PurePosixPath, list[str]] = {}
        for rel in sorted(set(by_file) | set(state.published) | extra, key=str):
            diagnostics = self.file_diagnostics(state, project, rel, by_file.get(rel, []), lines)
            published = state.published.get(rel)
            if rel != trigger and (diagnostics is published or diagnostics == published):
                continue
            state.published[rel] = diagnostics
            uri = _uri(state, rel)
            if uri is not None:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
                )
        for gone in [p for p in state.converted if p not in by_file]:
            del state.converted[gone]
        return project

    def file_diagnostics(
        self,
        state: ProjectState,
        project: Project,
        rel: PurePosixPath,
        found: list[Finding],
        lines: dict[PurePosixPath, list[str]],
    ) -> list[types.Diagnostic]:
        """The diagnostics of one file: last lint's list when its findings and the texts their
        positions are converted in are the same."""
        if not found:
            return []
        texts = project.texts
        last = state.converted.get(rel)
        if (
            last is not None
            and last[0] == found
            and all((t := texts.get(p)) is text or t == text for p, text in last[1].items())
        ):
            return last[2]
        diagnostics = [self.diagnostic(f, project, state.root, lines) for f in found]
        used = {rel} | {r.path for f in found for r in f.related}
        state.converted[rel] = (found, {p: texts.get(p) for p in used}, diagnostics)
        return diagnostics

    # -- positions ----------------------------------------------------------------------------

    def range(
        self,
        project: Project,
        path: PurePosixPath,
        span: Span | None,
        lines: dict[PurePosixPath, list[str]] | None = None,
    ) -> types.Range:
        if span is None:
            return types.Range(types.Position(0, 0), types.Position(0, 0))
        split = None if lines is None else lines.get(path)
        if split is None:
            split = project.texts.get(path, "").splitlines(keepends=True)
            if lines is not None:
                lines[path] = split
        codec = self.workspace.position_codec
        start = types.Position(span.line - 1, span.column - 1)
        end = types.Position(span.end_line - 1, span.end_column - 1)
        return codec.range_to_client_units(split, types.Range(start, end))

    def diagnostic(
        self,
        f: Finding,
        project: Project,
        root: Path,
        lines: dict[PurePosixPath, list[str]] | None = None,
    ) -> types.Diagnostic:
        related = []
        for r in f.related:
            uri = from_fs_path(str(root.joinpath(*r.path.parts)))
            if uri is not None:
                related.append(
                    types.DiagnosticRelatedInformation(
                        location=types.Location(uri, self.range(project, r.path, r.span, lines)),
                        message=r.message or f.code,
                    )
                )
        return types.Diagnostic(
            range=self.range(project, f.path, f.span, lines),
            message=f.message,
            severity=SEVERITY[f.severity],
            code=f.code,
            source="aemlint",
            related_information=related or None,
            data={"name": f.name, "fixable": f.fix is not None},
        )


server = AemlintServer()


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path else None


def _changed(ls: AemlintServer, uri: str) -> None:
    path = _path(uri)
    if path is None:
        return
    state = ls.state_for(path)
    if path.name in CONFIG_NAMES and path.parent == state.root:
        state = ls.reload(state)
    try:
        rel: PurePosixPath | None = PurePosixPath(path.relative_to(state.root).as_posix())
    except ValueError:
        rel = None
    ls.lint(state, rel)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: AemlintServer, params: types.DidOpenTextDocumentParams) -> None:
    _changed(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: AemlintServer, params: types.DidChangeTextDocumentParams) -> None:
    _changed(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: AemlintServer, params: types.DidSaveTextDocumentParams) -> None:
    _changed(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: AemlintServer, params: types.DidCloseTextDocumentParams) -> None:
    _changed(ls, params.text_document.uri)  # the file on disk replaces the buffer


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched(ls: AemlintServer, params: types.DidChangeWatchedFilesParams) -> None:
    touched: dict[Path, ProjectState] = {}
    for change in params.changes:
        path = _path(change.uri)
        if path is None:
            continue
        state = ls.state_for(path)
        if path.name in CONFIG_NAMES or change.type != types.FileChangeType.Changed:
            state = ls.reload(state)  # configuration, or files created/deleted: rediscover
        touched[state.root] = state
    for state in touched.values():
        ls.lint(state)


@server.feature(types.INITIALIZED)
def initialized(ls: AemlintServer, params: types.InitializedParams) -> None:
    caps = ls.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps else None
    if watched is not None and watched.dynamic_registration:
        ls.client_register_capability(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="aemlint-watch",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[
                                types.FileSystemWatcher(glob_pattern=pattern)
                                for pattern in (
                                    "**/{aemlint.toml,.aemlint.toml,pyproject.toml}",
                                    "**/*.{json,yaml,yml,config,cfg,xml,sh,bash,zsh}",
                                    "**/{Makefile,Jenkinsfile}",
                                )
                            ]
                        ),
                    )
                ]
            )
        )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: AemlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    path = _path(params.text_document.uri)
    if path is None:
        return []
    state = ls.state_for(path)
    try:
        rel = PurePosixPath(path.relative_to(state.root).as_posix())
    except ValueError:
        return []
    project = state.project if state.project is not None else ls.lint(state)
    texts = project.texts if project is not None else {}
    actions = []
    operations = _resource_operations(ls)
    for f in state.findings.get(rel, []):
        if f.fix is None or not all(e.content is not None for e in f.fix.edits):
            continue
        if f.span is not None and not _overlaps(f.span, params.range):
            continue
        if f.fix.renames or f.fix.deletes:
            edit = _structural_edit(ls, state, f.fix, texts, operations)
            if edit is None:
                continue
        else:
            edits: dict[str, list[types.TextEdit]] = {}
            for e in f.fix.edits:
                uri = _uri(state, e.path)
                if uri is None or e.content is None:
                    continue
                edit_range = _edit_range(ls, state, e.path, e.span, texts)
                edits.setdefault(uri, []).append(types.TextEdit(edit_range, e.content))
            edit = types.WorkspaceEdit(changes=edits)
        actions.append(
            types.CodeAction(
                title=f"{f.code}: {f.fix.message}",
                kind=types.CodeActionKind.QuickFix,
                is_preferred=f.fix.applicability == "safe",
                edit=edit,
            )
        )
    return actions


def _uri(state: ProjectState, path: PurePosixPath) -> str | None:
    uri: str | None = from_fs_path(str(state.root.joinpath(*path.parts)))
    return uri


def _resource_operations(ls: AemlintServer) -> set[str]:
    """The file operations the client applies in a workspace edit (``create``, ``rename``,
    ``delete``), only when it accepts ``documentChanges``."""
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    if edit is None or not edit.document_changes or not edit.resource_operations:
        return set()
    return {str(op.value) for op in edit.resource_operations}


def _structural_edit(
    ls: AemlintServer,
    state: ProjectState,
    fix: Fix,
    texts: Mapping[PurePosixPath, str],
    operations: set[str],
) -> types.WorkspaceEdit | None:
    """A fix that creates, renames or deletes files, as ``documentChanges``; None when the
    client cannot apply those operations."""
    changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    for e in fix.edits:
        uri = _uri(state, e.path)
        if uri is None or e.content is None:
            return None
        if e.path not in texts:
            if "create" not in operations:
                return None
            changes.append(types.CreateFile(uri, options=types.CreateFileOptions(overwrite=False)))
        edit_range = _edit_range(ls, state, e.path, e.span, texts)
        changes.append(
            types.TextDocumentEdit(
                types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                [types.TextEdit(edit_range, e.content)],
            )
        )
    for old, new in fix.renames:
        old_uri, new_uri = _uri(state, old), _uri(state, new)
        if "rename" not in operations or old_uri is None or new_uri is None:
            return None
        changes.append(
            types.RenameFile(old_uri, new_uri, options=types.RenameFileOptions(overwrite=False))
        )
    for gone in fix.deletes:
        uri = _uri(state, gone)
        if "delete" not in operations or uri is None:
            return None
        changes.append(types.DeleteFile(uri))
    return types.WorkspaceEdit(document_changes=changes)


def _overlaps(span: Span, rng: types.Range) -> bool:
    start = (span.line - 1, span.column - 1)
    end = (span.end_line - 1, span.end_column - 1)
    return not (
        end < (rng.start.line, rng.start.character) or start > (rng.end.line, rng.end.character)
    )


def _edit_range(
    ls: AemlintServer,
    state: ProjectState,
    path: PurePosixPath,
    span: Span,
    texts: Mapping[PurePosixPath, str],
) -> types.Range:
    text = texts.get(path)
    if text is None:
        doc = ls.workspace.text_documents.get(_uri(state, path) or "")
        text = doc.source if doc is not None else ""
    lines = text.splitlines(keepends=True)
    raw = types.Range(
        types.Position(span.line - 1, span.column - 1),
        types.Position(span.end_line - 1, span.end_column - 1),
    )
    return ls.workspace.position_codec.range_to_client_units(lines, raw)


def main(argv: Sequence[str] | None = None) -> int:
    server.start_io()
    return 0
