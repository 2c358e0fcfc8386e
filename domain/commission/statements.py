"""A trainer's commission month, read from the store: draft or approved.

* A **draft** is never stored: it is computed live from the month's validated
  sessions and the trainer's current plan, plus the adjustments waiting for it.
* An **approved** statement is frozen in `CommissionStatement` +
  `CommissionLine` rows and never changes.

Which plan: plans are kept as versions (`SetCommissionPlan` adds a row, it
never edits one), so the plan in force at a given time is the newest row
created at or before it — the trainer's own override if they have one, else
the studio default, else the contract default (`plans.DEFAULT_PLAN`). A draft
uses the plan in force now; an approved month is re-evaluated (for
adjustments) with the plan that was in force when it was approved, so changing
a plan later never rewrites an approved month.

Where an adjustment goes: a `CommissionAdjustment` corrects an approved month
M; it belongs to the trainer's **next open statement** = the earliest month
after M whose statement is not approved. It shows there as an adjustment line
while that month is a draft, and approving that month applies it
(`applied_statement_id`). If that month is skipped (a later month approved
first), the adjustment stays with the earliest open month after M.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import Session

from domain.commission import months
from domain.commission.plans import (
    ADJUSTMENT,
    BONUS,
    DEFAULT_PLAN,
    SESSION,
    ZERO,
    Calculation,
    Line,
    Plan,
    SessionFact,
    calculate,
)
from domain.model import (
    CommissionAdjustment,
    CommissionLine,
    CommissionPlan,
    CommissionStatement,
    SessionStatus,
    Studio,
    TrainingSession,
)

DRAFT, APPROVED = "draft", "approved"
_KIND_ORDER = {SESSION: 0, BONUS: 1, ADJUSTMENT: 2}


@dataclass(frozen=True)
class Statement:
    """One trainer's month: its lines (sessions, bonus, adjustments) and total."""

    trainer_id: uuid.UUID
    month: str
    status: str  # draft | approved
    lines: tuple[Line, ...]
    total: Decimal
    id: uuid.UUID | None = None  # set once approved
    approved_by_id: uuid.UUID | None = None
    approved_at: datetime | None = None

    @property
    def earned(self) -> Decimal:
        """The month's own commission (sessions and bonus), without carried adjustments."""
        return sum((line.amount for line in self.lines if line.kind != ADJUSTMENT), ZERO)

    @property
    def adjustments(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == ADJUSTMENT), ZERO)

    @property
    def sessions(self) -> int:
        return sum(1 for line in self.lines if line.kind == SESSION)


@dataclass(frozen=True)
class StatementLine:
    """A line with the trainer and month it belongs to (what `commission_lines` returns).

    For an adjustment line, `session_id` is the corrected session, which
    started in an earlier (approved) month.
    """

    trainer_id: uuid.UUID
    month: str
    status: str
    kind: str
    amount: Decimal
    session_id: uuid.UUID | None
    price: Decimal | None
    rate: Decimal | None
    description: str = ""


# --- plans -------------------------------------------------------------------


def plan_row(
    db: Session, studio_id: uuid.UUID, trainer_id: uuid.UUID | None, at: datetime | None = None
) -> CommissionPlan | None:
    """The plan row in force for a trainer at `at` (None: now): their override, else the default."""
    query = select(CommissionPlan).where(CommissionPlan.studio_id == studio_id)
    if trainer_id is None:
        query = query.where(CommissionPlan.trainer_id.is_(None))
    else:
        query = query.where(or_(CommissionPlan.trainer_id == trainer_id, CommissionPlan.trainer_id.is_(None)))
    if at is not None:
        query = query.where(CommissionPlan.created_at <= at)
    own_first = case((CommissionPlan.trainer_id.is_(None), 1), else_=0)
    return db.scalars(query.order_by(own_first, CommissionPlan.created_at.desc()).limit(1)).first()


def plans_in_force(
    db: Session, studio_id: uuid.UUID, at: datetime | None = None
) -> tuple[Plan, dict[uuid.UUID, Plan]]:
    """The studio default and every trainer's override in force at `at`, in one query."""
    query = select(CommissionPlan).where(CommissionPlan.studio_id == studio_id)
    if at is not None:
        query = query.where(CommissionPlan.created_at <= at)
    newest: dict[uuid.UUID | None, CommissionPlan] = {}
    for row in db.scalars(query.order_by(CommissionPlan.created_at)):
        newest[row.trainer_id] = row
    default = plan_of(newest.pop(None, None))
    return default, {trainer: plan_of(row) for trainer, row in newest.items() if trainer is not None}


