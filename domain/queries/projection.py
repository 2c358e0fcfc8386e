"""The current month's projection, and how it compares with the previous month.

For the studio's current month (by `uow.now` in the studio's zone):

* ``done`` — what took place so far (start before now): sessions
  ``pending_validation`` + ``validated``; revenue as the ``revenue`` metric
  (those prices plus no-shows and late cancels that kept their credit);
  commission as each trainer's plan would pay those sessions (pending ones
  are assumed to be confirmed).
* ``booked`` — sessions still ``scheduled`` from now to the end of the month,
  their prices, and what they add to the commission.
* ``projected`` — done + booked: where the month lands if every booked
  session happens and is confirmed. The commission is recomputed on the whole
  month with each trainer's plan (tiers make it more than the sum of parts).
* ``at_pace`` — ``done`` stretched linearly over the whole month (done ÷ the
  elapsed fraction of the month): the month if it goes on as it went.
* ``previous`` — the previous month's actual figures (sessions that took
  place, revenue, and the commission of its statements).
* ``comparison`` — projected against previous: difference and ratio
  (projected ÷ previous, None when the previous month had nothing).

Visibility follows the stats (``view_stats``): managers see the studio, a
trainer their own sessions and their own commission; clients may not ask.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from domain.model import COMPLETED_STATUSES, SessionStatus, TrainingSession
from domain.queries.period import Month, aware
from domain.queries.stats import scope, stats
from domain.store import UnitOfWork

S = TrainingSession
ZERO = Decimal("0.00")
RATIO = Decimal("0.0001")
FIGURES = ("sessions", "revenue", "commission")


@dataclass(frozen=True)
class Figures:
    sessions: Decimal
    revenue: Decimal
    commission: Decimal

    def get(self, name: str) -> Decimal:
        return getattr(self, name)


@dataclass(frozen=True)
class Change:
    metric: str
    current: Decimal
    previous: Decimal
    difference: Decimal
    ratio: Decimal | None


@dataclass(frozen=True)
class Projection:
    month: str
    as_of: datetime
    elapsed: Decimal  # fraction of the month gone, 0–1
    done: Figures
    booked: Figures
    projected: Figures
    at_pace: Figures
    previous_month: str
    previous: Figures
    comparison: tuple[Change, ...]


def compare(current: Figures, previous: Figures) -> tuple[Change, ...]:
    changes = []
    for name in FIGURES:
        now, before = current.get(name), previous.get(name)
        ratio = (now / before).quantize(RATIO) if before else None
        changes.append(Change(name, now, before, now - before, ratio))
    return tuple(changes)


def month_figures(uow: UnitOfWork, month: Month, trainer_id: uuid.UUID | None = None) -> Figures:
    """A whole month's actual figures (the stats metrics `sessions`, `revenue`, `commission`)."""
    start, end = month.bounds()

    def total(metric: str) -> Decimal:
        rows = stats(uow, metric, start=start, end=end, trainer_id=trainer_id)
        return rows[0].value if rows else (Decimal(0) if metric == "sessions" else ZERO)

    return Figures(total("sessions"), total("revenue"), total("commission"))


def projection(uow: UnitOfWork, trainer_id: uuid.UUID | None = None) -> Projection:
    """The current month so far, booked, projected and at pace, against the previous month."""
    from domain.commission.plans import SessionFact, calculate
    from domain.commission.statements import plans_in_force

    zone = uow.studio.zone
    now = uow.now
    month = Month.of(now, zone)
    first, last = (aware(bound, zone) for bound in month.bounds())
    where = scope(uow, start=first, end=last, trainer_id=trainer_id)
    rows = uow.db.execute(
        select(
            S.id, S.trainer_id, S.start_at, S.price, S.session_type, S.status, S.holds_credit, S.late_cancel
        )
        .where(*where)
        .order_by(S.start_at)
    ).all()
    done_count = booked_count = 0
    done_revenue = booked_revenue = ZERO
    done_facts: dict[uuid.UUID, list[SessionFact]] = defaultdict(list)
    all_facts: dict[uuid.UUID, list[SessionFact]] = defaultdict(list)
    for row in rows:
        fact = SessionFact(row.id, row.start_at, row.price, row.session_type)
        if row.start_at < now:
            kept = row.holds_credit and (
                row.status == SessionStatus.NO_SHOW.value
                or (row.status == SessionStatus.CANCELLED.value and row.late_cancel)
            )
            if row.status in COMPLETED_STATUSES:
                done_count += 1
                done_revenue += row.price
                done_facts[row.trainer_id].append(fact)
                all_facts[row.trainer_id].append(fact)
            elif kept:
                done_revenue += row.price
        elif row.status == SessionStatus.SCHEDULED.value:
            booked_count += 1
            booked_revenue += row.price
            all_facts[row.trainer_id].append(fact)
    default, overrides = plans_in_force(uow.db, uow.studio.id)
    actor = uow.actor

    def commission(facts: dict[uuid.UUID, list[SessionFact]]) -> Decimal:
        return sum(
            (
                calculate(overrides.get(trainer, default), sessions).total
                for trainer, sessions in facts.items()
                if actor.is_manager or trainer == actor.person_id
            ),
            ZERO,
        )

    done_commission, projected_commission = commission(done_facts), commission(all_facts)
    done = Figures(Decimal(done_count), done_revenue, done_commission)
    booked = Figures(Decimal(booked_count), booked_revenue, projected_commission - done_commission)
    projected = Figures(
        Decimal(done_count + booked_count), done_revenue + booked_revenue, projected_commission
    )
    elapsed = Decimal((min(now, last) - first) / (last - first)).quantize(RATIO)
    at_pace = (
        Figures(
            (done.sessions / elapsed).quantize(Decimal("0.1")),
            (done.revenue / elapsed).quantize(ZERO),
            (done.commission / elapsed).quantize(ZERO),
        )
        if elapsed > 0
        else done
    )
    previous = month_figures(uow, month.previous, trainer_id)
    return Projection(
        month=str(month),
        as_of=now.astimezone(zone),
        elapsed=elapsed,
        done=done,
        booked=booked,
        projected=projected,
        at_pace=at_pace,
        previous_month=str(month.previous),
        previous=previous,
        comparison=compare(projected, previous),
    )
