"""OSGi configurations in the model: where a file sits (its place) and what it holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal, TypeVar

from aemlint.parsing.values import ParsedConfig, Placeholder, Property, Scalar

T = TypeVar("T")

Form = Literal["cfg.json", "config", "cfg", "xml"]
Area = Literal["apps", "libs"]

#: The property types whose values the platform interpolates (``$[env:…]``, ``$[secret:…]``):
#: the Felix interpolation plugin substitutes placeholders in strings only.
INTERPOLATED_TYPES = ("String", "String[]")


@dataclass(frozen=True, slots=True)
class ConfigPlace:
    """What a configuration's path says about it (no parsing involved).

    ``app_root`` is the folder holding the ``config*``/``install*`` folder; ``folder`` that
    folder's name (``config.author.dev``); ``run_modes`` the names after the first dot, in file
    order; ``supported`` is True only for the 15 AEMaaCS folders (in the documented order).
    ``pid`` is the full identity as written (``factory~name`` for factory configurations),
    ``factory_pid``/``name`` are set for factory configurations; ``dash_factory`` is True when
    the factory PID was split at the first ``-`` (legacy naming, no ``~``).
    """

    form: Form
    area: Area
    app_root: PurePosixPath
    folder: str
    folder_kind: Literal["config", "install"]
    run_modes: tuple[str, ...]
    supported: bool
    pid: str
    factory_pid: str | None
    name: str | None
    dash_factory: bool = False

    @property
    def key(self) -> str:
        """Identity used for run-mode resolution: PID, or ``factoryPid~name``."""
        return f"{self.factory_pid}~{self.name}" if self.factory_pid is not None else self.pid

    @property
    def service_pid(self) -> str:
        """The PID a rule filters on: the factory PID for factory configurations."""
        return self.factory_pid if self.factory_pid is not None else self.pid


@dataclass(frozen=True, slots=True)
class OsgiConfig:
    """One OSGi configuration file of the project, parsed."""

    path: PurePosixPath
    place: ConfigPlace
    parsed: ParsedConfig
    _by_name: dict[str, Property] = field(init=False, repr=False, compare=False)
    #: Facts derived from this configuration alone, computed once for every rule that asks
    #: (see :meth:`memo`). Never holds a revealed secret.
    _memo: dict[object, object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Property] = {}
        for prop in self.parsed.properties:
            by_name.setdefault(prop.name.lower(), prop)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_memo", {})

    def memo(self, key: object, make: Callable[[OsgiConfig], T]) -> T:
        """``make(self)``, computed once per configuration and ``key``.

        For pure facts derived from the configuration (and what ``key`` names, e.g. the file's
        text, which its parse implies): every rule asking gets the same object, so callers must
        not mutate it. In the language server an unchanged file keeps its configuration object
        from one build to the next, so what is memoized here outlives the project: never store
        anything that depends on other files or on what ``key`` does not name, nor anything
        that refers to the configuration itself (a cycle). Never use it for anything holding a
        revealed secret.
        """
        try:
            return self._memo[key]  # type: ignore[return-value]
        except KeyError:
            value = self._memo[key] = make(self)
            return value

    @property
    def properties(self) -> tuple[Property, ...]:
        return self.parsed.properties

    def get(self, name: str) -> Property | None:
        """The property ``name`` (case-insensitive, as the platform's dictionary is)."""
        return self._by_name.get(name.lower())

    def interpolated(self) -> Iterator[tuple[Property, Scalar, Placeholder]]:
        """Every placeholder the platform interpolates, with its property and value."""
        for prop in self.parsed.properties:
            if prop.type_name in INTERPOLATED_TYPES:
                for scalar in prop.values:
                    for ph in scalar.placeholders:
                        yield prop, scalar, ph

    @property
    def pid(self) -> str:
        return self.place.service_pid

    @property
    def key(self) -> str:
        return self.place.key
