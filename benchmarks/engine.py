"""Engine benchmark: a message's whole path (parse, dialogue, domain, commit). Prints ONE JSON object.

    python benchmarks/engine.py [--messages N] [--postgres-url URL] [--skip-postgres]

* ``handle_ms_p50`` / ``handle_ms_p99`` / ``messages_per_s`` — `Engine.handle`
  on the demo studio (domain/seed/demo.py) in a SQLite file, one process, over
  a mixed set of messages from the demo's trainers, clients and managers:
  logs, bookings, cancellations, queries, figures, help, small talk, nonsense.
  The parser is loaded before timing (its load is `first_reply_s`'s business).
* ``messages_per_s_postgres_4`` — the same kind of messages through 4 worker
  processes on PostgreSQL (each worker speaks for its own people, as
  concurrent chats do), on a database this script creates on the server at
  ``--postgres-url`` (default postgresql://postgres@127.0.0.1:5432/test) and
  drops at the end.
* ``first_reply_s`` — wall time of a fresh process running
  `spotter say --as sarah "help"` against the SQLite demo studio, from start
  to reply (the median of three runs; parser load included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGETS = {
    "handle_ms_p50": ("<=", 5),
    "handle_ms_p99": ("<=", 25),
    "messages_per_s": (">=", 300),
    "messages_per_s_postgres_4": (">=", 400),
    "first_reply_s": ("<=", 1.5),
}
WORKERS = 4
CHANNEL = "bench"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"

TRAINER_SAYS = [
    "log session with {client} at {hour}",
    "log session with {client} yesterday at {hour} for 45 minutes",
    "log a session with {client} at {hour} today, great squats",
    "book {client} tomorrow at {hour}",
    "book {client} on friday at {hour}",
    "cancel {client}'s session on friday",
    "{client} didn't show up today",
    "my sessions this week",
    "my sessions today",
    "how many sessions does {client} have left?",
    "my commission this month",
    "how many sessions did I do last month",
    "help",
    "hi",
    "thanks!",
    "undo",
    "never mind",
    "what's the weather like",
    "asdf qwerty zxcv",
    "🏋️💪🔥",
]
CLIENT_SAYS = [
    "how many sessions do I have left?",
    "book with {trainer} tomorrow at {hour}",
    "my sessions this month",
    "when is {trainer} free tomorrow",
    "cancel my session on friday",
    "I confirm yesterday's session",
    "help",
    "hello",
    "thank you",
    "tell me a joke",
    "???",
]
MANAGER_SAYS = [
    "validation rate by trainer this month",
    "top 3 trainers by revenue last month",
    "sessions this week",
    "how many no-shows last month",
    "{trainer}'s commission last month",
    "show me {client}'s sessions",
    "export vip clients",
    "help",
    "good morning",
    "blah blah blah",
]
HOURS = ["7am", "8am", "9am", "10am", "11am", "3pm", "4pm", "5pm", "6pm", "6:30pm"]


def build_demo(store) -> None:  # type: ignore[no-untyped-def]
    from domain.seed.demo import seed_demo

    seed_demo(store, seed=7)


def cast(store) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(handle, role, first name) of the demo's people, each linked on the benchmark channel."""
    from domain.actor import Actor
    from domain.commands import LinkIdentity
    from domain.model import ChatIdentity, Person

    with store.sessions() as db:
        people = list(db.scalars(select(Person).order_by(Person.handle)))
        linked = set(db.scalars(select(ChatIdentity.external_id).where(ChatIdentity.channel == CHANNEL)))
    out = []
    for person in people:
        if person.handle not in linked:
            store.execute(Actor.system(person.studio_id), LinkIdentity(person.id, CHANNEL, person.handle))
        role = (
            "manager" if "manager" in person.roles else "trainer" if "trainer" in person.roles else "client"
        )
        out.append((person.handle, role, person.full_name.split()[0]))
    return out


def linked_demo(folder: Path, channel: str, user_id):  # type: ignore[no-untyped-def]
    """The demo studio in SQLite with everyone linked on `channel` (user n gets `user_id(n)`).

    For the channel benchmarks: returns (Engine, cast, {handle: platform user id}, the database
    engine), the parser already loaded so that loading isn't measured.
    """
    from bot.engine import Engine
    from domain.actor import Actor
    from domain.commands import LinkIdentity
    from domain.db import make_engine
    from domain.migrate import upgrade
    from domain.model import Person
    from domain.store import Store
    from nlu import load_parser

    db = make_engine(f"sqlite:///{folder / f'{channel}.db'}")
    upgrade(db)
    store = Store(db)
    build_demo(store)
    people = cast(store)  # (handle, role, first name)
    with store.sessions() as session:
        persons = {p.handle: p for p in session.scalars(select(Person))}
    users = {}
    for n, (handle, _, _) in enumerate(people):
        person = persons[handle]
        users[handle] = user_id(n)
        store.execute(Actor.system(person.studio_id), LinkIdentity(person.id, channel, str(users[handle])))
    load_parser()
    return Engine(store), people, users, db


