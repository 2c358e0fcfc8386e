"""The intents that change sessions: log, book, cancel, reschedule, no-show, note, validate, dispute.

Who is who depends on the speaker: a trainer is the trainer unless they name
another; a client is the client (and books with the trainer they name, else
their own); a manager names both (a missing one is asked for). Authorization
is the domain's: `require_role` refuses early (before asking questions), the
command itself decides the rest.

Each change tells the other party through the outbox (`turn.notify`): the
client is asked to confirm a logged session (options Confirm / It didn't
happen, payloads validate:<id> / dispute:<id>, which work whenever pressed),
the trainer hears of a client's booking, cancellation or dispute, the client
of a trainer's booking, move or cancellation.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr

from bot.dialogue.sessions import SESSION_SLOT, find_sessions, label, pick_session
from bot.intents.registry import corrects, intent, press
from bot.messages import Option, Reply
from bot.turn import ID_PREFIX, Turn
from domain import notifications
from domain.authz import require_role
from domain.availability import nearest_free_slots
from domain.commands import (
    AddNote,
    BookSession,
    CancelSession,
    DisputeSession,
    LogSession,
    MarkNoShow,
    RescheduleSession,
    Undo,
    ValidateSession,
)
from domain.errors import Conflict, DoubleBooking, InvalidInput, NotFound, SpotterError
from domain.model import Person, Role, SessionStatus, TrainingSession
from domain.policy import is_late_cancel

S = SessionStatus
MAX_RECURRING = 52


# --- who is who ----------------------------------------------------------------------------------


def trainer_of(turn: Turn, slots: dict[str, Any], question: str = "Which trainer?") -> Person:
    """The session's trainer: named, else the speaker when they train, else a client's own trainer, else asked."""
    if slots.get("trainer"):
        found = turn.person(slots, "trainer", role=Role.TRAINER, question=question)
        assert found is not None
        return found
    if turn.is_trainer:
        return turn.speaker
    if turn.is_client and not turn.is_manager and turn.speaker.primary_trainer_id:
        own = turn.get_person(turn.speaker.primary_trainer_id)
        if own is not None:
            return own
    found = turn.person(slots, "trainer", role=Role.TRAINER, question=question)
    assert found is not None
    return found


def client_of(turn: Turn, slots: dict[str, Any], question: str = "Which client?") -> Person:
    """The session's client: the speaker when a client speaks, else named (asked for when missing)."""
    if turn.is_client and not (turn.is_manager or turn.is_trainer):
        return turn.speaker
    found = turn.person(slots, "client", role=Role.CLIENT, question=question)
    assert found is not None
    return found


def optional(turn: Turn, slots: dict[str, Any], name: str, role: Role) -> Person | None:
    return turn.person(slots, name, role=role, required=False)


def period_of(slots: dict[str, Any]) -> tuple[datetime, datetime] | None:
    value = slots.get("period")
    if isinstance(value, tuple | list) and len(value) == 2:
        return (value[0], value[1])
    return None


def the_other_party(turn: Turn, session: TrainingSession) -> list[uuid.UUID]:
    """Who besides the speaker a session change concerns: its client and its trainer."""
    return [p for p in (session.client_id, session.trainer_id) if p != turn.speaker.id]


def validation_options(session_id: uuid.UUID) -> tuple[Option, ...]:
    return (
        Option("Confirm", f"validate:{session_id.hex}"),
        Option("It didn't happen", f"dispute:{session_id.hex}"),
    )


def undo_replaced(turn: Turn, slots: dict[str, Any]) -> None:
    """A correction redoes an action: first take back the session it replaces (the speaker's last change)."""
    replaced = slots.get("_replaces")
    if not replaced:
        return
    result = turn.execute(Undo())
    try:
        same = uuid.UUID(str(result.entity_id)) == uuid.UUID(str(replaced))
    except ValueError:
        same = False
    if not same:
        raise Conflict(
            "I can't correct that any more: you've changed something else since. Say “undo” first."
        )
    notifications.withdraw(turn.uow, uuid.UUID(str(replaced)))


# --- log ------------------------------------------------------------------------------------------


