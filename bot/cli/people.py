"""`spotter people`."""

from __future__ import annotations

import click


@click.group()
def people() -> None:
    """(being built)"""
