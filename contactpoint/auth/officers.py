"""A case officer as a session holds one: who, for which agency, in which role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["officer", "supervisor"]
ROLES: tuple[Role, ...] = ("officer", "supervisor")


@dataclass(frozen=True)
class Officer:
    """A person who handles one agency's case steps."""

    id: str
    agency: str
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How decisions and the audit trail name this officer."""
        return f"officer:{self.id}"

    @property
    def is_supervisor(self) -> bool:
        """Supervisors reassign steps, retry failed ones and read the audit trail."""
        return self.role == "supervisor"
