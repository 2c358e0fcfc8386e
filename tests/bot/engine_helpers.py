"""A small studio for the engine's tests, built through the ordinary domain commands.

    world = World.build(store, clock)
    reply = world.say("sarah", "log session with Emma at 3pm")
    world.press("sarah", "John Doe")        # the option of sarah's last reply whose label contains it

Each person is linked to the "test" channel with their handle as the sender id.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.engine import Engine
from bot.messages import Incoming, Reply
from domain.actor import Actor
from domain.commands import AddPerson, LinkIdentity, SellPackage, SetWorkingHours
from domain.model import InboxMessage, Notification, Person, Role, Studio, TrainingSession
from domain.store import Store
from tests.studio_roster import HOURS, PEOPLE

TZ = ZoneInfo("America/New_York")
_ids = itertools.count(1)


@dataclass
class World:
    store: Store
    clock: Any
    engine: Engine
    studio_id: Any
    people: dict[str, Any] = field(default_factory=dict)
    last: dict[str, Reply] = field(default_factory=dict)

    @classmethod
    def build(cls, store: Store, clock: Any, engine: Engine | None = None) -> World:
        with store.sessions() as db, db.begin():
            studio = Studio(name="Northside Strength", tz="America/New_York", currency="USD")
            db.add(studio)
            db.flush()
            studio_id = studio.id
        world = cls(store, clock, engine or Engine(store), studio_id)
        system = Actor.system(studio_id, "test")
        for handle, name, roles, trainer in PEOPLE:
            person = store.execute(
                system,
                AddPerson(handle, name, roles, primary_trainer_id=world.people[trainer] if trainer else None),
            )
            world.people[handle] = person.id
            if Role.TRAINER in roles:
                store.execute(system, SetWorkingHours(person.id, HOURS))
            if Role.CLIENT in roles:
                store.execute(system, SellPackage(person.id, 10, Decimal("80")))
            if handle != "nolink":
                store.execute(system, LinkIdentity(person.id, "test", handle))
        return world

    def at(self, when: str) -> None:
        self.clock.set(datetime.fromisoformat(when).replace(tzinfo=TZ))

    def message(
        self, who: str, text: str | None = None, press: str | None = None, mid: str | None = None
    ) -> Incoming:
        return Incoming(
            channel="test",
            sender_id=who,
            message_id=mid or f"m{next(_ids)}",
            at=self.clock(),
            text=text,
            press=press,
        )

    def say(self, who: str, text: str, mid: str | None = None) -> Reply:
        reply = self.engine.handle(self.message(who, text, mid=mid))
        self.last[who] = reply
        return reply

    def press(self, who: str, label: str) -> Reply:
        last = self.last.get(who)
        options = list(last.options if last else ()) + [
            o for n in self.notifications(who) for o in n["options"]
        ]
        chosen = [
            o for o in options if label.lower() in (o.label if hasattr(o, "label") else o["label"]).lower()
        ]
        assert chosen, f"no option {label!r} in {options}"
        first = chosen[0]
        payload = first.payload if hasattr(first, "payload") else first["payload"]
        reply = self.engine.handle(self.message(who, press=payload))
        self.last[who] = reply
        return reply

    def press_payload(self, who: str, payload: str) -> Reply:
        reply = self.engine.handle(self.message(who, press=payload))
        self.last[who] = reply
        return reply

    def sessions(self) -> list[dict[str, Any]]:
        handles = {v: k for k, v in self.people.items()}
        with self.store.sessions() as db:
            rows = db.scalars(select(TrainingSession).order_by(TrainingSession.start_at)).all()
            return [
                {
                    "id": r.id,
                    "trainer": handles.get(r.trainer_id),
                    "client": handles.get(r.client_id),
                    "start": r.start_local,
                    "status": r.status,
                }
                for r in rows
            ]

    def notifications(self, who: str | None = None) -> list[dict[str, Any]]:
        handles = {v: k for k, v in self.people.items()}
        with self.store.sessions() as db:
            rows = db.scalars(select(Notification).order_by(Notification.created_at, Notification.id)).all()
            return [
                {
                    "to": handles.get(n.recipient_id),
                    "text": n.text,
                    "options": n.options,
                    "kind": n.kind,
                    "status": n.status,
                    "key": n.dedupe_key,
                }
                for n in rows
                if who is None or handles.get(n.recipient_id) == who
            ]

    def inbox_count(self) -> int:
        with self.store.sessions() as db:
            return int(db.scalar(select(func.count()).select_from(InboxMessage)) or 0)

    def person(self, handle: str) -> Person:
        with self.store.sessions() as db:
            person = db.get(Person, self.people[handle])
            db.expunge(person)
            return person
