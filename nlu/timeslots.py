"""Turning the time resolver's mentions into the frame's time slots.

The resolver (`nlu.time`) finds and resolves expressions; this module decides which slot
each fills: `start` (a point), `period` (a range), or for a reschedule the old time versus
`new_start` (the time after "to"). It also joins a bare clock time with a day said apart
from it ("my 7am with Mike on Wednesday"), which the resolver, looking at adjacent words
only, leaves as two mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

PAST_INTENTS = frozenset(
    [
        "log_session",
        "mark_no_show",
        "add_note",
        "validate_session",
        "dispute_session",
        "query_sessions",
        "query_stats",
        "commission_status",
        "approve_commissions",
        "export",
    ]
)
FUTURE_INTENTS = frozenset(
    ["book_session", "cancel_session", "reschedule_session", "join_waitlist", "check_availability"]
)
TIME_INTENTS = PAST_INTENTS | FUTURE_INTENTS

#: Where a reschedule's new time begins: "... to Friday at 5pm", "... -> 9am".
_NEW_TIME_CUE = re.compile(r"\s(?:to|until|till|til|into|for|->|→|>|instead to|over to)\s", re.I)
_DAY_WORDS = re.compile(
    r"\b(?:today|tomorrow|yesterday|tonight|now|ago|in|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)|\d{1,2}/\d{1,2}|\d(?:st|nd|rd|th)\b",
    re.I,
)


_FROM = re.compile(r"\bfrom\b", re.I)
_SPOKEN_HOUR = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s+(?:fifteen|thirty|forty[\s-]?five|o'?clock))?"
)
_FROM_HOUR = re.compile(rf"\bfrom(?=\s+(?:\d{{1,2}}(?::\d\d)?|{_SPOKEN_HOUR})\s*$)", re.I)
_BARE_HOUR = re.compile(r"^\s*(\d{1,2}(?::\d\d)?)(?=\s*(?:$|[.,!?]|on\b|tomorrow|today|instead))", re.I)


_CLOCK_THEN_DAY = re.compile(
    r"^\s*(?:at\s+)?\d[^a-z]*(?:[ap]\.?m\.?)?\s*(?:today|tomorrow|tonight)\s*$", re.I
)


def direction_for(intent: str) -> str:
    """'past' or 'future', per the contract's lists."""
    return "future" if intent in FUTURE_INTENTS else "past"


def _within(point: datetime, period: tuple[datetime, datetime]) -> bool:
    return period[0] <= point < period[1]


def _usable(mentions: Sequence[Any]) -> list[Any]:
    return [
        m
        for m in mentions
        if (m.kind == "point" and m.value is not None) or (m.kind == "period" and m.period is not None)
    ]


def _point_and_period(mentions: Sequence[Any]) -> dict[str, Any]:
    """start and/or period from one side's mentions, joining a bare clock time with a day."""
    points = [m for m in mentions if m.kind == "point"]
    periods = [m for m in mentions if m.kind == "period"]
    slots: dict[str, Any] = {}
    if points:
        start = points[0].value
        if not _DAY_WORDS.search(points[0].text):
            for m in periods:
                begin, end = m.period
                if end - begin <= timedelta(days=1):
                    joined = start.replace(year=begin.year, month=begin.month, day=begin.day)
                    if end - begin == timedelta(days=1) or _within(joined, m.period):
                        start = joined
                        periods = [p for p in periods if p is not m]
                        break
        slots["start"] = start
    for m in periods:
        if "start" not in slots or not _within(slots["start"], m.period):
            slots["period"] = m.period
            break
    return slots


#: Public name for other modules (short answers: `nlu.answers`).
point_and_period = _point_and_period


def time_slots(find: Callable[[str], Sequence[Any]], text: str, intent: str) -> dict[str, Any]:
    """start / period / new_start for a message; `find(text)` runs the resolver."""
    if intent != "reschedule_session":
        return _point_and_period(_usable(find(text)))
    # Reschedule: resolve the old and new halves apart, so "3pm to 5pm" is not one range.
    for cue in reversed(list(_NEW_TIME_CUE.finditer(text))):
        after = text[cue.end() :]
        # A bare hour after "to" ("from 5 to 6") is a clock time here.
        after = _BARE_HOUR.sub(r"at \1", after, count=1)
        new_side = _usable(find(" " * cue.end() + after))
        if any(m.kind == "point" for m in new_side):
            old_text = _FROM_HOUR.sub("at  ", text[: cue.start()])
            old_text = _FROM.sub(lambda m: " " * len(m.group(0)), old_text)
            old = _point_and_period(_usable(find(old_text)))
            new = _point_and_period(new_side)
            slots = dict(old)
            if "start" in new:
                slots["new_start"] = new["start"]
                # "from 3 to 4 tomorrow": the day said last is both times' day.
                old_points = [m for m in _usable(find(old_text)) if m.kind == "point"]
                new_point = next(m for m in new_side if m.kind == "point")
                if (
                    "start" in slots
                    and "period" not in slots
                    and old_points
                    and not _DAY_WORDS.search(old_points[0].text)
                    and _CLOCK_THEN_DAY.search(new_point.text)
                ):
                    day = new["start"]
                    slots["start"] = slots["start"].replace(year=day.year, month=day.month, day=day.day)
            return slots
    return _point_and_period(_usable(find(text)))
