"""Periods [start, end) in the studio's time zone.

Queries take their bounds as dates (midnight in the studio's zone) or aware
datetimes. Sessions are filtered on `start_at` (UTC) with aware bounds and on
`start_local` (the naive wall clock) with local bounds; both are computed
here so every query turns "March" into the same instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput

Bound = date | datetime


def aware(bound: Bound, zone: ZoneInfo) -> datetime:
    """A bound as an aware datetime: a date means its midnight in the studio's zone."""
    if isinstance(bound, datetime):
        if bound.tzinfo is None:
            raise InvalidInput("Times must carry a time zone.")
        return bound
    return datetime.combine(bound, time(0), tzinfo=zone)


def local(bound: Bound, zone: ZoneInfo) -> datetime:
    """A bound as a naive wall-clock datetime in the studio's zone (compares with `start_local`)."""
    if isinstance(bound, datetime):
        if bound.tzinfo is None:
            raise InvalidInput("Times must carry a time zone.")
        return bound.astimezone(zone).replace(tzinfo=None)
    return datetime.combine(bound, time(0))


@dataclass(frozen=True)
class Month:
    """A calendar month of the studio ("2026-03")."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        try:
            year, month = (int(part) for part in text.split("-"))
            date(year, month, 1)
        except ValueError as error:
            raise InvalidInput(f"{text!r} is not a month; write it like 2026-03.") from error
        return cls(year, month)

    @classmethod
    def of(cls, when: datetime, zone: ZoneInfo) -> Month:
        here = when.astimezone(zone)
        return cls(here.year, here.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def days(self) -> int:
        return (self.next.first - self.first).days

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def bounds(self) -> tuple[date, date]:
        return self.first, self.next.first


def to_utc(when: datetime) -> datetime:
    return when.astimezone(UTC)
