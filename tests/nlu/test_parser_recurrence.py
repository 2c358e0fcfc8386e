"""Recurring bookings: RRULE, COUNT from "for N weeks", first occurrence as start."""

from __future__ import annotations

from nlu_support import slots

from nlu.recurrence import find_recurrence


def test_two_weekdays_for_n_weeks() -> None:
    s = slots("Book Omar every Tuesday and Friday at 7am for 5 weeks")
    assert s["recurrence"] == "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=10"
    assert s["start"] == "2026-04-10T07:00"  # Friday is the first match after Wednesday


def test_plural_weekdays_and_spoken_count() -> None:
    s = slots("book keisha mondays and wednesdays at six p m for four weeks")
    assert s["recurrence"] == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8"
    assert s["start"] == "2026-04-13T18:00"


def test_today_is_never_the_first_occurrence() -> None:
    s = slots("book Derek every Wednesday at 6pm")
    assert s["recurrence"] == "FREQ=WEEKLY;BYDAY=WE"
    assert s["start"] == "2026-04-15T18:00"


def test_other_rules() -> None:
    assert find_recurrence("every other friday at 7").rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    assert find_recurrence("daily at 6am for 10 days").rule == "FREQ=DAILY;COUNT=10"
    assert find_recurrence("every weekday at 6").rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert find_recurrence("weekly on monday at 9am, 8 times").rule == "FREQ=WEEKLY;BYDAY=MO;COUNT=8"
    assert find_recurrence("Book John Doe for Friday at 4pm") is None


def test_until_date() -> None:
    s = slots("book Omar every Monday at 7am until May 25")
    assert s["recurrence"] == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260525"
