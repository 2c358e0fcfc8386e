"""A `Reply` as Telegram messages: text chunks, an inline keyboard, documents and photos.

Telegram limits a message to 4096 characters and a button's callback data to
64 bytes. The engine's payloads are designed to fit; one that does not is sent
as a stable short id (a hash of the payload) and mapped back on the press, so
the button still works while this process remembers it (after a restart the
engine answers that it no longer knows the button).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Option

log = logging.getLogger("spotter.telegram")

MAX_TEXT = 4096
MAX_DATA = 64
MAX_LABEL = 64
SHORT = "~"  # engine payloads are "verb:arg"; a leading "~" marks a short id
PHOTO_LIMIT = 10 * 1024 * 1024  # bigger PNGs go out as documents


def chunks(text: str, size: int = MAX_TEXT) -> list[str]:
    """`text` in pieces Telegram accepts, cut at line breaks (then spaces) where possible."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut <= size // 2:
            cut = text.rfind(" ", 0, size)
        if cut <= size // 2:
            cut = size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


class CallbackData:
    """Option payload <-> callback data, with short ids for the (rare) payload over 64 bytes."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._long: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_DATA and not payload.startswith(SHORT):
            return payload
        digest = hashlib.sha256(payload.encode()).digest()[:15]
        short = SHORT + base64.urlsafe_b64encode(digest).decode("ascii")
        log.warning("option payload over %d bytes sent as %s: %.80s", MAX_DATA, short, payload)
        self._long[short] = payload
        self._long.move_to_end(short)
        while len(self._long) > self.capacity:
            self._long.popitem(last=False)
        return short

    def decode(self, data: str) -> str:
        return self._long.get(data, data)

    def keyboard(self, options: Iterable[Option]) -> InlineKeyboardMarkup | None:
        """One button per row: labels are names and times, easier to hit full width on a phone."""
        rows = [
            [InlineKeyboardButton(_label(o.label), callback_data=self.encode(o.payload))] for o in options
        ]
        return InlineKeyboardMarkup(rows) if rows else None


def _label(label: str) -> str:
    label = " ".join(label.split()) or "?"
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
