"""The dialogue state of one person on one channel, kept as JSON in `ConversationState`.

It lives in the store, not in memory, so a restart between a question and its
answer loses nothing: a new Engine on the same store reads the pending question
back and carries on.

- `pending`: the question in progress — the intent being completed, its slots
  so far, the slot awaited, and the options offered (payload token -> value).
- `last_action`: what the speaker's last change was (for corrections right
  after it: "no, 4pm").
- `last_query`: the last follow-up-able intent and its slots ("and last month?").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def encode_value(value: Any) -> Any:
    """A slot value as JSON: datetimes keep their offset, periods become two datetimes."""
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, datetime) for v in value):
        return {"$period": [value[0].isoformat(), value[1].isoformat()]}
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$dt"}:
            return datetime.fromisoformat(value["$dt"])
        if set(value) == {"$period"}:
            a, b = value["$period"]
            return (datetime.fromisoformat(a), datetime.fromisoformat(b))
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def encode_slots(slots: dict[str, Any]) -> dict[str, Any]:
    return {k: encode_value(v) for k, v in slots.items()}


def decode_slots(data: dict[str, Any] | None) -> dict[str, Any]:
    return {k: decode_value(v) for k, v in (data or {}).items()}


@dataclass
class Pending:
    """A question waiting for its answer.

    `awaiting` is the slot the answer fills (None for a pure choice); `options`
    maps an option's token to (label, slot, value): pressing or naming it sets
    slots[slot] = value and re-runs `intent`.
    """

    intent: str
    slots: dict[str, Any]
    question: str
    awaiting: str | None = None
    kind: str = "slot"  # "slot" | "person" | "time" | "choice" | "confirm"
    qid: str = ""
    options: list[dict[str, Any]] = field(default_factory=list)  # [{label, slot, value}]

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "slots": encode_slots(self.slots),
            "question": self.question,
            "awaiting": self.awaiting,
            "kind": self.kind,
            "qid": self.qid,
            "options": [{**o, "value": encode_value(o["value"])} for o in self.options],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pending:
        return cls(
            intent=data["intent"],
            slots=decode_slots(data.get("slots")),
            question=data.get("question", ""),
            awaiting=data.get("awaiting"),
            kind=data.get("kind", "slot"),
            qid=data.get("qid", ""),
            options=[{**o, "value": decode_value(o.get("value"))} for o in data.get("options") or ()],
        )


@dataclass
class DialogueState:
    pending: Pending | None = None
    last_action: dict[str, Any] | None = None  # {"intent", "session_id", "slots", "message_id"}
    last_query: dict[str, Any] | None = None  # {"intent", "slots"}
    turns_since_action: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pending": self.pending.to_json() if self.pending else None,
            "last_action": (
                {**self.last_action, "slots": encode_slots(self.last_action.get("slots") or {})}
                if self.last_action
                else None
            ),
            "last_query": (
                {**self.last_query, "slots": encode_slots(self.last_query.get("slots") or {})}
                if self.last_query
                else None
            ),
            "turns_since_action": self.turns_since_action,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        data = data or {}
        pending = data.get("pending")
        action = data.get("last_action")
        query = data.get("last_query")
        return cls(
            pending=Pending.from_json(pending) if pending else None,
            last_action={**action, "slots": decode_slots(action.get("slots"))} if action else None,
            last_query={**query, "slots": decode_slots(query.get("slots"))} if query else None,
            turns_since_action=int(data.get("turns_since_action", 0)),
        )
