"""Seeding many due notifications and delivering them from separate processes (test and benchmark)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from domain.actor import Actor
from domain.commands import AddPerson, LinkIdentity
from domain.db import make_engine
from domain.model import Notification, Role
from domain.seed.studio import create_studio
from domain.store import Store

NOON = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)  # 13:00 in New York: outside quiet hours


def seed(url: str, n: int, people: int = 100) -> None:
    """A studio with `people` clients on a "rec" chat and `n` due notifications spread over them.

    The rows are inserted in bulk (as `domain.notifications.queue` would write them) so seeding
    100,000 takes seconds.
    """
    store = Store(make_engine(url), clock=lambda: NOON - timedelta(days=1))
    studio, _ = create_studio(store, "Bench Studio", "America/New_York", "USD")
    system = Actor.system(studio.id)
    ids = []
    for i in range(people):
        person = store.execute(system, AddPerson(f"c{i}", f"Client {i}", (Role.CLIENT,)))
        store.execute(system, LinkIdentity(person.id, "rec", f"rec-{i}"))
        ids.append(person.id)
    rows = [
        {
            "id": uuid.uuid4(),
            "studio_id": studio.id,
            "recipient_id": ids[i % people],
            "kind": "upcoming_reminder",
            "dedupe_key": f"bench:{i}",
            "text": f"message {i}",
            "options": [{"label": "Cancel", "payload": f"cancel:{i:032x}"}],
            "status": "queued",
            "due_at": NOON - timedelta(seconds=i % 600),
            "attempts": 0,
            "created_at": NOON - timedelta(hours=1),
        }  # fmt: skip
        for i in range(n)
    ]
    with store.sessions() as db, db.begin():
        for start in range(0, n, 5000):
            db.execute(insert(Notification), rows[start : start + 5000])
    store.dispose()


class Recorder:
    name = "rec"

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, external_id: str, reply) -> None:  # type: ignore[no-untyped-def]
        self.texts.append(reply.text)


def work(url: str, start_at: float, out) -> None:  # type: ignore[no-untyped-def]
    """One scheduler process: wait for the common start, deliver until nothing is due, report."""
    from bot.delivery import deliver

    store = Store(make_engine(url), clock=lambda: NOON)
    channel = Recorder()
    while time.time() < start_at:
        time.sleep(0.005)
    began = time.perf_counter()
    result = asyncio.run(deliver(store, {"rec": channel}, NOON))
    elapsed = time.perf_counter() - began
    store.dispose()
    out.put({"texts": channel.texts, "seconds": elapsed, "counts": result.counts})


def run_workers(url: str, processes: int) -> list[dict]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 3.0
    procs = [ctx.Process(target=work, args=(url, start_at, out)) for _ in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return results
