"""Daylight-saving days and year boundaries (America/New_York)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from nlu.time import find_times, nonexistent

NY = ZoneInfo("America/New_York")


def only(text: str, now: datetime, direction: str = "future"):  # noqa: ANN201 - test helper
    found = find_times(text, now, direction)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def test_clock_on_spring_forward_day_has_the_new_offset() -> None:
    now = datetime(2026, 3, 8, 1, 0, tzinfo=NY)  # EST, 01:00; clocks jump 02:00 -> 03:00
    m = only("at 9am", now)
    assert m.value == datetime(2026, 3, 8, 9, 0, tzinfo=NY)
    assert m.value is not None and m.value.utcoffset() == timedelta(hours=-4)


def test_nonexistent_wall_time_is_kept_as_said() -> None:
    # 02:30 does not exist on 2026-03-08 in New York: it stays 02:30 (fold=0, pre-jump
    # offset, per PEP 495) so the engine can refuse it, rather than silently moving to 03:30.
    now = datetime(2026, 3, 8, 0, 30, tzinfo=NY)
    m = only("today at 2:30am", now)
    assert m.value is not None
    assert (m.value.hour, m.value.minute, m.value.fold) == (2, 30, 0)
    assert m.value.utcoffset() == timedelta(hours=-5)
    assert nonexistent(m.value)
    assert not nonexistent(only("today at 3:30am", now).value)  # type: ignore[arg-type]
    # Bare clock time, both directions.
    assert only("at 2:30am", now).value == datetime(2026, 3, 8, 2, 30, tzinfo=NY)
    past = only("at 2:30am", datetime(2026, 3, 8, 4, 0, tzinfo=NY), "past").value
    assert past is not None and (past.day, past.hour, past.minute) == (8, 2, 30)


def test_ambiguous_wall_time_is_the_first_occurrence() -> None:
    now = datetime(2026, 10, 31, 20, 0, tzinfo=NY)
    m = only("tomorrow at 1:30am", now)
    assert m.value is not None and (m.value.hour, m.value.minute, m.value.fold) == (1, 30, 0)
    assert m.value.utcoffset() == timedelta(hours=-4)
    assert not nonexistent(m.value)


def test_elapsed_time_across_spring_forward() -> None:
    now = datetime(2026, 3, 8, 1, 30, tzinfo=NY)  # EST
    m = only("in 2 hours", now)
    assert m.value is not None
    assert m.value.astimezone(ZoneInfo("UTC")) - now.astimezone(ZoneInfo("UTC")) == timedelta(hours=2)
    assert (m.value.hour, m.value.minute) == (4, 30)  # 01:30 EST + 2h = 04:30 EDT


def test_elapsed_time_across_fall_back() -> None:
    now = datetime(2026, 11, 1, 0, 30, tzinfo=NY)  # EDT
    m = only("in 2 hours", now)
    assert m.value is not None
    assert (m.value.hour, m.value.minute) == (1, 30)  # the second 01:30, in EST
    assert m.value.utcoffset() == timedelta(hours=-5)
    back = only("2 hours ago", datetime(2026, 11, 1, 2, 30, tzinfo=NY), "past")  # 02:30 EST
    assert back.value is not None and (back.value.hour, back.value.minute) == (1, 30)
    assert back.value.utcoffset() == timedelta(hours=-4)  # the first 01:30, still EDT


def test_day_periods_on_dst_days_are_local_midnights() -> None:
    for now in (datetime(2026, 3, 8, 12, tzinfo=NY), datetime(2026, 11, 1, 12, tzinfo=NY)):
        m = only("today", now)
        assert m.period is not None
        start, end = m.period
        assert (start.hour, start.minute, end.hour, end.minute) == (0, 0, 0, 0)
        assert end.date() - start.date() == timedelta(days=1)
    utc = ZoneInfo("UTC")
    spring = only("today", datetime(2026, 3, 8, 12, tzinfo=NY)).period
    assert spring is not None and spring[1].astimezone(utc) - spring[0].astimezone(utc) == timedelta(hours=23)
    fall = only("today", datetime(2026, 11, 1, 12, tzinfo=NY)).period
    assert fall is not None and fall[1].astimezone(utc) - fall[0].astimezone(utc) == timedelta(hours=25)


def test_clock_on_fall_back_day() -> None:
    now = datetime(2026, 10, 31, 20, 0, tzinfo=NY)
    m = only("tomorrow at 9am", now)
    assert m.value == datetime(2026, 11, 1, 9, 0, tzinfo=NY)
    assert m.value is not None and m.value.utcoffset() == timedelta(hours=-5)


def test_week_containing_dst_change_starts_at_local_midnight() -> None:
    m = only("this week", datetime(2026, 3, 11, 9, tzinfo=NY), "past")
    assert m.period == (datetime(2026, 3, 9, tzinfo=NY), datetime(2026, 3, 16, tzinfo=NY))
    m = only("last week", datetime(2026, 3, 11, 9, tzinfo=NY), "past")
    assert m.period is not None and m.period[0].utcoffset() == timedelta(hours=-5)
    assert m.period[1].utcoffset() == timedelta(hours=-4)


def test_date_without_year_across_new_year() -> None:
    jan2 = datetime(2027, 1, 2, 10, tzinfo=NY)
    m = only("December 30", jan2, "past")
    assert m.period is not None and m.period[0] == datetime(2026, 12, 30, tzinfo=NY)
    dec30 = datetime(2026, 12, 30, 10, tzinfo=NY)
    m = only("January 3", dec30, "future")
    assert m.period is not None and m.period[0] == datetime(2027, 1, 3, tzinfo=NY)
    m = only("12/30", jan2, "past")
    assert m.period is not None and m.period[0] == datetime(2026, 12, 30, tzinfo=NY)
    m = only("1/3", dec30, "future")
    assert m.period is not None and m.period[0] == datetime(2027, 1, 3, tzinfo=NY)


def test_weeks_and_months_across_new_year() -> None:
    jan2 = datetime(2027, 1, 2, 10, tzinfo=NY)  # a Saturday
    assert only("last week", jan2, "past").period == (
        datetime(2026, 12, 21, tzinfo=NY),
        datetime(2026, 12, 28, tzinfo=NY),
    )
    assert only("this week", jan2, "past").period == (
        datetime(2026, 12, 28, tzinfo=NY),
        datetime(2027, 1, 4, tzinfo=NY),
    )
    dec = datetime(2026, 12, 15, 10, tzinfo=NY)
    assert only("next month", dec).period == (
        datetime(2027, 1, 1, tzinfo=NY),
        datetime(2027, 2, 1, tzinfo=NY),
    )
    assert only("last month", datetime(2027, 1, 5, tzinfo=NY), "past").period == (
        datetime(2026, 12, 1, tzinfo=NY),
        datetime(2027, 1, 1, tzinfo=NY),
    )
    assert only("in December", datetime(2027, 1, 5, tzinfo=NY), "past").period == (
        datetime(2026, 12, 1, tzinfo=NY),
        datetime(2027, 1, 1, tzinfo=NY),
    )
    assert only("in January", dec).period == (
        datetime(2027, 1, 1, tzinfo=NY),
        datetime(2027, 2, 1, tzinfo=NY),
    )


def test_weekday_and_clock_across_new_year() -> None:
    jan1 = datetime(2027, 1, 1, 8, tzinfo=NY)  # a Friday
    m = only("wednesday at 6pm", jan1, "past")
    assert m.value == datetime(2026, 12, 30, 18, tzinfo=NY)
    m = only("at 9pm", jan1, "past")
    assert m.value == datetime(2026, 12, 31, 21, tzinfo=NY)


def test_last_n_days_across_new_year() -> None:
    m = only("the last 3 days", datetime(2027, 1, 1, 8, tzinfo=NY), "past")
    assert m.period == (datetime(2026, 12, 30, tzinfo=NY), datetime(2027, 1, 2, tzinfo=NY))
