"""The authorization matrix, tested for every role and every command.

Roles: admin, manager, a trainer on their own session/client ("trainer"), a
trainer on someone else's ("other_trainer"), the client themselves
("client"), another client ("other_client"). The expectations below are
written out by hand from the README's matrix, not derived from
domain.authz.MATRIX, so a change to the matrix must change this table too.
A refusal must raise NotAllowed and change nothing at all (no audit entry,
no row).
"""

from __future__ import annotations

import pytest
from builders import actor, audit_entries, db_state, system
from scenarios import COMMANDS, prepared

from domain.commands import Undo, action_name
from domain.errors import NotAllowed, NothingToUndo

ROLES = ("admin", "manager", "trainer", "other_trainer", "client", "other_client")
WHO = {
    "admin": "admin",
    "manager": "manager",
    "trainer": "sarah",
    "other_trainer": "tom",
    "client": "emma",
    "other_client": "john",
}

Y, N = True, False
# columns: admin, manager, trainer, other_trainer, client, other_client
EXPECTED = {
    "add_person": (Y, Y, Y, Y, N, N),  # trainers add clients of their own
    "add_person_staff": (Y, Y, N, N, N, N),
    "update_person": (Y, Y, Y, N, Y, N),
    "link_identity": (Y, Y, N, N, Y, N),
    "issue_link_code": (Y, Y, Y, N, N, N),
    "set_working_hours": (Y, Y, Y, N, N, N),
    "add_time_off": (Y, Y, Y, N, N, N),
    "tag_client": (Y, Y, Y, N, N, N),
    "sell_package": (Y, Y, N, N, N, N),
    "log_session": (Y, Y, Y, N, N, N),
    "book_session": (Y, Y, Y, N, Y, N),
    "cancel_session": (Y, Y, Y, N, Y, N),
    "reschedule_session": (Y, Y, Y, N, Y, N),
    "mark_no_show": (Y, Y, Y, N, N, N),
    "validate_session": (Y, Y, N, N, Y, N),
    "dispute_session": (Y, Y, N, N, Y, N),
    "resolve_dispute": (Y, Y, N, N, N, N),
    "add_note": (Y, Y, Y, N, N, N),
    "join_waitlist": (Y, Y, Y, N, Y, N),
}


def test_the_table_covers_every_command_and_the_matrix_every_action():
    from domain.authz import MATRIX

    assert set(EXPECTED) == set(COMMANDS)
    commanded = {name.replace("_staff", "") for name in COMMANDS}
    reading = {a for a in MATRIX if a.startswith("view_")}
    commission = {a for a in MATRIX if "commission" in a}  # the commissions area tests its own actions
    # every other write action in the matrix is exercised here
    assert set(MATRIX) - reading - commission == commanded


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_role_on_every_command(store, command):
    for role, allowed in zip(ROLES, EXPECTED[command], strict=True):
        world = prepared(store)
        cmd = COMMANDS[command](world)
        who = actor(world[WHO[role]])
        before_state, before_audit = db_state(store), len(audit_entries(store))
        if allowed:
            store.execute(who, cmd)
            entries = audit_entries(store)[before_audit:]
            assert [e.action for e in entries] == [action_name(cmd)], (role, command)
        else:
            with pytest.raises(NotAllowed) as refused:
                store.execute(who, cmd)
            assert str(refused.value).startswith("Sorry, you can"), (role, command)
            assert db_state(store) == before_state, (role, command)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_undo_its_own_change_and_only_its_own(store, role):
    world = prepared(store)
    who = actor(world[WHO[role]])
    with pytest.raises(NothingToUndo, match="There is nothing of yours to undo."):
        store.execute(who, Undo())  # the setup was done by the system actor, not by them
    own = {
        "admin": "sell_package",
        "manager": "sell_package",
        "trainer": "add_note",
        "other_trainer": "add_person",
        "client": "validate_session",
        "other_client": None,
    }[role]
    if own is None:
        return
    from scenarios import COMMANDS as C

    store.execute(who, C[own](world))
    state = db_state(store)
    result = store.execute(who, Undo())
    assert result.action == own
    assert db_state(store) != state
    # the system actor's setup is not theirs to undo
    with pytest.raises(NothingToUndo):
        store.execute(who, Undo())
    assert len([e for e in audit_entries(store) if e.action == "undo"]) == 1
    store.execute(system(world["studio"]), Undo())  # the operator undoes its own last change (the dispute)
