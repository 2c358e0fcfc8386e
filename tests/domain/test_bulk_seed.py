"""The benchmark's generated studio loads into a migrated PostgreSQL database and reads like any other."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.model import Studio, TrainingSession
from domain.seed.bulk import load


def test_bulk_studio_loads_with_every_policy_default(postgres_engine) -> None:
    made = load(postgres_engine, trainers=3, clients=12, sessions=90)
    with postgres_engine.connect() as conn:
        sessions = conn.scalar(
            select(func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.studio_id == made.studio_id)
        )
        studio = conn.execute(select(Studio.__table__).where(Studio.id == made.studio_id)).one()
    assert sessions == made.sessions == 90
    assert studio.late_cancel_hours == 24 and studio.currency == "USD"
