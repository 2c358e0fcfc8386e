"""Commission statements on both databases: plans, months, approval, adjustments, authorization.

Sessions are inserted directly with a small helper (`add_session`) and changed
with `change_session`, which does what a session command does: snapshot,
change, then call the `session_changed` hook in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from builders import actor, studio_with_people, system
from sqlalchemy import func, select

from domain import audit
from domain.actor import Actor
from domain.commission.commands import ApproveCommissions, SetCommissionPlan
from domain.commission.hooks import session_changed
from domain.commission.queries import commission_lines, month_commission, statement
from domain.errors import Conflict, InvalidInput, NotAllowed
from domain.model import (
    AuditEntry,
    CommissionAdjustment,
    CommissionLine,
    CommissionStatement,
    Person,
    Studio,
    TrainingSession,
)
from domain.store import Store, UnitOfWork

APRIL_2 = datetime(2026, 4, 2, 12, tzinfo=UTC)
MAY_2 = datetime(2026, 5, 2, 12, tzinfo=UTC)


# --- helpers -----------------------------------------------------------------


def add_session(
    store: Store,
    studio: Studio,
    trainer: Person,
    client: Person,
    local: datetime,
    price: str = "100.00",
    status: str = "validated",
    session_type: str = "standard",
    substitute_for: Person | None = None,
    minutes: int = 60,
) -> uuid.UUID:
    """A session inserted directly; `local` is the wall clock in the studio's zone."""
    start = local.replace(tzinfo=ZoneInfo(studio.tz)).astimezone(UTC)
    session_id = uuid.uuid4()
    with store.sessions() as db, db.begin():
        db.add(
            TrainingSession(
                id=session_id,
                studio_id=studio.id,
                trainer_id=trainer.id,
                client_id=client.id,
                slot_id=session_id,
                start_at=start,
                end_at=start + timedelta(minutes=minutes),
                start_local=local,
                duration_minutes=minutes,
                session_type=session_type,
                status=status,
                substitute_for_id=substitute_for.id if substitute_for else None,
                price=Decimal(price),
            )
        )
    return session_id


def add_month(
    store: Store, studio: Studio, trainer: Person, client: Person, n: int, month: int = 3, **kw: Any
) -> list[uuid.UUID]:
    """n validated sessions in 2026-`month`, eight a day from 08:00, never overlapping."""
    return [
        add_session(store, studio, trainer, client, datetime(2026, month, 1 + i // 8, 8 + i % 8), **kw)
        for i in range(n)
    ]


def change_session(
    store: Store, session_id: uuid.UUID, local: datetime | None = None, **changes: Any
) -> None:
    """What a session command does: snapshot, change, call the commission hook."""

    def work(uow: UnitOfWork) -> None:
        session = uow.db.get(TrainingSession, session_id)
        assert session is not None
        before = audit.snapshot(session)
        for key, value in changes.items():
            setattr(session, key, value)
        if local is not None:
            start = local.replace(tzinfo=uow.studio.zone).astimezone(UTC)
            session.start_local, session.start_at = local, start
            session.end_at = start + timedelta(minutes=session.duration_minutes)
        uow.db.flush()
        session_changed(uow, session, before)

    with store.sessions() as db:
        studio_id = db.scalar(select(TrainingSession.studio_id).where(TrainingSession.id == session_id))
    assert studio_id is not None
    store.run(Actor.system(studio_id, "test"), work)


def audit_count(store: Store, action: str) -> int:
    with store.sessions() as db:
        return db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)) or 0


def adjustments(store: Store) -> list[CommissionAdjustment]:
    with store.sessions() as db:
        return list(db.scalars(select(CommissionAdjustment).order_by(CommissionAdjustment.created_at)))


@pytest.fixture
def cast(store: Store) -> dict[str, Any]:
    return studio_with_people(store)


# --- tiers, types, bonus, plans -----------------------------------------------


