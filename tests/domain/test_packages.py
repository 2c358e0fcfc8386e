"""Selling packages, and balances derived from the ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from builders import actor, audit_entries, credits, db_state, studio_with_people
from scenarios import ny
from sqlalchemy import select

from domain.commands import BookSession, CancelSession, LogSession, SellPackage
from domain.errors import InvalidInput
from domain.ledger import balance, package_balances
from domain.model import LedgerEntry


@pytest.fixture
def cast(store):
    return studio_with_people(store)


def test_sell_package(store, cast):
    p = store.execute(actor(cast["manager"]), SellPackage(cast["emma"].id, 10, Decimal("72.505")))
    assert (p.credits, p.price_per_session, p.purchased_at, p.expires_at) == (
        10,
        Decimal("72.51"),
        store.clock(),
        None,
    )
    assert credits(store, cast["emma"]) == 10
    with store.sessions() as db:
        (entry,) = db.scalars(select(LedgerEntry))
    assert (entry.delta, entry.reason, entry.session_id) == (10, "purchase", None)
    assert audit_entries(store)[-1].after["credits"] == 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"credits": 0}, "between 1 and"),
        ({"credits": 1001}, "between 1 and"),
        ({"price_per_session": Decimal("-1")}, "negative"),
        ({"price_per_session": "abc"}, "couldn't read that price"),
        ({"purchased_at": ny(2026, 4, 1)}, "in the future"),
        ({"expires_at": ny(2026, 3, 1)}, "expire after"),
    ],
)
def test_sell_refusals(store, cast, kwargs, message):
    args = {"client_id": cast["emma"].id, "credits": 5, "price_per_session": Decimal("70")} | kwargs
    state = db_state(store)
    with pytest.raises(InvalidInput, match=message):
        store.execute(actor(cast["manager"]), SellPackage(**args))
    assert db_state(store) == state


def test_sell_to_a_trainer_is_refused(store, cast):
    with pytest.raises(InvalidInput, match="Sarah Lee isn't a client"):
        store.execute(actor(cast["manager"]), SellPackage(cast["sarah"].id, 5, Decimal("70")))


def test_balances_follow_the_ledger_and_expiry(store, cast):
    now = store.clock()
    mia = actor(cast["manager"])
    short = store.execute(
        mia,
        SellPackage(
            cast["emma"].id,
            2,
            Decimal("80"),
            purchased_at=now - timedelta(days=40),
            expires_at=now + timedelta(days=10),
        ),
    )
    long = store.execute(
        mia, SellPackage(cast["emma"].id, 5, Decimal("70"), purchased_at=now - timedelta(days=1))
    )
    s = store.execute(
        actor(cast["sarah"]), BookSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 13, 15))
    )
    store.execute(actor(cast["sarah"]), LogSession(cast["sarah"].id, cast["emma"].id, ny(2026, 3, 10, 15)))
    with store.sessions() as db:
        assert balance(db, cast["emma"].id) == 5
        by_package = {pb.package.id: pb.remaining for pb in package_balances(db, cast["emma"].id)}
        assert by_package == {short.id: 0, long.id: 5}
        later = now + timedelta(days=11)
        assert balance(db, cast["emma"].id, at=later) == 5  # the short package has expired (and was empty)
        assert [pb.expired for pb in package_balances(db, cast["emma"].id, at=later)] == [True, False]
        assert balance(db, cast["emma"].id, at=now - timedelta(days=20)) == 2  # before the second purchase
    store.execute(actor(cast["sarah"]), CancelSession(s.id))
    with store.sessions() as db:
        assert {pb.package.id: pb.remaining for pb in package_balances(db, cast["emma"].id)}[short.id] == 1
        assert (
            balance(db, cast["emma"].id, at=now + timedelta(days=11)) == 5
        )  # the returned credit expired too
