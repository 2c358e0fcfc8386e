"""`spotter scheduler tick`, `spotter status`, `spotter validate-link` — the scheduler for cron and operators.

`spotter scheduler tick` is one pass of what `spotter serve` runs every
minute: the reminder rules, then delivery through the channels this process
can send on without the web server (e-mail, when SMTP is configured); chat
notifications wait for a process that runs those channels. Run it from cron
every few minutes when the server is not used. `--at` runs it as if it were
that moment (in the studio's zone unless it carries an offset), for trials.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from bot.cli.studio import find_studio, open_store


def _moment(value: str | None, tz: str) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a time like 2026-03-12T09:00") from error
    if parsed.tzinfo is None:
        from domain.errors import SpotterError
        from domain.timeutil import local

        try:
            parsed = local(parsed, tz)
        except SpotterError as error:
            raise click.BadParameter(str(error)) from error
    return parsed.astimezone(UTC)


@click.group()
def scheduler() -> None:
    """Reminders and delivery, one pass at a time."""


@scheduler.command()
@click.option("--at", "at", default=None, help="run as if it were this time (ISO; the studio's zone)")
@click.option("--deliver/--no-deliver", default=True, help="also deliver what is due (default: yes)")
@click.option("--clean/--no-clean", default=True, help="delete finished rows past the retention period")
def tick(at: str | None, deliver: bool, clean: bool) -> None:
    """Run the reminder rules once (then deliver); prints one JSON object."""
    from bot import reminders
    from bot.delivery import deliver_now
    from bot.scheduler import link_maker, send_only_channels

    store = open_store()
    studio = find_studio(store)
    now = _moment(at, studio.tz if studio else "UTC")
    result: dict[str, object] = {
        "at": now.isoformat(),
        "tick": reminders.tick(store, now, clean=clean).to_json(),
    }
    if deliver:
        channels = send_only_channels()
        result["delivery"] = (
            deliver_now(store, channels, now, linker=link_maker()).to_json()
            if channels
            else "no channel configured"
        )
    click.echo(json.dumps(result, default=str))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
def status(as_json: bool) -> None:
    """The notification queue's health: due, stuck, failing."""
    from domain.outbox import health

    store = open_store()
    found = health(store, datetime.now(UTC))
    if as_json:
        click.echo(json.dumps(found.to_json()))
        return
    oldest = found.oldest_due.isoformat(timespec="minutes") if found.oldest_due else "-"
    click.echo(f"due now:   {found.due} (oldest {oldest})")
    click.echo(f"waiting:   {found.waiting} (later, quiet hours, backing off)")
    click.echo(f"retrying:  {found.retrying}")
    click.echo(f"stuck:     {found.stuck} (a worker stopped mid-send; retried by the next pass)")
    click.echo(f"failed:    {found.failed} (admins were told)")
    click.echo(f"held:      {found.held} (for weekly digests)")


@click.command("validate-link")
@click.argument("token")
def validate_link(token: str) -> None:
    """Use a one-click e-mail link (confirm / dispute / stop reminders) by its token or URL."""
    from domain.errors import InvalidInput
    from domain.reminders.links import secret_key, use_link

    store = open_store()
    try:
        click.echo(use_link(store, secret_key(), token.rstrip("/").rsplit("/", 1)[-1]))
    except InvalidInput as error:
        raise click.ClickException(str(error)) from error
