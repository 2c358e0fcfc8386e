"""The lean write path: Core statements in the command's transaction, undone with it.

Logging a session writes its row, its ledger hold and its audit entry with
Core statements (not ORM flushes), the studio policy comes along with the
people in one query, and the trainer's time is checked in the INSERT itself.
These tests pin down what that must not change: a failure anywhere in the
command leaves nothing behind, also inside a savepoint; a studio edited
earlier in the same transaction is what the command sees.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from builders import db_state, make_person, make_studio
from sqlalchemy import func, select

from domain import audit
from domain.actor import Actor
from domain.commands import LogSession, SellPackage
from domain.errors import SpotterError
from domain.model import AuditEntry, LedgerEntry, Role, TrainingSession


class Boom(SpotterError):
    pass


def _explode(*_args, **_kwargs):  # type: ignore[no-untyped-def]
    raise Boom("the audit entry could not be written")


@pytest.fixture
def cast(store):  # type: ignore[no-untyped-def]
    studio = make_studio(store)
    trainer = make_person(store, studio, "sarah", "Sarah Lee", Role.TRAINER)
    client = make_person(store, studio, "emma", "Emma Wilson", Role.CLIENT)
    store.execute(Actor.system(studio.id), SellPackage(client.id, 5, Decimal("80")))
    return studio, trainer, client


def test_a_failure_after_the_insert_leaves_no_session_no_hold(store, clock, cast, monkeypatch) -> None:
    studio, trainer, client = cast
    before = db_state(store)
    monkeypatch.setattr(audit, "append", _explode)

    with pytest.raises(Boom):
        store.execute(
            Actor.system(studio.id), LogSession(trainer.id, client.id, clock() - timedelta(days=1), 60)
        )

    assert db_state(store) == before


def test_a_failure_inside_a_savepoint_undoes_only_that_command(store, clock, cast, monkeypatch) -> None:
    studio, trainer, client = cast
    start = clock() - timedelta(days=1)

    def work(uow):  # type: ignore[no-untyped-def]
        uow.execute(LogSession(trainer.id, client.id, start, 60))
        with monkeypatch.context() as patch:
            patch.setattr(audit, "append", _explode)
            with pytest.raises(Boom):
                uow.execute(LogSession(trainer.id, client.id, start - timedelta(hours=2), 60))
        uow.execute(LogSession(trainer.id, client.id, start - timedelta(hours=4), 60))

    store.run(Actor.system(studio.id), work)
    with store.sessions() as db:
        starts = sorted(db.scalars(select(TrainingSession.start_at)))
        holds = db.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.session_id.is_not(None))
        )
        logged = db.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "log_session")
        )
    assert starts == [start - timedelta(hours=4), start]
    assert holds == 2
    assert logged == 2


def test_a_policy_edited_earlier_in_the_transaction_is_the_one_used(store, clock, cast) -> None:
    studio, trainer, client = cast
    other = make_person(store, studio, "noah", "Noah Park", Role.CLIENT)  # no package: a drop-in

    def work(uow):  # type: ignore[no-untyped-def]
        uow.studio.drop_in_price = Decimal("55.00")
        uow.studio.default_session_minutes = 45
        return uow.execute(LogSession(trainer.id, other.id, clock() - timedelta(days=1)))

    session = store.run(Actor.system(studio.id), work)
    assert (session.price, session.duration_minutes) == (Decimal("55.00"), 45)


def test_two_racing_logs_of_one_hour_one_wins(store, clock, cast) -> None:
    """The INSERT … WHERE NOT EXISTS of two concurrent transactions: the database lets exactly one in."""
    from test_double_booking_race import race

    studio, trainer, client = cast
    second = make_person(store, studio, "john", "John Smith", Role.CLIENT)
    start = clock() - timedelta(days=1)
    system = Actor.system(studio.id)
    results = race(
        store,
        [
            lambda s: s.execute(system, LogSession(trainer.id, client.id, start, 60)),
            lambda s: s.execute(system, LogSession(trainer.id, second.id, start + timedelta(minutes=30), 60)),
        ],
    )
    assert sorted(type(r).__name__ for r in results) == ["DoubleBooking", "TrainingSession"], results
    with store.sessions() as db:
        assert db.scalar(select(func.count()).select_from(TrainingSession)) == 1
