"""Approving a month: freezing drafts into statements, and setting plans.

Rules (issue 2):

* A month is approved after it ends (in the studio's time zone); approving
  the current or a future month is refused with a sentence.
* Approving one trainer's month that is already approved is refused. Approving
  "every trainer" approves those not yet approved, and is refused only when
  nothing is left to approve.
* Every trainer means: the studio's trainers, plus anyone who delivered a
  validated session that month or has an adjustment waiting for it — so a
  trainer with nothing that month gets an approved zero statement, and a
  session validated later becomes an adjustment instead of silently changing
  a month that payroll already ran.
* Approval freezes the draft — session and bonus lines at the plan in force
  now, plus the adjustments waiting for this month — into
  `CommissionStatement` + `CommissionLine` rows, and marks those adjustments
  applied.
* Audit: approving N statements in one command is one change, so it writes
  exactly one entry (action `approve_commissions`, entity `commission_month`,
  id = the month) whose `after` lists the statements approved.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain import audit
from domain.authz import require_person, require_role
from domain.commission import months
from domain.commission.commands import ApproveCommissions, SetCommissionPlan
from domain.commission.plans import ZERO, Plan, checked, stored_tiers
from domain.commission.statements import (
    Statement,
    adjustment_line,
    month_facts,
    pending_adjustments,
    trainers_with_pending,
)
from domain.commission.statements import earned as earned_month
from domain.errors import Conflict, InvalidInput, NotFound
from domain.model import (
    AuditEntry,
    CommissionLine,
    CommissionPlan,
    CommissionStatement,
    Person,
    PersonRole,
    Role,
)
from domain.store import UnitOfWork


def _trainer(uow: UnitOfWork, trainer_id: uuid.UUID) -> Person:
    person = uow.db.get(Person, trainer_id)
    if person is None or person.studio_id != uow.actor.studio_id:
        raise NotFound("I can't find that trainer in this studio.")
    return person


def approve(uow: UnitOfWork, command: ApproveCommissions) -> list[Statement]:
    require_role(uow.actor, "approve_commissions")
    month = command.month
    months.parse(month)
    label = months.label(month)
    studio = uow.studio
    if not months.has_ended(month, uow.now, studio.zone):
        raise InvalidInput(f"{label} hasn't ended yet; a month's commissions are approved after it ends.")
    db = uow.db
    if command.trainer_id is not None:
        trainer = _trainer(uow, command.trainer_id)
        require_person(db, uow.actor, "approve_commissions", trainer)
        if db.scalar(
            select(CommissionStatement.id).where(
                CommissionStatement.trainer_id == trainer.id, CommissionStatement.month == month
            )
        ):
            raise Conflict(f"{trainer.full_name}'s commissions for {label} are already approved.")
        trainers = [trainer]
    else:
        trainers = _every_trainer(uow, month)
        if not trainers:
            raise Conflict(f"Commissions for {label} are already approved for every trainer.")

    approved: list[Statement] = []
    summary: list[dict[str, Any]] = []
    for trainer in trainers:
        calculation = earned_month(db, studio, trainer.id, month, at=uow.now)
        adjustments = pending_adjustments(db, trainer.id, month)
        row = CommissionStatement(
            id=uuid.uuid4(),
            studio_id=studio.id,
            trainer_id=trainer.id,
            month=month,
            status="approved",
            total=calculation.total + sum((a.amount for a in adjustments), ZERO),
            approved_by_id=uow.actor.person_id,
            approved_at=uow.now,
        )
        db.add(row)
        db.flush()  # no ORM relationship orders the inserts: the statement goes first
        lines = [
            CommissionLine(
                statement_id=row.id,
                kind=line.kind,
                session_id=line.session_id,
                description=line.description,
                price=line.price,
                rate=line.rate,
                amount=line.amount,
            )
            for line in calculation.lines
        ]
        for adjustment in adjustments:
            line = adjustment_line(adjustment)
            lines.append(
                CommissionLine(
                    statement_id=row.id,
                    kind=line.kind,
                    session_id=line.session_id,
                    description=line.description[:400],
                    amount=line.amount,
                )
            )
            adjustment.applied_statement_id = row.id
        db.add_all(lines)
        frozen = calculation.lines + tuple(adjustment_line(a) for a in adjustments)
        approved.append(
            Statement(
                trainer.id, month, "approved", frozen, row.total, row.id, row.approved_by_id, row.approved_at
            )
        )
        summary.append(
            {
                "id": row.id,
                "trainer_id": trainer.id,
                "trainer": trainer.full_name,
                "sessions": calculation.count,
                "total": row.total,
                "adjustments_applied": [a.id for a in adjustments],
            }
        )
    db.flush()
    audit.record(
        db,
        uow.actor,
        "approve_commissions",
        "commission_month",
        month,
        before=None,
        after={"month": month, "statements": summary},
    )
    return approved


def _every_trainer(uow: UnitOfWork, month: str) -> list[Person]:
    """Trainers whose month is not yet approved: the studio's trainers and anyone paid that month."""
    db, studio = uow.db, uow.studio
    ids = set(
        db.scalars(
            select(Person.id)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(
                Person.studio_id == studio.id, PersonRole.role == Role.TRAINER.value, Person.active.is_(True)
            )
        )
    )
    ids |= set(month_facts(db, studio, month))
    ids |= trainers_with_pending(db, studio, month)
    ids -= set(
        db.scalars(
            select(CommissionStatement.trainer_id).where(
                CommissionStatement.studio_id == studio.id, CommissionStatement.month == month
            )
        )
    )
    people = [db.get(Person, i) for i in ids]
    return sorted((p for p in people if p is not None), key=lambda p: (p.full_name, str(p.id)))


