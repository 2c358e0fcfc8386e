"""Recurring bookings: "every Tuesday and Friday at 7am for 5 weeks" -> an RRULE and the
first occurrence.

The contract's form: RFC 5545 RRULE without DTSTART or time parts; "for N weeks" on a rule
with k weekdays gives COUNT = N*k; the first occurrence (the earliest matching day after
today, at the said time) is the frame's `start`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from nlu.numbers_words import parse_small_number

DAY_CODES = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}
_DAY = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday|day)?s?"
_DAY_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?"
_DAY_LIST = rf"{_DAY_FULL}(?:\s*(?:,|and|&|\+|/|or)\s*(?:on\s+)?{_DAY_FULL})*"
_EVERY_DAYS = re.compile(rf"\b(?:every|each|on)\s+(?P<other>other\s+)?(?P<days>{_DAY_LIST})\b", re.I)
_PLURAL_DAYS = re.compile(
    r"\b(?P<days>(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
    r"(?:\s*(?:,|and|&|\+|/)\s*(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday))*)\b",
    re.I,
)
_WEEKDAYS = re.compile(
    r"\b(?:every|each)\s+weekday\b|\bweekdays\b|\bmonday (?:to|through|thru|-) friday\b", re.I
)
_DAILY = re.compile(r"\b(?:every|each)\s+day\b|\bdaily\b", re.I)
_WEEKLY = re.compile(r"\b(?:every|each)\s+week\b|\bweekly\b|\bonce a week\b", re.I)
_BIWEEKLY = re.compile(
    r"\b(?:every|each)\s+(?:other|second|2nd)\s+week\b|\bbiweekly\b|\bbi-weekly\b|\bfortnightly\b", re.I
)
_MONTHLY = re.compile(r"\b(?:every|each)\s+month\b|\bmonthly\b", re.I)
_NUM = r"(?P<n>\d{1,3}|[a-z]+(?:[ -][a-z]+)?)"
_FOR_WEEKS = re.compile(
    rf"\b(?:for|over)\s+(?:the\s+)?(?:next\s+)?{_NUM}\s+(?P<unit>weeks?|days?|months?)\b", re.I
)
_TIMES = re.compile(rf"\b{_NUM}\s+(?:times|sessions|occurrences|classes)\b", re.I)
_UNTIL = re.compile(r"\b(?:until|till|til|through|thru|up to|ending)\b", re.I)


@dataclass(frozen=True)
class Recurrence:
    """A recurrence found in text: the rule, its span, and where an UNTIL date may start."""

    rule: str
    days: tuple[int, ...]  # Python weekday numbers (Mon=0); empty for DAILY/MONTHLY
    freq: str
    span: tuple[int, int]
    until_at: int | None  # offset of the word "until" (or "through"...) if said


def _day_codes(text: str) -> list[str]:
    codes: list[str] = []
    for word in re.findall(r"[a-z]+", text.lower()):
        key = word[:3]
        if key in DAY_CODES and word not in {"on", "or", "and"} and DAY_CODES[key] not in codes:
            codes.append(DAY_CODES[key])
    return codes


def find_recurrence(text: str) -> Recurrence | None:
    """The recurrence the message asks for, without COUNT's multiplication by times (done here)."""
    freq, codes, interval, span = "", [], 1, None
    m = _EVERY_DAYS.search(text)
    if m and (m.group(0).lower().startswith(("every", "each")) or re.search(r"s\b", m.group("days"))):
        freq, codes, span = "WEEKLY", _day_codes(m.group("days")), m.span()
        if m.group("other"):
            interval = 2
    elif (m := _PLURAL_DAYS.search(text)) is not None:
        freq, codes, span = "WEEKLY", _day_codes(m.group("days")), m.span()
    elif (m := _WEEKDAYS.search(text)) is not None:
        freq, codes, span = "WEEKLY", ["MO", "TU", "WE", "TH", "FR"], m.span()
    elif (m := _DAILY.search(text)) is not None:
        freq, span = "DAILY", m.span()
    elif (m := _BIWEEKLY.search(text)) is not None:
        freq, interval, span = "WEEKLY", 2, m.span()
    elif (m := _WEEKLY.search(text)) is not None:
        freq, span = "WEEKLY", m.span()
    elif (m := _MONTHLY.search(text)) is not None:
        freq, span = "MONTHLY", m.span()
    if not freq or span is None:
        return None
    if freq == "WEEKLY" and not codes:
        # "weekly on Monday", "every week on Tuesdays"
        after = re.match(rf"\s*(?:on\s+)?(?P<days>{_DAY_LIST})\b", text[span[1] :], re.I)
        if after:
            codes = _day_codes(after.group("days"))
            span = (span[0], span[1] + after.end())
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if codes:
        order = list(DAY_CODES.values())
        codes.sort(key=order.index)
        parts.append("BYDAY=" + ",".join(codes))
    count = None
    if (c := _FOR_WEEKS.search(text)) is not None:
        n = parse_small_number(c.group("n")) or parse_small_number(c.group("n").split()[-1])
        unit = c.group("unit").lower()
        if n:
            if unit.startswith("week"):
                count = (
                    n * max(1, len(codes)) // interval
                    if freq == "WEEKLY"
                    else n * 7
                    if freq == "DAILY"
                    else None
                )
            elif unit.startswith("day") and freq == "DAILY" or unit.startswith("month") and freq == "MONTHLY":
                count = n
        span = (min(span[0], c.start()), max(span[1], c.end()))
    elif (c := _TIMES.search(text)) is not None:
        n = parse_small_number(c.group("n"))
        if n and n > 1:
            count = n
            span = (min(span[0], c.start()), max(span[1], c.end()))
    if count:
        parts.append(f"COUNT={count}")
    until = _UNTIL.search(text, span[0])
    order = list(DAY_CODES.values())
    return Recurrence(
        rule=";".join(parts),
        days=tuple(order.index(c) for c in codes),
        freq=freq,
        span=span,
        until_at=until.start() if until and not count else None,
    )


def first_occurrence(rec: Recurrence, now: datetime, clock: time | None) -> datetime | None:
    """The earliest matching day after today, at the said clock time (None without one)."""
    if clock is None:
        return None
    today = now.date()
    day: date | None = None
    if rec.days:
        for ahead in range(1, 8):
            candidate = today + timedelta(days=ahead)
            if candidate.weekday() in rec.days:
                day = candidate
                break
    else:
        day = today + timedelta(days=1)
    if day is None:
        return None
    return datetime.combine(day, clock, tzinfo=now.tzinfo)


def with_until(rule: str, until: date) -> str:
    """The rule with UNTIL (a date, no time part) added."""
    return f"{rule};UNTIL={until.strftime('%Y%m%d')}"
