"""The time slots of the public dev set (shared/spec/nlu-dev.yaml) are found by find_times.

Each example's start / new_start must appear as a point mention and its period as a
period mention, resolved with the direction the contract gives the example's intent.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from nlu.time import TimeMention, find_times

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "nlu-dev.yaml"
PAST = {
    "log_session",
    "mark_no_show",
    "add_note",
    "validate_session",
    "dispute_session",
    "query_sessions",
    "query_stats",
    "commission_status",
    "approve_commissions",
    "export",
}


def _examples() -> tuple[str, list[dict[str, Any]]]:
    if not DEV.exists():
        return "UTC", []
    data = yaml.safe_load(DEV.read_text())
    timed = [
        ex
        for ex in data["examples"]
        if any(k in (ex.get("slots") or {}) for k in ("start", "new_start", "period"))
    ]
    return data["tz"], timed


TZ_NAME, EXAMPLES = _examples()


def _local(text: Any, tz: ZoneInfo) -> datetime:
    return datetime.fromisoformat(str(text)).replace(tzinfo=tz)


def _summary(found: list[TimeMention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, str(m.value or m.period)) for m in found]


@pytest.mark.skipif(not EXAMPLES, reason="dev set not available")
@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["text"][:50] for e in EXAMPLES])
def test_dev_time_slots(ex: dict[str, Any]) -> None:
    tz = ZoneInfo(TZ_NAME)
    now = _local(ex["now"], tz)
    direction = "past" if ex["intent"] in PAST else "future"
    found = find_times(ex["text"], now, direction)
    points = [m.value.replace(tzinfo=None) for m in found if m.kind == "point" and m.value]
    periods = [
        (a.replace(tzinfo=None), b.replace(tzinfo=None))
        for m in found
        if m.kind == "period" and m.period
        for a, b in [m.period]
    ]
    slots = ex["slots"]
    for key in ("start", "new_start"):
        if key in slots:
            want = _local(slots[key], tz).replace(tzinfo=None)
            assert want in points, (key, want, _summary(found))
    if "period" in slots:
        p = slots["period"]
        want_p = (_local(p["from"], tz).replace(tzinfo=None), _local(p["to"], tz).replace(tzinfo=None))
        assert want_p in periods, ("period", want_p, _summary(found))
