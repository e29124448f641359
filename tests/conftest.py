"""Shared test set-up.

- Secrets are strict: formatting a ``Secret`` raises, in this process and in every CLI
  subprocess (they inherit ``AEMLINT_STRICT_SECRETS``), so any leak path fails loudly.
- The user's cache is never touched: ``AEMLINT_CACHE_DIR`` points into a session temp folder.
- ``--update-snapshots`` rewrites expected-output snapshots (review the diff).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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
