"""Gaps the engine developers reported: booking verbs with past times, short answers,
staff waitlisting a client, the spring-forward night. NOW = Wed 2026-04-08 10:00 (New York)."""

from __future__ import annotations

from datetime import datetime

import pytest
from nlu_support import NY, ROSTER, parse

from nlu import load_parser

# --- a. the verb decides the intent, whatever the tense of the time --------------------------


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("book Keisha yesterday at 5", "trainer", "book_session"),
        ("schedule Omar for yesterday 3pm", "manager", "book_session"),
        ("book me with Priya yesterday at 5", "client", "book_session"),
        ("reserve a slot for Derek 2 days ago at 4", "trainer", "book_session"),
        ("cancel Keisha yesterday at 5", "trainer", "cancel_session"),
        ("cancel my session yesterday at 5", "client", "cancel_session"),
        ("reschedule Omar's session from yesterday at 5 to friday at 6", "trainer", "reschedule_session"),
        ("log a session with Keisha tomorrow at 5", "trainer", "log_session"),
        ("record Omar's session next friday at 9am", "trainer", "log_session"),
        # No booking verb: staff "putting in" a session that is over is logging it.
        ("put a session in for Keisha yesterday", "trainer", "log_session"),
    ],
)
def test_the_verb_keeps_its_intent_with_any_time(text: str, role: str, expected: str) -> None:
    assert parse(text, role)["intent"] == expected


def test_a_past_booking_keeps_the_past_time() -> None:
    assert parse("book Keisha yesterday at 5") == {
        "intent": "book_session",
        "slots": {"client": "Keisha", "start": "2026-04-07T17:00"},
    }


# --- b. short answers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("4pm", "trainer", {"start": "2026-04-08T16:00"}),
        ("tomorrow at 7", "trainer", {"start": "2026-04-09T07:00"}),
        ("friday", "client", {"period": {"from": "2026-04-10T00:00", "to": "2026-04-11T00:00"}}),
        ("how about 5?", "client", {"start": "2026-04-08T17:00"}),
        ("45 minutes", "trainer", {"duration_minutes": 45}),
        ("an hour and a half", "trainer", {"duration_minutes": 90}),
        ("the second one", "trainer", {"choice": 2}),
        ("option 3", "manager", {"choice": 3}),
        ("the last one", "client", {"choice": -1}),
        ("Keisha Brown", "trainer", {"client": "Keisha Brown"}),
        ("Priya", "client", {"trainer": "Priya"}),
        ("Marcus Webb", "manager", {"trainer": "Marcus Webb"}),  # the roster says trainer
        ("John Doe", "trainer", {"client": "John Doe"}),  # unknown to the roster: by the speaker
        ("Sarah Lee at 4", "client", {"trainer": "Sarah Lee", "start": "2026-04-08T16:00"}),
        ("online", "client", {"session_type": "online"}),
        ("jo@example.com", "trainer", {"email": "jo@example.com"}),
    ],
)
def test_a_short_answer_is_out_of_scope_with_its_slots(text: str, role: str, expected: dict) -> None:
    assert parse(text, role) == {"intent": "out_of_scope", "slots": expected}


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("yes", "affirm", {}),
        ("yesss", "affirm", {}),
        ("yep 👍", "affirm", {}),
        ("👍", "affirm", {}),
        ("noo", "deny", {}),
        ("no thx", "deny", {}),
        ("nah", "deny", {}),
        ("👎", "deny", {}),
        ("yes, 4pm", "affirm", {"start": "2026-04-08T16:00"}),
        ("no, tomorrow at 7", "deny", {"start": "2026-04-09T07:00"}),
        ("no, the first one", "deny", {"choice": 1}),
    ],
)
def test_yes_and_no_variants(text: str, intent: str, expected: dict) -> None:
    assert parse(text) == {"intent": intent, "slots": expected}


@pytest.mark.parametrize(
    "text",
    ["what's the weather tomorrow", "order a pizza at 7pm", "who won the game last night", "tell me a joke"],
)
def test_out_of_scope_requests_get_no_slots(text: str) -> None:
    assert parse(text) == {"intent": "out_of_scope", "slots": {}}


