"""`spotter people ...`: add, list and invite the studio's people (as the studio's admin)."""

from __future__ import annotations

import click

from bot.cli.studio import open_store, require_studio

ROLE_CHOICE = click.Choice(["admin", "manager", "trainer", "client"])


@click.group()
def people() -> None:
    """The studio's trainers, clients and managers."""


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(getattr(error, "message", str(error)))


@people.command("add")
@click.argument("handle")
@click.argument("full_name")
@click.option(
    "--role", "roles", multiple=True, type=ROLE_CHOICE, help="A role (repeat for several; default client)."
)
@click.option("--email")
@click.option("--phone")
@click.option("--trainer", "trainer_handle", help="The client's primary trainer (their handle).")
def add(
    handle: str,
    full_name: str,
    roles: tuple[str, ...],
    email: str | None,
    phone: str | None,
    trainer_handle: str | None,
) -> None:
    """Add a person: spotter people add emma "Emma Wilson" --trainer sarah"""
    from domain.commands import AddPerson
    from domain.errors import SpotterError
    from domain.model import Role

    store = open_store()
    studio, system = require_studio(store)
    trainer_id = None
    if trainer_handle:
        trainer = _by_handle(store, studio.id, trainer_handle)
        trainer_id = trainer.id
    try:
        person = store.execute(
            system,
            AddPerson(
                handle=handle,
                full_name=full_name,
                roles=tuple(Role(r) for r in (roles or ("client",))),
                email=email,
                phone=phone,
                primary_trainer_id=trainer_id,
            ),
        )
    except SpotterError as error:
        raise _fail(error) from error
    click.echo(f"Added {person.full_name} (@{person.handle}) as {', '.join(sorted(roles or ('client',)))}.")
    click.echo(f"Invite them with `spotter people invite {person.handle}`.")


def _by_handle(store, studio_id, handle: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from domain.model import Person

    wanted = handle.lstrip("@").lower()
    with store.sessions() as db:
        person = db.scalars(
            select(Person).where(Person.studio_id == studio_id, func.lower(Person.handle) == wanted)
        ).first()
    if person is None:
        raise click.ClickException(
            f"Nobody in the studio has the handle {handle!r} (see `spotter people list`)."
        )
    return person


@people.command("list")
@click.option("--role", type=ROLE_CHOICE, help="Only people with this role.")
def list_people(role: str | None) -> None:
    """List people: handle, name, roles, email, and package credits for clients."""
    from sqlalchemy import select

    from domain.model import Person, PersonRole
    from domain.queries.balance import balances

    store = open_store()
    studio, system = require_studio(store)
    with store.sessions() as db:
        query = select(Person).where(Person.studio_id == studio.id).order_by(Person.full_name, Person.handle)
        if role:
            query = query.where(Person.id.in_(select(PersonRole.person_id).where(PersonRole.role == role)))
        found = list(db.scalars(query))
    clients = [p.id for p in found if "client" in {r.role for r in p.role_rows}]
    credits = store.run(system, lambda uow: balances(uow, clients))
    order = ["admin", "manager", "trainer", "client"]
    rows = [
        (
            f"@{p.handle}",
            p.full_name,
            ", ".join(sorted((r.role for r in p.role_rows), key=order.index)),
            p.email or "",
            str(credits[p.id]) if p.id in credits else "",
        )
        for p in found
    ]
    header = ("handle", "name", "roles", "email", "credits")
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    click.echo(f"{studio.name} — {len(rows)} {'person' if len(rows) == 1 else 'people'}")
    for line in (header, tuple("-" * w for w in widths), *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=False)).rstrip())


@people.command("invite")
@click.argument("handle")
def invite(handle: str) -> None:
    """Print a one-time code that links a person's chat account to them."""
    from domain.commands import IssueLinkCode
    from domain.errors import SpotterError

    store = open_store()
    studio, system = require_studio(store)
    person = _by_handle(store, studio.id, handle)
    try:
        code = store.execute(system, IssueLinkCode(person_id=person.id))
    except SpotterError as error:
        raise _fail(error) from error
    click.echo(f"One-time link code for {person.full_name}: {code}")
    click.echo(f"Ask them to send `/start {code}` to the bot, or type `link {code}` in any chat with it.")
    click.echo("The code works once and expires in 7 days.")
