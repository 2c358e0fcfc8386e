"""Commission months ("YYYY-MM"), in the studio's wall-clock time.

A session belongs to the month of its start in the studio's time zone; the
store keeps that wall-clock start in `TrainingSession.start_local`, so a month
is a half-open range of naive local datetimes.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput

_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse(month: str) -> tuple[int, int]:
    found = _MONTH.match(month or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise InvalidInput(f"I don't understand the month {month!r}; write it like 2026-03.")
    return int(found.group(1)), int(found.group(2))


def of(local: datetime | date) -> str:
    return f"{local.year:04d}-{local.month:02d}"


def following(month: str) -> str:
    year, number = parse(month)
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def bounds(month: str) -> tuple[datetime, datetime]:
    """[first local midnight of the month, first local midnight of the next) — naive, studio wall clock."""
    year, number = parse(month)
    nxt_year, nxt_number = parse(following(month))
    return datetime(year, number, 1), datetime(nxt_year, nxt_number, 1)


def label(month: str) -> str:
    """The month as people say it: "March 2026"."""
    year, number = parse(month)
    return f"{_NAMES[number - 1]} {year}"


def has_ended(month: str, now: datetime, zone: ZoneInfo) -> bool:
    """Whether `now` (aware) is past the month's end in the studio's zone."""
    return now.astimezone(zone).replace(tzinfo=None) >= bounds(month)[1]