def plan_of(row: CommissionPlan | None) -> Plan:
    if row is None:
        return DEFAULT_PLAN
    return Plan.of(row.tiers, row.mode, row.type_rates, row.bonus_threshold, row.bonus_amount)


def plan_for(db: Session, studio_id: uuid.UUID, trainer_id: uuid.UUID, at: datetime | None = None) -> Plan:
    return plan_of(plan_row(db, studio_id, trainer_id, at))


# --- sessions of a month -----------------------------------------------------


def _month_filter(studio: Studio, month: str) -> list[ColumnElement[bool]]:
    """Exact on the local wall clock; the UTC margin lets the (trainer, start_at) index do the work."""
    start, end = months.bounds(month)
    zone = studio.zone
    return [
        TrainingSession.studio_id == studio.id,
        TrainingSession.status == SessionStatus.VALIDATED.value,
        TrainingSession.start_local >= start,
        TrainingSession.start_local < end,
        TrainingSession.start_at >= start.replace(tzinfo=zone) - timedelta(days=1),
        TrainingSession.start_at < end.replace(tzinfo=zone) + timedelta(days=1),
    ]


def month_facts(
    db: Session, studio: Studio, month: str, trainer_id: uuid.UUID | None = None
) -> dict[uuid.UUID, list[SessionFact]]:
    """The validated sessions of the month by the trainer who delivered them."""
    query = select(
        TrainingSession.trainer_id,
        TrainingSession.id,
        TrainingSession.start_at,
        TrainingSession.price,
        TrainingSession.session_type,
    ).where(*_month_filter(studio, month))
    if trainer_id is not None:
        query = query.where(TrainingSession.trainer_id == trainer_id)
    found: dict[uuid.UUID, list[SessionFact]] = defaultdict(list)
    for trainer, session_id, start, price, session_type in db.execute(query):
        found[trainer].append(SessionFact(session_id, start, price, session_type))
    return found


def earned(
    db: Session, studio: Studio, trainer_id: uuid.UUID, month: str, at: datetime | None = None
) -> Calculation:
    """What the trainer's month pays for its sessions now, under the plan in force at `at`."""
    facts = month_facts(db, studio, month, trainer_id).get(trainer_id, [])
    return calculate(plan_for(db, studio.id, trainer_id, at), facts)


# --- approved months and adjustments -----------------------------------------


def approved_row(db: Session, trainer_id: uuid.UUID, month: str) -> CommissionStatement | None:
    return db.scalars(
        select(CommissionStatement).where(
            CommissionStatement.trainer_id == trainer_id, CommissionStatement.month == month
        )
    ).first()


def approved_months(db: Session, trainer_id: uuid.UUID) -> set[str]:
    return set(
        db.scalars(select(CommissionStatement.month).where(CommissionStatement.trainer_id == trainer_id))
    )


def next_open_month(approved: set[str], month: str) -> str:
    """The earliest month after `month` that is not approved."""
    candidate = months.following(month)
    while candidate in approved:
        candidate = months.following(candidate)
    return candidate


def pending_adjustments(db: Session, trainer_id: uuid.UUID, month: str) -> list[CommissionAdjustment]:
    """Unapplied adjustments whose next open statement is `month`."""
    waiting = db.scalars(
        select(CommissionAdjustment)
        .where(
            CommissionAdjustment.trainer_id == trainer_id,
            CommissionAdjustment.applied_statement_id.is_(None),
            CommissionAdjustment.month < month,
        )
        .order_by(CommissionAdjustment.month, CommissionAdjustment.created_at)
    ).all()
    if not waiting:
        return []
    approved = approved_months(db, trainer_id)
    return [adj for adj in waiting if next_open_month(approved, adj.month) == month]


def adjustment_line(adjustment: CommissionAdjustment) -> Line:
    return Line(
        ADJUSTMENT,
        adjustment.amount,
        adjustment.session_id,
        description=f"Correction to {months.label(adjustment.month)}: {adjustment.reason}",
    )


# --- statements --------------------------------------------------------------


