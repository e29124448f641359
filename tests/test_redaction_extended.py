"""No output shows a secret value of the kinds SPEC §5 adds beyond SEC001's literals.

One planted value per kind: SEC003 defaults (of a `$[secret:]` placeholder and of a secret-named
property's `$[env:]`), SEC004 matches (for a URL only its userinfo is the secret), CryptoSupport
values (SEC005), values set as secrets in Cloud Manager sources (SEC006), and a PH001 fix that
would carry a secret default. Every output format runs with ``-v``; ``Secret.strict`` (conftest)
makes any formatting of a wrapped secret raise as well.

Two projects: in ``wrapped`` every planted value is one the model wraps as a
:class:`~aemlint.types.Secret` (secret-named properties, secret placeholders, secret variables);
in ``unwrapped`` the SEC004/SEC005 values sit in properties and variables whose names are not
secret, so the model holds them as plain text. Messages, JSON, SARIF… never show either, and
the ``full`` reporter's code frames mask them too (``Project.secret_spans`` recognises CryptoSupport
values and credential matches as well as wrapped secrets).
"""

from __future__ import annotations

import base64
import random
import string
from pathlib import Path

import pytest

from aemlint.cli import OUTPUT_FORMATS

from helpers import run_cli, write

APPS = "ui.config/src/main/content/jcr_root/apps/demo/osgiconfig"
RNG = random.Random(5150)


