"""Authorization, decided in the domain so that every channel gets the same answer.

The matrix (README, "Who may do what"): for each action, which roles may do
it and on what. Scopes:

* ``studio`` — anything in the actor's studio (managers; admins too),
* ``own_sessions`` — sessions the trainer delivers (`trainer_id`) or that
  were covered for them (`substitute_for_id`),
* ``own_clients`` — clients whose primary trainer they are, or who have a
  session with them,
* ``self`` — the actor's own person, or sessions where they are the client.

An action missing for a role is refused with a polite sentence.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session

from domain.actor import Actor
from domain.errors import NotAllowed
from domain.model import Person, Role, TrainingSession

STUDIO, OWN_SESSIONS, OWN_CLIENTS, SELF = "studio", "own_sessions", "own_clients", "self"

A, M, T, C = Role.ADMIN, Role.MANAGER, Role.TRAINER, Role.CLIENT

MATRIX: dict[str, dict[Role, str]] = {
    # people
    "add_person": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS},
    "update_person": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS, C: SELF},
    "link_identity": {A: STUDIO, M: STUDIO, T: SELF, C: SELF},
    "issue_link_code": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS},
    "set_working_hours": {A: STUDIO, M: STUDIO, T: SELF},
    "add_time_off": {A: STUDIO, M: STUDIO, T: SELF},
    "tag_client": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS},
    "sell_package": {A: STUDIO, M: STUDIO},
    # sessions
    "log_session": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS},
    "book_session": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS, C: SELF},
    "cancel_session": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS, C: SELF},
    "reschedule_session": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS, C: SELF},
    "mark_no_show": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS},
    "validate_session": {A: STUDIO, M: STUDIO, C: SELF},
    "dispute_session": {A: STUDIO, M: STUDIO, C: SELF},
    "resolve_dispute": {A: STUDIO, M: STUDIO},
    "add_note": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS},
    "join_waitlist": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS, C: SELF},
    # money
    "approve_commissions": {A: STUDIO, M: STUDIO},
    "set_commission_plan": {A: STUDIO, M: STUDIO},
    "view_commission": {A: STUDIO, M: STUDIO, T: SELF},
    # reading
    "view_sessions": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS, C: SELF},
    "view_stats": {A: STUDIO, M: STUDIO, T: OWN_SESSIONS},
    "view_balance": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS, C: SELF},
    "view_availability": {A: STUDIO, M: STUDIO, T: STUDIO, C: STUDIO},
    "view_people": {A: STUDIO, M: STUDIO, T: OWN_CLIENTS, C: SELF},
}

ACTION_WORDS = {
    "add_person": "add people",
    "update_person": "change this person's details",
    "link_identity": "link this chat account",
    "issue_link_code": "invite this person",
    "set_working_hours": "change this trainer's working hours",
    "add_time_off": "add time off for this trainer",
    "tag_client": "tag this client",
    "sell_package": "sell packages",
    "log_session": "log this session",
    "book_session": "book this session",
    "cancel_session": "cancel this session",
    "reschedule_session": "move this session",
    "mark_no_show": "mark this session as a no-show",
    "validate_session": "confirm this session",
    "dispute_session": "dispute this session",
    "resolve_dispute": "resolve disputes",
    "add_note": "add notes to this session",
    "join_waitlist": "put this client on a waitlist",
    "approve_commissions": "approve commissions",
    "set_commission_plan": "change commission plans",
    "view_commission": "see this trainer's commission",
    "view_sessions": "see these sessions",
    "view_stats": "see studio figures",
    "view_balance": "see this client's package",
    "view_availability": "see availability",
    "view_people": "see this person",
}


def scopes(actor: Actor, action: str) -> set[str]:
    """The scopes the actor's roles give for an action (empty: not allowed at all)."""
    return role_scopes(actor.roles, action)


def role_scopes(roles: Iterable[Role], action: str) -> set[str]:
    """The scopes these roles give for an action: also read before asking (a voice note's readings)."""
    rules = MATRIX[action]
    return {rules[role] for role in roles if role in rules}


def refuse(action: str) -> NotAllowed:
    return NotAllowed(f"Sorry, you can't {ACTION_WORDS.get(action, action.replace('_', ' '))}.")


def require_role(actor: Actor, action: str) -> set[str]:
    found = scopes(actor, action)
    if not found:
        raise refuse(action)
    return found


def _trainer_has_client(db: Session, trainer_id: uuid.UUID, client: Person) -> bool:
    if client.primary_trainer_id == trainer_id:
        return True
    return bool(
        db.scalar(
            select(
                exists().where(
                    TrainingSession.client_id == client.id,
                    or_(
                        TrainingSession.trainer_id == trainer_id,
                        TrainingSession.substitute_for_id == trainer_id,
                    ),
                )
            )
        )
    )


def allows_session(actor: Actor, action: str, session: TrainingSession) -> bool:
    if session.studio_id != actor.studio_id:
        return False
    for scope in scopes(actor, action):
        if scope == STUDIO:
            return True
        if scope == OWN_SESSIONS and actor.person_id in (session.trainer_id, session.substitute_for_id):
            return True
        if scope == SELF and actor.person_id == session.client_id:
            return True
    return False


def require_session(actor: Actor, action: str, session: TrainingSession) -> None:
    if not allows_session(actor, action, session):
        raise refuse(action)


def allows_person(db: Session, actor: Actor, action: str, person: Person) -> bool:
    if person.studio_id != actor.studio_id:
        return False
    for scope in scopes(actor, action):
        if scope == STUDIO:
            return True
        if scope == SELF and actor.person_id == person.id:
            return True
        if scope == OWN_CLIENTS and actor.person_id is not None:
            if actor.person_id == person.id:
                return True
            if Role.CLIENT in person.roles and _trainer_has_client(db, actor.person_id, person):
                return True
    return False


def require_person(db: Session, actor: Actor, action: str, person: Person) -> None:
    if not allows_person(db, actor, action, person):
        raise refuse(action)


def session_filter(actor: Actor, action: str = "view_sessions") -> ColumnElement[bool]:
    """A WHERE clause limiting a session query to what the actor may see."""
    clauses: list[ColumnElement[bool]] = []
    for scope in scopes(actor, action):
        if scope == STUDIO:
            return TrainingSession.studio_id == actor.studio_id
        if scope == OWN_SESSIONS:
            clauses.append(
                or_(
                    TrainingSession.trainer_id == actor.person_id,
                    TrainingSession.substitute_for_id == actor.person_id,
                )
            )
        if scope == SELF:
            clauses.append(TrainingSession.client_id == actor.person_id)
    if not clauses:
        return false()
    return (TrainingSession.studio_id == actor.studio_id) & (
        or_(*clauses) if len(clauses) > 1 else clauses[0]
    )


__all__ = [
    "MATRIX",
    "allows_person",
    "allows_session",
    "require_person",
    "require_role",
    "require_session",
    "scopes",
    "session_filter",
    "true",
]
