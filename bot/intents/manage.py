"""The managing intents: approve commissions, export, join a waitlist, add and tag clients.

Each runs one domain command (or builds an export) in the message's
transaction; the domain decides who may. Approving a month's commissions
cannot be taken back, so it is always confirmed first, with the number of
trainers and the total the approval would freeze — computed by running the
approval itself in a savepoint that is rolled back, so the question and the
action can never disagree (and a refusal comes before the question).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from bot import exports
from bot import format as fmt
from bot.intents._periods import as_period, month_words, whole_month, words
from bot.intents.queries import STATUS_WORDS, who
from bot.intents.registry import intent
from bot.intents.sessions import client_of
from bot.messages import Attachment, Reply
from bot.turn import Turn
from domain.commands import AddPerson, TagClient
from domain.commission.approval import approve
from domain.commission.commands import ApproveCommissions
from domain.commission.statements import Statement
from domain.model import Person, Role, WaitlistEntry, WaitlistStatus
from domain.queries.period import Month
from domain.waitlist import JoinWaitlist

# --- approve_commissions ----------------------------------------------------------------------


def _month_to_approve(turn: Turn, slots: dict[str, Any]) -> Month:
    """The month named (a whole month, or the month a period starts in); default: last month."""
    period = as_period(slots.get("period"), turn.tz)
    if period is None:
        return Month.of(turn.now, turn.tz).previous
    return whole_month(period) or Month.of(period[0], turn.tz)


def preview_approval(turn: Turn, command: ApproveCommissions) -> list[Statement]:
    """What approving would freeze, without freezing it: the approval run in a rolled-back savepoint.

    Raises what the approval itself would (not a manager, month not over, already approved).
    """
    savepoint = turn.uow.db.begin_nested()
    try:
        return approve(turn.uow, command)
    finally:
        savepoint.rollback()


def _trainers_words(statements: list[Statement], trainer: Person | None) -> str:
    return trainer.full_name if trainer is not None else fmt.count(len(statements), "trainer")


@intent("approve_commissions")
def approve_commissions(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Confirm ("Approve March 2026 commissions for 6 trainers, total $X?"), then approve."""
    trainer = turn.person(slots, "trainer", role=Role.TRAINER, required=False)
    month = _month_to_approve(turn, slots)
    command = ApproveCommissions(str(month), trainer.id if trainer else None)
    label = month_words(month)
    preview = preview_approval(turn, command)
    total = sum((s.total for s in preview), Decimal("0.00"))
    who = _trainers_words(preview, trainer)
    turn.confirm(slots, f"Approve {label} commissions for {who}, total {turn.money(total)}?")
    approved: list[Statement] = turn.execute(command)
    total = sum((s.total for s in approved), Decimal("0.00"))
    for item in approved:
        turn.notify(
            item.trainer_id,
            "commission_approved",
            f"Your {label} commission statement was approved: {turn.money(item.total)}.",
            dedupe_key=f"commission_approved:{item.id.hex if item.id else item.trainer_id.hex}",
        )
    return turn.reply(
        f"Approved {label} commissions for {_trainers_words(approved, trainer)}, total {turn.money(total)}."
    )


# --- export -----------------------------------------------------------------------------------


@intent("export", follow_up=True)
def export(turn: Turn, slots: dict[str, Any]) -> Reply:
    """A CSV of sessions (period, trainer, client, status) or of clients (tag); managers only."""
    entity = slots.get("entity") or ("clients" if slots.get("tag") else "sessions")
    if entity == "clients":
        built = turn.query(exports.clients_csv, tag=slots.get("tag"))
        tagged = f" tagged “{slots['tag']}”" if slots.get("tag") else ""
        text = f"Here's the CSV of {fmt.count(built.rows, 'client')}{tagged}: {built.filename}."
    else:
        client = turn.person(slots, "client", role=Role.CLIENT, required=False)
        trainer = turn.person(slots, "trainer", role=Role.TRAINER, required=False)
        period = as_period(slots.get("period"), turn.tz)
        status = slots.get("status")
        built = turn.query(
            exports.sessions_csv,
            start=period[0] if period else None,
            end=period[1] if period else None,
            trainer_id=trainer.id if trainer else None,
            client_id=client.id if client else None,
            status=status,
            session_type=slots.get("session_type"),
            label=" ".join(p.full_name for p in (trainer, client) if p is not None),
        )
        narrowed = [
            f"with {trainer.full_name}" if trainer else "",
            f"for {client.full_name}" if client else "",
        ]
        when = words(period, turn.now) if period else ""
        noun = " ".join(filter(None, [STATUS_WORDS.get(status, status) if status else "", "session"]))
        what = " ".join(filter(None, [fmt.count(built.rows, noun), *narrowed, when]))
        text = f"Here's the CSV of {what}: {built.filename}."
    attachment = Attachment(kind="csv", filename=built.filename, content=built.content, mime=built.mime)
    return turn.reply(text, attachments=[attachment])


# --- join_waitlist ----------------------------------------------------------------------------


