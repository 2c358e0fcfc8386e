"""The spoken-command corpus: patterns of what people say to Spotter, expanded into sentences.

A recognizer's language model is only as good as its coverage: with the
parser's training phrases alone (a few hundred, written for typing) most
spoken commands fall outside the model and PocketSphinx fills the gaps with
look-alike words. `data/phrases.yaml` holds patterns in the style of voice
assistants' sample utterances, written from the language contract (never from
test material): `(a|b)` alternatives, `[x]` optional words and slots such as
`{name}`, `{when}` or `{period}`. `expand()` turns each pattern into a few
sentences with slot values drawn from fixed pools (a seeded generator, so the
model is the same on every run); names stay as placeholders so the roster can
be put in later (bot/voice/vocabulary.py).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from bot.voice.spoken_words import DAYS, MONTHS, number_words, ordinal_words

NAME = "<name>"
NAME_S = "<name's>"
DATA = Path(__file__).with_name("data") / "phrases.yaml"
_PART = re.compile(r"\(([^()\[\]]*)\)|\[([^()\[\]]*)\]|\{([a-z']+)\}|([^\s()\[\]{}]+)")
_NO_AT = {"to", "from", "until", "till", "by", "around", "my", "the", "your", "at"}
MAX_SHAPES = 12  # alternative word orders kept per pattern (a sample beyond that, seeded)
# A pattern without slots (a fixed phrase: "never mind") is repeated fills // FIXED_SHARE times,
# so fixed phrases keep some weight against slotted ones, which yield `fills` sentences per order.
FIXED_SHARE = 2


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@cache
def pools() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Slot values as spoken words, per slot name (`name` is filled from the roster later).

    A value appears as often as people say it relative to the others ("at three p m" and
    "tomorrow" far more than "at quarter to four" or "on march twentieth"): the language
    model learns how likely each wording is from these counts.
    """

    def num(n: int) -> str:
        return " ".join(number_words(n))

    def weighted(*groups: tuple[int, list[str]]) -> list[str]:
        return [value for weight, values in groups for value in values for _ in range(weight)]

    hours = range(1, 13)
    clocks = weighted(
        (6, [f"at {num(h)}{half}" for h in hours for half in (" a m", " p m")]),
        (4, [f"at {num(h)}" for h in hours]),
        (2, [f"at {num(h)} thirty{half}" for h in hours for half in (" a m", " p m", "")]),
        (
            1,
            [
                f"at {num(h)} {m}{half}"
                for h in hours
                for m in ("fifteen", "forty five")
                for half in (" a m", " p m", "")
            ],
        ),
        (
            1,
            ["at noon", *(f"at {num(h)} o'clock" for h in hours), *(f"at half past {num(h)}" for h in hours)],
        ),
        (1, [f"at quarter {w} {num(h)}" for h in hours for w in ("past", "to")]),
    )
    days = weighted(
        (24, ["today", "tomorrow", "yesterday"]),
        (6, [f"on {d}" for d in DAYS]),
        (4, [*DAYS, *(f"next {d}" for d in DAYS)]),
        (2, [f"last {d}" for d in DAYS] + [f"this {d}" for d in DAYS]),
        (
            3,
            [
                "tonight",
                "this morning",
                "this afternoon",
                "this evening",
                "tomorrow morning",
                "yesterday afternoon",
            ],
        ),
        (
            1,
            [
                f"{d} {p}"
                for d in ("tomorrow", "yesterday", *DAYS)
                for p in ("morning", "afternoon", "evening")
            ],
        ),
        (1, [f"on {m} {' '.join(ordinal_words(d))}" for m in MONTHS for d in (1, 3, 9, 12, 15, 20, 24, 30)]),
        (1, [f"on the {' '.join(ordinal_words(d))}" for d in range(1, 32)]),
        (2, ["the day after tomorrow", "in two days", "earlier today", "later today"]),
    )
    periods = weighted(
        (12, [f"{p} {s}" for p in ("this", "last") for s in ("week", "month")]),
        (4, ["next week", "this year", "last year", "so far this month", "today", "yesterday"]),
        (1, [f"in {m}" for m in MONTHS] + [f"for {m}" for m in MONTHS] + list(MONTHS)),
        (
            2,
            [
                "so far this week",
                "month to date",
                "year to date",
                "this weekend",
                "last weekend",
                "next month",
                "the last seven days",
                "the past thirty days",
                "the last two weeks",
                "this quarter",
                "last quarter",
            ],
        ),
    )
    durations = weighted(
        (
            3,
            [
                "for an hour",
                "for half an hour",
                "for thirty minutes",
                "for forty five minutes",
                "for sixty minutes",
            ],
        ),
        (1, [f"for {num(n)} minutes" for n in (15, 20, 40, 50, 75, 90, 120)]),
        (1, ["for an hour and a half", "for two hours", "for ninety minutes"]),
    )
    # A day with a clock time, mostly in that order: every clock value once with the next day of
    # a cycle, so both keep their weights (sampling by strides favoured some hours 2.8 to 1,
    # which taught the model that "one" is likelier than "four").
    shuffled = random.Random(len(clocks)).sample(clocks, len(clocks))
    when = days + clocks + [f"{d} {c}" for d, c in zip(itertools.cycle(days), shuffled)]
    when += [f"{c} {d}" for d, c in zip(itertools.cycle(days[::-1]), shuffled[: len(shuffled) // 5])]
    return {
        "clock": tuple(map(_words, clocks)),
        "day": tuple(map(_words, days)),
        "when": tuple(map(_words, when)),
        "period": tuple(map(_words, periods)),
        "duration": tuple(map(_words, durations)),
        "number": tuple(_words(num(n)) for n in range(1, 21)),
        "month": tuple(_words(m) for m in MONTHS),
        "weekday": tuple(_words(d) for d in DAYS),
        "tag": tuple(
            map(
                _words,
                (
                    "beginner",
                    "vip",
                    "advanced",
                    "injured",
                    "morning person",
                    "new",
                    "regular",
                    "intermediate",
                    "pregnant",
                    "senior",
                    "athlete",
                    "rehab",
                ),
            )
        ),
        "note": tuple(
            map(
                _words,
                (
                    "great squats today",
                    "knee is sore",
                    "worked on mobility",
                    "good progress",
                    "shoulder feels better",
                    "focus on form next time",
                    "tired today",
                    "new personal best on deadlift",
                    "lower back pain",
                ),
            )
        ),
        "type": tuple(map(_words, ("assessment", "partner", "group", "online", "nutrition"))),
        "name": ((NAME,),),
        "name's": ((NAME_S,),),
    }


def shapes(pattern: str) -> list[tuple[tuple[str, ...] | str, ...]]:
    """The pattern's word orders: each a sequence of literal word tuples and slot names."""
    choices: list[list[tuple[str, ...] | str]] = []
    for alt, optional, slot, word in _PART.findall(pattern):
        if word:
            choices.append([(word,)])
        elif slot:
            choices.append([slot])
        elif optional:
            choices.append([_words(optional), ()])
        else:
            choices.append([_words(a) for a in alt.split("|")])
    return [tuple(c) for c in itertools.product(*choices)]


def expand(pattern: str, rng: random.Random, fills: int = 2) -> Iterator[tuple[str, ...]]:
    """Sentences of one pattern: a sample of its word orders, each with `fills` draws of slot values."""
    table = pools()
    orders = shapes(pattern)
    if len(orders) > MAX_SHAPES:
        orders = rng.sample(orders, MAX_SHAPES)
    has_slot = any(isinstance(p, str) and p not in ("name", "name's") for o in orders for p in o)
    for order in orders:
        for _ in range(fills if has_slot else max(1, fills // FIXED_SHARE)):
            words: list[str] = []
            for part in order:
                value = rng.choice(table[part]) if isinstance(part, str) else part
                if value[:1] == ("at",) and words[-1:] and words[-1] in _NO_AT:
                    value = value[1:]  # "move it to three p m", "from nine", not "to at three"
                words.extend(value)
            yield tuple(words)


@cache
def load_patterns() -> dict[str, tuple[str, ...]]:
    """intent -> patterns, as written in data/phrases.yaml."""
    import yaml

    with DATA.open(encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {str(intent): tuple(str(p) for p in patterns) for intent, patterns in data.items()}


@cache
def corpus(fills: int = 10, seed: int = 20260311) -> tuple[tuple[str, ...], ...]:
    """Every pattern expanded: the same sentences on every run (seeded), names as placeholders."""
    rng = random.Random(seed)
    return tuple(s for patterns in load_patterns().values() for p in patterns for s in expand(p, rng, fills))
