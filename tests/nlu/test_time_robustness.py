"""Any text at all gives a list of mentions without raising (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.numbers import MAX_INPUT_CHARS
from nlu.time import find_durations, find_times

NY = ZoneInfo("America/New_York")
WORDS = st.sampled_from(
    [
        "at",
        "3pm",
        "tomorrow",
        "next",
        "friday",
        "the",
        "14th",
        "in",
        "2",
        "hours",
        "ago",
        "-",
        "to",
        "from",
        "march",
        "morning",
        "half",
        "past",
        "three",
        "thirty",
        "p",
        "m",
        "/",
        ":",
        "last",
        "week",
        "🙂",
        "\x00",
        "日本",
    ]
)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), direction=st.sampled_from(["past", "future"]))
def test_any_text(text: str, direction: str) -> None:
    now = datetime(2026, 3, 8, 1, 30, tzinfo=NY)
    found = find_times(text, now, direction)  # type: ignore[arg-type]
    assert isinstance(found, list)
    for m in found:
        assert 0 <= m.start <= m.end <= len(text)
        assert m.text == text[m.start : m.end]
    assert isinstance(find_durations(text), list)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(WORDS, max_size=25), offset=st.integers(-12 * 60, 14 * 60))
def test_time_like_word_salad(words: list[str], offset: int) -> None:
    text = " ".join(words)
    now = datetime(2026, 12, 31, 23, 59, tzinfo=timezone(timedelta(minutes=offset)))
    for m in find_times(text, now, "future"):
        assert m.text == text[m.start : m.end]
        assert (m.value is None) != (m.period is None)


def test_huge_input_is_cut_at_the_documented_limit() -> None:
    text = ("tomorrow at 3pm 🙂 " * 10_000)[:100_000]
    found = find_times(text, datetime(2026, 3, 11, 9, tzinfo=NY), "future")
    assert found and all(m.end <= MAX_INPUT_CHARS for m in found)
    control = "".join(chr(c) for c in range(0, 32)) * 3000
    assert find_times(control, datetime(2026, 3, 11, 9, tzinfo=NY)) == []
