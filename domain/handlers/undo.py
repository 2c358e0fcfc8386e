"""Handler: undo — reverse the actor's latest change that is not undone yet.

The target is the actor's newest audit entry that is neither an undo nor
already undone; repeated undo walks further back. Each action has an inverse
(registered with `@inverse("action")`, so other areas can add theirs): restore
the `before` fields of a session or person, cancel a created session with
reason "undone" (its credit is released by the same `reconcile` every command
uses), remove a sold package's credits with a ledger entry, remove a tag, and
so on. The undo writes one audit entry (action "undo", `undoes_id` = the
target). An entity that someone else changed since is not rolled back over
their change: that refusal is a Conflict with a sentence.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Time, Uuid, exists, inspect, select
from sqlalchemy.orm import aliased

from domain import audit
from domain.commands import Undo, UndoResult
from domain.errors import Conflict, DoubleBooking, NothingToUndo
from domain.handlers.common import settle_session, touch
from domain.handlers.people import hours_snapshot, person_snapshot
from domain.ledger import SALE_UNDONE, balance
from domain.model import (
    FREE_STATUSES,
    AuditEntry,
    Base,
    ChatIdentity,
    ClientTag,
    LedgerEntry,
    LinkCode,
    Package,
    Person,
    SessionNote,
    SessionStatus,
    TimeOff,
    TrainingSession,
    WorkingHours,
)
from domain.model.types import Money, UTCDateTime
from domain.store import UnitOfWork, handles
from domain.timeutil import clock_range, day_words, when_words

# An inverse applies the reversal and returns (before, after, summary) for the undo's audit entry.
Inverse = Callable[[UnitOfWork, AuditEntry], tuple[Any, Any, str]]
INVERSES: dict[str, Inverse] = {}


def inverse(*actions: str) -> Callable[[Inverse], Inverse]:
    def register(fn: Inverse) -> Inverse:
        for action in actions:
            INVERSES[action] = fn
        return fn

    return register


def latest_undoable(uow: UnitOfWork) -> AuditEntry | None:
    later = aliased(AuditEntry)
    actor_clause = (
        AuditEntry.actor_id.is_(None)
        if uow.actor.person_id is None
        else AuditEntry.actor_id == uow.actor.person_id
    )
    return uow.db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.studio_id == uow.actor.studio_id,
            actor_clause,
            AuditEntry.action != "undo",
            ~exists().where(later.undoes_id == AuditEntry.id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def changed_since_by_others(uow: UnitOfWork, target: AuditEntry) -> AuditEntry | None:
    later = aliased(AuditEntry)
    return uow.db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity_type == target.entity_type,
            AuditEntry.entity_id == target.entity_id,
            AuditEntry.id > target.id,
            AuditEntry.action != "undo",
            ~exists().where(later.undoes_id == AuditEntry.id),
        )
        .order_by(AuditEntry.id)
        .limit(1)
    ).first()


@handles(Undo)
def undo(uow: UnitOfWork, cmd: Undo) -> UndoResult:
    target = latest_undoable(uow)
    if target is None:
        raise NothingToUndo("There is nothing of yours to undo.")
    reverse = INVERSES.get(target.action)
    if reverse is None:
        raise Conflict(f"Your last change ({target.action.replace('_', ' ')}) can't be undone.")
    since = changed_since_by_others(uow, target)
    if since is not None:
        who = uow.db.get(Person, since.actor_id) if since.actor_id else None
        name = who.full_name if who else "someone else"
        raise Conflict(f"{name} has changed that since, so I can't undo your last change.")
    before, after, summary = reverse(uow, target)
    uow.db.flush()
    entry = audit.record(
        uow.db,
        uow.actor,
        "undo",
        target.entity_type,
        target.entity_id,
        before,
        after,
        reason=f"undo {target.action}",
        undoes_id=target.id,
    )
    uow.db.flush()
    return UndoResult(entry.id, target.id, target.action, target.entity_type, target.entity_id, summary)


# --- restoring columns from a snapshot --------------------------------------------------------------


def from_json(column_type: Any, value: Any) -> Any:
    """Undo `audit.jsonable` for one column value."""
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime | DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Uuid):
        return uuid.UUID(value)
    if isinstance(column_type, Money):
        return Decimal(value)
    if isinstance(column_type, Time):
        return time.fromisoformat(value)
    return value


def restore(row: Base, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    columns = inspect(row).mapper.columns
    for name in fields:
        if name in data:
            setattr(row, name, from_json(columns[name].type, data[name]))


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


# --- people -----------------------------------------------------------------------------------------

PERSON_FIELDS = ("full_name", "email", "phone", "primary_trainer_id", "notes", "active")


def _person(uow: UnitOfWork, target: AuditEntry) -> Person:
    person = uow.db.get(Person, _uuid(target.entity_id))
    if person is None:
        raise Conflict("That person no longer exists, so there is nothing to undo.")
    return person


@inverse("add_person")
def _undo_add_person(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    """People are not deleted (sessions and the audit trail name them): they are made inactive."""
    person = _person(uow, target)
    before = person_snapshot(person)
    person.active = False
    uow.db.flush()
    return before, person_snapshot(person), f"I've undone adding {person.full_name} (now inactive)."


@inverse("update_person")
def _undo_update_person(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    person = _person(uow, target)
    before = person_snapshot(person)
    restore(person, target.before or {}, PERSON_FIELDS)
    uow.db.flush()
    return before, person_snapshot(person), f"I've undone the change to {person.full_name}."


@inverse("link_identity", "redeem_link_code")
def _undo_link(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    identity = uow.db.get(ChatIdentity, _uuid(target.entity_id))
    before = audit.snapshot(identity)
    if identity is not None:
        uow.db.delete(identity)
    return before, None, f"I've unlinked that {(target.after or {}).get('channel', 'chat')} account."


@inverse("issue_link_code")
def _undo_issue_link_code(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    link = uow.db.get(LinkCode, _uuid(target.entity_id))
    if link is None:
        return None, None, "That invitation code no longer exists."
    before = {"revoked_at": link.revoked_at, "used_at": link.used_at}
    link.revoked_at = uow.now
    return (
        before,
        {"revoked_at": link.revoked_at, "used_at": link.used_at},
        "I've withdrawn that invitation code.",
    )


@inverse("set_working_hours")
def _undo_set_working_hours(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    trainer_id = _uuid(target.entity_id)
    before = {"hours": hours_snapshot(uow.db, trainer_id)}
    for row in uow.db.scalars(select(WorkingHours).where(WorkingHours.trainer_id == trainer_id)):
        uow.db.delete(row)
    uow.db.flush()
    for weekday, start, end in (target.before or {}).get("hours", []):
        uow.db.add(
            WorkingHours(
                trainer_id=trainer_id,
                weekday=weekday,
                start_time=time.fromisoformat(start),
                end_time=time.fromisoformat(end),
            )
        )
    uow.db.flush()
    return (
        before,
        {"hours": hours_snapshot(uow.db, trainer_id)},
        "I've put the working hours back as they were.",
    )


@inverse("add_time_off")
def _undo_add_time_off(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    off = uow.db.get(TimeOff, _uuid(target.entity_id))
    before = audit.snapshot(off)
    if off is not None:
        uow.db.delete(off)
    return before, None, "I've removed that time off."


@inverse("tag_client")
def _undo_tag_client(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    client = _person(uow, target)
    before = {"tags": client.tags}
    wanted = set((target.before or {}).get("tags", []))
    for row in list(client.tag_rows):
        if row.tag not in wanted:
            client.tag_rows.remove(row)
    for tag in sorted(wanted - set(client.tags)):
        client.tag_rows.append(ClientTag(person_id=client.id, tag=tag))
    uow.db.flush()
    removed = sorted(set(before["tags"]) - wanted)
    what = f"the tag “{removed[0]}”" if len(removed) == 1 else "that tag"
    return before, {"tags": client.tags}, f"I've removed {what} from {client.full_name}."


# --- packages ---------------------------------------------------------------------------------------


@inverse("sell_package")
def _undo_sell_package(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    """The sale's credits are taken back by a ledger entry; sessions already drawing on it keep their hold."""
    package = uow.db.get(Package, _uuid(target.entity_id))
    if package is None:
        raise Conflict("That package no longer exists, so there is nothing to undo.")
    before = {"balance": balance(uow.db, package.client_id)}
    uow.db.add(
        LedgerEntry(
            package_id=package.id,
            client_id=package.client_id,
            delta=-package.credits,
            reason=SALE_UNDONE,
            created_at=uow.now,
        )
    )
    uow.db.flush()
    client = uow.db.get(Person, package.client_id)
    name = client.full_name if client else "the client"
    return (
        before,
        {"balance": balance(uow.db, package.client_id)},
        f"I've undone the sale of {package.credits} sessions to {name}.",
    )


