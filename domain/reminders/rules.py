"""The studio's reminder policy as rules: which notifications are due at a moment, each with its key.

Every rule is level-triggered and keyed: asked at any moment it answers "these
are due now", and the dedupe key (unique in the outbox) makes each one happen
once however often, and however many schedulers, ask. So a tick that is late,
repeated or run twice at once changes nothing, and a reminder held back by
quiet hours is simply produced by the first tick after them ("deferred, not
dropped"). Occurrences more than `MAX_LATENESS` late are not sent: a scheduler
that was stopped for a week does not flood people with stale reminders.

Moments are computed on the studio's local calendar ("09:00 on Monday" is
09:00 local before and after a daylight-saving change); durations ("24 hours
after it was logged") are real hours.

Rules return `Due` items with facts, not sentences: the words are the bot's
(bot/reminders.py), the timing and the recipients are the domain's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from domain.commission.queries import month_commission
from domain.model import Notification, Person, PersonRole, Role, SessionStatus, Studio, TrainingSession
from domain.policy import is_late_cancel
from domain.queries.stats import stats
from domain.reminders import kinds as K
from domain.reminders.preferences import parse_hhmm
from domain.store import UnitOfWork
from domain.timeutil import in_zone, wall_time_to_instant

S = SessionStatus
MAX_LATENESS = timedelta(hours=72)


@dataclass(frozen=True)
class Due:
    """One notification a rule says is due: for whom, of what kind, once per `key`."""

    kind: str
    recipient_id: uuid.UUID
    key: str
    due_at: datetime  # when the rule wanted it out (aware)
    session_id: uuid.UUID | None = None
    session_start: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def due(uow: UnitOfWork, now: datetime) -> list[Due]:
    """Everything the studio's policy says is due at `now` (aware), before anyone's choices apply."""
    studio = uow.studio
    out: list[Due] = []
    out.extend(validation_reminders(uow, studio, now))
    out.extend(upcoming_reminders(uow, studio, now))
    out.extend(trainer_digests(uow, studio, now))
    out.extend(weekly_reports(uow, studio, now))
    out.extend(rate_alerts(uow, studio, now))
    out.extend(commission_reports(uow, studio, now))
    return out


# --- helpers -----------------------------------------------------------------------------------------


def managers(uow: UnitOfWork) -> list[uuid.UUID]:
    """Who gets escalations and reports: the studio's managers, else its admins."""
    db = uow.db
    rows = db.execute(
        select(Person.id, PersonRole.role)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.studio_id == uow.actor.studio_id, Person.active.is_(True))
        .where(PersonRole.role.in_([Role.MANAGER.value, Role.ADMIN.value]))
        .order_by(Person.full_name)
    ).all()
    found = [pid for pid, role in rows if role == Role.MANAGER.value]
    return list(dict.fromkeys(found or [pid for pid, _ in rows]))


def occurrence(studio: Studio, day: date, hhmm: str) -> datetime:
    """`hhmm` on the local `day` as an aware instant (a spring-forward gap moves it on)."""
    return wall_time_to_instant(day, parse_hhmm(hhmm), studio.zone)


