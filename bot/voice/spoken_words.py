"""English number, weekday and month words as people say them: 45 -> "forty five", 3 -> "third".

The recognizers hear words, not digits; both the spoken-command corpus
(bot/voice/phrases.py) and the spoken form of typed training phrases
(bot/voice/vocabulary.py) write numbers this way. Reading them back into
numbers is the parser's job (nlu.numbers).
"""

from __future__ import annotations

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
    9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth",
    15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth",
    20: "twentieth", 30: "thirtieth",
}  # fmt: skip
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def number_words(n: int) -> list[str]:
    """0..999 as spoken words ("forty five")."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    hundreds, rest = divmod(n, 100)
    return [_ONES[hundreds % 20], "hundred"] + (number_words(rest) if rest else [])


def ordinal_words(n: int) -> list[str]:
    if n in _ORDINALS:
        return [_ORDINALS[n]]
    tens, ones = divmod(n, 10)
    return [_TENS[tens], _ORDINALS[ones]]
