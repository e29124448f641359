"""Known credential formats (SEC004) and the guards that keep look-alikes out.

:data:`PATTERNS` is the documented list; :func:`find_credentials` applies it to one string and
returns where each credential sits (for a URL, only its userinfo ``user:password``; for a
connection string, only the password). Callers never put the matched text in a message.

False-positive guards, each tested in ``tests/model/test_credentials.py``:

- token formats (AWS, Google, SendGrid, Slack, GitHub) must stand alone (no letter, digit or
  ``_`` glued to either side), must not sit inside a ``data:…;base64,`` payload (images), and
  must look random (Shannon entropy of at least 3 bits per character), so
  ``AKIAXXXXXXXXXXXXXXXX`` or ``ghp_xxxx…`` placeholders in documentation are not reported;
- AWS key ids ending in ``EXAMPLE`` — AWS's documented example ``AKIAIOSFODNN7EXAMPLE`` — are
  not reported (they are documentation, not credentials; gitleaks allow-lists them the same way);
- a private-key block needs a body of at least 32 base64 characters that looks random (so a
  ``<your key here>`` template is not one); certificates and public keys are never matched;
- a JWT's header must decode to a JSON object with an ``alg``;
- a URL password or a ``password=`` value is not reported when empty, when it holds a
  placeholder (``$[secret:X]``), an expansion or template (``${X}``, ``{{X}}``, ``<password>``,
  ``%s``) or a mask (``****``, ``xxxx``);
- hexadecimal hashes, UUIDs and plain base64 never match any pattern.
Only values are scanned: comments in ``.cfg.json`` files are not values.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aemlint.model.verbatim import verbatim

__all__ = [
    "PATTERNS",
    "CredentialMatch",
    "CredentialPattern",
    "entropy",
    "find_credentials",
    "may_hold_credential",
]


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


@dataclass(frozen=True, slots=True)
class CredentialMatch:
    """One credential in a string: what it is, and the offsets of the secret part."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CredentialPattern:
    """A credential format: ``regex`` finds it, ``secret`` names the group holding the secret,
    ``accept`` is the false-positive guard on that group's text."""

    id: str
    kind: str
    regex: re.Pattern[str]
    secret: str | int = 0
    accept: Callable[[str], bool] = lambda text: True
    token: bool = False  # a token format: the boundary, data-URI and entropy guards apply
    keywords: tuple[str, ...] = ()  # one must occur (case-insensitively) for the regex to run
    requires: str = ""  # and this text too (case-sensitively)


_DATA_URI = re.compile(r"data:[^,;\s]*(?:;[^,;\s]*)*;base64,[A-Za-z0-9+/=\s]*")
_TEMPLATE = re.compile(r"\$\[|\$\{|\{\{|<[^<>]*>|%s|^\$[A-Za-z_][A-Za-z0-9_]*$")
_MASK = re.compile(r"\*+|x{3,}|\?|\.\.\.", re.IGNORECASE)


def _random(text: str) -> bool:
    return entropy(text) >= 3.0


def _real_password(text: str) -> bool:
    """A password that is a value: not empty, a placeholder, a template or a mask."""
    bare = text.strip().strip("'\"").strip()
    if bare.startswith("{") and bare.endswith("}") and not bare.startswith("{{"):
        bare = bare[1:-1].strip()  # ODBC: Pwd={value}
    return bool(bare) and not _TEMPLATE.search(bare) and not _MASK.fullmatch(bare)


def _aws(text: str) -> bool:
    return not text.endswith("EXAMPLE") and _random(text)


def _jwt(text: str) -> bool:
    header = text.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return False
    return isinstance(decoded, dict) and "alg" in decoded


def _key_body(text: str) -> bool:
    body = re.sub(r"^(?:Proc-Type|DEK-Info|Comment|Version):[^\n]*", "", text, flags=re.M)
    body = re.sub(r"-----(?:BEGIN|END)[^-]*-----|\s|\\n", "", body)
    return len(re.findall(r"[A-Za-z0-9+/=]", body)) >= 32 and entropy(body) >= 4.0


def _userinfo(text: str) -> bool:
    user, sep, password = text.partition(":")
    if not sep:
        user, sep, password = text.partition("/")  # Oracle thin: user/password@
    return bool(sep) and "$[" not in user and _real_password(password)


_ALONE_BEFORE = r"(?<![A-Za-z0-9_])"
_ALONE_AFTER = r"(?![A-Za-z0-9_])"

