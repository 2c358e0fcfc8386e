"""The one way a notification gets queued: in the transaction of the change it announces.

`queue(uow, ...)` adds a row to the outbox (`Notification`). The `dedupe_key`
makes an announcement happen once: queuing the same key again is a no-op, so a
retried message, a repeated scheduler tick or two workers racing never tell
someone twice. Sending is the reminders issue's job; the conversation tests
read the queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from domain.model import Notification
from domain.store import UnitOfWork

MAX_KEY = 200


def _option(item: Any) -> dict[str, str]:
    """An option as stored: {label, payload}; accepts objects with .label/.payload, dicts and pairs."""
    if isinstance(item, dict):
        return {"label": str(item["label"]), "payload": str(item["payload"])}
    if isinstance(item, tuple | list):
        return {"label": str(item[0]), "payload": str(item[1])}
    return {"label": str(item.label), "payload": str(item.payload)}


def queue(
    uow: UnitOfWork,
    recipient_id: uuid.UUID,
    kind: str,
    text: str,
    options: Iterable[Any] = (),
    dedupe_key: str | None = None,
    session_id: uuid.UUID | None = None,
    due_at: datetime | None = None,
) -> Notification | None:
    """Queue a notification; None when one with the same `dedupe_key` already exists."""
    key = (dedupe_key or f"{kind}:{recipient_id.hex}:{uuid.uuid4().hex}")[:MAX_KEY]
    values = {
        "id": uuid.uuid4(),
        "studio_id": uow.actor.studio_id,
        "recipient_id": recipient_id,
        "kind": kind,
        "dedupe_key": key,
        "text": text,
        "options": [_option(o) for o in options],
        "session_id": session_id,
        "status": "queued",
        "due_at": due_at or uow.now,
        "attempts": 0,
        "created_at": uow.now,
    }
    dialect = uow.db.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        # One statement, and a twin (same key, even from a concurrent transaction) is a no-op.
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = (
            insert(Notification)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.id)
        )
        uow.db.flush()
        if uow.db.execute(stmt).first() is None:
            return None
        return uow.db.get(Notification, values["id"])
    if uow.db.scalar(select(Notification.id).where(Notification.dedupe_key == key)) is not None:
        return None
    row = Notification(**values)
    try:
        with uow.db.begin_nested():
            uow.db.add(row)
            uow.db.flush()
    except IntegrityError:  # a concurrent twin won the race: same effect, once
        return None
    return row


def withdraw(uow: UnitOfWork, session_id: uuid.UUID, kinds: Iterable[str] | None = None) -> int:
    """Mark still-queued notifications about a session as withdrawn (it was undone or corrected)."""
    stmt = update(Notification).where(Notification.session_id == session_id, Notification.status == "queued")
    if kinds is not None:
        stmt = stmt.where(Notification.kind.in_(list(kinds)))
    result = uow.db.execute(stmt.values(status="withdrawn"))
    return int(result.rowcount or 0)
