"""A studio, its policies and its locations."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.model.base import Base, utcnow, uuid_pk


class Studio(Base):
    __tablename__ = "studios"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200))
    tz: Mapped[str] = mapped_column(String(64), default="America/New_York")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    locale: Mapped[str] = mapped_column(String(16), default="en_US")
    # policies
    default_session_minutes: Mapped[int] = mapped_column(default=60)
    drop_in_price: Mapped[Decimal] = mapped_column(default=Decimal("100.00"))
    late_cancel_hours: Mapped[int] = mapped_column(default=24)
    late_cancel_uses_credit: Mapped[bool] = mapped_column(default=True)
    no_show_uses_credit: Mapped[bool] = mapped_column(default=True)
    allow_booking_without_credit: Mapped[bool] = mapped_column(default=False)
    validation_reminder_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [24, 168])
    quiet_hours_start: Mapped[str] = mapped_column(String(5), default="21:00")
    quiet_hours_end: Mapped[str] = mapped_column(String(5), default="08:00")
    # reminders and reports (domain/reminders/; README "Reminders and reports")
    validation_escalation_hours: Mapped[int] = mapped_column(default=192)
    upcoming_reminder_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [24, 2])
    digest_time: Mapped[str] = mapped_column(String(5), default="09:00")
    report_weekday: Mapped[int] = mapped_column(default=0)
    report_time: Mapped[str] = mapped_column(String(5), default="09:00")
    validation_rate_alert: Mapped[int] = mapped_column(default=70)
    validation_rate_days: Mapped[int] = mapped_column(default=30)
    validation_rate_min_sessions: Mapped[int] = mapped_column(default=5)
    commission_report_day: Mapped[int] = mapped_column(default=1)
    notification_retention_days: Mapped[int] = mapped_column(default=90)
    brand_logo_url: Mapped[str | None] = mapped_column(String(500))
    brand_colour: Mapped[str] = mapped_column(String(7), default="#2f6fed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(400))
