"""What a turn can expect (the table of ../shared/spec/conversations.md), checked against the store.

Each check returns None when it holds, or (expected, found) when it does not;
`check_turn` turns those into report failures. The store is read directly
(sessions, notes, the outbox) and through the domain's own queries (balance,
month commission), so a check means what the studio would see.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from bot.conversations.report import Failure
from bot.conversations.setup import Cast
from bot.conversations.spec import to_local
from bot.messages import Reply
from domain.model import Person, SessionNote, TrainingSession
from domain.store import Store

CENT = Decimal("0.01")
COMPLETED = {"pending_validation", "validated"}


@dataclass(frozen=True)
class Sent:
    """A notification queued during a turn, as the checks see it."""

    to: str  # the recipient's handle
    text: str
    options: tuple[tuple[str, str], ...]  # (label, payload)


@dataclass(frozen=True)
class Outcome:
    """What one turn produced: the reply (None for a tick or a crash) and the notifications it queued."""

    reply: Reply | None
    notifications: tuple[Sent, ...]
    is_tick: bool = False
    problem: tuple[str, str] | None = None  # (check, why): the engine crashed, or the turn could not be sent


Result = tuple[Any, Any] | None


def check_turn(
    number: int, expect: dict[str, Any], outcome: Outcome, store: Store, cast: Cast
) -> tuple[int, list[Failure]]:
    """Run the default check and every expectation of a turn; (checks made, failures)."""
    reply_text = _reply_text(outcome.reply)
    failures: list[Failure] = []
    made = 0

    def record(check: str, result: Result) -> None:
        nonlocal made
        made += 1
        if result is not None:
            failures.append(Failure(number, check, result[0], result[1], reply_text))

    if outcome.problem is not None:
        record(outcome.problem[0], ("the turn to be played and answered", outcome.problem[1]))
    elif not outcome.is_tick:
        record("answered", _answered(outcome.reply))
    view = _StudioView(store, cast)
    for key, value in expect.items():
        checker = CHECKS[key]
        if key in REPLY_KEYS and outcome.is_tick:
            record(key, (value, "a tick has no reply"))
            continue
        if key in REPLY_KEYS and outcome.reply is None:
            record(key, (value, "no reply"))
            continue
        record(key, checker(value, outcome, view))
    return made, failures


def _reply_text(reply: Reply | None) -> str:
    if reply is None:
        return ""
    text = reply.text
    if reply.options:
        text += "\n" + "\n".join(f"[{o.label}]" for o in reply.options)
    return text


def _answered(reply: Reply | None) -> Result:
    if reply is None or not (reply.text.strip() or reply.options or reply.attachments):
        return ("an answer from the bot", "no answer")
    return None


# --- reply checks --------------------------------------------------------------------------------


def _reply_contains(value: list[str], outcome: Outcome, view: _StudioView) -> Result:
    text = outcome.reply.text.lower() if outcome.reply else ""
    missing = [s for s in value if s.lower() not in text]
    return (value, f"missing: {missing}") if missing else None


def _reply_not_contains(value: list[str], outcome: Outcome, view: _StudioView) -> Result:
    text = outcome.reply.text.lower() if outcome.reply else ""
    present = [s for s in value if s.lower() in text]
    return (f"none of {value}", f"present: {present}") if present else None


def _options_include(value: list[str], outcome: Outcome, view: _StudioView) -> Result:
    labels = [o.label for o in outcome.reply.options] if outcome.reply else []
    missing = [s for s in value if not any(s.lower() in label.lower() for label in labels)]
    return (value, f"options: {labels}") if missing else None


def _attachment(value: str, outcome: Outcome, view: _StudioView) -> Result:
    kinds = [a.kind.lower() for a in outcome.reply.attachments] if outcome.reply else []
    return None if str(value).lower() in kinds else (str(value).lower(), f"attachments: {kinds}")


def _error(value: bool, outcome: Outcome, view: _StudioView) -> Result:
    actual = bool(outcome.reply.error) if outcome.reply else None
    if actual == value:
        return None
    return (f"error: {str(value).lower()}", f"error: {str(actual).lower()}")


# --- store checks --------------------------------------------------------------------------------


def _sessions(value: list[dict[str, Any]], outcome: Outcome, view: _StudioView) -> Result:
    rows = view.sessions()
    bad = []
    for entry in value:
        count = sum(1 for row in rows if view.matches(row, entry))
        if count != 1:
            bad.append(f"{count} sessions match {_entry_text(entry)}")
    return (value, "; ".join(bad) + f" — the studio has: {view.describe(rows)}") if bad else None


def _no_sessions(value: list[dict[str, Any]], outcome: Outcome, view: _StudioView) -> Result:
    rows = view.sessions()
    bad = [
        f"{view.describe([row])[0]} matches {_entry_text(entry)}"
        for entry in value
        for row in rows
        if view.matches(row, entry)
    ]
    return (f"no session matching {value}", "; ".join(bad)) if bad else None


def _session_count(value: int, outcome: Outcome, view: _StudioView) -> Result:
    rows = view.sessions()
    return None if len(rows) == value else (value, f"{len(rows)}: {view.describe(rows)}")


def _notifications(value: list[dict[str, Any]], outcome: Outcome, view: _StudioView) -> Result:
    queued = outcome.notifications
    missing = []
    for entry in value:
        to = str(entry.get("to") or "").lstrip("@").lower()
        words = [w.lower() for w in entry.get("contains") or []]
        if not any((not to or n.to == to) and all(w in n.text.lower() for w in words) for n in queued):
            missing.append(entry)
    if not missing:
        return None
    found = [
        {"to": n.to, "text": n.text} for n in queued
    ] or "no notification was queued since the previous turn"
    return (missing, found)


def _no_notifications(value: bool, outcome: Outcome, view: _StudioView) -> Result:
    if not value or not outcome.notifications:
        return None
    return ("no notification", [{"to": n.to, "text": n.text} for n in outcome.notifications])


def _balance(value: dict[str, Any], outcome: Outcome, view: _StudioView) -> Result:
    from domain.queries.balance import client_balance

    client = view.cast.id_of(str(value["client"]))
    if client is None:
        return (value, f"nobody has the handle {value['client']!r}")
    balance = view.store.run(view.cast.system(), lambda uow: client_balance(uow, client))
    return None if balance.credits == value["sessions"] else (value["sessions"], balance.credits)


def _commission(value: dict[str, Any], outcome: Outcome, view: _StudioView) -> Result:
    from domain.commission.queries import month_commission

    trainer = view.cast.id_of(str(value["trainer"]))
    if trainer is None:
        return (value, f"nobody has the handle {value['trainer']!r}")
    amount = month_commission(view.store, view.cast.system(), trainer, value["month"])
    expected = Decimal(value["amount"]).quantize(CENT, ROUND_HALF_UP)
    found = Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    return (
        None if found == expected else (f"{expected} {view.cast.currency}", f"{found} {view.cast.currency}")
    )


REPLY_KEYS = {"reply_contains", "reply_not_contains", "options_include", "attachment", "error"}
CHECKS: dict[str, Callable[[Any, Outcome, _StudioView], Result]] = {
    "reply_contains": _reply_contains,
    "reply_not_contains": _reply_not_contains,
    "options_include": _options_include,
    "attachment": _attachment,
    "error": _error,
    "sessions": _sessions,
    "no_sessions": _no_sessions,
    "session_count": _session_count,
    "notifications": _notifications,
    "no_notifications": _no_notifications,
    "balance": _balance,
    "commission": _commission,
}


# --- the studio's sessions, by handle ------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    trainer: str
    client: str
    start: datetime  # naive local
    duration_minutes: int
    status: str
    session_type: str
    substitute_for: str | None
    notes: tuple[str, ...]


class _StudioView:
    """The studio's sessions read once per turn (lazily), with people by handle."""

    def __init__(self, store: Store, cast: Cast) -> None:
        self.store = store
        self.cast = cast
        self._rows: list[SessionRow] | None = None

    def sessions(self) -> list[SessionRow]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows

    def _load(self) -> list[SessionRow]:
        with self.store.sessions() as db:
            handles: dict[uuid.UUID, str] = dict(
                db.execute(
                    select(Person.id, Person.handle).where(Person.studio_id == self.cast.studio_id)
                ).all()
            )
            notes: dict[uuid.UUID, list[str]] = {}
            for session_id, text in db.execute(
                select(SessionNote.session_id, SessionNote.text)
                .join(TrainingSession, TrainingSession.id == SessionNote.session_id)
                .where(TrainingSession.studio_id == self.cast.studio_id)
                .order_by(SessionNote.created_at)
            ).all():
                notes.setdefault(session_id, []).append(text)
            sessions = db.scalars(
                select(TrainingSession)
                .where(TrainingSession.studio_id == self.cast.studio_id)
                .order_by(TrainingSession.start_at, TrainingSession.id)
            ).all()
            return [
                SessionRow(
                    trainer=handles.get(s.trainer_id, "?"),
                    client=handles.get(s.client_id, "?"),
                    start=to_local(s.start_at, self.cast.tz),
                    duration_minutes=s.duration_minutes,
                    status=s.status,
                    session_type=s.session_type,
                    substitute_for=handles.get(s.substitute_for_id) if s.substitute_for_id else None,
                    notes=tuple(notes.get(s.id, ())),
                )
                for s in sessions
            ]

    def matches(self, row: SessionRow, entry: dict[str, Any]) -> bool:
        for key, want in entry.items():
            if key in ("trainer", "client"):
                if getattr(row, key) != str(want).lstrip("@").lower():
                    return False
            elif key == "substitute_for":
                have = row.substitute_for
                if (have or "") != ("" if want in (None, False, "") else str(want).lstrip("@").lower()):
                    return False
            elif key == "start":
                if row.start.replace(second=0, microsecond=0) != to_local(want, self.cast.tz).replace(
                    second=0, microsecond=0
                ):
                    return False
            elif key == "duration_minutes":
                if row.duration_minutes != want:
                    return False
            elif key == "status":
                wanted = str(want).lower()
                if not (row.status == wanted or (wanted == "completed" and row.status in COMPLETED)):
                    return False
            elif key == "session_type":
                if row.session_type != str(want).lower():
                    return False
            elif key == "note_contains":
                words = [want] if isinstance(want, str) else list(want or [])
                if not all(any(str(w).lower() in n.lower() for n in row.notes) for w in words):
                    return False
        return True

    def describe(self, rows: list[SessionRow]) -> list[str]:
        return [
            f"{r.trainer}/{r.client} {r.start:%Y-%m-%dT%H:%M} {r.duration_minutes} min {r.status}"
            + (f" {r.session_type}" if r.session_type != "standard" else "")
            + (f" substitute_for={r.substitute_for}" if r.substitute_for else "")
            + (f" notes={list(r.notes)}" if r.notes else "")
            for r in rows
        ]


def _entry_text(entry: dict[str, Any]) -> str:
    parts = []
    for key, value in entry.items():
        shown = f"{value:%Y-%m-%dT%H:%M}" if isinstance(value, datetime) else value
        parts.append(f"{key}={shown}")
    return "{" + ", ".join(parts) + "}"
