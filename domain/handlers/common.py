"""Helpers every handler shares: loading rows in the actor's studio, and the after-change steps.

A session change always ends the same way (`finish_session_change`): store the
credit the session should hold, reconcile the ledger, write the one audit
entry, and tell commissions. Keeping it in one place is what makes "exactly
one audit entry per change" and "one credit mechanism" true by construction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.util import identity_key

from domain import audit
from domain.commission.hooks import session_changed
from domain.errors import InvalidInput, NotFound
from domain.ledger import reconcile
from domain.model import Location, Person, PersonRole, Role, Studio, TrainingSession
from domain.policy import POLICY_COLUMNS, StudioPolicy, holds_credit
from domain.store import UnitOfWork

NO_ID = uuid.UUID(int=0)  # an id no row has (fills unused query parameters)

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


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as session commands see them: who, whether active, which roles. Read-only.

    Logging or booking a session only checks the trainer and client and names
    them in sentences; an ORM `Person` (identity map, role rows loaded by a
    second query) costs far more than that needs.
    """

    id: uuid.UUID
    studio_id: uuid.UUID
    full_name: str
    active: bool
    roles: frozenset[Role]


_studios, _people, _roles = Studio.__table__, Person.__table__, PersonRole.__table__
# Built once. The studio drives the query, so its policy comes back even when no person matches:
# one row per (person, role), the policy on each. People are matched by id alone, so the primary
# key is the index used (matching the studio too tempts SQLite into scanning the studio's people);
# `view_of` refuses one from another studio.
_SELECT_PEOPLE = (
    select(
        *POLICY_COLUMNS,
        _people.c.id,
        _people.c.studio_id,
        _people.c.full_name,
        _people.c.active,
        _roles.c.role,
    )
    .select_from(_studios)
    .outerjoin(_people, _people.c.id.in_([bindparam(name, type_=_people.c.id.type) for name in "abc"]))
    .outerjoin(_roles, _roles.c.person_id == _people.c.id)
    .where(_studios.c.id == bindparam("studio_id"))
)
_POLICY_WIDTH = len(POLICY_COLUMNS)

P = TypeVar("P", Person, PersonView)


def people_view(uow: UnitOfWork, *ids: uuid.UUID | None) -> dict[uuid.UUID, PersonView]:
    """Up to three people by id, with their roles, in one round trip (missing ones absent).

    The same query reads the studio's policy, which session commands need
    next: `uow.policy` then costs nothing. (Every statement saved counts: a
    logged session is a handful of them.)
    """
    wanted = [i for i in ids if isinstance(i, uuid.UUID)]
    if len(wanted) > 3:
        raise ValueError("people_view loads at most three people")
    a, b, c = ((wanted or [NO_ID]) * 3)[:3]
    rows = uow.conn.execute(_SELECT_PEOPLE, {"studio_id": uow.actor.studio_id, "a": a, "b": b, "c": c}).all()
    if not rows:
        raise NotFound("That studio does not exist.")
    uow.keep_policy(StudioPolicy(*rows[0][:_POLICY_WIDTH]))
    found: dict[uuid.UUID, tuple[Any, ...]] = {}
    roles: dict[uuid.UUID, set[Role]] = {}
    for person_id, studio_id, full_name, active, role in (row[_POLICY_WIDTH:] for row in rows):
        if person_id is None:
            continue
        found[person_id] = (person_id, studio_id, full_name, active)
        if role is not None:
            roles.setdefault(person_id, set()).add(Role(role))
    return {pid: PersonView(*row, frozenset(roles.get(pid, ()))) for pid, row in found.items()}


def view_of(uow: UnitOfWork, people: dict[uuid.UUID, PersonView], person_id: Any, what: str) -> PersonView:
    """A person from `people_view`, refused like `get_person` when absent or in another studio."""
    person = people.get(person_id) if isinstance(person_id, uuid.UUID) else None
    if person is None or person.studio_id != uow.actor.studio_id:
        raise NotFound(f"I can't find that {what}.")
    return person


def require_trainer(trainer: P) -> P:
    """An active trainer (the sentence names them otherwise)."""
    if Role.TRAINER not in trainer.roles:
        raise InvalidInput(f"{trainer.full_name} isn't a trainer here.")
    if not trainer.active:
        raise InvalidInput(f"{trainer.full_name} no longer works at the studio.")
    return trainer


def require_client(client: P) -> P:
    """An active client (the sentence names them otherwise)."""
    if Role.CLIENT not in client.roles:
        raise InvalidInput(f"{client.full_name} isn't a client here.")
    if not client.active:
        raise InvalidInput(f"{client.full_name} is no longer an active client.")
    return client


def get_trainer(uow: UnitOfWork, trainer_id: uuid.UUID) -> Person:
    return require_trainer(get_person(uow, trainer_id, "trainer", lean=True))


def get_client(uow: UnitOfWork, client_id: uuid.UUID) -> Person:
    return require_client(get_person(uow, client_id, "client", lean=True))


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
    """Credit, ledger and commissions after a change; returns the session's new snapshot.

    `before` None: a session `sessions.insert_session` just wrote (its credit is set);
    otherwise an ORM-loaded session whose change is flushed here.
    """
    if before is not None:
        if recompute_credit:
            session.holds_credit = holds_credit(session, uow.policy)
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
    audit.append(uow.conn, uow.actor, action, "session", session.id, before, after, reason, undoes_id)
