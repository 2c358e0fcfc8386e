"""Calendar arithmetic for the resolver: local dates to aware datetimes, DST-safely.

Dates are computed on naive `date` objects and only turned into aware datetimes at the
end, with `datetime(..., tzinfo=zone)` followed by a round trip through UTC. That round
trip moves a wall time that does not exist (02:30 on a spring-forward day) to the real
local time and gives every result the offset actually in force, so a period boundary is
always a true local midnight and a clock time on a DST-change day has the right offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from nlu.time.mentions import Direction

UTC = UTC


def local(day: date, tz: tzinfo | None, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """The aware local datetime of a wall-clock time on `day`, normalised across DST gaps."""
    naive = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
    if tz is None:
        return naive
    return naive.astimezone(UTC).astimezone(tz)


def day_range(day: date, tz: tzinfo | None, days: int = 1) -> tuple[datetime, datetime]:
    """[local midnight of `day`, local midnight `days` later)."""
    return local(day, tz), local(day + timedelta(days=days), tz)


def elapsed(now: datetime, delta: timedelta) -> datetime:
    """`now` plus elapsed time (computed in UTC, so DST changes do not shift the result)."""
    return (now.astimezone(UTC) + delta).astimezone(now.tzinfo)


def week_start(day: date) -> date:
    """Monday of the week holding `day` (weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """(year, month) `count` months after (or before, if negative) year/month."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def month_start(year: int, month: int) -> date:
    """First day of a month."""
    return date(year, month, 1)


def days_in_month(year: int, month: int) -> int:
    """Number of days of a month."""
    y, m = add_months(year, month, 1)
    return (date(y, m, 1) - date(year, month, 1)).days


def weekday_near(today: date, weekday: int, direction: Direction) -> date:
    """A bare weekday: the latest such day before today, or the earliest after today."""
    if direction == "past":
        back = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=back)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def weekday_this_week(today: date, weekday: int) -> date:
    """ "this Friday": the Friday of the current Monday-based week."""
    return week_start(today) + timedelta(days=weekday)


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None if it does not exist (Feb 30)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_without_year(today: date, month: int, day: int, direction: Direction) -> date | None:
    """Latest such date on or before today (past), or earliest on or after today (future)."""
    step = -1 if direction == "past" else 1
    for k in range(0, 9):
        d = valid_date(today.year + step * k, month, day)
        if d is None:
            continue
        if (direction == "past" and d <= today) or (direction == "future" and d >= today):
            return d
    return None


def day_of_month(today: date, day: int, direction: Direction) -> date | None:
    """ "the 14th": the nearest 14th on or before (past) / on or after (future) today."""
    if not 1 <= day <= 31:
        return None
    step = -1 if direction == "past" else 1
    for k in range(0, 14):
        y, m = add_months(today.year, today.month, step * k)
        d = valid_date(y, m, day)
        if d is None:
            continue
        if (direction == "past" and d <= today) or (direction == "future" and d >= today):
            return d
    return None


def month_near(today: date, month: int, direction: Direction) -> int:
    """Year of a bare month: latest that has begun (past) / earliest not yet ended (future)."""
    if direction == "past":
        return today.year if month <= today.month else today.year - 1
    return today.year if month >= today.month else today.year + 1


def clock_near(now: datetime, hour: int, minute: int, second: int, direction: Direction) -> datetime:
    """A clock time alone: latest at or before now (past), earliest after now (future)."""
    today = now.date()
    candidate = local(today, now.tzinfo, hour, minute, second)
    if direction == "past":
        if candidate <= now:
            return candidate
        return local(today - timedelta(days=1), now.tzinfo, hour, minute, second)
    if candidate > now:
        return candidate
    return local(today + timedelta(days=1), now.tzinfo, hour, minute, second)
