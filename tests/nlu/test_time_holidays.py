"""Holidays on lunar, lunisolar and sidereal calendars, checked against published dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.time import find_times
from nlu.time.holidays import holiday_date, holiday_span
from nlu.time.lunar import hebrew_to_gregorian

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("hy", "m", "d", "expected"),
    [
        (5779, 7, 1, date(2018, 9, 10)),  # Rosh Hashanah 5779
        (5784, 7, 1, date(2023, 9, 16)),  # Rosh Hashanah 5784
        (5785, 1, 15, date(2025, 4, 13)),  # Passover 5785
        (5784, 13, 14, date(2024, 3, 24)),  # Purim in a leap year (Adar II)
        (5760, 9, 25, date(1999, 12, 4)),  # Hanukkah 5760
    ],
)
def test_hebrew_calendar(hy: int, m: int, d: int, expected: date) -> None:
    assert hebrew_to_gregorian(hy, m, d) == expected


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        # Jewish holidays: the Gregorian day on whose evening they begin
        ("yom kippur", 2018, date(2018, 9, 18)),
        ("yom kippur", 2023, date(2023, 9, 24)),
        ("purim", 2024, date(2024, 3, 23)),
        ("tisha b'av", 2018, date(2018, 7, 21)),  # 9 Av was a Sabbath: kept on the 10th
        # Islamic (Umm al-Qura)
        ("eid al-fitr", 2018, date(2018, 6, 15)),
        ("eid al-fitr", 2024, date(2024, 4, 10)),
        ("eid al-adha", 2023, date(2023, 6, 28)),
        ("islamic new year", 2018, date(2018, 9, 11)),
        # Chinese
        ("chinese new year", 2013, date(2013, 2, 10)),
        ("chinese new year", 2020, date(2020, 1, 25)),
        ("chinese new year", 2024, date(2024, 2, 10)),
        ("chinese new year", 2034, date(2034, 2, 19)),  # after the 2033 leap month
        # Hindu, Sikh, Buddhist
        ("diwali", 2019, date(2019, 10, 27)),
        ("diwali", 2023, date(2023, 11, 12)),
        ("diwali", 2021, date(2021, 11, 4)),
        ("diwali", 2022, date(2022, 10, 24)),
        ("holi", 2019, date(2019, 3, 21)),
        ("holi", 2024, date(2024, 3, 25)),
        ("dussehra", 2018, date(2018, 10, 18)),
        ("ganesh chaturthi", 2019, date(2019, 9, 2)),
        ("raksha bandhan", 2018, date(2018, 8, 26)),
        ("makar sankranti", 2018, date(2018, 1, 14)),
        ("vaisakhi", 2018, date(2018, 4, 14)),
        ("onam", 2020, date(2020, 8, 31)),
        ("onam", 2023, date(2023, 8, 29)),
        # civil
        ("king's day", 2014, date(2014, 4, 26)),  # the 27th was a Sunday
        ("koningsdag", 2018, date(2018, 4, 27)),
        ("parsi new year", 2018, date(2018, 8, 17)),
        ("parsi new year", 2022, date(2022, 8, 16)),
    ],
)
def test_holiday_dates(name: str, year: int, expected: date) -> None:
    assert holiday_date(name, year) == expected


@pytest.mark.parametrize(
    ("name", "year", "first", "end"),
    [
        ("ramadan", 2018, date(2018, 5, 16), date(2018, 6, 15)),
        ("ramadan", 2024, date(2024, 3, 11), date(2024, 4, 10)),
        ("hanukkah", 2018, date(2018, 12, 2), date(2018, 12, 10)),
        ("passover", 2018, date(2018, 3, 30), date(2018, 4, 8)),
        ("rosh hashanah", 2023, date(2023, 9, 15), date(2023, 9, 18)),
        ("lent", 2018, date(2018, 2, 14), date(2018, 4, 1)),
    ],
)
def test_holiday_spans(name: str, year: int, first: date, end: date) -> None:
    assert holiday_span(name, year) == (first, end)


def test_holiday_mentions_resolve() -> None:
    now = datetime(2024, 1, 10, 9, 0, tzinfo=NY)
    [m] = find_times("closed for diwali 2023", now, "past")
    assert m.kind == "period" and m.period is not None
    assert m.period[0] == datetime(2023, 11, 12, tzinfo=NY)
    [m] = find_times("no sessions during ramadan", now)
    assert m.period is not None
    assert (m.period[0].date(), m.period[1].date()) == (date(2024, 3, 11), date(2024, 4, 10))
    [m] = find_times("book me after chinese new year", now)
    assert m.text.lower().endswith("chinese new year")
