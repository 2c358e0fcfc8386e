"""Studio figures: one metric over a period, optionally grouped, optionally top-N.

Metrics (each over the sessions whose local start falls in [start, end) in
the studio's time zone, among those the actor may see):

* ``sessions`` — sessions that took place: status ``pending_validation`` or
  ``validated``.
* ``validation_rate`` — validated / (pending_validation + validated +
  disputed), a Decimal ratio between 0 and 1 rounded to 4 places. Groups
  with none of those sessions are left out (the ratio is undefined there).
* ``revenue`` — the sum of the snapshotted prices of sessions that took
  place, plus no-shows and late cancels that kept their credit
  (``holds_credit``), since the client paid for those.
* ``no_shows`` — sessions with status ``no_show``.
* ``cancellations`` — sessions with status ``cancelled`` (late or not).
* ``clients`` — distinct clients with at least one session that took place.
* ``commission`` — the sum of the lines of the trainers' commission
  statements (``domain.commission.queries.commission_lines``: validated
  sessions, each trainer's month at that trainer's plan; an approved month
  gives its frozen lines, an open month its live draft), for every month the
  period touches. A session line counts where its session falls (any group,
  if the actor may see the session and it matches the filters). Lines
  without a session of their own month — the bonus and adjustments to
  approved months — belong to their trainer's month: they count only when
  grouping by trainer, by month or not at all, with no client, location or
  type filter, and for months that start inside the period. A trainer sees
  only their own lines (``view_commission``), not the commission of a
  colleague who covered for them.

Groups: ``trainer``, ``client`` (labels are full names), ``location``,
``session_type``, and the calendar parts ``hour``, ``weekday``, ``day``,
``week`` (weeks start on Monday), ``month`` of the session's local start
(`domain.queries.timeparts`); ``None`` gives one row labelled "total".
Groups whose metric counts nothing are not listed.

Order: with ``limit`` (top-N), by value descending (ties by label); without
it, calendar groups read in calendar order and the others by value
descending.

Visibility: ``view_stats`` — managers and admins see the studio; a trainer
sees only sessions they delivered or that were covered for them, and asking
for another trainer's figures (``trainer_id``) is refused with NotAllowed; a
client may not see stats.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, and_, case, distinct, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from domain.authz import refuse, require_role, session_filter
from domain.errors import InvalidInput
from domain.model import COMPLETED_STATUSES, Location, Person, SessionStatus, TrainingSession
from domain.queries.period import Bound, Month, local
from domain.queries.timeparts import TIME_PARTS, label, normalise, time_part
from domain.store import UnitOfWork

METRICS = ("sessions", "validation_rate", "revenue", "commission", "no_shows", "cancellations", "clients")
GROUPS = ("trainer", "client", "location", "session_type", *TIME_PARTS)
RATE_PLACES = Decimal("0.0001")
TOTAL = "total"
SESSION_LINE = "session"

S = TrainingSession
_COMPLETED = S.status.in_(COMPLETED_STATUSES)
_KEPT_CREDIT = and_(
    S.holds_credit.is_(True),
    or_(
        S.status == SessionStatus.NO_SHOW.value,
        and_(S.status == SessionStatus.CANCELLED.value, S.late_cancel.is_(True)),
    ),
)
_REVENUE = or_(_COMPLETED, _KEPT_CREDIT)
_RATED = S.status.in_(
    (SessionStatus.PENDING_VALIDATION.value, SessionStatus.VALIDATED.value, SessionStatus.DISPUTED.value)
)


@dataclass(frozen=True)
class StatRow:
    """One group's figure. `key` is the raw group (an id, a date, an hour...); `label` is for people."""

    label: str
    value: Decimal
    key: Any = None


def _check(metric: str, group_by: str | None) -> None:
    if metric not in METRICS:
        raise InvalidInput(f"I don't know the figure {metric!r}; I know {', '.join(METRICS)}.")
    if group_by is not None and group_by not in GROUPS:
        raise InvalidInput(f"I can't group by {group_by!r}; I can group by {', '.join(GROUPS)}.")


