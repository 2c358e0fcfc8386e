"""`spotter serve`: run the chat channels (Slack, Telegram) in one process, on one HTTP server.

Which channels run is decided by the environment (see adapters/base.py
`Settings` and the README's "Channels" section). With none configured it says
how to configure one and exits with status 2, before touching the store.
"""

from __future__ import annotations

import asyncio
import logging

import click


@click.command()
def serve() -> None:
    """Serve every configured chat channel (SPOTTER_HOST:SPOTTER_PORT, default 127.0.0.1:8000)."""
    from adapters.base import ChannelError, Settings
    from adapters.server import HOW_TO_CONFIGURE, NothingToServe, Server

    try:
        settings = Settings.from_env()
    except ChannelError as error:
        raise click.ClickException(str(error)) from error
    if not (
        settings.slack_bot_token
        or settings.slack_signing_secret
        or settings.slack_app_token
        or settings.telegram_bot_token
    ):
        click.echo(HOW_TO_CONFIGURE, err=True)
        raise SystemExit(2)

    from bot.cli.studio import open_store, require_studio
    from bot.engine import Engine

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("aiohttp.access", "slack_bolt", "slack_sdk", "httpx", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    store = open_store()
    studio, _ = require_studio(store)
    engine = Engine(store)
    click.echo(f"spotter: serving {studio.name}; loading the parser…")
    engine.parser  # noqa: B018 - load it now, so the first message does not wait for it
    server = Server(settings, engine, report=lambda line: click.echo(line, err="NOT started" in line))
    try:
        asyncio.run(server.run())
    except NothingToServe as error:
        click.echo(str(error), err=True)
        raise SystemExit(2) from error
    click.echo("spotter: stopped")
