"""The audit trail: exactly one entry per change, none for a refusal, and the log cannot be edited."""

from __future__ import annotations

import pytest
from builders import actor, audit_entries, db_state, system
from scenarios import COMMANDS, ENTITY, prepared
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.commands import (
    CancelSession,
    LogSession,
    RedeemLinkCode,
    Undo,
    ValidateSession,
    action_name,
)
from domain.errors import SpotterError


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_writes_exactly_one_entry(store, command):
    world = prepared(store)
    cmd = COMMANDS[command](world)
    who = actor(world["manager"], channel="telegram")
    before = len(audit_entries(store))
    result = store.execute(who, cmd)
    new = audit_entries(store)[before:]
    assert len(new) == 1
    entry = new[0]
    assert entry.action == action_name(cmd)
    assert entry.entity_type == ENTITY.get(command, "session")
    assert entry.actor_id == world["manager"].id
    assert entry.channel == "telegram"
    assert entry.studio_id == world["studio"].id
    assert entry.after is not None
    if entry.entity_type == "session":
        assert entry.entity_id == str(result.id)
        assert entry.after["status"] == result.status
        creating = command in ("log_session", "book_session")
        assert (entry.before is None) == creating
        if not creating:
            assert entry.before != entry.after


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_same_command_refused_writes_nothing(store, command):
    """Run each command twice: where the second is refused (or changes nothing), no entry is written."""
    world = prepared(store)
    cmd = COMMANDS[command](world)
    store.execute(system(world["studio"]), cmd)
    state, count = db_state(store), len(audit_entries(store))
    try:
        store.execute(system(world["studio"]), cmd)
    except SpotterError:
        assert db_state(store) == state
        assert len(audit_entries(store)) == count
        return
    # allowed twice (e.g. another package, another code): one more entry, or none if nothing changed
    added = len(audit_entries(store)) - count
    assert added == (0 if db_state(store) == {**state, "audit_log": db_state(store)["audit_log"]} else 1)


def test_a_no_op_writes_nothing(store):
    world = prepared(store)
    op = system(world["studio"])
    for cmd in (
        COMMANDS["tag_client"](world),
        COMMANDS["link_identity"](world),
        COMMANDS["set_working_hours"](world),
    ):
        store.execute(op, cmd)
        count = len(audit_entries(store))
        store.execute(op, cmd)
        assert len(audit_entries(store)) == count, cmd


def test_undo_and_redeem_write_one_entry_each(store):
    from domain.commands import IssueLinkCode

    world = prepared(store)
    op = system(world["studio"])
    store.execute(op, CancelSession(world["booked"]))
    count = len(audit_entries(store))
    store.execute(op, Undo())
    entries = audit_entries(store)[count:]
    assert [(e.action, e.undoes_id is not None) for e in entries] == [("undo", True)]
    code = store.execute(op, IssueLinkCode(world["emma"].id))
    count = len(audit_entries(store))
    store.execute(op, RedeemLinkCode(code, "telegram", "tg-emma"))
    entries = audit_entries(store)[count:]
    assert [(e.action, e.actor_id, e.channel) for e in entries] == [
        ("redeem_link_code", world["emma"].id, "telegram")
    ]


def test_the_issued_code_is_not_in_the_audit_log(store):
    from domain.commands import IssueLinkCode

    world = prepared(store)
    code = store.execute(system(world["studio"]), IssueLinkCode(world["emma"].id))
    assert code not in str([(e.before, e.after) for e in audit_entries(store)])


def test_a_session_entry_records_who_and_through_which_channel(store):
    world = prepared(store)
    sarah = actor(world["sarah"], channel="whatsapp")
    from scenarios import ny

    s = store.execute(sarah, LogSession(world["sarah"].id, world["john"].id, ny(2026, 3, 11, 7)))
    assert (s.created_by_id, s.created_via) == (world["sarah"].id, "whatsapp")
    v = store.execute(actor(world["john"], channel="telegram"), ValidateSession(s.id))
    assert (v.updated_by_id, v.updated_via, v.validated_by_id) == (
        world["john"].id,
        "telegram",
        world["john"].id,
    )
    last = audit_entries(store)[-1]
    assert last.before["status"] == "pending_validation" and last.after["status"] == "validated"


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_edit_the_log(store, statement):
    world = prepared(store)
    count = len(audit_entries(store))
    assert count > 0
    with pytest.raises(DBAPIError, match="audit_log_is_append_only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert [e.action for e in audit_entries(store)][:1] == ["book_session"]
    assert len(audit_entries(store)) == count
    assert world
