"""SEC004's credential formats: true positives, their exact offsets, and the false-positive guards.

Token-shaped values are built at run time from a seeded generator, so no file of this repository
holds a string that secret scanners (or GitHub push protection) would take for a live token.
"""

from __future__ import annotations

import base64
import json
import random
import string
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aemlint.model.credentials import PATTERNS, entropy, find_credentials, may_hold_credential

RNG = random.Random(20240611)
UPPER_B32 = string.ascii_uppercase + "234567"
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"


def rand(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def b64url(obj: object) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pem(label: str) -> str:
    body = base64.b64encode(RNG.randbytes(300)).decode()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----"


AWS = "AK" + "IA" + rand(UPPER_B32, 16)
AWS_STS = "AS" + "IA" + rand(UPPER_B32, 16)
GOOGLE = "AI" + "za" + rand(URLSAFE, 35)
SENDGRID = "SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43)
SLACK_BOT = (
    "xo" + "xb-" + rand(string.digits, 12) + "-" + rand(string.digits, 13) + "-" + rand(ALNUM, 24)
)
SLACK_USER = (
    "xo"
    + "xp-"
    + "-".join(rand(string.digits, 11) for _ in range(3))
    + "-"
    + rand("0123456789abcdef", 32)
)
SLACK_HOOK = (
    "https://hooks.slack.com/services/T"
    + rand(UPPER_B32, 8)
    + "/B"
    + rand(UPPER_B32, 10)
    + "/"
    + rand(ALNUM, 24)
)
GITHUB = "gh" + "p_" + rand(ALNUM, 36)
GITHUB_FINE = "github" + "_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)
JWT = (
    b64url({"alg": "RS256", "typ": "JWT"})
    + "."
    + b64url({"sub": "svc", "exp": 1})
    + "."
    + rand(URLSAFE, 43)
)
RSA_KEY = pem("RSA PRIVATE KEY")
PKCS8_KEY = pem("PRIVATE KEY")
OPENSSH_KEY = pem("OPENSSH PRIVATE KEY")


def kinds(text: str) -> list[str]:
    return [m.kind for m in find_credentials(text)]


def secrets(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_credentials(text)]


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        (AWS, "an AWS access key id"),
        (AWS_STS, "an AWS access key id"),
        (GOOGLE, "a Google API key"),
        (SENDGRID, "a SendGrid API key"),
        (SLACK_BOT, "a Slack token"),
        (SLACK_USER, "a Slack token"),
        (SLACK_HOOK, "a Slack webhook URL"),
        (GITHUB, "a GitHub token"),
        (GITHUB_FINE, "a GitHub token"),
        (JWT, "a JSON Web Token"),
        (RSA_KEY, "a private key block"),
        (PKCS8_KEY, "a private key block"),
        (OPENSSH_KEY, "a private key block"),
    ],
    ids=[
        "aws",
        "aws-sts",
        "google",
        "sendgrid",
        "slack-bot",
        "slack-user",
        "slack-webhook",
        "github",
        "github-fine-grained",
        "jwt",
        "rsa-key",
        "pkcs8-key",
        "openssh-key",
    ],
)
def test_each_format_is_found_alone_and_embedded(token: str, kind: str) -> None:
    assert kinds(token) == [kind]
    assert secrets(token) == [token]
    for text in (
        f"key={token}&x=1",
        f'{{"k": "{token}"}}',
        f"Bearer {token}",
        f"$[env:K;default={token}]",
    ):
        assert secrets(text) == [token], text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("jdbc:mysql://app:S3cr3t@db:3306/shop", "app:S3cr3t"),
        ("https://user:p@ss@example.com/x", "user:p@ss"),
        ("redis://:only-a-password@cache:6379", ":only-a-password"),
        ("$[env:URL;default=amqps://mq:Amqp-pw@broker:5671]", "mq:Amqp-pw"),
        ("jdbc:oracle:thin:scott/Tiger-42@//db:1521/ORCL", "scott/Tiger-42"),
        ("jdbc:sqlserver://db:1433;user=sa;password=Sql-Pass-9;encrypt=true", "Sql-Pass-9"),
        ("Server=db;Uid=app;Pwd={Odbc;Pass};", "{Odbc;Pass}"),
        ("https://example.com/login?user=a&passwd=Query-Pw", "Query-Pw"),
        ("PASSWORD = 'quoted value'", "'quoted value'"),
    ],
)
def test_only_the_secret_part_of_urls_and_connection_strings(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        # documentation examples and fillers
        "AKIAIOSFODNN7EXAMPLE",
        "AKIA" + "X" * 16,
        "gh" + "p_" + "x" * 36,
        "AI" + "za" + "a" * 35,
        "xo" + "xb-" + "x" * 9 + "-" + "x" * 10 + "-" + "x" * 12,
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        # glued to other text, or inside an image
        "foo" + AWS,
        AWS + "9",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA+" + AWS + "+AAAAAElFTkSuQmCC",
        # hashes, UUIDs, base64
        "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        "be46de4bf60980b1fa9b9bacc03056cf147f6f5813e4da97e78f459598e20a1e",
        "d41d8cd98f00b204e9800998ecf8427e",
        "550e8400-e29b-41d4-a716-446655440000",
        "{550E8400-E29B-41D4-A716-446655440000}",
        base64.b64encode(RNG.randbytes(600)).decode(),
        # certificates, public keys, templates
        pem("CERTIFICATE"),
        pem("PUBLIC KEY"),
        "-----BEGIN PRIVATE KEY-----\n<paste the key here>\n-----END PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----\n" + "X" * 64 + "\n-----END RSA PRIVATE KEY-----",
        # JWT look-alikes
        "eyJhbGciOiJIUzI1NiJ9",
        b64url(["not", "an", "object"]) + "." + b64url({"a": 1}) + "." + rand(URLSAFE, 20),
        "eyJub3RfanNvbg." + b64url({"a": 1}) + "." + rand(URLSAFE, 20),
        # URLs and connection strings without a literal password
        "https://user:$[secret:PASSWORD]@example.com",
        "jdbc:mysql://$[env:DB_USER]:$[secret:DB_PASSWORD]@$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/db",
        "jdbc:mysql://$[env:AEM_PROXY_HOST;default=proxy.tunnel]:30001/wknd",
        "https://${USER}:${PASSWORD}@example.com",
        "https://{{user}}:{{password}}@example.com",
        "https://user:<password>@example.com",
        "postgres://app:****@db:5432/app",
        "postgres://app:xxxxxx@db:5432/app",
        "https://user:@example.com",
        "ssh://git@github.com/acme/repo.git",
        "mailto:ops@example.com",
        "user:name@example.com",
        "http://example.com:8080/path",
        "password=",
        "password=${DB_PASSWORD}",
        "password=$DB_PASSWORD",
        "pwd=$[secret:DB_PASSWORD]",
        "password=<password>",
        "password=%s",
        "jdbc:sqlserver://db;user=sa;password=?",
        "passwordHashIterations=1000",
        "mypassword=not-a-connection-string-key",
    ],
)
def test_look_alikes_are_not_credentials(text: str) -> None:
    assert find_credentials(text) == []


