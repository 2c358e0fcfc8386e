"""People's notification choices and the quiet-hours arithmetic, in the studio's zone.

`Prefs` is what the rules and the delivery loop read: one value per person,
the studio's defaults filled in. Quiet hours are wall-clock times ("21:00" to
"08:00"), so they stay at 21:00 local across a daylight-saving change; the end
of a quiet spell is computed on the local calendar, never by adding hours.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import InvalidInput
from domain.model import NotificationPreference, Studio
from domain.reminders.kinds import CATEGORIES, CATEGORY_OF, SESSION_CHANGES
from domain.timeutil import in_zone, wall_time_to_instant

MODES = ("individual", "digest")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str, what: str = "time") -> time:
    found = _HHMM.match(str(value).strip())
    if not found:
        raise InvalidInput(f"{value!r} is not a time of day like 21:00 (the {what}).")
    return time(int(found.group(1)), int(found.group(2)))


@dataclass(frozen=True)
class Prefs:
    """One person's effective choices (the studio's defaults where they chose nothing)."""

    person_id: uuid.UUID
    mode: str = "individual"
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    opted_out: frozenset[str] = frozenset()
    channels: tuple[str, ...] = ()

    @property
    def digest(self) -> bool:
        return self.mode == "digest"

    def stopped(self, kind: str) -> bool:
        return CATEGORY_OF.get(kind, "") in self.opted_out


def load_prefs(db: Session, studio: Studio, person_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Prefs]:
    """Everyone's effective choices in one query; people without a row get the studio's defaults."""
    ids = list(set(person_ids))
    rows = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows.update(
            {
                r.person_id: r
                for r in db.scalars(
                    select(NotificationPreference).where(NotificationPreference.person_id.in_(chunk))
                )
            }
        )
    out = {}
    for pid in ids:
        row = rows.get(pid)
        out[pid] = Prefs(
            pid,
            mode=row.mode if row else "individual",
            quiet_start=(
                row.quiet_start if row and row.quiet_start is not None else studio.quiet_hours_start
            ),
            quiet_end=(row.quiet_end if row and row.quiet_end is not None else studio.quiet_hours_end),
            opted_out=frozenset(row.opted_out or ()) if row else frozenset(),
            channels=tuple(row.channels or ()) if row else (),
        )
    return out


def quiet_until(prefs: Prefs, tz: str, at: datetime) -> datetime | None:
    """The end of the quiet spell `at` falls in (aware), or None when `at` is not quiet."""
    start, end = (
        parse_hhmm(prefs.quiet_start, "start of quiet hours"),
        parse_hhmm(prefs.quiet_end, "end of quiet hours"),
    )
    if start == end:
        return None
    zone = ZoneInfo(tz)
    here = in_zone(at, zone)
    now = here.time().replace(tzinfo=None)
    quiet = (start <= now < end) if start < end else (now >= start or now < end)
    if not quiet:
        return None
    day = here.date() if now < end else here.date() + timedelta(days=1)
    return wall_time_to_instant(day, end, zone)


def exempt_from_quiet(kind: str, session_start: datetime | None, tz: str, at: datetime) -> bool:
    """Same-day session changes go out in quiet hours: the session is today (local) or already begun."""
    if kind not in SESSION_CHANGES or session_start is None:
        return False
    return in_zone(session_start, tz).date() <= in_zone(at, tz).date()


# --- changing them (the chat commands and the e-mail opt-out link) -----------------------------------


def _row(db: Session, person_id: uuid.UUID, now: datetime) -> NotificationPreference:
    row = db.get(NotificationPreference, person_id)
    if row is None:
        row = NotificationPreference(
            person_id=person_id, mode="individual", opted_out=[], channels=[], updated_at=now
        )
        db.add(row)
    row.updated_at = now
    return row


def set_mode(db: Session, person_id: uuid.UUID, mode: str, now: datetime) -> None:
    if mode not in MODES:
        raise InvalidInput(f"{mode!r} is not a way to get messages (individual or digest).")
    _row(db, person_id, now).mode = mode
    db.flush()


def set_quiet_hours(
    db: Session, person_id: uuid.UUID, start: str | None, end: str | None, now: datetime
) -> None:
    """Quiet hours from `start` to `end` ("22:00", "07:00"); both None: back to the studio's; equal: none."""
    if (start is None) != (end is None):
        raise InvalidInput("Quiet hours need a start and an end, like “quiet hours 22:00 to 7:00”.")
    if start is not None and end is not None:
        start = parse_hhmm(start, "start of quiet hours").strftime("%H:%M")
        end = parse_hhmm(end, "end of quiet hours").strftime("%H:%M")
    row = _row(db, person_id, now)
    row.quiet_start, row.quiet_end = start, end
    db.flush()


def set_opt_out(
    db: Session, person_id: uuid.UUID, categories: Iterable[str], stop: bool, now: datetime
) -> list[str]:
    """Stop (or resume) reminder categories; returns the categories now stopped."""
    wanted = set(categories)
    unknown = wanted - set(CATEGORIES)
    if unknown:
        raise InvalidInput(f"I don't know the reminders {', '.join(sorted(unknown))!s}.")
    row = _row(db, person_id, now)
    current = set(row.opted_out or ())
    current = current | wanted if stop else current - wanted
    row.opted_out = sorted(current)
    db.flush()
    return row.opted_out
