"""Free slots: working hours minus sessions minus time off, across the spring daylight-saving change."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from builders import actor, set_hours, studio_with_people, system

from domain.errors import NotFound
from domain.model import TimeOff
from domain.queries.slots import free_slots
from domain.seed.rows import session_row

NY = ZoneInfo("America/New_York")


@pytest.fixture
def cast(store):
    cast = studio_with_people(store, tz="America/New_York")
    # Saturday 7 March (EST, UTC-5), Sunday 8 March (clocks go forward at 02:00: EDT, UTC-4)
    set_hours(store, cast["sarah"], [(5, time(9), time(10)), (6, time(8), time(13))])
    with store.sessions() as db, db.begin():
        studio = cast["studio"]
        busy = session_row(
            studio.id,
            NY,
            cast["sarah"].id,
            cast["emma"].id,
            datetime(2026, 3, 8, 10, tzinfo=NY),
            status="scheduled",
        )
        cancelled = session_row(
            studio.id,
            NY,
            cast["sarah"].id,
            cast["john"].id,
            datetime(2026, 3, 8, 12, tzinfo=NY),
            status="cancelled",
        )
        other_trainer = session_row(
            studio.id,
            NY,
            cast["tom"].id,
            cast["will"].id,
            datetime(2026, 3, 8, 8, tzinfo=NY),
            status="scheduled",
        )
        db.add_all([busy, cancelled, other_trainer])
        db.add(
            TimeOff(
                trainer_id=cast["sarah"].id,
                start_at=datetime(2026, 3, 8, 11, tzinfo=NY),
                end_at=datetime(2026, 3, 8, 11, 30, tzinfo=NY),
            )
        )
    return cast


def slots(store, who, trainer, start=date(2026, 3, 7), end=date(2026, 3, 9), **kw):
    return store.run(who, lambda uow: free_slots(uow, trainer.id, start, end, **kw))


def test_working_hours_minus_sessions_minus_time_off_across_dst(store, cast):
    got = slots(store, system(cast["studio"]), cast["sarah"], duration_minutes=60)
    wall = [(s.date(), s.time()) for s in got]
    saturday, sunday = date(2026, 3, 7), date(2026, 3, 8)
    assert wall == [
        (saturday, time(9)),
        (sunday, time(8)),
        (sunday, time(8, 30)),
        (sunday, time(9)),
        # 09:30-11:00 overlaps the 10:00 session; 11:00 is time off
        (sunday, time(11, 30)),
        (sunday, time(12)),  # the 12:00 session is cancelled: the time is free
    ]
    offsets = {s.date(): s.utcoffset() for s in got}
    assert offsets == {saturday: timedelta(hours=-5), sunday: timedelta(hours=-4)}
    assert all(s.tzinfo is not None and str(s.tzinfo) == "America/New_York" for s in got)


def test_shorter_sessions_fit_in_more_gaps(store, cast):
    got = slots(store, system(cast["studio"]), cast["sarah"], start=date(2026, 3, 8), duration_minutes=30)
    assert time(9, 30) in [s.time() for s in got]
    assert time(11) not in [s.time() for s in got]


def test_anyone_in_the_studio_may_see_availability_but_not_of_a_non_trainer(store, cast):
    got = slots(store, actor(cast["emma"]), cast["sarah"], duration_minutes=60)
    assert len(got) == 6
    with pytest.raises(NotFound):
        slots(store, actor(cast["emma"]), cast["john"])
