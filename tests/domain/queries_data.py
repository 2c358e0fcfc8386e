"""A small studio month for the query tests, and an oracle that recomputes figures in Python.

The rows are inserted directly (domain.seed.rows) so every status exists
without walking commands; the oracle computes each metric from the same list
by the module docstring's definitions, so the SQL is checked against an
independent, obvious implementation rather than against numbers copied from
a first run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from builders import studio_with_people

from domain.model import Location
from domain.queries.timeparts import WEEKDAYS
from domain.seed.rows import session_row
from domain.store import Store

NY = ZoneInfo("America/New_York")


@dataclass
class Row:
    trainer: str
    client: str
    local: datetime  # naive wall clock in New York
    status: str
    price: str = "80.00"
    session_type: str = "standard"
    location: str | None = None
    substitute_for: str | None = None
    late_cancel: bool = False
    holds_credit: bool | None = None
    minutes: int = 60

    @property
    def start(self) -> datetime:
        return self.local.replace(tzinfo=NY)


def d(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute)


ROWS = [
    Row("sarah", "emma", d(2, 9), "validated", "80.00", location="Uptown"),
    Row("sarah", "john", d(3, 10), "validated", "90.00", "assessment", "Uptown"),
    Row("sarah", "emma", d(4, 9), "pending_validation", "80.00", location="Downtown"),
    Row("sarah", "john", d(5, 18), "disputed", "90.00", holds_credit=False),
    Row("tom", "will", d(2, 9), "validated", "70.00", "partner", "Downtown"),
    Row("tom", "will", d(6, 19, 30), "no_show", "70.00", holds_credit=True),
    Row("tom", "emma", d(9, 9), "validated", "80.00", location="Uptown", substitute_for="sarah"),
    Row("sarah", "will", d(10, 8), "cancelled", "80.00", holds_credit=False),
    Row("sarah", "emma", d(10, 12), "cancelled", "80.00", late_cancel=True, holds_credit=True),
    Row("tom", "will", d(27, 9, month=2), "validated", "70.00"),  # February: outside March
    Row("sarah", "emma", d(31, 23, 30), "validated", "80.00", "online"),  # 1 April in UTC
    Row("sarah", "john", d(20, 11), "scheduled", "90.00"),
    Row("tom", "john", d(12, 7), "pending_validation", "60.00", "nutrition", "Uptown"),
    Row("tom", "will", d(1, 0, 30, month=4), "validated", "70.00"),  # April: outside March
]
MARCH = (date(2026, 3, 1), date(2026, 4, 1))
NAMES = {
    "sarah": "Sarah Lee",
    "tom": "Tom Baker",
    "emma": "Emma Wilson",
    "john": "John Smith",
    "will": "Will Turner",
}


def load(store: Store, rows: list[Row] = ROWS) -> dict[str, Any]:
    """The builders' cast plus two locations and `rows`; returns the cast with `sessions` (id per row)."""
    cast = studio_with_people(store, tz="America/New_York")
    studio = cast["studio"]
    with store.sessions() as db, db.begin():
        locations = {name: Location(studio_id=studio.id, name=name) for name in ("Uptown", "Downtown")}
        db.add_all(locations.values())
        db.flush()
        cast["locations"] = {name: loc.id for name, loc in locations.items()}
        ids = []
        for row in rows:
            session = session_row(
                studio.id,
                NY,
                cast[row.trainer].id,
                cast[row.client].id,
                row.start,
                minutes=row.minutes,
                status=row.status,
                session_type=row.session_type,
                price=row.price,
                location_id=locations[row.location].id if row.location else None,
                substitute_for_id=cast[row.substitute_for].id if row.substitute_for else None,
                late_cancel=row.late_cancel,
                holds_credit=row.holds_credit,
            )
            db.add(session)
            ids.append(session.id)
        cast["sessions"] = ids
    return cast


# ---- the oracle ------------------------------------------------------------

COMPLETED = ("pending_validation", "validated")


def group_of(row: Row, group_by: str | None) -> str:
    """The label a row falls under, computed from the row's naive local time by hand."""
    if group_by is None:
        return "total"
    if group_by in ("trainer", "client"):
        return NAMES[getattr(row, group_by)]
    if group_by == "location":
        return row.location or "no location"
    if group_by == "session_type":
        return row.session_type
    if group_by == "hour":
        return f"{row.local.hour:02d}:00"
    if group_by == "weekday":
        return WEEKDAYS[row.local.weekday()]
    if group_by == "day":
        return row.local.date().isoformat()
    if group_by == "week":
        return f"week of {(row.local.date() - timedelta(days=row.local.weekday())).isoformat()}"
    if group_by == "month":
        return f"{row.local.year:04d}-{row.local.month:02d}"
    raise ValueError(group_by)


def kept_credit(row: Row) -> bool:
    return bool(row.holds_credit) and (
        row.status == "no_show" or (row.status == "cancelled" and row.late_cancel)
    )


def oracle(
    metric: str, group_by: str | None, rows: list[Row], start: date, end: date, visible: Any = None
) -> dict[str, Decimal]:
    """metric by group label over rows whose local start is in [start, end) (and `visible(row)`)."""
    chosen = [r for r in rows if start <= r.local.date() < end and (visible is None or visible(r))]
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in chosen:
        groups[group_of(r, group_by)].append(r)
    out: dict[str, Decimal] = {}
    for label, members in groups.items():
        if metric == "sessions":
            value = Decimal(sum(r.status in COMPLETED for r in members))
        elif metric == "no_shows":
            value = Decimal(sum(r.status == "no_show" for r in members))
        elif metric == "cancellations":
            value = Decimal(sum(r.status == "cancelled" for r in members))
        elif metric == "clients":
            value = Decimal(len({r.client for r in members if r.status in COMPLETED}))
        elif metric == "revenue":
            value = sum(
                (Decimal(r.price) for r in members if r.status in COMPLETED or kept_credit(r)),
                Decimal("0.00"),
            )
        elif metric == "validation_rate":
            rated = [r for r in members if r.status in (*COMPLETED, "disputed")]
            if not rated:
                continue
            validated = sum(r.status == "validated" for r in rated)
            out[label] = (Decimal(validated) / Decimal(len(rated))).quantize(Decimal("0.0001"))
            continue
        else:
            raise ValueError(metric)
        if value:
            out[label] = value
    return out
