"""Any input gives a frame (never an exception), and over-long input is cut at the limit."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nlu_support import NOW, ROSTER

from nlu import load_parser
from nlu.parser import ALLOWED_SLOTS, ANSWER_INTENTS, ANSWER_SLOTS
from nlu.text import MAX_INPUT_CHARS, clean

INTENTS = set(ALLOWED_SLOTS) | {"affirm", "deny", "stop", "undo", "help", "greet", "thanks", "out_of_scope"}
DOMAIN_WORDS = st.sampled_from(
    [
        "log",
        "book",
        "cancel",
        "move",
        "to",
        "from",
        "with",
        "for",
        "at",
        "3pm",
        "tomorrow",
        "every",
        "monday",
        "and",
        "note:",
        "tag",
        "as",
        "vip",
        "export",
        "John's",
        "no",
        "show",
        "top",
        "5",
        "by",
        "week",
        "555-201-3344",
        "a@b.co",
        "sesh",
        "w/",
        "tmrw",
        "'",
        '"',
        ";",
        "<",
        ">",
        "é",
        "😀",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(DOMAIN_WORDS, max_size=60).map(" ".join),
    st.text(alphabet=string.printable, max_size=2000),
)


def _check(text: str, role: str, roster: object) -> None:
    frame = load_parser().parse(text, now=NOW, role=role, roster=roster)
    assert frame.intent in INTENTS
    allowed = ANSWER_SLOTS if frame.intent in ANSWER_INTENTS else ALLOWED_SLOTS.get(frame.intent, set())
    assert set(frame.slots) <= allowed
    json.loads(frame.to_json())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=TEXTS,
    role=st.sampled_from(["trainer", "manager", "client", "admin", "nonsense"]),
    with_roster=st.booleans(),
)
def test_any_text_gives_a_frame(text: str, role: str, with_roster: bool) -> None:
    _check(text, role, ROSTER if with_roster else None)


def test_hostile_inputs() -> None:
    for text in [
        "",
        "   ",
        "\x00\x01\x1b[31m",
        "😀" * 50,
        "Привет, как дела?",
        "你好",
        "'; DROP TABLE sessions; --",
        "<script>alert(1)</script>",
        "a" * 100_000,
        "book " * 20_000,
        "\u202e\u200b",
        None,
    ]:
        _check(text, "trainer", ROSTER)  # type: ignore[arg-type]


def test_empty_and_emoji_are_out_of_scope() -> None:
    for text in ["", " \n\t", "😀😀"]:
        assert load_parser().parse(text, now=NOW, role="client").intent == "out_of_scope"


def test_long_input_is_cut_at_the_documented_limit() -> None:
    assert len(clean("x" * 100_000)) == MAX_INPUT_CHARS
    # Words past the limit are not seen: the booking starts beyond it.
    frame = load_parser().parse("hello " * 200 + "book Omar tomorrow at 7am", now=NOW, role="trainer")
    assert frame.intent != "book_session"


def test_bad_roster_and_naive_now_do_not_break_parsing() -> None:
    frame = load_parser().parse(
        "log session with Omar at 3pm",
        now=NOW.replace(tzinfo=None),
        role="trainer",
        roster={"trainers": None, "clients": ["", "  ", 42]},
    )
    assert frame.intent == "log_session"
