"""Handlers: sessions — log, book, cancel, reschedule, no-show, validate, dispute, resolve, notes.

Each one: load and authorize, check the move is allowed from the session's
status, change the row, then `finish_session_change` (credit, ledger, the one
audit entry, commissions). Double booking is checked before the insert for a
sentence people can read — or, when logging, in the insert itself (the common
case, a free trainer, in one statement), the sentence found only when it
refused; the database constraint stays the safety net.

Creating a session is the hot path (trainers log every session), so it reads
with Core selects of just the columns it needs (`people_view`, the studio
policy, `overlapping`, `usable_package`) and writes with Core inserts; the
statements are built once, at import.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, bindparam, exists, select
from sqlalchemy.orm import make_transient_to_detached

from domain import audit
from domain.actor import Actor
from domain.authz import OWN_SESSIONS, SELF, STUDIO, refuse, require_role, require_session
from domain.availability import fits_working_hours, nearest_free_slots, time_off_during
from domain.commands import (
    AddNote,
    BookSession,
    CancelSession,
    DisputeSession,
    LogSession,
    MarkNoShow,
    RescheduleSession,
    ResolveDispute,
    ValidateSession,
)
from domain.errors import Conflict, DoubleBooking, InvalidInput, NoCredit
from domain.handlers.common import (
    NO_ID,
    PersonView,
    finish_session_change,
    get_client,
    get_location,
    get_session,
    get_trainer,
    people_view,
    require_client,
    require_trainer,
    touch,
    view_of,
)
from domain.ledger import PackageChoice, usable_package
from domain.model import (
    FREE_STATUSES,
    MAX_SESSION_MINUTES,
    Location,
    Package,
    Person,
    SessionNote,
    SessionStatus,
    SessionType,
    Studio,
    TrainingSession,
)
from domain.policy import StudioPolicy, holds_credit, is_late_cancel, require_status
from domain.store import UnitOfWork, handles
from domain.timeutil import clock_range, day_words, local_naive, to_utc, when_words

S = SessionStatus
MIN_MINUTES, MAX_MINUTES = 5, MAX_SESSION_MINUTES
MAX_NOTE = 4000


# --- checks shared by log, book and reschedule ---------------------------------------------------


def require_new_session(actor: Actor, action: str, trainer_id: uuid.UUID, client_id: uuid.UUID) -> None:
    """A trainer creates only sessions they deliver; a client only their own; managers anything."""
    for scope in require_role(actor, action):
        if scope == STUDIO:
            return
        if scope == OWN_SESSIONS and actor.person_id == trainer_id:
            return
        if scope == SELF and actor.person_id == client_id:
            return
    raise refuse(action)


def duration_of(studio: Studio | StudioPolicy, minutes: int | None) -> int:
    value = studio.default_session_minutes if minutes is None else minutes
    if not isinstance(value, int) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise InvalidInput(f"A session lasts between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours.")
    return value


def session_type_of(value: str) -> str:
    try:
        return SessionType((value or "standard").lower()).value
    except ValueError as error:
        kinds = ", ".join(t.value for t in SessionType)
        raise InvalidInput(f"“{value}” isn't a kind of session here ({kinds}).") from error


_sessions = TrainingSession.__table__


def _occupying(other: Any, trainer_id: Any, slot_id: Any, start: Any, end: Any, ignore_id: Any) -> list[Any]:
    """The database's double-booking rule as a WHERE clause on `other`.

    A session of the trainer, not cancelled or disputed, outside the given
    group slot, that overlaps [start, end). Built once per statement, from
    bind parameters.
    """
    return [
        other.c.trainer_id == trainer_id,
        # `!=` per status rather than NOT IN: a list renders the SQL anew on every run
        *(other.c.status != status for status in FREE_STATUSES),
        other.c.slot_id != slot_id,
        other.c.start_at < end,
        other.c.end_at > start,
        # Implied by the line above, since no session lasts longer than MAX_MINUTES; it bounds the
        # (trainer_id, start_at) index scan to a few rows instead of all the trainer's past sessions.
        other.c.start_at > bindparam("earliest", type_=other.c.start_at.type),
        other.c.id != ignore_id,
    ]


_SELECT_OVERLAP = (
    select(
        _sessions.c.id, _sessions.c.client_id, _sessions.c.start_at, _sessions.c.end_at, _sessions.c.status
    )
    .where(
        *_occupying(
            _sessions,
            bindparam("trainer_id"),
            bindparam("slot_id"),
            bindparam("start"),
            bindparam("end"),
            bindparam("ignore_id"),
        )
    )
    .order_by(_sessions.c.start_at)
    .limit(1)
    .with_for_update()
)

_INSERT_SESSION = _sessions.insert()
# INSERT … SELECT <the new row> WHERE NOT EXISTS <a session occupying its time>: the common case
# of logging a session (the trainer is free) in one statement instead of a check and an insert.
_new = {column.key: bindparam(column.key, type_=column.type) for column in _sessions.c}
_other = _sessions.alias("other")
_INSERT_SESSION_UNLESS_BUSY = (
    _sessions.insert()
    .from_select(
        list(_new),
        select(*_new.values()).where(
            ~exists().where(
                *_occupying(
                    _other, _new["trainer_id"], _new["slot_id"], _new["start_at"], _new["end_at"], _new["id"]
                )
            )
        ),
    )
    .execution_options(preserve_rowcount=True)
)  # an INSERT's row count is kept only when asked for


def insert_session(uow: UnitOfWork, session: TrainingSession, unless_busy: bool = False) -> bool:
    """Write a new session (every column set by the caller) with its credit, as one Core INSERT.

    The object is built in Python, never added to the ORM session: the row
    goes in with one statement instead of a unit-of-work flush, and the object
    is then marked detached — what a caller got back before, once the command
    committed. `finish_session_change(..., before=None)` completes it.
    `unless_busy`: write nothing and return False when another session
    occupies the trainer at that time (the caller then finds out which).
    The database's own rule stays the guarantee either way.
    """
    session.holds_credit = holds_credit(session, uow.policy)
    values = {key: getattr(session, key) for key in _new}
    if unless_busy:
        values["earliest"] = session.start_at - timedelta(minutes=MAX_MINUTES)
        if uow.conn.execute(_INSERT_SESSION_UNLESS_BUSY, values).rowcount != 1:
            return False
    else:
        uow.conn.execute(_INSERT_SESSION, values)
    make_transient_to_detached(session)
    return True


def overlapping(
    conn: Connection,
    trainer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    slot_id: uuid.UUID,
    ignore_id: uuid.UUID | None,
) -> Row[Any] | None:
    """The trainer's session that occupies [start, end), outside the given group slot (the DB rule, in Python).

    A row (id, client_id, start_at, end_at, status), locked on PostgreSQL: the
    callers only compare it or name it in a sentence.
    """
    params = {
        "trainer_id": trainer_id,
        "slot_id": slot_id,
        "start": start,
        "end": end,
        "earliest": start - timedelta(minutes=MAX_MINUTES),
        "ignore_id": ignore_id or NO_ID,
    }
    return conn.execute(_SELECT_OVERLAP, params).first()


def refuse_double_booking(
    uow: UnitOfWork,
    trainer: Person | PersonView,
    start: datetime,
    end: datetime,
    slot_id: uuid.UUID,
    ignore_id: uuid.UUID | None = None,
    offer_alternatives: bool = False,
) -> None:
    taken = overlapping(uow.conn, trainer.id, start, end, slot_id, ignore_id)
    if taken is None:
        return
    tz = uow.policy.tz
    other = uow.db.get(Person, taken.client_id)
    who = other.full_name if other is not None else "a client"
    message = (
        f"{trainer.full_name} already has a session {clock_range(taken.start_at, taken.end_at, tz)} "
        f"with {who} on {day_words(taken.start_at, tz)}."
    )
    alternatives = []
    if offer_alternatives:
        alternatives = nearest_free_slots(
            uow.db,
            uow.studio,
            trainer.id,
            start,
            int((end - start).total_seconds() // 60),
            not_before=uow.now,
            ignore_session_id=ignore_id,
        )
    raise DoubleBooking(message, alternatives)


def require_bookable(uow: UnitOfWork, trainer: Person | PersonView, start: datetime, end: datetime) -> None:
    """A future time inside the trainer's working hours (when set) and outside their time off."""
    tz = uow.policy.tz
    if start <= uow.now:
        raise InvalidInput(
            f"{when_words(start, tz)} has already passed; log the session instead of booking it."
        )
    off = time_off_during(uow.db, trainer.id, start, end)
    if off is not None:
        why = f" ({off.reason})" if off.reason else ""
        raise Conflict(
            f"{trainer.full_name} is off from {when_words(off.start_at, tz)} to {when_words(off.end_at, tz)}{why}."
        )
    if not fits_working_hours(uow.db, uow.studio, trainer.id, start, end):
        raise Conflict(
            f"{trainer.full_name} doesn't work {clock_range(start, end, tz)} on {day_words(start, tz)}."
        )