def scope(
    uow: UnitOfWork,
    *,
    start: Bound,
    end: Bound,
    trainer_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    session_type: str | Iterable[str] | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses for a stats question: visibility, period (local wall clock), filters."""
    actor = uow.actor
    require_role(actor, "view_stats")
    if trainer_id is not None and not actor.is_manager and trainer_id != actor.person_id:
        raise refuse("view_stats")
    zone = uow.studio.zone
    clauses = [
        session_filter(actor, "view_stats"),
        S.start_local >= local(start, zone),
        S.start_local < local(end, zone),
    ]
    if trainer_id is not None:
        clauses.append(S.trainer_id == trainer_id)
    if client_id is not None:
        clauses.append(S.client_id == client_id)
    if location_id is not None:
        clauses.append(S.location_id == location_id)
    if session_type is not None:
        types = [session_type] if isinstance(session_type, str) else list(session_type)
        clauses.append(S.session_type.in_(types))
    return clauses


def group_key(group_by: str | None, dialect: str) -> ColumnElement[Any] | None:
    if group_by is None:
        return None
    if group_by == "trainer":
        return S.trainer_id
    if group_by == "client":
        return S.client_id
    if group_by == "location":
        return S.location_id
    if group_by == "session_type":
        return S.session_type
    return time_part(group_by, dialect)


def _aggregates(metric: str) -> tuple[ColumnElement[bool], list[ColumnElement[Any]]]:
    """(which sessions count, the aggregate columns) for a SQL metric."""
    if metric == "sessions":
        return _COMPLETED, [func.count()]
    if metric == "no_shows":
        return S.status == SessionStatus.NO_SHOW.value, [func.count()]
    if metric == "cancellations":
        return S.status == SessionStatus.CANCELLED.value, [func.count()]
    if metric == "clients":
        return _COMPLETED, [func.count(distinct(S.client_id))]
    if metric == "revenue":
        return _REVENUE, [func.sum(S.price)]
    if metric == "validation_rate":
        validated = func.sum(case((S.status == SessionStatus.VALIDATED.value, 1), else_=0), type_=Integer)
        return _RATED, [validated, func.count()]
    raise InvalidInput(f"I don't know the figure {metric!r}.")


def _value(metric: str, values: tuple[Any, ...]) -> Decimal | None:
    if metric == "validation_rate":
        validated, rated = int(values[0] or 0), int(values[1] or 0)
        if rated == 0:
            return None
        return (Decimal(validated) / Decimal(rated)).quantize(RATE_PLACES)
    if metric == "revenue":
        return Decimal(values[0] or 0).quantize(Decimal("0.01"))
    return Decimal(int(values[0] or 0))


def stats(
    uow: UnitOfWork,
    metric: str,
    *,
    start: Bound,
    end: Bound,
    group_by: str | None = None,
    limit: int | None = None,
    trainer_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    session_type: str | Iterable[str] | None = None,
) -> list[StatRow]:
    """One metric for [start, end), grouped (see the module docstring for the definitions)."""
    _check(metric, group_by)
    if limit is not None and limit < 1:
        raise InvalidInput("Ask for at least one row.")
    where = scope(
        uow,
        start=start,
        end=end,
        trainer_id=trainer_id,
        client_id=client_id,
        location_id=location_id,
        session_type=session_type,
    )
    dialect = uow.db.get_bind().dialect.name
    key = group_key(group_by, dialect)
    if metric == "commission":
        filtered_only = client_id is not None or location_id is not None or session_type is not None
        raw = _commission(
            uow, where, key, group_by, start, end, trainer_id=trainer_id, with_unattached=not filtered_only
        )
    else:
        counts, aggregates = _aggregates(metric)
        columns = [key.label("k")] if key is not None else []
        query = select(*columns, *aggregates).where(*where, counts)
        if key is not None:
            query = query.group_by(key)
        raw = {}
        for row in uow.db.execute(query):
            k = row[0] if key is not None else None
            value = _value(metric, tuple(row[1:] if key is not None else row))
            if value is not None and (value != 0 or metric == "validation_rate"):
                raw[k] = value
    rows = _label(uow, group_by, raw)
    return _order(rows, group_by, limit)


def _commission(
    uow: UnitOfWork,
    where: list[ColumnElement[bool]],
    key: ColumnElement[Any] | None,
    group_by: str | None,
    start: Bound,
    end: Bound,
    *,
    trainer_id: uuid.UUID | None,
    with_unattached: bool,
) -> dict[Any, Decimal]:
    """The statements' lines of every month the period touches, summed by group.

    Session lines follow their session (if the actor may see it and it
    matches the filters); bonus and adjustment lines stay with their
    trainer's month (see the module docstring).
    """
    from domain.commission.queries import commission_lines  # the one place commission is computed

    columns: list[ColumnElement[Any]] = [S.id]
    if key is not None:
        columns.append(key.label("k"))
    session_group = {
        row[0]: (row[1] if key is not None else None)
        for row in uow.db.execute(select(*columns).where(*where))
    }
    zone = uow.studio.zone
    first, last = local(start, zone), local(end, zone)
    actor = uow.actor
    totals: dict[Any, Decimal] = defaultdict(lambda: Decimal("0.00"))
    month = Month(first.year, first.month)
    while datetime.combine(month.first, time(0)) < last:
        month_start = datetime.combine(month.first, time(0))
        whole_month_counts = (
            with_unattached and group_by in (None, "trainer", "month") and first <= month_start
        )
        for line in commission_lines(uow.db, uow.studio, trainer_id, str(month)):
            if not (actor.is_manager or line.trainer_id == actor.person_id):
                continue  # view_commission: a trainer sees only their own commission
            if line.kind == SESSION_LINE:
                if line.session_id in session_group:
                    totals[session_group[line.session_id]] += line.amount
            elif whole_month_counts:
                group = {None: None, "trainer": line.trainer_id, "month": str(month)}[group_by]
                totals[group] += line.amount
        month = month.next
    return {k: v for k, v in totals.items() if v != 0}


def _pairs(uow: UnitOfWork, query: Any) -> dict[Any, str]:
    return {key: name for key, name in uow.db.execute(query)}


def _label(uow: UnitOfWork, group_by: str | None, raw: dict[Any, Decimal]) -> list[StatRow]:
    if group_by is None:
        return [StatRow(TOTAL, value, None) for value in raw.values()]
    if group_by in ("trainer", "client"):
        ids = [k for k in raw if k is not None]
        names = _pairs(uow, select(Person.id, Person.full_name).where(Person.id.in_(ids))) if ids else {}
        return [StatRow(names.get(k, "someone"), v, k) for k, v in raw.items()]
    if group_by == "location":
        ids = [k for k in raw if k is not None]
        names = _pairs(uow, select(Location.id, Location.name).where(Location.id.in_(ids))) if ids else {}
        return [StatRow(names.get(k, "no location") if k else "no location", v, k) for k, v in raw.items()]
    if group_by == "session_type":
        return [StatRow(str(k), v, str(k)) for k, v in raw.items()]
    rows = []
    for k, v in raw.items():
        part = normalise(group_by, k)
        rows.append(StatRow(label(group_by, part), v, part))
    return rows


def _order(rows: list[StatRow], group_by: str | None, limit: int | None) -> list[StatRow]:
    if limit is not None or group_by not in TIME_PARTS:
        rows.sort(key=lambda r: (-r.value, r.label))
    else:
        rows.sort(key=lambda r: r.key)
    return rows[:limit] if limit is not None else rows
