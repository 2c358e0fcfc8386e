"""Store benchmark: command throughput and read latency. Prints ONE JSON object.

    python benchmarks/store.py [--sessions N] [--postgres-url URL] [--log-commands N]

* ``log_session_per_s_sqlite`` — LogSession commands per second through
  `Store.execute` (authorization, audit entry, ledger, one commit each) on a
  SQLite file, one process.
* ``log_session_per_s_postgres_4`` — the same with 4 worker processes on
  PostgreSQL (each with its own trainers and clients, as in a studio where
  trainers log their own sessions: no two workers contend for one row);
  ``log_session_per_s_postgres_1`` with one, and ``cpu_busy_postgres_4`` the
  machine's CPU use during the 4-worker run (near 1: the cores, which the
  workers and PostgreSQL share, are what bounds it).
* ``seed_seconds`` — bulk-loading the generated studio (200 trainers, 10,000
  clients, N sessions; COPY, not commands) into PostgreSQL.
* ``statement_ms_p50`` — one trainer's statement for last month
  (`domain.commission.queries.statement`), median over trainers.
* ``stats_by_trainer_month_ms_p50`` — validation rate by trainer for last
  month (`domain.queries.stats`), median.

The PostgreSQL part creates its own database on the server at
``--postgres-url`` (default postgresql://postgres@127.0.0.1:5432/test) and
drops it at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGETS = {
    "log_session_per_s_sqlite": (">=", 1000),
    "log_session_per_s_postgres_4": (">=", 800),
    "statement_ms_p50": ("<=", 20),
    "stats_by_trainer_month_ms_p50": ("<=", 100),
}
WORKERS = 4


def small_studio(store, trainers: int, clients: int):  # type: ignore[no-untyped-def]
    """A studio for the write benchmark, made through commands; returns (studio, trainers, clients)."""
    from domain.actor import Actor
    from domain.commands import AddPerson, SellPackage
    from domain.model import Role
    from domain.seed.studio import create_studio

    studio, _ = create_studio(store, f"Write bench {uuid.uuid4().hex[:6]}")
    system = Actor.system(studio.id)
    coaches = [
        store.execute(system, AddPerson(f"t{n}", f"Trainer {n}", (Role.TRAINER,))) for n in range(trainers)
    ]
    members = [
        store.execute(
            system,
            AddPerson(f"c{n}", f"Client {n}", (Role.CLIENT,), primary_trainer_id=coaches[n % trainers].id),
        )
        for n in range(clients)
    ]
    for member in members:
        store.execute(system, SellPackage(member.id, 1000, Decimal("80.00")))
    return studio, coaches, members


def log_sessions(store, studio_id, trainers, clients, count: int, offset_days: int) -> float:  # type: ignore[no-untyped-def]
    """Log `count` past sessions round-robin over `trainers`, as those trainers; returns seconds."""
    from domain.actor import Actor
    from domain.commands import LogSession
    from domain.model import Role

    actors = [Actor(studio_id, t.id, frozenset({Role.TRAINER}), "bench", t.full_name) for t in trainers]
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=offset_days)
    began = time.perf_counter()
    for i in range(count):
        k = i % len(trainers)
        slot = i // len(trainers)
        start = base - timedelta(hours=slot)
        client = clients[(i * 7) % len(clients)]
        store.execute(actors[k], LogSession(trainers[k].id, client.id, start, 60))
    return time.perf_counter() - began


def bench_sqlite(count: int) -> float:
    from domain.db import make_engine
    from domain.migrate import upgrade
    from domain.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        store = Store(engine)
        studio, trainers, clients = small_studio(store, 8, 200)
        seconds = log_sessions(store, studio.id, trainers, clients, count, offset_days=1)
        engine.dispose()
    return count / seconds


def _worker(
    url: str, studio_id: str, trainer_ids: list[str], client_ids: list[str], count: int, n: int, barrier, out
) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from domain.db import make_engine
    from domain.store import Store

    store = Store(make_engine(url))
    trainers = [SimpleNamespace(id=uuid.UUID(t), full_name="t") for t in trainer_ids]
    clients = [SimpleNamespace(id=uuid.UUID(c)) for c in client_ids]
    # warm the pool and the handler registry before the clock starts
    store.run(SimpleNamespace(studio_id=uuid.UUID(studio_id)), lambda uow: uow.conn)  # type: ignore[arg-type]
    barrier.wait()
    began = time.time()
    log_sessions(store, uuid.UUID(studio_id), trainers, clients, count, offset_days=1 + 400 * n)
    out.put((began, time.time()))


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far (Linux /proc/stat; zeros elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def bench_postgres_workers(url: str, count: int, workers: int = WORKERS) -> tuple[float, float]:
    """LogSession commands per second with `workers` processes, and the machine's CPU use meanwhile (0–1).

    The CPU figure tells what bounds the rate: near 1, the cores are saturated
    (client processes and PostgreSQL backends share them); well below, the
    workers wait — on commits (WAL flushes) or locks.
    """
    from domain.db import make_engine
    from domain.store import Store

    store = Store(make_engine(url))
    studio, trainers, clients = small_studio(store, workers * 2, 200)
    store.dispose()
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(workers + 1), ctx.Queue()
    per = count // workers
    procs = []
    for n in range(workers):
        mine = trainers[n * 2 : n * 2 + 2]
        procs.append(
            ctx.Process(
                target=_worker,
                args=(
                    url,
                    str(studio.id),
                    [str(t.id) for t in mine],
                    [str(c.id) for c in clients[n::workers]],
                    per,
                    n,
                    barrier,
                    out,
                ),
            )
        )
    for p in procs:
        p.start()
    barrier.wait()  # the workers are ready: measure the machine from here
    busy0, total0 = _cpu_jiffies()
    spans = [out.get(timeout=600) for _ in procs]
    busy1, total1 = _cpu_jiffies()
    for p in procs:
        p.join()
    began, ended = min(s[0] for s in spans), max(s[1] for s in spans)
    cpu = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
    return per * workers / (ended - began), cpu


def p50(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn(0)  # warm-up
    times = []
    for i in range(runs):
        began = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def bench_reads(url: str, sessions: int) -> dict[str, float | int | str]:
    from domain.actor import Actor
    from domain.commission.queries import statement
    from domain.db import make_engine
    from domain.queries.period import Month
    from domain.queries.stats import stats
    from domain.seed.bulk import load
    from domain.store import Store

    engine = make_engine(url)
    studio = load(engine, sessions=sessions)
    store = Store(engine)
    system = Actor.system(studio.studio_id)
    today = datetime.now(UTC)
    month = Month.of(today, __import__("zoneinfo").ZoneInfo("America/New_York")).previous
    if month.first < studio.first_day:  # a small --sessions: the data may not reach last month
        month = Month(studio.first_day.year, studio.first_day.month)
    start, end = month.bounds()

    def one_statement(i: int) -> None:
        statement(store, system, studio.trainer_ids[(i * 37) % len(studio.trainer_ids)], str(month))

    def by_trainer(_i: int) -> None:
        rows = store.run(
            system, lambda uow: stats(uow, "validation_rate", start=start, end=end, group_by="trainer")
        )
        assert rows

    result = {
        "seed_seconds": round(studio.seconds, 1),
        "statement_ms_p50": round(p50(one_statement, 40), 2),
        "stats_by_trainer_month_ms_p50": round(p50(by_trainer, 15), 2),
        "read_month": str(month),
    }
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1_000_000, help="sessions in the generated studio")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("SPOTTER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument(
        "--log-commands", type=int, default=3000, help="LogSession commands per write benchmark"
    )
    args = parser.parse_args()

    from domain.db import make_engine, normalise_url
    from domain.migrate import upgrade

    figures: dict[str, object] = {
        "sessions": args.sessions,
        "trainers": 200,
        "clients": 10_000,
        "log_commands": args.log_commands,
    }
    figures["log_session_per_s_sqlite"] = round(bench_sqlite(args.log_commands), 1)

    base = normalise_url(args.postgres_url)
    name = f"spotter_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        one, _ = bench_postgres_workers(url, args.log_commands // 2, workers=1)
        figures["log_session_per_s_postgres_1"] = round(one, 1)
        rate, cpu = bench_postgres_workers(url, args.log_commands, workers=WORKERS)
        figures["log_session_per_s_postgres_4"] = round(rate, 1)
        figures["cpu_busy_postgres_4"] = round(cpu, 2)
        figures.update(bench_reads(url, args.sessions))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    figures["targets"] = {key: f"{op} {value}" for key, (op, value) in TARGETS.items()}
    figures["meets_targets"] = {
        key: (figures[key] >= value if op == ">=" else figures[key] <= value)  # type: ignore[operator]
        for key, (op, value) in TARGETS.items()
        if key in figures
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
