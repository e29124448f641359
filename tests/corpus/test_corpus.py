"""The real-world corpus (../shared/corpus): one run per repository folder, a reviewed snapshot.

Each folder is copied outside any git work tree so that it is its own project root. The run must
never crash; its concise report is compared with ``tests/corpus/snapshots/<folder>.txt``
(``--update-snapshots`` rewrites them; review the diff). The corpus README's expectations for
the rules implemented so far are asserted explicitly below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED
from helpers import copy_tree, run_main

CORPUS = SHARED / "corpus"
SNAPSHOTS = Path(__file__).parent / "snapshots"
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FOLDERS, reason="../shared/corpus is not beside the checkout")


def _run(
    folder: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, str, str]:
    project = copy_tree(CORPUS / folder, tmp_path / folder)
    (project / ".aemlint.toml").write_text("")
    r = run_main(["check", "--output-format", "concise"], project, capsys, monkeypatch)
    return r.code, r.out, r.err


@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_folder_snapshot(
    folder: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    update_snapshots: bool,
) -> None:
    code, out, err = _run(folder, tmp_path, capsys, monkeypatch)
    assert code in (0, 1), err
    assert "AEM000" not in out, out
    snapshot = SNAPSHOTS / f"{folder}.txt"
    if update_snapshots:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(out)
    assert out == snapshot.read_text()


def _lines(
    folder: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    return _run(folder, tmp_path, capsys, monkeypatch)[1].splitlines()


def _for(lines: list[str], fragment: str) -> list[str]:
    return [line for line in lines if fragment in line]


def test_readme_expectations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wknd = _lines("marcos-amaral__aem-guides-wknd", tmp_path, capsys, monkeypatch)
    mail = _for(wknd, "com.day.cq.mailer.DefaultMailService.cfg.json")
    assert any(" MAIL001 " in line for line in mail)
    assert not any(" SEC001 " in line for line in mail)  # smtp.password "" is empty
    assert any(" MAIL002 " in line for line in mail)  # smtp.port 25
    oauth = _for(wknd, "OAuthConfigurationProviderImpl")
    assert not [line for line in oauth if " SEC0" in line]  # empty secrets; tokenUrl is a URL
    searchstax = _lines("sgoyal2027__searchstax-aem-connector", tmp_path, capsys, monkeypatch)
    assert not _for(searchstax, " SEC001 ")
    venia = _lines("adobe__aem-cif-guides-venia", tmp_path, capsys, monkeypatch)
    assert not _for(venia, "GraphqlClientImpl~venia")
    charron = _lines("charronadobe__aem-guides-wknd-charron", tmp_path, capsys, monkeypatch)
    assert not _for(charron, "JdbcPoolService~mysql-demo")
    wknd_adobe = _lines("adobe__aem-guides-wknd", tmp_path, capsys, monkeypatch)
    assert not _for(wknd_adobe, " CFG001 ")  # 16 files start with a // comment
    ldap = _lines("Adobe-Marketing-Cloud__aem-ldap-tutorial", tmp_path, capsys, monkeypatch)
    assert _for(_for(ldap, "LdapIdentityProvider"), " SEC001 ")  # bind.password="secret"
    aemlab = _lines("arunpatidar02__aemaacs-aemlab", tmp_path, capsys, monkeypatch)
    crypto = _for(aemlab, "CryptoServiceImpl.xml")
    assert _for(crypto, " SEC005 ") and not _for(crypto, " SEC001 ")
    learn = _lines("AdobeDocs__experience-manager-learn.en", tmp_path, capsys, monkeypatch)
    assert _for(_for(learn, "email-service.set-env.sh"), " SEC006 ")  # --secret ... "password123"
    archetype = _lines("adobe__aem-project-archetype", tmp_path, capsys, monkeypatch)
    assert not _for(archetype, " PH001 ")  # ${appId} Velocity tokens
