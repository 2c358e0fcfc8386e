"""Handlers: commissions — setting plans and approving months (logic in domain/commission/)."""

from __future__ import annotations

from domain.commission.approval import approve, set_plan, undo_set_plan
from domain.commission.commands import ApproveCommissions, SetCommissionPlan
from domain.commission.plans import Plan
from domain.commission.statements import Statement
from domain.handlers.undo import inverse
from domain.store import UnitOfWork, handles


@handles(SetCommissionPlan)
def set_commission_plan(uow: UnitOfWork, command: SetCommissionPlan) -> Plan:
    """Returns the plan as stored (rates as Decimals, tiers sorted)."""
    return set_plan(uow, command)


@handles(ApproveCommissions)
def approve_commissions(uow: UnitOfWork, command: ApproveCommissions) -> list[Statement]:
    """Returns the statements approved (one, or every trainer's not yet approved)."""
    return approve(uow, command)


# Undoing a plan change (approving is never undone: an approved statement never changes).
inverse("set_commission_plan")(undo_set_plan)
