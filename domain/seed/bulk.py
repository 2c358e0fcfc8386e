"""The benchmark's large studio, loaded straight into PostgreSQL with COPY.

200 trainers, 10,000 clients and N sessions (1,000,000 by default) — far too
many to push through commands in a benchmark's time, and not what the read
benchmarks measure. Rows keep the invariants the commands keep: no trainer is
ever in two sessions at once (each trainer's sessions sit on distinct hours),
`start_local` is the New York wall clock, a one-to-one slot is its own id,
prices are snapshotted, validated sessions have a validation time. Statuses
follow a realistic mix: mostly validated, some pending, disputed, cancelled
(some late) and no-shows in the past; scheduled in the future.

The no-overlap exclusion constraint is dropped for the load and put back
afterwards (building its index once is much faster than maintaining it row by
row), so the loaded database has exactly the migrated schema.
"""

from __future__ import annotations

import io
import random
import time as timer
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.model import Studio

TZ = "America/New_York"
HOURS = (7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19)
TYPES = ["standard"] * 14 + ["assessment", "partner", "online", "nutrition", "group", "partner"]


@dataclass
class BulkStudio:
    studio_id: uuid.UUID
    trainer_ids: list[uuid.UUID]
    client_ids: list[uuid.UUID]
    sessions: int
    first_day: date
    last_day: date
    seconds: float


def _copy(cur, table: str, columns: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    """COPY rows (tuples of already-formatted text, None for NULL) in chunks."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    buffer = io.StringIO()

    def flush() -> None:
        with cur.copy(statement) as copy:
            copy.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()

    for count, row in enumerate(rows, start=1):
        buffer.write("\t".join("\\N" if v is None else v for v in row))
        buffer.write("\n")
        if count % 100_000 == 0:
            flush()
    if buffer.tell():
        flush()


def load(
    engine: Engine,
    *,
    trainers: int = 200,
    clients: int = 10_000,
    sessions: int = 1_000_000,
    today: date | None = None,
    seed: int = 1,
) -> BulkStudio:
    """Load the generated studio into a migrated PostgreSQL database; returns its ids and timing."""
    began = timer.perf_counter()
    rng = random.Random(seed)
    zone = ZoneInfo(TZ)
    today = today or datetime.now(UTC).astimezone(zone).date()
    studio_id = uuid.uuid4()
    trainer_ids = [uuid.uuid4() for _ in range(trainers)]
    client_ids = [uuid.uuid4() for _ in range(clients)]
    location_ids = [uuid.uuid4(), uuid.uuid4()]
    now_text = datetime.now(UTC).isoformat()
    per_trainer = -(-sessions // trainers)
    per_day = 8
    days = -(-per_trainer // per_day)
    future_days = min(14, max(1, days // 20))
    first_day = today - timedelta(days=days - future_days)
    # The studio through the model, so every policy column gets its default;
    # only the bulk rows below go by COPY.
    with Session(engine) as db, db.begin():
        db.add(Studio(id=studio_id, name=f"Benchmark Studio {studio_id.hex[:6]}", tz=TZ, currency="USD"))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        _copy(
            cur,
            "locations",
            ["id", "studio_id", "name"],
            ((str(i), str(studio_id), f"Site {n}") for n, i in enumerate(location_ids)),
        )
        people = [(t, f"trainer{n}", f"Trainer {n:03d}", None) for n, t in enumerate(trainer_ids)]
        people += [
            (c, f"client{n}", f"Client {n:05d}", trainer_ids[n % trainers]) for n, c in enumerate(client_ids)
        ]
        _copy(
            cur,
            "people",
            ["id", "studio_id", "handle", "full_name", "primary_trainer_id", "active", "created_at"],
            (
                (str(p), str(studio_id), h, name, str(t) if t else None, "t", now_text)
                for p, h, name, t in people
            ),
        )
        roles = [(t, "trainer") for t in trainer_ids] + [(c, "client") for c in client_ids]
        _copy(cur, "person_roles", ["person_id", "role"], ((str(p), r) for p, r in roles))
        cur.execute("ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_no_overlap")
        _copy(
            cur,
            "sessions",
            SESSION_COLUMNS,
            _sessions(
                rng,
                zone,
                studio_id,
                trainer_ids,
                client_ids,
                location_ids,
                sessions,
                per_day,
                first_day,
                today,
            ),
        )
        cur.execute(
            "ALTER TABLE sessions ADD CONSTRAINT sessions_no_overlap EXCLUDE USING gist ("
            " trainer_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&, slot_id WITH <>)"
            " WHERE (status NOT IN ('cancelled', 'disputed'))"
        )
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    last_day = first_day + timedelta(days=days - 1)
    return BulkStudio(
        studio_id, trainer_ids, client_ids, sessions, first_day, last_day, timer.perf_counter() - began
    )


SESSION_COLUMNS = [
    "id", "studio_id", "trainer_id", "client_id", "location_id", "slot_id", "start_at", "end_at", "start_local",
    "duration_minutes", "session_type", "status", "substitute_for_id", "price", "holds_credit", "late_cancel",
    "created_via", "created_at", "validated_at",
]  # fmt: skip


def _sessions(rng, zone, studio_id, trainer_ids, client_ids, location_ids, total, per_day, first_day, today):  # type: ignore[no-untyped-def]
    """Rows for COPY: each trainer, day after day, `per_day` distinct hours, until `total` rows."""
    sid = str(studio_id)
    trainers = [str(t) for t in trainer_ids]
    clients = [str(c) for c in client_ids]
    locations = [str(loc) for loc in location_ids]
    made = 0
    day = first_day
    random_ = rng.random
    while made < total:
        past = day < today
        day_text = day.isoformat()
        for k, trainer in enumerate(trainers):
            if made >= total:
                break
            hours = rng.sample(HOURS, per_day)
            for hour in hours:
                if made >= total:
                    break
                made += 1
                local = datetime.combine(day, time(hour))
                start = (local.replace(tzinfo=zone)).astimezone(UTC)
                end = start + timedelta(hours=1)
                roll = random_()
                late = "f"
                holds = "t"
                validated_at = None
                if not past:
                    status = "scheduled"
                elif roll < 0.82:
                    status = "validated"
                    validated_at = (start + timedelta(hours=3)).isoformat()
                elif roll < 0.86:
                    status = "pending_validation"
                elif roll < 0.88:
                    status = "disputed"
                elif roll < 0.95:
                    status = "cancelled"
                    if roll < 0.92:
                        late = "t"
                    else:
                        holds = "f"
                else:
                    status = "no_show"
                session_id = str(uuid.uuid4())
                substitute = trainers[(k + 1) % len(trainers)] if random_() < 0.02 else None
                yield (
                    session_id, sid, trainer, clients[int(random_() * len(clients))], locations[k % 2], session_id,
                    start.isoformat(), end.isoformat(), f"{day_text} {hour:02d}:00:00", "60",
                    TYPES[int(random_() * len(TYPES))], status, substitute,
                    str(rng.choice((7500, 8000, 9000))), holds, late, "bulk", start.isoformat(), validated_at,
                )  # fmt: skip
        day += timedelta(days=1)
