"""Time-expression resolver for the parser: finds time mentions and durations in raw text.

The public API is stable (the parser codes against it); the implementation lives in
small sibling modules.
"""

from nlu.time.mentions import Direction, DurationMention, TimeMention
from nlu.time.resolve import find_durations, find_times

__all__ = ["Direction", "DurationMention", "TimeMention", "find_durations", "find_times"]
