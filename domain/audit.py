"""Writing the audit trail: one entry per change, in the change's own transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import Connection, inspect
from sqlalchemy.orm import Session

from domain.actor import Actor
from domain.model import AuditEntry, Base


def snapshot(obj: Base | None) -> dict[str, Any] | None:
    """The column values of a row as JSON-safe data (what `before`/`after` hold)."""
    if obj is None:
        return None
    return {key: jsonable(getattr(obj, key)) for key in _column_keys(type(obj))}


@cache
def _column_keys(cls: type[Base]) -> tuple[str, ...]:
    """A mapped class's column attributes, looked up once (snapshots run in every command)."""
    return tuple(attr.key for attr in inspect(cls).column_attrs)


# Values stored as they are; checked by exact type first because snapshots run in every command.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


# `inline`: the new id is not wanted, so PostgreSQL isn't asked to return it.
_INSERT = AuditEntry.__table__.insert().inline()


def _row(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
    undoes_id: int | None,
) -> dict[str, Any]:
    """The column values of one entry: what `append` inserts and `record` builds."""
    return {
        "studio_id": actor.studio_id,
        "actor_id": actor.person_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "before": jsonable(before) if before is not None else None,
        "after": jsonable(after) if after is not None else None,
        "reason": reason,
        "channel": actor.channel,
        "undoes_id": undoes_id,
    }


def append(
    conn: Connection,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    undoes_id: int | None = None,
) -> None:
    """`record` as one Core INSERT, for hot paths that don't need the entry back.

    The same row as `record` writes (the `created_at` default included),
    without building, tracking and flushing an ORM object for an append-only
    row nobody reads in the command. It runs at once: whatever it references
    (studio, actor, the entry it undoes) already exists.
    """
    conn.execute(_INSERT, _row(actor, action, entity_type, entity_id, before, after, reason, undoes_id))


def record(
    db: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    undoes_id: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(**_row(actor, action, entity_type, entity_id, before, after, reason, undoes_id))
    db.add(entry)
    return entry
