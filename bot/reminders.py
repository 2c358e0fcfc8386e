"""One scheduler pass: the studio's rules, people's choices, the words, into the outbox.

`tick(store, at)` is what `spotter scheduler tick`, the scheduler inside
`spotter serve` and a conversation test's `tick: true` turn all run. For each
studio, in one transaction: the rules (domain/reminders/rules.py) say what is
due; each person's choices decide what happens to it —

- a stopped category is not sent;
- someone on a weekly digest gets no individual validation reminders or daily
  digests: their digest (at the studio's `report_weekday`/`report_time`) lists
  what is still open and folds in the other messages, which delivery held for it;
- in someone's quiet hours nothing is produced; the rule is still due at the
  first tick after them, so the reminder is deferred, not dropped (a reminder
  that could only arrive after its session began is not sent);

— and the rest is worded here and queued with its dedupe key. The pass also
puts stuck rows back in the queue and, with `clean=True`, deletes what is past
the retention period.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot import format as fmt
from bot.messages import Option
from domain import notifications, outbox
from domain.actor import Actor
from domain.model import Person, PersonRole, Role, Studio
from domain.reminders import kinds as K
from domain.reminders import rules
from domain.reminders.preferences import Prefs, load_prefs, quiet_until
from domain.store import Store, UnitOfWork

log = logging.getLogger("spotter.scheduler")
MAX_LISTED = 8
# Held messages a digest folds in without repeating them: its list of sessions to validate covers them.
COVERED = frozenset({K.VALIDATION_REQUEST, K.VALIDATION_REMINDER, K.TRAINER_DIGEST})


@dataclass
class TickResult:
    queued: dict[str, int] = field(default_factory=dict)  # kind -> rows queued by this pass
    deferred: int = 0  # held back by quiet hours (produced by a later tick)
    stopped: int = 0  # not produced: the person stopped that kind
    recovered: int = 0
    cleaned: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "queued": dict(sorted(self.queued.items())),
            "deferred": self.deferred,
            "stopped": self.stopped,
            "recovered": self.recovered,
            "cleaned": self.cleaned,
        }


def tick(store: Store, at: datetime | None = None, *, clean: bool = False) -> TickResult:
    """Run the scheduler once at `at` (aware; default: the store's clock)."""
    now = (at or store.clock()).astimezone(UTC)
    result = TickResult()
    with store.sessions() as db:
        studio_ids = list(db.scalars(select(Studio.id).order_by(Studio.created_at)))
    for studio_id in studio_ids:
        store.run(Actor.system(studio_id, "scheduler"), lambda uow: _studio_pass(uow, now, result))
    result.recovered = outbox.recover(store, now)
    if clean:
        result.cleaned = outbox.clean_up(store, now)
    return result


def _studio_pass(uow: UnitOfWork, now: datetime, result: TickResult) -> None:
    uow.now = now
    studio = uow.studio
    items = rules.due(uow, now)
    digest_people = _digest_people(uow)
    prefs = load_prefs(uow.db, studio, {d.recipient_id for d in items} | set(digest_people))
    for item in items:
        p = prefs[item.recipient_id]
        if p.stopped(item.kind):
            result.stopped += 1
            continue
        if p.digest and item.kind in COVERED:
            continue  # their weekly digest lists what is open; other kinds are held at delivery and folded in
        if quiet_until(p, studio.tz, now) is not None:
            result.deferred += 1
            continue
        text, options = render(item, studio)
        _queue(uow, result, item.recipient_id, item.kind, text, options, item.key, item.session_id)
    moment = rules.weekly_moment(studio, now)
    if moment is not None:
        for person_id, roles in digest_people.items():
            p = prefs[person_id]
            if p.stopped(K.WEEKLY_DIGEST) or quiet_until(p, studio.tz, now) is not None:
                continue
            _weekly_digest(uow, result, studio, person_id, roles, moment, now)


def _queue(
    uow: UnitOfWork,
    result: TickResult,
    recipient: uuid.UUID,
    kind: str,
    text: str,
    options: Any,
    key: str,
    session_id: uuid.UUID | None = None,
) -> None:
    if (
        notifications.queue(uow, recipient, kind, text, options, dedupe_key=key, session_id=session_id)
        is not None
    ):
        result.queued[kind] = result.queued.get(kind, 0) + 1


def _digest_people(uow: UnitOfWork) -> dict[uuid.UUID, set[str]]:
    """People of the studio who chose a weekly digest, with their roles."""
    from domain.model import NotificationPreference

    rows = uow.db.execute(
        select(Person.id, PersonRole.role)
        .join(NotificationPreference, NotificationPreference.person_id == Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.studio_id == uow.actor.studio_id,
            Person.active.is_(True),
            NotificationPreference.mode == "digest",
        )
    ).all()
    out: dict[uuid.UUID, set[str]] = {}
    for pid, role in rows:
        out.setdefault(pid, set()).add(role)
    return out


# --- the words ---------------------------------------------------------------------------------------


def _stop(category: str) -> Option:
    return Option("Stop these reminders", f"reminders:stop.{category}")


def render(item: rules.Due, studio: Studio) -> tuple[str, tuple[Option, ...]]:
    """The text and options of a due notification (en_US, the studio's zone and currency)."""
    from bot.intents.sessions import validation_options

    tz, f = studio.tz, item.facts
    if item.kind == K.VALIDATION_REMINDER:
        return (
            f"Reminder: {f['trainer']} logged a session with you on {fmt.when(f['start'], tz)}. "
            "Please confirm it took place so I can validate it.",
            (*validation_options(item.session_id), _stop("validation")),
        )
    if item.kind == K.VALIDATION_ESCALATION:
        return (
            f"{f['client']} still hasn't confirmed the session {f['trainer']} logged for {fmt.when(f['start'], tz)} "
            f"({fmt.count(f['days'], 'day')} ago, after reminders). Please check with them: validate it or mark "
            "it as not having happened.",
            (
                Option("Validate it", f"validate:{item.session_id.hex}"),
                Option("It didn't happen", f"dispute:{item.session_id.hex}"),
            ),
        )
    if item.kind == K.UPCOMING_REMINDER:
        start = f["start"]
        today = fmt.local(start, tz).date() == fmt.local(item.due_at, tz).date()
        day_word = "today" if today and f["hours"] < 24 else "coming up"
        late = (
            f" Cancelling now is a late cancel (less than {f['late_cancel_hours']} hours before the start), "
            "so it would use a credit."
            if f["late_cancel"]
            else ""
        )
        return (
            f"Reminder: your session with {f['trainer']} is {day_word}, {fmt.when(start, tz)}.{late}",
            (
                Option("Cancel", f"cancel:{item.session_id.hex}"),
                Option("Reschedule", f"reschedule:{item.session_id.hex}"),
                _stop("sessions"),
            ),
        )
    if item.kind == K.TRAINER_DIGEST:
        pending = f["pending"]
        listed = "; ".join(f"{name} ({fmt.when(start, tz)})" for name, start in pending[:MAX_LISTED])
        more = f"; and {len(pending) - MAX_LISTED} more" if len(pending) > MAX_LISTED else ""
        return (
            f"Good morning! {fmt.count(len(pending), 'session')} {'is' if len(pending) == 1 else 'are'} waiting "
            f"for your clients to validate: {listed}{more}.",
            (_stop("digest"),),
        )
    if item.kind == K.WEEKLY_REPORT:
        lines = []
        for name, counts in f["rows"]:
            v, p, d = (counts.get(s, 0) for s in ("validated", "pending_validation", "disputed"))
            total = v + p + d
            rate = f" ({round(100 * v / total)}%)" if total else ""
            lines.append(
                f"{name}: {fmt.count(total, 'session')}, {v} validated, {p} pending, {d} disputed{rate}"
            )
        return (
            f"Weekly validation report, {fmt.day(f['from'], tz)} – {fmt.day(f['to'], tz)}: "
            + "; ".join(lines)
            + ".",
            (_stop("reports"),),
        )
    if item.kind == K.RATE_ALERT:
        counts = f["counts"]
        total = sum(counts.values())
        return (
            f"Heads up: {f['trainer']}'s validation rate over the last {f['days']} days is {round(f['rate'] * 100)}%, "
            f"below {f['threshold']}% ({counts.get('validated', 0)} of {fmt.count(total, 'session')} validated).",
            (_stop("reports"),),
        )
    if item.kind == K.COMMISSION_REPORT:
        month = datetime.strptime(f["month"], "%Y-%m")
        total = sum((amount for _, amount in f["rows"]), start=type(f["rows"][0][1])(0))
        listed = "; ".join(f"{name} {fmt.money(amount, f['currency'])}" for name, amount in f["rows"])
        return (
            f"Commission report for {month:%B %Y}: {listed}. Total {fmt.money(total, f['currency'])}. "
            "Say “approve commissions” when you're ready.",
            (_stop("reports"),),
        )
    raise ValueError(f"no words for {item.kind!r}")


def _weekly_digest(
    uow: UnitOfWork,
    result: TickResult,
    studio: Studio,
    person_id: uuid.UUID,
    roles: set[str],
    moment: datetime,
    now: datetime,
) -> None:
    """One message for someone on a weekly digest: what is open for them, and what was held."""
    tz = studio.tz
    parts: list[str] = []
    options: list[Option] = []
    if Role.CLIENT.value in roles:
        pending = rules.pending_for_client(uow, person_id)
        if pending:
            listed = "; ".join(
                f"{trainer} on {fmt.when(start, tz)}" for _, trainer, start in pending[:MAX_LISTED]
            )
            parts.append(f"{fmt.count(len(pending), 'session')} to validate: {listed}")
            options.extend(
                Option(f"Confirm {fmt.day(start, tz)}", f"validate:{sid.hex}")
                for sid, _, start in pending[:3]
            )
    if Role.TRAINER.value in roles:
        mine = rules.pending_by_trainer(uow, studio.id).get(person_id, [])
        if mine:
            listed = "; ".join(f"{name} ({fmt.when(start, tz)})" for name, start in mine[:MAX_LISTED])
            parts.append(f"{fmt.count(len(mine), 'session')} waiting for your clients to validate: {listed}")
    held = outbox.held_for(uow.db, person_id, K.digestible, now)
    news = [n for n in held if n.kind not in COVERED]  # requests to validate are in the list above
    if news:
        parts.append("Also this week: " + " ".join(n.text for n in news[:MAX_LISTED]))
    if not parts:
        return
    day = fmt.local(moment, tz).date()
    text = "Your weekly digest. " + ". ".join(p.rstrip(".") for p in parts) + "."
    options.append(Option("Send messages one by one", "reminders:mode.individual"))
    _queue(uow, result, person_id, K.WEEKLY_DIGEST, text, options, f"weekly_digest:{person_id.hex}:{day}")
    outbox.mark_digested(uow.db, [n.id for n in held])


def describe(p: Prefs, studio: Studio) -> str:
    """A person's choices in words (for "my reminder settings")."""
    mode = "a weekly digest" if p.digest else "individual messages"
    quiet = "no quiet hours" if p.quiet_start == p.quiet_end else f"quiet hours {p.quiet_start}–{p.quiet_end}"
    stopped = ", ".join(sorted(p.opted_out)) if p.opted_out else "none"
    return f"You get {mode}, with {quiet} ({studio.tz}). Reminders stopped: {stopped}."
