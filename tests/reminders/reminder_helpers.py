"""A small studio for the reminders tests, built through the ordinary commands, and a recording channel."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from bot.messages import Reply
from domain.actor import Actor
from domain.commands import AddPerson, LinkIdentity
from domain.model import Role
from domain.notifications import queue
from domain.seed.studio import create_studio
from domain.store import Store


@dataclass
class Cast:
    studio_id: uuid.UUID
    ids: dict[str, uuid.UUID] = field(default_factory=dict)


def make_cast(
    store: Store, *, chats: dict[str, list[str]] | None = None, emails: dict[str, str] | None = None
) -> Cast:
    """admin ada, manager dana, trainer sarah, clients emma and john; `chats`: handle -> channels linked."""
    studio, _ = create_studio(store, "Northside Strength", "America/New_York", "USD")
    cast = Cast(studio.id)
    system = Actor.system(studio.id)
    started = store.clock()
    people = [
        ("ada", "Ada Admin", (Role.ADMIN,)),
        ("dana", "Dana Park", (Role.MANAGER,)),
        ("sarah", "Sarah Lee", (Role.TRAINER,)),
        ("emma", "Emma Wilson", (Role.CLIENT,)),
        ("john", "John Smith", (Role.CLIENT,)),
    ]
    for handle, name, roles in people:
        made = store.execute(system, AddPerson(handle, name, roles, (emails or {}).get(handle)))
        cast.ids[handle] = made.id
        for channel in (chats or {}).get(handle, []):
            store.execute(system, LinkIdentity(made.id, channel, f"{channel}-{handle}"))
            if hasattr(store.clock, "advance"):  # linked one after the other: that is their order
                store.clock.advance(seconds=1)
    if hasattr(store.clock, "set"):
        store.clock.set(started)
    return cast


def enqueue(
    store: Store,
    cast: Cast,
    handle: str,
    n: int = 1,
    kind: str = "booking",
    due_at: datetime | None = None,
    prefix: str = "t",
) -> list[uuid.UUID]:
    """`n` notifications for one person, queued the one way (domain.notifications.queue)."""

    def work(uow):  # type: ignore[no-untyped-def]
        out = []
        for i in range(n):
            row = queue(
                uow,
                cast.ids[handle],
                kind,
                f"message {prefix}{i}",
                [("OK", "noop:1")],
                dedupe_key=f"{prefix}:{handle}:{i}",
                due_at=due_at,
            )
            out.append(row.id)
        return out

    return store.run(Actor.system(cast.studio_id), work)


class Recording:
    """A channel that records what it was asked to send (optionally failing)."""

    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, external_id: str, reply: Reply) -> None:
        await asyncio.sleep(0)
        if self.fail:
            raise ConnectionError(f"{self.name} is down")
        self.sent.append((external_id, reply))