def group_slot(
    uow: UnitOfWork, slot_id: uuid.UUID, trainer: Person | PersonView, start: datetime, end: datetime
) -> None:
    """Joining a group class: the slot's other sessions must be the same trainer and time."""
    other = uow.db.scalars(
        select(TrainingSession)
        .where(TrainingSession.slot_id == slot_id, TrainingSession.status.not_in(FREE_STATUSES))
        .limit(1)
    ).first()
    if other is None:
        return
    if (
        other.studio_id != uow.actor.studio_id
        or other.trainer_id != trainer.id
        or (other.start_at, other.end_at)
        != (
            start,
            end,
        )
    ):
        raise InvalidInput("That class is with another trainer or at another time.")


def price_and_package(
    uow: UnitOfWork, client: Person | PersonView, start: datetime, booking: bool
) -> tuple[PackageChoice | None, Decimal]:
    """The package the session draws on and its price snapshot; a drop-in when there is no credit."""
    package = usable_package(uow.conn, client.id, start)
    if package is not None:
        return package, package.price_per_session
    policy = uow.policy
    if booking and not policy.allow_booking_without_credit:
        raise NoCredit(
            f"{client.full_name} has no session credits left for {day_words(start, policy.tz)}; "
            "sell a package first."
        )
    return None, policy.drop_in_price


