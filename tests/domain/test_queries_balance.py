"""Package balance behind the matrix: the client, their trainers and managers may look; others may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import actor, give_package, studio_with_people, system

from domain.errors import NotAllowed, NotFound
from domain.model import LedgerEntry
from domain.queries.balance import balances, client_balance


@pytest.fixture
def cast(store, clock):
    cast = studio_with_people(store)
    emma = cast["emma"]
    first = give_package(store, emma, credits=10, price_per_session="80.00")
    old = give_package(
        store, emma, credits=5, price_per_session="90.00", expires_at=clock() - timedelta(days=1)
    )
    with store.sessions() as db, db.begin():
        db.add_all(
            [
                LedgerEntry(package_id=first.id, client_id=emma.id, delta=-1, reason="session_hold"),
                LedgerEntry(package_id=first.id, client_id=emma.id, delta=-1, reason="session_hold"),
                LedgerEntry(package_id=first.id, client_id=emma.id, delta=1, reason="session_release"),
            ]
        )
    cast["packages"] = (first, old)
    return cast


def test_balance_is_the_ledger_of_unexpired_packages(store, cast):
    got = store.run(actor(cast["emma"]), lambda uow: client_balance(uow, cast["emma"].id))
    assert got.client_name == "Emma Wilson"
    assert got.credits == 9  # 10 - 1 - 1 + 1; the expired package's 5 are not usable
    by_id = {p.package_id: p for p in got.packages}
    first, old = cast["packages"]
    assert by_id[first.id].remaining == 9 and not by_id[first.id].expired
    assert by_id[old.id].remaining == 5 and by_id[old.id].expired
    # the listing used by `spotter people list` sums every entry
    assert store.run(system(cast["studio"]), lambda uow: balances(uow, [cast["emma"].id])) == {
        cast["emma"].id: 14
    }


def test_who_may_see_a_balance(store, cast):
    emma_id = cast["emma"].id
    for who in ("emma", "sarah", "manager", "admin"):  # Sarah is Emma's primary trainer
        assert store.run(actor(cast[who]), lambda uow: client_balance(uow, emma_id)).credits == 9
    for who in ("john", "tom"):
        with pytest.raises(NotAllowed):
            store.run(actor(cast[who]), lambda uow: client_balance(uow, emma_id))
    with pytest.raises(NotAllowed):
        store.run(actor(cast["sarah"]), lambda uow: balances(uow, [emma_id]))
    with pytest.raises(NotFound):
        store.run(system(cast["studio"]), lambda uow: client_balance(uow, cast["studio"].id))
