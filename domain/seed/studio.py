"""Creating a studio and its locations.

There is no command for this: a studio is the boundary every actor lives in,
so it exists before anyone can act in it. The rows are still written with
audit entries (actor: the studio's system operator), so the log starts at
the studio's birth.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.actor import Actor
from domain.audit import record, snapshot
from domain.errors import InvalidInput
from domain.model import Location, Studio
from domain.store import Store


def create_studio(
    store: Store,
    name: str,
    tz: str = "America/New_York",
    currency: str = "USD",
    locations: tuple[str, ...] | list[tuple[str, str | None]] = (),
    **policy: object,
) -> tuple[Studio, list[Location]]:
    """A new studio with its locations (names, or (name, address) pairs); returned detached."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput(f"{tz!r} is not a time zone (try Europe/London or America/New_York).") from error
    if not name.strip():
        raise InvalidInput("A studio needs a name.")
    with store.sessions() as db, db.begin():
        studio = Studio(
            name=name.strip(), tz=tz, currency=currency.upper(), created_at=store.clock(), **policy
        )
        db.add(studio)
        db.flush()
        system = Actor.system(studio.id, channel="cli")
        record(
            db, system, "create_studio", "studio", studio.id, after=snapshot(studio)
        ).created_at = store.clock()
        made = []
        for item in locations:
            location_name, address = (item, None) if isinstance(item, str) else item
            location = Location(studio_id=studio.id, name=location_name, address=address)
            db.add(location)
            db.flush()
            entry = record(db, system, "add_location", "location", location.id, after=snapshot(location))
            entry.created_at = store.clock()
            made.append(location)
        db.flush()
        db.expunge_all()
    return studio, made