def test_every_pattern_is_documented() -> None:
    from aemlint.model import credentials

    doc = credentials.__doc__ or ""
    assert len({p.id for p in PATTERNS}) == len(PATTERNS)
    for word in ("AWS", "Google", "SendGrid", "Slack", "GitHub", "JWT", "userinfo", "password="):
        assert word in doc or word.lower() in doc.lower(), word
    assert "AKIAIOSFODNN7EXAMPLE" in doc


def test_matches_are_ordered_and_never_overlap() -> None:
    text = f"https://u:{GITHUB}@h/x {AWS} password={GOOGLE}"
    found = find_credentials(text)
    assert [m.kind for m in found] == [
        "a user name and password in a URL",
        "an AWS access key id",
        "a Google API key",  # the same text as the password=: the more specific kind wins
    ]
    assert all(a.end <= b.start for a, b in pairwise(found))


def test_entropy() -> None:
    assert entropy("") == 0.0
    assert entropy("aaaa") == 0.0
    assert entropy("abcd") == 2.0
    assert entropy(GITHUB) > 4.0


@given(st.text(max_size=300))
def test_never_raises_and_offsets_are_inside(text: str) -> None:
    for m in find_credentials(text):
        assert 0 <= m.start < m.end <= len(text)


@given(st.text(alphabet="$[]{}:;@/=-_.AKIAxoxbghp0123456789 ", max_size=200))
def test_never_raises_on_credential_alphabet(text: str) -> None:
    for m in find_credentials(text):
        assert 0 <= m.start < m.end <= len(text)