def test_default_contract_plan_is_marginal_at_the_41st_session(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    boss = system(studio)
    add_month(store, studio, sarah, emma, 40)
    assert statement(store, boss, sarah.id, "2026-03").total == Decimal("1600.00")
    add_session(store, studio, sarah, emma, datetime(2026, 3, 20, 9))
    march = statement(store, boss, sarah.id, "2026-03")
    assert march.status == "draft" and march.sessions == 41
    assert march.lines[-1].rate == Decimal("0.45")
    assert march.total == Decimal("1645.00")


def test_retroactive_plan_pays_the_whole_month_at_the_reached_tier(
    store: Store, cast: dict[str, Any]
) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    manager = actor(cast["manager"])
    store.execute(manager, SetCommissionPlan(mode="retroactive"))
    add_month(store, studio, sarah, emma, 40)
    assert month_commission(store, manager, sarah.id, "2026-03") == Decimal("1600.00")
    add_session(store, studio, sarah, emma, datetime(2026, 3, 20, 9))
    march = statement(store, manager, sarah.id, "2026-03")
    assert {line.rate for line in march.lines} == {Decimal("0.45")}
    assert march.total == Decimal("45.00") * 41


def test_type_rate_and_bonus(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    store.execute(
        actor(cast["admin"]),
        SetCommissionPlan(
            tiers=[{"from": 1, "rate": "0.40"}],
            type_rates={"nutrition": "0.25"},
            bonus_threshold=3,
            bonus_amount="75",
        ),
    )
    add_month(store, studio, sarah, emma, 2, price="80.00")
    add_session(store, studio, sarah, emma, datetime(2026, 3, 10, 9), price="60.00", session_type="nutrition")
    march = statement(store, system(studio), sarah.id, "2026-03")
    kinds = [line.kind for line in march.lines]
    assert kinds == ["session", "session", "session", "bonus"]
    nutrition = [line for line in march.lines if line.session_id and line.price == Decimal("60.00")][0]
    assert nutrition.rate == Decimal("0.25") and nutrition.amount == Decimal("15.00")
    assert march.total == Decimal("32.00") * 2 + Decimal("15.00") + Decimal("75.00")
    assert march.total == sum(line.amount for line in march.lines)


def test_trainer_override_beats_the_studio_default(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    manager = actor(cast["manager"])
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.30"}]))
    store.execute(manager, SetCommissionPlan(trainer_id=sarah.id, tiers=[{"from": 1, "rate": "0.50"}]))
    add_month(store, studio, sarah, emma, 2)
    add_month(store, studio, tom, emma, 2)
    assert month_commission(store, manager, sarah.id, "2026-03") == Decimal("100.00")
    assert month_commission(store, manager, tom.id, "2026-03") == Decimal("60.00")
    assert audit_count(store, "set_commission_plan") == 2


def test_substitute_is_credited_to_the_trainer_who_delivered(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    manager = actor(cast["manager"])
    store.execute(manager, SetCommissionPlan(trainer_id=tom.id, tiers=[{"from": 1, "rate": "0.35"}]))
    covered = add_session(store, studio, tom, emma, datetime(2026, 3, 5, 10), substitute_for=sarah)
    toms = statement(store, manager, tom.id, "2026-03")
    assert [line.session_id for line in toms.lines] == [covered]
    assert toms.total == Decimal("35.00")
    assert statement(store, manager, sarah.id, "2026-03").lines == ()


def test_month_is_the_studio_month_not_utc(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    late = add_session(store, studio, sarah, emma, datetime(2026, 3, 31, 23, 30))  # 03:30 UTC on 1 April
    boss = system(studio)
    assert [line.session_id for line in statement(store, boss, sarah.id, "2026-03").lines] == [late]
    assert statement(store, boss, sarah.id, "2026-04").lines == ()


def test_only_validated_sessions_earn(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    for hour, status in zip(
        range(8, 13), ["pending_validation", "disputed", "cancelled", "no_show", "scheduled"], strict=True
    ):
        add_session(store, studio, sarah, emma, datetime(2026, 3, 2, hour), status=status)
    paid = add_session(store, studio, sarah, emma, datetime(2026, 3, 3, 9))
    march = statement(store, system(studio), sarah.id, "2026-03")
    assert [line.session_id for line in march.lines] == [paid]


# --- approval ----------------------------------------------------------------


def test_approval_freezes_and_a_later_change_becomes_an_adjustment(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    manager = actor(cast["manager"])
    march_ids = add_month(store, studio, sarah, emma, 3)
    clock.set(APRIL_2)
    [approved] = store.execute(manager, ApproveCommissions("2026-03", trainer_id=sarah.id))
    assert approved.status == "approved" and approved.total == Decimal("120.00")

    change_session(store, march_ids[0], status="cancelled")  # a March session undone after payroll
    march = statement(store, manager, sarah.id, "2026-03")
    assert march.status == "approved" and march.total == Decimal("120.00") and march.sessions == 3
    assert march.approved_by_id == cast["manager"].id and march.approved_at == APRIL_2
    [adjustment] = adjustments(store)
    assert adjustment.amount == Decimal("-40.00") and adjustment.month == "2026-03"
    assert adjustment.session_id == march_ids[0]

    april_session = add_session(store, studio, sarah, emma, datetime(2026, 4, 1, 9))
    april = statement(store, manager, sarah.id, "2026-04")
    assert [line.kind for line in april.lines] == ["session", "adjustment"]
    assert april.lines[1].amount == Decimal("-40.00") and april.lines[1].session_id == march_ids[0]
    assert "March 2026" in april.lines[1].description
    assert april.total == Decimal("0.00")  # 40.00 earned − 40.00 correction

    clock.set(MAY_2)
    [approved_april] = store.execute(manager, ApproveCommissions("2026-04", trainer_id=sarah.id))
    assert approved_april.total == Decimal("0.00")
    assert [a.applied_statement_id for a in adjustments(store)] == [approved_april.id]
    assert statement(store, manager, sarah.id, "2026-05").lines == ()  # applied once, not carried again
    assert statement(store, manager, sarah.id, "2026-04").lines[0].session_id == april_session


def test_adjustments_add_up_over_several_changes_and_moves(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    manager = actor(cast["manager"])
    march_ids = add_month(store, studio, sarah, emma, 2)
    pending = add_session(store, studio, sarah, emma, datetime(2026, 3, 20, 9), status="pending_validation")
    clock.set(APRIL_2)
    store.execute(manager, ApproveCommissions("2026-03"))

    change_session(store, pending, status="validated")  # confirmed late: +40
    clock.advance(minutes=1)
    change_session(store, march_ids[1], price=Decimal("150.00"))  # price corrected: +20
    clock.advance(minutes=1)
    change_session(store, march_ids[0], local=datetime(2026, 4, 1, 10))  # moved into April: −40 for March
    amounts = [a.amount for a in adjustments(store)]
    assert amounts == [Decimal("40.00"), Decimal("20.00"), Decimal("-40.00")]
    april = statement(store, manager, sarah.id, "2026-04")
    assert april.earned == Decimal("40.00")  # the moved session now earns in April
    assert april.adjustments == Decimal("20.00")
    assert april.total == Decimal("60.00")
    assert statement(store, manager, sarah.id, "2026-03").total == Decimal("80.00")  # frozen


def test_a_plan_change_after_approval_does_not_rewrite_the_month(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    manager = actor(cast["manager"])
    ids = add_month(store, studio, sarah, emma, 2)
    clock.set(APRIL_2)
    store.execute(manager, ApproveCommissions("2026-03"))
    clock.advance(hours=1)
    store.execute(manager, SetCommissionPlan(tiers=[{"from": 1, "rate": "0.90"}]))
    change_session(store, ids[0], price=Decimal("110.00"))
    assert [a.amount for a in adjustments(store)] == [
        Decimal("4.00")
    ]  # 0.40 × 10.00, the rate March was approved at


def test_moving_a_session_between_trainers_adjusts_both(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    ids = add_month(store, studio, sarah, emma, 2)
    clock.set(APRIL_2)
    store.execute(system(studio), ApproveCommissions("2026-03"))
    change_session(store, ids[0], trainer_id=tom.id)
    found = {(a.trainer_id, a.amount) for a in adjustments(store)}
    assert found == {(sarah.id, Decimal("-40.00")), (tom.id, Decimal("40.00"))}


def test_approving_every_trainer_writes_one_audit_entry(
    store: Store, clock: Any, cast: dict[str, Any]
) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    add_month(store, studio, sarah, emma, 2)
    add_month(store, studio, tom, emma, 1, price="50.00")
    clock.set(APRIL_2)
    approved = store.execute(actor(cast["admin"]), ApproveCommissions("2026-03"))
    assert {s.trainer_id: s.total for s in approved} == {sarah.id: Decimal("80.00"), tom.id: Decimal("20.00")}
    with store.sessions() as db:
        entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "approve_commissions")).all()
        assert len(entries) == 1
        assert entries[0].entity_id == "2026-03"
        listed = {item["trainer_id"]: item["total"] for item in entries[0].after["statements"]}
        assert listed == {str(sarah.id): "80.00", str(tom.id): "20.00"}
        assert db.scalar(select(func.count()).select_from(CommissionStatement)) == 2
        assert db.scalar(select(func.count()).select_from(CommissionLine)) == 3


def test_approval_is_refused_politely(store: Store, clock: Any, cast: dict[str, Any]) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    manager = actor(cast["manager"])
    add_month(store, studio, sarah, emma, 1)
    clock.set(datetime(2026, 4, 1, 3, 30, tzinfo=UTC))  # April in UTC, still 31 March in New York
    with pytest.raises(InvalidInput, match="March 2026 hasn't ended"):
        store.execute(manager, ApproveCommissions("2026-03"))
    with pytest.raises(InvalidInput, match="2026-3"):
        store.execute(manager, ApproveCommissions("2026-3"))
    clock.set(APRIL_2)
    store.execute(manager, ApproveCommissions("2026-03", trainer_id=sarah.id))
    with pytest.raises(Conflict, match="Sarah Lee's commissions for March 2026 are already approved"):
        store.execute(manager, ApproveCommissions("2026-03", trainer_id=sarah.id))
    store.execute(manager, ApproveCommissions("2026-03"))  # the rest: Tom
    with pytest.raises(Conflict, match="already approved for every trainer"):
        store.execute(manager, ApproveCommissions("2026-03"))
    assert audit_count(store, "approve_commissions") == 2


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("manager", True), ("sarah", False), ("emma", False)]
)
def test_approval_authorization_by_role(
    store: Store, clock: Any, cast: dict[str, Any], who: str, allowed: bool
) -> None:
    studio, sarah, emma = cast["studio"], cast["sarah"], cast["emma"]
    add_month(store, studio, sarah, emma, 1)
    clock.set(APRIL_2)
    command = ApproveCommissions("2026-03", trainer_id=sarah.id)
    if allowed:
        store.execute(actor(cast[who]), command)
    else:
        with pytest.raises(NotAllowed, match="approve commissions"):
            store.execute(actor(cast[who]), command)
    assert audit_count(store, "approve_commissions") == (1 if allowed else 0)
    assert statement(store, system(studio), sarah.id, "2026-03").status == (
        "approved" if allowed else "draft"
    )


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("manager", True), ("sarah", False), ("emma", False)]
)
def test_set_plan_authorization_by_role(store: Store, cast: dict[str, Any], who: str, allowed: bool) -> None:
    command = SetCommissionPlan(tiers=[{"from": 1, "rate": "0.50"}])
    if allowed:
        store.execute(actor(cast[who]), command)
    else:
        with pytest.raises(NotAllowed, match="commission plans"):
            store.execute(actor(cast[who]), command)
    assert audit_count(store, "set_commission_plan") == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (SetCommissionPlan(mode="flat"), "marginal or retroactive"),
        (SetCommissionPlan(tiers=[]), "at least one tier"),
        (
            SetCommissionPlan(tiers=[{"from": 1, "rate": "0.50"}, {"from": 10, "rate": "0.40"}]),
            "can't go down",
        ),
        (SetCommissionPlan(tiers=[{"from": 1, "rate": "40"}]), "between 0 and 1"),
        (SetCommissionPlan(type_rates={"yoga": "0.3"}), "no session type"),
        (SetCommissionPlan(bonus_threshold=10), "both"),
    ],
)
def test_set_plan_refuses_nonsense(
    store: Store, cast: dict[str, Any], command: SetCommissionPlan, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        store.execute(actor(cast["manager"]), command)
    assert audit_count(store, "set_commission_plan") == 0


def test_trainer_sees_only_their_own_commission(store: Store, cast: dict[str, Any]) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    add_month(store, studio, sarah, emma, 1)
    assert month_commission(store, actor(sarah), sarah.id, "2026-03") == Decimal("40.00")
    with pytest.raises(NotAllowed):
        statement(store, actor(sarah), tom.id, "2026-03")
    with pytest.raises(NotAllowed):
        statement(store, actor(emma), sarah.id, "2026-03")
    with store.sessions() as db:  # an open session works as well as the store
        assert statement(db, actor(cast["manager"]), sarah.id, "2026-03").total == Decimal("40.00")


def test_commission_lines_carry_trainer_and_session(store: Store, clock: Any, cast: dict[str, Any]) -> None:
    studio, sarah, tom, emma = cast["studio"], cast["sarah"], cast["tom"], cast["emma"]
    s_ids = add_month(store, studio, sarah, emma, 2)
    t_ids = add_month(store, studio, tom, emma, 1, session_type="group")
    clock.set(APRIL_2)
    store.execute(system(studio), ApproveCommissions("2026-03", trainer_id=sarah.id))
    with store.sessions() as db:
        lines = commission_lines(db, studio, None, "2026-03")
        only_tom = commission_lines(db, studio.id, tom.id, "2026-03")
    assert {(line.trainer_id, line.session_id) for line in lines} == {(sarah.id, i) for i in s_ids} | {
        (tom.id, t_ids[0])
    }
    assert {line.trainer_id: line.status for line in lines} == {sarah.id: "approved", tom.id: "draft"}
    assert [line.session_id for line in only_tom] == t_ids