def _names(uow: UnitOfWork, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(uow.db.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all())


def _active(uow: UnitOfWork, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set(uow.db.scalars(select(Person.id).where(Person.id.in_(ids), Person.active.is_(True))))


# --- validation: reminders to the client, then the managers ------------------------------------------


def validation_reminders(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    """Reminders `validation_reminder_hours` after logging while unvalidated; then escalation."""
    steps = sorted({int(h) for h in (studio.validation_reminder_hours or []) if int(h) > 0})
    escalate = int(studio.validation_escalation_hours or 0)
    horizon = max([*steps, escalate, 0])
    if horizon == 0:
        return
    cutoff = now - timedelta(hours=horizon) - MAX_LATENESS
    T = TrainingSession
    rows = uow.db.execute(
        select(T.id, T.client_id, T.trainer_id, T.start_at, T.end_at, T.created_at, T.updated_at).where(
            T.studio_id == studio.id,
            T.status == S.PENDING_VALIDATION.value,
            or_(T.end_at >= cutoff, T.created_at >= cutoff, T.updated_at >= cutoff),
        )
    ).all()
    if not rows:
        return
    requested = dict(
        uow.db.execute(
            select(Notification.session_id, func.min(Notification.created_at))
            .where(
                Notification.kind == K.VALIDATION_REQUEST, Notification.session_id.in_([r.id for r in rows])
            )
            .group_by(Notification.session_id)
        ).all()
    )
    bosses: list[uuid.UUID] | None = None
    names = _names(uow, {r.trainer_id for r in rows} | {r.client_id for r in rows})
    for r in rows:
        basis = max(r.end_at, requested.get(r.id) or r.updated_at or r.created_at)
        plan = [(basis + timedelta(hours=h), h, False) for h in steps]
        if escalate:
            plan.append((basis + timedelta(hours=escalate), escalate, True))
        reached = [p for p in plan if p[0] <= now]
        if not reached:
            continue
        at, hours, escalation = max(reached, key=lambda p: (p[0], p[2]))
        if now - at > MAX_LATENESS:
            continue
        facts = {
            "trainer": names.get(r.trainer_id, ""),
            "client": names.get(r.client_id, ""),
            "start": r.start_at,
            "hours": hours,
            "days": round((now - basis) / timedelta(days=1)),
        }
        if not escalation:
            yield Due(
                K.VALIDATION_REMINDER,
                r.client_id,
                f"validation_reminder:{r.id.hex}:{hours}",
                at,
                r.id,
                r.start_at,
                facts,
            )
            continue
        if bosses is None:
            bosses = managers(uow)
        for boss in bosses:
            yield Due(
                K.VALIDATION_ESCALATION,
                boss,
                f"validation_escalation:{r.id.hex}:{boss.hex}",
                at,
                r.id,
                r.start_at,
                facts,
            )


# --- upcoming sessions: the client, 24 h and 2 h before ----------------------------------------------


def upcoming_reminders(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    """The latest reached step before each booked session (a rescheduled one starts again)."""
    steps = sorted({int(h) for h in (studio.upcoming_reminder_hours or []) if int(h) > 0}, reverse=True)
    if not steps:
        return
    T = TrainingSession
    sessions = uow.db.scalars(
        select(T).where(
            T.studio_id == studio.id,
            T.status == S.SCHEDULED.value,
            T.start_at > now,
            T.start_at <= now + timedelta(hours=steps[0]),
        )
    ).all()
    names = _names(uow, {s.trainer_id for s in sessions})
    for s in sessions:
        hours = min(h for h in steps if s.start_at - timedelta(hours=h) <= now)
        at = s.start_at - timedelta(hours=hours)
        late = bool(is_late_cancel(s, studio, now) and studio.late_cancel_uses_credit and s.holds_credit)
        facts = {
            "trainer": names.get(s.trainer_id, ""),
            "start": s.start_at,
            "hours": hours,
            "late_cancel": late,
            "late_cancel_hours": studio.late_cancel_hours,
        }
        key = f"upcoming:{s.id.hex}:{hours}:{s.start_at:%Y%m%d%H%M}"
        yield Due(K.UPCOMING_REMINDER, s.client_id, key, at, s.id, s.start_at, facts)


# --- trainers: the daily digest of pending validations -----------------------------------------------


def pending_by_trainer(uow: UnitOfWork, studio_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    """Each trainer's sessions still waiting for the client's confirmation: (client name, start)."""
    T = TrainingSession
    rows = uow.db.execute(
        select(T.trainer_id, Person.full_name, T.start_at)
        .join(Person, Person.id == T.client_id)
        .where(T.studio_id == studio_id, T.status == S.PENDING_VALIDATION.value)
        .order_by(T.start_at)
    ).all()
    out: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    for trainer_id, client, start in rows:
        out.setdefault(trainer_id, []).append((client, start))
    return out


def trainer_digests(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    """At `digest_time` local, each trainer with pending validations; only on that local day."""
    today = in_zone(now, studio.zone).date()
    at = occurrence(studio, today, studio.digest_time)
    if now < at:
        return
    pending = pending_by_trainer(uow, studio.id)
    for trainer_id in sorted(_active(uow, set(pending)), key=lambda i: i.hex):
        items = pending[trainer_id]
        yield Due(
            K.TRAINER_DIGEST,
            trainer_id,
            f"trainer_digest:{trainer_id.hex}:{today}",
            at,
            facts={"pending": items},
        )


# --- managers: weekly report, rate alerts, monthly commissions ---------------------------------------


def weekly_moment(studio: Studio, now: datetime) -> datetime | None:
    """This week's report moment (`report_weekday` at `report_time` local) when it has passed, recently."""
    today = in_zone(now, studio.zone).date()
    day = today - timedelta(days=(today.weekday() - int(studio.report_weekday)) % 7)
    at = occurrence(studio, day, studio.report_time)
    if at > now or now - at > MAX_LATENESS:
        return None
    return at


def status_counts(
    uow: UnitOfWork, studio: Studio, start: datetime, end: datetime
) -> dict[uuid.UUID, dict[str, int]]:
    """Per trainer, sessions that took place or were disputed in [start, end), by status."""
    T = TrainingSession
    rows = uow.db.execute(
        select(T.trainer_id, T.status, func.count())
        .where(
            T.studio_id == studio.id,
            T.start_at >= start,
            T.start_at < end,
            T.status.in_([S.PENDING_VALIDATION.value, S.VALIDATED.value, S.DISPUTED.value]),
        )
        .group_by(T.trainer_id, T.status)
    ).all()
    out: dict[uuid.UUID, dict[str, int]] = {}
    for trainer_id, status, n in rows:
        out.setdefault(trainer_id, {})[status] = int(n)
    return out


def weekly_reports(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    at = weekly_moment(studio, now)
    if at is None:
        return
    local_day = in_zone(at, studio.zone).date()
    start = wall_time_to_instant(local_day - timedelta(days=7), parse_hhmm("00:00"), studio.zone)
    end = wall_time_to_instant(local_day, parse_hhmm("00:00"), studio.zone)
    counts = status_counts(uow, studio, start, end)
    if not counts:
        return
    names = _names(uow, set(counts))
    rows = sorted(((names.get(t, ""), c) for t, c in counts.items()), key=lambda x: x[0])
    facts = {"from": start, "to": end - timedelta(minutes=1), "rows": rows}
    for boss in managers(uow):
        yield Due(K.WEEKLY_REPORT, boss, f"weekly_report:{boss.hex}:{local_day}", at, facts=facts)


def rate_alerts(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    """Daily at `report_time`: trainers whose validation rate over `validation_rate_days` is below the bar.

    Once a week at most per trainer and manager while it stays low (the key carries the ISO week).
    """
    threshold = int(studio.validation_rate_alert or 0)
    if threshold <= 0:
        return
    today = in_zone(now, studio.zone).date()
    at = occurrence(studio, today, studio.report_time)
    if now < at:
        return
    start = now - timedelta(days=int(studio.validation_rate_days))
    counts = status_counts(uow, studio, start, now)
    enough = {t for t, c in counts.items() if sum(c.values()) >= int(studio.validation_rate_min_sessions)}
    if not enough:
        return
    rates = {
        row.key: row.value
        for row in stats(uow, "validation_rate", start=start, end=now, group_by="trainer")
        if row.key in enough
    }
    low = {t: r for t, r in rates.items() if r * 100 < threshold}
    if not low:
        return
    week = today.isocalendar()
    names = _names(uow, set(low))
    bosses = managers(uow)
    for trainer_id, rate in sorted(low.items(), key=lambda x: names.get(x[0], "")):
        facts = {
            "trainer": names.get(trainer_id, ""),
            "rate": rate,
            "threshold": threshold,
            "days": int(studio.validation_rate_days),
            "counts": counts.get(trainer_id, {}),
        }
        for boss in bosses:
            if boss == trainer_id:
                continue
            key = f"rate_alert:{trainer_id.hex}:{boss.hex}:{week.year}-W{week.week:02d}"
            yield Due(K.RATE_ALERT, boss, key, at, facts=facts)


def commission_reports(uow: UnitOfWork, studio: Studio, now: datetime) -> Iterator[Due]:
    """On `commission_report_day` of the month at `report_time` local: last month's commissions."""
    day_of_month = int(studio.commission_report_day or 0)
    if day_of_month <= 0:
        return
    today = in_zone(now, studio.zone).date()
    if today.day < day_of_month:
        return
    at = occurrence(studio, today.replace(day=day_of_month), studio.report_time)
    if at > now or now - at > MAX_LATENESS:
        return
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).strftime("%Y-%m")
    T = TrainingSession
    trainer_ids = set(
        uow.db.scalars(
            select(PersonRole.person_id)
            .join(Person, Person.id == PersonRole.person_id)
            .where(Person.studio_id == studio.id, PersonRole.role == Role.TRAINER.value)
        )
    )
    worked = set(
        uow.db.scalars(
            select(T.trainer_id).where(
                T.studio_id == studio.id,
                and_(T.status == S.VALIDATED.value),
                T.start_local >= datetime.strptime(last_month, "%Y-%m"),
                T.start_local < datetime.combine(first, datetime.min.time()),
            )
        )
    )
    names = _names(uow, trainer_ids)
    rows = []
    for trainer_id in sorted(
        trainer_ids & (worked | _active(uow, trainer_ids)), key=lambda t: names.get(t, "")
    ):
        amount = month_commission(uow.db, uow.actor, trainer_id, last_month)
        if amount or trainer_id in worked:
            rows.append((names.get(trainer_id, ""), amount))
    if not rows:
        return
    facts = {"month": last_month, "rows": rows, "currency": studio.currency}
    for boss in managers(uow):
        yield Due(K.COMMISSION_REPORT, boss, f"commission_report:{boss.hex}:{last_month}", at, facts=facts)


# --- someone on a weekly digest ----------------------------------------------------------------------


def pending_for_client(uow: UnitOfWork, client_id: uuid.UUID) -> list[tuple[uuid.UUID, str, datetime]]:
    """A client's sessions waiting for their confirmation: (session id, trainer name, start)."""
    T = TrainingSession
    return [
        (sid, name, start)
        for sid, name, start in uow.db.execute(
            select(T.id, Person.full_name, T.start_at)
            .join(Person, Person.id == T.trainer_id)
            .where(T.client_id == client_id, T.status == S.PENDING_VALIDATION.value)
            .order_by(T.start_at)
        ).all()
    ]