PATTERNS: tuple[CredentialPattern, ...] = (
    CredentialPattern(
        "private-key",
        "a private key block",
        re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|.*)",
            re.S,
        ),
        accept=_key_body,
        keywords=("-----begin",),
    ),
    CredentialPattern(
        "aws-access-key-id",
        "an AWS access key id",
        re.compile(
            _ALONE_BEFORE + r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}" + _ALONE_AFTER
        ),
        accept=_aws,
        token=True,
        keywords=("akia", "asia", "abia", "acca", "a3t"),
    ),
    CredentialPattern(
        "google-api-key",
        "a Google API key",
        re.compile(r"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])"),
        accept=_random,
        token=True,
        keywords=("aiza",),
    ),
    CredentialPattern(
        "sendgrid-api-key",
        "a SendGrid API key",
        re.compile(_ALONE_BEFORE + r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),
        accept=_random,
        token=True,
        keywords=("sg.",),
    ),
    CredentialPattern(
        "slack-token",
        "a Slack token",
        re.compile(
            _ALONE_BEFORE + r"xox[abeoprs]-(?:[0-9]-)?[0-9]{8,14}-[A-Za-z0-9-]{8,}[A-Za-z0-9]"
        ),
        accept=_random,
        token=True,
        keywords=("xox",),
    ),
    CredentialPattern(
        "slack-webhook",
        "a Slack webhook URL",
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<path>[A-Za-z0-9_/-]{20,})"
        ),
        secret=0,
        accept=lambda url: _random(url.rsplit("/", 1)[-1]) and not url.endswith("XXXX"),
        keywords=("hooks.slack.com",),
    ),
    CredentialPattern(
        "github-token",
        "a GitHub token",
        re.compile(
            _ALONE_BEFORE
            + r"(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})"
            + _ALONE_AFTER
        ),
        accept=_random,
        token=True,
        keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    CredentialPattern(
        "jwt",
        "a JSON Web Token",
        re.compile(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"
        ),
        accept=_jwt,
        token=True,
        keywords=("eyj",),
    ),
    CredentialPattern(
        "url-userinfo",
        "a user name and password in a URL",
        re.compile(
            r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://(?P<info>[^\s/?#@]*(?:@[^\s/?#@]*)*)@"
            r"|jdbc:oracle:thin:(?P<oracle>[^\s/@:]+/[^\s@]+)@"
        ),
        secret="info",
        accept=_userinfo,
        keywords=("://", "jdbc:oracle:thin:"),
        requires="@",
    ),
    CredentialPattern(
        "connection-string-password",
        "a password in a connection string",
        re.compile(
            r"(?<![^;?&,\s])(?:password|passwd|pwd)\s*=\s*"
            r"(?P<value>\"[^\"]*\"|'[^']*'|\{[^}]*\}|[^;&\s\"']+)",
            re.IGNORECASE,
        ),
        secret="value",
        accept=_real_password,
        keywords=("password", "passwd", "pwd"),
    ),
)


# One scan of the lower-cased text finds the keywords, and so which patterns can match at all
# (most values hold none). Non-overlapping matches are enough: no keyword is a prefix of another
# pattern's keyword, and a keyword starting inside another one's occurrence means the second
# token is glued to letters, which every token pattern rejects.
_ANY_KEYWORD = re.compile("|".join(re.escape(k) for p in PATTERNS for k in p.keywords))
_BY_KEYWORD = {k: i for i, p in enumerate(PATTERNS) for k in p.keywords}


_ASSIGNED_PASSWORD = re.compile(r"(?:password|passwd|pwd)\s*=")  # (over lower-cased text)


def may_hold_credential(text: str | None) -> bool:
    """False only when a configuration file's ``text`` proves that none of its names and values
    holds a credential :func:`find_credentials` finds (a pre-filter, see
    :mod:`aemlint.model.verbatim`).

    In a verbatim text each value is a substring, and every pattern needs one of its keywords
    in the lower-cased value (lower-casing is per character, so that is a substring of the
    lower-cased text), its ``requires`` text, and for a connection string ``password=``. Most
    files hold ``password`` (a property's name) or ``://`` without ``@``: no credential.
    """
    if not verbatim(text):
        return True
    assert text is not None
    low = text.lower()
    for index in {_BY_KEYWORD[m.group()] for m in _ANY_KEYWORD.finditer(low)}:
        pattern = PATTERNS[index]
        if pattern.requires not in text:
            continue
        if pattern.id == "connection-string-password" and not _ASSIGNED_PASSWORD.search(low):
            continue
        return True
    return False


def find_credentials(text: str) -> list[CredentialMatch]:
    """Every credential :data:`PATTERNS` finds in ``text``, ordered by position, no overlaps.

    Where two matches start together the longer one is kept, and on a tie the earlier pattern
    (token formats come before the generic URL and ``password=`` patterns): the specific kind.
    """
    if len(text) < 8:
        return []
    wanted = {_BY_KEYWORD[m.group()] for m in _ANY_KEYWORD.finditer(text.lower())}
    if not wanted:
        return []
    images = [m.span() for m in _DATA_URI.finditer(text)] if "base64," in text else []
    found: list[CredentialMatch] = []
    for index in sorted(wanted):
        pattern = PATTERNS[index]
        if pattern.requires not in text:
            continue
        for match in pattern.regex.finditer(text):
            group: str | int = pattern.secret
            if pattern.id == "url-userinfo" and match.group("info") is None:
                group = "oracle"
            start, end = match.span(group)
            if start < 0:
                continue
            if pattern.token and any(a <= start and end <= b for a, b in images):
                continue
            if pattern.accept(text[start:end]):
                found.append(CredentialMatch(pattern.kind, start, end))
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[CredentialMatch] = []
    for m in found:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept
