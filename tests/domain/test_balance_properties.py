"""Property: a client's balance equals credits minus debits, whatever the order of commands.

A random sequence of sell, book, log, cancel, no-show, validate, dispute,
resolve, undo and the clock moving on runs against a fresh studio with random
policies (refused commands are part of the game). After every step, computed
without the ledger's own arithmetic:

* the balance is the credits of packages sold and not undone, minus the
  sessions that hold a credit of a package;
* each session's ledger entries net to minus one exactly when it holds a credit;
* what a session holds agrees with the policy for its state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from builders import actor, studio_with_people
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from domain.commands import (
    BookSession,
    CancelSession,
    DisputeSession,
    LogSession,
    MarkNoShow,
    ResolveDispute,
    SellPackage,
    Undo,
    ValidateSession,
)
from domain.errors import SpotterError
from domain.ledger import balance
from domain.model import AuditEntry, LedgerEntry, Package, Studio, TrainingSession
from domain.policy import holds_credit

BASE = datetime(2026, 3, 11, 21, 20, tzinfo=UTC)

steps = st.one_of(
    st.tuples(st.just("sell"), st.integers(1, 3)),
    st.tuples(st.just("book"), st.integers(1, 72)),
    st.tuples(st.just("log"), st.integers(1, 72)),
    st.tuples(st.sampled_from(["cancel", "no_show", "validate", "dispute"]), st.integers(0, 9)),
    st.tuples(st.just("resolve"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("undo"), st.sampled_from(["manager", "sarah", "emma"])),
    st.tuples(st.just("advance"), st.integers(1, 30)),
)


def check(store, cast) -> None:
    emma = cast["emma"].id
    with store.sessions() as db:
        studio = db.get(Studio, cast["studio"].id)
        undone_sales = {
            e.entity_id
            for e in db.scalars(
                select(AuditEntry).where(AuditEntry.action == "undo", AuditEntry.entity_type == "package")
            )
        }
        bought = sum(
            p.credits
            for p in db.scalars(select(Package).where(Package.client_id == emma))
            if str(p.id) not in undone_sales
        )
        sessions = list(db.scalars(select(TrainingSession).where(TrainingSession.client_id == emma)))
        holding = [s for s in sessions if s.holds_credit and s.package_id is not None]
        ledger_sum = db.scalar(
            select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(LedgerEntry.client_id == emma)
        )
        assert balance(db, emma) == ledger_sum == bought - len(holding)
        for s in sessions:
            net = db.scalar(
                select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(LedgerEntry.session_id == s.id)
            )
            assert -net == (1 if s.holds_credit and s.package_id else 0), s.status
            if s.cancel_reason != "undone":
                assert s.holds_credit == holds_credit(s, studio), (s.status, s.late_cancel, s.dispute_upheld)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=st.lists(steps, min_size=1, max_size=14),
    late_uses=st.booleans(),
    no_show_uses=st.booleans(),
    drop_in=st.booleans(),
)
def test_balance_is_credits_minus_debits_whatever_the_order(
    store, clock, plan, late_uses, no_show_uses, drop_in
):
    clock.set(BASE)
    cast = studio_with_people(
        store,
        late_cancel_uses_credit=late_uses,
        no_show_uses_credit=no_show_uses,
        allow_booking_without_credit=drop_in,
    )
    who = {k: actor(cast[k]) for k in ("manager", "sarah", "emma")}
    sarah, emma = cast["sarah"].id, cast["emma"].id
    made: list = []
    for step in plan:
        kind = step[0]
        try:
            if kind == "sell":
                store.execute(who["manager"], SellPackage(emma, step[1], Decimal("70")))
            elif kind == "book":
                made.append(
                    store.execute(
                        who["emma"], BookSession(sarah, emma, clock() + timedelta(hours=step[1]))
                    ).id
                )
            elif kind == "log":
                made.append(
                    store.execute(
                        who["sarah"], LogSession(sarah, emma, clock() - timedelta(hours=step[1]))
                    ).id
                )
            elif kind == "advance":
                clock.advance(hours=step[1])
            elif kind == "undo":
                store.execute(who[step[1]], Undo())
            elif made:
                sid = made[step[1] % len(made)]
                upheld = step[2] if len(step) > 2 else True
                command = {
                    "cancel": (who["emma"], CancelSession(sid)),
                    "no_show": (who["sarah"], MarkNoShow(sid)),
                    "validate": (who["emma"], ValidateSession(sid)),
                    "dispute": (who["emma"], DisputeSession(sid)),
                    "resolve": (who["manager"], ResolveDispute(sid, upheld=upheld)),
                }[kind]
                store.execute(*command)
        except SpotterError:
            pass  # a refusal changes nothing; the invariants must still hold
        check(store, cast)
