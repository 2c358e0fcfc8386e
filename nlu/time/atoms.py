"""Atoms: the smallest resolved pieces of a time expression, and the data they carry.

A recogniser (see `recognisers.py`) turns a regex match into an `Atom`: a day, a part
of day, a clock time, or a complete mention (`whole`, e.g. "last week", "in 2 hours").
`compose.py` then glues neighbouring atoms ("Friday" + "at" + "7am") into mentions.
Atoms are resolved as soon as they are found, against a `Context` (now + direction).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo

from nlu.time.mentions import Direction, MentionKind


@dataclass(frozen=True)
class Context:
    """What every recogniser needs to resolve: the speaker's now and the intent's direction."""

    now: datetime
    direction: Direction
    parts: dict[str, tuple[int, int]]

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def tz(self) -> tzinfo | None:
        return self.now.tzinfo


@dataclass(frozen=True)
class Clock:
    """A wall-clock time as said: hour as written (1-12 or 0-23), am/pm if said."""

    hour: int
    minute: int = 0
    second: int = 0
    ampm: str | None = None  # "am" | "pm" | None
    grain: str = "hour"
    tz_minutes: int | None = None  # explicit zone ("8:00 GMT"), minutes east of UTC
    next_day: bool = False  # "midnight" said alone: the midnight that ends the day


@dataclass(frozen=True)
class Resolved:
    """A finished mention value (without offsets)."""

    kind: MentionKind
    value: datetime | None = None
    period: tuple[datetime, datetime] | None = None
    grain: str = "minute"

    @property
    def start(self) -> datetime:
        """The instant a mention starts at (its value, or its period's start)."""
        if self.value is not None:
            return self.value
        assert self.period is not None
        return self.period[0]


@dataclass(frozen=True)
class Atom:
    """One recognised piece, with offsets into the normalised text."""

    start: int
    end: int
    day: date | None = None
    part: str | None = None  # key of DAY_PARTS, or "am"/"pm" from "in the pm"
    clock: Clock | None = None
    whole: Resolved | None = None
    weak: bool = False  # only counts when glued to a stronger neighbour (bare "9")
    bare_day_number: int | None = None  # "13" in "from 13 to 15 July"
    tags: frozenset[str] = field(default_factory=frozenset)

    def moved(self, start: int, end: int) -> Atom:
        """Same atom over another span."""
        return replace(self, start=start, end=end)

    @property
    def length(self) -> int:
        return self.end - self.start
