"""The commands that change the store: small frozen dataclasses, one handler each.

Run one with `Store.execute(actor, command)`; it is authorized against
`domain.authz.MATRIX`, runs in one transaction, and writes exactly one audit
entry (action = the snake-case command name) — or, when refused, raises a
typed `SpotterError` with a sentence and changes nothing. Ids are UUIDs;
times are aware datetimes (stored in UTC; see `domain.timeutil` for daylight
saving).

People (domain/handlers/people.py)
    AddPerson            -> Person     add a person with roles
    UpdatePerson         -> Person     change only the fields given
    LinkIdentity         -> ChatIdentity  link a chat account (channel + external id)
    IssueLinkCode        -> str        a one-time onboarding code (8 characters, 7 days, hash stored)
    RedeemLinkCode       -> Person     link the sender's chat account to the code's person
    SetWorkingHours      -> list[WorkingHours]  replace a trainer's weekly hours
    AddTimeOff           -> TimeOff
    TagClient            -> Person     add a lower-case tag
Packages (domain/handlers/packages.py)
    SellPackage          -> Package    credits at a price per session
Sessions (domain/handlers/sessions.py)
    LogSession           -> TrainingSession  a past session, waiting for the client's confirmation
    BookSession          -> TrainingSession  a future session (working hours, time off, credit checked)
    CancelSession        -> TrainingSession  late-cancel rule applies
    RescheduleSession    -> TrainingSession
    MarkNoShow           -> TrainingSession
    ValidateSession      -> TrainingSession
    DisputeSession       -> TrainingSession
    ResolveDispute       -> TrainingSession  upheld: credit back; rejected: validated
    AddNote              -> SessionNote
Undo (domain/handlers/undo.py)
    Undo                 -> UndoResult the actor's latest change not yet undone
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from domain.model import Role

# A field that was not given (UpdatePerson changes only the fields given; None is a value: "clear it").
UNSET: Any = type("Unset", (), {"__repr__": lambda self: "UNSET", "__bool__": lambda self: False})()


def action_name(command: object) -> str:
    """The audit action / authorization key of a command: its class name in snake case."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(command).__name__).lower()


# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddPerson:
    handle: str
    full_name: str
    roles: frozenset[Role] | tuple[Role, ...] | list[Role] = field(default_factory=lambda: (Role.CLIENT,))
    email: str | None = None
    phone: str | None = None
    primary_trainer_id: uuid.UUID | None = None
    notes: str | None = None


@dataclass(frozen=True)
class UpdatePerson:
    person_id: uuid.UUID
    full_name: Any = UNSET
    email: Any = UNSET
    phone: Any = UNSET
    primary_trainer_id: Any = UNSET
    notes: Any = UNSET
    active: Any = UNSET

    def changes(self) -> dict[str, Any]:
        names = ("full_name", "email", "phone", "primary_trainer_id", "notes", "active")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not UNSET}


@dataclass(frozen=True)
class LinkIdentity:
    person_id: uuid.UUID
    channel: str
    external_id: str


@dataclass(frozen=True)
class IssueLinkCode:
    person_id: uuid.UUID


@dataclass(frozen=True)
class RedeemLinkCode:
    code: str
    channel: str
    external_id: str


@dataclass(frozen=True)
class SetWorkingHours:
    trainer_id: uuid.UUID
    hours: tuple[tuple[int, time, time], ...] | list[tuple[int, time, time]]


@dataclass(frozen=True)
class AddTimeOff:
    trainer_id: uuid.UUID
    start: datetime
    end: datetime
    reason: str | None = None


@dataclass(frozen=True)
class TagClient:
    client_id: uuid.UUID
    tag: str


# --- packages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SellPackage:
    client_id: uuid.UUID
    credits: int
    price_per_session: Decimal
    purchased_at: datetime | None = None
    expires_at: datetime | None = None
    name: str | None = None


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogSession:
    trainer_id: uuid.UUID
    client_id: uuid.UUID
    start: datetime
    duration_minutes: int | None = None
    session_type: str = "standard"
    substitute_for_id: uuid.UUID | None = None
    note: str | None = None
    location_id: uuid.UUID | None = None


@dataclass(frozen=True)
class BookSession:
    trainer_id: uuid.UUID
    client_id: uuid.UUID
    start: datetime
    duration_minutes: int | None = None
    session_type: str = "standard"
    location_id: uuid.UUID | None = None
    slot_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CancelSession:
    session_id: uuid.UUID
    reason: str | None = None


@dataclass(frozen=True)
class RescheduleSession:
    session_id: uuid.UUID
    new_start: datetime
    duration_minutes: int | None = None


@dataclass(frozen=True)
class MarkNoShow:
    session_id: uuid.UUID


@dataclass(frozen=True)
class ValidateSession:
    session_id: uuid.UUID


@dataclass(frozen=True)
class DisputeSession:
    session_id: uuid.UUID
    reason: str | None = None


@dataclass(frozen=True)
class ResolveDispute:
    session_id: uuid.UUID
    upheld: bool


@dataclass(frozen=True)
class AddNote:
    session_id: uuid.UUID
    text: str


# --- undo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    pass


@dataclass(frozen=True)
class UndoResult:
    """What an undo did: the entry it reversed and a sentence for the person."""

    undo_entry_id: int
    undone_entry_id: int
    action: str
    entity_type: str
    entity_id: str
    summary: str
