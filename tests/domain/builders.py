"""Test helpers: a studio with people in a few lines.

Import from a test in tests/domain with `from builders import make_studio, make_person, actor`
(pytest puts the test's folder on sys.path).

These insert rows directly (test setup, not commands), so tests can start
from any state without going through authorization and the audit log. Every
helper takes the `store` fixture, so it works on both databases.

    studio = make_studio(store, tz="America/New_York", late_cancel_hours=12)
    sarah = make_person(store, studio, "sarah", "Sarah Lee", Role.TRAINER)
    emma = make_person(store, studio, "emma", "Emma Wilson", Role.CLIENT, primary_trainer=sarah)
    store.execute(actor(sarah), BookSession(...))
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from domain.actor import Actor
from domain.model import LedgerEntry, Package, Person, PersonRole, Role, Studio, WorkingHours
from domain.store import Store


def make_studio(
    store: Store, tz: str = "America/New_York", name: str = "Test Studio", **policy: Any
) -> Studio:
    """A studio; `policy` sets any Studio column (late_cancel_hours=12, drop_in_price=Decimal("80"), ...)."""
    with store.sessions() as db, db.begin():
        studio = Studio(name=name, tz=tz, **policy)
        db.add(studio)
        db.flush()
        db.refresh(studio)
        db.expunge(studio)
    return studio


def make_person(
    store: Store,
    studio: Studio,
    handle: str,
    full_name: str,
    *roles: Role | str,
    email: str | None = None,
    phone: str | None = None,
    primary_trainer: Person | None = None,
) -> Person:
    """A person with roles (default: client), inserted directly. Returned detached with roles loaded."""
    with store.sessions() as db, db.begin():
        person = Person(
            studio_id=studio.id,
            handle=handle,
            full_name=full_name,
            email=email,
            phone=phone,
            primary_trainer_id=primary_trainer.id if primary_trainer else None,
        )
        person.role_rows = [PersonRole(role=Role(r).value) for r in (roles or (Role.CLIENT,))]
        db.add(person)
        db.flush()
        db.refresh(person)
        _ = person.role_rows, person.tag_rows
        db.expunge(person)
    return person


def actor(person: Person, channel: str = "test") -> Actor:
    """The Actor for a person (their roles, their studio)."""
    return Actor.of(person, channel)


def system(studio: Studio, channel: str = "test") -> Actor:
    """The operator/scheduler: an admin without a person."""
    return Actor.system(studio.id, channel)


def give_package(
    store: Store,
    client: Person,
    credits: int = 10,
    price_per_session: Decimal | str = "80.00",
    purchased_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> Package:
    """A package with its purchase ledger entry, inserted directly (no audit entry)."""
    purchased_at = purchased_at or store.clock() - timedelta(days=30)
    with store.sessions() as db, db.begin():
        package = Package(
            studio_id=client.studio_id,
            client_id=client.id,
            credits=credits,
            price_per_session=Decimal(price_per_session),
            purchased_at=purchased_at,
            expires_at=expires_at,
        )
        db.add(package)
        db.flush()
        db.add(
            LedgerEntry(
                package_id=package.id,
                client_id=client.id,
                delta=credits,
                reason="purchase",
                created_at=purchased_at,
            )
        )
        db.flush()
        db.refresh(package)
        db.expunge(package)
    return package


def set_hours(store: Store, trainer: Person, hours: list[tuple[int, time, time]]) -> None:
    """Weekly working hours [(weekday 0=Mon, start, end)], inserted directly."""
    with store.sessions() as db, db.begin():
        for weekday, start, end in hours:
            db.add(WorkingHours(trainer_id=trainer.id, weekday=weekday, start_time=start, end_time=end))


def studio_with_people(store: Store, **policy: Any) -> dict[str, Any]:
    """A ready-made cast: admin, manager, two trainers, three clients (with Sarah as primary trainer)."""
    studio = make_studio(store, **policy)
    cast: dict[str, Any] = {"studio": studio}
    cast["admin"] = make_person(store, studio, "ada", "Ada Admin", Role.ADMIN)
    cast["manager"] = make_person(store, studio, "mia", "Mia Manager", Role.MANAGER)
    cast["sarah"] = make_person(store, studio, "sarah", "Sarah Lee", Role.TRAINER)
    cast["tom"] = make_person(store, studio, "tom", "Tom Baker", Role.TRAINER)
    cast["emma"] = make_person(
        store, studio, "emma", "Emma Wilson", Role.CLIENT, primary_trainer=cast["sarah"]
    )
    cast["john"] = make_person(
        store, studio, "john", "John Smith", Role.CLIENT, primary_trainer=cast["sarah"]
    )
    cast["will"] = make_person(store, studio, "will", "Will Turner", Role.CLIENT, primary_trainer=cast["tom"])
    return cast


def db_state(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), to prove a refused command changed nothing."""
    from sqlalchemy import select

    from domain.model import Base

    state: dict[str, list[tuple]] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            state[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return state


def audit_entries(store: Store) -> list[Any]:
    """All audit entries, oldest first (detached AuditEntry rows)."""
    from sqlalchemy import select

    from domain.model import AuditEntry

    with store.sessions() as db:
        return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def credits(store: Store, client: Person, at: datetime | None = None) -> int:
    """The client's balance (domain.ledger.balance) read in its own transaction."""
    from domain.ledger import balance

    with store.sessions() as db:
        return balance(db, client.id, at)
