"""The conversation engine: one message in, one reply out, in one transaction.

`Engine(store).handle(message)`:

1. the inbox: a (channel, message id) already handled gets its stored reply
   and no second effect (a concurrent twin that loses the race on the inbox's
   unique key gets the winner's reply);
2. the sender: a chat identity links them to a person; an unknown sender gets
   onboarding ("link CODE" / "/start CODE" redeems a code a manager issued);
3. the dialogue state (kept in the store, so a restart loses nothing);
4. a press runs the option's action; text is parsed (now = the message's time
   in the studio's zone, the speaker's role, the names they may see) and goes
   to the pending question, a correction, a follow-up, or the intent's handler;
5. the state, the inbox row with the reply and any notifications commit with
   the change itself.

A refusal (SpotterError) answers politely with error=True and changes nothing
(the handler's changes run in a savepoint). Anything unexpected rolls the whole message
back, inbox included, so the platform's retry is handled afresh.

Engine-local intents the parser's contract has no name for are recognised
here before parsing: "invite NAME" (a manager issues a link code by chat),
"link CODE" / "/start CODE" from someone already linked.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, Text, and_, bindparam, cast, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased, joinedload, lazyload

from bot import intents
from bot.dialogue.answers import PERSON_SLOTS, fill_slot, match_option, parse_fragment
from bot.dialogue.followups import correction_slots, looks_like_correction, looks_like_follow_up, merge
from bot.dialogue.state import DialogueState, Pending
from bot.intents.registry import CORRECTORS, INTENTS, LOCAL_RULES, PRESSES
from bot.messages import Incoming, Reply
from bot.people import Known, Resolution, load_people, people_fingerprint, roster
from bot.turn import Ask, Turn
from bot.voice import hear as _voice  # noqa: F401 - registers the "voice_heard" confirmation intent
from domain.actor import Actor
from domain.commands import LinkIdentity, RedeemLinkCode
from domain.errors import SpotterError
from domain.model import ChatIdentity, ConversationState, InboxMessage, Person, Studio
from domain.store import Store, UnitOfWork
from nlu.frame import Frame

log = logging.getLogger(__name__)

SORRY = Reply("Sorry, something went wrong on my side; nothing was changed. Please try again.", error=True)
ONBOARDING = "Hi! I don't know you yet. Ask your studio for a link code and send: link CODE"
MAX_TEXT = 4000
ATTEMPTS = 3
PEOPLE_TTL = 30.0  # seconds a cached roster may miss a rename made by another process
EMPTY_STATE = DialogueState().to_json()
_LINKED = "_already_linked"  # "link CODE" from someone already linked: a sentence, no intent
_LINK = re.compile(r"^\s*(?:/start|link|/link)\s+([A-Za-z0-9][A-Za-z0-9 -]{3,40})\s*$", re.I)
_INVITE = re.compile(
    r"^\s*(?:please\s+)?(?:invite|send (?:an? )?invite to|send (?:a )?link code to)\s+(.+?)\s*[.!]?\s*$", re.I
)


def local_match(text: str) -> tuple[str, dict[str, str]] | None:
    """(intent, slots) for an engine-local phrasing ("invite NAME", "link CODE"), read before the parser."""
    if _LINK.match(text):
        return _LINKED, {}
    invite = _INVITE.match(text)
    if invite:
        return "invite", {"name": invite.group(1)}
    for pattern, name in LOCAL_RULES:
        found = pattern.fullmatch(text)
        if found:
            return name, {k: v for k, v in found.groupdict().items() if v is not None}
    return None


def _correcting(state: DialogueState, text: str) -> bool:
    """Whether `text` may correct the change just made ("no, 4pm"), rather than ask anew."""
    return bool(state.last_action and state.turns_since_action <= 1 and looks_like_correction(text))


# Intents a pending question gives way to (anything else that is not an answer re-asks it).
_SMALL = {"out_of_scope", "affirm", "deny", "greet", "thanks", "help", "undo", "stop"}


def found_person(resolution: Resolution) -> bool:
    """Whether a mention named someone (one person, or several to choose from)."""
    return resolution.person is not None or bool(resolution.candidates)


def clean_text(text: str | None) -> str:
    """The message without control characters, at most MAX_TEXT characters (the parser cuts again at 500)."""
    if not text:
        return ""
    text = text[: MAX_TEXT * 2]
    out = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return re.sub(r"[ \t]+", " ", out).strip()[:MAX_TEXT]


def key(value: object, size: int = 200) -> str:
    """A platform id as stored: text without NUL bytes (PostgreSQL refuses them), at most `size` characters."""
    return str(value).replace("\x00", "")[:size]


class Saved(NamedTuple):
    """The dialogue state as stored: whether its row exists, and its JSON."""

    exists: bool
    state: dict[str, Any] | None


_INBOX_INSERT = insert(InboxMessage.__table__)
_STATES = ConversationState.__table__


@cache
def _known_sender_query() -> Select:  # type: ignore[type-arg]
    """The statement behind `Engine._known_sender`, built once (building it costs more than running it)."""
    seen = (
        select(cast(InboxMessage.reply, Text))
        .where(
            InboxMessage.channel == bindparam("channel"), InboxMessage.message_id == bindparam("message_id")
        )
        .scalar_subquery()
    )
    others = aliased(Person)
    count = select(func.count(others.id)).where(others.studio_id == Person.studio_id).scalar_subquery()
    newest = select(func.max(others.created_at)).where(others.studio_id == Person.studio_id).scalar_subquery()
    return (
        select(
            Person,
            Studio,
            ConversationState.person_id.label("has_state"),
            cast(ConversationState.state, Text).label("state"),
            seen,
            count,
            newest,
        )
        .join(ChatIdentity, ChatIdentity.person_id == Person.id)
        .join(Studio, Studio.id == Person.studio_id)
        .outerjoin(
            ConversationState,
            and_(ConversationState.person_id == Person.id, ConversationState.channel == bindparam("channel")),
        )
        .where(
            ChatIdentity.channel == bindparam("identity_channel"),
            ChatIdentity.external_id == bindparam("sender_id"),
        )
        .options(lazyload(Person.tag_rows), joinedload(Person.role_rows))
    )


class Engine:
    """Turns messages into actions and replies. Build once per process; `handle` is thread-safe per call."""

    def __init__(
        self, store: Store, parser: Any = None, *, channel_names: Mapping[str, str] | None = None
    ) -> None:
        self.store = store
        self._parser = parser
        # Which identity channel a message channel uses (e.g. {"test": "terminal"}); default: itself.
        self.channel_names = dict(channel_names or {})
        self._people_cache: dict[uuid.UUID, tuple[tuple[object, ...], float, list[Known]]] = {}
        intents.load()

    @property
    def parser(self) -> Any:
        if self._parser is None:
            from nlu import load_parser

            self._parser = load_parser()
            # The parser's (and spaCy's) objects live as long as the process: move them out of the
            # collector's sight, or every full collection rescans them (~100 ms pauses mid-message).
            gc.freeze()
        return self._parser

    # --- the front door ------------------------------------------------------------------------

    def handle(self, message: Incoming) -> Reply:
        """Answer one message, exactly once per (channel, message id)."""
        message = replace(
            message,
            channel=key(message.channel, 32),
            sender_id=key(message.sender_id),
            message_id=key(message.message_id),
        )
        for attempt in range(ATTEMPTS):
            try:
                return self._handle(message)
            except (IntegrityError, OperationalError) as error:
                # A concurrent delivery of the same message (the inbox's unique key) or a
                # write lock lost to another message: everything was rolled back, so look
                # again — the twin's reply is stored by now, or this attempt runs afresh.
                stored = self._stored_reply(message)
                if stored is not None:
                    return stored
                if attempt == ATTEMPTS - 1:
                    log.exception("message %s/%s failed: %s", message.channel, message.message_id, error)
                    return SORRY
                time.sleep(0.02 * (attempt + 1))
            except Exception:
                log.exception("message %s/%s failed", message.channel, message.message_id)
                return SORRY
        return SORRY

    def _stored_reply(self, message: Incoming) -> Reply | None:
        try:
            with self.store.sessions() as db:
                data = db.scalar(
                    select(InboxMessage.reply).where(
                        InboxMessage.channel == message.channel,
                        InboxMessage.message_id == key(message.message_id),
                    )
                )
                return Reply.from_json(data) if data is not None else None
        except Exception:
            log.exception("inbox lookup failed")
            return None

    def _handle(self, message: Incoming) -> Reply:
        with self.store.sessions() as db, db.begin():
            known = self._known_sender(db, message)
            if known is not None:
                person, studio, saved, seen, fingerprint = known
                if seen is not None:
                    return Reply.from_json(json.loads(seen))
            else:  # an unknown (or inactive) sender: the inbox, then the ordinary identification
                studio, saved, fingerprint = None, None, None
                data = db.scalar(
                    select(InboxMessage.reply).where(
                        InboxMessage.channel == message.channel,
                        InboxMessage.message_id == key(message.message_id),
                    )
                )
                if data is not None:
                    return Reply.from_json(data)
                person = self._sender(db, message)
            reply = (
                self._onboard(db, message)
                if person is None
                else self._converse(db, message, person, studio, saved, fingerprint)
            )
            db.flush()  # the handler's and the dialogue state's changes
            # The inbox row as a plain insert: it is never read back in this transaction, and
            # the ORM's unit of work costs several times the statement itself.
            db.execute(
                _INBOX_INSERT,
                {
                    "id": uuid.uuid4(),
                    "channel": message.channel,
                    "message_id": key(message.message_id),
                    "sender_id": key(message.sender_id),
                    "person_id": person.id if person is not None else None,
                    "text": clean_text(message.text or message.press or "") or None,
                    "reply": reply.to_json(),
                    "received_at": self.store.clock(),
                },
            )
            return reply

    # --- who is speaking -----------------------------------------------------------------------

    def identity_channel(self, message: Incoming) -> str:
        return self.channel_names.get(message.channel, message.channel).strip().lower()

    def _known_sender(
        self, db: Session, message: Incoming
    ) -> tuple[Person, Studio, Saved, str | None, tuple[object, ...]] | None:
        """A linked, active sender in ONE statement: the person (with roles), their studio, their
        saved dialogue state, the stored reply if this message was handled before (JSON text),
        and the studio's people fingerprint (`people_fingerprint`) — None for anyone else.

        Every message needs all of these, so one round trip replaces five (inbox, identity,
        state, studio, fingerprint); the studio is handed to the unit of work, so
        `uow.studio` costs no query either.
        """
        row = (
            db.execute(
                _known_sender_query(),
                {
                    "channel": message.channel,
                    "message_id": message.message_id,
                    "identity_channel": self.identity_channel(message),
                    "sender_id": message.sender_id,
                },
            )
            .unique()
            .first()
        )
        if row is None or not row[0].active:
            return None
        person, studio, has_state, state, seen, count, newest = row
        saved = Saved(has_state is not None, json.loads(state) if state is not None else None)
        return person, studio, saved, seen, (count, newest)

    def _sender(self, db: Session, message: Incoming) -> Person | None:
        person = (
            db.scalars(
                select(Person)
                .join(ChatIdentity, ChatIdentity.person_id == Person.id)
                .where(
                    ChatIdentity.channel == self.identity_channel(message),
                    ChatIdentity.external_id == message.sender_id,
                )
                .options(lazyload(Person.tag_rows), joinedload(Person.role_rows))
            )
            .unique()
            .first()
        )
        if person is None and message.sender_email:
            person = self._link_by_email(db, message)
        return person if person is not None and person.active else None

    # --- first contact by a verified e-mail (Slack) --------------------------------------------

    def _link_by_email(self, db: Session, message: Incoming) -> Person | None:
        """Link an unknown sender whose platform vouches for their e-mail to the studio's person with it.

        The studio already knows who owns the address, so asking them for a link code
        would add nothing; the link goes through the ordinary LinkIdentity command (audited)
        as the system actor. No match, or an account already linked elsewhere: no link, and
        the sender gets the link-code onboarding as before.
        """
        email = (message.sender_email or "").strip().lower()
        studio_id = db.scalar(select(Studio.id).order_by(Studio.created_at).limit(1))
        if not email or studio_id is None:
            return None
        person = db.scalars(
            select(Person).where(Person.studio_id == studio_id, Person.email == email, Person.active)
        ).first()
        if person is None:
            return None
        channel = self.identity_channel(message)
        uow = UnitOfWork(db, Actor.system(studio_id, channel), self.store.clock())
        try:
            uow.execute(LinkIdentity(person.id, channel, message.sender_id))
        except SpotterError:
            return None
        return person

    # --- end of first contact by e-mail ---------------------------------------------------------

    def _onboard(self, db: Session, message: Incoming) -> Reply:
        """An unknown sender: redeem a link code if they sent one, else say how to get one."""
        found = _LINK.match(clean_text(message.text))
        if not found:
            return Reply(ONBOARDING, error=True)
        studio_id = db.scalar(select(Studio.id).order_by(Studio.created_at).limit(1))
        if studio_id is None:
            return Reply("There is no studio here yet, so there is nobody to link you to.", error=True)
        uow = UnitOfWork(db, Actor.system(studio_id, self.identity_channel(message)), self.store.clock())
        try:
            person = uow.execute(
                RedeemLinkCode(found.group(1).strip(), self.identity_channel(message), key(message.sender_id))
            )
        except SpotterError as error:
            return Reply(f"{error} {ONBOARDING.split('. ', 1)[-1]}", error=True)
        return Reply(f"Welcome, {person.full_name}! You're linked. Say “help” to see what I can do.")

    # --- the conversation ----------------------------------------------------------------------

    def _converse(
        self,
        db: Session,
        message: Incoming,
        person: Person,
        studio: Studio | None = None,
        saved: Saved | None = None,
        fingerprint: tuple[object, ...] | None = None,
    ) -> Reply:
        channel = message.channel
        if saved is None:
            found = db.execute(
                select(ConversationState.state).where(
                    ConversationState.person_id == person.id, ConversationState.channel == channel
                )
            ).first()
            saved = Saved(found is not None, found[0] if found is not None else None)
        state = DialogueState.from_json(saved.state)
        uow = UnitOfWork(db, Actor.of(person, channel), self.store.clock(), _studio=studio)
        turn = Turn(self, uow, message, person, state)
        turn.people_fingerprint = fingerprint
        before = json.dumps(saved.state if saved.exists else EMPTY_STATE, sort_keys=True, default=str)
        reply = self._dispatch(turn)
        if turn.people_changed:
            self._people_cache.pop(person.studio_id, None)  # someone may have been renamed or retired
        data = state.to_json()
        if json.dumps(data, sort_keys=True, default=str) != before:  # most messages leave it as it was
            # Plain statements: the row is only ever read and written here, one per message.
            values = {"state": data, "updated_at": uow.now}
            if saved.exists:
                db.execute(
                    update(_STATES).where(_STATES.c.person_id == person.id, _STATES.c.channel == channel),
                    values,
                )
            else:
                db.execute(insert(_STATES), {"person_id": person.id, "channel": channel, **values})
        return reply

    def studio_people(self, uow: UnitOfWork, fingerprint: tuple[object, ...] | None = None) -> list[Known]:
        """The studio's people for name resolution, cached across messages.

        Reloaded when someone joined (count / newest row differ), after this engine ran a
        command, and at most PEOPLE_TTL seconds old (a rename made by another process).
        `fingerprint`: `people_fingerprint(uow)` when the caller has already read it.
        """
        if fingerprint is None:
            fingerprint = people_fingerprint(uow)
        cached = self._people_cache.get(uow.actor.studio_id)
        now = time.monotonic()
        if cached is not None and cached[0] == fingerprint and cached[1] > now:
            return cached[2]
        everyone = load_people(uow)
        self._people_cache[uow.actor.studio_id] = (fingerprint, now + PEOPLE_TTL, everyone)
        return everyone

    def _dispatch(self, turn: Turn) -> Reply:
        message = turn.message
        state = turn.state
        if state.last_action is not None:
            state.turns_since_action += 1
        if message.press:
            return self._press(turn, message.press)
        text = clean_text(message.text)
        # --- voice (issue 6): transcribe, then exactly the text path below (bot/voice/hear.py) ---
        if message.audio is not None and not text:
            from bot.voice.hear import hear

            return hear(self, turn)
        # --- end of voice ---
        return self.dispatch_text(turn, text)

    def dispatch_text(self, turn: Turn, text: str) -> Reply:
        """The text path: typed text, or the transcript of a voice message."""
        state = turn.state
        turn.text = text
        if not text:
            return Reply("I didn't get any words there. Say “help” to see what I can do.", error=True)
        local = self._local_intent(turn, text)
        if local is not None:
            return local
        frame = self.parse(turn, text)
        pending = state.pending
        if pending is not None:
            answered = self._answer(turn, pending, text, frame)
            if answered is not None:
                return answered
        if _correcting(state, text):
            corrected = self._correct(turn, text, frame)
            if corrected is not None:
                return corrected
        if frame.intent == "out_of_scope" or (
            state.last_query and frame.intent == state.last_query["intent"] and looks_like_follow_up(text)
        ):
            followed = self._follow_up(turn, text, frame)
            if followed is not None:
                return followed
        return self.run(turn, frame.intent, dict(frame.slots))

    def parse(self, turn: Turn, text: str) -> Frame:
        """The parser's frame for a message from this speaker, now."""
        return self.parser.parse(text, now=turn.now, role=turn.role, roster=roster(turn.people))

    def fragment_parser(self, turn: Turn):  # type: ignore[no-untyped-def]
        people = roster(turn.people)
        return lambda text: self.parser.parse(text, now=turn.now, role=turn.role, roster=people)

    def run(self, turn: Turn, intent: str, slots: dict[str, Any]) -> Reply:
        """Run an intent's handler; a refusal or a question leaves nothing behind."""
        spec = INTENTS.get(intent) or INTENTS.get("out_of_scope")
        if spec is None:
            return Reply("Sorry, I can't help with that yet.", error=True)
        turn.intent = spec.name
        turn.state.pending = None
        reply = self.guarded(turn, lambda: spec.handler(turn, slots))
        if spec.follow_up and not reply.error:
            turn.state.last_query = {
                "intent": spec.name,
                "slots": {k: v for k, v in slots.items() if not k.startswith("_")},
            }
        return reply

    def guarded(self, turn: Turn, work: Callable[[], Reply]) -> Reply:
        """Run handler code so that a question (Ask) or a refusal (SpotterError) undoes all it changed.

        The savepoint is opened by the turn itself before its first change (`Turn.execute`,
        `Turn.notify`), so a handler that only reads costs no savepoint.
        """
        try:
            reply = work()
        except Ask as asked:
            turn.rollback_changes()
            return asked.reply
        except SpotterError as error:
            turn.rollback_changes()
            turn.state.pending = None
            return Reply(str(error), error=True)
        except BaseException:
            turn.rollback_changes()
            raise
        turn.keep_changes()
        return reply

    # --- answers to a pending question ---------------------------------------------------------

    def _answer(self, turn: Turn, pending: Pending, text: str, frame: Frame) -> Reply | None:
        """The pending question's answer, or None when the message is something else."""
        state = turn.state
        if frame.intent == "stop":
            state.pending = None
            return Reply("OK, never mind. Nothing was changed.")
        slots = dict(pending.slots)
        index = match_option(text, pending.options)
        if index is not None:
            return self._choose(turn, pending, index)
        if pending.kind == "confirm":
            if frame.intent == "affirm":
                return self._choose(turn, pending, 0)
            if frame.intent == "deny":
                return self._choose(turn, pending, 1)
        elif (
            frame.intent == "deny"
            and not frame.slots
            and len(text.split()) <= 2
            and not re.search(r"\d", text)
        ):
            state.pending = None
            return Reply("OK, never mind. Nothing was changed.")
        if frame.intent not in _SMALL and frame.intent in INTENTS and frame.intent != pending.intent:
            return None  # a new request: the question gives way
        if frame.intent == pending.intent and len(frame.slots) >= 2:
            return None  # the request said again in full
        if pending.awaiting and not pending.awaiting.startswith("_"):
            filled = fill_slot(self.fragment_parser(turn), pending, text)
            if filled:
                slots.update(filled)
                return self.run(turn, pending.intent, slots)
        if frame.intent in ("undo", "help"):
            return None
        return Reply(
            f"Sorry, I didn't catch that. {pending.question}", self._pending_options(pending), error=True
        )

    def _pending_options(self, pending: Pending) -> tuple:
        from bot.messages import Option

        return tuple(Option(o["label"], f"pick:{pending.qid}.{i}") for i, o in enumerate(pending.options))

    def _choose(self, turn: Turn, pending: Pending, index: int) -> Reply:
        option = pending.options[index]
        if pending.kind == "confirm" and option["value"] is False:
            turn.state.pending = None
            return Reply("OK, nothing was changed.")
        slots = dict(pending.slots)
        slots[option["slot"]] = option["value"]
        return self.run(turn, pending.intent, slots)

    # --- presses -------------------------------------------------------------------------------

    def _press(self, turn: Turn, payload: str) -> Reply:
        verb, _, arg = payload.partition(":")
        if verb == "pick":
            pending = turn.state.pending
            qid, _, index = arg.partition(".")
            if (
                pending is None
                or pending.qid != qid
                or not index.isdigit()
                or int(index) >= len(pending.options)
            ):
                return Reply("That question is no longer open. What would you like to do?", error=True)
            return self._choose(turn, pending, int(index))
        handler = PRESSES.get(verb)
        if handler is None:
            return Reply("Sorry, I don't know that button any more. What would you like to do?", error=True)
        turn.intent = f"press:{verb}"
        return self.guarded(turn, lambda: handler(turn, arg))

    # --- corrections and follow-ups ------------------------------------------------------------

    def _correct(self, turn: Turn, text: str, frame: Frame) -> Reply | None:
        action = turn.state.last_action or {}
        corrector = CORRECTORS.get(action.get("intent", ""))
        if corrector is None:
            return None
        found = correction_slots(self.fragment_parser(turn), action["intent"], text)
        if not found:
            return None
        turn.intent = action["intent"]
        return self.guarded(turn, lambda: corrector(turn, action, found))

    def _follow_up(self, turn: Turn, text: str, frame: Frame) -> Reply | None:
        """ "and last month?" / "what about Mike?": the last query again, with what this message changes."""
        last = turn.state.last_query
        if not last:
            return None
        cue = looks_like_follow_up(text)
        if frame.intent == "out_of_scope" and not cue and len(text.split()) > 4:
            return None
        found = dict(frame.slots) if frame.intent == last["intent"] else {}
        parse = self.fragment_parser(turn)
        if not found:
            found = parse_fragment(parse, last["intent"], text)
        if not found:
            found = parse_fragment(parse, last["intent"], text, person=True)
            mentions = [v for k, v in found.items() if k in PERSON_SLOTS and isinstance(v, str)]
            known = all(found_person(turn.resolve(m)) for m in mentions)
            if not mentions or not (cue or known):
                return None  # nonsense is not a name: it gets "what I can do"
        if not found:
            return None
        return self.run(turn, last["intent"], merge(last["slots"], found))

    # --- engine-local intents ------------------------------------------------------------------

    def _local_intent(self, turn: Turn, text: str) -> Reply | None:
        found = local_match(text)
        if found is None:
            return None
        name, slots = found
        if name == _LINKED:
            return Reply(f"You're already linked as {turn.speaker.full_name}.")
        return self.run(turn, name, slots)

    def in_context(self, turn: Turn, text: str) -> bool:
        """Whether the dialogue, not the parser alone, decides what `text` means here.

        The same tests as `dispatch_text` makes before it trusts the parser's frame: an
        engine-local phrase, a pending question, a correction of the last change, a follow-up
        to the last query. A voice note's alternative readings are not weighed then
        (bot/voice/choose.py judges a reading as a request on its own).
        """
        state = turn.state
        return (
            local_match(text) is not None
            or state.pending is not None
            or _correcting(state, text)
            or bool(state.last_query and looks_like_follow_up(text))
        )
