"""Where an environment-scoped MAIL finding holds: its environments, services, environment types.

One finding per offending location; each (environment, service, environment type) where it
holds is added to that location's :class:`Occurrence`, and the message says where in words.
"""

from __future__ import annotations

from collections.abc import Iterable

from aemlint.model.occurrences import Occurrence as BaseOccurrence
from aemlint.model.runmodes import ENV_TYPES, SERVICES


class Occurrence(BaseOccurrence):
    """A MAIL finding's location; ``where()`` names environments, or environment types in
    implicit mode."""

    def where(self) -> str:
        """``in environment prod``, or in implicit mode the environment types it holds for."""
        services = self.service_names
        on = "" if len(services) == len(SERVICES) else f" on {_join(services)}"
        if self.implicit:
            types = [t for t in ENV_TYPES if t in self.env_types]
            return (
                f"where the environment is {_join(types, 'or')}{on} (environment types unknown "
                "without [[cloud-manager.environments]]: each was evaluated)"
            )
        label = "environment" if len(self.envs) == 1 else "environments"
        return f"in {label} {', '.join(self.environments)}{on}"


def _join(words: Iterable[str], last: str = "and") -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


occurrence = Occurrence.at
