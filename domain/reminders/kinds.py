"""The kinds of notification and how the reminder rules treat each one.

A kind is a plain string on the outbox row. Opt-outs work by category (a
person says "stop session reminders", not "stop upcoming_reminder"); digests
and quiet hours work by kind. Kinds the engine queues when something happens
(a booking, a cancellation, the validation request itself) are not reminders:
they can be held for a weekly digest or deferred past quiet hours, never
stopped.
"""

from __future__ import annotations

VALIDATION_REQUEST = "validation_request"  # queued by the engine when a session is logged
VALIDATION_REMINDER = "validation_reminder"
VALIDATION_ESCALATION = "validation_escalation"
UPCOMING_REMINDER = "upcoming_reminder"
TRAINER_DIGEST = "trainer_digest"
WEEKLY_REPORT = "weekly_report"
RATE_ALERT = "rate_alert"
COMMISSION_REPORT = "commission_report"
WEEKLY_DIGEST = "weekly_digest"
DELIVERY_FAILURE = "delivery_failure"

# Opt-out categories: what "stop X reminders" names, and the kinds each one stops.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "validation": (VALIDATION_REMINDER,),
    "sessions": (UPCOMING_REMINDER,),
    "digest": (TRAINER_DIGEST, WEEKLY_DIGEST),
    "reports": (WEEKLY_REPORT, COMMISSION_REPORT, RATE_ALERT, VALIDATION_ESCALATION),
}
CATEGORY_OF: dict[str, str] = {kind: cat for cat, kinds in CATEGORIES.items() for kind in kinds}

# Kinds that stay individual messages even for someone on a weekly digest: they are
# about a moment (a session in two hours) or about delivery itself.
NEVER_DIGESTED = frozenset(
    {UPCOMING_REMINDER, WEEKLY_DIGEST, WEEKLY_REPORT, COMMISSION_REPORT, DELIVERY_FAILURE}
)

# Engine kinds that announce a change to a session: on the session's own day they
# go out even in quiet hours ("except same-day session changes").
SESSION_CHANGES = frozenset({"booking", "cancellation", "reschedule", "no_show"})


def stoppable(kind: str) -> bool:
    """Whether a person can stop this kind (it is a reminder, report or digest)."""
    return kind in CATEGORY_OF


def digestible(kind: str) -> bool:
    return kind not in NEVER_DIGESTED
