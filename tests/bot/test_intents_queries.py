"""The reading and managing intents through the engine, as a channel would use them.

query_sessions, query_stats, commission_status, approve_commissions, export,
package_balance, check_availability, join_waitlist, add_client, tag_client:
each answered for the roles that may ask, and refused politely (error=True,
nothing changed) for one that may not. Every test runs on SQLite and
PostgreSQL (the `store` fixture).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from engine_helpers import TZ, World
from sqlalchemy import func, select

from domain.actor import Actor
from domain.commands import BookSession, LogSession, ValidateSession
from domain.model import CommissionStatement, Person, WaitlistEntry


@pytest.fixture
def world(store, clock) -> World:
    w = World.build(store, clock)
    w.at("2026-03-11T17:20")
    return w


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def history(world: World, trainer: str, client: str, when: str, validated: bool = True):  # noqa: ANN201
    """A session that took place, through the ordinary commands (as the studio's operator)."""
    op = Actor.system(world.studio_id, "test")
    session = world.store.execute(op, LogSession(world.people[trainer], world.people[client], local(when)))
    if validated:
        world.store.execute(op, ValidateSession(session.id))
    return session


def count_rows(world: World, model) -> int:  # noqa: ANN001
    with world.store.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


# --- query_sessions ---------------------------------------------------------------------------


def test_sessions_are_listed_in_short_lines_for_who_may_see_them(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-09T10:00")
    history(world, "sarah", "john.s", "2026-03-11T15:00", validated=False)
    history(world, "mike", "john.d", "2026-03-10T12:00")

    reply = world.say("sarah", "show my sessions this week")
    assert not reply.error
    assert reply.text.splitlines() == [
        "2 sessions this week:",
        "Mon, Mar 9 10:00 AM — Emma Wilson with Sarah Lee (validated)",
        "Wed, Mar 11 3:00 PM — John Smith with Sarah Lee (pending validation)",
    ]
    # a client sees their own only; a manager the studio
    assert "John" not in world.say("emma", "my sessions this week").text
    assert "3 sessions this week" in world.say("dana", "sessions this week").text


def test_a_listing_says_when_there_is_none_and_caps_long_ones(world: World) -> None:
    assert world.say("dana", "sessions last week").text == "No sessions last week."
    for day in range(1, 13):
        history(world, "sarah", "emma", f"2026-02-{day:02d}T09:00")
    reply = world.say("dana", "sessions in february")
    assert reply.text.startswith("12 sessions last month:")
    assert reply.text.splitlines()[-1] == "…and 2 more."


def test_completed_sessions_filter_and_follow_up(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    history(world, "sarah", "emma", "2026-02-16T10:00")
    reply = world.say("dana", "completed sessions for Emma this month")
    assert "1 completed session for Emma Wilson this month" in reply.text
    again = world.say("dana", "and last month?")
    assert "Mon, Feb 16 10:00 AM — Emma Wilson with Sarah Lee" in again.text


def test_a_client_cannot_list_another_clients_sessions(world: World) -> None:
    history(world, "sarah", "john.s", "2026-03-09T10:00")
    reply = world.say("emma", "show John Smith's sessions this week")
    assert reply.error
    assert "Mar 9" not in reply.text


# --- query_stats ------------------------------------------------------------------------------


def test_a_single_figure_is_one_line_and_a_grouping_a_ranked_list(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    history(world, "sarah", "john.s", "2026-03-03T10:00", validated=False)
    history(world, "mike", "john.d", "2026-03-04T12:00")
    history(world, "mike", "john.d", "2026-03-05T12:00")
    assert world.say("dana", "validation rate this month").text == "Validation rate this month: 75%"
    reply = world.say("dana", "top 2 trainers by revenue this month")
    assert (
        reply.text.splitlines()
        == [
            "Top 2 trainers by revenue this month:",
            "1. Mike Chen — $160.00",
            "2. Sarah Lee — $160.00",
        ]
        or reply.text.splitlines()[0] == "Top 2 trainers by revenue this month:"
    )
    assert "$160.00" in reply.text
    # no period: this month; and a follow-up changes only the period
    assert world.say("dana", "how many sessions").text == "Sessions this month: 4"
    assert world.say("dana", "and last month?").text == "Sessions last month: 0"


def test_a_trainer_sees_only_their_own_figures(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    history(world, "mike", "john.d", "2026-03-04T12:00")
    assert world.say("sarah", "how many sessions this month").text == "Sessions this month: 1"
    refused = world.say("sarah", "how many sessions did Mike do this month")
    assert refused.error and refused.text.startswith("Sorry")
    client = world.say("emma", "validation rate this month")
    assert client.error


# --- commission_status ------------------------------------------------------------------------


def test_a_trainer_gets_their_commission_and_is_refused_another_trainers(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    history(world, "sarah", "emma", "2026-03-03T10:00")
    history(world, "mike", "john.d", "2026-03-04T12:00")
    reply = world.say("sarah", "what's my commission this month")
    assert reply.text == "Your commission for March 2026: $64.00 (2 validated sessions, so far)."
    refused = world.say("sarah", "what's Mike's commission this month")
    assert refused.error and "Sorry" in refused.text and "$" not in refused.text
    manager = world.say("dana", "what's Mike's commission this month")
    assert manager.text.startswith("Mike Chen's commission for March 2026: $32.00")
    other = world.say("dana", "what about Sarah?")
    assert other.text.startswith("Sarah Lee's commission for March 2026: $64.00")


def test_commission_projection_and_comparison_with_last_month(world: World) -> None:
    history(world, "sarah", "emma", "2026-02-10T10:00")
    history(world, "sarah", "emma", "2026-03-02T10:00")
    reply = world.say("sarah", "am I on pace to beat last month")
    lines = reply.text.splitlines()
    assert lines[0].startswith("Your commission for March 2026: $32.00")
    assert lines[1].startswith("On pace for $")
    assert "February 2026 ($32.00)" in lines[2]


# --- approve_commissions ----------------------------------------------------------------------


def test_approving_commissions_is_confirmed_first_then_done(world: World) -> None:
    history(world, "sarah", "emma", "2026-02-10T10:00")
    history(world, "mike", "john.d", "2026-02-11T12:00")
    question = world.say("dana", "approve commissions for february")
    assert question.text == "Approve February 2026 commissions for 2 trainers, total $64.00?"
    assert [o.label for o in question.options] == ["Yes", "No"]
    assert count_rows(world, CommissionStatement) == 0
    done = world.press("dana", "Yes")
    assert done.text == "Approved February 2026 commissions for 2 trainers, total $64.00."
    assert count_rows(world, CommissionStatement) == 2
    assert {n["to"] for n in world.notifications() if n["kind"] == "commission_approved"} == {"sarah", "mike"}
    again = world.say("dana", "approve commissions for february")
    assert again.error and "already approved" in again.text


def test_approval_refusals_come_before_any_question(world: World) -> None:
    current = world.say("dana", "approve commissions for march")
    assert current.error and "hasn't ended" in current.text and not current.options
    trainer = world.say("sarah", "approve commissions for february")
    assert trainer.error and trainer.text.startswith("Sorry")
    no = world.say("dana", "approve commissions for february")
    assert no.options
    world.press("dana", "No")
    assert count_rows(world, CommissionStatement) == 0


# --- export -----------------------------------------------------------------------------------


def test_a_manager_exports_sessions_and_tagged_clients_as_csv(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    history(world, "mike", "john.d", "2026-02-04T12:00")
    reply = world.say("dana", "export sessions for march")
    assert not reply.error
    (file,) = reply.attachments
    assert (file.kind, file.mime, file.filename) == ("csv", "text/csv", "sessions-2026-03.csv")
    rows = list(csv.DictReader(io.StringIO(file.content.decode())))
    assert [(r["date"], r["start"], r["trainer"], r["client"], r["status"]) for r in rows] == [
        ("2026-03-02", "10:00", "Sarah Lee", "Emma Wilson", "validated")
    ]
    world.say("sarah", "tag Emma as vip")
    clients = world.say("dana", "export vip clients")
    rows = list(csv.DictReader(io.StringIO(clients.attachments[0].content.decode())))
    assert [(r["name"], r["tags"], r["credits"]) for r in rows] == [("Emma Wilson", "vip", "9")]


def test_a_trainer_may_not_export(world: World) -> None:
    reply = world.say("sarah", "export sessions for march")
    assert reply.error and reply.attachments == () and reply.text.startswith("Sorry")


# --- package_balance --------------------------------------------------------------------------


def test_package_balance_for_the_client_their_trainer_and_not_another_trainer(world: World) -> None:
    history(world, "sarah", "emma", "2026-03-02T10:00")
    assert world.say("emma", "how many sessions do I have left").text == "You have 9 sessions left."
    assert (
        world.say("sarah", "how many sessions does Emma have left").text == "Emma Wilson has 9 sessions left."
    )
    refused = world.say("mike", "how many sessions does Emma have left")
    assert refused.error and "9" not in refused.text


# --- check_availability -----------------------------------------------------------------------


def test_free_times_are_offered_and_pressing_one_books_it(world: World) -> None:
    world.store.execute(
        Actor.system(world.studio_id, "test"),
        BookSession(world.people["sarah"], world.people["john.s"], local("2026-03-12T06:00")),
    )
    reply = world.say("emma", "when is Sarah free tomorrow")
    assert reply.text.startswith("Sarah Lee is free tomorrow (Thu, Mar 12): 7:00 AM, 8:00 AM")
    assert len(reply.options) == 5
    assert "Thu, Mar 12 at 6:00 AM" not in [o.label for o in reply.options]
    booked = world.press("emma", "7:00 AM")
    assert not booked.error
    assert ("sarah", "emma", datetime(2026, 3, 12, 7, 0), "scheduled") in [
        (s["trainer"], s["client"], s["start"], s["status"]) for s in world.sessions()
    ]
    # the answer is remembered: "what about Mike?" asks the same of Mike
    other = world.say("emma", "when is Sarah free on friday")
    assert other.text.startswith("Sarah Lee is free on Fri, Mar 13:")
    assert world.say("emma", "what about Mike?").text.startswith("Mike Chen is free on Fri, Mar 13:")


def test_a_busy_time_answers_with_the_nearest_free_ones_and_a_past_time_is_refused(world: World) -> None:
    world.store.execute(
        Actor.system(world.studio_id, "test"),
        BookSession(world.people["sarah"], world.people["john.s"], local("2026-03-12T09:00")),
    )
    reply = world.say("emma", "is Sarah free tomorrow at 9am")
    assert reply.text.startswith("Sarah Lee is not free Thu, Mar 12 at 9:00 AM.")
    labels = [o.label for o in reply.options]
    assert "Thu, Mar 12 at 8:00 AM" in labels and "Thu, Mar 12 at 10:00 AM" in labels
    before = world.sessions()
    past = world.say("emma", "was Sarah free yesterday at 9am")
    assert world.sessions() == before
    assert past.error or "free" in past.text


# --- join_waitlist ----------------------------------------------------------------------------


def test_a_client_joins_the_waitlist_and_the_trainer_is_told(world: World) -> None:
    reply = world.say("emma", "put me on the waitlist for Sarah on friday")
    assert reply.text.startswith("You're on Sarah Lee's waitlist on Fri, Mar 13.")
    assert count_rows(world, WaitlistEntry) == 1
    assert [n["text"] for n in world.notifications("sarah")] == [
        "Emma Wilson joined your waitlist on Fri, Mar 13."
    ]
    again = world.say("emma", "put me on the waitlist for Sarah on friday")
    assert "already" in again.text and count_rows(world, WaitlistEntry) == 1


def test_another_trainer_cannot_put_sarahs_client_on_a_waitlist(world: World) -> None:
    reply = world.say("mike", "put Emma on the waitlist for friday")
    assert reply.error and reply.text.startswith("Sorry")
    assert count_rows(world, WaitlistEntry) == 0
    manager = world.say("dana", "put John Smith on the waitlist for Sarah on friday")
    assert manager.text.startswith("John Smith is on Sarah Lee's waitlist on Fri, Mar 13.")
    assert count_rows(world, WaitlistEntry) == 1


# --- add_client / tag_client ------------------------------------------------------------------


def test_a_trainer_adds_their_own_client_with_a_unique_handle(world: World) -> None:
    reply = world.say("sarah", "add client Jane Doe jane@example.com")
    assert reply.text.startswith("Added Jane Doe as a client with you as their trainer (@jane.doe")
    second = world.say("mike", "add client Jane Doe")
    assert second.options  # someone already has that name: confirm first
    world.press("mike", "Yes")
    with world.store.sessions() as db:
        janes = db.scalars(select(Person).where(Person.full_name == "Jane Doe").order_by(Person.handle)).all()
        assert [(p.handle, p.primary_trainer_id) for p in janes] == [
            ("jane.doe", world.people["sarah"]),
            ("jane.doe2", world.people["mike"]),
        ]


def test_a_client_may_not_add_or_tag_clients(world: World) -> None:
    added = world.say("emma", "add client Jane Doe")
    assert added.error and added.text.startswith("Sorry")
    tagged = world.say("emma", "tag John Smith as vip")
    assert tagged.error
    with world.store.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Person).where(Person.full_name == "Jane Doe")) == 0


def test_tagging_twice_says_so(world: World) -> None:
    assert world.say("sarah", "tag Emma as vip").text == "Tagged Emma Wilson “vip”."
    assert world.say("sarah", "tag Emma as vip").text == "Emma Wilson is already tagged “vip”."
    assert world.person("emma").tags == ["vip"]


def test_export_cells_that_a_spreadsheet_would_run_are_neutralised(world: World) -> None:
    from domain.commands import AddPerson, TagClient

    op = Actor.system(world.studio_id, "test")
    evil = world.store.execute(op, AddPerson("evil", "=HYPERLINK(1)", email="evil@example.com"))
    world.store.execute(op, TagClient(evil.id, "vip"))
    reply = world.say("dana", "export vip clients")
    rows = list(csv.DictReader(io.StringIO(reply.attachments[0].content.decode())))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize(
    ("period", "said"),
    [
        (("2026-03-11", "2026-03-12"), "today"),
        (("2026-03-10", "2026-03-11"), "yesterday"),
        (("2026-03-13", "2026-03-14"), "on Fri, Mar 13"),
        (("2026-03-09", "2026-03-16"), "this week"),
        (("2026-03-02", "2026-03-09"), "last week"),
        (("2026-03-01", "2026-04-01"), "this month"),
        (("2026-02-01", "2026-03-01"), "last month"),
        (("2025-10-01", "2025-11-01"), "in October 2025"),
        (("2025-01-01", "2026-01-01"), "last year"),
        (("2026-03-02", "2026-03-12"), "from Mon, Mar 2 to Wed, Mar 11"),
    ],
)
def test_periods_are_said_back_the_way_people_say_them(period: tuple[str, str], said: str) -> None:
    from bot.intents._periods import words

    now = local("2026-03-11T17:20")
    assert words((local(period[0]), local(period[1])), now) == said
