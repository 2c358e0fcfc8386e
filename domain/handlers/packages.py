"""Handlers: packages — selling credits. The purchase is the package's first ledger entry."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain import audit
from domain.authz import require_person, require_role
from domain.commands import SellPackage
from domain.errors import InvalidInput
from domain.handlers.common import get_client
from domain.ledger import PURCHASE
from domain.model import LedgerEntry, Package
from domain.model.types import to_money
from domain.store import UnitOfWork, handles
from domain.timeutil import to_utc

MAX_CREDITS = 1000


@handles(SellPackage)
def sell_package(uow: UnitOfWork, cmd: SellPackage) -> Package:
    require_role(uow.actor, "sell_package")
    client = get_client(uow, cmd.client_id)
    require_person(uow.db, uow.actor, "sell_package", client)
    if not isinstance(cmd.credits, int) or not 0 < cmd.credits <= MAX_CREDITS:
        raise InvalidInput(f"A package has between 1 and {MAX_CREDITS} sessions.")
    try:
        price = to_money(Decimal(str(cmd.price_per_session)))
    except (InvalidOperation, ValueError) as error:
        raise InvalidInput("I couldn't read that price.") from error
    if price < 0:
        raise InvalidInput("A price can't be negative.")
    purchased_at = to_utc(cmd.purchased_at, "purchase date") if cmd.purchased_at else uow.now
    if purchased_at > uow.now:
        raise InvalidInput("A package can't be sold in the future.")
    expires_at = to_utc(cmd.expires_at, "expiry date") if cmd.expires_at else None
    if expires_at is not None and expires_at <= purchased_at:
        raise InvalidInput("A package must expire after it is bought.")
    package = Package(
        studio_id=client.studio_id,
        client_id=client.id,
        credits=cmd.credits,
        price_per_session=price,
        purchased_at=purchased_at,
        expires_at=expires_at,
        name=cmd.name,
        created_at=uow.now,
    )
    uow.db.add(package)
    uow.db.flush()
    uow.db.add(
        LedgerEntry(
            package_id=package.id,
            client_id=client.id,
            delta=cmd.credits,
            reason=PURCHASE,
            created_at=purchased_at,
        )
    )
    uow.db.flush()
    audit.record(uow.db, uow.actor, "sell_package", "package", package.id, None, audit.snapshot(package))
    return package
