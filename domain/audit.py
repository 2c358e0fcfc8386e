"""Writing the audit trail: one entry per change, in the change's own transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from domain.actor import Actor
from domain.model import AuditEntry, Base


def snapshot(obj: Base | None) -> dict[str, Any] | None:
    """The column values of a row as JSON-safe data (what `before`/`after` hold)."""
    if obj is None:
        return None
    mapper = inspect(obj).mapper
    return {attr.key: jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def jsonable(value: Any) -> Any:
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
    entry = AuditEntry(
        studio_id=actor.studio_id,
        actor_id=actor.person_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        reason=reason,
        channel=actor.channel,
        undoes_id=undoes_id,
    )
    db.add(entry)
    return entry
