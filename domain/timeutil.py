"""Wall clocks and instants: how a studio's local times become stored UTC times.

The store keeps instants in UTC and, beside them, the wall-clock start in the
studio's zone (`start_local`) for grouping. Two daylight-saving edge cases are
decided here, once:

* An **ambiguous** wall clock (01:30 on 2026-11-01 in New York happens twice)
  is taken as given: an aware datetime carries its `fold`, and Python's default
  `fold=0` means the *first* occurrence (daylight time, EDT). `local()` builds
  wall clocks with `fold=0`.
* A **non-existent** wall clock (02:30 on 2026-03-08 in New York, skipped when
  the clocks go forward) is *refused* with a sentence rather than silently
  shifted: a booking at a time that does not exist is almost certainly a
  misunderstanding, and the person should choose.

Durations are real elapsed minutes: a 60-minute session from 01:00 EDT on
2026-11-01 ends at 01:00 EST, sixty minutes later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput


def _exists(value: datetime) -> bool:
    """Whether an aware wall clock survives a round trip through UTC (false in a spring-forward gap)."""
    zone = value.tzinfo
    if zone is None or zone is UTC:
        return True
    back = value.astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None, fold=0) == value.replace(tzinfo=None, fold=0)


def require_aware(value: datetime, what: str = "time") -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise InvalidInput(f"The {what} needs a time zone; I can't tell when that is.")
    return value


def to_utc(value: datetime, what: str = "time") -> datetime:
    """An aware datetime as UTC, refusing wall clocks that do not exist in their zone."""
    require_aware(value, what)
    if not _exists(value):
        raise InvalidInput(
            f"{value:%H:%M} on {value:%A} {value.day} {value:%B %Y} doesn't exist in {value.tzinfo} "
            "(the clocks go forward that night); please pick another time."
        )
    return value.astimezone(UTC)


def local(naive: datetime, tz: str | tzinfo) -> datetime:
    """A wall clock in a zone as an aware datetime (fold=0: the first of two, see module docstring).

    Refuses a wall clock that does not exist in the zone.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    value = naive.replace(tzinfo=zone, fold=0)
    to_utc(value)
    return value


def local_naive(instant: datetime, tz: str | tzinfo) -> datetime:
    """The wall clock of an instant in a zone, without tzinfo (what `start_local` stores)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return require_aware(instant).astimezone(zone).replace(tzinfo=None, fold=0)


def in_zone(instant: datetime, tz: str | tzinfo) -> datetime:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return instant.astimezone(zone)


def wall_time_to_instant(day: date, at: time, tz: str | tzinfo) -> datetime:
    """A day's wall clock as an aware datetime for building working-hour intervals.

    Unlike `local()`, a wall clock in a spring-forward gap is moved forward by
    the gap (02:30 becomes 03:30 EDT) instead of refused: a working day that
    "starts at 02:30" still starts, just later.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    value = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    if not _exists(value):
        value = value.astimezone(UTC).astimezone(zone)
    return value


def clock(instant: datetime, tz: str | tzinfo) -> str:
    """'3:00 PM' in the zone (the studio's en_US convention, as the chat replies show times)."""
    value = in_zone(instant, tz)
    return f"{value.hour % 12 or 12}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def clock_range(start: datetime, end: datetime, tz: str | tzinfo) -> str:
    """'3:00 PM–4:00 PM' in the zone (what refusals show people)."""
    return f"{clock(start, tz)}–{clock(end, tz)}"


def day_words(instant: datetime, tz: str | tzinfo) -> str:
    """'Thu, Mar 12' in the zone."""
    value = in_zone(instant, tz)
    return f"{value:%a}, {value:%b} {value.day}"


def when_words(instant: datetime, tz: str | tzinfo) -> str:
    """'Thu, Mar 12 at 3:00 PM' in the zone."""
    return f"{day_words(instant, tz)} at {clock(instant, tz)}"


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
