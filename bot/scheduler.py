"""The scheduler inside `spotter serve`: APScheduler runs the rules and the delivery loop.

APScheduler keeps the timing (an interval job on the server's event loop);
the rules and the outbox are ours. Every `TICK_SECONDS` the job runs one rule
pass (`bot.reminders.tick`, on a worker thread: the store is synchronous) and
then delivers what is due through the server's channels; once an hour the pass
also cleans up past the retention period. Several servers on one PostgreSQL
may run this at once: rule rows are keyed and claims are exclusive, so nothing
is sent twice.

    handle = start_scheduler(store_or_engine, channels)   # in adapters/server.py, after channels start
    ...
    await handle.stop()                                    # on shutdown
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import reminders
from bot.delivery import LinkMaker, Sender, deliver
from domain.store import Store

log = logging.getLogger("spotter.scheduler")
TICK_SECONDS = 60
CLEAN_EVERY = timedelta(hours=1)


def link_maker(environ: Mapping[str, str] | None = None) -> LinkMaker | None:
    """One-click links for e-mails when SPOTTER_SECRET_KEY and SPOTTER_PUBLIC_URL are both set."""
    from domain.errors import InvalidInput
    from domain.reminders.links import secret_key

    env = os.environ if environ is None else environ
    base = env.get("SPOTTER_PUBLIC_URL", "").strip()
    try:
        key = secret_key(dict(env))
    except InvalidInput:
        return None
    return LinkMaker(key, base) if base else None


def send_only_channels(environ: Mapping[str, str] | None = None) -> dict[str, Sender]:
    """Channels a process without the web server can send through (cron: e-mail)."""
    from adapters.email import build

    email = build(environ=environ)
    return {"email": email} if email is not None else {}


@dataclass
class SchedulerHandle:
    """What `start_scheduler` returns: the APScheduler instance and a way to stop it."""

    scheduler: Any
    store: Store
    channels: dict[str, Sender]
    last_clean: datetime | None = None
    running: set[asyncio.Task[Any]] = field(default_factory=set)

    async def run_once(self, now: datetime | None = None) -> dict[str, Any]:
        """One rule pass and one delivery round (what the job does every minute)."""
        at = now or self.store.clock()
        clean = self.last_clean is None or at - self.last_clean >= CLEAN_EVERY
        ticked = await asyncio.to_thread(reminders.tick, self.store, at, clean=clean)
        if clean:
            self.last_clean = at
        delivered = await deliver(self.store, self.channels, linker=link_maker())
        return {"tick": ticked.to_json(), "delivery": delivered.to_json()}

    async def _job(self) -> None:
        try:
            await self.run_once()
        except Exception:  # noqa: BLE001 - one bad pass must not stop the next
            log.exception("scheduler pass failed")

    async def stop(self) -> None:
        self.scheduler.shutdown(wait=False)


def start_scheduler(
    store_or_engine: Any, channels: Mapping[str, Sender] | Iterable[Sender]
) -> SchedulerHandle:
    """Start the minute job on the running event loop. `store_or_engine`: a Store or a bot Engine (its store)."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    store = store_or_engine if isinstance(store_or_engine, Store) else store_or_engine.store
    if not isinstance(channels, Mapping):
        channels = {c.name: c for c in channels}
    merged: dict[str, Sender] = dict(channels)
    for name, channel in send_only_channels().items():
        merged.setdefault(name, channel)
    scheduler = AsyncIOScheduler(timezone=UTC)
    handle = SchedulerHandle(scheduler, store, merged)
    scheduler.add_job(
        handle._job,
        "interval",
        seconds=TICK_SECONDS,
        next_run_time=datetime.now(UTC) + timedelta(seconds=5),
        max_instances=1,
        coalesce=True,
        id="spotter-scheduler",
    )
    scheduler.start()
    log.info("scheduler: every %ss, delivering via %s", TICK_SECONDS, ", ".join(sorted(merged)) or "nothing")
    return handle
