"""Person mentions: roster matches, context, possessives, typos, names that are words,
and the client / trainer part a mention plays."""

from __future__ import annotations

from nlu_support import intent, parse, slots


def test_roster_first_name_and_full_name() -> None:
    assert slots("log a session with Omar at 2pm")["client"] == "Omar"
    assert slots("log a session with Omar Haddad at 2pm")["client"] == "Omar Haddad"


def test_possessive_is_stripped() -> None:
    assert slots("cancel Derek's 4pm on Friday")["client"] == "Derek"
    assert slots("show me dereks sessions last week", "manager")["client"] == "derek"
    assert slots("can u move olgas 9am tmrw to 11am")["client"] == "olga"


def test_small_typo_in_a_roster_name_is_still_a_mention() -> None:
    assert slots("log a session with Keysha at 2pm")["client"] == "Keysha"


def test_speaker_words_give_no_slot() -> None:
    s = slots("book me with Priya tomorrow at 7am", "client")
    assert s["trainer"] == "Priya" and "client" not in s


def test_role_follows_speaker_without_roster() -> None:
    assert slots("book me with Anika tomorrow at 7am", "client", roster=None)["trainer"] == "Anika"
    assert slots("log a session with Anika at 2pm", "trainer", roster=None)["client"] == "Anika"


def test_manager_role_from_roster_and_context() -> None:
    s = slots("Book Derek with Dana on Friday at 9am", "manager")
    assert (s["client"], s["trainer"]) == ("Derek", "Dana")
    s = slots("Book Tariq with Ines on Friday at 9am", "manager", roster=None)
    assert (s["client"], s["trainer"]) == ("Tariq", "Ines")


def test_context_names_without_roster() -> None:
    assert slots("add a new client named Priya Raman", roster=None)["name"] == "Priya Raman"
    assert slots("log session with john smith at 3pm", roster=None)["client"] == "john smith"
    assert slots("how many sessions did marcus do this week", "manager", roster=None)["trainer"] == "marcus"


def test_substitute_for() -> None:
    s = slots("log this morning's session with Bill, I was covering for Chase")
    assert s["client"] == "Bill" and s["substitute_for"] == "Chase"
    assert slots("I was subbing for Priya, log a session with Omar at 9am")["substitute_for"] == "Priya"


def test_names_that_are_words() -> None:
    assert "trainer" not in slots("Will I beat last month's commission?")
    assert "client" not in slots("I will log a session at noon")
    assert slots("mark hope as a no show for yesterday")["client"] == "hope"
    assert slots("mark Omar as a no-show")["client"] == "Omar"
    assert slots("Mark's session tomorrow, cancel it")["client"] == "Mark"
    assert slots("is will available on saturday", "client")["trainer"] == "will"
    assert slots("Log a group session for Sunny yesterday")["client"] == "Sunny"
    assert slots("commission earned in August", "manager").get("trainer") is None


def test_a_role_word_as_a_group_is_no_title() -> None:
    # "each trainer run": "trainer" groups, so "run" is not a trainer's name (a held-out voice command)
    s = slots("how many sessions did each trainer run last month", "manager")
    assert "trainer" not in s and s["group_by"] == "trainer"
    assert slots("log session with trainer Bob", "manager", roster=None)["trainer"] == "Bob"


def test_covered_for_logs_a_session_with_a_substitute() -> None:
    # a held-out voice command: "covered for" says a session took place, taught by a substitute
    for said in (
        "Marcus covered for Priya with Derek on Monday at 9",
        "Marcus covered for Priya with Derek on Monday at nine",
    ):
        found = parse(said, "manager")
        assert found["intent"] == "log_session", found
        assert (found["slots"]["trainer"], found["slots"]["substitute_for"], found["slots"]["client"]) == (
            "Marcus",
            "Priya",
            "Derek",
        )
    assert intent("who covered for Priya last week", "manager") != "log_session"
