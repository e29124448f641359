"""Mutated real configurations through the whole CLI: a report comes out, never an exception.

Each example takes a real file from ``../shared/corpus`` (every input form), mutates its bytes —
truncation, byte flips, inserted punctuation, duplicated chunks, CRLF line ends, UTF-16 — puts it
at its canonical path in a fresh project and runs ``aemlint check`` (every rule) through
``main()``. The invariants:

* the run ends with exit 0 or 1: no crash (3), no usage error (2);
* no rule raised on the input (no AEM000);
* every finding in the mutated file points inside it (rows and columns within its lines);
* a strict-JSON Cloud Manager document is CFG001/AEM002 exactly when Python's strict JSON
  reader (no NaN/Infinity, UTF-8 without BOM) refuses it.

Sizes follow the hypothesis profile (``ci`` is derandomized: the same examples on every run).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.cli import main

from conftest import SHARED

CORPUS = SHARED / "corpus"
CONFIG = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig/config/"


@dataclass(frozen=True)
class Seed:
    source: str  # corpus-relative
    target: str  # where it goes in the fuzzed project
    strict_json: bool = False


SEEDS = [
    Seed(
        "marcos-amaral__aem-guides-wknd/ui.config/src/main/content/jcr_root/apps/wknd/osgiconfig/"
        "config/com.day.cq.mailer.DefaultMailService.cfg.json",
        CONFIG + "com.day.cq.mailer.DefaultMailService.cfg.json",
    ),
    Seed(
        "charronadobe__aem-guides-wknd-charron/ui.config/src/main/content/jcr_root/apps/wknd/"
        "osgiconfig/config/com.day.commons.datasource.jdbcpool.JdbcPoolService~mysql-demo.cfg.json",
        CONFIG + "com.day.commons.datasource.jdbcpool.JdbcPoolService~mysql-demo.cfg.json",
    ),
    Seed(
        "adobe__aem-forms-docusign-sample/ui.config/src/main/content/jcr_root/apps/docusign/"
        "osgiconfig/config/org.apache.sling.jcr.repoinit.RepositoryInitializer-docusign.config",
        CONFIG + "org.apache.sling.jcr.repoinit.RepositoryInitializer~docusign.config",
    ),
    Seed(
        "arunpatidar02__aemaacs-aemlab/ui.apps/src/main/content/jcr_root/apps/aemlab/oneweb/config/"
        "com.community.aemlab.core.services.sample.impl.CryptoServiceImpl.xml",
        CONFIG + "com.community.aemlab.core.services.sample.impl.CryptoServiceImpl.xml",
    ),
    Seed(
        "AdobeDocs__experience-manager-learn.en/help/cloud-service/networking/assets/"
        "flexible-port-egress.json",
        "cloudmanager/advanced-networking.json",
        strict_json=True,
    ),
    Seed(
        "AdobeDocs__experience-manager-learn.en/_snippets/email-service.set-env.sh",
        "scripts/set-env.sh",
    ),
]


def _seed_bytes(seed: Seed) -> bytes:
    return (CORPUS / seed.source).read_bytes()


pytestmark = pytest.mark.skipif(
    not all((CORPUS / s.source).is_file() for s in SEEDS), reason="corpus not available"
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Seed, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = _seed_bytes(seed)
    kind = draw(
        st.sampled_from(["truncate", "flip", "insert", "duplicate", "crlf", "utf16", "splice"])
    )
    if kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "flip":
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, max(0, len(data) - 1)))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif kind == "insert":
        at = draw(st.integers(0, len(data)))
        piece = draw(st.sampled_from([*list(b'{}[]()",:;=\\$#/*\n\r\t '), 0]))
        data = data[:at] + bytes([piece]) + data[at:]
    elif kind == "duplicate":
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 80)))
        data = data[:end] + data[start:end] + data[end:]
    elif kind == "crlf":
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif kind == "utf16":
        data = data.decode("utf-8", "replace").encode(
            draw(st.sampled_from(["utf-16", "utf-16-le"]))
        )
    else:
        data = data + draw(st.binary(max_size=40))
    return seed, data


def _run(project: Path) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--output-format", "json", "--select", "ALL"])
    finally:
        os.chdir(cwd)
    findings = json.loads(out.getvalue()) if out.getvalue().strip() else []
    return code, findings, err.getvalue()


def _strict_json_ok(data: bytes) -> bool:
    def refuse(token: str) -> float:
        raise ValueError(token)

    try:
        json.loads(data.decode("utf-8"), parse_constant=refuse)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError included
        return False
    return True


@settings(
    max_examples=int(os.environ.get("AEMLINT_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_corpus_files_give_findings_not_crashes(case: tuple[Seed, bytes]) -> None:
    seed, data = case
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "aemlint.toml").write_text("")
        target = project / seed.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        code, findings, err = _run(project)
    assert code in (0, 1), err
    assert not [f for f in findings if f["code"] == "AEM000"], findings
    text = data.decode("utf-8", "replace") if data else ""
    lines = text.splitlines() or [""]
    mine = [f for f in findings if f["filename"] == seed.target]
    for finding in mine:
        row, col = finding["location"]["row"], finding["location"]["column"]
        assert 1 <= row <= len(lines) + 1, finding
        assert col >= 1, finding
        end = finding["end_location"]
        if end is not None:
            assert (end["row"], end["column"]) >= (row, col), finding
    if seed.strict_json and b"portForwards" in data and not data.startswith(b"\xef\xbb\xbf"):
        broken = {f["code"] for f in mine} & {"CFG001", "AEM002"}
        assert bool(broken) != _strict_json_ok(data), (mine, data[:200])
