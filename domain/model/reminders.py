"""What the reminders keep besides the outbox: people's choices, e-mail logs, spent one-click links.

A person's choices (individual messages or a weekly digest, quiet hours, the
kinds of reminder they stopped, the order of their channels) live in one row
that exists only once they chose something: everyone else gets the studio's
defaults. E-mail logs are kept for the retention period so a studio can tell
whether a message left. A one-click link is signed, not stored; only its use
is stored, so the second use of the same link finds the row and is refused.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk


class NotificationPreference(Base):
    """One person's notification choices; absent = the studio's defaults."""

    __tablename__ = "notification_preferences"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(16), default="individual")  # individual | digest
    # Both None: the studio's quiet hours; equal: no quiet hours.
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    opted_out: Mapped[list[str]] = mapped_column(JSON, default=list)  # reminder categories stopped
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)  # preferred order; [] = linked order
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailLog(Base):
    """One e-mail handed to the SMTP server (or refused by it), kept for the retention period."""

    __tablename__ = "email_log"
    __table_args__ = (Index("ix_email_log_created", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"))
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))  # sent | failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpentLink(Base):
    """A one-click link that was used: its nonce is the key, so a second use is refused by the database."""

    __tablename__ = "spent_links"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
