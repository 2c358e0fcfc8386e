"""The conversational intents: help, greetings, thanks, stop, undo, yes/no with nothing asked, and
what Spotter answers to anything else. Also "invite NAME" (engine-local: a manager issues a link code).
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from bot.intents.registry import intent
from bot.messages import Reply
from bot.turn import Turn
from domain import notifications
from domain.commands import IssueLinkCode, Undo, UndoResult

HELP = {
    "client": [
        "book with Sarah tomorrow at 7am",
        "cancel my session on Friday",
        "move my session to Thursday at 6pm",
        "confirm my session yesterday",
        "my session on Monday didn't happen",
        "how many sessions do I have left?",
        "when is Sarah free this week?",
        "put me on the waitlist for Sarah on Friday",
    ],
    "trainer": [
        "log session with John at 3pm",
        "book John tomorrow at 7am",
        "cancel John's session on Friday",
        "move John to Thursday at 6pm",
        "John didn't show up today",
        "add note to John's session: great squats",
        "my sessions this week",
        "my commission this month",
        "how many sessions does Emma have left?",
    ],
    "manager": [
        "log session with John for Sarah at 3pm",
        "book John with Sarah tomorrow at 7am",
        "sessions this week",
        "validation rate by trainer this month",
        "top 3 trainers by revenue last month",
        "Sarah's commission last month",
        "approve commissions for February",
        "export vip clients",
        "invite Emma Wilson",
    ],
}
HELP["admin"] = HELP["manager"]

CAN_DO = {
    "client": "book, move or cancel your sessions, confirm the ones that took place, and check your package",
    "trainer": "log, book, move and cancel sessions, mark no-shows, add notes, and answer questions "
    "about your sessions, clients and commission",
    "manager": "log and book sessions for any trainer, answer questions about sessions, figures and "
    "commissions, approve commissions, export lists and invite people",
}
CAN_DO["admin"] = CAN_DO["manager"]


def examples(role: str, n: int = 4) -> str:
    return "; ".join(f"“{e}”" for e in HELP.get(role, HELP["client"])[:n])


@intent("help")
def help_(turn: Turn, slots: dict[str, Any]) -> Reply:
    lines = "\n".join(f"• {e}" for e in HELP.get(turn.role, HELP["client"]))
    return turn.reply(
        f"I can {CAN_DO.get(turn.role, CAN_DO['client'])}. Try:\n{lines}\n"
        "Say “undo” to take back your last change, or “stop” to drop a question."
    )


@intent("out_of_scope")
def out_of_scope(turn: Turn, slots: dict[str, Any]) -> Reply:
    return turn.refuse(
        f"Sorry, I didn't understand that. I can {CAN_DO.get(turn.role, CAN_DO['client'])}. "
        f"For example: {examples(turn.role, 3)}. Say “help” for more."
    )


@intent("greet")
def greet(turn: Turn, slots: dict[str, Any]) -> Reply:
    return turn.reply(
        f"Hi {turn.speaker.first_name}! What can I do for you? For example: {examples(turn.role, 2)}."
    )


@intent("thanks")
def thanks(turn: Turn, slots: dict[str, Any]) -> Reply:
    return turn.reply("You're welcome!")


@intent("stop")
def stop(turn: Turn, slots: dict[str, Any]) -> Reply:
    # The engine drops a pending question before it runs any intent; nothing else to stop.
    return turn.reply("OK, never mind. Nothing was changed.")


@intent("affirm")
def affirm(turn: Turn, slots: dict[str, Any]) -> Reply:
    """A "yes" with no question open: a client with a session waiting for confirmation confirms it."""
    if turn.is_client and not (turn.is_trainer or turn.is_manager):
        from bot.intents.sessions import validate_session, waiting_for_confirmation

        if waiting_for_confirmation(turn):
            turn.intent = "validate_session"
            return validate_session(turn, {})
    return turn.reply("OK. What would you like to do next?")


@intent("deny")
def deny(turn: Turn, slots: dict[str, Any]) -> Reply:
    return turn.reply("OK. Nothing was changed.")


@intent("undo")
def undo(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Take back the speaker's own last change; its announcements still queued are withdrawn."""
    result: UndoResult = turn.execute(Undo())
    if result.entity_type == "session":
        with contextlib.suppress(ValueError):
            notifications.withdraw(turn.uow, uuid.UUID(result.entity_id))
    turn.state.last_action = None
    return turn.reply(result.summary)


@intent("invite")
def invite(turn: Turn, slots: dict[str, Any]) -> Reply:
    """Engine-local: "invite Emma Wilson" -> a one-time link code for Emma to send."""
    person = turn.person(slots, "name", question="Who should I invite?")
    assert person is not None
    if person.id == turn.speaker.id:
        return turn.refuse("You're already linked.")
    code = turn.execute(IssueLinkCode(person.id))
    return turn.reply(
        f"Here is {person.full_name}'s link code: {code}. It works once, for 7 days. "
        f"Ask them to send “link {code}” to me."
    )
