"""The waitlist: joining it, who may, one audit entry, refusals that change nothing, undo."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from builders import actor, audit_entries, db_state, make_person, studio_with_people
from sqlalchemy import select

from domain.commands import Undo
from domain.errors import InvalidInput, NotAllowed
from domain.model import Role, WaitlistEntry, WaitlistStatus
from domain.waitlist import JoinWaitlist, waiting_for

NY = ZoneInfo(
    "America/New_York"
)  # the builders' default studio zone; the clock is Wed 11 Mar 2026 17:20 there


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def entries(store) -> list[WaitlistEntry]:
    with store.sessions() as db:
        return list(db.scalars(select(WaitlistEntry).order_by(WaitlistEntry.created_at)))


def test_a_client_joins_a_trainers_waitlist_with_one_audit_entry(store):
    cast = studio_with_people(store)
    emma, sarah = cast["emma"], cast["sarah"]
    before = len(audit_entries(store))
    entry = store.execute(actor(emma), JoinWaitlist(emma.id, sarah.id, start=ny(2026, 3, 13, 7)))
    rows = entries(store)
    assert [(r.client_id, r.trainer_id, r.status) for r in rows] == [(emma.id, sarah.id, "waiting")]
    assert rows[0].desired_start == ny(2026, 3, 13, 7)
    assert rows[0].created_by_id == emma.id
    new = audit_entries(store)[before:]
    assert [(e.action, e.entity_type, e.entity_id) for e in new] == [
        ("join_waitlist", "waitlist_entry", str(entry.id))
    ]


def test_joining_the_same_wish_twice_changes_nothing(store):
    cast = studio_with_people(store)
    emma, sarah = cast["emma"], cast["sarah"]
    cmd = JoinWaitlist(emma.id, sarah.id, period_start=ny(2026, 3, 16), period_end=ny(2026, 3, 23))
    first = store.execute(actor(emma), cmd)
    state, count = db_state(store), len(audit_entries(store))
    again = store.execute(actor(emma), cmd)
    assert again.id == first.id
    assert db_state(store) == state and len(audit_entries(store)) == count
    # a different wish is a second entry
    store.execute(actor(emma), JoinWaitlist(emma.id, sarah.id, start=ny(2026, 3, 18, 9)))
    assert len(entries(store)) == 2


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("manager", True), ("sarah", True), ("tom", False), ("emma", True), ("john", False)],
)
def test_who_may_put_emma_on_a_waitlist(store, who, allowed):
    cast = studio_with_people(store)
    cmd = JoinWaitlist(cast["emma"].id, cast["tom"].id)
    if allowed:
        store.execute(actor(cast[who]), cmd)
        assert len(entries(store)) == 1
    else:
        state = db_state(store)
        with pytest.raises(NotAllowed, match="^Sorry, you can't"):
            store.execute(actor(cast[who]), cmd)
        assert db_state(store) == state


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"start": ny(2026, 3, 10, 9)}, "already passed"),
        ({"period_start": ny(2026, 3, 1), "period_end": ny(2026, 3, 8)}, "already passed"),
        ({"period_start": ny(2026, 3, 20), "period_end": ny(2026, 3, 19)}, "after its beginning"),
        ({"period_start": ny(2026, 3, 20)}, "both a beginning and an end"),
    ],
)
def test_bad_wishes_are_refused_with_a_sentence_and_change_nothing(store, kwargs, words):
    cast = studio_with_people(store)
    state = db_state(store)
    with pytest.raises(InvalidInput, match=words):
        store.execute(actor(cast["emma"]), JoinWaitlist(cast["emma"].id, cast["sarah"].id, **kwargs))
    assert db_state(store) == state


def test_only_clients_wait_and_only_for_trainers(store):
    cast = studio_with_people(store)
    with pytest.raises(InvalidInput, match="isn't a trainer"):
        store.execute(actor(cast["manager"]), JoinWaitlist(cast["emma"].id, cast["john"].id))
    with pytest.raises(InvalidInput, match="isn't a client"):
        store.execute(actor(cast["manager"]), JoinWaitlist(cast["tom"].id, cast["sarah"].id))
    assert entries(store) == []


def test_undo_takes_the_client_off_the_waitlist(store):
    cast = studio_with_people(store)
    emma = cast["emma"]
    store.execute(actor(emma), JoinWaitlist(emma.id, cast["sarah"].id))
    result = store.execute(actor(emma), Undo())
    assert result.action == "join_waitlist"
    assert [r.status for r in entries(store)] == [WaitlistStatus.CANCELLED.value]


def test_a_freed_slot_finds_the_matching_waiters_first_come_first(store, clock):
    cast = studio_with_people(store)
    sarah, tom = cast["sarah"], cast["tom"]
    emma, john = cast["emma"], cast["john"]
    lena = make_person(store, cast["studio"], "lena", "Lena Ortiz", Role.CLIENT, primary_trainer=sarah)
    store.execute(actor(john), JoinWaitlist(john.id, sarah.id, start=ny(2026, 3, 13, 7)))
    clock.advance(minutes=1)
    store.execute(
        actor(emma), JoinWaitlist(emma.id, None, period_start=ny(2026, 3, 13), period_end=ny(2026, 3, 14))
    )
    clock.advance(minutes=1)
    store.execute(actor(lena), JoinWaitlist(lena.id, tom.id))  # another trainer: not served by Sarah's slot
    clock.advance(minutes=1)
    store.execute(actor(lena), JoinWaitlist(lena.id, sarah.id, start=ny(2026, 3, 13, 9)))  # another time

    found = store.run(
        actor(cast["manager"]),
        lambda uow: [e.client_id for e in waiting_for(uow, sarah.id, ny(2026, 3, 13, 7))],
    )
    assert found == [john.id, emma.id]
