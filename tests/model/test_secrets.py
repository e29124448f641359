"""The secret-name function: SPEC §4's golden table, plurals, options, and value classes."""

from __future__ import annotations

import pytest

from aemlint.model.secrets import (
    DEFAULT_NAMER,
    SecretNamer,
    classify_value,
    name_words,
    secret_variable_name,
)

SECRET = [
    "smtp.password",
    "keyStorePassword",
    "clientSecret",
    "client.secret",
    "apiKey",
    "apiKeys",
    "api_key",
    "accessKey",
    "sharedKey",
    "privateKey",
    "bind.password",
    "refreshToken",
    "apiToken",
    "secret",
    "akamaiClientSecretKey",
    # plurals and other spellings
    "passwords",
    "tokens",
    "apikeys",
    "db_passwd",
    "PWD",
    "credentials",
    "passphrase",
    "SMTPPassword",
    "signing-key",
    "masterKey",
    "smtp.password:String",
]
NOT_SECRET = [
    "tokenUrl",
    "auth.token.url",
    "passwordHashIterations:Integer",
    "passwordSaltSize",
    "tokenExpiration",
    "secret.enabled",
    "access.key.alias",
    "spPrivateKeyAlias",
    "smtp.user",
    "username",
    "httpHeaders",
    "secretName",
    # neighbours that must stay quiet
    "keyStorePath",
    "tokenEndpoint",
    "passwordPolicy",
    "key",
    "accessMode",
    "bypass",
    "compass",
    "address",
    "api.endpoint",
    "",
]


@pytest.mark.parametrize("name", SECRET)
def test_secret_named(name: str) -> None:
    assert DEFAULT_NAMER(name)


@pytest.mark.parametrize("name", NOT_SECRET)
def test_not_secret_named(name: str) -> None:
    assert not DEFAULT_NAMER(name)


def test_words_split_on_separators_camel_case_and_digits() -> None:
    assert name_words("keyStorePassword:String") == ["key", "store", "password"]
    assert name_words("SMTPPassword2") == ["smtp", "password", "2"]
    assert name_words("a.b_c-dE") == ["a", "b", "c", "d", "e"]


def test_options_extend_and_exempt() -> None:
    namer = SecretNamer.from_options(["sig"], ["keyStorePassword", "hint"])
    assert namer("request.sig")
    assert not namer("keystorepassword")
    assert not namer("password.hint")
    assert namer("smtp.password")


@pytest.mark.parametrize(
    ("text", "placeholder_only", "expected"),
    [
        ("", False, "empty"),
        ("   ", False, "empty"),
        ("$[secret:X]", True, "placeholder"),
        ("****", False, "masked"),
        ("<redacted>", False, "masked"),
        ("<secret_shared_key>", False, "template"),
        ("${DB_PASSWORD}", False, "template"),
        ("{{ token }}", False, "template"),
        ("__PASSWORD__", False, "template"),
        ("{" + "a1" * 20 + "}", False, "crypto"),
        ("changeme", False, "literal"),
        ("hunter2", False, "literal"),
        ("Bearer $[secret:X]", False, "literal"),
    ],
)
def test_classify_value(text: str, placeholder_only: bool, expected: str) -> None:
    assert classify_value(text, placeholder_only) == expected


def test_secret_variable_name() -> None:
    assert (
        secret_variable_name("com.day.cq.mailer.DefaultMailService", "smtp.password")
        == "DEFAULT_MAIL_SERVICE_SMTP_PASSWORD"
    )
    assert (
        secret_variable_name("x.ApiClientImpl", "refreshToken") == "API_CLIENT_IMPL_REFRESH_TOKEN"
    )
    assert secret_variable_name("x.AEM_thing", "p") == "CUSTOM_AEM_THING_P"
    assert secret_variable_name("x.2fa", "key") == "CUSTOM_2_FA_KEY"
    name = secret_variable_name("a." + "b" * 200, "password")
    assert len(name) <= 100 and name.isupper()


def test_nested_placeholder_is_still_wholly_a_placeholder() -> None:
    from aemlint.parsing.cfg_json import parse_cfg_json

    parsed = parse_cfg_json('{"smtp.password": "$[secret:X;default=$[env:Y]]"}', DEFAULT_NAMER)
    scalar = parsed.properties[0].values[0]
    assert len(scalar.placeholders) == 2
    assert scalar.is_placeholder_only
