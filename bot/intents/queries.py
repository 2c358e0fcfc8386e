"""The reading intents: sessions, figures, commission, package balance, a trainer's free times.

Each handler turns the frame's slots into a domain query (`domain/queries/`,
`domain/commission/queries.py`) and the answer into a few short lines. The
domain decides who may see what; a refusal (`NotAllowed`) becomes a polite
answer with `error=True`. Defaults when a slot is missing: figures and
commission are for this month; a listing without a period shows the sessions
nearest to now. All of these remember their slots, so "and last month?" or
"what about Mike?" asks the same question again with one slot changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot import format as fmt
from bot.intents._periods import Period, as_period, month_words, this_month, whole_month, words
from bot.intents.registry import intent, press
from bot.intents.sessions import client_of
from bot.messages import Option, Reply
from bot.turn import ID_PREFIX, Turn
from domain.commission.queries import statement
from domain.model import Person, Role
from domain.queries.balance import client_balance
from domain.queries.period import Month
from domain.queries.projection import projection
from domain.queries.sessions import SessionView, list_sessions
from domain.queries.slots import free_slots
from domain.queries.stats import StatRow, stats

LIST_CAP = 10  # lines in a listing before "…and N more"
SLOT_OPTIONS = 5  # free times offered as options
LOOKAHEAD = timedelta(days=7)  # how far check_availability looks without a period

STATUS_WORDS = {
    "scheduled": "scheduled",
    "pending_validation": "pending validation",
    "validated": "validated",
    "disputed": "disputed",
    "cancelled": "cancelled",
    "no_show": "no-show",
    "completed": "completed",
}
METRIC_WORDS = {
    "sessions": "sessions",
    "validation_rate": "validation rate",
    "revenue": "revenue",
    "commission": "commission",
    "no_shows": "no-shows",
    "cancellations": "cancellations",
    "clients": "clients",
}
GROUP_WORDS = {
    "trainer": ("trainer", "trainers"),
    "client": ("client", "clients"),
    "location": ("location", "locations"),
    "session_type": ("session type", "session types"),
    "hour": ("hour", "hours"),
    "weekday": ("weekday", "weekdays"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
}
MONEY_METRICS = ("revenue", "commission")


# --- people in the slots ----------------------------------------------------------------------


@dataclass
class Who:
    """The client and trainer a question is about (None: not narrowed)."""

    client: Person | None = None
    trainer: Person | None = None

    def names(self) -> list[str]:
        return [p.full_name for p in (self.client, self.trainer) if p is not None]


def who(turn: Turn, slots: dict[str, Any]) -> Who:
    """Resolve the `client` and `trainer` mentions (asking "Which John?" when needed).

    The parser can only guess which role a bare name has ("Mike's sessions"),
    so a client mention that turns out to be a trainer filters by trainer, and
    the other way round.
    """
    found = Who()
    for name, role in (("client", Role.CLIENT), ("trainer", Role.TRAINER)):
        person = turn.person(slots, name, role=role, required=False)
        if person is None:
            continue
        is_trainer, is_client = Role.TRAINER in person.roles, Role.CLIENT in person.roles
        if name == "client" and is_trainer and not is_client:
            name = "trainer"
        elif name == "trainer" and is_client and not is_trainer:
            name = "client"
        if name == "client":
            found.client = person
        else:
            found.trainer = person
    return found


def possessive(turn: Turn, person: Person) -> str:
    return "Your" if person.id == turn.speaker.id else f"{person.full_name}'s"


# --- query_sessions ---------------------------------------------------------------------------


def session_line(view: SessionView) -> str:
    """'Wed, Mar 11 3:00 PM — Emma Wilson with Sarah Lee (pending validation)'."""
    notes = [STATUS_WORDS.get(view.status, view.status.replace("_", " "))]
    if view.session_type != "standard":
        notes.append(view.session_type)
    if view.substitute_for_name:
        notes.append(f"covering for {view.substitute_for_name}")
    if view.late_cancel and view.status == "cancelled":
        notes[0] = "cancelled late"
    return (
        f"{fmt.day(view.start)} {fmt.time_of_day(view.start)} — "
        f"{view.client_name} with {view.trainer_name} ({', '.join(notes)})"
    )


def nearest(views: list[SessionView], now: datetime, cap: int) -> list[SessionView]:
    """The `cap` sessions closest to now, in time order (a listing without a period)."""
    if len(views) <= cap:
        return views
    chosen = sorted(views, key=lambda v: abs(v.start - now))[:cap]
    return sorted(chosen, key=lambda v: v.start)


def _sessions_subject(turn: Turn, slots: dict[str, Any], people: Who, n: int, when: str) -> str:
    status = slots.get("status")
    kind = slots.get("session_type")
    adjectives = []
    if status == "scheduled" and not slots.get("period"):
        adjectives.append("upcoming")
    elif status:
        adjectives.append(STATUS_WORDS.get(status, status))
    if kind:
        adjectives.append(kind)
    noun = " ".join([*adjectives, "session" if n == 1 else "sessions"])
    parts = [noun]
    if people.client is not None and people.client.id != turn.speaker.id:
        parts.append(f"for {people.client.full_name}")
    if people.trainer is not None and people.trainer.id != turn.speaker.id:
        parts.append(f"with {people.trainer.full_name}")
    if slots.get("substitute"):
        parts.append("covered by a substitute")
    if when:
        parts.append(when)
    return " ".join(parts)


@intent("query_sessions", follow_up=True)
def query_sessions(turn: Turn, slots: dict[str, Any]) -> Reply:
    """List the sessions the speaker may see that match the slots, a few lines at most."""
    people = who(turn, slots)
    period = as_period(slots.get("period"), turn.tz)
    status = slots.get("status")
    start = end = None
    when = ""
    if period is not None:
        start, end = period
        when = words(period, turn.now)
    elif status == "scheduled":
        start = turn.now  # "my upcoming sessions"
    views = turn.query(
        list_sessions,
        trainer_id=people.trainer.id if people.trainer else None,
        client_id=people.client.id if people.client else None,
        start=start,
        end=end,
        status=status,
        session_type=slots.get("session_type"),
        substitute=True if slots.get("substitute") else None,
    )
    if not views:
        return turn.reply(f"No {_sessions_subject(turn, slots, people, 0, when)}.")
    shown = (
        views[:LIST_CAP] if period is not None or start is not None else nearest(views, turn.now, LIST_CAP)
    )
    head = f"{len(views)} {_sessions_subject(turn, slots, people, len(views), when)}:"
    lines = [head, *(session_line(v) for v in shown)]
    if len(views) > len(shown):
        lines.append(f"…and {len(views) - len(shown)} more.")
    return turn.reply("\n".join(lines))


# --- query_stats ------------------------------------------------------------------------------


def figure(turn: Turn, metric: str, value: Decimal | None) -> str:
    """A metric's value as people read it: '87%', '$1,234.50', '12'."""
    if value is None:
        return "n/a"
    if metric == "validation_rate":
        return f"{(value * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"
    if metric in MONEY_METRICS:
        return turn.money(value)
    return f"{int(value):,}"


