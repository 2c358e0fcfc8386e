"""The per-message context an intent handler works with: who speaks, where, when, and what it may do.

A `Turn` wraps the message's unit of work (one transaction for the change, the
reply, the dialogue state and the notifications) and gives handlers one way to
do each thing:

- run a domain command (`execute`) or a query (`query`);
- find the person a mention means (`person`), asking "Which John?" when two match;
- ask for what is missing (`require`, `start_time`), offer a choice (`choose`),
  confirm something costly (`confirm`) — these raise `Ask`, which the engine
  turns into the reply while it keeps the question in the dialogue state; the
  answer re-runs the same handler with the slot filled;
- queue a notification for someone else (`notify`);
- answer (`reply`, `refuse`) with dates, times and money formatted one way
  (`when`, `day`, `clock`, `money`, `duration`).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import joinedload, lazyload

from bot import format as fmt
from bot.dialogue.state import DialogueState, Pending
from bot.messages import Attachment, Incoming, Option, Reply
from bot.people import Known, Resolution, resolve, visible_people
from domain import notifications
from domain.actor import Actor
from domain.commands import AddPerson, Undo, UpdatePerson
from domain.errors import NotFound
from domain.model import Person, Role, Studio
from domain.store import UnitOfWork

if TYPE_CHECKING:
    from bot.engine import Engine

T = TypeVar("T")

# Prefix of a person slot already resolved to an id (set when an option is chosen).
ID_PREFIX = "id:"

# Commands that may change the names, links or status the name resolver reads without adding a
# person (a new person changes the people fingerprint): the engine drops its roster cache after them.
PEOPLE_COMMANDS = (AddPerson, UpdatePerson, Undo)


class Ask(Exception):
    """Raised by a Turn method that needs an answer first; the engine replies with `reply`."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.text)
        self.reply = reply