# --- sessions ---------------------------------------------------------------------------------------

SESSION_FIELDS = (
    "status",
    "start_at",
    "end_at",
    "start_local",
    "duration_minutes",
    "session_type",
    "substitute_for_id",
    "location_id",
    "price",
    "package_id",
    "holds_credit",
    "late_cancel",
    "dispute_upheld",
    "cancel_reason",
    "validated_at",
    "validated_by_id",
    "slot_id",
    "trainer_id",
)

ACTION_WORDS = {
    "log_session": "logging",
    "book_session": "booking",
    "cancel_session": "cancelling",
    "reschedule_session": "moving",
    "mark_no_show": "marking as a no-show",
    "validate_session": "confirming",
    "dispute_session": "disputing",
    "resolve_dispute": "resolving the dispute on",
}


def describe(uow: UnitOfWork, session: TrainingSession) -> str:
    client = uow.db.get(Person, session.client_id)
    trainer = uow.db.get(Person, session.trainer_id)
    return (
        f"{client.full_name if client else 'the'}'s session with {trainer.full_name if trainer else 'the trainer'} "
        f"on {when_words(session.start_at, uow.studio.tz)}"
    )


@inverse(*ACTION_WORDS)
def _undo_session(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    session = uow.db.scalars(
        select(TrainingSession).where(TrainingSession.id == _uuid(target.entity_id)).with_for_update()
    ).first()
    if session is None:
        raise Conflict("That session no longer exists, so there is nothing to undo.")
    before = audit.snapshot(session)
    words = f"I've undone {ACTION_WORDS[target.action]} {describe(uow, session)}"
    if target.before is None:  # created by the command: cancel it, releasing its credit
        session.status = SessionStatus.CANCELLED.value
        session.late_cancel = False
        session.cancel_reason = "undone"
        session.holds_credit = False
        words += " (it is now cancelled)"
    else:
        restore(session, target.before, SESSION_FIELDS)
        if session.status not in FREE_STATUSES:
            _refuse_overlap(uow, session)
    touch(uow, session)
    after = settle_session(uow, session, before, recompute_credit=False)
    return before, after, words + "."


def _refuse_overlap(uow: UnitOfWork, session: TrainingSession) -> None:
    """The pre-check before the restored row is flushed (the DB constraint would refuse it less kindly)."""
    with uow.db.no_autoflush:
        _check_overlap(uow, session)


def _check_overlap(uow: UnitOfWork, session: TrainingSession) -> None:
    taken = uow.db.scalars(
        select(TrainingSession)
        .where(
            TrainingSession.trainer_id == session.trainer_id,
            TrainingSession.id != session.id,
            TrainingSession.slot_id != session.slot_id,
            TrainingSession.status.not_in(FREE_STATUSES),
            TrainingSession.start_at < session.end_at,
            TrainingSession.end_at > session.start_at,
        )
        .limit(1)
    ).first()
    if taken is not None:
        trainer = uow.db.get(Person, taken.trainer_id)
        client = uow.db.get(Person, taken.client_id)
        tz = uow.studio.tz
        raise DoubleBooking(
            f"I can't undo that: {trainer.full_name if trainer else 'the trainer'} now has a session "
            f"{clock_range(taken.start_at, taken.end_at, tz)} with {client.full_name if client else 'a client'} "
            f"on {day_words(taken.start_at, tz)}."
        )


@inverse("add_note")
def _undo_add_note(uow: UnitOfWork, target: AuditEntry) -> tuple[Any, Any, str]:
    note = uow.db.get(SessionNote, _uuid(target.entity_id))
    before = audit.snapshot(note)
    if note is not None:
        uow.db.delete(note)
    return before, None, "I've removed that note."
