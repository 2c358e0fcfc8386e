"""`spotter chat --as WHO` and `spotter say --as WHO ...`: talk to the studio from the terminal.

Both go through the terminal channel (adapters/terminal.py) and the real
engine, against the configured store (SPOTTER_DATABASE_URL), so what is said
here changes the studio exactly as a chat message would, and the dialogue
state persists between `say` calls. Imports are inside the commands, and the
parser loads on the first message, so `spotter say` answers fast.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.studio import open_store, require_studio

if TYPE_CHECKING:
    from adapters.terminal import TerminalSession

QUIT = {"/quit", "/exit", "quit", "exit", ":q"}
HISTORY = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "spotter" / "chat_history"


def _session(who: str, at: str | None) -> TerminalSession:
    """Open the store, find WHO, fix the clock when --at is given, and link their terminal identity."""
    from adapters.terminal import TerminalError, TerminalSession, find_person
    from bot.engine import Engine

    store = open_store()
    studio, _ = require_studio(store)
    clock = None
    if at is not None:
        instant = _local_time(at, studio.tz)
        clock = lambda: instant  # noqa: E731 - a fixed clock for scripts and tests
        store.clock = clock
    try:
        person = find_person(store, studio.id, who)
        return TerminalSession(store, Engine(store), person, clock=clock)
    except TerminalError as error:
        raise click.ClickException(str(error)) from error


def _local_time(text: str, tz: str) -> datetime:
    from domain.errors import SpotterError
    from domain.timeutil import local

    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise click.BadParameter(
            f"{text!r} is not a date-time like 2026-03-11T17:20.", param_hint="--at"
        ) from error
    try:
        return (local(value, tz) if value.tzinfo is None else value).astimezone(UTC)
    except SpotterError as error:
        raise click.BadParameter(str(error), param_hint="--at") from error


def _show(reply, session: TerminalSession) -> None:  # type: ignore[no-untyped-def]
    from adapters.terminal import render, save_attachments

    saved = save_attachments(reply, Path.cwd()) if reply.attachments else []
    click.echo(render(reply.text, reply.options, saved))


@click.command()
@click.option("--as", "who", required=True, help="Who is speaking: a handle (sarah) or an e-mail address.")
@click.option("--at", help="Local studio time of the message (ISO, e.g. 2026-03-11T17:20); default: now.")
@click.option(
    "--press", "press", help="Press the option of the bot's last message whose label contains this."
)
@click.option(
    "--voice",
    "voice",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Send an audio file.",
)
@click.argument("text", required=False)
def say(who: str, at: str | None, press: str | None, voice: Path | None, text: str | None) -> None:
    """One message to the bot, printing its reply: spotter say --as sarah "log session with Emma at 3pm\""""
    from adapters.terminal import TerminalError

    given = [x for x in (text, press, voice) if x is not None]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of TEXT, --press LABEL or --voice FILE.")
    if text is not None:
        from nlu import load_parser

        # One message, then exit: the parser loads only what this message needs (no warm-up).
        load_parser(eager=False)
    session = _session(who, at)
    try:
        if press is not None:
            reply = session.press(press)
        elif voice is not None:
            reply = session.voice(voice)
        else:
            reply = session.say(str(text))
    except TerminalError as error:
        raise click.ClickException(str(error)) from error
    _show(reply, session)


@click.command()
@click.option("--as", "who", required=True, help="Who is speaking: a handle (sarah) or an e-mail address.")
def chat(who: str) -> None:
    """Talk to the bot as a person of the studio. A number presses that option; /quit ends."""
    from adapters.terminal import TerminalError, choose, notifications_since, render

    session = _session(who, None)
    click.echo(f"Talking as {session.person.full_name} (@{session.person.handle}). Type /quit to leave.")
    seen: set = set()
    notifications_since(session.store, session.person.id, seen)
    read = _reader()
    last_options: tuple = ()
    while True:
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            return
        if not line:
            continue
        if line.lower() in QUIT:
            return
        try:
            if line.isdigit() and last_options:
                from adapters.terminal import Shown

                reply = session.press_option(choose(line, Shown("", last_options)))
            else:
                reply = session.say(line)
        except TerminalError as error:
            click.echo(str(error))
            continue
        _show(reply, session)
        last_options = reply.options
        for note in notifications_since(session.store, session.person.id, seen):
            click.echo(render("(notification) " + note.text, note.options))
            if note.options:
                last_options = note.options


def _reader():  # type: ignore[no-untyped-def]
    """prompt_toolkit with a history file when installed, else input() with readline's history."""
    HISTORY.parent.mkdir(parents=True, exist_ok=True)
    try:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        prompt_session: PromptSession[str] = PromptSession(history=FileHistory(str(HISTORY)))
        return prompt_session.prompt
    except ImportError:
        pass
    try:
        import atexit
        import readline

        with contextlib.suppress(OSError):
            readline.read_history_file(HISTORY)
        atexit.register(readline.write_history_file, HISTORY)
    except ImportError:
        pass
    return input