class Turn:
    """Everything a handler needs for one message. Built by the engine; handlers never open transactions."""

    def __init__(
        self,
        engine: Engine,
        uow: UnitOfWork,
        message: Incoming,
        person: Person,
        state: DialogueState,
    ) -> None:
        self.engine = engine
        self.uow = uow
        self.message = message
        self.speaker = person
        self.person = Speaker(self, person)
        self.state = state
        self.intent: str = ""
        self.text: str = message.text or ""
        self._people: list[Known] | None = None
        self._savepoint: Any = None
        self.changed = False  # a command ran this turn
        self.people_changed = False  # a command that may rename or retire someone ran (see PEOPLE_COMMANDS)
        self.undo_note: str | None = None
        # The studio's people fingerprint as read with the sender (saves a query), if it was.
        self.people_fingerprint: tuple[object, ...] | None = None

    # --- who, where, when ---------------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def studio(self) -> Studio:
        return self.uow.studio

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.studio.tz)

    @property
    def now(self) -> datetime:
        """The message's time in the studio's zone (what "today" and "at 3pm" are relative to)."""
        return self.message.at.astimezone(self.tz)

    @property
    def role(self) -> str:
        """The speaker's main role: admin > manager > trainer > client."""
        return main_role(self.speaker)

    @property
    def channel(self) -> str:
        return self.message.channel

    @property
    def is_manager(self) -> bool:
        return self.actor.is_manager

    @property
    def is_trainer(self) -> bool:
        return self.actor.is_trainer

    @property
    def is_client(self) -> bool:
        return self.actor.is_client

    # --- the store ---------------------------------------------------------------------------

    def execute(self, command: Any) -> Any:
        """Run a domain command in this message's transaction (a refusal raises SpotterError, changing nothing)."""
        self.begin_changes()
        self.changed = True
        if isinstance(command, PEOPLE_COMMANDS):
            self.people_changed = True
        return self.uow.execute(command)

    def begin_changes(self) -> None:
        """Open the savepoint that a later question or refusal in this turn rolls back (once per turn)."""
        if self._savepoint is None or not self._savepoint.is_active:
            self._savepoint = self.uow.db.begin_nested()

    def rollback_changes(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.rollback()
        self._savepoint = None

    def keep_changes(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.commit()
        self._savepoint = None

    def query(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a domain query function `fn(uow, *args, **kwargs)` in this message's transaction."""
        return fn(self.uow, *args, **kwargs)

    def get_person(self, person_id: uuid.UUID) -> Person | None:
        # One query: roles joined, tags only if a handler reads them (selectin loads cost a query each).
        person = self.uow.db.get(
            Person, person_id, options=[lazyload(Person.tag_rows), joinedload(Person.role_rows)]
        )
        return person if person is not None and person.studio_id == self.actor.studio_id else None

    # --- people ------------------------------------------------------------------------------

    @property
    def people(self) -> list[Known]:
        """The active people the speaker may name (light records: id, full_name, handle, roles,
        primary_trainer_id, first_name; loaded once per message). `get_person(id)` gives the row."""
        if self._people is None:
            # After a change this turn the fingerprint read at the start may be stale: read it again.
            fingerprint = None if self.changed else self.people_fingerprint
            self._people = visible_people(
                self.uow, self.speaker, self.engine.studio_people(self.uow, fingerprint)
            )
        return self._people

    def resolve(self, mention: str, role: Role | str | None = None) -> Resolution:
        """Who a mention means among the people the speaker may see (no question asked)."""
        return resolve(mention, self.people, role)

    def find_person(
        self,
        slots: dict[str, Any],
        name: str,
        *,
        role: Role | str | None = None,
        question: str | None = None,
        required: bool = True,
    ) -> Person | None:
        """The person `slots[name]` means; asks when it is missing, ambiguous or unknown.

        Missing and `required` -> asks `question` (default "Which client?").
        Two or more match -> "Which John?" with their full names as options.
        None match -> "I don't know anyone called X." with the closest names as options.
        An answer fills `slots[name]` and re-runs the handler.
        """
        value = slots.get(name)
        question = question or f"Which {name.replace('_', ' ')}?"
        if value is None or (isinstance(value, str) and not value.strip()):
            if not required:
                return None
            self.ask(slots, name, question, kind="person", options=self._role_options(role))
        if isinstance(value, str) and value.startswith(ID_PREFIX):
            try:
                chosen = self.get_person(uuid.UUID(value[len(ID_PREFIX) :]))
            except ValueError:
                chosen = None
            if chosen is not None:
                return chosen
            slots.pop(name, None)
            self.ask(slots, name, question, kind="person", options=self._role_options(role))
        mention = str(value)
        found = self.resolve(mention, role)
        if found.person is not None:
            if role is not None and Role(role) == Role.TRAINER and Role.TRAINER not in found.person.roles:
                slots.pop(name, None)
                self.ask(
                    slots,
                    name,
                    f"{found.person.full_name} isn't a trainer. {question}",
                    kind="person",
                    options=self._role_options(role),
                    error=True,
                )
            person = found.person if isinstance(found.person, Person) else self.get_person(found.person.id)
            if person is None:
                raise NotFound(f"I can't find {found.person.full_name} any more.")
            return person
        if found.candidates:
            first = found.candidates[0].first_name
            same_first = all(p.first_name.lower() == first.lower() for p in found.candidates)
            words = f"Which {first}?" if same_first else f"Who do you mean by “{mention}”?"
            self.choose(
                slots,
                name,
                words,
                [(p.full_name, f"{ID_PREFIX}{p.id.hex}") for p in found.candidates],
                kind="person",
            )
        text = f"I don't know anyone called {mention}."
        if found.suggestions:
            self.choose(
                slots,
                name,
                text + " Did you mean one of these?",
                [(p.full_name, f"{ID_PREFIX}{p.id.hex}") for p in found.suggestions],
                kind="person",
                error=True,
            )
        if not required:
            raise NotFound(text)
        slots.pop(name, None)
        self.ask(slots, name, f"{text} {question}", kind="person", error=True)
        raise AssertionError("unreachable")

    def _role_options(self, role: Role | str | None, limit: int = 8) -> list[tuple[str, str]]:
        """The trainers as options when a trainer is asked for (a short list only)."""
        if role is None or Role(role) != Role.TRAINER:
            return []
        trainers = sorted((p for p in self.people if Role.TRAINER in p.roles), key=lambda p: p.full_name)
        if not trainers or len(trainers) > limit:
            return []
        return [(p.full_name, f"{ID_PREFIX}{p.id.hex}") for p in trainers]

    # --- time --------------------------------------------------------------------------------

    def start_time(
        self,
        slots: dict[str, Any],
        question: str,
        *,
        name: str = "start",
        period_name: str = "period",
    ) -> datetime:
        """A point in time from `slots[name]`; a day without a clock time asks "What time on Fri, Mar 13?"."""
        value = slots.get(name)
        if isinstance(value, datetime):
            if value.tzinfo is None or getattr(value.tzinfo, "key", None) == self.tz.key:
                # The wall clock as said, unconverted: a time the clocks skip (02:30 on a
                # spring-forward night) stays itself, so the domain refuses it with a sentence.
                return value.replace(tzinfo=self.tz)
            return value.astimezone(self.tz)
        period = slots.get(period_name)
        if period_name and isinstance(period, tuple | list) and len(period) == 2:
            a, b = period
            if (b - a) <= timedelta(days=1, hours=1):
                self.ask(slots, name, f"What time on {fmt.day(a, self.tz)}?", kind="time")
        self.ask(slots, name, question, kind="time")
        raise AssertionError("unreachable")

    # --- questions ---------------------------------------------------------------------------

    def ask(
        self,
        slots: dict[str, Any],
        name: str,
        question: str,
        *,
        kind: str = "slot",
        options: Sequence[tuple[str, Any]] = (),
        error: bool = False,
    ) -> None:
        """Ask for slot `name`; the answer (typed, or an option pressed) fills it and re-runs the handler."""
        pending = Pending(
            intent=self.intent,
            slots=dict(slots),
            question=question,
            awaiting=name,
            kind=kind,
            qid=secrets.token_hex(3),
            options=[{"label": label, "slot": name, "value": value} for label, value in options],
        )
        self.state.pending = pending
        raise Ask(Reply(question, self._options(pending), error=error))

    def choose(
        self,
        slots: dict[str, Any],
        name: str,
        question: str,
        choices: Sequence[tuple[str, Any]],
        *,
        kind: str = "choice",
        error: bool = False,
    ) -> None:
        """Offer `choices` (label, value) for slot `name`; choosing one sets it and re-runs the handler.

        Values must be JSON-able or datetimes. A typed answer may be the label, part of it, or its number.
        """
        self.ask(slots, name, question, kind=kind, options=choices, error=error)

    def confirm(self, slots: dict[str, Any], question: str, *, key: str = "confirmed") -> None:
        """Return when the person has said Yes to `question`; otherwise ask it (Yes/No) and stop here.

        "No" ends the request with "OK, nothing was changed." (the engine does that).
        """
        answer = slots.get(f"_{key}")
        if answer is True:
            return
        self.ask(slots, f"_{key}", question, kind="confirm", options=[("Yes", True), ("No", False)])

    def _options(self, pending: Pending) -> tuple[Option, ...]:
        return tuple(Option(o["label"], f"pick:{pending.qid}.{i}") for i, o in enumerate(pending.options))

    # --- after an action ---------------------------------------------------------------------

    def remember_action(self, session_id: uuid.UUID | None, slots: dict[str, Any], **extra: Any) -> None:
        """Remember the change just made, so a correction right after it ("no, 4pm") can redo it."""
        self.state.last_action = {
            "intent": self.intent,
            "session_id": session_id.hex if session_id else None,
            "slots": {k: v for k, v in slots.items() if not k.startswith("_")},
            "message_id": self.message.message_id,
            **extra,
        }
        self.state.turns_since_action = 0

    def notify(
        self,
        recipient: Person | uuid.UUID,
        kind: str,
        text: str,
        options: Iterable[Option] = (),
        dedupe_key: str | None = None,
        session_id: uuid.UUID | None = None,
        due_at: datetime | None = None,
    ) -> None:
        """Queue a notification for someone else, in this message's transaction (once per dedupe key)."""
        recipient_id = recipient if isinstance(recipient, uuid.UUID) else recipient.id
        if recipient_id == self.speaker.id:
            return
        self.begin_changes()
        notifications.queue(
            self.uow,
            recipient_id,
            kind,
            text,
            options,
            dedupe_key
            or f"{kind}:{session_id.hex if session_id else ''}:{self.message.channel}:{self.message.message_id}",
            session_id=session_id,
            due_at=due_at,
        )

    # --- replies and formatting -------------------------------------------------------------

    def reply(
        self,
        text: str,
        options: Iterable[Option] = (),
        attachments: Iterable[Attachment] = (),
    ) -> Reply:
        return Reply(text, tuple(options), tuple(attachments))

    def refuse(self, text: str, options: Iterable[Option] = ()) -> Reply:
        """A polite refusal or "I didn't understand": nothing changed (error=True)."""
        return Reply(text, tuple(options), error=True)

    def when(self, value: datetime) -> str:
        """'Wed, Mar 11 at 3:00 PM' in the studio's zone."""
        return fmt.when(value, self.tz)

    def day(self, value: datetime) -> str:
        """'Wed, Mar 11'."""
        return fmt.day(value, self.tz)

    def clock(self, value: datetime) -> str:
        """'3:00 PM'."""
        return fmt.time_of_day(value, self.tz)

    def money(self, amount: Any) -> str:
        """'$1,234.50' in the studio's currency."""
        return fmt.money(amount, self.studio.currency)

    def duration(self, minutes: int) -> str:
        return fmt.duration(minutes)

    def name(self, person: Person | uuid.UUID | None) -> str:
        """A person's full name (the design: full names always)."""
        if person is None:
            return "someone"
        if isinstance(person, uuid.UUID):
            found = self.get_person(person)
            return found.full_name if found else "someone"
        return person.full_name


class Speaker:
    """`turn.person`: the speaker (reads like their Person) that is also callable as `turn.find_person`.

    Handlers read `turn.person.id`, `turn.person.full_name`, and call
    `turn.person(slots, "client", ...)` to resolve a mention; `turn.speaker` is
    the plain Person (use it where a real ORM object is needed).
    """

    __slots__ = ("_person", "_turn")

    def __init__(self, turn: Turn, person: Person) -> None:
        self._turn = turn
        self._person = person

    def __call__(self, slots: dict[str, Any], name: str, **kwargs: Any) -> Person | None:
        return self._turn.find_person(slots, name, **kwargs)

    def __getattr__(self, item: str) -> Any:
        return getattr(self._person, item)

    def __eq__(self, other: object) -> bool:
        return self._person.id == getattr(other, "id", other)

    def __hash__(self) -> int:
        return hash(self._person.id)

    def __repr__(self) -> str:
        return f"Speaker({self._person.full_name!r})"


def main_role(person: Person) -> str:
    """admin > manager > trainer > client."""
    for role in (Role.ADMIN, Role.MANAGER, Role.TRAINER, Role.CLIENT):
        if role in person.roles:
            return role.value
    return Role.CLIENT.value
