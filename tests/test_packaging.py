"""The wheel carries the data folders (schemas/, rules/) and the resource loader finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from aemlint.resources import data_path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_contains_package_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("aemlint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "aemlint/cli.py" in names
    assert "aemlint/rules/sec/sec001.py" in names
    assert "aemlint/_data/schemas/aemlint.schema.json" in names
    assert "aemlint/_data/rules/README.md" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "aemlint = aemlint.cli:run" in text


def test_editable_install_falls_back_to_the_source_tree() -> None:
    assert data_path("schemas", "aemlint.schema.json").is_file()