@intent("log_session")
def log_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "log_session")
    if turn.is_manager and not turn.is_trainer:
        trainer = turn.person(slots, "trainer", role=Role.TRAINER, question="Which trainer gave the session?")
        assert trainer is not None
    else:
        trainer = trainer_of(turn, slots, "Which trainer gave the session?")
    client = client_of(turn, slots, "Who was the session with?")
    start = turn.start_time(slots, f"What time was the session with {client.full_name}?")
    if start > turn.now + timedelta(minutes=1):
        return turn.refuse(
            f"{turn.when(start)} hasn't happened yet, so I can't log it. To put it on the calendar, say "
            f"“book {client.first_name} {turn.day(start)} at {turn.clock(start)}”."
        )
    substitute = optional(turn, slots, "substitute_for", Role.TRAINER)
    undo_replaced(turn, slots)
    session: TrainingSession = turn.execute(
        LogSession(
            trainer_id=trainer.id,
            client_id=client.id,
            start=start,
            duration_minutes=slots.get("duration_minutes"),
            session_type=slots.get("session_type") or "standard",
            substitute_for_id=substitute.id if substitute else None,
            note=slots.get("note"),
        )
    )
    when = turn.when(session.start_at)
    turn.notify(
        client,
        "validation_request",
        f"{trainer.full_name} logged a session with you on {when} ({turn.duration(session.duration_minutes)}). "
        "Please confirm it took place so I can validate it.",
        validation_options(session.id),
        dedupe_key=f"validation_request:{session.id.hex}",
        session_id=session.id,
    )
    turn.remember_action(session.id, {**slots, "start": start})
    who = "" if trainer.id == turn.speaker.id else f" with {trainer.full_name}"
    cover = f", covering for {substitute.full_name}" if substitute else ""
    noted = " Note added." if (slots.get("note") or "").strip() else ""
    return turn.reply(
        f"Logged {client.full_name}'s session{who} on {when} ({turn.duration(session.duration_minutes)}{cover}). "
        f"I've asked {client.full_name} to confirm it.{noted}"
    )


@corrects("log_session")
def correct_log(turn: Turn, action: dict[str, Any], found: dict[str, Any]) -> Reply:
    """'no, 4pm' / 'I meant John Doe' right after a log: take it back and log it again as meant."""
    slots = corrected_slots(action.get("slots") or {}, found)
    slots["_replaces"] = action.get("session_id")
    return log_session(turn, slots)


def corrected_slots(old: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """The action's slots with the correction on top; a new day alone keeps the old clock time."""
    slots = {k: v for k, v in old.items() if not k.startswith("_")}
    start = slots.get("start")
    new = found.get("start") or found.get("new_start")
    if isinstance(new, datetime):
        if found.get("_clock_only") and isinstance(start, datetime):
            new = start.replace(hour=new.hour, minute=new.minute, fold=0)
        slots["start"] = new
        slots.pop("period", None)
    elif isinstance(found.get("period"), tuple | list) and isinstance(start, datetime):
        day = found["period"][0]
        slots["start"] = day.replace(hour=start.hour, minute=start.minute)
    for key in ("client", "trainer", "duration_minutes", "session_type", "substitute_for"):
        if key in found:
            slots[key] = found[key]
    return slots


# --- book -----------------------------------------------------------------------------------------


@intent("book_session")
def book_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "book_session")
    if turn.is_manager and not turn.is_trainer:
        trainer = turn.person(
            slots, "trainer", role=Role.TRAINER, question="Which trainer is the session with?"
        )
        assert trainer is not None
    else:
        trainer = trainer_of(turn, slots, "Which trainer would you like to book with?")
    client = client_of(turn, slots, "Which client is the session for?")
    start = turn.start_time(slots, f"When should I book {client.full_name} with {trainer.full_name}?")
    if start <= turn.now:
        return turn.refuse(
            f"{turn.when(start)} has already passed, so I can't book it. Please pick a time in the future."
        )
    undo_replaced(turn, slots)
    if slots.get("recurrence"):
        return book_series(turn, slots, trainer, client, start)
    try:
        session: TrainingSession = turn.execute(
            BookSession(
                trainer_id=trainer.id,
                client_id=client.id,
                start=start,
                duration_minutes=slots.get("duration_minutes"),
                session_type=slots.get("session_type") or "standard",
            )
        )
    except DoubleBooking as error:
        offer_alternatives(turn, slots, "start", error)
        raise
    except (Conflict, InvalidInput) as error:
        offer_free_times(turn, slots, "start", error, trainer, start, slots.get("duration_minutes"))
        raise
    announce_booking(turn, session, trainer, client)
    turn.remember_action(session.id, {**slots, "start": start})
    return turn.reply(
        f"Booked {client.full_name} with {trainer.full_name} on {turn.when(session.start_at)} "
        f"({turn.duration(session.duration_minutes)})."
    )


