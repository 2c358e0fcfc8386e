"""Slots of a short answer ("4pm", "tomorrow at 7", "John Doe", "the second one", "45 min").

A message that is only an answer to the engine's question names no intent, so it is
`out_of_scope` (or `affirm` / `deny` when it starts with yes / no: "no, tomorrow at 7").
It still carries slots, and the engine needs them as the answer. This module fills them
when, and only when, the message is *answer-shaped*: once the times, durations, people,
choices, e-mail / phone and session types are taken out, nothing is left but filler words
("at", "how about", "please", "maybe", ...). "what's the weather tomorrow" leaves
"what's the weather" and gets no slot.

Slots an answer may carry:

- `start` or `period` (one mention; a clock time with a day is a point), resolved in the
  direction of `expecting` (the intent of the engine's open question) when given, else
  towards the future (a question for a time is most often a booking's);
- `duration_minutes`;
- a person: `client` / `trainer` by the roster when it knows the name in one role, else by
  `expecting` and the speaker's role (a client's person is a trainer, anyone else's a client);
  `name` when `expecting` is `add_client`;
- `choice`: the 1-based number of an offered option ("the second one", "option 3", "#2";
  "the last one" is -1): an addition beyond the contract;
- `session_type`, `email`, `phone`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from nlu.extract import find_email, find_phone
from nlu.lexicon import lexicon
from nlu.persons import Mention, Roster, Token, assign_roles, find_mentions
from nlu.text import blank
from nlu.timeslots import point_and_period

#: What may be left of an answer besides its slots.
_FILLER = frozenset(
    [
        "but",
        "yes",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "yah",
        "sure",
        "ok",
        "okay",
        "k",
        "kk",
        "alright",
        "right",
        "fine",
        "good",
        "great",
        "perfect",
        "cool",
        "correct",
        "no",
        "nope",
        "nah",
        "not",
        "at",
        "on",
        "in",
        "for",
        "with",
        "by",
        "around",
        "about",
        "approx",
        "approximately",
        "roughly",
        "maybe",
        "perhaps",
        "probably",
        "how",
        "what",
        "about",
        "say",
        "lets",
        "let's",
        "let",
        "us",
        "make",
        "it",
        "its",
        "it's",
        "is",
        "be",
        "then",
        "please",
        "pls",
        "plz",
        "thanks",
        "thx",
        "the",
        "a",
        "an",
        "one",
        "ones",
        "option",
        "options",
        "choice",
        "number",
        "no.",
        "instead",
        "rather",
        "better",
        "works",
        "work",
        "would",
        "could",
        "do",
        "does",
        "that",
        "this",
        "i",
        "think",
        "guess",
        "mean",
        "meant",
        "um",
        "uh",
        "umm",
        "uhh",
        "oh",
        "well",
        "so",
        "and",
        "or",
        "just",
        "actually",
        "same",
        "time",
        "slot",
        "one's",
        "from",
        "to",
        "till",
        "until",
        "until",
        "sometime",
        "anytime",
        "any",
        "ish",
        "o'clock",
        "oclock",
        "sharp",
        "for",
        "me",
        "mins",
        "min",
        "minutes",
        "minute",
        "hours",
        "hour",
        "hrs",
        "hr",
        "long",
        "session",
        "sessions",
        "his",
        "her",
        "their",
        "name",
        "client",
        "trainer",
        "coach",
        "first",
        "last",
        "second",
        "third",
        "him",
        "her",
        "them",
        "he",
        "she",
        "they",
        "not",
    ]
)
#: Capitalised words that start a non-answer ("Play Spotify", "Happy Birthday").
_NOT_NAMES = frozenset(
    [
        "play",
        "buy",
        "call",
        "text",
        "open",
        "go",
        "get",
        "watch",
        "listen",
        "order",
        "send",
        "check",
        "find",
        "search",
        "turn",
        "set",
        "tell",
        "show",
        "make",
        "take",
        "give",
        "let",
        "happy",
        "merry",
        "good",
        "nice",
        "great",
        "hello",
        "bye",
        "goodbye",
        "please",
        "thank",
        "thanks",
        "sorry",
        "welcome",
        "dear",
        "hi",
        "hey",
        "new",
        "old",
        "big",
        "little",
        "best",
        "love",
        "lol",
        "omg",
        "wow",
        "cool",
        "awesome",
        "sweet",
        "okay",
        "yes",
        "no",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_ORDINAL = {
    "first": 1, "1st": 1, "one": 1, "1": 1, "second": 2, "2nd": 2, "two": 2, "2": 2,
    "third": 3, "3rd": 3, "three": 3, "3": 3, "fourth": 4, "4th": 4, "four": 4, "4": 4,
    "fifth": 5, "5th": 5, "five": 5, "5": 5, "sixth": 6, "6th": 6, "six": 6, "6": 6,
    "last": -1, "latter": -1, "former": 1,
}  # fmt: skip
_ORD = r"first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|last|latter|former"
_CHOICE = re.compile(
    rf"\b(?:the\s+)?(?P<a>{_ORD})\s+(?:one|option|choice|slot|time|1)\b"
    rf"|\b(?:option|number|choice|no\.?|num|nr)\s*#?\s*(?P<b>[1-6]|one|two|three|four|five|six)\b(?!\s*(?:am|pm|:|min|h))"
    rf"|(?<![\w:])#\s*(?P<c>[1-6])\b"
    rf"|^\W*(?:the\s+)?(?P<d>first|second|third|fourth|fifth|last|latter|former)(?:\s+one)?\W*$",
    re.I,
)


def find_choice(text: str) -> tuple[int, tuple[int, int]] | None:
    """The option number an answer names ("the second one" -> 2), with its span."""
    m = _CHOICE.search(text)
    if not m:
        return None
    word = next(g for g in (m.group("a"), m.group("b"), m.group("c"), m.group("d")) if g)
    return _ORDINAL[word.lower()], m.span()


def answer_slots(
    work: str,
    *,
    now: datetime,
    role: str,
    index: Roster,
    expecting: str | None,
    make_tokens: Callable[[str], list[Token]],
    session_types: Callable[[str], list[tuple[str, int, int]]],
    time_api: Any,
    direction: str,
) -> dict[str, Any]:
    """The slots of an answer-shaped message, else {} (see the module docstring)."""
    slots: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    for name, found in (("email", find_email(work)), ("phone", find_phone(work))):
        if found:
            slots[name] = found.group(0).strip()
            spans.append(found.span())
    choice = find_choice(blank(work, spans))
    if choice:
        slots["choice"] = choice[0]
        spans.append(choice[1])
    rest = blank(work, spans)
    for value, start, end in session_types(rest):
        slots.setdefault("session_type", value)
        spans.append((start, end))
    rest = blank(work, spans)

    tokens = make_tokens(rest)
    mentions = find_mentions(tokens, index)
    person_spans = [(tokens[m.start].start, tokens[m.end - 1].end) for m in mentions]
    with_people = rest
    rest = blank(rest, person_spans)

    if time_api is not None:
        try:
            times = [
                m
                for m in time_api.find_times(rest, now, direction)
                if (m.kind == "point" and m.value is not None)
                or (m.kind == "period" and m.period is not None)
            ]
        except Exception:  # pragma: no cover - the resolver never raises on text
            times = []
        slots.update(point_and_period(times))
        spans_t = [(m.start, m.end) for m in times]
        try:
            durations = list(time_api.find_durations(blank(rest, spans_t)))
        except Exception:  # pragma: no cover
            durations = []
        for d in durations:
            if 0 < d.minutes <= 600:
                slots["duration_minutes"] = int(d.minutes)
                spans_t.append((d.start, d.end))
                break
        rest = blank(rest, spans_t)
        with_people = blank(with_people, spans_t)

    leftover = [m for m in _WORD.finditer(rest) if m.group(0).lower() not in _FILLER]
    if leftover or len(mentions) > 1:
        # A capitalised name said alone, maybe unknown to the roster or only half known to it:
        # "Priya Raman", "Sarah at 4".
        words = [m for m in _WORD.finditer(with_people) if m.group(0).lower() not in _FILLER]
        name = _bare_name(with_people, words, index)
        if name is not None:
            mentions, tokens = name
            leftover = []
    if leftover:
        return {}
    if mentions:
        if expecting == "add_client":
            slots["name"] = mentions[0].text
        else:
            slots.update(_people(mentions, tokens, role, expecting))
    return slots


def _bare_name(
    text: str, words: list[re.Match[str]], index: Roster
) -> tuple[list[Mention], list[Token]] | None:
    """One to three adjacent capitalised words that are no ordinary word: a name said alone."""
    if not 1 <= len(words) <= 3 or (len(words) == 1 and index.words):
        # With a roster, one unknown word alone is more likely not a name at all ("Boston").
        return None
    common = lexicon().common_words | _NOT_NAMES
    for i, w in enumerate(words):
        word = w.group(0)
        if not (word.isalpha() and word[:1].isupper() and word[1:].islower() and word.lower() not in common):
            return None
        if i and text[words[i - 1].end() : w.start()].strip():
            return None
    tokens = [Token(w.group(0), w.group(0).lower(), w.start(), w.end()) for w in words]
    roles = index.full.get(tuple(t.lower for t in tokens), frozenset())
    return [Mention(" ".join(t.text for t in tokens), 0, len(tokens), roles)], tokens


def _people(mentions: list[Any], tokens: Sequence[Token], role: str, expecting: str | None) -> dict[str, str]:
    """client / trainer for an answer's people: roster role, else the open question's intent
    and the speaker's role."""
    if expecting:
        return assign_roles(mentions, tokens, expecting, role)
    out: dict[str, str] = {}
    for m in mentions:
        if len(m.roster_roles) == 1:
            slot = next(iter(m.roster_roles))
        else:
            slot = "trainer" if role == "client" else "client"
        if slot in out:
            slot = "trainer" if slot == "client" else "client"
        out.setdefault(slot, m.text)
    return out