def _rand(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


GOOGLE = "AI" + "za" + _rand(string.ascii_letters + string.digits + "_-", 35)
AWS = "AK" + "IA" + _rand(string.ascii_uppercase + "234567", 16)
JWT_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()
JWT_SIGNATURE = _rand(string.ascii_letters + string.digits, 43)
JWT = f"{JWT_HEADER}.eyJzdWIiOiJQbGFudDNkIn0.{JWT_SIGNATURE}"
KEY_BODY = base64.b64encode(RNG.randbytes(48)).decode()  # one 64-character line
PRIVATE_KEY = f"-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}\\n-----END PRIVATE KEY-----"
CRYPTO_A = _rand("0123456789abcdef", 64)
CRYPTO_B = _rand("0123456789abcdef", 48)

WRAPPED = [
    "Plant3d-sec003-secret-default",
    "Plant3d-sec003-env-default",
    "Plant3d-ph001-typo-default",
    "Plant3d-url-in-secret-name",
    GOOGLE,
    CRYPTO_A,
    "Plant3d-sec006-script",
    "Plant3d-sec006-yaml",
    "Plant3d-sec006-json",
]
UNWRAPPED = [
    "Plant3d-url-pw",
    "Plant3d-conn-pw",
    AWS,
    JWT_SIGNATURE,
    KEY_BODY,
    CRYPTO_B,
    "Plant3d-cm-url-pw",
]


def _leaks(text: str, planted: list[str]) -> list[str]:
    return [s for s in planted if s in text]


@pytest.fixture
def wrapped(tmp_path: Path) -> Path:
    root = tmp_path / "wrapped"
    write(root, "aemlint.toml", "")
    write(
        root,
        f"{APPS}/config/com.acme.core.impl.ApiClientImpl.cfg.json",
        "{\n"
        '  "api.url": "${env:API_URL}",\n'
        '  "api.header": "Bearer $[secret:API_BEARER;default=Plant3d-sec003-secret-default]",\n'
        '  "bind.password": "$[env:LDAP_PW;default=Plant3d-sec003-env-default]",\n'
        '  "smtp.password": "$[secret:SMTP_PW;defualt=Plant3d-ph001-typo-default]",\n'
        '  "db.password": "postgres://app:Plant3d-url-in-secret-name@db:5432/app",\n'
        f'  "apiKey": "{GOOGLE}",\n'
        f'  "store.password": "{{{CRYPTO_A}}}",\n'
        '  "api.region": "${env:API_REGION}"\n'
        "}\n",
    )
    write(
        root,
        "scripts/set-env.sh",
        "aio cloudmanager:environment:set-variables 123 \\\n"
        '  --secret EMAIL_PASSWORD "Plant3d-sec006-script" \\\n'
        "  --variable AEM_PROXY_HOST proxy.example.com\n",
    )
    write(
        root,
        "cloudmanager/variables.yaml",
        "- name: SMTP_SECRET\n  value: Plant3d-sec006-yaml\n  type: secretString\n"
        "- name: AEM_PROXY_HOST\n  value: x\n  type: string\n",
    )
    write(
        root,
        "cloudmanager/variables.json",
        '[{"name": "API_SECRET", "value": "Plant3d-sec006-json", "type": "secretString"},\n'
        ' {"name": "AEM_PROXY_HOST", "value": "x", "type": "string"}]\n',
    )
    return root


@pytest.fixture
def unwrapped(tmp_path: Path) -> Path:
    root = tmp_path / "unwrapped"
    write(root, "aemlint.toml", "")
    write(
        root,
        f"{APPS}/config/com.acme.core.impl.ShopClientImpl.cfg.json",
        "{\n"
        '  "jdbc.url": "jdbc:mysql://app:Plant3d-url-pw@db:3306/shop",\n'
        '  "sql.url": "jdbc:sqlserver://db;user=sa;password=Plant3d-conn-pw",\n'
        f'  "aws.key.id": "{AWS}",\n'
        f'  "auth.header": "Bearer {JWT}",\n'
        f'  "keys": ["{PRIVATE_KEY}"],\n'
        f'  "crypto.value": "{{{CRYPTO_B}}}"\n'
        "}\n",
    )
    write(
        root,
        "cloudmanager/variables.yaml",
        "- name: DB_URL\n  value: postgres://app:Plant3d-cm-url-pw@db:5432/app\n  type: string\n",
    )
    return root


EXPECTED_WRAPPED = ("PH001", "SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "SEC006")
EXPECTED_UNWRAPPED = ("SEC004", "SEC005")


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_wrapped_kinds_never_appear_in_any_format(wrapped: Path, fmt: str) -> None:
    r = run_cli(["check", "--output-format", fmt, "-v"], wrapped)
    assert r.code == 1, r.err
    assert _leaks(r.out + r.err, WRAPPED) == []
    if fmt in ("concise", "json", "full"):
        for code in EXPECTED_WRAPPED:
            assert code in r.out, code
        assert "<redacted " in r.out


@pytest.mark.parametrize("fmt", [f for f in OUTPUT_FORMATS if f != "full"])
def test_unwrapped_kinds_never_appear_in_messages_or_machine_formats(
    unwrapped: Path, fmt: str
) -> None:
    r = run_cli(["check", "--output-format", fmt, "-v"], unwrapped)
    assert r.code == 1, r.err
    assert _leaks(r.out + r.err, UNWRAPPED) == []
    if fmt in ("concise", "json"):
        for code in EXPECTED_UNWRAPPED:
            assert code in r.out, code


def test_full_messages_of_unwrapped_kinds_are_redacted(unwrapped: Path) -> None:
    """The message lines of ``full`` (not its code frames) show lengths only."""
    r = run_cli(["check", "--output-format", "full", "-v"], unwrapped)
    heads = [line for line in r.out.splitlines() if " SEC00" in line and "│" not in line]
    assert len(heads) == 7
    assert _leaks("\n".join(heads) + r.err, UNWRAPPED) == []


def test_full_code_frames_mask_unwrapped_kinds(unwrapped: Path) -> None:
    r = run_cli(["check", "--output-format", "full", "-v"], unwrapped)
    assert r.code == 1, r.err
    assert _leaks(r.out + r.err, UNWRAPPED) == []


def test_fix_carrying_a_secret_default_has_no_content(wrapped: Path) -> None:
    import json

    r = run_cli(["check", "--output-format", "json", "--select", "PH001"], wrapped)
    findings = json.loads(r.out)
    typo = [f for f in findings if f["context"]["property"] == "smtp.password"]
    assert len(typo) == 1
    assert typo[0]["fix"]["applicability"] == "safe"
    assert typo[0]["fix"]["edits"][0]["content"] is None
    assert "defualt" not in typo[0]["message"]  # a secret value's text is not quoted at all
    plain = [f for f in findings if f["context"]["property"] == "api.url"]
    assert plain[0]["fix"]["edits"][0]["content"] == "$[env:API_URL]"
