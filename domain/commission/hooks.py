"""The one hook session commands call after changing a session.

`session_changed(uow, session, before)` is called by every session command
after a change to a session's status, price, trainer, start or type, in the
command's own transaction. `before` is `domain.audit.snapshot(session)` taken
before the change (None for a new session).

If the change touches a month whose statement is already approved — the
month before and the month after (a session moved between months counts for
both), for the trainer before and the trainer after — the approved statement
is left alone and the difference is recorded instead:

    delta = what that month would pay now (its validated sessions, under the
            plan in force when it was approved)
          − (what the approved statement paid for the month's own sessions
             and bonus + the adjustments already recorded for that month)

A non-zero delta becomes a `CommissionAdjustment` (trainer, session, month,
amount, reason), which the trainer's next open statement shows as an
adjustment line (see domain/commission/statements.py). Computing against
everything already recorded, rather than from this one change, keeps the sum
right whatever the order or number of changes.

Free when the session is validated neither before nor after the change
(commissions count validated sessions only, so no month's total can move:
no query at all — logging and booking always take this path), and cheap
when nothing is approved: one indexed lookup, no recalculation.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from domain.commission import months
from domain.commission.plans import ADJUSTMENT, ZERO
from domain.commission.statements import earned
from domain.model import CommissionAdjustment, CommissionLine, CommissionStatement, SessionStatus

if TYPE_CHECKING:
    from domain.model import TrainingSession
    from domain.store import UnitOfWork


def _local(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _affected(session: TrainingSession, before: dict[str, Any] | None) -> set[tuple[uuid.UUID, str]]:
    pairs = {(session.trainer_id, months.of(session.start_local))}
    if before is not None and before.get("trainer_id") and before.get("start_local"):
        pairs.add((uuid.UUID(str(before["trainer_id"])), months.of(_local(before["start_local"]))))
    return pairs


def _reason(session: TrainingSession, before: dict[str, Any] | None, month: str) -> str:
    when = session.start_local.strftime("%d %b %Y %H:%M")
    if before is None:
        what = f"session of {when} added"
    else:
        changes = []
        if before.get("status") != session.status:
            changes.append(f"{before.get('status')} → {session.status}")
        if before.get("price") is not None and Decimal(str(before["price"])) != session.price:
            changes.append(f"price {before['price']} → {session.price}")
        if before.get("start_local") and _local(before["start_local"]) != session.start_local:
            changes.append(f"moved from {_local(before['start_local']).strftime('%d %b %Y %H:%M')}")
        if before.get("trainer_id") and str(before["trainer_id"]) != str(session.trainer_id):
            changes.append("trainer changed")
        if before.get("session_type") != session.session_type:
            changes.append(f"type {before.get('session_type')} → {session.session_type}")
        what = f"session of {when} changed ({', '.join(changes) or 'corrected'})"
    return f"{what} after {months.label(month)} was approved"[:400]


def can_move_commissions(session: TrainingSession, before: dict[str, Any] | None) -> bool:
    """Whether the change can alter any month's commission: only if it was or is validated."""
    validated = SessionStatus.VALIDATED.value
    return session.status == validated or (before is not None and before.get("status") == validated)


def session_changed(uow: UnitOfWork, session: TrainingSession, before: dict[str, Any] | None) -> None:
    """Record adjustments for approved months this change affects (see module docstring)."""
    if not can_move_commissions(session, before):
        return
    db = uow.db
    pairs = _affected(session, before)
    approved = db.scalars(
        select(CommissionStatement).where(
            or_(
                *(and_(CommissionStatement.trainer_id == t, CommissionStatement.month == m) for t, m in pairs)
            )
        )
    ).all()
    for statement in sorted(approved, key=lambda s: (s.month, str(s.trainer_id))):
        now_total = earned(
            db, uow.studio, statement.trainer_id, statement.month, at=statement.approved_at
        ).total
        paid = db.scalars(
            select(CommissionLine.amount).where(
                CommissionLine.statement_id == statement.id, CommissionLine.kind != ADJUSTMENT
            )
        )
        recorded = db.scalars(
            select(CommissionAdjustment.amount).where(
                CommissionAdjustment.trainer_id == statement.trainer_id,
                CommissionAdjustment.month == statement.month,
            )
        )
        delta = now_total - sum(paid, ZERO) - sum(recorded, ZERO)
        if delta != ZERO:
            db.add(
                CommissionAdjustment(
                    studio_id=uow.studio.id,
                    trainer_id=statement.trainer_id,
                    session_id=session.id,
                    month=statement.month,
                    amount=delta,
                    reason=_reason(session, before, statement.month),
                    created_at=uow.now,
                )
            )
            db.flush()