def offer_alternatives(turn: Turn, slots: dict[str, Any], name: str, error: DoubleBooking) -> None:
    """A conflict: the domain's sentence and the nearest free slots as options (choosing one books it)."""
    if not error.alternatives:
        return
    choices = [(turn.when(a), a.astimezone(turn.tz)) for a in error.alternatives[:4]]
    turn.choose(slots, name, f"{error} Would one of these work?", choices, kind="time", error=True)


def offer_free_times(
    turn: Turn,
    slots: dict[str, Any],
    name: str,
    error: SpotterError,
    trainer: Person,
    start: datetime,
    minutes: int | None,
    ignore: uuid.UUID | None = None,
) -> None:
    """A time the trainer can't take (outside their hours, time off): the refusal and their nearest free times."""
    try:
        free = turn.query(
            lambda uow: nearest_free_slots(
                uow.db,
                uow.studio,
                trainer.id,
                start,
                minutes,
                not_before=max(uow.now, turn.now),
                ignore_session_id=ignore,
            )
        )
    except SpotterError:
        return
    if not free or any(abs((f - start).total_seconds()) < 60 for f in free):
        return  # the refusal was not about the trainer's time
    offer_alternatives(turn, slots, name, DoubleBooking(str(error), free))


def announce_booking(turn: Turn, session: TrainingSession, trainer: Person, client: Person) -> None:
    """The trainer hears of a booking someone else made; the client of one made for them."""
    when = turn.when(session.start_at)
    speaker = turn.speaker
    if trainer.id != speaker.id:
        by = "" if client.id == speaker.id else f" ({speaker.full_name} booked it)"
        turn.notify(
            trainer,
            "booking",
            f"{client.full_name} booked a session with you on {when}{by}.",
            dedupe_key=f"booked:{session.id.hex}:{trainer.id.hex}",
            session_id=session.id,
        )
    if client.id != speaker.id:
        turn.notify(
            client,
            "booking",
            f"{speaker.full_name} booked you a session with {trainer.full_name} on {when}."
            if trainer.id != speaker.id
            else f"{trainer.full_name} booked you a session on {when}.",
            dedupe_key=f"booked:{session.id.hex}:{client.id.hex}",
            session_id=session.id,
        )


def tell_others(turn: Turn, session: TrainingSession, kind: str, what: str, key: str) -> None:
    """Tell the session's client and trainer (not the speaker) what the speaker did: "cancelled", "moved … to …"."""
    speaker = turn.speaker
    client, trainer = turn.name(session.client_id), turn.name(session.trainer_id)
    when = turn.when(session.start_at)
    for recipient in the_other_party(turn, session):
        if recipient == session.client_id:
            text = (
                f"{speaker.full_name} {what.format(whose='your', with_whom=f' with {trainer}', when=when)}."
            )
        elif speaker.id == session.client_id:
            text = f"{client} {what.format(whose='their', with_whom=' with you', when=when)}."
        else:
            text = (
                f"{speaker.full_name} {what.format(whose=f'{client}’s', with_whom=' with you', when=when)}."
            )
        turn.notify(recipient, kind, text, dedupe_key=f"{key}:{recipient.hex}", session_id=session.id)


def book_series(turn: Turn, slots: dict[str, Any], trainer: Person, client: Person, start: datetime) -> Reply:
    """A recurring booking: each occurrence is booked; the ones that can't be are listed, the rest kept."""
    rule = str(slots["recurrence"])
    try:
        naive = start.replace(tzinfo=None)
        occurrences = list(
            rrulestr(f"RRULE:{rule}", dtstart=naive, cache=False).xafter(naive, MAX_RECURRING, inc=True)
        )
    except (ValueError, TypeError):
        occurrences = [start.replace(tzinfo=None)]
    booked: list[TrainingSession] = []
    skipped: list[str] = []
    for occurrence in occurrences:
        when = occurrence.replace(tzinfo=turn.tz, fold=0)
        try:
            booked.append(
                turn.execute(
                    BookSession(
                        trainer_id=trainer.id,
                        client_id=client.id,
                        start=when,
                        duration_minutes=slots.get("duration_minutes"),
                        session_type=slots.get("session_type") or "standard",
                    )
                )
            )
        except SpotterError as error:
            if not booked and len(occurrences) == 1:
                raise
            skipped.append(f"{turn.when(when)} ({error})")
    if not booked:
        return turn.refuse("I couldn't book any of those sessions: " + "; ".join(skipped[:3]))
    for session in booked[:1]:
        announce_booking(turn, session, trainer, client)
    text = (
        f"Booked {len(booked)} sessions for {client.full_name} with {trainer.full_name}, "
        f"from {turn.when(booked[0].start_at)} to {turn.when(booked[-1].start_at)}."
    )
    if skipped:
        text += (
            f" I couldn't book {len(skipped)}: " + "; ".join(skipped[:3]) + ("…" if len(skipped) > 3 else "")
        )
    turn.remember_action(booked[0].id, {**slots, "start": start}, series=len(booked))
    return turn.reply(text)


