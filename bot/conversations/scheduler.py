"""The one place a `tick: true` turn reaches the scheduler.

The conversation runner, and anything else that wants "run the scheduler once
at this time", calls `tick(store, at)`. Until the reminders issue brings a
scheduler (validation reminders, alerts), a tick does nothing beyond the
clock the runner has already moved; that issue plugs its single pass in here.
"""

from __future__ import annotations

from datetime import datetime

from domain.store import Store


def tick(store: Store, at: datetime) -> None:
    """Run the scheduler once at `at` (aware). No scheduler exists yet: nothing to run."""
    del store, at
