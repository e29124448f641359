"""The Day CQ Mail Service in the model: its PIDs and how its properties read (AEM-FACTS §6).

The values are read as the service sees them once Felix has interpolated the configuration: a
literal, or a value that is exactly one ``$[env:NAME…]`` placeholder, resolved from an
environment's (literal, non-secret) variables, else its ``default=``. Anything else (a secret, an
embedded placeholder, an unresolved one) is unknown: ``None``, and rules skip it.
"""

from __future__ import annotations

from collections.abc import Mapping

from aemlint.model.egress import PROXY_VARIABLE
from aemlint.model.osgi import OsgiConfig
from aemlint.parsing.values import Property, Scalar
from aemlint.types import Secret

__all__ = [
    "MAIL_PID",
    "MAIL_SERVER_PORTS",
    "OAUTH_PID",
    "as_bool",
    "as_port",
    "host_is_proxied",
    "is_mail_service",
    "mail_bool",
    "mail_port",
    "resolved",
]

MAIL_PID = "com.day.cq.mailer.DefaultMailService"
OAUTH_PID = "com.day.cq.mailer.oauth.impl.OAuthConfigurationProviderImpl"

#: Mail server (destination) ports: SMTP 25, SMTPS 465 (implicit TLS), submission 587 (STARTTLS).
MAIL_SERVER_PORTS = frozenset({25, 465, 587})


def resolved(scalar: Scalar | None, variables: Mapping[str, str] | None = None) -> object:
    """The value after interpolation, or None when it cannot be known statically."""
    if scalar is None or isinstance(scalar.value, Secret):
        return None
    value = scalar.value
    if not isinstance(value, str) or not scalar.placeholders:
        return value
    if not scalar.is_placeholder_only:
        return None
    outer = min(scalar.placeholders, key=lambda p: p.start)
    if outer.kind != "env":
        return None
    found = (variables or {}).get(outer.name)
    if found is not None:
        return found
    default = outer.default
    return default if isinstance(default, str) else None


def as_bool(value: object) -> bool | None:
    """A boolean as the configuration API validator accepts it: ``true``/``false`` or their
    strings (any case); anything else is unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_port(value: object) -> int | None:
    """A port number (1-65535) given as an integer or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 65536 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
        return number if 0 < number < 65536 else None
    return None


def _single(prop: Property | None) -> Scalar | None:
    return None if prop is None else prop.scalar


def is_mail_service(cfg: OsgiConfig) -> bool:
    """The configuration is the mail service's (a singleton: a factory instance never applies)."""
    return cfg.place.factory_pid is None and cfg.place.pid == MAIL_PID


def host_is_proxied(cfg: OsgiConfig) -> bool:
    """``smtp.host`` is exactly ``$[env:AEM_PROXY_HOST…]`` (MAIL001's condition)."""
    scalar = _single(cfg.get("smtp.host"))
    if scalar is None or not isinstance(scalar.value, str) or not scalar.is_placeholder_only:
        return False
    outer = min(scalar.placeholders, key=lambda p: p.start)
    return outer.kind == "env" and outer.name == PROXY_VARIABLE


def mail_bool(
    cfg: OsgiConfig, name: str, variables: Mapping[str, str] | None = None
) -> bool | None:
    """A boolean property of a mail configuration (``smtp.ssl``, ``debug.email``…)."""
    return as_bool(resolved(_single(cfg.get(name)), variables))


def mail_port(cfg: OsgiConfig, variables: Mapping[str, str] | None = None) -> int | None:
    """``smtp.port`` of a mail configuration."""
    return as_port(resolved(_single(cfg.get("smtp.port")), variables))