def messages(people: list[tuple[str, str, str]], count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(sender handle, text) pairs: mostly trainers and clients, some managers, every kind of message."""
    rng = random.Random(seed)
    trainers = [p for p in people if p[1] == "trainer"]
    clients = [p for p in people if p[1] == "client"]
    managers = [p for p in people if p[1] == "manager"]
    out = []
    for _ in range(count):
        pick = rng.random()
        group, says = (
            (trainers, TRAINER_SAYS)
            if pick < 0.45
            else (clients, CLIENT_SAYS)
            if pick < 0.85
            else (managers, MANAGER_SAYS)
        )
        handle = rng.choice(group)[0]
        text = rng.choice(says).format(
            client=rng.choice(clients)[2], trainer=rng.choice(trainers)[2], hour=rng.choice(HOURS)
        )
        out.append((handle, text))
    return out


def play(store, engine, batch: list[tuple[str, str]], start: datetime, tag: str, answers=None) -> list[float]:  # type: ignore[no-untyped-def]
    """Send each message at one-minute steps from `start`; per-message wall times in ms (replies into `answers`)."""
    from bot.messages import Incoming

    clock_now = [start]
    store.clock = lambda: clock_now[0]
    timings = []
    for i, (handle, body) in enumerate(batch):
        at = start + timedelta(minutes=i)
        clock_now[0] = at
        message = Incoming(CHANNEL, handle, f"{tag}-{i}", at, text=body)
        began = time.perf_counter()
        reply = engine.handle(message)
        timings.append((time.perf_counter() - began) * 1000)
        if answers is not None:
            answers.append(reply)
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_sqlite(folder: Path, count: int) -> tuple[dict[str, float], Path, list[tuple[str, str, str]]]:
    from bot.engine import Engine
    from domain.db import make_engine
    from domain.migrate import upgrade
    from domain.store import Store
    from nlu import load_parser

    path = folder / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    store = Store(engine)
    build_demo(store)
    people = cast(store)
    load_parser()
    bot = Engine(store)
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    play(store, bot, messages(people, 30, seed=1), start - timedelta(hours=2), "warm")  # warm caches
    batch = messages(people, count)
    answers: list = []
    began = time.perf_counter()
    timings = play(store, bot, batch, start, "sqlite", answers)
    elapsed = time.perf_counter() - began
    crashed = sum(1 for a in answers if a.text.startswith("Sorry, something went wrong"))
    engine.dispose()
    return (
        {
            "handle_ms_p50": round(statistics.median(timings), 2),
            "handle_ms_p99": round(percentile(timings, 0.99), 2),
            "messages_per_s": round(len(batch) / elapsed, 1),
            "messages_sqlite": len(batch),
            "error_replies_share": round(sum(1 for a in answers if a.error) / len(answers), 3),
            "crashed_replies": crashed,
        },
        path,
        people,
    )


def _worker(url: str, batch: list[tuple[str, str]], start: datetime, tag: str, barrier, out) -> None:  # type: ignore[no-untyped-def]
    from bot.engine import Engine
    from domain.db import make_engine
    from domain.store import Store

    engine = make_engine(url)
    store = Store(engine)
    bot = Engine(store)  # the parser was loaded before the fork
    barrier.wait()
    began = time.perf_counter()
    play(store, bot, batch, start, tag)
    out.put(time.perf_counter() - began)
    engine.dispose()


def bench_postgres(base_url: str, count: int, people: list[tuple[str, str, str]]) -> dict[str, float | str]:
    from domain.db import make_engine, normalise_url
    from domain.migrate import upgrade
    from domain.store import Store
    from nlu import load_parser

    base = normalise_url(base_url)
    name = f"spotter_bench_engine_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - no server: report it instead of a figure
        return {"messages_per_s_postgres_4": f"skipped: {str(error).splitlines()[0]}"}
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)
        store = Store(engine)
        build_demo(store)
        people = cast(store)
        engine.dispose()
        load_parser()
        batch = messages(people, count, seed=23)
        handles = sorted({h for h, _ in batch})
        share = [[m for m in batch if handles.index(m[0]) % WORKERS == w] for w in range(WORKERS)]
        start = datetime.now(UTC).replace(second=0, microsecond=0)
        ctx = mp.get_context("fork")
        barrier, out = ctx.Barrier(WORKERS + 1), ctx.Queue()
        procs = [
            ctx.Process(target=_worker, args=(url, share[w], start, f"pg{w}", barrier, out))
            for w in range(WORKERS)
        ]
        for proc in procs:
            proc.start()
        barrier.wait()
        began = time.perf_counter()
        for _ in procs:
            out.get()
        elapsed = time.perf_counter() - began
        for proc in procs:
            proc.join()
        return {"messages_per_s_postgres_4": round(len(batch) / elapsed, 1), "messages_postgres": len(batch)}
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def first_reply(path: Path, runs: int = 3) -> float:
    spotter = Path(sys.executable).parent / "spotter"
    env = {**os.environ, "SPOTTER_DATABASE_URL": f"sqlite:///{path}"}
    env.pop("SPOTTER_STUDIO", None)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(
            [str(spotter), "say", "--as", "sarah", "help"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise RuntimeError(f"spotter say failed: {done.stderr.strip()}")
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--messages", type=int, default=1200, help="messages in the single-process run (≥ 1000)"
    )
    parser.add_argument("--postgres-url", default=os.environ.get("SPOTTER_TEST_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    import logging

    logging.disable(logging.CRITICAL)  # the engine logs unexpected errors; they would swamp the JSON
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="spotter-bench-engine-") as folder:
        figures, path, people = bench_sqlite(Path(folder), args.messages)
        result.update(figures)
        result["first_reply_s"] = first_reply(path)
        if not args.skip_postgres:
            result.update(bench_postgres(args.postgres_url, args.messages, people))
    result["targets"] = {k: f"{op} {v}" for k, (op, v) in TARGETS.items()}
    met = {}
    for key, (op, target) in TARGETS.items():
        value = result.get(key)
        if isinstance(value, (int, float)):
            met[key] = value <= target if op == "<=" else value >= target
    result["meets_targets"] = met
    result["all_targets_met"] = len(met) == len(TARGETS) and all(met.values())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
