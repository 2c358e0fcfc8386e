"""The studio's rules for a session's life: which moves are allowed, and when it holds a credit.

Credit handling is one mechanism: `holds_credit(session, studio)` says, from
the session's state alone, whether it should hold one of the client's credits
right now; after every change the handler stores that answer on the session
and `domain.ledger.reconcile` writes the ledger entry that makes the ledger
agree. Undo restores the old state and calls the same reconcile, so there is
no second path that could disagree.

The answer is computed when the session changes and stored, so changing a
policy later does not silently re-price history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, select

from domain.errors import Conflict, NotFound
from domain.model import SessionStatus, Studio, TrainingSession

S = SessionStatus


@dataclass(frozen=True, slots=True)
class StudioPolicy:
    """The studio settings session commands read, as a plain read-only value.

    Session commands need a handful of policy columns, not a tracked ORM
    entity: loading `Studio` through the ORM costs several times a Core select
    of these columns, on every command. It is read fresh in each unit of work
    (no cache), so it is never stale; see `UnitOfWork.policy`.
    """

    id: uuid.UUID
    tz: str
    default_session_minutes: int
    drop_in_price: Decimal
    late_cancel_hours: int
    late_cancel_uses_credit: bool
    no_show_uses_credit: bool
    allow_booking_without_credit: bool

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @classmethod
    def of(cls, studio: Studio) -> StudioPolicy:
        """The policy of a loaded studio (reflects edits not yet flushed)."""
        return cls(*(getattr(studio, name) for name in _POLICY_FIELDS))


_POLICY_FIELDS = tuple(StudioPolicy.__dataclass_fields__)
# The studio columns a `StudioPolicy` is made of, in its field order (other queries may select them too).
POLICY_COLUMNS = tuple(Studio.__table__.c[name] for name in _POLICY_FIELDS)
_SELECT_POLICY = select(*POLICY_COLUMNS).where(Studio.__table__.c.id == bindparam("studio_id"))


def load_policy(conn: Connection, studio_id: uuid.UUID) -> StudioPolicy:
    """One Core select of the policy columns (the statement is built once, at import)."""
    row = conn.execute(_SELECT_POLICY, {"studio_id": studio_id}).first()
    if row is None:
        raise NotFound("That studio does not exist.")
    return StudioPolicy(*row)


def holds_credit(session: TrainingSession, studio: Studio | StudioPolicy) -> bool:
    """Whether the session, as it now stands, holds one credit.

    Booked, logged and validated sessions hold it; a cancellation in time
    gives it back; a late cancellation or a no-show keeps it when the studio
    says so (the default); a dispute holds it until resolved, and an upheld
    dispute gives it back.
    """
    status = session.status
    if status in (S.SCHEDULED, S.PENDING_VALIDATION, S.VALIDATED):
        return True
    if status == S.CANCELLED:
        return bool(session.late_cancel and studio.late_cancel_uses_credit)
    if status == S.NO_SHOW:
        return bool(studio.no_show_uses_credit)
    if status == S.DISPUTED:
        return session.dispute_upheld is not True
    raise ValueError(f"unknown status {status!r}")


def is_late_cancel(session: TrainingSession, studio: Studio | StudioPolicy, now: datetime) -> bool:
    """Cancelling within `late_cancel_hours` of the start (or after it) is late."""
    return session.start_at - now < timedelta(hours=studio.late_cancel_hours)


# What each command may start from. The sentence says why not, in the studio's words.
STATUS_WORDS = {
    S.SCHEDULED: "booked",
    S.PENDING_VALIDATION: "waiting for confirmation",
    S.VALIDATED: "already confirmed",
    S.DISPUTED: "disputed",
    S.CANCELLED: "cancelled",
    S.NO_SHOW: "marked as a no-show",
}

ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "cancel_session": (S.SCHEDULED,),
    "reschedule_session": (S.SCHEDULED,),
    "mark_no_show": (S.SCHEDULED, S.PENDING_VALIDATION),
    # A booked session whose start has passed may be confirmed directly (checked in the handler).
    "validate_session": (S.PENDING_VALIDATION, S.SCHEDULED),
    "dispute_session": (S.PENDING_VALIDATION, S.VALIDATED),
    "resolve_dispute": (S.DISPUTED,),
}

VERBS = {
    "cancel_session": "cancelled",
    "reschedule_session": "moved",
    "mark_no_show": "marked as a no-show",
    "validate_session": "confirmed",
    "dispute_session": "disputed",
    "resolve_dispute": "resolved",
}


def require_status(action: str, session: TrainingSession) -> None:
    if session.status not in ALLOWED_FROM[action]:
        raise Conflict(
            f"That session is {STATUS_WORDS[SessionStatus(session.status)]}, so it can't be {VERBS[action]}."
        )
