"""Follow-ups and corrections: short messages that only make sense after the previous one.

- A follow-up ("and last month?", "what about Mike?") reuses the last query's
  intent and slots, replacing what the new message mentions (a new time
  replaces the old time; a new person replaces the old people).
- A correction right after an action ("no, 4pm", "actually 4pm", "I meant John
  Doe") says what the action should have had; the intent's corrector redoes it.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogue.answers import _DAY_WORDS, PERSON_SLOTS, Parse, clean_answer, parse_fragment

_FOLLOW_UP = re.compile(
    r"^\s*(and|what about|how about|same for|and for|what of|and what about|also)\b", re.I
)
_CORRECTION = re.compile(
    r"^\s*(no|nope|nah|not|actually|sorry|oops|wait|i meant|i mean|meant|make (it|that)|change (it|that)( to)?|"
    r"correction|should (have been|be))\b",
    re.I,
)
TIME_KEYS = ("start", "period")


def looks_like_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(text or ""))


def looks_like_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text or ""))


def merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The old slots with the new ones on top: a new time replaces the old time, a new person the old people."""
    merged = {k: v for k, v in old.items() if not k.startswith("_")}
    if any(k in new for k in TIME_KEYS):
        for key in TIME_KEYS:
            merged.pop(key, None)
    if any(k in new for k in PERSON_SLOTS):
        for key in PERSON_SLOTS:
            if key != "substitute_for":
                merged.pop(key, None)
    merged.update(new)
    return merged


def correction_slots(parse: Parse, intent: str, text: str) -> dict[str, Any]:
    """What a correction says the action should have had (a time and/or a person)."""
    core = clean_answer(re.sub(_CORRECTION, "", text or "", count=1))
    if not core:
        return {}
    found = parse_fragment(parse, intent, core)
    if not any(k in found for k in ("start", "period", "new_start", *PERSON_SLOTS)):
        person = parse_fragment(parse, intent, core, person=True)
        found.update(person)
    if not _DAY_WORDS.search(core):
        found["_clock_only"] = True  # "no, 4pm": the same day as what was done, at 4pm
    return found
