"""Time fixes found by the fourth challenge set: spoken clock times with a space for the colon,
bare month names used as modifiers, "day of the week" (a grouping, not this week), and
"from the past N days" (a range, not an open interval)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.time import find_times

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 6, 15, 13, 25, tzinfo=NY)  # a Monday


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("5 30 pm", 17, 30), ("at 5 30 pm", 17, 30), ("thurs 5 30 pm", 17, 30), ("6 15 am", 6, 15)],
)
def test_clock_with_a_space_for_the_colon(text: str, hour: int, minute: int) -> None:
    [m] = find_times(text, NOW, "future")
    assert m.kind == "point" and m.value is not None
    assert (m.value.hour, m.value.minute) == (hour, minute)


@pytest.mark.parametrize(
    "text",
    ["approve may commissions", "approve the may statements", "may sessions", "approve commissions in may"],
)
def test_may_as_a_month_in_context(text: str) -> None:
    [m] = find_times(text, NOW, "past")
    assert m.kind == "period" and m.period is not None
    assert (m.period[0].month, m.period[1].month) == (5, 6)
    assert m.period[0].year == 2026


@pytest.mark.parametrize("text", ["i may book", "may i book a session", "you may"])
def test_may_as_a_verb_is_no_time(text: str) -> None:
    assert find_times(text, NOW, "future") == []


def test_day_of_the_week_is_no_period() -> None:
    assert find_times("which day of the week is the busiest", NOW, "past") == []
    [m] = find_times("sessions for the week", NOW, "past")
    assert m.kind == "period"


@pytest.mark.parametrize(
    "text", ["from the past 7 days", "sessions from the past seven days", "from the last 7 days"]
)
def test_from_the_past_n_days_is_a_range(text: str) -> None:
    [m] = find_times(text, NOW, "past")
    assert m.kind == "period" and m.period is not None
    assert (m.period[0].day, m.period[1].day) == (9, 16)
