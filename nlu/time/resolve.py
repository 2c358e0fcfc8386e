"""Entry points of the resolver: normalise, recognise atoms, compose, map offsets back."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from nlu.numbers import normalise
from nlu.time.atoms import Context
from nlu.time.compose import compose
from nlu.time.durations import find_durations
from nlu.time.lexicon import DAY_PARTS
from nlu.time.mentions import Direction, TimeMention
from nlu.time.recognisers import find_atoms

__all__ = ["find_durations", "find_times"]


def find_times(
    text: str,
    now: datetime,
    direction: Direction = "future",
    *,
    day_parts: Literal["contract", "duckling"] = "contract",
) -> list[TimeMention]:
    """All non-overlapping time mentions in `text`, left to right, resolved per the contract.

    `now` is the speaker's aware local time; `direction` is the intent's ("past" for
    logging, "future" for booking). `day_parts="duckling"` swaps in Duckling's hours for
    morning/afternoon/evening (benchmark use only; the contract's are the default).
    Input longer than `nlu.numbers.MAX_INPUT_CHARS` is cut there first.
    """
    norm = normalise(text)
    if not any(ch.isalnum() for ch in norm.text):
        return []
    ctx = Context(now=now, direction=direction, parts=DAY_PARTS[day_parts])
    spans = compose(list(find_atoms(norm.text, ctx)), norm.text, ctx)
    out: list[TimeMention] = []
    for sp in spans:
        start, end = norm.span(sp.start, sp.end)
        r = sp.res
        out.append(
            TimeMention(
                start=start,
                end=end,
                text=text[start:end],
                kind=r.kind,
                value=r.value if r.kind == "point" else None,
                period=r.period if r.kind != "point" else None,
                grain=r.grain,
            )
        )
    return out
