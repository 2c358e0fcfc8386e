"""Telegram webhook throughput on loopback: `telegram_figures() -> dict` (benchmarks/channels.py merges it).

    python benchmarks/channels_telegram.py [--events N] [--concurrency C]   # prints ONE JSON object

The fake Bot API (tests/adapters/fake_telegram.py) runs in a process of its
own and plays Telegram: it posts each update to `POST /telegram/webhook` with
the secret token, up to C at once (Telegram's default `max_connections` is
40), and records the bot's `sendMessage` calls. This process runs the real
channel (python-telegram-bot, pointed at the fake) on aiohttp, so an event
counts when its request returns 200, i.e. after the engine answered and the
reply was sent to the fake.

* ``telegram_webhook_events_per_s`` / ``telegram_webhook_ms_p50`` / ``_p99`` —
  the real engine on the demo studio in a SQLite file, a mixed set of messages
  (benchmarks/engine.py's) from the demo's people, each linked on Telegram.
* ``telegram_engine_alone_messages_per_s`` — the engine called directly, one
  message after another, on the same studio: the ceiling the webhook figure
  approaches (the engine is synchronous; SQLite takes one writer at a time).
* ``telegram_adapter_events_per_s`` — the same path with an engine that answers
  at once: the channel's own ceiling (HTTP in, Bot API call out).

Bounded: a fixed number of events, loopback only, temporary files removed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "adapters"))
sys.path.insert(0, str(HERE))

TARGETS = {"telegram_webhook_events_per_s": (">=", 200)}
SECRET = "bench_secret-token"
FIRST_USER = 10_000
CRASHED = "Sorry, something went wrong"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the fake Telegram, in its own process ---------------------------------------------------------


def _telegram(conn: Any) -> None:
    """Serve the fake Bot API; on ("run", [(user, text)...], C) post the updates to the webhook, C at once."""
    from fake_telegram import FakeTelegram

    async def main() -> None:
        fake = await FakeTelegram().start()
        conn.send(fake.url)
        while True:
            command = await asyncio.to_thread(conn.recv)
            if command[0] == "stop":
                break
            _, batch, concurrency = command
            updates = [fake.text_update(user, text) for user, text in batch]
            before = len(fake.calls_to("sendMessage"))
            elapsed, latencies, statuses = await _post_all(fake, updates, concurrency)
            replies = [c.params.get("text", "") for c in fake.calls_to("sendMessage")[before:]]
            conn.send(
                {
                    "elapsed": elapsed,
                    "latencies": latencies,
                    "statuses": dict(statuses),
                    "replies": len(replies),
                    "crashed": sum(1 for r in replies if r.startswith(CRASHED)),
                }
            )
        await fake.close()

    asyncio.run(main())


async def _post_all(fake: Any, updates: list[dict], concurrency: int) -> tuple[float, list[float], Counter]:
    """Deliver every update to the webhook, `concurrency` at a time; (seconds, per-request ms, statuses)."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queue = iter(updates)

    async def worker() -> None:
        for update in queue:
            began = time.perf_counter()
            statuses[await fake.deliver(update)] += 1
            latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began, latencies, statuses


# --- the channel, here ------------------------------------------------------------------------------


class _Instant:
    """An engine that answers at once: what is left is the channel's own cost."""

    def handle(self, message: Any) -> Any:
        from bot.messages import Reply

        return Reply("ok")


async def _drive(
    engine: Any, api_url: str, conn: Any, batch: list[tuple[int, str]], concurrency: int
) -> dict:
    from aiohttp import web
    from fake_telegram import TOKEN

    from adapters.telegram import TelegramChannel

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = web.Application()
    channel = TelegramChannel(
        engine,
        TOKEN,
        api_url=api_url,
        webhook_url=f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/webhook",
        secret=SECRET,
    )
    await channel.start(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        conn.send(("run", batch, concurrency))
        return await asyncio.to_thread(conn.recv)
    finally:
        await channel.stop()
        await runner.cleanup()


def _engine_alone(engine: Any, batch: list[tuple[int, str]]) -> float:
    """The engine's own rate on the same kind of messages, called directly one by one: the ceiling."""
    from datetime import UTC, datetime

    from bot.messages import Incoming

    began = time.perf_counter()
    for n, (user, text) in enumerate(batch):
        engine.handle(Incoming("telegram", str(user), f"alone-{n}", datetime.now(UTC), text=text))
    return round(len(batch) / (time.perf_counter() - began), 1)


def telegram_figures(events: int = 600, concurrency: int = 20) -> dict[str, Any]:
    """Events per second through the Telegram webhook (real engine on SQLite, and the adapter alone)."""
    import engine as engine_bench

    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    fake = ctx.Process(target=_telegram, args=(there,), daemon=True)
    fake.start()
    try:
        api_url = here.recv()
        with tempfile.TemporaryDirectory() as folder:
            engine, people, users, db = engine_bench.linked_demo(
                Path(folder), "telegram", lambda n: FIRST_USER + n
            )
            warm = [(users[h], t) for h, t in engine_bench.messages(people, 30, seed=1)]
            asyncio.run(_drive(engine, api_url, here, warm, concurrency))
            serial = _engine_alone(
                engine, [(users[h], t) for h, t in engine_bench.messages(people, 200, seed=5)]
            )
            batch = [(users[h], t) for h, t in engine_bench.messages(people, events)]
            real = asyncio.run(_drive(engine, api_url, here, batch, concurrency))
            db.dispose()
        instant_batch = [(FIRST_USER + n % 50, "hello") for n in range(events * 2)]
        instant = asyncio.run(_drive(_Instant(), api_url, here, instant_batch, concurrency))
        here.send(("stop",))
    finally:
        fake.join(timeout=10)
        if fake.is_alive():
            fake.terminate()
    figures: dict[str, Any] = {
        "telegram_webhook_events_per_s": round(len(batch) / real["elapsed"], 1),
        "telegram_webhook_ms_p50": round(statistics.median(real["latencies"]), 1),
        "telegram_webhook_ms_p99": round(_percentile(real["latencies"], 0.99), 1),
        "telegram_webhook_events": len(batch),
        "telegram_webhook_concurrency": concurrency,
        "telegram_webhook_statuses": real["statuses"],
        "telegram_webhook_replies": real["replies"],
        "telegram_webhook_crashed_replies": real["crashed"],
        "telegram_engine_alone_messages_per_s": serial,
        "telegram_adapter_events_per_s": round(len(instant_batch) / instant["elapsed"], 1),
        "telegram_adapter_ms_p99": round(_percentile(instant["latencies"], 0.99), 1),
    }
    figures["targets"] = {
        name: f"{op} {value}: {'met' if _met(figures[name], op, value) else 'MISSED'}"
        for name, (op, value) in TARGETS.items()
    }
    return figures


def _met(value: float, op: str, target: float) -> bool:
    return value >= target if op == ">=" else value <= target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(telegram_figures(args.events, args.concurrency), indent=2))


if __name__ == "__main__":
    main()
