"""Listing sessions: filters, the `completed` filter, order, and who sees what."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from builders import actor, system
from queries_data import MARCH, ROWS, load

from domain.errors import InvalidInput
from domain.queries.sessions import SessionView, list_sessions


def listed(store, who, **kw):
    return store.run(who, lambda uow: list_sessions(uow, **kw))


@pytest.fixture
def cast(store):
    return load(store)


def test_manager_sees_every_session_ordered_by_start(store, cast):
    got = listed(store, system(cast["studio"]))
    assert len(got) == len(ROWS)
    assert [s.start for s in got] == sorted(s.start for s in got)
    assert all(isinstance(s, SessionView) and s.start.tzinfo is not None for s in got)
    assert {s.start.utcoffset() for s in got} <= {
        ZoneInfo("America/New_York").utcoffset(r.local) for r in ROWS
    }


def test_period_is_half_open_and_in_the_studio_zone(store, cast):
    got = listed(store, system(cast["studio"]), start=MARCH[0], end=MARCH[1])
    expected = [r for r in ROWS if MARCH[0] <= r.local.date() < MARCH[1]]
    assert len(got) == len(expected)
    # 31 March 23:30 New York is inside March although it is 1 April in UTC
    assert any(s.start.day == 31 and s.start.hour == 23 for s in got)
    exact = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("America/New_York"))
    at_nine = listed(
        store, system(cast["studio"]), start=exact, end=datetime(2026, 3, 2, 10, tzinfo=exact.tzinfo)
    )
    assert {s.client_name for s in at_nine} == {"Emma Wilson", "Will Turner"}


def test_completed_means_pending_or_validated(store, cast):
    got = listed(store, system(cast["studio"]), status="completed")
    assert {s.status for s in got} == {"pending_validation", "validated"}
    assert len(got) == sum(r.status in ("pending_validation", "validated") for r in ROWS)
    both = listed(store, system(cast["studio"]), status=["no_show", "cancelled"])
    assert len(both) == sum(r.status in ("no_show", "cancelled") for r in ROWS)


def test_filters_by_trainer_client_type_and_substitute(store, cast):
    boss = system(cast["studio"])
    toms = listed(store, boss, trainer_id=cast["tom"].id)
    assert {s.trainer_name for s in toms} == {"Tom Baker"}
    assert len(toms) == sum(r.trainer == "tom" for r in ROWS)
    emmas = listed(store, boss, client_id=cast["emma"].id)
    assert len(emmas) == sum(r.client == "emma" for r in ROWS)
    typed = listed(store, boss, session_type="nutrition")
    assert [s.session_type for s in typed] == ["nutrition"]
    covered = listed(store, boss, substitute=True)
    assert len(covered) == 1 and covered[0].substitute_for_name == "Sarah Lee"
    assert covered[0].trainer_name == "Tom Baker"
    assert len(listed(store, boss, substitute=False)) == len(ROWS) - 1
    assert listed(store, boss, limit=3, descending=True)[0].start == max(s.start for s in listed(store, boss))


def test_a_client_sees_only_their_own_sessions(store, cast):
    got = listed(store, actor(cast["emma"]))
    assert got and {s.client_name for s in got} == {"Emma Wilson"}
    assert len(got) == sum(r.client == "emma" for r in ROWS)
    # asking for someone else's sessions gives nothing, not their sessions
    assert listed(store, actor(cast["emma"]), client_id=cast["will"].id) == []


def test_a_trainer_sees_what_they_deliver_or_what_was_covered_for_them(store, cast):
    got = listed(store, actor(cast["sarah"]))
    expected = [r for r in ROWS if "sarah" in (r.trainer, r.substitute_for)]
    assert len(got) == len(expected)
    assert any(s.trainer_name == "Tom Baker" for s in got)  # covered for her
    toms = listed(store, actor(cast["tom"]))
    assert len(toms) == sum(r.trainer == "tom" for r in ROWS)


def test_unknown_status_is_a_sentence(store, cast):
    with pytest.raises(InvalidInput, match="status"):
        listed(store, system(cast["studio"]), status="finished")
    with pytest.raises(InvalidInput, match="type"):
        listed(store, system(cast["studio"]), session_type="yoga")


def test_dates_are_midnight_in_the_studio_zone(store, cast):
    one_day = listed(store, system(cast["studio"]), start=date(2026, 3, 31), end=date(2026, 4, 1))
    assert [(s.start.hour, s.start.minute) for s in one_day] == [(23, 30)]
