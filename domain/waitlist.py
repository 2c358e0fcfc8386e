"""The waitlist: a client asks to be told when a trainer has room.

`JoinWaitlist` puts a client on a trainer's waitlist (or any trainer's, with
`trainer_id` None) for a point in time, a range, or "whenever". Authorization
is the matrix's `join_waitlist`: the client themselves, a trainer for their
own clients, managers for the studio. Joining the same wish twice changes
nothing (and writes no audit entry), so a repeated message is harmless;
`Undo` withdraws an entry (status `cancelled`). `waiting_for` lists, first
come first, the entries a freed slot could serve — what a cancellation
notice to waiting clients (the reminders issue) will read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from domain import audit
from domain.authz import require_person
from domain.errors import InvalidInput
from domain.handlers.common import get_client, get_trainer
from domain.handlers.undo import inverse
from domain.model import AuditEntry, Person, WaitlistEntry, WaitlistStatus
from domain.store import UnitOfWork, handles
from domain.timeutil import to_utc

ENTITY = "waitlist_entry"
# (desired start, period start, period end) as UTC instants.
Wish = tuple[datetime | None, datetime | None, datetime | None]


@dataclass(frozen=True)
class JoinWaitlist:
    """Wait for a slot: at `start` (a point), within [`period_start`, `period_end`), or whenever (neither)."""

    client_id: uuid.UUID
    trainer_id: uuid.UUID | None = None
    start: datetime | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None


def _wish(uow: UnitOfWork, cmd: JoinWaitlist) -> Wish:
    """The wish as UTC instants, refusing past times and empty ranges (nothing is stored for those)."""
    start = to_utc(cmd.start, "time") if cmd.start is not None else None
    if (cmd.period_start is None) != (cmd.period_end is None):
        raise InvalidInput("A waitlist period needs both a beginning and an end.")
    first = to_utc(cmd.period_start, "beginning") if cmd.period_start is not None else None
    last = to_utc(cmd.period_end, "end") if cmd.period_end is not None else None
    if start is not None and start <= uow.now:
        raise InvalidInput("That time has already passed; the waitlist is for times still to come.")
    if first is not None and last is not None:
        if last <= first:
            raise InvalidInput("The end of the period must come after its beginning.")
        if last <= uow.now:
            raise InvalidInput("That period has already passed; the waitlist is for times still to come.")
    return start, first, last


def _same_wish(
    uow: UnitOfWork, client_id: uuid.UUID, trainer_id: uuid.UUID | None, wish: Wish
) -> WaitlistEntry | None:
    start, first, last = wish
    trainer = (
        WaitlistEntry.trainer_id.is_(None) if trainer_id is None else WaitlistEntry.trainer_id == trainer_id
    )

    def same(column: Any, value: datetime | None) -> Any:
        return column.is_(None) if value is None else column == value

    return uow.db.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.client_id == client_id,
            WaitlistEntry.status == WaitlistStatus.WAITING.value,
            trainer,
            same(WaitlistEntry.desired_start, start),
            same(WaitlistEntry.period_start, first),
            same(WaitlistEntry.period_end, last),
        )
    ).first()


@handles(JoinWaitlist)
def join_waitlist(uow: UnitOfWork, cmd: JoinWaitlist) -> WaitlistEntry:
    """Add the entry (one audit entry), or return the identical one already waiting (no entry)."""
    client = get_client(uow, cmd.client_id)
    require_person(uow.db, uow.actor, "join_waitlist", client)
    trainer: Person | None = get_trainer(uow, cmd.trainer_id) if cmd.trainer_id is not None else None
    wish = _wish(uow, cmd)
    trainer_id = trainer.id if trainer is not None else None
    existing = _same_wish(uow, client.id, trainer_id, wish)
    if existing is not None:
        return existing
    start, first, last = wish
    entry = WaitlistEntry(
        studio_id=uow.actor.studio_id,
        client_id=client.id,
        trainer_id=trainer_id,
        desired_start=start,
        period_start=first,
        period_end=last,
        status=WaitlistStatus.WAITING.value,
        created_by_id=uow.actor.person_id,
        created_at=uow.now,
    )
    uow.db.add(entry)
    uow.db.flush()
    audit.record(uow.db, uow.actor, "join_waitlist", ENTITY, entry.id, None, audit.snapshot(entry))
    return entry


@inverse("join_waitlist")
def _undo_join_waitlist(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    entry = uow.db.get(WaitlistEntry, uuid.UUID(target.entity_id))
    if entry is None:
        return None, None, "That waitlist entry no longer exists."
    before = audit.snapshot(entry)
    entry.status = WaitlistStatus.CANCELLED.value
    uow.db.flush()
    return before, audit.snapshot(entry), "I've taken you off that waitlist."


def waiting_for(uow: UnitOfWork, trainer_id: uuid.UUID, start: datetime) -> list[WaitlistEntry]:
    """Waiting entries a free slot of this trainer at `start` could serve, oldest first.

    An entry matches when it names this trainer or any trainer, and its wish
    is that exact time, a range containing the slot's start, or no time at all.
    No authorization: the caller (the scheduler, as the system) decides who is told.
    """
    start = to_utc(start)
    wish = or_(
        and_(
            WaitlistEntry.desired_start.is_(None),
            WaitlistEntry.period_start.is_(None),
        ),
        WaitlistEntry.desired_start == start,
        and_(WaitlistEntry.period_start <= start, WaitlistEntry.period_end > start),
    )
    return list(
        uow.db.scalars(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.studio_id == uow.actor.studio_id,
                WaitlistEntry.status == WaitlistStatus.WAITING.value,
                or_(WaitlistEntry.trainer_id == trainer_id, WaitlistEntry.trainer_id.is_(None)),
                wish,
            )
            .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        )
    )
