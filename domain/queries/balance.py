"""A client's package balance, behind the authorization matrix.

The arithmetic is `domain.ledger` (the sum of ledger entries); this module
only decides who may ask (`view_balance`: the client themselves, their
trainers, managers) and shapes the answer for a channel.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain import ledger
from domain.authz import require_person, require_role
from domain.errors import NotAllowed, NotFound
from domain.model import Person
from domain.store import UnitOfWork


@dataclass(frozen=True)
class PackageLine:
    package_id: uuid.UUID
    name: str | None
    credits: int
    remaining: int
    price_per_session: Decimal
    purchased_at: datetime
    expires_at: datetime | None
    expired: bool


@dataclass(frozen=True)
class Balance:
    client_id: uuid.UUID
    client_name: str
    credits: int  # usable now: packages not expired
    packages: tuple[PackageLine, ...]


def client_balance(uow: UnitOfWork, client_id: uuid.UUID) -> Balance:
    """The client's usable credits now, and each package with what is left of it."""
    require_role(uow.actor, "view_balance")
    client = uow.db.get(Person, client_id)
    if client is None or client.studio_id != uow.actor.studio_id:
        raise NotFound("I can't find that client.")
    require_person(uow.db, uow.actor, "view_balance", client)
    zone = uow.studio.zone
    lines = tuple(
        PackageLine(
            package_id=pb.package.id,
            name=pb.package.name,
            credits=pb.package.credits,
            remaining=pb.remaining,
            price_per_session=pb.package.price_per_session,
            purchased_at=pb.package.purchased_at.astimezone(zone),
            expires_at=pb.package.expires_at.astimezone(zone) if pb.package.expires_at else None,
            expired=pb.expired,
        )
        for pb in ledger.package_balances(uow.db, client_id, at=uow.now)
    )
    usable = sum(line.remaining for line in lines if not line.expired)
    return Balance(client.id, client.full_name, usable, lines)


def balances(uow: UnitOfWork, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Credits per client for a listing (managers: `spotter people list`); ledger sums, no expiry."""
    require_role(uow.actor, "view_balance")
    if not uow.actor.is_manager:
        raise NotAllowed("Sorry, you can't see every client's package.")
    return {client_id: ledger.balance(uow.db, client_id) for client_id in client_ids}