def _wish_words(start: datetime | None, period: tuple[datetime, datetime] | None, turn: Turn) -> str:
    """' for Fri, Mar 13 at 7:00 AM', ' on Fri, Mar 13', ' next week', or nothing (whenever)."""
    if start is not None:
        return f" for {fmt.when(start, turn.tz)}"
    if period is not None:
        return f" {words(period, turn.now)}"
    return ""


@intent("join_waitlist")
def join_waitlist(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Put a client (the speaker, if a client) on a trainer's waitlist (named, else their own trainer)."""
    people = who(turn, slots)  # the parser may put "put Emma on the waitlist" in `trainer`
    client, trainer = people.client, people.trainer
    if client is None:
        client = client_of(turn, slots, "Which client should wait?")
    if trainer is None and client.primary_trainer_id is not None:
        trainer = turn.get_person(client.primary_trainer_id)
    start = slots.get("start") if isinstance(slots.get("start"), datetime) else None
    period = as_period(slots.get("period"), turn.tz)
    if period is not None and period[0] < turn.now < period[1]:
        period = (turn.now, period[1])  # "this week": from now on
    waiting = set(
        turn.uow.db.scalars(
            select(WaitlistEntry.id).where(
                WaitlistEntry.client_id == client.id, WaitlistEntry.status == WaitlistStatus.WAITING.value
            )
        )
    )
    entry = turn.execute(
        JoinWaitlist(
            client.id,
            trainer.id if trainer else None,
            start=start,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
        )
    )
    already = entry.id in waiting  # the same wish again: the domain changed nothing
    whose = f"{trainer.full_name}'s waitlist" if trainer else "the waitlist"
    wish = _wish_words(start, as_period(slots.get("period"), turn.tz), turn)
    me = client.id == turn.speaker.id
    subject = "You're" if me else f"{client.full_name} is"
    if already:
        return turn.reply(f"{subject} already on {whose}{wish}.")
    if trainer is not None:
        turn.notify(
            trainer,
            "waitlist_joined",
            f"{client.full_name} joined your waitlist{wish}.",
            dedupe_key=f"waitlist_joined:{entry.id.hex}",
        )
    if not me:
        turn.notify(
            client,
            "waitlist_joined",
            f"{turn.speaker.full_name} put you on {whose}{wish}.",
            dedupe_key=f"waitlist_added:{entry.id.hex}",
        )
    tell = "I'll let you know" if me else f"I'll let {client.first_name} know"
    return turn.reply(f"{subject} on {whose}{wish}. {tell} if a slot opens.")


# --- add_client / tag_client -----------------------------------------------------------------


def handle_for(turn: Turn, full_name: str) -> str:
    """A free handle from a name: "Jane Doe" -> "jane.doe", then "jane.doe2", ... (ASCII, lower case)."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    base = ".".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:56] or "client"
    taken = set(
        turn.uow.db.scalars(
            select(Person.handle).where(
                Person.studio_id == turn.actor.studio_id,
                Person.handle.like(f"{base}%"),
            )
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def _tidy_name(name: str) -> str:
    """Words capitalised when typed all in lower case ("jane doe" -> "Jane Doe"); kept as typed otherwise."""
    name = " ".join(str(name).split())
    return name.title() if name == name.lower() else name


@intent("add_client")
def add_client(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Add a client (a trainer's own client when a trainer adds them) with a handle made from the name."""
    name = slots.get("name")
    if not isinstance(name, str) or not name.strip():
        turn.ask(slots, "name", "What's the new client's name?")
    full_name = _tidy_name(str(name))
    same = turn.uow.db.scalars(
        select(Person).where(
            Person.studio_id == turn.actor.studio_id,
            func.lower(Person.full_name) == full_name.lower(),
            Person.active.is_(True),
        )
    ).first()
    if same is not None:
        turn.confirm(slots, f"There's already someone called {same.full_name}. Add another {full_name}?")
    person = turn.execute(
        AddPerson(
            handle=handle_for(turn, full_name),
            full_name=full_name,
            roles=(Role.CLIENT,),
            email=slots.get("email"),
            phone=slots.get("phone"),
            primary_trainer_id=turn.speaker.id if turn.is_trainer and not turn.is_manager else None,
        )
    )
    details = ", ".join(filter(None, [person.email, person.phone]))
    trainer = " with you as their trainer" if person.primary_trainer_id == turn.speaker.id else ""
    return turn.reply(
        f"Added {person.full_name} as a client{trainer} (@{person.handle}{', ' + details if details else ''})."
    )


@intent("tag_client")
def tag_client(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Put a tag on a client; tagging twice says so and changes nothing."""
    client = turn.person(slots, "client", role=Role.CLIENT, question="Which client should I tag?")
    assert client is not None
    tag = slots.get("tag")
    if not isinstance(tag, str) or not tag.strip():
        turn.ask(slots, "tag", f"What tag should I put on {client.full_name}?")
    wanted = " ".join(str(tag).strip().lstrip("#").lower().split())
    had = wanted in client.tags
    updated = turn.execute(TagClient(client.id, wanted))
    if had:
        return turn.reply(f"{updated.full_name} is already tagged “{wanted}”.")
    return turn.reply(f"Tagged {updated.full_name} “{wanted}”.")
