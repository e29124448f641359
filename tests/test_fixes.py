"""``--fix``, ``--unsafe-fixes`` and ``--diff`` through the real CLI, byte-exact.

Every fix is an edit of the text the parser read, written in the file's own syntax; nothing
else in the file changes (comments, order, indentation, quoting, CRLF), a file is written only
when it changes, ``--diff`` writes nothing, and a second ``--fix`` changes nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aemlint.cli import main
from aemlint.parsing.cfg_json import parse_cfg_json
from aemlint.types import reveal

from helpers import MAIL, copy_tree, run_cli, run_main, write

REPO = Path(__file__).resolve().parents[1]

CONFIG = MAIL.rsplit("/", 1)[0]
PROXY = "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``root``: bytes, mode and modification time."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            st_ = path.stat()
            out[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                st_.st_mode,
                st_.st_mtime_ns,
            )
    return out


def project(tmp_path: Path, files: dict[str, str | bytes], select: str) -> Path:
    root = tmp_path / "proj"
    write(root, "aemlint.toml", f"select = [{', '.join(repr(c) for c in select.split(','))}]\n")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


# ------------------------------------------------------------------------------------------------
# The example project (the acceptance)


def test_example_project_fix_unsafe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_tree(REPO / "examples/email-demo", tmp_path / "demo")
    before = snapshot(root)
    dev = "ui.config/src/main/content/jcr_root/apps/wknd-mail/osgiconfig/config.dev/com.day.cq.mailer.DefaultMailService.cfg.json"
    news = "ui.config/src/main/content/jcr_root/apps/wknd-mail/osgiconfig/config.publish/com.wknd.mail.core.impl.NewsletterServiceImpl.cfg.json"
    secret = re.search(rb'"newsletter.apiKey": "([^"]+)"', before[news][0])
    assert secret is not None
    result = run_main(["check", "--fix", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert result.code == 1  # VAR001 and NET001 have no fix and remain
    assert " SEC001 " not in result.out and " MAIL001 " not in result.out
    assert " VAR001 " in result.out and " NET001 " in result.out
    assert "MAIL001 fixed" in result.err and "SEC001 fixed" in result.err
    assert '--publishSecret NEWSLETTER_SERVICE_IMPL_NEWSLETTER_API_KEY "<value>"' in result.err
    after = snapshot(root)
    changed = {k for k in before if before[k][0] != after[k][0]}
    assert changed == {dev, news}
    assert set(after) == set(before)  # no temporary file left behind, nothing created
    assert after[dev][0] == before[dev][0].replace(
        b'"sandbox.smtp.mailtrap.io"', b'"' + PROXY.encode() + b'"'
    )
    assert after[news][0] == before[news][0].replace(
        b'"' + secret.group(1) + b'"', b'"$[secret:NEWSLETTER_SERVICE_IMPL_NEWSLETTER_API_KEY]"'
    )
    for rel in (dev, news):
        assert after[rel][1] == before[rel][1]  # permissions kept
    assert all(after[k][2] == before[k][2] for k in before if k not in changed)  # untouched
    assert secret.group(1).decode() not in result.out + result.err
    # A second run changes nothing and touches no file.
    again = run_main(["check", "--fix", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert again.code == 1
    assert "fixed 0 findings" in again.err
    assert snapshot(root) == after


def test_diff_writes_nothing_and_masks_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_tree(REPO / "examples/email-demo", tmp_path / "demo")
    before = snapshot(root)
    secret = re.search(
        r'"newsletter.apiKey": "([^"]+)"',
        "".join(b.decode("utf-8", "replace") for b, _, _ in before.values()),
    )
    assert secret is not None
    result = run_main(["check", "--diff", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert result.code == 1
    assert snapshot(root) == before
    assert '-    "smtp.host": "sandbox.smtp.mailtrap.io",\n' in result.out
    assert f'+    "smtp.host": "{PROXY}",\n' in result.out
    assert (
        '+    "newsletter.apiKey": "$[secret:NEWSLETTER_SERVICE_IMPL_NEWSLETTER_API_KEY]",'
        in result.out
    )
    assert secret.group(1) not in result.out + result.err
    assert '-    "newsletter.apiKey": ****' in result.out
    assert "2 findings would be fixed" in result.err
    # Without --unsafe-fixes the example has no safe fix: an empty diff.
    safe = run_main(["check", "--diff", "."], root, capsys, monkeypatch)
    assert safe.out == ""
    assert safe.code == 1  # the findings remain


# ------------------------------------------------------------------------------------------------
# Each fix in each form


FORMS = {
    "cfg.json": (
        MAIL,
        '{\r\n  // keep me\r\n  "smtp.host": "$[env:AEM_PROXY_HOST]",\r\n  "smtp.port": 30587\r\n}\r\n',
        '{\r\n  // keep me\r\n  "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",\r\n  "smtp.port": 30587\r\n}\r\n',
    ),
    "config": (
        MAIL.replace(".cfg.json", ".config"),
        '# keep me\nsmtp.host="$[env:AEM_PROXY_HOST]"\nsmtp.port=L"30587"\n',
        '# keep me\nsmtp.host="$[env:AEM_PROXY_HOST;default\\=proxy.tunnel]"\nsmtp.port=L"30587"\n',
    ),
    "cfg": (
        MAIL.replace(".cfg.json", ".cfg"),
        "# keep me\nsmtp.host = $[env:AEM_PROXY_HOST]\nsmtp.port = 30587\n",
        "# keep me\nsmtp.host = $[env:AEM_PROXY_HOST;default=proxy.tunnel]\nsmtp.port = 30587\n",
    ),
    "xml": (
        MAIL.replace(".cfg.json", ".xml"),
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- keep me -->\n<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"\n    jcr:primaryType="sling:OsgiConfig"\n    smtp.host=\'$[env:AEM_PROXY_HOST]\'\n    smtp.port="{Long}30587"/>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- keep me -->\n<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"\n    jcr:primaryType="sling:OsgiConfig"\n    smtp.host=\'$[env:AEM_PROXY_HOST;default=proxy.tunnel]\'\n    smtp.port="{Long}30587"/>\n',
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_net003_safe_fix_in_every_form(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel, text, fixed = FORMS[form]
    root = project(tmp_path, {rel: text}, "NET003")
    result = run_main(["check", "--fix", "."], root, capsys, monkeypatch)
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert (root / rel).read_bytes() == fixed.encode("utf-8")


UNSAFE = {
    "config": (
        'smtp.host="smtp.gmail.com"\nsmtp.password="Plant3dSecret"\n',
        f'smtp.host="{PROXY.replace("=", chr(92) + "=")}"\n'
        'smtp.password="$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]"\n',
    ),
    "cfg": (
        "smtp.host=smtp.gmail.com\nsmtp.password=Plant3dSecret\n",
        f"smtp.host={PROXY}\nsmtp.password=$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]\n",
    ),
    "xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="sling:OsgiConfig"\n    smtp.host="{String}smtp.gmail.com"\n    smtp.password="Plant3dSecret"/>\n',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0" jcr:primaryType="sling:OsgiConfig"\n    smtp.host="{{String}}{PROXY}"\n    smtp.password="$[secret:DEFAULT_MAIL_SERVICE_SMTP_PASSWORD]"/>\n',
    ),
}


@pytest.mark.parametrize("form", sorted(UNSAFE))
def test_mail001_and_sec001_unsafe_fixes_in_legacy_forms(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, fixed = UNSAFE[form]
    rel = MAIL.replace(".cfg.json", "." + form)
    root = project(tmp_path, {rel: text}, "MAIL001,SEC001")
    safe = run_main(["check", "--fix", "."], root, capsys, monkeypatch)
    assert safe.code == 1 and (root / rel).read_text() == text  # unsafe: not with --fix alone
    result = run_main(["check", "--fix", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert result.code == 0, result.out + result.err
    assert (root / rel).read_bytes() == fixed.encode("utf-8")
    assert "Plant3dSecret" not in safe.out + safe.err + result.out + result.err


def test_ph001_fix_in_a_felix_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = MAIL.replace(".cfg.json", ".config")
    root = project(tmp_path, {rel: 'smtp.user="${env:SMTP_USER}"\n'}, "PH001")
    result = run_main(["check", "--fix", "."], root, capsys, monkeypatch)
    assert result.code == 0, result.out + result.err
    assert (root / rel).read_text() == 'smtp.user="$[env:SMTP_USER]"\n'


def test_latin1_cfg_is_written_back_in_latin1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = MAIL.replace(".cfg.json", ".cfg")
    text = "# Grüße\nsmtp.host = $[env:AEM_PROXY_HOST]\n"
    root = project(tmp_path, {rel: text.encode("iso-8859-1")}, "NET003")
    result = run_main(["check", "--fix", "."], root, capsys, monkeypatch)
    assert result.code == 0, result.err
    expected = text.replace("HOST]", "HOST;default=proxy.tunnel]").encode("iso-8859-1")
    assert (root / rel).read_bytes() == expected


# ------------------------------------------------------------------------------------------------
# Renames (RUN002)


def test_run002_folder_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = CONFIG.replace("/config", "/config.dev.author")
    right = CONFIG.replace("/config", "/config.author.dev")
    files = {
        f"{wrong}/com.acme.A.cfg.json": '{"a": 1}\n',
        f"{wrong}/com.acme.B.cfg.json": '{"b": 2}\n',
        f"{wrong}/README.txt": "notes\n",
    }
    root = project(tmp_path, files, "RUN002")
    before = snapshot(root)
    shown = run_main(["check", "--diff", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert shown.code == 1
    assert snapshot(root) == before
    for name in ("com.acme.A.cfg.json", "com.acme.B.cfg.json", "README.txt"):
        assert f"rename from {wrong}/{name}\nrename to {right}/{name}\n" in shown.out
    assert "similarity index 100%" in shown.out
    assert "2 findings would be fixed" in shown.err
    fixed = run_main(["check", "--fix", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert fixed.code == 0, fixed.out + fixed.err
    assert not (root / wrong).exists()
    for name in ("com.acme.A.cfg.json", "com.acme.B.cfg.json", "README.txt"):
        assert (root / right / name).read_bytes() == before[f"{wrong}/{name}"][0]


def test_run002_never_merges_into_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = CONFIG.replace("/config", "/config.dev.author")
    right = CONFIG.replace("/config", "/config.author.dev")
    files = {f"{wrong}/com.acme.A.cfg.json": '{"a": 1}\n', f"{right}/other.txt": "x\n"}
    root = project(tmp_path, files, "RUN002")
    before = snapshot(root)
    result = run_main(["check", "--fix", "--unsafe-fixes", "."], root, capsys, monkeypatch)
    assert result.code == 1 and " RUN002 " in result.out
    assert snapshot(root) == before


# ------------------------------------------------------------------------------------------------
# What is fixed: targets, suppressions, stdin


def test_fix_only_under_the_given_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = MAIL.replace("DefaultMailService", "com.acme.Other")
    text = '{"smtp.host": "$[env:AEM_PROXY_HOST]"}\n'
    root = project(tmp_path, {MAIL: text, other: text}, "NET003")
    result = run_main(["check", "--fix", MAIL], root, capsys, monkeypatch)
    assert result.code == 0, result.err
    assert "default=proxy.tunnel" in (root / MAIL).read_text()
    assert (root / other).read_text() == text


def test_suppressed_findings_are_not_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = '{\n  // aemlint: ignore[NET003] the SDK sets it\n  "smtp.host": "$[env:AEM_PROXY_HOST]"\n}\n'
    root = project(tmp_path, {MAIL: text}, "NET003")
    before = snapshot(root)
    result = run_main(["check", "--fix", "."], root, capsys, monkeypatch)
    assert result.code == 0
    assert snapshot(root) == before


def test_stdin_fix_prints_the_fixed_content_and_writes_nothing(tmp_path: Path) -> None:
    text = '{"smtp.host": "$[env:AEM_PROXY_HOST]", "smtp.password": "Plant3dSecret"}\n'
    root = project(tmp_path, {MAIL: "{}\n"}, "NET003,SEC001")
    result = run_cli(
        ["check", "--fix", "--stdin-filename", MAIL, "--output-format", "concise"],
        root,
        stdin=text.encode(),
    )
    assert result.code == 1  # SEC001 remains (its fix is unsafe)
    assert result.out == text.replace("HOST]", "HOST;default=proxy.tunnel]")
    assert " SEC001 " in result.err and " NET003 " not in result.err
    assert "Plant3dSecret" not in result.err
    assert (root / MAIL).read_text() == "{}\n"


def test_stdin_fix_without_change_echoes_the_bytes(tmp_path: Path) -> None:
    raw = b'{"smtp.port": 25}\r\n'
    root = project(tmp_path, {MAIL: "{}\n"}, "NET003")
    result = run_cli(["check", "--fix", "--stdin-filename", MAIL], root, stdin=raw)
    assert result.code == 0
    assert result.out.encode() == raw.replace(b"\r\n", b"\n") or result.out.encode() == raw


def test_write_baseline_with_fix_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {MAIL: "{}\n"}, "NET003")
    result = run_main(
        ["check", "--fix", "--write-baseline", "b.json", "."], root, capsys, monkeypatch
    )
    assert result.code == 2


# ------------------------------------------------------------------------------------------------
# Property: a fixed file re-parses to the same properties, the fixed value aside


_KEYS = st.from_regex(r"[a-z][a-z0-9.]{0,12}", fullmatch=True).filter(lambda k: k != "smtp.host")
_VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.booleans(),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.lists(st.text(max_size=5), max_size=3),
)


def _never_secret(name: str) -> bool:
    return False


def _typed(text: str) -> list[tuple[str, str, list[object]]]:
    parsed = parse_cfg_json(text, _never_secret)
    return [(p.name, p.type_name, [reveal(s.value) for s in p.values]) for p in parsed.properties]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.dictionaries(_KEYS, _VALUES, max_size=4),
    after=st.dictionaries(_KEYS, _VALUES, max_size=4),
    crlf=st.booleans(),
    comment=st.booleans(),
    prefix=st.sampled_from(["", "smtp://", "x"]),
)
def test_fixed_file_reparses_to_the_same_model(
    before: dict[str, object], after: dict[str, object], crlf: bool, comment: bool, prefix: str
) -> None:
    import json

    newline = "\r\n" if crlf else "\n"
    members = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in before.items() if k not in after]
    members.append(f'  "smtp.host": "{prefix}$[env:AEM_PROXY_HOST]"')
    members += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in after.items()]
    head = ["{"] + (["  // a comment"] if comment else [])
    text = newline.join([*head, ("," + newline).join(members), "}"]) + newline
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "aemlint.toml").write_text('select = ["NET003"]\n')
        path = root / MAIL
        path.parent.mkdir(parents=True)
        path.write_bytes(text.encode("utf-8"))
        cwd = os.getcwd()
        out, err = io.StringIO(), io.StringIO()
        try:
            os.chdir(root)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["check", "--fix", "--output-format", "concise", "."])
        finally:
            os.chdir(cwd)
        assert code == 0, err.getvalue()
        fixed = path.read_bytes().decode("utf-8")
    assert fixed == text.replace("HOST]", "HOST;default=proxy.tunnel]", 1)
    old, new = _typed(text), _typed(fixed)
    assert [p for p in old if p[0] != "smtp.host"] == [p for p in new if p[0] != "smtp.host"]
    (host,) = [p for p in new if p[0] == "smtp.host"]
    assert host[2] == [f"{prefix}$[env:AEM_PROXY_HOST;default=proxy.tunnel]"]
