"""Result types of the time resolver, shared by every rule module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Direction = Literal["past", "future"]
MentionKind = Literal["point", "period", "after", "before"]


@dataclass(frozen=True)
class TimeMention:
    """A time expression found in text, resolved against `now` and a direction.

    point = has a clock time (`value`); period = a [from, to) range (`period`);
    after/before = open intervals whose bound is in `period` as (bound, bound).
    Offsets refer to the original text passed to `find_times`.
    """

    start: int
    end: int
    text: str
    kind: MentionKind
    value: datetime | None = None
    period: tuple[datetime, datetime] | None = None
    grain: str = "minute"


@dataclass(frozen=True)
class DurationMention:
    """A length of time (a session length), in whole minutes."""

    start: int
    end: int
    text: str
    minutes: int
