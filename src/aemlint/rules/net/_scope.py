"""Shared by the NET rules: how a host is shown, which environments a networking document
serves, and where an environment-scoped NET finding holds."""

from __future__ import annotations

import re

from aemlint.model.cloud_manager import NetworkingSource
from aemlint.model.occurrences import Occurrence as BaseOccurrence
from aemlint.model.project import Project

HTTP_PORTS = frozenset({80, 443})
_SHOWABLE = re.compile(r"[A-Za-z0-9.\-\[\]:_]{1,253}")


def show_host(host: str) -> str:
    """A host for a message: itself when it looks like a host name or an address."""
    return repr(host) if _SHOWABLE.fullmatch(host) else "a literal host"


def environments_of(project: Project, doc: NetworkingSource) -> tuple[str, ...]:
    """The explicit environments whose advanced networking is ``doc`` (none in implicit mode)."""
    return tuple(sorted(e.name for e in project.environments if e.explicit and doc in e.networking))


class Occurrence(BaseOccurrence):
    """A NET finding's location; ``where()`` names the environments."""

    def where(self) -> str:
        if self.implicit:
            return "in the project"
        label = "environment" if len(self.envs) == 1 else "environments"
        return f"in {label} {', '.join(self.environments)}"


occurrence = Occurrence.at
