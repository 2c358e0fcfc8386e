"""Playing one conversation file's turns against the engine and checking each one.

Turns go to the engine as a channel "test" sender whose external id is the
speaker's handle, at the turn's time on a fake clock. The runner remembers the
last message the bot sent each person (a reply, or a notification queued for
them — whichever came later) so that `press:` finds its option there.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from bot.conversations.audio import audio_mime
from bot.conversations.checks import Outcome, Sent, check_turn
from bot.conversations.report import Failure, FileResult
from bot.conversations.scheduler import tick
from bot.conversations.setup import CHANNEL, Cast
from bot.conversations.spec import Conversation, Turn, to_instant
from bot.messages import Incoming, Reply
from domain.errors import SpotterError
from domain.model import Notification, Person
from domain.seed.demo import SimulatedClock
from domain.store import Store


class Handler(Protocol):
    def handle(self, message: Incoming) -> Reply: ...


def turn_times(conversation: Conversation, tz: str, start: datetime) -> list[datetime]:
    """Each turn's aware time: its `at`, else one minute after the previous turn (`start` for the first)."""
    times: list[datetime] = []
    previous = start - timedelta(minutes=1)
    for turn in conversation.turns:
        when = to_instant(turn.at, tz) if turn.at is not None else previous + timedelta(minutes=1)
        times.append(when)
        previous = when
    return times


def play(
    conversation: Conversation,
    times: list[datetime],
    engine: Handler,
    store: Store,
    clock: SimulatedClock,
    cast: Cast,
    result: FileResult,
) -> None:
    """Play every turn in order, appending each failed check to `result`."""
    last: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}  # handle -> (text, options)
    seen = _notification_ids(store)
    stem = conversation.path.stem
    for turn, when in zip(conversation.turns, times, strict=True):
        clock.now = when.astimezone(UTC)
        reply: Reply | None = None
        problem: tuple[str, str] | None = None
        try:
            if turn.kind == "tick":
                tick(store, when)
            else:
                message = _message(turn, when, f"{stem}-{turn.number}-{uuid.uuid4().hex[:8]}", last)
                reply = engine.handle(message)
        except _TurnProblem as trouble:
            problem = (turn.kind, str(trouble))
        except Exception as error:  # noqa: BLE001 - a crashing engine is a failed turn, not a crashed run
            problem = ("answered", f"the engine raised {type(error).__name__}: {error}")
        queued = _new_notifications(store, cast, seen)
        for sent in queued:
            last[sent.to] = (sent.text, sent.options)
        if reply is not None and turn.sender:
            last[turn.sender.lower()] = (reply.text, tuple((o.label, o.payload) for o in reply.options))
        outcome = Outcome(reply, tuple(queued), is_tick=turn.kind == "tick", problem=problem)
        try:
            made, failures = check_turn(turn.number, turn.expect, outcome, store, cast)
        except SpotterError as error:
            made, failures = 1, [Failure(turn.number, "expect", "checks that can be evaluated", str(error))]
        result.checks += made
        result.failures.extend(failures)


class _TurnProblem(Exception):
    """The turn cannot be sent as written (no option matches a press, the audio file is missing)."""


def _message(
    turn: Turn, when: datetime, message_id: str, last: dict[str, tuple[str, tuple[tuple[str, str], ...]]]
) -> Incoming:
    sender = str(turn.sender)
    base: dict[str, Any] = {"channel": CHANNEL, "sender_id": sender, "message_id": message_id, "at": when}
    if turn.kind == "say":
        return Incoming(text=str(turn.value), **base)
    if turn.kind == "press":
        return Incoming(press=choose(turn.value, last.get(sender.lower())), **base)
    path = Path(turn.value)
    try:
        audio = path.read_bytes()
    except OSError as error:
        raise _TurnProblem(f"the audio file {path} cannot be read: {error.strerror}") from error
    mime = audio_mime(path)
    return Incoming(audio=audio, audio_mime=mime, **base)


def choose(label: str, message: tuple[str, tuple[tuple[str, str], ...]] | None) -> str:
    """The payload of the one option whose label contains `label` (case-insensitive)."""
    if message is None:
        raise _TurnProblem(f"press {label!r}: the bot has not sent this person anything yet")
    text, options = message
    matches = [payload for shown, payload in options if label.lower() in shown.lower()]
    if len(matches) == 1:
        return matches[0]
    labels = [shown for shown, _ in options]
    if not matches:
        raise _TurnProblem(
            f"press {label!r}: no option of the last message matches (options: {labels}; message: {text[:200]!r})"
        )
    raise _TurnProblem(f"press {label!r}: {len(matches)} options match (options: {labels})")


def _notification_ids(store: Store) -> set[uuid.UUID]:
    with store.sessions() as db:
        return set(db.scalars(select(Notification.id)))


def _new_notifications(store: Store, cast: Cast, seen: set[uuid.UUID]) -> list[Sent]:
    """Notifications queued since the last look, oldest first; `seen` is updated."""
    with store.sessions() as db:
        rows = [
            n
            for n in db.scalars(select(Notification).order_by(Notification.created_at, Notification.id))
            if n.id not in seen
        ]
        unknown = {n.recipient_id for n in rows if cast.handle_of(n.recipient_id) is None}
        handles = (
            dict(db.execute(select(Person.id, Person.handle).where(Person.id.in_(unknown))).all())
            if unknown
            else {}
        )
    out = []
    for n in rows:
        seen.add(n.id)
        to = cast.handle_of(n.recipient_id) or handles.get(n.recipient_id, str(n.recipient_id))
        options = tuple((str(o.get("label", "")), str(o.get("payload", ""))) for o in n.options or [])
        out.append(Sent(to, n.text, options))
    return out
