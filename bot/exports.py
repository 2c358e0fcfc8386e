"""CSV exports of sessions and clients, for the `export` intent.

An export is a whole-studio document (a payroll check, a mailing list), so it
is for those the matrix lets see the whole studio: `view_sessions` /
`view_people` with the `studio` scope (managers and admins). The rows come
from the domain's own queries (`list_sessions`, `balances`), so an export
says what the chat says.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab) are prefixed with an apostrophe: names and notes are typed by people.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from domain.authz import STUDIO, scopes
from domain.errors import NotAllowed
from domain.model import ClientTag, Person, PersonRole, Role
from domain.queries.balance import balances
from domain.queries.period import Bound
from domain.queries.sessions import list_sessions
from domain.store import UnitOfWork

MIME = "text/csv"
SESSION_COLUMNS = (
    "date",
    "start",
    "end",
    "duration_minutes",
    "trainer",
    "client",
    "status",
    "session_type",
    "substitute_for",
    "location",
    "price",
    "currency",
    "late_cancel",
    "id",
)
CLIENT_COLUMNS = ("handle", "name", "email", "phone", "primary_trainer", "tags", "credits", "active")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    """A built CSV file: what to call it, its bytes, and how many data rows it holds."""

    filename: str
    content: bytes
    rows: int
    mime: str = MIME


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def _require_studio_wide(uow: UnitOfWork, action: str, what: str) -> None:
    if STUDIO not in scopes(uow.actor, action):
        raise NotAllowed(f"Sorry, only managers can export {what}.")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _period_words(start: Bound | None, end: Bound | None) -> str:
    """'2026-03' for a whole month, '2026-03-09_2026-03-15' otherwise (end shown inclusive)."""
    if start is None or end is None:
        return ""
    first = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    if (
        first.day == 1
        and last.day == 1
        and (last.year * 12 + last.month) - (first.year * 12 + first.month) == 1
    ):
        return f"{first:%Y-%m}"
    inclusive = date.fromordinal(last.toordinal() - 1) if last > first else last
    return f"{first:%Y-%m-%d}_{inclusive:%Y-%m-%d}"


def sessions_csv(
    uow: UnitOfWork,
    *,
    start: Bound | None = None,
    end: Bound | None = None,
    trainer_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    status: str | None = None,
    session_type: str | None = None,
    label: str = "",
) -> Export:
    """Sessions matching the filters, oldest first; times are wall clock in the studio's zone.

    `label` (a trainer's or client's name) goes into the file name.
    """
    _require_studio_wide(uow, "view_sessions", "sessions")
    currency = uow.studio.currency
    views = list_sessions(
        uow,
        trainer_id=trainer_id,
        client_id=client_id,
        start=start,
        end=end,
        status=status,
        session_type=session_type,
    )
    rows = (
        (
            f"{v.start:%Y-%m-%d}",
            f"{v.start:%H:%M}",
            f"{v.end:%H:%M}",
            v.duration_minutes,
            v.trainer_name,
            v.client_name,
            v.status,
            v.session_type,
            v.substitute_for_name or "",
            v.location or "",
            f"{v.price:.2f}",
            currency,
            "yes" if v.late_cancel else "",
            v.id,
        )
        for v in views
    )
    content, count = _csv(SESSION_COLUMNS, rows)
    parts = ["sessions", _slug(label), _slug(status or ""), _period_words(start, end)]
    return Export("-".join(p for p in parts if p) + ".csv", content, count)


def clients_csv(uow: UnitOfWork, *, tag: str | None = None) -> Export:
    """The studio's clients (with `tag`, only those carrying it), by name, with their credits."""
    _require_studio_wide(uow, "view_people", "clients")
    query = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.studio_id == uow.actor.studio_id, PersonRole.role == Role.CLIENT.value)
        .order_by(Person.full_name, Person.handle)
    )
    wanted = " ".join((tag or "").strip().lstrip("#").lower().split()) or None
    if wanted is not None:
        query = query.where(Person.id.in_(select(ClientTag.person_id).where(ClientTag.tag == wanted)))
    clients = list(uow.db.scalars(query))
    trainers = {
        pid: name
        for pid, name in uow.db.execute(
            select(Person.id, Person.full_name).where(
                Person.id.in_({c.primary_trainer_id for c in clients if c.primary_trainer_id})
            )
        )
    }
    credits = balances(uow, [c.id for c in clients])
    rows = (
        (
            c.handle,
            c.full_name,
            c.email or "",
            c.phone or "",
            trainers.get(c.primary_trainer_id, "") if c.primary_trainer_id else "",
            ";".join(c.tags),
            credits.get(c.id, 0),
            "yes" if c.active else "no",
        )
        for c in clients
    )
    content, count = _csv(CLIENT_COLUMNS, rows)
    name = "clients" + (f"-{_slug(wanted)}" if wanted else "") + ".csv"
    return Export(name, content, count)