def group_label(turn: Turn, group_by: str, row: StatRow) -> str:
    """A group's label in the studio's words (en_US days and hours, month names)."""
    key = row.key
    try:
        if group_by == "hour":
            hour = int(key)
            return f"{hour % 12 or 12}:00 {'AM' if hour < 12 else 'PM'}"
        if group_by == "day":
            return fmt.day(key)
        if group_by == "week":
            return f"week of {fmt.day(key)}"
        if group_by == "month":
            return month_words(Month.parse(str(key)))
        if group_by == "session_type":
            return str(key).replace("_", " ")
    except (TypeError, ValueError, AttributeError):
        pass
    return row.label


@intent("query_stats", follow_up=True)
def query_stats(turn: Turn, slots: dict[str, Any]) -> Reply:
    """One number ("Validation rate this month: 87%") or a short ranked list ("Top 3 trainers by revenue")."""
    group_by = slots.get("group_by")
    metric = slots.get("metric") or "sessions"
    limit = slots.get("limit")
    period = as_period(slots.get("period"), turn.tz) or this_month(turn.now)
    people = who(turn, slots)
    trainer = people.trainer  # none named: the domain limits a trainer to their own sessions anyway
    rows = turn.query(
        stats,
        metric,
        start=period[0],
        end=period[1],
        group_by=group_by,
        limit=int(limit) if limit and group_by else None,
        trainer_id=trainer.id if trainer else None,
        client_id=people.client.id if people.client else None,
    )
    what = METRIC_WORDS.get(metric, metric.replace("_", " "))
    when = words(period, turn.now)
    narrowed = " for " + fmt.names(people.names()) if people.names() else ""
    if group_by is None:
        if not rows:
            if metric == "validation_rate":
                return turn.reply(f"There are no logged sessions to rate{narrowed} {when}.")
            return turn.reply(f"{what.capitalize()}{narrowed} {when}: {figure(turn, metric, Decimal(0))}")
        return turn.reply(f"{what.capitalize()}{narrowed} {when}: {figure(turn, metric, rows[0].value)}")
    if not rows:
        return turn.reply(f"No {what}{narrowed} {when}.")
    one, many = GROUP_WORDS.get(group_by, (group_by, group_by + "s"))
    if limit:
        head = f"Top {int(limit)} {many} by {what}{narrowed} {when}:"
    else:
        head = f"{what.capitalize()} by {one}{narrowed} {when}:"
    lines = [head]
    for rank, row in enumerate(rows[: LIST_CAP * 2], 1):
        lines.append(f"{rank}. {group_label(turn, group_by, row)} — {figure(turn, metric, row.value)}")
    if len(rows) > LIST_CAP * 2:
        lines.append(f"…and {len(rows) - LIST_CAP * 2} more.")
    return turn.reply("\n".join(lines))


