"""What the conversation engine keeps in the store: delivered messages, dialogue state, the outbox.

They live in the store (not in memory) so that a restart between a question
and its answer loses nothing, a platform's repeated delivery is answered from
`inbox` without a second effect, and notifications are queued in the same
transaction as the change they announce.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk


class InboxMessage(Base):
    """One handled message per (channel, message id), with the reply it got."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_inbox_channel_message"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    channel: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(200))
    sender_id: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """The dialogue in progress with one person on one channel (a pending question, the last action)."""

    __tablename__ = "conversation_states"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """A message for someone, queued in the transaction of the change it announces.

    `dedupe_key` is unique: a reminder or an announcement happens once. The
    delivery fields (channel, attempts, next attempt, last error) are filled
    by the sender (the reminders issue); the conversation tests read the queue.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_notifications_dedupe_key"),
        Index("ix_notifications_due", "status", "due_at"),
        Index("ix_notifications_recipient", "recipient_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"))
    recipient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    channel: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
