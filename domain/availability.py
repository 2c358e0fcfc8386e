"""A trainer's free time: working hours minus sessions minus time off.

Used by booking (to refuse times outside working hours or during time off, and
to offer the nearest free slots when a time is taken) and by the "free slots"
query. Working hours are weekly wall-clock intervals in the studio's zone, so
they follow daylight saving; everything returned is an aware datetime in the
studio's zone.

A trainer with no working hours set is treated as available during the
studio's open day — the hours outside its quiet hours (08:00–21:00 by
default) — for offering alternatives; bookings are then not restricted.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.model import FREE_STATUSES, Studio, TimeOff, TrainingSession, WorkingHours
from domain.timeutil import wall_time_to_instant

Interval = tuple[datetime, datetime]


def working_hours(db: Session, trainer_id: uuid.UUID) -> list[WorkingHours]:
    return list(
        db.scalars(
            select(WorkingHours)
            .where(WorkingHours.trainer_id == trainer_id)
            .order_by(WorkingHours.weekday, WorkingHours.start_time)
        )
    )


def _open_day(studio: Studio) -> tuple[time, time]:
    return time.fromisoformat(studio.quiet_hours_end), time.fromisoformat(studio.quiet_hours_start)


def working_intervals(
    db: Session, studio: Studio, trainer_id: uuid.UUID, start: datetime, end: datetime
) -> list[Interval]:
    """The trainer's working intervals overlapping [start, end), as aware datetimes in the studio zone."""
    zone = ZoneInfo(studio.tz)
    rows = [(h.weekday, h.start_time, h.end_time) for h in working_hours(db, trainer_id)]
    if not rows:
        opens, closes = _open_day(studio)
        rows = [(weekday, opens, closes) for weekday in range(7)]
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    intervals: list[Interval] = []
    while day <= last:
        for weekday, opens, closes in rows:
            if weekday != day.weekday():
                continue
            a = wall_time_to_instant(day, opens, zone)
            b = wall_time_to_instant(day + timedelta(days=1) if closes <= opens else day, closes, zone)
            if a < end and start < b:
                intervals.append((a, b))
        day += timedelta(days=1)
    return sorted(intervals)


def busy_intervals(
    db: Session,
    trainer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    ignore_session_id: uuid.UUID | None = None,
) -> list[Interval]:
    """Sessions that occupy the trainer (not cancelled or disputed) and time off overlapping [start, end)."""
    sessions = select(TrainingSession.start_at, TrainingSession.end_at).where(
        TrainingSession.trainer_id == trainer_id,
        TrainingSession.status.not_in(FREE_STATUSES),
        TrainingSession.start_at < end,
        TrainingSession.end_at > start,
    )
    if ignore_session_id is not None:
        sessions = sessions.where(TrainingSession.id != ignore_session_id)
    off = select(TimeOff.start_at, TimeOff.end_at).where(
        TimeOff.trainer_id == trainer_id, TimeOff.start_at < end, TimeOff.end_at > start
    )
    return sorted([(a, b) for a, b in db.execute(sessions)] + [(a, b) for a, b in db.execute(off)])


def free_slots(
    db: Session,
    studio: Studio,
    trainer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    duration_minutes: int | None = None,
    step_minutes: int = 30,
    ignore_session_id: uuid.UUID | None = None,
) -> list[datetime]:
    """Start times in [start, end) where a session of `duration_minutes` fits, on a `step_minutes` grid.

    The grid starts at each working interval's start (09:00, 09:30, ...).
    """
    duration = timedelta(minutes=duration_minutes or studio.default_session_minutes)
    step = timedelta(minutes=step_minutes)
    zone = ZoneInfo(studio.tz)
    busy = busy_intervals(db, trainer_id, start - duration, end + duration, ignore_session_id)
    slots: list[datetime] = []
    for opens, closes in working_intervals(db, studio, trainer_id, start, end):
        candidate = opens
        while candidate + duration <= closes:
            finish = candidate + duration
            if start <= candidate < end and not any(a < finish and candidate < b for a, b in busy):
                slots.append(candidate.astimezone(zone))
            candidate += step
    return sorted(set(slots))


def nearest_free_slots(
    db: Session,
    studio: Studio,
    trainer_id: uuid.UUID,
    around: datetime,
    duration_minutes: int | None = None,
    count: int = 3,
    not_before: datetime | None = None,
    within_days: int = 7,
    ignore_session_id: uuid.UUID | None = None,
) -> list[datetime]:
    """The `count` free start times closest to `around` (earliest first among equals), none before `not_before`."""
    start = around - timedelta(days=within_days)
    if not_before is not None:
        start = max(start, not_before)
    slots = free_slots(
        db,
        studio,
        trainer_id,
        start,
        around + timedelta(days=within_days),
        duration_minutes,
        ignore_session_id=ignore_session_id,
    )
    return sorted(sorted(slots, key=lambda s: (abs(s - around), s))[:count])


def fits_working_hours(
    db: Session, studio: Studio, trainer_id: uuid.UUID, start: datetime, end: datetime
) -> bool:
    """Whether [start, end) lies inside one working interval. True when the trainer has no hours set."""
    if not working_hours(db, trainer_id):
        return True
    return any(a <= start and end <= b for a, b in working_intervals(db, studio, trainer_id, start, end))


def time_off_during(db: Session, trainer_id: uuid.UUID, start: datetime, end: datetime) -> TimeOff | None:
    return db.scalars(
        select(TimeOff)
        .where(TimeOff.trainer_id == trainer_id, TimeOff.start_at < end, TimeOff.end_at > start)
        .order_by(TimeOff.start_at)
        .limit(1)
    ).first()
