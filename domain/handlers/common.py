"""Helpers every handler shares: loading rows in the actor's studio, and the after-change steps.

A session change always ends the same way (`finish_session_change`): store the
credit the session should hold, reconcile the ledger, write the one audit
entry, and tell commissions. Keeping it in one place is what makes "exactly
one audit entry per change" and "one credit mechanism" true by construction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.util import identity_key

from domain import audit
from domain.commission.hooks import session_changed
from domain.errors import InvalidInput, NotFound
from domain.ledger import reconcile
from domain.model import Location, Person, Role, TrainingSession
from domain.policy import holds_credit
from domain.store import UnitOfWork

# Fields whose change can move money (commissions are told when one changes).
MONEY_FIELDS = ("status", "price", "trainer_id", "start_at", "session_type")


def get_person(uow: UnitOfWork, person_id: uuid.UUID, what: str = "person", lean: bool = False) -> Person:
    """A person of the actor's studio. `lean` skips loading tags (session commands never read them)."""
    if not isinstance(person_id, uuid.UUID):
        raise NotFound(f"I can't find that {what}.")
    if lean:
        person = uow.db.identity_map.get(identity_key(Person, person_id)) or uow.db.get(
            Person, person_id, options=[lazyload(Person.tag_rows)]
        )
    else:
        person = uow.db.get(Person, person_id)
    if person is None or person.studio_id != uow.actor.studio_id:
        raise NotFound(f"I can't find that {what}.")
    return person


def preload_people(uow: UnitOfWork, *ids: uuid.UUID | None) -> list[Person]:
    """Load several people (and their roles) in one round trip; later `get_*` calls hit the identity map.

    The identity map holds rows weakly: keep the returned list referenced while you use them.
    """
    wanted = [i for i in ids if isinstance(i, uuid.UUID)]
    if len(wanted) < 2:
        return []
    return list(
        uow.db.scalars(select(Person).where(Person.id.in_(wanted)).options(lazyload(Person.tag_rows)))
    )


def get_trainer(uow: UnitOfWork, trainer_id: uuid.UUID) -> Person:
    trainer = get_person(uow, trainer_id, "trainer", lean=True)
    if Role.TRAINER not in trainer.roles:
        raise InvalidInput(f"{trainer.full_name} isn't a trainer here.")
    if not trainer.active:
        raise InvalidInput(f"{trainer.full_name} no longer works at the studio.")
    return trainer


def get_client(uow: UnitOfWork, client_id: uuid.UUID) -> Person:
    client = get_person(uow, client_id, "client", lean=True)
    if Role.CLIENT not in client.roles:
        raise InvalidInput(f"{client.full_name} isn't a client here.")
    if not client.active:
        raise InvalidInput(f"{client.full_name} is no longer an active client.")
    return client


def get_session(uow: UnitOfWork, session_id: uuid.UUID, lock: bool = True) -> TrainingSession:
    """A session of the actor's studio, locked for update on PostgreSQL (SQLite already holds the write lock)."""
    query = select(TrainingSession).where(TrainingSession.id == session_id)
    if lock:
        query = query.with_for_update()
    session = uow.db.scalars(query).first() if isinstance(session_id, uuid.UUID) else None
    if session is None or session.studio_id != uow.actor.studio_id:
        raise NotFound("I can't find that session.")
    return session


def get_location(uow: UnitOfWork, location_id: uuid.UUID | None) -> Location | None:
    if location_id is None:
        return None
    location = uow.db.get(Location, location_id)
    if location is None or location.studio_id != uow.actor.studio_id:
        raise NotFound("I can't find that location.")
    return location


def touch(uow: UnitOfWork, session: TrainingSession) -> None:
    session.updated_by_id = uow.actor.person_id
    session.updated_via = uow.actor.channel
    session.updated_at = uow.now


def settle_session(
    uow: UnitOfWork, session: TrainingSession, before: dict[str, Any] | None, recompute_credit: bool = True
) -> dict[str, Any]:
    """Credit, ledger and commissions after a change; returns the session's new snapshot."""
    if recompute_credit:
        session.holds_credit = holds_credit(session, uow.studio)
    uow.db.flush()
    reconcile(uow.db, session, uow.now, new=before is None)
    after = audit.snapshot(session) or {}
    if before is None or any(before.get(f) != after.get(f) for f in MONEY_FIELDS):
        session_changed(uow, session, before)
    return after


def finish_session_change(
    uow: UnitOfWork,
    session: TrainingSession,
    action: str,
    before: dict[str, Any] | None,
    reason: str | None = None,
    undoes_id: int | None = None,
    recompute_credit: bool = True,
) -> None:
    """Credit, ledger, commissions, then the one audit entry — in the command's transaction."""
    after = settle_session(uow, session, before, recompute_credit)
    audit.record(uow.db, uow.actor, action, "session", session.id, before, after, reason, undoes_id)
    uow.db.flush()
