"""The parser's output: one frame (intent + slots) and its contract serialisation.

Slots hold Python values (aware datetimes, tuples for periods); `to_json` turns them
into the contract's normal form so that the CLI, the evaluator and the engine agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Slots whose value is a single point in time.
POINT_SLOTS = ("start", "new_start")


def format_local(value: datetime) -> str:
    """A datetime in the contract's form: local date-time to the minute, no offset."""
    return value.strftime("%Y-%m-%dT%H:%M")


def serialise_slot(name: str, value: Any) -> Any:
    """One slot value in its contract form (JSON-ready)."""
    if isinstance(value, datetime):
        return format_local(value)
    if name == "period" and isinstance(value, tuple | list) and len(value) == 2:
        return {"from": format_local(value[0]), "to": format_local(value[1])}
    return value


@dataclass
class Frame:
    """A parsed message: a contract intent name and the slots the message mentions."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract serialisation as plain Python data."""
        return {
            "intent": self.intent,
            "slots": {name: serialise_slot(name, value) for name, value in self.slots.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        """The contract serialisation as a JSON string (kwargs go to `json.dumps`)."""
        return json.dumps(self.to_dict(), **kwargs)
