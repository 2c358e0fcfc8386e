"""Telegram updates -> the engine's words: the command menu, message ids, and what counts as voice.

Kept apart from the channel so the mapping can be read (and tested) without
a running bot. Nothing here calls Telegram.
"""

from __future__ import annotations

import re

from telegram import BotCommand

CHANNEL = "telegram"
MAX_AUDIO_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
TOO_BIG = (
    "Sorry, that recording is too big for me (Telegram lets bots download up to 20 MB). "
    "Please send a shorter voice note or type your message."
)
NOT_PRIVATE = "Let's talk in a private chat: open a direct message with me and say “help”."

# The menu Telegram shows under "/" (setMyCommands), and the words each one stands for.
COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("help", "What I can do"),
    BotCommand("log", "Log a session, e.g. /log John at 3pm"),
    BotCommand("book", "Book a session, e.g. /book Friday 10am"),
    BotCommand("sessions", "Your sessions, e.g. /sessions this week"),
)
_WORDS = {"help": "help", "log": "log", "book": "book", "sessions": "sessions"}
_BARE = {"log": "log session", "book": "book session", "sessions": "sessions"}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)


def command_text(text: str, bot_username: str | None = None) -> str | None:
    """What a typed message means to the engine; None when it is a command for another bot.

    "/log John at 3pm" -> "log John at 3pm"; "/sessions" -> "sessions";
    "/start CODE" (a deep link t.me/<bot>?start=CODE) stays as it is, since the
    engine redeems link codes sent that way; a bare "/start" is "help".
    Anything that is not one of our commands reaches the engine unchanged.
    """
    found = _COMMAND.match(text.strip())
    if not found:
        return text
    name, addressee, rest = found.group(1).lower(), found.group(2), (found.group(3) or "").strip()
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None
    if name == "start":
        return f"/start {rest}" if rest else "help"
    if name in _WORDS:
        return f"{_WORDS[name]} {rest}" if rest else _BARE.get(name, _WORDS[name])
    return text


def message_key(chat_id: int, message_id: int) -> str:
    """The engine's idempotency key for a message: unique per chat and stable across redeliveries."""
    return f"{chat_id}:{message_id}"


def press_key(callback_query_id: str) -> str:
    """The engine's idempotency key for a button press: Telegram's callback query id is unique."""
    return f"cb:{callback_query_id}"
