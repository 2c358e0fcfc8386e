"""Periods for the reading intents: the defaults when none was said, and how to say one back.

A period is the parser's `[from, to)` pair of aware datetimes in the studio's
zone. Replies name it the way people do — "this month", "last week",
"yesterday", "in February 2026", "from Mon, Mar 2 to Sun, Mar 8" — so the
answer to "validation rate last month" says "last month".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import format as fmt
from domain.queries.period import Month

Period = tuple[datetime, datetime]
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def as_period(value: object, zone: ZoneInfo) -> Period | None:
    """The slot value as an aware (from, to) pair in the zone, or None when it isn't one."""
    if isinstance(value, tuple | list) and len(value) == 2 and all(isinstance(v, datetime) for v in value):
        a, b = value
        a = a.astimezone(zone) if a.tzinfo else a.replace(tzinfo=zone)
        b = b.astimezone(zone) if b.tzinfo else b.replace(tzinfo=zone)
        return (a, b)
    return None


def month_period(month: Month, zone: ZoneInfo) -> Period:
    first, last = month.bounds()
    return midnight(first, zone), midnight(last, zone)


def this_month(now: datetime) -> Period:
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    return month_period(Month(now.year, now.month), zone)


def whole_month(period: Period) -> Month | None:
    """The month a period is exactly (1st midnight to next 1st midnight), else None."""
    a, b = period
    if a.timetz().replace(tzinfo=None) != time(0) or b.timetz().replace(tzinfo=None) != time(0):
        return None
    if a.day != 1 or b.day != 1:
        return None
    month = Month(a.year, a.month)
    return month if (b.year, b.month) == (month.next.year, month.next.month) else None


def month_words(month: Month) -> str:
    """'March 2026'."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def _is_midnight(value: datetime) -> bool:
    return value.hour == 0 and value.minute == 0


def words(period: Period, now: datetime) -> str:
    """How to say a period back, relative to `now` (aware, studio zone): 'this month', 'on Wed, Mar 11'..."""
    a, b = period
    today = now.date()
    if _is_midnight(a) and _is_midnight(b):
        days = (b.date() - a.date()).days
        if days == 1:
            names = {
                today: "today",
                today - timedelta(days=1): "yesterday",
                today + timedelta(days=1): "tomorrow",
            }
            return names.get(a.date(), f"on {fmt.day(a)}")
        if days == 7 and a.weekday() == 0:
            monday = today - timedelta(days=today.weekday())
            names = {
                monday: "this week",
                monday - timedelta(days=7): "last week",
                monday + timedelta(days=7): "next week",
            }
            return names.get(a.date(), f"the week of {fmt.day(a)}")
        month = whole_month(period)
        if month is not None:
            current = Month(today.year, today.month)
            names = {current: "this month", current.previous: "last month", current.next: "next month"}
            return names.get(month, f"in {month_words(month)}")
        if a.month == 1 and a.day == 1 and b.month == 1 and b.day == 1 and b.year == a.year + 1:
            names = {today.year: "this year", today.year - 1: "last year"}
            return names.get(a.year, f"in {a.year}")
        last = b - timedelta(days=1)
        return f"from {fmt.day(a)} to {fmt.day(last)}"
    if a.date() == b.date() or (_is_midnight(b) and (b.date() - a.date()).days == 1):
        return f"on {fmt.day(a)} {fmt.time_of_day(a)}–{fmt.time_of_day(b)}"
    return f"from {fmt.when(a)} to {fmt.when(b)}"
