"""`aemlint server` through a real LSP client (pytest-lsp): diagnostics on open and change,
UTF-16 positions, cross-file re-publishing, configuration reload, quick fixes."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from helpers import MAIL, write

TUTORIAL = """{
    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
    "smtp.port": "30587",
    "smtp.password": "$[secret:EMAIL_PASSWORD]"
}
"""
SELECT = 'select = ["SEC001", "MAIL001", "NET001"]\n'
FORWARDS = '{\n  "portForwards": [\n    {"name": "smtp.example.com", "portDest": 465, "portOrig": 30465}\n  ]\n}\n'


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", SELECT)
    write(root, MAIL, TUTORIAL)
    write(root, "cloudmanager/advanced-networking.json", FORWARDS)
    return root


def _open(client: LanguageClient, path: Path, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=uri, language_id="json", version=version, text=path.read_text()
            )
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _published(client: LanguageClient) -> None:
    """The next publishDiagnostics notification; a server that stays silent fails the test."""
    await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=20
    )


async def _until(client: LanguageClient, done: Callable[[], bool]) -> None:
    """Wait for notifications until ``done()`` holds (checked first: they may have arrived)."""
    for _ in range(10):
        if done():
            return
        await _published(client)
    assert done()


async def _diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    await _published(client)
    return list(client.diagnostics.get(uri, []))


async def test_open_change_and_cross_file(client: LanguageClient, tmp_path: Path) -> None:
    root = _project(tmp_path)
    mail_uri = _open(client, root / MAIL)
    diags = await _diagnostics(client, mail_uri)
    assert [d.code for d in diags] == ["NET001"]
    assert diags[0].range.start == types.Position(2, 17)
    assert diags[0].related_information and diags[0].related_information[0].location.uri.endswith(
        "advanced-networking.json"
    )
    # Editing the forwards file (not saved) re-publishes the mail configuration: NET001 gone.
    fwd = root / "cloudmanager/advanced-networking.json"
    fwd_uri = _open(client, fwd)
    _change(client, fwd_uri, FORWARDS.replace("30465", "30587"), 2)
    # (published diagnostics may arrive as a tuple: test for emptiness, not equality with [])
    await _until(
        client, lambda: mail_uri in client.diagnostics and not client.diagnostics[mail_uri]
    )


async def test_utf16_positions_and_quick_fix(client: LanguageClient, tmp_path: Path) -> None:
    root = _project(tmp_path)
    text = '{"label": "\U0001f600", "smtp.host": "smtp.example.com"}\n'
    write(root, MAIL, text)
    uri = _open(client, root / MAIL)
    diags = await _diagnostics(client, uri)
    mail = next(d for d in diags if d.code == "MAIL001")
    # The emoji is one code point but two UTF-16 units: the range shifts by one.
    codepoint_column = text.index('"smtp.example.com"')
    assert mail.range.start == types.Position(0, codepoint_column + 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=mail.range,
            context=types.CodeActionContext(diagnostics=[mail]),
        )
    )
    assert actions
    fix = next(
        a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("MAIL001")
    )
    assert fix.edit is not None and fix.edit.changes is not None
    (edit,) = fix.edit.changes[uri]
    # The edit replaces the string's text inside its quotes.
    assert edit.new_text == "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
    start, end = mail.range.start, mail.range.end
    assert edit.range == types.Range(
        types.Position(start.line, start.character + 1),
        types.Position(end.line, end.character - 1),
    )


async def test_configuration_change_without_restart(client: LanguageClient, tmp_path: Path) -> None:
    root = _project(tmp_path)
    write(root, MAIL, '{"smtp.host": "$[env:AEM_PROXY_HOST]", "smtp.password": "Plant3d-lsp"}\n')
    uri = _open(client, root / MAIL)
    diags = await _diagnostics(client, uri)
    assert "SEC001" in [d.code for d in diags]
    assert all("Plant3d" not in d.message for d in diags)
    write(root, "aemlint.toml", SELECT + 'ignore = ["SEC001"]\n')
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            types.TextDocumentIdentifier((root / "aemlint.toml").as_uri())
        )
    )
    await _until(client, lambda: "SEC001" not in [d.code for d in client.diagnostics.get(uri, [])])


@pytest.mark.skipif(not (Path(__file__).parents[1] / "bench").is_dir(), reason="bench/ missing")
async def test_save_latency_on_a_500_configuration_project(
    client: LanguageClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Measured, not asserted (the machine is noisy): printed for the benchmark notes."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from generate import generate

    generate(tmp_path / "p", 500)
    target = next((tmp_path / "p").rglob("*.cfg.json"))
    uri = _open(client, target)
    await _published(client)
    text = target.read_text()
    timings = []
    for version in range(2, 12):
        edited = text.replace('"enabled"', f'"enabled{version % 2 or ""}"')
        started = time.perf_counter()
        _change(client, uri, edited, version)
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        await _published(client)
        timings.append(time.perf_counter() - started)
    timings.sort()
    with capsys.disabled():
        print(
            f"\nlsp save->diagnostics on 500 configs: median {timings[len(timings) // 2] * 1e3:.1f} ms"
        )


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "aemlint", "server"])
)
async def file_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """A client that applies file operations (create, rename, delete) in workspace edits."""
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(
                document_changes=True,
                resource_operations=[
                    types.ResourceOperationKind.Create,
                    types.ResourceOperationKind.Rename,
                    types.ResourceOperationKind.Delete,
                ],
            )
        )
    )
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    yield
    await lsp_client.shutdown_session()


async def _actions(
    client: LanguageClient, uri: str, diag: types.Diagnostic
) -> list[types.CodeAction]:
    got = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    return [a for a in got or [] if isinstance(a, types.CodeAction)]


async def test_quick_fix_in_a_felix_config(client: LanguageClient, tmp_path: Path) -> None:
    """NET003's safe fix in a `.config` file: the `=` of the inserted directive is escaped."""
    root = tmp_path / "proj"
    write(root, "aemlint.toml", 'select = ["NET003"]\n')
    rel = MAIL.replace(".cfg.json", ".config")
    write(root, rel, 'smtp.host="$[env:AEM_PROXY_HOST]"\n')
    uri = _open(client, root / rel)
    (diag,) = await _diagnostics(client, uri)
    (action,) = await _actions(client, uri, diag)
    assert action.is_preferred
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[uri]
    assert edit.new_text == ";default\\=proxy.tunnel"
    assert edit.range.start == edit.range.end == types.Position(0, 31)  # before the "]"


