"""Time-expression resolver for the parser: finds time mentions and durations in raw text.

The public API is stable (the parser codes against it); the implementation lives in
small sibling modules.

Daylight-saving time: a clock time is kept as the speaker said it. A wall time that does
not exist (America/New_York 2026-03-08 02:30, skipped by the spring-forward jump) resolves
to that wall time, 02:30 with `fold=0` (PEP 495: it carries the pre-jump offset), not to
03:30, so the frame carries what was said and the engine/domain can refuse it politely;
`nonexistent(value)` detects it. An ambiguous wall time (01:30 on the fall-back night) is
the first occurrence (`fold=0`). Period boundaries are always real local midnights and
elapsed times ("in 2 hours") real instants. See `nlu.time.calendar`.
"""

from nlu.time.calendar import nonexistent
from nlu.time.mentions import Direction, DurationMention, TimeMention
from nlu.time.resolve import find_durations, find_times

__all__ = ["Direction", "DurationMention", "TimeMention", "find_durations", "find_times", "nonexistent"]
