"""Who is acting: the person, their roles in the studio, and the channel they came through.

Every command and query takes an Actor, so authorization and the audit trail
have one source. `Actor.system` is the operator at the command line or the
scheduler: an admin of the studio without a person record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from domain.model import Person, Role


@dataclass(frozen=True)
class Actor:
    studio_id: uuid.UUID
    person_id: uuid.UUID | None
    roles: frozenset[Role] = field(default_factory=frozenset)
    channel: str = "cli"
    name: str = "system"

    @classmethod
    def of(cls, person: Person, channel: str = "cli") -> Actor:
        return cls(person.studio_id, person.id, person.roles, channel, person.full_name)

    @classmethod
    def system(cls, studio_id: uuid.UUID, channel: str = "cli") -> Actor:
        return cls(studio_id, None, frozenset({Role.ADMIN}), channel, "system")

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_manager(self) -> bool:
        """Managers and admins see and change the whole studio."""
        return bool(self.roles & {Role.ADMIN, Role.MANAGER})

    @property
    def is_trainer(self) -> bool:
        return Role.TRAINER in self.roles

    @property
    def is_client(self) -> bool:
        return Role.CLIENT in self.roles
