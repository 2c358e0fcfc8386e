"""Listing sessions: by trainer, client, period, status, type and substitution.

What comes back is a plain `SessionView` with names and times already in the
studio's zone, so a channel can show it without another query. Visibility is
the authorization matrix's `view_sessions`: a client sees only their own
sessions, a trainer the ones they deliver or that were covered for them, a
manager the whole studio.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from domain.authz import require_role, session_filter
from domain.errors import InvalidInput
from domain.model import COMPLETED_STATUSES, Location, Person, SessionStatus, SessionType, TrainingSession
from domain.queries.period import Bound, aware
from domain.store import UnitOfWork

# The contract's `completed`: the session took place (logged or confirmed).
COMPLETED = "completed"

# The people a listing names, aliased once: a fresh alias per call re-derives its columns
# (milliseconds per listing), while these keep theirs; the statement is the same either way.
_TRAINER = aliased(Person, name="trainer")
_CLIENT = aliased(Person, name="client")
_COVERED = aliased(Person, name="covered")


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    start: datetime  # aware, in the studio's zone
    end: datetime
    duration_minutes: int
    trainer_id: uuid.UUID
    trainer_name: str
    client_id: uuid.UUID
    client_name: str
    location: str | None
    session_type: str
    status: str
    substitute_for_id: uuid.UUID | None
    substitute_for_name: str | None
    price: Decimal
    late_cancel: bool
    slot_id: uuid.UUID


def statuses(wanted: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Expand a status filter: one status, several, or `completed` (pending_validation + validated)."""
    if wanted is None:
        return None
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    out: list[str] = []
    known = {s.value for s in SessionStatus}
    for name in names:
        if name == COMPLETED:
            out.extend(COMPLETED_STATUSES)
        elif name in known:
            out.append(name)
        else:
            raise InvalidInput(f"There is no session status called {name!r}.")
    return tuple(dict.fromkeys(out))


def session_types(wanted: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if wanted is None:
        return None
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    known = {t.value for t in SessionType}
    for name in names:
        if name not in known:
            raise InvalidInput(f"There is no session type called {name!r}.")
    return tuple(names)


def filtered(
    uow: UnitOfWork,
    *,
    action: str = "view_sessions",
    trainer_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    start: Bound | None = None,
    end: Bound | None = None,
    status: str | Iterable[str] | None = None,
    session_type: str | Iterable[str] | None = None,
    substitute: bool | None = None,
    location_id: uuid.UUID | None = None,
) -> Select[tuple[TrainingSession]]:
    """SELECT of the sessions matching the filters that the actor may see (not yet ordered)."""
    require_role(uow.actor, action)
    query = select(TrainingSession).where(session_filter(uow.actor, action))
    zone = uow.studio.zone
    if trainer_id is not None:
        query = query.where(TrainingSession.trainer_id == trainer_id)
    if client_id is not None:
        query = query.where(TrainingSession.client_id == client_id)
    if location_id is not None:
        query = query.where(TrainingSession.location_id == location_id)
    if start is not None:
        query = query.where(TrainingSession.start_at >= aware(start, zone))
    if end is not None:
        query = query.where(TrainingSession.start_at < aware(end, zone))
    wanted = statuses(status)
    if wanted is not None:
        query = query.where(TrainingSession.status.in_(wanted))
    types = session_types(session_type)
    if types is not None:
        query = query.where(TrainingSession.session_type.in_(types))
    if substitute is True:
        query = query.where(TrainingSession.substitute_for_id.is_not(None))
    elif substitute is False:
        query = query.where(TrainingSession.substitute_for_id.is_(None))
    return query


def list_sessions(
    uow: UnitOfWork,
    *,
    trainer_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    start: Bound | None = None,
    end: Bound | None = None,
    status: str | Iterable[str] | None = None,
    session_type: str | Iterable[str] | None = None,
    substitute: bool | None = None,
    location_id: uuid.UUID | None = None,
    limit: int | None = None,
    descending: bool = False,
) -> list[SessionView]:
    """The sessions the actor may see that match every given filter, ordered by start.

    `start`/`end` bound the session's start: [start, end). `status` may be
    `completed`. `substitute=True` keeps covered sessions only, False excludes them.
    """
    base = filtered(
        uow,
        trainer_id=trainer_id,
        client_id=client_id,
        start=start,
        end=end,
        status=status,
        session_type=session_type,
        substitute=substitute,
        location_id=location_id,
    )
    # Plain columns of the filtered select itself (no subquery, no entities): adapting an
    # aliased entity's columns and building ORM rows cost far more than the query runs.
    s = TrainingSession
    trainer, client, covered = _TRAINER, _CLIENT, _COVERED
    order = s.start_at.desc() if descending else s.start_at
    query = (
        base.with_only_columns(
            s.id,
            s.start_at,
            s.end_at,
            s.duration_minutes,
            s.trainer_id,
            s.client_id,
            s.session_type,
            s.status,
            s.substitute_for_id,
            s.price,
            s.late_cancel,
            s.slot_id,
            trainer.full_name.label("trainer_name"),
            client.full_name.label("client_name"),
            covered.full_name.label("covered_name"),
            Location.name.label("location"),
        )
        .select_from(s)
        .join(trainer, trainer.id == s.trainer_id)
        .join(client, client.id == s.client_id)
        .outerjoin(covered, covered.id == s.substitute_for_id)
        .outerjoin(Location, Location.id == s.location_id)
        .order_by(order, s.id)
    )
    if limit is not None:
        query = query.limit(limit)
    zone = uow.studio.zone
    return [
        SessionView(
            id=row.id,
            start=row.start_at.astimezone(zone),
            end=row.end_at.astimezone(zone),
            duration_minutes=row.duration_minutes,
            trainer_id=row.trainer_id,
            trainer_name=row.trainer_name,
            client_id=row.client_id,
            client_name=row.client_name,
            location=row.location,
            session_type=row.session_type,
            status=row.status,
            substitute_for_id=row.substitute_for_id,
            substitute_for_name=row.covered_name,
            price=row.price,
            late_cancel=row.late_cancel,
            slot_id=row.slot_id,
        )
        for row in uow.db.execute(query)
    ]
