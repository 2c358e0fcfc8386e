"""Parser fixes found by the fourth challenge set (names that are month names, notes said
without a separator, abbreviations, manager phrasings). NOW = Wed 2026-04-08 10:00."""

from __future__ import annotations

from nlu_support import intent, parse, slots

ROSTER = {
    "trainers": ["Will Turner", "Grace Holt", "Mark Ortiz"],
    "clients": ["April Young", "Chase Ward", "Ivy Chen", "Robin Hart", "Jake Moreno", "Jake Fischer"],
}


def test_a_person_named_like_a_month_is_no_time() -> None:
    s = slots("book april for friday at 4pm", roster=ROSTER)
    assert s == {"client": "april", "start": "2026-04-10T16:00"}
    s = slots("Log a session with April Young yesterday at 5pm.", roster=ROSTER)
    assert s == {"client": "April Young", "start": "2026-04-07T17:00"}
    s = slots("Mark April as a no-show for this morning.", roster=ROSTER)
    assert s == {"client": "April", "period": {"from": "2026-04-08T05:00", "to": "2026-04-08T12:00"}}


def test_a_capitalised_month_is_not_a_name() -> None:
    f = parse("Approve May commissions.", "manager")
    assert f["intent"] == "approve_commissions"
    assert f["slots"] == {"period": {"from": "2025-05-01T00:00", "to": "2025-06-01T00:00"}}


def test_full_name_possessive_without_apostrophe() -> None:
    assert slots("how many sessions are left on chase wards package", roster=ROSTER) == {
        "client": "chase ward"
    }


def test_note_without_separator_and_after_a_dash() -> None:
    s = slots("add a note to robin's session this morning knee is much better", roster=ROSTER)
    assert s["note"] == "knee is much better" and s["client"] == "robin"
    assert s["period"] == {"from": "2026-04-08T05:00", "to": "2026-04-08T12:00"}
    assert slots("add note ivy - wants to focus on glutes", roster=ROSTER) == {
        "client": "ivy",
        "note": "wants to focus on glutes",
    }
    assert "note" not in slots("add a note to Ivy's session", roster=ROSTER)


def test_new_client_name_without_cue_and_non_name_words() -> None:
    assert slots("new client pls - omar haddad omar.h@gmail.com")["name"] == "omar haddad"
    assert (
        slots("Create a client profile for Bianca Ruiz, phone 555-010-7788.", "manager")["name"]
        == "Bianca Ruiz"
    )


def test_vocabulary_words_are_not_names() -> None:
    s = slots("Rank trainers by cancellations last week.", "manager")
    assert "trainer" not in s and s["metric"] == "cancellations" and s["group_by"] == "trainer"
    s = slots("top 3 trainers by rev this yr", "manager")
    assert s["metric"] == "revenue" and s["limit"] == 3 and "trainer" not in s
    assert s["period"] == {"from": "2026-01-01T00:00", "to": "2027-01-01T00:00"}


def test_real_words_are_not_typos() -> None:
    assert intent("how's the weather looking this weekend", "client") == "out_of_scope"


def test_manager_phrasings() -> None:
    f = parse("How did each trainer do on validations last month?", "manager")
    assert f["intent"] == "query_stats"
    assert (f["slots"]["metric"], f["slots"]["group_by"]) == ("validation_rate", "trainer")
    f = parse("are we on track vs last month", "manager")
    assert f == {"intent": "commission_status", "slots": {"projection": True, "compare_previous": True}}
    assert parse("# of sessions w april this month?", roster=ROSTER)["intent"] == "query_stats"
    assert parse("Mark's commish for oct", "manager", roster=ROSTER)["intent"] == "commission_status"
    assert slots("what are the busiest days of the week", "manager")["group_by"] == "weekday"


def test_listing_versus_acting() -> None:
    f = parse("disputed sessions for mark this wk", "manager", roster=ROSTER)
    assert f["intent"] == "query_sessions" and f["slots"]["status"] == "disputed"
    f = parse("completed sessions w/ Jake Moreno in feb", "manager", roster=ROSTER)
    assert f["intent"] == "query_sessions" and f["slots"]["client"] == "Jake Moreno"
    assert intent("Yes, my 5pm session with Grace on Monday did happen.", "client") == "validate_session"
    assert (
        intent("could i get a ninety minute session with will on friday at ten a m", "client")
        == "book_session"
    )
