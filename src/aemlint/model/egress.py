"""Host/port pairs of a configuration (SPEC §4 NET): which connections egress, through which port.

A pair is the mail service's ``smtp.host``/``smtp.port``; ``X.host``/``X.port``,
``host.name``/``host.port``, ``xHost``/``xPort`` and ``X.hostname``/``X.port`` in one
configuration; and the host and port of a connection URI (``jdbc:…``, ``mongodb://``, ``ldap(s)://``,
``smtp(s)://``, ``redis(s)://``, ``amqp(s)://``) in any string value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.spans import sub_span
from aemlint.model.verbatim import may_contain, verbatim
from aemlint.parsing.values import Placeholder, Property, Scalar
from aemlint.types import Secret, Span

PROXY_VARIABLE = "AEM_PROXY_HOST"

DEFAULT_PORTS = {
    "mysql": 3306,
    "mariadb": 3306,
    "postgresql": 5432,
    "sqlserver": 1433,
    "oracle": 1521,
    "db2": 50000,
    "mongodb": 27017,
    "ldap": 389,
    "ldaps": 636,
    "smtp": 25,
    "smtps": 465,
    "redis": 6379,
    "rediss": 6379,
    "amqp": 5672,
    "amqps": 5671,
}
# Placeholders are blanked to NUL runs of the same length before matching, so offsets hold.
_HOST = r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:;@?#,]+)"
_PORT = r"(?::(?P<port>[^\s/;?#:,)]*))?"
_URI = re.compile(
    r"(?P<scheme>jdbc:oracle:thin:@(?://)?|jdbc:(?P<driver>[a-z0-9]+)(?::[a-z0-9]+)*://"
    r"|(?P<plain>mongodb|ldaps?|smtps?|rediss?|amqps?)://)"
    r"(?:[^\s/@]*@)?" + _HOST + _PORT,
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PortRef:
    """Where a pair's port comes from: a literal, a placeholder, or the scheme's default."""

    literal: int | None
    placeholder: Placeholder | None
    span: Span
    text: str  # for messages: "30465", "$[env:SMTP_PORT;default=30465]", "3306 (default)"


@dataclass(frozen=True, slots=True)
class HostPort:
    """One connection a configuration describes.

    ``host`` is the host when it is a plain literal (no placeholder, not a secret, not blank),
    else None; ``host_span`` underlines the host (a URI's host part, or the host property's
    value).
    """

    config: OsgiConfig
    host_property: str
    port_property: str
    proxied: bool  # the host is exactly $[env:AEM_PROXY_HOST…]
    port: PortRef | None  # None: no port given and no default known
    kind: str  # "pair" or "uri"
    host: str | None = None
    host_span: Span | None = None

    def resolve(self, variables: Mapping[str, str]) -> int | None:
        """The port number: a literal, the variable's value, else the placeholder's default."""
        if self.port is None:
            return None
        if self.port.literal is not None:
            return self.port.literal
        ph = self.port.placeholder
        if ph is None:
            return None
        value = variables.get(ph.name) if ph.kind == "env" else None
        if value is None:
            default = ph.default
            value = default if isinstance(default, str) else None
        return _as_port(value)


def _as_port(text: object) -> int | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 < text < 65536 else None
    if isinstance(text, str) and text.strip().isdigit():
        number = int(text.strip())
        return number if 0 < number < 65536 else None
    return None


def _is_proxy(ph: Placeholder) -> bool:
    return ph.kind == "env" and ph.name == PROXY_VARIABLE


def _text(scalar: Scalar) -> str | None:
    return scalar.value if isinstance(scalar.value, str) else None


def _whole_placeholder(scalar: Scalar) -> Placeholder | None:
    if not scalar.is_placeholder_only:
        return None
    outer = min(scalar.placeholders, key=lambda p: p.start)
    return outer


def _host_is_proxy(prop: Property) -> bool:
    scalar = prop.scalar
    if scalar is None:
        return False
    ph = _whole_placeholder(scalar)
    return ph is not None and _is_proxy(ph)


def _port_of(prop: Property) -> PortRef | None:
    scalar = prop.scalar
    if scalar is None or isinstance(scalar.value, Secret):
        return None
    if isinstance(scalar.value, int) and not isinstance(scalar.value, bool):
        return PortRef(_as_port(scalar.value), None, scalar.span, str(scalar.value))
    text = _text(scalar)
    if text is None:
        return None
    ph = _whole_placeholder(scalar)
    if ph is not None:
        return PortRef(None, ph, scalar.span, text)
    literal = _as_port(text)
    return None if literal is None else PortRef(literal, None, scalar.span, text.strip())


def _partner_names(name: str) -> Iterator[tuple[str, str]]:
    """(host property, port property) candidates a host-like property name pairs with."""
    lower = name.lower()
    if "host" not in lower:
        return  # every candidate below ends in "host", "hostname" or is "host.name"
    if lower == "host.name":
        yield name, name[: -len("name")] + "port"
    for suffix in (".host", ".hostname"):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            yield name, name[: -len(suffix)] + ".port"
    if name.endswith("Host") and len(name) > 4:
        yield name, name[:-4] + "Port"
    if name.endswith("Hostname") and len(name) > 8:
        yield name, name[:-8] + "Port"


def _literal_host(prop: Property) -> str | None:
    scalar = prop.scalar
    if scalar is None or scalar.placeholders:
        return None
    text = _text(scalar)
    return text.strip() if text is not None and text.strip() else None


def _property_pairs(cfg: OsgiConfig) -> Iterator[HostPort]:
    for prop in cfg.properties:
        for host_name, port_name in _partner_names(prop.name):
            port_prop = cfg.get(port_name)
            if port_prop is None:
                continue
            yield HostPort(
                cfg,
                host_name,
                port_prop.name,
                _host_is_proxy(prop),
                _port_of(port_prop),
                "pair",
                _literal_host(prop),
                prop.value_span,
            )


def _uri_pairs(cfg: OsgiConfig, source: str | None) -> Iterator[HostPort]:
    for prop in cfg.properties:
        for scalar in prop.values:
            text = _text(scalar)
            if text is None or ("://" not in text and "@" not in text):
                continue
            masked = text
            for ph in scalar.placeholders:
                end = min(ph.end, len(masked))
                masked = masked[: ph.start] + "\x00" * (end - ph.start) + masked[end:]
            for match in _URI.finditer(masked):
                host_start, host_end = match.span("host")
                proxied = any(
                    _is_proxy(ph) and ph.start == host_start and ph.end == host_end
                    for ph in scalar.placeholders
                )
                scheme = (match.group("driver") or match.group("plain") or "oracle").lower()
                port: PortRef | None
                if match.group("port"):
                    p_start, p_end = match.span("port")
                    raw = text[p_start:p_end]
                    port_ph = next(
                        (p for p in scalar.placeholders if p.start == p_start and p.end == p_end),
                        None,
                    )
                    sub = sub_span(scalar, p_start, p_end, source)
                    port = PortRef(_as_port(raw) if port_ph is None else None, port_ph, sub, raw)
                elif scheme in DEFAULT_PORTS:
                    sub = sub_span(scalar, host_start, host_end, source)
                    port = PortRef(
                        DEFAULT_PORTS[scheme], None, sub, f"{DEFAULT_PORTS[scheme]} (default)"
                    )
                else:
                    port = None
                raw_host = text[host_start:host_end]
                literal = None if "\x00" in match.group("host") or not raw_host else raw_host
                host_span = sub_span(scalar, host_start, host_end, source)
                yield HostPort(cfg, prop.name, prop.name, proxied, port, "uri", literal, host_span)


def _may_pair(text: str) -> bool:
    """The text may hold what a pair needs: a name with "host" in it (``name.lower()``, as
    :func:`_partner_names` reads it), or a value with "://" or "@" (as :func:`_uri_pairs`)."""
    return "://" in text or "@" in text or "host" in text.lower()


def host_port_pairs(cfg: OsgiConfig, source: str | None = None) -> list[HostPort]:
    """Every host/port pair of ``cfg``; ``source`` (the file's text) gives exact URI sub-spans."""
    if verbatim(source) and not _may_pair(source or ""):
        return []  # proven pair-free by a few scans of the text, in C
    return [*_property_pairs(cfg), *_uri_pairs(cfg, source)]


def proxied_pairs(cfg: OsgiConfig, source: str | None = None) -> tuple[HostPort, ...]:
    """The pairs of :func:`host_port_pairs` whose host is ``$[env:AEM_PROXY_HOST…]``, in order."""
    if not may_contain(source, PROXY_VARIABLE):
        return ()  # no proxy placeholder anywhere in the file
    return tuple(p for p in host_port_pairs(cfg, source) if p.proxied)


def effective_proxied(
    project: Project, service: str, env_type: str
) -> list[tuple[OsgiConfig, tuple[HostPort, ...]]]:
    """The configurations of ``project.effective_configs(service, env_type)`` (same order) that
    have :func:`proxied_pairs` (with the file's text as source), with those pairs.

    Computed once per project: rules ask for every environment, service and environment type,
    and most configurations have none. (Kept by the project, not by each configuration: a pair
    refers to its configuration, and a cycle would keep the model alive after its last use.)
    """

    def make(p: Project) -> list[tuple[OsgiConfig, tuple[HostPort, ...]]]:
        by_config = _proxied_by_config(p)
        return [
            (cfg, by_config[id(cfg)])
            for cfg in p.effective_configs(service, env_type)
            if id(cfg) in by_config
        ]

    return project.memo(("effective_proxied", service, env_type), make)


def _proxied_by_config(project: Project) -> dict[int, tuple[HostPort, ...]]:
    """``id(cfg)`` -> its non-empty proxied pairs, for the project's configurations (alive as
    long as the project, which holds this map)."""
    return project.memo(
        "proxied_by_config",
        lambda p: {
            id(cfg): pairs
            for cfg in p.configs
            if _may_be_proxied(cfg, p.texts.get(cfg.path))
            and (pairs := proxied_pairs(cfg, p.texts.get(cfg.path)))
        },
    )


def _may_be_proxied(cfg: OsgiConfig, source: str | None) -> bool:
    """Whether ``cfg`` can have a proxied pair: any ``AEM_PROXY_HOST`` placeholder at all.

    Kept on the configuration as a yes/no (the pairs refer to their configuration: kept there,
    they would make a cycle), so a language-server edit re-scans only the edited file."""
    return cfg.memo(
        "has-proxy-placeholder",
        lambda c: (
            may_contain(source, PROXY_VARIABLE)
            and any(
                ph.name == PROXY_VARIABLE
                for prop in c.properties
                for scalar in prop.values
                for ph in scalar.placeholders
            )
        ),
    )