@corrects("book_session")
def correct_book(turn: Turn, action: dict[str, Any], found: dict[str, Any]) -> Reply:
    """'no, 8am' right after a booking moves it; 'I meant John Doe' books the right person instead."""
    slots = corrected_slots(action.get("slots") or {}, found)
    moves_only = not any(k in found for k in ("client", "trainer"))
    if (
        moves_only
        and not action.get("series")
        and isinstance(slots.get("start"), datetime)
        and action.get("session_id")
    ):
        turn.intent = "reschedule_session"
        return reschedule_session(turn, {SESSION_SLOT: action["session_id"], "new_start": slots["start"]})
    slots["_replaces"] = action.get("session_id")
    return book_session(turn, slots)


# --- cancel / reschedule ----------------------------------------------------------------------------


def _mentioned(turn: Turn, slots: dict[str, Any]) -> tuple[Person | None, Person | None]:
    """The client and trainer a message about an existing session mentions (the speaker fills their own part)."""
    client = optional(turn, slots, "client", Role.CLIENT)
    trainer = optional(turn, slots, "trainer", Role.TRAINER)
    if client is None and trainer is None and not turn.is_manager and turn.is_client and not turn.is_trainer:
        client = turn.speaker
    return client, trainer


def _describe(turn: Turn, client: Person | None, trainer: Person | None, slots: dict[str, Any]) -> str:
    parts = []
    if client is not None and client.id != turn.speaker.id:
        parts.append(f"with {client.full_name}")
    if trainer is not None and trainer.id != turn.speaker.id:
        parts.append(f"with {trainer.full_name}")
    start = slots.get("start")
    period = period_of(slots)
    if isinstance(start, datetime):
        parts.append(f"on {turn.when(start)}")
    elif period is not None and period[1] - period[0] <= timedelta(days=1, hours=1):
        parts.append(f"on {turn.day(period[0])}")
    elif period is not None:
        parts.append(f"between {turn.day(period[0])} and {turn.day(period[1] - timedelta(minutes=1))}")
    return (" " + " ".join(parts)) if parts else ""


def _narrow_by_sessions(
    turn: Turn, slots: dict[str, Any], statuses: tuple[str, ...], future: bool | None
) -> dict[str, Any]:
    """An ambiguous name ("John") is settled by the sessions that fit: only one John has one -> him."""
    for name, role in (("client", Role.CLIENT), ("trainer", Role.TRAINER)):
        mention = slots.get(name)
        if not isinstance(mention, str) or mention.startswith(ID_PREFIX):
            continue
        found = turn.resolve(mention, role)
        if not found.ambiguous:
            continue
        start = slots.get("start") if isinstance(slots.get("start"), datetime) else None
        fitting = [
            p
            for p in found.candidates
            if find_sessions(
                turn,
                statuses=statuses,
                client=p if name == "client" else None,
                trainer=p if name == "trainer" else None,
                start=start,
                period=period_of(slots),
                future=future,
                limit=1,
            )
        ]
        if len(fitting) == 1:
            slots = slots | {name: f"{ID_PREFIX}{fitting[0].id.hex}"}
        elif len(fitting) > 1:
            first = fitting[0].first_name
            turn.choose(
                slots,
                name,
                f"Which {first}?",
                [(p.full_name, f"{ID_PREFIX}{p.id.hex}") for p in fitting],
                kind="person",
            )
    return slots


def _find_one(
    turn: Turn,
    slots: dict[str, Any],
    statuses: tuple[str, ...],
    future: bool | None,
    none: str,
    question: str,
) -> TrainingSession:
    if isinstance(slots.get(SESSION_SLOT), str):
        return pick_session(turn, slots, [], none=none)
    slots = _narrow_by_sessions(turn, slots, statuses, future)
    client, trainer = _mentioned(turn, slots)
    start = slots.get("start") if isinstance(slots.get("start"), datetime) else None
    candidates = find_sessions(
        turn,
        statuses=statuses,
        client=client,
        trainer=trainer,
        start=start,
        period=period_of(slots),
        future=future,
    )
    return pick_session(
        turn,
        slots,
        candidates,
        none=none.format(what=_describe(turn, client, trainer, slots)),
        question=question,
    )


