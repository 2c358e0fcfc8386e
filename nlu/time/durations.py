"""Session lengths ("an hour and a half", "45 min", "1.5 hours") in whole minutes.

A length that is part of a relative time ("in 2 hours", "two hours ago", "the last 2
hours") is not a duration: those spans belong to `find_times`.
"""

from __future__ import annotations

import re

from nlu.numbers import normalise
from nlu.time.lexicon import B, E
from nlu.time.mentions import DurationMention

_HOUR = r"(?:hours?|hrs?|h)"
_MIN = r"(?:minutes?|mins?|m)"
_DURATION = re.compile(
    rf"{B}(?:"
    rf"(?P<hh>\d+(?:\.\d+)?|an?|one)[\s\-]*{_HOUR}(?:[\s\-]*(?:and\s+)?(?:(?P<hm>\d{{1,2}})[\s\-]*{_MIN}|(?P<half>a\s+half)))?(?:[\s\-]+long)?"
    rf"|(?P<hh2>\d+)\s+and\s+an?\s+half\s+{_HOUR}"
    rf"|(?P<mm>\d+(?:\.\d+)?)[\s\-]*{_MIN}"
    rf"|(?P<hf>half\s+an?|(?:a\s+)?quarter\s+of\s+an?|3[\s\-]*quarters?\s+of\s+an?)[\s\-]+{_HOUR}"
    rf"|(?P<hl>hour)[\s\-]+long"
    rf"){E}"
)
_RELATIVE_BEFORE = re.compile(
    r"(?<![a-z])(?:in|within|after|last|past|next|upcoming|coming)\s+(?:about\s+|around\s+|the\s+)?$"
)
_RELATIVE_AFTER = re.compile(
    r"\s*(?:more\s+)?(?:ago|from\s+now|hence|later|earlier|back|before\s+now|from\s+today)(?![a-z])"
)


def _minutes(m: re.Match[str]) -> float | None:
    gd = m.groupdict()
    if gd["hh"]:
        hours = 1.0 if gd["hh"] in ("a", "an", "one") else float(gd["hh"])
        extra = 30.0 if gd["half"] else float(gd["hm"] or 0)
        return hours * 60 + extra
    if gd["hh2"]:
        return (int(gd["hh2"]) + 0.5) * 60
    if gd["mm"]:
        return float(gd["mm"])
    if gd["hf"]:
        hf = gd["hf"]
        return 30.0 if hf.startswith("half") else 45.0 if hf.startswith("3") else 15.0
    if gd["hl"]:
        return 60.0
    return None


def find_durations(text: str) -> list[DurationMention]:
    """Session lengths in the text, left to right, in whole minutes."""
    norm = normalise(text)
    t = norm.text
    out: list[DurationMention] = []
    for m in _DURATION.finditer(t):
        if _RELATIVE_BEFORE.search(t, max(0, m.start() - 20), m.start()):
            continue
        if _RELATIVE_AFTER.match(t, m.end()):
            continue
        if m.group("mm") and re.match(r"\s*(?:past|to|after|before|till)\b", t[m.end() :]):
            continue
        minutes = _minutes(m)
        if minutes is None or minutes <= 0 or minutes > 24 * 60:
            continue
        if m.group(0).endswith("m") and not m.group(0).endswith(("min", "mins")) and m.group("mm"):
            # "3m" is fine, but "3 am" never reaches here; "5m" reads as minutes
            pass
        start, end = norm.span(m.start(), m.end())
        out.append(DurationMention(start, end, text[start:end], round(minutes)))
    return out
