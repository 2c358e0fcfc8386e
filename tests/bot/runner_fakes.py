"""A tiny stand-in engine for the runner's own tests: a few fixed phrases, real domain commands.

The runner is tested on its own (loading, setup, turns, checks, report), so
its tests must not depend on what the real engine answers. This fake speaks a
handful of exact phrases and changes the store through the domain commands,
queuing notifications the way the engine does (rows in the outbox).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select

from bot.messages import Attachment, Incoming, Option, Reply
from domain.actor import Actor
from domain.commands import LogSession, ValidateSession
from domain.model import ChatIdentity, InboxMessage, Notification, Person
from domain.store import Store
from domain.timeutil import local


class FakeEngine:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[Incoming] = []

    def handle(self, message: Incoming) -> Reply:
        self.seen.append(message)
        return self.store.run(self._system(), lambda uow: self._handle(uow, message))

    def _system(self) -> Actor:
        with self.store.sessions() as db:
            person = db.scalars(select(Person)).first()
        assert person is not None
        return Actor.system(person.studio_id)

    def _handle(self, uow, message: Incoming) -> Reply:  # type: ignore[no-untyped-def]
        identity = uow.db.scalars(
            select(ChatIdentity).where(
                ChatIdentity.channel == message.channel, ChatIdentity.external_id == message.sender_id
            )
        ).first()
        if identity is None:
            return Reply("Hi! I don't know you yet; ask your studio for a link code.", error=True)
        me = uow.db.get(Person, identity.person_id)
        reply = self._answer(uow, message, me)
        # Like the real engine, the reply is kept in the inbox (the terminal's --press reads it).
        uow.db.add(
            InboxMessage(
                channel=message.channel, message_id=message.message_id, sender_id=message.sender_id,
                person_id=me.id, text=message.text, reply=reply.to_json(), received_at=uow.now,
            )
        )  # fmt: skip
        return reply

    def _answer(self, uow, message: Incoming, me: Person) -> Reply:  # type: ignore[no-untyped-def]
        actor = Actor.of(me, message.channel)
        if message.audio is not None:
            return Reply(
                f"Voice is not available yet ({message.audio_mime}, {len(message.audio)} bytes).", error=True
            )
        if message.press:
            kind, _, ref = message.press.partition(":")
            if kind == "validate":
                uow.actor = actor
                uow.execute(ValidateSession(uuid.UUID(ref)))
                return Reply("Thanks, confirmed.")
            return Reply(f"You picked {ref}.")
        text = (message.text or "").strip().lower()
        if text == "help":
            return Reply("I can log sessions: try 'log emma 15:00'.")
        if text == "which":
            return Reply("Which John?", (Option("John Smith", "pick:smith"), Option("John Doe", "pick:doe")))
        if text == "export":
            return Reply(
                "Here you are.", attachments=(Attachment("csv", "clients.csv", b"a,b\n", "text/csv"),)
            )
        if text == "silent":
            return Reply("")
        if text == "boom":
            raise RuntimeError("kaboom")
        match = re.fullmatch(r"log (\S+) (\d{1,2}):(\d{2})", text)
        if match:
            client = uow.db.scalars(select(Person).where(Person.handle == match.group(1))).one()
            day = message.at.astimezone(uow.studio.zone)
            start = local(
                datetime(day.year, day.month, day.day, int(match.group(2)), int(match.group(3))),
                uow.studio.tz,
            )
            uow.actor = actor
            session = uow.execute(LogSession(me.id, client.id, start))
            uow.db.add(
                Notification(
                    studio_id=me.studio_id,
                    recipient_id=client.id,
                    kind="validation_request",
                    dedupe_key=f"validate:{session.id}",
                    text=f"{me.full_name} logged a session with you; please confirm (validate) it.",
                    options=[
                        {"label": "Confirm", "payload": f"validate:{session.id}"},
                        {"label": "It didn't happen", "payload": f"dispute:{session.id}"},
                    ],
                    session_id=session.id,
                    created_at=uow.now,
                )
            )
            return Reply(f"Logged {client.full_name} at {start:%H:%M}.")
        return Reply("Sorry, I didn't understand.", error=True)
