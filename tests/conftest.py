"""Shared test set-up.

- Secrets are strict: formatting a ``Secret`` raises, in this process and in every CLI
  subprocess (they inherit ``AEMLINT_STRICT_SECRETS``), so any leak path fails loudly.
- The user's cache is never touched: ``AEMLINT_CACHE_DIR`` points into a session temp folder.
- ``--update-snapshots`` rewrites expected-output snapshots (review the diff).
- ``client``: a real LSP client (pytest-lsp) talking to ``aemlint server``, initialized.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

os.environ["AEMLINT_STRICT_SECRETS"] = "1"
os.environ.pop("AEMLINT_OUTPUT_FORMAT", None)

from aemlint.types import Secret

Secret.strict = True

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite expected-output snapshots instead of comparing",
    )


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("aemlint-cache")
    os.environ["AEMLINT_CACHE_DIR"] = str(folder)
    yield


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "aemlint", "server"])
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    yield
    await lsp_client.shutdown_session()