def test_an_answer_follows_the_expected_intent() -> None:
    parser = load_parser()
    now = datetime(2026, 4, 8, 10, 0, tzinfo=NY)
    past = parser.parse("4pm", now=now, role="trainer", roster=ROSTER, expecting="log_session")
    assert past.to_dict()["slots"] == {"start": "2026-04-07T16:00"}
    named = parser.parse("Priya Raman", now=now, role="manager", roster=ROSTER, expecting="add_client")
    assert named.to_dict()["slots"] == {"name": "Priya Raman"}
    who = parser.parse("Omar", now=now, role="client", roster=ROSTER, expecting="book_session")
    assert who.to_dict()["slots"] == {"client": "Omar"}  # the roster knows Omar as a client


# --- c. staff put a client on a waitlist --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("put Keisha on the waitlist for Priya", "manager", {"client": "Keisha", "trainer": "Priya"}),
        ("put Emma on the waitlist for Sarah", "trainer", {"client": "Emma", "trainer": "Sarah"}),
        ("add Omar to Marcus's waitlist", "manager", {"client": "Omar", "trainer": "Marcus"}),
        (
            "waitlist Derek for tomorrow at 6",
            "trainer",
            {"client": "Derek", "start": "2026-04-09T18:00"},
        ),
        ("put me on the waitlist for Dana", "client", {"trainer": "Dana"}),
    ],
)
def test_waitlist_client(text: str, role: str, expected: dict) -> None:
    assert parse(text, role) == {"intent": "join_waitlist", "slots": expected}


# --- d. the spring-forward night ----------------------------------------------------------


def test_a_skipped_wall_time_is_kept_as_said() -> None:
    now = datetime(2026, 3, 7, 20, 0, tzinfo=NY)
    frame = parse("book Keisha tomorrow at 2:30am", now=now)
    assert frame["slots"]["start"] == "2026-03-08T02:30"
    assert parse("book Keisha tomorrow at 3:30am", now=now)["slots"]["start"] == "2026-03-08T03:30"


# --- fixes found by the fifth challenge set -----------------------------------------------

C5_ROSTER = {
    "trainers": ["Hunter Blake", "Faith Moreno", "Destiny Park"],
    "clients": ["Bob Tanaka", "Amber Diaz", "Wade Foster", "Rose Whitaker"],
}


def test_a_name_after_called_is_never_corrected_to_a_keyword() -> None:
    f = parse("create a new client called marco diaz", roster=C5_ROSTER)
    assert f == {"intent": "add_client", "slots": {"name": "marco diaz"}}


def test_a_real_first_name_is_no_typo_of_a_roster_name() -> None:
    # "Jade" is one letter from "Wade" but is a name of its own.
    f = parse("add a client named Jade Obi", "manager", roster=C5_ROSTER)
    assert f == {"intent": "add_client", "slots": {"name": "Jade Obi"}}


def test_a_roster_first_name_with_an_unknown_surname() -> None:
    assert parse("book Amber Smith tomorrow at 9am", roster=C5_ROSTER)["slots"] == {
        "client": "Amber Smith",
        "start": "2026-04-09T09:00",
    }


def test_pencil_in_a_name_word() -> None:
    s = parse("pencil in bob for a 30 min nutrition chat friday 4pm", roster=C5_ROSTER)["slots"]
    assert s["client"] == "bob" and s["duration_minutes"] == 30 and s["start"] == "2026-04-10T16:00"


def test_spoken_hours_after_from_in_a_reschedule() -> None:
    s = parse("can we push my session with destiny from four to five thirty", "client", roster=C5_ROSTER)[
        "slots"
    ]
    assert s == {"trainer": "destiny", "start": "2026-04-08T16:00", "new_start": "2026-04-08T17:30"}


@pytest.mark.parametrize("text", ["just finished w/ amber, 1hr, online", "just wrapped up with rose"])
def test_just_finished_with_is_a_log(text: str) -> None:
    assert parse(text, roster=C5_ROSTER)["intent"] == "log_session"


@pytest.mark.parametrize("text", ["stop, leave it", "ok never mind", "no, forget it"])
def test_control_phrase_after_a_lead_word(text: str) -> None:
    assert parse(text)["intent"] == "stop"
