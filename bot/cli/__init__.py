"""The `spotter` command line.

Each sub-command lives in its own module and is registered here. Modules import
heavy parts (spaCy, the store) inside their commands, so `spotter --version`
and `spotter --help` stay instant.
"""

from __future__ import annotations

import click

from bot import __version__


@click.group()
@click.version_option(__version__, prog_name="spotter")
def main() -> None:
    """Spotter: the chat and voice assistant for personal-training studios."""


def _register() -> None:
    from bot.cli import chat, db, demo, nlu, people, scheduler, serve, studio, test

    main.add_command(db.db)
    main.add_command(people.people)
    main.add_command(demo.demo)
    main.add_command(nlu.nlu)
    main.add_command(studio.studio)
    main.add_command(test.test)
    main.add_command(chat.chat)
    main.add_command(chat.say)
    main.add_command(__import__("bot.cli.voice", fromlist=["voice"]).voice)
    main.add_command(serve.serve)
    main.add_command(scheduler.scheduler)
    main.add_command(scheduler.status)
    main.add_command(scheduler.validate_link)


_register()
