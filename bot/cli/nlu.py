"""`spotter nlu ...`: parse, evaluate and train the parser (issue 3)."""

from __future__ import annotations

import click


@click.group()
def nlu() -> None:
    """Parse messages into frames and evaluate the parser."""
