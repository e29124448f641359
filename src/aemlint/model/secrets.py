"""What counts as a secret: the secret-name function (SPEC §4) and the value classes.

One function decides for SEC001, SEC002, SEC003, VAR009 and redaction, so they never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "passphrase",
        "credential",
        "credentials",
        "apikey",
    }
)
SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("private", "key"),
        ("client", "key"),
        ("shared", "key"),
        ("secret", "key"),
        ("signing", "key"),
        ("master", "key"),
    }
)
NOT_SECRET_LAST_WORDS = frozenset(
    [
        "enabled",
        "length",
        "size",
        "iterations",
        "alias",
        "path",
        "url",
        "uri",
        "endpoint",
        "name",
        "id",
        "expiration",
        "expiry",
        "ttl",
        "timeout",
        "file",
        "type",
        "header",
        "headers",
        "algorithm",
        "salt",
        "policy",
        "count",
        "format",
        "field",
        "param",
        "prefix",
        "suffix",
        "mode",
    ]
)

# camelCase and digit boundaries: "keyStorePassword" -> key Store Password, "SMTPPassword2" ->
# SMTP Password 2. Separators (. _ - and anything else non-alphanumeric) split too.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def name_words(name: str) -> list[str]:
    """Lower-case words of a property or variable name, after stripping a ``:Type`` hint."""
    bare = name.split(":", 1)[0]
    return [w.lower() for w in _WORD.findall(bare)]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True, slots=True)
class SecretNamer:
    """The secret-name function with the user's ``extra-secret-names``/``extra-not-secret-names``.

    ``extra_secret_words`` are words that make a name secret (like ``password``);
    ``extra_not_secret`` entries exempt a name when they equal the whole name (case-insensitive,
    hint stripped) or its last word.
    """

    extra_secret_words: frozenset[str] = frozenset()
    extra_not_secret: frozenset[str] = frozenset()
    #: Verdicts by name (names repeat across a project's configurations); names only, no values.
    _verdicts: dict[str, bool] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def from_options(cls, extra: Iterable[str] = (), not_secret: Iterable[str] = ()) -> SecretNamer:
        return cls(
            frozenset(w.lower() for w in extra),
            frozenset(w.lower() for w in not_secret),
        )

    def is_secret_name(self, name: str) -> bool:
        verdict = self._verdicts.get(name)
        if verdict is None:
            verdict = self._verdicts[name] = self._decide(name)
        return verdict

    __call__ = is_secret_name  # asked for every property by several rules: one call, not two

    def _decide(self, name: str) -> bool:
        words = name_words(name)
        if not words:
            return False
        last = words[-1]
        if last in NOT_SECRET_LAST_WORDS or last in self.extra_not_secret:
            return False
        if self.extra_not_secret and name.split(":", 1)[0].lower() in self.extra_not_secret:
            return False
        secret_words = SECRET_WORDS | self.extra_secret_words
        singular = [_singular(w) for w in words]
        for word, single in zip(words, singular, strict=True):
            if word in secret_words or single in secret_words:
                return True
        return any(pair in SECRET_PAIRS for pair in pairwise(singular))


DEFAULT_NAMER = SecretNamer()

ValueClass = Literal["empty", "placeholder", "masked", "template", "crypto", "literal"]

_MASKED = re.compile(r"\*{3,}|<redacted>|\[redacted\]|x{6,}", re.IGNORECASE)
_TEMPLATE = re.compile(r"<[^<>]+>|\$\{[^{}]*\}|\{\{[^{}]*\}\}|__[A-Za-z0-9_.-]+__")
#: An AEM CryptoSupport value's text (``{`` 32+ hex digits ``}``).
CRYPTO_VALUE = re.compile(r"\{[0-9a-fA-F]{32,}\}")


def classify_value(text: str, placeholder_only: bool = False) -> ValueClass:
    """Why a string value of a secret-named property is, or is not, a hardcoded secret.

    ``placeholder_only`` is the parser's verdict that the value is exactly one placeholder.
    Fillers such as ``changeme`` are deliberately *literal*: they are still hardcoded.
    """
    stripped = text.strip()
    if not stripped:
        return "empty"
    if placeholder_only:
        return "placeholder"
    if CRYPTO_VALUE.fullmatch(stripped):
        return "crypto"
    if _MASKED.fullmatch(stripped):
        return "masked"
    if _TEMPLATE.fullmatch(stripped):
        return "template"
    return "literal"


def is_crypto(text: str) -> bool:
    """``classify_value(text) == "crypto"``: an AEM CryptoSupport value (``{hex…}``), checked
    without the other classes' patterns (every value of every configuration is asked)."""
    return "{" in text and classify_value(text) == "crypto"


RESERVED_PREFIXES = ("INTERNAL_", "ADOBE_", "CONST_", "AEM_")


def secret_variable_name(pid: str, prop: str) -> str:
    """A Cloud Manager secret variable name for a property: ``DEFAULT_MAIL_SERVICE_SMTP_PASSWORD``.

    The last segment of the (factory) PID and the property's words, upper case, joined by ``_``:
    ``[A-Z0-9_]``, at most 100 characters, never a reserved prefix, never starting with a digit.
    Uniqueness across a project is the caller's (the fix's) business.
    """
    last = pid.split("~", 1)[0].rsplit(".", 1)[-1]
    words = name_words(last) + name_words(prop)
    name = "_".join(words).upper() or "SECRET"
    if name[0].isdigit() or name.startswith(RESERVED_PREFIXES):
        name = f"CUSTOM_{name}"
    return name[:100].rstrip("_")


def set_secret_command(name: str, run_modes: Sequence[str] = ()) -> str:
    """The ``aio`` command that sets the secret variable ``name`` (never with its value).

    ``--authorSecret``/``--publishSecret`` for a configuration in a service folder (its run modes
    name the service), ``--secret`` otherwise.
    """
    flag = "--secret"
    for service in ("author", "publish"):
        if service in run_modes:
            flag = f"--{service}Secret"
            break
    return f'aio cloudmanager:environment:set-variables <ENVIRONMENT_ID> {flag} {name} "<value>"'
