"""Slack HTTP endpoint on loopback: `slack_figures() -> dict` (benchmarks/channels.py merges it).

    python benchmarks/channels_slack.py [--events N] [--concurrency C]   # prints ONE JSON object

The fake Slack Web API (tests/adapters/fake_slack.py) and the load generator
run in a process of their own and play Slack: signed event callbacks (DMs)
POSTed to `POST /slack/events`, and the Web API that receives the answers
(chat.postMessage). This process runs `spotter serve`'s server
(adapters/server.py) with the real Slack channel (slack-bolt pointed at the
fake) and the real engine on the demo studio in a SQLite file; the messages
are benchmarks/engine.py's mixed set from the demo's people, each linked on
Slack.

* ``slack_ack_ms_p50`` / ``slack_ack_ms_p99`` — request to ack (HTTP 200) at a
  steady 50 events/s while the answers are being worked out in the background.
* ``slack_events_per_s`` — a burst of N events, C requests at a time: events
  per second from the first request to the last ANSWER posted to the fake
  (engine included). ``slack_acks_per_s``: the same burst, acks only.
* ``slack_adapter_events_per_s`` — the burst with an engine that answers at
  once: the channel's own ceiling (signed HTTP in, bolt, chat.postMessage out).

Bounded: fixed numbers of events, loopback only, temporary files removed.
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
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "adapters"))
sys.path.insert(0, str(HERE))

TARGETS = {"slack_ack_ms_p99": ("<=", 100), "slack_events_per_s": (">=", 200)}
RATE = 50.0
CRASHED = "Sorry, something went wrong"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _met(value: float, op: str, target: float) -> bool:
    return value >= target if op == ">=" else value <= target


# --- Slack (the fake Web API and the event sender), in its own process -----------------------------


def _slack(conn: Any) -> None:
    """Serve the fake Web API; on ("run", url, [(user, text)...], mode, arg) send the events and report."""
    import aiohttp
    from fake_slack import SIGNING_SECRET, FakeSlack
    from slack_sdk.signature import SignatureVerifier

    signer = SignatureVerifier(SIGNING_SECRET)

    def body(user: str, text: str, n: int) -> str:
        ts = f"{int(time.time())}.{n:06d}"
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D" + user[1:],
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "client_msg_id": str(uuid.uuid4()),
        }
        return json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0001",
                "api_app_id": "A0001",
                "event_id": f"Ev{uuid.uuid4().hex[:12]}",
                "event_time": int(time.time()),
                "event": event,
            }
        )

    async def post(http: aiohttp.ClientSession, url: str, payload: str) -> tuple[int, float]:
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signer.generate_signature(timestamp=stamp, body=payload),
        }
        began = time.perf_counter()
        async with http.post(url, data=payload.encode(), headers=headers) as response:
            await response.read()
            return response.status, (time.perf_counter() - began) * 1000

    async def burst(http: aiohttp.ClientSession, url: str, payloads: list[str], at_once: int) -> list:
        results: list[tuple[int, float]] = []
        queue = iter(payloads)

        async def worker() -> None:
            for payload in queue:
                results.append(await post(http, url, payload))

        await asyncio.gather(*(worker() for _ in range(at_once)))
        return results

    async def main() -> None:
        async with (
            FakeSlack() as fake,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http,
        ):
            conn.send(fake.api_url)
            serial = 0
            while True:
                command = await asyncio.to_thread(conn.recv)
                if command[0] == "stop":
                    break
                _, url, batch, mode, arg = command
                payloads = []
                for user, text in batch:
                    serial += 1
                    payloads.append(body(user, text, serial))
                before = len(fake.calls_to("chat.postMessage"))
                results: list[tuple[int, float]] = []
                began = time.perf_counter()
                if mode == "paced":  # one event every 1/arg s, each on its own
                    tasks = []
                    for n, payload in enumerate(payloads):
                        delay = began + n / arg - time.perf_counter()
                        if delay > 0:
                            await asyncio.sleep(delay)
                        tasks.append(asyncio.create_task(post(http, url, payload)))
                    results = list(await asyncio.gather(*tasks))
                else:  # a burst, `arg` requests at a time
                    results = await burst(http, url, payloads, int(arg))
                acked = time.perf_counter() - began
                deadline = time.perf_counter() + 120
                while len(fake.calls_to("chat.postMessage")) - before < len(payloads):
                    if time.perf_counter() > deadline:
                        break
                    await asyncio.sleep(0.005)
                answered = time.perf_counter() - began
                replies = [str(c.args.get("text", "")) for c in fake.calls_to("chat.postMessage")[before:]]
                conn.send(
                    {
                        "acked_s": acked,
                        "answered_s": answered,
                        "latencies": [ms for _, ms in results],
                        "statuses": sorted({status for status, _ in results}),
                        "replies": len(replies),
                        "crashed": sum(1 for r in replies if r.startswith(CRASHED)),
                    }
                )
                fake.calls.clear()

    asyncio.run(main())


# --- the server and the channel, here ---------------------------------------------------------------


class _Instant:
    """An engine that answers at once: what is left is the channel's own cost."""

    def handle(self, message: Any) -> Any:
        from bot.messages import Reply

        return Reply("ok")


