"""Each slot family in the contract's normal form (times resolved from NOW = Wed 2026-04-08 10:00)."""

from __future__ import annotations

from nlu_support import parse, slots


def test_start_past_and_future_direction() -> None:
    assert slots("log a session with Omar at 3pm")["start"] == "2026-04-07T15:00"  # past-looking
    assert slots("book Omar at 3pm")["start"] == "2026-04-08T15:00"  # future-looking


def test_period_and_point_never_both_for_one_mention() -> None:
    s = slots("cancel my 7am with Priya on Friday", "client")
    assert s == {"trainer": "Priya", "start": "2026-04-10T07:00"}


def test_reschedule_old_and_new_time() -> None:
    s = slots("move Olga from Friday 7am to Saturday 9am")
    assert (s["start"], s["new_start"]) == ("2026-04-10T07:00", "2026-04-11T09:00")
    s = slots("reschedule my thursday session to friday at 8am", "client")
    assert s["period"] == {"from": "2026-04-09T00:00", "to": "2026-04-10T00:00"}
    assert s["new_start"] == "2026-04-10T08:00"


def test_duration_and_session_type() -> None:
    s = slots("Log a 45 minute online session with Derek yesterday")
    assert s["duration_minutes"] == 45 and s["session_type"] == "online"
    assert slots("book a partner workout with Omar next week")["session_type"] == "partner"
    assert "session_type" not in slots("book a session with Omar next week")


def test_status_and_substitute() -> None:
    assert (
        slots("which sessions are still waiting for validation", "manager")["status"] == "pending_validation"
    )
    assert slots("show disputed sessions", "manager")["status"] == "disputed"
    assert slots("sessions covered by a sub this week", "manager")["substitute"] is True


def test_metric_group_by_limit() -> None:
    s = slots("top three clients by sessions last month", "manager")
    assert (s["metric"], s["group_by"], s["limit"]) == ("sessions", "client", 3)
    s = slots("show revenue by week", "manager")
    assert (s["metric"], s["group_by"]) == ("revenue", "week")
    assert slots("what's our validation rate", "manager")["metric"] == "validation_rate"
    assert slots("how many cancellations last month", "manager")["metric"] == "cancellations"


def test_projection_and_compare_previous_take_no_period() -> None:
    s = slots("am I on pace to earn more than last month")
    assert s == {"projection": True, "compare_previous": True}
    s = slots("commission this month vs last month")
    assert s["compare_previous"] is True
    assert s["period"] == {"from": "2026-04-01T00:00", "to": "2026-05-01T00:00"}


def test_export_entity_tag_status() -> None:
    assert slots("export all VIP clients to csv", "manager") == {"entity": "clients", "tag": "vip"}
    s = slots("export Priya's completed sessions for March", "manager")
    assert (s["entity"], s["status"], s["trainer"]) == ("sessions", "completed", "Priya")


def test_tag_client() -> None:
    assert slots("Tag Keisha as VIP") == {"client": "Keisha", "tag": "vip"}
    assert slots("add the Beginner tag to Omar")["tag"] == "beginner"


def test_note_is_cut_out_of_the_other_slots() -> None:
    s = slots("Add a note to Omar's session: talk to Derek about next Friday.")
    assert s == {"client": "Omar", "note": "talk to Derek about next Friday"}
    s = slots("Log a session with Omar at 2pm, note: great energy")
    assert s["note"] == "great energy" and s["start"] == "2026-04-07T14:00"


def test_add_client_name_email_phone() -> None:
    s = slots("Add a new client named Lena Fischer, lena.f@example.com, (212) 555-0188")
    assert s == {"name": "Lena Fischer", "email": "lena.f@example.com", "phone": "(212) 555-0188"}


def test_small_talk_has_no_slots() -> None:
    assert parse("thanks Omar")["slots"] == {}
