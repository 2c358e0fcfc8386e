"""The terminal channel: a person at the keyboard talks to the engine (`spotter chat`, `spotter say`).

The operator at the terminal is trusted (they hold the database), so
`--as WHO` speaks as that person: the first time, a chat identity on the
channel "terminal" is linked for them through the ordinary `LinkIdentity`
command, as the studio's system actor. Everything else is what any channel
does: an `Incoming` in, a `Reply` out, options shown numbered. State lives in
the store, so two `spotter say` calls continue one conversation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import func, or_, select

from bot.messages import Incoming, Option, Reply
from domain.actor import Actor
from domain.commands import LinkIdentity
from domain.model import ChatIdentity, InboxMessage, Notification, Person

if TYPE_CHECKING:
    from domain.store import Store

CHANNEL = "terminal"


class TerminalError(Exception):
    """Something the person at the terminal must fix (an unknown WHO, no option to press); a sentence."""


class Handler(Protocol):
    def handle(self, message: Incoming) -> Reply: ...


@dataclass(frozen=True)
class Shown:
    """A message the bot sent the person: its text and options (a reply, or a queued notification)."""

    text: str
    options: tuple[Option, ...]
    at: datetime | None = None


def find_person(store: Store, studio_id: uuid.UUID, who: str) -> Person:
    """The studio's person with this handle (with or without @) or e-mail address, case-insensitive."""
    wanted = who.strip().lstrip("@").lower()
    with store.sessions() as db:
        person = db.scalars(
            select(Person).where(
                Person.studio_id == studio_id,
                or_(func.lower(Person.handle) == wanted, func.lower(Person.email) == wanted),
            )
        ).first()
    if person is None:
        raise TerminalError(
            f"Nobody in the studio has the handle or e-mail {who!r} (see `spotter people list`)."
        )
    return person


def ensure_identity(store: Store, person: Person) -> str:
    """The person's terminal identity (their handle), linked now as the system actor if it is missing."""
    with store.sessions() as db:
        linked = db.scalars(
            select(ChatIdentity).where(
                ChatIdentity.channel == CHANNEL, ChatIdentity.external_id == person.handle
            )
        ).first()
    if linked is None:
        store.execute(
            Actor.system(person.studio_id, channel=CHANNEL), LinkIdentity(person.id, CHANNEL, person.handle)
        )
    elif linked.person_id != person.id:
        raise TerminalError(f"The terminal identity {person.handle!r} belongs to someone else.")
    return person.handle


def last_message(store: Store, person_id: uuid.UUID) -> Shown | None:
    """The last message the bot sent this person: their latest terminal reply or a notification, whichever is later."""
    with store.sessions() as db:
        inbox = db.scalars(
            select(InboxMessage)
            .where(InboxMessage.channel == CHANNEL, InboxMessage.person_id == person_id)
            .order_by(InboxMessage.received_at.desc())
            .limit(1)
        ).first()
        note = db.scalars(
            select(Notification)
            .where(Notification.recipient_id == person_id)
            .order_by(Notification.created_at.desc())
            .limit(1)
        ).first()
    shown_reply = None
    if inbox is not None:
        reply = Reply.from_json(inbox.reply)
        shown_reply = Shown(reply.text, reply.options, inbox.received_at)
    shown_note = _shown(note) if note is not None else None
    if shown_reply is None or (
        shown_note is not None and shown_note.at and shown_note.at > (shown_reply.at or shown_note.at)
    ):
        return shown_note
    return shown_reply


def notifications_since(store: Store, person_id: uuid.UUID, seen: set[uuid.UUID]) -> list[Shown]:
    """Notifications queued for the person that are not in `seen` (which is updated), oldest first."""
    with store.sessions() as db:
        rows = [
            n
            for n in db.scalars(
                select(Notification)
                .where(Notification.recipient_id == person_id)
                .order_by(Notification.created_at)
            )
            if n.id not in seen
        ]
    seen.update(n.id for n in rows)
    return [_shown(n) for n in rows]


def _shown(note: Notification) -> Shown:
    options = tuple(Option(str(o.get("label", "")), str(o.get("payload", ""))) for o in note.options or [])
    return Shown(note.text, options, note.created_at)


def choose(label: str, shown: Shown | None) -> Option:
    """The one option whose label contains `label` (case-insensitive), or a number ("2") counting from 1."""
    if shown is None or not shown.options:
        raise TerminalError("There is nothing to press: the bot's last message to you has no options.")
    text = label.strip()
    if text.isdigit() and 1 <= int(text) <= len(shown.options):
        return shown.options[int(text) - 1]
    matches = [o for o in shown.options if text.lower() in o.label.lower()]
    if len(matches) == 1:
        return matches[0]
    labels = ", ".join(o.label for o in shown.options)
    if not matches:
        raise TerminalError(f"No option matches {label!r}; the options are: {labels}.")
    raise TerminalError(f"{len(matches)} options match {label!r}; be more precise ({labels}).")


def render(text: str, options: tuple[Option, ...] = (), attachments: list[str] | None = None) -> str:
    """A message as the terminal shows it: the text, then the options numbered from 1."""
    lines = [text]
    lines.extend(f"  {i}. {o.label}" for i, o in enumerate(options, start=1))
    lines.extend(f"  (file saved: {name})" for name in attachments or [])
    return "\n".join(lines)


def save_attachments(reply: Reply, folder: Path) -> list[str]:
    """Write the reply's files into `folder` (never over an existing file); their paths."""
    saved = []
    for attachment in reply.attachments:
        target = folder / Path(attachment.filename).name
        stem, suffix, n = target.stem, target.suffix, 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}{suffix}"
        target.write_bytes(attachment.content)
        saved.append(str(target))
    return saved


class TerminalSession:
    """One person talking at the terminal; each call is one turn through the engine."""

    def __init__(
        self,
        store: Store,
        engine: Handler,
        person: Person,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.engine = engine
        self.person = person
        self.sender = ensure_identity(store, person)
        self.clock = clock or (lambda: datetime.now(UTC))

    def _send(self, **content: object) -> Reply:
        message = Incoming(
            channel=CHANNEL,
            sender_id=self.sender,
            message_id=f"terminal-{uuid.uuid4().hex}",
            at=self.clock(),
            **content,  # type: ignore[arg-type]
        )
        return self.engine.handle(message)

    def say(self, text: str) -> Reply:
        return self._send(text=text)

    def press(self, label: str) -> Reply:
        """Press the option of the bot's last message to this person whose label contains `label`."""
        option = choose(label, last_message(self.store, self.person.id))
        return self._send(press=option.payload)

    def press_option(self, option: Option) -> Reply:
        return self._send(press=option.payload)

    def voice(self, path: Path) -> Reply:
        try:
            audio = path.read_bytes()
        except OSError as error:
            raise TerminalError(f"I can't read {path}: {error.strerror}.") from error
        # Imported here: `bot.conversations` loads the conversation-test runner, which a text turn never needs.
        from bot.conversations.audio import audio_mime

        return self._send(audio=audio, audio_mime=audio_mime(path))
