"""Which of a recognizer's readings of a voice note the speaker most likely said.

A recognizer ranks readings by sound and by its language model; it knows
nothing of who is speaking. Its first reading is sometimes something this
speaker cannot have meant: a client "booking with Dana" when Dana is the
manager, a trainer asking for another trainer's commission (which the studio
would refuse), "is Emma free" when Emma is a client, words the parser can make
nothing of. The reading a few places down ("book with Sarah") often makes
sense. This is the usual second pass of spoken dialogue systems: re-rank the
recognizer's N-best list with what the dialogue knows.

The rule is deliberately conservative: the recognizer's first reading is kept
whenever it makes sense. Only when it has doubts (`doubts`) is the next reading
without any taken, in the recognizer's order; when none is free of doubts the
first reading stands, and the dialogue handles it as it would a typed message.
Nothing here ever invents words: only readings the recognizer offered are
chosen from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.engine import found_person
from bot.people import PersonLike, name_words, resolve
from domain.authz import OWN_CLIENTS, OWN_SESSIONS, SELF, role_scopes
from domain.model import Role
from nlu.frame import Frame

# The domain action an intent's handler asks the studio's permission for (domain/authz.py).
ACTION = {
    "log_session": "log_session",
    "book_session": "book_session",
    "cancel_session": "cancel_session",
    "reschedule_session": "reschedule_session",
    "mark_no_show": "mark_no_show",
    "add_note": "add_note",
    "validate_session": "validate_session",
    "dispute_session": "dispute_session",
    "join_waitlist": "join_waitlist",
    "check_availability": "view_availability",
    "package_balance": "view_balance",
    "query_sessions": "view_sessions",
    "query_stats": "view_stats",
    "commission_status": "view_commission",
    "approve_commissions": "approve_commissions",
    "export": "view_sessions",
    "add_client": "add_person",
    "tag_client": "tag_client",
}
# The person slots of a request and the role of whom they name (bot/dialogue/answers.py lists
# every person slot, "name" too: a new client is nobody yet).
SLOT_ROLES = {"client": Role.CLIENT, "trainer": Role.TRAINER, "substitute_for": Role.TRAINER}


@dataclass(frozen=True)
class Listener:
    """What the choice knows of the conversation: who speaks, whom they may name, and when.

    `works_at(trainer, start)`: whether the trainer's working hours take a session starting then
    (None: hours are not weighed).
    """

    speaker: PersonLike
    people: Sequence[PersonLike]
    now: datetime
    works_at: Callable[[PersonLike, datetime], bool] | None = None


def doubts(text: str, frame: Frame, listener: Listener) -> list[str]:
    """Why this speaker is unlikely to have said `text` (read as `frame`); empty when it makes sense."""
    found: list[str] = []
    if frame.intent == "out_of_scope":
        found.append("the parser finds no request in it")
    named: dict[str, PersonLike] = {}
    for slot, role in SLOT_ROLES.items():
        value = frame.slots.get(slot)
        if not isinstance(value, str):
            continue
        pool = [p for p in listener.people if role in p.roles]
        resolution = resolve(value, pool)
        if not found_person(resolution):
            found.append(f"no {role.value} is called {value}")
        elif resolution.person is not None:
            named[slot] = resolution.person
            if resolution.person.id == listener.speaker.id:  # people say "me" and "my", not their name
                found.append(f"the speaker names themselves as the {slot.replace('_', ' ')}")
    unused = _unused_names(text, frame, listener.people)
    if unused:
        found.append(f"it names {', '.join(unused)} without saying what for")
    found += _refusals(frame.intent, named, listener.speaker)
    found += _times(frame, listener.now)
    found += _hours(frame, named, listener)
    return found


def choose(readings: Sequence[str], parse: Callable[[str], Frame], listener: Listener) -> int:
    """The index in `readings` (the recognizer's, best first) of the one to act on."""
    for index, text in enumerate(readings):
        if not doubts(text, parse(text), listener):
            return index
    return 0


def _unused_names(text: str, frame: Frame, people: Sequence[PersonLike]) -> list[str]:
    """Studio names said in `text` more often than the slots take them up.

    "is Emma free" when Emma is a client (the trainer slot drops her), or "Emma's session with
    Emma": each time someone is named they play a part in the request.
    """
    only_names = name_words(tuple(p.full_name for p in people))
    said = Counter(w for w in re.findall(r"[a-z]+", text.lower()) if w in only_names)
    taken = Counter(
        w
        for value in frame.slots.values()
        if isinstance(value, str)
        for w in set(re.findall(r"[a-z]+", value.lower()))
    )
    return sorted((said - taken).keys())


def _refusals(intent: str, named: dict[str, PersonLike], speaker: PersonLike) -> list[str]:
    """What the studio would refuse this speaker (domain/authz.py's matrix, read before asking it)."""
    action = ACTION.get(intent)
    if action is None:
        return []
    scopes = role_scopes(speaker.roles, action)
    if not scopes:
        return [f"a {'/'.join(sorted(r.value for r in speaker.roles))} can't {action.replace('_', ' ')}"]
    if not scopes <= {SELF, OWN_SESSIONS, OWN_CLIENTS}:
        return []  # studio-wide: anyone may be named
    found = []
    trainer = named.get("trainer")
    if (
        Role.TRAINER in speaker.roles
        and scopes & {SELF, OWN_SESSIONS}
        and trainer
        and trainer.id != speaker.id
    ):
        found.append(f"{trainer.full_name}'s sessions aren't the speaker's")
    client = named.get("client")
    if Role.TRAINER not in speaker.roles and scopes == {SELF} and client and client.id != speaker.id:
        found.append(f"{client.full_name} isn't the speaker")
    return found


def _aware(value: Any, now: datetime) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=now.tzinfo)


# The slot holding the time a request puts a session at (what past and working hours judge).
_NEW_TIME = {
    "book_session": ("start", "a booking in the past"),
    "reschedule_session": ("new_start", "a move into the past"),
}


def _times(frame: Frame, now: datetime) -> list[str]:
    """A booking or a move into the past, a log of the future: refused by the handlers."""
    slot, past = _NEW_TIME.get(frame.intent, ("", ""))
    when = _aware(frame.slots.get(slot), now)
    if when is not None and when <= now:
        return [past]
    start = _aware(frame.slots.get("start"), now)
    if frame.intent == "log_session" and start is not None and start > now + timedelta(minutes=1):
        return ["a log of a session to come"]
    return []


def _hours(frame: Frame, named: dict[str, PersonLike], listener: Listener) -> list[str]:
    """A booking or a move to a time the trainer doesn't work: the studio refuses those too."""
    slot, _ = _NEW_TIME.get(frame.intent, ("", ""))
    when = _aware(frame.slots.get(slot), listener.now)
    if when is None or listener.works_at is None:
        return []
    trainer = named.get("trainer")
    if trainer is None and Role.TRAINER in listener.speaker.roles:
        trainer = listener.speaker
    if trainer is None:  # a client's own trainer, or the named client's
        client = named.get("client") or listener.speaker
        trainer = next((p for p in listener.people if p.id == client.primary_trainer_id), None)
    if trainer is None or listener.works_at(trainer, when):
        return []
    return [f"{trainer.full_name} doesn't work at that time"]
