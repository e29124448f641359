"""The floor aemlint is measured against: walk a tree, read every file, ``json.loads`` the JSON.

    python bench/floor.py DIR

The same files aemlint reads (excluded folders skipped); ``.cfg.json`` files with ``//``
comments are loaded after dropping comment lines, as a JSON5-tolerant reader would.
"""

from __future__ import annotations

import json
import os
import sys

SKIP = {".git", "node_modules", "target", "dist", "build", ".aemlint_cache"}


def main(root: str) -> int:
    loaded = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
            if name.endswith(".json"):
                text = data.decode("utf-8")
                if text.lstrip().startswith("//"):
                    text = "\n".join(
                        line for line in text.splitlines() if not line.lstrip().startswith("//")
                    )
                json.loads(text)
                loaded += 1
    return 0 if loaded >= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
