"""Credits: balances derived from the ledger, the choice of package, and reconcile.

A package's balance is the sum of its ledger entries — the purchase (+credits),
then -1 when a session starts holding a credit and +1 when it gives it back.
There is no counter to drift. `reconcile(db, session, now)` is the only code
that writes hold/release entries: it compares what the session holds in the
ledger (minus the sum of its entries) with what `session.holds_credit` says
and adds the difference. Every command and undo goes through it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, or_, select
from sqlalchemy.orm import Session

from domain.model import LedgerEntry, Package, TrainingSession

PURCHASE = "purchase"
HOLD = "session_hold"
RELEASE = "session_release"
SALE_UNDONE = "sale_undone"


def balance(db: Session, client_id: uuid.UUID, at: datetime | None = None) -> int:
    """A client's credits.

    Without `at`: every ledger entry of every package (expired ones included).
    With `at`: the credits usable at that moment — entries written up to `at`
    on packages not expired at `at`.
    """
    query = select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(LedgerEntry.client_id == client_id)
    if at is not None:
        query = (
            query.join(Package, Package.id == LedgerEntry.package_id)
            .where(LedgerEntry.created_at <= at)
            .where(or_(Package.expires_at.is_(None), Package.expires_at > at))
        )
    return int(db.scalar(query) or 0)


@dataclass(frozen=True)
class PackageBalance:
    package: Package
    remaining: int
    expired: bool


def package_balances(db: Session, client_id: uuid.UUID, at: datetime | None = None) -> list[PackageBalance]:
    """Each of the client's packages with its remaining credits, oldest first.

    `expired` is judged at `at` (never expired when `at` is None).
    """
    sums = (
        select(LedgerEntry.package_id, func.sum(LedgerEntry.delta).label("remaining"))
        .where(LedgerEntry.client_id == client_id)
        .group_by(LedgerEntry.package_id)
        .subquery()
    )
    rows = db.execute(
        select(Package, func.coalesce(sums.c.remaining, 0))
        .outerjoin(sums, sums.c.package_id == Package.id)
        .where(Package.client_id == client_id)
        .order_by(Package.purchased_at, Package.created_at)
    ).all()
    return [
        PackageBalance(
            package,
            int(remaining),
            at is not None and package.expires_at is not None and package.expires_at <= at,
        )
        for package, remaining in rows
    ]


@dataclass(frozen=True, slots=True)
class PackageChoice:
    """What a new session needs of the package it draws on (a read-only value, not an ORM row)."""

    id: uuid.UUID
    price_per_session: Decimal
    expires_at: datetime | None
    purchased_at: datetime


_packages, _ledger = Package.__table__, LedgerEntry.__table__
_remaining = (
    select(_ledger.c.package_id, func.sum(_ledger.c.delta).label("remaining"))
    .where(_ledger.c.client_id == bindparam("client_id"))
    .group_by(_ledger.c.package_id)
    .subquery()
)
# Built once: a Core select of the columns the choice needs, with each package's remaining credits.
_SELECT_CHOICES = (
    select(
        _packages.c.id,
        _packages.c.price_per_session,
        _packages.c.expires_at,
        _packages.c.purchased_at,
        func.coalesce(_remaining.c.remaining, 0),
    )
    .outerjoin(_remaining, _remaining.c.package_id == _packages.c.id)
    .where(_packages.c.client_id == bindparam("client_id"))
    .order_by(_packages.c.purchased_at, _packages.c.created_at)
)


def usable_package(conn: Connection, client_id: uuid.UUID, at: datetime) -> PackageChoice | None:
    """The package a session starting at `at` draws on.

    Usable: not expired at the session's start and with credit left. Among
    those, the one that expires first (so credits aren't lost), then the
    oldest purchase. None when there is none (the session is then a drop-in).
    One Core query (the same sums as `package_balances`): this runs in every
    booking and logged session.
    """
    usable = [
        PackageChoice(package_id, price, expires_at, purchased_at)
        for package_id, price, expires_at, purchased_at, remaining in conn.execute(
            _SELECT_CHOICES, {"client_id": client_id}
        )
        if remaining > 0 and (expires_at is None or expires_at > at)
    ]
    if not usable:
        return None
    far = datetime.max.replace(tzinfo=at.tzinfo)
    return min(usable, key=lambda p: (p.expires_at or far, p.purchased_at))


def held_by(db: Session, session_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Credits a session holds now, per package (minus the sum of its entries)."""
    rows = db.execute(
        select(LedgerEntry.package_id, func.sum(LedgerEntry.delta))
        .where(LedgerEntry.session_id == session_id)
        .group_by(LedgerEntry.package_id)
    ).all()
    return {package_id: -int(total) for package_id, total in rows if total}


_INSERT_ENTRY = _ledger.insert()


def reconcile(
    db: Session, session: TrainingSession, now: datetime, new: bool = False
) -> list[dict[str, Any]]:
    """Bring the ledger in line with `session.holds_credit`; returns the entries added (as column values).

    The session should hold one credit of its package when `holds_credit` is
    true and it has a package (a drop-in holds nothing), and none anywhere else.
    `new`: the session was just created, so it holds nothing yet (saves a query).
    The session's row must be in the database (an ORM change is flushed
    here); the entries are written with a Core INSERT, since nothing in the
    command reads them back as objects.
    """
    if not new:
        db.flush()
    held = {} if new else held_by(db, session.id)
    wanted: dict[uuid.UUID, int] = {}
    if session.holds_credit and session.package_id is not None:
        wanted[session.package_id] = 1
    added = []
    for package_id in sorted(set(held) | set(wanted), key=str):
        difference = held.get(package_id, 0) - wanted.get(package_id, 0)
        if difference:
            added.append(
                {
                    "id": uuid.uuid4(),
                    "package_id": package_id,
                    "client_id": session.client_id,
                    "session_id": session.id,
                    "delta": difference,
                    "reason": RELEASE if difference > 0 else HOLD,
                    "created_at": now,
                }
            )
    if added:
        db.connection().execute(_INSERT_ENTRY, added[0] if len(added) == 1 else added)
    return added
