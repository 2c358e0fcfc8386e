"""People, their roles, chat identities, working hours and time off.

One person may hold several roles (a manager who also trains). A chat
identity is unique per channel: one Telegram account belongs to one person.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, time

from sqlalchemy import ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.model.base import Base, utcnow, uuid_pk


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    TRAINER = "trainer"
    CLIENT = "client"


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("studio_id", "handle", name="uq_people_studio_handle"),
        UniqueConstraint("studio_id", "email", name="uq_people_studio_email"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    studio_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    handle: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    primary_trainer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_rows: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )
    tag_rows: Mapped[list[ClientTag]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    @property
    def tags(self) -> list[str]:
        return sorted(t.tag for t in self.tag_rows)

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else self.full_name

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class PersonRole(Base):
    __tablename__ = "person_roles"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    person: Mapped[Person] = relationship(back_populates="role_rows")


class ClientTag(Base):
    __tablename__ = "client_tags"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class ChatIdentity(Base):
    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_chat_identities_channel_external"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkingHours(Base):
    """A weekly interval in the studio's local time (weekday 0 = Monday)."""

    __tablename__ = "working_hours"

    id: Mapped[uuid.UUID] = uuid_pk()
    trainer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))


class TimeOff(Base):
    __tablename__ = "time_off"

    id: Mapped[uuid.UUID] = uuid_pk()
    trainer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(String(200))
