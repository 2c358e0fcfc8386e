"""Two real concurrent transactions race for one trainer's hour: exactly one wins, on both databases.

Each thread has its own engine and Store on the same database (for SQLite the
same file), so the transactions are genuinely separate connections. The
second test takes the Python pre-check away, to show the database alone
(PostgreSQL's exclusion constraint, SQLite's trigger) refuses the overlap.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders import actor, give_package, studio_with_people
from sqlalchemy import func, select

import domain.handlers.sessions as session_handlers
from domain.commands import BookSession
from domain.db import make_engine
from domain.errors import DoubleBooking
from domain.model import TrainingSession
from domain.store import Store

NY = ZoneInfo("America/New_York")


def race(store: Store, jobs: list) -> list:
    """Run each job(store_of_its_own) in its own thread, released together; returns results or exceptions."""
    url = store.engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i: int) -> None:
        engine = make_engine(url)
        own = Store(engine, clock=store.clock)
        try:
            barrier.wait(timeout=30)
            results[i] = jobs[i](own)
        except Exception as error:  # noqa: BLE001 - the loser's error is the result
            results[i] = error
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a transaction hung"
    return results


def active_sessions(store: Store, trainer_id) -> int:
    with store.sessions() as db:
        return db.scalar(
            select(func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.trainer_id == trainer_id, TrainingSession.status == "scheduled")
        )


def booking(cast, client, start):
    return lambda s: s.execute(actor(cast["sarah"]), BookSession(cast["sarah"].id, cast[client].id, start))


@pytest.mark.parametrize("attempt", range(3))
def test_two_bookings_racing_for_one_slot_exactly_one_wins(store, attempt):
    cast = studio_with_people(store)
    give_package(store, cast["emma"], 5)
    give_package(store, cast["john"], 5)
    start = datetime(2026, 3, 13, 15, tzinfo=NY)
    results = race(
        store, [booking(cast, "emma", start), booking(cast, "john", start + timedelta(minutes=30))]
    )
    winners = [r for r in results if isinstance(r, TrainingSession)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], DoubleBooking), repr(losers[0])
    assert active_sessions(store, cast["sarah"].id) == 1


def test_the_database_alone_refuses_the_overlap(store, monkeypatch):
    """Without the pre-check both transactions try to insert; the DB constraint stops the second."""
    cast = studio_with_people(store)
    give_package(store, cast["emma"], 5)
    give_package(store, cast["john"], 5)
    monkeypatch.setattr(session_handlers, "overlapping", lambda *a, **k: None)
    start = datetime(2026, 3, 13, 15, tzinfo=NY)
    results = race(
        store, [booking(cast, "emma", start), booking(cast, "john", start + timedelta(minutes=30))]
    )
    assert sorted(type(r).__name__ for r in results) == ["DoubleBooking", "TrainingSession"], results
    assert "just taken by another booking" in str(next(r for r in results if isinstance(r, DoubleBooking)))
    assert active_sessions(store, cast["sarah"].id) == 1


def test_a_direct_insert_of_an_overlap_is_refused_by_the_database(store):
    """No command at all: a raw insert of an overlapping row fails at the database."""
    import uuid

    from sqlalchemy.exc import IntegrityError, OperationalError

    cast = studio_with_people(store)
    start = datetime(2026, 3, 13, 15, tzinfo=NY)

    def row(client, begin):
        sid = uuid.uuid4()
        return TrainingSession(
            id=sid,
            studio_id=cast["studio"].id,
            trainer_id=cast["sarah"].id,
            client_id=cast[client].id,
            slot_id=sid,
            start_at=begin,
            end_at=begin + timedelta(hours=1),
            start_local=begin.replace(tzinfo=None),
            duration_minutes=60,
            status="scheduled",
            price=100,
        )

    with store.sessions() as db, db.begin():
        db.add(row("emma", start))
    with pytest.raises((IntegrityError, OperationalError)) as refused, store.sessions() as db, db.begin():
        db.add(row("john", start + timedelta(minutes=59)))
    assert "trainer_double_booked" in str(refused.value) or "sessions_no_overlap" in str(refused.value)
    # touching intervals are fine: [15:00, 16:00) and [16:00, 17:00)
    with store.sessions() as db, db.begin():
        db.add(row("john", start + timedelta(hours=1)))
    assert active_sessions(store, cast["sarah"].id) == 2
