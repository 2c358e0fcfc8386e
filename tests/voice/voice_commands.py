"""The spoken-command suite: who says what, across the parser's intents.

Said in a studio built like tests/bot/engine_helpers.py (trainers Sarah Lee
and Mike Chen, manager Dana Park, clients John Smith, John Doe, Emma Wilson,
Nora Link) on Wed, Mar 11 2026 at 9:00 AM New York time, with a few sessions
already in the diary (`DIARY`) for the commands that act on one.
"""

from __future__ import annotations

# (speaker handle, what they say)
COMMANDS: tuple[tuple[str, str], ...] = (
    # trainer
    ("sarah", "log a session with Emma at 8am"),
    ("sarah", "log session with John Smith yesterday at 3pm"),
    ("sarah", "I trained John Doe yesterday at 5pm for 45 minutes"),
    ("sarah", "book Emma tomorrow at 10am"),
    ("sarah", "book a session with John Smith on Friday at 4pm"),
    ("sarah", "schedule John Doe for next Monday at 9am"),
    ("sarah", "cancel Emma's session on Thursday at 2pm"),
    ("sarah", "move John Smith's session on Friday to 1pm"),
    ("sarah", "John Doe didn't show up on Tuesday"),
    ("sarah", "how many sessions does Emma have left"),
    ("sarah", "show my sessions this week"),
    ("sarah", "what's my commission this month"),
    ("sarah", "how many sessions did I do last month"),
    ("sarah", "when is Mike free tomorrow"),
    ("sarah", "help"),
    ("sarah", "thanks"),
    ("sarah", "hello"),
    ("sarah", "export my clients"),
    ("sarah", "tag Emma as beginner"),
    ("sarah", "undo"),
    # client
    ("emma", "how many sessions do I have left"),
    ("emma", "book a session with Sarah tomorrow at 11am"),
    ("emma", "cancel my session on Friday"),
    ("emma", "confirm my session yesterday"),
    ("emma", "my session on Monday didn't happen"),
    ("emma", "put me on the waitlist for Saturday morning"),
    ("emma", "when is Sarah available on Friday"),
    ("emma", "show my upcoming sessions"),
    # manager
    ("dana", "validation rate by trainer this month"),
    ("dana", "top 3 trainers by revenue last month"),
    ("dana", "how many sessions did Sarah do this week"),
    ("dana", "what's Mike's commission this month"),
    ("dana", "approve commissions for February"),
    ("dana", "book Emma with Mike on Friday at 9am"),
    ("dana", "log a session for Mike with John Doe today at 7am"),
    ("dana", "show Sarah's sessions today"),
    ("dana", "how many no shows this month"),
    ("dana", "export sessions last month"),
    ("dana", "revenue by trainer this month"),
    ("dana", "never mind"),
    # trainer two
    ("mike", "log session with John Smith today at 6am"),
    ("mike", "what's my commission last month"),
    ("mike", "how many sessions did I do this week"),
    ("mike", "yes"),
)

# Sessions in the diary before anyone speaks: (trainer, client, local start, "book" | "log").
DIARY: tuple[tuple[str, str, str, str], ...] = (
    ("sarah", "emma", "2026-03-12T14:00", "book"),  # cancelled by Sarah
    ("sarah", "john.s", "2026-03-13T11:00", "book"),  # moved by Sarah
    ("sarah", "john.d", "2026-03-10T10:00", "log"),  # a no-show
    ("sarah", "emma", "2026-03-13T15:00", "book"),  # cancelled by Emma
    ("sarah", "emma", "2026-03-10T16:00", "log"),  # confirmed by Emma ("yesterday")
    ("sarah", "emma", "2026-03-09T17:00", "log"),  # disputed by Emma (Monday)
    ("mike", "john.s", "2026-03-02T08:00", "log"),
    ("sarah", "john.d", "2026-02-16T12:00", "log"),
)
NOW = "2026-03-11T09:00"
