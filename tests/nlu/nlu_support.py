"""Shared helpers for the parser tests: one parser per process, a fixed clock and roster."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nlu import load_parser

NY = ZoneInfo("America/New_York")
#: Wednesday 8 April 2026, 10:00 in New York.
NOW = datetime(2026, 4, 8, 10, 0, tzinfo=NY)
ROSTER = {
    "trainers": ["Priya Shah", "Marcus Webb", "Will Turner", "Grace Kim", "Dana Lopez", "Chase Hill"],
    "clients": [
        "Keisha Brown",
        "Omar Haddad",
        "Derek Fox",
        "Olga Petrova",
        "Mark Stone",
        "Hope Adams",
        "Bill Ng",
        "Sunny Cho",
    ],
}


def parse(text: str, role: str = "trainer", roster: Any = ROSTER, now: datetime = NOW) -> dict[str, Any]:
    """The frame for `text` in its contract serialisation."""
    return load_parser().parse(text, now=now, role=role, roster=roster).to_dict()


def intent(text: str, role: str = "trainer", roster: Any = ROSTER) -> str:
    return parse(text, role, roster)["intent"]


def slots(text: str, role: str = "trainer", roster: Any = ROSTER) -> dict[str, Any]:
    return parse(text, role, roster)["slots"]
