"""Which session a message means ("cancel John's session", "my session yesterday").

Candidates are the sessions the speaker may see (the domain's `view_sessions`
filter), in the statuses the action can start from, narrowed by the people
and the time mentioned. One candidate: that one. Several: the engine offers
them as options. None: a sentence saying what was looked for.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from domain.authz import session_filter
from domain.model import Person, TrainingSession

if TYPE_CHECKING:
    from bot.turn import Turn

SESSION_SLOT = "session"


def find_sessions(
    turn: Turn,
    *,
    statuses: Sequence[str],
    client: Person | None = None,
    trainer: Person | None = None,
    start: datetime | None = None,
    period: tuple[datetime, datetime] | None = None,
    future: bool | None = None,
    limit: int = 8,
) -> list[TrainingSession]:
    """Sessions matching what was said, nearest first (upcoming ascending, past descending)."""
    uow = turn.uow
    stmt = select(TrainingSession).where(
        TrainingSession.studio_id == uow.actor.studio_id,
        TrainingSession.status.in_(list(statuses)),
        session_filter(uow.actor, "view_sessions"),
    )
    if client is not None:
        stmt = stmt.where(TrainingSession.client_id == client.id)
    if trainer is not None:
        stmt = stmt.where(TrainingSession.trainer_id == trainer.id)
    if start is not None:
        stmt = stmt.where(TrainingSession.start_at == start)
    elif period is not None:
        stmt = stmt.where(TrainingSession.start_at >= period[0], TrainingSession.start_at < period[1])
    now = uow.now
    if future is True and start is None:
        stmt = stmt.where(TrainingSession.start_at >= now)
    if future is False and start is None:
        stmt = stmt.where(TrainingSession.start_at <= now)
    order = TrainingSession.start_at.desc() if future is False else TrainingSession.start_at.asc()
    found = list(uow.db.scalars(stmt.order_by(order).limit(limit)))
    if not found and start is not None:
        # "the 7am one" said a little off: within the hour around that time.
        return find_sessions(
            turn,
            statuses=statuses,
            client=client,
            trainer=trainer,
            period=(start - timedelta(minutes=59), start + timedelta(minutes=59)),
            future=None,
            limit=limit,
        )
    return found


def label(turn: Turn, session: TrainingSession) -> str:
    """How a session is named in options and replies: 'Thu, Mar 12 at 7:00 AM: John Smith with Sarah Lee'."""
    client = turn.name(session.client_id)
    trainer = turn.name(session.trainer_id)
    when = turn.when(session.start_at)
    if turn.is_manager:
        return f"{when}: {client} with {trainer}"
    if turn.speaker.id == session.client_id:
        return f"{when} with {trainer}"
    return f"{when} with {client}"


def pick_session(
    turn: Turn,
    slots: dict[str, Any],
    candidates: list[TrainingSession],
    *,
    none: str,
    question: str = "Which session?",
) -> TrainingSession:
    """The one session meant: the chosen one, the only candidate, or a question offering them."""
    chosen = slots.get(SESSION_SLOT)
    if isinstance(chosen, str):
        try:
            wanted = uuid.UUID(chosen)
        except ValueError:
            wanted = None
        for session in candidates:
            if session.id == wanted:
                return session
        if wanted is not None:
            session = turn.uow.db.get(TrainingSession, wanted)
            if session is not None and session.studio_id == turn.actor.studio_id:
                return session
    if not candidates:
        from domain.errors import NotFound

        raise NotFound(none)
    if len(candidates) == 1:
        return candidates[0]
    turn.choose(slots, SESSION_SLOT, question, [(label(turn, s), s.id.hex) for s in candidates])
    raise AssertionError("unreachable")
