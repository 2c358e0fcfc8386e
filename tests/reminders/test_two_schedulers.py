"""Two scheduler processes on one PostgreSQL over 10,000 due reminders: each delivered exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from benchmarks.outbox_workers import run_workers, seed
from domain.model import Notification


@pytest.mark.slow
def test_two_processes_deliver_each_exactly_once(postgres_engine):
    url = postgres_engine.url.render_as_string(hide_password=False)
    seed(url, 10_000)
    results = run_workers(url, 2)
    seen = Counter(text for r in results for text in r["texts"])
    assert len(seen) == 10_000 and max(seen.values()) == 1
    assert all(r["texts"] for r in results), "both processes took part"
    with postgres_engine.connect() as conn:
        statuses = dict(
            conn.execute(select(Notification.status, func.count()).group_by(Notification.status)).all()
        )
    assert statuses == {"sent": 10_000}