# --- creating sessions --------------------------------------------------------------------------


def _create(
    uow: UnitOfWork,
    action: str,
    trainer: Person | PersonView,
    client: Person | PersonView,
    start: datetime,
    minutes: int,
    session_type: str,
    status: str,
    location_id: uuid.UUID | None,
    slot_id: uuid.UUID | None,
    substitute_for_id: uuid.UUID | None,
    unless_busy: bool = False,
) -> TrainingSession | None:
    """Insert a new session. `unless_busy`: None instead when the trainer is busy then (see `insert_session`);
    otherwise the overlap is checked first, for a sentence (and free slots when booking)."""
    end = start + timedelta(minutes=minutes)
    session_id = uuid.uuid4()
    slot = slot_id or session_id
    if slot_id is not None:
        group_slot(uow, slot_id, trainer, start, end)
    if not unless_busy:
        refuse_double_booking(uow, trainer, start, end, slot, offer_alternatives=action == "book_session")
    package, price = price_and_package(uow, client, start, booking=action == "book_session")
    session = TrainingSession(
        id=session_id,
        studio_id=uow.actor.studio_id,
        trainer_id=trainer.id,
        client_id=client.id,
        location_id=location_id,
        slot_id=slot,
        start_at=start,
        end_at=end,
        start_local=local_naive(start, uow.policy.tz),
        duration_minutes=minutes,
        session_type=session_type,
        status=status,
        substitute_for_id=substitute_for_id,
        price=price,
        package_id=package.id if package else None,
        late_cancel=False,
        dispute_upheld=None,
        cancel_reason=None,
        created_by_id=uow.actor.person_id,
        created_via=uow.actor.channel,
        created_at=uow.now,
        updated_by_id=None,
        updated_via=None,
        updated_at=None,
        validated_at=None,
        validated_by_id=None,
    )
    return session if insert_session(uow, session, unless_busy) else None


def _log_booking(
    uow: UnitOfWork,
    booked: TrainingSession,
    trainer: PersonView,
    cmd: LogSession,
    kind: str,
    substitute: uuid.UUID | None,
    location: Location | None,
) -> None:
    """Turn the booking being logged into the logged session (its duration may change)."""
    booked.status = S.PENDING_VALIDATION
    booked.session_type = kind
    booked.substitute_for_id = substitute or booked.substitute_for_id
    if location is not None:
        booked.location_id = location.id
    if cmd.duration_minutes is not None and cmd.duration_minutes != booked.duration_minutes:
        minutes = duration_of(uow.policy, cmd.duration_minutes)
        end = booked.start_at + timedelta(minutes=minutes)
        refuse_double_booking(uow, trainer, booked.start_at, end, booked.slot_id, booked.id)
        booked.duration_minutes, booked.end_at = minutes, end
    touch(uow, booked)


