"""Unique Cloud Manager secret names for the hardcoded secrets a fix moves out of Git (SPEC §4).

:func:`~aemlint.model.secrets.secret_variable_name` derives a name from the PID's last segment
and the property; two different configurations can derive the same one (``com.a.MailImpl`` and
``com.b.MailImpl``, or two instances of one factory). One name must mean one secret, so within
a project each (configuration identity, property) with a hardcoded secret gets its own name:
the first in sorted order keeps the derived name, the next ones get ``_2``, ``_3``… The same
PID in several run-mode folders is one identity, so it shares one name (the value differs per
environment, which is what Cloud Manager variables are for).
"""

from __future__ import annotations

from collections.abc import Callable

from aemlint.model.osgi import OsgiConfig
from aemlint.model.project import Project
from aemlint.model.secrets import classify_value, secret_variable_name
from aemlint.types import Secret

__all__ = ["unique_secret_name"]

_Identity = tuple[str, str]


def _hardcoded_names(cfg: OsgiConfig, is_secret: Callable[[str], bool]) -> tuple[str, ...]:
    """The secret-named properties of ``cfg`` holding a literal (once per configuration and
    secret-name function: in the language server an unchanged file keeps it across edits)."""
    return cfg.memo(
        ("hardcoded-secret-names", is_secret), lambda c: tuple(_hardcoded(c, is_secret))
    )


def _hardcoded(cfg: OsgiConfig, is_secret: Callable[[str], bool]) -> list[str]:
    names = []
    for prop in cfg.properties:
        if not is_secret(prop.name):
            continue
        for scalar in prop.values:
            value = scalar.value
            if isinstance(value, Secret) and (
                classify_value(value.reveal(), scalar.is_placeholder_only) == "literal"
            ):
                names.append(prop.name)
                break
    return names


def _table(project: Project, is_secret: Callable[[str], bool]) -> dict[_Identity, str]:
    # Once per project, kept by the project itself (a module-level reference kept the last
    # project, all of its model, alive until the interpreter's final collection).
    return project.memo("unique_secret_names", lambda p: _make_table(p, is_secret))


def _make_table(project: Project, is_secret: Callable[[str], bool]) -> dict[_Identity, str]:
    groups: dict[str, set[_Identity]] = {}
    for cfg in project.configs:
        for prop in _hardcoded_names(cfg, is_secret):
            base = secret_variable_name(cfg.place.service_pid, prop)
            groups.setdefault(base, set()).add((cfg.place.key, prop.lower()))
    taken = set(groups)
    table: dict[_Identity, str] = {}
    for base, identities in groups.items():
        for index, identity in enumerate(sorted(identities)):
            name = base
            n = index + 1
            while index and (name == base or name in taken):
                n += 1
                suffix = f"_{n}"
                name = base[: 100 - len(suffix)] + suffix
            taken.add(name)
            table[identity] = name
    return table


def unique_secret_name(
    project: Project, cfg: OsgiConfig, prop: str, is_secret: Callable[[str], bool]
) -> str:
    """The secret variable name for ``prop`` of ``cfg``, unique in ``project``."""
    derived = secret_variable_name(cfg.place.service_pid, prop)
    return _table(project, is_secret).get((cfg.place.key, prop.lower()), derived)