def _misordered(tmp_path: Path) -> tuple[Path, str]:
    """A project with one configuration in `config.dev.author` (RUN002) and its path."""
    root = tmp_path / "proj"
    write(root, "aemlint.toml", 'select = ["RUN002"]\n')
    wrong = MAIL.replace("/config/", "/config.dev.author/")
    write(root, wrong, '{"smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"}\n')
    return root, wrong


async def test_rename_quick_fix_needs_file_operations(
    file_client: LanguageClient, tmp_path: Path
) -> None:
    """RUN002's folder rename is offered as a RenameFile operation."""
    root, wrong = _misordered(tmp_path)
    uri = _open(file_client, root / wrong)
    (diag,) = await _diagnostics(file_client, uri)
    (action,) = await _actions(file_client, uri, diag)
    assert action.edit is not None and action.edit.document_changes is not None
    (op,) = action.edit.document_changes
    assert isinstance(op, types.RenameFile)
    assert op.old_uri == (root / wrong).parent.as_uri()
    assert op.new_uri == (root / MAIL.replace("/config/", "/config.author.dev/")).parent.as_uri()


async def test_rename_quick_fix_not_offered_without_file_operations(
    client: LanguageClient, tmp_path: Path
) -> None:
    root, wrong = _misordered(tmp_path)
    uri = _open(client, root / wrong)
    (diag,) = await _diagnostics(client, uri)
    assert await _actions(client, uri, diag) == []
