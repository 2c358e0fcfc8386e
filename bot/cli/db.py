"""`spotter db`."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """(being built)"""