@handles(LogSession)
def log_session(uow: UnitOfWork, cmd: LogSession) -> TrainingSession:
    """Record a session that took place; it waits for the client's confirmation.

    Logging a booked session (same trainer, client and start) turns that
    booking into the logged session instead of refusing it as a double booking.
    A past session with no credit left is still recorded, at the drop-in price.
    """
    require_new_session(uow.actor, "log_session", cmd.trainer_id, cmd.client_id)
    people = people_view(uow, cmd.trainer_id, cmd.client_id, cmd.substitute_for_id)
    trainer = require_trainer(view_of(uow, people, cmd.trainer_id, "trainer"))
    client = require_client(view_of(uow, people, cmd.client_id, "client"))
    policy = uow.policy
    start = to_utc(cmd.start, "start")
    if start > uow.now:
        raise InvalidInput(
            f"{when_words(start, policy.tz)} hasn't happened yet; book the session instead of logging it."
        )
    kind = session_type_of(cmd.session_type)
    substitute = None
    if cmd.substitute_for_id is not None:
        substitute = require_trainer(view_of(uow, people, cmd.substitute_for_id, "trainer")).id
        if substitute == trainer.id:
            raise InvalidInput("A trainer can't cover for themselves.")
    location = get_location(uow, cmd.location_id)
    minutes = duration_of(policy, cmd.duration_minutes)
    end = start + timedelta(minutes=minutes)
    where = location.id if location else None

    def insert(unless_busy: bool) -> TrainingSession | None:
        return _create(
            uow, "log_session", trainer, client, start, minutes, kind, S.PENDING_VALIDATION, where, None, substitute,
            unless_busy=unless_busy,
        )  # fmt: skip

    # The common case in one statement: the trainer is free, the session goes in.
    before = None
    session = insert(unless_busy=True)
    if session is None:
        # Busy: the booking being logged, or a real double booking.
        taken = overlapping(uow.conn, trainer.id, start, end, uuid.uuid4(), None)
        logging_the_booking = taken is not None and (taken.client_id, taken.start_at, taken.status) == (
            client.id, start, S.SCHEDULED
        )  # fmt: skip
        if logging_the_booking:
            session = get_session(uow, taken.id)
            before = audit.snapshot(session)
            _log_booking(uow, session, trainer, cmd, kind, substitute, location)
        else:
            refuse_double_booking(uow, trainer, start, end, uuid.uuid4())
            session = insert(unless_busy=False)  # freed meanwhile by another transaction: insert after all
    if cmd.note and cmd.note.strip():
        uow.db.add(
            SessionNote(
                session_id=session.id,
                author_id=uow.actor.person_id,
                text=cmd.note.strip()[:MAX_NOTE],
                created_at=uow.now,
            )
        )
    finish_session_change(uow, session, "log_session", before)
    return session


@handles(BookSession)
def book_session(uow: UnitOfWork, cmd: BookSession) -> TrainingSession:
    """Book a future session: working hours, time off, double booking and credit are checked."""
    require_new_session(uow.actor, "book_session", cmd.trainer_id, cmd.client_id)
    people = people_view(uow, cmd.trainer_id, cmd.client_id)
    trainer = require_trainer(view_of(uow, people, cmd.trainer_id, "trainer"))
    client = require_client(view_of(uow, people, cmd.client_id, "client"))
    start = to_utc(cmd.start, "start")
    minutes = duration_of(uow.policy, cmd.duration_minutes)
    kind = session_type_of(cmd.session_type)
    location = get_location(uow, cmd.location_id)
    require_bookable(uow, trainer, start, start + timedelta(minutes=minutes))
    session = _create(
        uow,
        "book_session",
        trainer,
        client,
        start,
        minutes,
        kind,
        S.SCHEDULED,
        location.id if location else None,
        cmd.slot_id,
        None,
    )
    finish_session_change(uow, session, "book_session", None)
    return session


# --- changing sessions --------------------------------------------------------------------------


def _load(uow: UnitOfWork, session_id: uuid.UUID, action: str) -> TrainingSession:
    require_role(uow.actor, action)
    session = get_session(uow, session_id)
    require_session(uow.actor, action, session)
    return session


@handles(CancelSession)
def cancel_session(uow: UnitOfWork, cmd: CancelSession) -> TrainingSession:
    """Within `late_cancel_hours` of the start it is a late cancel (the credit is kept when the policy says so)."""
    session = _load(uow, cmd.session_id, "cancel_session")
    require_status("cancel_session", session)
    before = audit.snapshot(session)
    session.status = S.CANCELLED
    session.late_cancel = is_late_cancel(session, uow.studio, uow.now)
    session.cancel_reason = (cmd.reason or "").strip()[:400] or None
    touch(uow, session)
    finish_session_change(uow, session, "cancel_session", before, cmd.reason)
    return session


