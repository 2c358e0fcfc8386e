"""The database bounds a session's length, which is what keeps the overlap check's look-back sound.

The double-booking rule on SQLite (a trigger) only looks back
MAX_SESSION_MINUTES for an overlapping session, so the database must refuse
any row longer than that — or with its end before its start — however it is
written. PostgreSQL gets the same rule as a CHECK constraint.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders import studio_with_people
from sqlalchemy.exc import IntegrityError, OperationalError

from domain.model import MAX_SESSION_MINUTES, TrainingSession

NY = ZoneInfo("America/New_York")


def _row(cast, client: str, begin: datetime, minutes: int) -> TrainingSession:
    sid = uuid.uuid4()
    return TrainingSession(
        id=sid,
        studio_id=cast["studio"].id,
        trainer_id=cast["sarah"].id,
        client_id=cast[client].id,
        slot_id=sid,
        start_at=begin,
        end_at=begin + timedelta(minutes=minutes),
        start_local=begin.replace(tzinfo=None),
        duration_minutes=max(minutes, 0),
        status="scheduled",
        price=100,
    )


@pytest.mark.parametrize("minutes", [MAX_SESSION_MINUTES + 1, 0, -30])
def test_the_database_refuses_a_session_of_impossible_length(store, minutes) -> None:
    cast = studio_with_people(store)
    with pytest.raises((IntegrityError, OperationalError)) as refused, store.sessions() as db, db.begin():
        db.add(_row(cast, "emma", datetime(2026, 3, 13, 6, tzinfo=NY), minutes))
    assert "sessions_length" in str(refused.value.orig)


def test_the_longest_session_still_blocks_an_overlap_at_its_end(store) -> None:
    """A maximal session that began MAX_SESSION_MINUTES - 1 minutes earlier is found by the bounded check."""
    cast = studio_with_people(store)
    begin = datetime(2026, 3, 13, 6, tzinfo=NY)
    with store.sessions() as db, db.begin():
        db.add(_row(cast, "emma", begin, MAX_SESSION_MINUTES))
    late = begin + timedelta(minutes=MAX_SESSION_MINUTES - 1)
    with pytest.raises((IntegrityError, OperationalError)) as refused, store.sessions() as db, db.begin():
        db.add(_row(cast, "john", late, 60))
    reason = str(refused.value.orig)
    assert "trainer_double_booked" in reason or "sessions_no_overlap" in reason
    with store.sessions() as db, db.begin():
        db.add(_row(cast, "john", begin + timedelta(minutes=MAX_SESSION_MINUTES), 60))