# --- commission_status ------------------------------------------------------------------------


def _difference(turn: Turn, current: Decimal, previous: Decimal, previous_words: str) -> str:
    gap = current - previous
    if gap > 0:
        return f"{turn.money(gap)} more than {previous_words} ({turn.money(previous)})"
    if gap < 0:
        return f"{turn.money(-gap)} less than {previous_words} ({turn.money(previous)})"
    return f"the same as {previous_words} ({turn.money(previous)})"


def _commission_trainer(turn: Turn, slots: dict[str, Any]) -> Person | None:
    """Whose commission: the one named, else the speaker if they train; None = every trainer (managers)."""
    named = turn.person(slots, "trainer", role=Role.TRAINER, required=False)
    if named is None and slots.get("client"):  # "what about Mike?" may land in `client`
        named = turn.person(slots, "client", role=Role.TRAINER, required=False)
    if named is not None:
        return named
    if turn.is_trainer:
        return turn.speaker
    return None


@intent("commission_status", follow_up=True)
def commission_status(turn: Turn, slots: dict[str, Any]) -> Reply:
    """A trainer's commission for a period (default: this month), projected or compared when asked."""
    trainer = _commission_trainer(turn, slots)  # the domain refuses another trainer's to a trainer
    if trainer is not None and Role.TRAINER not in trainer.roles:
        return turn.refuse(f"{trainer.full_name} isn't a trainer, so there's no commission to show.")
    period = as_period(slots.get("period"), turn.tz) or this_month(turn.now)
    current = Month.of(turn.now, turn.tz)
    month = whole_month(period)
    if trainer is None:
        return _studio_commission(turn, period)
    whose = possessive(turn, trainer)
    lines: list[str] = []
    if month is not None:
        found = statement(turn.uow.db, turn.actor, trainer.id, str(month))
        count = sum(1 for line in found.lines if line.kind == "session")
        state = (
            "approved"
            if found.status == "approved"
            else ("so far" if month == current else "not approved yet")
        )
        label = month_words(month)
        lines.append(
            f"{whose} commission for {label}: {turn.money(found.total)} "
            f"({fmt.count(count, 'validated session')}, {state})."
        )
        total = found.total
    else:
        rows = turn.query(stats, "commission", start=period[0], end=period[1], trainer_id=trainer.id)
        total = rows[0].value if rows else Decimal("0.00")
        lines.append(f"{whose} commission {words(period, turn.now)}: {turn.money(total)}.")
        month = None
    wants_projection = bool(slots.get("projection"))
    wants_compare = bool(slots.get("compare_previous"))
    if wants_projection and month == current:
        outlook = turn.query(projection, trainer.id)
        lines.append(
            f"On pace for {turn.money(outlook.at_pace.commission)} this month; "
            f"{turn.money(outlook.projected.commission)} if every booked session happens."
        )
        if wants_compare:
            previous = statement(turn.uow.db, turn.actor, trainer.id, str(current.previous)).total
            lines.append(
                "That would be "
                + _difference(turn, outlook.projected.commission, previous, month_words(current.previous))
                + "."
            )
            wants_compare = False
    if wants_compare:
        base = month or Month.of(period[0], turn.tz)
        previous = statement(turn.uow.db, turn.actor, trainer.id, str(base.previous)).total
        lines.append(
            ("So far that's " if base == current else "That's ")
            + _difference(turn, total, previous, month_words(base.previous))
            + "."
        )
    return turn.reply("\n".join(lines))


