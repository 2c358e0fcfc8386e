"""One ready studio and one example of every command, for the table-driven authz and audit tests.

`prepared(store)` builds a studio (cast from builders.studio_with_people) where
Sarah trains Emma: Emma has a package, a booked session (Fri 13 Mar 15:00), a
logged one waiting for confirmation (Tue 10 Mar 09:00) and a disputed one
(Mon 9 Mar 09:00). `COMMANDS[name](world)` is that command aimed at Sarah/Emma.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from builders import give_package, studio_with_people, system

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
    MarkNoShow,
    RescheduleSession,
    ResolveDispute,
    SellPackage,
    SetWorkingHours,
    TagClient,
    UpdatePerson,
    ValidateSession,
)
from domain.model import Role
from domain.store import Store
from domain.waitlist import JoinWaitlist

NY = ZoneInfo("America/New_York")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def prepared(store: Store) -> dict[str, Any]:
    world = studio_with_people(store)
    give_package(store, world["emma"], 10, "80")
    give_package(store, world["john"], 10, "80")
    op = system(world["studio"])
    s, e = world["sarah"].id, world["emma"].id
    world["booked"] = store.execute(op, BookSession(s, e, ny(2026, 3, 13, 15))).id
    world["pending"] = store.execute(op, LogSession(s, e, ny(2026, 3, 10, 9))).id
    world["disputed"] = store.execute(op, LogSession(s, e, ny(2026, 3, 9, 9))).id
    store.execute(op, DisputeSession(world["disputed"]))
    return world


COMMANDS: dict[str, Any] = {
    "add_person": lambda w: AddPerson("newbie", "New Client", (Role.CLIENT,)),
    "add_person_staff": lambda w: AddPerson("coach", "New Coach", (Role.TRAINER,)),
    "update_person": lambda w: UpdatePerson(w["emma"].id, phone="+1 555 0100"),
    "link_identity": lambda w: LinkIdentity(w["emma"].id, "telegram", f"tg-{w['emma'].id}"),
    "issue_link_code": lambda w: IssueLinkCode(w["emma"].id),
    "set_working_hours": lambda w: SetWorkingHours(w["sarah"].id, [(0, time(9), time(17))]),
    "add_time_off": lambda w: AddTimeOff(w["sarah"].id, ny(2026, 4, 1), ny(2026, 4, 2), "holiday"),
    "tag_client": lambda w: TagClient(w["emma"].id, "Knee"),
    "sell_package": lambda w: SellPackage(w["emma"].id, 5, Decimal("70")),
    "log_session": lambda w: LogSession(w["sarah"].id, w["emma"].id, ny(2026, 3, 9, 14)),
    "book_session": lambda w: BookSession(w["sarah"].id, w["emma"].id, ny(2026, 3, 16, 10)),
    "cancel_session": lambda w: CancelSession(w["booked"], "busy"),
    "reschedule_session": lambda w: RescheduleSession(w["booked"], ny(2026, 3, 17, 11)),
    "mark_no_show": lambda w: MarkNoShow(w["pending"]),
    "validate_session": lambda w: ValidateSession(w["pending"]),
    "dispute_session": lambda w: DisputeSession(w["pending"], "wrong day"),
    "resolve_dispute": lambda w: ResolveDispute(w["disputed"], upheld=True),
    "add_note": lambda w: AddNote(w["pending"], "good squat depth"),
    "join_waitlist": lambda w: JoinWaitlist(w["emma"].id, w["sarah"].id, ny(2026, 3, 18, 7)),
}

# What each command's audit entry names.
ENTITY = {
    "add_person": "person",
    "add_person_staff": "person",
    "update_person": "person",
    "link_identity": "chat_identity",
    "issue_link_code": "link_code",
    "set_working_hours": "working_hours",
    "add_time_off": "time_off",
    "tag_client": "client_tag",
    "sell_package": "package",
    "add_note": "session_note",
    "join_waitlist": "waitlist_entry",
}
