"""Whole-process timings, side by side: medians of interleaved runs (the machine is noisy).

    python bench/timeit_cli.py [--runs N]

Times, from a project (default ``examples/email-demo``; ``--project DIR --file REL`` for another,
e.g. one made by ``bench/generate.py``) with a warm cache: ``python -c pass``; ``aemlint check F
--output-format concise`` on one configuration; the same through ``--stdin-filename`` (the
on-save path); and the whole project. Prints each median and its ratio to ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "email-demo"
ONE = (
    "ui.config/src/main/content/jcr_root/apps/wknd-mail/osgiconfig/config.publish/"
    "com.wknd.mail.core.impl.NewsletterServiceImpl.cfg.json"
)


# As installed for a user: bytecode caches written and used (some CI images disable them).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(cmd: list[str], stdin: bytes | None, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, env=ENV, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--project", type=Path, default=EXAMPLE)
    parser.add_argument("--file", default=ONE, help="a configuration, relative to the project")
    args = parser.parse_args()
    runs, project, one = args.runs, args.project.resolve(), args.file
    py = sys.executable
    aemlint = [py, "-m", "aemlint", "check", "--output-format", "concise"]
    content = (project / one).read_bytes()
    cases: dict[str, tuple[list[str], bytes | None]] = {
        "python -c pass": ([py, "-c", "pass"], None),
        "aemlint check F (one file)": ([*aemlint, one], None),
        "aemlint check --stdin-filename F": ([*aemlint, "--stdin-filename", one], content),
        "aemlint check (whole example)": (aemlint, None),
    }
    for cmd, stdin in cases.values():  # warm the caches and the OS file cache
        _time(cmd, stdin, project)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (cmd, stdin) in cases.items():
            samples[name].append(_time(cmd, stdin, project))
    base = statistics.median(samples["python -c pass"])
    print(f"{project}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {runs} runs")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<36} {median * 1e3:7.1f} ms  {median / base:5.2f}x python -c pass")


if __name__ == "__main__":
    main()
