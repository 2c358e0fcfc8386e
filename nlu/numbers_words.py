"""Small numbers written as words ("five" -> 5), for counts like "top five" or "for six weeks".

Clock times and durations are the time resolver's business (`nlu.time`, `nlu.numbers`);
this only covers the counts the slot rules need.
"""

from __future__ import annotations

from nlu import numbers

# The number words themselves are the time resolver's (one table for the parser);
# counts add the vague quantities people use for them.
UNITS: dict[str, int] = {
    **{word: value for word, value in numbers.UNITS.items() if value > 0},
    **numbers.TENS,
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "couple": 2,
    "a couple": 2,
    "few": 3,
    "a few": 3,
    "dozen": 12,
    "a dozen": 12,
}


def parse_small_number(word: str) -> int | None:
    """A count from digits or English words ('6', 'six', 'twenty four'); None if not a number."""
    word = word.strip().lower().replace("-", " ")
    if word.isdigit():
        return int(word)
    if word in UNITS and word not in {"a", "an"}:
        return UNITS[word]
    parts = word.split()
    if (
        len(parts) == 2
        and parts[0] in UNITS
        and parts[1] in UNITS
        and UNITS[parts[0]] >= 20
        and UNITS[parts[1]] < 10
    ):
        return UNITS[parts[0]] + UNITS[parts[1]]
    return None
