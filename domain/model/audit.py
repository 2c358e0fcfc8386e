"""The append-only audit log.

Every command writes exactly one entry in the same transaction as its change.
The database refuses UPDATE and DELETE on this table (triggers on both
databases). An undo is itself an entry that names the entry it reverses.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_actor_id_seq", "actor_id", "id"),)

    # A monotonic integer key: the order of changes is the order of ids.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    studio_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("studios.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(48))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(400))
    channel: Mapped[str] = mapped_column(String(32), default="cli")
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("audit_log.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
