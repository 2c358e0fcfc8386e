"""Calendar arithmetic for the resolver: local dates to aware datetimes, DST-safely.

Dates are computed on naive `date` objects and only turned into aware datetimes at the
end.

Period boundaries (`local`, `day_range`) are built with `datetime(..., tzinfo=zone)`
followed by a round trip through UTC, which gives every boundary the offset actually in
force, so a period always starts at a true local midnight (or, in a zone whose clocks jump
at midnight, at the first real instant of the day).

Clock times (`wall`, `clock_near`) are kept as the speaker said them. A wall time that does
not exist (02:30 on the spring-forward night in America/New_York) is NOT moved to 03:30:
it stays `02:30` with `fold=0`, so the frame says what the speaker said and the engine or
domain can refuse it with a sentence ("there is no 2:30 that night"). Per PEP 495 such a
datetime carries the offset in force before the jump (EST, -05:00), i.e. its instant is
the same as 03:30 EDT; `nonexistent(value)` tells whether a value is such a wall time.
An ambiguous wall time (01:30 on the fall-back night) is the first occurrence (`fold=0`,
still daylight time). Elapsed times ("in 2 hours") are computed in UTC and are always
real local times.
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


def wall(day: date, tz: tzinfo | None, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """The aware datetime of a clock time on `day` exactly as said (`fold=0`, never moved
    out of a DST gap: see the module docstring)."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def nonexistent(value: datetime) -> bool:
    """Is `value` a wall time skipped by a DST jump (02:30 on a spring-forward night)?"""
    if value.tzinfo is None:
        return False
    real = value.astimezone(UTC).astimezone(value.tzinfo)
    return real.replace(tzinfo=None, fold=0) != value.replace(tzinfo=None, fold=0)


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
    candidate = wall(today, now.tzinfo, hour, minute, second)
    if direction == "past":
        if candidate <= now:
            return candidate
        return wall(today - timedelta(days=1), now.tzinfo, hour, minute, second)
    if candidate > now:
        return candidate
    return wall(today + timedelta(days=1), now.tzinfo, hour, minute, second)
