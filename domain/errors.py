"""Typed domain errors. Each carries a sentence a person can read.

The engine shows `str(error)` to the user as it is, so messages name people
and times the way the studio does ("Sarah Lee already has a session
15:00–16:00 with Emma Wilson"), never ids or SQL.
"""

from __future__ import annotations


class SpotterError(Exception):
    """Base class: a refusal that changes nothing."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(SpotterError):
    code = "not_found"


class NotAllowed(SpotterError):
    code = "not_allowed"


class InvalidInput(SpotterError):
    code = "invalid"


class Conflict(SpotterError):
    code = "conflict"


class DoubleBooking(Conflict):
    """`alternatives`: the trainer's nearest free start times (aware, studio zone), when known."""

    code = "double_booking"

    def __init__(self, message: str, alternatives: list | None = None) -> None:
        super().__init__(message)
        self.alternatives = list(alternatives or [])


class NoCredit(SpotterError):
    code = "no_credit"


class NothingToUndo(SpotterError):
    code = "nothing_to_undo"
