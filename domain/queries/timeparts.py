"""Calendar parts of a session's local start, computed in SQL on both databases.

Grouping by hour, weekday, day, week or month must follow the studio's wall
clock, not UTC: a 7 pm session in New York is on the same day whatever the
offset. Every session keeps `start_local` (the naive wall-clock start in the
studio's zone), so the parts are plain functions of that column. SQLite and
PostgreSQL spell them differently; this module is the one place that knows
how, and it turns the database's answer back into one Python type per part.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, cast, extract, func
from sqlalchemy.sql.elements import ColumnElement

from domain.model import TrainingSession

TIME_PARTS = ("hour", "weekday", "day", "week", "month")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def time_part(part: str, dialect: str, column: Any = None) -> ColumnElement[Any]:
    """A SQL expression for one calendar part of a naive local timestamp.

    hour: 0–23; weekday: 0 = Monday … 6 = Sunday; day: the date; week: the
    Monday that starts the week; month: "YYYY-MM".
    """
    col = TrainingSession.start_local if column is None else column
    if dialect == "sqlite":
        if part == "hour":
            return cast(func.strftime("%H", col), Integer)
        if part == "weekday":
            return (cast(func.strftime("%w", col), Integer) + 6) % 7
        if part == "day":
            return func.date(col)
        if part == "week":
            # 'weekday 0' moves forward to the next Sunday (or stays on one); six days back is its Monday.
            return func.date(col, "weekday 0", "-6 days")
        if part == "month":
            return func.strftime("%Y-%m", col)
    else:
        if part == "hour":
            return cast(extract("hour", col), Integer)
        if part == "weekday":
            return cast(extract("isodow", col), Integer) - 1
        if part == "day":
            return cast(col, Date)
        if part == "week":
            return cast(func.date_trunc("week", col), Date)
        if part == "month":
            return func.to_char(col, "YYYY-MM")
    raise ValueError(f"unknown time part {part!r}")


def normalise(part: str, value: Any) -> int | date | str:
    """The database's value for a part as one Python type: int, date or "YYYY-MM"."""
    if part in ("hour", "weekday"):
        return int(value)
    if part in ("day", "week"):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if part == "month":
        return str(value)[:7]
    raise ValueError(f"unknown time part {part!r}")


def label(part: str, key: int | date | str) -> str:
    """How a part reads to a person: "07:00", "Monday", "2026-03-09", "week of 2026-03-09", "2026-03"."""
    if part == "hour":
        return f"{int(key):02d}:00"
    if part == "weekday":
        return WEEKDAYS[int(key)]
    if part == "week":
        return f"week of {key}"
    return str(key)