@handles(RescheduleSession)
def reschedule_session(uow: UnitOfWork, cmd: RescheduleSession) -> TrainingSession:
    """Move a booked session; the same checks as booking. A package expired by then is swapped for another."""
    session = _load(uow, cmd.session_id, "reschedule_session")
    require_status("reschedule_session", session)
    trainer = get_trainer(uow, session.trainer_id)
    start = to_utc(cmd.new_start, "new start")
    minutes = duration_of(uow.studio, cmd.duration_minutes or session.duration_minutes)
    end = start + timedelta(minutes=minutes)
    if (start, end) == (session.start_at, session.end_at):
        return session
    require_bookable(uow, trainer, start, end)
    if session.slot_id != session.id:
        raise Conflict("That session is part of a class; move the class instead.")
    refuse_double_booking(uow, trainer, start, end, session.slot_id, session.id, offer_alternatives=True)
    before = audit.snapshot(session)
    package = uow.db.get(Package, session.package_id) if session.package_id else None
    if package is not None and package.expires_at is not None and package.expires_at <= start:
        client = get_client(uow, session.client_id)
        new_package, price = price_and_package(uow, client, start, booking=True)
        session.package_id, session.price = (new_package.id if new_package else None), price
    session.start_at, session.end_at, session.duration_minutes = start, end, minutes
    session.start_local = local_naive(start, uow.studio.tz)
    touch(uow, session)
    finish_session_change(uow, session, "reschedule_session", before)
    return session


@handles(MarkNoShow)
def mark_no_show(uow: UnitOfWork, cmd: MarkNoShow) -> TrainingSession:
    session = _load(uow, cmd.session_id, "mark_no_show")
    require_status("mark_no_show", session)
    if session.start_at > uow.now:
        raise Conflict("That session hasn't started yet, so it can't be a no-show.")
    before = audit.snapshot(session)
    session.status = S.NO_SHOW
    touch(uow, session)
    finish_session_change(uow, session, "mark_no_show", before)
    return session


@handles(ValidateSession)
def validate_session(uow: UnitOfWork, cmd: ValidateSession) -> TrainingSession:
    """Confirm a logged session — or a booked one whose start has passed (it took place)."""
    session = _load(uow, cmd.session_id, "validate_session")
    require_status("validate_session", session)
    if session.status == S.SCHEDULED and session.start_at > uow.now:
        raise Conflict("That session hasn't happened yet, so it can't be confirmed.")
    before = audit.snapshot(session)
    session.status = S.VALIDATED
    session.validated_at, session.validated_by_id = uow.now, uow.actor.person_id
    touch(uow, session)
    finish_session_change(uow, session, "validate_session", before)
    return session


@handles(DisputeSession)
def dispute_session(uow: UnitOfWork, cmd: DisputeSession) -> TrainingSession:
    """The credit stays held until a manager resolves the dispute."""
    session = _load(uow, cmd.session_id, "dispute_session")
    require_status("dispute_session", session)
    if session.dispute_upheld is False:
        raise Conflict("That session was disputed before and the dispute was rejected.")
    before = audit.snapshot(session)
    session.status = S.DISPUTED
    session.dispute_upheld = None
    touch(uow, session)
    finish_session_change(uow, session, "dispute_session", before, cmd.reason)
    return session


@handles(ResolveDispute)
def resolve_dispute(uow: UnitOfWork, cmd: ResolveDispute) -> TrainingSession:
    """Upheld: the credit comes back and the session stays disputed. Rejected: the session is validated."""
    session = _load(uow, cmd.session_id, "resolve_dispute")
    require_status("resolve_dispute", session)
    if session.dispute_upheld is not None:
        raise Conflict("That dispute has already been resolved.")
    before = audit.snapshot(session)
    if cmd.upheld:
        session.dispute_upheld = True
    else:
        session.dispute_upheld = False
        session.status = S.VALIDATED
        session.validated_at, session.validated_by_id = uow.now, uow.actor.person_id
    touch(uow, session)
    finish_session_change(uow, session, "resolve_dispute", before, "upheld" if cmd.upheld else "rejected")
    return session


@handles(AddNote)
def add_note(uow: UnitOfWork, cmd: AddNote) -> SessionNote:
    session = _load(uow, cmd.session_id, "add_note")
    text = (cmd.text or "").strip()
    if not text:
        raise InvalidInput("The note is empty.")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"A note can be at most {MAX_NOTE} characters.")
    note = SessionNote(session_id=session.id, author_id=uow.actor.person_id, text=text, created_at=uow.now)
    uow.db.add(note)
    uow.db.flush()
    audit.record(uow.db, uow.actor, "add_note", "session_note", note.id, None, audit.snapshot(note))
    return note