def _frozen_lines(db: Session, statement_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[Line, ...]]:
    """The frozen lines of approved statements: sessions by start, then the bonus, then adjustments."""
    ids = list(statement_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(CommissionLine, TrainingSession.start_at)
        .outerjoin(TrainingSession, TrainingSession.id == CommissionLine.session_id)
        .where(CommissionLine.statement_id.in_(ids))
    ).all()
    rows.sort(
        key=lambda r: (_KIND_ORDER.get(r[0].kind, 9), r[1].isoformat() if r[1] else "", str(r[0].session_id))
    )
    found: dict[uuid.UUID, list[Line]] = {i: [] for i in ids}
    for row, _start in rows:
        found[row.statement_id].append(
            Line(row.kind, row.amount, row.session_id, row.price, row.rate, row.description)
        )
    return {i: tuple(lines) for i, lines in found.items()}


def _approved(row: CommissionStatement, lines: tuple[Line, ...]) -> Statement:
    return Statement(
        row.trainer_id, row.month, APPROVED, lines, row.total, row.id, row.approved_by_id, row.approved_at
    )


def _draft(db: Session, trainer_id: uuid.UUID, month: str, calculation: Calculation) -> Statement:
    lines = calculation.lines + tuple(adjustment_line(a) for a in pending_adjustments(db, trainer_id, month))
    return Statement(trainer_id, month, DRAFT, lines, sum((line.amount for line in lines), ZERO))


def build(db: Session, studio: Studio, trainer_id: uuid.UUID, month: str) -> Statement:
    """The statement of a trainer's month, approved (frozen) or draft (live). No authorization."""
    months.parse(month)
    row = approved_row(db, trainer_id, month)
    if row is not None:
        return _approved(row, _frozen_lines(db, [row.id])[row.id])
    return _draft(db, trainer_id, month, earned(db, studio, trainer_id, month))


def trainers_with_pending(db: Session, studio: Studio, month: str) -> set[uuid.UUID]:
    """Trainers who have an unapplied adjustment whose next open statement is `month`."""
    found: set[uuid.UUID] = set()
    candidates = set(
        db.scalars(
            select(CommissionAdjustment.trainer_id).where(
                CommissionAdjustment.studio_id == studio.id,
                CommissionAdjustment.applied_statement_id.is_(None),
                CommissionAdjustment.month < month,
            )
        )
    )
    for trainer_id in candidates:
        if pending_adjustments(db, trainer_id, month):
            found.add(trainer_id)
    return found


def all_statements(
    db: Session, studio: Studio, month: str, trainer_ids: Iterable[uuid.UUID] | None = None
) -> list[Statement]:
    """Every trainer's statement for the month (None: every trainer with something in it).

    Batched: one query for the month's sessions, one for the approved
    statements and their lines, one for the plans — not one per trainer.
    """
    months.parse(month)
    wanted = None if trainer_ids is None else set(trainer_ids)
    approved_rows = {
        row.trainer_id: row
        for row in db.scalars(
            select(CommissionStatement).where(
                CommissionStatement.studio_id == studio.id, CommissionStatement.month == month
            )
        )
        if wanted is None or row.trainer_id in wanted
    }
    facts = month_facts(db, studio, month)
    if wanted is None:
        trainers = set(approved_rows) | set(facts) | trainers_with_pending(db, studio, month)
    else:
        trainers = wanted
    frozen = _frozen_lines(db, [row.id for row in approved_rows.values()])
    default, overrides = plans_in_force(db, studio.id)
    result = []
    for trainer_id in sorted(trainers, key=str):
        if trainer_id in approved_rows:
            row = approved_rows[trainer_id]
            result.append(_approved(row, frozen[row.id]))
        else:
            plan = overrides.get(trainer_id, default)
            result.append(_draft(db, trainer_id, month, calculate(plan, facts.get(trainer_id, []))))
    return result


def all_lines(
    db: Session, studio: Studio, month: str, trainer_ids: Iterable[uuid.UUID] | None = None
) -> list[StatementLine]:
    """The lines of every trainer's statement for the month, each with its trainer."""
    return [
        StatementLine(
            s.trainer_id,
            month,
            s.status,
            line.kind,
            line.amount,
            line.session_id,
            line.price,
            line.rate,
            line.description,
        )
        for s in all_statements(db, studio, month, trainer_ids)
        for line in s.lines
    ]
