"""Session commands: happy paths, refusals, the credit rules and pricing, on both databases.

The clock stands at Wed 2026-03-11 21:20 UTC (17:20 in New York, daylight time).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from builders import actor, audit_entries, credits, db_state, give_package, set_hours, studio_with_people
from sqlalchemy import select

from domain.commands import (
    AddNote,
    AddTimeOff,
    BookSession,
    CancelSession,
    DisputeSession,
    LogSession,
    MarkNoShow,
    RescheduleSession,
    ResolveDispute,
    ValidateSession,
)
from domain.errors import Conflict, DoubleBooking, InvalidInput, NoCredit, NotFound
from domain.model import LedgerEntry, SessionNote, TrainingSession

NY = ZoneInfo("America/New_York")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


@pytest.fixture
def cast(store):
    return studio_with_people(store)


def test_book_holds_a_credit_and_snapshots_the_package_price(store, cast):
    package = give_package(store, cast["emma"], 10, "75.00")
    session = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    assert session.status == "scheduled"
    assert session.price == Decimal("75.00")
    assert session.package_id == package.id
    assert session.holds_credit is True
    assert session.start_at == ny(2026, 3, 13, 15)
    assert session.start_local == datetime(2026, 3, 13, 15, 0)
    assert session.end_at - session.start_at == timedelta(minutes=60)
    assert session.slot_id == session.id
    assert session.created_via == "test"
    assert credits(store, cast["emma"]) == 9


def test_booking_the_past_is_refused(store, cast):
    give_package(store, cast["emma"])
    with pytest.raises(InvalidInput, match="already passed; log the session"):
        store.execute(
            actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 11, 9))
        )


def test_logging_the_future_is_refused(store, cast):
    with pytest.raises(InvalidInput, match="hasn't happened yet; book"):
        store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9)))


def test_naive_time_is_refused(store, cast):
    with pytest.raises(InvalidInput, match="time zone"):
        store.execute(
            actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, datetime(2026, 3, 10, 9))
        )


def test_booking_without_credit_is_refused_unless_allowed(store):
    cast = studio_with_people(store)
    with pytest.raises(NoCredit, match="Emma Wilson has no session credits left"):
        store.execute(
            actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
        )
    assert audit_entries(store) == []

    lenient = studio_with_people(store, allow_booking_without_credit=True, drop_in_price=Decimal("90"))
    session = store.execute(
        actor(lenient["sarah"]), BookSession(lenient["sarah"].id, lenient["emma"].id, ny(2026, 3, 13, 15))
    )
    assert session.package_id is None
    assert session.price == Decimal("90.00")


def test_logging_without_credit_is_a_drop_in(store, cast):
    session = store.execute(
        actor(cast["sarah"]),
        LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9), note="knee ok"),
    )
    assert session.status == "pending_validation"
    assert session.package_id is None
    assert session.price == Decimal("100.00")  # the studio's default drop-in price
    assert credits(store, cast["emma"]) == 0
    with store.sessions() as db:
        assert [n.text for n in db.scalars(select(SessionNote))] == ["knee ok"]
        assert list(db.scalars(select(LedgerEntry).where(LedgerEntry.session_id == session.id))) == []


def test_package_choice_expiring_first_then_oldest(store, cast):
    now = store.clock()
    old = give_package(store, cast["emma"], 5, "70", purchased_at=now - timedelta(days=60))
    newer = give_package(store, cast["emma"], 5, "60", purchased_at=now - timedelta(days=10))
    soon = give_package(
        store,
        cast["emma"],
        5,
        "65",
        purchased_at=now - timedelta(days=5),
        expires_at=now + timedelta(days=20),
    )
    expired = give_package(
        store,
        cast["emma"],
        5,
        "50",
        purchased_at=now - timedelta(days=90),
        expires_at=now - timedelta(days=3),
    )
    sarah = actor(cast["sarah"])
    first = store.execute(sarah, LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    assert first.package_id == soon.id and first.price == Decimal("65.00")
    # a session after `soon` expires draws on the oldest package without expiry
    later = store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 4, 6, 9)))
    assert later.package_id == old.id and later.price == Decimal("70.00")
    assert expired.id not in (first.package_id, later.package_id)
    assert newer.id not in (first.package_id, later.package_id)


def test_an_empty_package_is_skipped(store, cast):
    now = store.clock()
    one = give_package(store, cast["emma"], 1, "70", purchased_at=now - timedelta(days=60))
    two = give_package(store, cast["emma"], 3, "60", purchased_at=now - timedelta(days=10))
    sarah = actor(cast["sarah"])
    a = store.execute(sarah, LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 9, 9)))
    b = store.execute(sarah, LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    assert (a.package_id, b.package_id) == (one.id, two.id)
    assert credits(store, cast["emma"]) == 2


def test_cancel_in_time_gives_the_credit_back(store, cast):
    give_package(store, cast["emma"], 3)
    session = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    cancelled = store.execute(actor(cast["emma"]), CancelSession(session.id, "sick"))
    assert cancelled.status == "cancelled" and cancelled.late_cancel is False
    assert cancelled.holds_credit is False
    assert cancelled.cancel_reason == "sick"
    assert credits(store, cast["emma"]) == 3


def test_late_cancel_keeps_the_credit_by_default(store, cast):
    give_package(store, cast["emma"], 3)
    session = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    cancelled = store.execute(actor(cast["emma"]), CancelSession(session.id))
    assert cancelled.late_cancel is True and cancelled.holds_credit is True
    assert credits(store, cast["emma"]) == 2


def test_late_cancel_window_is_the_studio_policy(store):
    cast = studio_with_people(store, late_cancel_hours=12)
    give_package(store, cast["emma"], 3)
    # 15h 40m ahead: late under the default 24h, in time under 12h
    session = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    assert store.execute(actor(cast["emma"]), CancelSession(session.id)).late_cancel is False
    assert credits(store, cast["emma"]) == 3


def test_late_cancel_gives_the_credit_back_when_the_policy_says_so(store):
    cast = studio_with_people(store, late_cancel_uses_credit=False)
    give_package(store, cast["emma"], 3)
    session = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    cancelled = store.execute(actor(cast["emma"]), CancelSession(session.id))
    assert cancelled.late_cancel is True and cancelled.holds_credit is False
    assert credits(store, cast["emma"]) == 3


def test_no_show_keeps_the_credit_by_default(store, cast, clock):
    give_package(store, cast["emma"], 3)
    session = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    with pytest.raises(Conflict, match="hasn't started yet"):
        store.execute(actor(cast["sarah"]), MarkNoShow(session.id))
    clock.advance(hours=16)
    marked = store.execute(actor(cast["sarah"]), MarkNoShow(session.id))
    assert marked.status == "no_show" and marked.holds_credit is True
    assert credits(store, cast["emma"]) == 2


def test_no_show_gives_the_credit_back_when_the_policy_says_so(store, clock):
    cast = studio_with_people(store, no_show_uses_credit=False)
    give_package(store, cast["emma"], 3)
    session = store.execute(
        actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9))
    )
    assert credits(store, cast["emma"]) == 2
    store.execute(actor(cast["sarah"]), MarkNoShow(session.id))
    assert credits(store, cast["emma"]) == 3


def test_validate_dispute_and_resolve(store, cast):
    give_package(store, cast["emma"], 3)
    s = store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    v = store.execute(actor(cast["emma"]), ValidateSession(s.id))
    assert (
        v.status == "validated" and v.validated_by_id == cast["emma"].id and v.validated_at == store.clock()
    )
    with pytest.raises(Conflict, match="already confirmed, so it can't be confirmed"):
        store.execute(actor(cast["emma"]), ValidateSession(s.id))
    d = store.execute(actor(cast["emma"]), DisputeSession(s.id, "I was not there"))
    assert d.status == "disputed" and d.dispute_upheld is None and d.holds_credit is True
    assert credits(store, cast["emma"]) == 2
    upheld = store.execute(actor(cast["manager"]), ResolveDispute(s.id, upheld=True))
    assert upheld.status == "disputed" and upheld.dispute_upheld is True and upheld.holds_credit is False
    assert credits(store, cast["emma"]) == 3
    with pytest.raises(Conflict, match="already been resolved"):
        store.execute(actor(cast["manager"]), ResolveDispute(s.id, upheld=False))


def test_rejected_dispute_validates_and_keeps_the_credit(store, cast):
    give_package(store, cast["emma"], 3)
    s = store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    store.execute(actor(cast["emma"]), DisputeSession(s.id))
    rejected = store.execute(actor(cast["manager"]), ResolveDispute(s.id, upheld=False))
    assert rejected.status == "validated" and rejected.dispute_upheld is False
    assert credits(store, cast["emma"]) == 2
    with pytest.raises(Conflict, match="dispute was rejected"):
        store.execute(actor(cast["emma"]), DisputeSession(s.id))


@pytest.mark.parametrize(
    ("command", "from_status", "message"),
    [
        ("cancel", "pending_validation", "waiting for confirmation, so it can't be cancelled"),
        ("reschedule", "pending_validation", "can't be moved"),
        ("dispute", "scheduled", "booked, so it can't be disputed"),
        ("resolve", "pending_validation", "can't be resolved"),
    ],
)
def test_status_transitions_are_checked(store, cast, command, from_status, message):
    give_package(store, cast["emma"], 3)
    if from_status == "scheduled":
        s = store.execute(
            actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 9))
        )
    else:
        s = store.execute(
            actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9))
        )
    cmd = {
        "cancel": CancelSession(s.id),
        "reschedule": RescheduleSession(s.id, ny(2026, 3, 20, 9)),
        "dispute": DisputeSession(s.id),
        "resolve": ResolveDispute(s.id, True),
    }[command]
    state = db_state(store)
    with pytest.raises(Conflict, match=message):
        store.execute(actor(cast["admin"]), cmd)
    assert db_state(store) == state


def test_validating_a_booked_session_before_it_happened_is_refused(store, cast, clock):
    give_package(store, cast["emma"], 3)
    s = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    with pytest.raises(Conflict, match="hasn't happened yet"):
        store.execute(actor(cast["emma"]), ValidateSession(s.id))
    clock.advance(days=1)
    assert store.execute(actor(cast["emma"]), ValidateSession(s.id)).status == "validated"


def test_logging_a_booked_session_turns_the_booking_into_the_log(store, cast, clock):
    give_package(store, cast["emma"], 3)
    booked = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    clock.advance(days=1)
    logged = store.execute(
        actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 9))
    )
    assert logged.id == booked.id and logged.status == "pending_validation"
    assert credits(store, cast["emma"]) == 2


def test_double_booking_is_refused_with_a_sentence_and_alternatives(store, cast):
    give_package(store, cast["emma"], 3)
    give_package(store, cast["john"], 3)
    store.execute(actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15)))
    state = db_state(store)
    with pytest.raises(DoubleBooking) as refused:
        store.execute(
            actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 13, 15, 30))
        )
    assert "Sarah Lee already has a session 3:00 PM–4:00 PM with Emma Wilson" in str(refused.value)
    alternatives = refused.value.alternatives
    assert alternatives, "a refused booking offers the trainer's nearest free slots"
    assert all(a.tzinfo is not None for a in alternatives)
    for alt in alternatives:  # none of them overlaps the taken hour
        assert alt + timedelta(minutes=60) <= ny(2026, 3, 13, 15) or alt >= ny(2026, 3, 13, 16)
    assert ny(2026, 3, 13, 16) in alternatives
    assert db_state(store) == state
    # another trainer is free then; and Sarah is free right after
    store.execute(actor(cast["tom"]), BookSession(cast["tom"].id, cast["john"].id, ny(2026, 3, 13, 15, 30)))
    store.execute(actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 13, 16)))


def test_logging_over_another_session_is_a_double_booking(store, cast):
    store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    with pytest.raises(DoubleBooking, match="9:00 AM–10:00 AM with Emma Wilson"):
        store.execute(
            actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 10, 9, 45))
        )


def test_a_cancelled_session_frees_the_time(store, cast):
    give_package(store, cast["emma"], 3)
    give_package(store, cast["john"], 3)
    s = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    store.execute(actor(cast["sarah"]), CancelSession(s.id))
    again = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 13, 15))
    )
    assert again.status == "scheduled"


def test_group_sessions_share_a_slot(store, cast):
    for who in ("emma", "john"):
        give_package(store, cast[who], 3)
    first = store.execute(
        actor(cast["sarah"]),
        BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 18), session_type="group"),
    )
    second = store.execute(
        actor(cast["sarah"]),
        BookSession(
            cast["sarah"].id,
            cast["john"].id,
            ny(2026, 3, 13, 18),
            session_type="group",
            slot_id=first.slot_id,
        ),
    )
    assert second.slot_id == first.slot_id and second.session_type == "group"
    with pytest.raises(InvalidInput, match="another trainer or at another time"):
        store.execute(
            actor(cast["sarah"]),
            BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 13, 19), slot_id=first.slot_id),
        )


def test_working_hours_and_time_off_limit_bookings(store, cast):
    give_package(store, cast["emma"], 5)
    set_hours(store, cast["sarah"], [(4, time(9), time(17))])  # Fridays 09:00–17:00
    sarah = actor(cast["sarah"])
    with pytest.raises(Conflict, match="Sarah Lee doesn't work 5:00 PM–6:00 PM on Fri, Mar 13"):
        store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 17)))
    with pytest.raises(Conflict, match="doesn't work"):
        store.execute(
            sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 12, 10))
        )  # a Thursday
    store.execute(sarah, AddTimeOff(cast["sarah"].id, ny(2026, 3, 20, 0), ny(2026, 3, 21, 0), "dentist"))
    with pytest.raises(Conflict, match=r"Sarah Lee is off .*\(dentist\)"):
        store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 20, 10)))
    ok = store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 16)))
    assert ok.status == "scheduled"


def test_reschedule_moves_the_session_and_checks_like_a_booking(store, cast):
    give_package(store, cast["emma"], 3)
    give_package(store, cast["john"], 3)
    s = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    store.execute(actor(cast["john"]), BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 14, 10)))
    with pytest.raises(DoubleBooking, match="with John Smith"):
        store.execute(actor(cast["emma"]), RescheduleSession(s.id, ny(2026, 3, 14, 10, 30)))
    with pytest.raises(InvalidInput, match="already passed"):
        store.execute(actor(cast["emma"]), RescheduleSession(s.id, ny(2026, 3, 10, 10)))
    moved = store.execute(
        actor(cast["emma"]), RescheduleSession(s.id, ny(2026, 3, 14, 12), duration_minutes=45)
    )
    assert moved.start_at == ny(2026, 3, 14, 12)
    assert moved.start_local == datetime(2026, 3, 14, 12)
    assert moved.end_at == ny(2026, 3, 14, 12, 45) and moved.duration_minutes == 45
    assert credits(store, cast["emma"]) == 2


def test_reschedule_past_the_package_expiry_switches_package(store, cast):
    now = store.clock()
    short = give_package(store, cast["emma"], 2, "80", expires_at=now + timedelta(days=5))
    long = give_package(store, cast["emma"], 2, "90")
    s = store.execute(
        actor(cast["emma"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    assert s.package_id == short.id
    moved = store.execute(actor(cast["emma"]), RescheduleSession(s.id, ny(2026, 3, 20, 15)))
    assert moved.package_id == long.id and moved.price == Decimal("90.00")
    with store.sessions() as db:
        held = {
            p: sum(e.delta for e in db.scalars(select(LedgerEntry).where(LedgerEntry.package_id == p)))
            for p in (short.id, long.id)
        }
    assert held == {short.id: 2, long.id: 1}


def test_substitute_and_notes(store, cast):
    s = store.execute(
        actor(cast["tom"]),
        LogSession(cast["tom"].id, cast["emma"].id, ny(2026, 3, 10, 9), substitute_for_id=cast["sarah"].id),
    )
    assert s.substitute_for_id == cast["sarah"].id and s.trainer_id == cast["tom"].id
    note = store.execute(actor(cast["sarah"]), AddNote(s.id, "  covered by Tom  "))
    assert note.text == "covered by Tom"
    with pytest.raises(InvalidInput, match="empty"):
        store.execute(actor(cast["sarah"]), AddNote(s.id, "   "))
    with pytest.raises(InvalidInput, match="cover for themselves"):
        store.execute(
            actor(cast["tom"]),
            LogSession(cast["tom"].id, cast["john"].id, ny(2026, 3, 9, 9), substitute_for_id=cast["tom"].id),
        )


def test_unknown_things_are_refused(store, cast):
    import uuid

    with pytest.raises(NotFound, match="I can't find that session"):
        store.execute(actor(cast["admin"]), CancelSession(uuid.uuid4()))
    with pytest.raises(InvalidInput, match="isn't a trainer"):
        store.execute(actor(cast["admin"]), LogSession(cast["emma"].id, cast["john"].id, ny(2026, 3, 10, 9)))
    with pytest.raises(InvalidInput, match="isn't a kind of session"):
        store.execute(
            actor(cast["admin"]),
            LogSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 10, 9), session_type="yoga"),
        )
    with pytest.raises(InvalidInput, match="between 5 minutes"):
        store.execute(
            actor(cast["admin"]),
            LogSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 10, 9), duration_minutes=0),
        )


def test_another_studios_session_is_not_found(store, cast):
    other = studio_with_people(store)
    s = store.execute(
        actor(other["sarah"]), LogSession(other["sarah"].id, other["emma"].id, ny(2026, 3, 10, 9))
    )
    with pytest.raises(NotFound):
        store.execute(actor(cast["admin"]), ValidateSession(s.id))
    with store.sessions() as db:
        assert db.get(TrainingSession, s.id).status == "pending_validation"
