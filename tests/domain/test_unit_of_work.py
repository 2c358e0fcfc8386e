"""Several commands in one unit of work: a refused one leaves nothing, the rest commits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from builders import make_person, make_studio
from sqlalchemy import func, select

from domain.actor import Actor
from domain.commands import LogSession, SellPackage
from domain.errors import DoubleBooking
from domain.model import AuditEntry, Role, TrainingSession


def test_refused_command_inside_a_unit_of_work_leaves_the_rest(store, clock) -> None:
    studio = make_studio(store)
    trainer = make_person(store, studio, "sarah", "Sarah Lee", Role.TRAINER)
    client = make_person(store, studio, "emma", "Emma Wilson", Role.CLIENT)
    system = Actor.system(studio.id)
    start = clock() - timedelta(days=1)

    def work(uow):  # type: ignore[no-untyped-def]
        uow.execute(SellPackage(client.id, 5, Decimal("80")))
        uow.execute(LogSession(trainer.id, client.id, start, 60))
        with pytest.raises(DoubleBooking):
            uow.execute(LogSession(trainer.id, client.id, start + timedelta(minutes=30), 60))
        return "done"

    assert store.run(system, work) == "done"
    with store.sessions() as db:
        assert db.scalar(select(func.count()).select_from(TrainingSession)) == 1
        actions = sorted(db.scalars(select(AuditEntry.action)))
    assert actions == ["log_session", "sell_package"]
