"""Spoken-number normalisation keeps offsets back to the original text."""

from __future__ import annotations

import pytest

from nlu.numbers import MAX_INPUT_CHARS, normalise, ordinal, words_to_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three thirty p m", "3:30 pm"),
        ("seven a m", "7 am"),
        ("forty five minutes", "45 minutes"),
        ("forty-five", "45"),
        ("the twenty first", "the 21st"),
        ("twelve oh three", "12:03"),
        ("nine fifty nine a m", "9:59 am"),
        ("at three twenty", "at 3:20"),
        ("three twenty", "3 20"),
        ("two thousand ten", "2010"),
        ("Book At 3 P.M.", "book at 3 pm"),
        ("wait a second", "wait a second"),
        ("the second of march", "the 2nd of march"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_words_to_number() -> None:
    assert words_to_number("forty five") == 45
    assert words_to_number("one hundred twenty") == 120
    assert words_to_number("seven") == 7
    assert words_to_number("hello") is None
    assert words_to_number("five seven") is None


def test_ordinal() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "31st",
    ]


def test_offsets_map_back() -> None:
    text = "Meet at THREE THIRTY P M, ok"
    n = normalise(text)
    i = n.text.index("3:30 pm")
    start, end = n.span(i, i + len("3:30 pm"))
    assert text[start:end] == "THREE THIRTY P M"
    j = n.text.index("ok")
    assert text[slice(*n.span(j, j + 2))] == "ok"


def test_long_input_is_cut() -> None:
    n = normalise("a" * (MAX_INPUT_CHARS * 3))
    assert len(n.text) == MAX_INPUT_CHARS
