"""Every row of the contract's "How time resolves" table, past- and future-looking."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.time import TimeMention, find_times

NY = ZoneInfo("America/New_York")
# Wednesday 11 March 2026, 17:20 (after the DST change on the 8th)
NOW = datetime(2026, 3, 11, 17, 20, tzinfo=NY)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=NY)


def one(text: str, direction: str, now: datetime = NOW) -> TimeMention:
    found = find_times(text, now, direction)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


def point(text: str, direction: str, now: datetime = NOW) -> datetime:
    m = one(text, direction, now)
    assert m.kind == "point", m
    assert m.value is not None
    return m.value


def period(text: str, direction: str, now: datetime = NOW) -> tuple[datetime, datetime]:
    m = one(text, direction, now)
    assert m.kind == "period", m
    assert m.period is not None
    return m.period


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("at 3pm", at(2026, 3, 11, 15), at(2026, 3, 12, 15)),
        ("at 7pm", at(2026, 3, 10, 19), at(2026, 3, 11, 19)),
        ("at 5:20 pm", at(2026, 3, 11, 17, 20), at(2026, 3, 12, 17, 20)),
        ("at 3", at(2026, 3, 11, 15), at(2026, 3, 12, 15)),
        ("at 10", at(2026, 3, 11, 10), at(2026, 3, 12, 10)),
        ("at 3:30", at(2026, 3, 11, 15, 30), at(2026, 3, 12, 15, 30)),
        ("at 6", at(2026, 3, 10, 18), at(2026, 3, 11, 18)),
        ("at 7", at(2026, 3, 11, 7), at(2026, 3, 12, 7)),
        ("at 11", at(2026, 3, 11, 11), at(2026, 3, 12, 11)),
        ("at 12", at(2026, 3, 11, 12), at(2026, 3, 12, 12)),
        ("noon", at(2026, 3, 11, 12), at(2026, 3, 12, 12)),
    ],
)
def test_clock_time_alone(text: str, past: datetime, future: datetime) -> None:
    assert point(text, "past") == past
    assert point(text, "future") == future


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("Friday", (2026, 3, 6), (2026, 3, 13)),
        ("on Monday", (2026, 3, 9), (2026, 3, 16)),
        ("wednesday", (2026, 3, 4), (2026, 3, 18)),
        ("last Friday", (2026, 3, 6), (2026, 3, 6)),
        ("this Friday", (2026, 3, 13), (2026, 3, 13)),
        ("this Monday", (2026, 3, 9), (2026, 3, 9)),
        ("next Friday", (2026, 3, 13), (2026, 3, 13)),
        ("March 3", (2026, 3, 3), (2027, 3, 3)),
        ("March 11", (2026, 3, 11), (2026, 3, 11)),
        ("the 14th", (2026, 2, 14), (2026, 3, 14)),
        ("the 11th", (2026, 3, 11), (2026, 3, 11)),
        ("3/14", (2025, 3, 14), (2026, 3, 14)),
        ("3/2", (2026, 3, 2), (2027, 3, 2)),
        ("today", (2026, 3, 11), (2026, 3, 11)),
        ("yesterday", (2026, 3, 10), (2026, 3, 10)),
        ("tomorrow", (2026, 3, 12), (2026, 3, 12)),
    ],
)
def test_days(text: str, past: tuple[int, int, int], future: tuple[int, int, int]) -> None:
    for direction, ymd in (("past", past), ("future", future)):
        start, end = period(text, direction)
        assert start == at(*ymd)
        assert (end - start).days == 1 or end.date() > start.date()
        assert end.date() == (start.date().fromordinal(start.date().toordinal() + 1))


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("in October", ((2025, 10, 1), (2025, 11, 1)), ((2026, 10, 1), (2026, 11, 1))),
        ("in March", ((2026, 3, 1), (2026, 4, 1)), ((2026, 3, 1), (2026, 4, 1))),
        ("in February", ((2026, 2, 1), (2026, 3, 1)), ((2027, 2, 1), (2027, 3, 1))),
        ("this week", ((2026, 3, 9), (2026, 3, 16)), ((2026, 3, 9), (2026, 3, 16))),
        ("this month", ((2026, 3, 1), (2026, 4, 1)), ((2026, 3, 1), (2026, 4, 1))),
        ("this year", ((2026, 1, 1), (2027, 1, 1)), ((2026, 1, 1), (2027, 1, 1))),
        ("last week", ((2026, 3, 2), (2026, 3, 9)), ((2026, 3, 2), (2026, 3, 9))),
        ("last month", ((2026, 2, 1), (2026, 3, 1)), ((2026, 2, 1), (2026, 3, 1))),
        ("last year", ((2025, 1, 1), (2026, 1, 1)), ((2025, 1, 1), (2026, 1, 1))),
        ("next week", ((2026, 3, 16), (2026, 3, 23)), ((2026, 3, 16), (2026, 3, 23))),
        ("next month", ((2026, 4, 1), (2026, 5, 1)), ((2026, 4, 1), (2026, 5, 1))),
        ("the last 7 days", ((2026, 3, 5), (2026, 3, 12)), ((2026, 3, 5), (2026, 3, 12))),
        ("past 30 days", ((2026, 2, 10), (2026, 3, 12)), ((2026, 2, 10), (2026, 3, 12))),
        ("so far this month", ((2026, 3, 1), (2026, 4, 1)), ((2026, 3, 1), (2026, 4, 1))),
        ("month to date", ((2026, 3, 1), (2026, 4, 1)), ((2026, 3, 1), (2026, 4, 1))),
    ],
)
def test_periods(text: str, past: tuple, future: tuple) -> None:
    for direction, (a, b) in (("past", past), ("future", future)):
        assert period(text, direction) == (at(*a), at(*b))


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("this morning", (5, 12)),
        ("this afternoon", (12, 17)),
        ("this evening", (17, 22)),
    ],
)
def test_parts_of_today(text: str, hours: tuple[int, int]) -> None:
    for direction in ("past", "future"):
        assert period(text, direction) == (at(2026, 3, 11, hours[0]), at(2026, 3, 11, hours[1]))


@pytest.mark.parametrize("direction", ["past", "future"])
def test_elapsed_time(direction: str) -> None:
    assert point("in 2 hours", direction) == at(2026, 3, 11, 19, 20)
    assert point("2 hours ago", direction) == at(2026, 3, 11, 15, 20)
    assert point("in 45 minutes", direction) == at(2026, 3, 11, 18, 5)


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("Friday at 7am", "past", at(2026, 3, 6, 7)),
        ("Friday at 7am", "future", at(2026, 3, 13, 7)),
        ("yesterday 6pm", "past", at(2026, 3, 10, 18)),
        ("at 9:15 this morning", "past", at(2026, 3, 11, 9, 15)),
        ("tomorrow morning at 7", "future", at(2026, 3, 12, 7)),
        ("on Monday at 7am", "past", at(2026, 3, 9, 7)),
        ("7am on Monday", "future", at(2026, 3, 16, 7)),
        ("next tuesday at 4:30pm", "future", at(2026, 3, 17, 16, 30)),
        ("October 30 at 5:30pm", "past", at(2025, 10, 30, 17, 30)),
        ("3pm tomorrow", "future", at(2026, 3, 12, 15)),
    ],
)
def test_day_with_clock_is_a_point(text: str, direction: str, expected: datetime) -> None:
    assert point(text, direction) == expected


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("Friday morning", "past", (at(2026, 3, 6, 5), at(2026, 3, 6, 12))),
        ("Friday morning", "future", (at(2026, 3, 13, 5), at(2026, 3, 13, 12))),
        ("yesterday evening", "past", (at(2026, 3, 10, 17), at(2026, 3, 10, 22))),
        ("next Thursday morning", "future", (at(2026, 3, 12, 5), at(2026, 3, 12, 12))),
        ("tomorrow afternoon", "future", (at(2026, 3, 12, 12), at(2026, 3, 12, 17))),
    ],
)
def test_day_with_part_of_day_is_a_range(text: str, direction: str, expected: tuple) -> None:
    assert period(text, direction) == expected


def test_possessives() -> None:
    m = one("log this morning's session with Bill", "past")
    assert m.text == "this morning's"
    assert m.period == (at(2026, 3, 11, 5), at(2026, 3, 11, 12))
    m = one("Friday's session was great", "past")
    assert m.period == (at(2026, 3, 6), at(2026, 3, 7))


def test_offsets_point_into_the_original_text() -> None:
    text = "Book John for THREE THIRTY P M tomorrow please"
    [m] = find_times(text, NOW, "future")
    assert text[m.start : m.end] == m.text == "THREE THIRTY P M tomorrow"
    assert m.value == at(2026, 3, 12, 15, 30)


def test_several_mentions_left_to_right() -> None:
    found = find_times("move friday at 3pm to monday at 10", NOW, "future")
    assert [m.value for m in found] == [at(2026, 3, 13, 15), at(2026, 3, 16, 10)]


@pytest.mark.parametrize(
    "text",
    [
        "hello there",
        "good morning!",
        "how many sessions does emma have left",
        "add client Rose Carter rose@example.com 555-123-4567",
        "tag john as vip",
        "top 3 trainers",
        "I want 2 sessions",
        "this one",
        "may I ask something",
        "",
        "   ",
        "👍",
    ],
)
def test_no_time_no_mentions(text: str) -> None:
    assert find_times(text, NOW, "past") == []
    assert find_times(text, NOW, "future") == []


def test_open_intervals() -> None:
    m = one("anytime after 6pm", "future")
    assert m.kind == "after" and m.period == (at(2026, 3, 11, 18), at(2026, 3, 11, 18))
    m = one("before friday", "future")
    assert m.kind == "before" and m.period is not None and m.period[0] == at(2026, 3, 13)


def test_explicit_ranges() -> None:
    assert period("between 9:30 and 11 on thursday", "future") == (
        at(2026, 3, 12, 9, 30),
        at(2026, 3, 12, 11),
    )
    assert period("3-4pm tomorrow", "future") == (at(2026, 3, 12, 15), at(2026, 3, 12, 16))
    assert period("July 13-15", "future") == (at(2026, 7, 13), at(2026, 7, 16))
