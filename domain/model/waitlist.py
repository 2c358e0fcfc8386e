"""The waitlist: clients waiting for a slot with a trainer.

An entry says who waits (the client), for whom (a trainer; None means any
trainer), and when they would like to train: a point in time
(`desired_start`), a range (`period_start`–`period_end`), or neither ("as soon
as something opens"). Entries are never deleted: they move from `waiting` to
`cancelled` (withdrawn or undone) or `fulfilled` (booked), so the history of
who asked when stays readable and the first come is served first.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index("ix_waitlist_entries_trainer_status", "trainer_id", "status", "created_at"),
        Index("ix_waitlist_entries_client", "client_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    trainer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    desired_start: Mapped[datetime | None]
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=WaitlistStatus.WAITING.value)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
