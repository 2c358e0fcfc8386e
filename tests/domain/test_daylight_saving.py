"""Daylight saving in America/New_York: 2026-03-08 (spring forward) and 2026-11-01 (fall back).

Decisions (domain/timeutil.py): an ambiguous wall clock is taken with its
`fold` (default 0 = the first occurrence, daylight time); a wall clock that
does not exist is refused with a sentence; durations are real minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders import actor, give_package, set_hours, studio_with_people

from domain.availability import free_slots
from domain.commands import BookSession, LogSession, RescheduleSession
from domain.errors import InvalidInput
from domain.timeutil import local

NY = ZoneInfo("America/New_York")


@pytest.fixture
def cast(store, clock):
    clock.set(datetime(2026, 11, 20, 12, tzinfo=UTC))  # after both changes: these are logged sessions
    return studio_with_people(store)


def log(store, cast, start, client="emma", **kw):
    return store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast[client].id, start, **kw))


@pytest.mark.parametrize("day", [8, 7, 9])
def test_sessions_around_spring_forward_keep_local_time_and_duration(store, cast, day):
    s = log(store, cast, datetime(2026, 3, day, 10, tzinfo=NY))
    assert s.start_local == datetime(2026, 3, day, 10)
    assert s.start_at.astimezone(NY).hour == 10
    assert s.end_at - s.start_at == timedelta(minutes=60)
    assert s.end_at.astimezone(NY).replace(tzinfo=None) == datetime(2026, 3, day, 11)
    # the UTC offset differs on either side of the change
    assert s.start_at.astimezone(UTC).hour == (15 if day == 7 else 14)


@pytest.mark.parametrize("day", [1, 2, 10])
def test_sessions_around_fall_back_keep_local_time_and_duration(store, cast, day):
    s = log(store, cast, datetime(2026, 11, day, 10, tzinfo=NY))
    assert s.start_local == datetime(2026, 11, day, 10)
    assert s.end_at - s.start_at == timedelta(minutes=60)
    assert s.end_at.astimezone(NY).hour == 11
    assert s.start_at.astimezone(UTC).hour == 15  # EST after the change


def test_a_session_across_spring_forward_lasts_its_real_minutes(store, cast):
    s = log(store, cast, datetime(2026, 3, 8, 1, 30, tzinfo=NY))
    assert s.end_at - s.start_at == timedelta(minutes=60)
    assert s.start_local == datetime(2026, 3, 8, 1, 30)
    # 01:30 EST + 60 real minutes is 03:30 EDT on the wall clock
    assert s.end_at.astimezone(NY).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)


def test_a_wall_clock_that_does_not_exist_is_refused(store, cast):
    with pytest.raises(InvalidInput, match="02:30 on Sunday 8 March 2026 doesn't exist in America/New_York"):
        log(store, cast, datetime(2026, 3, 8, 2, 30, tzinfo=NY))
    with pytest.raises(InvalidInput, match="doesn't exist"):
        local(datetime(2026, 3, 8, 2, 30), "America/New_York")


def test_an_ambiguous_wall_clock_is_the_first_occurrence_unless_fold_says_otherwise(store, cast):
    first = log(store, cast, datetime(2026, 11, 1, 1, 30, tzinfo=NY))  # fold=0: EDT
    second = log(store, cast, datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY), client="john")  # EST
    assert first.start_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.start_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert first.start_local == second.start_local == datetime(2026, 11, 1, 1, 30)
    assert local(datetime(2026, 11, 1, 1, 30), "America/New_York").utcoffset() == timedelta(hours=-4)


def test_a_sixty_minute_session_from_one_on_november_first_lasts_sixty_real_minutes(store, cast):
    s = log(store, cast, datetime(2026, 11, 1, 1, 0, tzinfo=NY))
    assert s.duration_minutes == 60
    assert s.end_at - s.start_at == timedelta(minutes=60)
    end_local = s.end_at.astimezone(NY)
    assert (end_local.hour, end_local.minute, end_local.utcoffset()) == (1, 0, timedelta(hours=-5))
    # the second 01:00–02:00 (EST) is free for the same trainer: no overlap in real time
    other = log(store, cast, datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=NY), client="john")
    assert other.start_at == s.end_at


def test_bookings_on_change_days_fit_local_working_hours(store, clock):
    clock.set(datetime(2026, 3, 1, 12, tzinfo=UTC))
    cast = studio_with_people(store)
    give_package(store, cast["emma"], 5)
    set_hours(store, cast["sarah"], [(6, time(9), time(17))])  # Sundays 09:00–17:00 local
    sarah = actor(cast["sarah"])
    march = store.execute(
        sarah, BookSession(cast["sarah"].id, cast["emma"].id, datetime(2026, 3, 8, 9, tzinfo=NY))
    )
    assert march.start_local == datetime(2026, 3, 8, 9)
    november = store.execute(
        sarah, BookSession(cast["sarah"].id, cast["emma"].id, datetime(2026, 11, 1, 16, tzinfo=NY))
    )
    assert november.start_local == datetime(2026, 11, 1, 16)
    moved = store.execute(sarah, RescheduleSession(november.id, datetime(2026, 11, 1, 9, tzinfo=NY)))
    assert moved.start_at == datetime(2026, 11, 1, 14, tzinfo=UTC)
    with store.sessions() as db:
        from domain.model import Studio

        studio = db.get(Studio, cast["studio"].id)
        day = free_slots(
            db, studio, cast["sarah"].id, datetime(2026, 3, 8, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY)
        )
    local_starts = [s.replace(tzinfo=None) for s in day]
    assert local_starts[0] == datetime(2026, 3, 8, 10)  # 09:00 is taken
    assert local_starts[-1] == datetime(2026, 3, 8, 16)
    assert all(s.utcoffset() == timedelta(hours=-4) for s in day)
