"""`spotter test conversations PATH... [--json]`: run conversation files and report (exit 0 when all hold)."""

from __future__ import annotations

import sys

import click


@click.group()
def test() -> None:
    """Run the studio's conversation tests."""


@test.command("conversations")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the text report.")
def conversations(paths: tuple[str, ...], as_json: bool) -> None:
    """Play conversation files (or every *.yaml in directories) on fresh stores and check them.

    Each file runs on an empty store with a fake clock: a temporary SQLite file, or a temporary
    database on the PostgreSQL server when SPOTTER_DATABASE_URL names one. Nothing is sent.
    """
    from bot.conversations import run

    report = run(paths)
    click.echo(report.json_text() if as_json else report.text())
    sys.exit(0 if report.ok and report.files else 1)
