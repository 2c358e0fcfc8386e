"""`spotter nlu ...`: parse, evaluate and train the parser (issue 3).

The parser (spaCy and its classifier) is imported inside each command so that
`spotter --help` stays instant.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click


def _now(value: str | None, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    if not value:
        return datetime.now(zone)
    dt = datetime.fromisoformat(value)
    return dt.replace(tzinfo=zone) if dt.tzinfo is None else dt.astimezone(zone)


@click.group()
def nlu() -> None:
    """Parse messages into frames and evaluate the parser."""


@nlu.command("parse")
@click.argument("text")
@click.option("--now", "now_text", default=None, help="Speaker's local time, ISO 8601 (default: now).")
@click.option("--role", default="trainer", type=click.Choice(["trainer", "manager", "client", "admin"]))
@click.option("--tz", default="UTC", show_default=True, help="Speaker's time zone (IANA name).")
def parse_command(text: str, now_text: str | None, role: str, tz: str) -> None:
    """Print the frame for TEXT as JSON."""
    from nlu import load_parser

    try:
        now = _now(now_text, tz)
    except (ValueError, KeyError) as exc:
        raise click.BadParameter(str(exc)) from exc
    frame = load_parser().parse(text, now=now, role=role)
    click.echo(frame.to_json())


@nlu.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a report.")
def evaluate_command(file: Path, as_json: bool) -> None:
    """Score the parser on an evaluation FILE (the contract's format)."""
    from nlu import load_parser
    from nlu.evaluation import evaluate, format_report, load_evaluation_file

    try:
        data = load_evaluation_file(file)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    parser = load_parser()
    result = evaluate(data, parser.parse)
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(format_report(result))


@nlu.command("train")
@click.option("--seed", default=None, type=int, help="Random seed (default: the project's).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path))
def train_command(seed: int | None, out_dir: Path | None) -> None:
    """Rebuild the intent classifier from nlu/data/intents.yaml (seeded, reproducible)."""
    from nlu.classifier import MODEL_DIR, SEED, train

    summary = train(out_dir or MODEL_DIR, seed=SEED if seed is None else seed)
    json.dump(summary, sys.stdout)
    click.echo()
