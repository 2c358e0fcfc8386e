"""Commission plans, approved statements and adjustments.

A draft statement is never stored: it is computed from the validated sessions
of the month. Approval freezes it into a statement and its lines; from then
on it never changes, and a later correction to one of its sessions is
recorded as an adjustment that the trainer's next open statement carries.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk
from domain.model.types import DecimalText


class CommissionPlan(Base):
    """`trainer_id` None: the studio's default plan; set: that trainer's override.

    `tiers` is a list of {"from": n, "rate": "0.40"} (n = the month's validated
    session count at which the tier starts); `type_rates` maps a session type
    to a rate that replaces the tier rate.
    """

    __tablename__ = "commission_plans"

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="default")
    mode: Mapped[str] = mapped_column(String(16), default="marginal")
    tiers: Mapped[list[dict[str, str | int]]] = mapped_column(JSON)
    type_rates: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    bonus_threshold: Mapped[int | None]
    bonus_amount: Mapped[Decimal | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommissionStatement(Base):
    __tablename__ = "commission_statements"
    __table_args__ = (UniqueConstraint("trainer_id", "month", name="uq_commission_statements_trainer_month"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-03"
    status: Mapped[str] = mapped_column(String(16), default="approved")
    total: Mapped[Decimal]
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    approved_at: Mapped[datetime | None]


class CommissionLine(Base):
    __tablename__ = "commission_lines"

    id: Mapped[uuid.UUID] = uuid_pk()
    statement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("commission_statements.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # session | bonus | adjustment
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sessions.id"))
    description: Mapped[str] = mapped_column(String(400), default="")
    price: Mapped[Decimal | None]
    rate: Mapped[Decimal | None] = mapped_column(DecimalText)
    amount: Mapped[Decimal]


class CommissionAdjustment(Base):
    """A change to an approved month, waiting for the trainer's next open statement."""

    __tablename__ = "commission_adjustments"

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sessions.id"))
    month: Mapped[str] = mapped_column(String(7))  # the approved month it corrects
    amount: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_statement_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("commission_statements.id"))
