"""Language-server save → diagnostics latency, warm, measured through a real LSP client.

    python bench/lsp_latency.py PROJECT [--saves 21]

Starts ``aemlint server`` over stdio (pygls's client), opens one configuration of PROJECT, waits
for its first diagnostics (the cold build), then edits and saves it ``--saves`` times: each
``didChange`` and then each ``didSave`` is timed until the ``publishDiagnostics`` of that
document that answers it, the server idle before each. Prints one line with the medians (save,
the bar; edit) and the server's startup time (spawn → initialize answered).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient


async def measure(root: Path, saves: int) -> str:
    client = LanguageClient("aemlint-bench", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "aemlint", "server")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="bench")],
        )
    )
    startup = time.perf_counter() - started
    client.initialized(types.InitializedParams())
    target = min(p for p in root.rglob("*.cfg.json") if "Service1Impl" in p.name)
    uri = target.as_uri()
    text = target.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text)
        )
    )

    async def wait_for_target() -> None:
        while True:
            params = await asyncio.wait_for(published.get(), timeout=120)
            if params.uri == uri:
                return

    await wait_for_target()
    edits, timings = [], []
    for version in range(2, saves + 2):
        # The server answers every change and every save of the document with its diagnostics
        # (one publication each), so each notification is timed to its own answer, with the
        # server idle before it: as in an editor, where the buffer's last change was linted
        # while the user typed and the save comes after.
        edited = text.replace('"enabled"', f'"enabled{version % 2 or ""}"')
        begin = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
            )
        )
        await wait_for_target()
        edits.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        await wait_for_target()
        timings.append(time.perf_counter() - begin)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    median = statistics.median(timings) * 1e3
    edit = statistics.median(edits) * 1e3
    return (
        f"save → diagnostics, warm, {sum(1 for _ in root.rglob('*.cfg.json'))} .cfg.json in the "
        f"project: median {median:.1f} ms over {saves} saves (goal ≤ 10 ms); an edit (didChange "
        f"of the buffer) → diagnostics: median {edit:.1f} ms; server startup (spawn → initialize "
        f"answered) {startup * 1e3:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--saves", type=int, default=21)
    args = parser.parse_args()
    print(asyncio.run(measure(args.project.resolve(), args.saves)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
