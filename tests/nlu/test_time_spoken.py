"""Speech-recognition style input and durations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.time import find_durations, find_times

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=NY)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("book me at three thirty p m", 15, 30),
        ("seven a m", 7, 0),
        ("at seven a.m.", 7, 0),
        ("quarter to four", 15, 45),
        ("a quarter past ten", 10, 15),
        ("half past two", 14, 30),
        ("nine fifty nine a m", 9, 59),
        ("twelve oh three", 12, 3),
        ("at four fifteen", 16, 15),
        ("ten thirty", 10, 30),
        ("at 10:30AM", 10, 30),
        ("5 PM", 17, 0),
        ("at 1730", 17, 30),
    ],
)
def test_spoken_clock_times(text: str, hour: int, minute: int) -> None:
    [m] = find_times(text, NOW, "future")
    assert m.kind == "point"
    assert m.value is not None and (m.value.hour, m.value.minute) == (hour, minute)


def test_spoken_day_and_time() -> None:
    [m] = find_times("book sarah tomorrow at six thirty pm", NOW, "future")
    assert m.value == datetime(2026, 3, 12, 18, 30, tzinfo=NY)
    [m] = find_times("log a session with john two hours ago", NOW, "past")
    assert m.value == datetime(2026, 3, 11, 7, 0, tzinfo=NY)
    [m] = find_times("on the twenty first", NOW, "future")
    assert m.period is not None and m.period[0] == datetime(2026, 3, 21, tzinfo=NY)


def test_typed_chat_noise() -> None:
    [m] = find_times("CAN I BOOK TMRW @ 7PM?? 🙏", NOW, "future")
    assert m.value == datetime(2026, 3, 12, 19, 0, tzinfo=NY)
    [m] = find_times("log sesh w/ emma yday 6pm", NOW, "past")
    assert m.value == datetime(2026, 3, 10, 18, 0, tzinfo=NY)
    [m] = find_times("cancel thrusday", NOW, "future")
    assert m.period is not None and m.period[0] == datetime(2026, 3, 12, tzinfo=NY)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("an hour", 60),
        ("a 45 minute session", 45),
        ("half an hour", 30),
        ("90 min", 90),
        ("an hour and a half", 90),
        ("1.5 hours", 90),
        ("forty five minutes", 45),
        ("one hour", 60),
        ("two hours", 120),
        ("90-minute session", 90),
        ("1 hr 30 min", 90),
        ("thirty mins", 30),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    [d] = find_durations(text)
    assert d.minutes == minutes
    assert d.text == text[d.start : d.end]


@pytest.mark.parametrize(
    "text",
    [
        "in 2 hours",
        "two hours ago",
        "the last 2 hours",
        "3 days from now",
        "book at 3pm",
        "hello",
        "in half an hour",
    ],
)
def test_relative_times_are_not_durations(text: str) -> None:
    assert find_durations(text) == []


def test_duration_and_time_in_one_message() -> None:
    text = "Log a 45 minute session with John Smith yesterday at 6pm."
    [d] = find_durations(text)
    assert d.minutes == 45 and d.text == "45 minute"
    [t] = find_times(text, NOW, "past")
    assert t.value == datetime(2026, 3, 10, 18, tzinfo=NY)
