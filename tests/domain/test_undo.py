"""Undo: the actor's last change is reversed by its inverse, itself audited; repeated undo goes further back."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from builders import actor, audit_entries, credits, give_package, studio_with_people
from scenarios import ny
from sqlalchemy import select

from domain.commands import (
    AddNote,
    AddPerson,
    AddTimeOff,
    BookSession,
    CancelSession,
    DisputeSession,
    IssueLinkCode,
    LinkIdentity,
    LogSession,
    RedeemLinkCode,
    RescheduleSession,
    ResolveDispute,
    SellPackage,
    SetWorkingHours,
    TagClient,
    UpdatePerson,
    ValidateSession,
)
from domain.commands import Undo as U
from domain.errors import Conflict, DoubleBooking, InvalidInput, NoCredit, NothingToUndo
from domain.model import ChatIdentity, Person, SessionNote, TimeOff, TrainingSession, WorkingHours


@pytest.fixture
def cast(store):
    c = studio_with_people(store)
    give_package(store, c["emma"], 5)
    give_package(store, c["john"], 5)
    return c


def row(store, model, key):
    with store.sessions() as db:
        return db.get(model, key)


def test_nothing_to_undo(store, cast):
    with pytest.raises(NothingToUndo, match="There is nothing of yours to undo."):
        store.execute(actor(cast["sarah"]), U())
    assert audit_entries(store) == []


def test_undo_a_booking_cancels_it_and_releases_the_credit(store, cast):
    s = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    assert credits(store, cast["emma"]) == 4
    result = store.execute(actor(cast["sarah"]), U())
    assert "undone booking Emma Wilson's session with Sarah Lee on Fri, Mar 13 at 3:00 PM" in result.summary
    undone = row(store, TrainingSession, s.id)
    assert (undone.status, undone.cancel_reason, undone.holds_credit) == ("cancelled", "undone", False)
    assert credits(store, cast["emma"]) == 5
    last = audit_entries(store)[-1]
    assert (last.action, last.undoes_id, last.entity_id) == ("undo", audit_entries(store)[0].id, str(s.id))
    with pytest.raises(NothingToUndo):
        store.execute(actor(cast["sarah"]), U())


def test_repeated_undo_goes_further_back(store, cast):
    sarah = actor(cast["sarah"])
    s = store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15)))
    store.execute(sarah, RescheduleSession(s.id, ny(2026, 3, 14, 10)))
    store.execute(sarah, CancelSession(s.id))  # in time: credit back
    assert credits(store, cast["emma"]) == 5
    assert store.execute(sarah, U()).action == "cancel_session"
    back = row(store, TrainingSession, s.id)
    assert (back.status, back.start_at) == ("scheduled", ny(2026, 3, 14, 10))
    assert credits(store, cast["emma"]) == 4
    assert store.execute(sarah, U()).action == "reschedule_session"
    back = row(store, TrainingSession, s.id)
    assert (back.start_at, back.start_local.hour) == (ny(2026, 3, 13, 15), 15)
    assert store.execute(sarah, U()).action == "book_session"
    assert row(store, TrainingSession, s.id).status == "cancelled"
    assert credits(store, cast["emma"]) == 5
    with pytest.raises(NothingToUndo):
        store.execute(sarah, U())
    assert [e.action for e in audit_entries(store)].count("undo") == 3


def test_undo_of_status_changes_restores_credit_state(store, cast):
    s = store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    store.execute(actor(cast["emma"]), ValidateSession(s.id))
    store.execute(actor(cast["emma"]), DisputeSession(s.id))
    store.execute(actor(cast["manager"]), ResolveDispute(s.id, upheld=True))
    assert credits(store, cast["emma"]) == 5
    store.execute(actor(cast["manager"]), U())
    assert row(store, TrainingSession, s.id).dispute_upheld is None
    assert credits(store, cast["emma"]) == 4
    store.execute(actor(cast["emma"]), U())  # the dispute
    assert row(store, TrainingSession, s.id).status == "validated"
    store.execute(actor(cast["emma"]), U())  # the validation
    restored = row(store, TrainingSession, s.id)
    assert (restored.status, restored.validated_at, restored.validated_by_id) == (
        "pending_validation",
        None,
        None,
    )


def test_undo_refuses_to_roll_back_over_someone_elses_change(store, cast):
    s = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    store.execute(actor(cast["emma"]), CancelSession(s.id))
    with pytest.raises(Conflict, match="Emma Wilson has changed that since"):
        store.execute(actor(cast["sarah"]), U())
    store.execute(actor(cast["emma"]), U())  # Emma takes her cancel back: now Sarah may undo
    store.execute(actor(cast["sarah"]), U())
    assert row(store, TrainingSession, s.id).cancel_reason == "undone"


def test_undo_that_would_double_book_is_refused(store, cast):
    sarah = actor(cast["sarah"])
    s = store.execute(sarah, BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15)))
    store.execute(sarah, CancelSession(s.id))
    store.execute(actor(cast["manager"]), BookSession(cast["sarah"].id, cast["john"].id, ny(2026, 3, 13, 15)))
    with pytest.raises(
        DoubleBooking, match="can't undo that: Sarah Lee now has a session 3:00 PM–4:00 PM with John"
    ):
        store.execute(sarah, U())


def test_undo_a_sale_removes_its_credits(store, cast):
    store.execute(actor(cast["manager"]), SellPackage(cast["will"].id, 8, Decimal("60")))
    assert credits(store, cast["will"]) == 8
    result = store.execute(actor(cast["manager"]), U())
    assert result.summary == "I've undone the sale of 8 sessions to Will Turner."
    assert credits(store, cast["will"]) == 0
    with pytest.raises(NoCredit, match="Will Turner has no session credits left"):
        store.execute(actor(cast["tom"]), BookSession(cast["tom"].id, cast["will"].id, ny(2026, 3, 20, 10)))


def test_undo_people_changes(store, cast):
    mia = actor(cast["manager"])
    p = store.execute(mia, AddPerson("grace", "Grace Hopper", ("client",), email="grace@example.com"))
    store.execute(mia, UpdatePerson(p.id, full_name="Grace B. Hopper", email=None))
    store.execute(mia, TagClient(p.id, "VIP"))
    assert row(store, Person, p.id).tags == ["vip"]
    store.execute(mia, U())
    assert row(store, Person, p.id).tags == []
    store.execute(mia, U())
    restored = row(store, Person, p.id)
    assert (restored.full_name, restored.email) == ("Grace Hopper", "grace@example.com")
    store.execute(mia, U())
    assert row(store, Person, p.id).active is False


def test_undo_identity_code_hours_time_off_and_note(store, cast):
    sarah = actor(cast["sarah"])
    ident = store.execute(sarah, LinkIdentity(cast["sarah"].id, "telegram", "sarah-tg"))
    store.execute(sarah, SetWorkingHours(cast["sarah"].id, [(0, time(9), time(12))]))
    store.execute(sarah, SetWorkingHours(cast["sarah"].id, [(1, time(10), time(18))]))
    off = store.execute(sarah, AddTimeOff(cast["sarah"].id, ny(2026, 4, 1), ny(2026, 4, 3)))
    s = store.execute(sarah, LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 9)))
    note = store.execute(sarah, AddNote(s.id, "hello"))
    code = store.execute(sarah, IssueLinkCode(cast["emma"].id))

    store.execute(sarah, U())
    with pytest.raises(InvalidInput, match="That code isn't valid"):
        store.execute(actor(cast["admin"]), RedeemLinkCode(code, "telegram", "emma-tg"))
    store.execute(sarah, U())
    assert row(store, SessionNote, note.id) is None
    store.execute(sarah, U())  # the log
    store.execute(sarah, U())
    assert row(store, TimeOff, off.id) is None
    store.execute(sarah, U())
    with store.sessions() as db:
        hours = [(h.weekday, h.start_time) for h in db.scalars(select(WorkingHours))]
    assert hours == [(0, time(9))]
    store.execute(sarah, U())
    store.execute(sarah, U())
    assert row(store, ChatIdentity, ident.id) is None
    with store.sessions() as db:
        assert list(db.scalars(select(WorkingHours))) == []