@intent("cancel_session")
def cancel_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "cancel_session")
    session = _find_one(
        turn,
        slots,
        (S.SCHEDULED,),
        True,
        "I can't find an upcoming booked session{what}.",
        "Which session should I cancel?",
    )
    studio = turn.studio
    late = is_late_cancel(session, studio, turn.uow.now) and session.start_at > turn.uow.now
    uses_credit = late and studio.late_cancel_uses_credit and session.holds_credit
    if uses_credit:
        turn.confirm(
            slots | {SESSION_SLOT: session.id.hex},
            f"{label(turn, session)} is less than {studio.late_cancel_hours} hours away, so cancelling now "
            f"uses {turn.name(session.client_id)}'s credit. Cancel it anyway?",
        )
    cancelled: TrainingSession = turn.execute(CancelSession(session.id))
    client, trainer = turn.name(cancelled.client_id), turn.name(cancelled.trainer_id)
    when = turn.when(cancelled.start_at)
    tell_others(
        turn,
        cancelled,
        "cancellation",
        "cancelled {whose} session{with_whom} on {when}",
        f"cancelled:{cancelled.id.hex}",
    )
    turn.state.last_action = None
    note = (
        " It was a late cancel, so the credit is used."
        if cancelled.late_cancel and cancelled.holds_credit
        else ""
    )
    return turn.reply(f"Cancelled {client}'s session with {trainer} on {when}.{note}")


@intent("reschedule_session")
def reschedule_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "reschedule_session")
    session = _find_one(
        turn,
        slots,
        (S.SCHEDULED,),
        True,
        "I can't find an upcoming booked session{what}.",
        "Which session should I move?",
    )
    slots = slots | {SESSION_SLOT: session.id.hex}
    new_start = turn.start_time(
        slots, f"When should I move {label(turn, session)} to?", name="new_start", period_name=""
    )
    if new_start <= turn.now:
        return turn.refuse(f"{turn.when(new_start)} has already passed. Please pick a time in the future.")
    old = session.start_at
    try:
        moved: TrainingSession = turn.execute(RescheduleSession(session.id, new_start))
    except DoubleBooking as error:
        offer_alternatives(turn, slots, "new_start", error)
        raise
    except (Conflict, InvalidInput) as error:
        offer_free_times(
            turn,
            slots,
            "new_start",
            error,
            turn.get_person(session.trainer_id) or turn.speaker,
            new_start,
            session.duration_minutes,
            ignore=session.id,
        )
        raise
    client, trainer = turn.name(moved.client_id), turn.name(moved.trainer_id)
    when, was = turn.when(moved.start_at), turn.when(old)
    tell_others(
        turn,
        moved,
        "reschedule",
        f"moved {{whose}} session{{with_whom}} from {was} to {{when}}",
        f"moved:{moved.id.hex}:{moved.start_at:%Y%m%d%H%M}",
    )
    turn.state.last_action = None
    return turn.reply(f"Moved {client}'s session with {trainer} to {when} (was {was}).")


# --- no-show / note ---------------------------------------------------------------------------------


@intent("mark_no_show")
def mark_no_show(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "mark_no_show")
    session = _find_one(
        turn,
        slots,
        (S.SCHEDULED, S.PENDING_VALIDATION),
        False,
        "I can't find a session{what} that has started.",
        "Which session was missed?",
    )
    marked: TrainingSession = turn.execute(MarkNoShow(session.id))
    client, trainer = turn.name(marked.client_id), turn.name(marked.trainer_id)
    when = turn.when(marked.start_at)
    notifications.withdraw(turn.uow, marked.id, ["validation_request"])
    turn.notify(
        marked.client_id,
        "no_show",
        f"You were marked as a no-show for your session with {trainer} on {when}.",
        dedupe_key=f"no_show:{marked.id.hex}",
        session_id=marked.id,
    )
    credit = " The credit is used." if marked.holds_credit else ""
    return turn.reply(f"Marked {client} as a no-show for {when}.{credit}")


