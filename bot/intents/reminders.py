"""Chat commands for how a person gets reminders, and the buttons reminders carry.

The parser's contract has no intents for these, so they are engine-local
phrasings matched before parsing (`registry.local_rule`, like "invite NAME"):

- "stop reminders" / "unsubscribe" (every kind), "stop session reminders",
  "stop validation reminders", "stop the daily digest", "stop reports";
  "resume reminders" (or "start session reminders again") undoes it;
- "send me a weekly digest" / "send messages one by one";
- "quiet hours 22:00 to 7:00" (also "10pm to 7am"), "no quiet hours",
  "default quiet hours";
- "my reminder settings".

Buttons: "reminders:stop.<category>" / "reminders:mode.individual" (on the
reminders themselves), "cancel:<session>" and "reschedule:<session>" (on an
upcoming-session reminder; they run the ordinary cancel and reschedule, with
the late-cancel confirmation and the "when to?" question).
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogue.sessions import SESSION_SLOT
from bot.intents.registry import intent, local_rule, press
from bot.messages import Reply
from bot.reminders import describe
from bot.turn import Turn
from domain.errors import InvalidInput
from domain.reminders.kinds import CATEGORIES
from domain.reminders.preferences import load_prefs, set_mode, set_opt_out, set_quiet_hours

_WHAT = r"(?:(?P<what>sessions?|upcoming(?: sessions?)?|booking|validation|confirmation|daily|weekly|manager|rate)\s+)?"
_NOUN = r"(?P<noun>reminders?|digests?|reports?|alerts?|notifications?|messages|emails?)"
_TAIL = r"\s*(?:please)?\s*[.!]*\s*"
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?|noon|midnight)"

local_rule(r"\s*(?:please\s+)?(?:send (?:me )?(?:my )?(?:reminders|messages|notifications) (?:one by one|individually|separately)"
           r"|individual (?:messages|reminders|notifications)|no (?:more )?(?:weekly )?digests?|stop (?:the |my )?weekly digest)" + _TAIL,
           "reminders_individual")  # fmt: skip
local_rule(r"\s*(?:please\s+)?(?:(?:send|give) me (?:a |the )?weekly digest(?: instead)?|(?:switch to |use )?(?:a )?weekly digest(?: instead)?"
           r"|digest mode|(?:just )?(?:one|a) (?:message|summary) a week)" + _TAIL,
           "reminders_digest")  # fmt: skip
local_rule(r"\s*(?:please\s+)?(?:stop|pause|turn off|disable|mute|no more)\s+(?:all\s+|the\s+|my\s+|these\s+|those\s+)*" + _WHAT + _NOUN + _TAIL
           + r"|\s*(?P<all>unsubscribe(?: me)?)" + _TAIL,
           "reminders_stop")  # fmt: skip
local_rule(r"\s*(?:please\s+)?(?:resume|restart|turn on|enable|unmute|start(?: sending)?)\s+(?:all\s+|the\s+|my\s+)*" + _WHAT + _NOUN
           + r"(?:\s+again)?" + _TAIL,
           "reminders_resume")  # fmt: skip
local_rule(r"\s*(?:please\s+)?(?:set\s+)?(?:my\s+)?quiet\s+hours?\s*(?:(?:are|to|from|:|=)\s*)?(?P<start>" + _TIME + r")\s*"
           r"(?:to|until|till|-|–)\s*(?P<end>" + _TIME + r")" + _TAIL,
           "reminders_quiet")  # fmt: skip
local_rule(r"\s*(?:please\s+)?(?:(?P<off>no quiet hours|(?:turn off|disable) (?:my )?quiet hours|quiet hours off)"
           r"|(?P<default>(?:use the |back to )?(?:studio(?:'s)? |default )quiet hours))" + _TAIL,
           "reminders_quiet")  # fmt: skip
local_rule(r"\s*(?:what are |show (?:me )?)?(?:my )?(?:reminder|notification)s?\s+(?:settings|preferences)\??" + _TAIL,
           "reminders_settings")  # fmt: skip

_CATEGORY_WORDS = {
    "session": "sessions", "sessions": "sessions", "upcoming": "sessions", "upcoming session": "sessions",
    "upcoming sessions": "sessions", "booking": "sessions", "validation": "validation", "confirmation": "validation",
    "daily": "digest", "weekly": "reports", "manager": "reports", "rate": "reports",
}  # fmt: skip
_NOUN_CATEGORY = {"digest": "digest", "report": "reports", "alert": "reports"}
_NAMES = {
    "validation": "validation reminders",
    "sessions": "upcoming-session reminders",
    "digest": "daily digests",
    "reports": "reports and alerts",
}


def categories(slots: dict[str, Any]) -> list[str]:
    """Which reminder categories a "stop/resume X reminders" names (all when it names none)."""
    if slots.get("_categories"):
        return list(slots["_categories"])
    what = (slots.get("what") or "").lower()
    noun = (slots.get("noun") or "").lower().rstrip("s")
    if what in _CATEGORY_WORDS:
        return [_CATEGORY_WORDS[what]]
    if noun in _NOUN_CATEGORY:
        return [_NOUN_CATEGORY[noun]]
    return list(CATEGORIES)


def _named(cats: list[str]) -> str:
    return "reminders" if set(cats) == set(CATEGORIES) else " and ".join(_NAMES[c] for c in cats)


@intent("reminders_stop")
def stop_reminders(turn: Turn, slots: dict[str, Any]) -> Reply:
    cats = categories(slots)
    turn.begin_changes()
    set_opt_out(turn.uow.db, turn.speaker.id, cats, True, turn.uow.now)
    return turn.reply(
        f"OK, no more {_named(cats)}. Messages about your own sessions (bookings, changes, requests to confirm) "
        "still come. Say “resume reminders” to get them again."
    )


@intent("reminders_resume")
def resume_reminders(turn: Turn, slots: dict[str, Any]) -> Reply:
    cats = categories(slots)
    turn.begin_changes()
    set_opt_out(turn.uow.db, turn.speaker.id, cats, False, turn.uow.now)
    return turn.reply(f"OK, {_named(cats)} are back on.")


@intent("reminders_digest")
def digest_mode(turn: Turn, slots: dict[str, Any]) -> Reply:
    turn.begin_changes()
    set_mode(turn.uow.db, turn.speaker.id, "digest", turn.uow.now)
    return turn.reply(
        "OK, you'll get one weekly digest instead of individual reminders. Reminders just before a session "
        "still come on their own. Say “send messages one by one” to switch back."
    )


@intent("reminders_individual")
def individual_mode(turn: Turn, slots: dict[str, Any]) -> Reply:
    turn.begin_changes()
    set_mode(turn.uow.db, turn.speaker.id, "individual", turn.uow.now)
    return turn.reply("OK, you'll get each message as it happens, no weekly digest.")


def clock_value(text: str) -> str:
    """ "22:00", "7", "10pm", "7.30 am", "noon" -> "HH:MM" (24-hour)."""
    value = text.strip().lower().replace(".", ":").replace(" ", "")
    value = value.replace("a:m:", "am").replace("p:m:", "pm").replace("a:m", "am").replace("p:m", "pm")
    if value in ("noon", "midnight"):
        return "12:00" if value == "noon" else "00:00"
    found = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", value)
    if not found:
        raise InvalidInput(f"I didn't understand the time {text!r}; try “quiet hours 22:00 to 7:00”.")
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"{text!r} is not a time of day.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidInput(f"{text!r} is not a time of day.")
    return f"{hour:02d}:{minute:02d}"


@intent("reminders_quiet")
def quiet_hours(turn: Turn, slots: dict[str, Any]) -> Reply:
    if slots.get("off"):
        turn.begin_changes()
        set_quiet_hours(turn.uow.db, turn.speaker.id, "00:00", "00:00", turn.uow.now)
        return turn.reply("OK, no quiet hours: messages come at any time of day.")
    if slots.get("default"):
        turn.begin_changes()
        set_quiet_hours(turn.uow.db, turn.speaker.id, None, None, turn.uow.now)
        studio = turn.studio
        return turn.reply(
            f"OK, back to the studio's quiet hours, {studio.quiet_hours_start} to {studio.quiet_hours_end}."
        )
    start, end = clock_value(slots["start"]), clock_value(slots["end"])
    if start == end:
        return turn.refuse(
            "Quiet hours need to end at a different time than they start. Say “no quiet hours” to turn them off."
        )
    turn.begin_changes()
    set_quiet_hours(turn.uow.db, turn.speaker.id, start, end, turn.uow.now)
    return turn.reply(
        f"OK, quiet hours from {start} to {end} ({turn.studio.tz}): reminders wait until they end. "
        "Changes to a session on its own day still come at once."
    )


@intent("reminders_settings")
def settings(turn: Turn, slots: dict[str, Any]) -> Reply:
    prefs = load_prefs(turn.uow.db, turn.studio, [turn.speaker.id])[turn.speaker.id]
    return turn.reply(describe(prefs, turn.studio))


# --- buttons -----------------------------------------------------------------------------------------


@press("reminders")
def press_reminders(turn: Turn, arg: str) -> Reply:
    """ "stop.<category>" on a reminder, "mode.individual" on a digest."""
    what, _, value = arg.partition(".")
    if what == "stop" and value in CATEGORIES:
        return stop_reminders(turn, {"_categories": [value]})
    if what == "mode" and value == "individual":
        return individual_mode(turn, {})
    return turn.refuse("Sorry, I don't know that button any more. Say “my reminder settings” to see them.")


@press("cancel")
def press_cancel(turn: Turn, arg: str) -> Reply:
    """The Cancel button of an upcoming-session reminder: the ordinary cancel (late cancels ask first)."""
    return turn.engine.run(turn, "cancel_session", {SESSION_SLOT: arg})


@press("reschedule")
def press_reschedule(turn: Turn, arg: str) -> Reply:
    """The Reschedule button: the ordinary reschedule, which asks when to."""
    return turn.engine.run(turn, "reschedule_session", {SESSION_SLOT: arg})
