"""The test studio's people and hours, shared by the engine tests (tests/bot/engine_helpers.py),
the voice tests (tests/voice/voice_studio.py) and the voice benchmarks.

Trainers Sarah Lee and Mike Chen, manager Dana Park, clients John Smith, John Doe, Emma Wilson
and Nora Link (Sarah's); every trainer works Monday to Saturday, 6 AM to 8 PM.
"""

from __future__ import annotations

from datetime import time

from domain.model import Role

# (handle, full name, roles, primary trainer's handle)
PEOPLE = (
    ("sarah", "Sarah Lee", (Role.TRAINER,), None),
    ("mike", "Mike Chen", (Role.TRAINER,), None),
    ("dana", "Dana Park", (Role.MANAGER,), None),
    ("john.s", "John Smith", (Role.CLIENT,), "sarah"),
    ("john.d", "John Doe", (Role.CLIENT,), "sarah"),
    ("emma", "Emma Wilson", (Role.CLIENT,), "sarah"),
    ("nolink", "Nora Link", (Role.CLIENT,), "sarah"),
)
HOURS = tuple((day, time(6), time(20)) for day in range(6))  # (weekday, opens, closes)
