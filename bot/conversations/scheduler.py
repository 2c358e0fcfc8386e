"""The one place a `tick: true` turn reaches the scheduler.

The conversation runner, and anything else that wants "run the scheduler once
at this time", calls `tick(store, at)`: one pass of the reminder rules
(bot/reminders.py) at `at`. Delivery is not run: in a conversation test
notifications are kept, not sent, and the checks read the outbox.
"""

from __future__ import annotations

from datetime import datetime

from bot import reminders
from domain.store import Store


def tick(store: Store, at: datetime) -> None:
    """Run the scheduler's rules once at `at` (aware)."""
    reminders.tick(store, at)
