"""The parser: a message, the speaker's time and role -> a frame (intent + slots).

Assembled once (`load_parser`) from a blank spaCy English pipeline, the project's phrase
patterns and word lists, and a small text classifier trained on the project's own
examples. Parsing never raises: any failure degrades to fewer slots or `out_of_scope`.

Short answers. A message that only answers the engine's question ("4pm", "tomorrow at 7",
"John Doe", "the second one", "45 minutes", "no, Friday at 6") names no intent and stays
`out_of_scope` (or `affirm` / `deny` when it starts with yes / no), but it still gets the
slots it carries, so the engine can use it as the answer: `start` / `period` (towards the
future unless `parse(..., expecting=INTENT)` names the open question's intent),
`duration_minutes`, a person as `client` / `trainer` (by the roster, else the speaker's
role or the expected intent; `name` when expecting `add_client`), `choice` (the number of
an offered option, 1-based, -1 for "the last one"; beyond the contract), `session_type`,
`email`, `phone`. Only answer-shaped messages get them: once those slots are taken out,
nothing but filler words may be left, so "what's the weather tomorrow" has no slot
(`nlu.answers`).

Booking verbs. An explicit "book" / "schedule" / "reserve" keeps `book_session` even for a
time already gone ("book Emma yesterday at 5"): the engine refuses the past time; only a
verb-less or vague "put a session in for Emma yesterday" from staff is read as a log.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from nlu.answers import answer_slots
from nlu.extract import (
    COMPARE_LOOSE,
    PROJECTION,
    find_comparison,
    find_email,
    find_limit,
    find_note,
    find_phone,
    find_tag,
)
from nlu.frame import Frame
from nlu.intent_rules import classify_by_rules
from nlu.persons import Roster, Token, assign_roles, find_mentions
from nlu.recurrence import find_recurrence, first_occurrence, with_until
from nlu.slots_vocab import vocab_slots
from nlu.text import blank, clean, normalise
from nlu.timeslots import TIME_INTENTS, direction_for, time_slots

log = logging.getLogger(__name__)

#: The slots each intent may carry (the contract's table).
ALLOWED_SLOTS: dict[str, frozenset[str]] = {
    k: frozenset(v.split())
    for k, v in {
        "log_session": "client trainer start period duration_minutes session_type substitute_for note",
        "book_session": "client trainer start period duration_minutes session_type recurrence",
        "cancel_session": "client trainer start period",
        "reschedule_session": "client trainer start period new_start",
        "mark_no_show": "client start period",
        "add_note": "client start period note",
        "validate_session": "trainer start period",
        "dispute_session": "trainer start period",
        "join_waitlist": "trainer start period client",  # client: staff waitlisting someone (beyond the contract)
        "check_availability": "trainer period start",
        "package_balance": "client",
        "query_sessions": "client trainer period status session_type substitute",
        "query_stats": "metric group_by period client trainer limit",
        "commission_status": "trainer period projection compare_previous",
        "approve_commissions": "trainer period",
        "export": "entity tag period trainer client status",
        "add_client": "name email phone",
        "tag_client": "client tag",
    }.items()
}
ROLES = frozenset({"trainer", "manager", "client", "admin"})
#: Intents whose message may be a bare answer to the engine's question: their slots are the
#: answer's (see `nlu.answers`).
ANSWER_INTENTS = frozenset({"out_of_scope", "affirm", "deny"})
#: The slots such an answer may carry.
ANSWER_SLOTS = frozenset(
    [
        "start",
        "period",
        "duration_minutes",
        "client",
        "trainer",
        "name",
        "choice",
        "session_type",
        "email",
        "phone",
    ]
)
PERSON_INTENTS = frozenset(
    k for k, v in ALLOWED_SLOTS.items() if v & {"client", "trainer", "name", "substitute_for"}
)
_HAS_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z]")


def _time_api() -> Any:
    """The time resolver module, imported on first use (it may be absent while being built)."""
    try:
        import nlu.time as time_api
    except Exception:  # pragma: no cover - only while nlu/time is missing or broken
        return None
    return time_api


_NOTE_ANCHOR = re.compile(r"\b(?:session|sessions|appointment|workout|class|note|notes|it)\b", re.I)
_NOTE_LEAD = re.compile(
    r"^(?:[\s,:;.\-\u2013\u2014]|\b(?:saying|says|that|to say|which says|and|about|re|reading)\b)+", re.I
)
_NEW_NAME = re.compile(
    r"\b(?:client|customer|member)\b(?:\s*[:,\-\u2013\u2014]\s*|\s+(?:please|pls|plz|named|called|name is|is|"
    r"profile|account|record)\b)*\s*(?P<name>[A-Za-z][A-Za-z'-]+(?:\s+[A-Za-z][A-Za-z'-]+){0,2})",
    re.I,
)


_NOTE_TIME_GAP = re.compile(r"^[\s,]*(?:(?:on|at|from|for|in)\s+)?$", re.I)


def _trailing_note(text: str, person_ends: Sequence[int], times: Sequence[Any]) -> tuple[int, str] | None:
    """A note said without a separator ("add a note to Robin's session this morning knee is
    much better"): the words after the person or "session" word and the time said right after
    them, two or more; (where the note begins, the note)."""
    ends = list(person_ends) + [m.end() for m in _NOTE_ANCHOR.finditer(text)]
    if not ends or not _NOTE_ANCHOR.search(text):
        return None
    at = max(ends)
    for m in sorted(times, key=lambda m: m.start):
        if m.start >= at and _NOTE_TIME_GAP.match(text[at : m.start]):
            at = m.end
    lead = _NOTE_LEAD.match(text, at)
    begin = lead.end() if lead else at
    rest = text[begin:].strip().rstrip(" .!;,").strip()
    if len(re.findall(r"[\w']+", rest)) < 2:
        return None
    return begin, rest


def _new_client_name(text: str) -> str | None:
    """The name after "new client" when no cue marked it ("new client pls - omar haddad")."""
    from nlu.lexicon import lexicon

    m = _NEW_NAME.search(text)
    if not m:
        return None
    common = lexicon().common_words
    words: list[str] = []
    for word in m.group("name").split():
        if word.lower() in common:
            break
        words.append(word)
    return " ".join(words) or None


class Parser:
    """Parses messages into frames. Build once (it loads spaCy and the classifier)."""

    def __init__(self, *, eager: bool = True) -> None:
        """`eager=False` suits a process that parses one message and exits (`spotter say`): only
        the tokenizer loads now, the classifier when a message first needs it (most are decided
        by the rules), and nothing is warmed up. A long-lived process wants everything up front."""
        from nlu.vocab import VocabMatcher

        self._classifier: Any = None
        if eager:
            self.nlp = self.classifier.nlp
        else:
            import spacy

            # The classifier's pipeline is a blank English one plus the text classifier, so its
            # tokenizer is this one; the classifier keeps its own pipeline when it loads.
            self.nlp = spacy.blank("en")
        self.vocab_matcher = VocabMatcher(self.nlp)
        self._rosters: OrderedDict[Any, Roster] = OrderedDict()
        if eager:
            # Pay one-off costs (word lists, the time resolver's import) now, not in the first parse.
            _time_api()
            self.parse(
                "warm up: log a session with Sam at 3pm tomorrow", now=datetime(2026, 1, 7, 12, tzinfo=UTC)
            )

    @property
    def classifier(self) -> Any:
        """The trained intent classifier (`nlu.classifier.IntentClassifier`), loaded on first use."""
        if self._classifier is None:
            from nlu.classifier import IntentClassifier

            self._classifier = IntentClassifier.load()
        return self._classifier

    def _roster(self, roster: Mapping[str, Sequence[str]] | None) -> Roster:
        key = (
            tuple(map(str, (roster or {}).get("trainers") or ())),
            tuple(map(str, (roster or {}).get("clients") or ())),
        )
        cached = self._rosters.get(key)
        if cached is None:
            cached = Roster.build({"trainers": key[0], "clients": key[1]})
            self._rosters[key] = cached
            if len(self._rosters) > 32:
                self._rosters.popitem(last=False)
        return cached

    def parse(
        self,
        text: str,
        *,
        now: datetime | None = None,
        role: str = "trainer",
        roster: Mapping[str, Sequence[str]] | None = None,
        expecting: str | None = None,
    ) -> Frame:
        """The frame for one message. Never raises; worst case is `out_of_scope`.

        `expecting` (optional) is the intent of the engine's open question; it only guides a
        short answer's slots (time direction, person roles), never the intent.
        """
        try:
            return self._parse(text, now=now, role=role, roster=roster, expecting=expecting)
        except Exception:  # robustness: a parser bug must not break the conversation
            log.exception("parse failed for %r", str(text)[:200])
            return Frame("out_of_scope")

    def classify(self, text: str, role: str) -> str:
        """The intent alone, for a normalised message."""
        guess = classify_by_rules(text, role)
        if guess is not None:
            return guess.intent
        if not _LATIN.search(text):
            return "out_of_scope"
        return self.classifier.predict(text)

    def _answer(
        self, norm: str, now: datetime, role: str, index: Roster, expecting: str | None
    ) -> dict[str, Any]:
        """A short answer's slots ("4pm", "John Doe", "the second one"): see `nlu.answers`."""

        def tokens(text: str) -> list[Token]:
            return [Token(t.text, t.lower_, t.idx, t.idx + len(t.text)) for t in self.nlp.make_doc(text)]

        def session_types(text: str) -> list[tuple[str, int, int]]:
            hits = self.vocab_matcher(self.nlp.make_doc(text)).get("session_type", [])
            return [(h.value, h.start, h.end) for h in hits]

        direction = direction_for(expecting) if expecting in TIME_INTENTS else "future"
        return answer_slots(
            norm,
            now=now,
            role=role,
            index=index,
            expecting=expecting if expecting in ALLOWED_SLOTS else None,
            make_tokens=tokens,
            session_types=session_types,
            time_api=_time_api(),
            direction=direction,
        )

    def _parse(
        self,
        text: str,
        *,
        now: datetime | None,
        role: str,
        roster: Mapping[str, Sequence[str]] | None,
        expecting: str | None = None,
    ) -> Frame:
        if now is None:
            now = datetime.now(UTC)
        elif now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        role = role if role in ROLES else "trainer"
        raw = clean(text)
        if not _HAS_WORD.search(raw) and not re.search(r"[?\d👍👎👌✅❌✔✖]", raw):
            return Frame("out_of_scope")
        index = self._roster(roster)
        said = normalise(raw, protected=index.words)
        norm = said
        intent = self.classify(norm, role)
        slots: dict[str, Any] = {}
        allowed = ALLOWED_SLOTS.get(intent, frozenset())
        if intent in ANSWER_INTENTS:
            answer = self._answer(norm, now, role, index, expecting)
            return Frame(intent, {k: v for k, v in answer.items() if k in ANSWER_SLOTS})
        if not allowed:
            return Frame(intent)

        # Free-text slots first: they are cut out of what the other rules see.
        cut: list[tuple[int, int]] = []
        work = norm
        if "note" in allowed:
            found = find_note(norm)
            if found:
                start, _ = found
                raw_note = find_note(raw)
                slots["note"] = raw_note[1] if raw_note else found[1]
                work = work[:start]
        if intent == "add_client":
            email, phone = find_email(work), find_phone(work)
            if email:
                slots["email"] = email.group(0)
                cut.append(email.span())
            if phone:
                slots["phone"] = phone.group(0).strip()
                cut.append(phone.span())
        else:
            for found_span in (find_email(work), find_phone(work)):
                if found_span:
                    cut.append(found_span.span())
        work = blank(work, cut)

        doc = self.nlp.make_doc(work)
        hits = self.vocab_matcher(doc)
        slots.update(vocab_slots(hits, work, intent))
        if "tag" in allowed:
            tag = find_tag(work, for_export=intent == "export")
            if tag:
                slots["tag"] = tag
        if "limit" in allowed:
            limit = find_limit(work)
            if limit:
                slots["limit"] = limit
        compare_span = None
        if "projection" in allowed:
            if PROJECTION.search(work):
                slots["projection"] = True
            compare_span = find_comparison(work)
            if compare_span or COMPARE_LOOSE.search(work):
                slots["compare_previous"] = True

        # People first: a person's name ("April", "May") is never a time, so time looks past it.
        mentions: list[Any] = []
        tokens: list[Token] = []
        if intent in PERSON_INTENTS:
            tokens = [Token(t.text, t.lower_, t.idx, t.idx + len(t.text)) for t in doc]
            mentions = find_mentions(tokens, index)
        person_spans = [(tokens[m.start].start, tokens[m.end - 1].end) for m in mentions]

        # Time.
        recurrence = find_recurrence(work) if intent == "book_session" else None
        time_mentions: list[Any] = []
        time_api = _time_api() if intent in TIME_INTENTS else None
        if time_api is not None:
            direction = direction_for(intent)
            blanked = blank(work, ([compare_span] if compare_span else []) + person_spans)

            def find(part: str) -> list[Any]:
                try:
                    found = list(time_api.find_times(part, now, direction))
                    # "sessions from last week" means of last week, not after it.
                    froms = [
                        (m.start, m.start + 4)
                        for m in found
                        if m.kind == "after"
                        and m.text.lower().startswith("from ")
                        and intent != "reschedule_session"
                    ]
                    if froms:
                        found = list(time_api.find_times(blank(part, froms), now, direction))
                    return found
                except Exception:
                    log.exception("find_times failed")
                    return []

            if intent == "add_note" and "note" not in slots:
                person_ends = [tokens[m.end - 1].end for m in mentions]
                trailing = _trailing_note(work, person_ends, find(blanked))
                if trailing:
                    at, slots["note"] = trailing
                    blanked = blanked[:at] + " " * (len(blanked) - at)
            time_mentions = find(blanked)
            if recurrence is not None:
                slots["recurrence"] = recurrence.rule
                clock = next(
                    (m.value.timetz().replace(tzinfo=None) for m in time_mentions if m.kind == "point"), None
                )
                first = first_occurrence(recurrence, now, clock if isinstance(clock, time) else None)
                if first is not None:
                    slots["start"] = first
                if recurrence.until_at is not None:
                    after = [m for m in time_mentions if m.end > recurrence.until_at and m.kind != "after"]
                    if after:
                        m = after[0]
                        if m.kind == "point" and m.value is not None:
                            day = m.value.date()
                        elif m.kind == "before" and m.period is not None:
                            day = m.period[0].date()
                        else:
                            day = (m.period[1] - timedelta(days=1)).date()
                        slots["recurrence"] = with_until(recurrence.rule, day)
            else:
                slots.update(time_slots(find, blanked, intent))
            if "duration_minutes" in allowed:
                try:
                    durations = list(time_api.find_durations(work))
                except Exception:
                    durations = []
                rec_span = recurrence.span if recurrence else None
                for d in durations:
                    if rec_span and not (d.end <= rec_span[0] or d.start >= rec_span[1]) and d.minutes > 600:
                        continue
                    if 0 < d.minutes <= 600:
                        slots["duration_minutes"] = int(d.minutes)
                        break

        # People.
        if intent in PERSON_INTENTS:
            slots.update(assign_roles(mentions, tokens, intent, role))
        if intent == "add_client" and "name" not in slots:
            name = _new_client_name(work)
            if name:
                slots["name"] = name
        return Frame(intent, {k: v for k, v in slots.items() if k in allowed})


_PARSER: Parser | None = None


def load_parser(*, eager: bool = True) -> Parser:
    """The process's parser, built on first call (load once, parse many).

    `eager=False`: see `Parser` (a one-shot process); it only matters on the first call.
    """
    global _PARSER
    if _PARSER is None:
        _PARSER = Parser(eager=eager)
    return _PARSER
