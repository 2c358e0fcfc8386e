"""A trainer's free slots in a range: working hours minus sessions minus time off.

The computation is `domain.availability.free_slots` (the same one booking
uses to offer alternatives); this wraps it with `view_availability` and
turns date bounds into the studio's midnights.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from domain import availability
from domain.authz import require_role
from domain.errors import InvalidInput, NotFound
from domain.model import Person, Role
from domain.queries.period import Bound, aware
from domain.store import UnitOfWork


def free_slots(
    uow: UnitOfWork,
    trainer_id: uuid.UUID,
    start: Bound,
    end: Bound,
    duration_minutes: int | None = None,
    step_minutes: int = 30,
) -> list[datetime]:
    """Start times in [start, end) (aware, in the studio's zone) where a session of that length fits."""
    require_role(uow.actor, "view_availability")
    trainer = uow.db.get(Person, trainer_id)
    if trainer is None or trainer.studio_id != uow.actor.studio_id or Role.TRAINER not in trainer.roles:
        raise NotFound("I can't find that trainer.")
    zone = uow.studio.zone
    first, last = aware(start, zone), aware(end, zone)
    if last <= first:
        raise InvalidInput("The end of the range must come after its start.")
    return availability.free_slots(
        uow.db, uow.studio, trainer_id, first, last, duration_minutes, step_minutes=step_minutes
    )
