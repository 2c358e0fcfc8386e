"""`spotter studio ...`, and how every command line finds the store and the studio.

The database is `SPOTTER_DATABASE_URL` (default `sqlite:///spotter.db`). A
database normally holds one studio; with several, `SPOTTER_STUDIO` names the
one to use (otherwise the oldest). The command line acts as
`Actor.system(studio)`: the operator at the keyboard is the studio's admin.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from domain.actor import Actor
    from domain.model import Studio
    from domain.store import Store


def open_store() -> Store:
    from domain.db import make_engine
    from domain.store import Store

    return Store(make_engine())


def find_studio(store: Store, name: str | None = None) -> Studio | None:
    """The studio named `name` (or `SPOTTER_STUDIO`), else the oldest; None when there is none."""
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from domain.model import Studio

    name = name or os.environ.get("SPOTTER_STUDIO")
    query = select(Studio).order_by(Studio.created_at, Studio.name)
    if name:
        query = query.where(Studio.name == name)
    try:
        with store.sessions() as db:
            return db.scalars(query.limit(1)).first()
    except (OperationalError, ProgrammingError) as error:
        raise click.ClickException(
            "The database has no Spotter tables yet: run `spotter db upgrade` (or `spotter demo`)."
        ) from error


def require_studio(store: Store) -> tuple[Studio, Actor]:
    from domain.actor import Actor

    studio = find_studio(store)
    if studio is None:
        raise click.ClickException(
            "There is no studio yet: run `spotter demo` for a sample one, or "
            '`spotter studio init --name "My Studio"` for an empty one.'
        )
    return studio, Actor.system(studio.id, channel="cli")


@click.group()
def studio() -> None:
    """Create and show the studio."""


@studio.command("init")
@click.option("--name", required=True, help="The studio's name.")
@click.option("--tz", default="America/New_York", show_default=True, help="IANA time zone.")
@click.option("--currency", default="USD", show_default=True, help="ISO currency code.")
@click.option("--location", "locations", multiple=True, help="A location (repeat for several).")
def init(name: str, tz: str, currency: str, locations: tuple[str, ...]) -> None:
    """Create an empty studio (after `spotter db upgrade`)."""
    store = open_store()
    if find_studio(store, name) is not None:
        raise click.ClickException(f"There is already a studio called {name!r}.")
    from domain.errors import SpotterError
    from domain.seed.studio import create_studio

    try:
        created, _ = create_studio(store, name, tz, currency, locations)
    except SpotterError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created the studio {created.name} ({created.tz}, {created.currency}).")
    click.echo('Add people with `spotter people add HANDLE "Full Name" --role trainer`.')


@studio.command("show")
def show() -> None:
    """Show the studio's settings."""
    store = open_store()
    found, _ = require_studio(store)
    click.echo(f"{found.name}: time zone {found.tz}, currency {found.currency}")
    click.echo(
        f"late cancel window {found.late_cancel_hours} h, drop-in price {found.drop_in_price}, "
        f"sessions {found.default_session_minutes} min"
    )
