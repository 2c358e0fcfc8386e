"""Where intent handlers and option-press handlers register.

    from bot.intents.registry import intent, press

    @intent("query_sessions", follow_up=True)
    def query_sessions(turn: Turn, slots: dict[str, Any]) -> Reply: ...

    @press("validate")          # an option whose payload is "validate:<arg>"
    def press_validate(turn: Turn, arg: str) -> Reply: ...

A handler may be run more than once for one request: each answer to one of its
questions (a missing slot, a choice, a confirmation) re-runs it with the slots
so far, so it must ask before it changes anything (asking raises `Ask`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.messages import Reply
    from bot.turn import Turn

Handler = Callable[["Turn", dict[str, Any]], "Reply"]
PressHandler = Callable[["Turn", str], "Reply"]
Corrector = Callable[["Turn", dict[str, Any], dict[str, Any]], "Reply"]

# The words a fragment answer ("4pm", "John Doe", "and last month?") is parsed after, so
# the parser reads it in the intent's context (its time direction, its person roles):
# "log session" + " 4pm", "log session" + " with John Doe". An intent not listed gets
# the text alone.
CARRIERS: dict[str, str] = {
    "log_session": "log session",
    "book_session": "book a session",
    "cancel_session": "cancel the session",
    "reschedule_session": "move the session",
    "mark_no_show": "mark no show",
    "add_note": "add note to session",
    "validate_session": "confirm my session",
    "dispute_session": "my session did not happen",
    "join_waitlist": "put me on the waitlist",
    "check_availability": "when is free",
    "package_balance": "how many sessions left",
    "query_sessions": "show sessions",
    "query_stats": "how many sessions",
    "commission_status": "commission",
    "approve_commissions": "approve commissions",
    "export": "export sessions",
    "add_client": "add client",
    "tag_client": "tag client",
}


@dataclass(frozen=True)
class IntentSpec:
    name: str
    handler: Handler
    follow_up: bool = False  # remember (intent, slots) so "and last month?" can reuse them
    carrier: str | None = None


INTENTS: dict[str, IntentSpec] = {}
PRESSES: dict[str, PressHandler] = {}
CORRECTORS: dict[str, Corrector] = {}
# Engine-local phrasings matched before the parser (like "invite NAME"): (pattern, intent).
LOCAL_RULES: list[tuple[re.Pattern[str], str]] = []


def local_rule(pattern: str, name: str) -> None:
    """Send messages matching `pattern` (whole message, case-insensitive) to intent `name`, before parsing.

    The match's named groups become the handler's slots.
    """
    LOCAL_RULES.append((re.compile(pattern, re.I), name))


def intent(name: str, *, follow_up: bool = False, carrier: str | None = None) -> Callable[[Handler], Handler]:
    """Register the handler of a contract intent (or an engine-local one). One handler per intent."""

    def register(fn: Handler) -> Handler:
        if name in INTENTS and INTENTS[name].handler is not fn:
            raise RuntimeError(f"two handlers for intent {name}")
        INTENTS[name] = IntentSpec(name, fn, follow_up, carrier or CARRIERS.get(name))
        return fn

    return register


def press(verb: str) -> Callable[[PressHandler], PressHandler]:
    """Register what pressing an option with payload "<verb>:<arg>" does, whenever it is pressed."""

    def register(fn: PressHandler) -> PressHandler:
        PRESSES[verb] = fn
        return fn

    return register


def corrects(name: str) -> Callable[[Corrector], Corrector]:
    """Register how a correction right after `name` ("no, 4pm") changes what was just done.

    The corrector gets the turn, the remembered action ({"intent", "session_id", "slots"})
    and the slots the correction mentions.
    """

    def register(fn: Corrector) -> Corrector:
        CORRECTORS[name] = fn
        return fn

    return register


def carrier(name: str) -> str:
    spec = INTENTS.get(name)
    return (spec.carrier if spec and spec.carrier else None) or CARRIERS.get(name, "")
