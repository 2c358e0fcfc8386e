"""People commands: add, update, chat identities, one-time link codes, hours, time off, tags."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from builders import actor, audit_entries, db_state, studio_with_people, system
from scenarios import ny
from sqlalchemy import select

from domain.commands import (
    AddPerson,
    AddTimeOff,
    IssueLinkCode,
    LinkIdentity,
    RedeemLinkCode,
    SetWorkingHours,
    TagClient,
    UpdatePerson,
)
from domain.errors import Conflict, InvalidInput, NotAllowed
from domain.handlers.people import CODE_ALPHABET, code_hash
from domain.model import ChatIdentity, LinkCode, Person, Role, WorkingHours


@pytest.fixture
def cast(store):
    return studio_with_people(store)


def test_add_person(store, cast):
    p = store.execute(
        actor(cast["manager"]),
        AddPerson(
            "@Grace",
            "  Grace   Hopper ",
            (Role.CLIENT,),
            email="Grace@Example.com",
            primary_trainer_id=cast["sarah"].id,
        ),
    )
    assert (p.handle, p.full_name, p.email, p.roles) == (
        "grace",
        "Grace Hopper",
        "grace@example.com",
        {Role.CLIENT},
    )
    assert p.primary_trainer_id == cast["sarah"].id and p.active
    entry = audit_entries(store)[-1]
    assert entry.after["roles"] == ["client"] and entry.before is None


def test_a_trainer_adds_their_own_client(store, cast):
    p = store.execute(actor(cast["sarah"]), AddPerson("mark", "Mark Twain", ("client",)))
    assert p.primary_trainer_id == cast["sarah"].id
    with pytest.raises(NotAllowed, match="only add clients of your own"):
        store.execute(
            actor(cast["sarah"]),
            AddPerson("mark2", "Mark Two", ("client",), primary_trainer_id=cast["tom"].id),
        )


def test_only_an_admin_adds_an_admin(store, cast):
    with pytest.raises(NotAllowed, match="only an admin"):
        store.execute(actor(cast["manager"]), AddPerson("boss", "Big Boss", ("admin",)))
    assert store.execute(actor(cast["admin"]), AddPerson("boss", "Big Boss", ("admin",))).roles == {
        Role.ADMIN
    }


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"handle": "emma"}, Conflict, "Emma Wilson already goes by @emma"),
        ({"handle": "two words"}, InvalidInput, "one word"),
        ({"full_name": "   "}, InvalidInput, "needs a name"),
        ({"email": "not-an-email"}, InvalidInput, "doesn't look like an e-mail"),
        ({"roles": ("wizard",)}, InvalidInput, "Roles are"),
        ({"roles": ()}, InvalidInput, "at least one role"),
        ({"primary_trainer_id": "emma"}, InvalidInput, "isn't a trainer"),
    ],
)
def test_add_person_refusals(store, cast, kwargs, error, message):
    args = {"handle": "newbie", "full_name": "New Person", "roles": ("client",)} | kwargs
    if args.get("primary_trainer_id") == "emma":
        args["primary_trainer_id"] = cast["emma"].id
    state = db_state(store)
    with pytest.raises(error, match=message):
        store.execute(actor(cast["manager"]), AddPerson(**args))
    assert db_state(store) == state


def test_duplicate_email_is_refused(store, cast):
    store.execute(actor(cast["manager"]), UpdatePerson(cast["emma"].id, email="emma@example.com"))
    with pytest.raises(Conflict, match="Emma Wilson already uses emma@example.com"):
        store.execute(actor(cast["manager"]), AddPerson("x", "X Y", ("client",), email="EMMA@example.com"))


def test_update_changes_only_given_fields(store, cast):
    store.execute(actor(cast["manager"]), UpdatePerson(cast["emma"].id, phone="555", notes="left knee"))
    p = store.execute(actor(cast["emma"]), UpdatePerson(cast["emma"].id, full_name="Emma W. Wilson"))
    assert (p.full_name, p.phone, p.notes, p.primary_trainer_id) == (
        "Emma W. Wilson",
        "555",
        "left knee",
        cast["sarah"].id,
    )
    entry = audit_entries(store)[-1]
    assert (entry.before["full_name"], entry.after["full_name"]) == ("Emma Wilson", "Emma W. Wilson")
    p = store.execute(actor(cast["manager"]), UpdatePerson(cast["emma"].id, phone=None))
    assert p.phone is None


def test_update_field_limits_by_role(store, cast):
    with pytest.raises(NotAllowed, match="can't change primary trainer"):
        store.execute(actor(cast["emma"]), UpdatePerson(cast["emma"].id, primary_trainer_id=cast["tom"].id))
    with pytest.raises(NotAllowed, match="can't change active"):
        store.execute(actor(cast["sarah"]), UpdatePerson(cast["emma"].id, active=False))
    p = store.execute(actor(cast["sarah"]), UpdatePerson(cast["emma"].id, notes="prefers mornings"))
    assert p.notes == "prefers mornings"


def test_an_update_that_changes_nothing_writes_nothing(store, cast):
    store.execute(actor(cast["manager"]), UpdatePerson(cast["emma"].id, full_name="Emma Wilson"))
    assert audit_entries(store) == []


def test_link_identity(store, cast):
    ident = store.execute(actor(cast["emma"]), LinkIdentity(cast["emma"].id, "Telegram", " 42 "))
    assert (ident.channel, ident.external_id, ident.person_id) == ("telegram", "42", cast["emma"].id)
    again = store.execute(actor(cast["emma"]), LinkIdentity(cast["emma"].id, "telegram", "42"))
    assert again.id == ident.id and len(audit_entries(store)) == 1
    with pytest.raises(Conflict, match="already linked to someone else"):
        store.execute(actor(cast["manager"]), LinkIdentity(cast["john"].id, "telegram", "42"))


def test_link_code_issue_and_redeem(store, cast, clock):
    code = store.execute(actor(cast["sarah"]), IssueLinkCode(cast["emma"].id))
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    with store.sessions() as db:
        stored = db.scalars(select(LinkCode)).one()
    assert stored.code_hash == code_hash(code) != code
    assert stored.expires_at == store.clock() + timedelta(days=7)
    # the engine runs onboarding as the studio's system actor; the code decides who it is
    person = store.execute(
        system(cast["studio"], "telegram"),
        RedeemLinkCode(code.lower()[:4] + "-" + code[4:], "telegram", "777"),
    )
    assert person.id == cast["emma"].id
    with store.sessions() as db:
        assert db.scalars(select(ChatIdentity)).one().person_id == cast["emma"].id
    with pytest.raises(InvalidInput, match="That code isn't valid"):  # used once
        store.execute(system(cast["studio"]), RedeemLinkCode(code, "telegram", "778"))


def test_link_codes_expire_and_unknown_codes_fail_alike(store, cast, clock):
    code = store.execute(actor(cast["manager"]), IssueLinkCode(cast["john"].id))
    clock.advance(days=7, seconds=1)
    state = db_state(store)
    for attempt in (code, "ABCDEFGH"):
        with pytest.raises(InvalidInput, match="That code isn't valid"):
            store.execute(system(cast["studio"]), RedeemLinkCode(attempt, "telegram", "1"))
    assert db_state(store) == state


def test_codes_are_unpredictable(store, cast):
    codes = {store.execute(actor(cast["manager"]), IssueLinkCode(cast["john"].id)) for _ in range(20)}
    assert len(codes) == 20


def test_working_hours(store, cast):
    rows = store.execute(
        actor(cast["sarah"]),
        SetWorkingHours(cast["sarah"].id, [(0, time(9), time(12)), (0, time(13), time(18))]),
    )
    assert len(rows) == 2
    for bad, message in [
        ([(7, time(9), time(12))], "0 \\(Monday\\) to 6"),
        ([(1, time(12), time(9))], "end after they start"),
        ([(1, time(9), time(12)), (1, time(11), time(13))], "overlap"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            store.execute(actor(cast["sarah"]), SetWorkingHours(cast["sarah"].id, bad))
    with pytest.raises(InvalidInput, match="isn't a trainer"):
        store.execute(actor(cast["manager"]), SetWorkingHours(cast["emma"].id, []))
    store.execute(actor(cast["manager"]), SetWorkingHours(cast["sarah"].id, []))
    with store.sessions() as db:
        assert list(db.scalars(select(WorkingHours))) == []


def test_time_off(store, cast):
    off = store.execute(
        actor(cast["sarah"]), AddTimeOff(cast["sarah"].id, ny(2026, 4, 1), ny(2026, 4, 8), "holiday")
    )
    assert off.reason == "holiday" and off.end_at - off.start_at == timedelta(days=7)
    with pytest.raises(InvalidInput, match="end after it starts"):
        store.execute(actor(cast["sarah"]), AddTimeOff(cast["sarah"].id, ny(2026, 4, 8), ny(2026, 4, 1)))


def test_tags_are_lower_case_and_once(store, cast):
    p = store.execute(actor(cast["sarah"]), TagClient(cast["emma"].id, " #Knee  Rehab "))
    assert p.tags == ["knee rehab"]
    store.execute(actor(cast["sarah"]), TagClient(cast["emma"].id, "KNEE REHAB"))
    assert len(audit_entries(store)) == 1
    with pytest.raises(InvalidInput, match="isn't a client"):
        store.execute(actor(cast["manager"]), TagClient(cast["tom"].id, "x"))
    with store.sessions() as db:
        assert db.get(Person, cast["emma"].id).tags == ["knee rehab"]