# -- the file-level pre-filter (SEC004 skips a file it proves clean) ----------------------------

FOUND = [AWS, GOOGLE, SENDGRID, SLACK_BOT, SLACK_HOOK, GITHUB, GITHUB_FINE, JWT]
FOUND += [
    "jdbc:mysql://app:S3cr3t@db:3306/shop",
    "jdbc:oracle:thin:scott/Tiger-42@//db:1521/ORCL",
    "jdbc:sqlserver://db:1433;user=sa;password=Sql-Pass-9;encrypt=true",
    "Server=db;Uid=app;Pwd={Odbc;Pass};",
    "https://example.com/login?user=a&passwd=Query-Pw",
    "PASSWORD = 'quoted value'",
    "PassWord\t=\tTabbed-Pw-1",
]
WRAPPERS = [
    lambda v: '{\n  "service.password": "x",\n  "value": "' + v + '"\n}\n',  # .cfg.json
    lambda v: 'value="' + v + '"\n',  # .config
    lambda v: "value = " + v + "\n",  # .cfg
    lambda v: '<jcr:root jcr:primaryType="sling:OsgiConfig" value="' + v + '"/>',  # XML
]


def _filed(value: str) -> list[str]:
    """``value`` as it stands in each configuration format, where it can stand verbatim."""
    return [w(value) for w in WRAPPERS]


@pytest.mark.parametrize("value", FOUND)
def test_the_pre_filter_never_hides_a_credential(value: str) -> None:
    assert find_credentials(value)
    for text in _filed(value):
        assert may_hold_credential(text), text


_PIECES = st.sampled_from(
    [
        *("password=", "PWD = ", "passwd\t=", "://", "@", ":", "/", ";", "jdbc:oracle:thin:"),
        *("u:Pw-93x", AWS, GOOGLE, GITHUB, JWT, "AKIA", "xoxb-", "eyJ", "$[secret:X]", "${X}"),
        "****",
    ]
)
_VALUES = st.lists(
    _PIECES | st.text(alphabet="$[]{}:;@/=-_. \tAKIApsworPSWORDdxoxbghp0123456789", max_size=6),
    max_size=8,
).map("".join)


@given(_VALUES)
def test_the_pre_filter_holds_on_any_value(value: str) -> None:
    if find_credentials(value):
        for text in _filed(value):
            assert may_hold_credential(text), text


def test_the_pre_filter_passes_files_without_a_credential() -> None:
    """A password-named property and URLs without userinfo: nothing to scan value by value."""
    clean = (
        '{\n  "smtp.password": "$[secret:SMTP_PASSWORD]",\n'
        '  "endpoint": "https://api.example.com:443/v1",\n  "passwordHashIterations": 1000\n}\n'
    )
    assert not may_hold_credential(clean)
    assert may_hold_credential(clean.replace("https://", "https://u:pw@"))
    assert may_hold_credential(clean.replace("/v1", "/v1;password=Pw-42"))
    assert may_hold_credential(clean.replace("/v1", "/v1 \\u0040"))  # an escape: no proof
    assert may_hold_credential(None)