def _studio_commission(turn: Turn, period: Period) -> Reply:
    """Every trainer's commission for the period (a manager who names nobody)."""
    rows = turn.query(stats, "commission", start=period[0], end=period[1], group_by="trainer")
    when = words(period, turn.now)
    if not rows:
        return turn.reply(f"No commission earned {when} yet.")
    total = sum((r.value for r in rows), Decimal("0.00"))
    lines = [f"Commission {when}: {turn.money(total)} in total."]
    lines += [f"{i}. {r.label} — {turn.money(r.value)}" for i, r in enumerate(rows[: LIST_CAP * 2], 1)]
    return turn.reply("\n".join(lines))


# --- package_balance --------------------------------------------------------------------------


@intent("package_balance", follow_up=True)
def package_balance(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Sessions left in a client's packages: the speaker's own (a client) or a named client's."""
    client = turn.person(slots, "client", role=Role.CLIENT, required=False)
    if client is None:
        client = client_of(turn, slots, "Whose package?")
    balance = turn.query(client_balance, client.id)
    me = client.id == turn.speaker.id
    subject, have = ("You", "have") if me else (client.full_name, "has")
    if not balance.packages:
        return turn.reply(f"{subject} {have} no package yet.")
    live = [p for p in balance.packages if not p.expired and p.remaining > 0]
    text = f"{subject} {have} {fmt.count(balance.credits, 'session')} left"
    expiring = sorted(p.expires_at for p in live if p.expires_at is not None)
    if expiring and len(live) == 1:
        text += f" (expires {_date(turn, expiring[0])})"
    elif expiring:
        text += f" (the first expire {_date(turn, expiring[0])})"
    text += "."
    if balance.credits <= 0:
        text = f"{subject} {have} no sessions left."
    return turn.reply(text)


def _date(turn: Turn, value: datetime) -> str:
    shown = fmt.day(value, turn.tz)
    return (
        shown
        if value.astimezone(turn.tz).year == turn.now.year
        else f"{shown}, {value.astimezone(turn.tz).year}"
    )


# --- check_availability -----------------------------------------------------------------------


def spread(slots: list[datetime], n: int) -> list[datetime]:
    """Up to n free times in time order: on the hour first (7:00, 8:00 reads better than 7:00, 7:30),
    and over several days one day at a time (Mon 6:00, Tue 6:00…) rather than a whole first morning."""
    ordered = [s for s in slots if s.minute == 0] + [s for s in slots if s.minute != 0]
    by_day: dict[Any, list[datetime]] = {}
    for slot in ordered:
        by_day.setdefault(slot.date(), []).append(slot)
    chosen: list[datetime] = []
    for round_ in range(max((len(v) for v in by_day.values()), default=0)):
        for day in sorted(by_day):
            if len(chosen) < n and round_ < len(by_day[day]):
                chosen.append(by_day[day][round_])
    return sorted(chosen)


def _availability_trainer(turn: Turn, slots: dict[str, Any]) -> Person:
    trainer = turn.person(slots, "trainer", role=Role.TRAINER, required=False)
    if trainer is None and slots.get("client"):
        trainer = turn.person(slots, "client", role=Role.TRAINER, required=False)
    if trainer is None and turn.is_trainer:
        trainer = turn.speaker
    if trainer is None and turn.speaker.primary_trainer_id is not None:
        trainer = turn.get_person(turn.speaker.primary_trainer_id)
    if trainer is None:
        trainer = turn.person(slots, "trainer", role=Role.TRAINER, question="Which trainer?")
    assert trainer is not None
    return trainer


def _list_times(times: list[datetime], when: str = "") -> str:
    """': 6:00 AM, 7:00 AM and 8:00 AM' on one day named in `when`; else each with its day."""
    days = {t.date() for t in times}
    clocks = fmt.names([fmt.time_of_day(t) for t in times])
    if len(days) == 1:
        day = fmt.day(times[0])
        if day in when:
            return f"{when}: {clocks}"
        if when in ("today", "tomorrow"):
            return f"{when} ({day}): {clocks}"
        return f"{when + ' — ' if when else ''}{day} at {clocks}"
    return f"{when + ': ' if when else ''}" + "; ".join(fmt.when(t) for t in times)


@intent("check_availability", follow_up=True)
def check_availability(turn: Turn, slots: dict[str, Any]) -> Reply:
    """A trainer's free times in the period asked (or around the time asked); pressing one books it."""
    trainer = _availability_trainer(turn, slots)
    if Role.TRAINER not in trainer.roles:
        return turn.refuse(f"{trainer.full_name} isn't a trainer, so I can't check their free times.")
    now = turn.now
    start = slots.get("start")
    period = as_period(slots.get("period"), turn.tz)
    me = trainer.id == turn.speaker.id
    name, are = ("You", "are") if me else (trainer.full_name, "is")
    if isinstance(start, datetime):
        start = start.astimezone(turn.tz)
        if start <= now:
            return turn.refuse(f"{fmt.when(start)} has already passed; ask me about a time still to come.")
        around = turn.query(free_slots, trainer.id, max(now, start - LOOKAHEAD), start + LOOKAHEAD)
        if start in around:
            text = f"Yes, {name} {are} free {fmt.when(start)}."
            return _offer(turn, slots, trainer, text, [start])
        closest = sorted(sorted(around, key=lambda s: (abs(s - start), s))[:SLOT_OPTIONS])
        if not closest:
            return turn.reply(f"{name} {are} not free {fmt.when(start)}, nor at any time near it.")
        text = f"{name} {are} not free {fmt.when(start)}. The nearest free times: {_list_times(closest)}."
        return _offer(turn, slots, trainer, text, closest)
    first, last = period if period is not None else (now, now + LOOKAHEAD)
    when = words(period, now) if period is not None else "in the next 7 days"
    if last <= now:
        return turn.refuse(f"That's in the past; ask me about {trainer.full_name}'s free times to come.")
    found = turn.query(free_slots, trainer.id, max(first, now), last)
    if found:
        shown = spread(found, SLOT_OPTIONS)
        text = f"{name} {are} free {_list_times(shown, when)}."
        return _offer(turn, slots, trainer, text, shown)
    later = turn.query(free_slots, trainer.id, max(last, now), max(last, now) + LOOKAHEAD)
    if not later:
        return turn.reply(f"{name} {are} fully booked {when} and the week after.")
    shown = spread(later, SLOT_OPTIONS)
    text = f"{name} {are} fully booked {when}. The next free times: {_list_times(shown)}."
    return _offer(turn, slots, trainer, text, shown)


def _offer(turn: Turn, slots: dict[str, Any], trainer: Person, text: str, times: list[datetime]) -> Reply:
    """The free times as options whose press books that time (`press_book`), whenever it is pressed."""
    options = [Option(fmt.when(t, turn.tz), book_payload(trainer, t)) for t in times]
    return turn.reply(text + (" Book it?" if len(options) == 1 else " Pick one to book it."), options)


def book_payload(trainer: Person, start: datetime) -> str:
    """'book:<trainer hex>.<start in minutes since the epoch>' — 46 bytes, no secret."""
    return f"book:{trainer.id.hex}.{int(start.timestamp()) // 60}"


@press("book")
def press_book(turn: Turn, arg: str) -> Reply:
    """Hand a pressed free time to the booking intent: its questions, checks and notifications apply."""
    trainer_hex, _, minutes = arg.partition(".")
    try:
        trainer_id = uuid.UUID(trainer_hex)
        start = datetime.fromtimestamp(int(minutes) * 60, UTC).astimezone(turn.tz)
    except (ValueError, OverflowError):
        return turn.refuse("Sorry, I don't know that button any more. What would you like to do?")
    return turn.engine.run(turn, "book_session", {"trainer": f"{ID_PREFIX}{trainer_id.hex}", "start": start})
