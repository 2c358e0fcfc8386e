"""Delivery throughput of the outbox on PostgreSQL; prints one JSON object.

    python benchmarks/scheduler.py [--notifications N] [--postgres-url URL]

* ``notifications_per_s`` — N due notifications (default 100,000) claimed
  (``FOR UPDATE SKIP LOCKED``, batches of 500), rendered into replies with the
  recipients' choices and channels looked up, delivered to a recording channel
  and marked sent, by one process.
* ``notifications_per_s_2`` — the same N by two processes at once (total rate;
  ``per_process_2`` divides it); ``duplicates_2`` must be 0.

Target: at least 1,000 notifications per second per process. Each run creates
its own database on the server (dropped at the end).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.outbox_workers import run_workers, seed  # noqa: E402
from domain.db import make_engine, normalise_url  # noqa: E402
from domain.migrate import upgrade  # noqa: E402
from domain.model import Base  # noqa: E402

TARGET = 1000.0


def fresh(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def measure(url: str, n: int, processes: int) -> tuple[float, int, int]:
    """(notifications per second over the slowest process, delivered, duplicates)."""
    fresh(url)
    seed(url, n)
    results = run_workers(url, processes)
    seen = Counter(t for r in results for t in r["texts"])
    seconds = max(r["seconds"] for r in results)
    return sum(seen.values()) / seconds, len(seen), sum(v - 1 for v in seen.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    base = normalise_url(args.postgres_url)
    name = f"spotter_bench_sched_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    figures: dict[str, object] = {"notifications": args.notifications}
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        rate1, done1, dup1 = measure(url, args.notifications, 1)
        rate2, done2, dup2 = measure(url, args.notifications, 2)
        figures.update(
            notifications_per_s=round(rate1, 1),
            notifications_per_s_2=round(rate2, 1),
            per_process_2=round(rate2 / 2, 1),
            delivered_1=done1,
            delivered_2=done2,
            duplicates_1=dup1,
            duplicates_2=dup2,
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    figures["target"] = f">= {TARGET:.0f} per second per process"
    figures["meets_target"] = bool(
        figures.get("notifications_per_s", 0) >= TARGET and figures.get("per_process_2", 0) >= TARGET  # type: ignore[operator]
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
