"""The store's tables, in SQLAlchemy 2's typed ORM style."""

from domain.model.audit import AuditEntry
from domain.model.base import Base, utcnow
from domain.model.commissions import CommissionAdjustment, CommissionLine, CommissionPlan, CommissionStatement
from domain.model.conversation import ConversationState, InboxMessage, Notification
from domain.model.linkcodes import LinkCode
from domain.model.packages import LedgerEntry, Package
from domain.model.people import ChatIdentity, ClientTag, Person, PersonRole, Role, TimeOff, WorkingHours
from domain.model.reminders import EmailLog, NotificationPreference, SpentLink
from domain.model.sessions import (
    COMPLETED_STATUSES,
    FREE_STATUSES,
    MAX_SESSION_MINUTES,
    SessionNote,
    SessionStatus,
    SessionType,
    TrainingSession,
)
from domain.model.studio import Location, Studio
from domain.model.waitlist import WaitlistEntry, WaitlistStatus

__all__ = [
    "COMPLETED_STATUSES",
    "FREE_STATUSES",
    "MAX_SESSION_MINUTES",
    "AuditEntry",
    "Base",
    "ChatIdentity",
    "ClientTag",
    "CommissionAdjustment",
    "CommissionLine",
    "CommissionPlan",
    "CommissionStatement",
    "ConversationState",
    "EmailLog",
    "InboxMessage",
    "Notification",
    "NotificationPreference",
    "LedgerEntry",
    "LinkCode",
    "Location",
    "Package",
    "Person",
    "PersonRole",
    "Role",
    "SessionNote",
    "SessionStatus",
    "SessionType",
    "SpentLink",
    "Studio",
    "TimeOff",
    "TrainingSession",
    "WaitlistEntry",
    "WaitlistStatus",
    "WorkingHours",
    "utcnow",
]
