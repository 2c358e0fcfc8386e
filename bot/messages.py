"""The engine's channel-agnostic message types: what comes in, what goes out.

Every adapter (terminal, Slack, Telegram, web, e-mail, voice) turns its own
events into an `Incoming` and renders a `Reply`; no platform type crosses into
`bot/`. A `Reply` is stored as JSON in the inbox so a repeated delivery gets
exactly the same answer.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Option:
    """A button / quick reply. `payload` is stable, at most 64 bytes, and carries no secret."""

    label: str
    payload: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply ("csv" | "png" | "ics")."""

    kind: str
    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True)
class Incoming:
    """One message from a person: typed text, an option pressed, or voice."""

    channel: str
    sender_id: str
    message_id: str
    at: datetime
    text: str | None = None
    press: str | None = None
    audio: bytes | None = None
    audio_mime: str | None = None
    # The sender's e-mail address as the platform vouches for it (Slack's users.info); used only
    # on first contact, to link an unknown sender to the studio's person with that address.
    sender_email: str | None = None


@dataclass(frozen=True)
class Reply:
    """What the engine answers. `error` is True for a refusal or "I didn't understand" (nothing changed)."""

    text: str
    options: tuple[Option, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    error: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "options": [{"label": o.label, "payload": o.payload} for o in self.options],
            "attachments": [
                {
                    "kind": a.kind,
                    "filename": a.filename,
                    "mime": a.mime,
                    "content": base64.b64encode(a.content).decode("ascii"),
                }
                for a in self.attachments
            ],
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=str(data.get("text", "")),
            options=tuple(Option(o["label"], o["payload"]) for o in data.get("options") or ()),
            attachments=tuple(
                Attachment(a["kind"], a["filename"], base64.b64decode(a["content"]), a["mime"])
                for a in data.get("attachments") or ()
            ),
            error=bool(data.get("error", False)),
        )
