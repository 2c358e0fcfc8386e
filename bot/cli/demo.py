"""`spotter demo`: a realistic sample studio, made through the ordinary commands."""

from __future__ import annotations

import click


@click.command()
@click.option("--reset", is_flag=True, help="Delete the demo studio first and build it again.")
@click.option(
    "--seed", default=7, show_default=True, help="Random seed (the same seed gives the same studio)."
)
def demo(reset: bool, seed: int) -> None:
    """Create the demo studio: 6 trainers, 2 managers, 60 clients, three months of sessions."""
    from domain.db import make_engine
    from domain.migrate import upgrade
    from domain.seed.demo import DEMO_STUDIO, delete_demo, find_demo, seed_demo
    from domain.store import Store

    engine = make_engine()
    upgrade(engine)
    store = Store(engine)
    if find_demo(store) is not None:
        if not reset:
            click.echo(f"{DEMO_STUDIO} already exists in this database; nothing was changed.")
            click.echo(
                "Run `spotter demo --reset` to build it again, or `spotter people list` to look at it."
            )
            return
        delete_demo(store)
        click.echo(f"Deleted the old {DEMO_STUDIO}.")
    summary = seed_demo(store, seed=seed)
    for line in summary.lines():
        click.echo(line)
    click.echo("")
    click.echo("Look at it:")
    click.echo("  spotter people list                 everyone, with clients' package credits")
    click.echo("  spotter people list --role trainer  the trainers")
    click.echo("  spotter people invite sarah         a one-time code to link Sarah's chat account")
    click.echo("")
    click.echo("Talk to it (a handle from the list, or an e-mail address):")
    click.echo(
        '  spotter chat --as sarah             as Sarah Lee, a trainer: "log session with Emma at 3pm"'
    )
    click.echo(
        '  spotter chat --as mia               as Mia Chen, a manager: "validation rate by trainer this month"'
    )
    click.echo(
        '  spotter chat --as emma              as Emma Wilson, a client: "how many sessions do I have left?"'
    )
    click.echo('  spotter say --as sarah "help"       one message, one reply (for scripts)')
    engine.dispose()
