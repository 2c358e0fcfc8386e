"""Reading a short answer in the context of the question it answers.

The parser reads whole requests; an answer to "What time was the session with
John Smith?" is often just "4pm" or "yesterday at 6", and an answer to "Which
John?" just "Doe" or "the second one". So the answer is parsed after the
intent's carrier words ("log session" + " 4pm"), which gives the parser the
intent's time direction and person roles; an option can also be named by its
label, part of it, or its number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.dialogue.state import Pending
from bot.intents.registry import carrier
from nlu.frame import Frame

Parse = Callable[[str], Frame]

PERSON_SLOTS = ("client", "trainer", "substitute_for", "name")
TIME_SLOTS = ("start", "new_start")
_ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "second": 1, "2nd": 1, "two": 1, "third": 2, "3rd": 2, "three": 2,
    "fourth": 3, "4th": 3, "four": 3, "fifth": 4, "5th": 4, "five": 4, "last": -1,
}  # fmt: skip
_DAY_WORDS = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|"
    r"april|june|july|august|september|october|november|december|next|last|ago|week|month|\d+/\d+|"
    r"\d+(st|nd|rd|th))\b",
    re.I,
)
_FILLER = re.compile(
    r"^\s*(?:(?:oh|um+|uh+|ok(?:ay)?|well|so|yes|yeah|yep|sure|please|it\s+was|it's|its|i\s+meant?|"
    r"i\s+mean|meant|the\s+one\s+with|with|for|at|on|and|what\s+about|how\s+about|same\s+for|"
    r"and\s+for|what\s+of)\b[\s,]*)+",
    re.I,
)


def clean_answer(text: str) -> str:
    """The answer without leading filler ("I meant John Doe" -> "John Doe") or trailing punctuation."""
    out = _FILLER.sub("", text or "").strip()
    return out.strip(" .!?,;:") or (text or "").strip(" .!?,;:")


def match_option(text: str, options: Sequence[dict[str, Any]]) -> int | None:
    """Which offered option a typed answer names: its number, an ordinal, its label or part of it."""
    said = (text or "").strip().lower().strip(" .!?")
    if not said or not options:
        return None
    digits = re.fullmatch(r"#?\s*(\d{1,2})", said)
    if digits:
        n = int(digits.group(1))
        return n - 1 if 1 <= n <= len(options) else None
    words = re.findall(r"[a-z0-9']+", said)
    labels = [str(o["label"]).lower() for o in options]
    for i, label in enumerate(labels):
        if said == label:
            return i
    if len(words) <= 3:
        for word in words:
            if word in _ORDINALS and ("one" in words or "option" in words or len(words) <= 2):
                index = _ORDINALS[word]
                return index if index < len(options) else None
    core = clean_answer(said).lower()
    if len(core) >= 2:
        hits = [i for i, label in enumerate(labels) if core in label]
        if len(hits) == 1:
            return hits[0]
        hits = [i for i, label in enumerate(labels) if label in said]
        if len(hits) == 1:
            return hits[0]
    return None


def parse_fragment(parse: Parse, intent: str, text: str, *, person: bool = False) -> dict[str, Any]:
    """The slots a fragment gives when read as part of `intent` ("4pm" after "log session").

    Slots the carrier words give by themselves ("how many sessions" -> metric) are not the
    fragment's and are left out.
    """
    words = carrier(intent)
    core = clean_answer(text)
    tries: list[str] = []
    if person:
        tries += [f"{words} with {core}".strip(), f"{words} for {core}".strip()]
    else:
        tries += [f"{words} {text}".strip(), f"{words} {core}".strip()]
        if re.fullmatch(r"\d{1,2}(:\d\d)?", core):
            tries.insert(0, f"{words} at {core}".strip())
    own = parse(words).slots if words else {}
    for attempt in dict.fromkeys(tries):
        slots = {k: v for k, v in parse(attempt).slots.items() if own.get(k) != v}
        if slots:
            return slots
    return {}


def on_day(start: datetime, day_start: datetime) -> datetime:
    """The clock time of `start` on the day that begins at `day_start`."""
    moved = day_start.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0, fold=0)
    return moved


def _extras(found: dict[str, Any], pending: Pending, keys: tuple[str, ...]) -> dict[str, Any]:
    """Other slots an answer also gives ("tomorrow at 9" to "Which client?"), when not known yet."""
    return {k: found[k] for k in keys if k in found and k not in pending.slots and k != pending.awaiting}


def fill_time(parse: Parse, pending: Pending, text: str) -> dict[str, Any] | None:
    """The slots an answer to a time question fills, or None when it names no time."""
    found = parse_fragment(parse, pending.intent, text)
    name = pending.awaiting or "start"
    value = found.get(name) or found.get("start") or found.get("new_start")
    period = pending.slots.get("period") if name == "start" else None
    extra = _extras(found, pending, (*PERSON_SLOTS, "duration_minutes"))
    if isinstance(value, datetime):
        if (
            isinstance(period, tuple | list)
            and len(period) == 2
            and (period[1] - period[0]) <= timedelta(days=1, hours=1)
            and not _DAY_WORDS.search(text)
        ):
            value = on_day(value, period[0])
        return {name: value, **extra}
    if isinstance(found.get("period"), tuple | list) and name == "start":
        return {"period": found["period"], **extra}
    return None


def fill_person(parse: Parse, pending: Pending, text: str) -> dict[str, Any] | None:
    """The mention an answer to "Which client?" gives (the parser's, else the words themselves)."""
    name = pending.awaiting or "client"
    found = parse_fragment(parse, pending.intent, text, person=True)
    extra = _extras(found, pending, ("start", "period", "new_start", "duration_minutes"))
    for key in (name, *PERSON_SLOTS):
        if isinstance(found.get(key), str) and found[key].strip():
            return {name: found[key], **extra}
    if extra:
        return extra
    core = clean_answer(text)
    if core and len(core) <= 60 and len(core.split()) <= 4 and re.search(r"[^\W\d_]", core):
        return {name: core}
    return None


def fill_slot(parse: Parse, pending: Pending, text: str) -> dict[str, Any] | None:
    """Fill the awaited slot from a typed answer: a time, a person, or the words as said."""
    name = pending.awaiting
    if name is None:
        return None
    if pending.kind == "time" or name in TIME_SLOTS:
        return fill_time(parse, pending, text)
    if pending.kind == "person" or name in PERSON_SLOTS:
        return fill_person(parse, pending, text)
    found = parse_fragment(parse, pending.intent, text)
    if name in found:
        return {name: found[name]}
    core = (text or "").strip()
    return {name: core} if core else None
