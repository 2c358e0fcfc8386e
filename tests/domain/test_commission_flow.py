"""Commissions through the real session commands: log, validate, dispute, undo — on both databases.

The same rules as test_commission_statements.py, but every session change goes
through `Store.execute`, so the `session_changed` hook is exercised as the
session handlers call it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from builders import actor, studio_with_people, system
from sqlalchemy import func, select

from domain.commands import DisputeSession, LogSession, ResolveDispute, Undo, ValidateSession
from domain.commission.commands import ApproveCommissions, SetCommissionPlan
from domain.commission.queries import statement
from domain.errors import Conflict
from domain.model import AuditEntry, CommissionAdjustment, CommissionPlan
from domain.store import Store

NY = ZoneInfo("America/New_York")
APRIL_2 = datetime(2026, 4, 2, 12, tzinfo=UTC)


@pytest.fixture
def cast(store: Store, clock: Any) -> dict[str, Any]:
    clock.set(APRIL_2)
    return studio_with_people(store)


def log_validated(store: Store, cast: dict[str, Any], trainer: str, local: datetime, **kw: Any) -> uuid.UUID:
    manager = actor(cast["manager"])
    session = store.execute(
        manager, LogSession(cast[trainer].id, cast["emma"].id, local.replace(tzinfo=NY), **kw)
    )
    store.execute(actor(cast["emma"]), ValidateSession(session.id))
    return session.id


def pending_adjustments(store: Store) -> list[Decimal]:
    with store.sessions() as db:
        return [
            a.amount
            for a in db.scalars(select(CommissionAdjustment).order_by(CommissionAdjustment.created_at))
        ]


def test_the_41st_logged_and_confirmed_session_pays_the_next_tier(store: Store, cast: dict[str, Any]) -> None:
    for i in range(41):
        log_validated(store, cast, "sarah", datetime(2026, 3, 1 + i // 8, 8 + i % 8))
    march = statement(store, actor(cast["sarah"]), cast["sarah"].id, "2026-03")
    assert march.sessions == 41  # priced at the studio's drop-in price, 100.00
    assert [line.rate for line in march.lines[-2:]] == [Decimal("0.40"), Decimal("0.45")]
    assert march.total == Decimal("1645.00")


def test_a_logged_session_counts_only_once_confirmed(store: Store, cast: dict[str, Any]) -> None:
    manager = actor(cast["manager"])
    store.execute(manager, LogSession(cast["sarah"].id, cast["emma"].id, datetime(2026, 3, 9, 10, tzinfo=NY)))
    assert statement(store, manager, cast["sarah"].id, "2026-03").lines == ()


def test_substitute_logged_for_another_trainer_pays_the_deliverer(store: Store, cast: dict[str, Any]) -> None:
    sarah, tom = cast["sarah"], cast["tom"]
    store.execute(
        actor(cast["manager"]), SetCommissionPlan(trainer_id=tom.id, tiers=[{"from": 1, "rate": "0.30"}])
    )
    covered = log_validated(store, cast, "tom", datetime(2026, 3, 9, 10), substitute_for_id=sarah.id)
    toms = statement(store, system(cast["studio"]), tom.id, "2026-03")
    assert [(line.session_id, line.amount) for line in toms.lines] == [(covered, Decimal("30.00"))]
    assert statement(store, system(cast["studio"]), sarah.id, "2026-03").total == Decimal("0.00")


def test_dispute_and_late_confirmation_after_approval_become_adjustments(
    store: Store, cast: dict[str, Any]
) -> None:
    sarah, manager, emma = cast["sarah"], actor(cast["manager"]), actor(cast["emma"])
    first = log_validated(store, cast, "sarah", datetime(2026, 3, 9, 10))
    late = store.execute(manager, LogSession(sarah.id, cast["emma"].id, datetime(2026, 3, 10, 10, tzinfo=NY)))
    store.execute(manager, ApproveCommissions("2026-03"))

    store.execute(emma, DisputeSession(first, "I wasn't there"))  # validated -> disputed: -40
    store.execute(emma, ValidateSession(late.id))  # confirmed after approval: +40
    store.execute(manager, ResolveDispute(first, upheld=False))  # back to validated: +40
    assert pending_adjustments(store) == [Decimal("-40.00"), Decimal("40.00"), Decimal("40.00")]

    march = statement(store, manager, sarah.id, "2026-03")
    assert march.status == "approved" and march.total == Decimal("40.00")
    april = statement(store, manager, sarah.id, "2026-04")
    assert april.status == "draft" and april.adjustments == Decimal("40.00") == april.total


def test_undoing_a_confirmation_after_approval_is_an_adjustment(store: Store, cast: dict[str, Any]) -> None:
    sarah = cast["sarah"]
    manager = actor(cast["manager"])
    session = store.execute(
        manager, LogSession(sarah.id, cast["emma"].id, datetime(2026, 3, 9, 10, tzinfo=NY))
    )
    store.execute(manager, ValidateSession(session.id))
    store.execute(system(cast["studio"]), ApproveCommissions("2026-03"))
    store.execute(manager, Undo())  # the manager's last change: the confirmation
    assert pending_adjustments(store) == [Decimal("-40.00")]


def test_approval_cannot_be_undone(store: Store, cast: dict[str, Any]) -> None:
    manager = actor(cast["manager"])
    log_validated(store, cast, "sarah", datetime(2026, 3, 9, 10))
    store.execute(manager, ApproveCommissions("2026-03"))
    with pytest.raises(Conflict, match="can't be undone"):
        store.execute(manager, Undo())
    assert statement(store, manager, cast["sarah"].id, "2026-03").status == "approved"


def test_undo_a_plan_change_puts_the_previous_plan_back(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    manager, sarah = actor(cast["manager"]), cast["sarah"]
    log_validated(store, cast, "sarah", datetime(2026, 3, 9, 10))
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.30"}]))
    clock.advance(minutes=5)
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.60"}]))
    assert statement(store, manager, sarah.id, "2026-03").total == Decimal("60.00")
    clock.advance(minutes=5)
    store.execute(manager, Undo())
    assert statement(store, manager, sarah.id, "2026-03").total == Decimal("30.00")
    clock.advance(minutes=5)
    store.execute(
        manager, Undo()
    )  # the first plan had nothing before it: removed, the contract default applies
    assert statement(store, manager, sarah.id, "2026-03").total == Decimal("40.00")
    with store.sessions() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "undo")) == 2


def test_a_plan_a_month_was_approved_under_is_not_removed_by_undo(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    manager = actor(cast["manager"])
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.30"}]))
    clock.advance(minutes=5)
    store.execute(system(cast["studio"]), ApproveCommissions("2026-03"))
    with pytest.raises(Conflict, match="approved"):
        store.execute(manager, Undo())
    with store.sessions() as db:
        assert db.scalar(select(func.count()).select_from(CommissionPlan)) == 1


def test_undo_after_an_approval_restores_as_a_new_version(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    manager, sarah = actor(cast["manager"]), cast["sarah"]
    first = log_validated(store, cast, "sarah", datetime(2026, 3, 9, 10))
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.30"}]))
    clock.advance(minutes=5)
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.60"}]))
    clock.advance(minutes=5)
    store.execute(system(cast["studio"]), ApproveCommissions("2026-03"))
    clock.advance(minutes=5)
    store.execute(manager, Undo())  # back to 0.30 from now on; March stays paid at 0.60
    assert statement(store, manager, sarah.id, "2026-03").total == Decimal("60.00")
    log_validated(store, cast, "sarah", datetime(2026, 4, 1, 10))
    assert statement(store, manager, sarah.id, "2026-04").total == Decimal("30.00")
    store.execute(actor(cast["emma"]), DisputeSession(first, "not me"))
    assert pending_adjustments(store) == [Decimal("-60.00")]  # at the plan March was approved under
