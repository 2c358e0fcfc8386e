"""Two identical studios in one store: one hears typed messages, the other voice messages.

"A spoken command does what the typed one does" is checked literally: each
command is typed to one studio and spoken to its twin, and the replies and the
resulting diaries and notifications must match. People are linked on their
studio's own channel ("typed-1", "voice-1", ...), with their handle as sender id.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.engine import Engine
from bot.messages import Incoming, Reply
from bot.people import Known, roster
from bot.turn import main_role
from domain.actor import Actor
from domain.commands import AddPerson, BookSession, LinkIdentity, LogSession, SellPackage, SetWorkingHours
from domain.model import Notification, Person, Role, Studio, TrainingSession
from domain.store import Store
from tests.studio_roster import HOURS, PEOPLE

TZ = ZoneInfo("America/New_York")
_ids = itertools.count(1)


def known_people() -> dict[str, Known]:
    """The studio's people as the engine's name resolver sees them (ids made up), by handle."""
    ids = {handle: uuid.uuid4() for handle, *_ in PEOPLE}
    return {
        h: Known(ids[h], name, h, frozenset(roles), ids.get(trainer)) for h, name, roles, trainer in PEOPLE
    }


# The parser's view of the speaker and the studio, as the engine gives it (bot/engine.py).
ROLE = {handle: main_role(person) for handle, person in known_people().items()}
ROSTER = roster(known_people().values())


def _person(mention: object) -> object:
    """A person slot as the studio member it names ("Sarah" and "Sarah Lee" are both Sarah Lee)."""
    if not isinstance(mention, str):
        return mention
    said = mention.lower().split()
    named = [name for _, name, _, _ in PEOPLE if said == name.lower().split()[: len(said)]]
    return named[0] if len(named) == 1 else mention.lower()


def frame(parser: Any, who: str, text: str, now: datetime) -> dict:
    """The parser's frame for `text` from `who`, person slots resolved to studio members."""
    parsed = parser.parse(text, now=now, role=ROLE[who], roster=ROSTER).to_dict()
    return {**parsed, "slots": {k: _person(v) for k, v in parsed["slots"].items()}}


def works_at(trainer: Any, start: datetime) -> bool:
    """Whether HOURS take a session starting then (what the store's working hours answer)."""
    return any(day == start.weekday() and opens <= start.time() < closes for day, opens, closes in HOURS)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


class Twin:
    """One studio of the pair, spoken to on `channel`."""

    def __init__(self, store: Store, engine: Engine, channel: str, diary: tuple = ()) -> None:
        self.store = store
        self.engine = engine
        self.channel = channel
        with store.sessions() as db, db.begin():
            studio = Studio(name="Northside Strength", tz="America/New_York", currency="USD")
            db.add(studio)
            db.flush()
            self.studio_id = studio.id
        system = Actor.system(self.studio_id, channel)
        self.people: dict[str, Any] = {}
        for handle, name, roles, trainer in PEOPLE:
            person = store.execute(
                system, AddPerson(handle, name, roles, primary_trainer_id=self.people.get(trainer))
            )
            self.people[handle] = person.id
            if Role.TRAINER in roles:
                store.execute(system, SetWorkingHours(person.id, HOURS))
            if Role.CLIENT in roles:
                store.execute(system, SellPackage(person.id, 10, Decimal("80")))
            store.execute(system, LinkIdentity(person.id, channel, handle))
        for trainer, client, start, how in diary:
            command = BookSession if how == "book" else LogSession
            store.execute(system, command(self.people[trainer], self.people[client], local(start)))
        self.last: dict[str, Reply] = {}

    def send(self, who: str, **content: Any) -> Reply:
        reply = self.engine.handle(
            Incoming(
                channel=self.channel,
                sender_id=who,
                message_id=f"m{next(_ids)}",
                at=self.store.clock(),
                **content,
            )
        )
        self.last[who] = reply
        return reply

    def press(self, who: str, label: str) -> Reply:
        options = [o for o in self.last[who].options if o.label == label]
        assert options, f"no option {label!r} in {self.last[who].options}"
        return self.send(who, press=options[0].payload)

    def snapshot(self) -> dict[str, Any]:
        """The studio's diary, notifications and tags, by handle (comparable across the twins)."""
        handles = {v: k for k, v in self.people.items()}
        with self.store.sessions() as db:
            sessions = db.scalars(
                select(TrainingSession).where(TrainingSession.studio_id == self.studio_id)
            ).all()
            notes = db.scalars(select(Notification).where(Notification.studio_id == self.studio_id)).all()
            people = db.scalars(select(Person).where(Person.studio_id == self.studio_id)).all()
            return {
                "sessions": sorted(
                    (
                        handles.get(s.trainer_id),
                        handles.get(s.client_id),
                        s.start_local.isoformat(),
                        str(s.status),
                    )
                    for s in sessions
                ),
                "notifications": sorted((handles.get(n.recipient_id), n.kind, n.text) for n in notes),
                "tags": sorted((p.handle, tuple(sorted(p.tags))) for p in people),
            }


def same_reply(typed: Reply, spoken: Reply) -> bool:
    """The spoken reply is "I heard: ..." and then what the typed message got (labels, not payloads)."""
    heard, _, rest = spoken.text.partition("\n")
    return (
        heard.startswith("I heard: ")
        and rest == typed.text
        and [o.label for o in typed.options] == [o.label for o in spoken.options]
        and typed.error == spoken.error
    )
