"""Cloud Manager settings kept as code: port forwards, variables, and the environments they form.

SPEC §2: with ``[[cloud-manager.environments]]`` (explicit mode) an environment's forwards are
those of its ``advanced-networking`` file and its variables those of its ``variables`` files plus
every ``aio … set-variables`` command whose environment-id argument is a literal equal to its
``id``. Without it (implicit mode) every discovered networking document and variables source is
pooled into one environment named ``default`` of unknown type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal, Protocol

from aemlint.types import Secret, Span

if TYPE_CHECKING:
    from aemlint.model.networking_schema import SchemaIssue

ENV_TYPES = ("dev", "stage", "prod", "rde")
Origin = Literal["file", "list-variables", "api-export", "command"]


@dataclass(frozen=True, slots=True)
class Forward:
    """One valid ``portForwards`` entry (NET006 drops the others); ``index`` is its position
    in the document's array."""

    path: PurePosixPath
    index: int
    span: Span
    name: str | None
    port_dest: int | None
    port_orig: int | None
    port_orig_span: Span | None
    name_span: Span | None = None
    port_dest_span: Span | None = None


@dataclass(frozen=True, slots=True)
class NetworkingSource:
    """An advanced-networking document of the project (parsed; broken ones have no forwards).

    ``forwards`` holds only the entries valid under the API schema; ``invalid`` the schema
    violations (NET006), whose entries were skipped.
    """

    path: PurePosixPath
    forwards: tuple[Forward, ...]
    declares_forwards: bool  # a ``portForwards`` key exists, even ``[]``
    forwards_span: Span | None  # the ``portForwards`` key: the related location of NET001
    non_proxy_hosts: tuple[tuple[str, Span], ...] = ()
    invalid: tuple[SchemaIssue, ...] = ()


@dataclass(frozen=True, slots=True)
class VariableSetting:
    """A variable set (or deleted) by a Cloud Manager source: a file, an export or a command."""

    name: str
    name_span: Span
    path: PurePosixPath
    value: str | Secret | None
    runtime: bool  # provided at run time (an expansion), not a literal in the repository
    type: str  # "string", "secretString", or the raw text of an unknown type
    service: str | None
    origin: Origin
    environment_id: str | None = None  # a command's literal environment-id argument
    deleted: bool = False
    value_span: Span | None = None
    type_span: Span | None = None  # where the source gives the type (variables files, exports)
    service_span: Span | None = None  # where the source gives the service

    @property
    def services(self) -> tuple[str, ...]:
        """The service the setting applies to, for a finding's ``services`` (all when none)."""
        return (self.service,) if self.service else ()


class EnvironmentSpec(Protocol):
    """What the configuration says of one environment (``[[cloud-manager.environments]]``)."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def id(self) -> str | None: ...
    @property
    def advanced_networking(self) -> str | None: ...
    @property
    def variables(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Environment:
    """A Cloud Manager environment as the rules see it.

    ``type`` is None in implicit mode (unknown: rules evaluate every environment type).
    """

    name: str
    type: str | None
    id: str | None
    explicit: bool
    networking: tuple[NetworkingSource, ...]
    variables: tuple[VariableSetting, ...]

    @property
    def env_types(self) -> tuple[str, ...]:
        return (self.type,) if self.type is not None else ENV_TYPES

    @property
    def declares_forwards(self) -> bool:
        return any(n.declares_forwards for n in self.networking)

    @property
    def declares_variables(self) -> bool:
        """The environment's variables are declared, not only set by scripts: explicit mode,
        with at least one variables file or export (SPEC §2: VAR006 never in implicit mode)."""
        return self.explicit and any(v.origin != "command" for v in self.variables)

    @property
    def forwards(self) -> tuple[Forward, ...]:
        return tuple(f for n in self.networking for f in n.forwards)

    @property
    def port_origs(self) -> frozenset[int]:
        return frozenset(
            f.port_orig for n in self.networking for f in n.forwards if f.port_orig is not None
        )

    def values(self, service: str) -> dict[str, str]:
        """Literal, non-secret values of the variables for ``service`` (service-specific wins)."""
        out: dict[str, str] = {}
        for wanted in (None, service):
            for v in self.variables:
                live = v.service == wanted and not v.deleted and not v.runtime
                if live and isinstance(v.value, str):
                    out[v.name] = v.value
        return out


def implicit_environment(
    networking: Sequence[NetworkingSource], variables: Sequence[VariableSetting]
) -> Environment:
    return Environment("default", None, None, False, tuple(networking), tuple(variables))


def explicit_environments(
    specs: Iterable[EnvironmentSpec],
    networking: dict[PurePosixPath, NetworkingSource],
    variables: dict[PurePosixPath, tuple[VariableSetting, ...]],
    commands: Sequence[VariableSetting],
) -> tuple[Environment, ...]:
    """Environments of the configuration, each with its own files and its commands."""
    out = []
    for spec in specs:
        nets = (
            (networking[PurePosixPath(spec.advanced_networking)],)
            if spec.advanced_networking and PurePosixPath(spec.advanced_networking) in networking
            else ()
        )
        own = [v for path in spec.variables for v in variables.get(PurePosixPath(path), ())]
        own += [c for c in commands if spec.id is not None and c.environment_id == spec.id]
        out.append(Environment(spec.name, spec.type, spec.id, True, nets, tuple(own)))
    return tuple(out)
