"""`spotter db ...`: the database schema."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """The database (SPOTTER_DATABASE_URL, default sqlite:///spotter.db)."""


@db.command()
def upgrade() -> None:
    """Bring the database to the newest schema (safe to run again)."""
    from sqlalchemy import text

    from domain.db import make_engine
    from domain.migrate import upgrade as run_upgrade

    engine = make_engine()
    run_upgrade(engine)
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    click.echo(
        f"The database at {engine.url.render_as_string(hide_password=True)} is at revision {revision}."
    )
    engine.dispose()