async def _drive(engine: Any, api_url: str, conn: Any, runs: list[tuple[list, str, float]]) -> list[dict]:
    from fake_slack import BOT_TOKEN, SIGNING_SECRET

    from adapters.base import Settings
    from adapters.server import Server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        port=port, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=api_url
    )
    server = Server(settings, engine, builders=("adapters.slack:build",), report=lambda line: None)
    await server.start()
    try:
        out = []
        for batch, mode, arg in runs:
            conn.send(("run", f"http://127.0.0.1:{port}/slack/events", batch, mode, arg))
            out.append(await asyncio.to_thread(conn.recv))
        return out
    finally:
        await server.stop()


def slack_figures(events: int = 600, concurrency: int = 32, paced: int = 250) -> dict[str, Any]:
    """Ack latency at 50 events/s and events per second through POST /slack/events (see the docstring)."""
    import logging

    import engine as engine_bench

    logging.disable(logging.CRITICAL)
    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    fake = ctx.Process(target=_slack, args=(there,), daemon=True)
    fake.start()
    try:
        api_url = here.recv()
        with tempfile.TemporaryDirectory(prefix="spotter-bench-slack-") as folder:
            engine, people, users, db = engine_bench.linked_demo(Path(folder), "slack", lambda n: f"U{n:08d}")

            def batch(count: int, seed: int) -> list[tuple[str, str]]:
                return [(users[h], t) for h, t in engine_bench.messages(people, count, seed=seed)]

            _, steady, burst = asyncio.run(
                _drive(
                    engine,
                    api_url,
                    here,
                    [
                        (batch(30, 1), "burst", 8),
                        (batch(paced, 5), "paced", RATE),
                        (batch(events, 11), "burst", concurrency),
                    ],
                )
            )
            db.dispose()
        instant_batch = [(f"U{n % 50:08d}", "hello") for n in range(events * 2)]
        (instant,) = asyncio.run(_drive(_Instant(), api_url, here, [(instant_batch, "burst", concurrency)]))
        here.send(("stop",))
    finally:
        fake.join(timeout=10)
        if fake.is_alive():
            fake.terminate()
    figures: dict[str, Any] = {
        "slack_ack_ms_p50": round(statistics.median(steady["latencies"]), 1),
        "slack_ack_ms_p99": round(_percentile(steady["latencies"], 0.99), 1),
        "slack_ack_rate_per_s": RATE,
        "slack_ack_events": paced,
        "slack_events_per_s": round(events / burst["answered_s"], 1),
        "slack_acks_per_s": round(events / burst["acked_s"], 1),
        "slack_burst_ack_ms_p99": round(_percentile(burst["latencies"], 0.99), 1),
        "slack_events": events,
        "slack_concurrency": concurrency,
        "slack_statuses": sorted(set(steady["statuses"]) | set(burst["statuses"])),
        "slack_replies": burst["replies"] + steady["replies"],
        "slack_crashed_replies": burst["crashed"] + steady["crashed"],
        "slack_adapter_events_per_s": round(len(instant_batch) / instant["answered_s"], 1),
        "slack_adapter_ack_ms_p99": round(_percentile(instant["latencies"], 0.99), 1),
    }
    figures["targets"] = {
        name: f"{op} {value}: {'met' if _met(figures[name], op, value) else 'MISSED'}"
        for name, (op, value) in TARGETS.items()
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    print(json.dumps(slack_figures(args.events, args.concurrency), indent=2))


if __name__ == "__main__":
    main()
