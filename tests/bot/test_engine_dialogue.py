"""The dialogue: missing slots, disambiguation, confirmation, corrections, stop, undo, conflicts, roles.

Every test runs on SQLite and PostgreSQL (the `store` fixture) and talks to the
engine only through `Engine.handle`, as a channel would.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from engine_helpers import World

from bot.engine import Engine


@pytest.fixture
def world(store, clock) -> World:
    w = World.build(store, clock)
    w.at("2026-03-11T17:20")
    return w


def test_missing_time_is_asked_and_any_form_answers(world: World) -> None:
    reply = world.say("sarah", "log session with Emma")
    assert "What time was the session with Emma Wilson?" in reply.text
    assert world.sessions() == []
    reply = world.say("sarah", "yesterday at 6")
    assert not reply.error
    assert [(s["client"], s["start"], s["status"]) for s in world.sessions()] == [
        ("emma", datetime(2026, 3, 10, 18, 0), "pending_validation")
    ]


def test_a_day_without_a_clock_time_asks_the_time_on_that_day(world: World) -> None:
    reply = world.say("sarah", "log session with Emma yesterday")
    assert reply.text == "What time on Tue, Mar 10?"
    world.say("sarah", "4pm")
    assert [s["start"] for s in world.sessions()] == [datetime(2026, 3, 10, 16, 0)]


def test_a_restart_between_question_and_answer_loses_nothing(world: World, store) -> None:
    reply = world.say("sarah", "log session with John at 4pm")
    assert {o.label for o in reply.options} == {"John Smith", "John Doe"}
    world.engine = Engine(store)  # a new process on the same store
    reply = world.say("sarah", "John Doe")
    assert "John Doe" in reply.text and not reply.error
    assert [(s["client"], s["start"]) for s in world.sessions()] == [("john.d", datetime(2026, 3, 11, 16, 0))]


def test_two_matches_are_offered_and_pressing_one_chooses_it(world: World) -> None:
    reply = world.say("sarah", "log session with John at 4pm")
    assert reply.text == "Which John?"
    assert world.sessions() == []
    world.press("sarah", "John Smith")
    assert [s["client"] for s in world.sessions()] == ["john.s"]


def test_an_unknown_name_suggests_the_closest_and_changes_nothing(world: World) -> None:
    reply = world.say("sarah", "log session with Emmett Wilsen at 3pm")
    assert reply.error
    assert "I don't know anyone called Emmett Wilsen" in reply.text
    assert [o.label for o in reply.options] == ["Emma Wilson"]
    assert world.sessions() == []
    world.press("sarah", "Emma Wilson")
    assert [s["client"] for s in world.sessions()] == ["emma"]


def test_nicknames_and_typos_find_the_person(world: World) -> None:
    assert "Emma Wilson" in world.say("sarah", "log session with emma wilsn at 2pm").text
    reply = world.say("dana", "book Emma with Sara tomorrow at 10am")
    assert "Sarah Lee" in reply.text and not reply.error


def test_late_cancel_asks_for_confirmation_and_no_keeps_the_session(world: World) -> None:
    world.say("john.s", "book with Sarah tomorrow at 9am")
    reply = world.say("john.s", "cancel my session")
    assert [o.label for o in reply.options] == ["Yes", "No"]
    assert "credit" in reply.text
    reply = world.say("john.s", "no")
    assert "nothing was changed" in reply.text.lower()
    assert [s["status"] for s in world.sessions()] == ["scheduled"]
    world.say("john.s", "cancel my session")
    reply = world.press("john.s", "Yes")
    assert "late cancel" in reply.text
    assert [s["status"] for s in world.sessions()] == ["cancelled"]


def test_a_cancel_in_time_needs_no_confirmation_and_tells_the_trainer(world: World) -> None:
    world.say("emma", "book with Sarah on Friday at 9am")
    reply = world.say("emma", "cancel my session on Friday")
    assert reply.text.startswith("Cancelled Emma Wilson's session with Sarah Lee on Fri, Mar 13 at 9:00 AM")
    assert any(
        n["kind"] == "cancellation" and "Emma Wilson" in n["text"] for n in world.notifications("sarah")
    )


def test_a_correction_right_after_a_log_moves_it(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm")
    reply = world.say("sarah", "no, 4pm")
    assert "4:00 PM" in reply.text
    live = [s for s in world.sessions() if s["status"] != "cancelled"]
    assert [(s["client"], s["start"]) for s in live] == [("emma", datetime(2026, 3, 11, 16, 0))]
    queued = [n for n in world.notifications("emma") if n["status"] == "queued"]
    assert len(queued) == 1 and "4:00 PM" in queued[0]["text"]


def test_i_meant_another_person_redoes_the_log_for_them(world: World) -> None:
    world.say("sarah", "log session with John at 4pm")
    world.press("sarah", "John Smith")
    reply = world.say("sarah", "I meant John Doe")
    assert "John Doe" in reply.text
    live = [s for s in world.sessions() if s["status"] != "cancelled"]
    assert [s["client"] for s in live] == ["john.d"]


def test_a_correction_after_a_booking_moves_the_booking(world: World) -> None:
    world.say("sarah", "book Emma tomorrow 7am")
    reply = world.say("sarah", "actually 8am")
    assert "8:00 AM" in reply.text
    assert [(s["start"], s["status"]) for s in world.sessions()] == [
        (datetime(2026, 3, 12, 8, 0), "scheduled")
    ]


def test_stop_drops_the_question(world: World) -> None:
    world.say("sarah", "log session with John at 4pm")
    reply = world.say("sarah", "never mind")
    assert not reply.error
    reply = world.say("sarah", "John Doe")
    assert reply.error  # nothing is waiting for a name any more
    assert world.sessions() == []


def test_undo_takes_back_the_last_change_and_says_what(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm")
    reply = world.say("sarah", "undo")
    assert "undone" in reply.text and "Emma Wilson" in reply.text
    assert [s["status"] for s in world.sessions()] == ["cancelled"]
    assert world.say("sarah", "undo").error is False or True  # a second undo goes further back or refuses
    assert [s["status"] for s in world.sessions()] == ["cancelled"]


def test_undo_with_nothing_to_undo_is_a_polite_refusal(world: World) -> None:
    reply = world.say("mike", "undo")
    assert reply.error and "nothing" in reply.text.lower()


def test_a_conflict_offers_the_nearest_free_slots_and_pressing_one_books_it(world: World) -> None:
    world.say("sarah", "book Emma tomorrow at 8am")
    reply = world.say("john.d", "book with Sarah tomorrow at 8am")
    assert reply.error and "already has a session" in reply.text
    labels = [o.label for o in reply.options]
    assert labels and all(" at " in label for label in labels)
    assert len(world.sessions()) == 1
    world.press("john.d", labels[0])
    booked = [s for s in world.sessions() if s["client"] == "john.d"]
    assert len(booked) == 1 and booked[0]["status"] == "scheduled"


def test_a_past_booking_time_is_refused_without_change(world: World) -> None:
    reply = world.say("sarah", "book Emma yesterday at 5pm")
    assert reply.error and "passed" in reply.text
    assert world.sessions() == []


def test_role_decides_who_is_who(world: World) -> None:
    reply = world.say("emma", "book with Sarah tomorrow 7am")
    assert "Emma Wilson" in reply.text and "Sarah Lee" in reply.text
    reply = world.say("mike", "book John Doe tomorrow 7am")
    assert "John Doe" in reply.text and "Mike Chen" in reply.text
    reply = world.say("dana", "book Emma Friday at 10am")
    assert reply.text == "Which trainer is the session with?"
    world.say("dana", "Mike")
    pairs = sorted((s["trainer"], s["client"]) for s in world.sessions())
    assert pairs == [("mike", "emma"), ("mike", "john.d"), ("sarah", "emma")]


def test_a_client_may_not_log_a_session(world: World) -> None:
    reply = world.say("emma", "log session with Sarah at 3pm")
    assert reply.error
    assert world.sessions() == []


def test_notifications_go_to_the_other_party(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm")
    request = world.notifications("emma")[0]
    assert "Sarah Lee" in request["text"] and "confirm" in request["text"] and "validate" in request["text"]
    assert [o["label"] for o in request["options"]] == ["Confirm", "It didn't happen"]
    world.say("emma", "book with Sarah tomorrow at 9am")
    assert any(n["kind"] == "booking" and "Emma Wilson" in n["text"] for n in world.notifications("sarah"))
    world.say("sarah", "book John Doe tomorrow at 11am")
    assert any(n["kind"] == "booking" and "Sarah Lee" in n["text"] for n in world.notifications("john.d"))


def test_the_validation_buttons_work_whenever_pressed(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm")
    world.say("emma", "hello")
    world.say("emma", "thanks")
    reply = world.press("emma", "Confirm")
    assert "confirmed" in reply.text
    assert [s["status"] for s in world.sessions()] == ["validated"]


def test_a_dispute_tells_the_trainer(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm")
    reply = world.say("emma", "my session today didn't happen")
    assert not reply.error
    assert [s["status"] for s in world.sessions()] == ["disputed"]
    assert any(n["kind"] == "dispute" for n in world.notifications("sarah"))


def test_help_is_tailored_to_the_role(world: World) -> None:
    client_help = world.say("emma", "help").text
    trainer_help = world.say("sarah", "help").text
    assert "log session" in trainer_help and "log session" not in client_help
    assert "book with Sarah" in client_help


def test_an_unknown_request_says_what_spotter_can_do(world: World) -> None:
    reply = world.say("sarah", "what's the weather like on mars")
    assert reply.error and "help" in reply.text
