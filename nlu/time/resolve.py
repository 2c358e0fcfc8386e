"""Entry points of the resolver (stub; filled in by the rule modules)."""

from __future__ import annotations

from datetime import datetime

from nlu.time.mentions import Direction, DurationMention, TimeMention


def find_times(text: str, now: datetime, direction: Direction = "future") -> list[TimeMention]:
    """All non-overlapping time mentions, left to right."""
    return []


def find_durations(text: str) -> list[DurationMention]:
    """Session lengths in the text, in minutes."""
    return []
