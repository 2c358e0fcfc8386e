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

from sqlalchemy import func, or_, select
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


def usable_package(db: Session, client_id: uuid.UUID, at: datetime) -> Package | None:
    """The package a session starting at `at` draws on.

    Usable: not expired at the session's start and with credit left. Among
    those, the one that expires first (so credits aren't lost), then the
    oldest purchase. None when there is none (the session is then a drop-in).
    """
    usable = [
        pb.package
        for pb in package_balances(db, client_id)
        if pb.remaining > 0 and (pb.package.expires_at is None or pb.package.expires_at > at)
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


def reconcile(db: Session, session: TrainingSession, now: datetime, new: bool = False) -> list[LedgerEntry]:
    """Bring the ledger in line with `session.holds_credit`; returns the entries added.

    The session should hold one credit of its package when `holds_credit` is
    true and it has a package (a drop-in holds nothing), and none anywhere else.
    `new`: the session was just created, so it holds nothing yet (saves a query).
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
            entry = LedgerEntry(
                package_id=package_id,
                client_id=session.client_id,
                session_id=session.id,
                delta=difference,
                reason=RELEASE if difference > 0 else HOLD,
                created_at=now,
            )
            db.add(entry)
            added.append(entry)
    return added