@intent("add_note")
def add_note(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "add_note")
    note = (slots.get("note") or "").strip()
    client, trainer = _mentioned(turn, slots)
    if client is None and not isinstance(slots.get(SESSION_SLOT), str):
        client = turn.person(
            slots, "client", role=Role.CLIENT, question="Which client's session is the note for?"
        )
    if not note:
        turn.ask(slots, "note", "What should the note say?")
    statuses = (S.SCHEDULED, S.PENDING_VALIDATION, S.VALIDATED, S.NO_SHOW, S.DISPUTED)
    if isinstance(slots.get(SESSION_SLOT), str):
        session = pick_session(turn, slots, [], none="I can't find that session.")
    else:
        start = slots.get("start") if isinstance(slots.get("start"), datetime) else None
        period = period_of(slots)
        found = find_sessions(
            turn, statuses=statuses, client=client, trainer=trainer, start=start, period=period, future=False
        )
        if start is None and period is None:
            found = found[:1]  # the latest with that client
        if not found:
            found = find_sessions(
                turn,
                statuses=statuses,
                client=client,
                trainer=trainer,
                start=start,
                period=period,
                future=True,
            )[:1]
        session = pick_session(
            turn,
            slots,
            found,
            none=f"I can't find a session{_describe(turn, client, trainer, slots)} to add it to.",
        )
    turn.execute(AddNote(session.id, note))
    return turn.reply(
        f"Added the note to {turn.name(session.client_id)}'s session on {turn.when(session.start_at)}: “{note}”."
    )


# --- validate / dispute -------------------------------------------------------------------------------


@intent("validate_session")
def validate_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "validate_session")
    session = _find_one(
        turn,
        slots,
        (S.PENDING_VALIDATION, S.SCHEDULED),
        False,
        "I can't find a session{what} waiting for your confirmation.",
        "Which session do you want to confirm?",
    )
    return _validated(turn, session)


def waiting_for_confirmation(turn: Turn) -> bool:
    """Whether the speaker (a client) has a logged session waiting for their confirmation."""
    return bool(
        find_sessions(turn, statuses=(S.PENDING_VALIDATION,), client=turn.speaker, future=False, limit=1)
    )


def _validated(turn: Turn, session: TrainingSession) -> Reply:
    done: TrainingSession = turn.execute(ValidateSession(session.id))
    trainer = turn.name(done.trainer_id)
    when = turn.when(done.start_at)
    if done.client_id == turn.speaker.id:
        return turn.reply(f"Thanks! Your session with {trainer} on {when} is confirmed.")
    return turn.reply(f"Confirmed {turn.name(done.client_id)}'s session with {trainer} on {when}.")


@intent("dispute_session")
def dispute_session(turn: Turn, slots: dict[str, Any]) -> Reply:
    require_role(turn.actor, "dispute_session")
    session = _find_one(
        turn,
        slots,
        (S.PENDING_VALIDATION, S.VALIDATED),
        False,
        "I can't find a logged session{what} to dispute.",
        "Which session didn't happen?",
    )
    return _disputed(turn, session)


def _disputed(turn: Turn, session: TrainingSession) -> Reply:
    done: TrainingSession = turn.execute(DisputeSession(session.id))
    trainer, client = turn.name(done.trainer_id), turn.name(done.client_id)
    when = turn.when(done.start_at)
    turn.notify(
        done.trainer_id,
        "dispute",
        f"{client} says the session on {when} didn't happen, so it is now disputed. A manager will look into it.",
        dedupe_key=f"disputed:{done.id.hex}",
        session_id=done.id,
    )
    if done.client_id == turn.speaker.id:
        return turn.reply(
            f"Thanks for telling me. I've marked your session with {trainer} on {when} as disputed and told "
            f"{trainer}; a manager will look into it."
        )
    return turn.reply(f"Marked {client}'s session with {trainer} on {when} as disputed.")


def _session_from(turn: Turn, arg: str) -> TrainingSession:
    try:
        session = turn.uow.db.get(TrainingSession, uuid.UUID(arg))
    except ValueError:
        session = None
    if session is None or session.studio_id != turn.actor.studio_id:
        raise NotFound("I can't find that session any more.")
    return session


@press("validate")
def press_validate(turn: Turn, arg: str) -> Reply:
    """The Confirm button of a validation request: works whenever it is pressed."""
    return _validated(turn, _session_from(turn, arg))


@press("dispute")
def press_dispute(turn: Turn, arg: str) -> Reply:
    """The "It didn't happen" button of a validation request."""
    return _disputed(turn, _session_from(turn, arg))