def set_plan(uow: UnitOfWork, command: SetCommissionPlan) -> Plan:
    """Add a new version of the default plan or of one trainer's override.

    Plans are versioned, never edited (see statements.py), so an approved
    month can be re-evaluated with the plan it was approved under. Two changes
    at the same instant are one version: the second replaces the first.
    """
    require_role(uow.actor, "set_commission_plan")
    db = uow.db
    if command.trainer_id is not None:
        trainer = _trainer(uow, command.trainer_id)
        if Role.TRAINER not in trainer.roles:
            raise InvalidInput(f"{trainer.full_name} isn't a trainer, so a commission plan doesn't apply.")
    plan = checked(
        command.tiers, command.mode, command.type_rates, command.bonus_threshold, command.bonus_amount
    )
    scope = (
        CommissionPlan.trainer_id.is_(None)
        if command.trainer_id is None
        else CommissionPlan.trainer_id == command.trainer_id
    )
    previous = db.scalars(
        select(CommissionPlan)
        .where(CommissionPlan.studio_id == uow.studio.id, scope)
        .order_by(CommissionPlan.created_at.desc())
        .limit(1)
    ).first()
    before = audit.snapshot(previous)
    values = {
        "tiers": stored_tiers(plan),
        "mode": plan.mode,
        "type_rates": {k: str(v) for k, v in plan.type_rates.items()},
        "bonus_threshold": plan.bonus_threshold,
        "bonus_amount": plan.bonus_amount,
    }
    if previous is not None and previous.created_at == uow.now:
        row = previous
        for key, value in values.items():
            setattr(row, key, value)
    else:
        row = CommissionPlan(
            id=uuid.uuid4(),
            studio_id=uow.studio.id,
            trainer_id=command.trainer_id,
            name="default" if command.trainer_id is None else "trainer",
            created_at=uow.now,
            **values,
        )
        db.add(row)
    db.flush()
    audit.record(db, uow.actor, "set_commission_plan", "commission_plan", row.id, before, audit.snapshot(row))
    return plan


def undo_set_plan(uow: UnitOfWork, entry: AuditEntry) -> tuple[Any, Any, str]:
    """The inverse of SetCommissionPlan (registered with the undo handler).

    A version no month was approved under is simply removed, so the version
    before it (or the contract default) is in force again. A version some
    month was approved under is kept — that month must still be re-evaluated
    with it — and the previous values come back as a new version; with no
    previous version that is impossible and refused. A plan changed again
    since is refused too.
    """
    db = uow.db
    row = db.get(CommissionPlan, uuid.UUID(entry.entity_id))
    if row is None or row.studio_id != uow.studio.id:
        raise Conflict("That commission plan no longer exists, so there is nothing to undo.")
    whose = "the studio's default commission plan"
    if row.trainer_id is not None:
        trainer = db.get(Person, row.trainer_id)
        whose = f"{trainer.full_name if trainer else 'the trainer'}'s commission plan"
    newest = _newest(db, row.studio_id, row.trainer_id)
    if newest is None or newest.id != row.id:
        raise Conflict(
            f"{whose[0].upper()}{whose[1:]} has been changed again since, so I can't undo your change."
        )
    current = audit.snapshot(row)
    previous = entry.before
    if previous is not None and previous.get("id") == str(row.id):
        # Two changes at the same instant were one version: put its values back in place.
        _assign(row, previous)
        db.flush()
        return current, audit.snapshot(row), f"I've put back {whose} as it was."
    used = db.scalar(
        select(CommissionStatement.id)
        .where(
            CommissionStatement.studio_id == row.studio_id, CommissionStatement.approved_at >= row.created_at
        )
        .limit(1)
    )
    if used is None:
        # Never paid by: remove the version, and the one before it (if any) is in force again.
        db.delete(row)
        db.flush()
        return (
            current,
            audit.snapshot(_newest(db, row.studio_id, row.trainer_id)),
            f"I've undone the change to {whose}.",
        )
    if previous is None:
        raise Conflict(
            f"A month has been approved under {whose} since, so I can't remove it; set the plan you want instead."
        )
    restored = CommissionPlan(
        id=uuid.uuid4(), studio_id=row.studio_id, trainer_id=row.trainer_id, name=row.name, created_at=uow.now
    )
    _assign(restored, previous)
    db.add(restored)
    db.flush()
    return current, audit.snapshot(restored), f"I've put back {whose} as it was."


def _assign(row: CommissionPlan, stored: dict[str, Any]) -> None:
    for key in ("tiers", "mode", "type_rates", "bonus_threshold"):
        setattr(row, key, stored[key])
    amount = stored.get("bonus_amount")
    row.bonus_amount = None if amount is None else Decimal(str(amount))


def _newest(db: Any, studio_id: uuid.UUID, trainer_id: uuid.UUID | None) -> CommissionPlan | None:
    scope = (
        CommissionPlan.trainer_id.is_(None) if trainer_id is None else CommissionPlan.trainer_id == trainer_id
    )
    return db.scalars(
        select(CommissionPlan)
        .where(CommissionPlan.studio_id == studio_id, scope)
        .order_by(CommissionPlan.created_at.desc())
        .limit(1)
    ).first()
