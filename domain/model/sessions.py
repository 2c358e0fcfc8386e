"""Training sessions, their notes, and the rule that a trainer cannot be in two places at once.

Double booking is refused by the database itself, not only by a check before
the insert: PostgreSQL gets an exclusion constraint (btree_gist), SQLite a
trigger (SQLite runs one writer at a time, so the trigger sees every committed
row). Sessions that share a `slot_id` (the attendees of one group class) may
overlap each other; a one-to-one session's slot is its own.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    PENDING_VALIDATION = "pending_validation"
    VALIDATED = "validated"
    DISPUTED = "disputed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class SessionType(enum.StrEnum):
    STANDARD = "standard"
    ASSESSMENT = "assessment"
    PARTNER = "partner"
    GROUP = "group"
    ONLINE = "online"
    NUTRITION = "nutrition"


# The longest a session may last. The database enforces it too, which is what
# lets the double-booking check look back only this far for an overlap.
MAX_SESSION_MINUTES = 8 * 60

# Statuses whose session no longer occupies the trainer's time.
FREE_STATUSES = (SessionStatus.CANCELLED.value, SessionStatus.DISPUTED.value)
# "completed" in the contract: the session took place.
COMPLETED_STATUSES = (SessionStatus.PENDING_VALIDATION.value, SessionStatus.VALIDATED.value)


class TrainingSession(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        Index("ix_sessions_trainer_start", "trainer_id", "start_at"),
        Index("ix_sessions_client_start", "client_id", "start_at"),
        Index("ix_sessions_studio_local", "studio_id", "start_local"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"))
    trainer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    slot_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    # The wall-clock start in the studio's zone, kept for grouping by hour,
    # day and month in SQL on every database (SQLite has no time zones).
    start_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    duration_minutes: Mapped[int]
    session_type: Mapped[str] = mapped_column(String(16), default=SessionType.STANDARD.value)
    status: Mapped[str] = mapped_column(String(24), index=True)
    substitute_for_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    price: Mapped[Decimal]
    package_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("packages.id"))
    # Whether this session, in its present state, should hold one credit.
    holds_credit: Mapped[bool] = mapped_column(default=True)
    late_cancel: Mapped[bool] = mapped_column(default=False)
    dispute_upheld: Mapped[bool | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(400))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    created_via: Mapped[str] = mapped_column(String(32), default="cli")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    updated_via: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime | None]
    validated_at: Mapped[datetime | None]
    validated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))


class SessionNote(Base):
    __tablename__ = "session_notes"

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
