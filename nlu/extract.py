"""Slots found by pattern on the message text: notes, emails, phones, tags, top-N limits and
the projection / comparison flags.
"""

from __future__ import annotations

import re

from nlu.numbers_words import parse_small_number

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])")

_NOTE_COLON = re.compile(r"\bnotes?\b[^:\n]{0,80}?[:\-–—]\s+(?P<note>\S.*)$", re.IGNORECASE)
_NOTE_THAT = re.compile(
    r"\b(?:note|notes|noting|remark|comment|jot down|write down)\s+(?:that|saying|says|:)\s*(?P<note>\S.*)$",
    re.IGNORECASE,
)
_NOTE_SAYING = re.compile(
    r"\b(?:with a note|add(?:ing)? a note)\b[^:]{0,40}?\b(?:saying|that)\s+(?P<note>\S.*)$", re.IGNORECASE
)


def find_note(text: str) -> tuple[int, str] | None:
    """The offset where the note's words begin, and the words; None without a note.

    The note runs to the end of the message."""
    for pattern in (_NOTE_COLON, _NOTE_SAYING, _NOTE_THAT):
        m = pattern.search(text)
        if m:
            note = m.group("note").strip().strip("\"'").rstrip(" .!;,").strip()
            if note:
                return m.start("note"), note
    return None


def find_email(text: str) -> re.Match[str] | None:
    """The first e-mail address, as written."""
    return EMAIL.search(text)


def find_phone(text: str) -> re.Match[str] | None:
    """The first phone number, as written (10 digits, optional country code and brackets)."""
    return PHONE.search(text)


KNOWN_TAGS = frozenset(
    [
        "vip",
        "beginner",
        "beginners",
        "premium",
        "senior",
        "seniors",
        "athlete",
        "athletes",
        "inactive",
        "lapsed",
        "corporate",
        "student",
        "students",
        "prenatal",
        "postnatal",
        "rehab",
        "new",
        "trial",
        "intermediate",
        "advanced",
        "elite",
        "priority",
    ]
)
_TAG_PATTERNS = (
    re.compile(r"\btag(?:ged)?\s+(?:(?!as\b)[\w'-]+\s+){1,4}?as\s+(?:an?\s+|the\s+)?['\"]?([\w-]+)", re.I),
    re.compile(r"\b(?:add|put|give|apply|set)\s+(?:the|a|an)\s+['\"]?([\w-]+)['\"]?\s+(?:tag|label)\b", re.I),
    re.compile(r"\btag(?:ged)?\s*(?:[:=]|with)\s*(?:the\s+|a\s+)?['\"]?([\w-]+)", re.I),
    re.compile(r"\blabel(?:led)?\s+(?:(?!as\b)[\w'-]+\s+){1,4}?as\s+(?:an?\s+|the\s+)?['\"]?([\w-]+)", re.I),
    re.compile(
        r"\b(?:mark|set|flag)\s+(?:(?!as\b)[\w'-]+\s+){1,4}?as\s+(?:an?\s+|the\s+)?("
        + "|".join(KNOWN_TAGS)
        + r")\b",
        re.I,
    ),
    re.compile(r"['\"]?([\w-]+)['\"]?\s+tag\b", re.I),
    re.compile(r"\btag\s+['\"]?([\w-]+)['\"]?\s+(?:to|on|for)\b", re.I),
)
_TAGGED_GROUP = re.compile(r"\b(?:tagged|with the tag|with tag)\s+(?:as\s+)?['\"]?([\w-]+)", re.I)
_TAG_ADJECTIVE = re.compile(r"\b([\w-]+)\s+(?:clients?|customers?|members?)\b", re.I)
_LAST_WORD = re.compile(r"\b([\w-]+)\W*$")
_NOT_TAGS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "new",
        "my",
        "all",
        "our",
        "his",
        "her",
        "their",
        "any",
        "every",
        "its",
        "tag",
    ]
)


def find_tag(text: str, *, for_export: bool = False) -> str | None:
    """The tag put on or filtered by, lower case."""
    patterns = (_TAGGED_GROUP,) if for_export else _TAG_PATTERNS
    for pattern in patterns:
        m = pattern.search(text)
        if m and m.group(1).lower() not in _NOT_TAGS:
            return m.group(1).lower()
    if not for_export:
        # "tag Emma VIP": the tag is the last word when it is a known tag or an acronym.
        m = _LAST_WORD.search(text)
        if (
            m
            and re.search(r"\btag", text, re.I)
            and (m.group(1).lower() in KNOWN_TAGS or m.group(1).isupper())
        ):
            return m.group(1).lower()
    if for_export:
        for m in _TAG_ADJECTIVE.finditer(text):
            word = m.group(1)
            if word.lower() in KNOWN_TAGS - {"new"} or (word.isupper() and len(word) > 1):
                return word.lower()
    return None


_LIMITS = (
    re.compile(
        r"\b(?:top|best|worst|bottom|busiest|highest|lowest|leading|first)\s+(\d{1,3}|[a-z]+(?: [a-z]+)?)\b",
        re.I,
    ),
    re.compile(r"\b(\d{1,3}|[a-z]+)\s+(?:top|best|busiest|highest|most active|biggest)\b", re.I),
)
_LIMIT_ONE = re.compile(
    r"\b(?:who(?:'s| is| was)?|which)\s+(?:\w+\s+){0,2}?(?:the\s+)?(?:top|best|busiest|highest|most active|leading)"
    r"\s+(?:trainer|client|coach|location|studio)\b|\bthe\s+(?:top|best|busiest|leading)\s+(?:trainer|client|coach)\b(?!s)",
    re.I,
)


def find_limit(text: str) -> int | None:
    """'top 3' -> 3; 'the top trainer' -> 1."""
    for pattern in _LIMITS:
        for m in pattern.finditer(text):
            words = m.group(1).lower()
            value = parse_small_number(words) or parse_small_number(words.split()[0])
            if value:
                return value
    if _LIMIT_ONE.search(text):
        return 1
    return None


PROJECTION = re.compile(
    r"\b(?:on pace|on track|pace|projected|projection|project(?:ing)?|forecast\w*|at this rate|at this pace|"
    r"expected|expect|estimate\w*|going to (?:make|earn|hit|beat|reach)|gonna (?:make|earn|hit|beat)|"
    r"will i (?:make|earn|hit|beat|reach|get)|end up|by the end of)\b",
    re.I,
)
COMPARE = re.compile(
    r"\b(?:compared? (?:to|with)|vs\.?|versus|against|than|beat|beating|over|relative to)\s+"
    r"(?:the\s+)?(?P<prev>(?:last|previous|prior|the previous|the prior)\s+(?:month|week|year|quarter|period)(?:'s)?)",
    re.I,
)
COMPARE_LOOSE = re.compile(r"\b(?:compare|comparison|compared|vs\.?|versus|beat)\b", re.I)


def find_comparison(text: str) -> tuple[int, int] | None:
    """The span of the period compared against ('last month' in 'vs last month'), if any."""
    m = COMPARE.search(text)
    if m:
        return m.start("prev"), m.end("prev")
    return None
